//! `--format xlsx` for `list`: one child's or every child's list as a workbook, streamed list by
//! list into a sheet written in constant memory, saved whole or not at all.

use super::list::ListArgs;
use super::{Failure, find_child};
use crate::engine::Engine;
use crate::io::LoadedArea;
use crate::io::xlsx::ListsBook;
use crate::lists::{ListQuery, TailoredList, build_list, for_each_list};
use std::path::Path;
use std::process::ExitCode;

fn other(e: impl std::fmt::Display) -> Failure {
    Failure::Other(e.to_string())
}

/// Writes the lists `args` asks for to the workbook `--out`.
pub(crate) fn lists(
    loaded: &LoadedArea,
    engine: &Engine<'_>,
    query: &ListQuery,
    args: &ListArgs,
    mark: &(dyn Fn(TailoredList) -> TailoredList + Sync),
) -> Result<ExitCode, Failure> {
    let path: &Path = args
        .out
        .as_deref()
        .ok_or_else(|| Failure::Other("--format xlsx needs --out FILE".into()))?;
    let mut book = ListsBook::new().map_err(other)?;
    if args.all {
        for_each_list(
            engine,
            query,
            |list| ListsBook::render(&mark(list)),
            |rows| book.push_csv(&rows.map_err(other)?).map_err(other),
        )?;
    } else {
        let id = args.child.clone().unwrap_or_default();
        let c = find_child(loaded, &id)?;
        let rows = ListsBook::render(&mark(build_list(engine, c, query))).map_err(other)?;
        book.push_csv(&rows).map_err(other)?;
    }
    let mut notes = vec![format!(
        "Up to {} suitable settings listed per child (parents' preferences always listed).",
        args.top
    )];
    if let Some(m) = args.reach_minutes {
        notes.push(format!(
            "Only settings within {m} minutes' journey were evaluated, with the preferences and \
             the current setting."
        ));
    }
    if args.after_placement {
        notes.push(
            "After the area-wide placement: places_free says whether a place is still there \
             for the child."
                .into(),
        );
    }
    let book = book.finish(&loaded.config.name, &notes).map_err(other)?;
    book.save(path)
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    Ok(ExitCode::SUCCESS)
}
