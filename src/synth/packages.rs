//! Specialist Provision Packages in a synthesised area: what each specialist setting can
//! deliver and which package the children asking for a place need, both by the rules'
//! declarative `[[package_offer]]` and `[[package_rule]]`s — the same rules that fill them in
//! when an area's files say nothing — and written down so the area carries them.

use super::Assumption;
use crate::model::{NeedProfile, Setting};
use crate::rules::RuleSet;
use crate::rules::packages::{child_packages, setting_offer};

/// Writes the offer the rules assume into every setting that is not a mainstream school (the
/// mainstream schools are left to the rules when the area is read, and so are shown as
/// assumed), and the derived package into every child with a plan who asks for a place.
/// Returns what was assumed, counted.
pub fn declare_packages(
    rules: &RuleSet,
    settings: &mut [Setting],
    children: &mut [NeedProfile],
) -> Assumption {
    let mut offering = 0;
    for s in settings.iter_mut() {
        if s.kind != crate::model::SettingKind::Mainstream && s.packages.is_none() {
            s.packages = Some(setting_offer(rules, s).packages);
            offering += 1;
        }
    }
    let mut named = 0;
    for c in children.iter_mut() {
        if c.needs_place && c.packages.is_empty() {
            c.packages = child_packages(rules, c).packages;
            named += usize::from(!c.packages.is_empty());
        }
    }
    Assumption {
        topic: "packages".into(),
        text: format!(
            "Specialist Provision Packages are indicative (Schools White Paper and SEND reform consultation, 23 February 2026): the {offering} settings other than mainstream schools declare the packages the shipped offer rules assume from their type, designation and features; mainstream schools declare none (the same rules assume their offer when the area is read); the {named} children with a plan who ask for a place name the package the shipped package rules derive from their needs and intensities"
        ),
        figures: vec![
            ("settings_declaring".into(), offering as f64),
            ("children_naming".into(), named as f64),
        ],
        source:
            "rules/england/packages.toml (assumptions: thresholds and offers are not published)"
                .into(),
    }
}
