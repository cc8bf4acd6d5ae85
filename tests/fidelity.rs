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
