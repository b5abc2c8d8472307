//! Data commands: import a GIAS-shaped school file into an area, synthesise a cohort, build
//! the invented demo county or all of England. They print every assumption made.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::{
    Assumption, BuildOptions, BuiltArea, ChildrenOptions, DEFAULT_REACH_KM,
    DEFAULT_SEN_SUPPORT_SHARE, RuleSource,
};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Commands that build areas from school files and published figures.
#[derive(Subcommand, Debug)]
pub enum DataCommand {
    /// Import data into an area folder.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Export an area's data in other formats.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Synthesise an authority's children (EHC plans reproducing its published SEN2 counts by
    /// need × placement, and SEN-support pupils) into an area folder. With --gias, import the
    /// schools first: one command builds a whole area.
    Synth {
        /// The area folder (written when --gias is given, else read and its children replaced).
        #[arg(long)]
        area: PathBuf,
        /// Local authority name or three-digit code.
        #[arg(long)]
        la: String,
        /// January of the SEN2 figures (the placement year starts that September).
        #[arg(long, default_value_t = 2025)]
        year: i32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder of DfE SEN2 files (without it, England's mix scaled to the authority).
        #[arg(long)]
        stats: Option<PathBuf>,
        /// Import this GIAS-shaped school file first (as `import schools`).
        #[arg(long)]
        gias: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Write the invented demo county (Wyvernshire): schools, provision and ~2,000 children
    /// with plans in England's published mix.
    SynthCounty {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Share of SEN-support pupils included.
        #[arg(long, default_value_t = DEFAULT_SEN_SUPPORT_SHARE)]
        sen_support_share: f64,
    },
}

/// What can be exported.
#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Write an area's children with EHC plans as an SEN2 person-level XML message.
    Sen2(super::sen2::ExportSen2Args),
}

/// What can be imported.
#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import an authority's own children from its SEN2 person-level return (XML, or the
    /// COLLECT Blade CSV export folder), pseudonymised, with its schools from a school file
    /// (--gias, --la) or the settings of an existing area (--settings-from).
    Sen2(super::sen2::ImportSen2Args),
    /// Import one authority's schools from a GIAS-shaped CSV (the shared England extract's
    /// columns or official GIAS names) and synthesise the provision the file lacks.
    Schools {
        /// The school file.
        file: PathBuf,
        /// Local authority name or three-digit code.
        #[arg(long)]
        la: String,
        /// The area folder to write (written whole, or not at all).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder of DfE SEN2 files (without it, England's mix scaled to the authority).
        #[arg(long)]
        stats: Option<PathBuf>,
        /// January of the SEN2 figures.
        #[arg(long, default_value_t = 2025)]
        year: i32,
        /// Include other authorities' special schools and colleges within this many km.
        #[arg(long, default_value_t = DEFAULT_REACH_KM)]
        reach_km: f64,
    },
}

/// Options shared by the cohort-building commands.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Other authorities' special schools and colleges within this many km are included.
    #[arg(long, default_value_t = DEFAULT_REACH_KM)]
    reach_km: f64,
    /// Share of SEN-support pupils included (0 to 1).
    #[arg(long, default_value_t = DEFAULT_SEN_SUPPORT_SHARE)]
    sen_support_share: f64,
    /// Rules used to check an existing area before synthesising into it.
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

impl Common {
    /// The build options for a whole area with its cohort.
    fn build_options(&self, seed: u64, year: i32) -> BuildOptions {
        BuildOptions {
            seed,
            reach_m: self.reach_km * 1000.0,
            year,
            sen_support_share: self.sen_support_share,
            cohort: true,
        }
    }
}

/// Prints the assumptions; the per-school `designation` records (one a special school) are
/// counted here and written in full to `provision-assumptions.txt`.
fn print_assumptions<'a>(list: impl IntoIterator<Item = &'a Assumption>) {
    println!("assumptions:");
    let mut designations = 0;
    for a in list {
        if a.topic == "designation" {
            designations += 1;
        } else {
            println!("  {a}");
        }
    }
    if designations > 0 {
        println!(
            "  [designation] {designations} records, one per special school or specialist college with inferred designations, in provision-assumptions.txt"
        );
    }
}

/// Writes a built area to its folder, then prints every assumption made building it.
fn write_built(out: &Path, built: &BuiltArea) -> Result<(), Diagnostics> {
    crate::write_built_area(out, built)?;
    print_assumptions(built.assumptions());
    Ok(())
}

/// Prints the one-line summary of an area written with its cohort.
fn print_area_written(out: &Path, built: &BuiltArea) {
    println!(
        "wrote {}: {} — {} settings, {} children",
        out.display(),
        built.name,
        built.provision.settings.len(),
        built.cohort.children.len()
    );
}

fn bad_argument(what: &str, message: String) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::file(Code::InvalidValue, Path::new("<arguments>"), message).field(what));
    d
}

fn check_share(share: f64) -> Result<(), Diagnostics> {
    if (0.0..=1.0).contains(&share) {
        Ok(())
    } else {
        Err(bad_argument(
            "--sen-support-share",
            format!("share {share} is outside 0 to 1"),
        ))
    }
}

/// Runs a data command.
pub fn run_data(cmd: DataCommand) -> Result<ExitCode, Diagnostics> {
    match cmd {
        DataCommand::Import {
            what: ImportCommand::Sen2(args),
        } => super::sen2::run_import(args),
        DataCommand::Export {
            what: ExportCommand::Sen2(args),
        } => super::sen2::run_export(args),
        DataCommand::Import {
            what:
                ImportCommand::Schools {
                    file,
                    la,
                    out,
                    seed,
                    stats,
                    year,
                    reach_km,
                },
        } => {
            let options = BuildOptions {
                seed,
                reach_m: reach_km * 1000.0,
                year,
                cohort: false,
                ..BuildOptions::default()
            };
            let built = crate::import_schools(&file, stats.as_deref(), &[la], &options)?;
            write_built(&out, &built)?;
            println!(
                "wrote {}: {} — {} settings (no children yet: run `placewise synth --area {} --la ...`)",
                out.display(),
                built.name,
                built.provision.settings.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        DataCommand::Synth {
            area,
            la,
            year,
            seed,
            stats,
            gias,
            common,
        } => {
            check_share(common.sen_support_share)?;
            if let Some(gias) = gias {
                let options = common.build_options(seed, year);
                let built = crate::import_schools(&gias, stats.as_deref(), &[la], &options)?;
                write_built(&area, &built)?;
                print_area_written(&area, &built);
                return Ok(ExitCode::SUCCESS);
            }
            synth_into(&area, &la, year, seed, stats.as_deref(), &common)
        }
        DataCommand::SynthCounty {
            out,
            seed,
            sen_support_share,
        } => {
            check_share(sen_support_share)?;
            let built = crate::build_demo_county(seed, sen_support_share);
            write_built(&out, &built)?;
            print_area_written(&out, &built);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Synthesises the children of an existing area folder (built by `import schools`).
fn synth_into(
    area: &Path,
    la: &str,
    year: i32,
    seed: u64,
    stats: Option<&Path>,
    common: &Common,
) -> Result<ExitCode, Diagnostics> {
    let rules = RuleSource::from_option(common.rules.as_deref());
    let cohort = crate::synthesise_children(
        area,
        &ChildrenOptions {
            la,
            year,
            seed,
            stats,
            rules: &rules,
            sen_support_share: common.sen_support_share,
            reach_km: common.reach_km,
        },
    )?;
    print_assumptions(&cohort.assumptions);
    println!(
        "wrote {}: {} children",
        area.join("children.csv").display(),
        cohort.children.len()
    );
    Ok(ExitCode::SUCCESS)
}
