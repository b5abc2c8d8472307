//! `placewise atlas`: the same child in every local authority. Builds every authority's
//! provision from a school file (as `synth` does), places each archetype need profile at homes
//! sampled across each authority, and writes CSV, JSON and an HTML page with a dot map.

use super::Failure;
use crate::atlas::{AtlasOptions, build_atlas, read_archetypes};
use crate::io::atomic::AtomicFile;
use crate::render::atlas::atlas_html;
use crate::render::atlas_csv::{ATLAS_CSV_HEADER, atlas_csv_rows};
use crate::rules::{CompiledRules, RuleSource};
use crate::synth::{self, BuildOptions};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

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
    #[arg(long, default_value_t = synth::DEFAULT_REACH_KM)]
    reach_km: f64,
    /// Print no assumptions and timings.
    #[arg(long)]
    quiet: bool,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::Other(format!("cannot write {}: {e}", path.display()));
    let mut f = AtomicFile::create(path).map_err(fail)?;
    f.write_all(bytes).map_err(fail)?;
    f.finish().map_err(fail)
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
    let started = Instant::now();
    let rules = CompiledRules::new(RuleSource::from_option(args.rules.as_deref()).load()?);
    let archetypes = read_archetypes(args.archetypes.as_deref(), &rules.rules)?;
    let options = BuildOptions {
        seed: args.seed,
        reach_m: args.reach_km * 1000.0,
        cohort: false,
        ..BuildOptions::default()
    };
    let built = synth::build_area(&args.gias, None, &args.la, &options)?;
    let built_s = started.elapsed().as_secs_f64();
    let atlas = build_atlas(
        &rules,
        &built.provision.settings,
        &args.la,
        &archetypes,
        &AtlasOptions {
            seed: args.seed,
            homes: args.homes,
            ..AtlasOptions::default()
        },
    );
    let atlas_s = started.elapsed().as_secs_f64() - built_s;
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
            built.provision.settings.len(),
            args.gias.display(),
            built.provision.assumptions.len()
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
