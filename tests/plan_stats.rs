//! Planning from published figures: the caseload reader's located errors, calibration, and
//! `plan` arguments refused where they are parsed (exit code 2, naming the argument).

mod common;
use common::*;
use placewise::testing::io::stats::read_caseload;
use placewise::testing::plan::calibrate;

const HEADER: &str = "time_period,geographic_level,la_name,old_la_code,breakdown_topic,ehcplans,mainstream_total,ap_pru_total,fe_total,mainstream_la_maintained_resourced_provision,mainstream_la_maintained_senunit,mainstream_academy_resourced_provision,mainstream_academy_senunit,mainstream_free_school_resourced_provision,mainstream_free_school_senunit,special_la_maintained,special_academy_free,special_independent,special_non_maintained";

/// A caseload file: `(period, la, total)` rows with a fixed mix (40% mainstream of which 4%
/// in bases, 30% special, 5% independent, 1% AP, 15% FE, the rest elsewhere).
fn caseload(rows: &[(&str, &str, u64)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ehcp_caseload_by_setting_2019_2025.csv");
    let mut text = format!("{HEADER}\n");
    for (period, la, total) in rows {
        let t = *total;
        let level = if *la == "England" {
            "National"
        } else {
            "Local authority"
        };
        let name = if *la == "England" { "" } else { la };
        text.push_str(&format!(
            "{period},{level},{name},123,All EHC plans,{t},{},{},{},{},0,0,0,0,0,{},0,{},0\n",
            t * 40 / 100,
            t / 100,
            t * 15 / 100,
            t * 4 / 100,
            t * 30 / 100,
            t * 5 / 100
        ));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn a_first_year_with_no_plans_is_a_located_error_not_an_infinite_rate() {
    let (_d, path) = caseload(&[("201819", "Testshire", 0), ("202425", "Testshire", 500)]);
    let err = read_caseload(&path).unwrap_err();
    let text = err.diagnostics[0].to_string();
    assert_eq!(err.diagnostics.len(), 1, "{text}");
    // The header is row 1, so the first data row is row 2.
    assert_eq!(
        err.diagnostics[0].location,
        placewise::diag::Location::Row {
            row: 2,
            column: "ehcplans".into()
        },
        "{text}"
    );
    assert!(text.contains("no plans"), "{text}");
}

#[test]
fn two_figures_for_one_january_are_a_located_error() {
    let (_d, path) = caseload(&[
        ("202324", "Testshire", 400),
        ("202324", "Testshire", 450),
        ("202425", "Testshire", 500),
    ]);
    let err = read_caseload(&path).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1);
    let d = &err.diagnostics[0];
    assert_eq!(d.field, "time_period");
    assert!(d.message.contains("January 2024"), "{}", d.message);
    assert!(d.message.contains("row 2"), "{}", d.message);
}

#[test]
fn counts_that_are_not_plans_are_located() {
    let (_d, path) = caseload(&[("202425", "Testshire", 500)]);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(",500,", ",-5,");
    std::fs::write(&path, text).unwrap();
    let err = read_caseload(&path).unwrap_err();
    assert_eq!(err.diagnostics[0].field, "ehcplans");
    assert_eq!(err.diagnostics[0].found.as_deref(), Some("`-5`"));
}

#[test]
fn an_implausible_growth_rate_is_refused_with_the_row() {
    // 10 plans to 5,000 in a year: 49,900% growth.
    let (_d, path) = caseload(&[("202324", "Testshire", 10), ("202425", "Testshire", 5000)]);
    let c = read_caseload(&path).unwrap();
    let err = calibrate(&c, "Testshire", 2025).unwrap_err();
    let d = &err.diagnostics[0];
    assert!(d.message.contains("growth"), "{}", d.message);
    // Located at the last January's row (the third row of the file).
    assert_eq!(
        d.location,
        placewise::diag::Location::Row {
            row: 3,
            column: "ehcplans".into()
        },
        "{d}"
    );
}

#[test]
fn calibration_follows_the_history() {
    // Testshire grows 10% a year exactly; England 5%. Its own trend is recovered and the rate
    // used lies between England's and its own.
    let mut rows = Vec::new();
    let periods = [
        "201819", "201920", "202021", "202122", "202223", "202324", "202425",
    ];
    for (i, p) in periods.iter().enumerate() {
        rows.push((
            *p,
            "England",
            (100_000.0 * 1.05f64.powi(i as i32)).round() as u64,
        ));
        rows.push((
            *p,
            "Testshire",
            (1_000.0 * 1.10f64.powi(i as i32)).round() as u64,
        ));
        rows.push((
            *p,
            "Otherby",
            (2_000.0 * 1.02f64.powi(i as i32)).round() as u64,
        ));
    }
    let (_d, path) = caseload(&rows);
    let c = read_caseload(&path).unwrap();
    let cal = calibrate(&c, "Testshire", 2025).unwrap();
    assert!((cal.la_trend - 0.10).abs() < 0.002, "{}", cal.la_trend);
    assert!((cal.england_trend - 0.05).abs() < 0.002);
    assert!(
        cal.growth >= 0.05 - 1e-3 && cal.growth <= 0.10 + 1e-3,
        "{}",
        cal.growth
    );
    // A fixed mix: no movement between groups.
    assert!(
        cal.share_change.iter().all(|c| c.abs() < 0.002),
        "{:?}",
        cal.share_change
    );
    assert!(cal.describe().contains("Testshire"));
    let unknown = calibrate(&c, "Testshir", 2025).unwrap_err();
    assert!(unknown.diagnostics[0].to_string().contains("Testshire"));
}

#[test]
fn plan_refuses_bad_arguments_naming_them() {
    let out = std::env::temp_dir().join("placewise-plan-args");
    let out = out.to_str().unwrap();
    for (flag, value) in [
        ("--growth", "NaN"),
        ("--growth", "-0.1"),
        ("--growth", "50"),
        ("--draws", "0"),
        ("--years", "0"),
        ("--years", "1000"),
        ("--pupil-growth", "inf"),
        ("--fallback-fee", "0"),
    ] {
        let o = run(
            &[
                "plan",
                "--area",
                "fixtures/demo",
                "--out",
                out,
                flag,
                value,
                "-q",
            ],
            &[],
        );
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{flag} {value}: {}", stderr(&o));
    }
}

#[test]
fn plan_reports_a_bad_caseload_file_with_its_row_and_writes_nothing() {
    let (dir, _path) = caseload(&[("201819", "Testshire", 0), ("202425", "Testshire", 500)]);
    let out = dir.path().join("out");
    let o = run(
        &[
            "plan",
            "--area",
            "fixtures/demo",
            "--stats",
            dir.path().to_str().unwrap(),
            "--la",
            "Testshire",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    let err = failed(&o, 1);
    assert!(
        err.contains("ehcp_caseload_by_setting_2019_2025.csv"),
        "{err}"
    );
    assert!(err.contains("ehcplans"), "{err}");
    assert!(!out.exists());
}
