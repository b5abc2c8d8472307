//! The report's figures, each a chart with its note and a table of the same numbers: the
//! shortfall by year, the high-needs cost by year, the mix of settings and the shortfall by
//! primary need in the final year.

use super::axes::{KIND_COLOURS, hex, scenario_colour};
use super::charts::{mix_chart, needs_chart, time_chart};
use super::page::*;
use super::*;
use maud::{Markup, PreEscaped, html};
use plotters::style::RGBColor;
use std::fmt::Write as _;

impl Page<'_> {
    /// Figure and table 1: children without a suitable place, by year.
    pub(super) fn shortfall(&self) -> Markup {
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
        html! {
            (figure(1, "shortfall", title, &note, &svg))
            (self.year_table(
                1,
                "Children without a suitable place: median (10th–90th percentile)",
                UNPLACED,
                count,
            ))
        }
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
                // Writing into a String cannot fail.
                let _ = write!(
                    sentences,
                    " The median line of {} is the same as that of {} and lies under it.",
                    self.r.scenarios[j].name, self.r.scenarios[i].name
                );
            }
        }
        sentences
    }

    /// Figure and table 2: the annual high-needs cost, by year.
    pub(super) fn cost(&self) -> Markup {
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
        html! {
            (figure(2, "cost", title, &note, &svg))
            (self.year_table(
                2,
                "Annual high-needs cost: median (10th–90th percentile)",
                COST,
                money,
            ))
        }
    }

    /// Figure and table 3: where children with a place would be in the final year.
    pub(super) fn mix(&self) -> Markup {
        let when = self.last_named();
        let title = format!("Where children with a place would be, {when} (median share)");
        let svg = mix_chart(self, &title);
        html! {
            (figure(
                3,
                "mix",
                &title,
                "Each bar is one scenario; segments are the median share of children in each kind \
                 of setting (medians of the shares need not add up to exactly 100%).",
                &svg,
            ))
            (numbered_table(
                3,
                &format!(
                    "Share of children with a place by kind of setting, {when}: median \
                     (10th–90th percentile)"
                ),
                html! {
                    thead {
                        tr {
                            th scope="col" { "Scenario" }
                            @for (i, (_, name)) in self.kinds.iter().enumerate() {
                                th scope="col" { (keyed(KIND_COLOURS[i % KIND_COLOURS.len()], name)) }
                            }
                        }
                    }
                },
                html! {
                    @for (i, s) in self.r.scenarios.iter().enumerate() {
                        tr {
                            th scope="row" { (keyed(scenario_colour(i), &s.name)) }
                            @for (k, _) in &self.kinds {
                                (cell(
                                    self.last()
                                        .and_then(|y| metric(s, y, &format!("{SHARE_PREFIX}{k}"))),
                                    percent,
                                ))
                            }
                        }
                    }
                },
            ))
        }
    }

    /// Figure and table 4: children without a suitable place by primary need, final year.
    pub(super) fn needs(&self) -> Markup {
        let when = self.last_named();
        let title = format!("Children without a suitable place by primary need, {when}");
        let svg = needs_chart(self, &title);
        html! {
            (figure(
                4,
                "needs",
                &title,
                "Bars show the median; whiskers the 10th–90th percentile range. Need codes are \
                 explained in Table 4.",
                &svg,
            ))
            (numbered_table(
                4,
                &format!(
                    "Children without a suitable place by primary need, {when}: median \
                     (10th–90th percentile)"
                ),
                self.scenario_header("Primary need"),
                html! {
                    @for code in &self.needs {
                        tr {
                            th scope="row" { abbr { (code) } " " (need_name(code)) }
                            @for s in &self.r.scenarios {
                                (cell(
                                    self.last()
                                        .and_then(|y| metric(s, y, &format!("{NEED_PREFIX}{code}"))),
                                    count,
                                ))
                            }
                        }
                    }
                    @if self.needs.is_empty() {
                        tr {
                            td colspan=(self.r.scenarios.len() + 1) class="none" {
                                "No shortfall by need was recorded."
                            }
                        }
                    }
                },
            ))
        }
    }

    /// `<thead>` with one column per scenario, each with its colour key.
    fn scenario_header(&self, first: &str) -> Markup {
        html! {
            thead {
                tr {
                    th scope="col" { (first) }
                    @for (i, s) in self.r.scenarios.iter().enumerate() {
                        th scope="col" { (keyed(scenario_colour(i), &s.name)) }
                    }
                }
            }
        }
    }

    /// Table `n`: one row per year and one column per scenario.
    fn year_table(&self, n: usize, caption: &str, name: &str, format: fn(f64) -> String) -> Markup {
        numbered_table(
            n,
            caption,
            self.scenario_header("Academic year"),
            html! {
                @for &year in &self.years {
                    tr {
                        th scope="row" { (academic(year)) }
                        @for s in &self.r.scenarios {
                            (cell(metric(s, year, name), format))
                        }
                    }
                }
                @if self.years.is_empty() {
                    tr {
                        td colspan=(self.r.scenarios.len() + 1) class="none" {
                            "No figures were recorded."
                        }
                    }
                }
            },
        )
    }
}

/// Table `n` of the report: the caption `Table n. caption`, then `head` and the rows `body`.
pub(super) fn numbered_table(n: usize, caption: &str, head: Markup, body: Markup) -> Markup {
    html! {
        div class="table-wrap" {
            table {
                caption { "Table " (n) ". " (caption) }
                (head)
                tbody { (body) }
            }
        }
    }
}

/// `name` with a colour key before it (a background square, which cannot wrap away from the
/// name).
fn keyed(colour: RGBColor, name: &str) -> Markup {
    html! {
        span class="keyed" style={ "--c:" (hex(colour)) } { (name) }
    }
}

/// A table cell: the median and, in brackets, the 10th–90th percentile range; a dash when the
/// metric is missing.
pub(super) fn cell(q: Option<Quantiles>, format: fn(f64) -> String) -> Markup {
    html! {
        @match q {
            Some(q) => {
                td { (format(q.p50)) " " span class="range" { "(" (format(q.p10)) "–" (format(q.p90)) ")" } }
            }
            None => td class="none" { "—" },
        }
    }
}

/// Figure `n`: its caption, the chart (an SVG string from plotters) and a note under it.
fn figure(n: usize, id: &str, title: &str, note: &str, svg: &str) -> Markup {
    html! {
        figure id={ "figure-" (id) } {
            figcaption { span class="num" { "Figure " (n) "." } " " (title) }
            (PreEscaped(svg))
            p class="note" { (note) }
        }
    }
}
