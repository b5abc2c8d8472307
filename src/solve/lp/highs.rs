//! Running HiGHS on the placement model: limits and silence, how a run ended (its model and
//! solution statuses), and the assignment read back from the solution.

use super::{Goal, LpError, LpOptions, PlacementModel, build_model};
use crate::solve::problem::{Assignment, PlacementProblem, SideConstraints};

/// How a HiGHS run ended, in the terms [`super::solve_lp`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Optimal,
    TimeLimit,
    Infeasible,
}

/// The raw result of one HiGHS run.
#[derive(Clone, Debug)]
pub(super) struct Solved {
    pub(super) end: End,
    /// Values of `x`, one per candidate, when HiGHS has a feasible solution.
    pub(super) x_values: Option<Vec<f64>>,
    /// Objective of that solution.
    pub(super) objective: Option<f64>,
    /// Relative MIP gap of that solution, when finite.
    pub(super) gap: Option<f64>,
}

/// HiGHS model status codes (`kHighsModelStatus*` of the HiGHS C API).
pub(super) mod model_status {
    pub const OPTIMAL: i32 = 7;
    pub const INFEASIBLE: i32 = 8;
    pub const UNBOUNDED_OR_INFEASIBLE: i32 = 9;
    pub const OBJECTIVE_BOUND: i32 = 11;
    pub const OBJECTIVE_TARGET: i32 = 12;
    pub const REACHED_TIME_LIMIT: i32 = 13;
}

/// HiGHS `primal_solution_status` info value meaning "a feasible solution is available".
pub(super) const SOLUTION_STATUS_FEASIBLE: i64 = 2;

/// The numeric HiGHS code of a model status.
///
/// `highs::HighsModelStatus` cannot be named here (the `highs` crate is only an indirect
/// dependency, through good_lp), but it converts from its C code, so the code is recovered by
/// converting every candidate code and comparing.
pub(super) fn model_status_code<S: Copy + PartialEq + TryFrom<i32>>(status: S) -> Option<i32> {
    (0..64).find(|&code| S::try_from(code).ok() == Some(status))
}

/// Builds the model and runs HiGHS on it: silent, single-threaded, with the given limits.
pub(super) fn solve_model(
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
pub(super) fn extract_assignment(
    problem: &PlacementProblem,
    x: &[f64],
    integral: bool,
) -> Option<Assignment> {
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
