//! The atlas as CSV (authority × archetype), and as a self-contained HTML page: per archetype,
//! an SVG dot map of the authorities coloured by the share of homes with no suitable place
//! within the journey guidance, and ranked "same child, different authority" tables.

use super::{Atlas, AtlasCell};
use std::fmt::Write;

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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

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

/// The self-contained HTML page.
pub fn atlas_html(atlas: &Atlas) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>placewise atlas: the same child in every local authority</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}}\
table{{border-collapse:collapse;font-size:13px;margin:.5em 0}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}\
td:first-child,th:first-child{{text-align:left}}.row{{display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start}}\
section{{border-top:2px solid #ddd;margin-top:1.5em}}.note{{color:#555;font-size:13px}}</style></head><body>\
<h1>The same child in every local authority</h1>\
<p>{} authorities × {} archetypes, {} homes per authority (seed {}). Advisory analysis of synthesised provision: a person decides.</p>\
<h2>Assumptions</h2><ul class=\"note\">",
        atlas.authorities.len(),
        atlas.archetypes.len(),
        atlas.homes_per_authority,
        atlas.seed
    );
    for a in &atlas.assumptions {
        let _ = write!(h, "<li>{}</li>", esc(a));
    }
    h.push_str("</ul>");
    // Map frame from the authorities' centres.
    let (mut e0, mut e1, mut n0, mut n1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for a in &atlas.authorities {
        e0 = e0.min(a.centre.easting);
        e1 = e1.max(a.centre.easting);
        n0 = n0.min(a.centre.northing);
        n1 = n1.max(a.centre.northing);
    }
    let span = (e1 - e0).max(n1 - n0).max(1.0);
    let size = 420.0;
    let pad = 12.0;
    let x = |e: f64| pad + (e - e0) / span * size;
    let y = |n: f64| pad + (n1 - n) / span * size;
    let w = pad * 2.0 + (e1 - e0) / span * size;
    let ht = pad * 2.0 + (n1 - n0) / span * size;
    for (ai, arch) in atlas.archetypes.iter().enumerate() {
        let _ = write!(
            h,
            "<section><h2>{}</h2><p class=\"note\">archetype <code>{}</code>: year {}, primary need {}{}.</p><div class=\"row\">",
            esc(&arch.title),
            esc(&arch.id),
            arch.year,
            arch.primary_need,
            if arch.features.is_empty() {
                String::new()
            } else {
                format!(", needs {}", esc(&arch.features.join(", ")))
            }
        );
        let _ = write!(
            h,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{ht:.0}\" viewBox=\"0 0 {w:.0} {ht:.0}\" role=\"img\" aria-label=\"Share of homes with no suitable place within guidance, by authority\"><rect width=\"100%\" height=\"100%\" fill=\"#f4f6f8\"/>"
        );
        for (li, auth) in atlas.authorities.iter().enumerate() {
            let c = atlas.cell(li, ai);
            let _ = write!(
                h,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{}\" stroke=\"#333\" stroke-width=\"0.4\"><title>{}: {:.0}% of homes with none within guidance; nearest {}; {} options</title></circle>",
                x(auth.centre.easting),
                y(auth.centre.northing),
                colour(c.share_none_within_guidance),
                esc(&auth.la),
                c.share_none_within_guidance * 100.0,
                minutes(c.median_minutes_to_nearest),
                c.median_suitable_within_guidance
            );
        }
        h.push_str("<text x=\"8\" y=\"14\" font-size=\"11\">dot: authority; green: every home has a suitable place within guidance; red: none does</text></svg>");
        let mut order: Vec<&AtlasCell> = (0..atlas.authorities.len())
            .map(|li| atlas.cell(li, ai))
            .collect();
        order.sort_by(|a, b| worse_first(a, b));
        let table = |h: &mut String, title: &str, rows: &[&AtlasCell]| {
            let _ = write!(
                h,
                "<div><h3>{title}</h3><table><tr><th>authority</th><th>none within guidance</th><th>nearest</th><th>options</th><th>cost/yr</th><th>independent only</th></tr>"
            );
            for c in rows {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{:.0}%</td><td>{}</td><td>{:.0}</td><td>{}</td><td>{:.0}%</td></tr>",
                    esc(&c.la),
                    c.share_none_within_guidance * 100.0,
                    minutes(c.median_minutes_to_nearest),
                    c.median_suitable_within_guidance,
                    pounds(c.median_annual_cost),
                    c.share_independent_only * 100.0
                );
            }
            h.push_str("</table></div>");
        };
        let k = order.len().min(8);
        table(&mut h, "Hardest to place", &order[..k]);
        let best: Vec<&AtlasCell> = order.iter().rev().take(k).copied().collect();
        table(&mut h, "Easiest to place", &best);
        h.push_str("</div>");
        if let (Some(worst), Some(best)) = (order.first(), order.last())
            && order.len() > 1
        {
            let _ = write!(
                h,
                "<p><strong>Same child, different authority:</strong> in {}, the median home has {:.0} suitable settings with a place within guidance, the nearest {} away, at {} a year; in {}, {:.0}% of homes have none within guidance and the nearest is {}, at {} a year.</p>",
                esc(&best.la),
                best.median_suitable_within_guidance,
                minutes(best.median_minutes_to_nearest),
                pounds(best.median_annual_cost),
                esc(&worst.la),
                worst.share_none_within_guidance * 100.0,
                minutes(worst.median_minutes_to_nearest),
                pounds(worst.median_annual_cost)
            );
        }
        h.push_str("</section>");
    }
    h.push_str("</body></html>\n");
    h
}
