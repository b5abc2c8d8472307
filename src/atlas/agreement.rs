//! How much the atlas varies, and whether it agrees with the world: the spread of each
//! archetype's headline measure across authorities, and Spearman's rank correlation between
//! engine measures and their published counterparts.

use super::{Atlas, Measure, median};
use crate::io::indicators::Indicator;
use serde::Serialize;

/// How an archetype's headline measure spreads across authorities (values rounded as shown).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    /// The archetype's id.
    pub archetype: String,
    /// The engine measure.
    pub measure: Measure,
    /// Authorities with a value (the others have none within reach).
    pub with_value: usize,
    /// The smallest value.
    pub min: Option<f64>,
    /// The lower quartile.
    pub lower_quartile: Option<f64>,
    /// The median.
    pub median: Option<f64>,
    /// The upper quartile.
    pub upper_quartile: Option<f64>,
    /// The largest value.
    pub max: Option<f64>,
    /// Authorities with none within reach (journeys only).
    pub none_within_reach: usize,
    /// True when authorities differ: the quartiles differ, or some authorities have a value
    /// and at least a quarter have none within reach.
    pub varies: bool,
}

/// The `q` quantile (0..=1) of sorted `v`, by linear interpolation.
fn quantile(v: &[f64], q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let x = q * (v.len() - 1) as f64;
    let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (x - lo as f64))
}

/// The spread of every archetype's headline measure.
pub fn spreads(atlas: &Atlas) -> Vec<Spread> {
    (0..atlas.archetypes.len())
        .map(|ai| {
            let m = atlas.headline(ai);
            let all: Vec<Option<f64>> = (0..atlas.authorities.len())
                .map(|li| m.rounded(m.of(atlas.cell(li, ai))))
                .collect();
            let mut v: Vec<f64> = all.iter().flatten().copied().collect();
            v.sort_by(f64::total_cmp);
            let none = all.len() - v.len();
            let (q1, q3) = (quantile(&v, 0.25), quantile(&v, 0.75));
            let varies = q1 != q3 || (!v.is_empty() && none * 4 >= all.len());
            Spread {
                archetype: atlas.archetypes[ai].id.clone(),
                measure: m,
                with_value: v.len(),
                min: v.first().copied(),
                lower_quartile: q1,
                median: quantile(&v, 0.5),
                upper_quartile: q3,
                max: v.last().copied(),
                none_within_reach: none,
                varies,
            }
        })
        .collect()
}

/// Spearman's rank correlation of paired values (ties get their average rank); `None` with
/// fewer than three pairs or when either side is constant.
pub fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let rx = average_ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let ry = average_ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    let n = pairs.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in rx.iter().zip(&ry) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Ranks from 1, ties sharing the average of their positions.
fn average_ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|a, b| v[*a].total_cmp(&v[*b]).then(a.cmp(b)));
    let mut ranks = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in &order[i..=j] {
            ranks[*k] = avg;
        }
        i = j + 1;
    }
    ranks
}

/// One engine measure beside its published counterpart, across authorities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// The archetype's id.
    pub archetype: String,
    /// The engine measure.
    pub measure: Measure,
    /// The published indicator it is set beside.
    pub indicator: Indicator,
    /// The sign expected if the engine agrees with the world (+1 or −1).
    pub expected_sign: i8,
    /// Authorities with both values.
    pub authorities: usize,
    /// Spearman's rank correlation; `None` when a side does not vary.
    pub rho: Option<f64>,
    /// Why the pair is compared, and what a weak value means.
    pub reading: &'static str,
}

/// The pairs compared: (measure, indicator, expected sign, reading), by kind of archetype.
fn pairs(specialist: bool) -> &'static [(Measure, Indicator, i8, &'static str)] {
    if specialist {
        &[
            (
                Measure::SpecialistMinutes,
                Indicator::StateSpecialShare,
                -1,
                "where state special places are near, more plans should be in state special schools",
            ),
            (
                Measure::NoSpecialistWithinGuidance,
                Indicator::StateSpecialShare,
                -1,
                "where many homes have no specialist place within guidance, fewer plans should be in state special schools",
            ),
            (
                Measure::SpecialistIndependentOnly,
                Indicator::IndependentSpecialShare,
                1,
                "where only independent specialist settings are near, more plans should be in independent special schools",
            ),
            (
                Measure::Cost,
                Indicator::IndependentSpecialShare,
                1,
                "where the first-ranked setting costs more, more plans should be in independent special schools",
            ),
        ]
    } else {
        &[
            (
                Measure::BaseOffer,
                Indicator::ResourceBaseShare,
                1,
                "more resource bases near home should go with more plans in resource bases (partly by construction: bases are synthesised from the published counts)",
            ),
            (
                Measure::Choice,
                Indicator::TribunalAppealRate,
                -1,
                "more choice near home might go with fewer appeals to the Tribunal",
            ),
        ]
    }
}

/// The rank correlation of every compared pair, archetype by archetype, over the authorities
/// with both values.
pub fn agreement(atlas: &Atlas) -> Vec<Agreement> {
    let mut out = Vec::new();
    for (ai, arch) in atlas.archetypes.iter().enumerate() {
        for &(measure, indicator, expected_sign, reading) in pairs(arch.specialist) {
            let xy: Vec<(f64, f64)> = atlas
                .authorities
                .iter()
                .enumerate()
                .filter_map(|(li, a)| {
                    let y = a.indicators.as_ref()?.get(indicator)?;
                    // None within reach ranks as the longest journey.
                    let x = measure.of(atlas.cell(li, ai)).or(match measure {
                        Measure::SpecialistMinutes | Measure::Nearest => Some(f64::INFINITY),
                        _ => None,
                    })?;
                    Some((x, y))
                })
                .collect();
            out.push(Agreement {
                archetype: arch.id.clone(),
                measure,
                indicator,
                expected_sign,
                authorities: xy.len(),
                rho: spearman(&xy).map(|r| (r * 1000.0).round() / 1000.0),
                reading,
            });
        }
    }
    out
}

/// The median across authorities of `values` (those present).
pub fn median_of(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut v: Vec<f64> = values.flatten().collect();
    median(&mut v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_is_one_for_a_monotone_pair_and_handles_ties() {
        let up: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, (i * i) as f64)).collect();
        assert_eq!(spearman(&up), Some(1.0));
        let down: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, -(i as f64).exp())).collect();
        assert!((spearman(&down).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(average_ranks(&[5.0, 1.0, 5.0, 3.0]), [3.5, 1.0, 3.5, 2.0]);
        assert_eq!(spearman(&[(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)]), None);
        // Ties on both sides: the Pearson correlation of the average ranks.
        let r = spearman(&[(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (3.0, 3.0)]).unwrap();
        let want = 3.75 / 4.5;
        assert!((r - want).abs() < 1e-12, "{r} vs {want}");
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.25), Some(2.0));
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&[1.0, 2.0], 0.5), Some(1.5));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
