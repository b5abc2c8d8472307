//! Benchmarks of the exact placement core on seeded random transportation instances.
//!
//! Instances: `children` children, `pools` pools with free places adding up to about 90% of the
//! children, and `per_child` candidate pools per child. Two cost models:
//! - `geo`: children and pools at random points of a square; each child's candidates are a
//!   random half of its `2 * per_child` nearest pools, costing their distance (scaled to about
//!   1e6 across the square) plus noise, so neighbours compete for the same pools;
//! - `uniform`: candidate pools and costs (up to 1e6) uniformly at random.
//!
//! Leaving a child unplaced costs 1e9. Benches, per instance:
//! - `solve_assignment`: network build, greedy start and simplex, as the placement layer calls it;
//! - `flow_solve_from_greedy`: `FlowNetwork::solve_from` alone, on the prebuilt network and
//!   greedy start flow;
//! - `flow_solve_cold`: `FlowNetwork::solve` alone (artificial start, no greedy flow).
//!
//! Run with `cargo bench --bench flow_core` (add a filter such as `20k` to pick instances).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use placewise::solve::assign::{build_network, greedy_flow, solve_assignment};
use placewise::solve::problem::{Candidate, Demand, PlacementProblem, Pool};

/// SplitMix64: a tiny, good-enough seeded generator.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (`bound > 0`; the tiny modulo bias does not matter here).
    fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Costs {
    Geo,
    Uniform,
}

/// A seeded random placement problem (see the module documentation).
fn instance(
    children: usize,
    pools: usize,
    per_child: usize,
    costs: Costs,
    seed: u64,
) -> PlacementProblem {
    let mut rng = SplitMix(seed);
    let mean_free = 0.9 * children as f64 / pools as f64;
    let pool_list: Vec<Pool> = (0..pools)
        .map(|p| Pool {
            free: (rng.unit() * 2.0 * mean_free).round() as u32,
            setting: p as u32,
            locality: (p % 12) as u32,
            mainstream: p % 3 != 0,
        })
        .collect();
    let pool_xy: Vec<(f64, f64)> = (0..pools).map(|_| (rng.unit(), rng.unit())).collect();
    let demands = vec![
        Demand {
            unplaced_cost: 1_000_000_000,
            sibling_group: None,
        };
        children
    ];
    let mut candidates = Vec::with_capacity(children * per_child);
    let mut order: Vec<(f64, u32)> = Vec::with_capacity(pools);
    let mut chosen: Vec<(u32, i64)> = Vec::with_capacity(per_child);
    for child in 0..children as u32 {
        chosen.clear();
        match costs {
            Costs::Geo => {
                let (x, y) = (rng.unit(), rng.unit());
                order.clear();
                order.extend(pool_xy.iter().enumerate().map(|(p, &(px, py))| {
                    (((px - x).powi(2) + (py - y).powi(2)).sqrt(), p as u32)
                }));
                let near = (2 * per_child).min(pools);
                if near < pools {
                    order.select_nth_unstable_by(near, |a, b| a.0.total_cmp(&b.0));
                }
                let near_list = &mut order[..near];
                // Partial Fisher-Yates: a random `per_child` of the nearest `near`.
                for i in 0..per_child.min(near) {
                    let j = i + rng.below((near - i) as u64) as usize;
                    near_list.swap(i, j);
                    let (d, p) = near_list[i];
                    chosen.push((p, (d * 1_000_000.0) as i64 + rng.below(100_000) as i64));
                }
            }
            Costs::Uniform => {
                // Floyd's sampling of `per_child` distinct pools.
                let k = per_child.min(pools);
                for j in pools - k..pools {
                    let t = rng.below(j as u64 + 1) as u32;
                    let p = if chosen.iter().any(|&(q, _)| q == t) {
                        j as u32
                    } else {
                        t
                    };
                    chosen.push((p, 1 + rng.below(1_000_000) as i64));
                }
            }
        }
        chosen.sort_unstable_by_key(|&(p, _)| p);
        for &(pool, cost) in &chosen {
            candidates.push(Candidate {
                child,
                pool,
                cost,
                pounds: 20_000 + cost / 100,
            });
        }
    }
    PlacementProblem {
        children: demands,
        pools: pool_list,
        candidates,
    }
}

fn bench_size(c: &mut Criterion, label: &str, children: usize, measurement: Duration) {
    for (costs, name) in [(Costs::Geo, "geo"), (Costs::Uniform, "uniform")] {
        let problem = instance(children, 600, 50, costs, 0x5eed_0001);
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

fn benches(c: &mut Criterion) {
    bench_size(c, "2k", 2_000, Duration::from_secs(2));
    bench_size(c, "20k", 20_000, Duration::from_secs(8));
}

criterion_group!(flow_core, benches);
criterion_main!(flow_core);
