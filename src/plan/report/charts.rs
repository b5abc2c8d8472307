//! The report's SVG charts, drawn with plotters: scenarios over time (with percentile
//! bands), the mix of plans by type of setting, and the shortfall by need; axes, ticks and
//! legends.

use super::*;

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Drawn = Result<(), Box<dyn Error>>;

/// A linear axis with the tick positions given. (plotters' `with_key_points` on an `f64` range
/// loses the label formatter; this small axis keeps it.)
pub(super) struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { range, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let t = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.5
        };
        limit.0 + (f64::from(limit.1 - limit.0) * t).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A text style of `px` CSS pixels (the SVG backend writes the size divided by 1.24).
pub(super) fn text(px: f64) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&INK)
}

/// Renders a chart of `size` with `draw`, labelled for screen readers with `label`.
pub(super) fn render(
    size: (u32, u32),
    label: &str,
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    let mut buf = String::new();
    let outcome = {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Box::<dyn Error>::from)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(Box::<dyn Error>::from))
    };
    if let Err(e) = outcome {
        buf = format!(
            "<svg width=\"{w}\" height=\"60\" viewBox=\"0 0 {w} 60\" xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"10\" y=\"35\" font-family=\"sans-serif\">The chart could not be drawn: {}</text>\n</svg>\n",
            escape(&e.to_string()),
            w = size.0
        );
    }
    let label = escape(label);
    match buf.find('>') {
        Some(end) if buf.starts_with("<svg") => format!(
            "<svg role=\"img\" aria-label=\"{label}\"{}><title>{label}</title>{}",
            &buf[4..end],
            &buf[end + 1..]
        ),
        _ => buf,
    }
}

/// A chart-sized box saying there is nothing to draw.
pub(super) fn no_data(label: &str) -> String {
    render((WIDTH, 120), label, |root| {
        root.draw(&Text::new(
            "No figures were recorded for this chart.",
            (WIDTH as i32 / 2, 60),
            text(16.0).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        Ok(())
    })
}

/// Axis ticks: a round step (1, 2, 2.5 or 5 times a power of ten, at least `min_step`; whole
/// numbers when `min_step` is 1 or more) giving about five intervals from `lo` (rounded down to
/// a step) to at least `hi`. Returns the axis range, the ticks and the decimals the tick labels
/// need.
pub(super) fn ticks(lo: f64, hi: f64, min_step: f64) -> (Range<f64>, Vec<f64>, usize) {
    let lo = if lo.is_finite() { lo } else { 0.0 };
    let hi = if hi.is_finite() && hi > lo {
        hi
    } else {
        lo + 1.0
    };
    let raw = (hi - lo) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    // 2.5 only where fractions are allowed: counts step by 1, 2, 5, 10, 20, 50, …
    let multiples: &[f64] = if min_step >= 1.0 && power < 10.0 {
        &[1.0, 2.0, 5.0, 10.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0, 10.0]
    };
    let step = multiples
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * power)
        .max(min_step);
    let start = (lo / step + 1e-9).floor() * step;
    let n = ((hi - start) / step - 1e-9).ceil().max(1.0) as usize;
    let decimals = (0..3)
        .find(|d| ((step * 10f64.powi(*d as i32)).fract()).abs() < 1e-6)
        .unwrap_or(3);
    (
        start..start + n as f64 * step,
        (0..=n).map(|i| start + i as f64 * step).collect(),
        decimals,
    )
}

pub(super) fn tick_label(v: f64, decimals: usize, money: bool) -> String {
    let number = if decimals == 0 {
        grouped(v.round() as i64)
    } else {
        fixed(v, decimals)
    };
    if money {
        format!("£{number}m")
    } else {
        number
    }
}

/// What a legend entry shows before its label.
pub(super) enum Swatch {
    /// A scenario's median line with its marker.
    Line(usize),
    /// The shaded 10th–90th percentile band.
    Band,
    /// A filled box of a colour.
    Block(RGBColor),
    /// A whisker for the 10th–90th percentile.
    Whisker,
}

pub(super) const LEGEND_ROW: i32 = 26;
pub(super) const LEGEND_PX: f64 = 14.0;
pub(super) const LEGEND_LEFT: i32 = 24;

/// Places legend entries in rows within `width`, starting at `left`: (x, row) per entry.
pub(super) fn legend_layout(items: &[(Swatch, String)], left: i32, width: i32) -> Vec<(i32, i32)> {
    let (mut x, mut row) = (left, 0);
    items
        .iter()
        .map(|(_, label)| {
            let w = 36 + (label.chars().count() as f64 * LEGEND_PX * 0.5) as i32 + 18;
            if x + w > width && x > left {
                x = left;
                row += 1;
            }
            let at = (x, row);
            x += w;
            at
        })
        .collect()
}

pub(super) fn legend_height(items: &[(Swatch, String)], left: i32) -> u32 {
    let rows = legend_layout(items, left, WIDTH as i32 - 10)
        .last()
        .map_or(0, |(_, row)| row + 1);
    (rows * LEGEND_ROW + 12) as u32
}

pub(super) fn draw_legend(root: &Area<'_>, items: &[(Swatch, String)], left: i32) -> Drawn {
    for ((swatch, label), (x, row)) in
        items
            .iter()
            .zip(legend_layout(items, left, WIDTH as i32 - 10))
    {
        let y = 8 + row * LEGEND_ROW + LEGEND_ROW / 2;
        match swatch {
            Swatch::Line(i) => {
                let c = scenario_colour(*i);
                root.draw(&PathElement::new(
                    vec![(x, y), (x + 28, y)],
                    c.stroke_width(3),
                ))?;
                draw_marker(root, (x + 14, y), *i)?;
            }
            Swatch::Band => root.draw(&Rectangle::new(
                [(x, y - 8), (x + 28, y + 8)],
                INK.mix(0.15).filled(),
            ))?,
            Swatch::Block(c) => root.draw(&Rectangle::new(
                [(x + 4, y - 8), (x + 24, y + 8)],
                c.filled(),
            ))?,
            Swatch::Whisker => {
                root.draw(&PathElement::new(
                    vec![(x + 14, y - 9), (x + 14, y + 9)],
                    INK.stroke_width(2),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 9, y - 9), (x + 19, y - 9)],
                    INK.stroke_width(2),
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 9, y + 9), (x + 19, y + 9)],
                    INK.stroke_width(2),
                ))?;
            }
        }
        root.draw(&Text::new(
            label.clone(),
            (x + 36, y),
            text(LEGEND_PX).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Scenario `i`'s marker (circle, square, triangle, diamond, inverted triangle) at `at`.
pub(super) fn draw_marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: CT::From,
    i: usize,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let fill = scenario_colour(i).filled();
    let edge = WHITE.stroke_width(1);
    // Five shapes against eight colours: no two of the first forty scenarios look alike.
    match i % 5 {
        0 => area.draw(
            &(EmptyElement::at(at) + Circle::new((0, 0), 6, fill) + Circle::new((0, 0), 6, edge)),
        ),
        1 => area.draw(
            &(EmptyElement::at(at)
                + Rectangle::new([(-5, -5), (5, 5)], fill)
                + Rectangle::new([(-5, -5), (5, 5)], edge)),
        ),
        2 => {
            area.draw(&(EmptyElement::at(at) + Polygon::new(vec![(0, -7), (7, 5), (-7, 5)], fill)))
        }
        3 => area.draw(
            &(EmptyElement::at(at) + Polygon::new(vec![(0, -7), (7, 0), (0, 7), (-7, 0)], fill)),
        ),
        _ => {
            area.draw(&(EmptyElement::at(at) + Polygon::new(vec![(0, 7), (7, -5), (-7, -5)], fill)))
        }
    }
}

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
    let series: Vec<(usize, Vec<(f64, Quantiles)>)> = page
        .r
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
        .collect();
    if series.is_empty() {
        return (no_data(label), false);
    }
    let money = scale != 1.0;
    let max = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, q)| q.p90.max(q.p50) * scale))
        .fold(0.0, f64::max);
    let min = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, q)| q.p10.min(q.p50) * scale))
        .fold(f64::INFINITY, f64::min);
    let (y_range, y_ticks, decimals) = ticks(
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
    );
    let (first, last) = (
        f64::from(page.years[0]),
        f64::from(*page.years.last().unwrap_or(&page.years[0])),
    );
    let every = page.years.len().div_ceil(10).max(1);
    let x_ticks: Vec<f64> = page
        .years
        .iter()
        .step_by(every)
        .map(|&y| f64::from(y))
        .collect();
    let mut items: Vec<(Swatch, String)> = series
        .iter()
        .map(|(i, _)| (Swatch::Line(*i), truncate(&page.r.scenarios[*i].name, 40)))
        .collect();
    items.push((Swatch::Band, "10th–90th percentile".into()));
    let head = legend_height(&items, LEGEND_LEFT);
    let zoomed = y_range.start > 0.0;
    let svg = render((WIDTH, 400 + head), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, &items, LEGEND_LEFT)?;
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(12)
            .margin_right(28)
            .margin_left(6)
            .x_label_area_size(58)
            .y_label_area_size(84)
            .build_cartesian_2d(
                Axis::new(first - 0.3..last + 0.3, x_ticks),
                Axis::new(y_range, y_ticks),
            )?;
        let y_fmt = |v: &f64| tick_label(*v, decimals, money);
        let x_fmt = |v: &f64| academic(v.round() as i32);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(INK.stroke_width(1))
            .label_style(text(13.0))
            .axis_desc_style(text(14.0))
            .x_desc("Academic year (starting in September)")
            .y_desc(y_desc)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
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
    let head = legend_height(&items, LEGEND_LEFT);
    let rows = bars.len();
    render((WIDTH, head + 70 + 56 * rows as u32), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, &items, LEGEND_LEFT)?;
        let y_ticks: Vec<f64> = (0..rows).map(|r| r as f64).collect();
        let mut chart = ChartBuilder::on(&plot_area)
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
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(INK.stroke_width(1))
            .label_style(text(13.0))
            .axis_desc_style(text(14.0))
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
    let head = legend_height(&items, LEGEND_LEFT);
    render((WIDTH, 400 + head), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, &items, LEGEND_LEFT)?;
        let x_ticks: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(12)
            .margin_right(28)
            .margin_left(6)
            .x_label_area_size(58)
            .y_label_area_size(84)
            .build_cartesian_2d(
                Axis::new(-0.5..n as f64 - 0.5, x_ticks),
                Axis::new(y_range, y_ticks),
            )?;
        let x_fmt = |v: &f64| {
            page.needs
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        let y_fmt = |v: &f64| tick_label(*v, 0, false);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(INK.stroke_width(1))
            .label_style(text(13.0))
            .axis_desc_style(text(14.0))
            .x_desc("Primary need (census code)")
            .y_desc("Children without a suitable place")
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .draw()?;
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
