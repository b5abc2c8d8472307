//! What an area and its rules hold, counted: the summary `placewise check` prints and the
//! Python binding's `check()` returns.

use crate::model::Area;
use crate::rules::RuleSet;
use serde::Serialize;

/// The counts that say an area and its rules were read whole.
///
/// ```
/// let session = placewise::Session::open("fixtures/demo".as_ref()).unwrap();
/// let summary = session.summary();
/// assert_eq!(summary.children, session.area().children.len());
/// assert!(summary.places > 0 && summary.hard_rules > 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaSummary {
    /// The area's name (from `area.toml`).
    pub area: String,
    /// Settings in the area.
    pub settings: usize,
    /// Place pools across every setting.
    pub place_pools: usize,
    /// Places across every pool (their capacities added up).
    pub places: u64,
    /// Children in the area.
    pub children: usize,
    /// Hard (eligibility) rules.
    pub hard_rules: usize,
    /// Score rules.
    pub score_rules: usize,
    /// Funding bands.
    pub funding_bands: usize,
}

impl AreaSummary {
    /// Counts `area` and `rules`; `name` is the area's name.
    pub(crate) fn new(name: &str, area: &Area, rules: &RuleSet) -> AreaSummary {
        let pools = area.settings.iter().flat_map(|s| &s.pools);
        AreaSummary {
            area: name.to_string(),
            settings: area.settings.len(),
            place_pools: pools.clone().count(),
            places: pools.map(|p| u64::from(p.capacity)).sum(),
            children: area.children.len(),
            hard_rules: rules.hard.len(),
            score_rules: rules.scores.len(),
            funding_bands: rules.funding.bands.len(),
        }
    }

    /// The summary as a JSON object (keys in alphabetical order) with `"ok": true` and the
    /// `extra` members added, for a caller that reports more alongside the counts.
    pub fn to_json(&self, extra: &[(&str, serde_json::Value)]) -> serde_json::Value {
        let mut doc = serde_json::Map::new();
        doc.insert("ok".into(), true.into());
        for (k, v) in extra {
            doc.insert(k.to_string(), v.clone());
        }
        if let Ok(serde_json::Value::Object(counts)) = serde_json::to_value(self) {
            doc.extend(counts);
        }
        serde_json::Value::Object(doc)
    }
}
