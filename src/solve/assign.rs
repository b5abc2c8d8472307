//! Exact placement through the min-cost-flow core.
//!
//! The network has one node per child (supply 1), one per pool and one sink (demand = number of
//! children). Arc `k` (for `k < candidates.len()`) is candidate `k`, child → pool with the
//! candidate's cost; then come one "unplaced" arc per child, child → sink with the child's
//! `unplaced_cost`; then one arc per pool, pool → sink with capacity `free` and cost 0. The
//! unplaced arcs make the network always feasible, and a min-cost flow is an assignment of least
//! total cost (sum of chosen candidate costs plus unplaced penalties).
//!
//! [`solve_assignment`] warm-starts the simplex from the greedy assignment of [`greedy_flow`]
//! (the cheapest pairs first), which on large instances saves most of the pivots of a cold
//! start (about 7x fewer on 20,000 children x 50 candidates).

use super::flow::{FlowError, FlowNetwork, FlowSolution};
use super::problem::{Assignment, PlacementProblem};

/// Capacity of the child → pool and child → sink arcs. A child has supply 1 and no incoming
/// arc, so any capacity of at least 1 gives the same optimum; 2 keeps a used arc strictly
/// between its bounds, which makes it a tree arc of the warm start (with capacity 1 the
/// greedy start would leave every child in a tree of its own).
const ARC_CAP: i64 = 2;

/// Node of child `c` is `c`; node of pool `p` is `children + p`; the sink is the last node.
fn sink_node(problem: &PlacementProblem) -> usize {
    problem.children.len() + problem.pools.len()
}

/// Builds the placement flow network (layout in the module documentation).
///
/// # Errors
/// [`FlowError::InvalidArc`] naming the candidate (its arc index is its candidate index) whose
/// child or pool index is out of range.
pub fn build_network(problem: &PlacementProblem) -> Result<FlowNetwork, FlowError> {
    let children = problem.children.len();
    let pools = problem.pools.len();
    let sink = sink_node(problem);
    let arcs = problem.candidates.len() + children + pools;
    let mut network = NETWORK_SPARE.take();
    network.reset(sink + 1, arcs);
    for (k, candidate) in problem.candidates.iter().enumerate() {
        let child = candidate.child as usize;
        let pool = candidate.pool as usize;
        if child >= children {
            return Err(FlowError::InvalidArc {
                arc: k,
                reason: "the candidate's child is not in the problem",
            });
        }
        if pool >= pools {
            return Err(FlowError::InvalidArc {
                arc: k,
                reason: "the candidate's pool is not in the problem",
            });
        }
        network.add_arc(child, children + pool, ARC_CAP, candidate.cost);
    }
    for (child, demand) in problem.children.iter().enumerate() {
        network.set_supply(child, 1);
        network.add_arc(child, sink, ARC_CAP, demand.unplaced_cost);
    }
    for (pool, p) in problem.pools.iter().enumerate() {
        network.add_arc(children + pool, sink, i64::from(p.free), 0);
    }
    network.set_supply(sink, -(children as i64));
    Ok(network)
}

/// Reads the assignment off a flow of the network made by [`build_network`] for `problem`
/// (candidate arcs carrying flow are the placements), with its objective.
///
/// # Panics
/// If a candidate names a child that is not in the problem.
pub fn assignment_from_flow(problem: &PlacementProblem, solution: &FlowSolution) -> Assignment {
    let mut pool_of_child = vec![None; problem.children.len()];
    let mut total: i128 = 0;
    for (candidate, &flow) in problem.candidates.iter().zip(&solution.flow) {
        if flow > 0 {
            pool_of_child[candidate.child as usize] = Some(candidate.pool);
            total += i128::from(candidate.cost);
        }
    }
    for (demand, pool) in problem.children.iter().zip(&pool_of_child) {
        if pool.is_none() {
            total += i128::from(demand.unplaced_cost);
        }
    }
    let objective = saturate(total);
    Assignment {
        pool_of_child,
        objective,
    }
}

/// Places children in pools at least total cost: the sum of chosen candidate costs plus the
/// `unplaced_cost` of every child left without a place, with no pool over its `free` places and
/// only candidate pairs used.
///
/// # Errors
/// [`FlowError::InvalidArc`] when a candidate names a child or pool that is not in the problem;
/// other errors only if the costs are beyond [`super::flow::MAX_COST`] (the unplaced arcs keep
/// the network feasible).
pub fn solve_assignment(problem: &PlacementProblem) -> Result<Assignment, FlowError> {
    let network = build_network(problem)?;
    let start = greedy_flow(problem);
    let solution = network.solve_from(&start)?;
    GREEDY_SPARE.set(GreedySpare {
        flow: start,
        ..GREEDY_SPARE.take()
    });
    NETWORK_SPARE.set(network);
    Ok(assignment_from_flow(problem, &solution))
}

thread_local! {
    /// The network of a thread's last [`solve_assignment`], kept for its next
    /// [`build_network`] (for the same reason as [`GreedySpare`]).
    static NETWORK_SPARE: std::cell::Cell<FlowNetwork> = std::cell::Cell::new(FlowNetwork::default());
}

/// The buffers of a thread's last greedy start, kept for its next: the candidates' runs and
/// (once the simplex has read it) the start flow. Each is as long as the round has
/// candidates, and arrays that size, freshly allocated, mostly come from pages the allocator
/// had returned to the system, which the kernel zeroes again on first touch.
#[derive(Default)]
struct GreedySpare {
    runs: Vec<(i64, u32)>,
    flow: Vec<i64>,
}

thread_local! {
    static GREEDY_SPARE: std::cell::Cell<GreedySpare> = std::cell::Cell::new(GreedySpare::default());
}

/// A feasible flow of the network of [`build_network`], used to warm-start the simplex:
/// candidates taken greedily in ascending order of cost (ties: lower index) while the child is
/// free, the pool has room and the cost is below the child's unplaced cost; every child left
/// over goes unplaced.
///
/// Sorts each child's candidates, then merges the lists (each child still unplaced offers its
/// next cheapest candidate): the order of one global sort, at a fraction of its cost. As both
/// sides rank pairs by cost, this is (up to how ties are broken) the stable matching of
/// [`super::stable`].
///
/// # Panics
/// If a candidate names a child or pool that is not in the problem.
pub fn greedy_flow(problem: &PlacementProblem) -> Vec<i64> {
    let children = problem.children.len();
    let pools = problem.pools.len();
    let k = problem.candidates.len();
    // Each child's candidates as (cost, index), sorted, below its unplaced cost. Candidates
    // grouped by child already (as rounds build them) are read in place.
    let grouped = problem
        .candidates
        .windows(2)
        .all(|w| w[0].child <= w[1].child);
    let (start, by_child) = if grouped {
        (child_starts(problem), Vec::new())
    } else {
        candidates_by_child(problem)
    };
    let spare = GREEDY_SPARE.take();
    let mut runs = spare.runs;
    runs.clear();
    runs.reserve(k);
    let mut run_start = Vec::with_capacity(children + 1);
    for child in 0..children {
        run_start.push(runs.len() as u32);
        let from = runs.len();
        let unplaced = problem.children[child].unplaced_cost;
        let range = start[child] as usize..start[child + 1] as usize;
        let cost_of = |i: u32| (problem.candidates[i as usize].cost, i);
        if grouped {
            runs.extend(
                range
                    .map(|i| cost_of(i as u32))
                    .filter(|&(c, _)| c < unplaced),
            );
        } else {
            runs.extend(
                by_child[range]
                    .iter()
                    .map(|&i| cost_of(i))
                    .filter(|&(c, _)| c < unplaced),
            );
        }
        runs[from..].sort_unstable();
    }
    run_start.push(runs.len() as u32);
    drop((start, by_child));
    // Merge the runs: the heap holds each unplaced child's next candidate.
    let mut next = run_start.clone();
    let mut heap = std::collections::BinaryHeap::with_capacity(children);
    for child in 0..children {
        if next[child] < run_start[child + 1] {
            let (cost, i) = runs[next[child] as usize];
            heap.push(std::cmp::Reverse((cost, i, child as u32)));
        }
    }
    let mut flow = spare.flow;
    flow.clear();
    flow.resize(k + children + pools, 0);
    let mut room: Vec<u32> = problem.pools.iter().map(|p| p.free).collect();
    let mut placed = vec![false; children];
    while let Some(std::cmp::Reverse((_, i, child))) = heap.pop() {
        let child = child as usize;
        let pool = problem.candidates[i as usize].pool as usize;
        if room[pool] > 0 {
            room[pool] -= 1;
            placed[child] = true;
            flow[i as usize] = 1;
        } else {
            next[child] += 1;
            if next[child] < run_start[child + 1] {
                let (cost, i) = runs[next[child] as usize];
                heap.push(std::cmp::Reverse((cost, i, child as u32)));
            }
        }
    }
    for (child, &is_placed) in placed.iter().enumerate() {
        if !is_placed {
            flow[k + child] = 1;
        }
    }
    for (pool, p) in problem.pools.iter().enumerate() {
        flow[k + children + pool] = i64::from(p.free - room[pool]);
    }
    GREEDY_SPARE.set(GreedySpare {
        runs,
        flow: Vec::new(),
    });
    flow
}

/// Where each child's candidates start once grouped by child: `start[c]..start[c + 1]`
/// (`children + 1` entries).
fn child_starts(problem: &PlacementProblem) -> Vec<u32> {
    let children = problem.children.len();
    let mut start = vec![0u32; children + 1];
    for c in &problem.candidates {
        start[c.child as usize + 1] += 1;
    }
    for i in 0..children {
        start[i + 1] += start[i];
    }
    start
}

/// Candidate indices grouped by child (in index order within a child), as `(start, indices)`:
/// child `c`'s candidates are `indices[start[c]..start[c + 1]]`.
pub(super) fn candidates_by_child(problem: &PlacementProblem) -> (Vec<u32>, Vec<u32>) {
    let start = child_starts(problem);
    let mut fill = start.clone();
    let mut indices = vec![0u32; problem.candidates.len()];
    for (i, c) in problem.candidates.iter().enumerate() {
        let slot = &mut fill[c.child as usize];
        indices[*slot as usize] = i as u32;
        *slot += 1;
    }
    (start, indices)
}

/// Index of the candidate for (`child`, `pool`), if there is one.
fn find_candidate(problem: &PlacementProblem, child: u32, pool: u32) -> Option<usize> {
    let candidates = &problem.candidates;
    match candidates.binary_search_by(|c| (c.child, c.pool).cmp(&(child, pool))) {
        Ok(k) => Some(k),
        // Tolerate unsorted candidates.
        Err(_) => candidates
            .iter()
            .position(|c| c.child == child && c.pool == pool),
    }
}

/// Objective value of an assignment: chosen candidate costs plus unplaced penalties (saturating
/// at the ends of `i64`).
///
/// # Panics
/// If `pool_of_child` is longer than the list of children or names a pair that is not a
/// candidate (use [`check_feasible`] first on untrusted input).
pub fn objective_of(problem: &PlacementProblem, pool_of_child: &[Option<u32>]) -> i64 {
    let mut total: i128 = 0;
    for (child, choice) in pool_of_child.iter().enumerate() {
        total += i128::from(match *choice {
            None => problem.children[child].unplaced_cost,
            Some(pool) => {
                let k = find_candidate(problem, child as u32, pool).unwrap_or_else(|| {
                    panic!("child {child} is placed in pool {pool}, which is not a candidate")
                });
                problem.candidates[k].cost
            }
        });
    }
    saturate(total)
}

/// `value` clamped into `i64`.
fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value > 0 { i64::MAX } else { i64::MIN })
}

/// Checks that `assignment` is a valid placement for `problem`: one entry per child, every
/// chosen (child, pool) pair a candidate, no pool given more children than its `free` places,
/// and `objective` equal to [`objective_of`].
///
/// # Errors
/// A description of the first problem found.
#[cfg(any(test, feature = "testing"))]
pub fn check_feasible(problem: &PlacementProblem, assignment: &Assignment) -> Result<(), String> {
    let children = problem.children.len();
    if assignment.pool_of_child.len() != children {
        return Err(format!(
            "{} entries for {children} children",
            assignment.pool_of_child.len()
        ));
    }
    let mut used = vec![0u64; problem.pools.len()];
    for (child, choice) in assignment.pool_of_child.iter().enumerate() {
        if let Some(pool) = *choice {
            if pool as usize >= problem.pools.len() {
                return Err(format!("child {child} is placed in unknown pool {pool}"));
            }
            if find_candidate(problem, child as u32, pool).is_none() {
                return Err(format!(
                    "child {child} is placed in pool {pool}, which is not a candidate"
                ));
            }
            used[pool as usize] += 1;
        }
    }
    for (pool, (&n, p)) in used.iter().zip(&problem.pools).enumerate() {
        if n > u64::from(p.free) {
            return Err(format!(
                "pool {pool} is given {n} children but has {} free places",
                p.free
            ));
        }
    }
    let objective = objective_of(problem, &assignment.pool_of_child);
    if objective != assignment.objective {
        return Err(format!(
            "the objective is {objective}, but the assignment says {}",
            assignment.objective
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::flow::verify;
    use super::super::problem::{Candidate, Demand, Pool, from_costs};
    use super::super::stable::solve_stable;
    use super::*;
    use proptest::prelude::*;

    fn pool(free: u32) -> Pool {
        Pool {
            free,
            setting: 0,
            locality: 0,
            mainstream: true,
        }
    }

    fn child(unplaced_cost: i64) -> Demand {
        Demand {
            unplaced_cost,
            sibling_group: None,
        }
    }

    fn candidate(child: u32, pool: u32, cost: i64) -> Candidate {
        Candidate {
            child,
            pool,
            cost,
            pounds: 0,
        }
    }

    /// Least objective by trying every assignment (tiny problems only).
    fn brute_force(problem: &PlacementProblem) -> i64 {
        fn go(
            problem: &PlacementProblem,
            child: usize,
            room: &mut Vec<u32>,
            choice: &mut Vec<Option<u32>>,
            best: &mut i64,
        ) {
            if child == problem.children.len() {
                *best = (*best).min(objective_of(problem, choice));
                return;
            }
            choice.push(None);
            go(problem, child + 1, room, choice, best);
            choice.pop();
            for c in problem
                .candidates
                .iter()
                .filter(|c| c.child as usize == child)
            {
                let p = c.pool as usize;
                if room[p] > 0 {
                    room[p] -= 1;
                    choice.push(Some(c.pool));
                    go(problem, child + 1, room, choice, best);
                    choice.pop();
                    room[p] += 1;
                }
            }
        }
        let mut best = i64::MAX;
        let mut room = problem.pools.iter().map(|p| p.free).collect();
        go(problem, 0, &mut room, &mut Vec::new(), &mut best);
        best
    }

    #[test]
    fn three_by_three() {
        let p = from_costs(
            &[
                &[Some(4), Some(1), Some(3)],
                &[Some(2), Some(0), Some(5)],
                &[Some(3), Some(2), Some(2)],
            ],
            &[1, 1, 1],
            100,
        );
        let a = solve_assignment(&p).unwrap();
        assert_eq!(a.pool_of_child, vec![Some(1), Some(0), Some(2)]);
        assert_eq!(a.objective, 5);
        check_feasible(&p, &a).unwrap();
    }

    #[test]
    fn capacity_shortfall_leaves_exactly_k_unplaced() {
        // Five children, three places: exactly two stay unplaced, the two for whom a place
        // is dearest.
        let p = from_costs(
            &[
                &[Some(1), Some(5)],
                &[Some(2), Some(9)],
                &[Some(3), Some(1)],
                &[Some(4), Some(8)],
                &[Some(5), Some(9)],
            ],
            &[2, 1],
            1000,
        );
        let a = solve_assignment(&p).unwrap();
        check_feasible(&p, &a).unwrap();
        assert_eq!(a.pool_of_child.iter().filter(|c| c.is_none()).count(), 2);
        assert_eq!(a.objective, brute_force(&p));
        assert_eq!(a.objective, 1 + 2 + 1 + 2 * 1000);
    }

    #[test]
    fn unplaced_when_cheaper_and_when_no_candidate() {
        let p = from_costs(&[&[Some(50)], &[None], &[Some(5)]], &[5], 10);
        let a = solve_assignment(&p).unwrap();
        assert_eq!(a.pool_of_child, vec![None, None, Some(0)]);
        assert_eq!(a.objective, 25);
    }

    #[test]
    fn empty_and_invalid_problems() {
        let empty = PlacementProblem::default();
        let a = solve_assignment(&empty).unwrap();
        assert!(a.pool_of_child.is_empty());
        assert_eq!(a.objective, 0);

        let mut bad = from_costs(&[&[Some(1)]], &[1], 10);
        bad.candidates.push(candidate(0, 3, 1));
        assert!(matches!(
            solve_assignment(&bad),
            Err(FlowError::InvalidArc { arc: 1, .. })
        ));
        bad.candidates[1] = candidate(2, 0, 1);
        assert!(matches!(
            solve_assignment(&bad),
            Err(FlowError::InvalidArc { arc: 1, .. })
        ));
    }

    #[test]
    fn check_feasible_rejects() {
        let p = from_costs(&[&[Some(1), None], &[Some(2), Some(3)]], &[1, 1], 10);
        let ok = Assignment {
            pool_of_child: vec![Some(0), Some(1)],
            objective: 4,
        };
        check_feasible(&p, &ok).unwrap();
        let not_candidate = Assignment {
            pool_of_child: vec![Some(1), Some(0)],
            objective: 0,
        };
        assert!(check_feasible(&p, &not_candidate).is_err());
        let over = Assignment {
            pool_of_child: vec![Some(0), Some(0)],
            objective: 3,
        };
        assert!(check_feasible(&p, &over).is_err());
        let wrong_objective = Assignment {
            pool_of_child: vec![Some(0), Some(1)],
            objective: 5,
        };
        assert!(check_feasible(&p, &wrong_objective).is_err());
        let short = Assignment {
            pool_of_child: vec![Some(0)],
            objective: 1,
        };
        assert!(check_feasible(&p, &short).is_err());
    }

    #[test]
    fn unsorted_candidates_are_fine() {
        let mut p = from_costs(
            &[
                &[Some(3), Some(1)],
                &[Some(1), Some(2)],
                &[Some(2), Some(2)],
            ],
            &[1, 1],
            10,
        );
        let sorted = solve_assignment(&p).unwrap();
        p.candidates.reverse();
        let reversed = solve_assignment(&p).unwrap();
        assert_eq!(sorted.objective, reversed.objective);
        check_feasible(&p, &reversed).unwrap();
        assert_eq!(sorted.objective, brute_force(&p));
    }

    fn arb_problem() -> impl Strategy<Value = PlacementProblem> {
        (1usize..=6, 1usize..=3).prop_flat_map(|(children, pools)| {
            (
                prop::collection::vec(prop::option::weighted(0.7, 0i64..=20), children * pools),
                prop::collection::vec(0u32..=3, pools),
                prop::collection::vec(5i64..=40, children),
            )
                .prop_map(move |(costs, free, unplaced)| {
                    let mut candidates = Vec::new();
                    for c in 0..children {
                        for p in 0..pools {
                            if let Some(cost) = costs[c * pools + p] {
                                candidates.push(candidate(c as u32, p as u32, cost));
                            }
                        }
                    }
                    PlacementProblem {
                        fixed: Default::default(),
                        children: unplaced.iter().map(|&u| child(u)).collect(),
                        pools: free.iter().map(|&f| pool(f)).collect(),
                        candidates,
                    }
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn optimal_feasible_and_no_worse_than_stable(p in arb_problem()) {
            let a = solve_assignment(&p).unwrap();
            prop_assert_eq!(check_feasible(&p, &a), Ok(()));
            prop_assert_eq!(a.objective, brute_force(&p));
            let stable = solve_stable(&p);
            prop_assert!(stable.objective >= a.objective);
            // The network's optimum is certified, cold and warm.
            let network = build_network(&p).unwrap();
            let cold = network.solve().unwrap();
            prop_assert_eq!(verify(&network, &cold), Ok(()));
            prop_assert_eq!(cold.cost, i128::from(a.objective));
            let warm = network.solve_from(&greedy_flow(&p)).unwrap();
            prop_assert_eq!(verify(&network, &warm), Ok(()));
            prop_assert_eq!(assignment_from_flow(&p, &warm), a.clone());
            prop_assert_eq!(solve_assignment(&p).unwrap(), a);
        }

        #[test]
        fn greedy_flow_is_feasible(p in arb_problem()) {
            let network = build_network(&p).unwrap();
            let flow = greedy_flow(&p);
            prop_assert_eq!(flow.len(), network.arc_count());
            let mut balance: Vec<i64> =
                (0..network.node_count()).map(|v| network.supply(v)).collect();
            for (arc, &f) in flow.iter().enumerate() {
                let (from, to, cap, _) = network.arc(arc);
                prop_assert!(0 <= f && f <= cap);
                balance[from] -= f;
                balance[to] += f;
            }
            prop_assert!(balance.iter().all(|&b| b == 0));
        }
    }
}
