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
    for area in ["Topology", "Faults and files", "Results"] {
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

/// Components on their own, with recorded callbacks.
mod components {
    use super::mount;
    use catapult_dr::edit::{Edit, Target};
    use catapult_dr::scenario::{presets, validate};
    use catapult_dr::ui::canvas::{Canvas, CanvasProps};
    use catapult_dr::ui::fault_timeline::{FaultTimeline, FaultTimelineProps};
    use catapult_dr::ui::inspector::{Inspector, InspectorProps};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use yew::Callback;

    fn recorder<T: 'static>() -> (Rc<RefCell<Vec<T>>>, Callback<T>) {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = seen.clone();
        (
            seen,
            Callback::from(move |value: T| sink.borrow_mut().push(value)),
        )
    }

    fn key(element: &web_sys::Element, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        element.dispatch_event(&event).unwrap();
    }

    #[wasm_bindgen_test]
    async fn the_canvas_draws_every_node_and_link_and_opens_menus_from_the_keyboard() {
        let scenario = Rc::new(validate(&presets::load_file("active-active").unwrap()).unwrap());
        let (menus, open_menu) = recorder::<Target>();
        let (selections, on_select) = recorder::<Option<(Target, bool)>>();
        let root = mount();
        let props = CanvasProps {
            scenario: catapult_dr::ui::ByPointer(scenario.clone()),
            frame: None,
            dots: Rc::new(Vec::new()),
            reduced_motion: true,
            selection: vec![Target::Node(scenario.nodes[0].id.clone())],
            on_select,
            on_move_nodes: Callback::noop(),
            open_menu,
            on_rename: Callback::noop(),
            on_select_many: Callback::noop(),
            read_only: false,
            frame_aspect: catapult_dr::view::diagram::CANVAS_FRAME_ASPECT,
        };
        yew::Renderer::<Canvas>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let nodes = root.query_selector_all("g.node").unwrap();
        assert_eq!(nodes.length() as usize, scenario.nodes.len());
        // Two regions one above the other: the legend stands beside them (issue 13).
        assert_eq!(
            root.query_selector(".canvas-legend")
                .unwrap()
                .and_then(|legend| legend.get_attribute("data-beside"))
                .as_deref(),
            Some("true")
        );
        assert_eq!(
            root.query_selector_all("g.node.selected").unwrap().length(),
            1
        );
        assert_eq!(root.query_selector_all(".link-badge").unwrap().length(), 1);
        assert!(root.query_selector(".entry-point").unwrap().is_some());
        let second: web_sys::Element = nodes.item(1).unwrap().unchecked_into();
        key(&second, "Enter");
        key(&second, " ");
        let badge = root.query_selector(".link-badge").unwrap().unwrap();
        key(&badge, "ContextMenu");
        assert_eq!(
            *menus.borrow(),
            vec![
                Target::Node(scenario.nodes[1].id.clone()),
                Target::Link(
                    scenario.regions[0].id.clone(),
                    scenario.regions[1].id.clone()
                )
            ]
        );
        assert_eq!(
            *selections.borrow(),
            vec![Some((Target::Node(scenario.nodes[1].id.clone()), false))]
        );
    }

    /// An empty target list means every API or DUAL node: the entry point says how many
    /// and draws a line to each (issue 13: it showed "0 targets").
    #[wasm_bindgen_test]
    async fn an_entry_point_without_a_target_list_counts_every_api_node() {
        let mut file = presets::load_file("multi-az").unwrap();
        file.clients.entry_point.targets.clear();
        let scenario = Rc::new(validate(&file).unwrap());
        let root = mount();
        let props = CanvasProps {
            scenario: catapult_dr::ui::ByPointer(scenario.clone()),
            frame: None,
            dots: Rc::new(Vec::new()),
            reduced_motion: true,
            selection: Vec::new(),
            on_select: Callback::noop(),
            on_move_nodes: Callback::noop(),
            open_menu: Callback::noop(),
            on_rename: Callback::noop(),
            on_select_many: Callback::noop(),
            read_only: false,
            frame_aspect: catapult_dr::view::diagram::CANVAS_FRAME_ASPECT,
        };
        yew::Renderer::<Canvas>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let detail = root
            .query_selector(".entry-detail")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default();
        assert!(detail.starts_with("2 targets"), "{detail}");
        assert_eq!(
            root.query_selector_all(".entry-point .entry-line")
                .unwrap()
                .length(),
            2
        );
    }

    #[wasm_bindgen_test]
    async fn the_inspector_refuses_a_bad_stake_in_place_and_sends_good_edits() {
        let file = presets::load_file("multi-az").unwrap();
        let (edits, on_edit) = recorder::<Edit>();
        let root = mount();
        let props = InspectorProps {
            file: catapult_dr::ui::ByPointer(Rc::new(file)),
            selection: vec![Target::Node("peer1".into())],
            at_ms: 0,
            on_edit,
            open_menu: Callback::noop(),
            errors: Vec::new(),
        };
        yew::Renderer::<Inspector>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let stake: web_sys::HtmlInputElement = root
            .query_selector(".node-stake input")
            .unwrap()
            .unwrap()
            .unchecked_into();
        stake.set_value("lots");
        stake
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        yew::scheduler::flush().await;
        let error = root.query_selector(".field-error").unwrap().unwrap();
        assert!(error.text_content().unwrap().contains("not a whole number"));
        assert!(edits.borrow().is_empty(), "nothing was sent");
        stake.set_value("7");
        stake
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        yew::scheduler::flush().await;
        assert_eq!(
            *edits.borrow(),
            vec![Edit::SetNodeStake {
                node: "peer1".into(),
                stake: 7
            }]
        );
        assert!(root.query_selector(".field-error").unwrap().is_none());
    }

    #[wasm_bindgen_test]
    async fn the_fault_timeline_has_a_bar_per_fault_and_moves_one_from_the_keyboard() {
        let file = Rc::new(presets::load_file("multi-az").unwrap());
        let (edits, on_edit) = recorder::<Edit>();
        let (seeks, on_seek) = recorder::<u64>();
        let root = mount();
        let marker = catapult_dr::view::markers::Marker {
            at_ms: 7_230_000,
            kind: catapult_dr::view::markers::MarkerKind::Unhealthy,
            label: "entry point stops routing to api1".into(),
        };
        let props = FaultTimelineProps {
            file: file.clone(),
            at_ms: 0,
            on_edit,
            on_seek,
            markers: Rc::new(vec![marker]),
        };
        yew::Renderer::<FaultTimeline>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let bars = root.query_selector_all(".fault-bar").unwrap();
        assert_eq!(bars.length() as usize, file.faults.len());
        // The event marker is drawn with its words, and a click on it goes there.
        let marker = root
            .query_selector(".timeline-marker.marker-unhealthy")
            .unwrap()
            .expect("the marker is drawn");
        assert!(marker
            .text_content()
            .unwrap()
            .contains("stops routing to api1"));
        let click = gloo::utils::document().create_event("MouseEvents").unwrap();
        click.init_event_with_bubbles("click", true);
        marker.dispatch_event(&click).unwrap();
        assert_eq!(*seeks.borrow(), vec![7_230_000]);
        let bar: web_sys::Element = bars.item(0).unwrap().unchecked_into();
        key(&bar, "ArrowRight");
        key(&bar, "Delete");
        assert_eq!(
            *edits.borrow(),
            vec![
                Edit::MoveFault {
                    index: 0,
                    at_ms: file.faults[0].at_ms + 60_000
                },
                Edit::RemoveFault(0)
            ]
        );
    }
}
