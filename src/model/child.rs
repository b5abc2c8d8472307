//! Need profiles: what the engine knows about one child or young person.

use super::need::{Intensity, Need, NeedSet};
use super::units::{ChildId, GridRef, SettingId, Sex, YearGroup};
use serde::{Deserialize, Serialize};

/// A declarative need profile. Pseudonymous: no names, only an id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedProfile {
    /// Pseudonymous id.
    pub id: ChildId,
    /// National curriculum year in the placement year.
    pub year: YearGroup,
    /// Sex, for single-sex settings.
    pub sex: Sex,
    /// Home location (British National Grid).
    pub home: GridRef,
    /// Primary need (census code).
    pub primary_need: Need,
    /// Secondary needs.
    pub secondary_needs: NeedSet,
    /// Intensity per broad area of need.
    pub intensity: Intensity,
    /// Provision features the child requires, e.g. `signing`.
    pub features: Vec<String>,
    /// Plan level id from the rules' ladder, e.g. `sen-support`, `ehcp`.
    pub plan_level: String,
    /// The setting attended now, if any.
    pub current_setting: Option<SettingId>,
    /// Parental preferences, most wanted first.
    pub preferences: Vec<SettingId>,
    /// Settings that siblings attend.
    pub sibling_settings: Vec<SettingId>,
    /// True when the child needs a place in this round (new plan, phase transfer, move).
    pub needs_place: bool,
    /// Locality (planning area) of the home.
    pub locality: String,
    /// An arrangement other than a school (SEN2 setting code), for a child with no current
    /// setting: such a child stays where they are in a placement round unless they ask for a
    /// place (`needs_place`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrangement: Option<Arrangement>,
    /// The Specialist Provision Packages the need profile names (`children.csv` `package`);
    /// empty when it names none, and the rules derive them from needs and intensities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
}

/// Where a child with an EHC plan is educated when it is not a school: the SEN2 person-level
/// return's `SENsetting` codes for a placement without a URN or UKPRN (DfE, *Special
/// educational needs person level survey 2025: guide*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Arrangement {
    /// Other arrangements made by the local authority, including education otherwise than at
    /// school (Children and Families Act 2014 s.61).
    #[serde(rename = "OLA")]
    Ola,
    /// Other arrangements made by parents or another person, excluding elective home
    /// education (s.42(5)).
    #[serde(rename = "OPA")]
    Opa,
    /// Elective home education.
    #[serde(rename = "EHE")]
    Ehe,
    /// An early-years provider with no URN.
    #[serde(rename = "EYP")]
    Eyp,
    /// Other: a type of provision named but no setting.
    #[serde(rename = "OTH")]
    Oth,
    /// Not in education, employment or training (ages 16–25).
    #[serde(rename = "NEET")]
    Neet,
    /// Not in education or training, notice to cease the plan issued.
    #[serde(rename = "NIEC")]
    Niec,
    /// Not in education or training, other.
    #[serde(rename = "NIEO")]
    Nieo,
}

impl Arrangement {
    /// Every arrangement, in the SEN2 guide's order.
    pub const ALL: [Arrangement; 8] = [
        Arrangement::Ola,
        Arrangement::Opa,
        Arrangement::Ehe,
        Arrangement::Eyp,
        Arrangement::Oth,
        Arrangement::Neet,
        Arrangement::Niec,
        Arrangement::Nieo,
    ];
    /// The SEN2 code, e.g. `EHE`.
    pub fn code(self) -> &'static str {
        match self {
            Arrangement::Ola => "OLA",
            Arrangement::Opa => "OPA",
            Arrangement::Ehe => "EHE",
            Arrangement::Eyp => "EYP",
            Arrangement::Oth => "OTH",
            Arrangement::Neet => "NEET",
            Arrangement::Niec => "NIEC",
            Arrangement::Nieo => "NIEO",
        }
    }
    /// The arrangement with SEN2 code `code` (any case).
    pub fn parse(code: &str) -> Option<Arrangement> {
        Arrangement::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(code.trim()))
    }
    /// Every code, in order.
    pub fn codes() -> Vec<&'static str> {
        Arrangement::ALL.iter().map(|a| a.code()).collect()
    }
}

impl std::fmt::Display for Arrangement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl NeedProfile {
    /// Primary and secondary needs together.
    pub fn all_needs(&self) -> NeedSet {
        let mut s = self.secondary_needs;
        s.insert(self.primary_need);
        s
    }
}
