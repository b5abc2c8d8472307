//! `placewise convert`: an area folder to a workbook (`convert AREA OUT.xlsx`) or a workbook
//! back to a folder (`convert BOOK.xlsx OUTDIR`), checked first and written whole.

use super::Failure;
use crate::{RuleSource, folder_to_workbook, is_workbook, workbook_to_folder};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `placewise convert`.
#[derive(clap::Args, Debug)]
pub struct ConvertArgs {
    /// The area: a folder, or a workbook (`.xlsx`) to turn back into a folder.
    pub from: PathBuf,
    /// A workbook to write (`OUT.xlsx`) for a folder, or a new folder for a workbook.
    pub to: PathBuf,
    /// Rule folder to check the area with instead of the shipped England rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

pub fn run(args: ConvertArgs) -> Result<ExitCode, Failure> {
    let rules = RuleSource::from_option(args.rules.as_deref());
    match (is_workbook(&args.from), is_workbook(&args.to)) {
        (false, true) => folder_to_workbook(&args.from, &rules, &args.to)?,
        (true, false) => workbook_to_folder(&args.from, &rules, &args.to)?,
        (from, _) => {
            eprintln!(
                "error: convert takes an area folder and a workbook to write (AREA OUT.xlsx), \
                 or a workbook and a folder to write (BOOK.xlsx OUTDIR); found {} {} and {} {}",
                if from { "the workbook" } else { "the folder" },
                args.from.display(),
                if from { "the workbook" } else { "the folder" },
                args.to.display()
            );
            return Ok(ExitCode::from(2));
        }
    }
    println!("wrote {}", args.to.display());
    Ok(ExitCode::SUCCESS)
}
