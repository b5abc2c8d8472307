//! `placewise backtest`: the projection against published history, for every authority.

use super::Failure;
use crate::io::stats::{Caseload, read_caseload};
use crate::plan::backtest::backtest;
use crate::render::backtest::{summary_table, write_backtest};
use std::path::PathBuf;

/// Arguments of `placewise backtest`.
#[derive(clap::Args, Debug)]
pub struct BacktestArgs {
    /// Folder of the DfE SEN2 files (or the caseload file itself).
    #[arg(long)]
    pub stats: PathBuf,
    /// January to start from (the last year of history the methods may see).
    #[arg(long, default_value_t = 2022, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    pub from: i32,
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
    if args.to <= args.from {
        eprintln!("error: --to {} must be after --from {}", args.to, args.from);
        return Ok(std::process::ExitCode::from(2));
    }
    let caseload = read_caseload(&Caseload::file_in(&args.stats))?;
    let mut diags = crate::diag::Diagnostics::default();
    for la in &args.la {
        if caseload.find(la).is_none() {
            diags.push(caseload.unknown_la(la));
        }
    }
    if !diags.is_empty() {
        return Err(Failure::Input(diags));
    }
    let result = backtest(&caseload, args.from, args.to, &args.la);
    let written = write_backtest(&result, &args.out).map_err(|e| {
        Failure::Other(format!(
            "cannot write the back-test to {}: {e}",
            args.out.display()
        ))
    })?;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed pipe (e.g. `| head`) is not an error of the back-test.
    let _ = write!(out, "{}", summary_table(&result));
    let _ = writeln!(
        out,
        "{} authorities, {} left out; goal at {} years: total {}, shares {}",
        result.las.len(),
        result.skipped.len(),
        args.to - args.from,
        if result.goal_total_met {
            "met"
        } else {
            "not met"
        },
        if result.goal_shares_met {
            "met"
        } else {
            "not met"
        }
    );
    for p in written {
        let _ = writeln!(out, "wrote {}", p.display());
    }
    Ok(std::process::ExitCode::SUCCESS)
}
