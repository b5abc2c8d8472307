//! The ranges every front end accepts for the options of lists, placements and plans, and the
//! checks that go with them. The command line, the web API (and its OpenAPI description) and
//! Python take their limits from here and show the same message for the same mistake: the
//! front ends only translate.
//!
//! ```
//! use placewise::{ListOptions, PlanOptions, limits};
//! assert_eq!(ListOptions::new(5).unwrap().top(), 5);
//! assert_eq!(ListOptions::new(0).unwrap_err().to_string(), "top: 0 lists nothing; expected at least 1");
//! let err = PlanOptions::checked(0, 100, 1, Default::default()).unwrap_err();
//! assert_eq!(err.to_string(), "years: expected 1 to 30, found 0");
//! assert!(limits::growth_rate(1.5).is_err());
//! ```

use crate::lists::ListOptions;
use crate::plan::{Growth, PlanOptions};
use std::ops::RangeInclusive;

/// Most settings the web API lists for one child or profile (a bound on one request's work).
pub const MAX_TOP_WEB: usize = 500;
/// Longest child or setting id the web API accepts, in characters (a bound on what a request
/// can make the server compare, log or quote back).
pub const MAX_ID_CHARS: usize = 64;
/// Settings the web API lists when a request does not say.
pub const DEFAULT_TOP_WEB: usize = 10;
/// Longest journey time accepted as a reach, minutes: half a day (guidance is 45 and 75).
pub const MAX_REACH_MINUTES: f64 = 720.0;
/// Years a plan projects after its base year.
pub const PLAN_YEARS: RangeInclusive<u32> = 1..=30;
/// Monte Carlo draws per scenario.
pub const PLAN_DRAWS: RangeInclusive<u32> = 1..=100_000;
/// Annual growth rate of plans given by hand (0.08 = 8%).
pub const GROWTH_RATE: RangeInclusive<f64> = 0.0..=1.0;
/// Annual growth of pupils without plans on school rolls.
pub const PUPIL_GROWTH: RangeInclusive<f64> = -0.1..=0.1;
/// Annual cost of a fallback placement, pounds.
pub const FALLBACK_FEE: RangeInclusive<i64> = 1..=1_000_000;

/// An option outside what it accepts: which option, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{option}: {message}")]
pub struct OptionError {
    /// The option, as the library names it (`top`, `years`, `draws`, ...).
    pub option: &'static str,
    /// What is wrong and what was expected.
    pub message: String,
}

impl OptionError {
    pub(crate) fn new(option: &'static str, message: impl Into<String>) -> OptionError {
        OptionError {
            option,
            message: message.into(),
        }
    }
}

impl ListOptions {
    /// Lists of `top` settings (the parents' preferences are always listed besides); at
    /// least 1.
    pub fn new(top: usize) -> Result<ListOptions, OptionError> {
        if top == 0 {
            return Err(OptionError::new(
                "top",
                "0 lists nothing; expected at least 1",
            ));
        }
        Ok(ListOptions { top })
    }

    /// How many suitable settings a list ranks in full.
    pub fn top(&self) -> usize {
        self.top
    }
}

impl PlanOptions {
    /// The options of a plan `years` years long (see [`PLAN_YEARS`]) with `draws` draws per
    /// scenario (see [`PLAN_DRAWS`]), checked; otherwise as [`PlanOptions::new`].
    pub fn checked(
        years: u32,
        draws: u32,
        seed: u64,
        growth: Growth,
    ) -> Result<PlanOptions, OptionError> {
        in_range("years", years, &PLAN_YEARS)?;
        in_range("draws", draws, &PLAN_DRAWS)?;
        Ok(PlanOptions::new(years, draws, seed, growth))
    }
}

fn in_range<T: PartialOrd + std::fmt::Display>(
    option: &'static str,
    value: T,
    range: &RangeInclusive<T>,
) -> Result<T, OptionError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(OptionError::new(
            option,
            format!(
                "expected {} to {}, found {value}",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// A finite number within `range`; `what` says what it is.
fn number_in(
    option: &'static str,
    value: f64,
    range: &RangeInclusive<f64>,
    what: &str,
) -> Result<f64, OptionError> {
    if value.is_finite() && range.contains(&value) {
        Ok(value)
    } else {
        Err(OptionError::new(
            option,
            format!(
                "expected {what} from {} to {}, found {value}",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// An annual growth rate of plans given by hand, within [`GROWTH_RATE`].
pub fn growth_rate(value: f64) -> Result<f64, OptionError> {
    number_in(
        "growth",
        value,
        &GROWTH_RATE,
        "an annual growth rate (0.08 = 8%)",
    )
}

/// An annual growth of pupils without plans, within [`PUPIL_GROWTH`].
pub fn pupil_growth(value: f64) -> Result<f64, OptionError> {
    number_in(
        "pupil_growth",
        value,
        &PUPIL_GROWTH,
        "an annual growth of pupil numbers (0.01 = 1%)",
    )
}

/// A journey time in minutes: more than 0, at most [`MAX_REACH_MINUTES`].
pub fn reach_minutes(value: f64) -> Result<f64, OptionError> {
    if value.is_finite() && value > 0.0 && value <= MAX_REACH_MINUTES {
        Ok(value)
    } else {
        Err(OptionError::new(
            "reach_minutes",
            format!(
                "{value} is out of range; expected minutes of journey, more than 0 and at most {MAX_REACH_MINUTES}"
            ),
        ))
    }
}

/// A share from 0 to 1 (e.g. the least share of placed children in mainstream settings).
pub fn share(option: &'static str, value: f64) -> Result<f64, OptionError> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(OptionError::new(
            option,
            format!("{value} is out of range; expected a share from 0 to 1, e.g. 0.4"),
        ))
    }
}

/// An id of at most [`MAX_ID_CHARS`] characters, without control characters; `option` names
/// where it came from (e.g. `path.id`).
///
/// ```
/// use placewise::limits;
/// assert!(limits::id("path.id", "C000002").is_ok());
/// let err = limits::id("path.id", &"x".repeat(65)).unwrap_err();
/// assert_eq!(err.to_string(), "path.id: 65 characters; expected an id of at most 64 characters");
/// ```
pub fn id<'a>(option: &'static str, value: &'a str) -> Result<&'a str, OptionError> {
    let chars = value.chars().count();
    if chars > MAX_ID_CHARS {
        return Err(OptionError::new(
            option,
            format!("{chars} characters; expected an id of at most {MAX_ID_CHARS} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(OptionError::new(
            option,
            "a control character (such as a line break); expected an id without any",
        ));
    }
    Ok(value)
}

/// A budget in pounds: 0 or more.
pub fn budget(value: i64) -> Result<i64, OptionError> {
    if value >= 0 {
        Ok(value)
    } else {
        Err(OptionError::new(
            "budget",
            format!("{value} is out of range; expected an amount in pounds, 0 or more"),
        ))
    }
}

/// The annual cost of a fallback placement, within [`FALLBACK_FEE`].
pub fn fallback_fee(value: i64) -> Result<i64, OptionError> {
    if FALLBACK_FEE.contains(&value) {
        Ok(value)
    } else {
        Err(OptionError::new(
            "fallback_fee",
            format!("expected pounds a year from 1 to 1,000,000, found {value}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_refuses_what_is_outside_it() {
        assert!(ListOptions::new(0).is_err() && ListOptions::new(1).is_ok());
        assert!(PlanOptions::checked(31, 1, 1, Growth::default()).is_err());
        assert!(PlanOptions::checked(1, 0, 1, Growth::default()).is_err());
        assert!(PlanOptions::checked(30, 100_000, 1, Growth::default()).is_ok());
        for bad in [f64::NAN, f64::INFINITY, -0.01, 1.01] {
            assert!(growth_rate(bad).is_err(), "{bad}");
            assert!(share("min_mainstream_share", bad).is_err(), "{bad}");
        }
        assert!(pupil_growth(0.2).is_err() && pupil_growth(-0.1).is_ok());
        assert!(reach_minutes(0.0).is_err() && reach_minutes(720.0).is_ok());
        assert!(reach_minutes(720.5).is_err());
        assert!(budget(-1).is_err() && budget(0).is_ok());
        assert!(fallback_fee(0).is_err() && fallback_fee(1_000_000).is_ok());
        assert_eq!(
            fallback_fee(2_000_000).unwrap_err().to_string(),
            "fallback_fee: expected pounds a year from 1 to 1,000,000, found 2000000"
        );
    }
}
