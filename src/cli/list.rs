//! `placewise list`: one child's list, or every child's streamed child by child to standard
//! output or a file written whole or not at all.

#[cfg(feature = "xlsx")]
use super::options::ArgumentError;
use super::options::{AreaOptions, Children, Destination, default_placement, list_query};
use super::{Failure, args};
use crate::render::{ListStream, list_document, render_list};
use crate::{AtomicFile, ListQuery, PlacementOptions, Session, TailoredList};
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// A text report per child.
    Table,
    /// One JSON document (with `--all`, an array holding one list per line).
    Json,
    /// JSON Lines: one list per line.
    Jsonl,
    /// Listed settings one row each; ranked-lower in one row; excluded settings one row per
    /// failing rule with their ids.
    Csv,
    /// An Excel workbook of the CSV's rows (needs `--out FILE`).
    #[cfg(feature = "xlsx")]
    Xlsx,
}

impl ListFormat {
    /// The printer's format (a workbook is written by its own printer).
    fn printed(self) -> crate::render::ListFormat {
        use crate::render::ListFormat as Printed;
        match self {
            ListFormat::Table => Printed::Table,
            ListFormat::Json => Printed::Json,
            ListFormat::Jsonl => Printed::Jsonl,
            ListFormat::Csv => Printed::Csv,
            #[cfg(feature = "xlsx")]
            ListFormat::Xlsx => Printed::Csv,
        }
    }
}

/// `list`'s arguments as clap reads them.
#[derive(clap::Args, Debug)]
pub(crate) struct ListArgs {
    #[arg(long)]
    area: PathBuf,
    #[arg(long, conflicts_with = "all", required_unless_present = "all")]
    child: Option<String>,
    #[arg(long)]
    all: bool,
    /// Number of suitable settings to list (preferred settings are always listed).
    #[arg(long, default_value_t = 10, value_parser = args::top, allow_negative_numbers = true)]
    top: usize,
    /// `table`, `json` (one document), `jsonl` (one list per line) or `csv` (listed
    /// settings one row each, ranked-lower in one row, excluded settings one row per rule).
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Write to this file instead of standard output (written whole or not at all;
    /// needed with `--format xlsx`).
    #[arg(long, required_if_eq("format", "xlsx"))]
    pub(crate) out: Option<PathBuf>,
    /// Explain every excluded setting with the facts (by default only the parents'
    /// preferences, the current setting and independent settings are; the others give the
    /// failing rules' ids, and `placewise explain` gives the facts for any pair).
    #[arg(long)]
    explain_excluded: bool,
    /// Run the area-wide placement first and mark, for each listed setting, whether a place
    /// is still there for this child afterwards.
    #[arg(long)]
    after_placement: bool,
    /// Consider only settings within this journey time (minutes), plus the parents'
    /// preferences and current setting; the rest are counted, not evaluated. For very large
    /// areas.
    #[arg(long, value_parser = args::reach_minutes, allow_negative_numbers = true)]
    reach_minutes: Option<f64>,
    /// Rule folder to use instead of the shipped England rules (see `rules export`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// The legal regime: `cfa2014` (today's s.39/s.33 law) or `spp` (settings able to deliver
    /// the child's Specialist Provision Package, as consulted on in 2026).
    #[arg(long, default_value = "cfa2014", value_parser = args::regimes())]
    regime: crate::Regime,
}

/// `list`'s options, validated and derived.
pub(crate) struct ListRun {
    area: AreaOptions,
    children: Children,
    query: ListQuery,
    format: ListFormat,
    destination: Destination,
    /// The placement to run first (`--after-placement`).
    after_placement: Option<PlacementOptions>,
}

impl ListRun {
    fn new(args: ListArgs) -> Result<ListRun, Failure> {
        let area = AreaOptions::new(&args.area, args.rules.as_deref(), args.reach_minutes);
        let destination = Destination::new(args.out.as_deref())?;
        #[cfg(feature = "xlsx")]
        if args.format == ListFormat::Xlsx && destination == Destination::Stdout {
            return Err(ArgumentError::new("--out", "--format xlsx needs --out FILE").into());
        }
        Ok(ListRun {
            children: Children::new(args.child.as_deref(), args.all)?,
            query: list_query(&area, args.top, args.explain_excluded, args.regime),
            format: args.format,
            destination,
            after_placement: args
                .after_placement
                .then(|| default_placement(&area, args.regime)),
            area,
        })
    }
}

pub(crate) fn run(args: ListArgs) -> Result<ExitCode, Failure> {
    let run = ListRun::new(args)?;
    let session = run.area.load()?;
    let query = run.query;
    let report = match &run.after_placement {
        Some(placement) => Some(
            session
                .place(placement)
                .map_err(|e| Failure::Other(e.to_string()))?,
        ),
        None => None,
    };
    let mark = |mut list: TailoredList| {
        if let Some(r) = &report {
            session.mark_after_placement(r, &mut list);
        }
        list
    };
    #[cfg(feature = "xlsx")]
    if run.format == ListFormat::Xlsx {
        return xlsx_lists(&session, &run, &mark);
    }
    let format = run.format.printed();
    let out = Output::open(run.destination.file())?;
    let written = |e: std::io::Error| write_failed(&run.destination, e);
    if let Children::One(id) = &run.children {
        let list = mark(one_list(&session, id, &query)?);
        let mut out = out;
        out.write_all(&list_document(&list, format).map_err(other)?)
            .map_err(written)?;
        return out.finish();
    }
    let mut stream = ListStream::begin(format, out).map_err(written)?;
    session.for_each_list(
        &query,
        |list| render_list(&mark(list), format),
        |bytes| stream.push(&bytes.map_err(other)?).map_err(written),
    )?;
    stream.finish().map_err(written)?.finish()
}

/// A failure to write the output: a file names itself (standard output ends quietly when it
/// is closed, so it does not fail).
fn write_failed(destination: &Destination, e: std::io::Error) -> Failure {
    match destination.file() {
        Some(p) => Failure::Other(format!("cannot write {}: {e}", p.display())),
        None => Failure::Other(e.to_string()),
    }
}

/// The list of child `id`; an unknown id names the area's `children.csv` and the closest id
/// there is.
fn one_list(
    session: &Session,
    id: &crate::ChildId,
    query: &ListQuery,
) -> Result<TailoredList, Failure> {
    session
        .list_with(id, query)
        .map_err(|e| Failure::Other(session.locate(&e)))
}

fn other(e: impl std::fmt::Display) -> Failure {
    Failure::Other(e.to_string())
}

/// Standard output, or a file written whole or not at all.
enum Output {
    Stdout(std::io::BufWriter<std::io::Stdout>, bool),
    File(AtomicFile, PathBuf),
}

impl Output {
    fn open(path: Option<&Path>) -> Result<Output, Failure> {
        Ok(match path {
            None => Output::Stdout(
                std::io::BufWriter::with_capacity(1 << 20, std::io::stdout()),
                false,
            ),
            Some(p) => Output::File(
                AtomicFile::create(p)
                    .map_err(|e| Failure::Other(format!("cannot write {}: {e}", p.display())))?,
                p.to_path_buf(),
            ),
        })
    }

    /// Flushes standard output, or renames the finished file into place.
    fn finish(self) -> Result<ExitCode, Failure> {
        match self {
            Output::Stdout(mut w, _) => {
                let _ = w.flush();
            }
            Output::File(f, p) => f
                .finish()
                .map_err(|e| Failure::Other(format!("cannot write {}: {e}", p.display())))?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            // A closed pipe (e.g. `| head`) ends the output quietly.
            Output::Stdout(w, closed) => {
                if !*closed && w.write_all(bytes).is_err() {
                    *closed = true;
                }
                Ok(bytes.len())
            }
            Output::File(f, _) => f.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w, closed) => {
                if !*closed && w.flush().is_err() {
                    *closed = true;
                }
                Ok(())
            }
            Output::File(f, _) => f.flush(),
        }
    }
}

/// `--format xlsx` for `list`: one child's or every child's list as a workbook, streamed list by
/// list into a sheet written in constant memory, saved whole or not at all.
#[cfg(feature = "xlsx")]
mod workbook {
    use super::{ListRun, one_list};
    use crate::cli::Failure;
    use crate::cli::options::Children;
    use crate::render::xlsx::ListsBook;
    use crate::{Session, TailoredList};
    use std::path::Path;
    use std::process::ExitCode;
    fn other(e: impl std::fmt::Display) -> Failure {
        Failure::Other(e.to_string())
    }

    /// Writes the lists `run` asks for to the workbook `--out`.
    pub(crate) fn lists(
        session: &Session,
        run: &ListRun,
        mark: &(dyn Fn(TailoredList) -> TailoredList + Sync),
    ) -> Result<ExitCode, Failure> {
        let query = &run.query;
        let path: &Path = run
            .destination
            .file()
            .ok_or_else(|| Failure::Other("--format xlsx needs --out FILE".into()))?;
        let mut book = ListsBook::new().map_err(other)?;
        if let Children::One(id) = &run.children {
            let rows = ListsBook::render(&mark(one_list(session, id, query)?)).map_err(other)?;
            book.push_csv(&rows).map_err(other)?;
        } else {
            session.for_each_list(
                query,
                |list| ListsBook::render(&mark(list)),
                |rows| book.push_csv(&rows.map_err(other)?).map_err(other),
            )?;
        }
        let mut notes = vec![format!(
            "Up to {} suitable settings listed per child (parents' preferences always listed).",
            query.options.top()
        )];
        if let Some(m) = query.reach_minutes {
            notes.push(format!(
                "Only settings within {m} minutes' journey were evaluated, with the preferences and \
                 the current setting."
            ));
        }
        if run.after_placement.is_some() {
            notes.push(
                "After the area-wide placement: places_free says whether a place is still there \
                 for the child."
                    .into(),
            );
        }
        let book = book.finish(&session.config().name, &notes).map_err(other)?;
        book.save(path)
            .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
        Ok(ExitCode::SUCCESS)
    }
}
#[cfg(feature = "xlsx")]
use workbook::lists as xlsx_lists;
