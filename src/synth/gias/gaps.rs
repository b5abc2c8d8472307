//! What a school file lacks, filled in: the LA of rows without one (from the nearest school
//! that has one) and the rolls of schools without pupil numbers.

use super::SchoolFile;
use crate::model::GridRef;
use crate::synth::Assumption;
use crate::synth::school::{School, SchoolClass};
use std::collections::BTreeMap;

/// Gives rows without an LA the LA of the nearest school that has one, and fills LA names
/// from codes and codes from names.
pub(super) fn complete_las(file: &mut SchoolFile) {
    let mut code_of: BTreeMap<String, String> = BTreeMap::new();
    let mut name_of: BTreeMap<String, String> = BTreeMap::new();
    for s in &file.schools {
        if !s.la_code.is_empty() && !s.la_name.is_empty() {
            code_of
                .entry(s.la_name.clone())
                .or_insert(s.la_code.clone());
            name_of
                .entry(s.la_code.clone())
                .or_insert(s.la_name.clone());
        }
    }
    for s in &mut file.schools {
        if s.la_name.is_empty()
            && let Some(n) = name_of.get(&s.la_code)
        {
            s.la_name = n.clone();
        }
        if s.la_code.is_empty()
            && let Some(c) = code_of.get(&s.la_name)
        {
            s.la_code = c.clone();
        }
    }
    let known: Vec<(GridRef, String, String)> = file
        .schools
        .iter()
        .filter(|s| !s.la_name.is_empty())
        .filter_map(|s| {
            s.location
                .map(|l| (l, s.la_code.clone(), s.la_name.clone()))
        })
        .collect();
    let mut assigned = 0;
    for s in &mut file.schools {
        if !s.la_name.is_empty() {
            continue;
        }
        let Some(at) = s.location else { continue };
        if let Some((_, code, name)) = known
            .iter()
            .min_by(|a, b| a.0.distance_to(at).total_cmp(&b.0.distance_to(at)))
        {
            s.la_code = code.clone();
            s.la_name = name.clone();
            assigned += 1;
        }
    }
    if assigned > 0 {
        file.assumptions.push(
            Assumption::new(
                "la-by-location",
                format!(
                    "{assigned} schools have no local authority in the file (not in the January 2025 census: colleges, new academies); each takes the LA of the nearest school that has one"
                ),
                "school file locations",
            )
            .figure("schools", f64::from(assigned)),
        );
    }
}

/// Estimates missing rolls (and EHCP / SEN-support counts) from schools of the same class and
/// phase: the median roll, and the group's pooled rates.
pub(super) fn estimate_rolls(file: &mut SchoolFile) {
    let key = |s: &School| (s.class, s.phase.to_ascii_lowercase());
    // Per (class, phase): rolls, and summed pupils, EHCP pupils and SEN-support pupils.
    type Group = (Vec<u32>, u64, u64, u64);
    let mut groups: BTreeMap<(SchoolClass, String), Group> = BTreeMap::new();
    for s in &file.schools {
        if let (Some(r), Some(e), Some(ss)) = (s.roll, s.ehcp, s.sen_support) {
            let g = groups.entry(key(s)).or_default();
            g.0.push(r);
            g.1 += u64::from(r);
            g.2 += u64::from(e);
            g.3 += u64::from(ss);
        }
    }
    let mut all: Vec<u32> = groups.values().flat_map(|g| g.0.iter().copied()).collect();
    all.sort_unstable();
    let overall = all.get(all.len() / 2).copied().unwrap_or(200);
    let mut estimated = 0u32;
    for s in &mut file.schools {
        if s.roll.is_some() && s.ehcp.is_some() && s.sen_support.is_some() {
            continue;
        }
        let (median, ehcp_rate, ss_rate) = match groups.get_mut(&key(s)) {
            Some(g) if !g.0.is_empty() => {
                g.0.sort_unstable();
                let rate = |x: u64| if g.1 > 0 { x as f64 / g.1 as f64 } else { 0.0 };
                (g.0[g.0.len() / 2], rate(g.2), rate(g.3))
            }
            _ => (
                overall,
                if s.class.is_special() { 1.0 } else { 0.03 },
                if s.class.is_special() { 0.0 } else { 0.13 },
            ),
        };
        if s.roll.is_none() {
            s.roll = Some(s.capacity.unwrap_or(median));
            s.roll_estimated = true;
            estimated += 1;
        }
        let roll = f64::from(s.roll.unwrap_or(0));
        s.ehcp.get_or_insert((roll * ehcp_rate).round() as u32);
        s.sen_support.get_or_insert((roll * ss_rate).round() as u32);
    }
    if estimated > 0 {
        file.assumptions.push(
            Assumption::new(
                "roll-estimates",
                format!(
                    "{estimated} schools have no pupil numbers in the file: each takes the median roll of schools of the same type and phase, and that group's EHCP and SEN-support rates"
                ),
                "school file",
            )
            .figure("schools", f64::from(estimated)),
        );
    }
}
