//! `placewise atlas` on the shared school file and statistics: a small atlas (two
//! authorities), its shape, plausibility and determinism, its published indicators, and
//! located errors in the statistics. Skips with a message when ../shared/data is absent.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

const GIAS: &str = "gias/england_open_schools_2026.csv";
const STATS: [&str; 6] = [
    "ehcp_caseload_by_setting_2019_2025.csv",
    "ehcp_new_plans_by_age_and_setting_2019_2024.csv",
    "ehcp_requests_by_age_2019_2024.csv",
    "ehcp_timeliness_20_weeks_2019_2024.csv",
    "send_tribunal_appeal_rate_2014_2024.csv",
    "ehcp_primary_need_by_placement_jan2025.csv",
];

fn gias() -> Option<PathBuf> {
    shared_data(&[GIAS]).map(|dir| dir.join(GIAS))
}

/// The school file and the statistics folder.
fn gias_and_stats() -> Option<(PathBuf, PathBuf)> {
    let needed: Vec<String> = std::iter::once(GIAS.to_string())
        .chain(STATS.iter().map(|f| format!("stats/{f}")))
        .collect();
    let needed: Vec<&str> = needed.iter().map(String::as_str).collect();
    shared_data(&needed).map(|dir| (dir.join(GIAS), dir.join("stats")))
}

/// Runs `placewise atlas --gias GIAS ARGS… --out OUT` with extra environment.
fn atlas_with(gias: &Path, args: &[&str], out: &Path, env: &[(&str, &str)]) -> Output {
    let gias = gias.to_str().unwrap();
    let out = out.to_str().unwrap();
    run(
        &[&["atlas", "--gias", gias], args, &["--out", out]].concat(),
        env,
    )
}

/// The small atlas of two authorities, on `threads` threads.
fn atlas(gias: &Path, out: &Path, threads: &str) -> Output {
    let args = [
        "--la",
        "Shropshire",
        "--la",
        "Telford and Wrekin",
        "--homes",
        "25",
        "--seed",
        "7",
    ];
    atlas_with(gias, &args, out, &[("RAYON_NUM_THREADS", threads)])
}

#[test]
fn a_small_atlas_is_plausible_and_deterministic() {
    let Some(gias) = gias() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let o = atlas(&gias, &a, "1");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Assumptions:"), "assumptions printed");
    let o = atlas(&gias, &b, "2");
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["atlas.csv", "atlas.json", "atlas.html"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    let mut r = csv::Reader::from_path(a.join("atlas.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let n_arch = 12;
    assert_eq!(rows.len(), 2 * n_arch);
    let get = |la: &str, arch: &str, col: usize| -> Option<f64> {
        let row = rows
            .iter()
            .find(|r| &r[0] == la && &r[1] == arch)
            .unwrap_or_else(|| panic!("{la} {arch}"));
        row[col].parse().ok()
    };
    for row in &rows {
        for col in [5, 7] {
            let share: f64 = row[col].parse().unwrap();
            assert!((0.0..=1.0).contains(&share), "{row:?}");
        }
    }
    for la in ["Shropshire", "Telford and Wrekin"] {
        // A year-1 child with moderate autism finds mainstream schools nearby everywhere.
        assert!(get(la, "y1-asd-moderate", 3).unwrap() >= 5.0, "{la}");
        assert_eq!(get(la, "y1-asd-moderate", 5), Some(0.0), "{la}");
        assert!(get(la, "y1-asd-moderate", 4).unwrap() < 15.0, "{la}");
        // A child with PMLD needing nursing has far fewer options, further away, and costs
        // several times as much (special school place funding and a high top-up band).
        let pmld = get(la, "y9-pmld-nursing", 3).unwrap();
        assert!(pmld < get(la, "y1-asd-moderate", 3).unwrap(), "{la}");
        let pmld_cost = get(la, "y9-pmld-nursing", 6).unwrap();
        let asd_cost = get(la, "y1-asd-moderate", 6).unwrap();
        assert!(
            pmld_cost > 2.0 * asd_cost,
            "{la}: {pmld_cost} vs {asd_cost}"
        );
        assert!(
            (5_000.0..150_000.0).contains(&pmld_cost),
            "{la}: {pmld_cost}"
        );
    }
    let html = std::fs::read_to_string(a.join("atlas.html")).unwrap();
    // Two maps per archetype, each a dot per authority and the key's "none within reach".
    assert_eq!(html.matches("<svg").count(), 2 * n_arch);
    assert_eq!(html.matches("<circle").count(), 2 * n_arch * 3);
    assert!(html.contains("Same child, different authority"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("atlas.json")).unwrap()).unwrap();
    assert_eq!(json["authorities"].as_array().unwrap().len(), 2);
    assert_eq!(json["seed"], 7);
}

#[test]
fn bad_archetypes_are_located_and_nothing_is_written() {
    let Some(gias) = gias() else { return };
    let (dir, bad) = temp_file(
        "arch.toml",
        "[[archetype]]\nid = \"x\"\ntitle = \"X\"\nyear = \"3\"\nsex = \"male\"\nprimary_need = \"AUTISM\"\n",
    );
    let out = dir.path().join("out");
    let archetypes = ["--la", "Shropshire", "--archetypes", bad.to_str().unwrap()];
    let o = atlas_with(&gias, &archetypes, &out, &[]);
    let err = failed(&o, 1);
    assert!(err.contains("arch.toml:6:"), "{err}");
    assert!(!out.exists());
    let o = atlas_with(&gias, &["--la", "Nowhereshire"], &out, &[]);
    failed(&o, 1);
    assert!(!out.exists());
}

#[test]
fn with_stats_each_authority_carries_its_published_indicators() {
    let Some((gias, stats)) = gias_and_stats() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        "--la",
        "Shropshire",
        "--la",
        "Camden",
        "--homes",
        "10",
        "--stats",
        stats.to_str().unwrap(),
    ];
    let o = atlas_with(&gias, &args, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(out.join("atlas.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let indicators = [
        "plans_per_1000_pupils",
        "new_plans_per_1000_pupils",
        "share_requests_refused",
        "share_plans_state_special",
        "share_plans_independent_special",
        "share_new_plans_within_20_weeks",
        "tribunal_appeal_rate",
    ];
    for name in indicators {
        let col = header.iter().position(|h| h == name).expect(name);
        for row in &rows {
            let v: f64 = row[col]
                .parse()
                .unwrap_or_else(|_| panic!("{name}: {row:?}"));
            // Shares are shares; rates per 1,000 pupils are within what authorities publish.
            assert!(v > 0.0 && v < 200.0, "{name}: {v}");
            if name.starts_with("share") || name.contains("rate") {
                assert!(v < 1.0, "{name}: {v}");
            }
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("atlas.json")).unwrap()).unwrap();
    // Every archetype's headline spread, and each compared pair (too few authorities for ρ).
    assert_eq!(json["spreads"].as_array().unwrap().len(), 12);
    let agreement = json["agreement"].as_array().unwrap();
    assert!(agreement.len() >= 12, "{agreement:?}");
    assert!(
        agreement.iter().all(|g| g["rho"].is_null()),
        "{agreement:?}"
    );
    assert_eq!(json["measures"].as_array().unwrap().len(), 11);
    let html = std::fs::read_to_string(out.join("atlas.html")).unwrap();
    assert!(html.contains("id=\"la-camden\"") && html.contains("England median"));
    assert!(html.contains("Does the engine agree with the world?"));
}

#[test]
fn a_bad_published_figure_is_located_and_nothing_is_written() {
    let Some((gias, stats)) = gias_and_stats() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("stats");
    std::fs::create_dir(&bad).unwrap();
    for f in STATS {
        std::fs::copy(stats.join(f), bad.join(f)).unwrap();
    }
    // Spoil one count of the timeliness file: its 3rd data row's plans issued within 20 weeks.
    let file = bad.join("ehcp_timeliness_20_weeks_2019_2024.csv");
    let mut r = csv::Reader::from_path(&file).unwrap();
    let header = r.headers().unwrap().clone();
    let col = header
        .iter()
        .position(|h| h == "plans_issued_within_20_weeks")
        .unwrap();
    let mut rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let mut spoilt: Vec<String> = rows[2].iter().map(String::from).collect();
    spoilt[col] = "ninety".into();
    rows[2] = csv::StringRecord::from(spoilt);
    let mut w = csv::Writer::from_path(&file).unwrap();
    w.write_record(&header).unwrap();
    for row in &rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    let out = dir.path().join("out");
    let args = ["--la", "Shropshire", "--stats", bad.to_str().unwrap()];
    let o = atlas_with(&gias, &args, &out, &[]);
    let err = failed(&o, 1);
    assert!(
        err.contains("ehcp_timeliness_20_weeks_2019_2024.csv")
            && err.contains("row 4")
            && err.contains("plans_issued_within_20_weeks")
            && err.contains("ninety"),
        "{err}"
    );
    assert!(!out.exists());
}
