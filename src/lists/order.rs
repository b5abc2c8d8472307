//! The order of a child's suitable settings: the preference named under s.39 first, then —
//! under the s.33 mainstream presumption, unless the parents' first preference is not
//! mainstream — suitable mainstream settings, then the rest; by score within each group, ties
//! by setting index (settings are in id order). A list needs only its first `top` settings in
//! order, so they are selected (linear time) and sorted alone; the settings ranked lower are
//! ordered when first read ([`super::RankedLower`]).

use crate::engine::Engine;
use crate::rules::PresumptionMode;
use std::cmp::Ordering;

/// One suitable setting with what orders it, packed into one key whose integer order is the
/// list order: from the top bit down, the group (0: named under s.39; 1: mainstream under the
/// presumption; 2: the rest), the score (highest first, in [`f64::total_cmp`]'s order), the
/// setting index, and a last bit marking a setting listed although below the cut (a parental
/// preference; settings are unique, so it never decides the order).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Ranked {
    key: u128,
}

const SETTING_SHIFT: u32 = 1;
const SCORE_SHIFT: u32 = 33;
const GROUP_SHIFT: u32 = 97;

impl Ranked {
    /// Setting `setting` in `group` with `score`.
    pub fn new(setting: u32, group: u8, score: f64) -> Ranked {
        // `total_cmp`'s order as unsigned integers, then reversed: highest score first.
        let bits = score.to_bits();
        let ascending = if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        };
        Ranked {
            key: u128::from(group) << GROUP_SHIFT
                | u128::from(!ascending) << SCORE_SHIFT
                | u128::from(setting) << SETTING_SHIFT,
        }
    }

    /// The setting's index.
    pub fn setting(&self) -> u32 {
        (self.key >> SETTING_SHIFT) as u32
    }

    /// The score, exactly as given to [`Ranked::new`].
    pub fn score(&self) -> f64 {
        let ascending = !((self.key >> SCORE_SHIFT) as u64);
        f64::from_bits(if ascending >> 63 == 1 {
            ascending & !(1 << 63)
        } else {
            !ascending
        })
    }

    /// True when listed although below the cut.
    pub fn listed(&self) -> bool {
        self.key & 1 == 1
    }

    /// Marks the setting as listed although below the cut.
    pub fn set_listed(&mut self) {
        self.key |= 1;
    }

    /// The list order: group, then score (highest first), then setting index.
    pub fn cmp(&self, other: &Ranked) -> Ordering {
        self.key.cmp(&other.key)
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
        Ranked::new(s as u32, group, score)
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

#[cfg(test)]
mod tests {
    use super::Ranked;

    #[test]
    fn the_key_orders_as_group_then_score_then_setting() {
        let scores = [
            f64::NEG_INFINITY,
            -3.5,
            -0.0,
            0.0,
            1e-300,
            0.1,
            12.25,
            77.5,
            f64::INFINITY,
        ];
        let mut all = Vec::new();
        for group in 0..3u8 {
            for &score in &scores {
                for setting in [0u32, 7, u32::MAX] {
                    all.push((group, score, setting));
                }
            }
        }
        for &(g, x, s) in &all {
            let a = Ranked::new(s, g, x);
            assert_eq!((a.setting(), a.score().to_bits()), (s, x.to_bits()));
            let mut listed = a;
            listed.set_listed();
            assert!(listed.listed() && !a.listed());
            assert_eq!(listed.setting(), s);
            for &(h, y, t) in &all {
                let expected = g.cmp(&h).then(y.total_cmp(&x)).then(s.cmp(&t));
                assert_eq!(
                    a.cmp(&Ranked::new(t, h, y)),
                    expected,
                    "{g} {x} {s} / {h} {y} {t}"
                );
            }
        }
    }
}
