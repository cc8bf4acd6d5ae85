//! Planner benchmark: prints how long Monte Carlo trials take.
//! Target (issue 4): 1,000 trials of the multi-az preset over a 6-hour horizon in under
//! 2 s natively, using every core. Also the whole default plan of the `multi-az` preset
//! (4 strategies × 6 failures × 100 trials, trials watched until the service has
//! settled and, for the first 20 of each cell, until full redundancy returns, hints
//! included), whose browser counterpart `tests/e2e/planner.mjs` prints.
//! Run: `cargo bench --bench planner`.

use std::time::Instant;

use catapult_dr::planner::{self, estimate, measure, strategy, PlanOptions, Strategy};
use catapult_dr::scenario::file::FailureKind;
use catapult_dr::scenario::presets;

fn main() {
    let base = presets::load_file("multi-az").unwrap();
    let deployment = strategy::derive(Strategy::MultiAz, &base);
    let trials = 1_000;
    let horizon_ms = 6 * 3_600_000;
    for failure in [FailureKind::Az, FailureKind::Node] {
        let estimate = estimate::estimate(&deployment, failure);
        let started = Instant::now();
        let results = measure::run_trials(
            &deployment,
            &estimate,
            failure,
            1,
            0..trials,
            Some(horizon_ms),
        );
        let elapsed_s = started.elapsed().as_secs_f64();
        let recovered = results
            .iter()
            .filter(|result| result.rto_ms.is_some())
            .count();
        println!(
            "multi-az preset, {} failure: {trials} trials over a 6-hour horizon in {elapsed_s:.2} s on {} cores \
             ({:.1} ms per trial, {recovered} recovered); target < 2 s: {}",
            failure.as_str(),
            std::thread::available_parallelism().map_or(1, |count| count.get()),
            elapsed_s * 1_000.0 / trials as f64,
            if elapsed_s < 2.0 { "met" } else { "MISSED" }
        );
    }
    let options = PlanOptions::from_file(&base);
    let started = Instant::now();
    let result = planner::plan(&base, &options).expect("the preset plans");
    let trials: u64 = result.cells.iter().map(|cell| cell.trials).sum();
    println!(
        "default plan of the multi-az preset: {} cells, {trials} trials in {:.1} s on {} cores",
        result.cells.len(),
        started.elapsed().as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |count| count.get()),
    );
}
