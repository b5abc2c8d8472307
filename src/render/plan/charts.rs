//! The report's SVG charts, drawn with plotters: scenarios over time (with percentile
//! bands), the mix of plans by type of setting, and the shortfall by need.

use super::axes::*;
use super::page::*;
use super::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Median line and 10th–90th percentile band over the years, one per scenario.
/// With `zoom`, the vertical axis starts near the smallest value rather than at zero (the
/// returned flag says whether it did).
pub(super) fn time_chart(
    page: &Page<'_>,
    name: &str,
    scale: f64,
    zoom: bool,
    y_desc: &str,
    label: &str,
) -> (String, bool) {
    let series = time_series(page, name);
    if series.is_empty() {
        return (no_data(label), false);
    }
    let money = scale != 1.0;
    let (y_range, y_ticks, decimals) = value_ticks(&series, scale, zoom);
    let x_axis = year_axis(&page.years);
    let mut items: Vec<(Swatch, String)> = series
        .iter()
        .map(|(i, _)| (Swatch::Line(*i), truncate(&page.r.scenarios[*i].name, 40)))
        .collect();
    items.push((Swatch::Band, "10th–90th percentile".into()));
    let zoomed = y_range.start > 0.0;
    let svg = render_with_legend(400, label, &items, |plot_area| {
        let y_fmt = |v: &f64| tick_label(*v, decimals, money);
        let x_fmt = |v: &f64| academic(v.round() as i32);
        let mut chart = value_chart(
            plot_area,
            x_axis,
            "Academic year (starting in September)",
            &x_fmt,
            Axis::new(y_range, y_ticks),
            y_desc,
            &y_fmt,
        )?;
        // Fainter bands when many overlap.
        let band_alpha = (0.45 / series.len() as f64).clamp(0.07, 0.16);
        for (i, points) in &series {
            let c = scenario_colour(*i);
            let mut band: Vec<(f64, f64)> =
                points.iter().map(|(x, q)| (*x, q.p90 * scale)).collect();
            band.extend(points.iter().rev().map(|(x, q)| (*x, q.p10 * scale)));
            if points.len() > 1 {
                chart.draw_series(std::iter::once(Polygon::new(
                    band,
                    c.mix(band_alpha).filled(),
                )))?;
                for edge in [
                    points
                        .iter()
                        .map(|(x, q)| (*x, q.p10 * scale))
                        .collect::<Vec<_>>(),
                    points.iter().map(|(x, q)| (*x, q.p90 * scale)).collect(),
                ] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        edge,
                        c.mix(0.45).stroke_width(1),
                    )))?;
                }
            } else {
                let (x, q) = points[0];
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, q.p10 * scale), (x, q.p90 * scale)],
                    c.stroke_width(2),
                )))?;
            }
        }
        // Lines last to first, so the baseline is drawn on top of any scenario that matches it.
        for (i, points) in series.iter().rev() {
            let c = scenario_colour(*i);
            chart.draw_series(LineSeries::new(
                points.iter().map(|(x, q)| (*x, q.p50 * scale)),
                c.stroke_width(3),
            ))?;
            for (x, q) in points {
                draw_marker(chart.plotting_area(), (*x, q.p50 * scale), *i)?;
            }
        }
        Ok(())
    });
    (svg, zoomed)
}

/// Metric `name` of each scenario (by index) over the page's years, for the scenarios that
/// have it in any year.
fn time_series(page: &Page<'_>, name: &str) -> Vec<(usize, Vec<(f64, Quantiles)>)> {
    page.r
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                page.years
                    .iter()
                    .filter_map(|&y| metric(s, y, name).map(|q| (f64::from(y), q)))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, points)| !points.is_empty())
        .collect()
}

/// The vertical axis of a time chart (range, ticks, decimals) over every band and median of
/// `series` scaled by `scale`: from zero, or with `zoom` from near the smallest value when
/// that is well above zero. A `scale` other than 1 means money.
fn value_ticks(
    series: &[(usize, Vec<(f64, Quantiles)>)],
    scale: f64,
    zoom: bool,
) -> (std::ops::Range<f64>, Vec<f64>, usize) {
    let money = scale != 1.0;
    let max = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, q)| q.p90.max(q.p50) * scale))
        .fold(0.0, f64::max);
    let min = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, q)| q.p10.min(q.p50) * scale))
        .fold(f64::INFINITY, f64::min);
    ticks(
        if zoom && min > 0.4 * max {
            min - 0.05 * (max - min)
        } else {
            0.0
        },
        if money {
            max * 1.04
        } else {
            (max * 1.04).max(5.0)
        },
        if money { 0.0 } else { 1.0 },
    )
}

/// The horizontal axis of a time chart: `years` with a little room either side, at most
/// about ten of them ticked.
fn year_axis(years: &[i32]) -> Axis {
    let (first, last) = (
        f64::from(years[0]),
        f64::from(*years.last().unwrap_or(&years[0])),
    );
    let every = years.len().div_ceil(10).max(1);
    let x_ticks: Vec<f64> = years.iter().step_by(every).map(|&y| f64::from(y)).collect();
    Axis::new(first - 0.3..last + 0.3, x_ticks)
}

/// One stacked bar per scenario: median share of children in each kind of setting, final year.
pub(super) fn mix_chart(page: &Page<'_>, label: &str) -> String {
    let Some(last) = page.last() else {
        return no_data(label);
    };
    let bars: Vec<(usize, Vec<f64>)> = page
        .r
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                page.kinds
                    .iter()
                    .map(|(k, _)| {
                        metric(s, last, &format!("{SHARE_PREFIX}{k}"))
                            .map_or(0.0, |q| q.p50.max(0.0))
                    })
                    .collect::<Vec<f64>>(),
            )
        })
        .filter(|(_, shares)| shares.iter().sum::<f64>() > 0.0)
        .collect();
    if bars.is_empty() || page.kinds.is_empty() {
        return no_data(label);
    }
    let names: Vec<String> = bars
        .iter()
        .map(|(i, _)| truncate(&page.r.scenarios[*i].name, 34))
        .collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let left = ((longest as f64 * 13.0 * 0.55) as u32 + 24).clamp(80, 300);
    let items: Vec<(Swatch, String)> = page
        .kinds
        .iter()
        .enumerate()
        .map(|(k, (_, name))| {
            (
                Swatch::Block(KIND_COLOURS[k % KIND_COLOURS.len()]),
                name.clone(),
            )
        })
        .collect();
    let rows = bars.len();
    render_with_legend(70 + 56 * rows as u32, label, &items, |plot_area| {
        let y_ticks: Vec<f64> = (0..rows).map(|r| r as f64).collect();
        let mut chart = ChartBuilder::on(plot_area)
            .margin_top(6)
            .margin_right(28)
            .x_label_area_size(54)
            .y_label_area_size(left)
            .build_cartesian_2d(
                Axis::new(0.0..100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
                Axis::new(-0.5..rows as f64 - 0.5, y_ticks),
            )?;
        // Row r (counted from the bottom) holds bar rows - 1 - r, so the first scenario is on top.
        let y_fmt = |v: &f64| {
            let r = v.round() as usize;
            names
                .get(rows.wrapping_sub(1).wrapping_sub(r))
                .cloned()
                .unwrap_or_default()
        };
        let x_fmt = |v: &f64| format!("{}%", fixed(*v, 0));
        house_style(chart.configure_mesh().disable_y_mesh())
            .x_desc("Share of children with a place (%)")
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
        for (b, (_, shares)) in bars.iter().enumerate() {
            let y = (rows - 1 - b) as f64;
            let total: f64 = shares.iter().sum();
            let scale = if total > 1.0 { 100.0 / total } else { 100.0 };
            let mut x = 0.0;
            for (k, share) in shares.iter().enumerate() {
                let w = share * scale;
                if w <= 0.0 {
                    continue;
                }
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y - 0.32), (x + w, y + 0.32)],
                    KIND_COLOURS[k % KIND_COLOURS.len()].filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y - 0.32), (x + w, y + 0.32)],
                    WHITE.stroke_width(1),
                )))?;
                if w >= 6.0 {
                    let style = text(13.0).pos(Pos::new(HPos::Center, VPos::Center));
                    chart.draw_series(std::iter::once(Text::new(
                        percent(*share),
                        (x + w / 2.0, y),
                        style,
                    )))?;
                }
                x += w;
            }
        }
        Ok(())
    })
}

/// Grouped bars: median shortfall by primary need in the final year, one bar per scenario,
/// with 10th–90th percentile whiskers.
pub(super) fn needs_chart(page: &Page<'_>, label: &str) -> String {
    let Some(last) = page.last() else {
        return no_data(label);
    };
    if page.needs.is_empty() || page.r.scenarios.is_empty() {
        return no_data(label);
    }
    let values: Vec<Vec<Option<Quantiles>>> = page
        .needs
        .iter()
        .map(|code| {
            page.r
                .scenarios
                .iter()
                .map(|s| metric(s, last, &format!("{NEED_PREFIX}{code}")))
                .collect()
        })
        .collect();
    let max = values
        .iter()
        .flatten()
        .flatten()
        .map(|q| q.p90.max(q.p50))
        .fold(0.0, f64::max);
    let (y_range, y_ticks, _) = ticks(0.0, (max * 1.04).max(5.0), 1.0);
    let n = page.needs.len();
    let m = page.r.scenarios.len();
    let mut items: Vec<(Swatch, String)> = page
        .r
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| (Swatch::Block(scenario_colour(i)), truncate(&s.name, 40)))
        .collect();
    items.push((Swatch::Whisker, "10th–90th percentile".into()));
    render_with_legend(400, label, &items, |plot_area| {
        let x_ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let x_fmt = |v: &f64| {
            page.needs
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        let y_fmt = |v: &f64| tick_label(*v, 0, false);
        let mut chart = value_chart(
            plot_area,
            Axis::new(-0.5..n as f64 - 0.5, x_ticks),
            "Primary need (census code)",
            &x_fmt,
            Axis::new(y_range, y_ticks),
            "Children without a suitable place",
            &y_fmt,
        )?;
        let group = 0.8;
        let width = group / m as f64;
        for (g, row) in values.iter().enumerate() {
            for (i, q) in row.iter().enumerate() {
                let Some(q) = q else { continue };
                let x0 = g as f64 - group / 2.0 + i as f64 * width;
                let (x1, xc) = (x0 + width * 0.9, x0 + width * 0.45);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, q.p50.max(0.0))],
                    scenario_colour(i).filled(),
                )))?;
                let cap = width * 0.2;
                let whisker = INK.stroke_width(2);
                chart.draw_series([
                    PathElement::new(vec![(xc, q.p10), (xc, q.p90)], whisker),
                    PathElement::new(vec![(xc - cap, q.p10), (xc + cap, q.p10)], whisker),
                    PathElement::new(vec![(xc - cap, q.p90), (xc + cap, q.p90)], whisker),
                ])?;
            }
        }
        Ok(())
    })
}
