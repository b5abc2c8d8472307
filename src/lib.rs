//! # placewise
//!
//! Matches children and young people with special educational needs and disabilities (SEND) in
//! England to school provision. The engine reads declarative need profiles and local provision
//! capacity, applies declarative rules (suitability, scoring, funding bands, statutory tests),
//! and produces explained, capacity-aware tailored lists of settings, area-wide placements and
//! place-sufficiency plans. Everything is advisory: a person decides.
//!
//! ## The API in one page
//!
//! - [`Session`] — an area and its compiled rules, owned (`Arc`s inside), cheap to clone and
//!   `Send + Sync`. Build one from a folder ([`Session::load`], [`Session::open`]) or from rows
//!   held in memory ([`Session::from_sources`]).
//! - Questions to a session: [`Session::list`] (a child's [`TailoredList`]),
//!   [`Session::list_for_profile`] (the list of a need profile that is not in the area),
//!   [`Session::explain`] (every rule on one child and setting, as an [`Explanation`]),
//!   [`Session::place`] (an area-wide [`PlacementReport`]) and [`Session::plan`]
//!   (a sufficiency plan, [`PlanResults`]).
//! - Ids are typed ([`ChildId`], [`SettingId`]); an unknown id is a [`LookupError`] with a
//!   did-you-mean, never a panic.
//! - Every bad input is a [`Diagnostics`]: each [`Diagnostic`] names where ([`Location`]: file,
//!   line and column, or row and column), the field, what was expected and what was found.
//!
//! - [`render`] turns the outputs, which are plain data (`Serialize + Deserialize`), into the
//!   text and CSV the command line prints.
//!
//! ```
//! use placewise::{ChildId, ListOptions, Session};
//!
//! let session = Session::open("fixtures/demo".as_ref()).expect("a valid area");
//! let list = session.list(&ChildId::from("C0001"), ListOptions::new(5).unwrap()).expect("a known child");
//! for entry in &list.entries {
//!     println!("{} {} {:.1}", entry.rank, entry.setting, entry.score);
//! }
//! assert!(!list.entries.is_empty());
//! ```
//!
//! ## Features
//!
//! - `cli` (default): the `placewise` command line.
//! - `serve` (default): `placewise serve`, the web app and HTTP API.
//! - `synth` (default): building areas from the school register and the published statistics.
//! - `testing`: exposes the internal modules as `placewise::testing::*` and the test helpers
//!   (for this crate's own tests, benchmarks and developer tools); not a stable interface.
#![warn(missing_docs)]
#![warn(unnameable_types)]

// The crate's modules. Only `diag`, `model` and `render` are public; everything else an
// embedder needs is in the flat `pub use` list below. With the `testing` feature the others
// are reachable (and hidden from the documentation) through `testing`.
#[cfg(feature = "synth")]
#[cfg_attr(feature = "testing", doc(hidden))]
mod atlas;
mod cancel;
#[cfg_attr(feature = "testing", doc(hidden))]
mod engine;
#[cfg_attr(feature = "testing", doc(hidden))]
mod explain;
#[cfg_attr(feature = "testing", doc(hidden))]
mod io;
#[cfg_attr(feature = "testing", doc(hidden))]
mod lists;
#[cfg_attr(feature = "testing", doc(hidden))]
mod placement;
#[cfg_attr(feature = "testing", doc(hidden))]
mod plan;
#[cfg_attr(feature = "testing", doc(hidden))]
mod rng;
#[cfg_attr(feature = "testing", doc(hidden))]
mod rules;
#[cfg(feature = "serve")]
#[cfg_attr(feature = "testing", doc(hidden))]
mod serve;
#[cfg_attr(feature = "testing", doc(hidden))]
mod session;
#[cfg_attr(feature = "testing", doc(hidden))]
mod solve;
#[cfg(feature = "synth")]
#[cfg_attr(feature = "testing", doc(hidden))]
mod synth;
/// Small areas, children and settings for tests and benchmarks (the `testing` feature).
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testkit;

/// The internal modules, reachable for this crate's own tests, benchmarks and developer
/// tools with the `testing` feature; not a stable interface.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing {
    #[cfg(feature = "synth")]
    pub mod atlas {
        pub use crate::atlas::*;
    }
    pub mod engine {
        pub use crate::engine::*;
    }
    pub mod explain {
        pub use crate::explain::*;
    }
    pub mod io {
        pub use crate::io::*;
    }
    pub mod lists {
        pub use crate::lists::*;
    }
    pub mod placement {
        pub use crate::placement::*;
    }
    pub mod plan {
        pub use crate::plan::*;
    }
    pub mod rng {
        pub use crate::rng::*;
    }
    pub mod rules {
        pub use crate::rules::*;
    }
    #[cfg(feature = "serve")]
    pub mod serve {
        pub use crate::serve::*;
    }
    pub mod session {
        pub use crate::session::*;
    }
    pub mod solve {
        pub use crate::solve::*;
    }
    #[cfg(feature = "synth")]
    pub mod synth {
        pub use crate::synth::*;
    }
}

pub mod diag;
pub mod model;
pub mod render;

#[cfg(feature = "cli")]
mod cli;

/// Runs the `placewise` command line on the process's arguments and returns its exit code.
#[cfg(feature = "cli")]
pub fn run_cli() -> std::process::ExitCode {
    cli::run()
}

#[cfg(feature = "synth")]
pub use atlas::{
    Agreement, Archetype, Atlas, AtlasAuthority, AtlasCell, AtlasMade, AtlasOptions, AtlasRequest,
    Better, Contrast, Measure as AtlasMeasure, MeasureDefinition, Spread, atlas_from_files,
};
pub use cancel::Cancel;
pub use diag::{Code, Diagnostic, Diagnostics, Location};
pub use engine::rule_tests::{CaseResult, RuleTestRun, run_rule_tests};
pub use explain::{
    Contribution, Explanation, Failure, Journey, SCHEMA_VERSION, SharedText, Verdict,
};
pub use io::atomic::AtomicFile;
pub use io::indicators::{Indicator, IndicatorDefinition, IndicatorValues};
pub use io::stats::PlacementGroup;
#[cfg(feature = "xlsx")]
pub use io::xlsx::{folder_to_workbook, is_workbook, workbook_to_folder};
pub use io::{AreaConfig, AreaSources, TableData, TableSource};
pub use io::{export_rules, profile_fields, write_atomically};
pub use lists::{
    BeyondCeiling, CannotDeliver, CapacityStatus, ExcludedEntry, Exclusion, Exclusions,
    FundingQuote, ListEntry, ListOptions, ListQuery, PackageList, PlaceStatus, PreferenceDecision,
    PreferenceDelivery, PreferenceOutcome, RankedLower, RankedLowerEntry, TailoredList,
};
pub use model::{ChildId, NeedProfile, Regime, SettingId, UnknownRegime};
pub use placement::{
    Bottleneck, Bottlenecks, ChildPlacement, ObjectiveTerms, PoolRef, PreferenceException,
    RoundReason, RunInfo, RunStatus, Solver, Totals, UnplacedChild,
};
pub use placement::{Mix, PublishedMix};
pub use placement::{Mode, PlacementError, PlacementOptions, PlacementReport, UnknownMode};
pub use plan::ProvisionGrowth;
pub use plan::backtest::{
    Backtest, Flag as BacktestFlag, Row as BacktestRow, Summary as BacktestSummary,
};
pub use plan::inclusion_bases::{AddedBase, BaseInEverySecondary};
pub use plan::reform::{BaseProgramme, LearningSupportTier, PlacedBase};
pub use plan::results::{Headline, PlacesToAdd, Quantiles, ScenarioResult, YearMetrics};
pub use plan::scenario::{Change as ScenarioChange, RuleChanges};
pub use plan::{
    DEFAULT_FALLBACK_FEE, Growth, NationalRecord, PlanOptions, PlanResults, Scenario, TrackRecord,
};
pub use rules::RuleSource;
pub use rules::packages::{ChildPackages, InclusionBase, PackageBasis, Shortfall};
#[cfg(feature = "serve")]
pub use serve::{AuditEntry, ServeConfig, ServeError, serve};
pub use session::limits;
pub use session::limits::OptionError;
pub use session::{
    AreaSummary, LookupError, ProfileError, PublishedGrowth, Session, backtest_published,
};
#[cfg(feature = "synth")]
pub use session::{
    ChildrenOptions, Sen2Exported, Sen2ImportOptions, Sen2Imported, Sen2Summary, build_demo_county,
    export_sen2, import_schools, import_sen2, published_mix, synthesise_children, write_built_area,
};
pub use solve::flow::FlowError;
pub use solve::lp::LpError;
#[cfg(feature = "synth")]
pub use synth::write::AreaFiles;
#[cfg(feature = "synth")]
pub use synth::{
    Assumption, BuildOptions, BuiltArea, CensusCounts, Cohort, DEFAULT_REACH_KM,
    DEFAULT_SEN_SUPPORT_SHARE, Provision,
};

/// The README's Rust examples, compiled and run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
