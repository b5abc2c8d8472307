//! "Same child, different authority": for each archetype, the two authorities where its
//! headline measure differs most — across England, and between neighbours (authorities whose
//! centres are within [`NEIGHBOUR_KM`]), where a family might move a few miles and find a
//! different offer.

use super::{Atlas, Better, Measure};
use serde::Serialize;

/// Authorities whose centres (mean of their mainstream schools) are this close are neighbours.
pub const NEIGHBOUR_KM: f64 = 35.0;

/// Two authorities for one archetype.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contrast {
    /// The archetype's id.
    pub archetype: String,
    /// The measure compared.
    pub measure: Measure,
    /// `england` (the largest difference anywhere) or `neighbours`.
    pub scope: &'static str,
    /// The authority where the measure is better.
    pub better_la: String,
    /// Its value.
    pub better: Option<f64>,
    /// The authority where the measure is worse.
    pub worse_la: String,
    /// Its value.
    pub worse: Option<f64>,
    /// Straight-line distance between the authorities' centres, km.
    pub distance_km: f64,
}

/// How far apart two values of `m` are: minutes and shares by difference, counts by ratio
/// (one more than each, on a log scale); a journey with none within reach counts as the
/// search distance.
fn gap(m: Measure, a: Option<f64>, b: Option<f64>, search: f64) -> f64 {
    let v = |x: Option<f64>| m.rounded(x).unwrap_or(search);
    let (a, b) = (v(a), v(b));
    match m.definition().better {
        Better::Higher => ((a + 1.0) / (b + 1.0)).ln().abs(),
        Better::Lower => (a - b).abs(),
    }
}

/// Every archetype's contrasts: the ends of England, then the neighbours furthest apart
/// (ties broken by the authorities' names).
pub fn contrasts(atlas: &Atlas) -> Vec<Contrast> {
    let n = atlas.authorities.len();
    let mut out = Vec::new();
    for ai in 0..atlas.archetypes.len() {
        let m = atlas.headline(ai);
        let value = |li: usize| m.of(atlas.cell(li, ai));
        let km = |i: usize, j: usize| {
            let (a, b) = (&atlas.authorities[i].centre, &atlas.authorities[j].centre);
            (a.easting - b.easting).hypot(a.northing - b.northing) / 1000.0
        };
        for (scope, limit) in [("england", f64::INFINITY), ("neighbours", NEIGHBOUR_KM)] {
            let mut best: Option<(f64, usize, usize)> = None;
            for i in 0..n {
                for j in i + 1..n {
                    let g = gap(m, value(i), value(j), atlas.search_minutes);
                    if km(i, j) <= limit && best.is_none_or(|b| g > b.0) {
                        best = Some((g, i, j));
                    }
                }
            }
            let Some((_, i, j)) = best.filter(|b| b.0 > 0.0) else {
                continue;
            };
            let (b, w) = if m.worse_first(value(i), value(j)).is_lt() {
                (j, i)
            } else {
                (i, j)
            };
            out.push(Contrast {
                archetype: atlas.archetypes[ai].id.clone(),
                measure: m,
                scope,
                better_la: atlas.authorities[b].la.clone(),
                better: value(b),
                worse_la: atlas.authorities[w].la.clone(),
                worse: value(w),
                distance_km: (km(i, j) * 10.0).round() / 10.0,
            });
        }
    }
    out
}
