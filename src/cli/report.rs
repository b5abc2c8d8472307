//! Printing diagnostics on standard error, in the format `--message-format` asks for; the
//! graphical form is rendered by [`crate::render::diagnostics`].

use crate::diag::Diagnostics;
use crate::render::diagnostics;

/// How diagnostics are printed on stderr (`--message-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// `fancy` when stderr is a terminal, `short` otherwise.
    Auto,
    /// miette's report with the source line and a pointer.
    Fancy,
    /// One line per diagnostic: `file: row R, column C: error[CODE name] …`.
    Short,
    /// One JSON object per line (code, file, line/row, column, field, expected, found,
    /// suggestion).
    Json,
}

/// Prints every diagnostic once to stderr in `format`, then a count; `wrote_nothing` adds that
/// no output was written (for commands that write files).
pub fn print_diagnostics(diags: &Diagnostics, format: MessageFormat, wrote_nothing: bool) {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let format = match format {
        MessageFormat::Auto if terminal => MessageFormat::Fancy,
        MessageFormat::Auto => MessageFormat::Short,
        f => f,
    };
    let mut cache: std::collections::BTreeMap<std::path::PathBuf, Option<String>> =
        Default::default();
    for d in &diags.diagnostics {
        match format {
            MessageFormat::Json => {
                let line = serde_json::to_string(&d.record()).unwrap_or_default();
                eprintln!("{line}");
            }
            MessageFormat::Short | MessageFormat::Auto => eprintln!("{d}"),
            MessageFormat::Fancy => {
                let source = if diagnostics::has_snippet(d) {
                    cache
                        .entry(d.file.clone())
                        .or_insert_with(|| std::fs::read_to_string(&d.file).ok())
                        .clone()
                } else {
                    None
                };
                eprintln!("{}", diagnostics::fancy(d, source, terminal));
            }
        }
    }
    if format != MessageFormat::Json {
        let n = diags.diagnostics.len();
        let suffix = if wrote_nothing {
            "; nothing was written"
        } else {
            ""
        };
        eprintln!("{n} error(s){suffix}.");
    }
}
