//! The 2026 reform on the demo county: lists, explanations and placements under both legal
//! regimes (`cfa2014`, today's law; `spp`, Specialist Provision Packages as consulted), the
//! packages rule file's diagnostics, and the area files' package columns.

mod common;
mod serve_support;
use common::*;
use placewise::{ChildId, ListOptions, ListQuery, PlacementOptions, Regime, Session};
use serde_json::Value;

const COUNTY: &str = "fixtures/wyvernshire";

fn lists(regime: &str) -> Vec<Value> {
    let o = run_ok(
        "list",
        COUNTY,
        &["--all", "--format", "jsonl", "--regime", regime],
    );
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one list per line"))
        .collect()
}

fn packages(list: &Value) -> Vec<String> {
    list["package"]["packages"]
        .as_array()
        .map(|a| a.iter().map(|p| p.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn under_spp_every_entry_delivers_the_childs_package_and_every_list_states_its_regime() {
    let spp = lists("spp");
    assert_eq!(spp.len(), 2455);
    let mut with_package = 0;
    let mut cannot = 0;
    for l in &spp {
        assert_eq!(l["regime"], "spp", "{}", l["child"]);
        let need = packages(l);
        if need.is_empty() {
            // Below the specialist tier: a plain list, said so.
            assert_eq!(l["plan_level"], "sen-support", "{}", l["child"]);
            continue;
        }
        with_package += 1;
        for e in l["entries"].as_array().unwrap() {
            let delivers: Vec<String> = serde_json::from_value(e["delivers"].clone()).unwrap();
            assert_eq!(delivers, need, "{} at {}", l["child"], e["setting"]);
            assert!(e["offer"] == "declared" || e["offer"] == "assumed");
        }
        // A suitable setting that cannot deliver is kept with what it lacks, never hidden.
        for x in l["package"]["cannot_deliver"].as_array().unwrap() {
            cannot += 1;
            let short = x["shortfalls"].as_array().unwrap();
            assert!(!short.is_empty());
            assert!(
                short
                    .iter()
                    .all(|s| !s["missing"].as_array().unwrap().is_empty())
            );
        }
    }
    assert_eq!(
        with_package, 2000,
        "every child with an EHC plan has a package"
    );
    assert!(cannot > 1000, "{cannot}");
    // Children whose profile names the package (written by synth-county) say so.
    let declared = spp
        .iter()
        .filter(|l| l["package"]["basis"] == "declared")
        .count();
    assert!(declared >= 100, "{declared}");
}

#[test]
fn under_cfa2014_lists_state_their_regime_and_carry_no_package() {
    for l in lists("cfa2014") {
        assert_eq!(l["regime"], "cfa2014");
        assert!(l.get("package").is_none());
        assert!(
            l["entries"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e.get("delivers").is_none())
        );
    }
}

#[test]
fn spp_lists_only_what_the_cfa2014_list_found_suitable_and_account_for_the_rest() {
    let session = Session::open(COUNTY.as_ref()).unwrap();
    let query = |regime| ListQuery {
        options: ListOptions::new(1000).unwrap(),
        regime,
        ..Default::default()
    };
    for id in ["C000002", "C000010", "C000100", "C001000"] {
        let id = ChildId::from(id);
        let today = session.list_with(&id, &query(Regime::Cfa2014)).unwrap();
        let spp = session.list_with(&id, &query(Regime::Spp)).unwrap();
        let ids = |l: &placewise::TailoredList| -> Vec<String> {
            let mut v: Vec<String> = l.entries.iter().map(|e| e.setting.clone()).collect();
            v.sort();
            v
        };
        let cannot: Vec<String> = spp
            .package
            .as_ref()
            .unwrap()
            .cannot_deliver
            .iter()
            .map(|c| c.setting.clone())
            .collect();
        let mut both = ids(&spp);
        both.extend(cannot);
        both.sort();
        assert_eq!(both, ids(&today), "{id}");
    }
}

#[test]
fn a_preferred_setting_that_cannot_deliver_is_not_named() {
    let session = Session::open(COUNTY.as_ref()).unwrap();
    let query = ListQuery {
        regime: Regime::Spp,
        ..Default::default()
    };
    let mut checked = 0;
    for child in &session.area().children {
        let list = session.list_with(&child.id, &query).unwrap();
        let Some(p) = &list.package else { continue };
        for d in p.preferences.iter().filter(|d| !d.can_deliver) {
            let outcome = list
                .preferences
                .iter()
                .find(|o| o.preference == d.preference)
                .unwrap();
            assert_ne!(outcome.outcome, placewise::PreferenceDecision::Named);
            checked += 1;
        }
    }
    assert!(checked > 0, "no preferred setting that cannot deliver");
}

#[test]
fn a_placement_under_spp_places_children_only_where_their_package_is_delivered() {
    let session = Session::open(COUNTY.as_ref()).unwrap();
    let options = PlacementOptions::default().with_regime(Regime::Spp);
    let report = session.place(&options).unwrap();
    assert_eq!(report.regime, Regime::Spp);
    let query = ListQuery {
        options: ListOptions::new(10_000).unwrap(),
        regime: Regime::Spp,
        ..Default::default()
    };
    for p in report.placements.iter().take(200) {
        let list = session
            .list_with(&ChildId::from(p.child.as_str()), &query)
            .unwrap();
        assert!(
            list.entries.iter().any(|e| e.setting == p.setting),
            "{} placed at {}, which is not on its spp list",
            p.child,
            p.setting
        );
    }
    let today = session.place(&PlacementOptions::default()).unwrap();
    assert_eq!(today.regime, Regime::Cfa2014);
}

#[test]
fn place_and_explain_state_the_regime_in_json() {
    let o = run_ok("place", COUNTY, &["--regime", "spp", "--format", "json"]);
    assert_eq!(json(&o)["regime"], "spp");
    let o = run_ok(
        "explain",
        COUNTY,
        &[
            "--child",
            "C000002",
            "--setting",
            "990001",
            "--regime",
            "spp",
            "--format",
            "json",
        ],
    );
    let e = json(&o);
    assert_eq!(e["regime"], "spp");
    assert!(e["shortfalls"].is_array());
    let o = run_on("list", COUNTY, &["--child", "C000002", "--regime", "s39"]);
    let err = failed(&o, 2);
    assert!(err.contains("--regime"), "{err}");
}

#[test]
fn a_bad_packages_file_is_reported_where_it_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["rules", "export", dir.path().to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = dir.path().join("packages.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text
        .replacen("funding_band = \"E\"", "funding_band = \"Z\"", 1)
        .replacen(
            "group = \"adapted-curriculum\"",
            "group = \"adapted-curiculum\"",
            1,
        )
        .replacen("package = \"spp-1a\"", "package = \"spp-1x\"", 1)
        .replacen("staff_ratio = \"1:3\"", "staff_ratio = \"one to three\"", 1)
        .replacen("base = \"support-base\"", "base = \"suport-base\"", 1);
    std::fs::write(&file, broken).unwrap();
    let o = run(
        &[
            "check",
            "--area",
            COUNTY,
            "--rules",
            dir.path().to_str().unwrap(),
        ],
        &[],
    );
    let err = failed(&o, 1);
    for expected in [
        "no funding band `Z`",
        "no package group `adapted-curiculum`",
        "did you mean `adapted-curriculum`?",
        "no package `spp-1x`",
        "did you mean `spp-1a`?",
        "not a staff ratio",
        "unknown inclusion base `suport-base`",
        "did you mean `support-base`?",
        "packages.toml:",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
}

#[test]
fn an_unknown_package_in_an_area_file_is_located() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["area.toml", "settings.csv", "pools.csv", "children.csv"] {
        std::fs::copy(root().join(DEMO).join(f), dir.path().join(f)).unwrap();
    }
    let settings = std::fs::read_to_string(dir.path().join("settings.csv")).unwrap();
    let mut lines: Vec<String> = settings.lines().map(String::from).collect();
    lines[0].push_str(",packages");
    for (i, l) in lines.iter_mut().enumerate().skip(1) {
        l.push_str(if i == 2 { ",spp-2a;spp-9" } else { "," });
    }
    std::fs::write(dir.path().join("settings.csv"), lines.join("\n") + "\n").unwrap();
    let o = run_on("check", dir.path().to_str().unwrap(), &[]);
    let err = failed(&o, 1);
    assert!(
        err.contains("settings.csv") && err.contains("spp-9"),
        "{err}"
    );
    assert!(err.contains("packages"), "{err}");
}

#[test]
fn the_api_lists_and_explains_under_a_regime() {
    let s = serve_support::Server::start(&[]);
    let r = s.get("/api/v1/children/C000102/list?top=5&regime=spp");
    assert_eq!(r.status, 200, "{}", r.body);
    let list = r.json();
    assert_eq!(list["regime"], "spp");
    assert_eq!(list["package"]["packages"], serde_json::json!(["spp-1b"]));
    let o = run_ok(
        "list",
        COUNTY,
        &[
            "--child", "C000102", "--top", "5", "--regime", "spp", "--format", "json",
        ],
    );
    assert_eq!(list["entries"], json(&o)["entries"]);
    let r = s.get("/api/v1/children/C000102/list");
    assert_eq!(r.json()["regime"], "cfa2014");
    let r = s.get("/api/v1/children/C000102/explain/990025?regime=spp");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["regime"], "spp");
    assert!(!r.json()["shortfalls"].as_array().unwrap().is_empty());
    let r = s.get("/api/v1/children/C000102/list?regime=s39");
    assert_eq!(r.status, 400);
    assert_eq!(r.first_diagnostic("field"), "query.regime");
}

#[test]
fn resource_bases_and_units_are_shown_under_both_names_in_both_regimes() {
    for regime in ["cfa2014", "spp"] {
        let mut seen = std::collections::BTreeSet::new();
        for l in lists(regime) {
            for e in l["entries"].as_array().unwrap() {
                let base = match e["kind"].as_str().unwrap() {
                    "resourced-provision" => Some("support-base"),
                    "sen-unit" => Some("specialist-base"),
                    _ => None,
                };
                match base {
                    Some(b) => {
                        assert_eq!(e["inclusion_base"], b, "{regime} {}", e["setting"]);
                        seen.insert(b);
                    }
                    None => assert!(e.get("inclusion_base").is_none()),
                }
            }
        }
        assert_eq!(seen.len(), 2, "{regime}: {seen:?}");
    }
    let o = run_ok("list", COUNTY, &["--child", "C000003", "--top", "40"]);
    assert!(
        stdout(&o).contains("(support-base)") || stdout(&o).contains("(specialist-base)"),
        "{}",
        stdout(&o)
    );
}
