//! What happened while drawing a cohort, and the assumptions behind it.

use super::{
    CohortOptions, DISTANCE_DECAY_M, MALE_SHARE_EHCP, MALE_SHARE_SEN_SUPPORT,
    PREFER_INDEPENDENT_SHARE, PREFER_SPECIAL_SHARE, STAY_SHARE,
};
use crate::synth::Assumption;
use crate::synth::stats::{LaFigures, Placement, SEN2_SOURCE};
use std::collections::BTreeMap;

/// What happened while drawing, summed over authorities for the assumptions.
#[derive(Clone, Debug, Default)]
pub(super) struct Tally {
    pub(super) plans: u64,
    pub(super) by_placement: BTreeMap<Placement, u64>,
    /// (wanted placement, what was used instead) → children.
    pub(super) fallbacks: BTreeMap<(Placement, &'static str), u64>,
    pub(super) undesignated: u64,
    pub(super) needs_place: BTreeMap<&'static str, u64>,
    /// Children with no setting by SEN2 arrangement code.
    pub(super) arrangements: BTreeMap<crate::model::Arrangement, u64>,
    pub(super) sen_support: u64,
    pub(super) unknown_need: u64,
    pub(super) las: Vec<String>,
}

impl Tally {
    pub(super) fn add(&mut self, o: &Tally) {
        self.plans += o.plans;
        for (k, v) in &o.by_placement {
            *self.by_placement.entry(*k).or_default() += v;
        }
        for (k, v) in &o.fallbacks {
            *self.fallbacks.entry(*k).or_default() += v;
        }
        self.undesignated += o.undesignated;
        for (k, v) in &o.needs_place {
            *self.needs_place.entry(k).or_default() += v;
        }
        for (k, v) in &o.arrangements {
            *self.arrangements.entry(*k).or_default() += v;
        }
        self.sen_support += o.sen_support;
        self.unknown_need += o.unknown_need;
        self.las.extend(o.las.iter().cloned());
    }
}

/// The assumptions behind a cohort.
pub(super) fn describe(
    t: &Tally,
    single: Option<&LaFigures>,
    options: &CohortOptions,
) -> Vec<Assumption> {
    let mut out = Vec::new();
    describe_placements(t, single, &mut out);
    describe_profiles(options, &mut out);
    describe_places_and_preferences(t, single, options, &mut out);
    out
}

/// The counts drawn by need and placement, how placements map to settings, and where a
/// placement had to fall back to another kind of setting or an undesignated one.
fn describe_placements(t: &Tally, single: Option<&LaFigures>, out: &mut Vec<Assumption>) {
    let who = if t.las.len() == 1 {
        t.las[0].clone()
    } else {
        format!("{} authorities", t.las.len())
    };
    let source = single.map_or(SEN2_SOURCE.to_string(), |f| f.source.clone());
    let by: Vec<String> = t
        .by_placement
        .iter()
        .map(|(p, n)| format!("{} {n}", p.key()))
        .collect();
    out.push(
        Assumption::new(
            "cohort-counts",
            format!(
                "{who}: {} children with an EHC plan, exactly the published counts by primary need × type of placement ({}); the {} plans with need unknown are shared over the known needs of the same placement by largest remainder",
                t.plans,
                by.join(", "),
                t.unknown_need
            ),
            source.clone(),
        )
        .figure("plans", t.plans as f64)
        .figure("need_unknown", t.unknown_need as f64),
    );
    out.push(Assumption::new(
        "placements",
        "SEN2 placement types map to setting kinds: mainstream (LA-maintained, academy, free school) → mainstream; (resourced provision) → resourced-provision; (SEN unit) → sen-unit; mainstream independent → independent-mainstream; special LA-maintained / academy-free / independent / non-maintained → the special kinds; AP/PRU → alternative-provision; general FE, UKRLP and specialist post-16 → further-education (specialist ones charge a fee); non-maintained early years, educated elsewhere (EHE, NEET, other arrangements, Welsh establishments) and placement not recorded → kept with no current setting",
        SEN2_SOURCE,
    ));
    for ((p, used), n) in &t.fallbacks {
        out.push(
            Assumption::new(
                "placement-fallback",
                format!(
                    "{n} children placed in {} have none of that kind within reach: {}",
                    p.key(),
                    if *used == "no setting" {
                        "kept with no current setting".to_string()
                    } else {
                        format!("placed in {used} instead")
                    }
                ),
                "area settings",
            )
            .figure("children", *n as f64),
        );
    }
    if t.undesignated > 0 {
        out.push(
            Assumption::new(
                "undesignated",
                format!(
                    "{} children are placed in a base or special school not designated for their needs because none of the kind within reach is",
                    t.undesignated
                ),
                "area settings",
            )
            .figure("children", t.undesignated as f64),
        );
    }
}

/// How settings, homes, ages, sex, intensities, secondary needs and features are drawn.
fn describe_profiles(options: &CohortOptions, out: &mut Vec<Assumption>) {
    out.push(Assumption::new(
        "current-settings",
        format!(
            "mainstream children go to the authority's mainstream schools drawn by their January 2025 EHCP pupils, with homes near the school; resource bases and units fill to their pupils on roll, designated for the child's need first; special schools, AP and colleges (the authority's and others' within {:.1} km) follow a gravity model: a (setting, home area) pair is drawn with weight ∝ setting roll × home-area roll × exp(−distance / {:.0} km), among settings designated for the child's primary need where any is (home areas: the authority's primary schools within the reach of the setting)",
            options.reach_m / 1000.0,
            DISTANCE_DECAY_M / 1000.0
        ),
        "school census counts in the school file; assumption for the distance decay",
    ));
    out.push(Assumption::new(
        "homes",
        "homes: near the current mainstream school (or the base's host), or for other children near one of the authority's primary schools drawn by roll; at an exponential distance with mean half the distance to the school's third-nearest mainstream school of the same phase (0.6–6 km, so longer in rural areas), in a uniform direction; a child's locality is that school's",
        "assumption; school locations and rolls from the school file",
    ));
    out.push(Assumption::new(
        "ages",
        "`year` is the national curriculum year in the placement year (September after the January census): the January year is drawn at the current setting weighted by its pools' pupils (colleges 12–14), plus one, capped at 14; early years → R; not in education 11–14, elective home education 1–11, other elsewhere 1–14, not recorded R–14 (January years)",
        "assumption",
    ));
    out.push(Assumption::new(
        "sex",
        format!(
            "{:.0}% of children with a plan and {:.0}% of SEN-support pupils are boys",
            MALE_SHARE_EHCP * 100.0,
            MALE_SHARE_SEN_SUPPORT * 100.0
        ),
        "assumption in line with DfE SEN statistics (boys are more than twice as likely as girls to have an EHC plan); not in the shared data",
    ).figure("male_ehcp", MALE_SHARE_EHCP).figure("male_sen_support", MALE_SHARE_SEN_SUPPORT));
    out.push(Assumption::new(
        "intensity",
        "intensity in the primary need's broad area (OTH and NSA under cognition) by placement: mainstream 1–3 (mostly 2), bases 2–3, state special 2–4 (mostly 3), independent/non-maintained special and specialist colleges 3–4, AP 2–4, FE 1–3; other areas 0–2 (mostly 0); PMLD: cognition 4, communication ≥3, sensory ≥2; SLD: cognition ≥3 except in mainstream classes (≤2); a secondary need's area at least 1–2; children in mainstream classes keep a total under 10 (the rules' threshold for more than a mainstream class)",
        "assumption, matched to the shipped rules (rules/england/suitability.toml)",
    ));
    out.push(Assumption::new(
        "secondary-needs",
        "secondary needs drawn per primary need, e.g. ASD: SLCN 25%, SEMH 15%; SLD: ASD 20%, SLCN 20%, PD 10%; PMLD: PD 50%, VI 20%, MSI 10%; HI: SLCN 30% (table in src/synth/cohort.rs)",
        "assumption",
    ));
    out.push(Assumption::new(
        "features",
        "required features: PD with sensory-physical intensity ≥3 → accessible-site; HI/MSI at 4 → signing; VI at 4 → braille; PMLD 40% → nursing; kept only when the current setting offers them. No siblings are synthesised",
        "assumption",
    ));
}

/// Who needs a place and why, arrangements of children with no setting, preferences, and
/// SEN-support pupils.
fn describe_places_and_preferences(
    t: &Tally,
    single: Option<&LaFigures>,
    options: &CohortOptions,
    out: &mut Vec<Assumption>,
) {
    let np: Vec<String> = t
        .needs_place
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let share = single.map_or(String::from("each authority's"), |f| {
        format!("{:.1}%", f.new_plan_share * 100.0)
    });
    out.push(Assumption::new(
        "needs-place",
        format!(
            "needs_place is true when the current setting does not teach the next year group, in transfer years R, 7 and 12 (phase-transfer review, SEND Code of Practice 9.179), for early-years and not-in-education children, and for a share of other children in a setting equal to the net growth of plans over the year ({share}, a lower bound for new plans): {}",
            np.join("; ")
        ),
        "SEN2 caseload January 2024 and 2025",
    ));
    if options.arrangements {
        let by: Vec<String> = t
            .arrangements
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        out.push(Assumption::new(
            "arrangements",
            format!(
                "children with no setting carry the SEN2 code of their arrangement and keep it in placement rounds unless they need a place: non-maintained early years → EYP (they need a reception place); placement not recorded → OTH; within the other \"educated elsewhere\" rows, drawn in England's January 2025 proportions: NEET 18,056, NIEC 1,806, NIEO 5,452 (NEET from year 12 only); EHE 7,155, OPA 1,012; OLA 11,524, OTH 4,745 (other placement settings, online providers, other schools, Welsh establishments); not-in-education children do not need a place: {}",
                by.join(", ")
            ),
            SEN2_SOURCE,
        ));
    }
    out.push(Assumption::new(
        "preferences",
        format!(
            "preferences: children not needing a place prefer their current setting; of those needing one who could stay, {:.0}% ask to stay; otherwise the two nearest settings admitting the new year of the kind that follows the current one (mainstream → mainstream, {:.0}% special; bases → bases designated for the need; special → special designated for the need, post-16 half to colleges; AP half special; early years and others by intensity: total 9+ special), {:.0}% of special requests naming an independent school first",
            STAY_SHARE * 100.0,
            PREFER_SPECIAL_SHARE * 100.0,
            PREFER_INDEPENDENT_SHARE * 100.0
        ),
        "assumption",
    ));
    out.push(
        Assumption::new(
            "sen-support",
            format!(
                "{} SEN-support pupils: {:.0}% of each of the authority's mainstream schools' January 2025 SEN-support pupils (rounded at random), primary need from England's SEN-support mix (January 2022: SLCN 25.1%, SEMH 20.0%, MLD 18.9%, SPLD 14.4%, ASD 7.6%, NSA 4.4%, OTH 4.3%, …), year within the school, intensity 1–2 in the need's area, current setting and preference the school, not needing a place (school admissions, not an EHC plan, name their next school)",
                t.sen_support,
                options.sen_support_share * 100.0
            ),
            "school file SEN-support counts; DfE Outcomes for children in need (all-pupils comparison), 2021/22",
        )
        .figure("pupils", t.sen_support as f64)
        .figure("share", options.sen_support_share),
    );
}
