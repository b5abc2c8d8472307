//! Reading the COLLECT Blade export of an SEN2 return: a folder of nine CSV files (`sen2`,
//! `person`, `requests`, `assessment`, `namedplan`, `plandetail`, `activeplans`,
//! `placementdetail`, `senneed`; a file may carry a prefix, as in `export_person.csv`). Rows
//! point to their parent by table id; they are linked into the same tree the XML gives.
//! Columns are matched without regard to case or `_`; columns the import does not use
//! (`NativeId`, the order column, `sourceid`, …) are ignored. Every problem is located by file,
//! row and column.

use super::record::{Module, Record, Sen2Return, Value, normalise_name};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file of `module` in `dir`, if any.
fn module_file(dir: &Path, module: Module, diags: &mut Diagnostics) -> Option<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return diags.fail(Code::Io, dir, format!("cannot read the folder: {e}")),
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
                && p.file_stem().is_some_and(|s| {
                    let s = s.to_string_lossy().to_ascii_lowercase();
                    let name = module.blade_name();
                    s == name
                        || s.strip_suffix(name)
                            .is_some_and(|head| head.ends_with(['_', '-', ' ', '.']))
                })
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// One module's rows: each record with its parent's table id.
struct Rows {
    records: Vec<(Record, Option<String>)>,
}

fn read_module(path: &Path, module: Module, diags: &mut Diagnostics) -> Option<Rows> {
    let file = Arc::new(path.to_path_buf());
    let bytes = crate::io::table::read_bytes(path, diags)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return crate::io::table::header_unread(path, e, diags),
    };
    let header_text: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let parent_col = module.parent().and_then(Module::table_id);
    // Column index → item (or the parent's table id).
    let mut columns: Vec<(usize, &'static str, bool)> = Vec::new();
    for (i, h) in header_text.iter().enumerate() {
        let key = normalise_name(h);
        if let Some(item) = module.item(&key) {
            columns.push((i, item, false));
        } else if parent_col == Some(key.as_str()) {
            columns.push((i, parent_col.unwrap_or_default(), true));
        }
    }
    for need in module.table_id().into_iter().chain(parent_col) {
        if !columns.iter().any(|(_, item, _)| *item == need) {
            diags.push(
                Diagnostic::file(Code::MissingColumn, path, format!("no `{need}` column"))
                    .at(Location::Row {
                        row: 1,
                        column: need.to_string(),
                    })
                    .field(need)
                    .expected(format!("a column named {need}")),
            );
            return None;
        }
    }
    let mut out = Rows {
        records: Vec::new(),
    };
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line() as usize);
                diags.push(
                    Diagnostic::file(Code::CsvSyntax, path, format!("malformed CSV: {e}")).at(
                        Location::Row {
                            row,
                            column: String::new(),
                        },
                    ),
                );
                return None;
            }
        }
        let row = record.position().map_or(0, |p| p.line() as usize);
        let mut items = Vec::new();
        let mut parent = None;
        for (i, item, is_parent) in &columns {
            let raw = record.get(*i).unwrap_or_default();
            let column = header_text[*i].clone();
            let text = match std::str::from_utf8(raw) {
                Ok(t) => t.trim().to_string(),
                Err(_) => {
                    diags.push(
                        Diagnostic::file(Code::Io, path, "the value is not UTF-8 text")
                            .at(Location::Row {
                                row,
                                column: column.clone(),
                            })
                            .field(column)
                            .expected("text encoded as UTF-8"),
                    );
                    continue;
                }
            };
            if *is_parent {
                parent = (!text.is_empty()).then_some(text.clone());
            }
            items.push((
                *item,
                Value {
                    text,
                    location: Location::Row { row, column },
                },
            ));
        }
        out.records.push((
            Record {
                module,
                file: file.clone(),
                location: Location::Row {
                    row,
                    column: String::new(),
                },
                path: String::new(),
                items,
                children: Vec::new(),
            },
            parent,
        ));
    }
    Some(out)
}

/// Reads a Blade export folder.
pub fn read_blade(dir: &Path) -> Result<Sen2Return, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut read: BTreeMap<Module, Rows> = BTreeMap::new();
    for module in Module::ALL {
        match module_file(dir, module, &mut diags) {
            Some(path) => {
                if let Some(rows) = read_module(&path, module, &mut diags) {
                    read.insert(module, rows);
                }
            }
            None if matches!(module, Module::Header | Module::Person) => diags.push(
                Diagnostic::file(
                    Code::Io,
                    dir,
                    format!("no `{}.csv` in the Blade export", module.blade_name()),
                )
                .expected(format!(
                    "the nine Blade files: {}",
                    Module::ALL.map(Module::blade_name).join(", ")
                )),
            ),
            None => {}
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    // Link the rows, deepest modules first.
    let mut pending: BTreeMap<(Module, String), Vec<Record>> = BTreeMap::new();
    let mut out = Sen2Return::default();
    for module in Module::ALL.into_iter().rev() {
        let rows = read.remove(&module).map(|r| r.records).unwrap_or_default();
        for (mut record, parent) in rows {
            if let Some(own) = module
                .table_id()
                .and_then(|c| record.text(c))
                .map(str::to_string)
            {
                for child in Module::ALL {
                    if child.parent() == Some(module)
                        && let Some(list) = pending.remove(&(child, own.clone()))
                    {
                        record.children.extend(list);
                    }
                }
            }
            match module {
                Module::Header => {
                    if out.header.is_none() {
                        out.header = Some(record);
                    }
                }
                Module::Person => out.persons.push(record),
                _ => {
                    let col = module
                        .parent()
                        .and_then(Module::table_id)
                        .unwrap_or_default();
                    match parent {
                        Some(p) => pending.entry((module, p)).or_default().push(record),
                        None => diags.push(
                            record
                                .error(Code::MissingField, col, "no parent table id")
                                .expected(format!("the `{col}` of a row of the parent file")),
                        ),
                    }
                }
            }
        }
        // Rows of the modules inside this one whose parent id no row of it has.
        for child in Module::ALL {
            if child.parent() == Some(module) {
                let orphans: Vec<(Module, String)> = pending
                    .keys()
                    .filter(|(m, _)| *m == child)
                    .cloned()
                    .collect();
                for key in orphans {
                    let col = module.table_id().unwrap_or_default();
                    for r in pending.remove(&key).unwrap_or_default() {
                        diags.push(
                            r.error(
                                Code::UnknownReference,
                                col,
                                format!("no `{}` row with {col} `{}`", module.blade_name(), key.1),
                            )
                            .expected(format!("the {col} of a row of {}.csv", module.blade_name())),
                        );
                    }
                }
            }
        }
    }
    out.diagnostics = diags;
    Ok(out)
}
