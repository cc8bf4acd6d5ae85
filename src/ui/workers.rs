//! The app's Web Workers and the two WebAssembly modules they run.
//!
//! - The page's own module (`src/main.rs`) also runs the replay worker: the page sends
//!   it its compiled `WebAssembly.Module`, so nothing is downloaded again.
//! - The planner module (`src/planner_worker.rs`, built by Trunk as a worker:
//!   `catapult-dr-planner.js` and `catapult-dr-planner_bg.wasm`) is downloaded the first
//!   time the user presses Plan, so the first page load does not carry the planner (issue
//!   14's download budget). Its plan worker coordinates the plan ([`plan::Coordinator`])
//!   over trial workers it starts itself, one per core, on the same module.
//!
//! A worker starts on `static/app-worker.js` (copied into `dist/` by Trunk), which is sent
//! the URL of a wasm-bindgen script and its module (a compiled module, or the wasm's URL
//! to fetch), imports the script, instantiates the module and calls its exported
//! `start_worker(role, script)`, which lands in [`serve_page_role`] or
//! [`serve_planner_role`]. The page module's start function (`main`) runs in the replay
//! worker too, and does nothing there: it only mounts the app where there is a `window`
//! ([`is_page`]).
//!
//! Invariants: a worker posts its protocol's `READY` once its message handler is set,
//! and nothing is sent to it before that; a worker that cannot start raises an error
//! event on its `Worker` object (the bootstrap rethrows), which the page turns into a
//! message (or, for the replay, its fallback). The role is also in the worker's URL
//! (`?role=replay`, `?role=plan`, `?role=trials`), so tools and tests can tell the
//! workers apart. The planner module's URLs carry the page script's file name
//! (`?v=catapult-dr-<hash>`), so a page never runs a planner cached from another build.
//! Terminating the plan worker ends its trial workers with it (the browser closes a
//! worker's own workers).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::worker::plan;

/// The bootstrap script, relative to the page (so the app works under any sub-path).
const BOOTSTRAP_URL: &str = "./app-worker.js";
/// The planner module's wasm-bindgen script and WebAssembly, relative to the page (Trunk
/// names a worker's files after its binary, without a hash).
const PLANNER_SCRIPT_URL: &str = "./catapult-dr-planner.js";
const PLANNER_WASM_URL: &str = "./catapult-dr-planner_bg.wasm";

/// What a worker does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Replays the canvas's scenario: frames, summary and charts (`worker::replay`).
    Replay,
    /// Runs a whole plan (`worker::plan`), spreading its trials over trial workers.
    Plan,
    /// Runs batches of a plan's trials for the plan worker (`worker::plan::serve_jobs`).
    Trials,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Replay => "replay",
            Role::Plan => "plan",
            Role::Trials => "trials",
        }
    }

    fn parse(text: &str) -> Option<Role> {
        match text {
            "replay" => Some(Role::Replay),
            "plan" => Some(Role::Plan),
            "trials" => Some(Role::Trials),
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
    let link = gloo::utils::document()
        .query_selector("link[rel='modulepreload'][href$='.js']")
        .ok()
        .flatten()
        .ok_or("the page names no app script (link rel=modulepreload)")?;
    absolute_url(&link.get_attribute("href").unwrap_or_default())
}

/// `href` resolved against the page's base URL.
fn absolute_url(href: &str) -> Result<String, String> {
    let document = gloo::utils::document();
    let base = document
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_else(|| gloo::utils::window().location().href().unwrap_or_default());
    web_sys::Url::new_with_base(href, &base)
        .map(|url| url.href())
        .map_err(|error| format!("the URL {href:?} is not valid: {error:?}"))
}

/// The planner module: its script's and its WebAssembly's absolute URLs, each with the
/// page script's file name as a version, so a cached planner of another build is never
/// paired with this page.
fn planner_urls() -> Result<(String, String), String> {
    let page_script = script_url()?;
    let version = page_script
        .rsplit('/')
        .next()
        .and_then(|name| name.split(['?', '#']).next())
        .and_then(|name| name.strip_suffix(".js"))
        .unwrap_or_default()
        .to_string();
    let versioned = |path: &str| absolute_url(&format!("{path}?v={version}"));
    Ok((versioned(PLANNER_SCRIPT_URL)?, versioned(PLANNER_WASM_URL)?))
}

/// Starts a worker with `role` on the bootstrap, sending it `script` and `module` (a
/// compiled `WebAssembly.Module`, or the URL of the wasm to fetch). Its first message is
/// the role's `READY`.
fn start(role: Role, script: &str, module: &JsValue) -> Result<web_sys::Worker, String> {
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
        .and_then(|_| set("module", module))
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

/// Starts the replay worker on the page's own module (nothing is downloaded again).
pub fn spawn_replay() -> Result<web_sys::Worker, String> {
    start(Role::Replay, &script_url()?, &wasm_bindgen::module())
}

/// Starts the plan worker on the planner module, which it downloads the first time
/// (the browser's cache serves it after that). Its first message is `plan::READY`.
pub fn spawn_planner() -> Result<web_sys::Worker, String> {
    let (script, wasm) = planner_urls()?;
    start(Role::Plan, &script, &wasm.into())
}

/// The worker's global scope and a parsed role, or the error the bootstrap turns into
/// the worker's error event.
fn worker_scope(role: &str) -> (web_sys::DedicatedWorkerGlobalScope, Role) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let Some(parsed) = Role::parse(role) else {
        wasm_bindgen::throw_str(&format!("unknown worker role {role:?}"));
    };
    (scope, parsed)
}

/// Sets the worker's message handler, then posts its protocol's `READY`.
fn listen(
    scope: &web_sys::DedicatedWorkerGlobalScope,
    on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    ready: &str,
) {
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive before the handler is set are lost, so the sender waits for this.
    let _ = scope.post_message(&ready.into());
}

/// The page module's worker side: the replay worker.
pub fn serve_page_role(role: &str) {
    let (scope, parsed) = worker_scope(role);
    if parsed != Role::Replay {
        wasm_bindgen::throw_str(&format!("the page's module runs no {role:?} worker"));
    }
    let replies = scope.clone();
    let service = RefCell::new(crate::worker::replay::ReplayService::default());
    let on_message = Closure::new(move |event: web_sys::MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let reply = service.borrow_mut().handle(&request);
        let _ = replies.post_message(&reply.into());
    });
    listen(&scope, on_message, crate::worker::replay::READY);
}

/// The planner module's worker side: the plan worker (a whole plan, its trials spread
/// over trial workers) and the trial workers. `script` is the module's own
/// wasm-bindgen script, for the trial workers it starts.
pub fn serve_planner_role(role: &str, script: &str) {
    let (scope, parsed) = worker_scope(role);
    let replies = scope.clone();
    let on_message: Closure<dyn Fn(web_sys::MessageEvent)> = match parsed {
        Role::Plan => {
            let script = script.to_string();
            let run = Rc::new(RefCell::new(None::<TrialRun>));
            Closure::new(move |event: web_sys::MessageEvent| {
                let request = event.data().as_string().unwrap_or_default();
                // A new request replaces the one before (its trial workers stop).
                *run.borrow_mut() = None;
                let cores = replies.navigator().hardware_concurrency() as usize;
                let Some((coordinator, first)) =
                    plan::Coordinator::start(&request, plan::trial_workers_for(cores))
                else {
                    // A request that does not plan: `serve` replies with its errors.
                    let reply = plan::serve(&request, |progress| {
                        let _ = replies.post_message(&progress.into());
                    });
                    let _ = replies.post_message(&reply.into());
                    return;
                };
                let _ = replies.post_message(&first.into());
                match TrialRun::start(coordinator, &script, &replies) {
                    Ok(started) => *run.borrow_mut() = Some(started),
                    Err(message) => {
                        let _ = replies.post_message(&plan::failed_reply(vec![message]).into());
                    }
                }
            })
        }
        Role::Trials => Closure::new(move |event: web_sys::MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            let _ = replies.post_message(&plan::serve_jobs(&request).into());
        }),
        Role::Replay => {
            wasm_bindgen::throw_str("the planner module runs no replay worker");
        }
    };
    let ready = plan::READY;
    listen(&scope, on_message, ready);
}

/// A plan's trial workers, each with its handlers; dropping it terminates them.
struct TrialRun {
    workers: Rc<Vec<web_sys::Worker>>,
    _handlers: Vec<Closure<dyn Fn(web_sys::Event)>>,
}

impl Drop for TrialRun {
    fn drop(&mut self) {
        for worker in self.workers.iter() {
            worker.terminate();
        }
    }
}

impl TrialRun {
    /// Starts the coordinator's trial workers on this module; their replies go through
    /// the coordinator, and what it says goes to the page (`page`) or to the workers.
    fn start(
        coordinator: plan::Coordinator,
        script: &str,
        page: &web_sys::DedicatedWorkerGlobalScope,
    ) -> Result<TrialRun, String> {
        let module = wasm_bindgen::module();
        let mut workers = Vec::new();
        for _ in 0..coordinator.workers() {
            match start(Role::Trials, script, &module) {
                Ok(worker) => workers.push(worker),
                Err(message) => {
                    // The ones already started would wait for work forever.
                    workers.iter().for_each(web_sys::Worker::terminate);
                    return Err(message);
                }
            }
        }
        let workers = Rc::new(workers);
        let coordinator = Rc::new(RefCell::new(coordinator));
        let mut handlers = Vec::new();
        for index in 0..workers.len() {
            let on_message = {
                let workers = Rc::clone(&workers);
                let coordinator = Rc::clone(&coordinator);
                let page = page.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                    let text = event
                        .dyn_ref::<web_sys::MessageEvent>()
                        .and_then(|event| event.data().as_string())
                        .unwrap_or_default();
                    let outbox = if text == plan::READY {
                        coordinator.borrow_mut().worker_ready(index)
                    } else {
                        coordinator.borrow_mut().worker_replied(index, &text)
                    };
                    deliver(outbox, &page, &workers);
                })
            };
            let on_error = {
                let workers = Rc::clone(&workers);
                let coordinator = Rc::clone(&coordinator);
                let page = page.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
                    let outbox = coordinator.borrow_mut().abandon(
                        "a trial worker of the planner stopped with an error: reload the page and plan again".into(),
                    );
                    deliver(outbox, &page, &workers);
                })
            };
            workers[index].set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            workers[index].set_onerror(Some(on_error.as_ref().unchecked_ref()));
            handlers.push(on_message);
            handlers.push(on_error);
        }
        Ok(TrialRun {
            workers,
            _handlers: handlers,
        })
    }
}

/// Sends what the coordinator said; at the end the trial workers stop (the run itself
/// is dropped by the next request, never from inside its own handler).
fn deliver(
    outbox: plan::Outbox,
    page: &web_sys::DedicatedWorkerGlobalScope,
    workers: &[web_sys::Worker],
) {
    for (index, batch) in outbox.to_workers {
        let _ = workers[index].post_message(&batch.into());
    }
    for reply in outbox.to_page {
        let _ = page.post_message(&reply.into());
    }
    if outbox.finished {
        for worker in workers {
            worker.terminate();
        }
    }
}
