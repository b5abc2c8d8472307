//! Specialist Provision Packages (the 2026 reform as consulted on): the indicative packages of
//! `packages.toml`, which package a child's need profile points to, what a setting is able to
//! deliver, and — when it cannot — the components it is missing. Pure functions of the typed
//! rules and the model: the lists under the `spp` regime, the rule tests and the synthesiser all
//! ask the same questions here.
//!
//! ```
//! use placewise::testing::rules::{RuleSet, packages::{child_packages, PackageBasis}};
//! let rules = RuleSet::england();
//! let area = placewise::testing::io::load_area("fixtures/demo".as_ref(), "rules/england".as_ref()).unwrap().area;
//! let child = area.children.iter().find(|c| c.primary_need.to_string() == "PMLD").unwrap();
//! let need = child_packages(&rules, child);
//! assert_eq!(need.basis, PackageBasis::Derived);
//! // The sensory curriculum first (packages in file order), then any access packages the
//! // child's other needs point to.
//! assert_eq!(need.packages[0], "spp-1a");
//! assert!(need.rules.contains(&"P-PMLD".to_string()));
//! ```

use super::compile::{child_holds, setting_holds};
use super::schema::{ChildCondition, KindSet, Origin, RuleSet, SettingCondition};
use crate::model::{NeedProfile, Setting};
use serde::{Deserialize, Serialize};

/// The packages of a rule set, with the rules that say which a child needs and which a setting
/// offers. Empty when no rule file defines packages.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PackageRules {
    /// Their status, e.g. `indicative`.
    pub status: String,
    /// What they are, in a sentence.
    pub text: String,
    /// Where they come from (publications).
    pub sources: Vec<String>,
    /// The groups of packages.
    pub groups: Vec<PackageGroup>,
    /// The packages, in file order.
    pub packages: Vec<Package>,
    /// Lists of packages of which a child has at most one.
    pub combinations: Vec<Combination>,
    /// Which package a need profile points to.
    pub derive: Vec<DeriveRule>,
    /// What a setting that declares nothing is assumed able to deliver.
    pub offers: Vec<OfferRule>,
    /// Which inclusion base each of today's kinds of base becomes.
    pub inclusion_bases: Vec<BaseMapping>,
}

/// The two kinds of inclusion base (defined with the model, where a pool carries one).
pub use crate::model::InclusionBase;

/// Today's kind of base `kind` is the inclusion base `base`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BaseMapping {
    pub kind: crate::model::SettingKind,
    pub base: InclusionBase,
    pub text: String,
}

/// A group of packages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PackageGroup {
    pub id: String,
    pub text: String,
}

/// What part of provision a component is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// How far the content of the curriculum is adapted.
    Curriculum,
    /// Adults per pupil.
    StaffRatio,
    /// A kind of specialist staff.
    SpecialistStaff,
    /// A therapy, with sessions a week.
    Therapy,
    /// Environment and accessibility (a setting feature).
    Environment,
    /// Health and care (a setting feature).
    HealthCare,
}

impl Aspect {
    /// The name used in rule files and outputs, e.g. `staff-ratio`.
    pub fn key(self) -> &'static str {
        match self {
            Aspect::Curriculum => "curriculum",
            Aspect::StaffRatio => "staff-ratio",
            Aspect::SpecialistStaff => "specialist-staff",
            Aspect::Therapy => "therapy",
            Aspect::Environment => "environment",
            Aspect::HealthCare => "health-care",
        }
    }
}

/// One component of a package: e.g. therapy `physiotherapy` twice a week.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Component {
    pub aspect: Aspect,
    /// What: a curriculum, a staff role, a therapy, a feature id; for a staff ratio, as written
    /// (`1:2`).
    pub id: String,
    /// How much: sessions a week for a therapy, adults per pupil for a staff ratio.
    pub amount: Option<f64>,
}

impl Component {
    /// The component in words, e.g. `therapy: physiotherapy 2 a week`.
    pub fn describe(&self) -> String {
        match (self.aspect, self.amount) {
            (Aspect::Therapy, Some(n)) => format!("therapy: {} {n} a week", self.id),
            (Aspect::StaffRatio, _) => format!("staff ratio {} (adults:pupils)", self.id),
            (a, _) => format!("{}: {}", a.key(), self.id),
        }
    }

    /// True when `other` (something a setting has) covers this component: the same thing, at
    /// least as much of it.
    pub fn covered_by(&self, other: &Component) -> bool {
        match self.aspect {
            Aspect::StaffRatio => {
                other.aspect == Aspect::StaffRatio
                    && other.amount.unwrap_or(0.0) >= self.amount.unwrap_or(0.0)
            }
            _ => {
                other.aspect == self.aspect
                    && other.id == self.id
                    && other.amount.unwrap_or(0.0) >= self.amount.unwrap_or(0.0)
            }
        }
    }
}

/// An indicative Specialist Provision Package.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Package {
    pub id: String,
    pub group: String,
    pub text: String,
    /// The publication it rests on.
    pub source: String,
    /// What is assumed because it is not published.
    pub assumption: String,
    /// Its components, curriculum first.
    pub components: Vec<Component>,
    /// The kinds of setting allowed to deliver it.
    pub settings: KindSet,
    /// A funding band of the rules' band table.
    pub funding_band: String,
    pub origin: Origin,
}

/// At most one of `packages` for a child (the first given is kept).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Combination {
    pub id: String,
    pub text: String,
    pub at_most_one: Vec<String>,
    pub origin: Origin,
}

/// When the child condition holds, the profile points to `package`; a `fallback` rule only when
/// no other rule gave a package.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeriveRule {
    pub id: String,
    pub text: String,
    pub package: String,
    pub fallback: bool,
    pub when: ChildCondition,
    pub origin: Origin,
}

/// A setting that declares nothing, when the condition holds, is assumed able to deliver
/// `packages`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OfferRule {
    pub id: String,
    pub text: String,
    pub packages: Vec<String>,
    pub setting: SettingCondition,
    pub origin: Origin,
}

impl PackageRules {
    /// The package `id`.
    pub fn package(&self, id: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.id == id)
    }
    /// The inclusion base a setting of kind `kind` is under the reform, if any.
    pub fn inclusion_base(&self, kind: crate::model::SettingKind) -> Option<InclusionBase> {
        self.inclusion_bases
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| m.base)
    }
    /// The inclusion base a pool of `setting` is: as the area declares it, else as the rules
    /// map the setting's kind.
    pub fn pool_base(
        &self,
        setting: &crate::model::Setting,
        pool: &crate::model::PlacePool,
    ) -> Option<InclusionBase> {
        pool.inclusion_base
            .or_else(|| self.inclusion_base(setting.kind))
    }
    /// The ids of the packages, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.packages.iter().map(|p| p.id.as_str()).collect()
    }
}

/// Where a child's packages or a setting's offer come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageBasis {
    /// Written in the area's files (the need profile, or the setting's row).
    Declared,
    /// Derived from the need profile by the rules' `[[package_rule]]`s.
    Derived,
    /// Assumed from the setting's type, designation and features by `[[package_offer]]`s.
    Assumed,
}

impl PackageBasis {
    /// The word a reader sees (`declared`, `derived`, `assumed`), as the JSON spells it.
    pub fn name(self) -> &'static str {
        match self {
            PackageBasis::Declared => "declared",
            PackageBasis::Derived => "derived",
            PackageBasis::Assumed => "assumed",
        }
    }
}

/// The packages a child needs, and where they come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildPackages {
    /// Package ids (none for a child below the specialist tier).
    pub packages: Vec<String>,
    /// Named in the profile (`declared`) or `derived` by the rules.
    pub basis: PackageBasis,
    /// The rules that gave them, when derived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// The packages child `child` needs: those its profile names, else those the rules derive
/// (every rule that holds, then fallbacks if none did, then the combinations), in package order.
pub fn child_packages(rules: &RuleSet, child: &NeedProfile) -> ChildPackages {
    let pk = &rules.packages;
    if !child.packages.is_empty() {
        return ChildPackages {
            packages: in_package_order(pk, child.packages.iter().map(String::as_str)),
            basis: PackageBasis::Declared,
            rules: Vec::new(),
        };
    }
    let holds = |fallback: bool| -> Vec<&DeriveRule> {
        pk.derive
            .iter()
            .filter(|r| r.fallback == fallback && child_holds(rules, &r.when, child))
            .collect()
    };
    let mut gave = holds(false);
    if gave.is_empty() {
        gave = holds(true);
    }
    // Combinations: of each list, the package of the first rule that gave one is kept.
    let mut kept: Vec<&DeriveRule> = Vec::new();
    for r in gave {
        let clash = pk.combinations.iter().any(|c| {
            c.at_most_one.contains(&r.package)
                && kept
                    .iter()
                    .any(|k| k.package != r.package && c.at_most_one.contains(&k.package))
        });
        if !clash {
            kept.push(r);
        }
    }
    let mut ids: Vec<String> = Vec::new();
    let mut by: Vec<String> = Vec::new();
    for r in kept {
        if !ids.contains(&r.package) {
            ids.push(r.package.clone());
        }
        by.push(r.id.clone());
    }
    ChildPackages {
        packages: in_package_order(pk, ids.iter().map(String::as_str)),
        basis: PackageBasis::Derived,
        rules: by,
    }
}

fn in_package_order<'a>(pk: &PackageRules, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let ids: Vec<&str> = ids.collect();
    let mut known: Vec<String> = pk
        .packages
        .iter()
        .filter(|p| ids.contains(&p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    // Ids the rules do not know (checked when the area is read) keep their place at the end.
    for id in ids {
        if !known.iter().any(|k| k == id) {
            known.push(id.to_string());
        }
    }
    known
}

/// What a setting is able to deliver, and where that comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingOffer {
    /// Package ids offered.
    pub packages: Vec<String>,
    /// Written in the setting's row (`declared`) or `assumed` by the rules.
    pub basis: PackageBasis,
    /// The rules that assumed them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// The packages setting `setting` offers: those its row declares, else those the
/// `[[package_offer]]` rules assume from its type, designation and features.
pub fn setting_offer(rules: &RuleSet, setting: &Setting) -> SettingOffer {
    let pk = &rules.packages;
    if let Some(declared) = &setting.packages {
        return SettingOffer {
            packages: in_package_order(pk, declared.iter().map(String::as_str)),
            basis: PackageBasis::Declared,
            rules: Vec::new(),
        };
    }
    let mut ids: Vec<&str> = Vec::new();
    let mut by = Vec::new();
    for r in pk
        .offers
        .iter()
        .filter(|r| setting_holds(&r.setting, setting))
    {
        ids.extend(r.packages.iter().map(String::as_str));
        by.push(r.id.clone());
    }
    SettingOffer {
        packages: in_package_order(pk, ids.into_iter()),
        basis: PackageBasis::Assumed,
        rules: by,
    }
}

/// Why a setting cannot deliver a package: its kind is not allowed, or components are missing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    /// The package.
    pub package: String,
    /// True when the setting's kind is not among the package's allowed kinds.
    #[serde(default, skip_serializing_if = "crate::lists::is_false")]
    pub kind_not_allowed: bool,
    /// The components it does not cover, in words.
    pub missing: Vec<String>,
}

/// Whether `setting`, offering `offer`, can deliver package `package`: `None` when it can,
/// otherwise what it lacks. An unknown package is lacked whole.
pub fn shortfall(
    rules: &RuleSet,
    setting: &Setting,
    offer: &SettingOffer,
    package: &str,
) -> Option<Shortfall> {
    let pk = &rules.packages;
    let Some(p) = pk.package(package) else {
        return Some(Shortfall {
            package: package.to_string(),
            kind_not_allowed: false,
            missing: vec![format!("package `{package}` is not in the rules")],
        });
    };
    let kind_not_allowed = !p.settings.contains(setting.kind);
    let missing: Vec<String> = if offer.packages.iter().any(|o| o == package) {
        Vec::new()
    } else {
        let has: Vec<&Component> = offer
            .packages
            .iter()
            .filter_map(|o| pk.package(o))
            .flat_map(|o| &o.components)
            .collect();
        p.components
            .iter()
            .filter(|c| {
                let feature = matches!(c.aspect, Aspect::Environment | Aspect::HealthCare)
                    && setting.features.contains(&c.id);
                !feature && !has.iter().any(|h| c.covered_by(h))
            })
            .map(Component::describe)
            .collect()
    };
    if !kind_not_allowed && missing.is_empty() {
        // Covered component by component, or offered whole.
        return None;
    }
    let mut missing = missing;
    if kind_not_allowed {
        let allowed: Vec<&str> = p.settings.iter().map(|k| k.key()).collect();
        missing.insert(
            0,
            format!(
                "a setting of kind {} (allowed: {})",
                setting.kind.key(),
                allowed.join(", ")
            ),
        );
    }
    Some(Shortfall {
        package: package.to_string(),
        kind_not_allowed,
        missing,
    })
}
