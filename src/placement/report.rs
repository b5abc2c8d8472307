//! The placement report: per-child placements with reasons, unplaced children with reasons,
//! shortfall by need, phase and locality, and totals.

use super::bottlenecks::{Bottlenecks, PlaceFor, bottlenecks};
use super::{
    Mode,
    round::{Round, RoundReason},
};
use crate::engine::Engine;
use crate::lists::round2;
use crate::model::{Phase, SettingKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The solver of a placement run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Solver {
    /// The crate's own network simplex (no side constraints).
    MinCostFlow,
    /// The good_lp model solved by HiGHS (side constraints, or asked for).
    Highs,
    /// Deferred acceptance, for a stable placement.
    DeferredAcceptance,
}

/// How a placement solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunStatus {
    /// A proven optimum of the objective.
    Optimal,
    /// HiGHS stopped at its time limit with a feasible placement (see the gap).
    TimeLimit,
    /// A stable placement (no child and setting would both rather swap).
    Stable,
}

impl Solver {
    /// The name used in reports.
    pub fn key(self) -> &'static str {
        match self {
            Solver::MinCostFlow => "min-cost-flow",
            Solver::Highs => "highs",
            Solver::DeferredAcceptance => "deferred-acceptance",
        }
    }
}

impl RunStatus {
    /// The name used in reports.
    pub fn key(self) -> &'static str {
        match self {
            RunStatus::Optimal => "optimal",
            RunStatus::TimeLimit => "time-limit",
            RunStatus::Stable => "stable",
        }
    }
}

impl std::fmt::Display for Solver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::fmt::Display for RunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// How the run went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The placement mode.
    pub mode: Mode,
    /// The solver that made the placement.
    pub solver: Solver,
    /// How the solve ended.
    pub status: RunStatus,
    /// The relative MIP gap HiGHS reported (HiGHS runs only).
    pub gap: Option<f64>,
    /// The objective as the README and the rules define it, in the rules' placement units:
    /// the sum of [`ObjectiveTerms`] over the placements made and the children left unplaced.
    pub objective: f64,
    /// The objective's parts.
    pub objective_terms: ObjectiveTerms,
    /// For stable mode: blocking pairs found by the stability check (0 = stable).
    pub blocking_pairs: Option<usize>,
}

/// The parts of the placement objective (`rules/…/placement.toml` weights): over the
/// placements made, `−per_score_point × score`, `per_travel_minute × minutes` and
/// `per_thousand_pounds × annual cost in £k`; and `unplaced_penalty` per child left unplaced.
/// Lower is better. (The solver works on these costs rounded to hundredths of a unit and
/// shifted by a constant per child, which changes no decision; the report gives the
/// unshifted, unrounded figures.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveTerms {
    /// `−per_score_point × Σ score` (negative: a higher score lowers the objective).
    pub score: f64,
    /// `per_travel_minute × Σ minutes`.
    pub travel: f64,
    /// `per_thousand_pounds × Σ annual cost / £1,000`.
    pub money: f64,
    /// `unplaced_penalty × children unplaced`.
    pub unplaced: f64,
}

impl ObjectiveTerms {
    /// The objective: the sum of the parts.
    pub fn total(&self) -> f64 {
        self.score + self.travel + self.money + self.unplaced
    }
}

/// The objective terms of `pool_of_child` (one entry per child of the round) on `round`.
pub(super) fn objective_terms(
    engine: &Engine<'_>,
    round: &Round,
    pool_of_child: &[Option<u32>],
) -> ObjectiveTerms {
    let w = &engine.rules.rules.placement;
    let problem = &round.problem;
    let ranges = problem.candidate_ranges();
    let (mut score, mut minutes, mut pounds, mut unplaced) = (0.0, 0.0, 0i64, 0usize);
    for (i, choice) in pool_of_child.iter().enumerate() {
        let placed = choice.and_then(|pool| {
            ranges[i]
                .clone()
                .find(|&k| problem.candidates[k].pool == pool)
        });
        match placed {
            Some(k) => {
                score += round.scores[k];
                minutes += round.minutes[k];
                pounds += problem.candidates[k].pounds;
            }
            None => unplaced += 1,
        }
    }
    ObjectiveTerms {
        score: -w.per_score_point * score,
        travel: w.per_travel_minute * minutes,
        money: w.per_thousand_pounds * pounds as f64 / 1000.0,
        unplaced: w.unplaced_penalty * unplaced as f64,
    }
}

/// A preference that could not be honoured first, with the statutory ground.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreferenceException {
    /// The child (pseudonymous id).
    pub child: String,
    /// The setting the parents named (id).
    pub setting: String,
    /// Its position in the parents' preferences (1 = first).
    pub preference: usize,
    /// The statutory ground, e.g. `s.39(4)(a) unsuitable`.
    pub ground: String,
    /// The reason, in words.
    pub reason: String,
}

/// One child's placement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildPlacement {
    /// The child (pseudonymous id).
    pub child: String,
    /// Year group, e.g. `Y7`.
    pub year: String,
    /// Primary need (code).
    pub primary_need: String,
    /// Home locality.
    pub locality: String,
    /// Why the child was in the round.
    pub in_round_because: RoundReason,
    /// The setting placed at (id).
    pub setting: String,
    /// Its name.
    pub setting_name: String,
    /// Its kind.
    pub kind: SettingKind,
    /// The pool placed in.
    pub pool: String,
    /// The rules' score of the pair.
    pub score: f64,
    /// Journey time from home, minutes.
    pub minutes: f64,
    /// Annual cost of the place, pounds.
    pub annual_cost: i64,
    /// Position in the parents' preferences, if they named this setting.
    pub preference: Option<usize>,
    /// Why this setting, in words.
    pub why: String,
    /// Suitable settings with a higher score whose pool was full after placement.
    pub better_but_full: Vec<String>,
    /// True when the journey is beyond the rules' journey ceiling at a setting exempt for its
    /// boarding places: a residential placement.
    #[serde(default, skip_serializing_if = "crate::lists::is_false")]
    pub residential: bool,
}

/// A child left without a place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnplacedChild {
    /// The child (pseudonymous id).
    pub child: String,
    /// Year group, e.g. `Y7`.
    pub year: String,
    /// Phase of education.
    pub phase: Phase,
    /// Primary need (code).
    pub primary_need: String,
    /// Home locality.
    pub locality: String,
    /// Suitable settings with a pool for the child's year.
    pub suitable_settings: usize,
    /// Why no place, in words.
    pub reason: String,
    /// The binding set the child is in (its number in [`PlacementReport::bottlenecks`]), if any.
    pub binding_set: Option<usize>,
    /// The setting where one more place would place this child (see [`super::Bottleneck`]).
    pub add_place_at: Option<String>,
}

/// Summary figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Children in the area.
    pub children: usize,
    /// Children keeping their current place (not in the round).
    pub keeping_place: usize,
    /// Children in the round.
    pub in_round: usize,
    /// Children of the round placed.
    pub placed: usize,
    /// Children of the round left without a place.
    pub unplaced: usize,
    /// Placed as a percentage of the round.
    pub placed_percent: f64,
    /// Annual cost of the placements made, pounds.
    pub annual_cost: i64,
    /// Mean journey time of the placements made, minutes.
    pub mean_minutes: f64,
    /// Longest journey time of a placement made, minutes.
    pub max_minutes: f64,
    /// Placements beyond the journey-time guidance.
    pub beyond_guidance: usize,
    /// Share of the placements made that are in mainstream settings (0 to 1).
    pub mainstream_share: f64,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacementReport {
    /// The version of this output's JSON form, [`crate::SCHEMA_VERSION`].
    #[serde(deserialize_with = "crate::explain::schema::read")]
    pub schema_version: u32,
    /// The legal regime of the round (`cfa2014` when read from a report written before
    /// regimes).
    #[serde(default)]
    pub regime: crate::model::Regime,
    /// How the run was made (mode, solver, status, objective).
    pub run: RunInfo,
    /// Counts and costs over the area.
    pub totals: Totals,
    /// One row per placed child, by child id.
    pub placements: Vec<ChildPlacement>,
    /// Children left without a suitable place, with reasons.
    pub unplaced: Vec<UnplacedChild>,
    /// Unplaced counts by primary need, by phase and by home locality.
    pub shortfall_by_need: BTreeMap<String, usize>,
    /// Unplaced counts by phase.
    pub shortfall_by_phase: BTreeMap<String, usize>,
    /// Unplaced counts by home locality.
    pub shortfall_by_locality: BTreeMap<String, usize>,
    /// Parental preferences not met, with the statutory exception.
    pub preference_exceptions: Vec<PreferenceException>,
    /// Where places bind: the sets of children left unplaced for want of places, the full
    /// pools they compete for, and the fewest places to add to place them.
    pub bottlenecks: Bottlenecks,
    /// Children with EHC plans by type of placement after the round (see [`super::Mix`]).
    #[serde(default)]
    pub mix: super::Mix,
    /// The authority's published mix to compare with, when asked for (`--stats`, `--la`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_mix: Option<super::PublishedMix>,
    /// Places left in each pool after placement: (setting, pool) → free, by the engine's
    /// indices (for marking lists after the round; not output).
    #[serde(skip)]
    pub(crate) remaining: BTreeMap<(usize, usize), u32>,
    /// Area child index → chosen (setting, pool), for children in the round (for the plan's
    /// next year and the lists; not output).
    #[serde(skip)]
    pub(crate) chosen: BTreeMap<usize, Option<(usize, usize)>>,
}

pub(super) fn build(
    engine: &Engine<'_>,
    round: &Round,
    pool_of_child: &[Option<u32>],
    preference_exceptions: Vec<PreferenceException>,
    run: RunInfo,
) -> PlacementReport {
    let problem = &round.problem;
    let mut remaining: Vec<u32> = problem.pools.iter().map(|p| p.free).collect();
    for pool in pool_of_child.iter().flatten() {
        remaining[*pool as usize] = remaining[*pool as usize].saturating_sub(1);
    }
    let ranges = problem.candidate_ranges();
    let (bottlenecks, place_for) = bottlenecks(engine, round, pool_of_child);
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    let mut totals = Totals {
        children: engine.area.children.len(),
        keeping_place: round.keeping,
        in_round: round.children.len(),
        ..Totals::default()
    };
    let mut chosen = BTreeMap::new();
    let mut mainstream = 0usize;
    for (i, &c) in round.children.iter().enumerate() {
        let cands = ranges[i].clone();
        match pool_of_child[i] {
            Some(pool) => {
                let (line, k, (s, p)) = placed_child(engine, round, &remaining, i, cands, pool);
                let setting = &engine.area.settings[s];
                totals.placed += 1;
                totals.annual_cost += problem.candidates[k].pounds;
                totals.mean_minutes += round.minutes[k];
                totals.max_minutes = totals.max_minutes.max(round.minutes[k]);
                if round.minutes[k] > engine.children[c].guidance_minutes {
                    totals.beyond_guidance += 1;
                }
                if setting.kind.is_mainstream() {
                    mainstream += 1;
                }
                chosen.insert(c, Some((s, p)));
                placements.push(line);
            }
            None => {
                chosen.insert(c, None);
                unplaced.push(unplaced_child(engine, c, cands, place_for[i].as_ref()));
            }
        }
    }
    totals.unplaced = unplaced.len();
    if totals.placed > 0 {
        totals.mean_minutes = round2(totals.mean_minutes / totals.placed as f64);
        totals.mainstream_share = round2(mainstream as f64 / totals.placed as f64);
    }
    totals.max_minutes = round2(totals.max_minutes);
    if totals.in_round > 0 {
        totals.placed_percent = round2(100.0 * totals.placed as f64 / totals.in_round as f64);
    }
    let (by_need, by_phase, by_locality) = shortfalls(&unplaced);
    let remaining = round
        .pools
        .iter()
        .enumerate()
        .map(|(i, &sp)| (sp, remaining[i]))
        .collect();
    let mix = super::Mix::after_round(engine, &chosen);
    PlacementReport {
        schema_version: crate::explain::SCHEMA_VERSION,
        regime: round.regime,
        mix,
        published_mix: None,
        run,
        totals,
        placements,
        unplaced,
        shortfall_by_need: by_need,
        shortfall_by_phase: by_phase,
        shortfall_by_locality: by_locality,
        preference_exceptions,
        bottlenecks,
        remaining,
        chosen,
    }
}

/// A placed child's line of the report: the setting, pool, score, journey and cost, and why
/// (residential, parents' preference, higher-scored settings full or with room); with the
/// candidate chosen and its (setting, pool).
fn placed_child(
    engine: &Engine<'_>,
    round: &Round,
    remaining: &[u32],
    i: usize,
    cands: std::ops::Range<usize>,
    pool: u32,
) -> (ChildPlacement, usize, (usize, usize)) {
    let problem = &round.problem;
    let c = round.children[i];
    let child = &engine.area.children[c];
    let k = cands
        .clone()
        .find(|&k| problem.candidates[k].pool == pool)
        .expect("placed on a candidate");
    let (s, p) = round.pools[pool as usize];
    let setting = &engine.area.settings[s];
    let score = round.scores[k];
    let better_but_full: Vec<String> = cands
        .clone()
        .filter(|&j| {
            round.scores[j] > score + 1e-9 && remaining[problem.candidates[j].pool as usize] == 0
        })
        .map(|j| {
            engine.area.settings[round.pools[problem.candidates[j].pool as usize].0]
                .id
                .0
                .clone()
        })
        .collect();
    let higher_with_room = cands
        .clone()
        .filter(|&j| {
            round.scores[j] > score + 1e-9 && remaining[problem.candidates[j].pool as usize] > 0
        })
        .count();
    let preference = engine.children[c]
        .preferences
        .iter()
        .position(|&x| x as usize == s)
        .map(|r| r + 1);
    let mut why = format!(
        "suitable (score {:.1}), {:.0} min away, {}",
        score,
        round.minutes[k],
        crate::model::Pounds(problem.candidates[k].pounds)
    );
    let residential = engine.is_residential(c, s);
    if residential {
        why.push_str("; residential (beyond the day-journey ceiling)");
    }
    if let Some(r) = preference {
        why.push_str(&format!("; parents' preference {r}"));
    }
    if !better_but_full.is_empty() {
        why.push_str(&format!(
            "; {} higher-scored setting(s) full",
            better_but_full.len()
        ));
    }
    if higher_with_room > 0 {
        why.push_str(&format!("; {higher_with_room} higher-scored setting(s) with room cost more in travel or money, or serve others better"));
    }
    let line = ChildPlacement {
        child: child.id.0.clone(),
        year: child.year.to_string(),
        primary_need: child.primary_need.to_string(),
        locality: child.locality.clone(),
        in_round_because: round.reasons[i],
        setting: setting.id.0.clone(),
        setting_name: setting.name.clone(),
        kind: setting.kind,
        pool: setting.pools[p].id.0.clone(),
        score: round2(score),
        minutes: round2(round.minutes[k]),
        annual_cost: problem.candidates[k].pounds,
        preference,
        why,
        better_but_full,
        residential,
    };
    (line, k, (s, p))
}

/// An unplaced child's line of the report: why (no suitable setting with a pool for the year
/// group, the nearest beyond the journey ceiling, or every suitable setting full) and where
/// one more place would place them.
fn unplaced_child(
    engine: &Engine<'_>,
    c: usize,
    cands: std::ops::Range<usize>,
    place_for: Option<&PlaceFor>,
) -> UnplacedChild {
    let child = &engine.area.children[c];
    let n = cands.len();
    let reason = if n == 0 {
        match crate::lists::nearest_pool_beyond_ceiling(engine, c) {
            Some(b) => format!(
                "needs provision: no suitable setting with a pool for this year group within the journey ceiling ({}); the nearest beyond it is {} ({}), {:.0} min away",
                b.rule, b.name, b.setting, b.journey.minutes
            ),
            None => "no suitable setting has a pool for this year group".to_string(),
        }
    } else {
        format!("all {n} suitable setting(s) are full")
    };
    UnplacedChild {
        child: child.id.0.clone(),
        year: child.year.to_string(),
        phase: child.year.phase(),
        primary_need: child.primary_need.to_string(),
        locality: child.locality.clone(),
        suitable_settings: n,
        reason,
        binding_set: place_for.map(|p| p.set),
        add_place_at: place_for.map(|p| p.setting.clone()),
    }
}

/// Unplaced children by one of need, phase or locality.
type ShortfallCounts = BTreeMap<String, usize>;

/// Unplaced children by primary need, phase and home locality.
fn shortfalls(unplaced: &[UnplacedChild]) -> (ShortfallCounts, ShortfallCounts, ShortfallCounts) {
    let mut by_need = BTreeMap::new();
    let mut by_phase = BTreeMap::new();
    let mut by_locality = BTreeMap::new();
    for u in unplaced {
        *by_need.entry(u.primary_need.clone()).or_insert(0) += 1;
        *by_phase.entry(u.phase.to_string()).or_insert(0) += 1;
        *by_locality
            .entry(if u.locality.is_empty() {
                "(none)".into()
            } else {
                u.locality.clone()
            })
            .or_insert(0) += 1;
    }
    (by_need, by_phase, by_locality)
}
