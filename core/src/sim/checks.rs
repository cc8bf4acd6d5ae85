//! Invariant checkers (oracles), kept apart from the engine they check: the engine
//! knows only the [`StepObserver`] trait, and `Simulation::new` installs an
//! [`InvariantChecker`] as its observer when `check_invariants` is on. It then runs
//! after every event:
//!
//! 1. a node's height falls only through a recorded rollback or an operator wipe;
//! 2. no rollback is deeper than `maxRollbackBlocks` (when it is above 0);
//! 3. with `maxRollbackBlocks` 0, a node's finalized height never falls and its
//!    finalized block stays in its chain;
//! 4. with `maxRollbackBlocks` 0, finalized blocks never conflict between nodes (among
//!    nodes whose data was never wiped by disk loss, restore or resync).
//!
//! 3 and 4 hold only with `maxRollbackBlocks` 0: above 0, catapult's sync floor is the
//! height minus the limit and ignores finalization ([CS] `extensions/ServiceState.cpp:
//! CreateLocalFinalizedHeightHashPairSupplier`), so a finalized block within that depth
//! can still be rolled back (tests/fidelity.rs shows it).
//!
//! Convergence after faults heal is checked at the end of a run by the tests, from the
//! outcome (`converged`).

use super::chain::BlockId;
use super::engine::{Simulation, StepObserver};

pub struct InvariantChecker {
    heights: Vec<u64>,
    rollbacks: Vec<usize>,
    wipes: Vec<u32>,
    finalized: Vec<(u64, Option<BlockId>)>,
}

impl InvariantChecker {
    pub fn new(nodes: usize) -> InvariantChecker {
        InvariantChecker {
            heights: vec![1; nodes],
            rollbacks: vec![0; nodes],
            wipes: vec![0; nodes],
            finalized: vec![(1, None); nodes],
        }
    }
}

impl StepObserver for InvariantChecker {
    fn observe(&mut self, simulation: &Simulation<'_>) -> Result<(), String> {
        let max_rollback = simulation.scenario.chain.max_rollback_blocks;
        for (index, state) in simulation.nodes.iter().enumerate() {
            let id = &simulation.scenario.nodes[index].id;
            let wiped = state.wipes != self.wipes[index];
            let new_rollbacks = &state.rollbacks[self.rollbacks[index]..];
            if max_rollback > 0 {
                if let Some(rollback) = new_rollbacks
                    .iter()
                    .find(|rollback| rollback.depth > max_rollback)
                {
                    return Err(format!(
                        "{id} rolled back {} blocks, past maxRollbackBlocks {max_rollback}",
                        rollback.depth
                    ));
                }
            }
            if state.height() < self.heights[index] && new_rollbacks.is_empty() && !wiped {
                return Err(format!(
                    "{id} fell from height {} to {} without a rollback",
                    self.heights[index],
                    state.height()
                ));
            }
            let (finalized_height, finalized_block) = self.finalized[index];
            // "A finalized block is never rolled back" holds only with maxRollbackBlocks
            // 0: above 0 the sync floor ignores finalization ([CS] `ServiceState.cpp`).
            if !wiped && max_rollback == 0 {
                if state.disk.finalized_height < finalized_height {
                    return Err(format!(
                        "{id}'s finalized height fell from {finalized_height} to {}",
                        state.disk.finalized_height
                    ));
                }
                let still_held = match finalized_block {
                    Some(block) => state.disk.chain.block_at(finalized_height) == Some(block),
                    None => state.height() >= finalized_height,
                };
                if !still_held {
                    return Err(format!(
                        "{id} rolled back its finalized block at height {finalized_height}"
                    ));
                }
            }
            self.heights[index] = state.height();
            self.rollbacks[index] = state.rollbacks.len();
            self.wipes[index] = state.wipes;
            self.finalized[index] = (
                state.disk.finalized_height,
                // None: a block of the shared history, the same on every node.
                (state.disk.finalized_height > simulation.blocks.initial_height())
                    .then(|| state.disk.chain.block_at(state.disk.finalized_height))
                    .flatten(),
            );
        }
        // Safety across nodes: every finalized block lies on the highest finalized chain.
        // Nodes whose data was ever wiped (disk loss, restore, resync) are left out: if
        // they held the only copy, restarting from nothing really is a new chain.
        let untouched = |index: usize| simulation.nodes[index].wipes == 0 && max_rollback == 0;
        if let Some((highest, _)) = self
            .finalized
            .iter()
            .enumerate()
            .filter(|(index, _)| untouched(*index))
            .max_by_key(|(_, (height, _))| *height)
            .map(|(index, entry)| (index, *entry))
        {
            let reference = &simulation.nodes[highest].disk.chain;
            for (index, (height, block)) in self.finalized.iter().enumerate() {
                let conflicts = block.is_some_and(|block| {
                    reference
                        .block_at(*height)
                        .is_some_and(|held| held != block)
                });
                if untouched(index) && conflicts {
                    return Err(format!(
                        "{} finalized a block at height {height} that conflicts with {}'s finalized chain",
                        simulation.scenario.nodes[index].id, simulation.scenario.nodes[highest].id
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{presets, validate};
    use crate::sim::{Simulation, SimulationError, SimulationOptions};

    /// `check_invariants` installs the checkers as the engine's observer: a height that
    /// falls without a rollback stops the run; without the option nothing looks.
    #[test]
    fn check_invariants_installs_the_checker_as_the_observer() {
        let scenario = validate(&presets::load_file("seed-fork").unwrap()).unwrap();
        for check_invariants in [true, false] {
            let mut options = SimulationOptions::from_scenario(&scenario);
            options.check_invariants = check_invariants;
            let mut simulation = Simulation::new(&scenario, options);
            simulation.run_until(10 * 60_000).unwrap();
            let node = simulation.best_node().get();
            assert!(simulation.nodes[node].height() > 2);
            let height = simulation.nodes[node].height();
            simulation.nodes[node].disk.chain.truncate_to(height - 1);
            let verdict = simulation.step();
            if check_invariants {
                assert!(
                    matches!(
                        &verdict,
                        Err(SimulationError::InvariantViolated { message, .. })
                            if message.contains("without a rollback")
                    ),
                    "{verdict:?}"
                );
            } else {
                assert_eq!(verdict, Ok(true));
            }
        }
    }
}
