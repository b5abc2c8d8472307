//! `placewise place`: the area-wide placement, as text, CSV, JSON or a workbook.

use super::options::{AreaOptions, Destination, PlaceChoices, placement_options};
use super::{Failure, args, emit, to_json};
use crate::render::{placement_text, write_placement_csv};
use crate::{Mode, PlacementOptions, PublishedMix};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// `place`'s arguments as clap reads them.
#[derive(Args, Debug)]
pub(crate) struct PlaceArgs {
    #[arg(long)]
    area: PathBuf,
    #[arg(long, default_value_t = Mode::default(), value_parser = args::modes())]
    mode: Mode,
    /// Cap on the summed annual cost of this round's placements, in pounds.
    #[arg(long, value_parser = args::budget, allow_negative_numbers = true)]
    budget: Option<i64>,
    /// Minimum share (0 to 1) of placed children in mainstream settings.
    #[arg(long, value_parser = args::share, allow_negative_numbers = true)]
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
    #[arg(long, value_parser = args::reach_minutes, allow_negative_numbers = true)]
    reach_minutes: Option<f64>,
    /// Time limit for the HiGHS model, seconds.
    #[arg(long, default_value_t = 60.0, value_parser = args::seconds, allow_negative_numbers = true)]
    time_limit: f64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of standard output (written whole or not at all;
    /// needed with `--format xlsx`).
    #[arg(long, required_if_eq("format", "xlsx"))]
    pub(crate) out: Option<PathBuf>,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// The legal regime: `cfa2014` (today's s.39/s.33 law) or `spp` (only settings able to
    /// deliver the child's Specialist Provision Package, as consulted on in 2026).
    #[arg(long, default_value = "cfa2014", value_parser = args::regimes())]
    regime: crate::Regime,
    /// Folder of DfE SEN2 statistics: print the mix of EHC plans after the round beside the
    /// published January 2025 mix of `--la` (JSON: `published_mix`).
    #[arg(long, value_name = "DIR", requires = "la")]
    stats: Option<PathBuf>,
    /// The local authority whose published mix to compare with (with `--stats`).
    #[arg(long, value_name = "NAME", requires = "stats")]
    la: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    /// An Excel workbook (needs `--out FILE`): a sheet per table and a Notes sheet.
    #[cfg(feature = "xlsx")]
    Xlsx,
}

/// `place`'s options, validated and derived.
struct PlaceRun {
    area: AreaOptions,
    /// The statistics folder and authority to compare the mix with.
    compare: Option<(PathBuf, String)>,
    options: PlacementOptions,
    format: Format,
    destination: Destination,
}

impl PlaceRun {
    fn new(args: PlaceArgs) -> Result<PlaceRun, Failure> {
        let area = AreaOptions::new(&args.area, args.rules.as_deref(), args.reach_minutes);
        let choices = PlaceChoices {
            mode: args.mode,
            budget: args.budget,
            min_mainstream_share: args.min_mainstream_share,
            siblings_together: args.siblings_together,
            lp: args.lp,
            time_limit: args.time_limit,
            regime: args.regime,
        };
        Ok(PlaceRun {
            compare: args.stats.zip(args.la),
            options: placement_options(&area, &choices),
            area,
            format: args.format,
            destination: Destination::new(args.out.as_deref())?,
        })
    }
}

pub(crate) fn run(args: PlaceArgs) -> Result<ExitCode, Failure> {
    let run = PlaceRun::new(args)?;
    let session = run.area.load()?;
    let mut report = session
        .place(&run.options)
        .map_err(|e| Failure::Other(e.to_string()))?;
    if let Some((stats, la)) = &run.compare {
        report.published_mix = Some(published_mix(stats, la)?);
    }
    let text = match run.format {
        #[cfg(feature = "xlsx")]
        Format::Xlsx => {
            let path = run
                .destination
                .file()
                .ok_or_else(|| Failure::Other("--format xlsx needs --out FILE".into()))?;
            let book = crate::render::xlsx::placement_book(&report, &session.config().name)
                .map_err(|e| Failure::Other(e.to_string()))?;
            book.save(path)
                .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => to_json(&report)?,
        Format::Csv => {
            let mut bytes = Vec::new();
            write_placement_csv(&report, &mut bytes).map_err(|e| Failure::Other(e.to_string()))?;
            String::from_utf8(bytes).map_err(|e| Failure::Other(e.to_string()))?
        }
        Format::Table => placement_text(&report),
    };
    emit(&text, run.destination.file())?;
    Ok(ExitCode::SUCCESS)
}

/// The published January 2025 mix of EHC plans of authority `la` in the SEN2 files in `stats`.
pub(crate) fn published_mix(stats: &std::path::Path, la: &str) -> Result<PublishedMix, Failure> {
    Ok(crate::published_mix(stats, la)?)
}
