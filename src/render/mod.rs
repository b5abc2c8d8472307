//! Renderers of the library's outputs, gathered in one place: every output type is plain data
//! (`Serialize + Deserialize`, so JSON is `serde_json`), and these turn it into the text and
//! CSV the command line and the web app print.
//!
//! ```
//! use placewise::{ChildId, ListOptions, Session, render};
//! let session = Session::open("fixtures/demo".as_ref()).unwrap();
//! let list = session.list(&ChildId::from("C0001"), ListOptions { top: 3 }).unwrap();
//! let table = render::list_text_table(&list);
//! assert!(table.contains(&list.entries[0].name));
//! let mut csv = Vec::new();
//! render::write_list_csv_header(&mut csv).unwrap();
//! render::write_list_csv(&list, &mut csv).unwrap();
//! assert!(String::from_utf8(csv).unwrap().starts_with(&render::LIST_CSV_HEADER.join(",")));
//! ```

pub use crate::explain::{
    LIST_CSV_HEADER, PLACEMENT_CSV_HEADER, explanation_text, list_text_table, placement_csv_rows,
    placement_text, write_list_csv, write_list_csv_header,
};
pub mod plan;

pub use crate::plan::report::metrics_csv;
pub use crate::plan::scap::scap_csv;
