//! Real-area tests: Shropshire built from the shared England school extract and the DfE SEN2
//! figures in `../shared/data` (import + synth, into a temporary folder), then checked, listed
//! and placed with the real binary and the library. Skipped, with a message, when the shared
//! data is absent. Nothing from the shared data is written into the repository.

use placewise::model::{Area, Arrangement, Need, SettingKind};
use placewise::testing::engine::Engine;
use placewise::testing::io::load_area;
use placewise::testing::lists::{ListOptions, tailored_list};
use placewise::testing::synth::{self, BuildOptions, BuiltArea, write};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::{failed, json, rules_dir, run, run_ok, shared_data, stdout, succeeded};

const LA: &str = "Shropshire";
const SEED: u64 = 1;

const GIAS: &str = "gias/england_open_schools_2026.csv";

/// The shared data folder, or `None` (with the skip message printed) when it is absent.
fn data() -> Option<PathBuf> {
    shared_data(&[GIAS, "stats/ehcp_primary_need_by_placement_jan2025.csv"])
}

fn gias(data: &Path) -> PathBuf {
    data.join(GIAS)
}

fn stats(data: &Path) -> PathBuf {
    data.join("stats")
}

/// Shropshire, built in memory with the library.
fn build(data: &Path, seed: u64) -> BuiltArea {
    let options = BuildOptions {
        seed,
        ..BuildOptions::default()
    };
    synth::build_area(&gias(data), Some(&stats(data)), &[LA.to_string()], &options)
        .unwrap_or_else(|d| panic!("Shropshire builds: {:?}", d.diagnostics))
}

/// Shropshire written to a temporary folder, and read back.
fn built_area(data: &Path) -> (tempfile::TempDir, PathBuf, BuiltArea, Area) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path().join("shropshire");
    let built = build(data, SEED);
    write::write_area(&dir, &built.files()).expect("area written");
    let loaded = load_area(&dir, &rules_dir()).unwrap_or_else(|d| panic!("{:?}", d.diagnostics));
    (tmp, dir, built, loaded.area)
}

#[test]
fn shropshire_builds_checks_and_reads_back_as_written() {
    let Some(data) = data() else { return };
    let (_tmp, dir, built, area) = built_area(&data);
    // The round trip: what was written is what `load_area` reads.
    let mut settings = built.provision.settings.clone();
    settings.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(area.settings, settings);
    let mut children = built.cohort.children.clone();
    children.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(area.children.len(), children.len());
    assert!(area.children == children, "children read back differ");
    // Every kind the issue names is there: special schools, resource bases, independent
    // specialists, colleges, and other authorities' special schools within reach.
    let kinds: Vec<SettingKind> = area.settings.iter().map(|s| s.kind).collect();
    for k in [
        SettingKind::Mainstream,
        SettingKind::ResourcedProvision,
        SettingKind::SpecialAcademy,
        SettingKind::SpecialIndependent,
        SettingKind::FurtherEducation,
        SettingKind::AlternativeProvision,
    ] {
        assert!(kinds.contains(&k), "no {k:?}");
    }
    assert!(
        area.settings
            .iter()
            .any(|s| s.local_authority == "Telford and Wrekin" && s.kind != SettingKind::Mainstream),
        "neighbouring special schools within reach are included"
    );
    assert!(built.assumptions().next().is_some());

    let o = run_ok("check", dir.to_str().unwrap(), &[]);
    assert!(stdout(&o).starts_with("ok: Shropshire"), "{}", stdout(&o));
    blind_round_keeps_the_published_mix(&data, &dir, LA);
}

/// The synthesised mix of plans is the published one, group by group; a blind round (default
/// options) keeps every group within 3 points of it.
fn blind_round_keeps_the_published_mix(data: &Path, dir: &Path, la: &str) {
    let stats = stats(data);
    let compare = [
        "--stats",
        stats.to_str().unwrap(),
        "--la",
        la,
        "--format",
        "json",
    ];
    let checked = json(&run_ok("check", dir.to_str().unwrap(), &compare));
    assert_eq!(checked["mix"], checked["published_mix"]["mix"], "{la}");
    let placed = json(&run_ok("place", dir.to_str().unwrap(), &compare));
    let share = |m: &serde_json::Value, g: &str| {
        let total: f64 = m
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        100.0 * m[g].as_f64().unwrap() / total
    };
    for g in placewise::testing::placement::Mix::GROUPS {
        let (after, published) = (
            share(&placed["mix"], g),
            share(&placed["published_mix"]["mix"], g),
        );
        assert!(
            (after - published).abs() <= 3.0,
            "{la} {g}: {after:.1}% after against {published:.1}%"
        );
    }
}

#[test]
fn camden_s_blind_round_keeps_the_published_mix() {
    // Camden is where a round that weighs preferences only by score drifted furthest (state
    // special +4.2 points): the default round grants the parents' named settings first.
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path().join("camden");
    let options = BuildOptions {
        seed: SEED,
        ..BuildOptions::default()
    };
    let built = synth::build_area(
        &gias(&data),
        Some(&stats(&data)),
        &["Camden".to_string()],
        &options,
    )
    .unwrap_or_else(|d| panic!("Camden builds: {:?}", d.diagnostics));
    write::write_area(&dir, &built.files()).expect("area written");
    blind_round_keeps_the_published_mix(&data, &dir, "Camden");
}

#[test]
fn the_one_command_build_is_the_library_build_and_is_deterministic() {
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("temporary folder");
    let by_cli = tmp.path().join("cli");
    let o = succeeded(run(
        &[
            "synth",
            "--gias",
            gias(&data).to_str().unwrap(),
            "--stats",
            stats(&data).to_str().unwrap(),
            "--la",
            LA,
            "--year",
            "2025",
            "--seed",
            "1",
            "--area",
            by_cli.to_str().unwrap(),
        ],
        &[],
    ));
    let out = stdout(&o);
    assert!(
        out.contains("[resource-bases] Shropshire"),
        "assumptions are printed:\n{out}"
    );
    let by_lib = tmp.path().join("lib");
    write::write_area(&by_lib, &build(&data, SEED).files()).expect("written");
    for f in ["settings.csv", "pools.csv", "children.csv", "census.csv"] {
        let a = std::fs::read(by_cli.join(f)).unwrap();
        let b = std::fs::read(by_lib.join(f)).unwrap();
        assert!(a == b, "{f} differs between the CLI and the library");
    }
    // Import, then synth into the imported area: the same children.
    let two_step = tmp.path().join("two-step");
    succeeded(run(
        &[
            "import",
            "schools",
            gias(&data).to_str().unwrap(),
            "--la",
            LA,
            "--stats",
            stats(&data).to_str().unwrap(),
            "--out",
            two_step.to_str().unwrap(),
        ],
        &[],
    ));
    run_ok(
        "synth",
        two_step.to_str().unwrap(),
        &[
            "--la",
            LA,
            "--stats",
            stats(&data).to_str().unwrap(),
            "--seed",
            "1",
        ],
    );
    assert!(
        std::fs::read(two_step.join("children.csv")).unwrap()
            == std::fs::read(by_lib.join("children.csv")).unwrap(),
        "import + synth gives the one-command children"
    );
    // Another seed, other children.
    let other = build(&data, 2);
    let again = build(&data, SEED);
    assert!(other.cohort.children != again.cohort.children);
}

/// The published SEN2 plans of Shropshire by (placement group, need), read straight from the
/// CSV, and the total.
fn published(data: &Path) -> (BTreeMap<(String, String), f64>, f64) {
    let mut r =
        csv::Reader::from_path(stats(data).join("ehcp_primary_need_by_placement_jan2025.csv"))
            .expect("SEN2 file");
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let needs = [
        "spld", "mld", "sld", "pmld", "semh", "slcn", "hi", "vi", "msi", "pd", "asd", "oth",
    ];
    let mut out = BTreeMap::new();
    let mut total = 0.0;
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[col("la_name")].trim() != LA
            || rec[col("breakdown_topic")].trim() != "Type of placement"
            || rec[col("time_period")].trim() != "202425"
        {
            continue;
        }
        let Some(group) = group_of_breakdown(rec[col("breakdown")].trim()) else {
            continue;
        };
        total += rec[col("ehc_plans")].parse::<f64>().unwrap();
        for n in needs {
            let v: f64 = rec[col(&format!("number_{n}"))].parse().unwrap_or(0.0);
            *out.entry((group.to_string(), n.to_ascii_uppercase()))
                .or_insert(0.0) += v;
        }
    }
    (out, total)
}

/// The test's own grouping of SEN2 placement types (an oracle independent of the synthesiser's).
fn group_of_breakdown(b: &str) -> Option<&'static str> {
    if b.contains("total") {
        return None;
    }
    Some(match b {
        _ if b.starts_with("Mainstream") => {
            if b.contains("(resourced provision)") {
                "resourced-provision"
            } else if b.contains("(SEN unit)") {
                "sen-unit"
            } else if b.contains("independent") {
                "independent-mainstream"
            } else {
                "mainstream"
            }
        }
        "Special - LA maintained" => "special-maintained",
        "Special - Academy/free schools" => "special-academy",
        "Special - independent" => "special-independent",
        "Special - non-maintained" => "special-non-maintained",
        _ if b.starts_with("AP/PRU") => "alternative-provision",
        _ if b.starts_with("FE - specialist") => "specialist-college",
        _ if b.starts_with("FE") => "further-education",
        _ => "not-in-a-setting",
    })
}

#[test]
fn need_by_placement_shares_match_shropshires_published_figures() {
    let Some(data) = data() else { return };
    let (_tmp, _dir, _built, area) = built_area(&data);
    let (published, total) = published(&data);
    // The synthesised cohort, grouped by the kind of each child's current setting.
    let mut cohort: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut n = 0.0;
    for c in area.children.iter().filter(|c| c.plan_level == "ehcp") {
        let group = match &c.current_setting {
            None => "not-in-a-setting".to_string(),
            Some(id) => {
                let s = &area.settings[area.setting_index(id.as_str()).unwrap()];
                match s.kind {
                    SettingKind::FurtherEducation if s.annual_fee.is_some() => {
                        "specialist-college".to_string()
                    }
                    k => k.key().to_string(),
                }
            }
        };
        *cohort
            .entry((group, c.primary_need.code().to_string()))
            .or_insert(0.0) += 1.0;
        n += 1.0;
    }
    assert_eq!(n, total, "as many plans as published");
    let mut worst = (0.0f64, String::new());
    for key in published.keys().chain(cohort.keys()) {
        let p = published.get(key).copied().unwrap_or(0.0) / total * 100.0;
        let c = cohort.get(key).copied().unwrap_or(0.0) / n * 100.0;
        if (p - c).abs() > worst.0 {
            worst = (
                (p - c).abs(),
                format!("{key:?}: published {p:.2}%, synthesised {c:.2}%"),
            );
        }
    }
    eprintln!(
        "Shropshire need × placement: max deviation {:.3} percentage points ({})",
        worst.0, worst.1
    );
    assert!(
        worst.0 < 2.0,
        "share off by more than 2 points: {}",
        worst.1
    );
}

fn lists_for(
    area: &Area,
    pick: impl Fn(&placewise::model::NeedProfile) -> bool,
) -> Vec<placewise::testing::lists::TailoredList> {
    let loaded = load_area_rules();
    let engine = Engine::new(&loaded, area);
    area.children
        .iter()
        .enumerate()
        .filter(|(_, c)| pick(c))
        .map(|(i, _)| tailored_list(&engine, i, ListOptions::new(5).unwrap()))
        .collect()
}

fn load_area_rules() -> placewise::testing::rules::CompiledRules {
    placewise::testing::rules::CompiledRules::new(
        placewise::testing::rules::load_rule_dirs(&[rules_dir().as_path()]).expect("shipped rules"),
    )
}

#[test]
fn a_secondary_age_child_with_pmld_is_never_offered_a_mainstream_primary() {
    let Some(data) = data() else { return };
    let (_tmp, dir, _built, area) = built_area(&data);
    let pmld_secondary = |c: &placewise::model::NeedProfile| {
        c.primary_need == placewise::model::Need::Pmld && (7..=11).contains(&c.year.0)
    };
    let lists = lists_for(&area, pmld_secondary);
    assert!(
        !lists.is_empty(),
        "Shropshire has secondary-age children with PMLD"
    );
    for l in &lists {
        assert!(!l.entries.is_empty(), "{} has suitable settings", l.child);
        for e in &l.entries {
            let s = &area.settings[area.setting_index(&e.setting).unwrap()];
            assert!(
                !(s.kind.is_mainstream() || s.kind == SettingKind::IndependentMainstream),
                "{} offered {} ({})",
                l.child,
                e.setting,
                e.kind.key()
            );
            assert!(
                s.last_year.0 >= 7,
                "{} offered primary-only {}",
                l.child,
                e.setting
            );
        }
        assert!(
            l.preferences.iter().all(|p| p.outcome
                != placewise::testing::lists::PreferenceDecision::Named
                || !area.settings[area.setting_index(&p.setting).unwrap()]
                    .kind
                    .is_mainstream()),
            "{}: a mainstream preference is never named",
            l.child
        );
    }
    // The same through the binary, for one of them.
    let child = &lists[0].child;
    let o = run_ok(
        "list",
        dir.to_str().unwrap(),
        &["--child", child, "--format", "json"],
    );
    let v = json(&o);
    for e in v["entries"].as_array().unwrap() {
        assert!(e["kind"].as_str().unwrap().starts_with("special"), "{e}");
    }
}

/// Journey bounds for a rural county, justified:
/// - homes are drawn near schools, and most children's first listed setting is their current
///   or preferred one, so the median journey to it is short: at least 2 minutes (children do
///   not all live next door) and at most 20 minutes (Shropshire's market towns are 10–20 km
///   apart; 20 minutes is 7.7 km in a straight line at 30 km/h with road factor 1.3);
/// - the 90th percentile stays within 75 minutes, the secondary-age journey guidance, which
///   special-school journeys in a large rural county approach but should not pass at that
///   percentile.
const MEDIAN_MINUTES: (f64, f64) = (2.0, 20.0);
const P90_MAX_MINUTES: f64 = 75.0;

#[test]
fn travel_times_are_plausible_for_a_rural_county() {
    let Some(data) = data() else { return };
    let (_tmp, dir, _built, area) = built_area(&data);
    let lists = lists_for(&area, |c| c.plan_level == "ehcp");
    let mut minutes: Vec<f64> = lists
        .iter()
        .filter_map(|l| l.entries.first().map(|e| e.journey.minutes))
        .collect();
    assert!(
        minutes.len() * 10 >= lists.len() * 9,
        "most children have a suitable setting"
    );
    minutes.sort_by(f64::total_cmp);
    let q = |p: f64| minutes[((minutes.len() - 1) as f64 * p) as usize];
    let (median, p90) = (q(0.5), q(0.9));
    let beyond = lists
        .iter()
        .filter(|l| {
            l.entries
                .first()
                .is_some_and(|e| e.journey.exceeds_guidance())
        })
        .count();
    eprintln!(
        "Shropshire journeys to the first listed setting ({} children): median {median:.1} min, 90th percentile {p90:.1} min, {beyond} beyond guidance",
        minutes.len()
    );
    assert!(
        (MEDIAN_MINUTES.0..=MEDIAN_MINUTES.1).contains(&median),
        "median journey {median:.1} min"
    );
    assert!(
        p90 <= P90_MAX_MINUTES,
        "90th percentile journey {p90:.1} min"
    );

    // The area-wide placement runs on it too.
    let o = run_ok("place", dir.to_str().unwrap(), &[]);
    assert!(stdout(&o).contains("children"), "{}", stdout(&o));
}

#[test]
fn bad_rows_in_a_real_school_file_are_located_and_nothing_is_written() {
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("temporary folder");
    // Shropshire's rows of the shared file, two of them spoilt (in the temporary folder only).
    let whole = std::fs::read_to_string(gias(&data)).unwrap();
    let mut lines: Vec<String> = whole
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.contains(",Shropshire,"))
        .map(|(_, l)| l.to_string())
        .collect();
    lines[2] = lines[2].replacen(',', "x,", 1); // a URN with a letter in it
    // Rows whose fields have no quoted commas, so a plain split finds the columns.
    let plain = (3..lines.len()).find(|&i| !lines[i].contains('"')).unwrap();
    let mut spoilt: Vec<String> = lines[plain].split(',').map(str::to_string).collect();
    let easting = whole
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "easting")
        .unwrap();
    spoilt[easting] = "far".into();
    lines[plain] = spoilt.join(",");
    let file = tmp.path().join("schools.csv");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("area");
    let o = run(
        &[
            "import",
            "schools",
            file.to_str().unwrap(),
            "--la",
            LA,
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let err = failed(&o, 1);
    assert!(err.contains("row 3, column urn"), "{err}");
    assert!(
        err.contains(&format!("row {}, column easting", plain + 1)),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
}

/// True when `name` names exactly one sense impairment (deafness or blindness), by its own
/// words: written out here, independently of the synthesiser's reading of names.
fn names_one_sense_impairment(name: &str) -> bool {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let hearing = words.iter().any(|w| ["deaf", "hearing"].contains(w));
    let sight = words
        .iter()
        .any(|w| ["blind", "visual", "visually", "sight"].contains(w));
    hearing != sight
}

#[test]
fn no_school_named_for_one_sense_impairment_is_designated_for_asd_mld_or_semh() {
    let Some(data) = data() else { return };
    let file = synth::gias::read_schools(&gias(&data)).expect("the school file reads");
    let release = synth::read_sen2(&stats(&data), 2025).expect("the SEN2 release reads");
    let mut las: Vec<String> = file.schools.iter().map(|s| s.la_name.clone()).collect();
    las.sort();
    las.dedup();
    let provision = synth::synthesise_provision(
        &file.schools,
        &las,
        synth::FigureSource::Release(&release),
        &synth::ProvisionOptions {
            seed: SEED,
            reach_m: BuildOptions::default().reach_m,
            include: Default::default(),
        },
    );
    let from_file: BTreeMap<String, placewise::model::NeedSet> = file
        .schools
        .iter()
        .filter_map(|s| s.designations.map(|d| (s.urn.to_string(), d)))
        .collect();
    let mut named = 0;
    for s in &provision.settings {
        if !names_one_sense_impairment(&s.name) || s.designations.is_empty() {
            continue;
        }
        named += 1;
        let said = from_file.get(&s.id.0).copied().unwrap_or_default();
        for need in [Need::Asd, Need::Mld, Need::Semh] {
            assert!(
                !s.designations.contains(need) || said.contains(need),
                "{} {} is designated for {need} ({}) without the file saying so",
                s.id.0,
                s.name,
                s.designations.joined()
            );
        }
    }
    assert!(named > 0, "no designated setting names a sense impairment");
}

#[test]
fn children_educated_elsewhere_carry_their_arrangement_in_the_published_numbers() {
    let Some(data) = data() else { return };
    let built = build(&data, SEED);
    let release = synth::read_sen2(&stats(&data), 2025).expect("the SEN2 release reads");
    let figures = release.find(LA).expect("Shropshire's figures");
    let elsewhere: u64 = [
        synth::Placement::EarlyYears,
        synth::Placement::NotInEducation,
        synth::Placement::ElectiveHome,
        synth::Placement::ElsewhereOther,
        synth::Placement::NotRecorded,
    ]
    .iter()
    .map(|p| figures.table.placement_total(*p))
    .sum();
    let children = &built.cohort.children;
    let with: Vec<_> = children
        .iter()
        .filter(|c| c.arrangement.is_some())
        .collect();
    assert_eq!(with.len() as u64, elsewhere);
    assert!(with.iter().all(|c| c.current_setting.is_none()));
    // NEET is for young people of 16 and over (year 12 on).
    assert!(
        with.iter()
            .all(|c| c.arrangement != Some(Arrangement::Neet) || c.year.0 >= 12)
    );
    let ehe = with
        .iter()
        .filter(|c| c.arrangement == Some(Arrangement::Ehe))
        .count();
    assert!(ehe > 0, "some children are home educated");
}
