//! Readers and writers: area folders, CSV tables, rule test cases. The only module that
//! touches files (with the rule loader's folder reading).

mod area;
pub mod atomic;
mod export;
pub mod write;
pub mod stats;
pub mod table;

pub use export::export_rules;
pub use write::write_atomically;
pub use area::{
    AreaConfig, CHILD_COLUMNS, LoadedArea, POOL_COLUMNS, SETTING_COLUMNS, load_area, load_area_with,
    read_tables,
    year_from_birth,
};
