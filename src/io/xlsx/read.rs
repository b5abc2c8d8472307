//! Reading an area workbook: sheets `Settings`, `Pools` and `Children` (the columns of the
//! folder's CSV files) and an optional `Area` sheet of `field`/`value` rows (`name`,
//! `description`, `academic_year`). Cells become the text a CSV cell would hold, and the tables
//! go through the folder loader's checks; every diagnostic is then moved onto its sheet and
//! cell (`Children!F12`).

use crate::diag::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::io::area::{AreaConfig, LoadedArea, check_tables};
use crate::io::columns::{AREA_TABLES, CHILDREN, POOLS, SETTINGS};
use crate::io::table::{Table, check_headers};
use crate::rules::{CompiledRules, RuleSource};
use calamine::{Data, Reader};
use std::path::{Path, PathBuf};

/// The area sheets, each with the folder file it stands for and that file's columns.
pub const AREA_SHEETS: [(&str, &str); 3] = [
    ("Settings", SETTINGS.file),
    ("Pools", POOLS.file),
    ("Children", CHILDREN.file),
];
/// The optional sheet of the area's name, description and academic year.
pub const AREA_SHEET: &str = "Area";
/// Fields of the `Area` sheet.
pub const AREA_FIELDS: [&str; 3] = ["name", "description", "academic_year"];

/// File extensions read as workbooks.
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// True when `path` names a workbook (by its extension) rather than an area folder.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// One sheet read as text cells, with where each came from.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetTable {
    /// The sheet's name as written in the workbook.
    pub sheet: String,
    /// Header cells, in sheet order.
    pub headers: Vec<String>,
    /// 0-based index of the sheet column that holds the first header.
    pub first_column: u32,
    /// The sheet row (1-based) of the header.
    pub header_row: usize,
    /// (sheet row, 1-based; cells as text), for every row that is not blank.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl SheetTable {
    /// The A1 name of the cell at `row` in the column headed `column`, if there is one.
    pub fn cell(&self, row: usize, column: &str) -> Option<String> {
        let i = self.headers.iter().position(|h| h == column)?;
        Some(format!(
            "{}{row}",
            column_letters(self.first_column + i as u32)
        ))
    }
}

/// The tables and configuration of an area workbook, read but not yet checked.
#[derive(Clone, Debug)]
pub struct AreaWorkbook {
    pub path: PathBuf,
    pub config: AreaConfig,
    /// Settings, pools and children, in [`AREA_SHEETS`] order.
    pub tables: [SheetTable; 3],
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column index.
pub fn column_letters(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The text a number is written as in a CSV cell: whole numbers without a decimal point.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The CSV text of one cell, or what was found when the cell cannot stand for text.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => return Err(format!("a duration ({})", d.as_f64())),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => return Err(format!("a duration `{s}`")),
        Data::Error(e) => return Err(format!("the spreadsheet error {e}")),
    })
}

type Book = calamine::Sheets<std::io::BufReader<std::fs::File>>;

fn open(path: &Path) -> Result<Book, Diagnostics> {
    calamine::open_workbook_auto(path).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(Code::Io, path, format!("cannot read the workbook: {e}"))
                .expected("an Excel workbook (.xlsx) or OpenDocument spreadsheet (.ods)"),
        );
        d
    })
}

fn sheet_location(sheet: &str) -> Location {
    Location::Cell {
        sheet: sheet.to_string(),
        cell: String::new(),
        row: 0,
        column: String::new(),
    }
}

/// Reads one sheet by name (case-insensitively); `None` with a diagnostic when it is missing
/// or unreadable, `Ok(None)` when `optional` and missing.
fn read_sheet(
    path: &Path,
    book: &mut Book,
    wanted: &str,
    optional: bool,
    diags: &mut Diagnostics,
) -> Option<SheetTable> {
    let names = book.sheet_names();
    let Some(name) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(wanted))
        .cloned()
    else {
        if !optional {
            diags.push(
                Diagnostic::file(Code::MissingField, path, format!("no sheet `{wanted}`"))
                    .expected("sheets Settings, Pools and Children (and optionally Area)")
                    .found(if names.is_empty() {
                        "no sheets".to_string()
                    } else {
                        format!("sheets {}", names.join(", "))
                    })
                    .help(did_you_mean(wanted, names.iter().map(String::as_str))),
            );
        }
        return None;
    };
    let range = match book.worksheet_range(&name) {
        Ok(r) => r,
        Err(e) => {
            diags.push(
                Diagnostic::file(Code::Io, path, format!("cannot read the sheet: {e}"))
                    .at(sheet_location(&name)),
            );
            return None;
        }
    };
    let Some((top, left)) = range.start() else {
        diags.push(
            Diagnostic::file(Code::MissingColumn, path, "the sheet is empty")
                .at(sheet_location(&name))
                .expected("a header row of column names, then one row per record"),
        );
        return None;
    };
    let mut rows = range.rows();
    let header_row = rows.next().unwrap_or_default();
    let mut headers: Vec<String> = Vec::with_capacity(header_row.len());
    for (i, cell) in header_row.iter().enumerate() {
        match cell_text(cell) {
            Ok(t) => headers.push(t.trim_start_matches('\u{feff}').to_string()),
            Err(found) => {
                diags.push(
                    cell_error(path, &name, top as usize + 1, left + i as u32, "")
                        .expected("a column name")
                        .found(found),
                );
                headers.push(String::new());
            }
        }
    }
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    let mut out = Vec::new();
    for (i, cells) in rows.enumerate() {
        let row = top as usize + i + 2;
        let mut fields = Vec::with_capacity(headers.len());
        for (j, cell) in cells.iter().enumerate() {
            let text = match cell_text(cell) {
                Ok(t) => t,
                Err(found) => {
                    let column = headers.get(j).cloned().unwrap_or_default();
                    diags.push(
                        cell_error(path, &name, row, left + j as u32, &column)
                            .expected("text, a number, TRUE/FALSE or a date")
                            .found(found),
                    );
                    String::new()
                }
            };
            if j < headers.len() {
                fields.push(text);
            } else if !text.is_empty() {
                diags.push(
                    cell_error(path, &name, row, left + j as u32, "")
                        .expected("no value: the column has no header")
                        .found(format!("`{text}`")),
                );
            }
        }
        fields.resize(headers.len(), String::new());
        if fields.iter().any(|f| !f.is_empty()) {
            out.push((row, fields));
        }
    }
    Some(SheetTable {
        sheet: name,
        headers,
        first_column: left,
        header_row: top as usize + 1,
        rows: out,
    })
}

fn cell_error(path: &Path, sheet: &str, row: usize, col: u32, column: &str) -> Diagnostic {
    Diagnostic::file(
        Code::WrongType,
        path,
        "a cell cannot be read as a table value",
    )
    .at(Location::Cell {
        sheet: sheet.to_string(),
        cell: format!("{}{row}", column_letters(col)),
        row,
        column: column.to_string(),
    })
    .field(column.to_string())
}

/// Reads the `Area` sheet: `field`/`value` rows (a first row `field`, `value` is a header).
fn read_config(path: &Path, sheet: Option<&SheetTable>, diags: &mut Diagnostics) -> AreaConfig {
    let mut config = AreaConfig {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        description: String::new(),
        academic_year: 2025,
    };
    let Some(sheet) = sheet else {
        return config;
    };
    // The header row is a field/value pair like the others unless it says `field`.
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    if !sheet
        .headers
        .first()
        .is_some_and(|h| h.eq_ignore_ascii_case("field"))
    {
        rows.push((sheet.header_row, sheet.headers.clone()));
    }
    rows.extend(sheet.rows.iter().cloned());
    for (row, cells) in rows {
        let key = cells.first().map(String::as_str).unwrap_or_default();
        let value = cells.get(1).cloned().unwrap_or_default();
        let at = |col: u32| Location::Cell {
            sheet: sheet.sheet.clone(),
            cell: format!("{}{row}", column_letters(sheet.first_column + col)),
            row,
            column: if col == 0 {
                "field".into()
            } else {
                key.to_string()
            },
        };
        match key {
            "name" => config.name = value,
            "description" => config.description = value,
            "academic_year" => match value.parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => config.academic_year = y,
                _ => diags.push(
                    Diagnostic::file(Code::InvalidValue, path, "not an academic year")
                        .at(at(1))
                        .field("academic_year")
                        .expected("the calendar year the academic year starts in, 2000 to 2100")
                        .found(format!("`{value}`")),
                ),
            },
            other => diags.push(
                Diagnostic::file(Code::UnknownField, path, format!("unknown field `{other}`"))
                    .at(at(0))
                    .field(other.to_string())
                    .expected_one_of(other, &AREA_FIELDS),
            ),
        }
    }
    config
}

/// Reads an area workbook's sheets as text, without checking the tables' contents.
pub fn read_area_workbook(path: &Path) -> Result<AreaWorkbook, Diagnostics> {
    let mut diags = Diagnostics::default();
    match read_book(path, &mut diags) {
        Some(book) if diags.is_empty() => Ok(book),
        _ => {
            diags.sort();
            Err(diags)
        }
    }
}

/// The workbook's tables when all three sheets could be read (the `Area` sheet's errors are
/// in `diags` beside them).
fn read_book(path: &Path, diags: &mut Diagnostics) -> Option<AreaWorkbook> {
    let mut book = match open(path) {
        Ok(b) => b,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
    let tables = AREA_SHEETS.map(|(sheet, _)| read_sheet(path, &mut book, sheet, false, diags));
    let area = read_sheet(path, &mut book, AREA_SHEET, true, diags);
    let config = read_config(path, area.as_ref(), diags);
    match tables {
        [Some(s), Some(p), Some(c)] => Some(AreaWorkbook {
            path: path.to_path_buf(),
            config,
            tables: [s, p, c],
        }),
        _ => None,
    }
}

/// Loads an area workbook with `rules`, through the same checks as an area folder; every
/// diagnostic names the workbook, the sheet and the cell.
pub fn load_workbook(path: &Path, rules: &RuleSource) -> Result<LoadedArea, Diagnostics> {
    let ruleset = rules.load()?;
    let mut diags = Diagnostics::default();
    let Some(book) = read_book(path, &mut diags) else {
        diags.sort();
        return Err(diags);
    };
    let labels: Vec<PathBuf> = AREA_SHEETS.iter().map(|(_, f)| PathBuf::from(f)).collect();
    let tables: Vec<Option<Table>> = book
        .tables
        .iter()
        .zip(AREA_TABLES)
        .zip(&labels)
        .map(|((t, cols), label)| {
            let (required, optional) = (cols.required(), cols.optional());
            check_headers(label, &t.headers, &required, &optional, &mut diags).then(|| Table {
                path: label.clone(),
                headers: t.headers.clone(),
                rows: t.rows.clone(),
            })
        })
        .collect();
    let [s, p, c]: [Option<Table>; 3] = tables.try_into().unwrap_or([None, None, None]);
    let area = check_tables(s, p, c, &ruleset, book.config.academic_year, &mut diags);
    match area {
        Some(mut area) if diags.is_empty() => {
            area.name = book.config.name.clone();
            area.normalise();
            Ok(LoadedArea {
                dir: path.to_path_buf(),
                config: book.config,
                area,
                rules: CompiledRules::new(ruleset),
            })
        }
        _ => {
            let mut moved = Diagnostics::default();
            for d in diags.diagnostics {
                moved.push(onto_sheet(d, &book, &labels));
            }
            moved.sort();
            Err(moved)
        }
    }
}

/// Moves a diagnostic about `settings.csv`, `pools.csv` or `children.csv` onto the workbook's
/// sheet and cell, and names sheets rather than files in its text.
fn onto_sheet(mut d: Diagnostic, book: &AreaWorkbook, labels: &[PathBuf]) -> Diagnostic {
    let Some(i) = labels.iter().position(|l| *l == d.file) else {
        return d;
    };
    let table = &book.tables[i];
    d.location = match &d.location {
        Location::Row { row, column } if *row > 1 => Location::Cell {
            sheet: table.sheet.clone(),
            cell: table.cell(*row, column).unwrap_or_default(),
            row: *row,
            column: column.clone(),
        },
        Location::Row { column, .. } => Location::Cell {
            sheet: table.sheet.clone(),
            cell: String::new(),
            row: 0,
            column: column.clone(),
        },
        _ => Location::Cell {
            sheet: table.sheet.clone(),
            cell: String::new(),
            row: 0,
            column: d.field.clone(),
        },
    };
    d.file = book.path.clone();
    for (sheet, file) in AREA_SHEETS {
        d.message = d.message.replace(file, &format!("the {sheet} sheet"));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_does() {
        let names: Vec<String> = [0, 5, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            names,
            ["A", "F", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"].map(String::from)
        );
    }

    #[test]
    fn numbers_are_written_as_csv_cells_write_them() {
        assert_eq!(number_text(400000.0), "400000");
        assert_eq!(number_text(401234.5), "401234.5");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.1), "0.1");
    }
}
