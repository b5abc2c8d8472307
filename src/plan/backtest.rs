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

use super::ages::{AGE_BANDS, bands, step};
use super::demand::{DemandFitter, log_trend};
use crate::io::ages::AgeFlows;
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
    /// The authority.
    pub la: String,
    /// The January of the last history used.
    pub origin: i32,
    /// The January forecast.
    pub year: i32,
    /// Years from the origin to `year`.
    pub horizon: u32,
    /// `total` or a type of setting (or an age band, `age-…`).
    pub measure: &'static str,
    /// The published figure.
    pub actual: f64,
    /// 10th percentile of the forecast.
    pub p10: f64,
    /// Median of the forecast.
    pub p50: f64,
    /// 90th percentile of the forecast.
    pub p90: f64,
    /// `planner`, `persistence`, `trend`, `england` or `damped`.
    pub method: &'static str,
}

/// A published figure that looks like a reporting break.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    /// The authority.
    pub la: String,
    /// The January whose figures look like a break.
    pub year: i32,
    /// What moved, in words.
    pub reason: String,
}

/// Errors of one method at one origin, horizon and measure, over authorities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The January of the last history used.
    pub origin: i32,
    /// Years ahead.
    pub horizon: u32,
    /// The measure.
    pub measure: &'static str,
    /// The method.
    pub method: &'static str,
    /// Authorities with a forecast and a published figure.
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
    /// The origins forecast from.
    pub origins: Vec<i32>,
    /// The last January compared.
    pub to: i32,
    /// Every forecast beside its published figure.
    pub rows: Vec<Row>,
    /// Authority-years that look like reporting breaks (kept in the figures).
    pub flags: Vec<Flag>,
    /// Authorities left out at an origin, with the reason.
    pub skipped: Vec<(String, i32, String)>,
    /// Errors and coverage by origin, horizon, measure and method.
    pub summary: Vec<Summary>,
    /// The January of the age structure's one-year hold-out (measures `age-…`), when the
    /// published ages reach it.
    pub age_origin: Option<i32>,
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
    // The age structure's hold-out: the last year the published ages reach.
    let age_origin = (AgeFlows::get(&flows.ages.stock, "England", to - 1).is_some()
        && AgeFlows::get(&flows.ages.stock, "England", to).is_some())
    .then_some(to - 1);
    if let Some(o) = age_origin {
        fitter.prepare(&[o]);
    }
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
        age_origin: None,
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
    out.summary = summarise(&out.rows, origins, to, &measures(), true);
    if let Some(o) = age_origin {
        let ages: Vec<Result<Vec<Row>, (String, i32, String)>> = names
            .par_iter()
            .map(|name| age_holdout(caseload, flows, fitter, name, o))
            .collect();
        for r in ages {
            match r {
                Ok(rows) => out.rows.extend(rows),
                Err(s) => out.skipped.push(s),
            }
        }
        let bands: Vec<&'static str> = AGE_BANDS.iter().map(|b| b.0).collect();
        out.summary
            .extend(summarise(&out.rows, &[o], o + 1, &bands, false));
        out.age_origin = Some(o);
    }
    out
}

/// The summaries of every origin × horizon × measure × method.
fn summarise(
    rows: &[Row],
    origins: &[i32],
    to: i32,
    measures: &[&'static str],
    shares: bool,
) -> Vec<Summary> {
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
            for &measure in measures {
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
                    let share_err = (shares && measure != "total").then(|| {
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

/// The age structure's one-year hold-out of `name` from January `origin`: plans by age band
/// next January. The planner steps the published ages a year ([`super::ages::step`]) with
/// its own new plans and scales the result to its total (with the total's interval); the naive
/// methods hold the origin's age mix and grow it as they grow the total.
fn age_holdout(
    caseload: &Caseload,
    flows: &Flows,
    fitter: &DemandFitter<'_>,
    name: &str,
    origin: i32,
) -> Result<Vec<Row>, (String, i32, String)> {
    let skip = |why: String| (name.to_string(), origin, why);
    let series = &caseload.las[name];
    let ages = &flows.ages;
    let (Some(start), Some(actual)) = (
        AgeFlows::get(&ages.stock, name, origin),
        AgeFlows::get(&ages.stock, name, origin + 1),
    ) else {
        return Err(skip(format!(
            "no published plans by age for January {origin} and {}",
            origin + 1
        )));
    };
    let model = fitter.fit(name, origin).map_err(|e| skip(e.0))?;
    let growth = NaiveGrowth::of(caseload, series, origin).map_err(skip)?;
    let before =
        |s: Option<&CaseloadSeries>| s.and_then(|s| s.at(origin - 1)).map(|p| p.total as f64);
    let totals = before(Some(series))
        .zip(before(caseload.england.as_ref()))
        .ok_or_else(|| skip(format!("no published caseload for January {}", origin - 1)))?;
    // New plans in the year: the flow account's, else last year's grown at England's trend.
    let new_plans = match &model.flow {
        Some(f) => f.first_inflow,
        None => {
            flows
                .new_plans(name, origin - 1)
                .ok_or_else(|| skip(format!("no published new plans in {}", origin - 1)))?
                * model.england_log_growth.exp()
        }
    };
    let next = step(ages, name, origin, totals, new_plans).map_err(|e| skip(e.0))?;
    let shape = bands(&next);
    let shape_total: f64 = shape.iter().sum();
    if shape_total <= 0.0 {
        return Err(skip("no plans by age after the step".into()));
    }
    let q = model.total_quantiles(1);
    let start = bands(start);
    let actual = bands(actual);
    let mut rows = Vec::new();
    for (b, band) in AGE_BANDS.iter().enumerate() {
        let mut push = |p: [f64; 3], method: &'static str| {
            rows.push(Row {
                la: series.la_name.clone(),
                origin,
                year: origin + 1,
                horizon: 1,
                measure: band.0,
                actual: actual[b],
                p10: p[0],
                p50: p[1],
                p90: p[2],
                method,
            })
        };
        push(q.map(|t| t * shape[b] / shape_total), "planner");
        for (method, f) in growth.factors(1) {
            push([start[b] * f; 3], method);
        }
    }
    Ok(rows)
}

/// The naive methods' growth from one origin: the authority's own trend, England's trend and
/// the last year's growth.
struct NaiveGrowth {
    own: f64,
    england: f64,
    last: f64,
}

impl NaiveGrowth {
    fn of(caseload: &Caseload, series: &CaseloadSeries, origin: i32) -> Result<Self, String> {
        let start = series
            .at(origin)
            .ok_or_else(|| format!("no published caseload for January {origin}"))?;
        let own = log_trend(series, origin).ok_or_else(|| "no trend".to_string())?;
        let england = caseload
            .england
            .as_ref()
            .and_then(|e| log_trend(e, origin))
            .ok_or_else(|| "no England trend".to_string())?;
        let last = series
            .at(origin - 1)
            .map(|p| (start.total as f64 / p.total as f64).ln())
            .ok_or_else(|| format!("no published caseload for January {}", origin - 1))?;
        Ok(NaiveGrowth { own, england, last })
    }

    /// Each naive method's multiplier of the origin's count `h` years on.
    fn factors(&self, h: u32) -> [(&'static str, f64); 4] {
        let hf = h as f64;
        let damped: f64 = (1..=h).map(|i| DAMPING.powi(i as i32)).sum();
        [
            ("persistence", 1.0),
            ("trend", (self.own * hf).exp()),
            ("england", (self.england * hf).exp()),
            ("damped", (self.last * damped).exp()),
        ]
    }
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
    let growth = NaiveGrowth::of(caseload, series, origin).map_err(skip)?;
    let s0 = start.total as f64;
    let mut rows = Vec::new();
    for year in origin + 1..=to {
        let Some(published) = series.at(year) else {
            continue;
        };
        let h = (year - origin) as u32;
        let naive = growth.factors(h).map(|(m, f)| (m, s0 * f));
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

/// The demand model's record from each origin 2020–2022 the history reaches, for the plan
/// report: against every published January for authority `la` (empty when the file does not
/// have it), beside England's growth applied; and across every authority, from the origins
/// whose interval is measured on an earlier one (2021 and 2022), at every horizon. One
/// back-test serves both.
pub fn track_record(
    caseload: &Caseload,
    flows: &Flows,
    la: &str,
) -> (
    Vec<crate::plan::results::TrackRecord>,
    Vec<crate::plan::results::NationalRecord>,
) {
    let Some(to) = caseload
        .england
        .as_ref()
        .and_then(|e| e.points.last().map(|p| p.year))
    else {
        return (Vec::new(), Vec::new());
    };
    let origins: Vec<i32> = (2020..=2022).filter(|o| *o < to).collect();
    let b = backtest(caseload, flows, &origins, to, &[]);
    let national = b
        .summary
        .iter()
        .filter(|s| s.measure == "total" && s.method == "planner" && s.origin >= 2021)
        .filter_map(|s| {
            let e = b.find(s.origin, s.horizon, "total", "england")?;
            Some(crate::plan::results::NationalRecord {
                origin: s.origin,
                horizon: s.horizon,
                authorities: s.authorities,
                coverage_pct: s.coverage_pct,
                median_error_pct: s.median_error_pct,
                england_error_pct: e.median_error_pct,
            })
        })
        .collect();
    let Some(name) = caseload.find(la).map(|s| s.la_name.as_str()) else {
        return (Vec::new(), national);
    };
    let totals = |method: &'static str| {
        b.rows
            .iter()
            .filter(move |r| r.la == name && r.measure == "total" && r.method == method)
    };
    let own = totals("planner")
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
        .collect();
    (own, national)
}
