//! Calibrating a projection to an authority's published caseload history (DfE SEN2, plans by
//! type of setting each January).
//!
//! **Growth.** For every authority, an ordinary least-squares line through ln(plans) against
//! the year, on the Januaries up to the base year, gives its own trend `b` (log growth a year)
//! and that slope's standard error `s`. Small authorities' trends are noisy, so each is shrunk
//! towards England's trend `b₀` by precision (empirical Bayes): with `τ²` the variance of the
//! authorities' trends less their mean `s²` (at least 10⁻⁵), the weight on the authority's own
//! trend is `w = τ² / (τ² + s²)` and the growth used is `exp(w·b + (1 − w)·b₀) − 1`. An authority
//! with only two Januaries has no `s`; it takes the median `s²` of the others.
//!
//! **Movement between groups.** For each [`PlacementGroup`], an OLS line through the group's
//! share of plans against the year gives its yearly net change in share (percentage points a
//! year): the net effect of plans moving between types of setting, new plans and plans ending.
//! Each authority's change is shrunk towards England's in the same way as the growth.
//! A projection `h` years on wants the base shares plus `h` times these changes (clamped at
//! zero and renormalised); each year's new plans are shared over the groups to close the gap
//! between the wanted mix and the mix of the children already there.

use crate::diag::{Diagnostic, Diagnostics};
use crate::io::stats::{Caseload, CaseloadSeries, PlacementGroup, derived_error};
use serde::Serialize;

/// The growth rates a calibration accepts (a guard against corrupt history).
pub const GROWTH_RANGE: (f64, f64) = (-0.5, 1.0);

/// What an authority's history says about its caseload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    pub la: String,
    /// First and last Januaries used.
    pub first_year: i32,
    pub last_year: i32,
    /// Annual growth used (0.08 = 8%).
    pub growth: f64,
    /// The authority's own log-linear trend and England's, as annual rates.
    pub la_trend: f64,
    pub england_trend: f64,
    /// Weight on the authority's own trend.
    pub weight: f64,
    /// Yearly change of each group's share of plans, [`PlacementGroup::ALL`] order.
    pub share_change: [f64; 7],
    /// Shares of plans in the last January used.
    pub shares: [f64; 7],
}

/// Each yearly change of share that shows at one decimal of a point, e.g. `special-academy
/// +0.4 pp`, in [`PlacementGroup::ALL`] order.
pub(crate) fn share_changes_in_words(change: &[f64; 7]) -> Vec<String> {
    PlacementGroup::ALL
        .iter()
        .zip(change)
        .filter(|(_, c)| c.abs() >= 0.0005)
        .map(|(g, c)| format!("{} {:+.1} pp", g.key(), c * 100.0))
        .collect()
}

impl Calibration {
    /// The estimator and its figures in words, for the report's assumptions.
    pub fn describe(&self) -> String {
        let changes = share_changes_in_words(&self.share_change);
        format!(
            "Calibrated to {}'s published caseload, January {}–{} (DfE SEN2): its own log-linear trend {:.1}% a year, England's {:.1}%, shrunk by precision (weight {:.2} on its own) to {:.1}% a year; yearly change in the share of plans by type of setting (least squares, shrunk towards England's the same way): {}.",
            self.la,
            self.first_year,
            self.last_year,
            self.la_trend * 100.0,
            self.england_trend * 100.0,
            self.weight,
            self.growth * 100.0,
            if changes.is_empty() {
                "none".to_string()
            } else {
                changes.join(", ")
            }
        )
    }
}

/// `base` plus `years` times `change`, clamped at zero and renormalised.
pub fn shares_after(base: &[f64; 7], change: &[f64; 7], years: u32) -> [f64; 7] {
    let mut s = [0.0; 7];
    for k in 0..7 {
        s[k] = (base[k] + change[k] * years as f64).max(0.0);
    }
    let total: f64 = s.iter().sum();
    if total > 0.0 {
        for v in &mut s {
            *v /= total;
        }
        s
    } else {
        *base
    }
}

/// Least-squares slope of `y` on `x` and its standard error (`None` for fewer than three
/// points).
fn ols(points: &[(f64, f64)]) -> Option<(f64, Option<f64>)> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = sxy / sxx;
    let se = (points.len() >= 3).then(|| {
        let a = my - b * mx;
        let ssr: f64 = points.iter().map(|p| (p.1 - a - b * p.0).powi(2)).sum();
        (ssr / (n - 2.0) / sxx).sqrt()
    });
    Some((b, se))
}

/// The log-linear trend of a series on Januaries up to `up_to`: (log slope, standard error).
pub fn log_trend(series: &CaseloadSeries, up_to: i32) -> Option<(f64, Option<f64>)> {
    let points: Vec<(f64, f64)> = series
        .points
        .iter()
        .filter(|p| p.year <= up_to && p.total > 0)
        .map(|p| (p.year as f64, (p.total as f64).ln()))
        .collect();
    ols(&points)
}

/// Calibrates `la` (or England) on the Januaries up to `up_to`. Errors are located at the row
/// of the series they come from.
pub fn calibrate(caseload: &Caseload, la: &str, up_to: i32) -> Result<Calibration, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(series) = caseload.find(la) else {
        diags.push(caseload.unknown_la(la));
        return Err(diags);
    };
    let used: Vec<_> = series.points.iter().filter(|p| p.year <= up_to).collect();
    let (Some(first), Some(last)) = (used.first(), used.last()) else {
        diags.push(no_history(caseload, la, up_to));
        return Err(diags);
    };
    let Some((own, own_se)) = log_trend(series, up_to) else {
        diags.push(no_history(caseload, la, up_to));
        return Err(diags);
    };
    let england = caseload
        .england
        .as_ref()
        .and_then(|e| log_trend(e, up_to))
        .map(|t| t.0);
    // Between-authority variance of the trends, less their sampling variance.
    let fits: Vec<(f64, f64)> = caseload
        .las
        .values()
        .filter_map(|s| log_trend(s, up_to))
        .filter_map(|(b, se)| se.map(|se| (b, se * se)))
        .collect();
    let (weight, growth_log) = match england {
        Some(b0) if !fits.is_empty() && series.la_name != "England" => {
            let w = weight_of(own_se, &fits);
            (w, w * own + (1.0 - w) * b0)
        }
        _ => (1.0, own),
    };
    let growth = growth_log.exp() - 1.0;
    if !growth.is_finite() || growth < GROWTH_RANGE.0 || growth > GROWTH_RANGE.1 {
        diags.push(derived_error(
            caseload,
            last,
            "ehcplans",
            format!(
                "{}'s caseload implies growth of {:.1}% a year (January {} to {})",
                series.la_name,
                growth * 100.0,
                first.year,
                last.year
            ),
            "a history implying growth between -50% and +100% a year",
        ));
        return Err(diags);
    }
    // Share trends, each shrunk towards England's as the growth is.
    let own_changes = share_trends(series, up_to);
    let england_changes = caseload.england.as_ref().map(|e| share_trends(e, up_to));
    let others: Vec<[(f64, Option<f64>); 7]> = caseload
        .las
        .values()
        .map(|s| share_trends(s, up_to))
        .collect();
    let mut share_change = [0.0; 7];
    for k in 0..7 {
        let (b, se) = own_changes[k];
        share_change[k] = match &england_changes {
            Some(e) if series.la_name != "England" => {
                let fits: Vec<(f64, f64)> = others
                    .iter()
                    .filter_map(|o| o[k].1.map(|se| (o[k].0, se * se)))
                    .collect();
                shrink(b, se, e[k].0, &fits)
            }
            _ => b,
        };
    }
    let with_groups: Vec<(i32, [f64; 7])> = used
        .iter()
        .filter_map(|p| p.groups.map(|g| (p.year, partition_shares(&g, p.total))))
        .collect();
    let shares = with_groups.last().map(|x| x.1).unwrap_or([0.0; 7]);
    Ok(Calibration {
        la: series.la_name.clone(),
        first_year: first.year,
        last_year: last.year,
        growth,
        la_trend: own.exp() - 1.0,
        england_trend: england.unwrap_or(own).exp() - 1.0,
        weight,
        share_change,
        shares,
    })
}

/// The precision weight on an authority's own slope with standard error `se`, given every
/// authority's (slope, squared standard error): `τ² / (τ² + se²)`, `τ²` the variance of the
/// slopes less their mean squared error (at least 10⁻⁵); without `se`, the median of the others.
fn weight_of(se: Option<f64>, fits: &[(f64, f64)]) -> f64 {
    if fits.is_empty() {
        return 1.0;
    }
    let n = fits.len() as f64;
    let mean = fits.iter().map(|f| f.0).sum::<f64>() / n;
    let var = fits.iter().map(|f| (f.0 - mean).powi(2)).sum::<f64>() / n;
    let mean_s2 = fits.iter().map(|f| f.1).sum::<f64>() / n;
    let tau2 = (var - mean_s2).max(1e-5);
    let s2 = match se {
        Some(se) => se * se,
        None => {
            let mut v: Vec<f64> = fits.iter().map(|f| f.1).collect();
            v.sort_by(|a, b| a.total_cmp(b));
            v[v.len() / 2]
        }
    };
    tau2 / (tau2 + s2)
}

/// `own` shrunk towards `prior` by [`weight_of`].
fn shrink(own: f64, se: Option<f64>, prior: f64, fits: &[(f64, f64)]) -> f64 {
    let w = weight_of(se, fits);
    w * own + (1.0 - w) * prior
}

/// Shares of plans per group.
fn partition_shares(g: &[u64; 7], total: u64) -> [f64; 7] {
    let mut s = [0.0; 7];
    for k in 0..7 {
        s[k] = g[k] as f64 / total as f64;
    }
    s
}

/// Least-squares trend of each group's share on the Januaries up to `up_to` (zero without
/// two points).
fn share_trends(series: &CaseloadSeries, up_to: i32) -> [(f64, Option<f64>); 7] {
    let points: Vec<(f64, [f64; 7])> = series
        .points
        .iter()
        .filter(|p| p.year <= up_to)
        .filter_map(|p| {
            p.groups
                .map(|g| (p.year as f64, partition_shares(&g, p.total)))
        })
        .collect();
    let mut out = [(0.0, None); 7];
    for (k, o) in out.iter_mut().enumerate() {
        let pts: Vec<(f64, f64)> = points.iter().map(|(y, s)| (*y, s[k])).collect();
        if let Some(fit) = ols(&pts) {
            *o = fit;
        }
    }
    out
}

fn no_history(caseload: &Caseload, la: &str, up_to: i32) -> Diagnostic {
    Diagnostic::file(
        crate::diag::Code::InvalidValue,
        &caseload.path,
        format!("fewer than two Januaries of caseload for `{la}` up to {up_to}"),
    )
    .field("time_period")
    .expected("at least two years of figures for the authority")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_recovers_a_line_and_its_error() {
        let (b, se) = ols(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
        assert!((b - 2.0).abs() < 1e-12);
        assert!(se.unwrap() < 1e-9);
        assert!(ols(&[(1.0, 1.0)]).is_none());
        assert!(ols(&[(1.0, 1.0), (1.0, 2.0)]).is_none());
    }

    #[test]
    fn shares_move_by_the_change_and_stay_a_mix() {
        let base = [0.5, 0.1, 0.2, 0.05, 0.0, 0.1, 0.05];
        let change = [-0.01, 0.0, 0.0, 0.01, -0.01, 0.0, 0.0];
        let s = shares_after(&base, &change, 3);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(s[3] > base[3] && s[0] < base[0]);
        assert_eq!(s[4], 0.0);
    }
}
