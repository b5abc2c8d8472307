//! The columns of a school file: each field the reader uses, the names it may have (the shared
//! extract's or the official GIAS ones), resolved against a file's header; and the file's text
//! encoding.

use crate::io::table::Row;
use std::collections::BTreeMap;

/// One logical field and the column names it may have.
pub(super) struct Field {
    pub(super) key: &'static str,
    pub(super) aliases: &'static [&'static str],
}

impl Field {
    const fn new(key: &'static str, aliases: &'static [&'static str]) -> Field {
        Field { key, aliases }
    }
}

pub(super) const URN: Field = Field::new("urn", &["urn", "URN"]);
pub(super) const NAME: Field = Field::new("name", &["name", "EstablishmentName"]);
pub(super) const LA_CODE: Field = Field::new("la_code", &["la_code", "LA (code)"]);
pub(super) const LA_NAME: Field = Field::new("la_name", &["la_name", "LA (name)"]);
pub(super) const CENSUS_TYPE: Field = Field::new("census_school_type", &["census_school_type"]);
pub(super) const EST_TYPE: Field = Field::new(
    "type_of_establishment",
    &["gias_type_of_establishment", "TypeOfEstablishment (name)"],
);
pub(super) const STATUS: Field = Field::new("status", &["EstablishmentStatus (name)"]);
pub(super) const PHASE: Field =
    Field::new("phase", &["phase_of_education", "PhaseOfEducation (name)"]);
pub(super) const POSTCODE: Field = Field::new("postcode", &["postcode", "Postcode"]);
pub(super) const UKPRN: Field = Field::new("ukprn", &["ukprn", "UKPRN"]);
pub(super) const TOWN: Field = Field::new("town", &["Town"]);
pub(super) const EASTING: Field = Field::new("easting", &["easting", "Easting"]);
pub(super) const NORTHING: Field = Field::new("northing", &["northing", "Northing"]);
pub(super) const ROLL: Field = Field::new("roll", &["pupils_on_roll_jan2025", "NumberOfPupils"]);
pub(super) const EHCP: Field = Field::new("ehcp", &["ehc_plan_pupils_jan2025"]);
pub(super) const SEN_SUPPORT: Field = Field::new("sen_support", &["sen_support_pupils_jan2025"]);
pub(super) const CAPACITY: Field = Field::new("capacity", &["SchoolCapacity"]);
pub(super) const LOW_AGE: Field = Field::new("low_age", &["StatutoryLowAge"]);
pub(super) const HIGH_AGE: Field = Field::new("high_age", &["StatutoryHighAge"]);
pub(super) const GENDER: Field = Field::new("gender", &["Gender (name)"]);
pub(super) const RP_TYPE: Field = Field::new("rp_type", &["TypeOfResourcedProvision (name)"]);
pub(super) const RP_CAPACITY: Field = Field::new("rp_capacity", &["ResourcedProvisionCapacity"]);
pub(super) const RP_ROLL: Field = Field::new("rp_roll", &["ResourcedProvisionOnRoll"]);
pub(super) const UNIT_CAPACITY: Field = Field::new("unit_capacity", &["SenUnitCapacity"]);
pub(super) const UNIT_ROLL: Field = Field::new("unit_roll", &["SenUnitOnRoll"]);

/// The column names of one file, resolved to fields.
pub(super) struct Columns {
    pub(super) found: BTreeMap<&'static str, String>,
    pub(super) sen: Vec<String>,
}

impl Columns {
    pub(super) fn resolve(headers: &[String]) -> Columns {
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
            UKPRN,
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
    pub(super) fn col(&self, f: &Field) -> Option<&str> {
        self.found.get(f.key).map(String::as_str)
    }
    pub(super) fn get<'r>(&self, row: &Row<'r>, f: &Field) -> &'r str {
        self.col(f).map_or("", |c| row.get(c))
    }
}

/// Decodes a file as UTF-8, or as Windows-1252/Latin-1 (the official GIAS download's encoding)
/// when it is not valid UTF-8.
pub(super) fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    }
}
