//! Hard rules (`[[hard]]`: exclusions and flags) and score rules (`[[score]]`: weighted
//! measures), each with its test or measure checked against the known ones.

use super::conditions::{kinds, read_child_condition, read_setting_condition, unknown_code};
use super::draft::Draft;
use super::origin;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Source, Text};
use crate::diag::Diagnostics;
use std::ops::Range;

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
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<HardRule> {
    let before = diags.diagnostics.len();
    let id = f.req::<Text>(src, "id", diags);
    let text = f.req::<Text>(src, "text", diags);
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
    let test = match rule_kind(src, &mut f, "test", HARD_TESTS, diags).as_str() {
        "condition" => {
            let (when, require) = read_condition(src, &mut f, "require", draft, diags);
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
    let (id, text, origin) = finish_rule(src, f, HARD_KEYS, id, text, before, diags)?;
    Some(HardRule {
        id,
        text,
        severity,
        test: test?,
        origin,
    })
}

/// Ends a rule's table (reporting keys not in `keys`): its id, text and origin, or `None` when
/// either is missing or anything was reported since there were `before` diagnostics.
fn finish_rule(
    src: &Source<'_>,
    f: Fields<'_, '_>,
    keys: &[&str],
    id: Option<(String, Range<usize>)>,
    text: Option<(String, Range<usize>)>,
    before: usize,
    diags: &mut Diagnostics,
) -> Option<(String, String, Origin)> {
    let span = f.span.clone();
    f.finish(src, keys, diags);
    let (id, _) = id?;
    let (text, _) = text?;
    if diags.diagnostics.len() > before {
        return None;
    }
    Some((id, text, origin(src, span)))
}

pub(super) fn read_score(
    src: &Source<'_>,
    mut f: Fields<'_, '_>,
    draft: &Draft,
    diags: &mut Diagnostics,
) -> Option<ScoreRule> {
    let before = diags.diagnostics.len();
    let id = f.req::<Text>(src, "id", diags);
    let text = f.req::<Text>(src, "text", diags);
    let weight = f.req_within(src, "weight", -1000.0..=1000.0, diags);
    let measure = match rule_kind(src, &mut f, "measure", MEASURES, diags).as_str() {
        "condition" => {
            let (when, setting) = read_condition(src, &mut f, "setting", draft, diags);
            Some(Measure::Condition { when, setting })
        }
        "travel" => Some(Measure::Travel {
            zero_at: f.opt_within(src, "zero_at", 0.1..=10.0, diags).unwrap_or(1.0),
        }),
        "designation" => Some(Measure::Designation {
            secondary: f.opt_within(src, "secondary", 0.0..=1.0, diags).unwrap_or(0.5),
        }),
        "preference" => Some(Measure::Preference),
        "sibling" => Some(Measure::Sibling),
        "continuity" => Some(Measure::Continuity),
        "mainstream" => Some(Measure::Mainstream),
        "free-place" => Some(Measure::FreePlace),
        _ => None,
    };
    let (id, text, origin) = finish_rule(src, f, SCORE_KEYS, id, text, before, diags)?;
    Some(ScoreRule {
        id,
        text,
        weight: weight?,
        measure: measure?,
        origin,
    })
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
