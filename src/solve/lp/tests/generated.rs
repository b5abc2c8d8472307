//! Pseudo-random instances of realistic shape: the time limit, solves side by side on threads,
//! and a timing of a large instance.

use super::*;

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
fn a_set_stop_flag_interrupts_highs() {
    // Large enough that presolve alone does not finish it, so HiGHS reaches its first
    // interrupt check: in the simplex for the relaxation, in branch-and-bound for the MIP.
    let problem = generated(2_000, 20, 7);
    let side = SideConstraints {
        min_mainstream_share: Some(0.6),
        budget_pounds: Some(40_000_000),
        ..none()
    };
    let cancel = Cancel::new();
    cancel.cancel();
    for integral in [false, true] {
        let options = LpOptions {
            integral,
            ..LpOptions::default()
        };
        let outcome = solve_lp_cancellable(&problem, &side, &options, &cancel).unwrap();
        assert_eq!(outcome.status, LpStatus::Interrupted, "integral {integral}");
        assert_eq!(outcome.assignment, None);
    }
    // The same solve without the flag runs to an answer.
    let free = solve_lp(
        &problem,
        &side,
        &LpOptions {
            integral: false,
            ..LpOptions::default()
        },
    );
    assert_ne!(free.unwrap().status, LpStatus::Interrupted);
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
        fixed: Default::default(),
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
