//! Readers and writers: area folders, CSV tables, rule test cases. The only module that
//! touches files (with the rule loader's folder reading).

mod area;
mod area_rows;
pub mod atomic;
mod export;
mod sources;
pub mod stats;
pub mod table;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use area::{
    AreaConfig, CHILD_COLUMNS, LoadedArea, POOL_COLUMNS, SETTING_COLUMNS, load_area,
    load_area_with, read_tables,
};
pub use area_rows::year_from_birth;
pub use atomic::write_atomically;
pub use export::export_rules;
pub use sources::{
    AreaSources, TableData, TableSource, area_from_sources, json_cell, json_kind, profile_fields,
    profile_from_fields,
};
