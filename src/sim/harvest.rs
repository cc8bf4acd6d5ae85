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
        let multiplier = |elapsed: f64| {
            libm::exp(smoothing_factor * (elapsed - target_s) / target_s).min(MULTIPLIER_CAP)
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
    fn survival_matches_the_closed_form() {
        let shares = [1.0 / 3.0; 3];
        let at_15 = curve().probability_no_block_by(15, &shares, DIFFICULTY_DEFAULT);
        let expected = libm::exp(-(TARGET_SCALE * 15.0 / DIFFICULTY_DEFAULT as f64));
        assert!((at_15 - expected).abs() < 1e-12);
    }
}
