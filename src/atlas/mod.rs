//! The atlas: the same child in every local authority. For each authority, homes are sampled
//! across it (weighted by its mainstream schools' rolls); for each archetype need profile, each
//! home's options are judged by the same engine as tailored lists: the suitable settings with
//! a free place within the journey guidance, the nearest one, what the first-ranked one costs,
//! and whether only independent settings are left; for children whose needs call for specialist
//! provision, the same for special schools, units and bases alone. Beside them, with the
//! published statistics, each authority's published indicators and how far the two agree
//! (rank correlations). The "postcode lottery" in numbers; the measures are defined once, in
//! [`Measure::definition`].
//!
//! Deterministic for a seed; [`build_atlas`] does no I/O ([`atlas_from_files`] reads through
//! [`crate::synth`] and [`crate::io`]).

mod agreement;
mod archetype;
mod contrast;
mod files;
mod measure;

pub use agreement::median_of;
#[cfg(any(test, feature = "testing"))]
pub use agreement::spearman;
pub use agreement::{Agreement, Spread, agreement, spreads};
pub use archetype::{Archetype, read_archetypes};
#[cfg(any(test, feature = "testing"))]
pub use archetype::{SHIPPED, parse_archetypes};
pub use contrast::{Contrast, NEIGHBOUR_KM, contrasts};
pub use files::{AtlasMade, AtlasRequest, atlas_from_files};
#[cfg(any(test, feature = "testing"))]
pub use measure::pounds;
pub use measure::{Better, Measure, MeasureDefinition, ranks_worse_first};

use crate::engine::Engine;
use crate::io::indicators::{Indicator, IndicatorValues};
use crate::lists::{annual_cost, order_suitable};
use crate::model::{Area, ChildId, GridRef, NeedProfile, Setting, SettingKind};
use crate::rng::{Rng, WeightedIndex};
use crate::rules::{CompiledRules, HardTest, Severity};
use crate::synth::geo::offset;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the atlas samples homes.
#[derive(Clone, Debug, PartialEq)]
pub struct AtlasOptions {
    /// The seed of the homes sampled.
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
    /// The authority.
    pub la: String,
    /// The archetype's id.
    pub archetype: String,
    /// Homes sampled in the authority.
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
    /// Median over homes of the suitable specialist settings (special schools, SEN units,
    /// resourced provision) with a free place within the guidance.
    pub median_specialist_within_guidance: f64,
    /// Median over homes of the journey to the nearest suitable specialist setting with a
    /// free place; `None` when more than half the homes have none within the search distance.
    pub median_minutes_to_specialist: Option<f64>,
    /// Share of homes with no suitable specialist setting with a free place within guidance.
    pub share_no_specialist_within_guidance: f64,
    /// Share of homes with no suitable specialist setting with a free place within the rules'
    /// day-journey ceiling for the child's phase.
    pub share_no_specialist_within_ceiling: f64,
    /// Share of homes whose only suitable specialist settings with a place within guidance
    /// are independent special schools.
    pub share_specialist_independent_only: f64,
    /// Median over homes of the suitable resource bases and units with a free place within
    /// the guidance (the resourced-provision offer).
    pub median_bases_within_guidance: f64,
}

/// One authority's place on the map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AtlasAuthority {
    /// The authority's name.
    pub la: String,
    /// Mean location of its mainstream schools.
    pub centre: GridRef,
    /// Its mainstream schools (the homes are drawn around them).
    pub schools: usize,
    /// Pupils on the rolls of all its schools in the school file.
    pub pupils: u64,
    /// Its published indicators (with `--stats`), in [`Indicator::ALL`] order.
    pub indicators: Option<IndicatorValues>,
}

/// The whole atlas: authorities in name order, cells authority by authority in archetype
/// order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Atlas {
    /// Seed of the home sampling.
    pub seed: u64,
    /// Homes sampled in each authority.
    pub homes_per_authority: usize,
    /// The archetypes, in order.
    pub archetypes: Vec<Archetype>,
    /// The authorities, in name order.
    pub authorities: Vec<AtlasAuthority>,
    /// One cell per authority and archetype.
    pub cells: Vec<AtlasCell>,
    /// Every measure of a cell, defined once.
    pub measures: Vec<MeasureDefinition>,
    /// The published indicators, defined once (empty without `--stats`).
    pub indicators: Vec<crate::io::indicators::IndicatorDefinition>,
    /// How far (minutes) homes were searched for the nearest setting.
    pub search_minutes: f64,
    /// Per archetype, how its headline measure spreads across authorities.
    pub spreads: Vec<Spread>,
    /// Per archetype, the authorities where the same child fares most differently.
    pub contrasts: Vec<Contrast>,
    /// Rank correlations between engine measures and their published counterparts (empty
    /// without `--stats`).
    pub agreement: Vec<Agreement>,
    /// The assumptions behind the figures, for people to read.
    pub assumptions: Vec<String>,
}

impl Atlas {
    /// The cell of authority `la` (index) and archetype `a` (index).
    pub fn cell(&self, la: usize, a: usize) -> &AtlasCell {
        &self.cells[la * self.archetypes.len() + a]
    }

    /// The headline measure of archetype `a` (index).
    pub fn headline(&self, a: usize) -> Measure {
        Measure::headline(self.archetypes[a].specialist)
    }

    /// Attaches each authority's published indicators (found by name, any case) and computes
    /// the agreement between engine measures and published counterparts.
    pub(crate) fn attach_indicators(&mut self, published: &crate::io::indicators::Published) {
        for a in &mut self.authorities {
            a.indicators = published.values(&a.la, a.pupils);
        }
        self.indicators = Indicator::ALL.iter().map(|i| i.definition()).collect();
        self.agreement = agreement(self);
        self.assumptions.push(published.assumption());
    }
}

/// What one home's search found for one archetype.
#[derive(Clone, Copy, Debug, Default)]
struct HomeResult {
    within: u32,
    nearest_minutes: Option<f64>,
    cost: Option<i64>,
    independent_only: bool,
    specialist_within: u32,
    specialist_minutes: Option<f64>,
    specialist_independent_only: bool,
    bases_within: u32,
}

/// Special schools, SEN units and resourced provision.
fn is_specialist(kind: SettingKind) -> bool {
    matches!(
        kind,
        SettingKind::SpecialMaintained
            | SettingKind::SpecialAcademy
            | SettingKind::SpecialNonMaintained
            | SettingKind::SpecialIndependent
            | SettingKind::ResourcedProvision
            | SettingKind::SenUnit
    )
}

/// The longest day journey (minutes) the rules' excluding journey-ceiling rules allow in
/// each phase; `search` where there is none.
fn ceilings(rules: &CompiledRules, search: f64) -> [f64; 3] {
    let mut out = [search; 3];
    for (_, test, severity) in &rules.pair_tests {
        if let (HardTest::JourneyCeiling { max_minutes, .. }, Severity::Exclude) = (test, severity)
        {
            for (o, m) in out.iter_mut().zip(max_minutes) {
                *o = o.min(*m);
            }
        }
    }
    out
}

/// Each authority's mainstream schools (location, roll as weight), for the authorities named
/// in `las` (all with a mainstream school when empty).
fn mainstream_by_la<'a>(
    settings: &'a [Setting],
    las: &[String],
) -> BTreeMap<&'a str, Vec<(GridRef, f64)>> {
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
    by_la
}

/// Builds the atlas over `settings` (every authority's, as built by [`crate::synth`]) for the
/// authorities named in `las` (all with a mainstream school when empty). `pupils` gives the
/// pupils on the rolls of each authority's schools (by name).
pub fn build_atlas(
    rules: &CompiledRules,
    settings: &[Setting],
    pupils: &BTreeMap<String, u64>,
    las: &[String],
    archetypes: &[Archetype],
    options: &AtlasOptions,
) -> Atlas {
    let by_la = mainstream_by_la(settings, las);
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
                pupils: pupils.get(*la).copied().unwrap_or(0),
                indicators: None,
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
                children.push(child(a, format!("{li:04}-{ai:03}-{h:05}"), home, la));
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
    let ceiling = ceilings(rules, options.search_minutes);
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
            let ceiling = ceiling[a.year.phase() as usize];
            cells.push(summarise(&auth.la, &a.id, r, per, ceiling));
        }
    }
    let mut atlas = Atlas {
        seed: options.seed,
        homes_per_authority: options.homes,
        archetypes: archetypes.to_vec(),
        authorities,
        cells,
        measures: Measure::ALL.iter().map(|m| m.definition()).collect(),
        indicators: Vec::new(),
        search_minutes: options.search_minutes,
        spreads: Vec::new(),
        contrasts: Vec::new(),
        agreement: Vec::new(),
        assumptions: assumptions(rules, options),
    };
    atlas.spreads = spreads(&atlas);
    atlas.contrasts = contrasts(&atlas);
    atlas
}

/// The need profile of archetype `a` at `home` in authority `la`.
fn child(a: &Archetype, id: String, home: GridRef, la: &str) -> NeedProfile {
    NeedProfile {
        id: ChildId(id),
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
        packages: Vec::new(),
    }
}

/// What child `c` finds from home: within the guidance, every suitable setting with a place
/// (counted, specialist ones and bases apart); beyond it, up to `search_minutes`, the nearest
/// suitable setting and the nearest suitable specialist setting when there is none within.
fn search_home(engine: &Engine<'_>, c: usize, search_minutes: f64) -> HomeResult {
    let year = engine.children[c].year;
    let guidance = engine.children[c].guidance_minutes;
    let with_place = |s: usize| {
        engine.settings[s]
            .pool_for(year)
            .is_some_and(|p| p.free() > 0)
            && engine.is_eligible(c, s)
    };
    let closer = |best: &mut Option<(f64, usize)>, m: f64, s: usize| {
        if best.is_none_or(|n| m < n.0 || (m == n.0 && s < n.1)) {
            *best = Some((m, s));
        }
    };
    let mut suitable: Vec<(usize, f64)> = Vec::new();
    let mut nearest: Option<(f64, usize)> = None;
    let mut specialist: Option<(f64, usize)> = None;
    let (mut specialist_within, mut specialist_independent, mut bases) = (0u32, 0u32, 0u32);
    for s in engine.settings_within(c, guidance) {
        if with_place(s) {
            let m = engine.journey(c, s).minutes;
            closer(&mut nearest, m, s);
            let kind = engine.settings[s].kind;
            if is_specialist(kind) {
                closer(&mut specialist, m, s);
                specialist_within += 1;
                specialist_independent += u32::from(kind.is_independent());
            }
            bases += u32::from(matches!(
                kind,
                SettingKind::ResourcedProvision | SettingKind::SenUnit
            ));
            suitable.push((s, engine.score(c, s)));
        }
    }
    let within = suitable.len() as u32;
    let independent_only = !suitable.is_empty()
        && suitable
            .iter()
            .all(|&(s, _)| engine.settings[s].kind.is_independent());
    if suitable.is_empty() || specialist.is_none() {
        for s in engine.settings_within(c, search_minutes) {
            let wanted_any = suitable.is_empty();
            let wanted_specialist =
                specialist_within == 0 && is_specialist(engine.settings[s].kind);
            if (wanted_any || wanted_specialist) && with_place(s) {
                let m = engine.journey(c, s).minutes;
                if wanted_any {
                    closer(&mut nearest, m, s);
                }
                if wanted_specialist {
                    closer(&mut specialist, m, s);
                }
            }
        }
    }
    let chosen = if suitable.is_empty() {
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
        specialist_within,
        specialist_minutes: specialist.map(|n| n.0),
        specialist_independent_only: specialist_within > 0
            && specialist_independent == specialist_within,
        bases_within: bases,
    }
}

/// The median of `v` (sorted in place); `None` when empty.
pub(crate) fn median(v: &mut [f64]) -> Option<f64> {
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

/// The median journey (to 0.1 min) of `minutes`, where `None` is beyond the search: `None`
/// when the median home has none.
fn median_minutes(minutes: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut v: Vec<f64> = minutes.map(|m| m.unwrap_or(f64::INFINITY)).collect();
    median(&mut v)
        .filter(|m| m.is_finite())
        .map(|m| (m * 10.0).round() / 10.0)
}

fn summarise(la: &str, archetype: &str, r: &[HomeResult], homes: usize, ceiling: f64) -> AtlasCell {
    let n = homes as f64;
    let share = |f: &dyn Fn(&HomeResult) -> bool| r.iter().filter(|h| f(h)).count() as f64 / n;
    let med = |f: &dyn Fn(&HomeResult) -> u32| {
        let mut v: Vec<f64> = r.iter().map(|h| f64::from(f(h))).collect();
        median(&mut v).unwrap_or(0.0)
    };
    let mut cost: Vec<f64> = r.iter().filter_map(|h| h.cost.map(|c| c as f64)).collect();
    AtlasCell {
        la: la.to_string(),
        archetype: archetype.to_string(),
        homes,
        median_suitable_within_guidance: med(&|h| h.within),
        median_minutes_to_nearest: median_minutes(r.iter().map(|h| h.nearest_minutes)),
        share_none_within_guidance: share(&|h| h.within == 0),
        median_annual_cost: median(&mut cost).map(f64::round),
        share_independent_only: share(&|h| h.independent_only),
        median_specialist_within_guidance: med(&|h| h.specialist_within),
        median_minutes_to_specialist: median_minutes(r.iter().map(|h| h.specialist_minutes)),
        share_no_specialist_within_guidance: share(&|h| h.specialist_within == 0),
        share_no_specialist_within_ceiling: share(&|h| {
            h.specialist_minutes.is_none_or(|m| m > ceiling)
        }),
        share_specialist_independent_only: share(&|h| h.specialist_independent_only),
        median_bases_within_guidance: med(&|h| h.bases_within),
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
