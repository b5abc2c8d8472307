//! The realism check: where the children with EHC plans are after a round, in the groups of
//! the DfE's published placement figures, so a round can be set beside the published January
//! mix of its authority.

use crate::engine::Engine;
use crate::model::SettingKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Children with EHC plans (plan level `ehcp` or above) by type of placement, in the groups of
/// the published figures: mainstream (with independent mainstream), units (resourced
/// provision and SEN units), state special (LA-maintained, academy and free), independent
/// special (with non-maintained), AP, FE (general and specialist colleges), and elsewhere (no
/// school: educated otherwise, at home, in early years, not in education, awaiting provision,
/// or left unplaced by the round).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mix {
    /// Mainstream schools.
    pub mainstream: u64,
    /// Resource bases and units in mainstream schools.
    pub units: u64,
    /// State special schools (maintained and academies).
    pub state_special: u64,
    /// Independent and non-maintained special schools.
    pub independent_special: u64,
    /// Alternative provision.
    pub ap: u64,
    /// Further education.
    pub fe: u64,
    /// Educated elsewhere (at home, not in education, other arrangements).
    pub elsewhere: u64,
}

impl Mix {
    /// The group names, in order, as in JSON.
    pub const GROUPS: [&'static str; 7] = [
        "mainstream",
        "units",
        "state-special",
        "independent-special",
        "ap",
        "fe",
        "elsewhere",
    ];

    /// The counts in [`Mix::GROUPS`] order.
    pub fn counts(&self) -> [u64; 7] {
        [
            self.mainstream,
            self.units,
            self.state_special,
            self.independent_special,
            self.ap,
            self.fe,
            self.elsewhere,
        ]
    }

    /// All children counted.
    pub fn total(&self) -> u64 {
        self.counts().iter().sum()
    }

    /// Each group's share of the total, in percent ([`Mix::GROUPS`] order; zeros when empty).
    pub fn percents(&self) -> [f64; 7] {
        let total = self.total().max(1) as f64;
        self.counts().map(|n| 100.0 * n as f64 / total)
    }

    fn slot(&mut self, kind: Option<SettingKind>) -> &mut u64 {
        use SettingKind as K;
        match kind {
            Some(K::Mainstream | K::IndependentMainstream) => &mut self.mainstream,
            Some(K::ResourcedProvision | K::SenUnit) => &mut self.units,
            Some(K::SpecialMaintained | K::SpecialAcademy) => &mut self.state_special,
            Some(K::SpecialIndependent | K::SpecialNonMaintained) => &mut self.independent_special,
            Some(K::AlternativeProvision) => &mut self.ap,
            Some(K::FurtherEducation) => &mut self.fe,
            None => &mut self.elsewhere,
        }
    }

    /// The mix after a round: children in the round where it placed them (elsewhere when
    /// unplaced), the others where they are now. `chosen` maps area child indices in the round
    /// to their (setting, pool).
    pub(crate) fn after_round(
        engine: &Engine<'_>,
        chosen: &BTreeMap<usize, Option<(usize, usize)>>,
    ) -> Mix {
        let rules = &engine.rules.rules;
        let ehcp = rules.level_rank("ehcp").unwrap_or(1);
        let mut mix = Mix::default();
        for (c, child) in engine.area.children.iter().enumerate() {
            if rules.level_rank(&child.plan_level).is_none_or(|r| r < ehcp) {
                continue;
            }
            let setting = match chosen.get(&c) {
                Some(choice) => choice.map(|(s, _)| s),
                None => engine.children[c].current.map(|s| s as usize),
            };
            *mix.slot(setting.map(|s| engine.area.settings[s].kind)) += 1;
        }
        mix
    }

    /// Adds `n` children attending a setting of `kind` (`None`: not a school).
    pub fn add(&mut self, kind: Option<SettingKind>, n: u64) {
        *self.slot(kind) += n;
    }
}

/// An authority's published mix, for the comparison `place --stats DIR --la NAME` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedMix {
    /// The authority, as the statistics name it.
    pub la: String,
    /// Where the figures come from.
    pub source: String,
    /// The published counts in the same groups.
    pub mix: Mix,
}
