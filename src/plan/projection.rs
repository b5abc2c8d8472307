//! Rolling a cohort forward one year: ageing, leavers at 16/18/19, new plans at a growth rate
//! with need-mix drift. Pure functions of the cohort, the settings and a seeded generator.

use crate::model::{ChildId, GridRef, Need, NeedProfile, Setting};
use crate::testkit::Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// Annual growth of the EHC plan caseload in England, January 2019 to January 2025:
/// 353,995 → 638,745 plans (DfE SEN2, "Education, health and care plans" 2025), i.e.
/// (638745 / 353995)^(1/6) − 1 ≈ 10.3% a year.
pub const ENGLAND_GROWTH_2019_2025: f64 = 0.1033;

/// How the cohort changes from one year to the next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Growth {
    /// Net annual growth of the number of children with plans (0.08 = 8%).
    pub rate: f64,
    /// Relative annual drift of the need mix among new plans, per primary need (0.03 = that
    /// need's share of new plans grows 3% a year relative to the others).
    pub need_drift: BTreeMap<Need, f64>,
    /// Chance that a plan ends when a young person moves into NCY 12, 13 and 14 (ages 16–18),
    /// and beyond NCY 14 every plan leaves the model (ages 19–25 are not modelled).
    pub leave_at: [f64; 3],
    /// Where the rate came from, for the report.
    pub source: String,
}

impl Default for Growth {
    fn default() -> Self {
        Growth {
            rate: ENGLAND_GROWTH_2019_2025,
            need_drift: BTreeMap::new(),
            // Assumption: about a fifth of plans end at each post-16 transition (plans cease
            // when a young person leaves education or training); stated in the report.
            leave_at: [0.15, 0.20, 0.30],
            source: "England 2019–2025 caseload growth (DfE SEN2)".into(),
        }
    }
}

/// Next generator state for a draw: independent streams per (seed, draw).
pub fn draw_seed(seed: u64, draw: u64) -> u64 {
    let mut r = Rng(seed ^ draw.wrapping_mul(0xD1B5_4A32_D192_ED03));
    r.next()
}

/// Ages every child by one year, removes leavers, and adds new plans so that the cohort of
/// children with plans grows at `growth.rate` on average. New children copy the need profile of
/// an existing child with the same primary need (a template), live near that child's home, have
/// no setting yet and need a place.
pub fn advance_year(
    cohort: &[NeedProfile],
    settings: &[Setting],
    growth: &Growth,
    year_index: u32,
    calendar_year: i32,
    rng: &mut Rng,
) -> Vec<NeedProfile> {
    let before = cohort
        .iter()
        .filter(|c| c.plan_level != "sen-support")
        .count() as f64;
    let mut next: Vec<NeedProfile> = Vec::with_capacity(cohort.len() + cohort.len() / 8);
    for child in cohort {
        let year = child.year.0 + 1;
        if year > crate::model::YearGroup::MAX {
            continue;
        }
        if year >= 12 && rng.chance(growth.leave_at[(year - 12) as usize]) {
            continue;
        }
        let mut c = child.clone();
        c.year = crate::model::YearGroup(year);
        c.needs_place = child.needs_place && child.current_setting.is_none();
        next.push(c);
    }
    let kept = next
        .iter()
        .filter(|c| c.plan_level != "sen-support")
        .count() as f64;
    let mean_new = (before * (1.0 + growth.rate) - kept).max(0.0);
    let count = noisy_count(mean_new, rng);
    // Templates by primary need, children with plans in R–11 (new plans are mostly issued at
    // school age), in id order.
    let mut templates: BTreeMap<Need, Vec<&NeedProfile>> = BTreeMap::new();
    for c in cohort
        .iter()
        .filter(|c| c.plan_level != "sen-support" && c.year.0 <= 11)
    {
        templates.entry(c.primary_need).or_default().push(c);
    }
    if templates.is_empty() {
        return next;
    }
    let weights: Vec<(Need, f64)> = templates
        .iter()
        .map(|(n, v)| {
            let drift = growth.need_drift.get(n).copied().unwrap_or(0.0);
            (*n, v.len() as f64 * (1.0 + drift).powi(year_index as i32))
        })
        .collect();
    let total: f64 = weights.iter().map(|w| w.1).sum();
    for k in 0..count {
        let mut x = rng.next() as f64 / u64::MAX as f64 * total;
        let mut need = weights[weights.len() - 1].0;
        for (n, w) in &weights {
            if x < *w {
                need = *n;
                break;
            }
            x -= w;
        }
        let pool = &templates[&need];
        let t = pool[rng.below(pool.len() as u64) as usize];
        let jitter = |r: &mut Rng| (r.below(4001) as f64) - 2000.0;
        let mut c = t.clone();
        c.id = ChildId(format!("P{calendar_year}-{k:05}"));
        c.home = GridRef {
            easting: (t.home.easting + jitter(rng)).max(0.0),
            northing: (t.home.northing + jitter(rng)).max(0.0),
        };
        // A new plan is usually written for a pupil already at a mainstream school: the child
        // stays on that school's roll (and is placed afresh only if it no longer suits).
        // Children modelled on a specialist placement have no setting yet and need a place.
        c.current_setting = t.current_setting.clone().filter(|id| {
            settings
                .binary_search_by(|s| s.id.cmp(id))
                .is_ok_and(|i| settings[i].kind == crate::model::SettingKind::Mainstream)
        });
        c.preferences = Vec::new();
        c.sibling_settings = Vec::new();
        c.needs_place = c.current_setting.is_none();
        c.plan_level = if t.plan_level == "sen-support" {
            "ehcp".into()
        } else {
            t.plan_level.clone()
        };
        next.push(c);
    }
    next.sort_by(|a, b| a.id.cmp(&b.id));
    next
}

/// A whole number near `mean`: Poisson-like spread via a normal approximation (Box–Muller).
fn noisy_count(mean: f64, rng: &mut Rng) -> usize {
    if mean <= 0.0 {
        return 0;
    }
    let u1 = ((rng.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let u2 = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (mean + z * mean.sqrt()).round().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn child(id: &str, year: u8, need: Need) -> NeedProfile {
        NeedProfile {
            id: ChildId::from(id),
            year: YearGroup(year),
            sex: Sex::Male,
            home: GridRef {
                easting: 400_000.0,
                northing: 300_000.0,
            },
            primary_need: need,
            secondary_needs: NeedSet::default(),
            intensity: Intensity([1, 1, 1, 1]),
            features: vec![],
            plan_level: "ehcp".into(),
            current_setting: Some(SettingId::from("S")),
            preferences: vec![],
            sibling_settings: vec![],
            needs_place: false,
            locality: String::new(),
        }
    }

    #[test]
    fn ageing_and_leavers_with_no_growth() {
        // No growth and certain leaving at 16: year-11 children leave; year 14 leaves anyway.
        let cohort = vec![
            child("A", 3, Need::Asd),
            child("B", 11, Need::Asd),
            child("C", 14, Need::Mld),
            child("D", 0, Need::Slcn),
        ];
        let growth = Growth {
            rate: -1.0,
            leave_at: [1.0, 0.0, 0.0],
            ..Growth::default()
        };
        let next = advance_year(&cohort, &[], &growth, 1, 2026, &mut Rng(1));
        let got: Vec<(&str, u8)> = next.iter().map(|c| (c.id.as_str(), c.year.0)).collect();
        assert_eq!(got, vec![("A", 4), ("D", 1)]);
    }

    #[test]
    fn new_plans_replace_leavers_and_add_growth_on_average() {
        // 1,000 children in years 0..=9 (none leave); 10% growth → about 100 new plans.
        let cohort: Vec<NeedProfile> = (0..1000)
            .map(|i| {
                child(
                    &format!("C{i:04}"),
                    (i % 10) as u8,
                    if i % 4 == 0 { Need::Semh } else { Need::Asd },
                )
            })
            .collect();
        let growth = Growth {
            rate: 0.10,
            ..Growth::default()
        };
        let mut total_new = 0;
        for seed in 0..50 {
            let next = advance_year(&cohort, &[], &growth, 1, 2026, &mut Rng(seed));
            total_new += next.len() - 1000;
            assert!(
                next.iter()
                    .filter(|c| c.id.0.starts_with('P'))
                    .all(|c| c.needs_place && c.current_setting.is_none())
            );
        }
        let mean = total_new as f64 / 50.0;
        assert!((mean - 100.0).abs() < 5.0, "mean new plans {mean}");
    }

    #[test]
    fn need_drift_shifts_the_mix_of_new_plans() {
        let cohort: Vec<NeedProfile> = (0..1000)
            .map(|i| {
                child(
                    &format!("C{i:04}"),
                    5,
                    if i % 2 == 0 { Need::Semh } else { Need::Asd },
                )
            })
            .collect();
        let mut growth = Growth {
            rate: 0.5,
            ..Growth::default()
        };
        growth.need_drift.insert(Need::Asd, 1.0); // ASD weight doubles each year index
        let next = advance_year(&cohort, &[], &growth, 2, 2027, &mut Rng(9));
        let new: Vec<_> = next.iter().filter(|c| c.id.0.starts_with('P')).collect();
        let asd =
            new.iter().filter(|c| c.primary_need == Need::Asd).count() as f64 / new.len() as f64;
        // Weights 500×4 : 500 → 80% ASD.
        assert!((asd - 0.8).abs() < 0.05, "ASD share {asd}");
    }

    #[test]
    fn same_seed_same_cohort() {
        let cohort: Vec<NeedProfile> = (0..200)
            .map(|i| child(&format!("C{i:04}"), (i % 12) as u8, Need::Asd))
            .collect();
        let g = Growth::default();
        let a = advance_year(&cohort, &[], &g, 1, 2026, &mut Rng(draw_seed(7, 3)));
        let b = advance_year(&cohort, &[], &g, 1, 2026, &mut Rng(draw_seed(7, 3)));
        assert_eq!(a, b);
    }
}
