//! Snapshots of every plan output for the demo county (baseline and the reform scenarios, two
//! draws of two years): the text summary, the metrics CSV, the SCAP CSV, the JSON and the HTML
//! page. A change to any renderer, or to the projection, shows here line by line.

mod common;
use common::*;
use placewise::io::load_area;
use placewise::plan::{
    Growth, PlanOptions, PlanResults, ProvisionGrowth, load_scenarios, run_plan,
};
use placewise::render::plan::scap::scap_csv;
use placewise::render::plan::{metrics_csv, report_html, results_json, summary_text};
use std::sync::OnceLock;

fn demo_plan() -> &'static PlanResults {
    static PLAN: OnceLock<PlanResults> = OnceLock::new();
    PLAN.get_or_init(|| {
        let w = load_area(&root().join("fixtures/wyvernshire"), &rules_dir()).unwrap();
        let scenarios = load_scenarios(
            &w,
            &root().join("fixtures/wyvernshire/scenarios/reform.toml"),
        )
        .unwrap();
        // Today's places held, so that the short run has a shortfall, bottlenecks and bases.
        let mut options = PlanOptions::new(3, 2, 1, Growth::default());
        options.provision = ProvisionGrowth::Fixed;
        run_plan(&w.area, &w.rules.rules, 2025, &scenarios, &options, &|| ()).unwrap()
    })
}

#[test]
fn the_text_summary() {
    insta::assert_snapshot!("plan_summary", summary_text(demo_plan()));
}

#[test]
fn the_metrics_csv() {
    insta::assert_snapshot!("plan_metrics_csv", metrics_csv(demo_plan()));
}

#[test]
fn the_scap_csv() {
    insta::assert_snapshot!("plan_scap_csv", scap_csv(demo_plan()));
}

#[test]
fn the_json() {
    insta::assert_snapshot!("plan_results_json", results_json(demo_plan()));
}

#[test]
fn the_html_page() {
    insta::assert_snapshot!("plan_report_html", report_html(demo_plan()));
}
