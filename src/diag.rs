//! One diagnostic model for every input error: rule files, area tables, configuration.
//!
//! A [`Diagnostic`] names the file, the place in it (line and column for TOML, row and column
//! name for CSV), the field, what was expected and what was found, and a did-you-mean where a
//! code or field looks misspelt. Loaders collect every diagnostic in a file before stopping.

use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Stable diagnostic codes. The number never changes meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    /// PW001: a file could not be read.
    Io,
    /// PW002: TOML syntax error.
    TomlSyntax,
    /// PW003: CSV syntax error.
    CsvSyntax,
    /// PW004: JSON syntax error (a request body).
    JsonSyntax,
    /// PW101: a field that the schema does not know.
    UnknownField,
    /// PW102: a required field is missing.
    MissingField,
    /// PW103: a value of the wrong type.
    WrongType,
    /// PW104: an unknown code (need, kind, feature, phase, plan level, area).
    UnknownCode,
    /// PW105: a value outside its allowed range.
    InvalidValue,
    /// PW106: an id used twice.
    DuplicateId,
    /// PW107: funding bands leave a gap.
    BandGap,
    /// PW108: funding bands overlap.
    BandOverlap,
    /// PW109: a reference to an id that does not exist.
    UnknownReference,
    /// PW110: a required CSV column is missing.
    MissingColumn,
    /// PW111: a rule test case's expectation did not hold.
    TestFailed,
}

impl Code {
    /// The stable code, e.g. `PW101`.
    pub fn id(self) -> &'static str {
        match self {
            Code::Io => "PW001",
            Code::TomlSyntax => "PW002",
            Code::CsvSyntax => "PW003",
            Code::JsonSyntax => "PW004",
            Code::UnknownField => "PW101",
            Code::MissingField => "PW102",
            Code::WrongType => "PW103",
            Code::UnknownCode => "PW104",
            Code::InvalidValue => "PW105",
            Code::DuplicateId => "PW106",
            Code::BandGap => "PW107",
            Code::BandOverlap => "PW108",
            Code::UnknownReference => "PW109",
            Code::MissingColumn => "PW110",
            Code::TestFailed => "PW111",
        }
    }
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Code::Io => "io-error",
            Code::TomlSyntax => "toml-syntax",
            Code::CsvSyntax => "csv-syntax",
            Code::JsonSyntax => "json-syntax",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::UnknownCode => "unknown-code",
            Code::InvalidValue => "invalid-value",
            Code::DuplicateId => "duplicate-id",
            Code::BandGap => "band-gap",
            Code::BandOverlap => "band-overlap",
            Code::UnknownReference => "unknown-reference",
            Code::MissingColumn => "missing-column",
            Code::TestFailed => "test-failed",
        }
    }
}

/// Where in a file a diagnostic points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Location {
    /// The whole file.
    File,
    /// A position in a text file (1-based), with the byte span.
    Text {
        /// Line, from 1.
        line: usize,
        /// Character column, from 1.
        column: usize,
        /// Byte range in the file's text (not serialised).
        #[serde(skip)]
        span: Range<usize>,
    },
    /// A CSV data row (1-based, counting the header as row 1) and column name.
    Row {
        /// Row, from 1 (the header).
        row: usize,
        /// Column name.
        column: String,
    },
    /// A cell of a workbook's sheet.
    Cell {
        /// The sheet's name, e.g. `Children`.
        sheet: String,
        /// The cell in A1 notation (`F12`; empty for the whole sheet).
        cell: String,
        /// The sheet's row, from 1 (the header).
        row: usize,
        /// The column's header.
        column: String,
    },
}

impl Location {
    /// (line or row, column) for ordering; whole-file diagnostics first.
    fn order_key(&self) -> (usize, usize) {
        match self {
            Location::File => (0, 0),
            Location::Text { line, column, .. } => (*line, *column),
            Location::Row { row, .. } => (*row, 0),
            Location::Cell { row, .. } => (*row, 0),
        }
    }
}

/// One located input error.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `PW102`.
    pub code: Code,
    /// The file (or in-memory table) the error is in.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// The field (TOML key path or CSV column) the error is about.
    pub field: String,
    /// What is wrong, in a sentence.
    pub message: String,
    /// What the field should hold.
    pub expected: Option<String>,
    /// What it holds.
    pub found: Option<String>,
    /// A suggestion, e.g. `did you mean "PMLD"?`.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn file(code: Code, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            file: file.to_path_buf(),
            location: Location::File,
            field: String::new(),
            message: clip(&clip_quoted(&message.into()), MAX_MESSAGE_CHARS),
            expected: None,
            found: None,
            help: None,
        }
    }
    /// Sets the field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
    /// Sets what was expected.
    pub fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
    /// Sets what was found.
    pub fn found(mut self, f: impl Into<String>) -> Self {
        self.found = Some(clip(&f.into(), MAX_QUOTED_CHARS));
        self
    }
    /// Sets the help text.
    pub fn help(mut self, h: Option<String>) -> Self {
        self.help = h;
        self
    }
    /// For a value that is none of the `known` codes: expects one of them and suggests the
    /// nearest known code to `found` (did-you-mean).
    pub fn expected_one_of(self, found: &str, known: &[&str]) -> Self {
        self.expected(format!("one of: {}", known.join(", ")))
            .help(did_you_mean(found, known.iter().copied()))
    }
    /// As [`Diagnostic::expected_one_of`], also showing what was found.
    pub fn not_one_of(self, found: &str, known: &[&str]) -> Self {
        self.expected_one_of(found, known)
            .found(format!("`{found}`"))
    }
    /// Sets the location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }
    /// A short `file:line:col` or `file:row N` prefix.
    pub fn place(&self) -> String {
        let f = self.file.display();
        match &self.location {
            Location::File => format!("{f}"),
            Location::Text { line, column, .. } => format!("{f}:{line}:{column}"),
            Location::Row { row, column } => format!("{f}: row {row}, column {column}"),
            Location::Cell { sheet, cell, .. } if cell.is_empty() => format!("{f}: sheet {sheet}"),
            Location::Cell {
                sheet,
                cell,
                column,
                ..
            } => format!("{f}: {sheet}!{cell} ({column})"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: error[{} {}]",
            self.place(),
            self.code.id(),
            self.code.name()
        )?;
        if !self.field.is_empty() {
            write!(f, " in `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(e) = &self.expected {
            write!(f, "; expected {e}")?;
        }
        if let Some(found) = &self.found {
            write!(f, ", found {found}")?;
        }
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// Line and column (1-based, columns in characters) of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A location in `text` for a byte span.
pub fn text_location(text: &str, span: Range<usize>) -> Location {
    let (line, column) = line_col(text, span.start);
    Location::Text { line, column, span }
}

/// Most characters of a bad value a diagnostic quotes ([`Diagnostic::found`]); the rest is
/// left out, with the value's length.
pub const MAX_QUOTED_CHARS: usize = 200;
/// Most characters of a diagnostic's message (each value it quotes between backticks is cut
/// to [`MAX_QUOTED_CHARS`] first).
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// `text` cut to `max` characters: the first ones, an ellipsis and the whole length.
///
/// ```
/// use placewise::diag::clip;
/// assert_eq!(clip("short", 200), "short");
/// assert_eq!(clip(&"x".repeat(1000), 5), "xxxxx… (1000 characters)");
/// ```
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
    }
}

/// `message` with each value it quotes between backticks cut to [`MAX_QUOTED_CHARS`].
fn clip_quoted(message: &str) -> String {
    if message.len() <= MAX_QUOTED_CHARS {
        return message.to_string();
    }
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                clip(part, MAX_QUOTED_CHARS)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// Longest word [`did_you_mean`] looks for a neighbour of (longer words get no suggestion).
pub const SUGGEST_MAX_CHARS: usize = 64;
/// Most candidates [`did_you_mean`] compares a word with.
pub const SUGGEST_MAX_CANDIDATES: usize = 100_000;

/// The closest candidate to `word` if it is close enough to be a likely misspelling.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    // Bounded cost: no suggestion for a word longer than any id or name we hold, and at most
    // `SUGGEST_MAX_CANDIDATES` candidates of a comparable length compared.
    let chars = word.chars().count();
    if chars > SUGGEST_MAX_CHARS {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    let comparable = |c: &&str| c.len() <= 2 * word.len() + 4 && word.len() <= 2 * c.len() + 4;
    for c in candidates
        .into_iter()
        .filter(comparable)
        .take(SUGGEST_MAX_CANDIDATES)
    {
        let score = strsim::jaro_winkler(&lower, &c.to_ascii_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, bc)| score > b || (score == b && c < bc)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

/// A failed load: every diagnostic found, in file order.
#[derive(Clone, Debug, Default, PartialEq, thiserror::Error, Serialize)]
#[error("{} error(s) in the input", .diagnostics.len())]
pub struct Diagnostics {
    /// Every error found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }
    /// `Ok(value)` when empty, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
    /// Sorts by file, then line or row, then column, keeping the order of equal places.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            a.file
                .cmp(&b.file)
                .then(a.location.order_key().cmp(&b.location.order_key()))
        });
    }
    /// Appends all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.diagnostics.extend(other.diagnostics);
    }
    /// Adds an error about the whole of `file` and gives `None`, for a reader that cannot go on.
    pub(crate) fn fail<T>(
        &mut self,
        code: Code,
        file: &Path,
        message: impl Into<String>,
    ) -> Option<T> {
        self.push(Diagnostic::file(code, file, message));
        None
    }
}

/// A diagnostic as a flat record for systems that call placewise — the one shape of the
/// command line's `--message-format json` and `check --format json`, the web API's error
/// `diagnostics` (whose `file` is `request`) and the Python package's `Diagnostic`: stable
/// code and name, where (file, line or row, column, field), and what (message, expected,
/// found, suggestion).
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct DiagnosticRecord {
    /// Stable code, e.g. `PW102`.
    pub code: String,
    /// The code's name, e.g. `unknown-code`.
    pub name: String,
    /// The file (or in-memory table); `request` for the web API.
    pub file: String,
    /// Line (text files, a JSON request body).
    pub line: Option<usize>,
    /// Row (tables; the header is row 1).
    pub row: Option<usize>,
    /// Character column (TOML, a JSON request body) or column name (CSV).
    pub column: Option<String>,
    /// The field (TOML key path, column, or a request's path such as `profile.year`).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What was expected.
    pub expected: Option<String>,
    /// What was found.
    pub found: Option<String>,
    /// A suggestion, e.g. a did-you-mean.
    pub suggestion: Option<String>,
    /// The workbook sheet (for diagnostics about a workbook).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The cell in A1 notation, e.g. `F12` (for diagnostics about a workbook).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl Diagnostic {
    /// This diagnostic as a flat record.
    pub fn record(&self) -> DiagnosticRecord {
        let (line, row, column) = match &self.location {
            Location::File => (None, None, None),
            Location::Text { line, column, .. } => (Some(*line), None, Some(column.to_string())),
            Location::Row { row, column } => (None, Some(*row), Some(column.clone())),
            Location::Cell { row, column, .. } => {
                (None, (*row > 0).then_some(*row), Some(column.clone()))
            }
        };
        let (sheet, cell) = match &self.location {
            Location::Cell { sheet, cell, .. } => (
                Some(sheet.clone()),
                (!cell.is_empty()).then(|| cell.clone()),
            ),
            _ => (None, None),
        };
        DiagnosticRecord {
            code: self.code.id().to_string(),
            name: self.code.name().to_string(),
            file: self.file.display().to_string(),
            line,
            row,
            column,
            field: (!self.field.is_empty()).then(|| self.field.clone()),
            message: self.message.clone(),
            expected: self.expected.clone(),
            found: self.found.clone(),
            suggestion: self.help.clone(),
            sheet,
            cell,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_bounded_and_values_clipped() {
        assert_eq!(
            did_you_mean("C00002", ["C000002", "S1"]).as_deref(),
            Some("did you mean `C000002`?")
        );
        let long = "C".repeat(SUGGEST_MAX_CHARS + 1);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
        let d = Diagnostic::file(Code::InvalidValue, Path::new("x.csv"), "m".repeat(5_000))
            .found("v".repeat(10_000_000));
        assert!(
            d.found
                .as_deref()
                .unwrap()
                .ends_with("… (10000000 characters)")
        );
        assert!(d.found.unwrap().chars().count() < MAX_QUOTED_CHARS + 30);
        assert!(d.message.chars().count() < MAX_MESSAGE_CHARS + 30);
        assert_eq!(clip("é".repeat(3).as_str(), 2), "éé… (3 characters)");
        // A value quoted in the message is cut too; the words around it are kept.
        let quoted = format!(
            "unknown need code `{}`; see the list",
            "Q".repeat(10_000_000)
        );
        let d = Diagnostic::file(Code::InvalidValue, Path::new("x.csv"), quoted);
        assert!(
            d.message.starts_with("unknown need code `QQ"),
            "{}",
            d.message
        );
        assert!(
            d.message
                .ends_with("… (10000000 characters)`; see the list"),
            "{}",
            d.message
        );
        assert!(d.message.chars().count() < MAX_QUOTED_CHARS + 80);
    }
}
