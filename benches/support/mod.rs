//! What the two server benches share: reading a size from the environment, quantiles of
//! latencies, and ordinary users asking for lists over keep-alive connections.

use placewise::testing::session::Session;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p-quantile of sorted durations.
pub fn quantile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// `requests` list requests from `concurrency` keep-alive clients, every child of `ids` in
/// turn; sorted latencies and the number of answers that failed or were not a list.
pub fn ordinary_users(
    addr: SocketAddr,
    ids: &Arc<Vec<String>>,
    requests: usize,
    concurrency: usize,
) -> (Vec<Duration>, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, errors, ids) = (next.clone(), errors.clone(), ids.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(30))
                    .build();
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let url = format!("http://{addr}/api/v1/children/{}/list", ids[i % ids.len()]);
                    let t = Instant::now();
                    let ok = agent
                        .get(&url)
                        .call()
                        .ok()
                        .and_then(|r| r.into_string().ok())
                        .is_some_and(|b| b.contains("\"child\":"));
                    latencies.push(t.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    all.sort();
    (all, errors.load(Ordering::Relaxed))
}

/// The demo county's session and every child's id, in file order.
pub fn demo_county() -> (Session, Arc<Vec<String>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let session = Session::load(
        &root.join("fixtures/wyvernshire"),
        &root.join("rules/england"),
    )
    .expect("demo county loads");
    let ids = session
        .area()
        .children
        .iter()
        .map(|c| c.id.0.clone())
        .collect();
    (session, Arc::new(ids))
}
