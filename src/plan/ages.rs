//! The age structure of demand: a one-year stock-and-flow (cohort-component) step by single
//! year of age, and its hold-out test against the published January by age.
//!
//! From January `Y` to January `Y+1` every plan ages a year; plans cease at each age at the
//! authority's rate; new plans arrive at each age. With `S` plans in January, `C` ceased and
//! `N` new plans in calendar year `Y`:
//!
//! `S[Y+1](a+1) = S[Y](a) − C[Y](a) + N[Y](a+1)`
//!
//! (ages in January and during the year differ by up to a year, so the identity is approximate;
//! DfE's own figures for England satisfy it within about 3% at ages 5–16). Known at the origin
//! `Y` (the release that publishes January `Y` also publishes calendar year `Y−1`'s flows):
//! - **ceased rates by age**: plans ceased at each age in `Y−1` over the plans of that age in
//!   January `Y−1`, estimated as January `Y`'s by age scaled to January `Y−1`'s total (the
//!   release gives ages only for the latest Januaries); each authority's rate is shrunk
//!   towards England's with the weight of [`CEASED_PRIOR_PLANS`] plans;
//! - **new plans by age**: the demand model's new plans for calendar year `Y` (its flow
//!   account's first year), shared by age as the authority's new plans were in `Y−1`, shrunk
//!   towards England's age shares with the weight of [`NEW_PRIOR_PLANS`] plans.
//!
//! Children under 3 in January are one bucket: the new plans made at 2 and under are the next
//! January's under-3s, and the under-3s of January `Y` (less those ceasing) are next January's
//! 3-year-olds — an upper bound, as some are under 2. The oldest bucket (20 and over) keeps its
//! plans less those ceasing.

use crate::io::ages::{AGE_BUCKETS, AgeFlows, ByAge, FIRST_AGE};

/// Weight of England's ceased rate at each age, in plans.
pub const CEASED_PRIOR_PLANS: f64 = 100.0;

/// Weight of England's age shares of new plans, in plans.
pub const NEW_PRIOR_PLANS: f64 = 50.0;

/// The age bands of the hold-out, in years of age in January: label, first and last age.
pub const AGE_BANDS: [(&str, u32, u32); 5] = [
    ("age-0-4", 0, 4),
    ("age-5-10", 5, 10),
    ("age-11-15", 11, 15),
    ("age-16-19", 16, 19),
    ("age-20-25", 20, 25),
];

/// The band of a bucket (by the bucket's age; the under-3s are in the first band).
fn band_of(bucket: usize) -> usize {
    let age = if bucket == 0 {
        0
    } else {
        FIRST_AGE + bucket as u32 - 1
    };
    AGE_BANDS
        .iter()
        .position(|(_, lo, hi)| (*lo..=*hi).contains(&age))
        .unwrap_or(AGE_BANDS.len() - 1)
}

/// Sums buckets into [`AGE_BANDS`].
pub fn bands(by_age: &[f64; AGE_BUCKETS]) -> [f64; AGE_BANDS.len()] {
    let mut out = [0.0; AGE_BANDS.len()];
    for (b, v) in by_age.iter().enumerate() {
        out[band_of(b)] += v;
    }
    out
}

/// Why a step cannot be taken for an authority.
#[derive(Clone, Debug, PartialEq)]
pub struct NoAges(pub String);

/// The one-year step of `la` from January `origin`: January `origin + 1`'s plans by age.
/// `origin_total_before`: the authority's total plans in January `origin − 1`; `england_before`
/// England's; `new_plans`: the forecast new plans of calendar year `origin`.
pub fn step(
    ages: &AgeFlows,
    la: &str,
    origin: i32,
    totals_before: (f64, f64),
    new_plans: f64,
) -> Result<[f64; AGE_BUCKETS], NoAges> {
    let need = |table: &ByAge, who: &str, year: i32, what: &str| {
        AgeFlows::get(table, who, year)
            .copied()
            .ok_or_else(|| NoAges(format!("no published {what} by age for {who} in {year}")))
    };
    let stock = need(&ages.stock, la, origin, "plans in January")?;
    let e_stock = need(&ages.stock, "England", origin, "plans in January")?;
    let ceased = need(&ages.ceased, la, origin - 1, "ceased plans")?;
    let e_ceased = need(&ages.ceased, "England", origin - 1, "ceased plans")?;
    let new = need(&ages.new_plans, la, origin - 1, "new plans")?;
    let e_new = need(&ages.new_plans, "England", origin - 1, "new plans")?;
    let (before, e_before) = totals_before;
    let scale = |s: &[f64; AGE_BUCKETS], total_before: f64| {
        let t: f64 = s.iter().sum();
        if t > 0.0 { total_before / t } else { 0.0 }
    };
    let (k, ke) = (scale(&stock, before), scale(&e_stock, e_before));
    let e_new_total: f64 = e_new.iter().sum();
    let new_total: f64 = new.iter().sum();
    if e_new_total <= 0.0 {
        return Err(NoAges("England's new plans by age are all zero".into()));
    }
    let mut rate = [0.0; AGE_BUCKETS];
    let mut share = [0.0; AGE_BUCKETS];
    for b in 0..AGE_BUCKETS {
        let e_rate = if e_stock[b] > 0.0 {
            (e_ceased[b] / (e_stock[b] * ke)).min(1.0)
        } else {
            0.0
        };
        rate[b] = ((ceased[b] + CEASED_PRIOR_PLANS * e_rate) / (stock[b] * k + CEASED_PRIOR_PLANS))
            .clamp(0.0, 1.0);
        share[b] =
            (new[b] + NEW_PRIOR_PLANS * e_new[b] / e_new_total) / (new_total + NEW_PRIOR_PLANS);
    }
    let mut next = [0.0; AGE_BUCKETS];
    for b in 0..AGE_BUCKETS {
        // The oldest bucket keeps its own; every other ages into the next bucket.
        next[(b + 1).min(AGE_BUCKETS - 1)] += stock[b] * (1.0 - rate[b]);
        next[b] += new_plans.max(0.0) * share[b];
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: f64) -> [f64; AGE_BUCKETS] {
        [v; AGE_BUCKETS]
    }

    fn flows() -> AgeFlows {
        let mut a = AgeFlows::default();
        for who in ["England", "A"] {
            a.stock
                .entry(who.into())
                .or_default()
                .insert(2024, flat(100.0));
            a.ceased
                .entry(who.into())
                .or_default()
                .insert(2023, flat(10.0));
            a.new_plans
                .entry(who.into())
                .or_default()
                .insert(2023, flat(5.0));
        }
        a
    }

    #[test]
    fn plans_age_cease_and_arrive() {
        let a = flows();
        let total = 100.0 * AGE_BUCKETS as f64;
        // No growth last year: the rate is 10 of 100 at every age.
        let next = step(&a, "A", 2024, (total, total), 190.0).unwrap();
        // Age 7 next January: 100 aged 6, 90 of them stay, plus 10 new plans at 7.
        assert!((next[5] - 100.0).abs() < 1e-9, "{next:?}");
        // The under-3s hold only new plans; the oldest keep their own plus the 19-year-olds.
        assert!((next[0] - 10.0).abs() < 1e-9);
        assert!((next[AGE_BUCKETS - 1] - (180.0 + 10.0)).abs() < 1e-9);
        // Plans are conserved: in − ceased + new.
        let sum: f64 = next.iter().sum();
        assert!((sum - (total * 0.9 + 190.0)).abs() < 1e-6);
        assert!(step(&a, "B", 2024, (total, total), 10.0).is_err());
    }

    #[test]
    fn bands_partition_the_buckets() {
        let b = bands(&flat(1.0));
        // 0–4: under 3, 3, 4; 5–10: six; 11–15: five; 16–19: four; 20+: one.
        assert_eq!(b, [3.0, 6.0, 5.0, 4.0, 1.0]);
    }
}
