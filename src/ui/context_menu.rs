//! The context menu of a node, AZ, region or link, opened next to what it breaks
//! (placed by [`placement::menu_position`], kept inside the window): when the fault
//! starts ("now" or a time) and how long it lasts ("30m"), read by
//! [`placement::menu_timing`] with errors shown in the menu, then the actions
//! ([`edit::menu_for`]); keyboard-operable (arrows, Tab, Esc), and the focus it takes
//! and gives back.
//!
//! Invariants: the menu never edits the scenario itself, it emits one [`Edit`]; a field
//! it cannot read changes nothing and says which field and what to write; what was
//! typed stays in the fields until the menu closes.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::edit::placement::{self, Area};
use crate::edit::{self, Edit, Target};
use crate::scenario::duration::describe_duration;
use crate::scenario::ScenarioFile;

/// Faults added from the menu last this long unless the "For" field says otherwise (cut
/// at the end of the run).
const MENU_FAULT_LENGTH_TEXT: &str = "30m";

/// The menu for `target`, or nothing when no menu is open.
pub(super) fn menu_view(
    target: Option<&Target>,
    file: Option<Rc<ScenarioFile>>,
    at_ms: u64,
    apply_edit: Callback<Edit>,
    close: Callback<MouseEvent>,
) -> Html {
    let (Some(target), Some(file)) = (target, file) else {
        return html! {};
    };
    // A menu for another target starts with fresh fields.
    html! {
        <ContextMenu key={format!("{target:?}")} target={target.clone()} file={file} at_ms={at_ms}
            apply_edit={apply_edit} close={close} />
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct ContextMenuProps {
    pub target: Target,
    pub file: Rc<ScenarioFile>,
    /// The moment shown: what "now" means.
    pub at_ms: u64,
    pub apply_edit: Callback<Edit>,
    pub close: Callback<MouseEvent>,
}

#[function_component(ContextMenu)]
pub(super) fn context_menu(props: &ContextMenuProps) -> Html {
    let from_text = use_state(|| "now".to_string());
    let for_text = use_state(|| MENU_FAULT_LENGTH_TEXT.to_string());
    let errors = use_state(Vec::<String>::new);
    let file = &props.file;
    let target = &props.target;
    let name = edit::target_label(target);
    let timing = placement::menu_timing(&from_text, &for_text, props.at_ms, file.duration_ms);
    // What the actions are judged against while the fields cannot be read.
    let judged = timing.clone().unwrap_or(placement::MenuTiming {
        at_ms: props.at_ms,
        length_ms: 30 * 60_000,
    });
    let field_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        let errors = errors.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            state.set(input.value());
            errors.set(Vec::new());
        })
    };
    html! {
        <div class="context-menu" role="dialog" aria-labelledby="context-title" onkeydown={Callback::from(on_menu_key)}>
            <p class="context-title" id="context-title">{ format!("Break {name}") }</p>
            <div class="menu-timing">
                <label class="menu-field">
                    <span>{ "From" }</span>
                    <input type="text" class="menu-from" value={(*from_text).clone()} oninput={field_input(&from_text)}
                        aria-label="From: now, or a time from the start such as 20m or 1h 05m" />
                </label>
                <label class="menu-field">
                    <span>{ "For" }</span>
                    <input type="text" class="menu-for" value={(*for_text).clone()} oninput={field_input(&for_text)}
                        aria-label="For: how long, such as 30m or 1h 30m" />
                </label>
                <span class="menu-when">
                    { match &timing {
                        Ok(timing) => format!("{} → {}", describe_duration(timing.at_ms),
                            describe_duration((timing.at_ms + timing.length_ms).min(file.duration_ms))),
                        Err(_) => String::new(),
                    } }
                </span>
            </div>
            if !errors.is_empty() {
                <ul class="menu-errors" role="alert">{ for errors.iter().map(|error| html! { <li>{ error }</li> }) }</ul>
            }
            <div class="context-actions" role="menu" aria-label={format!("Break {name}")}>
            { for edit::menu_for(file, target).into_iter().map(|(label, action)| {
                let disabled = edit::menu_edit(file, target, action, judged.at_ms, judged.length_ms).is_none();
                let onclick = {
                    let apply_edit = props.apply_edit.clone();
                    let errors = errors.clone();
                    let file = file.clone();
                    let target = target.clone();
                    let timing = timing.clone();
                    Callback::from(move |_: MouseEvent| match &timing {
                        Ok(timing) => match edit::menu_edit(&file, &target, action, timing.at_ms, timing.length_ms) {
                            Some(edit) => apply_edit.emit(edit),
                            None => errors.set(vec![format!(
                                "{label}: nothing to do at {}: choose another time in From",
                                describe_duration(timing.at_ms)
                            )]),
                        },
                        Err(problems) => errors.set(problems.clone()),
                    })
                };
                html! {
                    <button type="button" role="menuitem" class={format!("menu-item menu-{}", action.name())} disabled={disabled}
                        title={disabled.then_some("nothing to do at this moment")} onclick={onclick}>{ label }</button>
                }
            }) }
            </div>
            <button type="button" class="menu-close" onclick={props.close.clone()}>{ "Close" }</button>
        </div>
    }
}

/// ↑ and ↓ move between the actions (Tab works too; in a field the arrows move the
/// text cursor); Esc closes (the page's shortcut).
fn on_menu_key(event: KeyboardEvent) {
    let step: i32 = match event.key().as_str() {
        "ArrowDown" | "ArrowRight" => 1,
        "ArrowUp" | "ArrowLeft" => -1,
        _ => return,
    };
    let in_field = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some();
    if in_field {
        return;
    }
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
}

/// An opened menu is placed next to its target and takes the focus (its first action),
/// so the keyboard can use it; it follows its target when the page scrolls, the
/// window changes size or the canvas pans or zooms; when it closes, the focus goes back where it was.
#[hook]
pub(super) fn use_menu_focus(menu: Option<Target>) {
    let focus_before_menu = use_mut_ref(|| None::<web_sys::Element>);
    use_effect_with(menu, move |menu| {
        let mut listeners = Vec::new();
        if menu.is_none() {
            if let Some(element) = focus_before_menu.borrow_mut().take() {
                focus_element(&element);
            }
        } else if let Some(target) = menu.clone() {
            if focus_before_menu.borrow().is_none() {
                *focus_before_menu.borrow_mut() = gloo::utils::document().active_element();
            }
            place_menu(&target);
            for kind in ["scroll", "resize", super::canvas::VIEW_MOVED_EVENT] {
                let target = target.clone();
                listeners.push(gloo::events::EventListener::new_with_options(
                    &gloo::utils::window(),
                    kind,
                    gloo::events::EventListenerOptions {
                        phase: gloo::events::EventListenerPhase::Capture,
                        passive: true,
                    },
                    move |_| place_menu(&target),
                ));
            }
            if let Ok(Some(item)) = gloo::utils::document().query_selector(
                ".context-menu .menu-item:not([disabled]), .context-menu .menu-close",
            ) {
                if let Ok(item) = item.dyn_into::<web_sys::HtmlElement>() {
                    let _ = item.focus();
                }
            }
        }
        move || drop(listeners)
    });
}

/// The target's shape on the canvas, in window pixels: a node's box, an AZ's or a
/// region's box, a link's badge.
pub(super) fn target_element(target: &Target, part: TargetPart) -> Option<web_sys::Element> {
    let (groups, label) = match target {
        Target::Node(id) => (".canvas g.node", format!("{id} (")),
        Target::Az(id) => (".canvas g.az", format!("AZ {id}")),
        Target::Region(id) => (".canvas g.region", format!("Region {id}")),
        Target::Link(first, second) => {
            (".canvas g.link-badge", format!("link {first} ↔ {second}:"))
        }
    };
    let list = gloo::utils::document().query_selector_all(groups).ok()?;
    let group = (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .find(|element| {
            let aria = element.get_attribute("aria-label").unwrap_or_default();
            match target {
                Target::Node(_) | Target::Link(..) => aria.starts_with(&label),
                _ => aria == label,
            }
        })?;
    let inner = match (target, part) {
        (Target::Node(_), _) => "rect.node-box",
        (Target::Az(_), TargetPart::Shape) => "rect.az-box",
        (Target::Az(_), TargetPart::Name) => "text.az-label",
        (Target::Region(_), TargetPart::Shape) => "rect.region-box",
        (Target::Region(_), TargetPart::Name) => "text.region-label",
        (Target::Link(..), _) => "rect",
    };
    group.query_selector(inner).ok().flatten().or(Some(group))
}

/// Which part of a target's drawing to find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TargetPart {
    /// Its box (what the menu stands beside).
    Shape,
    /// Where its name is written (what the rename field covers).
    Name,
}

/// An element's place in the window, in pixels.
pub(super) fn screen_area(element: &web_sys::Element) -> Area {
    let bounds = element.get_bounding_client_rect();
    Area {
        x: bounds.left(),
        y: bounds.top(),
        width: bounds.width(),
        height: bounds.height(),
    }
}

/// The window's inner size, in pixels.
pub(super) fn window_size() -> (f64, f64) {
    let window = gloo::utils::window();
    let width = window
        .inner_width()
        .ok()
        .and_then(|value| value.as_f64())
        .unwrap_or(1280.0);
    let height = window
        .inner_height()
        .ok()
        .and_then(|value| value.as_f64())
        .unwrap_or(720.0);
    (width, height)
}

/// Moves the open menu next to its target (through the style object, which the
/// page's Content-Security-Policy allows).
fn place_menu(target: &Target) {
    let Some(menu) = gloo::utils::document()
        .query_selector(".context-menu")
        .ok()
        .flatten()
        .and_then(|menu| menu.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let (window_width, window_height) = window_size();
    // Without its target on the page (an embed, a deleted node) the menu stays where
    // the stylesheet puts it.
    let Some(anchor) =
        target_element(target, TargetPart::Shape).map(|element| screen_area(&element))
    else {
        return;
    };
    let (x, y) = placement::menu_position(
        anchor,
        f64::from(menu.offset_width()),
        f64::from(menu.offset_height()),
        window_width,
        window_height,
    );
    let style = menu.style();
    let _ = style.set_property("left", &format!("{x:.0}px"));
    let _ = style.set_property("top", &format!("{y:.0}px"));
    let _ = menu.set_attribute("data-placed", "true");
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
