//! Conditions on a child (`when`) and on a setting (`require`, `setting`): need codes, setting
//! kinds, features, plan levels and year groups, each unknown code reported with a
//! did-you-mean.

use super::draft::Draft;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Intensity, Need, NeedArea, NeedSet, Phase, SettingKind, YearGroup};
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

pub(super) fn needs(
    src: &Source<'_>,
    field: &str,
    list: &[(String, Range<usize>)],
    diags: &mut Diagnostics,
) -> NeedSet {
    let codes: Vec<&str> = Need::ALL.iter().map(|n| n.code()).collect();
    let mut set = NeedSet::default();
    for (i, (code, span)) in list.iter().enumerate() {
        match Need::parse(code) {
            Some(n) => set.insert(n),
            None => diags.push(unknown_code(
                src,
                span.clone(),
                &format!("{field}[{i}]"),
                code,
                &codes,
            )),
        }
    }
    set
}

pub(super) fn kinds(
    src: &Source<'_>,
    field: &str,
    list: &[(String, Range<usize>)],
    diags: &mut Diagnostics,
) -> KindSet {
    let keys: Vec<&str> = SettingKind::ALL.iter().map(|k| k.key()).collect();
    let mut set = KindSet::default();
    for (i, (k, span)) in list.iter().enumerate() {
        match SettingKind::parse(k) {
            Some(kind) => set.insert(kind),
            None => diags.push(unknown_code(
                src,
                span.clone(),
                &format!("{field}[{i}]"),
                k,
                &keys,
            )),
        }
    }
    set
}

pub(super) fn features(
    src: &Source<'_>,
    field: &str,
    list: &[(String, Range<usize>)],
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let known: Vec<&str> = draft.features.iter().map(|f| f.id.as_str()).collect();
    let mut out = Vec::new();
    for (i, (feat, span)) in list.iter().enumerate() {
        if known.contains(&feat.as_str()) {
            out.push(feat.clone());
        } else {
            diags.push(unknown_code(
                src,
                span.clone(),
                &format!("{field}[{i}]"),
                feat,
                &known,
            ));
        }
    }
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

pub(super) fn read_child_condition(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> ChildCondition {
    let mut c = ChildCondition::default();
    if let Some(l) = f.opt_str_list(src, "primary_need", diags) {
        c.primary_need = Some(needs(src, &f.name("primary_need"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "primary_need_not", diags) {
        c.primary_need_not = Some(needs(src, &f.name("primary_need_not"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "any_need", diags) {
        c.any_need = Some(needs(src, &f.name("any_need"), &l, diags));
    }
    let v = f.opt_str(src, "plan_at_least", diags);
    c.plan_at_least = level(src, &f.name("plan_at_least"), v, draft, diags);
    let v = f.opt_str(src, "plan_below", diags);
    c.plan_below = level(src, &f.name("plan_below"), v, draft, diags);
    if let Some(l) = f.opt_str_list(src, "phase", diags) {
        let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
        let mut phases = Vec::new();
        for (i, (p, span)) in l.iter().enumerate() {
            match Phase::parse(p) {
                Some(ph) => phases.push(ph),
                None => diags.push(unknown_code(
                    src,
                    span.clone(),
                    &format!("{}[{i}]", f.name("phase")),
                    p,
                    &keys,
                )),
            }
        }
        c.phase = Some(phases);
    }
    c.min_year = year_field(src, &mut f, "min_year", diags);
    c.max_year = year_field(src, &mut f, "max_year", diags);
    if let Some(mut t) = f.opt_table(src, "intensity_at_least", diags) {
        let keys: Vec<&str> = NeedArea::ALL.iter().map(|a| a.key()).collect();
        for (key, span) in t.keys() {
            match NeedArea::parse(&key) {
                Some(area) => {
                    if let Some(v) = t.opt_int(src, &key, 0, Intensity::MAX as i64, diags) {
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
        .opt_int(src, "total_intensity_at_least", 0, max_total, diags)
        .map(|v| v as u8);
    if let Some(l) = f.opt_str_list(src, "requires_features", diags) {
        c.requires_features = features(src, &f.name("requires_features"), &l, draft, diags);
    }
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
    let mut c = SettingCondition::default();
    if let Some(l) = f.opt_str_list(src, "kind", diags) {
        c.kind = Some(kinds(src, &f.name("kind"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "kind_not", diags) {
        c.kind_not = Some(kinds(src, &f.name("kind_not"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "designated_for", diags) {
        c.designated_for = Some(needs(src, &f.name("designated_for"), &l, diags));
    }
    if let Some(l) = f.opt_str_list(src, "features", diags) {
        c.features = features(src, &f.name("features"), &l, draft, diags);
    }
    f.finish(src, SETTING_KEYS, diags);
    c
}
