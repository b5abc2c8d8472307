//! `import sen2` and `export sen2`: an authority's SEN2 person-level return in and out.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::{RuleSource, Sen2ImportOptions};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `import sen2`.
#[derive(Args, Debug)]
pub struct ImportSen2Args {
    /// The return: the SEN2 person-level XML file, or a folder of COLLECT Blade CSV files.
    source: PathBuf,
    /// The area folder to write (whole, or not at all).
    #[arg(long)]
    out: PathBuf,
    /// GIAS-shaped school file: the authority's settings are built from it (with --la), and
    /// postcodes are located with its schools' postcodes.
    #[arg(long)]
    gias: Option<PathBuf>,
    /// Local authority name or three-digit code (with --gias).
    #[arg(long)]
    la: Option<String>,
    /// Use the settings of this area folder instead of building them (children it already has
    /// under the same id keep what SEN2 does not record).
    #[arg(long, value_name = "AREA", conflicts_with = "la")]
    settings_from: Option<PathBuf>,
    /// File holding the key of the child ids (at least 16 bytes); without it a random key is
    /// made and printed once.
    #[arg(long, value_name = "FILE", conflicts_with = "keep_ids")]
    key_file: Option<PathBuf>,
    /// Keep the return's own person ids (only for a return that is already pseudonymous).
    #[arg(long)]
    keep_ids: bool,
    /// Seed of the provision built from the school file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Include other authorities' special schools and colleges within this many km.
    #[arg(long, default_value_t = crate::DEFAULT_REACH_KM)]
    reach_km: f64,
    /// Rule folder to read the --settings-from area with (default: the shipped rules).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

/// Arguments of `export sen2`.
#[derive(Args, Debug)]
pub struct ExportSen2Args {
    /// The area folder whose children to write.
    #[arg(long)]
    area: PathBuf,
    /// The XML file to write.
    #[arg(long)]
    out: PathBuf,
    /// The authority's three-digit code for the header.
    #[arg(long, default_value = "")]
    lea: String,
}

fn argument_error(field: &str, message: impl Into<String>) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::file(Code::InvalidValue, Path::new("<arguments>"), message).field(field));
    d
}

/// Runs `import sen2`.
pub fn run_import(args: ImportSen2Args) -> Result<ExitCode, Diagnostics> {
    let mut options = match (&args.settings_from, &args.gias, &args.la) {
        (Some(area), gias, _) => {
            let o = Sen2ImportOptions::from_area(&args.source, area, &args.out);
            match gias {
                Some(g) => o.postcodes(g),
                None => o,
            }
        }
        (None, Some(gias), Some(la)) => {
            Sen2ImportOptions::from_school_file(&args.source, gias, la, &args.out)
        }
        _ => {
            return Err(argument_error(
                "--settings-from",
                "say where the settings come from: --gias FILE --la NAME, or --settings-from AREA",
            ));
        }
    };
    options = options
        .seed(args.seed)
        .rules(RuleSource::from_option(args.rules.as_deref()))
        .reach_km(args.reach_km)
        .map_err(|e| argument_error("--reach-km", e.to_string()))?;
    if let Some(key) = &args.key_file {
        options = options
            .key_file(key)
            .map_err(|e| argument_error("--key-file", e.to_string()))?;
    }
    if args.keep_ids {
        options = options.keep_ids();
    }
    let done = crate::import_sen2(&options)?;
    print!("{}", done.summary);
    if let Some(key) = &done.generated_key {
        println!(
            "child ids are keyed hashes with a new random key, shown only now; to give the same children the same ids next time, save it in a file and pass --key-file:\n  {key}"
        );
    }
    println!(
        "wrote {} (data quality in sen2-quality.txt, assumptions in sen2-assumptions.txt)",
        done.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `export sen2`.
pub fn run_export(args: ExportSen2Args) -> Result<ExitCode, Diagnostics> {
    let done = crate::export_sen2(&args.area, &args.out, &args.lea)?;
    println!(
        "wrote {}: {} persons ({} children without an EHC plan left out: SEN2 holds plans only)",
        args.out.display(),
        done.persons,
        done.without_plan
    );
    Ok(ExitCode::SUCCESS)
}
