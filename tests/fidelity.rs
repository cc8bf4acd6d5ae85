//! The simulator follows catapult-server wherever a recovery number depends on it: one
//! test per rule, each failing on the rule as it was before (see the commit that
//! changed the rule) and naming the catapult-server function it follows.

use catapult_dr::scenario::file::{FaultAction, FaultFile, ScenarioFile};
use catapult_dr::scenario::{presets, validate, NodeIndex, Scenario};
use catapult_dr::sim::{Simulation, SimulationOptions};

const SECOND_MS: u64 = 1_000;
const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 3_600_000;

fn preset(name: &str) -> ScenarioFile {
    presets::load_file(name).expect("preset reads")
}

fn checked(file: &ScenarioFile) -> Scenario {
    validate(file).unwrap_or_else(|errors| panic!("invalid: {errors:?}"))
}

fn fault(action: FaultAction, at_ms: u64, until_ms: Option<u64>) -> FaultFile {
    FaultFile {
        at_ms,
        until_ms,
        action,
    }
}

/// The multi-az preset with no faults and no client load.
fn quiet_multi_az() -> ScenarioFile {
    let mut file = preset("multi-az");
    file.faults.clear();
    file.clients.transactions_per_second = 0.0;
    file
}

fn options(scenario: &Scenario, seed: u64) -> SimulationOptions {
    let mut options = SimulationOptions::from_scenario(scenario);
    options.seed = seed;
    options.check_invariants = true;
    options
}

/// The highest height among running nodes other than `node`.
fn others_height(simulation: &Simulation<'_>, node: NodeIndex) -> u64 {
    simulation
        .nodes
        .iter()
        .enumerate()
        .filter(|(index, state)| *index != node.get() && state.is_up())
        .map(|(_, state)| state.height())
        .max()
        .unwrap_or(0)
}

/// Steps the run second by second from `from_ms` until `node` is up and within one
/// block of the others; the time that took from the moment it came up.
fn catch_up_after_start_ms(
    simulation: &mut Simulation<'_>,
    node: NodeIndex,
    from_ms: u64,
    limit_ms: u64,
) -> u64 {
    simulation.run_until(from_ms).unwrap();
    let mut up_at_ms = None;
    let mut at_ms = from_ms;
    while at_ms < limit_ms {
        at_ms += SECOND_MS;
        simulation.run_until(at_ms).unwrap();
        let state = &simulation.nodes[node.get()];
        if state.is_up() {
            let up_at = *up_at_ms.get_or_insert(at_ms);
            if state.height() + 1 >= others_height(simulation, node) {
                return at_ms - up_at;
            }
        }
    }
    panic!("node {} did not catch up by {limit_ms} ms", node.get());
}

/// Rule 1, one synchronizer per node ([CS] `config-task.properties`: the synchronizer
/// task repeats every 3 s; `ChainSynchronizer.cpp`): a PEER down for 2 hours is about
/// 480 blocks behind at 15 s; at 42 blocks a round every 3 s it needs about 12 rounds,
/// about 35 s after it starts serving. Two sync loops after a restart made it 17 s.
#[test]
fn a_restarted_node_runs_one_synchronizer() {
    let mut file = quiet_multi_az();
    file.chain.initial_height = 1;
    file.duration_ms = 4 * HOUR_MS;
    file.faults = vec![fault(
        FaultAction::Stop {
            node: "peer2".into(),
        },
        HOUR_MS,
        Some(3 * HOUR_MS),
    )];
    let scenario = checked(&file);
    let peer2 = scenario.node_by_id("peer2").unwrap();
    for seed in 1..=4 {
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        simulation.run_until(3 * HOUR_MS).unwrap();
        let behind = others_height(&simulation, peer2) - simulation.nodes[peer2.get()].height();
        assert!(
            (400..=600).contains(&behind),
            "seed {seed}: {behind} behind"
        );
        let took_ms = catch_up_after_start_ms(&mut simulation, peer2, 3 * HOUR_MS, 4 * HOUR_MS);
        let rounds = behind.div_ceil(42);
        let expected_ms = rounds * 3 * SECOND_MS;
        assert!(
            took_ms + 6 * SECOND_MS >= expected_ms && took_ms <= expected_ms + 10 * SECOND_MS,
            "seed {seed}: {behind} blocks behind took {took_ms} ms; one 3 s synchronizer needs about {expected_ms} ms"
        );
    }
    let _ = MINUTE_MS;
}

/// seed-fork with peer2 holding every vote, so while it is isolated its group of one
/// finalizes its own private blocks.
fn isolated_voter(max_rollback_blocks: u64) -> Scenario {
    let mut file = preset("seed-fork");
    file.clients.transactions_per_second = 0.0;
    file.chain.initial_height = 1;
    file.chain.max_rollback_blocks = max_rollback_blocks;
    file.chain.finalization.enabled = true;
    file.chain.finalization.step_duration_ms = 30_000;
    for region in &mut file.regions {
        for az in &mut region.azs {
            for node in &mut az.nodes {
                node.voting = node.id == "peer2";
                node.voting_balance = if node.voting { 1 } else { 0 };
            }
        }
    }
    file.faults = vec![fault(
        FaultAction::Isolate {
            node: "peer2".into(),
        },
        30 * MINUTE_MS,
        Some(38 * MINUTE_MS),
    )];
    checked(&file)
}

/// Rule 3, the rollback floor ([CS] `extensions/ServiceState.cpp:
/// CreateLocalFinalizedHeightHashPairSupplier`): with `maxRollbackBlocks` 40 the floor is
/// the height minus 40 and finalization does not protect blocks during sync, so peer2
/// rolls back blocks it had finalized alone; with 0 the floor is the finalized height
/// and the same fork cannot heal. (Before: the floor was the higher of the two, so
/// peer2 refused the fork in both cases.)
#[test]
fn finalization_protects_blocks_from_rollback_only_with_max_rollback_blocks_zero() {
    for seed in 1..=3 {
        let scenario = isolated_voter(40);
        let peer2 = scenario.node_by_id("peer2").unwrap();
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        simulation.run_until(37 * MINUTE_MS).unwrap();
        let finalized_alone = simulation.nodes[peer2.get()].disk.finalized_height;
        let private_from = simulation
            .nodes
            .iter()
            .map(|state| state.height())
            .min()
            .unwrap();
        simulation.run_until(45 * MINUTE_MS).unwrap();
        let state = &simulation.nodes[peer2.get()];
        assert!(
            state
                .rollbacks
                .iter()
                .any(|rollback| rollback.at_ms > 38 * MINUTE_MS),
            "seed {seed}: peer2 never rolled back"
        );
        let rolled_to = state
            .rollbacks
            .iter()
            .filter(|rollback| rollback.at_ms > 38 * MINUTE_MS)
            .map(|rollback| rollback.depth)
            .max()
            .unwrap();
        assert!(rolled_to > 0 && finalized_alone > 1, "seed {seed}");
        assert!(!state.irreconcilable, "seed {seed}");
        assert!(
            state.height() + 1 >= others_height(&simulation, peer2),
            "seed {seed}: peer2 did not rejoin"
        );
        let _ = private_from;

        let strict = isolated_voter(0);
        let mut simulation = Simulation::new(&strict, options(&strict, seed));
        simulation.run_until(45 * MINUTE_MS).unwrap();
        let state = &simulation.nodes[peer2.get()];
        assert!(
            state.irreconcilable,
            "seed {seed}: with maxRollbackBlocks 0 peer2 must refuse to undo its finalized blocks"
        );
        assert_eq!(
            simulation.rollback_floor(peer2),
            state.disk.finalized_height
        );
    }
}

/// Rule 3 at the function: the floor is height − `maxRollbackBlocks` whatever the
/// finalized height, and the finalized height with 0.
#[test]
fn the_rollback_floor_follows_the_local_finalized_height_supplier() {
    let mut file = quiet_multi_az();
    file.chain.initial_height = 1;
    file.chain.finalization.enabled = true;
    let scenario = checked(&file);
    let mut simulation = Simulation::new(&scenario, options(&scenario, 1));
    simulation.run_until(30 * MINUTE_MS).unwrap();
    let peer1 = scenario.node_by_id("peer1").unwrap();
    let height = simulation.nodes[peer1.get()].height();
    assert!(height > 60);
    simulation.nodes[peer1.get()].disk.finalized_height = height - 5;
    assert_eq!(simulation.rollback_floor(peer1), height - 40);

    file.chain.max_rollback_blocks = 0;
    let strict = checked(&file);
    let mut simulation = Simulation::new(&strict, options(&strict, 1));
    simulation.run_until(30 * MINUTE_MS).unwrap();
    // api1 votes, so it takes each finalized block as it is.
    let api1 = strict.node_by_id("api1").unwrap();
    let finalized = simulation.nodes[api1.get()].disk.finalized_height;
    assert!(finalized > 1);
    assert_eq!(simulation.rollback_floor(api1), finalized);
}

/// Rule 2, chain comparison in catapult's order ([CS] `chain/CompareChains.cpp:
/// compareChainStatistics`, `consumers/BlockChainSyncConsumer.cpp: preprocess`): mijin's
/// own layout, API nodes vote and PEERs harvest. Split it so the voters sit with one
/// PEER and the other two PEERs (two thirds of the stake) sit apart: the voters'
/// side finalizes its slower chain, the PEERs' side makes the higher-score chain. After
/// the heal neither side takes the other's: the PEERs never pull a lower-score chain
/// (the finalized-block exception comes only after the score gate, and is keyed on a
/// node's own proof), and the voters' side cannot undo its finalized blocks. The split
/// stays until an operator acts. (Before: the PEERs pulled the lower-score chain because
/// their partner claimed a newer finalized block.)
#[test]
fn voters_and_harvesters_on_different_sides_do_not_heal_by_themselves() {
    let mut file = quiet_multi_az();
    file.chain.initial_height = 1;
    file.chain.max_rollback_blocks = 0;
    file.chain.finalization.enabled = true;
    file.chain.finalization.step_duration_ms = 30_000;
    file.duration_ms = 3 * HOUR_MS;
    file.faults = vec![fault(
        FaultAction::Partition {
            groups: vec![
                vec!["peer1".into(), "api1".into(), "api2".into()],
                vec!["peer2".into(), "peer3".into()],
            ],
            one_way: false,
        },
        HOUR_MS,
        Some(HOUR_MS + 30 * MINUTE_MS),
    )];
    let scenario = checked(&file);
    let index = |id: &str| scenario.node_by_id(id).unwrap().get();
    for seed in 1..=3 {
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        simulation.run_until(3 * HOUR_MS).unwrap();
        let tip = |id: &str| simulation.nodes[index(id)].tip();
        let score = |id: &str| simulation.blocks.get(tip(id)).cumulative_score;
        assert_eq!(tip("peer2"), tip("peer3"), "seed {seed}");
        assert!(
            !simulation.nodes[index("peer2")].contains(&simulation.blocks, tip("peer1")),
            "seed {seed}: the PEERs took the voters' lower-score chain"
        );
        assert!(
            !simulation.nodes[index("peer1")].contains(&simulation.blocks, tip("peer2")),
            "seed {seed}: the voters' side undid its finalized blocks"
        );
        assert!(score("peer2") > score("peer1"), "seed {seed}");
        assert!(
            simulation.nodes[index("peer1")].irreconcilable,
            "seed {seed}"
        );
        // The voters' side finalized past the fork.
        assert!(
            simulation.nodes[index("api1")].disk.finalized_height > 240,
            "seed {seed}"
        );
    }
}

/// Rule 4, what gets finalized ([CS] `FinalizationMessageFactory.cpp:
/// loadPrevoteHashChain`): voters prevote up to their chain height − 4 rounded down to
/// a multiple of 4, within the epoch and 256 hashes, so a finalized block is never the
/// tip and always on a multiple of 4. (Before: the tip itself was finalized.)
#[test]
fn finalization_stops_four_blocks_below_the_tip_on_a_multiple_of_four() {
    let mut file = quiet_multi_az();
    file.chain.initial_height = 1;
    file.chain.max_rollback_blocks = 0;
    file.chain.finalization.enabled = true;
    file.chain.finalization.step_duration_ms = 20_000;
    file.duration_ms = 3 * HOUR_MS;
    let scenario = checked(&file);
    for seed in 1..=3 {
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        let mut seen = 0;
        let mut at_ms = 0;
        while at_ms < 3 * HOUR_MS {
            at_ms += 10 * SECOND_MS;
            let before = simulation.trace.entries().len();
            simulation.run_until(at_ms).unwrap();
            let tallest = simulation
                .nodes
                .iter()
                .map(|state| state.height())
                .max()
                .unwrap();
            for entry in &simulation.trace.entries()[before..] {
                if let catapult_dr::sim::trace::TraceEvent::Finalized { height, .. } = entry.event {
                    seen += 1;
                    assert_eq!(height % 4, 0, "seed {seed}: finalized {height}");
                    assert!(
                        height + 4 <= tallest,
                        "seed {seed}: finalized {height} of {tallest}"
                    );
                }
            }
        }
        assert!(seen > 10, "seed {seed}: {seen} finalizations");
    }
}

/// Rule 5, standby and restored nodes are the same accounts as their source: the
/// backup layout's primary region holds every vote, so with finalization on it
/// finalizes; after the restore the copies vote with their sources' keys and finalize
/// in the recovery region. (Before: the standby copies added their own voting weight,
/// so the primary held half the votes and never finalized anything.)
#[test]
fn standby_copies_add_neither_stake_nor_votes() {
    let mut file = preset("inter-region-backup");
    file.clients.transactions_per_second = 0.0;
    file.chain.initial_height = 1;
    file.chain.max_rollback_blocks = 0;
    file.chain.finalization.enabled = true;
    let scenario = checked(&file);
    let index = |id: &str| scenario.node_by_id(id).unwrap().get();
    let mut simulation = Simulation::new(&scenario, options(&scenario, 1));
    simulation.run_until(6 * HOUR_MS).unwrap();
    let api1 = &simulation.nodes[index("api1")];
    assert!(
        api1.disk.finalized_height + 40 >= api1.height() && api1.disk.finalized_height > 1_000,
        "primary region finalized {} of {}",
        api1.disk.finalized_height,
        api1.height()
    );
    // Three own harvesting accounts: blocks keep their 15 s pace from the start.
    assert!(
        (1_300..=1_560).contains(&api1.height()),
        "{}",
        api1.height()
    );
    simulation.run_until(36 * HOUR_MS).unwrap();
    let copy = &simulation.nodes[index("dr-api1")];
    assert!(copy.is_up());
    assert!(
        copy.disk.finalized_height + 40 >= copy.height(),
        "recovery region finalized {} of {}",
        copy.disk.finalized_height,
        copy.height()
    );
}

/// Rule 6, network-height gating on by default ([CS] and [TB] enable the
/// `networkheight` extension; `NetworkHeightService.cpp`): a PEER that restarts far
/// behind makes no block on its stale tip while it catches up. With the extension off
/// (symbol-bootstrap's choice) it does, once its harvest start delay has passed.
#[test]
fn a_node_far_behind_does_not_harvest_while_it_catches_up() {
    let base = {
        let mut file = quiet_multi_az();
        file.chain.initial_height = 1;
        // Slow catch-up (10 blocks a round): longer than the 30 s harvest start delay.
        file.chain.max_blocks_per_sync = 10;
        file.duration_ms = 4 * HOUR_MS;
        file.faults = vec![fault(
            FaultAction::Stop {
                node: "peer2".into(),
            },
            HOUR_MS,
            Some(3 * HOUR_MS),
        )];
        file
    };
    assert!(checked(&base).chain.harvest_gating, "on by default");
    let stale_blocks = |harvest_gating: bool, seed: u64| -> usize {
        let mut file = base.clone();
        file.chain.harvest_gating = harvest_gating;
        let scenario = checked(&file);
        let peer2 = scenario.node_by_id("peer2").unwrap();
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        simulation.run_until(3 * HOUR_MS).unwrap();
        let before = simulation.trace.entries().len();
        let took_ms = catch_up_after_start_ms(&mut simulation, peer2, 3 * HOUR_MS, 4 * HOUR_MS);
        assert!(
            took_ms > 60 * SECOND_MS,
            "seed {seed}: caught up in {took_ms} ms"
        );
        simulation.trace.entries()[before..]
            .iter()
            .filter(|entry| {
                matches!(entry.event, catapult_dr::sim::trace::TraceEvent::BlockProduced { node, .. } if node == peer2.0)
            })
            .count()
    };
    for seed in 1..=3 {
        assert_eq!(stale_blocks(true, seed), 0, "seed {seed}");
        assert!(stale_blocks(false, seed) > 0, "seed {seed}");
    }
}

/// Steps the run `step_ms` at a time from `from_ms` until `node` is up and within one
/// block of the others; the time that took from `from_ms`.
fn caught_up_after_ms(
    simulation: &mut Simulation<'_>,
    node: NodeIndex,
    from_ms: u64,
    step_ms: u64,
    limit_ms: u64,
) -> Option<u64> {
    let mut at_ms = from_ms;
    while at_ms < limit_ms {
        at_ms += step_ms;
        simulation.run_until(at_ms).unwrap();
        let state = &simulation.nodes[node.get()];
        if state.is_up() && state.height() + 1 >= others_height(simulation, node) {
            return Some(at_ms - from_ms);
        }
    }
    None
}

/// Rule 7, chain history: a PEER that loses its disk with no snapshot resyncs the
/// whole chain from its peers. With a year of history (2,102,400 blocks) at 42 blocks
/// per 3 s round that is about 42 h ([CS] `ChainSynchronizer.cpp`; processing at 20 ms a
/// block keeps up); with `initial_height` 1 the same fault heals in minutes. History
/// costs one event per sync round, not one per block. (Before: every run started at
/// the nemesis block, so the resync took seconds.)
#[test]
fn disk_loss_without_a_snapshot_resyncs_a_year_of_history() {
    let disk_loss = |initial_height: u64| {
        let mut file = quiet_multi_az();
        file.chain.initial_height = initial_height;
        file.duration_ms = 60 * HOUR_MS;
        file.faults = vec![fault(
            FaultAction::DiskLoss {
                node: "peer2".into(),
            },
            HOUR_MS,
            Some(HOUR_MS + 10 * MINUTE_MS),
        )];
        checked(&file)
    };
    let year = disk_loss(2_102_400);
    let peer2 = year.node_by_id("peer2").unwrap();
    let mut options_year = options(&year, 1);
    options_year.check_invariants = false;
    let mut simulation = Simulation::new(&year, options_year.clone());
    simulation.run_until(HOUR_MS + 10 * MINUTE_MS).unwrap();
    let took_ms = caught_up_after_ms(
        &mut simulation,
        peer2,
        HOUR_MS + 10 * MINUTE_MS,
        10 * MINUTE_MS,
        60 * HOUR_MS,
    )
    .expect("caught up within the run");
    assert!(
        (40 * HOUR_MS..=48 * HOUR_MS).contains(&took_ms),
        "a year of history took {} h",
        took_ms as f64 / HOUR_MS as f64
    );
    let year_events = catapult_dr::sim::simulate_with(&year, options_year)
        .unwrap()
        .events;

    let fresh = disk_loss(1);
    let mut options_fresh = options(&fresh, 1);
    options_fresh.check_invariants = false;
    let mut simulation = Simulation::new(&fresh, options_fresh.clone());
    simulation.run_until(HOUR_MS + 10 * MINUTE_MS).unwrap();
    let took_ms = caught_up_after_ms(
        &mut simulation,
        peer2,
        HOUR_MS + 10 * MINUTE_MS,
        10 * SECOND_MS,
        3 * HOUR_MS,
    )
    .expect("caught up");
    assert!(
        took_ms < 10 * MINUTE_MS,
        "from the nemesis block took {took_ms} ms"
    );
    let fresh_events = catapult_dr::sim::simulate_with(&fresh, options_fresh)
        .unwrap()
        .events;
    // About 2 events per 42-block round: ~100 k more, not millions.
    let extra = year_events - fresh_events;
    assert!(
        (60_000..=200_000).contains(&extra),
        "a year of history cost {extra} more events"
    );
}

/// Rule 7 with rule 1: a node restored from a snapshot about 2 hours old while its
/// peers run pulls about 480 blocks at 42 per 3 s round: caught up about 35 s after it
/// starts serving (17 s with the old double synchronizer).
#[test]
fn a_restore_from_a_two_hour_old_snapshot_catches_up_in_about_thirty_five_seconds() {
    let mut file = quiet_multi_az();
    file.duration_ms = 5 * HOUR_MS;
    file.backup = Some(catapult_dr::scenario::file::BackupFile::with_source(
        "peer1".into(),
    ));
    file.faults = vec![fault(
        FaultAction::Restore {
            nodes: vec!["peer2".into()],
        },
        4 * HOUR_MS - MINUTE_MS,
        None,
    )];
    let scenario = checked(&file);
    let peer2 = scenario.node_by_id("peer2").unwrap();
    for seed in 1..=3 {
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        let took_ms =
            catch_up_after_start_ms(&mut simulation, peer2, 4 * HOUR_MS - MINUTE_MS, 5 * HOUR_MS);
        assert!(
            (30 * SECOND_MS..=46 * SECOND_MS).contains(&took_ms),
            "seed {seed}: {took_ms} ms"
        );
    }
}

/// Rule 7: the run starts at the difficulty equilibrium for the harvesting stake, so
/// the first 60 blocks already come at about the block time (no start-up transient).
#[test]
fn a_chain_with_history_starts_at_its_block_time() {
    let mut file = quiet_multi_az();
    file.duration_ms = 2 * HOUR_MS;
    let scenario = checked(&file);
    let (mut total_ms, mut blocks) = (0u64, 0u64);
    for seed in 1..=5 {
        let mut simulation = Simulation::new(&scenario, options(&scenario, seed));
        simulation.run_until(2 * HOUR_MS).unwrap();
        let best = simulation.best_node();
        let chain = &simulation.nodes[best.get()].disk.chain;
        let first_60 = chain.blocks()[60];
        total_ms += simulation.blocks.get(first_60).timestamp_ms;
        blocks += 60;
    }
    let average_s = total_ms as f64 / blocks as f64 / 1_000.0;
    assert!(
        (13.5..=16.5).contains(&average_s),
        "the first 60 blocks averaged {average_s:.2} s"
    );
}

/// Rule 7: the backup vault already holds its retained snapshots at time 0, so a
/// region lost 30 minutes into the run is restored from a snapshot, not from the
/// nemesis block.
#[test]
fn the_vault_holds_snapshots_at_time_zero() {
    let mut file = preset("inter-region-backup");
    file.clients.transactions_per_second = 0.0;
    file.duration_ms = 3 * HOUR_MS;
    for fault in &mut file.faults {
        fault.at_ms = 30 * MINUTE_MS;
        fault.until_ms = fault.until_ms.map(|_| HOUR_MS);
    }
    let scenario = checked(&file);
    let outcome = catapult_dr::sim::simulate_with(&scenario, options(&scenario, 1)).unwrap();
    let restored: Vec<u64> = outcome
        .trace
        .iter()
        .filter_map(|entry| match entry.event {
            catapult_dr::sim::trace::TraceEvent::Restored { height, .. } => Some(height),
            _ => None,
        })
        .collect();
    assert_eq!(restored.len(), 5);
    // The copy of the snapshot taken at time 0 landed at 15 min: the whole history.
    assert!(
        restored.iter().all(|&height| height == 2_102_400),
        "{restored:?}"
    );
}

/// A split reported as a split: `simulate --json` lists one ledger per branch that
/// will not merge by itself, with its nodes (running and down), tip, since when, and
/// the client writes confirmed only on it; the summary says it in words. A network
/// that agrees has one ledger.
#[test]
fn a_split_is_reported_as_ledgers() {
    let mut file = preset("multi-az");
    file.chain.initial_height = 1;
    file.duration_ms = 3 * HOUR_MS;
    file.faults = vec![fault(
        FaultAction::Partition {
            groups: vec![
                vec!["peer1".into(), "peer2".into(), "api1".into()],
                vec!["peer3".into(), "api2".into()],
            ],
            one_way: false,
        },
        HOUR_MS,
        Some(2 * HOUR_MS),
    )];
    let scenario = checked(&file);
    let outcome = catapult_dr::sim::simulate_with(&scenario, options(&scenario, 1)).unwrap();
    let json = catapult_dr::report::simulation_json(&outcome);
    let ledgers = json["ledgers"].as_array().unwrap();
    assert_eq!(ledgers.len(), 2, "{json:#}");
    let names = |ledger: &serde_json::Value| -> Vec<String> {
        let mut names: Vec<String> = ledger["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| node.as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&ledgers[0]), ["api1", "peer1", "peer2"]);
    assert_eq!(names(&ledgers[1]), ["api2", "peer3"]);
    let since_s = ledgers[1]["since_s"].as_f64().unwrap();
    assert!((3_600.0..3_700.0).contains(&since_s), "{since_s}");
    assert!(ledgers[1]["confirmed_only_here"]["count"].as_u64().unwrap() > 50);
    assert!(
        ledgers[1]["tip_height"].as_u64().unwrap() < ledgers[0]["tip_height"].as_u64().unwrap()
    );
    let split = outcome.split.as_deref().unwrap();
    assert!(split.contains("disagree since 1h"), "{split}");
    assert!(split.contains("peer3 cannot roll back"), "{split}");
    assert!(split.contains("past maxRollbackBlocks 40"), "{split}");
    assert!(split.contains("confirmed only on the"), "{split}");
    assert!(catapult_dr::report::simulation_text(&outcome).contains("SPLIT: "));

    // The same network without the partition agrees: one ledger.
    file.faults.clear();
    let scenario = checked(&file);
    let outcome = catapult_dr::sim::simulate_with(&scenario, options(&scenario, 1)).unwrap();
    let json = catapult_dr::report::simulation_json(&outcome);
    assert_eq!(json["ledgers"].as_array().unwrap().len(), 1);
    assert!(json["ledgers"][0]["since_s"].is_null());
    assert!(outcome.split.is_none());
}

/// A node still catching up takes no pushed transactions ([CS] the transaction sink is
/// gated by `chainSyncedPredicate`, like harvesting): its pool stays empty while it
/// resyncs history, so it neither confirms them nor keeps its peers pulling them.
#[test]
fn a_node_catching_up_takes_no_pushed_transactions() {
    let mut file = preset("multi-az");
    file.duration_ms = 4 * HOUR_MS;
    file.faults = vec![fault(
        FaultAction::DiskLoss {
            node: "peer2".into(),
        },
        HOUR_MS,
        Some(HOUR_MS + 10 * MINUTE_MS),
    )];
    let scenario = checked(&file);
    let peer2 = scenario.node_by_id("peer2").unwrap();
    let mut simulation = Simulation::new(&scenario, options(&scenario, 1));
    let mut at_ms = HOUR_MS + 15 * MINUTE_MS;
    while at_ms < 4 * HOUR_MS {
        simulation.run_until(at_ms).unwrap();
        let state = &simulation.nodes[peer2.get()];
        assert!(state.is_up() && state.disk.chain.is_historical());
        assert_eq!(state.pool_size(), 0, "at {at_ms} ms");
        at_ms += 10 * MINUTE_MS;
    }
}
