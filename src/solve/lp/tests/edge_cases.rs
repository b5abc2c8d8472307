//! When the model cannot answer or has nothing to do: infeasible side constraints and their
//! blame, the empty problem, malformed input.

use super::*;

#[test]
fn negative_budget_is_infeasible_and_blamed() {
    let problem = PlacementProblem {
        fixed: Default::default(),
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
    let outcome = solve_lp(&PlacementProblem::default(), &none(), &LpOptions::default()).unwrap();
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
        fixed: Default::default(),
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
