//! Measured RTO and RPO: the failure injected into the simulator at many random
//! instants over many seeds. Each trial is independent and seeded from the plan seed,
//! the strategy, the failure and the trial number, so results do not depend on how
//! trials are spread over threads (natively) or run one by one (in the browser).

use crate::scenario::file::*;
use crate::scenario::{validate, ScenarioError};
use crate::sim::outcome::{Outcome, TransactionFate};
use crate::sim::rng::{mix64, SimRng};
use crate::sim::{self, SimulationOptions};

use super::estimate::Estimate;
use super::strategy::{Deployment, Strategy};

/// The network runs this long before any failure, so the chain is in its steady state.
pub const WARMUP_MS: u64 = 30 * 60_000;
/// Writes in the last part of a trial may still be in flight; they do not count against RTO.
pub const TAIL_MS: u64 = 10 * 60_000;
/// Time after the service is back during which the trial keeps watching (the
/// settle period: the service must stay back).
pub const SETTLE_MS: u64 = 30 * 60_000;
/// A trial watches at most this long after the failure (definition 1's cap), so long
/// recoveries (a resync of a year of chain) are measured, not cut off.
pub const TRIAL_CAP_MS: u64 = 7 * 86_400_000;
/// Trials per cell that also watch for full redundancy (the exposure window). That
/// can take a simulated resync of the whole chain (tens of hours), so only the first
/// trials of a cell wait for it; the others stop once the service has settled.
pub const REDUNDANCY_TRIALS: u64 = 20;
/// Simulated time between two looks at a running trial (the resolution of the
/// exposure and stale-read windows).
pub const LOOK_INTERVAL_MS: u64 = 5_000;

/// What one trial measured.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrialResult {
    pub failure_at_ms: u64,
    pub horizon_ms: u64,
    /// `None` when the service was not back before the trial ended.
    pub rto_ms: Option<u64>,
    pub rpo_ms: u64,
    pub rpo_finalized_ms: Option<u64>,
    pub lost_confirmed: u64,
    /// From the failure until every node that ran before it is up, synced and serving
    /// again (the exposure window); `None` when that did not happen within the trial.
    pub redundancy_restored_ms: Option<u64>,
    /// How long, in all, clients could be sent to an API node that served them while
    /// it was behind the network (stale reads).
    pub stale_read_ms: u64,
    /// The remedy an operator applied during the trial, in words.
    pub operator_action: Option<String>,
    /// With clients in every region (latency routing): each region's RTO, by region
    /// index (`rto_ms` is the worst); empty otherwise.
    pub rto_by_region_ms: Vec<(u16, Option<u64>)>,
    pub error: Option<String>,
}

/// The seed of one trial.
pub fn trial_seed(plan_seed: u64, strategy: Strategy, failure: FailureKind, trial: u64) -> u64 {
    mix64(plan_seed ^ mix64(((strategy as u64) << 8 | failure as u64) ^ mix64(trial)))
}

fn running_nodes_in<'a>(file: &'a ScenarioFile, region: &str) -> Vec<&'a NodeFile> {
    file.regions
        .iter()
        .filter(|candidate| candidate.id == region)
        .flat_map(|candidate| candidate.azs.iter())
        .flat_map(|az| az.nodes.iter())
        .filter(|node| !node.standby)
        .collect()
}

/// A trial's scenario: the deployment plus the failure at a random instant.
#[derive(Clone, Debug)]
pub struct Injected {
    /// Its `duration_ms` is the cap (or the fixed horizon); the trial usually stops
    /// earlier (see [`run_trial`]).
    pub file: ScenarioFile,
    pub failure_at_ms: u64,
    /// When the last injected fault with an end has ended.
    pub faults_end_ms: u64,
    /// Some injected fault never ends (a region lost for good): redundancy cannot
    /// return, so the trial does not wait for it.
    pub permanent: bool,
    /// A fixed horizon (benchmarks): the trial runs to it, whatever happens.
    pub fixed_horizon_ms: Option<u64>,
    /// An operator's remedy injected with the failure itself, in words.
    pub operator_action: Option<String>,
}

/// Builds the trial's scenario: the deployment plus the failure at a random instant.
pub fn inject(
    deployment: &Deployment,
    estimate: &Estimate,
    failure: FailureKind,
    seed: u64,
    horizon_override_ms: Option<u64>,
) -> Injected {
    let mut file = deployment.file.clone();
    let mut rng = SimRng::new(seed ^ 0x7472_6961_6C73);
    let window_ms = file
        .backup
        .as_ref()
        .map(|backup| backup.interval_ms)
        .unwrap_or(3_600_000)
        .max(3_600_000);
    let failure_at_ms = WARMUP_MS + (rng.unit() * window_ms as f64) as u64 / 1_000 * 1_000;
    let plan = file.plan.clone();
    let outage_end = failure_at_ms + plan.outage_duration_ms;
    let primary = deployment.primary_region.clone();
    let nodes = running_nodes_in(&file, &primary);
    let pick_node = |rng: &mut SimRng| nodes[rng.below(nodes.len())].id.clone();
    let mut faults = Vec::new();
    let mut operator_action = None;
    match failure {
        FailureKind::Node => faults.push(FaultFile {
            at_ms: failure_at_ms,
            until_ms: Some(outage_end),
            action: FaultAction::Crash {
                node: pick_node(&mut rng),
            },
        }),
        FailureKind::DiskLoss => {
            let node = pick_node(&mut rng);
            let replaced_at = failure_at_ms + plan.node_replacement_ms.max(1_000);
            // With a backup vault the replaced node's volume is made from the newest
            // snapshot (initialized at the plan's rate); otherwise it starts empty and
            // pulls the whole chain from its peers.
            let initialization_ms = if file.backup.is_some() {
                plan.restore.volume_size_gb * 1_000_000_000
                    / (plan.restore.initialization_mib_per_s.max(1) * 1_048_576)
                    * 1_000
            } else {
                0
            };
            faults.push(FaultFile {
                at_ms: failure_at_ms,
                until_ms: Some(replaced_at + initialization_ms),
                action: FaultAction::DiskLoss { node: node.clone() },
            });
            let lone_peer = super::estimate::lone_peer_copy_source(&file, &primary)
                .filter(|(peer, _)| *peer == node && estimate.operator_action.is_some());
            if let Some((_, source)) = lone_peer {
                // The only PEER's chain is gone: the operator copies an API node's
                // volume onto the replacement (an assumed step), and the node starts
                // with that chain once the copy is initialized.
                let copy_ms = super::estimate::volume_initialization_ms(&plan.restore);
                faults[0].until_ms = Some(replaced_at + copy_ms);
                faults.push(FaultFile {
                    at_ms: replaced_at,
                    until_ms: None,
                    action: FaultAction::CopyChain {
                        node: node.clone(),
                        from: source,
                    },
                });
                operator_action = Some(format!(
                    "operator copies the chain from {} onto the replaced {node}: the only PEER lost its disk",
                    match &faults[1].action {
                        FaultAction::CopyChain { from, .. } => from.as_str(),
                        _ => "",
                    }
                ));
            } else if file.backup.is_some() {
                faults.push(FaultFile {
                    at_ms: replaced_at,
                    until_ms: None,
                    action: FaultAction::Restore { nodes: vec![node] },
                });
            }
        }
        FailureKind::Az => {
            let zones: Vec<String> = file
                .regions
                .iter()
                .filter(|region| region.id == primary)
                .flat_map(|region| region.azs.iter())
                .filter(|az| az.nodes.iter().any(|node| !node.standby))
                .map(|az| az.id.clone())
                .collect();
            faults.push(FaultFile {
                at_ms: failure_at_ms,
                until_ms: Some(outage_end),
                action: FaultAction::AzOutage {
                    az: zones[rng.below(zones.len())].clone(),
                },
            });
        }
        FailureKind::Region => {
            faults.push(FaultFile {
                at_ms: failure_at_ms,
                until_ms: None,
                action: FaultAction::RegionOutage {
                    region: primary.clone(),
                },
            });
            if deployment.strategy == Strategy::InterRegionBackup {
                let standby: Vec<String> = file
                    .regions
                    .iter()
                    .flat_map(|region| region.azs.iter())
                    .flat_map(|az| az.nodes.iter())
                    .filter(|node| node.standby)
                    .map(|node| node.id.clone())
                    .collect();
                // The nodes are restored once the steps before start-up are done; the
                // simulator then runs start-up, recovery, health checks and the TTL.
                let before_start: u64 = estimate
                    .rto_steps
                    .iter()
                    .take(3)
                    .map(|step| step.duration_ms)
                    .sum();
                faults.push(FaultFile {
                    at_ms: failure_at_ms,
                    until_ms: Some(failure_at_ms + before_start.max(1_000)),
                    action: FaultAction::Restore { nodes: standby },
                });
            }
        }
        FailureKind::RegionLink => {
            let others: Vec<String> = file
                .regions
                .iter()
                .filter(|region| region.id != primary)
                .map(|region| region.id.clone())
                .collect();
            faults.push(FaultFile {
                at_ms: failure_at_ms,
                until_ms: Some(outage_end),
                action: FaultAction::Partition {
                    groups: vec![vec![primary.clone()], others],
                    one_way: false,
                },
            });
        }
        FailureKind::ApiTier => {
            // Every API service of every region.
            let api_nodes: Vec<String> = file
                .regions
                .iter()
                .flat_map(|region| region.azs.iter())
                .flat_map(|az| az.nodes.iter())
                .filter(|node| node.role.has_api())
                .map(|node| node.id.clone())
                .collect();
            for node in api_nodes {
                faults.push(FaultFile {
                    at_ms: failure_at_ms,
                    until_ms: Some(outage_end),
                    action: FaultAction::ApiDown { node },
                });
            }
        }
    }
    let permanent = faults.iter().any(|fault| {
        fault.until_ms.is_none() && !matches!(fault.action, FaultAction::Restore { .. })
    });
    let faults_end_ms = faults
        .iter()
        .filter_map(|fault| fault.until_ms)
        .max()
        .unwrap_or(failure_at_ms);
    let fixed_horizon_ms =
        horizon_override_ms.map(|horizon| horizon.max(failure_at_ms + TAIL_MS + 60_000));
    file.faults = faults;
    // The cap, within the scenario's duration limit (a failure drawn late in a long
    // backup cycle leaves less than the cap before the limit).
    file.duration_ms = fixed_horizon_ms
        .unwrap_or(failure_at_ms + TRIAL_CAP_MS)
        .min(crate::scenario::limits::DURATION_MAX_MS);
    file.seed = seed;
    Injected {
        file,
        failure_at_ms,
        faults_end_ms,
        permanent,
        fixed_horizon_ms,
        operator_action,
    }
}

/// The chain counts as advancing after a failure when its next block comes within this
/// many block times (a normal gap between blocks is not an outage).
pub const STALL_BLOCK_TIMES: u64 = 4;

/// Reads RTO and RPO off a run (definitions in `docs/rto-rpo.md`).
///
/// - A write counts as served only when the surviving chain (the final best chain)
///   carries it; a write still pending at the horizon is not served.
/// - The chain served to clients must advance: when no block of the surviving chain
///   follows the failure within [`STALL_BLOCK_TIMES`] block times, the service is back
///   no earlier than the first block after it (never, when none comes before the end
///   of the watch window).
/// - RPO spans the confirmations of the confirmed writes that were lost:
///   `max(t0, latest) − min(t0, earliest)`, so writes confirmed on an abandoned branch
///   after the failure count as well as those confirmed before it.
pub fn measure_outcome(
    outcome: &Outcome,
    failure_at_ms: u64,
    horizon_ms: u64,
    block_time_ms: u64,
) -> TrialResult {
    let window_end = horizon_ms.saturating_sub(TAIL_MS);
    let served = |fate: TransactionFate| matches!(fate, TransactionFate::Confirmed { .. });
    // The writes' part of RTO over the writes `counts` picks.
    let writes_rto = |counts: &dyn Fn(&crate::sim::outcome::TransactionSummary) -> bool| {
        let in_window: Vec<_> = outcome
            .transaction_fates
            .iter()
            .filter(|summary| {
                summary.submitted_ms >= failure_at_ms
                    && summary.submitted_ms <= window_end
                    && counts(summary)
            })
            .collect();
        let last_unserved = in_window.iter().rposition(|summary| !served(summary.fate));
        match last_unserved {
            None => Some(0),
            Some(position) if position + 1 < in_window.len() => {
                Some(in_window[position + 1].submitted_ms - failure_at_ms)
            }
            Some(_) => None,
        }
    };
    let next_block_ms = outcome
        .best_block_times_ms
        .iter()
        .find(|&&at_ms| at_ms > failure_at_ms)
        .copied();
    let chain_rto_ms = match next_block_ms {
        Some(at_ms) if at_ms - failure_at_ms <= STALL_BLOCK_TIMES * block_time_ms => Some(0),
        Some(at_ms) if at_ms <= window_end => Some(at_ms - failure_at_ms),
        _ => None,
    };
    // Clients in every region (latency routing): each region's clients have an RTO of
    // their own, and the trial's is the worst region's.
    let mut client_regions: Vec<u16> = outcome
        .transaction_fates
        .iter()
        .filter_map(|summary| summary.client_region)
        .collect();
    crate::sort::sort(&mut client_regions);
    client_regions.dedup();
    let rto_by_region_ms: Vec<(u16, Option<u64>)> = client_regions
        .iter()
        .map(|&region| {
            let rto = writes_rto(&|summary| summary.client_region == Some(region))
                .zip(chain_rto_ms)
                .map(|(writes, chain)| writes.max(chain));
            (region, rto)
        })
        .collect();
    let rto_ms = if rto_by_region_ms.is_empty() {
        writes_rto(&|_| true)
            .zip(chain_rto_ms)
            .map(|(writes, chain)| writes.max(chain))
    } else {
        rto_by_region_ms
            .iter()
            .try_fold(0, |worst, (_, rto)| rto.map(|rto| worst.max(rto)))
    };
    let mut lost_span: Option<(u64, u64)> = None;
    let mut rpo_finalized_ms = None;
    let mut lost_confirmed = 0;
    for summary in &outcome.transaction_fates {
        if let TransactionFate::Lost {
            confirmed_ms,
            finalized_ms,
        } = summary.fate
        {
            if let Some(confirmed) = confirmed_ms {
                lost_confirmed += 1;
                lost_span = Some(match lost_span {
                    None => (confirmed, confirmed),
                    Some((earliest, latest)) => (earliest.min(confirmed), latest.max(confirmed)),
                });
            }
            if let Some(finalized) = finalized_ms {
                let lag = failure_at_ms.saturating_sub(finalized);
                rpo_finalized_ms = Some(rpo_finalized_ms.unwrap_or(0).max(lag));
            }
        }
    }
    let rpo_ms = lost_span.map_or(0, |(earliest, latest)| {
        latest.max(failure_at_ms) - earliest.min(failure_at_ms)
    });
    TrialResult {
        failure_at_ms,
        horizon_ms,
        rto_ms,
        rpo_ms,
        rpo_finalized_ms,
        lost_confirmed,
        redundancy_restored_ms: None,
        stale_read_ms: 0,
        operator_action: None,
        rto_by_region_ms,
        error: None,
    }
}

/// What a trial saw while it ran (looked at every [`LOOK_INTERVAL_MS`]).
struct Watch {
    /// The nodes running just before the failure: full redundancy is all of them back.
    expected: Vec<usize>,
    /// The best height just before the failure.
    height_before: u64,
    /// The last look at which clients were not served or the chain had not advanced.
    last_unserved_ms: u64,
    /// The last look at which some expected node was down, behind or not serving.
    last_degraded_ms: u64,
    stale_read_ms: u64,
    finalized_before: bool,
    /// The routable targets at the last look (a buffer reused by every look).
    targets: Vec<crate::scenario::NodeIndex>,
}

impl Watch {
    fn new(simulation: &sim::Simulation<'_>, failure_at_ms: u64) -> Watch {
        let best = simulation.best_node();
        Watch {
            expected: (0..simulation.nodes.len())
                .filter(|&index| simulation.nodes[index].is_up())
                .collect(),
            height_before: simulation.nodes[best.get()].height(),
            last_unserved_ms: failure_at_ms,
            last_degraded_ms: failure_at_ms,
            stale_read_ms: 0,
            finalized_before: simulation
                .nodes
                .iter()
                .any(|state| state.disk.finalized_height > 1),
            targets: Vec::new(),
        }
    }

    fn look(&mut self, simulation: &sim::Simulation<'_>) {
        let now_ms = simulation.now_ms();
        let best_height = simulation.nodes[simulation.best_node().get()].height();
        let synced = |index: usize| {
            crate::sim::network_height::chain_synced(best_height, simulation.nodes[index].height())
        };
        // The routable targets are worked out once per look (it runs every 5 s).
        let mut targets = std::mem::take(&mut self.targets);
        simulation.routable_targets_into(&mut targets);
        if !(simulation.all_serve(&targets) && best_height > self.height_before) {
            self.last_unserved_ms = now_ms;
        }
        let full = self.expected.iter().all(|&index| {
            let state = &simulation.nodes[index];
            state.is_up()
                && !state.irreconcilable
                && synced(index)
                && (!simulation.scenario.nodes[index].role.has_api()
                    || simulation.serves_clients(simulation.node_at(index)))
        });
        if !full {
            self.last_degraded_ms = now_ms;
        }
        if targets
            .iter()
            .any(|&node| simulation.serves_clients(node) && !synced(node.get()))
        {
            self.stale_read_ms += LOOK_INTERVAL_MS;
        }
        self.targets = targets;
    }
}

/// How a trial's run ended.
enum RunEnd {
    /// The operator acts: run again with these faults.
    Operator(Vec<FaultFile>, String),
    /// Watched to the end, at this horizon.
    Watched(Watch, u64),
}

/// The operator's remedy for a split the nodes cannot heal: keep the branch catapult
/// would converge to (the one holding the newest finalized block, else the best
/// score, which `ledgers` puts first) and resync every node of the other branches.
/// Returns the faults to add and the action in words; `None` when the nodes agree.
fn operator_remedy(
    simulation: &sim::Simulation<'_>,
    failure_at_ms: u64,
) -> Option<(Vec<FaultFile>, String)> {
    // Only branches some running node stands on: nodes lost for good (a region that
    // never returns) are not the operator's to keep or resync.
    let ledgers: Vec<crate::sim::ledger::Ledger> = crate::sim::ledger::ledgers(simulation)
        .into_iter()
        .filter(|ledger| {
            ledger
                .nodes
                .iter()
                .any(|&index| simulation.nodes[index].is_up())
        })
        .collect();
    if ledgers.len() < 2 {
        return None;
    }
    let finalized = |ledger: &crate::sim::ledger::Ledger| {
        ledger
            .nodes
            .iter()
            .map(|&index| simulation.nodes[index].disk.finalized_height)
            .max()
            .unwrap_or(0)
    };
    let kept = (0..ledgers.len())
        .max_by(|&first, &second| {
            finalized(&ledgers[first])
                .cmp(&finalized(&ledgers[second]))
                .then(second.cmp(&first))
        })
        .expect("two ledgers or more");
    let now_ms = simulation.now_ms();
    let mut names = Vec::new();
    let mut faults = Vec::new();
    let mut fork_blocks = 0;
    for (position, ledger) in ledgers.iter().enumerate() {
        if position == kept {
            continue;
        }
        fork_blocks = fork_blocks.max(
            ledger
                .tip_height
                .saturating_sub(ledger.common_height_with_best.min(ledgers[kept].tip_height)),
        );
        for &index in &ledger.nodes {
            let id = simulation.scenario.nodes[index].id.clone();
            names.push(id.clone());
            faults.push(FaultFile {
                at_ms: now_ms,
                until_ms: None,
                action: FaultAction::Resync { node: id },
            });
        }
    }
    let chain = &simulation.scenario.chain;
    let why = if chain.max_rollback_blocks > 0 {
        format!(
            "fork {fork_blocks} blocks > maxRollbackBlocks {}",
            chain.max_rollback_blocks
        )
    } else {
        format!("fork {fork_blocks} blocks below a finalized block")
    };
    let action = format!(
        "operator resyncs {} at {} after the failure: {why}",
        names.join(", "),
        crate::scenario::duration::describe_duration(now_ms - failure_at_ms)
    );
    Some((faults, action))
}

/// Runs one trial: the failure at a random instant, watched until the service has
/// been back for the settle period (and every node is back in sync, unless some node
/// is lost for good), or until [`TRIAL_CAP_MS`] after the failure. When the nodes are
/// still split once the faults have ended and the operator has noticed and decided
/// (`plan.operator`), the operator's resync is injected and the trial runs again from
/// the start with it (the same seed gives the same run up to that instant).
pub fn run_trial(
    deployment: &Deployment,
    estimate: &Estimate,
    failure: FailureKind,
    seed: u64,
    horizon_override_ms: Option<u64>,
    watch_redundancy: bool,
) -> TrialResult {
    let mut injected = inject(deployment, estimate, failure, seed, horizon_override_ms);
    let failure_at_ms = injected.failure_at_ms;
    let failed = |error: String| TrialResult {
        failure_at_ms,
        horizon_ms: failure_at_ms,
        rto_ms: None,
        rpo_ms: 0,
        rpo_finalized_ms: None,
        lost_confirmed: 0,
        redundancy_restored_ms: None,
        stale_read_ms: 0,
        operator_action: None,
        rto_by_region_ms: Vec::new(),
        error: Some(error),
    };
    let operator = &deployment.file.plan.operator;
    let operator_at_ms = injected.faults_end_ms + operator.detection_ms + operator.decision_ms;
    let mut operator_action = None;
    loop {
        let scenario = match validate(&injected.file) {
            Ok(scenario) => scenario,
            Err(errors) => {
                return failed(
                    errors
                        .iter()
                        .map(ScenarioError::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
        };
        let mut options = SimulationOptions::from_scenario(&scenario);
        options.keep_trace = false;
        options.hash_trace = false;
        options.record_samples = false;
        let mut simulation = sim::Simulation::new(&scenario, options);
        let run = (|| -> Result<RunEnd, sim::SimulationError> {
            simulation.run_until(failure_at_ms - 1)?;
            let mut watch = Watch::new(&simulation, failure_at_ms);
            let end_ms = scenario.duration_ms;
            let mut now_ms = failure_at_ms;
            let mut operator_looked = operator_action.is_some();
            while now_ms < end_ms {
                now_ms = (now_ms + LOOK_INTERVAL_MS).min(end_ms);
                simulation.run_until(now_ms)?;
                watch.look(&simulation);
                if !operator_looked
                    && now_ms >= operator_at_ms
                    && injected.fixed_horizon_ms.is_none()
                {
                    operator_looked = true;
                    if let Some((faults, action)) = operator_remedy(&simulation, failure_at_ms) {
                        return Ok(RunEnd::Operator(faults, action));
                    }
                }
                if injected.fixed_horizon_ms.is_none()
                    && now_ms >= injected.faults_end_ms + TAIL_MS
                    && now_ms >= watch.last_unserved_ms + SETTLE_MS + TAIL_MS
                    && (injected.permanent || !watch_redundancy || now_ms > watch.last_degraded_ms)
                    && (operator_looked || now_ms >= operator_at_ms)
                {
                    break;
                }
            }
            Ok(RunEnd::Watched(watch, now_ms))
        })();
        let (watch, horizon_ms) = match run {
            Err(error) => return failed(error.to_string()),
            Ok(RunEnd::Operator(faults, action)) => {
                injected.file.faults.extend(faults);
                operator_action = Some(action);
                continue;
            }
            Ok(RunEnd::Watched(watch, horizon_ms)) => (watch, horizon_ms),
        };
        let outcome = simulation.finish();
        let mut result = measure_outcome(
            &outcome,
            failure_at_ms,
            horizon_ms,
            scenario.chain.block_time_ms,
        );
        if !watch.finalized_before {
            result.rpo_finalized_ms = None;
        } else if result.rpo_finalized_ms.is_none() {
            result.rpo_finalized_ms = Some(0);
        }
        result.redundancy_restored_ms =
            (watch_redundancy && !injected.permanent && horizon_ms > watch.last_degraded_ms)
                .then(|| watch.last_degraded_ms - failure_at_ms);
        result.stale_read_ms = watch.stale_read_ms;
        result.operator_action = operator_action.or(injected.operator_action);
        return result;
    }
}

/// Runs trials `first..first + count`, on every core natively.
pub fn run_trials(
    deployment: &Deployment,
    estimate: &Estimate,
    failure: FailureKind,
    plan_seed: u64,
    trials: std::ops::Range<u64>,
    horizon_override_ms: Option<u64>,
) -> Vec<TrialResult> {
    let one = |trial: u64| {
        let seed = trial_seed(plan_seed, deployment.strategy, failure, trial);
        run_trial(
            deployment,
            estimate,
            failure,
            seed,
            horizon_override_ms,
            trial < REDUNDANCY_TRIALS,
        )
    };
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        trials.into_par_iter().map(one).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        trials.map(one).collect()
    }
}

/// p50, p95 and max of a set of values (nearest rank).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distribution {
    pub p50: u64,
    pub p95: u64,
    pub max: u64,
}

impl Distribution {
    pub fn of(values: &[u64]) -> Option<Distribution> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        crate::sort::sort(&mut sorted);
        let rank = |percent: usize| sorted[((sorted.len() * percent).div_ceil(100)).max(1) - 1];
        Some(Distribution {
            p50: rank(50),
            p95: rank(95),
            max: *sorted.last().expect("not empty"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<u64> = (1..=100).collect();
        assert_eq!(
            Distribution::of(&values),
            Some(Distribution {
                p50: 50,
                p95: 95,
                max: 100
            })
        );
        assert_eq!(
            Distribution::of(&[7]),
            Some(Distribution {
                p50: 7,
                p95: 7,
                max: 7
            })
        );
        assert_eq!(Distribution::of(&[]), None);
    }

    /// A split with clients on both sides: writes confirmed on the branch that loses
    /// after the failure are lost, so RPO is how long that branch confirmed writes that
    /// then vanished, never 0. (Before: writes confirmed after t0 added nothing.)
    #[test]
    fn writes_confirmed_on_an_abandoned_branch_make_rpo() {
        let mut file = crate::scenario::presets::load_file("multi-az").unwrap();
        file.chain.initial_height = 1;
        file.duration_ms = 3 * 3_600_000;
        file.faults = vec![FaultFile {
            at_ms: 3_600_000,
            until_ms: Some(2 * 3_600_000),
            action: FaultAction::Partition {
                groups: vec![
                    vec!["peer1".into(), "peer2".into(), "api1".into()],
                    vec!["peer3".into(), "api2".into()],
                ],
                one_way: false,
            },
        }];
        let scenario = validate(&file).unwrap();
        let outcome = sim::simulate(&scenario).unwrap();
        let result = measure_outcome(&outcome, 3_600_000, 3 * 3_600_000, 15_000);
        assert!(result.lost_confirmed > 50, "{result:?}");
        // The losing side confirmed writes for the hour it was cut off, and stopped
        // harvesting soon after the heal (network-height gating: it is far behind).
        assert!(
            result.rpo_ms > 45 * 60_000 && result.rpo_ms <= 65 * 60_000,
            "{result:?}"
        );
    }

    #[test]
    fn trial_seeds_differ_by_every_input() {
        let base = trial_seed(1, Strategy::MultiAz, FailureKind::Az, 0);
        assert_ne!(base, trial_seed(2, Strategy::MultiAz, FailureKind::Az, 0));
        assert_ne!(base, trial_seed(1, Strategy::SingleAz, FailureKind::Az, 0));
        assert_ne!(base, trial_seed(1, Strategy::MultiAz, FailureKind::Node, 0));
        assert_ne!(base, trial_seed(1, Strategy::MultiAz, FailureKind::Az, 1));
    }
}
