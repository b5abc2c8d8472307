//! Minimum-cost flow by cost scaling (Goldberg's push-relabel method).
//!
//! Reached through [`FlowNetwork::solve_by_cost_scaling`], an internal alternative to the
//! network simplex: on the placement rounds measured (Shropshire, Kent, England within 45
//! minutes) it is slower, so it is not the default. Cost scaling keeps no spanning tree: it
//! keeps a pseudoflow and node prices that are *epsilon-optimal* (every residual arc has
//! reduced cost `>= -eps`) and divides `eps` by
//! [`ALPHA`] in each phase. A phase (`refine`) saturates every residual arc of negative reduced
//! cost, then pushes the excesses along admissible arcs (residual, reduced cost `< 0`) and
//! relabels (lowers the price of) a node with excess that has none, until no node has excess.
//!
//! Exactness: the costs are multiplied by `n + 1`, so that the last phase, `eps = 1`, leaves a
//! flow that is `1 / (n + 1)`-optimal for the original costs; as a cycle has at most `n` arcs
//! and integer cost, no residual cycle then has negative cost, and the flow is optimal.
//!
//! The certificate: the scaled prices, divided by `n + 1` and rounded down, leave every
//! residual arc a reduced cost of at least `-1` in the original costs. Shortest paths in the
//! residual graph from those prices (label correcting, which ends because no residual cycle is
//! negative) turn them into exact potentials, under which every residual arc has a
//! non-negative reduced cost: complementary slackness, which [`super::verify`] checks.
//!
//! When the network is infeasible a node's price falls without bound; past a bound no
//! feasible network reaches (at most `n * (ALPHA + 1) * eps` in a phase), the method
//! gives up and the caller falls back to the network simplex, which tells why.
//!
//! Deterministic: one thread, nodes discharged first in, first out, arcs scanned in a fixed
//! order (by tail, then by network arc index).

use std::collections::VecDeque;

use super::pricing::initial_arcs;
use super::{FlowNetwork, FlowSolution, Simplex};

/// Factor by which `eps` shrinks in each phase.
const ALPHA: i64 = 8;

/// One arc of the residual graph. Each network arc gives two, the forward one (residual
/// capacity `capacity - flow`, cost `c`) and the reverse one (residual capacity `flow`, cost
/// `-c`), each the other's `pair`.
#[derive(Clone, Copy)]
struct Residual {
    head: u32,
    pair: u32,
    /// Cost, multiplied by `n + 1`.
    cost: i64,
    /// Residual capacity.
    cap: i64,
}

/// Why a run stopped short.
struct GaveUp;

/// The residual graph (arcs grouped by tail), prices and excesses of one run.
struct CostScaling {
    n: usize,
    /// Residual arcs of node `v` are `first[v]..first[v + 1]`.
    first: Vec<u32>,
    arcs: Vec<Residual>,
    /// Next arc of each node to try when pushing.
    current: Vec<u32>,
    price: Vec<i64>,
    excess: Vec<i64>,
    active: VecDeque<u32>,
    /// How far below zero a price may fall on a feasible network.
    floor: i64,
}

/// Solves `net` as [`FlowNetwork::solve_with`] does with `per_node` arcs a node in the first
/// working set, except that after the simplex has solved that working set, cost scaling
/// carries on from its flow and potentials over all arcs. `None` when cost scaling does not
/// apply or gives up (see [`solve`]); the caller then runs the network simplex.
pub(super) fn solve_after_simplex(
    net: &FlowNetwork,
    art_cost: i64,
    start: Option<&[i64]>,
    per_node: usize,
) -> Option<FlowSolution> {
    let start = start.filter(|s| s.len() == net.arc_count());
    let working = initial_arcs(net, per_node, start);
    let selection = Some(working.arcs.as_slice());
    let mut simplex = start
        .and_then(|s| Simplex::warm(net, art_cost, s, selection))
        .unwrap_or_else(|| Simplex::new(net, art_cost, selection));
    simplex.run();
    drop(working);
    // Infeasible within the working set: start cost scaling from nothing.
    let first = simplex.into_solution(net).ok();
    solve(net, first)
}

/// Solves `net` by cost scaling, from the flow and potentials of `warm` (optimal for some of
/// the arcs, say) or else from the zero flow and zero prices. `None` when the method does not
/// apply (costs too large for the scaled prices to fit in `i64`, more than `2^32 - 1` residual
/// arcs) or gives up (the network is infeasible). `net` must have passed
/// [`FlowNetwork::check`].
pub(super) fn solve(net: &FlowNetwork, warm: Option<FlowSolution>) -> Option<FlowSolution> {
    let n = net.node_count();
    if 2 * net.arc_count() >= u32::MAX as usize {
        return None;
    }
    let scale = n as i128 + 1;
    let max_cost = net.cost.iter().map(|c| i128::from(c.unsigned_abs())).max();
    let top = max_cost.unwrap_or(0) * scale;
    // Warm potentials, shifted to at most zero, must stay far inside `i64` once scaled.
    let warm = warm.filter(|w| {
        let (low, high) = w
            .potential
            .iter()
            .fold((0i64, 0i64), |(l, h), &p| (l.min(p), h.max(p)));
        (i128::from(high) - i128::from(low)) * scale <= i128::from(i64::MAX / 16)
    });
    let mut run = CostScaling::new(net, scale as i64, warm.as_ref());
    drop(warm);
    // The start is `eps`-optimal for the largest violation of complementary slackness.
    let violation = run.largest_violation();
    let (low, high) = run.price.iter().fold((0i128, 0i128), |(l, h), &p| {
        (l.min(p.into()), h.max(p.into()))
    });
    // On a feasible network a phase lowers a price by at most `n * (ALPHA + 1) * eps` (a
    // residual path of at most `n` arcs to a node short of flow, each arc within the previous
    // phase's `ALPHA * eps` of optimal), so over all phases by less than `n * (ALPHA + 1) *
    // (violation / (ALPHA - 1) + phases)`: prices stay above `-floor` once shifted to at most
    // zero, and reduced costs within `top + 2 * floor`.
    let floor = (high - low) + scale * (2 * violation + 1024);
    if top + 2 * floor > i128::from(i64::MAX / 4) {
        return None;
    }
    for p in &mut run.price {
        *p -= high as i64;
    }
    run.floor = floor as i64;
    let mut eps = (violation as i64).max(1);
    loop {
        eps = (eps / ALPHA).max(1);
        run.refine(eps).ok()?;
        if eps == 1 {
            break;
        }
    }
    Some(run.into_solution(net, scale as i64))
}

impl CostScaling {
    /// The residual graph of the flow of `warm` with its potentials as prices (times
    /// `scale`), or of the zero flow with every price zero; loops are left out (the solution
    /// puts them at their better bound).
    fn new(net: &FlowNetwork, scale: i64, warm: Option<&FlowSolution>) -> Self {
        let n = net.node_count();
        let m = net.arc_count();
        let mut first = vec![0u32; n + 1];
        for a in 0..m {
            let (s, t) = (net.from[a] as usize, net.to[a] as usize);
            if s != t {
                first[s + 1] += 1;
                first[t + 1] += 1;
            }
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut fill: Vec<u32> = first[..n].to_vec();
        let empty = Residual {
            head: 0,
            pair: 0,
            cost: 0,
            cap: 0,
        };
        let mut arcs = vec![empty; first[n] as usize];
        for a in 0..m {
            let (s, t) = (net.from[a] as usize, net.to[a] as usize);
            if s == t {
                continue;
            }
            let (fs, ft) = (fill[s], fill[t]);
            fill[s] += 1;
            fill[t] += 1;
            let cost = net.cost[a] * scale;
            let flow = warm.map_or(0, |w| w.flow[a]);
            arcs[fs as usize] = Residual {
                head: t as u32,
                pair: ft,
                cost,
                cap: net.capacity[a] - flow,
            };
            arcs[ft as usize] = Residual {
                head: s as u32,
                pair: fs,
                cost: -cost,
                cap: flow,
            };
        }
        CostScaling {
            n,
            current: first[..n].to_vec(),
            first,
            arcs,
            price: warm.map_or_else(
                || vec![0; n],
                |w| {
                    let high = w.potential.iter().copied().max().unwrap_or(0);
                    w.potential.iter().map(|p| (p - high) * scale).collect()
                },
            ),
            excess: match warm {
                None => net.supply.clone(),
                Some(_) => vec![0; n],
            },
            active: VecDeque::new(),
            floor: 0,
        }
    }

    /// The most negative reduced cost of a residual arc, negated (zero when there is none).
    fn largest_violation(&self) -> i128 {
        let mut worst = 0i64;
        for v in 0..self.n {
            let pv = self.price[v];
            for arc in &self.arcs[self.first[v] as usize..self.first[v + 1] as usize] {
                if arc.cap > 0 {
                    worst = worst.min(arc.cost + pv - self.price[arc.head as usize]);
                }
            }
        }
        -i128::from(worst)
    }

    /// One phase: from an `ALPHA * eps`-optimal pseudoflow to an `eps`-optimal flow.
    fn refine(&mut self, eps: i64) -> Result<(), GaveUp> {
        // Saturate every residual arc of negative reduced cost: the pseudoflow is then
        // 0-optimal, with excesses to push out.
        for v in 0..self.n {
            let pv = self.price[v];
            for i in self.first[v] as usize..self.first[v + 1] as usize {
                let arc = self.arcs[i];
                if arc.cap > 0 && arc.cost + pv - self.price[arc.head as usize] < 0 {
                    self.arcs[i].cap = 0;
                    self.arcs[arc.pair as usize].cap += arc.cap;
                    self.excess[v] -= arc.cap;
                    self.excess[arc.head as usize] += arc.cap;
                }
            }
        }
        self.current.copy_from_slice(&self.first[..self.n]);
        self.active.clear();
        for v in 0..self.n {
            if self.excess[v] > 0 {
                self.active.push_back(v as u32);
            }
        }
        while let Some(v) = self.active.pop_front() {
            self.discharge(v as usize, eps)?;
        }
        Ok(())
    }

    /// Pushes out all of `v`'s excess, relabelling `v` whenever it has no admissible arc.
    fn discharge(&mut self, v: usize, eps: i64) -> Result<(), GaveUp> {
        while self.excess[v] > 0 {
            let end = self.first[v + 1] as usize;
            let mut i = self.current[v] as usize;
            while i < end {
                let arc = self.arcs[i];
                let w = arc.head as usize;
                if arc.cap > 0 && arc.cost + self.price[v] - self.price[w] < 0 {
                    // Look ahead: a node with no excess and no admissible arc would only push
                    // the flow back; lower its price first, and push only if still admissible.
                    if self.excess[w] >= 0
                        && !self.has_admissible(w)
                        && self.relabel(w, eps)?
                        && arc.cost + self.price[v] - self.price[w] >= 0
                    {
                        i += 1;
                        continue;
                    }
                    let delta = arc.cap.min(self.excess[v]);
                    self.arcs[i].cap -= delta;
                    self.arcs[arc.pair as usize].cap += delta;
                    self.excess[v] -= delta;
                    let before = self.excess[w];
                    self.excess[w] += delta;
                    if before <= 0 && self.excess[w] > 0 {
                        self.active.push_back(w as u32);
                    }
                    if self.excess[v] == 0 {
                        break;
                    }
                }
                i += 1;
            }
            self.current[v] = i as u32;
            if self.excess[v] > 0 && !self.relabel(v, eps)? {
                // No residual arc out of a node with excess: the supplies cannot be met.
                return Err(GaveUp);
            }
        }
        Ok(())
    }

    /// Whether `v` has an admissible arc, moving its current arc to the first one. The arcs
    /// before the current arc are never admissible until `v` is relabelled: other prices only
    /// fall, and a push into `v` opens only arcs of positive reduced cost out of it.
    fn has_admissible(&mut self, v: usize) -> bool {
        let end = self.first[v + 1] as usize;
        let pv = self.price[v];
        let mut i = self.current[v] as usize;
        while i < end {
            let arc = self.arcs[i];
            if arc.cap > 0 && arc.cost + pv - self.price[arc.head as usize] < 0 {
                self.current[v] = i as u32;
                return true;
            }
            i += 1;
        }
        self.current[v] = end as u32;
        false
    }

    /// Lowers `v`'s price as far as keeps every residual arc out of it `eps`-optimal, which
    /// leaves the arc of least reduced cost admissible (it becomes the current arc). False,
    /// with nothing changed, when no residual arc leaves `v`.
    fn relabel(&mut self, v: usize, eps: i64) -> Result<bool, GaveUp> {
        let (start, end) = (self.first[v] as usize, self.first[v + 1] as usize);
        let mut best = i64::MIN;
        let mut best_arc = end;
        for i in start..end {
            let arc = self.arcs[i];
            if arc.cap > 0 {
                let bound = self.price[arc.head as usize] - arc.cost;
                if bound > best {
                    best = bound;
                    best_arc = i;
                }
            }
        }
        if best_arc == end {
            return Ok(false);
        }
        let price = best - eps;
        if price < -self.floor {
            // Only a node with excess proves the network infeasible; the look-ahead simply
            // leaves any other node as it is.
            return if self.excess[v] > 0 {
                Err(GaveUp)
            } else {
                Ok(false)
            };
        }
        self.price[v] = price;
        self.current[v] = best_arc as u32;
        Ok(true)
    }

    /// The optimal flow with exact potentials for the original costs (module documentation).
    fn into_solution(self, net: &FlowNetwork, scale: i64) -> FlowSolution {
        let n = self.n;
        // Prices in original units, rounded down: residual reduced costs are then >= -1.
        let mut potential: Vec<i64> = self.price.iter().map(|p| p.div_euclid(scale)).collect();
        let reduced = |potential: &[i64], v: usize, arc: &Residual| {
            arc.cost / scale + potential[v] - potential[arc.head as usize]
        };
        // Label correcting from a virtual source joined to every node at zero cost.
        let mut distance = vec![0i64; n];
        let mut queued = vec![true; n];
        let mut queue: VecDeque<u32> = (0..n as u32).collect();
        while let Some(v) = queue.pop_front() {
            let v = v as usize;
            queued[v] = false;
            for arc in &self.arcs[self.first[v] as usize..self.first[v + 1] as usize] {
                if arc.cap > 0 {
                    let w = arc.head as usize;
                    let d = distance[v] + reduced(&potential, v, arc);
                    if d < distance[w] {
                        distance[w] = d;
                        if !queued[w] {
                            queued[w] = true;
                            queue.push_back(w as u32);
                        }
                    }
                }
            }
        }
        for (p, d) in potential.iter_mut().zip(&distance) {
            *p += d;
        }

        // Flows: each forward residual arc is found again in the order it was made.
        let m = net.arc_count();
        let mut flow = vec![0i64; m];
        let mut fill: Vec<u32> = self.first[..n].to_vec();
        for (a, f) in flow.iter_mut().enumerate() {
            let (s, t) = (net.from[a] as usize, net.to[a] as usize);
            if s == t {
                *f = if net.cost[a] < 0 { net.capacity[a] } else { 0 };
                continue;
            }
            let i = fill[s] as usize;
            fill[s] += 1;
            fill[t] += 1;
            *f = net.capacity[a] - self.arcs[i].cap;
        }
        net.solution(flow, potential)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        arb_balanced_network, bottleneck, large_random_network, network, random_network, reference,
        reference_of,
    };
    use super::super::verify;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        /// Cost scaling finds the reference optimum with a certificate, and gives up exactly
        /// on the infeasible networks.
        #[test]
        fn matches_reference((n, supply, arcs) in arb_balanced_network()) {
            let net = network(n, &supply, &arcs);
            net.check().unwrap();
            match (solve(&net, None), reference(n, &supply, &arcs)) {
                (Some(sol), Some(cost)) => {
                    prop_assert_eq!(verify(&net, &sol), Ok(()));
                    prop_assert_eq!(sol.cost, cost);
                }
                (None, None) => {}
                (got, expected) => {
                    prop_assert!(false, "got {:?}, expected {:?}", got.map(|s| s.cost), expected);
                }
            }
        }

        /// From the optimum of a working set of one arc a node (and from a zero start), cost
        /// scaling finds the reference optimum with a certificate.
        #[test]
        fn after_a_working_set_matches_reference((n, supply, arcs) in arb_balanced_network()) {
            let net = network(n, &supply, &arcs);
            let art_cost = net.check().unwrap();
            let expected = reference(n, &supply, &arcs);
            let zero = vec![0; arcs.len()];
            for start in [None, Some(zero.as_slice())] {
                let got = solve_after_simplex(&net, art_cost, start, 1);
                if let Some(sol) = &got {
                    prop_assert_eq!(verify(&net, sol), Ok(()));
                }
                prop_assert_eq!(got.map(|s| s.cost), expected);
            }
        }
    }

    #[test]
    fn random_networks_match_reference_and_simplex() {
        for seed in 0..30 {
            let net = random_network(seed, 60, 600, 8, 50);
            let got = solve(&net, None);
            if let Some(sol) = &got {
                verify(&net, sol).unwrap();
            }
            assert_eq!(
                got.as_ref().map(|s| s.cost),
                reference_of(&net),
                "seed {seed}"
            );
            let simplex = net.solve_with(None, None).ok().map(|s| s.cost);
            assert_eq!(got.as_ref().map(|s| s.cost), simplex, "seed {seed}");
            assert_eq!(solve(&net, None), got, "deterministic");
        }
    }

    #[test]
    fn large_costs_and_capacities() {
        let net = large_random_network(3, 200, 2000);
        net.check().unwrap();
        let sol = solve(&net, None).expect("feasible, and the costs fit");
        verify(&net, &sol).unwrap();
        assert_eq!(Some(sol.cost), reference_of(&net));
    }

    /// A placement round in miniature: children (supply 1) with many candidate pools, an
    /// unplaced arc each to the sink, pools with few places, ties in cost.
    fn placement_like(seed: u64, children: usize, pools: usize, per_child: usize) -> FlowNetwork {
        let mut state = seed;
        let mut next = move |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        let sink = children + pools;
        let mut net = FlowNetwork::new(sink + 1);
        for c in 0..children {
            net.set_supply(c, 1);
            for _ in 0..per_child {
                let p = next(pools as u64) as usize;
                net.add_arc(c, children + p, 2, next(40) as i64);
            }
            net.add_arc(c, sink, 2, 1_000 + next(10) as i64);
        }
        for p in 0..pools {
            net.add_arc(children + p, sink, next(4) as i64, 0);
        }
        net.set_supply(sink, -(children as i64));
        net
    }

    #[test]
    fn placement_rounds_match_the_simplex() {
        for seed in 0..3 {
            let net = placement_like(seed, 150, 25, 30);
            let sol = solve(&net, None).expect("always feasible");
            verify(&net, &sol).unwrap();
            assert_eq!(
                sol.cost,
                net.solve_with(None, None).unwrap().cost,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn the_public_switch_certifies_and_falls_back() {
        let net = placement_like(2, 300, 40, 50);
        let sol = net.solve_by_cost_scaling(None).unwrap();
        verify(&net, &sol).unwrap();
        assert_eq!(sol.cost, net.solve().unwrap().cost);
        assert_eq!(
            bottleneck(1).solve_by_cost_scaling(None),
            Err(super::super::FlowError::Infeasible)
        );
    }
}
