//! Who needs a place this round, which pools have room, and the candidate pairs between them
//! with their objective costs: an area turned into a [`PlacementProblem`].

use crate::engine::Engine;
use crate::lists::funding_quote;
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
    /// Children with no current setting.
    pub without_setting: bool,
    /// Only settings within this journey time (minutes) are candidates, plus the parents'
    /// preferences and the current setting. `None`: every setting (fine for one authority;
    /// national-scale runs set a reach).
    pub reach_minutes: Option<f64>,
}

impl Default for RoundPolicy {
    fn default() -> Self {
        RoundPolicy {
            flagged: true,
            transfer_years: true,
            unsuitable_current: true,
            without_setting: true,
            reach_minutes: None,
        }
    }
}

/// Why a child is in the round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundReason {
    Flagged,
    TransferYear,
    UnsuitableCurrent,
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
    /// Objective units are hundredths of the rules' placement units.
    pub scale: f64,
    /// Number of children keeping their place.
    pub keeping: usize,
}

/// Decides whether child `c` is in the round, and why.
pub fn round_reason(engine: &Engine<'_>, c: usize, policy: &RoundPolicy) -> Option<RoundReason> {
    let child = &engine.area.children[c];
    let facts = &engine.children[c];
    if policy.flagged && child.needs_place {
        return Some(RoundReason::Flagged);
    }
    let Some(current) = facts.current else {
        return policy.without_setting.then_some(RoundReason::NoSetting);
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
    let localities: Vec<&str> = {
        let mut l: Vec<&str> = engine
            .area
            .settings
            .iter()
            .map(|s| s.locality.as_str())
            .collect();
        l.sort();
        l.dedup();
        l
    };
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
    for (i, &c) in children.iter().enumerate() {
        let year = engine.area.children[c].year;
        let mut costs = Vec::new();
        let considered = engine.settings_considered(c, policy.reach_minutes, false);
        for &s in considered.iter() {
            if !engine.is_eligible(c, s) {
                continue;
            }
            let Some(p) = engine.area.settings[s]
                .pools
                .iter()
                .position(|p| p.serves(year))
            else {
                continue;
            };
            let score = engine.score(c, s);
            let j = engine.journey(c, s);
            let pounds = funding_quote(engine, c, s).total.0;
            let cost = -weights.per_score_point * score
                + weights.per_travel_minute * j.minutes
                + weights.per_thousand_pounds * pounds as f64 / 1000.0;
            costs.push((
                (cost * scale).round() as i64,
                pool_start[s] + p as u32,
                pounds,
                score,
                j.minutes,
            ));
        }
        // A constant per child changes no decision: shift so every cost is non-negative.
        let shift = costs.iter().map(|x| x.0).min().unwrap_or(0).min(0);
        costs.sort_by_key(|x| x.1);
        for (cost, pool, pounds, score, mins) in costs {
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
        },
        scale,
        keeping,
    }
}
