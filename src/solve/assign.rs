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
    for (candidate, &flow) in problem.candidates.iter().zip(&solution.flow) {
        if flow > 0 {
            pool_of_child[candidate.child as usize] = Some(candidate.pool);
        }
    }
    let objective = objective_of(problem, &pool_of_child);
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

/// A feasible flow of the network of [`build_network`]: candidates taken greedily in ascending
/// order of cost (ties by index) while the child is free, the pool has room and the cost beats
/// the child's unplaced cost; every child left over goes unplaced.
///
/// # Panics
/// If a candidate names a child or pool that is not in the problem.
pub fn greedy_flow(problem: &PlacementProblem) -> Vec<i64> {
    let children = problem.children.len();
    let pools = problem.pools.len();
    let k = problem.candidates.len();
    let mut flow = vec![0i64; k + children + pools];
    let mut order: Vec<(i64, u32)> = if std::env::var_os("GREEDY_CHILD").is_some() { Vec::new() } else { problem
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.cost, i as u32))
        .collect() };
    if std::env::var_os("GREEDY_CHILD").is_some() {
        let mut start = 0;
        while start < k {
            let child = problem.candidates[start].child;
            let mut end = start;
            while end < k && problem.candidates[end].child == child { end += 1; }
            let mut idx: Vec<usize> = (start..end).collect();
            idx.sort_by_key(|&i| problem.candidates[i].cost);
            order.extend(idx.into_iter().map(|i| (problem.candidates[i].cost, i as u32)));
            start = end;
        }
    } else {
    order.sort_unstable();
    }
    let mut room: Vec<u32> = problem.pools.iter().map(|p| p.free).collect();
    let mut placed = vec![false; children];
    for &(cost, i) in &order {
        let c = &problem.candidates[i as usize];
        let child = c.child as usize;
        let pool = c.pool as usize;
        if !placed[child] && room[pool] > 0 && cost < problem.children[child].unplaced_cost {
            placed[child] = true;
            room[pool] -= 1;
            flow[i as usize] = 1;
        }
    }
    for child in 0..children {
        if !placed[child] {
            flow[k + child] = 1;
        }
    }
    for pool in 0..pools {
        flow[k + children + pool] = i64::from(problem.pools[pool].free - room[pool]);
    }
    flow
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
    i64::try_from(total).unwrap_or(if total > 0 { i64::MAX } else { i64::MIN })
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

/// Experimental: auction start.
pub fn auction_flow(problem: &PlacementProblem, final_eps_div: i64, factor: i64) -> Vec<i64> {
    let children = problem.children.len();
    let pools = problem.pools.len();
    let k = problem.candidates.len();
    // Candidates by child.
    let mut start = vec![0u32; children + 1];
    for c in &problem.candidates {
        start[c.child as usize + 1] += 1;
    }
    for i in 0..children {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut by_child = vec![0u32; k];
    for (i, c) in problem.candidates.iter().enumerate() {
        let s = &mut fill[c.child as usize];
        by_child[*s as usize] = i as u32;
        *s += 1;
    }
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for c in &problem.candidates {
        lo = lo.min(c.cost);
        hi = hi.max(c.cost);
    }
    let range = if k == 0 { 1 } else { (hi - lo).max(1) };
    // Slots: per pool a min-heap of (price, holder).
    let mut slot_start = vec![0usize; pools + 1];
    for (p, pool) in problem.pools.iter().enumerate() {
        slot_start[p + 1] = slot_start[p] + pool.free as usize;
    }
    const NOBODY: u32 = u32::MAX;
    let mut slots: Vec<(i64, u32)> = vec![(0, NOBODY); slot_start[pools]];
    let mut assigned: Vec<u32> = vec![NOBODY; children];
    let final_eps = (range / final_eps_div).max(1);
    let mut eps = (range / 4).max(final_eps);
    let mut queue: Vec<u32> = Vec::with_capacity(children);
    let mut bids = 0u64;
    loop {
        for s in slots.iter_mut() {
            s.1 = NOBODY;
        }
        queue.clear();
        queue.extend((0..children as u32).rev());
        while let Some(c) = queue.pop() {
            bids += 1;
            let cu = c as usize;
            let unplaced_value = -problem.children[cu].unplaced_cost;
            let mut v1 = unplaced_value;
            let mut j1 = usize::MAX;
            let mut v2 = i64::MIN;
            for &i in &by_child[start[cu] as usize..start[cu + 1] as usize] {
                let cand = &problem.candidates[i as usize];
                let p = cand.pool as usize;
                if slot_start[p] == slot_start[p + 1] {
                    continue;
                }
                let v = -cand.cost - slots[slot_start[p]].0;
                if v > v1 {
                    v2 = v1;
                    v1 = v;
                    j1 = i as usize;
                } else if v > v2 {
                    v2 = v;
                }
            }
            if j1 == usize::MAX {
                assigned[cu] = NOBODY;
                continue;
            }
            let cand = &problem.candidates[j1];
            let p = cand.pool as usize;
            let heap = &mut slots[slot_start[p]..slot_start[p + 1]];
            // Second cheapest slot of the same pool also counts as an alternative.
            if heap.len() > 1 {
                let second = if heap.len() > 2 { heap[1].0.min(heap[2].0) } else { heap[1].0 };
                v2 = v2.max(-cand.cost - second);
            }
            let bid = heap[0].0 + (v1 - v2) + eps;
            let evicted = heap[0].1;
            heap[0] = (bid, c);
            // Sift down.
            let mut i = 0;
            loop {
                let l = 2 * i + 1;
                if l >= heap.len() {
                    break;
                }
                let r = l + 1;
                let m = if r < heap.len() && heap[r].0 < heap[l].0 { r } else { l };
                if heap[m].0 < heap[i].0 {
                    heap.swap(i, m);
                    i = m;
                } else {
                    break;
                }
            }
            assigned[cu] = j1 as u32;
            if evicted != NOBODY {
                assigned[evicted as usize] = NOBODY;
                queue.push(evicted);
            }
        }
        if eps <= final_eps {
            break;
        }
        eps = (eps / factor).max(final_eps);
    }
    if std::env::var_os("FLOW_STATS").is_some() {
        eprintln!("auction bids {bids}");
    }
    let mut flow = vec![0i64; k + children + pools];
    let mut used = vec![0i64; pools];
    for c in 0..children {
        if assigned[c] == NOBODY {
            flow[k + c] = 1;
        } else {
            let i = assigned[c] as usize;
            flow[i] = 1;
            used[problem.candidates[i].pool as usize] += 1;
        }
    }
    for p in 0..pools {
        flow[k + children + p] = used[p];
    }
    flow
}
