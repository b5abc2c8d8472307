//! Reading CSV tables with located errors: every problem names the file, the row (counting the
//! header as row 1) and the column, and reading goes on to find the rest.

use crate::diag::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use std::path::{Path, PathBuf};

/// Reads a whole file; a failure is reported as a diagnostic naming the file.
pub fn read_bytes(path: &Path, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => diags.fail(Code::Io, path, format!("cannot read: {e}")),
    }
}

/// Reports a CSV header that cannot be read; gives `None`, as the file cannot be read on.
pub(crate) fn header_unread<T>(path: &Path, e: csv::Error, diags: &mut Diagnostics) -> Option<T> {
    diags.fail(
        Code::CsvSyntax,
        path,
        format!("cannot read the header: {e}"),
    )
}

/// A CSV table read into memory.
pub struct Table {
    pub path: PathBuf,
    pub headers: Vec<String>,
    /// (row number, fields)
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Reads `path`; checks that `required` columns exist and that every column is in
    /// `required` or `optional`.
    pub fn read(
        path: &Path,
        required: &[&str],
        optional: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<Table> {
        let text = read_bytes(path, diags)?;
        Self::from_bytes(path, &text, required, optional, diags)
    }

    /// Like [`Table::read`] on bytes already in memory.
    pub fn from_bytes(
        path: &Path,
        bytes: &[u8],
        required: &[&str],
        optional: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h
                .iter()
                .map(|s| s.trim_start_matches('\u{feff}').to_string())
                .collect(),
            Err(e) => return header_unread(path, e, diags),
        };
        let ok = check_headers(path, &headers, required, optional, diags);
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            match rec {
                Ok(r) => rows.push((i + 2, r.iter().map(str::to_string).collect())),
                Err(e) => {
                    let row = e.position().map(|p| p.line() as usize).unwrap_or(i + 2);
                    diags.push(
                        Diagnostic::file(Code::CsvSyntax, path, format!("malformed row: {e}")).at(
                            Location::Row {
                                row,
                                column: String::new(),
                            },
                        ),
                    );
                }
            }
        }
        ok.then_some(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// A table from records already in memory (e.g. JSON objects), each a list of (column,
    /// value) pairs. Columns are checked as for a CSV file; the header is the columns in the
    /// order first seen, and record `i` (from 0) is row `i + 2`, as if the records had been
    /// written out as a CSV file under `name`.
    pub fn from_records(
        name: &Path,
        records: &[Vec<(String, String)>],
        required: &[&str],
        optional: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<Table> {
        let mut headers: Vec<String> = Vec::new();
        for rec in records {
            for (col, _) in rec {
                if !headers.contains(col) {
                    headers.push(col.clone());
                }
            }
        }
        let ok = check_headers(name, &headers, required, optional, diags);
        let rows = records
            .iter()
            .enumerate()
            .map(|(i, rec)| {
                let fields = headers
                    .iter()
                    .map(|h| {
                        rec.iter()
                            .find(|(c, _)| c == h)
                            .map(|(_, v)| v.trim().to_string())
                            .unwrap_or_default()
                    })
                    .collect();
                (i + 2, fields)
            })
            .collect();
        ok.then_some(Table {
            path: name.to_path_buf(),
            headers,
            rows,
        })
    }

    /// Reads a published table: `required` columns must exist, other columns are ignored.
    pub fn read_lenient(path: &Path, required: &[&str], diags: &mut Diagnostics) -> Option<Table> {
        let bytes = read_bytes(path, diags)?;
        let headers: Vec<String> = csv::ReaderBuilder::new()
            .from_reader(bytes.as_slice())
            .headers()
            .map(|h| {
                h.iter()
                    .map(|s| s.trim_start_matches('\u{feff}').to_string())
                    .collect()
            })
            .unwrap_or_default();
        let optional: Vec<&str> = headers
            .iter()
            .map(String::as_str)
            .filter(|h| !required.contains(h))
            .collect();
        Self::from_bytes(path, &bytes, required, &optional, diags)
    }

    /// Index of column `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Iterates rows as [`Row`] accessors.
    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(n, fields)| Row {
            table: self,
            number: *n,
            fields,
        })
    }
}

/// One CSV row.
pub struct Row<'t> {
    table: &'t Table,
    pub number: usize,
    fields: &'t [String],
}

impl<'t> Row<'t> {
    /// The value in column `name`; empty string when the column is absent.
    pub fn get(&self, name: &str) -> &'t str {
        self.table
            .col(name)
            .and_then(|i| self.fields.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// A diagnostic located at this row and column.
    pub fn error(&self, code: Code, column: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::file(code, &self.table.path, message)
            .at(Location::Row {
                row: self.number,
                column: column.to_string(),
            })
            .field(column)
    }

    /// The diagnostic for an empty cell in `column`.
    fn empty(&self, column: &str, expected: &str) -> Diagnostic {
        self.error(Code::MissingField, column, format!("`{column}` is empty"))
            .expected(expected)
    }

    /// A non-empty value or a missing-field diagnostic.
    pub fn required(&self, column: &str, diags: &mut Diagnostics) -> Option<&'t str> {
        let v = self.get(column);
        if v.is_empty() {
            diags.push(self.empty(column, "a value"));
            None
        } else {
            Some(v)
        }
    }

    /// Parses a value with `parse`, reporting `expected` on failure. Empty gives `None`
    /// without error.
    pub fn parse<T>(
        &self,
        column: &str,
        expected: &str,
        diags: &mut Diagnostics,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let v = self.get(column);
        if v.is_empty() {
            return None;
        }
        match parse(v) {
            Some(x) => Some(x),
            None => {
                diags.push(
                    self.error(Code::InvalidValue, column, format!("cannot read `{v}`"))
                        .expected(expected)
                        .found(format!("`{v}`")),
                );
                None
            }
        }
    }

    /// Like [`Row::parse`] but the value must be present.
    pub fn parse_required<T, F>(
        &self,
        column: &str,
        expected: &str,
        diags: &mut Diagnostics,
        parse: F,
    ) -> Option<T>
    where
        F: FnOnce(&str) -> Option<T>,
    {
        if self.get(column).is_empty() {
            diags.push(self.empty(column, expected));
            return None;
        }
        self.parse(column, expected, diags, parse)
    }

    /// The value of `column` read by `parse`; a value it does not read is reported as an
    /// unknown `what`, not one of `known`.
    pub fn known<T>(
        &self,
        column: &str,
        what: &str,
        known: &[&str],
        parse: impl FnOnce(&str) -> Option<T>,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let v = self.get(column);
        let parsed = parse(v);
        if parsed.is_none() {
            diags.push(
                self.error(Code::UnknownCode, column, format!("unknown {what} `{v}`"))
                    .not_one_of(v, known),
            );
        }
        parsed
    }

    /// A `;`-separated list of codes, each checked against `known` with a did-you-mean.
    pub fn codes(&self, column: &str, known: &[&str], diags: &mut Diagnostics) -> Vec<String> {
        let mut out = Vec::new();
        for item in split_list(self.get(column)) {
            if known.iter().any(|k| k.eq_ignore_ascii_case(item)) {
                out.push(item.to_string());
            } else {
                diags.push(
                    self.error(Code::UnknownCode, column, format!("unknown code `{item}`"))
                        .not_one_of(item, known),
                );
            }
        }
        out
    }
}

/// Checks that `required` columns exist and every column is in `required` or `optional`.
pub(crate) fn check_headers(
    path: &Path,
    headers: &[String],
    required: &[&str],
    optional: &[&str],
    diags: &mut Diagnostics,
) -> bool {
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    let mut ok = true;
    for col in required {
        if !headers.iter().any(|h| h == col) {
            ok = false;
            diags.push(
                Diagnostic::file(
                    Code::MissingColumn,
                    path,
                    format!("missing required column `{col}`"),
                )
                .at(Location::Row {
                    row: 1,
                    column: col.to_string(),
                })
                .field(*col)
                .expected(format!("columns {}", required.join(", ")))
                .help(
                    did_you_mean(col, headers.iter().map(String::as_str)).map(|_| {
                        let near = headers
                            .iter()
                            .find(|h| did_you_mean(h, [*col]).is_some())
                            .cloned()
                            .unwrap_or_default();
                        format!("column `{near}` looks like a misspelling of `{col}`")
                    }),
                ),
            );
        }
    }
    for h in headers {
        if !known.contains(&h.as_str()) {
            diags.push(
                Diagnostic::file(Code::UnknownField, path, format!("unknown column `{h}`"))
                    .at(Location::Row {
                        row: 1,
                        column: h.clone(),
                    })
                    .field(h.clone())
                    .expected_one_of(h, &known),
            );
        }
    }
    ok
}

/// Splits a `;`-separated list, dropping empty items.
pub fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Parses `true/false/yes/no/1/0/y/n`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}
