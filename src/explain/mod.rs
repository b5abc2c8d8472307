//! Explanations as data: computed once by the engine, rendered many ways (text, JSON, CSV) by
//! separate renderers.

mod list_csv;
mod placement_render;
mod render;

pub use list_csv::{LIST_CSV_HEADER, write_list_csv, write_list_csv_header};
pub use placement_render::{PLACEMENT_CSV_HEADER, placement_csv_rows, placement_text};
pub use render::{explanation_text, list_text_table};

use serde::Serialize;

/// One scoring rule's part in a setting's score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contribution {
    pub rule: String,
    pub text: String,
    pub weight: f64,
    /// The measure, from 0 to 1.
    pub value: f64,
    /// `weight × value`.
    pub points: f64,
}

/// One failed hard rule with the facts that made it fail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub rule: String,
    pub text: String,
    /// What the child's profile says that brought the rule into play.
    pub child: String,
    /// What the setting offers that failed the rule.
    pub setting: String,
}

/// The journey between a child's home and a setting.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    /// Suitable: the score with each rule's contribution, and any flagged (non-excluding) rules.
    Eligible {
        score: f64,
        contributions: Vec<Contribution>,
        flags: Vec<Failure>,
    },
    /// Not suitable: every failing excluding rule with the facts, and flagged rules too.
    Excluded {
        failures: Vec<Failure>,
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
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    pub child: String,
    pub setting: String,
    pub setting_name: String,
    pub setting_kind: String,
    pub journey: Journey,
    pub capacity: crate::lists::CapacityStatus,
    pub funding: crate::lists::FundingQuote,
    pub verdict: Verdict,
}
