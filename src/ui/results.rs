//! The results panel: what run is shown (scenario, seed, moment) and, once Run is
//! pressed, the whole run's summary. It never asks for a run while one is on screen.

use yew::prelude::*;

use crate::scenario::duration::describe_duration;

/// The run on screen.
pub(super) struct ShownRun<'a> {
    pub name: &'a str,
    pub seed: u64,
    pub at_ms: u64,
    pub duration_ms: u64,
}

pub(super) fn results_view(
    shown: Option<ShownRun>,
    summary: Option<&Result<String, String>>,
    running: bool,
    errors: &[String],
) -> Html {
    if !errors.is_empty() {
        return html! {
            <ul class="error" role="alert">{ for errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
        };
    }
    let Some(shown) = shown else {
        return html! { <p class="empty-state">{ "No run yet: pick a preset or import a scenario, and its run plays on the canvas." }</p> };
    };
    let whole = describe_duration(shown.duration_ms);
    let showing = html! {
        <p class="results-shown">
            { format!("Showing {} (seed {}) at {} of {}: the canvas, the timeline strip and the charts replay this run.",
                shown.name, shown.seed, describe_duration(shown.at_ms), whole) }
        </p>
    };
    if running {
        return html! { <>{ showing }<p class="empty-state">{ format!("Summing up the whole {whole} run…") }</p></> };
    }
    match summary {
        None => html! {
            <>
                { showing }
                <p class="empty-state">{ "Run (in the toolbar) adds the whole run's summary here: heights, forks and transactions." }</p>
            </>
        },
        Some(Ok(text)) => html! {
            <>
                { showing }
                <p class="results-heading">{ format!("Summary of the whole {whole} run:") }</p>
                <pre class="run-summary">{ text }</pre>
            </>
        },
        Some(Err(message)) => {
            html! { <>{ showing }<p class="error" role="alert">{ message }</p></> }
        }
    }
}
