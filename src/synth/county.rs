//! An invented shire county for the shipped demo: a county town, five market towns and
//! scattered villages, with schools of every kind, built into an area by the same provision
//! and cohort synthesis as real authorities, calibrated to England's published mix of EHC
//! plans. Every name and place here is invented.

use super::provision::{ProvisionOptions, synthesise_provision};
use super::school::{School, SchoolClass, assumed_years};
use super::stats::LaFigures;
use super::{Assumption, BuiltArea, CohortOptions, FigureSource, census_map, cohort};
use crate::model::{Admits, GridRef};
use crate::rng::Rng;

/// The county's name.
pub const COUNTY: &str = "Wyvernshire";
/// Plans in the county (England's January 2025 mix scaled to this total).
pub const COUNTY_PLANS: u64 = 2_000;
/// Centre of the county on the British National Grid.
const CENTRE: (f64, f64) = (355_000.0, 295_000.0);

/// A town: name, offset from the centre (km), primary schools, secondary schools, spread (km).
struct Town {
    name: &'static str,
    at: (f64, f64),
    primaries: usize,
    secondaries: usize,
    spread: f64,
}

const TOWNS: [Town; 6] = [
    Town {
        name: "Castlemere",
        at: (0.0, 0.0),
        primaries: 22,
        secondaries: 4,
        spread: 2.2,
    },
    Town {
        name: "Hollinsford",
        at: (-18.0, 14.0),
        primaries: 7,
        secondaries: 2,
        spread: 1.3,
    },
    Town {
        name: "Stavenhurst",
        at: (20.0, 10.0),
        primaries: 5,
        secondaries: 1,
        spread: 1.0,
    },
    Town {
        name: "Marrowby",
        at: (-12.0, -16.0),
        primaries: 5,
        secondaries: 1,
        spread: 1.0,
    },
    Town {
        name: "Wendlecombe",
        at: (16.0, -18.0),
        primaries: 4,
        secondaries: 1,
        spread: 0.9,
    },
    Town {
        name: "Oakenwold",
        at: (-27.0, -2.0),
        primaries: 3,
        secondaries: 1,
        spread: 0.8,
    },
];

const PRIMARY_NAMES: [&str; 24] = [
    "St Mary's CE",
    "Meadow",
    "Brook",
    "Church Street",
    "Hillside",
    "Park",
    "Westfield",
    "Oakfield",
    "Riverside",
    "Holy Trinity CE",
    "St Peter's",
    "Orchard",
    "Kingsway",
    "Valley",
    "Elm Tree",
    "Greenacres",
    "Castle",
    "Millbrook",
    "Northgate",
    "Southfields",
    "Bridge Street",
    "Ashgrove",
    "St Joseph's Catholic",
    "Larkfield",
];
const SECONDARY_NAMES: [&str; 4] = ["Academy", "High School", "Community College", "School"];

/// Village names: invented, from two parts.
const VILLAGE_HEADS: [&str; 24] = [
    "Ashmarrow",
    "Brindle",
    "Corvey",
    "Dunmere",
    "Elderby",
    "Farrow",
    "Gildon",
    "Harrowden",
    "Ivelby",
    "Kestle",
    "Lindrew",
    "Mossop",
    "Netherwyn",
    "Orlby",
    "Pellow",
    "Quarnby",
    "Rushmere",
    "Sallow",
    "Thistley",
    "Upwold",
    "Vennick",
    "Wyckenby",
    "Yarrow",
    "Zelbury",
];
const VILLAGE_TAILS: [&str; 6] = ["", " Green", " Magna", " St Giles", " Cross", " End"];

fn school(
    urn: u32,
    name: String,
    class: SchoolClass,
    phase: &str,
    at: GridRef,
    locality: &str,
    (roll, ehcp, sen_support): (u32, u32, u32),
) -> School {
    let (first_year, last_year) = assumed_years(class, phase, Some(roll));
    School {
        urn,
        name,
        la_code: String::new(),
        la_name: COUNTY.into(),
        class,
        academy: None,
        phase: phase.into(),
        first_year,
        last_year,
        ages_known: false,
        admits: Admits::Mixed,
        location: Some(at),
        locality: locality.into(),
        postcode: String::new(),
        ukprn: String::new(),
        roll: Some(roll),
        roll_estimated: false,
        capacity: None,
        ehcp: Some(ehcp),
        sen_support: Some(sen_support),
        designations: None,
        resourced_provision: None,
        sen_unit: None,
        base_columns: false,
        row: 0,
    }
}

fn point(x_km: f64, y_km: f64) -> GridRef {
    GridRef {
        easting: (CENTRE.0 + x_km * 1000.0).round(),
        northing: (CENTRE.1 + y_km * 1000.0).round(),
    }
}

/// An invented special school, AP or college: name, class, phase, offset from the centre (km),
/// locality, pupils on roll.
type SpecialRow = (
    &'static str,
    SchoolClass,
    &'static str,
    (f64, f64),
    &'static str,
    u32,
);

/// Mainstream EHCP and SEN-support rates, England, January 2025: primary 153,565 and 653,271
/// of 4,428,718 pupils; secondary 111,967 and 487,140 of 3,627,836 (school census, shared
/// extract totals).
const PRIMARY_RATES: (f64, f64) = (153_565.0 / 4_428_718.0, 653_271.0 / 4_428_718.0);
const SECONDARY_RATES: (f64, f64) = (111_967.0 / 3_627_836.0, 487_140.0 / 3_627_836.0);

/// Names of the second and later secondary schools of a town.
const LATER_SECONDARY_NAMES: [&str; 4] = [
    "St Edmund's Catholic",
    "Kingsmead",
    "Hartwell",
    "Sir John Fenner",
];

/// The county's special schools, AP and colleges.
const SPECIALS: [SpecialRow; 15] = [
    (
        "Castlemere Brook School",
        SchoolClass::StateSpecial,
        "Not applicable",
        (1.5, -1.2),
        "Castlemere",
        190,
    ),
    (
        "Kingfisher Academy",
        SchoolClass::StateSpecial,
        "Not applicable",
        (-1.8, 1.0),
        "Castlemere",
        150,
    ),
    (
        "Hollinsford Vale School",
        SchoolClass::StateSpecial,
        "Not applicable",
        (-17.2, 13.1),
        "Hollinsford",
        115,
    ),
    (
        "The Beacon School",
        SchoolClass::StateSpecial,
        "Secondary",
        (-11.4, -15.2),
        "Marrowby",
        72,
    ),
    (
        "Stavenhurst Meadows School",
        SchoolClass::StateSpecial,
        "Primary",
        (20.6, 9.1),
        "Stavenhurst",
        64,
    ),
    (
        "Wyvern Hall School for the Deaf",
        SchoolClass::NonMaintainedSpecial,
        "Not applicable",
        (9.0, 12.0),
        "Castlemere",
        58,
    ),
    (
        "Ravensholme School",
        SchoolClass::NonMaintainedSpecial,
        "Not applicable",
        (-8.0, -24.0),
        "Marrowby",
        46,
    ),
    (
        "Larkrise House",
        SchoolClass::IndependentSpecial,
        "Not applicable",
        (-22.0, 8.0),
        "Hollinsford",
        42,
    ),
    (
        "Fernhill Farm School",
        SchoolClass::IndependentSpecial,
        "Not applicable",
        (25.0, -6.0),
        "Stavenhurst",
        26,
    ),
    (
        "The Orchard Centre",
        SchoolClass::IndependentSpecial,
        "Not applicable",
        (5.0, -22.0),
        "Wendlecombe",
        31,
    ),
    (
        "Thistlecombe Grange",
        SchoolClass::IndependentSpecial,
        "Not applicable",
        (-6.0, 18.0),
        "Castlemere",
        48,
    ),
    (
        "Castlemere Learning Centre",
        SchoolClass::AlternativeProvision,
        "Not applicable",
        (0.8, 1.6),
        "Castlemere",
        58,
    ),
    (
        "Hollinsford Pathways",
        SchoolClass::AlternativeProvision,
        "Not applicable",
        (-18.6, 14.7),
        "Hollinsford",
        24,
    ),
    (
        "Castlemere College",
        SchoolClass::FurtherEducation,
        "16 plus",
        (-0.6, -1.9),
        "Castlemere",
        0,
    ),
    (
        "Hollinsford College",
        SchoolClass::FurtherEducation,
        "16 plus",
        (-17.5, 15.0),
        "Hollinsford",
        0,
    ),
];

/// The county's independent mainstream schools: name, offset from the centre (km), locality,
/// pupils on roll.
const INDEPENDENT_MAINSTREAM: [(&str, (f64, f64), &str, u32); 3] = [
    ("Castlemere Grammar School", (2.2, 2.0), "Castlemere", 640),
    (
        "St Aldric's Preparatory School",
        (-2.5, -2.4),
        "Castlemere",
        210,
    ),
    (
        "Hollinsford Abbey School",
        (-19.0, 12.5),
        "Hollinsford",
        360,
    ),
];

/// The county's schools (URNs from 990001, not used by real schools).
pub fn county_schools(seed: u64) -> Vec<School> {
    let mut county = CountySchools {
        rng: Rng::derive(seed, "county"),
        out: Vec::new(),
        urn: 990_000,
    };
    for town in &TOWNS {
        county.town_schools(town);
    }
    // Villages: scattered over the county, away from towns and each other.
    let villages = county.villages();
    county.village_schools(&villages);
    // Special schools, AP, colleges and independent schools.
    county.special_schools();
    county.independent_mainstream_schools();
    county.out
}

/// The county's schools as they are drawn: the generator, the schools so far and the last URN
/// given.
struct CountySchools {
    rng: Rng,
    out: Vec<School>,
    urn: u32,
}

impl CountySchools {
    /// The next unused URN.
    fn next_urn(&mut self) -> u32 {
        self.urn += 1;
        self.urn
    }

    /// Adds a school with the next URN.
    fn push(
        &mut self,
        name: String,
        class: SchoolClass,
        phase: &str,
        at: GridRef,
        town: &str,
        counts: (u32, u32, u32),
    ) {
        let urn = self.next_urn();
        self.out
            .push(school(urn, name, class, phase, at, town, counts));
    }

    /// Adds a mainstream school, its EHCP and SEN-support pupils drawn around England's rates
    /// for its phase.
    fn mainstream(&mut self, name: String, phase: &str, at: GridRef, town: &str, roll: u32) {
        let (e, s) = if phase == "Primary" {
            PRIMARY_RATES
        } else {
            SECONDARY_RATES
        };
        let (ve, vs) = (self.rng.range(0.5, 1.5), self.rng.range(0.7, 1.3));
        let ehcp = self.rng.round_stochastic(f64::from(roll) * e * ve);
        let ss = self.rng.round_stochastic(f64::from(roll) * s * vs);
        self.push(
            name,
            SchoolClass::Mainstream,
            phase,
            at,
            town,
            (roll, ehcp, ss),
        );
    }

    /// A point in a town: up to its spread from its centre, in any direction.
    fn near(&mut self, town: &Town) -> GridRef {
        let r = self.rng.range(0.0, town.spread);
        let a = self.rng.range(0.0, std::f64::consts::TAU);
        point(town.at.0 + r * a.cos(), town.at.1 + r * a.sin())
    }

    /// Adds a town's primary and secondary schools.
    fn town_schools(&mut self, town: &Town) {
        let start = self.rng.int(0, PRIMARY_NAMES.len() as u32 - 1) as usize;
        for i in 0..town.primaries {
            let at = self.near(town);
            let forms = self.rng.weighted(&[0.35, 0.45, 0.2]).unwrap_or(0) + 1;
            let roll = (f64::from(forms as u32 * 210) * self.rng.range(0.78, 1.0)).round() as u32;
            let label = PRIMARY_NAMES[(start + i) % PRIMARY_NAMES.len()];
            self.mainstream(
                format!("{} {label} Primary School", town.name),
                "Primary",
                at,
                town.name,
                roll,
            );
        }
        for i in 0..town.secondaries {
            let at = self.near(town);
            let roll = (self.rng.range(650.0, 1500.0)).round() as u32;
            let name = if i == 0 {
                format!(
                    "{} {}",
                    town.name,
                    SECONDARY_NAMES[self.rng.int(0, 3) as usize]
                )
            } else {
                format!(
                    "{} {}",
                    LATER_SECONDARY_NAMES[i - 1],
                    SECONDARY_NAMES[i % 4]
                )
            };
            self.mainstream(name, "Secondary", at, town.name, roll);
        }
    }

    /// Up to 72 villages, named and placed inside the county's ellipse, away from towns and
    /// each other.
    fn villages(&mut self) -> Vec<(String, (f64, f64))> {
        let mut villages: Vec<(String, (f64, f64))> = Vec::new();
        let mut tries = 0;
        while villages.len() < 72 && tries < 10_000 {
            tries += 1;
            let x = self.rng.range(-34.0, 34.0);
            let y = self.rng.range(-27.0, 27.0);
            if (x / 34.0).powi(2) + (y / 27.0).powi(2) > 1.0 {
                continue;
            }
            let far_from_towns = TOWNS
                .iter()
                .all(|t| ((t.at.0 - x).powi(2) + (t.at.1 - y).powi(2)).sqrt() > 3.5);
            let far_from_villages = villages
                .iter()
                .all(|(_, v)| ((v.0 - x).powi(2) + (v.1 - y).powi(2)).sqrt() > 2.8);
            if !(far_from_towns && far_from_villages) {
                continue;
            }
            let k = villages.len();
            let name = format!(
                "{}{}",
                VILLAGE_HEADS[k % VILLAGE_HEADS.len()],
                VILLAGE_TAILS[(k / VILLAGE_HEADS.len()) % VILLAGE_TAILS.len()]
            );
            villages.push((name, (x, y)));
        }
        villages
    }

    /// Adds one primary school in each village, in the locality of the nearest town.
    fn village_schools(&mut self, villages: &[(String, (f64, f64))]) {
        for (name, (x, y)) in villages {
            let nearest = TOWNS
                .iter()
                .min_by(|a, b| {
                    let da = (a.at.0 - x).powi(2) + (a.at.1 - y).powi(2);
                    let db = (b.at.0 - x).powi(2) + (b.at.1 - y).powi(2);
                    da.total_cmp(&db)
                })
                .map_or("Castlemere", |t| t.name);
            let roll = self.rng.int(22, 175);
            let ce = if self.rng.unit_below(0.4) { " CE" } else { "" };
            self.mainstream(
                format!("{name}{ce} Primary School"),
                "Primary",
                point(*x, *y),
                nearest,
                roll,
            );
        }
    }

    /// Adds the special schools, AP and colleges, and the specialist post-16 college.
    fn special_schools(&mut self) {
        for (name, class, phase, (x, y), town, roll) in SPECIALS {
            let ehcp = match class {
                SchoolClass::AlternativeProvision => roll / 4,
                SchoolClass::FurtherEducation => 0,
                _ => roll,
            };
            self.push(
                name.into(),
                class,
                phase,
                point(x, y),
                town,
                (roll, ehcp, 0),
            );
        }
        self.push(
            "Greywater College".into(),
            SchoolClass::SpecialistPost16,
            "Not applicable",
            point(-24.0, -12.0),
            "Oakenwold",
            (38, 38, 0),
        );
    }

    /// Adds the independent mainstream schools, with a few EHCP pupils drawn and 12% on SEN
    /// support.
    fn independent_mainstream_schools(&mut self) {
        for (name, (x, y), town, roll) in INDEPENDENT_MAINSTREAM {
            let ehcp = self.rng.int(0, 4);
            let ss = (f64::from(roll) * 0.12).round() as u32;
            self.push(
                name.into(),
                SchoolClass::IndependentMainstream,
                "Not applicable",
                point(x, y),
                town,
                (roll, ehcp, ss),
            );
        }
    }
}

/// Builds the invented county: its schools, their provision, and a cohort of
/// [`COUNTY_PLANS`] children with plans in England's January 2025 mix (plus SEN support).
pub fn build_county(seed: u64, sen_support_share: f64) -> BuiltArea {
    let schools = county_schools(seed);
    let figures = LaFigures::national_2025().scaled(COUNTY, COUNTY_PLANS);
    let reach_m = super::DEFAULT_REACH_KM * 1000.0;
    let source = FigureSource::Given(std::slice::from_ref(&figures));
    let mut provision = synthesise_provision(
        &schools,
        &[COUNTY.to_string()],
        source,
        &ProvisionOptions {
            seed,
            reach_m,
            include: Default::default(),
        },
    );
    let census = census_map(&provision.census);
    let cohort = cohort::synthesise_many(
        &provision.settings,
        &census,
        std::slice::from_ref(&figures),
        &CohortOptions {
            seed,
            sen_support_share,
            reach_m,
            arrangements: false,
        },
    );
    let mut provision_assumptions = vec![Assumption::new(
        "invented-county",
        format!(
            "{COUNTY} is invented: the county town of Castlemere, five market towns and {} villages; schools, rolls and locations are drawn (seed {seed}); mainstream EHCP and SEN-support pupils at England's January 2025 rates (primary 3.5% and 14.8%, secondary 3.1% and 13.4%) varied ±50% and ±30% per school",
            schools
                .iter()
                .filter(|s| s.class == SchoolClass::Mainstream)
                .count()
                - TOWNS
                    .iter()
                    .map(|t| t.primaries + t.secondaries)
                    .sum::<usize>()
        ),
        "school census January 2025 totals in the shared extract",
    )];
    provision_assumptions.append(&mut provision.assumptions);
    let mut cohort = cohort;
    provision_assumptions.push(super::packages::declare_packages(
        &crate::rules::RuleSet::england(),
        &mut provision.settings,
        &mut cohort.children,
    ));
    provision_assumptions.push(super::packages::declare_inclusion_bases(
        &crate::rules::RuleSet::england(),
        &mut provision.settings,
    ));
    provision.assumptions = provision_assumptions;
    BuiltArea {
        name: COUNTY.into(),
        description: format!(
            "An invented shire county (the county town of Castlemere; market towns Hollinsford, Stavenhurst, Marrowby, Wendlecombe and Oakenwold; rural villages). Schools, provision and children are synthesised (seed {seed}); the children's need × placement mix is England's, January 2025 (DfE SEN2), scaled to {COUNTY_PLANS} plans."
        ),
        academic_year: 2025,
        provision,
        cohort,
    }
}
