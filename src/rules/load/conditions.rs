//! Conditions on a child (`when`) and on a setting (`require`, `setting`): need codes, setting
//! kinds, features, plan levels and year groups, each unknown code reported with a
//! did-you-mean.

use super::draft::Draft;
use crate::diag::Code;
use crate::model::{Intensity, Need, NeedArea, NeedSet, Phase, SettingKind, YearGroup};
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Reader, Text};
use std::ops::Range;

pub(super) const CHILD_KEYS: &[&str] = &[
    "primary_need",
    "primary_need_not",
    "any_need",
    "plan_at_least",
    "plan_below",
    "phase",
    "min_year",
    "max_year",
    "intensity_at_least",
    "total_intensity_at_least",
    "requires_features",
];
pub(super) const SETTING_KEYS: &[&str] = &["kind", "kind_not", "designated_for", "features"];
/// Each item of `list` read by `parse`, collected; an item it does not read is reported as
/// not one of `known`.
fn known_items<T, C: FromIterator<T>>(
    cx: &Reader<'_>,
    field: &str,
    list: &StrList,
    known: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> C {
    let read = |(i, (item, span)): (usize, &(String, Range<usize>))| {
        let parsed = parse(item);
        if parsed.is_none() {
            let field = format!("{field}[{i}]");
            cx.unknown_value(span.clone(), &field, item, known);
        }
        parsed
    };
    list.iter().enumerate().filter_map(read).collect()
}

pub(super) fn needs(cx: &Reader<'_>, field: &str, list: &StrList) -> NeedSet {
    known_items(cx, field, list, &Need::codes(), Need::parse)
}

pub(super) fn kinds(cx: &Reader<'_>, field: &str, list: &StrList) -> KindSet {
    let kinds: Vec<SettingKind> =
        known_items(cx, field, list, &SettingKind::keys(), SettingKind::parse);
    let mut set = KindSet::default();
    for kind in kinds {
        set.insert(kind);
    }
    set
}

pub(super) fn features(cx: &Reader<'_>, field: &str, list: &StrList, draft: &Draft) -> Vec<String> {
    let known: Vec<&str> = draft.features.iter().map(|f| f.id.as_str()).collect();
    let is_known = |feat: &str| known.contains(&feat).then(|| feat.to_string());
    let mut out: Vec<String> = known_items(cx, field, list, &known, is_known);
    out.sort();
    out.dedup();
    out
}

pub(super) fn level(
    cx: &Reader<'_>,
    field: &str,
    value: Option<(String, Range<usize>)>,
    draft: &Draft,
) -> Option<u8> {
    let (id, span) = value?;
    match draft.levels.iter().find(|l| l.id == id) {
        Some(l) => Some(l.rank),
        None => {
            let known: Vec<&str> = draft.levels.iter().map(|l| l.id.as_str()).collect();
            cx.unknown_value(span, field, &id, &known);
            None
        }
    }
}

/// A list of strings as read, each with its span.
type StrList = [(String, Range<usize>)];

/// The list of strings under `key`, read by `parse` with the key's full name (`None` when the
/// key is absent).
fn list_field<T>(
    f: &mut Fields<'_, '_>,
    key: &str,
    parse: impl FnOnce(&Reader<'_>, &str, &StrList) -> T,
) -> Option<T> {
    let list = f.opt::<Vec<Text>>(key)?;
    Some(parse(f.reader(), &f.name(key), &list))
}

pub(super) fn read_child_condition(mut f: Fields<'_, '_>, draft: &Draft) -> ChildCondition {
    let cx = f.reader();
    let mut c = ChildCondition {
        primary_need: list_field(&mut f, "primary_need", needs),
        primary_need_not: list_field(&mut f, "primary_need_not", needs),
        any_need: list_field(&mut f, "any_need", needs),
        ..ChildCondition::default()
    };
    let v = f.opt::<Text>("plan_at_least");
    c.plan_at_least = level(cx, &f.name("plan_at_least"), v, draft);
    let v = f.opt::<Text>("plan_below");
    c.plan_below = level(cx, &f.name("plan_below"), v, draft);
    let phases = |cx: &Reader<'_>, field: &str, l: &StrList| {
        let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
        known_items(cx, field, l, &keys, Phase::parse)
    };
    c.phase = list_field(&mut f, "phase", phases);
    c.min_year = year_field(&mut f, "min_year");
    c.max_year = year_field(&mut f, "max_year");
    if let Some(mut t) = f.opt::<Fields>("intensity_at_least") {
        let keys: Vec<&str> = NeedArea::ALL.iter().map(|a| a.key()).collect();
        for (key, span) in t.keys() {
            match NeedArea::parse(&key) {
                Some(area) => {
                    if let Some(v) = t.opt_within(&key, 0..=Intensity::MAX as i64) {
                        c.intensity_at_least.push((area, v as u8));
                    }
                }
                None => {
                    t.get(&key);
                    t.unknown_value(span, &key, &key, &keys);
                }
            }
        }
        t.finish(&keys);
    }
    let max_total = NeedArea::ALL.len() as i64 * Intensity::MAX as i64;
    c.total_intensity_at_least = f
        .opt_within("total_intensity_at_least", 0..=max_total)
        .map(|v| v as u8);
    let with_draft = |cx: &Reader<'_>, field: &str, l: &StrList| features(cx, field, l, draft);
    c.requires_features = list_field(&mut f, "requires_features", with_draft).unwrap_or_default();
    f.finish(CHILD_KEYS);
    c
}

pub(super) fn year_field(f: &mut Fields<'_, '_>, key: &str) -> Option<u8> {
    let cx = f.reader();
    let v = f.get(key)?;
    let text = match v.get_ref() {
        toml::de::DeValue::String(s) => s.to_string(),
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        other => {
            cx.push(crate::rules::toml_read::wrong_type(
                &cx.src,
                v.span(),
                &f.name(key),
                "a year group (R or 1-14)",
                other,
            ));
            return None;
        }
    };
    match YearGroup::parse(&text) {
        Some(y) => Some(y.0),
        None => {
            cx.push(
                f.at(Code::InvalidValue, v.span(), key, "not a year group")
                    .expected("R or 1 to 14")
                    .found(text),
            );
            None
        }
    }
}

pub(super) fn read_setting_condition(mut f: Fields<'_, '_>, draft: &Draft) -> SettingCondition {
    let c = SettingCondition {
        kind: list_field(&mut f, "kind", kinds),
        kind_not: list_field(&mut f, "kind_not", kinds),
        designated_for: list_field(&mut f, "designated_for", needs),
        features: list_field(&mut f, "features", |cx, field, l| {
            features(cx, field, l, draft)
        })
        .unwrap_or_default(),
    };
    f.finish(SETTING_KEYS);
    c
}
