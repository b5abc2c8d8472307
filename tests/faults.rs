//! Faults a user can reach from the command line: argument values refused where they are
//! parsed (exit 2, naming the argument), diagnostics printed once, machine-readable `check`,
//! the shipped rules used from anywhere, and the setup script's libclang detection.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn refused(args: &[&str], argument: &str) {
    let o = run(args, &[]);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(argument),
        "{args:?} should name {argument}: {err}"
    );
    assert!(stdout(&o).is_empty(), "{args:?} printed output");
}

#[test]
fn bad_argument_values_stop_with_exit_2_and_name_the_argument() {
    let list = ["list", "--area", "fixtures/demo", "--child", "C0001"];
    for bad in ["NaN", "-3", "0", "1e12", "inf", "soon"] {
        let mut a = list.to_vec();
        a.extend(["--reach-minutes", bad]);
        refused(&a, "--reach-minutes");
    }
    let mut a = list.to_vec();
    a.extend(["--top", "0"]);
    refused(&a, "--top");
    let place = ["place", "--area", "fixtures/demo"];
    for (arg, bad) in [
        ("--budget", "-5"),
        ("--budget", "plenty"),
        ("--budget", "1e300"),
        ("--min-mainstream-share", "1.5"),
        ("--min-mainstream-share", "NaN"),
        ("--time-limit", "0"),
        ("--reach-minutes", "-1"),
    ] {
        let mut a = place.to_vec();
        a.extend([arg, bad]);
        refused(&a, arg);
    }
    refused(
        &[
            "explain",
            "--area",
            "fixtures/demo",
            "--child",
            "C0001",
            "--setting",
            "900101",
            "--format",
            "csv",
        ],
        "--format",
    );
}

#[test]
fn each_diagnostic_is_printed_once() {
    let o = run_on("check", "fixtures/broken-area", &[]);
    let err = failed(&o, 1);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(lines.len(), 8, "{err}");
    for code in ["PW101", "PW105", "PW109", "PW104"] {
        let once = err.matches(code).count();
        let expected = lines.iter().filter(|l| l.contains(code)).count();
        assert_eq!(once, expected, "{code} repeated:\n{err}");
    }
    // `check` writes no file, so it must not claim that nothing was written.
    assert!(err.trim_end().ends_with("8 error(s)."), "{err}");
    assert!(!err.contains("nothing was written"), "{err}");
}

#[test]
fn check_json_gives_located_machine_readable_diagnostics() {
    let o = run_on("check", "fixtures/broken-area", &["--format", "json"]);
    failed(&o, 1);
    let doc = json(&o);
    assert_eq!(doc["ok"], false);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 8);
    let year = diagnostic_on(diags, "year");
    assert_eq!(year["code"], "PW105");
    assert_eq!(year["name"], "invalid-value");
    assert_eq!(year["file"], "fixtures/broken-area/children.csv");
    assert_eq!(year["row"], 3);
    assert_eq!(year["column"], "year");
    assert_eq!(year["expected"], "R or 1 to 14");
    assert_eq!(year["found"], "`15`");
    let typo = diags.iter().find(|d| d["code"] == "PW101").unwrap();
    assert_eq!(typo["suggestion"], "did you mean `preferences`?");
    // Rule files give lines and columns.
    let o = run_on(
        "check",
        DEMO,
        &["--rules", "fixtures/broken/rules", "--format", "json"],
    );
    let doc = json(&o);
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["line"].is_u64() || d["row"].is_u64() || d["column"].is_null())
    );
    let ok = run_on("check", DEMO, &["--format", "json"]);
    assert!(ok.status.success());
    let doc = json(&ok);
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["settings"], 25);
}

#[test]
fn exported_rules_are_the_shipped_rules() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("our-rules");
    let t = target.to_str().unwrap();
    succeeded(run(&["rules", "export", t], &[]));
    for name in [
        "features.toml",
        "suitability.toml",
        "packages.toml",
        "price_bands.toml",
        "tests/england.toml",
        "tests/packages.toml",
        "tests/price_bands.toml",
    ] {
        let a = std::fs::read_to_string(target.join(name)).unwrap();
        let folder = if name.starts_with("tests/") {
            "rules"
        } else {
            "rules/england"
        };
        let b = std::fs::read_to_string(root().join(folder).join(name)).unwrap();
        assert_eq!(a, b, "{name}");
    }
    // A second export refuses to overwrite, before writing anything.
    let again = run(&["rules", "export", t], &[]);
    assert!(failed(&again, 1).contains("--force"));
    let tested = succeeded(run(&["rules", "test", "--rules", t], &[]));
    assert!(stdout(&tested).contains("30 passed, 0 failed"));
    let shipped = [
        "list",
        "--area",
        "fixtures/demo",
        "--child",
        "C0003",
        "--format",
        "json",
    ];
    let mut with_dir = shipped.to_vec();
    with_dir.extend(["--rules", t]);
    assert_eq!(stdout(&run(&shipped, &[])), stdout(&run(&with_dir, &[])));
}

/// Runs the binary copied out of the build, in a private mount namespace where the source tree
/// is hidden under an empty tmpfs: nothing it needs may come from there.
#[test]
fn an_installed_binary_works_with_the_source_tree_out_of_reach() {
    let probe = Command::new("unshare")
        .args(["-m", "--propagation", "private", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: `unshare -m` is not available to hide the source tree");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    assert!(!dir.path().starts_with(root()));
    let bin = dir.path().join("placewise");
    std::fs::copy(env!("CARGO_BIN_EXE_placewise"), &bin).unwrap();
    let area = dir.path().join("area");
    std::fs::create_dir(&area).unwrap();
    for f in ["area.toml", "settings.csv", "pools.csv", "children.csv"] {
        std::fs::copy(root().join("fixtures/wyvernshire").join(f), area.join(f)).unwrap();
    }
    let reference = run_ok(
        "list",
        "fixtures/wyvernshire",
        &["--child", "C000002", "--rules", "rules/england"],
    );
    let script = format!(
        "mount -t tmpfs none '{root}' && test ! -e '{root}/rules' && cd '{tmp}' && ./placewise list --area area --child C000002",
        root = root().display(),
        tmp = dir.path().display()
    );
    let o = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&reference));
    assert!(stdout(&o).contains("Tailored list for child C000002"));
}

/// `scripts/setup --check` against fake library folders: it must find what clang-sys finds.
#[test]
fn setup_finds_exactly_the_libclang_that_bindgen_loads() {
    let setup = root().join("scripts/setup");
    let check = |fake: &Path, libclang_path: Option<&Path>| -> (bool, String) {
        let mut cmd = Command::new("bash");
        cmd.arg(&setup).arg("--check").env("SETUP_ROOT", fake);
        cmd.env_remove("LIBCLANG_PATH");
        if let Some(p) = libclang_path {
            cmd.env("LIBCLANG_PATH", p);
        }
        let o = cmd.output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        (out.contains("libclang:"), out)
    };
    let elf64 = b"\x7fELF\x02\x01\x01\0rest";
    let elf32 = b"\x7fELF\x01\x01\x01\0rest";
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    // Debian with LLVM but without libclang-dev: only libclang-cpp, which bindgen skips.
    let fake = tempfile::tempdir().unwrap();
    write(
        &fake.path().join("usr/lib/llvm-14/lib/libclang-cpp.so.14"),
        elf64,
    );
    write(
        &fake
            .path()
            .join("usr/lib/x86_64-linux-gnu/libclang-cpp.so.14"),
        elf64,
    );
    let (found, out) = check(fake.path(), None);
    assert!(!found, "libclang-cpp is not libclang: {out}");
    assert!(out.contains("libclang-dev"), "{out}");
    // A 32-bit library is not loadable by a 64-bit build.
    write(
        &fake.path().join("usr/lib/llvm-14/lib/libclang.so.1"),
        elf32,
    );
    assert!(!check(fake.path(), None).0);
    // Each name bindgen accepts, in a folder it searches.
    for (folder, name) in [
        ("usr/lib/llvm-14/lib", "libclang.so"),
        ("usr/lib/x86_64-linux-gnu", "libclang-14.so.1"),
        ("usr/lib/llvm-16/lib", "libclang-16.so"),
        ("usr/local/lib", "libclang.so.18"),
    ] {
        let f = tempfile::tempdir().unwrap();
        write(&f.path().join(folder).join(name), elf64);
        let (found, out) = check(f.path(), None);
        assert!(found, "{folder}/{name}: {out}");
        assert!(out.contains(name), "{out}");
    }
    // Not in a searched folder.
    let f = tempfile::tempdir().unwrap();
    write(&f.path().join("opt/llvm/lib/libclang.so"), elf64);
    assert!(!check(f.path(), None).0);
    // LIBCLANG_PATH alone is searched when it is set, as a folder or a file.
    let lib = f.path().join("opt/llvm/lib");
    assert!(check(f.path(), Some(&lib)).0);
    assert!(check(f.path(), Some(&lib.join("libclang.so"))).0);
    let elsewhere = tempfile::tempdir().unwrap();
    write(&elsewhere.path().join("usr/lib/libclang.so"), elf64);
    assert!(!check(elsewhere.path(), Some(&lib.join("missing"))).0);
}

#[test]
fn dates_of_birth_with_extreme_years_give_no_year_group_instead_of_overflowing() {
    use placewise::testing::io::year_from_birth;
    for dob in [
        "-2147483648-01-01",
        "2147483647-12-31",
        "99999999999-01-01",
        "0-09-01",
        "2019-13-01",
    ] {
        assert_eq!(year_from_birth(dob, 2025), None, "{dob}");
        assert_eq!(year_from_birth(dob, i32::MAX), None, "{dob}");
        assert_eq!(year_from_birth(dob, i32::MIN), None, "{dob}");
    }
    // Born 1 September 2020 to 31 August 2021: reception in September 2025.
    assert_eq!(year_from_birth("2020-09-01", 2025).map(|y| y.0), Some(0));
    assert_eq!(year_from_birth("2021-08-31", 2025).map(|y| y.0), Some(0));
    assert_eq!(year_from_birth("2020-08-31", 2025).map(|y| y.0), Some(1));
}

/// The LP relaxation with a budget that buys only part of a place gives a fractional optimum:
/// placement must say so, not panic.
#[test]
fn a_fractional_lp_optimum_is_an_error_not_a_panic() {
    use placewise::testing::engine::Engine;
    use placewise::testing::placement::{PlacementError, PlacementOptions, place};
    let loaded = load_fixture("demo");
    let engine = Engine::new(&loaded.rules, &loaded.area);
    let mut options = PlacementOptions::new(placewise::Mode::Optimal);
    options.lp_mut().integral = false;
    options = options.with_budget(7_500).unwrap();
    match place(&engine, &options) {
        Err(PlacementError::Unsupported(msg)) => {
            eprintln!("fractional optimum refused: {msg}");
            assert!(msg.contains("fractional"), "{msg}");
        }
        Ok(report) => {
            // An integral relaxation is a placement; it must keep to the budget.
            assert!(report.totals.annual_cost <= 7_500, "{:?}", report.totals);
        }
        Err(other) => panic!("unexpected error: {other}"),
    }
}
