//! A small reader over a spanned TOML tree that records every problem as a located
//! [`Diagnostic`] instead of stopping at the first, and flags fields it was never asked for.

use crate::diag::{Code, Diagnostic, Diagnostics, text_location};
use std::ops::Range;
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
}

/// Parses a TOML document; syntax errors become diagnostics (all of them, best effort).
pub fn parse<'i>(src: &Source<'i>, diags: &mut Diagnostics) -> Option<Spanned<DeTable<'i>>> {
    let (doc, errors) = DeTable::parse_recoverable(src.text);
    if errors.is_empty() {
        return Some(doc);
    }
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        diags.push(src.at(Code::TomlSyntax, span, "", e.message().trim().to_string()));
    }
    None
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

/// Reads the fields of one table, remembering which were used.
pub struct Fields<'a, 'i> {
    table: &'a DeTable<'i>,
    /// Span of the table header or inline table, for "missing field" errors.
    pub span: Range<usize>,
    /// Dotted path of the table, e.g. `hard[3].when`.
    pub path: String,
    used: Vec<String>,
}

impl<'a, 'i> Fields<'a, 'i> {
    /// Starts reading `table` found at `span`, named `path`.
    pub fn new(table: &'a DeTable<'i>, span: Range<usize>, path: impl Into<String>) -> Self {
        Fields {
            table,
            span,
            path: path.into(),
            used: Vec::new(),
        }
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

    /// Reports `key` missing.
    pub fn missing(&self, src: &Source<'_>, key: &str, expected: &str, diags: &mut Diagnostics) {
        diags.push(
            src.at(
                Code::MissingField,
                self.span.clone(),
                &self.name(key),
                format!("missing required field `{key}`"),
            )
            .expected(expected),
        );
    }

    /// Reports `v`, the value of `key`, as not being `expected`.
    fn wrong_type_at(
        &self,
        src: &Source<'_>,
        key: &str,
        v: &Spanned<DeValue<'_>>,
        expected: &str,
        diags: &mut Diagnostics,
    ) {
        diags.push(wrong_type(src, v.span(), &self.name(key), expected, v.get_ref()));
    }

    /// A required string.
    pub fn req_str(
        &mut self,
        src: &Source<'_>,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Option<(String, Range<usize>)> {
        match self.get(key) {
            None => {
                self.missing(src, key, "a string", diags);
                None
            }
            Some(v) => self.as_str(src, key, v, diags),
        }
    }

    /// A required string naming one of `known`, read by `parse`; a string it does not read is
    /// reported as an unknown `what` with a did-you-mean.
    pub fn req_known<T>(
        &mut self,
        src: &Source<'_>,
        key: &str,
        what: &str,
        known: &[&str],
        parse: impl Fn(&str) -> Option<T>,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let (value, span) = self.req_str(src, key, diags)?;
        let parsed = parse(&value);
        if parsed.is_none() {
            diags.push(
                src.at(
                    Code::UnknownCode,
                    span,
                    &self.name(key),
                    format!("unknown {what} `{value}`"),
                )
                .expected_one_of(&value, known),
            );
        }
        parsed
    }

    /// An optional string.
    pub fn opt_str(
        &mut self,
        src: &Source<'_>,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Option<(String, Range<usize>)> {
        let v = self.get(key)?;
        self.as_str(src, key, v, diags)
    }

    fn as_str(
        &self,
        src: &Source<'_>,
        key: &str,
        v: &Spanned<DeValue<'_>>,
        diags: &mut Diagnostics,
    ) -> Option<(String, Range<usize>)> {
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span())),
            _ => {
                self.wrong_type_at(src, key, v, "a string", diags);
                None
            }
        }
    }

    /// A number (integer or float), checked against `min..=max`.
    pub fn opt_num(
        &mut self,
        src: &Source<'_>,
        key: &str,
        min: f64,
        max: f64,
        diags: &mut Diagnostics,
    ) -> Option<f64> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => integer(i).map(|x| x as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                self.wrong_type_at(src, key, v, "a number", diags);
                return None;
            }
        };
        match n {
            Some(x) if x >= min && x <= max => Some(x),
            _ => {
                let expected = format!("a number from {min} to {max}");
                diags.push(out_of_range(src, v.span(), &self.name(key), "number", expected));
                None
            }
        }
    }

    /// A required number.
    pub fn req_num(
        &mut self,
        src: &Source<'_>,
        key: &str,
        min: f64,
        max: f64,
        diags: &mut Diagnostics,
    ) -> Option<f64> {
        if !self.has(key) {
            self.used.push(key.to_string());
            self.missing(src, key, &format!("a number from {min} to {max}"), diags);
            return None;
        }
        self.opt_num(src, key, min, max, diags)
    }

    /// An integer checked against `min..=max`.
    pub fn opt_int(
        &mut self,
        src: &Source<'_>,
        key: &str,
        min: i64,
        max: i64,
        diags: &mut Diagnostics,
    ) -> Option<i64> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => {
                match integer(i) {
                    Some(x) if x >= min && x <= max => Some(x),
                    _ => {
                        let expected = format!("an integer from {min} to {max}");
                        diags.push(out_of_range(src, v.span(), &self.name(key), "integer", expected));
                        None
                    }
                }
            }
            _ => {
                self.wrong_type_at(src, key, v, "an integer", diags);
                None
            }
        }
    }

    /// A required integer checked against `min..=max`; a missing one is reported as expected
    /// to be `expected`.
    pub fn req_int(
        &mut self,
        src: &Source<'_>,
        key: &str,
        (min, max): (i64, i64),
        expected: &str,
        diags: &mut Diagnostics,
    ) -> Option<i64> {
        let v = self.opt_int(src, key, min, max, diags);
        if v.is_none() && !self.has(key) {
            self.missing(src, key, expected, diags);
        }
        v
    }

    /// An optional boolean.
    pub fn opt_bool(
        &mut self,
        src: &Source<'_>,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type_at(src, key, v, "true or false", diags);
                None
            }
        }
    }

    /// An optional array of strings, each with its span.
    pub fn opt_str_list(
        &mut self,
        src: &Source<'_>,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let v = self.get(key)?;
        let name = self.name(key);
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push((s.to_string(), item.span())),
                        _ => diags.push(element_wrong_type(src, &name, i, item, "a string")),
                    }
                }
                Some(out)
            }
            _ => {
                self.wrong_type_at(src, key, v, "an array of strings", diags);
                None
            }
        }
    }

    /// An optional sub-table.
    pub fn opt_table(
        &mut self,
        src: &Source<'_>,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Option<Fields<'a, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields::new(t, v.span(), self.name(key))),
            _ => {
                self.wrong_type_at(src, key, v, "a table", diags);
                None
            }
        }
    }

    /// An optional array of tables (`[[key]]`).
    pub fn opt_table_array(
        &mut self,
        src: &Source<'_>,
        key: &str,
        diags: &mut Diagnostics,
    ) -> Vec<Fields<'a, 'i>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let name = self.name(key);
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item.get_ref() {
                    DeValue::Table(t) => Some(Fields::new(t, item.span(), format!("{name}[{i}]"))),
                    _ => {
                        diags.push(element_wrong_type(src, &name, i, item, "a table"));
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type_at(src, key, v, "an array of tables", diags);
                Vec::new()
            }
        }
    }

    /// Reports every key that was never asked for, with a did-you-mean from `known`.
    pub fn finish(self, src: &Source<'_>, known: &[&str], diags: &mut Diagnostics) {
        for (k, v) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if !self.used.iter().any(|u| u == key) {
                let _ = v;
                diags.push(
                    src.at(
                        Code::UnknownField,
                        k.span(),
                        &self.name(key),
                        format!("unknown field `{key}`"),
                    )
                    .expected_one_of(key, known),
                );
            }
        }
    }
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
    src.at(Code::InvalidValue, span, field, format!("{what} out of range"))
        .expected(expected)
        .found(found)
}

/// A wrong-type diagnostic for element `i` of the array `name`.
fn element_wrong_type(
    src: &Source<'_>,
    name: &str,
    i: usize,
    item: &Spanned<DeValue<'_>>,
    expected: &str,
) -> Diagnostic {
    wrong_type(src, item.span(), &format!("{name}[{i}]"), expected, item.get_ref())
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
