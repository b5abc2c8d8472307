//! An authority's own children from its SEN2 person-level return (the XML message or the
//! COLLECT Blade export): the return is read and validated ([`crate::io::sen2`]), each person
//! becomes a child ([`person`]) matched to the settings of the authority's schools from the
//! school file (plus every setting its children attend) or of an existing area, and the area
//! folder is written whole, with a data-quality summary and the assumptions made.
//!
//! Pseudonymised: no name, UPN, ULN, date of birth or postcode leaves this module; child ids
//! are keyed hashes ([`IdPolicy`]) and homes are postcode-sector centroids.

pub mod dates;
pub mod geo;
pub mod ids;
pub mod person;

use super::Assumption;
use super::gias::{SchoolFile, read_schools};
use super::write::{
    assumptions_text, census_csv, children_csv, pools_csv, read_census, settings_csv, write_files,
};
use super::{BuildOptions, build_area_from};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::io::sen2::{Module, Record, Sen2Return, read_return};
use crate::io::{area_toml, io_error, load_area_with};
use crate::model::{NeedProfile, Setting};
use crate::rules::RuleSource;
use dates::Date;
use geo::{Geography, HomeSource};
pub use ids::IdPolicy;
use person::{Context, Outcome, SettingIndex, read_person};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where the settings of an imported area come from.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingsSource {
    /// The authority's schools from a GIAS-shaped school file, built as `import schools`
    /// builds them, plus every school its children attend.
    Gias {
        /// The school file.
        file: PathBuf,
        /// The authority's name or three-digit code.
        la: String,
    },
    /// The settings of an existing area folder (which also gives what SEN2 does not record
    /// for children it already has under the same id).
    Area(PathBuf),
}

/// What to import and how.
#[derive(Clone, Debug)]
pub struct ImportSpec {
    /// The return: an XML file, or a folder of Blade CSV files.
    pub source: PathBuf,
    /// Where the settings come from.
    pub settings: SettingsSource,
    /// A school file to locate postcodes with when the settings come from an area.
    pub postcodes: Option<PathBuf>,
    /// How children get their ids.
    pub ids: IdPolicy,
    /// The seed of the provision synthesis (school-file settings).
    pub seed: u64,
    /// Other authorities' special schools and colleges within this many metres are included.
    pub reach_m: f64,
    /// The rules an existing area is read with.
    pub rules: RuleSource,
}

/// How many children were read, imported and left out, and how their homes were found. Holds
/// counts only: nothing about any one child.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Sen2Summary {
    /// Persons in the return.
    pub read: usize,
    /// Children written to the area.
    pub imported: usize,
    /// Of them, with an active EHC plan.
    pub with_plan: usize,
    /// Of them, with a request or assessment in progress (they need a place).
    pub in_progress: usize,
    /// Of them, who need a place this round.
    pub need_place: usize,
    /// Persons left out, by reason.
    pub dropped: BTreeMap<String, usize>,
    /// Where in the return the persons left out are (file and line or row, and the element
    /// path), by reason; the first [`PLACES_SHOWN`] of each.
    pub dropped_at: BTreeMap<String, Vec<String>>,
    /// Homes by how they were located.
    pub homes: BTreeMap<String, usize>,
    /// Children whose intensity and features were kept from the area (same id and needs).
    pub kept_profiles: usize,
    /// Other notes, with counts.
    pub notes: BTreeMap<String, usize>,
    /// Settings in the area.
    pub settings: usize,
    /// The return's reference date.
    pub reference_date: String,
    /// Academic year of the placements (September).
    pub academic_year: i32,
}

impl fmt::Display for Sen2Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "SEN2 return, reference date {}; placements for September {}",
            self.reference_date, self.academic_year
        )?;
        writeln!(f, "persons read: {}", self.read)?;
        writeln!(
            f,
            "children imported: {} ({} with an active plan, {} with a request or assessment in progress; {} need a place)",
            self.imported, self.with_plan, self.in_progress, self.need_place
        )?;
        let dropped: usize = self.dropped.values().sum();
        writeln!(f, "left out: {dropped}")?;
        for (why, n) in &self.dropped {
            writeln!(f, "  {n} {why}")?;
            let places = self.dropped_at.get(why).map_or(&[][..], Vec::as_slice);
            for p in places {
                writeln!(f, "    at {p}")?;
            }
            if *n > places.len() && !places.is_empty() {
                writeln!(f, "    and {} more", n - places.len())?;
            }
        }
        writeln!(f, "homes located:")?;
        for (how, n) in &self.homes {
            writeln!(f, "  {n} {how}")?;
        }
        if self.kept_profiles > 0 {
            writeln!(
                f,
                "intensity, features and siblings kept from the area for {} children (same id and needs); the rule in sen2-assumptions.txt for the rest",
                self.kept_profiles
            )?;
        }
        for (note, n) in &self.notes {
            writeln!(f, "note: {n} × {note}")?;
        }
        writeln!(f, "settings: {}", self.settings)
    }
}

/// How many places of persons left out are listed for each reason.
pub const PLACES_SHOWN: usize = 20;

/// An imported area, ready to write.
#[derive(Clone, Debug)]
pub struct Sen2Area {
    pub name: String,
    pub description: String,
    pub academic_year: i32,
    pub settings: Vec<Setting>,
    /// Census counts to write (school-file settings), or the area's `census.csv` bytes.
    pub census: CensusFile,
    /// The provision assumptions (school-file settings) or the area's own file.
    pub provision_assumptions: Vec<u8>,
    pub children: Vec<NeedProfile>,
    pub summary: Sen2Summary,
    pub assumptions: Vec<Assumption>,
}

/// The census file of an imported area.
#[derive(Clone, Debug)]
pub enum CensusFile {
    Counts(Vec<super::CensusCounts>),
    None,
}

fn home_label(h: HomeSource) -> &'static str {
    match h {
        HomeSource::Sector => "at their postcode sector's centroid",
        HomeSource::District => {
            "at their postcode district's centroid (no school in the sector: coarser)"
        }
        HomeSource::Kept => "kept from the area (postcode not located)",
        HomeSource::Setting => "at their current setting (postcode not located)",
    }
}

/// The reference date and academic year from the header.
fn reference(ret: &Sen2Return, source: &Path, diags: &mut Diagnostics) -> Option<Date> {
    let Some(h) = &ret.header else {
        diags.push(
            Diagnostic::file(Code::MissingField, source, "the return has no header")
                .field(Module::Header.xml_name())
                .expected("a header with the reference date"),
        );
        return None;
    };
    match h.get("referencedate") {
        None => {
            diags.push(
                h.error(Code::MissingField, "referencedate", "no reference date")
                    .expected("the return's reference date, e.g. 2025-01-16"),
            );
            None
        }
        Some(v) => {
            let d = Date::parse(&v.text);
            if d.is_none() {
                diags.push(
                    h.error(Code::InvalidValue, "referencedate", "not a date")
                        .expected("a date such as 2025-01-16")
                        .found(format!("`{}`", v.text)),
                );
            }
            d
        }
    }
}

/// UKPRN → URN of the schools and colleges in a school file.
fn ukprns_of(file: &SchoolFile) -> BTreeMap<String, String> {
    file.schools
        .iter()
        .filter(|s| !s.ukprn.is_empty())
        .map(|s| (s.ukprn.clone(), s.urn.to_string()))
        .collect()
}

fn geography_of(file: &SchoolFile) -> Geography {
    let mut g = Geography::default();
    for s in &file.schools {
        if let Some(at) = s.location {
            g.add(&s.postcode, at);
        }
    }
    g
}

/// Imports a return into an area (not yet written).
pub fn import(spec: &ImportSpec) -> Result<Sen2Area, Diagnostics> {
    let mut ret = read_return(&spec.source)?;
    let mut diags = std::mem::take(&mut ret.diagnostics);
    let Some(reference) = reference(&ret, &spec.source, &mut diags) else {
        return Err(diags);
    };
    let academic_year = if reference.month >= 9 {
        reference.year + 1
    } else {
        reference.year
    };
    let matched = match &spec.settings {
        SettingsSource::Gias { file, la } => settings_from_gias(
            spec,
            file,
            std::slice::from_ref(la),
            &ret.persons,
            academic_year,
        )?,
        SettingsSource::Area(dir) => settings_from_area(spec, dir)?,
    };
    let MatchedSettings {
        name,
        settings,
        census,
        provision_assumptions,
        known,
        geography,
        ukprns,
    } = matched;
    let index = SettingIndex::new(&settings, ukprns);
    let ctx = Context {
        reference,
        academic_year,
        settings: &index,
        geography: &geography,
        known: &known,
        ids: &spec.ids,
    };
    let mut summary = Sen2Summary {
        read: ret.persons.len(),
        settings: settings.len(),
        reference_date: reference.to_string(),
        academic_year,
        ..Sen2Summary::default()
    };
    let mut children = read_children(&ret.persons, &ctx, &mut summary, &mut diags);
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    children.sort_by(|a, b| a.id.cmp(&b.id));
    summary.imported = children.len();
    summary.need_place = children.iter().filter(|c| c.needs_place).count();
    let assumptions = import_assumptions(academic_year, reference);
    let description = format!(
        "{} children from the SEN2 return (reference date {reference}), pseudonymised; settings {}",
        children.len(),
        match &spec.settings {
            SettingsSource::Gias { .. } => "built from the school file",
            SettingsSource::Area(_) => "of the area they were matched to",
        }
    );
    Ok(Sen2Area {
        name,
        description,
        academic_year,
        settings,
        census,
        provision_assumptions,
        children,
        summary,
        assumptions,
    })
}

/// The settings children are matched to, and what comes with them: the area's name and census,
/// the assumptions made building the settings, the children the area already had (by id), and
/// the school file's postcodes and UKPRNs.
struct MatchedSettings {
    name: String,
    settings: Vec<Setting>,
    census: CensusFile,
    provision_assumptions: Vec<u8>,
    known: BTreeMap<String, NeedProfile>,
    geography: Geography,
    ukprns: BTreeMap<String, String>,
}

/// Builds the settings from the school file: the authority's schools and their provision, with
/// every school the return's children attend or name.
fn settings_from_gias(
    spec: &ImportSpec,
    file: &Path,
    las: &[String],
    persons: &[Record],
    academic_year: i32,
) -> Result<MatchedSettings, Diagnostics> {
    let schools = read_schools(file)?;
    let options = BuildOptions {
        seed: spec.seed,
        reach_m: spec.reach_m,
        year: academic_year,
        cohort: false,
        ..BuildOptions::default()
    };
    let ukprns = ukprns_of(&schools);
    let include = person::urns(persons, &ukprns);
    let built = build_area_from(&schools, None, las, &options, &include)?;
    let geography = geography_of(&schools);
    let text = assumptions_text(
        "Assumptions made building the settings",
        &built.provision.assumptions,
    );
    Ok(MatchedSettings {
        name: built.name,
        settings: built.provision.settings,
        census: CensusFile::Counts(built.provision.census),
        provision_assumptions: text,
        known: BTreeMap::new(),
        geography,
        ukprns,
    })
}

/// Takes the settings, census and children of an existing area, and postcodes and UKPRNs from
/// a school file when one is given.
fn settings_from_area(spec: &ImportSpec, dir: &Path) -> Result<MatchedSettings, Diagnostics> {
    let loaded = load_area_with(dir, &spec.rules)?;
    let census = read_census(dir)?;
    let (geography, ukprns) = match &spec.postcodes {
        Some(p) => {
            let schools = read_schools(p)?;
            (geography_of(&schools), ukprns_of(&schools))
        }
        None => (Geography::default(), BTreeMap::new()),
    };
    let text = std::fs::read(dir.join("provision-assumptions.txt")).unwrap_or_default();
    let known: BTreeMap<String, NeedProfile> = loaded
        .area
        .children
        .into_iter()
        .map(|c| (c.id.0.clone(), c))
        .collect();
    Ok(MatchedSettings {
        name: loaded.config.name,
        settings: loaded.area.settings,
        census: if census.is_empty() {
            CensusFile::None
        } else {
            CensusFile::Counts(census.into_values().collect())
        },
        provision_assumptions: text,
        known,
        geography,
        ukprns,
    })
}

/// Reads every person into a child, counting in the summary who was imported, how homes were
/// found and who was left out and where; a second person with the same child id is an error.
fn read_children(
    persons: &[Record],
    ctx: &Context<'_>,
    summary: &mut Sen2Summary,
    diags: &mut Diagnostics,
) -> Vec<NeedProfile> {
    let mut children: Vec<NeedProfile> = Vec::new();
    let mut first_of: BTreeMap<String, usize> = BTreeMap::new();
    for p in persons {
        match read_person(p, ctx, diags) {
            Outcome::Child {
                child,
                home,
                kept_profile,
                has_plan,
                notes,
            } => {
                if has_plan {
                    summary.with_plan += 1;
                } else {
                    summary.in_progress += 1;
                }
                if first_of
                    .insert(child.id.0.clone(), children.len())
                    .is_some()
                {
                    diags.push(
                        p.error(
                            Code::DuplicateId,
                            "persontableid",
                            "this person has the same child id as an earlier one",
                        )
                        .expected("each person once in the return"),
                    );
                    continue;
                }
                *summary.homes.entry(home_label(home).into()).or_default() += 1;
                summary.kept_profiles += usize::from(kept_profile);
                for n in notes {
                    *summary.notes.entry(n.into()).or_default() += 1;
                }
                children.push(*child);
            }
            Outcome::Dropped(why) => {
                *summary.dropped.entry(why.into()).or_default() += 1;
                let places = summary.dropped_at.entry(why.into()).or_default();
                if places.len() < PLACES_SHOWN {
                    let file = p.file.display();
                    places.push(match &p.location {
                        Location::Text { line, column, .. } => {
                            format!("{file}:{line}:{column} ({})", p.path)
                        }
                        Location::Row { row, .. } => format!("{file}: row {row}"),
                        _ => file.to_string(),
                    });
                }
            }
        }
    }
    children
}

/// The assumptions every import makes: year groups, intensity, homes and places.
fn import_assumptions(academic_year: i32, reference: Date) -> Vec<Assumption> {
    vec![
        Assumption::new(
            "sen2-year-group",
            format!(
                "year group from the date of birth for the academic year starting September {academic_year} (the return's reference date {reference}); children under reception age or past year 14 are left out"
            ),
            "SEN2 return",
        ),
        Assumption::new(
            "sen2-intensity",
            "SEN2 records no intensity of need or required features: intensity of the primary need's broad area is 2 in a mainstream class, a college or no setting; 3 in a resource base, unit, state special school or alternative provision; 4 in a non-maintained or independent special school; 1 while a request is being assessed; each secondary need's area at least 1; PMLD: cognition 4, communication at least 3, sensory at least 2; SLD outside a mainstream class: cognition at least 3; no required features. Children the area already had (same id and needs) keep theirs",
            "placewise rule",
        ),
        Assumption::new(
            "sen2-home",
            "home: the centroid of the schools in the child's postcode sector, else district (from the school file's postcodes and grid references); else the home the area already had for the same id; else the current setting. The postcode itself is not kept",
            "school file",
        ),
        Assumption::new(
            "sen2-place",
            "current setting: the placement with the lowest rank (URN, else UKPRN, else the SEN setting code as the child's arrangement); a unit or resourced-provision indicator places the child in the school's base. Preferences: the settings named in the latest plan, by rank. A child needs a place when a phase transfer is due by September of the placement year, when the current setting does not take their year group, when they have no setting, or when a request or assessment is in progress (these children are given an EHC plan level and the need NSA until their needs are recorded)",
            "SEN2 return",
        ),
    ]
}

impl Sen2Area {
    /// Every file of the area folder, rendered.
    pub fn render(&self) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
        let toml = area_toml(&self.name, &self.description, self.academic_year)
            .map_err(|e| e.to_string())?;
        let mut out = vec![
            (
                "area.toml",
                format!("# Imported by placewise from an SEN2 person-level return.\n{toml}")
                    .into_bytes(),
            ),
            ("settings.csv", settings_csv(&self.settings)?),
            ("pools.csv", pools_csv(&self.settings)?),
            ("children.csv", children_csv(&self.children)?),
            (
                "sen2-assumptions.txt",
                assumptions_text(
                    "Assumptions made importing the SEN2 return",
                    &self.assumptions,
                ),
            ),
            (
                "sen2-quality.txt",
                format!(
                    "# Data quality of the SEN2 import: counts, and places in the return (nothing about any child)\n{}",
                    self.summary
                )
                .into_bytes(),
            ),
        ];
        if let CensusFile::Counts(c) = &self.census {
            out.push(("census.csv", census_csv(c)?));
        }
        if !self.provision_assumptions.is_empty() {
            out.push((
                "provision-assumptions.txt",
                self.provision_assumptions.clone(),
            ));
        }
        Ok(out)
    }

    /// Writes the area folder `dir` whole (nothing is written on an error).
    pub fn write(&self, dir: &Path) -> Result<(), Diagnostics> {
        let rendered = self
            .render()
            .map_err(|e| io_error(dir, "render the area", e))?;
        write_files(dir, &rendered)
    }
}
