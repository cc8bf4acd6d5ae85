//! The planner: RTO and RPO for every recovery strategy and failure kind.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
