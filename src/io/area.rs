//! Reading an area folder: `area.toml`, `settings.csv`, `pools.csv`, `children.csv` and an
//! optional `rules/` folder of overrides. Every error in every file is collected.

use super::area_rows::{read_child, read_setting, years_in_order};
use super::columns::{AreaTable, CHILDREN, POOLS, SETTINGS};
use super::table::{Row, Table};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::*;
use crate::rules::toml_read::{Reader, Text};
use crate::rules::{CompiledRules, RuleFiles, RuleSet, RuleSource, load_layers};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Settings from `area.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaConfig {
    /// The area's name.
    pub name: String,
    /// A line describing it.
    pub description: String,
    /// Calendar year in which the placement academic year starts (September), used to turn a
    /// date of birth into a year group.
    pub academic_year: i32,
}

/// Everything loaded from an area folder and its rules.
#[derive(Debug)]
pub struct LoadedArea {
    /// The folder it was read from.
    pub dir: PathBuf,
    /// `area.toml`.
    pub config: AreaConfig,
    /// The validated, normalised area.
    pub area: Area,
    /// The compiled rules.
    pub rules: CompiledRules,
}

/// Loads rules from `rules_dir` (plus the area's `rules/` overrides) and the area in `dir`.
pub fn load_area(dir: &Path, rules_dir: &Path) -> Result<LoadedArea, Diagnostics> {
    load_area_with(dir, &RuleSource::Dir(rules_dir.to_path_buf()))
}

/// Loads the area in `dir` with the rules from `rules` (the shipped England rules or a folder),
/// plus the area's own `rules/` overrides. A workbook (`.xlsx`, …) instead of a folder is read
/// by [`crate::io::xlsx::load_workbook`].
///
/// ```
/// use placewise::testing::{io::load_area_with, rules::RuleSource};
/// let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
/// let loaded = load_area_with(&demo, &RuleSource::England).expect("the demo area loads");
/// assert!(!loaded.area.children.is_empty());
/// ```
pub fn load_area_with(dir: &Path, rules: &RuleSource) -> Result<LoadedArea, Diagnostics> {
    #[cfg(feature = "xlsx")]
    if super::xlsx::is_workbook(dir) {
        return super::xlsx::load_workbook(dir, rules);
    }
    let mut diags = Diagnostics::default();
    let rules_label = rules.label();
    let rules_dir = rules_label.as_path();
    let mut layers = vec![rules.files(&mut diags)];
    let overrides = dir.join("rules");
    if overrides.is_dir() {
        layers.push(RuleFiles::read_dir(&overrides, &mut diags));
    }
    let rules = if diags.is_empty() {
        match load_layers(&layers, rules_dir) {
            Ok(r) => Some(r),
            Err(d) => {
                diags.extend(d);
                None
            }
        }
    } else {
        None
    };
    let config = read_config(&dir.join("area.toml"), &mut diags);
    let Some(rules) = rules else {
        return Err(diags);
    };
    let area = read_tables(
        dir,
        &rules,
        config.as_ref().map_or(2025, |c| c.academic_year),
        &mut diags,
    );
    match (config, area) {
        (Some(config), Some(mut area)) if diags.is_empty() => {
            area.name = config.name.clone();
            area.normalise();
            Ok(LoadedArea {
                dir: dir.to_path_buf(),
                config,
                area,
                rules: CompiledRules::new(rules),
            })
        }
        _ => {
            diags.sort();
            Err(diags)
        }
    }
}

/// `area.toml` as written, with the fields [`AreaConfig`] reads.
pub(crate) fn area_toml(
    name: &str,
    description: &str,
    academic_year: i32,
) -> Result<String, toml::ser::Error> {
    #[derive(serde::Serialize)]
    struct AreaToml<'a> {
        name: &'a str,
        description: &'a str,
        academic_year: i32,
    }
    toml::to_string(&AreaToml {
        name,
        description,
        academic_year,
    })
}

/// Records `id`, read from `row`, in `seen` (id → row); an id already there is reported as
/// a duplicate of its first row and `false` returned.
fn first_use(
    seen: &mut BTreeMap<String, usize>,
    row: &Row<'_>,
    what: &str,
    id: &str,
    diags: &mut Diagnostics,
) -> bool {
    if let Some(first) = seen.get(id) {
        diags.push(
            row.error(
                Code::DuplicateId,
                "id",
                format!("{what} id `{id}` already used in row {first}"),
            )
            .expected("a unique id"),
        );
        return false;
    }
    seen.insert(id.to_string(), row.number);
    true
}

fn read_config(path: &Path, diags: &mut Diagnostics) -> Option<AreaConfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::file(
                Code::Io,
                path,
                format!("cannot read area configuration: {e}"),
            ));
            return None;
        }
    };
    let cx = Reader::new(path, &text);
    let config = cx.parse().map(|doc| {
        let mut f = cx.top(&doc);
        let name = f.req::<Text>("name");
        let description = f
            .opt::<Text>("description")
            .map(|d| d.0)
            .unwrap_or_default();
        let academic_year = f.opt_within("academic_year", 2000..=2100).unwrap_or(2025) as i32;
        f.finish(&["name", "description", "academic_year"]);
        (name, description, academic_year)
    });
    diags.extend(cx.into_diagnostics());
    let (name, description, academic_year) = config?;
    Some(AreaConfig {
        name: name?.0,
        description,
        academic_year,
    })
}

/// Reads the three tables of an area folder and checks references between them.
pub fn read_tables(
    dir: &Path,
    rules: &RuleSet,
    academic_year: i32,
    diags: &mut Diagnostics,
) -> Option<Area> {
    let read = |table: &AreaTable, diags: &mut Diagnostics| {
        let path = dir.join(table.file);
        Table::read(&path, &table.required(), &table.optional(), diags)
    };
    let settings_t = read(&SETTINGS, diags);
    let pools_t = read(&POOLS, diags);
    let children_t = read(&CHILDREN, diags);
    check_tables(settings_t, pools_t, children_t, rules, academic_year, diags)
}

/// Reads the settings, pools and children tables (any that could be read) into an area, checking
/// every row and the references between tables. `None` when a table is missing.
pub(crate) fn check_tables(
    settings_t: Option<Table>,
    pools_t: Option<Table>,
    children_t: Option<Table>,
    rules: &RuleSet,
    academic_year: i32,
    diags: &mut Diagnostics,
) -> Option<Area> {
    let features = rules.feature_ids();
    let need_codes: Vec<&str> = Need::codes();
    let package_ids = rules.packages.ids();

    let mut settings: Vec<Setting> = Vec::new();
    let mut rows_of: BTreeMap<String, usize> = BTreeMap::new();
    // Ids of every settings row, valid or not, so that one bad row does not cascade into
    // "unknown setting" errors in the other files.
    let mut all_ids: BTreeSet<String> = BTreeSet::new();
    if let Some(t) = &settings_t {
        for row in t.iter() {
            if !row.get("id").is_empty() {
                all_ids.insert(row.get("id").to_string());
            }
            if let Some(s) = read_setting(&row, &features, &need_codes, &package_ids, diags)
                && first_use(&mut rows_of, &row, "setting", s.id.as_str(), diags)
            {
                settings.push(s);
            }
        }
        check_hosts(t, &settings, &rows_of, diags);
    }
    if let Some(t) = &pools_t {
        read_pools(t, &mut settings, &rows_of, &all_ids, diags);
        check_every_setting_has_a_pool(t, &settings, diags);
    }
    let mut children = Vec::new();
    if let Some(t) = &children_t {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for row in t.iter() {
            if let Some(c) = read_child(
                &row,
                rules,
                &features,
                &need_codes,
                &all_ids,
                academic_year,
                diags,
            ) && first_use(&mut seen, &row, "child", c.id.as_str(), diags)
            {
                children.push(c);
            }
        }
    }
    (settings_t.is_some() && pools_t.is_some() && children_t.is_some()).then(|| Area {
        name: String::new(),
        settings,
        children,
    })
}

/// Reports each setting whose host is not a setting of the file.
fn check_hosts(
    t: &Table,
    settings: &[Setting],
    rows_of: &BTreeMap<String, usize>,
    diags: &mut Diagnostics,
) {
    let ids: BTreeSet<String> = settings.iter().map(|s| s.id.0.clone()).collect();
    for s in settings {
        if let Some(h) = &s.host
            && !ids.contains(&h.0)
        {
            diags.push(
                Diagnostic::file(
                    Code::UnknownReference,
                    &t.path,
                    format!("host school `{h}` is not in settings.csv"),
                )
                .at(crate::diag::Location::Row {
                    row: rows_of[&s.id.0],
                    column: "host".into(),
                })
                .field("host")
                .expected("the id of a setting in this file")
                .help(crate::diag::did_you_mean(
                    &h.0,
                    ids.iter().map(String::as_str),
                )),
            );
        }
    }
}

/// Reads the pools table into the settings' pools. A row naming a setting that is not in the
/// settings table is an error, unless that setting's own row was (`all_ids`).
fn read_pools(
    t: &Table,
    settings: &mut [Setting],
    rows_of: &BTreeMap<String, usize>,
    all_ids: &BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    let position: BTreeMap<String, usize> = settings
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.0.clone(), i))
        .collect();
    let mut seen = BTreeSet::new();
    for row in t.iter() {
        let Some(sid) = row.required("setting", diags) else {
            continue;
        };
        let fields = PoolFields::read(&row, diags);
        let Some(setting) = position.get(sid).map(|&i| &mut settings[i]) else {
            if all_ids.contains(sid) {
                continue;
            }
            let ids: Vec<&str> = rows_of.keys().map(String::as_str).collect();
            diags.push(
                row.error(
                    Code::UnknownReference,
                    "setting",
                    format!("no setting `{sid}` in settings.csv"),
                )
                .expected("the id of a setting")
                .help(crate::diag::did_you_mean(sid, ids)),
            );
            continue;
        };
        let Some(pool) = fields.into_pool() else {
            continue;
        };
        if !seen.insert((sid.to_string(), pool.id.0.clone())) {
            diags.push(
                row.error(
                    Code::DuplicateId,
                    "pool",
                    format!("pool `{}` of `{sid}` is listed twice", pool.id.0),
                )
                .expected("a unique pool id per setting"),
            );
            continue;
        }
        if !years_in_order(&row, pool.first_year, pool.last_year, diags) {
            continue;
        }
        setting.pools.push(pool);
    }
}

/// The fields of one row of the pools table, each `None` when missing or invalid.
struct PoolFields<'t> {
    pool: Option<&'t str>,
    first: Option<YearGroup>,
    last: Option<YearGroup>,
    capacity: Option<u32>,
    on_roll: Option<u32>,
    base: Option<InclusionBase>,
}

impl<'t> PoolFields<'t> {
    /// Reads the fields of `row` after its setting, reporting each one missing or invalid.
    fn read(row: &Row<'t>, diags: &mut Diagnostics) -> Self {
        let pool = row.required("pool", diags);
        let first = row.parse_required("first_year", "R or 1 to 14", diags, YearGroup::parse);
        let last = row.parse_required("last_year", "R or 1 to 14", diags, YearGroup::parse);
        let capacity = row.parse_required("capacity", "a whole number of places", diags, |v| {
            v.parse::<u32>().ok()
        });
        let on_roll = row.parse_required("on_roll", "a whole number of pupils", diags, |v| {
            v.parse::<u32>().ok()
        });
        let base = row.parse(
            "inclusion_base",
            "support-base or specialist-base (or empty: the rules map the setting's kind)",
            diags,
            InclusionBase::parse,
        );
        PoolFields {
            pool,
            first,
            last,
            capacity,
            on_roll,
            base,
        }
    }

    /// The pool, when every required field was read.
    fn into_pool(self) -> Option<PlacePool> {
        let (Some(pool), Some(first), Some(last), Some(capacity), Some(on_roll)) = (
            self.pool,
            self.first,
            self.last,
            self.capacity,
            self.on_roll,
        ) else {
            return None;
        };
        Some(PlacePool {
            id: PoolId(pool.to_string()),
            first_year: first,
            last_year: last,
            capacity,
            on_roll,
            inclusion_base: self.base,
        })
    }
}

/// Reports each setting with no row in the pools table.
fn check_every_setting_has_a_pool(t: &Table, settings: &[Setting], diags: &mut Diagnostics) {
    for s in settings {
        if s.pools.is_empty() {
            diags.push(
                Diagnostic::file(
                    Code::MissingField,
                    &t.path,
                    format!("setting `{}` has no place pool", s.id),
                )
                .field("setting")
                .expected(format!("at least one row with setting = {}", s.id)),
            );
        }
    }
}
