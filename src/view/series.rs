//! Time series for the charts, all taken in one pass through a [`Simulation`]: the run
//! advances with `run_until` to each sampling instant and every series reads the same
//! state there.
//!
//! Sampling: every `max(duration / 400, block time)`, from 0 to the end of the run
//! (the end is always the last point).
//!
//! Definitions:
//! - **fork depth**: the largest, over running nodes, of a node's own blocks above the
//!   last block it shares with the best chain (0 when every running node is on it);
//! - **API availability**: the share of the deployment's API and DUAL nodes (standby
//!   nodes not counted until one serves) that can serve clients now — up, API not
//!   failed (`Simulation::serves_clients`), capped at 1; beside it, whether the entry
//!   point serves every client request (`Simulation::clients_served`);
//! - **confirmed**: client transactions confirmed in some block so far (cumulative,
//!   never decreases);
//! - **lost**: accepted client transactions that the best chain does not carry and no
//!   running node holds unexpired — the run outcome's definition, evaluated at each
//!   point (rolled back and dropped, or expired); it falls only if a branch switch
//!   brings a lost transaction's block back;
//! - **rejected**: client writes the entry point refused (cumulative).
//!
//! Invariants: every series has one value per point of `at_ms`; `heights_blocks` has
//! one series per node in scenario order; deterministic (same scenario, same series).

use crate::scenario::Scenario;
use crate::sim::outcome::common_height;
use crate::sim::{Simulation, SimulationError, SimulationOptions};

/// Points wanted across a run (fewer when the block time is longer than the step).
pub const SERIES_POINTS_TARGET: u64 = 400;

/// Every chart series of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSeries {
    pub node_names: Vec<String>,
    pub duration_ms: u64,
    pub interval_ms: u64,
    /// The scenario's `maxRollbackBlocks` (for the fork-depth chart's limit line).
    pub max_rollback_blocks: u64,
    /// The chain's height at time 0 (`initial_height`): the height chart counts blocks
    /// from it, so a year of history does not flatten the run's lines.
    pub start_height: u64,
    pub at_ms: Vec<u64>,
    /// `heights_blocks[node][point]`.
    pub heights_blocks: Vec<Vec<u64>>,
    pub best_height_blocks: Vec<u64>,
    pub fork_depth_blocks: Vec<u64>,
    /// 0.0 ..= 1.0.
    pub api_available_share: Vec<f64>,
    pub clients_served: Vec<bool>,
    pub confirmed_transactions: Vec<u64>,
    pub lost_transactions: Vec<u64>,
    pub rejected_transactions: Vec<u64>,
}

impl RunSeries {
    pub fn len(&self) -> usize {
        self.at_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at_ms.is_empty()
    }
}

/// The sampling step for a run: `max(duration / 400, block time)`, at least 1 ms.
pub fn sample_interval_ms(duration_ms: u64, block_time_ms: u64) -> u64 {
    (duration_ms / SERIES_POINTS_TARGET)
        .max(block_time_ms)
        .max(1)
}

/// Runs the scenario with its own seed and duration and samples every series.
pub fn run_series(scenario: &Scenario) -> Result<RunSeries, SimulationError> {
    let mut options = SimulationOptions::from_scenario(scenario);
    options.keep_trace = false;
    options.record_samples = false;
    run_series_with(scenario, options)
}

/// As [`run_series`] with other options (the trajectory does not depend on
/// `keep_trace` or `record_samples`).
pub fn run_series_with(
    scenario: &Scenario,
    options: SimulationOptions,
) -> Result<RunSeries, SimulationError> {
    let duration_ms = options.duration_ms;
    let interval_ms = sample_interval_ms(duration_ms, scenario.chain.block_time_ms);
    let mut simulation = Simulation::new(scenario, options);
    let node_count = scenario.nodes.len();
    let capacity = (duration_ms / interval_ms + 2) as usize;
    let mut series = RunSeries {
        node_names: scenario.nodes.iter().map(|node| node.id.clone()).collect(),
        duration_ms,
        interval_ms,
        max_rollback_blocks: scenario.chain.max_rollback_blocks,
        start_height: scenario.chain.initial_height,
        at_ms: Vec::with_capacity(capacity),
        heights_blocks: vec![Vec::with_capacity(capacity); node_count],
        best_height_blocks: Vec::with_capacity(capacity),
        fork_depth_blocks: Vec::with_capacity(capacity),
        api_available_share: Vec::with_capacity(capacity),
        clients_served: Vec::with_capacity(capacity),
        confirmed_transactions: Vec::with_capacity(capacity),
        lost_transactions: Vec::with_capacity(capacity),
        rejected_transactions: Vec::with_capacity(capacity),
    };
    let api_nodes_deployed = scenario
        .nodes
        .iter()
        .filter(|node| node.role.has_api() && !node.standby)
        .count();
    let mut rejected = 0u64;
    let mut counted_submissions = 0usize;
    let mut at_ms = 0;
    loop {
        simulation.run_until(at_ms)?;
        sample(
            &simulation,
            api_nodes_deployed,
            &mut rejected,
            &mut counted_submissions,
            &mut series,
        );
        if at_ms >= duration_ms {
            break;
        }
        at_ms = (at_ms + interval_ms).min(duration_ms);
    }
    Ok(series)
}

fn sample(
    simulation: &Simulation<'_>,
    api_nodes_deployed: usize,
    rejected: &mut u64,
    counted_submissions: &mut usize,
    series: &mut RunSeries,
) {
    let scenario = simulation.scenario;
    let best_chain = &simulation.nodes[simulation.best_node().get()].disk.chain;
    let now = simulation.now_ms();
    series.at_ms.push(now);
    for (index, state) in simulation.nodes.iter().enumerate() {
        series.heights_blocks[index].push(state.height());
    }
    series.best_height_blocks.push(best_chain.height());
    let fork_depth = simulation
        .nodes
        .iter()
        .filter(|state| state.is_up())
        .map(|state| state.height() - common_height(&state.disk.chain, best_chain))
        .max()
        .unwrap_or(0);
    series.fork_depth_blocks.push(fork_depth);

    let serving = (0..scenario.nodes.len())
        .filter(|&index| simulation.serves_clients(simulation.node_at(index)))
        .count();
    let share = if api_nodes_deployed == 0 {
        0.0
    } else {
        (serving as f64 / api_nodes_deployed as f64).min(1.0)
    };
    series.api_available_share.push(share);
    series.clients_served.push(simulation.clients_served());
    series
        .confirmed_transactions
        .push(simulation.confirmed_transactions());

    // Rejections are final at submission: count the new ones.
    *rejected += simulation.transactions[*counted_submissions..]
        .iter()
        .filter(|record| record.accepted_by.is_none())
        .count() as u64;
    *counted_submissions = simulation.transactions.len();
    series.rejected_transactions.push(*rejected);

    let lost = simulation
        .transactions
        .iter()
        .enumerate()
        .filter(|(_, record)| record.accepted_by.is_some())
        .filter(|(_, record)| {
            !record
                .blocks
                .iter()
                .any(|block| best_chain.contains(&simulation.blocks, block))
        })
        .filter(|&(transaction, record)| {
            !(record.deadline_ms > now && simulation.pool_holds(transaction as u32))
        })
        .count() as u64;
    series.lost_transactions.push(lost);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};

    fn series_of(name: &str) -> (Scenario, RunSeries) {
        let scenario = validate(&presets::load_file(name).unwrap()).unwrap();
        let series = run_series(&scenario).unwrap();
        (scenario, series)
    }

    fn check_shape(scenario: &Scenario, series: &RunSeries) {
        let points = series.len();
        assert!(points > 10 && points as u64 <= SERIES_POINTS_TARGET + 2);
        assert_eq!(series.at_ms[0], 0);
        assert_eq!(*series.at_ms.last().unwrap(), scenario.duration_ms);
        assert!(series.at_ms.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(series.heights_blocks.len(), scenario.nodes.len());
        for values in [
            &series.best_height_blocks,
            &series.fork_depth_blocks,
            &series.confirmed_transactions,
            &series.lost_transactions,
            &series.rejected_transactions,
        ] {
            assert_eq!(values.len(), points);
        }
        assert!(series
            .heights_blocks
            .iter()
            .all(|line| line.len() == points));
        assert_eq!(series.api_available_share.len(), points);
        assert_eq!(series.clients_served.len(), points);
        assert!(series
            .api_available_share
            .iter()
            .all(|share| (0.0..=1.0).contains(share)));
        assert!(series
            .confirmed_transactions
            .windows(2)
            .all(|pair| pair[0] <= pair[1]));
        assert!(series
            .rejected_transactions
            .windows(2)
            .all(|pair| pair[0] <= pair[1]));
    }

    #[test]
    fn the_seed_fork_depth_rises_then_returns_to_zero() {
        let (scenario, series) = series_of("seed-fork");
        check_shape(&scenario, &series);
        let at = |minute: u64| {
            series
                .at_ms
                .iter()
                .position(|&at_ms| at_ms >= minute * 60_000)
                .unwrap()
        };
        assert!(series.fork_depth_blocks[..at(30)]
            .iter()
            .all(|&depth| depth <= 1));
        let during = series.fork_depth_blocks[at(31)..at(38)]
            .iter()
            .copied()
            .max()
            .unwrap();
        assert!(during >= 3, "fork depth during the isolation: {during}");
        assert!(series.fork_depth_blocks[at(45)..].contains(&0));
        assert!(*series.fork_depth_blocks.last().unwrap() <= 1);
        // Clients are served throughout (peer2's isolation does not touch the API tier).
        assert!(series.api_available_share.iter().all(|&share| share == 1.0));
    }

    #[test]
    fn an_az_outage_dips_api_availability_and_the_counts_match_the_outcome() {
        let (scenario, series) = series_of("multi-az");
        check_shape(&scenario, &series);
        assert_eq!(series.api_available_share[0], 1.0);
        let lowest = series
            .api_available_share
            .iter()
            .copied()
            .fold(1.0, f64::min);
        assert!(lowest < 1.0, "an AZ outage takes API nodes away");
        assert_eq!(*series.api_available_share.last().unwrap(), 1.0);
        assert!(*series.confirmed_transactions.last().unwrap() > 0);

        let outcome = crate::sim::simulate(&scenario).unwrap();
        assert_eq!(
            *series.lost_transactions.last().unwrap(),
            outcome.transactions.lost
        );
        assert_eq!(
            *series.rejected_transactions.last().unwrap(),
            outcome.transactions.rejected
        );
        assert_eq!(
            *series.best_height_blocks.last().unwrap(),
            outcome.best_height
        );
        for (node, line) in series.heights_blocks.iter().enumerate() {
            assert_eq!(*line.last().unwrap(), outcome.nodes[node].height);
        }
    }

    #[test]
    fn the_interval_follows_the_duration_but_never_drops_below_a_block() {
        assert_eq!(sample_interval_ms(2 * 3_600_000, 15_000), 18_000);
        assert_eq!(sample_interval_ms(600_000, 15_000), 15_000);
        assert_eq!(sample_interval_ms(0, 0), 1);
    }
}
