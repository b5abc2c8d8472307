//! The atlas: the same child in every local authority. For each authority, homes are sampled
//! across it (weighted by its mainstream schools' rolls); for each archetype need profile, each
//! home's options are judged by the same engine as tailored lists: the suitable settings with
//! a free place within the journey guidance, the nearest one, what the first-ranked one costs,
//! and whether only independent settings are left. The "postcode lottery" in numbers.
//!
//! Deterministic for a seed; no I/O (the CLI reads and writes).

mod archetype;

pub use archetype::{Archetype, read_archetypes};
#[cfg(any(test, feature = "testing"))]
pub use archetype::{SHIPPED, parse_archetypes};

use crate::engine::Engine;
use crate::lists::{annual_cost, order_suitable};
use crate::model::{Area, ChildId, GridRef, NeedProfile, Setting, SettingKind};
use crate::rng::{Rng, WeightedIndex};
use crate::rules::CompiledRules;
use crate::synth::geo::offset;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the atlas samples homes.
#[derive(Clone, Debug, PartialEq)]
pub struct AtlasOptions {
    pub seed: u64,
    /// Homes sampled per authority (the same homes for every archetype).
    pub homes: usize,
    /// Mean distance of a home from the school it is drawn around, metres.
    pub home_spread_m: f64,
    /// How far to look (minutes) for the nearest setting when none is within guidance.
    pub search_minutes: f64,
}

impl Default for AtlasOptions {
    fn default() -> Self {
        AtlasOptions {
            seed: 1,
            homes: 40,
            home_spread_m: 1_500.0,
            search_minutes: 150.0,
        }
    }
}

/// One authority × archetype.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtlasCell {
    pub la: String,
    pub archetype: String,
    pub homes: usize,
    /// Median over homes of the suitable settings with a free place within the guidance.
    pub median_suitable_within_guidance: f64,
    /// Median over homes of the journey (minutes) to the nearest suitable setting with a free
    /// place; `None` when more than half the homes have none within the search distance.
    pub median_minutes_to_nearest: Option<f64>,
    /// Share of homes with no suitable setting with a free place within the guidance.
    pub share_none_within_guidance: f64,
    /// Median over homes of the annual cost of the first-ranked suitable setting with a place
    /// (within guidance when there is one, else the nearest); `None` when no home has one.
    pub median_annual_cost: Option<f64>,
    /// Share of homes whose only suitable settings with a place within guidance are
    /// independent.
    pub share_independent_only: f64,
}

/// One authority's place on the map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtlasAuthority {
    pub la: String,
    /// Mean location of its mainstream schools.
    pub centre: GridRef,
    /// Its mainstream schools (the homes are drawn around them).
    pub schools: usize,
}

/// The whole atlas: authorities in name order, cells authority by authority in archetype
/// order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Atlas {
    pub seed: u64,
    pub homes_per_authority: usize,
    pub archetypes: Vec<Archetype>,
    pub authorities: Vec<AtlasAuthority>,
    pub cells: Vec<AtlasCell>,
    /// The assumptions behind the figures, for people to read.
    pub assumptions: Vec<String>,
}

impl Atlas {
    /// The cell of authority `la` (index) and archetype `a` (index).
    pub fn cell(&self, la: usize, a: usize) -> &AtlasCell {
        &self.cells[la * self.archetypes.len() + a]
    }
}

/// What one home's search found for one archetype.
#[derive(Clone, Copy, Debug, Default)]
struct HomeResult {
    within: u32,
    nearest_minutes: Option<f64>,
    cost: Option<i64>,
    independent_only: bool,
}

/// Builds the atlas over `settings` (every authority's, as built by [`crate::synth`]) for the
/// authorities named in `las` (all with a mainstream school when empty).
pub fn build_atlas(
    rules: &CompiledRules,
    settings: &[Setting],
    las: &[String],
    archetypes: &[Archetype],
    options: &AtlasOptions,
) -> Atlas {
    // Authorities and their mainstream schools, with rolls as weights.
    let mut by_la: BTreeMap<&str, Vec<(GridRef, f64)>> = BTreeMap::new();
    for s in settings {
        if s.kind == SettingKind::Mainstream
            && !s.local_authority.is_empty()
            && (las.is_empty()
                || las
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(&s.local_authority)))
        {
            let roll: u32 = s.pools.iter().map(|p| p.on_roll).sum();
            by_la
                .entry(&s.local_authority)
                .or_default()
                .push((s.location, f64::from(roll.max(1))));
        }
    }
    let authorities: Vec<AtlasAuthority> = by_la
        .iter()
        .map(|(la, schools)| {
            let n = schools.len() as f64;
            AtlasAuthority {
                la: la.to_string(),
                centre: GridRef {
                    easting: schools.iter().map(|s| s.0.easting).sum::<f64>() / n,
                    northing: schools.iter().map(|s| s.0.northing).sum::<f64>() / n,
                },
                schools: schools.len(),
            }
        })
        .collect();
    // Homes, then one child per authority × archetype × home; ids sort in that order.
    let mut children = Vec::new();
    for (li, (la, schools)) in by_la.iter().enumerate() {
        let mut rng = Rng::derive(options.seed, &format!("atlas-homes:{la}"));
        let pick = WeightedIndex::new(schools.iter().map(|s| s.1));
        let homes: Vec<GridRef> = (0..options.homes)
            .map(|_| {
                let at = schools[pick.draw(&mut rng).unwrap_or(0)].0;
                let d = rng
                    .exponential(options.home_spread_m)
                    .min(4.0 * options.home_spread_m);
                offset(at, d, rng.range(0.0, std::f64::consts::TAU))
            })
            .collect();
        for (ai, a) in archetypes.iter().enumerate() {
            for (h, &home) in homes.iter().enumerate() {
                children.push(NeedProfile {
                    id: ChildId(format!("{li:04}-{ai:03}-{h:05}")),
                    year: a.year,
                    sex: a.sex,
                    home,
                    primary_need: a.primary_need,
                    secondary_needs: a.secondary_needs,
                    intensity: a.intensity,
                    features: a.features.clone(),
                    plan_level: a.plan_level.clone(),
                    current_setting: None,
                    preferences: Vec::new(),
                    sibling_settings: Vec::new(),
                    needs_place: true,
                    locality: la.to_string(),
                    arrangement: None,
                });
            }
        }
    }
    let mut area = Area {
        name: "atlas".to_string(),
        settings: settings.to_vec(),
        children,
    };
    area.normalise();
    let engine = Engine::new(rules, &area);
    let results: Vec<HomeResult> = (0..area.children.len())
        .into_par_iter()
        .map(|c| search_home(&engine, c, options.search_minutes))
        .collect();
    let per = options.homes.max(1);
    let mut cells = Vec::new();
    for (li, auth) in authorities.iter().enumerate() {
        for (ai, a) in archetypes.iter().enumerate() {
            let start = (li * archetypes.len() + ai) * options.homes;
            let r = &results[start..start + options.homes];
            cells.push(summarise(&auth.la, &a.id, r, per));
        }
    }
    Atlas {
        seed: options.seed,
        homes_per_authority: options.homes,
        archetypes: archetypes.to_vec(),
        authorities,
        cells,
        assumptions: assumptions(rules, options),
    }
}

fn search_home(engine: &Engine<'_>, c: usize, search_minutes: f64) -> HomeResult {
    let year = engine.children[c].year;
    let guidance = engine.children[c].guidance_minutes;
    let with_place = |s: usize| {
        engine.settings[s]
            .pool_for(year)
            .is_some_and(|p| p.free() > 0)
            && engine.is_eligible(c, s)
    };
    let mut suitable: Vec<(usize, f64)> = Vec::new();
    let mut nearest: Option<(f64, usize)> = None;
    for s in engine.settings_within(c, guidance) {
        if with_place(s) {
            let m = engine.journey(c, s).minutes;
            if nearest.is_none_or(|n| m < n.0) {
                nearest = Some((m, s));
            }
            suitable.push((s, engine.score(c, s)));
        }
    }
    let within = suitable.len() as u32;
    let independent_only = !suitable.is_empty()
        && suitable
            .iter()
            .all(|&(s, _)| engine.settings[s].kind.is_independent());
    let chosen = if suitable.is_empty() {
        for s in engine.settings_within(c, search_minutes) {
            if with_place(s) {
                let m = engine.journey(c, s).minutes;
                if nearest.is_none_or(|n| m < n.0 || (m == n.0 && s < n.1)) {
                    nearest = Some((m, s));
                }
            }
        }
        nearest.map(|n| n.1)
    } else {
        order_suitable(engine, c, None, &mut suitable);
        Some(suitable[0].0)
    };
    HomeResult {
        within,
        nearest_minutes: nearest.map(|n| n.0),
        cost: chosen.map(|s| annual_cost(engine, c, s)),
        independent_only,
    }
}

/// The median of `v` (sorted in place); `None` when empty.
fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn summarise(la: &str, archetype: &str, r: &[HomeResult], homes: usize) -> AtlasCell {
    let n = homes as f64;
    let mut within: Vec<f64> = r.iter().map(|h| f64::from(h.within)).collect();
    // Homes with nothing within the search distance count as infinitely far.
    let mut minutes: Vec<f64> = r
        .iter()
        .map(|h| h.nearest_minutes.unwrap_or(f64::INFINITY))
        .collect();
    let mut cost: Vec<f64> = r.iter().filter_map(|h| h.cost.map(|c| c as f64)).collect();
    AtlasCell {
        la: la.to_string(),
        archetype: archetype.to_string(),
        homes,
        median_suitable_within_guidance: median(&mut within).unwrap_or(0.0),
        median_minutes_to_nearest: median(&mut minutes)
            .filter(|m| m.is_finite())
            .map(|m| (m * 10.0).round() / 10.0),
        share_none_within_guidance: r.iter().filter(|h| h.within == 0).count() as f64 / n,
        median_annual_cost: median(&mut cost).map(f64::round),
        share_independent_only: r.iter().filter(|h| h.independent_only).count() as f64 / n,
    }
}

fn assumptions(rules: &CompiledRules, o: &AtlasOptions) -> Vec<String> {
    let t = &rules.rules.travel;
    vec![
        format!(
            "Homes: {} per authority, each drawn around one of the authority's mainstream schools chosen with probability proportional to its roll, at an exponentially distributed distance (mean {:.1} km, at most {:.1} km) in a uniform direction; the same homes for every archetype (seed {}).",
            o.homes,
            o.home_spread_m / 1000.0,
            4.0 * o.home_spread_m / 1000.0,
            o.seed
        ),
        format!(
            "Journeys: straight line × road factor {}, door to door at {}; guidance {:.0} min (primary), {:.0} min (secondary) and {:.0} min (post-16), from the rules' statutory.toml.",
            t.road_factor, t.speeds_text(), t.guidance_minutes[0], t.guidance_minutes[1], t.guidance_minutes[2]
        ),
        "Suitable: no excluding hard rule fails (the same engine and rules as tailored lists); with a place: the pool serving the child's year has a free place today. Places are not reserved between homes or archetypes: each figure is what one child would find.".to_string(),
        format!(
            "Nearest: the shortest journey to a suitable setting with a place, searched up to {:.0} min; when more than half the homes have none that near, the median is shown as none.",
            o.search_minutes
        ),
        "Cost: the annual cost (place funding + top-up band, or the setting's fee) of the setting the tailored list would rank first among those with a place within guidance (mainstream first under s.33, then score), else the nearest one with a place.".to_string(),
        "Independent only: every suitable setting with a place within guidance is independent (special or mainstream).".to_string(),
        "Provision (designations, bases, capacities, fees) is synthesised from the school file as `placewise synth` does; its assumptions are printed with it. The figures show how provision, rules and geography combine, not any authority's real offer.".to_string(),
    ]
}
