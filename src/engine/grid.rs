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
    pub fn near(&self, home: GridRef, radius_m: f64) -> Vec<u32> {
        let (cx, cy) = Self::cell_of(home, self.cell_m);
        let k = (radius_m / self.cell_m).ceil() as i64;
        let mut out = Vec::new();
        for x in cx - k..=cx + k {
            for (_, v) in self.cells.range((x, cy - k)..=(x, cy + k)) {
                out.extend_from_slice(v);
            }
        }
        out.sort_unstable();
        out
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
