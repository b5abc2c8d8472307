//! Seeded random areas for property tests and benchmarks. Not a synthesiser of realistic
//! areas: every kind, need, feature and year appears at random so that rules get exercised.

use crate::model::*;

pub use crate::rng::Rng;

const FEATURES: [&str; 6] = [
    "signing",
    "hydrotherapy",
    "nursing",
    "small-class",
    "sensory-room",
    "accessible-site",
];

/// Each feature with probability `p`, sorted.
fn random_features(r: &mut Rng, p: f64) -> Vec<String> {
    let mut features: Vec<String> = FEATURES
        .iter()
        .filter(|_| r.chance(p))
        .map(|s| s.to_string())
        .collect();
    features.sort();
    features
}

/// A random area: settings of every kind with pools, children with varied profiles,
/// preferences, siblings and current settings. Normalised.
pub fn random_area(seed: u64, n_settings: usize, n_children: usize) -> Area {
    let mut r = Rng(seed);
    let mut settings = Vec::new();
    for i in 0..n_settings {
        settings.push(random_setting(&mut r, i));
    }
    // Some resource bases get a host.
    random_hosts(&mut r, &mut settings);
    let mut children = Vec::new();
    for i in 0..n_children {
        children.push(random_child(&mut r, i, &settings));
    }
    let mut area = Area {
        name: "random".into(),
        settings,
        children,
    };
    area.normalise();
    area
}

/// The `i`th random setting: any kind, years, designations, features, one or two pools, a
/// fee when independent.
fn random_setting(r: &mut Rng, i: usize) -> Setting {
    let kind = *r.pick(&SettingKind::ALL);
    let first = r.below(12) as u8;
    let last = (first + r.below(8) as u8).min(14);
    let mut designations = NeedSet::default();
    for _ in 0..r.below(4) {
        designations.insert(*r.pick(&Need::ALL[..12]));
    }
    let features = random_features(r, 0.3);
    let capacity = 1 + r.below(40) as u32;
    let on_roll = r.below(capacity as u64 + 3) as u32;
    let mut pools = vec![PlacePool {
        id: PoolId::from("a"),
        first_year: YearGroup(first),
        last_year: YearGroup(last),
        capacity,
        on_roll,
        inclusion_base: None,
    }];
    if r.chance(0.2) && last > first {
        pools[0].last_year = YearGroup(first);
        pools.push(PlacePool {
            id: PoolId::from("b"),
            first_year: YearGroup(first + 1),
            last_year: YearGroup(last),
            capacity: 5,
            on_roll: r.below(7) as u32,
            inclusion_base: None,
        });
    }
    Setting {
        id: SettingId(format!("S{:04}", i)),
        name: format!("Setting {i}"),
        kind,
        host: None,
        first_year: YearGroup(first),
        last_year: YearGroup(last),
        admits: *r.pick(&[Admits::Mixed, Admits::Mixed, Admits::Girls, Admits::Boys]),
        location: GridRef {
            easting: 300_000.0 + r.below(40_000) as f64,
            northing: 300_000.0 + r.below(40_000) as f64,
        },
        designations,
        features,
        pools,
        annual_fee: if kind.is_independent() {
            Some(Pounds(40_000 + r.below(60_000) as i64))
        } else {
            None
        },
        locality: format!("L{}", r.below(3)),
        s41_approved: r.chance(0.5),
        local_authority: "Test".into(),
        packages: None,
    }
}

/// Gives half the resource bases and units a host drawn among all the settings (none when it
/// draws itself).
fn random_hosts(r: &mut Rng, settings: &mut [Setting]) {
    for i in 0..settings.len() {
        if matches!(
            settings[i].kind,
            SettingKind::ResourcedProvision | SettingKind::SenUnit
        ) && r.chance(0.5)
        {
            let host = r.below(settings.len() as u64) as usize;
            if host != i {
                settings[i].host = Some(settings[host].id.clone());
            }
        }
    }
}

/// The `i`th random child: needs, intensities, features, plan level, preferences, siblings
/// and current setting drawn among `settings`.
fn random_child(r: &mut Rng, i: usize, settings: &[Setting]) -> NeedProfile {
    let levels = ["sen-support", "ehcp", "ehcp", "specialist-plan"];
    let mut secondary = NeedSet::default();
    if r.chance(0.4) {
        secondary.insert(*r.pick(&Need::ALL[..12]));
    }
    let mut intensity = Intensity::default();
    for k in 0..4 {
        intensity.0[k] = r.below(5) as u8;
    }
    let features = random_features(r, 0.08);
    let preferences = {
        let k = r.below(3);
        pick_settings(r, settings, k)
    };
    let siblings = {
        let k = r.below(2);
        pick_settings(r, settings, k)
    };
    let current = {
        let k = r.below(2);
        pick_settings(r, settings, k).into_iter().next()
    };
    NeedProfile {
        id: ChildId(format!("C{:05}", i)),
        year: YearGroup(r.below(15) as u8),
        sex: if r.chance(0.5) {
            Sex::Female
        } else {
            Sex::Male
        },
        home: GridRef {
            easting: 300_000.0 + r.below(40_000) as f64,
            northing: 300_000.0 + r.below(40_000) as f64,
        },
        primary_need: *r.pick(&Need::ALL[..12]),
        secondary_needs: secondary,
        intensity,
        features,
        plan_level: r.pick(&levels).to_string(),
        current_setting: current,
        preferences,
        sibling_settings: siblings,
        needs_place: r.chance(0.3),
        locality: format!("L{}", r.below(3)),
        arrangement: None,
        packages: Vec::new(),
    }
}

/// Up to `k` distinct settings drawn at random.
fn pick_settings(r: &mut Rng, settings: &[Setting], k: u64) -> Vec<SettingId> {
    let mut v: Vec<SettingId> = Vec::new();
    for _ in 0..k {
        let s = settings[r.below(settings.len() as u64) as usize].id.clone();
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v
}

/// A child for hand-written tests, to change with struct update syntax: a boy in reception
/// with an EHC plan for autism, intensity 1 in each area, living at (400 000, 300 000), with
/// no features, setting, preferences or siblings, not waiting for a place.
pub fn plain_child(id: &str) -> NeedProfile {
    NeedProfile {
        id: ChildId::from(id),
        year: YearGroup(0),
        sex: Sex::Male,
        home: GridRef {
            easting: 400_000.0,
            northing: 300_000.0,
        },
        primary_need: Need::Asd,
        secondary_needs: NeedSet::default(),
        intensity: Intensity([1, 1, 1, 1]),
        features: vec![],
        plan_level: "ehcp".into(),
        current_setting: None,
        preferences: vec![],
        sibling_settings: vec![],
        needs_place: false,
        locality: String::new(),
        arrangement: None,
        packages: Vec::new(),
    }
}

/// A setting of `kind` for hand-written tests, to change with struct update syntax: named
/// "Setting ID", for year groups R to 14, mixed, at the grid origin, with no designations,
/// features, pools or fee of its own.
pub fn plain_setting(id: &str, kind: SettingKind) -> Setting {
    Setting {
        id: SettingId::from(id),
        name: format!("Setting {id}"),
        kind,
        host: None,
        first_year: YearGroup(0),
        last_year: YearGroup(14),
        admits: Admits::Mixed,
        location: GridRef::default(),
        designations: NeedSet::default(),
        features: vec![],
        pools: vec![],
        annual_fee: None,
        locality: String::new(),
        s41_approved: false,
        local_authority: String::new(),
        packages: None,
    }
}
