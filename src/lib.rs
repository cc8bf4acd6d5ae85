//! Catapult DR Planner: the pure core (scenario model, simulator, planner) and, in
//! WebAssembly builds only, the browser shell.
//!
//! Invariant: everything outside `ui` compiles and tests natively with no browser
//! crate, reads no clock and draws no OS entropy (see ARCHITECTURE.md).

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod edit;
pub mod export;
pub mod report;
pub mod session;
pub mod share;
pub mod shell;
pub mod view;
pub mod worker;

// The pure core, re-exported: `crate::sim` here is `catapult_dr_core::sim`.
pub use catapult_dr_core::{planner, scenario, sim, sort};

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// The product name, shown in the app header and the command line's help.
pub const PRODUCT_NAME: &str = "Catapult DR Planner";
/// The version, from Cargo.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
