//! The discrete-event simulator: one [`Simulation`] owns every piece of simulated state,
//! the single random stream and the event queue (ordered by time, then insertion, so
//! same-time events run first-in first-out and runs are reproducible).
//!
//! Lifecycle: [`Simulation::new`] with a checked scenario → [`Simulation::step`] (or
//! [`Simulation::run_until`]) any number of times → [`Simulation::finish`] for the
//! [`Outcome`]. The UI drives `run_until` in slices; the command line and the planner
//! run to the end.
//!
//! Invariants: time only moves forward; no wall clock, no OS entropy, no hash-map
//! iteration; a node's chain only shrinks through a recorded rollback or an operator
//! action (disk loss, restore, resync); finalized blocks are never undone; no fork is
//! undone past the rollback limit. [`super::checks`] verifies these on every step.

use crate::scenario::limits::{EVENTS_MAX, TRANSACTIONS_MAX};
use crate::scenario::{EntryKind, NodeIndex, Scenario};

pub use super::backups::Snapshot;
use super::chain::{BlockArena, BlockId};
use super::harvest::HarvestCurve;
use super::network::Links;
use super::node::{NodeState, Process, RollbackRecord};
use super::outcome::{self, Outcome, Sample};
use super::pool::BlockList;
use super::queue::{EventKind, EventQueue};
use super::rng::{keyed_unit, mix64, SimRng};
use super::trace::{Trace, TraceEvent};

/// The synchronizer pulls unconfirmed transactions only while its last block is at
/// most this old ([CS] `maxTimeBehindPullTransactionsStart`, 5 min in the template).
const TRANSACTION_PULL_MAX_BEHIND_MS: u64 = 5 * 60_000;
/// The network-height task period ([CS] `config-task.properties`).
pub(super) const NETWORK_HEIGHT_INTERVAL_MS: u64 = 15_000;
/// Peers whose heights the network-height median is taken over.
const NETWORK_HEIGHT_PEERS_MAX: usize = 5;
/// Harvest gating: harvest only while the network is fewer than this many blocks ahead.
const NETWORK_HEIGHT_GAP_MAX: u64 = 4;
/// Transactions one block carries at most (a guard; client load is far below it).
const TRANSACTIONS_PER_BLOCK_MAX: usize = 6_000;
/// Points in each time series.
const SAMPLES_TARGET: u64 = 720;

/// How a run is driven.
#[derive(Clone, Debug)]
pub struct SimulationOptions {
    pub seed: u64,
    pub duration_ms: u64,
    /// Keep trace entries (the hash is computed either way).
    pub keep_trace: bool,
    /// Run the invariant checkers after every event (slower; for tests).
    pub check_invariants: bool,
    /// Events processed before the run stops with [`SimulationError::EventLimit`].
    pub events_max: u64,
    /// Record the per-node time series (the planner does not need it).
    pub record_samples: bool,
    /// After the run, keep syncing this long with no new blocks or client writes, so
    /// forks in flight resolve (tests of convergence use it; 0 = off).
    pub settle_ms: u64,
}

impl SimulationOptions {
    /// The scenario's own seed and duration, with the trace kept.
    pub fn from_scenario(scenario: &Scenario) -> SimulationOptions {
        SimulationOptions {
            seed: scenario.seed,
            duration_ms: scenario.duration_ms,
            keep_trace: true,
            check_invariants: false,
            events_max: EVENTS_MAX,
            record_samples: true,
            settle_ms: 0,
        }
    }
}

/// Why a run stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimulationError {
    EventLimit { events: u64, at_ms: u64 },
    InvariantViolated { at_ms: u64, message: String },
}

impl std::fmt::Display for SimulationError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimulationError::EventLimit { events, at_ms } => write!(
                formatter,
                "stopped after {events} events at {}: the run is too large; shorten \"duration\", \
                 lower \"clients.transactions_per_second\" or use fewer nodes",
                crate::scenario::duration::describe_duration(*at_ms)
            ),
            SimulationError::InvariantViolated { at_ms, message } => write!(
                formatter,
                "invariant violated at {}: {message}",
                crate::scenario::duration::describe_duration(*at_ms)
            ),
        }
    }
}

/// A client transaction's life.
#[derive(Clone, Debug)]
pub struct TransactionRecord {
    pub submitted_ms: u64,
    pub accepted_by: Option<NodeIndex>,
    pub deadline_ms: u64,
    /// When it first appeared in a block.
    pub first_confirmed_ms: Option<u64>,
    /// When a block carrying it was first finalized.
    pub first_finalized_ms: Option<u64>,
    /// Every block that has carried it (on any branch).
    pub blocks: BlockList,
}

struct EntryPointState {
    healthy: Vec<bool>,
    routed: Vec<bool>,
    success_streak: Vec<u64>,
    failure_streak: Vec<u64>,
}

/// A running simulation.
pub struct Simulation<'a> {
    pub scenario: &'a Scenario,
    pub(super) options: SimulationOptions,
    pub(super) now_ms: u64,
    queue: EventQueue,
    pub(super) rng: SimRng,
    pub blocks: BlockArena,
    pub nodes: Vec<NodeState>,
    /// Partitions, degradations and latencies between nodes.
    pub(super) links: Links<'a>,
    pub(super) active_faults: Vec<bool>,
    pub trace: Trace,
    pub transactions: Vec<TransactionRecord>,
    entry: EntryPointState,
    pub snapshots: Vec<Snapshot>,
    pub(super) total_stake: u64,
    pub(super) total_voting_balance: u64,
    events: u64,
    pub samples: Vec<Sample>,
    sample_interval_ms: u64,
    pub(super) scratch_visited: Vec<bool>,
    pub(super) scratch_frontier: Vec<NodeIndex>,
    pub(super) scratch_reached: Vec<NodeIndex>,
    checker: Option<super::checks::InvariantChecker>,
    pub max_rollback_depth: u64,
    pub(super) confirmed_count: u64,
    pub(super) snapshots_taken: u64,
    /// The highest height any group has finalized.
    pub(super) network_finalized_height: u64,
    /// `watchers[x]`: the nodes with an outgoing connection to `x` (rebuilt when dirty).
    pub(super) watchers: Vec<Vec<NodeIndex>>,
    pub(super) watchers_dirty: bool,
    pub(super) curve: HarvestCurve,
    /// In the settle period: no new blocks, no client writes.
    settling: bool,
}

pub(super) fn node_index(index: usize) -> NodeIndex {
    NodeIndex(index as u16)
}

impl<'a> Simulation<'a> {
    pub fn new(scenario: &'a Scenario, options: SimulationOptions) -> Simulation<'a> {
        let count = scenario.nodes.len();
        let mut rng = SimRng::new(options.seed);
        let nodes = scenario
            .nodes
            .iter()
            .map(|node| {
                // Each node's task phases, drawn in this order.
                let harvest_phase_ms = rng.below(1_000) as u64;
                let sync_phase_ms = rng.below(scenario.chain.sync_interval_ms as usize) as u64;
                let connect_phase_ms =
                    rng.below(scenario.chain.reconnect_interval_ms as usize) as u64;
                NodeState::new(
                    node.standby,
                    harvest_phase_ms,
                    sync_phase_ms,
                    connect_phase_ms,
                )
            })
            .collect();
        let targets = scenario.clients.targets.len();
        let initially_healthy: Vec<bool> = scenario
            .clients
            .targets
            .iter()
            .map(|target| !scenario.nodes[target.get()].standby)
            .collect();
        let sample_interval_ms = (options.duration_ms / SAMPLES_TARGET).max(1_000) / 1_000 * 1_000;
        let check_invariants = options.check_invariants;
        let keep_trace = options.keep_trace;
        let mut simulation = Simulation {
            scenario,
            options,
            now_ms: 0,
            queue: EventQueue::new(),
            rng,
            blocks: BlockArena::new(scenario.seed),
            nodes,
            links: Links::new(scenario),
            active_faults: vec![false; scenario.faults.len()],
            trace: Trace::new(keep_trace),
            transactions: Vec::new(),
            entry: EntryPointState {
                healthy: initially_healthy.clone(),
                routed: initially_healthy,
                success_streak: vec![0; targets],
                failure_streak: vec![0; targets],
            },
            snapshots: Vec::new(),
            total_stake: scenario.nodes.iter().map(|node| node.stake).sum(),
            total_voting_balance: scenario.nodes.iter().map(|node| node.voting_balance).sum(),
            events: 0,
            samples: Vec::new(),
            sample_interval_ms,
            scratch_visited: vec![false; count],
            scratch_frontier: Vec::new(),
            scratch_reached: Vec::new(),
            checker: check_invariants.then(|| super::checks::InvariantChecker::new(count)),
            max_rollback_depth: 0,
            confirmed_count: 0,
            snapshots_taken: 0,
            network_finalized_height: 1,
            watchers: vec![Vec::new(); count],
            watchers_dirty: true,
            settling: false,
            curve: HarvestCurve::new(
                scenario.chain.block_time_ms as f64 / 1_000.0,
                scenario.chain.smoothing_factor,
            ),
        };
        simulation.start_world();
        simulation
    }

    fn start_world(&mut self) {
        // The network is already running at time 0: nodes are up, connected and ready.
        for index in 0..self.nodes.len() {
            if self.nodes[index].down_reasons == 0 {
                self.bring_up(node_index(index), true);
            }
        }
        for index in 0..self.nodes.len() {
            if self.nodes[index].is_up() {
                self.connect(node_index(index));
            }
        }
        for (position, fault) in self.scenario.faults.iter().enumerate() {
            self.schedule(fault.at_ms, EventKind::FaultStart(position));
            if let Some(until_ms) = fault.until_ms {
                self.schedule(until_ms, EventKind::FaultEnd(position));
            }
        }
        if self.scenario.clients.transactions_per_second > 0.0 {
            let first = self.next_arrival_gap_ms();
            self.schedule(first, EventKind::ClientTransaction);
        }
        if self.scenario.clients.entry_kind != EntryKind::Direct
            && !self.scenario.clients.targets.is_empty()
        {
            self.schedule(
                self.scenario.clients.health_check_interval_ms,
                EventKind::HealthCheck,
            );
        }
        if self.scenario.chain.finalization_enabled {
            self.schedule(self.finalization_round_ms(), EventKind::FinalizationRound);
        }
        if let Some(backup) = &self.scenario.backup {
            self.schedule(backup.interval_ms, EventKind::Snapshot);
        }
        if self.options.record_samples {
            self.schedule(0, EventKind::Sample);
        }
    }

    /// Simulated time now.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    pub fn events_processed(&self) -> u64 {
        self.events
    }

    pub fn duration_ms(&self) -> u64 {
        self.options.duration_ms
    }

    /// Client transactions confirmed in some block so far (each counted once, at its
    /// first confirmation; never decreases). Read-only, for `view::series`.
    pub fn confirmed_transactions(&self) -> u64 {
        self.confirmed_count
    }

    pub fn snapshots_taken(&self) -> u64 {
        self.snapshots_taken
    }

    pub fn seed(&self) -> u64 {
        self.options.seed
    }

    /// True once every event up to the run's end has been processed.
    pub fn is_finished(&self) -> bool {
        self.queue
            .peek_at_ms()
            .is_none_or(|at_ms| at_ms > self.options.duration_ms)
    }

    pub(super) fn schedule(&mut self, at_ms: u64, kind: EventKind) {
        self.queue.push(at_ms, kind);
    }

    /// Processes one event. `Ok(false)` when the run has reached its end.
    pub fn step(&mut self) -> Result<bool, SimulationError> {
        let Some(at_ms) = self.queue.peek_at_ms() else {
            return Ok(false);
        };
        if at_ms > self.options.duration_ms {
            self.now_ms = self.options.duration_ms;
            return Ok(false);
        }
        let (at_ms, kind) = self.queue.pop().expect("peeked");
        self.now_ms = at_ms;
        self.events += 1;
        if self.events > self.options.events_max {
            return Err(SimulationError::EventLimit {
                events: self.events,
                at_ms: self.now_ms,
            });
        }
        self.handle(kind);
        if let Some(mut checker) = self.checker.take() {
            let verdict = checker.observe(self);
            self.checker = Some(checker);
            if let Err(message) = verdict {
                return Err(SimulationError::InvariantViolated {
                    at_ms: self.now_ms,
                    message,
                });
            }
        }
        Ok(true)
    }

    /// Processes every event up to and including `until_ms` (capped at the run's end).
    pub fn run_until(&mut self, until_ms: u64) -> Result<(), SimulationError> {
        let until_ms = until_ms.min(self.options.duration_ms);
        while self
            .queue
            .peek_at_ms()
            .is_some_and(|at_ms| at_ms <= until_ms)
        {
            self.step()?;
        }
        self.now_ms = self.now_ms.max(until_ms);
        Ok(())
    }

    /// Runs to the end (and through the settle period, if any) and reports.
    pub fn run(mut self) -> Result<Outcome, SimulationError> {
        self.run_until(self.options.duration_ms)?;
        if self.options.settle_ms > 0 {
            self.settling = true;
            self.options.duration_ms += self.options.settle_ms;
            self.run_until(self.options.duration_ms)?;
        }
        Ok(self.finish())
    }

    /// The outcome at the current time (normally the end of the run).
    pub fn finish(self) -> Outcome {
        outcome::build(self)
    }

    fn handle(&mut self, kind: EventKind) {
        if self.settling
            && matches!(
                kind,
                EventKind::HarvestFire { .. } | EventKind::ClientTransaction
            )
        {
            return;
        }
        match kind {
            EventKind::FaultStart(position) => self.start_fault(position),
            EventKind::FaultEnd(position) => self.end_fault(position),
            EventKind::NodeReady { node, epoch } => {
                if self.nodes[node.get()].epoch == epoch
                    && self.nodes[node.get()].process == Process::Starting
                {
                    self.bring_up(node, false);
                }
            }
            EventKind::HarvestFire { node, generation } => self.harvest(node, generation),
            EventKind::SyncTick { node, epoch } => self.sync_tick(node, epoch),
            EventKind::SyncResponse {
                node,
                partner,
                tip,
                finalized,
                epoch,
            } => self.sync_response(node, partner, tip, finalized, epoch),
            EventKind::ConnectTick { node, epoch } => {
                if self.nodes[node.get()].epoch == epoch && self.nodes[node.get()].is_up() {
                    self.connect(node);
                    let next = self.now_ms + self.scenario.chain.reconnect_interval_ms;
                    self.schedule(next, EventKind::ConnectTick { node, epoch });
                }
            }
            EventKind::NetworkHeightTick { node, epoch } => self.network_height_tick(node, epoch),
            EventKind::PushBlock { to, from, block } => self.receive_push(to, from, block),
            EventKind::ClientTransaction => self.client_transaction(),
            EventKind::HealthCheck => self.health_check(),
            EventKind::RoutingApply { target, healthy } => self.entry.routed[target] = healthy,
            EventKind::FinalizationRound => self.finalization_round(),
            EventKind::Snapshot => self.take_snapshot(),
            EventKind::Sample => {
                self.record_sample();
                let next = self.now_ms + self.sample_interval_ms;
                self.schedule(next, EventKind::Sample);
            }
        }
    }

    // ----- network -------------------------------------------------------------------

    /// A message from `from` to `to` can be delivered: both up and not partitioned.
    pub fn can_send(&self, from: NodeIndex, to: NodeIndex) -> bool {
        self.nodes[from.get()].is_up()
            && self.nodes[to.get()].is_up()
            && !self.links.is_partitioned(from, to)
    }

    /// Messages from `from` to `to` are dropped by a partition (whatever the nodes' state).
    pub fn is_partitioned(&self, from: NodeIndex, to: NodeIndex) -> bool {
        self.links.is_partitioned(from, to)
    }

    /// A degradation adds latency or loss between the two nodes.
    pub fn is_degraded(&self, from: NodeIndex, to: NodeIndex) -> bool {
        self.links.is_degraded(from, to)
    }

    /// Sends a message: false when it is dropped (partition or random loss).
    fn deliverable(&mut self, from: NodeIndex, to: NodeIndex) -> bool {
        if !self.can_send(from, to) {
            return false;
        }
        let loss = self.links.loss_percent(from, to);
        !(loss > 0.0 && self.rng.chance_percent(loss))
    }

    // ----- node lifecycle ----------------------------------------------------------

    // ----- harvesting ---------------------------------------------------------------

    fn harvest_allowed(&self, node: NodeIndex) -> bool {
        let state = &self.nodes[node.get()];
        state.is_up()
            && self.scenario.nodes[node.get()].harvests()
            && (!self.scenario.chain.harvest_gating
                || state.network_height < state.height() + NETWORK_HEIGHT_GAP_MAX)
    }

    /// Works out when this node's hit first falls under its target on its current tip,
    /// and schedules that moment (cancelling any earlier plan).
    pub(super) fn schedule_harvest(&mut self, node: NodeIndex) {
        self.nodes[node.get()].harvest_generation += 1;
        if !self.harvest_allowed(node) || self.total_stake == 0 {
            return;
        }
        let state = &self.nodes[node.get()];
        let parent = self.blocks.get(state.tip());
        let share = self.scenario.nodes[node.get()].stake as f64 / self.total_stake as f64;
        let draw = -libm::log(keyed_unit(self.options.seed, parent.hash, node.0 as u64));
        let Some(second) = self
            .curve
            .first_firing_second(draw, share, parent.child_difficulty)
        else {
            return;
        };
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

    fn harvest(&mut self, node: NodeIndex, generation: u64) {
        let index = node.get();
        if self.nodes[index].harvest_generation != generation || !self.harvest_allowed(node) {
            return;
        }
        let now = self.now_ms;
        let transactions: Box<[u32]> = {
            let state = &self.nodes[index];
            state
                .memory
                .pool
                .iter()
                .filter(|&transaction| self.transactions[transaction as usize].deadline_ms > now)
                .filter(|&transaction| !self.transaction_in_chain(index, transaction))
                .take(TRANSACTIONS_PER_BLOCK_MAX)
                .collect()
        };
        let block = self.blocks.harvest(
            &self.nodes[index].disk.chain,
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

    // ----- chain changes ------------------------------------------------------------

    fn transaction_in_chain(&self, node: usize, transaction: u32) -> bool {
        self.transactions[transaction as usize]
            .blocks
            .iter()
            .any(|block| self.nodes[node].contains(&self.blocks, block))
    }

    /// Appends blocks that extend the node's tip; their transactions leave its pool.
    fn append_blocks(&mut self, node: NodeIndex, new_blocks: &[BlockId]) {
        let index = node.get();
        if !new_blocks.is_empty() {
            self.notify_changed(node);
        }
        for &block in new_blocks {
            self.nodes[index].disk.chain.push(block);
            for position in 0..self.blocks.get(block).transactions.len() {
                let transaction = self.blocks.get(block).transactions[position];
                self.nodes[index].memory.pool.remove(&transaction);
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
    fn roll_back(&mut self, node: NodeIndex, common_height: u64) {
        let index = node.get();
        let depth = self.nodes[index].height() - common_height;
        if depth == 0 {
            return;
        }
        self.notify_changed(node);
        let undone: Vec<BlockId> = self.nodes[index]
            .disk
            .chain
            .split_off(common_height as usize);
        for block in undone {
            for &transaction in self.blocks.get(block).transactions.iter() {
                if self.transactions[transaction as usize].deadline_ms > self.now_ms {
                    self.nodes[index].memory.pool.insert(transaction);
                }
            }
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

    /// The lowest height a node may roll back to: the rollback limit, and never below
    /// its finalized block. Public read-only so views can say whether a fork is past
    /// the limit (a fork whose common block is below this floor is refused).
    pub fn rollback_floor(&self, node: NodeIndex) -> u64 {
        let state = &self.nodes[node.get()];
        let max_rollback = self.scenario.chain.max_rollback_blocks;
        let by_limit = if max_rollback > 0 {
            state.height().saturating_sub(max_rollback)
        } else {
            0
        };
        by_limit.max(state.disk.finalized_height)
    }

    /// Pushes a block to the node's connections (Peer-role senders only).
    fn broadcast(&mut self, node: NodeIndex, block: BlockId, except: Option<NodeIndex>) {
        if !self.scenario.nodes[node.get()].role.has_peer() {
            return;
        }
        for position in 0..self.nodes[node.get()].memory.connections.len() {
            let peer = self.nodes[node.get()].memory.connections[position];
            // A peer that already holds the block would drop the push on arrival; not
            // sending it saves an event without changing what any node does.
            if Some(peer) == except || self.nodes[peer.get()].contains(&self.blocks, block) {
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
    }

    fn receive_push(&mut self, to: NodeIndex, from: NodeIndex, block: BlockId) {
        let index = to.get();
        if !self.nodes[index].is_up() || self.nodes[index].contains(&self.blocks, block) {
            return;
        }
        if self.scenario.chain.harvest_gating {
            let state = &self.nodes[index];
            if state.network_height >= state.height() + NETWORK_HEIGHT_GAP_MAX {
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
            && parent == Some(state.disk.chain[height as usize - 2])
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

    // ----- synchronization ------------------------------------------------------------

    /// Whether `node` has nothing to pull from `partner`: the same tip, and (for nodes
    /// that harvest or serve blocks) no unconfirmed transaction it lacks.
    fn in_sync_with(&self, node: NodeIndex, partner: NodeIndex) -> bool {
        let (mine, theirs) = (&self.nodes[node.get()], &self.nodes[partner.get()]);
        mine.tip() == theirs.tip()
            && (!self.scenario.nodes[node.get()].role.has_peer()
                || theirs.memory.pool.is_subset(&mine.memory.pool))
    }

    /// A sync round. The partner is drawn from a keyed hash of the node and the time, so
    /// a round that finds every connection already in sync changes nothing and draws
    /// nothing; such a node stops scheduling rounds until something it watches changes
    /// (`wake`). The rounds it skips are exactly the ones that would have found nothing.
    fn sync_tick(&mut self, node: NodeIndex, epoch: u32) {
        let index = node.get();
        if self.nodes[index].epoch != epoch || !self.nodes[index].is_up() {
            return;
        }
        self.nodes[index].memory.sync_pending = false;
        let count = self.nodes[index].memory.connections.len();
        if count > 0 {
            let draw = mix64(self.options.seed ^ (node.0 as u64) << 48 ^ mix64(self.now_ms));
            let partner = self.nodes[index].memory.connections
                [((draw as u128 * count as u128) >> 64) as usize];
            if !self.in_sync_with(node, partner)
                && self.deliverable(node, partner)
                && self.deliverable(partner, node)
            {
                let partner_state = &self.nodes[partner.get()];
                let tip = partner_state.tip();
                let finalized =
                    partner_state.disk.chain[partner_state.disk.finalized_height as usize - 1];
                let round_trip =
                    self.links.latency_ms(node, partner) + self.links.latency_ms(partner, node);
                self.schedule(
                    self.now_ms + round_trip,
                    EventKind::SyncResponse {
                        node,
                        partner,
                        tip,
                        finalized,
                        epoch,
                    },
                );
            }
        }
        let wants_more = self.links.message_loss_active()
            || self.nodes[index]
                .memory
                .connections
                .iter()
                .any(|&partner| !self.in_sync_with(node, partner));
        if wants_more {
            self.nodes[index].memory.sync_pending = true;
            let next = self.now_ms + self.scenario.chain.sync_interval_ms;
            self.schedule(next, EventKind::SyncTick { node, epoch });
        }
    }

    /// Schedules the node's next sync round (on its own phase) if none is queued.
    pub(super) fn wake(&mut self, node: NodeIndex) {
        let interval = self.scenario.chain.sync_interval_ms.max(1);
        let state = &mut self.nodes[node.get()];
        if !state.is_up() || state.memory.sync_pending {
            return;
        }
        let anchor = state.sync_anchor_ms;
        let next = if self.now_ms < anchor {
            anchor
        } else {
            anchor + ((self.now_ms - anchor) / interval + 1) * interval
        };
        state.memory.sync_pending = true;
        let epoch = state.epoch;
        self.schedule(next, EventKind::SyncTick { node, epoch });
    }

    /// `node`'s pool gained `transaction`: wake the watchers that lack it.
    fn notify_pool_grew(&mut self, node: NodeIndex, transaction: u32) {
        self.rebuild_watchers();
        for position in 0..self.watchers[node.get()].len() {
            let watcher = self.watchers[node.get()][position];
            if !self.nodes[watcher.get()].memory.pool.contains(&transaction) {
                self.wake(watcher);
            }
        }
    }

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
    fn notify_changed(&mut self, node: NodeIndex) {
        self.rebuild_watchers();
        for position in 0..self.watchers[node.get()].len() {
            let watcher = self.watchers[node.get()][position];
            self.wake(watcher);
        }
    }

    /// The synchronizer's answer arrives: compare chains, pull one batch if the
    /// partner's is strictly better (or carries a newer finalized block), within the
    /// rollback limit; then pull unconfirmed transactions.
    fn sync_response(
        &mut self,
        node: NodeIndex,
        partner: NodeIndex,
        tip: BlockId,
        finalized: BlockId,
        epoch: u32,
    ) {
        let index = node.get();
        if self.nodes[index].epoch != epoch || !self.nodes[index].is_up() {
            return;
        }
        let changed = self.pull_blocks(node, partner, tip, finalized);
        self.pull_transactions(node, partner);
        if changed {
            self.schedule_harvest(node);
        }
    }

    fn pull_blocks(
        &mut self,
        node: NodeIndex,
        partner: NodeIndex,
        remote_tip: BlockId,
        remote_finalized: BlockId,
    ) -> bool {
        let index = node.get();
        let state = &self.nodes[index];
        let local_tip = state.tip();
        if remote_tip == local_tip || state.contains(&self.blocks, remote_tip) {
            return false;
        }
        let finalized_height = self.blocks.get(remote_finalized).height;
        let carries_newer_finality = finalized_height > state.disk.finalized_height
            && !state.contains(&self.blocks, remote_finalized);
        let remote_score = self.blocks.get(remote_tip).cumulative_score;
        let local_score = self.blocks.get(local_tip).cumulative_score;
        if remote_score <= local_score && !carries_newer_finality {
            return false;
        }
        // Walk back from the remote tip to the last block we share.
        let mut remote_blocks = Vec::new();
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
        let floor = self.rollback_floor(node);
        if common_height < floor {
            if !state.irreconcilable {
                self.trace.record(
                    self.now_ms,
                    TraceEvent::ForkRefused {
                        node: node.0,
                        from: partner.0,
                        depth,
                    },
                );
            }
            self.nodes[index].irreconcilable = true;
            return false;
        }
        // Blocks come in batches until the fork depth is covered, then the partial
        // chains from the common block are compared.
        let batch_size = self.scenario.chain.max_blocks_per_sync as usize;
        let covering = (depth as usize).div_ceil(batch_size).max(1) * batch_size;
        let batch = covering.min(remote_blocks.len());
        let batch_blocks = &remote_blocks[..batch];
        let common_score = self.blocks.get(cursor).cumulative_score;
        let batch_score = self.blocks.get(batch_blocks[batch - 1]).cumulative_score - common_score;
        let local_part = local_score - common_score;
        let batch_has_finality =
            carries_newer_finality && finalized_height <= common_height + batch as u64;
        if batch_score <= local_part && !batch_has_finality {
            // Only strictly better chains are taken; equal scores are refused. When the
            // batch stops short of a remote chain that is better overall, every later
            // round compares the same blocks again: the node is stuck on its fork.
            if batch < remote_blocks.len() {
                if !self.nodes[index].irreconcilable {
                    self.trace.record(
                        self.now_ms,
                        TraceEvent::ForkRefused {
                            node: node.0,
                            from: partner.0,
                            depth,
                        },
                    );
                }
                self.nodes[index].irreconcilable = true;
            }
            return false;
        }
        let batch_blocks = batch_blocks.to_vec();
        self.roll_back(node, common_height);
        self.append_blocks(node, &batch_blocks);
        // Nodes learn finality from the proofs their partners serve.
        let learned = self.finality_learned(node, finalized_height);
        let state = &mut self.nodes[index];
        state.irreconcilable = false;
        if state.contains(&self.blocks, remote_finalized) && learned > state.disk.finalized_height {
            state.disk.finalized_height = learned;
        }
        let height = state.height();
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

    fn network_height_tick(&mut self, node: NodeIndex, epoch: u32) {
        let index = node.get();
        if self.nodes[index].epoch != epoch || !self.nodes[index].is_up() {
            return;
        }
        let mut heights: Vec<u64> = self.nodes[index]
            .memory
            .connections
            .iter()
            .filter(|&&peer| self.can_send(peer, node))
            .take(NETWORK_HEIGHT_PEERS_MAX)
            .map(|peer| self.nodes[peer.get()].height())
            .collect();
        if !heights.is_empty() {
            heights.sort();
            let median = heights[heights.len() / 2];
            let state = &mut self.nodes[index];
            // The network height never decreases ([CS] NetworkHeightService).
            state.network_height = state.network_height.max(median);
        }
        self.schedule(
            self.now_ms + NETWORK_HEIGHT_INTERVAL_MS,
            EventKind::NetworkHeightTick { node, epoch },
        );
        self.schedule_harvest(node);
    }

    // ----- finalization -------------------------------------------------------------

    /// The finalized height a node takes from a finalization at `height`: voters take it
    /// as is; non-voters pull proofs and finalize whole epochs of
    /// `voting_set_grouping_blocks` ([TR]), so they stop at the last epoch boundary.
    fn finality_learned(&self, node: NodeIndex, height: u64) -> u64 {
        if self.scenario.nodes[node.get()].voting_balance > 0 {
            return height;
        }
        let grouping = self.scenario.chain.voting_set_grouping_blocks.max(1);
        height / grouping * grouping
    }

    /// A round takes up to two steps (prevote, precommit).
    fn finalization_round_ms(&self) -> u64 {
        2 * self.scenario.chain.finalization_step_ms
    }

    /// One finalization round: each group of voters that can reach each other and holds
    /// at least the threshold of all voting balance finalizes the highest block that
    /// voters holding the threshold share. Blocks keep coming either way.
    fn finalization_round(&mut self) {
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
            let weight: u64 = members
                .iter()
                .map(|node| self.scenario.nodes[node.get()].voting_balance)
                .sum();
            if (weight as f64) < threshold {
                continue;
            }
            self.finalize_in_group(&members, threshold);
        }
    }

    fn finalize_in_group(&mut self, members: &[NodeIndex], threshold: f64) {
        let support = |simulation: &Self, block: BlockId| -> f64 {
            members
                .iter()
                .filter(|node| simulation.nodes[node.get()].contains(&simulation.blocks, block))
                .map(|node| simulation.scenario.nodes[node.get()].voting_balance as f64)
                .sum()
        };
        let mut best: Option<BlockId> = None;
        for voter in members {
            let chain = &self.nodes[voter.get()].disk.chain;
            // Support only falls as the height rises along one chain: binary search.
            let (mut low, mut high) = (0usize, chain.len() - 1);
            while low < high {
                let middle = (low + high).div_ceil(2);
                if support(self, chain[middle]) >= threshold {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            let candidate = chain[low];
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
            let learned = self.finality_learned(node, height);
            let state = &mut self.nodes[index];
            if reachable
                && state.contains(&self.blocks, block)
                && learned > state.disk.finalized_height
            {
                state.disk.finalized_height = learned;
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

    // ----- faults -------------------------------------------------------------------

    // ----- backups ------------------------------------------------------------------

    // ----- clients ------------------------------------------------------------------

    fn next_arrival_gap_ms(&mut self) -> u64 {
        let gap_s = self.rng.exponential() / self.scenario.clients.transactions_per_second;
        ((gap_s * 1_000.0).round() as u64).max(1)
    }

    /// The API node a request is routed to now, if any.
    pub fn route(&mut self) -> Option<NodeIndex> {
        let clients = &self.scenario.clients;
        if clients.targets.is_empty() {
            return None;
        }
        match clients.entry_kind {
            EntryKind::Direct => Some(clients.targets[0]),
            EntryKind::DnsFailover => {
                let position = self
                    .entry
                    .routed
                    .iter()
                    .position(|&healthy| healthy)
                    .unwrap_or(0);
                Some(clients.targets[position])
            }
            EntryKind::LoadBalancer => {
                let healthy = self.entry.routed.iter().filter(|&&healthy| healthy).count();
                // With every target unhealthy the load balancer fails open to all.
                let pick = if healthy == 0 {
                    self.rng.below(clients.targets.len())
                } else {
                    let nth = self.rng.below(healthy);
                    (0..clients.targets.len())
                        .filter(|&position| self.entry.routed[position])
                        .nth(nth)
                        .expect("nth < healthy count")
                };
                Some(clients.targets[pick])
            }
        }
    }

    /// The node can serve clients now: up, an API or DUAL node, its API not failed.
    /// (Public read-only for the availability series in `view::series`.)
    pub fn serves_clients(&self, node: NodeIndex) -> bool {
        let state = &self.nodes[node.get()];
        state.is_up() && state.api_down_count == 0 && self.scenario.nodes[node.get()].role.has_api()
    }

    fn client_transaction(&mut self) {
        let next = self.now_ms + self.next_arrival_gap_ms();
        if (self.transactions.len() as u64) < TRANSACTIONS_MAX {
            self.schedule(next, EventKind::ClientTransaction);
        }
        let transaction = self.transactions.len() as u32;
        let routed = self.route();
        let accepted_by = routed.filter(|&node| self.serves_clients(node));
        self.transactions.push(TransactionRecord {
            submitted_ms: self.now_ms,
            accepted_by,
            deadline_ms: self.now_ms + self.scenario.chain.transaction_lifetime_ms,
            first_confirmed_ms: None,
            first_finalized_ms: None,
            blocks: BlockList::default(),
        });
        let Some(origin) = accepted_by else {
            self.trace
                .record(self.now_ms, TraceEvent::TransactionRejected { transaction });
            return;
        };
        self.trace.record(
            self.now_ms,
            TraceEvent::TransactionSubmitted {
                transaction,
                node: origin.0,
            },
        );
        // The accepting node and every node its pushes reach (hop by hop over current
        // connections) put it in their unconfirmed pools.
        self.scratch_visited
            .iter_mut()
            .for_each(|seen| *seen = false);
        let mut frontier = std::mem::take(&mut self.scratch_frontier);
        let mut reached = std::mem::take(&mut self.scratch_reached);
        frontier.clear();
        reached.clear();
        frontier.push(origin);
        self.scratch_visited[origin.get()] = true;
        while let Some(node) = frontier.pop() {
            self.nodes[node.get()].memory.pool.insert(transaction);
            reached.push(node);
            for position in 0..self.nodes[node.get()].memory.connections.len() {
                let peer = self.nodes[node.get()].memory.connections[position];
                if !self.scratch_visited[peer.get()] && self.can_send(node, peer) {
                    self.scratch_visited[peer.get()] = true;
                    frontier.push(peer);
                }
            }
        }
        // Only nodes that watch a reached node and still lack the transaction have
        // anything new to pull.
        for &node in &reached {
            self.notify_pool_grew(node, transaction);
        }
        self.scratch_frontier = frontier;
        self.scratch_reached = reached;
    }

    fn health_check(&mut self) {
        let clients = &self.scenario.clients;
        let interval = clients.health_check_interval_ms;
        let (unhealthy_threshold, healthy_threshold, delay) = (
            clients.unhealthy_threshold,
            clients.healthy_threshold,
            clients.switch_delay_ms,
        );
        self.schedule(self.now_ms + interval, EventKind::HealthCheck);
        for position in 0..self.scenario.clients.targets.len() {
            let node = self.scenario.clients.targets[position];
            let passing = self.serves_clients(node);
            let changed = if passing {
                self.entry.success_streak[position] += 1;
                self.entry.failure_streak[position] = 0;
                !self.entry.healthy[position]
                    && self.entry.success_streak[position] >= healthy_threshold
            } else {
                self.entry.failure_streak[position] += 1;
                self.entry.success_streak[position] = 0;
                self.entry.healthy[position]
                    && self.entry.failure_streak[position] >= unhealthy_threshold
            };
            if changed {
                let healthy = !self.entry.healthy[position];
                self.entry.healthy[position] = healthy;
                self.trace.record(
                    self.now_ms,
                    TraceEvent::EntryTargetChanged {
                        node: node.0,
                        healthy,
                    },
                );
                if delay == 0 {
                    self.entry.routed[position] = healthy;
                } else {
                    self.schedule(
                        self.now_ms + delay,
                        EventKind::RoutingApply {
                            target: position,
                            healthy,
                        },
                    );
                }
            }
        }
    }

    /// Would every client request be accepted right now? (No random draw: a load
    /// balancer counts as available only when every target it may route to serves.)
    pub fn clients_served(&self) -> bool {
        let clients = &self.scenario.clients;
        if clients.targets.is_empty() {
            return false;
        }
        match clients.entry_kind {
            EntryKind::Direct => self.serves_clients(clients.targets[0]),
            EntryKind::DnsFailover => {
                let position = self
                    .entry
                    .routed
                    .iter()
                    .position(|&healthy| healthy)
                    .unwrap_or(0);
                self.serves_clients(clients.targets[position])
            }
            EntryKind::LoadBalancer => {
                let any_routed = self.entry.routed.iter().any(|&healthy| healthy);
                (0..clients.targets.len())
                    .filter(|&position| !any_routed || self.entry.routed[position])
                    .all(|position| self.serves_clients(clients.targets[position]))
            }
        }
    }

    // ----- observation --------------------------------------------------------------

    /// The best chain among running nodes (highest score; lowest index on ties), or
    /// among all nodes when none runs.
    pub fn best_node(&self) -> NodeIndex {
        let running = self.nodes.iter().any(NodeState::is_up);
        let mut best: Option<usize> = None;
        for (index, state) in self.nodes.iter().enumerate() {
            if running && !state.is_up() {
                continue;
            }
            let score = self.blocks.get(state.tip()).cumulative_score;
            if best.is_none_or(|current| {
                score > self.blocks.get(self.nodes[current].tip()).cumulative_score
            }) {
                best = Some(index);
            }
        }
        node_index(best.unwrap_or(0))
    }

    fn record_sample(&mut self) {
        let best = self.best_node();
        let best_height = self.nodes[best.get()].height();
        self.samples.push(Sample {
            at_ms: self.now_ms,
            heights: self.nodes.iter().map(NodeState::height).collect(),
            finalized_heights: self
                .nodes
                .iter()
                .map(|state| state.disk.finalized_height)
                .collect(),
            up: self.nodes.iter().map(NodeState::is_up).collect(),
            best_height,
            clients_served: self.clients_served(),
            confirmed_transactions: self.confirmed_count,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};

    fn quiet_scenario() -> Scenario {
        let mut file = presets::load_file("seed-fork").unwrap();
        file.faults.clear();
        file.clients.transactions_per_second = 0.0;
        validate(&file).unwrap()
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

        assert!(!simulation.pull_blocks(peer1, peer2, second, BlockId::NEMESIS));
        simulation.receive_push(peer1, peer2, second);
        assert_eq!(
            simulation.nodes[peer1.get()].tip(),
            first,
            "equal score: keeps its own tip"
        );
        assert!(!simulation.pull_blocks(peer2, peer1, first, BlockId::NEMESIS));
        assert_eq!(simulation.nodes[peer2.get()].tip(), second);

        let chain = simulation.nodes[peer2.get()].disk.chain.clone();
        let third =
            simulation
                .blocks
                .harvest(&chain, peer2.0, 29_000, Box::new([]), &scenario.chain);
        simulation.nodes[peer2.get()].disk.chain.push(third);
        assert!(simulation.pull_blocks(peer1, peer2, third, BlockId::NEMESIS));
        assert_eq!(
            simulation.nodes[peer1.get()].disk.chain,
            vec![BlockId::NEMESIS, second, third]
        );
        assert_eq!(simulation.nodes[peer1.get()].rollbacks.len(), 1);
        assert_eq!(simulation.nodes[peer1.get()].rollbacks[0].depth, 1);
    }

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
        let own = simulation
            .blocks
            .harvest(&chain, peer1.0, 27_000, Box::new([]), &scenario.chain);
        simulation.nodes[peer1.get()].disk.chain.push(own);
        let other_chain = vec![BlockId::NEMESIS, slow];
        let deep =
            simulation
                .blocks
                .harvest(&other_chain, peer2.0, 21_000, Box::new([]), &scenario.chain);
        simulation.receive_push(peer1, peer2, deep);
        assert_eq!(simulation.nodes[peer1.get()].tip(), own);
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
                    &chain,
                    node.0,
                    index * spacing,
                    Box::new([]),
                    &scenario.chain,
                );
                simulation.nodes[node.get()].disk.chain.push(block);
            }
        }
        let tip = simulation.nodes[peer2.get()].tip();
        assert!(!simulation.pull_blocks(peer1, peer2, tip, BlockId::NEMESIS));
        assert!(simulation.nodes[peer1.get()].irreconcilable);
        assert_eq!(simulation.nodes[peer1.get()].height(), 46);
    }
}
