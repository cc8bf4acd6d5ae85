//! Browser tests: real components and the real simulator in headless Chromium.
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test browser`.
#![cfg(target_arch = "wasm32")]

mod golden;

use catapult_dr::scenario::{self, presets};
use catapult_dr::sim::{self, format_hash, SimulationOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    root
}

#[wasm_bindgen_test]
async fn the_shell_renders_header_areas_and_empty_states() {
    let root = mount();
    yew::Renderer::<catapult_dr::ui::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Catapult DR Planner"), "{text}");
    for area in ["Topology", "Timeline and controls", "Results"] {
        let selector = format!("section[aria-label=\"{area}\"]");
        assert!(
            root.query_selector(&selector).unwrap().is_some(),
            "missing {area}"
        );
    }
    assert!(text.contains("Pick a preset"), "{text}");
}

#[wasm_bindgen_test]
async fn a_preset_button_loads_its_topology() {
    let root = mount();
    yew::Renderer::<catapult_dr::ui::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let buttons = root.query_selector_all("button.preset-button").unwrap();
    assert_eq!(buttons.length(), presets::PRESETS.len() as u32);
    let multi_az = (0..buttons.length())
        .filter_map(|index| buttons.item(index))
        .find(|button| button.text_content().as_deref() == Some("multi-az"))
        .expect("a multi-az button");
    use wasm_bindgen::JsCast;
    multi_az.unchecked_into::<web_sys::HtmlElement>().click();
    yew::scheduler::flush().await;
    let nodes = root.query_selector_all(".topology .node").unwrap();
    assert_eq!(nodes.length(), 5);
}

#[wasm_bindgen_test]
fn the_browser_gives_the_native_trace_hash() {
    let seed_fork = scenario::load(presets::find("seed-fork").unwrap().json).unwrap();
    let outcome = sim::simulate(&seed_fork).unwrap();
    assert_eq!(
        format_hash(outcome.trace_hash),
        golden::SEED_FORK_TRACE_HASH
    );

    let multi_az = scenario::load(presets::find("multi-az").unwrap().json).unwrap();
    let mut options = SimulationOptions::from_scenario(&multi_az);
    options.seed = 7;
    let outcome = sim::simulate_with(&multi_az, options).unwrap();
    assert_eq!(
        format_hash(outcome.trace_hash),
        golden::MULTI_AZ_SEED_7_TRACE_HASH
    );
}
