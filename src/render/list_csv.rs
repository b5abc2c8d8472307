//! A tailored list as CSV rows, for an analyst: one row per listed setting, in full; the
//! settings ranked lower in one row; the excluded settings in one row per failing rule, with
//! the ids of the settings it excludes; and one row per excluded setting the list explains
//! (the parents' preferences and the current setting, or every excluded setting with
//! `--explain-excluded`), with the facts. A county's file is then a few rows a child instead
//! of one per (child, setting) pair. Every row has the same 17 columns ([`LIST_CSV_HEADER`]).

use crate::lists::{ListEntry, TailoredList};
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
    // One text buffer, reused for every field that is built (numbers, joined ids and facts).
    let mut text = String::with_capacity(16 * 1024);
    for e in &list.entries {
        write_listed(&mut w, &mut text, child, e)?;
    }
    write_compact(&mut w, &mut text, list)?;
    write_explained(&mut w, &mut text, list)?;
    w.flush()
}

/// The `listed` row of entry `e` of `child`'s list.
fn write_listed<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    text: &mut String,
    child: &str,
    e: &ListEntry,
) -> csv::Result<()> {
    w.write_field(child)?;
    w.write_field("listed")?;
    write_built(w, text, |t| push_uint(t, e.rank as u64))?;
    w.write_field(&e.setting)?;
    w.write_field(&e.name)?;
    w.write_field(e.kind.key())?;
    write_built(w, text, |t| push_fixed(t, e.score, 2))?;
    write_built(w, text, |t| {
        if let Some(p) = e.preference {
            push_uint(t, p as u64);
        }
    })?;
    w.write_field(if e.named_s39 { "true" } else { "false" })?;
    write_built(w, text, |t| push_fixed(t, e.journey.road_km, 2))?;
    write_built(w, text, |t| push_fixed(t, e.journey.minutes, 1))?;
    write_built(w, text, |t| push_uint(t, e.capacity.free.into()))?;
    w.write_field(
        e.capacity
            .after_placement
            .unwrap_or(e.capacity.status)
            .key(),
    )?;
    w.write_field(&e.funding.band)?;
    write_built(w, text, |t| {
        let _ = write!(t, "{}", e.funding.total.0);
    })?;
    write_built(w, text, |t| push_reasons(t, e))?;
    write_built(w, text, |t| {
        for (i, f) in e.flags.iter().enumerate() {
            if i > 0 {
                t.push_str(" | ");
            }
            let _ = write!(t, "{}: child {}; setting {}", f.rule, f.child, f.setting);
        }
    })?;
    w.write_record(None::<&[u8]>)
}

/// Appends an entry's `reasons`: each scoring rule's points (`rule:points`), then each flag
/// (`flag:rule`), separated by `;`.
fn push_reasons(t: &mut String, e: &ListEntry) {
    for r in &e.reasons {
        if !t.is_empty() {
            t.push(';');
        }
        t.push_str(&r.rule);
        t.push(':');
        push_fixed(t, r.points, 2);
    }
    for f in &e.flags {
        if !t.is_empty() {
            t.push(';');
        }
        t.push_str("flag:");
        t.push_str(&f.rule);
    }
}

/// The compact rows: the settings ranked lower in one row, and one row per failing rule with
/// the settings it excludes.
fn write_compact<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    text: &mut String,
    list: &TailoredList,
) -> csv::Result<()> {
    let child = list.child.as_str();
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
            text.as_str(),
            ["", "", ""],
            "",
            "",
        ))?;
    }
    for (rule, id) in list.excluded.failing_rules() {
        text.clear();
        list.excluded.for_each_excluded_by(rule, |setting| {
            if !text.is_empty() {
                text.push(';');
            }
            text.push_str(setting);
        });
        w.write_record(compact_row(
            child,
            "excluded",
            "",
            text.as_str(),
            ["", "", ""],
            id,
            "",
        ))?;
    }
    Ok(())
}

/// One `explained` row per excluded setting the list explains, with its failing rules and
/// their facts.
fn write_explained<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    text: &mut String,
    list: &TailoredList,
) -> csv::Result<()> {
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
            list.child.as_str(),
            "explained",
            "",
            &e.setting,
            [&e.name, e.kind.key(), &preference],
            &rules,
            text.as_str(),
        ))?;
    }
    Ok(())
}

/// Writes one field built into `text` (cleared first) by `build`.
fn write_built<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    text: &mut String,
    build: impl FnOnce(&mut String),
) -> csv::Result<()> {
    text.clear();
    build(text);
    w.write_field(text.as_bytes())
}

/// Appends `n` in decimal.
fn push_uint(out: &mut String, n: u64) {
    let _ = write!(out, "{n}");
}

/// Appends `x` with `decimals` (at most 2) decimals, exactly as `format!("{x:.decimals$}")`
/// does. Non-negative values below 10^9 that are not within 10^-6 of a tie at the last decimal
/// are rounded from `x × 10^decimals`: its error is below 2^-53 of it, about 10^-7 there, so
/// it rounds as the exact value does. The others go through the standard formatter.
fn push_fixed(out: &mut String, x: f64, decimals: usize) {
    const SCALE: [f64; 3] = [1.0, 10.0, 100.0];
    let y = x * SCALE[decimals];
    if x.is_sign_positive() && y < 1e9 && (y - y.floor() - 0.5).abs() > 1e-6 {
        let n = y.round() as u64;
        let unit = SCALE[decimals] as u64;
        push_uint(out, n / unit);
        if decimals > 0 {
            out.push('.');
            let frac = n % unit;
            if decimals == 2 && frac < 10 {
                out.push('0');
            }
            push_uint(out, frac);
        }
        return;
    }
    let _ = write!(out, "{x:.decimals$}");
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

    #[test]
    fn fixed_decimals_as_the_standard_formatter() {
        let mut values = vec![
            0.0,
            -0.0,
            0.005,
            0.015,
            0.025,
            0.125,
            0.135,
            1.005,
            2.675,
            9.995,
            99.995,
            0.05,
            0.45,
            0.55,
            1e9,
            1e12,
            -1.5,
            -0.001,
            12.345,
            f64::NAN,
            f64::INFINITY,
        ];
        // A deterministic spread of ordinary values, and values a hair either side of ties.
        let mut x = 0.123_456_789_f64;
        for i in 0..20_000 {
            x = (x * 7.919 + 0.37).fract();
            values.push(x * 10f64.powi(i % 7));
            let tie = (i as f64 + 0.5) / 100.0;
            values.extend([tie, tie.next_up(), tie.next_down()]);
        }
        for v in values {
            for d in 0..=2 {
                let mut got = String::new();
                super::push_fixed(&mut got, v, d);
                assert_eq!(got, format!("{v:.d$}"), "{v:e} with {d} decimals");
            }
        }
    }
}
