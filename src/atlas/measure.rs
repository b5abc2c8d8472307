//! The atlas's measures, each defined once: its key (the CSV column and JSON field), its words
//! and which way is better. The README's table and the page's key are these definitions.

use super::AtlasCell;
use serde::Serialize;

/// A measure of one authority × archetype cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Median over homes of the suitable settings with a free place within the guidance.
    Choice,
    /// Median over homes of the journey to the nearest suitable setting with a free place.
    Nearest,
    /// Share of homes with no suitable setting with a free place within the guidance.
    NoneWithinGuidance,
    /// Median annual cost of the first-ranked suitable setting with a place.
    Cost,
    /// Share of homes whose only suitable settings with a place within guidance are independent.
    IndependentOnly,
    /// Median over homes of the suitable specialist settings with a place within guidance.
    SpecialistChoice,
    /// Median over homes of the journey to the nearest suitable specialist setting with a place.
    SpecialistMinutes,
    /// Share of homes with no suitable specialist setting with a place within the guidance.
    NoSpecialistWithinGuidance,
    /// Share of homes with no suitable specialist setting with a place within the ceiling.
    NoSpecialistWithinCeiling,
    /// Share of homes whose only suitable specialist settings within guidance are independent.
    SpecialistIndependentOnly,
    /// Median over homes of the suitable resource bases and units with a place within guidance.
    BaseOffer,
}

/// Which way a measure is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// A higher value is better.
    Higher,
    /// A lower value is better.
    Lower,
}

/// A measure's definition, as written into `atlas.json` and the README.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasureDefinition {
    /// The key used in `atlas.csv` and `atlas.json`.
    pub key: &'static str,
    /// A label in words.
    pub label: &'static str,
    /// The unit.
    pub unit: &'static str,
    /// Which direction is better.
    pub better: Better,
    /// How the measure is computed.
    pub definition: &'static str,
}

impl Measure {
    /// Every measure, in column order.
    pub const ALL: [Measure; 11] = [
        Measure::Choice,
        Measure::Nearest,
        Measure::NoneWithinGuidance,
        Measure::Cost,
        Measure::IndependentOnly,
        Measure::SpecialistChoice,
        Measure::SpecialistMinutes,
        Measure::NoSpecialistWithinGuidance,
        Measure::NoSpecialistWithinCeiling,
        Measure::SpecialistIndependentOnly,
        Measure::BaseOffer,
    ];

    /// The measures shown for an archetype, its headline first: specialist access for
    /// archetypes that call for specialist provision, choice and the resourced-provision
    /// offer for the others.
    pub fn shown(specialist: bool) -> &'static [Measure] {
        if specialist {
            &[
                Measure::SpecialistMinutes,
                Measure::NoSpecialistWithinGuidance,
                Measure::NoSpecialistWithinCeiling,
                Measure::SpecialistChoice,
                Measure::SpecialistIndependentOnly,
                Measure::Cost,
            ]
        } else {
            &[
                Measure::Choice,
                Measure::BaseOffer,
                Measure::NoneWithinGuidance,
                Measure::IndependentOnly,
                Measure::Cost,
            ]
        }
    }

    /// The headline measure of an archetype: the one its map is coloured by and its
    /// authorities are ranked on.
    pub fn headline(specialist: bool) -> Measure {
        Measure::shown(specialist)[0]
    }

    /// The definition.
    pub fn definition(self) -> MeasureDefinition {
        let (key, label, unit, better, definition) = match self {
            Measure::Choice => (
                "median_suitable_within_guidance",
                "choice",
                "settings",
                Better::Higher,
                "median over homes of the suitable settings (any kind) with a free place within the journey guidance",
            ),
            Measure::Nearest => (
                "median_minutes_to_nearest",
                "nearest setting",
                "minutes",
                Better::Lower,
                "median over homes of the journey to the nearest suitable setting with a free place, searched to 150 minutes; empty when more than half the homes have none that near",
            ),
            Measure::NoneWithinGuidance => (
                "share_none_within_guidance",
                "none within guidance",
                "share of homes",
                Better::Lower,
                "share of homes with no suitable setting with a free place within the journey guidance",
            ),
            Measure::Cost => (
                "median_annual_cost",
                "cost of the first-ranked setting",
                "£ a year",
                Better::Lower,
                "median over homes of the annual cost of the setting the tailored list ranks first among those with a place within guidance (mainstream first, then score), else of the nearest with a place",
            ),
            Measure::IndependentOnly => (
                "share_independent_only",
                "independent only",
                "share of homes",
                Better::Lower,
                "share of homes whose only suitable settings with a place within guidance are independent",
            ),
            Measure::SpecialistChoice => (
                "median_specialist_within_guidance",
                "specialist choice",
                "settings",
                Better::Higher,
                "median over homes of the suitable specialist settings (special schools, SEN units, resourced provision) with a free place within the journey guidance",
            ),
            Measure::SpecialistMinutes => (
                "median_minutes_to_specialist",
                "specialist access",
                "minutes",
                Better::Lower,
                "median over homes of the journey to the nearest suitable special school, SEN unit or resourced provision with a free place, searched to 150 minutes; empty (none within reach) when more than half the homes have none that near",
            ),
            Measure::NoSpecialistWithinGuidance => (
                "share_no_specialist_within_guidance",
                "no specialist place within guidance",
                "share of homes",
                Better::Lower,
                "share of homes with no suitable specialist setting with a free place within the journey guidance",
            ),
            Measure::NoSpecialistWithinCeiling => (
                "share_no_specialist_within_ceiling",
                "no specialist place within the ceiling",
                "share of homes",
                Better::Lower,
                "share of homes with no suitable specialist setting with a free place within the rules' day-journey ceiling (90 minutes in the shipped rules)",
            ),
            Measure::SpecialistIndependentOnly => (
                "share_specialist_independent_only",
                "specialist: independent only",
                "share of homes",
                Better::Lower,
                "share of homes whose only suitable specialist settings with a place within guidance are independent special schools",
            ),
            Measure::BaseOffer => (
                "median_bases_within_guidance",
                "resourced-provision offer",
                "bases",
                Better::Higher,
                "median over homes of the suitable resourced provision bases and SEN units with a free place within the journey guidance",
            ),
        };
        MeasureDefinition {
            key,
            label,
            unit,
            better,
            definition,
        }
    }

    /// The key (CSV column, JSON field).
    pub fn key(self) -> &'static str {
        self.definition().key
    }

    /// Words for the page.
    pub fn label(self) -> &'static str {
        self.definition().label
    }

    /// The value in `cell`; `None` for "none within reach" (journeys) or "no home has one"
    /// (cost).
    pub fn of(self, cell: &AtlasCell) -> Option<f64> {
        match self {
            Measure::Choice => Some(cell.median_suitable_within_guidance),
            Measure::Nearest => cell.median_minutes_to_nearest,
            Measure::NoneWithinGuidance => Some(cell.share_none_within_guidance),
            Measure::Cost => cell.median_annual_cost,
            Measure::IndependentOnly => Some(cell.share_independent_only),
            Measure::SpecialistChoice => Some(cell.median_specialist_within_guidance),
            Measure::SpecialistMinutes => cell.median_minutes_to_specialist,
            Measure::NoSpecialistWithinGuidance => Some(cell.share_no_specialist_within_guidance),
            Measure::NoSpecialistWithinCeiling => Some(cell.share_no_specialist_within_ceiling),
            Measure::SpecialistIndependentOnly => Some(cell.share_specialist_independent_only),
            Measure::BaseOffer => Some(cell.median_bases_within_guidance),
        }
    }

    /// The value as the page and the ranking show it: minutes and pounds whole, shares as
    /// whole percentages, counts to a half. Ranks are taken on this rounded value, so values
    /// shown alike are tied.
    pub fn rounded(self, value: Option<f64>) -> Option<f64> {
        let v = value?;
        Some(match self.definition().unit {
            "share of homes" => (v * 100.0).round() / 100.0,
            "settings" | "bases" => (v * 2.0).round() / 2.0,
            _ => v.round(),
        })
    }

    /// The value for people: `23 min`, `45%`, `12.5`, `£21,000`, or what its absence means.
    pub fn show(self, value: Option<f64>) -> String {
        let Some(v) = self.rounded(value) else {
            return match self {
                Measure::Cost => "–".to_string(),
                _ => "none within reach".to_string(),
            };
        };
        match self.definition().unit {
            "share of homes" => format!("{:.0}%", v * 100.0),
            "minutes" => format!("{v:.0} min"),
            "£ a year" => pounds(v),
            _ if v.fract() == 0.0 => format!("{v:.0}"),
            _ => format!("{v:.1}"),
        }
    }

    /// Orders two values worse first (a missing journey is the worst; a missing cost sorts
    /// last either way).
    pub fn worse_first(self, a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
        let (a, b) = (self.rounded(a), self.rounded(b));
        let worst = match self {
            Measure::Cost => f64::NEG_INFINITY,
            _ => f64::INFINITY,
        };
        let (a, b) = (a.unwrap_or(worst), b.unwrap_or(worst));
        match self.definition().better {
            Better::Lower => b.total_cmp(&a),
            Better::Higher => a.total_cmp(&b),
        }
    }
}

/// `£21,000`.
pub fn pounds(p: f64) -> String {
    let s = format!("{:.0}", p.abs());
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if p < 0.0 {
        format!("-£{out}")
    } else {
        format!("£{out}")
    }
}

/// Competition ranks ("1, 2=, 2=, 4") of `values`, worse first by `measure`: a value's rank is
/// one more than the number of values strictly worse; values shown alike share a rank.
/// Returns, for each input index, its rank and whether it is shared.
pub fn ranks_worse_first(measure: Measure, values: &[Option<f64>]) -> Vec<(usize, bool)> {
    values
        .iter()
        .map(|v| {
            let worse = values
                .iter()
                .filter(|w| measure.worse_first(**w, *v).is_lt())
                .count();
            let same = values
                .iter()
                .filter(|w| measure.worse_first(**w, *v).is_eq())
                .count();
            (worse + 1, same > 1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_archetype_kind_has_a_headline() {
        let keys: std::collections::BTreeSet<&str> = Measure::ALL.iter().map(|m| m.key()).collect();
        assert_eq!(keys.len(), Measure::ALL.len());
        assert_eq!(Measure::headline(true), Measure::SpecialistMinutes);
        assert_eq!(Measure::headline(false), Measure::Choice);
    }

    #[test]
    fn values_shown_alike_share_a_rank_and_none_within_reach_is_worst() {
        let m = Measure::SpecialistMinutes;
        let v = [Some(30.2), None, Some(29.8), Some(12.0), Some(45.0)];
        let r = ranks_worse_first(m, &v);
        // None within reach first, then 45, then 30.2 and 29.8 (both shown as 30), then 12.
        assert_eq!(
            r,
            [(3, true), (1, false), (3, true), (5, false), (2, false)]
        );
        let c = Measure::Choice;
        let r = ranks_worse_first(c, &[Some(3.0), Some(1.0), Some(1.0)]);
        assert_eq!(r, [(3, false), (1, true), (1, true)]);
        assert_eq!(m.show(Some(29.8)), "30 min");
        assert_eq!(Measure::NoneWithinGuidance.show(Some(0.125)), "13%");
        assert_eq!(Measure::Cost.show(Some(21_000.0)), "£21,000");
        assert_eq!(c.show(Some(12.5)), "12.5");
    }
}
