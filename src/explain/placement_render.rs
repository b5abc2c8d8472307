//! Renderers for placement reports: a text summary with a table, and CSV rows.

use crate::placement::PlacementReport;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// The report as text: run, totals, shortfall, placements, unplaced children.
pub fn placement_text(r: &PlacementReport) -> String {
    let mut out = String::new();
    let t = &r.totals;
    let _ = writeln!(
        out,
        "Placement ({:?}, solver {}, {}{}) — objective {:.1}",
        r.run.mode,
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

/// CSV header of the placement rows.
pub const PLACEMENT_CSV_HEADER: [&str; 12] = [
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
];

/// One row per child in the round.
pub fn placement_csv_rows(r: &PlacementReport) -> Vec<[String; 12]> {
    let mut rows: Vec<[String; 12]> = r
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
                p.kind.into(),
                p.pool.clone(),
                format!("{:.2}", p.score),
                format!("{:.1}", p.minutes),
                p.annual_cost.to_string(),
                p.why.clone(),
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
            ]
        }))
        .collect();
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    rows
}
