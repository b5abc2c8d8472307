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
//! - `testing`: exposes the internal modules (for this crate's own tests and benchmarks); not
//!   a stable interface.
#![warn(missing_docs)]

// The crate's internal modules: private, or public (and hidden from the documentation) with
// the `testing` feature so the crate's own tests and benchmarks can reach the parts they
// check. Items that only those use are unused without it. Written out (not by a macro) so
// that rustfmt and other tools find every module.
#[cfg(feature = "synth")]
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod atlas;
#[cfg(feature = "synth")]
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod atlas;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod engine;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod engine;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod explain;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod explain;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod io;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod io;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod lists;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod lists;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod placement;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod placement;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod plan;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod plan;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod rng;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod rng;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod rules;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod rules;
#[cfg(feature = "serve")]
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod serve;
#[cfg(feature = "serve")]
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod serve;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod session;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod session;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod solve;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod solve;
#[cfg(feature = "synth")]
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod synth;
#[cfg(feature = "synth")]
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod synth;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testkit;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unused_imports)]
mod testkit;

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

pub use diag::{Code, Diagnostic, Diagnostics, Location};
pub use engine::rule_tests::{CaseResult, RuleTestRun, run_rule_tests};
pub use explain::{
    Contribution, Explanation, Failure, Journey, SCHEMA_VERSION, SharedText, Verdict,
};
pub use io::atomic::AtomicFile;
pub use io::stats::PlacementGroup;
#[cfg(feature = "xlsx")]
pub use io::xlsx::{folder_to_workbook, is_workbook, workbook_to_folder};
pub use io::{AreaConfig, AreaSources, TableData, TableSource};
pub use io::{export_rules, profile_fields, write_atomically};
pub use lists::{
    CapacityStatus, ExcludedEntry, FundingQuote, ListEntry, ListOptions, ListQuery, PlaceStatus,
    PreferenceDecision, TailoredList,
};
pub use model::{ChildId, NeedProfile, SettingId};
pub use placement::{Mix, PublishedMix};
pub use placement::{Mode, PlacementError, PlacementOptions, PlacementReport, UnknownMode};
pub use plan::ProvisionGrowth;
pub use plan::{DEFAULT_FALLBACK_FEE, Growth, PlanOptions, PlanResults, Scenario};
pub use rules::RuleSource;
#[cfg(feature = "serve")]
pub use serve::{ServeConfig, ServeError, serve};
pub use session::limits;
pub use session::limits::OptionError;
pub use session::{
    AreaSummary, LookupError, ProfileError, PublishedGrowth, Session, backtest_published,
};
#[cfg(feature = "synth")]
pub use session::{
    AtlasRequest, AtlasRun, ChildrenOptions, build_atlas_from_register, build_demo_county,
    import_schools, published_mix, synthesise_children, write_built_area,
};
#[cfg(feature = "synth")]
pub use synth::{
    Assumption, BuildOptions, BuiltArea, Cohort, DEFAULT_REACH_KM, DEFAULT_SEN_SUPPORT_SHARE,
};

/// The README's Rust examples, compiled and run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
