//! Running a sufficiency plan: every scenario × Monte Carlo draw is an independent projection
//! (years in sequence, one placement run per year), evaluated in parallel with rayon. Results
//! are gathered in task order, so they are identical for any number of threads.

use super::calibrate::shares_after;
use super::projection::{Growth, advance_year, draw_seed, group_shares, has_plan};
use super::provision::{ProvisionGrowth, ProvisionPath};
use super::results::{PlanResults, Quantiles, ScenarioResult, YearMetrics};
use super::scenario::Scenario;
use crate::engine::Engine;
use crate::io::stats::PlacementGroup;
use crate::lists::funding_quote;
use crate::model::grouped;
use crate::model::{Area, NeedProfile, Setting, SettingKind};
use crate::placement::{PlacementError, PlacementOptions, PlacementReport, RoundReason, place};
use crate::rules::{CompiledRules, RuleSet};
use crate::testkit::Rng;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Options for a plan.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    /// Years to project after the base year.
    pub years: u32,
    /// Monte Carlo draws per scenario.
    pub draws: u32,
    /// The seed all draws derive from.
    pub seed: u64,
    /// How the cohort changes each year.
    pub growth: Growth,
    /// The placement run each year, with its round policy.
    pub placement: PlacementOptions,
    /// Annual cost of the fallback placement of a child with a plan and no suitable place;
    /// `None`: the median fee of the area's independent special schools, else
    /// [`DEFAULT_FALLBACK_FEE`].
    pub fallback_fee: Option<i64>,
    /// How specialist places change with no scenario (default: as the history says).
    pub provision: ProvisionGrowth,
}

impl PlanOptions {
    /// Options for `years` × `draws` with `growth` and the placement policy a plan uses by
    /// default: children with a plan and no setting who are not asking for a place (elective
    /// home education, other arrangements) stay educated elsewhere.
    pub fn new(years: u32, draws: u32, seed: u64, growth: Growth) -> PlanOptions {
        let mut placement = PlacementOptions::default();
        placement.policy.without_setting = false;
        PlanOptions {
            years,
            draws,
            seed,
            growth,
            placement,
            fallback_fee: None,
            provision: ProvisionGrowth::default(),
        }
    }
}

/// Fallback fee when the area has no independent special school with a fee: the middle of the
/// £50,000–£100,000 range of independent special placements (DOMAIN: "often cost £50k–£100k+").
pub const DEFAULT_FALLBACK_FEE: i64 = 75_000;

/// The fallback fee for an area: the median annual fee of its independent special schools.
pub fn fallback_fee(area: &Area, options: &PlanOptions) -> i64 {
    if let Some(f) = options.fallback_fee {
        return f;
    }
    let mut fees: Vec<i64> = area
        .settings
        .iter()
        .filter(|s| s.kind == SettingKind::SpecialIndependent)
        .filter_map(|s| s.annual_fee.map(|f| f.0))
        .collect();
    if fees.is_empty() {
        return DEFAULT_FALLBACK_FEE;
    }
    fees.sort_unstable();
    fees[(fees.len() - 1) / 2]
}

/// Metrics of one year of one draw.
type Sample = BTreeMap<String, f64>;

/// Runs every scenario. `progress` is called once per finished (scenario, draw).
pub fn run_plan(
    area: &Area,
    rules: &RuleSet,
    academic_year: i32,
    scenarios: &[Scenario],
    options: &PlanOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<PlanResults, PlacementError> {
    let compiled: Vec<CompiledRules> = scenarios
        .iter()
        .map(|s| CompiledRules::new(rules_for(rules, s)))
        .collect();
    let background = background_roll(area);
    let fee = fallback_fee(area, options);
    let supply = ProvisionPath::new(area, &options.growth, options.years, options.provision);
    let tasks: Vec<(usize, u32)> = (0..scenarios.len())
        .flat_map(|s| (0..options.draws).map(move |d| (s, d)))
        .collect();
    let samples: Vec<Result<Vec<Sample>, PlacementError>> = tasks
        .par_iter()
        .map(|&(s, d)| {
            let out = run_draw(
                area,
                &compiled[s],
                &scenarios[s],
                &background,
                &supply,
                academic_year,
                options,
                fee,
                d,
            );
            progress();
            out
        })
        .collect();
    let mut results = PlanResults {
        area: area.name.clone(),
        base_year: academic_year,
        years: options.years,
        draws: options.draws,
        seed: options.seed,
        scenarios: Vec::new(),
        assumptions: {
            let mut a = assumptions(options, fee);
            a.insert(3, supply.describe(&area.settings));
            a
        },
    };
    let mut samples = samples.into_iter();
    for scenario in scenarios {
        let mut per_year: Vec<Vec<Sample>> = vec![Vec::new(); options.years as usize + 1];
        for _ in 0..options.draws {
            for (y, sample) in samples
                .next()
                .expect("one result per task")?
                .into_iter()
                .enumerate()
            {
                per_year[y].push(sample);
            }
        }
        let years = per_year
            .into_iter()
            .enumerate()
            .map(|(y, draws)| {
                let keys: std::collections::BTreeSet<&String> =
                    draws.iter().flat_map(|d| d.keys()).collect();
                let metrics = keys
                    .into_iter()
                    .map(|k| {
                        let mut v: Vec<f64> = draws
                            .iter()
                            .map(|d| d.get(k).copied().unwrap_or(0.0))
                            .collect();
                        (k.clone(), Quantiles::of(&mut v))
                    })
                    .collect();
                YearMetrics {
                    year: academic_year + y as i32,
                    metrics,
                }
            })
            .collect();
        results.scenarios.push(ScenarioResult {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            years,
        });
    }
    Ok(results)
}

/// The rules as a scenario changes them.
pub fn rules_for(rules: &RuleSet, scenario: &Scenario) -> RuleSet {
    let mut r = rules.clone();
    r.hard.retain(|h| !scenario.rules.disable.contains(&h.id));
    r.scores.retain(|h| !scenario.rules.disable.contains(&h.id));
    for (id, w) in &scenario.rules.score_weights {
        if let Some(s) = r.scores.iter_mut().find(|s| &s.id == id) {
            s.weight = *w;
        }
    }
    r
}

/// Pupils on roll who are not in the cohort (e.g. mainstream pupils without plans), per
/// (setting id, pool id): the roll minus the cohort children counted there, never negative.
fn background_roll(area: &Area) -> BTreeMap<(String, String), u32> {
    let counts = cohort_counts(&area.children, &area.settings);
    let mut out = BTreeMap::new();
    for s in &area.settings {
        for p in &s.pools {
            let key = (s.id.0.clone(), p.id.0.clone());
            let n = counts.get(&key).copied().unwrap_or(0);
            out.insert(key, p.on_roll.saturating_sub(n));
        }
    }
    out
}

fn cohort_counts(
    children: &[NeedProfile],
    settings: &[Setting],
) -> BTreeMap<(String, String), u32> {
    let mut counts = BTreeMap::new();
    for c in children {
        let Some(cur) = &c.current_setting else {
            continue;
        };
        let Ok(i) = settings.binary_search_by(|s| s.id.cmp(cur)) else {
            continue;
        };
        if let Some(p) = settings[i].pool_for(c.year) {
            *counts.entry((cur.0.clone(), p.id.0.clone())).or_insert(0) += 1;
        }
    }
    counts
}

#[allow(clippy::too_many_arguments)]
fn run_draw(
    base: &Area,
    rules: &CompiledRules,
    scenario: &Scenario,
    background: &BTreeMap<(String, String), u32>,
    supply: &ProvisionPath,
    academic_year: i32,
    options: &PlanOptions,
    fee: i64,
    draw: u32,
) -> Result<Vec<Sample>, PlacementError> {
    let growth = scenario.growth(&options.growth);
    let mut rng = Rng(draw_seed(options.seed, draw as u64));
    let mut cohort = base.children.clone();
    let base_shares = group_shares(&base.children, &base.settings);
    let mut placement = options.placement.clone();
    if let Some(b) = scenario.budget_pounds {
        placement.side.budget_pounds = Some(b);
    }
    let mut samples = Vec::new();
    for y in 0..=options.years {
        let year = academic_year + y as i32;
        let mut flows = (0usize, 0usize, 0usize);
        if y > 0 {
            let wanted = shares_after(&base_shares, &growth.share_change, y);
            let adv = advance_year(&cohort, &base.settings, &growth, &wanted, y, year, &mut rng);
            flows = (adv.new_plans, adv.ended, adv.conversions.len());
            cohort = adv.cohort;
        }
        let pupils = (1.0 + growth.pupils).powi(y as i32);
        let mut settings = scenario.settings_in(&base.settings, year);
        let counts = cohort_counts(&cohort, &settings);
        for s in &mut settings {
            let mainstream = s.kind == SettingKind::Mainstream;
            for p in &mut s.pools {
                let key = (s.id.0.clone(), p.id.0.clone());
                let with_plans = counts.get(&key).copied().unwrap_or(0);
                p.on_roll = if mainstream {
                    // The whole roll follows the pupil projection: a pupil with a plan (a
                    // conversion, or a child admitted in a round) is one of its pupils, so
                    // the pupils without plans are the projected roll less those with plans.
                    ((p.on_roll as f64 * pupils).round() as u32).max(with_plans)
                } else {
                    // Other authorities' pupils and pupils without plans stay as they are
                    // (scaled by the pupil projection); the area's children are counted.
                    (background.get(&key).copied().unwrap_or(0) as f64 * pupils).round() as u32
                        + with_plans
                };
            }
        }
        supply.apply(&mut settings, y, cohort.len());
        let area = Area {
            name: base.name.clone(),
            settings,
            children: cohort,
        };
        let engine = Engine::new(rules, &area);
        let report = place(&engine, &placement)?;
        let mut m = metrics(&engine, &report, fee, &placement.policy);
        m.insert("flows.new-plans".into(), flows.0 as f64);
        m.insert("flows.ended".into(), flows.1 as f64);
        m.insert("flows.converted".into(), flows.2 as f64);
        samples.push(m);
        cohort = update_cohort(&engine, &report, &placement.policy);
    }
    Ok(samples)
}

/// Applies a placement: placed children take their new setting; unplaced children without a
/// setting for their year stay waiting.
fn update_cohort(
    engine: &Engine<'_>,
    report: &PlacementReport,
    policy: &crate::placement::RoundPolicy,
) -> Vec<NeedProfile> {
    let mut cohort = engine.area.children.clone();
    for (&c, choice) in &report.chosen {
        let child = &mut cohort[c];
        match choice {
            Some((s, _)) => {
                child.current_setting = Some(engine.area.settings[*s].id.clone());
                child.needs_place = false;
            }
            None => {
                let reason = crate::placement::round_reason(engine, c, policy);
                if matches!(
                    reason,
                    Some(RoundReason::TransferYear | RoundReason::NoSetting)
                ) {
                    child.current_setting = None;
                }
                child.needs_place = true;
            }
        }
    }
    cohort
}

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

/// Specialist places in the shape of the DfE SCAP forecast: `scap.PHASE.PROVISION.pupils`
/// (children with plans placed there, plus children with plans left without a place whose
/// best-scored suitable setting is of that type) and `scap.PHASE.PROVISION.places` (the
/// places of pools of that type open to the area's children — capacity less pupils who are
/// not in the cohort, e.g. other authorities' children — a pool's places shared over phases
/// by the years it serves).
fn scap_metrics(engine: &Engine<'_>, report: &PlacementReport, m: &mut Sample) {
    use crate::model::{Phase, YearGroup};
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
    for (si, s) in engine.area.settings.iter().enumerate() {
        let Some(prov) = scap_provision(s.kind) else {
            continue;
        };
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
                    *m.entry(format!("scap.{}.{prov}.places", phase.key()))
                        .or_insert(0.0) += open as f64 * n as f64 / years.len() as f64;
                }
            }
        }
    }
    for c in 0..engine.area.children.len() {
        let child = &engine.area.children[c];
        if !has_plan(child) {
            continue;
        }
        let s = match report.chosen.get(&c) {
            Some(choice) => choice.map(|(s, _)| s),
            None => engine.children[c].current.map(|s| s as usize),
        };
        let s = match s {
            Some(s) => Some(s),
            // Left without a place: the type of the best-scored suitable setting.
            None if report.chosen.contains_key(&c) => (0..engine.settings.len())
                .filter(|&s| engine.is_eligible(c, s))
                .map(|s| (engine.score(c, s), s))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|x| x.1),
            None => None,
        };
        if let Some(prov) = s.and_then(|s| scap_provision(engine.area.settings[s].kind)) {
            *m.entry(format!("scap.{}.{prov}.pupils", child.year.phase().key()))
                .or_insert(0.0) += 1.0;
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

fn metrics(
    engine: &Engine<'_>,
    report: &PlacementReport,
    fee: i64,
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
    // Where each child is after the round; a child with a plan left without a setting by the
    // round takes the fallback placement (an independent special place at the fallback fee).
    let mut minutes = Vec::new();
    let mut beyond = 0usize;
    let mut cost = 0i64;
    let mut independent = 0i64;
    let mut fallback = 0usize;
    let mut plans = [0usize; 7];
    for c in 0..engine.area.children.len() {
        let child = &engine.area.children[c];
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
        let plan = has_plan(child);
        let Some(s) = s else {
            if plan {
                if in_round {
                    let from =
                        PlacementGroup::of_kind(current.map(|s| engine.area.settings[s].kind));
                    *m.entry(format!("fallback.from.{}", from.key()))
                        .or_insert(0.0) += 1.0;
                    fallback += 1;
                    cost += fee;
                    independent += fee;
                    plans[PlacementGroup::IndependentSpecial as usize] += 1;
                } else {
                    plans[PlacementGroup::Elsewhere as usize] += 1;
                }
            }
            continue;
        };
        let j = engine.journey(c, s);
        minutes.push(j.minutes);
        if j.exceeds_guidance() {
            beyond += 1;
        }
        if plan {
            let pounds = funding_quote(engine, c, s).total.0;
            cost += pounds;
            if engine.area.settings[s].kind.is_independent()
                || engine.area.settings[s].kind == SettingKind::SpecialNonMaintained
            {
                independent += pounds;
            }
            plans[PlacementGroup::of_kind(Some(engine.area.settings[s].kind)) as usize] += 1;
        }
    }
    let total: usize = plans.iter().sum();
    m.insert("plans".into(), total as f64);
    for g in PlacementGroup::ALL {
        let n = plans[g as usize];
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
    scap_metrics(engine, report, &mut m);
    m.insert("fallback".into(), fallback as f64);
    m.insert("cost.fallback".into(), (fallback as i64 * fee) as f64);
    m.insert("cost.total".into(), cost as f64);
    m.insert("cost.independent".into(), independent as f64);
    if !minutes.is_empty() {
        m.insert(
            "travel.mean".into(),
            minutes.iter().sum::<f64>() / minutes.len() as f64,
        );
        m.insert("travel.p90".into(), Quantiles::of(&mut minutes).p90);
    }
    m.insert("travel.beyond-guidance".into(), beyond as f64);
    // Places needed: for each unplaced child, the group of the best-scored suitable setting,
    // ignoring capacity; and where the best-scored setting was full.
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
    for p in &report.placements {
        if let Some(first) = p.better_but_full.first() {
            *m.entry(format!("oversubscribed.{first}")).or_insert(0.0) += 1.0;
        }
    }
    m
}

fn assumptions(options: &PlanOptions, fee: i64) -> Vec<String> {
    let g = &options.growth;
    let mut out = vec![
        format!("Children with plans grow {:.1}% a year on average ({}); new plans are drawn around that mean with Poisson-like spread.", g.rate * 100.0, g.source),
        "New plans are shared over the types of setting to close the gap between the wanted mix of plans and the mix of the children already there; each copies the need profile of a child with a plan in that type of setting (years R–11 first), lives within 2 km of that child, and asks for a place like theirs (the parents' preference). The need mix drifts by the scenario's need_drift.".into(),
        "A new plan in a mainstream school is a pupil already on that school's roll (SEN support → EHC plan): the school's pupils without plans fall by one, its roll does not grow.".into(),
        format!(
            "Plans end with probability {:.0}%, {:.0}% and {:.0}% on moving into years 12, 13 and 14, and year 14 stands for ages 19–25, where a plan ends with the last chance each year. Moves between settings happen in the placement round: transfers into years R, 7 and 12, settings that no longer suit, closures.",
            g.leave_at[0] * 100.0,
            g.leave_at[1] * 100.0,
            g.leave_at[2] * 100.0
        ),
        "Each year, children asking for a place (new plans, those still waiting), transfers into years R, 7 and 12, and children whose setting is no longer suitable are placed area-wide (min-cost flow, or HiGHS with a budget cap) under the rules; everyone else keeps their place. Children with a plan educated elsewhere (elective home education, other arrangements) stay so.".into(),
        format!("Pupils without plans on each school roll follow the pupil projection: {:+.1}% a year (flat unless set).", g.pupils * 100.0),
        format!("A child with a plan whom the rules cannot place (the shortfall) is counted as a fallback placement in an independent or out-of-area special school at £{} a year (the median fee of the area's independent special schools, else £{DEFAULT_FALLBACK_FEE}), so the cost rises with unmet demand.", grouped(fee)),
        format!("{} Monte Carlo draws with seed {}; bands show the 10th to 90th percentile over draws, lines the median.", options.draws, options.seed),
    ];
    if g.share_change.iter().all(|c| *c == 0.0) {
        out.insert(
            2,
            "The wanted mix of plans by type of setting is the base year's, held.".into(),
        );
    } else {
        let changes: Vec<String> = PlacementGroup::ALL
            .iter()
            .zip(g.share_change)
            .filter(|(_, c)| c.abs() >= 0.0005)
            .map(|(k, c)| format!("{} {:+.1} pp", k.key(), c * 100.0))
            .collect();
        out.insert(
            2,
            format!(
                "The wanted mix of plans moves each year by: {} (share of plans per year).",
                changes.join(", ")
            ),
        );
    }
    out
}
