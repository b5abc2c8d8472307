//! The plan report: CSV of every metric, JSON, and the self-contained HTML page with its charts
//! and tables; determinism; atomic writes; missing and empty results.

use placewise::render::plan::{REPORT_FILES, metrics_csv, report_html, results_json, write_report};
use placewise::testing::plan::results::{PlanResults, Quantiles, ScenarioResult, YearMetrics};
use std::collections::BTreeMap;

fn q(p10: f64, p50: f64, p90: f64) -> Quantiles {
    Quantiles {
        p10,
        p50,
        p90,
        mean: (p10 + p50 + p90) / 3.0,
    }
}

fn year(year: i32, metrics: &[(&str, Quantiles)]) -> YearMetrics {
    YearMetrics {
        year,
        metrics: metrics
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Eight metrics for one scenario-year, scaled by `f`.
fn metrics(f: f64) -> Vec<(&'static str, Quantiles)> {
    vec![
        ("unplaced", q(10.0 * f, 12.0 * f, 15.0 * f)),
        ("cost.total", q(40.0e6 * f, 42.5e6 * f, 45.0e6 * f)),
        ("share.mainstream", q(0.55, 0.6, 0.65)),
        ("share.resource-base", q(0.08, 0.1, 0.12)),
        ("share.special", q(0.2, 0.25, 0.3)),
        ("share.independent", q(0.04, 0.05, 0.06)),
        ("unplaced.need.ASD", q(4.0 * f, 5.0 * f, 7.0 * f)),
        ("unplaced.need.SEMH", q(2.0 * f, 3.0 * f, 4.0 * f)),
    ]
}

/// Two scenarios × three years × eight metrics; the second scenario's years are out of order.
fn small() -> PlanResults {
    PlanResults {
        area: "Marlshire".into(),
        base_year: 2026,
        years: 3,
        draws: 200,
        seed: 42,
        headline: Vec::new(),
        scenarios: vec![
            ScenarioResult {
                name: "Baseline".into(),
                description: "Provision as it is today.".into(),
                bases: Vec::new(),
                inclusion_bases: Vec::new(),
                years: (0..3)
                    .map(|i| year(2026 + i, &metrics(1.0 + f64::from(i) * 0.5)))
                    .collect(),
            },
            ScenarioResult {
                name: "New base, Marlbury".into(),
                description: "A 20-place autism base opens in 2027.".into(),
                bases: Vec::new(),
                inclusion_bases: Vec::new(),
                years: (0..3)
                    .rev()
                    .map(|i| year(2026 + i, &metrics(0.8 + f64::from(i) * 0.2)))
                    .collect(),
            },
        ],
        assumptions: vec![
            "Children with plans grow 6.0% a year on average.".into(),
            "Pupils not in the cohort stay constant.".into(),
        ],
        track_record: Vec::new(),
        national_record: Vec::new(),
        inclusion_bases: Default::default(),
    }
}

/// Writes the report under `$PLACEWISE_REPORT_DIR/NAME` when that is set, for a look in a browser.
fn keep(name: &str, results: &PlanResults) {
    if let Some(dir) = std::env::var_os("PLACEWISE_REPORT_DIR") {
        write_report(results, &std::path::Path::new(&dir).join(name)).unwrap();
    }
}

#[test]
fn csv_has_the_header_and_one_row_per_scenario_year_and_metric() {
    let csv = metrics_csv(&small());
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "scenario,year,metric,p10,p50,p90,mean");
    assert_eq!(lines.len(), 1 + 2 * 3 * 8);
    // Baseline first, then by year, then by metric name.
    assert_eq!(
        lines[1],
        "Baseline,2026,cost.total,40000000.0000,42500000.0000,45000000.0000,42500000.0000"
    );
    assert_eq!(
        lines[6],
        "Baseline,2026,unplaced,10.0000,12.0000,15.0000,12.3333"
    );
    assert_eq!(
        lines[7],
        "Baseline,2026,unplaced.need.ASD,4.0000,5.0000,7.0000,5.3333"
    );
    assert!(lines[9].starts_with("Baseline,2027,cost.total,"));
    // A name with a comma is quoted; the second scenario's years come out sorted.
    assert!(
        lines[25].starts_with("\"New base, Marlbury\",2026,cost.total,32000000.0000,"),
        "{}",
        lines[25]
    );
    assert!(lines[41].starts_with("\"New base, Marlbury\",2028,cost.total,"));
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("\"New base, Marlbury\",2028,unplaced.need.SEMH,"))
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), 48);
}

#[test]
fn json_reads_back_as_the_same_results() {
    // serde_json parses floats to within an ulp (exact round trips need its `float_roundtrip`
    // feature), so numbers are compared to 1e-12 relative.
    let results = small();
    let back: PlanResults = serde_json::from_str(&results_json(&results)).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
    assert_eq!(
        (
            &back.area,
            back.base_year,
            back.years,
            back.draws,
            back.seed
        ),
        (
            &results.area,
            results.base_year,
            results.years,
            results.draws,
            results.seed
        )
    );
    assert_eq!(back.assumptions, results.assumptions);
    assert_eq!(back.scenarios.len(), results.scenarios.len());
    for (b, r) in back.scenarios.iter().zip(&results.scenarios) {
        assert_eq!(
            (&b.name, &b.description, b.years.len()),
            (&r.name, &r.description, r.years.len())
        );
        for (by, ry) in b.years.iter().zip(&r.years) {
            assert_eq!(by.year, ry.year);
            assert!(by.metrics.keys().eq(ry.metrics.keys()));
            for (bq, rq) in by.metrics.values().zip(ry.metrics.values()) {
                assert!(
                    close(bq.p10, rq.p10)
                        && close(bq.p50, rq.p50)
                        && close(bq.p90, rq.p90)
                        && close(bq.mean, rq.mean)
                );
            }
        }
    }
}

#[test]
fn html_has_four_charts_the_scenarios_and_the_figure_tables() {
    let html = report_html(&small());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>SEND place sufficiency: Marlshire, 2026/27 to 2028/29</title>"));
    assert_eq!(html.matches("<svg").count(), 4, "one chart per figure");
    assert_eq!(html.matches("<figure").count(), 4);
    assert_eq!(html.matches("<figcaption>").count(), 4);
    assert_eq!(html.matches("<table>").count(), 4);
    for caption in [
        "Table 1. Children without a suitable place",
        "Table 2. Annual high-needs cost",
        "Table 3. Share of children",
        "Table 4. Children without a suitable place by primary need",
    ] {
        assert!(html.contains(caption), "{caption}");
    }
    assert!(html.contains("Baseline") && html.contains("New base, Marlbury"));
    // Summary: final year 2028, baseline factor 2.0 → 24 children (20–30), £85.0m.
    assert!(html.contains("In 2028/29 (median), <strong>24 children would have no suitable place</strong> (10th–90th percentile 20–30)"), "{html}");
    assert!(html.contains("£85.0m"));
    // The tables carry the figures: median with the 10th–90th percentile range.
    assert!(html.contains("<td>24 <span class=\"range\">(20–30)</span></td>"));
    assert!(html.contains("<td>£85.0m <span class=\"range\">(£80.0m–£90.0m)</span></td>"));
    assert!(
        html.contains("<td>60% <span class=\"range\">(55–65%)</span></td>")
            || html.contains("<td>60% <span class=\"range\">(55%–65%)</span></td>")
    );
    assert!(html.contains("<abbr>ASD</abbr> Autism"));
    // Assumptions, draws and seed.
    assert!(html.contains("<li>Children with plans grow 6.0% a year on average.</li>"));
    assert!(html.contains("<dt>Random seed</dt><dd>42</dd>"));
    assert!(html.contains("<dd>200</dd>"));
    // Accessible charts: labelled images with titles and axis descriptions.
    assert_eq!(html.matches("<svg role=\"img\" aria-label=").count(), 4);
    assert!(html.contains("Academic year (starting in September)"));
    assert!(html.contains("High-needs cost (£ million a year)"));
    assert!(html.contains("<th scope=\"col\">"));
}

#[test]
fn html_is_self_contained() {
    let html = report_html(&small());
    for outside in [
        "<script",
        "<link",
        "src=",
        "url(",
        "@import",
        "@font-face",
        "href=",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    // The only address is the SVG namespace, which is a name, not a link.
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
}

#[test]
fn output_is_byte_identical_across_calls() {
    let results = small();
    assert_eq!(report_html(&results), report_html(&results.clone()));
    assert_eq!(metrics_csv(&results), metrics_csv(&results.clone()));
    assert_eq!(results_json(&results), results_json(&results.clone()));
}

#[test]
fn write_report_writes_exactly_four_files_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan").join("out");
    let results = small();
    for _ in 0..2 {
        // The second round overwrites in place.
        let written = write_report(&results, &out).unwrap();
        assert_eq!(
            written,
            REPORT_FILES.iter().map(|f| out.join(f)).collect::<Vec<_>>()
        );
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["metrics.csv", "report.html", "results.json", "scap.csv"]
        );
    }
    assert_eq!(
        std::fs::read_to_string(out.join("metrics.csv")).unwrap(),
        metrics_csv(&results)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("results.json")).unwrap(),
        results_json(&results)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        report_html(&results)
    );
}

#[test]
fn write_report_fails_cleanly_when_the_folder_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    assert!(write_report(&small(), &file).is_err());
}

#[test]
fn empty_results_render_without_panicking() {
    let empty = PlanResults::default();
    let html = report_html(&empty);
    keep("empty", &empty);
    assert!(html.contains("no scenario results"));
    assert!(html.ends_with("</html>\n"));
    assert_eq!(
        metrics_csv(&empty),
        "scenario,year,metric,p10,p50,p90,mean\n"
    );
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(write_report(&empty, dir.path()).unwrap().len(), 4);
}

#[test]
fn missing_and_odd_metrics_do_not_panic() {
    let mut results = small();
    // A scenario with only a shortfall, one with nothing at all, odd values and markup in names.
    results.scenarios.push(ScenarioResult {
        name: "Only <shortfall> & \"quotes\"".into(),
        description: String::new(),
        bases: Vec::new(),
        inclusion_bases: Vec::new(),
        years: vec![year(
            2028,
            &[
                ("unplaced", q(0.0, 0.0, 1.0)),
                ("cost.total", q(f64::NAN, 1.0, f64::INFINITY)),
            ],
        )],
    });
    results.scenarios.push(ScenarioResult {
        name: "Empty".into(),
        description: String::new(),
        bases: Vec::new(),
        inclusion_bases: Vec::new(),
        years: vec![],
    });
    let html = report_html(&results);
    keep("missing", &results);
    assert!(html.contains("Only &lt;shortfall&gt; &amp; &quot;quotes&quot;"));
    assert!(!html.contains("<shortfall>"));
    assert!(html.contains("no child would be left without a suitable place"));
    assert!(html.contains("<td class=\"none\">—</td>"));
    assert_eq!(html.matches("<svg").count(), 4);
    assert_eq!(metrics_csv(&results).lines().count(), 1 + 48 + 2);

    // No need or share metrics anywhere: those charts say so instead of drawing.
    for s in &mut results.scenarios {
        for y in &mut s.years {
            y.metrics
                .retain(|k, _| !k.starts_with("unplaced.need.") && !k.starts_with("share."));
        }
    }
    let html = report_html(&results);
    assert_eq!(
        html.matches("No figures were recorded for this chart.")
            .count(),
        2
    );
    assert!(html.contains("No shortfall by need was recorded."));
}

#[test]
fn a_single_year_and_many_scenarios_render() {
    let mut results = small();
    results.scenarios = (0..10)
        .map(|i| ScenarioResult {
            name: format!("Scenario {i} with a rather long name for a legend"),
            description: String::new(),
            bases: Vec::new(),
            inclusion_bases: Vec::new(),
            years: vec![year(2030, &metrics(1.0 + f64::from(i)))],
        })
        .collect();
    let html = report_html(&results);
    keep("many", &results);
    assert_eq!(html.matches("<svg").count(), 4);
    assert!(html.contains("In 2030/31 (median)"));
}

/// A fuller example: three scenarios over six years (kept under `$PLACEWISE_REPORT_DIR/demo`).
#[test]
fn demo_report() {
    // Each need's metric and its share of the children without a place.
    let needs = [
        ("unplaced.need.ASD", 0.45),
        ("unplaced.need.SEMH", 0.25),
        ("unplaced.need.SLCN", 0.12),
        ("unplaced.need.MLD", 0.08),
        ("unplaced.need.SLD", 0.06),
        ("unplaced.need.PD", 0.04),
    ];
    let scenario = |name: &str, description: &str, shortfall: [f64; 6], cost: f64, special: f64| {
        ScenarioResult {
            name: name.into(),
            description: description.into(),
            bases: Vec::new(),
            inclusion_bases: Vec::new(),
            years: (0..6)
                .map(|i| {
                    let u = shortfall[i];
                    let grow = 1.0 + 0.055 * i as f64;
                    let mut m = vec![
                        ("unplaced", q((u * 0.82).floor(), u, (u * 1.2).ceil())),
                        (
                            "cost.total",
                            q(cost * grow * 0.95, cost * grow, cost * grow * 1.06),
                        ),
                        ("share.mainstream", q(0.50, 0.53, 0.56)),
                        ("share.resource-base", q(0.07, 0.09, 0.11)),
                        ("share.special", q(special - 0.03, special, special + 0.03)),
                        ("share.independent", q(0.06, 0.38 - special, 0.40 - special)),
                        ("children", q(1800.0 * grow, 1850.0 * grow, 1900.0 * grow)),
                    ];
                    if i == 5 {
                        for (metric, share) in needs {
                            m.push((
                                metric,
                                q(
                                    (u * share * 0.7).floor(),
                                    (u * share).round(),
                                    (u * share * 1.3).ceil(),
                                ),
                            ));
                        }
                    }
                    year(2026 + i as i32, &m)
                })
                .collect(),
        }
    };
    let results = PlanResults {
        area: "Marlshire".into(),
        base_year: 2026,
        years: 6,
        draws: 500,
        seed: 20260901,
        headline: Vec::new(),
        scenarios: vec![
            scenario("Baseline", "No new places: today's provision, projected growth in plans.", [38.0, 61.0, 84.0, 107.0, 126.0, 143.0], 41.0e6, 0.24),
            scenario("New special free school 2028", "A 120-place special free school for autism and SEMH opens in September 2028.", [38.0, 60.0, 52.0, 49.0, 58.0, 66.0], 41.6e6, 0.28),
            scenario("Resource bases in mainstream", "Eight 12-place resource bases open in mainstream schools from 2027.", [38.0, 49.0, 58.0, 70.0, 81.0, 92.0], 40.2e6, 0.22),
        ],
        assumptions: vec![
            "Children with plans grow 6.0% a year on average (England 2019–2025).".into(),
            "Plans end with probability 20%, 35% and 60% on moving into years 12, 13 and 14.".into(),
            "500 Monte Carlo draws with seed 20260901; bands show the 10th to 90th percentile over draws.".into(),
        ],
        track_record: Vec::new(),
        national_record: Vec::new(),
        inclusion_bases: Default::default(),
    };
    keep("demo", &results);
    let html = report_html(&results);
    assert!(html.contains(
        "In 2031/32 (median), <strong>143 children would have no suitable place</strong>"
    ));
    assert!(html.contains("Compared with Baseline (medians): 77 fewer children without a place"));
}

#[test]
fn a_line_hidden_under_another_is_named() {
    let mut results = small();
    let mut twin = results.scenarios[0].clone();
    twin.name = "Twin".into();
    results.scenarios.push(twin);
    let html = report_html(&results);
    assert!(
        html.contains("The median line of Twin is the same as that of Baseline and lies under it.")
    );
    assert!(!report_html(&small()).contains("lies under it"));
}

#[test]
fn scap_csv_has_places_needed_by_year_phase_and_provision() {
    let mut r = small();
    let y = &mut r.scenarios[0].years[0];
    y.metrics.insert(
        "scap.secondary.special-school.pupils".into(),
        q(90.0, 100.0, 130.0),
    );
    y.metrics.insert(
        "scap.secondary.special-school.places".into(),
        q(80.0, 80.0, 80.0),
    );
    y.metrics.insert(
        "scap.secondary.special-school.needed".into(),
        q(10.0, 20.0, 50.0),
    );
    y.metrics
        .insert("scap.primary.sen-unit.places".into(), q(12.0, 12.0, 12.0));
    let csv = placewise::render::plan::scap::scap_csv(&r);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,academic_year,phase,provision,inclusion_base,pupils_p50,pupils_p90,waiting_p50,waiting_p90,in_other_authorities_p50,places,additional_places_p50,additional_places_p90"
    );
    let rows: Vec<&str> = lines.collect();
    let year = r.scenarios[0].years[0].year;
    let label = format!("{year}/{:02}", (year + 1) % 100);
    let name = &r.scenarios[0].name;
    assert!(
        rows.contains(&format!("{name},{label},primary,sen-unit,,0,0,0,0,0,12,0,0").as_str()),
        "{csv}"
    );
    assert!(
        rows.contains(
            &format!("{name},{label},secondary,special-school,,100,130,0,0,0,80,20,50").as_str()
        ),
        "{csv}"
    );
}

#[test]
fn names_and_codes_from_the_input_are_escaped() {
    let hostile = "<script>alert(1)</script> & Co";
    let mut results = small();
    results.area = hostile.into();
    results.assumptions.push(hostile.into());
    results.scenarios[1].name = hostile.into();
    results.scenarios[1].description = hostile.into();
    // Metric keys are input too: an unknown kind of setting and an unknown need code.
    for s in &mut results.scenarios {
        for y in &mut s.years {
            y.metrics
                .insert("share.<i>odd</i>".into(), q(0.1, 0.2, 0.3));
            y.metrics
                .insert("unplaced.need.<b>X</b>&".into(), q(1.0, 2.0, 3.0));
        }
    }
    let html = report_html(&results);
    for raw in ["<script>", "<i>odd", "<b>X"] {
        assert!(!html.contains(raw), "{raw} is not escaped");
    }
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co";
    // The title, the heading, the facts, the scenario's card, the tables' keys, the assumption.
    assert!(html.matches(escaped).count() >= 8, "{html}");
    assert!(html.contains("&lt;i&gt;odd&lt;/i&gt;"));
    assert!(html.contains("<abbr>&lt;b&gt;X&lt;/b&gt;&amp;</abbr>"));
}
