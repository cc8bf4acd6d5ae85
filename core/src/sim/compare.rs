//! Chain comparison as catapult's synchronizer does it before pulling blocks ([CS]
//! `src/catapult/chain/CompareChains.cpp`, `CompareChains` and its
//! `CompareChainsContext`): compare the two chains' statistics, then search the hashes
//! from the local finalized height upwards, batch by batch, for the last common block.
//!
//! Purpose: one pure function the engine's sync rule can call, on abstract inputs
//! (heights, scores, "hashes from height h") rather than on network messages, so that
//! catapult's own test cases (`tests/catapult/chain/CompareChainsTests.cpp`) can be
//! checked against it (tests/catapult_rules.rs).
//!
//! Invariants: pure and synchronous; a chain is asked for its statistics once at the
//! start, the local chain once more when the remote claims a better score but shows no
//! new block (catapult's "local score updated" check); heights start at 1 (nemesis).
//!
//! Left out: catapult's exceptions from a failed `chainStatistics` or `hashesFrom` call
//! (the simulator's chains always answer; lost messages are modelled by the engine), and
//! the asynchronous futures. Every one of catapult's eight `ChainComparisonCode`s is kept:
//! the "evil remote" codes only arise from a remote that returns hashes that do not
//! match its claimed score, which the simulator's honest nodes never do, but they cost
//! nothing and keep the mirror exact.

/// Catapult's `ChainComparisonCode` ([CS] `chain/ChainComparisonCode.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChainComparisonCode {
    /// Remote and local reported equal chain scores (nothing to pull).
    RemoteReportedEqualChainScore,
    /// The remote reported a lower chain score (nothing to pull).
    RemoteReportedLowerChainScore,
    /// The local score rose while comparing (the remote is not punished).
    LocalScoreUpdated,
    /// The remote's height is at or below the local finalized height.
    RemoteIsTooFarBehind,
    /// The remote has a better chain: pull from the common block.
    RemoteIsNotSynced,
    /// The remote returned no hashes or more than asked for.
    RemoteReturnedTooManyHashes,
    /// The remote's first hash (at the local finalized height) is not ours: it is forked
    /// below what we have finalized.
    RemoteIsForked,
    /// The remote claimed a better score but its hashes show no block we lack.
    RemoteLiedAboutChainScore,
}

impl ChainComparisonCode {
    /// Catapult's `IsRemoteOutOfSync` (the `Remote_Is_Out_Of_Sync_Flag` codes).
    pub fn is_remote_out_of_sync(self) -> bool {
        matches!(
            self,
            ChainComparisonCode::RemoteIsTooFarBehind | ChainComparisonCode::RemoteIsNotSynced
        )
    }

    /// Catapult's `IsRemoteEvil` (the `Remote_Is_Evil_Flag` codes).
    pub fn is_remote_evil(self) -> bool {
        matches!(
            self,
            ChainComparisonCode::RemoteReturnedTooManyHashes
                | ChainComparisonCode::RemoteIsForked
                | ChainComparisonCode::RemoteLiedAboutChainScore
        )
    }
}

/// A chain's height and score (catapult's `api::ChainStatistics`; the score is 128-bit
/// like `model::ChainScore`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainStatistics {
    pub height: u64,
    pub score: u128,
}

/// One side of the comparison (catapult's `api::ChainApi`, the two calls it uses).
pub trait ChainApi {
    /// What identifies a block; two chains share a block when these are equal.
    type Hash: PartialEq;

    /// Height and score now.
    fn chain_statistics(&mut self) -> ChainStatistics;

    /// Replaces `out` with the hashes of heights `height, height + 1, …`: at most
    /// `max_hashes` of them for an honest chain, fewer at its tip, none past it.
    fn hashes_from(&mut self, height: u64, max_hashes: u32, out: &mut Vec<Self::Hash>);
}

/// A chain held as a slice: `hashes[h − 1]` identifies the block at height `h`, the
/// height is the slice's length. The engine can pass a node's chain of block ids.
#[derive(Clone, Copy, Debug)]
pub struct SliceChain<'a, H> {
    pub hashes: &'a [H],
    pub score: u128,
}

impl<H: PartialEq + Clone> ChainApi for SliceChain<'_, H> {
    type Hash = H;

    fn chain_statistics(&mut self) -> ChainStatistics {
        ChainStatistics {
            height: self.hashes.len() as u64,
            score: self.score,
        }
    }

    fn hashes_from(&mut self, height: u64, max_hashes: u32, out: &mut Vec<H>) {
        out.clear();
        let length = self.hashes.len() as u64;
        if height == 0 || height > length {
            return;
        }
        let end = length.min(height - 1 + max_hashes as u64);
        out.extend_from_slice(&self.hashes[(height - 1) as usize..end as usize]);
    }
}

/// A chain given by its height, score and a "hash at height" function (`None` past the
/// tip).
pub struct FnChain<F> {
    pub height: u64,
    pub score: u128,
    pub hash_at: F,
}

impl<H: PartialEq, F: FnMut(u64) -> Option<H>> ChainApi for FnChain<F> {
    type Hash = H;

    fn chain_statistics(&mut self) -> ChainStatistics {
        ChainStatistics {
            height: self.height,
            score: self.score,
        }
    }

    fn hashes_from(&mut self, height: u64, max_hashes: u32, out: &mut Vec<H>) {
        out.clear();
        for offset in 0..max_hashes as u64 {
            match (self.hash_at)(height + offset) {
                Some(hash) => out.push(hash),
                None => break,
            }
        }
    }
}

/// Catapult's `CompareChainsOptions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompareChainsOptions {
    /// `HashesPerBatch` (catapult's `maxHashesPerSyncAttempt`).
    pub hashes_per_batch: u32,
    /// What `FinalizedHeightSupplier` returns: the local node's last finalized height
    /// (1 when only the nemesis block is final). The search never goes below it.
    pub local_finalized_height: u64,
}

/// Catapult's `CompareChainsResult`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompareChainsResult {
    pub code: ChainComparisonCode,
    /// The last block both chains hold; only for [`ChainComparisonCode::RemoteIsNotSynced`]
    /// (catapult reports `Height(-1)` otherwise).
    pub common_block_height: Option<u64>,
    /// Local blocks above the common block (to roll back); 0 unless not synced.
    pub fork_depth: u64,
}

impl CompareChainsResult {
    fn finished(code: ChainComparisonCode) -> CompareChainsResult {
        CompareChainsResult {
            code,
            common_block_height: None,
            fork_depth: 0,
        }
    }
}

/// The number of leading positions where two hash lists agree (catapult's
/// `FindFirstDifferenceIndex`).
fn first_difference_index<H: PartialEq>(local: &[H], remote: &[H]) -> usize {
    local
        .iter()
        .zip(remote)
        .take_while(|(local, remote)| local == remote)
        .count()
}

/// Compares `local` with `remote` as catapult's `CompareChains` does ([CS]
/// `chain/CompareChains.cpp`):
///
/// 1. *Statistics* (`compareChainStatistics`): a remote at or below the local finalized
///    height is [`RemoteIsTooFarBehind`](ChainComparisonCode::RemoteIsTooFarBehind); a
///    remote score that is not strictly higher ends with
///    [`RemoteReportedEqualChainScore`](ChainComparisonCode::RemoteReportedEqualChainScore)
///    or [`RemoteReportedLowerChainScore`](ChainComparisonCode::RemoteReportedLowerChainScore).
/// 2. *Hashes* (`compareHashes`), first batch from the finalized height: a remote batch
///    that is empty or longer than asked for is evil; a first batch whose very first hash
///    differs is [`RemoteIsForked`](ChainComparisonCode::RemoteIsForked). Then a bisection
///    between the finalized height and the local height: a batch that differs from its
///    start searches lower, one that fully agrees and stops short of both heights searches
///    higher; a batch that differs inside gives the common block
///    ([`RemoteIsNotSynced`](ChainComparisonCode::RemoteIsNotSynced), fork depth from the
///    local height, raised to the height the local hashes showed). Asking twice from the
///    same height means the remote lied.
/// 3. *Local score* (`compareLocalScore`): when the remote's hashes contain all of ours
///    and reach its claimed height, the local score is read again:
///    [`LocalScoreUpdated`](ChainComparisonCode::LocalScoreUpdated) if it rose, else
///    [`RemoteLiedAboutChainScore`](ChainComparisonCode::RemoteLiedAboutChainScore).
pub fn compare_chains<L, R>(
    local: &mut L,
    remote: &mut R,
    options: CompareChainsOptions,
) -> CompareChainsResult
where
    L: ChainApi,
    R: ChainApi<Hash = L::Hash>,
{
    let mut buffers = (Vec::new(), Vec::new());
    compare_chains_reusing(local, remote, options, &mut buffers)
}

/// [`compare_chains`] with the two hash buffers passed in (cleared and filled batch by
/// batch), so a caller that compares on every sync round allocates nothing.
pub fn compare_chains_reusing<L, R>(
    local: &mut L,
    remote: &mut R,
    options: CompareChainsOptions,
    buffers: &mut (Vec<L::Hash>, Vec<L::Hash>),
) -> CompareChainsResult
where
    L: ChainApi,
    R: ChainApi<Hash = L::Hash>,
{
    compare_chains_in_batches(
        &mut HashBatches {
            local,
            remote,
            buffers,
        },
        options,
    )
}

/// What one batch of the hash search saw: how many hashes each side returned from the
/// starting height, and how many leading ones agree (catapult's
/// `FindFirstDifferenceIndex`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchComparison {
    pub local_count: usize,
    pub remote_count: usize,
    pub agreeing: usize,
}

/// The two chains as the search sees them: their statistics, one batch at a time, and
/// the local score read again. [`compare_chains_reusing`] asks real hashes
/// ([`HashBatches`]); a caller that knows where two chains part can answer a batch
/// without listing hashes (the simulator's sync rule does), and gets the same result
/// from the same search.
pub trait BatchSource {
    /// The local chain's statistics, then the remote's (asked once, at the start).
    fn statistics(&mut self) -> (ChainStatistics, ChainStatistics);
    /// Both chains' hashes from `starting_height`, at most `max_hashes` asked of each.
    fn compare_batch(&mut self, starting_height: u64, max_hashes: u32) -> BatchComparison;
    /// The local score now (catapult's `compareLocalScore` reads it again).
    fn local_score_now(&mut self) -> u128;
}

/// Two [`ChainApi`]s compared through their hashes, with reused buffers.
struct HashBatches<'a, L: ChainApi, R> {
    local: &'a mut L,
    remote: &'a mut R,
    buffers: &'a mut (Vec<L::Hash>, Vec<L::Hash>),
}

impl<L, R> BatchSource for HashBatches<'_, L, R>
where
    L: ChainApi,
    R: ChainApi<Hash = L::Hash>,
{
    fn statistics(&mut self) -> (ChainStatistics, ChainStatistics) {
        (
            self.local.chain_statistics(),
            self.remote.chain_statistics(),
        )
    }

    fn compare_batch(&mut self, starting_height: u64, max_hashes: u32) -> BatchComparison {
        let (local_hashes, remote_hashes) = &mut *self.buffers;
        self.local
            .hashes_from(starting_height, max_hashes, local_hashes);
        self.remote
            .hashes_from(starting_height, max_hashes, remote_hashes);
        BatchComparison {
            local_count: local_hashes.len(),
            remote_count: remote_hashes.len(),
            agreeing: first_difference_index(local_hashes, remote_hashes),
        }
    }

    fn local_score_now(&mut self) -> u128 {
        self.local.chain_statistics().score
    }
}

/// Catapult's comparison (see [`compare_chains`]) over any [`BatchSource`].
pub fn compare_chains_in_batches(
    source: &mut impl BatchSource,
    options: CompareChainsOptions,
) -> CompareChainsResult {
    use ChainComparisonCode::*;

    let finalized_height = options.local_finalized_height;
    let (local_statistics, remote_statistics) = source.statistics();
    if remote_statistics.height <= finalized_height {
        return CompareChainsResult::finished(RemoteIsTooFarBehind);
    }
    if remote_statistics.score <= local_statistics.score {
        return CompareChainsResult::finished(
            if remote_statistics.score == local_statistics.score {
                RemoteReportedEqualChainScore
            } else {
                RemoteReportedLowerChainScore
            },
        );
    }

    let original_local_score = local_statistics.score;
    let mut local_height = local_statistics.height;
    let remote_height = remote_statistics.height;
    let mut lower_bound = finalized_height;
    let mut upper_bound = local_height;
    let mut starting_height = finalized_height;
    let mut first_batch = true;
    let batch = options.hashes_per_batch;

    loop {
        let seen = source.compare_batch(starting_height, batch);
        if seen.remote_count > batch as usize || seen.remote_count == 0 {
            return CompareChainsResult::finished(RemoteReturnedTooManyHashes);
        }

        // At least the first block (the finalized one) must be shared.
        let difference = seen.agreeing;
        if first_batch && difference == 0 {
            return CompareChainsResult::finished(RemoteIsForked);
        }

        let next_start = if difference == 0 {
            // Search the previous hashes for the first common block.
            upper_bound = starting_height;
            (lower_bound + starting_height) / 2
        } else {
            // The remote may return fewer hashes than asked for, hence the minimum.
            let shown = seen.local_count.min(seen.remote_count) as u64;
            let local_height_from_hashes = starting_height + shown - 1;
            if difference == seen.remote_count {
                if local_height_from_hashes >= local_height {
                    if local_height_from_hashes < remote_height {
                        // One more batch, from just below, to see the remote's next block.
                        local_height_from_hashes - 1
                    } else {
                        let current_local_score = source.local_score_now();
                        return CompareChainsResult::finished(
                            if current_local_score > original_local_score {
                                LocalScoreUpdated
                            } else {
                                RemoteLiedAboutChainScore
                            },
                        );
                    }
                } else {
                    // Search the next hashes for the first different block.
                    lower_bound = starting_height;
                    (starting_height + upper_bound) / 2
                }
            } else {
                let common_block_height = starting_height + difference as u64 - 1;
                local_height = local_height.max(local_height_from_hashes);
                return CompareChainsResult {
                    code: RemoteIsNotSynced,
                    common_block_height: Some(common_block_height),
                    fork_depth: local_height - common_block_height,
                };
            }
        };

        // `tryContinue`: asking from the same height again would loop forever.
        if next_start == starting_height {
            return CompareChainsResult::finished(RemoteLiedAboutChainScore);
        }
        starting_height = next_start;
        first_batch = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_chain_serves_batches_from_height_one() {
        let hashes = [10u64, 11, 12, 13];
        let mut chain = SliceChain {
            hashes: &hashes,
            score: 5,
        };
        let mut out = Vec::new();
        chain.hashes_from(2, 2, &mut out);
        assert_eq!(out, [11, 12]);
        chain.hashes_from(3, 10, &mut out);
        assert_eq!(out, [12, 13]);
        chain.hashes_from(5, 10, &mut out);
        assert!(out.is_empty());
        assert_eq!(
            chain.chain_statistics(),
            ChainStatistics {
                height: 4,
                score: 5
            }
        );
    }

    #[test]
    fn fn_chain_and_slice_chain_agree() {
        let local = [1u64, 2, 3, 4, 5, 6];
        let remote = [1u64, 2, 3, 9, 10, 11, 12];
        let options = CompareChainsOptions {
            hashes_per_batch: 3,
            local_finalized_height: 1,
        };
        let by_slice = compare_chains(
            &mut SliceChain {
                hashes: &local,
                score: 10,
            },
            &mut SliceChain {
                hashes: &remote,
                score: 11,
            },
            options,
        );
        let by_fn = compare_chains(
            &mut FnChain {
                height: 6,
                score: 10,
                hash_at: |height: u64| local.get(height as usize - 1).copied(),
            },
            &mut FnChain {
                height: 7,
                score: 11,
                hash_at: |height: u64| remote.get(height as usize - 1).copied(),
            },
            options,
        );
        assert_eq!(by_slice, by_fn);
        assert_eq!(by_slice.code, ChainComparisonCode::RemoteIsNotSynced);
        assert_eq!(by_slice.common_block_height, Some(3));
        assert_eq!(by_slice.fork_depth, 3);
    }

    #[test]
    fn codes_are_flagged_like_catapult() {
        use ChainComparisonCode::*;
        for code in [RemoteIsTooFarBehind, RemoteIsNotSynced] {
            assert!(code.is_remote_out_of_sync() && !code.is_remote_evil());
        }
        for code in [
            RemoteReturnedTooManyHashes,
            RemoteIsForked,
            RemoteLiedAboutChainScore,
        ] {
            assert!(code.is_remote_evil() && !code.is_remote_out_of_sync());
        }
        for code in [
            RemoteReportedEqualChainScore,
            RemoteReportedLowerChainScore,
            LocalScoreUpdated,
        ] {
            assert!(!code.is_remote_evil() && !code.is_remote_out_of_sync());
        }
    }
}
