//! Provision synthesis: settings, place pools and census counts for the schools of one or more
//! authorities (and other authorities' special schools and colleges within reach), with what
//! the school file lacks derived reproducibly from published figures:
//! state special schools' LA-maintained/academy split, special-school designations and
//! features, resource bases and SEN units (hosts, needs, places), capacities, fees.

use super::geo::{Proximity, core_points};
use crate::rng::{SynthRng, largest_remainder};
use super::school::{School, SchoolClass};
use super::stats::{LaFigures, PLAN_NEEDS, Placement, SEN2_SOURCE};
use super::{Assumption, FigureSource};
use crate::model::{
    GridRef, Need, NeedSet, PlacePool, PoolId, Pounds, Setting, SettingId, SettingKind, YearGroup,
};
use std::collections::{BTreeMap, BTreeSet};

/// Options for provision synthesis.
#[derive(Clone, Debug, PartialEq)]
pub struct ProvisionOptions {
    pub seed: u64,
    /// Other authorities' special schools and colleges within this straight-line distance of
    /// a school of a target authority are included.
    pub reach_m: f64,
}

/// School-census counts kept beside the settings (`census.csv`) for the cohort synthesiser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CensusCounts {
    pub setting: String,
    pub pupils_on_roll: u32,
    pub ehc_plan_pupils: u32,
    pub sen_support_pupils: u32,
}

/// Settings with pools, census counts and the assumptions made.
#[derive(Clone, Debug, Default)]
pub struct Provision {
    /// Sorted by id.
    pub settings: Vec<Setting>,
    pub census: Vec<CensusCounts>,
    pub assumptions: Vec<Assumption>,
}

/// A kind of special school, by the needs it is designated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Archetype {
    /// Severe, profound and multiple learning difficulties.
    Complex,
    /// Moderate and specific learning difficulties.
    Learning,
    /// Autism and speech, language and communication needs.
    Communication,
    Semh,
    /// Hearing, vision, multi-sensory and physical.
    SensoryPhysical,
}

impl Archetype {
    const ALL: [Archetype; 5] = [
        Archetype::Complex,
        Archetype::Learning,
        Archetype::Communication,
        Archetype::Semh,
        Archetype::SensoryPhysical,
    ];
    /// The needs a school of this kind is designated for.
    pub fn designations(self) -> &'static [Need] {
        match self {
            Archetype::Complex => &[
                Need::Sld,
                Need::Pmld,
                Need::Msi,
                Need::Pd,
                Need::Asd,
                Need::Slcn,
                Need::Oth,
            ],
            Archetype::Learning => &[Need::Mld, Need::Spld, Need::Slcn, Need::Asd, Need::Oth],
            Archetype::Communication => &[Need::Asd, Need::Slcn],
            Archetype::Semh => &[Need::Semh],
            Archetype::SensoryPhysical => &[Need::Hi, Need::Vi, Need::Msi, Need::Pd],
        }
    }
    /// The archetype whose demand a child with primary need `need` counts towards.
    pub fn of_need(need: Need) -> Archetype {
        match need {
            Need::Sld | Need::Pmld | Need::Msi => Archetype::Complex,
            Need::Mld | Need::Spld | Need::Oth | Need::Nsa => Archetype::Learning,
            Need::Asd | Need::Slcn => Archetype::Communication,
            Need::Semh => Archetype::Semh,
            Need::Hi | Need::Vi | Need::Pd => Archetype::SensoryPhysical,
        }
    }
    /// Features a school of this kind offers.
    fn features(self) -> &'static [&'static str] {
        match self {
            Archetype::Complex => &[
                "accessible-site",
                "hydrotherapy",
                "nursing",
                "sensory-room",
                "small-class",
                "therapy-on-site",
            ],
            Archetype::Learning => &["small-class", "therapy-on-site"],
            Archetype::Communication => &["sensory-room", "small-class", "therapy-on-site"],
            Archetype::Semh => &["small-class"],
            Archetype::SensoryPhysical => &[
                "accessible-site",
                "braille",
                "signing",
                "small-class",
                "therapy-on-site",
            ],
        }
    }
    /// An archetype named by the school's name, e.g. "School for the Deaf".
    fn from_name(name: &str) -> Option<Archetype> {
        let n = name.to_ascii_lowercase();
        if ["deaf", "hearing", "blind", "visual", "sight", "physical"]
            .iter()
            .any(|k| n.contains(k))
        {
            Some(Archetype::SensoryPhysical)
        } else if n.contains("autis") {
            Some(Archetype::Communication)
        } else if ["behaviour", "emotional", "semh"]
            .iter()
            .any(|k| n.contains(k))
        {
            Some(Archetype::Semh)
        } else {
            None
        }
    }
}

/// How many archetypes a special school of this roll covers: one under 100 pupils, two under
/// 250, three from 250 (larger schools are more often generic).
fn archetype_count(roll: u32) -> usize {
    match roll {
        0..100 => 1,
        100..250 => 2,
        _ => 3,
    }
}

/// National occupancy of resourced-provision places, January 2025: 15,529 pupils (SEN2) in
/// about 18,000 places (parliamentary answer, see DOMAIN.md).
pub const RP_OCCUPANCY: f64 = 15_529.0 / 18_000.0;
/// National occupancy of SEN-unit places: 8,995 pupils in about 9,000 places.
pub const UNIT_OCCUPANCY: f64 = 8_995.0 / 9_000.0;
/// Places in a typical resource base or unit (an assumption; e.g. a 12-place autism base).
pub const BASE_PLACES: f64 = 12.0;
/// Share of special schools at or over capacity (parliamentary answer, DOMAIN.md).
pub const SPECIAL_FULL_SHARE: f64 = 0.63;
/// Share of a sixth-form school's roll in its sixth form (an assumption).
pub const SIXTH_FORM_SHARE: f64 = 0.18;
/// Share of mainstream schools with a step-free, accessible site (an assumption).
pub const ACCESSIBLE_SHARE: f64 = 0.5;
/// Share of independent special schools approved under s.41 (an assumption).
pub const S41_SHARE: f64 = 0.5;

struct LaPlan {
    figures: LaFigures,
    /// URN → academy (true) or LA-maintained (false), for state special schools.
    academy: BTreeMap<u32, bool>,
    /// URN → archetypes, for special schools and specialist colleges.
    archetypes: BTreeMap<u32, Vec<Archetype>>,
    /// URN → extra designations added so every need with plans is covered.
    extra: BTreeMap<u32, NeedSet>,
    /// Colleges of each class in the authority.
    colleges: BTreeMap<SchoolClass, usize>,
}

fn roll_of(s: &School) -> u32 {
    s.roll.unwrap_or(0)
}

/// Builds settings for the schools of the authorities `targets` (LA names), plus other
/// authorities' special schools and colleges within `options.reach_m` of them.
pub fn synthesise_provision(
    schools: &[School],
    targets: &[String],
    source: FigureSource<'_>,
    options: &ProvisionOptions,
) -> Provision {
    let is_target = |s: &School| targets.iter().any(|t| t.eq_ignore_ascii_case(&s.la_name));
    let located: Vec<&School> = schools.iter().filter(|s| s.location.is_some()).collect();
    let mut target_points: Vec<GridRef> = Vec::new();
    for t in targets {
        let own: Vec<GridRef> = located
            .iter()
            .filter(|s| s.la_name.eq_ignore_ascii_case(t))
            .map(|s| s.at())
            .collect();
        target_points.extend(core_points(&own));
    }
    let near = Proximity::new(&target_points, options.reach_m);
    let mut selected: Vec<&School> = Vec::new();
    let mut neighbours = 0usize;
    for s in &located {
        if is_target(s) {
            selected.push(s);
        } else if matches!(
            s.class,
            SchoolClass::StateSpecial
                | SchoolClass::NonMaintainedSpecial
                | SchoolClass::IndependentSpecial
                | SchoolClass::FurtherEducation
                | SchoolClass::SpecialistPost16
        ) && near.within(s.at())
        {
            selected.push(s);
            neighbours += 1;
        }
    }
    selected.sort_by_key(|s| s.urn);

    // Plans per authority involved, each computed over all of that authority's schools.
    let mut by_la: BTreeMap<&str, Vec<&School>> = BTreeMap::new();
    for s in &located {
        by_la.entry(s.la_name.as_str()).or_default().push(s);
    }
    let involved: BTreeSet<&str> = selected.iter().map(|s| s.la_name.as_str()).collect();
    let mut plans: BTreeMap<&str, LaPlan> = BTreeMap::new();
    let mut assumptions = Vec::new();
    let mut national_used = Vec::new();
    for la in &involved {
        let la_schools = &by_la[la];
        let code = la_schools[0].la_code.as_str();
        let ehcp: u64 = la_schools
            .iter()
            .map(|s| u64::from(s.ehcp.unwrap_or(0)))
            .sum();
        let figures = source.figures(code, la, ehcp).unwrap_or_else(|| {
            national_used.push(la.to_string());
            LaFigures::national_2025().scaled(la, (ehcp as f64 / super::IN_SCHOOL_SHARE) as u64)
        });
        plans.insert(la, plan_la(la_schools, figures));
    }
    if !national_used.is_empty() {
        assumptions.push(Assumption::new(
            "figures",
            format!(
                "no SEN2 figures for {}: England's January 2025 mix is used, scaled to the EHCP pupils of their schools",
                national_used.join(", ")
            ),
            SEN2_SOURCE,
        ));
    }

    let mut settings = Vec::new();
    let mut census = Vec::new();
    for s in &selected {
        let plan = &plans[s.la_name.as_str()];
        settings.push(school_setting(s, plan, options.seed));
        census.push(CensusCounts {
            setting: s.urn.to_string(),
            pupils_on_roll: roll_of(s),
            ehc_plan_pupils: s.ehcp.unwrap_or(0),
            sen_support_pupils: s.sen_support.unwrap_or(0),
        });
    }
    let mut base_notes = Vec::new();
    for la in targets {
        let Some(la_schools) = by_la
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(la))
            .map(|(_, v)| v)
        else {
            continue;
        };
        let plan = &plans[la_schools[0].la_name.as_str()];
        let (bases, note) = bases_for_la(la_schools, plan, options.seed);
        settings.extend(bases);
        base_notes.push(note);
    }
    settings.sort_by(|a, b| a.id.cmp(&b.id));
    // The order `io::load_area` gives, so a cohort drawn from these settings in memory is the
    // one drawn from the written and re-read area.
    for s in &mut settings {
        s.pools.sort_by(|a, b| a.id.cmp(&b.id));
    }
    census.sort_by(|a, b| a.setting.cmp(&b.setting));

    describe(
        &mut assumptions,
        &selected,
        &settings,
        &plans,
        neighbours,
        options,
        &base_notes,
        targets,
    );
    Provision {
        settings,
        census,
        assumptions,
    }
}

/// The LA-level decisions: the maintained/academy split of state special schools and the
/// archetypes of special schools, so that their places follow the authority's published mix.
fn plan_la(schools: &[&School], figures: LaFigures) -> LaPlan {
    let t = &figures.table;
    let mut academy = BTreeMap::new();
    let mut state: Vec<&School> = schools
        .iter()
        .copied()
        .filter(|s| s.class == SchoolClass::StateSpecial)
        .collect();
    state.sort_by(|a, b| roll_of(b).cmp(&roll_of(a)).then(a.urn.cmp(&b.urn)));
    let maintained = t.placement_total(Placement::SpecialMaintained) as f64;
    let academies = t.placement_total(Placement::SpecialAcademy) as f64;
    let share_m = if maintained + academies > 0.0 {
        maintained / (maintained + academies)
    } else {
        0.5
    };
    let total_roll: f64 = state.iter().map(|s| f64::from(roll_of(s))).sum();
    let mut roll_m = 0.0;
    let mut roll_a = 0.0;
    for s in &state {
        let r = f64::from(roll_of(s));
        if let Some(a) = s.academy {
            if a { roll_a += r } else { roll_m += r }
        }
    }
    for s in &state {
        let is_academy = s.academy.unwrap_or_else(|| {
            let r = f64::from(roll_of(s));
            let want_m = total_roll * share_m - roll_m;
            let want_a = total_roll * (1.0 - share_m) - roll_a;
            let a = want_a > want_m;
            if a {
                roll_a += r
            } else {
                roll_m += r
            }
            a
        });
        academy.insert(s.urn, is_academy);
    }

    let mut archetypes = BTreeMap::new();
    let mut extra = BTreeMap::new();
    let groups: [(SchoolClass, &[Placement]); 4] = [
        (
            SchoolClass::StateSpecial,
            &[Placement::SpecialMaintained, Placement::SpecialAcademy],
        ),
        (
            SchoolClass::IndependentSpecial,
            &[Placement::SpecialIndependent],
        ),
        (
            SchoolClass::NonMaintainedSpecial,
            &[Placement::SpecialNonMaintained],
        ),
        (
            SchoolClass::SpecialistPost16,
            &[Placement::SpecialistPost16],
        ),
    ];
    for (class, placements) in groups {
        let mut group: Vec<&School> = schools
            .iter()
            .copied()
            .filter(|s| s.class == class && s.designations.is_none_or(|d| d.is_empty()))
            .collect();
        if group.is_empty() {
            continue;
        }
        group.sort_by(|a, b| roll_of(b).cmp(&roll_of(a)).then(a.urn.cmp(&b.urn)));
        let mut demand = [0.0f64; 12];
        for p in placements {
            for (i, n) in PLAN_NEEDS.iter().enumerate() {
                demand[i] += t.get(*p, *n) as f64;
            }
        }
        if demand.iter().sum::<f64>() <= 0.0 {
            let national = LaFigures::national_2025();
            for p in placements {
                for (i, n) in PLAN_NEEDS.iter().enumerate() {
                    demand[i] += national.table.get(*p, *n) as f64;
                }
            }
        }
        assign_archetypes(&group, &demand, &mut archetypes);
        // Coverage is per kind of placement: plans in academy special schools need an academy
        // designated for their need, and likewise for LA-maintained ones.
        for p in placements {
            let members: Vec<&School> = group
                .iter()
                .copied()
                .filter(|s| {
                    placements.len() == 1
                        || academy.get(&s.urn).copied() == Some(*p == Placement::SpecialAcademy)
                })
                .collect();
            let mut d = [0.0f64; 12];
            for (i, n) in PLAN_NEEDS.iter().enumerate() {
                d[i] = t.get(*p, *n) as f64;
            }
            if d.iter().sum::<f64>() <= 0.0 {
                d = demand;
            }
            cover_needs(&members, &d, &archetypes, &mut extra);
        }
    }
    let mut colleges = BTreeMap::new();
    for s in schools {
        if matches!(
            s.class,
            SchoolClass::FurtherEducation | SchoolClass::SpecialistPost16
        ) {
            *colleges.entry(s.class).or_insert(0) += 1;
        }
    }
    LaPlan {
        figures,
        academy,
        archetypes,
        extra,
        colleges,
    }
}

/// Gives each school of a group its archetypes: name hints first, then, largest school first,
/// the archetypes furthest below their share of the group's demand.
fn assign_archetypes(
    group: &[&School],
    demand: &[f64; 12],
    archetypes: &mut BTreeMap<u32, Vec<Archetype>>,
) {
    let mut want = [0.0f64; 5];
    for (i, n) in PLAN_NEEDS.iter().enumerate() {
        want[Archetype::of_need(*n) as usize] += demand[i];
    }
    let total_want: f64 = want.iter().sum::<f64>().max(1.0);
    let total_roll: f64 = group
        .iter()
        .map(|s| f64::from(roll_of(s).max(1)))
        .sum::<f64>()
        .max(1.0);
    let mut got = [0.0f64; 5];
    for s in group {
        let roll = f64::from(roll_of(s).max(1));
        let k = archetype_count(roll_of(s));
        let mut chosen: Vec<Archetype> = Archetype::from_name(&s.name).into_iter().collect();
        while chosen.len() < k {
            let next = Archetype::ALL
                .into_iter()
                .filter(|a| !chosen.contains(a) && want[*a as usize] > 0.0)
                .max_by(|a, b| {
                    let da = want[*a as usize] / total_want - got[*a as usize] / total_roll;
                    let db = want[*b as usize] / total_want - got[*b as usize] / total_roll;
                    da.total_cmp(&db).then(b.cmp(a))
                });
            match next {
                Some(a) => chosen.push(a),
                None => break,
            }
        }
        if chosen.is_empty() {
            chosen.push(Archetype::Learning);
        }
        for a in &chosen {
            got[*a as usize] += roll / chosen.len() as f64;
        }
        chosen.sort();
        archetypes.insert(s.urn, chosen);
    }
}

/// Adds every need with demand that no school of `group` covers to the largest school sharing
/// its broad area (else the largest school).
fn cover_needs(
    group: &[&School],
    demand: &[f64; 12],
    archetypes: &BTreeMap<u32, Vec<Archetype>>,
    extra: &mut BTreeMap<u32, NeedSet>,
) {
    if group.is_empty() {
        return;
    }
    for (i, need) in PLAN_NEEDS.iter().enumerate() {
        if demand[i] <= 0.0 {
            continue;
        }
        let covered = group.iter().any(|s| {
            archetypes[&s.urn]
                .iter()
                .any(|a| a.designations().contains(need))
                || extra.get(&s.urn).is_some_and(|x| x.contains(*need))
        });
        if covered {
            continue;
        }
        // Schools named for a need (e.g. a school for the deaf) keep their designations
        // unless every school of the group is one.
        let open: Vec<&School> = group
            .iter()
            .copied()
            .filter(|s| Archetype::from_name(&s.name).is_none())
            .collect();
        let open = if open.is_empty() {
            group.to_vec()
        } else {
            open
        };
        let host = open
            .iter()
            .find(|s| {
                archetypes[&s.urn].iter().any(|a| {
                    a.designations()
                        .iter()
                        .any(|d| d.area().is_some() && d.area() == need.area())
                })
            })
            .unwrap_or(&open[0]);
        extra.entry(host.urn).or_default().insert(*need);
    }
}

fn kind_of(s: &School, plan: &LaPlan) -> SettingKind {
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

fn pool(id: &str, first: u8, last: u8, capacity: u32, on_roll: u32) -> PlacePool {
    PlacePool {
        id: PoolId::from(id),
        first_year: YearGroup(first),
        last_year: YearGroup(last),
        capacity,
        on_roll,
    }
}

/// Mainstream capacity from the roll: the average year group rounded up to a multiple of five
/// (a published admission number), times the years.
fn mainstream_capacity(roll: u32, years: u32) -> u32 {
    let per_year = f64::from(roll) / f64::from(years.max(1));
    let pan = ((per_year / 5.0).ceil() * 5.0).max(5.0) as u32;
    pan * years.max(1)
}

fn round_fee(x: f64) -> Pounds {
    Pounds(((x / 1000.0).round() * 1000.0) as i64)
}

/// The setting (with pools) for one school.
fn school_setting(s: &School, plan: &LaPlan, seed: u64) -> Setting {
    let mut rng = SynthRng::derive(seed, &format!("school:{}", s.urn));
    let kind = kind_of(s, plan);
    let (first, last) = (s.first_year, s.last_year);
    let roll = roll_of(s);
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
    if s.designations.is_some_and(|d| !d.is_empty()) && s.class.is_special() {
        for n in designations.iter() {
            features.extend(Archetype::of_need(n).features());
        }
    }
    let mut fee = None;
    let mut s41 = false;
    let pools = match s.class {
        SchoolClass::Mainstream => {
            if rng.chance(ACCESSIBLE_SHARE) {
                features.insert("accessible-site");
            }
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
        SchoolClass::StateSpecial | SchoolClass::NonMaintainedSpecial => {
            if s.class == SchoolClass::NonMaintainedSpecial {
                fee = Some(round_fee(rng.range(40_000.0, 75_000.0)));
                if rng.chance(0.5) {
                    features.insert("residential");
                }
            }
            let factor = if rng.chance(SPECIAL_FULL_SHARE) {
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
        SchoolClass::IndependentSpecial => {
            let residential = rng.chance(0.3);
            if residential {
                features.insert("residential");
            }
            fee = Some(round_fee(
                rng.range(50_000.0, 100_000.0) + if residential { 20_000.0 } else { 0.0 },
            ));
            s41 = rng.chance(S41_SHARE);
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
            let fe = &plan.figures.table;
            let (placement, class) = if s.class == SchoolClass::SpecialistPost16 {
                fee = Some(round_fee(rng.range(35_000.0, 70_000.0)));
                features.insert("residential");
                (Placement::SpecialistPost16, SchoolClass::SpecialistPost16)
            } else {
                features.insert("accessible-site");
                (Placement::FurtherEducation, SchoolClass::FurtherEducation)
            };
            let colleges = plan.college_count(class).max(1);
            let on_roll = (fe.placement_total(placement) as f64 / colleges as f64).round() as u32;
            let on_roll = on_roll.max(5);
            let cap = (f64::from(on_roll) * 1.1).round() as u32 + 5;
            vec![pool("high-needs", first, last, cap, on_roll)]
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
    }
}

impl LaPlan {
    fn college_count(&self, class: SchoolClass) -> usize {
        self.colleges.get(&class).copied().unwrap_or(0)
    }
}

/// What was done about resource bases and units in one authority.
struct BaseNote {
    la: String,
    from_file: bool,
    /// (children, places, bases) for resourced provision and for SEN units.
    rp: (u64, u64, usize),
    unit: (u64, u64, usize),
    uncovered: usize,
}

/// A short name for a need in a base's name.
fn need_label(n: Need) -> &'static str {
    match n {
        Need::Asd => "autism",
        Need::Slcn => "speech and language",
        Need::Semh => "SEMH",
        Need::Mld => "learning support",
        Need::Spld => "specific learning difficulties",
        Need::Sld => "severe learning difficulties",
        Need::Pmld => "profound learning difficulties",
        Need::Hi => "hearing support",
        Need::Vi => "vision support",
        Need::Msi => "multi-sensory",
        Need::Pd => "physical disability",
        Need::Oth | Need::Nsa => "complex needs",
    }
}

/// Features a base for `need` offers.
fn base_features(need: Need) -> &'static [&'static str] {
    match need {
        Need::Asd => &["sensory-room", "small-class"],
        Need::Slcn => &["small-class", "therapy-on-site"],
        Need::Hi => &["signing", "small-class"],
        Need::Vi => &["braille", "small-class"],
        Need::Pd => &["accessible-site", "small-class"],
        Need::Msi => &["accessible-site", "signing", "small-class"],
        _ => &["small-class"],
    }
}

/// Resource bases and units of one authority: from the file's `TypeOfResourcedProvision`
/// columns when it has them, otherwise synthesised from the SEN2 counts of pupils in them.
fn bases_for_la(schools: &[&School], plan: &LaPlan, seed: u64) -> (Vec<Setting>, BaseNote) {
    let la = schools[0].la_name.clone();
    let mut note = BaseNote {
        la: la.clone(),
        from_file: false,
        rp: (0, 0, 0),
        unit: (0, 0, 0),
        uncovered: 0,
    };
    let mut out = Vec::new();
    let t = &plan.figures.table;
    if schools.iter().any(|s| s.base_columns) {
        note.from_file = true;
        for s in schools {
            for (figures, kind, suffix) in [
                (s.resourced_provision, SettingKind::ResourcedProvision, "RP"),
                (s.sen_unit, SettingKind::SenUnit, "UN"),
            ] {
                let Some(f) = figures else { continue };
                let mut designations = s.designations.unwrap_or_default();
                if designations.is_empty() {
                    designations.insert(Need::Oth);
                }
                let capacity = f.capacity.unwrap_or(BASE_PLACES as u32);
                let on_roll = f.on_roll.unwrap_or(0);
                let c = if kind == SettingKind::ResourcedProvision {
                    &mut note.rp
                } else {
                    &mut note.unit
                };
                c.0 += u64::from(on_roll);
                c.1 += u64::from(capacity);
                c.2 += 1;
                let lead = designations.iter().next().unwrap_or(Need::Oth);
                out.push(base_setting(
                    s,
                    kind,
                    suffix,
                    lead,
                    designations,
                    capacity,
                    on_roll,
                ));
            }
        }
        return (out, note);
    }
    let mut hosted: BTreeSet<(u32, SettingKind)> = BTreeSet::new();
    for (placement, kind, occupancy, suffix) in [
        (
            Placement::ResourcedProvision,
            SettingKind::ResourcedProvision,
            RP_OCCUPANCY,
            "RP",
        ),
        (
            Placement::SenUnit,
            SettingKind::SenUnit,
            UNIT_OCCUPANCY,
            "UN",
        ),
    ] {
        let children = t.placement_total(placement);
        if children == 0 {
            continue;
        }
        let places = (children as f64 / occupancy).ceil() as u64;
        let n = ((places as f64 / BASE_PLACES).round() as usize).max(1);
        let mut weights: Vec<f64> = PLAN_NEEDS
            .iter()
            .map(|x| t.get(placement, *x) as f64)
            .collect();
        if weights.iter().sum::<f64>() <= 0.0 {
            let national = LaFigures::national_2025();
            weights = PLAN_NEEDS
                .iter()
                .map(|x| national.table.get(placement, *x) as f64)
                .collect();
        }
        let per_need = largest_remainder(n as u64, &weights);
        let mut order: Vec<usize> = (0..12).collect();
        order.sort_by(|a, b| weights[*b].total_cmp(&weights[*a]).then(a.cmp(b)));
        // Each base: its lead need, and the needs it is designated for.
        let mut needs: Vec<(Need, NeedSet)> = Vec::new();
        for &i in &order {
            for _ in 0..per_need[i] {
                needs.push((PLAN_NEEDS[i], [PLAN_NEEDS[i]].into_iter().collect()));
            }
        }
        // Needs with pupils but no base of their own join the bases of a need in the same
        // broad area; the rest share one more base when they have at least a third of a
        // base's pupils between them, else join the largest need's bases.
        let mut rest: Vec<Need> = Vec::new();
        for &i in &order {
            let need = PLAN_NEEDS[i];
            if weights[i] <= 0.0 || needs.iter().any(|(_, d)| d.contains(need)) {
                continue;
            }
            note.uncovered += 1;
            let same_area: Vec<usize> = (0..needs.len())
                .filter(|&b| needs[b].0.area().is_some() && needs[b].0.area() == need.area())
                .collect();
            if same_area.is_empty() {
                rest.push(need);
            } else {
                for b in same_area {
                    needs[b].1.insert(need);
                }
            }
        }
        let rest_pupils: f64 = rest
            .iter()
            .map(|n| weights[super::stats::need_index(*n).unwrap_or(0)])
            .sum();
        if !rest.is_empty() {
            if rest_pupils >= BASE_PLACES / 3.0 || needs.is_empty() {
                let set: NeedSet = rest.iter().copied().collect();
                needs.push((Need::Oth, set));
            } else {
                for n in &rest {
                    needs[0].1.insert(*n);
                }
            }
        }
        let n = needs.len();
        // Places and pupils follow each base's share of the pupils of its needs.
        let sharing = |need: Need| {
            needs
                .iter()
                .filter(|(_, d)| d.contains(need))
                .count()
                .max(1)
        };
        let demand: Vec<f64> = needs
            .iter()
            .map(|(_, d)| {
                d.iter()
                    .map(|x| weights[super::stats::need_index(x).unwrap_or(0)] / sharing(x) as f64)
                    .sum::<f64>()
                    .max(1.0)
            })
            .collect();
        let capacities = largest_remainder(places, &demand);
        let rolls: Vec<u64> = largest_remainder(children, &demand)
            .into_iter()
            .zip(&capacities)
            .map(|(r, c)| r.min(*c))
            .collect();
        let mut rng = SynthRng::derive(seed, &format!("bases:{la}:{suffix}"));
        let candidates: Vec<&School> = schools
            .iter()
            .copied()
            .filter(|s| s.class == SchoolClass::Mainstream && s.location.is_some())
            .collect();
        for (i, (lead, designation)) in needs.into_iter().enumerate() {
            let weights: Vec<f64> = candidates
                .iter()
                .map(|s| {
                    if hosted.contains(&(s.urn, kind)) {
                        0.0
                    } else {
                        f64::from(s.ehcp.unwrap_or(0)).max(f64::from(roll_of(s)) * 0.01)
                    }
                })
                .collect();
            let Some(h) = rng.weighted(&weights) else {
                break;
            };
            let host = candidates[h];
            hosted.insert((host.urn, kind));
            out.push(base_setting(
                host,
                kind,
                suffix,
                lead,
                designation,
                capacities[i] as u32,
                rolls[i] as u32,
            ));
        }
        let c = if kind == SettingKind::ResourcedProvision {
            &mut note.rp
        } else {
            &mut note.unit
        };
        *c = (children, places, n);
    }
    (out, note)
}

#[allow(clippy::too_many_arguments)]
fn base_setting(
    host: &School,
    kind: SettingKind,
    suffix: &str,
    lead: Need,
    designations: NeedSet,
    capacity: u32,
    on_roll: u32,
) -> Setting {
    let what = if kind == SettingKind::SenUnit {
        "unit"
    } else {
        "resource base"
    };
    let mut features: BTreeSet<&str> = BTreeSet::new();
    for n in designations.iter() {
        features.extend(base_features(n));
    }
    let last = host.last_year.min(11).max(host.first_year);
    Setting {
        id: SettingId(format!("{}-{suffix}", host.urn)),
        name: format!("{} {} {what}", host.name, need_label(lead)),
        kind,
        host: Some(SettingId(host.urn.to_string())),
        first_year: YearGroup(host.first_year),
        last_year: YearGroup(last),
        admits: host.admits,
        location: host.at(),
        designations,
        features: features.into_iter().map(str::to_string).collect(),
        pools: vec![pool("base", host.first_year, last, capacity, on_roll)],
        annual_fee: None,
        locality: host.locality.clone(),
        s41_approved: false,
        local_authority: host.la_name.clone(),
    }
}

/// The assumptions behind the provision, with the figures used.
#[allow(clippy::too_many_arguments)]
fn describe(
    out: &mut Vec<Assumption>,
    selected: &[&School],
    settings: &[Setting],
    plans: &BTreeMap<&str, LaPlan>,
    neighbours: usize,
    options: &ProvisionOptions,
    bases: &[BaseNote],
    targets: &[String],
) {
    let count = |k: SettingKind| settings.iter().filter(|s| s.kind == k).count();
    out.push(
        Assumption::new(
            "selection",
            format!(
                "{} schools of the authority; {neighbours} special schools and colleges of other authorities within {:.1} km (straight line) of one of its schools are included",
                selected.len() - neighbours,
                options.reach_m / 1000.0
            ),
            "school file; reach: 75 minutes (secondary journey guidance) at the rules' 30 km/h with road factor 1.3",
        )
        .figure("schools", (selected.len() - neighbours) as f64)
        .figure("neighbours", neighbours as f64)
        .figure("reach_km", options.reach_m / 1000.0),
    );
    out.push(Assumption::new(
        "independent-special",
        format!(
            "an independent school where at least {:.0}% of pupils have an EHC plan is an independent special school ({} found); the shared extract separates them only in London, where 71 of 78 independent special schools and 14 of 423 other independent schools meet this test",
            super::gias::INDEPENDENT_SPECIAL_SHARE * 100.0,
            count(SettingKind::SpecialIndependent)
        ),
        "school file EHCP and roll counts (January 2025 census)",
    ).figure("share", super::gias::INDEPENDENT_SPECIAL_SHARE));
    let unknown_split = selected
        .iter()
        .filter(|s| s.class == SchoolClass::StateSpecial && s.academy.is_none())
        .count();
    if unknown_split > 0 {
        let mut las: Vec<String> = Vec::new();
        for (la, p) in plans {
            if targets.len() > 5 || !targets.iter().any(|t| t.eq_ignore_ascii_case(la)) {
                continue;
            }
            let m = p
                .figures
                .table
                .placement_total(Placement::SpecialMaintained);
            let a = p.figures.table.placement_total(Placement::SpecialAcademy);
            las.push(format!("{la} {m} maintained : {a} academy"));
        }
        if las.is_empty() {
            las.push("each authority's own figures".into());
        }
        out.push(Assumption::new(
            "special-maintained-or-academy",
            format!(
                "{unknown_split} state special schools have no type beyond 'special' (academies are named as such); largest first, each is made LA-maintained or academy to bring the rolls closest to the authority's SEN2 split of plans in maintained vs academy special schools ({}; other authorities' schools within reach by their own figures); result: {} maintained, {} academy",
                las.join(", "),
                count(SettingKind::SpecialMaintained),
                count(SettingKind::SpecialAcademy)
            ),
            SEN2_SOURCE,
        ));
    }
    let assumed_years = selected.iter().filter(|s| !s.ages_known).count();
    if assumed_years > 0 {
        out.push(Assumption::new(
            "year-ranges",
            format!(
                "{assumed_years} schools have no statutory age range: primary R–6; middle 4–7 or 5–8; secondary 7–11, with a sixth form to 13 when the roll is at least {}; all-through R–13; 16 plus 12–13; state and non-maintained special R–14 (primary-phase R–6, secondary-phase 7–14); independent special 3–14; independent mainstream R–13; alternative provision 3–11; colleges 12–14 (ages 16–19; older learners are counted in 14)",
                super::school::SIXTH_FORM_ROLL
            ),
            "assumption; GIAS StatutoryLowAge/StatutoryHighAge are used when present",
        ).figure("schools", assumed_years as f64));
    }
    out.push(
        Assumption::new(
            "mainstream-capacity",
            format!(
                "mainstream capacity (when the file has no SchoolCapacity): the average year group rounded up to a multiple of 5 places, times the years; sixth forms hold {:.0}% of a school's roll; {:.0}% of mainstream schools (drawn per school) have an accessible site",
                SIXTH_FORM_SHARE * 100.0,
                ACCESSIBLE_SHARE * 100.0
            ),
            "assumption",
        )
        .figure("sixth_form_share", SIXTH_FORM_SHARE)
        .figure("accessible_share", ACCESSIBLE_SHARE),
    );
    let designated = settings
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SettingKind::SpecialMaintained
                    | SettingKind::SpecialAcademy
                    | SettingKind::SpecialIndependent
                    | SettingKind::SpecialNonMaintained
            )
        })
        .count();
    let extra: usize = plans.values().map(|p| p.extra.len()).sum();
    out.push(Assumption::new(
        "special-designations",
        format!(
            "{designated} special schools without SEN1–SEN13 designations get one to three types by roll (<100 pupils one, <250 two, else three): complex (SLD, PMLD, MSI, PD, ASD, SLCN, OTH), learning (MLD, SPLD, SLCN, ASD, OTH), communication (ASD, SLCN), SEMH, sensory-physical (HI, VI, MSI, PD); names naming deaf/blind/autism/behaviour decide first (and such schools get no extra needs while another school can take them); then, largest school first, the types furthest below their share of the authority's SEN2 plans in that kind of special school; {extra} schools got extra needs so that every need with plans is covered"
        ),
        SEN2_SOURCE,
    ));
    out.push(
        Assumption::new(
            "special-capacity",
            format!(
                "special schools: on roll = the census roll (split over primary/secondary/post-16 pools by years); {:.0}% (drawn per school) are at or over capacity (capacity 90–100% of roll), the rest have 3–20% spare",
                SPECIAL_FULL_SHARE * 100.0
            ),
            "63% of special schools at or over capacity (parliamentary answer, DOMAIN.md)",
        )
        .figure("full_share", SPECIAL_FULL_SHARE),
    );
    out.push(Assumption::new(
        "fees",
        format!(
            "annual fees: independent special £50,000–£100,000 (+£20,000 for the 30% residential), {:.0}% approved under s.41; non-maintained special £40,000–£75,000 (half residential); specialist post-16 £35,000–£70,000; independent mainstream £15,000–£30,000; rounded to £1,000, drawn per school",
            S41_SHARE * 100.0
        ),
        "DOMAIN.md: independent special placements often cost £50k–£100k+ a year; other ranges and the s.41 share are assumptions",
    ));
    out.push(Assumption::new(
        "colleges",
        "FE colleges and specialist post-16 institutions: high-needs places = the authority's SEN2 plans in that kind of college shared equally over its colleges (at least 5), capacity 10% + 5 above; colleges not in the census are FE when their phase is '16 plus' and specialist post-16 when named 'College' with no phase",
        SEN2_SOURCE,
    ));
    for b in bases {
        if b.from_file {
            out.push(Assumption::new(
                "resource-bases",
                format!(
                    "{}: resource bases and units from the file's TypeOfResourcedProvision columns: {} resourced provisions ({} places), {} units ({} places)",
                    b.la, b.rp.2, b.rp.1, b.unit.2, b.unit.1
                ),
                "GIAS",
            ));
            continue;
        }
        out.push(
            Assumption::new(
                "resource-bases",
                format!(
                    "{}: {} pupils in resourced provision → {} places at the national occupancy of {:.1}% → {} bases (about one per {} places); {} pupils in SEN units → {} places at {:.1}% → {} units; bases are shared over needs by largest remainder on the SEN2 need mix of pupils in bases, one lead need each; {} rarer needs join the bases of a need in the same broad area, or together form one more 'complex needs' base when they have at least a third of a base's pupils (else join the largest need's bases); places and pupils on roll follow each base's share of its needs' pupils; hosts are drawn among the authority's mainstream schools weighted by their EHCP pupils, at most one base of each kind per school",
                    b.la,
                    b.rp.0,
                    b.rp.1,
                    RP_OCCUPANCY * 100.0,
                    b.rp.2,
                    BASE_PLACES,
                    b.unit.0,
                    b.unit.1,
                    UNIT_OCCUPANCY * 100.0,
                    b.unit.2,
                    b.uncovered
                ),
                "SEN2 January 2025 pupils in resourced provision and SEN units; national places ~18,000 resourced provision and ~9,000 SEN unit (parliamentary answer, DOMAIN.md)",
            )
            .figure("rp_pupils", b.rp.0 as f64)
            .figure("rp_places", b.rp.1 as f64)
            .figure("rp_bases", b.rp.2 as f64)
            .figure("unit_pupils", b.unit.0 as f64)
            .figure("unit_places", b.unit.1 as f64)
            .figure("unit_bases", b.unit.2 as f64),
        );
    }
    out.push(Assumption::new(
        "localities",
        "a setting's locality is the GIAS town when given, else its postcode's outward code",
        "school file",
    ));
}
