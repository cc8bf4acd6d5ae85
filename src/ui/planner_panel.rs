//! The planner panel: targets, trials, the run in the plan worker with progress and
//! cancel, the strategy × failure table, the recommendation, the CSV and Markdown
//! exports and the RTO/RPO charts.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::scenario::file::{FailureKind, TargetFile};
use crate::scenario::{self, ScenarioFile};
use crate::worker::plan::{self, PlanView, Reply};

use super::app::{export_buttons, made};
use super::pictures::{download_bytes, svg_picture};

/// The planner panel: progress while running, then the result or the errors.
#[derive(Clone, PartialEq, Default)]
pub(super) struct PlanPanel {
    pub(super) running: bool,
    pub(super) progress: (u64, u64),
    pub(super) result: Option<PlanView>,
    pub(super) errors: Vec<String>,
}

/// Trials per cell when planning in the browser (the command line defaults to the file's).
pub(super) const BROWSER_TRIALS_DEFAULT: u64 = 10;
/// The planner's worker script (Trunk's loader for the `plan-worker` binary), relative
/// to the page, so it works under any sub-path.
const PLAN_WORKER_URL: &str = "./plan-worker_loader.js";

/// A running planner worker and the handler that receives its replies.
pub(super) struct PlanJob {
    worker: web_sys::Worker,
    _on_message: wasm_bindgen::closure::Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl Drop for PlanJob {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts the plan in a Web Worker, so the page never waits for it; replies update the
/// panel. Returns the job (dropping it stops the worker), or why it could not start.
pub(super) fn start_plan_worker(
    request: String,
    panel: UseStateHandle<PlanPanel>,
) -> Result<PlanJob, String> {
    let worker = web_sys::Worker::new(PLAN_WORKER_URL)
        .map_err(|error| format!("the planner worker could not start: {error:?}"))?;
    let worker_for_request = worker.clone();
    let on_message = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
        move |event: web_sys::MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            if text == plan::READY {
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
                    result: None,
                    errors: Vec::new(),
                },
                Reply::Done(view) => PlanPanel {
                    running: false,
                    progress: (0, 0),
                    result: Some(view),
                    errors: Vec::new(),
                },
                Reply::Failed(errors) => PlanPanel {
                    errors,
                    ..PlanPanel::default()
                },
            });
        },
    );
    // The request goes out when the worker says it is ready (see `plan::READY`).
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok(PlanJob {
        worker,
        _on_message: on_message,
    })
}

/// The target texts shown in the panel, one (RTO, RPO) pair per failure kind in
/// `FailureKind::ALL` order.
pub(super) type TargetTexts = Vec<(String, String)>;

pub(super) fn target_texts(targets: &[TargetFile]) -> TargetTexts {
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
/// named by its path in the scenario file.
pub(super) fn read_targets(texts: &TargetTexts) -> Result<Vec<TargetFile>, Vec<String>> {
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
                        "plan.targets.{}.{field}: {message}",
                        failure.as_str()
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

pub(super) fn planner_view(
    panel: &PlanPanel,
    texts: &UseStateHandle<TargetTexts>,
    trials: &UseStateHandle<String>,
    start: Callback<MouseEvent>,
    cancel: Callback<MouseEvent>,
) -> Html {
    let (done, total) = panel.progress;
    let on_trials = {
        let trials = trials.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            trials.set(input.value());
        })
    };
    html! {
        <div class="planner">
            <h3>{ "RTO and RPO by recovery strategy" }</h3>
            { target_inputs(texts) }
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
            if let Some(result) = &panel.result {
                { plan_table(result) }
            }
        </div>
    }
}

/// The RTO/RPO bar charts against the targets, one per failure kind, each exportable.
pub(super) fn plan_charts(
    view: &PlanView,
    file: &ScenarioFile,
    on_error: Callback<String>,
) -> Html {
    html! {
        <div class="plan-charts">
            <h4>{ "RTO and RPO per strategy against the targets (log scale)" }</h4>
            { for view.charts.iter().map(|(failure, svg)| html! {
                <figure class={format!("chart plan-chart plan-chart-{failure}")}>
                    <figcaption>{ format!("Failure: {failure} ") }
                        { export_buttons(file, &format!("rto-rpo-{failure}"), &format!("the {failure} RTO/RPO chart"), made(svg), on_error.clone()) }
                    </figcaption>
                    { svg_picture(svg, "chart-picture") }
                </figure>
            }) }
        </div>
    }
}

fn plan_table(view: &PlanView) -> Html {
    html! {
        <>
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
            <p class="recommendation">{ format!("Recommendation: {}", view.recommendation_note) }</p>
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
