//! `placewise backtest`: demand forecasts against published history on rolling origins, for
//! every authority.

use super::Failure;
use crate::render::backtest::{ages_table, groups_table, summary_table, write_backtest};
use std::path::PathBuf;

/// Arguments of `placewise backtest`.
#[derive(clap::Args, Debug)]
pub struct BacktestArgs {
    /// Folder of the DfE SEN2 files (or the caseload file itself; the new plans and requests
    /// files beside it are read when present).
    #[arg(long)]
    pub stats: PathBuf,
    /// Origin Januaries (repeat the flag; default 2020, 2021 and 2022): the last year of
    /// history each forecast may see.
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub from: Vec<i32>,
    /// Last January to compare with.
    #[arg(long, default_value_t = 2025, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub to: i32,
    /// Only these authorities (repeat the flag); default: every authority in the file.
    #[arg(long)]
    pub la: Vec<String>,
    /// Folder for backtest.csv, backtest.json and backtest.html.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: BacktestArgs) -> Result<std::process::ExitCode, Failure> {
    let mut origins = if args.from.is_empty() {
        vec![2020, 2021, 2022]
    } else {
        args.from.clone()
    };
    origins.sort_unstable();
    origins.dedup();
    if let Some(o) = origins.iter().find(|o| **o >= args.to) {
        eprintln!("error: --from {o} must be before --to {}", args.to);
        return Ok(std::process::ExitCode::from(2));
    }
    let result = crate::backtest_published(&args.stats, &origins, args.to, &args.la)?;
    let written = write_backtest(&result, &args.out).map_err(|e| {
        Failure::Other(format!(
            "cannot write the back-test to {}: {e}",
            args.out.display()
        ))
    })?;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error of the back-test.
    let _ = writeln!(
        out,
        "Total plans: median error by method, planner's 80% coverage\n"
    );
    let _ = write!(out, "{}", summary_table(&result));
    let longest = (args.to - origins[origins.len() - 1]).max(1) as u32;
    let _ = writeln!(out, "\nTypes of setting at {longest} years\n");
    let _ = write!(out, "{}", groups_table(&result, longest));
    if let Some(o) = result.age_origin {
        let _ = writeln!(out, "\nPlans by age, January {o} → {}\n", o + 1);
        let _ = write!(out, "{}", ages_table(&result));
    }
    let _ = writeln!(
        out,
        "\n{} authority-origins left out, {} authority-years flagged as possible reporting breaks (see backtest.html)",
        result.skipped.len(),
        result.flags.len()
    );
    for p in written {
        let _ = writeln!(out, "wrote {}", p.display());
    }
    Ok(std::process::ExitCode::SUCCESS)
}
