//! Golden trace hashes shared by the native and the browser determinism tests: the same
//! scenario and seed must give these values on both platforms. When the simulator's
//! behaviour changes on purpose, update them here (both tests read this file).

/// `seed-fork` preset, its own seed (1) and duration (2h).
pub const SEED_FORK_TRACE_HASH: &str = "327153f86d914b2a";
/// `multi-az` preset, seed 7, 6 hours.
pub const MULTI_AZ_SEED_7_TRACE_HASH: &str = "87c5ec9bd1ad1ebf";
