//! Renderers of the library's outputs, gathered in one place: every output type is plain data
//! (`Serialize + Deserialize`, so JSON is `serde_json`), and these turn it into the text and
//! CSV the command line and the web app print.
//!
//! - lists: [`list_text_table`], [`write_list_csv_header`] and [`write_list_csv`]; a stream
//!   of lists in one [`ListFormat`] through a [`ListStream`];
//! - explanations: [`explanation_text`];
//! - placements: [`placement_text`], [`write_placement_csv`] (or [`placement_csv_rows`] for
//!   other table writers);
//! - plans: [`metrics_csv`] and [`scap_csv`]; with the `report` feature the HTML page
//!   ([`plan::report_html`]);
//! - the back-test page and the atlas (CSV, and with `report` its HTML page), for the command
//!   line.
//!
//! HTML is built with maud templates (which escape every value taken from the input), charts
//! with plotters.
//!
//! ```
//! use placewise::{ChildId, ListOptions, Session, render};
//! let session = Session::open("fixtures/demo".as_ref()).unwrap();
//! let list = session.list(&ChildId::from("C0001"), ListOptions::new(3).unwrap()).unwrap();
//! let table = render::list_text_table(&list);
//! assert!(table.contains(&list.entries[0].name));
//! let mut csv = Vec::new();
//! render::write_list_csv_header(&mut csv).unwrap();
//! render::write_list_csv(&list, &mut csv).unwrap();
//! assert!(String::from_utf8(csv).unwrap().starts_with(&render::LIST_CSV_HEADER.join(",")));
//! ```

#[cfg(feature = "cli")]
pub(crate) mod atlas;
#[cfg(feature = "cli")]
pub(crate) mod atlas_csv;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod backtest;
#[cfg(all(feature = "cli", not(feature = "testing")))]
pub(crate) mod backtest;
#[cfg(feature = "cli")]
pub(crate) mod diagnostics;
mod explain;
#[cfg(any(feature = "report", feature = "serve"))]
pub(crate) mod html;
mod list;
mod list_csv;
mod list_stream;
mod placement;
#[cfg(feature = "serve")]
pub(crate) mod plain;
#[cfg(all(feature = "xlsx", feature = "cli"))]
pub(crate) mod xlsx;

pub use explain::explanation_text;
pub use list::list_text_table;
pub use list_csv::{LIST_CSV_HEADER, write_list_csv, write_list_csv_header};
pub use list_stream::{ListFormat, ListStream, list_document, render_list};
pub use placement::{
    PLACEMENT_CSV_HEADER, mix_text, placement_csv_rows, placement_text, write_placement_csv,
};
pub mod plan;

pub use plan::metrics_csv;
pub use plan::scap::scap_csv;
