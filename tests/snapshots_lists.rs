//! Snapshots of every list and explanation renderer, run through the real binary exactly as a
//! user gets them: on the small demo (`fixtures/demo`) and the demo county of the README's
//! first command (`fixtures/wyvernshire`). A change to any byte of these outputs shows here.

mod common;
use common::*;

/// The list of C0002 (preferences and a current setting) on the small demo, top 5.
const C0002_LIST: [&str; 7] = [
    "list",
    "--area",
    "fixtures/demo",
    "--child",
    "C0002",
    "--top",
    "5",
];

/// The README's first command: C000002's list on the demo county after the area-wide placement.
const C000002_AFTER_PLACEMENT: [&str; 6] = [
    "list",
    "--area",
    "fixtures/wyvernshire",
    "--child",
    "C000002",
    "--after-placement",
];

/// C0002's list as JSON.
fn c0002_json() -> String {
    output(&[&C0002_LIST[..], &["--format", "json"]].concat())
}

/// The arguments of `explain` for C0002 and `setting` on the small demo, in `format`.
fn explain_c0002<'a>(setting: &'a str, format: &'a str) -> [&'a str; 9] {
    [
        "explain",
        "--area",
        "fixtures/demo",
        "--child",
        "C0002",
        "--setting",
        setting,
        "--format",
        format,
    ]
}

/// Snapshots `base` followed by `--format F` for each (snapshot name, F).
fn in_formats(base: &[&str], formats: &[(&str, &str)]) {
    for (name, format) in formats {
        let mut args = base.to_vec();
        args.extend(["--format", format]);
        insta::assert_snapshot!(*name, output(&args));
    }
}

/// One child with parental preferences and a current setting (C0002: both preferences full,
/// so both exceptions are stated), in every single-list format.
#[test]
fn one_child_s_list_in_every_format() {
    in_formats(
        &C0002_LIST,
        &[
            ("demo_c0002_table", "table"),
            ("demo_c0002_csv", "csv"),
            ("demo_c0002_json", "json"),
            ("demo_c0002_jsonl", "jsonl"),
        ],
    );
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
    in_formats(
        &base,
        &[
            ("demo_c0003_explained_table", "table"),
            ("demo_c0003_explained_csv", "csv"),
        ],
    );
}

/// Every child of the small demo, streamed, in each `--all` format.
#[test]
fn every_child_s_list_in_every_streamed_format() {
    let base = ["list", "--area", "fixtures/demo", "--all", "--top", "3"];
    in_formats(
        &base,
        &[
            ("demo_all_table", "table"),
            ("demo_all_csv", "csv"),
            ("demo_all_json", "json"),
            ("demo_all_jsonl", "jsonl"),
        ],
    );
}

/// The README's first command: one child's list after the area-wide placement of the demo
/// county.
#[test]
fn the_demo_county_s_list_after_placement() {
    insta::assert_snapshot!(
        "wyvernshire_c000002_after_placement_table",
        output(&C000002_AFTER_PLACEMENT)
    );
    in_formats(
        &C000002_AFTER_PLACEMENT,
        &[
            ("wyvernshire_c000002_after_placement_json", "json"),
            ("wyvernshire_c000002_after_placement_csv", "csv"),
        ],
    );
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
        insta::assert_snapshot!(name, output(&explain_c0002(setting, format)));
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

/// The JSON forms are a contract: each reads back into its type (checking `schema_version`)
/// and writes the same bytes again.
#[test]
fn list_and_explanation_json_read_back_and_write_the_same_bytes() {
    use placewise::{Explanation, SCHEMA_VERSION, TailoredList};
    let pretty = |args: &[&str]| {
        let json = output(args);
        assert!(
            json.starts_with(&format!("{{\n  \"schema_version\": {SCHEMA_VERSION},")),
            "{args:?}"
        );
        json
    };
    for args in [
        &[&C0002_LIST[..], &["--format", "json"]].concat()[..],
        &[
            "list",
            "--area",
            "fixtures/demo",
            "--child",
            "C0003",
            "--explain-excluded",
            "--format",
            "json",
        ],
        &[&C000002_AFTER_PLACEMENT[..], &["--format", "json"]].concat()[..],
    ] {
        let json = pretty(args);
        let list: TailoredList = serde_json::from_str(&json).expect("a list reads back");
        assert_eq!(
            serde_json::to_string_pretty(&list).unwrap() + "\n",
            json,
            "{args:?}"
        );
    }
    let lines = output(&[
        "list",
        "--area",
        "fixtures/demo",
        "--all",
        "--format",
        "jsonl",
    ]);
    assert_eq!(lines.lines().count(), 20);
    for line in lines.lines() {
        let list: TailoredList = serde_json::from_str(line).expect("a list reads back");
        assert_eq!(serde_json::to_string(&list).unwrap(), line);
    }
    for setting in ["900302", "900403"] {
        let json = pretty(&explain_c0002(setting, "json"));
        let e: Explanation = serde_json::from_str(&json).expect("an explanation reads back");
        assert_eq!(serde_json::to_string_pretty(&e).unwrap() + "\n", json);
    }
}

/// A list read back keeps what its JSON says: the ids, ranks, scores and failing rules of the
/// settings ranked lower and excluded.
#[test]
fn a_list_read_back_keeps_its_compact_parts() {
    let json = c0002_json();
    let list: placewise::TailoredList = serde_json::from_str(&json).unwrap();
    let omitted: Vec<(&str, usize)> = list.omitted.iter().map(|o| (o.setting, o.rank)).collect();
    assert_eq!(omitted, [("900204", 6), ("900203", 7)]);
    assert_eq!(list.excluded.len(), 18);
    let x = list
        .excluded
        .iter()
        .find(|x| x.setting == "900403")
        .unwrap();
    assert_eq!(x.rules().collect::<Vec<_>>(), ["H-DESIGNATION"]);
    assert_eq!(
        x.kind, None,
        "kinds of excluded settings are not in the JSON"
    );
}

/// JSON of another schema version, or a list whose compact parts contradict themselves, is
/// refused with a message that says what is wrong.
#[test]
fn json_of_another_version_or_a_broken_list_is_refused() {
    let json = c0002_json();
    let future = json.replacen("\"schema_version\": 1,", "\"schema_version\": 2,", 1);
    let err = serde_json::from_str::<placewise::TailoredList>(&future).unwrap_err();
    assert!(
        err.to_string()
            .contains("schema_version 2 is not one this build reads; expected 1"),
        "{err}"
    );
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["excluded"][0]["rules"] = serde_json::json!([]);
    let err = serde_json::from_value::<placewise::TailoredList>(value).unwrap_err();
    assert!(err.to_string().contains("has no failing rule"), "{err}");
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["omitted"][1]["rank"] = serde_json::json!(1);
    let err = serde_json::from_value::<placewise::TailoredList>(value).unwrap_err();
    assert!(
        err.to_string().contains("is not above the rank before it"),
        "{err}"
    );
    let report = output(&["place", "--area", "fixtures/demo", "--format", "json"]);
    let future = report.replacen("\"schema_version\": 1,", "\"schema_version\": 7,", 1);
    assert!(serde_json::from_str::<placewise::PlacementReport>(&future).is_err());
}
