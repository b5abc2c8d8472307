//! Hard rules (`[[hard]]`: exclusions and flags) and score rules (`[[score]]`: weighted
//! measures), each with its test or measure checked against the known ones.

use super::conditions::{kinds, read_child_condition, read_setting_condition, unknown_code};
use super::draft::Draft;
use super::origin;
use crate::diag::Diagnostics;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source, Text, unless_reported};

pub(super) const HARD_KEYS: &[&str] = &[
    "id",
    "text",
    "test",
    "severity",
    "when",
    "require",
    "applies_to",
    "any_need",
];
pub(super) const SCORE_KEYS: &[&str] = &[
    "id",
    "text",
    "weight",
    "measure",
    "when",
    "setting",
    "zero_at",
    "secondary",
];
pub(super) const HARD_TESTS: &[&str] = &[
    "condition",
    "year-group",
    "sex",
    "features",
    "designation",
    "travel-guidance",
];
pub(super) const MEASURES: &[&str] = &[
    "condition",
    "travel",
    "designation",
    "preference",
    "sibling",
    "continuity",
    "mainstream",
    "free-place",
];
pub(super) fn read_hard(
    src: &Source<'_>,
    f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<HardRule> {
    let (id, text, origin, (severity, test)) = read_rule(src, f, HARD_KEYS, diags, |f, diags| {
        read_hard_test(src, f, draft, diags)
    })?;
    Some(HardRule {
        id,
        text,
        severity,
        test,
        origin,
    })
}

/// A hard rule's severity and test.
fn read_hard_test(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<(Severity, HardTest)> {
    let severity = match f.opt::<Text>(src, "severity", diags) {
        None => Severity::Exclude,
        Some((s, span)) => match s.as_str() {
            "exclude" => Severity::Exclude,
            "flag" => Severity::Flag,
            _ => {
                diags.push(unknown_code(
                    src,
                    span,
                    &f.name("severity"),
                    &s,
                    &["exclude", "flag"],
                ));
                Severity::Exclude
            }
        },
    };
    let test = match rule_kind(src, f, "test", HARD_TESTS, diags).as_str() {
        "condition" => {
            let (when, require) = read_condition(src, f, "require", draft, diags);
            Some(HardTest::Condition { when, require })
        }
        "year-group" => Some(HardTest::YearGroup),
        "sex" => Some(HardTest::Sex),
        "features" => Some(HardTest::Features),
        "travel-guidance" => Some(HardTest::TravelGuidance),
        "designation" => {
            let applies_to = match f.opt::<Vec<Text>>(src, "applies_to", diags) {
                Some(list) => kinds(src, &f.name("applies_to"), &list, diags),
                None => {
                    f.missing(src, "applies_to", "a list of setting kinds", diags);
                    KindSet::default()
                }
            };
            let any_need = f.opt::<bool>(src, "any_need", diags).unwrap_or(false);
            Some(HardTest::Designation {
                applies_to,
                any_need,
            })
        }
        _ => None,
    };
    Some((severity, test?))
}

/// Reads one rule's table: its id and text, then the rest by `body`, then reports keys not in
/// `keys`. The id, text, origin and the rest, or `None` when any is missing or anything was
/// reported.
fn read_rule<'a, 'i, T>(
    src: &Source<'_>,
    mut f: Fields<'a, 'i>,
    keys: &[&str],
    diags: &mut Diagnostics,
    body: impl FnOnce(&mut Fields<'a, 'i>, &mut Diagnostics) -> Option<T>,
) -> Option<(String, String, Origin, T)> {
    unless_reported(diags, |diags| {
        let id = f.req::<Text>(src, "id", diags);
        let text = f.req::<Text>(src, "text", diags);
        let rest = body(&mut f, diags);
        let span = f.span.clone();
        f.finish(src, keys, diags);
        Some((id?.0, text?.0, origin(src, span), rest?))
    })
}

pub(super) fn read_score(
    src: &Source<'_>,
    f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<ScoreRule> {
    let (id, text, origin, (weight, measure)) =
        read_rule(src, f, SCORE_KEYS, diags, |f, diags| {
            read_weighted_measure(src, f, draft, diags)
        })?;
    Some(ScoreRule {
        id,
        text,
        weight,
        measure,
        origin,
    })
}

/// A score rule's weight and measure.
fn read_weighted_measure(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<(f64, Measure)> {
    let weight = f.req_within(src, "weight", -1000.0..=1000.0, diags);
    let measure = match rule_kind(src, f, "measure", MEASURES, diags).as_str() {
        "condition" => {
            let (when, setting) = read_condition(src, f, "setting", draft, diags);
            Some(Measure::Condition { when, setting })
        }
        "travel" => Some(Measure::Travel {
            zero_at: f
                .opt_within(src, "zero_at", 0.1..=10.0, diags)
                .unwrap_or(1.0),
        }),
        "designation" => Some(Measure::Designation {
            secondary: f
                .opt_within(src, "secondary", 0.0..=1.0, diags)
                .unwrap_or(0.5),
        }),
        "preference" => Some(Measure::Preference),
        "sibling" => Some(Measure::Sibling),
        "continuity" => Some(Measure::Continuity),
        "mainstream" => Some(Measure::Mainstream),
        "free-place" => Some(Measure::FreePlace),
        _ => None,
    };
    Some((weight?, measure?))
}

/// The kind of test or measure a rule names in `key` (`condition` when left out); a name that
/// is none of `known` is reported.
fn rule_kind(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    known: &[&str],
    diags: &mut Diagnostics,
) -> String {
    let named = f.opt::<Text>(src, key, diags);
    if let Some((v, span)) = &named
        && !known.contains(&v.as_str())
    {
        diags.push(unknown_code(src, span.clone(), &f.name(key), v, known));
    }
    named.map_or_else(|| "condition".to_string(), |(v, _)| v)
}

/// A rule's condition: on the child (`when`, optional) and on the setting (`setting_key`,
/// required).
fn read_condition(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    setting_key: &str,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> (ChildCondition, SettingCondition) {
    let when = match f.opt::<Fields>(src, "when", diags) {
        Some(w) => read_child_condition(src, w, draft, diags),
        None => ChildCondition::default(),
    };
    let setting = match f.opt::<Fields>(src, setting_key, diags) {
        Some(s) => read_setting_condition(src, s, draft, diags),
        None => {
            f.missing(src, setting_key, "a table of setting conditions", diags);
            SettingCondition::default()
        }
    };
    (when, setting)
}
