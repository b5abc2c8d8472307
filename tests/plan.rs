//! Sufficiency planning: projection arithmetic on a hand-checkable area, scenarios, and
//! identical results across thread counts for the same seed.

mod common;
use common::*;
use placewise::model::*;
use placewise::testing::plan::{
    Growth, PlanOptions, PlanResults, ProvisionGrowth, Scenario, load_scenarios,
};
use placewise::testing::rules::RuleSet;
use placewise::testkit::{plain_child, plain_setting};

/// Options with today's places held (`--provision fixed`), for the capacity arithmetic.
fn options(years: u32, draws: u32, rate: f64) -> PlanOptions {
    let mut o = historical(years, draws, rate);
    o.provision = ProvisionGrowth::Fixed;
    o
}

/// Options with the default supply: places grow as history says.
fn historical(years: u32, draws: u32, rate: f64) -> PlanOptions {
    let mut o = PlanOptions::new(
        years,
        draws,
        5,
        Growth {
            rate,
            ..Growth::default()
        },
    );
    o.provision = ProvisionGrowth::Historical;
    o
}

/// The baseline scenario alone on `area`, planned from 2025.
fn baseline(area: &Area, rules: &RuleSet, options: &PlanOptions) -> PlanResults {
    plan_all(area, rules, 2025, &[Scenario::baseline()], options)
}

/// One ASD special school with `capacity` places and `n` children in year 3 attending it.
fn one_school(capacity: u32, n: usize) -> Area {
    let setting = Setting {
        name: "Special".into(),
        last_year: YearGroup(11),
        location: GridRef {
            easting: 400_000.0,
            northing: 300_000.0,
        },
        designations: [Need::Asd].into_iter().collect(),
        pools: vec![PlacePool {
            id: PoolId::from("all"),
            first_year: YearGroup(0),
            last_year: YearGroup(11),
            capacity,
            on_roll: n as u32,
            inclusion_base: None,
        }],
        locality: "Town".into(),
        local_authority: "Test".into(),
        ..plain_setting("SP", SettingKind::SpecialMaintained)
    };
    let children = (0..n)
        .map(|i| NeedProfile {
            year: YearGroup(3),
            home: GridRef {
                easting: 401_000.0,
                northing: 300_000.0,
            },
            intensity: Intensity([4, 3, 3, 0]),
            current_setting: Some(SettingId::from("SP")),
            locality: "Town".into(),
            ..plain_child(&format!("C{i:03}"))
        })
        .collect();
    let mut a = Area {
        name: "one school".into(),
        settings: vec![setting],
        children,
    };
    a.normalise();
    a
}

#[test]
fn no_growth_no_leavers_means_no_shortfall_and_steady_cost() {
    // 20 year-3 children in a 25-place school; they age to year 6 in 3 years; nobody leaves,
    // nobody joins: every year 20 children, 0 unplaced, cost 20 × (place £10,000 + band D
    // special top-up £23,000, band D covering total intensity 9–11; the children have 10).
    let area = one_school(25, 20);
    let r = baseline(&area, &england(), &options(3, 4, 0.0));
    let s = &r.scenarios[0];
    assert_eq!(s.years.len(), 4);
    for y in &s.years {
        assert_eq!(y.metrics["children"].p50, 20.0, "{}", y.year);
        assert_eq!(y.metrics["unplaced"].p90, 0.0);
        assert_eq!(y.metrics["cost.total"].p50, 20.0 * 33_000.0);
        assert_eq!(y.metrics["share.state-special"].p50, 1.0);
    }
}

#[test]
fn growth_beyond_capacity_shows_as_shortfall_of_the_right_size() {
    // 20 children, 22 places, 50% growth a year: about 10 new plans in year 1 (noisy), of whom
    // only 2 fit. Every draw: unplaced = children − 22 exactly, since all are in years 4..11.
    let area = one_school(22, 20);
    let r = baseline(&area, &england(), &options(1, 20, 0.5));
    let y1 = &r.scenarios[0].years[1];
    let children = y1.metrics["children"];
    let unplaced = y1.metrics["unplaced"];
    assert!(
        (children.mean - 30.0).abs() < 3.0,
        "mean children {}",
        children.mean
    );
    assert_eq!(unplaced.p50, children.p50 - 22.0);
    assert!(unplaced.p10 <= unplaced.p50 && unplaced.p50 <= unplaced.p90);
}

#[test]
fn expanding_the_school_removes_the_shortfall() {
    let area = one_school(22, 20);
    let mut expand = Scenario::baseline();
    expand.name = "expand".into();
    expand
        .changes
        .push(placewise::testing::plan::scenario::Change::Expand {
            from: 2026,
            setting: "SP".into(),
            pool: None,
            add: 30,
        });
    let r = plan_all(
        &area,
        &england(),
        2025,
        &[Scenario::baseline(), expand],
        &options(1, 10, 0.5),
    );
    assert!(r.scenarios[0].years[1].metrics["unplaced"].p50 > 0.0);
    assert_eq!(r.scenarios[1].years[1].metrics["unplaced"].p90, 0.0);
}

#[test]
fn plan_results_are_identical_for_one_and_two_threads() {
    let demo = load_fixture("demo");
    let scenarios = load_scenarios(&demo, &demo.dir.join("scenarios/example.toml")).unwrap();
    assert_same_on_one_and_two_threads(|| {
        let r = plan_all(
            &demo.area,
            &demo.rules.rules,
            2025,
            &scenarios,
            &options(3, 6, 0.1),
        );
        serde_json::to_string(&r).unwrap()
    });
}

#[test]
fn a_scenario_file_with_errors_reports_them_all() {
    let demo = load_fixture("demo");
    let text = scenario_file_errors(
        "[[scenario]]\nname = \"x\"\n[[scenario.change]]\naction = \"expnad\"\nfrom = 2027\nsetting = \"900301\"\n\n[[scenario]]\nname = \"y\"\n[[scenario.change]]\naction = \"close\"\nfrom = 2027\nsetting = \"99999\"\n[scenario.growth]\nrate = 3\n",
        &demo.area.settings,
    );
    assert_eq!(text.len(), 3, "{text:#?}");
    assert!(
        text[0].contains(":4:10:") && text[0].contains("did you mean `expand`?"),
        "{}",
        text[0]
    );
    assert!(text[1].contains("no setting `99999`"), "{}", text[1]);
    assert!(text[2].contains("scenario[1].growth.rate"), "{}", text[2]);
}

#[test]
fn the_shortfall_is_a_costed_fallback_placement() {
    // As above: every child the school cannot take is a fallback placement at the fee given,
    // and the cost line includes them.
    let area = one_school(22, 20);
    let mut o = options(1, 10, 0.5);
    o.fallback_fee = Some(80_000);
    let r = baseline(&area, &england(), &o);
    let y1 = &r.scenarios[0].years[1].metrics;
    assert!(y1["fallback"].p50 > 0.0);
    assert_eq!(y1["fallback"].p50, y1["unplaced"].p50);
    assert_eq!(y1["cost.fallback"].p50, y1["fallback"].p50 * 80_000.0);
    // Places in the school are 22 × £33,000; the rest is the fallback.
    assert_eq!(
        y1["cost.total"].p50,
        22.0 * 33_000.0 + y1["fallback"].p50 * 80_000.0
    );
    assert!(r.assumptions.iter().any(|a| a.contains("£80,000")));
}

#[test]
fn the_plan_uses_the_round_policy_it_is_given() {
    // With flagged children left out of the round, new plans are never placed: nobody is a
    // fallback placement and the new plans stay without a setting.
    let area = one_school(22, 20);
    let mut o = options(1, 10, 0.5);
    o.placement.policy_mut().flagged = false;
    let r = baseline(&area, &england(), &o);
    let y1 = &r.scenarios[0].years[1].metrics;
    assert_eq!(y1["fallback"].p90, 0.0);
    assert!(y1["plans.elsewhere"].p50 > 0.0);
    let d = baseline(&area, &england(), &options(1, 10, 0.5));
    assert!(d.scenarios[0].years[1].metrics["fallback"].p50 > 0.0);
}

#[test]
fn with_zero_growth_and_no_changes_the_number_of_plans_stays_flat() {
    // Leavers are replaced by new plans, and new mainstream plans are pupils already on the
    // roll, so neither the plans nor the pupils on mainstream rolls grow.
    let w = load_fixture("wyvernshire");
    let r = baseline(&w.area, &w.rules.rules, &historical(5, 3, 0.0));
    let years = &r.scenarios[0].years;
    let base = &years[0].metrics;
    for y in years {
        let m = &y.metrics;
        let plans = m["plans"].p50 / base["plans"].p50;
        assert!((plans - 1.0).abs() < 0.03, "{}: plans ×{plans:.3}", y.year);
        assert!(m["flows.converted"].p50 <= m["flows.new-plans"].p50);
    }
}

#[test]
fn with_provision_unchanged_and_the_cohort_growing_cost_never_falls() {
    let w = load_fixture("wyvernshire");
    let r = baseline(&w.area, &w.rules.rules, &options(7, 3, 0.10));
    let years = &r.scenarios[0].years;
    for pair in years.windows(2) {
        let (a, b) = (&pair[0].metrics, &pair[1].metrics);
        assert!(
            b["cost.total"].p50 >= a["cost.total"].p50,
            "cost fell from £{} ({}) to £{} ({})",
            a["cost.total"].p50,
            pair[0].year,
            b["cost.total"].p50,
            pair[1].year
        );
        assert!(b["plans"].p50 > a["plans"].p50);
    }
}

#[test]
fn a_national_standard_gives_every_mainstream_school_the_features_from_its_year() {
    let w = load_fixture("wyvernshire");
    let path = root().join("fixtures/wyvernshire/scenarios/reform.toml");
    let scenarios = load_scenarios(&w, &path).unwrap();
    let s = scenarios
        .iter()
        .find(|s| s.name == "national-standard")
        .unwrap();
    let mainstream = |settings: &[Setting]| {
        settings
            .iter()
            .filter(|s| s.kind == SettingKind::Mainstream)
            .map(|s| s.features.contains(&"sensory-room".to_string()))
            .collect::<Vec<bool>>()
    };
    let before = mainstream(&s.settings_in(&w.area.settings, 2026));
    assert!(before.iter().any(|has| !has));
    let after = mainstream(&s.settings_in(&w.area.settings, 2027));
    assert!(!after.is_empty() && after.iter().all(|has| *has));
    // Other kinds are untouched.
    let special_before: Vec<_> = w
        .area
        .settings
        .iter()
        .filter(|s| s.kind != SettingKind::Mainstream)
        .map(|s| s.features.clone())
        .collect();
    let special_after: Vec<_> = s
        .settings_in(&w.area.settings, 2027)
        .into_iter()
        .filter(|s| s.kind != SettingKind::Mainstream)
        .map(|s| s.features)
        .collect();
    assert_eq!(special_before, special_after);
}

#[test]
fn a_national_standard_with_an_unknown_feature_is_located() {
    let (_dir, path) = temp_file(
        "s.toml",
        "[[scenario]]\nname = \"x\"\n[[scenario.change]]\naction = \"national-standard\"\nfrom = 2027\nfeatures = [\"sensory-rom\"]\n",
    );
    let demo = load_fixture("demo");
    let err = load_scenarios(&demo, &path).unwrap_err();
    let text = err.diagnostics[0].to_string();
    assert!(
        text.contains(":6:") && text.contains("sensory-room"),
        "{text}"
    );
}

#[test]
fn with_historical_provision_only_the_surge_beyond_the_expected_growth_is_unplaced() {
    // 20 children in a 22-place school, 50% growth and all plans in state special: history
    // says 30 plans there next year, so the school has room for 30 (no other pupils), and a
    // child is unplaced only in a draw with more than 30.
    let area = one_school(22, 20);
    let mut o = historical(1, 20, 0.5);
    o.growth.share_change = [0.0; 7];
    let r = baseline(&area, &england(), &o);
    let y1 = &r.scenarios[0].years[1].metrics;
    let (children, unplaced) = (y1["children"], y1["unplaced"]);
    assert_eq!(unplaced.p50, (children.p50 - 30.0).max(0.0));
    assert_eq!(unplaced.p90, (children.p90 - 30.0).max(0.0));
    assert!(children.p90 > 30.0, "some draw surges past the history");
    assert!(
        r.assumptions
            .iter()
            .any(|a| a.contains("Provision grows as history says"))
    );
}

#[test]
fn the_demo_baseline_evolves_as_history_says() {
    // The demo county, 10.3% growth a year for 7 years: with places held, the shortfall
    // swamps the projection; with places growing as history says, colleges take everyone,
    // state special plans grow, and far fewer children are fallback placements.
    let w = load_fixture("wyvernshire");
    let run = |o: PlanOptions| baseline(&w.area, &w.rules.rules, &o);
    let grown = run(historical(
        7,
        2,
        placewise::testing::plan::projection::ENGLAND_GROWTH_2019_2025,
    ));
    let held = run(options(
        7,
        2,
        placewise::testing::plan::projection::ENGLAND_GROWTH_2019_2025,
    ));
    let last = |r: &PlanResults| r.scenarios[0].years[7].metrics.clone();
    let (g, h) = (last(&grown), last(&held));
    let base = &grown.scenarios[0].years[0].metrics;
    assert!(
        g["fallback"].p50 * 2.0 < h["fallback"].p50,
        "fallback {} (grown) against {} (held)",
        g["fallback"].p50,
        h["fallback"].p50
    );
    assert!(g["fallback"].p50 < 0.1 * g["plans"].p50);
    // Colleges are not capacity-bound: no place is wanted at a college (post-16 places may
    // be wanted at special schools, e.g. a school for the deaf designated for HI only).
    let colleges: Vec<String> = w
        .area
        .settings
        .iter()
        .filter(|s| s.kind == placewise::model::SettingKind::FurtherEducation)
        .map(|s| format!("bottleneck.add.{}", s.id.as_str()))
        .collect();
    let wanted: Vec<(&String, f64)> = g
        .iter()
        .filter(|(k, q)| colleges.contains(k) && q.p50 > 0.0)
        .map(|(k, q)| (k, q.p50))
        .collect();
    assert!(
        wanted.is_empty(),
        "colleges are not capacity-bound: {wanted:?}"
    );
    assert!(g["plans.state-special"].p50 > base["plans.state-special"].p50 * 1.1);
    assert!(g["plans.further-education"].p50 > base["plans.further-education"].p50 * 1.5);
}

#[test]
fn a_budget_the_flow_keeps_within_gives_the_flow_optimum_and_a_binding_one_goes_to_highs() {
    // The budgeted model with a cap the unconstrained optimum keeps within has that optimum
    // as its own; a cap below it must be solved by HiGHS and respected.
    use placewise::testing::engine::Engine;
    use placewise::testing::placement::{PlacementOptions, place};
    let w = load_fixture("demo");
    let engine = Engine::new(&w.rules, &w.area);
    let optimal = PlacementOptions::new(placewise::Mode::Optimal);
    let free = place(&engine, &optimal).unwrap();
    let loose = optimal
        .clone()
        .with_budget(free.totals.annual_cost)
        .unwrap();
    let at_cap = place(&engine, &loose).unwrap();
    assert_eq!(
        at_cap.run.solver,
        placewise::testing::placement::Solver::MinCostFlow
    );
    assert_eq!(at_cap.placements, free.placements);
    let tight = optimal
        .clone()
        .with_budget(free.totals.annual_cost - 1)
        .unwrap();
    let capped = place(&engine, &tight).unwrap();
    assert_eq!(
        capped.run.solver,
        placewise::testing::placement::Solver::Highs
    );
    assert!(capped.totals.annual_cost < free.totals.annual_cost);
}

/// The interval's random walk: each year of a draw moves its number of plans by a shock that
/// is kept, so the band widens like the square root of the horizon (not like the horizon, as a
/// spread of the rate does, and not staying put, as a one-off move would).
#[test]
fn a_random_walk_of_the_level_widens_the_band_with_the_root_of_the_horizon() {
    let w = load_fixture("wyvernshire");
    let mut o = historical(3, 20, 0.0);
    o.growth.rate_sd = 0.0;
    let narrow = baseline(&w.area, &w.rules.rules, &o);
    o.growth.walk_sd = 0.05;
    let wide = baseline(&w.area, &w.rules.rules, &o);
    let width = |r: &PlanResults, y: usize| {
        let q = &r.scenarios[0].years[y].metrics["plans"];
        (q.p90 - q.p10) / q.p50
    };
    // The 80% range of a normal with standard deviation 0.05 is about ±6.4%: well beyond the
    // noise of arrivals alone.
    assert!(
        width(&wide, 1) > 0.08 && width(&wide, 1) > 2.0 * width(&narrow, 1),
        "{} vs {}",
        width(&wide, 1),
        width(&narrow, 1)
    );
    // Three yearly shocks: about √3 ≈ 1.7 times the first year's band.
    let ratio = width(&wide, 3) / width(&wide, 1);
    assert!(
        (1.25..2.4).contains(&ratio),
        "{ratio}: {:?}",
        (1..=3).map(|y| width(&wide, y)).collect::<Vec<_>>()
    );
    // The base year is the census in both.
    assert_eq!(
        wide.scenarios[0].years[0].metrics["plans"],
        narrow.scenarios[0].years[0].metrics["plans"]
    );
}
