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
//! let list = session.list(&ChildId::from("C0001"), ListOptions { top: 5 }).expect("a known child");
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

/// Declares the crate's internal modules: private, or public (and hidden from the
/// documentation) with the `testing` feature so the crate's own tests and benchmarks can reach
/// the parts they check.
macro_rules! internal_modules {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$attr])*
            #[cfg(feature = "testing")]
            #[doc(hidden)]
            pub mod $name;
            $(#[$attr])*
            // Items that only the crate's tests and benchmarks use are unused here.
            #[cfg(not(feature = "testing"))]
            #[allow(dead_code, unused_imports)]
            mod $name;
        )*
    };
}

internal_modules!(
    #[cfg(feature = "synth")]
    atlas,
    engine,
    explain,
    io,
    lists,
    placement,
    plan,
    rng,
    rules,
    #[cfg(feature = "serve")]
    serve,
    session,
    solve,
    #[cfg(feature = "synth")]
    synth,
    testkit,
);

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
pub use explain::{
    Contribution, Explanation, Failure, Journey, SCHEMA_VERSION, SharedText, Verdict,
};
pub use io::{AreaConfig, AreaSources, TableData, TableSource};
pub use lists::{
    CapacityStatus, ExcludedEntry, FundingQuote, ListEntry, ListOptions, ListQuery, PlaceStatus,
    PreferenceDecision, TailoredList,
};
pub use model::{ChildId, NeedProfile, SettingId};
pub use placement::{Mode, PlacementError, PlacementOptions, PlacementReport};
pub use plan::{Growth, PlanOptions, PlanResults, Scenario};
pub use rules::RuleSource;
pub use session::{AreaSummary, LookupError, ProfileError, Session};

/// The README's Rust examples, compiled and run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
