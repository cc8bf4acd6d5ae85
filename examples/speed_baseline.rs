//! The speed work's safety net: runs every preset with several seeds, plus a few
//! fault-heavy, finalization-on and large scenarios, and records for each the trace
//! hash, the number of events and a digest of the whole outcome (every field but the
//! wall clock). An optimisation must leave every line unchanged.
//!
//! Run: `cargo run --release --example speed_baseline -- --check` compares with
//! `tests/golden/speed_baseline.txt`; `-- --write` rewrites that file (only when the
//! simulator's behaviour changes on purpose). Runs the cases on two threads.

use catapult_dr::scenario::file::{FaultAction, FaultFile, ScenarioFile};
use catapult_dr::scenario::{presets, validate};
use catapult_dr::sim::{self, SimulationOptions};

const HOUR_MS: u64 = 3_600_000;
const BASELINE_PATH: &str = "tests/golden/speed_baseline.txt";

/// A named scenario file and the seeds to run it with.
struct Case {
    name: String,
    file: ScenarioFile,
    seeds: Vec<u64>,
    check_invariants: bool,
}

/// Every node votes (balance 1) and finalization is on.
fn with_finalization(mut file: ScenarioFile) -> ScenarioFile {
    file.chain.finalization.enabled = true;
    for region in &mut file.regions {
        for az in &mut region.azs {
            for node in &mut az.nodes {
                node.voting = true;
                node.voting_balance = 1;
            }
        }
    }
    file
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for preset in presets::PRESETS.iter() {
        cases.push(Case {
            name: preset.name.to_string(),
            file: presets::load_file(preset.name).unwrap(),
            seeds: vec![1, 2, 7, 13],
            check_invariants: false,
        });
    }
    // The same presets under the invariant checkers (a behaviour change that breaks an
    // invariant fails here even when the digest would be regenerated).
    for name in ["seed-fork", "active-active"] {
        cases.push(Case {
            name: format!("{name} checked"),
            file: presets::load_file(name).unwrap(),
            seeds: vec![3],
            check_invariants: true,
        });
    }
    let mut multi_az_day = presets::load_file("multi-az").unwrap();
    multi_az_day.duration_ms = 24 * HOUR_MS;
    cases.push(Case {
        name: "multi-az 24h".into(),
        file: multi_az_day.clone(),
        seeds: vec![1, 5],
        check_invariants: false,
    });
    cases.push(Case {
        name: "multi-az 24h finalization".into(),
        file: with_finalization(multi_az_day),
        seeds: vec![1, 5],
        check_invariants: false,
    });
    // Fault-heavy: a crash, disk loss, partition, degradation and isolation in one run.
    let mut faulty = presets::load_file("multi-az").unwrap();
    faulty.duration_ms = 12 * HOUR_MS;
    let fault = |at_ms: u64, until_ms: Option<u64>, action: FaultAction| FaultFile {
        at_ms,
        until_ms,
        action,
    };
    faulty.faults = vec![
        fault(
            HOUR_MS,
            Some(HOUR_MS + 600_000),
            FaultAction::DiskLoss {
                node: "peer2".into(),
            },
        ),
        fault(
            2 * HOUR_MS,
            Some(2 * HOUR_MS + 1_200_000),
            FaultAction::Crash {
                node: "peer1".into(),
            },
        ),
        fault(
            3 * HOUR_MS,
            Some(4 * HOUR_MS),
            FaultAction::Isolate {
                node: "peer3".into(),
            },
        ),
    ];
    cases.push(Case {
        name: "multi-az faults".into(),
        file: faulty.clone(),
        seeds: vec![1, 2],
        check_invariants: false,
    });
    let mut faulty_history = faulty.clone();
    faulty_history.chain.initial_height = 1;
    cases.push(Case {
        name: "multi-az faults from nemesis".into(),
        file: faulty_history,
        seeds: vec![1],
        check_invariants: false,
    });
    cases.push(Case {
        name: "multi-az faults finalization".into(),
        file: with_finalization(faulty),
        seeds: vec![1, 2],
        check_invariants: false,
    });
    cases.push(Case {
        name: "large-100 6h".into(),
        file: presets::large_network(100, 6 * HOUR_MS),
        seeds: vec![1, 2],
        check_invariants: false,
    });
    cases.push(Case {
        name: "large-100 6h finalization".into(),
        file: with_finalization(presets::large_network(100, 6 * HOUR_MS)),
        seeds: vec![1],
        check_invariants: false,
    });
    let mut large_with_region_loss = presets::large_network(100, 6 * HOUR_MS);
    large_with_region_loss.faults = vec![fault(
        HOUR_MS,
        Some(2 * HOUR_MS),
        FaultAction::RegionOutage {
            region: "ap-northeast-1".into(),
        },
    )];
    cases.push(Case {
        name: "large-100 6h region outage".into(),
        file: large_with_region_loss,
        seeds: vec![1],
        check_invariants: false,
    });
    cases.push(Case {
        name: "large-300 2h".into(),
        file: presets::large_network(300, 2 * HOUR_MS),
        seeds: vec![1],
        check_invariants: false,
    });
    cases
}

/// FNV-1a over the outcome's debug text: any field that changes changes the digest.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

fn run(case: &Case, seed: u64) -> String {
    let scenario =
        validate(&case.file).unwrap_or_else(|errors| panic!("{}: {errors:?}", case.name));
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.seed = seed;
    options.check_invariants = case.check_invariants;
    match sim::simulate_with(&scenario, options) {
        Ok(outcome) => format!(
            "{} seed {seed}: trace {} events {} outcome {:016x}",
            case.name,
            sim::format_hash(outcome.trace_hash),
            outcome.events,
            digest(&format!("{outcome:?}")),
        ),
        Err(error) => format!("{} seed {seed}: error {error}", case.name),
    }
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let cases = cases();
    let jobs: Vec<(usize, u64)> = cases
        .iter()
        .enumerate()
        .flat_map(|(position, case)| case.seeds.iter().map(move |&seed| (position, seed)))
        .collect();
    let started = std::time::Instant::now();
    let threads = 2;
    let mut lines = vec![String::new(); jobs.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let (jobs, cases) = (&jobs, &cases);
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .filter(|(index, _)| index % threads == thread)
                        .map(|(index, &(position, seed))| (index, run(&cases[position], seed)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for (index, line) in handle.join().unwrap() {
                lines[index] = line;
            }
        }
    });
    let text = lines.join("\n") + "\n";
    eprintln!(
        "{} runs in {:.1} s",
        lines.len(),
        started.elapsed().as_secs_f64()
    );
    match mode.as_str() {
        "--write" => {
            std::fs::write(BASELINE_PATH, &text).unwrap();
            println!("wrote {BASELINE_PATH}");
        }
        "--check" => {
            let stored = std::fs::read_to_string(BASELINE_PATH).unwrap();
            let mut differences = 0;
            for (expected, actual) in stored.lines().zip(text.lines()) {
                if expected != actual {
                    differences += 1;
                    println!("expected {expected}\n     got {actual}");
                }
            }
            if differences > 0 || stored.lines().count() != text.lines().count() {
                println!("baseline: {differences} of {} runs differ", lines.len());
                std::process::exit(1);
            }
            println!("baseline: all {} runs unchanged", lines.len());
        }
        _ => print!("{text}"),
    }
}
