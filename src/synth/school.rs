//! A school as the importer understands it: one row of a GIAS-shaped file, classified into the
//! kinds of provision the synthesiser builds settings from.

use crate::model::{Admits, GridRef, NeedSet};

/// What a school row is, as far as SEND provision goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchoolClass {
    /// State-funded mainstream school (maintained, academy, free school).
    Mainstream,
    /// State-funded special school (LA-maintained, academy or free school).
    StateSpecial,
    NonMaintainedSpecial,
    IndependentSpecial,
    IndependentMainstream,
    AlternativeProvision,
    /// General FE, tertiary or sixth-form college.
    FurtherEducation,
    /// Specialist post-16 institution (independent specialist college).
    SpecialistPost16,
}

impl SchoolClass {
    /// True for every kind of special school.
    pub fn is_special(self) -> bool {
        matches!(
            self,
            SchoolClass::StateSpecial
                | SchoolClass::NonMaintainedSpecial
                | SchoolClass::IndependentSpecial
        )
    }
}

/// Resource-base or unit figures from GIAS, when the file has them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BaseFigures {
    pub capacity: Option<u32>,
    pub on_roll: Option<u32>,
}

/// One school.
#[derive(Clone, Debug, PartialEq)]
pub struct School {
    pub urn: u32,
    pub name: String,
    /// Three-digit DfE LA number (may be empty when only the name is known).
    pub la_code: String,
    pub la_name: String,
    pub class: SchoolClass,
    /// For state special schools: academy or free school (`Some(true)`), LA-maintained
    /// (`Some(false)`), unknown (`None`).
    pub academy: Option<bool>,
    /// GIAS phase of education, as written.
    pub phase: String,
    /// National curriculum years served (0 = reception).
    pub first_year: u8,
    pub last_year: u8,
    /// True when the years come from the file's statutory ages rather than an assumption.
    pub ages_known: bool,
    pub admits: Admits,
    pub location: Option<GridRef>,
    /// Planning locality: the GIAS town, else the postcode's outward code.
    pub locality: String,
    /// The school's postcode as written (empty when the file has none).
    pub postcode: String,
    /// The UK provider reference number, when the file has one (empty otherwise).
    pub ukprn: String,
    pub roll: Option<u32>,
    /// True when `roll` was estimated because the file has none.
    pub roll_estimated: bool,
    pub capacity: Option<u32>,
    pub ehcp: Option<u32>,
    pub sen_support: Option<u32>,
    /// SEN1..SEN13 designations when the file has them.
    pub designations: Option<NeedSet>,
    /// Resourced provision and SEN unit figures when the file has `TypeOfResourcedProvision`.
    pub resourced_provision: Option<BaseFigures>,
    pub sen_unit: Option<BaseFigures>,
    /// True when the file has a `TypeOfResourcedProvision` column at all.
    pub base_columns: bool,
    /// Data row in the source file (header = row 1).
    pub row: usize,
}

impl School {
    /// The school's location, or the origin when unknown (rows without one are rejected
    /// before provision is built).
    pub fn at(&self) -> GridRef {
        self.location.unwrap_or_default()
    }
}

/// Years served by a school when the file gives no statutory ages (assumptions, documented):
/// primary R–6; middle deemed primary 4–7; middle deemed secondary 5–8; secondary 7–11, with a
/// sixth form (to 13) when the roll is at least [`SIXTH_FORM_ROLL`]; all-through R–13; 16 plus
/// 12–13; special schools R–14 (primary-phase R–6, secondary-phase 7–14); independent special
/// schools 3–14; independent mainstream R–13; alternative provision 3–11; colleges 12–14.
pub fn assumed_years(class: SchoolClass, phase: &str, roll: Option<u32>) -> (u8, u8) {
    let p = phase.to_ascii_lowercase();
    match class {
        SchoolClass::Mainstream => {
            if p.contains("middle deemed primary") {
                (4, 7)
            } else if p.contains("middle deemed secondary") {
                (5, 8)
            } else if p.contains("all-through") || p.contains("all through") {
                (0, 13)
            } else if p.contains("16 plus") {
                (12, 13)
            } else if p.contains("primary") {
                (0, 6)
            } else if roll.is_some_and(|r| r >= SIXTH_FORM_ROLL) {
                (7, 13)
            } else {
                (7, 11)
            }
        }
        SchoolClass::StateSpecial | SchoolClass::NonMaintainedSpecial => {
            if p.contains("primary") {
                (0, 6)
            } else if p.contains("secondary") {
                (7, 14)
            } else {
                (0, 14)
            }
        }
        SchoolClass::IndependentSpecial => (3, 14),
        SchoolClass::IndependentMainstream => (0, 13),
        SchoolClass::AlternativeProvision => (3, 11),
        SchoolClass::FurtherEducation | SchoolClass::SpecialistPost16 => (12, 14),
    }
}

/// A secondary school with at least this many pupils is taken to have a sixth form when the
/// file gives no age range (about two thirds of state secondaries in the shared extract).
pub const SIXTH_FORM_ROLL: u32 = 900;

/// Years from statutory ages: the first year is `low - 4` (a child of 4 starts reception), the
/// last `high - 5` (a school to 11 ends with year 6), both clamped to R–14.
pub fn years_from_ages(low: u8, high: u8) -> (u8, u8) {
    let first = low.saturating_sub(4).min(14);
    let last = high.saturating_sub(5).clamp(first, 14);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_become_years() {
        assert_eq!(years_from_ages(4, 11), (0, 6));
        assert_eq!(years_from_ages(11, 16), (7, 11));
        assert_eq!(years_from_ages(11, 18), (7, 13));
        assert_eq!(years_from_ages(2, 19), (0, 14));
        assert_eq!(years_from_ages(16, 25), (12, 14));
    }
}
