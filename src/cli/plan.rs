//! `placewise plan`: projections, scenarios and the sufficiency report.

use super::Failure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use placewise::io::LoadedArea;
use placewise::placement::PlacementOptions;
use placewise::plan::{Growth, PlanOptions, Scenario, load_scenarios, run_plan};
use std::path::{Path, PathBuf};

/// Arguments of `placewise plan`.
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[arg(long)]
    pub area: PathBuf,
    /// Scenario file (TOML). Without it, only the baseline is projected.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    /// Years to project after the base year.
    #[arg(long, default_value_t = 7)]
    pub years: u32,
    /// Monte Carlo draws per scenario.
    #[arg(long, default_value_t = 100)]
    pub draws: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for metrics.csv, results.json and report.html.
    #[arg(long)]
    pub out: PathBuf,
    /// Published caseload figures (ehcp_caseload_by_setting_2019_2025.csv or its folder) to
    /// derive the growth rate of `--la` from; without them, England's 2019–2025 growth is used.
    #[arg(long)]
    pub stats: Option<PathBuf>,
    /// Local authority whose published growth to use (with --stats); default: England.
    #[arg(long)]
    pub la: Option<String>,
    /// Annual growth rate to use instead (0.08 = 8%).
    #[arg(long)]
    pub growth: Option<f64>,
    /// No progress bar (for scripts).
    #[arg(long, short)]
    pub quiet: bool,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

pub fn run(args: PlanArgs) -> Result<std::process::ExitCode, Failure> {
    let loaded: LoadedArea = super::load(&args.area, &args.rules)?;
    let scenarios = match &args.scenarios {
        None => vec![Scenario::baseline()],
        Some(path) => load_scenarios(&loaded, path)?,
    };
    let mut growth = Growth::default();
    if let Some(stats) = &args.stats {
        let file = if stats.is_dir() {
            stats.join("ehcp_caseload_by_setting_2019_2025.csv")
        } else {
            stats.clone()
        };
        let la = args.la.clone().unwrap_or_else(|| "England".into());
        let (rate, source) = placewise::io::stats::caseload_growth(&file, &la)?;
        growth.rate = rate;
        growth.source = source;
    }
    if let Some(g) = args.growth {
        if !(-0.5..=1.0).contains(&g) {
            return Err(Failure::Other(format!(
                "--growth {g} is outside -0.5 to 1.0"
            )));
        }
        growth.rate = g;
        growth.source = "set on the command line".into();
    }
    let options = PlanOptions {
        years: args.years,
        draws: args.draws.max(1),
        seed: args.seed,
        growth,
        placement: PlacementOptions::default(),
    };
    let total = (scenarios.len() as u64) * options.draws as u64;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} scenario draws ({eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    };
    let results = run_plan(
        &loaded.area,
        &loaded.rules.rules,
        loaded.config.academic_year,
        &scenarios,
        &options,
        &|| bar.inc(1),
    )
    .map_err(|e| Failure::Other(e.to_string()))?;
    bar.finish_and_clear();
    let written = placewise::plan::report::write_report(&results, &args.out).map_err(|e| {
        Failure::Other(format!(
            "cannot write the report to {}: {e}",
            args.out.display()
        ))
    })?;
    if !args.quiet {
        summarise(&results, &written);
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn summarise(results: &placewise::plan::PlanResults, written: &[PathBuf]) {
    for s in &results.scenarios {
        if let Some(last) = s.years.last() {
            let q = |k: &str| last.metrics.get(k).copied().unwrap_or_default();
            println!(
                "{:<24} {}: unplaced {:.0} (p10–p90 {:.0}–{:.0}), cost £{:.1}m, mean travel {:.0} min",
                s.name,
                last.year,
                q("unplaced").p50,
                q("unplaced").p10,
                q("unplaced").p90,
                q("cost.total").p50 / 1e6,
                q("travel.mean").p50
            );
        }
    }
    for p in written {
        println!("wrote {}", p.display());
    }
    let _ = Path::new(".");
}
