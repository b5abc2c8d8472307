//! Stable placement by children-proposing deferred acceptance (hospitals/residents with
//! capacities), for comparison with the cost-optimal placement.
//!
//! A child prefers its candidate pools by ascending candidate cost (ties: lower pool index) and
//! prefers any candidate pool to staying unplaced. A pool prefers children by ascending cost of
//! that pair (ties: lower child index) and accepts at most `free` children.

use std::collections::BinaryHeap;

use super::assign::{candidates_by_child, objective_of};
use super::problem::{Assignment, PlacementProblem};

/// Candidate indices grouped by child, each child's list in its order of preference.
fn preference_lists(problem: &PlacementProblem) -> (Vec<usize>, Vec<usize>) {
    let children = problem.children.len();
    let (start, indices) = candidates_by_child(problem);
    let start: Vec<usize> = start.iter().map(|&s| s as usize).collect();
    let mut order: Vec<usize> = indices.iter().map(|&k| k as usize).collect();
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

#[cfg(test)]
mod tests {
    use super::super::assign::{check_feasible, solve_assignment};
    use super::super::problem::from_costs;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stable_differs_from_optimal() {
        // Child 0 is cheapest anywhere, so it takes pool 0 and child 1, who has no other
        // candidate, is left out; the optimum swaps child 0 to pool 1 and places both.
        let p = from_costs(&[&[Some(1), Some(2)], &[Some(3), None]], &[1, 1], 100);
        let stable = solve_stable(&p);
        assert_eq!(stable.pool_of_child, vec![Some(0), None]);
        assert_eq!(stable.objective, 101);
        assert!(blocking_pairs(&p, &stable).is_empty());
        let optimal = solve_assignment(&p).unwrap();
        assert_eq!(optimal.pool_of_child, vec![Some(1), Some(0)]);
        assert_eq!(optimal.objective, 5);
        // The optimum is not stable: child 0 and pool 0 would rather have each other.
        assert_eq!(blocking_pairs(&p, &optimal), vec![(0, 0)]);
    }

    #[test]
    fn pools_keep_the_children_they_rank_best() {
        // Pool 0 has one place; all three children want it most, and it ranks them by cost.
        let p = from_costs(
            &[
                &[Some(5), Some(6)],
                &[Some(2), Some(9)],
                &[Some(2), Some(3)],
            ],
            &[1, 2],
            100,
        );
        let stable = solve_stable(&p);
        // Children 1 and 2 tie at cost 2 for pool 0; the lower index wins.
        assert_eq!(stable.pool_of_child, vec![Some(1), Some(0), Some(1)]);
        assert_eq!(stable.objective, 6 + 2 + 3);
        check_feasible(&p, &stable).unwrap();
        assert!(blocking_pairs(&p, &stable).is_empty());
    }

    #[test]
    fn zero_places_and_no_candidates() {
        let p = from_costs(&[&[Some(1)], &[None]], &[0], 7);
        let stable = solve_stable(&p);
        assert_eq!(stable.pool_of_child, vec![None, None]);
        assert_eq!(stable.objective, 14);
        assert!(blocking_pairs(&p, &stable).is_empty());
        let empty = PlacementProblem::default();
        assert_eq!(solve_stable(&empty).objective, 0);
    }

    #[test]
    fn blocking_pairs_finds_free_places() {
        let p = from_costs(&[&[Some(1), Some(2)]], &[1, 1], 10);
        let unplaced = Assignment {
            pool_of_child: vec![None],
            objective: 10,
        };
        assert_eq!(blocking_pairs(&p, &unplaced), vec![(0, 0), (0, 1)]);
        let second_choice = Assignment {
            pool_of_child: vec![Some(1)],
            objective: 2,
        };
        assert_eq!(blocking_pairs(&p, &second_choice), vec![(0, 0)]);
    }

    fn arb_problem() -> impl Strategy<Value = PlacementProblem> {
        (1usize..=8, 1usize..=4).prop_flat_map(|(children, pools)| {
            (
                prop::collection::vec(prop::option::weighted(0.7, 0i64..=6), children * pools),
                prop::collection::vec(0u32..=3, pools),
                20i64..=40,
            )
                .prop_map(move |(costs, free, unplaced)| {
                    let rows: Vec<Vec<Option<i64>>> =
                        costs.chunks(pools).map(|r| r.to_vec()).collect();
                    let rows: Vec<&[Option<i64>]> = rows.iter().map(|r| r.as_slice()).collect();
                    from_costs(&rows, &free, unplaced)
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn stable_and_no_better_than_optimal(p in arb_problem()) {
            let stable = solve_stable(&p);
            prop_assert_eq!(check_feasible(&p, &stable), Ok(()));
            prop_assert!(blocking_pairs(&p, &stable).is_empty());
            let optimal = solve_assignment(&p).unwrap();
            prop_assert!(stable.objective >= optimal.objective);
            // Child-optimal: no child is worse off than in any other stable matching we can
            // find, e.g. the optimum when it happens to be stable.
            if blocking_pairs(&p, &optimal).is_empty() {
                for (child, (s, o)) in
                    stable.pool_of_child.iter().zip(&optimal.pool_of_child).enumerate()
                {
                    let rank = |pool: &Option<u32>| {
                        pool.map(|q| {
                            let c = p
                                .candidates
                                .iter()
                                .find(|c| c.child as usize == child && c.pool == q)
                                .unwrap();
                            (c.cost, c.pool)
                        })
                    };
                    match (rank(s), rank(o)) {
                        (None, Some(_)) => prop_assert!(false, "child {child} lost its place"),
                        (Some(a), Some(b)) => prop_assert!(a <= b),
                        _ => {}
                    }
                }
            }
        }
    }
}
