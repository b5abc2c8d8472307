//! The atlas page on a small fictional atlas.

use super::*;
use crate::atlas::{AtlasAuthority, SHIPPED, parse_archetypes, spreads};
use crate::io::indicators::IndicatorValues;
use crate::model::GridRef;
use crate::rules::RuleSet;
use std::path::Path;

const HOSTILE: &str = "<script>alert(1)</script> & \"Sons\"";

/// An atlas of the first shipped archetype (mainstream) and the third (specialist) over
/// authorities named `names`, the `i`th with headline values from `value(i)`.
fn small_atlas(names: &[&str], value: impl Fn(usize) -> (f64, Option<f64>)) -> Atlas {
    let mut archetypes =
        parse_archetypes(SHIPPED, Path::new("england.toml"), &RuleSet::england()).unwrap();
    let specialist = archetypes.iter().position(|a| a.specialist).unwrap();
    let keep = vec![archetypes[0].clone(), archetypes[specialist].clone()];
    archetypes = keep;
    let authorities: Vec<AtlasAuthority> = names
        .iter()
        .enumerate()
        .map(|(i, la)| AtlasAuthority {
            la: la.to_string(),
            centre: GridRef {
                easting: 300_000.0 + 10_000.0 * i as f64,
                northing: 300_000.0,
            },
            schools: 1,
            pupils: 1000,
            indicators: Some(IndicatorValues([Some(i as f64); 8])),
        })
        .collect();
    let mut cells = Vec::new();
    for (i, a) in authorities.iter().enumerate() {
        let (choice, minutes) = value(i);
        for arch in &archetypes {
            cells.push(AtlasCell {
                la: a.la.clone(),
                archetype: arch.id.clone(),
                homes: 1,
                median_suitable_within_guidance: choice,
                median_minutes_to_nearest: Some(10.0),
                share_none_within_guidance: 0.5,
                median_annual_cost: Some(20_000.0),
                share_independent_only: 0.0,
                median_specialist_within_guidance: 1.0,
                median_minutes_to_specialist: minutes,
                share_no_specialist_within_guidance: 0.25,
                share_no_specialist_within_ceiling: 0.0,
                share_specialist_independent_only: 0.0,
                median_bases_within_guidance: 2.0,
            });
        }
    }
    let mut atlas = Atlas {
        seed: 1,
        homes_per_authority: 1,
        archetypes,
        authorities,
        cells,
        measures: Measure::ALL.iter().map(|m| m.definition()).collect(),
        indicators: Indicator::ALL.iter().map(|i| i.definition()).collect(),
        search_minutes: 150.0,
        spreads: Vec::new(),
        contrasts: Vec::new(),
        agreement: Vec::new(),
        assumptions: vec![HOSTILE.into()],
    };
    atlas.spreads = spreads(&atlas);
    atlas.contrasts = crate::atlas::contrasts(&atlas);
    atlas.agreement = crate::atlas::agreement(&atlas);
    atlas
}

#[test]
fn names_from_the_input_are_escaped() {
    let mut atlas = small_atlas(&[HOSTILE, "Plain"], |i| (i as f64, Some(10.0 * i as f64)));
    atlas.archetypes[0].title = HOSTILE.into();
    let html = atlas_html(&atlas);
    assert!(!html.contains("<script>"), "{html}");
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot;";
    // The title, the assumption, the maps' tooltips, the tables, the pairs and the card.
    assert!(html.matches(escaped).count() >= 8, "{html}");
}

#[test]
fn ties_are_ranked_alike_and_the_key_names_the_scale() {
    // Specialist access: Aford and Beeton both 30 min (29.6 and 30.4 shown as 30), Ceely none
    // within reach, Dunham 12 min.
    let minutes = [Some(29.6), Some(30.4), None, Some(12.0)];
    let atlas = small_atlas(&["Aford", "Beeton", "Ceely", "Dunham"], |i| {
        (1.0, minutes[i])
    });
    let html = atlas_html(&atlas);
    let section = &html[html.find("<h2>Year 3").expect("the specialist section")..];
    let hardest =
        &section[section.find("<h3>Hardest").unwrap()..section.find("<h3>Easiest").unwrap()];
    let rows: Vec<&str> = hardest.split("<tr>").skip(2).collect();
    let ranks: Vec<String> = rows
        .iter()
        .map(|r| r.split("</td>").next().unwrap().replace("<td>", ""))
        .collect();
    assert_eq!(ranks, ["1", "2=", "2=", "4"], "{hardest}");
    assert!(rows[0].contains("Ceely") && rows[1].contains("Aford") && rows[2].contains("Beeton"));
    assert!(
        section.contains("best 12 min") && section.contains("worst 30 min"),
        "{section}"
    );
    assert!(section.contains("none within reach"));
    // Choice is the same everywhere: every authority tied first.
    let first = &html[html.find("<h2>Year 1").unwrap()..html.find("<h2>Year 3").unwrap()];
    assert_eq!(first.matches("<td>1=</td>").count(), 8, "{first}");
    // Each authority has a card, found by its anchor.
    for la in ["Aford", "Beeton", "Ceely", "Dunham"] {
        assert!(html.contains(&format!("id=\"{}\"", slug(la))), "{la}");
    }
    // The same child fares most differently in Ceely (none within reach) and Dunham (12 min),
    // 30 km apart: both the ends of England and the neighbours furthest apart.
    let specialist: Vec<_> = atlas
        .contrasts
        .iter()
        .filter(|c| c.archetype == atlas.archetypes[1].id)
        .collect();
    assert_eq!(specialist.len(), 2, "{:?}", atlas.contrasts);
    for c in specialist {
        assert_eq!(
            (c.worse_la.as_str(), c.better_la.as_str()),
            ("Ceely", "Dunham")
        );
        assert_eq!(c.distance_km, 10.0);
    }
    // Choice is the same everywhere: no contrast.
    assert!(
        atlas
            .contrasts
            .iter()
            .all(|c| c.archetype != atlas.archetypes[0].id)
    );
    assert!(!atlas.spreads[0].varies);
    assert!(atlas.spreads[1].varies);
}
