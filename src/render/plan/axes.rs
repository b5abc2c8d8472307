//! The furniture of the report's SVG charts: a labelled linear axis, tick steps and labels,
//! legends with their swatches, the scenario markers, and the palette of the charts and the
//! page's colour keys.
use super::*;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::error::Error;
use std::ops::Range;

/// One colour per scenario: the Okabe–Ito palette, distinguishable with the common forms of
/// colour blindness, darkest first (yellow last: weak on white).
pub(super) const SCENARIO_COLOURS: [RGBColor; 8] = palette([
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000, 0xF0E442,
]);

/// Colours for the kinds of setting: Paul Tol's colour-blind-safe "light" scheme (dark text
/// reads on every one of them).
pub(super) const KIND_COLOURS: [RGBColor; 7] = palette([
    0x77AADD, 0x44BB99, 0xEEDD88, 0xEE8866, 0xFFAABB, 0x99DDFF, 0xDDDDDD,
]);

/// Colours from their `0xRRGGBB` codes, as the palettes are published.
const fn palette<const N: usize>(codes: [u32; N]) -> [RGBColor; N] {
    let mut out = [RGBColor(0, 0, 0); N];
    let mut i = 0;
    while i < N {
        let c = codes[i];
        out[i] = RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8);
        i += 1;
    }
    out
}

/// Text and axes.
pub(super) const INK: RGBColor = RGBColor(34, 34, 34);
/// Grid lines.
pub(super) const GRID: RGBColor = RGBColor(222, 222, 222);
/// Width of every chart, in SVG units.
pub(super) const WIDTH: u32 = 900;

/// The colour of the `i`th scenario.
pub(super) fn scenario_colour(i: usize) -> RGBColor {
    SCENARIO_COLOURS[i % SCENARIO_COLOURS.len()]
}

/// A colour as CSS hex, `#RRGGBB`.
pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// `text` escaped for SVG and HTML.
pub(super) fn escape(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Drawn = Result<(), Box<dyn Error>>;

/// A linear axis with the tick positions given. (plotters' `with_key_points` on an `f64` range
/// loses the label formatter; this small axis keeps it.)
pub(super) struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    pub(super) fn new(range: Range<f64>, ticks: Vec<f64>) -> Axis {
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

/// Renders a chart with the legend `items` across its top and a plot area `plot_height` tall
/// below them, drawn by `draw`; labelled for screen readers with `label`.
pub(super) fn render_with_legend(
    plot_height: u32,
    label: &str,
    items: &[(Swatch, String)],
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    let head = legend_height(items, LEGEND_LEFT);
    render((WIDTH, head + plot_height), label, |root| {
        let (top_area, plot_area) = root.split_vertically(head);
        draw_legend(&top_area, items, LEGEND_LEFT)?;
        draw(&plot_area)
    })
}

/// The charts' mesh style: thin grey grid lines, ink axes, 13px tick labels and 14px axis
/// descriptions.
pub(super) fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.bold_line_style(GRID.stroke_width(1))
        .axis_style(INK.stroke_width(1))
        .label_style(text(13.0))
        .axis_desc_style(text(14.0))
}

/// A chart of values on the vertical axis `y` against `x` in `area`, with room for both axes'
/// labels and its mesh drawn: horizontal grid lines only, each axis described by its `desc`
/// and labelled by its `fmt`.
pub(super) fn value_chart<'c, 'b>(
    area: &Area<'b>,
    x: Axis,
    x_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    y: Axis,
    y_desc: &str,
    y_fmt: &dyn Fn(&f64) -> String,
) -> Result<ChartContext<'c, SVGBackend<'b>, Cartesian2d<Axis, Axis>>, Box<dyn Error>> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(12)
        .margin_right(28)
        .margin_left(6)
        .x_label_area_size(58)
        .y_label_area_size(84)
        .build_cartesian_2d(x, y)?;
    house_style(chart.configure_mesh().disable_x_mesh())
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .draw()?;
    Ok(chart)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tick_by_whole_numbers() {
        let (range, ticks_at, decimals) = ticks(0.0, 11.4, 1.0);
        assert_eq!(decimals, 0);
        assert!(ticks_at.iter().all(|t| t.fract() == 0.0), "{ticks_at:?}");
        assert!(range.end >= 11.4 && range.start == 0.0);
        let (_, ticks_at, _) = ticks(0.0, 5.0, 1.0);
        assert_eq!(ticks_at, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let (_, ticks_at, decimals) = ticks(0.0, 1.17, 0.0);
        assert_eq!(decimals, 2);
        assert_eq!(ticks_at.last(), Some(&1.25));
        let (range, _, _) = ticks(38.0, 56.0, 0.0);
        assert!(range.start > 0.0 && range.start <= 38.0 && range.end >= 56.0);
    }
}
