//! National price bands for independent special schools (the 2026 Schools White Paper's
//! proposal, indicative until the bands are published): `price_bands.toml` maps each funding
//! band (the child's total intensity; a package names the same bands) to a national annual price.
//! The plan's `price-bands` scenario costs a placement in a priced kind of setting (and, when
//! the table says so, a fallback placement) at its band's price instead of today's fee; the rule
//! tests check a child and a setting against it (`expect_price`).
//!
//! ```
//! use placewise::testing::rules::RuleSet;
//! use placewise::model::SettingKind;
//! let rules = RuleSet::england();
//! // Total intensity 7 is funding band C.
//! let price = rules.price_bands.price(&rules, 7, SettingKind::SpecialIndependent);
//! assert_eq!(price.map(|p| p.0), Some(60_000));
//! // A state special school is not priced by the national bands.
//! assert_eq!(rules.price_bands.price(&rules, 7, SettingKind::SpecialMaintained), None);
//! ```

use super::schema::{KindSet, Origin, RuleSet};
use crate::model::{Pounds, SettingKind};
use serde::Serialize;

/// The price bands of a rule set. Empty when no rule file defines them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PriceBands {
    /// Their status, e.g. `indicative`.
    pub status: String,
    /// What they are, in a sentence.
    pub text: String,
    /// Where they come from (publications).
    pub sources: Vec<String>,
    /// The kinds of setting whose placements the bands price.
    pub settings: KindSet,
    /// True when a fallback placement (a child the rules cannot place, counted in an
    /// independent or out-of-area special school) is priced by band too.
    pub fallback: bool,
    /// The bands, in file order.
    pub bands: Vec<PriceBand>,
}

/// One national price: the funding band it prices and the annual price.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceBand {
    /// The price band's id, e.g. `IPB-C`.
    pub id: String,
    /// The funding band (of `funding.toml`) it prices.
    pub funding_band: String,
    /// What it is, in a sentence.
    pub text: String,
    /// The annual price.
    pub pounds: Pounds,
    /// Where it is defined.
    pub origin: Origin,
}

impl PriceBands {
    /// True when no price band is defined.
    pub fn is_empty(&self) -> bool {
        self.bands.is_empty()
    }

    /// The price of funding band `band`, if a price band names it.
    pub fn for_funding_band(&self, band: &str) -> Option<&PriceBand> {
        self.bands.iter().find(|b| b.funding_band == band)
    }

    /// The national price of a child of total intensity `total` in a setting of kind `kind`:
    /// `None` when the bands do not price that kind, or no band prices the child's funding band.
    pub fn price(&self, rules: &RuleSet, total: u8, kind: SettingKind) -> Option<Pounds> {
        if !self.settings.contains(kind) {
            return None;
        }
        self.band_price(rules, total)
    }

    /// The national price of a fallback placement of a child of total intensity `total`
    /// (whatever the kind of setting), when the bands price fallback placements.
    pub fn fallback_price(&self, rules: &RuleSet, total: u8) -> Option<Pounds> {
        if !self.fallback {
            return None;
        }
        self.band_price(rules, total)
    }

    fn band_price(&self, rules: &RuleSet, total: u8) -> Option<Pounds> {
        let band = rules.band_for(total)?;
        self.for_funding_band(&band.id).map(|b| b.pounds)
    }

    /// The bands in words, e.g. `A £45,000, B £52,000`.
    pub fn describe(&self) -> String {
        self.bands
            .iter()
            .map(|b| format!("{} £{}", b.funding_band, crate::model::grouped(b.pounds.0)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
