//! Cohort synthesis: children with need profiles whose counts by primary need × type of
//! placement are exactly an authority's published SEN2 counts (largest-remainder shares of the
//! "need unknown" plans included), placed in settings of the right kind, with homes near
//! schools, ages, intensities, preferences and SEN-support pupils. Deterministic for a seed.

use super::Assumption;
use super::geo::{Proximity, core_points, offset};
use super::provision::CensusCounts;
use crate::rng::{SynthRng, WeightedIndex};
use super::stats::{LaFigures, PLAN_NEEDS, Placement, SEN_SUPPORT_MIX_2022, SEN2_SOURCE};
use crate::model::{
    ChildId, GridRef, Intensity, Need, NeedArea, NeedProfile, NeedSet, Setting, SettingId,
    SettingKind, Sex, YearGroup,
};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Options for cohort synthesis.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortOptions {
    pub seed: u64,
    /// Share of each school's SEN-support pupils included (0 to 1).
    pub sen_support_share: f64,
    /// Settings of other authorities within this distance of the authority's schools may be a
    /// child's current setting or preference.
    pub reach_m: f64,
}

/// Synthesised children and the assumptions made.
#[derive(Clone, Debug, Default)]
pub struct Cohort {
    /// Sorted by id.
    pub children: Vec<NeedProfile>,
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

/// Kinds of setting a preference can be for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Mainstream,
    Base,
    Special,
    College,
}

/// One authority's settings, prepared for drawing.
struct Ctx<'a> {
    settings: &'a [Setting],
    /// Candidates by kind: the authority's own, plus other authorities' special schools,
    /// non-maintained and independent special schools, AP and colleges within reach.
    by_kind: BTreeMap<SettingKind, Vec<usize>>,
    /// Pupils on roll (census, else pools).
    roll: Vec<f64>,
    /// EHCP pupils (census, else 3% of roll).
    ehcp: Vec<f64>,
    /// Mean distance from home to this school for children living near it (metres).
    catchment: Vec<f64>,
    /// Home anchors (the authority's primary schools, else all its mainstream schools).
    anchors: Vec<usize>,
    anchor_index: WeightedIndex,
    /// Mainstream schools by sex admitted: (indices, weights by EHCP pupils).
    mainstream: [(Vec<usize>, WeightedIndex); 2],
    /// Places left to fill in each base (by setting index).
    base_slots: Vec<i64>,
    /// Index of each base's host school.
    host_of: Vec<Option<usize>>,
    /// Per setting: how reachable it is from the authority's homes (cached).
    access: Vec<Option<f64>>,
    /// Homes are drawn within this distance of a setting where possible.
    reach_m: f64,
    /// Per setting: home anchors weighted by roll × distance decay to it (cached).
    home_index: BTreeMap<usize, WeightedIndex>,
}

/// What happened while drawing, summed over authorities for the assumptions.
#[derive(Clone, Debug, Default)]
struct Tally {
    plans: u64,
    by_placement: BTreeMap<Placement, u64>,
    /// (wanted placement, what was used instead) → children.
    fallbacks: BTreeMap<(Placement, &'static str), u64>,
    undesignated: u64,
    needs_place: BTreeMap<&'static str, u64>,
    sen_support: u64,
    unknown_need: u64,
    las: Vec<String>,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.plans += o.plans;
        for (k, v) in &o.by_placement {
            *self.by_placement.entry(*k).or_default() += v;
        }
        for (k, v) in &o.fallbacks {
            *self.fallbacks.entry(*k).or_default() += v;
        }
        self.undesignated += o.undesignated;
        for (k, v) in &o.needs_place {
            *self.needs_place.entry(k).or_default() += v;
        }
        self.sen_support += o.sen_support;
        self.unknown_need += o.unknown_need;
        self.las.extend(o.las.iter().cloned());
    }
}

fn sex_slot(sex: Sex) -> usize {
    match sex {
        Sex::Female => 0,
        Sex::Male => 1,
    }
}

fn pools_roll(s: &Setting) -> f64 {
    s.pools.iter().map(|p| f64::from(p.on_roll)).sum()
}

impl<'a> Ctx<'a> {
    fn new(
        settings: &'a [Setting],
        census: &BTreeMap<String, CensusCounts>,
        la: &str,
        reach_m: f64,
    ) -> Ctx<'a> {
        let in_la: Vec<bool> = settings
            .iter()
            .map(|s| s.local_authority.trim().eq_ignore_ascii_case(la.trim()))
            .collect();
        let roll: Vec<f64> = settings
            .iter()
            .map(|s| {
                census
                    .get(&s.id.0)
                    .map_or_else(|| pools_roll(s), |c| f64::from(c.pupils_on_roll))
            })
            .collect();
        let ehcp: Vec<f64> = settings
            .iter()
            .zip(&roll)
            .map(|(s, r)| {
                census
                    .get(&s.id.0)
                    .map_or(r * 0.03, |c| f64::from(c.ehc_plan_pupils))
            })
            .collect();
        let own: Vec<GridRef> = settings
            .iter()
            .zip(&in_la)
            .filter(|(s, own)| **own && s.host.is_none())
            .map(|(s, _)| s.location)
            .collect();
        let near = Proximity::new(&core_points(&own), reach_m);
        let mut by_kind: BTreeMap<SettingKind, Vec<usize>> = BTreeMap::new();
        for (i, s) in settings.iter().enumerate() {
            let travels = matches!(
                s.kind,
                SettingKind::SpecialMaintained
                    | SettingKind::SpecialAcademy
                    | SettingKind::SpecialNonMaintained
                    | SettingKind::SpecialIndependent
                    | SettingKind::AlternativeProvision
                    | SettingKind::FurtherEducation
            );
            if in_la[i] || (travels && near.within(s.location)) {
                by_kind.entry(s.kind).or_default().push(i);
            }
        }
        let mainstream_all: Vec<usize> = by_kind
            .get(&SettingKind::Mainstream)
            .cloned()
            .unwrap_or_default();
        let mut catchment = vec![3000.0; settings.len()];
        for &i in &mainstream_all {
            let mut d: Vec<f64> = mainstream_all
                .iter()
                .filter(|&&j| {
                    j != i
                        && settings[j].first_year <= settings[i].last_year
                        && settings[i].first_year <= settings[j].last_year
                })
                .map(|&j| settings[i].location.distance_to(settings[j].location))
                .collect();
            d.sort_by(f64::total_cmp);
            let third = d.get(2).or(d.last()).copied().unwrap_or(6000.0);
            catchment[i] = (0.5 * third).clamp(600.0, 6000.0);
        }
        let primaries: Vec<usize> = mainstream_all
            .iter()
            .copied()
            .filter(|&i| settings[i].first_year.0 == 0)
            .collect();
        let mut anchors = if primaries.is_empty() {
            mainstream_all.clone()
        } else {
            primaries
        };
        if anchors.is_empty() {
            anchors = (0..settings.len())
                .filter(|&i| in_la[i] && settings[i].host.is_none())
                .collect();
        }
        if anchors.is_empty() {
            anchors = (0..settings.len()).collect();
        }
        let anchor_index = WeightedIndex::new(anchors.iter().map(|&i| roll[i].max(1.0)));
        let mainstream = [Sex::Female, Sex::Male].map(|sex| {
            let idx: Vec<usize> = mainstream_all
                .iter()
                .copied()
                .filter(|&i| settings[i].admits.admits(sex))
                .collect();
            let w = WeightedIndex::new(idx.iter().map(|&i| ehcp[i].max(roll[i] * 0.005)));
            (idx, w)
        });
        let base_slots = settings
            .iter()
            .map(|s| {
                if matches!(
                    s.kind,
                    SettingKind::ResourcedProvision | SettingKind::SenUnit
                ) {
                    s.pools.iter().map(|p| i64::from(p.on_roll)).sum()
                } else {
                    0
                }
            })
            .collect();
        let index: BTreeMap<&str, usize> = settings
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let host_of = settings
            .iter()
            .map(|s| s.host.as_ref().and_then(|h| index.get(h.as_str()).copied()))
            .collect();
        Ctx {
            access: vec![None; settings.len()],
            reach_m,
            home_index: BTreeMap::new(),
            settings,
            host_of,
            by_kind,
            roll,
            ehcp,
            catchment,
            anchors,
            anchor_index,
            mainstream,
            base_slots,
        }
    }

    fn kind(&self, k: SettingKind) -> &[usize] {
        self.by_kind.get(&k).map_or(&[], Vec::as_slice)
    }

    /// A home near setting `s`: exponential distance with the school's catchment mean.
    fn home_near(&self, s: usize, rng: &mut SynthRng) -> GridRef {
        let mean = self.catchment[s];
        let d = rng.exponential(mean).min(4.0 * mean);
        offset(
            self.settings[s].location,
            d,
            rng.range(0.0, std::f64::consts::TAU),
        )
    }

    /// A home drawn from the population: near one of the authority's primary schools drawn by
    /// roll. Returns the home and the anchor school.
    fn population_home(&self, rng: &mut SynthRng) -> (GridRef, usize) {
        let a = self.anchors[self.anchor_index.draw(rng).unwrap_or(0)];
        (self.home_near(a, rng), a)
    }

    /// A Jan-census year at setting `s`, pools weighted by pupils on roll.
    fn year_at(&self, s: usize, rng: &mut SynthRng, lo: u8, hi: u8) -> u8 {
        let st = &self.settings[s];
        let (lo, hi) = (lo.max(st.first_year.0), hi.min(st.last_year.0));
        let (lo, hi) = if lo > hi {
            (st.first_year.0, st.last_year.0)
        } else {
            (lo, hi)
        };
        let pools: Vec<(u8, u8, f64)> = st
            .pools
            .iter()
            .filter_map(|p| {
                let (a, b) = (p.first_year.0.max(lo), p.last_year.0.min(hi));
                (a <= b).then_some((a, b, f64::from(p.on_roll).max(1.0)))
            })
            .collect();
        let weights: Vec<f64> = pools.iter().map(|p| p.2).collect();
        match rng.weighted(&weights) {
            Some(i) => rng.int(u32::from(pools[i].0), u32::from(pools[i].1)) as u8,
            None => rng.int(u32::from(lo), u32::from(hi)) as u8,
        }
    }

    /// Reachability of setting `s` from the authority's homes: the roll-weighted mean over
    /// home anchors of exp(−distance / decay).
    fn access(&mut self, s: usize) -> f64 {
        if let Some(a) = self.access[s] {
            return a;
        }
        let at = self.settings[s].location;
        let (mut num, mut den) = (0.0, 0.0);
        for &a in &self.anchors {
            let w = self.roll[a].max(1.0);
            let d = at.distance_to(self.settings[a].location);
            if d <= self.reach_m {
                num += w * (-d / DISTANCE_DECAY_M).exp();
            }
            den += w;
        }
        let v = if den > 0.0 { num / den } else { 0.0 };
        self.access[s] = Some(v);
        v
    }

    /// A setting of one of `kinds` by a gravity model: weight = pupils on roll × reachability
    /// from the authority's homes; designated for `need` where any candidate is.
    fn gravity_setting(
        &mut self,
        kinds: &[SettingKind],
        need: Need,
        sex: Sex,
        fee: Option<bool>,
        rng: &mut SynthRng,
    ) -> Option<(usize, bool)> {
        let cands: Vec<usize> = kinds
            .iter()
            .flat_map(|k| self.kind(*k).iter().copied())
            .filter(|&i| self.settings[i].admits.admits(sex))
            .filter(|&i| fee.is_none_or(|f| self.settings[i].annual_fee.is_some() == f))
            .collect();
        if cands.is_empty() {
            return None;
        }
        let needs_designation = kinds.iter().any(|k| {
            !matches!(
                k,
                SettingKind::FurtherEducation | SettingKind::AlternativeProvision
            )
        });
        let designated: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&i| self.settings[i].designations.contains(need))
            .collect();
        let (pool, ok) = if !needs_designation || designated.is_empty() {
            (cands, !needs_designation)
        } else {
            (designated, true)
        };
        let weights: Vec<f64> = pool
            .iter()
            .map(|&i| self.roll[i].max(5.0) * self.access(i))
            .collect();
        let i = rng.weighted(&weights).unwrap_or(0);
        Some((pool[i], ok))
    }

    /// A home for a child attending setting `s`: near a home anchor drawn by roll ×
    /// exp(−distance to `s` / decay).
    fn home_for(&mut self, s: usize, rng: &mut SynthRng) -> (GridRef, usize) {
        if !self.home_index.contains_key(&s) {
            let at = self.settings[s].location;
            let weight = |a: usize, reach: f64| {
                let d = at.distance_to(self.settings[a].location);
                if d <= reach {
                    self.roll[a].max(1.0) * (-d / DISTANCE_DECAY_M).exp()
                } else {
                    0.0
                }
            };
            let mut w = WeightedIndex::new(self.anchors.iter().map(|&a| weight(a, self.reach_m)));
            if w.is_empty() {
                w = WeightedIndex::new(self.anchors.iter().map(|&a| weight(a, f64::INFINITY)));
            }
            self.home_index.insert(s, w);
        }
        let a = match self.home_index[&s].draw(rng) {
            Some(i) => self.anchors[i],
            None => return self.population_home(rng),
        };
        (self.home_near(a, rng), a)
    }

    /// A resource base or unit designated for `need`, filling each up to its pupils on roll.
    fn base(
        &mut self,
        kind: SettingKind,
        need: Need,
        sex: Sex,
        rng: &mut SynthRng,
    ) -> Option<(usize, bool)> {
        let cands: Vec<usize> = self
            .kind(kind)
            .iter()
            .copied()
            .filter(|&i| self.settings[i].admits.admits(sex))
            .collect();
        let designated: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&i| self.settings[i].designations.contains(need))
            .collect();
        let with_slots: Vec<usize> = designated
            .iter()
            .copied()
            .filter(|&i| self.base_slots[i] > 0)
            .collect();
        let (pool, weights, ok): (Vec<usize>, Vec<f64>, bool) = if !with_slots.is_empty() {
            let w = with_slots
                .iter()
                .map(|&i| self.base_slots[i] as f64)
                .collect();
            (with_slots, w, true)
        } else if !designated.is_empty() {
            let w = designated
                .iter()
                .map(|&i| capacity(&self.settings[i]))
                .collect();
            (designated, w, true)
        } else {
            let w = cands.iter().map(|&i| capacity(&self.settings[i])).collect();
            (cands, w, false)
        };
        let i = pool[rng.weighted(&weights)?];
        self.base_slots[i] -= 1;
        Some((i, ok))
    }

    /// Up to `n` nearest settings of `family` admitting `year` and `sex` (designated for one
    /// of `needs` where designation matters), nearest first.
    #[allow(clippy::too_many_arguments)]
    fn nearest(
        &self,
        family: Family,
        needs: NeedSet,
        year: YearGroup,
        sex: Sex,
        home: GridRef,
        independent: bool,
        n: usize,
    ) -> Vec<usize> {
        let kinds: &[SettingKind] = match family {
            Family::Mainstream => &[SettingKind::Mainstream],
            Family::Base => &[SettingKind::ResourcedProvision, SettingKind::SenUnit],
            Family::Special if independent => &[SettingKind::SpecialIndependent],
            Family::Special => &[
                SettingKind::SpecialMaintained,
                SettingKind::SpecialAcademy,
                SettingKind::SpecialNonMaintained,
            ],
            Family::College => &[SettingKind::FurtherEducation],
        };
        let mut cands: Vec<(f64, usize)> = kinds
            .iter()
            .flat_map(|k| self.kind(*k).iter().copied())
            .filter(|&i| {
                let s = &self.settings[i];
                s.admits_year(year)
                    && s.admits.admits(sex)
                    && (matches!(family, Family::Mainstream | Family::College)
                        || s.designations.intersects(needs))
            })
            .map(|i| (home.distance_to(self.settings[i].location), i))
            .collect();
        cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cands.into_iter().take(n).map(|c| c.1).collect()
    }
}

fn capacity(s: &Setting) -> f64 {
    s.pools
        .iter()
        .map(|p| f64::from(p.capacity))
        .sum::<f64>()
        .max(1.0)
}

/// A level drawn from (level, probability) pairs.
fn level(rng: &mut SynthRng, dist: &[(u8, f64)]) -> u8 {
    let w: Vec<f64> = dist.iter().map(|d| d.1).collect();
    rng.weighted(&w).map_or(dist[0].0, |i| dist[i].0)
}

/// The broad area a need's intensity is recorded under (OTH, e.g. Down syndrome, and NSA
/// under cognition and learning).
fn main_area(need: Need) -> NeedArea {
    need.area().unwrap_or(NeedArea::CognitionLearning)
}

/// Main-area intensity by placement (an assumption: more specialist placements, higher need).
fn main_level(placement: Placement, rng: &mut SynthRng) -> u8 {
    use Placement as P;
    match placement {
        P::Mainstream | P::IndependentMainstream => level(rng, &[(1, 0.25), (2, 0.55), (3, 0.20)]),
        P::ResourcedProvision | P::SenUnit => level(rng, &[(2, 0.5), (3, 0.5)]),
        P::SpecialMaintained | P::SpecialAcademy => level(rng, &[(2, 0.15), (3, 0.55), (4, 0.30)]),
        P::SpecialIndependent | P::SpecialNonMaintained | P::SpecialistPost16 => {
            level(rng, &[(3, 0.5), (4, 0.5)])
        }
        P::AlternativeProvision => level(rng, &[(2, 0.3), (3, 0.6), (4, 0.1)]),
        P::FurtherEducation => level(rng, &[(1, 0.3), (2, 0.5), (3, 0.2)]),
        _ => level(rng, &[(1, 0.2), (2, 0.5), (3, 0.3)]),
    }
}

fn in_mainstream_class(p: Placement) -> bool {
    matches!(p, Placement::Mainstream | Placement::IndependentMainstream)
}

/// Intensities for a child with an EHC plan.
fn plan_intensity(
    need: Need,
    secondary: NeedSet,
    placement: Placement,
    rng: &mut SynthRng,
) -> Intensity {
    let mut v = [0u8; 4];
    for x in &mut v {
        *x = level(rng, &[(0, 0.5), (1, 0.35), (2, 0.15)]);
    }
    let main = main_area(need) as usize;
    v[main] = main_level(placement, rng);
    let (comm, cog, sens) = (
        NeedArea::CommunicationInteraction as usize,
        NeedArea::CognitionLearning as usize,
        NeedArea::SensoryPhysical as usize,
    );
    match need {
        Need::Pmld => {
            v[cog] = 4;
            v[comm] = v[comm].max(3);
            v[sens] = v[sens].max(2);
        }
        Need::Sld if in_mainstream_class(placement) => v[cog] = v[cog].min(2),
        Need::Sld => v[cog] = v[cog].max(3),
        _ => {}
    }
    for n in secondary.iter() {
        let a = main_area(n) as usize;
        v[a] = v[a].max(1 + u8::from(rng.chance(0.5)));
    }
    if in_mainstream_class(placement) {
        // The rules send total intensity 10+ to more than a mainstream class; keep the
        // child's current placement consistent with them.
        while v.iter().sum::<u8>() >= 10 {
            let j = (0..4)
                .filter(|&j| j != main && v[j] > 0)
                .max_by_key(|&j| v[j])
                .unwrap_or(main);
            v[j] -= 1;
        }
    }
    Intensity(v)
}

fn secondary_needs(need: Need, rng: &mut SynthRng) -> NeedSet {
    let mut s = NeedSet::default();
    if let Some((_, list)) = SECONDARY.iter().find(|(n, _)| *n == need) {
        for (n, p) in *list {
            if rng.chance(*p) {
                s.insert(*n);
            }
        }
    }
    s
}

/// Features a child's plan requires, kept to those the current setting offers.
fn required_features(
    need: Need,
    intensity: Intensity,
    current: Option<&Setting>,
    rng: &mut SynthRng,
) -> Vec<String> {
    let sens = intensity.get(NeedArea::SensoryPhysical);
    let mut want: Vec<&str> = Vec::new();
    match need {
        Need::Pd if sens >= 3 => want.push("accessible-site"),
        Need::Hi | Need::Msi if sens >= 4 => want.push("signing"),
        Need::Vi if sens >= 4 => want.push("braille"),
        Need::Pmld if rng.chance(0.4) => want.push("nursing"),
        _ => {}
    }
    let mut out: Vec<String> = want
        .into_iter()
        .filter(|f| current.is_none_or(|s| s.features.iter().any(|x| x == f)))
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

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
    let mut rng = SynthRng::derive(options.seed, &format!("cohort:{}", figures.la_name));
    let mut children = Vec::new();
    let mut seq = 0usize;
    for placement in Placement::ALL {
        for need in PLAN_NEEDS {
            for _ in 0..table.get(placement, need) {
                seq += 1;
                let id = format!("{prefix}C{seq:06}");
                let child =
                    plan_child(&mut ctx, &mut rng, placement, need, id, figures, &mut tally);
                children.push(child);
            }
        }
    }
    tally.plans = seq as u64;
    // SEN-support pupils of the authority's own mainstream schools.
    let mut sseq = 0usize;
    let mut srng = SynthRng::derive(options.seed, &format!("sen-support:{}", figures.la_name));
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
            let sex = if srng.chance(MALE_SHARE_SEN_SUPPORT) {
                Sex::Male
            } else {
                Sex::Female
            };
            let year = ctx.year_at(s, &mut srng, 0, 14);
            let home = ctx.home_near(s, &mut srng);
            let mut v = [0u8; 4];
            for x in &mut v {
                *x = u8::from(srng.chance(0.2));
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
            });
        }
    }
    tally.sen_support = sseq as u64;
    (children, tally)
}

#[allow(clippy::too_many_arguments)]
fn plan_child(
    ctx: &mut Ctx<'_>,
    rng: &mut SynthRng,
    placement: Placement,
    need: Need,
    id: String,
    figures: &LaFigures,
    tally: &mut Tally,
) -> NeedProfile {
    use Placement as P;
    use SettingKind as K;
    *tally.by_placement.entry(placement).or_default() += 1;
    let sex = if rng.chance(MALE_SHARE_EHCP) {
        Sex::Male
    } else {
        Sex::Female
    };
    // Where the child is in January, and the January year group.
    let mut current: Option<usize> = None;
    let mut anchor: Option<usize> = None;
    let mut home: Option<GridRef> = None;
    let mut designated = true;
    let mut fell_back = false;
    match placement {
        P::Mainstream => {
            let (idx, w) = &ctx.mainstream[sex_slot(sex)];
            current = w.draw(rng).map(|i| idx[i]);
        }
        P::ResourcedProvision | P::SenUnit => {
            let kind = placement.setting_kind().unwrap_or(K::ResourcedProvision);
            if let Some((s, ok)) = ctx.base(kind, need, sex, rng) {
                current = Some(s);
                designated = ok;
            }
        }
        P::IndependentMainstream => {
            let cands: Vec<usize> = ctx
                .kind(K::IndependentMainstream)
                .iter()
                .copied()
                .filter(|&i| ctx.settings[i].admits.admits(sex))
                .collect();
            let w: Vec<f64> = cands.iter().map(|&i| ctx.ehcp[i].max(0.5)).collect();
            current = rng.weighted(&w).map(|i| cands[i]);
        }
        P::SpecialMaintained
        | P::SpecialAcademy
        | P::SpecialIndependent
        | P::SpecialNonMaintained
        | P::AlternativeProvision
        | P::FurtherEducation
        | P::SpecialistPost16 => {
            let kind = placement.setting_kind().unwrap_or(K::SpecialAcademy);
            let fee = match placement {
                P::FurtherEducation => Some(false),
                P::SpecialistPost16 => Some(true),
                _ => None,
            };
            let mut found = ctx.gravity_setting(&[kind], need, sex, fee, rng);
            if found.is_none() {
                let (alt, label): (&[K], &'static str) = match placement {
                    P::SpecialMaintained => (&[K::SpecialAcademy], "special-academy"),
                    P::SpecialAcademy => (&[K::SpecialMaintained], "special-maintained"),
                    P::SpecialNonMaintained => (&[K::SpecialIndependent], "special-independent"),
                    P::SpecialIndependent => (&[K::SpecialNonMaintained], "special-non-maintained"),
                    P::FurtherEducation | P::SpecialistPost16 => {
                        (&[K::FurtherEducation], "the other kind of college")
                    }
                    _ => (&[], "no setting"),
                };
                found = ctx.gravity_setting(alt, need, sex, None, rng);
                let used = if found.is_some() { label } else { "no setting" };
                *tally.fallbacks.entry((placement, used)).or_default() += 1;
                fell_back = true;
            }
            if let Some((s, ok)) = found {
                current = Some(s);
                designated = ok;
                let (h, a) = ctx.home_for(s, rng);
                home = Some(h);
                anchor = Some(a);
            }
        }
        _ => {}
    }
    if current.is_none() && placement.setting_kind().is_some() && !fell_back {
        *tally
            .fallbacks
            .entry((placement, "no setting"))
            .or_default() += 1;
    }
    if !designated {
        tally.undesignated += 1;
    }
    let jan_year: i32 = match (current, placement) {
        (_, P::EarlyYears) => -1,
        (Some(s), P::FurtherEducation | P::SpecialistPost16) => {
            i32::from(ctx.year_at(s, rng, 12, 14))
        }
        (Some(s), _) => i32::from(ctx.year_at(s, rng, 0, 14)),
        (None, P::NotInEducation) => rng.int(11, 14) as i32,
        (None, P::ElectiveHome) => rng.int(1, 11) as i32,
        (None, P::FurtherEducation | P::SpecialistPost16) => rng.int(12, 14) as i32,
        (None, P::ElsewhereOther) => rng.int(1, 14) as i32,
        (None, _) => rng.int(0, 14) as i32,
    };
    let year = YearGroup((jan_year + 1).clamp(0, 14) as u8);
    let home = match (home, current) {
        (Some(h), _) => h,
        (None, Some(s)) => {
            let host = ctx.host_of[s].unwrap_or(s);
            anchor = Some(host);
            ctx.home_near(host, rng)
        }
        (None, None) => {
            let (h, a) = ctx.population_home(rng);
            anchor = Some(a);
            h
        }
    };
    let secondary = secondary_needs(need, rng);
    let intensity = plan_intensity(need, secondary, placement, rng);
    let current_setting = current.map(|s| &ctx.settings[s]);
    let features = required_features(need, intensity, current_setting, rng);

    // Does the child need a place named this round?
    let moving_on = current.is_some_and(|s| !ctx.settings[s].admits_year(year));
    let reason: Option<&'static str> = if moving_on {
        Some("moving on: the current setting does not teach the next year group")
    } else if matches!(year.0, 0 | 7 | 12) && current.is_some() {
        Some("phase transfer year (R, 7 or 12)")
    } else if current.is_none() && matches!(placement, P::EarlyYears) {
        Some("starting school from early years")
    } else if current.is_none() && matches!(placement, P::NotInEducation) {
        Some("not in education or training")
    } else if current.is_some() && rng.chance(figures.new_plan_share) {
        Some("new plan")
    } else {
        None
    };
    if let Some(r) = reason {
        *tally.needs_place.entry(r).or_default() += 1;
    }
    let needs = {
        let mut n = secondary;
        n.insert(need);
        n
    };
    let mut preferences: Vec<SettingId> = Vec::new();
    if reason.is_none() {
        preferences.extend(current.map(|s| ctx.settings[s].id.clone()));
    } else if let Some(s) = current.filter(|_| !moving_on)
        && rng.chance(STAY_SHARE)
    {
        preferences.push(ctx.settings[s].id.clone());
    } else {
        let total = intensity.total();
        let family = match placement {
            P::Mainstream | P::IndependentMainstream if year.0 >= 12 => {
                if rng.chance(0.5) {
                    Family::College
                } else {
                    Family::Mainstream
                }
            }
            P::Mainstream | P::IndependentMainstream => {
                if rng.chance(PREFER_SPECIAL_SHARE) {
                    Family::Special
                } else {
                    Family::Mainstream
                }
            }
            P::ResourcedProvision | P::SenUnit => Family::Base,
            P::SpecialMaintained
            | P::SpecialAcademy
            | P::SpecialIndependent
            | P::SpecialNonMaintained => {
                if year.0 >= 12 && rng.chance(0.5) {
                    Family::College
                } else {
                    Family::Special
                }
            }
            P::AlternativeProvision => {
                if rng.chance(0.5) {
                    Family::Special
                } else {
                    Family::Mainstream
                }
            }
            P::FurtherEducation | P::SpecialistPost16 => Family::College,
            P::NotInEducation if year.0 >= 12 => Family::College,
            _ if total >= 9 => Family::Special,
            _ => Family::Mainstream,
        };
        let independent = family == Family::Special && rng.chance(PREFER_INDEPENDENT_SHARE);
        let mut picks = ctx.nearest(family, needs, year, sex, home, independent, 2);
        if picks.is_empty() && family != Family::Mainstream {
            let fallback = if year.0 >= 12 {
                Family::College
            } else {
                Family::Mainstream
            };
            picks = ctx.nearest(fallback, needs, year, sex, home, false, 2);
        }
        if picks.is_empty() {
            picks = ctx.nearest(Family::Mainstream, needs, year, sex, home, false, 2);
        }
        preferences.extend(picks.into_iter().map(|s| ctx.settings[s].id.clone()));
        if let Some(s) = current.filter(|_| !moving_on) {
            let id = ctx.settings[s].id.clone();
            if !preferences.contains(&id) {
                preferences.push(id);
            }
        }
    }
    NeedProfile {
        id: ChildId(id),
        year,
        sex,
        home,
        primary_need: need,
        secondary_needs: secondary,
        intensity,
        features,
        plan_level: "ehcp".into(),
        current_setting: current.map(|s| ctx.settings[s].id.clone()),
        preferences,
        sibling_settings: Vec::new(),
        needs_place: reason.is_some(),
        locality: anchor
            .map(|a| ctx.settings[a].locality.clone())
            .unwrap_or_default(),
    }
}

/// The assumptions behind a cohort.
fn describe(t: &Tally, single: Option<&LaFigures>, options: &CohortOptions) -> Vec<Assumption> {
    let mut out = Vec::new();
    let who = if t.las.len() == 1 {
        t.las[0].clone()
    } else {
        format!("{} authorities", t.las.len())
    };
    let source = single.map_or(SEN2_SOURCE.to_string(), |f| f.source.clone());
    let by: Vec<String> = t
        .by_placement
        .iter()
        .map(|(p, n)| format!("{} {n}", p.key()))
        .collect();
    out.push(
        Assumption::new(
            "cohort-counts",
            format!(
                "{who}: {} children with an EHC plan, exactly the published counts by primary need × type of placement ({}); the {} plans with need unknown are shared over the known needs of the same placement by largest remainder",
                t.plans,
                by.join(", "),
                t.unknown_need
            ),
            source.clone(),
        )
        .figure("plans", t.plans as f64)
        .figure("need_unknown", t.unknown_need as f64),
    );
    out.push(Assumption::new(
        "placements",
        "SEN2 placement types map to setting kinds: mainstream (LA-maintained, academy, free school) → mainstream; (resourced provision) → resourced-provision; (SEN unit) → sen-unit; mainstream independent → independent-mainstream; special LA-maintained / academy-free / independent / non-maintained → the special kinds; AP/PRU → alternative-provision; general FE, UKRLP and specialist post-16 → further-education (specialist ones charge a fee); non-maintained early years, educated elsewhere (EHE, NEET, other arrangements, Welsh establishments) and placement not recorded → kept with no current setting",
        SEN2_SOURCE,
    ));
    for ((p, used), n) in &t.fallbacks {
        out.push(
            Assumption::new(
                "placement-fallback",
                format!(
                    "{n} children placed in {} have none of that kind within reach: {}",
                    p.key(),
                    if *used == "no setting" {
                        "kept with no current setting".to_string()
                    } else {
                        format!("placed in {used} instead")
                    }
                ),
                "area settings",
            )
            .figure("children", *n as f64),
        );
    }
    if t.undesignated > 0 {
        out.push(
            Assumption::new(
                "undesignated",
                format!(
                    "{} children are placed in a base or special school not designated for their needs because none of the kind within reach is",
                    t.undesignated
                ),
                "area settings",
            )
            .figure("children", t.undesignated as f64),
        );
    }
    out.push(Assumption::new(
        "current-settings",
        format!(
            "mainstream children go to the authority's mainstream schools drawn by their January 2025 EHCP pupils, with homes near the school; resource bases and units fill to their pupils on roll, designated for the child's need first; special schools, AP and colleges (the authority's and others' within {:.1} km) follow a gravity model: a (setting, home area) pair is drawn with weight ∝ setting roll × home-area roll × exp(−distance / {:.0} km), among settings designated for the child's primary need where any is (home areas: the authority's primary schools within the reach of the setting)",
            options.reach_m / 1000.0,
            DISTANCE_DECAY_M / 1000.0
        ),
        "school census counts in the school file; assumption for the distance decay",
    ));
    out.push(Assumption::new(
        "homes",
        "homes: near the current mainstream school (or the base's host), or for other children near one of the authority's primary schools drawn by roll; at an exponential distance with mean half the distance to the school's third-nearest mainstream school of the same phase (0.6–6 km, so longer in rural areas), in a uniform direction; a child's locality is that school's",
        "assumption; school locations and rolls from the school file",
    ));
    out.push(Assumption::new(
        "ages",
        "`year` is the national curriculum year in the placement year (September after the January census): the January year is drawn at the current setting weighted by its pools' pupils (colleges 12–14), plus one, capped at 14; early years → R; not in education 11–14, elective home education 1–11, other elsewhere 1–14, not recorded R–14 (January years)",
        "assumption",
    ));
    out.push(Assumption::new(
        "sex",
        format!(
            "{:.0}% of children with a plan and {:.0}% of SEN-support pupils are boys",
            MALE_SHARE_EHCP * 100.0,
            MALE_SHARE_SEN_SUPPORT * 100.0
        ),
        "assumption in line with DfE SEN statistics (boys are more than twice as likely as girls to have an EHC plan); not in the shared data",
    ).figure("male_ehcp", MALE_SHARE_EHCP).figure("male_sen_support", MALE_SHARE_SEN_SUPPORT));
    out.push(Assumption::new(
        "intensity",
        "intensity in the primary need's broad area (OTH and NSA under cognition) by placement: mainstream 1–3 (mostly 2), bases 2–3, state special 2–4 (mostly 3), independent/non-maintained special and specialist colleges 3–4, AP 2–4, FE 1–3; other areas 0–2 (mostly 0); PMLD: cognition 4, communication ≥3, sensory ≥2; SLD: cognition ≥3 except in mainstream classes (≤2); a secondary need's area at least 1–2; children in mainstream classes keep a total under 10 (the rules' threshold for more than a mainstream class)",
        "assumption, matched to the shipped rules (rules/england/suitability.toml)",
    ));
    out.push(Assumption::new(
        "secondary-needs",
        "secondary needs drawn per primary need, e.g. ASD: SLCN 25%, SEMH 15%; SLD: ASD 20%, SLCN 20%, PD 10%; PMLD: PD 50%, VI 20%, MSI 10%; HI: SLCN 30% (table in src/synth/cohort.rs)",
        "assumption",
    ));
    out.push(Assumption::new(
        "features",
        "required features: PD with sensory-physical intensity ≥3 → accessible-site; HI/MSI at 4 → signing; VI at 4 → braille; PMLD 40% → nursing; kept only when the current setting offers them. No siblings are synthesised",
        "assumption",
    ));
    let np: Vec<String> = t
        .needs_place
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let share = single.map_or(String::from("each authority's"), |f| {
        format!("{:.1}%", f.new_plan_share * 100.0)
    });
    out.push(Assumption::new(
        "needs-place",
        format!(
            "needs_place is true when the current setting does not teach the next year group, in transfer years R, 7 and 12 (phase-transfer review, SEND Code of Practice 9.179), for early-years and not-in-education children, and for a share of other children in a setting equal to the net growth of plans over the year ({share}, a lower bound for new plans): {}",
            np.join("; ")
        ),
        "SEN2 caseload January 2024 and 2025",
    ));
    out.push(Assumption::new(
        "preferences",
        format!(
            "preferences: children not needing a place prefer their current setting; of those needing one who could stay, {:.0}% ask to stay; otherwise the two nearest settings admitting the new year of the kind that follows the current one (mainstream → mainstream, {:.0}% special; bases → bases designated for the need; special → special designated for the need, post-16 half to colleges; AP half special; early years and others by intensity: total 9+ special), {:.0}% of special requests naming an independent school first",
            STAY_SHARE * 100.0,
            PREFER_SPECIAL_SHARE * 100.0,
            PREFER_INDEPENDENT_SHARE * 100.0
        ),
        "assumption",
    ));
    out.push(
        Assumption::new(
            "sen-support",
            format!(
                "{} SEN-support pupils: {:.0}% of each of the authority's mainstream schools' January 2025 SEN-support pupils (rounded at random), primary need from England's SEN-support mix (January 2022: SLCN 25.1%, SEMH 20.0%, MLD 18.9%, SPLD 14.4%, ASD 7.6%, NSA 4.4%, OTH 4.3%, …), year within the school, intensity 1–2 in the need's area, current setting and preference the school, not needing a place (school admissions, not an EHC plan, name their next school)",
                t.sen_support,
                options.sen_support_share * 100.0
            ),
            "school file SEN-support counts; DfE Outcomes for children in need (all-pupils comparison), 2021/22",
        )
        .figure("pupils", t.sen_support as f64)
        .figure("share", options.sen_support_share),
    );
    out
}
