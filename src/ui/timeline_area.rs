//! The timeline area: the fault Gantt timeline, the list of faults with Run, undo and
//! redo, Export JSON and Share link with the link made, and pasting a scenario.

use yew::prelude::*;

use crate::edit::Edit;
use crate::scenario::{self, Scenario};
use crate::shell::ShellState;

use super::fault_timeline::FaultTimeline;
use super::share_box::ShareBox;

/// What the timeline area shows and the callbacks its buttons call.
pub(super) struct TimelineAreaParts<'a> {
    pub state: &'a ShellState,
    pub run: Callback<MouseEvent>,
    pub apply_edit: Callback<Edit>,
    pub on_seek: Callback<u64>,
    pub undo: Callback<MouseEvent>,
    pub redo: Callback<MouseEvent>,
    pub export: Callback<MouseEvent>,
    pub make_link: Callback<MouseEvent>,
    /// The paste box, read when its button is pressed.
    pub paste: NodeRef,
    pub on_paste_load: Callback<MouseEvent>,
}

pub(super) fn timeline_area(parts: TimelineAreaParts) -> Html {
    let TimelineAreaParts {
        state,
        run,
        apply_edit,
        on_seek,
        undo,
        redo,
        export,
        make_link,
        paste,
        on_paste_load,
    } = parts;
    html! {
        <section class="timeline-area" aria-label="Timeline and controls">
            <h2>{ "Timeline" }</h2>
            if let Some(file) = &state.file {
                <FaultTimeline file={file.clone()} at_ms={state.at_ms} on_edit={apply_edit.clone()} on_seek={on_seek} />
            }
            { timeline_view(state.scenario.as_deref(), run, apply_edit) }
            if state.file.is_some() {
                <div class="history-actions">
                    <button type="button" class="undo-button" onclick={undo} disabled={!state.history.can_undo()}>{ "Undo" }</button>
                    <button type="button" class="redo-button" onclick={redo} disabled={!state.history.can_redo()}>{ "Redo" }</button>
                </div>
            }
            if state.file.is_some() {
                <div class="file-actions">
                    <button type="button" class="export-button" onclick={export}>{ "Export JSON" }</button>
                    <button type="button" class="share-button" onclick={make_link}>{ "Share link" }</button>
                </div>
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

pub(super) fn timeline_view(
    scenario: Option<&Scenario>,
    run: Callback<MouseEvent>,
    apply_edit: Callback<Edit>,
) -> Html {
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
            <button type="button" class="run-button" onclick={run}>{ "Run simulation" }</button>
        </div>
    }
}

pub(super) fn share_view(link: Option<&String>) -> Html {
    let Some(link) = link else { return html! {} };
    html! { <ShareBox link={link.clone()} /> }
}
