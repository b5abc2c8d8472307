//! What the regime changes on a list: under `spp` the settings that cannot deliver the child's
//! Specialist Provision Package, with the components they lack (see [`Regime`]).

use crate::engine::Engine;
pub use crate::model::Regime;
use crate::model::SettingKind;
use crate::rules::packages::{
    ChildPackages, PackageBasis, SettingOffer, Shortfall, child_packages, setting_offer, shortfall,
};
use serde::{Deserialize, Serialize};

/// A setting that passes every suitability rule but cannot deliver the child's package: kept
/// on the list's record with what it lacks (never hidden).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CannotDeliver {
    /// The setting's id.
    pub setting: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: SettingKind,
    /// Position in the parents' preferences, if they named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preference: Option<usize>,
    /// Whether its offer is declared or assumed.
    pub offer: PackageBasis,
    /// Each of the child's packages it cannot deliver, with the components missing.
    pub shortfalls: Vec<Shortfall>,
}

impl CannotDeliver {
    /// What the setting lacks, in words: each package with its missing components, as
    /// `package: a; b / other: c`.
    pub(crate) fn lacks(&self) -> String {
        self.shortfalls
            .iter()
            .map(|f| format!("{}: {}", f.package, f.missing.join("; ")))
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// Whether a setting the parents named can deliver the child's package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreferenceDelivery {
    /// The setting's id.
    pub setting: String,
    /// Position in the parents' preferences.
    pub preference: usize,
    /// True when it can deliver every one of the child's packages.
    pub can_deliver: bool,
    /// What it lacks, when it cannot (empty when it fails a suitability rule first: see the
    /// list's exclusions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The package side of a list made under the `spp` regime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackageList {
    /// The child's packages, where they come from, and the rules that derived them.
    #[serde(flatten)]
    pub need: ChildPackages,
    /// Suitable settings that cannot deliver the package, in the area's setting order.
    pub cannot_deliver: Vec<CannotDeliver>,
    /// Each setting the parents named, checked for "can deliver".
    pub preferences: Vec<PreferenceDelivery>,
    /// What the packages are (indicative, as consulted on) and, for a child with none, what
    /// the list is instead.
    pub note: String,
}

/// What setting `s` offers under the rules.
pub fn offer_of(engine: &Engine<'_>, s: usize) -> SettingOffer {
    setting_offer(&engine.rules.rules, &engine.area.settings[s])
}

/// The shortfalls of setting `s` (offering `offer`) for the packages of `need`: empty when it
/// can deliver all of them.
pub fn shortfalls(
    engine: &Engine<'_>,
    s: usize,
    offer: &SettingOffer,
    need: &ChildPackages,
) -> Vec<Shortfall> {
    let setting = &engine.area.settings[s];
    need.packages
        .iter()
        .filter_map(|p| shortfall(&engine.rules.rules, setting, offer, p))
        .collect()
}

/// The packages child `c` needs under the rules.
pub fn packages_of(engine: &Engine<'_>, c: usize) -> ChildPackages {
    child_packages(&engine.rules.rules, &engine.area.children[c])
}

/// The note of a package list.
pub(super) fn note(engine: &Engine<'_>, need: &ChildPackages) -> String {
    let pk = &engine.rules.rules.packages;
    if pk.packages.is_empty() {
        return "the rules define no Specialist Provision Packages: the list is of the settings suitable under the rules".into();
    }
    let status = if pk.status.is_empty() {
        "indicative"
    } else {
        pk.status.as_str()
    };
    if need.packages.is_empty() {
        format!(
            "no Specialist Provision Package: the child is below the specialist tier, and the list is of the settings suitable under the rules; packages are {status} ({})",
            pk.text
        )
    } else {
        let basis = match need.basis {
            PackageBasis::Declared => "named in the need profile",
            _ => "derived from the need profile by the rules",
        };
        format!(
            "the package is {basis}; packages are {status} ({}); the list is the settings able to deliver it",
            pk.text
        )
    }
}
