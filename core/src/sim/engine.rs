//! The discrete-event simulator: one [`Simulation`] owns every piece of simulated state,
//! the single random stream and the event queue (ordered by time, then insertion, so
//! same-time events run first-in first-out and runs are reproducible).
//!
//! Lifecycle: [`Simulation::new`] with a checked scenario → [`Simulation::step`] (or
//! [`Simulation::run_until`]) any number of times → `Simulation::finish` for the
//! [`Outcome`](super::outcome::Outcome). The UI drives `run_until` in slices; the
//! command line and the planner run to the end (`Simulation::run`).
//!
//! This file holds the loop: the state, start-up, stepping and event dispatch, message
//! delivery over the [`Links`] and observation (the best node, the time series). Each
//! Catapult rule is an `impl Simulation` block in its own file (`lifecycle.rs`,
//! `blocks.rs`, `sync.rs`, `finality.rs`, `faults.rs`, `backups.rs`, `clients.rs`).
//! The engine depends on neither the invariant checkers nor the outcome: checkers
//! watch through [`StepObserver`], and `outcome.rs` builds its report from a finished
//! `Simulation` (`run` and `finish` live there).
//!
//! Invariants: time only moves forward; no wall clock, no OS entropy, no hash-map
//! iteration; a node's chain only shrinks through a recorded rollback or an operator
//! action (disk loss, restore, resync); finalized blocks are never undone; no fork is
//! undone past the rollback limit. `checks.rs` verifies these on every step when
//! `check_invariants` is on.

use crate::scenario::limits::EVENTS_MAX;
use crate::scenario::{EntryKind, NodeIndex, Scenario};

pub use super::backups::Snapshot;
use super::chain::{BlockArena, BlockId};
use super::clients::EntryPoint;
pub use super::clients::TransactionRecord;
use super::harvest::HarvestCurve;
use super::history::History;
use super::network::Links;
use super::node::{Chain, NodeDisk, NodeState, Process, Proof};
use super::queue::{EventKind, EventQueue};
use super::rng::SimRng;
use super::trace::Trace;

/// Points in each time series.
const SAMPLES_TARGET: u64 = 720;

/// How a run is driven.
#[derive(Clone, Debug)]
pub struct SimulationOptions {
    pub seed: u64,
    pub duration_ms: u64,
    /// Keep trace entries (the hash is computed either way, unless `hash_trace` is off).
    pub keep_trace: bool,
    /// Compute the trace hash. Off only where no one reads it (the planner's trials):
    /// the outcome's `trace_hash` is then meaningless.
    pub hash_trace: bool,
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
            hash_trace: true,
            check_invariants: false,
            events_max: EVENTS_MAX,
            record_samples: true,
            settle_ms: 0,
        }
    }
}

/// Looks at the simulation after every event (the invariant checkers of `checks.rs`,
/// installed by [`Simulation::new`] when `check_invariants` is on). `Send + Sync` so that
/// `Simulation` stays `Send` and `Sync`.
pub trait StepObserver: Send + Sync {
    /// An `Err` stops the run with [`SimulationError::InvariantViolated`].
    fn observe(&mut self, simulation: &Simulation<'_>) -> Result<(), String>;
}

/// One point of the per-node time series.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub at_ms: u64,
    pub heights: Vec<u64>,
    pub finalized_heights: Vec<u64>,
    pub up: Vec<bool>,
    pub best_height: u64,
    pub clients_served: bool,
    pub confirmed_transactions: u64,
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

/// A running simulation. Fields used by the rule files are `pub(super)`; those the
/// views and tests read are `pub`.
pub struct Simulation<'a> {
    pub scenario: &'a Scenario,
    pub(super) options: SimulationOptions,
    // The clock, the queue and the one random stream.
    pub(super) now_ms: u64,
    queue: EventQueue,
    pub(super) rng: SimRng,
    /// Events processed so far.
    events: u64,
    /// In the settle period: no new blocks, no client writes.
    settling: bool,
    // The world.
    /// Every block ever made, on any branch.
    pub blocks: BlockArena,
    pub nodes: Vec<NodeState>,
    /// Partitions, degradations and latencies between nodes.
    pub(super) links: Links<'a>,
    /// `active_faults[position]`: `scenario.faults[position]` has started and not ended.
    pub(super) active_faults: Vec<bool>,
    /// The harvest rule for this scenario's block time and smoothing.
    pub(super) curve: HarvestCurve,
    /// The chain's history before time 0 (see `history.rs`).
    pub history: History,
    /// Sum of every node's stake.
    pub(super) total_stake: u64,
    /// Sum of every node's voting balance.
    pub(super) total_voting_balance: u64,
    /// The highest height any group has finalized.
    pub(super) network_finalized_height: u64,
    /// `watchers[x]`: the nodes with an outgoing connection to `x` (rebuilt when dirty).
    pub(super) watchers: Vec<Vec<NodeIndex>>,
    pub(super) watchers_dirty: bool,
    // Clients and backups.
    /// Every client write, by transaction number.
    pub transactions: Vec<TransactionRecord>,
    pub(super) entry: EntryPoint,
    /// Snapshots kept now (oldest first).
    pub snapshots: Vec<Snapshot>,
    // What is recorded.
    pub trace: Trace,
    pub samples: Vec<Sample>,
    sample_interval_ms: u64,
    /// The deepest rollback any node went through.
    pub max_rollback_depth: u64,
    /// Client transactions confirmed at least once.
    pub(super) confirmed_count: u64,
    pub(super) snapshots_taken: u64,
    /// Runs after every event (see [`StepObserver`]).
    observer: Option<Box<dyn StepObserver>>,
    // Buffers reused by `client_transaction`.
    /// The nodes its spread may still reach.
    pub(super) scratch_open: Vec<bool>,
    pub(super) scratch_frontier: Vec<NodeIndex>,
    pub(super) scratch_reached: Vec<NodeIndex>,
    /// Buffer reused by `notify_pool_grew`: each node's position in the spread.
    pub(super) scratch_rank: Vec<u32>,
    /// Buffer reused by `pull_blocks`: the partner's blocks above the common block.
    pub(super) scratch_blocks: Vec<BlockId>,
    /// Buffers reused by `pull_blocks`'s check, in debug builds, of the chain comparison
    /// on hashes: its two batches.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) scratch_hashes: (Vec<u64>, Vec<u64>),
    /// Buffer reused by `notify_pool_grew`: each watcher to wake, keyed by where it is
    /// first met, then by index.
    pub(super) scratch_first_met: Vec<u64>,
    /// Buffer reused by `harvest`: the transactions of the block being made.
    pub(super) scratch_transactions: Vec<u32>,
    /// Buffers reused by `connect`: the node's connections, and the candidates.
    pub(super) scratch_connections: (Vec<NodeIndex>, Vec<NodeIndex>),
}

/// The node at position `index` of `scenario.nodes`.
/// The nodes that run accounts of their own (clones left out).
fn own_accounts(scenario: &Scenario) -> impl Iterator<Item = &crate::scenario::Node> {
    scenario
        .nodes
        .iter()
        .enumerate()
        .filter(|(index, node)| node.is_own_account(NodeIndex(*index as u16)))
        .map(|(_, node)| node)
}

/// Client-write records allocated up front at most (about 6 MB): a long run grows its
/// list as it goes rather than claiming memory for writes a replay may never reach.
const TRANSACTIONS_RESERVED_MAX: usize = 65_536;

/// About how many client writes the run will see (the Poisson mean over the run plus
/// four standard deviations), so a short run's record list (a planner trial's) is
/// allocated once instead of being copied each time it doubles; at most
/// [`TRANSACTIONS_RESERVED_MAX`].
fn expected_transactions(scenario: &Scenario, options: &SimulationOptions) -> usize {
    let mean = scenario.clients.transactions_per_second * options.duration_ms as f64 / 1_000.0;
    let expected = mean + 4.0 * mean.sqrt() + 16.0;
    expected.min(TRANSACTIONS_RESERVED_MAX as f64) as usize
}

pub(super) fn node_index(index: usize) -> NodeIndex {
    NodeIndex(index as u16)
}

impl<'a> Simulation<'a> {
    /// A simulation at time 0 with `observer` watching every step. (`Simulation::new`,
    /// in `sim/mod.rs`, passes the invariant checkers when `check_invariants` is on.)
    pub fn with_observer(
        scenario: &'a Scenario,
        options: SimulationOptions,
        observer: Option<Box<dyn StepObserver>>,
    ) -> Simulation<'a> {
        let count = scenario.nodes.len();
        let mut rng = SimRng::new(options.seed);
        let curve = HarvestCurve::new(
            scenario.chain.block_time_ms as f64 / 1_000.0,
            scenario.chain.smoothing_factor,
        );
        let history = History::new(
            scenario.chain.initial_height,
            scenario.chain.block_time_ms,
            &curve,
        );
        let mut blocks = BlockArena::with_history(scenario.seed, &history);
        // Every node holds the same history at time 0; with finalization on, it is
        // finalized up to the last epoch boundary a prevote could have reached.
        let initial_proof = if scenario.chain.finalization_enabled {
            let height =
                history.initial_finalized_height(scenario.chain.voting_set_grouping_blocks);
            Proof {
                height,
                block: blocks.historical(height),
            }
        } else {
            Proof::NEMESIS
        };
        let initial_disk = |blocks: &BlockArena| {
            let mut disk = NodeDisk::with_chain(Chain::at_anchor(blocks));
            disk.finalized_height = initial_proof.height;
            disk.proof = initial_proof;
            disk
        };
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
                    initial_disk(&blocks),
                    harvest_phase_ms,
                    sync_phase_ms,
                    connect_phase_ms,
                )
            })
            .collect();
        let initially_healthy: Vec<bool> = scenario
            .clients
            .targets
            .iter()
            .map(|target| !scenario.nodes[target.get()].standby)
            .collect();
        let sample_interval_ms = (options.duration_ms / SAMPLES_TARGET).max(1_000) / 1_000 * 1_000;
        let (keep_trace, hash_trace) = (options.keep_trace, options.hash_trace);
        let transaction_capacity = expected_transactions(scenario, &options);
        let mut simulation = Simulation {
            scenario,
            options,
            now_ms: 0,
            queue: EventQueue::new(),
            rng,
            blocks,
            nodes,
            links: Links::new(scenario),
            active_faults: vec![false; scenario.faults.len()],
            trace: Trace::new(keep_trace, hash_trace),
            transactions: Vec::with_capacity(transaction_capacity),
            entry: EntryPoint::new(initially_healthy),
            snapshots: Vec::new(),
            // Stake and voting weight count once per account: a clone runs its source's
            // keys and adds nothing ([`crate::scenario::Node::account`]).
            total_stake: own_accounts(scenario).map(|node| node.stake).sum(),
            total_voting_balance: own_accounts(scenario).map(|node| node.voting_balance).sum(),
            events: 0,
            samples: Vec::new(),
            sample_interval_ms,
            scratch_open: Vec::with_capacity(count),
            scratch_frontier: Vec::new(),
            scratch_reached: Vec::new(),
            scratch_rank: Vec::new(),
            scratch_blocks: Vec::new(),
            scratch_hashes: (Vec::new(), Vec::new()),
            scratch_first_met: Vec::new(),
            scratch_transactions: Vec::new(),
            scratch_connections: (Vec::new(), Vec::new()),
            observer,
            max_rollback_depth: 0,
            confirmed_count: 0,
            snapshots_taken: 0,
            network_finalized_height: initial_proof.height,
            watchers: vec![Vec::new(); count],
            watchers_dirty: true,
            settling: false,
            curve,
            history,
        };
        simulation.fill_vault_before_start();
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

    /// The fault at `position` in `scenario.faults` has started and not ended.
    /// Read-only, for the canvas.
    pub fn fault_is_active(&self, position: usize) -> bool {
        self.active_faults.get(position).copied().unwrap_or(false)
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

    #[inline(always)]
    pub(super) fn schedule(&mut self, at_ms: u64, kind: EventKind) {
        self.queue.push(at_ms, kind);
    }

    /// Processes one event. `Ok(false)` when the run has reached its end.
    pub fn step(&mut self) -> Result<bool, SimulationError> {
        if self.step_due(self.options.duration_ms)? {
            return Ok(true);
        }
        if self.queue.peek_at_ms().is_some() {
            // Only events after the run's end are left.
            self.now_ms = self.options.duration_ms;
        }
        Ok(false)
    }

    /// Processes the next event if it is due at or before `limit_ms` (at most the
    /// run's end); `Ok(false)` when none is.
    fn step_due(&mut self, limit_ms: u64) -> Result<bool, SimulationError> {
        let Some((at_ms, kind)) = self.queue.pop_due(limit_ms) else {
            return Ok(false);
        };
        self.process(at_ms, kind)?;
        Ok(true)
    }

    /// Processes one event taken from the queue: the clock moves to it, it is counted
    /// and handled, then the observer looks.
    #[inline(always)]
    fn process(&mut self, at_ms: u64, kind: EventKind) -> Result<(), SimulationError> {
        self.now_ms = at_ms;
        self.events += 1;
        if self.events > self.options.events_max {
            return Err(self.event_limit_error());
        }
        self.handle(kind);
        if self.observer.is_some() {
            return self.observe();
        }
        Ok(())
    }

    #[cold]
    fn event_limit_error(&self) -> SimulationError {
        SimulationError::EventLimit {
            events: self.events,
            at_ms: self.now_ms,
        }
    }

    /// Runs the observer (there is one) on the simulation as it is now.
    #[inline(never)]
    fn observe(&mut self) -> Result<(), SimulationError> {
        let Some(mut observer) = self.observer.take() else {
            return Ok(());
        };
        let verdict = observer.observe(self);
        self.observer = Some(observer);
        verdict.map_err(|message| SimulationError::InvariantViolated {
            at_ms: self.now_ms,
            message,
        })
    }

    /// Processes every event up to and including `until_ms` (capped at the run's end).
    pub fn run_until(&mut self, until_ms: u64) -> Result<(), SimulationError> {
        let until_ms = until_ms.min(self.options.duration_ms);
        while let Some((at_ms, kind)) = self.queue.pop_due(until_ms) {
            self.process(at_ms, kind)?;
        }
        self.now_ms = self.now_ms.max(until_ms);
        Ok(())
    }

    /// Runs to the end and through the settle period, if any (`Simulation::run` then
    /// reports).
    pub(super) fn run_to_end(&mut self) -> Result<(), SimulationError> {
        self.run_until(self.options.duration_ms)?;
        if self.options.settle_ms > 0 {
            self.settling = true;
            self.options.duration_ms += self.options.settle_ms;
            self.run_until(self.options.duration_ms)?;
        }
        Ok(())
    }

    /// Handles one event. Most events of a large run are a harvest whose plan has
    /// changed since (`harvest` would return at once) or a pushed block its receiver
    /// already holds (`receive_push` would): those are answered here, the rest by
    /// [`Self::handle_in_full`], out of line.
    #[inline(always)]
    fn handle(&mut self, kind: EventKind) {
        match kind {
            EventKind::HarvestFire { node, generation }
                if self.nodes[node.get()].harvest_generation != generation => {}
            EventKind::PushBlock { to, block, .. }
                if self.nodes[to.get()].contains(&self.blocks, block) => {}
            _ => self.handle_in_full(kind),
        }
    }

    #[inline(never)]
    fn handle_in_full(&mut self, kind: EventKind) {
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
                proof,
                epoch,
            } => self.sync_response(node, partner, tip, proof, epoch),
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

    // ----- messages ------------------------------------------------------------------

    /// A message from `from` to `to` can be delivered: both up and not partitioned.
    #[inline]
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
    #[inline(always)]
    pub(super) fn deliverable(&mut self, from: NodeIndex, to: NodeIndex) -> bool {
        if !self.can_send(from, to) {
            return false;
        }
        if !self.links.message_loss_active() {
            return true; // No loss anywhere, so no draw.
        }
        let loss = self.links.loss_percent(from, to);
        !(loss > 0.0 && self.rng.chance_percent(loss))
    }

    // ----- observation --------------------------------------------------------------

    /// The best chain among running nodes (highest score; lowest index on ties), or
    /// among all nodes when none runs.
    pub fn best_node(&self) -> NodeIndex {
        let running = self.nodes.iter().any(NodeState::is_up);
        // The first node with the highest score among the running ones (all nodes when
        // none runs); the best score so far is kept, not looked up again per node.
        let mut best: Option<(usize, u128)> = None;
        for (index, state) in self.nodes.iter().enumerate() {
            if running && !state.is_up() {
                continue;
            }
            let score = self.blocks.get(state.tip()).cumulative_score;
            if best.is_none_or(|(_, best_score)| score > best_score) {
                best = Some((index, score));
            }
        }
        node_index(best.map_or(0, |(index, _)| index))
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
