//! The atlas as CSV: one row per authority × archetype (the HTML page is `atlas.rs`): the
//! cell's measures in [`Measure::ALL`] order after the first columns, then the authority's
//! published indicators (blank without `--stats`, or when not published).

use crate::atlas::{Atlas, Measure};
use crate::io::indicators::Indicator;

/// The first columns of the atlas CSV, before the measures.
const FIRST: [&str; 3] = ["la", "archetype", "homes"];

/// Header of the atlas CSV: `la`, `archetype`, `homes`, the measures' keys, `headline`, the
/// headline's value, `pupils`, then the indicators' keys.
pub fn atlas_csv_header() -> Vec<String> {
    let mut h: Vec<String> = FIRST.iter().map(|s| s.to_string()).collect();
    h.extend(Measure::ALL.iter().map(|m| m.key().to_string()));
    h.extend(["headline", "headline_value", "pupils"].map(String::from));
    h.extend(Indicator::ALL.iter().map(|i| i.key().to_string()));
    h
}

/// A measure's value in the CSV: shares to 3 places, minutes to 1, counts to 1, pounds whole.
fn measure_text(m: Measure, v: Option<f64>) -> String {
    let Some(v) = v else { return String::new() };
    match m.definition().unit {
        "share of homes" => format!("{v:.3}"),
        "£ a year" => format!("{v:.0}"),
        _ => format!("{v:.1}"),
    }
}

/// One CSV row per authority × archetype, authorities in name order.
pub fn atlas_csv_rows(atlas: &Atlas) -> Vec<Vec<String>> {
    let mut rows = Vec::with_capacity(atlas.cells.len());
    for (li, auth) in atlas.authorities.iter().enumerate() {
        for ai in 0..atlas.archetypes.len() {
            let c = atlas.cell(li, ai);
            let mut row = vec![c.la.clone(), c.archetype.clone(), c.homes.to_string()];
            row.extend(Measure::ALL.iter().map(|m| measure_text(*m, m.of(c))));
            let headline = atlas.headline(ai);
            row.push(headline.key().to_string());
            row.push(measure_text(headline, headline.of(c)));
            row.push(auth.pupils.to_string());
            row.extend(Indicator::ALL.iter().map(|i| {
                auth.indicators
                    .as_ref()
                    .and_then(|v| v.get(*i))
                    .map(|v| format!("{v:.4}"))
                    .unwrap_or_default()
            }));
            rows.push(row);
        }
    }
    rows
}
