//! The headline of a plan, per scenario: in the last projected year, the children with plans the
//! rules leave without a suitable place, the fallback placements they take and what those cost;
//! and, from the bottleneck analysis of every projected year's round, the settings where places
//! would place them — how many, in which year, for which needs and phases. Computed from the
//! metrics (medians over draws), so it says nothing the CSV does not.

use super::results::{Headline, PlacesToAdd, ScenarioResult};
use crate::model::Setting;
use std::collections::BTreeMap;

const PREFIX: &str = "bottleneck.add.";

/// The headline of `scenario`; `settings` names the settings (the area's and those the
/// scenarios open).
pub fn headline(scenario: &ScenarioResult, settings: &[&Setting]) -> Headline {
    let Some(last) = scenario.years.iter().max_by_key(|y| y.year) else {
        return Headline {
            scenario: scenario.name.clone(),
            ..Default::default()
        };
    };
    let q = |k: &str| last.metrics.get(k).copied().unwrap_or_default();
    // The peak year of each setting's median places to add (ties: the earlier year).
    let mut peak: BTreeMap<&str, (f64, i32)> = BTreeMap::new();
    let mut years: Vec<_> = scenario.years.iter().collect();
    years.sort_by_key(|y| y.year);
    for y in &years {
        for (key, v) in &y.metrics {
            let Some(setting) = key.strip_prefix(PREFIX) else {
                continue;
            };
            if setting.contains(".need.") || setting.contains(".phase.") || v.p50 <= 0.0 {
                continue;
            }
            let e = peak.entry(setting).or_insert((0.0, y.year));
            if v.p50 > e.0 {
                *e = (v.p50, y.year);
            }
        }
    }
    let mut places_to_add: Vec<PlacesToAdd> = peak
        .into_iter()
        .map(|(id, (places, year))| {
            let metrics = &years
                .iter()
                .find(|y| y.year == year)
                .expect("a year")
                .metrics;
            let breakdown = |part: &str| -> BTreeMap<String, f64> {
                let prefix = format!("{PREFIX}{id}.{part}.");
                metrics
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = k.strip_prefix(&prefix)?;
                        (v.p50 > 0.0).then(|| (key.to_string(), v.p50))
                    })
                    .collect()
            };
            let found = settings.iter().find(|s| s.id.0 == id);
            PlacesToAdd {
                setting: id.to_string(),
                setting_name: found.map(|s| s.name.clone()).unwrap_or_default(),
                kind: found.map(|s| s.kind),
                year,
                places,
                by_need: breakdown("need"),
                by_phase: breakdown("phase"),
            }
        })
        .collect();
    places_to_add.sort_by(|a, b| {
        b.places
            .total_cmp(&a.places)
            .then_with(|| a.setting.cmp(&b.setting))
    });
    Headline {
        scenario: scenario.name.clone(),
        year: last.year,
        plans: q("plans"),
        unplaced: q("unplaced"),
        fallback: q("fallback"),
        fallback_cost: q("cost.fallback"),
        total_cost: q("cost.total"),
        places_needed: q("bottleneck.places-needed"),
        places_to_add,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::results::{Quantiles, YearMetrics};

    fn year(year: i32, pairs: &[(&str, f64)]) -> YearMetrics {
        YearMetrics {
            year,
            metrics: pairs
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        Quantiles {
                            p10: *v,
                            p50: *v,
                            p90: *v,
                            mean: *v,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn the_headline_takes_each_settings_peak_year_with_its_needs() {
        let s = ScenarioResult {
            name: "baseline".into(),
            years: vec![
                year(2025, &[("bottleneck.add.A", 3.0), ("fallback", 1.0)]),
                year(
                    2026,
                    &[
                        ("bottleneck.add.A", 5.0),
                        ("bottleneck.add.A.need.ASD", 4.0),
                        ("bottleneck.add.A.need.SEMH", 1.0),
                        ("bottleneck.add.A.phase.secondary", 5.0),
                        ("bottleneck.add.B", 5.0),
                        ("bottleneck.add.C", 0.0),
                        ("fallback", 9.0),
                        ("cost.fallback", 9.0 * 60_000.0),
                    ],
                ),
            ],
            ..Default::default()
        };
        let h = headline(&s, &[]);
        assert_eq!(
            (h.year, h.fallback.p50, h.fallback_cost.p50),
            (2026, 9.0, 540_000.0)
        );
        let ids: Vec<&str> = h.places_to_add.iter().map(|p| p.setting.as_str()).collect();
        assert_eq!(ids, ["A", "B"]);
        let a = &h.places_to_add[0];
        assert_eq!((a.year, a.places), (2026, 5.0));
        assert_eq!(a.by_need.get("ASD"), Some(&4.0));
        assert_eq!(a.by_phase.get("secondary"), Some(&5.0));
    }
}
