//! The names a compact list needs to be read: setting ids, names and kinds, and hard-rule ids,
//! held once per engine and shared (behind an `Arc`) by every list built from it, so that a list
//! can refer to settings and rules by index.

use crate::model::{Area, SettingKind};
use crate::rules::CompiledRules;

/// Setting and rule names of one engine, by index.
#[derive(Debug, PartialEq)]
pub struct Catalogue {
    /// Setting ids, in the area's setting order.
    pub setting_ids: Vec<String>,
    /// Setting names, in the area's setting order.
    pub setting_names: Vec<String>,
    /// Setting kinds, in the area's setting order (`None` for a list read back from JSON,
    /// which names settings by id only).
    pub setting_kinds: Vec<Option<SettingKind>>,
    /// Hard-rule ids, in the rule set's order.
    pub hard_rule_ids: Vec<String>,
}

impl Catalogue {
    /// The names of `area`'s settings and `rules`' hard rules.
    pub fn new(rules: &CompiledRules, area: &Area) -> Catalogue {
        Catalogue {
            setting_ids: area.settings.iter().map(|s| s.id.0.clone()).collect(),
            setting_names: area.settings.iter().map(|s| s.name.clone()).collect(),
            setting_kinds: area.settings.iter().map(|s| Some(s.kind)).collect(),
            hard_rule_ids: rules.rules.hard.iter().map(|r| r.id.clone()).collect(),
        }
    }
}
