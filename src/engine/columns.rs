//! The excluding hard rules of one child against every setting at once. For each value a child's
//! facts can take (a year group, a sex, a feature, a need, an excluding condition rule), the
//! settings that fail it are kept as a bit set over the area's settings (bit `s` = setting `s`),
//! computed once per engine. A child's failing settings for each rule are then a few unions of
//! these sets — a few dozen words per rule for a county's thousand settings — instead of one test
//! per (child, setting) pair. The sets agree with [`super::RuleWords::failing`] bit for bit (see
//! the tests below). A journey-ceiling rule's set is built per child from the settings
//! considered that are not exempt, each tested by its distance from the child's home
//! ([`JourneyLimit`]); an excluding travel-guidance rule has no column form, and the engine then
//! tests pairs one by one.

use super::facts::{ChildFacts, SettingFacts};
use super::limit::JourneyLimit;
use super::words::ExcludingTests;
use crate::model::{Admits, GridRef, Sex};
use crate::rules::{CompiledRules, Travel};

/// Settings failing each value of a child's facts, as bit sets of `words` words each.
#[derive(Clone, Debug)]
pub struct SettingColumns {
    words: usize,
    /// The excluding rules by test, as bits of hard-rule indices.
    year: u64,
    sex: u64,
    features: u64,
    /// Per year group 0–15: settings not admitting it.
    not_year: Vec<u64>,
    /// Per sex (female, male): settings not admitting it.
    not_sex: Vec<u64>,
    /// Per feature bit: settings not offering it.
    lacking: Vec<u64>,
    /// Per hard rule (0–63), for excluding condition rules: the rule's bit in a child's
    /// `applicable` mask, and the settings whose part of the rule fails.
    not_passing: Vec<Option<(usize, Vec<u64>)>>,
    /// Per need bit (0–15): settings designated for it.
    designated: Vec<u64>,
    /// Each excluding designation rule: its rule index, the settings of the kinds it applies
    /// to, and whether any of the child's needs (or only the primary) counts.
    designation: Vec<(u16, Vec<u64>, bool)>,
    /// Each excluding journey-ceiling rule: its rule index, the longest day journey per phase,
    /// and the settings exempt from it (offering a boarding feature).
    ceilings: Vec<(u16, [f64; 3], Vec<u64>)>,
    /// The journey model and each setting's location, for the journey-ceiling rules.
    travel: Travel,
    locations: Vec<GridRef>,
}

/// One child's failing settings: for each excluding rule that fails somewhere, the rule's index
/// and its bit set of settings (ascending rule order), and the union of them.
#[derive(Clone, Debug, Default)]
pub struct FailingSets {
    /// (rule index, start of its set in `words`).
    pub rules: Vec<(u16, usize)>,
    /// The sets, `words_per_set` words each.
    pub words: Vec<u64>,
    /// Words in one set.
    pub words_per_set: usize,
    /// Settings failing at least one rule.
    pub union: Vec<u64>,
}

impl FailingSets {
    /// The bit set of settings rule entry `i` (of [`FailingSets::rules`]) excludes.
    pub fn set(&self, i: usize) -> &[u64] {
        let start = self.rules[i].1;
        &self.words[start..start + self.words_per_set]
    }
}

fn set_bit(set: &mut [u64], s: usize) {
    set[s / 64] |= 1 << (s % 64);
}

impl SettingColumns {
    /// The column form of `rules` over `settings`, or `None` when the rules have more than 64
    /// hard rules or features, or an excluding travel-guidance rule.
    pub fn new(rules: &CompiledRules, settings: &[SettingFacts]) -> Option<SettingColumns> {
        if rules.rules.hard.len() > 64 || rules.feature_bits.len() > 64 {
            return None;
        }
        let n = settings.len();
        let words = n.div_ceil(64);
        let tests = ExcludingTests::of(rules);
        if tests.travel != 0 {
            return None;
        }
        let ceilings = tests
            .ceilings
            .iter()
            .map(|op| {
                let mut exempt = vec![0; words];
                for (s, f) in settings.iter().enumerate() {
                    if f.features.ones().any(|b| b < 64 && op.exempt >> b & 1 == 1) {
                        set_bit(&mut exempt, s);
                    }
                }
                (op.bit.trailing_zeros() as u16, op.max_minutes, exempt)
            })
            .collect();
        let mut not_passing = vec![None; rules.rules.hard.len()];
        let designation = tests
            .designations
            .iter()
            .map(|d| {
                let mut set = vec![0; words];
                for (s, f) in settings.iter().enumerate() {
                    if d.applies_to & f.kind.bit() != 0 {
                        set_bit(&mut set, s);
                    }
                }
                (d.bit.trailing_zeros() as u16, set, d.any_need)
            })
            .collect();
        for (bit, &i) in rules.exclude_conditions.iter().enumerate() {
            let mut set = vec![0; words];
            for (s, f) in settings.iter().enumerate() {
                if !f.passes.contains(bit) {
                    set_bit(&mut set, s);
                }
            }
            not_passing[i] = Some((bit, set));
        }
        let mut not_year = vec![0; 16 * words];
        let mut not_sex = vec![0; 2 * words];
        let mut lacking = vec![0; rules.feature_bits.len() * words];
        let mut designated = vec![0; 16 * words];
        for (s, f) in settings.iter().enumerate() {
            for y in 0..16u8 {
                if !(f.first_year.0 <= y && y <= f.last_year.0) {
                    set_bit(&mut not_year[y as usize * words..], s);
                }
            }
            let admits = match f.admits {
                Admits::Mixed => [true, true],
                Admits::Girls => [true, false],
                Admits::Boys => [false, true],
            };
            for (k, ok) in admits.into_iter().enumerate() {
                if !ok {
                    set_bit(&mut not_sex[k * words..], s);
                }
            }
            for b in 0..rules.feature_bits.len() {
                if !f.features.contains(b) {
                    set_bit(&mut lacking[b * words..], s);
                }
            }
            for need in 0..16 {
                if f.designations.0 >> need & 1 == 1 {
                    set_bit(&mut designated[need * words..], s);
                }
            }
        }
        Some(SettingColumns {
            words,
            year: tests.year,
            sex: tests.sex,
            features: tests.features,
            not_year,
            not_sex,
            lacking,
            not_passing,
            designated,
            designation,
            ceilings,
            travel: rules.rules.travel.clone(),
            locations: settings.iter().map(|f| f.location).collect(),
        })
    }

    /// Words in a set of settings.
    pub fn words(&self) -> usize {
        self.words
    }

    /// The settings among `considered` (a bit set over settings) that each excluding rule
    /// rejects for `child`, written into `out`.
    pub fn failing(&self, child: &ChildFacts, considered: &[u64], out: &mut FailingSets) {
        let w = self.words;
        out.rules.clear();
        out.words.clear();
        out.words_per_set = w;
        out.union.clear();
        out.union.resize(w, 0);
        let year = child.year.0.min(15) as usize;
        let sex = match child.sex {
            Sex::Female => 0,
            Sex::Male => 1,
        };
        // Each rule's set is built at the end of `out.words` and kept when it is not empty.
        let mut push = |rule: usize, build: &mut dyn FnMut(&mut [u64])| {
            let start = out.words.len();
            out.words.resize(start + w, 0);
            let set = &mut out.words[start..];
            build(set);
            let mut any = 0;
            for (x, (&c, u)) in set
                .iter_mut()
                .zip(considered.iter().zip(out.union.iter_mut()))
            {
                *x &= c;
                *u |= *x;
                any |= *x;
            }
            if any == 0 {
                out.words.truncate(start);
            } else {
                out.rules.push((rule as u16, start));
            }
        };
        let mut designated_primary: Option<Vec<u64>> = None;
        let mut designated_any: Option<Vec<u64>> = None;
        for rule in 0..self.not_passing.len() {
            let bit = 1u64 << rule;
            if self.year & bit != 0 {
                push(rule, &mut copy(&self.not_year[year * w..]));
            } else if self.sex & bit != 0 {
                push(rule, &mut copy(&self.not_sex[sex * w..]));
            } else if self.features & bit != 0 {
                push(rule, &mut |set: &mut [u64]| {
                    for f in child.features.ones() {
                        let lacks = &self.lacking[f * w..(f + 1) * w];
                        set.iter_mut().zip(lacks).for_each(|(x, &l)| *x |= l);
                    }
                });
            } else if let Some((condition, not_passing)) = &self.not_passing[rule] {
                if child.applicable.contains(*condition) {
                    push(rule, &mut copy(not_passing));
                }
            } else if let Some((_, max, exempt)) =
                self.ceilings.iter().find(|c| c.0 as usize == rule)
            {
                let limit = JourneyLimit::new(&self.travel, max[child.year.phase() as usize]);
                push(rule, &mut |set: &mut [u64]| {
                    for (i, x) in set.iter_mut().enumerate() {
                        let mut open = considered[i] & !exempt[i];
                        while open != 0 {
                            let b = open.trailing_zeros();
                            open &= open - 1;
                            let place = self.locations[i * 64 + b as usize];
                            if limit.exceeded(&self.travel, child.home, place) {
                                *x |= 1 << b;
                            }
                        }
                    }
                });
            } else if let Some((_, kinds, any_need)) =
                self.designation.iter().find(|d| d.0 as usize == rule)
            {
                let wanted = if *any_need {
                    child.needs.0
                } else {
                    child.primary.bit()
                };
                let cached = if *any_need {
                    &mut designated_any
                } else {
                    &mut designated_primary
                };
                let designated = cached.get_or_insert_with(|| {
                    let mut d = vec![0; w];
                    for need in (0..16).filter(|n| wanted >> n & 1 == 1) {
                        let of_need = &self.designated[need * w..(need + 1) * w];
                        d.iter_mut().zip(of_need).for_each(|(x, &o)| *x |= o);
                    }
                    d
                });
                push(rule, &mut |set: &mut [u64]| {
                    for (x, (&k, &d)) in set.iter_mut().zip(kinds.iter().zip(designated.iter())) {
                        *x = k & !d;
                    }
                });
            }
        }
    }
}

/// Fills a set with a copy of `from`.
fn copy(from: &[u64]) -> impl FnMut(&mut [u64]) + '_ {
    move |set| set.copy_from_slice(&from[..set.len()])
}

#[cfg(test)]
mod tests {
    use super::{FailingSets, SettingColumns};
    use crate::engine::Engine;
    use crate::rules::{CompiledRules, HardTest};

    #[test]
    fn the_sets_agree_with_the_word_of_each_pair() {
        let (rules, area) = crate::engine::tests::shipped_rules_and_random_area(5, 150, 400);
        agree(&rules, &area);
        // And with a journey ceiling short enough to leave settings out.
        let mut set = rules.rules.clone();
        let mut ceilings = 0;
        for r in &mut set.hard {
            if let HardTest::JourneyCeiling { max_minutes, .. } = &mut r.test {
                *max_minutes = [20.0, 30.0, 40.0];
                ceilings += 1;
            }
        }
        assert_eq!(ceilings, 1, "the shipped rules have a journey ceiling");
        agree(&CompiledRules::new(set), &area);
    }

    /// The column form of `rules` agrees with the word form on every pair of `area`.
    fn agree(rules: &CompiledRules, area: &crate::model::Area) {
        let engine = Engine::new(rules, area);
        let columns = SettingColumns::new(rules, &engine.settings).expect("column form");
        let n = area.settings.len();
        // Every other setting considered, to check that the others are left out.
        let mut considered = vec![0u64; columns.words()];
        for s in (0..n).step_by(2) {
            considered[s / 64] |= 1 << (s % 64);
        }
        let mut sets = FailingSets::default();
        for c in 0..area.children.len() {
            columns.failing(&engine.children[c], &considered, &mut sets);
            for s in 0..n {
                let mut expected = Vec::new();
                if s % 2 == 0 {
                    engine.exclusions(c, s, &mut expected);
                }
                let got: Vec<u16> = (0..sets.rules.len())
                    .filter(|&i| sets.set(i)[s / 64] >> (s % 64) & 1 == 1)
                    .map(|i| sets.rules[i].0)
                    .collect();
                assert_eq!(got, expected, "child {c}, setting {s}");
                let in_union = sets.union[s / 64] >> (s % 64) & 1 == 1;
                assert_eq!(in_union, !expected.is_empty());
            }
        }
    }
}
