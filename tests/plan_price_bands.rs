//! National price bands for independent special schools on the demo county: the shipped
//! `independent-price-bands` scenario costs placements in independent and non-maintained
//! special schools (and fallback placements) at the band of the child's needs, from its year on,
//! and changes nothing else.

mod common;
use common::*;
use placewise::model::SettingKind;
use placewise::testing::plan::scenario::Change;
use placewise::testing::plan::{Growth, PlanOptions, PlanResults, Scenario, load_scenarios};

fn plan(w: &placewise::testing::io::LoadedArea, scenarios: &[Scenario], years: u32) -> PlanResults {
    let options = PlanOptions::new(years, 1, 3, Growth::default());
    plan_all(&w.area, &w.rules.rules, 2025, scenarios, &options)
}

fn price_bands(from: i32) -> Scenario {
    Scenario {
        name: "price-bands".into(),
        changes: vec![Change::PriceBands { from }],
        ..Scenario::baseline()
    }
}

/// Metrics that are money (or count the priced placements): everything else must not move.
fn is_cost(metric: &str) -> bool {
    metric.starts_with("cost.") || metric == "price-bands.pupils"
}

#[test]
fn the_base_year_costs_each_independent_place_at_its_band_price() {
    let w = load_fixture("wyvernshire");
    let rules = &w.rules.rules;
    // Independently of the plan: every child with a plan in an independent or non-maintained
    // special school in January, at the band price less today's fee.
    let mut expected = 0i64;
    let mut pupils = 0;
    for c in w
        .area
        .children
        .iter()
        .filter(|c| c.plan_level != "sen-support")
    {
        let Some(s) = c
            .current_setting
            .as_ref()
            .and_then(|id| w.area.settings.iter().find(|s| &s.id == id))
        else {
            continue;
        };
        if !matches!(
            s.kind,
            SettingKind::SpecialIndependent | SettingKind::SpecialNonMaintained
        ) {
            continue;
        }
        let band = rules.band_for(c.intensity.total()).unwrap();
        let price = rules
            .price_bands
            .for_funding_band(&band.id)
            .unwrap()
            .pounds
            .0;
        expected += price - s.annual_fee.unwrap().0;
        pupils += 1;
    }
    assert!(pupils >= 20, "{pupils} independent placements");
    let r = plan(&w, &[Scenario::baseline(), price_bands(2025)], 0);
    let (base, banded) = (
        &r.scenarios[0].years[0].metrics,
        &r.scenarios[1].years[0].metrics,
    );
    assert_eq!(banded["fallback"].p50, 0.0);
    assert_eq!(banded["price-bands.pupils"].p50, pupils as f64);
    assert_eq!(banded["cost.price-bands.difference"].p50, expected as f64);
    assert_eq!(
        banded["cost.total"].p50 - base["cost.total"].p50,
        expected as f64
    );
    assert_eq!(
        banded["cost.independent"].p50 - base["cost.independent"].p50,
        expected as f64
    );
    for (k, q) in base.iter().filter(|(k, _)| !is_cost(k)) {
        assert_eq!(banded.get(k), Some(q), "{k}");
    }
    println!(
        "base year: {pupils} placements, cost difference £{expected} (total £{} → £{})",
        base["cost.total"].p50, banded["cost.total"].p50
    );
}

#[test]
fn the_shipped_scenario_changes_costs_only_and_only_from_2027() {
    let w = load_fixture("wyvernshire");
    let path = root().join("fixtures/wyvernshire/scenarios/reform.toml");
    let scenarios = load_scenarios(&w, &path).unwrap();
    let s = scenarios
        .iter()
        .find(|s| s.name == "independent-price-bands")
        .unwrap();
    assert_eq!(s.price_bands_from(), Some(2027));
    let r = plan(&w, &[Scenario::baseline(), s.clone()], 4);
    for (b, p) in r.scenarios[0].years.iter().zip(&r.scenarios[1].years) {
        if p.year < 2027 {
            assert_eq!(b.metrics, p.metrics, "{}", p.year);
            continue;
        }
        let d = p.metrics["cost.price-bands.difference"].p50;
        assert!(d != 0.0, "{}", p.year);
        assert_eq!(
            p.metrics["cost.total"].p50 - b.metrics["cost.total"].p50,
            d,
            "{}",
            p.year
        );
        for (k, q) in b.metrics.iter().filter(|(k, _)| !is_cost(k)) {
            assert_eq!(p.metrics.get(k), Some(q), "{}: {k}", p.year);
        }
        println!("{}: difference £{d}", p.year);
    }
    // The assumptions state the prices.
    assert!(
        r.assumptions
            .iter()
            .any(|a| a.contains("independent-price-bands") && a.contains("C £60,000")),
        "{:#?}",
        r.assumptions
    );
    // The summary prints the difference by year.
    let text = placewise::render::plan::summary_text(&r);
    assert!(text.contains("national price bands"), "{text}");
}

#[test]
fn a_price_band_scenario_without_price_bands_in_the_rules_is_refused() {
    let w = load_fixture("wyvernshire");
    let mut rules = w.rules.rules.clone();
    rules.price_bands = Default::default();
    let (_dir, path) = temp_file(
        "bands.toml",
        "[[scenario]]\nname = \"bands\"\n[[scenario.change]]\naction = \"price-bands\"\nfrom = 2027\n",
    );
    let err = placewise::testing::plan::scenario::scenarios_for(&w.area.settings, &rules, &path)
        .unwrap_err();
    let text: String = err.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        text.contains("bands.toml") && text.contains("define none"),
        "{text}"
    );
    // A bad year is located.
    let text = scenario_file_errors(
        "[[scenario]]\nname = \"x\"\n[[scenario.change]]\naction = \"price-bands\"\nfrom = 1999\n",
        &w.area.settings,
    );
    assert!(
        text.iter()
            .any(|t| t.contains(":5:8:") && t.contains("from")),
        "{text:#?}"
    );
}
