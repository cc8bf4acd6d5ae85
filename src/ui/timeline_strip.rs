//! The timeline strip under the canvas: the player (Play/Pause, Step, Restart,
//! speed), previous/next event, the story's caption, and the fault timeline with the
//! run's event markers. The time slider itself is drawn by the topology area and set
//! over the fault bands by the stylesheet, so the slider and the Gantt read as one
//! strip. Everything here dispatches [`ShellAction`]s; the markers and the caption come
//! from pure code ([`crate::view::markers`], [`crate::view::captions`]).

use std::rc::Rc;

use yew::prelude::*;

use crate::edit::Edit;
use crate::scenario::duration::describe_duration;
use crate::shell::{ShellAction, ShellState};
use crate::view::captions::caption_at;
use crate::view::markers::{next_marker_ms, previous_marker_ms, Marker};

use super::fault_timeline::FaultTimeline;
use super::player::player_view;

/// What the strip needs besides the shell's state.
pub(super) struct StripParts<'a> {
    pub state: &'a ShellState,
    pub dispatcher: UseReducerDispatcher<ShellState>,
    pub markers: Rc<Vec<Marker>>,
    pub apply_edit: Callback<Edit>,
}

/// The player row (with the caption): above the slider.
pub(super) fn strip_controls(parts: &StripParts) -> Html {
    let StripParts {
        state,
        dispatcher,
        markers,
        ..
    } = parts;
    let duration_ms = state.duration_ms();
    if duration_ms == 0 {
        return html! {};
    }
    let previous = previous_marker_ms(&state.markers_ms, state.at_ms);
    let next = next_marker_ms(&state.markers_ms, state.at_ms);
    let label_of = |at_ms: Option<u64>| {
        at_ms
            .and_then(|at_ms| markers.iter().find(|marker| marker.at_ms == at_ms))
            .map(|marker| format!("{} ({})", marker.label, describe_duration(marker.at_ms)))
    };
    let on_previous = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::PreviousEvent))
    };
    let on_next = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::NextEvent))
    };
    let caption = state
        .file
        .as_deref()
        .and_then(|file| caption_at(file, state.at_ms));
    html! {
        <div class="strip-controls">
            { player_view(state, dispatcher.clone(), duration_ms) }
            <div class="event-jumps" role="group" aria-label="Events">
                <button type="button" class="previous-event" onclick={on_previous} disabled={previous.is_none()}
                    title={label_of(previous).map(|label| format!("Previous event (,): {label}")).unwrap_or_else(|| "No earlier event".into())}
                    aria-label="Previous event">{ "◀ event" }</button>
                <button type="button" class="next-event" onclick={on_next} disabled={next.is_none()}
                    title={label_of(next).map(|label| format!("Next event (.): {label}")).unwrap_or_else(|| "No later event".into())}
                    aria-label="Next event">{ "event ▶" }</button>
            </div>
            if let Some(caption) = caption {
                <p class="story-caption" aria-live={if state.playing { "off" } else { "polite" }}>{ caption.text }</p>
            }
        </div>
    }
}

/// The fault timeline with the markers: under the slider.
pub(super) fn strip_timeline(parts: &StripParts) -> Html {
    let StripParts {
        state,
        dispatcher,
        markers,
        apply_edit,
    } = parts;
    let Some(file) = &state.file else {
        return html! {};
    };
    let on_seek = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |at_ms: u64| dispatcher.dispatch(ShellAction::Seek(at_ms)))
    };
    html! {
        <div class="strip-timeline">
            <FaultTimeline file={file.clone()} at_ms={state.at_ms} on_edit={apply_edit.clone()} on_seek={on_seek}
                markers={markers.clone()} />
        </div>
    }
}
