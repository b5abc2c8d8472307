//! The compact parts of a list: suitable settings ranked below the cut, and excluded settings
//! with the ids of their failing rules. Both refer to settings and rules by index into the
//! engine's [`Catalogue`], so building them allocates nothing per (child, setting) pair; they
//! serialise with the ids spelt out. The facts behind an exclusion are computed only on demand
//! ([`crate::lists::explain_exclusion`], [`crate::lists::explain_pair`]).
//!
//! Read back from JSON, they hold what the JSON holds: setting ids, ranks, scores and rule ids.
//! Names and kinds of these settings are not in the JSON (they are in the area's settings), so
//! a list read back gives an empty name and no kind for them.

use super::order::Ranked;
use super::round2;
use crate::engine::{Catalogue, FailingSets};
use crate::model::SettingKind;
use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::sync::{Arc, OnceLock};

/// Suitable settings ranked below the list's length: setting, rank and score (serialised
/// as `{setting, rank, score}`; names and kinds are in the area's settings, and in
/// [`RankedLowerEntry`] when read here). They are kept unordered as the list is built and put in
/// rank order when first read, so a list that is never read in full is never sorted in full.
#[derive(Clone, Debug)]
pub struct RankedLower {
    catalogue: Arc<Catalogue>,
    /// The suitable settings after the first `first_rank - 1`, in no particular order; those
    /// marked `listed` (preferences below the cut) are on the list but hold their rank here.
    rows: Vec<Ranked>,
    first_rank: u32,
    len: usize,
    /// (setting, rank, score rounded) in rank order, once read.
    sorted: OnceLock<Vec<(u32, u32, f64)>>,
}

/// One setting ranked below the cut, as read from a [`RankedLower`].
/// Serialised as `{setting, rank, score}`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct RankedLowerEntry<'a> {
    /// The setting's id.
    pub setting: &'a str,
    /// The setting's name (empty in a list read back from JSON).
    #[serde(skip)]
    pub name: &'a str,
    /// Type of provision (`None` in a list read back from JSON).
    #[serde(skip)]
    pub kind: Option<SettingKind>,
    /// Index of the setting in the area.
    #[serde(skip)]
    pub setting_index: usize,
    /// Rank in the child's list.
    pub rank: usize,
    /// Score, rounded to hundredths.
    pub score: f64,
}

impl RankedLower {
    /// The settings ranked from `first_rank` on, given unordered.
    pub(crate) fn new(catalogue: Arc<Catalogue>, rows: Vec<Ranked>, first_rank: usize) -> Self {
        let len = rows.iter().filter(|r| !r.listed()).count();
        RankedLower {
            catalogue,
            rows,
            first_rank: first_rank as u32,
            len,
            sorted: OnceLock::new(),
        }
    }

    /// Number of settings ranked below the cut.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no suitable setting was cut.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn sorted(&self) -> &[(u32, u32, f64)] {
        self.sorted.get_or_init(|| {
            let mut rows = self.rows.clone();
            rows.sort_unstable_by(Ranked::cmp);
            rows.iter()
                .zip(self.first_rank..)
                .filter(|(r, _)| !r.listed())
                .map(|(r, rank)| (r.setting(), rank, round2(r.score())))
                .collect()
        })
    }

    /// The settings in rank order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = RankedLowerEntry<'_>> + '_ {
        let cat = &*self.catalogue;
        self.sorted().iter().map(move |&(s, rank, score)| {
            let s = s as usize;
            RankedLowerEntry {
                setting: &cat.setting_ids[s],
                name: &cat.setting_names[s],
                kind: cat.setting_kinds[s],
                setting_index: s,
                rank: rank as usize,
                score,
            }
        })
    }
}

impl PartialEq for RankedLower {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Serialize for RankedLower {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Settings that fail an excluding hard rule, each with the failing rules (ids only;
/// serialised as `{setting, rules}`). Built either setting by setting, or (from the engine's
/// column form) as each failing rule's set of settings, turned into the setting-by-setting form
/// only when first read that way.
#[derive(Clone, Debug)]
pub struct Exclusions {
    catalogue: Arc<Catalogue>,
    len: usize,
    /// Each failing rule's settings, when built from the column form.
    by_rule: Option<FailingSets>,
    /// The excluded settings with their rules, setting after setting.
    per_setting: OnceLock<PerSetting>,
}

/// Excluded settings with their failing rules, setting after setting.
#[derive(Clone, Debug, Default)]
pub(crate) struct PerSetting {
    /// (setting index, end of its rules in `rules`).
    settings: Vec<(u32, u32)>,
    /// Hard-rule indices, setting after setting.
    rules: Vec<u16>,
}

impl PerSetting {
    /// Room for `settings` excluded settings (and about two rules each).
    pub(crate) fn with_capacity(settings: usize) -> PerSetting {
        PerSetting {
            settings: Vec::with_capacity(settings),
            rules: Vec::with_capacity(2 * settings),
        }
    }

    /// The rule buffer to append a setting's failing rules to; then call [`Self::close`].
    pub(crate) fn rule_buffer(&mut self) -> &mut Vec<u16> {
        &mut self.rules
    }

    /// Records setting `s` as excluded by the rules appended since the last call.
    pub(crate) fn close(&mut self, s: usize) {
        self.settings.push((s as u32, self.rules.len() as u32));
    }

    /// The same exclusions from each rule's set of settings.
    fn from_sets(sets: &FailingSets) -> PerSetting {
        let mut p = PerSetting::default();
        for (i, &union) in sets.union.iter().enumerate() {
            let mut bits = union;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for (r, &(rule, _)) in sets.rules.iter().enumerate() {
                    if sets.set(r)[i] >> b & 1 == 1 {
                        p.rules.push(rule);
                    }
                }
                p.close(i * 64 + b);
            }
        }
        p
    }
}

/// One excluded setting, as read from [`Exclusions`].
#[derive(Clone, Copy, Debug)]
pub struct Exclusion<'a> {
    /// The setting's id.
    pub setting: &'a str,
    /// Type of provision (`None` in a list read back from JSON).
    pub kind: Option<SettingKind>,
    /// Index of the setting in the area.
    pub setting_index: usize,
    rule_indices: &'a [u16],
    catalogue: &'a Catalogue,
}

impl<'a> Exclusion<'a> {
    /// Ids of the failing excluding rules, in rule-set order.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let cat = self.catalogue;
        self.rule_indices
            .iter()
            .map(move |&r| cat.hard_rule_ids[r as usize].as_str())
    }

    /// Indices (into the rule set's hard rules) of the failing excluding rules.
    pub fn rule_indices(&self) -> &'a [u16] {
        self.rule_indices
    }

    /// The setting's name.
    pub fn name(&self) -> &'a str {
        &self.catalogue.setting_names[self.setting_index]
    }
}

impl Exclusions {
    /// Exclusions built setting by setting.
    pub(crate) fn from_settings(catalogue: Arc<Catalogue>, p: PerSetting) -> Exclusions {
        Exclusions {
            catalogue,
            len: p.settings.len(),
            by_rule: None,
            per_setting: OnceLock::from(p),
        }
    }

    /// Exclusions from each failing rule's set of settings (the engine's column form).
    pub(crate) fn from_sets(catalogue: Arc<Catalogue>, sets: FailingSets) -> Exclusions {
        Exclusions {
            catalogue,
            len: sets.union.iter().map(|w| w.count_ones() as usize).sum(),
            by_rule: Some(sets),
            per_setting: OnceLock::new(),
        }
    }

    fn per_setting(&self) -> &PerSetting {
        self.per_setting.get_or_init(|| {
            PerSetting::from_sets(
                self.by_rule
                    .as_ref()
                    .expect("one of the two forms is built"),
            )
        })
    }

    /// Number of excluded settings.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no setting is excluded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The excluded settings in the area's setting order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Exclusion<'_>> + '_ {
        let cat = &*self.catalogue;
        let p = self.per_setting();
        let mut start = 0usize;
        p.settings.iter().map(move |&(s, end)| {
            let s = s as usize;
            let rule_indices = &p.rules[start..end as usize];
            start = end as usize;
            Exclusion {
                setting: &cat.setting_ids[s],
                kind: cat.setting_kinds[s],
                setting_index: s,
                rule_indices,
                catalogue: cat,
            }
        })
    }

    /// Each rule that excludes at least one setting, with how many (index, as in
    /// [`Exclusion::rule_indices`], and count), in rule-set order.
    fn rule_counts(&self) -> Vec<(u16, usize)> {
        if let Some(sets) = &self.by_rule {
            return (0..sets.rules.len())
                .map(|i| {
                    let n = sets.set(i).iter().map(|w| w.count_ones() as usize).sum();
                    (sets.rules[i].0, n)
                })
                .collect();
        }
        let mut counts = vec![0usize; self.catalogue.hard_rule_ids.len()];
        for &r in &self.per_setting().rules {
            counts[r as usize] += 1;
        }
        (0..counts.len())
            .filter(|&r| counts[r] > 0)
            .map(|r| (r as u16, counts[r]))
            .collect()
    }

    /// The rules that exclude at least one setting: index (as in
    /// [`Exclusion::rule_indices`]) and id, in rule-set order.
    pub fn failing_rules(&self) -> impl Iterator<Item = (u16, &str)> + '_ {
        self.rule_counts()
            .into_iter()
            .map(|(r, _)| (r, self.catalogue.hard_rule_ids[r as usize].as_str()))
    }

    /// Calls `f` with the id of each setting that rule `rule` (an index, as in
    /// [`Exclusion::rule_indices`]) excludes, in the area's setting order.
    pub fn for_each_excluded_by(&self, rule: u16, mut f: impl FnMut(&str)) {
        let ids = &self.catalogue.setting_ids;
        match &self.by_rule {
            Some(sets) => {
                let Some(i) = sets.rules.iter().position(|r| r.0 == rule) else {
                    return;
                };
                for (k, &word) in sets.set(i).iter().enumerate() {
                    let mut bits = word;
                    while bits != 0 {
                        f(&ids[k * 64 + bits.trailing_zeros() as usize]);
                        bits &= bits - 1;
                    }
                }
            }
            None => self
                .iter()
                .filter(|x| x.rule_indices.contains(&rule))
                .for_each(|x| f(x.setting)),
        }
    }

    /// How many excluded settings each rule fails, by rule id (in rule-set order).
    pub fn count_by_rule(&self) -> Vec<(&str, usize)> {
        self.rule_counts()
            .into_iter()
            .map(|(r, n)| (self.catalogue.hard_rule_ids[r as usize].as_str(), n))
            .collect()
    }
}

impl PartialEq for Exclusions {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|(a, b)| a.setting == b.setting && a.rules().eq(b.rules()))
    }
}

impl Serialize for Exclusions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Serialised as `{setting, rules}`, the rules by id.
impl Serialize for Exclusion<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(2))?;
        m.serialize_entry("setting", self.setting)?;
        m.serialize_entry("rules", &RuleIds(*self))?;
        m.end()
    }
}

struct RuleIds<'a>(Exclusion<'a>);

impl Serialize for RuleIds<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.rules())
    }
}

/// A catalogue of the settings named in a list read back from JSON: their ids only.
fn catalogue_of_ids(setting_ids: Vec<String>, hard_rule_ids: Vec<String>) -> Arc<Catalogue> {
    let n = setting_ids.len();
    Arc::new(Catalogue {
        setting_ids,
        setting_names: vec![String::new(); n],
        setting_kinds: vec![None; n],
        hard_rule_ids,
    })
}

/// One `omitted` element of a list's JSON.
#[derive(serde::Deserialize)]
struct RankedLowerRow {
    setting: String,
    rank: usize,
    score: f64,
}

impl<'de> Deserialize<'de> for RankedLower {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows = Vec::<RankedLowerRow>::deserialize(deserializer)?;
        let mut sorted = Vec::with_capacity(rows.len());
        let mut ids = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            let rank = u32::try_from(row.rank).map_err(D::Error::custom)?;
            if sorted.last().is_some_and(|&(_, last, _)| rank <= last) {
                return Err(D::Error::custom(format!(
                    "omitted: rank {rank} of setting `{}` is not above the rank before it",
                    row.setting
                )));
            }
            sorted.push((i as u32, rank, row.score));
            ids.push(row.setting);
        }
        let first_rank = sorted.first().map_or(1, |&(_, rank, _)| rank);
        Ok(RankedLower {
            catalogue: catalogue_of_ids(ids, Vec::new()),
            rows: Vec::new(),
            first_rank,
            len: sorted.len(),
            sorted: OnceLock::from(sorted),
        })
    }
}

/// One `excluded` element of a list's JSON.
#[derive(serde::Deserialize)]
struct ExclusionRow {
    setting: String,
    rules: Vec<String>,
}

impl<'de> Deserialize<'de> for Exclusions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows = Vec::<ExclusionRow>::deserialize(deserializer)?;
        // Rule ids by first appearance: the rule set's order is not in the JSON.
        let mut rule_ids: Vec<String> = Vec::new();
        let mut settings = Vec::with_capacity(rows.len());
        let mut rules = Vec::new();
        let mut ids = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            if row.rules.is_empty() {
                return Err(D::Error::custom(format!(
                    "excluded: setting `{}` has no failing rule",
                    row.setting
                )));
            }
            for rule in row.rules {
                let r = match rule_ids.iter().position(|id| *id == rule) {
                    Some(r) => r,
                    None => {
                        rule_ids.push(rule);
                        rule_ids.len() - 1
                    }
                };
                rules.push(u16::try_from(r).map_err(D::Error::custom)?);
            }
            settings.push((i as u32, rules.len() as u32));
            ids.push(row.setting);
        }
        Ok(Exclusions::from_settings(
            catalogue_of_ids(ids, rule_ids),
            PerSetting { settings, rules },
        ))
    }
}
