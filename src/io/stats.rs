//! Reading the published caseload history: DfE SEN2 "Education, health and care plans",
//! caseload by type of setting, every January 2019–2025 (`ehcp_caseload_by_setting_2019_2025.csv`).
//!
//! This is the only reader of that file. Every value used is range-checked and a bad one is
//! reported with its file, row and column: a count that is not a whole number, a total of zero
//! plans (which would make growth rates infinite), groups that add up to more than the total, or
//! two figures for one authority in the same January.

use super::table::Table;
use crate::diag::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::model::SettingKind;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The SEN2 file of plans by type of setting over several years.
pub const CASELOAD_FILE: &str = "ehcp_caseload_by_setting_2019_2025.csv";

/// The columns a DfE statistics table by local authority and breakdown starts with.
pub(crate) const LA_BREAKDOWN_COLUMNS: [&str; 5] = [
    "time_period",
    "geographic_level",
    "la_name",
    "old_la_code",
    "breakdown_topic",
];

/// The most plans one authority (or England) can plausibly have: a guard against corrupt input.
pub const MAX_PLANS: u64 = 10_000_000;

/// Where a child with an EHC plan is, in the groups the published caseload separates. The
/// groups partition the caseload: `Mainstream` is mainstream schools outside resource bases and
/// units (independent mainstream included, as SEN2's `mainstream_total` does), and `Elsewhere`
/// is every plan not in a school or college (elective home education, other arrangements,
/// NEET, non-maintained early years, placement not recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlacementGroup {
    /// Mainstream schools, independent ones included, outside resource bases and units.
    Mainstream,
    /// Resourced provision and SEN units.
    ResourceBase,
    /// Maintained special schools and special academies.
    StateSpecial,
    /// Independent and non-maintained special schools.
    IndependentSpecial,
    /// Alternative provision and pupil referral units.
    AlternativeProvision,
    /// Further education and specialist post-16 institutions.
    FurtherEducation,
    /// Not in a school or college.
    Elsewhere,
}

impl PlacementGroup {
    /// Every group, in table order.
    pub const ALL: [PlacementGroup; 7] = [
        PlacementGroup::Mainstream,
        PlacementGroup::ResourceBase,
        PlacementGroup::StateSpecial,
        PlacementGroup::IndependentSpecial,
        PlacementGroup::AlternativeProvision,
        PlacementGroup::FurtherEducation,
        PlacementGroup::Elsewhere,
    ];

    /// A short stable key, e.g. `state-special`.
    pub fn key(self) -> &'static str {
        match self {
            PlacementGroup::Mainstream => "mainstream",
            PlacementGroup::ResourceBase => "resource-base",
            PlacementGroup::StateSpecial => "state-special",
            PlacementGroup::IndependentSpecial => "independent-special",
            PlacementGroup::AlternativeProvision => "alternative-provision",
            PlacementGroup::FurtherEducation => "further-education",
            PlacementGroup::Elsewhere => "elsewhere",
        }
    }

    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            PlacementGroup::Mainstream => "mainstream (not in a base)",
            PlacementGroup::ResourceBase => "resourced provision and SEN units",
            PlacementGroup::StateSpecial => "state special schools",
            PlacementGroup::IndependentSpecial => "independent and non-maintained special",
            PlacementGroup::AlternativeProvision => "alternative provision",
            PlacementGroup::FurtherEducation => "FE and post-16",
            PlacementGroup::Elsewhere => "educated elsewhere",
        }
    }

    /// The group of a child in a setting of `kind`, or with no setting.
    pub fn of_kind(kind: Option<SettingKind>) -> PlacementGroup {
        match kind {
            None => PlacementGroup::Elsewhere,
            Some(SettingKind::Mainstream | SettingKind::IndependentMainstream) => {
                PlacementGroup::Mainstream
            }
            Some(SettingKind::ResourcedProvision | SettingKind::SenUnit) => {
                PlacementGroup::ResourceBase
            }
            Some(SettingKind::SpecialMaintained | SettingKind::SpecialAcademy) => {
                PlacementGroup::StateSpecial
            }
            Some(SettingKind::SpecialIndependent | SettingKind::SpecialNonMaintained) => {
                PlacementGroup::IndependentSpecial
            }
            Some(SettingKind::AlternativeProvision) => PlacementGroup::AlternativeProvision,
            Some(SettingKind::FurtherEducation) => PlacementGroup::FurtherEducation,
        }
    }
}

/// One January's published caseload for one authority.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseloadPoint {
    /// The January of the snapshot (2025 for `time_period` 202425).
    pub year: i32,
    /// All EHC plans.
    pub total: u64,
    /// Plans per [`PlacementGroup`] (in [`PlacementGroup::ALL`] order), adding up to `total`;
    /// `None` when DfE suppressed the breakdown.
    pub groups: Option<[u64; 7]>,
    /// Plans whose placement was not recorded (`placement_unknown`, a category SEN2 has had
    /// only since January 2023; 0 before or when suppressed). Part of `Elsewhere`.
    pub not_recorded: u64,
    /// Three-digit LA number in that year (`old_la_code`), empty for England.
    pub la_code: String,
    /// Data row in the file, for messages.
    pub row: usize,
}

/// An authority's (or England's) caseload, one point per January, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseloadSeries {
    pub la_name: String,
    pub points: Vec<CaseloadPoint>,
}

impl CaseloadSeries {
    /// The point for January `year`.
    pub fn at(&self, year: i32) -> Option<&CaseloadPoint> {
        self.points.iter().find(|p| p.year == year)
    }
}

/// The whole caseload file: England and every local authority.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Caseload {
    pub path: PathBuf,
    pub england: Option<CaseloadSeries>,
    /// Local authorities by name (boundary changes keep a name's series together).
    pub las: BTreeMap<String, CaseloadSeries>,
}

impl Caseload {
    /// The series of `la` (a name as published, any case, or `England`).
    pub fn find(&self, la: &str) -> Option<&CaseloadSeries> {
        let want = la.trim();
        if want.eq_ignore_ascii_case("england") {
            return self.england.as_ref();
        }
        self.las
            .values()
            .find(|s| s.la_name.eq_ignore_ascii_case(want))
            .or_else(|| {
                self.las.values().find(|s| {
                    s.points
                        .last()
                        .is_some_and(|p| !p.la_code.is_empty() && p.la_code == want)
                })
            })
    }

    /// A located error for an authority that is not in the file.
    pub fn unknown_la(&self, la: &str) -> Diagnostic {
        Diagnostic::file(
            Code::UnknownReference,
            &self.path,
            format!("no caseload series for `{la}`"),
        )
        .field("la_name")
        .expected("a local authority name as published, or England")
        .help(did_you_mean(la, self.las.keys().map(String::as_str)))
    }

    /// The file path of a caseload given as the file or its folder.
    pub fn file_in(path: &Path) -> PathBuf {
        if path.is_dir() {
            path.join(CASELOAD_FILE)
        } else {
            path.to_path_buf()
        }
    }
}

/// Columns of each group: plans in the group are the sum of these, except `Mainstream`, which
/// is `mainstream_total` less the resource-base columns, and `Elsewhere`, which is the rest.
const BASE_COLUMNS: [&str; 6] = [
    "mainstream_la_maintained_resourced_provision",
    "mainstream_la_maintained_senunit",
    "mainstream_academy_resourced_provision",
    "mainstream_academy_senunit",
    "mainstream_free_school_resourced_provision",
    "mainstream_free_school_senunit",
];
const STATE_SPECIAL: [&str; 2] = ["special_la_maintained", "special_academy_free"];
const INDEPENDENT_SPECIAL: [&str; 2] = ["special_independent", "special_non_maintained"];

/// `time_period` as the January it ends in: 202425 → 2025. `None` unless it is six digits
/// naming consecutive years between 2000 and 2100.
pub fn january_of(period: &str) -> Option<i32> {
    if period.len() != 6 || !period.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let start: i32 = period[..4].parse().ok()?;
    let end: i32 = period[4..].parse().ok()?;
    ((2000..2100).contains(&start) && (start + 1) % 100 == end).then_some(start + 1)
}

/// Reads the caseload file: England's and every local authority's plans by group, each
/// January. Suppressed breakdowns (`x`, `c`, `z`) leave a point without groups; a suppressed
/// total leaves the point out. Every other bad value is a located error.
pub fn read_caseload(path: &Path) -> Result<Caseload, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut cols = LA_BREAKDOWN_COLUMNS.to_vec();
    cols.extend(["ehcplans", "mainstream_total", "ap_pru_total", "fe_total"]);
    cols.extend(BASE_COLUMNS);
    cols.extend(STATE_SPECIAL);
    cols.extend(INDEPENDENT_SPECIAL);
    let Some(table) = Table::read_lenient(path, &cols, &mut diags) else {
        return Err(diags);
    };
    let mut england: Option<CaseloadSeries> = None;
    let mut las: BTreeMap<String, CaseloadSeries> = BTreeMap::new();
    for row in table.iter() {
        let Some((national, name, point)) = caseload_point(&row, &mut diags) else {
            continue;
        };
        let year = point.year;
        let series = if national {
            england.get_or_insert_with(|| CaseloadSeries {
                la_name: name.clone(),
                points: Vec::new(),
            })
        } else {
            las.entry(name.clone()).or_insert_with(|| CaseloadSeries {
                la_name: name.clone(),
                points: Vec::new(),
            })
        };
        if let Some(first) = series.points.iter().find(|p| p.year == year) {
            diags.push(
                row.error(
                    Code::DuplicateId,
                    "time_period",
                    format!(
                        "a second caseload for {name} in January {year} (the first is at row {})",
                        first.row
                    ),
                )
                .expected("one row per authority and year"),
            );
            continue;
        }
        series.points.push(point);
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    for s in england.iter_mut().chain(las.values_mut()) {
        s.points.sort_by_key(|p| p.year);
    }
    if england.is_none() && las.is_empty() {
        diags.push(
            Diagnostic::file(
                Code::MissingField,
                path,
                "no `All EHC plans` rows for England or any local authority",
            )
            .field("breakdown_topic")
            .expected("rows with breakdown_topic `All EHC plans`"),
        );
        return Err(diags);
    }
    Ok(Caseload {
        path: path.to_path_buf(),
        england,
        las,
    })
}

/// One row's point of a caseload series, with whether it is England's and the authority's
/// name; `None` for rows of other breakdowns or levels, a suppressed total, or a bad value
/// (reported).
fn caseload_point(
    row: &super::table::Row<'_>,
    diags: &mut Diagnostics,
) -> Option<(bool, String, CaseloadPoint)> {
    if !row
        .get("breakdown_topic")
        .eq_ignore_ascii_case("All EHC plans")
    {
        return None;
    }
    let level = row.get("geographic_level");
    if level != "National" && level != "Local authority" {
        return None;
    }
    let Some(year) = row.parse(
        "time_period",
        "an academic year such as 202425 (January 2025)",
        diags,
        january_of,
    ) else {
        if row.get("time_period").is_empty() {
            diags.push(
                row.error(Code::MissingField, "time_period", "`time_period` is empty")
                    .expected("an academic year such as 202425"),
            );
        }
        return None;
    };
    let total = count(row, "ehcplans", "plans", diags)??;
    if total == 0 {
        diags.push(
            row.error(Code::InvalidValue, "ehcplans", "an authority with no plans")
                .expected(format!("a number of plans from 1 to {MAX_PLANS}"))
                .found("0"),
        );
        return None;
    }
    let groups = groups_of(row, total, diags);
    let not_recorded = match count(row, "placement_unknown", "plans", diags) {
        Some(Some(n)) => n,
        _ => 0,
    };
    let name = if level == "National" {
        "England".to_string()
    } else {
        let n = row.get("la_name").trim().to_string();
        if n.is_empty() {
            diags.push(
                row.error(Code::MissingField, "la_name", "`la_name` is empty")
                    .expected("the local authority's name"),
            );
            return None;
        }
        n
    };
    let point = CaseloadPoint {
        year,
        total,
        groups: groups.unwrap_or(None),
        not_recorded,
        la_code: row.get("old_la_code").trim().to_string(),
        row: row.number,
    };
    Some((level == "National", name, point))
}

/// A count in `col`: `Some(Some(n))`, `Some(None)` when suppressed (`x`, `c`, `z`, `u`, `low`
/// or empty), `None` after an error. `unit` names what is counted in the message (`plans`);
/// empty for a bare count.
pub(super) fn count(
    row: &super::table::Row<'_>,
    col: &str,
    unit: &str,
    diags: &mut Diagnostics,
) -> Option<Option<u64>> {
    let v = row.get(col).trim();
    if matches!(v, "x" | "c" | "z" | "" | "u" | "low") {
        return Some(None);
    }
    match v.replace(',', "").parse::<u64>() {
        Ok(n) if n <= MAX_PLANS => Some(Some(n)),
        _ => {
            let (what, of) = if unit.is_empty() {
                ("a count".to_string(), String::new())
            } else {
                (unit.to_string(), format!(" of {unit}"))
            };
            diags.push(
                row.error(
                    Code::InvalidValue,
                    col,
                    format!("cannot read `{v}` as {what}"),
                )
                .expected(format!(
                    "a whole number{of} from 0 to {MAX_PLANS}, or a DfE suppression code x, c or z"
                ))
                .found(format!("`{v}`")),
            );
            None
        }
    }
}

/// The group counts of a row; `Some(None)` when any is suppressed, `None` after an error.
fn groups_of(
    row: &super::table::Row<'_>,
    total: u64,
    diags: &mut Diagnostics,
) -> Option<Option<[u64; 7]>> {
    let before = diags.diagnostics.len();
    let mut suppressed = false;
    let mut sum = |cols: &[&str], diags: &mut Diagnostics| -> u64 {
        let mut s = 0;
        for c in cols {
            match count(row, c, "plans", diags) {
                Some(Some(n)) => s += n,
                Some(None) => suppressed = true,
                None => {}
            }
        }
        s
    };
    let mainstream_total = sum(&["mainstream_total"], diags);
    let bases = sum(&BASE_COLUMNS, diags);
    let state = sum(&STATE_SPECIAL, diags);
    let independent = sum(&INDEPENDENT_SPECIAL, diags);
    let ap = sum(&["ap_pru_total"], diags);
    let fe = sum(&["fe_total"], diags);
    if diags.diagnostics.len() > before {
        return None;
    }
    if suppressed {
        return Some(None);
    }
    if bases > mainstream_total {
        diags.push(
            row.error(
                Code::InvalidValue,
                "mainstream_total",
                format!("{bases} plans in resource bases and units but {mainstream_total} in all mainstream"),
            )
            .expected("mainstream_total including its resourced provision and SEN units"),
        );
        return None;
    }
    let placed = mainstream_total + state + independent + ap + fe;
    if placed > total {
        diags.push(
            row.error(
                Code::InvalidValue,
                "ehcplans",
                format!("{placed} plans in schools and colleges but {total} in all"),
            )
            .expected("a total at least the sum of the types of setting")
            .found(total.to_string()),
        );
        return None;
    }
    Some(Some([
        mainstream_total - bases,
        bases,
        state,
        independent,
        ap,
        fe,
        total - placed,
    ]))
}

/// A located error about a derived figure (a growth rate or share out of range), pointing at
/// the row of the series it came from.
pub fn derived_error(
    caseload: &Caseload,
    point: &CaseloadPoint,
    column: &str,
    message: String,
    expected: &str,
) -> Diagnostic {
    Diagnostic::file(Code::InvalidValue, &caseload.path, message)
        .at(Location::Row {
            row: point.row,
            column: column.to_string(),
        })
        .field(column)
        .expected(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_januaries() {
        assert_eq!(january_of("202425"), Some(2025));
        assert_eq!(january_of("201819"), Some(2019));
        assert_eq!(january_of("202426"), None);
        assert_eq!(january_of("2024"), None);
        assert_eq!(january_of("abcdef"), None);
    }

    #[test]
    fn kinds_fall_in_the_published_groups() {
        assert_eq!(
            PlacementGroup::of_kind(Some(SettingKind::IndependentMainstream)),
            PlacementGroup::Mainstream
        );
        assert_eq!(
            PlacementGroup::of_kind(Some(SettingKind::SpecialNonMaintained)),
            PlacementGroup::IndependentSpecial
        );
        assert_eq!(PlacementGroup::of_kind(None), PlacementGroup::Elsewhere);
    }
}
