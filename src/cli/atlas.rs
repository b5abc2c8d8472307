//! `placewise atlas`: the same child in every local authority. Builds every authority's
//! provision from a school file (as `synth` does), places each archetype need profile at homes
//! sampled across each authority, and writes CSV, JSON and an HTML page with dot maps; with
//! `--stats`, beside each authority's published indicators.

use super::Failure;
use crate::render::atlas::atlas_files;
use crate::{AtlasOptions, AtlasRequest, DEFAULT_REACH_KM, atlas_from_files, write_atomically};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(crate) struct AtlasArgs {
    /// GIAS-shaped school file (e.g. ../shared/data/gias/england_open_schools_2026.csv).
    #[arg(long)]
    gias: PathBuf,
    /// Published statistics folder (e.g. ../shared/data/stats): provision follows each
    /// authority's published mix, and the atlas carries its published indicators.
    #[arg(long, value_name = "DIR")]
    stats: Option<PathBuf>,
    /// Local authority to include (repeat for several; default every authority in the file).
    #[arg(long)]
    la: Vec<String>,
    /// Output folder: atlas.csv, atlas.json and atlas.html (each written whole or not at all).
    #[arg(long)]
    out: PathBuf,
    /// Archetype need profiles (default: the shipped rules/archetypes/england.toml).
    #[arg(long)]
    archetypes: Option<PathBuf>,
    /// Homes sampled per authority.
    #[arg(long, default_value_t = 40)]
    homes: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Straight-line reach (km) within which other authorities' special schools and colleges
    /// are included (as `synth`).
    #[arg(long, default_value_t = DEFAULT_REACH_KM)]
    reach_km: f64,
    /// Print no assumptions and timings.
    #[arg(long)]
    quiet: bool,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

pub(crate) fn run(args: AtlasArgs) -> Result<ExitCode, Failure> {
    if args.homes == 0 {
        eprintln!("error: --homes: expected at least 1 home per authority, found 0");
        return Ok(ExitCode::from(2));
    }
    if !args.reach_km.is_finite() || args.reach_km <= 0.0 {
        eprintln!(
            "error: --reach-km: expected a positive distance, found {}",
            args.reach_km
        );
        return Ok(ExitCode::from(2));
    }
    let made = atlas_from_files(&AtlasRequest {
        gias: args.gias.clone(),
        stats: args.stats,
        las: args.la,
        archetypes: args.archetypes,
        rules: args.rules,
        reach_m: args.reach_km * 1000.0,
        options: AtlasOptions {
            seed: args.seed,
            homes: args.homes,
            ..AtlasOptions::default()
        },
    })?;
    let atlas = &made.atlas;
    let files = atlas_files(atlas).map_err(Failure::Other)?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::Other(format!("cannot create {}: {e}", args.out.display())))?;
    for (name, bytes) in &files {
        let path = args.out.join(name);
        write_atomically(&path, bytes)
            .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    }
    if !args.quiet {
        eprintln!("Assumptions:");
        for a in &atlas.assumptions {
            eprintln!("  - {a}");
        }
        eprintln!(
            "  - Provision: {} settings built from {} ({} provision assumptions, written by `placewise synth` into provision-assumptions.txt).",
            made.settings,
            args.gias.display(),
            made.provision_assumptions
        );
        eprintln!(
            "atlas: {} authorities × {} archetypes × {} homes; provision {:.1} s, atlas {:.1} s; wrote {}/atlas.{{csv,json,html}}",
            atlas.authorities.len(),
            atlas.archetypes.len(),
            atlas.homes_per_authority,
            made.provision_s,
            made.atlas_s,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
