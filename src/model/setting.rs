//! Settings (schools, resource bases, units, colleges) and their place pools.

use super::need::NeedSet;
use super::units::{Admits, GridRef, PoolId, Pounds, SettingId, YearGroup};
use serde::{Deserialize, Serialize};

/// What kind of provision a setting is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingKind {
    /// A state-funded mainstream school.
    Mainstream,
    /// Places for a designated need inside a mainstream school; pupils mostly in mainstream classes.
    ResourcedProvision,
    /// Places for a designated need inside a mainstream school; pupils mostly taught separately.
    SenUnit,
    /// LA-maintained (community or foundation) special school.
    SpecialMaintained,
    /// Academy or free special school.
    SpecialAcademy,
    /// Non-maintained special school.
    SpecialNonMaintained,
    /// Independent special school.
    SpecialIndependent,
    /// Independent mainstream school.
    IndependentMainstream,
    /// Alternative provision or pupil referral unit.
    AlternativeProvision,
    /// Further education college or specialist post-16 institution.
    FurtherEducation,
}

impl std::fmt::Display for SettingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl SettingKind {
    /// Every kind.
    pub const ALL: [SettingKind; 10] = [
        SettingKind::Mainstream,
        SettingKind::ResourcedProvision,
        SettingKind::SenUnit,
        SettingKind::SpecialMaintained,
        SettingKind::SpecialAcademy,
        SettingKind::SpecialNonMaintained,
        SettingKind::SpecialIndependent,
        SettingKind::IndependentMainstream,
        SettingKind::AlternativeProvision,
        SettingKind::FurtherEducation,
    ];
    /// The key used in files, e.g. `resourced-provision`.
    pub fn key(self) -> &'static str {
        match self {
            SettingKind::Mainstream => "mainstream",
            SettingKind::ResourcedProvision => "resourced-provision",
            SettingKind::SenUnit => "sen-unit",
            SettingKind::SpecialMaintained => "special-maintained",
            SettingKind::SpecialAcademy => "special-academy",
            SettingKind::SpecialNonMaintained => "special-non-maintained",
            SettingKind::SpecialIndependent => "special-independent",
            SettingKind::IndependentMainstream => "independent-mainstream",
            SettingKind::AlternativeProvision => "alternative-provision",
            SettingKind::FurtherEducation => "further-education",
        }
    }
    /// Every file key, in the order of [`SettingKind::ALL`].
    pub fn keys() -> Vec<&'static str> {
        SettingKind::ALL.iter().map(|k| k.key()).collect()
    }
    /// Parses a file key.
    pub fn parse(text: &str) -> Option<SettingKind> {
        SettingKind::ALL
            .into_iter()
            .find(|k| k.key() == text.trim())
    }
    /// Bit for this kind in a kind mask.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
    /// True for mainstream schools including their resource bases and units (s.33 "mainstream").
    pub fn is_mainstream(self) -> bool {
        matches!(
            self,
            SettingKind::Mainstream | SettingKind::ResourcedProvision | SettingKind::SenUnit
        )
    }
    /// True for independent settings (mainstream or special).
    pub fn is_independent(self) -> bool {
        matches!(
            self,
            SettingKind::SpecialIndependent | SettingKind::IndependentMainstream
        )
    }
}

/// A group of places in a setting, with its own capacity and roll: e.g. the 12 places of an ASD
/// resource base, or the secondary places of an all-through special school.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacePool {
    /// Id, unique within the setting.
    pub id: PoolId,
    /// Year groups the pool serves (inclusive).
    pub first_year: YearGroup,
    /// Last year group served (inclusive).
    pub last_year: YearGroup,
    /// Commissioned or published places.
    pub capacity: u32,
    /// Children on roll now.
    pub on_roll: u32,
    /// The inclusion base the pool is, when the area declares it (`pools.csv`
    /// `inclusion_base`); otherwise the rules map the setting's kind (resourced provision, SEN
    /// unit) onto one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusion_base: Option<InclusionBase>,
}

/// The two kinds of inclusion base of the 2026 Schools White Paper, which replace "resourced
/// provision" and "SEN unit".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InclusionBase {
    /// Commissioned by a school or trust.
    SupportBase,
    /// Commissioned by the local authority.
    SpecialistBase,
}

impl InclusionBase {
    /// Both kinds.
    pub const ALL: [InclusionBase; 2] = [InclusionBase::SupportBase, InclusionBase::SpecialistBase];
    /// The name used in rule files, area files and outputs.
    pub fn key(self) -> &'static str {
        match self {
            InclusionBase::SupportBase => "support-base",
            InclusionBase::SpecialistBase => "specialist-base",
        }
    }
    /// The kind named `key` (`support-base` or `specialist-base`, any case).
    pub fn parse(key: &str) -> Option<InclusionBase> {
        InclusionBase::ALL
            .into_iter()
            .find(|b| b.key().eq_ignore_ascii_case(key.trim()))
    }
    /// Both names, for diagnostics.
    pub fn keys() -> Vec<&'static str> {
        InclusionBase::ALL.iter().map(|b| b.key()).collect()
    }
}

impl std::fmt::Display for InclusionBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl PlacePool {
    /// Places free now (never negative).
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.on_roll)
    }
    /// True when the pool serves year group `year`.
    pub fn serves(&self, year: YearGroup) -> bool {
        self.first_year <= year && year <= self.last_year
    }
}

/// A setting: a school, a resource base or unit inside one, a college.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// Id (a URN, or the URN with a suffix for a base or unit).
    pub id: SettingId,
    /// Name.
    pub name: String,
    /// Type of provision.
    pub kind: SettingKind,
    /// For a resource base or unit: the mainstream school that hosts it.
    pub host: Option<SettingId>,
    /// Year groups admitted (inclusive).
    pub first_year: YearGroup,
    /// Last year group admitted (inclusive).
    pub last_year: YearGroup,
    /// Which sexes it admits.
    pub admits: Admits,
    /// Location (British National Grid).
    pub location: GridRef,
    /// Needs the setting is designated for (empty for most mainstream schools).
    pub designations: NeedSet,
    /// Provision features offered, e.g. `signing`, `hydrotherapy`.
    pub features: Vec<String>,
    /// Place pools; at least one.
    pub pools: Vec<PlacePool>,
    /// Annual fee per place where the setting charges one (independent and non-maintained
    /// settings); otherwise the rules' place funding and top-up bands apply.
    pub annual_fee: Option<Pounds>,
    /// Locality (planning area) name.
    pub locality: String,
    /// Independent special school approved under s.41 of the Children and Families Act 2014
    /// (parents may then request it under s.38/s.39).
    pub s41_approved: bool,
    /// Local authority the setting lies in (for cross-border placements).
    pub local_authority: String,
    /// The Specialist Provision Packages the setting says it can deliver (`settings.csv`
    /// `packages`); `None` when it says nothing, and the rules' offer rules assume them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Vec<String>>,
}

impl Setting {
    /// The pool serving `year`, if any (the first by pool id).
    pub fn pool_for(&self, year: YearGroup) -> Option<&PlacePool> {
        self.pools.iter().find(|p| p.serves(year))
    }
    /// True when the setting admits year group `year`.
    pub fn admits_year(&self, year: YearGroup) -> bool {
        self.first_year <= year && year <= self.last_year
    }
}
