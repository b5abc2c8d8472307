//! Place sufficiency planning: projections of the cohort, what-if scenarios, Monte Carlo draws
//! in parallel, metrics per scenario and year with uncertainty bands, and the report.

pub mod projection;
pub mod report;
pub mod results;
pub mod run;
pub mod scenario;

pub use projection::{ENGLAND_GROWTH_2019_2025, Growth};
pub use results::{PlanResults, Quantiles, ScenarioResult, YearMetrics};
pub use run::{PlanOptions, run_plan};
pub use scenario::{Change, Scenario, load_scenarios, read_scenarios};
