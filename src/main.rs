//! The `catapult-dr` binary: the command line natively, the app in the browser.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let result = catapult_dr::cli::run(&arguments);
    print!("{}", result.stdout);
    eprint!("{}", result.stderr);
    std::process::exit(result.exit_code);
}

/// The same module runs on the page and in its replay worker (`ui::workers`): only the
/// page mounts the app.
#[cfg(target_arch = "wasm32")]
fn main() {
    if catapult_dr::ui::workers::is_page() {
        catapult_dr::ui::start();
    }
}

/// Called by `static/app-worker.js` once the worker has this module: starts the role's
/// message loop (`replay`; the planner runs in its own module, `src/planner_worker.rs`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start_worker(role: &str, _script: &str) {
    catapult_dr::ui::workers::serve_page_role(role);
}
