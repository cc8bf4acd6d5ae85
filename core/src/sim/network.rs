//! The network between nodes: the scenario's latency matrix and base loss, plus what the
//! active partition and degradation faults add on top, per ordered pair of nodes.
//!
//! Purpose: answer "is this direction cut?", "how long does a message take?" and "how
//! likely is it to be lost?" without knowing anything about node processes; the
//! simulation combines these answers with node state (`Simulation::can_send`,
//! `Simulation::deliverable`).
//!
//! Invariants: every matrix is `count × count`, indexed `from * count + to`; the fault
//! part is recomputed from scratch from the set of active faults (`Links::recompute`),
//! so overlapping faults add up and ending one leaves the others in place; a pair is cut
//! while at least one active partition cuts it; extra loss is capped at 100 %.

use crate::scenario::{Fault, FaultEffect, NodeIndex, Scenario};

/// The state of every directed link.
pub struct Links<'a> {
    count: usize,
    /// The scenario's one-way latency per pair, before degradations.
    base_latency_ms: &'a [u32],
    /// The scenario's random loss on every message, in percent.
    base_loss_percent: f64,
    /// `blocked[from * count + to]`: the number of active partitions that drop messages
    /// from `from` to `to`.
    blocked: Vec<u16>,
    /// Extra latency from degradations.
    extra_latency_ms: Vec<u32>,
    /// Loss from degradations, in percent.
    extra_loss_percent: Vec<f32>,
    /// Random message loss is in effect on some pair (base loss or a degradation).
    message_loss_active: bool,
}

impl<'a> Links<'a> {
    /// The scenario's network with no fault active.
    pub fn new(scenario: &'a Scenario) -> Links<'a> {
        let count = scenario.nodes.len();
        Links {
            count,
            base_latency_ms: &scenario.latency_ms,
            base_loss_percent: scenario.loss_percent,
            blocked: vec![0; count * count],
            extra_latency_ms: vec![0; count * count],
            extra_loss_percent: vec![0.0; count * count],
            message_loss_active: scenario.loss_percent > 0.0,
        }
    }

    fn pair(&self, from: NodeIndex, to: NodeIndex) -> usize {
        from.get() * self.count + to.get()
    }

    /// Messages from `from` to `to` are dropped by a partition (whatever the nodes' state).
    pub fn is_partitioned(&self, from: NodeIndex, to: NodeIndex) -> bool {
        self.blocked[self.pair(from, to)] > 0
    }

    /// A degradation adds latency or loss between the two nodes.
    pub fn is_degraded(&self, from: NodeIndex, to: NodeIndex) -> bool {
        let pair = self.pair(from, to);
        self.extra_latency_ms[pair] > 0 || self.extra_loss_percent[pair] > 0.0
    }

    /// One-way latency from `from` to `to`: the scenario's plus any degradation's.
    pub fn latency_ms(&self, from: NodeIndex, to: NodeIndex) -> u64 {
        let pair = self.pair(from, to);
        self.base_latency_ms[pair] as u64 + self.extra_latency_ms[pair] as u64
    }

    /// The chance in percent that a message from `from` to `to` is lost: the scenario's
    /// loss plus any degradation's.
    pub fn loss_percent(&self, from: NodeIndex, to: NodeIndex) -> f64 {
        self.base_loss_percent + self.extra_loss_percent[self.pair(from, to)] as f64
    }

    /// Random message loss is in effect somewhere (then every sync round runs; see
    /// `Simulation::sync_tick`).
    pub fn message_loss_active(&self) -> bool {
        self.message_loss_active
    }

    /// Rebuilds the fault part of every link from the faults active now. Returns true
    /// when random message loss has just come into effect.
    pub(super) fn recompute(&mut self, faults: &[Fault], active: &[bool]) -> bool {
        let count = self.count;
        self.blocked.iter_mut().for_each(|cell| *cell = 0);
        self.extra_latency_ms.iter_mut().for_each(|cell| *cell = 0);
        self.extra_loss_percent
            .iter_mut()
            .for_each(|cell| *cell = 0.0);
        for (position, fault) in faults.iter().enumerate() {
            if !active[position] {
                continue;
            }
            match &fault.effect {
                FaultEffect::Partition { groups, one_way } => {
                    for (first_position, first) in groups.iter().enumerate() {
                        for (second_position, second) in groups.iter().enumerate() {
                            if first_position == second_position
                                || (*one_way && first_position != 0)
                            {
                                continue;
                            }
                            for a in first {
                                for b in second {
                                    self.blocked[a.get() * count + b.get()] += 1;
                                }
                            }
                        }
                    }
                }
                FaultEffect::Degrade {
                    groups,
                    extra_latency_ms,
                    loss_percent,
                } => {
                    for (first_position, first) in groups.iter().enumerate() {
                        for (second_position, second) in groups.iter().enumerate() {
                            if first_position == second_position {
                                continue;
                            }
                            for a in first {
                                for b in second {
                                    let pair = a.get() * count + b.get();
                                    self.extra_latency_ms[pair] += *extra_latency_ms as u32;
                                    self.extra_loss_percent[pair] = (self.extra_loss_percent[pair]
                                        + *loss_percent as f32)
                                        .min(100.0);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let loss_was_active = self.message_loss_active;
        self.message_loss_active =
            self.base_loss_percent > 0.0 || self.extra_loss_percent.iter().any(|&loss| loss > 0.0);
        self.message_loss_active && !loss_was_active
    }
}
