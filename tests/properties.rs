//! Property-based tests: generated valid scenarios and fault schedules run through the
//! simulator with the invariant checkers after every event. A failure prints the shrunk
//! scenario as JSON and the seed, so it can be replayed with `catapult-dr simulate`.

#![cfg(not(target_arch = "wasm32"))]

use catapult_dr::scenario::file::*;
use catapult_dr::scenario::{decode, validate};
use catapult_dr::sim::{self, SimulationOptions};
use proptest::prelude::*;

const MINUTE_MS: u64 = 60_000;

#[derive(Clone, Debug)]
struct NodeSpec {
    role: Role,
    stake: u64,
    voting: bool,
}

#[derive(Clone, Debug)]
struct FaultSpec {
    kind: u8,
    target: usize,
    second_target: usize,
    at_min: u64,
    length_min: u64,
    one_way: bool,
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (0u8..3, 0u64..4, any::<bool>()).prop_map(|(role, stake, voting)| {
        let role = [Role::Peer, Role::Api, Role::Dual][role as usize];
        NodeSpec {
            role,
            stake: if role.has_peer() { stake } else { 0 },
            voting,
        }
    })
}

fn fault_spec() -> impl Strategy<Value = FaultSpec> {
    (
        0u8..9,
        0usize..64,
        0usize..64,
        0u64..100,
        1u64..50,
        any::<bool>(),
    )
        .prop_map(
            |(kind, target, second_target, at_min, length_min, one_way)| FaultSpec {
                kind,
                target,
                second_target,
                at_min,
                length_min,
                one_way,
            },
        )
}

/// Builds a scenario from generated parts; returns None when the parts do not make a
/// valid scenario (validation is the judge, exactly as for a user's file).
fn build(
    zones: Vec<Vec<NodeSpec>>,
    two_regions: bool,
    rollback_choice: u8,
    block_time_s: u64,
    transactions_per_second: f64,
    faults: Vec<FaultSpec>,
) -> ScenarioFile {
    let mut regions: Vec<RegionFile> = Vec::new();
    let mut node_ids = Vec::new();
    let mut az_ids = Vec::new();
    let mut counter = 0;
    for (zone_index, zone) in zones.iter().enumerate() {
        let region_index = if two_regions { zone_index % 2 } else { 0 };
        if regions.len() <= region_index {
            regions.push(RegionFile {
                id: ["ap-northeast-1", "ap-southeast-1"][region_index].to_string(),
                azs: Vec::new(),
            });
        }
        let az_id = format!("{}-z{zone_index}", regions[region_index].id);
        az_ids.push(az_id.clone());
        let nodes = zone
            .iter()
            .map(|spec| {
                counter += 1;
                let id = format!("n{counter}");
                node_ids.push(id.clone());
                NodeFile {
                    id,
                    role: spec.role,
                    voting: spec.voting,
                    stake: spec.stake,
                    voting_balance: if spec.voting { 1 } else { 0 },
                    standby: false,
                    clone_of: None,
                }
            })
            .collect();
        regions[region_index].azs.push(AzFile { id: az_id, nodes });
    }
    let mut chain = ChainFile {
        block_time_ms: block_time_s * 1_000,
        ..ChainFile::default()
    };
    match rollback_choice {
        0 => {
            chain.max_rollback_blocks = 0;
            chain.finalization.enabled = true;
        }
        1 => chain.max_rollback_blocks = 5,
        _ => chain.max_rollback_blocks = 40,
    }
    let duration_ms = 150 * MINUTE_MS;
    let pick = |index: usize| node_ids[index % node_ids.len()].clone();
    let faults = faults
        .iter()
        .map(|spec| {
            let at_ms = spec.at_min * MINUTE_MS;
            let until_ms = Some(at_ms + spec.length_min * MINUTE_MS);
            let action = match spec.kind {
                0 => FaultAction::Crash {
                    node: pick(spec.target),
                },
                1 => FaultAction::Stop {
                    node: pick(spec.target),
                },
                2 => FaultAction::Isolate {
                    node: pick(spec.target),
                },
                3 => FaultAction::AzOutage {
                    az: az_ids[spec.target % az_ids.len()].clone(),
                },
                4 => FaultAction::Partition {
                    groups: vec![vec![pick(spec.target)], vec![pick(spec.second_target)]],
                    one_way: spec.one_way,
                },
                5 => FaultAction::Degrade {
                    groups: vec![vec![pick(spec.target)], vec![pick(spec.second_target)]],
                    extra_latency_ms: 300,
                    loss_percent: 30.0,
                },
                6 => FaultAction::ApiDown {
                    node: pick(spec.target),
                },
                7 => FaultAction::DiskLoss {
                    node: pick(spec.target),
                },
                _ => FaultAction::Resync {
                    node: pick(spec.target),
                },
            };
            FaultFile {
                at_ms,
                until_ms,
                action,
            }
        })
        .collect();
    ScenarioFile {
        version: FORMAT_VERSION,
        name: "generated".into(),
        description: String::new(),
        seed: 1,
        duration_ms,
        chain,
        network: NetworkFile::default(),
        regions,
        clients: ClientsFile {
            transactions_per_second,
            ..ClientsFile::default()
        },
        backup: None,
        faults,
        plan: PlanFile::default(),
    }
}

proptest! {
    // A fixed seed keeps CI reproducible; set PROPTEST_CASES to explore further.
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261125),
        // About a third of generated parts are invalid scenarios (refused, as a user's
        // file would be); allow for that in long runs.
        max_global_rejects: 1_000_000,
        .. ProptestConfig::default()
    })]

    /// No generated scenario breaks an invariant, and once every fault has healed (with
    /// time to spare, and no fork past the rollback limit) the live nodes converge: after
    /// the run a two-minute settle period (sync only, no new blocks) leaves them on one
    /// chain.
    #[test]
    fn invariants_hold_for_generated_scenarios(
        zones in prop::collection::vec(prop::collection::vec(node_spec(), 1..4), 1..4),
        two_regions in any::<bool>(),
        rollback_choice in 0u8..3,
        block_time_s in 5u64..31,
        transactions_per_second in prop::sample::select(vec![0.0, 0.2, 1.0]),
        faults in prop::collection::vec(fault_spec(), 0..5),
        seed in any::<u64>(),
    ) {
        let file = build(zones, two_regions, rollback_choice, block_time_s, transactions_per_second, faults);
        let scenario = validate(&file);
        // Parts that do not make a valid scenario are refused by validation, as a
        // user's file would be; only valid ones count as cases.
        prop_assume!(scenario.is_ok());
        let scenario = scenario.unwrap();
        // The file round-trips through its JSON form.
        let json = encode_pretty(&file);
        prop_assert_eq!(&decode::decode_text(&json).unwrap(), &file);
        let mut options = SimulationOptions::from_scenario(&scenario);
        options.seed = seed;
        options.check_invariants = true;
        options.keep_trace = false;
        options.settle_ms = 2 * MINUTE_MS;
        let outcome = match sim::simulate_with(&scenario, options) {
            Ok(outcome) => outcome,
            Err(error) => {
                return Err(TestCaseError::fail(format!("seed {seed}: {error}\nscenario:\n{json}")));
            }
        };
        let last_heal = file.faults.iter().filter_map(|fault| fault.until_ms).max().unwrap_or(0);
        let healed_long_ago = last_heal + 40 * MINUTE_MS <= file.duration_ms;
        // Wiping every copy a node could sync from loses the chain for real (API nodes
        // hold it but never serve blocks): convergence is only owed while another PEER
        // keeps the data.
        let wipes = file
            .faults
            .iter()
            .filter(|fault| matches!(fault.action, FaultAction::DiskLoss { .. } | FaultAction::Resync { .. }))
            .count();
        let peers = scenario.nodes.iter().filter(|node| node.role.has_peer()).count();
        let data_survives = wipes == 0 || peers > wipes;
        if healed_long_ago && data_survives && outcome.fork.irreconcilable_nodes.is_empty() {
            prop_assert!(
                outcome.converged,
                "seed {}: did not converge after every fault healed\nscenario:\n{}",
                seed,
                json
            );
        }
    }
}
