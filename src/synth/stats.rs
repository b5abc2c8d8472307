//! Published EHC plan figures (DfE SEN2 return): counts by primary need and type of placement
//! for each local authority, read from the release's CSV files, and the national figures for
//! January 2025 written into the code for use without the files.

use super::Assumption;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::{Need, SettingKind};
use crate::rng::largest_remainder;
use std::collections::BTreeMap;
use std::path::Path;

mod national;
mod read;

pub use national::{
    NATIONAL_2025, NATIONAL_NEW_PLAN_SHARE_2025, SEN_SUPPORT_MIX_2022, SEN2_SOURCE,
};
#[cfg(any(test, feature = "testing"))]
pub use read::{CASELOAD_FILE, SUPPRESSED_TOTAL, time_period};
pub use read::{NEED_FILE, header_names, read_sen2};

/// The twelve SEN2 primary needs (every census code except NSA, which [`Need::ALL`] lists
/// last), in census order.
pub const PLAN_NEEDS: [Need; 12] = {
    let mut needs = [Need::Spld; 12];
    let mut i = 0;
    while i < needs.len() {
        needs[i] = Need::ALL[i];
        i += 1;
    }
    needs
};

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

/// How a SEN2 `breakdown` label (lower case) names a placement: the first row whose start
/// the label begins with and which holds one of its words (or has none) wins.
const SEN2_BREAKDOWNS: [(&str, &[&str], Placement); 16] = [
    (
        "mainstream",
        &["(resourced provision)"],
        Placement::ResourcedProvision,
    ),
    ("mainstream", &["(sen unit)"], Placement::SenUnit),
    (
        "mainstream",
        &["independent"],
        Placement::IndependentMainstream,
    ),
    ("mainstream", &[], Placement::Mainstream),
    ("special", &["la maintained"], Placement::SpecialMaintained),
    ("special", &["academy"], Placement::SpecialAcademy),
    (
        "special",
        &["non-maintained"],
        Placement::SpecialNonMaintained,
    ),
    ("special", &["independent"], Placement::SpecialIndependent),
    ("ap/pru", &[], Placement::AlternativeProvision),
    ("fe", &["specialist"], Placement::SpecialistPost16),
    ("fe", &[], Placement::FurtherEducation),
    ("non-maintained early years", &[], Placement::EarlyYears),
    ("placement not recorded", &[], Placement::NotRecorded),
    (
        "educated elsewhere",
        &["neet", "not in education"],
        Placement::NotInEducation,
    ),
    (
        "educated elsewhere",
        &["elective home", "arrangements by parents"],
        Placement::ElectiveHome,
    ),
    ("educated elsewhere", &[], Placement::ElsewhereOther),
];

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
        SEN2_BREAKDOWNS
            .iter()
            .find(|(start, any_of, _)| {
                lower.starts_with(start)
                    && (any_of.is_empty() || any_of.iter().any(|w| lower.contains(w)))
            })
            .map(|&(_, _, p)| p)
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
    #[cfg(any(test, feature = "testing"))]
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

#[cfg(test)]
mod tests;
