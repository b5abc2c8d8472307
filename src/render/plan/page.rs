//! The report page: its frame (title, how to read it, assumptions, the facts of the run), what
//! the page shows gathered once from the results, and the metrics it reads. The sections are
//! beside it: the lead (`lead.rs`), the summary per scenario (`summaries.rs`) and the figures
//! with their tables (`figures.rs`).

use super::*;
use crate::model::Need;
use crate::render::html::responsive_page;
use maud::{Markup, PreEscaped, html};
use std::collections::BTreeSet;

/// The self-contained HTML report: inline CSS and inline `<svg>` charts, no scripts, fonts or
/// links to anything outside the page. Needs the `report` feature.
///
/// ```
/// use placewise::{PlanResults, render::plan::report_html};
/// let html = report_html(&PlanResults { area: "Marlshire".into(), ..Default::default() });
/// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Marlshire"));
/// ```
pub fn report_html(results: &PlanResults) -> String {
    let mut out = Page::new(results).markup().into_string();
    out.push('\n');
    out
}

pub(super) const UNPLACED: &str = "unplaced";
pub(super) const BAND_NOTE: &str =
    "Lines show the median; shaded bands the 10th–90th percentile range.";
pub(super) const COST: &str = "cost.total";
pub(super) const SHARE_PREFIX: &str = "share.";
pub(super) const NEED_PREFIX: &str = "unplaced.need.";

/// Kinds of setting in the placement mix, in the order shown, with their plain names.
pub(super) const SHARE_KINDS: [(&str, &str); 9] = [
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

/// The metric of a scenario in a year, when recorded and finite.
pub(super) fn metric(s: &ScenarioResult, year: i32, name: &str) -> Option<Quantiles> {
    let q = *s.years.iter().find(|y| y.year == year)?.metrics.get(name)?;
    [q.p10, q.p50, q.p90]
        .iter()
        .all(|v| v.is_finite())
        .then_some(q)
}

/// Plain name of a census need code (the code itself when unknown).
pub(super) fn need_name(code: &str) -> &str {
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

/// A fraction 0–1 as a whole percentage.
pub(super) fn percent(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", fixed(v * 100.0, 0))
    } else {
        "n/a".into()
    }
}

/// `name`, cut to `max` characters with an ellipsis.
pub(super) fn truncate(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(max - 1).collect::<String>())
    }
}

/// What the page shows, gathered once from the results.
pub(super) struct Page<'a> {
    pub(super) r: &'a PlanResults,
    /// Every year any scenario has, ascending.
    pub(super) years: Vec<i32>,
    /// Census need codes with a shortfall metric in the final year, largest shortfall first.
    pub(super) needs: Vec<String>,
    /// Kinds of setting in the mix (metric suffix, plain name).
    pub(super) kinds: Vec<(String, String)>,
}

impl<'a> Page<'a> {
    pub(super) fn new(r: &'a PlanResults) -> Page<'a> {
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
        // The largest final-year median of the metric `prefix` + `suffix` over the scenarios.
        let largest_median = |prefix: &str, suffix: &str| {
            let name = format!("{prefix}{suffix}");
            r.scenarios
                .iter()
                .filter_map(|s| last.and_then(|y| metric(s, y, &name)))
                .map(|q| q.p50)
                .fold(0.0, f64::max)
        };
        let mut needs: Vec<(f64, String)> = final_metrics(NEED_PREFIX)
            .into_iter()
            .map(|c| (largest_median(NEED_PREFIX, &c), c))
            .collect();
        needs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let found = final_metrics(SHARE_PREFIX);
        let largest_share = |kind: &str| largest_median(SHARE_PREFIX, kind);
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

    pub(super) fn last(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// The final year as the page names it, e.g. `2030/31`, or `final year` when there are
    /// no years.
    pub(super) fn last_named(&self) -> String {
        self.last()
            .map_or_else(|| "final year".to_string(), academic)
    }

    pub(super) fn span(&self) -> (i32, i32) {
        match (self.years.first(), self.years.last()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => (
                self.r.base_year,
                self.r.base_year + self.r.years.saturating_sub(1) as i32,
            ),
        }
    }

    /// The whole page.
    fn markup(&self) -> Markup {
        let r = self.r;
        let area = if r.area.trim().is_empty() {
            "the area"
        } else {
            r.area.as_str()
        };
        let (first, last) = self.span();
        let period = if first == last {
            academic(first)
        } else {
            format!("{} to {}", academic(first), academic(last))
        };
        let draws = grouped(i64::from(r.draws));
        responsive_page(
            "en-GB",
            html! { "SEND place sufficiency: " (area) ", " (period) },
            html! { style { (PreEscaped(CSS)) } },
            html! {
                main {
                    h1 { "School places for children with SEND in " (area) }
                    @if r.scenarios.is_empty() {
                        p class="lede" { "This plan has no scenario results." }
                    } @else {
                        p class="lede" {
                            "Will there be a suitable school place for every child with special \
                             educational needs and disabilities? Projection for the academic years "
                            (period) ", "
                            @if r.scenarios.len() == 1 {
                                "for one scenario"
                            } @else {
                                "comparing " (r.scenarios.len()) " scenarios"
                            }
                            "."
                        }
                    }
                    div class="howto" {
                        h2 class="plain" { "How to read this report" }
                        p {
                            "Each scenario was simulated " (draws) " times, each time with a \
                             different plausible future (random seed " (r.seed) "). Figures give the "
                            strong { "median" }
                            " — the middle result — and, in brackets, the range from the "
                            strong { "10th to the 90th percentile" }
                            " over the simulations. Each simulation draws its own growth from the \
                             uncertainty measured on published history, so the range is the model's \
                             80% range; how often such ranges held the published figures is in the \
                             last section. These are projections, and they are advisory: people \
                             decide. Every figure for every measure is also in "
                            code { "metrics.csv" } " and " code { "results.json" }
                            " beside this page."
                        }
                    }
                    (super::lead::lead(r))
                    (self.summaries())
                    h2 { "Charts and figures" }
                    (self.shortfall())
                    (self.cost())
                    (self.mix())
                    (self.needs())
                    (self.planning())
                    h2 { "Assumptions" }
                    @if r.assumptions.is_empty() {
                        p { "No assumptions were recorded with this plan." }
                    } @else {
                        ul class="assumptions" {
                            @for a in &r.assumptions {
                                li { (a) }
                            }
                        }
                    }
                    h2 { "About these figures" }
                    dl class="facts" {
                        dt { "Area" } dd { (area) }
                        dt { "Base year" } dd { (academic(r.base_year)) }
                        dt { "Years projected" } dd { (r.years) }
                        dt { "Simulations (draws) per scenario" } dd { (draws) }
                        dt { "Random seed" } dd { (r.seed) }
                    }
                    p class="small" {
                        "Produced by placewise. Running the same plan with the same seed gives \
                         the same figures."
                    }
                }
            },
        )
    }
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
    fn shares_and_names_read_plainly() {
        assert_eq!(percent(0.534), "53%");
        assert_eq!(percent(f64::NAN), "n/a");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(academic(2031), "2031/32");
        assert_eq!(academic(1999), "1999/00");
    }
}
