//! Special schools of an authority: their archetypes (the needs a school is designated for),
//! the LA-maintained/academy split of state special schools, and the designations added so
//! that every need with plans is covered.

use super::{LaPlan, roll_of};
use crate::model::{Need, NeedSet};
use crate::synth::school::{School, SchoolClass};
use crate::synth::stats::{LaFigures, PLAN_NEEDS, Placement, PlacementTable};
use std::collections::BTreeMap;

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
    pub(super) const ALL: [Archetype; 5] = [
        Archetype::Complex,
        Archetype::Learning,
        Archetype::Communication,
        Archetype::Semh,
        Archetype::SensoryPhysical,
    ];
    /// A short key, e.g. `sensory-physical`.
    pub fn key(self) -> &'static str {
        match self {
            Archetype::Complex => "complex",
            Archetype::Learning => "learning",
            Archetype::Communication => "communication",
            Archetype::Semh => "semh",
            Archetype::SensoryPhysical => "sensory-physical",
        }
    }
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
    pub(super) fn features(self) -> &'static [&'static str] {
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
}

/// The needs a school's name names, and the words that name them: a school or college for the
/// blind is VI, for the deaf HI, for the deafblind MSI; "physical" names PD, "autism" ASD,
/// "behaviour", "emotional" or "SEMH" SEMH, "speech" SLCN, "dyslexia" SPLD. Whole words only
/// (so "Insight" is not "sight"). `None` when the name names no need.
pub fn named_needs(name: &str) -> Option<(NeedSet, Vec<&'static str>)> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let starts = |p: &str| words.iter().any(|w| w.starts_with(p));
    let deafblind = has("deafblind")
        || has("multisensory")
        || lower.contains("deaf-blind")
        || lower.contains("multi-sensory");
    const RULES: [(Need, &[&str], &[&str]); 7] = [
        (Need::Hi, &["deaf", "hearing"], &[]),
        (Need::Vi, &["blind", "visual", "visually", "sight"], &[]),
        (Need::Pd, &["physical", "physically"], &[]),
        (Need::Asd, &[], &["autis"]),
        (
            Need::Semh,
            &["semh", "behaviour", "behavioural", "emotional"],
            &[],
        ),
        (Need::Slcn, &["speech"], &[]),
        (Need::Spld, &[], &["dyslexi"]),
    ];
    let mut needs = NeedSet::default();
    let mut found = Vec::new();
    if deafblind {
        needs.insert(Need::Msi);
        found.push("deafblind");
    }
    for (need, whole, prefixes) in RULES {
        if deafblind && matches!(need, Need::Hi | Need::Vi) {
            continue;
        }
        let hit = whole
            .iter()
            .find(|w| has(w))
            .or_else(|| prefixes.iter().find(|p| starts(p)));
        if let Some(w) = hit {
            needs.insert(need);
            found.push(*w);
        }
    }
    (!needs.is_empty()).then_some((needs, found))
}

/// Features a school named for `need` offers (see [`named_needs`]).
pub(super) fn named_features(need: Need) -> &'static [&'static str] {
    match need {
        Need::Hi => &["signing", "small-class"],
        Need::Vi => &["accessible-site", "braille", "small-class"],
        Need::Msi => &["braille", "signing", "small-class", "sensory-room"],
        Need::Pd => &["accessible-site", "hydrotherapy", "therapy-on-site"],
        Need::Asd => &["sensory-room", "small-class"],
        Need::Slcn => &["therapy-on-site", "small-class"],
        _ => &["small-class"],
    }
}

/// How many archetypes a special school of this roll covers: one under 100 pupils, two under
/// 250, three from 250 (larger schools are more often generic).
pub(super) fn archetype_count(roll: u32) -> usize {
    match roll {
        0..100 => 1,
        100..250 => 2,
        _ => 3,
    }
}
/// The LA-level decisions: the maintained/academy split of state special schools and the
/// archetypes of special schools, so that their places follow the authority's published mix.
pub(super) fn plan_la(schools: &[&School], figures: LaFigures) -> LaPlan {
    let t = &figures.table;
    let academy = academy_split(schools, t);
    let mut designations = SpecialDesignations::default();
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
        designations.plan_group(schools, class, placements, t, &academy);
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
    let SpecialDesignations {
        archetypes,
        extra,
        named,
        uncovered,
    } = designations;
    LaPlan {
        figures,
        academy,
        archetypes,
        extra,
        named,
        uncovered,
        colleges,
    }
}

/// URN → academy (true) or LA-maintained (false) for the authority's state special schools:
/// those of unknown type, largest first, go where they bring the rolls closest to the
/// authority's SEN2 split of plans between maintained and academy special schools.
fn academy_split(schools: &[&School], t: &PlacementTable) -> BTreeMap<u32, bool> {
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
    academy
}

/// The designations decided for an authority's special schools and specialist colleges.
#[derive(Default)]
struct SpecialDesignations {
    /// URN → archetypes, for schools not named for a need.
    archetypes: BTreeMap<u32, Vec<Archetype>>,
    /// URN → extra designations added so every need with plans is covered.
    extra: BTreeMap<u32, NeedSet>,
    /// URN → the needs the school's name names.
    named: BTreeMap<u32, NeedSet>,
    /// (kind of placement, need) with plans that no school of the kind is designated for.
    uncovered: Vec<(Placement, Need)>,
}

impl SpecialDesignations {
    /// Designates the schools of one class (with no designations in the file), whose plans
    /// are those of `placements`: by name, else by archetypes following the demand, then
    /// with extra needs so that each kind of placement covers every need with plans.
    fn plan_group(
        &mut self,
        schools: &[&School],
        class: SchoolClass,
        placements: &[Placement],
        t: &PlacementTable,
        academy: &BTreeMap<u32, bool>,
    ) {
        let mut group: Vec<&School> = Vec::new();
        // Schools whose name names needs are designated for those needs only.
        let mut named_here = Vec::new();
        for s in schools.iter().copied() {
            if s.class != class || s.designations.is_some_and(|d| !d.is_empty()) {
                continue;
            }
            match named_needs(&s.name) {
                Some((needs, _)) => {
                    self.named.insert(s.urn, needs);
                    named_here.push(s);
                }
                None => group.push(s),
            }
        }
        if group.is_empty() && named_here.is_empty() {
            return;
        }
        group.sort_by(|a, b| roll_of(b).cmp(&roll_of(a)).then(a.urn.cmp(&b.urn)));
        let demand = group_demand(t, placements);
        assign_archetypes(&group, &demand, &mut self.archetypes);
        // Coverage is per kind of placement: plans in academy special schools need an academy
        // designated for their need, and likewise for LA-maintained ones.
        let of_kind = |s: &School, p: Placement| {
            placements.len() == 1
                || academy.get(&s.urn).copied() == Some(p == Placement::SpecialAcademy)
        };
        for p in placements {
            let members: Vec<&School> = group.iter().copied().filter(|s| of_kind(s, *p)).collect();
            let covered_by_name: NeedSet = named_here
                .iter()
                .filter(|s| of_kind(s, *p))
                .flat_map(|s| self.named[&s.urn].iter())
                .collect();
            let d = placement_demand(t, *p, &demand, &covered_by_name);
            if members.is_empty() {
                self.uncovered.extend(
                    PLAN_NEEDS
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| d[*i] > 0.0)
                        .map(|(_, n)| (*p, *n)),
                );
                continue;
            }
            cover_needs(&members, &d, &self.archetypes, &mut self.extra);
        }
    }
}

/// Plans of each need over a group's kinds of placement, or England's when the authority has none.
fn group_demand(t: &PlacementTable, placements: &[Placement]) -> [f64; 12] {
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
    demand
}

/// Plans of each need in one kind of placement (the group's demand when it has none), less
/// the needs schools named for them already cover.
fn placement_demand(
    t: &PlacementTable,
    p: Placement,
    demand: &[f64; 12],
    covered_by_name: &NeedSet,
) -> [f64; 12] {
    let mut d = [0.0f64; 12];
    for (i, n) in PLAN_NEEDS.iter().enumerate() {
        d[i] = t.get(p, *n) as f64;
    }
    if d.iter().sum::<f64>() <= 0.0 {
        d = *demand;
    }
    for (i, n) in PLAN_NEEDS.iter().enumerate() {
        if covered_by_name.contains(*n) {
            d[i] = 0.0;
        }
    }
    d
}

/// Gives each school of a group (none named for a need) its archetypes: largest school first,
/// the archetypes furthest below their share of the group's demand.
pub(super) fn assign_archetypes(
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
        let mut chosen: Vec<Archetype> = Vec::new();
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
pub(super) fn cover_needs(
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
        // Schools named for a need (e.g. a school for the deaf) are not in `group`: they keep
        // the needs their name gives.
        let open = group;
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
