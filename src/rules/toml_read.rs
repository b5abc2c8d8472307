//! A small reader over a spanned TOML tree that records every problem as a located
//! [`Diagnostic`] instead of stopping at the first, and flags fields it was never asked for.

use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean, text_location};
use std::cell::RefCell;
use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::path::Path;
use toml::Spanned;
use toml::de::{DeInteger, DeTable, DeValue};

/// A TOML source file being read.
pub struct Source<'t> {
    pub path: &'t Path,
    pub text: &'t str,
}

impl Source<'_> {
    /// A diagnostic located at `span`.
    pub fn at(
        &self,
        code: Code,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::file(code, self.path, message)
            .at(text_location(self.text, span))
            .field(field)
    }

    /// An unknown-reference diagnostic located at `span`: `found` names none of `ids`; the
    /// nearest of them is suggested.
    pub fn unknown_reference(
        &self,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
        found: &str,
        ids: &[&str],
    ) -> Diagnostic {
        self.at(Code::UnknownReference, span, field, message)
            .help(did_you_mean(found, ids.iter().copied()))
    }

    /// An unknown-reference diagnostic for the id `found` at `span`, which names no `what`
    /// (e.g. `hard rule`) among `ids`: "no WHAT `found`", expected "a WHAT id".
    pub fn no_such_id(
        &self,
        span: Range<usize>,
        field: &str,
        what: &str,
        found: &str,
        ids: &[&str],
    ) -> Diagnostic {
        self.unknown_reference(span, field, format!("no {what} `{found}`"), found, ids)
            .expected(format!("a {what} id"))
    }
}

/// A TOML source file being read, with the diagnostics its readers report.
///
/// Every [`Fields`] read from the file holds the reader, so several tables (a table and the
/// sub-table read from it) can report at once; the diagnostics are kept in the order reported.
pub struct Reader<'t> {
    pub src: Source<'t>,
    diags: RefCell<Diagnostics>,
}

impl<'t> Reader<'t> {
    /// Starts reading `text`, the contents of the file `path`.
    pub fn new(path: &'t Path, text: &'t str) -> Self {
        Reader {
            src: Source { path, text },
            diags: RefCell::default(),
        }
    }

    /// Parses the document; syntax errors are reported (all of them, best effort).
    pub fn parse(&self) -> Option<Spanned<DeTable<'t>>> {
        let (doc, errors) = DeTable::parse_recoverable(self.src.text);
        if errors.is_empty() {
            return Some(doc);
        }
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            self.push(
                self.src
                    .at(Code::TomlSyntax, span, "", e.message().trim().to_string()),
            );
        }
        None
    }

    /// The top-level fields of `doc`, a document parsed from this file.
    pub fn top<'a>(&'a self, doc: &'a Spanned<DeTable<'t>>) -> Fields<'a, 't> {
        Fields::new(self, doc.get_ref(), doc.span(), "")
    }

    /// Reports `d`.
    pub fn push(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// The value `read` gives, kept only when it reported nothing.
    pub fn unless_reported<T>(&self, read: impl FnOnce() -> Option<T>) -> Option<T> {
        let before = self.reported();
        let value = read();
        value.filter(|_| self.reported() == before)
    }

    /// Reports `found`, the value of `field` at `span`, as not one of `known`.
    pub fn unknown_value(&self, span: Range<usize>, field: &str, found: &str, known: &[&str]) {
        self.push(
            self.src
                .at(
                    Code::UnknownCode,
                    span,
                    field,
                    format!("unknown value `{found}`"),
                )
                .not_one_of(found, known),
        );
    }

    /// How many diagnostics have been reported.
    fn reported(&self) -> usize {
        self.diags.borrow().diagnostics.len()
    }

    /// Everything reported, in the order reported.
    pub fn into_diagnostics(self) -> Diagnostics {
        self.diags.into_inner()
    }
}

/// The TOML type name of a value, for "expected X, found Y".
pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Reads the fields of one table, remembering which were used; problems are reported to the
/// file's [`Reader`].
pub struct Fields<'a, 'i> {
    cx: &'a Reader<'a>,
    table: &'a DeTable<'i>,
    /// Span of the table header or inline table, for "missing field" errors.
    pub span: Range<usize>,
    /// Dotted path of the table, e.g. `hard[3].when`.
    pub path: String,
    used: Vec<String>,
}

impl<'a, 'i> Fields<'a, 'i> {
    /// Starts reading `table` of the file `cx` reads, found at `span`, named `path`.
    pub fn new(
        cx: &'a Reader<'a>,
        table: &'a DeTable<'i>,
        span: Range<usize>,
        path: impl Into<String>,
    ) -> Self {
        Fields {
            cx,
            table,
            span,
            path: path.into(),
            used: Vec::new(),
        }
    }

    /// The reader of the file the table is in.
    pub fn reader(&self) -> &'a Reader<'a> {
        self.cx
    }

    /// The dotted name of field `key`.
    pub fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{}", self.path, key)
        }
    }

    /// The raw value of `key`, if present.
    pub fn get(&mut self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.used.push(key.to_string());
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    /// True when the table holds `key`, whether or not it was asked for.
    pub fn has(&self, key: &str) -> bool {
        self.table.iter().any(|(k, _)| k.get_ref().as_ref() == key)
    }

    /// The keys present, with their spans, in file order.
    pub fn keys(&self) -> Vec<(String, Range<usize>)> {
        let mut keys: Vec<_> = self
            .table
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        keys.sort_by_key(|(_, s)| s.start);
        keys
    }

    /// A diagnostic located at `span`, about the field `key` of this table.
    pub fn at(
        &self,
        code: Code,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.cx.src.at(code, span, &self.name(key), message)
    }

    /// Reports `found`, the value of field `key` at `span`, as not one of `known`.
    pub fn unknown_value(&self, span: Range<usize>, key: &str, found: &str, known: &[&str]) {
        self.cx.unknown_value(span, &self.name(key), found, known);
    }

    /// Reports `key` missing.
    pub fn missing(&self, key: &str, expected: &str) {
        self.cx.push(
            self.at(
                Code::MissingField,
                self.span.clone(),
                key,
                format!("missing required field `{key}`"),
            )
            .expected(expected),
        );
    }

    /// Reports `key` missing, as expected to be `expected`, unless it is present; true when
    /// it is present. Either way `key` counts as asked for.
    fn present(&mut self, key: &str, expected: &str) -> bool {
        self.used.push(key.to_string());
        let present = self.has(key);
        if !present {
            self.missing(key, expected);
        }
        present
    }

    /// The value of `key` read as a `T`, if present; a value of another type is reported.
    pub fn opt<T: FromToml<'a, 'i>>(&mut self, key: &str) -> Option<T> {
        let v = self.get(key)?;
        read_as(v, &self.name(key), self.cx)
    }

    /// As [`Fields::opt`], and a missing `key` is reported too.
    pub fn req<T: FromToml<'a, 'i>>(&mut self, key: &str) -> Option<T> {
        if !self.present(key, T::EXPECTED) {
            return None;
        }
        self.opt(key)
    }

    /// A required string naming one of `known`, read by `parse`; a string it does not read is
    /// reported as an unknown `what` with a did-you-mean.
    pub fn req_known<T>(
        &mut self,
        key: &str,
        what: &str,
        known: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let (value, span) = self.req::<Text>(key)?;
        let parsed = parse(&value);
        if parsed.is_none() {
            self.cx.push(
                self.at(
                    Code::UnknownCode,
                    span,
                    key,
                    format!("unknown {what} `{value}`"),
                )
                .expected_one_of(&value, known),
            );
        }
        parsed
    }

    /// A number (integer, or for `f64` also float) checked against `range`, if present.
    pub fn opt_within<T: Number>(&mut self, key: &str, range: RangeInclusive<T>) -> Option<T> {
        let Written { value, span } = self.opt::<Written<T>>(key)?;
        match value {
            Some(x) if range.contains(&x) => Some(x),
            _ => {
                let expected = in_range(&range);
                let field = self.name(key);
                self.cx
                    .push(out_of_range(&self.cx.src, span, &field, T::WHAT, expected));
                None
            }
        }
    }

    /// A required number checked against `range`; a missing one is reported as expected to
    /// be `expected`.
    pub fn req_within_as<T: Number>(
        &mut self,
        key: &str,
        range: RangeInclusive<T>,
        expected: &str,
    ) -> Option<T> {
        if !self.present(key, expected) {
            return None;
        }
        self.opt_within(key, range)
    }

    /// A required number checked against `range`; a missing one is reported as expected to
    /// be in it.
    pub fn req_within<T: Number>(&mut self, key: &str, range: RangeInclusive<T>) -> Option<T> {
        let expected = in_range(&range);
        self.req_within_as(key, range, &expected)
    }

    /// Reports every key that was never asked for, with a did-you-mean from `known`.
    pub fn finish(self, known: &[&str]) {
        for (k, _) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if !self.used.iter().any(|u| u == key) {
                self.cx.push(
                    self.at(
                        Code::UnknownField,
                        k.span(),
                        key,
                        format!("unknown field `{key}`"),
                    )
                    .expected_one_of(key, known),
                );
            }
        }
    }
}

/// A string as written, with its span.
pub type Text = (String, Range<usize>);

/// A type a field's TOML value can be read as.
pub trait FromToml<'a, 'i>: Sized {
    /// The type expected, as a wrong-type or missing-field diagnostic says it.
    const EXPECTED: &'static str;
    /// `v`, the value of the field `name` in the file `cx` reads, as this type; `None` when it
    /// is of another TOML type. Problems inside `v` (elements of an array) are reported here.
    fn from_toml(v: &'a Spanned<DeValue<'i>>, name: &str, cx: &'a Reader<'a>) -> Option<Self>;
}

/// A type that can be read as the elements of an array.
pub trait Element<'a, 'i>: FromToml<'a, 'i> {
    /// The array expected, as a wrong-type diagnostic says it.
    const ARRAY: &'static str;
}

impl<'a, 'i> FromToml<'a, 'i> for Text {
    const EXPECTED: &'static str = "a string";
    fn from_toml(v: &Spanned<DeValue<'_>>, _: &str, _: &Reader<'_>) -> Option<Self> {
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span())),
            _ => None,
        }
    }
}

impl<'a, 'i> Element<'a, 'i> for Text {
    const ARRAY: &'static str = "an array of strings";
}

impl<'a, 'i> FromToml<'a, 'i> for bool {
    const EXPECTED: &'static str = "true or false";
    fn from_toml(v: &Spanned<DeValue<'_>>, _: &str, _: &Reader<'_>) -> Option<Self> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }
}

/// A sub-table, read as the table named `name`.
impl<'a, 'i> FromToml<'a, 'i> for Fields<'a, 'i> {
    const EXPECTED: &'static str = "a table";
    fn from_toml(v: &'a Spanned<DeValue<'i>>, name: &str, cx: &'a Reader<'a>) -> Option<Self> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields::new(cx, t, v.span(), name)),
            _ => None,
        }
    }
}

impl<'a, 'i> Element<'a, 'i> for Fields<'a, 'i> {
    const ARRAY: &'static str = "an array of tables";
}

/// An array; each element of another type is reported (as `name[i]`) and left out.
impl<'a, 'i, T: Element<'a, 'i>> FromToml<'a, 'i> for Vec<T> {
    const EXPECTED: &'static str = T::ARRAY;
    fn from_toml(v: &'a Spanned<DeValue<'i>>, name: &str, cx: &'a Reader<'a>) -> Option<Self> {
        let DeValue::Array(items) = v.get_ref() else {
            return None;
        };
        let read = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read_as(item, &format!("{name}[{i}]"), cx))
            .collect();
        Some(read)
    }
}

/// A kind of number a field can hold, checked against a range.
pub trait Number: Copy + PartialOrd + fmt::Display {
    /// What an out-of-range diagnostic calls it, e.g. `integer`.
    const WHAT: &'static str;
    /// The type expected, as a wrong-type diagnostic says it.
    const EXPECTED: &'static str;
    /// `None` when `v` is not a number of this kind; else its value, `None` when it does not
    /// fit.
    fn of(v: &DeValue<'_>) -> Option<Option<Self>>;
}

impl Number for i64 {
    const WHAT: &'static str = "integer";
    const EXPECTED: &'static str = "an integer";
    fn of(v: &DeValue<'_>) -> Option<Option<Self>> {
        match v {
            DeValue::Integer(i) => Some(integer(i)),
            _ => None,
        }
    }
}

impl Number for f64 {
    const WHAT: &'static str = "number";
    const EXPECTED: &'static str = "a number";
    fn of(v: &DeValue<'_>) -> Option<Option<Self>> {
        match v {
            DeValue::Integer(i) => Some(integer(i).map(|x| x as f64)),
            DeValue::Float(f) => Some(f.as_str().replace('_', "").parse::<f64>().ok()),
            _ => None,
        }
    }
}

/// A number as written: its value when it fits, and its span.
struct Written<T> {
    value: Option<T>,
    span: Range<usize>,
}

impl<'a, 'i, T: Number> FromToml<'a, 'i> for Written<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_toml(v: &Spanned<DeValue<'_>>, _: &str, _: &Reader<'_>) -> Option<Self> {
        let value = T::of(v.get_ref())?;
        Some(Written {
            value,
            span: v.span(),
        })
    }
}

/// "a number from MIN to MAX", for `range`.
fn in_range<T: Number>(range: &RangeInclusive<T>) -> String {
    format!("{} from {} to {}", T::EXPECTED, range.start(), range.end())
}

/// The value of a TOML integer, if it fits in an `i64`.
fn integer(i: &DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

/// `WHAT out of range` at `span`, found as written there.
fn out_of_range(
    src: &Source<'_>,
    span: Range<usize>,
    field: &str,
    what: &str,
    expected: String,
) -> Diagnostic {
    let found = src.text[span.clone()].to_string();
    src.at(
        Code::InvalidValue,
        span,
        field,
        format!("{what} out of range"),
    )
    .expected(expected)
    .found(found)
}

/// `v`, the value of the field `name`, read as a `T`; a value of another type is reported.
fn read_as<'a, 'i, T: FromToml<'a, 'i>>(
    v: &'a Spanned<DeValue<'i>>,
    name: &str,
    cx: &'a Reader<'a>,
) -> Option<T> {
    let read = T::from_toml(v, name, cx);
    if read.is_none() {
        cx.push(wrong_type(
            &cx.src,
            v.span(),
            name,
            T::EXPECTED,
            v.get_ref(),
        ));
    }
    read
}

/// A wrong-type diagnostic.
pub fn wrong_type(
    src: &Source<'_>,
    span: Range<usize>,
    field: &str,
    expected: &str,
    found: &DeValue<'_>,
) -> Diagnostic {
    src.at(Code::WrongType, span, field, "wrong type")
        .expected(expected)
        .found(type_name(found))
}
