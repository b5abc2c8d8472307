//! The metrics of one year of one draw: where every child with a plan is after the round and
//! what it costs (fallback placements included), the shares by type of setting, travel, the
//! specialist places in the shape of the SCAP forecast, and the round's bottlenecks.

use super::projection::has_plan;
use super::reform::LearningSupportTier;
use super::results::Quantiles;
use crate::engine::Engine;
use crate::io::stats::PlacementGroup;
use crate::lists::funding_quote;
use crate::model::{NeedProfile, SettingKind};
use crate::placement::{PlacementReport, RoundReason};
use std::collections::BTreeMap;

/// Metrics of one year of one draw.
pub(super) type Sample = BTreeMap<String, f64>;

/// The SCAP specialist-place type of a setting kind (state special schools, SEN units,
/// resourced provision; SCAP leaves out independent, non-maintained and AP).
pub fn scap_provision(kind: SettingKind) -> Option<&'static str> {
    match kind {
        SettingKind::SpecialMaintained | SettingKind::SpecialAcademy => Some("special-school"),
        SettingKind::SenUnit => Some("sen-unit"),
        SettingKind::ResourcedProvision => Some("resourced-provision"),
        _ => None,
    }
}

/// The inclusion bases (2026 Schools White Paper) of each SCAP type of provision, to show
/// beside it: the bases the pools of the authority's own settings of that type are (as the
/// area declares them, else as the rules map the kind), or, when it has none, the base the
/// rules map the type's kind onto. State special schools have none.
pub fn scap_bases(
    settings: &[crate::model::Setting],
    area_name: &str,
    rules: &crate::rules::RuleSet,
) -> BTreeMap<String, Vec<crate::model::InclusionBase>> {
    let mut out: BTreeMap<String, Vec<crate::model::InclusionBase>> = BTreeMap::new();
    for (prov, kind) in [
        ("sen-unit", SettingKind::SenUnit),
        ("resourced-provision", SettingKind::ResourcedProvision),
    ] {
        let mut bases: Vec<_> = settings
            .iter()
            .filter(|s| s.kind == kind)
            .filter(|s| {
                let la = s.local_authority.trim();
                la.is_empty() || la.eq_ignore_ascii_case(area_name.trim())
            })
            .flat_map(|s| s.pools.iter().map(move |p| (s, p)))
            .filter_map(|(s, p)| rules.packages.pool_base(s, p))
            .collect();
        if bases.is_empty() {
            bases.extend(rules.packages.inclusion_base(kind));
        }
        bases.sort();
        bases.dedup();
        if !bases.is_empty() {
            out.insert(prov.to_string(), bases);
        }
    }
    out
}

/// Specialist places in the shape of the DfE SCAP forecast, per phase and type of provision:
/// `scap.PHASE.PROVISION.pupils` (the area's children with plans placed in that type of
/// provision, wherever it is — counted as `plans.*` counts them), `.waiting` (children with
/// plans left without a place whose best-scored suitable setting is of that type), `.places`
/// (the places of the authority's own schools of that type open to its children: capacity less
/// other authorities' pupils; a pool's places shared over phases by the years it serves) and
/// `.elsewhere` (the area's children placed in other authorities' schools of that type: places
/// used, not supply).
fn scap_metrics(
    engine: &Engine<'_>,
    report: &PlacementReport,
    tier: Option<&LearningSupportTier>,
    m: &mut Sample,
) {
    use crate::model::{Phase, YearGroup};
    use std::fmt::Write;
    // The name of the metric being counted, written again for each count without allocating.
    let mut key = String::new();
    let mut in_cohort: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (c, facts) in engine.children.iter().enumerate() {
        if let Some(s) = facts.current.map(|s| s as usize)
            && let Some(p) = engine.area.settings[s]
                .pools
                .iter()
                .position(|p| p.serves(engine.area.children[c].year))
        {
            *in_cohort.entry((s, p)).or_insert(0) += 1;
        }
    }
    let own = |s: &crate::model::Setting| {
        let la = s.local_authority.trim();
        la.is_empty() || la.eq_ignore_ascii_case(engine.area.name.trim())
    };
    for (si, s) in engine.area.settings.iter().enumerate() {
        let Some(prov) = scap_provision(s.kind) else {
            continue;
        };
        if !own(s) {
            continue;
        }
        for (pi, p) in s.pools.iter().enumerate() {
            let others = p
                .on_roll
                .saturating_sub(in_cohort.get(&(si, pi)).copied().unwrap_or(0));
            let open = p.capacity.saturating_sub(others);
            let years: Vec<u8> = (p.first_year.0..=p.last_year.0).collect();
            for phase in Phase::ALL {
                let n = years
                    .iter()
                    .filter(|y| YearGroup(**y).phase() == phase)
                    .count();
                if n > 0 && !years.is_empty() {
                    key.clear();
                    let _ = write!(key, "scap.{}.{prov}.places", phase.key());
                    add_to(m, &key, open as f64 * n as f64 / years.len() as f64);
                }
            }
        }
    }
    for c in 0..engine.area.children.len() {
        let child = &engine.area.children[c];
        if !ehc_plan(child, tier) {
            continue;
        }
        let placed = match report.chosen.get(&c) {
            Some(choice) => choice.map(|(s, _)| s),
            None => engine.children[c].current.map(|s| s as usize),
        };
        let (s, what) = match placed {
            Some(s) => (Some(s), "pupils"),
            // Left without a place: the type of the best-scored suitable setting.
            None if report.chosen.contains_key(&c) => (
                (0..engine.settings.len())
                    .filter(|&s| engine.is_eligible(c, s))
                    .map(|s| (engine.score(c, s), s))
                    .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                    .map(|x| x.1),
                "waiting",
            ),
            None => (None, "pupils"),
        };
        let Some(s) = s else { continue };
        let setting = &engine.area.settings[s];
        if let Some(prov) = scap_provision(setting.kind) {
            let phase = child.year.phase().key();
            key.clear();
            let _ = write!(key, "scap.{phase}.{prov}.{what}");
            add_to(m, &key, 1.0);
            if what == "pupils" && !own(setting) {
                key.clear();
                let _ = write!(key, "scap.{phase}.{prov}.elsewhere");
                add_to(m, &key, 1.0);
            }
        }
    }
    // Places to add: the children placed in or waiting for this type of provision beyond the
    // authority's own places and the places they use in other authorities' schools.
    for phase in Phase::ALL {
        for prov in ["special-school", "sen-unit", "resourced-provision"] {
            let get = |what: &str| {
                m.get(&format!("scap.{}.{prov}.{what}", phase.key()))
                    .copied()
                    .unwrap_or(0.0)
            };
            let needed =
                (get("pupils") + get("waiting") - get("places") - get("elsewhere")).max(0.0);
            if get("pupils") + get("waiting") + get("places") > 0.0 {
                m.insert(format!("scap.{}.{prov}.needed", phase.key()), needed);
            }
        }
    }
}

/// Adds `x` to the metric `key` (counted from zero when new); allocates the name only when it
/// is new.
fn add_to(m: &mut Sample, key: &str, x: f64) {
    match m.get_mut(key) {
        Some(v) => *v += x,
        None => {
            m.insert(key.to_owned(), 0.0 + x);
        }
    }
}

/// Funding/placement group of a setting kind, for shares.
fn group(kind: SettingKind) -> &'static str {
    match kind {
        SettingKind::Mainstream => "mainstream",
        SettingKind::ResourcedProvision | SettingKind::SenUnit => "resource-base",
        SettingKind::SpecialMaintained
        | SettingKind::SpecialAcademy
        | SettingKind::SpecialNonMaintained => "special",
        SettingKind::SpecialIndependent | SettingKind::IndependentMainstream => "independent",
        SettingKind::AlternativeProvision => "alternative-provision",
        SettingKind::FurtherEducation => "further-education",
    }
}

/// True for a child with an EHC plan (or a higher rung) who is not on the scenario's
/// additional-learning-support tier.
fn ehc_plan(child: &NeedProfile, tier: Option<&LearningSupportTier>) -> bool {
    has_plan(child) && tier.is_none_or(|t| child.plan_level != t.level)
}

/// How a year's placements are costed: the fallback fee, the scenario's learning-support tier,
/// and whether the national price bands of the rules are in force.
#[derive(Clone, Copy)]
pub(super) struct Costing<'a> {
    pub(super) fee: i64,
    pub(super) tier: Option<&'a LearningSupportTier>,
    pub(super) price_bands: bool,
}

/// The metrics of a year. With the price bands in force, a placement the bands price (and a
/// fallback placement, when they price those) costs its band's price: `price-bands.pupils`
/// counts them and `cost.price-bands.difference` is the band prices less what the same
/// placements cost at today's fees.
pub(super) fn metrics(
    engine: &Engine<'_>,
    report: &PlacementReport,
    costing: Costing<'_>,
    policy: &crate::placement::RoundPolicy,
) -> Sample {
    let mut m = Sample::new();
    let t = &report.totals;
    m.insert("children".into(), engine.area.children.len() as f64);
    m.insert("in-round".into(), t.in_round as f64);
    m.insert("unplaced".into(), t.unplaced as f64);
    for (k, v) in &report.shortfall_by_need {
        m.insert(format!("unplaced.need.{k}"), *v as f64);
    }
    for (k, v) in &report.shortfall_by_phase {
        m.insert(format!("unplaced.phase.{k}"), *v as f64);
    }
    for (k, v) in &report.shortfall_by_locality {
        m.insert(format!("unplaced.locality.{k}"), *v as f64);
    }
    let mut tally = Tally::new(engine, costing);
    for c in 0..engine.area.children.len() {
        tally.add_child(report, policy, c, &mut m);
    }
    tally.write(report, &mut m);
    places_needed_metrics(engine, report, &mut m);
    bottleneck_metrics(report, &mut m);
    for p in &report.placements {
        if let Some(first) = p.better_but_full.first() {
            *m.entry(format!("oversubscribed.{first}")).or_insert(0.0) += 1.0;
        }
    }
    m
}

/// Where each child is after a year's round and what it costs, counted child by child; a
/// child with a plan left without a setting by the round takes the fallback placement (an
/// independent special place at the fallback fee).
struct Tally<'e, 'a> {
    /// The year's engine, after the round.
    engine: &'e Engine<'a>,
    /// How the placements are costed.
    costing: Costing<'e>,
    /// The price bands, when in force.
    bands: Option<&'e crate::rules::price_bands::PriceBands>,
    /// Placements the bands price.
    priced: usize,
    /// The band prices less today's cost of the same placements.
    difference: i64,
    /// Cost of the fallback placements.
    fallback_cost: i64,
    /// Journey minutes of every child with a setting.
    minutes: Vec<f64>,
    /// Journeys beyond the travel guidance.
    beyond: usize,
    /// Cost of every placement of a child with a plan.
    cost: i64,
    /// Cost of the independent and non-maintained placements, fallback ones included.
    independent: i64,
    /// Fallback placements.
    fallback: usize,
    /// Children with plans by [`PlacementGroup`].
    plans: [usize; 7],
    /// Children on the learning-support tier.
    on_tier: usize,
    /// Children without plans (SEN support).
    sen_support: usize,
    /// Plans by phase and group, and by primary need: counted here, named once at the end.
    detail: PlanCounts,
}

impl<'e, 'a> Tally<'e, 'a> {
    /// An empty count for the year `engine` holds.
    fn new(engine: &'e Engine<'a>, costing: Costing<'e>) -> Self {
        Tally {
            engine,
            costing,
            bands: costing
                .price_bands
                .then_some(&engine.rules.rules.price_bands),
            priced: 0,
            difference: 0,
            fallback_cost: 0,
            minutes: Vec::new(),
            beyond: 0,
            cost: 0,
            independent: 0,
            fallback: 0,
            plans: [0; 7],
            on_tier: 0,
            sen_support: 0,
            detail: PlanCounts::default(),
        }
    }

    /// Counts child `c` where the round leaves them; the fallback placements by the group
    /// they come from go straight into `m`.
    fn add_child(
        &mut self,
        report: &PlacementReport,
        policy: &crate::placement::RoundPolicy,
        c: usize,
        m: &mut Sample,
    ) {
        let engine = self.engine;
        let tier = self.costing.tier;
        let child = &engine.area.children[c];
        if !has_plan(child) {
            self.sen_support += 1;
        }
        if tier.is_some_and(|t| child.plan_level == t.level) {
            self.on_tier += 1;
        }
        let current = engine.children[c].current.map(|s| s as usize);
        let (s, in_round) = match report.chosen.get(&c) {
            Some(Some((s, _))) => (Some(*s), true),
            Some(None) => {
                let reason = crate::placement::round_reason(engine, c, policy);
                let keeps = current.is_some() && reason == Some(RoundReason::UnsuitableCurrent);
                (if keeps { current } else { None }, true)
            }
            None => (current, false),
        };
        let plan = ehc_plan(child, tier);
        match s {
            None if plan && in_round => self.add_fallback(c, current, m),
            None if plan => self.count(child, PlacementGroup::Elsewhere),
            None => {}
            Some(s) => self.add_placed(c, s, plan),
        }
    }

    /// Counts child `c`, with a plan and no setting after the round, in a fallback placement.
    fn add_fallback(&mut self, c: usize, current: Option<usize>, m: &mut Sample) {
        let engine = self.engine;
        let from = PlacementGroup::of_kind(current.map(|s| engine.area.settings[s].kind));
        *m.entry(format!("fallback.from.{}", from.key()))
            .or_insert(0.0) += 1.0;
        self.fallback += 1;
        let total = engine.children[c].intensity_total;
        let fee = self.costing.fee;
        let rules = &engine.rules.rules;
        let pounds = self.cost_of(self.bands.and_then(|b| b.fallback_price(rules, total)), fee);
        self.cost += pounds;
        self.independent += pounds;
        self.fallback_cost += pounds;
        self.count(&engine.area.children[c], PlacementGroup::IndependentSpecial);
    }

    /// Counts child `c` in setting `s`: their journey, and with a plan (`plan`) their place's
    /// cost and group.
    fn add_placed(&mut self, c: usize, s: usize, plan: bool) {
        let engine = self.engine;
        let j = engine.journey(c, s);
        self.minutes.push(j.minutes);
        if j.exceeds_guidance() {
            self.beyond += 1;
        }
        if !plan {
            return;
        }
        let today = funding_quote(engine, c, s).total.0;
        let kind = engine.area.settings[s].kind;
        let total = engine.children[c].intensity_total;
        let rules = &engine.rules.rules;
        let pounds = self.cost_of(self.bands.and_then(|b| b.price(rules, total, kind)), today);
        self.cost += pounds;
        if kind.is_independent() || kind == SettingKind::SpecialNonMaintained {
            self.independent += pounds;
        }
        self.count(
            &engine.area.children[c],
            PlacementGroup::of_kind(Some(kind)),
        );
    }

    /// What a placement costs: `band`, the price the bands give it, when they price it
    /// (counted, with its difference from `today`); else `today`, its cost at today's fees.
    fn cost_of(&mut self, band: Option<crate::model::Pounds>, today: i64) -> i64 {
        match band {
            Some(p) => {
                self.priced += 1;
                self.difference += p.0 - today;
                p.0
            }
            None => today,
        }
    }

    /// Counts a child with a plan in group `g`.
    fn count(&mut self, child: &NeedProfile, g: PlacementGroup) {
        self.plans[g as usize] += 1;
        self.detail.add(child, g);
    }

    /// Writes the counts into `m`: plans and shares by group, the SCAP places, costs, and
    /// travel.
    fn write(mut self, report: &PlacementReport, m: &mut Sample) {
        let total: usize = self.plans.iter().sum();
        m.insert("plans".into(), total as f64);
        m.insert("sen-support".into(), self.sen_support as f64);
        self.detail.write(m);
        for g in PlacementGroup::ALL {
            let n = self.plans[g as usize];
            m.insert(format!("plans.{}", g.key()), n as f64);
            m.insert(
                format!("share.{}", g.key()),
                if total > 0 {
                    n as f64 / total as f64
                } else {
                    0.0
                },
            );
        }
        let tier = self.costing.tier;
        scap_metrics(self.engine, report, tier, m);
        if let Some(t) = tier.filter(|_| self.on_tier > 0) {
            m.insert("als.pupils".into(), self.on_tier as f64);
            m.insert("cost.als".into(), (self.on_tier as i64 * t.pounds) as f64);
            self.cost += self.on_tier as i64 * t.pounds;
        }
        m.insert("fallback".into(), self.fallback as f64);
        m.insert("cost.fallback".into(), self.fallback_cost as f64);
        if self.costing.price_bands {
            m.insert("price-bands.pupils".into(), self.priced as f64);
            m.insert("cost.price-bands.difference".into(), self.difference as f64);
        }
        m.insert("cost.total".into(), self.cost as f64);
        m.insert("cost.independent".into(), self.independent as f64);
        if !self.minutes.is_empty() {
            m.insert(
                "travel.mean".into(),
                self.minutes.iter().sum::<f64>() / self.minutes.len() as f64,
            );
            m.insert("travel.p90".into(), Quantiles::of(&mut self.minutes).p90);
        }
        m.insert("travel.beyond-guidance".into(), self.beyond as f64);
    }
}

/// Places needed: for each unplaced child, the group of the best-scored suitable setting,
/// ignoring capacity; and where the best-scored setting was full.
fn places_needed_metrics(engine: &Engine<'_>, report: &PlacementReport, m: &mut Sample) {
    for u in &report.unplaced {
        let Some(c) = engine.area.child_index(&u.child) else {
            continue;
        };
        let best = (0..engine.settings.len())
            .filter(|&s| engine.is_eligible(c, s))
            .map(|s| (engine.score(c, s), s))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((_, s)) => {
                *m.entry(format!(
                    "places-needed.{}",
                    group(engine.area.settings[s].kind)
                ))
                .or_insert(0.0) += 1.0;
                *m.entry(format!("oversubscribed.{}", engine.area.settings[s].id))
                    .or_insert(0.0) += 1.0;
            }
            None => {
                *m.entry("places-needed.no-suitable-setting".into())
                    .or_insert(0.0) += 1.0
            }
        }
    }
}

/// Children with plans counted by phase and group (`plans.PHASE.GROUP`) and by primary need
/// (`plans.need.CODE`). Counting in arrays and naming each count once spares a key built and
/// looked up per child; a metric is written only where a child was counted, as before.
#[derive(Default)]
struct PlanCounts {
    /// By phase ([`crate::model::Phase`] order) and group ([`PlacementGroup::ALL`] order).
    by_phase: [[u32; PlacementGroup::ALL.len()]; 3],
    /// By primary need ([`crate::model::Need::ALL`] order).
    by_need: [u32; crate::model::Need::ALL.len()],
}

impl PlanCounts {
    fn add(&mut self, child: &NeedProfile, g: PlacementGroup) {
        self.by_phase[child.year.phase() as usize][g as usize] += 1;
        self.by_need[child.primary_need as usize] += 1;
    }

    /// Writes the counts into `m`.
    fn write(&self, m: &mut Sample) {
        for phase in crate::model::Phase::ALL {
            for g in PlacementGroup::ALL {
                let n = self.by_phase[phase as usize][g as usize];
                if n > 0 {
                    m.insert(format!("plans.{}.{}", phase.key(), g.key()), f64::from(n));
                }
            }
        }
        for need in crate::model::Need::ALL {
            let n = self.by_need[need as usize];
            if n > 0 {
                m.insert(format!("plans.need.{}", need.code()), f64::from(n));
            }
        }
    }
}

/// The round's bottleneck analysis: `bottleneck.places-needed` (places to add over every
/// binding set), `bottleneck.add.SETTING` (places to add at a setting) and, for the unplaced
/// children a place there would place, `bottleneck.add.SETTING.need.CODE` and
/// `bottleneck.add.SETTING.phase.PHASE`.
fn bottleneck_metrics(report: &PlacementReport, m: &mut Sample) {
    m.insert(
        "bottleneck.places-needed".into(),
        report.bottlenecks.places_needed as f64,
    );
    for p in report
        .bottlenecks
        .sets
        .iter()
        .flat_map(|s| &s.places_to_add)
    {
        *m.entry(format!("bottleneck.add.{}", p.setting))
            .or_insert(0.0) += p.places as f64;
    }
    for u in &report.unplaced {
        if let Some(at) = &u.add_place_at {
            *m.entry(format!("bottleneck.add.{at}.need.{}", u.primary_need))
                .or_insert(0.0) += 1.0;
            *m.entry(format!("bottleneck.add.{at}.phase.{}", u.phase.key()))
                .or_insert(0.0) += 1.0;
        }
    }
}
