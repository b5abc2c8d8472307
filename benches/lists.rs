//! Tailored-list throughput: `list --all` on the shipped demo, one child's list, rule
//! compilation, and all lists on larger seeded areas (2,000 and 20,000 children × 600
//! settings), collected and streamed.

use criterion::{Criterion, criterion_group, criterion_main};
use placewise::testing::engine::Engine;
use placewise::testing::io::load_area;
use placewise::testing::lists::{ListOptions, ListQuery, all_lists, for_each_list, tailored_list};
use placewise::testing::rules::{CompiledRules, load_rule_dirs};
use std::hint::black_box;
use std::path::Path;

fn bench_lists(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules_dir = root.join("rules/england");
    let demo = load_area(&root.join("fixtures/demo"), &rules_dir).expect("demo loads");
    let options = ListOptions::new(10).unwrap();

    c.bench_function("demo/list_all", |b| {
        b.iter(|| {
            let engine = Engine::new(&demo.rules, &demo.area);
            black_box(all_lists(&engine, options))
        })
    });
    c.bench_function("demo/load_and_list_all", |b| {
        b.iter(|| {
            let loaded = load_area(&root.join("fixtures/demo"), &rules_dir).unwrap();
            let engine = Engine::new(&loaded.rules, &loaded.area);
            black_box(all_lists(&engine, options))
        })
    });
    c.bench_function("rules/load_and_compile", |b| {
        b.iter(|| {
            black_box(CompiledRules::new(
                load_rule_dirs(&[rules_dir.as_path()]).unwrap(),
            ))
        })
    });

    let rules = CompiledRules::new(load_rule_dirs(&[rules_dir.as_path()]).unwrap());
    let area = placewise::testkit::random_area(11, 600, 2000);
    let engine = Engine::new(&rules, &area);
    c.bench_function("random_2000x600/one_child_list", |b| {
        b.iter(|| black_box(tailored_list(&engine, 17, options)))
    });
    let mut group = c.benchmark_group("random_2000x600");
    group.sample_size(10);
    group.bench_function("list_all", |b| {
        b.iter(|| black_box(all_lists(&engine, options)))
    });
    group.finish();

    // The national-scale path: every list of 20,000 children streamed child by child (built,
    // then dropped), as `list --all` does before rendering.
    let area = placewise::testkit::random_area(11, 600, 20_000);
    let engine = Engine::new(&rules, &area);
    let query = ListQuery {
        options,
        ..ListQuery::default()
    };
    let mut group = c.benchmark_group("streamed_20000x600");
    group.sample_size(10);
    group.bench_function("all_lists", |b| {
        b.iter(|| {
            let mut listed = 0usize;
            for_each_list(
                &engine,
                &query,
                |l| l.entries.len() + l.omitted.len(),
                |n| {
                    listed += n;
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            black_box(listed)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_lists);
criterion_main!(benches);
