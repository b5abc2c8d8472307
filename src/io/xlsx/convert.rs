//! Converting an area between a folder and a workbook, cell for cell, so an analyst can edit a
//! real area in a spreadsheet and bring it back. Both directions check the area first (nothing
//! is written for an area with errors) and write the result whole or not at all.

use super::book::{Book, BookError, ColumnKind};
use super::read::{AREA_SHEET, AREA_SHEETS, number_text, read_area_workbook};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::load_area_with;
use crate::rules::RuleSource;
use std::path::{Path, PathBuf};

/// Columns written as numbers when their text is a number written the way a CSV cell writes it
/// (so a round trip gives the same text back).
const NUMBER_COLUMNS: [&str; 10] = [
    "first_year",
    "last_year",
    "year",
    "easting",
    "northing",
    "capacity",
    "on_roll",
    "intensity_communication",
    "intensity_cognition",
    "intensity_semh",
];

fn kind_of(column: &str) -> ColumnKind {
    match column {
        "annual_fee" => ColumnKind::Money,
        "intensity_sensory" => ColumnKind::Number,
        c if NUMBER_COLUMNS.contains(&c) => ColumnKind::Number,
        _ => ColumnKind::Text,
    }
}

fn io_error(path: &Path, what: &str, e: impl std::fmt::Display) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::file(
        Code::Io,
        path,
        format!("cannot {what}: {e}"),
    ));
    d
}

/// Writes the area folder `dir` as the workbook `out` (sheets `Settings`, `Pools`, `Children`,
/// `Area`) after checking it with `rules`. A folder with rule overrides (`rules/`) is refused:
/// a workbook holds the area, not rules.
pub fn folder_to_workbook(dir: &Path, rules: &RuleSource, out: &Path) -> Result<(), Diagnostics> {
    if dir.join("rules").is_dir() {
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(
                Code::InvalidValue,
                &dir.join("rules"),
                "the area has rule overrides, which a workbook cannot hold",
            )
            .expected("an area folder without rules/ (pass the rules with --rules instead)"),
        );
        return Err(d);
    }
    let loaded = load_area_with(dir, rules)?;
    let mut book = Book::new();
    let write = |book: &mut Book| -> Result<(), Diagnostics> {
        for (sheet, file) in AREA_SHEETS {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).map_err(|e| io_error(&path, "read", e))?;
            let text = String::from_utf8_lossy(&bytes);
            let text = text.trim_start_matches('\u{feff}');
            write_cells(book, sheet, text).map_err(|e| io_error(&path, "convert", e))?;
        }
        let c = &loaded.config;
        let rows = format!(
            "field,value\nname,{}\ndescription,{}\nacademic_year,{}\n",
            csv_cell(&c.name),
            csv_cell(&c.description),
            c.academic_year
        );
        book.csv_table(AREA_SHEET, &rows, |_| ColumnKind::Text)
            .map_err(|e| io_error(out, "write", e))
    };
    write(&mut book)?;
    book.save(out).map_err(|e| io_error(out, "write", e))
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One area table, cell for cell: numbers only where the number's text is the cell's text.
fn write_cells(book: &mut Book, sheet: &str, csv_text: &str) -> Result<(), BookError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let kinds: Vec<ColumnKind> = names.iter().map(|h| kind_of(h)).collect();
    let mut t = book.table(sheet, &names, &kinds)?;
    for record in reader.records().flatten() {
        // A number whose text would come back different (e.g. `007`, `1.50`) stays text.
        let cells: Vec<&str> = record.iter().collect();
        book.row_with(&mut t, &cells, |_, v| {
            !v.parse::<f64>().is_ok_and(|x| number_text(x) == v)
        })?;
    }
    Ok(())
}

/// Writes the area workbook `book` as the area folder `out` (`area.toml`, `settings.csv`,
/// `pools.csv`, `children.csv`) after checking it with `rules`. `out` must not exist or be an
/// empty folder; the folder is built beside it and renamed into place.
pub fn workbook_to_folder(book: &Path, rules: &RuleSource, out: &Path) -> Result<(), Diagnostics> {
    crate::io::xlsx::load_workbook(book, rules)?;
    let wb = read_area_workbook(book)?;
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| io_error(out, "read the folder", e))?
            .next()
            .is_none();
        if !empty {
            let mut d = Diagnostics::default();
            d.push(
                Diagnostic::file(
                    Code::Io,
                    out,
                    "refusing to write into a folder that is not empty",
                )
                .expected("a new folder or an empty one"),
            );
            return Err(d);
        }
    }
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    for ((_, file), table) in AREA_SHEETS.iter().zip(&wb.tables) {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut rows = vec![table.headers.clone()];
        rows.extend(table.rows.iter().map(|(_, r)| r.clone()));
        for r in rows {
            w.write_record(&r).map_err(|e| io_error(out, "write", e))?;
        }
        files.push((file, w.into_inner().map_err(|e| io_error(out, "write", e))?));
    }
    #[derive(serde::Serialize)]
    struct AreaToml<'a> {
        name: &'a str,
        description: &'a str,
        academic_year: i32,
    }
    let c = &wb.config;
    let toml = toml::to_string(&AreaToml {
        name: &c.name,
        description: &c.description,
        academic_year: c.academic_year,
    })
    .map_err(|e| io_error(out, "write area.toml", e))?;
    files.push(("area.toml", toml.into_bytes()));
    let staging = PathBuf::from(format!("{}.partial", out.display()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(&staging)?;
        for (name, bytes) in &files {
            std::fs::write(staging.join(name), bytes)?;
        }
        if out.exists() {
            std::fs::remove_dir(out)?;
        }
        std::fs::rename(&staging, out)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        io_error(out, "write the area folder", e)
    })
}
