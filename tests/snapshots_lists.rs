//! Snapshots of every list and explanation renderer, run through the real binary exactly as a
//! user gets them: on the small demo (`fixtures/demo`) and the demo county of the README's
//! first command (`fixtures/wyvernshire`). A change to any byte of these outputs shows here.

mod common;
use common::*;

/// Runs the binary and returns its standard output, failing on a non-zero exit.
fn output(args: &[&str]) -> String {
    let o = run(args, &[]);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// One child with parental preferences and a current setting (C0002: both preferences full,
/// so both exceptions are stated), in every single-list format.
#[test]
fn one_child_s_list_in_every_format() {
    let base = [
        "list",
        "--area",
        "fixtures/demo",
        "--child",
        "C0002",
        "--top",
        "5",
    ];
    for (name, format) in [
        ("demo_c0002_table", "table"),
        ("demo_c0002_csv", "csv"),
        ("demo_c0002_json", "json"),
        ("demo_c0002_jsonl", "jsonl"),
    ] {
        let mut args = base.to_vec();
        args.extend(["--format", format]);
        insta::assert_snapshot!(name, output(&args));
    }
}

/// Every excluded setting explained with the facts (`--explain-excluded`), for a child whose
/// preference is an independent school not approved under s.41.
#[test]
fn a_list_that_explains_every_excluded_setting() {
    let base = [
        "list",
        "--area",
        "fixtures/demo",
        "--child",
        "C0003",
        "--top",
        "3",
        "--explain-excluded",
    ];
    for (name, format) in [
        ("demo_c0003_explained_table", "table"),
        ("demo_c0003_explained_csv", "csv"),
    ] {
        let mut args = base.to_vec();
        args.extend(["--format", format]);
        insta::assert_snapshot!(name, output(&args));
    }
}

/// Every child of the small demo, streamed, in each `--all` format.
#[test]
fn every_child_s_list_in_every_streamed_format() {
    let base = ["list", "--area", "fixtures/demo", "--all", "--top", "3"];
    for (name, format) in [
        ("demo_all_table", "table"),
        ("demo_all_csv", "csv"),
        ("demo_all_json", "json"),
        ("demo_all_jsonl", "jsonl"),
    ] {
        let mut args = base.to_vec();
        args.extend(["--format", format]);
        insta::assert_snapshot!(name, output(&args));
    }
}

/// The README's first command: one child's list after the area-wide placement of the demo
/// county.
#[test]
fn the_demo_county_s_list_after_placement() {
    let base = [
        "list",
        "--area",
        "fixtures/wyvernshire",
        "--child",
        "C000002",
        "--after-placement",
    ];
    insta::assert_snapshot!("wyvernshire_c000002_after_placement_table", output(&base));
    let mut args = base.to_vec();
    args.extend(["--format", "json"]);
    insta::assert_snapshot!("wyvernshire_c000002_after_placement_json", output(&args));
    let mut args = base.to_vec();
    args.extend(["--format", "csv"]);
    insta::assert_snapshot!("wyvernshire_c000002_after_placement_csv", output(&args));
}

/// `explain` on a listed setting (the child's current special school) and an excluded one (an
/// independent school not designated for the child's need), as text and JSON.
#[test]
fn explanations_of_a_listed_and_an_excluded_setting() {
    for (name, setting, format) in [
        ("demo_explain_c0002_listed_text", "900302", "table"),
        ("demo_explain_c0002_listed_json", "900302", "json"),
        ("demo_explain_c0002_excluded_text", "900403", "table"),
        ("demo_explain_c0002_excluded_json", "900403", "json"),
    ] {
        let args = [
            "explain",
            "--area",
            "fixtures/demo",
            "--child",
            "C0002",
            "--setting",
            setting,
            "--format",
            format,
        ];
        insta::assert_snapshot!(name, output(&args));
    }
    for (name, setting) in [
        ("wyvernshire_explain_c000002_listed_text", "990047"),
        ("wyvernshire_explain_c000002_excluded_text", "990001"),
    ] {
        let args = [
            "explain",
            "--area",
            "fixtures/wyvernshire",
            "--child",
            "C000002",
            "--setting",
            setting,
        ];
        insta::assert_snapshot!(name, output(&args));
    }
}
