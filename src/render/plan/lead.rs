//! The report's lead, from [`PlanResults::headline`]: per scenario, the children with plans left
//! without a suitable place under the rules in the last year, the fallback placements they take
//! and their cost, the high-needs cost, and the settings where the bottleneck analysis asks for
//! places (how many, in which year, for which needs and phases); where a resource-base programme
//! put its bases. As plain text (the command line's summary) and as the HTML page's first
//! section.

use super::{academic, count, escape, money};
use crate::plan::headline::{Headline, PlacesToAdd};
use crate::plan::results::{PlanResults, ScenarioResult};
use std::fmt::{self, Write as _};

/// Settings named per scenario in the lead (the JSON and CSV carry them all).
const SHOWN: usize = 8;

/// The plain-text summary: per scenario, the last year's headline, the settings where to add
/// places, and the bases a programme placed. Ends in a newline unless empty.
///
/// ```
/// use placewise::plan::{PlanResults, report::summary_text};
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

/// The page's lead section: a table of the headline per scenario, then the places to add.
pub(super) fn write_lead(results: &PlanResults, out: &mut String) -> fmt::Result {
    if results.headline.is_empty() {
        return Ok(());
    }
    writeln!(out, "<h2>What to act on</h2>")?;
    let year = results.headline[0].year;
    writeln!(
        out,
        "<table class=\"lead\"><caption>In {} (median of the simulations, 10th–90th percentile in brackets)</caption>\
         <thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\">Children with plans</th>\
         <th scope=\"col\">Without a suitable place under the rules</th><th scope=\"col\">Fallback placements</th>\
         <th scope=\"col\">Cost of fallback placements</th><th scope=\"col\">High-needs cost</th>\
         <th scope=\"col\">Places to add</th></tr></thead><tbody>",
        academic(year)
    )?;
    for h in &results.headline {
        let band = |q: crate::plan::Quantiles, f: fn(f64) -> String| {
            format!("{} ({}–{})", f(q.p50), f(q.p10), f(q.p90))
        };
        writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&h.scenario),
            count(h.plans.p50),
            band(h.unplaced, count),
            band(h.fallback, count),
            band(h.fallback_cost, money),
            band(h.total_cost, money),
            count(h.places_needed.p50)
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    for (h, s) in results.headline.iter().zip(&results.scenarios) {
        write_sites(h, s, out)?;
    }
    Ok(())
}

fn write_sites(h: &Headline, s: &ScenarioResult, out: &mut String) -> fmt::Result {
    if h.places_to_add.is_empty() && s.bases.is_empty() {
        return Ok(());
    }
    writeln!(out, "<h3>{}: where to add places</h3>", escape(&h.scenario))?;
    if !h.places_to_add.is_empty() {
        writeln!(
            out,
            "<p>The settings where one more place would place a child the rules leave without one \
             (the bottleneck analysis of each year's placement round), in the year each asks for the most.</p>\
             <table><thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">Type</th><th scope=\"col\">Year</th>\
             <th scope=\"col\">Places</th><th scope=\"col\">Primary need</th><th scope=\"col\">Phase</th></tr></thead><tbody>"
        )?;
        for p in h.places_to_add.iter().take(SHOWN) {
            let parts = |m: &std::collections::BTreeMap<String, f64>| {
                m.iter()
                    .map(|(k, v)| format!("{} {}", escape(k), count(*v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(
                out,
                "<tr><th scope=\"row\">{} {}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.setting),
                escape(&p.setting_name),
                p.kind.map(|k| k.key()).unwrap_or("–"),
                academic(p.year),
                count(p.places),
                parts(&p.by_need),
                parts(&p.by_phase)
            )?;
        }
        writeln!(out, "</tbody></table>")?;
        if h.places_to_add.len() > SHOWN {
            writeln!(
                out,
                "<p class=\"small\">{} more settings in <code>results.json</code>.</p>",
                h.places_to_add.len() - SHOWN
            )?;
        }
    }
    if !s.bases.is_empty() {
        writeln!(out, "<p>Bases of the resource-base programme:</p><ul>")?;
        for b in &s.bases {
            writeln!(
                out,
                "<li>{} places at {} {} (pool {}) from {}: the bottleneck analysis asked for {} there in {}.</li>",
                b.places,
                escape(&b.setting),
                escape(&b.setting_name),
                escape(&b.pool),
                academic(b.from),
                b.places_to_add,
                academic(b.year)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    Ok(())
}
