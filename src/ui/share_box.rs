//! The share link once made: the link in a read-only field, a Copy button that puts it
//! on the clipboard and says "Copied" (or, when the browser refuses, selects the text
//! for Ctrl+C and says so), and a warning when the link is long.
//!
//! Invariants: the link is only ever set as text; copying never changes the link.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::share;

#[derive(Properties, PartialEq)]
pub(super) struct ShareBoxProps {
    pub link: AttrValue,
}

/// What the Copy button last did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Selected,
}

#[function_component(ShareBox)]
pub(super) fn share_box(props: &ShareBoxProps) -> Html {
    let copy_state = use_state(|| CopyState::Idle);
    let field = use_node_ref();
    {
        // A new link has not been copied yet.
        let copy_state = copy_state.clone();
        use_effect_with(props.link.clone(), move |_| copy_state.set(CopyState::Idle));
    }
    let copy = {
        let copy_state = copy_state.clone();
        let field = field.clone();
        let link = props.link.to_string();
        Callback::from(move |_: MouseEvent| {
            let select_instead = {
                let copy_state = copy_state.clone();
                let field = field.clone();
                move || {
                    if let Some(input) = field.cast::<web_sys::HtmlInputElement>() {
                        let _ = input.focus();
                        input.select();
                    }
                    copy_state.set(CopyState::Selected);
                }
            };
            let promise = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&link);
            let copied = {
                let copy_state = copy_state.clone();
                Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                    copy_state.set(CopyState::Copied)
                })
            };
            let refused = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| select_instead());
            let _ = promise.then2(&copied, &refused);
            // Each is called at most once, when the browser answers.
            copied.forget();
            refused.forget();
        })
    };
    let too_long = props.link.len() > share::LINK_WARN_CHARS;
    html! {
        <div class="share">
            <label>
                { "Share link (the scenario, the moment, the speed and the open panel travel in the link; no server sees it):" }
                <input ref={field} type="text" class="share-link" readonly=true value={props.link.clone()} />
            </label>
            <div class="share-actions">
                <button type="button" class="copy-link" onclick={copy}>{ "Copy" }</button>
                <span class="copy-status" role="status">
                    { match *copy_state {
                        CopyState::Idle => "",
                        CopyState::Copied => "Copied",
                        CopyState::Selected => "The browser did not allow copying: the link is selected, press Ctrl+C (⌘C) to copy it",
                    } }
                </span>
            </div>
            if too_long {
                <p class="warning" role="status">
                    { format!("This link is {} characters long: some chat tools cut links over {}. Export the JSON file instead.", props.link.len(), share::LINK_WARN_CHARS) }
                </p>
            }
        </div>
    }
}
