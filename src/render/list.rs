//! A tailored list as a text report: a heading, a table of the listed settings, the parents'
//! preferences, the settings ranked lower and the excluded ones.

use crate::lists::{ListEntry, PlaceStatus, TailoredList};
use crate::model::SettingKind;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// A tailored list as a text report with a table of entries.
pub fn list_text_table(list: &TailoredList) -> String {
    let mut out = String::new();
    write_heading(&mut out, list);
    let _ = writeln!(out, "{}", entries_table(list));
    write_preferences(&mut out, list);
    write_ranked_lower(&mut out, list);
    write_excluded(&mut out, list);
    out
}

/// The report's heading: the child, the advisory note and presumption, and under `spp` the
/// child's package.
fn write_heading(out: &mut String, list: &TailoredList) {
    let TailoredList {
        child,
        year,
        primary_need,
        plan_level,
        band,
        ..
    } = list;
    let phase = list.phase.key();
    let _ = writeln!(
        out,
        "Tailored list for child {child} — year {year} ({phase}), primary need {primary_need}, {plan_level}, funding band {band}"
    );
    let _ = writeln!(out, "Advisory only: a person decides. {}", list.presumption);
    if let Some(p) = &list.package {
        let by = if p.need.rules.is_empty() {
            String::new()
        } else {
            format!(" by {}", p.need.rules.join(", "))
        };
        let _ = writeln!(
            out,
            "Regime spp (Specialist Provision Packages, as consulted; not statute): package {} ({}{by}); {}",
            if p.need.packages.is_empty() {
                "none".to_string()
            } else {
                p.need.packages.join(" + ")
            },
            p.need.basis.name(),
            p.note
        );
    }
}

/// The table of the listed settings, one row each.
fn entries_table(list: &TailoredList) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    t.set_header([
        "#", "setting", "kind", "score", "travel", "places", "cost/yr", "why",
    ]);
    for e in &list.entries {
        t.add_row([
            e.rank.to_string(),
            format!("{} {}", e.setting, e.name),
            match e.inclusion_base {
                Some(b) => format!("{} ({})", e.kind.key(), b.key()),
                None => e.kind.key().to_string(),
            },
            format!("{:.1}", e.score),
            format!("{:.1} km, {:.0} min", e.journey.road_km, e.journey.minutes),
            entry_places(e),
            format!("{} ({})", e.funding.total, e.funding.band),
            entry_why(e).join("; "),
        ]);
    }
    t
}

/// Why an entry is listed: its preference, its three largest score contributions, its flags,
/// and what it delivers under `spp`.
fn entry_why(e: &ListEntry) -> Vec<String> {
    let mut why: Vec<String> = Vec::new();
    if e.named_s39 {
        why.push("PREFERENCE named (s.39)".into());
    } else if let Some(p) = e.preference {
        why.push(format!("parents' choice {p}"));
    }
    let mut reasons = e.reasons.clone();
    reasons.sort_by(|a, b| b.points.total_cmp(&a.points).then(a.rule.cmp(&b.rule)));
    why.extend(
        reasons
            .iter()
            .take(3)
            .map(|r| format!("{} +{:.1}", r.rule, r.points)),
    );
    why.extend(e.flags.iter().map(|f| format!("FLAG {}", f.rule)));
    if e.residential {
        why.push("RESIDENTIAL (beyond the day-journey ceiling)".into());
    }
    if let Some(d) = &e.delivers {
        let offer = e
            .offer
            .map(|o| format!(", {} offer", o.name()))
            .unwrap_or_default();
        why.push(format!("delivers {}{offer}", d.join(" + ")));
    }
    why
}

/// An entry's places: free of capacity, and what is left after a placement run.
fn entry_places(e: &ListEntry) -> String {
    let places = match e.capacity.status {
        PlaceStatus::NoPool => "no pool".to_string(),
        _ => format!("{} free of {}", e.capacity.free, e.capacity.capacity),
    };
    match e.capacity.after_placement {
        Some(a) => format!("{places}; after placement: {a}"),
        None => places,
    }
}

/// The parents' preferences and what became of each; under `spp`, whether each can deliver
/// the package, and the suitable settings that cannot.
fn write_preferences(out: &mut String, list: &TailoredList) {
    if !list.preferences.is_empty() {
        let _ = writeln!(out, "Parental preferences:");
        for p in &list.preferences {
            let ground = p
                .ground
                .as_deref()
                .map(|g| format!(" [{g}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}. {} — {}{}: {}",
                p.preference, p.setting, p.outcome, ground, p.reason
            );
        }
    }
    let Some(p) = &list.package else {
        return;
    };
    for d in &p.preferences {
        let _ = writeln!(
            out,
            "  {}. {} — {}",
            d.preference,
            d.setting,
            if d.can_deliver {
                "can deliver the package".to_string()
            } else if d.missing.is_empty() {
                "cannot deliver the package (fails a suitability rule)".to_string()
            } else {
                format!("cannot deliver the package: lacks {}", d.missing.join("; "))
            }
        );
    }
    if !p.cannot_deliver.is_empty() {
        let _ = writeln!(out, "Suitable but cannot deliver the package:");
        for x in &p.cannot_deliver {
            let (kind, offer, lacks) = (x.kind.key(), x.offer.name(), x.lacks());
            let _ = writeln!(
                out,
                "  {} {} ({kind}, {offer} offer) — lacks {lacks}",
                x.setting, x.name
            );
        }
    }
}

/// The settings ranked below the cut, those beyond the reach asked for, and the nearest
/// beyond the journey ceiling.
fn write_ranked_lower(out: &mut String, list: &TailoredList) {
    if !list.omitted.is_empty() {
        let _ = writeln!(
            out,
            "Also suitable, ranked lower: {}",
            list.omitted
                .iter()
                .map(|o| format!("{} (#{})", o.setting, o.rank))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if list.beyond_reach > 0 {
        let _ = writeln!(
            out,
            "Beyond the reach asked for: {} settings (not evaluated)",
            list.beyond_reach
        );
    }
    if let Some(b) = &list.beyond_ceiling {
        let _ = writeln!(
            out,
            "Beyond the journey ceiling ({}): {} otherwise suitable setting(s) left out; the nearest is {} {} ({}), {:.1} km, {:.0} min",
            b.rule,
            b.removed,
            b.setting,
            b.name,
            b.kind.key(),
            b.journey.road_km,
            b.journey.minutes
        );
    }
}

/// The settings not suitable: a count by rule, then the settings the list explains, with the
/// facts, and other independent settings by rule id.
fn write_excluded(out: &mut String, list: &TailoredList) {
    let _ = writeln!(
        out,
        "Not suitable ({} settings); ask `placewise explain` for any of them:",
        list.excluded.len()
    );
    for (rule, n) in list.excluded.count_by_rule() {
        let _ = writeln!(out, "  {rule}: {n}");
    }
    let mut explained = list.explained.iter().peekable();
    for x in list.excluded.iter() {
        if let Some(e) = explained.next_if(|e| e.setting == x.setting) {
            let rules: Vec<String> = e
                .rules
                .iter()
                .map(|r| format!("{} ({}; setting: {})", r.rule, r.child, r.setting))
                .collect();
            let _ = writeln!(
                out,
                "  why not {} {} [{}]: {}",
                e.setting,
                e.name,
                e.kind.key(),
                rules.join("; ")
            );
        } else if x.kind.is_some_and(SettingKind::is_independent) {
            let _ = writeln!(
                out,
                "  why not {} {} [{}]: {} (facts: `placewise explain` or --explain-excluded)",
                x.setting,
                x.name(),
                x.kind.map_or("", SettingKind::key),
                x.rules().collect::<Vec<_>>().join(", ")
            );
        }
    }
}
