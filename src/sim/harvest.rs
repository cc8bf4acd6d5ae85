//! PoS+ harvesting: when a harvester's hit falls below its target (shared/domain.md §2).
//!
//! Catapult checks `hit < target` once a second, with `hit = 2^54·|ln(u)|` fixed per
//! parent and harvester (a VRF), and `target = t·I·M(t)·8_999_999_998 / (I_total·D)`,
//! `M(t) = 2^64·min(e^{k(t−T)/T}, 100)`. Dividing both sides by 2^54 gives the
//! equivalent `E < λ(t)` with `E ~ Exp(1)` and
//! `λ(t) = 8_999_999_998·2^10·share·t·min(e^{k(t−T)/T}, 100) / D`.
//! λ grows with t, so the first whole second that satisfies it is found by search
//! instead of by ticking every second.
//!
//! Invariant: the result depends only on its inputs; `libm` keeps `exp` identical
//! natively and in WebAssembly.

/// `8_999_999_998 · 2^10`: the target's constant once hit and target are divided by 2^54.
const TARGET_SCALE: f64 = 8_999_999_998.0 * 1024.0;
/// The multiplier's cap ([CS] `BlockScorer.cpp`).
const MULTIPLIER_CAP: f64 = 100.0;
/// Past this many seconds a harvester is treated as never firing (its share is ~0).
pub const FIRE_SECONDS_MAX: u64 = 10_000_000;

/// λ(t) for one harvester.
pub fn lambda(
    elapsed_s: u64,
    share: f64,
    difficulty: u64,
    target_s: f64,
    smoothing_factor: f64,
) -> f64 {
    let elapsed = elapsed_s as f64;
    let multiplier =
        libm::exp(smoothing_factor * (elapsed - target_s) / target_s).min(MULTIPLIER_CAP);
    TARGET_SCALE * share * elapsed * multiplier / difficulty as f64
}

/// The first whole second `t ≥ 1` after the parent at which `hit < target`, or `None`
/// when it would take longer than [`FIRE_SECONDS_MAX`].
pub fn first_firing_second(
    exponential_draw: f64,
    share: f64,
    difficulty: u64,
    target_s: f64,
    smoothing_factor: f64,
) -> Option<u64> {
    if share <= 0.0 {
        return None;
    }
    let fires = |elapsed_s: u64| {
        exponential_draw < lambda(elapsed_s, share, difficulty, target_s, smoothing_factor)
    };
    let mut high = 1u64;
    while !fires(high) {
        if high >= FIRE_SECONDS_MAX {
            return None;
        }
        high = (high * 2).min(FIRE_SECONDS_MAX);
    }
    let mut low = high / 2; // fires(low) is false, or low == 0
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if fires(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    Some(high)
}

/// Probability that no harvester has fired by `elapsed_s`: `exp(−Σλ)`.
pub fn probability_no_block_by(
    elapsed_s: u64,
    shares: &[f64],
    difficulty: u64,
    target_s: f64,
    smoothing: f64,
) -> f64 {
    let total: f64 = shares
        .iter()
        .map(|&share| lambda(elapsed_s, share, difficulty, target_s, smoothing))
        .sum();
    libm::exp(-total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::chain::DIFFICULTY_DEFAULT;
    use crate::sim::rng::SimRng;

    #[test]
    fn the_first_second_is_exactly_where_lambda_passes_the_draw() {
        for draw in [0.01, 0.3, 1.0, 2.5, 7.0] {
            let second =
                first_firing_second(draw, 1.0 / 3.0, DIFFICULTY_DEFAULT, 15.0, 3.0).unwrap();
            assert!(draw < lambda(second, 1.0 / 3.0, DIFFICULTY_DEFAULT, 15.0, 3.0));
            assert!(
                second == 1 || draw >= lambda(second - 1, 1.0 / 3.0, DIFFICULTY_DEFAULT, 15.0, 3.0)
            );
        }
    }

    #[test]
    fn no_share_never_fires() {
        assert_eq!(
            first_firing_second(1.0, 0.0, DIFFICULTY_DEFAULT, 15.0, 3.0),
            None
        );
    }

    /// Three equal harvesters at the nemesis difficulty make a block in about 12–13 s;
    /// one of them alone (a third of the stake) still makes one within about 20 s
    /// thanks to the smoothing factor, not 3× slower.
    #[test]
    fn a_minority_still_makes_blocks_only_moderately_slower() {
        let mut rng = SimRng::new(11);
        let trials = 4_000;
        let (mut network_total, mut alone_total) = (0u64, 0u64);
        for _ in 0..trials {
            let draws: Vec<f64> = (0..3).map(|_| rng.exponential()).collect();
            let times: Vec<u64> = draws
                .iter()
                .map(|&draw| {
                    first_firing_second(draw, 1.0 / 3.0, DIFFICULTY_DEFAULT, 15.0, 3.0).unwrap()
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
        let at_15 = probability_no_block_by(15, &shares, DIFFICULTY_DEFAULT, 15.0, 3.0);
        let expected = libm::exp(-(TARGET_SCALE * 15.0 / DIFFICULTY_DEFAULT as f64));
        assert!((at_15 - expected).abs() < 1e-12);
    }
}
