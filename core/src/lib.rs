//! The pure core of Catapult DR Planner: the scenario model ([`scenario`]), the
//! simulator ([`sim`]) and the planner ([`planner`]). It compiles and tests natively
//! with no browser crates; the app crate (`catapult_dr`) re-exports these modules, so
//! `catapult_dr::sim` and `catapult_dr_core::sim` are the same module.
//!
//! It is a crate of its own so that it can be optimised for speed (`opt-level = 3`)
//! while the browser shell around it is optimised for size (see `Cargo.toml`).

pub mod planner;
pub mod sim;

/// The scenario model, a crate of its own (`catapult-dr-scenario`, see `Cargo.toml`).
pub use catapult_dr_scenario as scenario;
/// The one stable sort of the cold code (in the scenario crate, which uses it too).
pub use catapult_dr_scenario::sort;
