//! Pricing on a working set of arcs, for dense networks.
//!
//! On a dense network (a placement round has hundreds of candidate settings a child) most arcs
//! never carry flow, yet block search prices every one of them for each of the last pivots.
//! Instead the simplex first works on a small set of arcs: every arc with flow in the start,
//! plus the few cheapest arcs out of each node. When no working arc violates optimality, all
//! the other arcs are priced once with the current potentials; those with a negative reduced
//! cost (all are at their lower bound, with zero flow) join the working set and the simplex
//! carries on from the same tree. When a full pricing finds none, every arc of the network
//! satisfies complementary slackness with the final potentials, so the flow is optimal for the
//! whole network, exactly as if all arcs had been priced all along; [`super::verify`] checks it.
//!
//! A handful of rounds is typical: the cheapest arcs out of a node are the ones an optimum
//! mostly uses.

use super::{FlowNetwork, STATE_LOWER, Simplex};

/// Arcs out of each node in the first working set.
pub(super) const ARCS_PER_NODE: usize = 12;

/// Most arcs out of one node that join the working set in one pricing round.
pub(super) const ADDED_PER_NODE: usize = 4;

/// The working set pays when the network has at least this many arcs per node. Authorities'
/// rounds have 100–350 (Shropshire, England within 45 minutes, Kent); on generated instances
/// with 50 candidates a child (about 48 arcs a node) it gained nothing at 20,000 children and
/// cost time at 100,000, so they are priced whole as before.
const DENSE_ARCS_PER_NODE: usize = 64;

/// How many arcs out of each node start the working set, or `None` to price all arcs at once
/// (networks too sparse for a working set to help).
pub(super) fn default_arcs_per_node(net: &FlowNetwork) -> Option<usize> {
    let dense = net.arc_count() >= DENSE_ARCS_PER_NODE * net.node_count().max(1);
    dense.then_some(ARCS_PER_NODE)
}

/// The arcs the simplex works on, as network arc indices.
pub(super) struct WorkingSet {
    /// The first working set, in increasing order.
    pub(super) arcs: Vec<u32>,
    /// One bit per network arc: set when the arc is in the working set.
    member: Vec<u64>,
}

impl WorkingSet {
    fn contains(&self, arc: usize) -> bool {
        self.member[arc / 64] >> (arc % 64) & 1 == 1
    }

    fn insert(&mut self, arc: usize) {
        self.member[arc / 64] |= 1 << (arc % 64);
    }
}

/// The first working set: each node's `per_node` cheapest outgoing arcs (ties: lower index)
/// and every arc with flow in `start`.
pub(super) fn initial_arcs(
    net: &FlowNetwork,
    per_node: usize,
    start: Option<&[i64]>,
) -> WorkingSet {
    let n = net.node_count();
    let m = net.arc_count();
    // Arcs grouped by tail (counting sort; within a tail in index order).
    let mut first = vec![0u32; n + 1];
    for &v in &net.from {
        first[v as usize + 1] += 1;
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    let mut fill = first.clone();
    let mut by_tail = vec![0u32; m];
    for (a, &v) in net.from.iter().enumerate() {
        let slot = &mut fill[v as usize];
        by_tail[*slot as usize] = a as u32;
        *slot += 1;
    }
    drop(fill);
    let mut set = WorkingSet {
        arcs: Vec::new(),
        member: vec![0; m.div_ceil(64)],
    };
    for v in 0..n {
        let out = &mut by_tail[first[v] as usize..first[v + 1] as usize];
        if out.len() > per_node {
            out.select_nth_unstable_by_key(per_node - 1, |&a| (net.cost[a as usize], a));
        }
        for &a in &out[..out.len().min(per_node)] {
            set.insert(a as usize);
        }
    }
    drop(by_tail);
    if let Some(start) = start {
        for (a, &f) in start.iter().enumerate() {
            if f != 0 {
                set.insert(a);
            }
        }
    }
    let arcs = (0..m)
        .filter(|&a| set.contains(a))
        .map(|a| a as u32)
        .collect();
    set.arcs = arcs;
    set
}

impl Simplex {
    /// Prices every network arc outside the working set with the current potentials and adds
    /// those with a negative reduced cost. Returns false when there is none, that is when the
    /// current flow is optimal for the whole network.
    pub(super) fn price_out(&mut self, net: &FlowNetwork, set: &mut WorkingSet) -> bool {
        let pi = &self.pi;
        // (tail, reduced cost, arc) of every violating arc.
        let mut violating: Vec<(u32, i64, u32)> = Vec::new();
        for (word_index, &word) in set.member.iter().enumerate() {
            if word == u64::MAX {
                continue;
            }
            let base = word_index * 64;
            let end = (base + 64).min(net.arc_count());
            for a in base..end {
                if word >> (a - base) & 1 == 0 {
                    let (s, t) = (net.from[a] as usize, net.to[a] as usize);
                    let reduced = net.cost[a] + pi[s] - pi[t];
                    if reduced < 0 {
                        violating.push((s as u32, reduced, a as u32));
                    }
                }
            }
        }
        if violating.is_empty() {
            return false;
        }
        // The most violating few out of each node (ties: lower index), in arc order.
        violating.sort_unstable();
        let mut entering: Vec<u32> = Vec::with_capacity(violating.len());
        let mut run = (u32::MAX, 0);
        for &(tail, _, a) in &violating {
            if run.0 != tail {
                run = (tail, 0);
            }
            if run.1 < self.added_per_node {
                entering.push(a);
                run.1 += 1;
            }
        }
        drop(violating);
        entering.sort_unstable();
        for &a in &entering {
            set.insert(a as usize);
        }
        self.add_arcs(net, &entering);
        true
    }

    /// Appends network arcs `arcs` (not yet working arcs) to the working arcs, at their lower
    /// bound. They go before the artificial arcs, whose indices (held by tree nodes) shift.
    fn add_arcs(&mut self, net: &FlowNetwork, arcs: &[u32]) {
        let (m, k) = (self.m, arcs.len());
        let pick = |column: &[u32]| arcs.iter().map(|&a| column[a as usize]).collect::<Vec<_>>();
        self.source.splice(m..m, pick(&net.from));
        self.target.splice(m..m, pick(&net.to));
        self.cap
            .splice(m..m, arcs.iter().map(|&a| net.capacity[a as usize]));
        self.cost
            .splice(m..m, arcs.iter().map(|&a| net.cost[a as usize]));
        self.flow.splice(m..m, std::iter::repeat_n(0, k));
        self.state.splice(m..m, std::iter::repeat_n(STATE_LOWER, k));
        for p in &mut self.pred[..self.n] {
            if *p as usize >= m {
                *p += k as u32;
            }
        }
        self.arc_of.extend_from_slice(arcs);
        self.m += k;
        self.block = ((self.m as f64).sqrt() as usize).max(10);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        arb_balanced_network, bottleneck, network, random_network, reference, reference_of,
    };
    use super::super::{FlowError, verify};
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// With a working set of one arc a node (the smallest), the optimum is the reference
        /// solver's, cold and warm.
        #[test]
        fn one_arc_a_node_matches_reference((n, supply, arcs) in arb_balanced_network()) {
            let net = network(n, &supply, &arcs);
            let expected = reference(n, &supply, &arcs);
            match net.solve_with(None, Some(1)) {
                Ok(sol) => {
                    prop_assert_eq!(verify(&net, &sol), Ok(()));
                    prop_assert_eq!(Some(sol.cost), expected);
                    let zero = vec![0; arcs.len()];
                    let warm = net.solve_with(Some(&zero), Some(1)).unwrap();
                    prop_assert_eq!(warm.cost, sol.cost);
                }
                Err(e) => {
                    prop_assert_eq!(e, FlowError::Infeasible);
                    prop_assert_eq!(expected, None);
                }
            }
        }
    }

    #[test]
    fn working_set_reaches_the_full_optimum() {
        for seed in 0..40 {
            let net = random_network(seed, 40, 900, 6, 60);
            let full = net.solve_with(None, None);
            for per_node in [1, 2, 5] {
                let got = net.solve_with(None, Some(per_node));
                match &full {
                    Ok(sol) => {
                        let got = got.unwrap();
                        verify(&net, &got).unwrap();
                        assert_eq!(got.cost, sol.cost, "seed {seed}, {per_node} a node");
                    }
                    Err(e) => assert_eq!(got.as_ref().err(), Some(e), "seed {seed}"),
                }
            }
            assert_eq!(full.as_ref().ok().map(|s| s.cost), reference_of(&net));
        }
    }

    #[test]
    fn working_set_from_a_warm_start() {
        for seed in 0..20 {
            let net = random_network(seed, 40, 900, 6, 60);
            let Ok(cold) = net.solve_with(None, None) else {
                continue;
            };
            // Start from the optimum of other costs.
            let mut other = net.clone();
            for (a, c) in other.cost.iter_mut().enumerate() {
                *c = (a as i64 * 7919 + seed as i64) % 61 - 30;
            }
            let start = other.solve().unwrap();
            for per_node in [1, 3] {
                let warm = net.solve_with(Some(&start.flow), Some(per_node)).unwrap();
                verify(&net, &warm).unwrap();
                assert_eq!(warm.cost, cold.cost);
            }
        }
    }

    #[test]
    fn infeasible_is_found_with_a_working_set() {
        let net = bottleneck(10);
        assert_eq!(net.solve_with(None, Some(1)), Err(FlowError::Infeasible));
    }

    #[test]
    fn dense_networks_use_a_working_set() {
        let sparse = random_network(1, 100, 300, 5, 10);
        assert_eq!(default_arcs_per_node(&sparse), None);
        let dense = random_network(1, 20, 20 * DENSE_ARCS_PER_NODE, 5, 10);
        assert_eq!(default_arcs_per_node(&dense), Some(ARCS_PER_NODE));
    }
}
