use super::*;
use crate::synth::school::SchoolClass;

#[test]
fn classification_uses_type_then_census_then_phase() {
    assert_eq!(
        classify("", "Academy special converter", "", "X", 1, None),
        Ok((SchoolClass::StateSpecial, Some(true)))
    );
    assert_eq!(
        classify("", "Community special school", "", "X", 1, None),
        Ok((SchoolClass::StateSpecial, Some(false)))
    );
    assert_eq!(
        classify("Independent school", "", "", "X", 1, Some(0.9)),
        Ok((SchoolClass::IndependentSpecial, None))
    );
    assert_eq!(
        classify("Independent school", "", "", "X", 1, Some(0.01)),
        Ok((SchoolClass::IndependentMainstream, None))
    );
    assert_eq!(
        classify("", "", "16 plus", "Town College", 130_000, None),
        Ok((SchoolClass::FurtherEducation, None))
    );
    assert!(classify("", "", "Not applicable", "Ysgol", 400_100, None).is_err());
    assert!(classify("", "Welsh establishment", "", "Ysgol", 400_100, None).is_err());
    assert_eq!(
        parse_gias_need("BESD - Behaviour, Emotional and Social Difficulties"),
        Some(Need::Semh)
    );
}
