//! Who needs a place this round, which pools have room, and the candidate pairs between them
//! with their objective costs: an area turned into a [`PlacementProblem`].

use crate::engine::{Engine, FailingSets};
use crate::model::Setting;
use crate::rules::FundingGroup;
use crate::solve::problem::{Candidate, Demand, PlacementProblem, Pool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which children enter the placement round. The rest keep their place and occupy capacity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RoundPolicy {
    /// Children marked `needs_place` (new plans, moves).
    pub flagged: bool,
    /// Children in the transfer years R, 7 and 12 whose current setting does not serve that year.
    pub transfer_years: bool,
    /// Children whose current setting the rules judge unsuitable.
    pub unsuitable_current: bool,
    /// Children with no current setting and no other arrangement (a child educated
    /// otherwise than at school, at home, in early years or not in education — an
    /// [`crate::model::Arrangement`] — keeps it unless they ask for a place, `needs_place`).
    pub without_setting: bool,
    /// Only settings within this journey time (minutes) are candidates, plus the parents'
    /// preferences and the current setting. `None`: every setting (fine for one authority;
    /// national-scale runs set a reach).
    pub reach_minutes: Option<f64>,
    /// The legal regime: under `spp` only settings able to deliver the child's Specialist
    /// Provision Package are candidates.
    pub regime: crate::model::Regime,
}

impl Default for RoundPolicy {
    fn default() -> Self {
        RoundPolicy {
            flagged: true,
            transfer_years: true,
            unsuitable_current: true,
            without_setting: true,
            reach_minutes: None,
            regime: crate::model::Regime::Cfa2014,
        }
    }
}

/// Why a child is in the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundReason {
    /// Marked as needing a place (a new plan or a move).
    Flagged,
    /// In a transfer year and the current setting does not serve the next year.
    TransferYear,
    /// The rules judge the current setting unsuitable.
    UnsuitableCurrent,
    /// No current setting and no other arrangement.
    NoSetting,
}

/// A placement round: the problem plus the mapping back to the area.
#[derive(Clone, Debug)]
pub struct Round {
    /// Area child index of each problem child.
    pub children: Vec<usize>,
    pub reasons: Vec<RoundReason>,
    /// (area setting index, pool index within the setting) of each problem pool.
    pub pools: Vec<(usize, usize)>,
    /// Eligible-pair scores, journey minutes and annual pounds, aligned with `problem.candidates`.
    pub scores: Vec<f64>,
    pub minutes: Vec<f64>,
    pub problem: PlacementProblem,
    /// Number of children keeping their place.
    pub keeping: usize,
    /// The legal regime the round was built under.
    pub regime: crate::model::Regime,
}

/// Decides whether child `c` is in the round, and why.
pub fn round_reason(engine: &Engine<'_>, c: usize, policy: &RoundPolicy) -> Option<RoundReason> {
    let child = &engine.area.children[c];
    let facts = &engine.children[c];
    if policy.flagged && child.needs_place {
        return Some(RoundReason::Flagged);
    }
    let Some(current) = facts.current else {
        return (policy.without_setting && child.arrangement.is_none())
            .then_some(RoundReason::NoSetting);
    };
    let current = current as usize;
    if policy.transfer_years
        && matches!(child.year.0, 0 | 7 | 12)
        && !engine.area.settings[current].admits_year(child.year)
    {
        return Some(RoundReason::TransferYear);
    }
    if policy.unsuitable_current && !engine.is_eligible(c, current) {
        return Some(RoundReason::UnsuitableCurrent);
    }
    None
}

/// Builds the round: children in it, pools with the places free to them, candidate pairs.
pub fn build_round(engine: &Engine<'_>, policy: &RoundPolicy) -> Round {
    let weights = &engine.rules.rules.placement;
    let scale = 100.0;
    let mut children = Vec::new();
    let mut reasons = Vec::new();
    for c in 0..engine.area.children.len() {
        if let Some(r) = round_reason(engine, c, policy) {
            children.push(c);
            reasons.push(r);
        }
    }
    let keeping = engine.area.children.len() - children.len();
    // Pools: places free now, plus the places that children in the round give up in their
    // current setting (they are counted on roll there).
    // Problem pool of (setting s, pool p): `pool_start[s] + p`.
    let mut pool_start: Vec<u32> = Vec::with_capacity(engine.area.settings.len());
    let mut pools = Vec::new();
    let mut problem_pools = Vec::new();
    let localities = engine.area.localities();
    for (s, setting) in engine.area.settings.iter().enumerate() {
        pool_start.push(pools.len() as u32);
        for (p, pool) in setting.pools.iter().enumerate() {
            pools.push((s, p));
            problem_pools.push(Pool {
                free: pool.free(),
                setting: s as u32,
                locality: localities
                    .binary_search(&setting.locality.as_str())
                    .unwrap_or(0) as u32,
                mainstream: setting.kind.is_mainstream(),
            });
        }
    }
    for &c in &children {
        if let Some(cur) = engine.children[c].current {
            let setting = &engine.area.settings[cur as usize];
            if let Some(p) = setting
                .pools
                .iter()
                .position(|p| p.serves(engine.area.children[c].year))
                && setting.pools[p].on_roll > 0
            {
                let i = (pool_start[cur as usize] as usize) + p;
                problem_pools[i].free = (problem_pools[i].free + 1).min(setting.pools[p].capacity);
            }
        }
    }
    // Sibling groups: children of the round who share a sibling setting list.
    let mut groups: BTreeMap<Vec<u32>, Vec<usize>> = BTreeMap::new();
    for (i, &c) in children.iter().enumerate() {
        let sib = &engine.children[c].siblings;
        if !sib.is_empty() {
            let mut key = sib.clone();
            key.sort();
            groups.entry(key).or_default().push(i);
        }
    }
    let mut sibling_group = vec![None; children.len()];
    for (g, members) in groups.values().filter(|m| m.len() > 1).enumerate() {
        for &i in members {
            sibling_group[i] = Some(g as u32);
        }
    }
    let mut candidates = Vec::new();
    let mut scores = Vec::new();
    let mut minutes = Vec::new();
    let mut demands = Vec::new();
    let mut in_reach = InReach::default();
    let mut costs = Vec::new();
    for (i, &c) in children.iter().enumerate() {
        in_reach.find(engine, c, policy, &pool_start);
        engine.score_each_with_minutes(c, &mut in_reach.scores, &in_reach.minutes);
        let funding = ChildFunding::of(engine, c);
        costs.clear();
        let found = in_reach.scores.iter().zip(&in_reach.pools);
        for ((&(s, score), &pool), &minutes) in found.zip(&in_reach.minutes) {
            let pounds = funding.at(&engine.area.settings[s]);
            let cost = -weights.per_score_point * score
                + weights.per_travel_minute * minutes
                + weights.per_thousand_pounds * pounds as f64 / 1000.0;
            costs.push(((cost * scale).round() as i64, pool, pounds, score, minutes));
        }
        // A constant per child changes no decision: shift so every cost is non-negative.
        let shift = costs.iter().map(|x| x.0).min().unwrap_or(0).min(0);
        // Settings come in ascending order and so do their pools: already in pool order.
        debug_assert!(costs.windows(2).all(|w| w[0].1 < w[1].1));
        for &(cost, pool, pounds, score, mins) in &costs {
            candidates.push(Candidate {
                child: i as u32,
                pool,
                cost: cost - shift,
                pounds,
            });
            scores.push(score);
            minutes.push(mins);
        }
        demands.push(Demand {
            unplaced_cost: (weights.unplaced_penalty * scale).round() as i64 - shift,
            sibling_group: sibling_group[i],
        });
    }
    Round {
        children,
        reasons,
        pools,
        scores,
        minutes,
        problem: PlacementProblem {
            children: demands,
            pools: problem_pools,
            candidates,
            fixed: Default::default(),
        },
        keeping,
        regime: policy.regime,
    }
}

/// One child's candidate settings in a round: the settings considered that no excluding rule
/// rejects and that have a pool for the child's year, in ascending order, with that pool's
/// problem index and the journey's minutes (worked out once, for the score and the cost).
/// Kept between children so its buffers are reused.
#[derive(Default)]
struct InReach {
    /// (setting, score): the score is filled in by [`Engine::score_each_with_minutes`].
    scores: Vec<(usize, f64)>,
    /// Problem pool of each entry of `scores`.
    pools: Vec<u32>,
    /// Minutes of [`Engine::journey`] to the setting of each entry of `scores`.
    minutes: Vec<f64>,
    failing: FailingSets,
}

impl InReach {
    /// Fills in the candidate settings of child `c`; `pool_start[s]` is the problem index of
    /// setting `s`'s first pool.
    fn find(&mut self, engine: &Engine<'_>, c: usize, policy: &RoundPolicy, pool_start: &[u32]) {
        self.scores.clear();
        self.pools.clear();
        self.minutes.clear();
        let year = engine.area.children[c].year;
        let considered = engine.settings_considered(c, policy.reach_minutes, false);
        // Under `spp`, the child's packages, which a candidate must be able to deliver.
        let packages = (policy.regime == crate::model::Regime::Spp)
            .then(|| crate::lists::packages_of(engine, c))
            .filter(|p| !p.packages.is_empty());
        let delivers = |s: usize| {
            packages.as_ref().is_none_or(|need| {
                let offer = crate::lists::offer_of(engine, s);
                crate::lists::shortfalls(engine, s, &offer, need).is_empty()
            })
        };
        // The excluding rules as sets of settings where they have that form, else pair by pair.
        let by_sets = engine.failing_sets(c, &considered, &mut self.failing);
        let union = &self.failing.union;
        for &s in considered.iter() {
            let eligible = if by_sets {
                union[s / 64] >> (s % 64) & 1 == 0
            } else {
                engine.is_eligible(c, s)
            };
            if !eligible || !delivers(s) {
                continue;
            }
            let serving = engine.area.settings[s]
                .pools
                .iter()
                .position(|p| p.serves(year));
            if let Some(p) = serving {
                self.scores.push((s, 0.0));
                self.pools.push(pool_start[s] + p as u32);
                self.minutes.push(engine.journey(c, s).minutes);
            }
        }
    }
}

/// What a place costs a year for one child, by setting: the setting's fee where it charges
/// one, else the place funding plus the top-up of the child's band for the setting's funding
/// group. The same total as [`crate::lists::funding_quote`], with the band looked up once per
/// child rather than once per setting.
struct ChildFunding {
    /// Place funding plus top-up, per funding group in [`FundingGroup::ALL`] order.
    by_group: [i64; FundingGroup::ALL.len()],
}

impl ChildFunding {
    fn of(engine: &Engine<'_>, c: usize) -> ChildFunding {
        let rules = &engine.rules.rules;
        let band = rules.band_for(engine.children[c].intensity_total);
        ChildFunding {
            by_group: FundingGroup::ALL.map(|g| {
                let g = g as usize;
                rules.funding.place[g].0 + band.map_or(0, |b| b.topup[g].0)
            }),
        }
    }

    /// Annual pounds of a place at `setting`.
    fn at(&self, setting: &Setting) -> i64 {
        match setting.annual_fee {
            Some(fee) => fee.0,
            None => self.by_group[FundingGroup::of(setting.kind) as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RoundPolicy, build_round};
    use crate::engine::Engine;
    use crate::lists::funding_quote;

    /// Every candidate of a round carries the pair's score, journey and funding quote, with
    /// and without a reach.
    #[test]
    fn candidates_carry_each_pairs_score_journey_and_funding() {
        let (rules, area) = crate::engine::tests::shipped_rules_and_random_area(7, 120, 500);
        let engine = Engine::new(&rules, &area);
        for reach in [None, Some(25.0)] {
            let policy = RoundPolicy {
                reach_minutes: reach,
                ..RoundPolicy::default()
            };
            let round = build_round(&engine, &policy);
            assert!(!round.problem.candidates.is_empty());
            for (k, cand) in round.problem.candidates.iter().enumerate() {
                let c = round.children[cand.child as usize];
                let (s, _) = round.pools[cand.pool as usize];
                assert!(engine.is_eligible(c, s), "child {c}, setting {s}");
                assert_eq!(round.scores[k].to_bits(), engine.score(c, s).to_bits());
                assert_eq!(
                    round.minutes[k].to_bits(),
                    engine.journey(c, s).minutes.to_bits()
                );
                assert_eq!(cand.pounds, funding_quote(&engine, c, s).total.0);
            }
            // Every eligible pair with a pool for the child's year is a candidate.
            for (i, &c) in round.children.iter().enumerate() {
                let year = area.children[c].year;
                let expected = engine
                    .settings_considered(c, reach, false)
                    .iter()
                    .filter(|&&s| {
                        engine.is_eligible(c, s)
                            && area.settings[s].pools.iter().any(|p| p.serves(year))
                    })
                    .count();
                let got = round
                    .problem
                    .candidates
                    .iter()
                    .filter(|x| x.child as usize == i)
                    .count();
                assert_eq!(got, expected, "child {c}");
            }
        }
    }
}
