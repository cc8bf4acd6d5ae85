//! The browser's Web Workers' message protocols. The app runs two workers so the page
//! never waits for a simulation: the plan worker (`src/bin/plan-worker.rs`) runs the
//! planner's Monte Carlo trials ([`plan`]), the replay worker
//! (`src/bin/replay-worker.rs`) runs the simulation the canvas shows, its summary and
//! its charts ([`replay`]).
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
