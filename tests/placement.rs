//! Placement: hand-checkable cases, flow core against HiGHS, capacity and eligibility of every
//! placement, shortfall counts, determinism.

mod common;
use common::*;
use placewise::model::*;
use placewise::testing::engine::Engine;
use placewise::testing::placement::{Mode, PlacementOptions, PlacementReport, mark_lists, place};
use placewise::testing::rules::CompiledRules;
use placewise::testing::solve::{assign, lp, problem::*};
use placewise::testkit::{plain_child, plain_setting};
use proptest::prelude::*;

fn setting(
    id: &str,
    kind: SettingKind,
    e: f64,
    designations: &[Need],
    capacity: u32,
    on_roll: u32,
) -> Setting {
    Setting {
        last_year: YearGroup(6),
        location: GridRef {
            easting: e,
            northing: 300_000.0,
        },
        designations: designations.iter().copied().collect(),
        pools: vec![PlacePool {
            id: PoolId::from("main"),
            first_year: YearGroup(0),
            last_year: YearGroup(6),
            capacity,
            on_roll,
            inclusion_base: None,
        }],
        locality: "North".into(),
        local_authority: "Test".into(),
        ..plain_setting(id, kind)
    }
}

fn child(id: &str, need: Need, e: f64, prefs: &[&str]) -> NeedProfile {
    NeedProfile {
        sex: Sex::Female,
        home: GridRef {
            easting: e,
            northing: 300_000.0,
        },
        primary_need: need,
        intensity: Intensity([2, 1, 1, 0]),
        preferences: prefs.iter().map(|p| SettingId::from(*p)).collect(),
        needs_place: true,
        locality: "North".into(),
        ..plain_child(id)
    }
}

fn area(settings: Vec<Setting>, children: Vec<NeedProfile>) -> Area {
    area_of(settings, children)
}

/// Options with `mode` and every other option at its default.
fn in_mode(mode: Mode) -> PlacementOptions {
    PlacementOptions::new(mode)
}

/// The placement of `a` under the shipped rules, in `mode`.
fn placed(a: &Area, mode: Mode) -> PlacementReport {
    let rules = CompiledRules::new(england());
    place(&Engine::new(&rules, a), &in_mode(mode)).unwrap()
}

/// Places each random area of `seeds` (of `size`: settings, children) in every mode, under the
/// shipped rules, and hands the seed, area, engine, mode and report to `check`.
fn in_every_mode(
    seeds: std::ops::Range<u64>,
    size: (usize, usize),
    mut check: impl FnMut(u64, &Area, &Engine<'_>, Mode, &PlacementReport),
) {
    on_random_areas(seeds, size, |seed, a, engine| {
        for mode in [Mode::Optimal, Mode::PreferenceFirst, Mode::Stable] {
            let report = place(engine, &in_mode(mode)).unwrap();
            check(seed, a, engine, mode, &report);
        }
    });
}

/// Runs `check` on the random area of each seed (`size` = settings, children) and an engine
/// on it with the shipped England rules.
fn on_random_areas(
    seeds: std::ops::Range<u64>,
    size: (usize, usize),
    mut check: impl FnMut(u64, &Area, &Engine<'_>),
) {
    let rules = CompiledRules::new(england());
    for seed in seeds {
        let a = random_area(seed, size.0, size.1);
        let engine = Engine::new(&rules, &a);
        check(seed, &a, &engine);
    }
}

#[test]
fn capacity_shortfall_leaves_exactly_the_expected_children_unplaced() {
    // Five autistic children with very high needs; one ASD special school with 3 free places;
    // the mainstream school is ruled out for them by H-VERY-HIGH.
    let mut kids: Vec<NeedProfile> = (0..5)
        .map(|i| {
            child(
                &format!("K{i}"),
                Need::Asd,
                400_000.0 + 100.0 * i as f64,
                &[],
            )
        })
        .collect();
    for k in &mut kids {
        k.intensity = Intensity([4, 3, 3, 0]);
    }
    let a = area(
        vec![
            setting(
                "SP",
                SettingKind::SpecialMaintained,
                401_000.0,
                &[Need::Asd],
                10,
                7,
            ),
            setting("MS", SettingKind::Mainstream, 400_500.0, &[], 400, 100),
        ],
        kids,
    );
    let report = placed(&a, Mode::Optimal);
    assert_eq!(report.totals.in_round, 5);
    assert_eq!(report.totals.placed, 3);
    assert_eq!(report.totals.unplaced, 2);
    assert_eq!(report.shortfall_by_need.get("ASD"), Some(&2));
    assert_eq!(report.shortfall_by_phase.get("primary"), Some(&2));
    assert!(
        report
            .unplaced
            .iter()
            .all(|u| u.reason == "all 1 suitable setting(s) are full")
    );
    assert!(report.placements.iter().all(|p| p.setting == "SP"));
}

#[test]
fn the_optimum_puts_each_child_in_the_nearer_designated_base() {
    // Two resource bases with one place each, designated ASD and HI; an ASD and an HI child.
    // Each must go to its own base even though the ASD base is nearer to both.
    let a = area(
        vec![
            setting(
                "RB-ASD",
                SettingKind::ResourcedProvision,
                400_000.0,
                &[Need::Asd],
                1,
                0,
            ),
            setting(
                "RB-HI",
                SettingKind::ResourcedProvision,
                420_000.0,
                &[Need::Hi],
                1,
                0,
            ),
        ],
        vec![
            child("A", Need::Asd, 400_000.0, &[]),
            child("H", Need::Hi, 401_000.0, &[]),
        ],
    );
    let report = placed(&a, Mode::Optimal);
    let by_child: Vec<(&str, &str)> = report
        .placements
        .iter()
        .map(|p| (p.child.as_str(), p.setting.as_str()))
        .collect();
    assert_eq!(by_child, vec![("A", "RB-ASD"), ("H", "RB-HI")]);
}

#[test]
fn preference_first_honours_a_suitable_preference_over_a_better_score() {
    // Two mainstream schools; the child lives next to M1 but the parents ask for M2 (farther).
    // In optimal mode a single free place at M1 goes to another child who needs it more; the
    // preference-first mode names M2 for the child with the preference.
    let a = area(
        vec![
            setting("M1", SettingKind::Mainstream, 400_000.0, &[], 30, 29),
            setting("M2", SettingKind::Mainstream, 410_000.0, &[], 30, 29),
        ],
        vec![
            child("P", Need::Spld, 400_000.0, &["M2"]),
            child("Q", Need::Spld, 400_100.0, &[]),
        ],
    );
    let report = placed(&a, Mode::PreferenceFirst);
    let p = report.placements.iter().find(|p| p.child == "P").unwrap();
    assert_eq!(p.setting, "M2");
    assert_eq!(p.preference, Some(1));
    assert_eq!(report.totals.placed, 2);
}

#[test]
fn stable_mode_has_no_blocking_pairs_and_never_beats_the_optimum() {
    on_random_areas(0..5, (30, 120), |_, _, engine| {
        let opt = place(engine, &PlacementOptions::default()).unwrap();
        let st = place(engine, &in_mode(Mode::Stable)).unwrap();
        assert_eq!(st.run.blocking_pairs, Some(0));
        assert!(
            st.run.objective >= opt.run.objective - 1e-6,
            "{} < {}",
            st.run.objective,
            opt.run.objective
        );
    });
}

#[test]
fn every_placement_respects_capacity_and_eligibility() {
    in_every_mode(10..16, (40, 200), |_, a, engine, mode, report| {
        let mut used: std::collections::BTreeMap<(String, String), u32> = Default::default();
        for p in &report.placements {
            let c = a.child_index(&p.child).unwrap();
            let s = a.setting_index(&p.setting).unwrap();
            assert!(
                engine.is_eligible(c, s),
                "{mode:?}: {} placed at unsuitable {}",
                p.child,
                p.setting
            );
            *used.entry((p.setting.clone(), p.pool.clone())).or_default() += 1;
        }
        for ((s, pool), n) in used {
            let setting = &a.settings[a.setting_index(&s).unwrap()];
            let pool = setting.pools.iter().find(|p| p.id.0 == pool).unwrap();
            // Places free now plus places given up by children of the round who were on roll.
            let leaving = report
                .placements
                .iter()
                .map(|p| &p.child)
                .chain(report.unplaced.iter().map(|u| &u.child))
                .filter(|id| {
                    let c = &a.children[a.child_index(id).unwrap()];
                    c.current_setting.as_ref() == Some(&setting.id) && pool.serves(c.year)
                })
                .count() as u32;
            assert!(
                n <= (pool.free() + leaving).min(pool.capacity).max(pool.free()),
                "{mode:?}: pool over capacity"
            );
        }
        assert_eq!(
            report.totals.placed + report.totals.unplaced,
            report.totals.in_round
        );
    });
}

#[test]
fn placement_is_identical_for_one_and_two_threads() {
    let rules = CompiledRules::new(england());
    let a = random_area(99, 50, 400);
    assert_same_on_one_and_two_threads(|| {
        let engine = Engine::new(&rules, &a);
        let report = place(&engine, &PlacementOptions::default()).unwrap();
        let mut lists = placewise::testing::lists::all_lists(
            &engine,
            placewise::testing::lists::ListOptions::new(5).unwrap(),
        );
        mark_lists(&engine, &report, &mut lists);
        serde_json::to_string(&(report, lists)).unwrap()
    });
}

#[test]
fn flow_and_highs_agree_on_random_areas() {
    on_random_areas(20..24, (30, 150), |_, _, engine| {
        let flow = place(engine, &PlacementOptions::default()).unwrap();
        let highs = place(engine, &{
            let mut forced = PlacementOptions::default();
            forced.force_lp = true;
            forced
        })
        .unwrap();
        assert_eq!(
            flow.run.solver,
            placewise::testing::placement::Solver::MinCostFlow
        );
        assert_eq!(
            highs.run.solver,
            placewise::testing::placement::Solver::Highs
        );
        assert!(
            (flow.run.objective - highs.run.objective).abs() < 1e-6,
            "{} vs {}",
            flow.run.objective,
            highs.run.objective
        );
        assert_eq!(flow.totals.unplaced, highs.totals.unplaced);
    });
}

/// A random transportation problem, small enough for HiGHS in a property test.
fn arb_problem() -> impl Strategy<Value = PlacementProblem> {
    (1usize..25, 1usize..8, any::<u64>()).prop_map(|(n, m, seed)| {
        let mut r = Rng(seed);
        let pools = (0..m)
            .map(|j| Pool {
                free: r.below(5) as u32,
                setting: j as u32,
                locality: 0,
                mainstream: r.chance(0.5),
            })
            .collect();
        let mut candidates = Vec::new();
        let mut children = Vec::new();
        for i in 0..n {
            children.push(Demand {
                unplaced_cost: 500 + r.below(1000) as i64,
                sibling_group: None,
            });
            for j in 0..m {
                if r.chance(0.5) {
                    candidates.push(Candidate {
                        child: i as u32,
                        pool: j as u32,
                        cost: r.below(400) as i64,
                        pounds: 1000,
                    });
                }
            }
        }
        PlacementProblem {
            fixed: Default::default(),
            children,
            pools,
            candidates,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn flow_optimum_equals_highs_lp_optimum(problem in arb_problem()) {
        let flow = assign::solve_assignment(&problem).unwrap();
        let options = lp::LpOptions { integral: false, ..lp::LpOptions::default() };
        let highs = lp::solve_lp(&problem, &SideConstraints::default(), &options).unwrap();
        prop_assert_eq!(highs.status, lp::LpStatus::Optimal);
        prop_assert!((highs.objective.unwrap() - flow.objective as f64).abs() < 1e-6, "HiGHS {:?} vs flow {}", highs.objective, flow.objective);
        prop_assert!(assign::check_feasible(&problem, &flow).is_ok());
    }
}

#[test]
fn place_command_on_the_demo_explains_each_placement() {
    let o = run_ok("place", DEMO, &["--format", "json"]);
    let v = json(&o);
    assert_eq!(v["run"]["solver"], "min-cost-flow");
    assert_eq!(v["run"]["status"], "optimal");
    let placements = v["placements"].as_array().unwrap();
    assert!(!placements.is_empty());
    assert!(
        placements
            .iter()
            .all(|p| p["why"].as_str().unwrap().starts_with("suitable (score"))
    );
    let t = &v["totals"];
    assert_eq!(
        t["placed"].as_u64().unwrap() + t["unplaced"].as_u64().unwrap(),
        t["in_round"].as_u64().unwrap()
    );
}

#[test]
fn a_budget_cap_goes_to_highs_and_lowers_the_cost() {
    let base = run_on("place", DEMO, &["--mode", "optimal", "--format", "json"]);
    let v = json(&base);
    let cost = v["totals"]["annual_cost"].as_i64().unwrap();
    let cap = (cost * 3 / 4).to_string();
    let o = run_ok(
        "place",
        DEMO,
        &["--mode", "optimal", "--budget", &cap, "--format", "json"],
    );
    let w = json(&o);
    assert_eq!(w["run"]["solver"], "highs");
    assert!(w["totals"]["annual_cost"].as_i64().unwrap() <= cost * 3 / 4);
}

#[test]
fn a_budget_holds_for_the_whole_round_when_preferences_come_first() {
    // The default mode grants the parents' named settings before the solve; the budget counts
    // those placements too, so the round's cost stays within it, or the run says the budget
    // cannot be met.
    let base = json(&run_ok("place", DEMO, &["--format", "json"]));
    assert_eq!(base["run"]["mode"], "preference-first");
    let cost = base["totals"]["annual_cost"].as_i64().unwrap();
    let cap = cost - 20_000;
    let w = json(&run_ok(
        "place",
        DEMO,
        &["--budget", &cap.to_string(), "--format", "json"],
    ));
    assert_eq!(w["run"]["mode"], "preference-first");
    assert_eq!(w["run"]["solver"], "highs");
    assert!(w["totals"]["annual_cost"].as_i64().unwrap() <= cap);
    // Below what the granted preferences alone cost, the budget is named as what fails.
    let o = run_on("place", DEMO, &["--budget", "1000", "--format", "json"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("budget"), "{err}");
}

#[test]
fn lists_after_placement_mark_capacity() {
    let o = run_ok(
        "list",
        DEMO,
        &["--all", "--after-placement", "--format", "json"],
    );
    let v = json(&o);
    let marks: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["entries"].as_array().unwrap())
        .map(|e| e["capacity"]["after_placement"].as_str().unwrap())
        .collect();
    assert!(
        marks.contains(&"placed-here") && marks.contains(&"full") && marks.contains(&"places-free"),
        "{marks:?}"
    );
}

/// The objective `place` reports is the README's: over the placements, −per_score_point ×
/// score + per_travel_minute × minutes + per_thousand_pounds × £k, plus unplaced_penalty per
/// child left unplaced; recomputed here from the reported placements (whose score and minutes
/// are rounded to hundredths).
fn recomputed_objective(report: &placewise::testing::placement::PlacementReport) -> (f64, f64) {
    let w = &england().placement;
    let mut total = 0.0;
    for p in &report.placements {
        total += -w.per_score_point * p.score
            + w.per_travel_minute * p.minutes
            + w.per_thousand_pounds * p.annual_cost as f64 / 1000.0;
    }
    total += w.unplaced_penalty * report.unplaced.len() as f64;
    let rounding =
        0.005 * (w.per_score_point + w.per_travel_minute) * report.placements.len() as f64;
    (total, rounding + 1e-6)
}

#[test]
fn the_reported_objective_is_recomputed_from_the_placements() {
    in_every_mode(0..4, (35, 60), |seed, _, _, mode, report| {
        let (expected, tolerance) = recomputed_objective(report);
        assert!(
            (report.run.objective - expected).abs() <= tolerance,
            "seed {seed} {mode:?}: reported {} but the placements sum to {expected}",
            report.run.objective
        );
        let t = &report.run.objective_terms;
        assert!((t.total() - report.run.objective).abs() < 1e-9);
        assert_eq!(t.unplaced, 100_000.0 * report.totals.unplaced as f64);
        assert!(t.score <= 0.0 && t.travel >= 0.0 && t.money >= 0.0);
    });
}

#[test]
fn place_json_objective_matches_its_placements() {
    let o = run_ok("place", "fixtures/wyvernshire", &["--format", "json"]);
    let v = json(&o);
    let mut sum = 0.0;
    let placements = v["placements"].as_array().unwrap();
    for p in placements {
        sum += -10.0 * p["score"].as_f64().unwrap()
            + 2.0 * p["minutes"].as_f64().unwrap()
            + p["annual_cost"].as_f64().unwrap() / 1000.0;
    }
    sum += 100_000.0 * v["unplaced"].as_array().unwrap().len() as f64;
    let reported = v["run"]["objective"].as_f64().unwrap();
    assert!(
        (reported - sum).abs() <= 0.06 * placements.len() as f64,
        "reported {reported}, placements sum to {sum}"
    );
}

/// Adds `places` free places to the pool `pool` of setting `setting` (capacity raised to the
/// roll, if over it, and then by `places`).
fn add_places(a: &mut Area, setting: &str, pool: &str, places: u32) {
    let s = a
        .settings
        .iter_mut()
        .find(|s| s.id.0 == setting)
        .expect("a setting of the area");
    let p = s
        .pools
        .iter_mut()
        .find(|p| p.id.0 == pool)
        .expect("its pool");
    p.capacity = p.capacity.max(p.on_roll) + places;
}

/// The least-cost round, whose binding sets are exact.
fn optimal() -> PlacementOptions {
    PlacementOptions::new(Mode::Optimal)
}

#[test]
fn adding_the_places_named_for_each_binding_set_places_exactly_that_many_more() {
    let rules = CompiledRules::new(england());
    let mut with_sets = 0;
    for seed in 0..12 {
        let mut a = random_area(seed, 12, 120);
        let before = {
            let engine = Engine::new(&rules, &a);
            place(&engine, &optimal()).unwrap()
        };
        let b = &before.bottlenecks;
        assert!(b.placeable_by_moving.is_empty(), "seed {seed}");
        let in_sets: usize = b.sets.iter().map(|s| s.unplaced_children.len()).sum();
        assert_eq!(
            in_sets + b.without_suitable_pool.len(),
            before.totals.unplaced,
            "seed {seed}: every unplaced child is accounted for"
        );
        if b.sets.is_empty() {
            continue;
        }
        with_sets += 1;
        for set in &b.sets {
            assert_eq!(
                set.places_to_add.iter().map(|p| p.places).sum::<u32>(),
                set.places_needed
            );
            assert!(set.competing_children >= set.unplaced_children.len());
            for p in &set.places_to_add {
                add_places(&mut a, &p.setting, &p.pool, p.places);
            }
        }
        // Each unplaced child of a set is told where its place would be.
        for u in &before.unplaced {
            assert_eq!(u.binding_set.is_some(), u.add_place_at.is_some());
        }
        let engine = Engine::new(&rules, &a);
        let after = place(&engine, &optimal()).unwrap();
        assert_eq!(
            before.totals.unplaced - after.totals.unplaced,
            b.places_needed as usize,
            "seed {seed}"
        );
        assert!(after.bottlenecks.sets.is_empty(), "seed {seed}");
    }
    assert!(with_sets >= 3, "only {with_sets} areas had a binding set");
}

#[test]
fn bottlenecks_are_rendered_in_text_json_and_csv() {
    use placewise::render::{PLACEMENT_CSV_HEADER, placement_csv_rows, placement_text};
    let rules = CompiledRules::new(england());
    let a = (0..12)
        .map(|seed| random_area(seed, 12, 120))
        .find(|a| {
            let engine = Engine::new(&rules, a);
            let r = place(&engine, &PlacementOptions::default()).unwrap();
            !r.bottlenecks.sets.is_empty()
        })
        .expect("an area with a binding set");
    let engine = Engine::new(&rules, &a);
    let report = place(&engine, &PlacementOptions::default()).unwrap();
    let needed = report.bottlenecks.places_needed;
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(
        v["bottlenecks"]["places_needed"].as_u64(),
        Some(u64::from(needed))
    );
    let first = &v["bottlenecks"]["sets"][0];
    assert!(first["places_to_add"][0]["setting"].is_string());
    assert!(first["by_need"].is_object() && first["by_phase"].is_object());
    let text = placement_text(&report);
    assert!(
        text.contains(&format!("{needed} more place(s) would place {needed}")),
        "{text}"
    );
    assert!(text.contains("  Set 1: "));
    assert_eq!(
        &PLACEMENT_CSV_HEADER[12..],
        &["binding_set", "add_place_at"]
    );
    let rows = placement_csv_rows(&report);
    let named = rows.iter().filter(|r| !r[13].is_empty()).count();
    assert_eq!(named as u32, needed);
    assert!(
        rows.iter()
            .filter(|r| !r[13].is_empty())
            .all(|r| r[1] == "unplaced")
    );
}

#[test]
fn a_placement_report_reads_back_from_its_json() {
    // A client of the JSON output (the API, a notebook) can deserialise the report it was sent.
    let session = placewise::Session::open("fixtures/wyvernshire".as_ref()).unwrap();
    let report = session
        .place(&placewise::PlacementOptions::default())
        .unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let back: placewise::PlacementReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.placements, report.placements);
    assert_eq!(back.unplaced, report.unplaced);
    assert_eq!(back.totals, report.totals);
    assert_eq!(back.bottlenecks, report.bottlenecks);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert!(
        json.contains(r#""solver":"min-cost-flow""#),
        "{}",
        &json[..200]
    );
}
