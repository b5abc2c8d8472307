//! The setting of one school: its kind, year-group pools, capacity, designations, features
//! and fees.

use super::special::Archetype;
use super::{ACCESSIBLE_SHARE, LaPlan, S41_SHARE, SIXTH_FORM_SHARE, SPECIAL_FULL_SHARE, roll_of};
use crate::model::{
    NeedSet, PlacePool, PoolId, Pounds, Setting, SettingId, SettingKind, YearGroup,
};
use crate::rng::{Rng, largest_remainder};
use crate::synth::school::{School, SchoolClass};
use crate::synth::stats::Placement;
use std::collections::BTreeSet;

pub(super) fn kind_of(s: &School, plan: &LaPlan) -> SettingKind {
    match s.class {
        SchoolClass::Mainstream => SettingKind::Mainstream,
        SchoolClass::StateSpecial => {
            if plan.academy.get(&s.urn).copied().unwrap_or(true) {
                SettingKind::SpecialAcademy
            } else {
                SettingKind::SpecialMaintained
            }
        }
        SchoolClass::NonMaintainedSpecial => SettingKind::SpecialNonMaintained,
        SchoolClass::IndependentSpecial => SettingKind::SpecialIndependent,
        SchoolClass::IndependentMainstream => SettingKind::IndependentMainstream,
        SchoolClass::AlternativeProvision => SettingKind::AlternativeProvision,
        SchoolClass::FurtherEducation | SchoolClass::SpecialistPost16 => {
            SettingKind::FurtherEducation
        }
    }
}

pub(super) fn pool(id: &str, first: u8, last: u8, capacity: u32, on_roll: u32) -> PlacePool {
    PlacePool {
        id: PoolId::from(id),
        first_year: YearGroup(first),
        last_year: YearGroup(last),
        capacity,
        on_roll,
        inclusion_base: None,
    }
}

/// Mainstream capacity from the roll: the average year group rounded up to a multiple of five
/// (a published admission number), times the years.
pub(super) fn mainstream_capacity(roll: u32, years: u32) -> u32 {
    let per_year = f64::from(roll) / f64::from(years.max(1));
    let pan = ((per_year / 5.0).ceil() * 5.0).max(5.0) as u32;
    pan * years.max(1)
}

pub(super) fn round_fee(x: f64) -> Pounds {
    Pounds(((x / 1000.0).round() * 1000.0) as i64)
}

/// The setting (with pools) for one school.
pub(super) fn school_setting(s: &School, plan: &LaPlan, seed: u64) -> Setting {
    let mut rng = Rng::derive(seed, &format!("school:{}", s.urn));
    let kind = kind_of(s, plan);
    let (first, last) = (s.first_year, s.last_year);
    let roll = roll_of(s);
    let (designations, mut features) = designations_and_features(s, plan);
    let mut fee = None;
    let mut s41 = false;
    let pools = match s.class {
        SchoolClass::Mainstream => {
            if rng.unit_below(ACCESSIBLE_SHARE) {
                features.insert("accessible-site");
            }
            mainstream_pools(s, roll)
        }
        SchoolClass::StateSpecial | SchoolClass::NonMaintainedSpecial => {
            if s.class == SchoolClass::NonMaintainedSpecial {
                fee = Some(round_fee(rng.range(40_000.0, 75_000.0)));
                if rng.unit_below(0.5) {
                    features.insert("residential");
                }
            }
            special_pools(first, last, roll, &mut rng)
        }
        SchoolClass::IndependentSpecial => {
            let residential = rng.unit_below(0.3);
            if residential {
                features.insert("residential");
            }
            fee = Some(round_fee(
                rng.range(50_000.0, 100_000.0) + if residential { 20_000.0 } else { 0.0 },
            ));
            s41 = rng.unit_below(S41_SHARE);
            let cap = ((f64::from(roll) * rng.range(1.0, 1.15)).round() as u32).max(1);
            vec![pool("all", first, last, cap, roll)]
        }
        SchoolClass::IndependentMainstream => {
            fee = Some(round_fee(rng.range(15_000.0, 30_000.0)));
            let cap = ((f64::from(roll) * rng.range(1.0, 1.15)).round() as u32).max(1);
            vec![pool("all", first, last, cap, roll)]
        }
        SchoolClass::AlternativeProvision => {
            features.insert("small-class");
            let cap = ((f64::from(roll) * 1.1).round() as u32).max(1);
            vec![pool("all", first, last, cap, roll)]
        }
        SchoolClass::FurtherEducation | SchoolClass::SpecialistPost16 => {
            let (placement, class) = if s.class == SchoolClass::SpecialistPost16 {
                fee = Some(round_fee(rng.range(35_000.0, 70_000.0)));
                features.insert("residential");
                (Placement::SpecialistPost16, SchoolClass::SpecialistPost16)
            } else {
                features.insert("accessible-site");
                (Placement::FurtherEducation, SchoolClass::FurtherEducation)
            };
            vec![college_pool(s, plan, placement, class)]
        }
    };
    Setting {
        id: SettingId(s.urn.to_string()),
        name: s.name.clone(),
        kind,
        host: None,
        first_year: YearGroup(first),
        last_year: YearGroup(last),
        admits: s.admits,
        location: s.at(),
        designations,
        features: features.into_iter().map(str::to_string).collect(),
        pools,
        annual_fee: fee,
        locality: s.locality.clone(),
        s41_approved: s41,
        local_authority: s.la_name.clone(),
        packages: None,
    }
}

/// A school's designations (from the file, its archetypes, extra needs and its name) and the
/// features that go with them.
fn designations_and_features(s: &School, plan: &LaPlan) -> (NeedSet, BTreeSet<&'static str>) {
    let mut designations = s.designations.unwrap_or_default();
    let mut features: BTreeSet<&str> = BTreeSet::new();
    if let Some(arch) = plan.archetypes.get(&s.urn) {
        for a in arch {
            designations = designations
                .iter()
                .chain(a.designations().iter().copied())
                .collect();
            features.extend(a.features());
        }
    }
    if let Some(x) = plan.extra.get(&s.urn) {
        designations = designations.iter().chain(x.iter()).collect();
    }
    if let Some(named) = plan.named.get(&s.urn) {
        designations = designations.iter().chain(named.iter()).collect();
        for n in named.iter() {
            features.extend(super::special::named_features(n));
        }
    }
    if s.designations.is_some_and(|d| !d.is_empty()) && s.class.is_special() {
        for n in designations.iter() {
            features.extend(Archetype::of_need(n).features());
        }
    }
    (designations, features)
}

/// A mainstream school's pools: one for the main school, and one for its sixth form when it
/// has one, sharing the roll and (when the file gives it) the capacity.
fn mainstream_pools(s: &School, roll: u32) -> Vec<PlacePool> {
    let (first, last) = (s.first_year, s.last_year);
    let has_sixth = last >= 12 && first <= 11;
    let mut pools = Vec::new();
    if has_sixth {
        let sixth_roll = (f64::from(roll) * SIXTH_FORM_SHARE).round() as u32;
        let main_roll = roll - sixth_roll;
        let cap_total = s.capacity;
        let main_years = u32::from(11 - first + 1);
        let sixth_years = u32::from(last - 12 + 1);
        let (main_cap, sixth_cap) = match cap_total {
            Some(c) => {
                let sc = (f64::from(c) * SIXTH_FORM_SHARE).round() as u32;
                (c - sc, sc)
            }
            None => (
                mainstream_capacity(main_roll, main_years),
                mainstream_capacity(sixth_roll, sixth_years),
            ),
        };
        pools.push(pool("main", first, 11, main_cap, main_roll));
        pools.push(pool("sixth", 12, last, sixth_cap, sixth_roll));
    } else {
        let years = u32::from(last - first + 1);
        let cap = s
            .capacity
            .unwrap_or_else(|| mainstream_capacity(roll, years));
        pools.push(pool("main", first, last, cap, roll));
    }
    pools
}

/// A state or non-maintained special school's pools, one per phase it spans, sharing the roll
/// by years; a drawn share of schools are at or over capacity, the rest have spare places.
fn special_pools(first: u8, last: u8, roll: u32, rng: &mut Rng) -> Vec<PlacePool> {
    let factor = if rng.unit_below(SPECIAL_FULL_SHARE) {
        rng.range(0.90, 1.0)
    } else {
        rng.range(1.03, 1.20)
    };
    let phases: Vec<(&str, u8, u8)> = [
        ("primary", 0u8, 6u8),
        ("secondary", 7, 11),
        ("post16", 12, 14),
    ]
    .into_iter()
    .filter_map(|(id, a, b)| {
        let (lo, hi) = (a.max(first), b.min(last));
        (lo <= hi).then_some((id, lo, hi))
    })
    .collect();
    let weights: Vec<f64> = phases
        .iter()
        .map(|(_, a, b)| f64::from(b - a + 1))
        .collect();
    let rolls = largest_remainder(u64::from(roll), &weights);
    phases
        .iter()
        .zip(rolls)
        .map(|((id, a, b), r)| {
            let cap = ((r as f64 * factor).round() as u32).max(1);
            pool(id, *a, *b, cap, r as u32)
        })
        .collect()
}

/// A college's high-needs pool: the authority's plans in this kind of college shared equally
/// over its colleges (at least 5), capacity 10% + 5 above.
fn college_pool(s: &School, plan: &LaPlan, placement: Placement, class: SchoolClass) -> PlacePool {
    let fe = &plan.figures.table;
    let colleges = plan.college_count(class).max(1);
    let on_roll = (fe.placement_total(placement) as f64 / colleges as f64).round() as u32;
    let on_roll = on_roll.max(5);
    let cap = (f64::from(on_roll) * 1.1).round() as u32 + 5;
    pool("high-needs", s.first_year, s.last_year, cap, on_roll)
}
