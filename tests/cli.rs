//! Integration tests: the real binary on the shipped fixtures.

mod common;
use common::*;

#[test]
fn check_passes_on_the_demo() {
    let o = run_ok("check", DEMO, &[]);
    assert!(
        stdout(&o).starts_with("ok: Marlshire (small demo) — 25 settings"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn list_shows_a_ranked_explained_list_with_the_preference_first() {
    let o = run_ok("list", DEMO, &["--child", "C0001", "--top", "5"]);
    let out = stdout(&o);
    assert!(out.contains("Tailored list for child C0001"));
    // The first row is the named preference (the autism base), marked as such.
    let first_row = out
        .lines()
        .find(|l| l.starts_with("│ 1 "))
        .expect("a first row");
    assert!(first_row.contains("900101-RP"), "{first_row}");
    assert!(first_row.contains("PREFERENCE named (s.39)"), "{first_row}");
    assert!(
        out.contains("why not 900402 Greystone Hall [special-independent]"),
        "independent settings are accounted for:\n{out}"
    );
}

#[test]
fn json_list_has_the_documented_shape() {
    let o = run_ok("list", DEMO, &["--child", "C0003", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["child"], "C0003");
    let entries = v["entries"].as_array().expect("entries");
    assert!(!entries.is_empty());
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e["rank"].as_u64(), Some(i as u64 + 1));
        assert!(e["setting"].is_string() && e["score"].is_number());
        assert!(e["reasons"].is_array() && e["capacity"]["status"].is_string());
    }
    let excluded = v["excluded"].as_array().expect("excluded");
    assert!(
        excluded
            .iter()
            .all(|x| x["setting"].is_string() && !x["rules"].as_array().unwrap().is_empty())
    );
    // A secondary-age child with PMLD: no mainstream setting is suitable.
    assert!(
        entries
            .iter()
            .all(|e| e["kind"].as_str().unwrap().starts_with("special")),
        "{entries:?}"
    );
    // The parents asked for an independent special school not approved under s.41.
    assert_eq!(v["preferences"][0]["setting"], "900403");
    assert_eq!(v["preferences"][0]["outcome"], "not-s39");
    // Every setting is accounted for: listed, ranked lower, or excluded.
    let total = entries.len() + v["omitted"].as_array().unwrap().len() + excluded.len();
    assert_eq!(total, 25);
}

#[test]
fn all_lists_are_identical_for_one_and_two_threads() {
    let args = ["list", "--area", DEMO, "--all", "--format", "csv"];
    let one = run(&args, &[("RAYON_NUM_THREADS", "1")]);
    let two = run(&args, &[("RAYON_NUM_THREADS", "2")]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
    let text = stdout(&one);
    assert_eq!(
        text.lines().next().unwrap(),
        placewise::render::LIST_CSV_HEADER.join(",")
    );
    // 20 children × 25 settings: every setting of every child is listed, ranked lower or
    // excluded, and only there.
    assert_eq!(csv_settings_by_child(&text), vec![25; 20]);
}

/// For each child of a list CSV (in order), how many settings its `listed`, `ranked-lower`
/// and `excluded` rows account for (a setting excluded by two rules counts once); panics if a
/// setting is both suitable and excluded.
pub(crate) fn csv_settings_by_child(text: &str) -> Vec<usize> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut by_child: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let (suitable, excluded) = by_child.entry(rec[0].to_string()).or_default();
        let ids = rec[3].split(';').map(str::to_string);
        match &rec[1] {
            "listed" | "ranked-lower" => suitable.extend(ids),
            "excluded" => excluded.extend(ids),
            "explained" => assert!(
                excluded.contains(&rec[3]),
                "explained {} not excluded",
                &rec[3]
            ),
            other => panic!("unknown status {other}"),
        }
    }
    by_child
        .values()
        .map(|(s, x)| {
            assert!(s.is_disjoint(x), "a setting both suitable and excluded");
            s.len() + x.len()
        })
        .collect()
}

/// `placewise explain` of one child and setting of the demo, which must succeed.
fn explain(child: &str, setting: &str) -> String {
    stdout(&run_ok(
        "explain",
        DEMO,
        &["--child", child, "--setting", setting],
    ))
}

#[test]
fn explain_gives_every_failing_rule_with_facts() {
    let out = explain("C0003", "900107");
    assert!(out.contains("Verdict: NOT SUITABLE"));
    assert!(out.contains("H-PMLD"), "{out}");
    assert!(out.contains("H-YEAR"), "{out}");
    assert!(out.contains("child: year 9 (secondary)"), "{out}");
    assert!(out.contains("setting: admits years R–6"), "{out}");
}

#[test]
fn unknown_child_is_a_clear_error() {
    let o = run_on("list", DEMO, &["--child", "C00001"]);
    let err = failed(&o, 1);
    assert!(err.contains("no child `C00001`"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn shipped_rule_cases_pass() {
    let o = run(&["rules", "test"], &[]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(" passed, 0 failed"), "{}", stdout(&o));
}

/// Keeps the one-line form of each diagnostic, with the crate root removed from paths.
fn diagnostic_lines(stderr: &str) -> String {
    let root = format!("{}/", root().display());
    stderr
        .lines()
        .filter(|l| l.contains(": error["))
        .map(|l| l.replace(&root, ""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_broken_rule_file_reports_every_error_with_its_place() {
    let o = run_on("check", DEMO, &["--rules", "fixtures/broken/rules"]);
    insta::assert_snapshot!("broken_rules", diagnostic_lines(&failed(&o, 1)));
}

#[test]
fn a_broken_area_reports_every_error_with_row_and_column() {
    let o = run_on("check", "fixtures/broken-area", &[]);
    insta::assert_snapshot!("broken_area", diagnostic_lines(&failed(&o, 1)));
}

#[test]
fn explanation_snapshot() {
    insta::assert_snapshot!("explain_c0006_hearing_base", explain("C0006", "900201-RP"));
}

#[test]
fn out_file_is_written_whole_and_not_at_all_on_error() {
    let (dir, text) = demo_lists_written("lists.json", "json");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 20);
    let bad = dir.path().join("bad.json");
    let o = run_on(
        "list",
        "fixtures/broken-area",
        &["--all", "--format", "json", "--out", bad.to_str().unwrap()],
    );
    let err = failed(&o, 1);
    // A command that writes a file says that nothing was written.
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!bad.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
