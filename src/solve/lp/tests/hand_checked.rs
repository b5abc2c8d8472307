//! Hand-checked optima: the plain model, then each side constraint on its own.

use super::*;

#[test]
fn small_case_has_hand_checked_optimum() {
    // Pool 0 has one place, pool 1 two. Child 0 → pool 0 (1), child 1 → pool 1 (3),
    // child 2 → pool 1 (4): 8. The alternative with child 1 in pool 0 costs 2 + 5 + 4 = 11.
    let problem = PlacementProblem {
        fixed: Default::default(),
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
        fixed: Default::default(),
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
        fixed: Default::default(),
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
        fixed: Default::default(),
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
fn placements_granted_before_the_solve_count_towards_every_side_constraint() {
    // Two children, a special pool (0, locality 7) they both prefer and a mainstream pool (1,
    // locality 8). Three children were granted places before the solve: two in special
    // schools in locality 7 (£10,000 between them), one in mainstream.
    let mut problem = PlacementProblem {
        fixed: FixedPlacements {
            placed: 3,
            mainstream: 1,
            pounds: 10_000,
            by_locality: vec![(7, 2), (8, 1)],
        },
        children: vec![child(), child()],
        pools: vec![pool(2, 0, 7, false), pool(2, 1, 8, true)],
        candidates: vec![cand(0, 0, 1), cand(0, 1, 5), cand(1, 0, 1), cand(1, 1, 7)],
    };
    for c in &mut problem.candidates {
        c.pounds = if c.pool == 0 { 20_000 } else { 5_000 };
    }
    // Half in mainstream over all five: 1 granted + both children (3 of 5). Without the
    // granted ones, one child would do (1 of 2).
    let half = SideConstraints {
        min_mainstream_share: Some(0.5),
        ..none()
    };
    let (a, objective) = optimum(&problem, &half);
    assert_eq!(a.pool_of_child, vec![Some(1), Some(1)]);
    assert_eq!(objective, 12.0);
    // Locality 7 holds at most three: two are granted, so one child more.
    let quota = SideConstraints {
        locality_max: vec![(7, 3)],
        ..none()
    };
    let (a, objective) = optimum(&problem, &quota);
    assert_eq!(a.pool_of_child, vec![Some(1), Some(0)]);
    assert_eq!(objective, 6.0);
    // £35,000 in all: £10,000 granted leaves £25,000, one special place and one mainstream.
    let budget = SideConstraints {
        budget_pounds: Some(35_000),
        ..none()
    };
    let (a, _) = optimum(&problem, &budget);
    assert_eq!(a.pool_of_child, vec![Some(1), Some(0)]);
    // Below what was granted, the budget is to blame.
    let broke = SideConstraints {
        budget_pounds: Some(9_999),
        ..none()
    };
    let outcome = solve_lp(&problem, &broke, &exact()).unwrap();
    assert!(
        matches!(&outcome.status, LpStatus::Infeasible { blame } if blame == &["budget"]),
        "{:?}",
        outcome.status
    );
}

#[test]
fn locality_quota_caps_placements() {
    // Both children prefer locality 7; at most one may go there.
    let problem = PlacementProblem {
        fixed: Default::default(),
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
        fixed: Default::default(),
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
