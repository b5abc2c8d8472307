//! The placement problem in solver terms: children (demand), place pools (supply) and the
//! candidate pairs between them, with integer costs. Built from an area by the placement layer;
//! solved by the min-cost-flow core or the good_lp/HiGHS model.

use serde::{Deserialize, Serialize};

/// One child who needs a place this round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    /// Cost of leaving this child without a place (a large, configurable penalty).
    pub unplaced_cost: i64,
    /// Index of a sibling group; children in the same group should share a setting when the
    /// keep-siblings-together side constraint is on. `None` when the child has no sibling in this round.
    pub sibling_group: Option<u32>,
}

/// One place pool with the places still free this round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pool {
    /// Places still free (capacity minus those who keep their place). Never negative.
    pub free: u32,
    /// Index of the setting that owns the pool (several pools may share one setting).
    pub setting: u32,
    /// Index of the locality the setting lies in (for locality quotas).
    pub locality: u32,
    /// True when the pool is in a mainstream school (including resource bases and SEN units).
    pub mainstream: bool,
}

/// A suitable (child, pool) pair, as the rules engine allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub child: u32,
    pub pool: u32,
    /// Objective cost of this placement (lower is better): the rules' score, travel and money,
    /// already weighted and rounded to an integer by the caller.
    pub cost: i64,
    /// Annual cost of the placement to the high-needs block, in whole pounds (for budget caps).
    pub pounds: i64,
}

/// The whole problem. Candidates are sorted by (child, pool) and contain no duplicates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlacementProblem {
    pub children: Vec<Demand>,
    pub pools: Vec<Pool>,
    pub candidates: Vec<Candidate>,
    /// Placements made before the solver runs, which the side constraints count as well.
    #[serde(default)]
    pub fixed: FixedPlacements,
}

/// Placements granted before the solver runs (the parents' named settings, when preferences
/// come first). Their places are already out of the pools and their children have no
/// candidates left; a budget, a mainstream share or a locality quota holds for the whole round,
/// so the solver's constraints add these in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FixedPlacements {
    /// Children placed.
    pub placed: u32,
    /// Of them, placed in mainstream pools.
    pub mainstream: u32,
    /// Their summed annual cost, in whole pounds.
    pub pounds: i64,
    /// (locality index, children placed there), sorted by locality.
    pub by_locality: Vec<(u32, u32)>,
}

impl FixedPlacements {
    /// Children placed in locality `l`.
    pub fn in_locality(&self, l: u32) -> u32 {
        self.by_locality
            .binary_search_by_key(&l, |&(k, _)| k)
            .map_or(0, |i| self.by_locality[i].1)
    }
}

impl PlacementProblem {
    /// The sibling groups with two or more children in this problem (a group of one shares
    /// nothing).
    pub fn shared_sibling_groups(&self) -> std::collections::BTreeSet<u32> {
        let mut count = std::collections::BTreeMap::<u32, usize>::new();
        for g in self.children.iter().filter_map(|c| c.sibling_group) {
            *count.entry(g).or_default() += 1;
        }
        count
            .into_iter()
            .filter(|&(_, n)| n >= 2)
            .map(|(g, _)| g)
            .collect()
    }

    /// For each child, the range of its candidates in `candidates` (which are sorted by child).
    pub fn candidate_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut first = vec![0usize; self.children.len() + 1];
        for c in &self.candidates {
            first[c.child as usize + 1] += 1;
        }
        for i in 0..self.children.len() {
            first[i + 1] += first[i];
        }
        (0..self.children.len())
            .map(|i| first[i]..first[i + 1])
            .collect()
    }
}

/// Side constraints that break the flow structure; solved by the good_lp/HiGHS model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SideConstraints {
    /// Upper bound on the summed `pounds` of all placements made.
    pub budget_pounds: Option<i64>,
    /// Lower bound on the share (0..=1) of placed children who are placed in mainstream pools.
    pub min_mainstream_share: Option<f64>,
    /// Upper bounds on the number of children placed in each locality: (locality index, max).
    pub locality_max: Vec<(u32, u32)>,
    /// Children of one sibling group must all be placed in the same setting, or all unplaced.
    pub keep_siblings_together: bool,
}

/// The solver's answer: for every child, the chosen pool (or `None` for unplaced).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub pool_of_child: Vec<Option<u32>>,
    /// Objective value: sum of chosen candidate costs plus unplaced penalties.
    pub objective: i64,
}

/// A problem from a cost matrix, for tests: `costs[child][pool]` (`None` where the pair is not a
/// candidate, no money), pools with `free` places in one mainstream setting and locality, and
/// every child costing `unplaced` when left without a place.
#[cfg(test)]
pub(crate) fn from_costs(
    costs: &[&[Option<i64>]],
    free: &[u32],
    unplaced: i64,
) -> PlacementProblem {
    let mut candidates = Vec::new();
    for (c, row) in costs.iter().enumerate() {
        for (p, cost) in row.iter().enumerate() {
            if let Some(cost) = cost {
                candidates.push(Candidate {
                    child: c as u32,
                    pool: p as u32,
                    cost: *cost,
                    pounds: 0,
                });
            }
        }
    }
    let child = Demand {
        unplaced_cost: unplaced,
        sibling_group: None,
    };
    let pool = |free| Pool {
        free,
        setting: 0,
        locality: 0,
        mainstream: true,
    };
    PlacementProblem {
        fixed: Default::default(),
        children: vec![child; costs.len()],
        pools: free.iter().map(|&f| pool(f)).collect(),
        candidates,
    }
}
