//! PoS+ harvesting: when a harvester's hit falls below its target (shared/domain.md §2).
//!
//! Catapult checks `hit < target` once a second, with `hit = 2^54·|ln(u)|` fixed per
//! parent and harvester (a VRF), and `target = t·I·M(t)·8_999_999_998 / (I_total·D)`,
//! `M(t) = 2^64·min(e^{k(t−T)/T}, 100)`. Dividing both sides by 2^54 gives the
//! equivalent `E < λ(t)` with `E ~ Exp(1)` and
//! `λ(t) = scale · w(t)`, `scale = 8_999_999_998·2^10·share / D`,
//! `w(t) = t·min(e^{k(t−T)/T}, 100)`.
//! `w` depends only on the chain's target time and smoothing factor, so
//! [`HarvestCurve`] tabulates it once per run; λ grows with t, so the first whole second
//! that satisfies the rule is found by binary search in that table.
//!
//! Invariant: the result depends only on its inputs; `libm` keeps `exp` identical
//! natively and in WebAssembly.

/// `8_999_999_998 · 2^10`: the target's constant once hit and target are divided by 2^54.
const TARGET_SCALE: f64 = 8_999_999_998.0 * 1024.0;
/// The multiplier's cap ([CS] `BlockScorer.cpp`).
const MULTIPLIER_CAP: f64 = 100.0;
/// Below this the multiplier is 0 ([CS] `BlockScorer.cpp`: a power of two below −5).
const MULTIPLIER_FLOOR: f64 = 1.0 / 32.0;
/// Past this many seconds a harvester is treated as never firing (its share is ~0).
pub const FIRE_SECONDS_MAX: u64 = 10_000_000;
/// Longest table kept; past it the multiplier is taken as its last value.
const TABLE_SECONDS_MAX: usize = 100_000;

/// `w(t)` for one chain: tabulated until the multiplier reaches its cap.
#[derive(Clone, Debug)]
pub struct HarvestCurve {
    /// `weights[t] = w(t)`.
    weights: Vec<f64>,
    /// The multiplier from the end of the table on.
    tail_multiplier: f64,
}

impl HarvestCurve {
    pub fn new(target_s: f64, smoothing_factor: f64) -> HarvestCurve {
        // [CS] `BlockScorer.cpp: GetMultiplier`: capped at 100, and 0 below 2^-5 (a
        // smoothing factor above about 3.47 reaches that floor early in the interval).
        let multiplier = |elapsed: f64| {
            let value = libm::exp(smoothing_factor * (elapsed - target_s) / target_s);
            if smoothing_factor > 0.0 && value < MULTIPLIER_FLOOR {
                0.0
            } else {
                value.min(MULTIPLIER_CAP)
            }
        };
        let mut weights = vec![0.0];
        let mut tail_multiplier = multiplier(0.0);
        for elapsed_s in 1..=TABLE_SECONDS_MAX {
            let value = multiplier(elapsed_s as f64);
            weights.push(elapsed_s as f64 * value);
            tail_multiplier = value;
            // Once capped (or flat, with no smoothing) it stays so: the tail is linear.
            if value >= MULTIPLIER_CAP || (smoothing_factor <= 0.0 && elapsed_s > 1) {
                break;
            }
        }
        HarvestCurve {
            weights,
            tail_multiplier,
        }
    }

    /// `w(t) = t·min(e^{k(t−T)/T}, 100)`.
    pub fn weight(&self, elapsed_s: u64) -> f64 {
        match self.weights.get(elapsed_s as usize) {
            Some(&weight) => weight,
            None => elapsed_s as f64 * self.tail_multiplier,
        }
    }

    /// λ(t) for a harvester with this `share` of all importance at difficulty `difficulty`.
    pub fn lambda(&self, elapsed_s: u64, share: f64, difficulty: u64) -> f64 {
        scale(share, difficulty) * self.weight(elapsed_s)
    }

    /// The first whole second `t ≥ 1` after the parent at which `hit < target`, or
    /// `None` when it would take longer than [`FIRE_SECONDS_MAX`].
    pub fn first_firing_second(
        &self,
        exponential_draw: f64,
        share: f64,
        difficulty: u64,
    ) -> Option<u64> {
        let scale = scale(share, difficulty);
        if scale <= 0.0 || !scale.is_finite() {
            return None;
        }
        let fires = |elapsed_s: u64| exponential_draw < scale * self.weight(elapsed_s);
        let last = self.weights.len() as u64 - 1;
        if last >= 1 && fires(last) {
            // Binary search in the table: fires(low) is false (or low == 0), fires(high) true.
            let (mut low, mut high) = (0u64, last);
            while high - low > 1 {
                let middle = low + (high - low) / 2;
                if fires(middle) {
                    high = middle;
                } else {
                    low = middle;
                }
            }
            return Some(high.max(1));
        }
        // The linear tail: w(t) = t·m, so the answer is near draw / (scale·m).
        let estimate = exponential_draw / (scale * self.tail_multiplier);
        if !estimate.is_finite() || estimate > FIRE_SECONDS_MAX as f64 {
            return None;
        }
        let mut candidate = (estimate as u64).max(last + 1).saturating_sub(1).max(1);
        while !fires(candidate) {
            candidate += 1;
            if candidate > FIRE_SECONDS_MAX {
                return None;
            }
        }
        while candidate > 1 && fires(candidate - 1) {
            candidate -= 1;
        }
        Some(candidate)
    }

    /// [`Self::first_firing_second`] for the draw of this generation hash
    /// (`hit_to_exponential(calculate_hit(generation_hash))`), the same answer in every
    /// case, usually without catapult's integer logarithm.
    ///
    /// The integer hit takes 54 dependent squarings, about a tenth of a large run's time
    /// (every node plans once per new tip). [`approximate_exponential`] is within
    /// [`APPROXIMATION_MARGIN`] of that draw. The answer is the first second `s ≥ 1` with
    /// `draw < λ(s)`, and λ never falls (the smoothing factor is at least 0), so when the
    /// whole margin lies below λ(s) and at or above λ(s − 1), the exact draw's answer is
    /// `s` too. Only a draw closer than the margin to a boundary (a few in a million),
    /// or one that never fires, pays for the exact hit.
    pub fn first_firing_second_for_hash(
        &self,
        generation_hash: &[u8; 32],
        share: f64,
        difficulty: u64,
    ) -> Option<u64> {
        self.first_firing_second_from_estimate(
            approximate_exponential(generation_hash),
            || *generation_hash,
            share,
            difficulty,
        )
    }

    /// [`Self::first_firing_second_for_hash`] for a generation hash known by its first
    /// 8 bytes, `first_word` (big-endian), with the whole hash made by `whole_hash` only
    /// when those bytes do not hold the 32 hit bits (a hash starting with 32 zero bits)
    /// or the exact hit is needed. When the first set bit is among the first 32, the hit
    /// bits [`hit_bits`] reads are the 32 bits of `first_word` from it on.
    pub fn first_firing_second_for_first_word(
        &self,
        first_word: u64,
        whole_hash: impl FnOnce() -> [u8; 32],
        share: f64,
        difficulty: u64,
    ) -> Option<u64> {
        let zeros = first_word.leading_zeros();
        if zeros >= 32 {
            return self.first_firing_second_for_hash(&whole_hash(), share, difficulty);
        }
        let value = (first_word << zeros >> 32) as u32;
        self.first_firing_second_from_estimate(
            approximate_exponential_of_bits(value, zeros),
            whole_hash,
            share,
            difficulty,
        )
    }

    /// The shared part of the two above: `estimate` is [`approximate_exponential`] of
    /// the hash `whole_hash` makes.
    fn first_firing_second_from_estimate(
        &self,
        estimate: Option<f64>,
        whole_hash: impl FnOnce() -> [u8; 32],
        share: f64,
        difficulty: u64,
    ) -> Option<u64> {
        if let Some(estimate) = estimate {
            let margin = APPROXIMATION_MARGIN * (1.0 + estimate);
            if let Some(second) = self.first_firing_second(estimate, share, difficulty) {
                let lambda = |elapsed_s: u64| scale(share, difficulty) * self.weight(elapsed_s);
                let settled = second < FIRE_SECONDS_MAX
                    && estimate + margin < lambda(second)
                    && (second == 1 || estimate - margin >= lambda(second - 1));
                if settled {
                    return Some(second);
                }
            }
        }
        let draw = hit_to_exponential(calculate_hit(&whole_hash()));
        self.first_firing_second(draw, share, difficulty)
    }

    /// Probability that no harvester has fired by `elapsed_s`: `exp(−Σλ)`.
    pub fn probability_no_block_by(&self, elapsed_s: u64, shares: &[f64], difficulty: u64) -> f64 {
        let total: f64 = shares
            .iter()
            .map(|&share| self.lambda(elapsed_s, share, difficulty))
            .sum();
        libm::exp(-total)
    }
}

fn scale(share: f64, difficulty: u64) -> f64 {
    TARGET_SCALE * share / difficulty as f64
}

// ---------------------------------------------------------------------------------------
// Catapult's integer rule, as [CS] `src/catapult/chain/BlockScorer.cpp` computes it.
//
// The engine's [`HarvestCurve`] is the real-valued form of this rule; the functions below
// keep catapult's integer and fixed-point arithmetic so its unit tests' numbers can be
// checked through our code (tests/catapult_rules.rs), and so a hit can be computed from a
// generation hash as catapult does.
// ---------------------------------------------------------------------------------------

/// 2^54: the hit's scale (`hit = 2^54·|ln(x)|`).
pub const TWO_TO_54: u64 = 1 << 54;
/// `8_999_999_998`: the total chain importance the target formula was written for.
pub const TARGET_IMPORTANCE_SCALE: u64 = 8_999_999_998;
/// `log2(100)` in s15.16 fixed point: the smoothing exponent's upper cap.
const FIXED_POINT_LOG2_100: i128 = 435_411;
/// As the smoothing exponent grows, catapult's smoother never falls below
/// `(1 − 1/2900)` of any earlier value (checked exhaustively in this module's tests;
/// the worst dip is 1/2963, near 2^−4.47).
pub const SMOOTHER_DIP_RECIPROCAL: u64 = 2_900;

/// `log2(value^(2^n))`, i.e. `log2(value)·2^n` rounded down, computed with integers only
/// ([CS] `utils/IntegerMath.cpp`, `Log2TimesPowerOfTwo`): `value` is normalised to
/// [1, 2) with 31 fraction bits, then squared `n` times, one binary digit of the
/// logarithm falling out of each squaring. `value` must be non-zero and below 2^32.
pub fn log2_times_power_of_two(value: u64, n: u32) -> u64 {
    assert!(value != 0, "log2(0) is not defined");
    const PRECISION: u32 = 31;
    const ONE: u64 = 1 << PRECISION;
    let mut log = PRECISION as u64;
    let mut x = value;
    while x < ONE {
        x <<= 1;
        log -= 1;
    }
    for _ in 0..n {
        x = x.wrapping_mul(x) >> PRECISION;
        log <<= 1;
        if x >= 2 * ONE {
            x >>= 1;
            log += 1;
        }
    }
    log
}

/// `2^value` for an s15.16 fixed-point `value`, as s15.16 ([CS] `utils/IntegerMath.cpp`,
/// `FixedPointPowerOfTwo`): split into an integer and a fraction in (−½, ½], a cubic
/// minimax polynomial for the fraction, a shift for the integer. Catapult only calls it
/// for `value` in [−5·2^16, log2(100)·2^16].
pub fn fixed_point_power_of_two(value: i32) -> u32 {
    let integer = value.wrapping_add(0x8000) & !0xFFFF;
    let fraction = (value - integer) as i64;
    let shift = ((15 << 16) - integer) / 65_536;
    let mut result: i64 = 0x0000_0E20;
    result = (result * fraction + 0x3E1C_C333) / 131_072;
    result = (result * fraction + 0x58BD_46A6) / 65_536;
    result = result * fraction + 0x7FFD_E4A3;
    (result as u32) >> shift
}

/// The number of leading zero bits of a 256-bit big-endian number (256 when zero).
fn leading_zero_bits(generation_hash: &[u8; 32]) -> u32 {
    match generation_hash.iter().position(|&byte| byte != 0) {
        Some(index) => 8 * index as u32 + generation_hash[index].leading_zeros(),
        None => 256,
    }
}

fn big_endian_u32_at(generation_hash: &[u8; 32], index: usize) -> u32 {
    u32::from_be_bytes([
        generation_hash[index],
        generation_hash[index + 1],
        generation_hash[index + 2],
        generation_hash[index + 3],
    ])
}

/// A block's hit from its generation hash ([CS] `chain/BlockScorer.cpp`, `CalculateHit`):
/// `2^54·|ln(x)|` with `x` the hash read as a big-endian fraction of 2^256.
///
/// Like catapult, only the 32 bits from the first set bit on are used (under 1 ppm from
/// the exact value); `log2` is taken in fixed point ([`log2_times_power_of_two`]), then
/// divided by `log2(e)` as `·10^16 / 14_426_950_408_889_634`. A zero hash gives
/// `u64::MAX`, an all-ones hash 0.
pub fn calculate_hit(generation_hash: &[u8; 32]) -> u64 {
    let (value, zeros) = hit_bits(generation_hash);
    if value == 0 {
        return u64::MAX;
    }
    if value == u32::MAX {
        return 0;
    }
    let log = log2_times_power_of_two(value as u64, 54);
    // log2(2^256 / hash) · 2^54 = (256 − (256 − 32 − zeros)) · 2^54 − log2(value) · 2^54.
    let log2_result = (32 + zeros as u64) * TWO_TO_54 - log;
    (log2_result as u128 * 10_000_000_000_000_000 / 14_426_950_408_889_634) as u64
}

/// How far [`approximate_exponential`] may be from the exact draw, as `margin·(1 + E)`.
/// The integer logarithm truncates after each of its 54 squarings: each loses under
/// 2^-31 of `x`, which shifts the result by under 2^(54−k)·2^-31/ln 2 units of 2^-54
/// for the k-th squaring, in all under 2^-29 ≈ 1.9·10^-9 of `E`'s units; the final
/// division adds one unit of 2^-54 and `f64` rounding about 10^-16 relative. The margin
/// is fifty times that bound (the tests measure the largest gap over a million hashes).
pub const APPROXIMATION_MARGIN: f64 = 1e-7;

/// The draw `E = hit / 2^54` in floating point, from the same 32 bits of the hash that
/// [`calculate_hit`] reads: `E = ((32 + zeros) − log2(value))·ln 2`. `None` for the two
/// hashes catapult special-cases (a zero value, an all-ones value).
pub fn approximate_exponential(generation_hash: &[u8; 32]) -> Option<f64> {
    let (value, zeros) = hit_bits(generation_hash);
    approximate_exponential_of_bits(value, zeros)
}

/// [`approximate_exponential`] from the hit bits and the zero bits before them.
fn approximate_exponential_of_bits(value: u32, zeros: u32) -> Option<f64> {
    if value == 0 || value == u32::MAX {
        return None;
    }
    Some(((32 + zeros) as f64 - libm::log2(value as f64)) * core::f64::consts::LN_2)
}

/// The 32 bits of the hash from its first set bit on, and the number of zero bits
/// before them (capped at 224), as [CS] `BlockScorer.cpp: CalculateHit` reads them.
fn hit_bits(generation_hash: &[u8; 32]) -> (u32, u32) {
    let zeros = leading_zero_bits(generation_hash);
    if zeros >= 224 {
        (big_endian_u32_at(generation_hash, 28), 224)
    } else {
        let quotient = (zeros / 8) as usize;
        let remainder = zeros % 8;
        let mut value = big_endian_u32_at(generation_hash, quotient) << remainder;
        value += (generation_hash[quotient + 4] as u32) >> (8 - remainder);
        (value, zeros)
    }
}

/// The hit divided by 2^54: the `E` that [`HarvestCurve::first_firing_second`] compares
/// with λ(t), so `hit < target ⇔ E < target / 2^54`.
pub fn hit_to_exponential(hit: u64) -> f64 {
    hit as f64 / TWO_TO_54 as f64
}

/// An unsigned 256-bit integer: catapult's `BlockTarget` (`boost::multiprecision::
/// uint256_t`), with only the operations the target needs. Arithmetic wraps modulo
/// 2^256 like boost's unchecked type (the target never comes near it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BlockTarget {
    /// Least significant limb first.
    limbs: [u64; 4],
}

impl BlockTarget {
    pub const ZERO: BlockTarget = BlockTarget { limbs: [0; 4] };

    /// `self · factor`.
    pub fn mul_u64(self, factor: u64) -> BlockTarget {
        let mut limbs = [0u64; 4];
        let mut carry = 0u128;
        for (out, &limb) in limbs.iter_mut().zip(self.limbs.iter()) {
            let product = limb as u128 * factor as u128 + carry;
            *out = product as u64;
            carry = product >> 64;
        }
        BlockTarget { limbs }
    }

    /// `self · 2^bits` (`bits` < 256).
    pub fn shifted_left(self, bits: u32) -> BlockTarget {
        let (words, bits) = ((bits / 64) as usize, bits % 64);
        let mut limbs = [0u64; 4];
        for index in (words..4).rev() {
            let source = index - words;
            let mut limb = self.limbs[source] << bits;
            if bits > 0 && source > 0 {
                limb |= self.limbs[source - 1] >> (64 - bits);
            }
            limbs[index] = limb;
        }
        BlockTarget { limbs }
    }

    /// `⌊self / divisor⌋` (`divisor` > 0).
    pub fn div_u64(self, divisor: u64) -> BlockTarget {
        let mut limbs = [0u64; 4];
        let mut remainder = 0u128;
        for index in (0..4).rev() {
            let current = (remainder << 64) | self.limbs[index] as u128;
            limbs[index] = (current / divisor as u128) as u64;
            remainder = current % divisor as u128;
        }
        BlockTarget { limbs }
    }

    /// The value when it fits in 128 bits.
    pub fn to_u128(self) -> Option<u128> {
        (self.limbs[2] == 0 && self.limbs[3] == 0)
            .then(|| self.limbs[0] as u128 | (self.limbs[1] as u128) << 64)
    }

    /// The nearest `f64` (for ratios in tests and reports).
    pub fn to_f64(self) -> f64 {
        self.limbs.iter().rev().fold(0.0, |total, &limb| {
            total * 18_446_744_073_709_551_616.0 + limb as f64
        })
    }
}

impl From<u64> for BlockTarget {
    fn from(value: u64) -> BlockTarget {
        BlockTarget {
            limbs: [value, 0, 0, 0],
        }
    }
}

impl From<u128> for BlockTarget {
    fn from(value: u128) -> BlockTarget {
        BlockTarget {
            limbs: [value as u64, (value >> 64) as u64, 0, 0],
        }
    }
}

impl Ord for BlockTarget {
    fn cmp(&self, other: &BlockTarget) -> std::cmp::Ordering {
        self.limbs.iter().rev().cmp(other.limbs.iter().rev())
    }
}

impl PartialOrd for BlockTarget {
    fn partial_cmp(&self, other: &BlockTarget) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The chain settings catapult's target depends on (`BlockGenerationTargetTime`,
/// `BlockTimeSmoothingFactor`, `TotalChainImportance` of `BlockChainConfiguration`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetRule {
    /// `BlockGenerationTargetTime`, whole seconds (catapult reads `.seconds()`).
    pub target_time_s: u64,
    /// `BlockTimeSmoothingFactor`: thousandths (3000 means our `smoothing_factor` 3.0).
    pub smoothing_factor: u32,
    /// `TotalChainImportance`: the importance that counts as "all of it".
    pub total_chain_importance: u64,
}

impl TargetRule {
    /// The rule for our chain parameters: `block_time_ms` as whole seconds,
    /// `smoothing_factor` (ours is catapult's divided by 1000) rounded to thousandths,
    /// and importance counted in stake units (`total_stake` is all of it).
    pub fn from_parameters(block_time_ms: u64, smoothing_factor: f64, total_stake: u64) -> Self {
        TargetRule {
            target_time_s: block_time_ms / 1_000,
            smoothing_factor: (smoothing_factor * 1_000.0).round() as u32,
            total_chain_importance: total_stake,
        }
    }

    /// The smoothing multiplier as an s15.16 number: `2^16·min(e^{k(t−T)/T}, 100)`, 0 when
    /// `e^{k(t−T)/T} < 2^−5`, `2^16` without smoothing ([CS] `BlockScorer.cpp`,
    /// `GetMultiplier`, before its final `<< 48`).
    pub fn smoother(&self, elapsed_s: u64) -> u32 {
        if self.smoothing_factor == 0 {
            return 1 << 16;
        }
        let factor = (((self.smoothing_factor << 16) as u128) << 16) / (1_000u128 << 16);
        let target = (self.target_time_s << 16) as i128;
        let elapsed = (elapsed_s << 16) as i128;
        let mut power = factor as i128 * (elapsed - target) / target;
        // Times log2(e), to a precision that cannot overflow.
        power = power * 14_426_950_408 / 10_000_000_000;
        if power < -(5 << 16) {
            0
        } else if power > FIXED_POINT_LOG2_100 {
            100 << 16
        } else {
            fixed_point_power_of_two(power as i32)
        }
    }

    /// `t·I·M(t)·8_999_999_998 / I_total / D` in 256-bit integers, dividing in catapult's
    /// order, with `M(t) = smoother(t)·2^48` ([CS] `BlockScorer.cpp`, `CalculateTarget`
    /// from a time span). Zero when the total importance or the difficulty is zero
    /// (catapult would divide by zero).
    pub fn target(&self, elapsed_s: u64, difficulty: u64, importance: u64) -> BlockTarget {
        if self.total_chain_importance == 0 || difficulty == 0 {
            return BlockTarget::ZERO;
        }
        BlockTarget::from(elapsed_s)
            .mul_u64(importance)
            .mul_u64(self.smoother(elapsed_s) as u64)
            .shifted_left(48)
            .mul_u64(TARGET_IMPORTANCE_SCALE)
            .div_u64(self.total_chain_importance)
            .div_u64(difficulty)
    }

    /// The target of a block made at `timestamp_ms` on a parent made at
    /// `parent_timestamp_ms`: zero unless the block is later than its parent, else
    /// [`TargetRule::target`] of the whole seconds between them ([CS] `CalculateTarget`
    /// from two blocks).
    pub fn block_target(
        &self,
        parent_timestamp_ms: u64,
        timestamp_ms: u64,
        difficulty: u64,
        importance: u64,
    ) -> BlockTarget {
        if timestamp_ms <= parent_timestamp_ms {
            return BlockTarget::ZERO;
        }
        self.target(
            (timestamp_ms - parent_timestamp_ms) / 1_000,
            difficulty,
            importance,
        )
    }

    /// Catapult's `BlockHitPredicate`: `hit < target`.
    pub fn is_hit(
        &self,
        generation_hash: &[u8; 32],
        elapsed_s: u64,
        difficulty: u64,
        importance: u64,
    ) -> bool {
        BlockTarget::from(calculate_hit(generation_hash))
            < self.target(elapsed_s, difficulty, importance)
    }

    /// The first whole second `t ≥ 1` at which `hit < target(t)`, as catapult's harvester
    /// finds it by trying every second; `None` when even [`FIRE_SECONDS_MAX`] misses.
    /// The exact-integer counterpart of [`HarvestCurve::first_firing_second`].
    ///
    /// Catapult's target does not quite grow monotonically: the smoother
    /// ([`fixed_point_power_of_two`], then the cap at 100, which sits just below the
    /// polynomial's last value) can fall by up to 1/[`SMOOTHER_DIP_RECIPROCAL`] of itself
    /// as time passes. So a bisection finds *a* second where the hit first gets under the
    /// target, and an earlier one can only lie within 1/[`SMOOTHER_DIP_RECIPROCAL`] of it
    /// below (`t > (1 − Δ)·(t_b − 1)`); that window (empty under about 2,900 s) is scanned.
    pub fn first_hit_second(&self, hit: u64, difficulty: u64, importance: u64) -> Option<u64> {
        let hit = BlockTarget::from(hit);
        let fires = |elapsed_s: u64| hit < self.target(elapsed_s, difficulty, importance);
        if !fires(FIRE_SECONDS_MAX) {
            return None;
        }
        // fires(low) is false (or low == 0), fires(high) is true.
        let (mut low, mut high) = (0u64, FIRE_SECONDS_MAX);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if fires(middle) {
                high = middle;
            } else {
                low = middle;
            }
        }
        let before = high - 1;
        let window_start = (before - before / SMOOTHER_DIP_RECIPROCAL)
            .saturating_sub(1)
            .max(1);
        (window_start..high)
            .find(|&elapsed_s| fires(elapsed_s))
            .or(Some(high))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::chain::DIFFICULTY_DEFAULT;
    use crate::sim::rng::SimRng;

    fn curve() -> HarvestCurve {
        HarvestCurve::new(15.0, 3.0)
    }

    #[test]
    fn the_curve_matches_the_formula_and_caps_at_one_hundred() {
        let curve = curve();
        for elapsed_s in [1u64, 10, 15, 20, 30, 38, 39, 60, 1_000] {
            let expected =
                elapsed_s as f64 * libm::exp(3.0 * (elapsed_s as f64 - 15.0) / 15.0).min(100.0);
            assert!(
                (curve.weight(elapsed_s) - expected).abs() <= expected * 1e-12,
                "t = {elapsed_s}"
            );
        }
        assert_eq!(curve.weight(1_000), 100_000.0);
    }

    #[test]
    fn the_first_second_is_exactly_where_lambda_passes_the_draw() {
        let curve = curve();
        let mut rng = SimRng::new(17);
        for _ in 0..5_000 {
            let draw = rng.exponential() * (1.0 + rng.unit() * 20.0);
            let share = 0.001 + rng.unit() * 0.999;
            let difficulty = DIFFICULTY_DEFAULT / 10 + (rng.unit() * 9e14) as u64;
            let second = curve.first_firing_second(draw, share, difficulty).unwrap();
            assert!(draw < curve.lambda(second, share, difficulty));
            assert!(second == 1 || draw >= curve.lambda(second - 1, share, difficulty));
        }
    }

    #[test]
    fn no_share_never_fires() {
        assert_eq!(
            curve().first_firing_second(1.0, 0.0, DIFFICULTY_DEFAULT),
            None
        );
    }

    #[test]
    fn without_smoothing_the_weight_is_linear() {
        let flat = HarvestCurve::new(15.0, 0.0);
        assert_eq!(flat.weight(7), 7.0);
        assert_eq!(flat.weight(700), 700.0);
        let second = flat
            .first_firing_second(2.0, 1.0, DIFFICULTY_DEFAULT)
            .unwrap();
        assert!(2.0 < flat.lambda(second, 1.0, DIFFICULTY_DEFAULT));
    }

    /// Three equal harvesters at the nemesis difficulty make a block in about 12–13 s;
    /// one of them alone (a third of the stake) still makes one within about 20 s
    /// thanks to the smoothing factor, not 3× slower.
    #[test]
    fn a_minority_still_makes_blocks_only_moderately_slower() {
        let curve = curve();
        let mut rng = SimRng::new(11);
        let trials = 4_000;
        let (mut network_total, mut alone_total) = (0u64, 0u64);
        for _ in 0..trials {
            let times: Vec<u64> = (0..3)
                .map(|_| {
                    curve
                        .first_firing_second(rng.exponential(), 1.0 / 3.0, DIFFICULTY_DEFAULT)
                        .unwrap()
                })
                .collect();
            network_total += *times.iter().min().unwrap();
            alone_total += times[0];
        }
        let network_mean = network_total as f64 / trials as f64;
        let alone_mean = alone_total as f64 / trials as f64;
        assert!(
            (10.0..16.0).contains(&network_mean),
            "network mean {network_mean}"
        );
        assert!(
            alone_mean > network_mean && alone_mean < network_mean * 1.8,
            "alone {alone_mean}"
        );
    }

    #[test]
    fn block_target_arithmetic_matches_u128_where_it_fits() {
        let mut rng = SimRng::new(23);
        for _ in 0..2_000 {
            let value = rng.next_u64() as u128 >> 8;
            let factor = rng.next_u64() >> 40;
            let divisor = (rng.next_u64() >> 20).max(1);
            let shift = (rng.next_u64() % 40) as u32;
            let target = BlockTarget::from(value);
            assert_eq!(
                target.mul_u64(factor).to_u128(),
                Some(value * factor as u128)
            );
            assert_eq!(target.shifted_left(shift).to_u128(), Some(value << shift));
            assert_eq!(
                target.div_u64(divisor).to_u128(),
                Some(value / divisor as u128)
            );
            let other = BlockTarget::from(rng.next_u64() as u128 >> 8);
            assert_eq!(target.cmp(&other), value.cmp(&other.to_u128().unwrap()));
        }
        let big = BlockTarget::from(u128::MAX).shifted_left(64);
        assert_eq!(big.to_u128(), None);
        assert_eq!(
            big.div_u64(1 << 32)
                .shifted_left(32)
                .div_u64(1 << 32)
                .to_u128(),
            None
        );
        assert_eq!(
            BlockTarget::from(1u64)
                .shifted_left(255)
                .shifted_left(1)
                .to_u128(),
            Some(0)
        );
        assert!(big > BlockTarget::from(u128::MAX));
    }

    #[test]
    fn fixed_point_log_and_power_hit_exact_values() {
        assert_eq!(log2_times_power_of_two(1, 54), 0);
        assert_eq!(log2_times_power_of_two(2, 54), 1 << 54);
        assert_eq!(log2_times_power_of_two(1 << 31, 10), 31 << 10);
        let one = fixed_point_power_of_two(0) as f64 / 65_536.0;
        assert!((one - 1.0).abs() < 1e-4, "{one}");
        let three = fixed_point_power_of_two(3 << 16) as f64 / 65_536.0;
        assert!((three - 8.0).abs() < 1e-3, "{three}");
    }

    /// [`TargetRule::first_hit_second`] relies on this bound: over the whole range
    /// catapult feeds it (and with the caps at 0 and 100 on either side), the smoother
    /// never falls below `(1 − 1/2900)` of an earlier value. It does fall a little.
    #[test]
    fn the_smoother_dips_by_less_than_one_part_in_2900() {
        let values = std::iter::once(0)
            .chain((-(5 << 16)..=(FIXED_POINT_LOG2_100 as i32)).map(fixed_point_power_of_two))
            .chain(std::iter::once(100 << 16));
        let (mut peak, mut dips) = (0u64, 0);
        for value in values {
            let value = value as u64;
            assert!((peak.saturating_sub(value)) * SMOOTHER_DIP_RECIPROCAL <= peak);
            dips += usize::from(value < peak);
            peak = peak.max(value);
        }
        assert!(dips > 0, "catapult's smoother is not monotonic");
        assert!(fixed_point_power_of_two(FIXED_POINT_LOG2_100 as i32) > 100 << 16);
    }

    #[test]
    fn the_exact_first_hit_second_is_the_first_second_over_the_hit() {
        let rule = TargetRule::from_parameters(15_000, 3.0, 1_000);
        let mut rng = SimRng::new(29);
        for _ in 0..300 {
            let hit = calculate_hit(&crate::sim::rng::generation_hash(rng.next_u64(), 1, 2));
            let importance = 1 + rng.below(1_000) as u64;
            let second = rule
                .first_hit_second(hit, DIFFICULTY_DEFAULT, importance)
                .unwrap();
            let target = |t| rule.target(t, DIFFICULTY_DEFAULT, importance);
            assert!(BlockTarget::from(hit) < target(second));
            assert!((1..second).all(|earlier| BlockTarget::from(hit) >= target(earlier)));
        }
        assert_eq!(rule.first_hit_second(u64::MAX, DIFFICULTY_DEFAULT, 0), None);
    }

    /// The floating-point draw stays far inside its margin of catapult's integer hit,
    /// over a million hashes and the extremes (a single set bit deep in the hash, a
    /// value just under all ones).
    #[test]
    fn the_approximate_draw_is_well_within_its_margin() {
        let mut rng = SimRng::new(31);
        let mut worst = 0.0f64;
        let mut check = |hash: [u8; 32]| {
            let exact = hit_to_exponential(calculate_hit(&hash));
            match approximate_exponential(&hash) {
                Some(estimate) => {
                    let gap = (estimate - exact).abs() / (1.0 + exact);
                    worst = worst.max(gap);
                }
                None => assert!(exact == 0.0 || calculate_hit(&hash) == u64::MAX),
            }
        };
        for _ in 0..1_000_000 {
            check(crate::sim::rng::generation_hash(rng.next_u64(), 1, 2));
        }
        for bit in 0..256 {
            let mut hash = [0u8; 32];
            hash[bit / 8] = 0x80 >> (bit % 8);
            check(hash);
            let mut hash = [0xFF; 32];
            hash[bit / 8] = 0xFE;
            check(hash);
        }
        check([0; 32]);
        check([0xFF; 32]);
        assert!(
            worst < APPROXIMATION_MARGIN / 20.0,
            "largest gap {worst:e} against a margin of {APPROXIMATION_MARGIN:e}"
        );
    }

    /// The fast path answers exactly as the integer hit does: random hashes, shares and
    /// smoothing factors, and draws placed right at a second's boundary (where it must
    /// fall back to the exact hit).
    #[test]
    fn the_firing_second_from_a_hash_is_the_exact_one() {
        let mut rng = SimRng::new(37);
        let curves = [
            curve(),
            HarvestCurve::new(15.0, 0.0),
            HarvestCurve::new(60.0, 5.0),
        ];
        for round in 0..200_000 {
            let curve = &curves[round % curves.len()];
            let hash = crate::sim::rng::generation_hash(rng.next_u64(), round as u64, 2);
            let share = [1.0, 0.5, 0.01, 1e-6][round % 4];
            let exact = curve.first_firing_second(
                hit_to_exponential(calculate_hit(&hash)),
                share,
                DIFFICULTY_DEFAULT,
            );
            assert_eq!(
                curve.first_firing_second_for_hash(&hash, share, DIFFICULTY_DEFAULT),
                exact
            );
        }
        // A share that puts the exact draw on a boundary: λ(s) equal to the draw.
        let curve = curve();
        for seed in 0..2_000u64 {
            let hash = crate::sim::rng::generation_hash(seed, 3, 4);
            let draw = hit_to_exponential(calculate_hit(&hash));
            for second in [1u64, 7, 15, 40] {
                let share =
                    draw * DIFFICULTY_DEFAULT as f64 / (TARGET_SCALE * curve.weight(second));
                let exact = curve.first_firing_second(draw, share, DIFFICULTY_DEFAULT);
                assert_eq!(
                    curve.first_firing_second_for_hash(&hash, share, DIFFICULTY_DEFAULT),
                    exact
                );
            }
        }
    }

    /// From a hash's first word (and the whole hash only when needed), the same second
    /// as from the whole hash, with up to 6 leading zero bytes and on the two hit values
    /// catapult special-cases.
    #[test]
    fn the_firing_second_from_a_first_word_is_the_one_from_the_hash() {
        let mut rng = SimRng::new(41);
        let curve = curve();
        for round in 0..100_000 {
            let mut hash = crate::sim::rng::generation_hash(rng.next_u64(), round as u64, 2);
            let zero_bytes = round % 7;
            hash[..zero_bytes].fill(0);
            if round % 1_000 == 1 {
                hash[zero_bytes..zero_bytes + 5].fill(0xFF);
            }
            let first_word = u64::from_be_bytes(hash[..8].try_into().unwrap());
            let share = [1.0, 0.5, 0.01, 1e-6][round % 4];
            assert_eq!(
                curve.first_firing_second_for_first_word(
                    first_word,
                    || hash,
                    share,
                    DIFFICULTY_DEFAULT
                ),
                curve.first_firing_second_for_hash(&hash, share, DIFFICULTY_DEFAULT)
            );
        }
        for seed in 0..100 {
            let hash = crate::sim::rng::generation_hash(seed, 7, 8);
            assert_eq!(
                crate::sim::rng::generation_hash_first_word(seed, 7, 8).to_be_bytes(),
                hash[..8]
            );
        }
    }

    #[test]
    fn survival_matches_the_closed_form() {
        let shares = [1.0 / 3.0; 3];
        let at_15 = curve().probability_no_block_by(15, &shares, DIFFICULTY_DEFAULT);
        let expected = libm::exp(-(TARGET_SCALE * 15.0 / DIFFICULTY_DEFAULT as f64));
        assert!((at_15 - expected).abs() < 1e-12);
    }
}
