//! A plain reference interpreter: evaluates the typed rules directly on the model, with no
//! masks, no precomputed facts and no shared helpers from the compiled engine. Tests check that
//! the compiled engine agrees with it on every pair.

use super::schema::*;
use crate::model::{Area, NeedProfile, Setting};

/// The reference verdict on one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct RefVerdict {
    pub eligible: bool,
    /// Ids of failing excluding rules, in rule order.
    pub failed: Vec<String>,
    /// Ids of failing flag rules, in rule order.
    pub flagged: Vec<String>,
    /// Sum of score contributions (0 when not eligible).
    pub score: f64,
}

fn child_ok(rules: &RuleSet, c: &ChildCondition, child: &NeedProfile) -> bool {
    let mut rank = 0;
    for l in &rules.levels {
        if l.id == child.plan_level {
            rank = l.rank;
        }
    }
    let mut needs = vec![child.primary_need];
    needs.extend(child.secondary_needs.iter());
    if let Some(s) = c.primary_need
        && !s.iter().any(|n| n == child.primary_need)
    {
        return false;
    }
    if let Some(s) = c.primary_need_not
        && s.iter().any(|n| n == child.primary_need)
    {
        return false;
    }
    if let Some(s) = c.any_need
        && !s.iter().any(|n| needs.contains(&n))
    {
        return false;
    }
    if let Some(r) = c.plan_at_least
        && rank < r
    {
        return false;
    }
    if let Some(r) = c.plan_below
        && rank >= r
    {
        return false;
    }
    if let Some(phases) = &c.phase
        && !phases.contains(&child.year.phase())
    {
        return false;
    }
    if let Some(y) = c.min_year
        && child.year.0 < y
    {
        return false;
    }
    if let Some(y) = c.max_year
        && child.year.0 > y
    {
        return false;
    }
    for (area, v) in &c.intensity_at_least {
        if child.intensity.0[*area as usize] < *v {
            return false;
        }
    }
    if let Some(t) = c.total_intensity_at_least {
        let total: u32 = child.intensity.0.iter().map(|x| *x as u32).sum();
        if total < t as u32 {
            return false;
        }
    }
    c.requires_features
        .iter()
        .all(|f| child.features.iter().any(|g| g == f))
}

fn setting_ok(c: &SettingCondition, s: &Setting) -> bool {
    if let Some(k) = c.kind
        && !k.iter().any(|x| x == s.kind)
    {
        return false;
    }
    if let Some(k) = c.kind_not
        && k.iter().any(|x| x == s.kind)
    {
        return false;
    }
    if let Some(d) = c.designated_for
        && !d.iter().any(|n| s.designations.iter().any(|m| m == n))
    {
        return false;
    }
    c.features.iter().all(|f| s.features.iter().any(|g| g == f))
}

fn minutes(rules: &RuleSet, child: &NeedProfile, s: &Setting) -> f64 {
    let dx = child.home.easting - s.location.easting;
    let dy = child.home.northing - s.location.northing;
    let metres = (dx * dx + dy * dy).sqrt();
    // Each stretch of road at its band's speed, written out again here as the reference.
    let road_km = metres * rules.travel.road_factor / 1000.0;
    let mut minutes = 0.0;
    let mut start = 0.0;
    for band in &rules.travel.speed_bands {
        let end = band.up_to_km.unwrap_or(f64::MAX).min(road_km);
        if end > start {
            minutes += (end - start) * 60.0 / band.kmh;
        }
        start = band.up_to_km.unwrap_or(f64::MAX);
        if start >= road_km {
            break;
        }
    }
    minutes
}

fn guidance(rules: &RuleSet, child: &NeedProfile) -> f64 {
    match child.year.0 {
        0..=6 => rules.travel.guidance_minutes[0],
        7..=11 => rules.travel.guidance_minutes[1],
        _ => rules.travel.guidance_minutes[2],
    }
}

/// Evaluates every rule on one pair.
pub fn evaluate(rules: &RuleSet, area: &Area, child: &NeedProfile, s: &Setting) -> RefVerdict {
    let mut failed = Vec::new();
    let mut flagged = Vec::new();
    for rule in &rules.hard {
        let pass = hard_passes(rules, &rule.test, child, s);
        if !pass {
            match rule.severity {
                Severity::Exclude => failed.push(rule.id.clone()),
                Severity::Flag => flagged.push(rule.id.clone()),
            }
        }
    }
    if !failed.is_empty() {
        return RefVerdict {
            eligible: false,
            failed,
            flagged,
            score: 0.0,
        };
    }
    let mut score = 0.0;
    for rule in &rules.scores {
        let value = measure_value(rules, &rule.measure, child, s);
        score += rule.weight * value;
    }
    let _ = area;
    RefVerdict {
        eligible: true,
        failed,
        flagged,
        score,
    }
}

/// Whether the pair passes one hard rule's test.
fn hard_passes(rules: &RuleSet, test: &HardTest, child: &NeedProfile, s: &Setting) -> bool {
    match test {
        HardTest::Condition { when, require } => {
            !child_ok(rules, when, child) || setting_ok(require, s)
        }
        HardTest::YearGroup => s.first_year.0 <= child.year.0 && child.year.0 <= s.last_year.0,
        HardTest::Sex => s.admits.admits(child.sex),
        HardTest::Features => child.features.iter().all(|f| s.features.contains(f)),
        HardTest::Designation {
            applies_to,
            any_need,
        } => {
            if !applies_to.iter().any(|k| k == s.kind) {
                true
            } else if *any_need {
                s.designations.contains(child.primary_need)
                    || child
                        .secondary_needs
                        .iter()
                        .any(|n| s.designations.contains(n))
            } else {
                s.designations.contains(child.primary_need)
            }
        }
        HardTest::TravelGuidance => minutes(rules, child, s) <= guidance(rules, child),
        HardTest::JourneyCeiling {
            max_minutes,
            exempt_features,
        } => {
            let max = match child.year.0 {
                0..=6 => max_minutes[0],
                7..=11 => max_minutes[1],
                _ => max_minutes[2],
            };
            exempt_features.iter().any(|f| s.features.contains(f))
                || minutes(rules, child, s) <= max
        }
    }
}

/// One score rule's measure on the pair, before its weight.
fn measure_value(rules: &RuleSet, measure: &Measure, child: &NeedProfile, s: &Setting) -> f64 {
    match measure {
        Measure::Condition { when, setting } => {
            if child_ok(rules, when, child) && setting_ok(setting, s) {
                1.0
            } else {
                0.0
            }
        }
        Measure::Travel { zero_at } => {
            let v = 1.0 - minutes(rules, child, s) / (zero_at * guidance(rules, child));
            if v < 0.0 { 0.0 } else { v }
        }
        Measure::Designation { secondary } => {
            if s.designations.contains(child.primary_need) {
                1.0
            } else if child
                .secondary_needs
                .iter()
                .any(|n| s.designations.contains(n))
            {
                *secondary
            } else {
                0.0
            }
        }
        Measure::Preference => match child.preferences.iter().position(|p| *p == s.id) {
            Some(r) => 1.0 / (r as f64 + 1.0),
            None => 0.0,
        },
        Measure::Sibling => {
            let here = child.sibling_settings.contains(&s.id);
            let host = s
                .host
                .as_ref()
                .is_some_and(|h| child.sibling_settings.contains(h));
            if here || host { 1.0 } else { 0.0 }
        }
        Measure::Continuity => {
            if child.current_setting.as_ref() == Some(&s.id) {
                1.0
            } else {
                0.0
            }
        }
        Measure::Mainstream => {
            use crate::model::SettingKind as K;
            if matches!(s.kind, K::Mainstream | K::ResourcedProvision | K::SenUnit) {
                1.0
            } else {
                0.0
            }
        }
        Measure::FreePlace => {
            let pool = s
                .pools
                .iter()
                .find(|p| p.first_year <= child.year && child.year <= p.last_year);
            match pool {
                Some(p) if p.capacity > p.on_roll => 1.0,
                _ => 0.0,
            }
        }
    }
}
