//! Reading an area folder: `area.toml`, `settings.csv`, `pools.csv`, `children.csv` and an
//! optional `rules/` folder of overrides. Every error in every file is collected.

use super::table::{Row, Table, parse_bool, parse_money, split_list};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::*;
use crate::rules::toml_read::{Fields, Source, parse};
use crate::rules::{CompiledRules, RuleFiles, RuleSet, RuleSource, load_layers};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Columns of `settings.csv`.
pub const SETTING_COLUMNS: (&[&str], &[&str]) = (
    &[
        "id",
        "name",
        "kind",
        "first_year",
        "last_year",
        "easting",
        "northing",
    ],
    &[
        "host",
        "admits",
        "designations",
        "features",
        "locality",
        "annual_fee",
        "s41_approved",
        "local_authority",
    ],
);
/// Columns of `pools.csv`.
pub const POOL_COLUMNS: (&[&str], &[&str]) = (
    &[
        "setting",
        "pool",
        "first_year",
        "last_year",
        "capacity",
        "on_roll",
    ],
    &[],
);
/// Columns of `children.csv`.
pub const CHILD_COLUMNS: (&[&str], &[&str]) = (
    &[
        "id",
        "sex",
        "easting",
        "northing",
        "primary_need",
        "plan_level",
    ],
    &[
        "year",
        "date_of_birth",
        "secondary_needs",
        "intensity_communication",
        "intensity_cognition",
        "intensity_semh",
        "intensity_sensory",
        "features",
        "current_setting",
        "preferences",
        "siblings_at",
        "needs_place",
        "locality",
    ],
);

/// Settings from `area.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaConfig {
    pub name: String,
    pub description: String,
    /// Calendar year in which the placement academic year starts (September), used to turn a
    /// date of birth into a year group.
    pub academic_year: i32,
}

/// Everything loaded from an area folder and its rules.
#[derive(Debug)]
pub struct LoadedArea {
    pub dir: PathBuf,
    pub config: AreaConfig,
    pub area: Area,
    pub rules: CompiledRules,
}

/// Loads rules from `rules_dir` (plus the area's `rules/` overrides) and the area in `dir`.
pub fn load_area(dir: &Path, rules_dir: &Path) -> Result<LoadedArea, Diagnostics> {
    load_area_with(dir, &RuleSource::Dir(rules_dir.to_path_buf()))
}

/// Loads the area in `dir` with the rules from `rules` (the shipped England rules or a folder),
/// plus the area's own `rules/` overrides.
///
/// ```
/// use placewise::{io::load_area_with, rules::RuleSource};
/// let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
/// let loaded = load_area_with(&demo, &RuleSource::England).expect("the demo area loads");
/// assert!(!loaded.area.children.is_empty());
/// ```
pub fn load_area_with(dir: &Path, rules: &RuleSource) -> Result<LoadedArea, Diagnostics> {
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
    let src = Source { path, text: &text };
    let doc = parse(&src, diags)?;
    let mut f = Fields::new(doc.get_ref(), doc.span(), "");
    let name = f.req_str(&src, "name", diags);
    let description = f
        .opt_str(&src, "description", diags)
        .map(|d| d.0)
        .unwrap_or_default();
    let academic_year = f
        .opt_int(&src, "academic_year", 2000, 2100, diags)
        .unwrap_or(2025) as i32;
    f.finish(&src, &["name", "description", "academic_year"], diags);
    Some(AreaConfig {
        name: name?.0,
        description,
        academic_year,
    })
}

/// Reads the three tables of an area and checks references between them.
pub fn read_tables(
    dir: &Path,
    rules: &RuleSet,
    academic_year: i32,
    diags: &mut Diagnostics,
) -> Option<Area> {
    let settings_t = Table::read(
        &dir.join("settings.csv"),
        SETTING_COLUMNS.0,
        SETTING_COLUMNS.1,
        diags,
    );
    let pools_t = Table::read(
        &dir.join("pools.csv"),
        POOL_COLUMNS.0,
        POOL_COLUMNS.1,
        diags,
    );
    let children_t = Table::read(
        &dir.join("children.csv"),
        CHILD_COLUMNS.0,
        CHILD_COLUMNS.1,
        diags,
    );
    let features: Vec<&str> = rules.features.iter().map(|f| f.id.as_str()).collect();
    let need_codes: Vec<&str> = Need::ALL.iter().map(|n| n.code()).collect();

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
            if let Some(s) = read_setting(&row, &features, &need_codes, diags) {
                if let Some(first) = rows_of.get(&s.id.0) {
                    diags.push(
                        row.error(
                            Code::DuplicateId,
                            "id",
                            format!("setting id `{}` already used in row {first}", s.id),
                        )
                        .expected("a unique id"),
                    );
                    continue;
                }
                rows_of.insert(s.id.0.clone(), row.number);
                settings.push(s);
            }
        }
        // Hosts must exist.
        let ids: BTreeSet<String> = settings.iter().map(|s| s.id.0.clone()).collect();
        for s in &settings {
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
    if let Some(t) = &pools_t {
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
            let pool = row.required("pool", diags);
            let first = row.parse_required("first_year", "R or 1 to 14", diags, YearGroup::parse);
            let last = row.parse_required("last_year", "R or 1 to 14", diags, YearGroup::parse);
            let cap = row.parse_required("capacity", "a whole number of places", diags, |v| {
                v.parse::<u32>().ok()
            });
            let roll = row.parse_required("on_roll", "a whole number of pupils", diags, |v| {
                v.parse::<u32>().ok()
            });
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
            let (Some(pool), Some(first), Some(last), Some(cap), Some(roll)) =
                (pool, first, last, cap, roll)
            else {
                continue;
            };
            if !seen.insert((sid.to_string(), pool.to_string())) {
                diags.push(
                    row.error(
                        Code::DuplicateId,
                        "pool",
                        format!("pool `{pool}` of `{sid}` is listed twice"),
                    )
                    .expected("a unique pool id per setting"),
                );
                continue;
            }
            if first > last {
                diags.push(
                    row.error(
                        Code::InvalidValue,
                        "last_year",
                        "last year group is before the first",
                    )
                    .expected(format!("{first} or later"))
                    .found(last.to_string()),
                );
                continue;
            }
            setting.pools.push(PlacePool {
                id: PoolId(pool.to_string()),
                first_year: first,
                last_year: last,
                capacity: cap,
                on_roll: roll,
            });
        }
        for s in &settings {
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
            ) {
                if let Some(first) = seen.get(&c.id.0) {
                    diags.push(
                        row.error(
                            Code::DuplicateId,
                            "id",
                            format!("child id `{}` already used in row {first}", c.id),
                        )
                        .expected("a unique id"),
                    );
                    continue;
                }
                seen.insert(c.id.0.clone(), row.number);
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

fn read_setting(
    row: &Row<'_>,
    features: &[&str],
    needs: &[&str],
    diags: &mut Diagnostics,
) -> Option<Setting> {
    let before = diags.diagnostics.len();
    let id = row.required("id", diags);
    let name = row.required("name", diags);
    let kinds: Vec<&str> = SettingKind::ALL.iter().map(|k| k.key()).collect();
    let kind = row.get("kind");
    let kind = match SettingKind::parse(kind) {
        Some(k) => Some(k),
        None => {
            diags.push(
                row.error(
                    Code::UnknownCode,
                    "kind",
                    format!("unknown setting kind `{kind}`"),
                )
                .expected(format!("one of: {}", kinds.join(", ")))
                .found(format!("`{kind}`"))
                .help(crate::diag::did_you_mean(kind, kinds.iter().copied())),
            );
            None
        }
    };
    let first = row.parse_required("first_year", "R or 1 to 14", diags, YearGroup::parse);
    let last = row.parse_required("last_year", "R or 1 to 14", diags, YearGroup::parse);
    let e = row.parse_required(
        "easting",
        "metres east on the British National Grid (0 to 700000)",
        diags,
        grid(700_000.0),
    );
    let n = row.parse_required(
        "northing",
        "metres north on the British National Grid (0 to 1300000)",
        diags,
        grid(1_300_000.0),
    );
    let admits = row
        .parse("admits", "mixed, girls or boys", diags, Admits::parse)
        .unwrap_or(Admits::Mixed);
    let designations: NeedSet = row
        .codes("designations", needs, diags)
        .iter()
        .filter_map(|c| Need::parse(c))
        .collect();
    let mut feats = row.codes("features", features, diags);
    feats.sort();
    feats.dedup();
    let fee = row
        .parse("annual_fee", "an amount in pounds", diags, parse_money)
        .map(Pounds);
    let s41 = row
        .parse("s41_approved", "true or false", diags, parse_bool)
        .unwrap_or(false);
    let host = Some(row.get("host"))
        .filter(|h| !h.is_empty())
        .map(SettingId::from);
    if let (Some(f), Some(l)) = (first, last)
        && f > l
    {
        diags.push(
            row.error(
                Code::InvalidValue,
                "last_year",
                "last year group is before the first",
            )
            .expected(format!("{f} or later"))
            .found(l.to_string()),
        );
    }
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(Setting {
        id: SettingId::from(id?),
        name: name?.to_string(),
        kind: kind?,
        host,
        first_year: first?,
        last_year: last?,
        admits,
        location: GridRef {
            easting: e?,
            northing: n?,
        },
        designations,
        features: feats,
        pools: Vec::new(),
        annual_fee: fee,
        locality: row.get("locality").to_string(),
        s41_approved: s41,
        local_authority: row.get("local_authority").to_string(),
    })
}

fn grid(max: f64) -> impl Fn(&str) -> Option<f64> {
    move |v| v.parse::<f64>().ok().filter(|x| (0.0..=max).contains(x))
}

/// Year group from a date of birth `YYYY-MM-DD` for the academic year starting in
/// September of `academic_year`: children born September (Y-5) to August (Y-4) are in reception.
pub fn year_from_birth(dob: &str, academic_year: i32) -> Option<YearGroup> {
    let mut parts = dob.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || parts.next().is_some() {
        return None;
    }
    // Years outside this range cannot give a year group from R to 14 and would overflow.
    if !(1900..=2200).contains(&y) {
        return None;
    }
    let cohort_start = if m >= 9 { y } else { y - 1 };
    let ncy = academic_year.checked_sub(cohort_start)?.checked_sub(5)?;
    (0..=YearGroup::MAX as i32)
        .contains(&ncy)
        .then_some(YearGroup(ncy as u8))
}

#[allow(clippy::too_many_arguments)]
fn read_child(
    row: &Row<'_>,
    rules: &RuleSet,
    features: &[&str],
    needs: &[&str],
    settings: &BTreeSet<String>,
    academic_year: i32,
    diags: &mut Diagnostics,
) -> Option<NeedProfile> {
    let before = diags.diagnostics.len();
    let id = row.required("id", diags);
    let year = if !row.get("year").is_empty() {
        row.parse("year", "R or 1 to 14", diags, YearGroup::parse)
    } else if !row.get("date_of_birth").is_empty() {
        row.parse(
            "date_of_birth",
            &format!(
                "a date YYYY-MM-DD of a child of school age in {academic_year}/{}",
                academic_year + 1
            ),
            diags,
            |v| year_from_birth(v, academic_year),
        )
    } else {
        diags.push(
            row.error(
                Code::MissingField,
                "year",
                "neither `year` nor `date_of_birth` is given",
            )
            .expected("a year group or a date of birth"),
        );
        None
    };
    let sex = row.parse_required("sex", "F or M", diags, Sex::parse);
    let e = row.parse_required(
        "easting",
        "metres east on the British National Grid (0 to 700000)",
        diags,
        grid(700_000.0),
    );
    let n = row.parse_required(
        "northing",
        "metres north on the British National Grid (0 to 1300000)",
        diags,
        grid(1_300_000.0),
    );
    let primary = row.get("primary_need");
    let primary = match Need::parse(primary) {
        Some(p) => Some(p),
        None => {
            diags.push(
                row.error(
                    Code::UnknownCode,
                    "primary_need",
                    format!("unknown need code `{primary}`"),
                )
                .expected(format!("one of: {}", needs.join(", ")))
                .found(format!("`{primary}`"))
                .help(crate::diag::did_you_mean(primary, needs.iter().copied())),
            );
            None
        }
    };
    let secondary: NeedSet = row
        .codes("secondary_needs", needs, diags)
        .iter()
        .filter_map(|c| Need::parse(c))
        .collect();
    let mut intensity = Intensity::default();
    for (i, col) in [
        "intensity_communication",
        "intensity_cognition",
        "intensity_semh",
        "intensity_sensory",
    ]
    .iter()
    .enumerate()
    {
        intensity.0[i] = row
            .parse(
                col,
                &format!("an intensity from 0 to {}", Intensity::MAX),
                diags,
                |v| v.parse::<u8>().ok().filter(|x| *x <= Intensity::MAX),
            )
            .unwrap_or(0);
    }
    let mut feats = row.codes("features", features, diags);
    feats.sort();
    feats.dedup();
    let levels: Vec<&str> = rules.levels.iter().map(|l| l.id.as_str()).collect();
    let plan = row.get("plan_level");
    if !levels.contains(&plan) {
        diags.push(
            row.error(
                Code::UnknownCode,
                "plan_level",
                format!("unknown plan level `{plan}`"),
            )
            .expected(format!("one of: {}", levels.join(", ")))
            .found(format!("`{plan}`"))
            .help(crate::diag::did_you_mean(plan, levels.iter().copied())),
        );
    }
    let setting_list = |col: &str, diags: &mut Diagnostics| -> Vec<SettingId> {
        let mut out: Vec<SettingId> = Vec::new();
        for item in split_list(row.get(col)) {
            if !settings.contains(item) {
                diags.push(
                    row.error(
                        Code::UnknownReference,
                        col,
                        format!("no setting `{item}` in settings.csv"),
                    )
                    .expected("the id of a setting")
                    .help(crate::diag::did_you_mean(
                        item,
                        settings.iter().map(String::as_str),
                    )),
                );
            } else if !out.iter().any(|x| x.0 == item) {
                out.push(SettingId::from(item));
            }
        }
        out
    };
    let current = setting_list("current_setting", diags).into_iter().next();
    let preferences = setting_list("preferences", diags);
    let siblings = setting_list("siblings_at", diags);
    let needs_place = row
        .parse("needs_place", "true or false", diags, parse_bool)
        .unwrap_or(false);
    if diags.diagnostics.len() > before {
        return None;
    }
    Some(NeedProfile {
        id: ChildId::from(id?),
        year: year?,
        sex: sex?,
        home: GridRef {
            easting: e?,
            northing: n?,
        },
        primary_need: primary?,
        secondary_needs: secondary,
        intensity,
        features: feats,
        plan_level: plan.to_string(),
        current_setting: current,
        preferences,
        sibling_settings: siblings,
        needs_place,
        locality: row.get("locality").to_string(),
    })
}
