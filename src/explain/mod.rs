//! Explanations as data: computed once by the engine, rendered many ways (text, JSON, CSV) by
//! the renderers in [`crate::render`].

use serde::{Deserialize, Serialize};

mod quote;
pub(crate) mod schema;
pub(crate) mod status;
mod text;

pub use quote::{CapacityStatus, FundingQuote};
pub use schema::SCHEMA_VERSION;
pub use status::{PlaceStatus, PreferenceDecision};
pub use text::SharedText;

/// One scoring rule's part in a setting's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The rule's id.
    pub rule: SharedText,
    /// The rule's sentence, filled in for this pair.
    pub text: SharedText,
    /// Points added to the score (negative lowers it).
    pub weight: f64,
    /// The measure, from 0 to 1.
    pub value: f64,
    /// `weight × value`.
    pub points: f64,
}

/// One failed hard rule with the facts that made it fail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// The rule's id.
    pub rule: SharedText,
    /// Why it fails, in a sentence with the facts.
    pub text: SharedText,
    /// What the child's profile says that brought the rule into play.
    pub child: String,
    /// What the setting offers that failed the rule.
    pub setting: String,
}

/// The journey between a child's home and a setting.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    /// Straight-line distance, km.
    pub straight_km: f64,
    /// Estimated road distance, km.
    pub road_km: f64,
    /// Estimated door-to-door minutes.
    pub minutes: f64,
    /// Guidance maximum for the child's phase, minutes.
    pub guidance_minutes: f64,
    /// True when within the statutory walking distance for the child's age.
    pub within_walking_distance: bool,
}

impl Journey {
    /// True when the journey is longer than guidance.
    pub fn exceeds_guidance(&self) -> bool {
        self.minutes > self.guidance_minutes
    }
}

/// The engine's verdict on one (child, setting) pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    /// Suitable: the score with each rule's contribution, and any flagged (non-excluding) rules.
    Eligible {
        /// The total score.
        score: f64,
        /// Each score rule's part of it.
        contributions: Vec<Contribution>,
        /// Rules that flag but do not exclude (e.g. a journey beyond the guidance).
        flags: Vec<Failure>,
    },
    /// Not suitable: every failing excluding rule with the facts, and flagged rules too.
    Excluded {
        /// Every hard rule that fails.
        failures: Vec<Failure>,
        /// Rules that flag but do not exclude.
        flags: Vec<Failure>,
    },
}

impl Verdict {
    /// True for `Eligible`.
    pub fn is_eligible(&self) -> bool {
        matches!(self, Verdict::Eligible { .. })
    }
    /// The score, for eligible pairs.
    pub fn score(&self) -> Option<f64> {
        match self {
            Verdict::Eligible { score, .. } => Some(*score),
            Verdict::Excluded { .. } => None,
        }
    }
    /// Ids of the failing excluding rules (empty when eligible).
    pub fn failed_rules(&self) -> Vec<&str> {
        match self {
            Verdict::Eligible { .. } => Vec::new(),
            Verdict::Excluded { failures, .. } => {
                failures.iter().map(|f| f.rule.as_str()).collect()
            }
        }
    }
}

/// A full explanation of one pair: who, where, the journey, the capacity, the money, the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The version of this output's JSON form, [`SCHEMA_VERSION`].
    #[serde(deserialize_with = "schema::read")]
    pub schema_version: u32,
    /// The legal regime (`cfa2014` when read from an explanation written before regimes).
    #[serde(default)]
    pub regime: crate::model::Regime,
    /// Under the `spp` regime: the child's packages this setting cannot deliver, with the
    /// components missing (empty when it can deliver them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfalls: Option<Vec<crate::rules::packages::Shortfall>>,
    /// The child's pseudonymous id.
    pub child: String,
    /// The setting's id.
    pub setting: String,
    /// The setting's name.
    pub setting_name: String,
    /// The setting's type of provision.
    pub setting_kind: String,
    /// The journey from home.
    pub journey: Journey,
    /// Places in the pool for the child's year.
    pub capacity: CapacityStatus,
    /// Funding band and annual cost.
    pub funding: FundingQuote,
    /// Suitable (with the score) or not (with every failing rule).
    pub verdict: Verdict,
}
