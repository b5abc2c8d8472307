//! # placewise
//!
//! Matches children and young people with special educational needs and disabilities (SEND) in
//! England to school provision. The engine reads declarative need profiles and local provision
//! capacity, applies declarative rules (`rules/*.toml`: suitability, scoring, funding bands,
//! statutory tests), and produces explained, capacity-aware tailored lists of settings.
//! Everything is advisory: a person decides.
//!
//! ```no_run
//! use placewise::{engine::Engine, io::load_area, lists::{tailored_list, ListOptions}};
//! use std::path::Path;
//!
//! let loaded = load_area(Path::new("fixtures/demo"), Path::new("rules/england")).expect("valid area");
//! let engine = Engine::new(&loaded.rules, &loaded.area);
//! let c = loaded.area.child_index("C0001").expect("child exists");
//! let list = tailored_list(&engine, c, ListOptions { top: 5 });
//! for entry in &list.entries {
//!     println!("{} {} {:.1}", entry.rank, entry.setting, entry.score);
//! }
//! ```

pub mod atlas;
pub mod diag;
pub mod engine;
pub mod explain;
pub mod io;
pub mod lists;
pub mod model;
pub mod placement;
pub mod plan;
pub mod rules;
pub mod serve;
pub mod session;
pub mod solve;
pub mod synth;
pub mod testkit;

pub use session::{LookupError, ProfileError, Session};
