//! The plan's summary as plain text (the command line prints it), from
//! [`PlanResults::headline`]: per scenario, the children with plans left without a suitable
//! place under the rules in the last year, the fallback placements they take and their cost,
//! the high-needs cost, and the settings where the bottleneck analysis asks for places (how
//! many, in which year, for which needs and phases); where a resource-base programme put its
//! bases. The HTML page's lead (`lead.rs`) shows the same.

use super::{count, money};
use crate::plan::results::PlacesToAdd;
use crate::plan::results::PlanResults;
use std::fmt::Write as _;

/// Settings named per scenario (the JSON and CSV carry them all).
pub(super) const SHOWN: usize = 8;

/// The plain-text summary: per scenario, the last year's headline, the settings where to add
/// places, and the bases a programme placed. Ends in a newline unless empty.
///
/// ```
/// use placewise::{PlanResults, render::plan::summary_text};
/// assert_eq!(summary_text(&PlanResults::default()), "");
/// ```
pub fn summary_text(results: &PlanResults) -> String {
    let mut out = String::new();
    for (h, s) in results.headline.iter().zip(&results.scenarios) {
        let share = s
            .years
            .iter()
            .find(|y| y.year == h.year)
            .and_then(|y| y.metrics.get("share.independent-special"))
            .map_or(0.0, |q| q.p50);
        // Writing into a String cannot fail.
        let _ = writeln!(
            out,
            "{:<24} {}: {} plans, {} without a suitable place (p10–p90 {}–{}) in fallback placements costing {}; high-needs cost {}; independent and non-maintained special {:.1}%",
            h.scenario,
            h.year,
            count(h.plans.p50),
            count(h.fallback.p50),
            count(h.fallback.p10),
            count(h.fallback.p90),
            money(h.fallback_cost.p50),
            money(h.total_cost.p50),
            share * 100.0
        );
        if !h.places_to_add.is_empty() {
            let _ = writeln!(
                out,
                "  where to add places (bottleneck analysis, median draw): {} in {}; {}",
                count(h.places_needed.p50),
                h.year,
                h.places_to_add
                    .iter()
                    .take(SHOWN)
                    .map(site_text)
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        let differences: Vec<String> = s
            .years
            .iter()
            .filter_map(|y| {
                let d = y.metrics.get("cost.price-bands.difference")?;
                let n = y.metrics.get("price-bands.pupils").map_or(0.0, |q| q.p50);
                Some(format!(
                    "{} {} ({} placements)",
                    y.year,
                    signed_money(d.p50),
                    count(n)
                ))
            })
            .collect();
        if !differences.is_empty() {
            let _ = writeln!(
                out,
                "  national price bands, cost against today's fees (median draw): {}",
                differences.join("; ")
            );
        }
        if let Some(line) = inclusion_bases_text(s) {
            let _ = writeln!(out, "  {line}");
        }
        for b in &s.bases {
            let _ = writeln!(
                out,
                "  base: {} places at {} {} ({}) from {} (the analysis asked for {} there in {})",
                b.places, b.setting, b.setting_name, b.pool, b.from, b.places_to_add, b.year
            );
        }
    }
    out
}

/// The bases a programme of "an inclusion base in every secondary school" opened, in a
/// sentence: how many, of how many places, from when, at what cost a year, and where.
pub(super) fn inclusion_bases_text(s: &crate::plan::results::ScenarioResult) -> Option<String> {
    let first = s.inclusion_bases.first()?;
    let places: u32 = s.inclusion_bases.iter().map(|b| b.places).sum();
    let pounds: i64 = s
        .inclusion_bases
        .iter()
        .map(|b| b.places as i64 * b.pounds_per_place)
        .sum();
    let at: Vec<String> = s
        .inclusion_bases
        .iter()
        .map(|b| format!("{} {}", b.host, b.host_name))
        .collect();
    Some(format!(
        "inclusion bases: {} {}s ({} places) in the secondary schools without one, from {}, place funding £{} a place: {} a year; at {}",
        count(s.inclusion_bases.len() as f64),
        first.base,
        count(places as f64),
        first.from,
        crate::model::grouped(first.pounds_per_place),
        money(pounds as f64),
        at.join("; ")
    ))
}

/// Money with its sign: `+£1.2m`, `-£450k`, `£0`.
fn signed_money(v: f64) -> String {
    let m = money(v);
    if m.starts_with('-') || m == "£0" {
        m
    } else {
        format!("+{m}")
    }
}

fn site_text(p: &PlacesToAdd) -> String {
    let parts = |m: &std::collections::BTreeMap<String, f64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {}", count(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{} {}{} {} in {} ({}; {})",
        p.setting,
        p.setting_name,
        p.kind
            .map(|k| format!(" [{}]", k.key()))
            .unwrap_or_default(),
        count(p.places),
        p.year,
        parts(&p.by_need),
        parts(&p.by_phase)
    )
}
