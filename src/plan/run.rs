//! Running a sufficiency plan: every scenario × Monte Carlo draw is an independent projection
//! (years in sequence, one placement run per year), evaluated in parallel with rayon. Results
//! are gathered in task order, so they are identical for any number of threads.

use super::projection::{Growth, advance_year, draw_seed};
use super::results::{PlanResults, Quantiles, ScenarioResult, YearMetrics};
use super::scenario::Scenario;
use crate::engine::Engine;
use crate::lists::funding_quote;
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
    pub draws: u32,
    pub seed: u64,
    pub growth: Growth,
    pub placement: PlacementOptions,
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
                academic_year,
                options,
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
        assumptions: assumptions(options),
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

fn run_draw(
    base: &Area,
    rules: &CompiledRules,
    scenario: &Scenario,
    background: &BTreeMap<(String, String), u32>,
    academic_year: i32,
    options: &PlanOptions,
    draw: u32,
) -> Result<Vec<Sample>, PlacementError> {
    let growth = scenario.growth(&options.growth);
    let mut rng = Rng(draw_seed(options.seed, draw as u64));
    let mut cohort = base.children.clone();
    let mut placement = options.placement.clone();
    if let Some(b) = scenario.budget_pounds {
        placement.side.budget_pounds = Some(b);
    }
    let mut samples = Vec::new();
    for y in 0..=options.years {
        let year = academic_year + y as i32;
        if y > 0 {
            cohort = advance_year(&cohort, &base.settings, &growth, y, year, &mut rng);
        }
        let mut settings = scenario.settings_in(&base.settings, year);
        let counts = cohort_counts(&cohort, &settings);
        for s in &mut settings {
            for p in &mut s.pools {
                let key = (s.id.0.clone(), p.id.0.clone());
                p.on_roll = background.get(&key).copied().unwrap_or(0)
                    + counts.get(&key).copied().unwrap_or(0);
            }
        }
        let area = Area {
            name: base.name.clone(),
            settings,
            children: cohort,
        };
        let engine = Engine::new(rules, &area);
        let report = place(&engine, &placement)?;
        samples.push(metrics(&engine, &report));
        cohort = update_cohort(&engine, &report);
    }
    Ok(samples)
}

/// Applies a placement: placed children take their new setting; unplaced children without a
/// setting for their year stay waiting.
fn update_cohort(engine: &Engine<'_>, report: &PlacementReport) -> Vec<NeedProfile> {
    let mut cohort = engine.area.children.clone();
    for (&c, choice) in &report.chosen {
        let child = &mut cohort[c];
        match choice {
            Some((s, _)) => {
                child.current_setting = Some(engine.area.settings[*s].id.clone());
                child.needs_place = false;
            }
            None => {
                let reason = crate::placement::round_reason(engine, c, &report_policy());
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

fn report_policy() -> crate::placement::RoundPolicy {
    crate::placement::RoundPolicy::default()
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

fn metrics(engine: &Engine<'_>, report: &PlacementReport) -> Sample {
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
    // Where each child is after the round.
    let mut minutes = Vec::new();
    let mut beyond = 0usize;
    let mut cost = 0i64;
    let mut independent = 0i64;
    let mut by_group: BTreeMap<&str, usize> = BTreeMap::new();
    for c in 0..engine.area.children.len() {
        let s = match report.chosen.get(&c) {
            Some(choice) => choice.map(|(s, _)| s),
            None => engine.children[c].current.map(|s| s as usize),
        };
        let Some(s) = s else { continue };
        let j = engine.journey(c, s);
        minutes.push(j.minutes);
        if j.exceeds_guidance() {
            beyond += 1;
        }
        if engine.area.children[c].plan_level != "sen-support" {
            let pounds = funding_quote(engine, c, s).total.0;
            cost += pounds;
            if engine.area.settings[s].kind.is_independent() {
                independent += pounds;
            }
        }
        *by_group
            .entry(group(engine.area.settings[s].kind))
            .or_insert(0) += 1;
    }
    let placed_total: usize = by_group.values().sum();
    for g in [
        "mainstream",
        "resource-base",
        "special",
        "independent",
        "alternative-provision",
        "further-education",
    ] {
        let n = by_group.get(g).copied().unwrap_or(0);
        m.insert(
            format!("share.{g}"),
            if placed_total > 0 {
                n as f64 / placed_total as f64
            } else {
                0.0
            },
        );
    }
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

fn assumptions(options: &PlanOptions) -> Vec<String> {
    let g = &options.growth;
    vec![
        format!("Children with plans grow {:.1}% a year on average ({}); new plans are drawn around that mean with Poisson-like spread.", g.rate * 100.0, g.source),
        "New plans copy the need profile of a randomly chosen child of the same primary need in years R–11, with a home within 2 km of that child's; the need mix follows today's mix, drifted by the scenario's need_drift.".into(),
        format!(
            "Plans end with probability {:.0}%, {:.0}% and {:.0}% on moving into years 12, 13 and 14; no one is modelled past year 14.",
            g.leave_at[0] * 100.0,
            g.leave_at[1] * 100.0,
            g.leave_at[2] * 100.0
        ),
        "Each year, children without a place, new plans, transfers into years R, 7 and 12, and children whose setting is no longer suitable are placed area-wide (min-cost flow, or HiGHS with a budget cap); everyone else keeps their place.".into(),
        "Pupils on roll who are not in the cohort (most mainstream pupils) stay constant; pool rolls are recomputed each year from them plus the cohort.".into(),
        format!("{} Monte Carlo draws with seed {}; bands show the 10th to 90th percentile over draws, lines the median.", options.draws, options.seed),
    ]
}
