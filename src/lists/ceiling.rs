//! What a journey ceiling removed from a list: the nearest setting that every other rule finds
//! suitable but that is beyond the ceiling, with its journey, and how many such settings there
//! are. A ceiling hides nothing: a caseworker sees what it took away.

use super::compact::Exclusions;
use crate::engine::Engine;
use crate::explain::Journey;
use crate::model::SettingKind;
use serde::{Deserialize, Serialize};

/// The nearest setting left off a list only by a journey-ceiling rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeyondCeiling {
    /// The setting's id.
    pub setting: String,
    /// The setting's name.
    pub name: String,
    /// Type of provision.
    pub kind: SettingKind,
    /// The journey from home.
    pub journey: Journey,
    /// The id of the ceiling rule that excludes it.
    pub rule: String,
    /// How many settings only a ceiling rule excludes (this one and the farther ones).
    pub removed: usize,
}

/// The nearest of the settings in `excluded` whose only failing rules are journey-ceiling
/// rules (the shortest journey, then the lowest setting id), or `None` when the ceiling
/// removed no setting. Settings not considered (beyond a list's reach) are not looked at.
pub fn nearest_beyond_ceiling(
    engine: &Engine<'_>,
    c: usize,
    excluded: &Exclusions,
) -> Option<BeyondCeiling> {
    let ceiling: Vec<u16> = engine.ceiling_rules().map(|i| i as u16).collect();
    if ceiling.is_empty() {
        return None;
    }
    nearest(
        engine,
        c,
        excluded
            .iter()
            .filter_map(|e| only_ceiling(e.rule_indices(), &ceiling).map(|r| (e.setting_index, r))),
    )
}

/// The nearest setting with a place pool for child `c`'s year that only a journey-ceiling rule
/// excludes, over every setting of the area (the shortest journey, then the lowest setting id):
/// what a child left with nothing within the ceiling could reach. `None` when there is none.
pub fn nearest_pool_beyond_ceiling(engine: &Engine<'_>, c: usize) -> Option<BeyondCeiling> {
    let ceiling: Vec<u16> = engine.ceiling_rules().map(|i| i as u16).collect();
    if ceiling.is_empty() {
        return None;
    }
    let year = engine.children[c].year;
    let mut failing = Vec::new();
    let removed = (0..engine.settings.len()).filter_map(|s| {
        failing.clear();
        engine.exclusions(c, s, &mut failing);
        let rule = only_ceiling(&failing, &ceiling)?;
        engine.settings[s].pool_for(year).map(|_| (s, rule))
    });
    let removed: Vec<(usize, u16)> = removed.collect();
    nearest(engine, c, removed.into_iter())
}

/// The first of `rules` when every one of them is a ceiling rule (and there is one).
fn only_ceiling(rules: &[u16], ceiling: &[u16]) -> Option<u16> {
    (!rules.is_empty() && rules.iter().all(|r| ceiling.contains(r))).then(|| rules[0])
}

/// The nearest of `removed` (setting, the ceiling rule that excludes it) from child `c`'s
/// home, ties to the lowest setting id, with how many there are.
fn nearest(
    engine: &Engine<'_>,
    c: usize,
    removed: impl Iterator<Item = (usize, u16)>,
) -> Option<BeyondCeiling> {
    let ids = &engine.catalogue.setting_ids;
    let mut count = 0;
    let mut best: Option<(f64, usize, u16)> = None;
    for (s, rule) in removed {
        count += 1;
        let minutes = engine.journey(c, s).minutes;
        if best.is_none_or(|(m, b, _)| {
            minutes < m || (minutes == m && ids[s].as_str() < ids[b].as_str())
        }) {
            best = Some((minutes, s, rule));
        }
    }
    let (_, s, rule) = best?;
    let setting = &engine.area.settings[s];
    Some(BeyondCeiling {
        setting: setting.id.0.clone(),
        name: setting.name.clone(),
        kind: setting.kind,
        journey: engine.journey(c, s),
        rule: engine.catalogue.hard_rule_ids[rule as usize].clone(),
        removed: count,
    })
}
