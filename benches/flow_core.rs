//! Benchmarks of the exact placement core on seeded random transportation instances.
//!
//! Instances come from `placewise::testing::solve::instance::generate` (600 pools with free places adding
//! up to about 90% of the children, 50 candidate pools per child), with both of its cost models:
//! - `geo`: children and pools at random points of a square; each child's candidates are a
//!   random half of its 100 nearest pools, costing their distance (scaled to about 1e6 across
//!   the square) plus noise, so neighbours compete for the same pools;
//! - `uniform`: candidate pools and costs (up to 1e6) uniformly at random.
//!
//! Leaving a child unplaced costs 1e9. Benches, per instance:
//! - `solve_assignment`: network build, greedy start and simplex, as the placement layer calls it;
//! - `flow_solve_from_greedy`: `FlowNetwork::solve_from` alone, on the prebuilt network and
//!   greedy start flow;
//! - `flow_solve_cold`: `FlowNetwork::solve` alone (artificial start, no greedy flow).
//!
//! - `dense_5k_x300_geo/solve_assignment`: a round as dense as an authority's (300 candidate
//!   pools a child out of 600, as journey time is only flagged), where the simplex works on a
//!   set of arcs grown by pricing rounds (`solve::flow`); compare with the peers on the Kent
//!   round in `benches/peers/flow_vs_ortools.py`.
//!
//! Run with `cargo bench --bench flow_core` (add a filter such as `20k` to pick instances).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use placewise::testing::solve::assign::{build_network, greedy_flow, solve_assignment};
use placewise::testing::solve::instance::{CostModel, generate};

fn bench_size(c: &mut Criterion, label: &str, children: usize, measurement: Duration) {
    for (costs, name) in [(CostModel::Geo, "geo"), (CostModel::Uniform, "uniform")] {
        let problem = generate(children, 600, 50, costs, 0x5eed_0001);
        let network = build_network(&problem).expect("valid instance");
        let start = greedy_flow(&problem);
        let mut group = c.benchmark_group(format!("{label}x50_{name}"));
        group.sample_size(10).measurement_time(measurement);
        group.bench_function("solve_assignment", |b| {
            b.iter(|| solve_assignment(black_box(&problem)).expect("feasible"))
        });
        group.bench_function("flow_solve_from_greedy", |b| {
            b.iter(|| {
                black_box(&network)
                    .solve_from(black_box(&start))
                    .expect("feasible")
            })
        });
        // The cold start takes several times longer: give it its own time budget.
        group.measurement_time(measurement * 4);
        group.bench_function("flow_solve_cold", |b| {
            b.iter(|| black_box(&network).solve().expect("feasible"))
        });
        group.finish();
    }
}

fn bench_dense(c: &mut Criterion) {
    let problem = generate(5_000, 600, 300, CostModel::Geo, 0x5eed_0001);
    let mut group = c.benchmark_group("dense_5k_x300_geo");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("solve_assignment", |b| {
        b.iter(|| solve_assignment(black_box(&problem)).expect("feasible"))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_size(c, "2k", 2_000, Duration::from_secs(2));
    bench_size(c, "20k", 20_000, Duration::from_secs(8));
    bench_dense(c);
}

criterion_group!(flow_core, benches);
criterion_main!(flow_core);
