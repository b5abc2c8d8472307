//! Typed, validated rules: what a rule file means, before compilation into the fast form.
//! Every rule carries a stable id, a human sentence and where it was written.

use crate::model::{NeedArea, NeedSet, Phase, Pounds, SettingKind};
use serde::Serialize;
use std::path::PathBuf;

/// Where a rule was written.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// A set of setting kinds as a bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct KindSet(pub u16);

impl KindSet {
    /// True when `kind` is in the set.
    pub fn contains(self, kind: SettingKind) -> bool {
        self.0 & kind.bit() != 0
    }
    /// Adds `kind`.
    pub fn insert(&mut self, kind: SettingKind) {
        self.0 |= kind.bit();
    }
    /// The kinds in declaration order.
    pub fn iter(self) -> impl Iterator<Item = SettingKind> {
        SettingKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

/// A rung of the plan-level ladder (e.g. SEN support < EHC plan < specialist plan).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanLevel {
    pub id: String,
    pub rank: u8,
    pub text: String,
}

/// A provision feature in the rules' vocabulary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FeatureDef {
    pub id: String,
    pub text: String,
}

/// Conditions on the child; all present fields must hold. An empty condition always holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChildCondition {
    pub primary_need: Option<NeedSet>,
    /// Primary need not in this set.
    pub primary_need_not: Option<NeedSet>,
    pub any_need: Option<NeedSet>,
    /// Plan level rank at least this.
    pub plan_at_least: Option<u8>,
    /// Plan level rank below this.
    pub plan_below: Option<u8>,
    pub phase: Option<Vec<Phase>>,
    pub min_year: Option<u8>,
    pub max_year: Option<u8>,
    /// Intensity in an area at least a value.
    pub intensity_at_least: Vec<(NeedArea, u8)>,
    pub total_intensity_at_least: Option<u8>,
    /// The child requires every one of these features.
    pub requires_features: Vec<String>,
}

/// Conditions on the setting; all present fields must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SettingCondition {
    pub kind: Option<KindSet>,
    pub kind_not: Option<KindSet>,
    /// Designated for at least one of these needs.
    pub designated_for: Option<NeedSet>,
    /// Offers every one of these features.
    pub features: Vec<String>,
}

/// What a hard rule tests.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "test", rename_all = "kebab-case")]
pub enum HardTest {
    /// When the child condition holds, the setting condition must hold.
    Condition {
        when: ChildCondition,
        require: SettingCondition,
    },
    /// The setting admits the child's year group.
    YearGroup,
    /// The setting admits the child's sex.
    Sex,
    /// The setting offers every feature the child requires.
    Features,
    /// Settings of the listed kinds must be designated for the child's primary need
    /// (or any of the child's needs when `any_need`).
    Designation { applies_to: KindSet, any_need: bool },
    /// The journey is within the guidance time for the child's phase.
    TravelGuidance,
    /// A day placement's journey is at most `max_minutes` for the child's phase (in
    /// [`Phase::ALL`] order); a setting offering any of `exempt_features` (boarding places) is
    /// exempt, and a placement there beyond the ceiling is a residential one.
    JourneyCeiling {
        max_minutes: [f64; 3],
        exempt_features: Vec<String>,
    },
}

impl HardTest {
    /// The child and setting parts of a `condition` test.
    pub fn condition(&self) -> Option<(&ChildCondition, &SettingCondition)> {
        match self {
            HardTest::Condition { when, require } => Some((when, require)),
            _ => None,
        }
    }
}

/// Whether a failing hard rule excludes the setting or only flags it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Exclude,
    Flag,
}

/// A hard suitability rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HardRule {
    pub id: String,
    pub text: String,
    pub severity: Severity,
    pub test: HardTest,
    pub origin: Origin,
}

/// What a scoring rule measures, as a value from 0 to 1.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum Measure {
    /// 1 when both conditions hold.
    Condition {
        when: ChildCondition,
        setting: SettingCondition,
    },
    /// 1 at the door, falling linearly to 0 at `zero_at` × the phase's guidance time.
    Travel { zero_at: f64 },
    /// 1 when the setting is designated for the primary need, `secondary` when only for a
    /// secondary need, else 0.
    Designation { secondary: f64 },
    /// 1 for the first parental preference, 1/2 for the second, and so on.
    Preference,
    /// 1 when a sibling attends the setting (or its host school).
    Sibling,
    /// 1 when the setting is the child's current setting.
    Continuity,
    /// 1 for a mainstream school, resource base or unit.
    Mainstream,
    /// 1 when the relevant place pool has a free place now.
    FreePlace,
}

impl Measure {
    /// The child and setting parts of a `condition` measure.
    pub fn condition(&self) -> Option<(&ChildCondition, &SettingCondition)> {
        match self {
            Measure::Condition { when, setting } => Some((when, setting)),
            _ => None,
        }
    }
}

/// A weighted, soft scoring rule: contributes `weight × measure` points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreRule {
    pub id: String,
    pub text: String,
    pub weight: f64,
    pub measure: Measure,
    pub origin: Origin,
}

/// Funding groups: how place funding and top-ups are set for a kind of setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FundingGroup {
    Mainstream,
    ResourceBase,
    Special,
    AlternativeProvision,
    FurtherEducation,
}

impl FundingGroup {
    /// All groups.
    pub const ALL: [FundingGroup; 5] = [
        FundingGroup::Mainstream,
        FundingGroup::ResourceBase,
        FundingGroup::Special,
        FundingGroup::AlternativeProvision,
        FundingGroup::FurtherEducation,
    ];
    /// The key used in rule files.
    pub fn key(self) -> &'static str {
        match self {
            FundingGroup::Mainstream => "mainstream",
            FundingGroup::ResourceBase => "resource-base",
            FundingGroup::Special => "special",
            FundingGroup::AlternativeProvision => "alternative-provision",
            FundingGroup::FurtherEducation => "further-education",
        }
    }
    /// Parses a key.
    #[cfg(any(test, feature = "testing"))]
    pub fn parse(text: &str) -> Option<FundingGroup> {
        FundingGroup::ALL.into_iter().find(|g| g.key() == text)
    }
    /// The group of a setting kind.
    pub fn of(kind: SettingKind) -> FundingGroup {
        match kind {
            SettingKind::Mainstream | SettingKind::IndependentMainstream => {
                FundingGroup::Mainstream
            }
            SettingKind::ResourcedProvision | SettingKind::SenUnit => FundingGroup::ResourceBase,
            SettingKind::SpecialMaintained
            | SettingKind::SpecialAcademy
            | SettingKind::SpecialNonMaintained
            | SettingKind::SpecialIndependent => FundingGroup::Special,
            SettingKind::AlternativeProvision => FundingGroup::AlternativeProvision,
            SettingKind::FurtherEducation => FundingGroup::FurtherEducation,
        }
    }
}

/// A top-up band over total intensity (inclusive range).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Band {
    pub id: String,
    pub text: String,
    pub from: u8,
    pub to: u8,
    /// Top-up per funding group, in [`FundingGroup::ALL`] order.
    pub topup: [Pounds; 5],
    pub origin: Origin,
}

/// Place funding and top-up bands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Funding {
    /// Place funding per funding group, in [`FundingGroup::ALL`] order.
    pub place: [Pounds; 5],
    /// Bands sorted by `from`, covering 0..=16 without gaps or overlaps.
    pub bands: Vec<Band>,
}

/// Journey-time guidance and how straight-line distance becomes a journey.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Travel {
    /// Road distance / straight-line distance.
    pub road_factor: f64,
    /// Door-to-door speed by stretch of road distance, nearest stretch first; the last is
    /// open-ended. See [`Travel::minutes`].
    pub speed_bands: Vec<SpeedBand>,
    /// Guidance maximum journey in minutes per phase, in [`Phase::ALL`] order.
    pub guidance_minutes: [f64; 3],
    /// Statutory walking distance in metres for children under 8 and 8 and over.
    pub walking_under_8_m: f64,
    pub walking_8_plus_m: f64,
}

/// One stretch of a journey's road distance and the average speed over it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SpeedBand {
    /// Where the stretch ends, km of road from home (`None`: the last, open-ended stretch).
    pub up_to_km: Option<f64>,
    /// Average speed over the stretch, km/h.
    pub kmh: f64,
}

impl Travel {
    /// One flat speed for every distance (the model of rule files with `speed_kmh`).
    #[cfg(test)]
    pub fn flat(road_factor: f64, kmh: f64, guidance_minutes: [f64; 3]) -> Travel {
        Travel {
            road_factor,
            speed_bands: vec![SpeedBand {
                up_to_km: None,
                kmh,
            }],
            guidance_minutes,
            walking_under_8_m: 2.0 * 1609.344,
            walking_8_plus_m: 3.0 * 1609.344,
        }
    }

    /// The estimated door-to-door minutes for a straight-line distance in metres: the road
    /// distance (straight line × `road_factor`) is driven stretch by stretch, each at its
    /// band's speed, so the average speed rises with distance (the first kilometres are
    /// residential streets and pick-ups, longer trips use faster roads). The one journey
    /// model: lists, placement rounds, the atlas and the plan all call it.
    pub fn minutes(&self, straight_m: f64) -> f64 {
        let road_km = straight_m * self.road_factor / 1000.0;
        let mut from = 0.0;
        let mut minutes = 0.0;
        for band in &self.speed_bands {
            let to = band.up_to_km.unwrap_or(f64::INFINITY);
            let stretch = (road_km.min(to) - from).max(0.0);
            minutes += stretch / band.kmh * 60.0;
            if road_km <= to {
                break;
            }
            from = to;
        }
        minutes
    }

    /// The speeds in words, e.g. `20 km/h for the first 5 km of road, 37.5 km/h to 25 km,
    /// 65 km/h beyond`.
    pub fn speeds_text(&self) -> String {
        let mut parts = Vec::new();
        let mut from = None;
        for b in &self.speed_bands {
            parts.push(match (from, b.up_to_km) {
                (None, None) => format!("{} km/h", b.kmh),
                (None, Some(to)) => format!("{} km/h for the first {to} km of road", b.kmh),
                (Some(_), Some(to)) => format!("{} km/h to {to} km", b.kmh),
                (Some(_), None) => format!("{} km/h beyond", b.kmh),
            });
            from = b.up_to_km;
        }
        parts.join(", ")
    }

    /// The longest straight-line distance in metres whose journey is at most `minutes`: the
    /// inverse of [`Travel::minutes`] (used to find the settings within a journey time).
    pub fn straight_m_within(&self, minutes: f64) -> f64 {
        let mut left = minutes.max(0.0);
        let mut road_km = 0.0;
        let mut from = 0.0;
        for band in &self.speed_bands {
            let km = left / 60.0 * band.kmh;
            match band.up_to_km {
                Some(to) if from + km > to => {
                    left -= (to - from) / band.kmh * 60.0;
                    road_km = to;
                    from = to;
                }
                _ => {
                    road_km = from + km;
                    break;
                }
            }
        }
        road_km * 1000.0 / self.road_factor
    }
}

/// How the s.33 mainstream presumption orders a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresumptionMode {
    /// Suitable mainstream settings are ranked before others unless the parent prefers otherwise.
    MainstreamFirst,
    /// Order by score alone (a `mainstream` score rule may still weigh it).
    ScoreOnly,
}

/// Statutory tests about preference and the mainstream presumption.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statutory {
    pub preference_id: String,
    pub preference_text: String,
    /// A full pool counts as "incompatible with the efficient use of resources" (s.39(4)(b)).
    pub full_is_exception: bool,
    /// A preferred setting costing more than this multiple of the cheapest suitable
    /// alternative with a place is an efficient-use-of-resources exception.
    pub cost_ratio_exception: Option<f64>,
    /// Kinds to which s.39 applies (independent special schools only when s.41-approved).
    pub preference_kinds: KindSet,
    pub presumption_id: String,
    pub presumption_text: String,
    pub presumption: PresumptionMode,
}

/// Weights that turn scores, travel and money into the placement objective.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacementWeights {
    /// Objective units per score point (higher score = lower cost).
    pub per_score_point: f64,
    /// Objective units per minute of travel.
    pub per_travel_minute: f64,
    /// Objective units per £1,000 of annual cost.
    pub per_thousand_pounds: f64,
    /// Objective cost of leaving a child without a place.
    pub unplaced_penalty: f64,
}

/// A whole, validated rule set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleSet {
    pub levels: Vec<PlanLevel>,
    pub features: Vec<FeatureDef>,
    pub travel: Travel,
    pub hard: Vec<HardRule>,
    pub scores: Vec<ScoreRule>,
    pub funding: Funding,
    pub statutory: Statutory,
    pub placement: PlacementWeights,
    /// The Specialist Provision Packages (empty when no rule file defines any).
    pub packages: super::packages::PackageRules,
    /// The national price bands of independent special schools (empty when no rule file
    /// defines any).
    pub price_bands: super::price_bands::PriceBands,
}

/// The ids of the `hard` rules, then of the `scores` rules, in order.
pub(crate) fn rule_ids<'r>(hard: &'r [HardRule], scores: &'r [ScoreRule]) -> Vec<&'r str> {
    hard.iter()
        .map(|r| r.id.as_str())
        .chain(scores.iter().map(|r| r.id.as_str()))
        .collect()
}

impl RuleSet {
    /// The ids of every hard rule, then every score rule.
    pub fn rule_ids(&self) -> Vec<&str> {
        rule_ids(&self.hard, &self.scores)
    }
    /// The ids of the setting features, in order.
    pub fn feature_ids(&self) -> Vec<&str> {
        self.features.iter().map(|f| f.id.as_str()).collect()
    }
    /// The rank of plan level `id`.
    pub fn level_rank(&self, id: &str) -> Option<u8> {
        self.levels.iter().find(|l| l.id == id).map(|l| l.rank)
    }
    /// The band for a total intensity.
    pub fn band_for(&self, total: u8) -> Option<&Band> {
        self.funding
            .bands
            .iter()
            .find(|b| b.from <= total && total <= b.to)
    }
}
