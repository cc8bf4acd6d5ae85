//! Renaming in place: a text field over the name of the node, AZ or region being
//! renamed (F2 or a double-click on the canvas). Enter keeps the name, Escape cancels,
//! leaving the field keeps a changed name (and cancels an unchanged one).
//!
//! Invariants: the field never edits the scenario itself, it emits one rename
//! [`Edit`]; a refused name stays in the field (the inspector says why), so nothing
//! typed is lost.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::edit::{Edit, Target};

use super::context_menu::{screen_area, target_element, TargetPart};

/// The field is at least this wide, in pixels, whatever the name's box.
const RENAME_WIDTH_MIN_PX: f64 = 150.0;

#[derive(Properties, PartialEq)]
pub(super) struct RenameFieldProps {
    pub target: Target,
    pub apply_edit: Callback<Edit>,
    pub cancel: Callback<()>,
}

/// The field for `target`, or nothing when nothing is being renamed.
pub(super) fn rename_view(
    target: Option<&Target>,
    apply_edit: Callback<Edit>,
    cancel: Callback<()>,
) -> Html {
    let Some(target) = target else {
        return html! {};
    };
    html! {
        <RenameField key={format!("{target:?}")} target={target.clone()} apply_edit={apply_edit} cancel={cancel} />
    }
}

/// The id a target carries (links are not renamed).
fn current_name(target: &Target) -> Option<&str> {
    match target {
        Target::Node(id) | Target::Az(id) | Target::Region(id) => Some(id),
        Target::Link(..) => None,
    }
}

fn rename_edit(target: &Target, to: String) -> Option<Edit> {
    let from = current_name(target)?.to_string();
    Some(match target {
        Target::Node(_) => Edit::RenameNode { from, to },
        Target::Az(_) => Edit::RenameAz { from, to },
        Target::Region(_) => Edit::RenameRegion { from, to },
        Target::Link(..) => return None,
    })
}

#[function_component(RenameField)]
pub(super) fn rename_field(props: &RenameFieldProps) -> Html {
    let input_ref = use_node_ref();
    // Set by Enter and Escape until the next keystroke: the blur that follows when the
    // field goes away must not answer a second time.
    let answered = use_mut_ref(|| false);
    {
        // Placed over the name, filled with it once (later renders keep what is typed),
        // focused with the text selected, as draw.io does.
        let input_ref = input_ref.clone();
        let target = props.target.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input_ref.cast::<web_sys::HtmlInputElement>() {
                input.set_value(current_name(&target).unwrap_or_default());
                if let Some(anchor) = target_element(&target, TargetPart::Name) {
                    let area = screen_area(&anchor);
                    let style = input.style();
                    let _ = style.set_property("left", &format!("{:.0}px", area.x - 4.0));
                    let _ = style.set_property("top", &format!("{:.0}px", area.y - 4.0));
                    let _ = style.set_property(
                        "width",
                        &format!("{:.0}px", (area.width + 8.0).max(RENAME_WIDTH_MIN_PX)),
                    );
                }
                let _ = input.focus();
                input.select();
            }
        });
    }
    let commit = {
        let target = props.target.clone();
        let apply_edit = props.apply_edit.clone();
        let cancel = props.cancel.clone();
        move |text: String| {
            let name = text.trim().to_string();
            if Some(name.as_str()) == current_name(&target) {
                cancel.emit(());
            } else if let Some(edit) = rename_edit(&target, name) {
                apply_edit.emit(edit);
            }
        }
    };
    let on_key = {
        let commit = commit.clone();
        let cancel = props.cancel.clone();
        let answered = answered.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                *answered.borrow_mut() = true;
                event.prevent_default();
                event.stop_propagation();
                let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                commit(input.value());
            }
            "Escape" => {
                *answered.borrow_mut() = true;
                event.prevent_default();
                event.stop_propagation();
                cancel.emit(());
            }
            _ => *answered.borrow_mut() = false,
        })
    };
    let on_blur = Callback::from(move |event: FocusEvent| {
        // The field is gone by the time a committed rename re-renders the page: only a
        // field still on the page answers its blur.
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if input.is_connected() && !*answered.borrow() {
            commit(input.value());
        }
    });
    let label = match &props.target {
        Target::Node(id) => format!("New name for node {id}: Enter keeps it, Escape cancels"),
        Target::Az(id) => format!("New name for AZ {id}: Enter keeps it, Escape cancels"),
        Target::Region(id) => format!("New name for region {id}: Enter keeps it, Escape cancels"),
        Target::Link(..) => String::new(),
    };
    html! {
        <input ref={input_ref} type="text" class="rename-field" aria-label={label} onkeydown={on_key} onblur={on_blur} />
    }
}
