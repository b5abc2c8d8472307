//! A tailored list as CSV rows, for an analyst: one row per listed setting, in full; the
//! settings ranked lower in one row; the excluded settings in one row per failing rule, with
//! the ids of the settings it excludes; and one row per excluded setting the list explains
//! (the parents' preferences and the current setting, or every excluded setting with
//! `--explain-excluded`), with the facts. A county's file is then a few rows a child instead
//! of one per (child, setting) pair. Every row has the same 17 columns ([`LIST_CSV_HEADER`]).

use crate::lists::TailoredList;
use std::fmt::Write as _;

/// Header of the list CSV.
pub const LIST_CSV_HEADER: [&str; 17] = [
    "child",
    "status",
    "rank",
    "setting",
    "name",
    "kind",
    "score",
    "preference",
    "named_s39",
    "road_km",
    "minutes",
    "places_free",
    "capacity_status",
    "band",
    "annual_cost",
    "reasons",
    "facts",
];

/// Writes `list`'s rows (no header):
///
/// - `listed`: each listed setting with rank, score, journey, places, cost, each scoring
///   rule's points and each flag (`reasons`), and the flags' facts (`facts`);
/// - `ranked-lower` (at most one row): the suitable settings below the cut, their ids in rank
///   order separated by `;` in `setting`, the first of their ranks in `rank` (their scores are
///   in the JSON forms);
/// - `excluded`: one row per failing excluding rule (rule-set order), the rule's id in
///   `reasons` and the ids of the settings it excludes, in the area's order, separated by `;`
///   in `setting` (a setting failing two rules is in both rows);
/// - `explained`: each excluded setting the list explains, with its name, kind, preference,
///   the failing rules' ids in `reasons` and their facts, rule by rule, separated by ` | `.
pub fn write_list_csv<W: std::io::Write>(list: &TailoredList, out: &mut W) -> std::io::Result<()> {
    let child = list.child.as_str();
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(16 * 1024)
        .from_writer(out);
    for e in &list.entries {
        let reasons: Vec<String> = e
            .reasons
            .iter()
            .map(|r| format!("{}:{:.2}", r.rule, r.points))
            .chain(e.flags.iter().map(|f| format!("flag:{}", f.rule)))
            .collect();
        let facts: Vec<String> = e
            .flags
            .iter()
            .map(|f| format!("{}: child {}; setting {}", f.rule, f.child, f.setting))
            .collect();
        w.write_record([
            child,
            "listed",
            &e.rank.to_string(),
            &e.setting,
            &e.name,
            e.kind.key(),
            &format!("{:.2}", e.score),
            &e.preference.map(|p| p.to_string()).unwrap_or_default(),
            if e.named_s39 { "true" } else { "false" },
            &format!("{:.2}", e.journey.road_km),
            &format!("{:.1}", e.journey.minutes),
            &e.capacity.free.to_string(),
            e.capacity
                .after_placement
                .unwrap_or(e.capacity.status)
                .key(),
            &e.funding.band,
            &e.funding.total.0.to_string(),
            &reasons.join(";"),
            &facts.join(" | "),
        ])?;
    }
    // The compact rows: one text buffer reused for the joined ids and facts.
    let mut text = String::with_capacity(16 * 1024);
    if let Some(first) = list.omitted.iter().next() {
        text.clear();
        for (i, o) in list.omitted.iter().enumerate() {
            if i > 0 {
                text.push(';');
            }
            text.push_str(o.setting);
        }
        let rank = first.rank.to_string();
        w.write_record(compact_row(
            child,
            "ranked-lower",
            &rank,
            &text,
            ["", "", ""],
            "",
            "",
        ))?;
    }
    for (rule, _) in list.excluded.count_by_rule() {
        text.clear();
        for x in list
            .excluded
            .iter()
            .filter(|x| x.rules().any(|r| r == rule))
        {
            if !text.is_empty() {
                text.push(';');
            }
            text.push_str(x.setting);
        }
        w.write_record(compact_row(
            child,
            "excluded",
            "",
            &text,
            ["", "", ""],
            rule,
            "",
        ))?;
    }
    let mut rules = String::new();
    for e in &list.explained {
        rules.clear();
        text.clear();
        for (i, f) in e.rules.iter().enumerate() {
            if i > 0 {
                rules.push(';');
                text.push_str(" | ");
            }
            rules.push_str(&f.rule);
            let _ = write!(text, "{}: child {}; setting {}", f.rule, f.child, f.setting);
        }
        let preference = e.preference.map(|p| p.to_string()).unwrap_or_default();
        w.write_record(compact_row(
            child,
            "explained",
            "",
            &e.setting,
            [&e.name, e.kind.key(), &preference],
            &rules,
            &text,
        ))?;
    }
    w.flush()
}

/// The 17 fields of a row that is not a listed setting: no score, journey, places or cost.
fn compact_row<'a>(
    child: &'a str,
    status: &'a str,
    rank: &'a str,
    setting: &'a str,
    [name, kind, preference]: [&'a str; 3],
    reasons: &'a str,
    facts: &'a str,
) -> [&'a str; 17] {
    [
        child, status, rank, setting, name, kind, "", preference, "false", "", "", "", "", "", "",
        reasons, facts,
    ]
}

/// Writes the list CSV's header line.
pub fn write_list_csv_header<W: std::io::Write>(out: &mut W) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(LIST_CSV_HEADER)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_row_has_the_header_s_columns() {
        let loaded = crate::io::load_area(
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo").as_ref(),
            concat!(env!("CARGO_MANIFEST_DIR"), "/rules/england").as_ref(),
        )
        .unwrap();
        let engine = crate::engine::Engine::new(&loaded.rules, &loaded.area);
        let mut bytes = Vec::new();
        for c in 0..loaded.area.children.len() {
            let query = crate::lists::ListQuery {
                explain_excluded: c % 2 == 0,
                ..Default::default()
            };
            let list = crate::lists::build_list(&engine, c, &query);
            super::write_list_csv(&list, &mut bytes).unwrap();
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[..]);
        let mut statuses = std::collections::BTreeSet::new();
        for rec in r.records() {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), super::LIST_CSV_HEADER.len());
            statuses.insert(rec[1].to_string());
        }
        assert_eq!(
            statuses.into_iter().collect::<Vec<_>>(),
            ["excluded", "explained", "listed", "ranked-lower"]
        );
    }
}
