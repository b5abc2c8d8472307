//! Inclusion bases as pool kinds and "an inclusion base in every secondary school" on the demo
//! county: `pools.csv` carries the kind (optional: an area without it loads, the rules map
//! today's kinds), a bad kind is located, a declared kind wins over the rules' mapping in lists,
//! the SCAP output names the base beside SCAP's category, and the shipped scenario opens one
//! base in each secondary school without one, with its places and cost.

mod common;
use common::*;
use placewise::model::{InclusionBase, SettingKind, YearGroup};
use placewise::testing::plan::{Growth, PlanOptions, PlanResults, Scenario, load_scenarios};

const COUNTY: &str = "fixtures/wyvernshire";

fn plan(w: &placewise::testing::io::LoadedArea, scenarios: &[Scenario], years: u32) -> PlanResults {
    let options = PlanOptions::new(years, 1, 3, Growth::default());
    plan_all(&w.area, &w.rules.rules, 2025, scenarios, &options)
}

#[test]
fn the_demo_countys_pools_carry_their_inclusion_base() {
    let w = load_fixture("wyvernshire");
    let mut seen = [0usize; 2];
    for s in &w.area.settings {
        for p in &s.pools {
            let expected = match s.kind {
                SettingKind::ResourcedProvision => Some(InclusionBase::SupportBase),
                SettingKind::SenUnit => Some(InclusionBase::SpecialistBase),
                _ => None,
            };
            assert_eq!(p.inclusion_base, expected, "{} {}", s.id, p.id);
            if let Some(b) = expected {
                seen[b as usize] += 1;
            }
        }
    }
    assert_eq!(seen, [6, 4]);
    // The small demo area has no such column: its pools declare nothing and load.
    let demo = load_fixture("demo");
    assert!(
        demo.area
            .settings
            .iter()
            .flat_map(|s| &s.pools)
            .all(|p| p.inclusion_base.is_none())
    );
}

/// The demo area's files in a temporary folder, with `pools.csv` given an `inclusion_base`
/// column: `cell(setting, pool)` for each row.
fn demo_with_bases(cell: impl Fn(&str, &str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["area.toml", "settings.csv", "pools.csv", "children.csv"] {
        std::fs::copy(root().join(DEMO).join(f), dir.path().join(f)).unwrap();
    }
    let pools = std::fs::read_to_string(dir.path().join("pools.csv")).unwrap();
    let mut lines: Vec<String> = pools.lines().map(String::from).collect();
    lines[0].push_str(",inclusion_base");
    for l in lines.iter_mut().skip(1) {
        let mut f = l.split(',');
        let (s, p) = (f.next().unwrap().to_string(), f.next().unwrap().to_string());
        l.push(',');
        l.push_str(&cell(&s, &p));
    }
    std::fs::write(dir.path().join("pools.csv"), lines.join("\n") + "\n").unwrap();
    dir
}

#[test]
fn a_bad_inclusion_base_in_pools_csv_is_located() {
    let dir = demo_with_bases(|s, _| {
        if s == "900101-RP" {
            "specialist".into()
        } else {
            String::new()
        }
    });
    let o = run_on("check", dir.path().to_str().unwrap(), &[]);
    let err = failed(&o, 1);
    assert!(
        err.contains("pools.csv") && err.contains("inclusion_base"),
        "{err}"
    );
    assert!(
        err.contains("specialist") && err.contains("support-base or specialist-base"),
        "{err}"
    );
    // The row of 900101-RP (the second data row, line 3).
    assert!(err.contains(":3:") || err.contains("row 3"), "{err}");
}

#[test]
fn a_declared_base_is_shown_instead_of_the_rules_mapping() {
    // 900101-RP is resourced provision (a support base by the rules); declared a specialist base.
    let dir = demo_with_bases(|s, _| {
        if s == "900101-RP" {
            "specialist-base".into()
        } else {
            String::new()
        }
    });
    let o = run_ok(
        "list",
        dir.path().to_str().unwrap(),
        &["--child", "C0001", "--format", "json"],
    );
    let list = json(&o);
    let entry = list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["setting"] == "900101-RP")
        .expect("the base is listed");
    assert_eq!(entry["kind"], "resourced-provision");
    assert_eq!(entry["inclusion_base"], "specialist-base");
}

/// Secondary schools of the county (mainstream, serving years 7 to 11) that host no resourced
/// provision or SEN unit, by id: worked out here from the settings alone.
fn secondary_schools_without_a_base(w: &placewise::testing::io::LoadedArea) -> Vec<String> {
    let settings = &w.area.settings;
    settings
        .iter()
        .filter(|s| s.kind == SettingKind::Mainstream)
        .filter(|s| s.local_authority.is_empty() || s.local_authority == "Wyvernshire")
        .filter(|s| s.first_year <= YearGroup(7) && s.last_year >= YearGroup(11))
        .filter(|s| {
            !settings.iter().any(|b| {
                b.host.as_ref() == Some(&s.id)
                    && matches!(
                        b.kind,
                        SettingKind::ResourcedProvision | SettingKind::SenUnit
                    )
            })
        })
        .map(|s| s.id.0.clone())
        .collect()
}

#[test]
fn the_shipped_scenario_opens_a_base_in_every_secondary_school_without_one() {
    let w = load_fixture("wyvernshire");
    let path = root().join("fixtures/wyvernshire/scenarios/reform.toml");
    let scenarios = load_scenarios(&w, &path).unwrap();
    let scenario = scenarios
        .iter()
        .find(|s| s.name == "inclusion-base-every-secondary")
        .unwrap();
    let p = scenario.base_in_every_secondary().next().unwrap();
    assert_eq!(
        (p.from, p.places, p.base),
        (2028, 20, InclusionBase::SpecialistBase)
    );
    let expected = secondary_schools_without_a_base(&w);
    assert!(expected.len() >= 5, "{expected:?}");
    let r = plan(&w, &[Scenario::baseline(), scenario.clone()], 4);
    let added = &r.scenarios[1].inclusion_bases;
    let hosts: Vec<&str> = added.iter().map(|b| b.host.as_str()).collect();
    assert_eq!(hosts, expected);
    let places = 20 * expected.len();
    let cost = places as f64 * 6_000.0;
    for b in added {
        assert_eq!((b.places, b.from, b.pounds_per_place), (20, 2028, 6_000));
        assert_eq!(b.base, "specialist-base");
        assert_eq!(b.setting, format!("{}-IB", b.host));
    }
    for (base, with) in r.scenarios[0].years.iter().zip(&r.scenarios[1].years) {
        if with.year < 2028 {
            assert_eq!(base.metrics, with.metrics, "{}", with.year);
            continue;
        }
        assert_eq!(with.metrics["inclusion-bases.places"].p50, places as f64);
        assert_eq!(with.metrics["cost.inclusion-bases"].p50, cost);
        assert!(!base.metrics.contains_key("inclusion-bases.places"));
    }
    // The summary says where, how many places and the cost.
    let text = placewise::render::plan::summary_text(&r);
    let line = text
        .lines()
        .find(|l| l.contains("inclusion bases:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains(&format!(
            "{} specialist-bases ({places} places)",
            expected.len()
        )),
        "{line}"
    );
    assert!(
        line.contains("£6,000 a place") && line.contains(&expected[0]),
        "{line}"
    );
    // The new bases are SEN units to SCAP, shown as specialist bases; children are placed there.
    let scap = placewise::render::plan::scap::scap_csv(&r);
    assert!(
        scap.starts_with("scenario,academic_year,phase,provision,inclusion_base,"),
        "{scap}"
    );
    let rows: Vec<Vec<&str>> = scap
        .lines()
        .filter(|l| l.starts_with("inclusion-base-every-secondary,2028/29,"))
        .map(|l| l.split(',').collect())
        .filter(|f: &Vec<&str>| f[3] == "sen-unit")
        .collect();
    assert!(rows.iter().any(|f| f[2] == "secondary"), "{scap}");
    // The bases' places, shared over the phases of the years they serve, are among the own
    // places of SEN units (specialist bases) in 2028.
    let own: f64 = rows.iter().map(|f| f[10].parse::<f64>().unwrap()).sum();
    assert!(own >= places as f64, "{own} {scap}");
    for f in &rows {
        assert_eq!(f[4], "specialist-base", "{f:?}");
    }
    println!("{line}");
}

#[test]
fn scap_rows_name_the_inclusion_base_beside_the_category() {
    let w = load_fixture("wyvernshire");
    let r = plan(&w, &[Scenario::baseline()], 1);
    let scap = placewise::render::plan::scap::scap_csv(&r);
    let mut seen = std::collections::BTreeSet::new();
    for l in scap.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let want = match f[3] {
            "sen-unit" => "specialist-base",
            "resourced-provision" => "support-base",
            _ => "",
        };
        assert_eq!(f[4], want, "{l}");
        seen.insert(f[3]);
    }
    assert!(
        seen.contains("sen-unit") && seen.contains("resourced-provision"),
        "{seen:?}"
    );
}

#[test]
fn a_bad_base_programme_is_located() {
    let w = load_fixture("wyvernshire");
    let text = scenario_file_errors(
        "[[scenario]]\nname = \"x\"\n[[scenario.change]]\naction = \"inclusion-base-in-every-secondary\"\nfrom = 2028\nplaces = 0\nbase = \"specialist\"\n",
        &w.area.settings,
    );
    assert!(
        text.iter()
            .any(|t| t.contains(":6:10:") && t.contains("places")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains(":7:8:") && t.contains("specialist-base")),
        "{text:#?}"
    );
    assert!(text.iter().any(|t| t.contains("designations")), "{text:#?}");
    // The county's plan file reads it, and `plan` runs it.
    let out = tempfile::tempdir().unwrap();
    let o = run_on(
        "plan",
        COUNTY,
        &[
            "--scenarios",
            "fixtures/wyvernshire/scenarios/reform.toml",
            "--years",
            "1",
            "--draws",
            "1",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
