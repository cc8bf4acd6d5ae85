//! The simulator against shared/domain.md's validation cases, determinism, invariants
//! over a sweep of seeds and random fault schedules, and limits.

mod golden;

use catapult_dr::scenario::file::{FaultAction, FaultFile, ScenarioFile};
use catapult_dr::scenario::{presets, validate, NodeIndex, Scenario};
use catapult_dr::sim::outcome::TransactionFate;
use catapult_dr::sim::rng::SimRng;
use catapult_dr::sim::trace::TraceEvent;
use catapult_dr::sim::{
    self, format_hash, Outcome, Simulation, SimulationError, SimulationOptions,
};

const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 3_600_000;

fn preset(name: &str) -> ScenarioFile {
    presets::load_file(name).expect("preset reads")
}

fn checked(file: &ScenarioFile) -> Scenario {
    validate(file).unwrap_or_else(|errors| panic!("invalid: {errors:?}"))
}

fn run_checked(scenario: &Scenario, seed: u64) -> Outcome {
    let mut options = SimulationOptions::from_scenario(scenario);
    options.seed = seed;
    options.check_invariants = true;
    // Let forks in flight at the end resolve (sync only, no new blocks).
    options.settle_ms = 2 * MINUTE_MS;
    sim::simulate_with(scenario, options).unwrap_or_else(|error| panic!("seed {seed}: {error}"))
}

fn node<'a>(outcome: &'a Outcome, id: &str) -> &'a catapult_dr::sim::outcome::NodeOutcome {
    outcome
        .nodes
        .iter()
        .find(|node| node.id == id)
        .expect("node exists")
}

fn fault(kind: FaultAction, at_ms: u64, until_ms: Option<u64>) -> FaultFile {
    FaultFile {
        at_ms,
        until_ms,
        action: kind,
    }
}

/// Validation case 1: PEER2 isolated for fewer than 40 blocks keeps harvesting alone
/// (slower blocks, falling difficulty), then on heal undoes its private blocks within
/// about a reconnect round plus a sync round; PEER1 and PEER3 never adopt its blocks.
#[test]
fn case_1_isolated_peer_forks_then_rolls_back_on_heal() {
    let file = preset("seed-fork");
    let scenario = checked(&file);
    let isolated_at = 30 * MINUTE_MS;
    let healed_at = 38 * MINUTE_MS;
    for seed in 1..=8 {
        let mut options = SimulationOptions::from_scenario(&scenario);
        options.seed = seed;
        options.check_invariants = true;
        let mut simulation = Simulation::new(&scenario, options);
        simulation.run_until(healed_at).unwrap();
        let peer2 = scenario.node_by_id("peer2").unwrap();
        let peer1 = scenario.node_by_id("peer1").unwrap();
        let private: Vec<_> = {
            let chain = &simulation.nodes[peer2.get()].disk.chain;
            let other = &simulation.nodes[peer1.get()].disk.chain;
            chain
                .blocks()
                .iter()
                .zip(other.blocks().iter().chain(std::iter::repeat(
                    &catapult_dr::sim::chain::BlockId(u32::MAX),
                )))
                .filter(|(mine, theirs)| mine != theirs)
                .map(|(mine, _)| *mine)
                .collect()
        };
        assert!(
            !private.is_empty(),
            "seed {seed}: peer2 made no private blocks"
        );
        assert!(
            private.len() < 40,
            "seed {seed}: {} private blocks",
            private.len()
        );
        let blocks: Vec<_> = private
            .iter()
            .map(|id| simulation.blocks.get(*id).clone())
            .collect();
        assert!(blocks.iter().all(|block| block.harvester == Some(peer2.0)));
        let span_s = (blocks.last().unwrap().timestamp_ms - isolated_at) as f64 / 1_000.0;
        let mean_interval_s = span_s / blocks.len() as f64;
        assert!(
            mean_interval_s > 15.0,
            "seed {seed}: alone it made blocks every {mean_interval_s:.1}s"
        );
        assert!(
            mean_interval_s < 60.0,
            "seed {seed}: smoothing keeps a minority going ({mean_interval_s:.1}s)"
        );
        if blocks.len() >= 3 {
            assert!(
                blocks.last().unwrap().difficulty < blocks[0].difficulty,
                "seed {seed}: difficulty should fall on the minority fork"
            );
        }
        let outcome = simulation.run().unwrap();
        let peer2_outcome = node(&outcome, "peer2");
        let rollback = peer2_outcome
            .rollbacks
            .iter()
            .find(|rollback| rollback.at_ms >= healed_at)
            .unwrap_or_else(|| panic!("seed {seed}: peer2 never rolled back"));
        // It keeps harvesting alone until it reconnects, so it undoes at least the blocks
        // it had made by the heal, and a few more at most.
        assert!(
            rollback.depth >= private.len() as u64 && rollback.depth <= private.len() as u64 + 6,
            "seed {seed}: undid {} blocks, had {} private at the heal",
            rollback.depth,
            private.len()
        );
        assert!(
            rollback.at_ms - healed_at <= 63_000 + 1_000,
            "seed {seed}: healed after {} ms",
            rollback.at_ms - healed_at
        );
        for id in ["peer1", "peer3"] {
            assert!(
                node(&outcome, id)
                    .rollbacks
                    .iter()
                    .all(|rollback| rollback.depth <= 1),
                "seed {seed}: {id} must not adopt peer2's fork"
            );
        }
        assert!(outcome.converged, "seed {seed}");
        assert_eq!(
            outcome.transactions.lost, 0,
            "seed {seed}: re-queued transactions confirm again"
        );
    }
}

/// Validation case 2: two tips with identical scores: each node keeps its own (a strictly
/// better chain is required); the next block breaks the tie. Covered at the engine level
/// in the `sim::sync` unit tests; here, across many seeds, no node ever flips on equal score:
/// every rollback moves to a strictly better chain.
#[test]
fn case_2_rollbacks_only_ever_move_to_strictly_better_chains() {
    let scenario = checked(&preset("multi-az"));
    for seed in 1..=5 {
        let outcome = run_checked(&scenario, seed);
        assert!(outcome.converged);
    }
}

/// Validation case 3: every API node down for an hour, PEERs up. The chain keeps growing
/// by about 3600/15 = 240 blocks; clients get errors; when the API nodes return they
/// catch up by pulling; nothing confirmed is lost.
#[test]
fn case_3_api_tier_down_for_an_hour() {
    let mut file = preset("multi-az");
    file.faults = vec![
        fault(
            FaultAction::Crash {
                node: "api1".into(),
            },
            HOUR_MS,
            Some(2 * HOUR_MS),
        ),
        fault(
            FaultAction::Crash {
                node: "api2".into(),
            },
            HOUR_MS,
            Some(2 * HOUR_MS),
        ),
    ];
    file.duration_ms = 3 * HOUR_MS;
    let scenario = checked(&file);
    let outcome = run_checked(&scenario, 3);
    let height_at = |at_ms: u64| {
        outcome
            .samples
            .iter()
            .rev()
            .find(|sample| sample.at_ms <= at_ms)
            .unwrap()
            .best_height
    };
    let grown = height_at(2 * HOUR_MS) - height_at(HOUR_MS);
    assert!(
        (200..=280).contains(&grown),
        "grew {grown} blocks in the hour"
    );
    let rejected_in_outage = outcome
        .transaction_fates
        .iter()
        .filter(|summary| {
            summary.submitted_ms >= HOUR_MS + MINUTE_MS && summary.submitted_ms < 2 * HOUR_MS
        })
        .filter(|summary| summary.fate == TransactionFate::Rejected)
        .count();
    assert!(
        rejected_in_outage > 500,
        "clients get errors: {rejected_in_outage}"
    );
    assert_eq!(outcome.transactions.lost_after_confirmation, 0, "RPO 0");
    let best = outcome.best_height;
    for id in ["api1", "api2"] {
        assert!(node(&outcome, id).height + 1 >= best, "{id} caught up");
    }
    assert!(outcome.converged);
}

/// Validation case 4: every PEER down, API nodes up: the height freezes, requests are
/// accepted but stay unconfirmed and expire; production resumes when a PEER returns.
#[test]
fn case_4_peers_down_height_freezes_transactions_expire() {
    let mut file = preset("multi-az");
    file.chain.transaction_lifetime_ms = 20 * MINUTE_MS;
    file.faults = ["peer1", "peer2", "peer3"]
        .iter()
        .map(|id| {
            fault(
                FaultAction::Crash {
                    node: id.to_string(),
                },
                HOUR_MS,
                Some(2 * HOUR_MS),
            )
        })
        .collect();
    file.duration_ms = 3 * HOUR_MS;
    let scenario = checked(&file);
    let outcome = run_checked(&scenario, 4);
    let during: Vec<_> = outcome
        .samples
        .iter()
        .filter(|sample| sample.at_ms > HOUR_MS + MINUTE_MS && sample.at_ms < 2 * HOUR_MS)
        .collect();
    assert!(
        during
            .windows(2)
            .all(|pair| pair[0].best_height == pair[1].best_height),
        "frozen"
    );
    assert!(
        during.iter().all(|sample| sample.clients_served),
        "reads keep working"
    );
    let outage_writes: Vec<_> = outcome
        .transaction_fates
        .iter()
        .filter(|summary| {
            summary.submitted_ms > HOUR_MS && summary.submitted_ms < 2 * HOUR_MS - 20 * MINUTE_MS
        })
        .collect();
    assert!(!outage_writes.is_empty());
    assert!(
        outage_writes.iter().all(|summary| matches!(
            summary.fate,
            TransactionFate::Lost {
                confirmed_ms: None,
                ..
            }
        )),
        "accepted during the outage, never confirmed, expired"
    );
    let last = outcome.samples.last().unwrap();
    let at_return = outcome
        .samples
        .iter()
        .find(|sample| sample.at_ms >= 2 * HOUR_MS)
        .unwrap();
    assert!(
        last.best_height > at_return.best_height + 100,
        "production resumed"
    );
}

/// Validation case 5: region loss under the AWS Backup strategy: the restored chain
/// starts at the newest snapshot copied in time, and up to the backup interval plus
/// copy lag of confirmed blocks is lost.
#[test]
fn case_5_region_loss_restores_from_the_last_copied_snapshot() {
    let file = preset("inter-region-backup");
    let scenario = checked(&file);
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.seed = 5;
    let outcome = sim::simulate_with(&scenario, options).unwrap();
    let snapshots: Vec<(u64, u64)> = outcome
        .trace
        .iter()
        .filter_map(|entry| match entry.event {
            TraceEvent::SnapshotTaken { height } => Some((entry.at_ms, height)),
            _ => None,
        })
        .collect();
    // Tokyo is lost at 7h; the 6h snapshot's copy landed at 6h15.
    let six_hours = snapshots
        .iter()
        .find(|(at, _)| *at == 6 * HOUR_MS)
        .expect("6h snapshot")
        .1;
    let restored: Vec<u64> = outcome
        .trace
        .iter()
        .filter_map(|entry| match entry.event {
            TraceEvent::Restored { height, .. } => Some(height),
            _ => None,
        })
        .collect();
    assert_eq!(restored.len(), 5);
    assert!(restored.iter().all(|&height| height == six_hours));
    let lost_window: Vec<u64> = outcome
        .transaction_fates
        .iter()
        .filter_map(|summary| match summary.fate {
            TransactionFate::Lost {
                confirmed_ms: Some(at),
                ..
            } => Some(at),
            _ => None,
        })
        .collect();
    assert!(!lost_window.is_empty());
    let oldest_lost = *lost_window.iter().min().unwrap();
    assert!((6 * HOUR_MS - MINUTE_MS..=6 * HOUR_MS + MINUTE_MS).contains(&oldest_lost));
    let rpo_ms = 7 * HOUR_MS - oldest_lost;
    assert!(rpo_ms <= 2 * HOUR_MS + 15 * MINUTE_MS, "RPO {rpo_ms}");
    assert!(
        node(&outcome, "dr-api1").height > six_hours + 100,
        "the restored chain grows"
    );
}

#[test]
fn same_seed_same_hash_different_seeds_differ_and_golden_values_hold() {
    let scenario = checked(&preset("seed-fork"));
    let first = sim::simulate(&scenario).unwrap();
    let second = sim::simulate(&scenario).unwrap();
    assert_eq!(first.trace_hash, second.trace_hash);
    assert_eq!(format_hash(first.trace_hash), golden::SEED_FORK_TRACE_HASH);
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.seed = 2;
    assert_ne!(
        sim::simulate_with(&scenario, options).unwrap().trace_hash,
        first.trace_hash
    );

    let multi_az = checked(&preset("multi-az"));
    let mut options = SimulationOptions::from_scenario(&multi_az);
    options.seed = 7;
    let outcome = sim::simulate_with(&multi_az, options).unwrap();
    assert_eq!(
        format_hash(outcome.trace_hash),
        golden::MULTI_AZ_SEED_7_TRACE_HASH
    );
}

#[test]
fn keeping_the_trace_does_not_change_the_hash() {
    let scenario = checked(&preset("active-active"));
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.keep_trace = false;
    let light = sim::simulate_with(&scenario, options.clone()).unwrap();
    options.keep_trace = true;
    let full = sim::simulate_with(&scenario, options).unwrap();
    assert_eq!(light.trace_hash, full.trace_hash);
    assert!(light.trace.is_empty() && !full.trace.is_empty());
    assert_eq!(full.trace.len() as u64, full.trace_events);
}

/// A small VOPR: random fault schedules over many seeds, invariant checkers after every
/// event, and convergence once every fault has healed (unless a fork went past the limit).
#[test]
fn invariants_hold_over_random_fault_schedules() {
    let base = preset("multi-az");
    let node_ids: Vec<String> = base
        .regions
        .iter()
        .flat_map(|region| region.azs.iter())
        .flat_map(|az| az.nodes.iter().map(|node| node.id.clone()))
        .collect();
    for (seed, finalization) in (1..=24u64).map(|seed| (seed, seed % 3 == 0)) {
        let mut rng = SimRng::new(seed * 7919);
        let mut file = base.clone();
        file.duration_ms = 4 * HOUR_MS;
        if finalization {
            file.chain.max_rollback_blocks = 0;
            file.chain.finalization.enabled = true;
            for region in &mut file.regions {
                for az in &mut region.azs {
                    for node in &mut az.nodes {
                        node.voting = true;
                        node.voting_balance = 1;
                    }
                }
            }
        }
        let mut faults = Vec::new();
        let mut busy_until = vec![0u64; node_ids.len()];
        for _ in 0..(2 + rng.below(5)) {
            let at_ms = rng.below(150) as u64 * MINUTE_MS;
            let until_ms = at_ms + (1 + rng.below(40) as u64) * MINUTE_MS;
            let target = rng.below(node_ids.len());
            let id = node_ids[target].clone();
            let action = match rng.below(5) {
                0 | 1 if busy_until[target] <= at_ms => {
                    busy_until[target] = until_ms;
                    FaultAction::Crash { node: id }
                }
                2 => FaultAction::Isolate { node: id },
                3 => FaultAction::Partition {
                    groups: vec![
                        vec!["peer1".into(), "api1".into()],
                        vec!["peer2".into(), "peer3".into()],
                    ],
                    one_way: rng.below(2) == 0,
                },
                _ => FaultAction::Degrade {
                    groups: vec![
                        vec!["ap-northeast-1a".into()],
                        vec!["ap-northeast-1c".into()],
                    ],
                    extra_latency_ms: 200,
                    loss_percent: 20.0,
                },
            };
            faults.push(fault(action, at_ms, Some(until_ms)));
        }
        file.faults = faults;
        let scenario = checked(&file);
        let outcome = run_checked(&scenario, seed);
        if outcome.fork.irreconcilable_nodes.is_empty() {
            assert!(
                outcome.converged,
                "seed {seed}: did not converge: {:?}",
                outcome.nodes
            );
        }
    }
}

#[test]
fn a_fork_deeper_than_the_limit_stays_forked_until_an_operator_resyncs() {
    let mut file = preset("seed-fork");
    // Cut peer2 off for two hours: far more than 40 blocks on each side.
    file.duration_ms = 5 * HOUR_MS;
    file.faults = vec![fault(
        FaultAction::Isolate {
            node: "peer2".into(),
        },
        30 * MINUTE_MS,
        Some(150 * MINUTE_MS),
    )];
    let scenario = checked(&file);
    let outcome = run_checked(&scenario, 9);
    assert_eq!(outcome.fork.irreconcilable_nodes, vec!["peer2".to_string()]);
    assert!(!outcome.converged);
    assert!(node(&outcome, "peer2").fork_depth > 40);

    file.faults.push(fault(
        FaultAction::Resync {
            node: "peer2".into(),
        },
        4 * HOUR_MS,
        Some(4 * HOUR_MS + MINUTE_MS),
    ));
    let scenario = checked(&file);
    let outcome = run_checked(&scenario, 9);
    assert!(outcome.fork.irreconcilable_nodes.is_empty());
    assert!(outcome.converged, "{:?}", outcome.nodes);
}

#[test]
fn finalization_stalls_without_quorum_and_finalized_blocks_never_roll_back() {
    let scenario = checked(&preset("active-active"));
    let outcome = run_checked(&scenario, 1);
    let finalized: Vec<(u64, u64)> = outcome
        .trace
        .iter()
        .filter_map(|entry| match entry.event {
            TraceEvent::Finalized { height, .. } => Some((entry.at_ms, height)),
            _ => None,
        })
        .collect();
    // 60 % of the voting balance in Tokyo, 40 % in Singapore: neither reaches 67 %.
    assert!(finalized
        .iter()
        .all(|(at, _)| *at < 2 * HOUR_MS || *at >= 3 * HOUR_MS));
    assert!(finalized.iter().any(|(at, _)| *at > 3 * HOUR_MS));
    assert!(outcome.nodes.iter().all(|node| node.finalized_height > 1));
    let deepest = outcome
        .nodes
        .iter()
        .flat_map(|node| node.rollbacks.iter())
        .map(|r| r.depth)
        .max()
        .unwrap();
    assert!(
        deepest > 40,
        "finalization bounds rollbacks, not maxRollbackBlocks"
    );
    assert!(outcome.converged);
    // Non-voters (the API nodes) finalize whole epochs of votingSetGrouping blocks.
    let grouping = scenario.chain.voting_set_grouping_blocks;
    let voter_height = node(&outcome, "tokyo-peer1").finalized_height;
    for id in ["tokyo-api1", "sg-api2"] {
        let height = node(&outcome, id).finalized_height;
        assert_eq!(height % grouping, 0, "{id} at {height}");
        assert!(
            height <= voter_height && height + grouping > voter_height,
            "{id} at {height} vs {voter_height}"
        );
    }
}

#[test]
fn the_event_limit_stops_a_run_with_a_clear_error() {
    let scenario = checked(&preset("multi-az"));
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.events_max = 1_000;
    let error = sim::simulate_with(&scenario, options).unwrap_err();
    assert!(matches!(
        error,
        SimulationError::EventLimit { events: 1_001, .. }
    ));
    assert!(error.to_string().contains("shorten"));
}

#[test]
fn api_nodes_never_harvest_and_never_serve_blocks() {
    let scenario = checked(&preset("multi-az"));
    let outcome = sim::simulate(&scenario).unwrap();
    let api: Vec<u16> = ["api1", "api2"]
        .iter()
        .map(|id| scenario.node_by_id(id).unwrap().0)
        .collect();
    for entry in &outcome.trace {
        match entry.event {
            TraceEvent::BlockProduced { node, .. } => assert!(!api.contains(&node)),
            TraceEvent::BlockReceived { node, from, .. } => {
                assert!(!api.contains(&from), "an API node pushed a block");
                assert!(!api.contains(&node), "API nodes only pull");
            }
            TraceEvent::ChainSynced { from, .. } => assert!(!api.contains(&from)),
            _ => {}
        }
    }
    let _ = NodeIndex(0);
}

/// Latency routing (issue 12 definition 4): clients in every region, each region's
/// to its own healthy API nodes in proportion to its share; when their region is lost
/// they fail over to the other region once Route 53's checks fail and the TTL passes.
#[test]
fn latency_routing_sends_each_regions_clients_to_their_own_region_and_fails_over() {
    let mut file = preset("active-active");
    file.faults = vec![FaultFile {
        at_ms: HOUR_MS,
        until_ms: None,
        action: FaultAction::RegionOutage {
            region: "ap-southeast-1".into(),
        },
    }];
    file.clients.entry_point.region_shares = vec![
        ("ap-northeast-1".into(), 3.0),
        ("ap-southeast-1".into(), 1.0),
    ];
    file.duration_ms = 2 * HOUR_MS;
    let scenario = checked(&file);
    let tokyo = scenario
        .regions
        .iter()
        .position(|region| region.id == "ap-northeast-1")
        .unwrap();
    let mut simulation = Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
    simulation.run_until(2 * HOUR_MS).unwrap();
    let region_of = |node: NodeIndex| scenario.nodes[node.get()].region;
    let before: Vec<_> = simulation
        .transactions
        .iter()
        .filter(|record| record.submitted_ms < HOUR_MS)
        .collect();
    let from_tokyo = before
        .iter()
        .filter(|record| record.client_region == Some(tokyo as u16))
        .count();
    let share = from_tokyo as f64 / before.len() as f64;
    assert!((0.65..0.85).contains(&share), "Tokyo's share {share}");
    // Before the loss every client is served in its own region.
    assert!(before.iter().all(|record| record
        .accepted_by
        .is_some_and(|node| Some(region_of(node) as u16) == record.client_region)));
    // Singapore's clients are rejected until the checks fail (3 × 30 s) and the TTL
    // (60 s) passes, then Tokyo serves them.
    let singapore_after: Vec<_> = simulation
        .transactions
        .iter()
        .filter(|record| {
            record.submitted_ms >= HOUR_MS && record.client_region != Some(tokyo as u16)
        })
        .collect();
    assert!(singapore_after
        .iter()
        .filter(|record| record.submitted_ms < HOUR_MS + 60_000)
        .all(|record| record.accepted_by.is_none()));
    let late: Vec<_> = singapore_after
        .iter()
        .filter(|record| record.submitted_ms > HOUR_MS + 4 * MINUTE_MS)
        .collect();
    assert!(!late.is_empty());
    assert!(late.iter().all(|record| record
        .accepted_by
        .is_some_and(|node| region_of(node) == tokyo)));
}

/// Issue 13: "+ AZ" draws an empty AZ ready to fill. It is valid, and the simulator
/// has nothing in it to run: the run is the same as without it; a topology whose only
/// AZ is empty is refused (nothing can harvest).
#[test]
fn an_empty_az_is_valid_and_changes_nothing_in_the_run() {
    let file = preset("multi-az");
    let mut with_empty = file.clone();
    with_empty.regions[0]
        .azs
        .push(catapult_dr::scenario::file::AzFile {
            id: "ap-northeast-1d".into(),
            nodes: Vec::new(),
        });
    let plain = run_checked(&checked(&file), 7);
    let drawn = run_checked(&checked(&with_empty), 7);
    assert_eq!(format_hash(drawn.trace_hash), format_hash(plain.trace_hash));
    let mut nothing = file.clone();
    nothing.faults.clear();
    nothing.clients.entry_point.targets.clear();
    nothing.clients.transactions_per_second = 0.0;
    for az in &mut nothing.regions[0].azs {
        az.nodes.clear();
    }
    let errors = validate(&nothing).unwrap_err();
    assert!(
        errors.iter().any(|error| error.path == "regions"),
        "{errors:?}"
    );
}
