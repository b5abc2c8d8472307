//! The atlas from files: the school file (provision synthesised as `placewise synth` does),
//! the archetypes, the rules and, optionally, the published statistics. Reading is done by
//! [`crate::synth`] and [`crate::io`]; this joins them.

use super::{Atlas, AtlasOptions, build_atlas, read_archetypes};
use crate::diag::Diagnostics;
use crate::io::indicators::read_published;
use crate::rules::{CompiledRules, RuleSource};
use crate::synth::{self, BuildOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// What to build an atlas from.
#[derive(Clone, Debug)]
pub struct AtlasRequest {
    /// The school file.
    pub gias: PathBuf,
    /// The published statistics folder: with it, provision follows each authority's published
    /// mix (as `synth --stats`) and the atlas carries the published indicators.
    pub stats: Option<PathBuf>,
    /// Authorities to include (every one in the school file when empty).
    pub las: Vec<String>,
    /// Archetypes file (the shipped ones when `None`).
    pub archetypes: Option<PathBuf>,
    /// Rules folder (the shipped England rules when `None`).
    pub rules: Option<PathBuf>,
    /// Straight-line reach (metres) within which other authorities' special schools and
    /// colleges are included.
    pub reach_m: f64,
    /// How homes are sampled.
    pub options: AtlasOptions,
}

/// An atlas and how it was made.
#[derive(Clone, Debug)]
pub struct AtlasMade {
    /// The atlas.
    pub atlas: Atlas,
    /// Settings synthesised.
    pub settings: usize,
    /// Assumptions made building the provision.
    pub provision_assumptions: usize,
    /// Seconds spent building the provision.
    pub provision_s: f64,
    /// Seconds spent building the atlas.
    pub atlas_s: f64,
}

/// Reads every input, builds the provision and the atlas, and attaches the published
/// indicators. Every input error is reported, located; nothing is built then.
pub fn atlas_from_files(request: &AtlasRequest) -> Result<AtlasMade, Diagnostics> {
    let started = Instant::now();
    let rules = CompiledRules::new(RuleSource::from_option(request.rules.as_deref()).load()?);
    let archetypes = read_archetypes(request.archetypes.as_deref(), &rules.rules)?;
    let published = match &request.stats {
        Some(dir) => Some(read_published(dir)?),
        None => None,
    };
    let build = BuildOptions {
        seed: request.options.seed,
        reach_m: request.reach_m,
        cohort: false,
        ..BuildOptions::default()
    };
    let built = synth::build_area(
        &request.gias,
        request.stats.as_deref(),
        &request.las,
        &build,
    )?;
    let settings = &built.provision.settings;
    let la_of: BTreeMap<&str, &str> = settings
        .iter()
        .map(|s| (s.id.0.as_str(), s.local_authority.as_str()))
        .collect();
    let mut pupils: BTreeMap<String, u64> = BTreeMap::new();
    for c in &built.provision.census {
        if let Some(la) = la_of.get(c.setting.as_str()) {
            *pupils.entry(la.to_string()).or_default() += u64::from(c.pupils_on_roll);
        }
    }
    let provision_s = started.elapsed().as_secs_f64();
    let mut atlas = build_atlas(
        &rules,
        settings,
        &pupils,
        &request.las,
        &archetypes,
        &request.options,
    );
    if let Some(p) = &published {
        atlas.attach_indicators(p);
    }
    Ok(AtlasMade {
        settings: settings.len(),
        provision_assumptions: built.provision.assumptions.len(),
        atlas,
        provision_s,
        atlas_s: started.elapsed().as_secs_f64() - provision_s,
    })
}
