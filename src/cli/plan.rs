//! `placewise plan`: projections, scenarios and the sufficiency report.

use super::{Failure, args};
use crate::{Growth, PlanOptions, PlanResults, ProvisionGrowth, PublishedGrowth, Scenario};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;

/// Arguments of `placewise plan`.
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[arg(long)]
    pub area: PathBuf,
    /// Scenario file (TOML). Without it, only the baseline is projected.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    /// Years to project after the base year (1 to 30).
    #[arg(long, default_value_t = 7, value_parser = args::plan_years)]
    pub years: u32,
    /// Monte Carlo draws per scenario (1 to 100,000).
    #[arg(long, default_value_t = 100, value_parser = args::plan_draws)]
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
    /// Annual growth rate of plans to use instead (0.08 = 8%; 0 to 1).
    #[arg(long, allow_hyphen_values = true, value_parser = args::growth_rate)]
    pub growth: Option<f64>,
    /// Annual growth of pupils without plans on school rolls (the pupil projection; -0.1 to 0.1;
    /// default flat).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true, value_parser = args::pupil_growth)]
    pub pupil_growth: f64,
    /// Annual cost of a fallback placement for a child the rules cannot place, in pounds
    /// (default: the median fee of the area's independent special schools).
    #[arg(long, value_parser = args::fallback_fee)]
    pub fallback_fee: Option<i64>,
    /// Specialist places with no scenario: `fixed` (today's places, the default: shortfalls
    /// are places needed beyond today's capacity) or `historical` (grow by the calibrated net
    /// change of plans in each type of provision, additions printed). Colleges are not
    /// capacity-bound in either.
    #[arg(long, default_value = "fixed", value_parser = provision)]
    pub provision: ProvisionGrowth,
    /// No progress bar (for scripts).
    #[arg(long, short)]
    pub quiet: bool,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// `xlsx` also writes `plan.xlsx` (Metrics, SCAP and Notes sheets) into `--out`.
    #[cfg(feature = "xlsx")]
    #[arg(long, value_enum)]
    pub format: Option<PlanFormat>,
}

/// Extra output formats of `plan`.
#[cfg(feature = "xlsx")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// An Excel workbook, `plan.xlsx`.
    Xlsx,
}

pub fn run(args: PlanArgs) -> Result<std::process::ExitCode, Failure> {
    let session = super::load(&args.area, &args.rules)?;
    let scenarios = match &args.scenarios {
        None => vec![Scenario::baseline()],
        Some(path) => session.read_scenarios(path)?,
    };
    let PublishedGrowth {
        mut growth,
        track_record,
        national_record,
    } = match &args.stats {
        Some(stats) => {
            let la = args.la.as_deref().unwrap_or("England");
            session.published_growth(stats, la, args.years)?
        }
        None if args.la.is_some() => {
            return Err(Failure::Other(
                "--la needs --stats DIR (the folder of the published caseload file)".into(),
            ));
        }
        None => PublishedGrowth {
            growth: Growth::default(),
            track_record: Vec::new(),
            national_record: Vec::new(),
        },
    };
    if let Some(g) = args.growth {
        growth.rate = g;
        growth.source = "set on the command line".into();
    }
    growth.pupils = args.pupil_growth;
    let mut options = PlanOptions::checked(args.years, args.draws, args.seed, growth)
        .map_err(|e| Failure::Other(e.to_string()))?;
    options.fallback_fee = args.fallback_fee;
    options.provision = args.provision;
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
    let results = session
        .plan_with_progress(&scenarios, &options, &|| bar.inc(1))
        .map_err(|e| Failure::Other(e.to_string()))?;
    bar.finish_and_clear();
    let results = PlanResults {
        track_record,
        national_record,
        ..results
    };
    #[allow(unused_mut)]
    let mut written = crate::render::plan::write_report(&results, &args.out).map_err(|e| {
        Failure::Other(format!(
            "cannot write the report to {}: {e}",
            args.out.display()
        ))
    })?;
    #[cfg(feature = "xlsx")]
    if args.format == Some(PlanFormat::Xlsx) {
        let path = args.out.join("plan.xlsx");
        crate::render::xlsx::plan_book(&results)
            .map_err(|e| Failure::Other(e.to_string()))?
            .save(&path)
            .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
        written.push(path);
    }
    if !args.quiet {
        summarise(&results, &written);
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn summarise(results: &PlanResults, written: &[PathBuf]) {
    print!("{}", crate::render::plan::summary_text(results));
    for p in written {
        println!("wrote {}", p.display());
    }
}

/// `--provision`: `historical` or `fixed`.
pub(crate) fn provision(text: &str) -> Result<ProvisionGrowth, String> {
    ProvisionGrowth::parse(text.trim())
        .ok_or_else(|| format!("expected `historical` or `fixed`, found `{text}`"))
}
