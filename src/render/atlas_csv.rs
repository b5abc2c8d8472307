//! The atlas as CSV: one row per authority × archetype (the HTML page is `atlas.rs`).

use crate::atlas::Atlas;

/// Header of the atlas CSV.
pub const ATLAS_CSV_HEADER: [&str; 8] = [
    "la",
    "archetype",
    "homes",
    "median_suitable_within_guidance",
    "median_minutes_to_nearest",
    "share_none_within_guidance",
    "median_annual_cost",
    "share_independent_only",
];

/// One CSV row per authority × archetype, authorities in name order.
pub fn atlas_csv_rows(atlas: &Atlas) -> Vec<[String; 8]> {
    atlas
        .cells
        .iter()
        .map(|c| {
            [
                c.la.clone(),
                c.archetype.clone(),
                c.homes.to_string(),
                format!("{:.1}", c.median_suitable_within_guidance),
                c.median_minutes_to_nearest
                    .map(|m| format!("{m:.1}"))
                    .unwrap_or_default(),
                format!("{:.3}", c.share_none_within_guidance),
                c.median_annual_cost
                    .map(|m| format!("{m:.0}"))
                    .unwrap_or_default(),
                format!("{:.3}", c.share_independent_only),
            ]
        })
        .collect()
}
