//! Specialist places needed by year, phase and type of provision, in the shape of the DfE
//! school capacity survey (SCAP) specialist-place forecast: state special schools, SEN units
//! and resourced provision (SCAP leaves out independent, non-maintained special and AP), for
//! primary, secondary and post-16, each projected year.
//!
//! Columns: `scenario,academic_year,phase,provision,pupils_p50,pupils_p90,places,
//! additional_places_p50,additional_places_p90` — pupils with plans needing that type of place
//! (placed there, or left without a place whose best-scored suitable setting is of that type),
//! the places there, and the places to add (pupils less places, never negative).

use crate::plan::results::PlanResults;
use std::fmt::Write as _;

/// The SCAP types of provision, in output order.
pub const PROVISIONS: [&str; 3] = ["special-school", "sen-unit", "resourced-provision"];

/// The SCAP-shaped CSV of a plan.
pub fn scap_csv(results: &PlanResults) -> String {
    let mut out = String::from(
        "scenario,academic_year,phase,provision,pupils_p50,pupils_p90,places,additional_places_p50,additional_places_p90\n",
    );
    for s in &results.scenarios {
        for y in &s.years {
            for phase in crate::model::Phase::ALL {
                for prov in PROVISIONS {
                    let key = |what: &str| format!("scap.{}.{prov}.{what}", phase.key());
                    let pupils = y.metrics.get(&key("pupils")).copied().unwrap_or_default();
                    let places = y
                        .metrics
                        .get(&key("places"))
                        .map(|q| q.p50)
                        .unwrap_or(0.0)
                        .round();
                    if pupils.p90 == 0.0 && places == 0.0 {
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "{},{}/{:02},{},{prov},{:.0},{:.0},{places:.0},{:.0},{:.0}",
                        csv_field(&s.name),
                        y.year,
                        (y.year + 1) % 100,
                        phase.key(),
                        pupils.p50,
                        pupils.p90,
                        (pupils.p50 - places).max(0.0),
                        (pupils.p90 - places).max(0.0),
                    );
                }
            }
        }
    }
    out
}

/// One CSV field, quoted when it holds a comma, a quote or a line break.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
