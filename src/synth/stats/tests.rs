use super::*;

#[test]
fn national_table_adds_up_to_the_published_total() {
    let t = PlacementTable {
        counts: NATIONAL_2025,
    };
    assert_eq!(t.total(), 638_745);
    assert_eq!(t.placement_total(Placement::ResourcedProvision), 15_529);
    assert_eq!(t.placement_total(Placement::SpecialMaintained), 85_920);
}

#[test]
fn breakdowns_map_to_placements() {
    use Placement as P;
    for (text, p) in [
        (
            "Mainstream - academy (resourced provision)",
            Some(P::ResourcedProvision),
        ),
        ("Mainstream - LA maintained (SEN unit)", Some(P::SenUnit)),
        ("Mainstream - independent", Some(P::IndependentMainstream)),
        ("Mainstream - free school", Some(P::Mainstream)),
        ("Special - Academy/free schools", Some(P::SpecialAcademy)),
        ("Special - non-maintained", Some(P::SpecialNonMaintained)),
        (
            "FE - specialist post-16 institutions",
            Some(P::SpecialistPost16),
        ),
        ("FE - UKRLP provider", Some(P::FurtherEducation)),
        ("Educated elsewhere - NEET", Some(P::NotInEducation)),
        (
            "Educated elsewhere - other arrangements by parents",
            Some(P::ElectiveHome),
        ),
        (
            "Educated elsewhere - Welsh establishment",
            Some(P::ElsewhereOther),
        ),
        ("Special - total", None),
    ] {
        assert_eq!(Placement::from_sen2(text), p, "{text}");
    }
}

#[test]
fn unknown_needs_are_shared_out_and_scaling_keeps_the_total() {
    let mut t = PlacementTable::default();
    t.counts[0][0] = 3;
    t.counts[0][10] = 1;
    t.counts[0][12] = 4;
    let k = t.without_unknown(&[1.0; 12]);
    assert_eq!(k.counts[0][0], 6);
    assert_eq!(k.counts[0][10], 2);
    assert_eq!(k.unknown(), 0);
    let s = PlacementTable {
        counts: NATIONAL_2025,
    }
    .scaled_to(2000);
    assert_eq!(s.total(), 2000);
}

#[test]
fn plan_needs_are_every_census_code_but_nsa_in_census_order() {
    assert_eq!(PLAN_NEEDS[..], Need::ALL[..12]);
    assert!(!PLAN_NEEDS.contains(&Need::Nsa));
    assert_eq!(need_index(Need::Oth), Some(11));
    assert_eq!(need_index(Need::Nsa), None);
}
