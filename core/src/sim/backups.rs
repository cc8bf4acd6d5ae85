//! Backups: AWS Backup snapshots of the source node's volumes, their retention and
//! cross-region copy, and the newest snapshot a node's region can restore from.
//!
//! AWS behind the rules: snapshots of one instance's volumes are crash-consistent, so
//! they may be taken while the node is stopped, but need the source region up and the
//! volume present; copies to another region land `copy_lag_ms` after the snapshot
//! (AWS Backup cross-region copy; see `../shared/domain.md`, section 6).
//!
//! Invariants: at most `retention_count` snapshots are kept, oldest dropped first;
//! a snapshot records the source's chain tip and height at the moment it was taken;
//! a copy region can restore only from snapshots whose copy has landed.

use crate::scenario::NodeIndex;

use super::chain::BlockId;
use super::engine::Simulation;
use super::node::{DOWN_DISK, DOWN_NOT_PROVISIONED, DOWN_REGION};
use super::queue::EventKind;
use super::trace::TraceEvent;

/// A backup snapshot of the source node's durable chain.
#[derive(Clone, Copy, Debug)]
pub struct Snapshot {
    /// When it was taken: negative for the snapshots the vault already held at time 0.
    pub taken_ms: i64,
    pub tip: BlockId,
    pub height: u64,
}

impl Simulation<'_> {
    /// The vault at time 0 of a chain with history: the plan has been running all
    /// along, so it holds its retained snapshots, one every `interval` back from time 0
    /// (the newest taken at time 0 itself), their copies landed once `copy_lag` had
    /// passed. Each holds the history up to its height. Without history (a run from the
    /// nemesis block) the vault starts empty.
    pub(super) fn fill_vault_before_start(&mut self) {
        let Some(backup) = &self.scenario.backup else {
            return;
        };
        if !self.history.is_virtual() {
            return;
        }
        let (interval_ms, retention) = (backup.interval_ms, backup.retention_count);
        for age in (0..retention).rev() {
            let age_ms = age * interval_ms;
            let height = self.history.height_before_start(age_ms);
            let tip = self.blocks.historical(height);
            self.snapshots.push(Snapshot {
                taken_ms: -(age_ms as i64),
                tip,
                height,
            });
        }
    }

    /// The backup plan's periodic job: a snapshot of the source node's chain, when AWS
    /// Backup can take one.
    pub(super) fn take_snapshot(&mut self) {
        let Some(backup) = &self.scenario.backup else {
            return;
        };
        let next = self.now_ms + backup.interval_ms;
        let (source, retention) = (backup.source, backup.retention_count as usize);
        self.schedule(next, EventKind::Snapshot);
        let state = &self.nodes[source.get()];
        // AWS Backup needs the source region up; the node itself may be stopped
        // (snapshots of its volumes are crash-consistent).
        if state.down_reasons & (DOWN_REGION | DOWN_DISK | DOWN_NOT_PROVISIONED) != 0 {
            return;
        }
        let snapshot = Snapshot {
            taken_ms: self.now_ms as i64,
            tip: state.tip(),
            height: state.height(),
        };
        self.snapshots.push(snapshot);
        self.snapshots_taken += 1;
        if self.snapshots.len() > retention {
            self.snapshots.remove(0);
        }
        self.trace.record(
            self.now_ms,
            TraceEvent::SnapshotTaken {
                height: snapshot.height,
            },
        );
    }

    /// The newest snapshot a node's region can restore from now: the source region's
    /// vault (while that region is up) or the copy region's, once the copy has landed.
    pub fn latest_snapshot_for(&self, node: NodeIndex) -> Option<Snapshot> {
        let backup = self.scenario.backup.as_ref()?;
        let region = self.scenario.nodes[node.get()].region;
        let source_region = self.scenario.nodes[backup.source.get()].region;
        let source_region_up = self
            .nodes_where(|node| node.region == source_region)
            .iter()
            .all(|node| self.nodes[node.get()].down_reasons & DOWN_REGION == 0);
        self.snapshots
            .iter()
            .rev()
            .find(|snapshot| {
                (region == source_region && source_region_up)
                    || (Some(region) == backup.copy_to_region
                        && snapshot.taken_ms + backup.copy_lag_ms as i64 <= self.now_ms as i64)
            })
            .copied()
    }
}
