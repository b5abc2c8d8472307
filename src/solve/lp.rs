//! The general placement model: a mixed-integer programme over the candidate pairs, written with
//! good_lp and solved by HiGHS.
//!
//! The min-cost-flow core solves the plain placement problem exactly; this model exists for the
//! side constraints that break the flow structure (a budget cap, a minimum mainstream share,
//! locality quotas and keeping siblings together). Without side constraints both give the same
//! optimal objective.
//!
//! # The model
//!
//! Variables:
//! * `x[c] ∈ {0, 1}` for every candidate `c` (child `i(c)` takes a place in pool `p(c)`);
//!   `x[c] ∈ [0, 1]` for the LP relaxation;
//! * `u[i] ∈ [0, 1]` for every child `i` (child `i` is left without a place);
//! * `y[g, s] ∈ {0, 1}` for every sibling group `g` and every setting `s` that appears among the
//!   group's candidates (group `g` is placed in setting `s`), only when siblings are kept together.
//!
//! ```text
//! minimise   Σ_c cost[c]·x[c] + Σ_i unplaced_cost[i]·u[i]
//! subject to Σ_{c: i(c)=i} x[c] + u[i] = 1                    for every child i
//!            Σ_{c: p(c)=p} x[c] ≤ free[p]                     for every pool p
//!            Σ_c pounds[c]·x[c] ≤ budget                      (budget cap)
//!            Σ_{c: p(c) mainstream} x[c] ≥ share · Σ_c x[c]   (minimum mainstream share)
//!            Σ_{c: p(c) in locality l} x[c] ≤ max[l]          (locality quotas)
//!            Σ_s y[g, s] = 1 − u[i]                           for every child i of group g
//!            Σ_{c: i(c)=i, p(c) in setting s} x[c] ≤ y[g, s]  for every child i of g, setting s
//! ```
//!
//! `u` is continuous: for fixed binary `x` the child equation makes it integral anyway. Because
//! every child can be left unplaced, only a budget below the cheapest possible spend (for instance
//! a negative budget) can make the model infeasible; the blame search still tries every side
//! constraint so that the report stays right if the model grows.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Instant;

use good_lp::solvers::highs::HighsProblem;
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, constraint, highs, variable};
use serde::{Deserialize, Serialize};

use super::problem::{Assignment, PlacementProblem, SideConstraints};
use crate::cancel::Cancel;

mod highs;

use highs::{End, extract_assignment, solve_model};

/// Settings for one solve of the placement model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LpOptions {
    /// Wall-clock limit for one HiGHS run, in seconds (HiGHS option `time_limit`). Must not be
    /// negative; `f64::INFINITY` means no limit. Each re-solve of the blame search gets the same
    /// limit again.
    pub time_limit_seconds: f64,
    /// Relative MIP gap at which HiGHS stops and reports the incumbent as optimal (HiGHS option
    /// `mip_rel_gap`). `0.0` asks for a proven optimum.
    pub mip_gap: f64,
    /// `true` solves the integer model; `false` solves its LP relaxation (all variables in
    /// `[0, 1]`).
    pub integral: bool,
}

impl Default for LpOptions {
    /// 60 seconds, a relative gap of `1e-4`, integer model.
    fn default() -> Self {
        LpOptions {
            time_limit_seconds: 60.0,
            mip_gap: 1e-4,
            integral: true,
        }
    }
}

/// How a solve ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LpStatus {
    /// HiGHS proved the solution optimal (for the integer model: within the requested MIP gap).
    Optimal,
    /// The time limit was reached. The outcome carries the best solution found, if any.
    TimeLimit {
        /// Relative gap between the incumbent and the best bound, when HiGHS has both.
        gap: Option<f64>,
    },
    /// The run's [`Cancel`] was set (its request was answered or abandoned, or its deadline
    /// passed) and HiGHS stopped at its next check. Nothing it found is reported.
    Interrupted,
    /// No placement satisfies the side constraints.
    Infeasible {
        /// Names of the side constraints whose removal alone makes the model feasible:
        /// `"budget"`, `"min_mainstream_share"`, `"locality_max[L]"` (`L` is the locality
        /// index) and `"keep_siblings_together"`. Empty when no single removal helps (or the
        /// re-solves ran out of time).
        blame: Vec<String>,
    },
}

/// The result of [`solve_lp`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LpOutcome {
    /// How the solve ended.
    pub status: LpStatus,
    /// The placement found, if any. For the integer model a child goes to the pool of the
    /// candidate whose `x` exceeds 0.5. For the LP relaxation the assignment is given only when
    /// the relaxed solution is integral (within `1e-6`), `None` otherwise. The assignment's
    /// `objective` is recomputed exactly, in integers, from the chosen candidates.
    pub assignment: Option<Assignment>,
    /// The objective value reported by HiGHS for the returned solution, if there is one.
    pub objective: Option<f64>,
    /// Wall-clock seconds spent in [`solve_lp`], including building the model and any blame
    /// re-solves.
    pub solve_seconds: f64,
}

/// A failure other than infeasibility or a time limit.
#[derive(Clone, Debug, PartialEq)]
pub enum LpError {
    /// The problem or the options are malformed (a candidate refers to a missing child or pool,
    /// a share outside `[0, 1]`, a negative time limit, ...).
    InvalidInput(String),
    /// HiGHS rejected the model or failed while solving it.
    Solver(String),
}

impl fmt::Display for LpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LpError::InvalidInput(why) => write!(f, "invalid placement model input: {why}"),
            LpError::Solver(why) => write!(f, "HiGHS failed: {why}"),
        }
    }
}

impl std::error::Error for LpError {}

/// Solves the placement problem with the given side constraints.
///
/// Infeasibility and a reached time limit are reported in [`LpOutcome::status`]; `Err` is kept
/// for malformed input and solver failures. When the model is infeasible, it is solved again
/// (as a pure feasibility problem) with each side constraint dropped in turn to find the ones to
/// blame.
///
/// HiGHS runs single-threaded and silent, so many solves can run side by side (e.g. under rayon).
#[cfg(any(test, feature = "testing"))]
pub fn solve_lp(
    problem: &PlacementProblem,
    side: &SideConstraints,
    options: &LpOptions,
) -> Result<LpOutcome, LpError> {
    solve_lp_cancellable(problem, side, options, &Cancel::new())
}

/// [`solve_lp`] that stops when `cancel` is set: HiGHS asks at each simplex, interior-point and
/// branch-and-bound check whether to go on, and stops with [`LpStatus::Interrupted`] once
/// `cancel` is set or its deadline has passed. (Presolve and model building do not ask; the
/// time limit still bounds them.)
pub fn solve_lp_cancellable(
    problem: &PlacementProblem,
    side: &SideConstraints,
    options: &LpOptions,
    cancel: &Cancel,
) -> Result<LpOutcome, LpError> {
    let started = Instant::now();
    validate(problem, side, options)?;

    let (status, assignment, objective) = if problem.children.is_empty() {
        // No variables at all: HiGHS would call the model empty. Nothing is placed, so the only
        // side constraint that can fail is a negative budget.
        if side
            .budget_pounds
            .is_some_and(|budget| budget < problem.fixed.pounds)
        {
            (
                LpStatus::Infeasible {
                    blame: vec![SideKind::Budget.name(side)],
                },
                None,
                None,
            )
        } else {
            let empty = Assignment {
                pool_of_child: Vec::new(),
                objective: 0,
            };
            (LpStatus::Optimal, Some(empty), Some(0.0))
        }
    } else {
        let solved = solve_model(problem, side, options, Goal::MinimiseCost, cancel)?;
        let assignment = solved
            .x_values
            .as_deref()
            .and_then(|x| extract_assignment(problem, x, options.integral));
        match solved.end {
            End::Optimal => (LpStatus::Optimal, assignment, solved.objective),
            End::TimeLimit => (
                LpStatus::TimeLimit { gap: solved.gap },
                assignment,
                solved.objective,
            ),
            End::Interrupted => (LpStatus::Interrupted, None, None),
            End::Infeasible => {
                let blame = blame_side_constraints(side, |relaxed| {
                    let probe =
                        solve_model(problem, relaxed, options, Goal::FeasibilityOnly, cancel)?;
                    Ok(probe.x_values.is_some())
                })?;
                // A probe cut short proves nothing, so neither does the blame it gave.
                if cancel.is_cancelled() {
                    (LpStatus::Interrupted, None, None)
                } else {
                    (LpStatus::Infeasible { blame }, None, None)
                }
            }
        }
    };

    Ok(LpOutcome {
        status,
        assignment,
        objective,
        solve_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Rejects input the model cannot be built from.
fn validate(
    problem: &PlacementProblem,
    side: &SideConstraints,
    options: &LpOptions,
) -> Result<(), LpError> {
    let invalid = |why: String| Err(LpError::InvalidInput(why));
    for (k, c) in problem.candidates.iter().enumerate() {
        if c.child as usize >= problem.children.len() {
            return invalid(format!(
                "candidate {k} refers to child {} of {}",
                c.child,
                problem.children.len()
            ));
        }
        if c.pool as usize >= problem.pools.len() {
            return invalid(format!(
                "candidate {k} refers to pool {} of {}",
                c.pool,
                problem.pools.len()
            ));
        }
    }
    if let Some(share) = side
        .min_mainstream_share
        .filter(|s| !(0.0..=1.0).contains(s))
    {
        return invalid(format!("min_mainstream_share {share} is not within [0, 1]"));
    }
    if options.time_limit_seconds.is_nan() || options.time_limit_seconds < 0.0 {
        return invalid(format!(
            "time limit {} s is not a non-negative number",
            options.time_limit_seconds
        ));
    }
    if !options.mip_gap.is_finite() || options.mip_gap < 0.0 {
        return invalid(format!(
            "MIP gap {} is not a finite non-negative number",
            options.mip_gap
        ));
    }
    Ok(())
}

/// One side constraint of [`SideConstraints`], as an item that can be named and dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SideKind {
    /// `budget_pounds`.
    Budget,
    /// `min_mainstream_share`.
    MainstreamShare,
    /// The entry at this position of `locality_max`.
    LocalityMax(usize),
    /// `keep_siblings_together`.
    SiblingsTogether,
}

impl SideKind {
    /// Every side constraint that is switched on in `side`.
    fn all_active(side: &SideConstraints) -> Vec<SideKind> {
        let mut kinds = Vec::new();
        if side.budget_pounds.is_some() {
            kinds.push(SideKind::Budget);
        }
        if side.min_mainstream_share.is_some() {
            kinds.push(SideKind::MainstreamShare);
        }
        kinds.extend((0..side.locality_max.len()).map(SideKind::LocalityMax));
        if side.keep_siblings_together {
            kinds.push(SideKind::SiblingsTogether);
        }
        kinds
    }

    /// The name reported in [`LpStatus::Infeasible`].
    fn name(self, side: &SideConstraints) -> String {
        match self {
            SideKind::Budget => "budget".to_string(),
            SideKind::MainstreamShare => "min_mainstream_share".to_string(),
            SideKind::LocalityMax(entry) => format!("locality_max[{}]", side.locality_max[entry].0),
            SideKind::SiblingsTogether => "keep_siblings_together".to_string(),
        }
    }

    /// A copy of `side` without this constraint.
    fn dropped_from(self, side: &SideConstraints) -> SideConstraints {
        let mut relaxed = side.clone();
        match self {
            SideKind::Budget => relaxed.budget_pounds = None,
            SideKind::MainstreamShare => relaxed.min_mainstream_share = None,
            SideKind::LocalityMax(entry) => {
                relaxed.locality_max.remove(entry);
            }
            SideKind::SiblingsTogether => relaxed.keep_siblings_together = false,
        }
        relaxed
    }
}

/// Drops each active side constraint in turn and names those whose removal alone makes the
/// model feasible according to `feasible`.
fn blame_side_constraints(
    side: &SideConstraints,
    mut feasible: impl FnMut(&SideConstraints) -> Result<bool, LpError>,
) -> Result<Vec<String>, LpError> {
    let mut blame = Vec::new();
    for kind in SideKind::all_active(side) {
        if feasible(&kind.dropped_from(side))? {
            blame.push(kind.name(side));
        }
    }
    Ok(blame)
}

/// What the model minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Goal {
    /// The placement cost: the real model.
    MinimiseCost,
    /// Nothing: any feasible point is optimal (used by the blame search).
    FeasibilityOnly,
}

/// The placement model ready for HiGHS, with the variables needed to read the answer.
struct PlacementModel {
    model: HighsProblem,
    /// `x[c]`, one per candidate, in candidate order; they are the first columns of the model.
    x: Vec<Variable>,
}

/// Writes the model of the module documentation in good_lp terms.
fn build_model(
    problem: &PlacementProblem,
    side: &SideConstraints,
    integral: bool,
    goal: Goal,
) -> PlacementModel {
    let candidates = &problem.candidates;
    let zero_one = if integral {
        variable().binary()
    } else {
        variable().clamp(0, 1)
    };

    let mut vars = ProblemVariables::new();
    // x[c]: candidate c is chosen. Added first, so x[c] is column c of the HiGHS model.
    let x: Vec<Variable> = vars.add_vector(zero_one.clone(), candidates.len());
    // u[i]: child i is left unplaced.
    let u: Vec<Variable> = vars.add_vector(variable().clamp(0, 1), problem.children.len());
    // y[g, s]: sibling group g is placed in setting s.
    let sibling_groups = if side.keep_siblings_together {
        sibling_groups(problem)
    } else {
        BTreeMap::new()
    };
    let y: BTreeMap<(u32, u32), Variable> = sibling_groups
        .iter()
        .flat_map(|(&g, group)| group.settings.iter().map(move |&s| (g, s)))
        .map(|key| (key, vars.add(zero_one.clone())))
        .collect();

    // minimise Σ_c cost[c]·x[c] + Σ_i unplaced_cost[i]·u[i]
    let objective: Expression = match goal {
        Goal::MinimiseCost => {
            candidates
                .iter()
                .zip(&x)
                .map(|(c, &x_c)| c.cost as f64 * x_c)
                .sum::<Expression>()
                + problem
                    .children
                    .iter()
                    .zip(&u)
                    .map(|(d, &u_i)| d.unplaced_cost as f64 * u_i)
                    .sum::<Expression>()
        }
        Goal::FeasibilityOnly => Expression::default(),
    };
    let mut model = vars.minimise(objective).using(highs);

    // Every child is placed once or left unplaced: Σ_{c of i} x[c] + u[i] = 1.
    let mut placements_of_child = vec![Expression::default(); problem.children.len()];
    for (c, cand) in candidates.iter().enumerate() {
        placements_of_child[cand.child as usize] += x[c];
    }
    for (placed, &u_i) in placements_of_child.into_iter().zip(&u) {
        model.add_constraint(constraint!(placed + u_i == 1));
    }

    // Pool capacity: Σ_{c in p} x[c] ≤ free[p] (pools nobody can go to need no row).
    let mut load_of_pool: BTreeMap<usize, Expression> = BTreeMap::new();
    for (c, cand) in candidates.iter().enumerate() {
        *load_of_pool.entry(cand.pool as usize).or_default() += x[c];
    }
    for (p, load) in load_of_pool {
        model.add_constraint(constraint!(load <= problem.pools[p].free));
    }

    add_spending_and_quota_constraints(&mut model, problem, side, &x);
    // Siblings together: one common setting for the whole group, or nobody placed.
    add_sibling_constraints(&mut model, problem, &sibling_groups, &x, &u, &y);

    PlacementModel { model, x }
}

/// The budget, the mainstream share and the locality quotas, each counting the placements
/// granted before the solve.
fn add_spending_and_quota_constraints(
    model: &mut HighsProblem,
    problem: &PlacementProblem,
    side: &SideConstraints,
    x: &[Variable],
) {
    let candidates = &problem.candidates;
    let pool_of = |c: usize| &problem.pools[candidates[c].pool as usize];
    // Placements granted before the solve count towards every side constraint.
    let fixed = &problem.fixed;

    // Budget: Σ_c pounds[c]·x[c] + fixed ≤ budget (kept even without candidates: a budget
    // below what is already spent is then infeasible, as it should be).
    if let Some(budget) = side.budget_pounds {
        let spend: Expression = candidates
            .iter()
            .zip(x)
            .map(|(c, &x_c)| c.pounds as f64 * x_c)
            .sum();
        model.add_constraint(constraint!(spend <= (budget - fixed.pounds) as f64));
    }

    // Mainstream share: Σ_{mainstream} x + fixed mainstream ≥ share · (Σ x + fixed placed).
    if let Some(share) = side.min_mainstream_share {
        let placed: Expression = x.iter().copied().sum::<Expression>() + fixed.placed as f64;
        let mainstream: Expression = (0..candidates.len())
            .filter(|&c| pool_of(c).mainstream)
            .map(|c| x[c])
            .sum::<Expression>()
            + fixed.mainstream as f64;
        model.add_constraint(constraint!(mainstream >= share * placed));
    }

    // Locality quotas: Σ_{c in locality l} x[c] + fixed in l ≤ max[l].
    for &(locality, max) in &side.locality_max {
        let placed_in_locality: Expression = (0..candidates.len())
            .filter(|&c| pool_of(c).locality == locality)
            .map(|c| x[c])
            .sum();
        let room = f64::from(max) - f64::from(fixed.in_locality(locality));
        model.add_constraint(constraint!(placed_in_locality <= room));
    }
}

/// Siblings together: each sibling group in one common setting, or nobody in it placed.
fn add_sibling_constraints(
    model: &mut HighsProblem,
    problem: &PlacementProblem,
    sibling_groups: &BTreeMap<u32, SiblingGroup>,
    x: &[Variable],
    u: &[Variable],
    y: &BTreeMap<(u32, u32), Variable>,
) {
    let pool_of = |c: usize| &problem.pools[problem.candidates[c].pool as usize];
    for (&g, group) in sibling_groups {
        for &i in &group.children {
            // Σ_s y[g, s] = 1 − u[i]
            let chosen_setting: Expression = group.settings.iter().map(|&s| y[&(g, s)]).sum();
            model.add_constraint(constraint!(chosen_setting + u[i] == 1));
            // Σ_{c of i in setting s} x[c] ≤ y[g, s]
            let mut placed_in_setting: BTreeMap<u32, Expression> = BTreeMap::new();
            for &c in &group.candidates_of_child[&i] {
                *placed_in_setting.entry(pool_of(c).setting).or_default() += x[c];
            }
            for (s, placed) in placed_in_setting {
                model.add_constraint(constraint!(placed <= y[&(g, s)]));
            }
        }
    }
}

/// The children of one sibling group and the settings that appear among their candidates.
#[derive(Clone, Debug, Default)]
struct SiblingGroup {
    children: Vec<usize>,
    settings: BTreeSet<u32>,
    /// Candidate indices of each child of the group.
    candidates_of_child: BTreeMap<usize, Vec<usize>>,
}

/// Sibling groups with at least two children (a group of one is trivially together).
fn sibling_groups(problem: &PlacementProblem) -> BTreeMap<u32, SiblingGroup> {
    let shared = problem.shared_sibling_groups();
    let mut groups: BTreeMap<u32, SiblingGroup> = BTreeMap::new();
    for (i, child) in problem.children.iter().enumerate() {
        if let Some(g) = child.sibling_group.filter(|g| shared.contains(g)) {
            groups.entry(g).or_default().children.push(i);
        }
    }
    for group in groups.values_mut() {
        group.candidates_of_child = group.children.iter().map(|&i| (i, Vec::new())).collect();
    }
    for (c, cand) in problem.candidates.iter().enumerate() {
        let i = cand.child as usize;
        if let Some(group) = problem.children[i]
            .sibling_group
            .and_then(|g| groups.get_mut(&g))
        {
            group
                .settings
                .insert(problem.pools[cand.pool as usize].setting);
            group
                .candidates_of_child
                .get_mut(&i)
                .expect("child of the group")
                .push(c);
        }
    }
    groups
}

#[cfg(test)]
mod tests;
