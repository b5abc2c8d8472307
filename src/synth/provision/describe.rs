//! The assumptions behind synthesised provision, with the figures used.

use super::bases::BaseNote;
use super::{
    ACCESSIBLE_SHARE, BASE_PLACES, LaPlan, ProvisionOptions, RP_OCCUPANCY, S41_SHARE,
    SIXTH_FORM_SHARE, SPECIAL_FULL_SHARE, UNIT_OCCUPANCY, roll_of,
};
use crate::model::{Setting, SettingKind};
use crate::synth::Assumption;
use crate::synth::school::{School, SchoolClass};
use crate::synth::stats::{Placement, SEN2_SOURCE};
use std::collections::BTreeMap;

/// The assumptions behind the provision, with the figures used.
#[allow(clippy::too_many_arguments)]
pub(super) fn describe(
    out: &mut Vec<Assumption>,
    selected: &[&School],
    settings: &[Setting],
    plans: &BTreeMap<&str, LaPlan>,
    neighbours: usize,
    options: &ProvisionOptions,
    bases: &[BaseNote],
    targets: &[String],
) {
    let provided = Provided {
        selected,
        settings,
        plans,
        targets,
    };
    describe_schools(out, &provided, neighbours, options);
    describe_designations(out, &provided);
    describe_capacity_and_fees(out);
    describe_bases(out, bases);
    out.push(Assumption::new(
        "localities",
        "a setting's locality is the GIAS town when given, else its postcode's outward code",
        "school file",
    ));
}

/// The schools provided for, their settings, the plans of their authorities and the
/// authorities provided for.
#[derive(Clone, Copy)]
struct Provided<'a> {
    selected: &'a [&'a School],
    settings: &'a [Setting],
    plans: &'a BTreeMap<&'a str, LaPlan>,
    targets: &'a [String],
}

/// How many of the settings are of this kind.
fn count_kind(settings: &[Setting], kind: SettingKind) -> usize {
    settings.iter().filter(|s| s.kind == kind).count()
}

/// Which schools were chosen, how their kinds and year ranges were decided, and mainstream
/// capacity.
fn describe_schools(
    out: &mut Vec<Assumption>,
    provided: &Provided<'_>,
    neighbours: usize,
    options: &ProvisionOptions,
) {
    let (selected, settings) = (provided.selected, provided.settings);
    let count = |k: SettingKind| count_kind(settings, k);
    out.push(
        Assumption::new(
            "selection",
            format!(
                "{} schools of the authority; {neighbours} special schools and colleges of other authorities within {:.1} km (straight line) of one of its schools are included",
                selected.len() - neighbours,
                options.reach_m / 1000.0
            ),
            "school file; reach: 75 minutes (secondary journey guidance) at a flat 30 km/h with road factor 1.3",
        )
        .figure("schools", (selected.len() - neighbours) as f64)
        .figure("neighbours", neighbours as f64)
        .figure("reach_km", options.reach_m / 1000.0),
    );
    out.push(Assumption::new(
        "independent-special",
        format!(
            "an independent school where at least {:.0}% of pupils have an EHC plan is an independent special school ({} found); the shared extract separates them only in London, where 71 of 78 independent special schools and 14 of 423 other independent schools meet this test",
            crate::synth::gias::INDEPENDENT_SPECIAL_SHARE * 100.0,
            count(SettingKind::SpecialIndependent)
        ),
        "school file EHCP and roll counts (January 2025 census)",
    ).figure("share", crate::synth::gias::INDEPENDENT_SPECIAL_SHARE));
    describe_maintained_or_academy(out, provided);
    let assumed_years = selected.iter().filter(|s| !s.ages_known).count();
    if assumed_years > 0 {
        out.push(Assumption::new(
            "year-ranges",
            format!(
                "{assumed_years} schools have no statutory age range: primary R–6; middle 4–7 or 5–8; secondary 7–11, with a sixth form to 13 when the roll is at least {}; all-through R–13; 16 plus 12–13; state and non-maintained special R–14 (primary-phase R–6, secondary-phase 7–14); independent special 3–14; independent mainstream R–13; alternative provision 3–11; colleges 12–14 (ages 16–19; older learners are counted in 14)",
                crate::synth::school::SIXTH_FORM_ROLL
            ),
            "assumption; GIAS StatutoryLowAge/StatutoryHighAge are used when present",
        ).figure("schools", assumed_years as f64));
    }
    out.push(
        Assumption::new(
            "mainstream-capacity",
            format!(
                "mainstream capacity (when the file has no SchoolCapacity): the average year group rounded up to a multiple of 5 places, times the years; sixth forms hold {:.0}% of a school's roll; {:.0}% of mainstream schools (drawn per school) have an accessible site",
                SIXTH_FORM_SHARE * 100.0,
                ACCESSIBLE_SHARE * 100.0
            ),
            "assumption",
        )
        .figure("sixth_form_share", SIXTH_FORM_SHARE)
        .figure("accessible_share", ACCESSIBLE_SHARE),
    );
}

/// How state special schools with no known type were made LA-maintained or academy, when any were.
fn describe_maintained_or_academy(out: &mut Vec<Assumption>, provided: &Provided<'_>) {
    let Provided {
        selected,
        settings,
        plans,
        targets,
    } = *provided;
    let count = |k: SettingKind| count_kind(settings, k);
    let unknown_split = selected
        .iter()
        .filter(|s| s.class == SchoolClass::StateSpecial && s.academy.is_none())
        .count();
    if unknown_split > 0 {
        let mut las: Vec<String> = Vec::new();
        for (la, p) in plans {
            if targets.len() > 5 || !targets.iter().any(|t| t.eq_ignore_ascii_case(la)) {
                continue;
            }
            let m = p
                .figures
                .table
                .placement_total(Placement::SpecialMaintained);
            let a = p.figures.table.placement_total(Placement::SpecialAcademy);
            las.push(format!("{la} {m} maintained : {a} academy"));
        }
        if las.is_empty() {
            las.push("each authority's own figures".into());
        }
        out.push(Assumption::new(
            "special-maintained-or-academy",
            format!(
                "{unknown_split} state special schools have no type beyond 'special' (academies are named as such); largest first, each is made LA-maintained or academy to bring the rolls closest to the authority's SEN2 split of plans in maintained vs academy special schools ({}; other authorities' schools within reach by their own figures); result: {} maintained, {} academy",
                las.join(", "),
                count(SettingKind::SpecialMaintained),
                count(SettingKind::SpecialAcademy)
            ),
            SEN2_SOURCE,
        ));
    }
}

/// How special schools' designations were decided, with one record per school whose
/// designations were inferred.
fn describe_designations(out: &mut Vec<Assumption>, provided: &Provided<'_>) {
    let (selected, settings, plans) = (provided.selected, provided.settings, provided.plans);
    let designated = settings
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SettingKind::SpecialMaintained
                    | SettingKind::SpecialAcademy
                    | SettingKind::SpecialIndependent
                    | SettingKind::SpecialNonMaintained
            )
        })
        .count();
    let extra: usize = plans.values().map(|p| p.extra.len()).sum();
    let named: usize = plans.values().map(|p| p.named.len()).sum();
    out.push(Assumption::new(
        "special-designations",
        format!(
            "{designated} special schools, and specialist colleges: SEN1–SEN13 designations when the school file has them; otherwise a name that names needs decides them alone ({named} schools: blind, visual or sight → VI; deaf or hearing → HI; deafblind or multi-sensory → MSI; physical → PD; autism → ASD; behaviour, emotional or SEMH → SEMH; speech → SLCN; dyslexia → SPLD), and every other school gets one to three types by roll (<100 pupils one, <250 two, else three): complex (SLD, PMLD, MSI, PD, ASD, SLCN, OTH), learning (MLD, SPLD, SLCN, ASD, OTH), communication (ASD, SLCN), SEMH, sensory-physical (HI, VI, MSI, PD), largest school first, the types furthest below their share of the authority's SEN2 plans in that kind of special school; {extra} schools not named for a need got extra needs so that every need with plans is covered. One `designation` record per school says which"
        ),
        SEN2_SOURCE,
    ));
    for (la, plan) in plans {
        if plan.uncovered.is_empty() {
            continue;
        }
        let list: Vec<String> = plan
            .uncovered
            .iter()
            .map(|(p, n)| format!("{n} in {}", p.key()))
            .collect();
        out.push(Assumption::new(
            "special-designations",
            format!(
                "{la}: no school is designated for {} (every school of that kind is named for other needs)",
                list.join(", ")
            ),
            SEN2_SOURCE,
        ));
    }
    for s in selected {
        let plan = &plans[s.la_name.as_str()];
        let id = s.urn.to_string();
        let Some(setting) = settings.iter().find(|x| x.id.0 == id) else {
            continue;
        };
        let Some(basis) = designation_basis(s, plan) else {
            continue;
        };
        out.push(Assumption::new(
            "designation",
            format!(
                "{} {}: {} ({basis})",
                s.urn,
                s.name,
                setting.designations.joined()
            ),
            "assumption",
        ));
    }
}

/// Why a special school has the designations it was given, or `None` when they came from the
/// file or were not inferred.
fn designation_basis(s: &School, plan: &LaPlan) -> Option<String> {
    if s.designations.is_some_and(|d| !d.is_empty()) {
        None
    } else if plan.named.contains_key(&s.urn) {
        let words = super::named_needs(&s.name)
            .map(|(_, w)| w.join(", "))
            .unwrap_or_default();
        Some(format!("the name names {words}"))
    } else if let Some(arch) = plan.archetypes.get(&s.urn) {
        let types: Vec<&str> = arch.iter().map(|a| a.key()).collect();
        let mut b = format!(
            "types {} drawn to match {}'s SEN2 plans in this kind of school (roll {})",
            types.join(", "),
            s.la_name,
            roll_of(s)
        );
        if let Some(x) = plan.extra.get(&s.urn) {
            b.push_str(&format!(
                "; {} added so every need with plans is covered",
                x.joined()
            ));
        }
        Some(b)
    } else {
        None
    }
}

/// Special-school capacity, fees of independent and non-maintained settings, and college places.
fn describe_capacity_and_fees(out: &mut Vec<Assumption>) {
    out.push(
        Assumption::new(
            "special-capacity",
            format!(
                "special schools: on roll = the census roll (split over primary/secondary/post-16 pools by years); {:.0}% (drawn per school) are at or over capacity (capacity 90–100% of roll), the rest have 3–20% spare",
                SPECIAL_FULL_SHARE * 100.0
            ),
            "63% of special schools at or over capacity (parliamentary answer, DOMAIN.md)",
        )
        .figure("full_share", SPECIAL_FULL_SHARE),
    );
    out.push(Assumption::new(
        "fees",
        format!(
            "annual fees: independent special £50,000–£100,000 (+£20,000 for the 30% residential), {:.0}% approved under s.41; non-maintained special £40,000–£75,000 (half residential); specialist post-16 £35,000–£70,000; independent mainstream £15,000–£30,000; rounded to £1,000, drawn per school",
            S41_SHARE * 100.0
        ),
        "DOMAIN.md: independent special placements often cost £50k–£100k+ a year; other ranges and the s.41 share are assumptions",
    ));
    out.push(Assumption::new(
        "colleges",
        "FE colleges and specialist post-16 institutions: high-needs places = the authority's SEN2 plans in that kind of college shared equally over its colleges (at least 5), capacity 10% + 5 above; colleges not in the census are FE when their phase is '16 plus' and specialist post-16 when named 'College' with no phase",
        SEN2_SOURCE,
    ));
}

/// Each authority's resource bases and units, from the file or from SEN2 pupil counts.
fn describe_bases(out: &mut Vec<Assumption>, bases: &[BaseNote]) {
    for b in bases {
        if b.from_file {
            out.push(Assumption::new(
                "resource-bases",
                format!(
                    "{}: resource bases and units from the file's TypeOfResourcedProvision columns: {} resourced provisions ({} places), {} units ({} places)",
                    b.la, b.rp.2, b.rp.1, b.unit.2, b.unit.1
                ),
                "GIAS",
            ));
            continue;
        }
        out.push(
            Assumption::new(
                "resource-bases",
                format!(
                    "{}: {} pupils in resourced provision → {} places at the national occupancy of {:.1}% → {} bases (about one per {} places); {} pupils in SEN units → {} places at {:.1}% → {} units; bases are shared over needs by largest remainder on the SEN2 need mix of pupils in bases, one lead need each; {} rarer needs join the bases of a need in the same broad area, or together form one more 'complex needs' base when they have at least a third of a base's pupils (else join the largest need's bases); places and pupils on roll follow each base's share of its needs' pupils; hosts are drawn among the authority's mainstream schools weighted by their EHCP pupils, at most one base of each kind per school",
                    b.la,
                    b.rp.0,
                    b.rp.1,
                    RP_OCCUPANCY * 100.0,
                    b.rp.2,
                    BASE_PLACES,
                    b.unit.0,
                    b.unit.1,
                    UNIT_OCCUPANCY * 100.0,
                    b.unit.2,
                    b.uncovered
                ),
                "SEN2 January 2025 pupils in resourced provision and SEN units; national places ~18,000 resourced provision and ~9,000 SEN unit (parliamentary answer, DOMAIN.md)",
            )
            .figure("rp_pupils", b.rp.0 as f64)
            .figure("rp_places", b.rp.1 as f64)
            .figure("rp_bases", b.rp.2 as f64)
            .figure("unit_pupils", b.unit.0 as f64)
            .figure("unit_places", b.unit.1 as f64)
            .figure("unit_bases", b.unit.2 as f64),
        );
    }
}
