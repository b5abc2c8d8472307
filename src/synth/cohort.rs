//! Cohort synthesis: children with need profiles whose counts by primary need × type of
//! placement are exactly an authority's published SEN2 counts (largest-remainder shares of the
//! "need unknown" plans included), placed in settings of the right kind, with homes near
//! schools, ages, intensities, preferences and SEN-support pupils. Deterministic for a seed.

use super::Assumption;
use super::provision::CensusCounts;
use super::stats::{LaFigures, PLAN_NEEDS, Placement, SEN_SUPPORT_MIX_2022};
use crate::model::{
    ChildId, Intensity, Need, NeedProfile, NeedSet, Setting, SettingKind, Sex, YearGroup,
};
use crate::rng::Rng;
use rayon::prelude::*;
use std::collections::BTreeMap;

mod child;
mod describe;
mod settings;

use child::{level, main_area, plan_child};
use describe::{Tally, describe};
use settings::Ctx;

/// Options for cohort synthesis.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortOptions {
    pub seed: u64,
    /// Share of each school's SEN-support pupils included (0 to 1).
    pub sen_support_share: f64,
    /// Settings of other authorities within this distance of the authority's schools may be a
    /// child's current setting or preference.
    pub reach_m: f64,
    /// Children not in a school carry the SEN2 code of their arrangement (EHE, NEET, OLA, …;
    /// [`crate::model::Arrangement`]) and keep it unless they need a place; without it (the
    /// invented demo county) they have no setting and no code.
    pub arrangements: bool,
}

/// Synthesised children and the assumptions made.
#[derive(Clone, Debug, Default)]
pub struct Cohort {
    /// Sorted by id.
    pub children: Vec<NeedProfile>,
    /// Every assumption made synthesising them.
    pub assumptions: Vec<Assumption>,
}

/// Share of children with an EHC plan who are boys (an assumption in line with DfE SEN
/// statistics, where boys are more than twice as likely as girls to have a plan).
pub const MALE_SHARE_EHCP: f64 = 0.72;
/// Share of SEN-support pupils who are boys (an assumption).
pub const MALE_SHARE_SEN_SUPPORT: f64 = 0.62;
/// Distance decay (e-folding, metres) of the gravity model that pairs special schools, AP and
/// colleges with the homes of the children attending them (an assumption).
pub const DISTANCE_DECAY_M: f64 = 10_000.0;
/// Share of children moving on from mainstream whose parents ask for a special school first.
pub const PREFER_SPECIAL_SHARE: f64 = 0.15;
/// Share of those asking for a special school whose first choice is an independent one.
pub const PREFER_INDEPENDENT_SHARE: f64 = 0.2;
/// Share of children needing a place who could stay where they are and ask to.
pub const STAY_SHARE: f64 = 0.85;

/// Secondary needs: for each primary need, (secondary need, probability).
const SECONDARY: &[(Need, &[(Need, f64)])] = &[
    (Need::Asd, &[(Need::Slcn, 0.25), (Need::Semh, 0.15)]),
    (Need::Slcn, &[(Need::Asd, 0.10), (Need::Mld, 0.10)]),
    (Need::Semh, &[(Need::Asd, 0.10), (Need::Slcn, 0.10)]),
    (Need::Mld, &[(Need::Slcn, 0.20), (Need::Asd, 0.10)]),
    (Need::Spld, &[(Need::Slcn, 0.10), (Need::Semh, 0.10)]),
    (
        Need::Sld,
        &[(Need::Asd, 0.20), (Need::Slcn, 0.20), (Need::Pd, 0.10)],
    ),
    (
        Need::Pmld,
        &[(Need::Pd, 0.50), (Need::Vi, 0.20), (Need::Msi, 0.10)],
    ),
    (Need::Hi, &[(Need::Slcn, 0.30)]),
    (Need::Vi, &[(Need::Pd, 0.10)]),
    (Need::Msi, &[(Need::Pd, 0.30)]),
    (Need::Pd, &[(Need::Mld, 0.15), (Need::Slcn, 0.15)]),
    (Need::Oth, &[(Need::Mld, 0.20), (Need::Pd, 0.15)]),
];

/// Synthesises the cohort of several authorities (in parallel) and merges them, ids prefixed
/// with the LA code when there is more than one.
pub fn synthesise_many(
    settings: &[Setting],
    census: &BTreeMap<String, CensusCounts>,
    figures: &[LaFigures],
    options: &CohortOptions,
) -> Cohort {
    let many = figures.len() > 1;
    let parts: Vec<(Vec<NeedProfile>, Tally)> = figures
        .par_iter()
        .map(|f| {
            let prefix = if many {
                format!(
                    "{}-",
                    if f.la_code.is_empty() {
                        &f.la_name
                    } else {
                        &f.la_code
                    }
                )
            } else {
                String::new()
            };
            cohort_for_la(settings, census, f, options, &prefix)
        })
        .collect();
    let mut tally = Tally::default();
    let mut children = Vec::new();
    for (c, t) in parts {
        children.extend(c);
        tally.add(&t);
    }
    children.sort_by(|a, b| a.id.cmp(&b.id));
    let single = (!many).then(|| figures.first()).flatten();
    Cohort {
        children,
        assumptions: describe(&tally, single, options),
    }
}

/// Synthesises the cohort of the authority `figures.la_name` from the settings of an area
/// (its own, with `local_authority` naming it, and others' within reach).
pub fn synthesise_cohort(
    settings: &[Setting],
    census: &BTreeMap<String, CensusCounts>,
    figures: &LaFigures,
    options: &CohortOptions,
) -> Cohort {
    synthesise_many(settings, census, std::slice::from_ref(figures), options)
}

fn cohort_for_la(
    settings: &[Setting],
    census: &BTreeMap<String, CensusCounts>,
    figures: &LaFigures,
    options: &CohortOptions,
    prefix: &str,
) -> (Vec<NeedProfile>, Tally) {
    let mut ctx = Ctx::new(settings, census, &figures.la_name, options.reach_m);
    let mut tally = Tally {
        unknown_need: figures.table.unknown(),
        las: vec![figures.la_name.clone()],
        ..Tally::default()
    };
    let mix = figures.table.need_mix();
    let table = figures.table.without_unknown(&mix);
    let mut rng = Rng::derive(options.seed, &format!("cohort:{}", figures.la_name));
    let mut children = Vec::new();
    let mut seq = 0usize;
    for placement in Placement::ALL {
        for need in PLAN_NEEDS {
            for _ in 0..table.get(placement, need) {
                seq += 1;
                let id = format!("{prefix}C{seq:06}");
                let child = plan_child(
                    &mut ctx,
                    &mut rng,
                    placement,
                    need,
                    id,
                    figures,
                    &mut tally,
                    options.arrangements.then_some(options.seed),
                );
                children.push(child);
            }
        }
    }
    tally.plans = seq as u64;
    // SEN-support pupils of the authority's own mainstream schools.
    let mut sseq = 0usize;
    let mut srng = Rng::derive(options.seed, &format!("sen-support:{}", figures.la_name));
    let mix_w: Vec<f64> = SEN_SUPPORT_MIX_2022.iter().map(|m| m.1).collect();
    let own_mainstream: Vec<usize> = ctx
        .kind(SettingKind::Mainstream)
        .iter()
        .copied()
        .filter(|&i| {
            settings[i]
                .local_authority
                .trim()
                .eq_ignore_ascii_case(figures.la_name.trim())
        })
        .collect();
    for s in own_mainstream {
        let pupils = census
            .get(&settings[s].id.0)
            .map_or(0.0, |c| f64::from(c.sen_support_pupils));
        let k = srng.round_stochastic(pupils * options.sen_support_share.clamp(0.0, 1.0));
        for _ in 0..k {
            sseq += 1;
            let need = SEN_SUPPORT_MIX_2022[srng.weighted(&mix_w).unwrap_or(0)].0;
            let sex = if srng.unit_below(MALE_SHARE_SEN_SUPPORT) {
                Sex::Male
            } else {
                Sex::Female
            };
            let year = ctx.year_at(s, &mut srng, 0, 14);
            let home = ctx.home_near(s, &mut srng);
            let mut v = [0u8; 4];
            for x in &mut v {
                *x = u8::from(srng.unit_below(0.2));
            }
            v[main_area(need) as usize] = level(&mut srng, &[(1, 0.7), (2, 0.3)]);
            children.push(NeedProfile {
                id: ChildId(format!("{prefix}S{sseq:06}")),
                year: YearGroup(year),
                sex,
                home,
                primary_need: need,
                secondary_needs: NeedSet::default(),
                intensity: Intensity(v),
                features: Vec::new(),
                plan_level: "sen-support".into(),
                current_setting: Some(settings[s].id.clone()),
                preferences: vec![settings[s].id.clone()],
                sibling_settings: Vec::new(),
                needs_place: false,
                locality: settings[s].locality.clone(),
                arrangement: None,
                packages: Vec::new(),
            });
        }
    }
    tally.sen_support = sseq as u64;
    (children, tally)
}
