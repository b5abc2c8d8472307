//! Writing an area folder: `area.toml`, `settings.csv`, `pools.csv`, `children.csv` (the
//! columns `io::load_area` reads), plus `census.csv` (school-census counts the cohort
//! synthesiser weights by) and the assumptions made. Files are rendered in memory first and
//! written whole: a new folder is built beside the target and renamed into place; in an existing
//! area folder each file is written beside its target and renamed over it.

use super::Assumption;
use super::cohort::Cohort;
use super::provision::{CensusCounts, Provision};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::columns::{CHILDREN, POOLS, SETTINGS};
use crate::io::table::Table;
use crate::io::{area_toml, io_error};
use crate::model::{NeedProfile, Setting, Sex};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to write; `None` leaves an existing file alone.
#[derive(Clone, Copy, Debug)]
pub struct AreaFiles<'a> {
    /// The area's name.
    pub name: &'a str,
    /// A line describing it.
    pub description: &'a str,
    /// Calendar year in which the placement academic year starts (September).
    pub academic_year: i32,
    /// Settings, pools, census and provision assumptions; `None` keeps the folder's own.
    pub provision: Option<&'a Provision>,
    /// Children and cohort assumptions, always written.
    pub cohort: &'a Cohort,
}

/// Columns of `census.csv`.
pub const CENSUS_HEADER: [&str; 4] = [
    "setting",
    "pupils_on_roll",
    "ehc_plan_pupils",
    "sen_support_pupils",
];
/// The census file's name.
pub const CENSUS_FILE: &str = "census.csv";

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(&r).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

fn metres(x: f64) -> String {
    format!("{}", x.round() as i64)
}

/// The rows of `settings.csv`. The `packages` column (the last) is written only when a setting
/// declares the packages it can deliver.
pub fn settings_csv(settings: &[Setting]) -> Result<Vec<u8>, String> {
    let with_packages = settings.iter().any(|s| s.packages.is_some());
    let mut header = SETTINGS.written();
    if !with_packages {
        header.retain(|h| *h != "packages");
    }
    csv_bytes(
        &header,
        settings.iter().map(|s| {
            vec![
                s.id.0.clone(),
                s.name.clone(),
                s.kind.key().to_string(),
                s.host.as_ref().map(|h| h.0.clone()).unwrap_or_default(),
                s.first_year.to_string(),
                s.last_year.to_string(),
                s.admits.key().to_string(),
                metres(s.location.easting),
                metres(s.location.northing),
                s.designations.joined(),
                s.features.join(";"),
                s.locality.clone(),
                s.annual_fee.map(|f| f.0.to_string()).unwrap_or_default(),
                if s.s41_approved {
                    "true".into()
                } else {
                    String::new()
                },
                s.local_authority.clone(),
            ]
            .into_iter()
            .chain(with_packages.then(|| s.packages.as_deref().unwrap_or_default().join(";")))
            .collect()
        }),
    )
}

/// The rows of `pools.csv`. The `inclusion_base` column (the last) is written only when a
/// pool declares one, so areas without them keep their files as they were.
pub fn pools_csv(settings: &[Setting]) -> Result<Vec<u8>, String> {
    let with_base = settings
        .iter()
        .flat_map(|s| &s.pools)
        .any(|p| p.inclusion_base.is_some());
    let mut header = POOLS.written();
    if !with_base {
        header.retain(|c| *c != "inclusion_base");
    }
    csv_bytes(
        &header,
        settings.iter().flat_map(|s| {
            s.pools.iter().map(move |p| {
                vec![
                    s.id.0.clone(),
                    p.id.0.clone(),
                    p.first_year.to_string(),
                    p.last_year.to_string(),
                    p.capacity.to_string(),
                    p.on_roll.to_string(),
                ]
                .into_iter()
                .chain(with_base.then(|| {
                    p.inclusion_base
                        .map(|b| b.key().to_string())
                        .unwrap_or_default()
                }))
                .collect()
            })
        }),
    )
}

fn ids(v: &[crate::model::SettingId]) -> String {
    v.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(";")
}

/// The rows of `children.csv`. The `arrangement` and `package` columns (the last two) are
/// written only when a child has one, so areas without them keep their files as they were.
pub fn children_csv(children: &[NeedProfile]) -> Result<Vec<u8>, String> {
    let with_arrangement = children.iter().any(|c| c.arrangement.is_some());
    let with_package = children.iter().any(|c| !c.packages.is_empty());
    let mut header = CHILDREN.written();
    if !with_arrangement {
        header.retain(|h| *h != "arrangement");
    }
    if !with_package {
        header.retain(|h| *h != "package");
    }
    csv_bytes(
        &header,
        children.iter().map(|c| {
            let i = c.intensity.0;
            vec![
                c.id.0.clone(),
                c.year.to_string(),
                match c.sex {
                    Sex::Female => "F".into(),
                    Sex::Male => "M".into(),
                },
                metres(c.home.easting),
                metres(c.home.northing),
                c.primary_need.code().to_string(),
                c.secondary_needs.joined(),
                i[0].to_string(),
                i[1].to_string(),
                i[2].to_string(),
                i[3].to_string(),
                c.features.join(";"),
                c.plan_level.clone(),
                c.current_setting
                    .as_ref()
                    .map(|s| s.0.clone())
                    .unwrap_or_default(),
                ids(&c.preferences),
                ids(&c.sibling_settings),
                c.needs_place.to_string(),
                c.locality.clone(),
            ]
            .into_iter()
            .chain(with_arrangement.then(|| {
                c.arrangement
                    .map(|a| a.code().to_string())
                    .unwrap_or_default()
            }))
            .chain(with_package.then(|| c.packages.join(";")))
            .collect()
        }),
    )
}

/// The rows of `census.csv`.
pub fn census_csv(census: &[CensusCounts]) -> Result<Vec<u8>, String> {
    csv_bytes(
        &CENSUS_HEADER,
        census.iter().map(|c| {
            vec![
                c.setting.clone(),
                c.pupils_on_roll.to_string(),
                c.ehc_plan_pupils.to_string(),
                c.sen_support_pupils.to_string(),
            ]
        }),
    )
}

pub fn assumptions_text(title: &str, list: &[Assumption]) -> Vec<u8> {
    let mut s = format!("# {title}\n# One line per assumption: [topic] text (source).\n");
    for a in list {
        s.push_str(&a.to_string());
        s.push('\n');
    }
    s.into_bytes()
}

/// Every file of the area, rendered.
pub fn render(files: &AreaFiles<'_>) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let toml =
        area_toml(files.name, files.description, files.academic_year).map_err(|e| e.to_string())?;
    out.push((
        "area.toml",
        format!("# Built by placewise: real or invented schools, synthesised provision and children.\n{toml}").into_bytes(),
    ));
    let children = (CHILDREN.file, children_csv(&files.cohort.children)?);
    match files.provision {
        Some(p) => {
            out.push((SETTINGS.file, settings_csv(&p.settings)?));
            out.push((POOLS.file, pools_csv(&p.settings)?));
            out.push((CENSUS_FILE, census_csv(&p.census)?));
            out.push(children);
            out.push((
                "provision-assumptions.txt",
                assumptions_text("Assumptions made building the settings", &p.assumptions),
            ));
        }
        None => out.push(children),
    }
    out.push((
        "cohort-assumptions.txt",
        assumptions_text(
            "Assumptions made synthesising the children",
            &files.cohort.assumptions,
        ),
    ));
    Ok(out)
}

/// Writes the area to `dir`: a new folder whole (built as `<dir>.partial`, then renamed), or,
/// when `dir` is already an area folder, each file whole. A non-empty folder that is not an
/// area folder is refused.
pub fn write_area(dir: &Path, files: &AreaFiles<'_>) -> Result<(), Diagnostics> {
    let rendered = render(files).map_err(|e| io_error(dir, "render the area", e))?;
    write_files(dir, &rendered)
}

/// Writes rendered area files to `dir` as [`write_area`] does: a new folder whole, or each file
/// of an existing area folder whole.
pub fn write_files(dir: &Path, rendered: &[(&str, Vec<u8>)]) -> Result<(), Diagnostics> {
    if dir.exists() {
        let is_area = dir.join("area.toml").exists() || dir.join("settings.csv").exists();
        let empty = std::fs::read_dir(dir)
            .map_err(|e| io_error(dir, "read the folder", e))?
            .next()
            .is_none();
        if !is_area && !empty {
            let mut d = Diagnostics::default();
            d.push(
                Diagnostic::file(
                    Code::Io,
                    dir,
                    "refusing to write into a folder that is neither empty nor an area folder",
                )
                .expected("a new folder, an empty one, or an area folder (with area.toml)"),
            );
            return Err(d);
        }
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        for (name, bytes) in rendered {
            let target = dir.join(name);
            let tmp = dir.join(format!("{name}.partial"));
            if let Err(e) = std::fs::write(&tmp, bytes) {
                for (t, _) in &staged {
                    let _ = std::fs::remove_file(t);
                }
                let _ = std::fs::remove_file(&tmp);
                return Err(io_error(&target, "write", e));
            }
            staged.push((tmp, target));
        }
        for (tmp, target) in staged {
            std::fs::rename(&tmp, &target).map_err(|e| io_error(&target, "write", e))?;
        }
        return Ok(());
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "area".into());
    let tmp = dir.with_file_name(format!("{name}.partial"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| io_error(&tmp, "clear a previous attempt", e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| io_error(&tmp, "create", e))?;
    let result = (|| {
        for (file, bytes) in rendered {
            std::fs::write(tmp.join(file), bytes)
                .map_err(|e| io_error(&tmp.join(file), "write", e))?;
        }
        std::fs::rename(&tmp, dir).map_err(|e| io_error(dir, "create", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Reads `census.csv` of an area folder (empty when the file is absent).
pub fn read_census(dir: &Path) -> Result<BTreeMap<String, CensusCounts>, Diagnostics> {
    let path = dir.join(CENSUS_FILE);
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    let mut diags = Diagnostics::default();
    let Some(t) = Table::read(&path, &CENSUS_HEADER, &[], &mut diags) else {
        return Err(diags);
    };
    let mut out = BTreeMap::new();
    for row in t.iter() {
        let n = |col: &str, diags: &mut Diagnostics| {
            row.parse_required(col, "a whole number of pupils", diags, |v| {
                v.parse::<u32>().ok()
            })
        };
        let (Some(id), Some(r), Some(e), Some(s)) = (
            row.required("setting", &mut diags),
            n("pupils_on_roll", &mut diags),
            n("ehc_plan_pupils", &mut diags),
            n("sen_support_pupils", &mut diags),
        ) else {
            continue;
        };
        out.insert(
            id.to_string(),
            CensusCounts {
                setting: id.to_string(),
                pupils_on_roll: r,
                ehc_plan_pupils: e,
                sen_support_pupils: s,
            },
        );
    }
    diags.into_result(out)
}
