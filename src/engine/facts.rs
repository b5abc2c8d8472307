//! Per-child and per-setting facts, computed once, in the compiled form the engine tests.

use crate::model::{
    Admits, Area, GridRef, Need, NeedProfile, NeedSet, PlacePool, Setting, SettingKind, Sex,
    YearGroup,
};
use crate::rules::{ChildCondition, CompiledRules, Measure, RuleSet, SettingCondition};
use fixedbitset::FixedBitSet;
use std::collections::HashMap;

/// What the engine needs to know about one child.
#[derive(Clone, Debug)]
pub struct ChildFacts {
    pub year: YearGroup,
    pub sex: Sex,
    pub home: GridRef,
    pub primary: Need,
    pub needs: NeedSet,
    pub features: FixedBitSet,
    /// Excluding condition rules that apply to this child.
    pub applicable: FixedBitSet,
    /// Condition score rules whose child part holds.
    pub score_when: FixedBitSet,
    /// `score_when` as one word when the rules have at most 64 condition score rules.
    pub score_when_word: Option<u64>,
    /// Bit `i` set when score rule `i` can add points for this child with some setting (a
    /// condition rule whose child part fails, or a preference, sibling or continuity rule for
    /// a child without preferences, siblings or a current setting, adds none). All bits when
    /// the rules have more than 64 score rules.
    pub score_live: u64,
    pub guidance_minutes: f64,
    pub walking_m: f64,
    /// Preferred settings (indices), most wanted first.
    pub preferences: Vec<u32>,
    /// Settings (indices) siblings attend.
    pub siblings: Vec<u32>,
    pub current: Option<u32>,
    /// Total intensity, for funding bands.
    pub intensity_total: u8,
}

impl ChildFacts {
    /// Computes the facts of `child`; `settings` finds a setting's index by its id.
    pub fn new(
        rules: &CompiledRules,
        settings: &SettingLookup<'_>,
        child: &NeedProfile,
    ) -> ChildFacts {
        let t = &rules.rules.travel;
        let index = |ids: &[crate::model::SettingId]| -> Vec<u32> {
            ids.iter()
                .filter_map(|id| settings.index(id.as_str()))
                .collect()
        };
        let applicable = rules.child_applicable(child);
        let score_when = rules.child_score_mask(child);
        ChildFacts {
            year: child.year,
            sex: child.sex,
            home: child.home,
            primary: child.primary_need,
            needs: child.all_needs(),
            features: rules.feature_set(&child.features),
            applicable,
            score_when_word: word(&score_when, rules.score_conditions.len()),
            score_live: score_live(rules, child, &score_when),
            score_when,
            guidance_minutes: t.guidance_minutes[child.year.phase() as usize],
            // Year 3 is the first year group in which children turn 8.
            walking_m: if child.year.0 < 3 {
                t.walking_under_8_m
            } else {
                t.walking_8_plus_m
            },
            preferences: index(&child.preferences),
            siblings: index(&child.sibling_settings),
            current: child
                .current_setting
                .as_ref()
                .and_then(|id| settings.index(id.as_str())),
            intensity_total: child.intensity.total(),
        }
    }
}

/// Settings by id, hashed: [`Area::setting_index`] compares strings about nine times for each
/// look-up, and the engine looks up every child's current setting, preferences and siblings'
/// settings each time it is built (a plan builds it once a year a draw). When the ids are not
/// in strictly increasing order (settings not normalised) it searches as
/// [`Area::setting_index`] does, so that both always agree.
pub struct SettingLookup<'a> {
    settings: &'a [Setting],
    /// `None` when the ids are not strictly increasing.
    by_id: Option<HashMap<&'a str, u32>>,
}

impl<'a> SettingLookup<'a> {
    /// The lookup of `settings` (an area's, in its order).
    pub fn new(settings: &'a [Setting]) -> Self {
        let increasing = (settings.windows(2)).all(|w| w[0].id.as_str() < w[1].id.as_str());
        let by_id = increasing.then(|| {
            (settings.iter().enumerate())
                .map(|(i, s)| (s.id.as_str(), i as u32))
                .collect()
        });
        SettingLookup { settings, by_id }
    }

    /// Index of the setting with id `id`, as [`Area::setting_index`] finds it.
    pub fn index(&self, id: &str) -> Option<u32> {
        match &self.by_id {
            Some(map) => map.get(id).copied(),
            None => (self.settings)
                .binary_search_by(|s| s.id.as_str().cmp(id))
                .ok()
                .map(|i| i as u32),
        }
    }
}

/// What the engine needs to know about one setting.
#[derive(Clone, Debug)]
pub struct SettingFacts {
    pub kind: SettingKind,
    pub first_year: YearGroup,
    pub last_year: YearGroup,
    pub admits: Admits,
    pub location: GridRef,
    pub designations: NeedSet,
    pub features: FixedBitSet,
    /// Excluding condition rules whose setting part holds.
    pub passes: FixedBitSet,
    /// Condition score rules whose setting part holds.
    pub score_holds: FixedBitSet,
    /// `score_holds` as one word when the rules have at most 64 condition score rules.
    pub score_holds_word: Option<u64>,
    pub pools: Vec<PlacePool>,
    /// Bit `y` set when the pool serving year group `y` has a free place (the
    /// `free-place` measure, read once per pair).
    pub free_years: u16,
    /// Host school (index) of a resource base or unit.
    pub host: Option<u32>,
}

impl SettingFacts {
    /// Computes the facts of `setting`.
    pub fn new(rules: &CompiledRules, area: &Area, setting: &Setting) -> SettingFacts {
        let passes = rules.setting_passes(setting);
        let score_holds = rules.setting_score_mask(setting);
        SettingFacts {
            kind: setting.kind,
            first_year: setting.first_year,
            last_year: setting.last_year,
            admits: setting.admits,
            location: setting.location,
            designations: setting.designations,
            features: rules.feature_set(&setting.features),
            passes,
            score_holds_word: word(&score_holds, rules.score_conditions.len()),
            score_holds,
            free_years: (0..=YearGroup::MAX)
                .filter(|&y| {
                    setting
                        .pools
                        .iter()
                        .find(|p| p.serves(YearGroup(y)))
                        .is_some_and(|p| p.free() > 0)
                })
                .fold(0, |m, y| m | 1 << y),
            pools: setting.pools.clone(),
            host: setting
                .host
                .as_ref()
                .and_then(|h| area.setting_index(h.as_str()).map(|i| i as u32)),
        }
    }

    /// The pool serving `year`.
    pub fn pool_for(&self, year: YearGroup) -> Option<&PlacePool> {
        self.pools.iter().find(|p| p.serves(year))
    }
}

/// The score rules that can add points for `child` (see [`ChildFacts::score_live`]).
fn score_live(rules: &CompiledRules, child: &NeedProfile, when: &FixedBitSet) -> u64 {
    let scores = &rules.rules.scores;
    if scores.len() > 64 {
        return u64::MAX;
    }
    scores
        .iter()
        .enumerate()
        .filter(|(i, rule)| match &rule.measure {
            Measure::Condition { .. } => when.contains(rules.score_bit[*i]),
            Measure::Preference => !child.preferences.is_empty(),
            Measure::Sibling => !child.sibling_settings.is_empty(),
            Measure::Continuity => child.current_setting.is_some(),
            _ => true,
        })
        .fold(0, |w, (i, _)| w | 1 << i)
}

/// The bits of `set` as one word, when `len` bits fit.
fn word(set: &FixedBitSet, len: usize) -> Option<u64> {
    (len <= 64).then(|| set.ones().fold(0u64, |w, b| w | (1u64 << b)))
}

/// The facts of the child that a condition looks at, e.g. `primary need PMLD; year 9`.
pub fn describe_child(rules: &RuleSet, c: &ChildCondition, child: &NeedProfile) -> String {
    let mut parts = Vec::new();
    if c.primary_need.is_some() || c.primary_need_not.is_some() {
        parts.push(format!("primary need {}", child.primary_need));
    }
    if c.any_need.is_some() {
        parts.push(format!("needs {}", child.all_needs().joined()));
    }
    if c.plan_at_least.is_some() || c.plan_below.is_some() {
        let _ = rules;
        parts.push(format!("plan level {}", child.plan_level));
    }
    if c.phase.is_some() || c.min_year.is_some() || c.max_year.is_some() {
        parts.push(format!(
            "year {} ({})",
            child.year,
            child.year.phase().key()
        ));
    }
    for (area, _) in &c.intensity_at_least {
        parts.push(format!(
            "{} intensity {}",
            area.key(),
            child.intensity.get(*area)
        ));
    }
    if c.total_intensity_at_least.is_some() {
        parts.push(format!("total intensity {}", child.intensity.total()));
    }
    if !c.requires_features.is_empty() {
        parts.push(format!("requires {}", child.features.join(", ")));
    }
    if parts.is_empty() {
        "every child".to_string()
    } else {
        parts.join("; ")
    }
}

/// The facts of the setting that a condition looks at, e.g. `kind mainstream`.
pub fn describe_setting(c: &SettingCondition, setting: &Setting) -> String {
    let mut parts = Vec::new();
    if c.kind.is_some() || c.kind_not.is_some() {
        parts.push(format!("kind {}", setting.kind.key()));
    }
    if c.designated_for.is_some() {
        let d = if setting.designations.is_empty() {
            "nothing".to_string()
        } else {
            setting.designations.joined()
        };
        parts.push(format!("designated for {d}"));
    }
    if !c.features.is_empty() {
        let f = if setting.features.is_empty() {
            "nothing".to_string()
        } else {
            setting.features.join(", ")
        };
        parts.push(format!("offers {f}"));
    }
    parts.join("; ")
}
