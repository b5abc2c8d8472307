//! Place sufficiency planning: projections of the cohort, what-if scenarios, Monte Carlo draws
//! in parallel, metrics per scenario and year with uncertainty bands, and the report.

pub mod ages;
pub mod backtest;
pub mod calibrate;
pub mod demand;
pub mod headline;
pub mod inclusion_bases;
mod metrics;
pub mod projection;
pub mod provision;
pub mod reform;
pub mod results;
pub mod run;
pub mod scenario;
pub mod scenario_file;

pub use calibrate::calibrate;

pub use projection::Growth;
pub use provision::ProvisionGrowth;
pub use results::{NationalRecord, PlanResults, Quantiles, TrackRecord};
pub use run::{DEFAULT_FALLBACK_FEE, PlanOptions, run_plan_cancellable};
pub use scenario::{Scenario, scenarios_for};
// For the crate's tests and benchmarks.
#[cfg(feature = "testing")]
pub use scenario::{Change, load_scenarios};
