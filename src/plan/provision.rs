//! Provision that grows as the authority's history says: the baseline's supply side.
//!
//! England's caseload by type of setting (DfE SEN2, January 2019–2025) shows provision growing
//! with demand: state special places, resourced provision and units, and FE and college places
//! expand every year, and an authority's independent share moves by fractions of a point a
//! year. A projection that held today's places fixed while plans grow by a tenth a year would
//! send most new plans to the fallback, which no authority's history shows. So, with
//! [`ProvisionGrowth::Historical`] (a named assumption; the default is [`ProvisionGrowth::Fixed`]), the places of every specialist group grow each year by
//! the calibrated net change of plans in that group:
//!
//! - the expected plans in group `g`, `h` years on, are `N₀ · (1 + r)ʰ · s_g(h)`, with `N₀` the
//!   base year's plans, `r` the calibrated (or given) growth and `s_g(h)` the calibrated share
//!   path ([`shares_after`]); their ratio to the base year's plans in `g` is the group's
//!   growth factor `f_g(h)`;
//! - every pool of a setting in a specialist group (resourced provision and units, state
//!   special, independent and non-maintained special, AP) that holds `n` of the area's children
//!   with plans in the base year, and `o` other pupils (other authorities' children), has room
//!   after `h` years for `o + round(n · f_g(h))`: it gains that less its base-year places when
//!   positive (a pool the census shows over its places counts its children as its places;
//!   places are never taken away: a falling share leaves them to the market). A scenario's
//!   changes come on top;
//! - each phase keeps its places: a phase's places never fall because its pupils move up (new
//!   plans keep each phase's age structure, `plan::projection`);
//! - colleges are not capacity-bound for young people with plans (FE colleges admit on
//!   course availability, not a place number), so FE pools take everyone who asks.
//!
//! The growth follows the baseline's expected demand, not each draw's: the fallback count is
//! then the unmet demand *beyond* historical growth (a draw's surge, a need or a locality the
//! provision does not serve), which is the signal a planner acts on. A scenario's own growth
//! rate changes demand, not this supply path. [`ProvisionGrowth::Fixed`] holds today's places.

use super::calibrate::shares_after;
use super::projection::{Growth, group_shares, has_plan};
use crate::io::stats::PlacementGroup;
use crate::model::{Area, Setting, SettingKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// How the places of specialist provision change over a plan with no scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvisionGrowth {
    /// Places grow by the calibrated net change of plans in each group; colleges take
    /// everyone who asks.
    Historical,
    /// Today's places, held (the default: the baseline SCAP asks for); colleges take everyone
    /// who asks.
    #[default]
    Fixed,
}

impl ProvisionGrowth {
    /// Parses `historical` or `fixed`.
    pub fn parse(s: &str) -> Option<ProvisionGrowth> {
        match s {
            "historical" => Some(ProvisionGrowth::Historical),
            "fixed" => Some(ProvisionGrowth::Fixed),
            _ => None,
        }
    }
}

/// The groups whose places grow with history.
const GROWING: [PlacementGroup; 4] = [
    PlacementGroup::ResourceBase,
    PlacementGroup::StateSpecial,
    PlacementGroup::IndependentSpecial,
    PlacementGroup::AlternativeProvision,
];

/// A pool in the base year.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct PoolBase {
    ours: u32,
    others: u32,
    capacity: u32,
}

/// The yearly supply path of a plan: growth factors by group and year, and the area's children
/// with plans in each pool in the base year.
#[derive(Clone, Debug, PartialEq)]
pub struct ProvisionPath {
    mode: ProvisionGrowth,
    /// `factors[h][g]`: expected plans in group `g` after `h` years over the base year's.
    factors: Vec<[f64; 7]>,
    /// Base year's plans in each group.
    base: [f64; 7],
    /// The area's children with plans, the other pupils and the places of each (setting id,
    /// pool id) in the base year.
    in_pool: BTreeMap<(String, String), PoolBase>,
}

impl ProvisionPath {
    /// The path for `years` years of `area` with the baseline `growth`.
    pub fn new(area: &Area, growth: &Growth, years: u32, mode: ProvisionGrowth) -> ProvisionPath {
        let shares = group_shares(&area.children, &area.settings);
        let plans = area.children.iter().filter(|c| has_plan(c)).count() as f64;
        let base: [f64; 7] = std::array::from_fn(|g| shares[g] * plans);
        let factors = (0..=years)
            .map(|h| {
                let s = shares_after(&shares, &growth.share_change, h);
                let total = (1.0 + growth.rate).powi(h as i32);
                std::array::from_fn(|g| {
                    if shares[g] > 0.0 {
                        total * s[g] / shares[g]
                    } else {
                        1.0
                    }
                })
            })
            .collect();
        let mut in_pool: BTreeMap<(String, String), PoolBase> = BTreeMap::new();
        for c in area.children.iter().filter(|c| has_plan(c)) {
            let Some(id) = &c.current_setting else {
                continue;
            };
            let Ok(i) = area.settings.binary_search_by(|s| s.id.cmp(id)) else {
                continue;
            };
            if let Some(p) = area.settings[i].pool_for(c.year) {
                in_pool
                    .entry((id.0.clone(), p.id.0.clone()))
                    .or_default()
                    .ours += 1;
            }
        }
        for s in &area.settings {
            for p in &s.pools {
                if let Some(b) = in_pool.get_mut(&(s.id.0.clone(), p.id.0.clone())) {
                    b.others = p.on_roll.saturating_sub(b.ours);
                    b.capacity = p.capacity;
                }
            }
        }
        ProvisionPath {
            mode,
            factors,
            base,
            in_pool,
        }
    }

    /// Places added to the pool `pool` of `setting` after `h` years.
    pub fn added(&self, setting: &Setting, pool: &str, h: u32) -> u32 {
        if self.mode == ProvisionGrowth::Fixed {
            return 0;
        }
        let g = PlacementGroup::of_kind(Some(setting.kind));
        if !GROWING.contains(&g) {
            return 0;
        }
        let Some(f) = self.factors.get(h as usize).map(|f| f[g as usize]) else {
            return 0;
        };
        let Some(b) = self.in_pool.get(&(setting.id.0.clone(), pool.to_string())) else {
            return 0;
        };
        let room = b.others as f64 + (b.ours as f64 * f.max(1.0)).round();
        (room as u32).saturating_sub(b.capacity)
    }

    /// Applies year `h`'s supply to `settings` whose rolls are already set: specialist pools
    /// gain their places, and college pools have room for everyone in a cohort of
    /// `cohort_size`.
    pub fn apply(&self, settings: &mut [Setting], h: u32, cohort_size: usize) {
        for s in settings.iter_mut() {
            if s.kind == SettingKind::FurtherEducation {
                for p in &mut s.pools {
                    p.capacity = p.capacity.max(p.on_roll.saturating_add(cohort_size as u32));
                }
                continue;
            }
            let adds: Vec<u32> = s.pools.iter().map(|p| self.added(s, &p.id.0, h)).collect();
            for (p, a) in s.pools.iter_mut().zip(adds) {
                p.capacity = p.capacity.saturating_add(a);
            }
        }
    }

    /// Places the path adds by group after `h` years (for the report).
    pub fn added_by_group(&self, settings: &[Setting], h: u32) -> [u32; 7] {
        let mut out = [0u32; 7];
        for s in settings {
            for p in &s.pools {
                out[PlacementGroup::of_kind(Some(s.kind)) as usize] += self.added(s, &p.id.0, h);
            }
        }
        out
    }

    /// The assumption in words, with the figures, for the report.
    pub fn describe(&self, settings: &[Setting]) -> String {
        if self.mode == ProvisionGrowth::Fixed {
            return "Provision is held at today's places (`--provision fixed`, the default): no school gains places unless a scenario adds them, so children the rules cannot place are the places needed beyond today's capacity. Each phase keeps its places. Colleges are not capacity-bound for young people with plans. `--provision historical` instead grows places as the history of plans says, with its additions printed.".into();
        }
        let years = self.factors.len().saturating_sub(1) as u32;
        let (first, last) = (
            self.added_by_group(settings, 0),
            self.added_by_group(settings, years),
        );
        let parts: Vec<String> = GROWING
            .iter()
            .map(|g| {
                let f = self.factors.last().map_or(1.0, |f| f[*g as usize]);
                let yearly = if years > 0 && f > 0.0 {
                    f.powf(1.0 / years as f64) - 1.0
                } else {
                    0.0
                };
                let added = last[*g as usize].saturating_sub(first[*g as usize]);
                format!(
                    "{} from {:.0} plans, expected {:+.1}% a year, {} by year {years}",
                    g.key(),
                    self.base[*g as usize],
                    yearly * 100.0,
                    if added > 0 {
                        format!("+{} places", crate::model::grouped(added as i64))
                    } else {
                        "no new places".into()
                    }
                )
            })
            .collect();
        format!(
            "Provision grows as history says (the baseline's supply): each specialist pool gains places in proportion to the area's children with plans there in the base year, by the expected net change of plans in its group (the calibrated growth and share path): {}. Each phase keeps its places. Colleges are not capacity-bound for young people with plans. Fallback placements are therefore the unmet demand beyond historical growth; `--provision fixed` holds today's places.",
            parts.join("; ")
        )
    }
}
