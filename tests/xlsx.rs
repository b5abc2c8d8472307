//! Excel workbooks through the real binary: an area folder converted to a workbook and back
//! gives the same lists; bad cells are located by sheet and cell; outputs are whole or nothing.
#![cfg(feature = "xlsx")]

mod common;
use calamine::{Data, Reader};
use common::*;
use std::path::Path;

fn wyvernshire() -> String {
    root().join("fixtures/wyvernshire").display().to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

#[test]
fn a_folder_converted_to_a_workbook_and_back_gives_identical_files_and_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("wyvernshire.xlsx");
    let back = tmp.path().join("back");
    output(&["convert", &wyvernshire(), path(&book)]);
    output(&["convert", path(&book), path(&back)]);
    for f in ["settings.csv", "pools.csv", "children.csv"] {
        let a = std::fs::read(root().join("fixtures/wyvernshire").join(f)).unwrap();
        let b = std::fs::read(back.join(f)).unwrap();
        assert!(a == b, "{f} differs after the round trip");
    }
    let lists = |area: &str| output(&["list", "--area", area, "--all", "--format", "jsonl"]);
    let from_folder = lists(&wyvernshire());
    assert_eq!(from_folder.lines().count(), 2455);
    assert!(
        from_folder == lists(path(&back)),
        "lists differ after the round trip"
    );
    assert!(
        from_folder == lists(path(&book)),
        "lists from the workbook differ"
    );
    // Numbers are numbers in the workbook, year groups such as R stay text.
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    assert_eq!(wb.sheet_names(), ["Settings", "Pools", "Children", "Area"]);
    let pools = wb.worksheet_range("Pools").unwrap();
    assert!(
        matches!(pools.get((1, 4)), Some(Data::Float(_))),
        "capacity"
    );
    let area = wb.worksheet_range("Area").unwrap();
    assert_eq!(area.get((1, 1)), Some(&Data::String("Wyvernshire".into())));
}

/// The demo area's tables written as a workbook, with `edit(sheet, row, column) -> Some(cell)`
/// replacing cells (rows and columns 0-based, the header is row 0).
fn demo_book(
    out: &Path,
    edit: impl Fn(&str, usize, &str) -> Option<&'static str>,
    academic_year: &str,
) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (sheet, file) in [
        ("Settings", "settings.csv"),
        ("Pools", "pools.csv"),
        ("Children", "children.csv"),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        let mut r = csv::Reader::from_path(demo().join(file)).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (i, rec) in r.records().enumerate() {
            let rec = rec.unwrap();
            for (c, v) in rec.iter().enumerate() {
                let v = edit(sheet, i + 1, &header[c]).unwrap_or(v);
                let (row, col) = (i as u32 + 1, c as u16);
                match v.parse::<f64>() {
                    Ok(x) => ws.write_number(row, col, x).unwrap(),
                    Err(_) => ws.write_string(row, col, v).unwrap(),
                };
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("Area").unwrap();
    ws.write_string(0, 0, "field").unwrap();
    ws.write_string(0, 1, "value").unwrap();
    ws.write_string(1, 0, "name").unwrap();
    ws.write_string(1, 1, "Marlshire from a workbook").unwrap();
    ws.write_string(2, 0, "academic_year").unwrap();
    ws.write_string(2, 1, academic_year).unwrap();
    wb.save(out).unwrap();
}

#[test]
fn bad_cells_are_reported_by_sheet_and_cell_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("marlshire.xlsx");
    demo_book(&book, |_, _, _| None, "2025");
    let o = output(&["check", "--area", path(&book)]);
    assert!(
        o.starts_with("ok: Marlshire from a workbook — 25 settings"),
        "{o}"
    );

    demo_book(
        &book,
        |sheet, row, column| match (sheet, row, column) {
            ("Settings", 2, "kind") => Some("specal-academy"),
            ("Pools", 3, "capacity") => Some("-3"),
            ("Children", 2, "primary_need") => Some("ASDD"),
            ("Children", 4, "easting") => Some("far north"),
            ("Children", 5, "preferences") => Some("S-NOWHERE"),
            _ => None,
        },
        "next",
    );
    let placement = tmp.path().join("placement.xlsx");
    let o = run_on(
        "place",
        path(&book),
        &[
            "--format",
            "xlsx",
            "--out",
            path(&placement),
            "--message-format",
            "short",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!placement.exists(), "a failed run wrote its output");
    let text = stderr(&o).replace(path(&book), "marlshire.xlsx");
    insta::assert_snapshot!("bad_workbook_cells", text);

    let doc = json(&run_on("check", path(&book), &["--format", "json"]));
    let first = diagnostic_on(doc["diagnostics"].as_array().unwrap(), "primary_need");
    assert_eq!(first["sheet"], "Children");
    assert_eq!(first["cell"], "F3");
    assert_eq!(first["row"], 3);
    assert_eq!(first["suggestion"], "did you mean `ASD`?");
}

#[test]
fn a_workbook_without_the_area_sheets_is_refused_naming_them() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("other.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Setings").unwrap();
    wb.save(&book).unwrap();
    let o = run_on("check", path(&book), &["--message-format", "short"]);
    let e = failed(&o, 1);
    assert!(
        e.contains("no sheet `Settings`") && e.contains("did you mean `Setings`?"),
        "{e}"
    );
    assert!(e.contains("no sheet `Children`"), "{e}");
    // Not a workbook at all.
    std::fs::write(&book, "id,name\n").unwrap();
    let o = run_on("check", path(&book), &[]);
    let err = failed(&o, 1);
    assert!(err.contains("cannot read the workbook"), "{err}");
}

#[test]
fn placement_and_lists_as_workbooks_hold_the_csv_rows_with_numbers_as_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("placement.xlsx");
    let demo = demo().display().to_string();
    // --format xlsx needs --out: an argument error.
    let o = run_on("place", &demo, &["--format", "xlsx"]);
    failed(&o, 2);
    output(&[
        "place",
        "--area",
        &demo,
        "--format",
        "xlsx",
        "--out",
        path(&out),
    ]);
    let csv = output(&["place", "--area", &demo, "--format", "csv"]);
    let placed = csv.lines().filter(|l| l.contains(",placed,")).count();
    let unplaced = csv.lines().filter(|l| l.contains(",unplaced,")).count();
    let mut wb = calamine::open_workbook_auto(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Placements", "Unplaced", "Shortfall", "Summary", "Notes"]
    );
    let p = wb.worksheet_range("Placements").unwrap();
    assert_eq!(p.height(), placed + 1);
    assert!(placed > 0);
    assert_eq!(
        wb.worksheet_range("Unplaced").unwrap().height(),
        unplaced + 1
    );
    // annual_cost (column K) is a number, not text.
    assert!(matches!(p.get((1, 10)), Some(Data::Float(x)) if *x > 0.0));
    let notes = wb.worksheet_range("Notes").unwrap();
    assert!(matches!(notes.get((1, 0)), Some(Data::String(s)) if s.contains("advisory")));

    let lists = tmp.path().join("lists.xlsx");
    output(&[
        "list",
        "--area",
        &demo,
        "--all",
        "--format",
        "xlsx",
        "--out",
        path(&lists),
    ]);
    let rows = output(&["list", "--area", &demo, "--all", "--format", "csv"]);
    let mut wb = calamine::open_workbook_auto(&lists).unwrap();
    let l = wb.worksheet_range("Lists").unwrap();
    let csv_rows: Vec<csv::StringRecord> = csv::Reader::from_reader(rows.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(l.height(), csv_rows.len() + 1);
    // Every cell holds the CSV's value (numbers compared as numbers).
    for (i, rec) in csv_rows.iter().enumerate() {
        for (j, v) in rec.iter().enumerate() {
            let cell = l.get((i + 1, j)).cloned().unwrap_or(Data::Empty);
            let same = match &cell {
                Data::Empty => v.is_empty(),
                Data::String(s) => s == v,
                Data::Float(x) => v.parse::<f64>().is_ok_and(|y| y == *x),
                _ => false,
            };
            assert!(same, "row {} column {j}: {cell:?} against `{v}`", i + 2);
        }
    }
}
