//! Simulator benchmark: prints events per second and simulated time over wall time.
//! Targets (issue 3): the multi-az preset for 24 simulated hours in under 50 ms, and a
//! 100-node, 3-region network for 24 simulated hours in under 1 s, natively; the
//! 300-node network (the node limit) is printed beside them. Issue 14 (speed): the
//! 100-node run at 9 M events/s or more, and a run at the user limits (300 nodes over
//! 3 regions for 30 days, `NODES_MAX` and `DURATION_MAX_MS`) completing within the
//! event cap in under 45 s, its peak memory printed (target: under 1 GiB).
//! Also the canvas's frames (issue 5): a 200-node scenario played at 10,000× asks the
//! replay worker for a frame every 100 ms of real time, i.e. every 1,000 simulated
//! seconds; each must take well under 100 ms so the worker keeps up (it does the
//! work, the page only draws).
//! Run: `cargo bench --bench simulation`.

use std::time::Instant;

use catapult_dr::scenario::{presets, validate, Scenario};
use catapult_dr::sim::{self, SimulationOptions};
use catapult_dr::view::replay::Replayer;

const DAY_MS: u64 = 86_400_000;

fn measure(
    label: &str,
    scenario: &Scenario,
    target_ms: f64,
    events_per_second_target_millions: Option<f64>,
    repeats: usize,
) {
    let mut options = SimulationOptions::from_scenario(scenario);
    options.duration_ms = DAY_MS;
    options.keep_trace = false;
    // Warm-up runs, as in the browser benchmark (tests/browser_bench.rs), so the two
    // compare steady states. The first is timed alone: the cold start (the first
    // scenario measured runs first in the process, its memory not yet mapped).
    let started = Instant::now();
    sim::simulate_with(scenario, options.clone()).expect("run");
    let first_ms = started.elapsed().as_secs_f64() * 1_000.0;
    for _ in 1..repeats.min(5) {
        sim::simulate_with(scenario, options.clone()).expect("run");
    }
    let mut timings = Vec::new();
    let mut events = 0;
    for _ in 0..repeats {
        let started = Instant::now();
        let outcome = sim::simulate_with(scenario, options.clone()).expect("run");
        timings.push(started.elapsed().as_secs_f64() * 1_000.0);
        events = outcome.events;
    }
    timings.sort_by(f64::total_cmp);
    let median_ms = timings[timings.len() / 2];
    let events_per_second_millions = events as f64 / median_ms / 1_000.0;
    let rate_target = match events_per_second_target_millions {
        Some(target) => format!(
            "; target >= {target} M events/s: {}",
            verdict(events_per_second_millions >= target)
        ),
        None => String::new(),
    };
    println!(
        "{label}: 24 simulated hours in {median_ms:.1} ms (median of {repeats}), {events} events, \
         {events_per_second_millions:.2} M events/s, {:.0}x real time; target < {target_ms} ms: {}{rate_target}",
        DAY_MS as f64 / median_ms,
        verdict(median_ms < target_ms)
    );
    println!("{label}: first run (cold start) in {first_ms:.1} ms");
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// The process's peak resident memory since the last reset, in MiB (Linux only:
/// `VmHWM` of `/proc/self/status`).
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1_024.0)
}

/// A run at the user limits: `NODES_MAX` nodes over 3 regions for `DURATION_MAX_MS`,
/// with the default event cap. Prints wall time, events, events/s and peak memory
/// (the peak is reset first where Linux allows, so it is this run's).
fn measure_limits(target_s: f64, memory_target_mib: f64) {
    use catapult_dr::scenario::limits::{DURATION_MAX_MS, EVENTS_MAX, NODES_MAX};
    let scenario = validate(&presets::large_network(NODES_MAX, DURATION_MAX_MS)).unwrap();
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.keep_trace = false;
    let peak_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let started = Instant::now();
    let result = sim::simulate_with(&scenario, options);
    let elapsed_s = started.elapsed().as_secs_f64();
    let memory = match peak_memory_mib() {
        Some(mib) => format!(
            "peak memory {mib:.0} MiB{}; target < {memory_target_mib} MiB: {}",
            if peak_reset { "" } else { " (process peak)" },
            verdict(mib < memory_target_mib)
        ),
        None => "peak memory not available on this system".into(),
    };
    match result {
        Ok(outcome) => println!(
            "user limits ({NODES_MAX} nodes over 3 regions, 30 simulated days): {elapsed_s:.1} s, \
             {} events (cap {EVENTS_MAX}), {:.2} M events/s; target < {target_s} s: {}; {memory}",
            outcome.events,
            outcome.events as f64 / elapsed_s / 1e6,
            verdict(elapsed_s < target_s)
        ),
        Err(error) => println!(
            "user limits ({NODES_MAX} nodes over 3 regions, 30 simulated days): MISSED, {error} \
             after {elapsed_s:.1} s; {memory}"
        ),
    }
}

/// Frames of a 200-node scenario, each 1,000 simulated seconds after the last (playing
/// at 10,000× with the player's 100 ms tick), and a seek back to the middle.
fn measure_frames(target_ms: f64) {
    let scenario = validate(&presets::large_network(200, 6 * 3_600_000)).unwrap();
    let mut replayer = Replayer::new(&scenario);
    let mut timings = Vec::new();
    let mut at_ms = 0;
    while at_ms <= scenario.duration_ms {
        let started = Instant::now();
        let frame = replayer.frame_at(at_ms);
        timings.push(started.elapsed().as_secs_f64() * 1_000.0);
        assert_eq!(frame.network.nodes.len(), 200);
        at_ms += 1_000_000;
    }
    let started = Instant::now();
    replayer.frame_at(scenario.duration_ms / 2);
    let seek_ms = started.elapsed().as_secs_f64() * 1_000.0;
    timings.sort_by(f64::total_cmp);
    let median_ms = timings[timings.len() / 2];
    let worst_ms = timings[timings.len() - 1];
    println!(
        "200-node frames while playing at 10,000x: median {median_ms:.1} ms, worst {worst_ms:.1} ms \
         over {} frames; a seek back to 3 h: {seek_ms:.0} ms; target < {target_ms} ms per frame: {}",
        timings.len(),
        if worst_ms < target_ms { "met" } else { "MISSED" }
    );
}

/// A PEER's disk lost with no snapshot, in multi-az over 60 simulated hours: with a
/// year of chain history (the default `initial_height`) it resyncs 2.1 M blocks, with
/// `initial_height` 1 a few hundred. Prints events, wall time and the catch-up time.
fn measure_disk_loss_with_history() {
    use catapult_dr::scenario::file::{FaultAction, FaultFile};
    for initial_height in [2_102_400u64, 1] {
        let mut file = presets::load_file("multi-az").unwrap();
        file.chain.initial_height = initial_height;
        file.duration_ms = 60 * 3_600_000;
        file.faults = vec![FaultFile {
            at_ms: 3_600_000,
            until_ms: Some(3_600_000 + 600_000),
            action: FaultAction::DiskLoss {
                node: "peer2".into(),
            },
        }];
        let scenario = validate(&file).unwrap();
        let mut options = SimulationOptions::from_scenario(&scenario);
        options.keep_trace = true;
        let started = Instant::now();
        let outcome = sim::simulate_with(&scenario, options).expect("run");
        let wall_ms = started.elapsed().as_secs_f64() * 1_000.0;
        // Caught up: its last batch of 10 blocks or more (in normal operation a pull
        // brings a block or two).
        let peer2 = scenario.node_by_id("peer2").unwrap().0;
        let caught_up_ms = outcome
            .trace
            .iter()
            .filter(|entry| {
                matches!(entry.event, catapult_dr::sim::trace::TraceEvent::ChainSynced { node, blocks, .. } if node == peer2 && blocks >= 10)
            })
            .map(|entry| entry.at_ms)
            .max()
            .unwrap_or(0);
        println!(
            "disk loss of a PEER without a snapshot, initial_height {initial_height}: {} events, \
             {wall_ms:.0} ms for 60 simulated hours; last catch-up batch {} after the volume returned",
            outcome.events,
            catapult_dr::scenario::duration::describe_duration(caught_up_ms.saturating_sub(3_600_000 + 600_000)),
        );
    }
}

fn main() {
    let multi_az = validate(&presets::load_file("multi-az").unwrap()).unwrap();
    measure("multi-az preset (5 nodes)", &multi_az, 50.0, None, 15);
    let large = validate(&presets::large_network(100, DAY_MS)).unwrap();
    measure("100 nodes over 3 regions", &large, 1_000.0, Some(9.0), 3);
    let largest = validate(&presets::large_network(300, DAY_MS)).unwrap();
    measure("300 nodes over 3 regions", &largest, 5_000.0, None, 3);
    measure_frames(100.0);
    measure_disk_loss_with_history();
    measure_limits(45.0, 1_024.0);
}
