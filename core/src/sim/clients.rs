//! Clients: transaction arrivals, the entry point (an Elastic Load Balancer, Route 53
//! DNS failover, or direct), its health checks, and how a submitted transaction spreads
//! to the unconfirmed pools.
//!
//! AWS and Catapult behind the rules: health checks every `health_check_interval_ms`;
//! a target turns unhealthy after `unhealthy_threshold` failed checks in a row and
//! healthy again after `healthy_threshold` passed ones (ALB defaults 30 s, 2, 5); a load
//! balancer fails open to every target when none is healthy; Route 53 failover sends
//! clients to the first healthy target, once the TTL (`switch_delay_ms`) has passed
//! ([AWS], `../shared/domain.md` section 6); an API node serves clients only while its
//! broker, MongoDB and REST gateway are up ([TR] `system.tex`; [SD] `node.rst`); a
//! transaction's deadline is its submission time plus `transaction_lifetime_ms`
//! (`maxTransactionLifetime`).
//!
//! Invariants: arrivals are a Poisson process drawn from the single random stream;
//! every client write gets a [`TransactionRecord`], accepted or not; only a node that
//! serves clients accepts one; the accepting node and every node its pushes reach over
//! current connections take it into their pools at once.

use crate::scenario::limits::TRANSACTIONS_MAX;
use crate::scenario::{EntryKind, NodeIndex};

use super::engine::Simulation;
use super::pool::BlockList;
use super::queue::EventKind;
use super::trace::TraceEvent;

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
    /// The region its client is in (latency routing only).
    pub client_region: Option<u16>,
    /// Every block that has carried it (on any branch).
    pub blocks: BlockList,
}

/// The entry point's view of its targets (`clients.targets`, by position).
pub(super) struct EntryPoint {
    /// What the health checks currently conclude.
    healthy: Vec<bool>,
    /// What clients are routed by: `healthy`, once the switch delay (the DNS TTL) has
    /// passed.
    pub(super) routed: Vec<bool>,
    /// Consecutive passed checks.
    success_streak: Vec<u64>,
    /// Consecutive failed checks.
    failure_streak: Vec<u64>,
}

impl EntryPoint {
    /// Every target starts as `initially_healthy` says (standbys are not), with no
    /// checks counted.
    pub(super) fn new(initially_healthy: Vec<bool>) -> EntryPoint {
        let targets = initially_healthy.len();
        EntryPoint {
            healthy: initially_healthy.clone(),
            routed: initially_healthy,
            success_streak: vec![0; targets],
            failure_streak: vec![0; targets],
        }
    }
}

impl Simulation<'_> {
    pub(super) fn next_arrival_gap_ms(&mut self) -> u64 {
        let gap_s = self.rng.exponential() / self.scenario.clients.transactions_per_second;
        ((gap_s * 1_000.0).round() as u64).max(1)
    }

    /// Where the next client is (latency routing: a region drawn by its share of the
    /// load; the other kinds draw nothing).
    fn client_region(&mut self) -> Option<usize> {
        if self.scenario.clients.entry_kind != EntryKind::LatencyRouting {
            return None;
        }
        let draw = self.rng.unit();
        let mut cumulative = 0.0;
        let mut last = None;
        for (region, &share) in self.scenario.clients.region_shares.iter().enumerate() {
            if share <= 0.0 {
                continue;
            }
            cumulative += share;
            last = Some(region);
            if draw < cumulative {
                return Some(region);
            }
        }
        last
    }

    /// The API node a request from `client_region` is routed to now, if any.
    fn route(&mut self, client_region: Option<usize>) -> Option<NodeIndex> {
        let clients = &self.scenario.clients;
        if clients.targets.is_empty() {
            return None;
        }
        match clients.entry_kind {
            EntryKind::Direct => Some(clients.targets[0]),
            EntryKind::LatencyRouting => {
                Some(clients.targets[self.latency_target_position(client_region.unwrap_or(0))])
            }
            EntryKind::DnsFailover => {
                let position = self.dns_target_position();
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

    pub(super) fn client_transaction(&mut self) {
        let next = self.now_ms + self.next_arrival_gap_ms();
        if (self.transactions.len() as u64) < TRANSACTIONS_MAX {
            self.schedule(next, EventKind::ClientTransaction);
        }
        let transaction = self.transactions.len() as u32;
        let client_region = self.client_region();
        let routed = self.route(client_region);
        let accepted_by = routed.filter(|&node| self.serves_clients(node));
        self.transactions.push(TransactionRecord {
            submitted_ms: self.now_ms,
            accepted_by,
            deadline_ms: self.now_ms + self.scenario.chain.transaction_lifetime_ms,
            first_confirmed_ms: None,
            first_finalized_ms: None,
            client_region: client_region.map(|region| region as u16),
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
        // connections) put it in their unconfirmed pools. A push from a reached node
        // (up: the origin serves clients, every other was reached by a push it could
        // take) to a connection arrives when the connection is up, takes pushed
        // transactions and no partition cuts the pair; connections lead to Peer-role
        // nodes only. So `open` marks, once, the nodes a push could still add (up,
        // Peer-role, taking pushed transactions, not reached yet), and the walk looks at
        // nothing else.
        let mut open = std::mem::take(&mut self.scratch_open);
        open.clear();
        open.extend((0..self.nodes.len()).map(|index| {
            let node = super::engine::node_index(index);
            node != origin
                && self.nodes[index].is_up()
                && self.scenario.nodes[index].role.has_peer()
                && self.takes_pushed_transactions(node)
        }));
        let mut open_count = open.iter().filter(|&&is_open| is_open).count();
        let mut frontier = std::mem::take(&mut self.scratch_frontier);
        let mut reached = std::mem::take(&mut self.scratch_reached);
        frontier.clear();
        reached.clear();
        frontier.push(origin);
        while let Some(node) = frontier.pop() {
            let state = &mut self.nodes[node.get()];
            state.memory.pool.insert(transaction);
            reached.push(node);
            if open_count == 0 {
                continue; // Every node is already on its way: nothing left to find.
            }
            for &peer in &self.nodes[node.get()].memory.connections {
                if open[peer.get()] && !self.links.is_partitioned(node, peer) {
                    open[peer.get()] = false;
                    open_count -= 1;
                    frontier.push(peer);
                }
            }
        }
        self.scratch_open = open;
        // Only nodes that watch a reached node and still lack the transaction have
        // anything new to pull.
        self.notify_pool_grew(&reached);
        self.scratch_frontier = frontier;
        self.scratch_reached = reached;
    }

    /// A node takes pushed transactions only while its chain counts as synced: the
    /// transaction sink is gated by the same `chainSyncedPredicate` as harvesting ([CS]
    /// `extensions/transactionsink`, `NetworkHeightService.cpp`), and a node still
    /// catching up on history never counts as synced.
    fn takes_pushed_transactions(&self, node: NodeIndex) -> bool {
        let state = &self.nodes[node.get()];
        !state.disk.chain.is_historical()
            && (!self.scenario.chain.harvest_gating
                || super::network_height::chain_synced(state.memory.network_height, state.height()))
    }

    /// The target latency routing sends a client in `region` to: the first target of
    /// its own region routed healthy, else the first routed healthy in the next regions
    /// (in the file's order, wrapping), else (none healthy: Route 53 then answers as if
    /// all were) the first target of its own region.
    fn latency_target_position(&self, region: usize) -> usize {
        let clients = &self.scenario.clients;
        let region_of =
            |position: usize| self.scenario.nodes[clients.targets[position].get()].region;
        let region_count = self.scenario.regions.len().max(1);
        (0..region_count)
            .map(|offset| (region + offset) % region_count)
            .find_map(|candidate| {
                (0..clients.targets.len()).find(|&position| {
                    region_of(position) == candidate && self.entry.routed[position]
                })
            })
            .or_else(|| (0..clients.targets.len()).find(|&position| region_of(position) == region))
            .unwrap_or(0)
    }

    /// The target DNS failover points clients at: the first one routed healthy, the
    /// first of all when none is.
    fn dns_target_position(&self) -> usize {
        self.entry
            .routed
            .iter()
            .position(|&healthy| healthy)
            .unwrap_or(0)
    }

    pub(super) fn health_check(&mut self) {
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

    /// The targets a request may be sent to right now: the direct target, the DNS
    /// answer, or the load balancer's routed targets (all of them when it fails open).
    /// No random draw, so observers may call it.
    pub fn routable_targets(&self) -> Vec<NodeIndex> {
        let mut targets = Vec::new();
        self.routable_targets_into(&mut targets);
        targets
    }

    /// [`Self::routable_targets`] into `targets` (cleared first), for observers that
    /// look often and reuse one buffer.
    pub fn routable_targets_into(&self, targets: &mut Vec<NodeIndex>) {
        targets.clear();
        let clients = &self.scenario.clients;
        if clients.targets.is_empty() {
            return;
        }
        match clients.entry_kind {
            EntryKind::Direct => targets.push(clients.targets[0]),
            EntryKind::DnsFailover => targets.push(clients.targets[self.dns_target_position()]),
            EntryKind::LatencyRouting => {
                targets.extend(
                    clients
                        .region_shares
                        .iter()
                        .enumerate()
                        .filter(|(_, &share)| share > 0.0)
                        .map(|(region, _)| clients.targets[self.latency_target_position(region)]),
                );
                targets.sort();
                targets.dedup();
            }
            EntryKind::LoadBalancer => {
                let any_routed = self.entry.routed.iter().any(|&healthy| healthy);
                targets.extend(
                    (0..clients.targets.len())
                        .filter(|&position| !any_routed || self.entry.routed[position])
                        .map(|position| clients.targets[position]),
                );
            }
        }
    }

    /// What the entry point's health checks conclude about each target now, in
    /// `clients.targets` order. Read-only, for the canvas.
    pub fn entry_target_health(&self) -> &[bool] {
        &self.entry.healthy
    }

    /// Would every client request be accepted right now? (No random draw: a load
    /// balancer counts as available only when every target it may route to serves.)
    pub fn clients_served(&self) -> bool {
        self.all_serve(&self.routable_targets())
    }

    /// Every one of `targets` (a [`Self::routable_targets`] list) would accept a client
    /// request, and there is at least one.
    pub fn all_serve(&self, targets: &[NodeIndex]) -> bool {
        !targets.is_empty() && targets.iter().all(|&node| self.serves_clients(node))
    }
}
