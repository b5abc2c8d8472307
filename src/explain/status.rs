//! The closed sets of values a list reports: a place pool's status and how a parental
//! preference was handled. Serialised as the same words the JSON and CSV forms have always
//! used (`places-free`, `not-s39`, …).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The state of the place pool that would serve a child at a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PlaceStatus {
    /// At least one place free.
    #[serde(rename = "places-free")]
    PlacesFree,
    /// Every place taken.
    #[serde(rename = "full")]
    Full,
    /// No pool serves the child's year group.
    #[serde(rename = "no-pool")]
    NoPool,
    /// After the area-wide placement: the child would get a place here.
    #[serde(rename = "placed-here")]
    PlacedHere,
}

impl PlaceStatus {
    /// All values.
    pub const ALL: [PlaceStatus; 4] = [
        PlaceStatus::PlacesFree,
        PlaceStatus::Full,
        PlaceStatus::NoPool,
        PlaceStatus::PlacedHere,
    ];

    /// The word used in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            PlaceStatus::PlacesFree => "places-free",
            PlaceStatus::Full => "full",
            PlaceStatus::NoPool => "no-pool",
            PlaceStatus::PlacedHere => "placed-here",
        }
    }
}

/// How one parental preference was handled under s.39.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PreferenceDecision {
    /// Suitable, with a place, at a reasonable cost: named and listed first.
    #[serde(rename = "named")]
    Named,
    /// A statutory exception applies (the ground says which).
    #[serde(rename = "exception")]
    Exception,
    /// Not a setting s.39 covers (an independent school not approved under s.41).
    #[serde(rename = "not-s39")]
    NotS39,
    /// An earlier preference was named.
    #[serde(rename = "not-reached")]
    NotReached,
}

impl PreferenceDecision {
    /// All values.
    pub const ALL: [PreferenceDecision; 4] = [
        PreferenceDecision::Named,
        PreferenceDecision::Exception,
        PreferenceDecision::NotS39,
        PreferenceDecision::NotReached,
    ];

    /// The word used in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            PreferenceDecision::Named => "named",
            PreferenceDecision::Exception => "exception",
            PreferenceDecision::NotS39 => "not-s39",
            PreferenceDecision::NotReached => "not-reached",
        }
    }
}

/// `Display` for the enums here: the word of their `key`.
macro_rules! display_as_key {
    ($($status:ty),+) => {$(
        impl fmt::Display for $status {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    )+};
}

display_as_key!(PlaceStatus, PreferenceDecision);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SettingKind;

    #[test]
    fn serialised_words_are_the_keys_and_read_back() {
        for v in PlaceStatus::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.key()));
            assert_eq!(serde_json::from_str::<PlaceStatus>(&json).unwrap(), v);
        }
        for v in PreferenceDecision::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.key()));
            assert_eq!(
                serde_json::from_str::<PreferenceDecision>(&json).unwrap(),
                v
            );
        }
        // Lists serialise setting kinds with serde: the same words as the area files.
        for k in SettingKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.key()));
            assert_eq!(serde_json::from_str::<SettingKind>(&json).unwrap(), k);
        }
        assert!(serde_json::from_str::<PlaceStatus>("\"free\"").is_err());
    }
}
