//! Place sufficiency planning: projections of the cohort, what-if scenarios, Monte Carlo draws
//! in parallel, metrics per scenario and year with uncertainty bands, and the report.

pub mod ages;
pub mod backtest;
pub mod calibrate;
pub mod demand;
pub mod headline;
mod metrics;
pub mod projection;
pub mod provision;
pub mod reform;
pub mod results;
pub mod run;
pub mod scenario;
pub mod scenario_file;

pub use calibrate::{Calibration, calibrate};

pub use projection::{ENGLAND_GROWTH_2019_2025, Growth};
pub use provision::{ProvisionGrowth, ProvisionPath};
pub use results::{
    Headline, NationalRecord, PlacesToAdd, PlanResults, Quantiles, ScenarioResult, TrackRecord,
    YearMetrics,
};
pub use run::{DEFAULT_FALLBACK_FEE, PlanOptions, run_plan};
pub use scenario::{Change, Scenario, load_scenarios, read_scenarios, scenarios_for};
