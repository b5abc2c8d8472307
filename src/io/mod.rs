//! Readers and writers: area folders, CSV tables, rule test cases. The only module that
//! touches files (with the rule loader's folder reading).

pub mod ages;
mod area;
mod area_rows;
pub mod atomic;
pub mod columns;
mod export;
pub mod flows;
pub mod indicators;
pub mod sen2;
mod sources;
pub mod stats;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub(crate) use area::area_toml;
#[cfg(any(test, feature = "testing"))]
pub use area::read_tables;
pub use area::{AreaConfig, LoadedArea, load_area, load_area_with};
#[cfg(any(test, feature = "testing"))]
pub use area_rows::year_from_birth;
pub use atomic::write_atomically;
pub use export::export_rules;
pub use sources::{
    AreaSources, TableData, TableSource, area_from_sources, json_cell, json_kind, profile_fields,
    profile_from_fields,
};

/// A file that could not be read or written, as diagnostics: `cannot WHAT: ERROR`.
pub(crate) fn io_error(
    path: &std::path::Path,
    what: &str,
    e: impl std::fmt::Display,
) -> crate::diag::Diagnostics {
    let mut d = crate::diag::Diagnostics::default();
    d.push(crate::diag::Diagnostic::file(
        crate::diag::Code::Io,
        path,
        format!("cannot {what}: {e}"),
    ));
    d
}
