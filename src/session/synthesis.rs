//! Areas built from the school register and the published statistics, and the atlas over
//! them: import an authority's schools, synthesise its children, write the invented demo
//! county, and place archetype children in every authority. Each returns what it built, with
//! every assumption made; errors are located [`Diagnostics`].

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::io::load_area_with;
use crate::rules::RuleSource;
use crate::synth::{self, BuildOptions, BuiltArea, Cohort, CohortOptions, FigureSource};
use crate::synth::{Assumption, LaFigures, write};
use std::path::Path;

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
