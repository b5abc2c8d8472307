//! `placewise backtest` on the shared DfE caseload file: every authority in one run, the
//! baselines computed as stated, deterministic output. Skipped when ../shared/data is absent.

mod common;
use common::*;
use placewise::io::stats::read_caseload;
use placewise::plan::backtest::backtest;
use placewise::render::backtest::{backtest_csv, backtest_json};
use std::path::PathBuf;

const CASELOAD: &str = "stats/ehcp_caseload_by_setting_2019_2025.csv";

fn caseload_file() -> Option<PathBuf> {
    shared_data(&[CASELOAD]).map(|dir| dir.join(CASELOAD))
}

#[test]
fn every_authority_is_back_tested_and_the_baselines_are_as_stated() {
    let Some(file) = caseload_file() else { return };
    let c = read_caseload(&file).unwrap();
    let b = backtest(&c, 2022, 2025, &[]);
    assert_eq!(b.las.len() + b.skipped.len(), c.las.len());
    assert!(b.las.len() >= 145, "{} authorities", b.las.len());
    for l in &b.las {
        let series = c.find(&l.la).unwrap();
        let start = series.at(2022).unwrap();
        for cmp in &l.comparisons {
            let published = series.at(cmp.year).unwrap();
            assert_eq!(cmp.published_total, published.total);
            // Persistence is the start year's count.
            let p = &cmp.forecasts[1];
            assert_eq!(p.method, "persistence");
            assert_eq!(p.total, start.total as f64);
            let err = (start.total as f64 - published.total as f64).abs() / published.total as f64;
            assert!((p.total_error_pct - err * 100.0).abs() < 1e-9);
            // Every method's shares are a mix over the partition (mainstream includes bases).
            for f in &cmp.forecasts {
                let s = f.shares;
                let sum = s[0] + s[2] + s[3] + s[4] + s[5] + s[6];
                assert!((sum - 1.0).abs() < 1e-9, "{} {}: {sum}", l.la, f.method);
            }
        }
    }
    // Three horizons × three methods.
    assert_eq!(b.summary.len(), 9);
}

#[test]
fn the_back_test_is_the_same_for_one_and_two_threads() {
    let Some(file) = caseload_file() else { return };
    let c = read_caseload(&file).unwrap();
    assert_same_on_one_and_two_threads(|| {
        let b = backtest(&c, 2021, 2025, &[]);
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
    let o = succeeded(backtest(&["--from", "2022", "--to", "2025"]));
    for f in ["backtest.csv", "backtest.json", "backtest.html"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert!(stdout(&o).contains("| 3 yr | planner |"), "{}", stdout(&o));
    let err = failed(&backtest(&["--la", "Shropshre"]), 1);
    assert!(err.contains("Shropshire"), "{err}");
    failed(&backtest(&["--from", "2025", "--to", "2022"]), 2);
}
