//! Small geometry helpers on the British National Grid.

use crate::model::GridRef;
use std::collections::HashMap;

/// Points on a coarse grid, for "is any point within reach of this one" tests.
pub struct Proximity {
    cell: f64,
    reach: f64,
    cells: HashMap<(i64, i64), Vec<GridRef>>,
}

impl Proximity {
    /// Indexes `points` for tests at distance `reach` (metres).
    pub fn new(points: &[GridRef], reach: f64) -> Self {
        let cell = reach.max(1000.0);
        let mut cells: HashMap<(i64, i64), Vec<GridRef>> = HashMap::new();
        for p in points {
            cells.entry(Self::key(*p, cell)).or_default().push(*p);
        }
        Proximity { cell, reach, cells }
    }

    fn key(p: GridRef, cell: f64) -> (i64, i64) {
        (
            (p.easting / cell).floor() as i64,
            (p.northing / cell).floor() as i64,
        )
    }

    /// True when some indexed point is within reach of `p`.
    pub fn within(&self, p: GridRef) -> bool {
        let (cx, cy) = Self::key(p, self.cell);
        (-1..=1).any(|dx| {
            (-1..=1).any(|dy| {
                self.cells
                    .get(&(cx + dx, cy + dy))
                    .is_some_and(|v| v.iter().any(|q| q.distance_to(p) <= self.reach))
            })
        })
    }
}

/// A point `distance` metres from `from` at `angle` radians, kept on the grid.
pub fn offset(from: GridRef, distance: f64, angle: f64) -> GridRef {
    GridRef {
        easting: (from.easting + distance * angle.cos())
            .clamp(0.0, 700_000.0)
            .round(),
        northing: (from.northing + distance * angle.sin())
            .clamp(0.0, 1_300_000.0)
            .round(),
    }
}

/// The points of one authority without its outliers: those more than twice the
/// 90th-percentile distance (and at least 20 km) from the coordinate-wise median point (a few
/// schools are recorded under an authority far from it, e.g. independent schools counted in the
/// census of the authority that funds their pupils).
pub fn core_points(points: &[GridRef]) -> Vec<GridRef> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let centre = GridRef {
        easting: median(points.iter().map(|p| p.easting).collect()),
        northing: median(points.iter().map(|p| p.northing).collect()),
    };
    let mut d: Vec<f64> = points.iter().map(|p| p.distance_to(centre)).collect();
    d.sort_by(f64::total_cmp);
    let p90 = d[(d.len() * 9 / 10).min(d.len() - 1)];
    let limit = (2.0 * p90).max(20_000.0);
    points
        .iter()
        .copied()
        .filter(|p| p.distance_to(centre) <= limit)
        .collect()
}
