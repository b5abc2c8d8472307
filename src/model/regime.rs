//! The legal regime a list is made under. `cfa2014` is today's law (Children and Families Act
//! 2014: s.39 preference, s.33 mainstream presumption). `spp` is the package model as consulted
//! on in 2026 ("SEND reform: putting children and young people first"): the authority gives
//! parents a list of the settings able to deliver the child's Specialist Provision Package; a
//! setting that cannot is excluded with the components it lacks, and a setting the parents name
//! must be able to deliver it. The s.33 presumption of mainstream stays in both.
//!
//! ```
//! use placewise::Regime;
//! assert_eq!("spp".parse::<Regime>().unwrap(), Regime::Spp);
//! assert_eq!(Regime::default().to_string(), "cfa2014");
//! assert_eq!(
//!     "s39".parse::<Regime>().unwrap_err().to_string(),
//!     "regime: unknown regime `s39`; expected cfa2014 (today's law) or spp (the package model as consulted)"
//! );
//! ```

use serde::{Deserialize, Serialize};

/// The legal regime of a list, an explanation or a placement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// Today's law: Children and Families Act 2014 s.39 (preference) and s.33 (mainstream).
    #[default]
    Cfa2014,
    /// Specialist Provision Packages, as consulted on in 2026 (not statute).
    Spp,
}

impl Regime {
    /// Both regimes, today's first.
    pub const ALL: [Regime; 2] = [Regime::Cfa2014, Regime::Spp];

    /// The name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Regime::Cfa2014 => "cfa2014",
            Regime::Spp => "spp",
        }
    }
}

impl std::fmt::Display for Regime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// A regime name that is neither `cfa2014` nor `spp`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "regime: unknown regime `{0}`; expected cfa2014 (today's law) or spp (the package model as consulted)"
)]
pub struct UnknownRegime(pub String);

impl std::str::FromStr for Regime {
    type Err = UnknownRegime;
    fn from_str(s: &str) -> Result<Regime, UnknownRegime> {
        Regime::ALL
            .into_iter()
            .find(|r| r.key().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownRegime(s.to_string()))
    }
}
