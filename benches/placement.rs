//! Placement, planning and list benchmarks at the sizes of issue 5 (performance against peers):
//!
//! - `placement/flow_20k_x_1m_geo`: `solve_assignment` (network build, greedy start, network
//!   simplex) on a generated instance of 20,000 children, 600 pools and 50 candidates each
//!   (1,000,000 candidate arcs, geo costs);
//! - `placement/flow_2k_x_20_geo`, `placement/highs_lp_2k_x_20_geo` and
//!   `placement/highs_mip_2k_x_20_geo`: the flow core and the good_lp/HiGHS model (LP
//!   relaxation and integer model, one thread) on 2,000 children, 60 pools and 20 candidates each;
//! - `placement/highs_lp_5k_x_20_geo`: the LP on 5,000 children, 150 pools, 20 candidates each
//!   (the 20k × 1M instance takes about a minute per HiGHS solve, so it is left to
//!   `scripts/bench`, which runs it once);
//! - `plan/demo_100_draws`: the plan run on `fixtures/demo` with the baseline and the scenarios
//!   of `fixtures/demo/scenarios/example.toml`, 100 draws, 7 years;
//! - `lists/random_20000x600/{all_lists,one_child_list}`: all lists and one child's list
//!   (top 10) for a seeded random area of 20,000 children and 600 settings with the shipped
//!   England rules.
//!
//! Run with `cargo bench --bench placement` (add a filter such as `placement/` to pick some).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use placewise::testing::engine::Engine;
use placewise::testing::io::load_area;
use placewise::testing::lists::{ListOptions, all_lists, tailored_list};
use placewise::testing::plan::scenario::load_scenarios;
use placewise::testing::plan::{Growth, PlanOptions, run_plan_cancellable};
use placewise::testing::rules::{CompiledRules, load_rule_dirs};
use placewise::testing::solve::assign::solve_assignment;
use placewise::testing::solve::instance::{CostModel, generate};
use placewise::testing::solve::lp::{LpOptions, solve_lp};
use placewise::testing::solve::problem::SideConstraints;

/// Seed of every generated instance here (the same as `scripts/bench` uses).
const SEED: u64 = 1;

fn bench_placement(c: &mut Criterion) {
    let mut group = c.benchmark_group("placement");
    group.sample_size(10);

    let large = generate(20_000, 600, 50, CostModel::Geo, SEED);
    group.bench_function("flow_20k_x_1m_geo", |b| {
        b.iter(|| solve_assignment(black_box(&large)).expect("feasible"))
    });
    drop(large);

    let small = generate(2_000, 60, 20, CostModel::Geo, SEED);
    let lp = LpOptions {
        time_limit_seconds: f64::INFINITY,
        mip_gap: 0.0,
        integral: false,
    };
    let mip = LpOptions {
        integral: true,
        ..lp.clone()
    };
    let side = SideConstraints::default();
    group.bench_function("flow_2k_x_20_geo", |b| {
        b.iter(|| solve_assignment(black_box(&small)).expect("feasible"))
    });
    group.bench_function("highs_lp_2k_x_20_geo", |b| {
        b.iter(|| solve_lp(black_box(&small), &side, &lp).expect("solves"))
    });
    group.bench_function("highs_mip_2k_x_20_geo", |b| {
        b.iter(|| solve_lp(black_box(&small), &side, &mip).expect("solves"))
    });
    let medium = generate(5_000, 150, 20, CostModel::Geo, SEED);
    group.bench_function("highs_lp_5k_x_20_geo", |b| {
        b.iter(|| solve_lp(black_box(&medium), &side, &lp).expect("solves"))
    });
    group.finish();
}

fn bench_plan(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = load_area(&root.join("fixtures/demo"), &root.join("rules/england")).expect("demo");
    let scenarios =
        load_scenarios(&demo, &demo.dir.join("scenarios/example.toml")).expect("example scenarios");
    let options = PlanOptions::new(7, 100, 1, Growth::default());
    let year = demo.config.academic_year;
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    group.bench_function("demo_100_draws", |b| {
        b.iter(|| {
            run_plan_cancellable(
                &demo.area,
                &demo.rules.rules,
                year,
                black_box(&scenarios),
                &options,
                &|| (),
                &placewise::Cancel::new(),
            )
            .expect("plan runs")
        })
    });
    group.finish();
}

fn bench_lists(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules_dir = root.join("rules/england");
    let rules = CompiledRules::new(load_rule_dirs(&[rules_dir.as_path()]).expect("rules"));
    let area = placewise::testkit::random_area(11, 600, 20_000);
    let engine = Engine::new(&rules, &area);
    let options = ListOptions::new(10).unwrap();
    let mut group = c.benchmark_group("lists/random_20000x600");
    group.sample_size(10);
    group.bench_function("all_lists", |b| {
        b.iter(|| black_box(all_lists(&engine, options)))
    });
    group.bench_function("one_child_list", |b| {
        b.iter(|| black_box(tailored_list(&engine, 17, options)))
    });
    group.finish();
}

criterion_group!(placement, bench_placement, bench_plan, bench_lists);
criterion_main!(placement);
