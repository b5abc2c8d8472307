//! Renderers for placement reports: a text summary with a table, and CSV rows.

use crate::placement::{Bottlenecks, Mix, PlacementReport, PublishedMix};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// Children with EHC plans by type of placement (`what`, e.g. "Children with EHC plans
/// after the round"), beside an authority's published mix, as a text table.
pub fn mix_text(what: &str, mix: &Mix, published: &PublishedMix) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{what}, beside {} published ({}):",
        published.la, published.source
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(["group", "here", "%", "published", "%", "difference, points"]);
    let (after, before) = (mix.percents(), published.mix.percents());
    let (a, b) = (mix.counts(), published.mix.counts());
    for (i, group) in Mix::GROUPS.iter().enumerate() {
        t.add_row([
            group.to_string(),
            a[i].to_string(),
            format!("{:.1}", after[i]),
            b[i].to_string(),
            format!("{:.1}", before[i]),
            format!("{:+.1}", after[i] - before[i]),
        ]);
    }
    t.add_row([
        "total".to_string(),
        mix.total().to_string(),
        "100.0".into(),
        published.mix.total().to_string(),
        "100.0".into(),
        String::new(),
    ]);
    let _ = writeln!(out, "{t}");
    out
}

/// The report as text: run, totals, shortfall, placements, unplaced children.
pub fn placement_text(r: &PlacementReport) -> String {
    let mut out = String::new();
    let t = &r.totals;
    let _ = writeln!(
        out,
        "Placement ({}, solver {}, {}{}) — objective {:.1}",
        r.run.mode.name(),
        r.run.solver,
        r.run.status,
        r.run
            .gap
            .map(|g| format!(", gap {:.2}%", g * 100.0))
            .unwrap_or_default(),
        r.run.objective
    );
    let o = &r.run.objective_terms;
    let _ = writeln!(
        out,
        "Objective = score {:.1} + travel {:.1} + money {:.1} + unplaced {:.1}",
        o.score, o.travel, o.money, o.unplaced
    );
    if let Some(b) = r.run.blocking_pairs {
        let _ = writeln!(out, "Stability check: {b} blocking pair(s)");
    }
    let _ = writeln!(
        out,
        "{} children: {} keep their place, {} in this round; placed {} ({:.1}%), unplaced {}",
        t.children, t.keeping_place, t.in_round, t.placed, t.placed_percent, t.unplaced
    );
    let _ = writeln!(
        out,
        "Annual cost of placements {}; travel mean {:.0} min, max {:.0} min, {} beyond guidance; mainstream share {:.0}%",
        crate::model::Pounds(t.annual_cost),
        t.mean_minutes,
        t.max_minutes,
        t.beyond_guidance,
        t.mainstream_share * 100.0
    );
    if t.unplaced > 0 {
        let fmt = |m: &std::collections::BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "Shortfall by need: {}", fmt(&r.shortfall_by_need));
        let _ = writeln!(out, "Shortfall by phase: {}", fmt(&r.shortfall_by_phase));
        let _ = writeln!(
            out,
            "Shortfall by locality: {}",
            fmt(&r.shortfall_by_locality)
        );
    }
    if let Some(p) = &r.published_mix {
        out.push_str(&mix_text(
            "Children with EHC plans after the round",
            &r.mix,
            p,
        ));
    }
    bottleneck_text(&mut out, &r.bottlenecks);
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    table.set_header([
        "child", "year", "need", "setting", "kind", "score", "min", "cost/yr", "why",
    ]);
    for p in &r.placements {
        let mut why = p.why.clone();
        if !p.better_but_full.is_empty() {
            why.push_str(&format!(" (full: {})", p.better_but_full.join(", ")));
        }
        table.add_row([
            p.child.clone(),
            p.year.clone(),
            p.primary_need.clone(),
            format!("{} {}", p.setting, p.setting_name),
            p.kind.to_string(),
            format!("{:.1}", p.score),
            format!("{:.0}", p.minutes),
            crate::model::Pounds(p.annual_cost).to_string(),
            why,
        ]);
    }
    let _ = writeln!(out, "{table}");
    for u in &r.unplaced {
        let _ = writeln!(
            out,
            "UNPLACED {} (year {}, {}, {}): {}",
            u.child, u.year, u.primary_need, u.locality, u.reason
        );
    }
    for e in &r.preference_exceptions {
        let _ = writeln!(
            out,
            "Preference {} of {} for {} not honoured first [{}]: {}",
            e.preference, e.child, e.setting, e.ground, e.reason
        );
    }
    out
}

/// Joins `key count` pairs.
fn counts(m: &std::collections::BTreeMap<String, usize>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many pools of a binding set to name in the text before "and N more".
const POOLS_SHOWN: usize = 5;

/// The "where to add places" section: one paragraph per binding set.
fn bottleneck_text(out: &mut String, b: &Bottlenecks) {
    if b.sets.is_empty() && b.without_suitable_pool.is_empty() && b.placeable_by_moving.is_empty() {
        return;
    }
    if b.sets.is_empty() {
        let _ = writeln!(
            out,
            "Where to add places: no binding set (no child is unplaced for want of places)"
        );
    } else {
        let _ = writeln!(
            out,
            "Where to add places: {} binding set(s) of children who cannot all be placed; {} more place(s) would place {} of them",
            b.sets.len(),
            b.places_needed,
            b.places_needed
        );
    }
    for (i, set) in b.sets.iter().enumerate() {
        let settings: std::collections::BTreeSet<&str> =
            set.pools.iter().map(|p| p.setting.as_str()).collect();
        let _ = writeln!(
            out,
            "  Set {}: {} unplaced (need: {}; phase: {}; locality: {}); {} children compete for {} full pool(s) at {} setting(s)",
            i + 1,
            set.places_needed,
            counts(&set.by_need),
            counts(&set.by_phase),
            counts(&set.by_locality),
            set.competing_children,
            set.pools.len(),
            settings.len()
        );
        let add: Vec<String> = set
            .places_to_add
            .iter()
            .take(POOLS_SHOWN)
            .map(|p| {
                format!(
                    "{} at {} {} ({})",
                    p.places, p.setting, p.setting_name, p.pool
                )
            })
            .collect();
        let more = set.places_to_add.len().saturating_sub(POOLS_SHOWN);
        let _ = writeln!(
            out,
            "    add {} place(s): {}{}",
            set.places_needed,
            add.join(", "),
            if more > 0 {
                format!(", and {more} more setting(s)")
            } else {
                String::new()
            }
        );
    }
    if !b.without_suitable_pool.is_empty() {
        let _ = writeln!(
            out,
            "  {} unplaced child(ren) have no suitable pool for their year group: new provision, not more places, is needed",
            b.without_suitable_pool.len()
        );
    }
    if !b.placeable_by_moving.is_empty() {
        let _ = writeln!(
            out,
            "  {} unplaced child(ren) could be placed by moving others; the solver judged it dearer than leaving them unplaced",
            b.placeable_by_moving.len()
        );
    }
}

/// CSV header of the placement rows.
pub const PLACEMENT_CSV_HEADER: [&str; 14] = [
    "child",
    "status",
    "year",
    "primary_need",
    "locality",
    "setting",
    "kind",
    "pool",
    "score",
    "minutes",
    "annual_cost",
    "reason",
    "binding_set",
    "add_place_at",
];

/// Writes the placement CSV: the header ([`PLACEMENT_CSV_HEADER`]) and one row per child in the
/// round ([`placement_csv_rows`]), in child-id order.
pub fn write_placement_csv<W: std::io::Write>(
    r: &PlacementReport,
    out: &mut W,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(PLACEMENT_CSV_HEADER)?;
    for row in placement_csv_rows(r) {
        w.write_record(&row)?;
    }
    w.flush()
}

/// One row per child in the round.
pub fn placement_csv_rows(r: &PlacementReport) -> Vec<[String; 14]> {
    let mut rows: Vec<[String; 14]> = r
        .placements
        .iter()
        .map(|p| {
            [
                p.child.clone(),
                "placed".into(),
                p.year.clone(),
                p.primary_need.clone(),
                p.locality.clone(),
                p.setting.clone(),
                p.kind.to_string(),
                p.pool.clone(),
                format!("{:.2}", p.score),
                format!("{:.1}", p.minutes),
                p.annual_cost.to_string(),
                p.why.clone(),
                String::new(),
                String::new(),
            ]
        })
        .chain(r.unplaced.iter().map(|u| {
            [
                u.child.clone(),
                "unplaced".into(),
                u.year.clone(),
                u.primary_need.clone(),
                u.locality.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                u.reason.clone(),
                u.binding_set.map(|n| n.to_string()).unwrap_or_default(),
                u.add_place_at.clone().unwrap_or_default(),
            ]
        }))
        .collect();
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    rows
}
