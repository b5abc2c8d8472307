//! The back-test's renderers: one CSV row per authority × origin × January × measure × method
//! (`la,origin,year,horizon,measure,actual,p10,p50,p90,method`, so every error can be
//! recomputed), the whole result as JSON, the summary tables as Markdown, and (with the
//! `report` feature) the HTML page; and the writer of the three files.

#[cfg(feature = "report")]
mod html;

use crate::plan::backtest::{Backtest, METHODS, Summary};
use crate::render::plan::scap::csv_field;
use std::fmt::Write as _;

/// The CSV header of [`backtest_csv`].
pub const CSV_HEADER: &str = "la,origin,year,horizon,measure,actual,p10,p50,p90,method";

/// One row per authority × origin × January × measure × method.
pub fn backtest_csv(b: &Backtest) -> String {
    let mut out = String::with_capacity(b.rows.len() * 64);
    out.push_str(CSV_HEADER);
    out.push('\n');
    for r in &b.rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{:.2},{:.2},{:.2},{}",
            csv_field(&r.la),
            r.origin,
            r.year,
            r.horizon,
            r.measure,
            r.actual,
            r.p10,
            r.p50,
            r.p90,
            r.method
        );
    }
    out
}

/// The whole back-test as JSON.
pub fn backtest_json(b: &Backtest) -> String {
    serde_json::to_string_pretty(b).unwrap_or_else(|_| "{}".into()) + "\n"
}

fn cell(s: Option<&Summary>, f: impl Fn(&Summary) -> String) -> String {
    s.map_or_else(|| "–".to_string(), f)
}

/// A Markdown table's header: `first` columns, one column a method, then `last` columns.
fn header(first: &[&str], last: &[&str]) -> String {
    let names: Vec<&str> = first
        .iter()
        .copied()
        .chain(METHODS)
        .chain(last.iter().copied())
        .collect();
    format!(
        "| {} |\n|{}\n",
        names.join(" | "),
        "---|".repeat(names.len())
    )
}

/// Total plans: per origin and horizon, each method's median error, the planner's 80%
/// coverage and each method's median interval score, as Markdown (README and terminal).
pub fn summary_table(b: &Backtest) -> String {
    let mut out = header(
        &["origin", "horizon", "LAs"],
        &[
            "planner 80% coverage",
            "planner interval score",
            "best naive interval score",
        ],
    );
    for &origin in &b.origins {
        for h in 1..=(b.to - origin).max(0) as u32 {
            let planner = b.find(origin, h, "total", "planner");
            let Some(p) = planner else { continue };
            let _ = write!(out, "| {origin} | {h} yr | {} |", p.authorities);
            for m in METHODS {
                let s = b.find(origin, h, "total", m);
                let _ = write!(
                    out,
                    " {} |",
                    cell(s, |s| format!("{:.2}%", s.median_error_pct))
                );
            }
            let best_naive = METHODS[1..]
                .iter()
                .filter_map(|m| b.find(origin, h, "total", m))
                .map(|s| s.median_interval_score_pct)
                .fold(f64::INFINITY, f64::min);
            let _ = writeln!(
                out,
                " {:.0}% | {:.1}% | {:.1}% |",
                p.coverage_pct, p.median_interval_score_pct, best_naive
            );
        }
    }
    out
}

/// Per group at one horizon: the planner's and persistence's median share errors (pp), the
/// planner's median count error and 80% coverage, as Markdown.
pub fn groups_table(b: &Backtest, horizon: u32) -> String {
    let mut out = String::from(
        "| origin | group | planner share error | persistence share error | planner count error | persistence count error | planner 80% coverage |\n|---|---|---|---|---|---|---|\n",
    );
    for &origin in &b.origins {
        for measure in crate::plan::backtest::measures().into_iter().skip(1) {
            let (Some(p), Some(q)) = (
                b.find(origin, horizon, measure, "planner"),
                b.find(origin, horizon, measure, "persistence"),
            ) else {
                continue;
            };
            let _ = writeln!(
                out,
                "| {origin} | {measure} | {:.2} pp | {:.2} pp | {:.1}% | {:.1}% | {:.0}% |",
                p.median_share_error_pp.unwrap_or(f64::NAN),
                q.median_share_error_pp.unwrap_or(f64::NAN),
                p.median_error_pct,
                q.median_error_pct,
                p.coverage_pct
            );
        }
    }
    out
}

/// The age structure's one-year hold-out: per age band, each method's median error and the
/// planner's 80% coverage, as Markdown; empty without the published ages.
pub fn ages_table(b: &Backtest) -> String {
    let Some(origin) = b.age_origin else {
        return String::new();
    };
    let mut out = header(&["age band", "LAs"], &["planner 80% coverage"]);
    for (band, _, _) in crate::plan::ages::AGE_BANDS {
        let Some(p) = b.find(origin, 1, band, "planner") else {
            continue;
        };
        let _ = write!(
            out,
            "| {} | {} |",
            band.trim_start_matches("age-"),
            p.authorities
        );
        for m in METHODS {
            let s = b.find(origin, 1, band, m);
            let _ = write!(
                out,
                " {} |",
                cell(s, |s| format!("{:.2}%", s.median_error_pct))
            );
        }
        let _ = writeln!(out, " {:.0}% |", p.coverage_pct);
    }
    out
}

/// Writes `backtest.csv`, `backtest.json` and (with the `report` feature) `backtest.html` into
/// `dir`, each whole or not at all.
pub fn write_backtest(
    b: &Backtest,
    dir: &std::path::Path,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let files = [
        ("backtest.csv", backtest_csv(b)),
        ("backtest.json", backtest_json(b)),
        #[cfg(feature = "report")]
        ("backtest.html", html::backtest_html(b)),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        crate::io::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
