//! The embedder session on the demo county (Wyvernshire): a child's list from the prepared
//! engine, the same child's profile posted as a new profile (checked, then evaluated in a
//! one-child area sharing the settings), its JSON, and building the session.

use criterion::{Criterion, criterion_group, criterion_main};
use placewise::model::ChildId;
use placewise::testing::lists::ListOptions;
use placewise::testing::session::Session;
use std::hint::black_box;
use std::path::Path;

fn bench_session(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let area = root.join("fixtures/wyvernshire");
    let rules = root.join("rules/england");
    let session = Session::load(&area, &rules).expect("demo county loads");
    let id = ChildId::from("C000002");
    let profile = session.child(&id).unwrap().clone();
    let options = ListOptions::new(10).unwrap();

    c.bench_function("session/list_child_in_area", |b| {
        b.iter(|| black_box(session.list(&id, options).unwrap()))
    });
    c.bench_function("session/list_for_new_profile", |b| {
        b.iter(|| black_box(session.list_for_profile(&profile, options).unwrap()))
    });
    let list = session.list(&id, options).unwrap();
    c.bench_function("session/list_json", |b| {
        b.iter(|| black_box(serde_json::to_vec(&list).unwrap()))
    });
    c.bench_function("session/clone", |b| b.iter(|| black_box(session.clone())));
    c.bench_function("session/load", |b| {
        b.iter(|| black_box(Session::load(&area, &rules).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench_session
}
criterion_main!(benches);
