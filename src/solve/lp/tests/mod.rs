//! Tests of the placement model: hand-checked optima for each side constraint, what it says
//! when it cannot answer, generated instances (time limits, threads, scale) and enumeration on
//! tiny random instances. The builders and the constraint checker below are shared.

mod edge_cases;
mod enumeration;
mod generated;
mod hand_checked;

use super::*;
use crate::solve::problem::{Candidate, Demand, FixedPlacements, Pool};

const PENALTY: i64 = 100;

fn child() -> Demand {
    Demand {
        unplaced_cost: PENALTY,
        sibling_group: None,
    }
}

fn sibling(group: u32) -> Demand {
    Demand {
        unplaced_cost: PENALTY,
        sibling_group: Some(group),
    }
}

fn pool(free: u32, setting: u32, locality: u32, mainstream: bool) -> Pool {
    Pool {
        free,
        setting,
        locality,
        mainstream,
    }
}

fn cand(child: u32, pool: u32, cost: i64) -> Candidate {
    Candidate {
        child,
        pool,
        cost,
        pounds: 0,
    }
}

fn exact() -> LpOptions {
    LpOptions {
        mip_gap: 0.0,
        ..LpOptions::default()
    }
}

fn none() -> SideConstraints {
    SideConstraints::default()
}

/// Solves and asserts an optimum; returns the assignment and the solver objective.
fn optimum(problem: &PlacementProblem, side: &SideConstraints) -> (Assignment, f64) {
    let outcome = solve_lp(problem, side, &exact()).expect("solver failed");
    assert_eq!(outcome.status, LpStatus::Optimal);
    let assignment = outcome
        .assignment
        .expect("optimal outcome without assignment");
    let objective = outcome
        .objective
        .expect("optimal outcome without objective");
    assert!(
        (assignment.objective as f64 - objective).abs() < 1e-6,
        "{assignment:?} vs {objective}"
    );
    assert!(satisfies(problem, side, &assignment.pool_of_child));
    (assignment, objective)
}

/// Checks every constraint of the model on a plain assignment.
fn satisfies(problem: &PlacementProblem, side: &SideConstraints, pools: &[Option<u32>]) -> bool {
    let chosen: Vec<&Candidate> = pools
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .map(|(i, p)| {
            problem
                .candidates
                .iter()
                .find(|c| c.child as usize == i && c.pool == p)
                .expect("assignment uses a pair that is not a candidate")
        })
        .collect();
    let placed_in = |keep: &dyn Fn(&Pool) -> bool| {
        chosen
            .iter()
            .filter(|c| keep(&problem.pools[c.pool as usize]))
            .count()
    };
    let capacity_ok = problem.pools.iter().enumerate().all(|(p, pool)| {
        chosen.iter().filter(|c| c.pool as usize == p).count() <= pool.free as usize
    });
    // Placements granted before the solve count towards every side constraint.
    let fixed = &problem.fixed;
    let budget_ok = side
        .budget_pounds
        .is_none_or(|budget| chosen.iter().map(|c| c.pounds).sum::<i64>() + fixed.pounds <= budget);
    let share_ok = side.min_mainstream_share.is_none_or(|share| {
        (placed_in(&|p| p.mainstream) + fixed.mainstream as usize) as f64
            >= share * (chosen.len() + fixed.placed as usize) as f64 - 1e-9
    });
    let localities_ok = side.locality_max.iter().all(|&(l, max)| {
        placed_in(&|p| p.locality == l) + fixed.in_locality(l) as usize <= max as usize
    });
    let siblings_ok = !side.keep_siblings_together || {
        let mut setting_of_group: BTreeMap<u32, Option<u32>> = BTreeMap::new();
        problem
            .children
            .iter()
            .zip(pools)
            .all(|(child, pool)| match child.sibling_group {
                None => true,
                Some(g) => {
                    let setting = pool.map(|p| problem.pools[p as usize].setting);
                    *setting_of_group.entry(g).or_insert(setting) == setting
                }
            })
    };
    capacity_ok && budget_ok && share_ok && localities_ok && siblings_ok
}
