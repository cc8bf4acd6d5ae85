//! The faults area: the list of faults (each with Remove), the share link last made,
//! and pasting a scenario. The fault Gantt timeline is in the strip under the canvas
//! (`timeline_strip`); Run, undo and redo, Export JSON and Share link are in the
//! toolbar.

use yew::prelude::*;

use crate::edit::Edit;
use crate::scenario::{self, Scenario};
use crate::shell::ShellState;

use super::share_box::ShareBox;

/// What the timeline area shows and the callbacks its buttons call.
pub(super) struct TimelineAreaParts<'a> {
    pub state: &'a ShellState,
    /// `false` in the first task of a page opened at a scenario (`progressive`).
    pub faults_shown: bool,
    pub apply_edit: Callback<Edit>,
    /// The paste box, read when its button is pressed.
    pub paste: NodeRef,
    pub on_paste_load: Callback<MouseEvent>,
}

pub(super) fn timeline_area(parts: TimelineAreaParts) -> Html {
    let TimelineAreaParts {
        state,
        faults_shown,
        apply_edit,
        paste,
        on_paste_load,
    } = parts;
    html! {
        <section class="timeline-area" aria-label="Faults and files">
            <h2>{ "Faults" }</h2>
            if faults_shown {
                { timeline_view(state.scenario.as_deref(), apply_edit) }
            }
            { share_view(state.share_link.as_ref()) }
            <details class="paste">
                <summary>{ "Paste scenario JSON" }</summary>
                <textarea ref={paste} class="paste-input" rows="6" aria-label="Scenario JSON" />
                <button type="button" class="paste-load" onclick={on_paste_load}>{ "Load pasted JSON" }</button>
            </details>
        </section>
    }
}

pub(super) fn timeline_view(scenario: Option<&Scenario>, apply_edit: Callback<Edit>) -> Html {
    let Some(scenario) = scenario else {
        return html! { <p class="empty-state">{ "Faults appear here once a scenario is loaded." }</p> };
    };
    html! {
        <div class="timeline">
            <ul class="fault-list">
                { for scenario.faults.iter().map(|fault| {
                    let apply_edit = apply_edit.clone();
                    let index = fault.file_index;
                    html! {
                        <li>
                            { format!("{} → {}: {} ",
                                scenario::duration::describe_duration(fault.at_ms),
                                fault.until_ms.map(scenario::duration::describe_duration).unwrap_or_else(|| "end".into()),
                                fault.label) }
                            <button type="button" class="remove-fault" aria-label={format!("Remove {}", fault.label)}
                                onclick={Callback::from(move |_: MouseEvent| apply_edit.emit(Edit::RemoveFault(index)))}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

pub(super) fn share_view(link: Option<&String>) -> Html {
    let Some(link) = link else { return html! {} };
    html! { <ShareBox link={link.clone()} /> }
}
