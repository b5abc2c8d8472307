//! Specialist Provision Packages in a synthesised area: what each specialist setting can
//! deliver and which package the children asking for a place need, both by the rules'
//! declarative `[[package_offer]]` and `[[package_rule]]`s — the same rules that fill them in
//! when an area's files say nothing — and written down so the area carries them.

use super::Assumption;
use crate::model::{NeedProfile, Setting};
use crate::rules::RuleSet;
use crate::rules::packages::{child_packages, setting_offer};

/// Writes into every pool of a resourced provision or SEN unit the inclusion base the rules
/// map its kind onto (a support base or a specialist base, 2026 Schools White Paper), so that
/// the area's `pools.csv` carries it. Returns what was assumed, counted.
pub fn declare_inclusion_bases(rules: &RuleSet, settings: &mut [Setting]) -> Assumption {
    let mut counts = [0usize; 2];
    for s in settings.iter_mut() {
        let Some(base) = rules.packages.inclusion_base(s.kind) else {
            continue;
        };
        for p in s.pools.iter_mut().filter(|p| p.inclusion_base.is_none()) {
            p.inclusion_base = Some(base);
            counts[base as usize] += 1;
        }
    }
    let mapping: Vec<String> = rules
        .packages
        .inclusion_bases
        .iter()
        .map(|m| format!("{} → {}", m.kind.key(), m.base.key()))
        .collect();
    Assumption {
        topic: "inclusion-bases".into(),
        text: format!(
            "Inclusion bases (Schools White Paper, 23 February 2026) replace resourced provision and SEN units: {} pools declared support bases and {} specialist bases by the shipped mapping ({}); which of today's kinds becomes which is an assumption",
            counts[0],
            counts[1],
            mapping.join(", ")
        ),
        figures: vec![
            ("support_bases".into(), counts[0] as f64),
            ("specialist_bases".into(), counts[1] as f64),
        ],
        source: "rules/england/packages.toml [[inclusion_base]] (assumption)".into(),
    }
}

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
