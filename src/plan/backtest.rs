//! Back-testing the projection against published history: for every local authority, start
//! from its published caseload in January of the start year, project each later January, and
//! compare with what DfE published — beside two naive baselines.
//!
//! Methods, each from the start year's published caseload only and the Januaries up to it:
//! - **planner**: the planner's demand model — growth calibrated by [`super::calibrate`]
//!   (the authority's log-linear trend shrunk towards England's) and the yearly net movement
//!   between types of setting (least-squares share trends). This is the part of `plan` that
//!   decides how many plans there are and where they want to be; the capacity of settings
//!   and the rules' placement are not run here;
//! - **persistence**: the start year's counts, unchanged;
//! - **trend**: the authority's own log-linear trend of total plans on the Januaries up to the
//!   start, with the start year's shares held.
//!
//! Errors: the absolute percentage error of total plans, and the mean absolute error of the
//! shares of the seven reporting groups (mainstream including resourced provision and units;
//! resourced provision and units; state special; independent and non-maintained special; AP;
//! FE and post-16; elsewhere) in percentage points. Authorities are evaluated in parallel and
//! gathered in name order, so the output is the same for any number of threads.

use super::calibrate::{calibrate, log_trend, shares_after};
use crate::io::stats::{Caseload, CaseloadPoint};
use rayon::prelude::*;
use serde::Serialize;

/// The reporting groups of the comparison.
pub const GROUPS: [&str; 7] = [
    "mainstream-incl-bases",
    "resource-base",
    "state-special",
    "independent-special",
    "alternative-provision",
    "further-education",
    "elsewhere",
];

/// The methods compared, in output order.
pub const METHODS: [&str; 3] = ["planner", "persistence", "trend"];

/// One method's forecast for one authority and January.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Forecast {
    pub method: &'static str,
    pub total: f64,
    /// Shares of plans in [`GROUPS`] order.
    pub shares: [f64; 7],
    /// |forecast − published| / published × 100.
    pub total_error_pct: f64,
    /// Mean over groups of |forecast share − published share|, percentage points.
    pub share_error_pp: f64,
}

/// One authority at one horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub year: i32,
    pub horizon: u32,
    pub published_total: u64,
    pub published_shares: [f64; 7],
    pub forecasts: Vec<Forecast>,
}

/// One authority's back-test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaBacktest {
    pub la: String,
    pub start_total: u64,
    pub growth_used: f64,
    pub comparisons: Vec<Comparison>,
}

/// Medians over authorities for one method at one horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub horizon: u32,
    pub method: &'static str,
    pub authorities: usize,
    pub median_total_error_pct: f64,
    pub median_share_error_pp: f64,
    /// Authorities where the planner's total error is smaller than this method's (for the
    /// baselines), and where its share error is smaller.
    pub planner_better_total: usize,
    pub planner_better_shares: usize,
}

/// The whole back-test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    pub from: i32,
    pub to: i32,
    pub las: Vec<LaBacktest>,
    /// Authorities left out, with the reason.
    pub skipped: Vec<(String, String)>,
    pub summary: Vec<Summary>,
    /// At the longest horizon: is the planner's median total error at most the better
    /// baseline's, and its median share error at most persistence's?
    pub goal_total_met: bool,
    pub goal_shares_met: bool,
}

/// Reporting-group shares of a published point (`None` when its breakdown is suppressed).
fn reporting_shares(p: &CaseloadPoint) -> Option<[f64; 7]> {
    let g = p.groups?;
    let t = p.total as f64;
    let partition: Vec<f64> = g.iter().map(|v| *v as f64 / t).collect();
    Some(reporting_of(&partition))
}

/// Partition shares ([`crate::io::stats::PlacementGroup::ALL`] order) to reporting shares.
fn reporting_of(p: &[f64]) -> [f64; 7] {
    [p[0] + p[1], p[1], p[2], p[3], p[4], p[5], p[6]]
}

fn forecast(
    method: &'static str,
    total: f64,
    shares: [f64; 7],
    published: &CaseloadPoint,
) -> Forecast {
    let pub_shares = reporting_shares(published).unwrap_or([0.0; 7]);
    let share_error_pp = shares
        .iter()
        .zip(pub_shares)
        .map(|(a, b)| (a - b).abs())
        .sum::<f64>()
        / 7.0
        * 100.0;
    Forecast {
        method,
        total,
        shares,
        total_error_pct: (total - published.total as f64).abs() / published.total as f64 * 100.0,
        share_error_pp,
    }
}

/// Back-tests every authority in `caseload` (or those named in `las`) from January `from`
/// to January `to`.
pub fn backtest(caseload: &Caseload, from: i32, to: i32, las: &[String]) -> Backtest {
    let names: Vec<&String> = caseload
        .las
        .keys()
        .filter(|n| las.is_empty() || las.iter().any(|l| l.eq_ignore_ascii_case(n)))
        .collect();
    let results: Vec<Result<LaBacktest, (String, String)>> = names
        .par_iter()
        .map(|name| one(caseload, name, from, to))
        .collect();
    let mut out = Backtest {
        from,
        to,
        las: Vec::new(),
        skipped: Vec::new(),
        summary: Vec::new(),
        goal_total_met: false,
        goal_shares_met: false,
    };
    for r in results {
        match r {
            Ok(b) => out.las.push(b),
            Err(s) => out.skipped.push(s),
        }
    }
    let horizons = (to - from).max(0) as u32;
    for h in 1..=horizons {
        let at: Vec<&Comparison> = out
            .las
            .iter()
            .filter_map(|l| l.comparisons.iter().find(|c| c.horizon == h))
            .collect();
        for (mi, method) in METHODS.iter().enumerate() {
            let mut totals: Vec<f64> = at.iter().map(|c| c.forecasts[mi].total_error_pct).collect();
            let mut shares: Vec<f64> = at.iter().map(|c| c.forecasts[mi].share_error_pp).collect();
            let better_total = at
                .iter()
                .filter(|c| c.forecasts[0].total_error_pct < c.forecasts[mi].total_error_pct)
                .count();
            let better_shares = at
                .iter()
                .filter(|c| c.forecasts[0].share_error_pp < c.forecasts[mi].share_error_pp)
                .count();
            out.summary.push(Summary {
                horizon: h,
                method,
                authorities: at.len(),
                median_total_error_pct: median(&mut totals),
                median_share_error_pp: median(&mut shares),
                planner_better_total: better_total,
                planner_better_shares: better_shares,
            });
        }
    }
    let last: Vec<&Summary> = out
        .summary
        .iter()
        .filter(|s| s.horizon == horizons)
        .collect();
    if last.len() == 3 {
        let best_baseline = last[1]
            .median_total_error_pct
            .min(last[2].median_total_error_pct);
        out.goal_total_met = last[0].median_total_error_pct <= best_baseline;
        out.goal_shares_met = last[0].median_share_error_pp <= last[1].median_share_error_pp;
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn one(
    caseload: &Caseload,
    name: &str,
    from: i32,
    to: i32,
) -> Result<LaBacktest, (String, String)> {
    let skip = |why: String| (name.to_string(), why);
    let series = &caseload.las[name];
    let start = series
        .at(from)
        .ok_or_else(|| skip(format!("no published caseload for January {from}")))?;
    let start_partition: Vec<f64> = start
        .groups
        .ok_or_else(|| skip(format!("breakdown suppressed in January {from}")))?
        .iter()
        .map(|v| *v as f64 / start.total as f64)
        .collect();
    let mut start_p = [0.0; 7];
    start_p.copy_from_slice(&start_partition);
    let cal = calibrate(caseload, name, from).map_err(|d| {
        skip(
            d.diagnostics
                .first()
                .map_or_else(|| "no usable history".to_string(), |x| x.message.clone()),
        )
    })?;
    let own = log_trend(series, from).map(|t| t.0).unwrap_or(0.0);
    let mut comparisons = Vec::new();
    for year in from + 1..=to {
        let Some(published) = series.at(year) else {
            continue;
        };
        let Some(published_shares) = reporting_shares(published) else {
            continue;
        };
        let h = (year - from) as u32;
        let s0 = start.total as f64;
        let planner_shares = reporting_of(&shares_after(&start_p, &cal.share_change, h));
        let held = reporting_of(&start_p);
        comparisons.push(Comparison {
            year,
            horizon: h,
            published_total: published.total,
            published_shares,
            forecasts: vec![
                forecast(
                    "planner",
                    s0 * (1.0 + cal.growth).powi(h as i32),
                    planner_shares,
                    published,
                ),
                forecast("persistence", s0, held, published),
                forecast("trend", s0 * (own * h as f64).exp(), held, published),
            ],
        });
    }
    if comparisons.is_empty() {
        return Err(skip(format!("no published caseload after January {from}")));
    }
    Ok(LaBacktest {
        la: name.to_string(),
        start_total: start.total,
        growth_used: cal.growth,
        comparisons,
    })
}
