use super::*;
use crate::solve::problem::{Candidate, Demand, Pool};
use proptest::prelude::*;

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
fn satisfies(
    problem: &PlacementProblem,
    side: &SideConstraints,
    pools: &[Option<u32>],
) -> bool {
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
    let budget_ok = side
        .budget_pounds
        .is_none_or(|budget| chosen.iter().map(|c| c.pounds).sum::<i64>() <= budget);
    let share_ok = side.min_mainstream_share.is_none_or(|share| {
        placed_in(&|p| p.mainstream) as f64 >= share * chosen.len() as f64 - 1e-9
    });
    let localities_ok = side
        .locality_max
        .iter()
        .all(|&(l, max)| placed_in(&|p| p.locality == l) <= max as usize);
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

#[test]
fn small_case_has_hand_checked_optimum() {
    // Pool 0 has one place, pool 1 two. Child 0 → pool 0 (1), child 1 → pool 1 (3),
    // child 2 → pool 1 (4): 8. The alternative with child 1 in pool 0 costs 2 + 5 + 4 = 11.
    let problem = PlacementProblem {
        children: vec![child(), child(), child()],
        pools: vec![pool(1, 0, 0, true), pool(2, 1, 0, true)],
        candidates: vec![
            cand(0, 0, 1),
            cand(0, 1, 5),
            cand(1, 0, 2),
            cand(1, 1, 3),
            cand(2, 1, 4),
        ],
    };
    let (assignment, objective) = optimum(&problem, &none());
    assert_eq!(objective, 8.0);
    assert_eq!(assignment.pool_of_child, vec![Some(0), Some(1), Some(1)]);
    assert_eq!(assignment.objective, 8);
}

#[test]
fn capacity_shortfall_leaves_exactly_the_excess_unplaced() {
    // Five children, one pool with three places: the two dearest stay unplaced.
    let problem = PlacementProblem {
        children: vec![child(); 5],
        pools: vec![pool(3, 0, 0, true)],
        candidates: (0..5).map(|i| cand(i, 0, 10 * (i as i64 + 1))).collect(),
    };
    let (assignment, objective) = optimum(&problem, &none());
    let unplaced = assignment
        .pool_of_child
        .iter()
        .filter(|p| p.is_none())
        .count();
    assert_eq!(unplaced, 2);
    assert_eq!(
        assignment.pool_of_child,
        vec![Some(0), Some(0), Some(0), None, None]
    );
    assert_eq!(objective, (10 + 20 + 30 + 2 * PENALTY) as f64);
}

#[test]
fn budget_cap_forces_the_cheaper_worse_scored_placement() {
    let problem = PlacementProblem {
        children: vec![child()],
        pools: vec![pool(1, 0, 0, false), pool(1, 1, 0, true)],
        candidates: vec![
            Candidate {
                child: 0,
                pool: 0,
                cost: 1,
                pounds: 50_000,
            },
            Candidate {
                child: 0,
                pool: 1,
                cost: 10,
                pounds: 20_000,
            },
        ],
    };
    let (free_hand, _) = optimum(&problem, &none());
    assert_eq!(free_hand.pool_of_child, vec![Some(0)]);
    let capped = SideConstraints {
        budget_pounds: Some(30_000),
        ..none()
    };
    let (assignment, objective) = optimum(&problem, &capped);
    assert_eq!(assignment.pool_of_child, vec![Some(1)]);
    assert_eq!(objective, 10.0);
    // Below every placement's price the child stays unplaced.
    let tight = SideConstraints {
        budget_pounds: Some(10_000),
        ..none()
    };
    let (assignment, objective) = optimum(&problem, &tight);
    assert_eq!(assignment.pool_of_child, vec![None]);
    assert_eq!(objective, PENALTY as f64);
}

#[test]
fn mainstream_share_moves_children_into_mainstream() {
    // A special school (pool 0) suits both children better than the mainstream school (pool 1).
    let problem = PlacementProblem {
        children: vec![child(), child()],
        pools: vec![pool(2, 0, 0, false), pool(2, 1, 0, true)],
        candidates: vec![cand(0, 0, 1), cand(0, 1, 5), cand(1, 0, 1), cand(1, 1, 7)],
    };
    assert_eq!(optimum(&problem, &none()).1, 2.0);
    let half = SideConstraints {
        min_mainstream_share: Some(0.5),
        ..none()
    };
    let (assignment, objective) = optimum(&problem, &half);
    // Child 0 moves, being the cheaper one to move (5 < 7).
    assert_eq!(assignment.pool_of_child, vec![Some(1), Some(0)]);
    assert_eq!(objective, 6.0);
    let all = SideConstraints {
        min_mainstream_share: Some(1.0),
        ..none()
    };
    assert_eq!(optimum(&problem, &all).1, 12.0);
}

#[test]
fn locality_quota_caps_placements() {
    // Both children prefer locality 7; at most one may go there.
    let problem = PlacementProblem {
        children: vec![child(), child()],
        pools: vec![pool(5, 0, 7, true), pool(5, 1, 8, true)],
        candidates: vec![cand(0, 0, 1), cand(0, 1, 4), cand(1, 0, 1), cand(1, 1, 2)],
    };
    let quota = SideConstraints {
        locality_max: vec![(7, 1)],
        ..none()
    };
    let (assignment, objective) = optimum(&problem, &quota);
    assert_eq!(assignment.pool_of_child, vec![Some(0), Some(1)]);
    assert_eq!(objective, 3.0);
    // A quota of zero in both localities leaves everyone unplaced.
    let closed = SideConstraints {
        locality_max: vec![(7, 0), (8, 0)],
        ..none()
    };
    assert_eq!(optimum(&problem, &closed).1, (2 * PENALTY) as f64);
}

#[test]
fn siblings_share_a_setting_or_stay_unplaced_together() {
    // Setting 0 has pools 0 and 2, setting 1 has pool 1; children 0 and 1 are siblings.
    // Child 0: setting 0 costs 1, setting 1 costs 4. Child 1: setting 1 costs 1, setting 0
    // costs 6. Child 2 (no sibling) can only go to pool 2, for 3.
    let problem = PlacementProblem {
        children: vec![sibling(3), sibling(3), child()],
        pools: vec![
            pool(1, 0, 0, true),
            pool(2, 1, 0, true),
            pool(1, 0, 0, true),
        ],
        candidates: vec![
            cand(0, 0, 1),
            cand(0, 1, 4),
            cand(1, 1, 1),
            cand(1, 2, 6),
            cand(2, 2, 3),
        ],
    };
    let together = SideConstraints {
        keep_siblings_together: true,
        ..none()
    };
    // Apart: 1 + 1 + 3 = 5, the siblings in different settings.
    let (apart, objective) = optimum(&problem, &none());
    assert_eq!(apart.pool_of_child, vec![Some(0), Some(1), Some(2)]);
    assert_eq!(objective, 5.0);
    // Together in setting 1: 4 + 1 + 3 = 8. Setting 0 would cost 1 + 6 and push child 2 out
    // of pool 2 (107); both siblings unplaced would cost 203.
    let (assignment, objective) = optimum(&problem, &together);
    assert_eq!(assignment.pool_of_child, vec![Some(1), Some(1), Some(2)]);
    assert_eq!(objective, 8.0);

    // Two pools of one setting count as one setting: with setting 1 gone, the siblings go to
    // pools 0 and 2 of setting 0 (child 2 is left out).
    let mut no_setting_1 = problem.clone();
    no_setting_1.candidates.retain(|c| c.pool != 1);
    let (assignment, objective) = optimum(&no_setting_1, &together);
    assert_eq!(assignment.pool_of_child, vec![Some(0), Some(2), None]);
    assert_eq!(objective, (1 + 6 + PENALTY) as f64);

    // No common setting: both siblings stay unplaced although each could be placed alone.
    let mut disjoint = problem.clone();
    disjoint.candidates = vec![cand(0, 0, 1), cand(1, 1, 1)];
    let (assignment, objective) = optimum(&disjoint, &together);
    assert_eq!(assignment.pool_of_child, vec![None, None, None]);
    assert_eq!(objective, (3 * PENALTY) as f64);

    // A common setting without room for both: both unplaced.
    let mut crowded = problem.clone();
    crowded.pools[1].free = 1;
    crowded.candidates.retain(|c| c.pool == 1);
    let (assignment, _) = optimum(&crowded, &together);
    assert_eq!(assignment.pool_of_child, vec![None, None, None]);
    let (assignment, _) = optimum(&crowded, &none());
    assert_eq!(
        assignment
            .pool_of_child
            .iter()
            .filter(|p| p.is_some())
            .count(),
        1
    );
}

#[test]
fn negative_budget_is_infeasible_and_blamed() {
    let problem = PlacementProblem {
        children: vec![sibling(0), sibling(0), child()],
        pools: vec![pool(1, 0, 0, false), pool(3, 1, 2, true)],
        candidates: vec![cand(0, 0, 1), cand(0, 1, 2), cand(1, 1, 3), cand(2, 0, 4)],
    };
    let side = SideConstraints {
        budget_pounds: Some(-1),
        min_mainstream_share: Some(0.5),
        locality_max: vec![(2, 1)],
        keep_siblings_together: true,
    };
    for integral in [true, false] {
        let options = LpOptions {
            integral,
            ..exact()
        };
        let outcome = solve_lp(&problem, &side, &options).unwrap();
        assert_eq!(
            outcome.status,
            LpStatus::Infeasible {
                blame: vec!["budget".to_string()]
            }
        );
        assert_eq!(outcome.assignment, None);
        assert_eq!(outcome.objective, None);
    }
    // Without any child the empty placement still overspends a negative budget.
    let empty = PlacementProblem::default();
    let outcome = solve_lp(&empty, &side, &exact()).unwrap();
    assert_eq!(
        outcome.status,
        LpStatus::Infeasible {
            blame: vec!["budget".to_string()]
        }
    );
    // Without candidates the budget row is empty but still infeasible.
    let no_candidates = PlacementProblem {
        candidates: vec![],
        ..problem
    };
    let outcome = solve_lp(&no_candidates, &side, &exact()).unwrap();
    assert_eq!(
        outcome.status,
        LpStatus::Infeasible {
            blame: vec!["budget".to_string()]
        }
    );
}

#[test]
fn blame_names_each_constraint_whose_removal_restores_feasibility() {
    let side = SideConstraints {
        budget_pounds: Some(1_000),
        min_mainstream_share: Some(0.5),
        locality_max: vec![(3, 4), (5, 0)],
        keep_siblings_together: true,
    };
    // A pretend model that is infeasible while the share and the quota of locality 5 are both on.
    let conflict = |s: &SideConstraints| {
        Ok(!(s.min_mainstream_share.is_some() && s.locality_max.iter().any(|&(l, _)| l == 5)))
    };
    let blame = blame_side_constraints(&side, conflict).unwrap();
    assert_eq!(blame, vec!["min_mainstream_share", "locality_max[5]"]);
    // Every kind is dropped exactly once, and nothing else changes.
    let mut tried = Vec::new();
    blame_side_constraints(&side, |s| {
        tried.push(s.clone());
        Ok(true)
    })
    .unwrap();
    assert_eq!(
        tried,
        vec![
            SideConstraints {
                budget_pounds: None,
                ..side.clone()
            },
            SideConstraints {
                min_mainstream_share: None,
                ..side.clone()
            },
            SideConstraints {
                locality_max: vec![(5, 0)],
                ..side.clone()
            },
            SideConstraints {
                locality_max: vec![(3, 4)],
                ..side.clone()
            },
            SideConstraints {
                keep_siblings_together: false,
                ..side.clone()
            },
        ]
    );
    assert_eq!(
        blame_side_constraints(&side, |_| Ok(true)).unwrap(),
        vec![
            "budget",
            "min_mainstream_share",
            "locality_max[3]",
            "locality_max[5]",
            "keep_siblings_together"
        ]
    );
    // Errors of the re-solves are passed on.
    let failing = blame_side_constraints(&side, |_| Err(LpError::Solver("boom".into())));
    assert_eq!(failing, Err(LpError::Solver("boom".into())));
}

#[test]
fn empty_problem_is_trivially_optimal() {
    let outcome =
        solve_lp(&PlacementProblem::default(), &none(), &LpOptions::default()).unwrap();
    assert_eq!(outcome.status, LpStatus::Optimal);
    assert_eq!(
        outcome.assignment,
        Some(Assignment {
            pool_of_child: vec![],
            objective: 0
        })
    );
    assert_eq!(outcome.objective, Some(0.0));
    // Children without candidates are simply unplaced.
    let lonely = PlacementProblem {
        children: vec![child(); 2],
        ..PlacementProblem::default()
    };
    let (assignment, objective) = optimum(&lonely, &none());
    assert_eq!(assignment.pool_of_child, vec![None, None]);
    assert_eq!(objective, (2 * PENALTY) as f64);
}

#[test]
fn malformed_input_is_rejected() {
    let problem = PlacementProblem {
        children: vec![child()],
        pools: vec![pool(1, 0, 0, true)],
        candidates: vec![cand(0, 1, 1)],
    };
    let err = solve_lp(&problem, &none(), &LpOptions::default()).unwrap_err();
    assert!(matches!(err, LpError::InvalidInput(_)), "{err}");
    assert!(err.to_string().contains("pool 1"), "{err}");
    let fine = PlacementProblem {
        candidates: vec![cand(0, 0, 1)],
        ..problem
    };
    let share = SideConstraints {
        min_mainstream_share: Some(1.5),
        ..none()
    };
    assert!(matches!(
        solve_lp(&fine, &share, &LpOptions::default()),
        Err(LpError::InvalidInput(_))
    ));
    let bad_gap = LpOptions {
        mip_gap: f64::NAN,
        ..LpOptions::default()
    };
    assert!(matches!(
        solve_lp(&fine, &none(), &bad_gap),
        Err(LpError::InvalidInput(_))
    ));
    let bad_time = LpOptions {
        time_limit_seconds: -1.0,
        ..LpOptions::default()
    };
    assert!(matches!(
        solve_lp(&fine, &none(), &bad_time),
        Err(LpError::InvalidInput(_))
    ));
}

#[test]
fn zero_time_limit_reports_time_limit() {
    let problem = generated(300, 10, 1);
    let side = SideConstraints {
        min_mainstream_share: Some(0.6),
        budget_pounds: Some(3_000_000),
        ..none()
    };
    let options = LpOptions {
        time_limit_seconds: 0.0,
        ..LpOptions::default()
    };
    let outcome = solve_lp(&problem, &side, &options).unwrap();
    assert!(
        matches!(outcome.status, LpStatus::TimeLimit { .. }),
        "{:?}",
        outcome.status
    );
    if let Some(assignment) = &outcome.assignment {
        assert!(satisfies(&problem, &side, &assignment.pool_of_child));
    }
}

#[test]
fn solves_run_side_by_side_on_threads() {
    let problem = generated(200, 8, 2);
    let side = SideConstraints {
        min_mainstream_share: Some(0.7),
        ..none()
    };
    let alone = solve_lp(&problem, &side, &exact())
        .unwrap()
        .objective
        .unwrap();
    let together: Vec<f64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    solve_lp(&problem, &side, &exact())
                        .unwrap()
                        .objective
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        together.iter().all(|&o| (o - alone).abs() < 1e-6),
        "{alone} vs {together:?}"
    );
}

/// A pseudo-random instance (deterministic for a seed): `children` children with
/// `per_child` candidates each, about 10 % fewer places than children, a tenth of the
/// children in sibling pairs.
fn generated(children: usize, per_child: usize, seed: u64) -> PlacementProblem {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |bound: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % bound
    };
    let n_pools = (children / 13).max(per_child + 1);
    let pools: Vec<Pool> = (0..n_pools)
        .map(|p| Pool {
            free: (children * 9 / 10 / n_pools) as u32 + next(5) as u32,
            setting: (p / 2) as u32,
            locality: (p % 10) as u32,
            mainstream: next(10) < 6,
        })
        .collect();
    let mut candidates = Vec::new();
    let kids: Vec<Demand> = (0..children)
        .map(|i| Demand {
            unplaced_cost: 10_000,
            sibling_group: (i % 20 < 2).then_some((i / 20) as u32),
        })
        .collect();
    for i in 0..children {
        let mut chosen = BTreeSet::new();
        while chosen.len() < per_child {
            chosen.insert(next(n_pools as u64) as u32);
        }
        for p in chosen {
            candidates.push(Candidate {
                child: i as u32,
                pool: p,
                cost: next(1_000) as i64,
                pounds: 5_000 + next(55_000) as i64,
            });
        }
    }
    PlacementProblem {
        children: kids,
        pools,
        candidates,
    }
}

/// Times one solve of a 2,000-child × 20-candidate instance. Run it in release:
/// `cargo test --release -- --ignored --nocapture large_instance_timing`.
#[test]
#[ignore = "timing, run in release"]
fn large_instance_timing() {
    let problem = generated(2_000, 20, 7);
    let sides = [
        ("no side constraints", none()),
        (
            "siblings together",
            SideConstraints {
                keep_siblings_together: true,
                ..none()
            },
        ),
        (
            "all side constraints",
            SideConstraints {
                budget_pounds: Some(40_000_000),
                min_mainstream_share: Some(0.65),
                locality_max: vec![(0, 150), (3, 150)],
                keep_siblings_together: true,
            },
        ),
    ];
    for (label, side) in sides {
        for integral in [false, true] {
            let options = LpOptions {
                integral,
                ..LpOptions::default()
            };
            let outcome = solve_lp(&problem, &side, &options).unwrap();
            println!(
                "2000 x 20, {label}, integral {integral}: {:.3} s, {:?}, objective {:?}",
                outcome.solve_seconds, outcome.status, outcome.objective
            );
            if let Some(assignment) = &outcome.assignment {
                assert!(satisfies(&problem, &side, &assignment.pool_of_child));
            }
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
