//! Conditions on a child (`when`) and on a setting (`require`, `setting`): need codes, setting
//! kinds, features, plan levels and year groups, each unknown code reported with a
//! did-you-mean.

use super::draft::Draft;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Intensity, Need, NeedArea, NeedSet, Phase, SettingKind, YearGroup};
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source, Text};
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
pub(super) fn unknown_code(
    src: &Source<'_>,
    span: Range<usize>,
    field: &str,
    found: &str,
    known: &[&str],
) -> Diagnostic {
    src.at(
        Code::UnknownCode,
        span,
        field,
        format!("unknown value `{found}`"),
    )
    .not_one_of(found, known)
}

/// Each item of `list` read by `parse`, collected; an item it does not read is reported as
/// not one of `known`.
fn known_items<T, C: FromIterator<T>>(
    src: &Source<'_>,
    field: &str,
    list: &StrList,
    known: &[&str],
    parse: impl Fn(&str) -> Option<T>,
    diags: &mut Diagnostics,
) -> C {
    let read = |(i, (item, span)): (usize, &(String, Range<usize>))| {
        let parsed = parse(item);
        if parsed.is_none() {
            let field = format!("{field}[{i}]");
            diags.push(unknown_code(src, span.clone(), &field, item, known));
        }
        parsed
    };
    list.iter().enumerate().filter_map(read).collect()
}

pub(super) fn needs(
    src: &Source<'_>,
    field: &str,
    list: &StrList,
    diags: &mut Diagnostics,
) -> NeedSet {
    known_items(src, field, list, &Need::codes(), Need::parse, diags)
}

pub(super) fn kinds(
    src: &Source<'_>,
    field: &str,
    list: &StrList,
    diags: &mut Diagnostics,
) -> KindSet {
    let kinds: Vec<SettingKind> = known_items(
        src,
        field,
        list,
        &SettingKind::keys(),
        SettingKind::parse,
        diags,
    );
    let mut set = KindSet::default();
    for kind in kinds {
        set.insert(kind);
    }
    set
}

pub(super) fn features(
    src: &Source<'_>,
    field: &str,
    list: &StrList,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let known: Vec<&str> = draft.features.iter().map(|f| f.id.as_str()).collect();
    let is_known = |feat: &str| known.contains(&feat).then(|| feat.to_string());
    let mut out: Vec<String> = known_items(src, field, list, &known, is_known, diags);
    out.sort();
    out.dedup();
    out
}

pub(super) fn level(
    src: &Source<'_>,
    field: &str,
    value: Option<(String, Range<usize>)>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<u8> {
    let (id, span) = value?;
    match draft.levels.iter().find(|l| l.id == id) {
        Some(l) => Some(l.rank),
        None => {
            let known: Vec<&str> = draft.levels.iter().map(|l| l.id.as_str()).collect();
            diags.push(unknown_code(src, span, field, &id, &known));
            None
        }
    }
}

/// A list of strings as read, each with its span.
type StrList = [(String, Range<usize>)];

/// The list of strings under `key`, read by `parse` with the key's full name (`None` when the
/// key is absent).
fn list_field<T>(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Diagnostics,
    parse: impl FnOnce(&Source<'_>, &str, &StrList, &mut Diagnostics) -> T,
) -> Option<T> {
    let list = f.opt::<Vec<Text>>(src, key, diags)?;
    Some(parse(src, &f.name(key), &list, diags))
}

pub(super) fn read_child_condition(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> ChildCondition {
    let mut c = ChildCondition {
        primary_need: list_field(src, &mut f, "primary_need", diags, needs),
        primary_need_not: list_field(src, &mut f, "primary_need_not", diags, needs),
        any_need: list_field(src, &mut f, "any_need", diags, needs),
        ..ChildCondition::default()
    };
    let v = f.opt::<Text>(src, "plan_at_least", diags);
    c.plan_at_least = level(src, &f.name("plan_at_least"), v, draft, diags);
    let v = f.opt::<Text>(src, "plan_below", diags);
    c.plan_below = level(src, &f.name("plan_below"), v, draft, diags);
    let phases = |src: &Source<'_>, field: &str, l: &StrList, diags: &mut Diagnostics| {
        let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
        known_items(src, field, l, &keys, Phase::parse, diags)
    };
    c.phase = list_field(src, &mut f, "phase", diags, phases);
    c.min_year = year_field(src, &mut f, "min_year", diags);
    c.max_year = year_field(src, &mut f, "max_year", diags);
    if let Some(mut t) = f.opt::<Fields>(src, "intensity_at_least", diags) {
        let keys: Vec<&str> = NeedArea::ALL.iter().map(|a| a.key()).collect();
        for (key, span) in t.keys() {
            match NeedArea::parse(&key) {
                Some(area) => {
                    if let Some(v) = t.opt_within(src, &key, 0..=Intensity::MAX as i64, diags) {
                        c.intensity_at_least.push((area, v as u8));
                    }
                }
                None => {
                    t.get(&key);
                    diags.push(unknown_code(src, span, &t.name(&key), &key, &keys));
                }
            }
        }
        t.finish(src, &keys, diags);
    }
    let max_total = NeedArea::ALL.len() as i64 * Intensity::MAX as i64;
    c.total_intensity_at_least = f
        .opt_within(src, "total_intensity_at_least", 0..=max_total, diags)
        .map(|v| v as u8);
    let with_draft = |src: &Source<'_>, field: &str, l: &StrList, diags: &mut Diagnostics| {
        features(src, field, l, draft, diags)
    };
    c.requires_features =
        list_field(src, &mut f, "requires_features", diags, with_draft).unwrap_or_default();
    f.finish(src, CHILD_KEYS, diags);
    c
}

pub(super) fn year_field(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<u8> {
    let v = f.get(key)?;
    let text = match v.get_ref() {
        toml::de::DeValue::String(s) => s.to_string(),
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        other => {
            diags.push(crate::rules::toml_read::wrong_type(
                src,
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
            diags.push(
                src.at(
                    Code::InvalidValue,
                    v.span(),
                    &f.name(key),
                    "not a year group",
                )
                .expected("R or 1 to 14")
                .found(text),
            );
            None
        }
    }
}

pub(super) fn read_setting_condition(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> SettingCondition {
    let c = SettingCondition {
        kind: list_field(src, &mut f, "kind", diags, kinds),
        kind_not: list_field(src, &mut f, "kind_not", diags, kinds),
        designated_for: list_field(src, &mut f, "designated_for", diags, needs),
        features: list_field(src, &mut f, "features", diags, |src, field, l, diags| {
            features(src, field, l, draft, diags)
        })
        .unwrap_or_default(),
    };
    f.finish(src, SETTING_KEYS, diags);
    c
}
