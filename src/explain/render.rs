//! Renderers: the same list and explanation values as text and CSV (JSON is serde).

use super::{Explanation, Verdict};
use crate::lists::TailoredList;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

/// A tailored list as a text report with a table of entries.
pub fn list_text_table(list: &TailoredList) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Tailored list for child {} — year {} ({}), primary need {}, {}, funding band {}",
        list.child, list.year, list.phase, list.primary_need, list.plan_level, list.band
    );
    let _ = writeln!(out, "Advisory only: a person decides. {}", list.presumption);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160);
    t.set_header([
        "#", "setting", "kind", "score", "travel", "places", "cost/yr", "why",
    ]);
    for e in &list.entries {
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
        let places = match e.capacity.status {
            "no-pool" => "no pool".to_string(),
            _ => format!("{} free of {}", e.capacity.free, e.capacity.capacity),
        };
        let places = match e.capacity.after_placement {
            Some(a) => format!("{places}; after placement: {a}"),
            None => places,
        };
        t.add_row([
            e.rank.to_string(),
            format!("{} {}", e.setting, e.name),
            e.kind.to_string(),
            format!("{:.1}", e.score),
            format!("{:.1} km, {:.0} min", e.journey.road_km, e.journey.minutes),
            places,
            format!("{} ({})", e.funding.total, e.funding.band),
            why.join("; "),
        ]);
    }
    let _ = writeln!(out, "{t}");
    if !list.preferences.is_empty() {
        let _ = writeln!(out, "Parental preferences:");
        for p in &list.preferences {
            let ground = p.ground.map(|g| format!(" [{g}]")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}. {} — {}{}: {}",
                p.preference, p.setting, p.outcome, ground, p.reason
            );
        }
    }
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
    let _ = writeln!(
        out,
        "Not suitable ({} settings); ask `placewise explain` for any of them:",
        list.excluded.len()
    );
    for (rule, n) in list.excluded.count_by_rule() {
        let _ = writeln!(out, "  {rule}: {n}");
    }
    // Settings the list explains, with the facts; other independent settings by rule id.
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
                e.kind,
                rules.join("; ")
            );
        } else if x.kind.contains("independent") {
            let _ = writeln!(
                out,
                "  why not {} {} [{}]: {} (facts: `placewise explain` or --explain-excluded)",
                x.setting,
                x.name(),
                x.kind,
                x.rules().collect::<Vec<_>>().join(", ")
            );
        }
    }
    out
}

/// One pair's explanation as text.
pub fn explanation_text(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Child {} and {} {} ({})",
        e.child, e.setting, e.setting_name, e.setting_kind
    );
    let _ = writeln!(
        out,
        "Journey: {:.1} km straight, {:.1} km by road, about {:.0} min (guidance {:.0} min){}",
        e.journey.straight_km,
        e.journey.road_km,
        e.journey.minutes,
        e.journey.guidance_minutes,
        if e.journey.within_walking_distance {
            "; within statutory walking distance"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "Places: {} (pool {}, {} on roll of {}); cost {} a year (band {}{})",
        e.capacity.status,
        e.capacity.pool.as_deref().unwrap_or("-"),
        e.capacity.on_roll,
        e.capacity.capacity,
        e.funding.total,
        e.funding.band,
        match e.funding.annual_fee {
            Some(f) => format!(", fee {f}"),
            None => format!(
                ", place {} + top-up {}",
                e.funding.place_funding, e.funding.topup
            ),
        }
    );
    match &e.verdict {
        Verdict::Eligible {
            score,
            contributions,
            flags,
        } => {
            let _ = writeln!(out, "Verdict: SUITABLE, score {score:.2}");
            for c in contributions {
                let _ = writeln!(
                    out,
                    "  {:<16} {:>6.2} = {:>5.1} × {:.2}  {}",
                    c.rule, c.points, c.weight, c.value, c.text
                );
            }
            for f in flags {
                let _ = writeln!(
                    out,
                    "  FLAG {}: {} (child: {}; setting: {})",
                    f.rule, f.text, f.child, f.setting
                );
            }
        }
        Verdict::Excluded { failures, flags } => {
            let _ = writeln!(out, "Verdict: NOT SUITABLE");
            for f in failures.iter().chain(flags) {
                let _ = writeln!(
                    out,
                    "  {}: {}\n      child: {}\n      setting: {}",
                    f.rule, f.text, f.child, f.setting
                );
            }
        }
    }
    out
}

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

/// Writes one CSV row per listed, ranked-lower and excluded setting of `list` (no header).
/// Ranked-lower and excluded rows leave `name` empty (it is in the area's `settings.csv`;
/// a county's lists have tens of millions of such rows), except for excluded settings the list
/// explains; excluded rows give the failing rules' ids in `reasons`, and the explained ones
/// the facts, rule by rule, separated by ` | `. Reuses its buffers: nothing is allocated per
/// ranked-lower or excluded setting.
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
            e.kind,
            &format!("{:.2}", e.score),
            &e.preference.map(|p| p.to_string()).unwrap_or_default(),
            if e.named_s39 { "true" } else { "false" },
            &format!("{:.2}", e.journey.road_km),
            &format!("{:.1}", e.journey.minutes),
            &e.capacity.free.to_string(),
            e.capacity.after_placement.unwrap_or(e.capacity.status),
            &e.funding.band,
            &e.funding.total.0.to_string(),
            &reasons.join(";"),
            &facts.join(" | "),
        ])?;
    }
    // Ranked-lower and excluded rows are most of a county's file: written directly, with
    // the same quoting as the CSV writer, after flushing the rows above.
    out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    let mut row: Vec<u8> = Vec::with_capacity(256);
    let mut text = String::new();
    for o in list.omitted.iter() {
        row.clear();
        field(&mut row, child);
        row.extend_from_slice(b",ranked-lower,");
        text.clear();
        let _ = write!(text, "{}", o.rank);
        row.extend_from_slice(text.as_bytes());
        row.push(b',');
        field(&mut row, o.setting);
        row.extend_from_slice(b",,");
        field(&mut row, o.kind);
        row.push(b',');
        text.clear();
        write_2dp(&mut text, o.score);
        row.extend_from_slice(text.as_bytes());
        row.extend_from_slice(b",,false,,,,,,,,\n");
        out.write_all(&row)?;
    }
    let mut explained = list.explained.iter().peekable();
    for x in list.excluded.iter() {
        row.clear();
        field(&mut row, child);
        row.extend_from_slice(b",excluded,,");
        field(&mut row, x.setting);
        row.push(b',');
        let e = explained.next_if(|e| e.setting == x.setting);
        if let Some(e) = e {
            field(&mut row, &e.name);
        }
        row.push(b',');
        field(&mut row, x.kind);
        row.extend_from_slice(b",,");
        if let Some(p) = e.and_then(|e| e.preference) {
            text.clear();
            let _ = write!(text, "{p}");
            row.extend_from_slice(text.as_bytes());
        }
        row.extend_from_slice(b",false,,,,,,,");
        text.clear();
        for (i, r) in x.rules().enumerate() {
            if i > 0 {
                text.push(';');
            }
            text.push_str(r);
        }
        field(&mut row, &text);
        row.push(b',');
        if let Some(e) = e {
            text.clear();
            for (i, f) in e.rules.iter().enumerate() {
                if i > 0 {
                    text.push_str(" | ");
                }
                let _ = write!(text, "{}: child {}; setting {}", f.rule, f.child, f.setting);
            }
            field(&mut row, &text);
        }
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

/// Writes `x` with two decimals, as `{:.2}` would for the rounded scores lists carry, without
/// the general float formatter.
fn write_2dp(out: &mut String, x: f64) {
    let hundredths = (x * 100.0).round();
    if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
        let _ = write!(out, "{x:.2}");
        return;
    }
    let h = hundredths as i64;
    if h < 0 {
        out.push('-');
    }
    let h = h.unsigned_abs();
    let _ = write!(out, "{}.{:02}", h / 100, h % 100);
}

#[cfg(test)]
mod tests {
    use super::{field, write_2dp};

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
    fn two_decimals_match_the_formatter() {
        for x in [
            0.0, 0.5, 1.25, 12.34, 99.99, 100.0, 7.1, -3.05, -0.25, 123456.78,
        ] {
            let mut s = String::new();
            write_2dp(&mut s, x);
            assert_eq!(s, format!("{x:.2}"), "{x}");
        }
    }
}
