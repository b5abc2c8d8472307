//! Coarse home locations from postcodes: the centroid of a postcode sector (`AB1 2`), else of
//! its district (`AB1`), computed from the postcodes and grid references of the schools in the
//! school file. A child's full postcode is never kept.

use crate::model::GridRef;
use std::collections::BTreeMap;

/// Sector and district centroids.
#[derive(Clone, Debug, Default)]
pub struct Geography {
    sectors: BTreeMap<String, (f64, f64, u32)>,
    districts: BTreeMap<String, (f64, f64, u32)>,
}

/// How precisely a home was located.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HomeSource {
    /// The centroid of the postcode's sector.
    Sector,
    /// The centroid of the postcode's district (no school in the sector).
    District,
    /// Kept from the area the settings came from (same child id), the postcode giving none.
    Kept,
    /// The current setting's location, the postcode giving none.
    Setting,
}

/// The district (outward code) and sector of a postcode, upper case; `None` when it does not
/// look like a UK postcode.
pub fn split_postcode(postcode: &str) -> Option<(String, String)> {
    let compact: String = postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let digit = inward.chars().next()?;
    if !digit.is_ascii_digit() || !outward.chars().next()?.is_ascii_alphabetic() {
        return None;
    }
    Some((outward.to_string(), format!("{outward} {digit}")))
}

impl Geography {
    /// Adds one located postcode.
    pub fn add(&mut self, postcode: &str, at: GridRef) {
        let Some((district, sector)) = split_postcode(postcode) else {
            return;
        };
        for (map, key) in [(&mut self.sectors, sector), (&mut self.districts, district)] {
            let e = map.entry(key).or_insert((0.0, 0.0, 0));
            e.0 += at.easting;
            e.1 += at.northing;
            e.2 += 1;
        }
    }

    /// The sector centroid of `postcode`, else its district's, rounded to the metre.
    pub fn locate(&self, postcode: &str) -> Option<(GridRef, HomeSource)> {
        let (district, sector) = split_postcode(postcode)?;
        let mean = |(e, n, k): (f64, f64, u32)| GridRef {
            easting: (e / f64::from(k)).round(),
            northing: (n / f64::from(k)).round(),
        };
        if let Some(v) = self.sectors.get(&sector) {
            return Some((mean(*v), HomeSource::Sector));
        }
        self.districts
            .get(&district)
            .map(|v| (mean(*v), HomeSource::District))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sen2_postcodes_locate_by_sector_then_district() {
        let mut g = Geography::default();
        g.add(
            "ZX1 2AB",
            GridRef {
                easting: 100.0,
                northing: 200.0,
            },
        );
        g.add(
            "zx1 2cd",
            GridRef {
                easting: 300.0,
                northing: 400.0,
            },
        );
        g.add(
            "ZX1 7AB",
            GridRef {
                easting: 1000.0,
                northing: 1000.0,
            },
        );
        let (p, s) = g.locate("ZX12EF").unwrap();
        assert_eq!(
            (p.easting, p.northing, s),
            (200.0, 300.0, HomeSource::Sector)
        );
        let (_, s) = g.locate("ZX1 9QQ").unwrap();
        assert_eq!(s, HomeSource::District);
        assert!(g.locate("QQ9 9QQ").is_none());
        assert!(split_postcode("not a postcode").is_none());
    }
}
