//! Writing tables to a workbook: one sheet per table, the header in bold and frozen, numbers as
//! numbers, money in pounds, shares as percentages, and a `Notes` sheet. Sheets are written in
//! constant memory (row by row to temporary files), so a long table streams; a table longer
//! than a sheet holds goes on into `Name (2)`, `Name (3)`, …. The workbook is saved whole or
//! not at all.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};
use std::path::Path;

/// Rows a sheet holds below its header.
pub const MAX_DATA_ROWS: u32 = 1_048_575;

/// How a column's cells are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// As text.
    Text,
    /// A number when the cell reads as one, else text (`R` in a year column stays text).
    Number,
    /// Pounds, shown as `£12,345`.
    Money,
    /// A share from 0 to 1, shown as a percentage.
    Share,
}

/// An error writing a workbook.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the workbook: {0}")]
pub struct BookError(#[from] XlsxError);

/// One table's sheets while its rows are written.
#[derive(Debug)]
pub struct TableSheet {
    name: String,
    header: Vec<String>,
    kinds: Vec<ColumnKind>,
    index: usize,
    part: u32,
    row: u32,
}

/// A workbook being written.
pub struct Book {
    workbook: Workbook,
    bold: Format,
    money: Format,
    share: Format,
    sheets: usize,
}

impl Default for Book {
    fn default() -> Self {
        Book::new()
    }
}

impl Book {
    /// An empty workbook.
    pub fn new() -> Book {
        let mut workbook = Workbook::new();
        // The writer would stamp the file with the clock; a fixed date keeps the promise that
        // the same inputs give the same bytes.
        if let Ok(fixed) = ExcelDateTime::from_ymd(1980, 1, 1) {
            workbook.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
        }
        Book {
            workbook,
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format("£#,##0"),
            share: Format::new().set_num_format("0.0%"),
            sheets: 0,
        }
    }

    /// Starts a table on a new sheet `name` (at most 31 characters, as Excel allows).
    pub fn table(
        &mut self,
        name: &str,
        header: &[&str],
        kinds: &[ColumnKind],
    ) -> Result<TableSheet, BookError> {
        let mut t = TableSheet {
            name: name.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            kinds: kinds.to_vec(),
            index: 0,
            part: 1,
            row: 0,
        };
        self.start_sheet(&mut t, name)?;
        Ok(t)
    }

    fn start_sheet(&mut self, t: &mut TableSheet, name: &str) -> Result<(), BookError> {
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        for (i, h) in t.header.iter().enumerate() {
            let kind = t.kinds.get(i).copied().unwrap_or(ColumnKind::Text);
            let width = match kind {
                ColumnKind::Text => (h.len() as f64 + 2.0).clamp(10.0, 40.0),
                _ => (h.len() as f64 + 2.0).max(12.0),
            };
            sheet.set_column_width(i as u16, width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (i, h) in t.header.iter().enumerate() {
            sheet.write_string_with_format(0, i as u16, h, &self.bold)?;
        }
        t.index = self.sheets;
        t.row = 0;
        self.sheets += 1;
        Ok(())
    }

    /// Writes one row of `table` from its cells' text (as a CSV row holds them).
    pub fn row<S: AsRef<str>>(&mut self, t: &mut TableSheet, cells: &[S]) -> Result<(), BookError> {
        let kinds = t.kinds.clone();
        self.write_row(t, cells, &kinds, |_, _| false)
    }

    /// Like [`Book::row`], writing as text every cell for which `as_text(column, text)` holds.
    pub fn row_with<S: AsRef<str>>(
        &mut self,
        t: &mut TableSheet,
        cells: &[S],
        as_text: impl Fn(usize, &str) -> bool,
    ) -> Result<(), BookError> {
        let kinds = t.kinds.clone();
        self.write_row(t, cells, &kinds, as_text)
    }

    /// Like [`Book::row`] with this row's own column kinds.
    pub fn row_as<S: AsRef<str>>(
        &mut self,
        t: &mut TableSheet,
        cells: &[S],
        kinds: &[ColumnKind],
    ) -> Result<(), BookError> {
        self.write_row(t, cells, kinds, |_, _| false)
    }

    fn write_row<S: AsRef<str>>(
        &mut self,
        t: &mut TableSheet,
        cells: &[S],
        kinds: &[ColumnKind],
        as_text: impl Fn(usize, &str) -> bool,
    ) -> Result<(), BookError> {
        if t.row == MAX_DATA_ROWS {
            t.part += 1;
            let name = format!("{} ({})", t.name, t.part);
            self.start_sheet(t, &name)?;
        }
        t.row += 1;
        let sheet = self.workbook.worksheet_from_index(t.index)?;
        for (i, cell) in cells.iter().enumerate() {
            let text = cell.as_ref();
            if text.is_empty() {
                continue;
            }
            let col = i as u16;
            let number = (!as_text(i, text))
                .then(|| text.parse::<f64>().ok().filter(|x| x.is_finite()))
                .flatten();
            match (kinds.get(i).copied().unwrap_or(ColumnKind::Text), number) {
                (ColumnKind::Number, Some(x)) => {
                    sheet.write_number(t.row, col, x)?;
                }
                (ColumnKind::Money, Some(x)) => {
                    sheet.write_number_with_format(t.row, col, x, &self.money)?;
                }
                (ColumnKind::Share, Some(x)) => {
                    sheet.write_number_with_format(t.row, col, x, &self.share)?;
                }
                _ => {
                    sheet.write_string(t.row, col, text)?;
                }
            }
        }
        Ok(())
    }

    /// A table written whole from CSV text (header first), with kinds chosen by column name.
    pub fn csv_table(
        &mut self,
        name: &str,
        csv_text: &str,
        kind_of: impl Fn(&str) -> ColumnKind,
    ) -> Result<(), BookError> {
        let reader = csv::Reader::from_reader(csv_text.as_bytes());
        self.csv_records(name, reader, kind_of, |_, _| false)
    }

    /// Like [`Book::csv_table`] from a CSV reader set up by the caller, writing as text every
    /// cell for which `as_text(column, text)` holds.
    pub fn csv_records<R: std::io::Read>(
        &mut self,
        name: &str,
        mut reader: csv::Reader<R>,
        kind_of: impl Fn(&str) -> ColumnKind,
        as_text: impl Fn(usize, &str) -> bool,
    ) -> Result<(), BookError> {
        let header: Vec<String> = reader
            .headers()
            .map(|h| h.iter().map(str::to_string).collect())
            .unwrap_or_default();
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        let kinds: Vec<ColumnKind> = names.iter().map(|h| kind_of(h)).collect();
        let mut t = self.table(name, &names, &kinds)?;
        for record in reader.records().flatten() {
            let cells: Vec<&str> = record.iter().collect();
            self.row_with(&mut t, &cells, &as_text)?;
        }
        Ok(())
    }

    /// The `Notes` sheet: a title, the advisory statement, then one note per row.
    pub fn notes(&mut self, title: &str, notes: &[String]) -> Result<(), BookError> {
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Notes")?;
        sheet.set_column_width(0, 120)?;
        sheet.write_string_with_format(0, 0, title, &self.bold)?;
        sheet.write_string(1, 0, ADVISORY)?;
        for (i, n) in notes.iter().enumerate() {
            sheet.write_string(3 + i as u32, 0, n)?;
        }
        self.sheets += 1;
        Ok(())
    }

    /// The workbook's bytes.
    pub fn into_bytes(mut self) -> Result<Vec<u8>, BookError> {
        Ok(self.workbook.save_to_buffer()?)
    }

    /// Saves the workbook to `path` whole or not at all (a temporary file renamed into place).
    pub fn save(self, path: &Path) -> std::io::Result<()> {
        let bytes = self.into_bytes().map_err(std::io::Error::other)?;
        crate::io::write_atomically(path, &bytes)
    }
}

/// The statement every output workbook carries.
pub const ADVISORY: &str = "Everything here is advisory: a person decides (UK GDPR Art. 22). \
    The reasons are given so that a parent can challenge them.";

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};

    #[test]
    fn numbers_money_and_text_keep_their_types_and_the_notes_are_written() {
        let mut book = Book::new();
        book.csv_table(
            "Placements",
            "child,year,annual_cost,share\nC1,R,12000,0.25\nC2,3,,x\n",
            |h| match h {
                "year" => ColumnKind::Number,
                "annual_cost" => ColumnKind::Money,
                "share" => ColumnKind::Share,
                _ => ColumnKind::Text,
            },
        )
        .unwrap();
        book.notes("Test", &["one note".into()]).unwrap();
        let bytes = book.into_bytes().unwrap();
        let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["Placements", "Notes"]);
        let r = wb.worksheet_range("Placements").unwrap();
        assert_eq!(r.get((1, 1)), Some(&Data::String("R".into())));
        assert_eq!(r.get((1, 2)), Some(&Data::Float(12000.0)));
        assert_eq!(r.get((2, 1)), Some(&Data::Float(3.0)));
        assert_eq!(r.get((2, 2)), Some(&Data::Empty));
        assert_eq!(r.get((2, 3)), Some(&Data::String("x".into())));
        let notes = wb.worksheet_range("Notes").unwrap();
        assert_eq!(notes.get((1, 0)), Some(&Data::String(ADVISORY.into())));
    }

    #[test]
    fn a_workbook_carries_no_clock_time() {
        let mut book = Book::new();
        book.notes("Test", &["one note".into()]).unwrap();
        let bytes = book.into_bytes().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut core = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
            .unwrap();
        let stamps: Vec<&str> = core
            .split("W3CDTF\">")
            .skip(1)
            .map(|s| s.split('<').next().unwrap_or(""))
            .collect();
        assert_eq!(
            stamps,
            ["1980-01-01T00:00:00Z", "1980-01-01T00:00:00Z"],
            "{core}"
        );
    }
}
