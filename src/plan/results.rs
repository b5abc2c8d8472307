//! Results of a sufficiency plan: for each scenario and each projected year, every metric as
//! percentiles over the Monte Carlo draws. Plain data, serialisable, rendered by `render::plan`.

use crate::model::SettingKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Percentiles of one metric over the draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Mean.
    pub mean: f64,
}

impl Quantiles {
    /// Percentiles of `values` (nearest-rank on the sorted values; empty gives zeros).
    pub fn of(values: &mut [f64]) -> Quantiles {
        if values.is_empty() {
            return Quantiles::default();
        }
        values.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| {
            let rank = (q * values.len() as f64).ceil().max(1.0) as usize;
            values[rank.min(values.len()) - 1]
        };
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Quantiles {
            p10: at(0.10),
            p50: at(0.50),
            p90: at(0.90),
            mean,
        }
    }
}

/// All metrics of one scenario in one projected year.
///
/// Metric names are dotted paths, e.g. `unplaced`, `unplaced.need.ASD`,
/// `unplaced.phase.secondary`, `unplaced.locality.Ashcombe`, `cost.total`, `cost.independent`,
/// `share.mainstream`, `share.resource-base`, `share.special`, `share.independent`,
/// `travel.mean`, `travel.p90`, `travel.beyond-guidance`, `children`, `in-round`,
/// `places-needed.special`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct YearMetrics {
    /// Calendar year in which the academic year starts (September).
    pub year: i32,
    /// Each metric over the draws, by name.
    pub metrics: BTreeMap<String, Quantiles>,
}

/// One scenario's projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: String,
    /// What it changes, in words.
    pub description: String,
    /// Where a resource-base programme put its bases (empty without one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<crate::plan::reform::PlacedBase>,
    /// The bases a programme of "an inclusion base in every secondary school" opened (empty
    /// without one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusion_bases: Vec<crate::plan::inclusion_bases::AddedBase>,
    /// The base year first, then each projected year.
    pub years: Vec<YearMetrics>,
}

/// A setting where the bottleneck analysis asks for places.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlacesToAdd {
    /// Setting id and name.
    pub setting: String,
    /// The setting's name.
    pub setting_name: String,
    /// The setting's kind, when the area knows it.
    pub kind: Option<SettingKind>,
    /// The year in which the median draw asks for the most places there, and how many.
    pub year: i32,
    /// Places asked for that year (median over draws).
    pub places: f64,
    /// In that year, the unplaced children a place there would place, by primary need and by
    /// phase (medians over draws).
    pub by_need: BTreeMap<String, f64>,
    /// The unplaced children a place there would place, by phase.
    pub by_phase: BTreeMap<String, f64>,
}

/// One scenario's headline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// The scenario.
    pub scenario: String,
    /// The last projected year.
    pub year: i32,
    /// Children with plans in that year.
    pub plans: Quantiles,
    /// Children with plans left without a suitable place under the rules (the signal).
    pub unplaced: Quantiles,
    /// Fallback placements (independent or out-of-area special places) and their annual cost.
    pub fallback: Quantiles,
    /// The annual cost of the fallback placements, pounds.
    pub fallback_cost: Quantiles,
    /// The high-needs cost, fallback placements included.
    pub total_cost: Quantiles,
    /// Places to add over every binding set, in that year.
    pub places_needed: Quantiles,
    /// Settings where places would place unplaced children, the most places first (ties:
    /// setting id); medians over draws, settings whose median is zero left out.
    pub places_to_add: Vec<PlacesToAdd>,
}

/// A whole plan: every scenario (the baseline first), every year.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanResults {
    /// The area's name.
    pub area: String,
    /// The base year (the January the projection starts from).
    pub base_year: i32,
    /// Years projected after the base year.
    pub years: u32,
    /// Monte Carlo draws per scenario.
    pub draws: u32,
    /// The seed all draws derive from.
    pub seed: u64,
    /// What a planner acts on, per scenario (baseline first): unmet demand under the rules,
    /// fallback placements and their cost in the last year, and where to add places.
    #[serde(default)]
    pub headline: Vec<Headline>,
    /// Each scenario's metrics, baseline first.
    pub scenarios: Vec<ScenarioResult>,
    /// Assumptions behind the projection, in words, for the report.
    pub assumptions: Vec<String>,
    /// The inclusion bases each SCAP type of provision is under the 2026 reform (`sen-unit`,
    /// `resourced-provision`), shown beside it in `scap.csv`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inclusion_bases: BTreeMap<String, Vec<crate::model::InclusionBase>>,
    /// How the demand model did for this authority on published history (a plan run with the
    /// published statistics); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub track_record: Vec<TrackRecord>,
    /// How the same model did across every authority, from each origin with an earlier one to
    /// measure its interval (a plan run with the published statistics); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub national_record: Vec<NationalRecord>,
}

/// The demand model's back-test across every authority at one origin and horizon: the
/// coverage of its 80% range and its median error beside England's growth applied.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NationalRecord {
    /// The January the model was fitted up to.
    pub origin: i32,
    /// Years after the origin.
    pub horizon: u32,
    /// Authorities compared.
    pub authorities: usize,
    /// Share of published totals inside the model's 80% range, %.
    pub coverage_pct: f64,
    /// Median |forecast − published| ÷ published, % (the model's median).
    pub median_error_pct: f64,
    /// The same for England's growth up to the origin applied to each authority.
    pub england_error_pct: f64,
}

/// The demand model against one published January for the plan's authority: fitted on the
/// history up to `origin` only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrackRecord {
    /// The January the model was fitted up to.
    pub origin: i32,
    /// The January forecast.
    pub year: i32,
    /// Published total plans in January `year`.
    pub published: f64,
    /// The model's 10th percentile.
    pub p10: f64,
    /// The model's median.
    pub p50: f64,
    /// The model's 90th percentile.
    pub p90: f64,
    /// England's log-linear growth up to the origin applied to the authority's origin count.
    pub england: f64,
}
