//! The results panel: the whole run's summary, or why there is none yet.

use yew::prelude::*;

pub(super) fn results_view(
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
