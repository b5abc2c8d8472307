//! Stable placement by children-proposing deferred acceptance (hospitals/residents with
//! capacities), for comparison with the cost-optimal placement.
//!
//! A child prefers its candidate pools by ascending candidate cost (ties: lower pool index) and
//! prefers any candidate pool to staying unplaced. A pool prefers children by ascending cost of
//! that pair (ties: lower child index) and accepts at most `free` children.

use std::collections::BinaryHeap;

use super::assign::objective_of;
use super::problem::{Assignment, PlacementProblem};

/// Candidate indices grouped by child, each child's list in its order of preference.
fn preference_lists(problem: &PlacementProblem) -> (Vec<usize>, Vec<usize>) {
    let children = problem.children.len();
    let mut start = vec![0usize; children + 1];
    for c in &problem.candidates {
        start[c.child as usize + 1] += 1;
    }
    for i in 0..children {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut order = vec![0usize; problem.candidates.len()];
    for (k, c) in problem.candidates.iter().enumerate() {
        let slot = &mut fill[c.child as usize];
        order[*slot] = k;
        *slot += 1;
    }
    for child in 0..children {
        order[start[child]..start[child + 1]].sort_by_key(|&k| {
            let c = &problem.candidates[k];
            (c.cost, c.pool)
        });
    }
    (start, order)
}

/// The stable matching that is best for every child (children-proposing deferred acceptance).
///
/// # Panics
/// If a candidate names a child or pool that is not in the problem.
pub fn solve_stable(problem: &PlacementProblem) -> Assignment {
    let children = problem.children.len();
    let (start, order) = preference_lists(problem);
    // Next position in its preference list that each child will propose to.
    let mut next = start[..children].to_vec();
    // Per pool, the held children as a max-heap of (cost, child): the top is the least wanted.
    let mut held: Vec<BinaryHeap<(i64, u32)>> = vec![BinaryHeap::new(); problem.pools.len()];
    let mut pool_of_child: Vec<Option<u32>> = vec![None; children];
    // Free children, proposed in index order; displaced children go back on the stack.
    let mut free: Vec<u32> = (0..children as u32).rev().collect();
    while let Some(child) = free.pop() {
        let c = child as usize;
        while next[c] < start[c + 1] {
            let candidate = &problem.candidates[order[next[c]]];
            next[c] += 1;
            let pool = candidate.pool as usize;
            let capacity = problem.pools[pool].free as usize;
            let key = (candidate.cost, child);
            let heap = &mut held[pool];
            if heap.len() < capacity {
                heap.push(key);
                pool_of_child[c] = Some(candidate.pool);
                break;
            }
            if let Some(mut worst) = heap.peek_mut()
                && key < *worst
            {
                let displaced = worst.1;
                *worst = key;
                drop(worst);
                pool_of_child[displaced as usize] = None;
                pool_of_child[c] = Some(candidate.pool);
                free.push(displaced);
                break;
            }
        }
    }
    let objective = objective_of(problem, &pool_of_child);
    Assignment {
        pool_of_child,
        objective,
    }
}

/// The blocking pairs of `assignment`: candidate (child, pool) pairs where the child prefers the
/// pool to its current placement (any pool beats being unplaced) and the pool has a free place or
/// holds a child it wants less. Empty exactly when the assignment is stable. Pairs come in
/// candidate order.
///
/// # Panics
/// If `assignment` has fewer entries than there are children, or names a pool, or a
/// (child, pool) pair, that is not in the problem.
pub fn blocking_pairs(problem: &PlacementProblem, assignment: &Assignment) -> Vec<(u32, u32)> {
    let pools = problem.pools.len();
    let children = problem.children.len();
    // Cost of each child's current placement, and per pool its occupancy and least wanted child.
    let mut current: Vec<Option<(i64, u32)>> = vec![None; children];
    let mut count = vec![0usize; pools];
    let mut worst: Vec<Option<(i64, u32)>> = vec![None; pools];
    for c in &problem.candidates {
        let child = c.child as usize;
        if assignment.pool_of_child[child] == Some(c.pool) {
            current[child] = Some((c.cost, c.pool));
            let pool = c.pool as usize;
            count[pool] += 1;
            let key = (c.cost, c.child);
            if worst[pool].is_none_or(|w| key > w) {
                worst[pool] = Some(key);
            }
        }
    }
    for (child, choice) in assignment.pool_of_child.iter().enumerate().take(children) {
        if let Some(pool) = choice {
            assert!(
                current[child].is_some(),
                "child {child} is placed in pool {pool}, which is not a candidate"
            );
        }
    }
    let mut blocking = Vec::new();
    for c in &problem.candidates {
        let child = c.child as usize;
        let pool = c.pool as usize;
        let child_prefers = match current[child] {
            None => true,
            Some(now) => (c.cost, c.pool) < now,
        };
        if !child_prefers {
            continue;
        }
        let pool_accepts = count[pool] < problem.pools[pool].free as usize
            || worst[pool].is_some_and(|w| (c.cost, c.child) < w);
        if pool_accepts {
            blocking.push((c.child, c.pool));
        }
    }
    blocking
}
