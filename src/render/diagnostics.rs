//! Diagnostics for people as miette renders them: the message, the stable code, where, what was
//! expected and found, and the source line with a pointer when the file's text is at hand.

use crate::diag::{Diagnostic, Location};
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

/// `d` as miette's graphical report, with `source` (the text of `d`'s file) for the snippet;
/// `unicode_colour` chooses the coloured theme (for a terminal) over the plain one.
pub(crate) fn fancy(d: &Diagnostic, source: Option<String>, unicode_colour: bool) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(if unicode_colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    });
    let report = Report {
        inner: d.clone(),
        source: source.map(|text| miette::NamedSource::new(d.file.display().to_string(), text)),
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        out = d.to_string();
    }
    out
}

/// True when `d` points at a span of its file's text, so [`fancy`] can show the line.
pub(crate) fn has_snippet(d: &Diagnostic) -> bool {
    matches!(&d.location, Location::Text { span, .. } if span.end > span.start)
}
