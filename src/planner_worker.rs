//! The `catapult-dr-planner` binary: the browser app's planner module, which Trunk
//! builds as a worker (`index.html`) and the page downloads the first time the user
//! presses Plan, so the first page load does not carry the planner (see
//! `ui::workers`). It runs the plan worker, which coordinates a plan, and its trial
//! workers. Natively there is nothing to run: the command line plans with
//! `catapult-dr plan`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "catapult-dr-planner is the browser app's planner module (built by Trunk for \
         WebAssembly); on the command line, run `catapult-dr plan <scenario.json>`"
    );
    std::process::exit(2);
}

/// The module's start function: a worker starts its role with `start_worker`.
#[cfg(target_arch = "wasm32")]
fn main() {}

/// Called by `static/app-worker.js` once the worker has this module: starts the role's
/// message loop (`plan` or `trials`); `script` is this module's wasm-bindgen script,
/// for the trial workers the plan worker starts.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start_worker(role: &str, script: &str) {
    catapult_dr::ui::workers::serve_planner_role(role, script);
}
