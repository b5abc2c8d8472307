//! Children educated elsewhere stay elsewhere unless they ask for a place; the journey ceiling
//! leaves out far day placements but not residential ones, and says what it removed; the mix
//! of plans after a round; the `arrangement` column of `children.csv`, read and refused.

mod common;
use common::*;
use placewise::model::*;
use placewise::testing::engine::Engine;
use placewise::testing::lists::{ListOptions, tailored_list};
use placewise::testing::placement::{Mix, PlacementOptions, place};
use placewise::testing::rules::CompiledRules;
use placewise::testkit::{plain_child, plain_setting};

/// A mainstream primary at `e` km east (on one line of latitude), 30 places, 10 on roll.
fn school(id: &str, e_km: f64, features: &[&str]) -> Setting {
    Setting {
        last_year: YearGroup(6),
        location: GridRef {
            easting: 300_000.0 + e_km * 1000.0,
            northing: 300_000.0,
        },
        features: features.iter().map(|f| f.to_string()).collect(),
        pools: vec![PlacePool {
            id: PoolId::from("main"),
            first_year: YearGroup(0),
            last_year: YearGroup(6),
            capacity: 30,
            on_roll: 10,
            inclusion_base: None,
        }],
        ..plain_setting(id, SettingKind::Mainstream)
    }
}

/// A year-3 child with an EHC plan and no setting, at home at `e` km east.
fn child(id: &str, e_km: f64) -> NeedProfile {
    NeedProfile {
        year: YearGroup(3),
        home: GridRef {
            easting: 300_000.0 + e_km * 1000.0,
            northing: 300_000.0,
        },
        intensity: Intensity([1, 1, 0, 0]),
        ..plain_child(id)
    }
}

#[test]
fn a_child_with_an_arrangement_stays_out_of_the_round_unless_asking_for_a_place() {
    let rules = CompiledRules::new(england());
    let home_educated = NeedProfile {
        arrangement: Some(Arrangement::Ehe),
        ..child("C1", 0.0)
    };
    let asking = NeedProfile {
        arrangement: Some(Arrangement::Ola),
        needs_place: true,
        ..child("C2", 0.0)
    };
    let no_setting = child("C3", 0.0);
    let a = area_of(
        vec![school("S1", 1.0, &[])],
        vec![home_educated, asking, no_setting],
    );
    let report = place(&Engine::new(&rules, &a), &PlacementOptions::default()).unwrap();
    let placed: Vec<&str> = report.placements.iter().map(|p| p.child.as_str()).collect();
    assert_eq!(placed, ["C2", "C3"]);
    assert_eq!(report.totals.keeping_place, 1);
    assert_eq!(
        report.mix,
        Mix {
            mainstream: 2,
            elsewhere: 1,
            ..Mix::default()
        }
    );
}

#[test]
fn the_ceiling_leaves_out_far_day_placements_names_what_it_removed_and_spares_boarding() {
    let rules = CompiledRules::new(england());
    // 80 km in a straight line is about 2 hours: beyond the 90-minute ceiling.
    let far = area_of(vec![school("FAR", 80.0, &[])], vec![child("C1", 0.0)]);
    let engine = Engine::new(&rules, &far);
    let list = tailored_list(&engine, 0, ListOptions::default());
    assert!(list.entries.is_empty());
    let removed = list
        .beyond_ceiling
        .expect("the list names what the ceiling removed");
    assert_eq!(
        (
            removed.setting.as_str(),
            removed.rule.as_str(),
            removed.removed
        ),
        ("FAR", "H-JOURNEY-CEILING", 1)
    );
    assert!(removed.journey.minutes > 90.0);
    let report = place(&engine, &PlacementOptions::default()).unwrap();
    assert_eq!(report.unplaced.len(), 1);
    let reason = &report.unplaced[0].reason;
    assert!(
        reason.starts_with("needs provision") && reason.contains("FAR"),
        "{reason}"
    );

    // The same setting with boarding places takes the child, as a residential placement.
    let boarding = area_of(
        vec![school("FAR", 80.0, &["residential"])],
        vec![child("C1", 0.0)],
    );
    let engine = Engine::new(&rules, &boarding);
    let list = tailored_list(&engine, 0, ListOptions::default());
    assert!(list.beyond_ceiling.is_none());
    assert!(list.entries[0].residential);
    let report = place(&engine, &PlacementOptions::default()).unwrap();
    assert!(report.placements[0].residential);

    // A near day school is listed and not residential; the far one is still named.
    let both = area_of(
        vec![school("FAR", 80.0, &[]), school("NEAR", 2.0, &[])],
        vec![child("C1", 0.0)],
    );
    let engine = Engine::new(&rules, &both);
    let list = tailored_list(&engine, 0, ListOptions::default());
    assert_eq!(list.entries.len(), 1);
    assert!(!list.entries[0].residential);
    assert_eq!(list.beyond_ceiling.map(|b| b.setting), Some("FAR".into()));
}

/// The demo area with `children.csv` given `arrangement` column values for its first two
/// children, loaded.
fn demo_with_arrangements(
    first: &str,
    second: &str,
) -> Result<placewise::testing::io::LoadedArea, placewise::diag::Diagnostics> {
    let dir = tempfile::tempdir().unwrap();
    for f in ["area.toml", "settings.csv", "pools.csv"] {
        std::fs::copy(demo().join(f), dir.path().join(f)).unwrap();
    }
    let text = std::fs::read_to_string(demo().join("children.csv")).unwrap();
    let rows: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},arrangement"),
            1 => format!("{line},{first}"),
            2 => format!("{line},{second}"),
            _ => format!("{line},"),
        })
        .collect();
    std::fs::write(dir.path().join("children.csv"), rows.join("\n") + "\n").unwrap();
    placewise::testing::io::load_area(dir.path(), &rules_dir())
}

#[test]
fn the_arrangement_column_is_read_and_bad_values_are_located() {
    // C0001 has no current setting; C0002 is at a special school.
    let loaded = demo_with_arrangements("neet", "").expect("a known code loads, in any case");
    assert_eq!(loaded.area.children[0].arrangement, Some(Arrangement::Neet));
    assert_eq!(loaded.area.children[1].arrangement, None);

    let d = demo_with_arrangements("EHX", "").expect_err("an unknown code is refused");
    let e = &d.diagnostics[0];
    assert_eq!(e.field, "arrangement");
    assert!(matches!(
        &e.location,
        placewise::diag::Location::Row { row: 2, .. }
    ));
    assert!(
        e.help.as_deref().unwrap_or_default().contains("EHE"),
        "{e:?}"
    );

    let d = demo_with_arrangements("", "EHE").expect_err("a child at a school has no arrangement");
    let e = &d.diagnostics[0];
    assert_eq!(e.field, "arrangement");
    assert!(matches!(
        &e.location,
        placewise::diag::Location::Row { row: 3, .. }
    ));
}
