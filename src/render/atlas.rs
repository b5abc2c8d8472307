//! The atlas as a self-contained HTML page: how much each archetype's headline measure varies,
//! the "same child, different authority" pairs where it differs most, whether the engine agrees
//! with the published indicators, per archetype an SVG dot map coloured by the headline measure
//! (with its scale) and the hardest and easiest authorities ranked on it (ties shown as ties),
//! and a card per authority. Also [`atlas_files`]: the CSV, JSON and page as bytes.

use super::atlas_csv::{atlas_csv_header, atlas_csv_rows};
use crate::atlas::{Atlas, AtlasCell, Measure, median_of, ranks_worse_first};
use crate::io::indicators::Indicator;
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}\
td:first-child,th:first-child{text-align:left}.row{display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start}\
section{border-top:2px solid #ddd;margin-top:1.5em}.note{color:#555;font-size:13px}.card{margin:1em 0;padding:.2em .8em;border:1px solid #ddd}\
.index a{margin-right:.6em;white-space:nowrap}";

/// Authorities in each of the "hardest" and "easiest" tables (more when tied at the last rank).
const RANKED: usize = 8;
/// Rows a ranked table shows at most; the rest of a tie is counted.
const RANKED_MAX: usize = 12;

/// The atlas's files: `atlas.csv`, `atlas.json` and `atlas.html`, as bytes.
pub fn atlas_files(atlas: &Atlas) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(atlas_csv_header())
        .map_err(|e| e.to_string())?;
    for row in atlas_csv_rows(atlas) {
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    let csv = w.into_inner().map_err(|e| e.to_string())?;
    let mut json = serde_json::to_vec_pretty(atlas).map_err(|e| e.to_string())?;
    json.push(b'\n');
    Ok(vec![
        ("atlas.csv", csv),
        ("atlas.json", json),
        ("atlas.html", atlas_html(atlas).into_bytes()),
    ])
}

/// Green (0) through amber to red (1).
fn colour(t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let (r, g) = if t < 0.5 {
        (60.0 + 390.0 * t, 170.0)
    } else {
        (255.0, 170.0 - 260.0 * (t - 0.5))
    };
    format!("rgb({:.0},{:.0},60)", r.min(255.0), g.max(40.0))
}

/// Colour of "none within reach".
const NONE_COLOUR: &str = "rgb(90,20,90)";

/// A measure's colour scale over the authorities: by rank, so one far-off authority does not
/// wash out the rest. Green is the best value, red the worst, amber the median; tied values
/// share a colour.
struct Scale {
    measure: Measure,
    /// Shown values, best first.
    sorted: Vec<f64>,
}

impl Scale {
    fn new(atlas: &Atlas, ai: usize, m: Measure) -> Scale {
        let mut sorted: Vec<f64> = (0..atlas.authorities.len())
            .filter_map(|li| m.rounded(m.of(atlas.cell(li, ai))))
            .collect();
        sorted.sort_by(|a, b| m.worse_first(Some(*b), Some(*a)));
        Scale { measure: m, sorted }
    }

    /// The value at fraction `q` of the way from best to worst.
    fn at(&self, q: f64) -> Option<f64> {
        let n = self.sorted.len();
        (n > 0).then(|| self.sorted[((n - 1) as f64 * q).round() as usize])
    }

    fn colour(&self, value: Option<f64>) -> String {
        let m = self.measure;
        let Some(v) = m.rounded(value) else {
            return NONE_COLOUR.to_string();
        };
        let n = self.sorted.len();
        if n < 2 {
            return colour(0.0);
        }
        let better = self
            .sorted
            .iter()
            .filter(|x| m.worse_first(Some(v), Some(**x)).is_lt())
            .count();
        // Tied values take the colour of their shared (competition) rank, as in the tables.
        colour(better as f64 / (n - 1) as f64)
    }
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
    /// Room under the map for the key.
    const KEY: f64 = 62.0;

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
            width: (Self::PAD * 2.0 + (e1 - e0) / span * Self::SIZE).max(300.0),
            height: Self::PAD * 2.0 + (n1 - n0) / span * Self::SIZE + Self::KEY,
        }
    }

    fn x(&self, easting: f64) -> f64 {
        Self::PAD + (easting - self.e0) / self.span * Self::SIZE
    }

    fn y(&self, northing: f64) -> f64 {
        Self::PAD + (self.n1 - northing) / self.span * Self::SIZE
    }
}

/// An anchor for an authority's card.
fn slug(la: &str) -> String {
    let s: String = la
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("la-{s}")
}

/// The self-contained HTML page.
pub fn atlas_html(atlas: &Atlas) -> String {
    let frame = Frame::new(atlas);
    let with_indicators = atlas
        .authorities
        .iter()
        .filter(|a| a.indicators.is_some())
        .count();
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
                    (atlas.seed) "); published indicators for " (with_indicators)
                    " authorities. Advisory analysis of synthesised provision: a person decides."
                }
                p class="note" { "Find an authority: " a href="#authorities" { "cards by name" } "." }
                (spread_section(atlas))
                (pairs_section(atlas))
                (agreement_section(atlas))
                h2 { "Measures" }
                (definitions(atlas))
                h2 { "Assumptions" }
                ul class="note" {
                    @for a in &atlas.assumptions {
                        li { (a) }
                    }
                }
                @for ai in 0..atlas.archetypes.len() {
                    (archetype_section(atlas, ai, &frame))
                }
                (cards(atlas))
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// The measures and indicators, defined once.
fn definitions(atlas: &Atlas) -> Markup {
    html! {
        table {
            tr { th { "measure" } th { "key" } th { "unit" } th { "definition" } }
            @for m in &atlas.measures {
                tr { td { (m.label) } td { code { (m.key) } } td { (m.unit) } td style="text-align:left" { (m.definition) } }
            }
            @for i in &atlas.indicators {
                tr { td { (i.label) " (published)" } td { code { (i.key) } } td { (i.unit) } td style="text-align:left" { (i.definition) } }
            }
        }
        p class="note" {
            "Headline: specialist access (the median journey to the nearest suitable special school, unit or base with a place) for archetypes whose needs call for specialist provision; choice (suitable settings with a place within guidance) for the others. Maps are coloured and authorities ranked on it, on the value as shown, so equal values share a rank (marked =)."
        }
    }
}

/// How far each archetype's headline measure spreads across authorities.
fn spread_section(atlas: &Atlas) -> Markup {
    let varies = atlas.spreads.iter().filter(|s| s.varies).count();
    html! {
        h2 { "How much the same child's prospects vary" }
        p {
            (varies) " of " (atlas.spreads.len())
            " archetypes vary between authorities in their headline measure (the quartiles differ, or at least a quarter of authorities have none within reach)."
        }
        table {
            tr {
                th { "archetype" } th { "headline" } th { "best" } th { "better quartile" }
                th { "median" } th { "worse quartile" } th { "worst" } th { "none within reach" } th { "varies" }
            }
            @for s in &atlas.spreads {
                @let m = s.measure;
                tr {
                    td { (s.archetype) } td { (m.label()) }
                    @let (best, worst) = match m.definition().better {
                        crate::atlas::Better::Lower => (s.min, s.max),
                        crate::atlas::Better::Higher => (s.max, s.min),
                    };
                    @let (q_best, q_worst) = match m.definition().better {
                        crate::atlas::Better::Lower => (s.lower_quartile, s.upper_quartile),
                        crate::atlas::Better::Higher => (s.upper_quartile, s.lower_quartile),
                    };
                    td { (m.show(best)) } td { (m.show(q_best)) } td { (m.show(s.median)) }
                    td { (m.show(q_worst)) } td { (m.show(worst)) }
                    td { (s.none_within_reach) }
                    td { (if s.varies { "yes" } else { "no" }) }
                }
            }
        }
    }
}

/// The authorities of archetype `ai`, worse first on the headline (ties by name).
fn worse_first_cells(atlas: &Atlas, ai: usize) -> Vec<(usize, &AtlasCell)> {
    let m = atlas.headline(ai);
    let mut order: Vec<(usize, &AtlasCell)> = (0..atlas.authorities.len())
        .map(|li| (li, atlas.cell(li, ai)))
        .collect();
    order.sort_by(|a, b| {
        m.worse_first(m.of(a.1), m.of(b.1))
            .then(a.1.la.cmp(&b.1.la))
    });
    order
}

/// Per archetype, the authorities where the same child fares most differently.
fn pairs_section(atlas: &Atlas) -> Markup {
    let title = |id: &str| {
        atlas
            .archetypes
            .iter()
            .find(|a| a.id == id)
            .map_or(id.to_string(), |a| a.title.clone())
    };
    html! {
        h2 { "Same child, different authority" }
        p class="note" {
            "For each archetype, the two authorities where its headline measure differs most: across England, and between neighbours (authorities whose centres are within "
            (format!("{:.0}", crate::atlas::NEIGHBOUR_KM)) " km). Journeys differ by minutes; choice by ratio. Ties are broken by name."
        }
        table {
            tr { th { "archetype" } th { "where" } th { "measure" } th { "better" } th { "" } th { "worse" } th { "" } th { "km apart" } }
            @for c in &atlas.contrasts {
                tr {
                    td { (title(&c.archetype)) } td { (c.scope) } td { (c.measure.label()) }
                    td { a href={ "#" (slug(&c.better_la)) } { (c.better_la) } } td { (c.measure.show(c.better)) }
                    td { a href={ "#" (slug(&c.worse_la)) } { (c.worse_la) } } td { (c.measure.show(c.worse)) }
                    td { (format!("{:.0}", c.distance_km)) }
                }
            }
        }
    }
}

/// The rank correlation that unrelated rankings of `n` authorities stay within 95% of the
/// time (normal approximation, 1.96/√(n−1)).
fn chance_level(n: usize) -> Option<f64> {
    (n > 2).then(|| 1.96 / ((n - 1) as f64).sqrt())
}

fn chance(n: usize) -> String {
    chance_level(n).map_or("–".to_string(), |c| format!("±{c:.2}"))
}

/// Words for a rank correlation against the sign expected and the chance level.
fn verdict(rho: Option<f64>, expected: i8, n: usize) -> &'static str {
    let (Some(r), Some(c)) = (rho, chance_level(n)) else {
        return "not computed (a side does not vary, or too few authorities)";
    };
    let agrees = r * f64::from(expected);
    match agrees {
        a if a.abs() < c => "no clear relation (within chance)",
        a if a >= 0.5 => "agrees strongly",
        a if a >= 0.3 => "agrees moderately",
        a if a > 0.0 => "agrees weakly",
        _ => "disagrees",
    }
}

/// Spearman's rank correlations between engine measures and published indicators.
fn agreement_section(atlas: &Atlas) -> Markup {
    html! {
        h2 { "Does the engine agree with the world?" }
        @if atlas.agreement.is_empty() {
            p class="note" { "Run with --stats to read the published indicators and compare." }
        } @else {
            p {
                "Spearman's rank correlation across authorities between each engine measure and its published counterpart (ρ from −1 to 1; the sign expected if they agree is given). "
                "A weak or wrong-signed value means the synthesised provision does not reproduce what families meet there: the school file has no real designations, resource bases or capacities (they are synthesised), places are not reserved between homes, and published shares also reflect decisions, history and cross-border placements the engine does not model. Treat the atlas's rankings as what the rules and geography imply, not as a measure of any authority's offer."
            }
            table {
                tr { th { "archetype" } th { "engine measure" } th { "published indicator" } th { "expected" } th { "authorities" } th { "ρ" } th { "chance level" } th { "reading" } }
                @for g in &atlas.agreement {
                    tr {
                        td { (g.archetype) } td { (g.measure.label()) }
                        td { (g.indicator.definition().label) }
                        td { (if g.expected_sign > 0 { "+" } else { "−" }) }
                        td { (g.authorities) }
                        td { (g.rho.map_or("–".to_string(), |r| format!("{r:+.2}"))) }
                        td { (chance(g.authorities)) }
                        td { (verdict(g.rho, g.expected_sign, g.authorities)) }
                    }
                }
            }
            p class="note" {
                "Chance level: with n authorities, |ρ| below about 1.96/√(n−1) (±0.16 for 151) is within what unrelated rankings give 95% of the time. Why each pair is compared:"
            }
            ul class="note" {
                @for g in readings(atlas) {
                    li { (g.measure.label()) " / " (g.indicator.definition().label) ": " (g.reading) }
                }
            }
        }
    }
}

/// Each compared (measure, indicator) pair once, in first-seen order.
fn readings(atlas: &Atlas) -> Vec<&crate::atlas::Agreement> {
    let mut out: Vec<&crate::atlas::Agreement> = Vec::new();
    for g in &atlas.agreement {
        if !out
            .iter()
            .any(|o| o.measure == g.measure && o.indicator == g.indicator)
        {
            out.push(g);
        }
    }
    out
}

/// One archetype: its map, the hardest and easiest authorities, and the two ends compared.
fn archetype_section(atlas: &Atlas, ai: usize, frame: &Frame) -> Markup {
    let arch = &atlas.archetypes[ai];
    let m = atlas.headline(ai);
    let order = worse_first_cells(atlas, ai);
    let values: Vec<Option<f64>> = order.iter().map(|c| m.of(c.1)).collect();
    let worse = ranks_worse_first(m, &values);
    let better: Vec<(usize, bool)> = values
        .iter()
        .zip(&worse)
        .map(|(v, w)| {
            let better = values
                .iter()
                .filter(|x| m.worse_first(*v, **x).is_lt())
                .count();
            (better + 1, w.1)
        })
        .collect();
    let hardest: Vec<(usize, bool, &AtlasCell)> = order
        .iter()
        .zip(&worse)
        .map(|(c, r)| (r.0, r.1, c.1))
        .collect();
    let mut easiest: Vec<(usize, bool, &AtlasCell)> = order
        .iter()
        .zip(&better)
        .map(|(c, r)| (r.0, r.1, c.1))
        .collect();
    easiest.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.la.cmp(&b.2.la)));
    html! {
        section {
            h2 { (arch.title) }
            p class="note" {
                "archetype " code { (arch.id) } ": year " (arch.year) ", primary need "
                (arch.primary_need)
                @if !arch.features.is_empty() {
                    ", needs " (arch.features.join(", "))
                }
                @if arch.specialist { "; needs call for specialist provision" } @else { "; mainstream suits" }
                ". Ranked on " strong { (m.label()) } " (" (m.definition().definition) ")."
            }
            div class="row" {
                (map(atlas, ai, frame, m))
                (map(atlas, ai, frame, Measure::shown(arch.specialist)[1]))
            }
            div class="row" {
                (ranked(atlas, ai, "Hardest", &hardest))
                (ranked(atlas, ai, "Easiest", &easiest))
            }
        }
    }
}

/// The dot map of the authorities for archetype `ai`, coloured by measure `m`, with its key.
fn map(atlas: &Atlas, ai: usize, frame: &Frame, m: Measure) -> Markup {
    let scale = Scale::new(atlas, ai, m);
    let (w, h) = (
        format!("{:.0}", frame.width),
        format!("{:.0}", frame.height),
    );
    let key_y = frame.height - Frame::KEY + 8.0;
    let grad = format!("g{ai}-{}", m.key());
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(w) height=(h)
            viewBox={ "0 0 " (w) " " (h) } role="img"
            aria-label={ (m.label()) " by authority" } {
            defs {
                linearGradient id=(grad) {
                    @for i in 0..=4 {
                        stop offset={ (i * 25) "%" } stop-color=(colour(f64::from(i) / 4.0)) {}
                    }
                }
            }
            rect width="100%" height="100%" fill="#f4f6f8" {}
            @for (li, auth) in atlas.authorities.iter().enumerate() {
                @let c = atlas.cell(li, ai);
                a href={ "#" (slug(&auth.la)) } {
                    circle cx=(format!("{:.1}", frame.x(auth.centre.easting)))
                        cy=(format!("{:.1}", frame.y(auth.centre.northing))) r="4"
                        fill=(scale.colour(m.of(c))) stroke="#333" stroke-width="0.4" {
                        title { (auth.la) ": " (m.label()) " " (m.show(m.of(c))) }
                    }
                }
            }
            text x="8" y=(format!("{key_y:.0}")) font-size="11" { (m.label()) ": one dot per authority, by rank" }
            rect x="8" y=(format!("{:.0}", key_y + 6.0)) width="240" height="10" fill={ "url(#" (grad) ")" } {}
            text x="8" y=(format!("{:.0}", key_y + 30.0)) font-size="11" { "best " (m.show(scale.at(0.0))) }
            text x="90" y=(format!("{:.0}", key_y + 30.0)) font-size="11" { "median " (m.show(scale.at(0.5))) }
            text x="190" y=(format!("{:.0}", key_y + 30.0)) font-size="11" { "worst " (m.show(scale.at(1.0))) }
            circle cx="12" cy=(format!("{:.0}", key_y + 41.0)) r="4" fill=(NONE_COLOUR) {}
            text x="20" y=(format!("{:.0}", key_y + 45.0)) font-size="11" { "none within reach" }
        }
    }
}

/// A ranked table: rows with a rank up to [`RANKED`] (all of a tie at the last rank, at most
/// [`RANKED_MAX`] rows, the rest counted).
fn ranked(atlas: &Atlas, ai: usize, title: &str, rows: &[(usize, bool, &AtlasCell)]) -> Markup {
    let shown: Vec<&(usize, bool, &AtlasCell)> = rows.iter().filter(|r| r.0 <= RANKED).collect();
    let more = shown.len().saturating_sub(RANKED_MAX);
    let measures = Measure::shown(atlas.archetypes[ai].specialist);
    html! {
        div {
            h3 { (title) }
            table {
                tr {
                    th { "rank" } th { "authority" }
                    @for m in measures { th { (m.label()) } }
                }
                @for (rank, tied, c) in shown.iter().take(RANKED_MAX).map(|r| (r.0, r.1, r.2)) {
                    tr {
                        td { (rank) @if tied { "=" } }
                        td { a href={ "#" (slug(&c.la)) } { (c.la) } }
                        @for m in measures { td { (m.show(m.of(c))) } }
                    }
                }
            }
            @if more > 0 {
                p class="note" { "…and " (more) " more tied." }
            }
        }
    }
}

/// The authority cards: each authority's engine measures and published indicators beside
/// England's median across authorities.
fn cards(atlas: &Atlas) -> Markup {
    let n = atlas.authorities.len();
    let medians: Vec<Vec<Option<f64>>> = (0..atlas.archetypes.len())
        .map(|ai| {
            Measure::ALL
                .iter()
                .map(|m| median_of((0..n).map(|li| m.of(atlas.cell(li, ai)))))
                .collect()
        })
        .collect();
    let indicator_medians: Vec<Option<f64>> = Indicator::ALL
        .iter()
        .map(|i| {
            median_of(
                atlas
                    .authorities
                    .iter()
                    .map(|a| a.indicators.as_ref().and_then(|v| v.get(*i))),
            )
        })
        .collect();
    html! {
        section id="authorities" {
            h2 { "Authorities" }
            p class="index" {
                @for a in &atlas.authorities { a href={ "#" (slug(&a.la)) } { (a.la) } " " }
            }
            @for li in 0..n {
                (card(atlas, li, &medians, &indicator_medians))
            }
        }
    }
}

/// One authority's card.
fn card(
    atlas: &Atlas,
    li: usize,
    medians: &[Vec<Option<f64>>],
    indicator_medians: &[Option<f64>],
) -> Markup {
    let auth = &atlas.authorities[li];
    let idx = |m: Measure| Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);
    html! {
        div class="card" id=(slug(&auth.la)) {
            h3 { (auth.la) }
            p class="note" { (auth.schools) " mainstream schools; " (auth.pupils) " pupils on school rolls." }
            table {
                tr { th { "archetype" } th { "measure" } th { (auth.la) } th { "England median" } }
                @for (ai, arch) in atlas.archetypes.iter().enumerate() {
                    @for (k, m) in Measure::shown(arch.specialist).iter().take(3).enumerate() {
                        tr {
                            td { @if k == 0 { (arch.id) } }
                            td { (m.label()) }
                            td { (m.show(m.of(atlas.cell(li, ai)))) }
                            td { (m.show(medians[ai][idx(*m)])) }
                        }
                    }
                }
            }
            @if let Some(v) = &auth.indicators {
                table {
                    tr { th { "published indicator" } th { (auth.la) } th { "England median" } }
                    @for (k, i) in Indicator::ALL.iter().enumerate() {
                        tr { td { (i.definition().label) } td { (i.show(v.get(*i))) } td { (i.show(indicator_medians[k])) } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
