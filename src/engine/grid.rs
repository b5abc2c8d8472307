//! A grid index of settings by location, to find the settings within reach of a home without
//! scanning every setting (national-scale areas have tens of thousands).

use crate::model::GridRef;
use std::collections::BTreeMap;

/// Settings bucketed into square cells of the British National Grid.
#[derive(Clone, Debug, Default)]
pub struct SettingGrid {
    cell_m: f64,
    cells: BTreeMap<(i64, i64), Vec<u32>>,
}

impl SettingGrid {
    /// Indexes `locations` (setting order) into cells of `cell_m` metres.
    pub fn new(locations: impl IntoIterator<Item = GridRef>, cell_m: f64) -> SettingGrid {
        let mut cells: BTreeMap<(i64, i64), Vec<u32>> = BTreeMap::new();
        for (i, p) in locations.into_iter().enumerate() {
            cells
                .entry(Self::cell_of(p, cell_m))
                .or_default()
                .push(i as u32);
        }
        SettingGrid { cell_m, cells }
    }

    fn cell_of(p: GridRef, cell_m: f64) -> (i64, i64) {
        (
            (p.easting / cell_m).floor() as i64,
            (p.northing / cell_m).floor() as i64,
        )
    }

    /// Indices of settings in cells that may lie within `radius_m` of `home`, in ascending
    /// order (a superset: callers test the exact distance).
    #[cfg(test)]
    pub fn near(&self, home: GridRef, radius_m: f64) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each_near(home, radius_m, |s| out.push(s));
        out.sort_unstable();
        out
    }

    /// Calls `f` with each setting in a cell that meets the circle of `radius_m` around `home`
    /// (a superset of the settings within it), in no particular order. In each column of cells
    /// only the rows the circle reaches are visited.
    pub fn for_each_near(&self, home: GridRef, radius_m: f64, mut f: impl FnMut(u32)) {
        let cell = self.cell_m;
        let (x_lo, x_hi) = (
            ((home.easting - radius_m) / cell).floor() as i64,
            ((home.easting + radius_m) / cell).floor() as i64,
        );
        for x in x_lo..=x_hi {
            let (left, right) = (x as f64 * cell, (x + 1) as f64 * cell);
            let dx = (left - home.easting).max(home.easting - right).max(0.0);
            if dx > radius_m {
                continue;
            }
            // The circle's half-height over this column, a little generous for rounding.
            let h = (radius_m * radius_m - dx * dx).sqrt() * (1.0 + 1e-9) + 1e-6;
            let y_lo = ((home.northing - h) / cell).floor() as i64;
            let y_hi = ((home.northing + h) / cell).floor() as i64;
            for (_, v) in self.cells.range((x, y_lo)..=(x, y_hi)) {
                v.iter().copied().for_each(&mut f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_finds_everything_within_the_radius() {
        let pts: Vec<GridRef> = (0..400)
            .map(|i| GridRef {
                easting: (i % 20) as f64 * 7_000.0,
                northing: (i / 20) as f64 * 7_000.0,
            })
            .collect();
        let grid = SettingGrid::new(pts.iter().copied(), 10_000.0);
        let home = GridRef {
            easting: 50_000.0,
            northing: 61_000.0,
        };
        for r in [0.0, 5_000.0, 23_000.0, 80_000.0] {
            let near = grid.near(home, r);
            for (i, p) in pts.iter().enumerate() {
                if p.distance_to(home) <= r {
                    assert!(
                        near.binary_search(&(i as u32)).is_ok(),
                        "{i} within {r} m missing"
                    );
                }
            }
            assert!(near.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
