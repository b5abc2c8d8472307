//! Rendering diagnostics for people (miette, with the source line) and for machines (JSON).

use crate::diag::{Diagnostic, Diagnostics, Location};
use std::fmt;

/// A diagnostic wrapped for miette, with the file's text for the snippet.
#[derive(Debug)]
struct Report {
    inner: Diagnostic,
    source: Option<miette::NamedSource<String>>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.message)?;
        if !self.inner.field.is_empty() {
            write!(f, " (field `{}`)", self.inner.field)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{} {}",
            self.inner.code.id(),
            self.inner.code.name()
        )))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut parts = Vec::new();
        parts.push(format!("at {}", self.inner.place()));
        if let Some(e) = &self.inner.expected {
            parts.push(format!("expected {e}"));
        }
        if let Some(found) = &self.inner.found {
            parts.push(format!("found {found}"));
        }
        if let Some(h) = &self.inner.help {
            parts.push(h.clone());
        }
        Some(Box::new(parts.join("; ")))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        match (&self.inner.location, &self.source) {
            (Location::Text { span, .. }, Some(_)) if span.end > span.start => {
                let label = self.inner.expected.clone().map(|e| format!("expected {e}"));
                Some(Box::new(std::iter::once(miette::LabeledSpan::new(
                    label,
                    span.start,
                    span.end - span.start,
                ))))
            }
            _ => None,
        }
    }
}

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
    let handler = miette::GraphicalReportHandler::new_themed(if terminal {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    });
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
                let source = match &d.location {
                    Location::Text { span, .. } if span.end > span.start => cache
                        .entry(d.file.clone())
                        .or_insert_with(|| std::fs::read_to_string(&d.file).ok())
                        .clone()
                        .map(|text| miette::NamedSource::new(d.file.display().to_string(), text)),
                    _ => None,
                };
                let report = Report {
                    inner: d.clone(),
                    source,
                };
                let mut out = String::new();
                if handler.render_report(&mut out, &report).is_err() {
                    out = d.to_string();
                }
                eprintln!("{out}");
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
