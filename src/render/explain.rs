//! One (child, setting) explanation as text: the journey, the places and cost, and every rule
//! with the facts.

use crate::explain::{Explanation, Verdict};
use std::fmt::Write;

/// One pair's explanation as text.
pub fn explanation_text(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Child {} and {} {} ({})",
        e.child, e.setting, e.setting_name, e.setting_kind
    );
    if let Some(short) = &e.shortfalls {
        let _ = if short.is_empty() {
            writeln!(
                out,
                "Regime spp: can deliver the child's Specialist Provision Package(s)"
            )
        } else {
            let lacks: Vec<String> = short
                .iter()
                .map(|s| format!("{}: {}", s.package, s.missing.join("; ")))
                .collect();
            writeln!(
                out,
                "Regime spp: cannot deliver the child's package — lacks {}",
                lacks.join(" / ")
            )
        };
    }
    let _ = writeln!(
        out,
        "Journey: {:.1} km straight, {:.1} km by road, about {:.0} min (guidance {:.0} min){}",
        e.journey.straight_km,
        e.journey.road_km,
        e.journey.minutes,
        e.journey.guidance_minutes,
        if e.journey.within_walking_distance {
            "; within statutory walking distance"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "Places: {} (pool {}, {} on roll of {}); cost {} a year (band {}{})",
        e.capacity.status,
        e.capacity.pool.as_deref().unwrap_or("-"),
        e.capacity.on_roll,
        e.capacity.capacity,
        e.funding.total,
        e.funding.band,
        match e.funding.annual_fee {
            Some(f) => format!(", fee {f}"),
            None => format!(
                ", place {} + top-up {}",
                e.funding.place_funding, e.funding.topup
            ),
        }
    );
    match &e.verdict {
        Verdict::Eligible {
            score,
            contributions,
            flags,
        } => {
            let _ = writeln!(out, "Verdict: SUITABLE, score {score:.2}");
            for c in contributions {
                let _ = writeln!(
                    out,
                    "  {:<16} {:>6.2} = {:>5.1} × {:.2}  {}",
                    c.rule, c.points, c.weight, c.value, c.text
                );
            }
            for f in flags {
                let _ = writeln!(
                    out,
                    "  FLAG {}: {} (child: {}; setting: {})",
                    f.rule, f.text, f.child, f.setting
                );
            }
        }
        Verdict::Excluded { failures, flags } => {
            let _ = writeln!(out, "Verdict: NOT SUITABLE");
            for f in failures.iter().chain(flags) {
                let _ = writeln!(
                    out,
                    "  {}: {}\n      child: {}\n      setting: {}",
                    f.rule, f.text, f.child, f.setting
                );
            }
        }
    }
    out
}
