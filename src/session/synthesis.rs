//! Areas built from the school register and the published statistics, and the atlas over
//! them: import an authority's schools, synthesise its children, write the invented demo
//! county, and place archetype children in every authority. Each returns what it built, with
//! every assumption made; errors are located [`Diagnostics`].

use crate::atlas::{Atlas, AtlasOptions, build_atlas, read_archetypes};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::load_area_with;
use crate::rules::{CompiledRules, RuleSource};
use crate::synth::{self, BuildOptions, BuiltArea, Cohort, CohortOptions, FigureSource};
use crate::synth::{Assumption, LaFigures, write};
use std::path::Path;
use std::time::Instant;

/// Builds the authorities `las` (every authority in the file when empty) from the GIAS-shaped
/// school file `gias`: their settings and provision, and (when `options.cohort`) their
/// children from the SEN2 figures in the folder `stats` (England's mix when `None`).
pub fn import_schools(
    gias: &Path,
    stats: Option<&Path>,
    las: &[String],
    options: &BuildOptions,
) -> Result<BuiltArea, Diagnostics> {
    synth::build_area(gias, stats, las, options)
}

/// The invented demo county (Wyvernshire): schools, provision and children with plans in
/// England's published mix.
pub fn build_demo_county(seed: u64, sen_support_share: f64) -> BuiltArea {
    synth::county::build_county(seed, sen_support_share)
}

/// Writes a built area to the folder `out` (a new folder, or an area folder to replace).
pub fn write_built_area(out: &Path, built: &BuiltArea) -> Result<(), Diagnostics> {
    write::write_area(out, &built.files())
}

/// How to synthesise an area's children.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildrenOptions<'a> {
    /// Local authority name or three-digit code.
    pub la: &'a str,
    /// January of the SEN2 figures (the placement year starts that September).
    pub year: i32,
    /// The seed of the synthesis.
    pub seed: u64,
    /// Folder of DfE SEN2 files (without it, England's mix scaled to the authority).
    pub stats: Option<&'a Path>,
    /// The rules the area is checked with.
    pub rules: &'a RuleSource,
    /// Share of each school's SEN-support pupils included (0 to 1).
    pub sen_support_share: f64,
    /// Straight-line reach (km) within which other authorities' settings may be a child's
    /// current setting or preference.
    pub reach_km: f64,
}

/// Synthesises the children of the area folder `area` (built by [`import_schools`]) and
/// writes them into it; returns the cohort with every assumption made.
pub fn synthesise_children(
    area: &Path,
    options: &ChildrenOptions<'_>,
) -> Result<Cohort, Diagnostics> {
    let loaded = load_area_with(area, options.rules)?;
    let census = write::read_census(area)?;
    let mut notes: Vec<Assumption> = Vec::new();
    let la = options.la;
    let figures: LaFigures = match options.stats {
        Some(dir) => {
            let release = synth::read_sen2(dir, options.year)?;
            notes.extend(release.assumptions.iter().cloned());
            match release.find(la) {
                Some(f) => f.clone(),
                None => {
                    let mut d = Diagnostics::default();
                    d.push(release.unknown_la(la, dir));
                    return Err(d);
                }
            }
        }
        None => {
            let name = loaded
                .area
                .settings
                .iter()
                .find(|s| s.local_authority.eq_ignore_ascii_case(la))
                .map(|s| s.local_authority.clone())
                .unwrap_or_else(|| la.to_string());
            let ehcp = synth::school_ehcp(&loaded.area.settings, &census, &name);
            notes.push(synth::national_assumption(&format!(
                "{name}: {ehcp} EHCP pupils on school rolls → {:.0} plans",
                ehcp as f64 / synth::IN_SCHOOL_SHARE
            )));
            FigureSource::National
                .figures("", &name, ehcp)
                .unwrap_or_else(|| LaFigures::national_2025().scaled(&name, ehcp))
        }
    };
    if !loaded.area.settings.iter().any(|s| {
        s.local_authority
            .trim()
            .eq_ignore_ascii_case(figures.la_name.trim())
    }) {
        let las = loaded.area.local_authorities();
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::file(
                Code::UnknownReference,
                &area.join("settings.csv"),
                format!(
                    "no setting of local authority `{}` in this area",
                    figures.la_name
                ),
            )
            .field("local_authority")
            .expected_one_of(la, &las),
        );
        return Err(d);
    }
    let cohort_options = CohortOptions {
        seed: options.seed,
        sen_support_share: options.sen_support_share,
        reach_m: options.reach_km * 1000.0,
        arrangements: true,
    };
    let mut cohort =
        synth::synthesise_cohort(&loaded.area.settings, &census, &figures, &cohort_options);
    notes.append(&mut cohort.assumptions);
    cohort.assumptions = notes;
    let files = write::AreaFiles {
        name: &loaded.config.name,
        description: &loaded.config.description,
        academic_year: options.year,
        provision: None,
        cohort: &cohort,
    };
    write::write_area(area, &files)?;
    Ok(cohort)
}

/// What the atlas places, where from and how.
#[derive(Clone, Debug, PartialEq)]
pub struct AtlasRequest<'a> {
    /// The GIAS-shaped school file the authorities' provision is built from.
    pub gias: &'a Path,
    /// The authorities (every authority in the file when empty).
    pub las: &'a [String],
    /// Archetype need profiles (the shipped `rules/archetypes/england.toml` when `None`).
    pub archetypes: Option<&'a Path>,
    /// The rules.
    pub rules: &'a RuleSource,
    /// Homes sampled per authority.
    pub homes: usize,
    /// The seed of the provision and of the homes.
    pub seed: u64,
    /// Straight-line reach (km) within which other authorities' special schools and colleges
    /// are included.
    pub reach_km: f64,
}

/// An atlas with what it was built from and how long it took.
#[derive(Clone, Debug)]
pub struct AtlasRun {
    /// The atlas.
    pub atlas: Atlas,
    /// Settings built from the school file.
    pub settings: usize,
    /// Assumptions made building the provision.
    pub provision_assumptions: usize,
    /// Seconds spent reading the rules and building the provision.
    pub provision_seconds: f64,
    /// Seconds spent placing the archetypes.
    pub atlas_seconds: f64,
}

/// The same child in every local authority: each archetype need profile placed at homes
/// sampled across each authority of `request.gias`.
pub fn build_atlas_from_register(request: &AtlasRequest<'_>) -> Result<AtlasRun, Diagnostics> {
    let started = Instant::now();
    let rules = CompiledRules::new(request.rules.load()?);
    let archetypes = read_archetypes(request.archetypes, &rules.rules)?;
    let options = BuildOptions {
        seed: request.seed,
        reach_m: request.reach_km * 1000.0,
        cohort: false,
        ..BuildOptions::default()
    };
    let built = synth::build_area(request.gias, None, request.las, &options)?;
    let provision_seconds = started.elapsed().as_secs_f64();
    let atlas = build_atlas(
        &rules,
        &built.provision.settings,
        request.las,
        &archetypes,
        &AtlasOptions {
            seed: request.seed,
            homes: request.homes,
            ..AtlasOptions::default()
        },
    );
    let atlas_seconds = started.elapsed().as_secs_f64() - provision_seconds;
    Ok(AtlasRun {
        atlas,
        settings: built.provision.settings.len(),
        provision_assumptions: built.provision.assumptions.len(),
        provision_seconds,
        atlas_seconds,
    })
}
