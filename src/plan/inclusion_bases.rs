//! "An inclusion base in every secondary school" (2026 Schools White Paper: inclusion bases
//! replace resourced provision and SEN units, the aim one in every secondary school) as a plan
//! scenario: `action = "inclusion-base-in-every-secondary"` opens, from `from`, a base of
//! `places` places (a `specialist-base`, commissioned by the authority, unless `base` says
//! `support-base`) in every secondary school of the authority without one, for the needs in
//! `designations`.
//!
//! A secondary school is a mainstream school of the authority (its `local_authority` empty or
//! the area's name) serving years 7 to 11. It has a base when a setting it hosts is one (a
//! pool declared a base in `pools.csv`, or a kind the rules map onto one: resourced provision,
//! SEN unit) or one of its own pools is declared a base. A new base is a setting hosted by the
//! school (id `SCHOOL-IB`), of the kind the rules map onto the base (an SEN unit for a
//! specialist base), at the school's site, serving the school's years from 7, with one pool of
//! `places` places declared the base. Its cost is the rules' place funding for a resource-base
//! place (`funding.toml` `[place_funding]`), paid for every commissioned place whether or not
//! filled: `inclusion-bases.places` and `cost.inclusion-bases` each year from `from` (not in
//! `cost.total`, which counts each placed child's funding, place funding included).

use crate::model::{
    InclusionBase, NeedSet, PlacePool, PoolId, Setting, SettingId, SettingKind, YearGroup,
};
use crate::rules::{FundingGroup, RuleSet};
use serde::{Deserialize, Serialize};

/// A base of `places` places in every secondary school without one, from `from`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BaseInEverySecondary {
    /// The first year the bases are open.
    pub from: i32,
    /// Places in each base.
    pub places: u32,
    /// The kind of base.
    pub base: InclusionBase,
    /// The needs the bases are designated for.
    pub designations: NeedSet,
    /// Features the bases have beyond their school's.
    pub features: Vec<String>,
}

/// A base the scenario opened, and what it costs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddedBase {
    /// The new setting's id.
    pub setting: String,
    /// Its host school's id.
    pub host: String,
    /// Its host school's name.
    pub host_name: String,
    /// `support-base` or `specialist-base`.
    pub base: String,
    /// Places in the base.
    pub places: u32,
    /// The first year it is open.
    pub from: i32,
    /// Place funding for each place a year (the rules' resource-base place funding).
    pub pounds_per_place: i64,
}

/// True when `s` is a secondary school of the authority `area_name`.
pub fn is_secondary_school(s: &Setting, area_name: &str) -> bool {
    let la = s.local_authority.trim();
    s.kind == SettingKind::Mainstream
        && (la.is_empty() || la.eq_ignore_ascii_case(area_name.trim()))
        && s.first_year <= YearGroup(7)
        && s.last_year >= YearGroup(11)
}

/// True when the school `school` has an inclusion base among `settings` (one it hosts, or one
/// of its own pools).
pub fn has_base(school: &Setting, settings: &[Setting], rules: &RuleSet) -> bool {
    let is_base = |s: &Setting| {
        rules.packages.inclusion_base(s.kind).is_some()
            || s.pools.iter().any(|p| p.inclusion_base.is_some())
    };
    is_base(school)
        || settings
            .iter()
            .any(|s| s.host.as_ref() == Some(&school.id) && is_base(s))
}

/// The settings the programme opens in `settings` (the area's, with the scenario's other
/// openings), in school id order, and what each is.
pub fn open_bases(
    programme: &BaseInEverySecondary,
    settings: &[Setting],
    area_name: &str,
    rules: &RuleSet,
) -> Vec<(Setting, AddedBase)> {
    let kind = rules
        .packages
        .inclusion_bases
        .iter()
        .find(|m| m.base == programme.base)
        .map_or(SettingKind::SenUnit, |m| m.kind);
    let pounds_per_place = rules.funding.place[FundingGroup::of(kind) as usize].0;
    let mut schools: Vec<&Setting> = settings
        .iter()
        .filter(|s| is_secondary_school(s, area_name) && !has_base(s, settings, rules))
        .collect();
    schools.sort_by(|a, b| a.id.cmp(&b.id));
    let taken: Vec<&str> = settings.iter().map(|s| s.id.as_str()).collect();
    let mut out = Vec::new();
    for school in schools {
        let mut id = format!("{}-IB", school.id);
        let mut n = 2;
        while taken.contains(&id.as_str()) {
            id = format!("{}-IB{n}", school.id);
            n += 1;
        }
        let first = school.first_year.max(YearGroup(7));
        let mut features = school.features.clone();
        features.extend(programme.features.iter().cloned());
        features.sort();
        features.dedup();
        let setting = Setting {
            id: SettingId(id.clone()),
            name: format!("{} {}", school.name, programme.base.key().replace('-', " ")),
            kind,
            host: Some(school.id.clone()),
            first_year: first,
            last_year: school.last_year,
            admits: school.admits,
            location: school.location,
            designations: programme.designations,
            features,
            pools: vec![PlacePool {
                id: PoolId::from("base"),
                first_year: first,
                last_year: school.last_year,
                capacity: programme.places,
                on_roll: 0,
                inclusion_base: Some(programme.base),
            }],
            annual_fee: None,
            locality: school.locality.clone(),
            s41_approved: false,
            local_authority: school.local_authority.clone(),
            packages: None,
        };
        let added = AddedBase {
            setting: id,
            host: school.id.0.clone(),
            host_name: school.name.clone(),
            base: programme.base.key().to_string(),
            places: programme.places,
            from: programme.from,
            pounds_per_place,
        };
        out.push((setting, added));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_goes_to_each_secondary_school_without_one() {
        let rules = RuleSet::england();
        let mut sec = crate::testkit::plain_setting("S1", SettingKind::Mainstream);
        sec.first_year = YearGroup(7);
        sec.last_year = YearGroup(13);
        let mut with_base = sec.clone();
        with_base.id = SettingId::from("S2");
        let mut unit = crate::testkit::plain_setting("S2-UN", SettingKind::SenUnit);
        unit.host = Some(SettingId::from("S2"));
        let mut primary = crate::testkit::plain_setting("P1", SettingKind::Mainstream);
        primary.first_year = YearGroup(0);
        primary.last_year = YearGroup(6);
        let mut other_la = sec.clone();
        other_la.id = SettingId::from("S3");
        other_la.local_authority = "Elsewhere".into();
        let settings = vec![sec, with_base, unit, primary, other_la];
        let programme = BaseInEverySecondary {
            from: 2029,
            places: 20,
            base: InclusionBase::SpecialistBase,
            designations: NeedSet::default(),
            features: vec![],
        };
        let opened = open_bases(&programme, &settings, "Here", &rules);
        let ids: Vec<&str> = opened.iter().map(|(s, _)| s.id.as_str()).collect();
        assert_eq!(ids, ["S1-IB"]);
        let (s, a) = &opened[0];
        assert_eq!(s.kind, SettingKind::SenUnit);
        assert_eq!(s.first_year, YearGroup(7));
        assert_eq!(
            s.pools[0].inclusion_base,
            Some(InclusionBase::SpecialistBase)
        );
        assert_eq!((a.places, a.pounds_per_place), (20, 6_000));
    }
}
