//! Readers and writers: area folders, CSV tables, rule test cases. The only module that
//! touches files (with the rule loader's folder reading).

mod area;
pub mod atomic;
pub mod stats;
pub mod table;

pub use area::{
    AreaConfig, CHILD_COLUMNS, LoadedArea, POOL_COLUMNS, SETTING_COLUMNS, load_area, read_tables,
    year_from_birth,
};
