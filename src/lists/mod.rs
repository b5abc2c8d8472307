//! Tailored lists: for one child, the suitable settings ranked and explained, the parental
//! preference handled as s.39 requires, and every other setting accounted for (ranked below the
//! cut, or excluded with the failing rules). Advisory: a person decides.

use crate::engine::Engine;
use crate::explain::{Contribution, Failure, Journey, Verdict};
use crate::model::Pounds;
use crate::rules::{FundingGroup, PresumptionMode};
use rayon::prelude::*;
use serde::Serialize;

/// Capacity of the place pool that would serve the child.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityStatus {
    /// Pool id, or `None` when no pool serves the child's year group.
    pub pool: Option<String>,
    pub capacity: u32,
    pub on_roll: u32,
    pub free: u32,
    /// `places-free`, `full` or `no-pool`.
    pub status: &'static str,
    /// After the area-wide placement: would this child get a place here (`placed-here`), is a
    /// place still free (`places-free`), or are all places taken (`full`)? `None` until a
    /// placement has been run.
    pub after_placement: Option<&'static str>,
}

/// What a placement would cost per year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FundingQuote {
    /// Top-up band from the child's total intensity.
    pub band: String,
    pub place_funding: Pounds,
    pub topup: Pounds,
    /// The setting's fee, when it charges one instead.
    pub annual_fee: Option<Pounds>,
    pub total: Pounds,
}

/// One suitable setting on a list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListEntry {
    pub setting: String,
    pub name: String,
    pub kind: &'static str,
    pub rank: usize,
    pub score: f64,
    /// Position in the parents' preferences (1 = first), if named by them.
    pub preference: Option<usize>,
    /// True when this is the preferred setting named under s.39.
    pub named_s39: bool,
    /// Each scoring rule's contribution.
    pub reasons: Vec<Contribution>,
    /// Non-excluding rules that flag this setting (e.g. a long journey).
    pub flags: Vec<Failure>,
    pub journey: Journey,
    pub capacity: CapacityStatus,
    pub funding: FundingQuote,
}

/// A suitable setting ranked below the list's length.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OmittedEntry {
    pub setting: String,
    pub name: String,
    pub kind: &'static str,
    pub rank: usize,
    pub score: f64,
}

/// A setting left off the list, with each failing rule and the facts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExcludedEntry {
    pub setting: String,
    pub name: String,
    pub kind: &'static str,
    pub preference: Option<usize>,
    pub rules: Vec<Failure>,
}

/// How one parental preference was handled.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreferenceOutcome {
    pub setting: String,
    /// Position in the parents' preferences (1 = first).
    pub preference: usize,
    /// `named`, `exception`, `not-s39` (not a setting s.39 covers) or `not-reached` (an
    /// earlier preference was named).
    pub outcome: &'static str,
    /// The statutory ground, e.g. `s.39(4)(a) unsuitable`.
    pub ground: Option<&'static str>,
    pub reason: String,
}

/// A child's tailored list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TailoredList {
    pub child: String,
    pub year: String,
    pub phase: &'static str,
    pub primary_need: String,
    pub plan_level: String,
    pub band: String,
    /// Ranked suitable settings (the first `top`, plus any preferred settings below the cut).
    pub entries: Vec<ListEntry>,
    /// Suitable settings ranked below the cut.
    pub omitted: Vec<OmittedEntry>,
    /// Settings that fail a hard rule.
    pub excluded: Vec<ExcludedEntry>,
    pub preferences: Vec<PreferenceOutcome>,
    /// How the s.33 mainstream presumption shaped the order.
    pub presumption: String,
    /// Settings not considered because the journey to them is longer than the reach asked for
    /// (see [`tailored_list_within`]); 0 when every setting was considered.
    pub beyond_reach: usize,
}

/// Options for building lists.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListOptions {
    /// How many suitable settings to list (preferred ones are always listed).
    pub top: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions { top: 10 }
    }
}

/// The capacity status of the pool serving child `c` at setting `s`.
pub fn capacity_status(engine: &Engine<'_>, c: usize, s: usize) -> CapacityStatus {
    match engine.settings[s].pool_for(engine.children[c].year) {
        Some(p) => CapacityStatus {
            pool: Some(p.id.0.clone()),
            capacity: p.capacity,
            on_roll: p.on_roll,
            free: p.free(),
            status: if p.free() > 0 { "places-free" } else { "full" },
            after_placement: None,
        },
        None => CapacityStatus {
            pool: None,
            capacity: 0,
            on_roll: 0,
            free: 0,
            status: "no-pool",
            after_placement: None,
        },
    }
}

/// The annual cost of placing child `c` at setting `s`.
pub fn funding_quote(engine: &Engine<'_>, c: usize, s: usize) -> FundingQuote {
    let funding = &engine.rules.rules.funding;
    let total = engine.children[c].intensity_total;
    let band = engine.rules.rules.band_for(total);
    let setting = &engine.area.settings[s];
    let group = FundingGroup::of(setting.kind) as usize;
    let place = funding.place[group];
    let topup = band.map(|b| b.topup[group]).unwrap_or_default();
    let fee = setting.annual_fee;
    FundingQuote {
        band: band.map(|b| b.id.clone()).unwrap_or_default(),
        place_funding: place,
        topup,
        annual_fee: fee,
        total: fee.unwrap_or(Pounds(place.0 + topup.0)),
    }
}

/// A full explanation of one pair.
pub fn explain_pair(engine: &Engine<'_>, c: usize, s: usize) -> crate::explain::Explanation {
    let setting = &engine.area.settings[s];
    crate::explain::Explanation {
        child: engine.area.children[c].id.0.clone(),
        setting: setting.id.0.clone(),
        setting_name: setting.name.clone(),
        setting_kind: setting.kind.key().to_string(),
        journey: engine.journey(c, s),
        capacity: capacity_status(engine, c, s),
        funding: funding_quote(engine, c, s),
        verdict: engine.evaluate(c, s),
    }
}

/// Builds the tailored list of child `c`.
pub fn tailored_list(engine: &Engine<'_>, c: usize, options: ListOptions) -> TailoredList {
    tailored_list_within(engine, c, options, None)
}

/// Like [`tailored_list`], but with `reach_minutes` only settings within that journey time
/// are considered — plus, always, the parents' preferences, the current setting and siblings'
/// settings; the others are counted in `beyond_reach`. For national-scale areas.
pub fn tailored_list_within(
    engine: &Engine<'_>,
    c: usize,
    options: ListOptions,
    reach_minutes: Option<f64>,
) -> TailoredList {
    let child = &engine.area.children[c];
    let rules = &engine.rules.rules;
    let considered = engine.settings_considered(c, reach_minutes, true);
    let beyond_reach = engine.settings.len() - considered.len();
    let mut suitable: Vec<(usize, f64)> = Vec::new();
    let mut excluded = Vec::new();
    for s in considered {
        if engine.is_eligible(c, s) {
            suitable.push((s, engine.score(c, s)));
        } else if let Verdict::Excluded { failures, .. } = engine.evaluate(c, s) {
            let setting = &engine.area.settings[s];
            excluded.push(ExcludedEntry {
                setting: setting.id.0.clone(),
                name: setting.name.clone(),
                kind: setting.kind.key(),
                preference: pref_rank(engine, c, s),
                rules: failures,
            });
        }
    }

    // s.39: the first suitable preferred setting with no stated exception is named.
    let (outcomes, named) = preference_outcomes(engine, c, &suitable);

    // s.33: mainstream first unless the parent's first preference is not mainstream.
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
    let group = |s: usize| -> u8 {
        if Some(s) == named {
            0
        } else if mainstream_first && engine.settings[s].kind.is_mainstream() {
            1
        } else {
            2
        }
    };
    suitable.sort_by(|a, b| {
        group(a.0).cmp(&group(b.0)).then(b.1.total_cmp(&a.1)).then(
            engine.area.settings[a.0]
                .id
                .cmp(&engine.area.settings[b.0].id),
        )
    });

    let mut entries = Vec::new();
    let mut omitted = Vec::new();
    for (i, &(s, score)) in suitable.iter().enumerate() {
        let rank = i + 1;
        let setting = &engine.area.settings[s];
        let preference = pref_rank(engine, c, s);
        if rank <= options.top || preference.is_some() {
            let (reasons, flags) = match engine.evaluate(c, s) {
                Verdict::Eligible {
                    contributions,
                    flags,
                    ..
                } => (contributions, flags),
                Verdict::Excluded { .. } => (Vec::new(), Vec::new()),
            };
            entries.push(ListEntry {
                setting: setting.id.0.clone(),
                name: setting.name.clone(),
                kind: setting.kind.key(),
                rank,
                score: round2(score),
                preference,
                named_s39: Some(s) == named,
                reasons: reasons.into_iter().filter(|r| r.points != 0.0).collect(),
                flags,
                journey: engine.journey(c, s),
                capacity: capacity_status(engine, c, s),
                funding: funding_quote(engine, c, s),
            });
        } else {
            omitted.push(OmittedEntry {
                setting: setting.id.0.clone(),
                name: setting.name.clone(),
                kind: setting.kind.key(),
                rank,
                score: round2(score),
            });
        }
    }
    TailoredList {
        child: child.id.0.clone(),
        year: child.year.to_string(),
        phase: child.year.phase().key(),
        primary_need: child.primary_need.to_string(),
        plan_level: child.plan_level.clone(),
        band: rules
            .band_for(child.intensity.total())
            .map(|b| b.id.clone())
            .unwrap_or_default(),
        entries,
        omitted,
        excluded,
        preferences: outcomes,
        presumption,
        beyond_reach,
    }
}

fn pref_rank(engine: &Engine<'_>, c: usize, s: usize) -> Option<usize> {
    engine.children[c]
        .preferences
        .iter()
        .position(|&p| p as usize == s)
        .map(|r| r + 1)
}

/// Rounds to 2 decimals so printed scores are stable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
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
            let cost = funding_quote(engine, c, s).total.0;
            out[g] = Some(out[g].map_or(cost, |x: i64| x.min(cost)));
        }
    }
    out
}

fn preference_outcomes(
    engine: &Engine<'_>,
    c: usize,
    suitable: &[(usize, f64)],
) -> (Vec<PreferenceOutcome>, Option<usize>) {
    let st = &engine.rules.rules.statutory;
    let mut outcomes = Vec::new();
    let mut named = None;
    let cheapest = cheapest_by_group(engine, c, suitable.iter().map(|x| x.0), |s| {
        capacity_status(engine, c, s).free > 0
    });
    for (r, &p) in engine.children[c].preferences.iter().enumerate() {
        let s = p as usize;
        let setting = &engine.area.settings[s];
        let mut out = PreferenceOutcome {
            setting: setting.id.0.clone(),
            preference: r + 1,
            outcome: "exception",
            ground: None,
            reason: String::new(),
        };
        if named.is_some() {
            out.outcome = "not-reached";
            out.reason = "an earlier preference is named".into();
        } else {
            let free = capacity_status(engine, c, s).free;
            match test_preference(
                engine,
                c,
                s,
                free,
                cheapest[FundingGroup::of(setting.kind) as usize],
            ) {
                PreferenceTest::Named => {
                    out.outcome = "named";
                    out.reason =
                        format!("{}: suitable, with a place; listed first", st.preference_id);
                    named = Some(s);
                }
                PreferenceTest::NotCovered(reason) => {
                    out.outcome = "not-s39";
                    out.reason = reason;
                }
                PreferenceTest::Exception(ground, reason) => {
                    out.ground = Some(ground);
                    out.reason = reason;
                }
            }
        }
        outcomes.push(out);
    }
    (outcomes, named)
}

/// Lists for every child in the area, in child-id order, built in parallel.
pub fn all_lists(engine: &Engine<'_>, options: ListOptions) -> Vec<TailoredList> {
    all_lists_within(engine, options, None)
}

/// [`all_lists`] with a reach (see [`tailored_list_within`]).
pub fn all_lists_within(
    engine: &Engine<'_>,
    options: ListOptions,
    reach_minutes: Option<f64>,
) -> Vec<TailoredList> {
    (0..engine.children.len())
        .into_par_iter()
        .map(|c| tailored_list_within(engine, c, options, reach_minutes))
        .collect()
}
