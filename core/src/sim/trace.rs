//! The typed trace of a run and its stable hash.
//!
//! Every event is hashed (FNV-1a style, 64-bit, over fixed 64-bit fields) as it
//! happens, whether or not the entry is kept, so `trace_hash` covers the whole run and
//! is the same natively and in the browser. Entries are kept up to
//! [`crate::scenario::limits::TRACE_ENTRIES_MAX`].

use crate::scenario::limits::TRACE_ENTRIES_MAX;

/// Why a node went down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownCause {
    Crash,
    Stop,
    DiskLoss,
    AzOutage,
    RegionOutage,
    Restore,
    Resync,
}

impl DownCause {
    pub fn as_str(self) -> &'static str {
        match self {
            DownCause::Crash => "crash",
            DownCause::Stop => "stop",
            DownCause::DiskLoss => "disk loss",
            DownCause::AzOutage => "AZ outage",
            DownCause::RegionOutage => "region outage",
            DownCause::Restore => "restore",
            DownCause::Resync => "resync",
        }
    }
}

/// One thing that happened. Node fields are indices into the scenario's nodes.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceEvent {
    BlockProduced {
        node: u16,
        height: u64,
        hash: u64,
    },
    /// A pushed block accepted as the new tip.
    BlockReceived {
        node: u16,
        from: u16,
        height: u64,
    },
    /// Blocks pulled from a partner and adopted (after any rollback).
    ChainSynced {
        node: u16,
        from: u16,
        height: u64,
        blocks: u64,
    },
    /// Own blocks undone back to the common block at `to_height`.
    Rollback {
        node: u16,
        depth: u64,
        to_height: u64,
    },
    /// A better chain refused because the fork is past the rollback limit.
    ForkRefused {
        node: u16,
        from: u16,
        depth: u64,
    },
    Finalized {
        height: u64,
        hash: u64,
        nodes: u16,
    },
    NodeDown {
        node: u16,
        cause: DownCause,
    },
    NodeUp {
        node: u16,
    },
    FaultStarted {
        fault: u16,
    },
    FaultEnded {
        fault: u16,
    },
    TransactionSubmitted {
        transaction: u32,
        node: u16,
    },
    TransactionRejected {
        transaction: u32,
    },
    TransactionConfirmed {
        transaction: u32,
        height: u64,
    },
    EntryTargetChanged {
        node: u16,
        healthy: bool,
    },
    SnapshotTaken {
        height: u64,
    },
    Restored {
        node: u16,
        height: u64,
    },
}

impl TraceEvent {
    /// A short stable name for logs and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            TraceEvent::BlockProduced { .. } => "block_produced",
            TraceEvent::BlockReceived { .. } => "block_received",
            TraceEvent::ChainSynced { .. } => "chain_synced",
            TraceEvent::Rollback { .. } => "rollback",
            TraceEvent::ForkRefused { .. } => "fork_refused",
            TraceEvent::Finalized { .. } => "finalized",
            TraceEvent::NodeDown { .. } => "node_down",
            TraceEvent::NodeUp { .. } => "node_up",
            TraceEvent::FaultStarted { .. } => "fault_started",
            TraceEvent::FaultEnded { .. } => "fault_ended",
            TraceEvent::TransactionSubmitted { .. } => "transaction_submitted",
            TraceEvent::TransactionRejected { .. } => "transaction_rejected",
            TraceEvent::TransactionConfirmed { .. } => "transaction_confirmed",
            TraceEvent::EntryTargetChanged { .. } => "entry_target_changed",
            TraceEvent::SnapshotTaken { .. } => "snapshot_taken",
            TraceEvent::Restored { .. } => "restored",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TraceEntry {
    pub at_ms: u64,
    pub event: TraceEvent,
}

const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

/// The trace being written.
pub struct Trace {
    hash: u64,
    /// Hash the entries (off for the planner's trials, which never read the hash).
    hashing: bool,
    keep: bool,
    entries: Vec<TraceEntry>,
    dropped: u64,
    total: u64,
}

impl Trace {
    /// A trace that keeps its entries when `keep` and hashes them when `hashing`.
    pub fn new(keep: bool, hashing: bool) -> Trace {
        Trace {
            hash: FNV_OFFSET,
            hashing,
            keep,
            entries: Vec::new(),
            dropped: 0,
            total: 0,
        }
    }

    pub fn record(&mut self, at_ms: u64, event: TraceEvent) {
        if self.hashing {
            self.hash_event(at_ms, &event);
        }
        self.total += 1;
        if self.keep {
            if self.entries.len() < TRACE_ENTRIES_MAX {
                self.entries.push(TraceEntry { at_ms, event });
            } else {
                self.dropped += 1;
            }
        }
    }

    /// The FNV-1a hash of every entry recorded (the offset basis alone when the trace
    /// was made without hashing).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn entries(&self) -> &[TraceEntry] {
        &self.entries
    }

    /// Entries not kept because the cap was reached (the hash still covers them).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn into_entries(self) -> Vec<TraceEntry> {
        self.entries
    }

    /// FNV-1a over 64-bit words, with a fold of the high half after each multiply so
    /// every input bit reaches every output bit.
    fn write(&mut self, value: u64) {
        self.hash ^= value;
        self.hash = self.hash.wrapping_mul(FNV_PRIME);
        self.hash ^= self.hash >> 32;
    }

    fn hash_event(&mut self, at_ms: u64, event: &TraceEvent) {
        self.write(at_ms);
        let fields: [u64; 4] = match *event {
            TraceEvent::BlockProduced { node, height, hash } => [1, node as u64, height, hash],
            TraceEvent::BlockReceived { node, from, height } => {
                [2, node as u64, from as u64, height]
            }
            TraceEvent::ChainSynced {
                node,
                from,
                height,
                blocks,
            } => [3, node as u64 | (from as u64) << 16, height, blocks],
            TraceEvent::Rollback {
                node,
                depth,
                to_height,
            } => [4, node as u64, depth, to_height],
            TraceEvent::ForkRefused { node, from, depth } => [5, node as u64, from as u64, depth],
            TraceEvent::Finalized {
                height,
                hash,
                nodes,
            } => [6, height, hash, nodes as u64],
            TraceEvent::NodeDown { node, cause } => [7, node as u64, cause as u64, 0],
            TraceEvent::NodeUp { node } => [8, node as u64, 0, 0],
            TraceEvent::FaultStarted { fault } => [9, fault as u64, 0, 0],
            TraceEvent::FaultEnded { fault } => [10, fault as u64, 0, 0],
            TraceEvent::TransactionSubmitted { transaction, node } => {
                [11, transaction as u64, node as u64, 0]
            }
            TraceEvent::TransactionRejected { transaction } => [12, transaction as u64, 0, 0],
            TraceEvent::TransactionConfirmed {
                transaction,
                height,
            } => [13, transaction as u64, height, 0],
            TraceEvent::EntryTargetChanged { node, healthy } => {
                [14, node as u64, healthy as u64, 0]
            }
            TraceEvent::SnapshotTaken { height } => [15, height, 0, 0],
            TraceEvent::Restored { node, height } => [16, node as u64, height, 0],
        };
        for field in fields {
            self.write(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_order_time_and_fields() {
        let mut first = Trace::new(false, true);
        first.record(5, TraceEvent::NodeUp { node: 1 });
        first.record(6, TraceEvent::NodeUp { node: 2 });
        let mut second = Trace::new(false, true);
        second.record(6, TraceEvent::NodeUp { node: 2 });
        second.record(5, TraceEvent::NodeUp { node: 1 });
        assert_ne!(first.hash(), second.hash());
        let mut third = Trace::new(true, true);
        third.record(5, TraceEvent::NodeUp { node: 1 });
        third.record(6, TraceEvent::NodeUp { node: 2 });
        assert_eq!(first.hash(), third.hash());
        assert_eq!(third.entries().len(), 2);
        assert!(first.entries().is_empty());
    }

    #[test]
    fn a_trace_without_hashing_still_counts_and_keeps() {
        let mut trace = Trace::new(true, false);
        trace.record(5, TraceEvent::NodeUp { node: 1 });
        assert_eq!(trace.hash(), FNV_OFFSET);
        assert_eq!((trace.total(), trace.entries().len()), (1, 1));
    }
}
