use super::*;
use proptest::prelude::*;

/// Reference min-cost flow: saturate negative arcs, then successive shortest paths with
/// Bellman-Ford from a super source. `None` when infeasible.
pub(super) fn reference(n: usize, supply: &[i64], arcs: &[Arc]) -> Option<i128> {
    let source = n;
    let sink = n + 1;
    // Residual edges: (to, capacity, cost); edge i ^ 1 is the reverse of edge i.
    let mut edges: Vec<(usize, usize, i64, i64)> = Vec::new();
    let add = |edges: &mut Vec<_>, a: usize, b: usize, cap: i64, cost: i64| {
        edges.push((a, b, cap, cost));
        edges.push((b, a, 0, -cost));
    };
    let mut excess: Vec<i64> = supply.to_vec();
    for &(a, b, cap, cost) in arcs {
        if cost < 0 {
            add(&mut edges, b, a, cap, -cost);
            excess[a] -= cap;
            excess[b] += cap;
        } else {
            add(&mut edges, a, b, cap, cost);
        }
    }
    let mut need = 0;
    for (v, &x) in excess.iter().enumerate() {
        if x > 0 {
            add(&mut edges, source, v, x, 0);
            need += x;
        } else if x < 0 {
            add(&mut edges, v, sink, -x, 0);
        }
    }
    let nodes = n + 2;
    let mut sent = 0;
    loop {
        let mut dist = vec![i64::MAX; nodes];
        let mut via = vec![usize::MAX; nodes];
        dist[source] = 0;
        for _ in 0..nodes {
            let mut changed = false;
            for (i, &(a, b, cap, cost)) in edges.iter().enumerate() {
                if cap > 0 && dist[a] != i64::MAX && dist[a] + cost < dist[b] {
                    dist[b] = dist[a] + cost;
                    via[b] = i;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if dist[sink] == i64::MAX {
            break;
        }
        let mut push = i64::MAX;
        let mut v = sink;
        while v != source {
            push = push.min(edges[via[v]].2);
            v = edges[via[v]].0;
        }
        let mut v = sink;
        while v != source {
            let i = via[v];
            edges[i].2 -= push;
            edges[i ^ 1].2 += push;
            v = edges[i].0;
        }
        sent += push;
    }
    if sent != need {
        return None;
    }
    // Recover the cost from the arc edges (the first 2 * arcs.len() edges).
    let mut total: i128 = 0;
    for (j, &(_, _, cap, cost)) in arcs.iter().enumerate() {
        let reverse_cap = edges[2 * j + 1].2;
        let flow = if cost < 0 {
            cap - reverse_cap
        } else {
            reverse_cap
        };
        total += i128::from(flow) * i128::from(cost);
    }
    Some(total)
}

/// A network of `n` nodes with the given supplies (the nodes past the end of `supply` have
/// none) and arcs.
pub(super) fn network(n: usize, supply: &[i64], arcs: &[Arc]) -> FlowNetwork {
    let mut net = FlowNetwork::with_capacity(n, arcs.len());
    for (v, &b) in supply.iter().enumerate() {
        net.set_supply(v, b);
    }
    for &(a, b, cap, cost) in arcs {
        net.add_arc(a, b, cap, cost);
    }
    net
}

fn solve_checked(net: &FlowNetwork) -> Result<FlowSolution, FlowError> {
    let result = net.solve();
    if let Ok(sol) = &result {
        verify(net, sol).unwrap();
    }
    result
}

#[test]
fn three_by_three_assignment() {
    let costs = [[4, 1, 3], [2, 0, 5], [3, 2, 2]];
    let mut net = FlowNetwork::new(6);
    for (i, row) in costs.iter().enumerate() {
        net.set_supply(i, 1);
        net.set_supply(3 + i, -1);
        for (j, &c) in row.iter().enumerate() {
            net.add_arc(i, 3 + j, 1, c);
        }
    }
    let sol = solve_checked(&net).unwrap();
    assert_eq!(sol.cost, 5);
    // Row 0 -> column 1, row 1 -> column 0, row 2 -> column 2.
    let chosen: Vec<usize> = (0..9).filter(|&a| sol.flow[a] == 1).collect();
    assert_eq!(chosen, vec![1, 3, 8]);
}

#[test]
fn unbalanced_and_infeasible() {
    let net = network(2, &[2, -1], &[(0, 1, 5, 1)]);
    assert_eq!(net.solve(), Err(FlowError::Unbalanced { total: 1 }));

    assert_eq!(bottleneck(1).solve(), Err(FlowError::Infeasible));

    let net = network(2, &[1, -1], &[]);
    assert_eq!(net.solve(), Err(FlowError::Infeasible));
    assert!(FlowError::Infeasible.to_string().contains("no flow"));
}

#[test]
fn invalid_arcs() {
    let mut net = FlowNetwork::new(2);
    net.add_arc(0, 1, 1, 0);
    net.add_arc(0, 2, 1, 0);
    assert!(matches!(
        net.solve(),
        Err(FlowError::InvalidArc { arc: 1, .. })
    ));
    let mut net = FlowNetwork::new(2);
    net.add_arc(0, 1, -1, 0);
    assert!(matches!(
        net.solve(),
        Err(FlowError::InvalidArc { arc: 0, .. })
    ));
    let mut net = FlowNetwork::new(2);
    net.add_arc(0, 1, 1, MAX_COST + 1);
    assert!(matches!(
        net.solve(),
        Err(FlowError::InvalidArc { arc: 0, .. })
    ));
    let mut net = FlowNetwork::new(2);
    net.add_arc(0, 1, i64::MAX, 0);
    assert!(matches!(
        net.solve(),
        Err(FlowError::InvalidArc { arc: 0, .. })
    ));
}

#[test]
fn negative_cycle_and_loops() {
    let net = network(
        3,
        &[],
        &[(0, 1, 3, -1), (1, 0, 2, -1), (2, 2, 4, -5), (2, 2, 4, 5)],
    );
    let sol = solve_checked(&net).unwrap();
    assert_eq!(sol.flow, vec![2, 2, 4, 0]);
    assert_eq!(sol.cost, -24);
}

#[test]
fn empty_networks() {
    let sol = solve_checked(&FlowNetwork::new(0)).unwrap();
    assert_eq!(sol.cost, 0);
    let sol = solve_checked(&FlowNetwork::new(3)).unwrap();
    assert_eq!(sol.potential.len(), 3);
}

#[test]
fn verify_rejects_bad_solutions() {
    let net = network(3, &[1, 0, -1], &[(0, 1, 1, 1), (1, 2, 1, 1), (0, 2, 1, 5)]);
    let sol = solve_checked(&net).unwrap();
    assert_eq!(sol.cost, 2);
    let mut worse = sol.clone();
    worse.flow = vec![0, 0, 1];
    worse.cost = 5;
    assert!(verify(&net, &worse).is_err());
    let mut unbalanced = sol.clone();
    unbalanced.flow = vec![1, 0, 0];
    unbalanced.cost = 1;
    assert!(verify(&net, &unbalanced).is_err());
    let mut wrong_cost = sol;
    wrong_cost.cost = 3;
    assert!(verify(&net, &wrong_cost).is_err());
}

/// A deterministic pseudo-random network, for sizes too big for proptest shrinking.
pub(super) fn random_network(
    seed: u64,
    n: usize,
    m: usize,
    max_cap: i64,
    costs: i64,
) -> FlowNetwork {
    let mut state = seed;
    let mut next = move |bound: u64| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % bound
    };
    let mut net = FlowNetwork::new(n);
    let mut total = 0;
    for v in 0..n - 1 {
        let b = next(11) as i64 - 5;
        net.set_supply(v, b);
        total += b;
    }
    net.set_supply(n - 1, -total);
    for _ in 0..m {
        let a = next(n as u64) as usize;
        let b = next(n as u64) as usize;
        let cap = next(max_cap as u64 + 1) as i64;
        let cost = next(2 * costs as u64 + 1) as i64 - costs;
        net.add_arc(a, b, cap, cost);
    }
    net
}

/// A [`random_network`] with large capacities and costs, made feasible by expensive arcs
/// from every node to the last and back.
pub(super) fn large_random_network(seed: u64, n: usize, m: usize) -> FlowNetwork {
    let mut net = random_network(seed, n, m, 1_000_000, 1_000_000_000);
    let last = net.node_count() - 1;
    for v in 0..last {
        net.add_arc(v, last, 10, 1_000_000_000);
        net.add_arc(last, v, 10, 1_000_000_000);
    }
    net
}

/// Three nodes where three units must pass an arc of capacity two: infeasible. The first
/// leg is `parallel` arcs side by side.
pub(super) fn bottleneck(parallel: usize) -> FlowNetwork {
    let mut arcs = vec![(0, 1, 5, 1); parallel];
    arcs.push((1, 2, 2, 1));
    network(3, &[3, 0, -3], &arcs)
}

fn arcs_of(net: &FlowNetwork) -> Vec<Arc> {
    (0..net.arc_count()).map(|a| net.arc(a)).collect()
}

/// The reference solver's optimal cost of `net`, `None` when infeasible.
pub(super) fn reference_of(net: &FlowNetwork) -> Option<i128> {
    let supply: Vec<i64> = (0..net.node_count()).map(|v| net.supply(v)).collect();
    reference(net.node_count(), &supply, &arcs_of(net))
}

#[test]
fn medium_random_networks_match_reference() {
    for seed in 0..30 {
        let net = random_network(seed, 60, 400, 8, 50);
        let got = solve_checked(&net);
        match reference_of(&net) {
            Some(cost) => assert_eq!(got.as_ref().unwrap().cost, cost, "seed {seed}"),
            None => assert_eq!(got, Err(FlowError::Infeasible), "seed {seed}"),
        }
        assert_eq!(net.solve(), got, "deterministic");
    }
}

#[test]
fn large_costs_and_capacities() {
    let net = large_random_network(7, 300, 3000);
    let sol = solve_checked(&net).unwrap();
    assert_eq!(Some(sol.cost), reference_of(&net));
}

/// The same network with other costs.
fn with_costs(net: &FlowNetwork, costs: &[i64]) -> FlowNetwork {
    let mut other = net.clone();
    other.cost.copy_from_slice(costs);
    other
}

#[test]
fn warm_start_from_other_optimum() {
    for seed in 0..30 {
        let net = random_network(seed, 60, 400, 8, 50);
        let cold = net.solve();
        let other_costs: Vec<i64> = (0..net.arc_count())
            .map(|a| (a as i64 * 7919 + seed as i64) % 41 - 20)
            .collect();
        let other = with_costs(&net, &other_costs);
        match other.solve() {
            Ok(start) => {
                let warm = net.solve_from(&start.flow).unwrap();
                verify(&net, &warm).unwrap();
                assert_eq!(warm.cost, cold.as_ref().unwrap().cost, "seed {seed}");
                assert_eq!(net.solve_from(&start.flow).unwrap(), warm, "deterministic");
                // Starting from the optimum itself costs nothing more.
                let again = net.solve_from(&warm.flow).unwrap();
                assert_eq!(again.cost, warm.cost);
                verify(&net, &again).unwrap();
            }
            Err(e) => {
                assert_eq!(e, FlowError::Infeasible);
                assert_eq!(cold, Err(FlowError::Infeasible));
            }
        }
    }
}

#[test]
fn warm_start_falls_back_on_unusable_starts() {
    // Two parallel routes 0 -> 1 -> 3 and 0 -> 2 -> 3 plus a direct arc; supply 4.
    let net = network(
        4,
        &[4, 0, 0, -4],
        &[
            (0, 1, 5, 1),
            (1, 3, 5, 1),
            (0, 2, 5, 2),
            (2, 3, 5, 2),
            (0, 3, 5, 10),
        ],
    );
    let cold = solve_checked(&net).unwrap();
    assert_eq!(cold.cost, 8);
    let unusable: [&[i64]; 4] = [
        &[4, 4, 0, 0],     // wrong length
        &[5, 5, 0, 0, -1], // out of bounds
        &[3, 3, 0, 0, 0],  // unbalanced
        &[2, 2, 2, 2, 0],  // the free arcs 0-1-3-2-0 close a cycle
    ];
    for start in unusable {
        let sol = net.solve_from(start).unwrap();
        assert_eq!(sol, cold);
    }
    // A usable but poor start.
    let sol = net.solve_from(&[0, 0, 0, 0, 4]).unwrap();
    verify(&net, &sol).unwrap();
    assert_eq!(sol.cost, 8);
    // Loops in the start are moved to their better bound.
    let mut with_loop = net.clone();
    with_loop.add_arc(1, 1, 3, -2);
    with_loop.add_arc(2, 2, 3, 2);
    let sol = with_loop.solve_from(&[1, 1, 0, 0, 3, 1, 2]).unwrap();
    verify(&with_loop, &sol).unwrap();
    assert_eq!(sol.cost, 8 - 6);
}

/// An arc as `(from, to, capacity, cost)`.
pub(super) type Arc = (usize, usize, i64, i64);
/// A random network: nodes, supplies, arcs, and whether to balance the supplies.
pub(super) type Case = (usize, Vec<i64>, Vec<Arc>, bool);
/// A random network with balanced supplies: nodes, supplies, arcs.
pub(super) type Balanced = (usize, Vec<i64>, Vec<Arc>);

/// Sets the last supply so that all of them sum to zero.
fn balance(supply: &mut [i64]) {
    let (last, rest) = supply.split_last_mut().expect("at least one node");
    *last = -rest.iter().sum::<i64>();
}

fn arb_network() -> impl Strategy<Value = Case> {
    (1usize..=7).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(-5i64..=5, n),
            prop::collection::vec((0..n, 0..n, 0i64..=6, -10i64..=10), 0..=24),
            prop::bool::weighted(0.9),
        )
    })
}

/// The networks of [`arb_network`], each with its supplies balanced.
pub(super) fn arb_balanced_network() -> impl Strategy<Value = Balanced> {
    arb_network().prop_map(|(n, mut supply, arcs, _)| {
        balance(&mut supply);
        (n, supply, arcs)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn matches_reference((n, mut supply, arcs, balanced) in arb_network()) {
        if balanced {
            balance(&mut supply);
        }
        let total: i64 = supply.iter().sum();
        let net = network(n, &supply, &arcs);
        let got = net.solve();
        if total != 0 {
            prop_assert_eq!(got, Err(FlowError::Unbalanced { total }));
        } else {
            match reference(n, &supply, &arcs) {
                Some(cost) => {
                    let sol = got.unwrap();
                    prop_assert_eq!(verify(&net, &sol), Ok(()));
                    prop_assert_eq!(sol.cost, cost);
                }
                None => prop_assert_eq!(got, Err(FlowError::Infeasible)),
            }
        }
    }

    #[test]
    fn warm_start_matches_cold(
        (n, supply, arcs) in arb_balanced_network(),
        other_costs in prop::collection::vec(-10i64..=10, 24),
    ) {
        let net = network(n, &supply, &arcs);
        let other = with_costs(&net, &other_costs[..arcs.len()]);
        if let Ok(start) = other.solve() {
            let warm = net.solve_from(&start.flow).unwrap();
            prop_assert_eq!(verify(&net, &warm), Ok(()));
            prop_assert_eq!(Some(warm.cost), reference(n, &supply, &arcs));
        }
    }
}
