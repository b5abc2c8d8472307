//! Published EHC plan figures (DfE SEN2 return): counts by primary need and type of placement
//! for each local authority, read from the release's CSV files, and the national figures for
//! January 2025 written into the code for use without the files.

use super::Assumption;
use crate::rng::largest_remainder;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::io::table::{Row, Table};
use crate::model::{Need, SettingKind};
use std::collections::BTreeMap;
use std::path::Path;

/// The twelve SEN2 primary needs (every census code except NSA), in census order.
pub const PLAN_NEEDS: [Need; 12] = [
    Need::Spld,
    Need::Mld,
    Need::Sld,
    Need::Pmld,
    Need::Semh,
    Need::Slcn,
    Need::Hi,
    Need::Vi,
    Need::Msi,
    Need::Pd,
    Need::Asd,
    Need::Oth,
];

/// Position of `need` in [`PLAN_NEEDS`].
pub fn need_index(need: Need) -> Option<usize> {
    PLAN_NEEDS.iter().position(|n| *n == need)
}

/// Where a child with an EHC plan is placed: the SEN2 "type of placement" breakdowns, grouped
/// into what the synthesiser can tell apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placement {
    /// Mainstream LA-maintained, academy or free school (not in a base or unit).
    Mainstream,
    ResourcedProvision,
    SenUnit,
    IndependentMainstream,
    SpecialMaintained,
    SpecialAcademy,
    SpecialIndependent,
    SpecialNonMaintained,
    /// AP/PRU (LA-maintained, academy, free school).
    AlternativeProvision,
    /// General FE and tertiary colleges, UKRLP providers.
    FurtherEducation,
    SpecialistPost16,
    /// Non-maintained early years: under school age in January.
    EarlyYears,
    /// NEET and "not in education or training" (all three SEN2 kinds).
    NotInEducation,
    /// Elective home education and other arrangements made by parents.
    ElectiveHome,
    /// Every other "educated elsewhere" kind: arrangements by the LA, other placement
    /// settings, online providers, other schools, Welsh establishments.
    ElsewhereOther,
    NotRecorded,
}

impl Placement {
    /// Every placement, in table order.
    pub const ALL: [Placement; 16] = [
        Placement::Mainstream,
        Placement::ResourcedProvision,
        Placement::SenUnit,
        Placement::IndependentMainstream,
        Placement::SpecialMaintained,
        Placement::SpecialAcademy,
        Placement::SpecialIndependent,
        Placement::SpecialNonMaintained,
        Placement::AlternativeProvision,
        Placement::FurtherEducation,
        Placement::SpecialistPost16,
        Placement::EarlyYears,
        Placement::NotInEducation,
        Placement::ElectiveHome,
        Placement::ElsewhereOther,
        Placement::NotRecorded,
    ];

    /// A short key, e.g. `resourced-provision`.
    pub fn key(self) -> &'static str {
        match self {
            Placement::Mainstream => "mainstream",
            Placement::ResourcedProvision => "resourced-provision",
            Placement::SenUnit => "sen-unit",
            Placement::IndependentMainstream => "independent-mainstream",
            Placement::SpecialMaintained => "special-maintained",
            Placement::SpecialAcademy => "special-academy",
            Placement::SpecialIndependent => "special-independent",
            Placement::SpecialNonMaintained => "special-non-maintained",
            Placement::AlternativeProvision => "alternative-provision",
            Placement::FurtherEducation => "further-education",
            Placement::SpecialistPost16 => "specialist-post-16",
            Placement::EarlyYears => "early-years",
            Placement::NotInEducation => "not-in-education",
            Placement::ElectiveHome => "elective-home-education",
            Placement::ElsewhereOther => "elsewhere-other",
            Placement::NotRecorded => "not-recorded",
        }
    }

    /// The placement a SEN2 `breakdown` value belongs to; `None` for totals and unknown text.
    pub fn from_sen2(breakdown: &str) -> Option<Placement> {
        let b = breakdown.trim();
        let lower = b.to_ascii_lowercase();
        if lower.contains("total") || lower == "all ehc plans" {
            return None;
        }
        Some(if lower.starts_with("mainstream") {
            if lower.contains("(resourced provision)") {
                Placement::ResourcedProvision
            } else if lower.contains("(sen unit)") {
                Placement::SenUnit
            } else if lower.contains("independent") {
                Placement::IndependentMainstream
            } else {
                Placement::Mainstream
            }
        } else if lower.starts_with("special") {
            if lower.contains("la maintained") {
                Placement::SpecialMaintained
            } else if lower.contains("academy") {
                Placement::SpecialAcademy
            } else if lower.contains("non-maintained") {
                Placement::SpecialNonMaintained
            } else if lower.contains("independent") {
                Placement::SpecialIndependent
            } else {
                return None;
            }
        } else if lower.starts_with("ap/pru") {
            Placement::AlternativeProvision
        } else if lower.starts_with("fe") {
            if lower.contains("specialist") {
                Placement::SpecialistPost16
            } else {
                Placement::FurtherEducation
            }
        } else if lower.starts_with("non-maintained early years") {
            Placement::EarlyYears
        } else if lower.starts_with("placement not recorded") {
            Placement::NotRecorded
        } else if lower.starts_with("educated elsewhere") {
            if lower.contains("neet") || lower.contains("not in education") {
                Placement::NotInEducation
            } else if lower.contains("elective home") || lower.contains("arrangements by parents") {
                Placement::ElectiveHome
            } else {
                Placement::ElsewhereOther
            }
        } else {
            return None;
        })
    }

    /// The setting kind a child in this placement attends; `None` when not in a setting.
    pub fn setting_kind(self) -> Option<SettingKind> {
        Some(match self {
            Placement::Mainstream => SettingKind::Mainstream,
            Placement::ResourcedProvision => SettingKind::ResourcedProvision,
            Placement::SenUnit => SettingKind::SenUnit,
            Placement::IndependentMainstream => SettingKind::IndependentMainstream,
            Placement::SpecialMaintained => SettingKind::SpecialMaintained,
            Placement::SpecialAcademy => SettingKind::SpecialAcademy,
            Placement::SpecialIndependent => SettingKind::SpecialIndependent,
            Placement::SpecialNonMaintained => SettingKind::SpecialNonMaintained,
            Placement::AlternativeProvision => SettingKind::AlternativeProvision,
            Placement::FurtherEducation | Placement::SpecialistPost16 => {
                SettingKind::FurtherEducation
            }
            _ => return None,
        })
    }
}

/// EHC plan counts by placement × primary need (plus the SEN2 "need unknown" column).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlacementTable {
    /// `counts[placement][need]`, needs in [`PLAN_NEEDS`] order, index 12 = need unknown.
    pub counts: [[u64; 13]; 16],
}

impl PlacementTable {
    /// Count for one cell.
    pub fn get(&self, p: Placement, need: Need) -> u64 {
        need_index(need).map_or(0, |i| self.counts[p as usize][i])
    }
    /// Plans in one placement (need unknown included).
    pub fn placement_total(&self, p: Placement) -> u64 {
        self.counts[p as usize].iter().sum()
    }
    /// All plans.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }
    /// Plans with need unknown.
    pub fn unknown(&self) -> u64 {
        self.counts.iter().map(|r| r[12]).sum()
    }
    /// The same table with each row's "need unknown" plans shared out over the row's known
    /// needs in proportion (largest remainder), or over `fallback` when the row has none.
    pub fn without_unknown(&self, fallback: &[f64; 12]) -> PlacementTable {
        let mut out = self.clone();
        for row in &mut out.counts {
            let unknown = row[12];
            if unknown == 0 {
                continue;
            }
            let known: Vec<f64> = row[..12].iter().map(|c| *c as f64).collect();
            let weights = if known.iter().sum::<f64>() > 0.0 {
                known
            } else {
                fallback.to_vec()
            };
            for (i, extra) in largest_remainder(unknown, &weights).into_iter().enumerate() {
                row[i] += extra;
            }
            row[12] = 0;
        }
        out
    }
    /// The table scaled to `total` plans by largest remainder over every cell.
    pub fn scaled_to(&self, total: u64) -> PlacementTable {
        let cells: Vec<f64> = self.counts.iter().flatten().map(|c| *c as f64).collect();
        let parts = largest_remainder(total, &cells);
        let mut out = PlacementTable::default();
        for (i, v) in parts.into_iter().enumerate() {
            out.counts[i / 13][i % 13] = v;
        }
        out
    }
    /// Plans per known need over all placements.
    pub fn need_mix(&self) -> [f64; 12] {
        let mut mix = [0.0; 12];
        for row in &self.counts {
            for (i, c) in row[..12].iter().enumerate() {
                mix[i] += *c as f64;
            }
        }
        mix
    }
}

/// The published figures for one local authority (or England) used by the synthesiser.
#[derive(Clone, Debug, PartialEq)]
pub struct LaFigures {
    pub la_name: String,
    /// Three-digit DfE LA number (`old_la_code`), empty for England.
    pub la_code: String,
    /// SEN2 reporting year: January of this year.
    pub year: i32,
    pub table: PlacementTable,
    /// Share of this January's plans that were not in last January's caseload (net growth),
    /// used as the share of plans that are new.
    pub new_plan_share: f64,
    /// Where the figures come from.
    pub source: String,
}

impl LaFigures {
    /// The national SEN2 January 2025 figures written into the code (see [`NATIONAL_2025`]).
    pub fn national_2025() -> LaFigures {
        LaFigures {
            la_name: "England".into(),
            la_code: String::new(),
            year: 2025,
            table: PlacementTable {
                counts: NATIONAL_2025,
            },
            new_plan_share: NATIONAL_NEW_PLAN_SHARE_2025,
            source: SEN2_SOURCE.into(),
        }
    }
    /// These figures' mix scaled to `total` plans (largest remainder), keeping the source.
    pub fn scaled(&self, name: &str, total: u64) -> LaFigures {
        LaFigures {
            la_name: name.to_string(),
            la_code: String::new(),
            year: self.year,
            table: self.table.scaled_to(total),
            new_plan_share: self.new_plan_share,
            source: format!(
                "{} mix scaled to {total} plans ({})",
                self.la_name, self.source
            ),
        }
    }
}

/// The source named in assumptions.
pub const SEN2_SOURCE: &str = "DfE, Education, health and care plans, reporting year 2025 (SEN2, January 2025), Open Government Licence v3.0";

/// England, January 2025: EHC plans by placement (rows, [`Placement::ALL`] order) and primary
/// need (columns: SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, need unknown).
/// Sums of the national "Type of placement" rows of DfE SEN2 2025 (`sen_needs_all_plans.csv`),
/// grouped as [`Placement::from_sen2`] does; total 638,745.
pub const NATIONAL_2025: [[u64; 13]; 16] = [
    [
        6860, 24738, 3113, 661, 49195, 71807, 3187, 2413, 572, 9187, 69290, 3179, 2336,
    ],
    [
        226, 932, 251, 52, 1401, 4572, 920, 202, 43, 504, 6279, 103, 44,
    ],
    [180, 734, 163, 32, 812, 2771, 303, 42, 24, 200, 3600, 50, 84],
    [327, 680, 65, 9, 2136, 1116, 141, 87, 23, 271, 2173, 98, 48],
    [
        883, 9662, 9436, 3593, 7734, 16144, 1013, 543, 371, 4126, 31081, 1038, 296,
    ],
    [
        1011, 7838, 5207, 2321, 11775, 13325, 463, 411, 265, 3045, 26918, 934, 419,
    ],
    [
        744, 1713, 623, 133, 10927, 3409, 81, 49, 36, 288, 11254, 247, 143,
    ],
    [42, 273, 231, 208, 515, 660, 361, 102, 32, 395, 1494, 56, 12],
    [62, 184, 37, 19, 3059, 432, 26, 5, 5, 40, 896, 42, 51],
    [
        2317, 12367, 3185, 430, 19372, 10556, 1390, 698, 144, 3474, 23218, 841, 491,
    ],
    [
        166, 1229, 1098, 333, 1363, 971, 102, 191, 34, 598, 3438, 122, 30,
    ],
    [44, 225, 127, 131, 87, 2105, 66, 50, 26, 332, 1175, 78, 78],
    [
        613, 2675, 812, 183, 10225, 2588, 319, 201, 40, 775, 6190, 286, 407,
    ],
    [
        146, 711, 179, 137, 1999, 1394, 61, 44, 22, 312, 2986, 98, 78,
    ],
    [
        294, 1150, 379, 154, 6484, 1475, 103, 67, 31, 495, 5210, 235, 192,
    ],
    [
        459, 2750, 775, 181, 5133, 2511, 229, 175, 24, 855, 5981, 105, 161,
    ],
];

/// England's net growth in EHC plans, January 2024 to January 2025: (638,745 − 576,474) /
/// 638,745 (DfE SEN2 caseload, 2019–2025).
pub const NATIONAL_NEW_PLAN_SHARE_2025: f64 = (638_745.0 - 576_474.0) / 638_745.0;

/// SEN support pupils by primary need, England, January 2022 (school census, as published in
/// DfE "Outcomes for children in need", all-pupils comparison group, `pt_<NEED>_ss`), in
/// [`PLAN_NEEDS`] order followed by NSA. Percentages of SEN support pupils.
pub const SEN_SUPPORT_MIX_2022: [(Need, f64); 13] = [
    (Need::Spld, 14.4),
    (Need::Mld, 18.9),
    (Need::Sld, 0.2),
    (Need::Pmld, 0.1),
    (Need::Semh, 20.0),
    (Need::Slcn, 25.1),
    (Need::Hi, 1.6),
    (Need::Vi, 0.9),
    (Need::Msi, 0.3),
    (Need::Pd, 2.2),
    (Need::Asd, 7.6),
    (Need::Oth, 4.3),
    (Need::Nsa, 4.4),
];

/// Figures for every local authority in one SEN2 release, and England.
#[derive(Clone, Debug, Default)]
pub struct Sen2Release {
    /// By three-digit LA code.
    pub las: BTreeMap<String, LaFigures>,
    pub national: Option<LaFigures>,
    /// How suppressed and unknown values were handled.
    pub assumptions: Vec<Assumption>,
}

impl Sen2Release {
    /// The figures of the authority named `la` (name or three-digit code, any case).
    pub fn find(&self, la: &str) -> Option<&LaFigures> {
        let want = la.trim();
        self.las.get(want).or_else(|| {
            self.las
                .values()
                .find(|f| f.la_name.eq_ignore_ascii_case(want))
        })
    }
    /// A located error for an authority that is not in the release.
    pub fn unknown_la(&self, la: &str, stats_dir: &Path) -> Diagnostic {
        let names: Vec<&str> = self.las.values().map(|f| f.la_name.as_str()).collect();
        Diagnostic::file(
            Code::UnknownReference,
            &stats_dir.join(NEED_FILE),
            format!("no local authority `{la}` in the SEN2 figures"),
        )
        .field("la_name")
        .expected("an LA name or three-digit code from the file")
        .help(did_you_mean(la, names))
    }
}

/// The SEN2 file of plans by primary need and placement.
pub const NEED_FILE: &str = "ehcp_primary_need_by_placement_jan2025.csv";
/// The SEN2 file of plans by setting over several years.
pub const CASELOAD_FILE: &str = crate::io::stats::CASELOAD_FILE;

const NEED_COLUMNS: [&str; 13] = [
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

fn read_table(path: &Path, required: &[&str], diags: &mut Diagnostics) -> Option<Table> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::file(
                Code::Io,
                path,
                format!("cannot read: {e}"),
            ));
            return None;
        }
    };
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

fn count(row: &Row<'_>, col: &str, diags: &mut Diagnostics) -> Option<Option<u64>> {
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
    let mut required = vec![
        "time_period",
        "geographic_level",
        "la_name",
        "old_la_code",
        "breakdown_topic",
        "breakdown",
        "ehc_plans",
    ];
    required.extend(NEED_COLUMNS);
    let Some(table) = read_table(&path, &required, &mut diags) else {
        return Err(diags);
    };
    let period = time_period(year);
    let mut tables: BTreeMap<String, (String, PlacementTable)> = BTreeMap::new();
    let mut national = PlacementTable::default();
    let mut have_national = false;
    let mut suppressed: Vec<(String, String, u64)> = Vec::new();
    let mut periods = std::collections::BTreeSet::new();
    for row in table.iter() {
        periods.insert(row.get("time_period").to_string());
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
                have_national = true;
                &mut national
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
                &mut tables
                    .entry(code)
                    .or_insert((name, PlacementTable::default()))
                    .1
            }
            _ => continue,
        };
        let Some(total) = count(&row, "ehc_plans", &mut diags) else {
            continue;
        };
        let mut cells = [0u64; 13];
        let mut any_suppressed = false;
        let mut ok = true;
        for (i, col) in NEED_COLUMNS.iter().enumerate() {
            match count(&row, col, &mut diags) {
                Some(Some(n)) => cells[i] = n,
                Some(None) => any_suppressed = true,
                None => ok = false,
            }
        }
        if !ok {
            continue;
        }
        let total = total.unwrap_or(SUPPRESSED_TOTAL);
        if any_suppressed {
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
            suppressed.push((
                row.get("la_name").trim().to_string(),
                row.get("breakdown").to_string(),
                rest,
            ));
        }
        for (i, c) in cells.iter().enumerate() {
            target.counts[p as usize][i] += c;
        }
    }
    if !periods.contains(&period) && !table.rows.is_empty() {
        diags.push(
            Diagnostic::file(
                Code::InvalidValue,
                &path,
                format!("no figures for January {year} (time_period {period})"),
            )
            .field("time_period")
            .expected(format!(
                "one of: {}",
                periods.iter().cloned().collect::<Vec<_>>().join(", ")
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
    let mut release = Sen2Release::default();
    let national_share = growth
        .as_ref()
        .and_then(|g| g.get(""))
        .copied()
        .unwrap_or(NATIONAL_NEW_PLAN_SHARE_2025);
    for (code, (name, t)) in tables {
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
    if have_national {
        release.national = Some(LaFigures {
            la_name: "England".into(),
            la_code: String::new(),
            year,
            table: national,
            new_plan_share: national_share,
            source: SEN2_SOURCE.into(),
        });
    }
    if !suppressed.is_empty() {
        let plans: u64 = suppressed.iter().map(|s| s.2).sum();
        let mut las: Vec<&str> = suppressed.iter().map(|s| s.0.as_str()).collect();
        las.dedup();
        release.assumptions.push(Assumption::new(
            "sen2-suppressed",
            format!(
                "{} SEN2 rows have need counts suppressed (x/c/z) in {}: their {plans} plans are shared over the national need mix of the same placement type",
                suppressed.len(),
                las.join(", ")
            ),
            SEN2_SOURCE,
        ).figure("plans", plans as f64));
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
    Ok(release)
}

/// Net growth share per LA code ("" for England) from the caseload file, `None` when the file
/// is absent. The file is read by the one caseload reader, [`crate::io::stats::read_caseload`].
fn read_growth(
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

#[cfg(test)]
mod tests;
