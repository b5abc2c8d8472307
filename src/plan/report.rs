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

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), Box<dyn Error>>;

/// A linear axis with the tick positions given. (plotters' `with_key_points` on an `f64` range
/// loses the label formatter; this small axis keeps it.)
struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { range, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let t = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.5
        };
        limit.0 + (f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A text style of `px` CSS pixels (the SVG backend writes the size divided by 1.24).
fn text(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&INK)
}

/// Renders a chart of `size` with `draw`, labelled for screen readers with `label`.
fn render(size: (u32, u32), label: &str, draw: impl FnOnce(&Area<'_>) -> Drawn) -> String {
    let mut buf = String::new();
    let outcome = {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Box::<dyn Error>::from)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(Box::<dyn Error>::from))
    };
    if let Err(e) = outcome {
        buf = format!(
            "<svg width=\"{w}\" height=\"60\" viewBox=\"0 0 {w} 60\" xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"10\" y=\"35\" font-family=\"sans-serif\">The chart could not be drawn: {}</text>\n</svg>\n",
            escape(&e.to_string()),
            w = size.0
        );
    }
    let label = escape(label);
    match buf.find('>') {
        Some(end) if buf.starts_with("<svg") => format!(
            "<svg role=\"img\" aria-label=\"{label}\"{}><title>{label}</title>{}",
            &buf[4..end],
            &buf[end + 1..]
        ),
        _ => buf,
    }
}

/// A chart-sized box saying there is nothing to draw.
fn no_data(label: &str) -> String {
    render((WIDTH, 120), label, |root| {
        root.draw(&Text::new(
            "No figures were recorded for this chart.",
            (WIDTH as i32 / 2, 60),
            text(16.0).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        Ok(())
    })
}

/// Axis ticks: a round step (1, 2, 2.5 or 5 times a power of ten, at least `min_step`; whole
/// numbers when `min_step` is 1 or more) giving about five intervals from `lo` (rounded down to
/// a step) to at least `hi`. Returns the axis range, the ticks and the decimals the tick labels
/// need.
fn ticks(lo: f64, hi: f64, min_step: f64) -> (Range<f64>, Vec<f64>, usize) {
    let lo = if lo.is_finite() { lo } else { 0.0 };
    let hi = if hi.is_finite() && hi > lo {
        hi
    } else {
        lo + 1.0
    };
    let raw = (hi - lo) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    // 2.5 only where fractions are allowed: counts step by 1, 2, 5, 10, 20, 50, …
    let multiples: &[f64] = if min_step >= 1.0 && power < 10.0 {
        &[1.0, 2.0, 5.0, 10.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0, 10.0]
    };
    let step = multiples
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * power)
        .max(min_step);
    let start = (lo / step + 1e-9).floor() * step;
    let n = ((hi - start) / step - 1e-9).ceil().max(1.0) as usize;
    let decimals = (0..3)
        .find(|d| ((step * 10f64.powi(*d as i32)).fract()).abs() < 1e-6)
        .unwrap_or(3);
    (
        start..start + n as f64 * step,
        (0..=n).map(|i| start + i as f64 * step).collect(),
        decimals,
    )
}

fn tick_label(v: f64, decimals: usize, money: bool) -> String {
    let number = if decimals == 0 {
        grouped(v.round() as i64)
    } else {
        fixed(v, decimals)
    };
    if money {
        format!("£{number}m")
    } else {
        number
    }
}

/// What a legend entry shows before its label.
enum Swatch {
    /// A scenario's median line with its marker.
    Line(usize),
    /// The shaded 10th–90th percentile band.
    Band,
    /// A filled box of a colour.
    Block(RGBColor),
    /// A whisker for the 10th–90th percentile.
    Whisker,
}

const LEGEND_ROW: i32 = 26;
const LEGEND_PX: f64 = 14.0;
const LEGEND_LEFT: i32 = 24;

/// Places legend entries in rows within `width`, starting at `left`: (x, row) per entry.
fn legend_layout(items: &[(Swatch, String)], left: i32, width: i32) -> Vec<(i32, i32)> {
    let (mut x, mut row) = (left, 0);
    items
        .iter()
        .map(|(_, label)| {
            let w = 36 + (label.chars().count() as f64 * LEGEND_PX * 0.5) as i32 + 18;
            if x + w > width && x > left {
                x = left;
                row += 1;
            }
            let at = (x, row);
            x += w;
            at
        })
        .collect()
}

fn legend_height(items: &[(Swatch, String)], left: i32) -> u32 {
    let rows = legend_layout(items, left, WIDTH as i32 - 10)
        .last()
        .map_or(0, |(_, row)| row + 1);
    (rows * LEGEND_ROW + 12) as u32
}

fn draw_legend(root: &Area<'_>, items: &[(Swatch, String)], left: i32) -> Drawn {
    for ((swatch, label), (x, row)) in
        items
            .iter()
            .zip(legend_layout(items, left, WIDTH as i32 - 10))
    {
        let y = 8 + row * LEGEND_ROW + LEGEND_ROW / 2;
        match swatch {
            Swatch::Line(i) => {
                let c = scenario_colour(*i);
                root.draw(&PathElement::new(
                    vec![(x, y), (x + 28, y)],
                    c.stroke_width(3),
                ))?;
                draw_marker(root, (x + 14, y), *i)?;
            }
            Swatch::Band => root.draw(&Rectangle::new(
                [(x, y - 8), (x + 28, y + 8)],
                INK.mix(0.15).filled(),
            ))?,
            Swatch::Block(c) => root.draw(&Rectangle::new(
                [(x + 4, y - 8), (x + 24, y + 8)],
                c.filled(),
            ))?,
            Swatch::Whisker => {
                root.draw(&PathElement::new(
                    vec![(x + 14, y - 9), (x + 14, y + 9)],
                    INK.stroke_width(2),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 9, y - 9), (x + 19, y - 9)],
                    INK.stroke_width(2),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 9, y + 9), (x + 19, y + 9)],
                    INK.stroke_width(2),
                ))?;
            }
        }
        root.draw(&Text::new(
            label.clone(),
            (x + 36, y),
            text(LEGEND_PX).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Scenario `i`'s marker (circle, square, triangle, diamond, inverted triangle) at `at`.
fn draw_marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: CT::From,
    i: usize,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let fill = scenario_colour(i).filled();
    let edge = WHITE.stroke_width(1);
    // Five shapes against eight colours: no two of the first forty scenarios look alike.
    match i % 5 {
        0 => area.draw(
            &(EmptyElement::at(at) + Circle::new((0, 0), 6, fill) + Circle::new((0, 0), 6, edge)),
        ),
        1 => area.draw(
            &(EmptyElement::at(at)
                + Rectangle::new([(-5, -5), (5, 5)], fill)
                + Rectangle::new([(-5, -5), (5, 5)], edge)),
        ),
        2 => {
            area.draw(&(EmptyElement::at(at) + Polygon::new(vec![(0, -7), (7, 5), (-7, 5)], fill)))
        }
        3 => area.draw(
            &(EmptyElement::at(at) + Polygon::new(vec![(0, -7), (7, 0), (0, 7), (-7, 0)], fill)),
        ),
        _ => {
            area.draw(&(EmptyElement::at(at) + Polygon::new(vec![(0, 7), (7, -5), (-7, -5)], fill)))
        }
    }
}

/// Median line and 10th–90th percentile band over the years, one per scenario.
/// With `zoom`, the vertical axis starts near the smallest value rather than at zero (the
/// returned flag says whether it did).
fn time_chart(
    page: &Page<'_>,
    name: &str,
    scale: f64,
    zoom: bool,
    y_desc: &str,
    label: &str,
) -> (String, bool) {
    let series: Vec<(usize, Vec<(f64, Quantiles)>)> = page
        .r
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                page.years
                    .iter()
                    .filter_map(|&y| metric(s, y, name).map(|q| (f64::from(y), q)))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, points)| !points.is_empty())
        .collect();
    if series.is_empty() {
        return (no_data(label), false);
    }
    let money = scale != 1.0;
    let max = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, q)| q.p90.max(q.p50) * scale))
        .fold(0.0, f64::max);
    let min = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, q)| q.p10.min(q.p50) * scale))
        .fold(f64::INFINITY, f64::min);
    let (y_range, y_ticks, decimals) = ticks(
        if zoom && min > 0.4 * max {
            min - 0.05 * (max - min)
        } else {
            0.0
        },
        if money {
            max * 1.04
        } else {
            (max * 1.04).max(5.0)
        },
        if money { 0.0 } else { 1.0 },
    );
    let (first, last) = (
        f64::from(page.years[0]),
        f64::from(*page.years.last().unwrap_or(&page.years[0])),
    );
    let every = page.years.len().div_ceil(10).max(1);
    let x_ticks: Vec<f64> = page
        .years
        .iter()
        .step_by(every)
        .map(|&y| f64::from(y))
        .collect();
    let mut items: Vec<(Swatch, String)> = series
        .iter()
        .map(|(i, _)| (Swatch::Line(*i), truncate(&page.r.scenarios[*i].name, 40)))
        .collect();
    items.push((Swatch::Band, "10th–90th percentile".into()));
    let head = legend_height(&items, LEGEND_LEFT);
    let zoomed = y_range.start > 0.0;
    let svg = render((WIDTH, 400 + head), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, &items, LEGEND_LEFT)?;
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(12)
            .margin_right(28)
            .margin_left(6)
            .x_label_area_size(58)
            .y_label_area_size(84)
            .build_cartesian_2d(
                Axis::new(first - 0.3..last + 0.3, x_ticks),
                Axis::new(y_range, y_ticks),
            )?;
        let y_fmt = |v: &f64| tick_label(*v, decimals, money);
        let x_fmt = |v: &f64| academic(v.round() as i32);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(INK.stroke_width(1))
            .label_style(text(13.0))
            .axis_desc_style(text(14.0))
            .x_desc("Academic year (starting in September)")
            .y_desc(y_desc)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        // Fainter bands when many overlap.
        let band_alpha = (0.45 / series.len() as f64).clamp(0.07, 0.16);
        for (i, points) in &series {
            let c = scenario_colour(*i);
            let mut band: Vec<(f64, f64)> =
                points.iter().map(|(x, q)| (*x, q.p90 * scale)).collect();
            band.extend(points.iter().rev().map(|(x, q)| (*x, q.p10 * scale)));
            if points.len() > 1 {
                chart.draw_series(std::iter::once(Polygon::new(
                    band,
                    c.mix(band_alpha).filled(),
                )))?;
                for edge in [
                    points
                        .iter()
                        .map(|(x, q)| (*x, q.p10 * scale))
                        .collect::<Vec<_>>(),
                    points.iter().map(|(x, q)| (*x, q.p90 * scale)).collect(),
                ] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        edge,
                        c.mix(0.45).stroke_width(1),
                    )))?;
                }
            } else {
                let (x, q) = points[0];
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, q.p10 * scale), (x, q.p90 * scale)],
                    c.stroke_width(2),
                )))?;
            }
        }
        // Lines last to first, so the baseline is drawn on top of any scenario that matches it.
        for (i, points) in series.iter().rev() {
            let c = scenario_colour(*i);
            chart.draw_series(LineSeries::new(
                points.iter().map(|(x, q)| (*x, q.p50 * scale)),
                c.stroke_width(3),
            ))?;
            for (x, q) in points {
                draw_marker(chart.plotting_area(), (*x, q.p50 * scale), *i)?;
            }
        }
        Ok(())
    });
    (svg, zoomed)
}

/// One stacked bar per scenario: median share of children in each kind of setting, final year.
fn mix_chart(page: &Page<'_>, label: &str) -> String {
    let Some(last) = page.last() else {
        return no_data(label);
    };
    let bars: Vec<(usize, Vec<f64>)> = page
        .r
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                page.kinds
                    .iter()
                    .map(|(k, _)| {
                        metric(s, last, &format!("{SHARE_PREFIX}{k}"))
                            .map_or(0.0, |q| q.p50.max(0.0))
                    })
                    .collect::<Vec<f64>>(),
            )
        })
        .filter(|(_, shares)| shares.iter().sum::<f64>() > 0.0)
        .collect();
    if bars.is_empty() || page.kinds.is_empty() {
        return no_data(label);
    }
    let names: Vec<String> = bars
        .iter()
        .map(|(i, _)| truncate(&page.r.scenarios[*i].name, 34))
        .collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let left = ((longest as f64 * 13.0 * 0.55) as u32 + 24).clamp(80, 300);
    let items: Vec<(Swatch, String)> = page
        .kinds
        .iter()
        .enumerate()
        .map(|(k, (_, name))| {
            (
                Swatch::Block(KIND_COLOURS[k % KIND_COLOURS.len()]),
                name.clone(),
            )
        })
        .collect();
    let head = legend_height(&items, LEGEND_LEFT);
    let rows = bars.len();
    render((WIDTH, head + 70 + 56 * rows as u32), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, &items, LEGEND_LEFT)?;
        let y_ticks: Vec<f64> = (0..rows).map(|r| r as f64).collect();
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(6)
            .margin_right(28)
            .x_label_area_size(54)
            .y_label_area_size(left)
            .build_cartesian_2d(
                Axis::new(0.0..100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
                Axis::new(-0.5..rows as f64 - 0.5, y_ticks),
            )?;
        // Row r (counted from the bottom) holds bar rows - 1 - r, so the first scenario is on top.
        let y_fmt = |v: &f64| {
            let r = v.round() as usize;
            names
                .get(rows.wrapping_sub(1).wrapping_sub(r))
                .cloned()
                .unwrap_or_default()
        };
        let x_fmt = |v: &f64| format!("{}%", fixed(*v, 0));
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(INK.stroke_width(1))
            .label_style(text(13.0))
            .axis_desc_style(text(14.0))
            .x_desc("Share of children with a place (%)")
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        for (b, (_, shares)) in bars.iter().enumerate() {
            let y = (rows - 1 - b) as f64;
            let total: f64 = shares.iter().sum();
            let scale = if total > 1.0 { 100.0 / total } else { 100.0 };
            let mut x = 0.0;
            for (k, share) in shares.iter().enumerate() {
                let w = share * scale;
                if w <= 0.0 {
                    continue;
                }
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y - 0.32), (x + w, y + 0.32)],
                    KIND_COLOURS[k % KIND_COLOURS.len()].filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y - 0.32), (x + w, y + 0.32)],
                    WHITE.stroke_width(1),
                )))?;
                if w >= 6.0 {
                    let style = text(13.0).pos(Pos::new(HPos::Center, VPos::Center));
                    chart.draw_series(std::iter::once(Text::new(
                        percent(*share),
                        (x + w / 2.0, y),
                        style,
                    )))?;
                }
                x += w;
            }
        }
        Ok(())
    })
}

/// Grouped bars: median shortfall by primary need in the final year, one bar per scenario,
/// with 10th–90th percentile whiskers.
fn needs_chart(page: &Page<'_>, label: &str) -> String {
    let Some(last) = page.last() else {
        return no_data(label);
    };
    if page.needs.is_empty() || page.r.scenarios.is_empty() {
        return no_data(label);
    }
    let values: Vec<Vec<Option<Quantiles>>> = page
        .needs
        .iter()
        .map(|code| {
            page.r
                .scenarios
                .iter()
                .map(|s| metric(s, last, &format!("{NEED_PREFIX}{code}")))
                .collect()
        })
        .collect();
    let max = values
        .iter()
        .flatten()
        .flatten()
        .map(|q| q.p90.max(q.p50))
        .fold(0.0, f64::max);
    let (y_range, y_ticks, _) = ticks(0.0, (max * 1.04).max(5.0), 1.0);
    let n = page.needs.len();
    let m = page.r.scenarios.len();
    let mut items: Vec<(Swatch, String)> = page
        .r
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| (Swatch::Block(scenario_colour(i)), truncate(&s.name, 40)))
        .collect();
    items.push((Swatch::Whisker, "10th–90th percentile".into()));
    let head = legend_height(&items, LEGEND_LEFT);
    render((WIDTH, 400 + head), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, &items, LEGEND_LEFT)?;
        let x_ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(12)
            .margin_right(28)
            .margin_left(6)
            .x_label_area_size(58)
            .y_label_area_size(84)
            .build_cartesian_2d(
                Axis::new(-0.5..n as f64 - 0.5, x_ticks),
                Axis::new(y_range, y_ticks),
            )?;
        let x_fmt = |v: &f64| {
            page.needs
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        let y_fmt = |v: &f64| tick_label(*v, 0, false);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(INK.stroke_width(1))
            .label_style(text(13.0))
            .axis_desc_style(text(14.0))
            .x_desc("Primary need (census code)")
            .y_desc("Children without a suitable place")
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        let group = 0.8;
        let width = group / m as f64;
        for (g, row) in values.iter().enumerate() {
            for (i, q) in row.iter().enumerate() {
                let Some(q) = q else { continue };
                let x0 = g as f64 - group / 2.0 + i as f64 * width;
                let (x1, xc) = (x0 + width * 0.9, x0 + width * 0.45);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, q.p50.max(0.0))],
                    scenario_colour(i).filled(),
                )))?;
                let cap = width * 0.2;
                let whisker = INK.stroke_width(2);
                chart.draw_series([
                    PathElement::new(vec![(xc, q.p10), (xc, q.p90)], whisker),
                    PathElement::new(vec![(xc - cap, q.p10), (xc + cap, q.p10)], whisker),
                    PathElement::new(vec![(xc - cap, q.p90), (xc + cap, q.p90)], whisker),
                ])?;
            }
        }
        Ok(())
    })
}

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
