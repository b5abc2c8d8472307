//! The order of a child's suitable settings: the preference named under s.39 first, then —
//! under the s.33 mainstream presumption, unless the parents' first preference is not
//! mainstream — suitable mainstream settings, then the rest; by score within each group, ties
//! by setting index (settings are in id order). A list needs only its first `top` settings in
//! order, so they are selected (linear time) and sorted alone; the settings ranked lower are
//! ordered when first read ([`super::RankedLower`]).

use crate::engine::Engine;
use crate::rules::PresumptionMode;
use std::cmp::Ordering;

/// One suitable setting with what orders it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Ranked {
    pub setting: u32,
    /// 0: named under s.39; 1: mainstream under the presumption; 2: the rest.
    pub group: u8,
    /// Listed although below the cut (a parental preference).
    pub listed: bool,
    pub score: f64,
}

impl Ranked {
    /// The list order: group, then score (highest first), then setting index.
    pub fn cmp(&self, other: &Ranked) -> Ordering {
        self.group
            .cmp(&other.group)
            .then(other.score.total_cmp(&self.score))
            .then(self.setting.cmp(&other.setting))
    }
}

/// How child `c`'s list groups its suitable settings, given the setting named under s.39.
pub(crate) struct ListOrder {
    mainstream_first: bool,
    named: Option<usize>,
    /// How the s.33 presumption shaped the order, in words.
    pub presumption: String,
}

impl ListOrder {
    pub fn new(engine: &Engine<'_>, c: usize, named: Option<usize>) -> ListOrder {
        let rules = &engine.rules.rules;
        let first_pref_special = engine.children[c]
            .preferences
            .first()
            .is_some_and(|&p| !engine.settings[p as usize].kind.is_mainstream());
        let mainstream_first =
            rules.statutory.presumption == PresumptionMode::MainstreamFirst && !first_pref_special;
        let presumption = match (rules.statutory.presumption, first_pref_special) {
            (PresumptionMode::ScoreOnly, _) => format!(
                "{}: ranked by score alone (rules: score-only)",
                rules.statutory.presumption_id
            ),
            (_, true) => format!(
                "{}: not applied; the parents' first preference is not a mainstream setting",
                rules.statutory.presumption_id
            ),
            _ => format!(
                "{}: suitable mainstream settings (incl. resource bases and units) ranked first",
                rules.statutory.presumption_id
            ),
        };
        ListOrder {
            mainstream_first,
            named,
            presumption,
        }
    }

    /// Setting `s` with its score, ready to be ordered.
    pub fn ranked(&self, engine: &Engine<'_>, s: usize, score: f64) -> Ranked {
        let group = if Some(s) == self.named {
            0
        } else if self.mainstream_first && engine.settings[s].kind.is_mainstream() {
            1
        } else {
            2
        };
        Ranked {
            setting: s as u32,
            group,
            listed: false,
            score,
        }
    }
}

/// Puts the first `k` settings of `v` in list order at its front (the rest after them, in no
/// particular order).
pub(crate) fn select_top(v: &mut [Ranked], k: usize) {
    let k = k.min(v.len());
    if k == 0 {
        return;
    }
    if k < v.len() {
        v.select_nth_unstable_by(k - 1, Ranked::cmp);
    }
    v[..k].sort_unstable_by(Ranked::cmp);
}

/// Sorts child `c`'s suitable settings (index, score) into list order (see the module docs)
/// and returns how the presumption shaped the order.
pub fn order_suitable(
    engine: &Engine<'_>,
    c: usize,
    named: Option<usize>,
    suitable: &mut [(usize, f64)],
) -> String {
    let order = ListOrder::new(engine, c, named);
    suitable.sort_unstable_by(|a, b| {
        order
            .ranked(engine, a.0, a.1)
            .cmp(&order.ranked(engine, b.0, b.1))
    });
    order.presumption
}
