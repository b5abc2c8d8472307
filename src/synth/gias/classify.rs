//! The kind of school a row is, from its GIAS type of establishment, census school type, phase
//! and name; and its SEN designations.

use crate::model::Need;
use crate::synth::school::SchoolClass;

/// A GIAS SEN designation: a census code, `SpLD - …` spellings, or the retired `BESD`
/// (behaviour, emotional and social difficulties), which SEMH replaced in 2014.
pub(super) fn parse_gias_need(text: &str) -> Option<Need> {
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
