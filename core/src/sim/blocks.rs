//! Blocks: harvesting (when a node's hit first falls under its target), appending,
//! rolling back, and push propagation.
//!
//! Catapult behind the rules: the harvesting task runs once a second at the node's own
//! phase, and a harvester wins at the first whole second its hit falls under its target
//! ([CS] `src/catapult/chain/BlockScorer.cpp`, `extensions/harvesting/src/Harvester.cpp`;
//! solved in `harvest.rs`); with harvest gating (the `networkheight` extension) a node
//! harvests, and accepts pushed blocks, only while the network height is below its own
//! height + 4 ([CS] `extensions/networkheight/src/NetworkHeightService.cpp`); a new or
//! accepted pushed block is broadcast at once to the outgoing connections, Peer-role
//! senders only ([CS] `extensions/sync/src/DispatcherService.cpp`,
//! `NetworkPacketWritersService.cpp`); a push may replace at most the tip ([CS]
//! `BlockChainSyncConsumer.cpp`); rolled-back transactions go back to the unconfirmed
//! pool while unexpired ([CS] `UtUpdater.cpp`).
//!
//! Invariants: a node's chain grows only by blocks whose parent is its tip; it shrinks
//! only through `roll_back`, which records the rollback, never below `rollback_floor`;
//! a transaction leaves a node's pool when a block carrying it is appended; every chain
//! change wakes the nodes watching it (`notify_changed`).

use crate::scenario::NodeIndex;

use super::chain::BlockId;
use super::engine::Simulation;
use super::network_height;
use super::node::RollbackRecord;
use super::queue::EventKind;
use super::rng::{generation_hash, generation_hash_first_word};
use super::trace::TraceEvent;

/// Transactions one block carries at most (a guard; client load is far below it).
const TRANSACTIONS_PER_BLOCK_MAX: usize = 6_000;

impl Simulation<'_> {
    /// The node may harvest now: up, a harvester, and (with harvest gating) not too far
    /// behind the network.
    fn harvest_allowed(&self, node: NodeIndex) -> bool {
        let state = &self.nodes[node.get()];
        state.is_up()
            && self.scenario.nodes[node.get()].harvests()
            // Still catching up on history: nothing to build on (see `history.rs`).
            && !state.disk.chain.is_historical()
            && (!self.scenario.chain.harvest_gating
                || network_height::chain_synced(state.memory.network_height, state.height()))
    }

    /// Works out when this node's hit first falls under its target on its current tip,
    /// and schedules that moment (cancelling any earlier plan).
    pub(super) fn schedule_harvest(&mut self, node: NodeIndex) {
        self.nodes[node.get()].harvest_generation += 1;
        if !self.harvest_allowed(node) || self.total_stake == 0 {
            return;
        }
        let tip = self.nodes[node.get()].tip();
        let parent = self.blocks.get(tip);
        // The first firing second depends only on the parent and the harvester, so it is
        // worked out once per tip (the task is re-planned far more often than the tip
        // changes: network-height checks, pushes that lose, sync rounds).
        let second = match self.nodes[node.get()].memory.harvest_plan {
            Some((planned_tip, second)) if planned_tip == tip => second,
            _ => {
                let share = self.scenario.nodes[node.get()].stake as f64 / self.total_stake as f64;
                // The hit comes from the generation hash, which depends on the parent and
                // the harvesting key (a clone's is its source's): [CS] `BlockScorer.cpp:
                // CalculateHit`, hit / 2^54 compared with λ(t) (see `harvest.rs`).
                // Its first word nearly always holds the hit bits: the rest of the hash
                // is made only when needed.
                let (seed, harvester) = (
                    self.options.seed,
                    self.scenario.nodes[node.get()].account.0 as u64,
                );
                let second = self.curve.first_firing_second_for_first_word(
                    generation_hash_first_word(seed, parent.hash, harvester),
                    || generation_hash(seed, parent.hash, harvester),
                    share,
                    parent.child_difficulty,
                );
                self.nodes[node.get()].memory.harvest_plan = Some((tip, second));
                second
            }
        };
        let Some(second) = second else {
            return;
        };
        let state = &self.nodes[node.get()];
        let earliest = (parent.timestamp_ms + second * 1_000)
            .max(self.now_ms)
            .max(state.memory.harvest_ready_at_ms);
        // The harvest task ticks once a second at this node's own phase.
        let phase = state.harvest_phase_ms;
        let fire_at = if earliest % 1_000 <= phase {
            earliest - earliest % 1_000 + phase
        } else {
            earliest - earliest % 1_000 + 1_000 + phase
        };
        let generation = state.harvest_generation;
        self.schedule(fire_at, EventKind::HarvestFire { node, generation });
    }

    /// The planned harvest fires (unless the plan changed since): a block on the node's
    /// tip with its unexpired pool transactions, appended and pushed to its connections.
    pub(super) fn harvest(&mut self, node: NodeIndex, generation: u64) {
        let index = node.get();
        if self.nodes[index].harvest_generation != generation || !self.harvest_allowed(node) {
            return;
        }
        let now = self.now_ms;
        // Gathered in a reused buffer, then copied once into a block of the exact size.
        let mut chosen = std::mem::take(&mut self.scratch_transactions);
        chosen.clear();
        chosen.extend(
            self.nodes[index]
                .memory
                .pool
                .iter()
                .filter(|&transaction| self.transactions[transaction as usize].deadline_ms > now)
                .filter(|&transaction| !self.transaction_in_chain(index, transaction))
                .take(TRANSACTIONS_PER_BLOCK_MAX),
        );
        let transactions: Box<[u32]> = Box::from(chosen.as_slice());
        self.scratch_transactions = chosen;
        let block = self.blocks.harvest(
            self.nodes[index].disk.chain.blocks(),
            node.0,
            now,
            transactions,
            &self.scenario.chain,
        );
        let height = self.blocks.get(block).height;
        self.trace.record(
            now,
            TraceEvent::BlockProduced {
                node: node.0,
                height,
                hash: self.blocks.get(block).hash,
            },
        );
        self.append_blocks(node, &[block]);
        self.broadcast(node, block, None);
        self.schedule_harvest(node);
    }

    /// A block on the node's chain carries the transaction.
    pub(super) fn transaction_in_chain(&self, node: usize, transaction: u32) -> bool {
        self.transactions[transaction as usize]
            .blocks
            .iter()
            .any(|block| self.nodes[node].contains(&self.blocks, block))
    }

    /// Appends blocks that extend the node's tip; their transactions leave its pool.
    pub(super) fn append_blocks(&mut self, node: NodeIndex, new_blocks: &[BlockId]) {
        let index = node.get();
        if !new_blocks.is_empty() {
            self.notify_changed(node);
        }
        for &block in new_blocks {
            self.nodes[index].disk.chain.push(block);
            // A block's transactions are in id order (taken from a pool, which is).
            let carried = &self.blocks.get(block).transactions;
            self.nodes[index].memory.pool.remove_sorted(carried);
            for position in 0..carried.len() {
                let transaction = self.blocks.get(block).transactions[position];
                let record = &mut self.transactions[transaction as usize];
                record.blocks.push_unique(block);
                if record.first_confirmed_ms.is_none() {
                    record.first_confirmed_ms = Some(self.now_ms);
                    self.confirmed_count += 1;
                    let height = self.blocks.get(block).height;
                    self.trace.record(
                        self.now_ms,
                        TraceEvent::TransactionConfirmed {
                            transaction,
                            height,
                        },
                    );
                }
            }
        }
    }

    /// Undoes the node's blocks above `common_height`; their unexpired transactions go
    /// back to its unconfirmed pool ([CS] `UtUpdater.cpp`).
    pub(super) fn roll_back(&mut self, node: NodeIndex, common_height: u64) {
        let index = node.get();
        let depth = self.nodes[index].height() - common_height;
        if depth == 0 {
            return;
        }
        self.notify_changed(node);
        let undone: Vec<BlockId> = self.nodes[index].disk.chain.truncate_to(common_height);
        for block in undone {
            for &transaction in self.blocks.get(block).transactions.iter() {
                if self.transactions[transaction as usize].deadline_ms > self.now_ms {
                    self.nodes[index].memory.pool.insert(transaction);
                }
            }
        }
        // With `maxRollbackBlocks` above 0 a rollback may undo finalized blocks (the
        // sync floor ignores finalization). The node's local finalized height is then
        // the newest proof its chain still matches ([CS] `FinalizationBootstrapperService
        // .cpp`: the latest proof, else a reverse search through epochs): here the last
        // epoch boundary at or below the common block.
        if self.nodes[index].disk.finalized_height > common_height {
            let grouping = self.scenario.chain.voting_set_grouping_blocks.max(1);
            self.nodes[index].disk.finalized_height = (common_height / grouping * grouping).max(1);
        }
        self.nodes[index].rollbacks.push(RollbackRecord {
            at_ms: self.now_ms,
            depth,
        });
        self.max_rollback_depth = self.max_rollback_depth.max(depth);
        self.trace.record(
            self.now_ms,
            TraceEvent::Rollback {
                node: node.0,
                depth,
                to_height: common_height,
            },
        );
    }

    /// The lowest height a node may roll back to, its "local finalized height" in
    /// catapult's sync ([CS] `extensions/ServiceState.cpp:
    /// CreateLocalFinalizedHeightHashPairSupplier`): with `maxRollbackBlocks` above 0 it
    /// is the height minus that limit (1 for a shorter chain) and finalization plays no
    /// part, so a finalized block within that depth can still be rolled back; with 0 it
    /// is the finalized height. Public read-only so views can say whether a fork is past
    /// the limit (a fork whose common block is below this floor is refused).
    pub fn rollback_floor(&self, node: NodeIndex) -> u64 {
        let state = &self.nodes[node.get()];
        let max_rollback = self.scenario.chain.max_rollback_blocks;
        if max_rollback > 0 {
            if state.height() <= max_rollback {
                1
            } else {
                state.height() - max_rollback
            }
        } else {
            state.disk.finalized_height
        }
    }

    /// Pushes a block to the node's connections (Peer-role senders only).
    fn broadcast(&mut self, node: NodeIndex, block: BlockId, except: Option<NodeIndex>) {
        if !self.scenario.nodes[node.get()].role.has_peer() {
            return;
        }
        // A run's block (pushes carry nothing else): a chain holds it when it holds
        // this block at its height.
        debug_assert!(!self.blocks.get(block).historical);
        let height = self.blocks.get(block).height;
        // Taken out of the node for the loop: neither the loss draw nor scheduling
        // touches connections.
        let connections = std::mem::take(&mut self.nodes[node.get()].memory.connections);
        for &peer in &connections {
            // A peer that already holds the block would drop the push on arrival; not
            // sending it saves an event without changing what any node does.
            if Some(peer) == except
                || self.nodes[peer.get()].disk.chain.block_at(height) == Some(block)
            {
                continue;
            }
            if !self.deliverable(node, peer) {
                continue;
            }
            let at = self.now_ms + self.links.latency_ms(node, peer);
            self.schedule(
                at,
                EventKind::PushBlock {
                    to: peer,
                    from: node,
                    block,
                },
            );
        }
        self.nodes[node.get()].memory.connections = connections;
    }

    /// A pushed block arrives: taken when it extends the tip, or when it replaces the tip
    /// with a better sibling; then pushed on to the node's other connections.
    pub(super) fn receive_push(&mut self, to: NodeIndex, from: NodeIndex, block: BlockId) {
        let index = to.get();
        if !self.nodes[index].is_up() || self.nodes[index].contains(&self.blocks, block) {
            return;
        }
        if self.scenario.chain.harvest_gating {
            let state = &self.nodes[index];
            if !network_height::chain_synced(state.memory.network_height, state.height()) {
                return;
            }
        }
        let incoming = self.blocks.get(block);
        let (parent, height, score) = (incoming.parent, incoming.height, incoming.cumulative_score);
        let state = &self.nodes[index];
        let tip = state.tip();
        if parent == Some(tip) {
            self.append_blocks(to, &[block]);
        } else if height == state.height()
            && height >= 2
            && parent == state.disk.chain.block_at(height - 1)
            && score > self.blocks.get(tip).cumulative_score
            && height > self.rollback_floor(to)
        {
            // A push may replace at most the tip ([CS] `BlockChainSyncConsumer.cpp`).
            self.roll_back(to, height - 1);
            self.append_blocks(to, &[block]);
        } else {
            return;
        }
        self.nodes[index].irreconcilable = false;
        self.trace.record(
            self.now_ms,
            TraceEvent::BlockReceived {
                node: to.0,
                from: from.0,
                height,
            },
        );
        self.broadcast(to, block, Some(from));
        self.schedule_harvest(to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimulationOptions;

    use crate::sim::test_scenarios::quiet_seed_fork as quiet_scenario;

    /// A pushed block replaces at most the tip, and only when strictly better.
    #[test]
    fn a_push_replaces_only_the_tip_and_only_when_better() {
        let scenario = quiet_scenario();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        let peer1 = scenario.node_by_id("peer1").unwrap();
        let peer2 = scenario.node_by_id("peer2").unwrap();
        let nemesis_chain = vec![BlockId::NEMESIS];
        let slow = simulation.blocks.harvest(
            &nemesis_chain,
            peer1.0,
            20_000,
            Box::new([]),
            &scenario.chain,
        );
        let fast = simulation.blocks.harvest(
            &nemesis_chain,
            peer2.0,
            12_000,
            Box::new([]),
            &scenario.chain,
        );
        simulation.nodes[peer1.get()].disk.chain.push(slow);
        simulation.receive_push(peer1, peer2, fast);
        assert_eq!(
            simulation.nodes[peer1.get()].tip(),
            fast,
            "a faster sibling scores higher"
        );

        // Two blocks deep: a push cannot reorganize; only pull sync can.
        let chain = simulation.nodes[peer1.get()].disk.chain.clone();
        let own = simulation.blocks.harvest(
            chain.blocks(),
            peer1.0,
            27_000,
            Box::new([]),
            &scenario.chain,
        );
        simulation.nodes[peer1.get()].disk.chain.push(own);
        let other_chain = vec![BlockId::NEMESIS, slow];
        let deep =
            simulation
                .blocks
                .harvest(&other_chain, peer2.0, 21_000, Box::new([]), &scenario.chain);
        simulation.receive_push(peer1, peer2, deep);
        assert_eq!(simulation.nodes[peer1.get()].tip(), own);
    }
}
