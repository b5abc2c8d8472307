//! Shared test helpers: paths, the binary, and a seeded random area generator.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The small demo area (Marlshire), relative to the crate root.
pub const DEMO: &str = "fixtures/demo";

pub fn demo() -> PathBuf {
    root().join("fixtures/demo")
}

pub fn rules_dir() -> PathBuf {
    root().join("rules/england")
}

/// Loads the fixture area `fixtures/NAME` with the shipped England rules.
pub fn load_fixture(name: &str) -> placewise::testing::io::LoadedArea {
    placewise::testing::io::load_area(&root().join("fixtures").join(name), &rules_dir())
        .expect("the fixture area loads")
}

/// Writes `text` to a file `name` in a new temporary folder, which lives as long as the
/// returned guard.
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("the temporary file is written");
    (dir, path)
}

/// The diagnostics, as text, of a scenario file `text` read against `settings` (with no
/// features or rule ids known), which must be refused.
pub fn scenario_file_errors(text: &str, settings: &[placewise::model::Setting]) -> Vec<String> {
    let (_dir, path) = temp_file("bad.toml", text);
    let err = placewise::testing::plan::scenario::read_scenarios(&path, settings, &[], &[])
        .expect_err("the scenario file is refused");
    err.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// Runs the real binary with `args` (and extra environment), from the crate root.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_placewise"));
    cmd.args(args).current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("binary runs")
}

/// Runs `placewise COMMAND --area AREA ARGS…` (no extra environment).
pub fn run_on(command: &str, area: &str, args: &[&str]) -> Output {
    run(&[&[command, "--area", area], args].concat(), &[])
}

/// Runs the binary with `args` (no extra environment) and returns its stdout, asserting that
/// it succeeded (showing the arguments and stderr if not).
pub fn output(args: &[&str]) -> String {
    let o = run(args, &[]);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Like [`run_on`], and asserts that the command succeeded (showing its stderr if not).
pub fn run_ok(command: &str, area: &str, args: &[&str]) -> Output {
    succeeded(run_on(command, area, args))
}

/// Asserts that the command behind `o` succeeded (showing its stderr if not), and hands it on.
pub fn succeeded(o: Output) -> Output {
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Asserts that the command behind `o` exited with `code` (showing its stderr if not), and
/// returns its stderr.
pub fn failed(o: &Output, code: i32) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    err
}

/// The command's stdout, which must be one JSON document.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("one JSON document on stdout")
}

/// The diagnostic about `field` among `diagnostics` (as the JSON output lists them), which
/// must be there.
pub fn diagnostic_on<'a>(
    diagnostics: &'a [serde_json::Value],
    field: &str,
) -> &'a serde_json::Value {
    diagnostics
        .iter()
        .find(|d| d["field"] == field)
        .unwrap_or_else(|| panic!("no diagnostic on `{field}` in {diagnostics:?}"))
}

/// Runs `placewise list --area fixtures/demo --all --format FORMAT --out FILE`, FILE being
/// `name` in a new temporary folder, and asserts that it succeeded; returns the folder (which
/// lives as long as the guard) and the file's text.
pub fn demo_lists_written(name: &str, format: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join(name);
    run_ok(
        "list",
        DEMO,
        &["--all", "--format", format, "--out", out.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&out).expect("the lists were written");
    (dir, text)
}

/// The folder of shared data next to the crate, when it holds every file of `needed`
/// (relative to it); otherwise `None`, with the test's skip message printed.
pub fn shared_data(needed: &[&str]) -> Option<PathBuf> {
    let dir = root().join("../shared/data");
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if missing.is_empty() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: ../shared/data not found (needs {})",
            missing.join(" and ")
        );
        None
    }
}

/// Runs `f` on a rayon pool of `threads` threads.
pub fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(f)
}

/// Asserts that `f` gives the same on a rayon pool of one thread as on a pool of two.
pub fn assert_same_on_one_and_two_threads<T: Send + PartialEq + std::fmt::Debug>(
    f: impl Fn() -> T + Sync,
) {
    assert_eq!(with_threads(1, &f), with_threads(2, &f));
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[allow(unused_imports)]
pub use placewise::testkit::{Rng, random_area};

/// The shipped England rules with a `specialist-plan` level (the shipped ladder has it).
pub fn england() -> placewise::testing::rules::RuleSet {
    placewise::testing::rules::load_rule_dirs(&[Path::new(&rules_dir())])
        .expect("shipped rules load")
}

/// An area named `test` of `settings` and `children`, normalised.
pub fn area_of(
    settings: Vec<placewise::model::Setting>,
    children: Vec<placewise::model::NeedProfile>,
) -> placewise::model::Area {
    let mut a = placewise::model::Area {
        name: "test".into(),
        settings,
        children,
    };
    a.normalise();
    a
}

/// Every scenario planned on `area` from `academic_year`, without progress or a stop flag.
pub fn plan_all(
    area: &placewise::model::Area,
    rules: &placewise::testing::rules::RuleSet,
    academic_year: i32,
    scenarios: &[placewise::testing::plan::Scenario],
    options: &placewise::testing::plan::PlanOptions,
) -> placewise::testing::plan::PlanResults {
    let no_stop = placewise::Cancel::new();
    placewise::testing::plan::run_plan_cancellable(
        area,
        rules,
        academic_year,
        scenarios,
        options,
        &|| (),
        &no_stop,
    )
    .expect("the plan runs")
}
