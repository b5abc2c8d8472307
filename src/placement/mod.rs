//! Area-wide placement: with the places that exist, where would every child who needs a place
//! best go, who is left without a suitable place, and what does it cost?
//!
//! The plain problem is a transportation problem solved exactly by the min-cost-flow core;
//! side constraints (budget, mainstream share, locality caps, siblings together) go to the
//! good_lp/HiGHS model. Parental preference can be honoured first (s.39), and a stable
//! (deferred-acceptance) matching is available for comparison.

mod bottlenecks;
mod mix;
mod report;
mod round;

pub use bottlenecks::{Bottleneck, Bottlenecks, PoolRef};
pub use mix::{Mix, PublishedMix};
pub use report::*;
pub use round::{Round, RoundPolicy, RoundReason, build_round, round_reason};

use crate::cancel::Cancel;
use crate::engine::Engine;
use crate::lists::{PlaceStatus, PreferenceTest, cheapest_by_group, test_preference};
use crate::model::Regime;
use crate::rules::FundingGroup;
use crate::session::limits::OptionError;
use crate::solve::lp::{LpOptions, LpStatus, solve_lp_cancellable};
use crate::solve::problem::{Assignment, SideConstraints};
use crate::solve::{assign, stable};
use serde::{Deserialize, Serialize};

/// How to place. The default is [`Mode::PreferenceFirst`]: today's law (Children and Families
/// Act 2014 s.39) names the setting the parents ask for unless it is unsuitable, has no place or
/// an exception applies, so a round that stands for what an authority would do starts there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Minimum total objective over everyone in the round: preferences count only through
    /// their score, so a child may be placed away from a suitable named setting with room. A
    /// planning comparison ("the best the places could do"), not what the law requires.
    Optimal,
    /// Honour suitable preferred settings with a place first (s.39), then optimise the rest.
    #[default]
    PreferenceFirst,
    /// Children-proposing deferred acceptance; no child and pool would both rather swap.
    Stable,
}

impl Mode {
    /// Every mode's name, as the command line, the web API and Python accept it.
    pub const NAMES: [&'static str; 3] = ["optimal", "preference-first", "stable"];

    /// The mode's name (`optimal`, `preference-first` or `stable`).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Optimal => "optimal",
            Mode::PreferenceFirst => "preference-first",
            Mode::Stable => "stable",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A mode name that is not one of [`Mode::NAMES`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown mode `{found}`; expected optimal, preference-first or stable{}", hint(.suggestion))]
pub struct UnknownMode {
    /// The name given.
    pub found: String,
    /// The closest mode name, if any (`did you mean ...?`).
    pub suggestion: Option<String>,
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default()
}

impl std::str::FromStr for Mode {
    type Err = UnknownMode;

    /// ```
    /// use placewise::Mode;
    /// assert_eq!("preference-first".parse::<Mode>(), Ok(Mode::PreferenceFirst));
    /// assert_eq!(Mode::default().to_string(), "preference-first");
    /// let err = "stabel".parse::<Mode>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "unknown mode `stabel`; expected optimal, preference-first or stable (did you mean `stable`?)"
    /// );
    /// ```
    fn from_str(text: &str) -> Result<Mode, UnknownMode> {
        [Mode::Optimal, Mode::PreferenceFirst, Mode::Stable]
            .into_iter()
            .find(|m| m.name() == text)
            .ok_or_else(|| UnknownMode {
                found: text.to_string(),
                suggestion: crate::diag::did_you_mean(text, Mode::NAMES),
            })
    }
}

/// Options for a placement run; the default grants the parents' named settings first.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlacementOptions {
    /// What the placement optimises (see [`Mode`]).
    pub mode: Mode,
    /// Which children enter the round, how far a candidate may be and under which regime.
    pub(crate) policy: RoundPolicy,
    /// Side constraints (budget, mainstream share, locality caps, siblings); any of them selects the HiGHS model.
    pub(crate) side: SideConstraints,
    /// Use the HiGHS model even without side constraints.
    pub force_lp: bool,
    /// HiGHS time limit and MIP gap.
    pub(crate) lp: LpOptions,
}

impl PlacementOptions {
    /// The default options under `mode`.
    pub fn new(mode: Mode) -> PlacementOptions {
        PlacementOptions {
            mode,
            ..PlacementOptions::default()
        }
    }

    /// Caps the summed annual cost of the placements made in the round (pounds, 0 or more).
    ///
    /// ```
    /// use placewise::{Mode, PlacementOptions};
    /// assert!(PlacementOptions::new(Mode::Optimal).with_budget(2_500_000).is_ok());
    /// let err = PlacementOptions::default().with_budget(-1).unwrap_err();
    /// assert_eq!(err.option, "budget");
    /// ```
    pub fn with_budget(mut self, pounds: i64) -> Result<PlacementOptions, OptionError> {
        self.side.budget_pounds = Some(crate::session::limits::budget(pounds)?);
        Ok(self)
    }

    /// Places at least this share (0 to 1) of the placed children in mainstream settings.
    pub fn with_min_mainstream_share(
        mut self,
        share: f64,
    ) -> Result<PlacementOptions, OptionError> {
        let share = crate::session::limits::share("min_mainstream_share", share)?;
        self.side.min_mainstream_share = Some(share);
        Ok(self)
    }

    /// Places the children of one sibling group in the same setting, or none of them.
    pub fn with_siblings_together(mut self, together: bool) -> PlacementOptions {
        self.side.keep_siblings_together = together;
        self
    }

    /// The legal regime the round follows (today's `cfa2014` by default).
    pub fn with_regime(mut self, regime: Regime) -> PlacementOptions {
        self.policy.regime = regime;
        self
    }

    /// Offers only settings within this journey time (minutes), besides the parents' named
    /// settings and the current one.
    pub fn with_reach_minutes(mut self, minutes: f64) -> Result<PlacementOptions, OptionError> {
        self.policy.reach_minutes = Some(crate::session::limits::reach_minutes(minutes)?);
        Ok(self)
    }

    /// The budget cap, if any.
    pub fn budget(&self) -> Option<i64> {
        self.side.budget_pounds
    }

    /// The least mainstream share, if any.
    pub fn min_mainstream_share(&self) -> Option<f64> {
        self.side.min_mainstream_share
    }

    /// Whether sibling groups are kept together.
    pub fn siblings_together(&self) -> bool {
        self.side.keep_siblings_together
    }

    /// The legal regime.
    pub fn regime(&self) -> Regime {
        self.policy.regime
    }

    /// The round's policy, for this crate's tests and developer tools.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn policy_mut(&mut self) -> &mut RoundPolicy {
        &mut self.policy
    }

    /// The side constraints, for this crate's tests and developer tools.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn side_mut(&mut self) -> &mut SideConstraints {
        &mut self.side
    }

    /// The HiGHS options, for this crate's tests and developer tools.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn lp_mut(&mut self) -> &mut LpOptions {
        &mut self.lp
    }
}

/// A placement failure that is not about the input data.
#[derive(Debug, thiserror::Error)]
pub enum PlacementError {
    /// The min-cost-flow solver failed (an internal error).
    #[error("min-cost-flow solver: {0}")]
    Flow(#[from] crate::solve::flow::FlowError),
    /// HiGHS failed or stopped without a solution.
    #[error("HiGHS model: {0}")]
    Lp(#[from] crate::solve::lp::LpError),
    /// The side constraints contradict each other; the named one is the one to relax.
    #[error("the side constraints cannot all hold: relax {0}")]
    Infeasible(String),
    /// A combination of options that is not supported.
    #[error("{0}")]
    Unsupported(String),
    /// The run was stopped through its [`Cancel`] flag (or its deadline passed) before it
    /// finished; nothing of it is kept.
    #[error("the run was cancelled before it finished")]
    Cancelled,
}

fn has_side_constraints(side: &SideConstraints) -> bool {
    side.budget_pounds.is_some()
        || side.min_mainstream_share.is_some()
        || !side.locality_max.is_empty()
        || side.keep_siblings_together
}

/// When a budget cap is the only side constraint, the flow's optimal assignment if it spends
/// no more than the cap (`None` otherwise, or with other side constraints).
fn flow_within_budget(
    problem: &crate::solve::problem::PlacementProblem,
    side: &SideConstraints,
) -> Result<Option<Assignment>, PlacementError> {
    let Some(budget) = side.budget_pounds else {
        return Ok(None);
    };
    let only_budget = SideConstraints {
        budget_pounds: Some(budget),
        ..SideConstraints::default()
    };
    if *side != only_budget {
        return Ok(None);
    }
    let a = assign::solve_assignment(problem)?;
    let ranges = problem.candidate_ranges();
    let spend: i64 = a
        .pool_of_child
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = (*p)?;
            problem.candidates[ranges[i].clone()]
                .iter()
                .find(|c| c.pool == p)
                .map(|c| c.pounds)
        })
        .sum();
    Ok((spend + problem.fixed.pounds <= budget).then_some(a))
}

/// Runs a placement on the engine's area.
pub fn place(
    engine: &Engine<'_>,
    options: &PlacementOptions,
) -> Result<PlacementReport, PlacementError> {
    place_cancellable(engine, options, &Cancel::new())
}

/// How long after a cancellable run's deadline HiGHS's own time limit falls (see
/// [`place_cancellable`]).
const TIME_LIMIT_AFTER_DEADLINE_SECONDS: f64 = 10.0;

/// [`PlacementError::Cancelled`] once `cancel` is set or past its deadline.
fn checkpoint(cancel: &Cancel) -> Result<(), PlacementError> {
    if cancel.is_cancelled() {
        Err(PlacementError::Cancelled)
    } else {
        Ok(())
    }
}

/// [`place`], stopping with [`PlacementError::Cancelled`] when `cancel` is set: it is checked
/// between the phases (round, preferences, solve, report), HiGHS checks it while it solves (at
/// each simplex, interior-point and branch-and-bound step), and the HiGHS model's time limit is
/// cut to ten seconds past `cancel`'s deadline (which bounds presolve and sub-MIPs, where HiGHS
/// does not check).
pub fn place_cancellable(
    engine: &Engine<'_>,
    options: &PlacementOptions,
    cancel: &Cancel,
) -> Result<PlacementReport, PlacementError> {
    checkpoint(cancel)?;
    let mut round = build_round(engine, &options.policy);
    checkpoint(cancel)?;
    // Honouring preferences edits the round; the report is made against the round as built.
    let original = (options.mode == Mode::PreferenceFirst).then(|| round.clone());
    let side = has_side_constraints(&options.side);
    let mut honoured: Vec<(usize, u32)> = Vec::new();
    let mut exceptions = Vec::new();
    if options.mode == Mode::PreferenceFirst {
        (honoured, exceptions) = honour_preferences(engine, &mut round, &options.side);
    }
    let (assignment, solver, status, gap) = if options.mode == Mode::Stable {
        if side {
            return Err(PlacementError::Unsupported(
                "stable mode takes no side constraints".into(),
            ));
        }
        (
            stable::solve_stable(&round.problem),
            Solver::DeferredAcceptance,
            RunStatus::Stable,
            None,
        )
    } else if let Some(a) = (!options.force_lp)
        .then(|| flow_within_budget(&round.problem, &options.side))
        .transpose()?
        .flatten()
    {
        // The budget is the only side constraint and the flow's optimum keeps within it: the
        // flow solves a relaxation of the budgeted model with the same objective, so its
        // optimum is the budgeted optimum too.
        (a, Solver::MinCostFlow, RunStatus::Optimal, None)
    } else if side || options.force_lp {
        let mut lp = options.lp.clone();
        if let Some(left) = cancel.remaining() {
            // The interrupt stops HiGHS at the deadline; the time limit, set well after it,
            // bounds only the phases that do not check it (presolve, sub-MIPs). Not at the
            // deadline itself: on the placement model, an LP stopped by the time limit (in the
            // main MIP or in a sub-MIP) sets off a conflict analysis that does not check the
            // clock and runs for seconds (measured: a 1 s limit ended after 12–15 s; the
            // interrupt, 0.1–0.4 s late). Sub-MIPs take 1–3 s here, so the limit stays clear of
            // them.
            lp.time_limit_seconds = lp
                .time_limit_seconds
                .min(left.as_secs_f64() + TIME_LIMIT_AFTER_DEADLINE_SECONDS);
        }
        let outcome = solve_lp_cancellable(&round.problem, &options.side, &lp, cancel)?;
        // A solve cut short by the deadline is no answer to the run that was asked for.
        checkpoint(cancel)?;
        match outcome.status {
            LpStatus::Interrupted => return Err(PlacementError::Cancelled),
            LpStatus::Infeasible { blame } => {
                return Err(PlacementError::Infeasible(blame.join(", ")));
            }
            LpStatus::Optimal => match outcome.assignment {
                Some(a) => (a, Solver::Highs, RunStatus::Optimal, None),
                // A relaxation can be optimal with fractional values; that is no placement.
                None => {
                    return Err(PlacementError::Unsupported(
                        "the HiGHS model returned no whole-number placement (fractional solution)"
                            .into(),
                    ));
                }
            },
            LpStatus::TimeLimit { gap } => match outcome.assignment {
                Some(a) => (a, Solver::Highs, RunStatus::TimeLimit, gap),
                None => {
                    return Err(PlacementError::Unsupported(
                        "time limit reached before any placement was found".into(),
                    ));
                }
            },
        }
    } else {
        (
            assign::solve_assignment(&round.problem)?,
            Solver::MinCostFlow,
            RunStatus::Optimal,
            None,
        )
    };
    checkpoint(cancel)?;
    // Put the honoured preferences back; report against the round as it was before.
    let mut pool_of_child = assignment.pool_of_child.clone();
    for &(i, pool) in &honoured {
        pool_of_child[i] = Some(pool);
    }
    let round = original.unwrap_or(round);
    let blocking = (options.mode == Mode::Stable).then(|| {
        stable::blocking_pairs(
            &round.problem,
            &Assignment {
                pool_of_child: pool_of_child.clone(),
                objective: 0,
            },
        )
        .len()
    });
    let objective_terms = report::objective_terms(engine, &round, &pool_of_child);
    Ok(report::build(
        engine,
        &round,
        &pool_of_child,
        exceptions,
        RunInfo {
            mode: options.mode,
            solver,
            status,
            gap,
            objective: objective_terms.total(),
            objective_terms,
            blocking_pairs: blocking,
        },
    ))
}

/// s.39 first: each child's first suitable preferred setting with a place and no stated
/// exception is granted, in order of preference rank, then score, then child id; the places are
/// taken out of the pools and the children out of the optimisation (their candidates removed).
///
/// With siblings kept together, a child with a sibling in the round is not granted apart: the
/// joint solve places the group, the preference counting through its score.
fn honour_preferences(
    engine: &Engine<'_>,
    round: &mut Round,
    side: &SideConstraints,
) -> (Vec<(usize, u32)>, Vec<PreferenceException>) {
    let mut requests = Vec::new();
    let mut exceptions = Vec::new();
    let ranges = round.problem.candidate_ranges();
    let with_siblings = if side.keep_siblings_together {
        round.problem.shared_sibling_groups()
    } else {
        Default::default()
    };
    for (i, &c) in round.children.iter().enumerate() {
        if round.problem.children[i]
            .sibling_group
            .is_some_and(|g| with_siblings.contains(&g))
        {
            continue;
        }
        let cands: Vec<usize> = ranges[i].clone().collect();
        let pool_of = |k: usize| round.problem.candidates[k].pool as usize;
        let cheapest = cheapest_by_group(
            engine,
            c,
            cands.iter().map(|&k| round.pools[pool_of(k)].0),
            |s| {
                cands.iter().any(|&k| {
                    round.pools[pool_of(k)].0 == s && round.problem.pools[pool_of(k)].free > 0
                })
            },
        );
        for (r, &s) in engine.children[c].preferences.iter().enumerate() {
            let s = s as usize;
            let setting = &engine.area.settings[s];
            let cand = cands
                .iter()
                .copied()
                .find(|&k| round.pools[pool_of(k)].0 == s);
            // Capacity is tested when requests are granted, in order, below.
            let free = u32::from(cand.is_some());
            let (ground, reason) = match test_preference(
                engine,
                c,
                s,
                free,
                cheapest[FundingGroup::of(setting.kind) as usize],
            ) {
                PreferenceTest::Named => match cand {
                    Some(k) => {
                        requests.push((
                            r,
                            -round.scores[k],
                            engine.area.children[c].id.clone(),
                            i,
                            k,
                        ));
                        break;
                    }
                    None => (
                        "s.39(4)(a) unsuitable",
                        "no place pool serves the child's year group".to_string(),
                    ),
                },
                PreferenceTest::NotCovered(reason) => ("not-s39", reason),
                PreferenceTest::Exception(ground, reason) => (ground, reason),
            };
            exceptions.push(PreferenceException {
                child: engine.area.children[c].id.0.clone(),
                setting: setting.id.0.clone(),
                preference: r + 1,
                ground: ground.to_string(),
                reason,
            });
        }
    }
    let honoured = grant_requests(engine, round, requests, &mut exceptions);
    take_out_honoured(round, &honoured);
    exceptions.sort_by(|a, b| a.child.cmp(&b.child).then(a.preference.cmp(&b.preference)));
    (honoured, exceptions)
}

/// A preference to grant: its rank, minus its score, the child's id, the child's index in the
/// round and the candidate.
type PreferenceRequest = (usize, f64, crate::model::ChildId, usize, usize);

/// Grants the preferences requested, in order of preference rank, then score, then child id,
/// each taking a place from its pool and counting towards the side constraints; a request
/// for a pool already full is an exception when the rules say so. The children granted, with
/// their pools.
fn grant_requests(
    engine: &Engine<'_>,
    round: &mut Round,
    mut requests: Vec<PreferenceRequest>,
    exceptions: &mut Vec<PreferenceException>,
) -> Vec<(usize, u32)> {
    requests.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut honoured = Vec::new();
    for (r, _, id, i, k) in requests {
        let pool = round.problem.candidates[k].pool;
        if engine.rules.rules.statutory.full_is_exception
            && round.problem.pools[pool as usize].free == 0
        {
            let s = round.pools[pool as usize].0;
            exceptions.push(PreferenceException {
                child: id.0.clone(),
                setting: engine.area.settings[s].id.0.clone(),
                preference: r + 1,
                ground: "s.39(4)(b) efficient education of others".into(),
                reason: "no place left in the pool once earlier requests were met".into(),
            });
            continue;
        }
        round.problem.pools[pool as usize].free =
            round.problem.pools[pool as usize].free.saturating_sub(1);
        let fixed = &mut round.problem.fixed;
        let p = &round.problem.pools[pool as usize];
        fixed.placed += 1;
        fixed.mainstream += u32::from(p.mainstream);
        fixed.pounds += round.problem.candidates[k].pounds;
        match fixed
            .by_locality
            .binary_search_by_key(&p.locality, |&(l, _)| l)
        {
            Ok(at) => fixed.by_locality[at].1 += 1,
            Err(at) => fixed.by_locality.insert(at, (p.locality, 1)),
        }
        honoured.push((i, pool));
    }
    honoured
}

/// Takes the children granted their preference out of the optimisation: their candidates go,
/// and they carry no unplaced penalty.
fn take_out_honoured(round: &mut Round, honoured: &[(usize, u32)]) {
    let fixed: std::collections::BTreeSet<u32> = honoured.iter().map(|(i, _)| *i as u32).collect();
    let keep: Vec<bool> = round
        .problem
        .candidates
        .iter()
        .map(|c| !fixed.contains(&c.child))
        .collect();
    let mut it = keep.iter();
    round.problem.candidates.retain(|_| *it.next().unwrap());
    let mut it = keep.iter();
    round.scores.retain(|_| *it.next().unwrap());
    let mut it = keep.iter();
    round.minutes.retain(|_| *it.next().unwrap());
    // Honoured children are placed outside the solver: give them no unplaced penalty.
    for &(i, _) in honoured {
        round.problem.children[i].unplaced_cost = 0;
    }
}

/// Marks each listed setting with what the placement leaves: `placed-here` (this child's place
/// after the run, or the place they keep), `places-free`, or `full`.
pub fn mark_lists(
    engine: &Engine<'_>,
    report: &PlacementReport,
    lists: &mut [crate::lists::TailoredList],
) {
    for list in lists {
        let Some(c) = engine.area.child_index(&list.child) else {
            continue;
        };
        let here: Option<usize> = match report.chosen.get(&c) {
            Some(choice) => choice.map(|(s, _)| s),
            None => engine.children[c].current.map(|s| s as usize),
        };
        for e in &mut list.entries {
            let Some(s) = engine.area.setting_index(&e.setting) else {
                continue;
            };
            let year = engine.area.children[c].year;
            let pool = engine.area.settings[s]
                .pools
                .iter()
                .position(|p| p.serves(year));
            e.capacity.after_placement = Some(if here == Some(s) {
                PlaceStatus::PlacedHere
            } else if pool
                .and_then(|p| report.remaining.get(&(s, p)))
                .is_some_and(|&r| r > 0)
            {
                PlaceStatus::PlacesFree
            } else {
                PlaceStatus::Full
            });
        }
    }
}
