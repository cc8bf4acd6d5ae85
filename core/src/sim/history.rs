//! The chain's history before time 0 (`chain.initial_height`), kept virtual.
//!
//! A production chain is long: a year at 15 s is about 2.1 M blocks. Every running node
//! holds the same history at time 0, so the simulator never stores it block by block:
//! the run's first block in the arena (the *anchor*, [`super::chain::BlockId::NEMESIS`])
//! stands for the last historical block at height `initial_height`, and any lower
//! historical height is a number. What history costs is what it costs in Catapult: a
//! node that lacks part of it (disk loss without a snapshot, a resync, a restore from an
//! old snapshot) pulls every missing block, `max_blocks_per_sync` per sync round, paced
//! by `block_processing` per block ([CS] `ChainSynchronizer.cpp`: the synchronizer keeps
//! pulling while earlier batches are processed, so catch-up runs at the lower of the two
//! rates). One sync round moves a batch of historical blocks, so catching up N blocks is
//! about N / `max_blocks_per_sync` rounds, not N events.
//!
//! Invariants: historical blocks are identical on every node (history never forks);
//! their difficulty is the equilibrium difficulty for the network's stake, so the run
//! has no start-up transient (the first real blocks already come at about the block
//! time); their scores grow by the same amount per block, so a node that lacks history
//! always has a lower chain score than one that holds it. With `initial_height` 1 the
//! anchor is the nemesis block (difficulty 1e14) and nothing here changes a run.

use super::chain::DIFFICULTY_DEFAULT;
use super::chain::{DIFFICULTY_MAX, DIFFICULTY_MIN};
use super::harvest::HarvestCurve;

/// Catapult's `prevoteBlocksMultiple` ([CS] `config-finalization.properties`: 4): a
/// finalization prevote stops at least this many blocks below the tip, on a multiple of it.
pub const PREVOTE_BLOCKS_MULTIPLE: u64 = 4;

/// The virtual history of one run.
#[derive(Clone, Debug)]
pub struct History {
    /// The height of the anchor, the last historical block (1: the nemesis block).
    pub initial_height: u64,
    /// The anchor's difficulty, and every historical block's.
    pub difficulty: u64,
    /// The block time, in whole seconds, between historical blocks.
    block_time_s: u64,
}

impl History {
    /// The history a run with this height at time 0 starts from. Its difficulty is the
    /// equilibrium for harvesters holding all the stake (see [`equilibrium_difficulty`]).
    pub fn new(initial_height: u64, block_time_ms: u64, curve: &HarvestCurve) -> History {
        let difficulty = if initial_height > 1 {
            equilibrium_difficulty(curve, block_time_ms)
        } else {
            DIFFICULTY_DEFAULT
        };
        History {
            initial_height: initial_height.max(1),
            difficulty,
            block_time_s: (block_time_ms / 1_000).max(1),
        }
    }

    /// No history: the run starts at the nemesis block.
    pub fn nemesis() -> History {
        History {
            initial_height: 1,
            difficulty: DIFFICULTY_DEFAULT,
            block_time_s: 1,
        }
    }

    /// True when the run starts past the nemesis block.
    pub fn is_virtual(&self) -> bool {
        self.initial_height > 1
    }

    /// One historical block's score: its difficulty minus the seconds since its parent
    /// ([CS] `BlockScorer.cpp: CalculateScore`).
    pub fn block_score(&self) -> u128 {
        (self.difficulty as u128).saturating_sub(self.block_time_s as u128)
    }

    /// The chain score of the historical chain up to `height` (≤ `initial_height`): the
    /// nemesis block's score plus one block score per later block.
    pub fn score_at(&self, height: u64) -> u128 {
        DIFFICULTY_DEFAULT as u128 + height.saturating_sub(1) as u128 * self.block_score()
    }

    /// The historical height a snapshot taken `age_ms` before time 0 holds (at least 1).
    pub fn height_before_start(&self, age_ms: u64) -> u64 {
        self.initial_height
            .saturating_sub(age_ms / (self.block_time_s * 1_000))
            .max(1)
    }

    /// The height finalized at time 0 when finalization is on: the last epoch boundary
    /// (a multiple of `voting_set_grouping_blocks`) at or below the highest height a
    /// prevote could reach, `initial_height − 4` rounded down to a multiple of 4
    /// ([CS] `FinalizationMessageFactory.cpp: loadPrevoteHashChain`). 1 when the run
    /// starts at the nemesis block.
    pub fn initial_finalized_height(&self, voting_set_grouping_blocks: u64) -> u64 {
        if !self.is_virtual() {
            return 1;
        }
        let reachable = prevote_limit(self.initial_height);
        let grouping = voting_set_grouping_blocks.max(1);
        (reachable / grouping * grouping).max(1)
    }
}

/// The highest height a prevote of a chain this tall may name, before the epoch and
/// hash-count caps: `height − prevoteBlocksMultiple` rounded down to a multiple of it
/// ([CS] `FinalizationMessageFactory.cpp: loadPrevoteHashChain`; a chain shorter than the
/// multiple names its own height).
pub fn prevote_limit(chain_height: u64) -> u64 {
    let multiple = PREVOTE_BLOCKS_MULTIPLE;
    let highest = if chain_height >= multiple {
        chain_height - multiple
    } else {
        chain_height
    };
    if highest % multiple == 0 {
        highest
    } else {
        highest / multiple * multiple
    }
}

/// The difficulty at which harvesters holding all the stake make a block every
/// `block_time_ms` on average: the expected first whole second `t` with hit < target
/// (`Σ_{t≥0} P(no block by t)`, P from the PoS+ rule of [`HarvestCurve`]) plus half a
/// second for the once-a-second harvest tick, solved by bisection on the difficulty.
/// Catapult's difficulty rule settles there ([CS] `BlockDifficultyScorer.cpp`), so a
/// chain that has run for a while carries it.
pub fn equilibrium_difficulty(curve: &HarvestCurve, block_time_ms: u64) -> u64 {
    let target_s = block_time_ms as f64 / 1_000.0 - 0.5;
    let expected_s = |difficulty: f64| -> f64 {
        let mut total = 0.0;
        let mut elapsed_s = 0u64;
        loop {
            let survival = curve.probability_no_block_by(elapsed_s, &[1.0], difficulty as u64);
            total += survival;
            if survival < 1e-12 || elapsed_s > 100_000 {
                return total;
            }
            elapsed_s += 1;
        }
    };
    let (mut low, mut high) = (
        libm::log(DIFFICULTY_MIN as f64),
        libm::log(DIFFICULTY_MAX as f64),
    );
    if expected_s(DIFFICULTY_MIN as f64) >= target_s {
        return DIFFICULTY_MIN;
    }
    if expected_s(DIFFICULTY_MAX as f64) <= target_s {
        return DIFFICULTY_MAX;
    }
    for _ in 0..60 {
        let middle = (low + high) / 2.0;
        if expected_s(libm::exp(middle)) < target_s {
            low = middle;
        } else {
            high = middle;
        }
    }
    libm::exp((low + high) / 2.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prevotes_stop_four_blocks_below_the_tip_on_a_multiple_of_four() {
        // loadPrevoteHashChain: height − 4, clamped down to a multiple of 4.
        assert_eq!(prevote_limit(100), 96);
        assert_eq!(prevote_limit(103), 96);
        assert_eq!(prevote_limit(104), 100);
        assert_eq!(prevote_limit(3), 0);
        assert_eq!(prevote_limit(4), 0);
    }

    #[test]
    fn the_equilibrium_difficulty_gives_the_block_time() {
        let curve = HarvestCurve::new(15.0, 3.0);
        let difficulty = equilibrium_difficulty(&curve, 15_000);
        assert!((DIFFICULTY_MIN..=DIFFICULTY_MAX).contains(&difficulty));
        // Σ P(no block by t) + 0.5 s is 15 s at that difficulty.
        let expected: f64 = (0..2_000)
            .map(|t| curve.probability_no_block_by(t, &[1.0], difficulty))
            .sum();
        assert!((expected + 0.5 - 15.0).abs() < 0.01, "{expected}");
        // A slower target needs a higher difficulty.
        let slower = equilibrium_difficulty(&HarvestCurve::new(30.0, 3.0), 30_000);
        assert!(slower > difficulty);
    }

    #[test]
    fn history_scores_and_snapshot_heights() {
        let curve = HarvestCurve::new(15.0, 3.0);
        let history = History::new(2_102_400, 15_000, &curve);
        assert!(history.is_virtual());
        assert!(history.score_at(2_102_400) > history.score_at(2_102_399));
        assert_eq!(history.score_at(1), DIFFICULTY_DEFAULT as u128);
        // A snapshot taken 2 h before time 0 holds 480 blocks less.
        assert_eq!(history.height_before_start(2 * 3_600_000), 2_102_400 - 480);
        assert_eq!(history.height_before_start(u64::MAX / 2), 1);
        // 2,102,396 rounded down to an epoch of 160 blocks.
        assert_eq!(history.initial_finalized_height(160), 2_102_240);
        let nemesis = History::new(1, 15_000, &curve);
        assert!(!nemesis.is_virtual());
        assert_eq!(nemesis.difficulty, DIFFICULTY_DEFAULT);
        assert_eq!(nemesis.initial_finalized_height(160), 1);
    }
}
