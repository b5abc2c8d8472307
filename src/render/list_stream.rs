//! Lists printed one after another, as `placewise list --all` streams them: the format's
//! opening (the CSV header, a JSON array's bracket), each list rendered on its own (in
//! parallel, by [`render_list`]), the separators between lists and the closing, written into
//! any [`std::io::Write`] as the lists come ([`ListStream`]). One child's list is a document
//! of its own ([`list_document`]).
//!
//! ```
//! use placewise::render::{ListFormat, ListStream, render_list};
//! use placewise::{ListOptions, ListQuery, Session};
//! let session = Session::open("fixtures/demo".as_ref()).unwrap();
//! let query = ListQuery { options: ListOptions::new(3).unwrap(), ..Default::default() };
//! let mut stream = ListStream::begin(ListFormat::Json, Vec::new()).unwrap();
//! session
//!     .for_each_list(&query, |list| render_list(&list, ListFormat::Json), |bytes| stream.push(&bytes?))
//!     .unwrap();
//! let json = stream.finish().unwrap();
//! let lists: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
//! assert_eq!(lists.len(), session.area().children.len());
//! ```

use super::{list_text_table, write_list_csv, write_list_csv_header};
use crate::lists::TailoredList;
use std::io::{self, Write};

/// The formats a list is printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    /// A text report per child.
    Table,
    /// JSON: one document (a stream of lists is an array, one list a line).
    Json,
    /// JSON Lines: one list per line.
    Jsonl,
    /// CSV: listed settings one row each, ranked-lower in one row, excluded settings one row
    /// per failing rule (see [`write_list_csv`]).
    Csv,
}

impl ListFormat {
    /// Every format's name.
    pub const NAMES: [&'static str; 4] = ["table", "json", "jsonl", "csv"];
}

impl std::str::FromStr for ListFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<ListFormat, String> {
        match text {
            "table" => Ok(ListFormat::Table),
            "json" => Ok(ListFormat::Json),
            "jsonl" => Ok(ListFormat::Jsonl),
            "csv" => Ok(ListFormat::Csv),
            _ => Err(format!(
                "unknown list format `{text}`; expected table, json, jsonl or csv"
            )),
        }
    }
}

/// One list as a document of its own: the text report, indented JSON, one JSON line, or CSV
/// with its header.
pub fn list_document(list: &TailoredList, format: ListFormat) -> io::Result<Vec<u8>> {
    Ok(match format {
        ListFormat::Json => {
            let mut v = serde_json::to_vec_pretty(list).map_err(io::Error::other)?;
            v.push(b'\n');
            v
        }
        ListFormat::Csv => {
            let mut v = Vec::new();
            write_list_csv_header(&mut v)?;
            write_list_csv(list, &mut v)?;
            v
        }
        ListFormat::Jsonl | ListFormat::Table => render_list(list, format)?,
    })
}

/// One list as a part of a stream (see [`ListStream`]): its CSV rows, its JSON on one line
/// (with a newline for JSON Lines) or its text report.
pub fn render_list(list: &TailoredList, format: ListFormat) -> io::Result<Vec<u8>> {
    Ok(match format {
        ListFormat::Csv => {
            let mut v = Vec::with_capacity(64 * 1024);
            write_list_csv(list, &mut v)?;
            v
        }
        ListFormat::Json => serde_json::to_vec(list).map_err(io::Error::other)?,
        ListFormat::Jsonl => {
            let mut v = serde_json::to_vec(list).map_err(io::Error::other)?;
            v.push(b'\n');
            v
        }
        ListFormat::Table => list_text_table(list).into_bytes(),
    })
}

/// A stream of lists written into `W`: [`ListStream::begin`] writes the opening,
/// [`ListStream::push`] each rendered list with the separator before it, and
/// [`ListStream::finish`] the closing.
#[derive(Debug)]
pub struct ListStream<W: Write> {
    out: W,
    format: ListFormat,
    first: bool,
}

impl<W: Write> ListStream<W> {
    /// Starts a stream of lists in `format`: the CSV header, or the opening of a JSON array.
    pub fn begin(format: ListFormat, mut out: W) -> io::Result<ListStream<W>> {
        match format {
            ListFormat::Csv => write_list_csv_header(&mut out)?,
            ListFormat::Json => out.write_all(b"[\n")?,
            ListFormat::Jsonl | ListFormat::Table => {}
        }
        Ok(ListStream {
            out,
            format,
            first: true,
        })
    }

    /// Writes one list rendered by [`render_list`], after the separator a JSON array or text
    /// reports need between lists.
    pub fn push(&mut self, rendered: &[u8]) -> io::Result<()> {
        if !self.first {
            match self.format {
                ListFormat::Json => self.out.write_all(b",\n")?,
                ListFormat::Table => self.out.write_all(b"\n")?,
                ListFormat::Jsonl | ListFormat::Csv => {}
            }
        }
        self.first = false;
        self.out.write_all(rendered)
    }

    /// Ends the stream (closes a JSON array) and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == ListFormat::Json {
            self.out.write_all(b"\n]\n")?;
        }
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_stream_is_a_header_or_an_empty_array() {
        let csv = ListStream::begin(ListFormat::Csv, Vec::new())
            .unwrap()
            .finish()
            .unwrap();
        assert!(String::from_utf8(csv).unwrap().starts_with("child,status,"));
        let json = ListStream::begin(ListFormat::Json, Vec::new())
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<Vec<u8>>(&json).unwrap(),
            Vec::<u8>::new()
        );
        let mut table = ListStream::begin(ListFormat::Table, Vec::new()).unwrap();
        table.push(b"a\n").unwrap();
        table.push(b"b\n").unwrap();
        assert_eq!(table.finish().unwrap(), b"a\n\nb\n");
        assert_eq!("jsonl".parse::<ListFormat>(), Ok(ListFormat::Jsonl));
        assert!(
            "xml"
                .parse::<ListFormat>()
                .unwrap_err()
                .contains("table, json")
        );
    }
}
