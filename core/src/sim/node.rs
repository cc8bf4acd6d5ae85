//! One node's state, split by what a crash does to it (the way stateright keeps a
//! model's `Storage` apart from its volatile state):
//!
//! - [`NodeDisk`] is what survives a crash or a stop: the block chain and the
//!   finalized height (catapult-server keeps blocks in its block storage, [CS]
//!   `src/catapult/io/FileBlockStorage.cpp`, and finalization proofs in its proof
//!   storage, [CS] `extensions/finalization/src/io/FileProofStorage.cpp`, both in the
//!   data directory). Only an operator action or a lost volume replaces it
//!   (`Simulation::wipe`). RPO is read from here: what a node still holds after a
//!   failure is its disk.
//! - [`NodeMemory`] is what the process holds while it runs and loses when it stops:
//!   the unconfirmed transactions cache, the peer connections and the per-run task
//!   bookkeeping. `Simulation::take_down` clears exactly this (`NodeMemory::clear`).
//! - The rest of [`NodeState`] is neither: the process state and why it is held down
//!   (infrastructure and operators, outside the node), counters that must outlive a
//!   restart so that events queued by an earlier run of the process are recognised as
//!   stale, the node's fixed timer phases, what the simulator records about the node
//!   (rollbacks, wipes, whether it is stuck on a fork).
//!
//! Invariants: a chain always holds the nemesis block at height 1, so `tip()` never
//! fails; `finalized_height` is at least 1 and at most the chain's height at the time it
//! was set; a node that is not up holds an empty memory (no unconfirmed transaction, no
//! connection).

use crate::scenario::NodeIndex;

use super::chain::{BlockArena, BlockId};
use super::pool::TransactionPool;

// Reasons a node is held down; several may hold at once. (Public for the views, which
// read them through `NodeState::down_reasons`.)
pub const DOWN_CRASH: u8 = 1;
pub const DOWN_STOP: u8 = 2;
pub const DOWN_DISK: u8 = 4;
pub const DOWN_AZ: u8 = 8;
pub const DOWN_REGION: u8 = 16;
pub const DOWN_NOT_PROVISIONED: u8 = 32;
pub const DOWN_OPERATOR: u8 = 64;

/// A node's process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Process {
    Down,
    Starting,
    Up,
}

/// One rollback a node went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollbackRecord {
    pub at_ms: u64,
    pub depth: u64,
}

/// A node's chain: the blocks it holds from `base_height` up. A node with the whole
/// history starts at the anchor (the last block before time 0, [`BlockId::NEMESIS`]) and
/// holds every block of the run above it; a node that holds only part of the history
/// (after disk loss without a snapshot, a resync, or a restore from a snapshot older
/// than time 0) holds one historical marker at its height (see `history.rs`).
///
/// Invariants: never empty; `blocks[i]` is at height `base_height + i`; a historical
/// chain is exactly one marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    base_height: u64,
    blocks: Vec<BlockId>,
    historical: bool,
}

impl Chain {
    /// The whole history and nothing after it: the anchor alone.
    pub fn at_anchor(arena: &BlockArena) -> Chain {
        Chain {
            base_height: arena.initial_height(),
            blocks: vec![BlockId::NEMESIS],
            historical: false,
        }
    }

    /// The chain that ends at `tip`: from the anchor, or the marker alone.
    pub fn ending_at(arena: &BlockArena, tip: BlockId) -> Chain {
        let block = arena.get(tip);
        if block.historical {
            return Chain {
                base_height: block.height,
                blocks: vec![tip],
                historical: true,
            };
        }
        Chain {
            base_height: arena.initial_height(),
            blocks: arena.chain_to(tip),
            historical: false,
        }
    }

    /// The history up to `height` only (the anchor when that is all of it).
    pub fn historical(arena: &mut BlockArena, height: u64) -> Chain {
        let marker = arena.historical(height);
        Chain::ending_at(arena, marker)
    }

    pub fn height(&self) -> u64 {
        self.base_height + self.blocks.len() as u64 - 1
    }

    pub fn tip(&self) -> BlockId {
        *self.blocks.last().expect("a chain is never empty")
    }

    /// The height of its first block.
    pub fn base_height(&self) -> u64 {
        self.base_height
    }

    /// The node lacks part of the history: it holds a marker, no block of the run.
    pub fn is_historical(&self) -> bool {
        self.historical
    }

    /// Its blocks from the base up (for the difficulty window and views).
    pub fn blocks(&self) -> &[BlockId] {
        &self.blocks
    }

    /// The block it holds at `height`, if that height is at or above its base.
    pub fn block_at(&self, height: u64) -> Option<BlockId> {
        height
            .checked_sub(self.base_height)
            .and_then(|offset| self.blocks.get(offset as usize).copied())
    }

    /// Holds `block`: a run's block at its height, or a historical marker at or below
    /// the chain's height (history is the same on every node).
    pub fn contains(&self, arena: &BlockArena, block: BlockId) -> bool {
        let found = arena.get(block);
        if found.historical {
            return found.height <= self.height();
        }
        self.block_at(found.height) == Some(block)
    }

    /// Height of the last block both chains hold.
    pub fn common_height(&self, other: &Chain) -> u64 {
        let low = self.base_height.max(other.base_height);
        let high = self.height().min(other.height());
        // One chain ends below the other's base, or both stand on history: the
        // history below is shared.
        if low >= high || self.historical || other.historical {
            return high;
        }
        // Chains that share a block share every block below it: binary search.
        let (mut low, mut high) = (low, high);
        while low < high {
            let middle = (low + high).div_ceil(2);
            if self.block_at(middle) == other.block_at(middle) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        low
    }

    /// Appends a block that extends the tip.
    pub(super) fn push(&mut self, block: BlockId) {
        debug_assert!(
            !self.historical,
            "a historical chain is replaced, not extended"
        );
        self.blocks.push(block);
    }

    /// Drops every block above `height` and returns them, oldest first.
    pub(super) fn truncate_to(&mut self, height: u64) -> Vec<BlockId> {
        assert!(
            height >= self.base_height,
            "a rollback never goes below the chain's base"
        );
        self.blocks
            .split_off((height - self.base_height + 1) as usize)
    }
}

/// What survives a crash: the node's durable data.
pub struct NodeDisk {
    /// The blocks it holds (see [`Chain`]).
    pub chain: Chain,
    /// The local finalized height: the newest finalization proof this chain matches
    /// ([CS] `FinalizationBootstrapperService.cpp`, the local finalized supplier).
    pub finalized_height: u64,
    /// The newest finalization proof the node stores, whether or not its chain holds
    /// the block ([CS] proof storage, `proof.index.dat`): the network-finalized block
    /// that sync's finalized-block exception is keyed on (`BlockChainSyncConsumer.cpp:
    /// preprocess`, `isFinalizedBlockUpdate`).
    pub proof: Proof,
}

/// A finalization proof: a finalized height and the block at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proof {
    pub height: u64,
    pub block: BlockId,
}

impl Proof {
    pub const NEMESIS: Proof = Proof {
        height: 1,
        block: BlockId::NEMESIS,
    };
}

impl NodeDisk {
    /// A disk holding `chain` and no finalization beyond the nemesis block (a new
    /// node, a lost volume, a restore, a resync).
    pub(super) fn with_chain(chain: Chain) -> NodeDisk {
        NodeDisk {
            chain,
            finalized_height: 1,
            proof: Proof::NEMESIS,
        }
    }
}

/// What a crash loses: the running process's state. Empty while the node is not up.
pub struct NodeMemory {
    /// The unconfirmed transactions cache, held in memory ([CS] `MemoryUtCache`).
    pub pool: TransactionPool,
    /// Outgoing connections to Peer-role nodes (sorted).
    pub connections: Vec<NodeIndex>,
    /// A sync round is queued for the current epoch.
    pub(super) sync_pending: bool,
    /// Pulled blocks are being processed until then (`block_processing` per block).
    pub(super) processing_until_ms: u64,
    /// The tip the harvester last planned on and its first firing second there (a
    /// cache: it depends only on the tip and the harvester).
    pub(super) harvest_plan: Option<(BlockId, Option<u64>)>,
    /// The network chain height the `networkheight` task has seen (0 when the process
    /// starts; it never falls while the process runs).
    pub(super) network_height: u64,
    /// The time of this run's first sync round; later rounds fall on whole intervals
    /// after it. Set when the process comes up, before anything can wake the node.
    pub(super) sync_anchor_ms: u64,
    /// The harvester waits until this time after a start (`harvest_start_delay_ms`).
    /// Set when the process comes up, before anything reads it.
    pub(super) harvest_ready_at_ms: u64,
}

impl NodeMemory {
    fn new() -> NodeMemory {
        NodeMemory {
            pool: TransactionPool::new(),
            connections: Vec::new(),
            sync_pending: false,
            processing_until_ms: 0,
            harvest_plan: None,
            network_height: 0,
            sync_anchor_ms: 0,
            harvest_ready_at_ms: 0,
        }
    }

    /// Forgets everything, as a stopped process does.
    pub(super) fn clear(&mut self) {
        // Every field by name, so a new field cannot be forgotten here.
        let NodeMemory {
            pool,
            connections,
            sync_pending,
            processing_until_ms,
            harvest_plan,
            network_height,
            sync_anchor_ms,
            harvest_ready_at_ms,
        } = self;
        pool.clear();
        connections.clear();
        *sync_pending = false;
        *processing_until_ms = 0;
        *harvest_plan = None;
        *network_height = 0;
        *sync_anchor_ms = 0;
        *harvest_ready_at_ms = 0;
    }
}

/// Everything the simulator knows about one node.
pub struct NodeState {
    pub process: Process,
    /// The durable data: survives crashes and stops.
    pub disk: NodeDisk,
    /// The process's state: lost when it stops.
    pub memory: NodeMemory,
    /// Bumped on every start and stop, so stale periodic events are ignored. (Not
    /// memory: it must outlive the process to tell its runs apart.)
    pub(super) epoch: u32,
    /// Bumped whenever the harvest plan changes or the process stops, so a stale
    /// harvest event is ignored. (Not memory, for the same reason as `epoch`.)
    pub(super) harvest_generation: u64,
    /// Why the node is held down (the `DOWN_*` bits); it starts when none is left.
    pub(super) down_reasons: u8,
    /// The last stop was not clean: the next start runs crash recovery first.
    pub(super) unclean_stop: bool,
    /// Active `api_down` faults on the node (its API is down while above 0).
    pub api_down_count: u32,
    /// Wants a better chain it may not take (fork past the rollback limit).
    pub irreconcilable: bool,
    /// Every rollback, in order (the simulator's record; never cleared).
    pub rollbacks: Vec<RollbackRecord>,
    /// Chain wipes by operators or disk loss (the only other way a height falls).
    pub wipes: u32,
    /// The node's own phase of the once-a-second harvest task (fixed for the run).
    pub(super) harvest_phase_ms: u64,
    /// Its phase within the sync interval (fixed for the run).
    pub(super) sync_phase_ms: u64,
    /// Its phase within the reconnect interval (fixed for the run).
    pub(super) connect_phase_ms: u64,
}

impl NodeState {
    /// A node at the start of the world: down (not yet started), holding the nemesis
    /// block; a standby is not provisioned until a restore brings it up.
    pub(super) fn new(
        standby: bool,
        disk: NodeDisk,
        harvest_phase_ms: u64,
        sync_phase_ms: u64,
        connect_phase_ms: u64,
    ) -> NodeState {
        NodeState {
            process: Process::Down,
            disk,
            memory: NodeMemory::new(),
            epoch: 0,
            harvest_generation: 0,
            down_reasons: if standby { DOWN_NOT_PROVISIONED } else { 0 },
            unclean_stop: false,
            api_down_count: 0,
            irreconcilable: false,
            rollbacks: Vec::new(),
            wipes: 0,
            harvest_phase_ms,
            sync_phase_ms,
            connect_phase_ms,
        }
    }

    pub fn height(&self) -> u64 {
        self.disk.chain.height()
    }

    pub fn tip(&self) -> BlockId {
        self.disk.chain.tip()
    }

    /// Why the node is held down now (the `DOWN_*` bits; 0 while it runs or starts).
    /// Read-only, for the canvas.
    pub fn down_reasons(&self) -> u8 {
        self.down_reasons
    }

    pub fn is_up(&self) -> bool {
        self.process == Process::Up
    }

    pub fn pool_contains(&self, transaction: u32) -> bool {
        self.memory.pool.contains(&transaction)
    }

    /// Unconfirmed transactions held.
    pub fn pool_size(&self) -> usize {
        self.memory.pool.len()
    }

    pub fn contains(&self, arena: &BlockArena, block: BlockId) -> bool {
        self.disk.chain.contains(arena, block)
    }
}
