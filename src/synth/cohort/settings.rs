//! One authority's settings prepared for drawing children into them: candidates by kind,
//! rolls, catchments, home anchors, base places left, and the gravity model that pairs
//! settings with homes.

use super::DISTANCE_DECAY_M;
use crate::model::{GridRef, Need, NeedSet, Setting, SettingKind, Sex, YearGroup};
use crate::rng::{Rng, WeightedIndex};
use crate::synth::geo::{Proximity, core_points, offset};
use crate::synth::provision::CensusCounts;
use std::collections::BTreeMap;

/// Kinds of setting a preference can be for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Family {
    Mainstream,
    Base,
    Special,
    College,
}

/// One authority's settings, prepared for drawing.
pub(super) struct Ctx<'a> {
    pub(super) settings: &'a [Setting],
    /// Candidates by kind: the authority's own, plus other authorities' special schools,
    /// non-maintained and independent special schools, AP and colleges within reach.
    pub(super) by_kind: BTreeMap<SettingKind, Vec<usize>>,
    /// Pupils on roll (census, else pools).
    pub(super) roll: Vec<f64>,
    /// EHCP pupils (census, else 3% of roll).
    pub(super) ehcp: Vec<f64>,
    /// Mean distance from home to this school for children living near it (metres).
    pub(super) catchment: Vec<f64>,
    /// Home anchors (the authority's primary schools, else all its mainstream schools).
    pub(super) anchors: Vec<usize>,
    pub(super) anchor_index: WeightedIndex,
    /// Mainstream schools by sex admitted: (indices, weights by EHCP pupils).
    pub(super) mainstream: [(Vec<usize>, WeightedIndex); 2],
    /// Places left to fill in each base (by setting index).
    pub(super) base_slots: Vec<i64>,
    /// Index of each base's host school.
    pub(super) host_of: Vec<Option<usize>>,
    /// Per setting: how reachable it is from the authority's homes (cached).
    pub(super) access: Vec<Option<f64>>,
    /// Homes are drawn within this distance of a setting where possible.
    pub(super) reach_m: f64,
    /// Per setting: home anchors weighted by roll × distance decay to it (cached).
    pub(super) home_index: BTreeMap<usize, WeightedIndex>,
}

pub(super) fn sex_slot(sex: Sex) -> usize {
    match sex {
        Sex::Female => 0,
        Sex::Male => 1,
    }
}

pub(super) fn pools_roll(s: &Setting) -> f64 {
    s.pools.iter().map(|p| f64::from(p.on_roll)).sum()
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
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
        let by_kind = candidates_by_kind(settings, &in_la, reach_m);
        let mainstream_all: Vec<usize> = by_kind
            .get(&SettingKind::Mainstream)
            .cloned()
            .unwrap_or_default();
        let catchment = catchments(settings, &mainstream_all);
        let anchors = home_anchors(settings, &mainstream_all, &in_la);
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
        Ctx {
            access: vec![None; settings.len()],
            reach_m,
            home_index: BTreeMap::new(),
            settings,
            host_of: hosts(settings),
            by_kind,
            roll,
            ehcp,
            catchment,
            anchors,
            anchor_index,
            mainstream,
            base_slots: base_places(settings),
        }
    }

    pub(super) fn kind(&self, k: SettingKind) -> &[usize] {
        self.by_kind.get(&k).map_or(&[], Vec::as_slice)
    }

    /// A home near setting `s`: exponential distance with the school's catchment mean.
    pub(super) fn home_near(&self, s: usize, rng: &mut Rng) -> GridRef {
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
    pub(super) fn population_home(&self, rng: &mut Rng) -> (GridRef, usize) {
        let a = self.anchors[self.anchor_index.draw(rng).unwrap_or(0)];
        (self.home_near(a, rng), a)
    }

    /// A Jan-census year at setting `s`, pools weighted by pupils on roll.
    pub(super) fn year_at(&self, s: usize, rng: &mut Rng, lo: u8, hi: u8) -> u8 {
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
    pub(super) fn access(&mut self, s: usize) -> f64 {
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
    pub(super) fn gravity_setting(
        &mut self,
        kinds: &[SettingKind],
        need: Need,
        sex: Sex,
        fee: Option<bool>,
        rng: &mut Rng,
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
    pub(super) fn home_for(&mut self, s: usize, rng: &mut Rng) -> (GridRef, usize) {
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
    pub(super) fn base(
        &mut self,
        kind: SettingKind,
        need: Need,
        sex: Sex,
        rng: &mut Rng,
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
    pub(super) fn nearest(
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

pub(super) fn capacity(s: &Setting) -> f64 {
    s.pools
        .iter()
        .map(|p| f64::from(p.capacity))
        .sum::<f64>()
        .max(1.0)
}

/// Candidate settings by kind: every setting of the authority, and the special schools, AP
/// and colleges of others within `reach_m` of the authority's own schools.
fn candidates_by_kind(
    settings: &[Setting],
    in_la: &[bool],
    reach_m: f64,
) -> BTreeMap<SettingKind, Vec<usize>> {
    let own: Vec<GridRef> = settings
        .iter()
        .zip(in_la)
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
    by_kind
}

/// Each mainstream school's catchment: half the distance to its third-nearest mainstream
/// school teaching an overlapping range of years (600 m to 6 km); 3 km for other settings.
fn catchments(settings: &[Setting], mainstream_all: &[usize]) -> Vec<f64> {
    let mut catchment = vec![3000.0; settings.len()];
    for &i in mainstream_all {
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
    catchment
}

/// The schools homes are drawn around: the authority's primary schools, else its mainstream
/// schools, else any of its own settings, else every setting.
fn home_anchors(settings: &[Setting], mainstream_all: &[usize], in_la: &[bool]) -> Vec<usize> {
    let primaries: Vec<usize> = mainstream_all
        .iter()
        .copied()
        .filter(|&i| settings[i].first_year.0 == 0)
        .collect();
    let mut anchors = if primaries.is_empty() {
        mainstream_all.to_vec()
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
    anchors
}

/// Places to fill in each resource base and unit: its pupils on roll (0 for other settings).
fn base_places(settings: &[Setting]) -> Vec<i64> {
    settings
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
        .collect()
}

/// The index of each base's host school.
fn hosts(settings: &[Setting]) -> Vec<Option<usize>> {
    let index: BTreeMap<&str, usize> = settings
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    settings
        .iter()
        .map(|s| s.host.as_ref().and_then(|h| index.get(h.as_str()).copied()))
        .collect()
}
