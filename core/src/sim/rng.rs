//! Randomness for the simulator: one seeded, portable stream ([`SimRng`], ChaCha8) for
//! everything drawn in event order, and a keyed hash ([`keyed_unit`]) for values that
//! real Catapult derives deterministically from data rather than drawing.
//!
//! Invariants: nothing here reads the clock or the OS; the same seed gives the same
//! numbers on every platform (ChaCha8 is specified bit for bit; `libm` is the same
//! software `ln` natively and in WebAssembly).

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// The simulator's single random stream.
pub struct SimRng {
    inner: ChaCha8Rng,
}

impl SimRng {
    pub fn new(seed: u64) -> SimRng {
        SimRng {
            inner: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in (0, 1]: never 0, so `ln` of it is finite.
    pub fn unit(&mut self) -> f64 {
        unit_from_bits(self.next_u64())
    }

    /// Uniform in `0..bound` (`bound` > 0), without modulo bias worth noticing at our sizes.
    pub fn below(&mut self, bound: usize) -> usize {
        debug_assert!(bound > 0);
        ((self.next_u64() as u128 * bound as u128) >> 64) as usize
    }

    /// An Exp(1) draw.
    pub fn exponential(&mut self) -> f64 {
        -libm::log(self.unit())
    }

    /// True with probability `percent` / 100.
    pub fn chance_percent(&mut self, percent: f64) -> bool {
        percent > 0.0 && self.unit() * 100.0 <= percent
    }
}

/// SplitMix64's finalizer: a fast, well-mixed 64-bit hash step.
pub fn mix64(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

/// A uniform value in (0, 1] determined only by `(seed, first, second)`.
///
/// Catapult's harvester hit is a VRF over the parent's generation hash: fixed for a
/// given parent and harvester key, whatever order events happen in. This models it.
pub fn keyed_unit(seed: u64, first: u64, second: u64) -> f64 {
    unit_from_bits(mix64(
        mix64(seed ^ mix64(first)) ^ second.wrapping_mul(0xA24B_AED4_963E_E407),
    ))
}

/// A 256-bit stand-in for a block's generation hash, determined only by
/// `(seed, parent_hash, harvester)`.
///
/// In Catapult the generation hash is the hash of a VRF proof over the parent's
/// generation hash with the harvester's VRF key, so it is fixed per parent and
/// harvester and looks uniformly random. This models it (four chained [`mix64`] words,
/// big-endian); [`crate::sim::harvest::calculate_hit`] turns it into the hit.
pub fn generation_hash(seed: u64, parent_hash: u64, harvester: u64) -> [u8; 32] {
    let mut word = generation_hash_first_word(seed, parent_hash, harvester);
    let mut hash = [0u8; 32];
    for (index, chunk) in hash.chunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&word.to_be_bytes());
        word = mix64(word ^ (index as u64 + 1).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    }
    hash
}

/// The first 8 bytes of [`generation_hash`], as a big-endian word (its other words
/// follow from this one).
pub fn generation_hash_first_word(seed: u64, parent_hash: u64, harvester: u64) -> u64 {
    mix64(mix64(seed ^ mix64(parent_hash)) ^ harvester.wrapping_mul(0xA24B_AED4_963E_E407))
}

fn unit_from_bits(bits: u64) -> f64 {
    // 53 random bits mapped onto (0, 1].
    ((bits >> 11) + 1) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_a_golden_value() {
        let mut first = SimRng::new(7);
        let mut second = SimRng::new(7);
        let a: Vec<u64> = (0..5).map(|_| first.next_u64()).collect();
        let b: Vec<u64> = (0..5).map(|_| second.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(SimRng::new(8).next_u64(), a[0]);
    }

    #[test]
    fn units_are_in_range_and_exponential_has_mean_one() {
        let mut rng = SimRng::new(3);
        let mut total = 0.0;
        for _ in 0..20_000 {
            let unit = rng.unit();
            assert!(unit > 0.0 && unit <= 1.0);
            total += rng.exponential();
        }
        let mean = total / 20_000.0;
        assert!((mean - 1.0).abs() < 0.03, "mean {mean}");
    }

    #[test]
    fn below_covers_the_range() {
        let mut rng = SimRng::new(5);
        let mut seen = [0u32; 5];
        for _ in 0..5_000 {
            seen[rng.below(5)] += 1;
        }
        assert!(seen.iter().all(|&count| count > 800));
    }

    #[test]
    fn generation_hash_depends_on_every_key_and_fills_all_bytes() {
        let base = generation_hash(1, 2, 3);
        assert_eq!(base, generation_hash(1, 2, 3));
        assert_ne!(base, generation_hash(2, 2, 3));
        assert_ne!(base, generation_hash(1, 3, 3));
        assert_ne!(base, generation_hash(1, 2, 4));
        let words: Vec<&[u8]> = base.chunks(8).collect();
        assert!(words.windows(2).all(|pair| pair[0] != pair[1]));
    }

    #[test]
    fn keyed_unit_depends_on_every_key() {
        let base = keyed_unit(1, 2, 3);
        assert_eq!(base, keyed_unit(1, 2, 3));
        assert_ne!(base, keyed_unit(2, 2, 3));
        assert_ne!(base, keyed_unit(1, 3, 3));
        assert_ne!(base, keyed_unit(1, 2, 4));
    }
}
