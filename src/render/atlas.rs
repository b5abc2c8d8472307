//! The atlas as a self-contained HTML page: per archetype, an SVG dot map of the authorities
//! coloured by the share of homes with no suitable place within the journey guidance, and
//! ranked "same child, different authority" tables.

use crate::atlas::{Atlas, AtlasCell};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}\
td:first-child,th:first-child{text-align:left}.row{display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start}\
section{border-top:2px solid #ddd;margin-top:1.5em}.note{color:#555;font-size:13px}";

/// Authorities in each of the "hardest" and "easiest" tables.
const RANKED: usize = 8;

/// Green (0) through amber to red (1).
fn colour(share: f64) -> String {
    let t = share.clamp(0.0, 1.0);
    let (r, g) = if t < 0.5 {
        (60.0 + 390.0 * t, 170.0)
    } else {
        (255.0, 170.0 - 260.0 * (t - 0.5))
    };
    format!("rgb({:.0},{:.0},60)", r.min(255.0), g.max(40.0))
}

fn minutes(m: Option<f64>) -> String {
    m.map_or("none within reach".to_string(), |m| format!("{m:.0} min"))
}

fn pounds(p: Option<f64>) -> String {
    p.map_or("–".to_string(), |p| {
        let s = format!("{:.0}", p);
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        format!("£{out}")
    })
}

/// Worse first: more homes with nothing within guidance, then longer nearest journeys, then
/// fewer options; ties by authority name.
fn worse_first(a: &AtlasCell, b: &AtlasCell) -> std::cmp::Ordering {
    b.share_none_within_guidance
        .total_cmp(&a.share_none_within_guidance)
        .then(
            b.median_minutes_to_nearest
                .unwrap_or(f64::INFINITY)
                .total_cmp(&a.median_minutes_to_nearest.unwrap_or(f64::INFINITY)),
        )
        .then(
            a.median_suitable_within_guidance
                .total_cmp(&b.median_suitable_within_guidance),
        )
        .then(a.la.cmp(&b.la))
}

/// The map frame: SVG coordinates of grid references, fitted to the authorities' centres.
struct Frame {
    e0: f64,
    n1: f64,
    span: f64,
    width: f64,
    height: f64,
}

impl Frame {
    const SIZE: f64 = 420.0;
    const PAD: f64 = 12.0;

    fn new(atlas: &Atlas) -> Frame {
        let (mut e0, mut e1, mut n0, mut n1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for a in &atlas.authorities {
            e0 = e0.min(a.centre.easting);
            e1 = e1.max(a.centre.easting);
            n0 = n0.min(a.centre.northing);
            n1 = n1.max(a.centre.northing);
        }
        let span = (e1 - e0).max(n1 - n0).max(1.0);
        Frame {
            e0,
            n1,
            span,
            width: Self::PAD * 2.0 + (e1 - e0) / span * Self::SIZE,
            height: Self::PAD * 2.0 + (n1 - n0) / span * Self::SIZE,
        }
    }

    fn x(&self, easting: f64) -> f64 {
        Self::PAD + (easting - self.e0) / self.span * Self::SIZE
    }

    fn y(&self, northing: f64) -> f64 {
        Self::PAD + (self.n1 - northing) / self.span * Self::SIZE
    }
}

/// The self-contained HTML page.
pub fn atlas_html(atlas: &Atlas) -> String {
    let frame = Frame::new(atlas);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "placewise atlas: the same child in every local authority" }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "The same child in every local authority" }
                p {
                    (atlas.authorities.len()) " authorities × " (atlas.archetypes.len())
                    " archetypes, " (atlas.homes_per_authority) " homes per authority (seed "
                    (atlas.seed) "). Advisory analysis of synthesised provision: a person decides."
                }
                h2 { "Assumptions" }
                ul class="note" {
                    @for a in &atlas.assumptions {
                        li { (a) }
                    }
                }
                @for ai in 0..atlas.archetypes.len() {
                    (archetype_section(atlas, ai, &frame))
                }
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// One archetype: its map, the hardest and easiest authorities, and the two ends compared.
fn archetype_section(atlas: &Atlas, ai: usize, frame: &Frame) -> Markup {
    let arch = &atlas.archetypes[ai];
    let mut order: Vec<&AtlasCell> = (0..atlas.authorities.len())
        .map(|li| atlas.cell(li, ai))
        .collect();
    order.sort_by(|a, b| worse_first(a, b));
    let k = order.len().min(RANKED);
    let easiest: Vec<&AtlasCell> = order.iter().rev().take(k).copied().collect();
    let ends = match (order.first(), order.last()) {
        (Some(worst), Some(best)) if order.len() > 1 => Some((*worst, *best)),
        _ => None,
    };
    html! {
        section {
            h2 { (arch.title) }
            p class="note" {
                "archetype " code { (arch.id) } ": year " (arch.year) ", primary need "
                (arch.primary_need)
                @if !arch.features.is_empty() {
                    ", needs " (arch.features.join(", "))
                }
                "."
            }
            div class="row" {
                (map(atlas, ai, frame))
                (ranked("Hardest to place", &order[..k]))
                (ranked("Easiest to place", &easiest))
            }
            @if let Some((worst, best)) = ends {
                p {
                    strong { "Same child, different authority:" }
                    " in " (best.la) ", the median home has "
                    (format!("{:.0}", best.median_suitable_within_guidance))
                    " suitable settings with a place within guidance, the nearest "
                    (minutes(best.median_minutes_to_nearest)) " away, at "
                    (pounds(best.median_annual_cost)) " a year; in " (worst.la) ", "
                    (format!("{:.0}", worst.share_none_within_guidance * 100.0))
                    "% of homes have none within guidance and the nearest is "
                    (minutes(worst.median_minutes_to_nearest)) ", at "
                    (pounds(worst.median_annual_cost)) " a year."
                }
            }
        }
    }
}

/// The dot map of the authorities for archetype `ai`.
fn map(atlas: &Atlas, ai: usize, frame: &Frame) -> Markup {
    let (w, h) = (
        format!("{:.0}", frame.width),
        format!("{:.0}", frame.height),
    );
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(w) height=(h)
            viewBox={ "0 0 " (w) " " (h) } role="img"
            aria-label="Share of homes with no suitable place within guidance, by authority" {
            rect width="100%" height="100%" fill="#f4f6f8" {}
            @for (li, auth) in atlas.authorities.iter().enumerate() {
                @let c = atlas.cell(li, ai);
                circle cx=(format!("{:.1}", frame.x(auth.centre.easting)))
                    cy=(format!("{:.1}", frame.y(auth.centre.northing))) r="4"
                    fill=(colour(c.share_none_within_guidance)) stroke="#333" stroke-width="0.4" {
                    title {
                        (auth.la) ": "
                        (format!("{:.0}", c.share_none_within_guidance * 100.0))
                        "% of homes with none within guidance; nearest "
                        (minutes(c.median_minutes_to_nearest)) "; "
                        (c.median_suitable_within_guidance) " options"
                    }
                }
            }
            text x="8" y="14" font-size="11" {
                "dot: authority; green: every home has a suitable place within guidance; red: none does"
            }
        }
    }
}

/// A table of authorities for one archetype.
fn ranked(title: &str, rows: &[&AtlasCell]) -> Markup {
    html! {
        div {
            h3 { (title) }
            table {
                tr {
                    th { "authority" }
                    th { "none within guidance" }
                    th { "nearest" }
                    th { "options" }
                    th { "cost/yr" }
                    th { "independent only" }
                }
                @for c in rows {
                    tr {
                        td { (c.la) }
                        td { (format!("{:.0}%", c.share_none_within_guidance * 100.0)) }
                        td { (minutes(c.median_minutes_to_nearest)) }
                        td { (format!("{:.0}", c.median_suitable_within_guidance)) }
                        td { (pounds(c.median_annual_cost)) }
                        td { (format!("{:.0}%", c.share_independent_only * 100.0)) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{AtlasAuthority, SHIPPED, parse_archetypes};
    use crate::model::GridRef;
    use crate::rules::RuleSet;
    use std::path::Path;

    const HOSTILE: &str = "<script>alert(1)</script> & \"Sons\"";

    #[test]
    fn names_from_the_input_are_escaped() {
        let mut archetypes =
            parse_archetypes(SHIPPED, Path::new("england.toml"), &RuleSet::england()).unwrap();
        archetypes.truncate(1);
        archetypes[0].title = HOSTILE.into();
        let authorities: Vec<AtlasAuthority> = [HOSTILE, "Plain"]
            .iter()
            .enumerate()
            .map(|(i, la)| AtlasAuthority {
                la: la.to_string(),
                centre: GridRef {
                    easting: 300_000.0 + 10_000.0 * i as f64,
                    northing: 300_000.0,
                },
                schools: 1,
            })
            .collect();
        let cells = authorities
            .iter()
            .map(|a| AtlasCell {
                la: a.la.clone(),
                archetype: archetypes[0].id.clone(),
                homes: 1,
                median_suitable_within_guidance: 1.0,
                median_minutes_to_nearest: Some(10.0),
                share_none_within_guidance: 0.5,
                median_annual_cost: Some(20_000.0),
                share_independent_only: 0.0,
            })
            .collect();
        let atlas = Atlas {
            seed: 1,
            homes_per_authority: 1,
            archetypes,
            authorities,
            cells,
            assumptions: vec![HOSTILE.into()],
        };
        let html = atlas_html(&atlas);
        assert!(!html.contains("<script>"), "{html}");
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot;";
        // The title, the assumption, the map's tooltip, both tables and the comparison.
        assert!(html.matches(escaped).count() >= 6, "{html}");
    }
}
