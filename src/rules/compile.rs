//! Typed rules → compiled form. Hard rules of the `condition` kind split into a child part and a
//! setting part; each is evaluated once per child and once per setting into bit masks, so a
//! pair is checked with one subset test (`applicable(child) ⊆ passes(setting)`). Pair tests
//! (year group, sex, features, designation, travel) become interval, mask and threshold checks.

use super::schema::*;
use crate::model::{NeedProfile, Setting};
use fixedbitset::FixedBitSet;
use std::collections::HashMap;

/// A rule set compiled for fast evaluation. Keeps the typed rules for explanations.
#[derive(Clone, Debug)]
pub struct CompiledRules {
    pub rules: RuleSet,
    /// Feature id → bit index.
    pub feature_bits: HashMap<String, usize>,
    /// Indices (into `rules.hard`) of `condition` rules with severity `exclude`; bit i of the
    /// child and setting masks refers to `exclude_conditions[i]`.
    pub exclude_conditions: Vec<usize>,
    /// Indices of score rules of the `condition` measure; bit i refers to `score_conditions[i]`.
    pub score_conditions: Vec<usize>,
    /// For each score rule: its bit in the score masks (`usize::MAX` when not a condition rule).
    pub score_bit: Vec<usize>,
    /// Pair tests: (index into `rules.hard`, test).
    pub pair_tests: Vec<(usize, HardTest, Severity)>,
}

impl CompiledRules {
    /// Compiles a validated rule set.
    pub fn new(rules: RuleSet) -> CompiledRules {
        let feature_bits = rules
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        let mut exclude_conditions = Vec::new();
        let mut pair_tests = Vec::new();
        for (i, r) in rules.hard.iter().enumerate() {
            match (&r.test, r.severity) {
                (HardTest::Condition { .. }, Severity::Exclude) => exclude_conditions.push(i),
                // Flagging condition rules are tested pair by pair with the others
                // (`Engine::flags`), so they need no mask bit.
                (HardTest::Condition { .. }, Severity::Flag) => {}
                (t, s) => pair_tests.push((i, t.clone(), s)),
            }
        }
        let score_conditions: Vec<usize> = rules
            .scores
            .iter()
            .enumerate()
            .filter(|(_, s)| matches!(s.measure, Measure::Condition { .. }))
            .map(|(i, _)| i)
            .collect();
        let mut score_bit = vec![usize::MAX; rules.scores.len()];
        for (bit, &i) in score_conditions.iter().enumerate() {
            score_bit[i] = bit;
        }
        CompiledRules {
            rules,
            feature_bits,
            exclude_conditions,
            score_conditions,
            score_bit,
            pair_tests,
        }
    }

    /// A feature list as a bit set (unknown features are ignored; loaders reject them).
    pub fn feature_set(&self, features: &[String]) -> FixedBitSet {
        let mut bits = FixedBitSet::with_capacity(self.feature_bits.len());
        for f in features {
            if let Some(&b) = self.feature_bits.get(f) {
                bits.insert(b);
            }
        }
        bits
    }

    /// Which `exclude` condition rules apply to the child (their `when` holds).
    pub fn child_applicable(&self, child: &NeedProfile) -> FixedBitSet {
        mask(self.exclude_parts(), |when, _| {
            child_holds(&self.rules, when, child)
        })
    }

    /// Which `exclude` condition rules the setting passes (their `require` holds).
    pub fn setting_passes(&self, setting: &Setting) -> FixedBitSet {
        mask(self.exclude_parts(), |_, require| {
            setting_holds(require, setting)
        })
    }

    /// Which condition score rules' child part holds.
    pub fn child_score_mask(&self, child: &NeedProfile) -> FixedBitSet {
        mask(self.score_parts(), |when, _| {
            child_holds(&self.rules, when, child)
        })
    }

    /// Which condition score rules' setting part holds.
    pub fn setting_score_mask(&self, setting: &Setting) -> FixedBitSet {
        mask(self.score_parts(), |_, cond| setting_holds(cond, setting))
    }

    /// The child and setting parts of the `exclude` condition rules, in `exclude_conditions`
    /// order.
    fn exclude_parts(&self) -> impl ExactSizeIterator<Item = Option<Parts<'_>>> {
        let hard = &self.rules.hard;
        self.exclude_conditions
            .iter()
            .map(|&i| hard[i].test.condition())
    }

    /// The child and setting parts of the condition score rules, in `score_conditions` order.
    fn score_parts(&self) -> impl ExactSizeIterator<Item = Option<Parts<'_>>> {
        let scores = &self.rules.scores;
        self.score_conditions
            .iter()
            .map(|&i| scores[i].measure.condition())
    }
}

/// The child and setting parts of a condition rule.
type Parts<'r> = (&'r ChildCondition, &'r SettingCondition);

/// A mask over `parts`: bit i is set when `holds` for the i-th rule's parts.
fn mask<'r>(
    parts: impl ExactSizeIterator<Item = Option<Parts<'r>>>,
    holds: impl Fn(&ChildCondition, &SettingCondition) -> bool,
) -> FixedBitSet {
    let mut m = FixedBitSet::with_capacity(parts.len());
    for (bit, part) in parts.enumerate() {
        if part.is_some_and(|(c, s)| holds(c, s)) {
            m.insert(bit);
        }
    }
    m
}

/// True when every present field of a child condition holds for `child`.
pub fn child_holds(rules: &RuleSet, c: &ChildCondition, child: &NeedProfile) -> bool {
    // The plan level's rank, looked up (by name) only by a condition on the level.
    let rank = || rules.level_rank(&child.plan_level).unwrap_or(0);
    c.primary_need
        .is_none_or(|s| s.contains(child.primary_need))
        && c.primary_need_not
            .is_none_or(|s| !s.contains(child.primary_need))
        && c.any_need.is_none_or(|s| s.intersects(child.all_needs()))
        && c.plan_at_least.is_none_or(|r| rank() >= r)
        && c.plan_below.is_none_or(|r| rank() < r)
        && c.phase
            .as_ref()
            .is_none_or(|p| p.contains(&child.year.phase()))
        && c.min_year.is_none_or(|y| child.year.0 >= y)
        && c.max_year.is_none_or(|y| child.year.0 <= y)
        && c.intensity_at_least
            .iter()
            .all(|(a, v)| child.intensity.get(*a) >= *v)
        && c.total_intensity_at_least
            .is_none_or(|t| child.intensity.total() >= t)
        && c.requires_features
            .iter()
            .all(|f| child.features.contains(f))
}

/// True when every present field of a setting condition holds for `setting`.
pub fn setting_holds(c: &SettingCondition, setting: &Setting) -> bool {
    c.kind.is_none_or(|k| k.contains(setting.kind))
        && c.kind_not.is_none_or(|k| !k.contains(setting.kind))
        && c.designated_for
            .is_none_or(|d| d.intersects(setting.designations))
        && c.features.iter().all(|f| setting.features.contains(f))
}
