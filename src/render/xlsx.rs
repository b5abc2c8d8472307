//! The commands' outputs as workbooks: every child's list (`list --all --format xlsx`), an
//! area-wide placement (`place --format xlsx`) and a sufficiency plan (`plan --format xlsx`).
//! Each table is the CSV output's, a sheet each, with a `Notes` sheet of the advisory statement
//! and the assumptions.

use crate::io::xlsx::{Book, BookError, ColumnKind, TableSheet};
use crate::lists::TailoredList;
use crate::placement::PlacementReport;
use crate::plan::PlanResults;
use crate::render::{LIST_CSV_HEADER, PLACEMENT_CSV_HEADER, placement_csv_rows, write_list_csv};

fn list_kind(column: &str) -> ColumnKind {
    match column {
        "rank" | "score" | "preference" | "road_km" | "minutes" | "places_free" => {
            ColumnKind::Number
        }
        "annual_cost" => ColumnKind::Money,
        _ => ColumnKind::Text,
    }
}

fn placement_kind(column: &str) -> ColumnKind {
    match column {
        "score" | "minutes" | "binding_set" => ColumnKind::Number,
        "annual_cost" => ColumnKind::Money,
        _ => ColumnKind::Text,
    }
}

/// Every child's tailored list as a workbook, written list by list (the rows of
/// `list --format csv`; a sheet holds about a million rows and the table goes on in the next).
pub struct ListsBook {
    book: Book,
    sheet: TableSheet,
    lists: usize,
}

impl ListsBook {
    /// A workbook with an empty `Lists` sheet.
    pub fn new() -> Result<ListsBook, BookError> {
        let mut book = Book::new();
        let kinds: Vec<ColumnKind> = LIST_CSV_HEADER.iter().map(|h| list_kind(h)).collect();
        let sheet = book.table("Lists", &LIST_CSV_HEADER, &kinds)?;
        Ok(ListsBook {
            book,
            sheet,
            lists: 0,
        })
    }

    /// The CSV rows of one list, as [`ListsBook::push_csv`] takes them.
    pub fn render(list: &TailoredList) -> std::io::Result<Vec<u8>> {
        let mut v = Vec::with_capacity(16 * 1024);
        write_list_csv(list, &mut v)?;
        Ok(v)
    }

    /// Appends one list's CSV rows (from [`ListsBook::render`]).
    pub fn push_csv(&mut self, rows: &[u8]) -> Result<(), BookError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(rows);
        for record in reader.records().flatten() {
            let cells: Vec<&str> = record.iter().collect();
            self.book.row(&mut self.sheet, &cells)?;
        }
        self.lists += 1;
        Ok(())
    }

    /// The workbook, with the `Notes` sheet; `notes` are the options the lists were built with.
    pub fn finish(mut self, area: &str, notes: &[String]) -> Result<Book, BookError> {
        let mut all = vec![
            format!("Area: {area}; {} children's lists.", self.lists),
            "One row per child and setting: status listed, ranked-lower or excluded (with the \
             failing rules' ids in reasons). Names of ranked-lower and excluded settings are on \
             the area's Settings sheet."
                .to_string(),
        ];
        all.extend_from_slice(notes);
        self.book.notes("Tailored lists", &all)?;
        Ok(self.book)
    }
}

/// An area-wide placement as a workbook: `Placements`, `Unplaced`, `Shortfall` (by need, phase
/// and locality), `Summary` (totals and the solver's run) and `Notes`.
pub fn placement_book(report: &PlacementReport, area: &str) -> Result<Book, BookError> {
    let mut book = Book::new();
    let kinds: Vec<ColumnKind> = PLACEMENT_CSV_HEADER
        .iter()
        .map(|h| placement_kind(h))
        .collect();
    let rows = placement_csv_rows(report);
    for (sheet, status) in [("Placements", "placed"), ("Unplaced", "unplaced")] {
        let mut t = book.table(sheet, &PLACEMENT_CSV_HEADER, &kinds)?;
        for row in rows.iter().filter(|r| r[1] == status) {
            book.row(&mut t, row)?;
        }
    }
    let mut t = book.table(
        "Shortfall",
        &["by", "group", "unplaced"],
        &[ColumnKind::Text, ColumnKind::Text, ColumnKind::Number],
    )?;
    for (by, counts) in [
        ("need", &report.shortfall_by_need),
        ("phase", &report.shortfall_by_phase),
        ("locality", &report.shortfall_by_locality),
    ] {
        for (group, n) in counts {
            book.row(&mut t, &[by, group.as_str(), &n.to_string()])?;
        }
    }
    let tot = &report.totals;
    let run = &report.run;
    let summary: Vec<(&str, String, ColumnKind)> = vec![
        ("children", tot.children.to_string(), ColumnKind::Number),
        (
            "keeping their place",
            tot.keeping_place.to_string(),
            ColumnKind::Number,
        ),
        ("in the round", tot.in_round.to_string(), ColumnKind::Number),
        ("placed", tot.placed.to_string(), ColumnKind::Number),
        ("unplaced", tot.unplaced.to_string(), ColumnKind::Number),
        (
            "placed share",
            (tot.placed_percent / 100.0).to_string(),
            ColumnKind::Share,
        ),
        (
            "annual cost of placements",
            tot.annual_cost.to_string(),
            ColumnKind::Money,
        ),
        (
            "mean journey, minutes",
            format!("{:.1}", tot.mean_minutes),
            ColumnKind::Number,
        ),
        (
            "longest journey, minutes",
            format!("{:.1}", tot.max_minutes),
            ColumnKind::Number,
        ),
        (
            "journeys beyond guidance",
            tot.beyond_guidance.to_string(),
            ColumnKind::Number,
        ),
        (
            "mainstream share",
            tot.mainstream_share.to_string(),
            ColumnKind::Share,
        ),
        ("solver", run.solver.to_string(), ColumnKind::Text),
        ("status", run.status.to_string(), ColumnKind::Text),
        (
            "objective",
            format!("{:.2}", run.objective),
            ColumnKind::Number,
        ),
    ];
    write_pairs(&mut book, "Summary", &summary)?;
    let notes = vec![
        format!(
            "Area: {area}. Mode {}, solver {}, status {}.",
            run.mode.name(),
            run.solver,
            run.status
        ),
        "Placements: one row per child placed in this round; Unplaced: children left without \
         a suitable place, with the reason, the binding set of full pools they compete for and \
         where one more place would place them."
            .to_string(),
        "Costs are annual, in pounds: the setting's fee, or place funding plus the top-up band \
         of the rules' funding table."
            .to_string(),
    ];
    book.notes("Area-wide placement", &notes)?;
    Ok(book)
}

fn write_pairs(
    book: &mut Book,
    sheet: &str,
    pairs: &[(&str, String, ColumnKind)],
) -> Result<(), BookError> {
    let mut t = book.table(
        sheet,
        &["field", "value"],
        &[ColumnKind::Text, ColumnKind::Number],
    )?;
    for (field, value, kind) in pairs {
        book.row_as(
            &mut t,
            &[*field, value.as_str()],
            &[ColumnKind::Text, *kind],
        )?;
    }
    Ok(())
}

/// A sufficiency plan as a workbook: `Metrics` (as `metrics.csv`), `SCAP` (as `scap.csv`) and
/// `Notes` with the plan's assumptions.
pub fn plan_book(results: &PlanResults) -> Result<Book, BookError> {
    let mut book = Book::new();
    let metrics = crate::render::plan::metrics_csv(results);
    book.csv_table("Metrics", &metrics, |h| match h {
        "p10" | "p50" | "p90" | "mean" | "year" => ColumnKind::Number,
        _ => ColumnKind::Text,
    })?;
    let scap = crate::render::plan::scap::scap_csv(results);
    book.csv_table("SCAP", &scap, |h| match h {
        "scenario" | "academic_year" | "phase" | "provision" => ColumnKind::Text,
        _ => ColumnKind::Number,
    })?;
    let mut notes = vec![
        format!(
            "Area: {}; base year {}, {} years projected. Metrics: p10, p50 and p90 over the \
             Monte Carlo draws; metric names as in metrics.csv (cost.* in pounds a year, \
             share.* from 0 to 1).",
            results.area, results.base_year, results.years
        ),
        "Assumptions:".to_string(),
    ];
    notes.extend(results.assumptions.iter().map(|a| format!("• {a}")));
    book.notes("Sufficiency plan", &notes)?;
    Ok(book)
}
