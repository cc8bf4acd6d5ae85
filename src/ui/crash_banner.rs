//! The crash banner, shown by the panic hook: built with DOM calls (text only), since
//! Yew may no longer run.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::session;

/// Shows the crash banner: built with DOM calls (text only, never HTML), since Yew may
/// no longer run. "Copy diagnostic" copies the message, the seed and the scenario.
pub fn show_crash_banner(message: &str) {
    let document = gloo::utils::document();
    if document.get_element_by_id("crash-banner").is_some() {
        return;
    }
    let saved: Option<String> = LocalStorage::raw()
        .get_item(session::STORAGE_KEY)
        .ok()
        .flatten();
    let file = saved.and_then(|text| session::restore(&text).ok());
    let diagnostic = session::diagnostic(message, file.as_ref());
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let Ok(text) = document.create_element("p") else {
        return;
    };
    text.set_text_content(Some(
        "Something went wrong inside the planner. Your scenario is saved and comes back when you reload. \
         Please copy the diagnostic and report it.",
    ));
    let Ok(button) = document.create_element("button") else {
        return;
    };
    button.set_text_content(Some("Copy diagnostic"));
    let _ = button.set_attribute("type", "button");
    let Ok(details) = document.create_element("textarea") else {
        return;
    };
    details.set_class_name("crash-diagnostic");
    let _ = details.set_attribute("readonly", "");
    let _ = details.set_attribute("aria-label", "Diagnostic");
    details.set_text_content(Some(&diagnostic));
    let copy_text = diagnostic.clone();
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&copy_text);
        }
    });
    if let Some(element) = button.dyn_ref::<web_sys::HtmlElement>() {
        element.set_onclick(Some(on_click.as_ref().unchecked_ref()));
    }
    on_click.forget();
    let _ = banner.append_child(&text);
    let _ = banner.append_child(&button);
    let _ = banner.append_child(&details);
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
