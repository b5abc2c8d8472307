//! Running a sufficiency plan: every scenario × Monte Carlo draw is an independent projection
//! (years in sequence, one placement run per year), evaluated in parallel with rayon. Results
//! are gathered in task order, so they are identical for any number of threads.

use super::calibrate::{share_changes_in_words, shares_after};
use super::metrics::{Costing, Sample, metrics};
use super::projection::{Growth, advance_year, draw_seed, group_shares};
use super::provision::{ProvisionGrowth, ProvisionPath};
use super::reform::{PlacedBase, SiteNeed, choose_sites};
use super::results::{PlanResults, Quantiles, ScenarioResult, YearMetrics};
use super::scenario::Scenario;
use super::scenario::base_changes;
use crate::cancel::Cancel;
use crate::engine::Engine;
use crate::model::grouped;
use crate::model::{Area, NeedProfile, Setting, SettingKind};
use crate::placement::{
    Mode, PlacementError, PlacementOptions, PlacementReport, RoundReason, place,
};
use crate::rng::Rng;
use crate::rules::{CompiledRules, RuleSet};
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
    /// home education, other arrangements) stay educated elsewhere; each year's round is
    /// [`Mode::Optimal`], the best the places can do (`place` puts named preferences first).
    pub fn new(years: u32, draws: u32, seed: u64, growth: Growth) -> PlanOptions {
        let mut placement = PlacementOptions::default();
        placement.policy.without_setting = false;
        // A sufficiency plan asks whether the places can serve the children: the least-cost
        // round answers that; named preferences weigh in through their score.
        placement.mode = Mode::Optimal;
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

/// Runs every scenario. `progress` is called once per finished (scenario, draw). Stops with
/// [`PlacementError::Cancelled`] once `cancel` is set: no draw starts after that. The entrance
/// is [`crate::Session::plan`].
pub fn run_plan_cancellable(
    area: &Area,
    rules: &RuleSet,
    academic_year: i32,
    scenarios: &[Scenario],
    options: &PlanOptions,
    progress: &(dyn Fn() + Sync),
    cancel: &Cancel,
) -> Result<PlanResults, PlacementError> {
    if cancel.is_cancelled() {
        return Err(PlacementError::Cancelled);
    }
    let compiled: Vec<CompiledRules> = scenarios
        .iter()
        .map(|s| CompiledRules::new(rules_for(rules, s)))
        .collect();
    let background = background_roll(area);
    let fee = fallback_fee(area, options);
    let supply = ProvisionPath::new(area, &options.growth, options.years, options.provision);
    let context = DrawContext {
        base: area,
        background: &background,
        supply: &supply,
        academic_year,
        options,
        fee,
    };
    let (mut planned, bases) = place_base_programmes(&context, &compiled, scenarios)?;
    let added = add_secondary_bases(area, rules, scenarios, &mut planned);
    let scenarios = &planned[..];
    let samples = run_draws(&context, &compiled, scenarios, progress, cancel)?;
    let mut results = PlanResults {
        area: area.name.clone(),
        base_year: academic_year,
        years: options.years,
        draws: options.draws,
        seed: options.seed,
        headline: Vec::new(),
        scenarios: Vec::new(),
        assumptions: {
            let mut a = assumptions(options, fee);
            a.insert(3, supply.describe(&area.settings));
            a.extend(price_band_assumptions(rules, scenarios));
            a
        },
        track_record: Vec::new(),
        national_record: Vec::new(),
        inclusion_bases: {
            let mut all = area.settings.clone();
            all.extend(opened(scenarios).cloned());
            super::metrics::scap_bases(&all, &area.name, rules)
        },
    };
    let mut samples = samples.into_iter();
    for ((scenario, bases), inclusion_bases) in scenarios.iter().zip(bases).zip(added) {
        let years = samples_by_year(&mut samples, options)?
            .into_iter()
            .enumerate()
            .map(|(y, draws)| year_metrics(academic_year + y as i32, &draws, &inclusion_bases))
            .collect();
        results.scenarios.push(ScenarioResult {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            bases,
            inclusion_bases,
            years,
        });
    }
    let mut named: Vec<&Setting> = area.settings.iter().collect();
    named.extend(opened(scenarios));
    results.headline = results
        .scenarios
        .iter()
        .map(|s| super::headline::headline(s, &named))
        .collect();
    Ok(results)
}

/// The settings the changes of `scenarios` open, scenario by scenario in order.
fn opened(scenarios: &[Scenario]) -> impl Iterator<Item = &Setting> {
    scenarios
        .iter()
        .flat_map(|s| &s.changes)
        .filter_map(|change| match change {
            super::scenario::Change::Open { setting, .. } => Some(&**setting),
            _ => None,
        })
}

/// The scenarios with their resource-base programmes' bases added as changes, and the bases
/// placed for each. A programme's sites come from a pilot projection without the programmes,
/// on the median growth path.
fn place_base_programmes(
    context: &DrawContext<'_>,
    compiled: &[CompiledRules],
    scenarios: &[Scenario],
) -> Result<(Vec<Scenario>, Vec<Vec<PlacedBase>>), PlacementError> {
    let mut bases: Vec<Vec<PlacedBase>> = vec![Vec::new(); scenarios.len()];
    let mut planned: Vec<Scenario> = scenarios.to_vec();
    for (i, scenario) in scenarios.iter().enumerate() {
        if scenario.base_programmes().next().is_none() {
            continue;
        }
        let mut pilot = scenario.clone();
        pilot
            .changes
            .retain(|c| !matches!(c, super::scenario::Change::ResourceBases(_)));
        let mut needs = BTreeMap::new();
        let years = context.options.years;
        run_years(
            context,
            &compiled[i],
            &pilot,
            0,
            None,
            Some(&mut needs),
            years,
        )?;
        for programme in scenario.base_programmes() {
            let sites = choose_sites(programme, &needs);
            for b in &sites {
                needs.remove(&(b.setting.clone(), b.pool.clone()));
            }
            planned[i].changes.extend(base_changes(&sites));
            bases[i].extend(sites);
        }
    }
    Ok((planned, bases))
}

/// Adds to each of `planned` (`scenarios` with their resource bases) an opening for a base in
/// every secondary school without one, for each such programme of the scenario: known from
/// the settings alone. Returns the bases added for each scenario.
fn add_secondary_bases(
    area: &Area,
    rules: &RuleSet,
    scenarios: &[Scenario],
    planned: &mut [Scenario],
) -> Vec<Vec<super::inclusion_bases::AddedBase>> {
    let mut added: Vec<Vec<super::inclusion_bases::AddedBase>> = vec![Vec::new(); scenarios.len()];
    for (i, scenario) in scenarios.iter().enumerate() {
        for programme in scenario.base_in_every_secondary() {
            let mut settings = area.settings.clone();
            settings.extend(opened(&planned[i..=i]).cloned());
            for (setting, base) in
                super::inclusion_bases::open_bases(programme, &settings, &area.name, rules)
            {
                planned[i].changes.push(super::scenario::Change::Open {
                    from: programme.from,
                    setting: Box::new(setting),
                });
                added[i].push(base);
            }
        }
    }
    added
}

/// Every draw of every scenario, in parallel: one result per (scenario, draw) in task order,
/// each the draw's samples by year. No draw starts once `cancel` is set.
fn run_draws(
    context: &DrawContext<'_>,
    compiled: &[CompiledRules],
    scenarios: &[Scenario],
    progress: &(dyn Fn() + Sync),
    cancel: &Cancel,
) -> Result<Vec<Result<Vec<Sample>, PlacementError>>, PlacementError> {
    let base_years: Vec<Option<BaseYear>> = scenarios
        .par_iter()
        .zip(compiled)
        .map(|(s, c)| shared_base_year(context, c, s))
        .collect::<Result<_, _>>()?;
    let years = context.options.years;
    let tasks: Vec<(usize, u32)> = (0..scenarios.len())
        .flat_map(|s| (0..context.options.draws).map(move |d| (s, d)))
        .collect();
    Ok(tasks
        .par_iter()
        .map(|&(s, d)| {
            // No draw starts once the run is cancelled; the rest end quickly.
            if cancel.is_cancelled() {
                return Err(PlacementError::Cancelled);
            }
            let base = base_years[s].as_ref();
            let out = run_years(context, &compiled[s], &scenarios[s], d, base, None, years)
                .map(|(samples, _)| samples);
            progress();
            out
        })
        .collect())
}

/// One scenario's samples by year, from the next `draws` results of `samples`; the first
/// failed draw's error when one failed.
fn samples_by_year(
    samples: &mut impl Iterator<Item = Result<Vec<Sample>, PlacementError>>,
    options: &PlanOptions,
) -> Result<Vec<Vec<Sample>>, PlacementError> {
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
    Ok(per_year)
}

/// The metrics of one year of a scenario: the quantiles of each metric over the draws (a draw
/// without it counts 0), and the places and cost of the inclusion bases open by then.
fn year_metrics(
    year: i32,
    draws: &[Sample],
    inclusion_bases: &[super::inclusion_bases::AddedBase],
) -> YearMetrics {
    let keys: std::collections::BTreeSet<&String> = draws.iter().flat_map(|d| d.keys()).collect();
    let mut metrics: BTreeMap<String, Quantiles> = keys
        .into_iter()
        .map(|k| {
            let mut v: Vec<f64> = draws
                .iter()
                .map(|d| d.get(k).copied().unwrap_or(0.0))
                .collect();
            (k.clone(), Quantiles::of(&mut v))
        })
        .collect();
    let open: Vec<_> = inclusion_bases.iter().filter(|b| b.from <= year).collect();
    if !open.is_empty() {
        let places: u32 = open.iter().map(|b| b.places).sum();
        let pounds: i64 = open
            .iter()
            .map(|b| b.places as i64 * b.pounds_per_place)
            .sum();
        let fixed = |v: f64| Quantiles {
            p10: v,
            p50: v,
            p90: v,
            mean: v,
        };
        metrics.insert("inclusion-bases.places".into(), fixed(places as f64));
        metrics.insert("cost.inclusion-bases".into(), fixed(pounds as f64));
    }
    YearMetrics { year, metrics }
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
    for (s, counted) in area.settings.iter().zip(&counts) {
        for (p, &n) in s.pools.iter().zip(counted) {
            let key = (s.id.0.clone(), p.id.0.clone());
            out.insert(key, p.on_roll.saturating_sub(n));
        }
    }
    out
}

/// The cohort's children on roll in each pool: `counts[s][p]` for pool `p` of `settings[s]`
/// (a child counts in the pool of their current setting that serves their year). `settings`
/// must be in id order; pool ids are unique within a setting.
fn cohort_counts(children: &[NeedProfile], settings: &[Setting]) -> Vec<Vec<u32>> {
    let mut counts: Vec<Vec<u32>> = settings.iter().map(|s| vec![0; s.pools.len()]).collect();
    let lookup = crate::engine::SettingLookup::new(settings);
    for c in children {
        let Some(cur) = &c.current_setting else {
            continue;
        };
        let Some(i) = lookup.index(cur.as_str()).map(|i| i as usize) else {
            continue;
        };
        if let Some(p) = settings[i].pools.iter().position(|p| p.serves(c.year)) {
            counts[i][p] += 1;
        }
    }
    counts
}

/// What every draw of a plan shares.
struct DrawContext<'a> {
    base: &'a Area,
    background: &'a BTreeMap<(String, String), u32>,
    supply: &'a ProvisionPath,
    academic_year: i32,
    options: &'a PlanOptions,
    fee: i64,
}

/// The base year of a scenario (its sample and the children after its round) when it is the
/// same for every draw: no learning-support tier moves children in it (the tier's moves depend
/// on the draw's seed). Computed once, it spares each draw two placement runs.
fn shared_base_year(
    context: &DrawContext<'_>,
    rules: &CompiledRules,
    scenario: &Scenario,
) -> Result<Option<BaseYear>, PlacementError> {
    if scenario
        .learning_support()
        .is_some_and(|t| context.academic_year >= t.from)
    {
        return Ok(None);
    }
    let (mut samples, cohort) = run_years(context, rules, scenario, 0, None, None, 0)?;
    Ok(samples.pop().map(|sample| BaseYear { sample, cohort }))
}

/// A base year shared by every draw of a scenario.
struct BaseYear {
    sample: Sample,
    cohort: Vec<crate::model::NeedProfile>,
}

/// Years `0..=last` of one draw of one scenario: the metrics of each year, and the children
/// after the last year's round. `base_year`, when given, stands for year 0. With `sites`, also
/// gathers the places to add by (setting, pool) and year from each round's bottleneck analysis.
fn run_years(
    context: &DrawContext<'_>,
    rules: &CompiledRules,
    scenario: &Scenario,
    draw: u32,
    base_year: Option<&BaseYear>,
    mut sites: Option<&mut BTreeMap<(String, String), SiteNeed>>,
    last: u32,
) -> Result<(Vec<Sample>, Vec<crate::model::NeedProfile>), PlacementError> {
    let DrawContext {
        base,
        background,
        supply,
        academic_year,
        options,
        fee,
    } = *context;
    let tier = scenario.learning_support();
    let seed = draw_seed(options.seed, draw as u64);
    let mut rng = Rng(seed);
    let mut growth = DrawGrowth::new(scenario, &options.growth, seed, sites.is_some());
    // A shared base year brings its own cohort (below); else the draw starts from the area's.
    let mut cohort = match base_year {
        Some(_) => Vec::new(),
        None => base.children.clone(),
    };
    let base_shares = group_shares(&base.children, &base.settings);
    let mut placement = options.placement.clone();
    if let Some(b) = scenario.budget_pounds {
        placement.side.budget_pounds = Some(b);
    }
    let mut samples = Vec::new();
    for y in 0..=last {
        let year = academic_year + y as i32;
        if let (0, Some(b)) = (y, base_year) {
            samples.push(b.sample.clone());
            cohort = b.cohort.clone();
            continue;
        }
        let mut flows = (0usize, 0usize, 0usize);
        if y > 0 {
            let wanted = shares_after(&base_shares, &growth.drawn.share_change, y);
            let adv = advance_year(
                &cohort,
                &base.settings,
                growth.next_year(),
                &wanted,
                y,
                year,
                &mut rng,
            );
            flows = (adv.new_plans, adv.ended, adv.conversions.len());
            cohort = adv.cohort;
        }
        let pupils = (1.0 + growth.drawn.pupils).powi(y as i32);
        let mut settings = scenario.settings_in(&base.settings, year);
        let moved = match tier {
            Some(t) if year >= t.from => t.apply(&mut cohort, &settings, seed),
            _ => 0,
        };
        set_rolls(&mut settings, &cohort, background, pupils);
        supply.apply(&mut settings, y, cohort.len());
        let area = Area {
            name: base.name.clone(),
            settings,
            children: cohort,
        };
        let engine = Engine::new(rules, &area);
        let report = place(&engine, &placement)?;
        let costing = Costing {
            fee,
            tier,
            price_bands: scenario.price_bands_from().is_some_and(|from| year >= from),
        };
        let mut m = year_sample(&engine, &report, &placement, costing, y == 0)?;
        if moved > 0 {
            m.insert("als.moved".into(), moved as f64);
        }
        if let Some(sites) = sites.as_deref_mut() {
            gather_sites(sites, &report, year);
        }
        m.insert("flows.new-plans".into(), flows.0 as f64);
        m.insert("flows.ended".into(), flows.1 as f64);
        m.insert("flows.converted".into(), flows.2 as f64);
        samples.push(m);
        let outcomes = round_outcomes(&engine, &report, &placement.policy);
        drop(engine);
        cohort = area.children;
        apply_outcomes(&mut cohort, outcomes);
    }
    Ok((samples, cohort))
}

/// A draw's growth: the scenario's, with one persistent deviation of the log rate drawn from
/// the draw's seed (parameter uncertainty), and yearly shocks to the level (a random walk)
/// when there are any. The pilot run that chooses resource-base sites follows the median path.
struct DrawGrowth {
    /// The draw's growth, before any yearly shock.
    drawn: Growth,
    /// The growth of the year being projected: the draw's, with that year's shock.
    this_year: Growth,
    /// The random walk of the yearly shocks, when there are any.
    walk: Option<Rng>,
}

impl DrawGrowth {
    /// The growth of the draw with seed `seed` (of the pilot run with `pilot`) from the
    /// scenario and the plan's `growth`.
    fn new(scenario: &Scenario, growth: &Growth, seed: u64, pilot: bool) -> Self {
        let mut drawn = scenario.growth(growth);
        if !pilot {
            let z = Rng::derive(seed, "growth").normal();
            drawn.rate = (1.0 + drawn.rate) * (z * drawn.rate_sd).exp() - 1.0;
        }
        let walk = (!pilot && drawn.walk_sd > 0.0).then(|| Rng::derive(seed, "walk"));
        DrawGrowth {
            this_year: drawn.clone(),
            drawn,
            walk,
        }
    }

    /// The growth of the next year projected: the draw's, with a new shock to the level when
    /// there are shocks.
    fn next_year(&mut self) -> &Growth {
        if let Some(w) = &mut self.walk {
            let drawn = &self.drawn;
            self.this_year.rate = (1.0 + drawn.rate) * (w.normal() * drawn.walk_sd).exp() - 1.0;
        }
        &self.this_year
    }
}

/// Sets each pool's roll for the year: the cohort's children counted there plus the pupils
/// without plans, projected by the pupil factor `pupils`.
fn set_rolls(
    settings: &mut [Setting],
    cohort: &[NeedProfile],
    background: &BTreeMap<(String, String), u32>,
    pupils: f64,
) {
    let counts = cohort_counts(cohort, settings);
    for (s, counted) in settings.iter_mut().zip(&counts) {
        let mainstream = s.kind == SettingKind::Mainstream;
        for (p, &with_plans) in s.pools.iter_mut().zip(counted) {
            p.on_roll = if mainstream {
                // The whole roll follows the pupil projection: a pupil with a plan (a
                // conversion, or a child admitted in a round) is one of its pupils, so
                // the pupils without plans are the projected roll less those with plans.
                ((p.on_roll as f64 * pupils).round() as u32).max(with_plans)
            } else {
                // Other authorities' pupils and pupils without plans stay as they are
                // (scaled by the pupil projection); the area's children are counted.
                let key = (s.id.0.clone(), p.id.0.clone());
                (background.get(&key).copied().unwrap_or(0) as f64 * pupils).round() as u32
                    + with_plans
            };
        }
    }
}

/// The metrics of a year after its round `report`; for the base year (`census`), of the
/// January census instead.
fn year_sample(
    engine: &Engine<'_>,
    report: &PlacementReport,
    placement: &PlacementOptions,
    costing: Costing<'_>,
    census: bool,
) -> Result<Sample, PlacementError> {
    if !census {
        return Ok(metrics(engine, report, costing, &placement.policy));
    }
    // The base year is January as the census has it: every child where they are,
    // before the round that places the children who move in September.
    let mut census = placement.clone();
    census.policy = crate::placement::RoundPolicy {
        flagged: false,
        transfer_years: false,
        unsuitable_current: false,
        without_setting: false,
        reach_minutes: None,
        regime: placement.policy.regime,
    };
    let january = place(engine, &census)?;
    Ok(metrics(engine, &january, costing, &census.policy))
}

/// Adds the places a round's bottleneck analysis asks for to `sites`, by (setting, pool) and
/// `year`.
fn gather_sites(
    sites: &mut BTreeMap<(String, String), SiteNeed>,
    report: &PlacementReport,
    year: i32,
) {
    for p in report
        .bottlenecks
        .sets
        .iter()
        .flat_map(|s| &s.places_to_add)
    {
        let need = sites
            .entry((p.setting.clone(), p.pool.clone()))
            .or_default();
        need.setting_name.clone_from(&p.setting_name);
        need.kind = Some(p.kind);
        *need.by_year.entry(year).or_insert(0) += p.places;
    }
}

/// What a round did to one child in it.
enum RoundOutcome {
    /// Placed: takes this setting.
    Placed(crate::model::SettingId),
    /// Unplaced: waits for a place; `true` also leaves the setting that does not serve their year.
    Waiting(bool),
}

/// The outcome of a placement for each child in the round, by area child index.
fn round_outcomes(
    engine: &Engine<'_>,
    report: &PlacementReport,
    policy: &crate::placement::RoundPolicy,
) -> Vec<(usize, RoundOutcome)> {
    report
        .chosen
        .iter()
        .map(|(&c, choice)| {
            let outcome = match choice {
                Some((s, _)) => RoundOutcome::Placed(engine.area.settings[*s].id.clone()),
                None => {
                    let reason = crate::placement::round_reason(engine, c, policy);
                    RoundOutcome::Waiting(matches!(
                        reason,
                        Some(RoundReason::TransferYear | RoundReason::NoSetting)
                    ))
                }
            };
            (c, outcome)
        })
        .collect()
}

/// Applies a placement: placed children take their new setting; unplaced children without a
/// setting for their year stay waiting.
fn apply_outcomes(cohort: &mut [NeedProfile], outcomes: Vec<(usize, RoundOutcome)>) {
    for (c, outcome) in outcomes {
        let child = &mut cohort[c];
        match outcome {
            RoundOutcome::Placed(id) => {
                child.current_setting = Some(id);
                child.needs_place = false;
            }
            RoundOutcome::Waiting(leaves) => {
                if leaves {
                    child.current_setting = None;
                }
                child.needs_place = true;
            }
        }
    }
}

/// The growth assumption in words: the median rate, the spread between draws, the yearly
/// shocks to the level when there are any.
fn growth_assumption(g: &Growth) -> String {
    let three = ((g.walk_sd.powi(2) * 3.0 + (g.rate_sd * 3.0).powi(2)).sqrt() * super::demand::Z80)
        .exp()
        - 1.0;
    let level = if g.walk_sd > 0.0 {
        format!(
            ", and each year of a draw adds a shock to its level (standard deviation {:.1}%, kept afterwards: a year's surprise in new or ceased plans carries on)",
            g.walk_sd * 100.0
        )
    } else {
        String::new()
    };
    format!(
        "Children with plans grow {:.1}% a year at the median ({}). Each draw grows at its own rate: the log rate varies between draws with a standard deviation of {:.1} points a year, kept for the whole draw{level}, so the 80% band is about ±{:.0}% of plans after 3 years; new plans are drawn around each draw's mean with Poisson-like spread.",
        g.rate * 100.0,
        g.source.trim_end_matches('.'),
        g.rate_sd * 100.0,
        three * 100.0
    )
}

/// The national price bands each scenario that uses them assumes, in words.
fn price_band_assumptions(rules: &RuleSet, scenarios: &[Scenario]) -> Vec<String> {
    let bands = &rules.price_bands;
    scenarios
        .iter()
        .filter_map(|s| Some((s, s.price_bands_from()?)))
        .map(|(s, from)| {
            let kinds: Vec<&str> = bands.settings.iter().map(|k| k.key()).collect();
            format!(
                "Scenario `{}`: from {from} a child with a plan placed in a {} school{} costs the national price of their funding band instead of today's fee ({} price bands, {}: {} a year); `cost.price-bands.difference` is the band prices less today's cost of the same placements. {}",
                s.name,
                kinds.join(" or "),
                if bands.fallback {
                    ", and a fallback placement,"
                } else {
                    ""
                },
                if bands.status.is_empty() { "the" } else { &bands.status },
                if bands.sources.is_empty() { "rules" } else { "price_bands.toml" },
                bands.describe(),
                bands.text,
            )
        })
        .collect()
}

fn assumptions(options: &PlanOptions, fee: i64) -> Vec<String> {
    let g = &options.growth;
    let mut out = vec![
        growth_assumption(g),
        "New plans are shared first over the phases (primary, secondary, post-16) so that each phase grows at the rate (pupils moving up leave room that new plans in their phase fill), then within a phase over the types of setting, to move the phase's mix as the wanted mix of plans moves. Each copies the need profile of a child with a plan in that phase and type of setting, lives within 2 km of that child, has a year group drawn from England's new plans by age in 2024 (DfE SEN2; reception 16%, year 1 14%, year 7 8%, …) within the phase, and asks for a place of that type: that child's setting first, then the two nearest other settings of the type serving their year (the parents' preferences). The need mix drifts by the scenario's need_drift.".into(),
        "A new plan in a mainstream school is a pupil already on that school's roll (SEN support → EHC plan): the school's pupils without plans fall by one, its roll does not grow.".into(),
        format!(
            "Plans end with probability {:.0}%, {:.0}% and {:.0}% on moving into years 12, 13 and 14, and year 14 stands for ages 19–25, where a plan ends with the last chance each year. Moves between settings happen in the placement round: transfers into years R, 7 and 12, settings that no longer suit, closures.",
            g.leave_at[0] * 100.0,
            g.leave_at[1] * 100.0,
            g.leave_at[2] * 100.0
        ),
        "Each year, children asking for a place (new plans, those still waiting), transfers into years R, 7 and 12, and children whose setting is no longer suitable are placed area-wide (min-cost flow, or HiGHS with a budget cap) under the rules, the least-cost way (the parents' named settings weigh in through their score, not first as in `place`'s default); everyone else keeps their place. Children with a plan educated elsewhere (elective home education, other arrangements) stay so.".into(),
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
        let changes = share_changes_in_words(&g.share_change);
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
