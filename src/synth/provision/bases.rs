//! Resource bases and SEN units of an authority: from the school file when it lists them,
//! otherwise synthesised from the SEN2 counts of pupils in them.

use super::setting::pool;
use super::{BASE_PLACES, LaPlan, RP_OCCUPANCY, UNIT_OCCUPANCY, roll_of};
use crate::model::{Need, NeedSet, Setting, SettingId, SettingKind, YearGroup};
use crate::rng::{Rng, largest_remainder};
use crate::synth::school::{School, SchoolClass};
use crate::synth::stats::{LaFigures, PLAN_NEEDS, Placement};
use std::collections::BTreeSet;

/// What was done about resource bases and units in one authority.
pub(super) struct BaseNote {
    pub(super) la: String,
    pub(super) from_file: bool,
    /// (children, places, bases) for resourced provision and for SEN units.
    pub(super) rp: (u64, u64, usize),
    pub(super) unit: (u64, u64, usize),
    pub(super) uncovered: usize,
}
impl BaseNote {
    /// The (children, places, bases) tally for resourced provision or for SEN units.
    fn tally_mut(&mut self, kind: SettingKind) -> &mut (u64, u64, usize) {
        if kind == SettingKind::ResourcedProvision {
            &mut self.rp
        } else {
            &mut self.unit
        }
    }
}

/// A short name for a need in a base's name.
pub(super) fn need_label(n: Need) -> &'static str {
    match n {
        Need::Asd => "autism",
        Need::Slcn => "speech and language",
        Need::Semh => "SEMH",
        Need::Mld => "learning support",
        Need::Spld => "specific learning difficulties",
        Need::Sld => "severe learning difficulties",
        Need::Pmld => "profound learning difficulties",
        Need::Hi => "hearing support",
        Need::Vi => "vision support",
        Need::Msi => "multi-sensory",
        Need::Pd => "physical disability",
        Need::Oth | Need::Nsa => "complex needs",
    }
}

/// Features a base for `need` offers.
pub(super) fn base_features(need: Need) -> &'static [&'static str] {
    match need {
        Need::Asd => &["sensory-room", "small-class"],
        Need::Slcn => &["small-class", "therapy-on-site"],
        Need::Hi => &["signing", "small-class"],
        Need::Vi => &["braille", "small-class"],
        Need::Pd => &["accessible-site", "small-class"],
        Need::Msi => &["accessible-site", "signing", "small-class"],
        _ => &["small-class"],
    }
}

/// Resource bases and units of one authority: from the file's `TypeOfResourcedProvision`
/// columns when it has them, otherwise synthesised from the SEN2 counts of pupils in them.
pub(super) fn bases_for_la(
    schools: &[&School],
    plan: &LaPlan,
    seed: u64,
) -> (Vec<Setting>, BaseNote) {
    let la = schools[0].la_name.clone();
    let mut note = BaseNote {
        la: la.clone(),
        from_file: false,
        rp: (0, 0, 0),
        unit: (0, 0, 0),
        uncovered: 0,
    };
    if schools.iter().any(|s| s.base_columns) {
        note.from_file = true;
        let out = bases_from_file(schools, &mut note);
        return (out, note);
    }
    let mut out = Vec::new();
    let mut hosted: BTreeSet<(u32, SettingKind)> = BTreeSet::new();
    for (placement, kind, occupancy, suffix) in [
        (
            Placement::ResourcedProvision,
            SettingKind::ResourcedProvision,
            RP_OCCUPANCY,
            "RP",
        ),
        (
            Placement::SenUnit,
            SettingKind::SenUnit,
            UNIT_OCCUPANCY,
            "UN",
        ),
    ] {
        let t = &plan.figures.table;
        let children = t.placement_total(placement);
        if children == 0 {
            continue;
        }
        let places = (children as f64 / occupancy).ceil() as u64;
        let n = ((places as f64 / BASE_PLACES).round() as usize).max(1);
        let weights = need_weights(plan, placement);
        let needs = base_needs(&weights, n, &mut note.uncovered);
        let n = needs.len();
        let demand = base_demand(&needs, &weights);
        let capacities = largest_remainder(places, &demand);
        let rolls = largest_remainder(children, &demand);
        let sized: Vec<(Need, NeedSet, u32, u32)> = needs
            .into_iter()
            .zip(capacities.iter().zip(rolls))
            .map(|((lead, designation), (c, r))| (lead, designation, *c as u32, r.min(*c) as u32))
            .collect();
        let mut rng = Rng::derive(seed, &format!("bases:{la}:{suffix}"));
        out.extend(host_bases(
            schools,
            kind,
            suffix,
            sized,
            &mut rng,
            &mut hosted,
        ));
        *note.tally_mut(kind) = (children, places, n);
    }
    (out, note)
}

/// The bases and units the school file lists, one per school and kind, tallied in `note`.
fn bases_from_file(schools: &[&School], note: &mut BaseNote) -> Vec<Setting> {
    let mut out = Vec::new();
    for s in schools {
        for (figures, kind, suffix) in [
            (s.resourced_provision, SettingKind::ResourcedProvision, "RP"),
            (s.sen_unit, SettingKind::SenUnit, "UN"),
        ] {
            let Some(f) = figures else { continue };
            let mut designations = s.designations.unwrap_or_default();
            if designations.is_empty() {
                designations.insert(Need::Oth);
            }
            let capacity = f.capacity.unwrap_or(BASE_PLACES as u32);
            let on_roll = f.on_roll.unwrap_or(0);
            let c = note.tally_mut(kind);
            c.0 += u64::from(on_roll);
            c.1 += u64::from(capacity);
            c.2 += 1;
            let lead = designations.iter().next().unwrap_or(Need::Oth);
            out.push(base_setting(
                s,
                kind,
                suffix,
                lead,
                designations,
                capacity,
                on_roll,
            ));
        }
    }
    out
}

/// The authority's pupils of each need in this kind of base, or England's when it has none.
fn need_weights(plan: &LaPlan, placement: Placement) -> Vec<f64> {
    let t = &plan.figures.table;
    let weights: Vec<f64> = PLAN_NEEDS
        .iter()
        .map(|x| t.get(placement, *x) as f64)
        .collect();
    if weights.iter().sum::<f64>() <= 0.0 {
        let national = LaFigures::national_2025();
        return PLAN_NEEDS
            .iter()
            .map(|x| national.table.get(placement, *x) as f64)
            .collect();
    }
    weights
}

/// Each base's lead need and the needs it is designated for: `n` bases shared over needs by
/// largest remainder, with needs that got no base of their own (counted in `uncovered`) added.
fn base_needs(weights: &[f64], n: usize, uncovered: &mut usize) -> Vec<(Need, NeedSet)> {
    let per_need = largest_remainder(n as u64, weights);
    let mut order: Vec<usize> = (0..12).collect();
    order.sort_by(|a, b| weights[*b].total_cmp(&weights[*a]).then(a.cmp(b)));
    // Each base: its lead need, and the needs it is designated for.
    let mut needs: Vec<(Need, NeedSet)> = Vec::new();
    for &i in &order {
        for _ in 0..per_need[i] {
            needs.push((PLAN_NEEDS[i], [PLAN_NEEDS[i]].into_iter().collect()));
        }
    }
    // Needs with pupils but no base of their own join the bases of a need in the same
    // broad area; the rest share one more base when they have at least a third of a
    // base's pupils between them, else join the largest need's bases (not a sensory one).
    let mut rest: Vec<Need> = Vec::new();
    for &i in &order {
        let need = PLAN_NEEDS[i];
        if weights[i] <= 0.0 || needs.iter().any(|(_, d)| d.contains(need)) {
            continue;
        }
        *uncovered += 1;
        let same_area: Vec<usize> = (0..needs.len())
            .filter(|&b| needs[b].0.area().is_some() && needs[b].0.area() == need.area())
            .collect();
        if same_area.is_empty() {
            rest.push(need);
        } else {
            for b in same_area {
                needs[b].1.insert(need);
            }
        }
    }
    let rest_pupils: f64 = rest
        .iter()
        .map(|n| weights[crate::synth::stats::need_index(*n).unwrap_or(0)])
        .sum();
    if !rest.is_empty() {
        // A base named for a sense impairment (hearing, vision, multi-sensory) takes no
        // other area's needs: its name would not say what it is for.
        let host = needs
            .iter()
            .position(|(lead, _)| !matches!(lead, Need::Hi | Need::Vi | Need::Msi));
        match host {
            Some(b) if rest_pupils < BASE_PLACES / 3.0 => {
                for n in &rest {
                    needs[b].1.insert(*n);
                }
            }
            _ => {
                let set: NeedSet = rest.iter().copied().collect();
                needs.push((Need::Oth, set));
            }
        }
    }
    needs
}

/// Each base's share of demand: the pupils of its needs, each need's pupils split evenly
/// over the bases designated for it.
fn base_demand(needs: &[(Need, NeedSet)], weights: &[f64]) -> Vec<f64> {
    // Places and pupils follow each base's share of the pupils of its needs.
    let sharing = |need: Need| {
        needs
            .iter()
            .filter(|(_, d)| d.contains(need))
            .count()
            .max(1)
    };
    needs
        .iter()
        .map(|(_, d)| {
            d.iter()
                .map(|x| {
                    weights[crate::synth::stats::need_index(x).unwrap_or(0)] / sharing(x) as f64
                })
                .sum::<f64>()
                .max(1.0)
        })
        .collect()
}

/// Draws a host for each base (lead need, designations, places, pupils) among the mainstream
/// schools, weighted by their EHCP pupils, at most one base of each kind per school; stops
/// when no school is left to host one.
fn host_bases(
    schools: &[&School],
    kind: SettingKind,
    suffix: &str,
    bases: Vec<(Need, NeedSet, u32, u32)>,
    rng: &mut Rng,
    hosted: &mut BTreeSet<(u32, SettingKind)>,
) -> Vec<Setting> {
    let mut out = Vec::new();
    let candidates: Vec<&School> = schools
        .iter()
        .copied()
        .filter(|s| s.class == SchoolClass::Mainstream && s.location.is_some())
        .collect();
    for (lead, designation, capacity, on_roll) in bases {
        let weights: Vec<f64> = candidates
            .iter()
            .map(|s| {
                if hosted.contains(&(s.urn, kind)) {
                    0.0
                } else {
                    f64::from(s.ehcp.unwrap_or(0)).max(f64::from(roll_of(s)) * 0.01)
                }
            })
            .collect();
        let Some(h) = rng.weighted(&weights) else {
            break;
        };
        let host = candidates[h];
        hosted.insert((host.urn, kind));
        out.push(base_setting(
            host,
            kind,
            suffix,
            lead,
            designation,
            capacity,
            on_roll,
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub(super) fn base_setting(
    host: &School,
    kind: SettingKind,
    suffix: &str,
    lead: Need,
    designations: NeedSet,
    capacity: u32,
    on_roll: u32,
) -> Setting {
    let what = if kind == SettingKind::SenUnit {
        "unit"
    } else {
        "resource base"
    };
    let mut features: BTreeSet<&str> = BTreeSet::new();
    for n in designations.iter() {
        features.extend(base_features(n));
    }
    let last = host.last_year.min(11).max(host.first_year);
    Setting {
        id: SettingId(format!("{}-{suffix}", host.urn)),
        name: format!("{} {} {what}", host.name, need_label(lead)),
        kind,
        host: Some(SettingId(host.urn.to_string())),
        first_year: YearGroup(host.first_year),
        last_year: YearGroup(last),
        admits: host.admits,
        location: host.at(),
        designations,
        features: features.into_iter().map(str::to_string).collect(),
        pools: vec![pool("base", host.first_year, last, capacity, on_roll)],
        annual_fee: None,
        locality: host.locality.clone(),
        s41_approved: false,
        local_authority: host.la_name.clone(),
        packages: None,
    }
}
