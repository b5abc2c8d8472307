//! The excluding hard rules of a pair in one machine word. When a rule set has at most 64 hard
//! rules and 64 features, bit `i` of a word stands for hard rule `i` (rule-set order). Each
//! child and each setting gets a small key, computed once: the excluding condition rules that
//! apply to the child and the ones the setting passes, the year groups and sexes a setting
//! admits, its kind, designations and features. A pair's failing excluding rules are then a few
//! word operations, without branches on the outcome, allocation or a walk over the rule list;
//! their ids are the set bits, in rule-set order. Rule sets beyond one word use the general
//! path in [`super::Engine::rule_fails`]; both agree with [`super::Engine::evaluate`] (see the
//! property tests).

use super::facts::{ChildFacts, SettingFacts};
use crate::model::{Admits, Sex};
use crate::rules::{CompiledRules, HardTest, Severity};
use fixedbitset::FixedBitSet;

/// The word form of a rule set's excluding rules for one engine's children and settings.
#[derive(Clone, Debug)]
pub struct RuleWords {
    /// The excluding pair tests as bits and ops.
    tests: ExcludingTests,
    children: Vec<ChildKey>,
    settings: Vec<SettingKey>,
}

/// One excluding designation rule, with the bit of its rule.
#[derive(Clone, Copy, Debug)]
pub(super) struct DesignationOp {
    /// The rule's bit (`1 << index`).
    pub bit: u64,
    /// The kinds of setting it applies to, as bits.
    pub applies_to: u16,
    /// Whether any of the child's needs counts (or only the primary).
    pub any_need: bool,
}

/// One excluding journey-ceiling rule, with the bit of its rule.
#[derive(Clone, Copy, Debug)]
pub(super) struct CeilingOp {
    /// The rule's bit (`1 << index`).
    pub bit: u64,
    /// The longest day journey per phase, minutes.
    pub max_minutes: [f64; 3],
    /// The features that exempt a setting (boarding), as a feature word.
    pub exempt: u64,
}

/// A rule set's excluding pair tests, by test: the year-group, sex, features and travel rules as
/// bits of hard-rule indices (each kind's rules test the same thing, so they fail together),
/// and the designation rules one by one.
#[derive(Clone, Debug)]
pub(super) struct ExcludingTests {
    pub year: u64,
    pub sex: u64,
    pub features: u64,
    pub travel: u64,
    pub designations: Vec<DesignationOp>,
    pub ceilings: Vec<CeilingOp>,
}

impl ExcludingTests {
    /// The excluding pair tests of `rules`.
    pub fn of(rules: &CompiledRules) -> ExcludingTests {
        let mut t = ExcludingTests {
            year: 0,
            sex: 0,
            features: 0,
            travel: 0,
            designations: Vec::new(),
            ceilings: Vec::new(),
        };
        for (i, test, sev) in &rules.pair_tests {
            if *sev != Severity::Exclude {
                continue;
            }
            let bit = 1u64 << i;
            match test {
                HardTest::YearGroup => t.year |= bit,
                HardTest::Sex => t.sex |= bit,
                HardTest::Features => t.features |= bit,
                HardTest::TravelGuidance => t.travel |= bit,
                HardTest::Designation {
                    applies_to,
                    any_need,
                } => t.designations.push(DesignationOp {
                    bit,
                    applies_to: applies_to.0,
                    any_need: *any_need,
                }),
                HardTest::JourneyCeiling {
                    max_minutes,
                    exempt_features,
                } => t.ceilings.push(CeilingOp {
                    bit,
                    max_minutes: *max_minutes,
                    exempt: feature_word(&rules.feature_set(exempt_features)),
                }),
                HardTest::Condition { .. } => {}
            }
        }
        t
    }
}

#[derive(Clone, Copy, Debug)]
struct ChildKey {
    applicable: u64,
    features: u64,
    year: u16,
    sex: u8,
    primary: u16,
    needs: u16,
    guidance_minutes: f64,
    /// The phase, as an index into [`crate::model::Phase::ALL`].
    phase: u8,
}

#[derive(Clone, Copy, Debug)]
struct SettingKey {
    passes: u64,
    features: u64,
    years: u16,
    sexes: u8,
    kind: u16,
    designations: u16,
}

impl RuleWords {
    /// The word form of `rules` for these facts, or `None` when the rules have more than 64
    /// hard rules or features.
    pub fn new(
        rules: &CompiledRules,
        children: &[ChildFacts],
        settings: &[SettingFacts],
    ) -> Option<RuleWords> {
        if rules.rules.hard.len() > 64 || rules.feature_bits.len() > 64 {
            return None;
        }
        let children = children
            .iter()
            .map(|c| ChildKey {
                applicable: hard_bits(rules, &c.applicable),
                features: feature_word(&c.features),
                year: 1 << c.year.0.min(15),
                sex: match c.sex {
                    Sex::Female => 1,
                    Sex::Male => 2,
                },
                primary: c.primary.bit(),
                needs: c.needs.0,
                guidance_minutes: c.guidance_minutes,
                phase: c.year.phase() as u8,
            })
            .collect();
        let settings = settings
            .iter()
            .map(|s| SettingKey {
                passes: hard_bits(rules, &s.passes),
                features: feature_word(&s.features),
                years: (s.first_year.0..=s.last_year.0.min(15)).fold(0, |m, y| m | 1 << y),
                sexes: match s.admits {
                    Admits::Mixed => 3,
                    Admits::Girls => 1,
                    Admits::Boys => 2,
                },
                kind: s.kind.bit(),
                designations: s.designations.0,
            })
            .collect();
        Some(RuleWords {
            tests: ExcludingTests::of(rules),
            children,
            settings,
        })
    }

    /// The failing excluding rules of child `c` and setting `s` as bits (0: suitable).
    /// `minutes` gives the journey time, asked only when a travel or journey-ceiling rule
    /// excludes.
    #[inline]
    pub fn failing(&self, c: usize, s: usize, minutes: impl Fn() -> f64) -> u64 {
        let child = &self.children[c];
        let setting = &self.settings[s];
        // `fail(b, passes)`: the bits `b` when the test fails, none when it passes.
        let fail = |bits: u64, passes: bool| bits & u64::from(passes).wrapping_sub(1);
        let mut fails = child.applicable & !setting.passes
            | fail(self.tests.year, child.year & setting.years != 0)
            | fail(self.tests.sex, child.sex & setting.sexes != 0)
            | fail(self.tests.features, child.features & !setting.features == 0);
        for d in &self.tests.designations {
            let wanted = if d.any_need {
                child.needs
            } else {
                child.primary
            };
            fails |= fail(
                d.bit,
                d.applies_to & setting.kind == 0 || wanted & setting.designations != 0,
            );
        }
        if self.tests.travel == 0 && self.tests.ceilings.is_empty() {
            return fails;
        }
        let minutes = minutes();
        if self.tests.travel != 0 {
            fails |= fail(self.tests.travel, minutes <= child.guidance_minutes);
        }
        for op in &self.tests.ceilings {
            fails |= fail(
                op.bit,
                setting.features & op.exempt != 0
                    || minutes <= op.max_minutes[child.phase as usize],
            );
        }
        fails
    }
}

/// Spreads a mask over `rules.exclude_conditions` to hard-rule bits.
fn hard_bits(rules: &CompiledRules, mask: &FixedBitSet) -> u64 {
    mask.ones()
        .map(|b| rules.exclude_conditions[b])
        .filter(|&i| i < 64)
        .fold(0, |w, i| w | 1 << i)
}

/// A feature set as one word ([`RuleWords::new`] refuses rules with more than 64 features).
fn feature_word(set: &FixedBitSet) -> u64 {
    set.ones().filter(|&b| b < 64).fold(0, |w, b| w | 1 << b)
}
