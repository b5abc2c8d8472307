//! `placewise-dev`: the developers' benchmark commands, kept out of the product's command
//! line. They write and solve placement problems in the common instance format (so placewise
//! and its peers are timed on the very same instance) and time tailored lists at scale; the
//! scripts in `benches/peers` and `scripts/bench` drive them. `synth-england` builds the
//! national-scale area they run on. Built with the `testing`
//! feature, as they reach the solver's parts directly.

mod bench;
mod synth;

use clap::{Parser, Subcommand};
use placewise::Diagnostics;
use placewise::testing::io::{LoadedArea, load_area_with};
use placewise::testing::rules::RuleSource;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "placewise-dev",
    version,
    about = "Benchmark tools for placewise's developers (not part of the product)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write a seeded synthetic placement problem in the common instance format.
    BenchInstance(bench::BenchInstanceArgs),
    /// Write an area's placement problem (this round) in the common instance format.
    ExportInstance(bench::ExportInstanceArgs),
    /// Solve an instance file with one engine; report times, objective and peak memory.
    SolveInstance(bench::SolveInstanceArgs),
    /// Time the tailored lists of an area's children (or a seeded random area's).
    BenchLists(bench::BenchListsArgs),
    /// Build every authority in a school file (or one, --la) with its cohort into one area
    /// folder, the national-scale benchmarks' area; prints timings.
    SynthEngland(synth::SynthEnglandArgs),
}

/// Why a command stopped.
#[derive(Debug)]
enum Failure {
    /// Input files that fail their checks.
    Input(Diagnostics),
    /// Anything else.
    Other(String),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Input(d)
    }
}

/// Loads an area with the rules from `--rules DIR`, or the shipped England rules without it.
fn load(area: &Path, rules: &Option<PathBuf>) -> Result<LoadedArea, Failure> {
    Ok(load_area_with(
        area,
        &RuleSource::from_option(rules.as_deref()),
    )?)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::BenchInstance(args) => bench::run_bench_instance(args),
        Command::ExportInstance(args) => bench::run_export_instance(args),
        Command::SolveInstance(args) => bench::run_solve_instance(args),
        Command::BenchLists(args) => bench::run_bench_lists(args),
        Command::SynthEngland(args) => synth::run_synth_england(args),
    };
    match outcome {
        Ok(code) => code,
        Err(Failure::Input(d)) => {
            for diagnostic in &d.diagnostics {
                eprintln!("{diagnostic}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Other(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
