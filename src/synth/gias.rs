//! Reading a GIAS-shaped school file: the columns of the shared England extract
//! (`urn`, `name`, `la_name`, `census_school_type`, …) or the official GIAS names (`URN`,
//! `EstablishmentName`, `TypeOfEstablishment (name)`, `SEN1 (name)`, …). Other columns are
//! ignored. Every bad value in every row is reported with its row and column.

use super::Assumption;
use super::school::{BaseFigures, School, SchoolClass, assumed_years, years_from_ages};
use super::stats::header_names;
use crate::diag::{Code, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::io::table::{Row, Table};
use crate::model::{Admits, GridRef, Need, NeedSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// One logical field and the column names it may have.
struct Field {
    key: &'static str,
    aliases: &'static [&'static str],
}

const URN: Field = Field {
    key: "urn",
    aliases: &["urn", "URN"],
};
const NAME: Field = Field {
    key: "name",
    aliases: &["name", "EstablishmentName"],
};
const LA_CODE: Field = Field {
    key: "la_code",
    aliases: &["la_code", "LA (code)"],
};
const LA_NAME: Field = Field {
    key: "la_name",
    aliases: &["la_name", "LA (name)"],
};
const CENSUS_TYPE: Field = Field {
    key: "census_school_type",
    aliases: &["census_school_type"],
};
const EST_TYPE: Field = Field {
    key: "type_of_establishment",
    aliases: &["gias_type_of_establishment", "TypeOfEstablishment (name)"],
};
const STATUS: Field = Field {
    key: "status",
    aliases: &["EstablishmentStatus (name)"],
};
const PHASE: Field = Field {
    key: "phase",
    aliases: &["phase_of_education", "PhaseOfEducation (name)"],
};
const POSTCODE: Field = Field {
    key: "postcode",
    aliases: &["postcode", "Postcode"],
};
const TOWN: Field = Field {
    key: "town",
    aliases: &["Town"],
};
const EASTING: Field = Field {
    key: "easting",
    aliases: &["easting", "Easting"],
};
const NORTHING: Field = Field {
    key: "northing",
    aliases: &["northing", "Northing"],
};
const ROLL: Field = Field {
    key: "roll",
    aliases: &["pupils_on_roll_jan2025", "NumberOfPupils"],
};
const EHCP: Field = Field {
    key: "ehcp",
    aliases: &["ehc_plan_pupils_jan2025"],
};
const SEN_SUPPORT: Field = Field {
    key: "sen_support",
    aliases: &["sen_support_pupils_jan2025"],
};
const CAPACITY: Field = Field {
    key: "capacity",
    aliases: &["SchoolCapacity"],
};
const LOW_AGE: Field = Field {
    key: "low_age",
    aliases: &["StatutoryLowAge"],
};
const HIGH_AGE: Field = Field {
    key: "high_age",
    aliases: &["StatutoryHighAge"],
};
const GENDER: Field = Field {
    key: "gender",
    aliases: &["Gender (name)"],
};
const RP_TYPE: Field = Field {
    key: "rp_type",
    aliases: &["TypeOfResourcedProvision (name)"],
};
const RP_CAPACITY: Field = Field {
    key: "rp_capacity",
    aliases: &["ResourcedProvisionCapacity"],
};
const RP_ROLL: Field = Field {
    key: "rp_roll",
    aliases: &["ResourcedProvisionOnRoll"],
};
const UNIT_CAPACITY: Field = Field {
    key: "unit_capacity",
    aliases: &["SenUnitCapacity"],
};
const UNIT_ROLL: Field = Field {
    key: "unit_roll",
    aliases: &["SenUnitOnRoll"],
};

/// The column names of one file, resolved to fields.
struct Columns {
    found: BTreeMap<&'static str, String>,
    sen: Vec<String>,
}

impl Columns {
    fn resolve(headers: &[String]) -> Columns {
        let mut found = BTreeMap::new();
        for f in [
            URN,
            NAME,
            LA_CODE,
            LA_NAME,
            CENSUS_TYPE,
            EST_TYPE,
            STATUS,
            PHASE,
            POSTCODE,
            TOWN,
            EASTING,
            NORTHING,
            ROLL,
            EHCP,
            SEN_SUPPORT,
            CAPACITY,
            LOW_AGE,
            HIGH_AGE,
            GENDER,
            RP_TYPE,
            RP_CAPACITY,
            RP_ROLL,
            UNIT_CAPACITY,
            UNIT_ROLL,
        ] {
            if let Some(h) = f
                .aliases
                .iter()
                .find_map(|a| headers.iter().find(|h| h.eq_ignore_ascii_case(a)))
            {
                found.insert(f.key, h.clone());
            }
        }
        let sen = (1..=13)
            .filter_map(|i| {
                let want = format!("SEN{i} (name)");
                headers
                    .iter()
                    .find(|h| h.eq_ignore_ascii_case(&want))
                    .cloned()
            })
            .collect();
        Columns { found, sen }
    }
    fn col(&self, f: &Field) -> Option<&str> {
        self.found.get(f.key).map(String::as_str)
    }
    fn get<'r>(&self, row: &Row<'r>, f: &Field) -> &'r str {
        self.col(f).map_or("", |c| row.get(c))
    }
}

/// Decodes a file as UTF-8, or as Windows-1252/Latin-1 (the official GIAS download's encoding)
/// when it is not valid UTF-8.
fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    }
}

/// Reads and classifies every row of a GIAS-shaped school file. Closed establishments, Welsh
/// establishments, nurseries, higher education and other out-of-scope rows are left out and
/// counted. Rows without an LA get the LA of the nearest school that has one.
pub fn read_schools(path: &Path) -> Result<SchoolFile, Diagnostics> {
    let mut diags = Diagnostics::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::file(
                Code::Io,
                path,
                format!("cannot read: {e}"),
            ));
            return Err(diags);
        }
    };
    let text = decode(bytes);
    let headers = header_names(text.as_bytes());
    let optional: Vec<&str> = headers.iter().map(String::as_str).collect();
    let Some(table) = Table::from_bytes(path, text.as_bytes(), &[], &optional, &mut diags) else {
        return Err(diags);
    };
    let cols = Columns::resolve(&table.headers);
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
    if !diags.is_empty() {
        return Err(diags);
    }

    let mut out = SchoolFile {
        path: path.to_path_buf(),
        ..SchoolFile::default()
    };
    let mut first_row: BTreeMap<u32, usize> = BTreeMap::new();
    for row in table.iter() {
        let before = diags.diagnostics.len();
        let status = cols.get(&row, &STATUS).to_ascii_lowercase();
        if status.starts_with("closed") || status.starts_with("proposed to open") {
            *out.skipped
                .entry("closed or not yet open".into())
                .or_default() += 1;
            continue;
        }
        let urn = match cols.col(&URN).and_then(|c| row.required(c, &mut diags)) {
            Some(v) => match v.parse::<u32>() {
                Ok(u) if u > 0 => Some(u),
                _ => {
                    diags.push(
                        row.error(
                            Code::InvalidValue,
                            cols.col(&URN).unwrap_or("urn"),
                            format!("cannot read `{v}`"),
                        )
                        .expected("a URN: a positive whole number")
                        .found(format!("`{v}`")),
                    );
                    None
                }
            },
            None => None,
        };
        let name = cols.col(&NAME).and_then(|c| row.required(c, &mut diags));
        let num = |f: &Field, expected: &str, diags: &mut Diagnostics| -> Option<u32> {
            cols.col(f).and_then(|c| {
                row.parse(c, expected, diags, |v| {
                    v.replace(',', "").parse::<u32>().ok()
                })
            })
        };
        let roll = num(&ROLL, "a whole number of pupils", &mut diags);
        let ehcp = num(&EHCP, "a whole number of pupils", &mut diags);
        let sen_support = num(&SEN_SUPPORT, "a whole number of pupils", &mut diags);
        let capacity = num(&CAPACITY, "a whole number of places", &mut diags);
        let rp_capacity = num(&RP_CAPACITY, "a whole number of places", &mut diags);
        let rp_roll = num(&RP_ROLL, "a whole number of pupils", &mut diags);
        let unit_capacity = num(&UNIT_CAPACITY, "a whole number of places", &mut diags);
        let unit_roll = num(&UNIT_ROLL, "a whole number of pupils", &mut diags);
        let age = |f: &Field, diags: &mut Diagnostics| -> Option<u8> {
            cols.col(f).and_then(|c| {
                row.parse(c, "an age in years (0 to 25)", diags, |v| {
                    v.parse::<u8>().ok().filter(|a| *a <= 25)
                })
            })
        };
        let low = age(&LOW_AGE, &mut diags);
        let high = age(&HIGH_AGE, &mut diags);
        let coord = |f: &Field, max: f64, what: &str, diags: &mut Diagnostics| -> Option<f64> {
            cols.col(f).and_then(|c| {
                row.parse(
                    c,
                    &format!("metres {what} on the British National Grid (0 to {max})"),
                    diags,
                    |v| v.parse::<f64>().ok().filter(|x| (0.0..=max).contains(x)),
                )
            })
        };
        let easting = coord(&EASTING, 700_000.0, "east", &mut diags);
        let northing = coord(&NORTHING, 1_300_000.0, "north", &mut diags);
        let gender = cols.get(&row, &GENDER);
        let admits = if gender.is_empty() || gender.eq_ignore_ascii_case("not applicable") {
            Some(Admits::Mixed)
        } else {
            let a = Admits::parse(gender);
            if a.is_none() {
                diags.push(
                    row.error(
                        Code::InvalidValue,
                        cols.col(&GENDER).unwrap_or("gender"),
                        format!("unknown gender `{gender}`"),
                    )
                    .expected("Mixed, Girls, Boys or Not applicable")
                    .found(format!("`{gender}`"))
                    .help(did_you_mean(gender, ["Mixed", "Girls", "Boys"])),
                );
            }
            a
        };
        let mut designations = NeedSet::default();
        for col in &cols.sen {
            let v = row.get(col);
            if v.is_empty() || v.eq_ignore_ascii_case("not applicable") {
                continue;
            }
            match parse_gias_need(v) {
                Some(n) => designations.insert(n),
                None => {
                    let codes: Vec<&str> = Need::ALL.iter().map(|n| n.code()).collect();
                    diags.push(
                        row.error(
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
        let rp_type = cols.get(&row, &RP_TYPE).to_ascii_lowercase();
        let (has_rp, has_unit) = match rp_type.as_str() {
            "" | "not applicable" | "not recorded" => (false, false),
            "resourced provision" => (true, false),
            "sen unit" => (false, true),
            "resourced provision and sen unit" => (true, true),
            _ => {
                let v = cols.get(&row, &RP_TYPE);
                diags.push(
                    row.error(Code::UnknownCode, cols.col(&RP_TYPE).unwrap_or("TypeOfResourcedProvision (name)"), format!("unknown resourced provision type `{v}`"))
                        .expected("Resourced provision, SEN unit, Resourced provision and SEN unit, or Not applicable")
                        .found(format!("`{v}`")),
                );
                (false, false)
            }
        };
        if let Some(u) = urn {
            if let Some(first) = first_row.get(&u) {
                diags.push(
                    row.error(
                        Code::DuplicateId,
                        cols.col(&URN).unwrap_or("urn"),
                        format!("URN {u} already used in row {first}"),
                    )
                    .expected("one row per URN"),
                );
            } else {
                first_row.insert(u, row.number);
            }
        }
        if diags.diagnostics.len() > before {
            continue;
        }
        let (Some(urn), Some(name)) = (urn, name) else {
            continue;
        };
        let census = cols.get(&row, &CENSUS_TYPE);
        let est = cols.get(&row, &EST_TYPE);
        let phase = cols.get(&row, &PHASE);
        let share = match (ehcp, roll) {
            (Some(e), Some(r)) if r > 0 => Some(f64::from(e) / f64::from(r)),
            _ => None,
        };
        let (class, academy) = match classify(census, est, phase, name, urn, share) {
            Ok(c) => c,
            Err(reason) => {
                *out.skipped.entry(reason.to_string()).or_default() += 1;
                continue;
            }
        };
        let (first_year, last_year, ages_known) = match (low, high) {
            (Some(l), Some(h)) if h > l => {
                let (f, l) = years_from_ages(l, h);
                (f, l, true)
            }
            _ => {
                let (f, l) = assumed_years(class, phase, roll);
                (f, l, false)
            }
        };
        let town = cols.get(&row, &TOWN);
        let postcode = cols.get(&row, &POSTCODE);
        let locality = if !town.is_empty() {
            town.to_string()
        } else {
            postcode.split_whitespace().next().unwrap_or("").to_string()
        };
        let location = match (easting, northing) {
            (Some(e), Some(n)) => Some(GridRef {
                easting: e.round(),
                northing: n.round(),
            }),
            _ => None,
        };
        let base_columns = cols.col(&RP_TYPE).is_some();
        out.schools.push(School {
            urn,
            name: name.trim().to_string(),
            la_code: cols.get(&row, &LA_CODE).to_string(),
            la_name: cols.get(&row, &LA_NAME).trim().to_string(),
            class,
            academy,
            phase: phase.to_string(),
            first_year,
            last_year,
            ages_known,
            admits: admits.unwrap_or(Admits::Mixed),
            location,
            locality,
            roll,
            roll_estimated: false,
            capacity,
            ehcp,
            sen_support,
            designations: (!cols.sen.is_empty()).then_some(designations),
            resourced_provision: has_rp.then_some(BaseFigures {
                capacity: rp_capacity,
                on_roll: rp_roll,
            }),
            sen_unit: has_unit.then_some(BaseFigures {
                capacity: unit_capacity,
                on_roll: unit_roll,
            }),
            base_columns,
            row: row.number,
        });
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(diags);
    }
    complete_las(&mut out);
    estimate_rolls(&mut out);
    Ok(out)
}

/// A GIAS SEN designation: a census code, `SpLD - …` spellings, or the retired `BESD`
/// (behaviour, emotional and social difficulties), which SEMH replaced in 2014.
fn parse_gias_need(text: &str) -> Option<Need> {
    let head = text.split(" - ").next().unwrap_or(text).trim();
    if head.eq_ignore_ascii_case("BESD") {
        return Some(Need::Semh);
    }
    Need::parse(text)
}

/// Classifies a row from its GIAS type of establishment, else its census school type, else
/// its phase and name. `Err` gives the reason a row is left out.
pub fn classify(
    census: &str,
    est: &str,
    phase: &str,
    name: &str,
    urn: u32,
    ehcp_share: Option<f64>,
) -> Result<(SchoolClass, Option<bool>), &'static str> {
    let est = est.to_ascii_lowercase();
    let census = census.to_ascii_lowercase();
    let name_l = name.to_ascii_lowercase();
    let phase_l = phase.to_ascii_lowercase();
    let mostly_plans = ehcp_share.is_some_and(|s| s >= INDEPENDENT_SPECIAL_SHARE);
    if !est.is_empty() {
        return Ok(if est.contains("welsh") {
            return Err("Welsh establishment");
        } else if est.contains("higher education") {
            return Err("higher education institution");
        } else if est.contains("nursery") {
            return Err("nursery school");
        } else if est.contains("special post 16") {
            (SchoolClass::SpecialistPost16, None)
        } else if est.contains("further education") || est.contains("sixth form centre") {
            (SchoolClass::FurtherEducation, None)
        } else if est.contains("non-maintained special") {
            (SchoolClass::NonMaintainedSpecial, None)
        } else if est.contains("independent special") {
            (SchoolClass::IndependentSpecial, None)
        } else if est.contains("independent") {
            if mostly_plans {
                (SchoolClass::IndependentSpecial, None)
            } else {
                (SchoolClass::IndependentMainstream, None)
            }
        } else if est.contains("special") {
            (
                SchoolClass::StateSpecial,
                Some(est.contains("academy") || est.contains("free")),
            )
        } else if est.contains("pupil referral") || est.contains("alternative provision") {
            (SchoolClass::AlternativeProvision, None)
        } else if [
            "secure unit",
            "offshore",
            "service children",
            "miscellaneous",
            "british schools overseas",
            "other government department",
            "online provider",
        ]
        .iter()
        .any(|k| est.contains(k))
        {
            return Err("out of scope (secure unit, offshore, overseas, miscellaneous)");
        } else {
            (SchoolClass::Mainstream, None)
        });
    }
    if !census.is_empty() {
        return Ok(match census.as_str() {
            "state-funded primary" | "state-funded secondary" => (SchoolClass::Mainstream, None),
            "state-funded special school" => (
                SchoolClass::StateSpecial,
                name_l.contains("academy").then_some(true),
            ),
            "non-maintained special school" => (SchoolClass::NonMaintainedSpecial, None),
            "independent school" if mostly_plans => (SchoolClass::IndependentSpecial, None),
            "independent school" => (SchoolClass::IndependentMainstream, None),
            "state-funded ap school" => (SchoolClass::AlternativeProvision, None),
            "state-funded nursery" => return Err("nursery school"),
            _ => return Err("unknown census school type"),
        });
    }
    if (400_000..500_000).contains(&urn) {
        return Err("Welsh establishment");
    }
    if name_l.contains("university") {
        return Err("higher education institution");
    }
    if phase_l.contains("16 plus") {
        return Ok((SchoolClass::FurtherEducation, None));
    }
    if ["primary", "secondary", "all-through", "middle"]
        .iter()
        .any(|p| phase_l.contains(p))
    {
        return Ok((SchoolClass::Mainstream, None));
    }
    if name_l.contains("college") || name_l.contains(" fe ") {
        return Ok((SchoolClass::SpecialistPost16, None));
    }
    Err("no type and no phase")
}

/// An independent school where at least this share of pupils have an EHC plan is taken to be an
/// independent special school (the shared extract does not tell them apart outside London; in
/// London, where it does, 71 of 78 independent special schools and 14 of 423 other independent
/// schools are at or above this share).
pub const INDEPENDENT_SPECIAL_SHARE: f64 = 0.5;

/// Gives rows without an LA the LA of the nearest school that has one, and fills LA names
/// from codes and codes from names.
fn complete_las(file: &mut SchoolFile) {
    let mut code_of: BTreeMap<String, String> = BTreeMap::new();
    let mut name_of: BTreeMap<String, String> = BTreeMap::new();
    for s in &file.schools {
        if !s.la_code.is_empty() && !s.la_name.is_empty() {
            code_of
                .entry(s.la_name.clone())
                .or_insert(s.la_code.clone());
            name_of
                .entry(s.la_code.clone())
                .or_insert(s.la_name.clone());
        }
    }
    for s in &mut file.schools {
        if s.la_name.is_empty()
            && let Some(n) = name_of.get(&s.la_code)
        {
            s.la_name = n.clone();
        }
        if s.la_code.is_empty()
            && let Some(c) = code_of.get(&s.la_name)
        {
            s.la_code = c.clone();
        }
    }
    let known: Vec<(GridRef, String, String)> = file
        .schools
        .iter()
        .filter(|s| !s.la_name.is_empty())
        .filter_map(|s| {
            s.location
                .map(|l| (l, s.la_code.clone(), s.la_name.clone()))
        })
        .collect();
    let mut assigned = 0;
    for s in &mut file.schools {
        if !s.la_name.is_empty() {
            continue;
        }
        let Some(at) = s.location else { continue };
        if let Some((_, code, name)) = known
            .iter()
            .min_by(|a, b| a.0.distance_to(at).total_cmp(&b.0.distance_to(at)))
        {
            s.la_code = code.clone();
            s.la_name = name.clone();
            assigned += 1;
        }
    }
    if assigned > 0 {
        file.assumptions.push(
            Assumption::new(
                "la-by-location",
                format!(
                    "{assigned} schools have no local authority in the file (not in the January 2025 census: colleges, new academies); each takes the LA of the nearest school that has one"
                ),
                "school file locations",
            )
            .figure("schools", f64::from(assigned)),
        );
    }
}

/// Estimates missing rolls (and EHCP / SEN-support counts) from schools of the same class and
/// phase: the median roll, and the group's pooled rates.
fn estimate_rolls(file: &mut SchoolFile) {
    let key = |s: &School| (s.class, s.phase.to_ascii_lowercase());
    // Per (class, phase): rolls, and summed pupils, EHCP pupils and SEN-support pupils.
    type Group = (Vec<u32>, u64, u64, u64);
    let mut groups: BTreeMap<(SchoolClass, String), Group> = BTreeMap::new();
    for s in &file.schools {
        if let (Some(r), Some(e), Some(ss)) = (s.roll, s.ehcp, s.sen_support) {
            let g = groups.entry(key(s)).or_default();
            g.0.push(r);
            g.1 += u64::from(r);
            g.2 += u64::from(e);
            g.3 += u64::from(ss);
        }
    }
    let mut all: Vec<u32> = groups.values().flat_map(|g| g.0.iter().copied()).collect();
    all.sort_unstable();
    let overall = all.get(all.len() / 2).copied().unwrap_or(200);
    let mut estimated = 0u32;
    for s in &mut file.schools {
        if s.roll.is_some() && s.ehcp.is_some() && s.sen_support.is_some() {
            continue;
        }
        let (median, ehcp_rate, ss_rate) = match groups.get_mut(&key(s)) {
            Some(g) if !g.0.is_empty() => {
                g.0.sort_unstable();
                let rate = |x: u64| if g.1 > 0 { x as f64 / g.1 as f64 } else { 0.0 };
                (g.0[g.0.len() / 2], rate(g.2), rate(g.3))
            }
            _ => (
                overall,
                if s.class.is_special() { 1.0 } else { 0.03 },
                if s.class.is_special() { 0.0 } else { 0.13 },
            ),
        };
        if s.roll.is_none() {
            s.roll = Some(s.capacity.unwrap_or(median));
            s.roll_estimated = true;
            estimated += 1;
        }
        let roll = f64::from(s.roll.unwrap_or(0));
        s.ehcp.get_or_insert((roll * ehcp_rate).round() as u32);
        s.sen_support.get_or_insert((roll * ss_rate).round() as u32);
    }
    if estimated > 0 {
        file.assumptions.push(
            Assumption::new(
                "roll-estimates",
                format!(
                    "{estimated} schools have no pupil numbers in the file: each takes the median roll of schools of the same type and phase, and that group's EHCP and SEN-support rates"
                ),
                "school file",
            )
            .figure("schools", f64::from(estimated)),
        );
    }
}

#[cfg(test)]
mod tests;
