//! The event queue: every future event of a run, ordered by time and then by insertion,
//! so events due at the same millisecond run first-in first-out and a run is
//! reproducible.
//!
//! Structure (a calendar queue keyed by the integer millisecond): events due within
//! [`WHEEL_MS`] of the last event handed out sit on a wheel of one slot per
//! millisecond, each slot a first-in first-out list of the events due then (a circular
//! list through a slab of events, the slot holding its tail); a bitmap, summarised one
//! bit per 64 slots, finds the next occupied slot in a few instructions. Events due
//! later wait in an overflow heap ordered by (time, insertion) and move onto the wheel,
//! in that order, as soon as the clock comes within [`WHEEL_MS`] of them, before any
//! later push can reach their slot. Push and pop are O(1) for the wheel (most events:
//! message latencies, harvest and sync tasks), O(log n) for the few far ones; no event
//! is moved in memory once stored; freed slab positions form a list through the same
//! links, so storing and freeing an event allocate nothing. (It replaced a binary heap of
//! 48-byte events, which spent about a quarter of a run sifting.)
//!
//! Invariants: an event is never scheduled before the last event handed out (time only
//! moves forward; `push` asserts it, in release builds too); `pop` returns events in
//! non-decreasing time, and in insertion order at equal times. Every wheel event is due
//! in [`now_ms`, `now_ms` + [`WHEEL_MS`]), so a slot holds events of one time only;
//! every overflow event is due at or after `now_ms` + [`WHEEL_MS`].

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::scenario::NodeIndex;

use super::chain::BlockId;

/// What happens when an event comes due. Periodic events of a node carry the node's
/// `epoch` (or harvest `generation`) at scheduling time, so events left over from an
/// earlier run of its process are recognised and dropped.
#[derive(Clone, Copy, Debug)]
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

/// Milliseconds the wheel covers: one slot each (a power of two).
const WHEEL_MS: usize = 1 << 16;
/// Bitmap words, one bit per slot.
const WORDS: usize = WHEEL_MS / 64;
/// Summary words, one bit per bitmap word.
const SUMMARY_WORDS: usize = WORDS / 64;
/// No event: slot tails and slab links store a slab position plus one.
const NONE: u32 = 0;

/// One stored event and the next one in its slot's circular list.
#[derive(Clone, Copy)]
struct StoredEvent {
    kind: EventKind,
    /// Slab position + 1 of the next event in the same slot (the first, from the last).
    next: u32,
}

/// A far event waiting for the wheel: ordered by time, then insertion.
struct FarEvent {
    /// `at_ms` in the high 64 bits, the insertion counter in the low.
    key: u128,
    /// Its slab position.
    position: u32,
}

impl FarEvent {
    fn at_ms(&self) -> u64 {
        (self.key >> 64) as u64
    }
}

impl PartialEq for FarEvent {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for FarEvent {}
impl PartialOrd for FarEvent {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for FarEvent {
    // Reversed: BinaryHeap pops the greatest, we want the earliest.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Future events, earliest first (first-in first-out at equal times).
pub(super) struct EventQueue {
    /// Every queued event; freed positions are reused.
    slab: Vec<StoredEvent>,
    /// Slab position + 1 of the first free position (`NONE`: none); each free
    /// position's `next` links to the next free one.
    free_head: u32,
    /// `tails[slot]`: slab position + 1 of the last event due at that slot's time
    /// (`NONE` when empty); its `next` is the first. (Fixed-size, so a slot index taken
    /// modulo [`WHEEL_MS`] needs no bounds check.)
    tails: Box<[u32; WHEEL_MS]>,
    /// One bit per slot: occupied.
    occupied: Box<[u64; WORDS]>,
    /// One bit per `occupied` word: not zero.
    summary: [u64; SUMMARY_WORDS],
    /// Events on the wheel.
    wheel_count: usize,
    /// Events due at or after `now_ms + WHEEL_MS` when pushed.
    overflow: BinaryHeap<FarEvent>,
    /// Far events pushed so far: their tie-break at the same millisecond (only their
    /// order among themselves matters; they reach the wheel before any later push can).
    next_order: u64,
    /// The time of the last event popped: nothing may be scheduled before it.
    now_ms: u64,
}

impl EventQueue {
    pub(super) fn new() -> EventQueue {
        EventQueue {
            slab: Vec::new(),
            free_head: NONE,
            tails: vec![NONE; WHEEL_MS]
                .into_boxed_slice()
                .try_into()
                .expect("WHEEL_MS slots"),
            occupied: vec![0; WORDS]
                .into_boxed_slice()
                .try_into()
                .expect("WORDS words"),
            summary: [0; SUMMARY_WORDS],
            wheel_count: 0,
            overflow: BinaryHeap::new(),
            next_order: 0,
            now_ms: 0,
        }
    }

    /// Schedules `kind` at `at_ms`, after every event already queued for that time.
    ///
    /// # Panics
    /// When `at_ms` is before the last event popped (scheduling in the past).
    #[inline(always)]
    pub(super) fn push(&mut self, at_ms: u64, kind: EventKind) {
        assert!(at_ms >= self.now_ms, "scheduling in the past");
        let position = self.store(kind);
        if at_ms - self.now_ms < WHEEL_MS as u64 {
            self.append(at_ms, position);
        } else {
            self.overflow.push(FarEvent {
                key: (at_ms as u128) << 64 | self.next_order as u128,
                position,
            });
            self.next_order += 1;
        }
    }

    /// The earliest event and its time.
    #[cfg_attr(not(test), allow(dead_code))] // The engine uses `pop_due`.
    pub(super) fn pop(&mut self) -> Option<(u64, EventKind)> {
        self.pop_due(u64::MAX)
    }

    /// The earliest event and its time, if it is due at or before `limit_ms` (else
    /// nothing is taken). One search for the next slot, where a peek then a pop would
    /// make two.
    #[inline(always)]
    pub(super) fn pop_due(&mut self, limit_ms: u64) -> Option<(u64, EventKind)> {
        let at_ms = if self.wheel_count == 0 {
            let at_ms = self.overflow.peek()?.at_ms();
            if at_ms > limit_ms {
                return None;
            }
            self.advance(at_ms);
            at_ms
        } else {
            // Events often come several to a millisecond: another one due now sits in
            // the current slot (which holds only events due now), found without a search.
            let at_ms = if self.tails[self.now_ms as usize % WHEEL_MS] != NONE {
                self.now_ms
            } else {
                self.next_wheel_at_ms()
            };
            if at_ms > limit_ms {
                return None;
            }
            if at_ms != self.now_ms {
                self.advance(at_ms);
            }
            at_ms
        };
        let slot = at_ms as usize % WHEEL_MS;
        let tail = self.tails[slot];
        let first = self.slab[(tail - 1) as usize].next;
        if first == tail {
            self.tails[slot] = NONE;
            self.mark_empty(slot);
        } else {
            self.slab[(tail - 1) as usize].next = self.slab[(first - 1) as usize].next;
        }
        self.wheel_count -= 1;
        let freed = &mut self.slab[(first - 1) as usize];
        freed.next = self.free_head;
        self.free_head = first;
        Some((at_ms, freed.kind))
    }

    /// The time of the earliest event, if any.
    pub(super) fn peek_at_ms(&self) -> Option<u64> {
        if self.wheel_count == 0 {
            return self.overflow.peek().map(FarEvent::at_ms);
        }
        Some(self.next_wheel_at_ms())
    }

    /// Events queued.
    #[cfg_attr(not(test), allow(dead_code))] // For tests and debugging.
    pub(super) fn len(&self) -> usize {
        self.wheel_count + self.overflow.len()
    }

    /// Stores an event in the slab; its position.
    #[inline(always)]
    fn store(&mut self, kind: EventKind) -> u32 {
        if self.free_head == NONE {
            self.slab.push(StoredEvent { kind, next: NONE });
            return u32::try_from(self.slab.len() - 1).expect("fewer than 2^32 queued events");
        }
        let position = self.free_head - 1;
        let free = &mut self.slab[position as usize];
        self.free_head = free.next;
        free.kind = kind;
        position
    }

    /// Appends the stored event at `position` to the wheel slot of `at_ms` (within the
    /// wheel's span of `now_ms`).
    #[inline(always)]
    fn append(&mut self, at_ms: u64, position: u32) {
        let slot = at_ms as usize % WHEEL_MS;
        let link = position + 1;
        let tail = self.tails[slot];
        if tail == NONE {
            self.slab[position as usize].next = link;
            self.occupied[slot / 64] |= 1 << (slot % 64);
            self.summary[slot / 4096] |= 1 << (slot / 64 % 64);
        } else {
            let first = self.slab[(tail - 1) as usize].next;
            self.slab[position as usize].next = first;
            self.slab[(tail - 1) as usize].next = link;
        }
        self.tails[slot] = link;
        self.wheel_count += 1;
    }

    fn mark_empty(&mut self, slot: usize) {
        let word = slot / 64;
        self.occupied[word] &= !(1 << (slot % 64));
        if self.occupied[word] == 0 {
            self.summary[word / 64] &= !(1 << (word % 64));
        }
    }

    /// Moves the clock to `at_ms` (no wheel event is earlier) and the far events now
    /// within the wheel's span onto it, earliest and first-pushed first.
    #[inline(never)]
    fn advance(&mut self, at_ms: u64) {
        self.now_ms = at_ms;
        while let Some(far) = self.overflow.peek() {
            let far_at_ms = far.at_ms();
            if far_at_ms - at_ms >= WHEEL_MS as u64 {
                break;
            }
            let position = far.position;
            self.overflow.pop();
            self.append(far_at_ms, position);
        }
    }

    /// The time of the earliest wheel event (the wheel is not empty): the first
    /// occupied slot from `now_ms`'s, going round.
    #[inline(never)]
    fn next_wheel_at_ms(&self) -> u64 {
        let start = self.now_ms as usize % WHEEL_MS;
        let word = start / 64;
        let bits = self.occupied[word] & (!0u64 << (start % 64));
        let slot = if bits != 0 {
            word * 64 + bits.trailing_zeros() as usize
        } else {
            let next_word = self
                .first_word_from(word + 1)
                .or_else(|| self.first_word_from(0))
                .expect("the wheel is not empty");
            next_word * 64 + self.occupied[next_word].trailing_zeros() as usize
        };
        self.now_ms + ((slot + WHEEL_MS - start) % WHEEL_MS) as u64
    }

    /// The first non-empty bitmap word at or after `word` (no wrap).
    fn first_word_from(&self, word: usize) -> Option<usize> {
        if word >= WORDS {
            return None;
        }
        let mut summary_word = word / 64;
        let mut bits = self.summary[summary_word] & (!0u64 << (word % 64));
        loop {
            if bits != 0 {
                return Some(summary_word * 64 + bits.trailing_zeros() as usize);
            }
            summary_word += 1;
            if summary_word == SUMMARY_WORDS {
                return None;
            }
            bits = self.summary[summary_word];
        }
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

    /// The queue against the simplest correct model (sort by time, then push order),
    /// with near, far, same-millisecond and wrapping-around-the-wheel times mixed.
    #[test]
    fn matches_a_sorted_model_under_random_pushes_and_pops() {
        let mut rng = super::super::rng::SimRng::new(11);
        for round in 0..20 {
            let mut queue = EventQueue::new();
            let mut model: Vec<(u64, u64, usize)> = Vec::new();
            let (mut now_ms, mut order) = (0u64, 0u64);
            for step in 0..20_000 {
                if rng.below(100) < 55 || model.is_empty() {
                    let offset = match rng.below(6) {
                        0 => 0,
                        1 => rng.below(4) as u64,
                        2 => rng.below(WHEEL_MS) as u64,
                        3 => WHEEL_MS as u64 - 1 + rng.below(3) as u64,
                        4 => rng.below(10 * WHEEL_MS) as u64,
                        _ => rng.below(200) as u64 * (round + 1),
                    };
                    queue.push(now_ms + offset, EventKind::FaultStart(step));
                    model.push((now_ms + offset, order, step));
                    order += 1;
                } else {
                    model.sort();
                    let (at_ms, _, expected) = model.remove(0);
                    assert_eq!(queue.peek_at_ms(), Some(at_ms));
                    let Some((popped_ms, EventKind::FaultStart(position))) = queue.pop() else {
                        panic!("an event");
                    };
                    assert_eq!((popped_ms, position), (at_ms, expected));
                    now_ms = at_ms;
                }
                assert_eq!(queue.len(), model.len());
            }
        }
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
