//! The topology canvas: regions, availability zones and nodes drawn the way AWS
//! architecture diagrams draw them, with the load balancer (or DNS failover) and the
//! backup vault, inter-region links with their state, and blocks travelling.
//!
//! Interaction: click selects (Shift/Ctrl/⌘ adds to the selection), dragging selected
//! nodes onto another AZ moves them, dragging the background (or an AZ or region box)
//! draws a marquee that selects the nodes it touches (Shift adds), Alt+drag or the
//! middle button pans, the wheel with Ctrl zooms at the pointer (the point under it
//! stays put), Fit shows the whole drawing, and the zoom buttons or `+` `-` `0` and
//! the arrow keys do the same from the keyboard. Right-click, the menu key, Shift+F10
//! or Enter opens a target's menu; Space selects the focused element; a double-click
//! renames a node, AZ or region in place. The zoom and fit math is pure
//! (`edit::placement`).
//!
//! Invariants: the canvas never edits the scenario itself, it only emits what the user
//! asked for (`on_select`, `on_move_nodes`, `open_menu`); node statuses are drawn
//! only from a frame that fits the scenario; state is told by text and shape, never by
//! colour alone (each node's title and accessible name carry its state at any size).
//!
//! Level of detail: when the nodes are drawn so small (a fitted 200-node network) that
//! a node's detail and height lines would be under 6 px, they are left out and the
//! tools say to zoom in; the size comes from a ResizeObserver, not from measuring the
//! page on each frame. Node titles and accessible names leave out the heights, which
//! change with every block, so a playing frame touches a node only when its state
//! changes.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::edit::placement::{self, Area};
use crate::edit::Target;
use crate::scenario::file::EntryKind;
use crate::scenario::Scenario;
use crate::view::replay::Frame;
use crate::view::{self, diagram, NodeStatus, Rect};

use super::dot_layer::{DotLayer, DotPath};
use super::progressive::{use_drawn_count, use_phase};
use super::replay_client::TravelDot;
use super::ByPointer;

/// Room above the regions for the clients' entry point and the backup vault.
const TOP_BAND: f64 = 76.0;
/// Room between the drawing and the legend.
const LEGEND_GAP: f64 = 8.0;
const ZOOM_STEP: f64 = 1.25;
/// Room kept around the drawing by Fit, in canvas units.
const FIT_MARGIN: f64 = 12.0;
/// A press that moves less than this (screen pixels) is a click, not a drag.
const DRAG_THRESHOLD_PX: f64 = 5.0;

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    /// Compared by identity: the shell replaces it whenever the scenario changes.
    pub scenario: ByPointer<Scenario>,
    pub frame: Option<Rc<Frame>>,
    pub dots: Rc<Vec<TravelDot>>,
    pub reduced_motion: bool,
    pub selection: Vec<Target>,
    /// (what, add to the selection); `None` clears it.
    pub on_select: Callback<Option<(Target, bool)>>,
    /// (nodes, to AZ).
    pub on_move_nodes: Callback<(Vec<String>, String)>,
    pub open_menu: Callback<Target>,
    /// A double-click: rename this in place.
    #[prop_or_default]
    pub on_rename: Callback<Target>,
    /// A marquee: (the nodes it touched, add to the selection).
    #[prop_or_default]
    pub on_select_many: Callback<(Vec<Target>, bool)>,
    /// An embed shows but never edits.
    #[prop_or_default]
    pub read_only: bool,
    /// The width to height ratio of the frame the canvas is shown in, which decides
    /// where the legend goes (`diagram::canvas_legend`).
    #[prop_or(diagram::CANVAS_FRAME_ASPECT)]
    pub frame_aspect: f64,
}

/// A press in progress on the canvas.
#[derive(Clone, Debug, PartialEq)]
enum Press {
    Nodes {
        nodes: Vec<String>,
        clicked: Target,
        additive: bool,
        start: (f64, f64),
        now: (f64, f64),
        moved: bool,
    },
    Pan {
        start: (f64, f64),
        start_pan: (f64, f64),
        moved: bool,
    },
    /// A press on the background or on an AZ or region box: a click selects what was
    /// pressed (nothing: clears), a drag draws a marquee.
    Marquee {
        clicked: Option<Target>,
        additive: bool,
        start: (f64, f64),
        now: (f64, f64),
        moved: bool,
    },
}

/// Zoom and pan, in canvas units.
type Viewport = placement::View;

/// The event the canvas sends the window each time its view pans or zooms.
pub(super) const VIEW_MOVED_EVENT: &str = "canvas-view-moved";

/// Where a pointer is over the shown area: (0,0) its top-left corner, (1,1) its
/// bottom-right.
fn pointer_fraction(svg: &web_sys::Element, x: f64, y: f64) -> (f64, f64) {
    let bounds = svg.get_bounding_client_rect();
    (
        (x - bounds.left()) / bounds.width().max(1.0),
        (y - bounds.top()) / bounds.height().max(1.0),
    )
}

/// Where a pointer event is, in canvas units.
fn canvas_point(
    svg: &web_sys::Element,
    view_box: (f64, f64, f64, f64),
    x: f64,
    y: f64,
) -> (f64, f64) {
    let bounds = svg.get_bounding_client_rect();
    let (left, top, width, height) = view_box;
    (
        left + (x - bounds.left()) / bounds.width().max(1.0) * width,
        top + (y - bounds.top()) / bounds.height().max(1.0) * height,
    )
}

/// Screen pixels per canvas unit.
fn pixels_per_unit(svg: &web_sys::Element, view_width: f64) -> f64 {
    svg.get_bounding_client_rect().width().max(1.0) / view_width.max(1.0)
}

/// Below this many screen pixels per canvas unit a node leaves out its detail and
/// height lines: drawn from 10 px type they would be under 6 px, too small to read,
/// and re-drawing every node's heights on every frame was most of a 200-node frame's
/// cost (issue 13: 9.2–11.9 frames/s before, 12.8–16.2 after, in four alternating
/// pairs of `scripts/frame-bench.mjs` runs). Its name and status line stay (they
/// change only with the state). Every preset at 1280×720 is drawn at 0.79 or more; a
/// fitted 200-node network at about 0.3.
const NODE_DETAIL_PIXELS_PER_UNIT_MIN: f64 = 0.6;

fn contains_point(rect: &Rect, (x, y): (f64, f64)) -> bool {
    x >= rect.x && y >= rect.y && x <= rect.x + rect.width && y <= rect.y + rect.height
}

/// Ids longer than the node box are cut with an ellipsis (the full id is in the tooltip).
const NODE_LABEL_CHARS_MAX: usize = 16;
/// A node's detail line ("snapshot 1 h 20 min old") is cut to fit its box.
const NODE_DETAIL_CHARS_MAX: usize = 24;
/// Nodes (and entry-point lines) drawn per main-thread task when many appear at once
/// (`progressive`): 300 nodes were one task of 250–390 ms; a batch of 32 took 30–50 ms
/// in traces on this 2-core machine, and every preset fits in one batch.
const NODES_PER_TASK: usize = 32;
/// The layers a large drawing adds a task apart after its boxes and first nodes
/// (`progressive::use_phase`), in this order: the entry point's lines, the peer
/// connections, the legend.
const LAYER_ENTRY_POINT: u8 = 1;
const LAYER_PEER_LINKS: u8 = 2;
const LAYER_LEGEND: u8 = 3;

/// What one node shows at the frame drawn.
#[derive(Clone, PartialEq)]
struct NodeShown {
    status: NodeStatus,
    detail: String,
    /// Empty when the level of detail leaves the heights out.
    heights: String,
}

#[derive(Properties, PartialEq)]
struct NodeLayerProps {
    scenario: ByPointer<Scenario>,
    rects: Vec<Rect>,
    states: Vec<NodeShown>,
    details_shown: bool,
    selection: Vec<Target>,
    dragged: Vec<String>,
    drag_offset: (f64, f64),
    read_only: bool,
    open_menu: Callback<Target>,
    on_select: Callback<Option<(Target, bool)>>,
    on_rename: Callback<Target>,
    set_press: UseStateSetter<Option<Press>>,
}

/// The nodes: a component of their own so that Yew builds and compares them only
/// when what they show changes (a state, the layout, the selection, a drag), not on
/// every frame while a run plays (issue 13's 200-node frame rate: building and
/// diffing 200 unchanged node groups was about a quarter of the page's main thread).
#[function_component(NodeLayer)]
fn node_layer(props: &NodeLayerProps) -> Html {
    let scenario = &props.scenario.0;
    let read_only = props.read_only;
    // A scenario at the limits draws its nodes a batch per main-thread task.
    // Only nodes with a shown state are drawn (none before the replay worker's first
    // frame), so batches start with that frame instead of piling up before it.
    let drawable = scenario
        .nodes
        .len()
        .min(props.rects.len())
        .min(props.states.len());
    let drawn = use_drawn_count(drawable, NODES_PER_TASK);
    // Keyed by node id: Yew matches an unkeyed list from its end, so each batch
    // appended would otherwise rewrite every node drawn before it (issue 13).
    html! {
        <g class="node-layer" data-nodes-drawn={drawn.to_string()} data-nodes={scenario.nodes.len().to_string()}>
        { for scenario.nodes.iter().zip(&props.rects).zip(&props.states).take(drawn).map(|((node, &rect), shown)| {
            let status_kind = shown.status;
            let status_name = status_kind.as_str();
            let heights = &shown.heights;
            let detail = &shown.detail;
            let role = node.role.as_str();
            let title = format!("{} ({}{}) {}{}", node.id, role, if node.voting { ", voting" } else { "" }, status_kind.label(), if detail.is_empty() { String::new() } else { format!(" ({detail})") });
            let target = Target::Node(node.id.clone());
            let is_selected = props.selection.contains(&target);
            let is_dragged = props.dragged.contains(&node.id);
            let on_down = {
                let set_press = props.set_press.clone();
                let selection = props.selection.clone();
                let target = target.clone();
                let id = node.id.clone();
                Callback::from(move |event: PointerEvent| {
                    if read_only || event.button() != 0 {
                        return;
                    }
                    event.stop_propagation();
                    let additive = event.shift_key() || event.ctrl_key() || event.meta_key();
                    // Dragging a selected node drags the whole selection.
                    let nodes = if selection.contains(&target) {
                        selection.iter().filter_map(|target| match target {
                            Target::Node(id) => Some(id.clone()),
                            _ => None,
                        }).collect()
                    } else {
                        vec![id.clone()]
                    };
                    capture_pointer(&event);
                    let point = (f64::from(event.client_x()), f64::from(event.client_y()));
                    set_press.set(Some(Press::Nodes { nodes, clicked: target.clone(), additive, start: point, now: point, moved: false }));
                })
            };
            html! {
                <g key={node.id.as_str()} class={classes!("node", format!("role-{}", role.to_lowercase()), format!("status-{status_name}"), is_selected.then_some("selected"), is_dragged.then_some("dragged"))}
                    tabindex="0" role="button" aria-pressed={is_selected.to_string()} aria-label={title.clone()}
                    transform={is_dragged.then(|| format!("translate({:.1} {:.1})", props.drag_offset.0, props.drag_offset.1))}
                    oncontextmenu={menu_opener(&props.open_menu, target.clone(), read_only)}
                    onpointerdown={on_down}
                    ondblclick={renamer(&props.on_rename, target.clone(), read_only)}
                    onkeydown={key_handler(&props.open_menu, &props.on_select, target, read_only)}>
                    <title>{ title }</title>
                    <rect class="node-box" x={rect.x.to_string()} y={rect.y.to_string()} width={rect.width.to_string()} height={rect.height.to_string()}
                        rx={if node.role.has_api() && !node.role.has_peer() { "14" } else { "3" }} />
                    <text class="node-name" x={(rect.x + 8.0).to_string()} y={(rect.y + 17.0).to_string()}>
                        { view::svg::short_label(&node.id, NODE_LABEL_CHARS_MAX) }
                    </text>
                    <text class="node-status" x={(rect.x + 8.0).to_string()} y={(rect.y + 32.0).to_string()}>
                        { diagram::node_status_line(role, node.voting, status_kind, "") }
                    </text>
                    if props.details_shown {
                        <text class="node-detail" x={(rect.x + 8.0).to_string()} y={(rect.y + 47.0).to_string()}>{ view::svg::short_label(detail, NODE_DETAIL_CHARS_MAX) }</text>
                        <text class="node-heights" x={(rect.x + 8.0).to_string()} y={(rect.y + 62.0).to_string()}>{ heights.clone() }</text>
                    }
                </g>
            }
        }) }
        </g>
    }
}

/// Opens the context menu on right-click instead of the browser's own.
fn menu_opener(
    open_menu: &Callback<Target>,
    target: Target,
    read_only: bool,
) -> Callback<MouseEvent> {
    let open_menu = open_menu.clone();
    Callback::from(move |event: MouseEvent| {
        if read_only {
            return;
        }
        event.prevent_default();
        event.stop_propagation();
        open_menu.emit(target.clone());
    })
}

/// Keyboard on a focused element: the menu key, Shift+F10 or Enter opens its menu,
/// Space selects it (Shift/Ctrl adds).
fn key_handler(
    open_menu: &Callback<Target>,
    on_select: &Callback<Option<(Target, bool)>>,
    target: Target,
    read_only: bool,
) -> Callback<KeyboardEvent> {
    let open_menu = open_menu.clone();
    let on_select = on_select.clone();
    Callback::from(move |event: KeyboardEvent| {
        if read_only {
            return;
        }
        let key = event.key();
        if key == "ContextMenu" || key == "Enter" || (key == "F10" && event.shift_key()) {
            event.prevent_default();
            event.stop_propagation();
            open_menu.emit(target.clone());
        } else if key == " " {
            event.prevent_default();
            event.stop_propagation();
            on_select.emit(Some((
                target.clone(),
                event.shift_key() || event.ctrl_key() || event.meta_key(),
            )));
        }
    })
}

/// A press on a region, AZ, the entry point or the vault: selects on release.
fn select_on_click(
    on_select: &Callback<Option<(Target, bool)>>,
    target: Target,
    read_only: bool,
) -> Callback<MouseEvent> {
    let on_select = on_select.clone();
    Callback::from(move |event: MouseEvent| {
        if read_only || event.button() != 0 {
            return;
        }
        event.stop_propagation();
        on_select.emit(Some((
            target.clone(),
            event.shift_key() || event.ctrl_key() || event.meta_key(),
        )));
    })
}

#[derive(Properties, PartialEq)]
struct EntryLayerProps {
    scenario: ByPointer<Scenario>,
    /// The nodes' boxes (where each line ends).
    nodes: Vec<Rect>,
    /// Each resolved target (scenario node index) with its health and traffic now, or
    /// `None` before a frame (drawn plain).
    targets: Vec<(usize, Option<diagram::EntryTargetView>)>,
    entry_rect: Rect,
    label: &'static str,
    detail: String,
}

/// The clients' way in, with a line to each target: coloured by the target's health
/// per the entry point's checks, thick where traffic goes. A component of its own, so
/// a frame that changes no target's health or traffic (most frames) leaves it alone.
#[function_component(EntryLayer)]
fn entry_layer(props: &EntryLayerProps) -> Html {
    let scenario = &props.scenario.0;
    let nodes = &props.nodes;
    let entry_rect = props.entry_rect;
    let node_count = scenario.nodes.len().min(nodes.len());
    let drawn = use_drawn_count(props.targets.len(), NODES_PER_TASK);
    html! {
        <g class="entry-point" aria-label={props.label}>
            // The resolved targets: an empty list in the file means every API or DUAL
            // node, and the box says how many that is.
            { for props.targets.iter().take(drawn).filter(|(index, _)| *index < node_count).map(|&(index, target)| {
                let rect = nodes[index];
                let (x, y) = (rect.x + rect.width / 2.0, rect.y);
                let class = target.as_ref().map(diagram::entry_line_class).unwrap_or("plain");
                let mark = match target {
                    Some(target) if target.healthy => "✓",
                    Some(_) => "✕",
                    None => "",
                };
                let title = match target {
                    Some(target) => format!("{}: {}{}", scenario.nodes[index].id, if target.healthy { "healthy" } else { "unhealthy" }, if target.carries_traffic { ", receives traffic" } else { ", no traffic" }),
                    None => scenario.nodes[index].id.clone(),
                };
                html! {
                    // Keyed, so a batch appended leaves the lines drawn before alone.
                    <g key={index} class={classes!("entry-target", class)} data-node={scenario.nodes[index].id.clone()}>
                        <title>{ title }</title>
                        <line class={classes!("entry-line", class)} x1={(entry_rect.x + entry_rect.width / 2.0).to_string()} y1={(entry_rect.y + entry_rect.height).to_string()} x2={x.to_string()} y2={y.to_string()} />
                        if !mark.is_empty() {
                            <text class={classes!("entry-mark", class)} x={(x + 6.0).to_string()} y={(y - 4.0).to_string()}>{ mark }</text>
                        }
                    </g>
                }
            }) }
            <rect class="entry-box" x={entry_rect.x.to_string()} y={entry_rect.y.to_string()} width={entry_rect.width.to_string()} height={entry_rect.height.to_string()} rx="6" />
            <text class="entry-label" x={(entry_rect.x + 10.0).to_string()} y={(entry_rect.y + 17.0).to_string()}>{ props.label }</text>
            <text class="entry-detail" x={(entry_rect.x + 10.0).to_string()} y={(entry_rect.y + 33.0).to_string()}>{ props.detail.clone() }</text>
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct PeerLinkLayerProps {
    nodes: Vec<Rect>,
    azs: Vec<Rect>,
    /// Node to node (a small network), by scenario index.
    peer_links: Vec<(usize, usize)>,
    /// AZ to AZ with the count (a large network), by AZ index.
    zone_links: Vec<(u16, u16, u32)>,
}

/// Peer connections, under the nodes; blocks travel along them. A component of its
/// own, so a frame whose connections did not change leaves them alone.
#[function_component(PeerLinkLayer)]
fn peer_link_layer(props: &PeerLinkLayerProps) -> Html {
    let (nodes, azs) = (&props.nodes, &props.azs);
    html! {
        <g class="peer-links" aria-hidden="true">
            { for props.peer_links.iter().filter(|&&(a, b)| a < nodes.len() && b < nodes.len()).map(|&(a, b)| html! {
                <path class="peer-link" d={diagram::peer_path(&nodes[a], &nodes[b])} />
            }) }
            { for props.zone_links.iter().filter(|(a, b, _)| usize::from(*a) < azs.len() && usize::from(*b) < azs.len()).map(|&(a, b, count)| {
                let (x1, y1) = azs[usize::from(a)].center();
                let (x2, y2) = azs[usize::from(b)].center();
                html! {
                    <g class="peer-zone-link">
                        <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} />
                        <text x={((x1 + x2) / 2.0).to_string()} y={((y1 + y2) / 2.0 - 4.0).to_string()} text-anchor="middle">{ format!("{count} connections") }</text>
                    </g>
                }
            }) }
        </g>
    }
}

#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let scenario = &props.scenario.0;
    let svg_ref = use_node_ref();
    let stack_ref = use_node_ref();
    let viewport = use_state(Viewport::default);
    let press = use_state(|| None::<Press>);
    let show_legend = use_state(|| true);
    // The canvas's on-screen size in CSS pixels (zero until measured), kept by a
    // ResizeObserver so the level of detail follows the size the nodes are drawn at
    // without measuring the page on every frame.
    // `use_state_eq`: the same size again (the observer's first entry repeats the size
    // worked out before the first drawing) is no reason to render again.
    let screen_size_px = use_state_eq(|| (0.0_f64, 0.0_f64));
    {
        // The stack, not the drawing: the drawing is made a render later (below), and
        // the stack is exactly as large once it is.
        let stack_ref = stack_ref.clone();
        let screen_size_px = screen_size_px.clone();
        use_effect_with((), move |_| {
            let observed = stack_ref.cast::<web_sys::Element>().and_then(|stack| {
                let on_resize = wasm_bindgen::closure::Closure::<dyn Fn(js_sys::Array)>::new(
                    move |entries: js_sys::Array| {
                        if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>()
                        {
                            let rect = entry.content_rect();
                            if rect.height() > 0.0 {
                                screen_size_px.set((rect.width(), rect.height()));
                            }
                        }
                    },
                );
                let observer =
                    web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&stack);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _on_resize)) = observed {
                    observer.disconnect();
                }
            }
        });
    }
    // An open context menu follows its target when the view pans or zooms: it listens
    // for this event beside the window's scroll and resize (`context_menu`).
    use_effect_with(*viewport, |_| {
        if let Ok(event) = web_sys::Event::new(VIEW_MOVED_EVENT) {
            let _ = gloo::utils::window().dispatch_event(&event);
        }
    });
    let base = view::layout(scenario);
    // Everything moves down to make room for the entry point and the vault.
    let shift = |rect: &Rect| Rect {
        y: rect.y + TOP_BAND,
        ..*rect
    };
    let regions: Vec<Rect> = base.regions.iter().map(shift).collect();
    let azs: Vec<Rect> = base.azs.iter().map(shift).collect();
    let nodes: Vec<Rect> = base.nodes.iter().map(shift).collect();
    let content_width = base.width.max(620.0);
    let content_height = base.height + TOP_BAND;
    // The legend goes beside the drawing or under it, whichever leaves it larger.
    let (legend, legend_canvas_width, legend_canvas_height) = diagram::canvas_legend(
        content_width,
        content_height,
        TOP_BAND,
        LEGEND_GAP,
        props.frame_aspect,
    );
    let (width, height) = if *show_legend {
        (legend_canvas_width, legend_canvas_height)
    } else {
        (content_width, content_height)
    };
    let view_width = width / viewport.zoom;
    let view_height = height / viewport.zoom;
    let view_box = (viewport.pan_x, viewport.pan_y, view_width, view_height);
    // The svg's size attributes, shared by the drawing and its placeholder.
    let view_box_attribute = format!(
        "{:.1} {:.1} {:.1} {:.1}",
        view_box.0, view_box.1, view_box.2, view_box.3
    );
    let (width_attribute, height_attribute) = (format!("{width:.0}"), format!("{height:.0}"));
    // The drawing's proportions go to the stylesheet (`--canvas-aspect` on the stack,
    // through the CSSOM, which the Content-Security-Policy allows), so a tall drawing is
    // narrowed to keep the timeline strip above the fold while its box keeps the
    // drawing's aspect ratio (the pointer arithmetic above relies on that). An effect
    // runs only after the browser may have laid out what the render made, so the drawing
    // itself waits for the first setting (one empty render): its labels are then laid out
    // once, at their real size, and whether node details fit is known before they are
    // made (issue 13: 300 nodes' labels were laid out at 1475×2630 px, then at 432×770).
    let width_per_height = width / height.max(1.0);
    let aspect = format!("{width_per_height:.3}");
    let aspect_set = use_state(|| false);
    {
        let stack_ref = stack_ref.clone();
        let aspect_set = aspect_set.clone();
        let screen_size_px = screen_size_px.clone();
        use_effect_with(aspect, move |aspect| {
            if let Some(stack) = stack_ref.cast::<web_sys::HtmlElement>() {
                let _ = stack.style().set_property("--canvas-aspect", aspect);
                // Measured once, before the first drawing; the observer above follows.
                if !*aspect_set {
                    let width_px = stack.get_bounding_client_rect().width();
                    if width_px > 0.0 {
                        screen_size_px.set((width_px, width_px / width_per_height.max(0.001)));
                    }
                }
            }
            // Drawn even if the stack cannot be measured: a provisional size beats none.
            if !*aspect_set {
                aspect_set.set(true);
            }
        });
    }
    // A drawing larger than one batch of nodes brings its other layers a main-thread
    // task apart, after its frame and first nodes (`progressive::use_phase`): 300 nodes
    // opened from a link drew the boxes, the first nodes, the entry point's lines, the
    // peer connections and the legend in one task of 70–120 ms with its layout (issue
    // 13: no task over 100 ms). A drawing that fits in one batch (every preset) has
    // them all in its first drawing, as before.
    let layers_shown = use_phase(
        scenario.nodes.len() > NODES_PER_TASK,
        !*aspect_set,
        LAYER_LEGEND,
    );
    let node_details_shown = {
        let (screen_width, screen_height) = *screen_size_px;
        let pixels_per_unit =
            (screen_width / view_width.max(1.0)).min(screen_height / view_height.max(1.0));
        screen_width <= 0.0 || pixels_per_unit >= NODE_DETAIL_PIXELS_PER_UNIT_MIN
    };
    // The boxes Fit must show are the ones drawn below.
    let entry_rect = diagram::entry_rect();
    let vault_rect = diagram::vault_rect(content_width);
    let backup = scenario.file.backup.as_ref();
    // What Fit shows: every box drawn, with a margin.
    let fitted = Area::union(
        regions
            .iter()
            .chain(&azs)
            .chain(&nodes)
            .chain(std::iter::once(&entry_rect))
            .chain(backup.map(|_| &vault_rect))
            .map(Area::from),
    )
    .map(|content| placement::fit_to_content(content, FIT_MARGIN, width, height))
    .unwrap_or_default();
    let zoomed = move |view: Viewport, factor: f64| {
        placement::zoom_at_point(view, factor, 0.5, 0.5, width, height)
    };

    // A frame made for an earlier version of the scenario is not drawn over this one.
    let frame =
        props.frame.as_deref().filter(|frame| {
            frame.network.nodes.len() == scenario.nodes.len()
                && frame.network.region_links.iter().all(|link| {
                    link.to < scenario.regions.len() && link.from < scenario.regions.len()
                })
        });
    let network = frame.map(|frame| &frame.network);
    let selected = |target: &Target| props.selection.contains(target);
    let region_pairs = placement::region_pairs(scenario.regions.len());
    // Each link's badge: between two neighbours, else in the gap by the upper region,
    // never over another badge or a third region (`edit::placement`).
    let badge_centers = placement::link_badge_centers(
        &regions.iter().map(Area::from).collect::<Vec<_>>(),
        &region_pairs,
        diagram::LINK_BADGE_WIDTH,
        diagram::LINK_BADGE_HEIGHT,
        content_width,
    );
    let link_status = |from: usize, to: usize| {
        network
            .and_then(|network| {
                network
                    .region_links
                    .iter()
                    .find(|link| link.from == from && link.to == to)
            })
            .map(|link| link.status.as_str())
            .unwrap_or("healthy")
    };

    // Dragging nodes: where they are now, and the AZ they would land in.
    let (drag_offset, drop_az) = match &*press {
        Some(Press::Nodes {
            start,
            now,
            moved: true,
            ..
        }) => {
            let scale = svg_ref
                .cast::<web_sys::Element>()
                .map(|svg| pixels_per_unit(&svg, view_width))
                .unwrap_or(1.0);
            let offset = ((now.0 - start.0) / scale, (now.1 - start.1) / scale);
            let landing = svg_ref
                .cast::<web_sys::Element>()
                .map(|svg| canvas_point(&svg, view_box, now.0, now.1));
            let az =
                landing.and_then(|point| azs.iter().position(|rect| contains_point(rect, point)));
            (offset, az)
        }
        _ => ((0.0, 0.0), None),
    };
    let dragged: Vec<String> = match &*press {
        Some(Press::Nodes {
            nodes, moved: true, ..
        }) => nodes.clone(),
        _ => Vec::new(),
    };

    let on_pointer_move = {
        let press = press.clone();
        let viewport = viewport.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |event: PointerEvent| {
            let point = (f64::from(event.client_x()), f64::from(event.client_y()));
            match (*press).clone() {
                Some(Press::Nodes {
                    nodes,
                    clicked,
                    additive,
                    start,
                    moved,
                    ..
                }) => {
                    let distance = (point.0 - start.0).hypot(point.1 - start.1);
                    press.set(Some(Press::Nodes {
                        nodes,
                        clicked,
                        additive,
                        start,
                        now: point,
                        moved: moved || distance > DRAG_THRESHOLD_PX,
                    }));
                }
                Some(Press::Marquee {
                    clicked,
                    additive,
                    start,
                    moved,
                    ..
                }) => {
                    let distance = (point.0 - start.0).hypot(point.1 - start.1);
                    press.set(Some(Press::Marquee {
                        clicked,
                        additive,
                        start,
                        now: point,
                        moved: moved || distance > DRAG_THRESHOLD_PX,
                    }));
                }
                Some(Press::Pan {
                    start,
                    start_pan,
                    moved,
                }) => {
                    let distance = (point.0 - start.0).hypot(point.1 - start.1);
                    if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                        let scale = pixels_per_unit(&svg, view_width);
                        viewport.set(Viewport {
                            pan_x: start_pan.0 - (point.0 - start.0) / scale,
                            pan_y: start_pan.1 - (point.1 - start.1) / scale,
                            ..*viewport
                        });
                    }
                    press.set(Some(Press::Pan {
                        start,
                        start_pan,
                        moved: moved || distance > DRAG_THRESHOLD_PX,
                    }));
                }
                None => {}
            }
        })
    };
    let on_pointer_up = {
        let press = press.clone();
        let on_select = props.on_select.clone();
        let on_select_many = props.on_select_many.clone();
        let node_areas: Vec<Area> = nodes.iter().map(Area::from).collect();
        let on_move_nodes = props.on_move_nodes.clone();
        let scenario = scenario.clone();
        let svg_ref = svg_ref.clone();
        let azs = azs.clone();
        Callback::from(move |event: PointerEvent| {
            // Where the pointer is released counts, whether or not every move before
            // it was seen.
            let end = (f64::from(event.client_x()), f64::from(event.client_y()));
            match (*press).clone() {
                Some(Press::Nodes {
                    nodes,
                    clicked,
                    additive,
                    moved,
                    start,
                    ..
                }) => {
                    let moved =
                        moved || (end.0 - start.0).hypot(end.1 - start.1) > DRAG_THRESHOLD_PX;
                    let drop_az = svg_ref.cast::<web_sys::Element>().and_then(|svg| {
                        let point = canvas_point(&svg, view_box, end.0, end.1);
                        azs.iter().position(|rect| contains_point(rect, point))
                    });
                    if !moved {
                        on_select.emit(Some((clicked, additive)));
                    } else if let Some(az) = drop_az {
                        let to_az = scenario.azs[az].id.clone();
                        let moving: Vec<String> = nodes
                            .into_iter()
                            .filter(|id| {
                                scenario
                                    .nodes
                                    .iter()
                                    .find(|node| &node.id == id)
                                    .is_some_and(|node| node.az != az)
                            })
                            .collect();
                        if !moving.is_empty() {
                            on_move_nodes.emit((moving, to_az));
                        }
                    }
                }
                Some(Press::Pan { moved: false, .. }) => on_select.emit(None),
                Some(Press::Marquee {
                    clicked,
                    additive,
                    start,
                    moved,
                    ..
                }) => {
                    let moved =
                        moved || (end.0 - start.0).hypot(end.1 - start.1) > DRAG_THRESHOLD_PX;
                    if !moved {
                        on_select.emit(clicked.map(|target| (target, additive)));
                    } else if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                        let area = placement::marquee(
                            canvas_point(&svg, view_box, start.0, start.1),
                            canvas_point(&svg, view_box, end.0, end.1),
                        );
                        let touched = placement::inside_marquee(area, &node_areas)
                            .into_iter()
                            .map(|index| Target::Node(scenario.nodes[index].id.clone()))
                            .collect();
                        on_select_many.emit((touched, additive));
                    }
                }
                _ => {}
            }
            press.set(None);
        })
    };
    // A cancelled press (the browser took the pointer) changes nothing.
    let on_pointer_cancel = {
        let press = press.clone();
        Callback::from(move |_: PointerEvent| press.set(None))
    };
    // The background: a drag draws a marquee; Alt+drag or the middle button pans.
    let on_background_down = marquee_or_pan(&press, &viewport, None, props.read_only);
    // Ctrl+wheel (and a trackpad's pinch, which the browser sends as one) zooms at
    // the pointer: the point under it stays put.
    let on_wheel = {
        let viewport = viewport.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |event: WheelEvent| {
            if !(event.ctrl_key() || event.meta_key()) {
                return;
            }
            event.prevent_default();
            let factor = if event.delta_y() < 0.0 {
                ZOOM_STEP
            } else {
                1.0 / ZOOM_STEP
            };
            let (fraction_x, fraction_y) = svg_ref
                .cast::<web_sys::Element>()
                .map(|svg| {
                    pointer_fraction(
                        &svg,
                        f64::from(event.client_x()),
                        f64::from(event.client_y()),
                    )
                })
                .unwrap_or((0.5, 0.5));
            viewport.set(placement::zoom_at_point(
                *viewport, factor, fraction_x, fraction_y, width, height,
            ));
        })
    };
    let zoom_by = |factor: f64| {
        let viewport = viewport.clone();
        Callback::from(move |_: MouseEvent| viewport.set(zoomed(*viewport, factor)))
    };
    let fit = {
        let viewport = viewport.clone();
        Callback::from(move |_: MouseEvent| viewport.set(fitted))
    };
    let on_canvas_key = {
        let viewport = viewport.clone();
        Callback::from(move |event: KeyboardEvent| {
            let step = 40.0 / viewport.zoom;
            let next = match event.key().as_str() {
                "+" | "=" => zoomed(*viewport, ZOOM_STEP),
                "-" => zoomed(*viewport, 1.0 / ZOOM_STEP),
                "0" => fitted,
                "ArrowLeft" => Viewport {
                    pan_x: viewport.pan_x - step,
                    ..*viewport
                },
                "ArrowRight" => Viewport {
                    pan_x: viewport.pan_x + step,
                    ..*viewport
                },
                "ArrowUp" => Viewport {
                    pan_y: viewport.pan_y - step,
                    ..*viewport
                },
                "ArrowDown" => Viewport {
                    pan_y: viewport.pan_y + step,
                    ..*viewport
                },
                _ => return,
            };
            event.prevent_default();
            event.stop_propagation();
            viewport.set(next);
        })
    };

    let toggle_legend = {
        let show_legend = show_legend.clone();
        Callback::from(move |_: MouseEvent| show_legend.set(!*show_legend))
    };
    let read_only = props.read_only;
    let dots = if props.reduced_motion || frame.is_none() {
        Vec::new()
    } else {
        dot_paths(&props.dots, &nodes)
    };
    // What each node shows this frame; the node layer is drawn again only when this
    // (or the layout, selection or drag) changes, not on every frame.
    let node_states: Vec<NodeShown> = (0..scenario.nodes.len())
        .map(|index| {
            let status = network.map(|network| &network.nodes[index]);
            NodeShown {
                status: status.map(|view| view.status).unwrap_or(NodeStatus::Up),
                detail: status.map(|view| view.detail.clone()).unwrap_or_default(),
                // Formatted only where drawn.
                heights: status
                    .filter(|_| node_details_shown)
                    .map(|view| {
                        crate::view::heights_label(view, scenario.chain.finalization_enabled)
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let entry = &scenario.file.clients.entry_point;
    let entry_label = match entry.kind {
        EntryKind::LoadBalancer => "Load balancer",
        EntryKind::DnsFailover => "DNS failover",
        EntryKind::Direct => "Clients (direct)",
        EntryKind::LatencyRouting => "Latency routing",
    };
    let backup = scenario.backup.as_ref();
    // The entry point's targets now: from the frame (health and traffic), or before a
    // frame the scenario's targets, drawn plain.
    let entry_targets: Vec<(usize, Option<diagram::EntryTargetView>)> = match network {
        Some(network) if network.entry.len() == scenario.clients.targets.len() => network
            .entry
            .iter()
            .map(|target| (target.node, Some(*target)))
            .collect(),
        _ => scenario
            .clients
            .targets
            .iter()
            .map(|target| (target.get(), None))
            .collect(),
    };
    let entry_detail = diagram::entry_detail(
        scenario,
        network
            .filter(|network| network.entry.len() == scenario.clients.targets.len())
            .map(|network| &network.entry[..]),
    );
    let (vault_first, vault_second) = match (network.and_then(|network| network.vault), backup) {
        (Some(vault), Some(_)) => diagram::vault_summary(scenario, &vault),
        (_, Some(backup)) => (
            format!(
                "every {}",
                crate::scenario::duration::format_duration(backup.interval_ms)
            ),
            backup
                .copy_to_region
                .and_then(|region| scenario.regions.get(region))
                .map(|region| format!("copies to {}", region.id))
                .unwrap_or_default(),
        ),
        _ => (String::new(), String::new()),
    };
    let az_out = |index: usize| {
        network.is_some_and(|network| network.az_out.get(index).copied().unwrap_or(false))
    };
    let region_out = |index: usize| {
        network.is_some_and(|network| network.region_out.get(index).copied().unwrap_or(false))
    };
    let az_cut = |index: usize| {
        network.is_some_and(|network| network.az_partitioned.get(index).copied().unwrap_or(false))
    };
    let az_label = |index: usize| {
        format!(
            "AZ {}{}{}",
            scenario.azs[index].id,
            if az_out(index) { " · ✕ out" } else { "" },
            if az_cut(index) {
                " · ✂ partitioned"
            } else {
                ""
            }
        )
    };
    // Peer connections: node to node for a small network, AZ to AZ (with the count)
    // for a large one.
    let node_count = scenario.nodes.len();
    let peer_links: Vec<(usize, usize)> = network
        .filter(|_| node_count <= diagram::PEER_LINKS_NODES_MAX)
        .map(|network| {
            network
                .peer_links
                .iter()
                .map(|&(a, b)| (usize::from(a), usize::from(b)))
                .filter(|&(a, b)| a < node_count && b < node_count)
                .collect()
        })
        .unwrap_or_default();
    let zone_links: Vec<(u16, u16, u32)> = network
        .filter(|_| node_count > diagram::PEER_LINKS_NODES_MAX)
        .map(|network| diagram::az_peer_links(scenario, &network.peer_links))
        .unwrap_or_default();

    html! {
        <div class="canvas-frame">
            <div class="canvas-tools" role="group" aria-label="Zoom and pan">
                <button type="button" class="zoom-in" onclick={zoom_by(ZOOM_STEP)} aria-label="Zoom in">{ "+" }</button>
                <button type="button" class="zoom-out" onclick={zoom_by(1.0 / ZOOM_STEP)} aria-label="Zoom out">{ "−" }</button>
                <button type="button" class="zoom-fit" onclick={fit}>{ "Fit" }</button>
                <button type="button" class="legend-toggle" aria-pressed={show_legend.to_string()} onclick={toggle_legend}>{ "Legend" }</button>
                <span class="hint">{ format!("{:.0} % · drag to select, Alt+drag to pan, Ctrl+wheel to zoom", viewport.zoom * 100.0) }</span>
                if !node_details_shown {
                    <span class="hint details-hidden">{ "· nodes drawn too small to read: zoom in for their details and heights" }</span>
                }
            </div>
            <div class="canvas-stack" ref={stack_ref}>
                if *aspect_set {
                <svg ref={svg_ref.clone()} class={classes!("canvas", press.as_ref().map(|_| "pressing"))} role="application"
                    aria-label={format!("Topology of {}: Tab to a node, Enter for its menu, Space to select, arrow keys pan, + and - zoom", scenario.name)}
                    tabindex="0" onkeydown={on_canvas_key}
                    viewBox={view_box_attribute.clone()}
                    width={width_attribute.clone()} height={height_attribute.clone()}
                    onpointermove={on_pointer_move} onpointerup={on_pointer_up} onpointercancel={on_pointer_cancel}
                    onwheel={on_wheel}>
                    <rect class="canvas-background" x={(view_box.0 - width).to_string()} y={(view_box.1 - height).to_string()}
                        width={(width * 3.0 / viewport.zoom.min(1.0)).to_string()} height={(height * 3.0 / viewport.zoom.min(1.0)).to_string()}
                        onpointerdown={on_background_down} />
                    <defs>
                        <pattern id="canvas-out-hatch" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect class="out-hatch-stripe" x="0" y="0" width="4" height="10" />
                        </pattern>
                    </defs>
                    // Inter-region links: a line between the regions (under the boxes) ...
                    { for region_pairs.iter().map(|&(from, to)| {
                        let (x1, y1) = regions[from].center();
                        let (x2, y2) = regions[to].center();
                        let status = link_status(from, to);
                        html! { <line class={format!("link {status}")} x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} /> }
                    }) }
                    { for scenario.regions.iter().enumerate().map(|(index, region)| {
                        let rect = regions[index];
                        let target = Target::Region(region.id.clone());
                        let out = region_out(index);
                        html! {
                            <g class={classes!("region", selected(&target).then_some("selected"), out.then_some("out"))} tabindex="0" role="button"
                                aria-label={format!("Region {}", region.id)} data-out={out.to_string()}
                                oncontextmenu={menu_opener(&props.open_menu, target.clone(), read_only)}
                                onpointerdown={marquee_or_pan(&press, &viewport, Some(target.clone()), read_only)}
                                ondblclick={renamer(&props.on_rename, target.clone(), read_only)}
                                onkeydown={key_handler(&props.open_menu, &props.on_select, target, read_only)}>
                                <rect class="region-box" x={rect.x.to_string()} y={rect.y.to_string()} width={rect.width.to_string()} height={rect.height.to_string()} />
                                if out {
                                    <title>{ format!("Region {}: out (a region outage is active)", region.id) }</title>
                                }
                                <text class="region-label" x={(rect.x + 10.0).to_string()} y={(rect.y + 22.0).to_string()}>{ format!("Region {}", region.id) }</text>
                                if out {
                                    <text class="out-mark" x={(rect.x + rect.width - 10.0).to_string()} y={(rect.y + 22.0).to_string()} text-anchor="end">{ "✕ region out" }</text>
                                }
                            </g>
                        }
                    }) }
                    { for scenario.azs.iter().enumerate().map(|(index, az)| {
                        let rect = azs[index];
                        let target = Target::Az(az.id.clone());
                        let cut = az_cut(index);
                        let out = az_out(index);
                        let region_is_out = region_out(az.region);
                        html! {
                            <g class={classes!("az", selected(&target).then_some("selected"), (drop_az == Some(index)).then_some("drop-target"), cut.then_some("partitioned"), out.then_some("out"), region_is_out.then_some("in-region-out"))}
                                tabindex="0" role="button" aria-label={format!("AZ {}", az.id)} data-out={out.to_string()}
                                oncontextmenu={menu_opener(&props.open_menu, target.clone(), read_only)}
                                onpointerdown={marquee_or_pan(&press, &viewport, Some(target.clone()), read_only)}
                                ondblclick={renamer(&props.on_rename, target.clone(), read_only)}
                                onkeydown={key_handler(&props.open_menu, &props.on_select, target, read_only)}>
                                <rect class="az-box" x={rect.x.to_string()} y={rect.y.to_string()} width={rect.width.to_string()} height={rect.height.to_string()} />
                                if out {
                                    <title>{ format!("AZ {}: out (an AZ outage is active)", az.id) }</title>
                                }
                                <text class="az-label" x={(rect.x + 8.0).to_string()} y={(rect.y + 18.0).to_string()}>{ az_label(index) }</text>
                            </g>
                        }
                    }) }
                    // The hatch over AZs and regions that are out (outside their groups, so
                    // a box stays one rectangle; the pointer goes through).
                    <g class="out-hatches" aria-hidden="true">
                        { for scenario.regions.iter().enumerate().filter(|&(index, _)| region_out(index)).map(|(index, _)| {
                            let rect = regions[index];
                            html! { <rect class="out-hatch" data-region-index={index.to_string()} x={rect.x.to_string()} y={rect.y.to_string()} width={rect.width.to_string()} height={rect.height.to_string()} fill="url(#canvas-out-hatch)" /> }
                        }) }
                        { for scenario.azs.iter().enumerate().filter(|&(index, az)| az_out(index) || region_out(az.region)).map(|(index, az)| {
                            let rect = azs[index];
                            html! { <rect class="out-hatch" data-az={az.id.clone()} x={rect.x.to_string()} y={rect.y.to_string()} width={rect.width.to_string()} height={rect.height.to_string()} fill="url(#canvas-out-hatch)" /> }
                        }) }
                    </g>
                    // ... and a badge to act on, between the two boxes, over them.
                    { for region_pairs.iter().zip(&badge_centers).map(|(&(from, to), &(badge_x, badge_y))| {
                        let status = link_status(from, to);
                        let target = Target::Link(scenario.regions[from].id.clone(), scenario.regions[to].id.clone());
                        let latency_ms = scenario.region_latency_ms(from, to);
                        html! {
                            <g class={classes!("region-link", format!("link-{status}"), selected(&target).then_some("selected"))}>
                                <g class="link-badge" tabindex="0" role="button"
                                    aria-label={format!("link {} ↔ {}: {status}, {latency_ms} ms", scenario.regions[from].id, scenario.regions[to].id)}
                                    oncontextmenu={menu_opener(&props.open_menu, target.clone(), read_only)}
                                    onpointerdown={select_on_click_pointer(&props.on_select, target.clone(), read_only)}
                                    onkeydown={key_handler(&props.open_menu, &props.on_select, target.clone(), read_only)}>
                                    <title>{ format!("Link between regions {} and {}: {status}, {latency_ms} ms one way. Right-click or Enter to cut or degrade it.", scenario.regions[from].id, scenario.regions[to].id) }</title>
                                    <rect x={(badge_x - diagram::LINK_BADGE_WIDTH / 2.0).to_string()} y={(badge_y - diagram::LINK_BADGE_HEIGHT / 2.0).to_string()}
                                        width={diagram::LINK_BADGE_WIDTH.to_string()} height={diagram::LINK_BADGE_HEIGHT.to_string()} rx="12" />
                                    <text x={badge_x.to_string()} y={(badge_y + 4.0).to_string()} text-anchor="middle">{ format!("{status} · {latency_ms} ms") }</text>
                                </g>
                            </g>
                        }
                    }) }
                    // The clients' way in, with a line to each target: coloured by the
                    // target's health per the entry point's checks, thick where traffic goes.
                    if layers_shown >= LAYER_ENTRY_POINT {
                        <EntryLayer scenario={ByPointer(scenario.clone())} nodes={nodes.clone()} targets={entry_targets}
                            entry_rect={entry_rect} label={entry_label} detail={entry_detail} />
                    }
                    if let Some(backup) = backup {
                        <g class="backup-vault" aria-label="Backup vault">
                            if backup.source.get() < node_count {
                                <line class="backup-line" x1={(vault_rect.x + vault_rect.width / 2.0).to_string()} y1={(vault_rect.y + vault_rect.height).to_string()}
                                    x2={(nodes[backup.source.get()].x + nodes[backup.source.get()].width / 2.0).to_string()} y2={nodes[backup.source.get()].y.to_string()} />
                            }
                            <rect class="vault-box" x={vault_rect.x.to_string()} y={vault_rect.y.to_string()} width={vault_rect.width.to_string()} height={vault_rect.height.to_string()} rx="6" />
                            <text class="entry-label" x={(vault_rect.x + 10.0).to_string()} y={(vault_rect.y + 17.0).to_string()}>{ "Backup vault" }</text>
                            <text class="entry-detail vault-detail" x={(vault_rect.x + 10.0).to_string()} y={(vault_rect.y + 33.0).to_string()}>{ vault_first }</text>
                            <text class="entry-detail" x={(vault_rect.x + 10.0).to_string()} y={(vault_rect.y + 48.0).to_string()}>{ vault_second }</text>
                        </g>
                    }
                    // Peer connections, under the nodes; blocks travel along them.
                    if layers_shown >= LAYER_PEER_LINKS {
                        <PeerLinkLayer nodes={nodes.clone()} azs={azs.clone()} {peer_links} {zone_links} />
                    }
                    // The region and AZ names once more, over the lines drawn since (the
                    // entry point's, the vault's), with a white halo, so no line strikes a
                    // name through. Not for the pointer or a screen reader: the names in
                    // the boxes' own groups are the ones to use.
                    <g class="label-overlay" aria-hidden="true">
                        { for scenario.regions.iter().enumerate().map(|(index, region)| {
                            let rect = regions[index];
                            html! { <text class="region-label overlay-label region-name" x={(rect.x + 10.0).to_string()} y={(rect.y + 22.0).to_string()}>{ format!("Region {}", region.id) }</text> }
                        }) }
                        { for (0..scenario.azs.len()).map(|index| {
                            let rect = azs[index];
                            let alert = az_out(index) || az_cut(index);
                            html! { <text class={classes!("az-label", "overlay-label", "az-name", alert.then_some("alert"))} x={(rect.x + 8.0).to_string()} y={(rect.y + 18.0).to_string()}>{ az_label(index) }</text> }
                        }) }
                    </g>
                    <NodeLayer scenario={ByPointer(scenario.clone())} rects={nodes.clone()} states={node_states}
                        details_shown={node_details_shown} selection={props.selection.clone()} dragged={dragged.clone()}
                        drag_offset={drag_offset} read_only={read_only} open_menu={props.open_menu.clone()}
                        on_select={props.on_select.clone()} on_rename={props.on_rename.clone()} set_press={press.setter()} />
                    if let Some(Press::Marquee { start, now, moved: true, .. }) = &*press {
                        { marquee_rect(&svg_ref, view_box, *start, *now) }
                    }
                    if *show_legend && layers_shown >= LAYER_LEGEND {
                        <Legend legend={legend.clone()} />
                    }
                </svg>
                // Travelling blocks on a 2D canvas of their own over the diagram
                // (`dot_layer`): no element per block and no SVG animation to restyle
                // and repaint on every display frame.
                <DotLayer dots={Rc::new(dots)} view_box={view_box} size_px={*screen_size_px} />
                } else {
                    // Holds the drawing's place for the render before it: an empty svg of
                    // the same width and height has the same proportions, so what is
                    // below the canvas is where it will stay, and no label is laid out.
                    <svg class="canvas-placeholder" aria-hidden="true" width={width_attribute} height={height_attribute}
                        viewBox={view_box_attribute} />
                }
            </div>
        </div>
    }
}

/// A press on the background (`clicked` is `None`) or on an AZ or region box: Alt or
/// the middle button starts a pan; otherwise a click selects what was pressed and a
/// drag draws a marquee.
fn marquee_or_pan(
    press: &UseStateHandle<Option<Press>>,
    viewport: &UseStateHandle<Viewport>,
    clicked: Option<Target>,
    read_only: bool,
) -> Callback<PointerEvent> {
    let press = press.clone();
    let viewport = viewport.clone();
    Callback::from(move |event: PointerEvent| {
        let point = (f64::from(event.client_x()), f64::from(event.client_y()));
        let panning = event.button() == 1 || (event.button() == 0 && event.alt_key());
        if panning || (read_only && event.button() == 0) {
            event.stop_propagation();
            event.prevent_default();
            capture_pointer(&event);
            press.set(Some(Press::Pan {
                start: point,
                start_pan: (viewport.pan_x, viewport.pan_y),
                moved: false,
            }));
        } else if event.button() == 0 {
            event.stop_propagation();
            capture_pointer(&event);
            press.set(Some(Press::Marquee {
                clicked: clicked.clone(),
                additive: event.shift_key() || event.ctrl_key() || event.meta_key(),
                start: point,
                now: point,
                moved: false,
            }));
        }
    })
}

/// The marquee being drawn, in canvas units.
fn marquee_rect(
    svg_ref: &NodeRef,
    view_box: (f64, f64, f64, f64),
    start: (f64, f64),
    now: (f64, f64),
) -> Html {
    let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
        return html! {};
    };
    let area = placement::marquee(
        canvas_point(&svg, view_box, start.0, start.1),
        canvas_point(&svg, view_box, now.0, now.1),
    );
    html! {
        <rect class="marquee" x={area.x.to_string()} y={area.y.to_string()} width={area.width.to_string()} height={area.height.to_string()} />
    }
}

/// A double-click on a node, AZ or region: rename it in place.
fn renamer(on_rename: &Callback<Target>, target: Target, read_only: bool) -> Callback<MouseEvent> {
    let on_rename = on_rename.clone();
    Callback::from(move |event: MouseEvent| {
        if read_only {
            return;
        }
        event.prevent_default();
        event.stop_propagation();
        on_rename.emit(target.clone());
    })
}

/// Selecting on press (links): the press does not start a pan.
fn select_on_click_pointer(
    on_select: &Callback<Option<(Target, bool)>>,
    target: Target,
    read_only: bool,
) -> Callback<PointerEvent> {
    let on_click = select_on_click(on_select, target, read_only);
    Callback::from(move |event: PointerEvent| {
        let mouse: &MouseEvent = event.as_ref();
        on_click.emit(mouse.clone());
    })
}

/// Blocks on their way between nodes, for the dot layer: each dot's peer arc (the
/// arc the peer connection is drawn on, `diagram::peer_arc`) and its start.
fn dot_paths(dots: &[TravelDot], nodes: &[Rect]) -> Vec<DotPath> {
    dots.iter()
        .filter_map(|dot| {
            let from = nodes.get(usize::from(dot.travel.from))?;
            let to = nodes.get(usize::from(dot.travel.to))?;
            Some(DotPath {
                arc: diagram::peer_arc(from, to),
                started_ms: dot.started_ms,
            })
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct LegendProps {
    legend: diagram::CanvasLegend,
}

/// The legend: a swatch and words per look, in a box beside or under the regions. A
/// component, so frames (which never change it) leave it alone.
#[function_component(Legend)]
fn legend_view(props: &LegendProps) -> Html {
    let legend = &props.legend;
    html! {
        <g class="canvas-legend" aria-label="Legend" data-beside={legend.beside.to_string()}
            transform={format!("translate({:.1} {:.1})", legend.left, legend.top)}>
            <rect class="legend-box" x="0" y="0" width={legend.width.to_string()} height={legend.height.to_string()} rx="6" />
            { for diagram::legend().into_iter().zip(&legend.positions).map(|((swatch, words), &(x, y))| {
                let middle = y + diagram::LEGEND_ROW_HEIGHT / 2.0;
                let picture = match swatch {
                    diagram::LegendSwatch::Node(status) => html! {
                        <g class={classes!("legend-node", format!("status-{}", status.as_str()))}>
                            <rect class="node-box" x={x.to_string()} y={(middle - 6.0).to_string()} width="22" height="12" rx="2" />
                        </g>
                    },
                    diagram::LegendSwatch::EntryLine(class) => html! {
                        <line class={classes!("entry-line", class)} x1={x.to_string()} y1={middle.to_string()} x2={(x + 22.0).to_string()} y2={middle.to_string()} />
                    },
                    diagram::LegendSwatch::Out => html! {
                        <rect class="out-hatch legend-out" x={x.to_string()} y={(middle - 6.0).to_string()} width="22" height="12" fill="url(#canvas-out-hatch)" />
                    },
                    diagram::LegendSwatch::Partitioned => html! {
                        <rect class="legend-partitioned" x={x.to_string()} y={(middle - 6.0).to_string()} width="22" height="12" />
                    },
                    diagram::LegendSwatch::PeerLink => html! {
                        <line class="peer-link" x1={x.to_string()} y1={middle.to_string()} x2={(x + 22.0).to_string()} y2={middle.to_string()} />
                    },
                    diagram::LegendSwatch::Block => html! {
                        <circle class="legend-block-dot" cx={(x + 11.0).to_string()} cy={middle.to_string()} r="5" />
                    },
                };
                html! {
                    <g class="legend-entry">
                        { picture }
                        <text class="legend-text" x={(x + 30.0).to_string()} y={(middle + 4.0).to_string()}>{ words }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// Keeps the pointer's events coming to the canvas while a press lasts, even outside it
/// (a drag ends where the pointer is released, not where it left the canvas).
fn capture_pointer(event: &PointerEvent) {
    if let Some(target) = event.target_dyn_into::<web_sys::Element>() {
        let _ = target.set_pointer_capture(event.pointer_id());
    }
}
