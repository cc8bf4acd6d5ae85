//! The travelling blocks, drawn on a 2D canvas of their own over the topology.
//!
//! Each block is a dot that moves along the peer arc between two nodes
//! (`diagram::peer_arc`) for `TRAVEL_SHOWN_MS`, fading out over the second half of
//! its trip. The dots are drawn by a `requestAnimationFrame` loop from their start
//! times on the page's clock, not as SVG elements: with SMIL animations, each dot
//! was an element created and removed as blocks came and went and the browser
//! restyled and repainted every animated element on every display frame (issue 13's
//! 200-node frame rate; with them the page played at 32–35 frames/s, without at
//! 41–44).
//!
//! Invariants: the layer never takes a pointer event (the diagram under it does);
//! it draws with the diagram's view box and the same fit (`xMidYMid meet`), so a dot
//! is on the arc the diagram draws (drawn over the nodes at the ends of its trip);
//! a dot past its trip is not drawn; with no dot on its way the loop clears the
//! canvas once and stops asking for frames until a render brings dots; unmounted,
//! it cancels its frame request before letting its callback go. The number of dots drawn in the latest frame is on `data-dots-drawn` (set
//! only when it changes), for tests and the curious.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::view::diagram;
use crate::view::replay::TRAVEL_SHOWN_MS;

/// One block on its way: the arc it follows, in canvas units, and when it set off on
/// the page's clock (`performance.now()` milliseconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct DotPath {
    pub arc: [(f64, f64); 4],
    pub started_ms: f64,
}

#[derive(Properties, PartialEq)]
pub(super) struct DotLayerProps {
    pub dots: Rc<Vec<DotPath>>,
    /// The diagram's view box: left, top, width, height in canvas units.
    pub view_box: (f64, f64, f64, f64),
    /// The layer's size on screen in CSS pixels (the diagram's, kept by its
    /// ResizeObserver; zero until measured).
    pub size_px: (f64, f64),
}

/// The dot's radius and outline, in canvas units (as the legend's swatch).
const DOT_RADIUS: f64 = 6.0;
const DOT_OUTLINE: f64 = 2.0;
const DOT_FILL: &str = "#0072b2";
const DOT_STROKE: &str = "#ffffff";

/// The loop's `requestAnimationFrame` callback (it queues itself again).
type FrameCallback = Closure<dyn FnMut(f64)>;

/// What the drawing loop reads each frame (the latest render's props).
struct Drawing {
    dots: Rc<Vec<DotPath>>,
    view_box: (f64, f64, f64, f64),
    size_px: (f64, f64),
    /// Dots drawn on the previous frame (the canvas is cleared once when they end).
    drawn: usize,
}

/// The drawing loop: its callback (which queues itself again while dots are on their
/// way) and the frame request waiting, if any.
#[derive(Default)]
struct Loop {
    callback: RefCell<Option<FrameCallback>>,
    queued: Cell<Option<i32>>,
}

impl Loop {
    /// Asks for a frame unless one is already asked for (or the layer is gone).
    fn request(&self) {
        if self.queued.get().is_some() {
            return;
        }
        if let Some(callback) = self.callback.borrow().as_ref() {
            if let Ok(id) =
                gloo::utils::window().request_animation_frame(callback.as_ref().unchecked_ref())
            {
                self.queued.set(Some(id));
            }
        }
    }

    /// Cancels the frame asked for and lets the callback go.
    fn stop(&self) {
        if let Some(id) = self.queued.take() {
            let _ = gloo::utils::window().cancel_animation_frame(id);
        }
        self.callback.borrow_mut().take();
    }
}

#[function_component(DotLayer)]
pub(super) fn dot_layer(props: &DotLayerProps) -> Html {
    let canvas_ref = use_node_ref();
    let drawing = use_mut_ref(|| Drawing {
        dots: Rc::default(),
        view_box: (0.0, 0.0, 1.0, 1.0),
        size_px: (0.0, 0.0),
        drawn: 0,
    });
    let frames = use_memo((), |_| Loop::default());
    {
        let mut drawing = drawing.borrow_mut();
        drawing.dots = props.dots.clone();
        drawing.view_box = props.view_box;
        drawing.size_px = props.size_px;
    }
    {
        let canvas_ref = canvas_ref.clone();
        let frames = frames.clone();
        use_effect_with((), move |_| {
            let frames_for_callback = frames.clone();
            *frames.callback.borrow_mut() = Some(Closure::new(move |now_ms: f64| {
                frames_for_callback.queued.set(None);
                let on_way = canvas_ref
                    .cast::<web_sys::HtmlCanvasElement>()
                    .is_some_and(|canvas| draw(&canvas, &mut drawing.borrow_mut(), now_ms));
                // Idle (nothing on its way, the canvas cleared) until a render brings dots.
                if on_way {
                    frames_for_callback.request();
                }
            }));
            frames.request();
            // The callback holds the loop: stopping lets both go.
            move || frames.stop()
        });
    }
    {
        // Dots came: wake the loop if it is idle.
        let frames = frames.clone();
        let any_dots = !props.dots.is_empty();
        use_effect(move || {
            if any_dots {
                frames.request();
            }
        });
    }
    html! {
        <canvas ref={canvas_ref} class="canvas-dots" aria-hidden="true" data-dots-drawn="0"></canvas>
    }
}

/// One frame: sizes the canvas to its box (device pixels), then draws each dot on
/// its way at `now_ms`. Returns whether any dot is still on its way.
fn draw(canvas: &web_sys::HtmlCanvasElement, drawing: &mut Drawing, now_ms: f64) -> bool {
    let (width_px, height_px) = drawing.size_px;
    let on_way: Vec<(f64, f64, f64)> = drawing
        .dots
        .iter()
        .filter_map(|dot| {
            let progress = (now_ms - dot.started_ms) / TRAVEL_SHOWN_MS;
            (0.0..1.0).contains(&progress).then(|| {
                let (x, y) = diagram::point_on_arc(&dot.arc, progress);
                (x, y, dot_opacity(progress))
            })
        })
        .collect();
    if on_way.is_empty() && drawing.drawn == 0 {
        return false;
    }
    let Some(context) = super::pictures::context_2d(canvas) else {
        return false;
    };
    let pixel_ratio = gloo::utils::window().device_pixel_ratio().max(1.0);
    let wanted = (
        (width_px * pixel_ratio).round().max(1.0) as u32,
        (height_px * pixel_ratio).round().max(1.0) as u32,
    );
    if (canvas.width(), canvas.height()) != wanted {
        canvas.set_width(wanted.0);
        canvas.set_height(wanted.1);
    }
    let _ = context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    context.clear_rect(0.0, 0.0, f64::from(wanted.0), f64::from(wanted.1));
    let measured = width_px > 0.0 && height_px > 0.0;
    if !on_way.is_empty() && measured {
        let (scale, offset_x, offset_y) = fit(drawing.view_box, width_px, height_px);
        let _ = context.set_transform(
            scale * pixel_ratio,
            0.0,
            0.0,
            scale * pixel_ratio,
            offset_x * pixel_ratio,
            offset_y * pixel_ratio,
        );
        context.set_fill_style_str(DOT_FILL);
        context.set_stroke_style_str(DOT_STROKE);
        context.set_line_width(DOT_OUTLINE);
        for &(x, y, opacity) in &on_way {
            context.set_global_alpha(opacity);
            context.begin_path();
            let _ = context.arc(x, y, DOT_RADIUS, 0.0, std::f64::consts::TAU);
            context.fill();
            context.stroke();
        }
        context.set_global_alpha(1.0);
    }
    // Only what was drawn counts (nothing before the box is measured).
    let drawn = if measured { on_way.len() } else { 0 };
    if drawn != drawing.drawn {
        let _ = canvas.set_attribute("data-dots-drawn", &drawn.to_string());
    }
    drawing.drawn = drawn;
    !on_way.is_empty()
}

/// A dot is opaque for the first half of its trip and fades out over the second.
fn dot_opacity(progress: f64) -> f64 {
    if progress < 0.5 {
        1.0
    } else {
        (2.0 * (1.0 - progress)).clamp(0.0, 1.0)
    }
}

/// The scale and offset (CSS pixels) that show `view_box` in a box of the given
/// size as SVG's default `xMidYMid meet` does: the whole view box, centred.
fn fit(view_box: (f64, f64, f64, f64), width_px: f64, height_px: f64) -> (f64, f64, f64) {
    let (left, top, width, height) = view_box;
    let scale = (width_px / width.max(1e-9)).min(height_px / height.max(1e-9));
    let offset_x = (width_px - width * scale) / 2.0 - left * scale;
    let offset_y = (height_px - height * scale) / 2.0 - top * scale;
    (scale, offset_x, offset_y)
}
