//! Reading a GIAS-shaped school file: the columns of the shared England extract
//! (`urn`, `name`, `la_name`, `census_school_type`, …) or the official GIAS names (`URN`,
//! `EstablishmentName`, `TypeOfEstablishment (name)`, `SEN1 (name)`, …). Other columns are
//! ignored. Every bad value in every row is reported with its row and column.

use super::Assumption;
use super::school::{BaseFigures, School, assumed_years, years_from_ages};
use super::stats::header_names;
use crate::diag::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::io::table::{Row, Table, read_bytes};
use crate::model::{Admits, GridRef, Need, NeedSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod classify;
mod columns;
mod gaps;

use classify::parse_gias_need;
pub use classify::{INDEPENDENT_SPECIAL_SHARE, classify};
use columns::*;
use gaps::{complete_las, estimate_rolls};

/// The schools read from a file, with the rows left out and why.
#[derive(Clone, Debug, Default)]
pub struct SchoolFile {
    pub path: PathBuf,
    /// Kept schools, in file order.
    pub schools: Vec<School>,
    /// Rows left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    pub assumptions: Vec<Assumption>,
}

impl SchoolFile {
    /// Every LA name in the file (sorted).
    pub fn la_names(&self) -> BTreeSet<&str> {
        self.schools.iter().map(|s| s.la_name.as_str()).collect()
    }
    /// The LA named `la` (name or three-digit code, any case): its (code, name).
    pub fn find_la(&self, la: &str) -> Option<(String, String)> {
        let want = la.trim();
        self.schools
            .iter()
            .find(|s| s.la_name.eq_ignore_ascii_case(want) || s.la_code == want)
            .map(|s| (s.la_code.clone(), s.la_name.clone()))
    }
    /// A diagnostic for an LA that is not in the file, with a did-you-mean.
    pub fn unknown_la(&self, la: &str) -> Diagnostic {
        Diagnostic::file(
            Code::UnknownReference,
            &self.path,
            format!("no school in local authority `{la}`"),
        )
        .field("la_name")
        .expected("an LA name or three-digit LA code used in the file")
        .help(did_you_mean(la, self.la_names()))
    }
}

/// Reads and classifies every row of a GIAS-shaped school file. Closed establishments, Welsh
/// establishments, nurseries, higher education and other out-of-scope rows are left out and
/// counted. Rows without an LA get the LA of the nearest school that has one.
pub fn read_schools(path: &Path) -> Result<SchoolFile, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(bytes) = read_bytes(path, &mut diags) else {
        return Err(diags);
    };
    let text = decode(bytes);
    let headers = header_names(text.as_bytes());
    let optional: Vec<&str> = headers.iter().map(String::as_str).collect();
    let Some(table) = Table::from_bytes(path, text.as_bytes(), &[], &optional, &mut diags) else {
        return Err(diags);
    };
    let cols = Columns::resolve(&table.headers);
    check_columns(path, &headers, &cols, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }

    let mut out = SchoolFile {
        path: path.to_path_buf(),
        ..SchoolFile::default()
    };
    let mut first_row: BTreeMap<u32, usize> = BTreeMap::new();
    for row in table.iter() {
        let row = SchoolRow { cols: &cols, row };
        let before = diags.diagnostics.len();
        if row.closed() {
            *out.skipped
                .entry("closed or not yet open".into())
                .or_default() += 1;
            continue;
        }
        let values = row.values(&mut first_row, &mut diags);
        if diags.diagnostics.len() > before {
            continue;
        }
        let (Some(urn), Some(name)) = (values.urn, values.name) else {
            continue;
        };
        match row.school(urn, name, &values) {
            Ok(school) => out.schools.push(school),
            Err(reason) => *out.skipped.entry(reason.to_string()).or_default() += 1,
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    complete_las(&mut out);
    estimate_rolls(&mut out);
    Ok(out)
}

/// Reports each field the reader cannot do without (URN, name, grid reference, LA, type) that
/// has no column in the file, with a column that looks like a misspelling of it.
fn check_columns(path: &Path, headers: &[String], cols: &Columns, diags: &mut Diagnostics) {
    let mut missing = |fields: &[&Field], what: &str| {
        if fields.iter().all(|f| cols.col(f).is_none()) {
            let names: Vec<&str> = fields
                .iter()
                .flat_map(|f| f.aliases.iter().copied())
                .collect();
            let near = headers
                .iter()
                .find_map(|h| did_you_mean(h, names.iter().copied()).map(|_| h.clone()));
            diags.push(
                Diagnostic::file(
                    Code::MissingColumn,
                    path,
                    format!("no column for the {what}"),
                )
                .at(Location::Row {
                    row: 1,
                    column: names[0].to_string(),
                })
                .field(names[0])
                .expected(format!("a column named {}", names.join(" or ")))
                .help(near.map(|h| format!("column `{h}` looks like a misspelling"))),
            );
        }
    };
    missing(&[&URN], "school's URN");
    missing(&[&NAME], "school's name");
    missing(&[&EASTING], "easting");
    missing(&[&NORTHING], "northing");
    missing(&[&LA_NAME, &LA_CODE], "local authority");
    missing(&[&CENSUS_TYPE, &EST_TYPE, &PHASE], "type of school");
}

/// One row of a school file, read through the file's columns.
struct SchoolRow<'a, 'r> {
    cols: &'a Columns,
    row: Row<'r>,
}

/// What one row says, each value checked, before the school is classified.
struct RowValues<'r> {
    urn: Option<u32>,
    name: Option<&'r str>,
    roll: Option<u32>,
    ehcp: Option<u32>,
    sen_support: Option<u32>,
    capacity: Option<u32>,
    resourced_provision: BaseFigures,
    sen_unit: BaseFigures,
    low: Option<u8>,
    high: Option<u8>,
    easting: Option<f64>,
    northing: Option<f64>,
    admits: Option<Admits>,
    designations: NeedSet,
    has_rp: bool,
    has_unit: bool,
}

impl<'r> SchoolRow<'_, 'r> {
    /// Whether the school is closed or not yet open.
    fn closed(&self) -> bool {
        let status = self.cols.get(&self.row, &STATUS).to_ascii_lowercase();
        status.starts_with("closed") || status.starts_with("proposed to open")
    }

    /// Reads every value of the row, reporting each bad one, and a URN already used by an
    /// earlier row.
    fn values(
        &self,
        first_row: &mut BTreeMap<u32, usize>,
        diags: &mut Diagnostics,
    ) -> RowValues<'r> {
        let urn = self.urn(diags);
        let name = self
            .cols
            .col(&NAME)
            .and_then(|c| self.row.required(c, diags));
        let roll = self.num(&ROLL, "a whole number of pupils", diags);
        let ehcp = self.num(&EHCP, "a whole number of pupils", diags);
        let sen_support = self.num(&SEN_SUPPORT, "a whole number of pupils", diags);
        let capacity = self.num(&CAPACITY, "a whole number of places", diags);
        let rp_capacity = self.num(&RP_CAPACITY, "a whole number of places", diags);
        let rp_roll = self.num(&RP_ROLL, "a whole number of pupils", diags);
        let unit_capacity = self.num(&UNIT_CAPACITY, "a whole number of places", diags);
        let unit_roll = self.num(&UNIT_ROLL, "a whole number of pupils", diags);
        let low = self.age(&LOW_AGE, diags);
        let high = self.age(&HIGH_AGE, diags);
        let easting = self.coord(&EASTING, 700_000.0, "east", diags);
        let northing = self.coord(&NORTHING, 1_300_000.0, "north", diags);
        let admits = self.admits(diags);
        let designations = self.designations(diags);
        let (has_rp, has_unit) = self.base_kinds(diags);
        if let Some(u) = urn {
            if let Some(first) = first_row.get(&u) {
                diags.push(
                    self.row
                        .error(
                            Code::DuplicateId,
                            self.cols.col(&URN).unwrap_or("urn"),
                            format!("URN {u} already used in row {first}"),
                        )
                        .expected("one row per URN"),
                );
            } else {
                first_row.insert(u, self.row.number);
            }
        }
        RowValues {
            urn,
            name,
            roll,
            ehcp,
            sen_support,
            capacity,
            resourced_provision: BaseFigures {
                capacity: rp_capacity,
                on_roll: rp_roll,
            },
            sen_unit: BaseFigures {
                capacity: unit_capacity,
                on_roll: unit_roll,
            },
            low,
            high,
            easting,
            northing,
            admits,
            designations,
            has_rp,
            has_unit,
        }
    }

    /// The school's URN: a positive whole number.
    fn urn(&self, diags: &mut Diagnostics) -> Option<u32> {
        let v = self
            .cols
            .col(&URN)
            .and_then(|c| self.row.required(c, diags))?;
        match v.parse::<u32>() {
            Ok(u) if u > 0 => Some(u),
            _ => {
                diags.push(
                    self.row
                        .error(
                            Code::InvalidValue,
                            self.cols.col(&URN).unwrap_or("urn"),
                            format!("cannot read `{v}`"),
                        )
                        .expected("a URN: a positive whole number")
                        .found(format!("`{v}`")),
                );
                None
            }
        }
    }

    /// A count of pupils or places (thousands may be separated by commas).
    fn num(&self, f: &Field, expected: &str, diags: &mut Diagnostics) -> Option<u32> {
        self.cols.col(f).and_then(|c| {
            self.row.parse(c, expected, diags, |v| {
                v.replace(',', "").parse::<u32>().ok()
            })
        })
    }

    /// An age in years, 0 to 25.
    fn age(&self, f: &Field, diags: &mut Diagnostics) -> Option<u8> {
        self.cols.col(f).and_then(|c| {
            self.row.parse(c, "an age in years (0 to 25)", diags, |v| {
                v.parse::<u8>().ok().filter(|a| *a <= 25)
            })
        })
    }

    /// A grid coordinate in metres, 0 to `max`.
    fn coord(&self, f: &Field, max: f64, what: &str, diags: &mut Diagnostics) -> Option<f64> {
        self.cols.col(f).and_then(|c| {
            self.row.parse(
                c,
                &format!("metres {what} on the British National Grid (0 to {max})"),
                diags,
                |v| v.parse::<f64>().ok().filter(|x| (0.0..=max).contains(x)),
            )
        })
    }

    /// Whom the school admits: mixed when the gender is empty or not applicable.
    fn admits(&self, diags: &mut Diagnostics) -> Option<Admits> {
        let gender = self.cols.get(&self.row, &GENDER);
        if gender.is_empty() || gender.eq_ignore_ascii_case("not applicable") {
            return Some(Admits::Mixed);
        }
        let a = Admits::parse(gender);
        if a.is_none() {
            diags.push(
                self.row
                    .error(
                        Code::InvalidValue,
                        self.cols.col(&GENDER).unwrap_or("gender"),
                        format!("unknown gender `{gender}`"),
                    )
                    .expected("Mixed, Girls, Boys or Not applicable")
                    .found(format!("`{gender}`"))
                    .help(did_you_mean(gender, ["Mixed", "Girls", "Boys"])),
            );
        }
        a
    }

    /// The needs named in the SEN1–SEN13 columns.
    fn designations(&self, diags: &mut Diagnostics) -> NeedSet {
        let mut designations = NeedSet::default();
        for col in &self.cols.sen {
            let v = self.row.get(col);
            if v.is_empty() || v.eq_ignore_ascii_case("not applicable") {
                continue;
            }
            match parse_gias_need(v) {
                Some(n) => designations.insert(n),
                None => {
                    let codes: Vec<&str> = Need::codes();
                    diags.push(
                        self.row
                            .error(
                                Code::UnknownCode,
                                col,
                                format!("unknown SEN designation `{v}`"),
                            )
                            .expected(format!(
                                "a GIAS need such as `ASD - Autistic Spectrum Disorder` (codes {})",
                                codes.join(", ")
                            ))
                            .found(format!("`{v}`"))
                            .help(did_you_mean(v.split(" - ").next().unwrap_or(v), codes)),
                    );
                }
            }
        }
        designations
    }

    /// Whether the school has resourced provision, an SEN unit, both or neither.
    fn base_kinds(&self, diags: &mut Diagnostics) -> (bool, bool) {
        let rp_type = self.cols.get(&self.row, &RP_TYPE).to_ascii_lowercase();
        match rp_type.as_str() {
            "" | "not applicable" | "not recorded" => (false, false),
            "resourced provision" => (true, false),
            "sen unit" => (false, true),
            "resourced provision and sen unit" => (true, true),
            _ => {
                let v = self.cols.get(&self.row, &RP_TYPE);
                diags.push(
                    self.row.error(Code::UnknownCode, self.cols.col(&RP_TYPE).unwrap_or("TypeOfResourcedProvision (name)"), format!("unknown resourced provision type `{v}`"))
                        .expected("Resourced provision, SEN unit, Resourced provision and SEN unit, or Not applicable")
                        .found(format!("`{v}`")),
                );
                (false, false)
            }
        }
    }

    /// The school the row describes, or why it is left out.
    fn school(&self, urn: u32, name: &str, v: &RowValues<'_>) -> Result<School, &'static str> {
        let cols = self.cols;
        let row = &self.row;
        let census = cols.get(row, &CENSUS_TYPE);
        let est = cols.get(row, &EST_TYPE);
        let phase = cols.get(row, &PHASE);
        let share = match (v.ehcp, v.roll) {
            (Some(e), Some(r)) if r > 0 => Some(f64::from(e) / f64::from(r)),
            _ => None,
        };
        let (class, academy) = classify(census, est, phase, name, urn, share)?;
        let (first_year, last_year, ages_known) = match (v.low, v.high) {
            (Some(l), Some(h)) if h > l => {
                let (f, l) = years_from_ages(l, h);
                (f, l, true)
            }
            _ => {
                let (f, l) = assumed_years(class, phase, v.roll);
                (f, l, false)
            }
        };
        let town = cols.get(row, &TOWN);
        let postcode = cols.get(row, &POSTCODE);
        let locality = if !town.is_empty() {
            town.to_string()
        } else {
            postcode.split_whitespace().next().unwrap_or("").to_string()
        };
        let location = match (v.easting, v.northing) {
            (Some(e), Some(n)) => Some(GridRef {
                easting: e.round(),
                northing: n.round(),
            }),
            _ => None,
        };
        Ok(School {
            urn,
            name: name.trim().to_string(),
            la_code: cols.get(row, &LA_CODE).to_string(),
            la_name: cols.get(row, &LA_NAME).trim().to_string(),
            class,
            academy,
            phase: phase.to_string(),
            first_year,
            last_year,
            ages_known,
            admits: v.admits.unwrap_or(Admits::Mixed),
            location,
            locality,
            postcode: postcode.trim().to_string(),
            ukprn: cols.get(row, &UKPRN).trim().to_string(),
            roll: v.roll,
            roll_estimated: false,
            capacity: v.capacity,
            ehcp: v.ehcp,
            sen_support: v.sen_support,
            designations: (!cols.sen.is_empty()).then_some(v.designations),
            resourced_provision: v.has_rp.then_some(v.resourced_provision),
            sen_unit: v.has_unit.then_some(v.sen_unit),
            base_columns: cols.col(&RP_TYPE).is_some(),
            row: row.number,
        })
    }
}

#[cfg(test)]
mod tests;
