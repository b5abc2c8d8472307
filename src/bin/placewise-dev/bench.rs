//! `placewise-dev bench-instance`, `export-instance` and `solve-instance`: placement problems in
//! the common instance format (the library's `solve::instance`), so that placewise and its
//! peers can be timed on the very same instance. `placewise-dev bench-lists` times tailored
//! lists at scale.

use super::{Failure, load};
use placewise::testing::engine::Engine;
use placewise::testing::io::atomic::AtomicFile;
use placewise::testing::lists::{ListOptions, tailored_list_within};
use placewise::testing::placement::{RoundPolicy, build_round};
use placewise::testing::rules::{CompiledRules, RuleSource, load_source};
use placewise::testing::solve::assign::{assignment_from_flow, build_network, greedy_flow};
use placewise::testing::solve::instance::{CostModel, generate, read_instance, write_instance};
use placewise::testing::solve::lp::{LpOptions, LpStatus, solve_lp};
use placewise::testing::solve::problem::{PlacementProblem, SideConstraints};
use placewise::testing::solve::stable::solve_stable;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `placewise-dev bench-instance`.
#[derive(clap::Args, Debug)]
pub struct BenchInstanceArgs {
    /// Children needing a place.
    #[arg(long)]
    pub children: usize,
    /// Settings (one place pool each).
    #[arg(long)]
    pub settings: usize,
    /// Candidate pools per child.
    #[arg(long, default_value_t = 50)]
    pub candidates: usize,
    /// How candidates and costs are drawn: geo (nearby pools, distance costs) or uniform.
    #[arg(long, default_value_t = CostModel::Geo)]
    pub costs: CostModel,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The instance file to write (whole or not at all).
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `placewise-dev export-instance`.
#[derive(clap::Args, Debug)]
pub struct ExportInstanceArgs {
    #[arg(long)]
    pub area: PathBuf,
    /// The instance file to write (whole or not at all).
    #[arg(long)]
    pub out: PathBuf,
    /// Only settings within this journey time (minutes) are candidates, plus preferences and
    /// the current setting (for national-scale areas).
    #[arg(long)]
    pub reach_minutes: Option<f64>,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// Solver used by `placewise-dev solve-instance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SolveEngine {
    /// The exact min-cost-flow core (network simplex, greedy warm start).
    Flow,
    /// The good_lp model solved by HiGHS as a linear programme (the LP relaxation).
    HighsLp,
    /// The good_lp model solved by HiGHS as a mixed-integer programme.
    HighsMip,
    /// Children-proposing deferred acceptance (not cost-optimal; for comparison).
    Stable,
}

impl SolveEngine {
    fn name(self) -> &'static str {
        match self {
            SolveEngine::Flow => "placewise-flow",
            SolveEngine::HighsLp => "placewise-highs-lp",
            SolveEngine::HighsMip => "placewise-highs-mip",
            SolveEngine::Stable => "placewise-stable",
        }
    }
}

/// Arguments of `placewise-dev solve-instance`.
#[derive(clap::Args, Debug)]
pub struct SolveInstanceArgs {
    /// The instance file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = SolveEngine::Flow)]
    pub engine: SolveEngine,
    /// Time limit for the HiGHS engines, seconds.
    #[arg(long, default_value_t = 3600.0)]
    pub time_limit: f64,
    /// One line of JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Writes a seeded synthetic instance.
pub fn run_bench_instance(args: BenchInstanceArgs) -> Result<ExitCode, Failure> {
    if args.settings == 0 && args.candidates > 0 && args.children > 0 {
        return Err(Failure::Other(
            "--settings must be at least 1 when children have candidates".into(),
        ));
    }
    let started = Instant::now();
    let problem = generate(
        args.children,
        args.settings,
        args.candidates,
        args.costs,
        args.seed,
    );
    write_file(&problem, &args.out, Some(started))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the placement problem of an area's round (default round policy) as an instance.
pub fn run_export_instance(args: ExportInstanceArgs) -> Result<ExitCode, Failure> {
    let loaded = load(&args.area, &args.rules)?;
    let engine = Engine::new(&loaded.rules, &loaded.area);
    let policy = RoundPolicy {
        reach_minutes: args.reach_minutes,
        ..RoundPolicy::default()
    };
    let mut problem = build_round(&engine, &policy).problem;
    // The format wants candidates in (child, pool) order.
    problem.candidates.sort_by_key(|c| (c.child, c.pool));
    write_file(&problem, &args.out, None)?;
    Ok(ExitCode::SUCCESS)
}

/// What one engine did on one instance.
#[derive(serde::Serialize)]
struct SolveReport {
    engine: &'static str,
    instance: String,
    children: usize,
    pools: usize,
    candidates: usize,
    /// Reading and checking the instance file.
    read_seconds: f64,
    /// Building the solver's model; `None` when the engine builds inside its solve call.
    build_seconds: Option<f64>,
    solve_seconds: f64,
    /// The integer objective of the placement found (sum of costs and unplaced penalties).
    objective: Option<i64>,
    /// The objective as the solver reports it (HiGHS: a float; may be fractional for an LP).
    solver_objective: Option<f64>,
    status: String,
    /// True when the engine proves its answer optimal.
    exact: bool,
    placed: usize,
    /// Peak resident memory of the whole process (VmHWM), MiB.
    peak_rss_mib: Option<f64>,
}

impl SolveReport {
    /// The report of `problem`, read from `instance` in `read_seconds`, before `engine` solves it:
    /// nothing timed, placed or proved yet.
    fn unsolved(
        engine: SolveEngine,
        instance: String,
        problem: &PlacementProblem,
        read_seconds: f64,
    ) -> Self {
        SolveReport {
            engine: engine.name(),
            instance,
            children: problem.children.len(),
            pools: problem.pools.len(),
            candidates: problem.candidates.len(),
            read_seconds,
            build_seconds: None,
            solve_seconds: 0.0,
            objective: None,
            solver_objective: None,
            status: String::new(),
            exact: false,
            placed: 0,
            peak_rss_mib: None,
        }
    }
}

/// Prints a benchmark report as one JSON line, or as the text `text` makes of it; the command
/// has then succeeded.
fn print_report<R: serde::Serialize>(
    report: &R,
    json: bool,
    text: impl FnOnce(&R) -> String,
) -> Result<ExitCode, Failure> {
    if json {
        let line = serde_json::to_string(report).map_err(|e| Failure::Other(e.to_string()))?;
        println!("{line}");
    } else {
        println!("{}", text(report));
    }
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory as a text report gives it.
fn rss_text(peak_rss_mib: Option<f64>) -> String {
    peak_rss_mib.map_or("unknown".to_string(), |m| format!("{m:.0} MiB"))
}

/// Reads an instance, solves it with one engine, and reports times, objective and peak memory.
pub fn run_solve_instance(args: SolveInstanceArgs) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let file = std::fs::File::open(&args.file)
        .map_err(|e| Failure::Other(format!("cannot open {}: {e}", args.file.display())))?;
    let problem = read_instance(std::io::BufReader::with_capacity(1 << 20, file))
        .map_err(|e| Failure::Other(format!("{}: {e}", args.file.display())))?;
    let read_seconds = started.elapsed().as_secs_f64();
    let mut report = SolveReport::unsolved(
        args.engine,
        args.file.display().to_string(),
        &problem,
        read_seconds,
    );
    match args.engine {
        SolveEngine::Flow => solve_flow(&problem, &mut report)?,
        SolveEngine::Stable => {
            let t = Instant::now();
            let assignment = solve_stable(&problem);
            report.solve_seconds = t.elapsed().as_secs_f64();
            report.objective = Some(assignment.objective);
            report.placed = assignment.pool_of_child.iter().flatten().count();
            report.status = "stable".into();
        }
        SolveEngine::HighsLp | SolveEngine::HighsMip => {
            let options = LpOptions {
                time_limit_seconds: args.time_limit,
                mip_gap: 0.0,
                integral: args.engine == SolveEngine::HighsMip,
            };
            let t = Instant::now();
            let outcome = solve_lp(&problem, &SideConstraints::default(), &options)
                .map_err(|e| Failure::Other(e.to_string()))?;
            report.solve_seconds = t.elapsed().as_secs_f64();
            report.solver_objective = outcome.objective;
            if let Some(a) = &outcome.assignment {
                report.objective = Some(a.objective);
                report.placed = a.pool_of_child.iter().flatten().count();
            }
            report.exact = outcome.status == LpStatus::Optimal;
            report.status = match outcome.status {
                LpStatus::Optimal if outcome.assignment.is_none() => "optimal-fractional".into(),
                LpStatus::Optimal => "optimal".into(),
                LpStatus::TimeLimit { .. } => "time-limit".into(),
                LpStatus::Interrupted => "interrupted".into(),
                LpStatus::Infeasible { .. } => "infeasible".into(),
            };
        }
    }
    report.peak_rss_mib = peak_rss_mib();
    print_report(&report, args.json, |report| {
        format!(
            "{}: {} children, {} pools, {} candidates\n  read {:.3} s, build {}, solve {:.3} s\n  objective {}, {} placed, status {}, peak RSS {}",
            report.engine,
            report.children,
            report.pools,
            report.candidates,
            report.read_seconds,
            report
                .build_seconds
                .map_or("(in solve)".to_string(), |s| format!("{s:.3} s")),
            report.solve_seconds,
            report
                .objective
                .map_or("none".to_string(), |o| o.to_string()),
            report.placed,
            report.status,
            rss_text(report.peak_rss_mib),
        )
    })
}

/// The flow core, as `solve_assignment` runs it, with the network build timed on its own.
fn solve_flow(problem: &PlacementProblem, report: &mut SolveReport) -> Result<(), Failure> {
    let t = Instant::now();
    let network = build_network(problem).map_err(|e| Failure::Other(e.to_string()))?;
    report.build_seconds = Some(t.elapsed().as_secs_f64());
    let t = Instant::now();
    let start = greedy_flow(problem);
    let solution = network
        .solve_from(&start)
        .map_err(|e| Failure::Other(e.to_string()))?;
    let assignment = assignment_from_flow(problem, &solution);
    report.solve_seconds = t.elapsed().as_secs_f64();
    report.objective = Some(assignment.objective);
    report.placed = assignment.pool_of_child.iter().flatten().count();
    report.status = "optimal".into();
    report.exact = true;
    Ok(())
}

/// Peak resident set size of this process (`VmHWM` in `/proc/self/status`), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Writes `problem` to `path` whole or not at all, then says what it wrote (and how long
/// the whole command took, from `started`, when given).
fn write_file(
    problem: &PlacementProblem,
    path: &Path,
    started: Option<Instant>,
) -> Result<(), Failure> {
    AtomicFile::create(path)
        .and_then(|mut f| {
            write_instance(problem, &mut f)?;
            f.finish()
        })
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    let took = started
        .map(|t| format!(" ({:.1} s)", t.elapsed().as_secs_f64()))
        .unwrap_or_default();
    eprintln!(
        "wrote {}: {} children, {} pools, {} candidates{took}",
        path.display(),
        problem.children.len(),
        problem.pools.len(),
        problem.candidates.len()
    );
    Ok(())
}

/// Arguments of `placewise-dev bench-lists`.
#[derive(clap::Args, Debug)]
pub struct BenchListsArgs {
    /// An area folder; without it, a seeded random area (`--children`, `--settings`).
    #[arg(long, conflicts_with_all = ["children", "settings"])]
    pub area: Option<PathBuf>,
    /// Children of the random area.
    #[arg(long, default_value_t = 20_000)]
    pub children: usize,
    /// Settings of the random area.
    #[arg(long, default_value_t = 600)]
    pub settings: usize,
    #[arg(long, default_value_t = 11)]
    pub seed: u64,
    /// List only this many children, evenly spread (0: every child).
    #[arg(long, default_value_t = 0)]
    pub sample: usize,
    /// Suitable settings listed per child.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Consider only settings within this journey time (minutes), plus preferences, the
    /// current setting and siblings' settings; without it, every setting.
    #[arg(long)]
    pub reach_minutes: Option<f64>,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// One line of JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What `placewise-dev bench-lists` measured.
#[derive(serde::Serialize)]
struct ListsReport {
    area: String,
    /// The journey time lists were limited to, if any.
    reach_minutes: Option<f64>,
    children: usize,
    settings: usize,
    rules: usize,
    threads: usize,
    /// Loading the area and rules (or generating the random area and compiling the rules).
    load_seconds: f64,
    /// `Engine::new`: the facts of every child and setting.
    engine_seconds: f64,
    /// Children whose lists were built (all, or the sample).
    listed: usize,
    /// Building those lists in parallel, in chunks that are dropped as they are done.
    lists_seconds: f64,
    /// `lists_seconds` scaled to every child (equal to it when nothing was sampled).
    all_lists_seconds: f64,
    /// Median time of one child's list, built alone on one thread, milliseconds.
    one_child_ms: f64,
    suitable_pairs: u64,
    peak_rss_mib: Option<f64>,
}

/// Times the tailored lists of every child (or a sample) of an area.
pub fn run_bench_lists(args: BenchListsArgs) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let (name, area, rules) = match &args.area {
        Some(dir) => {
            let loaded = load(dir, &args.rules)?;
            (dir.display().to_string(), loaded.area, loaded.rules)
        }
        None => {
            let rules = CompiledRules::new(load_source(&RuleSource::from_option(
                args.rules.as_deref(),
            ))?);
            let area = placewise::testkit::random_area(args.seed, args.settings, args.children);
            (
                format!(
                    "random {}x{} seed {}",
                    args.children, args.settings, args.seed
                ),
                area,
                rules,
            )
        }
    };
    let load_seconds = started.elapsed().as_secs_f64();
    let t = Instant::now();
    let engine = Engine::new(&rules, &area);
    let engine_seconds = t.elapsed().as_secs_f64();
    let n = area.children.len();
    let chosen: Vec<usize> = if args.sample == 0 || args.sample >= n {
        (0..n).collect()
    } else {
        (0..args.sample).map(|i| i * n / args.sample).collect()
    };
    let options = ListOptions::new(args.top).map_err(|e| Failure::Other(e.to_string()))?;
    let t = Instant::now();
    let mut suitable_pairs = 0u64;
    for chunk in chosen.chunks(4096) {
        suitable_pairs += chunk
            .par_iter()
            .map(|&c| {
                let list = tailored_list_within(&engine, c, options, args.reach_minutes);
                (list.entries.len() + list.omitted.len()) as u64
            })
            .sum::<u64>();
    }
    let lists_seconds = t.elapsed().as_secs_f64();
    let mut one: Vec<f64> = chosen
        .iter()
        .step_by((chosen.len() / 200).max(1))
        .map(|&c| {
            let t = Instant::now();
            std::hint::black_box(tailored_list_within(
                &engine,
                c,
                options,
                args.reach_minutes,
            ));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    one.sort_by(f64::total_cmp);
    let report = ListsReport {
        area: name,
        reach_minutes: args.reach_minutes,
        children: n,
        settings: area.settings.len(),
        rules: rules.rules.hard.len() + rules.rules.scores.len(),
        threads: rayon::current_num_threads(),
        load_seconds,
        engine_seconds,
        listed: chosen.len(),
        lists_seconds,
        all_lists_seconds: if chosen.is_empty() {
            0.0
        } else {
            lists_seconds * n as f64 / chosen.len() as f64
        },
        one_child_ms: one.get(one.len() / 2).copied().unwrap_or(0.0),
        suitable_pairs,
        peak_rss_mib: peak_rss_mib(),
    };
    print_report(&report, args.json, |report| {
        format!(
            "{}: {} children, {} settings, {} rules, {} threads\n  load {:.2} s, engine {:.2} s, lists of {} children {:.2} s (all {:.2} s), one child {:.3} ms, peak RSS {}",
            report.area,
            report.children,
            report.settings,
            report.rules,
            report.threads,
            report.load_seconds,
            report.engine_seconds,
            report.listed,
            report.lists_seconds,
            report.all_lists_seconds,
            report.one_child_ms,
            rss_text(report.peak_rss_mib),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use placewise::testing::solve::assign::solve_assignment;

    fn read(path: &Path) -> PlacementProblem {
        let file = std::fs::File::open(path).expect("instance written");
        read_instance(std::io::BufReader::new(file)).expect("instance reads back")
    }

    #[test]
    fn bench_instance_writes_the_requested_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("i.txt");
        let args = BenchInstanceArgs {
            children: 300,
            settings: 12,
            candidates: 5,
            costs: CostModel::Uniform,
            seed: 4,
            out: out.clone(),
        };
        assert!(run_bench_instance(args).is_ok());
        let problem = read(&out);
        assert_eq!(problem, generate(300, 12, 5, CostModel::Uniform, 4));
        assert!(!out.with_extension("partial").exists());
    }

    #[test]
    fn exported_demo_round_solves_to_the_placement_objective() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("demo.txt");
        let args = ExportInstanceArgs {
            area: root.join("fixtures/demo"),
            out: out.clone(),
            reach_minutes: None,
            rules: None,
        };
        assert!(run_export_instance(args).is_ok());
        let exported = read(&out);
        let loaded = placewise::testing::io::load_area(
            &root.join("fixtures/demo"),
            &root.join("rules/england"),
        )
        .expect("demo loads");
        let engine = Engine::new(&loaded.rules, &loaded.area);
        let round = build_round(&engine, &RoundPolicy::default()).problem;
        assert_eq!(exported.children.len(), round.children.len());
        assert_eq!(
            solve_assignment(&exported).unwrap().objective,
            solve_assignment(&round).unwrap().objective
        );
    }

    #[test]
    fn every_engine_reports_and_exact_ones_agree() {
        let problem = generate(200, 10, 4, CostModel::Geo, 9);
        let mut flow = SolveReport::unsolved(SolveEngine::Flow, String::new(), &problem, 0.0);
        solve_flow(&problem, &mut flow).unwrap();
        assert!(flow.exact && flow.build_seconds.is_some());
        assert_eq!(
            flow.objective,
            Some(solve_assignment(&problem).unwrap().objective)
        );
        let lp = solve_lp(
            &problem,
            &SideConstraints::default(),
            &LpOptions {
                integral: false,
                ..LpOptions::default()
            },
        )
        .unwrap();
        assert_eq!(lp.assignment.map(|a| a.objective), flow.objective);
        assert!(peak_rss_mib().is_some_and(|m| m > 0.0));
    }

    #[test]
    fn solve_instance_rejects_a_broken_file_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.txt");
        std::fs::write(
            &path,
            "placewise-instance v1 children 1 pools 1 candidates 1\nP 1 0 0 1\nC 9 -\nA 0 3 1 1\n",
        )
        .unwrap();
        let args = SolveInstanceArgs {
            file: path,
            engine: SolveEngine::Flow,
            time_limit: 1.0,
            json: true,
        };
        match run_solve_instance(args) {
            Err(Failure::Other(message)) => assert!(message.contains("line 4"), "{message}"),
            _ => panic!("a broken instance must fail"),
        }
    }
}
