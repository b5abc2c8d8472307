//! Evaluates compiled rules on (child, setting) pairs. Facts about each child and each setting
//! are computed once; a pair is then a handful of mask and threshold tests. No I/O.

mod catalogue;
mod columns;
mod facts;
mod grid;
mod limit;
pub mod rule_tests;
mod score;
mod words;

pub use catalogue::Catalogue;
pub use columns::{FailingSets, SettingColumns};
pub use facts::{ChildFacts, SettingFacts, SettingLookup};
pub use grid::SettingGrid;
pub use words::RuleWords;

use std::borrow::Cow;
use std::sync::Arc;

use crate::explain::{Contribution, Failure, Journey, SharedText, Verdict};
use crate::model::Area;
use crate::rules::{CompiledRules, HardTest, Measure, Severity};

/// The rules engine bound to one area.
#[derive(Debug)]
pub struct Engine<'a> {
    pub rules: &'a CompiledRules,
    pub area: &'a Area,
    pub children: Vec<ChildFacts>,
    pub settings: Vec<SettingFacts>,
    /// Settings by location, for [`Engine::settings_within`].
    pub grid: SettingGrid,
    /// Setting ids, names and kinds and hard-rule ids, shared by every compact list.
    pub catalogue: Arc<Catalogue>,
    /// For each hard rule: its bit in the child and setting masks (`usize::MAX` when the rule
    /// is not an excluding condition rule).
    condition_bit: Vec<usize>,
    /// The excluding rules in one word per pair, when they fit (see [`RuleWords`]).
    words: Option<RuleWords>,
    /// The excluding rules as sets of settings, when they have that form (see
    /// [`SettingColumns`]).
    columns: Option<SettingColumns>,
    /// Every setting as a bit set: what a child without a reach considers.
    every_setting_bits: Vec<u64>,
    /// Every setting index in order: what a child without a reach considers.
    every_setting: Vec<usize>,
    /// Each score rule's id and sentence, shared by the contributions that name it.
    score_texts: Vec<(SharedText, SharedText)>,
    /// Each hard rule's id and sentence, shared by the failures that name it.
    hard_texts: Vec<(SharedText, SharedText)>,
}

impl<'a> Engine<'a> {
    /// Computes the facts of every child and setting in `area` (which must be normalised).
    pub fn new(rules: &'a CompiledRules, area: &'a Area) -> Engine<'a> {
        let settings: Vec<SettingFacts> = area
            .settings
            .iter()
            .map(|s| SettingFacts::new(rules, area, s))
            .collect();
        let lookup = SettingLookup::new(&area.settings);
        let children: Vec<ChildFacts> = area
            .children
            .iter()
            .map(|c| ChildFacts::new(rules, &lookup, c))
            .collect();
        drop(lookup);
        let grid = SettingGrid::new(area.settings.iter().map(|s| s.location), 10_000.0);
        let mut condition_bit = vec![usize::MAX; rules.rules.hard.len()];
        for (bit, &i) in rules.exclude_conditions.iter().enumerate() {
            condition_bit[i] = bit;
        }
        Engine {
            grid,
            catalogue: Arc::new(Catalogue::new(rules, area)),
            condition_bit,
            words: RuleWords::new(rules, &children, &settings),
            columns: SettingColumns::new(rules, &settings),
            every_setting_bits: (0..settings.len().div_ceil(64))
                .map(|i| {
                    let left = settings.len() - i * 64;
                    if left >= 64 {
                        u64::MAX
                    } else {
                        (1u64 << left) - 1
                    }
                })
                .collect(),
            every_setting: (0..settings.len()).collect(),
            score_texts: rules
                .rules
                .scores
                .iter()
                .map(|r| (r.id.as_str().into(), r.text.as_str().into()))
                .collect(),
            hard_texts: rules
                .rules
                .hard
                .iter()
                .map(|r| (r.id.as_str().into(), r.text.as_str().into()))
                .collect(),
            rules,
            area,
            children,
            settings,
        }
    }

    /// Settings (ascending indices) whose estimated journey from child `c`'s home is at most
    /// `minutes`.
    pub fn settings_within(&self, c: usize, minutes: f64) -> Vec<usize> {
        let mut v = self.settings_within_unordered(c, minutes);
        v.sort_unstable();
        v
    }

    /// [`Engine::settings_within`] in no particular order.
    fn settings_within_unordered(&self, c: usize, minutes: f64) -> Vec<usize> {
        let straight_m = self.rules.rules.travel.straight_m_within(minutes);
        let home = self.children[c].home;
        let mut v = Vec::new();
        self.grid.for_each_near(home, straight_m, |s| {
            if self.journey(c, s as usize).minutes <= minutes {
                v.push(s as usize);
            }
        });
        v
    }

    /// The settings to evaluate for child `c`: every setting without a reach; with one, the
    /// settings within `reach_minutes` plus, always, the parents' preferences, the current
    /// setting and (with `with_siblings`) the siblings' settings. Ascending indices.
    pub fn settings_considered(
        &self,
        c: usize,
        reach_minutes: Option<f64>,
        with_siblings: bool,
    ) -> Cow<'_, [usize]> {
        let Some(minutes) = reach_minutes else {
            return Cow::Borrowed(&self.every_setting);
        };
        let facts = &self.children[c];
        let siblings: &[u32] = if with_siblings { &facts.siblings } else { &[] };
        let mut v = self.settings_within_unordered(c, minutes);
        v.extend(
            facts
                .preferences
                .iter()
                .chain(siblings)
                .chain(&facts.current)
                .map(|&s| s as usize),
        );
        v.sort_unstable();
        v.dedup();
        Cow::Owned(v)
    }

    /// The settings among `considered` (ascending indices) that each excluding rule rejects
    /// for child `c`, as sets of settings, written into `out`; `false` (and `out` untouched)
    /// when the rules have no such form ([`SettingColumns`]) and each pair must be tested
    /// with [`Engine::exclusions`].
    pub fn failing_sets(&self, c: usize, considered: &[usize], out: &mut FailingSets) -> bool {
        let Some(columns) = &self.columns else {
            return false;
        };
        if considered.len() == self.settings.len() {
            columns.failing(&self.children[c], &self.every_setting_bits, out);
        } else {
            let mut bits = vec![0u64; columns.words()];
            for &s in considered {
                bits[s / 64] |= 1 << (s % 64);
            }
            columns.failing(&self.children[c], &bits, out);
        }
        true
    }

    /// The journey from child `c`'s home to setting `s`.
    pub fn journey(&self, c: usize, s: usize) -> Journey {
        let t = &self.rules.rules.travel;
        let child = &self.children[c];
        let straight_m = child.home.distance_to(self.settings[s].location);
        let road_km = straight_m * t.road_factor / 1000.0;
        Journey {
            straight_km: straight_m / 1000.0,
            road_km,
            minutes: t.minutes(straight_m),
            guidance_minutes: child.guidance_minutes,
            within_walking_distance: straight_m * t.road_factor <= child.walking_m,
        }
    }

    /// True when no excluding hard rule fails for the pair. The fast path.
    pub fn is_eligible(&self, c: usize, s: usize) -> bool {
        if let Some(words) = &self.words {
            return self.failing_word(words, c, s) == 0;
        }
        let child = &self.children[c];
        let setting = &self.settings[s];
        child.applicable.is_subset(&setting.passes)
            && self
                .rules
                .pair_tests
                .iter()
                .all(|(_, test, sev)| *sev == Severity::Flag || self.pair_test_passes(test, c, s))
    }

    #[inline]
    fn failing_word(&self, words: &RuleWords, c: usize, s: usize) -> u64 {
        words.failing(c, s, || self.journey(c, s).minutes)
    }

    /// True when hard rule `rule` (an index into the rule set's hard rules) fails for the pair,
    /// whatever its severity. The one test behind both [`Engine::exclusions`] and
    /// [`Engine::evaluate`], so compact and explained verdicts cannot disagree.
    pub fn rule_fails(&self, rule: usize, c: usize, s: usize) -> bool {
        match &self.rules.rules.hard[rule].test {
            HardTest::Condition { when, require } => match self.condition_bit[rule] {
                usize::MAX => {
                    crate::rules::child_holds(&self.rules.rules, when, &self.area.children[c])
                        && !crate::rules::setting_holds(require, &self.area.settings[s])
                }
                bit => {
                    self.children[c].applicable.contains(bit)
                        && !self.settings[s].passes.contains(bit)
                }
            },
            test => !self.pair_test_passes(test, c, s),
        }
    }

    /// Appends to `out` the indices (into the rule set's hard rules, ascending) of the
    /// excluding rules that fail for the pair; returns how many were appended. No facts and
    /// no allocation beyond `out`'s growth: the compact form of [`Engine::evaluate`]. With the
    /// word form of the rules ([`RuleWords`]) the failing rules are the set bits of one word.
    #[inline]
    pub fn exclusions(&self, c: usize, s: usize, out: &mut Vec<u16>) -> usize {
        if let Some(words) = &self.words {
            let mut failing = self.failing_word(words, c, s);
            let n = failing.count_ones() as usize;
            while failing != 0 {
                out.push(failing.trailing_zeros() as u16);
                failing &= failing - 1;
            }
            return n;
        }
        let before = out.len();
        for (i, rule) in self.rules.rules.hard.iter().enumerate() {
            if rule.severity == Severity::Exclude && self.rule_fails(i, c, s) {
                out.push(i as u16);
            }
        }
        out.len() - before
    }

    fn pair_test_passes(&self, test: &HardTest, c: usize, s: usize) -> bool {
        let child = &self.children[c];
        let setting = &self.settings[s];
        match test {
            HardTest::YearGroup => {
                setting.first_year <= child.year && child.year <= setting.last_year
            }
            HardTest::Sex => setting.admits.admits(child.sex),
            HardTest::Features => child.features.is_subset(&setting.features),
            HardTest::Designation {
                applies_to,
                any_need,
            } => {
                !applies_to.contains(setting.kind)
                    || if *any_need {
                        child.needs.intersects(setting.designations)
                    } else {
                        setting.designations.contains(child.primary)
                    }
            }
            HardTest::TravelGuidance => !self.journey(c, s).exceeds_guidance(),
            HardTest::JourneyCeiling {
                max_minutes,
                exempt_features,
            } => {
                self.offers_any(s, exempt_features)
                    || self.journey(c, s).minutes <= max_minutes[child.year.phase() as usize]
            }
            HardTest::Condition { .. } => true,
        }
    }

    /// True when setting `s` offers any of `features`.
    fn offers_any(&self, s: usize, features: &[String]) -> bool {
        let offered = &self.area.settings[s].features;
        features.iter().any(|f| offered.contains(f))
    }

    /// The residential (boarding) placement of child `c` at setting `s`: true when the
    /// journey is beyond a journey-ceiling rule's maximum for the child's phase and the setting
    /// is exempt from that rule by a feature it offers (boarding places), so the child would
    /// board rather than travel each day.
    pub fn is_residential(&self, c: usize, s: usize) -> bool {
        let phase = self.children[c].year.phase() as usize;
        self.rules.pair_tests.iter().any(|(_, test, _)| match test {
            HardTest::JourneyCeiling {
                max_minutes,
                exempt_features,
            } => {
                self.offers_any(s, exempt_features)
                    && self.journey(c, s).minutes > max_minutes[phase]
            }
            _ => false,
        })
    }

    /// The indices (into the rule set's hard rules) of the excluding journey-ceiling rules.
    pub fn ceiling_rules(&self) -> impl Iterator<Item = usize> + '_ {
        self.rules.pair_tests.iter().filter_map(|(i, test, sev)| {
            (matches!(test, HardTest::JourneyCeiling { .. }) && *sev == Severity::Exclude)
                .then_some(*i)
        })
    }

    /// The score of an eligible pair, without building an explanation.
    pub fn score(&self, c: usize, s: usize) -> f64 {
        let child = &self.children[c];
        let setting = &self.settings[s];
        let scores = &self.rules.rules.scores;
        let mut total = 0.0;
        if scores.len() > 64 {
            for (i, rule) in scores.iter().enumerate() {
                total += rule.weight * self.measure_facts(i, &rule.measure, c, s, child, setting);
            }
            return total;
        }
        // The rules that add no points for this child are left out: adding 0 changes no
        // sum, so the score is the same to the last bit as summing every rule in order.
        let mut live = child.score_live;
        while live != 0 {
            let i = live.trailing_zeros() as usize;
            live &= live - 1;
            let rule = &scores[i];
            total += rule.weight * self.measure_facts(i, &rule.measure, c, s, child, setting);
        }
        total
    }

    fn measure(&self, rule_index: usize, m: &Measure, c: usize, s: usize) -> f64 {
        self.measure_facts(rule_index, m, c, s, &self.children[c], &self.settings[s])
    }

    /// The measure of score rule `rule_index` for the pair, given the pair's facts.
    #[inline(always)]
    fn measure_facts(
        &self,
        rule_index: usize,
        m: &Measure,
        c: usize,
        s: usize,
        child: &ChildFacts,
        setting: &SettingFacts,
    ) -> f64 {
        match m {
            Measure::Condition { .. } => {
                let bit = self.rules.score_bit[rule_index];
                match (child.score_when_word, setting.score_holds_word) {
                    (Some(a), Some(b)) => ((a & b) >> bit & 1) as f64,
                    _ => f64::from(
                        child.score_when.contains(bit) && setting.score_holds.contains(bit),
                    ),
                }
            }
            Measure::Travel { zero_at } => {
                let j = self.journey(c, s);
                (1.0 - j.minutes / (zero_at * j.guidance_minutes)).max(0.0)
            }
            Measure::Designation { secondary } => {
                if setting.designations.contains(child.primary) {
                    1.0
                } else if child.needs.intersects(setting.designations) {
                    *secondary
                } else {
                    0.0
                }
            }
            Measure::Preference => child
                .preferences
                .iter()
                .position(|&p| p == s as u32)
                .map_or(0.0, |r| 1.0 / (r as f64 + 1.0)),
            Measure::Sibling => f64::from(
                child.siblings.contains(&(s as u32))
                    || setting.host.is_some_and(|h| child.siblings.contains(&h)),
            ),
            Measure::Continuity => f64::from(child.current == Some(s as u32)),
            Measure::Mainstream => f64::from(setting.kind.is_mainstream()),
            Measure::FreePlace => f64::from(setting.free_years >> child.year.0.min(15) & 1 == 1),
        }
    }

    /// The full verdict for a pair, with contributions or failures and the facts behind them.
    pub fn evaluate(&self, c: usize, s: usize) -> Verdict {
        let mut failures = Vec::new();
        let mut flags = Vec::new();
        for (i, rule) in self.rules.rules.hard.iter().enumerate() {
            if self.rule_fails(i, c, s) {
                match rule.severity {
                    Severity::Exclude => failures.push(self.failure(i, c, s)),
                    Severity::Flag => flags.push(self.failure(i, c, s)),
                }
            }
        }
        if !failures.is_empty() {
            return Verdict::Excluded { failures, flags };
        }
        let (score, contributions) = self.contributions(c, s, true);
        Verdict::Eligible {
            score,
            contributions,
            flags,
        }
    }

    /// The score of a pair and each scoring rule's contribution to it (with `zeros`, also the
    /// rules that contribute nothing), whether or not the pair is suitable.
    pub fn contributions(&self, c: usize, s: usize, zeros: bool) -> (f64, Vec<Contribution>) {
        let mut contributions = Vec::new();
        let mut score = 0.0;
        for (i, rule) in self.rules.rules.scores.iter().enumerate() {
            let value = self.measure(i, &rule.measure, c, s);
            let points = rule.weight * value;
            score += points;
            if zeros || points != 0.0 {
                let (id, text) = &self.score_texts[i];
                contributions.push(Contribution {
                    rule: id.clone(),
                    text: text.clone(),
                    weight: rule.weight,
                    value,
                    points,
                });
            }
        }
        (score, contributions)
    }

    /// The flagging (non-excluding) hard rules that fail for a pair, with the facts.
    pub fn flags(&self, c: usize, s: usize) -> Vec<Failure> {
        (0..self.rules.rules.hard.len())
            .filter(|&i| {
                self.rules.rules.hard[i].severity == Severity::Flag && self.rule_fails(i, c, s)
            })
            .map(|i| self.failure(i, c, s))
            .collect()
    }

    fn failure(&self, rule: usize, c: usize, s: usize) -> Failure {
        let (id, text) = &self.hard_texts[rule];
        Failure {
            rule: id.clone(),
            text: text.clone(),
            child: self.child_fact(rule, c, s),
            setting: self.setting_fact(rule, c, s),
        }
    }

    fn child_fact(&self, rule: usize, c: usize, s: usize) -> String {
        let child = &self.area.children[c];
        match &self.rules.rules.hard[rule].test {
            HardTest::YearGroup => format!("year {} ({})", child.year, child.year.phase().key()),
            HardTest::Sex => format!("sex {:?}", child.sex).to_lowercase(),
            HardTest::Features => format!("requires {}", list_or_none(&child.features)),
            HardTest::Designation { any_need, .. } => {
                if *any_need {
                    format!("needs {}", child.all_needs().joined())
                } else {
                    format!("primary need {}", child.primary_need)
                }
            }
            HardTest::TravelGuidance => {
                let j = self.journey(c, s);
                format!(
                    "{} phase: guidance {:.0} min",
                    child.year.phase().key(),
                    j.guidance_minutes
                )
            }
            HardTest::JourneyCeiling { max_minutes, .. } => {
                let phase = child.year.phase();
                format!(
                    "{} phase: day journeys at most {:.0} min",
                    phase.key(),
                    max_minutes[phase as usize]
                )
            }
            HardTest::Condition { when, .. } => {
                facts::describe_child(&self.rules.rules, when, child)
            }
        }
    }

    fn setting_fact(&self, rule: usize, c: usize, s: usize) -> String {
        let setting = &self.area.settings[s];
        match &self.rules.rules.hard[rule].test {
            HardTest::YearGroup => {
                format!("admits years {}–{}", setting.first_year, setting.last_year)
            }
            HardTest::Sex => format!("admits {}", setting.admits.key()),
            HardTest::Features => {
                let child = &self.area.children[c];
                let missing: Vec<String> = child
                    .features
                    .iter()
                    .filter(|f| !setting.features.contains(f))
                    .cloned()
                    .collect();
                format!(
                    "offers {}; lacks {}",
                    list_or_none(&setting.features),
                    missing.join(", ")
                )
            }
            HardTest::Designation { .. } => format!(
                "{} designated for {}",
                setting.kind.key(),
                if setting.designations.is_empty() {
                    "no need".to_string()
                } else {
                    setting.designations.joined()
                }
            ),
            HardTest::TravelGuidance => {
                let j = self.journey(c, s);
                format!("{:.1} km by road, about {:.0} min", j.road_km, j.minutes)
            }
            HardTest::JourneyCeiling {
                exempt_features, ..
            } => {
                let j = self.journey(c, s);
                let boarding = if exempt_features.is_empty() {
                    String::new()
                } else {
                    format!("; offers no {}", exempt_features.join(" or "))
                };
                format!(
                    "{:.1} km by road, about {:.0} min{boarding}",
                    j.road_km, j.minutes
                )
            }
            HardTest::Condition { require, .. } => facts::describe_setting(require, setting),
        }
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::model::Area;
    use crate::rules::{CompiledRules, RuleSource};

    /// The shipped England rules and a seeded random area, for the engine's tests.
    pub(crate) fn shipped_rules_and_random_area(
        seed: u64,
        settings: usize,
        children: usize,
    ) -> (CompiledRules, Area) {
        let rules = CompiledRules::new(RuleSource::from_option(None).load().unwrap());
        (rules, crate::testkit::random_area(seed, settings, children))
    }
}
