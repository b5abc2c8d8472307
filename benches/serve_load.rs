//! A bounded load test of `placewise serve` on loopback: the demo county served in-process,
//! N list requests (default 20,000) from C concurrent keep-alive clients (default 32), every
//! child of the area in turn. Prints p50/p90/p99/max latency, throughput and errors; exits
//! non-zero on any error. Goal: p99 ≤ 20 ms at 32 concurrent on 2 cores.
//!
//! `cargo bench --bench serve_load` (PLACEWISE_LOAD_REQUESTS, PLACEWISE_LOAD_CONCURRENCY to
//! change the size).

use placewise::testing::serve::{ServeConfig, serve};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod support;
use support::{demo_county, env_usize, ms, ordinary_users, quantile};

fn main() {
    let total = env_usize("PLACEWISE_LOAD_REQUESTS", 20_000);
    let concurrency = env_usize("PLACEWISE_LOAD_CONCURRENCY", 32);
    let (session, ids) = demo_county();
    let (tx, rx) = mpsc::channel();
    let config = ServeConfig::new("127.0.0.1:0".parse().unwrap(), None);
    std::thread::spawn(move || {
        serve(session, config, move |addr| tx.send(addr).unwrap()).expect("server runs")
    });
    let addr = rx.recv_timeout(Duration::from_secs(60)).expect("server up");
    let start = Instant::now();
    let (all, errors) = ordinary_users(addr, &ids, total, concurrency);
    let wall = start.elapsed();
    let q = |p: f64| quantile(&all, p);
    println!(
        "serve_load: {} list requests, {concurrency} concurrent, {} children, {} cores",
        all.len(),
        ids.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        ms(q(0.50)),
        ms(q(0.90)),
        ms(q(0.99)),
        ms(*all.last().unwrap())
    );
    println!(
        "throughput {:.0} requests/s over {:.1} s; errors {errors}",
        all.len() as f64 / wall.as_secs_f64(),
        wall.as_secs_f64()
    );
    println!(
        "goal p99 <= 20 ms: {}",
        if ms(q(0.99)) <= 20.0 {
            "met"
        } else {
            "not met"
        }
    );
    if errors > 0 {
        std::process::exit(1);
    }
}
