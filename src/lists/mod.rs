//! Tailored lists: for one child, the suitable settings ranked and explained, the parental
//! preference handled as s.39 requires, and every other setting accounted for (ranked below the
//! cut, or excluded with the failing rules). Advisory: a person decides.
//!
//! Lists are compact: the listed settings carry everything (score with each rule's part,
//! journey, places, cost), the settings ranked lower carry rank and score, and excluded
//! settings carry only the ids of their failing rules. The facts behind an exclusion are
//! computed on demand by the same engine ([`explain_exclusion`], [`explain_pair`]), except for
//! the settings a parent is most likely to ask about — their preferences and the current
//! setting — whose facts every list keeps in [`TailoredList::explained`] (see
//! [`keeps_reasons`]). Independent settings are never dropped: like every excluded setting they
//! carry their failing rules, and the text report names each of them.

mod ceiling;
mod compact;
mod order;
mod preference;
mod regime;
mod stream;

pub use crate::explain::{CapacityStatus, FundingQuote, PlaceStatus, PreferenceDecision};
pub use ceiling::{BeyondCeiling, nearest_beyond_ceiling, nearest_pool_beyond_ceiling};
pub use compact::{Exclusion, Exclusions, RankedLower, RankedLowerEntry};
pub use order::order_suitable;
pub use preference::{PreferenceOutcome, PreferenceTest, cheapest_by_group, test_preference};
pub use regime::{
    CannotDeliver, PackageList, PreferenceDelivery, Regime, offer_of, packages_of, shortfalls,
};
pub use stream::for_each_list;

use compact::PerSetting;
use order::{ListOrder, Ranked};

use crate::engine::{Engine, FailingSets};
use crate::explain::{Contribution, Failure, Journey, Verdict};
use crate::model::{Phase, Pounds, SettingKind};
use crate::rules::FundingGroup;
use crate::rules::packages::PackageBasis;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One suitable setting on a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The setting's id.
    pub setting: String,
    /// The setting's name.
    pub name: String,
    /// Type of provision.
    pub kind: SettingKind,
    /// Rank in the list, from 1.
    pub rank: usize,
    /// Score (higher is better).
    pub score: f64,
    /// Position in the parents' preferences (1 = first), if named by them.
    pub preference: Option<usize>,
    /// True when this is the preferred setting named under s.39.
    pub named_s39: bool,
    /// Each scoring rule's contribution.
    pub reasons: Vec<Contribution>,
    /// Non-excluding rules that flag this setting (e.g. a long journey).
    pub flags: Vec<Failure>,
    /// The journey from home.
    pub journey: Journey,
    /// Places in the pool for the child's year.
    pub capacity: CapacityStatus,
    /// Funding band and annual cost.
    pub funding: FundingQuote,
    /// True when the journey is beyond the rules' journey ceiling and the setting is exempt
    /// because it has boarding places: a residential placement (see
    /// [`Engine::is_residential`]).
    #[serde(default, skip_serializing_if = "is_false")]
    pub residential: bool,
    /// Under the `spp` regime: the child's packages this setting can deliver (every one of
    /// them, or it would not be listed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivers: Option<Vec<String>>,
    /// Under the `spp` regime: whether the setting's offer is declared in the area's files or
    /// assumed by the rules from its type and designation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<crate::rules::packages::PackageBasis>,
    /// For a resource base or unit: the inclusion base it becomes under the 2026 reform
    /// (`support-base` or `specialist-base`: as the area's `pools.csv` declares the child's
    /// pool, else as the rules map today's kinds), so that it is shown under both names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusion_base: Option<crate::rules::packages::InclusionBase>,
}

/// `serde` helper: leave `false` out.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// A setting left off the list, with each failing rule and the facts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExcludedEntry {
    /// The setting's id.
    pub setting: String,
    /// The setting's name.
    pub name: String,
    /// Type of provision.
    pub kind: SettingKind,
    /// Position in the parents' preferences, if they named it.
    pub preference: Option<usize>,
    /// Every hard rule that excludes it, with the facts.
    pub rules: Vec<Failure>,
}

/// A child's tailored list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TailoredList {
    /// The version of this output's JSON form, [`crate::SCHEMA_VERSION`].
    #[serde(deserialize_with = "crate::explain::schema::read")]
    pub schema_version: u32,
    /// The legal regime the list is made under (`cfa2014` when read from a list written
    /// before regimes).
    #[serde(default)]
    pub regime: Regime,
    /// The child's pseudonymous id.
    pub child: String,
    /// Year group in the placement year.
    pub year: String,
    /// Phase of that year group.
    pub phase: Phase,
    /// Primary need (census code).
    pub primary_need: String,
    /// Plan level, e.g. `ehcp`.
    pub plan_level: String,
    /// Funding band of the child's needs.
    pub band: String,
    /// Ranked suitable settings (the first `top`, plus any preferred settings below the cut).
    pub entries: Vec<ListEntry>,
    /// Suitable settings ranked below the cut (rank and score).
    pub omitted: RankedLower,
    /// Settings that fail a hard rule, with the failing rules' ids.
    pub excluded: Exclusions,
    /// Excluded settings explained with the facts: the parents' preferences and the current
    /// setting always; every excluded setting when
    /// [`ListQuery::explain_excluded`] is set. In the area's setting order.
    pub explained: Vec<ExcludedEntry>,
    /// Each parental preference and what the statutory test says of it.
    pub preferences: Vec<PreferenceOutcome>,
    /// How the s.33 mainstream presumption shaped the order.
    pub presumption: String,
    /// Settings not considered because the journey to them is longer than the reach asked for
    /// (see [`ListQuery::reach_minutes`]); 0 when every setting was considered.
    pub beyond_reach: usize,
    /// The nearest setting that only a journey-ceiling rule left out, with its journey, and
    /// how many the ceiling removed; absent when it removed none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_ceiling: Option<BeyondCeiling>,
    /// Under the `spp` regime: the child's package, the suitable settings that cannot deliver
    /// it (with the components they lack) and whether each preferred setting can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<PackageList>,
}

/// Options for building lists.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListOptions {
    /// How many suitable settings to list (preferred ones are always listed); at least 1
    /// (see [`ListOptions::new`]).
    pub(crate) top: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions { top: 10 }
    }
}

/// Everything that shapes a list: length, reach and how much to explain.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ListQuery {
    /// How many settings the list ranks in full.
    pub options: ListOptions,
    /// Consider only settings within this journey time, plus preferences, the current setting
    /// and siblings' settings, which are always considered.
    pub reach_minutes: Option<f64>,
    /// Explain every excluded setting with the facts, not only the ones every list explains.
    pub explain_excluded: bool,
    /// The legal regime (today's law unless asked).
    pub regime: Regime,
}

/// The capacity status of the pool serving child `c` at setting `s`.
pub fn capacity_status(engine: &Engine<'_>, c: usize, s: usize) -> CapacityStatus {
    match engine.settings[s].pool_for(engine.children[c].year) {
        Some(p) => CapacityStatus {
            pool: Some(p.id.0.clone()),
            capacity: p.capacity,
            on_roll: p.on_roll,
            free: p.free(),
            status: if p.free() > 0 {
                PlaceStatus::PlacesFree
            } else {
                PlaceStatus::Full
            },
            after_placement: None,
        },
        None => CapacityStatus {
            pool: None,
            capacity: 0,
            on_roll: 0,
            free: 0,
            status: PlaceStatus::NoPool,
            after_placement: None,
        },
    }
}

/// The annual cost in pounds of placing child `c` at setting `s` (the total of
/// [`funding_quote`], without building the quote).
pub fn annual_cost(engine: &Engine<'_>, c: usize, s: usize) -> i64 {
    let setting = &engine.area.settings[s];
    if let Some(fee) = setting.annual_fee {
        return fee.0;
    }
    let funding = &engine.rules.rules.funding;
    let group = FundingGroup::of(setting.kind) as usize;
    let topup = engine
        .rules
        .rules
        .band_for(engine.children[c].intensity_total)
        .map_or(0, |b| b.topup[group].0);
    funding.place[group].0 + topup
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
///
/// ```
/// use placewise::testing::{engine::Engine, io::load_area, lists::explain_pair};
/// let loaded = load_area("fixtures/demo".as_ref(), "rules/england".as_ref()).unwrap();
/// let engine = Engine::new(&loaded.rules, &loaded.area);
/// let c = loaded.area.child_index("C0003").unwrap();
/// let s = loaded.area.setting_index("900107").unwrap();
/// let e = explain_pair(&engine, c, s);
/// assert!(!e.verdict.is_eligible());
/// ```
pub fn explain_pair(engine: &Engine<'_>, c: usize, s: usize) -> crate::explain::Explanation {
    let setting = &engine.area.settings[s];
    crate::explain::Explanation {
        schema_version: crate::explain::SCHEMA_VERSION,
        regime: Regime::Cfa2014,
        shortfalls: None,
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

/// [`explain_pair`] under `regime`: under `spp`, with the child's packages the setting cannot
/// deliver and the components it lacks.
pub fn explain_pair_under(
    engine: &Engine<'_>,
    c: usize,
    s: usize,
    regime: Regime,
) -> crate::explain::Explanation {
    let mut e = explain_pair(engine, c, s);
    e.regime = regime;
    if regime == Regime::Spp {
        let need = packages_of(engine, c);
        e.shortfalls = Some(shortfalls(engine, s, &offer_of(engine, s), &need));
    }
    e
}

/// The facts behind an excluded setting on child `c`'s list: each failing rule with what the
/// child's profile and the setting say. `None` when the setting is suitable. Computed by the
/// same engine as the compact list, so the rules are the ones the list gives.
pub fn explain_exclusion(engine: &Engine<'_>, c: usize, s: usize) -> Option<ExcludedEntry> {
    match engine.evaluate(c, s) {
        Verdict::Excluded { failures, .. } => {
            let setting = &engine.area.settings[s];
            Some(ExcludedEntry {
                setting: setting.id.0.clone(),
                name: setting.name.clone(),
                kind: setting.kind,
                preference: pref_rank(engine, c, s),
                rules: failures,
            })
        }
        Verdict::Eligible { .. } => None,
    }
}

/// Builds the tailored list of child `c`.
///
/// ```
/// use placewise::testing::{engine::Engine, io::load_area, lists::{tailored_list, ListOptions}};
/// let loaded = load_area("fixtures/demo".as_ref(), "rules/england".as_ref()).unwrap();
/// let engine = Engine::new(&loaded.rules, &loaded.area);
/// let c = loaded.area.child_index("C0001").unwrap();
/// let list = tailored_list(&engine, c, ListOptions::new(5).unwrap());
/// assert!(list.entries[0].named_s39);
/// // Every setting is accounted for.
/// assert_eq!(list.entries.len() + list.omitted.len() + list.excluded.len(), 25);
/// ```
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
    build_list(
        engine,
        c,
        &ListQuery {
            options,
            reach_minutes,
            explain_excluded: false,
            regime: Regime::Cfa2014,
        },
    )
}

/// True when an excluded setting keeps the facts of its reasons in every list: a parent's
/// preference or the current setting. Every other excluded setting — independent ones
/// included — keeps its failing rules' ids, and its facts come on demand
/// ([`explain_exclusion`], [`ListQuery::explain_excluded`]): building facts (text) for every
/// independent setting near a child would cost more than the whole rest of the list.
pub fn keeps_reasons(engine: &Engine<'_>, c: usize, s: usize) -> bool {
    let child = &engine.children[c];
    child.current == Some(s as u32) || child.preferences.contains(&(s as u32))
}

/// Builds child `c`'s list as `query` asks.
pub fn build_list(engine: &Engine<'_>, c: usize, query: &ListQuery) -> TailoredList {
    let options = query.options;
    let child = &engine.area.children[c];
    let rules = &engine.rules.rules;
    let considered = engine.settings_considered(c, query.reach_minutes, true);
    let beyond_reach = engine.settings.len() - considered.len();
    let (mut suitable, excluded, explained) = suitable_and_excluded(engine, c, query, &considered);

    let beyond_ceiling = nearest_beyond_ceiling(engine, c, &excluded);

    // Under `spp`, only the settings able to deliver the child's package stay suitable; the
    // others are kept with the components they lack.
    let (package, offers) = if query.regime == Regime::Spp {
        let (package, offers) = package_list(engine, c, &mut suitable);
        (Some(package), offers)
    } else {
        (None, BTreeMap::new())
    };
    engine.score_each(c, &mut suitable);

    // s.39: the first suitable preferred setting with no stated exception is named (under
    // `spp`, one that cannot deliver the package is not).
    let cannot = |s: usize| cannot_deliver_reason(engine, package.as_ref(), s);
    let (outcomes, named) = preference::preference_outcomes(engine, c, &suitable, cannot);

    // The first `top` in order; preferences below the cut are listed too, at their rank.
    let order = ListOrder::new(engine, c, named);
    let mut ranked: Vec<Ranked> = suitable
        .iter()
        .map(|&(s, score)| order.ranked(engine, s, score))
        .collect();
    let top = options.top.min(ranked.len());
    order::select_top(&mut ranked, top);
    let mut entries = listed_entries(engine, c, &mut ranked, top, named);
    if let Some(p) = &package {
        for e in entries.iter_mut() {
            let s = engine.area.setting_index(&e.setting).unwrap_or(usize::MAX);
            e.delivers = Some(p.need.packages.clone());
            e.offer = offers.get(&s).copied();
        }
    }
    ranked.drain(..top);
    let omitted = RankedLower::new(engine.catalogue.clone(), ranked, top + 1);
    TailoredList {
        schema_version: crate::explain::SCHEMA_VERSION,
        regime: query.regime,
        child: child.id.0.clone(),
        year: child.year.to_string(),
        phase: child.year.phase(),
        primary_need: child.primary_need.to_string(),
        plan_level: child.plan_level.clone(),
        band: rules
            .band_for(child.intensity.total())
            .map(|b| b.id.clone())
            .unwrap_or_default(),
        entries,
        omitted,
        excluded,
        explained,
        preferences: outcomes,
        presumption: order.presumption,
        beyond_reach,
        beyond_ceiling,
        package,
    }
}

/// The `considered` settings sorted for child `c`: the suitable ones (unscored, in the order
/// considered), the excluded ones with their failing rules, and the facts of the exclusions
/// the list explains (every one when `query` asks, else those [`keeps_reasons`] names).
fn suitable_and_excluded(
    engine: &Engine<'_>,
    c: usize,
    query: &ListQuery,
    considered: &[usize],
) -> (Vec<(usize, f64)>, Exclusions, Vec<ExcludedEntry>) {
    let facts = &engine.children[c];
    let mut suitable: Vec<(usize, f64)> = Vec::with_capacity(considered.len());
    let mut explained = Vec::new();
    let mut explain = |s: usize| {
        if let Some(x) = explain_exclusion(engine, c, s) {
            explained.push(x);
        }
    };
    let mut sets = FailingSets::default();
    let excluded = if engine.failing_sets(c, considered, &mut sets) {
        // Each rule's excluded settings at once: the suitable settings are the considered
        // ones in no set.
        let excluded_bit = |s: usize| sets.union[s / 64] >> (s % 64) & 1 == 1;
        suitable.extend(
            considered
                .iter()
                .filter(|&&s| !excluded_bit(s))
                .map(|&s| (s, 0.0)),
        );
        if query.explain_excluded {
            considered
                .iter()
                .filter(|&&s| excluded_bit(s))
                .for_each(|&s| explain(s));
        } else {
            let mut keep: Vec<u32> = facts
                .preferences
                .iter()
                .chain(&facts.current)
                .copied()
                .collect();
            keep.sort_unstable();
            keep.dedup();
            for s in keep {
                if excluded_bit(s as usize) {
                    explain(s as usize);
                }
            }
        }
        Exclusions::from_sets(engine.catalogue.clone(), sets)
    } else {
        let mut excluded = PerSetting::with_capacity(considered.len());
        for &s in considered.iter() {
            // No failing excluding rule means suitable; otherwise the failing rules' ids, read
            // from the same test.
            if engine.exclusions(c, s, excluded.rule_buffer()) == 0 {
                suitable.push((s, 0.0));
                continue;
            }
            excluded.close(s);
            if query.explain_excluded || keeps_reasons(engine, c, s) {
                explain(s);
            }
        }
        Exclusions::from_settings(engine.catalogue.clone(), excluded)
    };
    (suitable, excluded, explained)
}

/// Child `c`'s package list under `spp`, keeping in `suitable` only the settings that can
/// deliver the package; with the offer of each setting tested.
fn package_list(
    engine: &Engine<'_>,
    c: usize,
    suitable: &mut Vec<(usize, f64)>,
) -> (PackageList, BTreeMap<usize, PackageBasis>) {
    let need = packages_of(engine, c);
    let mut offers = BTreeMap::new();
    let mut cannot_deliver = Vec::new();
    if !need.packages.is_empty() {
        suitable.retain(|&(s, _)| {
            let offer = offer_of(engine, s);
            let short = shortfalls(engine, s, &offer, &need);
            let keep = short.is_empty();
            if !keep {
                let setting = &engine.area.settings[s];
                cannot_deliver.push(CannotDeliver {
                    setting: setting.id.0.clone(),
                    name: setting.name.clone(),
                    kind: setting.kind,
                    preference: pref_rank(engine, c, s),
                    offer: offer.basis,
                    shortfalls: short,
                });
            }
            offers.insert(s, offer.basis);
            keep
        });
    }
    let prefs = engine.children[c]
        .preferences
        .iter()
        .enumerate()
        .map(|(r, &p)| {
            let id = &engine.area.settings[p as usize].id.0;
            let lacking = cannot_deliver.iter().find(|x| &x.setting == id);
            let ineligible = !offers.contains_key(&(p as usize)) && !need.packages.is_empty();
            PreferenceDelivery {
                setting: id.clone(),
                preference: r + 1,
                can_deliver: lacking.is_none() && !ineligible,
                missing: lacking
                    .map(|x| {
                        x.shortfalls
                            .iter()
                            .flat_map(|s| s.missing.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let package = PackageList {
        note: regime::note(engine, &need),
        need,
        cannot_deliver,
        preferences: prefs,
    };
    (package, offers)
}

/// Why setting `s` cannot deliver the child's package, as an exception to naming it under
/// s.39: each package with the components it lacks; `None` when it can (or with no package).
fn cannot_deliver_reason(
    engine: &Engine<'_>,
    package: Option<&PackageList>,
    s: usize,
) -> Option<String> {
    let id = &engine.area.settings[s].id.0;
    package.and_then(|p| {
        p.cannot_deliver
            .iter()
            .find(|x| &x.setting == id)
            .map(CannotDeliver::lacks)
    })
}

/// The entries of the list: the first `top` of `ranked` (already selected), then the
/// preferences ranked below the cut at their rank, each marked listed in `ranked`.
fn listed_entries(
    engine: &Engine<'_>,
    c: usize,
    ranked: &mut [Ranked],
    top: usize,
    named: Option<usize>,
) -> Vec<ListEntry> {
    let preferences = &engine.children[c].preferences;
    let mut entries = Vec::with_capacity(top + preferences.len());
    for (i, r) in ranked[..top].iter().enumerate() {
        entries.push(list_entry(
            engine,
            c,
            r,
            i + 1,
            Some(r.setting() as usize) == named,
        ));
    }
    let (_, rest) = ranked.split_at_mut(top);
    let mut below: Vec<(usize, Ranked)> = Vec::new();
    for &p in preferences {
        if let Some(r) = rest.iter_mut().find(|r| r.setting() == p && !r.listed()) {
            r.set_listed();
            let r = *r;
            let ahead = rest.iter().filter(|o| o.cmp(&r).is_lt()).count();
            below.push((top + ahead + 1, r));
        }
    }
    below.sort_unstable_by_key(|b| b.0);
    for (rank, r) in below {
        entries.push(list_entry(
            engine,
            c,
            &r,
            rank,
            Some(r.setting() as usize) == named,
        ));
    }
    entries
}

fn list_entry(
    engine: &Engine<'_>,
    c: usize,
    r: &Ranked,
    rank: usize,
    named_s39: bool,
) -> ListEntry {
    let s = r.setting() as usize;
    let setting = &engine.area.settings[s];
    ListEntry {
        setting: setting.id.0.clone(),
        name: setting.name.clone(),
        kind: setting.kind,
        rank,
        score: round2(r.score()),
        preference: pref_rank(engine, c, s),
        named_s39,
        reasons: engine.contributions(c, s, false).1,
        flags: engine.flags(c, s),
        journey: engine.journey(c, s),
        capacity: capacity_status(engine, c, s),
        funding: funding_quote(engine, c, s),
        residential: engine.is_residential(c, s),
        delivers: None,
        offer: None,
        inclusion_base: {
            let packages = &engine.rules.rules.packages;
            match setting
                .pools
                .iter()
                .find(|p| p.serves(engine.area.children[c].year))
            {
                Some(p) => packages.pool_base(setting, p),
                None => packages.inclusion_base(setting.kind),
            }
        },
    }
}

pub(crate) fn pref_rank(engine: &Engine<'_>, c: usize, s: usize) -> Option<usize> {
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

/// Lists for every child in the area, in child-id order, built in parallel. Holds every list
/// in memory: for large areas stream them with [`for_each_list`].
#[cfg(any(test, feature = "testing"))]
pub fn all_lists(engine: &Engine<'_>, options: ListOptions) -> Vec<TailoredList> {
    all_lists_within(engine, options, None)
}

/// [`all_lists`] with a reach (see [`tailored_list_within`]).
#[cfg(any(test, feature = "testing"))]
pub fn all_lists_within(
    engine: &Engine<'_>,
    options: ListOptions,
    reach_minutes: Option<f64>,
) -> Vec<TailoredList> {
    use rayon::prelude::*;
    (0..engine.children.len())
        .into_par_iter()
        .map(|c| tailored_list_within(engine, c, options, reach_minutes))
        .collect()
}
