//! Tiny random instances against an independent oracle: the relaxation without side
//! constraints, and enumeration of every assignment with them.

use super::*;
use proptest::prelude::*;

/// Optimum by enumerating every assignment (tiny instances only).
fn brute_force(problem: &PlacementProblem, side: &SideConstraints) -> Option<i64> {
    let n = problem.children.len();
    let options: Vec<Vec<Option<&Candidate>>> = (0..n)
        .map(|i| {
            std::iter::once(None)
                .chain(
                    problem
                        .candidates
                        .iter()
                        .filter(|c| c.child as usize == i)
                        .map(Some),
                )
                .collect()
        })
        .collect();
    let mut best = None;
    let mut choice = vec![0usize; n];
    loop {
        let pools: Vec<Option<u32>> = (0..n)
            .map(|i| options[i][choice[i]].map(|c| c.pool))
            .collect();
        if satisfies(problem, side, &pools) {
            let cost: i64 = (0..n)
                .map(|i| {
                    options[i][choice[i]].map_or(problem.children[i].unplaced_cost, |c| c.cost)
                })
                .sum();
            best = Some(best.map_or(cost, |b: i64| b.min(cost)));
        }
        // Next choice vector, odometer style.
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            choice[i] += 1;
            if choice[i] < options[i].len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

/// Small random instances: (problem, side constraints), with unplaced costs high enough
/// that placing is usually worthwhile.
fn small_instance(max_children: usize) -> impl Strategy<Value = PlacementProblem> {
    (1..=max_children, 1..=6usize).prop_flat_map(|(n_children, n_pools)| {
        let pools = prop::collection::vec(
            (0..4u32, 0..3u32, 0..3u32, any::<bool>()).prop_map(
                |(free, setting, locality, mainstream)| Pool {
                    free,
                    setting,
                    locality,
                    mainstream,
                },
            ),
            n_pools,
        );
        let children = prop::collection::vec(
            (50..200i64, prop::option::weighted(0.4, 0..3u32)).prop_map(
                |(unplaced_cost, sibling_group)| Demand {
                    unplaced_cost,
                    sibling_group,
                },
            ),
            n_children,
        );
        // Each (child, pool) pair is a candidate with probability 0.4.
        let pairs = prop::collection::vec(
            prop::option::weighted(0.4, (0..100i64, 0..10i64)),
            n_children * n_pools,
        );
        (children, pools, pairs).prop_map(move |(children, pools, pairs)| PlacementProblem {
            fixed: Default::default(),
            children,
            pools,
            candidates: pairs
                .into_iter()
                .enumerate()
                .filter_map(|(k, pair)| {
                    pair.map(|(cost, pounds)| Candidate {
                        child: (k / n_pools) as u32,
                        pool: (k % n_pools) as u32,
                        cost,
                        pounds,
                    })
                })
                .collect(),
        })
    })
}

fn side_constraints() -> impl Strategy<Value = SideConstraints> {
    (
        prop::option::of(0..30i64),
        prop::option::of(prop::sample::select(vec![0.0, 0.25, 0.5, 2.0 / 3.0, 1.0])),
        prop::collection::vec((0..3u32, 0..3u32), 0..2),
        any::<bool>(),
    )
        .prop_map(
            |(budget_pounds, min_mainstream_share, locality_max, keep_siblings_together)| {
                SideConstraints {
                    budget_pounds,
                    min_mainstream_share,
                    locality_max,
                    keep_siblings_together,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Without side constraints the model is a transportation problem, whose LP relaxation
    /// has an integral optimum.
    #[test]
    fn relaxation_matches_integer_optimum_without_side_constraints(problem in small_instance(30)) {
        let integer = solve_lp(&problem, &none(), &exact()).unwrap();
        let relaxed = solve_lp(&problem, &none(), &LpOptions { integral: false, ..exact() }).unwrap();
        prop_assert_eq!(&integer.status, &LpStatus::Optimal);
        prop_assert_eq!(&relaxed.status, &LpStatus::Optimal);
        let (a, b) = (integer.objective.unwrap(), relaxed.objective.unwrap());
        prop_assert!((a - b).abs() < 1e-6, "integer {} vs relaxed {}", a, b);
        prop_assert_eq!(integer.assignment.unwrap().objective as f64, a);
    }

    /// On tiny instances the model agrees with enumeration, side constraints included.
    #[test]
    fn integer_optimum_matches_enumeration(problem in small_instance(6), side in side_constraints()) {
        let outcome = solve_lp(&problem, &side, &exact()).unwrap();
        let expected = brute_force(&problem, &side);
        prop_assert_eq!(expected.is_some(), true, "all-unplaced is always feasible here");
        prop_assert_eq!(&outcome.status, &LpStatus::Optimal);
        let assignment = outcome.assignment.unwrap();
        prop_assert!(satisfies(&problem, &side, &assignment.pool_of_child));
        prop_assert_eq!(Some(assignment.objective), expected);
        prop_assert!((outcome.objective.unwrap() - expected.unwrap() as f64).abs() < 1e-6);
    }
}
