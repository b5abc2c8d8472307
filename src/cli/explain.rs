//! `placewise explain`: every rule on one (child, setting) pair, with the facts.

use super::options::{AreaOptions, pair};
use super::{Failure, args as checks, emit, to_json};
use crate::render::explanation_text;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// `explain`'s arguments as clap reads them.
#[derive(Args, Debug)]
pub(crate) struct ExplainArgs {
    #[arg(long)]
    area: PathBuf,
    #[arg(long)]
    child: String,
    #[arg(long)]
    setting: String,
    /// `table` or `json` (an explanation is not a table of rows).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
    format: ExplainFormat,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// The legal regime: `cfa2014` (today's law) or `spp` (also says which of the child's
    /// Specialist Provision Packages the setting cannot deliver, and what it lacks).
    #[arg(long, default_value = "cfa2014", value_parser = checks::regimes())]
    regime: crate::Regime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Table,
    Json,
}

pub(crate) fn run(args: ExplainArgs) -> Result<ExitCode, Failure> {
    let area = AreaOptions::new(&args.area, args.rules.as_deref(), None);
    let (child, setting) = pair(&args.child, &args.setting)?;
    let session = area.load()?;
    let e = session
        .explain_under(&child, &setting, args.regime)
        .map_err(|e| Failure::Other(session.locate(&e)))?;
    let text = match args.format {
        ExplainFormat::Json => to_json(&e)?,
        ExplainFormat::Table => explanation_text(&e),
    };
    emit(&text, None)?;
    Ok(ExitCode::SUCCESS)
}
