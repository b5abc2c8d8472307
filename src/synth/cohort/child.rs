//! One synthesised child: placement, setting, home, year, sex, need profile (primary and
//! secondary needs, intensities, required features) and preferences.

use super::describe::Tally;
use super::settings::{Ctx, Family, sex_slot};
use super::{
    MALE_SHARE_EHCP, PREFER_INDEPENDENT_SHARE, PREFER_SPECIAL_SHARE, SECONDARY, STAY_SHARE,
};
use crate::model::{
    Arrangement, ChildId, GridRef, Intensity, Need, NeedArea, NeedProfile, NeedSet, Setting,
    SettingId, SettingKind, Sex, YearGroup,
};
use crate::rng::Rng;
use crate::synth::stats::{LaFigures, Placement};

/// A level drawn from (level, probability) pairs.
pub(super) fn level(rng: &mut Rng, dist: &[(u8, f64)]) -> u8 {
    let w: Vec<f64> = dist.iter().map(|d| d.1).collect();
    rng.weighted(&w).map_or(dist[0].0, |i| dist[i].0)
}

/// The broad area a need's intensity is recorded under (OTH, e.g. Down syndrome, and NSA
/// under cognition and learning).
pub(super) fn main_area(need: Need) -> NeedArea {
    need.area().unwrap_or(NeedArea::CognitionLearning)
}

/// Main-area intensity by placement (an assumption: more specialist placements, higher need).
pub(super) fn main_level(placement: Placement, rng: &mut Rng) -> u8 {
    use Placement as P;
    match placement {
        P::Mainstream | P::IndependentMainstream => level(rng, &[(1, 0.25), (2, 0.55), (3, 0.20)]),
        P::ResourcedProvision | P::SenUnit => level(rng, &[(2, 0.5), (3, 0.5)]),
        P::SpecialMaintained | P::SpecialAcademy => level(rng, &[(2, 0.15), (3, 0.55), (4, 0.30)]),
        P::SpecialIndependent | P::SpecialNonMaintained | P::SpecialistPost16 => {
            level(rng, &[(3, 0.5), (4, 0.5)])
        }
        P::AlternativeProvision => level(rng, &[(2, 0.3), (3, 0.6), (4, 0.1)]),
        P::FurtherEducation => level(rng, &[(1, 0.3), (2, 0.5), (3, 0.2)]),
        _ => level(rng, &[(1, 0.2), (2, 0.5), (3, 0.3)]),
    }
}

pub(super) fn in_mainstream_class(p: Placement) -> bool {
    matches!(p, Placement::Mainstream | Placement::IndependentMainstream)
}

/// Intensities for a child with an EHC plan.
pub(super) fn plan_intensity(
    need: Need,
    secondary: NeedSet,
    placement: Placement,
    rng: &mut Rng,
) -> Intensity {
    let mut v = [0u8; 4];
    for x in &mut v {
        *x = level(rng, &[(0, 0.5), (1, 0.35), (2, 0.15)]);
    }
    let main = main_area(need) as usize;
    v[main] = main_level(placement, rng);
    let (comm, cog, sens) = (
        NeedArea::CommunicationInteraction as usize,
        NeedArea::CognitionLearning as usize,
        NeedArea::SensoryPhysical as usize,
    );
    match need {
        Need::Pmld => {
            v[cog] = 4;
            v[comm] = v[comm].max(3);
            v[sens] = v[sens].max(2);
        }
        Need::Sld if in_mainstream_class(placement) => v[cog] = v[cog].min(2),
        Need::Sld => v[cog] = v[cog].max(3),
        _ => {}
    }
    for n in secondary.iter() {
        let a = main_area(n) as usize;
        v[a] = v[a].max(1 + u8::from(rng.unit_below(0.5)));
    }
    if in_mainstream_class(placement) {
        // The rules send total intensity 10+ to more than a mainstream class; keep the
        // child's current placement consistent with them.
        while v.iter().sum::<u8>() >= 10 {
            let j = (0..4)
                .filter(|&j| j != main && v[j] > 0)
                .max_by_key(|&j| v[j])
                .unwrap_or(main);
            v[j] -= 1;
        }
    }
    Intensity(v)
}

pub(super) fn secondary_needs(need: Need, rng: &mut Rng) -> NeedSet {
    let mut s = NeedSet::default();
    if let Some((_, list)) = SECONDARY.iter().find(|(n, _)| *n == need) {
        for (n, p) in *list {
            if rng.unit_below(*p) {
                s.insert(*n);
            }
        }
    }
    s
}

/// Features a child's plan requires, kept to those the current setting offers.
pub(super) fn required_features(
    need: Need,
    intensity: Intensity,
    current: Option<&Setting>,
    rng: &mut Rng,
) -> Vec<String> {
    let sens = intensity.get(NeedArea::SensoryPhysical);
    let mut want: Vec<&str> = Vec::new();
    match need {
        Need::Pd if sens >= 3 => want.push("accessible-site"),
        Need::Hi | Need::Msi if sens >= 4 => want.push("signing"),
        Need::Vi if sens >= 4 => want.push("braille"),
        Need::Pmld if rng.unit_below(0.4) => want.push("nursing"),
        _ => {}
    }
    let mut out: Vec<String> = want
        .into_iter()
        .filter(|f| current.is_none_or(|s| s.features.iter().any(|x| x == f)))
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

#[allow(clippy::too_many_arguments)]
pub(super) fn plan_child(
    ctx: &mut Ctx<'_>,
    rng: &mut Rng,
    placement: Placement,
    need: Need,
    id: String,
    figures: &LaFigures,
    tally: &mut Tally,
    arrangements: Option<u64>,
) -> NeedProfile {
    *tally.by_placement.entry(placement).or_default() += 1;
    let sex = if rng.unit_below(MALE_SHARE_EHCP) {
        Sex::Male
    } else {
        Sex::Female
    };
    // Where the child is in January, and the January year group.
    let mut at = january_setting(ctx, rng, placement, need, sex, tally);
    if at.current.is_none() && placement.setting_kind().is_some() && !at.fell_back {
        *tally
            .fallbacks
            .entry((placement, "no setting"))
            .or_default() += 1;
    }
    if !at.designated {
        tally.undesignated += 1;
    }
    let current = at.current;
    let jan_year = january_year(ctx, rng, current, placement);
    let year = YearGroup((jan_year + 1).clamp(0, 14) as u8);
    let home = match (at.home, current) {
        (Some(h), _) => h,
        (None, Some(s)) => {
            let host = ctx.host_of[s].unwrap_or(s);
            at.anchor = Some(host);
            ctx.home_near(host, rng)
        }
        (None, None) => {
            let (h, a) = ctx.population_home(rng);
            at.anchor = Some(a);
            h
        }
    };
    let secondary = secondary_needs(need, rng);
    let intensity = plan_intensity(need, secondary, placement, rng);
    let arrangement = match (current, arrangements) {
        (None, Some(seed)) => arrangement_for(
            placement,
            year,
            &mut Rng::derive(seed, &format!("arrangement:{id}")),
        ),
        _ => None,
    };
    if let Some(a) = arrangement {
        *tally.arrangements.entry(a).or_default() += 1;
    }
    let current_setting = current.map(|s| &ctx.settings[s]);
    let features = required_features(need, intensity, current_setting, rng);

    // Does the child need a place named this round?
    let moving_on = current.is_some_and(|s| !ctx.settings[s].admits_year(year));
    let reason = place_reason(
        rng,
        current,
        moving_on,
        placement,
        year,
        figures,
        arrangements.is_some(),
    );
    if let Some(r) = reason {
        *tally.needs_place.entry(r).or_default() += 1;
    }
    let needs = {
        let mut n = secondary;
        n.insert(need);
        n
    };
    let drawn = Drawn {
        placement,
        current,
        moving_on,
        year,
        sex,
        home,
        needs,
        intensity,
    };
    let preferences = preferences(ctx, rng, &drawn, reason.is_some());
    NeedProfile {
        id: ChildId(id),
        year,
        sex,
        home,
        primary_need: need,
        secondary_needs: secondary,
        intensity,
        features,
        plan_level: "ehcp".into(),
        current_setting: current.map(|s| ctx.settings[s].id.clone()),
        preferences,
        sibling_settings: Vec::new(),
        needs_place: reason.is_some(),
        locality: at
            .anchor
            .map(|a| ctx.settings[a].locality.clone())
            .unwrap_or_default(),
        arrangement,
        packages: Vec::new(),
    }
}

/// Where a child is in January: the setting, the school whose locality is theirs, a home drawn
/// with the setting, whether the setting is designated for the need, and whether the
/// placement fell back to another kind of setting.
struct JanuarySetting {
    current: Option<usize>,
    anchor: Option<usize>,
    home: Option<GridRef>,
    designated: bool,
    fell_back: bool,
}

/// Draws the child's January setting for their placement: mainstream schools by their EHCP
/// pupils, bases for the need, independent schools by EHCP pupils, and special schools, AP
/// and colleges by the gravity model (with a home drawn with the setting).
fn january_setting(
    ctx: &mut Ctx<'_>,
    rng: &mut Rng,
    placement: Placement,
    need: Need,
    sex: Sex,
    tally: &mut Tally,
) -> JanuarySetting {
    use Placement as P;
    use SettingKind as K;
    let mut at = JanuarySetting {
        current: None,
        anchor: None,
        home: None,
        designated: true,
        fell_back: false,
    };
    match placement {
        P::Mainstream => {
            let (idx, w) = &ctx.mainstream[sex_slot(sex)];
            at.current = w.draw(rng).map(|i| idx[i]);
        }
        P::ResourcedProvision | P::SenUnit => {
            let kind = placement.setting_kind().unwrap_or(K::ResourcedProvision);
            if let Some((s, ok)) = ctx.base(kind, need, sex, rng) {
                at.current = Some(s);
                at.designated = ok;
            }
        }
        P::IndependentMainstream => {
            let cands: Vec<usize> = ctx
                .kind(K::IndependentMainstream)
                .iter()
                .copied()
                .filter(|&i| ctx.settings[i].admits.admits(sex))
                .collect();
            let w: Vec<f64> = cands.iter().map(|&i| ctx.ehcp[i].max(0.5)).collect();
            at.current = rng.weighted(&w).map(|i| cands[i]);
        }
        P::SpecialMaintained
        | P::SpecialAcademy
        | P::SpecialIndependent
        | P::SpecialNonMaintained
        | P::AlternativeProvision
        | P::FurtherEducation
        | P::SpecialistPost16 => {
            let (found, fallback) = special_setting(ctx, rng, placement, need, sex);
            if let Some(used) = fallback {
                *tally.fallbacks.entry((placement, used)).or_default() += 1;
                at.fell_back = true;
            }
            if let Some((s, ok)) = found {
                at.current = Some(s);
                at.designated = ok;
                let (h, a) = ctx.home_for(s, rng);
                at.home = Some(h);
                at.anchor = Some(a);
            }
        }
        _ => {}
    }
    at
}

/// A special school, AP or college by the gravity model, with whether it is designated for
/// the need; falling back to the nearest other kind when the authority has none of the
/// placement's kind, with the fallback used (`None` when there was none).
fn special_setting(
    ctx: &mut Ctx<'_>,
    rng: &mut Rng,
    placement: Placement,
    need: Need,
    sex: Sex,
) -> (Option<(usize, bool)>, Option<&'static str>) {
    use Placement as P;
    use SettingKind as K;
    let kind = placement.setting_kind().unwrap_or(K::SpecialAcademy);
    let fee = match placement {
        P::FurtherEducation => Some(false),
        P::SpecialistPost16 => Some(true),
        _ => None,
    };
    let found = ctx.gravity_setting(&[kind], need, sex, fee, rng);
    if found.is_some() {
        return (found, None);
    }
    let (alt, label): (&[K], &'static str) = match placement {
        P::SpecialMaintained => (&[K::SpecialAcademy], "special-academy"),
        P::SpecialAcademy => (&[K::SpecialMaintained], "special-maintained"),
        P::SpecialNonMaintained => (&[K::SpecialIndependent], "special-independent"),
        P::SpecialIndependent => (&[K::SpecialNonMaintained], "special-non-maintained"),
        P::FurtherEducation | P::SpecialistPost16 => {
            (&[K::FurtherEducation], "the other kind of college")
        }
        _ => (&[], "no setting"),
    };
    let found = ctx.gravity_setting(alt, need, sex, None, rng);
    let used = if found.is_some() { label } else { "no setting" };
    (found, Some(used))
}

/// The child's January year group (-1 for early years): drawn at their setting, else by
/// placement.
fn january_year(ctx: &Ctx<'_>, rng: &mut Rng, current: Option<usize>, placement: Placement) -> i32 {
    use Placement as P;
    match (current, placement) {
        (_, P::EarlyYears) => -1,
        (Some(s), P::FurtherEducation | P::SpecialistPost16) => {
            i32::from(ctx.year_at(s, rng, 12, 14))
        }
        (Some(s), _) => i32::from(ctx.year_at(s, rng, 0, 14)),
        (None, P::NotInEducation) => rng.int(11, 14) as i32,
        (None, P::ElectiveHome) => rng.int(1, 11) as i32,
        (None, P::FurtherEducation | P::SpecialistPost16) => rng.int(12, 14) as i32,
        (None, P::ElsewhereOther) => rng.int(1, 14) as i32,
        (None, _) => rng.int(0, 14) as i32,
    }
}

/// Why the child needs a place named this round, if they do: moving on, a phase transfer,
/// starting school, out of education, or (drawn) a new plan.
fn place_reason(
    rng: &mut Rng,
    current: Option<usize>,
    moving_on: bool,
    placement: Placement,
    year: YearGroup,
    figures: &LaFigures,
    has_arrangements: bool,
) -> Option<&'static str> {
    use Placement as P;
    if moving_on {
        Some("moving on: the current setting does not teach the next year group")
    } else if matches!(year.0, 0 | 7 | 12) && current.is_some() {
        Some("phase transfer year (R, 7 or 12)")
    } else if current.is_none() && matches!(placement, P::EarlyYears) {
        Some("starting school from early years")
    } else if current.is_none() && matches!(placement, P::NotInEducation) && !has_arrangements {
        Some("not in education or training")
    } else if current.is_some() && rng.unit_below(figures.new_plan_share) {
        Some("new plan")
    } else {
        None
    }
}

/// What choosing a child's preferences needs to know of them.
struct Drawn {
    placement: Placement,
    current: Option<usize>,
    moving_on: bool,
    year: YearGroup,
    sex: Sex,
    home: GridRef,
    needs: NeedSet,
    intensity: Intensity,
}

/// The child's preferences: their current setting when they do not need a place; when they
/// do, most ask to stay where they can, and the rest name the two nearest settings of the
/// family that follows their placement (their current setting last).
fn preferences(ctx: &Ctx<'_>, rng: &mut Rng, child: &Drawn, needs_place: bool) -> Vec<SettingId> {
    let year = child.year;
    let staying = child.current.filter(|_| !child.moving_on);
    let nearest = |family: Family, independent: bool| {
        ctx.nearest(
            family,
            child.needs,
            year,
            child.sex,
            child.home,
            independent,
            2,
        )
    };
    let mut preferences: Vec<SettingId> = Vec::new();
    if !needs_place {
        preferences.extend(child.current.map(|s| ctx.settings[s].id.clone()));
    } else if let Some(s) = staying
        && rng.unit_below(STAY_SHARE)
    {
        preferences.push(ctx.settings[s].id.clone());
    } else {
        let family = next_family(rng, child.placement, year, child.intensity.total());
        let independent = family == Family::Special && rng.unit_below(PREFER_INDEPENDENT_SHARE);
        let mut picks = nearest(family, independent);
        if picks.is_empty() && family != Family::Mainstream {
            let fallback = if year.0 >= 12 {
                Family::College
            } else {
                Family::Mainstream
            };
            picks = nearest(fallback, false);
        }
        if picks.is_empty() {
            picks = nearest(Family::Mainstream, false);
        }
        preferences.extend(picks.into_iter().map(|s| ctx.settings[s].id.clone()));
        if let Some(s) = staying {
            let id = ctx.settings[s].id.clone();
            if !preferences.contains(&id) {
                preferences.push(id);
            }
        }
    }
    preferences
}

/// The family of setting a child needing a place asks for next, by their placement, year
/// group and total intensity (some drawn).
fn next_family(rng: &mut Rng, placement: Placement, year: YearGroup, total: u8) -> Family {
    use Placement as P;
    match placement {
        P::Mainstream | P::IndependentMainstream if year.0 >= 12 => {
            if rng.unit_below(0.5) {
                Family::College
            } else {
                Family::Mainstream
            }
        }
        P::Mainstream | P::IndependentMainstream => {
            if rng.unit_below(PREFER_SPECIAL_SHARE) {
                Family::Special
            } else {
                Family::Mainstream
            }
        }
        P::ResourcedProvision | P::SenUnit => Family::Base,
        P::SpecialMaintained
        | P::SpecialAcademy
        | P::SpecialIndependent
        | P::SpecialNonMaintained => {
            if year.0 >= 12 && rng.unit_below(0.5) {
                Family::College
            } else {
                Family::Special
            }
        }
        P::AlternativeProvision => {
            if rng.unit_below(0.5) {
                Family::Special
            } else {
                Family::Mainstream
            }
        }
        P::FurtherEducation | P::SpecialistPost16 => Family::College,
        P::NotInEducation if year.0 >= 12 => Family::College,
        _ if total >= 9 => Family::Special,
        _ => Family::Mainstream,
    }
}

/// National counts of EHC plans by SEN2 "educated elsewhere" row, January 2025 (DfE, *Education,
/// health and care plans*): within each of the synthesiser's merged placements, a child's
/// arrangement is drawn in these proportions (the authority's own split is not used).
const NEET_2025: f64 = 18_056.0;
/// Not in education or training: notice to cease issued (NIEC).
const NIEC_2025: f64 = 1_806.0;
/// Not in education or training: compulsory school age (2,460) and other (2,992), both NIEO.
const NIEO_2025: f64 = 2_460.0 + 2_992.0;
/// Elective home education (EHE) and other arrangements by parents (OPA).
const EHE_2025: f64 = 7_155.0;
const OPA_2025: f64 = 1_012.0;
/// Other arrangements by the LA (OLA), and other placement settings, online providers, other
/// schools and Welsh establishments (OTH: 4,045 + 123 + 175 + 402).
const OLA_2025: f64 = 11_524.0;
const OTH_2025: f64 = 4_745.0;

/// The SEN2 arrangement of a child of `placement` with no setting, in year group `year`:
/// early years → EYP; placement not recorded → OTH; the others drawn in the national
/// proportions above (NEET only from year 12, the age of 16).
pub(super) fn arrangement_for(
    placement: Placement,
    year: YearGroup,
    rng: &mut Rng,
) -> Option<Arrangement> {
    use Arrangement as A;
    use Placement as P;
    let pick = |rng: &mut Rng, options: &[(A, f64)]| -> A {
        let total: f64 = options.iter().map(|o| o.1).sum();
        let mut x = rng.unit() * total;
        for &(a, w) in options {
            if x < w {
                return a;
            }
            x -= w;
        }
        options[options.len() - 1].0
    };
    Some(match placement {
        P::EarlyYears => A::Eyp,
        P::NotRecorded => A::Oth,
        P::NotInEducation if year.0 >= 12 => pick(
            rng,
            &[
                (A::Neet, NEET_2025),
                (A::Niec, NIEC_2025),
                (A::Nieo, NIEO_2025),
            ],
        ),
        P::NotInEducation => pick(rng, &[(A::Niec, NIEC_2025), (A::Nieo, NIEO_2025)]),
        P::ElectiveHome => pick(rng, &[(A::Ehe, EHE_2025), (A::Opa, OPA_2025)]),
        P::ElsewhereOther => pick(rng, &[(A::Ola, OLA_2025), (A::Oth, OTH_2025)]),
        _ => return None,
    })
}
