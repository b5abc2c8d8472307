//! Reform scenarios as data: an additional-learning-support tier below the EHC plan, and a
//! resource-base programme placed where the bottleneck analysis finds the unplaced children.
//! Their reading from a scenarios file (`action = "additional-learning-support"` and
//! `action = "resource-bases"`) and the parts of a projection they change.
//!
//! **Additional learning support** (IPPR's proposed statutory tier in mainstream, DOMAIN.md):
//! from the year `from`, a child with an EHC plan (`plan_level = "ehcp"`) who attends a
//! mainstream school and whose total intensity (0–16, the sum over the four broad areas) is at
//! or below `max_intensity` moves to the plan level `level` with chance `share`. The draw is a
//! hash of the child's id and the Monte Carlo draw, not a step of the projection's generator, so
//! every other random choice of the draw is unchanged (a zero share is the baseline). Children
//! who move keep their mainstream place and their place in the demand model (they are still
//! counted when new plans are shared over the types of setting); they leave the EHC plan count
//! and the EHC plan cost, and each costs `pounds` a year (`als.pupils`, `cost.als`, included in
//! `cost.total`). Under the rules their plan level ranks as SEN support, so a transfer round
//! finds them a mainstream place.
//!
//! **Reassessment at phase transfer** (the 2026 Schools White Paper's Individual Support Plan,
//! DOMAIN.md): with `transfer_years` (e.g. `["R", "7", "12"]`) only a child in one of those
//! year groups in the projection year may move — existing plans are reassessed at phase
//! transfer — and a child who does not move then keeps the plan in later years. The shipped
//! scenario `isp-at-phase-transfer` (`fixtures/wyvernshire/scenarios/reform.toml`) moves a share
//! of plans in mainstream below the specialist tier to a school-led Individual Support Plan
//! (Targeted Plus) from September 2029, at an assumed cost a pupil (not published).
//!
//! **Resource-base programme**: `bases` bases of `places` places each, open from `from`, at the
//! pools the bottleneck analysis of the projection without the programme names for places to
//! add. A pilot projection (the scenario's other changes, the first draw, on the median growth
//! path) is run; for each pool the largest number of places to add in any year from `from` on
//! ranks the sites (ties: the total over the years, then setting and pool id); one base goes to
//! each of the first `bases` pools, leaving out independent and non-maintained special
//! schools (places an authority cannot build) and mainstream schools' own pools (a base is
//! specialist places). The bottleneck analysis certifies that a place added there places an
//! unplaced child.

use crate::model::{NeedProfile, SettingKind, YearGroup};
use crate::rules::toml_read::{Fields, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The plan level the tier uses unless the scenario names another.
pub const LEARNING_SUPPORT_LEVEL: &str = "additional-learning-support";

/// An additional-learning-support tier: a share of low-intensity EHC plans in mainstream move
/// to a new plan level from a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LearningSupportTier {
    /// The first year (calendar year the academic year starts).
    pub from: i32,
    /// Chance that an eligible plan moves (0–1).
    pub share: f64,
    /// Plans with total intensity (0–16) at or below this are eligible.
    pub max_intensity: u8,
    /// The new plan level's id.
    pub level: String,
    /// Annual cost of a pupil on the tier, in pounds.
    pub pounds: i64,
    /// When not empty, only children in these year groups (phase transfer) may move.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfer_years: Vec<YearGroup>,
}

impl LearningSupportTier {
    /// True when `child` (in a setting of kind `kind`) may move to the tier.
    pub fn eligible(&self, child: &NeedProfile, kind: Option<SettingKind>) -> bool {
        child.plan_level == "ehcp"
            && kind == Some(SettingKind::Mainstream)
            && child.intensity.total() <= self.max_intensity
            && (self.transfer_years.is_empty() || self.transfer_years.contains(&child.year))
    }

    /// Moves the eligible children of `cohort` whose draw falls within the share. Returns how
    /// many moved.
    pub fn apply(
        &self,
        cohort: &mut [NeedProfile],
        settings: &[crate::model::Setting],
        draw_seed: u64,
    ) -> usize {
        if self.share <= 0.0 {
            return 0;
        }
        let mut moved = 0;
        for child in cohort.iter_mut() {
            let kind = child.current_setting.as_ref().and_then(|id| {
                settings
                    .binary_search_by(|s| s.id.cmp(id))
                    .ok()
                    .map(|i| settings[i].kind)
            });
            if self.eligible(child, kind) && unit_draw(&child.id.0, draw_seed) < self.share {
                child.plan_level = self.level.clone();
                moved += 1;
            }
        }
        moved
    }
}

/// A uniform number in [0, 1) from a child's id and a draw's seed (FNV-1a, then a 64-bit
/// finaliser), the same for the same child in the same draw.
fn unit_draw(id: &str, seed: u64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A resource-base programme: `bases` bases of `places` places from `from`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BaseProgramme {
    /// The first year the bases are open.
    pub from: i32,
    /// How many bases.
    pub bases: u32,
    /// Places in each base.
    pub places: u32,
}

/// Where a base of a programme went, and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlacedBase {
    /// The setting and pool the places were added to.
    pub setting: String,
    /// The setting's name.
    pub setting_name: String,
    /// The pool the places were added to.
    pub pool: String,
    /// Places added.
    pub places: u32,
    /// From this year.
    pub from: i32,
    /// The most places the bottleneck analysis of the pilot projection asked for at this pool
    /// in one year, and that year.
    pub places_to_add: u32,
    /// The year of `places_to_add`.
    pub year: i32,
}

/// Places to add at one pool in the pilot projection, by year.
#[derive(Clone, Debug, Default)]
pub(crate) struct SiteNeed {
    pub(crate) setting_name: String,
    pub(crate) kind: Option<SettingKind>,
    pub(crate) by_year: BTreeMap<i32, u32>,
}

/// A candidate site: its largest one-year need, total need, the year of the largest, the
/// (setting, pool) and what is known of it.
type Ranked<'a> = (u32, u32, i32, &'a (String, String), &'a SiteNeed);

/// The sites of a programme from the pilot's places to add per (setting, pool): the pools
/// with the largest one-year need (ties: total need, then ids), one base each. Independent and
/// non-maintained settings are left out (an authority cannot build places there), and so are
/// mainstream schools' own pools: a base is specialist places, and a mainstream pool's free
/// places are free again each year in a projection (its roll follows the pupil projection, so
/// the pupils with plans admitted in a round are counted within it the next year), which would
/// make one place there admit a child a year.
pub(crate) fn choose_sites(
    programme: &BaseProgramme,
    needs: &BTreeMap<(String, String), SiteNeed>,
) -> Vec<PlacedBase> {
    let mut ranked: Vec<Ranked<'_>> = needs
        .iter()
        .filter(|(_, need)| {
            need.kind.is_some_and(|k| {
                k != SettingKind::Mainstream
                    && !k.is_independent()
                    && k != SettingKind::SpecialNonMaintained
            })
        })
        .filter_map(|(key, need)| {
            let (year, peak) = need
                .by_year
                .iter()
                .filter(|(y, _)| **y >= programme.from)
                .map(|(y, n)| (*y, *n))
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
            let total = need
                .by_year
                .iter()
                .filter(|(y, _)| **y >= programme.from)
                .map(|(_, n)| *n)
                .sum();
            (peak > 0).then_some((peak, total, year, key, need))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.3.cmp(b.3)));
    ranked
        .into_iter()
        .take(programme.bases as usize)
        .map(|(peak, _, year, (setting, pool), need)| PlacedBase {
            setting: setting.clone(),
            setting_name: need.setting_name.clone(),
            pool: pool.clone(),
            places: programme.places,
            from: programme.from,
            places_to_add: peak,
            year,
        })
        .collect()
}

/// Reads `share`, `max_intensity`, `level` and `pounds` of an `additional-learning-support`
/// change.
pub(super) fn read_learning_support(
    f: &mut Fields<'_, '_>,
    from: Option<i32>,
) -> Option<LearningSupportTier> {
    let share = f.req_within("share", 0.0..=1.0);
    let max = f.req_within_as(
        "max_intensity",
        0..=16,
        "the highest total intensity (0 to 16) of a plan that may move",
    );
    let pounds = f.req_within_as(
        "pounds",
        0..=1_000_000,
        "the annual cost of a pupil on the tier, in pounds",
    );
    let level = f
        .opt::<Text>("level")
        .map(|l| l.0)
        .unwrap_or_else(|| LEARNING_SUPPORT_LEVEL.to_string());
    let cx = f.reader();
    let mut transfer_years = Vec::new();
    for (i, (y, span)) in f
        .opt::<Vec<Text>>("transfer_years")
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        match YearGroup::parse(&y) {
            Some(y) => transfer_years.push(y),
            None => cx.push(
                f.at(
                    crate::diag::Code::InvalidValue,
                    span,
                    &format!("transfer_years[{i}]"),
                    "not a year group",
                )
                .expected("R or 1 to 14, e.g. [\"R\", \"7\", \"12\"]")
                .found(y),
            ),
        }
    }
    transfer_years.sort();
    transfer_years.dedup();
    Some(LearningSupportTier {
        from: from?,
        share: share?,
        max_intensity: max? as u8,
        level,
        pounds: pounds?,
        transfer_years,
    })
}

/// Reads `bases` and `places` of a `resource-bases` change.
pub(super) fn read_base_programme(
    f: &mut Fields<'_, '_>,
    from: Option<i32>,
) -> Option<BaseProgramme> {
    let bases = f.req_within_as("bases", 0..=1_000, "the number of bases (0 to 1000)");
    let places = f.req_within_as("places", 0..=1_000, "the places in each base (0 to 1000)");
    Some(BaseProgramme {
        from: from?,
        bases: bases? as u32,
        places: places? as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_draw_is_uniform_enough_and_repeatable() {
        let n = 20_000;
        let below = (0..n)
            .filter(|i| unit_draw(&format!("C{i:06}"), 7) < 0.3)
            .count();
        let share = below as f64 / n as f64;
        assert!((share - 0.3).abs() < 0.02, "{share}");
        assert_eq!(unit_draw("C000001", 7), unit_draw("C000001", 7));
        assert_ne!(unit_draw("C000001", 7), unit_draw("C000001", 8));
    }

    #[test]
    fn reassessment_at_phase_transfer_moves_children_of_the_transfer_years_only() {
        let tier = LearningSupportTier {
            from: 2029,
            share: 1.0,
            max_intensity: 16,
            level: "targeted-plus".into(),
            pounds: 3_000,
            transfer_years: vec![YearGroup(7), YearGroup(12)],
        };
        let settings = vec![crate::testkit::plain_setting("M", SettingKind::Mainstream)];
        let mut cohort: Vec<NeedProfile> = [6u8, 7, 8, 11, 12]
            .iter()
            .map(|&y| NeedProfile {
                year: YearGroup(y),
                plan_level: "ehcp".into(),
                current_setting: Some(crate::model::SettingId::from("M")),
                ..crate::testkit::plain_child(&format!("C{y:02}"))
            })
            .collect();
        assert_eq!(tier.apply(&mut cohort, &settings, 1), 2);
        let moved: Vec<u8> = cohort
            .iter()
            .filter(|c| c.plan_level == "targeted-plus")
            .map(|c| c.year.0)
            .collect();
        assert_eq!(moved, [7, 12]);
        // Without transfer years every year group may move.
        let any = LearningSupportTier {
            transfer_years: Vec::new(),
            ..tier
        };
        assert_eq!(any.apply(&mut cohort, &settings, 1), 3);
    }

    #[test]
    fn sites_go_to_the_largest_need_ties_by_id() {
        let mut needs = BTreeMap::new();
        let site = |pairs: &[(i32, u32)]| SiteNeed {
            setting_name: "x".into(),
            kind: Some(SettingKind::SpecialMaintained),
            by_year: pairs.iter().copied().collect(),
        };
        needs.insert(("B".into(), "p".into()), site(&[(2027, 5), (2028, 9)]));
        needs.insert(("A".into(), "p".into()), site(&[(2028, 9)]));
        needs.insert(("C".into(), "p".into()), site(&[(2025, 50)]));
        let mut independent = site(&[(2028, 90)]);
        independent.kind = Some(SettingKind::SpecialIndependent);
        needs.insert(("D".into(), "p".into()), independent);
        let mut mainstream = site(&[(2028, 80)]);
        mainstream.kind = Some(SettingKind::Mainstream);
        needs.insert(("E".into(), "main".into()), mainstream);
        let programme = BaseProgramme {
            from: 2027,
            bases: 2,
            places: 8,
        };
        let sites = choose_sites(&programme, &needs);
        let ids: Vec<&str> = sites.iter().map(|s| s.setting.as_str()).collect();
        // B and A both peak at 9 in 2028; B's total is larger. C's need is before the start;
        // D is independent; E is a mainstream school's own pool, not specialist places.
        assert_eq!(ids, ["B", "A"]);
        assert_eq!((sites[0].places, sites[0].places_to_add), (8, 9));
    }
}
