//! Blocks and chains: an append-only arena of every block any node has made, the
//! difficulty rule, and the score rule (shared/domain.md §2–3).
//!
//! Invariants: a block never changes once made; a block's parent is older than it;
//! `cumulative_score` and `cumulative_difficulty` are sums over the block and all its
//! ancestors, so comparing two chains or averaging a window is O(1).

use std::collections::BTreeMap;

use crate::scenario::ChainParameters;

use super::history::History;

/// The nemesis difficulty and the default when fewer than two blocks are known.
pub const DIFFICULTY_DEFAULT: u64 = 100_000_000_000_000;
/// Difficulty never drops below this ([CS] `types.h`).
pub const DIFFICULTY_MIN: u64 = 10_000_000_000_000;
/// Difficulty never rises above this.
pub const DIFFICULTY_MAX: u64 = 1_000_000_000_000_000;

/// A block's position in the [`BlockArena`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockId(pub u32);

impl BlockId {
    pub const NEMESIS: BlockId = BlockId(0);

    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// One block. `harvester` is `None` for the nemesis block.
#[derive(Clone, Debug)]
pub struct Block {
    pub parent: Option<BlockId>,
    /// 1 for the nemesis block.
    pub height: u64,
    pub timestamp_ms: u64,
    pub difficulty: u64,
    pub harvester: Option<u16>,
    pub hash: u64,
    pub cumulative_score: u128,
    pub cumulative_difficulty: u128,
    /// The difficulty a child of this block must carry (it depends only on ancestors).
    pub child_difficulty: u64,
    /// Client transactions confirmed in this block.
    pub transactions: Box<[u32]>,
    /// A marker for a block of the history before time 0, below the anchor (see
    /// `history.rs`): it has no parent in the arena and stands for the same block on
    /// every node (history never forks).
    pub historical: bool,
}

/// Every block of the run, and markers for the history before it.
pub struct BlockArena {
    blocks: Vec<Block>,
    /// The canonical marker of each historical height a node has stood at.
    markers: BTreeMap<u64, BlockId>,
    /// The anchor's height and difficulty: the history's (1 and the nemesis difficulty
    /// without history).
    initial_height: u64,
    history_difficulty: u64,
    history_block_score: u128,
    seed: u64,
}

impl BlockArena {
    /// An arena holding only the nemesis block, made at time 0 (no history before it).
    pub fn new(seed: u64) -> BlockArena {
        BlockArena::with_history(seed, &History::nemesis())
    }

    /// An arena whose first block, the anchor ([`BlockId::NEMESIS`]), is the last block
    /// of `history` (the nemesis block itself when the history is just that block).
    pub fn with_history(seed: u64, history: &History) -> BlockArena {
        let difficulty = history.difficulty;
        let cumulative_score = history.score_at(history.initial_height);
        BlockArena {
            blocks: vec![Block {
                parent: None,
                height: history.initial_height,
                timestamp_ms: 0,
                difficulty,
                harvester: None,
                hash: super::rng::mix64(seed ^ 0x006E_656D_6573_6973),
                cumulative_score,
                cumulative_difficulty: history.initial_height as u128 * difficulty as u128,
                child_difficulty: difficulty,
                transactions: Box::new([]),
                historical: false,
            }],
            markers: BTreeMap::new(),
            initial_height: history.initial_height,
            history_difficulty: difficulty,
            history_block_score: history.block_score(),
            seed,
        }
    }

    /// The height of the anchor, the last block before time 0.
    pub fn initial_height(&self) -> u64 {
        self.initial_height
    }

    /// The block a node holding the history up to `height` stands at: the anchor at the
    /// initial height, otherwise the canonical historical marker of that height.
    pub fn historical(&mut self, height: u64) -> BlockId {
        assert!(
            height >= 1 && height <= self.initial_height,
            "history is below the anchor"
        );
        if height == self.initial_height {
            return BlockId::NEMESIS;
        }
        if let Some(&id) = self.markers.get(&height) {
            return id;
        }
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(Block {
            parent: None,
            height,
            timestamp_ms: 0,
            difficulty: self.history_difficulty,
            harvester: None,
            hash: super::rng::mix64(self.seed ^ super::rng::mix64(height ^ 0x6869_7374)),
            cumulative_score: DIFFICULTY_DEFAULT as u128
                + (height - 1) as u128 * self.history_block_score,
            cumulative_difficulty: height as u128 * self.history_difficulty as u128,
            child_difficulty: self.history_difficulty,
            transactions: Box::new([]),
            historical: true,
        });
        self.markers.insert(height, id);
        id
    }

    pub fn get(&self, id: BlockId) -> &Block {
        &self.blocks[id.get()]
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Makes a child of the last block of `chain` (which must be its parent's chain)
    /// and computes the difficulty its own children will need.
    pub fn harvest(
        &mut self,
        chain: &[BlockId],
        harvester: u16,
        timestamp_ms: u64,
        transactions: Box<[u32]>,
        parameters: &ChainParameters,
    ) -> BlockId {
        let parent_id = *chain
            .last()
            .expect("a chain always holds the nemesis block");
        let parent = self.get(parent_id);
        let difficulty = parent.child_difficulty;
        let elapsed_s = (timestamp_ms - parent.timestamp_ms) / 1_000;
        let block = Block {
            parent: Some(parent_id),
            height: parent.height + 1,
            timestamp_ms,
            difficulty,
            harvester: Some(harvester),
            hash: super::rng::mix64(
                parent.hash ^ super::rng::mix64(((harvester as u64) << 48) ^ timestamp_ms),
            ),
            cumulative_score: parent.cumulative_score + block_score(difficulty, elapsed_s),
            cumulative_difficulty: parent.cumulative_difficulty + difficulty as u128,
            child_difficulty: 0,
            transactions,
            historical: false,
        };
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(block);
        // The window is the chain's last `difficulty_window_blocks - 1` blocks and the
        // new one: only its first block and its length matter (no copy of it is made).
        let window_start = chain
            .len()
            .saturating_sub(parameters.difficulty_window_blocks as usize - 1);
        let count = chain.len() - window_start + 1;
        let child_difficulty = if count < 2 {
            DIFFICULTY_DEFAULT
        } else {
            difficulty_over_window(self, chain[window_start], id, count, parameters)
        };
        self.blocks[id.get()].child_difficulty = child_difficulty;
        id
    }

    /// The run's blocks ending at `tip`, from the anchor (or just `tip` when it is a
    /// historical marker): index `i` holds height `anchor height + i`.
    pub fn chain_to(&self, tip: BlockId) -> Vec<BlockId> {
        let depth = (self.get(tip).height + 1).saturating_sub(self.initial_height);
        let mut chain = Vec::with_capacity(depth.max(1) as usize);
        let mut cursor = Some(tip);
        while let Some(id) = cursor {
            chain.push(id);
            cursor = self.get(id).parent;
        }
        chain.reverse();
        chain
    }
}

/// Block score = difficulty − seconds since the parent ([CS] `BlockScorer.cpp`).
///
/// The engine's rule: it takes the elapsed whole seconds, so it cannot see catapult's
/// zero score for a block no later than its parent; the engine never makes such a block
/// (a harvest fires at least a second after its parent). [`calculate_score`] is
/// catapult's function on timestamps.
pub fn block_score(difficulty: u64, elapsed_s: u64) -> u128 {
    (difficulty as u128).saturating_sub(elapsed_s as u128)
}

/// Catapult's `CalculateScore(parent, block)` ([CS] `chain/BlockScorer.cpp`): 0 unless
/// the block is later than its parent, else its difficulty minus the whole seconds
/// between the two (in catapult's `uint64_t`, so it wraps, though a difficulty ≥ 10^13
/// never meets that many seconds).
pub fn calculate_score(parent_timestamp_ms: u64, timestamp_ms: u64, difficulty: u64) -> u64 {
    if timestamp_ms <= parent_timestamp_ms {
        return 0;
    }
    difficulty.wrapping_sub((timestamp_ms - parent_timestamp_ms) / 1_000)
}

/// Clamps a difficulty to catapult's bounds (`Difficulty` is a `ClampedBaseValue`,
/// [CS] `types.h`: 10^13 to 10^15).
pub fn clamp_difficulty(difficulty: u64) -> u64 {
    difficulty.clamp(DIFFICULTY_MIN, DIFFICULTY_MAX)
}

/// One block's entry in catapult's block statistic cache: what the difficulty rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockStatistic {
    pub timestamp_ms: u64,
    pub difficulty: u64,
}

/// Catapult's `CalculateDifficulty(statistics, config)` ([CS]
/// `chain/BlockDifficultyScorer.cpp`), on a window already cut to at most
/// `maxDifficultyBlocks` statistics, oldest first.
///
/// Fewer than two statistics give [`DIFFICULTY_DEFAULT`]. Otherwise: the average
/// difficulty *rounded down first*, times the target time in ms and the number of
/// intervals, divided by the window's span in ms (rounded down); then clamped to 95–105 %
/// of the last difficulty (`19·last > 20·d ⇒ d = 19·last/20`, `21·last < 20·d ⇒
/// d = 21·last/20`) and to the global bounds. A zero span, where catapult would divide by
/// zero, is taken as 1 ms.
pub fn calculate_difficulty(statistics: &[BlockStatistic], block_time_ms: u64) -> u64 {
    let count = statistics.len() as u64;
    if count < 2 {
        return DIFFICULTY_DEFAULT;
    }
    let sum: u64 = statistics
        .iter()
        .map(|statistic| statistic.difficulty)
        .sum();
    let average = sum / count;
    let first = statistics[0];
    let last = statistics[statistics.len() - 1];
    let span_ms = (last.timestamp_ms - first.timestamp_ms).max(1);
    let scaled = average as u128 * block_time_ms as u128 * (count as u128 - 1) / span_ms as u128;
    // Catapult narrows the 128-bit value to 64 bits here; at our bounds it always fits.
    let mut difficulty = scaled.min(u64::MAX as u128) as u64;
    let previous = last.difficulty as u128;
    if 19 * previous > 20 * difficulty as u128 {
        difficulty = (19 * previous / 20) as u64;
    } else if 21 * previous < 20 * difficulty as u128 {
        difficulty = (21 * previous / 20) as u64;
    }
    clamp_difficulty(difficulty)
}

/// What [`next_difficulty`] reads from a window of blocks: kept as sums so that the
/// arena can fill it in O(1) from cumulative values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DifficultyWindow {
    /// Blocks in the window (the last one included).
    pub count: u64,
    /// Sum of their difficulties.
    pub difficulty_sum: u128,
    pub first_timestamp_ms: u64,
    pub last_timestamp_ms: u64,
    pub last_difficulty: u64,
}

impl DifficultyWindow {
    /// The window over these statistics, oldest first (for tests and tools).
    pub fn from_statistics(statistics: &[BlockStatistic]) -> DifficultyWindow {
        DifficultyWindow {
            count: statistics.len() as u64,
            difficulty_sum: statistics
                .iter()
                .map(|statistic| statistic.difficulty as u128)
                .sum(),
            first_timestamp_ms: statistics.first().map_or(0, |first| first.timestamp_ms),
            last_timestamp_ms: statistics.last().map_or(0, |last| last.timestamp_ms),
            last_difficulty: statistics.last().map_or(0, |last| last.difficulty),
        }
    }
}

/// The engine's difficulty rule on one window: the window average scaled by target
/// time over actual time, clamped to ±`change_limit_percent` % of the last difficulty and
/// to the global bounds; [`DIFFICULTY_DEFAULT`] for fewer than two blocks.
///
/// It differs from catapult's [`calculate_difficulty`] in one rounding only: it divides
/// the difficulty *sum* once (`sum·T·(n−1) / (n·span)`) where catapult first rounds the
/// average down, so the two can differ by a unit or so (out of 10^13–10^15); with a
/// limit of 5 % the clamps are the same integers.
pub fn window_difficulty(
    window: &DifficultyWindow,
    block_time_ms: u64,
    change_limit_percent: u64,
) -> u64 {
    let count = window.count as u128;
    if count < 2 {
        return DIFFICULTY_DEFAULT;
    }
    let time_span_ms = (window.last_timestamp_ms - window.first_timestamp_ms).max(1) as u128;
    let target_ms = block_time_ms as u128;
    let raw = window.difficulty_sum * target_ms * (count - 1) / (count * time_span_ms);
    let limit = change_limit_percent as u128;
    let previous = window.last_difficulty as u128;
    let lowest = previous * (100 - limit.min(99)) / 100;
    let highest = previous * (100 + limit) / 100;
    let clamped = raw.clamp(lowest, highest);
    clamped.clamp(DIFFICULTY_MIN as u128, DIFFICULTY_MAX as u128) as u64
}

/// The difficulty for a child of the last block of `chain` ([CS]
/// `BlockDifficultyScorer.cpp`): [`window_difficulty`] over the last
/// `difficulty_window_blocks` blocks of the chain.
pub fn next_difficulty(arena: &BlockArena, chain: &[BlockId], parameters: &ChainParameters) -> u64 {
    let count = chain
        .len()
        .min(parameters.difficulty_window_blocks as usize);
    if count < 2 {
        return DIFFICULTY_DEFAULT;
    }
    difficulty_over_window(
        arena,
        chain[chain.len() - count],
        chain[chain.len() - 1],
        count,
        parameters,
    )
}

/// [`next_difficulty`] for the window of `count` (at least 2) blocks of one chain from
/// `first_id` to `last_id`.
fn difficulty_over_window(
    arena: &BlockArena,
    first_id: BlockId,
    last_id: BlockId,
    count: usize,
    parameters: &ChainParameters,
) -> u64 {
    let last = arena.get(last_id);
    let first = arena.get(first_id);
    let mut window = DifficultyWindow {
        count: count as u64,
        difficulty_sum: last.cumulative_difficulty - first.cumulative_difficulty
            + first.difficulty as u128,
        first_timestamp_ms: first.timestamp_ms,
        last_timestamp_ms: last.timestamp_ms,
        last_difficulty: last.difficulty,
    };
    // A window that reaches back past the anchor into the history before time 0 is
    // filled with historical blocks: at the history's difficulty, one block time apart
    // (see `history.rs`), so a run starts at equilibrium with no transient.
    let window_blocks = parameters.difficulty_window_blocks;
    if first_id == BlockId::NEMESIS && first.height > 1 && window.count < window_blocks {
        let padding = (window_blocks - window.count).min(first.height - 1);
        window.count += padding;
        window.difficulty_sum += padding as u128 * first.difficulty as u128;
        window.last_timestamp_ms += padding * parameters.block_time_ms;
    }
    window_difficulty(
        &window,
        parameters.block_time_ms,
        parameters.difficulty_change_limit_percent,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};

    fn parameters() -> ChainParameters {
        validate(&presets::load_file("seed-fork").unwrap())
            .unwrap()
            .chain
    }

    fn chain_with_spacing(spacing_ms: u64, blocks: usize) -> (BlockArena, Vec<BlockId>) {
        let parameters = parameters();
        let mut arena = BlockArena::new(1);
        let mut chain = vec![BlockId::NEMESIS];
        for index in 1..=blocks {
            let id = arena.harvest(
                &chain,
                0,
                index as u64 * spacing_ms,
                Box::new([]),
                &parameters,
            );
            chain.push(id);
        }
        (arena, chain)
    }

    #[test]
    fn on_target_spacing_keeps_difficulty_steady() {
        let (arena, chain) = chain_with_spacing(15_000, 80);
        let tip = arena.get(*chain.last().unwrap());
        let drift = tip.child_difficulty as f64 / DIFFICULTY_DEFAULT as f64;
        assert!((drift - 1.0).abs() < 0.02, "drift {drift}");
    }

    #[test]
    fn slow_blocks_lower_difficulty_at_most_five_percent_a_block() {
        let (arena, chain) = chain_with_spacing(60_000, 10);
        let mut previous = DIFFICULTY_DEFAULT;
        for id in &chain[1..] {
            let block = arena.get(*id);
            assert!(block.difficulty <= previous);
            assert!(block.difficulty as f64 >= previous as f64 * 0.95 - 1.0);
            previous = block.difficulty;
        }
        assert!(arena.get(*chain.last().unwrap()).child_difficulty < DIFFICULTY_DEFAULT);
    }

    #[test]
    fn difficulty_stays_within_global_bounds() {
        let (arena, chain) = chain_with_spacing(600_000, 200);
        assert_eq!(
            arena.get(*chain.last().unwrap()).child_difficulty,
            DIFFICULTY_MIN
        );
        let (arena, chain) = chain_with_spacing(1_000, 200);
        assert!(arena.get(*chain.last().unwrap()).child_difficulty <= DIFFICULTY_MAX);
    }

    #[test]
    fn a_faster_block_scores_higher() {
        assert!(block_score(DIFFICULTY_DEFAULT, 10) > block_score(DIFFICULTY_DEFAULT, 20));
    }

    #[test]
    fn chain_to_walks_back_to_nemesis() {
        let (arena, chain) = chain_with_spacing(15_000, 5);
        assert_eq!(arena.chain_to(*chain.last().unwrap()), chain);
        assert_eq!(arena.get(chain[3]).height, 4);
    }
}
