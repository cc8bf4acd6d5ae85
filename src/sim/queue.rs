//! The event queue: every future event of a run, ordered by time and then by insertion,
//! so events due at the same millisecond run first-in first-out and a run is
//! reproducible.
//!
//! Invariants: an event is never scheduled before the last event handed out (time only
//! moves forward; `push` asserts it, in release builds too); `pop` returns events in
//! non-decreasing time, and in insertion order at equal times.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::scenario::NodeIndex;

use super::chain::BlockId;

/// What happens when an event comes due. Periodic events of a node carry the node's
/// `epoch` (or harvest `generation`) at scheduling time, so events left over from an
/// earlier run of its process are recognised and dropped.
#[derive(Clone, Debug)]
pub(super) enum EventKind {
    FaultStart(usize),
    FaultEnd(usize),
    NodeReady {
        node: NodeIndex,
        epoch: u32,
    },
    HarvestFire {
        node: NodeIndex,
        generation: u64,
    },
    SyncTick {
        node: NodeIndex,
        epoch: u32,
    },
    SyncResponse {
        node: NodeIndex,
        partner: NodeIndex,
        tip: BlockId,
        /// The partner's newest finalization proof as of the request.
        proof: super::node::Proof,
        epoch: u32,
    },
    ConnectTick {
        node: NodeIndex,
        epoch: u32,
    },
    NetworkHeightTick {
        node: NodeIndex,
        epoch: u32,
    },
    PushBlock {
        to: NodeIndex,
        from: NodeIndex,
        block: BlockId,
    },
    ClientTransaction,
    HealthCheck,
    RoutingApply {
        target: usize,
        healthy: bool,
    },
    FinalizationRound,
    Snapshot,
    Sample,
}

struct QueuedEvent {
    /// `at_ms` in the high 64 bits, the insertion counter in the low: one comparison
    /// orders by time, then first-in first-out.
    key: u128,
    kind: EventKind,
}

impl QueuedEvent {
    fn at_ms(&self) -> u64 {
        (self.key >> 64) as u64
    }
}

impl PartialEq for QueuedEvent {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for QueuedEvent {}
impl PartialOrd for QueuedEvent {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for QueuedEvent {
    // Reversed: BinaryHeap pops the greatest, we want the earliest.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Future events, earliest first (first-in first-out at equal times).
pub(super) struct EventQueue {
    heap: BinaryHeap<QueuedEvent>,
    /// Events pushed so far: the tie-break of events due at the same millisecond.
    next_order: u64,
    /// The time of the last event popped: nothing may be scheduled before it.
    now_ms: u64,
}

impl EventQueue {
    pub(super) fn new() -> EventQueue {
        EventQueue {
            heap: BinaryHeap::new(),
            next_order: 0,
            now_ms: 0,
        }
    }

    /// Schedules `kind` at `at_ms`, after every event already queued for that time.
    ///
    /// # Panics
    /// When `at_ms` is before the last event popped (scheduling in the past).
    pub(super) fn push(&mut self, at_ms: u64, kind: EventKind) {
        assert!(at_ms >= self.now_ms, "scheduling in the past");
        self.heap.push(QueuedEvent {
            key: (at_ms as u128) << 64 | self.next_order as u128,
            kind,
        });
        self.next_order += 1;
    }

    /// The earliest event and its time.
    pub(super) fn pop(&mut self) -> Option<(u64, EventKind)> {
        let event = self.heap.pop()?;
        let at_ms = event.at_ms();
        self.now_ms = at_ms;
        Some((at_ms, event.kind))
    }

    /// The time of the earliest event, if any.
    pub(super) fn peek_at_ms(&self) -> Option<u64> {
        self.heap.peek().map(QueuedEvent::at_ms)
    }

    /// Events queued.
    #[cfg_attr(not(test), allow(dead_code))] // For tests and debugging.
    pub(super) fn len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_out_by_time_then_first_in_first_out() {
        let mut queue = EventQueue::new();
        queue.push(20, EventKind::FaultStart(0));
        queue.push(10, EventKind::FaultStart(1));
        queue.push(20, EventKind::FaultStart(2));
        queue.push(10, EventKind::FaultStart(3));
        assert_eq!(queue.len(), 4);
        assert_eq!(queue.peek_at_ms(), Some(10));
        let order: Vec<(u64, usize)> = std::iter::from_fn(|| queue.pop())
            .map(|(at_ms, kind)| match kind {
                EventKind::FaultStart(position) => (at_ms, position),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(order, vec![(10, 1), (10, 3), (20, 0), (20, 2)]);
        assert_eq!(queue.peek_at_ms(), None);
    }

    #[test]
    #[should_panic(expected = "scheduling in the past")]
    fn scheduling_before_the_last_event_panics() {
        let mut queue = EventQueue::new();
        queue.push(10, EventKind::Sample);
        queue.pop();
        queue.push(9, EventKind::Sample);
    }
}
