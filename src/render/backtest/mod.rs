//! The back-test's renderers: one CSV row per authority, horizon and method, the whole result
//! as JSON, the overall table as Markdown, and (with the `report` feature) the HTML page; and
//! the writer of the three files.

#[cfg(feature = "report")]
mod html;

use crate::plan::backtest::Backtest;
use crate::render::plan::scap::csv_field;
use std::fmt::Write as _;

/// One row per authority, horizon and method:
/// `la,year,horizon,method,published_total,forecast_total,total_error_pct,share_error_pp`.
pub fn backtest_csv(b: &Backtest) -> String {
    let mut out = String::from(
        "la,year,horizon,method,published_total,forecast_total,total_error_pct,share_error_pp\n",
    );
    for l in &b.las {
        for c in &l.comparisons {
            for f in &c.forecasts {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{},{:.1},{:.3},{:.3}",
                    csv_field(&l.la),
                    c.year,
                    c.horizon,
                    f.method,
                    c.published_total,
                    f.total,
                    f.total_error_pct,
                    f.share_error_pp
                );
            }
        }
    }
    out
}

/// The whole back-test as JSON.
pub fn backtest_json(b: &Backtest) -> String {
    serde_json::to_string_pretty(b).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// The overall table as Markdown (for the README and the terminal).
pub fn summary_table(b: &Backtest) -> String {
    let mut out = String::from(
        "| horizon | method | LAs | median total-plans error | median share error | planner better on total | planner better on shares |\n|---|---|---|---|---|---|---|\n",
    );
    for s in &b.summary {
        let _ = writeln!(
            out,
            "| {} yr | {} | {} | {:.1}% | {:.2} pp | {} | {} |",
            s.horizon,
            s.method,
            s.authorities,
            s.median_total_error_pct,
            s.median_share_error_pp,
            if s.method == "planner" {
                "–".to_string()
            } else {
                s.planner_better_total.to_string()
            },
            if s.method == "planner" {
                "–".to_string()
            } else {
                s.planner_better_shares.to_string()
            },
        );
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
