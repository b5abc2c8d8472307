//! Provision synthesis: settings, place pools and census counts for the schools of one or more
//! authorities (and other authorities' special schools and colleges within reach), with what
//! the school file lacks derived reproducibly from published figures:
//! state special schools' LA-maintained/academy split, special-school designations and
//! features, resource bases and SEN units (hosts, needs, places), capacities, fees.

use super::geo::{Proximity, core_points};
use super::school::{School, SchoolClass};
use super::stats::{LaFigures, SEN2_SOURCE};
use super::{Assumption, FigureSource};
use crate::model::{GridRef, NeedSet, Setting};
use std::collections::{BTreeMap, BTreeSet};

mod bases;
mod describe;
mod setting;
mod special;

use bases::bases_for_la;
use describe::describe;
use setting::school_setting;
use special::plan_la;
pub use special::{Archetype, named_needs};

/// Options for provision synthesis.
#[derive(Clone, Debug, PartialEq)]
pub struct ProvisionOptions {
    pub seed: u64,
    /// Other authorities' special schools and colleges within this straight-line distance of
    /// a school of a target authority are included.
    pub reach_m: f64,
    /// Schools included whatever their authority and distance (e.g. the settings an
    /// authority's children attend), by URN.
    pub include: std::collections::BTreeSet<u32>,
}

/// School-census counts kept beside the settings (`census.csv`) for the cohort synthesiser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CensusCounts {
    /// Setting id.
    pub setting: String,
    /// Pupils on roll in the school census.
    pub pupils_on_roll: u32,
    /// Pupils with EHC plans.
    pub ehc_plan_pupils: u32,
    /// Pupils on SEN support.
    pub sen_support_pupils: u32,
}

/// Settings with pools, census counts and the assumptions made.
#[derive(Clone, Debug, Default)]
pub struct Provision {
    /// Sorted by id.
    pub settings: Vec<Setting>,
    /// Census counts by setting.
    pub census: Vec<CensusCounts>,
    /// Every assumption made building the provision.
    pub assumptions: Vec<Assumption>,
}

/// National occupancy of resourced-provision places, January 2025: 15,529 pupils (SEN2) in
/// about 18,000 places (parliamentary answer, see DOMAIN.md).
pub const RP_OCCUPANCY: f64 = 15_529.0 / 18_000.0;
/// National occupancy of SEN-unit places: 8,995 pupils in about 9,000 places.
pub const UNIT_OCCUPANCY: f64 = 8_995.0 / 9_000.0;
/// Places in a typical resource base or unit (an assumption; e.g. a 12-place autism base).
pub const BASE_PLACES: f64 = 12.0;
/// Share of special schools at or over capacity (parliamentary answer, DOMAIN.md).
pub const SPECIAL_FULL_SHARE: f64 = 0.63;
/// Share of a sixth-form school's roll in its sixth form (an assumption).
pub const SIXTH_FORM_SHARE: f64 = 0.18;
/// Share of mainstream schools with a step-free, accessible site (an assumption).
pub const ACCESSIBLE_SHARE: f64 = 0.5;
/// Share of independent special schools approved under s.41 (an assumption).
pub const S41_SHARE: f64 = 0.5;

struct LaPlan {
    figures: LaFigures,
    /// URN → academy (true) or LA-maintained (false), for state special schools.
    academy: BTreeMap<u32, bool>,
    /// URN → archetypes, for special schools and specialist colleges.
    archetypes: BTreeMap<u32, Vec<Archetype>>,
    /// URN → extra designations added so every need with plans is covered.
    extra: BTreeMap<u32, NeedSet>,
    /// URN → the needs the school's name names (its only designations).
    named: BTreeMap<u32, NeedSet>,
    /// (kind of placement, need) with plans that no school of the kind is designated for,
    /// because every school of the kind is named for other needs.
    uncovered: Vec<(super::stats::Placement, crate::model::Need)>,
    /// Colleges of each class in the authority.
    colleges: BTreeMap<SchoolClass, usize>,
}

fn roll_of(s: &School) -> u32 {
    s.roll.unwrap_or(0)
}

/// Builds settings for the schools of the authorities `targets` (LA names), plus other
/// authorities' special schools and colleges within `options.reach_m` of them.
pub fn synthesise_provision(
    schools: &[School],
    targets: &[String],
    source: FigureSource<'_>,
    options: &ProvisionOptions,
) -> Provision {
    let located: Vec<&School> = schools.iter().filter(|s| s.location.is_some()).collect();
    let (selected, neighbours) = select_schools(&located, targets, options);

    // Plans per authority involved, each computed over all of that authority's schools.
    let mut by_la: BTreeMap<&str, Vec<&School>> = BTreeMap::new();
    for s in &located {
        by_la.entry(s.la_name.as_str()).or_default().push(s);
    }
    let mut assumptions = Vec::new();
    let plans = plan_authorities(&selected, &by_la, source, &mut assumptions);

    let mut settings = Vec::new();
    let mut census = Vec::new();
    for s in &selected {
        let plan = &plans[s.la_name.as_str()];
        settings.push(school_setting(s, plan, options.seed));
        census.push(CensusCounts {
            setting: s.urn.to_string(),
            pupils_on_roll: roll_of(s),
            ehc_plan_pupils: s.ehcp.unwrap_or(0),
            sen_support_pupils: s.sen_support.unwrap_or(0),
        });
    }
    let mut base_notes = Vec::new();
    for la in targets {
        let Some(la_schools) = by_la
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(la))
            .map(|(_, v)| v)
        else {
            continue;
        };
        let plan = &plans[la_schools[0].la_name.as_str()];
        let (bases, note) = bases_for_la(la_schools, plan, options.seed);
        settings.extend(bases);
        base_notes.push(note);
    }
    settings.sort_by(|a, b| a.id.cmp(&b.id));
    // The order `io::load_area` gives, so a cohort drawn from these settings in memory is the
    // one drawn from the written and re-read area.
    for s in &mut settings {
        s.pools.sort_by(|a, b| a.id.cmp(&b.id));
    }
    census.sort_by(|a, b| a.setting.cmp(&b.setting));

    describe(
        &mut assumptions,
        &selected,
        &settings,
        &plans,
        neighbours,
        options,
        &base_notes,
        targets,
    );
    Provision {
        settings,
        census,
        assumptions,
    }
}

/// The schools provided for, by URN: the target authorities' own, and other authorities'
/// special schools and colleges within reach of them (or asked for by URN), with how many of
/// those others there are.
fn select_schools<'a>(
    located: &[&'a School],
    targets: &[String],
    options: &ProvisionOptions,
) -> (Vec<&'a School>, usize) {
    let is_target = |s: &School| targets.iter().any(|t| t.eq_ignore_ascii_case(&s.la_name));
    let mut target_points: Vec<GridRef> = Vec::new();
    for t in targets {
        let own: Vec<GridRef> = located
            .iter()
            .filter(|s| s.la_name.eq_ignore_ascii_case(t))
            .map(|s| s.at())
            .collect();
        target_points.extend(core_points(&own));
    }
    let near = Proximity::new(&target_points, options.reach_m);
    let mut selected: Vec<&School> = Vec::new();
    let mut neighbours = 0usize;
    for s in located {
        if is_target(s) {
            selected.push(s);
        } else if options.include.contains(&s.urn)
            || matches!(
                s.class,
                SchoolClass::StateSpecial
                    | SchoolClass::NonMaintainedSpecial
                    | SchoolClass::IndependentSpecial
                    | SchoolClass::FurtherEducation
                    | SchoolClass::SpecialistPost16
            ) && near.within(s.at())
        {
            selected.push(s);
            neighbours += 1;
        }
    }
    selected.sort_by_key(|s| s.urn);
    (selected, neighbours)
}

/// The plan of each authority with a selected school, from its SEN2 figures (England's mix,
/// scaled to its schools' EHCP pupils, when it has none, which is noted in `assumptions`).
fn plan_authorities<'a>(
    selected: &[&'a School],
    by_la: &BTreeMap<&str, Vec<&School>>,
    source: FigureSource<'_>,
    assumptions: &mut Vec<Assumption>,
) -> BTreeMap<&'a str, LaPlan> {
    let involved: BTreeSet<&str> = selected.iter().map(|s| s.la_name.as_str()).collect();
    let mut plans: BTreeMap<&str, LaPlan> = BTreeMap::new();
    let mut national_used = Vec::new();
    for la in &involved {
        let la_schools = &by_la[la];
        let code = la_schools[0].la_code.as_str();
        let ehcp: u64 = la_schools
            .iter()
            .map(|s| u64::from(s.ehcp.unwrap_or(0)))
            .sum();
        let figures = source.figures(code, la, ehcp).unwrap_or_else(|| {
            national_used.push(la.to_string());
            LaFigures::national_2025().scaled(la, (ehcp as f64 / super::IN_SCHOOL_SHARE) as u64)
        });
        plans.insert(la, plan_la(la_schools, figures));
    }
    if !national_used.is_empty() {
        assumptions.push(Assumption::new(
            "figures",
            format!(
                "no SEN2 figures for {}: England's January 2025 mix is used, scaled to the EHCP pupils of their schools",
                national_used.join(", ")
            ),
            SEN2_SOURCE,
        ));
    }
    plans
}

impl LaPlan {
    fn college_count(&self, class: SchoolClass) -> usize {
        self.colleges.get(&class).copied().unwrap_or(0)
    }
}
