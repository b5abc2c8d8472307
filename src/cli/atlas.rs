//! `placewise atlas`: the same child in every local authority. Builds every authority's
//! provision from a school file (as `synth` does), places each archetype need profile at homes
//! sampled across each authority, and writes CSV, JSON and an HTML page with a dot map.

use super::Failure;
use crate::render::atlas::atlas_html;
use crate::render::atlas_csv::{ATLAS_CSV_HEADER, atlas_csv_rows};
use crate::{AtlasRequest, AtlasRun, DEFAULT_REACH_KM, RuleSource};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(crate) struct AtlasArgs {
    /// GIAS-shaped school file (e.g. ../shared/data/gias/england_open_schools_2026.csv).
    #[arg(long)]
    gias: PathBuf,
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

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    crate::write_atomically(path, bytes)
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))
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
    let rules = RuleSource::from_option(args.rules.as_deref());
    let AtlasRun {
        atlas,
        settings,
        provision_assumptions,
        provision_seconds: built_s,
        atlas_seconds: atlas_s,
    } = crate::build_atlas_from_register(&AtlasRequest {
        gias: &args.gias,
        las: &args.la,
        archetypes: args.archetypes.as_deref(),
        rules: &rules,
        homes: args.homes,
        seed: args.seed,
        reach_km: args.reach_km,
    })?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::Other(format!("cannot create {}: {e}", args.out.display())))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let other = |e: csv::Error| Failure::Other(e.to_string());
    w.write_record(ATLAS_CSV_HEADER).map_err(other)?;
    for row in atlas_csv_rows(&atlas) {
        w.write_record(&row).map_err(other)?;
    }
    let csv = w.into_inner().map_err(|e| Failure::Other(e.to_string()))?;
    let json = serde_json::to_vec_pretty(&atlas).map_err(|e| Failure::Other(e.to_string()))?;
    write_file(&args.out.join("atlas.csv"), &csv)?;
    write_file(&args.out.join("atlas.json"), &json)?;
    write_file(&args.out.join("atlas.html"), atlas_html(&atlas).as_bytes())?;
    if !args.quiet {
        eprintln!("Assumptions:");
        for a in &atlas.assumptions {
            eprintln!("  - {a}");
        }
        eprintln!(
            "  - Provision: {} settings built from {} ({} provision assumptions, written by `placewise synth` into provision-assumptions.txt).",
            settings,
            args.gias.display(),
            provision_assumptions
        );
        eprintln!(
            "atlas: {} authorities × {} archetypes × {} homes; provision {:.1} s, atlas {:.1} s; wrote {}/atlas.{{csv,json,html}}",
            atlas.authorities.len(),
            atlas.archetypes.len(),
            atlas.homes_per_authority,
            built_s,
            atlas_s,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
