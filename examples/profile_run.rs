//! One run of the generated large network, for profilers (`valgrind --tool=callgrind`)
//! and peak-memory measurements (`/usr/bin/time -v`): prints its events and wall time.
//!
//! Run: `cargo run --release --example profile_run -- NODES HOURS [finalization]`
//! (defaults: 100 nodes, 2 hours, finalization off; with `finalization` every node
//! votes with balance 1), or `-- plan TRIALS` for that many planner trials of the
//! multi-az preset over 6 hours (an AZ failure, as in `benches/planner.rs`), one thread.

use catapult_dr::scenario::{presets, validate};
use catapult_dr::sim::{self, SimulationOptions};

fn plan(trials: u64) {
    use catapult_dr::planner::{estimate, measure, strategy, Strategy};
    use catapult_dr::scenario::file::FailureKind;
    let base = presets::load_file("multi-az").unwrap();
    let deployment = strategy::derive(Strategy::MultiAz, &base);
    let estimate = estimate::estimate(&deployment, FailureKind::Az);
    let started = std::time::Instant::now();
    let mut recovered = 0;
    for trial in 0..trials {
        let result = measure::run_trial(
            &deployment,
            &estimate,
            FailureKind::Az,
            trial,
            Some(6 * 3_600_000),
            true,
        );
        recovered += usize::from(result.rto_ms.is_some());
    }
    println!(
        "{trials} planner trials in {:.2} s, {recovered} recovered",
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.first().map(String::as_str) == Some("plan") {
        plan(arguments.get(1).map_or(20, |text| text.parse().unwrap()));
        return;
    }
    let nodes: usize = arguments.first().map_or(100, |text| text.parse().unwrap());
    let hours: u64 = arguments.get(1).map_or(2, |text| text.parse().unwrap());
    let finalization = arguments.iter().any(|argument| argument == "finalization");
    let mut file = presets::large_network(nodes, hours * 3_600_000);
    if finalization {
        file.chain.finalization.enabled = true;
        for node in file
            .regions
            .iter_mut()
            .flat_map(|region| region.azs.iter_mut())
            .flat_map(|az| az.nodes.iter_mut())
        {
            node.voting = true;
            node.voting_balance = 1;
        }
    }
    let scenario = validate(&file).unwrap();
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.keep_trace = false;
    // No cap: this measures how many events a run takes.
    options.events_max = u64::MAX;
    let started = std::time::Instant::now();
    let result = sim::simulate_with(&scenario, options);
    let elapsed_s = started.elapsed().as_secs_f64();
    match result {
        Ok(outcome) => println!(
            "{nodes} nodes, {hours} h, finalization {finalization}: {} events in {elapsed_s:.2} s \
             ({:.2} M events/s), trace {}",
            outcome.events,
            outcome.events as f64 / elapsed_s / 1e6,
            sim::format_hash(outcome.trace_hash)
        ),
        Err(error) => println!("{nodes} nodes, {hours} h: {error} after {elapsed_s:.2} s"),
    }
}
