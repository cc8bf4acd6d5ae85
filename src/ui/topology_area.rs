//! The topology area: the scenario's name, the time scrubber, the canvas, the fork view,
//! the pictures' exports and the run's charts, and the event log.

use std::rc::Rc;

use yew::prelude::*;

use crate::scenario::{self, Scenario, ScenarioFile};

use super::pictures::{export_buttons, shared_picture, svg_picture, PictureSource};
use super::replay_client::ReplayHandle;
use super::ByPointer;

/// What the topology area shows besides the canvas.
pub(super) struct TopologyParts {
    pub canvas: Html,
    pub pictures: Html,
    /// While playing, the log is not read out line by line (it would flood a screen
    /// reader ten times a second); pausing reads the latest lines.
    pub playing: bool,
    /// The embed's fixed layout: a short fork-view caption (the long one would take
    /// three lines of its narrow column).
    pub compact: bool,
}

pub(super) fn topology_view(
    scenario: Option<&Scenario>,
    replay: &ReplayHandle,
    view_time_ms: u64,
    on_scrub: Callback<InputEvent>,
    parts: TopologyParts,
) -> Html {
    let TopologyParts {
        canvas,
        pictures,
        playing,
        compact,
    } = parts;
    let Some(scenario) = scenario else {
        return html! {
            <p class="empty-state">
                { "No deployment yet. Pick a preset above, or import a scenario file (or drop it on the page), to load regions, availability zones and nodes." }
            </p>
        };
    };
    // A frame made for an earlier version of the scenario is not drawn over this one.
    let frame = replay.frame.as_deref().filter(|frame| {
        frame.network.nodes.len() == scenario.nodes.len()
            && frame
                .network
                .region_links
                .iter()
                .all(|link| link.to < scenario.regions.len())
    });
    let network = frame.map(|frame| &frame.network);
    let step_s = (scenario.duration_ms / 1_000 / 720).max(1);
    // Tests (and curious users) can see which moment the canvas is showing.
    let frame_at = frame
        .map(|frame| frame.at_ms.to_string())
        .unwrap_or_default();
    html! {
        <div class="topology" data-frame-at-ms={frame_at}>
            <p class="scenario-name">{ &scenario.name }</p>
            <div class="scrubber">
                <label>
                    { "Time " }
                    <input type="range" class="time-scrubber" min="0" max={(scenario.duration_ms / 1_000).to_string()}
                        step={step_s.to_string()} value={(view_time_ms / 1_000).to_string()} oninput={on_scrub}
                        aria-valuetext={scenario::duration::describe_duration(view_time_ms)} />
                </label>
                <span class="time-label">
                    { format!("{} of {}", scenario::duration::describe_duration(view_time_ms), scenario::duration::describe_duration(scenario.duration_ms)) }
                    if let Some(network) = network {
                        { format!(" · best height {}", network.best_height) }
                    }
                </span>
            </div>
            { canvas }
            // Always there, so the event log's live region is never re-created.
            <FramePanels frame={replay.frame.clone().filter(|_| frame.is_some())} {playing} {compact} />
            { pictures }
        </div>
    }
}

const LOG_LINES_SHOWN: usize = 12;

/// While playing, the fork view and the event log show a newer frame at most this
/// often (the canvas shows every frame). At 1,000× a frame arrives about every 20 ms
/// and the fork view's SVG, parsed anew as markup, and the log's lines were rebuilt
/// and laid out on each (issue 13's 200-node frame rate); at this rate they still
/// move on several times a second. Paused, scrubbed or stepped, they show the frame
/// at once.
const FRAME_PANELS_REFRESH_MS: f64 = 200.0;

#[derive(Properties, PartialEq)]
struct FramePanelsProps {
    /// `None` before the first frame of this scenario: the log is empty, no fork view.
    frame: Option<Rc<crate::view::replay::Frame>>,
    playing: bool,
    compact: bool,
}

type ShownFrame = Option<Rc<crate::view::replay::Frame>>;

fn same_frame(one: &ShownFrame, other: &ShownFrame) -> bool {
    match (one, other) {
        (Some(one), Some(other)) => Rc::ptr_eq(one, other),
        (None, None) => true,
        _ => false,
    }
}

/// The fork view and the event log of a frame, refreshed at most every
/// `FRAME_PANELS_REFRESH_MS` while playing.
///
/// Invariant: a frame held back is shown within `FRAME_PANELS_REFRESH_MS` (a timer
/// marks it due and re-renders when no newer frame comes), and when not playing the
/// newest frame is shown on this render.
#[function_component(FramePanels)]
fn frame_panels(props: &FramePanelsProps) -> Html {
    let shown = use_mut_ref(|| None::<(ShownFrame, f64)>);
    let catch_up = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    // Set by the timer: the held frame is due, whatever the clock says now.
    let due = use_memo((), |_| std::cell::Cell::new(false));
    let update = use_force_update();
    let now_ms = super::replay_client::now_ms();
    let frame = {
        let mut shown = shown.borrow_mut();
        match &*shown {
            Some((held, shown_at_ms))
                if props.playing
                    && !due.get()
                    && now_ms - shown_at_ms < FRAME_PANELS_REFRESH_MS =>
            {
                if !same_frame(held, &props.frame) && catch_up.borrow().is_none() {
                    let wait_ms = (FRAME_PANELS_REFRESH_MS - (now_ms - shown_at_ms)).ceil();
                    let due = due.clone();
                    *catch_up.borrow_mut() = Some(gloo::timers::callback::Timeout::new(
                        wait_ms as u32,
                        move || {
                            due.set(true);
                            update.force_update();
                        },
                    ));
                }
                held.clone()
            }
            _ => {
                *shown = Some((props.frame.clone(), now_ms));
                due.set(false);
                catch_up.borrow_mut().take();
                props.frame.clone()
            }
        }
    };
    let empty_log = Vec::new();
    let log = frame.as_ref().map_or(&empty_log, |frame| &frame.log_tail);
    html! {
        <>
            // The same three places whether or not there is a frame, so the log (a
            // live region) keeps its element.
            if let Some(frame) = &frame {
                <figure class="fork-view" aria-label="Fork view">
                    <figcaption>{ if props.compact {
                        "Fork view: top row is the best chain; ↩ rolled back, ✓ finalized"
                    } else {
                        "Fork view: recent blocks by height; the top row is the best chain. ▲ marks the nodes at a tip, ✓ finalized, ↩ rolled back; the dashed line is the maxRollbackBlocks cliff."
                    } }</figcaption>
                    { svg_picture(&frame.fork_svg, "fork-picture") }
                    if frame.fork_notes.is_empty() {
                        <p class="fork-notes-empty">{ "Every node is on the best chain." }</p>
                    } else {
                        <ul class="fork-notes">{ for frame.fork_notes.iter().map(|note| html! { <li>{ note }</li> }) }</ul>
                    }
                </figure>
            }
            <h3 class="log-title">{ "Event log" }</h3>
            <ol class="event-log" aria-live={if props.playing { "off" } else { "polite" }} aria-label="Event log">
                { for log.iter().rev().take(LOG_LINES_SHOWN).rev().map(|line| html! { <li>{ line }</li> }) }
            </ol>
        </>
    }
}

/// The moment shown, as a line over a whole-run chart (drawn over the chart's own
/// plot area, which the chart declares).
fn now_line(plot_area: Option<(f64, f64, f64, f64)>, at_ms: u64, duration_ms: u64) -> Html {
    let Some((left, top, right, bottom)) = plot_area else {
        return html! {};
    };
    let (width, height) = crate::view::replay::CHART_SIZE_PX;
    let x = left + (right - left) * at_ms.min(duration_ms) as f64 / duration_ms.max(1) as f64;
    html! {
        <svg class="chart-cursor" viewBox={format!("0 0 {width} {height}")} aria-hidden="true">
            <line x1={format!("{x:.1}")} y1={top.to_string()} x2={format!("{x:.1}")} y2={bottom.to_string()} />
        </svg>
    }
}

/// The embed's one chart: chain height per node over the whole run, with the moment
/// shown, in a box of fixed size (the embed never reflows while it plays).
pub(super) fn embed_chart_view(
    scenario: Option<&Scenario>,
    replay: &ReplayHandle,
    at_ms: u64,
) -> Html {
    let Some(scenario) = scenario else {
        return html! {};
    };
    let height = replay.charts.as_ref().and_then(|charts| {
        let index = charts.iter().position(|(name, _)| name == "height")?;
        Some(ChartProps {
            charts: ByPointer(Rc::clone(charts)),
            index,
        })
    });
    html! {
        <figure class="chart chart-height embed-chart">
            <figcaption>{ format!("{} over the whole run", chart_caption("height")) }</figcaption>
            if let Some(chart) = height {
                <ChartStack {chart} {at_ms} duration_ms={scenario.duration_ms} />
            } else if let Some(message) = &replay.charts_error {
                <p class="error charts-error" role="alert">{ format!("The chart could not be drawn: {message}") }</p>
            } else {
                <p class="empty-state charts-pending">{ "Drawing the chart of the whole run…" }</p>
            }
        </figure>
    }
}

/// A whole-run chart's caption by its name (`view::replay::CHART_NAMES`).
fn chart_caption(name: &str) -> &'static str {
    crate::view::replay::CHART_NAMES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, caption)| *caption)
        .unwrap_or("Chart")
}

/// One of the run's charts, by its place in the shared list: compared by identity,
/// so a chart is neither copied, parsed nor compared again while only the moment moves.
#[derive(Properties, PartialEq)]
struct ChartProps {
    charts: ByPointer<Vec<(String, String)>>,
    index: usize,
}

/// A whole-run chart's picture; drawn again only when the charts change.
#[function_component(ChartPicture)]
fn chart_picture(props: &ChartProps) -> Html {
    props
        .charts
        .0
        .get(props.index)
        .map(|(_, svg)| svg_picture(svg, "chart-picture"))
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
struct ChartStackProps {
    chart: ChartProps,
    at_ms: u64,
    duration_ms: u64,
}

/// A whole-run chart with the line of the moment shown over it (the chart's plot area
/// is read from its SVG once per chart, not on every frame).
#[function_component(ChartStack)]
fn chart_stack(props: &ChartStackProps) -> Html {
    let ChartProps { charts, index } = &props.chart;
    let plot_area = use_memo((charts.clone(), *index), |(charts, index)| {
        charts
            .0
            .get(*index)
            .and_then(|(_, svg)| crate::view::charts::plot_area_px(svg))
    });
    html! {
        <div class="chart-stack">
            <ChartPicture charts={charts.clone()} index={*index} />
            { now_line(*plot_area, props.at_ms, props.duration_ms) }
        </div>
    }
}

/// The diagram's and the charts' exports, and the charts of the whole run.
pub(super) fn pictures_view(
    file: Option<&Rc<ScenarioFile>>,
    scenario: Option<&Rc<Scenario>>,
    replay: &ReplayHandle,
    at_ms: u64,
    on_error: Callback<String>,
) -> Html {
    let (Some(file), Some(scenario)) = (file, scenario) else {
        return html! {};
    };
    let frame = replay
        .frame
        .clone()
        .filter(|frame| frame.network.nodes.len() == scenario.nodes.len());
    // The diagram is drawn only when it is exported. It holds the shared scenario and
    // frame, not copies (a render makes no copy of either).
    let diagram: PictureSource = {
        let scenario = Rc::clone(scenario);
        let frame = frame.clone();
        Rc::new(move || {
            let at_ms = frame.as_ref().map(|frame| frame.at_ms).unwrap_or(0);
            crate::export::diagram_svg(
                &scenario,
                &crate::view::layout(&scenario),
                frame.as_ref().map(|frame| &frame.network),
                &format!(
                    "{} at {}",
                    scenario.name,
                    scenario::duration::describe_duration(at_ms)
                ),
            )
        })
    };
    let fork = frame.map(|frame| shared_picture(frame, |frame| &frame.fork_svg));
    html! {
        <div class="pictures">
            <p class="picture-row">
                <span>{ "Diagram:" }</span>{ export_buttons(file, "diagram", "the topology diagram", diagram, on_error.clone()) }
                if let Some(fork) = fork {
                    <span>{ "Fork view:" }</span>{ export_buttons(file, "fork-view", "the fork view", fork, on_error.clone()) }
                }
            </p>
            if let Some(charts) = &replay.charts {
                // While the changed scenario's charts are drawn, the old ones stay, faded
                // (so the page does not jump).
                <div class={classes!("charts", replay.charts_updating.then_some("stale"))}
                    aria-busy={replay.charts_updating.to_string()}>
                    { for charts.iter().enumerate().map(|(index, (name, _))| {
                        let caption = chart_caption(name);
                        let source = shared_picture(Rc::clone(charts), move |charts| &charts[index].1);
                        let chart = ChartProps { charts: ByPointer(Rc::clone(charts)), index };
                        html! {
                            <figure class={format!("chart chart-{name}")}>
                                <figcaption>{ format!("{caption} over the whole run ") }
                                    { export_buttons(file, name, caption, source, on_error.clone()) }
                                </figcaption>
                                <ChartStack {chart} {at_ms} duration_ms={scenario.duration_ms} />
                            </figure>
                        }
                    }) }
                </div>
            } else if let Some(message) = &replay.charts_error {
                <p class="error charts-error" role="alert">{ format!("The charts could not be drawn: {message}") }</p>
            } else {
                <p class="empty-state charts-pending">{ "Drawing the charts of the whole run…" }</p>
            }
        </div>
    }
}

/// Whether the user asked the system for less motion (blocks then simply appear).
pub(super) fn prefers_reduced_motion() -> bool {
    gloo::utils::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}
