//! Hard rules (`[[hard]]`: exclusions and flags) and score rules (`[[score]]`: weighted
//! measures), each with its test or measure checked against the known ones.

use super::conditions::{features, kinds, read_child_condition, read_setting_condition};
use super::draft::Draft;
use super::origin;
use crate::model::Phase;
use crate::rules::schema::*;
use crate::rules::toml_read::{Fields, Text};

pub(super) const HARD_KEYS: &[&str] = &[
    "id",
    "text",
    "test",
    "severity",
    "when",
    "require",
    "applies_to",
    "any_need",
    "max_minutes",
    "exempt_features",
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
    "journey-ceiling",
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
pub(super) fn read_hard(f: Fields<'_, '_>, draft: &Draft) -> Option<HardRule> {
    let (id, text, origin, (severity, test)) =
        read_rule(f, HARD_KEYS, |f| read_hard_test(f, draft))?;
    Some(HardRule {
        id,
        text,
        severity,
        test,
        origin,
    })
}

/// A hard rule's severity and test.
fn read_hard_test(f: &mut Fields<'_, '_>, draft: &Draft) -> Option<(Severity, HardTest)> {
    let severity = match f.opt::<Text>("severity") {
        None => Severity::Exclude,
        Some((s, span)) => match s.as_str() {
            "exclude" => Severity::Exclude,
            "flag" => Severity::Flag,
            _ => {
                f.unknown_value(span, "severity", &s, &["exclude", "flag"]);
                Severity::Exclude
            }
        },
    };
    let test = match rule_kind(f, "test", HARD_TESTS).as_str() {
        "condition" => {
            let (when, require) = read_condition(f, "require", draft);
            Some(HardTest::Condition { when, require })
        }
        "year-group" => Some(HardTest::YearGroup),
        "sex" => Some(HardTest::Sex),
        "features" => Some(HardTest::Features),
        "travel-guidance" => Some(HardTest::TravelGuidance),
        "journey-ceiling" => read_ceiling(f, draft),
        "designation" => {
            let applies_to = match f.opt::<Vec<Text>>("applies_to") {
                Some(list) => kinds(f.reader(), &f.name("applies_to"), &list),
                None => {
                    f.missing("applies_to", "a list of setting kinds");
                    KindSet::default()
                }
            };
            let any_need = f.opt::<bool>("any_need").unwrap_or(false);
            Some(HardTest::Designation {
                applies_to,
                any_need,
            })
        }
        _ => None,
    };
    Some((severity, test?))
}

/// A `journey-ceiling` test: `max_minutes` (one number, or a table by phase) and the
/// `exempt_features` that make a setting residential (none when left out).
fn read_ceiling(f: &mut Fields<'_, '_>, draft: &Draft) -> Option<HardTest> {
    const RANGE: std::ops::RangeInclusive<f64> = 1.0..=720.0;
    let is_table = f
        .get("max_minutes")
        .is_some_and(|v| matches!(v.get_ref(), toml::de::DeValue::Table(_)));
    let max_minutes = if is_table {
        let mut by_phase = f.opt::<Fields>("max_minutes")?;
        let mut out = [0.0; 3];
        let mut ok = true;
        for (i, p) in Phase::ALL.iter().enumerate() {
            match by_phase.req_within(p.key(), RANGE) {
                Some(v) => out[i] = v,
                None => ok = false,
            }
        }
        let keys: Vec<&str> = Phase::ALL.iter().map(|p| p.key()).collect();
        by_phase.finish(&keys);
        ok.then_some(out)
    } else {
        f.req_within_as(
            "max_minutes",
            RANGE,
            "minutes from 1 to 720, or a table of them by phase",
        )
        .map(|m| [m; 3])
    };
    let exempt_features = match f.opt::<Vec<Text>>("exempt_features") {
        Some(list) => features(f.reader(), &f.name("exempt_features"), &list, draft),
        None => Vec::new(),
    };
    Some(HardTest::JourneyCeiling {
        max_minutes: max_minutes?,
        exempt_features,
    })
}

/// Reads one rule's table: its id and text, then the rest by `body`, then reports keys not in
/// `keys`. The id, text, origin and the rest, or `None` when any is missing or anything was
/// reported.
fn read_rule<'a, 'i, T>(
    mut f: Fields<'a, 'i>,
    keys: &[&str],
    body: impl FnOnce(&mut Fields<'a, 'i>) -> Option<T>,
) -> Option<(String, String, Origin, T)> {
    f.reader().unless_reported(|| {
        let id = f.req::<Text>("id");
        let text = f.req::<Text>("text");
        let rest = body(&mut f);
        let origin = origin(&f);
        f.finish(keys);
        Some((id?.0, text?.0, origin, rest?))
    })
}

pub(super) fn read_score(f: Fields<'_, '_>, draft: &Draft) -> Option<ScoreRule> {
    let (id, text, origin, (weight, measure)) =
        read_rule(f, SCORE_KEYS, |f| read_weighted_measure(f, draft))?;
    Some(ScoreRule {
        id,
        text,
        weight,
        measure,
        origin,
    })
}

/// A score rule's weight and measure.
fn read_weighted_measure(f: &mut Fields<'_, '_>, draft: &Draft) -> Option<(f64, Measure)> {
    let weight = f.req_within("weight", -1000.0..=1000.0);
    let measure = match rule_kind(f, "measure", MEASURES).as_str() {
        "condition" => {
            let (when, setting) = read_condition(f, "setting", draft);
            Some(Measure::Condition { when, setting })
        }
        "travel" => Some(Measure::Travel {
            zero_at: f.opt_within("zero_at", 0.1..=10.0).unwrap_or(1.0),
        }),
        "designation" => Some(Measure::Designation {
            secondary: f.opt_within("secondary", 0.0..=1.0).unwrap_or(0.5),
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
fn rule_kind(f: &mut Fields<'_, '_>, key: &str, known: &[&str]) -> String {
    let named = f.opt::<Text>(key);
    if let Some((v, span)) = &named
        && !known.contains(&v.as_str())
    {
        f.unknown_value(span.clone(), key, v, known);
    }
    named.map_or_else(|| "condition".to_string(), |(v, _)| v)
}

/// A rule's condition: on the child (`when`, optional) and on the setting (`setting_key`,
/// required).
fn read_condition(
    f: &mut Fields<'_, '_>,
    setting_key: &str,
    draft: &Draft,
) -> (ChildCondition, SettingCondition) {
    let when = match f.opt::<Fields>("when") {
        Some(w) => read_child_condition(w, draft),
        None => ChildCondition::default(),
    };
    let setting = match f.opt::<Fields>(setting_key) {
        Some(s) => read_setting_condition(s, draft),
        None => {
            f.missing(setting_key, "a table of setting conditions");
            SettingCondition::default()
        }
    };
    (when, setting)
}
