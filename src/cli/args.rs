//! Checks of argument values where clap parses them: a bad value stops the command with exit
//! code 2 and a message naming the argument (clap adds the name), before anything is loaded.

/// Longest journey time accepted by `--reach-minutes`: half a day. Guidance is 45 and 75 min.
const MAX_REACH_MINUTES: f64 = 720.0;

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

/// A journey time in minutes: more than 0, at most 720.
pub fn reach_minutes(s: &str) -> Result<f64, String> {
    number_in(
        s,
        |v| v > 0.0 && v <= MAX_REACH_MINUTES,
        &format!("minutes of journey, more than 0 and at most {MAX_REACH_MINUTES}"),
    )
}

/// A share from 0 to 1.
pub fn share(s: &str) -> Result<f64, String> {
    number_in(
        s,
        |v| (0.0..=1.0).contains(&v),
        "a share from 0 to 1, e.g. 0.4",
    )
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

/// A count of list entries: at least 1.
pub fn top(s: &str) -> Result<usize, String> {
    let v: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a whole number"))?;
    if v >= 1 {
        Ok(v)
    } else {
        Err("0 lists nothing; expected at least 1".to_string())
    }
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
