//! The context menu of a node, AZ, region or link: what breaking it at the current
//! moment would do ([`edit::menu_for`]), keyboard-operable (arrows, Tab, Esc), and the
//! focus it takes and gives back.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::edit::{self, Edit, Target};
use crate::scenario::{self, ScenarioFile};

/// Faults added from the menu last this long (cut at the end of the run).
const MENU_FAULT_LENGTH_MS: u64 = 30 * 60_000;

pub(super) fn menu_view(
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

/// An opened menu takes the focus (its first action), so the keyboard can use it; when
/// it closes, the focus goes back where it was.
#[hook]
pub(super) fn use_menu_focus(menu: Option<Target>) {
    let focus_before_menu = use_mut_ref(|| None::<web_sys::Element>);
    use_effect_with(menu, move |menu| {
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
