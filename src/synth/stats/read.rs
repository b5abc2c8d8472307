//! Reading a SEN2 release from its published CSV files: plans by primary need and placement for
//! every authority and England, with suppressed values handled and growth from the caseload
//! file; every bad value located by row and column.

use super::{
    LaFigures, NATIONAL_2025, NATIONAL_NEW_PLAN_SHARE_2025, Placement, PlacementTable, SEN2_SOURCE,
    Sen2Release,
};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::table::{Row, Table, read_bytes};
use crate::rng::largest_remainder;
use crate::synth::Assumption;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The SEN2 file of plans by primary need and placement.
pub const NEED_FILE: &str = "ehcp_primary_need_by_placement_jan2025.csv";
/// The SEN2 file of plans by setting over several years.
pub const CASELOAD_FILE: &str = crate::io::stats::CASELOAD_FILE;

pub(super) const NEED_COLUMNS: [&str; 13] = [
    "number_spld",
    "number_mld",
    "number_sld",
    "number_pmld",
    "number_semh",
    "number_slcn",
    "number_hi",
    "number_vi",
    "number_msi",
    "number_pd",
    "number_asd",
    "number_oth",
    "number_need_unknown",
];

/// Suppressed or missing plan counts are taken as this many plans (DfE suppresses small
/// numbers; `x` = not available, `c` = suppressed, `z` = not applicable).
pub const SUPPRESSED_TOTAL: u64 = 2;

/// `time_period` of an academic-year release whose January snapshot falls in `year`, e.g.
/// 2025 → 202425.
pub fn time_period(year: i32) -> String {
    format!("{}{:02}", year - 1, year % 100)
}

pub(super) fn read_table(path: &Path, required: &[&str], diags: &mut Diagnostics) -> Option<Table> {
    let bytes = read_bytes(path, diags)?;
    let headers = header_names(&bytes);
    let optional: Vec<&str> = headers.iter().map(String::as_str).collect();
    Table::from_bytes(path, &bytes, required, &optional, diags)
}

/// The header names of a CSV file in memory (empty when unreadable).
pub fn header_names(bytes: &[u8]) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    r.headers()
        .map(|h| {
            h.iter()
                .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn count(row: &Row<'_>, col: &str, diags: &mut Diagnostics) -> Option<Option<u64>> {
    let v = row.get(col);
    if matches!(v, "x" | "c" | "z" | "" | "low" | "u") {
        return Some(None);
    }
    match v.replace(',', "").parse::<u64>() {
        Ok(n) => Some(Some(n)),
        Err(_) => {
            diags.push(
                row.error(Code::InvalidValue, col, format!("cannot read `{v}`"))
                    .expected("a whole number of plans, or a DfE suppression code x, c or z")
                    .found(format!("`{v}`")),
            );
            None
        }
    }
}

/// Reads the SEN2 figures for the January of `year` from `stats_dir`
/// (`ehcp_primary_need_by_placement_jan2025.csv`, and `ehcp_caseload_by_setting_2019_2025.csv`
/// for growth when present). Every bad value is reported with its row and column.
pub fn read_sen2(stats_dir: &Path, year: i32) -> Result<Sen2Release, Diagnostics> {
    let mut diags = Diagnostics::default();
    let path = stats_dir.join(NEED_FILE);
    let mut required = crate::io::stats::LA_BREAKDOWN_COLUMNS.to_vec();
    required.extend(["breakdown", "ehc_plans"]);
    required.extend(NEED_COLUMNS);
    let Some(table) = read_table(&path, &required, &mut diags) else {
        return Err(diags);
    };
    let period = time_period(year);
    let counts = NeedCounts::read(&table, &period, &mut diags);
    if !counts.periods.contains(&period) && !table.rows.is_empty() {
        diags.push(
            Diagnostic::file(
                Code::InvalidValue,
                &path,
                format!("no figures for January {year} (time_period {period})"),
            )
            .field("time_period")
            .expected(format!(
                "one of: {}",
                counts
                    .periods
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    let growth = read_growth(stats_dir, year, &mut diags);
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    Ok(counts.into_release(year, &path, growth))
}

/// Plans by primary need and placement read from the need file, for each authority (by LA
/// code, with its name) and England, with the rows whose need counts were suppressed.
struct NeedCounts {
    tables: BTreeMap<String, (String, PlacementTable)>,
    national: PlacementTable,
    have_national: bool,
    /// LA name, placement and the plans shared over the national need mix.
    suppressed: Vec<(String, String, u64)>,
    /// Every `time_period` in the file.
    periods: BTreeSet<String>,
}

impl NeedCounts {
    /// Adds up the rows of `period` by type of placement, reporting every bad value.
    fn read(table: &Table, period: &str, diags: &mut Diagnostics) -> NeedCounts {
        let mut out = NeedCounts {
            tables: BTreeMap::new(),
            national: PlacementTable::default(),
            have_national: false,
            suppressed: Vec::new(),
            periods: BTreeSet::new(),
        };
        for row in table.iter() {
            out.periods.insert(row.get("time_period").to_string());
            if row.get("time_period") != period
                || !row
                    .get("breakdown_topic")
                    .eq_ignore_ascii_case("Type of placement")
            {
                continue;
            }
            let Some(p) = Placement::from_sen2(row.get("breakdown")) else {
                continue;
            };
            let level = row.get("geographic_level");
            let target = match level {
                "National" => {
                    out.have_national = true;
                    &mut out.national
                }
                "Local authority" => {
                    let code = row.get("old_la_code").to_string();
                    if code.is_empty() {
                        diags.push(
                            row.error(Code::MissingField, "old_la_code", "`old_la_code` is empty")
                                .expected("a three-digit LA number"),
                        );
                        continue;
                    }
                    let name = row.get("la_name").trim().to_string();
                    &mut out
                        .tables
                        .entry(code)
                        .or_insert((name, PlacementTable::default()))
                        .1
                }
                _ => continue,
            };
            let Some((cells, rest)) = need_cells(&row, p, diags) else {
                continue;
            };
            if let Some(rest) = rest {
                out.suppressed.push((
                    row.get("la_name").trim().to_string(),
                    row.get("breakdown").to_string(),
                    rest,
                ));
            }
            for (i, c) in cells.iter().enumerate() {
                target.counts[p as usize][i] += c;
            }
        }
        out
    }

    /// The release: each authority's figures and England's, with the share of new plans from
    /// `growth` (England's 2024→2025 growth when the caseload file is absent).
    fn into_release(
        self,
        year: i32,
        path: &Path,
        growth: Option<BTreeMap<String, f64>>,
    ) -> Sen2Release {
        let mut release = Sen2Release::default();
        let national_share = growth
            .as_ref()
            .and_then(|g| g.get(""))
            .copied()
            .unwrap_or(NATIONAL_NEW_PLAN_SHARE_2025);
        for (code, (name, t)) in self.tables {
            let share = growth
                .as_ref()
                .and_then(|g| g.get(&code))
                .copied()
                .unwrap_or(national_share);
            release.las.insert(
                code.clone(),
                LaFigures {
                    la_name: name,
                    la_code: code,
                    year,
                    table: t,
                    new_plan_share: share,
                    source: format!(
                        "{} ({})",
                        SEN2_SOURCE.replace("2025", &year.to_string()),
                        path.display()
                    ),
                },
            );
        }
        if self.have_national {
            release.national = Some(LaFigures {
                la_name: "England".into(),
                la_code: String::new(),
                year,
                table: self.national,
                new_plan_share: national_share,
                source: SEN2_SOURCE.into(),
            });
        }
        if !self.suppressed.is_empty() {
            release
                .assumptions
                .push(suppressed_assumption(&self.suppressed));
        }
        if growth.is_none() {
            release.assumptions.push(
                Assumption::new(
                    "new-plans",
                    format!(
                        "{CASELOAD_FILE} not found: the share of new plans is England's net growth 2024→2025, {:.1}%",
                        NATIONAL_NEW_PLAN_SHARE_2025 * 100.0
                    ),
                    SEN2_SOURCE,
                )
                .figure("share", NATIONAL_NEW_PLAN_SHARE_2025),
            );
        }
        release
    }
}

/// A row's plans by need (the first 12 columns' needs and the thirteenth), and when some counts
/// are suppressed, the plans of the row's total not in the known counts, shared over the
/// national need mix of the same placement. `None` when a count cannot be read.
fn need_cells(
    row: &Row<'_>,
    p: Placement,
    diags: &mut Diagnostics,
) -> Option<([u64; 13], Option<u64>)> {
    let total = count(row, "ehc_plans", diags)?;
    let mut cells = [0u64; 13];
    let mut any_suppressed = false;
    let mut ok = true;
    for (i, col) in NEED_COLUMNS.iter().enumerate() {
        match count(row, col, diags) {
            Some(Some(n)) => cells[i] = n,
            Some(None) => any_suppressed = true,
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let total = total.unwrap_or(SUPPRESSED_TOTAL);
    if !any_suppressed {
        return Some((cells, None));
    }
    // Share the row's known total over the national need mix of the same breakdown.
    let known: u64 = cells.iter().sum();
    let rest = total.saturating_sub(known);
    let weights: Vec<f64> = NATIONAL_2025[p as usize][..12]
        .iter()
        .map(|c| *c as f64)
        .collect();
    for (i, extra) in largest_remainder(rest, &weights).into_iter().enumerate() {
        cells[i] += extra;
    }
    Some((cells, Some(rest)))
}

/// The assumption saying how many rows and plans had suppressed need counts, and where.
fn suppressed_assumption(suppressed: &[(String, String, u64)]) -> Assumption {
    let plans: u64 = suppressed.iter().map(|s| s.2).sum();
    let mut las: Vec<&str> = suppressed.iter().map(|s| s.0.as_str()).collect();
    las.dedup();
    Assumption::new(
        "sen2-suppressed",
        format!(
            "{} SEN2 rows have need counts suppressed (x/c/z) in {}: their {plans} plans are shared over the national need mix of the same placement type",
            suppressed.len(),
            las.join(", ")
        ),
        SEN2_SOURCE,
    ).figure("plans", plans as f64)
}

/// Net growth share per LA code ("" for England) from the caseload file, `None` when the file
/// is absent. The file is read by the one caseload reader, [`crate::io::stats::read_caseload`].
pub(super) fn read_growth(
    stats_dir: &Path,
    year: i32,
    diags: &mut Diagnostics,
) -> Option<BTreeMap<String, f64>> {
    let path = stats_dir.join(CASELOAD_FILE);
    if !path.exists() {
        return None;
    }
    let caseload = match crate::io::stats::read_caseload(&path) {
        Ok(c) => c,
        Err(e) => {
            diags.extend(e);
            return None;
        }
    };
    let mut out = BTreeMap::new();
    for series in caseload.england.iter().chain(caseload.las.values()) {
        if let (Some(now), Some(prev)) = (series.at(year), series.at(year - 1)) {
            let code = if series.la_name == "England" && now.la_code.is_empty() {
                String::new()
            } else {
                now.la_code.clone()
            };
            out.insert(
                code,
                (now.total as f64 - prev.total as f64).max(0.0) / now.total as f64,
            );
        }
    }
    Some(out)
}
