//! Converting an area between a folder and a workbook, cell for cell, so an analyst can edit a
//! real area in a spreadsheet and bring it back. Both directions check the area first (nothing
//! is written for an area with errors) and write the result whole or not at all.

use super::book::{Book, BookError, ColumnKind};
use super::read::{AREA_SHEET, AREA_SHEETS, number_text, read_area_workbook};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::columns::{AREA_TABLES, AreaTable, Cells};
use crate::io::{area_toml, io_error, load_area_with};
use crate::rules::RuleSource;
use std::path::{Path, PathBuf};

fn kind_of(cells: Cells) -> ColumnKind {
    match cells {
        Cells::Text => ColumnKind::Text,
        Cells::Number => ColumnKind::Number,
        Cells::Money => ColumnKind::Money,
    }
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
        for ((sheet, file), table) in AREA_SHEETS.iter().zip(&AREA_TABLES) {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).map_err(|e| io_error(&path, "read", e))?;
            let text = String::from_utf8_lossy(&bytes);
            let text = text.trim_start_matches('\u{feff}');
            write_cells(book, sheet, table, text).map_err(|e| io_error(&path, "convert", e))?;
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
fn write_cells(
    book: &mut Book,
    sheet: &str,
    table: &AreaTable,
    csv_text: &str,
) -> Result<(), BookError> {
    let reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    // A number whose text would come back different (e.g. `007`, `1.50`) stays text.
    book.csv_records(
        sheet,
        reader,
        |h| kind_of(table.cells(h)),
        |_, v| !v.parse::<f64>().is_ok_and(|x| number_text(x) == v),
    )
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
    let c = &wb.config;
    let toml = area_toml(&c.name, &c.description, c.academic_year)
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
