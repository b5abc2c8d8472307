//! Areas from memory: the tables of an area folder given as CSV bytes or as records (e.g. JSON
//! objects from a case-management system), read with the same validation and diagnostics as the
//! folder loader. Each table carries the name its diagnostics give it, e.g. `children.csv` or the
//! name of a data frame.

use super::area::check_tables;
use super::area_rows::read_child;
use super::columns::{AreaTable, CHILDREN, POOLS, SETTINGS};
use super::table::Table;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{Area, NeedProfile};
use crate::rules::RuleSet;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One record: (column, value) pairs, values as they would be written in a CSV cell.
pub type Record = Vec<(String, String)>;

/// The contents of one table.
#[derive(Clone, Debug)]
pub enum TableData<'a> {
    /// A CSV file's bytes, header first.
    Csv(&'a [u8]),
    /// Records, one per row.
    Records(Vec<Record>),
}

/// One table held in memory and the name diagnostics give it.
#[derive(Clone, Debug)]
pub struct TableSource<'a> {
    /// Named in every diagnostic about this table, e.g. `children.csv`.
    pub name: PathBuf,
    /// The table's contents.
    pub data: TableData<'a>,
}

impl<'a> TableSource<'a> {
    /// A table from CSV bytes.
    pub fn csv(name: impl Into<PathBuf>, bytes: &'a [u8]) -> Self {
        TableSource {
            name: name.into(),
            data: TableData::Csv(bytes),
        }
    }

    /// A table from JSON objects, one per row: strings are taken as written, numbers and
    /// `true`/`false` as their text, `null` as empty, and a list of those as a `;`-separated
    /// list. Anything else is an error naming the row and field.
    pub fn json_rows(
        name: impl Into<PathBuf>,
        rows: &[serde_json::Value],
    ) -> Result<Self, Diagnostics> {
        let name = name.into();
        let mut diags = Diagnostics::default();
        let mut records = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let at = |column: &str| Location::Row {
                row: i + 2,
                column: column.to_string(),
            };
            let Some(object) = row.as_object() else {
                diags.push(
                    Diagnostic::file(Code::WrongType, &name, "a row is not an object")
                        .at(at(""))
                        .expected("an object of column names and values")
                        .found(json_kind(row).to_string()),
                );
                continue;
            };
            let mut rec = Vec::with_capacity(object.len());
            for (key, value) in object {
                match json_cell(value) {
                    Some(text) => rec.push((key.clone(), text)),
                    None => diags.push(
                        Diagnostic::file(
                            Code::WrongType,
                            &name,
                            format!("`{key}` cannot be a table cell"),
                        )
                        .at(at(key))
                        .field(key.clone())
                        .expected("a string, a number, true or false, null, or a list of those")
                        .found(json_kind(value).to_string()),
                    ),
                }
            }
            records.push(rec);
        }
        diags.into_result(TableSource {
            name,
            data: TableData::Records(records),
        })
    }

    fn table(&self, columns: &AreaTable, diags: &mut Diagnostics) -> Option<Table> {
        let (required, optional) = (columns.required(), columns.optional());
        match &self.data {
            TableData::Csv(bytes) => {
                Table::from_bytes(&self.name, bytes, &required, &optional, diags)
            }
            TableData::Records(records) => {
                Table::from_records(&self.name, records, &required, &optional, diags)
            }
        }
    }
}

/// The text a JSON value stands for in a table cell, or `None` for objects and nested lists.
pub fn json_cell(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::Array(_) | Value::Object(_) => None,
                v => json_cell(v),
            })
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(";")),
        Value::Object(_) => None,
    }
}

/// `an object`, `a list`, … for messages.
pub fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An area's three tables in memory, with the area's name and academic year.
#[derive(Clone, Debug)]
pub struct AreaSources<'a> {
    /// The area's name.
    pub name: String,
    /// Calendar year in which the placement academic year starts (September).
    pub academic_year: i32,
    /// `settings.csv`'s rows.
    pub settings: TableSource<'a>,
    /// `pools.csv`'s rows.
    pub pools: TableSource<'a>,
    /// `children.csv`'s rows.
    pub children: TableSource<'a>,
}

/// Builds an area from tables in memory with the folder loader's validation: every error in
/// every table is collected, located by the table's name, row and column.
///
/// ```
/// use placewise::testing::io::{AreaSources, TableSource, area_from_sources};
/// use placewise::testing::rules::load_rule_dirs;
/// use std::path::Path;
///
/// let rules = load_rule_dirs(&[Path::new("rules/england")]).unwrap();
/// let settings = b"id,name,kind,first_year,last_year,easting,northing\n\
///                  S1,Oak Primary,mainstream,R,6,400000,300000\n";
/// let pools = b"setting,pool,first_year,last_year,capacity,on_roll\nS1,main,R,6,210,200\n";
/// let children = b"id,year,sex,easting,northing,primary_need,plan_level\n\
///                  C1,3,F,401000,300500,SLCN,ehcp\n\
///                  C2,3,F,401000,300500,ASDD,ehcp\n";
/// let sources = AreaSources {
///     name: "Example".into(),
///     academic_year: 2025,
///     settings: TableSource::csv("settings.csv", settings),
///     pools: TableSource::csv("pools.csv", pools),
///     children: TableSource::csv("children.csv", children),
/// };
/// let diags = area_from_sources(&sources, &rules).unwrap_err();
/// let d = &diags.diagnostics[0];
/// assert_eq!(d.place(), "children.csv: row 3, column primary_need");
/// assert_eq!(d.help.as_deref(), Some("did you mean `ASD`?"));
/// ```
pub fn area_from_sources(sources: &AreaSources<'_>, rules: &RuleSet) -> Result<Area, Diagnostics> {
    let mut diags = Diagnostics::default();
    let settings = sources.settings.table(&SETTINGS, &mut diags);
    let pools = sources.pools.table(&POOLS, &mut diags);
    let children = sources.children.table(&CHILDREN, &mut diags);
    let area = check_tables(
        settings,
        pools,
        children,
        rules,
        sources.academic_year,
        &mut diags,
    );
    match area {
        Some(mut area) if diags.is_empty() => {
            area.name = sources.name.clone();
            area.normalise();
            Ok(area)
        }
        _ => {
            diags.sort();
            Err(diags)
        }
    }
}

/// Reads one need profile from (column, value) pairs named as in `children.csv`, with the same
/// checks as a row of that file against `area`'s settings and `rules`. Diagnostics name `source`
/// and row 2.
pub fn profile_from_fields(
    fields: &[(String, String)],
    source: &Path,
    area: &Area,
    rules: &RuleSet,
    academic_year: i32,
) -> Result<NeedProfile, Diagnostics> {
    let mut diags = Diagnostics::default();
    let records = [fields.to_vec()];
    let Some(table) = Table::from_records(
        source,
        &records,
        &CHILDREN.required(),
        &CHILDREN.optional(),
        &mut diags,
    ) else {
        return Err(diags);
    };
    let features = rules.feature_ids();
    let needs: Vec<&str> = crate::model::Need::codes();
    let settings: BTreeSet<String> = area.settings.iter().map(|s| s.id.0.clone()).collect();
    let row = table.iter().next().expect("one record");
    let child = read_child(
        &row,
        rules,
        &features,
        &needs,
        &settings,
        academic_year,
        &mut diags,
    );
    match child {
        Some(c) if diags.is_empty() => Ok(c),
        _ => Err(diags),
    }
}

/// The (column, value) pairs of `children.csv` that [`profile_from_fields`] reads back into
/// `profile` unchanged (coordinates keep every digit).
pub fn profile_fields(profile: &NeedProfile) -> Vec<(String, String)> {
    let ids =
        |v: &[crate::model::SettingId]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(";");
    let i = profile.intensity.0;
    [
        ("id", profile.id.0.clone()),
        ("year", profile.year.to_string()),
        (
            "sex",
            match profile.sex {
                crate::model::Sex::Female => "F".into(),
                crate::model::Sex::Male => "M".into(),
            },
        ),
        ("easting", profile.home.easting.to_string()),
        ("northing", profile.home.northing.to_string()),
        ("primary_need", profile.primary_need.code().to_string()),
        ("secondary_needs", profile.secondary_needs.joined()),
        ("intensity_communication", i[0].to_string()),
        ("intensity_cognition", i[1].to_string()),
        ("intensity_semh", i[2].to_string()),
        ("intensity_sensory", i[3].to_string()),
        ("features", profile.features.join(";")),
        ("plan_level", profile.plan_level.clone()),
        (
            "current_setting",
            profile
                .current_setting
                .as_ref()
                .map(|s| s.0.clone())
                .unwrap_or_default(),
        ),
        ("preferences", ids(&profile.preferences)),
        ("siblings_at", ids(&profile.sibling_settings)),
        ("needs_place", profile.needs_place.to_string()),
        ("locality", profile.locality.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::load_area;
    use crate::rules::load_rule_dirs;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn files(dir: &Path) -> [Vec<u8>; 3] {
        ["settings.csv", "pools.csv", "children.csv"].map(|f| std::fs::read(dir.join(f)).unwrap())
    }

    fn sources<'a>(name: &str, year: i32, f: &'a [Vec<u8>; 3]) -> AreaSources<'a> {
        AreaSources {
            name: name.into(),
            academic_year: year,
            settings: TableSource::csv("settings.csv", &f[0]),
            pools: TableSource::csv("pools.csv", &f[1]),
            children: TableSource::csv("children.csv", &f[2]),
        }
    }

    #[test]
    fn csv_bytes_give_the_area_the_folder_loader_gives() {
        let rules = load_rule_dirs(&[&root().join("rules/england")]).unwrap();
        for dir in ["fixtures/demo", "fixtures/wyvernshire"] {
            let dir = root().join(dir);
            let loaded = load_area(&dir, &root().join("rules/england")).unwrap();
            let f = files(&dir);
            let from_memory = area_from_sources(
                &sources(&loaded.config.name, loaded.config.academic_year, &f),
                &rules,
            )
            .unwrap();
            assert_eq!(from_memory, loaded.area);
        }
    }

    #[test]
    fn a_broken_area_in_memory_gets_the_folder_loaders_diagnostics_named_by_the_caller() {
        let dir = root().join("fixtures/broken-area");
        let rules_dir = root().join("rules/england");
        let folder = load_area(&dir, &rules_dir).unwrap_err();
        let rules = load_rule_dirs(&[&rules_dir]).unwrap();
        let f = files(&dir);
        let memory = area_from_sources(&sources("broken", 2025, &f), &rules).unwrap_err();
        let strip = |d: &Diagnostic| {
            let mut d = d.clone();
            d.file = PathBuf::from(d.file.file_name().unwrap());
            d
        };
        let expected: Vec<Diagnostic> = folder
            .diagnostics
            .iter()
            .filter(|d| d.file.extension().is_some_and(|e| e == "csv"))
            .map(strip)
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(memory.diagnostics, expected);
        assert!(
            memory
                .diagnostics
                .iter()
                .all(|d| d.file.parent() == Some(Path::new("")))
        );
    }

    #[test]
    fn json_rows_are_read_like_csv_rows_and_bad_cells_are_located() {
        let dir = root().join("fixtures/demo");
        let rules = load_rule_dirs(&[&root().join("rules/england")]).unwrap();
        let loaded = load_area(&dir, &root().join("rules/england")).unwrap();
        let f = files(&dir);
        let mut reader = csv::Reader::from_reader(f[2].as_slice());
        let headers = reader.headers().unwrap().clone();
        let rows: Vec<serde_json::Value> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                let mut m = serde_json::Map::new();
                for (h, v) in headers.iter().zip(r.iter()) {
                    let value = match h {
                        // Numbers and lists as JSON types, the rest as text.
                        "easting" | "northing" => serde_json::json!(v.parse::<f64>().unwrap()),
                        "preferences" => serde_json::json!(split_all(v)),
                        _ => serde_json::json!(v),
                    };
                    m.insert(h.to_string(), value);
                }
                serde_json::Value::Object(m)
            })
            .collect();
        let mut src = sources(&loaded.config.name, loaded.config.academic_year, &f);
        src.children = TableSource::json_rows("children frame", &rows).unwrap();
        assert_eq!(area_from_sources(&src, &rules).unwrap(), loaded.area);

        let mut bad = rows.clone();
        bad[2]["features"] = serde_json::json!({"signing": true});
        let d = TableSource::json_rows("children frame", &bad).unwrap_err();
        assert_eq!(
            d.diagnostics[0].place(),
            "children frame: row 4, column features"
        );
        assert_eq!(d.diagnostics[0].found.as_deref(), Some("an object"));
    }

    fn split_all(v: &str) -> Vec<&str> {
        v.split(';').filter(|s| !s.is_empty()).collect()
    }
}
