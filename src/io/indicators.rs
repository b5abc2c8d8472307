//! Reading the published "postcode lottery" indicators of each local authority from the DfE
//! SEN2 release (reporting year 2025) and the SEND Tribunal appeal-rate table: the caseload by
//! type of setting (latest January), new plans and requests for assessment (latest calendar
//! year), new plans issued within 20 weeks, and the Tribunal appeal rate.
//!
//! Every file is required and read strictly: a value that is not a count, a percentage or a
//! DfE suppression code, or two figures for one authority, is a located error naming the file,
//! row and column and what was expected. Suppressed values are left out (shown as blank).

use super::flows::{NEW_PLANS_FILE, read_flows};
use super::stats::{CASELOAD_FILE, count, read_caseload};
use super::table::{Row, Table};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Requests for an EHC needs assessment and their outcomes, by calendar year.
pub const REQUESTS_FILE: &str = super::flows::REQUESTS_FILE;
/// New EHC plans issued within 20 weeks, by calendar year.
pub const TIMELINESS_FILE: &str = "ehcp_timeliness_20_weeks_2019_2024.csv";
/// The SEND Tribunal appeal rate table (a wide table with three header rows).
pub const TRIBUNAL_FILE: &str = "send_tribunal_appeal_rate_2014_2024.csv";

/// A published indicator of an authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// EHC plans per 1,000 pupils.
    PlansPer1000,
    /// New EHC plans in the year per 1,000 pupils.
    NewPlansPer1000,
    /// Share of requests for assessment refused.
    RequestsRefused,
    /// Share of plans in state special schools.
    StateSpecialShare,
    /// Share of plans in independent and non-maintained special schools.
    IndependentSpecialShare,
    /// Share of plans in resourced provision and SEN units.
    ResourceBaseShare,
    /// Share of new plans issued within 20 weeks.
    Timeliness20Weeks,
    /// SEND Tribunal appeals as a share of appealable decisions.
    TribunalAppealRate,
}

/// An indicator's definition, as written into `atlas.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorDefinition {
    /// The key used in `atlas.json`.
    pub key: &'static str,
    /// A label in words.
    pub label: &'static str,
    /// `per 1,000 pupils` or `share`.
    pub unit: &'static str,
    /// Where the figure comes from and how it is computed.
    pub definition: &'static str,
}

impl Indicator {
    /// Every indicator, in column order.
    pub const ALL: [Indicator; 8] = [
        Indicator::PlansPer1000,
        Indicator::NewPlansPer1000,
        Indicator::RequestsRefused,
        Indicator::StateSpecialShare,
        Indicator::IndependentSpecialShare,
        Indicator::ResourceBaseShare,
        Indicator::Timeliness20Weeks,
        Indicator::TribunalAppealRate,
    ];

    /// The definition.
    pub fn definition(self) -> IndicatorDefinition {
        let (key, label, unit, definition) = match self {
            Indicator::PlansPer1000 => (
                "plans_per_1000_pupils",
                "EHC plans per 1,000 pupils",
                "per 1,000 pupils",
                "EHC plans in the latest January (SEN2, all ages 0-25) per 1,000 pupils on the rolls of the authority's schools in the school file",
            ),
            Indicator::NewPlansPer1000 => (
                "new_plans_per_1000_pupils",
                "new plans per 1,000 pupils",
                "per 1,000 pupils",
                "new EHC plans made in the latest calendar year per 1,000 pupils on the rolls of the authority's schools",
            ),
            Indicator::RequestsRefused => (
                "share_requests_refused",
                "requests refused",
                "share",
                "requests for an EHC needs assessment decided not to assess, as a share of those decided (to assess or not), latest calendar year",
            ),
            Indicator::StateSpecialShare => (
                "share_plans_state_special",
                "plans in state special schools",
                "share",
                "share of the authority's EHC plans in LA-maintained and academy/free special schools, latest January",
            ),
            Indicator::IndependentSpecialShare => (
                "share_plans_independent_special",
                "plans in independent special schools",
                "share",
                "share of the authority's EHC plans in independent and non-maintained special schools, latest January",
            ),
            Indicator::ResourceBaseShare => (
                "share_plans_resource_bases",
                "plans in resource bases and units",
                "share",
                "share of the authority's EHC plans in resourced provision and SEN units of mainstream schools, latest January",
            ),
            Indicator::Timeliness20Weeks => (
                "share_new_plans_within_20_weeks",
                "new plans within 20 weeks",
                "share",
                "new EHC plans issued within 20 weeks (exceptions included), as a share of all issued, latest calendar year",
            ),
            Indicator::TribunalAppealRate => (
                "tribunal_appeal_rate",
                "Tribunal appeal rate",
                "share",
                "SEND Tribunal appeals registered as a share of appealable decisions (MoJ/DfE appeal rate), latest calendar year",
            ),
        };
        IndicatorDefinition {
            key,
            label,
            unit,
            definition,
        }
    }

    /// The key (CSV column, JSON field).
    pub fn key(self) -> &'static str {
        self.definition().key
    }

    /// The value for people: `35.2` per 1,000, or `4.1%`.
    pub fn show(self, v: Option<f64>) -> String {
        match v {
            None => "–".to_string(),
            Some(v) if self.definition().unit == "share" => format!("{:.1}%", v * 100.0),
            Some(v) => format!("{v:.1}"),
        }
    }
}

/// One authority's indicators, in [`Indicator::ALL`] order (`None`: not published, suppressed
/// or no pupils to divide by). Serialised as an object keyed by [`Indicator::key`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorValues(pub [Option<f64>; 8]);

impl Serialize for IndicatorValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (i, v) in Indicator::ALL.iter().zip(&self.0) {
            m.serialize_entry(i.key(), v)?;
        }
        m.end()
    }
}

impl IndicatorValues {
    /// The value of `i`.
    pub fn get(&self, i: Indicator) -> Option<f64> {
        self.0[Indicator::ALL.iter().position(|x| *x == i).unwrap_or(0)]
    }
}

/// The published counts of one authority.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
struct LaCounts {
    code: String,
    plans: Option<u64>,
    /// Plans in resource bases, state special and independent special schools.
    groups: Option<[u64; 3]>,
    new_plans: Option<u64>,
    refused: Option<f64>,
    timeliness: Option<f64>,
}

/// The published indicators of every authority, as read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Published {
    pub dir: PathBuf,
    /// By lower-case name.
    las: BTreeMap<String, LaCounts>,
    /// Tribunal appeal rate by [`name_key`].
    tribunal_by_name: BTreeMap<String, Option<f64>>,
    /// Tribunal appeal rate by three-digit LA code, for names the table spells otherwise.
    tribunal: BTreeMap<String, Option<f64>>,
    /// The January of the caseload and the calendar years of the other figures.
    pub caseload_january: i32,
    pub flows_year: i32,
    pub timeliness_year: i32,
    pub tribunal_year: i32,
}

impl Published {
    /// The indicators of authority `la` (any case), with `pupils` on its schools' rolls;
    /// `None` when no file names it.
    pub fn values(&self, la: &str, pupils: u64) -> Option<IndicatorValues> {
        let c = self.las.get(&la.trim().to_lowercase())?;
        let per_1000 = |n: Option<u64>| {
            n.filter(|_| pupils > 0)
                .map(|n| n as f64 * 1000.0 / pupils as f64)
        };
        let share = |i: usize| {
            let (g, t) = (c.groups?, c.plans?);
            (t > 0).then(|| g[i] as f64 / t as f64)
        };
        // By name first: the table's LA codes differ from SEN2's for a few authorities.
        let tribunal = self
            .tribunal_by_name
            .get(&name_key(la))
            .or_else(|| self.tribunal.get(&c.code))
            .copied()
            .flatten();
        Some(IndicatorValues([
            per_1000(c.plans),
            per_1000(c.new_plans),
            c.refused,
            share(1),
            share(2),
            share(0),
            c.timeliness,
            tribunal,
        ]))
    }

    /// Where the figures come from, for the assumptions.
    pub fn assumption(&self) -> String {
        format!(
            "Published indicators (from {}): DfE \"Education, health and care plans\" (SEN2, reporting year 2025): caseload by type of setting, January {}; new plans and requests for assessment, calendar year {}; new plans issued within 20 weeks, {}; MoJ/DfE SEND Tribunal appeal rate, {}. Pupils are those on the rolls of the authority's schools in the school file. Contains public sector information licensed under the Open Government Licence v3.0.",
            self.dir.display(),
            self.caseload_january,
            self.flows_year,
            self.timeliness_year,
            self.tribunal_year
        )
    }
}

/// An authority's name for matching across files: lower case, without footnote marks (trailing
/// digits), full stops, `, City of` / `, County of` or a leading `County `, `&` as `and`.
pub fn name_key(name: &str) -> String {
    let n = name
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == ',')
        .to_lowercase()
        .replace('.', "")
        .replace('&', "and");
    let n = n
        .trim()
        .trim_end_matches(", city of")
        .trim_end_matches(", county of");
    let n = n.strip_prefix("county ").unwrap_or(n);
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the indicator files in `dir`. Every bad value is reported, located; nothing is
/// returned then.
pub fn read_published(dir: &Path) -> Result<Published, Diagnostics> {
    let mut diags = Diagnostics::default();
    for f in [
        CASELOAD_FILE,
        NEW_PLANS_FILE,
        REQUESTS_FILE,
        TIMELINESS_FILE,
        TRIBUNAL_FILE,
    ] {
        if !dir.join(f).is_file() {
            diags.push(
                Diagnostic::file(Code::Io, &dir.join(f), "the file is missing")
                    .expected("the published file of this name in the --stats folder"),
            );
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let caseload = read_caseload(&dir.join(CASELOAD_FILE));
    let flows = read_flows(dir);
    let requests = latest_counts(
        &dir.join(REQUESTS_FILE),
        |t| t.to_ascii_lowercase().starts_with("all requests"),
        &[
            "requests_decided_to_assess",
            "requests_decided_not_to_assess",
        ],
        &mut diags,
    );
    let timeliness = latest_counts(
        &dir.join(TIMELINESS_FILE),
        |t| t.eq_ignore_ascii_case("All EHC plans issued"),
        &["plans_issued_den", "plans_issued_within_20_weeks"],
        &mut diags,
    );
    let tribunal = read_tribunal(&dir.join(TRIBUNAL_FILE), &mut diags);
    let (caseload, flows) = match (caseload, flows) {
        (Ok(c), Ok(f)) => (c, f),
        (c, f) => {
            for d in c.err().into_iter().chain(f.err()) {
                diags.extend(d);
            }
            diags.sort();
            return Err(diags);
        }
    };
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    let (Some((flows_year, requests)), Some((timeliness_year, timeliness)), Some(tribunal)) =
        (requests, timeliness, tribunal)
    else {
        return Err(diags);
    };
    let caseload_january = caseload
        .las
        .values()
        .filter_map(|s| s.points.last().map(|p| p.year))
        .max()
        .unwrap_or(0);
    let mut las: BTreeMap<String, LaCounts> = BTreeMap::new();
    for s in caseload.las.values() {
        let Some(p) = s.at(caseload_january) else {
            continue;
        };
        let e = las.entry(s.la_name.trim().to_lowercase()).or_default();
        e.code = p.la_code.clone();
        e.plans = Some(p.total);
        e.groups = p.groups.map(|g| [g[1], g[2], g[3]]);
    }
    for (name, years) in &flows.new_plans {
        if let Some(n) = years.get(&flows_year) {
            las.entry(name.trim().to_lowercase()).or_default().new_plans = Some(*n);
        }
    }
    for (name, (code, v)) in requests {
        let e = las.entry(name).or_default();
        if e.code.is_empty() {
            e.code = code;
        }
        e.refused = match (v[0], v[1]) {
            (Some(yes), Some(no)) if yes + no > 0 => Some(no as f64 / (yes + no) as f64),
            _ => None,
        };
    }
    for (name, (_, v)) in timeliness {
        las.entry(name).or_default().timeliness = match (v[0], v[1]) {
            (Some(all), Some(within)) if all > 0 => Some(within as f64 / all as f64),
            _ => None,
        };
    }
    Ok(Published {
        dir: dir.to_path_buf(),
        las,
        tribunal: tribunal.by_code,
        tribunal_by_name: tribunal.by_name,
        caseload_january,
        flows_year,
        timeliness_year,
        tribunal_year: tribunal.year,
    })
}

/// Counts by authority (lower-case name → (LA code, counts of `cols`)).
type LaRows = BTreeMap<String, (String, Vec<Option<u64>>)>;

/// The counts in `cols` of the Local authority rows whose topic `wanted` accepts, in the
/// latest calendar year of the file. Every such row's counts are checked, whatever its year.
fn latest_counts(
    path: &Path,
    wanted: impl Fn(&str) -> bool,
    cols: &[&str],
    diags: &mut Diagnostics,
) -> Option<(i32, LaRows)> {
    let mut required = crate::io::stats::LA_BREAKDOWN_COLUMNS.to_vec();
    required.extend(cols);
    let table = Table::read_lenient(path, &required, diags)?;
    let before = diags.diagnostics.len();
    let mut rows: Vec<(i32, Row<'_>, Vec<Option<u64>>)> = Vec::new();
    for r in table.iter() {
        if r.get("geographic_level") != "Local authority"
            || !wanted(r.get("breakdown_topic").trim())
        {
            continue;
        }
        let year = r.parse_required("time_period", "a calendar year such as 2024", diags, |t| {
            t.parse::<i32>().ok().filter(|y| (2000..2100).contains(y))
        });
        let counts: Vec<Option<u64>> = cols
            .iter()
            .map(|c| count(&r, c, "", diags).flatten())
            .collect();
        if let (Some(y), Some(_)) = (year, r.required("la_name", diags)) {
            rows.push((y, r, counts));
        }
    }
    let latest = rows.iter().map(|r| r.0).max()?;
    let mut out = LaRows::new();
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    for (_, row, counts) in rows.into_iter().filter(|r| r.0 == latest) {
        let name = row.get("la_name");
        let key = name.trim().to_lowercase();
        if let Some(first) = first_row.insert(key.clone(), row.number) {
            diags.push(
                row.error(
                    Code::DuplicateId,
                    "la_name",
                    format!("a second row for {name} in {latest} (the first is row {first})"),
                )
                .expected("one row per authority and year"),
            );
            continue;
        }
        out.insert(key, (row.get("old_la_code").trim().to_string(), counts));
    }
    (diags.diagnostics.len() == before).then_some((latest, out))
}

/// The Tribunal table's appeal rates in its latest year.
struct Tribunal {
    year: i32,
    by_code: BTreeMap<String, Option<f64>>,
    by_name: BTreeMap<String, Option<f64>>,
}

/// A located error in the Tribunal table.
fn tribunal_error(path: &Path, row: usize, column: &str, message: String) -> Diagnostic {
    Diagnostic::file(Code::InvalidValue, path, message)
        .at(Location::Row {
            row,
            column: column.to_string(),
        })
        .field(column)
}

/// A rate cell: `1.30%` → 0.013; `-`, `x`, `..`, `~` or empty → `None`; else an error.
fn rate(text: &str) -> Result<Option<f64>, ()> {
    let t = text.trim();
    if matches!(t, "" | "-" | "x" | ".." | "~" | "c" | "z") {
        return Ok(None);
    }
    let n = t.strip_suffix('%').ok_or(())?.trim().parse::<f64>();
    match n {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(Some(v / 100.0)),
        _ => Err(()),
    }
}

/// Reads the wide Tribunal table: a header row starting `Local Authority`, `LA code`, then a
/// year over each group of three columns, a row naming them (`Appeals registered`, `Total
/// Appealable Decisions`, `SEND Tribunal Appeal Rate`), region headings without a code, and
/// one row per authority with its three-digit code. The latest year's rate is read.
fn read_tribunal(path: &Path, diags: &mut Diagnostics) -> Option<Tribunal> {
    let bytes = super::table::read_bytes(path, diags)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut records = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                records.push((line, r));
            }
            Err(e) => {
                diags.push(Diagnostic::file(
                    Code::CsvSyntax,
                    path,
                    format!("malformed row: {e}"),
                ));
                return None;
            }
        }
    }
    let clean = |s: &str| s.trim_start_matches('\u{feff}').trim().to_string();
    let Some(h) = records
        .iter()
        .position(|(_, r)| r.get(0).map(clean).as_deref() == Some("Local Authority"))
    else {
        diags.push(
            Diagnostic::file(Code::MissingColumn, path, "no header row")
                .expected("a row starting `Local Authority`, `LA code`, then the years"),
        );
        return None;
    };
    let Some((year, col)) = records[h]
        .1
        .iter()
        .enumerate()
        .filter_map(|(i, c)| clean(c).parse::<i32>().ok().map(|y| (y, i)))
        .filter(|(y, _)| (2000..2100).contains(y))
        .max()
    else {
        diags.push(
            tribunal_error(
                path,
                records[h].0,
                "Local Authority",
                "no year in the header row".into(),
            )
            .expected("years such as 2024 over groups of three columns"),
        );
        return None;
    };
    let rate_col = (col..col + 3).find(|c| {
        records
            .get(h + 1)
            .and_then(|(_, r)| r.get(*c))
            .is_some_and(|t| t.to_ascii_lowercase().contains("appeal rate"))
    });
    let Some(rate_col) = rate_col else {
        diags.push(
            tribunal_error(
                path,
                records.get(h + 1).map_or(0, |r| r.0),
                &format!("{year}"),
                format!("no appeal rate column under {year}"),
            )
            .expected("`SEND Tribunal Appeal Rate` among the three columns under the year"),
        );
        return None;
    };
    let column = format!("{year} SEND Tribunal Appeal Rate");
    let mut t = Tribunal {
        year,
        by_code: BTreeMap::new(),
        by_name: BTreeMap::new(),
    };
    for (line, r) in &records[h + 2..] {
        let code = clean(r.get(1).unwrap_or(""));
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cell = r.get(rate_col).unwrap_or("");
        let Ok(v) = rate(cell) else {
            diags.push(
                tribunal_error(
                    path,
                    *line,
                    &column,
                    format!("cannot read `{cell}` as a rate"),
                )
                .expected("a percentage such as 1.30%, or -, x, .. or ~")
                .found(format!("`{cell}`")),
            );
            continue;
        };
        if t.by_code.insert(code.clone(), v).is_some() {
            diags.push(
                tribunal_error(path, *line, "LA code", format!("LA code {code} twice"))
                    .expected("one row per authority"),
            );
        }
        t.by_name.insert(name_key(r.get(0).unwrap_or("")), v);
    }
    Some(t)
}

#[cfg(test)]
mod tests;
