//! The simulator: a deterministic, discrete-event model of a mijin Catapult (v.2) /
//! Symbol network following `shared/domain.md` (harvesting, difficulty, chain score,
//! push and pull sync, the rollback limit, finalization, client transactions).
//!
//! Purpose: turn a checked [`crate::scenario::Scenario`] and a seed into an
//! [`Outcome`] and a typed trace. Invariants: pure (no browser, clock or OS entropy);
//! the same scenario and seed give the same trace hash on every platform.
//!
//! Layout: one [`Simulation`] (`engine.rs`: state, event loop, dispatch) holds the
//! world; each Catapult rule is an `impl Simulation` block in its own file
//! (`lifecycle.rs`, `blocks.rs`, `sync.rs`, `finality.rs`, `faults.rs`, `backups.rs`,
//! `clients.rs`); a node's state splits into what a crash keeps and what it loses
//! (`node.rs`); the network is [`network::Links`]; the event queue is `queue.rs`. The
//! engine imports neither the invariant checkers nor the outcome: [`Simulation::new`],
//! below, wires the checkers in through [`StepObserver`], and `outcome.rs` reads a
//! finished simulation.

mod backups;
mod blocks;
pub mod chain;
pub mod checks;
mod clients;
pub mod compare;
pub mod engine;
mod faults;
pub mod finality;
pub mod harvest;
pub mod history;
pub mod ledger;
mod lifecycle;
pub mod network;
pub mod network_height;
pub mod node;
pub mod outcome;
pub mod pool;
mod queue;
pub mod rng;
mod sync;
pub mod trace;

pub use engine::{Simulation, SimulationError, SimulationOptions, StepObserver};
pub use outcome::{format_hash, Outcome};

use crate::scenario::Scenario;

impl<'a> Simulation<'a> {
    /// A simulation of `scenario` at time 0. With `options.check_invariants`, the
    /// invariant checkers ([`checks::InvariantChecker`]) observe every step. Defined
    /// here, where the engine and the checkers meet, so that neither imports the other
    /// (the engine only knows [`StepObserver`]).
    pub fn new(scenario: &'a Scenario, options: SimulationOptions) -> Simulation<'a> {
        let observer = options.check_invariants.then(|| {
            Box::new(checks::InvariantChecker::new(scenario.nodes.len())) as Box<dyn StepObserver>
        });
        Simulation::with_observer(scenario, options, observer)
    }
}

/// Runs a scenario to the end with its own seed and duration.
pub fn simulate(scenario: &Scenario) -> Result<Outcome, SimulationError> {
    Simulation::new(scenario, SimulationOptions::from_scenario(scenario)).run()
}

/// Runs with another seed or duration.
pub fn simulate_with(
    scenario: &Scenario,
    options: SimulationOptions,
) -> Result<Outcome, SimulationError> {
    Simulation::new(scenario, options).run()
}

/// Scenarios shared by the rule files' unit tests.
#[cfg(test)]
pub(crate) mod test_scenarios {
    use crate::scenario::{presets, validate, Scenario};

    /// `seed-fork` with no faults and no client writes, from the nemesis block: a
    /// rule in isolation.
    pub fn quiet_seed_fork() -> Scenario {
        let mut file = presets::load_file("seed-fork").unwrap();
        file.faults.clear();
        file.clients.transactions_per_second = 0.0;
        file.chain.initial_height = 1;
        validate(&file).unwrap()
    }
}
