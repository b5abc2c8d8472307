//! The summary per scenario: a card with the final year's headline figures in plain English,
//! the fallback placements, the mix of settings and the comparison with the first scenario.

use super::axes::{hex, scenario_colour};
use super::page::*;
use super::*;
use maud::{Markup, html};

impl Page<'_> {
    /// "Summary by scenario": one card per scenario.
    pub(super) fn summaries(&self) -> Markup {
        let scenarios = &self.r.scenarios;
        let Some(last) = self.last() else {
            return html! {
                h2 { "Summary by scenario" }
                p { "This plan has no scenario results, so there is nothing to summarise or compare." }
            };
        };
        html! {
            h2 { "Summary by scenario" }
            div class="scenarios" {
                @for (i, s) in scenarios.iter().enumerate() {
                    section class="scenario" style={ "--swatch:" (hex(scenario_colour(i))) } {
                        h3 { (s.name) }
                        @if !s.description.trim().is_empty() {
                            p class="desc" { (s.description) }
                        }
                        (self.card(i, s, last))
                    }
                }
            }
        }
    }

    /// The figures and sentences of one scenario's card for the final year `last`.
    fn card(&self, i: usize, s: &ScenarioResult, last: i32) -> Markup {
        let first = self.years[0];
        let unplaced = metric(s, last, UNPLACED);
        let cost = metric(s, last, COST);
        let stats: Vec<(String, &str)> = [
            (
                unplaced.map(|q| count(q.p50)),
                "children without a suitable place",
            ),
            (cost.map(|q| money(q.p50)), "high-needs cost a year"),
        ]
        .into_iter()
        .filter_map(|(v, what)| v.map(|v| (v, what)))
        .collect();
        let earlier = unplaced
            .filter(|_| first != last)
            .and_then(|_| metric(s, first, UNPLACED));
        let fallback = match (
            metric(s, last, "fallback"),
            metric(s, last, "cost.fallback"),
        ) {
            (Some(f), Some(fc)) if f.p50 > 0.0 => Some((f, fc)),
            _ => None,
        };
        let mix: Vec<String> = self
            .kinds
            .iter()
            .filter_map(|(k, name)| {
                metric(s, last, &format!("{SHARE_PREFIX}{k}"))
                    .map(|q| format!("{} {}", percent(q.p50), name.to_lowercase()))
            })
            .collect();
        let comparison = (i > 0)
            .then(|| compare(s, &self.r.scenarios[0], last))
            .flatten();
        html! {
            @if !stats.is_empty() {
                div class="stats" aria-hidden="true" {
                    @for (v, what) in &stats {
                        div { span class="big" { (v) } " " (what) }
                    }
                    div class="when" { (academic(last)) ", median" }
                }
            }
            p {
                @match unplaced {
                    None if cost.is_none() => {
                        "No figures were recorded for " (academic(last))
                    }
                    None => {
                        "In " (academic(last)) " (median), the number of children without a \
                         suitable place was not recorded"
                    }
                    Some(q) if count(q.p50) == "0" => {
                        "In " (academic(last)) " (median), no child would be left without a suitable place"
                    }
                    Some(q) => {
                        "In " (academic(last)) " (median), "
                        strong {
                            (count(q.p50)) " "
                            (if count(q.p50) == "1" { "child would" } else { "children would" })
                            " have no suitable place"
                        }
                    }
                }
                @if let Some(q) = unplaced {
                    " (10th–90th percentile " (count(q.p10)) "–" (count(q.p90)) ")"
                }
                @if let Some(q0) = earlier {
                    ", compared with " (count(q0.p50)) " in " (academic(first))
                }
                @if let Some(q) = cost {
                    "; high-needs cost " strong { (money(q.p50)) } " a year ("
                    (money(q.p10)) "–" (money(q.p90)) ")"
                }
                "."
            }
            @if let Some((f, fc)) = fallback {
                p {
                    "Fallback placements for children with plans and no suitable place (an \
                     independent or out-of-area special place): "
                    strong { (count(f.p50)) } " (" (count(f.p10)) "–" (count(f.p90)) "), costing "
                    strong { (money(fc.p50)) } " a year, included in the high-needs cost."
                }
            }
            @if !mix.is_empty() {
                p {
                    "Children with plans by type of setting (fallback placements counted as \
                     independent): " (mix.join(", ")) "."
                }
            }
            @if let Some(sentence) = comparison {
                p { (sentence) }
            }
        }
    }
}

/// A sentence comparing a scenario's final year with the baseline's.
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
            base.name,
            parts.join("; ")
        )
    })
}
