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
    let mut w = csv::Writer::from_writer(Vec::new());
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
    out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;

    // The compact rows, written directly with the same quoting as the CSV writer.
    let mut row: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut text = String::with_capacity(16 * 1024);
    if let Some(first) = list.omitted.iter().next() {
        text.clear();
        for (i, o) in list.omitted.iter().enumerate() {
            if i > 0 {
                text.push(';');
            }
            text.push_str(o.setting);
        }
        row.clear();
        field(&mut row, child);
        let _ = write!(Bytes(&mut row), ",ranked-lower,{},", first.rank);
        field(&mut row, &text);
        row.extend_from_slice(b",,,,,false,,,,,,,,\n");
        out.write_all(&row)?;
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
        row.clear();
        field(&mut row, child);
        row.extend_from_slice(b",excluded,,");
        field(&mut row, &text);
        row.extend_from_slice(b",,,,,false,,,,,,,");
        field(&mut row, rule);
        row.extend_from_slice(b",\n");
        out.write_all(&row)?;
    }
    for e in &list.explained {
        row.clear();
        field(&mut row, child);
        row.extend_from_slice(b",explained,,");
        field(&mut row, &e.setting);
        row.push(b',');
        field(&mut row, &e.name);
        row.push(b',');
        field(&mut row, e.kind.key());
        row.extend_from_slice(b",,");
        if let Some(p) = e.preference {
            let _ = write!(Bytes(&mut row), "{p}");
        }
        row.extend_from_slice(b",false,,,,,,,");
        text.clear();
        for (i, f) in e.rules.iter().enumerate() {
            if i > 0 {
                text.push(';');
            }
            text.push_str(&f.rule);
        }
        field(&mut row, &text);
        row.push(b',');
        text.clear();
        for (i, f) in e.rules.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let _ = write!(text, "{}: child {}; setting {}", f.rule, f.child, f.setting);
        }
        field(&mut row, &text);
        row.push(b'\n');
        out.write_all(&row)?;
    }
    Ok(())
}

/// Writes the list CSV's header line.
pub fn write_list_csv_header<W: std::io::Write>(out: &mut W) -> std::io::Result<()> {
    let mut row = Vec::new();
    for (i, h) in LIST_CSV_HEADER.iter().enumerate() {
        if i > 0 {
            row.push(b',');
        }
        field(&mut row, h);
    }
    row.push(b'\n');
    out.write_all(&row)
}

/// `write!` into a byte row (numbers only: nothing to quote).
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Appends one CSV field, quoted (quotes doubled) when it holds a comma, a quote or a line
/// break, as the CSV writer does.
fn field(row: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        row.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                row.push(b'"');
            }
            row.push(b);
        }
        row.push(b'"');
    } else {
        row.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_as_the_csv_writer_quotes_them() {
        for s in [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            " spaced ",
        ] {
            let mut ours = Vec::new();
            field(&mut ours, s);
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["x", s]).unwrap();
            let theirs = w.into_inner().unwrap();
            let theirs = &theirs[2..theirs.len() - 1];
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

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
