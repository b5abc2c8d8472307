//! Checks of argument values where clap parses them: a bad value stops the command with exit
//! code 2 and a message naming the argument (clap adds the name), before anything is loaded.

use crate::model::Pounds;
use crate::{ListOptions, OptionError, PlanOptions, limits};

fn number(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{s}` is not a finite number"))
    }
}

/// A finite number for which `in_range` holds; another is out of range, `expected` saying
/// what is accepted.
fn number_in(s: &str, in_range: impl Fn(f64) -> bool, expected: &str) -> Result<f64, String> {
    let v = number(s)?;
    if in_range(v) {
        Ok(v)
    } else {
        Err(format!("{v} is out of range; expected {expected}"))
    }
}

/// The library's check of a value, its message as clap shows it (clap names the argument).
fn checked<T>(result: Result<T, OptionError>) -> Result<T, String> {
    result.map_err(|e| e.message)
}

/// A journey time in minutes: more than 0, at most [`limits::MAX_REACH_MINUTES`].
pub fn reach_minutes(s: &str) -> Result<f64, String> {
    checked(limits::reach_minutes(number(s)?))
}

/// A share from 0 to 1.
pub fn share(s: &str) -> Result<f64, String> {
    checked(limits::share("share", number(s)?))
}

/// An amount of money in pounds, at least 0 (e.g. `2500000`, `£2,500,000`, `2.5m`).
pub fn budget(s: &str) -> Result<i64, String> {
    let v = crate::model::Pounds::parse(s).map(|p| p.0).ok_or_else(|| {
        format!("cannot read `{s}`; expected an amount in pounds, e.g. 2500000, £2,500,000 or 2.5m")
    })?;
    if v < 10_000_000_000_000 {
        Ok(v)
    } else {
        Err(format!(
            "`{s}` is out of range; expected pounds under £10 trillion"
        ))
    }
}

/// A positive time limit in seconds, at most a day.
pub fn seconds(s: &str) -> Result<f64, String> {
    number_in(
        s,
        |v| v > 0.0 && v <= 86_400.0,
        "seconds, more than 0 and at most 86400",
    )
}

/// `--mode`: one of [`crate::Mode::NAMES`], listed in the help as clap lists choices.
pub fn modes() -> impl clap::builder::TypedValueParser<Value = crate::Mode> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(crate::Mode::NAMES)
        .try_map(|s| s.parse::<crate::Mode>())
}

/// `--regime`: `cfa2014` (today's law, the default) or `spp` (the package model as
/// consulted), listed in the help as clap lists choices.
pub fn regimes() -> impl clap::builder::TypedValueParser<Value = crate::Regime> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = crate::Regime::ALL.iter().map(|r| r.key()).collect();
    clap::builder::PossibleValuesParser::new(names).try_map(|s| s.parse::<crate::Regime>())
}

/// A whole number.
fn whole<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a whole number"))
}

/// A count of list entries: at least 1.
pub fn top(s: &str) -> Result<usize, String> {
    checked(ListOptions::new(whole(s)?)).map(|o| o.top())
}

/// Years a plan projects: [`limits::PLAN_YEARS`].
pub fn plan_years(s: &str) -> Result<u32, String> {
    let years = whole(s)?;
    checked(PlanOptions::checked(years, 1, 0, Default::default())).map(|_| years)
}

/// Draws per scenario: [`limits::PLAN_DRAWS`].
pub fn plan_draws(s: &str) -> Result<u32, String> {
    let draws = whole(s)?;
    checked(PlanOptions::checked(1, draws, 0, Default::default())).map(|_| draws)
}

/// `--growth`: annual growth of plans, [`limits::GROWTH_RATE`].
pub fn growth_rate(s: &str) -> Result<f64, String> {
    checked(limits::growth_rate(number(s)?))
}

/// `--pupil-growth`: annual growth of pupils without plans, [`limits::PUPIL_GROWTH`].
pub fn pupil_growth(s: &str) -> Result<f64, String> {
    checked(limits::pupil_growth(number(s)?))
}

/// `--fallback-fee`: pounds a year, [`limits::FALLBACK_FEE`] (`£`, commas and `75k` allowed).
pub fn fallback_fee(s: &str) -> Result<i64, String> {
    let v = Pounds::parse(s)
        .map(|p| p.0)
        .ok_or_else(|| format!("expected pounds a year, e.g. 75000 or £75,000; found {s}"))?;
    checked(limits::fallback_fee(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_outside_their_range_are_refused() {
        for bad in ["NaN", "inf", "-5", "0", "1e9", "x"] {
            assert!(reach_minutes(bad).is_err(), "{bad}");
        }
        assert_eq!(reach_minutes("45"), Ok(45.0));
        for bad in ["1.5", "-0.1", "NaN"] {
            assert!(share(bad).is_err(), "{bad}");
        }
        assert_eq!(share("0.4"), Ok(0.4));
        assert!(budget("-3").is_err() && budget("lots").is_err());
        assert_eq!(budget("£2,500,000"), Ok(2_500_000));
        assert!(budget("1e300").is_err());
        assert!(top("0").is_err() && top("-1").is_err());
        assert_eq!(top("3"), Ok(3));
        assert!(seconds("0").is_err() && seconds("NaN").is_err());
    }
}
