//! Rolling a cohort forward one year: ageing, plans that end at 16/18/19, and new plans at a
//! growth rate, shared over the types of setting so that the mix follows the wanted shares.
//! Pure functions of the cohort, the settings and a seeded generator.
//!
//! The accounting: every child with a plan is in exactly one [`PlacementGroup`] (by the kind of
//! their setting; no setting is `Elsewhere`). A new plan for a child in a mainstream school is
//! a pupil already on that school's roll (SEN support → EHC plan): it is returned as a
//! *conversion*, so the caller takes one pupil off the school's pupils without plans instead
//! of adding a pupil. A new plan in any other group has no setting yet and asks for a place
//! like the children it copies.

use crate::engine::SettingLookup;
use crate::io::stats::PlacementGroup;
use crate::model::{ChildId, GridRef, Need, NeedProfile, Setting, SettingId, SettingKind};
use crate::rng::Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// Annual growth of the EHC plan caseload in England, January 2019 to January 2025:
/// 353,995 → 638,745 plans (DfE SEN2, "Education, health and care plans" 2025), i.e.
/// (638745 / 353995)^(1/6) − 1 ≈ 10.3% a year.
pub const ENGLAND_GROWTH_2019_2025: f64 = 0.1033;

/// England's yearly change in the share of plans by type of setting, January 2019–2025, in
/// [`PlacementGroup::ALL`] order: least-squares slopes of the national shares in DfE SEN2
/// caseload by setting (mainstream outside bases 34.2% → 39.7%, resourced provision and units
/// 5.0% → 3.8%, state special 33.6% → 25.0%, independent and non-maintained special 5.0% →
/// 5.3%, AP 0.8%, FE 16.2% → 13.8%, elsewhere 5.3% → 11.5%). Used when no authority's history
/// is given.
pub const ENGLAND_SHARE_CHANGE_2019_2025: [f64; 7] = [
    0.01017, -0.00212, -0.0139, 0.00048, -0.00004, -0.00461, 0.01001,
];

/// The spread of an authority's log growth a year of horizon when no history is given, with no
/// random walk: a round figure a little wider than the demand model's measured spreads at
/// origin 2022 over every authority (persistent growth 0.031 a year and a yearly walk of
/// 0.021, together a width of about 0.10 at 3 years against 0.12 from this alone; `placewise
/// backtest --stats DIR`, README "Back-test").
pub const DEFAULT_RATE_SD: f64 = 0.04;

/// How the cohort changes from one year to the next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Growth {
    /// Net annual growth of the number of children with plans (0.08 = 8%).
    pub rate: f64,
    /// Standard deviation of the log growth rate a year, persistent within a draw: each draw
    /// of a plan grows at `(1 + rate) · e^(z · rate_sd) − 1` with one standard normal `z`, so
    /// bands widen with the horizon. Measured on published history by the demand model's
    /// rolling origins (see [`super::demand`]).
    pub rate_sd: f64,
    /// Standard deviation of a yearly shock to the log number of plans, kept afterwards (a
    /// random walk of the level: a year's surprise in new plans or cessations carries on).
    /// Year `y` of a draw grows at `(1 + rate) · e^(z_y · walk_sd) − 1` with its own standard
    /// normal `z_y`, on top of the draw's persistent rate. Zero by default; the demand model
    /// sets the measured one.
    pub walk_sd: f64,
    /// Relative annual drift of the need mix among new plans, per primary need (0.03 = that
    /// need's share of new plans grows 3% a year relative to the others).
    pub need_drift: BTreeMap<Need, f64>,
    /// Chance that a plan ends when a young person moves into NCY 12, 13 and 14 (ages 16–18);
    /// NCY 14 stands for ages 19–25, and a plan there ends with the third chance each year.
    pub leave_at: [f64; 3],
    /// Yearly change of each group's share of plans ([`PlacementGroup::ALL`] order): the net
    /// movement between types of setting. Zero holds today's mix; the default is England's
    /// 2019–2025 change.
    pub share_change: [f64; 7],
    /// Annual growth of the pupils without plans on school rolls (the pupil projection).
    pub pupils: f64,
    /// Where the rate came from, for the report.
    pub source: String,
}

impl Default for Growth {
    fn default() -> Self {
        Growth {
            rate: ENGLAND_GROWTH_2019_2025,
            rate_sd: DEFAULT_RATE_SD,
            walk_sd: 0.0,
            need_drift: BTreeMap::new(),
            // Assumption: about a fifth of plans end at each post-16 transition (plans cease
            // when a young person leaves education or training); stated in the report.
            leave_at: [0.15, 0.20, 0.30],
            share_change: ENGLAND_SHARE_CHANGE_2019_2025,
            pupils: 0.0,
            source:
                "England 2019–2025 caseload growth and movement between types of setting (DfE SEN2)"
                    .into(),
        }
    }
}

/// Next generator state for a draw: independent streams per (seed, draw).
pub fn draw_seed(seed: u64, draw: u64) -> u64 {
    let mut r = Rng(seed ^ draw.wrapping_mul(0xD1B5_4A32_D192_ED03));
    r.next()
}

/// The group of a child: the kind of their current setting; a child waiting for a place
/// (no setting, asking for one) is counted where their first preference is — the place the
/// round is about to find them — or, asking for no setting in particular (a child an earlier
/// round left without a place, e.g. at a transfer), where the fallback placement puts them, as
/// the metrics count them: an independent or out-of-area special school. Counting them as
/// educated elsewhere would make the demand model write extra plans for the groups they left,
/// so that each child without a place would call for more; `Elsewhere` otherwise.
pub fn group_of(child: &NeedProfile, settings: &[Setting]) -> PlacementGroup {
    group_by(child, |id| {
        settings
            .binary_search_by(|s| s.id.cmp(id))
            .ok()
            .map(|i| settings[i].kind)
    })
}

/// [`group_of`] for many children of the same `settings`: the kinds found through `lookup`.
fn group_in(
    child: &NeedProfile,
    settings: &[Setting],
    lookup: &SettingLookup<'_>,
) -> PlacementGroup {
    group_by(child, |id| {
        lookup.index(id.as_str()).map(|i| settings[i as usize].kind)
    })
}

/// The group of `child`, with `kind_of` the kind of the setting with an id.
fn group_by(
    child: &NeedProfile,
    kind_of: impl Fn(&SettingId) -> Option<SettingKind>,
) -> PlacementGroup {
    let wanted = if child.current_setting.is_none() && child.needs_place {
        if child.preferences.is_empty() {
            return PlacementGroup::IndependentSpecial;
        }
        child.preferences.first()
    } else {
        child.current_setting.as_ref()
    };
    PlacementGroup::of_kind(wanted.and_then(kind_of))
}

/// True for a child with an EHC plan (or a higher rung), false on SEN support.
pub fn has_plan(child: &NeedProfile) -> bool {
    child.plan_level != "sen-support"
}

/// Shares of plans by group.
pub fn group_shares(cohort: &[NeedProfile], settings: &[Setting]) -> [f64; 7] {
    let mut n = [0.0; 7];
    for c in cohort.iter().filter(|c| has_plan(c)) {
        n[group_of(c, settings) as usize] += 1.0;
    }
    let total: f64 = n.iter().sum();
    if total > 0.0 {
        for v in &mut n {
            *v /= total;
        }
    }
    n
}

/// One year's change to the cohort.
#[derive(Clone, Debug, PartialEq)]
pub struct Advance {
    /// The cohort next year, in id order.
    pub cohort: Vec<NeedProfile>,
    /// Settings of new plans written for pupils already on a mainstream roll (one entry per
    /// pupil, with the pupil's year group).
    pub conversions: Vec<(SettingId, crate::model::YearGroup)>,
    /// Plans that ended (post-16 leavers).
    pub ended: usize,
    /// New plans.
    pub new_plans: usize,
}

/// Ages every child by one year, removes leavers, and adds new plans so that the plans grow at
/// `growth.rate` on average. New plans are shared first over the phases (primary, secondary,
/// post-16) so that each phase grows at the rate — ageing leaves room in primary that new
/// primary plans fill, so no phase empties while plans grow — then, within a phase, over the
/// groups to close the gap between the phase's mix moved by the overall change `wanted`
/// (shares of plans next year) and the children already there. Each copies the need profile
/// of a child with a plan in that phase and group, lives near that child, and asks for a
/// setting like that child's; its year group is drawn from England's new plans by age
/// ([`NEW_PLAN_YEAR_WEIGHTS_2024`]), so the youngest years keep being filled as children move
/// up rather than copying the ages of the children already there.
pub fn advance_year(
    cohort: &[NeedProfile],
    settings: &[Setting],
    growth: &Growth,
    wanted: &[f64; 7],
    year_index: u32,
    calendar_year: i32,
    rng: &mut Rng,
) -> Advance {
    let before = cohort.iter().filter(|c| has_plan(c)).count() as f64;
    // Each child's group, found once: ageing changes neither the setting nor whether a child
    // without one is asking for a place, so a child who stays keeps their group.
    let lookup = SettingLookup::new(settings);
    let groups: Vec<PlacementGroup> = (cohort.iter())
        .map(|c| group_in(c, settings, &lookup))
        .collect();
    drop(lookup);
    let (mut next, next_groups, ended) = age_cohort(cohort, &groups, growth, rng);
    // Plans by phase (primary R–6, secondary 7–11, post-16) and group: this year's, and next
    // year's children who stay.
    let now = plans_by_phase(cohort, &groups);
    let staying = plans_by_phase(&next, &next_groups);
    drop(next_groups);
    let kept: f64 = staying.iter().flatten().sum();
    let count = noisy_count((before * (1.0 + growth.rate) - kept).max(0.0), rng);
    let templates = templates_by_phase(cohort, &groups);
    let mut advance = Advance {
        cohort: Vec::new(),
        conversions: Vec::new(),
        ended,
        new_plans: 0,
    };
    if templates.iter().all(BTreeMap::is_empty) || count == 0 {
        advance.cohort = next;
        return advance;
    }
    let per_phase = plans_per_phase(count, &templates, &now, &staying, growth.rate);
    // The wanted mix moves each phase's own mix by the overall relative change of each group.
    let overall: Vec<f64> = (0..7).map(|k| (0..3).map(|p| now[p][k]).sum()).collect();
    let all: f64 = overall.iter().sum::<f64>().max(1.0);
    let mut writer = NewPlanIds {
        settings,
        calendar_year,
        written: 0,
    };
    for (p, &n_phase) in per_phase.iter().enumerate() {
        if n_phase == 0 {
            continue;
        }
        let mix = phase_mix(&now[p], &overall, all, wanted);
        let target = phase_sum(&staying[p]) + n_phase as f64;
        let gap = group_gaps(&templates[p], &mix, &staying[p], target);
        let per_group = crate::rng::largest_remainder(n_phase, &gap);
        for (gi, &n) in per_group.iter().enumerate() {
            let group = PlacementGroup::ALL[gi];
            let weights = need_weights(&templates[p], group, growth, year_index);
            let total: f64 = weights.iter().map(|w| w.1).sum();
            if weights.is_empty() || total <= 0.0 {
                continue;
            }
            for _ in 0..n {
                let need = draw_need(&weights, total, rng);
                let pool = &templates[p][&(group, need)];
                let t = pool[rng.below(pool.len() as u64) as usize];
                next.push(writer.new_plan(t, group, p, rng, &mut advance));
            }
        }
    }
    advance.new_plans = writer.written;
    next.sort_by(|a, b| a.id.cmp(&b.id));
    advance.cohort = next;
    advance
}

/// Ages every child of `cohort` (in group `groups[i]`) by one year and removes the leavers:
/// the children who stay with their groups, and the number of plans that ended.
fn age_cohort(
    cohort: &[NeedProfile],
    groups: &[PlacementGroup],
    growth: &Growth,
    rng: &mut Rng,
) -> (Vec<NeedProfile>, Vec<PlacementGroup>, usize) {
    let mut next: Vec<NeedProfile> = Vec::with_capacity(cohort.len() + cohort.len() / 8);
    let mut next_groups: Vec<PlacementGroup> = Vec::with_capacity(cohort.len());
    let mut ended = 0;
    for (child, &group) in cohort.iter().zip(groups) {
        // Year 14 stands for ages 19–25: a young person stays in it until the plan ends.
        let year = (child.year.0 + 1).min(crate::model::YearGroup::MAX);
        if year >= 12 && rng.chance(growth.leave_at[(year - 12) as usize]) {
            ended += usize::from(has_plan(child));
            continue;
        }
        let mut c = child.clone();
        c.year = crate::model::YearGroup(year);
        c.needs_place = child.needs_place && child.current_setting.is_none();
        next.push(c);
        next_groups.push(group);
    }
    (next, next_groups, ended)
}

/// Index of a child's phase in `Phase::ALL` (primary, secondary, post-16).
fn phase_of(c: &NeedProfile) -> usize {
    c.year.phase() as usize
}

/// The sum of one phase's plans (or shares) over the groups.
fn phase_sum(a: &[f64; 7]) -> f64 {
    a.iter().sum::<f64>()
}

/// Children with plans among `children` (in group `groups[i]`), by phase and group.
fn plans_by_phase(children: &[NeedProfile], groups: &[PlacementGroup]) -> [[f64; 7]; 3] {
    let mut n = [[0.0f64; 7]; 3];
    for (c, &g) in children.iter().zip(groups).filter(|(c, _)| has_plan(c)) {
        n[phase_of(c)][g as usize] += 1.0;
    }
    n
}

/// Templates by phase, group and primary need: children with plans in that phase who are in a
/// setting (or educated elsewhere by arrangement) — not children still waiting for a place,
/// whose group is the fallback's, not a choice.
fn templates_by_phase<'c>(
    cohort: &'c [NeedProfile],
    groups: &[PlacementGroup],
) -> [Templates<'c>; 3] {
    let mut templates: [Templates<'_>; 3] = Default::default();
    for (c, &group) in cohort.iter().zip(groups).filter(|(c, _)| has_plan(c)) {
        if c.current_setting.is_none() && group != PlacementGroup::Elsewhere {
            continue;
        }
        templates[phase_of(c)]
            .entry((group, c.primary_need))
            .or_default()
            .push(c);
    }
    templates
}

/// `count` new plans shared over the phases. Each phase should grow at `rate`: new plans go
/// first where ageing left a gap (pupils moving up from primary leave room for new primary
/// plans), so no phase empties; with no gap anywhere, in proportion to the plans now.
fn plans_per_phase(
    count: usize,
    templates: &[Templates<'_>; 3],
    now: &[[f64; 7]; 3],
    staying: &[[f64; 7]; 3],
    rate: f64,
) -> Vec<u64> {
    let mut phase_gap: Vec<f64> = (0..3)
        .map(|p| {
            if templates[p].is_empty() {
                0.0
            } else {
                (phase_sum(&now[p]) * (1.0 + rate) - phase_sum(&staying[p])).max(0.0)
            }
        })
        .collect();
    if phase_gap.iter().sum::<f64>() <= 0.0 {
        phase_gap = (0..3).map(|p| phase_sum(&now[p])).collect();
    }
    crate::rng::largest_remainder(count as u64, &phase_gap)
}

/// The wanted mix of a phase's plans by group: the phase's mix now (`now`), each group moved
/// by its overall relative change from `overall` (of `all` plans) to `wanted`, normalised.
fn phase_mix(now: &[f64; 7], overall: &[f64], all: f64, wanted: &[f64; 7]) -> Vec<f64> {
    let phase_now = phase_sum(now).max(1.0);
    let mut mix: Vec<f64> = (0..7)
        .map(|k| {
            let share_now = overall[k] / all;
            let factor = if share_now > 0.0 {
                wanted[k] / share_now
            } else {
                0.0
            };
            now[k] / phase_now * factor
        })
        .collect();
    let m: f64 = mix.iter().sum();
    if m > 0.0 {
        mix.iter_mut().for_each(|v| *v /= m);
    }
    mix
}

/// How many new plans each group of a phase lacks to reach `target` plans in the mix `mix`,
/// for the groups with templates; with no gap anywhere, the templates' numbers.
fn group_gaps(templates: &Templates<'_>, mix: &[f64], staying: &[f64; 7], target: f64) -> Vec<f64> {
    let has = |k: usize| templates.keys().any(|(g, _)| *g as usize == k);
    let gap: Vec<f64> = (0..7)
        .map(|k| {
            if has(k) {
                (target * mix[k] - staying[k]).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    if gap.iter().sum::<f64>() > 0.0 {
        return gap;
    }
    (0..7)
        .map(|k| {
            templates
                .iter()
                .filter(|((g, _), _)| *g as usize == k)
                .map(|(_, v)| v.len() as f64)
                .sum()
        })
        .collect()
}

/// The weight of each primary need among a group's new plans: its templates, moved by the
/// need's drift over `year_index` years.
fn need_weights(
    templates: &Templates<'_>,
    group: PlacementGroup,
    growth: &Growth,
    year_index: u32,
) -> Vec<(Need, f64)> {
    templates
        .iter()
        .filter(|((g, _), _)| *g == group)
        .map(|((_, need), v)| {
            let drift = growth.need_drift.get(need).copied().unwrap_or(0.0);
            (
                *need,
                v.len() as f64 * (1.0 + drift).powi(year_index as i32),
            )
        })
        .collect()
}

/// A primary need drawn from `weights` (which sum to `total`).
fn draw_need(weights: &[(Need, f64)], total: f64, rng: &mut Rng) -> Need {
    let mut x = rng.next() as f64 / u64::MAX as f64 * total;
    let mut need = weights[weights.len() - 1].0;
    for (nd, w) in weights {
        if x < *w {
            need = *nd;
            break;
        }
        x -= w;
    }
    need
}

/// Writes a year's new plans, numbering them `P{year}-00000`, `P{year}-00001`, … in order.
struct NewPlanIds<'s> {
    /// The area's settings, in id order.
    settings: &'s [Setting],
    /// The calendar year the plans are written in.
    calendar_year: i32,
    /// New plans written so far.
    written: usize,
}

impl NewPlanIds<'_> {
    /// A new plan in phase `phase` and group `group`, copied from template `t`.
    fn new_plan(
        &mut self,
        t: &NeedProfile,
        group: PlacementGroup,
        phase: usize,
        rng: &mut Rng,
        advance: &mut Advance,
    ) -> NeedProfile {
        let id = ChildId(format!("P{}-{:05}", self.calendar_year, self.written));
        self.written += 1;
        let settings = self.settings;
        let setting = t.current_setting.as_ref().and_then(|id| {
            settings
                .binary_search_by(|s| s.id.cmp(id))
                .ok()
                .map(|i| &settings[i])
        });
        let year = new_plan_year(phase, setting, t.year, rng);
        new_plan(t, id, group, settings, year, rng, advance)
    }
}

/// Templates of new plans in one phase, by group and primary need.
type Templates<'c> = BTreeMap<(PlacementGroup, Need), Vec<&'c NeedProfile>>;

/// New EHC plans in England in calendar year 2024 by the child's age when the plan started
/// (DfE SEN2, "Education, health and care plans" 2025, new plans by age), as national
/// curriculum years: age `a` → year `a − 4`; ages 4 and under → reception, 18 and over → year
/// 14. A new plan's year group is drawn from these weights within its phase.
pub const NEW_PLAN_YEAR_WEIGHTS_2024: [f64; 15] = [
    15582.0, 13207.0, 7686.0, 6865.0, 6431.0, 6434.0, 7594.0, 8126.0, 5259.0, 4663.0, 5071.0,
    4474.0, 3468.0, 1656.0, 1231.0,
];

/// The year group of a new plan in `phase` (0 primary, 1 secondary, 2 post-16) that a
/// template in `setting` stands for: drawn from [`NEW_PLAN_YEAR_WEIGHTS_2024`] over the
/// phase's years the setting admits (all of the phase's years without a setting); the
/// template's own year when none is left.
fn new_plan_year(
    phase: usize,
    setting: Option<&Setting>,
    own: crate::model::YearGroup,
    rng: &mut Rng,
) -> crate::model::YearGroup {
    let candidates: Vec<u8> = (0..=crate::model::YearGroup::MAX)
        .filter(|y| crate::model::YearGroup(*y).phase() as usize == phase)
        .filter(|y| setting.is_none_or(|s| s.admits_year(crate::model::YearGroup(*y))))
        .collect();
    let weights: Vec<f64> = candidates
        .iter()
        .map(|y| NEW_PLAN_YEAR_WEIGHTS_2024[*y as usize])
        .collect();
    match rng.weighted(&weights) {
        Some(i) => crate::model::YearGroup(candidates[i]),
        None => own,
    }
}

/// How many settings of the template's type a new plan names besides the template's own.
const NEAREST_ALSO_NAMED: usize = 2;

/// A new plan copied from template `t` in `group`: lives within 2 km of the template; a
/// mainstream plan is a pupil already on the template's school roll (recorded as a
/// conversion), an elsewhere plan asks for no setting, any other asks for a place of the
/// template's type — the template's setting first, then the two nearest other settings of that
/// type serving the child's year (the parents' preferences, in that order; ties by id), so a
/// full school does not send a plan that asked for specialist provision to the mainstream
/// presumption while a place of that type is free nearby. `settings` is in id order.
fn new_plan(
    t: &NeedProfile,
    id: ChildId,
    group: PlacementGroup,
    settings: &[Setting],
    year: crate::model::YearGroup,
    rng: &mut Rng,
    advance: &mut Advance,
) -> NeedProfile {
    let jitter = |r: &mut Rng| (r.below(4001) as f64) - 2000.0;
    let mut c = t.clone();
    c.id = id;
    c.year = year;
    c.home = GridRef {
        easting: (t.home.easting + jitter(rng)).max(0.0),
        northing: (t.home.northing + jitter(rng)).max(0.0),
    };
    c.sibling_settings = Vec::new();
    match group {
        // A pupil already on this school's roll: stays, and is placed afresh only if the
        // school no longer suits.
        PlacementGroup::Mainstream => {
            c.preferences = Vec::new();
            c.needs_place = false;
            if let Some(id) = &c.current_setting {
                advance.conversions.push((id.clone(), c.year));
            }
        }
        // Educated elsewhere: no setting, not asking for one.
        PlacementGroup::Elsewhere => {
            c.current_setting = None;
            c.preferences = Vec::new();
            c.needs_place = false;
        }
        // Asks for a place of the template's type (the parents' preferences).
        _ => {
            let mut nearest: Vec<(f64, &SettingId)> = settings
                .iter()
                .filter(|s| {
                    PlacementGroup::of_kind(Some(s.kind)) == group
                        && s.admits_year(c.year)
                        && Some(&s.id) != t.current_setting.as_ref()
                })
                .map(|s| (s.location.distance_to(c.home), &s.id))
                .collect();
            nearest.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
            c.preferences = t.current_setting.iter().cloned().collect();
            c.preferences.extend(
                nearest
                    .into_iter()
                    .take(NEAREST_ALSO_NAMED)
                    .map(|(_, id)| id.clone()),
            );
            c.current_setting = None;
            c.needs_place = true;
        }
    }
    c.plan_level = t.plan_level.clone();
    c
}

/// A whole number near `mean`: Poisson-like spread via a normal approximation (Box–Muller).
fn noisy_count(mean: f64, rng: &mut Rng) -> usize {
    if mean <= 0.0 {
        return 0;
    }
    (mean + rng.normal() * mean.sqrt()).round().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn child(id: &str, year: u8, need: Need) -> NeedProfile {
        NeedProfile {
            year: YearGroup(year),
            primary_need: need,
            current_setting: Some(SettingId::from("S")),
            ..crate::testkit::plain_child(id)
        }
    }

    /// `n` children `C0000`, `C0001`, … with the year group and need `of` gives child `i`.
    fn numbered(n: usize, of: impl Fn(usize) -> (u8, Need)) -> Vec<NeedProfile> {
        (0..n)
            .map(|i| {
                let (year, need) = of(i);
                child(&format!("C{i:04}"), year, need)
            })
            .collect()
    }

    /// Default growth but for the yearly rate of new plans.
    fn growing(rate: f64) -> Growth {
        Growth {
            rate,
            ..Growth::default()
        }
    }

    fn special() -> Vec<Setting> {
        vec![Setting {
            name: "Special".into(),
            ..crate::testkit::plain_setting("S", SettingKind::SpecialMaintained)
        }]
    }

    const SPECIAL: [f64; 7] = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];

    #[test]
    fn a_child_waiting_without_a_preference_counts_where_the_fallback_puts_them() {
        let settings = special();
        let mut c = child("C1", 7, Need::Asd);
        c.plan_level = "ehcp".into();
        c.needs_place = true;
        c.current_setting = None;
        // Asking for the special school: counted there.
        c.preferences = vec![SettingId::from("S")];
        assert_eq!(group_of(&c, &settings), PlacementGroup::StateSpecial);
        // Left without a place and asking for no setting in particular: the fallback's group,
        // as the metrics count them, not educated elsewhere.
        c.preferences.clear();
        assert_eq!(group_of(&c, &settings), PlacementGroup::IndependentSpecial);
        // Not asking for a place and without one: educated elsewhere.
        c.needs_place = false;
        assert_eq!(group_of(&c, &settings), PlacementGroup::Elsewhere);
    }

    #[test]
    fn ageing_and_leavers_with_no_growth() {
        // No growth and certain leaving at 16: year-11 children leave; year 14 (ages 19–25)
        // stays in year 14 while the plan lasts.
        let cohort = vec![
            child("A", 3, Need::Asd),
            child("B", 11, Need::Asd),
            child("C", 14, Need::Mld),
            child("D", 0, Need::Slcn),
        ];
        let growth = Growth {
            rate: -1.0,
            leave_at: [1.0, 0.0, 0.0],
            ..Growth::default()
        };
        let next = advance_year(&cohort, &special(), &growth, &SPECIAL, 1, 2026, &mut Rng(1));
        let got: Vec<(&str, u8)> = next
            .cohort
            .iter()
            .map(|c| (c.id.as_str(), c.year.0))
            .collect();
        assert_eq!(got, vec![("A", 4), ("C", 14), ("D", 1)]);
        assert_eq!(next.ended, 1);
    }

    #[test]
    fn new_plans_replace_leavers_and_add_growth_on_average() {
        // 1,000 children in years 0..=9 (none leave); 10% growth → about 100 new plans.
        let cohort = numbered(1000, |i| {
            let need = if i % 4 == 0 { Need::Semh } else { Need::Asd };
            ((i % 10) as u8, need)
        });
        let growth = growing(0.10);
        let mut total_new = 0;
        for seed in 0..50 {
            let next = advance_year(
                &cohort,
                &special(),
                &growth,
                &SPECIAL,
                1,
                2026,
                &mut Rng(seed),
            );
            total_new += next.cohort.len() - 1000;
            assert_eq!(next.new_plans, next.cohort.len() - 1000);
            // New plans in a special school's group ask for a place like their template's.
            assert!(
                next.cohort
                    .iter()
                    .filter(|c| c.id.0.starts_with('P'))
                    .all(|c| c.needs_place
                        && c.current_setting.is_none()
                        && c.preferences == vec![SettingId::from("S")])
            );
        }
        let mean = total_new as f64 / 50.0;
        assert!((mean - 100.0).abs() < 5.0, "mean new plans {mean}");
    }

    #[test]
    fn new_mainstream_plans_are_pupils_already_on_the_roll() {
        let mut settings = special();
        settings[0].kind = SettingKind::Mainstream;
        let cohort = numbered(500, |i| ((i % 10) as u8, Need::Slcn));
        let growth = growing(0.2);
        let wanted = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let next = advance_year(&cohort, &settings, &growth, &wanted, 1, 2026, &mut Rng(3));
        assert!(next.new_plans > 50);
        assert_eq!(next.conversions.len(), next.new_plans);
        assert!(
            next.cohort
                .iter()
                .filter(|c| c.id.0.starts_with('P'))
                .all(|c| !c.needs_place && c.current_setting == Some(SettingId::from("S")))
        );
    }

    #[test]
    fn new_plans_move_the_mix_towards_the_wanted_one() {
        // Half mainstream, half special today; wanting 60% special next year sends most new
        // plans to the special group, phase by phase.
        let mut settings = special();
        let mut m = settings[0].clone();
        m.id = SettingId::from("M");
        m.kind = SettingKind::Mainstream;
        settings.insert(0, m);
        let mut cohort = numbered(1000, |i| ((i % 10) as u8, Need::Asd));
        for c in cohort.iter_mut().step_by(2) {
            c.current_setting = Some(SettingId::from("M"));
        }
        let growth = growing(0.2);
        let wanted = [0.4, 0.0, 0.6, 0.0, 0.0, 0.0, 0.0];
        let next = advance_year(&cohort, &settings, &growth, &wanted, 1, 2026, &mut Rng(4));
        // New plans asking for S (not yet placed) against new mainstream plans (conversions).
        let special_new = next
            .cohort
            .iter()
            .filter(|c| c.preferences == vec![SettingId::from("S")])
            .count();
        assert!(
            special_new > next.conversions.len(),
            "{special_new} special, {} mainstream",
            next.conversions.len()
        );
        let share = (500 + special_new) as f64 / next.cohort.len() as f64;
        assert!(share > 0.51 && share <= 0.6 + 1e-9, "{share}");
    }

    #[test]
    fn new_plans_refill_the_phase_that_ageing_empties() {
        // Every child is in year 6: next year all are in secondary. With 10% growth the new
        // plans go to primary (where ageing left the gap, and where templates are), so
        // primary keeps its size grown by the rate, not zero.
        let cohort = numbered(500, |i| (if i < 250 { 6 } else { 2 }, Need::Asd));
        let next = advance_year(
            &cohort,
            &special(),
            &growing(0.1),
            &SPECIAL,
            1,
            2026,
            &mut Rng(11),
        );
        let primary = next.cohort.iter().filter(|c| c.year.0 <= 6).count() as f64;
        // 250 stay in primary (year 2 → 3) and 250 move up; the 50 or so new plans (10% of
        // 500) all go to primary, where ageing left the gap.
        assert!(primary > 250.0 + 30.0, "primary {primary}");
        let secondary = next
            .cohort
            .iter()
            .filter(|c| (7..=11).contains(&c.year.0))
            .count();
        assert_eq!(secondary, 250);
    }

    #[test]
    fn need_drift_shifts_the_mix_of_new_plans() {
        let cohort = numbered(1000, |i| {
            (5, if i % 2 == 0 { Need::Semh } else { Need::Asd })
        });
        let mut growth = growing(0.5);
        growth.need_drift.insert(Need::Asd, 1.0); // ASD weight doubles each year index
        let next = advance_year(&cohort, &special(), &growth, &SPECIAL, 2, 2027, &mut Rng(9));
        let new: Vec<_> = next
            .cohort
            .iter()
            .filter(|c| c.id.0.starts_with('P'))
            .collect();
        let asd =
            new.iter().filter(|c| c.primary_need == Need::Asd).count() as f64 / new.len() as f64;
        // Weights 500×4 : 500 → 80% ASD.
        assert!((asd - 0.8).abs() < 0.05, "ASD share {asd}");
    }

    #[test]
    fn same_seed_same_cohort() {
        let cohort = numbered(200, |i| ((i % 12) as u8, Need::Asd));
        let g = Growth::default();
        let run = || {
            advance_year(
                &cohort,
                &special(),
                &g,
                &SPECIAL,
                1,
                2026,
                &mut Rng(draw_seed(7, 3)),
            )
        };
        assert_eq!(run(), run());
    }
}
