//! The browser's Web Workers' message protocols. The app runs two kinds of worker so
//! the page never waits for a simulation (both run the page's own module, see
//! `ui::workers`): plan workers run the planner's Monte Carlo trials ([`plan`]), the
//! replay worker runs the simulation the canvas shows, its summary and its charts
//! ([`replay`]).
//!
//! This module is the only place that knows the workers' wire formats (requests and
//! replies are JSON strings): it builds the page's requests, answers them on the
//! worker's side and reads the replies back on the page's. The worker binaries and the
//! page's clients in `ui` only move strings.
//!
//! Invariants: pure (no browser crate, no clock), so every request and reply is tested
//! natively; it sits on top of the core and nothing in the core depends on it:
//! `planner`, `sim`, `scenario` and `view` never import `worker`.

pub mod plan;
pub mod replay;
