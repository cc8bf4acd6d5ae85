//! The fault timeline: a Gantt row per target (node, AZ, region, link or group), a bar
//! per fault. Drag a bar to move it, drag its ends to resize it, or focus it and use
//! the arrow keys (Shift+arrows resize the end), Delete removes it. A click on the
//! time axis seeks there. A line marks the moment the canvas shows. A row of event
//! markers (faults starting and ending, targets marked unhealthy, rollbacks,
//! finalization stalls: [`crate::view::markers`]) sits under the axis; a click on one
//! goes there.
//!
//! Invariants: the timeline never changes the scenario itself; a finished drag emits
//! one [`Edit`] (validated and undoable like every edit), and while dragging only a
//! preview moves.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::edit::Edit;
use crate::scenario::duration::describe_duration;
use crate::scenario::file::ScenarioFile;
use crate::view::markers::Marker;
use crate::view::timeline::{dragged_span, edit_for, row_label, step_ms, Grip};

/// Timeline units across (about one screen pixel each on a 1280-pixel window; the
/// stylesheet sets the time slider over the plot, from `LABEL_WIDTH` to
/// `WIDTH - PLOT_MARGIN_RIGHT`).
const WIDTH: f64 = 1200.0;
const LABEL_WIDTH: f64 = 170.0;
const PLOT_MARGIN_RIGHT: f64 = 10.0;
const MARKER_ROW_HEIGHT: f64 = 18.0;
const ROW_HEIGHT: f64 = 26.0;
const AXIS_HEIGHT: f64 = 22.0;
const HANDLE_WIDTH: f64 = 7.0;

#[derive(Properties, PartialEq)]
pub struct FaultTimelineProps {
    pub file: Rc<ScenarioFile>,
    pub at_ms: u64,
    pub on_edit: Callback<Edit>,
    pub on_seek: Callback<u64>,
    /// The run's event markers (none until the replay worker has found them).
    #[prop_or_default]
    pub markers: Rc<Vec<Marker>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    index: usize,
    grip: Grip,
    start_x: f64,
    now_x: f64,
    /// Screen pixels per timeline unit.
    scale: f64,
}

#[function_component(FaultTimeline)]
pub fn fault_timeline(props: &FaultTimelineProps) -> Html {
    let drag = use_state(|| None::<Drag>);
    let svg_ref = use_node_ref();
    let file = &props.file;
    let duration_ms = file.duration_ms.max(1);
    let plot_width = WIDTH - LABEL_WIDTH - PLOT_MARGIN_RIGHT;
    // The fault rows start under the axis and the marker row.
    let rows_top = AXIS_HEIGHT + MARKER_ROW_HEIGHT;
    let x_of = |at_ms: u64| LABEL_WIDTH + at_ms as f64 / duration_ms as f64 * plot_width;
    let mut rows: BTreeMap<String, usize> = BTreeMap::new();
    for fault in &file.faults {
        let next = rows.len();
        rows.entry(row_label(&fault.action)).or_insert(next);
    }
    // Rows in order of first appearance.
    let mut row_names: Vec<(String, usize)> = rows
        .iter()
        .map(|(name, row)| (name.clone(), *row))
        .collect();
    crate::sort::sort_by_key(&mut row_names, |(_, row)| *row);
    let height = rows_top + ROW_HEIGHT * row_names.len().max(1) as f64 + 6.0;
    let ticks = 6u64;

    let scale_now = {
        let svg_ref = svg_ref.clone();
        move || {
            svg_ref
                .cast::<web_sys::Element>()
                .map(|svg| svg.get_bounding_client_rect().width().max(1.0) / WIDTH)
                .unwrap_or(1.0)
        }
    };
    let on_move = {
        let drag = drag.clone();
        Callback::from(move |event: PointerEvent| {
            if let Some(current) = *drag {
                drag.set(Some(Drag {
                    now_x: f64::from(event.client_x()),
                    ..current
                }));
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        let on_edit = props.on_edit.clone();
        let file = file.clone();
        Callback::from(move |event: PointerEvent| {
            if let Some(current) = *drag {
                // Where the pointer is released counts, whether or not every move
                // before it was seen.
                let end_x = f64::from(event.client_x());
                if let Some(fault) = file.faults.get(current.index) {
                    let delta_ms = ((end_x - current.start_x) / current.scale / plot_width
                        * duration_ms as f64) as i64;
                    let span = dragged_span(fault, current.grip, delta_ms, duration_ms);
                    if let Some(edit) =
                        edit_for(fault, current.index, current.grip, span, duration_ms)
                    {
                        on_edit.emit(edit);
                    }
                }
                drag.set(None);
            }
        })
    };
    let on_cancel = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| drag.set(None))
    };
    let on_axis_click = {
        let on_seek = props.on_seek.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                let bounds = svg.get_bounding_client_rect();
                let x =
                    (f64::from(event.client_x()) - bounds.left()) / bounds.width().max(1.0) * WIDTH;
                let fraction = ((x - LABEL_WIDTH) / plot_width).clamp(0.0, 1.0);
                on_seek.emit((fraction * duration_ms as f64) as u64);
            }
        })
    };

    let bars = file.faults.iter().enumerate().map(|(index, fault)| {
        let row = rows[&row_label(&fault.action)];
        let y = rows_top + row as f64 * ROW_HEIGHT + 3.0;
        let (at, until) = match *drag {
            Some(current) if current.index == index => {
                let delta_ms = ((current.now_x - current.start_x) / current.scale / plot_width * duration_ms as f64) as i64;
                dragged_span(fault, current.grip, delta_ms, duration_ms)
            }
            _ => (fault.at_ms, fault.until_ms.unwrap_or(duration_ms)),
        };
        let (x1, x2) = (x_of(at), x_of(until).max(x_of(at) + 3.0));
        let kind = fault.action.kind();
        let label = format!("{} {} from {} to {}", kind.replace('_', " "), row_label(&fault.action), describe_duration(at),
            fault.until_ms.map(|_| describe_duration(until)).unwrap_or_else(|| "the end".into()));
        let press = |grip: Grip| {
            let drag = drag.clone();
            let scale_now = scale_now.clone();
            Callback::from(move |event: PointerEvent| {
                if event.button() != 0 {
                    return;
                }
                event.stop_propagation();
                event.prevent_default();
                // The drag follows the pointer even outside the timeline.
                if let Some(target) = event.target_dyn_into::<web_sys::Element>() {
                    let _ = target.set_pointer_capture(event.pointer_id());
                }
                let x = f64::from(event.client_x());
                drag.set(Some(Drag { index, grip, start_x: x, now_x: x, scale: scale_now() }));
            })
        };
        let on_key = {
            let on_edit = props.on_edit.clone();
            let fault = fault.clone();
            Callback::from(move |event: KeyboardEvent| {
                let step = step_ms(duration_ms) as i64;
                let edit = match event.key().as_str() {
                    "Delete" | "Backspace" => Some(Edit::RemoveFault(index)),
                    "ArrowLeft" | "ArrowRight" => {
                        let delta = if event.key() == "ArrowLeft" { -step } else { step };
                        let grip = if event.shift_key() { Grip::End } else { Grip::Body };
                        let span = dragged_span(&fault, grip, delta, duration_ms);
                        edit_for(&fault, index, grip, span, duration_ms)
                    }
                    _ => return,
                };
                event.prevent_default();
                event.stop_propagation();
                if let Some(edit) = edit {
                    on_edit.emit(edit);
                }
            })
        };
        html! {
            <g class={classes!("fault-bar", format!("fault-{kind}"), drag.is_some_and(|current| current.index == index).then_some("dragging"))}
                tabindex="0" role="button" aria-label={format!("{label}. Arrow keys move it, Shift+arrows change its end, Delete removes it.")}
                onkeydown={on_key}>
                <title>{ label.clone() }</title>
                <rect class="fault-body" x={x1.to_string()} y={y.to_string()} width={(x2 - x1).to_string()} height={(ROW_HEIGHT - 6.0).to_string()} rx="3"
                    onpointerdown={press(Grip::Body)} />
                <text class="fault-kind" x={(x1 + HANDLE_WIDTH + 2.0).to_string()} y={(y + 14.0).to_string()}>{ kind.replace('_', " ") }</text>
                <rect class="fault-grip" x={x1.to_string()} y={y.to_string()} width={HANDLE_WIDTH.to_string()} height={(ROW_HEIGHT - 6.0).to_string()}
                    onpointerdown={press(Grip::Start)} />
                <rect class="fault-grip" x={(x2 - HANDLE_WIDTH).to_string()} y={y.to_string()} width={HANDLE_WIDTH.to_string()} height={(ROW_HEIGHT - 6.0).to_string()}
                    onpointerdown={press(Grip::End)} />
            </g>
        }
    });

    html! {
        <figure class="fault-timeline">
            <figcaption>{ "Fault timeline: drag a bar to move it, its ends to resize it; click the time axis to go there" }</figcaption>
            if file.faults.is_empty() {
                <p class="empty-state">{ "No faults yet: right-click a node, AZ, region or link on the canvas (or focus it and press Enter) to break it." }</p>
            }
            <svg ref={svg_ref} class="timeline-chart" viewBox={format!("0 0 {WIDTH} {height}")} width={WIDTH.to_string()} height={height.to_string()}
                role="group" aria-label="Fault timeline" onpointermove={on_move} onpointerup={on_up} onpointercancel={on_cancel}>
                <rect class="timeline-axis" x={LABEL_WIDTH.to_string()} y="0" width={plot_width.to_string()} height={AXIS_HEIGHT.to_string()} onclick={on_axis_click} />
                { for (0..=ticks).map(|tick| {
                    let at = duration_ms * tick / ticks;
                    let x = x_of(at);
                    html! {
                        <>
                            <line class="timeline-tick" x1={x.to_string()} y1={AXIS_HEIGHT.to_string()} x2={x.to_string()} y2={height.to_string()} />
                            <text class="timeline-tick-label" x={x.to_string()} y="15" text-anchor={if tick == 0 { "start" } else if tick == ticks { "end" } else { "middle" }}>{ crate::view::charts::short_duration(at) }</text>
                        </>
                    }
                }) }
                { for row_names.iter().map(|(name, row)| {
                    let y = rows_top + *row as f64 * ROW_HEIGHT;
                    let short: String = if name.chars().count() > 26 { format!("{}…", name.chars().take(25).collect::<String>()) } else { name.clone() };
                    html! {
                        <>
                            <line class="timeline-row" x1="0" y1={(y + ROW_HEIGHT).to_string()} x2={WIDTH.to_string()} y2={(y + ROW_HEIGHT).to_string()} />
                            <text class="timeline-row-label" x="4" y={(y + 17.0).to_string()}><title>{ name.clone() }</title>{ short }</text>
                        </>
                    }
                }) }
                <text class="timeline-row-label marker-row-label" x="4" y={(AXIS_HEIGHT + 13.0).to_string()}>{ "events" }</text>
                <MarkerRow markers={props.markers.clone()} duration_ms={duration_ms} height_px={height} on_seek={props.on_seek.clone()} />
                { for bars }
                <line class="timeline-now" x1={x_of(props.at_ms.min(duration_ms)).to_string()} y1="0" x2={x_of(props.at_ms.min(duration_ms)).to_string()} y2={height.to_string()} />
            </svg>
        </figure>
    }
}

#[derive(Properties)]
struct MarkerRowProps {
    markers: Rc<Vec<Marker>>,
    duration_ms: u64,
    height_px: f64,
    on_seek: Callback<u64>,
}

/// Equal when the same marker list (by pointer: the replay worker sends a new one per
/// run) is drawn on the same axis, whatever `on_seek`: every render's callback sends
/// the same `Seek` through the shell's dispatcher. So the markers are not rebuilt and
/// diffed on every frame while the moment moves (about 3 % of the page's time at
/// 200 nodes in a Chromium profile).
impl PartialEq for MarkerRowProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.markers, &other.markers)
            && self.duration_ms == other.duration_ms
            && self.height_px == other.height_px
    }
}

/// The run's event markers: a dashed line at each moment and its symbol in the marker
/// row; a click goes there.
#[function_component(MarkerRow)]
fn marker_row(props: &MarkerRowProps) -> Html {
    let duration_ms = props.duration_ms.max(1);
    let plot_width = WIDTH - LABEL_WIDTH - PLOT_MARGIN_RIGHT;
    let x_of = |at_ms: u64| LABEL_WIDTH + at_ms as f64 / duration_ms as f64 * plot_width;
    let marker_xs: Vec<f64> = props
        .markers
        .iter()
        .map(|marker| x_of(marker.at_ms.min(duration_ms)))
        .collect();
    let height = props.height_px;
    html! {
        <g class="timeline-markers">
            { for props.markers.iter().zip(marker_xs.iter().zip(symbol_xs(&marker_xs))).map(|(marker, (&x, symbol_x))| {
                let on_seek = props.on_seek.clone();
                let at_ms = marker.at_ms;
                let title = format!("{}: {}", describe_duration(marker.at_ms), marker.label);
                html! {
                    <g class={format!("timeline-marker marker-{}", marker.kind.as_str())} data-at-ms={marker.at_ms.to_string()}
                        onclick={Callback::from(move |_: MouseEvent| on_seek.emit(at_ms))}>
                        <title>{ title }</title>
                        <line class="marker-line" x1={x.to_string()} y1={AXIS_HEIGHT.to_string()} x2={x.to_string()} y2={height.to_string()} />
                        <text class="marker-symbol" x={symbol_x.to_string()} y={(AXIS_HEIGHT + 13.0).to_string()} text-anchor="middle">{ marker.kind.symbol() }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// Where each marker's symbol goes: at its moment, or just right of the symbol before
/// it when they would overlap (the dashed line still marks the exact moment).
fn symbol_xs(marker_xs: &[f64]) -> Vec<f64> {
    const SYMBOL_SPACING: f64 = 11.0;
    let mut placed: Vec<f64> = Vec::with_capacity(marker_xs.len());
    for &x in marker_xs {
        let x = placed
            .last()
            .map_or(x, |&previous| x.max(previous + SYMBOL_SPACING));
        placed.push(x);
    }
    placed
}
