//! Sorting with one compiled copy in the whole program, for the browser's download.
//!
//! The standard library's sorts are generic over the element type *and* the
//! comparison, and each instance is large (driftsort and ipnsort with their small-sort
//! networks): the app's thirty-odd sort calls compiled to 177 functions, about 114 KB
//! of WebAssembly before `wasm-opt` (twiggy). Here the work is one stable merge sort of
//! *positions* that calls the comparison through `dyn`, so it is compiled once; what
//! stays generic per element type is a few lines that move the elements into the found
//! order with swaps. Routing the app's sorts through it took 26 KB off the gzipped
//! module (issue 14's download budget).
//!
//! Invariants: every function here is a stable sort (equal elements keep their order),
//! so a call that replaced `sort_unstable` on a total order (`Ord` over the whole
//! element) gives exactly the same result, and one that replaced `sort`/`sort_by` is
//! unchanged by definition. O(n log n) comparisons, O(n) extra memory (two position
//! lists, allocated per call). So it is for cold paths and per-frame views; the
//! simulator's per-event sorts (sync wakes, the network-height median, connections,
//! latency-routed targets) keep std's, which allocate nothing.

use std::cmp::Ordering;

/// Sorts `items` by their `Ord` (stable).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` by the key `key` gives each (stable).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |first, second| key(first).cmp(&key(second)));
}

/// Sorts `items` by `compare` (stable: elements it calls equal keep their order).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &mut |first, second| {
        compare(&items[first], &items[second])
    });
    move_into_order(items, order);
}

/// The positions `0..len` in the order `compare` (on positions) puts them, stably: a
/// bottom-up merge sort over runs made by insertion sort. Not generic, so compiled once.
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    const RUN: usize = 8;
    let mut order: Vec<usize> = (0..len).collect();
    for run in order.chunks_mut(RUN) {
        for next in 1..run.len() {
            let mut place = next;
            while place > 0 && compare(run[place - 1], run[place]) == Ordering::Greater {
                run.swap(place - 1, place);
                place -= 1;
            }
        }
    }
    if len <= RUN {
        return order;
    }
    let mut merged = vec![0; len];
    let mut width = RUN;
    while width < len {
        for start in (0..len).step_by(2 * width) {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                // Ties take the left run's element: the merge is stable.
                let take_left = right >= end
                    || (left < middle && compare(order[left], order[right]) != Ordering::Greater);
                if take_left {
                    *slot = order[left];
                    left += 1;
                } else {
                    *slot = order[right];
                    right += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`, following
/// each cycle of the permutation with swaps (no element is cloned).
fn move_into_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        while order[current] != start {
            let source = order[current];
            items.swap(current, source);
            order[current] = current;
            current = source;
        }
        order[current] = current;
    }
}
