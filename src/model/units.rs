//! Newtypes for identifiers and units.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);
        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

string_id!(
    /// A setting's id: the URN for a school, the URN with a suffix for a resource base or unit.
    SettingId
);
string_id!(
    /// A pseudonymous child id. Never a name.
    ChildId
);
string_id!(
    /// A place pool id, unique within its setting.
    PoolId
);

/// A point on the British National Grid (EPSG:27700), in metres.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GridRef {
    /// Easting, metres.
    pub easting: f64,
    /// Northing, metres.
    pub northing: f64,
}

impl GridRef {
    /// Straight-line distance in metres.
    pub fn distance_to(self, other: GridRef) -> f64 {
        let dx = self.easting - other.easting;
        let dy = self.northing - other.northing;
        (dx * dx + dy * dy).sqrt()
    }
}

/// A national curriculum year: 0 is reception (R), 1–11 school years, 12–14 post-16.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct YearGroup(pub u8);

impl YearGroup {
    /// Latest year group modelled (NCY 14, age 18–19).
    pub const MAX: u8 = 14;
    /// Parses `R`, `0`..`14`.
    pub fn parse(text: &str) -> Option<YearGroup> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("R") {
            return Some(YearGroup(0));
        }
        t.parse::<u8>()
            .ok()
            .filter(|y| *y <= Self::MAX)
            .map(YearGroup)
    }
    /// The phase of education this year group is in.
    pub fn phase(self) -> Phase {
        match self.0 {
            0..=6 => Phase::Primary,
            7..=11 => Phase::Secondary,
            _ => Phase::Post16,
        }
    }
}

impl fmt::Display for YearGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("R")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// Phase of education.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Reception to year 6.
    Primary,
    /// Years 7 to 11.
    Secondary,
    /// Years 12 to 14 (up to age 25 with a plan).
    #[serde(rename = "post-16")]
    Post16,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Phase {
    /// All phases in order.
    pub const ALL: [Phase; 3] = [Phase::Primary, Phase::Secondary, Phase::Post16];
    /// The key used in files.
    pub fn key(self) -> &'static str {
        match self {
            Phase::Primary => "primary",
            Phase::Secondary => "secondary",
            Phase::Post16 => "post-16",
        }
    }
    /// Parses a file key.
    pub fn parse(text: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.key() == text)
    }
}

/// Sex of a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

impl Sex {
    /// Parses `F`/`M`/`female`/`male`.
    pub fn parse(text: &str) -> Option<Sex> {
        match text.trim().to_ascii_lowercase().as_str() {
            "f" | "female" | "girl" => Some(Sex::Female),
            "m" | "male" | "boy" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// Which sexes a setting admits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Admits {
    /// Girls and boys.
    Mixed,
    /// Girls only.
    Girls,
    /// Boys only.
    Boys,
}

impl Admits {
    /// Parses `mixed`/`girls`/`boys` (GIAS: `Mixed`, `Girls`, `Boys`).
    pub fn parse(text: &str) -> Option<Admits> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "mixed" => Some(Admits::Mixed),
            "girls" => Some(Admits::Girls),
            "boys" => Some(Admits::Boys),
            _ => None,
        }
    }
    /// True when a child of sex `sex` may attend.
    pub fn admits(self, sex: Sex) -> bool {
        matches!(
            (self, sex),
            (Admits::Mixed, _) | (Admits::Girls, Sex::Female) | (Admits::Boys, Sex::Male)
        )
    }
    /// The file key.
    pub fn key(self) -> &'static str {
        match self {
            Admits::Mixed => "mixed",
            Admits::Girls => "girls",
            Admits::Boys => "boys",
        }
    }
}

/// A sum of money in whole pounds per year.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Pounds(pub i64);

impl Pounds {
    /// Reads an amount of money, at least 0, in whole pounds (rounded): `2500000`,
    /// `£2,500,000`, `2.5m` (millions) or `75k` (thousands); `None` when it is not one.
    ///
    /// ```
    /// use placewise::model::Pounds;
    /// assert_eq!(Pounds::parse("£2,500,000"), Some(Pounds(2_500_000)));
    /// assert_eq!(Pounds::parse("2.5m"), Some(Pounds(2_500_000)));
    /// assert_eq!(Pounds::parse("75k"), Some(Pounds(75_000)));
    /// assert_eq!(Pounds::parse("-5"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Pounds> {
        let t: String = text.chars().filter(|c| *c != '£' && *c != ',').collect();
        let t = t.trim();
        let (number, scale) = match t.char_indices().last() {
            Some((i, 'm' | 'M')) => (&t[..i], 1_000_000.0),
            Some((i, 'k' | 'K')) => (&t[..i], 1_000.0),
            _ => (t, 1.0),
        };
        number
            .trim()
            .parse::<f64>()
            .ok()
            .map(|x| x * scale)
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(|x| Pounds(x.round() as i64))
    }
}

/// A whole number with thousands separators: `1234567` → `1,234,567`, `-1500` → `-1,500`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl fmt::Display for Pounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = grouped(self.0);
        match g.strip_prefix('-') {
            Some(digits) => write!(f, "-£{digits}"),
            None => write!(f, "£{g}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_pounds_are_grouped_in_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(Pounds(11_374_500).to_string(), "£11,374,500");
        assert_eq!(Pounds(-1_500).to_string(), "-£1,500");
    }

    #[test]
    fn money_reads_pounds_signs_commas_and_suffixes() {
        assert_eq!(Pounds::parse("0"), Some(Pounds(0)));
        assert_eq!(Pounds::parse(" £75,000 "), Some(Pounds(75_000)));
        assert_eq!(Pounds::parse("1234.6"), Some(Pounds(1_235)));
        assert_eq!(Pounds::parse("2.5M"), Some(Pounds(2_500_000)));
        assert_eq!(Pounds::parse("£1.25m"), Some(Pounds(1_250_000)));
        assert_eq!(Pounds::parse("80K"), Some(Pounds(80_000)));
        for bad in ["", "m", "£", "abc", "-1", "2.5x", "NaN", "inf"] {
            assert_eq!(Pounds::parse(bad), None, "{bad}");
        }
    }
}
