//! The planner's demand model: how many children and young people will have EHC plans in an
//! authority, and in which types of setting, from a January origin on — with an interval whose
//! width is measured, not assumed. Fitted on published history up to the origin only (the
//! SEN2 caseload by type of setting each January; new plans and requests for assessment by
//! calendar year when the folder has them).
//!
//! **Total plans** are the geometric mean of two forecasts, each a standard estimator:
//! - *the persistence-weighted trend*: England's log-linear growth on the Januaries up to the
//!   origin, plus `β` times the authority's mean excess growth over England's. `β` is the
//!   slope of one year's excess growth on the mean excess of the years before, across every
//!   authority (history up to the origin: 0.31 at 2021, 0.30 at 2022); with fewer than two
//!   years of growth it is 0 (England's growth alone);
//! - *the flow account*: next January's plans are this January's less those that cease plus
//!   the new plans made in the year. The cessation rate is the authority's mean implied rate
//!   ((plans + new plans − next January's plans) ÷ plans), shrunk towards England's by
//!   precision; the first year's new plans are the requests received in the calendar year
//!   before the origin times the authority's conversion rate (new plans ÷ the previous year's
//!   requests, shrunk towards England's the same way); later years' new plans grow at England's
//!   caseload trend. Without the flow files the trend alone is used.
//!
//! **Types of setting**: each group's share of plans moves by England's log-linear trend of
//! that share plus `β_k` times the authority's excess over it (`β_k` estimated as `β` is, per
//! group). Placements "not recorded" (a SEN2 category only since January 2023) are a reporting
//! category: their share is held at the origin's, never trended; the elsewhere trend excludes
//! them.
//!
//! **Uncertainty**: the forecast error of log total plans is normal with standard deviation
//! `√(walk²·h + (σ·h)²)` at horizon `h`: a yearly shock to the level that is kept afterwards (a
//! random walk: one year's surprise in new plans or cessations carries into every later year)
//! and a difference of growth that persists for the whole horizon. Both are measured by
//! re-running this model from every earlier origin on the same history (rolling origins): for
//! every earlier origin and every January after it up to this origin, the width that held 80%
//! of the authorities' log errors (the 80th percentile of the absolute errors ÷ 1.2816, so a
//! common bias widens it); with two or more horizons the squared widths are split into
//! `walk²·h + σ²·h²` by least squares; with one horizon the two parts are taken as equal at
//! that horizon. With no earlier origin (origin 2020), the one-year width is the spread of the
//! authorities' last-year excess growth, split the same way.
//!
//! **Each authority's own band**: authorities whose growth has strayed further from England's
//! are harder to forecast (from the origins 2020–2022, the third of authorities with the most
//! changeable growth had 80th-percentile errors 13–43% above the calmest third's). Each
//! authority has a volatility scale, the root of its mean square excess growth (shrunk towards
//! every authority's by precision) over the median authority's; the back-casts' errors are
//! divided by each authority's scale before the widths above are measured, and an authority's
//! `walk` and `σ` are those widths times its scale. The widths therefore still hold 80% of the
//! back-casts' scaled errors; what changes is which authorities get the wider bands.
//!
//! **Shares' trend weight**: the same back-casts say how much of each group's forecast change
//! of share came true (the slope of the actual log change on the forecast one, 0..=1); the
//! share moves by that fraction of its trend. Each group's share has its own spread `σ_k`,
//! measured on the weighted forecast's errors; the back-test's intervals for plans in each type
//! of setting use both. A plan (`plan::run`) samples one persistent growth deviation per draw
//! from `σ` (`Growth::rate_sd`) and a shock to the level each year from `walk`
//! (`Growth::walk_sd`), so its bands include the uncertainty of growth, not only the noise of
//! arrivals; it does not sample the shares' deviations.

use crate::io::flows::Flows;
use crate::io::stats::{Caseload, CaseloadSeries, PlacementGroup};
#[cfg(test)]
use crate::rng::Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// z for the 10th and 90th percentiles of a normal distribution.
pub const Z80: f64 = 1.281_551_565_5;

/// Width of a normal 10th–90th percentile range, in standard deviations.
const RANGE80: f64 = 2.0 * Z80;

/// Smallest share used on the log scale (a group with no plans).
const SHARE_FLOOR: f64 = 1e-4;

/// The flow account of one authority at an origin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowAccount {
    /// Share of plans that cease in a year (shrunk towards England's).
    pub cessation: f64,
    /// New plans in the first year after the origin.
    pub first_inflow: f64,
    /// Where `first_inflow` came from, in words.
    pub inflow_source: String,
    /// Log growth of new plans a year after the first.
    pub inflow_log_growth: f64,
}

/// The fitted model of one authority at one origin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DemandModel {
    pub la: String,
    /// The January of the last history used.
    pub origin: i32,
    pub start_total: f64,
    /// Shares of plans at the origin by [`crate::io::stats::PlacementGroup::ALL`]; `Elsewhere`
    /// without the placements not recorded.
    pub start_shares: [f64; 7],
    /// Share of plans whose placement was not recorded at the origin (held).
    pub not_recorded_share: f64,
    /// England's log-linear growth of plans (log a year).
    pub england_log_growth: f64,
    /// Weight on the authority's excess growth.
    pub persistence: f64,
    /// The authority's mean excess log growth over England's.
    pub own_excess: f64,
    /// The flow account, when the flow files cover the authority.
    pub flow: Option<FlowAccount>,
    /// Standard deviation of the log total a year of horizon.
    pub log_sd: f64,
    /// Standard deviation of the yearly shock to the log total that is kept afterwards (a
    /// random walk: its variance grows with the horizon, not its square).
    pub walk_sd: f64,
    /// Yearly log change of each group's share.
    pub share_log_change: [f64; 7],
    /// Standard deviation of each group's log share a year of horizon.
    pub share_log_sd: [f64; 7],
    /// The weight on each group's trended share change, measured at earlier origins (1 with
    /// none): the share moves by this fraction of its trend.
    pub share_weight: [f64; 7],
    /// How changeable the authority's growth has been beside the typical authority's (1 =
    /// typical): `log_sd` and `walk_sd` are the measured widths times this scale.
    pub volatility_scale: f64,
}

/// One Monte Carlo draw of the model's uncertain parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemandDraw {
    /// Persistent deviation of log growth (log a year).
    pub growth: f64,
    /// Persistent deviation of each group's log share (log a year).
    pub shares: [f64; 7],
}

impl DemandDraw {
    /// The central draw (no deviation).
    pub const CENTRAL: DemandDraw = DemandDraw {
        growth: 0.0,
        shares: [0.0; 7],
    };
}

impl DemandModel {
    /// Central (median) total plans `h` years after the origin.
    pub fn total(&self, h: u32) -> f64 {
        let trend = self.start_total.ln()
            + h as f64 * (self.england_log_growth + self.persistence * self.own_excess);
        match &self.flow {
            Some(f) => {
                let mut x = self.start_total;
                let mut inflow = f.first_inflow;
                for _ in 0..h {
                    x = x * (1.0 - f.cessation) + inflow;
                    inflow *= f.inflow_log_growth.exp();
                }
                ((trend + x.max(1.0).ln()) / 2.0).exp()
            }
            None => trend.exp(),
        }
    }

    /// Shares of plans `h` years on, in [`crate::io::stats::PlacementGroup::ALL`] order
    /// (`Elsewhere` with the held placements not recorded), under `draw`.
    pub fn shares(&self, h: u32, draw: &DemandDraw) -> [f64; 7] {
        let mut s = [0.0; 7];
        for (k, v) in s.iter_mut().enumerate() {
            if self.start_shares[k] > 0.0 {
                *v = self.start_shares[k].max(SHARE_FLOOR)
                    * ((self.share_log_change[k] + draw.shares[k]) * h as f64).exp();
            }
        }
        let sum: f64 = s.iter().sum();
        let keep = 1.0 - self.not_recorded_share;
        if sum > 0.0 {
            for v in &mut s {
                *v *= keep / sum;
            }
        }
        s[6] += self.not_recorded_share;
        s
    }

    /// Total plans `h` years on under `draw`.
    #[cfg(test)]
    pub fn total_under(&self, h: u32, draw: &DemandDraw) -> f64 {
        self.total(h) * (draw.growth * h as f64).exp()
    }

    /// A draw of the uncertain parameters (the shares' deviations included, which a plan does
    /// not sample).
    #[cfg(test)]
    pub fn draw(&self, rng: &mut Rng) -> DemandDraw {
        let mut d = DemandDraw {
            growth: rng.normal() * self.log_sd,
            shares: [0.0; 7],
        };
        for k in 0..7 {
            d.shares[k] = rng.normal() * self.share_log_sd[k];
        }
        d
    }

    /// The 10th, 50th and 90th percentiles of total plans `h` years on.
    pub fn total_quantiles(&self, h: u32) -> [f64; 3] {
        let c = self.total(h);
        let sd = (self.walk_sd.powi(2) * h as f64 + (self.log_sd * h as f64).powi(2)).sqrt();
        [c * (-Z80 * sd).exp(), c, c * (Z80 * sd).exp()]
    }

    /// The 10th, 50th and 90th percentiles of plans in group `k` `h` years on (the total's and
    /// the share's errors independent).
    pub fn group_quantiles(&self, k: usize, h: u32) -> [f64; 3] {
        let c = self.total(h) * self.shares(h, &DemandDraw::CENTRAL)[k];
        let sd = (self.walk_sd.powi(2) * h as f64
            + (self.log_sd.powi(2) + self.share_log_sd[k].powi(2)) * (h as f64).powi(2))
        .sqrt();
        [c * (-Z80 * sd).exp(), c, c * (Z80 * sd).exp()]
    }

    /// Sets a plan's growth from this model over `years`: the median path's mean yearly growth,
    /// the measured spread, and the mean yearly change of each group's share (the share of
    /// placements not recorded held).
    pub fn apply_to(&self, growth: &mut super::Growth, years: u32) {
        let years = years.max(1);
        growth.rate = (self.total(years) / self.start_total).powf(1.0 / years as f64) - 1.0;
        growth.rate_sd = self.log_sd;
        growth.walk_sd = self.walk_sd;
        let a = self.shares(0, &DemandDraw::CENTRAL);
        let b = self.shares(years, &DemandDraw::CENTRAL);
        for k in 0..7 {
            growth.share_change[k] = (b[k] - a[k]) / years as f64;
        }
        growth.source = self.describe();
    }

    /// The model in words, for a report's assumptions.
    pub fn describe(&self) -> String {
        let flow = match &self.flow {
            Some(f) => format!(
                "the flow account (cessation {:.1}% of plans a year; {:.0} new plans in the first year, from {}; then growing {:.1}% a year)",
                f.cessation * 100.0,
                f.first_inflow,
                f.inflow_source,
                (f.inflow_log_growth.exp() - 1.0) * 100.0
            ),
            None => "no flow account (new plans and requests files absent)".to_string(),
        };
        format!(
            "Demand fitted on {}'s published history to January {}: England's trend {:.1}% a year plus {:.2} × the authority's excess growth ({:+.1} points a year), averaged with {}. 80% interval: ±{:.1}% of plans a year of horizon (growth that differs and persists), and a yearly shock of ±{:.1}% that is kept afterwards (both measured by re-running the model from earlier origins, and scaled by {:.2}, how changeable the authority's growth has been beside the typical authority's). Types of setting move by England's trend in their share plus the authority's own, times the part of such trends that came true before (independent special schools: {:.0}%).",
            self.la,
            self.origin,
            (self.england_log_growth.exp() - 1.0) * 100.0,
            self.persistence,
            self.own_excess * 100.0,
            flow,
            (Z80 * self.log_sd).exp_m1() * 100.0,
            (Z80 * self.walk_sd).exp_m1() * 100.0,
            self.volatility_scale,
            self.share_weight[PlacementGroup::IndependentSpecial as usize] * 100.0
        )
    }
}

/// Why an authority has no model at an origin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoModel(pub String);

/// What every authority's model at one origin shares: England's figures and the pooled
/// estimates across authorities.
#[derive(Clone, Debug)]
struct Pooled {
    origin: i32,
    england_log_growth: f64,
    persistence: f64,
    share_persistence: [f64; 7],
    england_share_change: [f64; 7],
    cessation: BTreeMap<String, f64>,
    conversion: BTreeMap<String, f64>,
    england_cessation: Option<f64>,
    england_conversion: Option<f64>,
    /// Each authority's volatility scale (see [`volatility_scales`]); 1 when absent.
    volatility: BTreeMap<String, f64>,
}

/// Fits demand models from published history; holds the pooled estimates of each origin.
pub struct DemandFitter<'a> {
    caseload: &'a Caseload,
    flows: &'a Flows,
    pooled: BTreeMap<i32, Pooled>,
    sds: BTreeMap<i32, Spreads>,
}

impl<'a> DemandFitter<'a> {
    /// A fitter over `caseload` and `flows` (which may be empty).
    pub fn new(caseload: &'a Caseload, flows: &'a Flows) -> Self {
        DemandFitter {
            caseload,
            flows,
            pooled: BTreeMap::new(),
            sds: BTreeMap::new(),
        }
    }

    /// Prepares the pooled estimates and the measured spreads for `origins` (call before
    /// [`DemandFitter::fit`] from several threads).
    pub fn prepare(&mut self, origins: &[i32]) {
        for &o in origins {
            self.ensure_sd(o);
        }
    }

    /// The model of `la` at `origin` (prepared or not).
    pub fn fit_one(&mut self, la: &str, origin: i32) -> Result<DemandModel, NoModel> {
        self.ensure_sd(origin);
        self.fit(la, origin)
    }

    /// The model of `la` at a prepared `origin`.
    pub fn fit(&self, la: &str, origin: i32) -> Result<DemandModel, NoModel> {
        let pooled = self
            .pooled
            .get(&origin)
            .ok_or_else(|| NoModel(format!("origin {origin} not prepared")))?;
        let mut m = self.central(pooled, la)?;
        if let Some(sp) = self.sds.get(&origin) {
            m.log_sd = sp.growth * m.volatility_scale;
            m.walk_sd = sp.walk * m.volatility_scale;
            m.share_log_sd = sp.shares;
            for k in 0..7 {
                m.share_log_change[k] *= sp.share_weight[k];
            }
            m.share_weight = sp.share_weight;
        }
        Ok(m)
    }

    fn ensure_pooled(&mut self, origin: i32) {
        if !self.pooled.contains_key(&origin) {
            let p = pooled(self.caseload, self.flows, origin);
            self.pooled.insert(origin, p);
        }
    }

    /// Measures the spreads at `origin` from the model's errors at earlier origins.
    fn ensure_sd(&mut self, origin: i32) {
        if self.sds.contains_key(&origin) {
            return;
        }
        self.ensure_pooled(origin);
        let first = self.first_year();
        for o in first..origin {
            self.ensure_pooled(o);
        }
        // Log errors of every earlier origin `o` at every January `y` up to this origin (total),
        // and each group's forecast and actual log change of share since `o`.
        let mut pairs: Vec<BackCast> = Vec::new();
        for y in first + 1..=origin {
            for o in first..y {
                let pooled = &self.pooled[&o];
                let h = (y - o) as u32;
                let mut total = Vec::new();
                let mut share: [Vec<(f64, f64)>; 7] = Default::default();
                for (name, series) in &self.caseload.las {
                    let Ok(m) = self.central(pooled, name) else {
                        continue;
                    };
                    let Some(actual) = series.at(y) else {
                        continue;
                    };
                    // The error in units of this authority's volatility, so that the width
                    // measured is that of a typical authority.
                    total.push((m.total(h) / actual.total as f64).ln() / m.volatility_scale);
                    if let Some(shares) = shares_of(actual) {
                        let start = m.shares(0, &DemandDraw::CENTRAL);
                        let f = m.shares(h, &DemandDraw::CENTRAL);
                        let with_nr = with_not_recorded(&shares);
                        for k in 0..7 {
                            if start[k] > 0.0 && f[k] > 0.0 && with_nr[k] > 0.0 {
                                share[k]
                                    .push(((f[k] / start[k]).ln(), (with_nr[k] / start[k]).ln()));
                            }
                        }
                    }
                }
                pairs.push((h, total, share));
            }
        }
        let fallback = self.excess_spread(origin);
        let spreads = Spreads::measure(&pairs, fallback);
        self.sds.insert(origin, spreads);
    }

    /// The spread across authorities of the last year's excess growth up to `origin`, each
    /// divided by the authority's volatility scale.
    fn excess_spread(&self, origin: i32) -> f64 {
        let Some(e) = &self.caseload.england else {
            return 0.05;
        };
        let Some(ge) = growth(e, origin) else {
            return 0.05;
        };
        // In units of each authority's volatility, as the back-casts' errors are.
        let scales = self.pooled.get(&origin).map(|p| &p.volatility);
        let x: Vec<f64> = self
            .caseload
            .las
            .iter()
            .filter_map(|(name, s)| {
                let scale = scales.and_then(|v| v.get(name)).copied().unwrap_or(1.0);
                growth(s, origin).map(|g| (g - ge) / scale)
            })
            .collect();
        if x.len() < 20 { 0.05 } else { spread(&x) }
    }

    fn first_year(&self) -> i32 {
        self.caseload
            .england
            .as_ref()
            .and_then(|e| e.points.first().map(|p| p.year))
            .unwrap_or(2019)
    }

    /// The central model (spreads zero) of `la` under `pooled`.
    fn central(&self, pooled: &Pooled, la: &str) -> Result<DemandModel, NoModel> {
        let origin = pooled.origin;
        let series = self
            .caseload
            .find(la)
            .ok_or_else(|| NoModel(format!("no caseload series for {la}")))?;
        let name = series.la_name.as_str();
        let start = series
            .at(origin)
            .ok_or_else(|| NoModel(format!("no published caseload for January {origin}")))?;
        let shares = shares_of(start)
            .ok_or_else(|| NoModel(format!("breakdown suppressed in January {origin}")))?;
        let excess = excess_growths(self.caseload, series, origin);
        if excess.is_empty() {
            return Err(NoModel(format!(
                "fewer than two consecutive Januaries up to {origin}"
            )));
        }
        let own_excess = excess.iter().sum::<f64>() / excess.len() as f64;
        let s0 = start.total as f64;
        let flow = self.flow_account(pooled, name, s0);
        let own_share = share_trends(series, origin);
        let mut share_log_change = [0.0; 7];
        for k in 0..7 {
            share_log_change[k] = pooled.england_share_change[k]
                + own_share[k].map_or(0.0, |b| {
                    pooled.share_persistence[k] * (b - pooled.england_share_change[k])
                });
        }
        let (start_shares, not_recorded_share) = shares;
        Ok(DemandModel {
            la: name.to_string(),
            origin,
            start_total: s0,
            start_shares,
            not_recorded_share,
            england_log_growth: pooled.england_log_growth,
            persistence: pooled.persistence,
            own_excess,
            flow,
            log_sd: 0.0,
            walk_sd: 0.0,
            share_log_change,
            share_log_sd: [0.0; 7],
            share_weight: [1.0; 7],
            volatility_scale: pooled.volatility.get(name).copied().unwrap_or(1.0),
        })
    }

    fn flow_account(&self, pooled: &Pooled, la: &str, s0: f64) -> Option<FlowAccount> {
        let origin = pooled.origin;
        let cessation = pooled
            .cessation
            .get(la)
            .copied()
            .or(pooled.england_cessation)?
            .clamp(0.0, 0.5);
        let conversion = pooled
            .conversion
            .get(la)
            .copied()
            .or(pooled.england_conversion);
        let (first_inflow, inflow_source) = match (self.flows.requests(la, origin - 1), conversion)
        {
            (Some(r), Some(k)) => (
                r * k,
                format!(
                    "{r:.0} requests for assessment in {} × {k:.2} new plans a request",
                    origin - 1
                ),
            ),
            _ => {
                let n = self.flows.new_plans(la, origin - 1)?;
                (
                    n * pooled.england_log_growth.exp(),
                    format!(
                        "{n:.0} new plans in {} grown at England's trend",
                        origin - 1
                    ),
                )
            }
        };
        (first_inflow.is_finite() && first_inflow >= 0.0 && s0 > 0.0).then_some(FlowAccount {
            cessation,
            first_inflow,
            inflow_source,
            inflow_log_growth: pooled.england_log_growth,
        })
    }
}

/// Shares of a published point: the seven groups with `Elsewhere` less the placements not
/// recorded, and the not-recorded share apart.
fn shares_of(p: &crate::io::stats::CaseloadPoint) -> Option<([f64; 7], f64)> {
    let g = p.groups?;
    let t = p.total as f64;
    let nr = (p.not_recorded.min(g[6])) as f64;
    let mut s = [0.0; 7];
    for k in 0..7 {
        s[k] = g[k] as f64 / t;
    }
    s[6] -= nr / t;
    Some((s, nr / t))
}

fn with_not_recorded(s: &([f64; 7], f64)) -> [f64; 7] {
    let mut out = s.0;
    out[6] += s.1;
    out
}

/// Log growth of the year to January `year`.
fn growth(series: &CaseloadSeries, year: i32) -> Option<f64> {
    let a = series.at(year - 1)?.total as f64;
    let b = series.at(year)?.total as f64;
    Some((b / a).ln())
}

/// The authority's yearly excess log growth over England's, every year up to `origin`.
fn excess_growths(caseload: &Caseload, series: &CaseloadSeries, origin: i32) -> Vec<f64> {
    let Some(e) = &caseload.england else {
        return Vec::new();
    };
    series
        .points
        .iter()
        .filter(|p| p.year <= origin)
        .filter_map(|p| Some(growth(series, p.year)? - growth(e, p.year)?))
        .collect()
}

/// The log-linear slope of total plans on the Januaries up to `origin` (log a year).
pub(crate) fn log_trend(series: &CaseloadSeries, origin: i32) -> Option<f64> {
    let pts: Vec<(f64, f64)> = series
        .points
        .iter()
        .filter(|p| p.year <= origin)
        .map(|p| (p.year as f64, (p.total as f64).ln()))
        .collect();
    slope(&pts)
}

/// Least-squares slope of `y` on `x`.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    (sxx > 0.0).then(|| points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx)
}

/// Log-linear slope of each group's share (not recorded left out of `Elsewhere`) up to `origin`.
fn share_trends(series: &CaseloadSeries, origin: i32) -> [Option<f64>; 7] {
    let pts: Vec<(f64, [f64; 7])> = series
        .points
        .iter()
        .filter(|p| p.year <= origin)
        .filter_map(|p| shares_of(p).map(|s| (p.year as f64, s.0)))
        .collect();
    let mut out = [None; 7];
    for (k, o) in out.iter_mut().enumerate() {
        let v: Vec<(f64, f64)> = pts
            .iter()
            .map(|(y, s)| (*y, s[k].max(SHARE_FLOOR).ln()))
            .collect();
        *o = slope(&v);
    }
    out
}

/// The yearly log change of each group's share in the year to `year`.
fn share_changes(series: &CaseloadSeries, year: i32) -> Option<[f64; 7]> {
    let a = shares_of(series.at(year - 1)?)?.0;
    let b = shares_of(series.at(year)?)?.0;
    let mut out = [0.0; 7];
    for k in 0..7 {
        out[k] = (b[k].max(SHARE_FLOOR) / a[k].max(SHARE_FLOOR)).ln();
    }
    Some(out)
}

/// Slope of the latest year's value on the mean of the earlier years', across authorities,
/// clamped to 0..=1 (0 without enough authorities).
fn persistence(pairs: &[(f64, f64)]) -> f64 {
    if pairs.len() < 20 {
        return 0.0;
    }
    slope(pairs).unwrap_or(0.0).clamp(0.0, 1.0)
}

fn pooled(caseload: &Caseload, flows: &Flows, origin: i32) -> Pooled {
    let england = caseload.england.as_ref();
    let england_log_growth = england.and_then(|e| log_trend(e, origin)).unwrap_or(0.0);
    let england_share_change = england
        .map(|e| share_trends(e, origin).map(|b| b.unwrap_or(0.0)))
        .unwrap_or([0.0; 7]);
    // Persistence of excess growth and of excess share change.
    let mut pairs = Vec::new();
    let mut share_pairs: [Vec<(f64, f64)>; 7] = Default::default();
    let e_changes = england.and_then(|e| share_changes(e, origin));
    for s in caseload.las.values() {
        let ex = excess_growths(caseload, s, origin);
        if ex.len() >= 2 && s.at(origin).is_some() && s.at(origin - 1).is_some() {
            let (last, before) = ex.split_last().expect("two or more");
            pairs.push((before.iter().sum::<f64>() / before.len() as f64, *last));
        }
        let (Some(ec), Some(last)) = (e_changes, share_changes(s, origin)) else {
            continue;
        };
        let earlier: Vec<[f64; 7]> = (s.points.first().map_or(origin, |p| p.year + 1)..origin)
            .filter_map(|y| {
                let c = share_changes(s, y)?;
                let e = share_changes(england?, y)?;
                let mut d = [0.0; 7];
                for k in 0..7 {
                    d[k] = c[k] - e[k];
                }
                Some(d)
            })
            .collect();
        if earlier.is_empty() {
            continue;
        }
        for k in 0..7 {
            let x = earlier.iter().map(|d| d[k]).sum::<f64>() / earlier.len() as f64;
            share_pairs[k].push((x, last[k] - ec[k]));
        }
    }
    let mut share_persistence = [0.0; 7];
    for k in 0..7 {
        share_persistence[k] = persistence(&share_pairs[k]);
    }
    // Cessation and conversion rates, each authority's shrunk towards England's.
    let rates = |s: &CaseloadSeries, name: &str| -> (Vec<f64>, Vec<f64>) {
        let mut ces = Vec::new();
        let mut conv = Vec::new();
        for p in s.points.iter().filter(|p| p.year < origin) {
            let t = p.year;
            if let (Some(n), Some(next)) = (flows.new_plans(name, t), s.at(t + 1)) {
                ces.push((p.total as f64 + n - next.total as f64) / p.total as f64);
            }
        }
        for t in (origin - 6)..origin {
            if let (Some(n), Some(r)) = (flows.new_plans(name, t), flows.requests(name, t - 1))
                && r > 0.0
            {
                conv.push(n / r);
            }
        }
        if conv.is_empty() {
            for t in (origin - 6)..origin {
                if let (Some(n), Some(r)) = (flows.new_plans(name, t), flows.requests(name, t))
                    && r > 0.0
                {
                    conv.push(n / r);
                }
            }
        }
        (ces, conv)
    };
    let mut ces_by = BTreeMap::new();
    let mut conv_by = BTreeMap::new();
    for (name, s) in &caseload.las {
        let (c, k) = rates(s, name);
        ces_by.insert(name.clone(), c);
        conv_by.insert(name.clone(), k);
    }
    let (e_ces, e_conv) = england.map_or((Vec::new(), Vec::new()), |e| rates(e, "England"));
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let england_cessation = mean(&e_ces);
    let england_conversion = mean(&e_conv);
    Pooled {
        origin,
        england_log_growth,
        persistence: persistence(&pairs),
        share_persistence,
        england_share_change,
        cessation: england_cessation.map_or_else(BTreeMap::new, |p| shrink_means(&ces_by, p)),
        conversion: england_conversion.map_or_else(BTreeMap::new, |p| shrink_means(&conv_by, p)),
        england_cessation,
        england_conversion,
        volatility: volatility_scales(caseload, origin),
    }
}

/// Each authority's volatility scale at `origin`: how far its yearly growth has strayed from
/// England's, beside the typical authority. The measure is the mean square of its excess log
/// growth over England's, every year up to the origin, shrunk by precision (empirical Bayes)
/// towards the mean square over every authority-year, `m`: a mean of `n` squares has sampling
/// variance `2·m²/n` (a square of a normal error), so the weight on the authority's own is
/// `τ² / (τ² + 2·m²/n)`, `τ²` the variance of the authorities' mean squares less their mean
/// sampling variance. The scale is the square root of the shrunk mean square over the median
/// authority's, so a typical authority has 1. Authorities without two Januaries have none (1).
fn volatility_scales(caseload: &Caseload, origin: i32) -> BTreeMap<String, f64> {
    let squares: BTreeMap<&String, Vec<f64>> = caseload
        .las
        .iter()
        .map(|(name, s)| {
            let sq = excess_growths(caseload, s, origin)
                .iter()
                .map(|x| x * x)
                .collect::<Vec<f64>>();
            (name, sq)
        })
        .filter(|(_, sq)| !sq.is_empty())
        .collect();
    // Each vector is non-empty, so twenty of them hold at least twenty squares.
    if squares.len() < 20 {
        return BTreeMap::new();
    }
    let count: usize = squares.values().map(Vec::len).sum();
    let prior = squares.values().flatten().sum::<f64>() / count as f64;
    let means: Vec<(&String, f64, f64)> = squares
        .iter()
        .map(|(name, sq)| {
            let n = sq.len() as f64;
            (*name, sq.iter().sum::<f64>() / n, 2.0 * prior * prior / n)
        })
        .collect();
    let shrunk = shrink_by_precision(&means, prior, 1e-12);
    let mut values: Vec<f64> = shrunk.iter().map(|s| s.1).collect();
    let typical = median(&mut values).unwrap_or(prior);
    if typical <= 0.0 {
        return BTreeMap::new();
    }
    shrunk
        .into_iter()
        .map(|(name, v)| (name.clone(), (v / typical).sqrt()))
        .collect()
}

/// Each authority's mean of `samples` shrunk towards `prior` by precision (empirical Bayes):
/// weight `τ² / (τ² + v)`, `v` the sampling variance of the authority's mean (within-authority
/// variance ÷ years; the median within variance for an authority with one year) and `τ²` the
/// variance of the means less their mean sampling variance (at least 10⁻⁶).
fn shrink_means(samples: &BTreeMap<String, Vec<f64>>, prior: f64) -> BTreeMap<String, f64> {
    let stats: Vec<(&String, f64, Option<f64>, usize)> = samples
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let n = v.len() as f64;
            let m = v.iter().sum::<f64>() / n;
            let var =
                (v.len() >= 2).then(|| v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0));
            (k, m, var, v.len())
        })
        .collect();
    let mut within: Vec<f64> = stats.iter().filter_map(|s| s.2).collect();
    let typical = median(&mut within).unwrap_or(0.0);
    let v_of = |s: &(&String, f64, Option<f64>, usize)| s.2.unwrap_or(typical) / s.3 as f64;
    if stats.len() < 2 {
        return stats.iter().map(|s| (s.0.clone(), s.1)).collect();
    }
    let means: Vec<(&String, f64, f64)> = stats.iter().map(|s| (s.0, s.1, v_of(s))).collect();
    shrink_by_precision(&means, prior, 1e-6)
        .into_iter()
        .map(|(k, v)| (k.clone(), v))
        .collect()
}

/// Each `(key, mean, v)` shrunk towards `prior` with weight `τ² / (τ² + v)`, `v` the sampling
/// variance of that mean and `τ²` the variance of the means less their mean sampling variance
/// (at least `floor`): the empirical Bayes step of [`shrink_means`] and [`volatility_scales`].
fn shrink_by_precision<'k>(
    means: &[(&'k String, f64, f64)],
    prior: f64,
    floor: f64,
) -> Vec<(&'k String, f64)> {
    let n = means.len() as f64;
    let grand = means.iter().map(|m| m.1).sum::<f64>() / n;
    let var_means = means.iter().map(|m| (m.1 - grand).powi(2)).sum::<f64>() / n;
    let mean_v = means.iter().map(|m| m.2).sum::<f64>() / n;
    let tau2 = (var_means - mean_v).max(floor);
    means
        .iter()
        .map(|&(key, mean, v)| {
            let w = tau2 / (tau2 + v);
            (key, w * mean + (1.0 - w) * prior)
        })
        .collect()
}

/// The 10th–90th percentile range ÷ 2.563: a standard deviation robust to outliers.
fn spread(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    (quantile(&v, 0.9) - quantile(&v, 0.1)) / RANGE80
}

/// Quantile `q` of sorted values (linear interpolation).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = q * (sorted.len() - 1) as f64;
    let lo = i.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo as f64)
}

/// Median, `None` when empty.
pub(crate) fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(quantile(v, 0.5))
}

/// One back-cast (an earlier origin to a later January): its horizon, the log errors of total
/// plans, and each group's forecast and actual log change of share, one entry an authority.
type BackCast = (u32, Vec<f64>, [Vec<(f64, f64)>; 7]);

/// The measured uncertainty at one origin, from the model's errors at earlier origins.
#[derive(Clone, Debug)]
struct Spreads {
    /// Log error of total plans from a yearly shock that is kept (its variance grows with the
    /// horizon).
    walk: f64,
    /// Log error of total plans a year of horizon (growth that differs and persists).
    growth: f64,
    /// Log error of each group's share a year of horizon.
    shares: [f64; 7],
    /// How much of each group's forecast share change came true at earlier origins (0..=1).
    share_weight: [f64; 7],
}

impl Spreads {
    /// Measures the spreads from back-cast `pairs` (horizon, log errors of the total, and each
    /// group's forecast and actual log change of share), `fallback` the spread a year when
    /// there is none.
    fn measure(pairs: &[BackCast], fallback: f64) -> Spreads {
        let enough = |n: usize| n >= 20;
        let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
        // Total: the half-width that held 80% of the errors, as a standard deviation, split
        // into a random walk and a persistent growth difference, `w_h² = walk²·h + growth²·h²`.
        let squares: Vec<(f64, f64)> = pairs
            .iter()
            .filter(|(_, t, _)| enough(t.len()))
            .map(|(h, t, _)| (*h as f64, abs_width(t).powi(2)))
            .collect();
        let (walk, growth) = match variance_components(&squares) {
            Some((a2, b2)) => (a2.sqrt(), b2.sqrt()),
            // No back-cast: `fallback` is a one-year spread, split like one horizon.
            None => (fallback / 2f64.sqrt(), fallback / 2f64.sqrt()),
        };
        // Shares: the weight on the forecast change is the slope of the actual change on the
        // forecast change (through zero, clamped to 0..=1); the spread is that of the weighted
        // forecast's errors, a year of horizon.
        let mut shares = [fallback; 7];
        let mut share_weight = [1.0; 7];
        for k in 0..7 {
            let all: Vec<&(f64, f64)> = pairs.iter().flat_map(|p| &p.2[k]).collect();
            let sxx: f64 = all.iter().map(|(x, _)| x * x).sum();
            if enough(all.len()) && sxx > 0.0 {
                let sxy: f64 = all.iter().map(|(x, y)| x * y).sum();
                share_weight[k] = (sxy / sxx).clamp(0.0, 1.0);
            }
            let w = share_weight[k];
            let per_year: Vec<f64> = pairs
                .iter()
                .filter(|p| enough(p.2[k].len()))
                .map(|(h, _, s)| {
                    let e: Vec<f64> = s[k].iter().map(|(x, y)| w * x - y).collect();
                    abs_width(&e) / *h as f64
                })
                .collect();
            if let Some(m) = mean(&per_year) {
                shares[k] = m;
            }
        }
        Spreads {
            walk,
            growth,
            shares,
            share_weight,
        }
    }
}

/// The 80th percentile of the absolute errors ÷ 1.2816: the standard deviation of a normal
/// whose central 80% interval would have held 80% of them (a common bias widens it).
fn abs_width(errors: &[f64]) -> f64 {
    let mut a: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
    a.sort_by(|x, y| x.total_cmp(y));
    quantile(&a, 0.8) / Z80
}

/// Splits squared widths `v` at horizons `h`, points `(h, v)`, into `v = a·h + b·h²` (`a` the
/// random walk's variance a year, `b` the persistent growth's) by least squares with
/// `a, b ≥ 0`. With one horizon the data cannot tell the parts apart: they are taken as equal
/// at that horizon (`a = b`). `None` with no points.
fn variance_components(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let first = points.first()?.0;
    // Least squares through zero on one regressor `x(h)`.
    let through_zero = |x: &dyn Fn(f64) -> f64| {
        let sxv: f64 = points.iter().map(|&(h, v)| x(h) * v).sum();
        let sxx: f64 = points.iter().map(|&(h, _)| x(h) * x(h)).sum();
        (sxv / sxx).max(0.0)
    };
    if points.iter().all(|p| p.0 == first) {
        let equal = through_zero(&|h| h + h * h);
        return Some((equal, equal));
    }
    // The normal equations of v = a·h + b·h².
    let (mut s11, mut s12, mut s22, mut s1v, mut s2v) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(h, v) in points {
        let (x1, x2) = (h, h * h);
        s11 += x1 * x1;
        s12 += x1 * x2;
        s22 += x2 * x2;
        s1v += x1 * v;
        s2v += x2 * v;
    }
    let det = s11 * s22 - s12 * s12;
    let a = (s1v * s22 - s2v * s12) / det;
    let b = (s2v * s11 - s1v * s12) / det;
    Some(if a < 0.0 {
        (0.0, through_zero(&|h| h * h))
    } else if b < 0.0 {
        (through_zero(&|h| h), 0.0)
    } else {
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinkage_pulls_noisy_means_towards_the_prior() {
        let mut s = BTreeMap::new();
        s.insert("steady".to_string(), vec![0.10, 0.10, 0.10, 0.10]);
        s.insert("noisy".to_string(), vec![0.0, 0.4]);
        s.insert("mid".to_string(), vec![0.05, 0.07, 0.06]);
        let out = shrink_means(&s, 0.05);
        // The noisy authority moves further towards the prior than the steady one.
        let moved = |k: &str, own: f64| (out[k] - own).abs() / (own - 0.05).abs();
        assert!(moved("noisy", 0.2) > moved("steady", 0.10));
        for v in out.values() {
            assert!((0.0..=0.2).contains(v));
        }
    }

    #[test]
    fn the_band_widens_with_the_horizon_and_holds_the_median() {
        let m = DemandModel {
            la: "A".into(),
            origin: 2022,
            start_total: 1000.0,
            start_shares: [0.4, 0.05, 0.2, 0.07, 0.01, 0.17, 0.1],
            not_recorded_share: 0.0,
            england_log_growth: 0.1,
            persistence: 0.3,
            own_excess: 0.0,
            flow: None,
            log_sd: 0.04,
            walk_sd: 0.0,
            share_log_change: [0.0; 7],
            share_log_sd: [0.1; 7],
            share_weight: [1.0; 7],
            volatility_scale: 1.0,
        };
        let q1 = m.total_quantiles(1);
        let q3 = m.total_quantiles(3);
        assert!((q1[1] - 1000.0 * 0.1f64.exp()).abs() < 1e-9);
        assert!(q3[2] / q3[0] > q1[2] / q1[0]);
        let s = m.shares(2, &DemandDraw::CENTRAL);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Half of many draws fall below the median.
        let mut rng = Rng(7);
        let below = (0..4000)
            .filter(|_| m.total_under(3, &m.draw(&mut rng)) < q3[1])
            .count();
        assert!((below as f64 / 4000.0 - 0.5).abs() < 0.03, "{below}");
    }

    /// A caseload of `n` authorities over 2019–2025: England grows 10% a year; authority `i`
    /// grows 10% a year with a yearly excess of ±`wobble(i)` (alternating signs).
    fn caseload_with(n: usize, wobble: impl Fn(usize) -> f64) -> Caseload {
        let series = |name: &str, totals: Vec<f64>| CaseloadSeries {
            la_name: name.to_string(),
            points: totals
                .iter()
                .enumerate()
                .map(|(k, t)| crate::io::stats::CaseloadPoint {
                    year: 2019 + k as i32,
                    total: t.round() as u64,
                    groups: Some([t.round() as u64, 0, 0, 0, 0, 0, 0]),
                    not_recorded: 0,
                    la_code: String::new(),
                    row: 0,
                })
                .collect(),
        };
        let path = |start: f64, excess: f64| -> Vec<f64> {
            (0..7)
                .scan(start, |t, k| {
                    let now = *t;
                    let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
                    *t *= (0.1 + sign * excess).exp();
                    Some(now)
                })
                .collect()
        };
        let las = (0..n)
            .map(|i| {
                let name = format!("LA{i:02}");
                let s = series(&name, path(100_000.0, wobble(i)));
                (name, s)
            })
            .collect();
        Caseload {
            path: "caseload.csv".into(),
            england: Some(series("England", path(1e7, 0.0))),
            las,
        }
    }

    #[test]
    fn an_authority_whose_growth_strays_from_england_s_gets_a_wider_band() {
        // Thirty authorities stray by 2% a year, ten by 8%.
        let caseload = caseload_with(40, |i| if i < 30 { 0.02 } else { 0.08 });
        let scales = volatility_scales(&caseload, 2024);
        let calm = scales["LA00"];
        let wild = scales["LA35"];
        // The typical (median) authority has scale 1.
        assert!((calm - 1.0).abs() < 1e-3, "{calm}");
        // Shrunk towards the mean square, but still well above the calm ones.
        assert!(wild > 2.0 && wild < 4.0, "{wild}");
        // With only one year of history each, the authorities' own squares count for less.
        let early = volatility_scales(&caseload, 2020);
        assert!(early["LA35"] < wild, "{} vs {wild}", early["LA35"]);
        // An authority with no history to measure has none (scale 1 in the model).
        assert!(volatility_scales(&caseload, 2019).is_empty());
    }

    #[test]
    fn a_fitted_model_s_widths_are_the_measured_ones_times_its_scale() {
        let caseload = caseload_with(40, |i| if i < 30 { 0.02 } else { 0.08 });
        let flows = Flows::default();
        let mut fitter = DemandFitter::new(&caseload, &flows);
        let calm = fitter.fit_one("LA00", 2024).expect("model");
        let wild = fitter.fit_one("LA35", 2024).expect("model");
        assert!(wild.volatility_scale > 2.0);
        let width = |m: &DemandModel| m.walk_sd.hypot(m.log_sd);
        assert!(width(&calm) > 0.0, "{} {}", calm.walk_sd, calm.log_sd);
        let ratio = width(&wild) / width(&calm);
        let expected = wild.volatility_scale / calm.volatility_scale;
        assert!((ratio - expected).abs() < 1e-9, "{ratio} vs {expected}");
        // The band a planner sees is the wider one.
        let (q_calm, q_wild) = (calm.total_quantiles(2), wild.total_quantiles(2));
        assert!(q_wild[2] / q_wild[0] > q_calm[2] / q_calm[0]);
        assert!(
            wild.describe()
                .contains(&format!("{:.2}", wild.volatility_scale))
        );
    }

    #[test]
    fn widths_split_into_a_random_walk_and_a_persistent_growth() {
        // Squared widths exactly 0.0004·h + 0.0009·h².
        let pts: Vec<(f64, f64)> = [1.0f64, 2.0, 3.0, 1.0]
            .iter()
            .map(|h| (*h, 0.0004 * h + 0.0009 * h * h))
            .collect();
        let (a, b) = variance_components(&pts).unwrap();
        assert!((a - 0.0004).abs() < 1e-12 && (b - 0.0009).abs() < 1e-12);
        // One horizon: equal parts at that horizon (2a + 4b = 0.012 with a = b).
        let (a, b) = variance_components(&[(2.0, 0.012), (2.0, 0.012)]).unwrap();
        assert!((a - 0.002).abs() < 1e-12 && a == b);
        assert!(variance_components(&[]).is_none());
        // Variance growing less than linearly is all walk; a negative walk is refitted as
        // growth alone.
        let (a, b) = variance_components(&[(1.0, 0.02), (4.0, 0.03)]).unwrap();
        assert!(a > 0.0 && b == 0.0);
        let (a, b) = variance_components(&[(1.0, 0.001), (4.0, 0.05)]).unwrap();
        assert!(a == 0.0 && b > 0.0);
    }

    #[test]
    fn the_share_weight_is_the_part_of_forecast_changes_that_came_true() {
        // 40 authorities whose shares changed by half the forecast change, in group 3 only;
        // group 0's actual changes run against the forecast (weight clamped to 0).
        let mut share: [Vec<(f64, f64)>; 7] = Default::default();
        for i in 0..40 {
            let x = 0.01 * (i as f64 - 20.0);
            share[3].push((x, 0.5 * x));
            share[0].push((x, -x));
        }
        let errors: Vec<f64> = (0..40).map(|i| 0.001 * (i as f64 - 20.0)).collect();
        let sp = Spreads::measure(&[(1, errors, share)], 0.05);
        assert!((sp.share_weight[3] - 0.5).abs() < 1e-12);
        assert_eq!(sp.share_weight[0], 0.0);
        // Too few pairs: the full trend and the fallback spread.
        assert_eq!(sp.share_weight[1], 1.0);
        assert_eq!(sp.shares[1], 0.05);
        // Errors of the weighted forecast in group 3 are zero.
        assert!(sp.shares[3].abs() < 1e-12);
        // One horizon: the walk and the growth parts are equal there.
        assert!(sp.growth > 0.0);
        assert!((sp.walk - sp.growth).abs() < 1e-12);
    }
}
