//! The app's Web Workers, both kinds, run the page's own WebAssembly module: one
//! download serves the page, the replay worker and every planner worker.
//!
//! The page starts a worker on `static/app-worker.js` (copied into `dist/` by Trunk)
//! and sends it the URL of its wasm-bindgen script and its compiled
//! `WebAssembly.Module`; the worker imports the script, instantiates the same module
//! (nothing is fetched again: a module is passed, not bytes) and calls the exported
//! `start_worker(role)` of `src/main.rs`, which lands in [`serve`]. The module's start
//! function (`main`) runs in the worker too, and does nothing there: it only mounts the
//! app where there is a `window` ([`is_page`]).
//!
//! Invariants: a worker posts its protocol's `READY` once its message handler is set,
//! and the page sends nothing before that; a worker that cannot start raises an error
//! event on its `Worker` object (the bootstrap rethrows), so the page's fallbacks work
//! as they did with a separate worker file. The role is also in the worker's URL
//! (`?role=replay`), so tools and tests can tell the workers apart.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The bootstrap script, relative to the page (so the app works under any sub-path).
const BOOTSTRAP_URL: &str = "./app-worker.js";

/// What a worker does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Replays the canvas's scenario: frames, summary and charts (`worker::replay`).
    Replay,
    /// Runs planner trials or a whole plan (`worker::plan`).
    Plan,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Replay => "replay",
            Role::Plan => "plan",
        }
    }

    fn parse(text: &str) -> Option<Role> {
        match text {
            "replay" => Some(Role::Replay),
            "plan" => Some(Role::Plan),
            _ => None,
        }
    }
}

/// This module runs on a page (not in a worker): only then is the app mounted.
pub fn is_page() -> bool {
    web_sys::window().is_some()
}

/// The absolute URL of the page's wasm-bindgen script: Trunk preloads it with
/// `<link rel="modulepreload">`.
fn script_url() -> Result<String, String> {
    let document = gloo::utils::document();
    let link = document
        .query_selector("link[rel='modulepreload'][href$='.js']")
        .ok()
        .flatten()
        .ok_or("the page names no app script (link rel=modulepreload)")?;
    let href = link.get_attribute("href").unwrap_or_default();
    let base = document
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_else(|| gloo::utils::window().location().href().unwrap_or_default());
    web_sys::Url::new_with_base(&href, &base)
        .map(|url| url.href())
        .map_err(|error| format!("the app script's URL {href:?} is not valid: {error:?}"))
}

/// Starts a worker with `role` on the page's own module. Its first message to the page
/// is the role's `READY`.
pub fn spawn(role: Role) -> Result<web_sys::Worker, String> {
    let script = script_url()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(
        &format!("{BOOTSTRAP_URL}?role={}", role.as_str()),
        &options,
    )
    .map_err(|error| format!("the {} worker could not start: {error:?}", role.as_str()))?;
    let boot = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&boot, &key.into(), value);
    set("script", &script.into())
        .and_then(|_| set("module", &wasm_bindgen::module()))
        .and_then(|_| set("role", &role.as_str().into()))
        .map_err(|error| format!("the {} worker's start message: {error:?}", role.as_str()))?;
    worker.post_message(&boot).map_err(|error| {
        format!(
            "the {} worker did not take its module: {error:?}",
            role.as_str()
        )
    })?;
    Ok(worker)
}

/// The worker side: sets the role's message handler, then posts its `READY`.
pub fn serve(role: &str) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let Some(role) = Role::parse(role) else {
        // The bootstrap turns this into the worker's error event.
        wasm_bindgen::throw_str(&format!("unknown worker role {role:?}"));
    };
    let on_message: Closure<dyn Fn(web_sys::MessageEvent)> = match role {
        Role::Replay => {
            let service = std::cell::RefCell::new(crate::worker::replay::ReplayService::default());
            Closure::new(move |event: web_sys::MessageEvent| {
                let request = event.data().as_string().unwrap_or_default();
                let reply = service.borrow_mut().handle(&request);
                let _ = replies.post_message(&reply.into());
            })
        }
        Role::Plan => Closure::new(move |event: web_sys::MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            // A batch of pool jobs (one of several workers), or a whole plan.
            let reply = if crate::worker::plan::is_jobs_request(&request) {
                crate::worker::plan::serve_jobs(&request)
            } else {
                crate::worker::plan::serve(&request, |progress| {
                    let _ = replies.post_message(&progress.into());
                })
            };
            let _ = replies.post_message(&reply.into());
        }),
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive before the handler is set are lost, so the page waits for this.
    let ready = match role {
        Role::Replay => crate::worker::replay::READY,
        Role::Plan => crate::worker::plan::READY,
    };
    let _ = scope.post_message(&ready.into());
}
