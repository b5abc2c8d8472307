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

use super::results::{PlanResults, Quantiles, ScenarioResult};
use crate::model::Need;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeSet;
use std::error::Error;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};

mod charts;
use charts::*;

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
        super::scap::scap_csv(results),
    ];
    let mut written = Vec::with_capacity(REPORT_FILES.len());
    for (name, text) in REPORT_FILES.iter().zip(contents) {
        let path = dir.join(name);
        write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `bytes` to `path.partial`, flushes it to disk, then renames it over `path`; on failure
/// the partial file is removed.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let outcome = fs::File::create(&partial)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&partial, path));
    if outcome.is_err() {
        let _ = fs::remove_file(&partial);
    }
    outcome
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

fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
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

pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
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

/// What the page shows, gathered once from the results.
struct Page<'a> {
    r: &'a PlanResults,
    /// Every year any scenario has, ascending.
    years: Vec<i32>,
    /// Census need codes with a shortfall metric in the final year, largest shortfall first.
    needs: Vec<String>,
    /// Kinds of setting in the mix (metric suffix, plain name).
    kinds: Vec<(String, String)>,
}

impl<'a> Page<'a> {
    fn new(r: &'a PlanResults) -> Page<'a> {
        let years: Vec<i32> = r
            .scenarios
            .iter()
            .flat_map(|s| s.years.iter().map(|y| y.year))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let last = years.last().copied();
        let final_metrics = |prefix: &str| -> BTreeSet<String> {
            let Some(last) = last else {
                return BTreeSet::new();
            };
            r.scenarios
                .iter()
                .filter_map(|s| s.years.iter().find(|y| y.year == last))
                .flat_map(|y| {
                    y.metrics
                        .keys()
                        .filter_map(|k| k.strip_prefix(prefix).map(str::to_string))
                })
                .collect()
        };
        let biggest = |code: &str| {
            let name = format!("{NEED_PREFIX}{code}");
            r.scenarios
                .iter()
                .filter_map(|s| last.and_then(|y| metric(s, y, &name)))
                .map(|q| q.p50)
                .fold(0.0, f64::max)
        };
        let mut needs: Vec<(f64, String)> = final_metrics(NEED_PREFIX)
            .into_iter()
            .map(|c| (biggest(&c), c))
            .collect();
        needs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let found = final_metrics(SHARE_PREFIX);
        let largest_share = |kind: &str| {
            let name = format!("{SHARE_PREFIX}{kind}");
            r.scenarios
                .iter()
                .filter_map(|s| last.and_then(|y| metric(s, y, &name)))
                .map(|q| q.p50)
                .fold(0.0, f64::max)
        };
        let mut kinds: Vec<(String, String)> = SHARE_KINDS
            .iter()
            .enumerate()
            .filter(|(i, (k, _))| found.contains(*k) && (*i < 4 || largest_share(k) > 0.0))
            .map(|(_, (k, n))| (k.to_string(), n.to_string()))
            .collect();
        for k in &found {
            if !SHARE_KINDS.iter().any(|(known, _)| known == k) && largest_share(k) > 0.0 {
                kinds.push((k.clone(), k.replace('-', " ")));
            }
        }
        Page {
            r,
            years,
            needs: needs.into_iter().map(|(_, c)| c).collect(),
            kinds,
        }
    }

    fn last(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// First and last year for the title: from the data, else from the plan's settings.
    fn span(&self) -> (i32, i32) {
        match (self.years.first(), self.years.last()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => (
                self.r.base_year,
                self.r.base_year + self.r.years.saturating_sub(1) as i32,
            ),
        }
    }

    fn write(&self, out: &mut String) -> fmt::Result {
        let r = self.r;
        let area = if r.area.trim().is_empty() {
            "the area".to_string()
        } else {
            r.area.clone()
        };
        let (first, last) = self.span();
        let period = if first == last {
            academic(first)
        } else {
            format!("{} to {}", academic(first), academic(last))
        };
        writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">"
        )?;
        writeln!(
            out,
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        )?;
        writeln!(
            out,
            "<title>SEND place sufficiency: {}, {}</title>",
            escape(&area),
            escape(&period)
        )?;
        writeln!(out, "<style>{CSS}</style>\n</head>\n<body>\n<main>")?;
        writeln!(
            out,
            "<h1>School places for children with SEND in {}</h1>",
            escape(&area)
        )?;
        if r.scenarios.is_empty() {
            writeln!(
                out,
                "<p class=\"lede\">This plan has no scenario results.</p>"
            )?;
        } else {
            writeln!(
                out,
                "<p class=\"lede\">Will there be a suitable school place for every child with special educational needs and disabilities? \
             Projection for the academic years {}, {}.</p>",
                escape(&period),
                match r.scenarios.len() {
                    1 => "for one scenario".to_string(),
                    n => format!("comparing {n} scenarios"),
                }
            )?;
        }
        writeln!(
            out,
            "<div class=\"howto\"><h2 class=\"plain\">How to read this report</h2><p>Each scenario was simulated {} times, each time with a different \
             plausible future (random seed {}). Figures give the <strong>median</strong> — the middle result — and, in brackets, the range from \
             the <strong>10th to the 90th percentile</strong>: 8 out of 10 simulations fell inside it. These are projections, not forecasts, \
             and they are advisory: people decide. Every figure for every measure is also in <code>metrics.csv</code> and \
             <code>results.json</code> beside this page.</p></div>",
            grouped(i64::from(r.draws)),
            r.seed
        )?;
        self.write_summaries(out)?;
        writeln!(out, "<h2>Charts and figures</h2>")?;
        self.write_shortfall(out)?;
        self.write_cost(out)?;
        self.write_mix(out)?;
        self.write_needs(out)?;
        writeln!(out, "<h2>Assumptions</h2>")?;
        if r.assumptions.is_empty() {
            writeln!(out, "<p>No assumptions were recorded with this plan.</p>")?;
        } else {
            writeln!(out, "<ul class=\"assumptions\">")?;
            for a in &r.assumptions {
                writeln!(out, "<li>{}</li>", escape(a))?;
            }
            writeln!(out, "</ul>")?;
        }
        writeln!(out, "<h2>About these figures</h2>")?;
        writeln!(
            out,
            "<dl class=\"facts\"><dt>Area</dt><dd>{}</dd><dt>Base year</dt><dd>{}</dd><dt>Years projected</dt><dd>{}</dd>\
             <dt>Simulations (draws) per scenario</dt><dd>{}</dd><dt>Random seed</dt><dd>{}</dd></dl>",
            escape(&area),
            academic(r.base_year),
            r.years,
            grouped(i64::from(r.draws)),
            r.seed
        )?;
        writeln!(
            out,
            "<p class=\"small\">Produced by placewise. Running the same plan with the same seed gives the same figures.</p>"
        )?;
        writeln!(out, "</main>\n</body>\n</html>")
    }

    fn write_summaries(&self, out: &mut String) -> fmt::Result {
        writeln!(out, "<h2>Summary by scenario</h2>")?;
        let scenarios = &self.r.scenarios;
        let Some(last) = self.last() else {
            return writeln!(
                out,
                "<p>This plan has no scenario results, so there is nothing to summarise or compare.</p>"
            );
        };
        let first = self.years[0];
        writeln!(out, "<div class=\"scenarios\">")?;
        for (i, s) in scenarios.iter().enumerate() {
            writeln!(
                out,
                "<section class=\"scenario\" style=\"--swatch:{}\">",
                hex(scenario_colour(i))
            )?;
            writeln!(out, "<h3>{}</h3>", escape(&s.name))?;
            if !s.description.trim().is_empty() {
                writeln!(out, "<p class=\"desc\">{}</p>", escape(&s.description))?;
            }
            let mut lines = Vec::new();
            let unplaced = metric(s, last, UNPLACED);
            let cost = metric(s, last, COST);
            let stats: Vec<String> = [
                (
                    unplaced.map(|q| count(q.p50)),
                    "children without a suitable place",
                ),
                (cost.map(|q| money(q.p50)), "high-needs cost a year"),
            ]
            .into_iter()
            .filter_map(|(v, what)| {
                v.map(|v| format!("<div><span class=\"big\">{v}</span> {what}</div>"))
            })
            .collect();
            if !stats.is_empty() {
                writeln!(
                    out,
                    "<div class=\"stats\" aria-hidden=\"true\">{}<div class=\"when\">{}, median</div></div>",
                    stats.concat(),
                    academic(last)
                )?;
            }
            let mut headline = format!("In {} (median), ", academic(last));
            match unplaced {
                Some(q) if count(q.p50) == "0" => {
                    headline.push_str("no child would be left without a suitable place")
                }
                Some(q) => {
                    let verb = if count(q.p50) == "1" {
                        "child would"
                    } else {
                        "children would"
                    };
                    write!(
                        headline,
                        "<strong>{} {verb} have no suitable place</strong>",
                        count(q.p50)
                    )?;
                }
                None if cost.is_none() => {
                    headline = format!("No figures were recorded for {}", academic(last))
                }
                None => headline
                    .push_str("the number of children without a suitable place was not recorded"),
            }
            if let Some(q) = unplaced {
                write!(
                    headline,
                    " (10th–90th percentile {}–{})",
                    count(q.p10),
                    count(q.p90)
                )?;
                if first != last
                    && let Some(q0) = metric(s, first, UNPLACED)
                {
                    write!(
                        headline,
                        ", compared with {} in {}",
                        count(q0.p50),
                        academic(first)
                    )?;
                }
            }
            if let Some(q) = cost {
                write!(
                    headline,
                    "; high-needs cost <strong>{}</strong> a year ({}–{})",
                    money(q.p50),
                    money(q.p10),
                    money(q.p90)
                )?;
            }
            headline.push('.');
            lines.push(headline);
            if let (Some(f), Some(fc)) = (
                metric(s, last, "fallback"),
                metric(s, last, "cost.fallback"),
            ) && f.p50 > 0.0
            {
                lines.push(format!(
                    "Fallback placements for children with plans and no suitable place (an independent or out-of-area special place): <strong>{}</strong> ({}–{}), costing <strong>{}</strong> a year, included in the high-needs cost.",
                    count(f.p50),
                    count(f.p10),
                    count(f.p90),
                    money(fc.p50)
                ));
            }
            let mix: Vec<String> = self
                .kinds
                .iter()
                .filter_map(|(k, name)| {
                    metric(s, last, &format!("{SHARE_PREFIX}{k}"))
                        .map(|q| format!("{} {}", percent(q.p50), name.to_lowercase()))
                })
                .collect();
            if !mix.is_empty() {
                lines.push(format!("Children with plans by type of setting (fallback placements counted as independent): {}.", mix.join(", ")));
            }
            if i > 0 {
                lines.extend(compare(s, &scenarios[0], last));
            }
            for line in lines {
                writeln!(out, "<p>{line}</p>")?;
            }
            writeln!(out, "</section>")?;
        }
        writeln!(out, "</div>")
    }

    fn write_shortfall(&self, out: &mut String) -> fmt::Result {
        let title = "Children without a suitable place, by year";
        let (svg, _) = time_chart(
            self,
            UNPLACED,
            1.0,
            false,
            "Children without a suitable place",
            title,
        );
        let note = format!("{BAND_NOTE}{}", self.hidden_lines(UNPLACED));
        figure(out, 1, "shortfall", title, &note, &svg)?;
        self.year_table(
            out,
            1,
            "Children without a suitable place: median (10th–90th percentile)",
            UNPLACED,
            count,
        )
    }

    /// A sentence naming the scenarios whose median line for `name` is the same as an earlier
    /// scenario's in every year, and so is hidden under it (empty when there are none).
    fn hidden_lines(&self, name: &str) -> String {
        let medians = |s: &ScenarioResult| -> Vec<Option<f64>> {
            self.years
                .iter()
                .map(|&y| metric(s, y, name).map(|q| q.p50))
                .collect()
        };
        let all: Vec<Vec<Option<f64>>> = self.r.scenarios.iter().map(medians).collect();
        let mut sentences = String::new();
        for (j, line) in all.iter().enumerate() {
            if line.iter().all(Option::is_none) {
                continue;
            }
            if let Some(i) = (0..j).find(|&i| all[i] == *line) {
                write!(
                    sentences,
                    " The median line of {} is the same as that of {} and lies under it.",
                    self.r.scenarios[j].name, self.r.scenarios[i].name
                )
                .ok();
            }
        }
        sentences
    }

    fn write_cost(&self, out: &mut String) -> fmt::Result {
        let title = "Annual high-needs cost, by year (£ million)";
        let (svg, zoomed) = time_chart(
            self,
            COST,
            1e-6,
            true,
            "High-needs cost (£ million a year)",
            title,
        );
        let mut note = format!("{BAND_NOTE}{}", self.hidden_lines(COST));
        if zoomed {
            note.push_str(
                " The vertical axis does not start at zero, so that the scenarios can be told apart.",
            );
        }
        figure(out, 2, "cost", title, &note, &svg)?;
        self.year_table(
            out,
            2,
            "Annual high-needs cost: median (10th–90th percentile)",
            COST,
            money,
        )
    }

    fn write_mix(&self, out: &mut String) -> fmt::Result {
        let when = self
            .last()
            .map_or_else(|| "final year".to_string(), academic);
        let title = format!("Where children with a place would be, {when} (median share)");
        let svg = mix_chart(self, &title);
        figure(
            out,
            3,
            "mix",
            &title,
            "Each bar is one scenario; segments are the median share of children in each kind of setting (medians of the shares need not add up to exactly 100%).",
            &svg,
        )?;
        writeln!(
            out,
            "<div class=\"table-wrap\">\n<table>\n<caption>Table 3. Share of children with a place by kind of setting, {when}: median (10th–90th percentile)</caption>"
        )?;
        write!(out, "<thead><tr><th scope=\"col\">Scenario</th>")?;
        for (i, (_, name)) in self.kinds.iter().enumerate() {
            write!(
                out,
                "<th scope=\"col\">{}</th>",
                keyed(KIND_COLOURS[i % KIND_COLOURS.len()], name)
            )?;
        }
        writeln!(out, "</tr></thead>\n<tbody>")?;
        for (i, s) in self.r.scenarios.iter().enumerate() {
            write!(out, "<tr>{}", row_header(i, &s.name))?;
            for (k, _) in &self.kinds {
                let q = self
                    .last()
                    .and_then(|y| metric(s, y, &format!("{SHARE_PREFIX}{k}")));
                write!(out, "{}", cell(q, percent))?;
            }
            writeln!(out, "</tr>")?;
        }
        writeln!(out, "</tbody>\n</table>\n</div>")
    }

    fn write_needs(&self, out: &mut String) -> fmt::Result {
        let when = self
            .last()
            .map_or_else(|| "final year".to_string(), academic);
        let title = format!("Children without a suitable place by primary need, {when}");
        let svg = needs_chart(self, &title);
        figure(
            out,
            4,
            "needs",
            &title,
            "Bars show the median; whiskers the 10th–90th percentile range. Need codes are explained in Table 4.",
            &svg,
        )?;
        writeln!(
            out,
            "<div class=\"table-wrap\">\n<table>\n<caption>Table 4. Children without a suitable place by primary need, {when}: median (10th–90th percentile)</caption>"
        )?;
        self.scenario_header(out, "Primary need")?;
        for code in &self.needs {
            write!(
                out,
                "<tr><th scope=\"row\"><abbr>{}</abbr> {}</th>",
                escape(code),
                escape(need_name(code))
            )?;
            for s in &self.r.scenarios {
                let q = self
                    .last()
                    .and_then(|y| metric(s, y, &format!("{NEED_PREFIX}{code}")));
                write!(out, "{}", cell(q, count))?;
            }
            writeln!(out, "</tr>")?;
        }
        if self.needs.is_empty() {
            writeln!(
                out,
                "<tr><td colspan=\"{}\" class=\"none\">No shortfall by need was recorded.</td></tr>",
                self.r.scenarios.len() + 1
            )?;
        }
        writeln!(out, "</tbody>\n</table>\n</div>")
    }

    /// `<thead>` with one column per scenario (with its colour key), and `<tbody>` opened.
    fn scenario_header(&self, out: &mut String, first: &str) -> fmt::Result {
        write!(out, "<thead><tr><th scope=\"col\">{first}</th>")?;
        for (i, s) in self.r.scenarios.iter().enumerate() {
            write!(
                out,
                "<th scope=\"col\">{}</th>",
                keyed(scenario_colour(i), &s.name)
            )?;
        }
        writeln!(out, "</tr></thead>\n<tbody>")
    }

    /// A table with one row per year and one column per scenario.
    fn year_table(
        &self,
        out: &mut String,
        n: usize,
        caption: &str,
        name: &str,
        format: fn(f64) -> String,
    ) -> fmt::Result {
        writeln!(
            out,
            "<div class=\"table-wrap\">\n<table>\n<caption>Table {n}. {}</caption>",
            escape(caption)
        )?;
        self.scenario_header(out, "Academic year")?;
        for &year in &self.years {
            write!(out, "<tr><th scope=\"row\">{}</th>", academic(year))?;
            for s in &self.r.scenarios {
                write!(out, "{}", cell(metric(s, year, name), format))?;
            }
            writeln!(out, "</tr>")?;
        }
        if self.years.is_empty() {
            writeln!(
                out,
                "<tr><td colspan=\"{}\" class=\"none\">No figures were recorded.</td></tr>",
                self.r.scenarios.len() + 1
            )?;
        }
        writeln!(out, "</tbody>\n</table>\n</div>")
    }
}

/// Sentences comparing a scenario's final year with the baseline's.
fn compare(s: &ScenarioResult, base: &ScenarioResult, year: i32) -> Option<String> {
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (metric(s, year, UNPLACED), metric(base, year, UNPLACED)) {
        let d = a.p50.round() - b.p50.round();
        parts.push(match d {
            d if d < 0.0 => format!("{} fewer children without a place", count(-d)),
            d if d > 0.0 => format!("{} more children without a place", count(d)),
            _ => "the same number of children without a place".to_string(),
        });
    }
    if let (Some(a), Some(b)) = (metric(s, year, COST), metric(base, year, COST)) {
        let d = a.p50 - b.p50;
        parts.push(match money(d.abs()).as_str() {
            "£0" | "£0k" | "£0.0m" => "about the same cost".to_string(),
            m if d < 0.0 => format!("{m} a year less"),
            m => format!("{m} a year more"),
        });
    }
    (!parts.is_empty()).then(|| {
        format!(
            "Compared with {} (medians): {}.",
            escape(&base.name),
            parts.join("; ")
        )
    })
}

fn row_header(i: usize, name: &str) -> String {
    format!("<th scope=\"row\">{}</th>", keyed(scenario_colour(i), name))
}

/// `name` with a colour key before it (a background square, which cannot wrap away from the
/// name).
fn keyed(colour: RGBColor, name: &str) -> String {
    format!(
        "<span class=\"keyed\" style=\"--c:{}\">{}</span>",
        hex(colour),
        escape(name)
    )
}

fn cell(q: Option<Quantiles>, format: fn(f64) -> String) -> String {
    match q {
        Some(q) => format!(
            "<td>{} <span class=\"range\">({}–{})</span></td>",
            format(q.p50),
            format(q.p10),
            format(q.p90)
        ),
        None => "<td class=\"none\">—</td>".to_string(),
    }
}

fn figure(out: &mut String, n: usize, id: &str, title: &str, note: &str, svg: &str) -> fmt::Result {
    writeln!(
        out,
        "<figure id=\"figure-{id}\">\n<figcaption><span class=\"num\">Figure {n}.</span> {}</figcaption>\n{svg}\n<p class=\"note\">{}</p>\n</figure>",
        escape(title),
        escape(note)
    )
}

// ---------------------------------------------------------------------------------------------
// Charts (plotters, SVG backend into a String; text is SVG <text>, set in the reader's sans-serif
// font by the browser, so no font is needed at build or run time).

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
