//! The `networkheight` extension ([CS] `extensions/networkheight/src/
//! NetworkHeightService.cpp`), on by default here as in the engine template and in Tech
//! Bureau's `mijin-test` configuration (`config-extensions-server.properties`:
//! `extension.networkheight = true`, [CS] and [TB]); symbol-bootstrap turns it off
//! ([SB]). A task (start delay 1 s, then every 15 s, [CS] `config-task.properties`)
//! asks up to `maxNodes` (5) connected peers for their heights and raises the node's
//! network chain height to their median, which never falls while the process runs (it
//! starts at 0 with the process). A node is *synced* while the network height is less
//! than its own height + 4; only then does it harvest or accept pushed blocks
//! (`chainSyncedPredicate`).
//!
//! Pure functions, so catapult's own tests (`NetworkHeightServiceTests.cpp`) check them
//! (tests/catapult_rules.rs).

/// The task's start delay after the process starts ([CS] `config-task.properties`).
pub const START_DELAY_MS: u64 = 1_000;
/// The task's period.
pub const INTERVAL_MS: u64 = 15_000;
/// Peers asked each time (`maxNodes`, [CS] `config-networkheight.properties`).
pub const PEERS_MAX: usize = 5;
/// How far the network may be ahead for the node to count as synced.
pub const SYNCED_GAP_BLOCKS: u64 = 4;

/// The median of the heights peers reported: the middle one of an odd count, the
/// average (rounded down) of the two middle ones of an even count; `None` when no peer
/// answered.
pub fn median_height(heights: &mut [u64]) -> Option<u64> {
    if heights.is_empty() {
        return None;
    }
    heights.sort_unstable();
    let size = heights.len();
    Some(if size % 2 == 1 {
        heights[size / 2]
    } else {
        (heights[size / 2 - 1] + heights[size / 2]) / 2
    })
}

/// The network chain height after one detection round: raised to the median of
/// `heights` when that is larger, never lowered.
pub fn next_network_height(current: u64, heights: &mut [u64]) -> u64 {
    match median_height(heights) {
        Some(median) if median > current => median,
        _ => current,
    }
}

/// `chainSyncedPredicate`: the node may harvest and take pushed blocks.
pub fn chain_synced(network_height: u64, local_height: u64) -> bool {
    network_height < local_height + SYNCED_GAP_BLOCKS
}
