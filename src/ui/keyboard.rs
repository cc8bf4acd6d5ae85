//! The keyboard: the page's key listener, which reads the one table of shortcuts
//! ([`shell::SHORTCUTS`]), and the help overlay that lists the keys.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::shell::{self, KeyPress, KeyTarget, ShellState};

/// The page's one key listener: each key press goes through the shortcut table
/// ([`shell::SHORTCUTS`]) against the latest state, kept in a cell so the listener is
/// registered once.
#[hook]
pub(super) fn use_shortcuts(state: &UseReducerHandle<ShellState>) {
    let latest = use_mut_ref(|| None::<UseReducerHandle<ShellState>>);
    *latest.borrow_mut() = Some(state.clone());
    use_effect_with((), move |_| {
        // Not passive (gloo's default): a passive listener cannot stop Space from
        // scrolling the page.
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        let listener = gloo::events::EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |event| {
                let event: &web_sys::KeyboardEvent = event.unchecked_ref();
                let Some(state) = latest.borrow().clone() else {
                    return;
                };
                let (actions, prevent_default) = shell::shortcut_actions(&key_press(event), &state);
                if prevent_default {
                    event.prevent_default();
                }
                for action in actions {
                    state.dispatch(action);
                }
            },
        );
        move || drop(listener)
    });
}

/// A key press as the shortcut table reads it.
fn key_press(event: &web_sys::KeyboardEvent) -> KeyPress {
    let element = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok());
    let tag = element
        .as_ref()
        .map(|element| element.tag_name())
        .unwrap_or_default();
    let input_type = element
        .as_ref()
        .and_then(|element| element.get_attribute("type"))
        .unwrap_or_default();
    KeyPress {
        key: event.key(),
        control: event.ctrl_key() || event.meta_key(),
        shift: event.shift_key(),
        target: match (tag.as_str(), input_type.as_str()) {
            ("INPUT", "range") => KeyTarget::Slider,
            // Space ticks a box or presses a file picker's button.
            ("INPUT", "checkbox" | "radio" | "file" | "button" | "submit") => KeyTarget::Button,
            ("INPUT", _) | ("TEXTAREA", _) => KeyTarget::TextField,
            ("SELECT", _) => KeyTarget::Choice,
            ("BUTTON", _) | ("SUMMARY", _) => KeyTarget::Button,
            _ => KeyTarget::Other,
        },
        handled: event.default_prevented(),
    }
}

/// The help overlay: every key the page answers: the shell's own shortcuts, read from
/// the one table ([`shell::SHORTCUTS`]), then those of the canvas, the fault timeline
/// and the context menu.
pub(super) fn help_view() -> Html {
    html! {
        <div class="help" role="dialog" aria-label="Keyboard shortcuts">
            <h2>{ "Keyboard shortcuts" }</h2>
            <dl>
                { for shell::SHORTCUTS.iter().map(|shortcut| html! {
                    <><dt>{ shortcut.keys_text }</dt><dd>{ shortcut.description }</dd></>
                }) }
                <dt>{ "Tab" }</dt><dd>{ "move between nodes, AZs, regions, links and fault bars" }</dd>
                <dt>{ "Enter, menu key, Shift+F10" }</dt><dd>{ "open the focused element's menu (crash, outage, partition, degrade…) next to it" }</dd>
                <dt>{ "Space on the canvas" }</dt><dd>{ "select the focused element (Shift+Space adds to the selection)" }</dd>
                <dt>{ "drag on the canvas" }</dt><dd>{ "select the nodes in the rectangle (Shift adds); Alt+drag pans" }</dd>
                <dt>{ "+ − 0, arrows on the canvas" }</dt><dd>{ "zoom in, zoom out, fit the drawing; pan (Ctrl+wheel zooms at the pointer)" }</dd>
                <dt>{ "← → on a fault bar" }</dt><dd>{ "move it (Shift changes its end); Delete removes it" }</dd>
            </dl>
        </div>
    }
}
