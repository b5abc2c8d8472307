//! Snapshots of every plan output for the demo county (baseline and the reform scenarios, two
//! draws of two years): the text summary, the metrics CSV, the SCAP CSV, the JSON and the HTML
//! page. A change to any renderer, or to the projection, shows here line by line.

mod common;
use common::*;
use placewise::render::plan::scap::scap_csv;
use placewise::render::plan::{metrics_csv, report_html, results_json, summary_text};
use placewise::testing::plan::{Growth, PlanOptions, PlanResults, ProvisionGrowth, load_scenarios};

/// Baseline and the reform scenarios on the demo county, two draws of two years.
fn demo_plan() -> PlanResults {
    let w = load_fixture("wyvernshire");
    let scenarios = load_scenarios(
        &w,
        &root().join("fixtures/wyvernshire/scenarios/reform.toml"),
    )
    .unwrap();
    // Today's places held and plans growing a quarter a year, so that the short run has a
    // shortfall, bottlenecks and bases; no spread of the growth rate between draws, so that
    // two draws follow the median path.
    let growth = Growth {
        rate: 0.25,
        rate_sd: 0.0,
        ..Growth::default()
    };
    let mut options = PlanOptions::new(3, 2, 1, growth);
    options.provision = ProvisionGrowth::Fixed;
    plan_all(&w.area, &w.rules.rules, 2025, &scenarios, &options)
}

/// A renderer of plan results.
type Render = fn(&PlanResults) -> String;

/// Each output of the one run, against its snapshot (named by the snapshot it is kept in).
#[test]
fn every_plan_output() {
    let results = demo_plan();
    let outputs: [(&str, Render); 5] = [
        ("plan_summary", summary_text),
        ("plan_metrics_csv", metrics_csv),
        ("plan_scap_csv", scap_csv),
        ("plan_results_json", results_json),
        ("plan_report_html", report_html),
    ];
    for (name, render) in outputs {
        insta::assert_snapshot!(name, render(&results));
    }
}
