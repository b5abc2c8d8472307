//! Specialist places needed by year, phase and type of provision, in the shape of the DfE
//! school capacity survey (SCAP) specialist-place forecast: state special schools, SEN units
//! and resourced provision (SCAP leaves out independent, non-maintained special and AP), for
//! primary, secondary and post-16, each projected year.
//!
//! Columns: `scenario,academic_year,phase,provision,inclusion_base,pupils_p50,pupils_p90,waiting_p50,
//! waiting_p90,in_other_authorities_p50,places,additional_places_p50,additional_places_p90` —
//! the area's children with plans placed in that type of provision (as `plans.*` in
//! `metrics.csv` counts them), those left without a place whose best-scored suitable setting is
//! of that type, those of the placed who are in other authorities' schools (places used, not
//! supply), the places of the authority's own schools open to its children (held, or as a
//! scenario or `--provision historical` changes them: they do not fall as pupils move up), and
//! the places to add: pupils and waiting children less own places and places used elsewhere,
//! never negative (each quantile computed over draws). `inclusion_base` names the 2026 Schools
//! White Paper's base beside SCAP's category (`specialist-base` beside `sen-unit`,
//! `support-base` beside `resourced-provision`, as the area's pools or the rules say; several
//! joined by `;`; empty for special schools).

use crate::plan::results::PlanResults;
use std::fmt::Write as _;

/// The SCAP types of provision, in output order.
pub const PROVISIONS: [&str; 3] = ["special-school", "sen-unit", "resourced-provision"];

/// The SCAP-shaped CSV of a plan.
pub fn scap_csv(results: &PlanResults) -> String {
    let mut out = String::from(
        "scenario,academic_year,phase,provision,inclusion_base,pupils_p50,pupils_p90,waiting_p50,waiting_p90,in_other_authorities_p50,places,additional_places_p50,additional_places_p90\n",
    );
    for s in &results.scenarios {
        for y in &s.years {
            for phase in crate::model::Phase::ALL {
                for prov in PROVISIONS {
                    let key = |what: &str| format!("scap.{}.{prov}.{what}", phase.key());
                    let q = |what: &str| y.metrics.get(&key(what)).copied().unwrap_or_default();
                    let (pupils, waiting, elsewhere, needed) =
                        (q("pupils"), q("waiting"), q("elsewhere"), q("needed"));
                    let places = q("places").p50.round();
                    if pupils.p90 == 0.0 && waiting.p90 == 0.0 && places == 0.0 {
                        continue;
                    }
                    let base = results
                        .inclusion_bases
                        .get(prov)
                        .map(|b| b.iter().map(|b| b.key()).collect::<Vec<_>>().join(";"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "{},{}/{:02},{},{prov},{base},{:.0},{:.0},{:.0},{:.0},{:.0},{places:.0},{:.0},{:.0}",
                        csv_field(&s.name),
                        y.year,
                        (y.year + 1) % 100,
                        phase.key(),
                        pupils.p50,
                        pupils.p90,
                        waiting.p50,
                        waiting.p90,
                        elsewhere.p50,
                        needed.p50,
                        needed.p90,
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
