//! Node lifecycle: why a node is held down, how its process stops, starts and comes
//! up, and the connect task that keeps its outgoing connections.
//!
//! Catapult behind the rules: a start takes `node_startup_ms`, plus `crash_recovery_ms`
//! after an unclean stop (the recovery process repairs state from `commit_step.dat` and
//! `spool`, [TR] `system.tex`); the harvester begins `harvest_start_delay_ms` after a
//! start (the harvesting task's `startDelay`, [CS] `config-task.properties`); the
//! connect-peers task runs every `reconnect_interval_ms` ([CS] `config-task.properties`)
//! and keeps up to `max_connections` outgoing connections, to Peer-role nodes only
//! ([CS] `extensions/sync/src/SyncService.cpp`, `config-node.properties`).
//!
//! Invariants: a node runs exactly when no down reason holds; every stop bumps the
//! node's `epoch` and `harvest_generation`, so events its earlier run queued are
//! ignored; a stop clears exactly the node's memory and leaves its disk; no node keeps a
//! connection to a node that is down; at time 0 the network is already running (nodes
//! up, connected, no harvest start delay).

use crate::scenario::NodeIndex;

use super::engine::{node_index, Simulation};
use super::network_height;
use super::node::Process;
use super::queue::EventKind;
use super::trace::{DownCause, TraceEvent};

impl Simulation<'_> {
    /// Holds the node down for `reason` (a `DOWN_*` bit); the first reason stops it.
    pub(super) fn hold_down(
        &mut self,
        node: NodeIndex,
        reason: u8,
        cause: DownCause,
        unclean: bool,
    ) {
        let state = &mut self.nodes[node.get()];
        let was_running = state.down_reasons == 0;
        state.down_reasons |= reason;
        state.unclean_stop |= unclean;
        if was_running {
            self.take_down(node, cause);
        }
    }

    /// Lifts `reason`; when no reason is left, the process starts.
    pub(super) fn release(&mut self, node: NodeIndex, reason: u8) {
        let state = &mut self.nodes[node.get()];
        if state.down_reasons & reason == 0 {
            return;
        }
        state.down_reasons &= !reason;
        if state.down_reasons == 0 {
            self.start_process(node);
        }
    }

    /// The process stops: its memory is lost (exactly `NodeState::memory`: the
    /// unconfirmed transactions, its connections, its sync and harvest bookkeeping), its
    /// disk stays, and its peers drop their connections to it. Events it had queued go
    /// stale (`epoch`, `harvest_generation`).
    fn take_down(&mut self, node: NodeIndex, cause: DownCause) {
        let index = node.get();
        let was_visible = self.nodes[index].process != Process::Down;
        {
            let state = &mut self.nodes[index];
            state.process = Process::Down;
            state.epoch += 1;
            state.harvest_generation += 1;
            state.memory.clear();
        }
        for other in 0..self.nodes.len() {
            self.nodes[other]
                .memory
                .connections
                .retain(|&peer| peer != node);
        }
        self.watchers_dirty = true;
        if was_visible {
            self.trace.record(
                self.now_ms,
                TraceEvent::NodeDown {
                    node: node.0,
                    cause,
                },
            );
        }
    }

    /// The process starts; it serves (`bring_up`) after the start-up time, plus crash
    /// recovery when the last stop was unclean.
    fn start_process(&mut self, node: NodeIndex) {
        let chain = &self.scenario.chain;
        let state = &mut self.nodes[node.get()];
        state.process = Process::Starting;
        state.epoch += 1;
        let delay = chain.node_startup_ms
            + if state.unclean_stop {
                chain.crash_recovery_ms
            } else {
                0
            };
        state.unclean_stop = false;
        let epoch = state.epoch;
        self.schedule(self.now_ms + delay, EventKind::NodeReady { node, epoch });
    }

    /// The process is serving: connect, start the periodic tasks, harvest.
    pub(super) fn bring_up(&mut self, node: NodeIndex, at_start_of_world: bool) {
        let chain = &self.scenario.chain;
        let harvest_delay = if at_start_of_world {
            0
        } else {
            chain.harvest_start_delay_ms
        };
        let state = &mut self.nodes[node.get()];
        state.process = Process::Up;
        state.epoch += 1;
        state.memory.harvest_ready_at_ms = self.now_ms + harvest_delay;
        let epoch = state.epoch;
        let (sync_phase, connect_phase) = (state.sync_phase_ms, state.connect_phase_ms);
        // One synchronizer task per node ([CS] `config-task.properties`, `SyncService.cpp`):
        // its first round on this node's own phase, queued before anything can wake it
        // (the connect below does), so a restart never starts a second loop of rounds.
        let anchor = self.now_ms + sync_phase + 1;
        state.memory.sync_anchor_ms = anchor;
        state.memory.sync_pending = true;
        self.schedule(anchor, EventKind::SyncTick { node, epoch });
        if !at_start_of_world {
            self.trace
                .record(self.now_ms, TraceEvent::NodeUp { node: node.0 });
        }
        // A starting server connects at once; at time 0 that waits until every node is
        // up (see `start_world`). Later rounds run on this node's own phase.
        if !at_start_of_world {
            self.connect(node);
        }
        self.schedule(
            self.now_ms + connect_phase + 1,
            EventKind::ConnectTick { node, epoch },
        );
        // The network height gates harvesting and taking pushed blocks and
        // transactions; an API-only node does none of these (nobody connects to it), so
        // its task would change nothing and is not run.
        if self.scenario.chain.harvest_gating && self.scenario.nodes[node.get()].role.has_peer() {
            self.schedule(
                self.now_ms + network_height::START_DELAY_MS,
                EventKind::NetworkHeightTick { node, epoch },
            );
        }
        self.schedule_harvest(node);
    }

    /// The connect task: drop dead connections, then fill up to the maximum with
    /// reachable Peer-role nodes in random order.
    pub(super) fn connect(&mut self, node: NodeIndex) {
        let max = self.scenario.chain.max_connections;
        // The usual round: every connection is there and alive, so nothing would be
        // dropped or added (and no candidate drawn).
        let current = &self.nodes[node.get()].memory.connections;
        if current.len() >= max
            && current
                .iter()
                .all(|&peer| self.can_send(node, peer) && self.can_send(peer, node))
        {
            return;
        }
        // Reused buffers: the task runs once a minute on every node.
        let (mut connections, mut candidates) = std::mem::take(&mut self.scratch_connections);
        connections.clear();
        connections.extend_from_slice(&self.nodes[node.get()].memory.connections);
        connections.retain(|&peer| self.can_send(node, peer) && self.can_send(peer, node));
        if connections.len() < max {
            candidates.clear();
            candidates.extend((0..self.nodes.len()).map(node_index).filter(|&peer| {
                peer != node
                    && self.scenario.nodes[peer.get()].role.has_peer()
                    && !connections.contains(&peer)
                    && self.can_send(node, peer)
                    && self.can_send(peer, node)
            }));
            while connections.len() < max && !candidates.is_empty() {
                let pick = self.rng.below(candidates.len());
                connections.push(candidates.swap_remove(pick));
            }
            connections.sort();
        }
        if connections != self.nodes[node.get()].memory.connections {
            std::mem::swap(
                &mut connections,
                &mut self.nodes[node.get()].memory.connections,
            );
            self.watchers_dirty = true;
            self.wake(node);
        }
        self.scratch_connections = (connections, candidates);
    }
}
