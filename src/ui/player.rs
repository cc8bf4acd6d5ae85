//! The player: Play/Pause, Step, Restart and the speed, and the animation-frame loop
//! that moves the moment while playing. The moment itself lives in [`ShellState`]; this only
//! dispatches [`ShellAction`]s.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::shell::{ShellAction, ShellState, SPEEDS};

/// The longest real time one frame may advance the moment by (a tab that was in the
/// background does not jump ahead on its return).
const FRAME_GAP_MAX_MS: f64 = 250.0;

/// Advances the moment while playing, once per animation frame, by the real time since
/// the frame before (so node states change every frame the browser draws).
#[hook]
pub(super) fn use_player(state: &UseReducerHandle<ShellState>) {
    let dispatcher = state.dispatcher();
    let duration_ms = state.duration_ms();
    use_effect_with(
        (state.playing, state.speed, duration_ms),
        move |&(playing, _, _)| {
            let frames = playing.then(|| {
                FrameLoop::start(move |elapsed_ms| {
                    dispatcher.dispatch(ShellAction::Tick { elapsed_ms })
                })
            });
            move || drop(frames)
        },
    );
}

/// A `requestAnimationFrame` loop that calls `on_frame` with the whole real
/// milliseconds since the last call. Dropping it stops it: no frame is asked for after
/// that, even when the drop happens inside `on_frame` (a tick that pauses the player).
struct FrameLoop {
    shared: Rc<FrameShared>,
}

/// The JavaScript function the browser calls each frame, with its timestamp.
type FrameCallback = Closure<dyn FnMut(f64)>;

struct FrameShared {
    stopped: Cell<bool>,
    request: Cell<Option<i32>>,
    callback: RefCell<Option<FrameCallback>>,
}

impl FrameShared {
    fn ask(&self) {
        if self.stopped.get() {
            return;
        }
        if let Some(callback) = self.callback.borrow().as_ref() {
            let request = gloo::utils::window()
                .request_animation_frame(callback.as_ref().unchecked_ref())
                .ok();
            self.request.set(request);
        }
    }
}

impl FrameLoop {
    fn start(mut on_frame: impl FnMut(u64) + 'static) -> FrameLoop {
        let shared = Rc::new(FrameShared {
            stopped: Cell::new(false),
            request: Cell::new(None),
            callback: RefCell::new(None),
        });
        let weak = Rc::downgrade(&shared);
        let mut last_ms: Option<f64> = None;
        let callback = FrameCallback::new(move |now_ms: f64| {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            if shared.stopped.get() {
                return;
            }
            match last_ms {
                None => last_ms = Some(now_ms),
                Some(previous_ms) => {
                    let gap_ms = now_ms - previous_ms;
                    if gap_ms > FRAME_GAP_MAX_MS {
                        last_ms = Some(now_ms);
                        on_frame(FRAME_GAP_MAX_MS as u64);
                    } else if gap_ms >= 1.0 {
                        // Whole milliseconds; the fraction left counts towards the next.
                        let whole_ms = gap_ms.floor();
                        last_ms = Some(previous_ms + whole_ms);
                        on_frame(whole_ms as u64);
                    }
                }
            }
            shared.ask();
        });
        *shared.callback.borrow_mut() = Some(callback);
        shared.ask();
        FrameLoop { shared }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        self.shared.stopped.set(true);
        if let Some(request) = self.shared.request.take() {
            let _ = gloo::utils::window().cancel_animation_frame(request);
        }
        // The callback may be running right now (the drop can come from inside it):
        // it is let go after this turn.
        let callback = self.shared.callback.borrow_mut().take();
        gloo::timers::callback::Timeout::new(0, move || drop(callback)).forget();
    }
}

pub(super) fn player_view(
    state: &ShellState,
    dispatcher: UseReducerDispatcher<ShellState>,
    duration_ms: u64,
) -> Html {
    if duration_ms == 0 {
        return html! {};
    }
    let toggle = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::TogglePlaying))
    };
    let step = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::StepForward))
    };
    let restart = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::Seek(0)))
    };
    let on_speed = Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        if let Ok(value) = select.value().parse::<u64>() {
            dispatcher.dispatch(ShellAction::SetSpeed(value));
        }
    });
    html! {
        <div class="player" role="group" aria-label="Playback">
            <button type="button" class="play-button" onclick={toggle} aria-pressed={state.playing.to_string()}>
                { if state.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" class="step-button" onclick={step}>{ "Step +1m" }</button>
            <button type="button" class="restart-button" onclick={restart}>{ "Restart" }</button>
            <label>{ "Speed " }
                <select class="speed-select" onchange={on_speed} aria-label="Playback speed">
                    { for SPEEDS.iter().map(|&value| html! {
                        <option value={value.to_string()} selected={value == state.speed}>{ format!("{value}×") }</option>
                    }) }
                </select>
            </label>
            <span class="hint">{ "Space: play/pause · ?: shortcuts" }</span>
        </div>
    }
}
