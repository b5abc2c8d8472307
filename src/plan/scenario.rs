//! What-if scenarios: open, expand, close or re-designate provision from a given year, a
//! national standard of ordinarily available provision, change growth, change rules, cap the
//! budget; and the settings each year as a scenario changes them. Read from TOML by
//! [`super::scenario_file`].

use super::inclusion_bases::BaseInEverySecondary;
use super::projection::Growth;
use super::reform::{BaseProgramme, LearningSupportTier, PlacedBase};
use crate::model::{Need, NeedSet, Setting, SettingKind};
use serde::Serialize;

pub use super::scenario_file::scenarios_for;
#[cfg(feature = "testing")]
pub use super::scenario_file::{load_scenarios, read_scenarios};

/// One change to provision, effective from the academic year starting in `from`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Change {
    /// A new setting (e.g. a resource base inside an existing school) with one pool.
    Open {
        /// The first academic year (calendar year of its September).
        from: i32,
        /// The new setting.
        setting: Box<Setting>,
    },
    /// More (or, if negative, fewer) places in a pool.
    Expand {
        /// The first academic year (calendar year of its September).
        from: i32,
        /// The setting (id).
        setting: String,
        /// The pool (id); `None` for the setting's only or first pool.
        pool: Option<String>,
        /// Places added (negative: taken away).
        add: i64,
    },
    /// The setting closes; its children need new places.
    Close {
        /// The first academic year without it (calendar year of its September).
        from: i32,
        /// The setting (id).
        setting: String,
    },
    /// New designations.
    Redesignate {
        /// The first academic year (calendar year of its September).
        from: i32,
        /// The setting (id).
        setting: String,
        /// The needs it is designated for from then.
        designations: NeedSet,
    },
    /// A national standard of ordinarily available provision: every mainstream school gains
    /// these features (e.g. a sensory room, small-group teaching).
    NationalStandard {
        /// The first academic year (calendar year of its September).
        from: i32,
        /// The features every mainstream school gains.
        features: Vec<String>,
    },
    /// An additional-learning-support tier: a share of low-intensity EHC plans in mainstream
    /// move to a plan level below the EHC plan ([`super::reform`]).
    #[serde(rename = "additional-learning-support")]
    LearningSupport(LearningSupportTier),
    /// A resource-base programme placed at the bottlenecks ([`super::reform`]).
    ResourceBases(BaseProgramme),
    /// National price bands for independent special schools: from `from`, a placement in a
    /// kind of setting the rules' `price_bands` price (and a fallback placement, when they say
    /// so) costs its band's price instead of today's fee ([`super::reform`]).
    PriceBands {
        /// The first academic year priced by band (calendar year of its September).
        from: i32,
    },
    /// A base in every secondary school without one ([`super::inclusion_bases`]).
    #[serde(rename = "inclusion-base-in-every-secondary")]
    InclusionBases(BaseInEverySecondary),
}

impl Change {
    /// The first year the change applies.
    pub fn from(&self) -> i32 {
        match self {
            Change::Open { from, .. }
            | Change::Expand { from, .. }
            | Change::Close { from, .. }
            | Change::Redesignate { from, .. }
            | Change::NationalStandard { from, .. } => *from,
            Change::LearningSupport(t) => t.from,
            Change::ResourceBases(p) => p.from,
            Change::PriceBands { from } => *from,
            Change::InclusionBases(p) => p.from,
        }
    }
}

/// Rule changes a scenario makes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RuleChanges {
    /// Rule ids switched off.
    pub disable: Vec<String>,
    /// New weights for score rules, by id (e.g. a stronger mainstream presumption).
    pub score_weights: Vec<(String, f64)>,
}

/// A scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// The scenario's name, e.g. `expand-special`.
    pub name: String,
    /// What it tests, in a sentence.
    pub description: String,
    /// Changes to provision, each from a year.
    pub changes: Vec<Change>,
    /// Replaces the baseline growth when given.
    pub growth_rate: Option<f64>,
    /// Changes of need mix among new plans, per need.
    pub need_drift: Vec<(Need, f64)>,
    /// Changes to the rules.
    pub rules: RuleChanges,
    /// Annual cap on the cost of each year's placement round (solved with HiGHS).
    pub budget_pounds: Option<i64>,
}

impl Scenario {
    /// The baseline: nothing changes.
    pub fn baseline() -> Scenario {
        Scenario {
            name: "baseline".into(),
            description: "Today's provision, projected demand".into(),
            changes: vec![],
            growth_rate: None,
            need_drift: vec![],
            rules: RuleChanges::default(),
            budget_pounds: None,
        }
    }

    /// The growth this scenario uses, starting from the baseline growth.
    pub fn growth(&self, base: &Growth) -> Growth {
        let mut g = base.clone();
        if let Some(r) = self.growth_rate {
            g.rate = r;
            g.source = format!("scenario `{}`", self.name);
        }
        for (n, d) in &self.need_drift {
            g.need_drift.insert(*n, *d);
        }
        g
    }

    /// The scenario's additional-learning-support tier, if any (the first when several).
    pub fn learning_support(&self) -> Option<&LearningSupportTier> {
        self.changes.iter().find_map(|c| match c {
            Change::LearningSupport(t) => Some(t),
            _ => None,
        })
    }

    /// The scenario's resource-base programmes.
    pub fn base_programmes(&self) -> impl Iterator<Item = &BaseProgramme> {
        self.changes.iter().filter_map(|c| match c {
            Change::ResourceBases(p) => Some(p),
            _ => None,
        })
    }

    /// The first year the scenario costs placements at the national price bands, if it does.
    pub fn price_bands_from(&self) -> Option<i32> {
        self.changes
            .iter()
            .filter_map(|c| match c {
                Change::PriceBands { from } => Some(*from),
                _ => None,
            })
            .min()
    }

    /// The scenario's programmes of a base in every secondary school.
    pub fn base_in_every_secondary(&self) -> impl Iterator<Item = &BaseInEverySecondary> {
        self.changes.iter().filter_map(|c| match c {
            Change::InclusionBases(p) => Some(p),
            _ => None,
        })
    }

    /// The settings in `year` after applying every change effective by then.
    pub fn settings_in(&self, base: &[Setting], year: i32) -> Vec<Setting> {
        let mut settings = base.to_vec();
        for change in self.changes.iter().filter(|c| c.from() <= year) {
            match change {
                Change::Open { setting, .. } => {
                    settings.retain(|s| s.id != setting.id);
                    settings.push((**setting).clone());
                }
                Change::Expand {
                    setting, pool, add, ..
                } => {
                    if let Some(s) = settings.iter_mut().find(|s| s.id.0 == *setting) {
                        let target = match pool {
                            Some(p) => s.pools.iter_mut().find(|x| x.id.0 == *p),
                            None => s.pools.first_mut(),
                        };
                        if let Some(p) = target {
                            p.capacity = (p.capacity as i64 + add).max(0) as u32;
                        }
                    }
                }
                Change::Close { setting, .. } => settings.retain(|s| s.id.0 != *setting),
                Change::NationalStandard { features, .. } => {
                    for s in settings
                        .iter_mut()
                        .filter(|s| s.kind == SettingKind::Mainstream)
                    {
                        s.features.extend(features.iter().cloned());
                        s.features.sort();
                        s.features.dedup();
                    }
                }
                // A plan tier changes children, not settings; a programme's bases are
                // expansions the plan run adds once their sites are known.
                // Price bands change what a placement costs, not the settings. A base in every
                // secondary school opens settings the plan run adds once it knows which
                // schools have none.
                Change::LearningSupport(_)
                | Change::ResourceBases(_)
                | Change::PriceBands { .. }
                | Change::InclusionBases(_) => {}
                Change::Redesignate {
                    setting,
                    designations,
                    ..
                } => {
                    if let Some(s) = settings.iter_mut().find(|s| s.id.0 == *setting) {
                        s.designations = *designations;
                    }
                }
            }
        }
        settings.sort_by(|a, b| a.id.cmp(&b.id));
        settings
    }
}

/// The changes that build the chosen bases.
pub(crate) fn base_changes(sites: &[PlacedBase]) -> Vec<Change> {
    sites
        .iter()
        .map(|b| Change::Expand {
            from: b.from,
            setting: b.setting.clone(),
            pool: Some(b.pool.clone()),
            add: b.places as i64,
        })
        .collect()
}
