//! Real and synthetic local areas: import a GIAS-shaped school file into an area's settings,
//! fill in the provision the file lacks (special-school designations, resource bases and units,
//! capacities, fees) from published figures, and synthesise a cohort of children whose counts
//! by primary need and type of placement reproduce an authority's published EHC plan figures.
//!
//! Everything is deterministic for a seed. Nothing here prints: every assumption made is
//! returned as an [`Assumption`] for the caller to show and record.
//!
//! ```no_run
//! use placewise::testing::synth::{self, BuildOptions};
//! use std::path::Path;
//!
//! let options = BuildOptions { seed: 1, ..BuildOptions::default() };
//! let built = synth::build_area(
//!     Path::new("../shared/data/gias/england_open_schools_2026.csv"),
//!     Some(Path::new("../shared/data/stats")),
//!     &["Shropshire".to_string()],
//!     &options,
//! ).expect("valid inputs");
//! for a in built.assumptions() {
//!     println!("{a}");
//! }
//! synth::write::write_area(Path::new("/tmp/shropshire"), &built.files()).expect("written");
//! ```

pub mod cohort;
pub mod county;
pub mod geo;
pub mod gias;
pub mod packages;
pub mod provision;
pub mod school;
pub mod sen2;
pub mod stats;
pub mod write;

pub use cohort::{Cohort, CohortOptions, synthesise_cohort};
pub use provision::{CensusCounts, Provision, ProvisionOptions, synthesise_provision};
#[cfg(any(test, feature = "testing"))]
pub use stats::PlacementTable;
pub use stats::{LaFigures, Placement, Sen2Release, read_sen2};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::Setting;
use std::fmt;
use std::path::Path;

/// One assumption the synthesiser made, with the figures it used and their source.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Assumption {
    /// A short stable key, e.g. `resource-bases`.
    pub topic: String,
    /// What was assumed, in a sentence.
    pub text: String,
    /// Named figures used (counts, shares), for reports.
    pub figures: Vec<(String, f64)>,
    /// Where the figures come from.
    pub source: String,
}

impl Assumption {
    /// A new assumption.
    pub fn new(topic: &str, text: impl Into<String>, source: impl Into<String>) -> Self {
        Assumption {
            topic: topic.to_string(),
            text: text.into(),
            figures: Vec::new(),
            source: source.into(),
        }
    }
    /// Adds a named figure.
    pub fn figure(mut self, name: &str, value: f64) -> Self {
        self.figures.push((name.to_string(), value));
        self
    }
}

impl fmt::Display for Assumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.topic, self.text)?;
        if !self.source.is_empty() {
            write!(f, " (source: {})", self.source)?;
        }
        Ok(())
    }
}

/// Options for building an area from a school file.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildOptions {
    /// The seed of every random draw.
    pub seed: u64,
    /// Straight-line distance within which other authorities' special schools and colleges
    /// are included.
    pub reach_m: f64,
    /// January of the SEN2 figures; the placement year starts the following September.
    pub year: i32,
    /// Share of each school's SEN-support pupils included in the cohort.
    pub sen_support_share: f64,
    /// Also synthesise the cohort (otherwise `children.csv` has no rows).
    pub cohort: bool,
}

/// Default reach: 28.8 km in a straight line is 37.5 km by road at the shipped rules' road
/// factor of 1.3, which takes 75 minutes (the secondary-age journey guidance) at a flat
/// door-to-door 30 km/h (about 59 minutes with the shipped rules' speed bands; the reach is
/// kept so that areas stay as they were built).
pub const DEFAULT_REACH_KM: f64 = 75.0 / 60.0 * 30.0 / 1.3;

/// Default share of SEN-support pupils synthesised (one in ten, to keep areas light).
pub const DEFAULT_SEN_SUPPORT_SHARE: f64 = 0.1;

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            seed: 1,
            reach_m: DEFAULT_REACH_KM * 1000.0,
            year: 2025,
            sen_support_share: DEFAULT_SEN_SUPPORT_SHARE,
            cohort: true,
        }
    }
}

/// A built area, ready to write.
#[derive(Clone, Debug)]
pub struct BuiltArea {
    /// The area's name (`area.toml`).
    pub name: String,
    /// A line describing it.
    pub description: String,
    /// Calendar year in which the placement academic year starts (September).
    pub academic_year: i32,
    /// The settings, their census counts and the assumptions of the import.
    pub provision: Provision,
    /// The children and the assumptions of their synthesis (none when not synthesised).
    pub cohort: Cohort,
}

impl BuiltArea {
    /// Every assumption made building the area: provision first, then the cohort.
    pub fn assumptions(&self) -> impl Iterator<Item = &Assumption> {
        self.provision
            .assumptions
            .iter()
            .chain(&self.cohort.assumptions)
    }

    /// The files of the area folder.
    pub fn files(&self) -> write::AreaFiles<'_> {
        write::AreaFiles {
            name: &self.name,
            description: &self.description,
            academic_year: self.academic_year,
            provision: Some(&self.provision),
            cohort: &self.cohort,
        }
    }
}

/// Where the figures for each authority come from.
#[derive(Clone, Copy, Debug)]
pub enum FigureSource<'a> {
    /// A SEN2 release read from files.
    Release(&'a Sen2Release),
    /// England's January 2025 mix written into the code, scaled to each authority's plans as
    /// estimated from its schools' EHCP counts.
    National,
    /// Figures given directly (found by LA code, else name); others as `National`.
    Given(&'a [LaFigures]),
}

/// Share of EHC plans held by pupils on a school roll (mainstream, special, AP), England,
/// January 2025: (278,236 + 193,880 + 4,858) / 638,745 (DfE SEN2). Used to estimate an
/// authority's plans from its schools' EHCP counts when no SEN2 figures are given.
pub const IN_SCHOOL_SHARE: f64 = (278_236.0 + 193_880.0 + 4_858.0) / 638_745.0;

impl FigureSource<'_> {
    /// Figures for the authority `(code, name)`; `school_ehcp` is the EHCP pupils on the
    /// rolls of its schools (for the national estimate).
    pub fn figures(&self, code: &str, name: &str, school_ehcp: u64) -> Option<LaFigures> {
        match self {
            FigureSource::Release(r) => r.find(code).or_else(|| r.find(name)).cloned(),
            FigureSource::Given(list) => list
                .iter()
                .find(|f| {
                    (!code.is_empty() && f.la_code == code) || f.la_name.eq_ignore_ascii_case(name)
                })
                .cloned()
                .or_else(|| FigureSource::National.figures(code, name, school_ehcp)),
            FigureSource::National => {
                let total = (school_ehcp as f64 / IN_SCHOOL_SHARE).round() as u64;
                Some(LaFigures::national_2025().scaled(name, total.max(1)))
            }
        }
    }
}

/// Imports schools from `gias` for the authorities `las` (names or codes), synthesises their
/// provision, and (when `options.cohort`) their cohort from the SEN2 figures in `stats`
/// (England's mix written into the code when `None`). Errors are located; nothing is built
/// when there is any.
pub fn build_area(
    gias: &Path,
    stats: Option<&Path>,
    las: &[String],
    options: &BuildOptions,
) -> Result<BuiltArea, Diagnostics> {
    let file = gias::read_schools(gias)?;
    build_area_from(&file, stats, las, options, &Default::default())
}

/// As [`build_area`] from a school file already read; the schools with a URN in `include` are
/// included whatever their authority and distance.
pub fn build_area_from(
    file: &gias::SchoolFile,
    stats: Option<&Path>,
    las: &[String],
    options: &BuildOptions,
    include: &std::collections::BTreeSet<u32>,
) -> Result<BuiltArea, Diagnostics> {
    let gias = file.path.as_path();
    let release = match stats {
        Some(dir) => Some(read_sen2(dir, options.year)?),
        None => None,
    };
    let source = match &release {
        Some(r) => FigureSource::Release(r),
        None => FigureSource::National,
    };
    let mut diags = Diagnostics::default();
    let targets = find_targets(file, las, &mut diags);
    let mut figures = Vec::new();
    if let (Some(r), Some(dir)) = (&release, stats) {
        for t in &targets {
            match source.figures(&t.0, &t.1, 0) {
                Some(f) => figures.push(f),
                None => diags.push(r.unknown_la(&t.1, dir)),
            }
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    let popts = ProvisionOptions {
        seed: options.seed,
        reach_m: options.reach_m,
        include: include.clone(),
    };
    let target_names: Vec<String> = targets.iter().map(|t| t.1.clone()).collect();
    let mut provision = synthesise_provision(&file.schools, &target_names, source, &popts);
    let mut provision_assumptions = file.assumptions.clone();
    if let Some(r) = &release {
        provision_assumptions.extend(r.assumptions.iter().cloned());
    } else {
        provision_assumptions.push(national_assumption(&national_estimates(file, &targets)));
    }
    provision_assumptions.append(&mut provision.assumptions);
    for (reason, n) in &file.skipped {
        provision_assumptions.push(
            Assumption::new(
                "rows-left-out",
                format!("{n} rows of the school file left out: {reason}"),
                "school file",
            )
            .figure("rows", *n as f64),
        );
    }
    let (name, description) = area_name(&targets, gias, options.seed);
    provision_assumptions.push(packages::declare_inclusion_bases(
        &crate::rules::RuleSet::england(),
        &mut provision.settings,
    ));
    provision.assumptions = provision_assumptions;
    let mut built = BuiltArea {
        name,
        description,
        academic_year: options.year,
        provision,
        cohort: Cohort::default(),
    };
    if options.cohort {
        built.cohort = area_cohort(&built.provision, source, &targets, figures, options);
    }
    Ok(built)
}

/// The authorities to build, as (code, name): those named in `las` (each one not in the file
/// is an error in `diags`), or every authority of the file when none is named. A school of
/// one of them with no location is an error too.
fn find_targets(
    file: &gias::SchoolFile,
    las: &[String],
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    let mut targets: Vec<(String, String)> = Vec::new();
    if las.is_empty() {
        let mut all: Vec<(String, String)> = file
            .schools
            .iter()
            .map(|s| (s.la_code.clone(), s.la_name.clone()))
            .collect();
        all.sort();
        all.dedup();
        targets = all;
    }
    for la in las {
        match file.find_la(la) {
            Some(t) => targets.push(t),
            None => diags.push(file.unknown_la(la)),
        }
    }
    // Schools of the target authorities must have a location.
    for s in &file.schools {
        if s.location.is_none() && targets.iter().any(|t| t.1 == s.la_name) {
            diags.push(
                Diagnostic::file(
                    Code::MissingField,
                    &file.path,
                    format!("school {} ({}) has no easting/northing", s.urn, s.name),
                )
                .at(Location::Row {
                    row: s.row,
                    column: "easting".into(),
                })
                .field("easting")
                .expected("metres east and north on the British National Grid"),
            );
        }
    }
    targets
}

/// Each target authority's plans as estimated from the EHCP pupils on its schools' rolls
/// (the first five), for the assumption recorded when no SEN2 files are given.
fn national_estimates(file: &gias::SchoolFile, targets: &[(String, String)]) -> String {
    let estimates: Vec<String> = targets
        .iter()
        .take(5)
        .map(|(_, name)| {
            let ehcp: u64 = file
                .schools
                .iter()
                .filter(|s| &s.la_name == name)
                .map(|s| u64::from(s.ehcp.unwrap_or(0)))
                .sum();
            format!(
                "{name}: {ehcp} EHCP pupils on school rolls → {:.0} plans",
                ehcp as f64 / IN_SCHOOL_SHARE
            )
        })
        .collect();
    estimates.join("; ")
}

/// The built area's name and description: the authority's name when there is one, else how
/// many there are.
fn area_name(targets: &[(String, String)], gias: &Path, seed: u64) -> (String, String) {
    if targets.len() == 1 {
        (
            targets[0].1.clone(),
            format!(
                "{} built from {} (seed {}): real school locations, types and pupil numbers; synthesised designations, resource bases, capacities and children",
                targets[0].1,
                gias.display(),
                seed
            ),
        )
    } else {
        (
            format!("{} local authorities", targets.len()),
            format!(
                "{} local authorities built from {} (seed {}), synthesised provision and children",
                targets.len(),
                gias.display(),
                seed
            ),
        )
    }
}

/// The cohort of the target authorities, from the figures read for them (else each one's
/// figures from `source`, estimated from its settings' census counts).
fn area_cohort(
    provision: &Provision,
    source: FigureSource<'_>,
    targets: &[(String, String)],
    figures: Vec<LaFigures>,
    options: &BuildOptions,
) -> Cohort {
    let copts = CohortOptions {
        seed: options.seed,
        sen_support_share: options.sen_support_share,
        reach_m: options.reach_m,
        arrangements: true,
    };
    let settings = &provision.settings;
    let census = census_map(&provision.census);
    let la_figures: Vec<LaFigures> = if figures.is_empty() {
        targets
            .iter()
            .filter_map(|t| {
                let ehcp = school_ehcp(settings, &census, &t.1);
                source.figures(&t.0, &t.1, ehcp)
            })
            .collect()
    } else {
        figures
    };
    cohort::synthesise_many(settings, &census, &la_figures, &copts)
}

/// The assumption recorded when no SEN2 files are given.
pub fn national_assumption(estimates: &str) -> Assumption {
    Assumption::new(
        "figures",
        format!(
            "no SEN2 figures given: England's January 2025 need × placement mix is scaled to each authority's plans, estimated as the EHCP pupils on its schools' rolls divided by England's share of plans held by pupils on school rolls ({:.1}%): {estimates}",
            IN_SCHOOL_SHARE * 100.0
        ),
        stats::SEN2_SOURCE,
    )
    .figure("in_school_share", IN_SCHOOL_SHARE)
}

/// Census counts by setting id.
pub fn census_map(census: &[CensusCounts]) -> std::collections::BTreeMap<String, CensusCounts> {
    census
        .iter()
        .map(|c| (c.setting.clone(), c.clone()))
        .collect()
}

/// EHCP pupils on the rolls of the schools of authority `la`.
pub fn school_ehcp(
    settings: &[Setting],
    census: &std::collections::BTreeMap<String, CensusCounts>,
    la: &str,
) -> u64 {
    settings
        .iter()
        .filter(|s| s.local_authority.eq_ignore_ascii_case(la))
        .filter_map(|s| census.get(&s.id.0))
        .map(|c| u64::from(c.ehc_plan_pupils))
        .sum()
}

#[cfg(test)]
mod tests;
