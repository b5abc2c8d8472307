//! Sufficiency-planning benchmarks (the speed goals are in BENCHMARKS.md, measured with the
//! `placewise plan` command):
//!
//! - `plan/wyvernshire_baseline_4x7`: the plan run on the demo county `fixtures/wyvernshire`, the
//!   baseline only, 4 draws × 7 years;
//! - `plan/wyvernshire_scenarios_1x7`: the baseline and the four example scenarios, 1 draw × 7
//!   years;
//! - `plan/backtest_all_authorities`: `backtest` of every authority in the shared DfE caseload
//!   file, January 2022 → 2025 (skipped when `../shared/data` is absent).
//!
//! Run with `cargo bench --bench plan`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use placewise::testing::io::load_area;
use placewise::testing::plan::scenario::load_scenarios;
use placewise::testing::plan::{Growth, PlanOptions, Scenario, run_plan_cancellable};

fn bench_plan(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let w = load_area(
        &root.join("fixtures/wyvernshire"),
        &root.join("rules/england"),
    )
    .expect("demo county");
    let scenarios = load_scenarios(&w, &w.dir.join("scenarios/example.toml")).expect("scenarios");
    let year = w.config.academic_year;
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    let plan = |scenarios: &[Scenario], options: &PlanOptions| {
        let no_stop = placewise::Cancel::new();
        run_plan_cancellable(
            &w.area,
            &w.rules.rules,
            year,
            scenarios,
            options,
            &|| (),
            &no_stop,
        )
        .expect("plan")
    };
    let baseline = [Scenario::baseline()];
    let options = PlanOptions::new(7, 4, 1, Growth::default());
    group.bench_function("wyvernshire_baseline_4x7", |b| {
        b.iter(|| plan(&baseline, &options))
    });
    let options = PlanOptions::new(7, 1, 1, Growth::default());
    group.bench_function("wyvernshire_scenarios_1x7", |b| {
        b.iter(|| plan(&scenarios, &options))
    });
    let file = root.join("../shared/data/stats/ehcp_caseload_by_setting_2019_2025.csv");
    if file.is_file() {
        let caseload = placewise::testing::io::stats::read_caseload(&file).expect("caseload");
        let flows = placewise::testing::io::flows::read_flows(file.parent().expect("folder"))
            .expect("flows");
        group.bench_function("backtest_all_authorities", |b| {
            b.iter(|| {
                black_box(placewise::testing::plan::backtest::backtest(
                    &caseload,
                    &flows,
                    &[2020, 2021, 2022],
                    2025,
                    &[],
                ))
            })
        });
    } else {
        eprintln!("skipped plan/backtest_all_authorities: ../shared/data not found");
    }
    group.finish();
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
