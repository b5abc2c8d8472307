//! The journey model (`Travel::minutes` and its inverse) and how `[travel]` speeds and
//! `journey-ceiling` rules are read.

use super::{HardTest, RuleSet, RuleSource, SpeedBand, Travel};
use crate::diag::Diagnostics;

fn banded() -> Travel {
    Travel {
        speed_bands: vec![
            SpeedBand {
                up_to_km: Some(5.0),
                kmh: 20.0,
            },
            SpeedBand {
                up_to_km: Some(25.0),
                kmh: 37.5,
            },
            SpeedBand {
                up_to_km: None,
                kmh: 65.0,
            },
        ],
        ..Travel::flat(1.3, 30.0, [45.0, 75.0, 75.0])
    }
}

#[test]
fn a_flat_speed_is_the_old_straight_line_model() {
    let t = Travel::flat(1.3, 30.0, [45.0, 75.0, 75.0]);
    for m in [0.0, 1_000.0, 28_846.0, 100_000.0] {
        let old = m * 1.3 / 1000.0 / 30.0 * 60.0;
        assert!((t.minutes(m) - old).abs() < 1e-9, "{m}");
    }
}

#[test]
fn banded_speeds_rise_with_distance_and_are_driven_stretch_by_stretch() {
    let t = banded();
    // 10 km straight = 13 km of road: 5 km at 20 km/h (15 min) + 8 km at 37.5 (12.8 min).
    assert!((t.minutes(10_000.0) - 27.8).abs() < 1e-9);
    // 100 km straight = 130 km: 15 + 32 + 105 km at 65 km/h.
    assert!((t.minutes(100_000.0) - (15.0 + 32.0 + 105.0 / 65.0 * 60.0)).abs() < 1e-9);
    // The average speed rises, and the minutes never fall, with distance.
    let mut last = (0.0, 0.0);
    for km in 1..300 {
        let m = f64::from(km) * 1000.0;
        let minutes = t.minutes(m);
        let speed = m * 1.3 / 1000.0 / (minutes / 60.0);
        assert!(minutes > last.0 && speed >= last.1 - 1e-9, "{km} km");
        last = (minutes, speed);
    }
}

#[test]
fn the_distance_within_a_time_is_the_inverse_of_the_minutes() {
    for t in [banded(), Travel::flat(1.3, 30.0, [45.0, 75.0, 75.0])] {
        for minutes in [0.0, 5.0, 15.0, 30.0, 47.0, 90.0, 150.0, 600.0] {
            let m = t.straight_m_within(minutes);
            assert!((t.minutes(m) - minutes).abs() < 1e-6, "{minutes} min");
        }
    }
}

/// The shipped rules with `[travel]` and an extra `[[hard]]` rule replaced by `travel` and
/// `hard`, loaded from a folder.
fn load_with(travel: &str, hard: &str) -> Result<RuleSet, Diagnostics> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in crate::rules::ENGLAND_FILES {
        let text = if *name == "statutory.toml" {
            let start = text.find("[travel]").unwrap();
            let end = text
                .find("# Children and Families Act 2014 s.39(4)")
                .unwrap();
            format!("{}{travel}\n\n{}", &text[..start], &text[end..])
        } else if *name == "suitability.toml" {
            format!("{text}\n{hard}\n")
        } else {
            text.to_string()
        };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    RuleSource::Dir(dir.path().to_path_buf()).load()
}

const GUIDANCE: &str = "guidance_minutes = { primary = 45, secondary = 75, post-16 = 75 }";

#[test]
fn speeds_are_one_flat_speed_or_bands_and_bad_bands_are_located() {
    let flat = load_with(
        &format!("[travel]\nroad_factor = 1.3\nspeed_kmh = 30\n{GUIDANCE}"),
        "",
    )
    .expect("a flat speed loads");
    assert_eq!(flat.travel.speed_bands.len(), 1);
    let cases = [
        (
            "speed_kmh = 30\nspeed_bands = [{ kmh = 30 }]",
            "speed_bands",
        ),
        ("", "speed_bands"),
        (
            "speed_bands = [{ up_to_km = 5, kmh = 20 }, { up_to_km = 4, kmh = 30 }, { kmh = 60 }]",
            "up_to_km",
        ),
        (
            "speed_bands = [{ up_to_km = 5, kmh = 20 }, { up_to_km = 9, kmh = 60 }]",
            "up_to_km",
        ),
        (
            "speed_bands = [{ up_to_km = 5, kmh = 20 }, { kmh = 0 }]",
            "kmh",
        ),
    ];
    for (speeds, field) in cases {
        let text = format!("[travel]\nroad_factor = 1.3\n{speeds}\n{GUIDANCE}");
        let d = load_with(&text, "").expect_err(speeds);
        let found = d.diagnostics.iter().any(|x| {
            x.file.ends_with("statutory.toml")
                && x.field.ends_with(field)
                && matches!(x.location, crate::diag::Location::Text { .. })
        });
        assert!(found, "{speeds}: {d:?}");
    }
}

#[test]
fn a_journey_ceiling_reads_one_time_or_one_per_phase_and_its_exempt_features() {
    let travel = format!("[travel]\nroad_factor = 1.3\nspeed_kmh = 30\n{GUIDANCE}");
    let rules = load_with(
        &travel,
        "[[hard]]\nid = \"H-X\"\ntest = \"journey-ceiling\"\ntext = \"x\"\nmax_minutes = { primary = 60, secondary = 90, post-16 = 120 }\n",
    )
    .expect("a ceiling by phase loads");
    let x = rules.hard.iter().find(|r| r.id == "H-X").unwrap();
    assert_eq!(
        x.test,
        HardTest::JourneyCeiling {
            max_minutes: [60.0, 90.0, 120.0],
            exempt_features: vec![],
        }
    );
    for (body, field) in [
        (
            "exempt_features = [\"residental\"]\nmax_minutes = 90",
            "exempt_features[0]",
        ),
        ("max_minutes = 0", "max_minutes"),
        ("max_minutes = { primary = 60 }", "secondary"),
        ("", "max_minutes"),
    ] {
        let hard =
            format!("[[hard]]\nid = \"H-X\"\ntest = \"journey-ceiling\"\ntext = \"x\"\n{body}\n");
        let d = load_with(&travel, &hard).expect_err(body);
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.file.ends_with("suitability.toml") && x.field.ends_with(field)),
            "{body}: {d:?}"
        );
    }
}
