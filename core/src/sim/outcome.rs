//! What a run produced: per-node end state, the fork summary, transaction counts and
//! fates, time series and the trace. [`build`] consumes a finished [`Simulation`]
//! ([`Simulation::finish`], [`Simulation::run`]).
//!
//! Definitions (also in `docs/scenario-format.md`):
//! - the **best chain** is the highest-score chain among running nodes;
//! - a node is **on the best chain** when it differs from it by at most its tip block
//!   (a block still in flight is not a fork);
//! - **converged**: every running node is on the best chain;
//! - a transaction is **confirmed** when the best chain carries it, **pending** when a
//!   running node still holds it unexpired, **lost** otherwise, and **rejected** when
//!   the entry point could not take it.

use crate::scenario::NodeIndex;

pub use super::engine::Sample;
use super::engine::{Simulation, SimulationError};
use super::node::{Chain, RollbackRecord};
use super::trace::TraceEntry;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeOutcome {
    pub id: String,
    pub up: bool,
    pub height: u64,
    pub finalized_height: u64,
    pub tip_hash: u64,
    pub rollbacks: Vec<RollbackRecord>,
    pub irreconcilable: bool,
    /// Blocks of its own above the last block it shares with the best chain.
    pub fork_depth: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TransactionCounts {
    /// Every client write sent to the entry point.
    pub submitted: u64,
    pub rejected: u64,
    pub confirmed: u64,
    pub pending: u64,
    pub lost: u64,
    /// Lost after having been confirmed in some block (rolled back, never re-confirmed).
    pub lost_after_confirmation: u64,
}

/// What became of one client write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionFate {
    Rejected,
    Confirmed {
        first_confirmed_ms: u64,
    },
    Pending,
    Lost {
        confirmed_ms: Option<u64>,
        finalized_ms: Option<u64>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransactionSummary {
    pub submitted_ms: u64,
    pub fate: TransactionFate,
    /// The region of its client (latency routing only), by region index.
    pub client_region: Option<u16>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForkSummary {
    /// Distinct branches among running nodes (1 when converged).
    pub branches: u64,
    /// The deepest rollback, or the deepest standing fork, whichever is larger.
    pub max_depth: u64,
    pub irreconcilable_nodes: Vec<String>,
}

/// One branch the nodes ended on (see `ledger.rs`): one entry when they agree.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerOutcome {
    /// The nodes on it, running and down alike, the leading node first.
    pub nodes: Vec<String>,
    pub tip_height: u64,
    /// When its first block after the divergence was made (`None` for a lone ledger).
    pub since_ms: Option<u64>,
    /// Client writes confirmed on this branch only, and the first of their ids.
    pub confirmed_only_here: u64,
    pub confirmed_only_here_ids: Vec<u32>,
}

/// The result of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub scenario_name: String,
    pub seed: u64,
    pub simulated_ms: u64,
    pub events: u64,
    pub trace_hash: u64,
    pub trace_events: u64,
    pub trace: Vec<TraceEntry>,
    pub trace_dropped: u64,
    pub converged: bool,
    pub best_height: u64,
    pub nodes: Vec<NodeOutcome>,
    pub fork: ForkSummary,
    /// When each block of the best chain made during the run was made, in chain order.
    pub best_block_times_ms: Vec<u64>,
    /// The branches the nodes ended on, the best first (one when they agree).
    pub ledgers: Vec<LedgerOutcome>,
    /// The split in words, when there is one (see `ledger::describe_split`).
    pub split: Option<String>,
    pub transactions: TransactionCounts,
    pub transaction_fates: Vec<TransactionSummary>,
    pub samples: Vec<Sample>,
    pub snapshots_taken: u64,
}

/// Height of the last block two chains share.
pub fn common_height(first: &Chain, second: &Chain) -> u64 {
    first.common_height(second)
}

/// True when `chain` differs from `best` by at most one block at the tip.
fn on_branch(chain: &Chain, best: &Chain) -> bool {
    let common = common_height(chain, best);
    common + 1 >= chain.height().min(best.height())
}

pub(super) fn build(simulation: Simulation<'_>) -> Outcome {
    let scenario = simulation.scenario;
    let best = simulation.best_node();
    let best_chain = &simulation.nodes[best.get()].disk.chain;
    let now = simulation.now_ms();
    let best_block_times_ms: Vec<u64> = best_chain
        .blocks()
        .iter()
        .filter(|&&block| block != super::chain::BlockId::NEMESIS)
        .map(|&block| simulation.blocks.get(block).timestamp_ms)
        .collect();
    let found_ledgers = super::ledger::ledgers(&simulation);
    let split = super::ledger::describe_split(&simulation, &found_ledgers);
    let ledgers = found_ledgers
        .iter()
        .map(|ledger| LedgerOutcome {
            nodes: ledger
                .nodes
                .iter()
                .map(|&index| scenario.nodes[index].id.clone())
                .collect(),
            tip_height: ledger.tip_height,
            since_ms: ledger.since_ms,
            confirmed_only_here: ledger.confirmed_only_here,
            confirmed_only_here_ids: ledger.confirmed_only_here_ids.clone(),
        })
        .collect();

    let nodes: Vec<NodeOutcome> = simulation
        .nodes
        .iter()
        .enumerate()
        .map(|(index, state)| NodeOutcome {
            id: scenario.nodes[index].id.clone(),
            up: state.is_up(),
            height: state.height(),
            finalized_height: state.disk.finalized_height,
            tip_hash: simulation.blocks.get(state.tip()).hash,
            rollbacks: state.rollbacks.clone(),
            irreconcilable: state.irreconcilable,
            fork_depth: state.height() - common_height(&state.disk.chain, best_chain),
        })
        .collect();

    let running: Vec<usize> = (0..simulation.nodes.len())
        .filter(|&index| simulation.nodes[index].is_up())
        .collect();
    let converged = running
        .iter()
        .all(|&index| on_branch(&simulation.nodes[index].disk.chain, best_chain));
    let mut branch_representatives: Vec<usize> = Vec::new();
    for &index in &running {
        let chain = &simulation.nodes[index].disk.chain;
        if !branch_representatives
            .iter()
            .any(|&other| on_branch(chain, &simulation.nodes[other].disk.chain))
        {
            branch_representatives.push(index);
        }
    }
    let standing_fork = running
        .iter()
        .map(|&index| nodes[index].fork_depth)
        .max()
        .unwrap_or(0);
    let fork = ForkSummary {
        branches: branch_representatives.len() as u64,
        max_depth: simulation.max_rollback_depth.max(standing_fork),
        irreconcilable_nodes: nodes
            .iter()
            .filter(|node| node.irreconcilable)
            .map(|node| node.id.clone())
            .collect(),
    };

    let mut counts = TransactionCounts::default();
    let mut fates = Vec::with_capacity(simulation.transactions.len());
    for (transaction, record) in simulation.transactions.iter().enumerate() {
        counts.submitted += 1;
        let in_best = record
            .blocks
            .iter()
            .any(|block| best_chain.contains(&simulation.blocks, block));
        let fate = if record.accepted_by.is_none() {
            counts.rejected += 1;
            TransactionFate::Rejected
        } else if in_best {
            counts.confirmed += 1;
            TransactionFate::Confirmed {
                first_confirmed_ms: record.first_confirmed_ms.unwrap_or(now),
            }
        } else if record.deadline_ms > now && simulation.pool_holds(transaction as u32) {
            counts.pending += 1;
            TransactionFate::Pending
        } else {
            counts.lost += 1;
            if record.first_confirmed_ms.is_some() {
                counts.lost_after_confirmation += 1;
            }
            TransactionFate::Lost {
                confirmed_ms: record.first_confirmed_ms,
                finalized_ms: record.first_finalized_ms,
            }
        };
        fates.push(TransactionSummary {
            submitted_ms: record.submitted_ms,
            fate,
            client_region: record.client_region,
        });
    }

    let best_height = best_chain.height();
    let snapshots_taken = simulation.snapshots_taken();
    let trace_hash = simulation.trace.hash();
    let trace_events = simulation.trace.total();
    let trace_dropped = simulation.trace.dropped();
    let events = simulation.events_processed();
    let seed = simulation.seed();
    let samples = simulation.samples;
    Outcome {
        scenario_name: scenario.name.clone(),
        seed,
        simulated_ms: now,
        events,
        trace_hash,
        trace_events,
        trace: simulation.trace.into_entries(),
        trace_dropped,
        converged,
        best_height,
        nodes,
        fork,
        best_block_times_ms,
        ledgers,
        split,
        transactions: counts,
        transaction_fates: fates,
        samples,
        snapshots_taken,
    }
}

impl Simulation<'_> {
    /// Runs to the end (and through the settle period, if any) and reports.
    pub fn run(mut self) -> Result<Outcome, SimulationError> {
        self.run_to_end()?;
        Ok(self.finish())
    }

    /// The outcome at the current time (normally the end of the run).
    pub fn finish(self) -> Outcome {
        build(self)
    }

    /// Some running node still holds the transaction in its unconfirmed pool.
    pub fn pool_holds(&self, transaction: u32) -> bool {
        self.nodes
            .iter()
            .any(|state| state.is_up() && state.pool_contains(transaction))
    }

    /// Node index by position (for callers outside the engine).
    pub fn node_at(&self, index: usize) -> NodeIndex {
        NodeIndex(index as u16)
    }
}

/// The trace hash as the command line and the app print it.
pub fn format_hash(hash: u64) -> String {
    format!("{hash:016x}")
}
