//! A bounded abuse test of `placewise serve` on loopback: while ordinary users ask for lists,
//! attackers hold slow connections, flood the API with 60,000-character ids and post
//! placements that run past the time limit. Prints the ordinary users' latency quiet and under
//! attack, how long the slow connections were held, what the floods got back, and the CPU the
//! server used once the attack was over (work left running after its 503 would show there).
//! Exits non-zero when an ordinary request fails or an attack gets an unexpected answer.
//!
//! `cargo bench --bench serve_abuse` (PLACEWISE_ABUSE_SLOW, PLACEWISE_ABUSE_REQUESTS to change
//! the size). Everything is on 127.0.0.1 and every loop is bounded.

use placewise::testing::serve::{ServeConfig, serve};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

mod support;
use support::{demo_county, env_usize, ms, ordinary_users, quantile};

/// `count` connections that send a request's headers one byte every 200 ms until the server
/// closes them (or 30 s pass); how long each was held.
fn slow_clients(addr: SocketAddr, count: usize) -> Vec<Duration> {
    let head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let mut open: Vec<(TcpStream, Instant, usize)> = (0..count)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .map(|s| {
            s.set_nonblocking(true).unwrap();
            (s, Instant::now(), 0)
        })
        .collect();
    let mut held = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !open.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        open.retain_mut(|(s, started, sent)| {
            let byte = head.get(*sent).copied().unwrap_or(b'a');
            let mut buf = [0u8; 256];
            let closed = match s.read(&mut buf) {
                Ok(_) => true,
                Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
            } || s.write(&[byte]).is_err();
            *sent += 1;
            if closed {
                held.push(started.elapsed());
            }
            !closed
        });
    }
    // Still open at the end: held for the whole run.
    held.extend(open.iter().map(|(_, started, _)| started.elapsed()));
    held.sort();
    held
}

/// CPU seconds this process has used (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some(close) = stat.rfind(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let slow = env_usize("PLACEWISE_ABUSE_SLOW", 200);
    let requests = env_usize("PLACEWISE_ABUSE_REQUESTS", 4_000);
    let concurrency = 8;
    let (session, ids) = demo_county();
    let (tx, rx) = mpsc::channel();
    let mut config = ServeConfig::new("127.0.0.1:0".parse().unwrap(), None);
    config.compute_timeout = Duration::from_secs(2);
    config.header_read_timeout = Duration::from_secs(2);
    std::thread::spawn(move || {
        serve(session, config, move |addr| tx.send(addr).unwrap()).expect("server runs")
    });
    let addr = rx.recv_timeout(Duration::from_secs(60)).expect("server up");
    let mut failed = false;

    let (quiet, quiet_errors) = ordinary_users(addr, &ids, requests, concurrency);
    println!(
        "serve_abuse: {requests} list requests from {concurrency} ordinary users, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "quiet:        p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  errors {quiet_errors}",
        ms(quantile(&quiet, 0.5)),
        ms(quantile(&quiet, 0.99)),
        ms(*quiet.last().unwrap())
    );
    failed |= quiet_errors > 0;

    // The attack, all at once, while the ordinary users ask again.
    let attacking = Arc::new(AtomicBool::new(true));
    let slow_run = std::thread::spawn(move || slow_clients(addr, slow));
    let long_id = "C".repeat(60_000);
    let floods: Vec<_> = (0..4)
        .map(|_| {
            let (attacking, long_id) = (attacking.clone(), long_id.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(30))
                    .build();
                let url = format!("http://{addr}/api/v1/children/{long_id}/list");
                let (mut latencies, mut unexpected) = (Vec::new(), 0);
                // Bounded: at most 2,000 requests per flooder.
                for _ in 0..2_000 {
                    if !attacking.load(Ordering::Relaxed) {
                        break;
                    }
                    let t = Instant::now();
                    let status = match agent.get(&url).call() {
                        Ok(r) => r.status(),
                        Err(ureq::Error::Status(s, _)) => s,
                        Err(_) => 0,
                    };
                    latencies.push(t.elapsed());
                    unexpected += usize::from(status != 400);
                }
                (latencies, unexpected)
            })
        })
        .collect();
    let placements: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(60))
                    .build();
                // The least-cost round over everyone: the HiGHS model that runs to its limit.
                let body = r#"{"mode": "optimal", "budget_pounds": 5000000, "min_mainstream_share": 0.5, "siblings_together": true}"#;
                (0..3)
                    .map(|_| {
                        match agent
                            .post(&format!("http://{addr}/api/v1/placements"))
                            .set("Content-Type", "application/json")
                            .send_string(body)
                        {
                            Ok(r) => r.status(),
                            Err(ureq::Error::Status(s, _)) => s,
                            Err(_) => 0,
                        }
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let (busy, busy_errors) = ordinary_users(addr, &ids, requests, concurrency);
    let statuses: Vec<u16> = placements
        .into_iter()
        .flat_map(|p| p.join().unwrap())
        .collect();
    attacking.store(false, Ordering::Relaxed);
    let mut flood: Vec<Duration> = Vec::new();
    let mut flood_unexpected = 0;
    for f in floods {
        let (l, u) = f.join().unwrap();
        flood.extend(l);
        flood_unexpected += u;
    }
    flood.sort();
    let held = slow_run.join().unwrap();
    println!(
        "under attack: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  errors {busy_errors}",
        ms(quantile(&busy, 0.5)),
        ms(quantile(&busy, 0.99)),
        ms(*busy.last().unwrap())
    );
    println!(
        "slow clients: {} held p50 {:.1} s  max {:.1} s (header timeout 2 s)",
        held.len(),
        quantile(&held, 0.5).as_secs_f64(),
        held.last().map_or(0.0, |d| d.as_secs_f64())
    );
    println!(
        "long ids:     {} requests of 60,000 characters, p50 {:.2} ms  p99 {:.2} ms, not 400: {flood_unexpected}",
        flood.len(),
        ms(quantile(&flood, 0.5)),
        ms(quantile(&flood, 0.99)),
    );
    let cut_off = statuses.iter().filter(|&&s| s == 503).count();
    println!(
        "placements:   {} posted past the 2 s limit, {cut_off} answered 503, statuses {statuses:?}",
        statuses.len()
    );
    // Work left running after its 503 would use CPU now that the attack is over: the CPU
    // the process used in each of the seconds after the last answer (five unless
    // PLACEWISE_ABUSE_AFTER says otherwise).
    let mut per_second = Vec::new();
    let mut last = cpu_seconds();
    for _ in 0..env_usize("PLACEWISE_ABUSE_AFTER", 5) {
        std::thread::sleep(Duration::from_secs(1));
        let now = cpu_seconds();
        per_second.push(format!("{:.2}", now - last));
        last = now;
    }
    println!(
        "after:        CPU seconds used by the server in each second after the attack: {}",
        per_second.join(" ")
    );
    failed |= busy_errors > 0 || flood_unexpected > 0 || cut_off != statuses.len();
    if failed {
        std::process::exit(1);
    }
}
