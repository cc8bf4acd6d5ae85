//! Faults: what each fault of the scenario does when it starts and when it ends
//! (crashes, stops, disk loss, AZ and region outages, partitions and degradations, API
//! outages, restores from backup, resyncs), and the wipe of a node's durable data.
//!
//! Catapult and AWS behind the rules: a crash, a lost volume, an AZ or region outage
//! stop the process uncleanly, so the next start runs crash recovery ([TR] `system.tex`);
//! a restored volume is crash-consistent (AWS Backup multi-volume snapshots) and the
//! node then pulls the missing blocks from its peers; a resync wipes the data and lets
//! the node sync again.
//!
//! Invariants: each kind of outage holds its own down reason (`DOWN_*`), so a node runs
//! again only when every fault holding it down has ended (validation keeps two faults
//! that would share a reason on one node from overlapping; restores and resyncs both
//! hold `DOWN_OPERATOR`); every active partition or degradation counts in the links
//! until it ends; an end without a start (`active_faults`) changes nothing; a wipe is
//! the only way besides a rollback that a node's height falls, and it is counted
//! (`wipes`).

use crate::scenario::{FaultEffect, NodeIndex};

use super::engine::{node_index, Simulation};
use super::node::{Chain, Proof};
use super::node::{
    NodeDisk, DOWN_AZ, DOWN_CRASH, DOWN_DISK, DOWN_NOT_PROVISIONED, DOWN_OPERATOR, DOWN_REGION,
    DOWN_STOP,
};
use super::trace::{DownCause, TraceEvent};

impl Simulation<'_> {
    /// The nodes whose scenario entry satisfies `predicate`, in index order.
    pub(super) fn nodes_where(
        &self,
        predicate: impl Fn(&crate::scenario::Node) -> bool,
    ) -> Vec<NodeIndex> {
        (0..self.nodes.len())
            .filter(|&index| predicate(&self.scenario.nodes[index]))
            .map(node_index)
            .collect()
    }

    /// The fault at `position` in `scenario.faults` starts.
    pub(super) fn start_fault(&mut self, position: usize) {
        let scenario = self.scenario;
        let fault = &scenario.faults[position];
        self.active_faults[position] = true;
        self.trace.record(
            self.now_ms,
            TraceEvent::FaultStarted {
                fault: fault.file_index as u16,
            },
        );
        match fault.effect.clone() {
            FaultEffect::Crash(node) => self.hold_down(node, DOWN_CRASH, DownCause::Crash, true),
            FaultEffect::Stop(node) => self.hold_down(node, DOWN_STOP, DownCause::Stop, false),
            FaultEffect::DiskLoss(node) => {
                self.hold_down(node, DOWN_DISK, DownCause::DiskLoss, true);
                let nemesis = Chain::historical(&mut self.blocks, 1);
                self.wipe(node, nemesis);
            }
            FaultEffect::AzOutage(az) => {
                for node in self.nodes_where(|node| node.az == az) {
                    self.hold_down(node, DOWN_AZ, DownCause::AzOutage, true);
                }
            }
            FaultEffect::RegionOutage(region) => {
                for node in self.nodes_where(|node| node.region == region) {
                    self.hold_down(node, DOWN_REGION, DownCause::RegionOutage, true);
                }
            }
            FaultEffect::Partition { .. } | FaultEffect::Degrade { .. } => self.recompute_links(),
            FaultEffect::ApiDown(node) => self.nodes[node.get()].api_down_count += 1,
            FaultEffect::Restore(targets) => {
                for node in targets {
                    let snapshot = self.latest_snapshot_for(node);
                    // Restored volumes are crash-consistent: the recovery process runs on start.
                    self.hold_down(node, DOWN_OPERATOR, DownCause::Restore, true);
                    // Without a snapshot the node starts from the nemesis block.
                    let chain = match snapshot {
                        Some(snapshot) => Chain::ending_at(&self.blocks, snapshot.tip),
                        None => Chain::historical(&mut self.blocks, 1),
                    };
                    let height = chain.height();
                    self.wipe(node, chain);
                    self.nodes[node.get()].down_reasons &= !DOWN_NOT_PROVISIONED;
                    self.trace.record(
                        self.now_ms,
                        TraceEvent::Restored {
                            node: node.0,
                            height,
                        },
                    );
                    if fault.until_ms.is_none() {
                        self.release(node, DOWN_OPERATOR);
                    }
                }
            }
            FaultEffect::CopyChain(node, from) => {
                self.hold_down(node, DOWN_OPERATOR, DownCause::Restore, true);
                let chain = self.nodes[from.get()].disk.chain.clone();
                let height = chain.height();
                self.wipe(node, chain);
                self.trace.record(
                    self.now_ms,
                    TraceEvent::Restored {
                        node: node.0,
                        height,
                    },
                );
                if fault.until_ms.is_none() {
                    self.release(node, DOWN_OPERATOR);
                }
            }
            FaultEffect::Resync(node) => {
                self.hold_down(node, DOWN_OPERATOR, DownCause::Resync, false);
                let nemesis = Chain::historical(&mut self.blocks, 1);
                self.wipe(node, nemesis);
                if fault.until_ms.is_none() {
                    self.release(node, DOWN_OPERATOR);
                }
            }
        }
    }

    /// The fault at `position` ends: its own effect is lifted.
    pub(super) fn end_fault(&mut self, position: usize) {
        let scenario = self.scenario;
        let fault = &scenario.faults[position];
        if !self.active_faults[position] {
            return;
        }
        self.active_faults[position] = false;
        self.trace.record(
            self.now_ms,
            TraceEvent::FaultEnded {
                fault: fault.file_index as u16,
            },
        );
        match fault.effect.clone() {
            FaultEffect::Crash(node) => self.release(node, DOWN_CRASH),
            FaultEffect::Stop(node) => self.release(node, DOWN_STOP),
            FaultEffect::DiskLoss(node) => self.release(node, DOWN_DISK),
            FaultEffect::AzOutage(az) => {
                for node in self.nodes_where(|node| node.az == az) {
                    self.release(node, DOWN_AZ);
                }
            }
            FaultEffect::RegionOutage(region) => {
                for node in self.nodes_where(|node| node.region == region) {
                    self.release(node, DOWN_REGION);
                }
            }
            FaultEffect::Partition { .. } | FaultEffect::Degrade { .. } => self.recompute_links(),
            FaultEffect::ApiDown(node) => {
                let state = &mut self.nodes[node.get()];
                state.api_down_count = state.api_down_count.saturating_sub(1);
            }
            FaultEffect::Restore(targets) => {
                for node in targets {
                    self.release(node, DOWN_OPERATOR);
                }
            }
            FaultEffect::Resync(node) | FaultEffect::CopyChain(node, _) => {
                self.release(node, DOWN_OPERATOR)
            }
        }
    }

    /// The active faults changed: rebuild the links, wake every node when random loss
    /// has just come into effect, and tear down connections now cut both ways.
    fn recompute_links(&mut self) {
        let count = self.nodes.len();
        if self
            .links
            .recompute(&self.scenario.faults, &self.active_faults)
        {
            for index in 0..count {
                self.wake(node_index(index));
            }
        }
        self.watchers_dirty = true;
        // A connection cut both ways is torn down at once; it comes back only on the
        // node's next connect round.
        for index in 0..count {
            let node = node_index(index);
            let mut connections = std::mem::take(&mut self.nodes[index].memory.connections);
            connections.retain(|&peer| {
                !self.links.is_partitioned(node, peer) || !self.links.is_partitioned(peer, node)
            });
            self.nodes[index].memory.connections = connections;
        }
    }

    /// Replaces a node's durable chain (disk loss, restore, resync).
    fn wipe(&mut self, node: NodeIndex, chain: Chain) {
        let nemesis = self.blocks.historical(1);
        let state = &mut self.nodes[node.get()];
        state.disk = NodeDisk::with_chain(chain);
        // Its proof storage goes with the volume: only the nemesis block is final.
        state.disk.proof = Proof {
            height: 1,
            block: nemesis,
        };
        state.irreconcilable = false;
        state.memory.pool.clear();
        state.wipes += 1;
    }
}
