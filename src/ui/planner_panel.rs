//! The planner panel: targets and the planner's assumptions (editable in place, saved
//! through the scenario's edit and undo history), trials, the run in the plan worker
//! with progress and cancel, the strategy × failure matrix with a cost column, the
//! selected cell's explanation in sentences, the targets in words and the
//! recommendation, the same plan as a table with its CSV and Markdown exports, and the
//! RTO/RPO charts. Every number shown comes from the plan's `plan --json` object (see
//! [`crate::view::plan_explain`]); this module only draws it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use serde_json::Value;

use crate::edit::{self, AssumptionView, Edit};
use crate::scenario::file::{FailureKind, PlanFile, TargetFile};
use crate::scenario::{self, ScenarioFile};
use crate::view::plan_explain::{self, CellState};
use crate::worker::plan::{self, PlanView, Reply};

use super::pictures::{download_bytes, svg_picture};
use super::pictures::{export_buttons, made};
use super::ByPointer;

/// The planner panel: progress while running, then the result or the errors.
#[derive(Clone, PartialEq, Default)]
struct PlanPanel {
    pub(super) running: bool,
    pub(super) progress: (u64, u64),
    pub(super) result: Option<PlanView>,
    pub(super) errors: Vec<String>,
    /// The `plan` section the result was planned with (to say when it changed since).
    pub(super) planned: Option<PlanFile>,
}

/// Trials per cell when planning in the browser (the command line defaults to the file's).
const BROWSER_TRIALS_DEFAULT: u64 = 10;

/// The plan worker (on the planner module, `ui::workers::spawn_planner`) and the
/// handlers that receive its replies; dropping it terminates the worker, and with it
/// the trial workers it started.
struct PlanJob {
    worker: web_sys::Worker,
    _on_message: wasm_bindgen::closure::Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>,
}

impl Drop for PlanJob {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts the plan in the plan worker, so the page never waits for it; the worker
/// spreads the trials over one trial worker per core (at least two) and gives exactly
/// what `catapult-dr plan` gives for the same file, trials and seed (see
/// `worker::plan::Coordinator`). Its replies (progress, the result or the errors)
/// update the panel; a planner module that cannot load or start, or a plan worker that
/// stops with an error, is said in the panel.
/// Returns the job (dropping it stops the workers), or why none could start.
fn start_plan_worker(
    request: String,
    planned: PlanFile,
    panel: UseStateHandle<PlanPanel>,
) -> Result<PlanJob, String> {
    let worker = super::workers::spawn_planner()?;
    let worker_for_request = worker.clone();
    // Whether the worker said READY: an error before it is a module that did not start.
    let started = Rc::new(std::cell::Cell::new(false));
    let on_message = {
        let panel = panel.clone();
        let started = Rc::clone(&started);
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                if text == plan::READY {
                    started.set(true);
                    if worker_for_request
                        .post_message(&request.clone().into())
                        .is_err()
                    {
                        panel.set(PlanPanel {
                            errors: vec!["the planner worker did not take the request".into()],
                            ..PlanPanel::default()
                        });
                    }
                    return;
                }
                let Some(reply) = plan::parse_reply(&text) else {
                    return;
                };
                panel.set(match reply {
                    Reply::Progress { done, total } => PlanPanel {
                        running: true,
                        progress: (done, total),
                        ..PlanPanel::default()
                    },
                    Reply::Done(view) => PlanPanel {
                        result: Some(view),
                        planned: Some(planned.clone()),
                        ..PlanPanel::default()
                    },
                    Reply::Failed(errors) => PlanPanel {
                        errors,
                        ..PlanPanel::default()
                    },
                });
            },
        )
    };
    let on_error = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
        move |event: web_sys::Event| {
            let detail = event
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|error| error.message());
            panel.set(PlanPanel {
                errors: vec![plan::worker_error_text(started.get(), detail.as_deref())],
                ..PlanPanel::default()
            });
        },
    );
    // The request goes out when the worker says it is ready (see `plan::READY`).
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(PlanJob {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// The target texts shown in the panel, one (RTO, RPO) pair per failure kind in
/// `FailureKind::ALL` order.
pub(super) type TargetTexts = Vec<(String, String)>;

fn target_texts(targets: &[TargetFile]) -> TargetTexts {
    let text = |value: Option<u64>| {
        value
            .map(scenario::duration::format_duration)
            .unwrap_or_default()
    };
    FailureKind::ALL
        .iter()
        .map(|&failure| {
            let target = targets.iter().find(|target| target.failure == failure);
            (
                text(target.and_then(|target| target.rto_ms)),
                text(target.and_then(|target| target.rpo_ms)),
            )
        })
        .collect()
}

/// Reads the target texts (`"5m"`, `"1d"`, or empty for no target), with every problem
/// named in words ("AZ outage RTO target: …").
fn read_targets(texts: &TargetTexts) -> Result<Vec<TargetFile>, Vec<String>> {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for (failure, (rto_text, rpo_text)) in FailureKind::ALL.iter().zip(texts) {
        let mut parse = |text: &str, field: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match scenario::duration::parse_duration(text) {
                Ok(ms) => Some(ms),
                Err(message) => {
                    errors.push(format!(
                        "{} {} target: {message}",
                        plan_explain::failure_title(failure.as_str()),
                        field.to_uppercase()
                    ));
                    None
                }
            }
        };
        let (rto_ms, rpo_ms) = (parse(rto_text, "rto"), parse(rpo_text, "rpo"));
        if rto_ms.is_some() || rpo_ms.is_some() {
            targets.push(TargetFile {
                failure: *failure,
                rto_ms,
                rpo_ms,
            });
        }
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

fn target_inputs(texts: &UseStateHandle<TargetTexts>) -> Html {
    html! {
        <table class="targets">
            <caption>{ "Targets (like 5m, 2h, 1d; empty = none)" }</caption>
            <thead><tr><th>{ "failure" }</th><th>{ "RTO" }</th><th>{ "RPO" }</th></tr></thead>
            <tbody>
                { for FailureKind::ALL.iter().enumerate().map(|(index, &failure)| {
                    let on_input = |rpo: bool| {
                        let texts = texts.clone();
                        Callback::from(move |event: InputEvent| {
                            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                            let mut next = (*texts).clone();
                            if rpo { next[index].1 = input.value() } else { next[index].0 = input.value() }
                            texts.set(next);
                        })
                    };
                    html! {
                        <tr>
                            <th scope="row" title={failure.describe()}>{ failure.as_str() }</th>
                            <td><input type="text" class="target-rto" data-failure={failure.as_str()} size="5"
                                aria-label={format!("RTO target for {}", failure.as_str())}
                                value={texts[index].0.clone()} oninput={on_input(false)} /></td>
                            <td><input type="text" class="target-rpo" data-failure={failure.as_str()} size="5"
                                aria-label={format!("RPO target for {}", failure.as_str())}
                                value={texts[index].1.clone()} oninput={on_input(true)} /></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// What the planner section takes from the shell. Everything compares cheaply (the file
/// by identity, the callbacks memoized by the shell), so the section is built and
/// diffed only when the scenario or its own state changes, never because the clock
/// moved (200 nodes at 1,000×, issue 13).
#[derive(Properties, PartialEq)]
pub(super) struct PlannerSectionProps {
    /// The scenario to plan.
    pub(super) file: ByPointer<ScenarioFile>,
    /// Makes a changed file the scenario's own (the targets typed here: undoable, saved).
    pub(super) on_change_file: Callback<ScenarioFile>,
    /// Saves an edit into the scenario (validated, undoable, autosaved).
    pub(super) on_edit: Callback<Edit>,
    pub(super) on_export_error: Callback<String>,
}

/// The planner section: owns the plan's state (the run, its workers, the selected
/// cell, the typed targets and trials), so nothing of it lives in the shell.
#[function_component(PlannerSection)]
pub(super) fn planner_section(props: &PlannerSectionProps) -> Html {
    let file = &props.file.0;
    let plan_panel = use_state(PlanPanel::default);
    let plan_job = use_mut_ref(|| None::<PlanJob>);
    let plan_selection = use_state(|| None::<(String, String)>);
    let trials_text = use_state(|| BROWSER_TRIALS_DEFAULT.to_string());
    let target_text_state = use_state(|| target_texts(&file.plan.targets));
    {
        // The panel shows the scenario's own targets whenever they change (load, undo).
        let target_text_state = target_text_state.clone();
        use_effect_with(file.plan.targets.clone(), move |targets| {
            target_text_state.set(target_texts(targets));
        });
    }
    let start = {
        let current = Rc::clone(file);
        let on_change_file = props.on_change_file.clone();
        let plan_panel = plan_panel.clone();
        let plan_job = plan_job.clone();
        let trials_text = trials_text.clone();
        let target_text_state = target_text_state.clone();
        Callback::from(move |_: MouseEvent| {
            // The targets typed in the panel become the scenario's own (undoable, saved).
            let file = match read_targets(&target_text_state) {
                Ok(targets) if targets != current.plan.targets => {
                    let mut changed = (*current).clone();
                    changed.plan.targets = targets;
                    on_change_file.emit(changed.clone());
                    changed
                }
                Ok(_) => (*current).clone(),
                Err(errors) => {
                    plan_panel.set(PlanPanel {
                        errors,
                        ..PlanPanel::default()
                    });
                    return;
                }
            };
            let Some(trials) = trials_text
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|trials| (1..=scenario::limits::TRIALS_MAX).contains(trials))
            else {
                plan_panel.set(PlanPanel {
                    errors: vec![format!(
                        "trials: use a whole number from 1 to {}",
                        scenario::limits::TRIALS_MAX
                    )],
                    ..PlanPanel::default()
                });
                return;
            };
            // Any earlier run stops; the new one starts in its own workers.
            *plan_job.borrow_mut() = None;
            match start_plan_worker(
                plan::request(&file, trials, file.seed),
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
    let cancel = {
        let plan_panel = plan_panel.clone();
        Callback::from(move |_: MouseEvent| {
            // Dropping the job terminates the workers at once.
            *plan_job.borrow_mut() = None;
            plan_panel.set(PlanPanel {
                errors: vec!["Planning cancelled.".into()],
                ..PlanPanel::default()
            });
        })
    };
    planner_view(PlannerParts {
        panel: &plan_panel,
        texts: &target_text_state,
        trials: &trials_text,
        file,
        selected: &plan_selection,
        start,
        cancel,
        on_edit: props.on_edit.clone(),
        on_export_error: props.on_export_error.clone(),
    })
}

/// What the planner panel needs from the shell.
struct PlannerParts<'a> {
    pub(super) panel: &'a PlanPanel,
    pub(super) texts: &'a UseStateHandle<TargetTexts>,
    pub(super) trials: &'a UseStateHandle<String>,
    pub(super) file: &'a Rc<ScenarioFile>,
    /// The selected matrix cell: (strategy, failure).
    pub(super) selected: &'a UseStateHandle<Option<(String, String)>>,
    pub(super) start: Callback<MouseEvent>,
    pub(super) cancel: Callback<MouseEvent>,
    /// Saves an edit into the scenario (validated, undoable, autosaved).
    pub(super) on_edit: Callback<Edit>,
    pub(super) on_export_error: Callback<String>,
}

/// The planner: targets and assumptions (editable) next to the strategy × failure
/// matrix, the selected cell's explanation, the recommendation, the exports and the
/// RTO/RPO charts.
fn planner_view(parts: PlannerParts<'_>) -> Html {
    let PlannerParts {
        panel,
        texts,
        trials,
        file,
        selected,
        start,
        cancel,
        on_edit,
        on_export_error,
    } = parts;
    let (done, total) = panel.progress;
    let on_trials = {
        let trials = trials.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            trials.set(input.value());
        })
    };
    let stale = match (&panel.planned, &panel.result) {
        (Some(planned), Some(_)) => planned != &file.plan,
        _ => false,
    };
    html! {
        <div class="planner">
            <div class="planner-inputs">
                <div class="planner-controls">
                    <label>{ "Trials per cell " }
                        <input type="number" class="trials-input" min="1" max="10000"
                            value={(**trials).clone()} oninput={on_trials} />
                    </label>
                    if panel.running {
                        <button type="button" class="cancel-plan" onclick={cancel}>{ "Cancel" }</button>
                    } else {
                        <button type="button" class="run-plan" onclick={start}>{ "Plan" }</button>
                    }
                </div>
                if panel.running {
                    <progress class="plan-progress" max={total.to_string()} value={done.to_string()}
                        aria-label="Planning progress">{ format!("{done} of {total}") }</progress>
                }
                if !panel.errors.is_empty() {
                    <ul class="plan-errors" role="alert">{ for panel.errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
                }
                { target_inputs(texts) }
                { assumptions_view(file, &on_edit) }
            </div>
            <div class="planner-results">
                if let Some(result) = &panel.result {
                    if stale {
                        <p class="plan-stale" role="status">{ "The targets or assumptions changed since this plan: press Plan to see their effect." }</p>
                    }
                    { plan_summary(result) }
                    { plan_matrix(result, selected) }
                    { cell_explanation(result, selected.as_ref()) }
                    { plan_table(result) }
                    { plan_charts(result, file, on_export_error) }
                } else if !panel.running {
                    <p class="empty-state">{ "Press Plan to measure RTO and RPO for every recovery strategy and failure; the matrix, its explanations and the charts appear here." }</p>
                }
            </div>
        </div>
    }
}

/// The targets in words and the recommendation (or why there is none), always shown.
fn plan_summary(view: &PlanView) -> Html {
    html! {
        <div class="plan-summary">
            if view.targets.is_empty() {
                <p class="plan-targets">{ "Targets: none set, so nothing passes or fails and there is no recommendation. Type an RTO or RPO for a failure and press Plan." }</p>
            } else {
                <p class="plan-targets">{ "Targets: " }
                    { for view.targets.iter().enumerate().map(|(index, (_, words))| html! {
                        <>
                            if index > 0 { { "; " } }
                            <span class="plan-target">{ words }</span>
                        </>
                    }) }
                </p>
            }
            <p class="recommendation"><strong>{ "Recommendation: " }</strong>{ &view.recommendation_note }</p>
        </div>
    }
}

/// Moves the focus to the matrix cell at (row, column), if there is one.
fn focus_cell(row: i64, column: i64) {
    let selector = format!(".matrix-cell[data-row=\"{row}\"][data-column=\"{column}\"]");
    if let Ok(Some(element)) = gloo::utils::document().query_selector(&selector) {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// The strategy × failure matrix: a focusable button per cell (state in words and by
/// colour, short RTO/RPO texts), arrow keys move between cells, and a cost column.
fn plan_matrix(view: &PlanView, selected: &UseStateHandle<Option<(String, String)>>) -> Html {
    let cells: Vec<Value> = view.plan["results"].as_array().cloned().unwrap_or_default();
    let mut strategies: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for cell in &cells {
        let strategy = cell["strategy"].as_str().unwrap_or_default().to_string();
        let failure = cell["failure"].as_str().unwrap_or_default().to_string();
        if !strategies.contains(&strategy) {
            strategies.push(strategy);
        }
        if !failures.contains(&failure) {
            failures.push(failure);
        }
    }
    let currency = plan_explain::currency(&view.plan).to_string();
    let on_key = Callback::from(|event: KeyboardEvent| {
        let Some(target) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let read = |name: &str| {
            target
                .get_attribute(name)
                .and_then(|text| text.parse::<i64>().ok())
        };
        let (Some(row), Some(column)) = (read("data-row"), read("data-column")) else {
            return;
        };
        let (row, column) = match event.key().as_str() {
            "ArrowRight" => (row, column + 1),
            "ArrowLeft" => (row, column - 1),
            "ArrowDown" => (row + 1, column),
            "ArrowUp" => (row - 1, column),
            _ => return,
        };
        // The player's shortcuts (→ steps the run) leave a handled key alone.
        event.prevent_default();
        focus_cell(row, column);
    });
    html! {
        <table class="plan-matrix" onkeydown={on_key}>
            <caption>{ format!("Strategy × failure, {} trials per cell: measured p95 with the estimate under it. Select a cell for its explanation (arrow keys move between cells).", view.trials) }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "Strategy" }</th>
                    { for failures.iter().map(|failure| html! {
                        <th scope="col" title={FailureKind::parse(failure).map(FailureKind::describe).unwrap_or_default()}>{ plan_explain::failure_title(failure) }</th>
                    }) }
                    <th scope="col" class="matrix-cost-heading">{ format!("Monthly cost ({currency})") }</th>
                </tr>
            </thead>
            <tbody>
                { for strategies.iter().enumerate().map(|(row, strategy)| html! {
                    <tr>
                        <th scope="row" class="matrix-strategy">{ plan_explain::strategy_title(strategy) }<span class="matrix-strategy-id">{ strategy }</span></th>
                        { for failures.iter().enumerate().map(|(column, failure)| {
                            let cell = cells.iter().find(|cell| cell["strategy"] == strategy.as_str() && cell["failure"] == failure.as_str());
                            match cell {
                                Some(cell) => matrix_cell(cell, row, column, selected),
                                None => html! { <td class="matrix-empty">{ "not planned" }</td> },
                            }
                        }) }
                        <td class="matrix-cost">{ plan_explain::monthly_cost_text(&view.plan, strategy).unwrap_or_else(|| "n/a".to_string()) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn matrix_cell(
    cell: &Value,
    row: usize,
    column: usize,
    selected: &UseStateHandle<Option<(String, String)>>,
) -> Html {
    let strategy = cell["strategy"].as_str().unwrap_or_default().to_string();
    let failure = cell["failure"].as_str().unwrap_or_default().to_string();
    let state = CellState::of(cell);
    let (rto, rpo) = plan_explain::short_texts(cell);
    let numbers = matches!(
        state,
        CellState::Pass | CellState::Fail | CellState::NoTarget | CellState::NeedsOperator
    ) && cell["survivable"] == Value::Bool(true);
    let verdict = match (state, cell["meets_target"].as_bool()) {
        (CellState::NeedsOperator | CellState::NotSurvivable, Some(true)) => " · pass",
        (CellState::NeedsOperator | CellState::NotSurvivable, Some(false)) => " · FAIL",
        _ => "",
    };
    let key = (strategy.clone(), failure.clone());
    let is_selected = selected.as_ref() == Some(&key);
    let on_click = {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(Some(key.clone())))
    };
    html! {
        <td class={classes!("matrix-td", state.class())}>
            <button type="button" class={classes!("matrix-cell", state.class(), is_selected.then_some("selected"))}
                data-strategy={strategy} data-failure={failure}
                data-row={row.to_string()} data-column={column.to_string()}
                aria-pressed={is_selected.to_string()}
                aria-label={plan_explain::cell_label(cell, &rto, &rpo)}
                onclick={on_click}>
                <span class="cell-state">{ format!("{}{verdict}", state.words()) }</span>
                if numbers {
                    { cell_metric("RTO", &rto) }
                    { cell_metric("RPO", &rpo) }
                }
            </button>
        </td>
    }
}

/// "RTO" and its short text ("est. 1m · p95 1m 3s") as two lines: the measured p95
/// first, the estimate under it.
fn cell_metric(metric: &str, text: &str) -> Html {
    let (estimate, measured) = text.split_once(" · ").unwrap_or(("", text));
    // The caption says the first number is the measured p95.
    let measured = measured.strip_prefix("p95 ").unwrap_or(measured);
    html! {
        <span class={format!("cell-{}", metric.to_lowercase())}>
            <span class="cell-measured">{ format!("{metric} {measured}") }</span>
            if !estimate.is_empty() {
                <span class="cell-estimate">{ estimate }</span>
            }
        </span>
    }
}

/// The selected cell explained in sentences (read out when it changes).
fn cell_explanation(view: &PlanView, selected: Option<&(String, String)>) -> Html {
    let cell = selected.and_then(|(strategy, failure)| {
        view.plan["results"].as_array()?.iter().find(|cell| {
            cell["strategy"] == strategy.as_str() && cell["failure"] == failure.as_str()
        })
    });
    let Some(cell) = cell else {
        return html! {
            <div class="cell-explanation empty" aria-live="polite">
                <p class="empty-state">{ "Select a cell of the matrix to see why it passes or fails, how its estimate adds up (assumed steps marked) and what the trials measured." }</p>
            </div>
        };
    };
    let failure = cell["failure"].as_str().unwrap_or_default();
    let target = view
        .targets
        .iter()
        .find(|(name, _)| name == failure)
        .and_then(|(_, words)| words.split_once(": ").map(|(_, limits)| limits));
    let explanation = plan_explain::explain_cell(cell, target);
    let state = CellState::of(cell);
    html! {
        <div class={classes!("cell-explanation", state.class())} aria-live="polite">
            <h4>{ &explanation.title }<span class="explanation-state">{ state.words() }</span></h4>
            <p class="explanation-verdict">{ &explanation.verdict }</p>
            { for explanation.sections.iter().map(|section| html! {
                <div class="explanation-section">
                    <h5>{ &section.heading }</h5>
                    <ul>
                        { for section.lines.iter().map(|line| html! {
                            <li class={classes!(line.assumed.then_some("assumed"))}>{ &line.text }</li>
                        }) }
                    </ul>
                </div>
            }) }
        </div>
    }
}

/// The planner's assumptions, each editable in place with its source; a refused value
/// stays in its field with the reason, naming the field in words.
fn assumptions_view(file: &Rc<ScenarioFile>, on_edit: &Callback<Edit>) -> Html {
    let assumptions = edit::plan_assumptions(file);
    html! {
        <div class="plan-assumptions">
            <h4>{ "Assumptions" }</h4>
            <p class="field-hint">{ "Durations like 1 h, 30 min or 1 h 30 min. A change applies when you press Enter or leave the field (undo with Ctrl+Z); press Plan again to see its effect." }</p>
            <table class="assumptions">
                <thead><tr><th scope="col">{ "assumption and its source" }</th><th scope="col">{ "value" }</th></tr></thead>
                <tbody>
                    { for assumptions.iter().map(|assumption| html! {
                        <AssumptionField key={assumption.name} assumption={assumption.clone()} file={file.clone()} on_edit={on_edit.clone()} />
                    }) }
                </tbody>
            </table>
            if assumptions.iter().any(|assumption| !assumption.editable) {
                <p class="field-hint assumptions-defaults">{ "Greyed values are the planner's defaults for a backup that is not drawn: add a backup vault in the inspector to change them." }</p>
            }
        </div>
    }
}

#[derive(Properties)]
struct AssumptionFieldProps {
    assumption: AssumptionView,
    file: Rc<ScenarioFile>,
    on_edit: Callback<Edit>,
}

/// The file is compared by pointer: the shell makes a new one for every change, and
/// comparing (or cloning) a whole scenario for each field on every frame of a replay
/// cost about 8 % of the page's time with 200 nodes (issue 13).
impl PartialEq for AssumptionFieldProps {
    fn eq(&self, other: &Self) -> bool {
        self.assumption == other.assumption
            && Rc::ptr_eq(&self.file, &other.file)
            && self.on_edit == other.on_edit
    }
}

/// One assumption's row: its label, a text field that commits on Enter or on leaving
/// it (checked first, so a refusal keeps the text and says why), and its source.
#[function_component(AssumptionField)]
fn assumption_field(props: &AssumptionFieldProps) -> Html {
    let assumption = &props.assumption;
    let text = use_state(|| assumption.value_text.clone());
    let error = use_state(|| None::<String>);
    {
        // A new stored value (undo, another scenario) replaces the text.
        let text = text.clone();
        let error = error.clone();
        use_effect_with(assumption.value_text.clone(), move |value| {
            text.set(value.clone());
            error.set(None);
        });
    }
    let on_input = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            text.set(input.value());
        })
    };
    let on_change = {
        let file = props.file.clone();
        let on_edit = props.on_edit.clone();
        let error = error.clone();
        let name = assumption.name;
        let label = assumption.label;
        let stored = assumption.value_text.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let value = input.value();
            if value.trim() == stored {
                error.set(None);
                return;
            }
            let change = Edit::SetPlanAssumption {
                name: name.to_string(),
                value,
            };
            match edit::apply(&file, &change) {
                Ok(_) => {
                    error.set(None);
                    on_edit.emit(change);
                }
                Err(errors) => error.set(Some(format!(
                    "{label}: {}",
                    errors
                        .iter()
                        .map(|error| error.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ))),
            }
        })
    };
    let field_class = format!("assumption-{}", assumption.name.replace('.', "-"));
    let error_id = format!("{field_class}-error");
    html! {
        <tr class={classes!("assumption", field_class.clone(), error.is_some().then_some("invalid"))}>
            <th scope="row">
                <label for={field_class.clone()}>{ assumption.label }</label>
                <span class="assumption-source">{ assumption.source }</span>
            </th>
            <td>
                <input type="text" id={field_class.clone()} class="assumption-input" data-name={assumption.name}
                    value={(*text).clone()} oninput={on_input} onchange={on_change}
                    readonly={!assumption.editable}
                    aria-invalid={error.is_some().to_string()}
                    aria-describedby={error.is_some().then(|| error_id.clone())} />
                if !assumption.unit.is_empty() {
                    <span class="assumption-unit">{ format!(" {}", assumption.unit) }</span>
                }
                if let Some(message) = &*error {
                    <p class="field-error" id={error_id} role="alert">{ message }</p>
                }
            </td>
        </tr>
    }
}

/// The RTO/RPO bar charts against the targets, one per failure kind, each exportable.
fn plan_charts(view: &PlanView, file: &Rc<ScenarioFile>, on_error: Callback<String>) -> Html {
    html! {
        <div class="plan-charts">
            <h4>{ "RTO and RPO per strategy against the targets (p95, log scale)" }</h4>
            <div class="plan-chart-grid">
                { for view.charts.iter().map(|(failure, svg)| html! {
                    <figure class={format!("chart plan-chart plan-chart-{failure}")}>
                        <figcaption>{ format!("{} ", plan_explain::failure_title(failure)) }
                            { export_buttons(file, &format!("rto-rpo-{failure}"), &format!("the {failure} RTO/RPO chart"), made(svg), on_error.clone()) }
                        </figcaption>
                        { svg_picture(svg, "chart-picture") }
                    </figure>
                }) }
            </div>
        </div>
    }
}

/// The same numbers as a flat table (estimate | measured p50 / p95), the CSV and
/// Markdown downloads.
fn plan_table(view: &PlanView) -> Html {
    html! {
        <>
            <details class="plan-table-details">
                <summary>{ "The same plan as a table (estimate | measured p50 / p95)" }</summary>
                <table class="plan-table">
                    <caption>{ format!("estimate | measured p50 / p95, {} trials per cell", view.trials) }</caption>
                    <thead><tr><th>{ "strategy" }</th><th>{ "failure" }</th><th>{ "RTO" }</th><th>{ "RPO" }</th><th>{ "target" }</th></tr></thead>
                    <tbody>
                        { for view.rows.iter().map(|row| html! {
                            <tr class={if row.survivable { "survivable" } else { "not-survivable" }}>
                                <td>{ &row.strategy }</td><td>{ &row.failure }</td>
                                <td>{ &row.rto }</td><td>{ &row.rpo }</td><td>{ &row.target }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
            <div class="plan-exports">
                <button type="button" class="plan-csv" onclick={{
                    let text = view.csv.clone();
                    Callback::from(move |_: MouseEvent| download_bytes("rto-rpo.csv", text.as_bytes(), "text/csv"))
                }}>{ "Download CSV" }</button>
                <button type="button" class="plan-markdown" onclick={{
                    let text = view.markdown.clone();
                    Callback::from(move |_: MouseEvent| download_bytes("rto-rpo.md", text.as_bytes(), "text/markdown"))
                }}>{ "Download Markdown" }</button>
            </div>
        </>
    }
}
