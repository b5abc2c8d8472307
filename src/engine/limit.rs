//! A journey-time limit tested by straight-line distance. [`Travel::minutes`] drives each
//! stretch of road at a positive speed, so the minutes never fall as the straight-line distance
//! grows (rounding keeps that order: every step is a monotone operation), and a limit of `max`
//! minutes is a distance, [`Travel::straight_m_within`]`(max)`. A home clearly nearer than that
//! to a setting has a journey within the limit, one clearly further a longer journey; only a
//! pair within a millionth of the distance, where the inverse's rounding could matter, gets its
//! journey worked out. The answer is exactly `journey minutes > max` for every pair (see the
//! tests), at the cost of a squared distance for almost all of them.
//!
//! A journey-ceiling rule tests every setting a child considers, so this spares the speed bands
//! for a county's few hundred settings per child in each placement round.

use crate::model::GridRef;
use crate::rules::Travel;

/// Relative margin around the limit's distance inside which the journey is worked out. The
/// inverse is exact to a few units in the last place; a millionth is far wider.
const MARGIN: f64 = 1e-6;

/// A limit of `max` minutes on a journey, with the squared straight-line distances below which
/// a journey is surely within it and above which it is surely longer.
#[derive(Clone, Copy, Debug)]
pub struct JourneyLimit {
    max: f64,
    /// Squared metres: nearer is within the limit.
    within_sq: f64,
    /// Squared metres: further exceeds it.
    beyond_sq: f64,
}

impl JourneyLimit {
    /// The limit of `max` minutes under `travel`'s journey model. A limit that is not a positive
    /// finite number of minutes decides every pair by its journey.
    pub fn new(travel: &Travel, max: f64) -> JourneyLimit {
        let (within_sq, beyond_sq) = if max.is_finite() && max > 0.0 {
            let d = travel.straight_m_within(max);
            let (near, far) = (d * (1.0 - MARGIN), d * (1.0 + MARGIN));
            (near * near, far * far)
        } else {
            (f64::NEG_INFINITY, f64::INFINITY)
        };
        JourneyLimit {
            max,
            within_sq,
            beyond_sq,
        }
    }

    /// True when the journey from `home` to `place` takes longer than the limit:
    /// `travel.minutes(home.distance_to(place)) > max`, with the `travel` the limit was made
    /// for. A distance that is not a number falls through to the journey, as it should.
    #[inline]
    pub fn exceeded(&self, travel: &Travel, home: GridRef, place: GridRef) -> bool {
        let dx = home.easting - place.easting;
        let dy = home.northing - place.northing;
        let sq = dx * dx + dy * dy;
        if sq < self.within_sq {
            false
        } else if sq > self.beyond_sq {
            true
        } else {
            travel.minutes(home.distance_to(place)) > self.max
        }
    }
}

#[cfg(test)]
mod tests {
    use super::JourneyLimit;
    use crate::model::GridRef;
    use crate::rng::Rng;
    use crate::rules::{RuleSource, SpeedBand, Travel};

    /// The limit agrees with the journey's minutes on random pairs and on pairs at the limit's
    /// distance and a few units in the last place either side, for the shipped journey model,
    /// a flat speed and odd limits.
    #[test]
    fn agrees_with_the_journey_minutes() {
        let shipped = RuleSource::from_option(None).load().unwrap().travel;
        let banded = Travel {
            speed_bands: vec![
                SpeedBand {
                    up_to_km: Some(3.0),
                    kmh: 13.0,
                },
                SpeedBand {
                    up_to_km: Some(17.5),
                    kmh: 41.0,
                },
                SpeedBand {
                    up_to_km: None,
                    kmh: 77.0,
                },
            ],
            ..Travel::flat(1.3, 30.0, [45.0, 75.0, 75.0])
        };
        let models = [shipped, banded, Travel::flat(1.2, 25.0, [45.0, 75.0, 75.0])];
        let mut rng = Rng::new(11);
        let home = GridRef {
            easting: 350_000.0,
            northing: 300_000.0,
        };
        for travel in &models {
            let limits = [
                0.0,
                -5.0,
                f64::INFINITY,
                f64::NAN,
                0.5,
                20.0,
                45.0,
                75.0,
                90.0,
            ];
            let random: Vec<f64> = (0..40).map(|_| rng.range(0.0, 150.0)).collect();
            for max in limits.into_iter().chain(random) {
                let limit = JourneyLimit::new(travel, max);
                let d = travel.straight_m_within(max);
                let mut distances: Vec<f64> = (0..200).map(|_| rng.range(0.0, 120_000.0)).collect();
                if d.is_finite() {
                    let mut x = d;
                    let mut y = d;
                    for _ in 0..64 {
                        distances.extend([x, y]);
                        x = f64::from_bits(x.to_bits() + 1);
                        y = f64::from_bits(y.to_bits().saturating_sub(1));
                    }
                }
                distances.extend([0.0, 1e-300, d * 0.999_999_5, d * 1.000_000_5]);
                for dist in distances {
                    let place = GridRef {
                        easting: home.easting + dist,
                        northing: home.northing,
                    };
                    let exact = travel.minutes(home.distance_to(place)) > max;
                    assert_eq!(
                        limit.exceeded(travel, home, place),
                        exact,
                        "max {max}, distance {dist}"
                    );
                }
            }
        }
    }
}
