//! The command-line front end: parse arguments, call the library, render. No logic of its own.

mod bench;
mod data;
mod plan;
mod report;
mod serve;

use clap::{Parser, Subcommand, ValueEnum};
use placewise::diag::Diagnostics;
use placewise::engine::Engine;
use placewise::explain::{
    LIST_CSV_HEADER, PLACEMENT_CSV_HEADER, csv_list_rows, explanation_text, list_text_table,
    placement_csv_rows, placement_text,
};
use placewise::io::{LoadedArea, load_area};
use placewise::lists::{ListOptions, all_lists_within, explain_pair, tailored_list_within};
use placewise::placement::{Mode, PlacementOptions, mark_lists, place};
use placewise::rules::{CompiledRules, load_rule_dirs, tests_data};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The rule set shipped with the tool, found next to the crate at build time.
pub(crate) fn default_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/england")
}

#[derive(Parser, Debug)]
#[command(
    name = "placewise",
    version,
    about = "Explained, capacity-aware placement of children with SEND in England (advisory: a person decides)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate the rules and an area's data; report every error with its location.
    Check {
        #[arg(long)]
        area: PathBuf,
        #[arg(long, default_value_os_t = default_rules())]
        rules: PathBuf,
    },
    /// Tailored list of suitable settings for one child (--child) or every child (--all).
    List {
        #[arg(long)]
        area: PathBuf,
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        child: Option<String>,
        #[arg(long)]
        all: bool,
        /// Number of suitable settings to list (preferred settings are always listed).
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write to this file instead of standard output (written whole or not at all).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run the area-wide placement first and mark, for each listed setting, whether a place
        /// is still there for this child afterwards.
        #[arg(long)]
        after_placement: bool,
        /// Consider only settings within this journey time (minutes), plus the parents'
        /// preferences and current setting; the rest are counted, not evaluated. For very large
        /// areas.
        #[arg(long)]
        reach_minutes: Option<f64>,
        #[arg(long, default_value_os_t = default_rules())]
        rules: PathBuf,
    },
    /// Area-wide placement: where every child who needs a place would best go, who is left
    /// without one, and what it costs.
    Place {
        #[arg(long)]
        area: PathBuf,
        #[arg(long, value_enum, default_value_t = PlaceMode::Optimal)]
        mode: PlaceMode,
        /// Cap on the summed annual cost of this round's placements, in pounds.
        #[arg(long)]
        budget: Option<String>,
        /// Minimum share (0 to 1) of placed children in mainstream settings.
        #[arg(long)]
        min_mainstream_share: Option<f64>,
        /// Keep siblings in this round in one setting (or leave them all unplaced).
        #[arg(long)]
        siblings_together: bool,
        /// Solve with the HiGHS model even without side constraints.
        #[arg(long)]
        lp: bool,
        /// Consider only settings within this journey time (minutes), plus the parents'
        /// preferences and current setting; the rest are counted, not evaluated. For very large
        /// areas.
        #[arg(long)]
        reach_minutes: Option<f64>,
        /// Time limit for the HiGHS model, seconds.
        #[arg(long, default_value_t = 60.0)]
        time_limit: f64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_os_t = default_rules())]
        rules: PathBuf,
    },
    /// Place sufficiency planning: project demand year by year, test it against capacity,
    /// travel and cost under what-if scenarios, and write CSV, JSON and an HTML report.
    Plan(plan::PlanArgs),
    /// Write a seeded synthetic placement problem in the common instance format.
    BenchInstance(bench::BenchInstanceArgs),
    /// Write an area's placement problem (this round) in the common instance format.
    ExportInstance(bench::ExportInstanceArgs),
    /// Solve an instance file with one engine; report times, objective and peak memory.
    SolveInstance(bench::SolveInstanceArgs),
    /// Time the tailored lists of an area's children (or a seeded random area's).
    BenchLists(bench::BenchListsArgs),
    /// Why is (or isn't) a setting suitable for a child? Every rule, with the facts.
    Explain {
        #[arg(long)]
        area: PathBuf,
        #[arg(long)]
        child: String,
        #[arg(long)]
        setting: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[arg(long, default_value_os_t = default_rules())]
        rules: PathBuf,
    },
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
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Run the rule test cases (a child, a setting, the expected verdict).
    Test {
        #[arg(long, default_value_os_t = default_rules())]
        rules: PathBuf,
        /// Folder of test cases (default: `tests` next to the rules folder).
        #[arg(long)]
        cases: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PlaceMode {
    Optimal,
    PreferenceFirst,
    Stable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli) {
        Ok(code) => code,
        Err(Failure::Input(d)) => {
            report::print_diagnostics(&d);
            ExitCode::from(1)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug)]
pub(crate) enum Failure {
    Input(Diagnostics),
    Other(String),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Input(d)
    }
}

pub(crate) fn load(area: &Path, rules: &Path) -> Result<LoadedArea, Failure> {
    Ok(load_area(area, rules)?)
}

fn execute(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Check { area, rules } => {
            let loaded = load(&area, &rules)?;
            let a = &loaded.area;
            let pools: usize = a.settings.iter().map(|s| s.pools.len()).sum();
            let places: u32 = a
                .settings
                .iter()
                .flat_map(|s| &s.pools)
                .map(|p| p.capacity)
                .sum();
            println!(
                "ok: {} — {} settings, {} place pools ({} places), {} children; {} hard rules, {} score rules, {} funding bands",
                loaded.config.name,
                a.settings.len(),
                pools,
                places,
                a.children.len(),
                loaded.rules.rules.hard.len(),
                loaded.rules.rules.scores.len(),
                loaded.rules.rules.funding.bands.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::List {
            area,
            child,
            all,
            top,
            format,
            out,
            after_placement,
            reach_minutes,
            rules,
        } => {
            let loaded = load(&area, &rules)?;
            let engine = Engine::new(&loaded.rules, &loaded.area);
            let options = ListOptions { top };
            let mut lists = if all {
                all_lists_within(&engine, options, reach_minutes)
            } else {
                let id = child.unwrap_or_default();
                let c = find_child(&loaded, &id)?;
                vec![tailored_list_within(&engine, c, options, reach_minutes)]
            };
            if after_placement {
                let mut placement = PlacementOptions::default();
                placement.policy.reach_minutes = reach_minutes;
                let report =
                    place(&engine, &placement).map_err(|e| Failure::Other(e.to_string()))?;
                mark_lists(&engine, &report, &mut lists);
            }
            let text = match format {
                Format::Json if all => to_json(&lists)?,
                Format::Json => to_json(&lists[0])?,
                Format::Csv => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(LIST_CSV_HEADER)
                        .map_err(|e| Failure::Other(e.to_string()))?;
                    for l in &lists {
                        for row in csv_list_rows(l) {
                            w.write_record(&row)
                                .map_err(|e| Failure::Other(e.to_string()))?;
                        }
                    }
                    String::from_utf8(w.into_inner().map_err(|e| Failure::Other(e.to_string()))?)
                        .unwrap_or_default()
                }
                Format::Table => lists
                    .iter()
                    .map(list_text_table)
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            emit(&text, out.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Place {
            area,
            mode,
            budget,
            min_mainstream_share,
            siblings_together,
            lp,
            reach_minutes,
            time_limit,
            format,
            out,
            rules,
        } => {
            let loaded = load(&area, &rules)?;
            let engine = Engine::new(&loaded.rules, &loaded.area);
            let mut options = PlacementOptions {
                mode: match mode {
                    PlaceMode::Optimal => Mode::Optimal,
                    PlaceMode::PreferenceFirst => Mode::PreferenceFirst,
                    PlaceMode::Stable => Mode::Stable,
                },
                force_lp: lp,
                ..PlacementOptions::default()
            };
            options.lp.time_limit_seconds = time_limit;
            options.policy.reach_minutes = reach_minutes;
            if let Some(b) = budget {
                let pounds = placewise::io::table::parse_money(&b)
                    .ok_or_else(|| Failure::Other(format!("--budget: cannot read `{b}`; expected an amount in pounds, e.g. 2500000 or £2,500,000")))?;
                options.side.budget_pounds = Some(pounds);
            }
            if let Some(share) = min_mainstream_share {
                if !(0.0..=1.0).contains(&share) {
                    return Err(Failure::Other(format!(
                        "--min-mainstream-share: {share} is not between 0 and 1"
                    )));
                }
                options.side.min_mainstream_share = Some(share);
            }
            options.side.keep_siblings_together = siblings_together;
            let report = place(&engine, &options).map_err(|e| Failure::Other(e.to_string()))?;
            let text = match format {
                Format::Json => to_json(&report)?,
                Format::Csv => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(PLACEMENT_CSV_HEADER)
                        .map_err(|e| Failure::Other(e.to_string()))?;
                    for row in placement_csv_rows(&report) {
                        w.write_record(&row)
                            .map_err(|e| Failure::Other(e.to_string()))?;
                    }
                    String::from_utf8(w.into_inner().map_err(|e| Failure::Other(e.to_string()))?)
                        .unwrap_or_default()
                }
                Format::Table => placement_text(&report),
            };
            emit(&text, out.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(args) => plan::run(args),
        Command::BenchInstance(args) => bench::run_bench_instance(args),
        Command::ExportInstance(args) => bench::run_export_instance(args),
        Command::SolveInstance(args) => bench::run_solve_instance(args),
        Command::BenchLists(args) => bench::run_bench_lists(args),
        Command::Data(cmd) => Ok(data::run_data(cmd)?),
        Command::Serve(args) => serve::run(args),
        Command::Explain {
            area,
            child,
            setting,
            format,
            rules,
        } => {
            let loaded = load(&area, &rules)?;
            let c = find_child(&loaded, &child)?;
            let s = loaded.area.setting_index(&setting).ok_or_else(|| {
                let ids = loaded.area.settings.iter().map(|s| s.id.as_str());
                Failure::Other(format!(
                    "no setting `{setting}` in {}{}",
                    area.join("settings.csv").display(),
                    placewise::diag::did_you_mean(&setting, ids)
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default()
                ))
            })?;
            let engine = Engine::new(&loaded.rules, &loaded.area);
            let e = explain_pair(&engine, c, s);
            let text = match format {
                Format::Json => to_json(&e)?,
                _ => explanation_text(&e),
            };
            emit(&text, None)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            command: RulesCommand::Test { rules, cases },
        } => {
            let set = load_rule_dirs(&[rules.as_path()])?;
            let compiled = CompiledRules::new(set);
            let dir =
                cases.unwrap_or_else(|| rules.parent().unwrap_or(Path::new(".")).join("tests"));
            let cases = tests_data::read_cases(&dir, &compiled.rules)?;
            let mut failed = Diagnostics::default();
            for case in &cases {
                let r = tests_data::run_case(&compiled, case);
                println!(
                    "{} {} ({})",
                    if r.passed { "PASS" } else { "FAIL" },
                    r.name,
                    r.location
                );
                if !r.passed {
                    failed.push(tests_data::case_diagnostic(case, &r));
                }
            }
            println!(
                "{} passed, {} failed",
                cases.len() - failed.diagnostics.len(),
                failed.diagnostics.len()
            );
            if failed.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                Err(Failure::Input(failed))
            }
        }
    }
}

fn find_child(loaded: &LoadedArea, id: &str) -> Result<usize, Failure> {
    loaded.area.child_index(id).ok_or_else(|| {
        let ids = loaded.area.children.iter().map(|c| c.id.as_str());
        Failure::Other(format!(
            "no child `{id}` in {}{}",
            loaded.dir.join("children.csv").display(),
            placewise::diag::did_you_mean(id, ids)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default()
        ))
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
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
        Some(path) => {
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, text)
                .and_then(|_| std::fs::rename(&tmp, path))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    Failure::Other(format!("cannot write {}: {e}", path.display()))
                })
        }
    }
}
