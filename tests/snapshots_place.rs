//! Snapshots of every placement renderer, run through the real binary exactly as a user gets
//! them: the small demo (`fixtures/demo`) in text, CSV and JSON, and the README's first
//! command on the demo county (`fixtures/wyvernshire`) in text and CSV.

mod common;
use common::*;

#[test]
fn the_demo_s_placement_in_every_format() {
    for (name, format) in [
        ("demo_place_text", "table"),
        ("demo_place_csv", "csv"),
        ("demo_place_json", "json"),
    ] {
        let args = ["place", "--area", "fixtures/demo", "--format", format];
        insta::assert_snapshot!(name, output(&args));
    }
}

/// Preference-first mode states the s.39 exceptions the optimal mode does not.
#[test]
fn the_demo_s_preference_first_placement() {
    let args = [
        "place",
        "--area",
        "fixtures/demo",
        "--mode",
        "preference-first",
    ];
    insta::assert_snapshot!("demo_place_preference_first_text", output(&args));
}

/// The README's first command (`place --area fixtures/wyvernshire`), and its CSV.
#[test]
fn the_demo_county_s_placement() {
    insta::assert_snapshot!(
        "wyvernshire_place_text",
        output(&["place", "--area", "fixtures/wyvernshire"])
    );
    insta::assert_snapshot!(
        "wyvernshire_place_csv",
        output(&["place", "--area", "fixtures/wyvernshire", "--format", "csv"])
    );
}

/// The placement JSON is a contract: it reads back (checking `schema_version`) and writes the
/// same bytes again.
#[test]
fn placement_json_reads_back_and_writes_the_same_bytes() {
    for area in ["fixtures/demo", "fixtures/wyvernshire"] {
        let json = output(&["place", "--area", area, "--format", "json"]);
        assert!(json.starts_with("{\n  \"schema_version\": 1,"), "{area}");
        let report: placewise::PlacementReport =
            serde_json::from_str(&json).expect("a report reads back");
        assert_eq!(
            serde_json::to_string_pretty(&report).unwrap() + "\n",
            json,
            "{area}"
        );
    }
}
