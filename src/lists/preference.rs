//! Parental preferences under s.39 of the Children and Families Act 2014: each preferred
//! setting tested in turn, the first suitable one with a place at a reasonable cost named, the
//! statutory exception stated for the others.

use super::{PreferenceDecision, capacity_status, funding_quote};
use crate::engine::Engine;
use crate::model::Pounds;
use crate::rules::FundingGroup;
use serde::{Deserialize, Serialize};

/// How one parental preference was handled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreferenceOutcome {
    /// The setting the parents named (id).
    pub setting: String,
    /// Position in the parents' preferences (1 = first).
    pub preference: usize,
    /// `named`, `exception`, `not-s39` (not a setting s.39 covers) or `not-reached` (an
    /// earlier preference was named).
    pub outcome: PreferenceDecision,
    /// The statutory ground, e.g. `s.39(4)(a) unsuitable`.
    pub ground: Option<String>,
    /// The reason, in words.
    pub reason: String,
}

/// The s.39 test of one preferred setting, without regard to earlier preferences.
#[derive(Clone, Debug, PartialEq)]
pub enum PreferenceTest {
    /// Suitable, covered by s.39, with a place, at a reasonable cost: to be named.
    Named,
    /// s.39 does not cover the setting (e.g. an independent school not approved under s.41).
    NotCovered(String),
    /// An exception applies: the statutory ground and the reason.
    Exception(&'static str, String),
}

/// Tests preferred setting `s` for child `c` under s.39(4). `free` is the places free to the
/// child in the relevant pool; `cheapest` is the annual cost of the cheapest suitable setting
/// with a place in the same funding group as `s` (the authority's comparable provision), if any.
pub fn test_preference(
    engine: &Engine<'_>,
    c: usize,
    s: usize,
    free: u32,
    cheapest: Option<i64>,
) -> PreferenceTest {
    let st = &engine.rules.rules.statutory;
    let setting = &engine.area.settings[s];
    if !engine.is_eligible(c, s) {
        let failed = engine.evaluate(c, s).failed_rules().join(", ");
        return PreferenceTest::Exception("s.39(4)(a) unsuitable", format!("fails {failed}"));
    }
    let covered = st.preference_kinds.contains(setting.kind)
        && (setting.kind != crate::model::SettingKind::SpecialIndependent || setting.s41_approved);
    if !covered {
        return PreferenceTest::NotCovered(format!(
            "{} is not a setting s.39 covers (independent schools only when approved under s.41); the request is considered under the general duty and the setting stays on the list",
            setting.kind.key()
        ));
    }
    if st.full_is_exception && free == 0 {
        let cap = capacity_status(engine, c, s);
        return PreferenceTest::Exception(
            "s.39(4)(b) efficient education of others",
            format!(
                "no free place in pool {} ({} of {} taken)",
                cap.pool.unwrap_or_default(),
                cap.on_roll,
                cap.capacity
            ),
        );
    }
    let cost = funding_quote(engine, c, s).total.0;
    if let (Some(ratio), Some(cheapest)) = (st.cost_ratio_exception, cheapest)
        && cost as f64 > ratio * cheapest as f64
    {
        return PreferenceTest::Exception(
            "s.39(4)(b) efficient use of resources",
            format!(
                "costs {} a year, more than {ratio} times the cheapest suitable {} place available ({})",
                Pounds(cost),
                FundingGroup::of(setting.kind).key(),
                Pounds(cheapest)
            ),
        );
    }
    PreferenceTest::Named
}

/// For each funding group, the cheapest annual cost among `settings` (suitable for child `c`)
/// that `has_place`.
pub fn cheapest_by_group(
    engine: &Engine<'_>,
    c: usize,
    settings: impl IntoIterator<Item = usize>,
    has_place: impl Fn(usize) -> bool,
) -> [Option<i64>; 5] {
    let mut out = [None; 5];
    for s in settings {
        if has_place(s) {
            let g = FundingGroup::of(engine.area.settings[s].kind) as usize;
            let cost = super::annual_cost(engine, c, s);
            out[g] = Some(out[g].map_or(cost, |x: i64| x.min(cost)));
        }
    }
    out
}

pub(crate) fn preference_outcomes(
    engine: &Engine<'_>,
    c: usize,
    suitable: &[(usize, f64)],
    cannot_deliver: impl Fn(usize) -> Option<String>,
) -> (Vec<PreferenceOutcome>, Option<usize>) {
    let st = &engine.rules.rules.statutory;
    let mut outcomes = Vec::new();
    let mut named = None;
    if engine.children[c].preferences.is_empty() {
        return (Vec::new(), None);
    }
    let year = engine.children[c].year;
    let has_place = |s: usize| {
        engine.settings[s]
            .pool_for(year)
            .is_some_and(|p| p.free() > 0)
    };
    // The cheapest comparable place of a funding group, worked out only for the groups whose
    // preferences reach the cost test (the same minimum as `cheapest_by_group`).
    let mut cheapest: [Option<Option<i64>>; 5] = [None; 5];
    for (r, &p) in engine.children[c].preferences.iter().enumerate() {
        let s = p as usize;
        let setting = &engine.area.settings[s];
        let mut out = PreferenceOutcome {
            setting: setting.id.0.clone(),
            preference: r + 1,
            outcome: PreferenceDecision::Exception,
            ground: None,
            reason: String::new(),
        };
        if named.is_some() {
            out.outcome = PreferenceDecision::NotReached;
            out.reason = "an earlier preference is named".into();
        } else {
            let free = engine.settings[s].pool_for(year).map_or(0, |p| p.free());
            let group = FundingGroup::of(setting.kind) as usize;
            let cheapest = if st.cost_ratio_exception.is_some() {
                *cheapest[group].get_or_insert_with(|| {
                    let in_group = suitable.iter().map(|x| x.0).filter(|&o| {
                        FundingGroup::of(engine.area.settings[o].kind) as usize == group
                    });
                    cheapest_by_group(engine, c, in_group, has_place)[group]
                })
            } else {
                None
            };
            let test = match cannot_deliver(s) {
                Some(missing) => PreferenceTest::Exception(
                    "spp: cannot deliver the package",
                    format!("cannot deliver the child's package: {missing}"),
                ),
                None => test_preference(engine, c, s, free, cheapest),
            };
            match test {
                PreferenceTest::Named => {
                    out.outcome = PreferenceDecision::Named;
                    out.reason =
                        format!("{}: suitable, with a place; listed first", st.preference_id);
                    named = Some(s);
                }
                PreferenceTest::NotCovered(reason) => {
                    out.outcome = PreferenceDecision::NotS39;
                    out.reason = reason;
                }
                PreferenceTest::Exception(ground, reason) => {
                    out.ground = Some(ground.to_string());
                    out.reason = reason;
                }
            }
        }
        outcomes.push(out);
    }
    (outcomes, named)
}
