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
pub fn solve_lp(
    problem: &PlacementProblem,
    side: &SideConstraints,
    options: &LpOptions,
) -> Result<LpOutcome, LpError> {
    let started = Instant::now();
    validate(problem, side, options)?;

    let (status, assignment, objective) = if problem.children.is_empty() {
        // No variables at all: HiGHS would call the model empty. Nothing is placed, so the only
        // side constraint that can fail is a negative budget.
        if side.budget_pounds.is_some_and(|budget| budget < 0) {
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
        let solved = solve_model(problem, side, options, Goal::MinimiseCost)?;
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
            End::Infeasible => {
                let blame = blame_side_constraints(side, |relaxed| {
                    let probe = solve_model(problem, relaxed, options, Goal::FeasibilityOnly)?;
                    Ok(probe.x_values.is_some())
                })?;
                (LpStatus::Infeasible { blame }, None, None)
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

/// How a HiGHS run ended, in the terms [`solve_lp`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Optimal,
    TimeLimit,
    Infeasible,
}

/// The raw result of one HiGHS run.
#[derive(Clone, Debug)]
struct Solved {
    end: End,
    /// Values of `x`, one per candidate, when HiGHS has a feasible solution.
    x_values: Option<Vec<f64>>,
    /// Objective of that solution.
    objective: Option<f64>,
    /// Relative MIP gap of that solution, when finite.
    gap: Option<f64>,
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
    let pool_of = |c: usize| &problem.pools[candidates[c].pool as usize];
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

    // Budget: Σ_c pounds[c]·x[c] ≤ budget (kept even without candidates: a negative budget is
    // then infeasible, as it should be).
    if let Some(budget) = side.budget_pounds {
        let spend: Expression = candidates
            .iter()
            .zip(&x)
            .map(|(c, &x_c)| c.pounds as f64 * x_c)
            .sum();
        model.add_constraint(constraint!(spend <= budget as f64));
    }

    // Mainstream share: Σ_{mainstream} x ≥ share · Σ x.
    if let Some(share) = side.min_mainstream_share {
        let placed: Expression = x.iter().copied().sum();
        let mainstream: Expression = (0..candidates.len())
            .filter(|&c| pool_of(c).mainstream)
            .map(|c| x[c])
            .sum();
        model.add_constraint(constraint!(mainstream >= share * placed));
    }

    // Locality quotas: Σ_{c in locality l} x[c] ≤ max[l].
    for &(locality, max) in &side.locality_max {
        let placed_in_locality: Expression = (0..candidates.len())
            .filter(|&c| pool_of(c).locality == locality)
            .map(|c| x[c])
            .sum();
        model.add_constraint(constraint!(placed_in_locality <= max));
    }

    // Siblings together: one common setting for the whole group, or nobody placed.
    for (&g, group) in &sibling_groups {
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

    PlacementModel { model, x }
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
    let mut groups: BTreeMap<u32, SiblingGroup> = BTreeMap::new();
    for (i, child) in problem.children.iter().enumerate() {
        if let Some(g) = child.sibling_group {
            groups.entry(g).or_default().children.push(i);
        }
    }
    groups.retain(|_, group| group.children.len() >= 2);
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

/// HiGHS model status codes (`kHighsModelStatus*` of the HiGHS C API).
mod model_status {
    pub const OPTIMAL: i32 = 7;
    pub const INFEASIBLE: i32 = 8;
    pub const UNBOUNDED_OR_INFEASIBLE: i32 = 9;
    pub const OBJECTIVE_BOUND: i32 = 11;
    pub const OBJECTIVE_TARGET: i32 = 12;
    pub const REACHED_TIME_LIMIT: i32 = 13;
}

/// HiGHS `primal_solution_status` info value meaning "a feasible solution is available".
const SOLUTION_STATUS_FEASIBLE: i64 = 2;

/// The numeric HiGHS code of a model status.
///
/// `highs::HighsModelStatus` cannot be named here (the `highs` crate is only an indirect
/// dependency, through good_lp), but it converts from its C code, so the code is recovered by
/// converting every candidate code and comparing.
fn model_status_code<S: Copy + PartialEq + TryFrom<i32>>(status: S) -> Option<i32> {
    (0..64).find(|&code| S::try_from(code).ok() == Some(status))
}

/// Builds the model and runs HiGHS on it: silent, single-threaded, with the given limits.
fn solve_model(
    problem: &PlacementProblem,
    side: &SideConstraints,
    options: &LpOptions,
    goal: Goal,
) -> Result<Solved, LpError> {
    let PlacementModel { model, x } = build_model(problem, side, options.integral, goal);
    // Past good_lp's own `solve`, which hides the MIP gap, to the HiGHS model itself.
    let mut highs_model = model
        .try_into_inner()
        .map_err(|e| LpError::Solver(format!("building the model: {e}")))?;
    let option_failed = |name: &str| LpError::Solver(format!("setting option {name}"));
    highs_model
        .try_set_option("output_flag", false)
        .map_err(|_| option_failed("output_flag"))?;
    highs_model
        .try_set_option("log_to_console", false)
        .map_err(|_| option_failed("log_to_console"))?;
    highs_model
        .try_set_option("threads", 1)
        .map_err(|_| option_failed("threads"))?;
    if options.time_limit_seconds.is_finite() {
        highs_model
            .try_set_option("time_limit", options.time_limit_seconds)
            .map_err(|_| option_failed("time_limit"))?;
    }
    highs_model
        .try_set_option("mip_rel_gap", options.mip_gap)
        .map_err(|_| option_failed("mip_rel_gap"))?;

    let solved = highs_model
        .try_solve()
        .map_err(|status| LpError::Solver(format!("running HiGHS: {status:?}")))?;
    let status = solved.status();
    let end = match model_status_code(status) {
        Some(
            model_status::OPTIMAL | model_status::OBJECTIVE_BOUND | model_status::OBJECTIVE_TARGET,
        ) => End::Optimal,
        Some(model_status::REACHED_TIME_LIMIT) => End::TimeLimit,
        // All variables are bounded, so "unbounded or infeasible" can only be infeasible.
        Some(model_status::INFEASIBLE | model_status::UNBOUNDED_OR_INFEASIBLE) => End::Infeasible,
        _ => {
            return Err(LpError::Solver(format!(
                "unexpected model status {status:?}"
            )));
        }
    };
    let has_solution = end != End::Infeasible
        && solved.int_info_value(c"primal_solution_status") == Ok(SOLUTION_STATUS_FEASIBLE);
    if end == End::Optimal && !has_solution {
        return Err(LpError::Solver(
            "HiGHS reports an optimum but no feasible solution".to_string(),
        ));
    }
    if !has_solution {
        return Ok(Solved {
            end,
            x_values: None,
            objective: None,
            gap: None,
        });
    }
    let columns = solved.get_solution();
    let gap = Some(solved.mip_gap()).filter(|gap| options.integral && gap.is_finite());
    Ok(Solved {
        end,
        x_values: Some(columns.columns()[..x.len()].to_vec()),
        objective: Some(solved.objective_value()),
        gap,
    })
}

/// Turns the values of `x` into an assignment (see [`LpOutcome::assignment`]).
fn extract_assignment(problem: &PlacementProblem, x: &[f64], integral: bool) -> Option<Assignment> {
    const INTEGRAL_TOLERANCE: f64 = 1e-6;
    if !integral && x.iter().any(|&v| v.min(1.0 - v).abs() > INTEGRAL_TOLERANCE) {
        return None;
    }
    let mut pool_of_child = vec![None; problem.children.len()];
    let mut objective = 0i64;
    for (cand, &value) in problem.candidates.iter().zip(x) {
        if value > 0.5 && pool_of_child[cand.child as usize].is_none() {
            pool_of_child[cand.child as usize] = Some(cand.pool);
            objective += cand.cost;
        }
    }
    for (child, pool) in problem.children.iter().zip(&pool_of_child) {
        if pool.is_none() {
            objective += child.unplaced_cost;
        }
    }
    Some(Assignment {
        pool_of_child,
        objective,
    })
}

#[cfg(test)]
mod tests {
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
}
