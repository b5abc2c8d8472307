//! The census need codes and the four broad areas of need (SEND Code of Practice 2015, 6.28).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A primary or secondary need code, as used by the school census and the SEN2 return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Need {
    /// Specific learning difficulty.
    Spld,
    /// Moderate learning difficulty.
    Mld,
    /// Severe learning difficulty.
    Sld,
    /// Profound and multiple learning difficulty.
    Pmld,
    /// Social, emotional and mental health.
    Semh,
    /// Speech, language and communication needs.
    Slcn,
    /// Hearing impairment.
    Hi,
    /// Visual impairment.
    Vi,
    /// Multi-sensory impairment.
    Msi,
    /// Physical disability.
    Pd,
    /// Autistic spectrum disorder.
    Asd,
    /// Other difficulty or disability.
    Oth,
    /// SEN support but no specialist assessment of type of need.
    Nsa,
}

impl Need {
    /// Every code, in census order.
    pub const ALL: [Need; 13] = [
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
        Need::Nsa,
    ];

    /// The census code, e.g. `ASD`.
    pub fn code(self) -> &'static str {
        match self {
            Need::Spld => "SPLD",
            Need::Mld => "MLD",
            Need::Sld => "SLD",
            Need::Pmld => "PMLD",
            Need::Semh => "SEMH",
            Need::Slcn => "SLCN",
            Need::Hi => "HI",
            Need::Vi => "VI",
            Need::Msi => "MSI",
            Need::Pd => "PD",
            Need::Asd => "ASD",
            Need::Oth => "OTH",
            Need::Nsa => "NSA",
        }
    }

    /// Every census code, in census order (for "expected one of" messages).
    pub fn codes() -> Vec<&'static str> {
        Need::ALL.iter().map(|n| n.code()).collect()
    }

    /// Parses a code case-insensitively; also accepts GIAS spellings such as
    /// `ASD - Autistic Spectrum Disorder` or `SpLD - Specific Learning Difficulty`.
    pub fn parse(text: &str) -> Option<Need> {
        let head = text.split(" - ").next().unwrap_or(text).trim();
        Need::ALL
            .into_iter()
            .find(|n| n.code().eq_ignore_ascii_case(head))
    }

    /// The broad area of need the code belongs to (`None` for NSA and OTH).
    pub fn area(self) -> Option<NeedArea> {
        match self {
            Need::Slcn | Need::Asd => Some(NeedArea::CommunicationInteraction),
            Need::Spld | Need::Mld | Need::Sld | Need::Pmld => Some(NeedArea::CognitionLearning),
            Need::Semh => Some(NeedArea::Semh),
            Need::Hi | Need::Vi | Need::Msi | Need::Pd => Some(NeedArea::SensoryPhysical),
            Need::Oth | Need::Nsa => None,
        }
    }

    /// Bit for this code in a [`NeedSet`].
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of need codes as a bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "Vec<Need>", from = "Vec<Need>")]
pub struct NeedSet(pub u16);

impl NeedSet {
    /// True when `need` is in the set.
    pub fn contains(self, need: Need) -> bool {
        self.0 & need.bit() != 0
    }
    /// Adds `need`.
    pub fn insert(&mut self, need: Need) {
        self.0 |= need.bit();
    }
    /// True when the two sets share a code.
    pub fn intersects(self, other: NeedSet) -> bool {
        self.0 & other.0 != 0
    }
    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The codes in census order.
    pub fn iter(self) -> impl Iterator<Item = Need> {
        Need::ALL.into_iter().filter(move |n| self.contains(*n))
    }
    /// Codes joined by `;`, the form used in CSV files.
    pub fn joined(self) -> String {
        self.iter().map(Need::code).collect::<Vec<_>>().join(";")
    }
}

impl From<Vec<Need>> for NeedSet {
    fn from(v: Vec<Need>) -> Self {
        v.into_iter().collect()
    }
}
impl From<NeedSet> for Vec<Need> {
    fn from(s: NeedSet) -> Self {
        s.iter().collect()
    }
}
impl FromIterator<Need> for NeedSet {
    fn from_iter<I: IntoIterator<Item = Need>>(iter: I) -> Self {
        let mut s = NeedSet::default();
        for n in iter {
            s.insert(n);
        }
        s
    }
}

/// The four broad areas of need of the SEND Code of Practice (2015), 6.28–6.35.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedArea {
    /// Communication and interaction.
    CommunicationInteraction,
    /// Cognition and learning.
    CognitionLearning,
    /// Social, emotional and mental health.
    Semh,
    /// Sensory and/or physical.
    SensoryPhysical,
}

impl NeedArea {
    /// All four, in Code of Practice order.
    pub const ALL: [NeedArea; 4] = [
        NeedArea::CommunicationInteraction,
        NeedArea::CognitionLearning,
        NeedArea::Semh,
        NeedArea::SensoryPhysical,
    ];
    /// The key used in rule files, e.g. `cognition-learning`.
    pub fn key(self) -> &'static str {
        match self {
            NeedArea::CommunicationInteraction => "communication-interaction",
            NeedArea::CognitionLearning => "cognition-learning",
            NeedArea::Semh => "semh",
            NeedArea::SensoryPhysical => "sensory-physical",
        }
    }
    /// Parses a rule-file key.
    pub fn parse(text: &str) -> Option<NeedArea> {
        NeedArea::ALL.into_iter().find(|a| a.key() == text)
    }
}

/// Intensity of need per broad area on a small ordinal scale: 0 none, 1 low, 2 moderate,
/// 3 high, 4 very high.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Intensity(pub [u8; 4]);

impl Intensity {
    /// Highest value on the scale.
    pub const MAX: u8 = 4;
    /// The value for one area.
    pub fn get(&self, area: NeedArea) -> u8 {
        self.0[area as usize]
    }
    /// Sum over the four areas (0..=16), used by funding bands.
    pub fn total(&self) -> u8 {
        self.0.iter().sum()
    }
}
