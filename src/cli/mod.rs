//! The command-line front end: parse arguments, call the library, render. No logic of its own.

mod args;
mod atlas;
mod backtest;
#[cfg(feature = "xlsx")]
mod convert;
mod data;
mod explain;
mod list;
mod options;
mod place;
mod plan;
mod report;
mod sen2;
mod serve;

use crate::diag::Diagnostics;
use crate::{RuleSource, Session};
use clap::{Parser, Subcommand, ValueEnum};
use options::{AreaOptions, ArgumentError};
use report::MessageFormat;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "placewise",
    version,
    about = "Explained, capacity-aware placement of children with SEND in England (advisory: a person decides)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How input errors are printed on stderr.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Auto)]
    message_format: MessageFormat,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate the rules and an area's data; report every error with its location.
    Check {
        #[arg(long)]
        area: PathBuf,
        /// `json` prints the summary or every diagnostic as JSON on stdout, for other systems.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Rule folder to use instead of the shipped England rules (see `rules export`).
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Folder of DfE SEN2 statistics: print the area's mix of EHC plans by type of
        /// placement beside the published January 2025 mix of `--la`.
        #[arg(long, value_name = "DIR", requires = "la")]
        stats: Option<PathBuf>,
        /// The local authority whose published mix to compare with (with `--stats`).
        #[arg(long, value_name = "NAME", requires = "stats")]
        la: Option<String>,
    },
    /// Tailored list of suitable settings for one child (--child) or every child (--all).
    List(list::ListArgs),
    /// Area-wide placement: where every child who needs a place would best go, who is left
    /// without one, and what it costs.
    Place(place::PlaceArgs),
    /// Place sufficiency planning: project demand year by year, test it against capacity,
    /// travel and cost under what-if scenarios, and write CSV, JSON and an HTML report.
    Plan(plan::PlanArgs),
    /// Project each authority's caseload from a past January and compare with what was
    /// published, beside persistence and trend baselines; CSV, JSON and HTML.
    Backtest(backtest::BacktestArgs),
    /// The same child in every local authority: archetype need profiles placed at homes
    /// sampled across each authority; CSV, JSON and an HTML dot map of England.
    Atlas(atlas::AtlasArgs),
    /// Why is (or isn't) a setting suitable for a child? Every rule, with the facts.
    Explain(explain::ExplainArgs),
    /// Rule-set tools.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    #[command(flatten)]
    Data(data::DataCommand),
    /// Serve the caseworker web app and the JSON API for one area (loopback only without a
    /// token).
    Serve(serve::ServeArgs),
    /// Convert an area between a folder and an Excel workbook: `convert AREA OUT.xlsx`, or
    /// `convert BOOK.xlsx OUTDIR` (checked first; written whole or not at all).
    #[cfg(feature = "xlsx")]
    Convert(convert::ConvertArgs),
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Run the rule test cases (a child, a setting, the expected verdict).
    Test {
        /// Rule folder to use instead of the shipped England rules (see `rules export`).
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Folder of test cases (default: the shipped cases with the shipped rules, otherwise
        /// `tests` next to the rules folder).
        #[arg(long)]
        cases: Option<PathBuf>,
    },
    /// Write the shipped England rules (and their test cases, in `tests/` inside) to a folder,
    /// for a local authority to edit and use with `--rules DIR`.
    Export {
        /// Folder to write into (created when missing).
        dir: PathBuf,
        /// Overwrite rule files that are already there.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let messages = cli.message_format;
    let writes = cli.command.writes_files();
    match execute(cli) {
        Ok(code) => code,
        Err(Failure::Input(d)) => {
            report::print_diagnostics(&d, messages, writes);
            ExitCode::from(1)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Argument(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

impl Command {
    /// True for commands that write output files (so a failure can say nothing was written).
    fn writes_files(&self) -> bool {
        match self {
            Command::List(args) => args.out.is_some(),
            Command::Place(args) => args.out.is_some(),
            Command::Plan(_)
            | Command::Data(_)
            | Command::Rules {
                command: RulesCommand::Export { .. },
            } => true,
            _ => false,
        }
    }
}

#[derive(Debug)]
pub(crate) enum Failure {
    /// Input files that fail their checks (exit code 1).
    Input(Diagnostics),
    /// Anything else that stops a command after its arguments were accepted (exit code 1).
    Other(String),
    /// An argument refused in the second stage (exit code 2).
    Argument(ArgumentError),
}

impl From<ArgumentError> for Failure {
    fn from(e: ArgumentError) -> Self {
        Failure::Argument(e)
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Input(d)
    }
}

/// Loads an area with the rules from `--rules DIR`, or the shipped England rules without it.
pub(crate) fn load(area: &Path, rules: &Option<PathBuf>) -> Result<Session, Failure> {
    AreaOptions::new(area, rules.as_deref(), None).load()
}

fn execute(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Check {
            area,
            format,
            rules,
            stats,
            la,
        } => {
            let session = match AreaOptions::new(&area, rules.as_deref(), None).load() {
                Ok(l) => l,
                Err(Failure::Input(d)) if format == CheckFormat::Json => {
                    let records: Vec<_> = d.diagnostics.iter().map(|d| d.record()).collect();
                    let doc = serde_json::json!({ "ok": false, "diagnostics": records });
                    emit(&to_json(&doc)?, None)?;
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e),
            };
            let summary = session.summary();
            // The area's mix as it is (no round), beside the published one when asked for.
            let compare = match stats.zip(la) {
                Some((stats, la)) => Some((session.mix(), place::published_mix(&stats, &la)?)),
                None => None,
            };
            if format == CheckFormat::Json {
                let mut extra = vec![("diagnostics", serde_json::json!([]))];
                if let Some((mix, published)) = &compare {
                    extra.push((
                        "mix",
                        serde_json::to_value(mix).map_err(|e| Failure::Other(e.to_string()))?,
                    ));
                    extra.push((
                        "published_mix",
                        serde_json::to_value(published)
                            .map_err(|e| Failure::Other(e.to_string()))?,
                    ));
                }
                let doc = summary.to_json(&extra);
                emit(&to_json(&doc)?, None)?;
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "ok: {} — {} settings, {} place pools ({} places), {} children; {} hard rules, {} score rules, {} funding bands",
                summary.area,
                summary.settings,
                summary.place_pools,
                summary.places,
                summary.children,
                summary.hard_rules,
                summary.score_rules,
                summary.funding_bands
            );
            if let Some((mix, published)) = &compare {
                print!(
                    "{}",
                    crate::render::mix_text("Children with EHC plans in the area", mix, published)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List(args) => list::run(args),
        Command::Place(args) => place::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Backtest(args) => backtest::run(args),
        Command::Atlas(args) => atlas::run(args),
        Command::Data(cmd) => Ok(data::run_data(cmd)?),
        Command::Serve(args) => serve::run(args),
        #[cfg(feature = "xlsx")]
        Command::Convert(args) => convert::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules {
            command: RulesCommand::Test { rules, cases },
        } => {
            let source = RuleSource::from_option(rules.as_deref());
            let run = crate::run_rule_tests(&source, cases.as_deref())?;
            for r in &run.results {
                println!(
                    "{} {} ({})",
                    if r.passed { "PASS" } else { "FAIL" },
                    r.name,
                    r.location
                );
            }
            println!(
                "{} passed, {} failed",
                run.results.len() - run.failed.diagnostics.len(),
                run.failed.diagnostics.len()
            );
            if run.failed.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                Err(Failure::Input(run.failed))
            }
        }
        Command::Rules {
            command: RulesCommand::Export { dir, force },
        } => {
            let written = crate::export_rules(&dir, force)?;
            for path in &written {
                println!("wrote {}", path.display());
            }
            println!(
                "edit these files and pass `--rules {}` to use them",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Failure::Other(e.to_string()))
}

/// Writes `text` to `out` atomically (temporary file, then rename) or to stdout.
fn emit(text: &str, out: Option<&Path>) -> Result<(), Failure> {
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = stdout.write_all(text.as_bytes());
            Ok(())
        }
        Some(path) => crate::write_atomically(path, text.as_bytes())
            .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display()))),
    }
}
