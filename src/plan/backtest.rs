//! Back-testing demand forecasts against published history on rolling origins: for every local
//! authority and every origin January, each method forecasts every later January the
//! published data reach, for total plans and for plans in each type of setting, and is
//! compared with what DfE published.
//!
//! Methods, each from the origin's published caseload and the history up to it only:
//! - **planner**: [`super::demand::DemandModel`] — the flow account averaged with the
//!   persistence-weighted trend, with an 80% interval (p10–p90) measured on earlier origins;
//! - **persistence**: the origin's counts, unchanged;
//! - **trend**: the authority's own log-linear trend of total plans on the Januaries up to
//!   the origin;
//! - **england**: England's log-linear growth up to the origin, applied to the authority's
//!   origin count;
//! - **damped**: the authority's last year's log growth, damped by 0.9 a year (Gardner and
//!   McKenzie's damped trend with a conventional φ = 0.9: the growth of year `i` ahead is
//!   `0.9^i` times the last year's).
//!
//! The naive methods forecast the total and hold the origin's mix for the groups; their p10,
//! p50 and p90 are the same. Errors, coverage of the 80% interval and the interval score are
//! computed from the rows, so anyone can recompute them from `backtest.csv`. Authority-years
//! whose published figures look like reporting breaks are flagged with the reason and kept.
//! Authorities are evaluated in parallel and gathered in name order, so the output is the
//! same for any number of threads.

use super::demand::{DemandFitter, log_trend};
use crate::io::flows::Flows;
use crate::io::stats::{Caseload, CaseloadPoint, CaseloadSeries, PlacementGroup};
use rayon::prelude::*;
use serde::Serialize;

/// The methods compared, in output order.
pub const METHODS: [&str; 5] = ["planner", "persistence", "trend", "england", "damped"];

/// Damping of the `damped` method.
pub const DAMPING: f64 = 0.9;

/// The measures: total plans, then each group's plans ([`PlacementGroup::key`]).
pub fn measures() -> Vec<&'static str> {
    let mut m = vec!["total"];
    m.extend(PlacementGroup::ALL.iter().map(|g| g.key()));
    m
}

/// One forecast: one authority, origin, January, measure and method.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub la: String,
    pub origin: i32,
    pub year: i32,
    pub horizon: u32,
    pub measure: &'static str,
    pub actual: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub method: &'static str,
}

/// A published figure that looks like a reporting break.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    pub la: String,
    pub year: i32,
    pub reason: String,
}

/// Errors of one method at one origin, horizon and measure, over authorities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub origin: i32,
    pub horizon: u32,
    pub measure: &'static str,
    pub method: &'static str,
    pub authorities: usize,
    /// Median of |p50 − actual| ÷ actual × 100.
    pub median_error_pct: f64,
    /// Median of |p50 share − actual share| in percentage points (groups only).
    pub median_share_error_pp: Option<f64>,
    /// Share of actual values within p10..=p90, %.
    pub coverage_pct: f64,
    /// Median interval score of the 80% interval, % of the actual value:
    /// `(p90 − p10) + 10·(p10 − actual)⁺ + 10·(actual − p90)⁺`.
    pub median_interval_score_pct: f64,
}

/// The whole back-test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    pub origins: Vec<i32>,
    pub to: i32,
    pub rows: Vec<Row>,
    pub flags: Vec<Flag>,
    /// Authorities left out at an origin, with the reason.
    pub skipped: Vec<(String, i32, String)>,
    pub summary: Vec<Summary>,
    /// What the planner used (flow files read or not).
    pub inputs: Vec<String>,
}

impl Backtest {
    /// The summary of `method` at (`origin`, `horizon`, `measure`).
    pub fn find(&self, origin: i32, horizon: u32, measure: &str, method: &str) -> Option<&Summary> {
        self.summary.iter().find(|s| {
            s.origin == origin && s.horizon == horizon && s.measure == measure && s.method == method
        })
    }
}

/// Back-tests every authority in `caseload` (or those named in `las`) from each origin to
/// January `to`.
pub fn backtest(
    caseload: &Caseload,
    flows: &Flows,
    origins: &[i32],
    to: i32,
    las: &[String],
) -> Backtest {
    let mut fitter = DemandFitter::new(caseload, flows);
    fitter.prepare(origins);
    let names: Vec<&String> = caseload
        .las
        .keys()
        .filter(|n| las.is_empty() || las.iter().any(|l| l.eq_ignore_ascii_case(n)))
        .collect();
    let tasks: Vec<(&String, i32)> = names
        .iter()
        .flat_map(|n| origins.iter().map(move |o| (*n, *o)))
        .collect();
    let fitter = &fitter;
    let results: Vec<Result<Vec<Row>, (String, i32, String)>> = tasks
        .par_iter()
        .map(|(name, origin)| one(caseload, fitter, name, *origin, to))
        .collect();
    let mut out = Backtest {
        origins: origins.to_vec(),
        to,
        rows: Vec::new(),
        flags: names
            .iter()
            .flat_map(|n| flags(&caseload.las[*n]))
            .collect(),
        skipped: Vec::new(),
        summary: Vec::new(),
        inputs: if flows.is_empty() {
            vec!["caseload only: no new plans or requests files beside it, so the planner uses its trend without the flow account".into()]
        } else {
            flows
                .files
                .iter()
                .map(|p| format!("flows: {}", p.display()))
                .collect()
        },
    };
    for r in results {
        match r {
            Ok(rows) => out.rows.extend(rows),
            Err(s) => out.skipped.push(s),
        }
    }
    out.summary = summarise(&out.rows, origins, to);
    out
}

/// The summaries of every origin × horizon × measure × method.
fn summarise(rows: &[Row], origins: &[i32], to: i32) -> Vec<Summary> {
    let mut out = Vec::new();
    let totals: std::collections::HashMap<(&str, i32, u32, &str), (f64, f64)> = rows
        .iter()
        .filter(|r| r.measure == "total")
        .map(|r| {
            (
                (r.la.as_str(), r.origin, r.horizon, r.method),
                (r.p50, r.actual),
            )
        })
        .collect();
    for &origin in origins {
        for h in 1..=(to - origin).max(0) as u32 {
            for measure in measures() {
                for method in METHODS {
                    let at: Vec<&Row> = rows
                        .iter()
                        .filter(|r| {
                            r.origin == origin
                                && r.horizon == h
                                && r.measure == measure
                                && r.method == method
                        })
                        .collect();
                    if at.is_empty() {
                        continue;
                    }
                    let mut err: Vec<f64> = at
                        .iter()
                        .filter(|r| r.actual > 0.0)
                        .map(|r| (r.p50 - r.actual).abs() / r.actual * 100.0)
                        .collect();
                    let covered = at
                        .iter()
                        .filter(|r| r.p10 <= r.actual && r.actual <= r.p90)
                        .count();
                    let mut score: Vec<f64> = at
                        .iter()
                        .filter(|r| r.actual > 0.0)
                        .map(|r| interval_score(r) / r.actual * 100.0)
                        .collect();
                    let share_err = (measure != "total").then(|| {
                        let mut v: Vec<f64> = at
                            .iter()
                            .filter_map(|r| {
                                let t = totals.get(&(r.la.as_str(), origin, h, method))?;
                                Some((r.p50 / t.0 - r.actual / t.1).abs() * 100.0)
                            })
                            .collect();
                        median(&mut v)
                    });
                    out.push(Summary {
                        origin,
                        horizon: h,
                        measure,
                        method,
                        authorities: at.len(),
                        median_error_pct: median(&mut err),
                        median_share_error_pp: share_err,
                        coverage_pct: covered as f64 / at.len() as f64 * 100.0,
                        median_interval_score_pct: median(&mut score),
                    });
                }
            }
        }
    }
    out
}

/// The interval score of an 80% interval (Gneiting and Raftery 2007).
fn interval_score(r: &Row) -> f64 {
    let alpha = 0.2;
    (r.p90 - r.p10)
        + 2.0 / alpha * (r.p10 - r.actual).max(0.0)
        + 2.0 / alpha * (r.actual - r.p90).max(0.0)
}

fn median(v: &mut [f64]) -> f64 {
    super::demand::median(v).unwrap_or(f64::NAN)
}

fn group_counts(p: &CaseloadPoint) -> Option<[f64; 7]> {
    let g = p.groups?;
    Some(g.map(|v| v as f64))
}

fn one(
    caseload: &Caseload,
    fitter: &DemandFitter<'_>,
    name: &str,
    origin: i32,
    to: i32,
) -> Result<Vec<Row>, (String, i32, String)> {
    let skip = |why: String| (name.to_string(), origin, why);
    let series = &caseload.las[name];
    let start = series
        .at(origin)
        .ok_or_else(|| skip(format!("no published caseload for January {origin}")))?;
    let start_groups = group_counts(start)
        .ok_or_else(|| skip(format!("breakdown suppressed in January {origin}")))?;
    let model = fitter.fit(name, origin).map_err(|e| skip(e.0))?;
    let own = log_trend(series, origin).ok_or_else(|| skip("no trend".into()))?;
    let england = caseload
        .england
        .as_ref()
        .and_then(|e| log_trend(e, origin))
        .ok_or_else(|| skip("no England trend".into()))?;
    let last = series
        .at(origin - 1)
        .map(|p| (start.total as f64 / p.total as f64).ln())
        .ok_or_else(|| skip(format!("no published caseload for January {}", origin - 1)))?;
    let s0 = start.total as f64;
    let mut rows = Vec::new();
    for year in origin + 1..=to {
        let Some(published) = series.at(year) else {
            continue;
        };
        let h = (year - origin) as u32;
        let hf = h as f64;
        let damped: f64 = (1..=h).map(|i| DAMPING.powi(i as i32)).sum();
        let naive = [
            ("persistence", s0),
            ("trend", s0 * (own * hf).exp()),
            ("england", s0 * (england * hf).exp()),
            ("damped", s0 * (last * damped).exp()),
        ];
        let actual_groups = group_counts(published);
        let mut push = |measure: &'static str, actual: f64, q: [f64; 3], method: &'static str| {
            rows.push(Row {
                la: series.la_name.clone(),
                origin,
                year,
                horizon: h,
                measure,
                actual,
                p10: q[0],
                p50: q[1],
                p90: q[2],
                method,
            })
        };
        let actual_total = published.total as f64;
        push("total", actual_total, model.total_quantiles(h), "planner");
        for (method, total) in naive {
            push("total", actual_total, [total; 3], method);
        }
        let Some(actual_groups) = actual_groups else {
            continue;
        };
        for (k, g) in PlacementGroup::ALL.iter().enumerate() {
            push(
                g.key(),
                actual_groups[k],
                model.group_quantiles(k, h),
                "planner",
            );
            for (method, total) in naive {
                let v = total * start_groups[k] / s0;
                push(g.key(), actual_groups[k], [v; 3], method);
            }
        }
    }
    if rows.is_empty() {
        return Err(skip(format!(
            "no published caseload after January {origin}"
        )));
    }
    Ok(rows)
}

/// Years of a series whose published figures look like reporting breaks: a group's share
/// moving 10 points or more in a year, total plans rising more than 35% or falling more than
/// 15% in a year, or placements not recorded for 5% of plans or more.
pub fn flags(series: &CaseloadSeries) -> Vec<Flag> {
    let mut out = Vec::new();
    for (i, p) in series.points.iter().enumerate() {
        let mut reasons = Vec::new();
        if let Some(prev) = i.checked_sub(1).map(|j| &series.points[j])
            && prev.year + 1 == p.year
        {
            let change = p.total as f64 / prev.total as f64 - 1.0;
            if !(-0.15..=0.35).contains(&change) {
                reasons.push(format!(
                    "total plans {:+.0}% in a year ({} → {})",
                    change * 100.0,
                    prev.total,
                    p.total
                ));
            }
            if let (Some(a), Some(b)) = (prev.groups, p.groups) {
                for (k, g) in PlacementGroup::ALL.iter().enumerate() {
                    let sa = a[k] as f64 / prev.total as f64 * 100.0;
                    let sb = b[k] as f64 / p.total as f64 * 100.0;
                    if (sb - sa).abs() >= 10.0 {
                        reasons.push(format!(
                            "{} share {:.1}% → {:.1}% in a year",
                            g.label(),
                            sa,
                            sb
                        ));
                    }
                }
            }
        }
        let nr = p.not_recorded as f64 / p.total as f64 * 100.0;
        if nr >= 5.0 {
            reasons.push(format!("placement not recorded for {nr:.1}% of plans"));
        }
        if !reasons.is_empty() {
            out.push(Flag {
                la: series.la_name.clone(),
                year: p.year,
                reason: reasons.join("; "),
            });
        }
    }
    out
}

/// The demand model against every published January for one authority, from each origin
/// 2020–2022 (those the history reaches), beside England's growth applied: the plan report's
/// track record.
pub fn track_record(
    caseload: &Caseload,
    flows: &Flows,
    la: &str,
) -> Vec<crate::plan::results::TrackRecord> {
    let Some(series) = caseload.find(la) else {
        return Vec::new();
    };
    let to = series.points.last().map_or(0, |p| p.year);
    let origins: Vec<i32> = (2020..=2022).filter(|o| *o < to).collect();
    let b = backtest(
        caseload,
        flows,
        &origins,
        to,
        std::slice::from_ref(&series.la_name),
    );
    let totals = |method: &'static str| {
        b.rows
            .iter()
            .filter(move |r| r.measure == "total" && r.method == method)
    };
    totals("planner")
        .filter_map(|p| {
            let e = totals("england").find(|e| e.origin == p.origin && e.year == p.year)?;
            Some(crate::plan::results::TrackRecord {
                origin: p.origin,
                year: p.year,
                published: p.actual,
                p10: p.p10,
                p50: p.p50,
                p90: p.p90,
                england: e.p50,
            })
        })
        .collect()
}
