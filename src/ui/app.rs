//! The app shell: header, topology area, timeline and controls, results panel, plus
//! import (file picker, drop, paste), autosave to localStorage and the error banner.
//! All decisions about what an import or a saved session means live in
//! [`crate::session`]; this module only wires them to the page.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::edit::{self, Edit, Target};
use crate::scenario::{self, presets, Scenario, ScenarioFile};
use crate::session;
use crate::share;
use crate::shell::{self, KeyPress, KeyTarget, ShellAction, ShellState, SPEEDS};
use crate::worker::plan;

use super::canvas::Canvas;
use super::fault_timeline::FaultTimeline;
use super::inspector::{Inspector, Palette};
use super::pictures::{download_bytes, export_png, export_svg, file_stem, svg_picture};
use super::planner_panel::{
    planner_view, read_targets, start_plan_worker, target_texts, PlanJob, PlanPanel, PlannerParts,
    BROWSER_TRIALS_DEFAULT,
};
use super::replay_client::{use_replay, ReplayHandle};
use std::rc::Rc;

impl Reducible for ShellState {
    type Action = ShellAction;

    fn reduce(self: Rc<Self>, action: ShellAction) -> Rc<Self> {
        shell::reduce(self, action)
    }
}

/// The starting state: a share link in the URL wins over the autosaved session; a
/// damaged link shows its errors and keeps the autosaved scenario. An embed with
/// `autoplay=1` starts playing.
fn initial_state(embedded: bool) -> ShellState {
    let state = loaded_state(embedded);
    if embedded && page_flag("autoplay") && state.file.is_some() {
        return Rc::unwrap_or_clone(shell::reduce(Rc::new(state), ShellAction::TogglePlaying));
    }
    state
}

fn loaded_state(embedded: bool) -> ShellState {
    // An embed shows only what its link carries, and never reads the visitor's session.
    let restored = if embedded {
        ShellState::default()
    } else {
        restored_state()
    };
    let fragment = gloo::utils::window().location().hash().unwrap_or_default();
    if !share::is_share_fragment(&fragment) {
        return restored;
    }
    match share::decode_fragment(&fragment) {
        Ok(file) => {
            let mut state = restored.with_file(file);
            state.notice = Some("Loaded the scenario from the link.".into());
            state
        }
        Err(errors) => ShellState {
            import_errors: errors.iter().map(ToString::to_string).collect(),
            ..restored
        },
    }
}

/// A `name=1` flag in the page's query string (`?embed=1&autoplay=1`).
fn page_flag(name: &str) -> bool {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == format!("{name}=1"))
}

/// Reads the autosaved session, if any, with a notice when it cannot be used.
fn restored_state() -> ShellState {
    let saved: Option<String> = LocalStorage::raw()
        .get_item(session::STORAGE_KEY)
        .ok()
        .flatten();
    match saved {
        None => ShellState::default(),
        Some(text) => match session::restore(&text) {
            Ok(file) => ShellState::default().with_file(file),
            Err(problem) => ShellState {
                notice: Some(problem.notice()),
                ..ShellState::default()
            },
        },
    }
}

fn autosave(file: &ScenarioFile) {
    // Storage may be full or disabled; the session then simply is not kept.
    let _ = LocalStorage::raw().set_item(session::STORAGE_KEY, &session::save(file));
}

/// The player advances this often (real milliseconds).
const PLAYER_TICK_MS: u32 = 100;

#[function_component(App)]
pub fn app() -> Html {
    let embedded = *use_state(|| page_flag("embed"));
    let state = use_reducer(|| initial_state(embedded));
    let dispatcher = state.dispatcher();
    let plan_panel = use_state(PlanPanel::default);
    let plan_job = use_mut_ref(|| None::<PlanJob>);
    let plan_selection = use_state(|| None::<(String, String)>);
    let trials_text = use_state(|| BROWSER_TRIALS_DEFAULT.to_string());
    let target_text_state = use_state(|| {
        target_texts(
            state
                .file
                .as_ref()
                .map(|file| file.plan.targets.as_slice())
                .unwrap_or(&[]),
        )
    });
    {
        // The panel shows the scenario's own targets whenever they change (load, undo).
        let target_text_state = target_text_state.clone();
        let targets = state
            .file
            .as_ref()
            .map(|file| file.plan.targets.clone())
            .unwrap_or_default();
        use_effect_with(targets, move |targets| {
            target_text_state.set(target_texts(targets));
        });
    }
    let duration_ms = state.duration_ms();
    {
        // The player: advance the clock while playing.
        let dispatcher = dispatcher.clone();
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
    {
        // Keyboard: one listener for the page, reading the shortcut table against the
        // latest state (kept in a cell, so the listener is registered once).
        let latest = use_mut_ref(|| None::<UseReducerHandle<ShellState>>);
        *latest.borrow_mut() = Some(state.clone());
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(
                &gloo::utils::document(),
                "keydown",
                move |event| {
                    let event: &web_sys::KeyboardEvent = event.unchecked_ref();
                    let Some(state) = latest.borrow().clone() else {
                        return;
                    };
                    let (actions, prevent_default) =
                        shell::shortcut_actions(&key_press(event), &state);
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
    // The frame shown is worked out by the replay worker, never on this thread.
    let replay = use_replay(
        state.revision,
        state.file.clone(),
        state.scenario.clone(),
        state.at_ms,
    );
    let reduced_motion = *use_state(prefers_reduced_motion);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let paste = use_node_ref();

    {
        // Saved whenever the file's content changes (keyed on its revision, so no file
        // is copied or compared on a render).
        let file = state.file.clone();
        use_effect_with(state.revision, move |_| {
            // An embed never writes over the visitor's own saved session.
            if let (Some(file), false) = (&file, embedded) {
                autosave(file);
            }
        });
    }

    // An import that fails keeps the current scenario and lists every problem.
    let apply_import = {
        let dispatcher = dispatcher.clone();
        Callback::from(
            move |outcome: Result<ScenarioFile, Vec<String>>| match outcome {
                Ok(file) => dispatcher.dispatch(ShellAction::ChangeFile(file)),
                Err(errors) => dispatcher.dispatch(ShellAction::ImportFailed(errors)),
            },
        )
    };
    let apply_text = {
        let apply_import = apply_import.clone();
        Callback::from(move |text: String| {
            apply_import.emit(
                session::import(&text)
                    .map_err(|errors| errors.iter().map(ToString::to_string).collect()),
            )
        })
    };

    let load_preset = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |name: &'static str| {
            if let Ok(file) = presets::load_file(name) {
                dispatcher.dispatch(ShellAction::StartOver(file));
            }
        })
    };

    // Files are read as bytes: scenario JSON, or an exported SVG or PNG picture.
    let read_file = {
        let reader = reader.clone();
        let apply_import = apply_import.clone();
        move |file: web_sys::File| {
            let apply_import = apply_import.clone();
            let name = file.name();
            let blob = gloo::file::Blob::from(file);
            let task = gloo::file::callbacks::read_as_bytes(&blob, move |result| {
                apply_import.emit(match result {
                    Ok(bytes) => session::import_bytes(&name, &bytes)
                        .map_err(|errors| errors.iter().map(ToString::to_string).collect()),
                    Err(error) => Err(vec![format!(
                        "$: {name} could not be read ({error}): try again or paste its text"
                    )]),
                })
            });
            *reader.borrow_mut() = Some(task);
        }
    };

    let on_file_chosen = {
        let read_file = read_file.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                read_file(file);
            }
            input.set_value("");
        })
    };

    let on_drop = {
        let read_file = read_file.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(file) = event
                .data_transfer()
                .and_then(|data| data.files())
                .and_then(|files| files.get(0))
            {
                read_file(file);
            }
        })
    };
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());

    let on_paste_load = {
        let paste = paste.clone();
        let apply_text = apply_text.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = paste.cast::<web_sys::HtmlTextAreaElement>() {
                apply_text.emit(area.value());
            }
        })
    };

    let run = {
        let scenario = state.scenario.clone();
        let dispatcher = dispatcher.clone();
        let request_summary = replay.request_summary.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(scenario) = &scenario {
                request_summary.emit(());
                dispatcher.dispatch(ShellAction::Seek(scenario.duration_ms));
            }
        })
    };

    let export = {
        let file = state.file.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(file) = &file {
                let name = format!(
                    "{}.json",
                    file.name
                        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
                );
                download_bytes(
                    &name,
                    crate::scenario::file::encode_pretty(file).as_bytes(),
                    "application/json",
                );
            }
        })
    };

    let make_link = {
        let file = state.file.clone();
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(file) = &file {
                let location = gloo::utils::window().location();
                let _ = location.set_hash(&share::encode_fragment(file));
                dispatcher.dispatch(ShellAction::ShareLinkMade(location.href().ok()));
            }
        })
    };

    let on_scrub = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(seconds) = input.value().parse::<u64>() {
                dispatcher.dispatch(ShellAction::Seek(seconds * 1_000));
            }
        })
    };

    let open_menu = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |target: Target| dispatcher.dispatch(ShellAction::OpenMenu(target)))
    };
    let close_menu = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::CloseMenu))
    };
    let apply_edit = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |edit: Edit| dispatcher.dispatch(ShellAction::Edit(edit)))
    };
    let undo = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::Undo))
    };
    let redo = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::Redo))
    };

    let start_plan = {
        let current = state.file.clone();
        let dispatcher = dispatcher.clone();
        let plan_panel = plan_panel.clone();
        let plan_job = plan_job.clone();
        let trials_text = trials_text.clone();
        let target_text_state = target_text_state.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(current) = &current else { return };
            // The targets typed in the panel become the scenario's own (undoable, saved).
            let file = match read_targets(&target_text_state) {
                Ok(targets) if targets != current.plan.targets => {
                    let mut changed = (**current).clone();
                    changed.plan.targets = targets;
                    dispatcher.dispatch(ShellAction::ChangeFile(changed.clone()));
                    changed
                }
                Ok(_) => (**current).clone(),
                Err(errors) => {
                    plan_panel.set(PlanPanel {
                        errors,
                        ..PlanPanel::default()
                    });
                    return;
                }
            };
            let file = &file;
            let Some(trials) = trials_text
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|trials| (1..=crate::scenario::limits::TRIALS_MAX).contains(trials))
            else {
                plan_panel.set(PlanPanel {
                    errors: vec![format!(
                        "trials: use a whole number from 1 to {}",
                        crate::scenario::limits::TRIALS_MAX
                    )],
                    ..PlanPanel::default()
                });
                return;
            };
            // Any earlier run stops; the new one starts in its own worker.
            *plan_job.borrow_mut() = None;
            match start_plan_worker(
                plan::request(file, trials, file.seed),
                file.plan.clone(),
                plan_panel.clone(),
            ) {
                Ok(job) => {
                    *plan_job.borrow_mut() = Some(job);
                    plan_panel.set(PlanPanel {
                        running: true,
                        ..PlanPanel::default()
                    });
                }
                Err(message) => plan_panel.set(PlanPanel {
                    errors: vec![message],
                    ..PlanPanel::default()
                }),
            }
        })
    };

    let cancel_plan = {
        let plan_panel = plan_panel.clone();
        let plan_job = plan_job.clone();
        Callback::from(move |_: MouseEvent| {
            // Dropping the job terminates the worker at once.
            *plan_job.borrow_mut() = None;
            plan_panel.set(PlanPanel {
                errors: vec!["Planning cancelled.".into()],
                ..PlanPanel::default()
            });
        })
    };

    let dismiss_notice = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::DismissNotice))
    };

    {
        // An opened menu takes the focus (its first action), so the keyboard can use it;
        // when it closes, the focus goes back where it was.
        let focus_before_menu = use_mut_ref(|| None::<web_sys::Element>);
        use_effect_with(state.menu.clone(), move |menu| {
            if menu.is_none() {
                if let Some(element) = focus_before_menu.borrow_mut().take() {
                    focus_element(&element);
                }
            } else {
                if focus_before_menu.borrow().is_none() {
                    *focus_before_menu.borrow_mut() = gloo::utils::document().active_element();
                }
                if let Ok(Some(item)) = gloo::utils::document().query_selector(
                    ".context-menu .menu-item:not([disabled]), .context-menu .menu-close",
                ) {
                    if let Ok(item) = item.dyn_into::<web_sys::HtmlElement>() {
                        let _ = item.focus();
                    }
                }
            }
        });
    }
    let on_select = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |choice: Option<(Target, bool)>| {
            dispatcher.dispatch(match choice {
                None => ShellAction::ClearSelection,
                Some((target, true)) => ShellAction::ToggleSelected(target),
                Some((target, false)) => ShellAction::Select(target),
            })
        })
    };
    let on_move_nodes = {
        let apply_edit = apply_edit.clone();
        Callback::from(move |(nodes, to_az): (Vec<String>, String)| {
            apply_edit.emit(Edit::MoveNodes { nodes, to_az })
        })
    };
    let canvas = |read_only: bool| {
        state
            .scenario
            .as_ref()
            .map(|scenario| {
                html! {
                    <Canvas scenario={scenario.clone()} frame={replay.frame.clone()} dots={replay.dots.clone()}
                        reduced_motion={reduced_motion} selection={state.selection.clone()} on_select={on_select.clone()}
                        on_move_nodes={on_move_nodes.clone()} open_menu={open_menu.clone()} read_only={read_only} />
                }
            })
            .unwrap_or_default()
    };
    let report_export_error = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |message: String| {
            dispatcher.dispatch(ShellAction::ExportFailed(message))
        })
    };
    let on_seek = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |at_ms: u64| dispatcher.dispatch(ShellAction::Seek(at_ms)))
    };

    if embedded {
        let location = gloo::utils::window().location();
        let full = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.hash().unwrap_or_default()
        );
        return html! {
            <div class="shell embed">
                <header class="embed-header">
                    <span class="product-name">{ crate::PRODUCT_NAME }</span>
                    <a class="open-full" href={full} target="_blank" rel="noopener">{ "Open in the planner" }</a>
                </header>
                if !state.import_errors.is_empty() {
                    <ul class="import-errors" role="alert">{ for state.import_errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
                }
                if state.scenario.is_none() && state.import_errors.is_empty() {
                    <p class="empty-state">{ "This embed shows the scenario carried in its link (#s=…): make one with Share link in the planner." }</p>
                }
                <main class="embed-main" aria-label="Embedded scenario">
                    { player_view(&state, dispatcher.clone(), duration_ms) }
                    { topology_view(state.scenario.as_deref(), &replay, state.at_ms, on_scrub, TopologyParts { canvas: canvas(true), pictures: html! {}, playing: state.playing }) }
                </main>
            </div>
        };
    }

    html! {
        <div class="shell" ondrop={on_drop} ondragover={on_drag_over}>
            <header class="shell-header">
                <h1 class="product-name">{ crate::PRODUCT_NAME }</h1>
                <nav class="preset-menu" aria-label="Presets">
                    <span class="preset-label">{ "Start from a preset:" }</span>
                    { for presets::PRESETS.iter().map(|preset| {
                        let load_preset = load_preset.clone();
                        let name = preset.name;
                        html! {
                            <button type="button" class="preset-button" title={preset.summary}
                                onclick={Callback::from(move |_| load_preset.emit(name))}>
                                { name }
                            </button>
                        }
                    }) }
                    <button type="button" class="blank-button" title="One region, one AZ, a PEER and an API node: build your own"
                        onclick={{
                            let dispatcher = dispatcher.clone();
                            Callback::from(move |_: MouseEvent| {
                                dispatcher.dispatch(ShellAction::StartOver(presets::blank()))
                            })
                        }}>{ "from scratch" }</button>
                </nav>
                <label class="import-button">
                    { "Import JSON, SVG or PNG…" }
                    <input type="file" class="import-input" accept=".json,application/json,.svg,image/svg+xml,.png,image/png" onchange={on_file_chosen} />
                </label>
            </header>
            if state.help_open {
                <div class="help" role="dialog" aria-label="Keyboard shortcuts">
                    <h2>{ "Keyboard shortcuts" }</h2>
                    <dl>
                        <dt>{ "Space" }</dt><dd>{ "play or pause" }</dd>
                        <dt>{ "→" }</dt><dd>{ "step forward one minute of simulated time" }</dd>
                        <dt>{ "?" }</dt><dd>{ "show or hide this help" }</dd>
                        <dt>{ "Esc" }</dt><dd>{ "close this help, the menu, or clear the selection" }</dd>
                        <dt>{ "Tab" }</dt><dd>{ "move between nodes, AZs, regions, links and fault bars" }</dd>
                        <dt>{ "Enter, menu key, Shift+F10" }</dt><dd>{ "open the focused element's menu (crash, outage, partition, degrade…)" }</dd>
                        <dt>{ "Space on the canvas" }</dt><dd>{ "select the focused element (Shift+Space adds to the selection)" }</dd>
                        <dt>{ "+ − 0, arrows on the canvas" }</dt><dd>{ "zoom in, zoom out, fit; pan" }</dd>
                        <dt>{ "← → on a fault bar" }</dt><dd>{ "move it (Shift changes its end); Delete removes it" }</dd>
                        <dt>{ "Ctrl+Z, Ctrl+Shift+Z" }</dt><dd>{ "undo, redo" }</dd>
                    </dl>
                </div>
            }
            if let Some(notice) = &state.notice {
                <div class="notice" role="status">
                    <span>{ notice }</span>
                    <button type="button" onclick={dismiss_notice}>{ "Dismiss" }</button>
                </div>
            }
            if !state.import_errors.is_empty() {
                <div class="import-errors" role="alert">
                    <p>{ "That file was not loaded; your current scenario is unchanged. Fix these and import again:" }</p>
                    <ul>{ for state.import_errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
                </div>
            }
            <main class="shell-main">
                <section class="topology-area" aria-label="Topology">
                    <h2>{ "Topology" }</h2>
                    { player_view(&state, dispatcher.clone(), duration_ms) }
                    { menu_view(state.menu.as_ref(), state.file.as_deref(), state.at_ms, apply_edit.clone(), close_menu) }
                    if !state.edit_errors.is_empty() {
                        <ul class="edit-errors" role="alert">{ for state.edit_errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
                    }
                    if let Some(file) = &state.file {
                        <Palette file={(**file).clone()} selection={state.selection.clone()} at_ms={state.at_ms}
                            on_edit={apply_edit.clone()} open_menu={open_menu.clone()} errors={Vec::<String>::new()} />
                    }
                    { topology_view(state.scenario.as_deref(), &replay, state.at_ms, on_scrub.clone(), TopologyParts {
                        canvas: canvas(false),
                        pictures: pictures_view(state.file.as_deref(), state.scenario.as_deref(), &replay, state.at_ms, report_export_error.clone()),
                        playing: state.playing,
                    }) }
                </section>
                <section class="timeline-area" aria-label="Timeline and controls">
                    <h2>{ "Timeline" }</h2>
                    if let Some(file) = &state.file {
                        <FaultTimeline file={file.clone()} at_ms={state.at_ms} on_edit={apply_edit.clone()} on_seek={on_seek.clone()} />
                    }
                    { timeline_view(state.scenario.as_deref(), run, apply_edit.clone()) }
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
                <section class="inspector-area" aria-label="Inspector">
                    <h2>{ "Inspector" }</h2>
                    if let Some(file) = &state.file {
                        <Inspector key={format!("{:?}", state.selection)} file={(**file).clone()} selection={state.selection.clone()} at_ms={state.at_ms}
                            on_edit={apply_edit.clone()} open_menu={open_menu.clone()} errors={state.edit_errors.clone()} />
                    } else {
                        <p class="empty-state">{ "Load a preset or start from scratch to edit a deployment." }</p>
                    }
                </section>
                <section class="results-area" aria-label="Results" aria-live="polite">
                    <h2>{ "Results" }</h2>
                    { results_view(replay.summary.as_ref(), replay.summary_running, &replay.errors) }
                </section>
                if let Some(file) = &state.file {
                    <section class="planner-area" aria-label="Planner">
                        <h2>{ "Planner: RTO and RPO by recovery strategy" }</h2>
                        { planner_view(PlannerParts {
                            panel: &plan_panel,
                            texts: &target_text_state,
                            trials: &trials_text,
                            file,
                            selected: &plan_selection,
                            start: start_plan,
                            cancel: cancel_plan,
                            on_edit: apply_edit.clone(),
                            on_export_error: report_export_error.clone(),
                        }) }
                    </section>
                }
            </main>
        </div>
    }
}

/// A key press as the shortcut table reads it.
fn key_press(event: &web_sys::KeyboardEvent) -> KeyPress {
    let tag = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .map(|element| element.tag_name())
        .unwrap_or_default();
    KeyPress {
        key: event.key(),
        control: event.ctrl_key() || event.meta_key(),
        shift: event.shift_key(),
        target: match tag.as_str() {
            "INPUT" | "TEXTAREA" => KeyTarget::TextField,
            "SELECT" => KeyTarget::Choice,
            "BUTTON" => KeyTarget::Button,
            _ => KeyTarget::Other,
        },
        handled: event.default_prevented(),
    }
}

/// Gives the focus back to an element (HTML or SVG) if it is still on the page.
fn focus_element(element: &web_sys::Element) {
    if !element.is_connected() {
        return;
    }
    if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    } else if let Some(svg) = element.dyn_ref::<web_sys::SvgElement>() {
        let _ = svg.focus();
    }
}

/// A picture to export, made only when a button is pressed.
pub(super) type PictureSource = Rc<dyn Fn() -> String>;

/// A picture that is already made.
pub(super) fn made(svg: &str) -> PictureSource {
    let svg = svg.to_string();
    Rc::new(move || svg.clone())
}

/// Export buttons for one picture: SVG and PNG, each with the scenario inside.
pub(super) fn export_buttons(
    file: &ScenarioFile,
    stem: &str,
    label: &str,
    svg: PictureSource,
    on_error: Callback<String>,
) -> Html {
    let svg_name = format!("{}-{stem}.svg", file_stem(file));
    let png_name = format!("{}-{stem}.png", file_stem(file));
    let on_svg = {
        let file = file.clone();
        let svg = svg.clone();
        let on_error = on_error.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(message) = export_svg(&svg_name, &svg(), &file) {
                on_error.emit(message);
            }
        })
    };
    let on_png = {
        let file = file.clone();
        Callback::from(move |_: MouseEvent| export_png(&png_name, &svg(), &file, on_error.clone()))
    };
    html! {
        <span class="picture-exports">
            <button type="button" class={format!("export-svg export-{stem}-svg")} onclick={on_svg} aria-label={format!("Export {label} as SVG")}>{ "SVG" }</button>
            <button type="button" class={format!("export-png export-{stem}-png")} onclick={on_png} aria-label={format!("Export {label} as PNG")}>{ "PNG" }</button>
        </span>
    }
}

/// The moment shown, as a line over a whole-run chart (drawn over the chart's own
/// plot area, which the chart declares).
fn now_line(svg: &str, at_ms: u64, duration_ms: u64) -> Html {
    let Some((left, top, right, bottom)) = crate::view::charts::plot_area_px(svg) else {
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

/// The diagram's and the charts' exports, and the charts of the whole run.
fn pictures_view(
    file: Option<&ScenarioFile>,
    scenario: Option<&Scenario>,
    replay: &ReplayHandle,
    at_ms: u64,
    on_error: Callback<String>,
) -> Html {
    let (Some(file), Some(scenario)) = (file, scenario) else {
        return html! {};
    };
    let frame = replay
        .frame
        .as_deref()
        .filter(|frame| frame.network.nodes.len() == scenario.nodes.len());
    // The diagram is drawn only when it is exported.
    let diagram: PictureSource = {
        let scenario = scenario.clone();
        let network = frame.map(|frame| frame.network.clone());
        let at_ms = frame.map(|frame| frame.at_ms).unwrap_or(0);
        Rc::new(move || {
            crate::export::diagram_svg(
                &scenario,
                &crate::view::layout(&scenario),
                network.as_ref(),
                &format!(
                    "{} at {}",
                    scenario.name,
                    scenario::duration::describe_duration(at_ms)
                ),
            )
        })
    };
    let fork = frame.map(|frame| made(&frame.fork_svg));
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
                    { for charts.iter().map(|(name, svg)| {
                        let caption = crate::view::replay::CHART_NAMES
                            .iter()
                            .find(|(known, _)| known == name)
                            .map(|(_, caption)| *caption)
                            .unwrap_or("Chart");
                        html! {
                            <figure class={format!("chart chart-{name}")}>
                                <figcaption>{ format!("{caption} over the whole run ") }
                                    { export_buttons(file, name, caption, made(svg), on_error.clone()) }
                                </figcaption>
                                <div class="chart-stack">
                                    { svg_picture(svg, "chart-picture") }
                                    { now_line(svg, at_ms, scenario.duration_ms) }
                                </div>
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
fn prefers_reduced_motion() -> bool {
    gloo::utils::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

/// What the topology area shows besides the canvas.
struct TopologyParts {
    canvas: Html,
    pictures: Html,
    /// While playing, the log is not read out line by line (it would flood a screen
    /// reader ten times a second); pausing reads the latest lines.
    playing: bool,
}

fn topology_view(
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
    let empty_log = Vec::new();
    let log = frame.map(|frame| &frame.log_tail).unwrap_or(&empty_log);
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
            if let Some(frame) = frame {
                <figure class="fork-view" aria-label="Fork view">
                    <figcaption>{ "Fork view: recent blocks by height; the top row is the best chain. ▲ marks the nodes at a tip, ✓ finalized, ↩ rolled back; the dashed line is the maxRollbackBlocks cliff." }</figcaption>
                    { svg_picture(&frame.fork_svg, "fork-picture") }
                    if frame.fork_notes.is_empty() {
                        <p class="fork-notes-empty">{ "Every node is on the best chain." }</p>
                    } else {
                        <ul class="fork-notes">{ for frame.fork_notes.iter().map(|note| html! { <li>{ note }</li> }) }</ul>
                    }
                </figure>
            }
            { pictures }
            <h3 class="log-title">{ "Event log" }</h3>
            <ol class="event-log" aria-live={if playing { "off" } else { "polite" }} aria-label="Event log">
                { for log.iter().rev().take(LOG_LINES_SHOWN).rev().map(|line| html! { <li>{ line }</li> }) }
            </ol>
        </div>
    }
}

const LOG_LINES_SHOWN: usize = 12;

fn timeline_view(
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

fn share_view(link: Option<&String>) -> Html {
    let Some(link) = link else { return html! {} };
    let too_long = link.len() > share::LINK_WARN_CHARS;
    html! {
        <div class="share">
            <label>
                { "Share link (the scenario travels in the link; no server sees it):" }
                <input type="text" class="share-link" readonly=true value={link.clone()} />
            </label>
            if too_long {
                <p class="warning" role="status">
                    { format!("This link is {} characters long: some chat tools cut links over {}. Export the JSON file instead.", link.len(), share::LINK_WARN_CHARS) }
                </p>
            }
        </div>
    }
}

/// Faults added from the menu last this long (cut at the end of the run).
const MENU_FAULT_LENGTH_MS: u64 = 30 * 60_000;

fn menu_view(
    target: Option<&Target>,
    file: Option<&ScenarioFile>,
    at_ms: u64,
    apply_edit: Callback<Edit>,
    close: Callback<MouseEvent>,
) -> Html {
    let (Some(target), Some(file)) = (target, file) else {
        return html! {};
    };
    let name = edit::target_label(target);
    // ↑ and ↓ move between the actions (Tab works too); Esc closes.
    let on_menu_key = Callback::from(|event: KeyboardEvent| {
        let step: i32 = match event.key().as_str() {
            "ArrowDown" | "ArrowRight" => 1,
            "ArrowUp" | "ArrowLeft" => -1,
            _ => return,
        };
        event.prevent_default();
        event.stop_propagation();
        let Ok(items) = gloo::utils::document().query_selector_all(
            ".context-menu [role=menuitem]:not([disabled]), .context-menu .menu-close",
        ) else {
            return;
        };
        let count = items.length() as i32;
        if count == 0 {
            return;
        }
        let active = gloo::utils::document().active_element();
        let current = (0..count)
            .find(|&index| {
                items
                    .item(index as u32)
                    .zip(active.as_ref())
                    .is_some_and(|(item, active)| item.is_same_node(Some(active)))
            })
            .unwrap_or(-1);
        let next = (current + step).rem_euclid(count);
        if let Some(item) = items
            .item(next as u32)
            .and_then(|item| item.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = item.focus();
        }
    });
    html! {
        <div class="context-menu" role="dialog" aria-labelledby="context-title" onkeydown={on_menu_key}>
            <p class="context-title" id="context-title">{ format!("Break {name} at {} for {}:", scenario::duration::describe_duration(at_ms), scenario::duration::describe_duration(MENU_FAULT_LENGTH_MS)) }</p>
            <div class="context-actions" role="menu" aria-label={format!("Break {name}")}>
            { for edit::menu_for(file, target).into_iter().map(|(label, action)| {
                let edit = edit::menu_edit(file, target, action, at_ms, MENU_FAULT_LENGTH_MS);
                let apply_edit = apply_edit.clone();
                let disabled = edit.is_none();
                html! {
                    <button type="button" role="menuitem" class={format!("menu-item menu-{}", action.name())} disabled={disabled}
                        title={disabled.then_some("nothing to do at this moment")}
                        onclick={Callback::from(move |_: MouseEvent| if let Some(edit) = &edit { apply_edit.emit(edit.clone()) })}>{ label }</button>
                }
            }) }
            </div>
            <button type="button" class="menu-close" onclick={close}>{ "Close" }</button>
        </div>
    }
}

fn player_view(
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

fn results_view(
    summary: Option<&Result<String, String>>,
    running: bool,
    errors: &[String],
) -> Html {
    if !errors.is_empty() {
        return html! {
            <ul class="error" role="alert">{ for errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
        };
    }
    if running {
        return html! { <p class="empty-state">{ "Running the whole simulation…" }</p> };
    }
    match summary {
        None => {
            html! { <p class="empty-state">{ "Run the simulation to see heights, forks and transactions." }</p> }
        }
        Some(Ok(text)) => html! { <pre class="run-summary">{ text }</pre> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message }</p> },
    }
}

/// Shows the crash banner: built with DOM calls (text only, never HTML), since Yew may
/// no longer run. "Copy diagnostic" copies the message, the seed and the scenario.
pub fn show_crash_banner(message: &str) {
    let document = gloo::utils::document();
    if document.get_element_by_id("crash-banner").is_some() {
        return;
    }
    let saved: Option<String> = LocalStorage::raw()
        .get_item(session::STORAGE_KEY)
        .ok()
        .flatten();
    let file = saved.and_then(|text| session::restore(&text).ok());
    let diagnostic = session::diagnostic(message, file.as_ref());
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let Ok(text) = document.create_element("p") else {
        return;
    };
    text.set_text_content(Some(
        "Something went wrong inside the planner. Your scenario is saved and comes back when you reload. \
         Please copy the diagnostic and report it.",
    ));
    let Ok(button) = document.create_element("button") else {
        return;
    };
    button.set_text_content(Some("Copy diagnostic"));
    let _ = button.set_attribute("type", "button");
    let Ok(details) = document.create_element("textarea") else {
        return;
    };
    details.set_class_name("crash-diagnostic");
    let _ = details.set_attribute("readonly", "");
    let _ = details.set_attribute("aria-label", "Diagnostic");
    details.set_text_content(Some(&diagnostic));
    let copy_text = diagnostic.clone();
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&copy_text);
        }
    });
    if let Some(element) = button.dyn_ref::<web_sys::HtmlElement>() {
        element.set_onclick(Some(on_click.as_ref().unchecked_ref()));
    }
    on_click.forget();
    let _ = banner.append_child(&text);
    let _ = banner.append_child(&button);
    let _ = banner.append_child(&details);
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
