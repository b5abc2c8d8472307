//! Exact placement through the min-cost-flow core.
//!
//! The network has one node per child (supply 1), one per pool and one sink (demand = number of
//! children). Arc `k` (for `k < candidates.len()`) is candidate `k`, child → pool with capacity 1
//! and the candidate's cost; then come one "unplaced" arc per child, child → sink with capacity 1
//! and the child's `unplaced_cost`; then one arc per pool, pool → sink with capacity `free` and
//! cost 0. The unplaced arcs make the network always feasible, and a min-cost flow is an
//! assignment of least total cost (sum of chosen candidate costs plus unplaced penalties).

use super::flow::{FlowError, FlowNetwork, FlowSolution};
use super::problem::{Assignment, PlacementProblem};

/// Node of child `c` is `c`; node of pool `p` is `children + p`; the sink is the last node.
const ARC_CAP: i64 = 2;

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
    let mut network = FlowNetwork::with_capacity(sink + 1, arcs);
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

/// Reads the assignment off a flow of the network made by [`build_network`] for `problem`.
///
/// # Panics
/// If `solution` has fewer flows than `problem` has candidates.
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
    Ok(assignment_from_flow(problem, &solution))
}

/// A feasible flow of the network of [`build_network`], used to warm-start the simplex:
/// candidates taken greedily in ascending order of cost (ties: lower index) while the child is
/// free, the pool has room and the cost is below the child's unplaced cost; every child left
/// over goes unplaced.
///
/// Runs as a merge of the children's candidate lists (each child offers its next cheapest
/// candidate), so it rarely looks past a child's first few candidates.
///
/// # Panics
/// If a candidate names a child or pool that is not in the problem.
pub fn greedy_flow(problem: &PlacementProblem) -> Vec<i64> {
    let children = problem.children.len();
    let pools = problem.pools.len();
    let k = problem.candidates.len();
    let (start, by_child) = candidates_by_child(problem);
    // The cheapest candidate of `child` after `after` in (cost, index) order.
    let next_of = |child: usize, after: (i64, u32)| -> Option<(i64, u32)> {
        by_child[start[child] as usize..start[child + 1] as usize]
            .iter()
            .map(|&i| (problem.candidates[i as usize].cost, i))
            .filter(|&key| key > after)
            .min()
    };
    if let Ok(mode) = std::env::var("GREEDY") {
        let mut order: Vec<usize> = (0..children).collect();
        if mode == "C" {
            let firsts: Vec<i64> = (0..children).map(|c| next_of(c, (i64::MIN, 0)).map_or(i64::MAX, |x| x.0)).collect();
            order.sort_by_key(|&c| (firsts[c], c));
        }
        let mut flow = vec![0i64; k + children + pools];
        let mut room: Vec<u32> = problem.pools.iter().map(|p| p.free).collect();
        for child in order {
            let mut best: Option<(i64, u32)> = None;
            for &i in &by_child[start[child] as usize..start[child + 1] as usize] {
                let c = &problem.candidates[i as usize];
                if room[c.pool as usize] > 0 && c.cost < problem.children[child].unplaced_cost && best.is_none_or(|b| (c.cost, i) < b) {
                    best = Some((c.cost, i));
                }
            }
            match best {
                Some((_, i)) => { flow[i as usize] = 1; room[problem.candidates[i as usize].pool as usize] -= 1; }
                None => flow[k + child] = 1,
            }
        }
        for (pool, p) in problem.pools.iter().enumerate() {
            flow[k + children + pool] = i64::from(p.free - room[pool]);
        }
        return flow;
    }
    let mut heap = std::collections::BinaryHeap::with_capacity(children);
    for child in 0..children {
        if let Some((cost, i)) = next_of(child, (i64::MIN, 0)) {
            heap.push(std::cmp::Reverse((cost, i, child as u32)));
        }
    }
    let mut flow = vec![0i64; k + children + pools];
    let mut room: Vec<u32> = problem.pools.iter().map(|p| p.free).collect();
    let mut placed = vec![false; children];
    let mut pops = 0u64;
    while let Some(std::cmp::Reverse((cost, i, child))) = heap.pop() {
        pops += 1;
        let child = child as usize;
        if cost >= problem.children[child].unplaced_cost {
            continue;
        }
        let pool = problem.candidates[i as usize].pool as usize;
        if room[pool] > 0 {
            room[pool] -= 1;
            placed[child] = true;
            flow[i as usize] = 1;
        } else if let Some((cost, i)) = next_of(child, (cost, i)) {
            heap.push(std::cmp::Reverse((cost, i, child as u32)));
        }
    }
    if std::env::var_os("FLOW_STATS").is_some() { eprintln!("greedy pops {pops}"); }
    for (child, &is_placed) in placed.iter().enumerate() {
        if !is_placed {
            flow[k + child] = 1;
        }
    }
    for (pool, p) in problem.pools.iter().enumerate() {
        flow[k + children + pool] = i64::from(p.free - room[pool]);
    }
    flow
}

/// Candidate indices grouped by child (in index order within a child), as `(start, indices)`:
/// child `c`'s candidates are `indices[start[c]..start[c + 1]]`.
fn candidates_by_child(problem: &PlacementProblem) -> (Vec<u32>, Vec<u32>) {
    let children = problem.children.len();
    let mut start = vec![0u32; children + 1];
    for c in &problem.candidates {
        start[c.child as usize + 1] += 1;
    }
    for i in 0..children {
        start[i + 1] += start[i];
    }
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

