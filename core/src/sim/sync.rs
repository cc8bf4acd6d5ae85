//! Pull synchronization: the synchronizer task's rounds, the chain comparison and the
//! batch pull, the unconfirmed-transaction pull, the wake-ups that let an in-sync node
//! skip rounds, and the network-height task.
//!
//! Catapult behind the rules: the synchronizer task runs every `sync_interval_ms` and
//! talks to one Peer-role partner per round ([CS] `config-task.properties`,
//! `SyncService.cpp`); chains are compared by score and only a strictly better one is
//! taken, pulled in batches of `max_blocks_per_sync` until the fork depth is covered
//! ([CS] `src/catapult/chain/CompareChains.cpp`, `ChainSynchronizer.cpp`,
//! `src/catapult/consumers/BlockChainSyncConsumer.cpp`); no fork is undone below the
//! rollback limit ([CS] `src/catapult/extensions/ServiceState.cpp`); unconfirmed
//! transactions are pulled only while the node's last block is at most
//! `maxTimeBehindPullTransactionsStart` old ([CS] `ServiceState.cpp`,
//! `config-node.properties`); the network height is the median height of up to 5 peers,
//! checked every 15 s, and never decreases ([CS] NetworkHeightService,
//! `config-networkheight.properties`).
//!
//! Invariants: a round draws its partner from a keyed hash of the node and the time, not
//! from the random stream, so a skipped round changes no later draw; a node stops
//! scheduling rounds only when every connection is in sync with it and no random loss is
//! in effect, and anything that could give it something to pull wakes it (`wake`,
//! `notify_changed`, `notify_pool_grew`); a response for an earlier run of the
//! process (another `epoch`) is dropped.

use crate::scenario::NodeIndex;

use super::chain::BlockId;
use super::compare::{
    compare_chains_in_batches, BatchComparison, BatchSource, ChainComparisonCode, ChainStatistics,
    CompareChainsOptions,
};
#[cfg(any(test, debug_assertions))]
use super::compare::{compare_chains_reusing, ChainApi};
use super::engine::{node_index, Simulation};
use super::network_height;
use super::node::{Chain, Proof};
use super::queue::EventKind;
use super::rng::mix64;
use super::trace::TraceEvent;

/// Hashes compared per batch for each block pulled per batch: catapult's template pairs
/// `maxHashesPerSyncAttempt` 84 with `maxBlocksPerSyncAttempt` 42 ([CS]
/// `config-node.properties`). It changes only how many lookups the search takes.
const HASHES_PER_BATCH_PER_BLOCK: u32 = 2;

/// The synchronizer pulls unconfirmed transactions only while its last block is at
/// most this old ([CS] `maxTimeBehindPullTransactionsStart`, 5 min in the template).
const TRANSACTION_PULL_MAX_BEHIND_MS: u64 = 5 * 60_000;

/// One side of the chain comparison in `pull_blocks` as catapult's hashes, for debug
/// builds' check of [`PartedChains`] (release builds answer batches from the heights
/// alone): a block of the run is keyed by its id with the top bit set, a height below
/// `base_height` by the height itself (the history every node shares). The blocks from
/// `base_height` up are `lower` then `upper` (the local chain: all of it, then nothing;
/// the partner's: the local blocks up to the common one, then its own).
#[cfg(any(test, debug_assertions))]
struct KeyedChain<'a> {
    statistics: ChainStatistics,
    base_height: u64,
    lower: &'a [BlockId],
    upper: &'a [BlockId],
}

#[cfg(any(test, debug_assertions))]
fn block_key(block: &BlockId) -> u64 {
    block.0 as u64 | 1 << 63
}

#[cfg(any(test, debug_assertions))]
impl ChainApi for KeyedChain<'_> {
    type Hash = u64;

    fn chain_statistics(&mut self) -> ChainStatistics {
        self.statistics
    }

    fn hashes_from(&mut self, height: u64, max_hashes: u32, out: &mut Vec<u64>) {
        out.clear();
        // Heights `height..end`, none past the tip.
        let end = (height + max_hashes as u64).min(self.statistics.height + 1);
        let mut current = height;
        while current < end && current < self.base_height {
            out.push(current);
            current += 1;
        }
        if current >= end {
            return;
        }
        let (from, to) = (
            (current - self.base_height) as usize,
            (end - self.base_height) as usize,
        );
        let lower_length = self.lower.len();
        if from < lower_length {
            out.extend(self.lower[from..to.min(lower_length)].iter().map(block_key));
        }
        if to > lower_length {
            out.extend(
                self.upper[from.max(lower_length) - lower_length..to - lower_length]
                    .iter()
                    .map(block_key),
            );
        }
    }
}

/// The comparison's two chains as the sync rule knows them: they hold the same blocks
/// up to `common_height` (the history below a run's first block is shared, and the
/// partner's blocks above the common one are blocks the local chain lacks) and differ
/// at every height above it that both reach. So a batch's counts and its agreeing
/// prefix follow from the heights alone: the same answers [`KeyedChain`]'s hashes give
/// (checked in debug builds on every comparison), without listing `2 ×
/// max_blocks_per_sync` hashes per side per batch, which made the comparison about a
/// tenth of a planner trial.
struct PartedChains {
    local: ChainStatistics,
    remote: ChainStatistics,
    common_height: u64,
}

impl BatchSource for PartedChains {
    fn statistics(&mut self) -> (ChainStatistics, ChainStatistics) {
        (self.local, self.remote)
    }

    fn compare_batch(&mut self, starting_height: u64, max_hashes: u32) -> BatchComparison {
        // An honest chain answers heights `start..=min(start + max − 1, tip)`.
        let count = |height: u64| {
            (starting_height + max_hashes as u64)
                .min(height + 1)
                .saturating_sub(starting_height) as usize
        };
        let local_count = count(self.local.height);
        let remote_count = count(self.remote.height);
        let shared = (self.common_height + 1).saturating_sub(starting_height) as usize;
        BatchComparison {
            local_count,
            remote_count,
            agreeing: shared.min(local_count).min(remote_count),
        }
    }

    fn local_score_now(&mut self) -> u128 {
        self.local.score
    }
}

impl Simulation<'_> {
    /// Whether `node` has nothing to pull from `partner`: no chain with a higher score
    /// (the only kind it would take, see [`Self::pull_blocks`]), no newer finalization
    /// proof, and (for nodes that harvest or serve blocks) no unconfirmed transaction it
    /// lacks.
    fn in_sync_with(&self, node: NodeIndex, partner: NodeIndex) -> bool {
        self.in_sync_with_all(node, &[partner])
    }

    /// [`Self::in_sync_with`] every one of `partners`, with the node's own score, proof
    /// and role read once (a sync round asks it of every connection).
    fn in_sync_with_all(&self, node: NodeIndex, partners: &[NodeIndex]) -> bool {
        let mine = &self.nodes[node.get()];
        let my_tip = mine.tip();
        let my_score = self.blocks.get(my_tip).cumulative_score;
        let my_proof_height = mine.disk.proof.height;
        let pulls_transactions = self.scenario.nodes[node.get()].role.has_peer();
        partners.iter().all(|partner| {
            let theirs = &self.nodes[partner.get()];
            let their_tip = theirs.tip();
            // The same tip (the usual case) scores the same: no need to look it up.
            (their_tip == my_tip || self.blocks.get(their_tip).cumulative_score <= my_score)
                && theirs.disk.proof.height <= my_proof_height
                && (!pulls_transactions || theirs.memory.pool.is_subset(&mine.memory.pool))
        })
    }

    /// A sync round. The partner is drawn from a keyed hash of the node and the time, so
    /// a round that finds every connection already in sync changes nothing and draws
    /// nothing; such a node stops scheduling rounds until something it watches changes
    /// (`wake`). The rounds it skips are exactly the ones that would have found nothing.
    pub(super) fn sync_tick(&mut self, node: NodeIndex, epoch: u32) {
        let index = node.get();
        if self.nodes[index].epoch != epoch || !self.nodes[index].is_up() {
            return;
        }
        self.nodes[index].memory.sync_pending = false;
        let count = self.nodes[index].memory.connections.len();
        // The drawn partner is one of the connections: when it is out of sync, so is the
        // node with all of them (no need to look at the others below).
        let mut partner_in_sync = true;
        if count > 0 {
            let draw = mix64(self.options.seed ^ (node.0 as u64) << 48 ^ mix64(self.now_ms));
            let partner = self.nodes[index].memory.connections
                [((draw as u128 * count as u128) >> 64) as usize];
            partner_in_sync = self.in_sync_with(node, partner);
            if !partner_in_sync
                && self.deliverable(node, partner)
                && self.deliverable(partner, node)
            {
                let partner_state = &self.nodes[partner.get()];
                let tip = partner_state.tip();
                let proof = partner_state.disk.proof;
                let round_trip =
                    self.links.latency_ms(node, partner) + self.links.latency_ms(partner, node);
                self.schedule(
                    self.now_ms + round_trip,
                    EventKind::SyncResponse {
                        node,
                        partner,
                        tip,
                        proof,
                        epoch,
                    },
                );
            }
        }
        let wants_more = self.links.message_loss_active()
            || !partner_in_sync
            || !self.in_sync_with_all(node, &self.nodes[index].memory.connections);
        if wants_more {
            self.nodes[index].memory.sync_pending = true;
            // Processing slower than pulling holds the synchronizer back.
            let next = (self.now_ms + self.scenario.chain.sync_interval_ms)
                .max(self.nodes[index].memory.processing_until_ms);
            self.schedule(next, EventKind::SyncTick { node, epoch });
        }
    }

    /// Schedules the node's next sync round (on its own phase) if none is queued.
    #[inline(always)]
    pub(super) fn wake(&mut self, node: NodeIndex) {
        let state = &self.nodes[node.get()];
        if !state.is_up() || state.memory.sync_pending {
            return;
        }
        self.queue_sync_round(node);
    }

    /// [`Self::wake`] for a node that is up with no round queued. (Kept out of line:
    /// most wakes find a round already queued and stop at the check.)
    #[inline(never)]
    fn queue_sync_round(&mut self, node: NodeIndex) {
        let interval = self.scenario.chain.sync_interval_ms.max(1);
        let state = &mut self.nodes[node.get()];
        let anchor = state.memory.sync_anchor_ms;
        let next = if self.now_ms < anchor {
            anchor
        } else {
            anchor + ((self.now_ms - anchor) / interval + 1) * interval
        };
        state.memory.sync_pending = true;
        let epoch = state.epoch;
        self.schedule(next, EventKind::SyncTick { node, epoch });
    }

    /// The nodes in `reached` (`client_transaction`'s spread) took a new transaction
    /// into their pools: wake the nodes watching one of them (an outgoing connection to
    /// it) that lack it, i.e. are not in `reached`.
    ///
    /// The wakes happen in the order a walk over `reached`, then over each one's
    /// watchers by index, would first meet each watcher (a second wake is a no-op), so
    /// the sync rounds are queued in that order. Found from the other nodes' own
    /// connections (a few API nodes, usually) rather than from every reached node's
    /// watchers: each such node is met first at the earliest position in `reached`
    /// of a node it connects to, and ties at one position go by index. Nodes a wake
    /// would leave as they are (down, or a round already queued) are left out, which
    /// changes no other wake.
    pub(super) fn notify_pool_grew(&mut self, reached: &[NodeIndex]) {
        if reached.len() == self.nodes.len() {
            return;
        }
        let mut rank = std::mem::take(&mut self.scratch_rank);
        rank.clear();
        rank.resize(self.nodes.len(), u32::MAX);
        for (position, node) in reached.iter().enumerate() {
            rank[node.get()] = position as u32;
        }
        // Each watcher to wake as one sortable key: its earliest position in `reached`,
        // then its index (below 2^16).
        let mut first_met = std::mem::take(&mut self.scratch_first_met);
        first_met.clear();
        for (index, state) in self.nodes.iter().enumerate() {
            if rank[index] != u32::MAX || !state.is_up() || state.memory.sync_pending {
                continue;
            }
            let earliest = state
                .memory
                .connections
                .iter()
                .map(|target| rank[target.get()])
                .min()
                .unwrap_or(u32::MAX);
            if earliest != u32::MAX {
                first_met.push(u64::from(earliest) << 16 | index as u64);
            }
        }
        first_met.sort_unstable();
        for &key in &first_met {
            self.wake(node_index((key & 0xFFFF) as usize));
        }
        self.scratch_rank = rank;
        self.scratch_first_met = first_met;
    }

    /// Rebuilds `watchers` from the current connections, if any changed.
    fn rebuild_watchers(&mut self) {
        if self.watchers_dirty {
            for list in &mut self.watchers {
                list.clear();
            }
            for index in 0..self.nodes.len() {
                for position in 0..self.nodes[index].memory.connections.len() {
                    let target = self.nodes[index].memory.connections[position];
                    self.watchers[target.get()].push(node_index(index));
                }
            }
            self.watchers_dirty = false;
        }
    }

    /// Something about `node` changed (tip or unconfirmed pool): every node connected
    /// to it may have something to pull from it. (The node itself needs no wake: if a
    /// partner now has something it lacks, that partner changed too and woke it; if it
    /// is still pulling, its rounds are still scheduled.)
    pub(super) fn notify_changed(&mut self, node: NodeIndex) {
        self.rebuild_watchers();
        // Taken out for the loop: a wake changes no connection.
        let watchers = std::mem::take(&mut self.watchers[node.get()]);
        for &watcher in &watchers {
            self.wake(watcher);
        }
        self.watchers[node.get()] = watchers;
    }

    /// The synchronizer's answer arrives: pull one batch if the partner's chain is
    /// better (see [`Self::pull_blocks`]), then its unconfirmed transactions, then learn
    /// its finalization proof if newer (proofs are pulled from peers too, [CS]
    /// `FinalizationProofSynchronizer.cpp`; here with the chain, one round later than
    /// the blocks, so a proof never vouches for the batch it came with).
    pub(super) fn sync_response(
        &mut self,
        node: NodeIndex,
        partner: NodeIndex,
        tip: BlockId,
        proof: Proof,
        epoch: u32,
    ) {
        let index = node.get();
        if self.nodes[index].epoch != epoch || !self.nodes[index].is_up() {
            return;
        }
        let changed = self.pull_blocks(node, partner, tip);
        self.pull_transactions(node, partner);
        self.learn_proof(node, proof);
        if changed {
            self.schedule_harvest(node);
        }
    }

    /// Compares the node's chain with the partner's (its tip as of the request) and
    /// pulls one batch when the partner's is better; true when the node's chain changed.
    ///
    /// In catapult's order: `CompareChains` ([CS] `chain/CompareChains.cpp:
    /// compareChainStatistics`) first refuses a partner at or below the local floor
    /// (`Remote_Is_Too_Far_Behind`) and any partner whose chain score is not strictly
    /// higher (`Remote_Reported_Equal_Chain_Score`, `..._Lower_...`); the common block is
    /// then searched from the floor up, and a partner that differs at the floor is
    /// `Remote_Is_Forked` (the node is stuck on its fork: irreconcilable). Blocks come in
    /// batches of `max_blocks_per_sync` until the fork depth is covered ([CS]
    /// `ChainSynchronizer.cpp`), and the consumer ([CS] `consumers/BlockChainSyncConsumer
    /// .cpp: preprocess`) takes them only if their partial score beats the node's own
    /// blocks above the common block, or, with `maxRollbackBlocks` 0, if they hold the
    /// network-finalized block of the node's **own** newest proof that its chain lacks
    /// (`isFinalizedBlockUpdate`). That exception comes after the score gate: a node
    /// never pulls from a chain with a lower score, whatever that chain has finalized.
    fn pull_blocks(&mut self, node: NodeIndex, partner: NodeIndex, remote_tip: BlockId) -> bool {
        // A buffer reused across rounds (the chain comparison runs on every response).
        let mut remote_blocks = std::mem::take(&mut self.scratch_blocks);
        remote_blocks.clear();
        let changed = self.pull_blocks_into(node, partner, remote_tip, &mut remote_blocks);
        self.scratch_blocks = remote_blocks;
        changed
    }

    /// [`Self::pull_blocks`] with `remote_blocks` (empty) to collect the partner's
    /// blocks above the common block in.
    fn pull_blocks_into(
        &mut self,
        node: NodeIndex,
        partner: NodeIndex,
        remote_tip: BlockId,
        remote_blocks: &mut Vec<BlockId>,
    ) -> bool {
        let index = node.get();
        let state = &self.nodes[index];
        let local_tip = state.tip();
        if remote_tip == local_tip || state.contains(&self.blocks, remote_tip) {
            return false;
        }
        if state.disk.chain.is_historical() {
            return self.pull_history(node, partner, remote_tip);
        }
        let floor = self.rollback_floor(node);
        let remote_height = self.blocks.get(remote_tip).height;
        let remote_score = self.blocks.get(remote_tip).cumulative_score;
        let local_score = self.blocks.get(local_tip).cumulative_score;
        // catapult's statistics stage, before any block is looked at.
        if remote_height <= floor || remote_score <= local_score {
            return false;
        }
        // The partner's blocks above the last block both chains share.
        let mut cursor = remote_tip;
        while !state.contains(&self.blocks, cursor) {
            remote_blocks.push(cursor);
            cursor = self
                .blocks
                .get(cursor)
                .parent
                .expect("the nemesis block is shared");
        }
        remote_blocks.reverse();
        let common_height = self.blocks.get(cursor).height;
        let depth = state.height() - common_height;
        // The comparison itself is catapult's search (`compare::compare_chains_in_batches`,
        // which `tests/catapult_rules.rs` checks against CompareChainsTests): hashes from
        // the floor up, a partner that differs at the floor is forked. Its batches are
        // answered from where the two chains part ([`PartedChains`]); debug builds (every
        // test) also run it on the chains' hashes and check both agree.
        let chain = &state.disk.chain;
        let local_statistics = ChainStatistics {
            height: chain.height(),
            score: local_score,
        };
        let remote_statistics = ChainStatistics {
            height: remote_height,
            score: remote_score,
        };
        let options = CompareChainsOptions {
            hashes_per_batch: HASHES_PER_BATCH_PER_BLOCK
                * self.scenario.chain.max_blocks_per_sync as u32,
            local_finalized_height: floor,
        };
        let comparison = compare_chains_in_batches(
            &mut PartedChains {
                local: local_statistics,
                remote: remote_statistics,
                common_height,
            },
            options,
        );
        #[cfg(debug_assertions)]
        {
            let run_blocks = chain.blocks();
            let shared = (common_height - chain.base_height() + 1) as usize;
            let mut hash_buffers = std::mem::take(&mut self.scratch_hashes);
            let by_hashes = compare_chains_reusing(
                &mut KeyedChain {
                    statistics: local_statistics,
                    base_height: chain.base_height(),
                    lower: run_blocks,
                    upper: &[],
                },
                &mut KeyedChain {
                    statistics: remote_statistics,
                    base_height: chain.base_height(),
                    lower: &run_blocks[..shared],
                    upper: remote_blocks,
                },
                options,
                &mut hash_buffers,
            );
            self.scratch_hashes = hash_buffers;
            debug_assert_eq!(comparison, by_hashes);
        }
        match comparison.code {
            ChainComparisonCode::RemoteIsNotSynced => {
                debug_assert_eq!(comparison.common_block_height, Some(common_height));
                debug_assert_eq!(comparison.fork_depth, depth);
            }
            ChainComparisonCode::RemoteIsForked => {
                self.refuse_fork(node, partner, depth);
                return false;
            }
            _ => return false,
        }
        let batch_size = self.scenario.chain.max_blocks_per_sync as usize;
        let covering = (depth as usize).div_ceil(batch_size).max(1) * batch_size;
        let batch = covering.min(remote_blocks.len());
        let batch_blocks = &remote_blocks[..batch];
        let common_score = self.blocks.get(cursor).cumulative_score;
        let batch_score = self.blocks.get(batch_blocks[batch - 1]).cumulative_score - common_score;
        let local_part = local_score - common_score;
        let proof = state.disk.proof;
        let finalized_block_update = self.scenario.chain.max_rollback_blocks == 0
            && !state.contains(&self.blocks, proof.block)
            && proof.height > common_height
            && proof.height <= common_height + batch as u64
            && batch_blocks[(proof.height - common_height - 1) as usize] == proof.block;
        if batch_score <= local_part && !finalized_block_update {
            // Only strictly better chains are taken; equal scores are refused. When the
            // batch stops short of a remote chain that is better overall, every later
            // round compares the same blocks again: the node is stuck on its fork.
            if batch < remote_blocks.len() {
                self.refuse_fork(node, partner, depth);
            }
            return false;
        }
        self.roll_back(node, common_height);
        self.append_blocks(node, batch_blocks);
        self.process_pulled_blocks(node, batch as u64);
        self.nodes[index].irreconcilable = false;
        // The chain may now hold the block of the node's own newest proof.
        self.adopt_own_proof(node);
        let height = self.nodes[index].height();
        self.trace.record(
            self.now_ms,
            TraceEvent::ChainSynced {
                node: node.0,
                from: partner.0,
                height,
                blocks: batch as u64,
            },
        );
        true
    }

    /// The node is stuck on its fork: it wants a better chain it may not take. Traced
    /// once, when it becomes stuck.
    fn refuse_fork(&mut self, node: NodeIndex, partner: NodeIndex, depth: u64) {
        if !self.nodes[node.get()].irreconcilable {
            self.trace.record(
                self.now_ms,
                TraceEvent::ForkRefused {
                    node: node.0,
                    from: partner.0,
                    depth,
                },
            );
        }
        self.nodes[node.get()].irreconcilable = true;
    }

    /// After its chain changed, a node's local finalized height follows its own newest
    /// proof when the chain now holds that proof's block.
    fn adopt_own_proof(&mut self, node: NodeIndex) {
        let state = &mut self.nodes[node.get()];
        if state.disk.proof.height > state.disk.finalized_height
            && state.contains(&self.blocks, state.disk.proof.block)
        {
            state.disk.finalized_height = state.disk.proof.height;
        }
    }

    /// A node that lacks part of the history pulls it: one batch of
    /// `max_blocks_per_sync` blocks above its height (history never forks, so the
    /// common block is its own tip and nothing is rolled back), up to what the partner
    /// holds. Past the anchor the batch continues with the partner's blocks of the run.
    /// One event per batch, however long the history (see `history.rs`).
    fn pull_history(&mut self, node: NodeIndex, partner: NodeIndex, remote_tip: BlockId) -> bool {
        let index = node.get();
        let local_height = self.nodes[index].height();
        let remote = self.blocks.get(remote_tip);
        if remote.cumulative_score <= self.blocks.get(self.nodes[index].tip()).cumulative_score {
            return false;
        }
        let batch = self
            .scenario
            .chain
            .max_blocks_per_sync
            .min(remote.height - local_height);
        let target = local_height + batch;
        if target <= self.blocks.initial_height() {
            self.nodes[index].disk.chain = Chain::historical(&mut self.blocks, target);
            // Only watchers further behind in history can want these blocks: every
            // other chain scores higher. (Waking them all would cost four events a
            // batch and change nothing.)
            self.rebuild_watchers();
            for position in 0..self.watchers[index].len() {
                let watcher = self.watchers[index][position];
                let chain = &self.nodes[watcher.get()].disk.chain;
                if chain.is_historical() && chain.height() < target {
                    self.wake(watcher);
                }
            }
        } else {
            let mut cursor = remote_tip;
            while self.blocks.get(cursor).height > target {
                cursor = self
                    .blocks
                    .get(cursor)
                    .parent
                    .expect("a run's block descends from the anchor");
            }
            // From the anchor on, the run's blocks, which confirm their transactions
            // here too.
            let fresh = self.blocks.chain_to(cursor).split_off(1);
            self.nodes[index].disk.chain = Chain::at_anchor(&self.blocks);
            self.append_blocks(node, &fresh);
        }
        self.nodes[index].irreconcilable = false;
        self.adopt_own_proof(node);
        self.process_pulled_blocks(node, batch);
        self.trace.record(
            self.now_ms,
            TraceEvent::ChainSynced {
                node: node.0,
                from: partner.0,
                height: target,
                blocks: batch,
            },
        );
        true
    }

    /// Pulled blocks are validated and executed before the synchronizer's rounds can
    /// outrun them: `block_processing` per block, one batch after another. The
    /// synchronizer keeps pulling while earlier batches are processed ([CS]
    /// `ChainSynchronizer.cpp`: unprocessed elements), so its next round waits only
    /// when processing is the slower of the two (see `sync_tick`).
    fn process_pulled_blocks(&mut self, node: NodeIndex, blocks: u64) {
        let busy_ms = blocks * self.scenario.chain.block_processing_ms;
        let memory = &mut self.nodes[node.get()].memory;
        memory.processing_until_ms = memory.processing_until_ms.max(self.now_ms) + busy_ms;
    }

    /// Pulls the partner's unconfirmed transactions. API-only nodes skip this: they never
    /// harvest and no node pulls from them, so their pool changes nothing downstream.
    fn pull_transactions(&mut self, node: NodeIndex, partner: NodeIndex) {
        let index = node.get();
        if !self.scenario.nodes[index].role.has_peer() {
            return;
        }
        let tip_time = self.blocks.get(self.nodes[index].tip()).timestamp_ms;
        if self.now_ms.saturating_sub(tip_time) > TRANSACTION_PULL_MAX_BEHIND_MS {
            return;
        }
        let candidates: Vec<u32> = self.nodes[partner.get()]
            .memory
            .pool
            .iter()
            .filter(|transaction| !self.nodes[index].memory.pool.contains(transaction))
            .filter(|&transaction| {
                self.transactions[transaction as usize].deadline_ms > self.now_ms
            })
            .filter(|&transaction| !self.transaction_in_chain(index, transaction))
            .collect();
        if !candidates.is_empty() {
            self.nodes[index].memory.pool.extend(candidates);
            self.notify_changed(node);
        }
    }

    /// The network-height task: the median height of up to 5 reachable peers raises
    /// the node's network height, which may stop or resume its harvesting.
    pub(super) fn network_height_tick(&mut self, node: NodeIndex, epoch: u32) {
        let index = node.get();
        if self.nodes[index].epoch != epoch || !self.nodes[index].is_up() {
            return;
        }
        // At most `PEERS_MAX` heights, on the stack (this task runs every 15 s per node).
        let mut heights = [0u64; network_height::PEERS_MAX];
        let mut answered = 0;
        for &peer in &self.nodes[index].memory.connections {
            if answered == network_height::PEERS_MAX {
                break;
            }
            if self.can_send(peer, node) {
                heights[answered] = self.nodes[peer.get()].height();
                answered += 1;
            }
        }
        let state = &mut self.nodes[index];
        state.memory.network_height = network_height::next_network_height(
            state.memory.network_height,
            &mut heights[..answered],
        );
        self.schedule(
            self.now_ms + network_height::INTERVAL_MS,
            EventKind::NetworkHeightTick { node, epoch },
        );
        self.schedule_harvest(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimulationOptions;

    use crate::sim::test_scenarios::quiet_seed_fork as quiet_scenario;

    /// The batches answered from where two chains part give catapult's search the same
    /// result as the chains' hashes, on chains parting below, at and above the floor,
    /// behind and ahead, with history below the run's first block, at batch sizes from
    /// 2 to catapult's 84.
    #[test]
    fn parted_chains_compare_as_their_hashes_do() {
        let mut rng = crate::sim::rng::SimRng::new(13);
        let mut codes = std::collections::BTreeSet::new();
        for _ in 0..20_000 {
            let base_height = 1 + rng.below(30) as u64;
            let local_height = base_height - 1 + rng.below(200) as u64;
            let common_height =
                base_height - 1 + rng.below((local_height + 2 - base_height) as usize) as u64;
            let remote_height = common_height + 1 + rng.below(150) as u64;
            let local_blocks: Vec<BlockId> = (0..local_height + 1 - base_height)
                .map(|offset| BlockId(offset as u32))
                .collect();
            let remote_blocks: Vec<BlockId> = (0..remote_height - common_height)
                .map(|offset| BlockId(100_000 + offset as u32))
                .collect();
            let shared = (common_height + 1 - base_height) as usize;
            let local = ChainStatistics {
                height: local_height,
                score: 1_000,
            };
            let remote = ChainStatistics {
                height: remote_height,
                score: 1_000 + rng.below(3) as u128,
            };
            let options = CompareChainsOptions {
                hashes_per_batch: [2, 3, 8, 84][rng.below(4)],
                local_finalized_height: 1 + rng.below(local_height.max(1) as usize) as u64,
            };
            let by_hashes = compare_chains_reusing(
                &mut KeyedChain {
                    statistics: local,
                    base_height,
                    lower: &local_blocks,
                    upper: &[],
                },
                &mut KeyedChain {
                    statistics: remote,
                    base_height,
                    lower: &local_blocks[..shared],
                    upper: &remote_blocks,
                },
                options,
                &mut (Vec::new(), Vec::new()),
            );
            let parted = compare_chains_in_batches(
                &mut PartedChains {
                    local,
                    remote,
                    common_height,
                },
                options,
            );
            assert_eq!(
                parted, by_hashes,
                "{base_height} {local_height} {common_height} {remote_height} {options:?}"
            );
            codes.insert(format!("{:?}", by_hashes.code));
        }
        // The cases reach the codes an honest partner can produce.
        for code in [
            "RemoteIsNotSynced",
            "RemoteIsForked",
            "RemoteIsTooFarBehind",
            "RemoteReportedEqualChainScore",
        ] {
            assert!(codes.contains(code), "{code} never came up: {codes:?}");
        }
    }

    /// Validation case 2: equal scores are refused; the next block breaks the tie.
    #[test]
    fn a_tie_keeps_each_tip_and_the_next_block_breaks_it() {
        let scenario = quiet_scenario();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        let peer1 = scenario.node_by_id("peer1").unwrap();
        let peer2 = scenario.node_by_id("peer2").unwrap();
        let nemesis_chain = vec![BlockId::NEMESIS];
        let first = simulation.blocks.harvest(
            &nemesis_chain,
            peer1.0,
            14_000,
            Box::new([]),
            &scenario.chain,
        );
        let second = simulation.blocks.harvest(
            &nemesis_chain,
            peer2.0,
            14_000,
            Box::new([]),
            &scenario.chain,
        );
        assert_eq!(
            simulation.blocks.get(first).cumulative_score,
            simulation.blocks.get(second).cumulative_score
        );
        simulation.nodes[peer1.get()].disk.chain.push(first);
        simulation.nodes[peer2.get()].disk.chain.push(second);

        assert!(!simulation.pull_blocks(peer1, peer2, second));
        simulation.receive_push(peer1, peer2, second);
        assert_eq!(
            simulation.nodes[peer1.get()].tip(),
            first,
            "equal score: keeps its own tip"
        );
        assert!(!simulation.pull_blocks(peer2, peer1, first));
        assert_eq!(simulation.nodes[peer2.get()].tip(), second);

        let chain = simulation.nodes[peer2.get()].disk.chain.clone();
        let third = simulation.blocks.harvest(
            chain.blocks(),
            peer2.0,
            29_000,
            Box::new([]),
            &scenario.chain,
        );
        simulation.nodes[peer2.get()].disk.chain.push(third);
        assert!(simulation.pull_blocks(peer1, peer2, third));
        assert_eq!(
            simulation.nodes[peer1.get()].disk.chain.blocks(),
            &[BlockId::NEMESIS, second, third]
        );
        assert_eq!(simulation.nodes[peer1.get()].rollbacks.len(), 1);
        assert_eq!(simulation.nodes[peer1.get()].rollbacks[0].depth, 1);
    }

    #[test]
    fn the_rollback_limit_refuses_a_deep_fork_and_marks_the_node() {
        let scenario = quiet_scenario();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        let peer1 = scenario.node_by_id("peer1").unwrap();
        let peer2 = scenario.node_by_id("peer2").unwrap();
        // peer1: 45 slow blocks of its own; peer2: 60 fast blocks on another branch.
        for (node, count, spacing) in [(peer1, 45u64, 20_000u64), (peer2, 60, 10_000)] {
            for index in 1..=count {
                let chain = simulation.nodes[node.get()].disk.chain.clone();
                let block = simulation.blocks.harvest(
                    chain.blocks(),
                    node.0,
                    index * spacing,
                    Box::new([]),
                    &scenario.chain,
                );
                simulation.nodes[node.get()].disk.chain.push(block);
            }
        }
        let tip = simulation.nodes[peer2.get()].tip();
        assert!(!simulation.pull_blocks(peer1, peer2, tip));
        assert!(simulation.nodes[peer1.get()].irreconcilable);
        assert_eq!(simulation.nodes[peer1.get()].height(), 46);
    }
}
