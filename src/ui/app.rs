//! The app shell: header, topology area, timeline and controls, results panel.

use yew::prelude::*;

use crate::report;
use crate::scenario::{self, presets, Scenario};
use crate::sim;

/// What the shell holds: the loaded scenario (if any) and the last run's summary.
#[derive(Clone, PartialEq, Default)]
struct ShellState {
    scenario: Option<Scenario>,
    summary: Option<Result<String, String>>,
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_state(ShellState::default);

    let load_preset = {
        let state = state.clone();
        Callback::from(move |name: &'static str| {
            let loaded = presets::find(name)
                .ok_or_else(|| format!("no preset {name}"))
                .and_then(|preset| {
                    scenario::load(preset.json).map_err(|errors| {
                        errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                });
            state.set(match loaded {
                Ok(scenario) => ShellState {
                    scenario: Some(scenario),
                    summary: None,
                },
                Err(message) => ShellState {
                    scenario: state.scenario.clone(),
                    summary: Some(Err(message)),
                },
            });
        })
    };

    let run = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(scenario) = &state.scenario {
                let summary = sim::simulate(scenario)
                    .map(|outcome| report::simulation_text(&outcome))
                    .map_err(|error| error.to_string());
                state.set(ShellState {
                    scenario: Some(scenario.clone()),
                    summary: Some(summary),
                });
            }
        })
    };

    html! {
        <div class="shell">
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
                </nav>
            </header>
            <main class="shell-main">
                <section class="topology-area" aria-label="Topology">
                    <h2>{ "Topology" }</h2>
                    { topology_view(state.scenario.as_ref()) }
                </section>
                <section class="timeline-area" aria-label="Timeline and controls">
                    <h2>{ "Timeline" }</h2>
                    { timeline_view(state.scenario.as_ref(), run) }
                </section>
                <section class="results-area" aria-label="Results" aria-live="polite">
                    <h2>{ "Results" }</h2>
                    { results_view(state.summary.as_ref()) }
                </section>
            </main>
        </div>
    }
}

fn topology_view(scenario: Option<&Scenario>) -> Html {
    let Some(scenario) = scenario else {
        return html! {
            <p class="empty-state">
                { "No deployment yet. Pick a preset above to load regions, availability zones and nodes." }
            </p>
        };
    };
    html! {
        <div class="topology">
            <p class="scenario-name">{ &scenario.name }</p>
            { for scenario.regions.iter().map(|region| html! {
                <div class="region">
                    <h3>{ &region.id }</h3>
                    { for region.azs.iter().map(|&az| {
                        let zone = &scenario.azs[az];
                        html! {
                            <div class="az">
                                <h4>{ &zone.id }</h4>
                                <ul>
                                { for zone.nodes.iter().map(|node| {
                                    let node = &scenario.nodes[node.get()];
                                    html! { <li class="node">{ format!("{} ({})", node.id, node.role.as_str()) }</li> }
                                }) }
                                </ul>
                            </div>
                        }
                    }) }
                </div>
            }) }
        </div>
    }
}

fn timeline_view(scenario: Option<&Scenario>, run: Callback<MouseEvent>) -> Html {
    let Some(scenario) = scenario else {
        return html! { <p class="empty-state">{ "Faults appear here once a scenario is loaded." }</p> };
    };
    html! {
        <div class="timeline">
            <ul class="fault-list">
                { for scenario.faults.iter().map(|fault| html! {
                    <li>{ format!("{} → {}: {}",
                        scenario::duration::describe_duration(fault.at_ms),
                        fault.until_ms.map(scenario::duration::describe_duration).unwrap_or_else(|| "end".into()),
                        fault.label) }</li>
                }) }
            </ul>
            <button type="button" class="run-button" onclick={run}>{ "Run simulation" }</button>
        </div>
    }
}

fn results_view(summary: Option<&Result<String, String>>) -> Html {
    match summary {
        None => {
            html! { <p class="empty-state">{ "Run the simulation to see heights, forks and transactions." }</p> }
        }
        Some(Ok(text)) => html! { <pre class="run-summary">{ text }</pre> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message }</p> },
    }
}
