//! `placewise atlas` on the shared school file: a small atlas (two authorities), its shape,
//! plausibility and determinism. Skips with a message when ../shared/data is absent.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

const GIAS: &str = "gias/england_open_schools_2026.csv";

fn gias() -> Option<PathBuf> {
    shared_data(&[GIAS]).map(|dir| dir.join(GIAS))
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
    assert_eq!(html.matches("<svg").count(), n_arch);
    assert_eq!(html.matches("<circle").count(), 2 * n_arch);
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
