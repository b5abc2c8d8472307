//! `placewise backtest` on the shared DfE files: every authority from three origins, the
//! baselines computed as stated, every summary figure recomputable from the CSV rows, the
//! planner against the strongest naive forecaster and its 80% interval's coverage, and
//! deterministic output. Skipped when ../shared/data is absent.

mod common;
use common::*;
use placewise::render::backtest::{CSV_HEADER, backtest_csv, backtest_json};
use placewise::testing::io::flows::read_flows;
use placewise::testing::io::stats::read_caseload;
use placewise::testing::plan::backtest::{Backtest, METHODS, backtest};
use std::path::PathBuf;
use std::sync::OnceLock;

const CASELOAD: &str = "stats/ehcp_caseload_by_setting_2019_2025.csv";

fn caseload_file() -> Option<PathBuf> {
    shared_data(&[CASELOAD]).map(|dir| dir.join(CASELOAD))
}

/// The back-test of every authority from 2020, 2021 and 2022 to 2025 (computed once).
fn full() -> Option<&'static Backtest> {
    static B: OnceLock<Option<Backtest>> = OnceLock::new();
    B.get_or_init(|| {
        let file = caseload_file()?;
        let c = read_caseload(&file).unwrap();
        let f = read_flows(file.parent().unwrap()).unwrap();
        Some(backtest(&c, &f, &[2020, 2021, 2022], 2025, &[]))
    })
    .as_ref()
}

#[test]
fn the_baselines_are_as_stated() {
    let Some(file) = caseload_file() else { return };
    let Some(b) = full() else { return };
    let c = read_caseload(&file).unwrap();
    let england = c.england.as_ref().unwrap();
    for r in b.rows.iter().filter(|r| r.measure == "total") {
        let series = c.find(&r.la).unwrap();
        assert_eq!(r.actual, series.at(r.year).unwrap().total as f64);
        let s0 = series.at(r.origin).unwrap().total as f64;
        let h = r.horizon as f64;
        let expected = match r.method {
            "persistence" => s0,
            "england" => {
                // England's log-linear slope on the Januaries up to the origin, by hand.
                let pts: Vec<(f64, f64)> = england
                    .points
                    .iter()
                    .filter(|p| p.year <= r.origin)
                    .map(|p| (p.year as f64, (p.total as f64).ln()))
                    .collect();
                let n = pts.len() as f64;
                let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
                let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
                let b = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
                    / pts.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
                s0 * (b * h).exp()
            }
            "damped" => {
                let g = (s0 / series.at(r.origin - 1).unwrap().total as f64).ln();
                let d: f64 = (1..=r.horizon).map(|i| 0.9f64.powi(i as i32)).sum();
                s0 * (g * d).exp()
            }
            _ => continue,
        };
        assert!((r.p50 - expected).abs() < 1e-6 * expected, "{r:?}");
        assert_eq!((r.p10, r.p90), (r.p50, r.p50));
    }
}

#[test]
fn every_authority_origin_and_measure_is_there_and_summaries_recompute_from_rows() {
    let Some(b) = full() else { return };
    for origin in [2020, 2021, 2022] {
        let las: std::collections::BTreeSet<&str> = b
            .rows
            .iter()
            .filter(|r| r.origin == origin)
            .map(|r| r.la.as_str())
            .collect();
        assert!(las.len() >= 145, "{origin}: {} authorities", las.len());
    }
    // Each summary's figures from the CSV text alone.
    let csv = backtest_csv(b);
    assert!(csv.starts_with(&format!("{CSV_HEADER}\n")));
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for rec in reader.records() {
        rows.push(rec.unwrap().iter().map(String::from).collect());
    }
    let checked = |m: &str| m == "total" || m.starts_with("age-");
    for s in b.summary.iter().filter(|s| checked(s.measure)) {
        let sel: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| {
                r[1] == s.origin.to_string()
                    && r[3] == s.horizon.to_string()
                    && r[4] == s.measure
                    && r[9] == s.method
            })
            .collect();
        assert_eq!(sel.len(), s.authorities);
        let f = |r: &Vec<String>, i: usize| r[i].parse::<f64>().unwrap();
        let mut err: Vec<f64> = sel
            .iter()
            .filter(|r| f64_of(&r[5]) > 0.0)
            .map(|r| (f(r, 7) - f(r, 5)).abs() / f(r, 5) * 100.0)
            .collect();
        err.sort_by(|a, b| a.total_cmp(b));
        let n = err.len();
        let med = if n % 2 == 1 {
            err[n / 2]
        } else {
            (err[n / 2 - 1] + err[n / 2]) / 2.0
        };
        // The CSV rounds forecasts to 0.01 of a plan: at most 0.005 ÷ the smallest published
        // total, in points of error.
        let smallest = sel
            .iter()
            .map(|r| f(r, 5))
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let tolerance = 0.005 / smallest * 100.0 + 1e-9;
        assert!(
            (med - s.median_error_pct).abs() <= tolerance,
            "{s:?}: {med}"
        );
        let covered = sel
            .iter()
            .filter(|r| f(r, 6) <= f(r, 5) && f(r, 5) <= f(r, 8))
            .count();
        assert!(
            (covered as f64 / sel.len() as f64 * 100.0 - s.coverage_pct).abs() < 1.5,
            "{s:?}"
        );
    }
}

/// The standard the forecast is held to: from 2021 and 2022, at 2 and 3 years, the planner's
/// median error on total plans is below every naive method's, and at 3 years its error on the
/// independent and non-maintained special share is at most persistence's. Its 80% interval,
/// measured on earlier origins only, covered 77–85% of the published totals from 2021 and
/// 2022 and 79–85% from 2020 (README, "Back-testing"); the test holds it to 75–85% from 2021
/// and 2022 at every horizon, and to 70–90% from 2020, which has no earlier origin to measure
/// the width on — far from the 5–21% of a band with no parameter uncertainty.
#[test]
fn the_planner_beats_every_naive_method_and_its_interval_holds() {
    let Some(b) = full() else { return };
    for origin in [2020, 2021, 2022] {
        for h in 1..=(2025 - origin) as u32 {
            let p = b.find(origin, h, "total", "planner").unwrap();
            // From 2021 and 2022 the band is measured on earlier origins' errors and must hold
            // 75–85% of the published totals; from 2020 there is no earlier origin.
            let band = if origin >= 2021 {
                75.0..=85.0
            } else {
                70.0..=90.0
            };
            assert!(
                band.contains(&p.coverage_pct),
                "coverage from {origin} at {h} years: {:.1}%",
                p.coverage_pct
            );
            if origin >= 2021 && h == 3 {
                // The share that drives cost most: no worse than holding the origin's share.
                let share = |m: &str| {
                    b.find(origin, h, "independent-special", m)
                        .and_then(|s| s.median_share_error_pp)
                        .unwrap()
                };
                assert!(
                    share("planner") <= share("persistence"),
                    "independent share from {origin}: planner {:.2} pp vs persistence {:.2} pp",
                    share("planner"),
                    share("persistence")
                );
            }
            if origin >= 2021 && (h == 2 || h == 3) {
                for m in &METHODS[1..] {
                    let other = b.find(origin, h, "total", m).unwrap();
                    assert!(
                        p.median_error_pct < other.median_error_pct,
                        "from {origin} at {h} years: planner {:.2}% vs {m} {:.2}%",
                        p.median_error_pct,
                        other.median_error_pct
                    );
                }
            }
        }
    }
}

#[test]
fn the_back_test_is_the_same_for_one_and_two_threads() {
    let Some(file) = caseload_file() else { return };
    let c = read_caseload(&file).unwrap();
    let f = read_flows(file.parent().unwrap()).unwrap();
    assert_same_on_one_and_two_threads(|| {
        let b = backtest(&c, &f, &[2021], 2025, &[]);
        (backtest_csv(&b), backtest_json(&b))
    });
}

#[test]
fn the_command_writes_three_files_and_names_unknown_authorities() {
    let Some(file) = caseload_file() else { return };
    let stats = file.parent().unwrap().to_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bt");
    // `placewise backtest --stats STATS ARGS… --out OUT`.
    let backtest = |args: &[&str]| {
        let out = out.to_str().unwrap();
        run(
            &[&["backtest", "--stats", &stats], args, &["--out", out]].concat(),
            &[],
        )
    };
    let o = succeeded(backtest(&["--from", "2022", "--la", "Shropshire"]));
    for f in ["backtest.csv", "backtest.json", "backtest.html"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert!(stdout(&o).contains("| 2022 | 3 yr |"), "{}", stdout(&o));
    let err = failed(&backtest(&["--la", "Shropshre"]), 1);
    assert!(err.contains("Shropshire"), "{err}");
    failed(&backtest(&["--from", "2025", "--to", "2022"]), 2);
}

fn f64_of(s: &str) -> f64 {
    s.parse().unwrap()
}

/// The age structure's hold-out (January 2024 → 2025): every authority with published ages is
/// there, the naive methods hold the origin's age mix (recomputed from the published file by
/// hand), and the planner's bands add up to its total forecast.
#[test]
fn the_age_hold_out_is_there_and_its_baselines_are_as_stated() {
    let Some(b) = full() else { return };
    assert_eq!(b.age_origin, Some(2024));
    let ages: Vec<&placewise::testing::plan::backtest::Row> = b
        .rows
        .iter()
        .filter(|r| r.measure.starts_with("age-"))
        .collect();
    let las: std::collections::BTreeSet<&str> = ages.iter().map(|r| r.la.as_str()).collect();
    assert!(las.len() >= 140, "{} authorities", las.len());
    // Shropshire's 11–15-year-olds in January 2024, summed by hand from the file.
    let file = caseload_file().unwrap();
    let text = std::fs::read_to_string(
        file.parent()
            .unwrap()
            .join("ehcp_caseload_by_age_and_setting_2024_2025.csv"),
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head = reader.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (tp, la, br, n) = (
        col("time_period"),
        col("la_name"),
        col("breakdown"),
        col("ehcplans"),
    );
    let mut by_hand = 0.0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        let age = rec[br]
            .strip_prefix("age ")
            .and_then(|a| a.parse::<u32>().ok());
        if &rec[tp] == "202324" && &rec[la] == "Shropshire" && matches!(age, Some(11..=15)) {
            by_hand += rec[n].parse::<f64>().unwrap_or(0.0);
        }
    }
    let row = |method: &str| {
        ages.iter()
            .find(|r| r.la == "Shropshire" && r.measure == "age-11-15" && r.method == method)
            .unwrap()
    };
    assert_eq!(row("persistence").p50, by_hand);
    // The planner's bands sum to its total forecast for 2025 from 2024.
    let c = read_caseload(&file).unwrap();
    let f = read_flows(file.parent().unwrap()).unwrap();
    let one = backtest(&c, &f, &[2024], 2025, &["Shropshire".to_string()]);
    let total = one
        .rows
        .iter()
        .find(|r| r.measure == "total" && r.method == "planner")
        .unwrap()
        .p50;
    let bands: f64 = one
        .rows
        .iter()
        .filter(|r| r.measure.starts_with("age-") && r.method == "planner")
        .map(|r| r.p50)
        .sum();
    assert!((bands - total).abs() < 1e-6 * total, "{bands} vs {total}");
}

/// A plan's report quotes the model's record across every authority: the national record is
/// the back-test's own summary (coverage and errors, from 2021 and 2022 at every horizon).
#[test]
fn the_plan_s_national_record_is_the_back_test_s_summary() {
    let Some(file) = caseload_file() else { return };
    let Some(b) = full() else { return };
    let c = read_caseload(&file).unwrap();
    let f = read_flows(file.parent().unwrap()).unwrap();
    let (own, national) = placewise::testing::plan::backtest::track_record(&c, &f, "Shropshire");
    assert_eq!(national.len(), 4 + 3, "2021: 1–4 years, 2022: 1–3 years");
    for n in &national {
        let s = b.find(n.origin, n.horizon, "total", "planner").unwrap();
        let e = b.find(n.origin, n.horizon, "total", "england").unwrap();
        assert_eq!(
            (
                n.coverage_pct,
                n.median_error_pct,
                n.england_error_pct,
                n.authorities
            ),
            (
                s.coverage_pct,
                s.median_error_pct,
                e.median_error_pct,
                s.authorities
            ),
            "{n:?}"
        );
    }
    // The authority's own record is its rows of the same back-test.
    assert_eq!(own.len(), 5 + 4 + 3);
    for t in &own {
        let row = b
            .rows
            .iter()
            .find(|r| {
                r.la == "Shropshire"
                    && r.measure == "total"
                    && r.method == "planner"
                    && (r.origin, r.year) == (t.origin, t.year)
            })
            .unwrap();
        assert_eq!(
            (t.published, t.p10, t.p50, t.p90),
            (row.actual, row.p10, row.p50, row.p90)
        );
    }
}
