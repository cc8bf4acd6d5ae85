//! The app shell: one `use_reducer` over [`ShellState`] (see [`crate::shell`]) wired
//! to the page: the toolbar, the topology area with the player and the context menu,
//! the timeline area, the inspector, the results and the planner, each drawn by its own
//! module; plus import (file picker, drop, paste), export, share links, autosave and
//! the embed mode. All decisions about what an import or a saved session means live in
//! [`crate::session`], and every state change is a [`ShellAction`]; this module only
//! wires them to the page.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::edit::{Edit, Target};
use crate::scenario::{presets, ScenarioFile};
use crate::session;
use crate::share;
use crate::shell::{self, ShellAction, ShellState, StartingState};

use super::canvas::Canvas;
use super::context_menu::{menu_view, use_menu_focus};
use super::inspector::{Inspector, Palette};
use super::keyboard::{help_view, use_shortcuts};
use super::page_state::{
    autosave, initial_state, link_in_address, opening_state, page_flag, panel_in_view,
    use_linked_panel,
};
use super::pictures::download_bytes;
use super::planner_panel::PlannerSection;
use super::player::{player_view, use_player};
use super::progressive::use_phase;
use super::rename_field::rename_view;
use super::replay_client::use_replay;
use super::results::{results_view, ShownRun};
use super::timeline_area::{timeline_area, TimelineAreaParts};
use super::timeline_strip::{strip_controls, strip_timeline, StripParts};
use super::toolbar::{toolbar_view, ToolbarParts};
use super::topology_area::{
    embed_chart_view, pictures_view, prefers_reduced_motion, topology_view, TopologyParts,
};
use super::ByPointer;

impl Reducible for ShellState {
    type Action = ShellAction;

    fn reduce(self: Rc<Self>, action: ShellAction) -> Rc<Self> {
        shell::reduce(self, action)
    }
}

/// The shell's drawing phases when it opens at a scenario (`progressive::use_phase`),
/// a main-thread task each: the toolbar and the page's sections; the canvas and the
/// player; the timeline strip and palette; the fork view, charts, log and fault list;
/// the inspector and results; the planner.
const PHASE_STAGE: u8 = 1;
const PHASE_STRIP: u8 = 2;
const PHASE_PICTURES: u8 = 3;
const PHASE_INSPECTOR: u8 = 4;
const PHASE_PLANNER: u8 = 5;

#[function_component(App)]
pub fn app() -> Html {
    let embedded = *use_state(|| page_flag("embed"));
    // A share link is read a task after the first render (`page_state::link_in_address`).
    let link_pending = use_state(link_in_address);
    let state = use_reducer(|| {
        if *link_pending {
            opening_state()
        } else {
            initial_state(embedded)
        }
    });
    {
        let dispatcher = state.dispatcher();
        let link_pending = link_pending.clone();
        use_effect_with((), move |_| {
            // Two tasks: the link is decoded and checked in one, and the page drawn with
            // it in the next (together they made one of the longest loading tasks).
            let shown = Rc::new(RefCell::new(None::<gloo::timers::callback::Timeout>));
            let open = (*link_pending).then(|| {
                let shown = shown.clone();
                gloo::timers::callback::Timeout::new(0, move || {
                    let starting = Rc::new(initial_state(embedded));
                    *shown.borrow_mut() =
                        Some(gloo::timers::callback::Timeout::new(0, move || {
                            dispatcher.dispatch(ShellAction::Start(StartingState(starting)));
                            link_pending.set(false);
                        }));
                })
            });
            move || {
                drop(open);
                drop(shown.take());
            }
        });
    }
    // Opened at a scenario (a share link, a saved session), the page is drawn a phase
    // per task (the `PHASE_*` constants above; issue 13: a scenario at the limits
    // opened from a link blocked the page for 250–390 ms in one task).
    let phase = use_phase(
        state.file.is_some() || *link_pending,
        *link_pending,
        PHASE_PLANNER,
    );
    let stage_shown = phase >= PHASE_STAGE;
    let strip_shown = phase >= PHASE_STRIP;
    let pictures_shown = phase >= PHASE_PICTURES;
    let inspector_shown = phase >= PHASE_INSPECTOR;
    let planner_shown = phase >= PHASE_PLANNER;
    let dispatcher = state.dispatcher();
    let duration_ms = state.duration_ms();
    use_player(&state);
    use_shortcuts(&state);
    // The frame shown is worked out by the replay worker, never on this thread.
    let replay = use_replay(
        state.revision,
        state.file.clone(),
        state.scenario.clone(),
        state.at_ms,
    );
    {
        // The markers' moments go into the shell's state, for the event keys.
        let dispatcher = dispatcher.clone();
        use_effect_with(replay.markers.clone(), move |markers| {
            let moments: Vec<u64> = markers.iter().map(|marker| marker.at_ms).collect();
            dispatcher.dispatch(ShellAction::MarkersFound(Rc::new(moments)));
        });
    }
    let reduced_motion = *use_state(prefers_reduced_motion);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let paste = use_node_ref();

    {
        // Saved whenever the file's content changes (keyed on its revision, so no file
        // is copied or compared on a render).
        let file = state.file.clone();
        use_effect_with(state.revision, move |_| {
            // An embed never writes over the visitor's own saved session. Saved a task
            // later (a newer revision cancels it), so encoding a large scenario never
            // lengthens the task that changed it.
            let save = match (file, embedded) {
                (Some(file), false) => Some(gloo::timers::callback::Timeout::new(0, move || {
                    autosave(&file)
                })),
                _ => None,
            };
            move || drop(save)
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

    // The link carries the moment, the speed and the panel in view (issue 13).
    let make_link = {
        let file = state.file.clone();
        let dispatcher = dispatcher.clone();
        let view = share::ShareView {
            at_ms: Some(state.at_ms),
            speed: Some(state.speed),
            panel: None,
        };
        Callback::from(move |_: MouseEvent| {
            if let Some(file) = &file {
                let location = gloo::utils::window().location();
                let view = share::ShareView {
                    panel: panel_in_view(),
                    ..view.clone()
                };
                let _ = location.set_hash(&share::encode_link(file, &view));
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

    // The canvas's callbacks are memoized on the (stable) dispatcher, so the canvas's
    // props stay equal while only the clock moves and it re-renders only when its
    // frame, dots, selection or scenario change (200 nodes at 1,000×, issue 13).
    let open_menu = use_callback(dispatcher.clone(), |target: Target, dispatcher| {
        dispatcher.dispatch(ShellAction::OpenMenu(target))
    });
    let close_menu = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::CloseMenu))
    };
    // Memoized on the (stable) dispatcher, like every callback a component below takes,
    // so the inspector, palette and planner keep equal props while the clock moves.
    let apply_edit = use_callback(dispatcher.clone(), |edit: Edit, dispatcher| {
        dispatcher.dispatch(ShellAction::Edit(edit))
    });
    let change_file = use_callback(dispatcher.clone(), |file: ScenarioFile, dispatcher| {
        dispatcher.dispatch(ShellAction::ChangeFile(file))
    });
    let undo = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::Undo))
    };
    let redo = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::Redo))
    };

    let dismiss_notice = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::DismissNotice))
    };

    use_menu_focus(state.menu.clone());
    use_linked_panel(planner_shown);
    let cancel_rename = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: ()| dispatcher.dispatch(ShellAction::CancelRename))
    };
    let on_rename = use_callback(dispatcher.clone(), |target: Target, dispatcher| {
        dispatcher.dispatch(ShellAction::StartRename(target))
    });
    let on_select_many = use_callback(
        dispatcher.clone(),
        |(targets, additive): (Vec<Target>, bool), dispatcher| {
            dispatcher.dispatch(ShellAction::SelectMany { targets, additive })
        },
    );
    let on_select = use_callback(
        dispatcher.clone(),
        |choice: Option<(Target, bool)>, dispatcher| {
            dispatcher.dispatch(match choice {
                None => ShellAction::ClearSelection,
                Some((target, true)) => ShellAction::ToggleSelected(target),
                Some((target, false)) => ShellAction::Select(target),
            })
        },
    );
    let on_move_nodes = use_callback(
        dispatcher.clone(),
        |(nodes, to_az): (Vec<String>, String), dispatcher| {
            dispatcher.dispatch(ShellAction::Edit(Edit::MoveNodes { nodes, to_az }))
        },
    );
    let canvas = |read_only: bool| {
        state
            .scenario
            .as_ref()
            .map(|scenario| {
                html! {
                    <Canvas scenario={ByPointer(scenario.clone())} frame={replay.frame.clone()} dots={replay.dots.clone()}
                        reduced_motion={reduced_motion} selection={state.selection.clone()} on_select={on_select.clone()}
                        on_move_nodes={on_move_nodes.clone()} open_menu={open_menu.clone()} read_only={read_only}
                        on_rename={on_rename.clone()} on_select_many={on_select_many.clone()}
                        frame_aspect={if embedded { crate::view::diagram::EMBED_CANVAS_FRAME_ASPECT } else { crate::view::diagram::CANVAS_FRAME_ASPECT }} />
                }
            })
            .unwrap_or_default()
    };
    let report_export_error = use_callback(dispatcher.clone(), |message: String, dispatcher| {
        dispatcher.dispatch(ShellAction::ExportFailed(message))
    });

    let start_blank = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(ShellAction::StartOver(presets::blank()))
        })
    };
    let toggle_presenting = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::TogglePresenting))
    };
    let toggle_help = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ShellAction::ToggleHelp))
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
                    { topology_view(state.scenario.as_deref(), &replay, state.at_ms, on_scrub, TopologyParts {
                        canvas: canvas(true),
                        pictures: embed_chart_view(state.scenario.as_deref(), &replay, state.at_ms),
                        playing: state.playing,
                        compact: true,
                    }) }
                </main>
            </div>
        };
    }

    let strip = StripParts {
        state: &state,
        dispatcher: dispatcher.clone(),
        markers: replay.markers.clone(),
        apply_edit: apply_edit.clone(),
    };
    let palette = state
        .file
        .as_ref()
        .map(|file| {
            html! {
                <Palette file={ByPointer(file.clone())} selection={state.selection.clone()} at_ms={0}
                    on_edit={apply_edit.clone()} open_menu={open_menu.clone()} errors={Vec::<String>::new()} />
            }
        })
        .unwrap_or_default();
    // Only a selection of several things reads the moment (the partition tool starts
    // there); otherwise the inspector keeps equal props while the clock moves.
    let inspector_at_ms = if state.selection.len() > 1 {
        state.at_ms
    } else {
        0
    };
    let shown = state
        .file
        .as_deref()
        .filter(|_| duration_ms > 0)
        .map(|file| ShownRun {
            name: &file.name,
            seed: file.seed,
            at_ms: state.at_ms,
            duration_ms,
        });

    html! {
        <div class={classes!("shell", state.presenting.then_some("presenting"))} ondrop={on_drop} ondragover={on_drag_over}>
            { toolbar_view(ToolbarParts {
                load_preset,
                start_blank,
                on_file_chosen,
                run,
                undo,
                redo,
                export,
                make_link,
                toggle_presenting,
                toggle_help,
                has_file: state.file.is_some(),
                has_run: duration_ms > 0,
                can_undo: state.history.can_undo(),
                can_redo: state.history.can_redo(),
                presenting: state.presenting,
            }) }
            if state.help_open {
                { help_view() }
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
                    <h2 class="visually-hidden">{ "Topology" }</h2>
                    { menu_view(state.menu.as_ref(), state.file.clone(), state.at_ms, apply_edit.clone(), close_menu) }
                    { rename_view(state.renaming.as_ref(), apply_edit.clone(), cancel_rename) }
                    // A refused edit is said once, in the inspector. The stylesheet
                    // orders the topology's children: canvas, player, slider, fault
                    // timeline, palette, then the fork view, the charts and the log.
                    if stage_shown {
                    { topology_view(state.scenario.as_deref(), &replay, state.at_ms, on_scrub.clone(), TopologyParts {
                        canvas: canvas(false),
                        pictures: html! {
                            <>
                                if strip_shown {
                                    { strip_controls(&strip) }
                                    { strip_timeline(&strip) }
                                    <div class="palette-row">{ palette }</div>
                                }
                                if pictures_shown {
                                    { pictures_view(state.file.as_ref(), state.scenario.as_ref(), &replay, state.at_ms, report_export_error.clone()) }
                                }
                            </>
                        },
                        playing: state.playing,
                        compact: false,
                    }) }
                    }
                </section>
                { timeline_area(TimelineAreaParts {
                    state: &state,
                    faults_shown: pictures_shown,
                    apply_edit: apply_edit.clone(),
                    paste,
                    on_paste_load,
                }) }
                <section class="inspector-area" aria-label="Inspector">
                    <h2>{ "Inspector" }</h2>
                    if let Some(file) = &state.file {
                        if inspector_shown {
                            <Inspector key={format!("{:?}", state.selection)} file={ByPointer(file.clone())} selection={state.selection.clone()} at_ms={inspector_at_ms}
                                on_edit={apply_edit.clone()} open_menu={open_menu.clone()} errors={state.edit_errors.clone()} />
                        }
                    } else {
                        <p class="empty-state">{ "Load a preset or start from scratch to edit a deployment." }</p>
                    }
                </section>
                <section class="results-area" aria-label="Results" aria-live="polite">
                    <h2>{ "Results" }</h2>
                    if inspector_shown {
                        { results_view(shown, replay.summary.as_ref(), replay.summary_running, &replay.errors) }
                    }
                </section>
                if let (Some(file), true) = (&state.file, planner_shown) {
                    <section class="planner-area" aria-label="Planner">
                        <h2>{ "Planner: RTO and RPO by recovery strategy" }</h2>
                        <PlannerSection file={ByPointer(file.clone())} on_change_file={change_file}
                            on_edit={apply_edit.clone()} on_export_error={report_export_error.clone()} />
                    </section>
                }
            </main>
        </div>
    }
}
