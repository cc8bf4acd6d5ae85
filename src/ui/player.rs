//! The player: Play/Pause, Step, Restart and the speed, and the timer that moves the
//! moment while playing. The moment itself lives in [`ShellState`]; this only
//! dispatches [`ShellAction`]s.

use yew::prelude::*;

use crate::shell::{ShellAction, ShellState, SPEEDS};

/// The player advances this often (real milliseconds).
const PLAYER_TICK_MS: u32 = 100;

/// Advances the moment while playing: one tick every [`PLAYER_TICK_MS`].
#[hook]
pub(super) fn use_player(state: &UseReducerHandle<ShellState>) {
    let dispatcher = state.dispatcher();
    let duration_ms = state.duration_ms();
    use_effect_with(
        (state.playing, state.speed, duration_ms),
        move |&(playing, _, _)| {
            let interval = playing.then(|| {
                gloo::timers::callback::Interval::new(PLAYER_TICK_MS, move || {
                    dispatcher.dispatch(ShellAction::Tick {
                        elapsed_ms: PLAYER_TICK_MS as u64,
                    })
                })
            });
            move || drop(interval)
        },
    );
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
