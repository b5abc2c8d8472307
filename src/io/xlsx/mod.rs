//! Excel workbooks. In: an area as one workbook (sheets `Settings`, `Pools`, `Children` and
//! an optional `Area`), accepted wherever an area folder is and checked as a folder is, with
//! every error located by sheet and cell (`Children!F12`). Out: tables as sheets (header frozen,
//! numbers as numbers, money in pounds) with a `Notes` sheet (the workbooks of the commands'
//! outputs are built in `render::xlsx`), and an area converted between a
//! folder and a workbook cell for cell.

mod book;
mod convert;
mod read;

#[cfg(any(test, feature = "testing"))]
pub use book::{ADVISORY, MAX_DATA_ROWS};
pub use book::{Book, BookError, ColumnKind, TableSheet};
pub use convert::{folder_to_workbook, workbook_to_folder};
#[cfg(any(test, feature = "testing"))]
pub use read::{
    AREA_FIELDS, AREA_SHEET, AREA_SHEETS, AreaWorkbook, SheetTable, column_letters, number_text,
    read_area_workbook,
};
pub use read::{is_workbook, load_workbook};
