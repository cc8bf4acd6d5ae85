//! Charts drawn with plotters into SVG strings: chain height per node, fork depth, API
//! availability and client transactions over a run ([`RunSeries`]), and RTO/RPO per
//! strategy against the targets ([`PlanResult`]). Pure: the same input gives the same
//! bytes natively and in the browser.
//!
//! Invariants:
//! - **Safe under a strict Content-Security-Policy**: the SVG carries presentation
//!   attributes only (no `style` attribute, no `<style>`, no script, no event
//!   attribute, no link); plotters' SVG backend writes attributes, and the tests check
//!   every tag and attribute against an allow-list.
//! - **No DOM**: text is measured by [`estimate_text_width_px`] through our own backend
//!   wrapper, never by plotters' wasm32 font code (which appends a `<span>` with a
//!   `style` attribute to the page: blocked by the CSP, and absent in a Web Worker).
//!   So no plotters API that measures through the font itself is used here: no
//!   built-in legend (`configure_series_labels`), no multi-line text, no pie.
//! - **User text is text**: node names go through [`plain_text`] (control characters
//!   out, length capped) and plotters escapes `< > & " '` in every text node and
//!   attribute; our own additions (`<title>`, `aria-label`) use
//!   [`escape_xml_attribute`].
//! - **Readable**: Okabe–Ito colours (as in the app), text at least 12 px at the
//!   chart's own size, and every series also told apart without colour: a legend label
//!   and a dash or marker style.

use plotters::prelude::*;
use plotters_backend::{
    BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use crate::planner::{Cell, PlanResult, Strategy};
use crate::scenario::file::{FailureKind, TargetFile};
use crate::view::svg::{escape_xml_attribute, plain_text};

use super::series::RunSeries;

/// Okabe–Ito, in the app's order (`src/ui/app.rs`): blue, orange, bluish green,
/// reddish purple, sky blue, vermillion, black. (Yellow is left out: too pale on white.)
pub const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x00, 0x00),
];
const BLUE_OI: RGBColor = OKABE_ITO[0];
const ORANGE_OI: RGBColor = OKABE_ITO[1];
const GREEN_OI: RGBColor = OKABE_ITO[2];
const PURPLE_OI: RGBColor = OKABE_ITO[3];
const VERMILLION_OI: RGBColor = OKABE_ITO[5];
const INK: RGBColor = RGBColor(0x1b, 0x1f, 0x24);
const MUTED: RGBColor = RGBColor(0x57, 0x60, 0x6a);
const GRID: RGBColor = RGBColor(0xd0, 0xd7, 0xde);
const PALE_GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// plotters writes `font-size = size / 1.24` into the SVG; these give 12.9 px and
/// 15.3 px there.
const FONT_SIZE_TEXT: f64 = 16.0;
const FONT_SIZE_TITLE: f64 = 19.0;
const FONT_FAMILY: &str = "sans-serif";
/// The height chart draws this many nodes one by one; the rest as one grey line.
pub const HEIGHT_LINES_MAX: usize = 6;

/// A chart's fixed size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartSize {
    pub width_px: u32,
    pub height_px: u32,
}

impl ChartSize {
    pub const fn new(width_px: u32, height_px: u32) -> ChartSize {
        ChartSize {
            width_px,
            height_px,
        }
    }
}

/// Drawing failed (the SVG backend writes to a string, so this is not expected).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "chart drawing failed: {}", self.0)
    }
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError(error.to_string())
    }
}

/// A pure estimate of rendered text width: 0.6 em per character at the SVG font size
/// (`size / 1.24`), generous for a sans-serif face so labels do not collide.
pub fn estimate_text_width_px(text: &str, plotters_font_size: f64) -> u32 {
    (text.chars().count() as f64 * 0.6 * plotters_font_size / 1.24).ceil() as u32
}

/// The SVG backend with text measured by [`estimate_text_width_px`], never through the
/// DOM (see the module notes).
struct MeasuredSvg<'a> {
    inner: SVGBackend<'a>,
}

type SvgError = <SVGBackend<'static> as DrawingBackend>::ErrorType;

impl DrawingBackend for MeasuredSvg<'_> {
    type ErrorType = SvgError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: plotters_backend::BackendColor,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.fill_polygon(vertices, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        position: BackendCoord,
    ) -> Result<(), DrawingErrorKind<SvgError>> {
        self.inner.draw_text(text, style, position)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<SvgError>> {
        let size = style.size();
        Ok((
            estimate_text_width_px(text, size),
            (size / 1.24 * 1.2).ceil() as u32,
        ))
    }
}

/// Draws into a fresh SVG string, then adds an accessible name.
fn render(
    size: ChartSize,
    title: &str,
    draw: impl FnOnce(&DrawingArea<MeasuredSvg<'_>, plotters::coord::Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let backend = MeasuredSvg {
            inner: SVGBackend::with_string(&mut svg, (size.width_px, size.height_px)),
        };
        let root = backend.into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    // `<svg width=… ` → `<svg role="img" aria-label="…" width=…>` + `<title>`.
    let label = escape_xml_attribute(title);
    let Some(rest) = svg.strip_prefix("<svg ") else {
        return Err(ChartError("the SVG backend wrote no <svg> element".into()));
    };
    let Some(end) = rest.find(">\n") else {
        return Err(ChartError(
            "the SVG backend wrote an unclosed <svg> tag".into(),
        ));
    };
    Ok(format!(
        "<svg role=\"img\" aria-label=\"{label}\" {}>\n<title>{label}</title>\n{}",
        &rest[..end],
        &rest[end + 2..]
    ))
}

fn text_style(size: f64, colour: RGBColor) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&colour)
}

/// How a line is drawn besides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stroke {
    Solid,
    Dashed,
    Dotted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    Circle,
    Triangle,
    Cross,
}

struct Line {
    label: String,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    width: u32,
    stroke: Stroke,
    marker: Option<Marker>,
}

/// A horizontal reference (a limit or a target), dashed, labelled at its right end.
struct Rule {
    label: String,
    value: f64,
    colour: RGBColor,
}

fn style_for(index: usize) -> (RGBColor, Stroke, Option<Marker>) {
    let colour = OKABE_ITO[index % OKABE_ITO.len()];
    let stroke = [Stroke::Solid, Stroke::Dashed, Stroke::Dotted][index % 3];
    let marker = [
        None,
        Some(Marker::Circle),
        Some(Marker::Triangle),
        Some(Marker::Cross),
    ][(index / 3) % 4];
    (colour, stroke, marker)
}

/// Where each legend entry goes (rows wrap at the width): (x, y) of the swatch.
fn legend_positions(labels: &[&str], width_px: u32) -> (Vec<(i32, i32)>, u32) {
    const SWATCH: i32 = 34;
    const ROW: i32 = 22;
    let mut positions = Vec::with_capacity(labels.len());
    let (mut x, mut y) = (16, 6);
    for label in labels {
        let item = SWATCH + 6 + estimate_text_width_px(label, FONT_SIZE_TEXT) as i32 + 18;
        if x > 16 && x + item > width_px as i32 - 8 {
            x = 16;
            y += ROW;
        }
        positions.push((x, y));
        x += item;
    }
    let height = if labels.is_empty() {
        0
    } else {
        (y + ROW + 4) as u32
    };
    (positions, height)
}

fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    marker: Marker,
    at: (i32, i32),
    colour: RGBColor,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let style = ShapeStyle::from(&colour).stroke_width(2);
    match marker {
        Marker::Circle => area.draw(&Circle::new(at, 4, style.filled()))?,
        Marker::Triangle => area.draw(&TriangleMarker::new(at, 5, style.filled()))?,
        Marker::Cross => area.draw(&Cross::new(at, 4, style))?,
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, RGBColor, u32, Stroke, Option<Marker>)],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let labels: Vec<&str> = entries.iter().map(|entry| entry.0.as_str()).collect();
    let (positions, _) = legend_positions(&labels, area.dim_in_pixel().0);
    for ((label, colour, width, stroke, marker), (x, y)) in entries.iter().zip(positions) {
        let middle = y + 9;
        let style = ShapeStyle::from(colour).stroke_width((*width).max(2));
        match stroke {
            Stroke::Solid => area.draw(&PathElement::new(
                vec![(x, middle), (x + 34, middle)],
                style,
            ))?,
            Stroke::Dashed => {
                for start in [x, x + 14, x + 28] {
                    area.draw(&PathElement::new(
                        vec![(start, middle), ((start + 8).min(x + 34), middle)],
                        style,
                    ))?;
                }
            }
            Stroke::Dotted => {
                for start in (x..x + 34).step_by(6) {
                    area.draw(&PathElement::new(
                        vec![(start, middle), (start + 2, middle)],
                        style,
                    ))?;
                }
            }
        }
        if let Some(marker) = marker {
            draw_marker(area, *marker, (x + 17, middle), *colour)?;
        }
        area.draw(&Text::new(
            label.clone(),
            (x + 40, middle),
            text_style(FONT_SIZE_TEXT, INK).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            )),
        ))?;
    }
    Ok(())
}

/// The time axis: hours for runs of 3 hours or more, minutes below.
fn time_axis(duration_ms: u64) -> (f64, &'static str) {
    if duration_ms >= 3 * 3_600_000 {
        (3_600_000.0, "time (h)")
    } else {
        (60_000.0, "time (min)")
    }
}

struct LineChart<'a> {
    title: &'a str,
    y_description: &'a str,
    duration_ms: u64,
    y_max: f64,
    y_format: &'a dyn Fn(&f64) -> String,
    lines: Vec<Line>,
    rules: Vec<Rule>,
}

fn line_chart(chart: LineChart<'_>, size: ChartSize) -> Result<String, ChartError> {
    let LineChart {
        title,
        y_description,
        duration_ms,
        y_max,
        y_format,
        lines,
        rules,
    } = chart;
    let (unit_ms, x_description) = time_axis(duration_ms);
    let x_max = (duration_ms as f64 / unit_ms).max(1e-9);
    let mut entries: Vec<(String, RGBColor, u32, Stroke, Option<Marker>)> = lines
        .iter()
        .map(|line| {
            (
                line.label.clone(),
                line.colour,
                line.width,
                line.stroke,
                line.marker,
            )
        })
        .collect();
    entries.extend(
        rules
            .iter()
            .map(|rule| (rule.label.clone(), rule.colour, 2, Stroke::Dashed, None)),
    );
    let labels: Vec<&str> = entries.iter().map(|entry| entry.0.as_str()).collect();
    let (_, legend_height) = legend_positions(&labels, size.width_px);
    let plot_pixels = std::cell::Cell::new(None);
    let svg = render(size, title, |root| {
        let (plot_area, legend_area) =
            root.split_vertically(size.height_px.saturating_sub(legend_height));
        let mut chart = ChartBuilder::on(&plot_area)
            .caption(title, text_style(FONT_SIZE_TITLE, INK))
            .margin(10)
            .margin_right(24)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
        plot_pixels.set(Some(chart.plotting_area().get_pixel_range()));
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .x_desc(x_description)
            .y_desc(y_description)
            .label_style(text_style(FONT_SIZE_TEXT, INK))
            .axis_desc_style(text_style(FONT_SIZE_TEXT, INK))
            .x_labels(8)
            .y_labels(6)
            .x_label_formatter(&|value: &f64| format!("{}", (value * 10.0).round() / 10.0))
            .y_label_formatter(y_format)
            .draw()?;
        for rule in &rules {
            let style = ShapeStyle::from(&rule.colour).stroke_width(2);
            chart.draw_series(DashedLineSeries::new(
                vec![(0.0, rule.value), (x_max, rule.value)],
                10,
                6,
                style,
            ))?;
        }
        for line in &lines {
            let style = ShapeStyle::from(&line.colour).stroke_width(line.width);
            let points: Vec<(f64, f64)> = line
                .points
                .iter()
                .map(|&(at_ms, value)| (at_ms / unit_ms, value))
                .collect();
            match line.stroke {
                Stroke::Solid => {
                    chart.draw_series(LineSeries::new(points.iter().copied(), style))?;
                }
                Stroke::Dashed => {
                    chart.draw_series(DashedLineSeries::new(
                        points.iter().copied(),
                        9,
                        5,
                        style,
                    ))?;
                }
                Stroke::Dotted => {
                    chart.draw_series(DashedLineSeries::new(
                        points.iter().copied(),
                        2,
                        4,
                        style,
                    ))?;
                }
            }
            if let Some(marker) = line.marker {
                // About 12 markers per line: enough to tell it apart, few enough to read.
                let every = (points.len() / 12).max(1);
                let plotting = chart.plotting_area();
                for point in points.iter().step_by(every) {
                    let at = plotting.map_coordinate(point);
                    draw_marker(root, marker, at, line.colour)?;
                }
            }
        }
        draw_legend(&legend_area, &entries)
    })?;
    // Where the time axis lies, so a page can draw "now" over the chart.
    Ok(match (plot_pixels.take(), svg.find('>')) {
        (Some((x, y)), Some(root_end)) => format!(
            "{} data-plot-area=\"{} {} {} {}\"{}",
            &svg[..root_end],
            x.start,
            y.start,
            x.end,
            y.end,
            &svg[root_end..]
        ),
        _ => svg,
    })
}

/// The plot area a time chart declares (`data-plot-area="left top right bottom"`, in
/// pixels): where time 0 and the end of the run are, and the plot's top and bottom.
pub fn plot_area_px(svg: &str) -> Option<(f64, f64, f64, f64)> {
    let root = &svg[..svg.find('>')?];
    let start = root.find("data-plot-area=\"")? + "data-plot-area=\"".len();
    let end = root[start..].find('"')? + start;
    let numbers: Vec<f64> = root[start..end]
        .split(' ')
        .filter_map(|number| number.parse().ok())
        .collect();
    match numbers.as_slice() {
        &[left, top, right, bottom] => Some((left, top, right, bottom)),
        _ => None,
    }
}

fn points(series: &RunSeries, values: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    series
        .at_ms
        .iter()
        .map(|&at_ms| at_ms as f64)
        .zip(values)
        .collect()
}

/// A step line (value holds until the next point): for states such as availability.
fn steps(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut stepped = Vec::with_capacity(points.len() * 2);
    for (index, &(x, y)) in points.iter().enumerate() {
        if index > 0 {
            stepped.push((x, points[index - 1].1));
        }
        stepped.push((x, y));
    }
    stepped
}

fn whole_number(value: &f64) -> String {
    format!("{}", value.round() as i64)
}

fn nice_max(value: f64) -> f64 {
    (value * 1.1).max(1.0).ceil()
}

/// Chain height per node over time. Up to [`HEIGHT_LINES_MAX`] nodes get their own
/// line (those furthest from the best chain first, then in scenario order); the rest
/// are summed up as one grey line, the lowest height among them.
pub fn height_chart_svg(series: &RunSeries, size: ChartSize) -> Result<String, ChartError> {
    let node_count = series.heights_blocks.len();
    let mut order: Vec<(u64, usize)> = (0..node_count)
        .map(|node| {
            let lag: u64 = series.heights_blocks[node]
                .iter()
                .zip(&series.best_height_blocks)
                .map(|(height, best)| best.abs_diff(*height))
                .sum();
            (lag, node)
        })
        .collect();
    let own_lines = if node_count <= HEIGHT_LINES_MAX + 1 {
        node_count
    } else {
        HEIGHT_LINES_MAX
    };
    crate::sort::sort_by(&mut order, |first, second| {
        second.0.cmp(&first.0).then(first.1.cmp(&second.1))
    });
    let mut shown: Vec<usize> = order[..own_lines].iter().map(|&(_, node)| node).collect();
    crate::sort::sort(&mut shown);
    let mut lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .map(|(position, &node)| {
            let (colour, stroke, marker) = style_for(position);
            Line {
                label: plain_text(&series.node_names[node]),
                points: points(
                    series,
                    series.heights_blocks[node]
                        .iter()
                        .map(|&height| height.saturating_sub(series.start_height) as f64),
                ),
                colour,
                width: 2,
                stroke,
                marker,
            }
        })
        .collect();
    let others: Vec<usize> = (0..node_count)
        .filter(|node| !shown.contains(node))
        .collect();
    if !others.is_empty() {
        let lowest = (0..series.len()).map(|point| {
            others
                .iter()
                .map(|&node| series.heights_blocks[node][point])
                .min()
                .unwrap_or(0)
                .saturating_sub(series.start_height) as f64
        });
        lines.push(Line {
            label: format!("lowest of the other {} nodes", others.len()),
            points: points(series, lowest),
            colour: PALE_GREY,
            width: 1,
            stroke: Stroke::Solid,
            marker: None,
        });
    }
    let y_max = nice_max(
        series
            .heights_blocks
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(1)
            .saturating_sub(series.start_height) as f64,
    );
    // Blocks made since time 0; a node still catching up on the history before it
    // sits at 0 until it holds the whole history.
    let (title, y_description) = if series.start_height > 1 {
        (
            format!(
                "Chain height per node, above {} at the start",
                series.start_height
            ),
            "blocks since the start",
        )
    } else {
        ("Chain height per node".to_string(), "height (blocks)")
    };
    line_chart(
        LineChart {
            title: &title,
            y_description,
            duration_ms: series.duration_ms,
            y_max,
            y_format: &whole_number,
            lines,
            rules: Vec::new(),
        },
        size,
    )
}

/// The deepest fork among running nodes over time, against `maxRollbackBlocks`.
pub fn fork_depth_chart_svg(series: &RunSeries, size: ChartSize) -> Result<String, ChartError> {
    let deepest = series.fork_depth_blocks.iter().copied().max().unwrap_or(0);
    let limit = series.max_rollback_blocks;
    let rules = if limit > 0 {
        vec![Rule {
            label: format!("maxRollbackBlocks {limit}: deeper forks are irreconcilable"),
            value: limit as f64,
            colour: VERMILLION_OI,
        }]
    } else {
        Vec::new()
    };
    line_chart(
        LineChart {
            title: "Fork depth (deepest running node)",
            y_description: "fork depth (blocks)",
            duration_ms: series.duration_ms,
            y_max: nice_max(deepest.max(limit) as f64),
            y_format: &whole_number,
            lines: vec![Line {
                label: "fork depth".into(),
                points: steps(points(
                    series,
                    series.fork_depth_blocks.iter().map(|&depth| depth as f64),
                )),
                colour: BLUE_OI,
                width: 3,
                stroke: Stroke::Solid,
                marker: None,
            }],
            rules,
        },
        size,
    )
}

/// The share of API nodes able to serve, and whether the entry point serves clients.
pub fn api_availability_chart_svg(
    series: &RunSeries,
    size: ChartSize,
) -> Result<String, ChartError> {
    line_chart(
        LineChart {
            title: "API availability",
            y_description: "available (%)",
            duration_ms: series.duration_ms,
            y_max: 105.0,
            y_format: &|value: &f64| format!("{}", value.round() as i64),
            lines: vec![
                Line {
                    label: "API nodes able to serve (%)".into(),
                    points: steps(points(
                        series,
                        series.api_available_share.iter().map(|share| share * 100.0),
                    )),
                    colour: BLUE_OI,
                    width: 3,
                    stroke: Stroke::Solid,
                    marker: None,
                },
                Line {
                    label: "entry point serves every client (100 = yes)".into(),
                    points: steps(points(
                        series,
                        series
                            .clients_served
                            .iter()
                            .map(|&served| if served { 100.0 } else { 0.0 }),
                    )),
                    colour: ORANGE_OI,
                    width: 2,
                    stroke: Stroke::Dashed,
                    marker: None,
                },
            ],
            rules: Vec::new(),
        },
        size,
    )
}

/// Client transactions: confirmed (cumulative), lost and rejected.
pub fn transactions_chart_svg(series: &RunSeries, size: ChartSize) -> Result<String, ChartError> {
    let as_f64 = |values: &[u64]| values.iter().map(|&value| value as f64).collect::<Vec<_>>();
    let y_max = nice_max(
        [
            &series.confirmed_transactions,
            &series.lost_transactions,
            &series.rejected_transactions,
        ]
        .iter()
        .flat_map(|values| values.iter().copied())
        .max()
        .unwrap_or(0) as f64,
    );
    line_chart(
        LineChart {
            title: "Client transactions",
            y_description: "transactions",
            duration_ms: series.duration_ms,
            y_max,
            y_format: &whole_number,
            lines: vec![
                Line {
                    label: "confirmed (cumulative)".into(),
                    points: points(series, as_f64(&series.confirmed_transactions).into_iter()),
                    colour: GREEN_OI,
                    width: 3,
                    stroke: Stroke::Solid,
                    marker: None,
                },
                Line {
                    label: "lost (rolled back or expired)".into(),
                    points: points(series, as_f64(&series.lost_transactions).into_iter()),
                    colour: VERMILLION_OI,
                    width: 2,
                    stroke: Stroke::Dashed,
                    marker: Some(Marker::Cross),
                },
                Line {
                    label: "rejected by the entry point".into(),
                    points: points(series, as_f64(&series.rejected_transactions).into_iter()),
                    colour: PURPLE_OI,
                    width: 2,
                    stroke: Stroke::Dotted,
                    marker: Some(Marker::Triangle),
                },
            ],
            rules: Vec::new(),
        },
        size,
    )
}

/// One bar's value: the measured p95 when there is one, else the estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarValue {
    Measured(u64),
    Estimated(u64),
    /// The strategy does not survive this failure.
    NotSurvivable,
    /// The failure has nothing to act on in this strategy (the table's "n/a").
    NotApplicable,
}

impl BarValue {
    fn of(
        cell: &Cell,
        measured: Option<crate::planner::Distribution>,
        estimate: Option<u64>,
    ) -> BarValue {
        if !cell.estimate.applicable {
            return BarValue::NotApplicable;
        }
        if !cell.survivable {
            return BarValue::NotSurvivable;
        }
        match (measured, estimate) {
            (Some(measured), _) => BarValue::Measured(measured.p95),
            (None, Some(estimate)) => BarValue::Estimated(estimate),
            (None, None) => BarValue::NotSurvivable,
        }
    }

    pub fn of_rto(cell: &Cell) -> BarValue {
        BarValue::of(cell, cell.rto, cell.estimate.rto_ms())
    }

    pub fn of_rpo(cell: &Cell) -> BarValue {
        BarValue::of(cell, cell.rpo, cell.estimate.rpo_ms())
    }

    pub fn ms(self) -> Option<u64> {
        match self {
            BarValue::Measured(ms) | BarValue::Estimated(ms) => Some(ms),
            BarValue::NotSurvivable | BarValue::NotApplicable => None,
        }
    }
}

/// A compact duration for chart labels: "45s", "2m 27s", "1h 31m", "23h 22m", "7d".
pub fn short_duration(ms: u64) -> String {
    let seconds = ms / 1_000;
    let (days, hours, minutes, rest) = (
        seconds / 86_400,
        seconds / 3_600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    let parts = if days > 0 {
        [(days, "d"), (hours, "h")]
    } else if hours > 0 {
        [(hours, "h"), (minutes, "m")]
    } else if minutes > 0 {
        [(minutes, "m"), (rest, "s")]
    } else {
        [(rest, "s"), (0, "")]
    };
    let text: Vec<String> = parts
        .iter()
        .enumerate()
        .filter(|&(position, &(value, unit))| !unit.is_empty() && (position == 0 || value > 0))
        .map(|(_, &(value, unit))| format!("{value}{unit}"))
        .collect();
    text.join(" ")
}

/// A bar value for its label: "0s" only for a true zero, "<1s" below a second.
fn bar_duration(ms: u64) -> String {
    match ms {
        0 => "0s".to_string(),
        1..=999 => "<1s".to_string(),
        _ => short_duration(ms),
    }
}

/// The bar chart's value axis: log10 of seconds, from 1 s. RTO and RPO run from 0 to
/// days (Multi-AZ about a minute, a cross-region restore about a day): on a linear axis
/// the short bars vanish next to the long ones; on a log axis 1 min and 23 h both read.
/// Values under 1 s (an RPO of 0) sit on the axis as a short stub.
fn log_seconds(ms: u64) -> f64 {
    (ms as f64 / 1_000.0).max(1.0).log10()
}

/// Tick marks at round durations.
const TICKS_S: [u64; 10] = [
    1,
    10,
    60,
    600,
    3_600,
    6 * 3_600,
    86_400,
    7 * 86_400,
    30 * 86_400,
    365 * 86_400,
];

/// A box in the chart's pixels: left, top, right, bottom.
pub type PixelBox = (i32, i32, i32, i32);

/// Whether two boxes share any pixel.
pub fn boxes_overlap(a: PixelBox, b: PixelBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// One bar of the RTO/RPO chart: which cell and metric, its value, its label (the
/// value in words and the verdict against the target) and where both go.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanBar {
    pub strategy: Strategy,
    /// "RTO" or "RPO".
    pub metric: &'static str,
    pub value: BarValue,
    /// "pass" or "FAIL" when the failure has a target for this metric; the same rule
    /// as the cell's verdict (estimate and measured p95 both within the limit).
    pub verdict: Option<&'static str>,
    pub label: String,
    /// The bar itself; `None` when there is nothing to draw (not survivable, n/a).
    pub bar: Option<PixelBox>,
    pub label_box: PixelBox,
}

/// Where everything of one RTO/RPO chart goes, in pixels; [`rto_rpo_chart_svg`] draws
/// exactly this, so tests can check it (labels never overlap, each label agrees with
/// its cell).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanChartLayout {
    pub width_px: u32,
    pub height_px: u32,
    pub title: String,
    /// Left, top, right, bottom of the bars' area.
    pub plot: PixelBox,
    /// Strategy names: text and box (left-aligned, vertically centred on its bars).
    pub names: Vec<(String, PixelBox)>,
    pub bars: Vec<PlanBar>,
    /// Axis ticks: x, label and the label's box.
    pub ticks: Vec<(i32, String, PixelBox)>,
    /// Target lines: x of the RTO target and of the RPO target.
    pub rto_target_x: Option<i32>,
    pub rpo_target_x: Option<i32>,
    pub legend_top: i32,
    legend: Vec<(String, RGBColor, u32, Stroke, Option<Marker>)>,
}

const PLAN_MARGIN_PX: i32 = 10;
const PLAN_TITLE_PX: i32 = 34;
const PLAN_BAR_ROW_PX: i32 = 22;
const PLAN_BAR_PX: i32 = 14;
const PLAN_GROUP_GAP_PX: i32 = 10;
const PLAN_TEXT_HALF_HEIGHT_PX: i32 = 9;
const PLAN_STUB_PX: i32 = 3;

/// The per-metric verdict: the cell's rule (`planner::cell` `meets_target`) for one
/// metric, so a cell fails exactly when one of its bars says FAIL.
fn bar_verdict(
    cell: &Cell,
    value: BarValue,
    estimate: Option<u64>,
    limit: Option<u64>,
) -> Option<&'static str> {
    let limit = limit?;
    if value == BarValue::NotApplicable {
        return None;
    }
    let met = cell.survivable
        && cell.estimate.survivable
        && matches!(value, BarValue::Measured(ms) if ms <= limit)
        && estimate.is_some_and(|estimate| estimate <= limit);
    Some(if met { "pass" } else { "FAIL" })
}

fn bar_label(metric: &str, value: BarValue, verdict: Option<&str>) -> String {
    let text = match value {
        BarValue::Measured(ms) => format!("{metric} p95 {}", bar_duration(ms)),
        BarValue::Estimated(ms) => format!("{metric} est. {}", bar_duration(ms)),
        BarValue::NotSurvivable => format!("{metric}: not survivable"),
        BarValue::NotApplicable => format!("{metric}: n/a, nothing to act on"),
    };
    match verdict {
        Some(verdict) => format!("{text} · {verdict}"),
        None => text,
    }
}

/// Lays out the RTO/RPO chart of one failure kind, `width_px` wide (the height follows
/// from the content): per strategy a row with a filled RTO bar and a row with a hollow
/// RPO bar on a log axis of seconds, each labelled at its end, in its own row.
pub fn plan_chart_layout(
    plan: &PlanResult,
    targets: &[TargetFile],
    failure: FailureKind,
    width_px: u32,
) -> PlanChartLayout {
    let cells: Vec<&Cell> = plan
        .cells
        .iter()
        .filter(|cell| cell.failure == failure)
        .collect();
    let target = targets.iter().find(|target| target.failure == failure);
    let (rto_target, rpo_target) = (
        target.and_then(|target| target.rto_ms),
        target.and_then(|target| target.rpo_ms),
    );
    let title = format!(
        "RTO and RPO per strategy: {} (p95, log scale)",
        super::plan_explain::failure_title(failure.as_str())
    );
    let mut bars = Vec::new();
    for cell in &cells {
        for (metric, value, estimate, limit) in [
            (
                "RTO",
                BarValue::of_rto(cell),
                cell.estimate.rto_ms(),
                rto_target,
            ),
            (
                "RPO",
                BarValue::of_rpo(cell),
                cell.estimate.rpo_ms(),
                rpo_target,
            ),
        ] {
            let verdict = bar_verdict(cell, value, estimate, limit);
            bars.push(PlanBar {
                strategy: cell.strategy,
                metric,
                value,
                verdict,
                label: bar_label(metric, value, verdict),
                bar: None,
                label_box: (0, 0, 0, 0),
            });
        }
    }
    let width = width_px as i32;
    let text_width = |text: &str| estimate_text_width_px(text, FONT_SIZE_TEXT) as i32;
    let names_width = cells
        .iter()
        .map(|cell| text_width(cell.strategy.as_str()))
        .max()
        .unwrap_or(0);
    let labels_width = bars
        .iter()
        .map(|bar| text_width(&bar.label))
        .max()
        .unwrap_or(0);
    let plot_left = PLAN_MARGIN_PX + names_width + 16;
    let plot_right = (width - PLAN_MARGIN_PX - labels_width - 8).max(plot_left + 60);
    let plot_top = PLAN_TITLE_PX;
    let group_px = 2 * PLAN_BAR_ROW_PX + PLAN_GROUP_GAP_PX;
    let plot_bottom = plot_top + cells.len() as i32 * group_px;
    let largest_ms = bars
        .iter()
        .filter_map(|bar| bar.value.ms())
        .chain(rto_target)
        .chain(rpo_target)
        .max()
        .unwrap_or(0);
    let x_max = (log_seconds(largest_ms) * 1.05).max(log_seconds(86_400_000));
    let x_of = |ms: u64| {
        plot_left + ((log_seconds(ms) / x_max) * f64::from(plot_right - plot_left)).round() as i32
    };
    let names = cells
        .iter()
        .enumerate()
        .map(|(position, cell)| {
            let middle = plot_top + position as i32 * group_px + PLAN_BAR_ROW_PX;
            let name = plain_text(cell.strategy.as_str());
            let right = PLAN_MARGIN_PX + text_width(&name);
            (
                name,
                (
                    PLAN_MARGIN_PX,
                    middle - PLAN_TEXT_HALF_HEIGHT_PX,
                    right,
                    middle + PLAN_TEXT_HALF_HEIGHT_PX,
                ),
            )
        })
        .collect();
    for (index, bar) in bars.iter_mut().enumerate() {
        let group = index as i32 / 2;
        let row_top = plot_top + group * group_px + (index as i32 % 2) * PLAN_BAR_ROW_PX;
        let middle = row_top + PLAN_BAR_ROW_PX / 2;
        let end = bar.value.ms().map(|ms| {
            if ms >= 1_000 {
                x_of(ms).max(plot_left + PLAN_STUB_PX)
            } else {
                plot_left + PLAN_STUB_PX
            }
        });
        bar.bar = end.map(|end| {
            (
                plot_left,
                middle - PLAN_BAR_PX / 2,
                end,
                middle + PLAN_BAR_PX / 2,
            )
        });
        let label_left = end.unwrap_or(plot_left) + 6;
        bar.label_box = (
            label_left,
            middle - PLAN_TEXT_HALF_HEIGHT_PX,
            label_left + text_width(&bar.label),
            middle + PLAN_TEXT_HALF_HEIGHT_PX,
        );
    }
    let mut ticks: Vec<(i32, String, PixelBox)> = Vec::new();
    for seconds in TICKS_S {
        let ms = seconds * 1_000;
        if log_seconds(ms) > x_max + 1e-9 {
            break;
        }
        let x = x_of(ms);
        let text = short_duration(ms);
        let half = text_width(&text) / 2 + 1;
        let label_box = (x - half, plot_bottom + 6, x + half, plot_bottom + 24);
        if ticks
            .last()
            .is_none_or(|previous| previous.2 .2 + 6 <= label_box.0)
        {
            ticks.push((x, text, label_box));
        }
    }
    let mut legend = vec![
        ("RTO (filled)".to_string(), BLUE_OI, 10, Stroke::Solid, None),
        (
            "RPO (hollow)".to_string(),
            ORANGE_OI,
            3,
            Stroke::Solid,
            None,
        ),
    ];
    if let Some(ms) = rto_target {
        legend.push((
            format!("RTO target {}", short_duration(ms)),
            BLUE_OI,
            2,
            Stroke::Dashed,
            None,
        ));
    }
    if let Some(ms) = rpo_target {
        legend.push((
            format!("RPO target {}", short_duration(ms)),
            ORANGE_OI,
            2,
            Stroke::Dotted,
            None,
        ));
    }
    let legend_labels: Vec<&str> = legend.iter().map(|entry| entry.0.as_str()).collect();
    let (_, legend_height) = legend_positions(&legend_labels, width_px);
    let legend_top = plot_bottom + 30;
    PlanChartLayout {
        width_px,
        height_px: (legend_top as u32) + legend_height,
        title,
        plot: (plot_left, plot_top, plot_right, plot_bottom),
        names,
        bars,
        ticks,
        rto_target_x: rto_target.map(x_of),
        rpo_target_x: rpo_target.map(x_of),
        legend_top,
        legend,
    }
}

/// RTO and RPO per strategy for one failure kind, against its targets: per strategy a
/// filled RTO bar and a hollow RPO bar (p95 measured, or the estimate, marked "est."),
/// each labelled in its own row with its value and, when a target is set, "pass" or
/// "FAIL"; a cell that is not survivable or not applicable has no bar and says so. The
/// targets are dashed (RTO) and dotted (RPO) lines. `size` gives the width; the height
/// follows from the content (see [`plan_chart_layout`]).
pub fn rto_rpo_chart_svg(
    plan: &PlanResult,
    targets: &[TargetFile],
    failure: FailureKind,
    size: ChartSize,
) -> Result<String, ChartError> {
    let layout = plan_chart_layout(plan, targets, failure, size.width_px);
    let size = ChartSize::new(layout.width_px, layout.height_px);
    let anchored = |horizontal: plotters::style::text_anchor::HPos,
                    vertical: plotters::style::text_anchor::VPos| {
        text_style(FONT_SIZE_TEXT, INK)
            .pos(plotters::style::text_anchor::Pos::new(horizontal, vertical))
    };
    use plotters::style::text_anchor::{HPos, VPos};
    render(size, &layout.title, |root| {
        let (left, top, right, bottom) = layout.plot;
        root.draw(&Text::new(
            layout.title.clone(),
            (layout.width_px as i32 / 2, PLAN_MARGIN_PX),
            text_style(FONT_SIZE_TITLE, INK).pos(plotters::style::text_anchor::Pos::new(
                HPos::Center,
                VPos::Top,
            )),
        ))?;
        for (x, _, _) in &layout.ticks {
            root.draw(&PathElement::new(vec![(*x, top), (*x, bottom)], GRID))?;
        }
        root.draw(&PathElement::new(
            vec![(left, top), (left, bottom), (right, bottom)],
            MUTED,
        ))?;
        for (x, text, label_box) in &layout.ticks {
            root.draw(&PathElement::new(
                vec![(*x, bottom), (*x, bottom + 4)],
                MUTED,
            ))?;
            root.draw(&Text::new(
                text.clone(),
                (*x, label_box.1),
                anchored(HPos::Center, VPos::Top),
            ))?;
        }
        for (name, name_box) in &layout.names {
            root.draw(&Text::new(
                name.clone(),
                (name_box.0, (name_box.1 + name_box.3) / 2),
                anchored(HPos::Left, VPos::Center),
            ))?;
        }
        for bar in &layout.bars {
            if let Some((x0, y0, x1, y1)) = bar.bar {
                let style = if bar.metric == "RTO" {
                    ShapeStyle::from(&BLUE_OI).filled()
                } else {
                    ShapeStyle::from(&ORANGE_OI).stroke_width(3)
                };
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], style))?;
            }
        }
        // Target lines, dashed (RTO) and dotted (RPO), under the labels.
        for (x, colour, dash, gap) in [
            (layout.rto_target_x, BLUE_OI, 8, 5),
            (layout.rpo_target_x, ORANGE_OI, 2, 4),
        ] {
            let Some(x) = x else { continue };
            let mut y = top;
            while y < bottom {
                root.draw(&PathElement::new(
                    vec![(x, y), (x, (y + dash).min(bottom))],
                    ShapeStyle::from(&colour).stroke_width(2),
                ))?;
                y += dash + gap;
            }
        }
        for bar in &layout.bars {
            let (x0, y0, x1, y1) = bar.label_box;
            // A white ground where a target line would run through the words.
            let crossed = [layout.rto_target_x, layout.rpo_target_x]
                .into_iter()
                .flatten()
                .any(|x| x >= x0 - 2 && x <= x1);
            if crossed {
                root.draw(&Rectangle::new(
                    [(x0 - 2, y0 + 2), (x1, y1 - 2)],
                    ShapeStyle::from(&WHITE).filled(),
                ))?;
            }
            root.draw(&Text::new(
                bar.label.clone(),
                (x0, (y0 + y1) / 2),
                anchored(HPos::Left, VPos::Center),
            ))?;
        }
        let legend_area = root.clone().shrink(
            (0, layout.legend_top as u32),
            (layout.width_px, layout.height_px - layout.legend_top as u32),
        );
        draw_legend(&legend_area, &layout.legend)
    })
}

/// [`rto_rpo_chart_svg`] for every failure kind the plan covers, in plan order.
pub fn rto_rpo_charts_svg(
    plan: &PlanResult,
    targets: &[TargetFile],
    size: ChartSize,
) -> Result<Vec<(FailureKind, String)>, ChartError> {
    let mut failures: Vec<FailureKind> = Vec::new();
    for cell in &plan.cells {
        if !failures.contains(&cell.failure) {
            failures.push(cell.failure);
        }
    }
    failures
        .into_iter()
        .map(|failure| Ok((failure, rto_rpo_chart_svg(plan, targets, failure, size)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::{self, PlanOptions};
    use crate::scenario::{presets, validate};
    use crate::view::series::run_series;

    const SIZE: ChartSize = ChartSize::new(800, 380);
    const HOSTILE: &str = "<img src=x onerror=alert(1)>";

    const TAGS: [&str; 9] = [
        "svg", "title", "rect", "line", "polyline", "polygon", "circle", "text", "path",
    ];
    const ATTRIBUTES: [&str; 23] = [
        "role",
        "aria-label",
        "width",
        "height",
        "viewBox",
        "xmlns",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "points",
        "fill",
        "stroke",
        "stroke-width",
        "opacity",
        "dy",
        "text-anchor",
        "data-plot-area",
    ];
    const TEXT_ATTRIBUTES: [&str; 4] = ["font-family", "font-size", "font-weight", "transform"];

    /// Every tag and attribute is on the allow-list: no `style`, no script, no event
    /// handler, no link; text never holds a raw `<`; fonts are at least 12 px.
    fn assert_safe(svg: &str) {
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\""),
            "{}",
            &svg[..80]
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains("style="), "a style attribute");
        assert!(!svg.to_ascii_lowercase().contains("<script"));
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let close = rest[open..].find('>').expect("every tag closes") + open;
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            let tag = tag.trim_start_matches('/').trim_end_matches('/');
            let mut parts = tag.splitn(2, ' ');
            let name = parts.next().unwrap();
            assert!(TAGS.contains(&name), "tag <{name}>");
            let mut attributes = parts.next().unwrap_or("");
            while let Some(equals) = attributes.find("=\"") {
                let key = attributes[..equals].trim();
                assert!(
                    ATTRIBUTES.contains(&key) || TEXT_ATTRIBUTES.contains(&key),
                    "attribute {key} on <{name}>"
                );
                let value_end = attributes[equals + 2..].find('"').unwrap() + equals + 2;
                let value = &attributes[equals + 2..value_end];
                assert!(!value.contains('<'));
                if key == "font-size" {
                    let size: f64 = value.parse().unwrap();
                    assert!(size >= 12.0, "font-size {size}");
                }
                attributes = &attributes[value_end + 1..];
            }
            assert!(attributes.trim().is_empty(), "unparsed: {attributes}");
        }
    }

    fn seed_fork_with_a_hostile_name() -> RunSeries {
        let mut file = presets::load_file("seed-fork").unwrap();
        let node = &mut file.regions[0].azs[0].nodes[0];
        assert_eq!(node.id, "peer1");
        node.id = HOSTILE.into();
        let scenario = validate(&file).expect("ids may hold any character");
        run_series(&scenario).unwrap()
    }

    #[test]
    fn every_run_chart_renders_its_series_and_is_safe() {
        let series = seed_fork_with_a_hostile_name();
        let charts = [
            (
                height_chart_svg(&series, SIZE).unwrap(),
                vec![
                    "Chain height per node",
                    "peer2",
                    "peer3",
                    "api1",
                    "above 2102400 at the start",
                    "blocks since the start",
                ],
            ),
            (
                fork_depth_chart_svg(&series, SIZE).unwrap(),
                vec!["fork depth", "maxRollbackBlocks 40"],
            ),
            (
                api_availability_chart_svg(&series, SIZE).unwrap(),
                vec![
                    "API nodes able to serve (%)",
                    "entry point serves every client",
                ],
            ),
            (
                transactions_chart_svg(&series, SIZE).unwrap(),
                vec![
                    "confirmed (cumulative)",
                    "lost (rolled back or expired)",
                    "rejected by the entry point",
                ],
            ),
        ];
        for (svg, labels) in &charts {
            assert_safe(svg);
            assert!(svg.contains("width=\"800\" height=\"380\""));
            assert!(svg.contains("<polyline") || svg.contains("<line"));
            for label in labels {
                assert!(svg.contains(label), "missing {label}");
            }
        }
        // The hostile node name is text, escaped, never a tag.
        let heights = &charts[0].0;
        assert!(heights.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!heights.contains("<img"));
        // Deterministic.
        assert_eq!(height_chart_svg(&series, SIZE).unwrap(), *heights);
    }

    #[test]
    fn colours_are_okabe_ito_and_lines_differ_without_colour() {
        let series = seed_fork_with_a_hostile_name();
        let svg = height_chart_svg(&series, SIZE).unwrap();
        for colour in ["#0072B2", "#E69F00", "#009E73"] {
            assert!(
                svg.to_ascii_uppercase().contains(colour),
                "missing {colour}"
            );
        }
        let styles: Vec<(Stroke, Option<Marker>)> = (0..HEIGHT_LINES_MAX + 1)
            .map(|index| {
                let (_, stroke, marker) = style_for(index);
                (stroke, marker)
            })
            .collect();
        for (position, style) in styles.iter().enumerate() {
            assert!(
                !styles[..position].contains(style),
                "line {position} looks like an earlier one without colour"
            );
        }
    }

    #[test]
    fn many_nodes_draw_a_few_lines_and_one_summary() {
        let mut series = seed_fork_with_a_hostile_name();
        let template = series.heights_blocks[0].clone();
        for index in 0..195 {
            series.node_names.push(format!("extra{index}"));
            series.heights_blocks.push(template.clone());
        }
        let svg = height_chart_svg(&series, SIZE).unwrap();
        assert!(svg.contains("lowest of the other"));
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
        assert_safe(&svg);
    }

    #[test]
    fn our_own_additions_are_escaped() {
        assert_eq!(
            escape_xml_attribute(HOSTILE),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        let svg = render(SIZE, "a <b> & \"c\"", |_| Ok(())).unwrap();
        assert!(svg.contains("aria-label=\"a &lt;b&gt; &amp; &quot;c&quot;\""));
        assert!(svg.contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert_safe(&svg);
    }

    #[test]
    fn the_bar_chart_shows_every_strategy_against_the_targets() {
        let mut file = presets::load_file("multi-az").unwrap();
        file.plan.targets = vec![
            TargetFile {
                failure: FailureKind::Az,
                rto_ms: Some(5 * 60_000),
                rpo_ms: Some(60_000),
            },
            TargetFile {
                failure: FailureKind::Region,
                rto_ms: Some(3_600_000),
                rpo_ms: Some(60_000),
            },
        ];
        let options = PlanOptions {
            trials: 1,
            seed: 3,
            strategies: Strategy::ALL.to_vec(),
            failures: vec![FailureKind::Az, FailureKind::Region],
            horizon_override_ms: None,
        };
        let plan = planner::plan(&file, &options).unwrap();
        let charts = rto_rpo_charts_svg(&plan, &file.plan.targets, SIZE).unwrap();
        assert_eq!(charts.len(), 2);
        for (failure, svg) in &charts {
            assert_safe(svg);
            assert!(svg.contains(crate::view::plan_explain::failure_title(failure.as_str())));
            for strategy in Strategy::ALL {
                assert!(svg.contains(strategy.as_str()), "{}", strategy.as_str());
            }
            assert!(svg.contains("RTO target") && svg.contains("RPO target"));
            assert!(svg.contains("RTO (filled)") && svg.contains("RPO (hollow)"));
        }
        // A region loss: single-AZ and multi-AZ lose everything; a restore from backup
        // takes hours (past the 1 h target), so text says which fail.
        let region = &charts[1].1;
        assert!(region.contains("FAIL"));
        assert!(region.contains("RTO: not survivable"));
        let az = &charts[0].1;
        assert!(az.contains("pass"));
        // Long and short values on one readable axis: a tick at 1 min and one at 1 d.
        assert!(region.contains(">\n1m\n</text>") && region.contains(">\n1d\n</text>"));
    }

    /// Every bar and label of the RTO/RPO charts says what the table's cell says (a
    /// value is the cell's p95, "not survivable" and "n/a" stay words with no bar, a
    /// FAIL on the chart is a FAIL in the table), and no two texts overlap.
    #[test]
    fn the_bar_charts_agree_with_the_table_and_no_labels_overlap() {
        let mut file = presets::load_file("multi-az").unwrap();
        file.plan.targets = vec![
            TargetFile {
                failure: FailureKind::Az,
                rto_ms: Some(5 * 60_000),
                rpo_ms: Some(60_000),
            },
            TargetFile {
                failure: FailureKind::RegionLink,
                rto_ms: Some(3_600_000),
                rpo_ms: None,
            },
        ];
        let options = PlanOptions {
            trials: 2,
            seed: 7,
            strategies: Strategy::ALL.to_vec(),
            failures: vec![
                FailureKind::Az,
                FailureKind::Region,
                FailureKind::RegionLink,
            ],
            horizon_override_ms: None,
        };
        let plan = planner::plan(&file, &options).unwrap();
        let mut seen_not_applicable = false;
        let mut seen_not_survivable = false;
        for failure in &options.failures {
            let layout = plan_chart_layout(&plan, &file.plan.targets, *failure, 640);
            let svg =
                rto_rpo_chart_svg(&plan, &file.plan.targets, *failure, ChartSize::new(640, 0))
                    .unwrap();
            assert_safe(&svg);
            assert_eq!(layout.bars.len(), 2 * Strategy::ALL.len());
            for bar in &layout.bars {
                let cell = plan
                    .cells
                    .iter()
                    .find(|cell| cell.strategy == bar.strategy && cell.failure == *failure)
                    .unwrap();
                let (rto_text, rpo_text, verdict) =
                    crate::report::cell_texts(cell, " | ", "not survivable", "n/a");
                let (table_text, measured) = if bar.metric == "RTO" {
                    (rto_text, cell.rto)
                } else {
                    (rpo_text, cell.rpo)
                };
                let context = format!(
                    "{} {failure:?} {}: {} vs {table_text}",
                    bar.strategy.as_str(),
                    bar.metric,
                    bar.label
                );
                if !cell.estimate.applicable {
                    seen_not_applicable = true;
                    assert!(table_text.starts_with("n/a"), "{context}");
                    assert!(bar.label.contains("n/a") && bar.bar.is_none(), "{context}");
                } else if !cell.survivable {
                    seen_not_survivable = true;
                    assert!(
                        bar.label.contains("not survivable") && bar.bar.is_none(),
                        "{context}"
                    );
                    if bar.metric == "RTO" {
                        assert_eq!(table_text, "not survivable", "{context}");
                    }
                } else {
                    let p95 = measured
                        .expect("a survivable, applicable cell is measured")
                        .p95;
                    assert_eq!(bar.value, BarValue::Measured(p95), "{context}");
                    assert!(
                        table_text.ends_with(&format!(
                            "/ {}",
                            crate::scenario::duration::describe_duration(p95)
                        )),
                        "{context}"
                    );
                    assert!(
                        bar.label.contains(&format!("p95 {}", bar_duration(p95))),
                        "{context}"
                    );
                    assert!(bar.bar.is_some(), "{context}");
                }
                let cell_bars: Vec<&PlanBar> = layout
                    .bars
                    .iter()
                    .filter(|other| other.strategy == bar.strategy)
                    .collect();
                let any_fail = cell_bars.iter().any(|other| other.verdict == Some("FAIL"));
                match verdict {
                    "FAIL" => assert!(any_fail, "{context}"),
                    "pass" => assert!(!any_fail, "{context}"),
                    _ => assert!(
                        cell_bars.iter().all(|other| other.verdict.is_none()),
                        "{context}"
                    ),
                }
                assert!(svg.contains(&bar.label.replace('<', "&lt;")), "{context}");
            }
            // Longer values give longer bars.
            let mut measured: Vec<(u64, i32)> = layout
                .bars
                .iter()
                .filter_map(|bar| Some((bar.value.ms()?, bar.bar?.2)))
                .collect();
            crate::sort::sort(&mut measured);
            assert!(
                measured.windows(2).all(|pair| pair[0].1 <= pair[1].1),
                "{measured:?}"
            );
            let title_width = estimate_text_width_px(&layout.title, FONT_SIZE_TITLE) as i32;
            assert!(
                title_width <= layout.width_px as i32 - 2 * PLAN_MARGIN_PX,
                "{}",
                layout.title
            );
            let mut boxes: Vec<(String, PixelBox)> = layout.names.clone();
            boxes.extend(
                layout
                    .bars
                    .iter()
                    .map(|bar| (bar.label.clone(), bar.label_box)),
            );
            boxes.extend(
                layout
                    .ticks
                    .iter()
                    .map(|(_, text, label_box)| (text.clone(), *label_box)),
            );
            for (index, (text, label_box)) in boxes.iter().enumerate() {
                assert!(
                    label_box.0 >= 0 && label_box.2 <= layout.width_px as i32,
                    "{text} {label_box:?}"
                );
                assert!(label_box.3 <= layout.legend_top, "{text} {label_box:?}");
                for (other, other_box) in &boxes[index + 1..] {
                    assert!(
                        !boxes_overlap(*label_box, *other_box),
                        "{text} {label_box:?} overlaps {other} {other_box:?}"
                    );
                }
            }
        }
        assert!(seen_not_applicable && seen_not_survivable);
    }

    #[test]
    fn short_durations_read_at_a_glance() {
        assert_eq!(short_duration(0), "0s");
        assert_eq!(short_duration(45_000), "45s");
        assert_eq!(short_duration(60_000), "1m");
        assert_eq!(short_duration(147_000), "2m 27s");
        assert_eq!(
            short_duration(23 * 3_600_000 + 22 * 60_000 + 40_000),
            "23h 22m"
        );
        assert_eq!(short_duration(7 * 86_400_000), "7d");
    }

    #[test]
    fn the_log_axis_puts_a_minute_and_a_day_far_apart_and_zero_on_the_floor() {
        assert_eq!(log_seconds(0), 0.0);
        assert_eq!(log_seconds(999), 0.0);
        let minute = log_seconds(60_000);
        let day = log_seconds(23 * 3_600_000);
        assert!(minute > 1.7 && minute < 1.8);
        assert!(day - minute > 3.0, "both read on one axis");
    }
}

#[cfg(test)]
mod plot_area_tests {
    use super::*;
    use crate::scenario::{presets, validate};

    #[test]
    fn time_charts_declare_their_plot_area() {
        let scenario = validate(&presets::load_file("seed-fork").unwrap()).unwrap();
        let series = crate::view::series::run_series(&scenario).unwrap();
        let size = ChartSize::new(640, 240);
        for svg in [
            height_chart_svg(&series, size).unwrap(),
            fork_depth_chart_svg(&series, size).unwrap(),
            api_availability_chart_svg(&series, size).unwrap(),
            transactions_chart_svg(&series, size).unwrap(),
        ] {
            let (left, top, right, bottom) = plot_area_px(&svg).expect("a plot area");
            assert!(
                0.0 < left && left < right && right <= 640.0,
                "{left} {right}"
            );
            assert!(
                0.0 <= top && top < bottom && bottom <= 240.0,
                "{top} {bottom}"
            );
        }
        assert_eq!(plot_area_px("<svg width=\"1\">"), None);
    }
}
