//! The page's lead, "What to act on", from [`PlanResults::headline`]: a table of the headline
//! per scenario (children with plans, those left without a suitable place under the rules, the
//! fallback placements they take and their cost, the high-needs cost, the places to add), then
//! per scenario the settings where the bottleneck analysis asks for places and the bases a
//! resource-base programme put. The plain-text summary (`summary.rs`) says the same.

use super::academic;
use super::summary::SHOWN;
use super::{count, money};
use crate::plan::Quantiles;
use crate::plan::results::Headline;
use crate::plan::results::{PlanResults, ScenarioResult};
use maud::{Markup, html};
use std::collections::BTreeMap;

/// The lead section (nothing when the plan has no headline).
pub(super) fn lead(results: &PlanResults) -> Markup {
    let Some(first) = results.headline.first() else {
        return html! {};
    };
    let band =
        |q: Quantiles, f: fn(f64) -> String| format!("{} ({}–{})", f(q.p50), f(q.p10), f(q.p90));
    html! {
        h2 { "What to act on" }
        table class="lead" {
            caption {
                "In " (academic(first.year))
                " (median of the simulations, 10th–90th percentile in brackets)"
            }
            (column_heads(&[
                "Scenario",
                "Children with plans",
                "Without a suitable place under the rules",
                "Fallback placements",
                "Cost of fallback placements",
                "High-needs cost",
                "Places to add",
            ]))
            tbody {
                @for h in &results.headline {
                    tr {
                        th scope="row" { (h.scenario) }
                        td { (count(h.plans.p50)) }
                        td { (band(h.unplaced, count)) }
                        td { (band(h.fallback, count)) }
                        td { (band(h.fallback_cost, money)) }
                        td { (band(h.total_cost, money)) }
                        td { (count(h.places_needed.p50)) }
                    }
                }
            }
        }
        @for (h, s) in results.headline.iter().zip(&results.scenarios) {
            (sites(h, s))
        }
    }
}

/// A scenario's settings where to add places and its programme's bases (nothing when it has
/// neither).
fn sites(h: &Headline, s: &ScenarioResult) -> Markup {
    if h.places_to_add.is_empty() && s.bases.is_empty() && s.inclusion_bases.is_empty() {
        return html! {};
    }
    let parts = |m: &BTreeMap<String, f64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {}", count(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        h3 { (h.scenario) ": where to add places" }
        @if !h.places_to_add.is_empty() {
            p {
                "The settings where one more place would place a child the rules leave without one \
                 (the bottleneck analysis of each year's placement round), in the year each asks for the most."
            }
            table {
                (column_heads(&["Setting", "Type", "Year", "Places", "Primary need", "Phase"]))
                tbody {
                    @for p in h.places_to_add.iter().take(SHOWN) {
                        tr {
                            th scope="row" { (p.setting) " " (p.setting_name) }
                            td { (p.kind.map(|k| k.key()).unwrap_or("–")) }
                            td { (academic(p.year)) }
                            td { (count(p.places)) }
                            td { (parts(&p.by_need)) }
                            td { (parts(&p.by_phase)) }
                        }
                    }
                }
            }
            @if h.places_to_add.len() > SHOWN {
                p class="small" {
                    (h.places_to_add.len() - SHOWN) " more settings in " code { "results.json" } "."
                }
            }
        }
        @if let Some(line) = super::summary::inclusion_bases_text(s) {
            p { (line) "." }
        }
        @if !s.bases.is_empty() {
            p { "Bases of the resource-base programme:" }
            ul {
                @for b in &s.bases {
                    li {
                        (b.places) " places at " (b.setting) " " (b.setting_name)
                        " (pool " (b.pool) ") from " (academic(b.from))
                        ": the bottleneck analysis asked for " (b.places_to_add)
                        " there in " (academic(b.year)) "."
                    }
                }
            }
        }
    }
}

/// A table's `<thead>`: one column heading per name.
fn column_heads(names: &[&str]) -> Markup {
    html! {
        thead {
            tr {
                @for name in names {
                    th scope="col" { (name) }
                }
            }
        }
    }
}
