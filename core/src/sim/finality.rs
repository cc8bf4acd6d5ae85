//! Finalization: the voting rounds that finalize the highest block a supermajority of
//! reachable voters share, and what non-voters learn from the proofs.
//!
//! Catapult behind the rules: a block is finalized when voters holding at least
//! `threshold_percent` of all voting balance support it ([CS]
//! `extensions/finalization/src/chain/RoundMessageAggregator.cpp`, `RoundContext.cpp`
//! use `>=`); a round takes up to two steps of `step_duration` (prevote, precommit)
//! ([TR]); blocks keep coming while finalization stalls ([TR] `finalization.tex`);
//! non-voters pull proofs and finalize whole epochs of `voting_set_grouping_blocks`
//! ([TR]); a voter prevotes only up to its chain height − `prevoteBlocksMultiple` (4),
//! rounded down to a multiple of 4, within the current epoch and `maxHashesPerPoint`
//! (256) hashes ([CS] `FinalizationMessageFactory.cpp: loadPrevoteHashChain`), so the
//! tip is never finalized.
//!
//! Invariants: with `maxRollbackBlocks` 0 a node's finalized height never falls (except
//! when its data is wiped) and its finalized block stays in its chain, and finalized
//! blocks never conflict between nodes whose data was never wiped (`checks.rs` verifies
//! both); a group below the threshold finalizes nothing; the network-wide finalized
//! height only rises; every finalized height is a multiple of 4 at least 4 below the
//! finalizing voters' tips.

use crate::scenario::NodeIndex;

use super::chain::BlockId;
use super::engine::{node_index, Simulation};
use super::history::PREVOTE_BLOCKS_MULTIPLE;
use super::node::Proof;
use super::queue::EventKind;
use super::trace::TraceEvent;

/// Catapult's `maxHashesPerPoint` ([CS] `config-finalization.properties`: 256): a prevote
/// names at most this many hashes from the last finalized block.
const MAX_HASHES_PER_POINT: u64 = 256;

/// How many hashes a prevote names, from the last finalized height up ([CS]
/// `extensions/finalization/src/chain/FinalizationMessageFactory.cpp:
/// loadPrevoteHashChain`): the chain height less `prevoteBlocksMultiple`, capped at the
/// round's epoch end (`CalculateVotingSetEndHeight`) and rounded down to a multiple of
/// `prevoteBlocksMultiple`; at least 1 (the finalized block itself); at most
/// `maxHashesPerPoint`, the excess taken off in whole multiples.
pub fn prevote_hash_count(
    chain_height: u64,
    finalized_height: u64,
    epoch_end_height: u64,
    prevote_blocks_multiple: u64,
    max_hashes_per_point: u64,
) -> u64 {
    let multiple = prevote_blocks_multiple.max(1);
    let highest = if chain_height >= multiple {
        chain_height - multiple
    } else {
        chain_height
    }
    .min(epoch_end_height);
    let clamped = highest / multiple * multiple;
    let mut hashes = if clamped > finalized_height {
        clamped - finalized_height + 1
    } else {
        1
    };
    if hashes > max_hashes_per_point {
        hashes -= (hashes - max_hashes_per_point).div_ceil(multiple) * multiple;
    }
    hashes
}

/// The highest height a voter with a chain this tall prevotes for when `finalized` is
/// the last finalized height: [`prevote_hash_count`] with the template's
/// `prevoteBlocksMultiple` 4 and `maxHashesPerPoint` 256, in the epoch after
/// `finalized` (epochs end on multiples of `voting_set_grouping_blocks`; a finalized
/// epoch end moves the round to the next epoch, [CS] `FinalizationOrchestratorService
/// .cpp`).
pub fn prevote_height(chain_height: u64, finalized: u64, grouping: u64) -> u64 {
    let epoch_end = (finalized / grouping + 1) * grouping;
    finalized
        + prevote_hash_count(
            chain_height,
            finalized,
            epoch_end,
            PREVOTE_BLOCKS_MULTIPLE,
            MAX_HASHES_PER_POINT,
        )
        - 1
}

impl Simulation<'_> {
    /// The finalized height a node takes from a finalization at `height`: voters take it
    /// as is; non-voters pull proofs and finalize whole epochs of
    /// `voting_set_grouping_blocks` ([TR]), so they stop at the last epoch boundary.
    pub(super) fn finality_learned(&self, node: NodeIndex, height: u64) -> u64 {
        if self.scenario.nodes[node.get()].voting_balance > 0 {
            return height;
        }
        let grouping = self.scenario.chain.voting_set_grouping_blocks.max(1);
        height / grouping * grouping
    }

    /// The node stores `proof` if it is newer than its own (non-voters keep only whole
    /// epochs, so theirs is the proof of the epoch's last block); its local finalized
    /// height follows when its chain holds the proof's block. Nodes on another branch
    /// store the proof too: that is what sync's finalized-block exception is keyed on.
    /// True when the local finalized height rose.
    pub(super) fn learn_proof(&mut self, node: NodeIndex, proof: Proof) -> bool {
        let height = self.finality_learned(node, proof.height);
        if height <= self.nodes[node.get()].disk.proof.height {
            return false;
        }
        let block = if height <= self.blocks.initial_height() {
            // A block of the shared history.
            self.blocks.historical(height)
        } else {
            let mut block = proof.block;
            while self.blocks.get(block).height > height {
                block = self
                    .blocks
                    .get(block)
                    .parent
                    .expect("a proof above the anchor descends from it");
            }
            block
        };
        let state = &mut self.nodes[node.get()];
        state.disk.proof = Proof { height, block };
        if height > state.disk.finalized_height && state.contains(&self.blocks, block) {
            state.disk.finalized_height = height;
            return true;
        }
        false
    }

    /// The voting weight of these nodes: votes are weighted by the balance of the voting
    /// account ([TR]), and a clone votes with its source's key, so each account counts
    /// once however many of its nodes vote. `seen` is scratch space, one flag per node,
    /// all false on entry and on return (it replaces a sort and a dedup per call: the
    /// finalization round asks for a weight once per step of its searches).
    fn voting_weight(
        &self,
        nodes: impl Iterator<Item = NodeIndex> + Clone,
        seen: &mut [bool],
    ) -> u64 {
        let mut weight = 0;
        for node in nodes.clone() {
            let account = self.scenario.nodes[node.get()].account;
            if !seen[account.get()] {
                seen[account.get()] = true;
                weight += self.scenario.nodes[account.get()].voting_balance;
            }
        }
        for node in nodes {
            seen[self.scenario.nodes[node.get()].account.get()] = false;
        }
        weight
    }

    /// A round takes up to two steps (prevote, precommit).
    pub(super) fn finalization_round_ms(&self) -> u64 {
        2 * self.scenario.chain.finalization_step_ms
    }

    /// One finalization round: each group of voters that can reach each other and holds
    /// at least the threshold of all voting balance finalizes the highest block that
    /// voters holding the threshold share. Blocks keep coming either way.
    pub(super) fn finalization_round(&mut self) {
        self.schedule(
            self.now_ms + self.finalization_round_ms(),
            EventKind::FinalizationRound,
        );
        let count = self.nodes.len();
        let voters: Vec<NodeIndex> = (0..count)
            .map(node_index)
            .filter(|node| {
                self.scenario.nodes[node.get()].voting_balance > 0 && self.nodes[node.get()].is_up()
            })
            .collect();
        let threshold = self.total_voting_balance as f64
            * self.scenario.chain.finalization_threshold_percent
            / 100.0;
        let mut assigned = vec![false; voters.len()];
        for start in 0..voters.len() {
            if assigned[start] {
                continue;
            }
            // The voters this one can exchange messages with, directly or through others.
            let mut group = vec![start];
            assigned[start] = true;
            let mut cursor = 0;
            while cursor < group.len() {
                let current = voters[group[cursor]];
                for (candidate, &other) in voters.iter().enumerate() {
                    if !assigned[candidate]
                        && self.can_send(current, other)
                        && self.can_send(other, current)
                    {
                        assigned[candidate] = true;
                        group.push(candidate);
                    }
                }
                cursor += 1;
            }
            let members: Vec<NodeIndex> = group.iter().map(|&position| voters[position]).collect();
            let weight = self.voting_weight(members.iter().copied(), &mut vec![false; count]);
            if (weight as f64) < threshold {
                continue;
            }
            self.finalize_in_group(&members, threshold);
        }
    }

    /// Finalizes, within one group of voters that reach each other, the highest block
    /// voters holding `threshold` share; reachable nodes holding it learn the proof, and
    /// the transactions of newly finalized blocks are stamped.
    fn finalize_in_group(&mut self, members: &[NodeIndex], threshold: f64) {
        // What each voter prevotes for: its chain up to its prevote limit.
        let finalized = members
            .iter()
            .map(|node| self.nodes[node.get()].disk.proof.height)
            .max()
            .unwrap_or(1);
        let grouping = self.scenario.chain.voting_set_grouping_blocks.max(1);
        let limits: Vec<u64> = members
            .iter()
            .map(|node| prevote_height(self.nodes[node.get()].height(), finalized, grouping))
            .collect();
        let mut seen = vec![false; self.nodes.len()];
        let mut support = |simulation: &Self, block: BlockId| -> f64 {
            let height = simulation.blocks.get(block).height;
            simulation.voting_weight(
                members
                    .iter()
                    .zip(&limits)
                    .filter(|(node, &limit)| {
                        height <= limit
                            && simulation.nodes[node.get()].contains(&simulation.blocks, block)
                    })
                    .map(|(node, _)| *node),
                &mut seen,
            ) as f64
        };
        let mut best: Option<BlockId> = None;
        // Voters on the same tip have the same chain and the same limit, so the same
        // search finds the same candidate, which cannot beat the first (only a strictly
        // higher block replaces it): each tip is searched once, for its first voter.
        let mut searched_tips: Vec<BlockId> = Vec::new();
        for (voter, &limit) in members.iter().zip(&limits) {
            let chain = &self.nodes[voter.get()].disk.chain;
            if searched_tips.contains(&chain.tip()) {
                continue;
            }
            searched_tips.push(chain.tip());
            // A voter still catching up on history holds no block near the tip.
            let top_height = limit.min(chain.height());
            if chain.is_historical() || top_height < chain.base_height() {
                continue;
            }
            let blocks = chain.blocks();
            // Support only falls as the height rises along one chain: binary search.
            let (mut low, mut high) = (0usize, (top_height - chain.base_height()) as usize);
            while low < high {
                let middle = (low + high).div_ceil(2);
                if support(self, blocks[middle]) >= threshold {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            let candidate = blocks[low];
            if support(self, candidate) >= threshold
                && best.is_none_or(|current| {
                    self.blocks.get(candidate).height > self.blocks.get(current).height
                })
            {
                best = Some(candidate);
            }
        }
        let Some(block) = best else { return };
        let height = self.blocks.get(block).height;
        let mut finalized_nodes = 0u16;
        for index in 0..self.nodes.len() {
            let node = node_index(index);
            let reachable = members.iter().any(|&voter| {
                voter == node || (self.can_send(voter, node) && self.can_send(node, voter))
            });
            if reachable && self.learn_proof(node, Proof { height, block }) {
                finalized_nodes += 1;
            }
        }
        if height > self.network_finalized_height {
            // Stamp the transactions of every newly finalized block.
            let mut cursor = Some(block);
            while let Some(id) = cursor {
                let finalized_block = self.blocks.get(id);
                if finalized_block.height <= self.network_finalized_height {
                    break;
                }
                for &transaction in finalized_block.transactions.iter() {
                    let record = &mut self.transactions[transaction as usize];
                    record.first_finalized_ms.get_or_insert(self.now_ms);
                }
                cursor = finalized_block.parent;
            }
            self.network_finalized_height = height;
        }
        if finalized_nodes > 0 {
            self.trace.record(
                self.now_ms,
                TraceEvent::Finalized {
                    height,
                    hash: self.blocks.get(block).hash,
                    nodes: finalized_nodes,
                },
            );
        }
    }
}
