//! The plan report: every metric as CSV and JSON for other programs, and a self-contained HTML
//! page for councillors and officers — a plain-English summary per scenario, SVG charts (drawn
//! with plotters) comparing the scenarios, tables with the same figures, the assumptions, the
//! number of draws and the seed.
//!
//! The page reads these metrics of [`PlanResults`] (any may be missing; what is missing is left
//! out or shown as "n/a"): `unplaced` (children without a suitable place), `cost.total` (annual
//! high-needs cost in pounds), `share.*` (fractions 0–1 of children with a setting, by kind of
//! setting) and `unplaced.need.CODE` (shortfall by census need code). The CSV and JSON carry
//! every metric.
//!
//! Output is deterministic: the same results give the same bytes (no clock, ordered maps, fixed
//! number formats).

use crate::model::grouped;
use crate::plan::results::PlanResults;
#[cfg(feature = "report")]
use crate::plan::results::{Quantiles, ScenarioResult};
use scap::csv_field;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[cfg(feature = "report")]
mod axes;
#[cfg(feature = "report")]
mod charts;
#[cfg(feature = "report")]
mod figures;
#[cfg(feature = "report")]
mod lead;
#[cfg(feature = "report")]
mod page;
#[cfg(feature = "report")]
mod planning;
pub mod scap;
#[cfg(feature = "report")]
mod summaries;
mod summary;
#[cfg(feature = "report")]
pub use page::report_html;
pub use summary::summary_text;

/// The file names [`write_report`] writes, in this order.
#[cfg(feature = "report")]
pub const REPORT_FILES: [&str; 4] = ["metrics.csv", "results.json", "report.html", "scap.csv"];
/// The file names [`write_report`] writes, in this order (the HTML page needs the `report`
/// feature).
#[cfg(not(feature = "report"))]
pub const REPORT_FILES: [&str; 3] = ["metrics.csv", "results.json", "scap.csv"];

/// Writes `metrics.csv`, `results.json`, `report.html` (with the `report` feature) and
/// `scap.csv` into `dir` (created if missing), atomically per file (each is written to
/// `NAME.partial`, then renamed). Returns the paths written, in the order of [`REPORT_FILES`].
///
/// ```no_run
/// use placewise::{PlanResults, render::plan::write_report};
/// let results = PlanResults::default();
/// let written = write_report(&results, "out/plan".as_ref()).unwrap();
/// assert_eq!(written.len(), placewise::render::plan::REPORT_FILES.len());
/// ```
pub fn write_report(results: &PlanResults, dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let contents = [
        metrics_csv(results),
        results_json(results),
        #[cfg(feature = "report")]
        report_html(results),
        scap::scap_csv(results),
    ];
    let mut written = Vec::with_capacity(REPORT_FILES.len());
    for (name, text) in REPORT_FILES.iter().zip(contents) {
        let path = dir.join(name);
        crate::io::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Every metric as CSV: header `scenario,year,metric,p10,p50,p90,mean`, one row per scenario,
/// year and metric, sorted by scenario (in plan order), year, then metric name. Numbers have
/// four decimal places.
pub fn metrics_csv(results: &PlanResults) -> String {
    let mut out = String::from("scenario,year,metric,p10,p50,p90,mean\n");
    for scenario in &results.scenarios {
        let mut years: Vec<_> = scenario.years.iter().collect();
        years.sort_by_key(|y| y.year);
        for year in years {
            for (metric, q) in &year.metrics {
                let fields = [
                    csv_field(&scenario.name),
                    year.year.to_string(),
                    csv_field(metric),
                    fixed(q.p10, 4),
                    fixed(q.p50, 4),
                    fixed(q.p90, 4),
                    fixed(q.mean, 4),
                ];
                out.push_str(&fields.join(","));
                out.push('\n');
            }
        }
    }
    out
}

/// The results as pretty-printed JSON (the serde form of [`PlanResults`], which reads back with
/// `serde_json::from_str`), ending in a newline. Non-finite numbers become `null`.
pub fn results_json(results: &PlanResults) -> String {
    let mut text = serde_json::to_string_pretty(results)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------------------------
// Number formats (fixed precision, no "-0").

fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// The academic year starting in September of `year`, e.g. `2031/32`.
#[cfg(feature = "report")]
fn academic(year: i32) -> String {
    format!("{year}/{:02}", (year + 1).rem_euclid(100))
}

/// A number of children, rounded, with thousands separators.
fn count(v: f64) -> String {
    if v.is_finite() {
        grouped(v.round() as i64)
    } else {
        "n/a".into()
    }
}

/// Pounds as `£54.2m`, `£450k` or `£900` (a minus sign only when the rounded figure is not 0).
fn money(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let a = v.abs();
    let magnitude = if a >= 1e6 {
        format!("£{}m", fixed(a / 1e6, 1))
    } else if a >= 1e3 {
        format!("£{}k", fixed(a / 1e3, 0))
    } else {
        format!("£{}", fixed(a, 0))
    };
    if v < 0.0 && magnitude.chars().any(|c| ('1'..='9').contains(&c)) {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_plainly() {
        assert_eq!(money(54_213_456.0), "£54.2m");
        assert_eq!(money(765_000.0), "£765k");
        assert_eq!(money(-450_000.0), "-£450k");
        assert_eq!(money(-0.2), "£0");
        assert_eq!(money(f64::NAN), "n/a");
        assert_eq!(count(1234.4), "1,234");
        assert_eq!(count(-0.3), "0");
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
