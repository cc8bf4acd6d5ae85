//! The `catapult-dr` binary: the command line natively, the app in the browser.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let result = catapult_dr::cli::run(&arguments);
    print!("{}", result.stdout);
    eprint!("{}", result.stderr);
    std::process::exit(result.exit_code);
}

#[cfg(target_arch = "wasm32")]
fn main() {
    catapult_dr::ui::start();
}
