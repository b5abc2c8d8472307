//! Running HiGHS on the placement model: limits and silence, how a run ended (its model and
//! solution statuses), and the assignment read back from the solution.

use std::ffi::{c_char, c_int, c_void};

use highs_sys::{HighsCallbackDataIn, HighsCallbackDataOut};

use super::{Goal, LpError, LpOptions, PlacementModel, build_model};
use crate::cancel::Cancel;
use crate::solve::problem::{Assignment, PlacementProblem, SideConstraints};

/// How a HiGHS run ended, in the terms [`super::solve_lp`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Optimal,
    TimeLimit,
    /// Stopped by the interrupt callback: the run's [`Cancel`] was set.
    Interrupted,
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
    pub const REACHED_INTERRUPT: i32 = 17;
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

/// The HiGHS callback that asks it to stop once the run's [`Cancel`] is set.
///
/// # Safety
/// HiGHS calls it with `user` the pointer given to `Highs_setCallback` (a `&Cancel` that
/// outlives the run, see [`watch_cancel`]) and `data_in` null or valid for writing.
unsafe extern "C" fn interrupt_when_cancelled(
    _kind: c_int,
    _message: *const c_char,
    _data_out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    if data_in.is_null() || user.is_null() {
        return;
    }
    // SAFETY: `user` is the `&Cancel` registered by `watch_cancel`, alive for the whole run.
    let cancel = unsafe { &*(user as *const Cancel) };
    if cancel.is_cancelled() {
        // SAFETY: HiGHS passes a valid, writable `HighsCallbackDataIn` for interrupt callbacks.
        unsafe { (*data_in).user_interrupt = 1 };
    }
}

/// Registers [`interrupt_when_cancelled`] on the HiGHS instance for the simplex,
/// interior-point and branch-and-bound interrupt checks.
///
/// `cancel` must outlive every run of the instance: the model is solved and dropped inside
/// [`solve_model`], which borrows `cancel` for its whole body.
fn watch_cancel(highs: *mut c_void, cancel: &Cancel) -> Result<(), LpError> {
    const STATUS_OK: i32 = 0;
    let user = cancel as *const Cancel as *mut c_void;
    // SAFETY: `highs` is a live HiGHS instance owned by the caller; the callback and its data
    // pointer meet the contract of `interrupt_when_cancelled`.
    let set = unsafe { highs_sys::Highs_setCallback(highs, Some(interrupt_when_cancelled), user) };
    if set != STATUS_OK {
        return Err(LpError::Solver(
            "setting the interrupt callback".to_string(),
        ));
    }
    for kind in [
        highs_sys::kHighsCallbackSimplexInterrupt,
        highs_sys::kHighsCallbackIpmInterrupt,
        highs_sys::kHighsCallbackMipInterrupt,
    ] {
        // SAFETY: as above; `kind` is one of HiGHS's callback type constants.
        if unsafe { highs_sys::Highs_startCallback(highs, kind) } != STATUS_OK {
            return Err(LpError::Solver(format!(
                "starting interrupt callback {kind}"
            )));
        }
    }
    Ok(())
}

/// Builds the model and runs HiGHS on it: silent, single-threaded, with the given limits,
/// stopping early once `cancel` is set.
pub(super) fn solve_model(
    problem: &PlacementProblem,
    side: &SideConstraints,
    options: &LpOptions,
    goal: Goal,
    cancel: &Cancel,
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
    watch_cancel(highs_model.as_mut_ptr(), cancel)?;

    let solved = highs_model
        .try_solve()
        .map_err(|status| LpError::Solver(format!("running HiGHS: {status:?}")))?;
    let status = solved.status();
    let end = match model_status_code(status) {
        Some(
            model_status::OPTIMAL | model_status::OBJECTIVE_BOUND | model_status::OBJECTIVE_TARGET,
        ) => End::Optimal,
        Some(model_status::REACHED_TIME_LIMIT) => End::TimeLimit,
        Some(model_status::REACHED_INTERRUPT) => End::Interrupted,
        // All variables are bounded, so "unbounded or infeasible" can only be infeasible.
        Some(model_status::INFEASIBLE | model_status::UNBOUNDED_OR_INFEASIBLE) => End::Infeasible,
        _ => {
            return Err(LpError::Solver(format!(
                "unexpected model status {status:?}"
            )));
        }
    };
    let has_solution = !matches!(end, End::Infeasible | End::Interrupted)
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
