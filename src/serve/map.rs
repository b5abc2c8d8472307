//! A map of a child's home and the listed settings, drawn as SVG from the British National Grid
//! coordinates: north up, equal scale on both axes, a scale bar, no tiles.

use crate::model::GridRef;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
const MARGIN: f64 = 40.0;

/// A point to draw: its label (e.g. a rank), its title and where it is.
pub struct MapPoint {
    pub label: String,
    pub title: String,
    pub at: GridRef,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Where each label's circle goes (in the points' order, so the best ranks keep their own
/// spot): on its point when that is clear of the home marker and of the labels already placed,
/// otherwise on the nearest clear spot of rings around it, inside the map.
fn label_places(spots: &[(f64, f64)], home: (f64, f64)) -> Vec<(f64, f64)> {
    const GAP: f64 = 24.0; // two circles of radius 11 and a little air
    let clear = |placed: &[(f64, f64)], (x, y): (f64, f64)| {
        (x - home.0).hypot(y - home.1) >= GAP
            && placed.iter().all(|&(px, py)| (x - px).hypot(y - py) >= GAP)
    };
    let inside = |(x, y): (f64, f64)| {
        (12.0..=WIDTH - 12.0).contains(&x) && (12.0..=HEIGHT - 12.0).contains(&y)
    };
    let mut placed: Vec<(f64, f64)> = Vec::with_capacity(spots.len());
    for &spot in spots {
        let mut at = spot;
        if !clear(&placed, spot) {
            'rings: for ring in 1..=12 {
                let r = GAP * f64::from(ring);
                let steps = 8 * ring;
                for k in 0..steps {
                    // From straight up, clockwise.
                    let a = std::f64::consts::TAU * f64::from(k) / f64::from(steps);
                    let c = (spot.0 + r * a.sin(), spot.1 - r * a.cos());
                    if inside(c) && clear(&placed, c) {
                        at = c;
                        break 'rings;
                    }
                }
            }
        }
        placed.push(at);
    }
    placed
}

/// The SVG of `home` and `points`, with a scale bar of a round number of kilometres.
pub fn map_svg(home: GridRef, points: &[MapPoint]) -> String {
    let mut min = (home.easting, home.northing);
    let mut max = min;
    for p in points {
        min = (min.0.min(p.at.easting), min.1.min(p.at.northing));
        max = (max.0.max(p.at.easting), max.1.max(p.at.northing));
    }
    // At least 2 km across so that one school next door is not drawn at arm's length.
    let span = (max.0 - min.0)
        .max((max.1 - min.1) * (WIDTH - 2.0 * MARGIN) / (HEIGHT - 2.0 * MARGIN))
        .max(2000.0);
    let scale = (WIDTH - 2.0 * MARGIN) / span; // pixels per metre
    let centre = ((min.0 + max.0) / 2.0, (min.1 + max.1) / 2.0);
    let xy = |g: GridRef| {
        (
            WIDTH / 2.0 + (g.easting - centre.0) * scale,
            HEIGHT / 2.0 - (g.northing - centre.1) * scale,
        )
    };
    let bar_km = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .rev()
        .find(|km| km * 1000.0 * scale <= WIDTH / 4.0)
        .unwrap_or(0.5);
    let bar_px = bar_km * 1000.0 * scale;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg"><title id="map-title">Map of the home and the listed settings</title><desc id="map-desc">The home is the black square; each circle is a listed setting, numbered by rank. North is up. Straight lines, not routes.</desc><rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" class="map__bg"/>"#
    );
    let (hx, hy) = xy(home);
    let spots: Vec<(f64, f64)> = points.iter().map(|p| xy(p.at)).collect();
    let labels = label_places(&spots, (hx, hy));
    for &(x, y) in &spots {
        let _ = write!(
            s,
            r#"<line x1="{hx:.1}" y1="{hy:.1}" x2="{x:.1}" y2="{y:.1}" class="map__line"/>"#
        );
    }
    for (p, (&(x, y), &(lx, ly))) in points.iter().zip(spots.iter().zip(&labels)) {
        let _ = write!(
            s,
            r#"<g class="map__setting"><title>{}</title>"#,
            esc(&p.title)
        );
        if (lx, ly) != (x, y) {
            // Moved off a crowded spot: a leader from the setting's place to its label.
            let _ = write!(
                s,
                r#"<line x1="{x:.1}" y1="{y:.1}" x2="{lx:.1}" y2="{ly:.1}" class="map__leader"/><circle cx="{x:.1}" cy="{y:.1}" r="3" class="map__spot"/>"#
            );
        }
        let _ = write!(
            s,
            r#"<circle cx="{lx:.1}" cy="{ly:.1}" r="11"/><text x="{lx:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"#,
            ly + 4.0,
            esc(&p.label)
        );
    }
    let _ = write!(
        s,
        r#"<g class="map__home"><title>Home</title><rect x="{:.1}" y="{:.1}" width="14" height="14"/></g>"#,
        hx - 7.0,
        hy - 7.0
    );
    let (bx, by) = (MARGIN / 2.0, HEIGHT - MARGIN / 2.0);
    let _ = write!(
        s,
        r#"<g class="map__scale"><line x1="{bx}" y1="{by}" x2="{:.1}" y2="{by}"/><line x1="{bx}" y1="{:.1}" x2="{bx}" y2="{by}"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{by}"/><text x="{bx}" y="{:.1}">{bar_km} km</text></g>"#,
        bx + bar_px,
        by - 6.0,
        bx + bar_px,
        by - 6.0,
        bx + bar_px,
        by - 10.0
    );
    let _ = write!(
        s,
        r#"<g class="map__north"><text x="{:.1}" y="28" text-anchor="middle">N ↑</text></g></svg>"#,
        WIDTH - 24.0
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_bar_is_at_most_a_quarter_of_the_width_and_round() {
        let home = GridRef {
            easting: 400_000.0,
            northing: 300_000.0,
        };
        let far = MapPoint {
            label: "1".into(),
            title: "A & B <school>".into(),
            at: GridRef {
                easting: 420_000.0,
                northing: 300_000.0,
            },
        };
        let svg = map_svg(home, &[far]);
        // 20 km over 560 px: 28 px/km; 5 km = 140 px ≤ 160 px.
        assert!(svg.contains(">5 km<"), "{svg}");
        assert!(svg.contains("A &amp; B &lt;school&gt;"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn labels_on_one_spot_and_on_the_home_do_not_hide_each_other() {
        let home = (320.0, 210.0);
        let spots = [
            (320.0, 210.0),
            (400.0, 100.0),
            (400.0, 100.0),
            (402.0, 101.0),
        ];
        let placed = label_places(&spots, home);
        for (i, a) in placed.iter().enumerate() {
            assert!(
                (a.0 - home.0).hypot(a.1 - home.1) >= 24.0,
                "{i} on the home"
            );
            for b in &placed[..i] {
                assert!((a.0 - b.0).hypot(a.1 - b.1) >= 24.0, "{i} overlaps");
            }
        }
        // A clear spot keeps its own place.
        assert_eq!(placed[1], (400.0, 100.0));
    }
}
