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

use crate::model::Need;
use crate::model::grouped;
use crate::plan::results::{PlanResults, Quantiles, ScenarioResult};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use scap::csv_field;
use std::collections::BTreeSet;
use std::error::Error;
use std::fmt::{self, Write as _};
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

mod axes;
mod charts;
mod lead;
mod page;
pub mod scap;
use axes::*;
use charts::*;
pub use lead::summary_text;
use page::*;

/// The file names [`write_report`] writes, in this order.
pub const REPORT_FILES: [&str; 4] = ["metrics.csv", "results.json", "report.html", "scap.csv"];

/// Writes `metrics.csv`, `results.json` and `report.html` into `dir` (created if missing),
/// atomically per file (each is written to `NAME.partial`, then renamed). Returns the paths
/// written, in the order of [`REPORT_FILES`].
///
/// ```no_run
/// use placewise::plan::{PlanResults, report::write_report};
/// let results = PlanResults::default();
/// let written = write_report(&results, "out/plan".as_ref()).unwrap();
/// assert_eq!(written.len(), 4);
/// ```
pub fn write_report(results: &PlanResults, dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let contents = [
        metrics_csv(results),
        results_json(results),
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

/// The self-contained HTML report: inline CSS and inline `<svg>` charts, no scripts, fonts or
/// links to anything outside the page.
///
/// ```
/// use placewise::plan::{PlanResults, report::report_html};
/// let html = report_html(&PlanResults { area: "Marlshire".into(), ..Default::default() });
/// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Marlshire"));
/// ```
pub fn report_html(results: &PlanResults) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = Page::new(results).write(&mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// Metrics the page reads.

const UNPLACED: &str = "unplaced";
const BAND_NOTE: &str = "Lines show the median; shaded bands the 10th–90th percentile range.";
const COST: &str = "cost.total";
const SHARE_PREFIX: &str = "share.";
const NEED_PREFIX: &str = "unplaced.need.";

/// Kinds of setting in the placement mix, in the order shown, with their plain names.
const SHARE_KINDS: [(&str, &str); 9] = [
    ("mainstream", "Mainstream school"),
    ("resource-base", "Resource base or unit"),
    ("state-special", "State special school"),
    (
        "independent-special",
        "Independent or non-maintained special",
    ),
    ("special", "Special school"),
    ("independent", "Independent school"),
    ("alternative-provision", "Alternative provision"),
    ("further-education", "Further education"),
    ("elsewhere", "Educated elsewhere"),
];

/// One colour per scenario: the Okabe–Ito palette, distinguishable with the common forms of
/// colour blindness, darkest first (yellow last: weak on white).
const SCENARIO_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// Colours for the kinds of setting: Paul Tol's colour-blind-safe "light" scheme (dark text
/// reads on every one of them).
const KIND_COLOURS: [RGBColor; 7] = [
    RGBColor(119, 170, 221),
    RGBColor(68, 187, 153),
    RGBColor(238, 221, 136),
    RGBColor(238, 136, 102),
    RGBColor(255, 170, 187),
    RGBColor(153, 221, 255),
    RGBColor(221, 221, 221),
];

const INK: RGBColor = RGBColor(34, 34, 34);
const GRID: RGBColor = RGBColor(222, 222, 222);
const WIDTH: u32 = 900;

fn scenario_colour(i: usize) -> RGBColor {
    SCENARIO_COLOURS[i % SCENARIO_COLOURS.len()]
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The metric of a scenario in a year, when recorded and finite.
fn metric(s: &ScenarioResult, year: i32, name: &str) -> Option<Quantiles> {
    let q = *s.years.iter().find(|y| y.year == year)?.metrics.get(name)?;
    [q.p10, q.p50, q.p90]
        .iter()
        .all(|v| v.is_finite())
        .then_some(q)
}

/// Plain name of a census need code (the code itself when unknown).
fn need_name(code: &str) -> &str {
    match Need::parse(code) {
        Some(Need::Asd) => "Autism",
        Some(Need::Slcn) => "Speech, language and communication needs",
        Some(Need::Semh) => "Social, emotional and mental health",
        Some(Need::Mld) => "Moderate learning difficulty",
        Some(Need::Sld) => "Severe learning difficulty",
        Some(Need::Pmld) => "Profound and multiple learning difficulty",
        Some(Need::Spld) => "Specific learning difficulty",
        Some(Need::Hi) => "Hearing impairment",
        Some(Need::Vi) => "Visual impairment",
        Some(Need::Msi) => "Multi-sensory impairment",
        Some(Need::Pd) => "Physical disability",
        Some(Need::Oth) => "Other difficulty or disability",
        Some(Need::Nsa) => "SEN support, no specialist assessment",
        None => code,
    }
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

/// A fraction 0–1 as a whole percentage.
fn percent(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", fixed(v * 100.0, 0))
    } else {
        "n/a".into()
    }
}

/// The academic year starting in September of `year`, e.g. `2031/32`.
fn academic(year: i32) -> String {
    format!("{year}/{:02}", (year + 1).rem_euclid(100))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `name`, cut to `max` characters with an ellipsis.
fn truncate(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(max - 1).collect::<String>())
    }
}

// ---------------------------------------------------------------------------------------------
// The page.

const CSS: &str = r#"
:root { --ink: #1b1b1b; --muted: #4b5559; --rule: #b1b4b6; --accent: #1d70b8; --soft: #f3f2f1; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 20px 56px; }
h1 { font-size: 2.1rem; line-height: 1.2; margin: 0 0 0.3em; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2em 0 0.6em; padding-top: 0.4em; border-top: 4px solid var(--accent); }
h2.plain { font-size: 1.15rem; margin: 0 0 0.3em; padding: 0; border: 0; }
h3 { font-size: 1.2rem; margin: 0 0 0.3em; }
p { margin: 0 0 0.7em; }
.lede { font-size: 1.2rem; color: var(--muted); }
.howto { background: var(--soft); border-left: 6px solid var(--accent); padding: 14px 18px 6px; margin: 20px 0; }
.scenarios { display: grid; grid-template-columns: repeat(auto-fit, minmax(290px, 1fr)); gap: 16px; }
.scenario { -webkit-print-color-adjust: exact; print-color-adjust: exact; border: 1px solid var(--rule); border-top: 8px solid var(--swatch); padding: 14px 18px 8px; }
.scenario .desc { color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 8px 0 12px; padding: 8px 0; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
.stats > div { line-height: 1.25; font-size: 0.95rem; max-width: 11em; }
.stats .big { display: block; font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.stats .when { flex-basis: 100%; max-width: none; color: var(--muted); font-size: 0.85rem; }
figure { margin: 28px 0 10px; }
figcaption { font-size: 1.15rem; font-weight: 700; margin-bottom: 8px; }
figcaption .num { color: var(--accent); }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #e1e1e1; }
.note { color: var(--muted); font-size: 0.95rem; margin-top: 6px; }
table { width: 100%; border-collapse: collapse; margin: 10px 0 8px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0 8px; }
.table-wrap { overflow-x: auto; margin-bottom: 20px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--rule); text-align: right; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
th[scope="row"], thead th:first-child { text-align: left; }
td.none { color: var(--muted); text-align: center; }
.range { color: var(--muted); font-size: 0.9em; white-space: nowrap; }
.keyed { padding-left: 1.3em; -webkit-print-color-adjust: exact; print-color-adjust: exact;
  background: linear-gradient(var(--c), var(--c)) no-repeat 1px calc(0.22em + 1px) / calc(0.85em - 2px) calc(0.85em - 2px),
              linear-gradient(rgba(0,0,0,0.35), rgba(0,0,0,0.35)) no-repeat 0 0.22em / 0.85em 0.85em; }
abbr { font-weight: 700; text-decoration: none; margin-right: 0.3em; }
code { font-size: 0.95em; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.small { color: var(--muted); font-size: 0.9rem; margin-top: 1.5em; }
@media print { figure, table, .scenario { break-inside: avoid; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tick_by_whole_numbers() {
        let (range, ticks_at, decimals) = ticks(0.0, 11.4, 1.0);
        assert_eq!(decimals, 0);
        assert!(ticks_at.iter().all(|t| t.fract() == 0.0), "{ticks_at:?}");
        assert!(range.end >= 11.4 && range.start == 0.0);
        let (_, ticks_at, _) = ticks(0.0, 5.0, 1.0);
        assert_eq!(ticks_at, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let (_, ticks_at, decimals) = ticks(0.0, 1.17, 0.0);
        assert_eq!(decimals, 2);
        assert_eq!(ticks_at.last(), Some(&1.25));
        let (range, _, _) = ticks(38.0, 56.0, 0.0);
        assert!(range.start > 0.0 && range.start <= 38.0 && range.end >= 56.0);
    }

    #[test]
    fn numbers_read_plainly() {
        assert_eq!(money(54_213_456.0), "£54.2m");
        assert_eq!(money(765_000.0), "£765k");
        assert_eq!(money(-450_000.0), "-£450k");
        assert_eq!(money(-0.2), "£0");
        assert_eq!(money(f64::NAN), "n/a");
        assert_eq!(count(1234.4), "1,234");
        assert_eq!(count(-0.3), "0");
        assert_eq!(percent(0.534), "53%");
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(academic(2031), "2031/32");
        assert_eq!(academic(1999), "1999/00");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
