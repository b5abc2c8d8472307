//! `placewise-dev synth-england`: every authority of a school file in one area folder, with
//! its cohort, timed — the area the national-scale benchmarks run on.

use super::Failure;
use placewise::{
    BuildOptions, DEFAULT_REACH_KM, DEFAULT_SEN_SUPPORT_SHARE, import_schools, limits,
    write_built_area,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `synth-england`.
#[derive(clap::Args, Debug)]
pub struct SynthEnglandArgs {
    /// The school register extract (GIAS CSV).
    #[arg(long)]
    gias: PathBuf,
    /// The folder of published SEND statistics.
    #[arg(long)]
    stats: PathBuf,
    /// The area folder to write.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only this local authority.
    #[arg(long)]
    la: Option<String>,
    /// Calendar year in which the academic year starts (September).
    #[arg(long, default_value_t = 2025)]
    year: i32,
    /// Other authorities' special schools and colleges within this many km are included.
    #[arg(long, default_value_t = DEFAULT_REACH_KM)]
    reach_km: f64,
    /// Share of SEN-support pupils included (0 to 1).
    #[arg(long, default_value_t = DEFAULT_SEN_SUPPORT_SHARE)]
    sen_support_share: f64,
}

/// Builds and writes the area, then prints its size and the time each step took.
pub fn run_synth_england(args: SynthEnglandArgs) -> Result<ExitCode, Failure> {
    let share = limits::share("--sen-support-share", args.sen_support_share)
        .map_err(|e| Failure::Other(e.to_string()))?;
    let start = Instant::now();
    let options = BuildOptions {
        seed: args.seed,
        reach_m: args.reach_km * 1000.0,
        year: args.year,
        sen_support_share: share,
        cohort: true,
    };
    let las: Vec<String> = args.la.into_iter().collect();
    let built = import_schools(&args.gias, Some(&args.stats), &las, &options)?;
    let built_in = start.elapsed();
    write_built_area(&args.out, &built)?;
    let total = start.elapsed();
    let plans = built
        .cohort
        .children
        .iter()
        .filter(|c| c.plan_level != "sen-support")
        .count();
    println!(
        "wrote {}: {} — {} settings, {} children ({} with EHC plans, {} SEN support)",
        args.out.display(),
        built.name,
        built.provision.settings.len(),
        built.cohort.children.len(),
        plans,
        built.cohort.children.len() - plans
    );
    println!(
        "time: build {:.2} s (read, provision, cohort), write {:.2} s, total {:.2} s",
        built_in.as_secs_f64(),
        (total - built_in).as_secs_f64(),
        total.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
