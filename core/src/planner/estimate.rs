//! Closed-form RTO and RPO estimates, with the steps that make them up, so a user can
//! check every number. The measured side (Monte Carlo) lives in `measure`; the two are
//! compared, and disagreement is shown rather than hidden. `docs/rto-rpo.md` gives the
//! model behind each formula.

use crate::scenario::file::*;

use super::strategy::{Deployment, Strategy};

/// One step of an estimate: what it is, how long it takes, and whether that duration
/// is an input we assume (an operator's reaction, provisioning, an outage's length, a
/// start-up time with no published figure) rather than a rule or a sourced default.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    pub duration_ms: u64,
    pub assumed: bool,
}

/// A step whose duration follows from a rule or a sourced default.
fn step(label: impl Into<String>, duration_ms: u64) -> Step {
    Step {
        label: label.into(),
        duration_ms,
        assumed: false,
    }
}

/// A step whose duration is an assumption (see [`Step::assumed`]).
fn assumed(label: impl Into<String>, duration_ms: u64) -> Step {
    Step {
        label: label.into(),
        duration_ms,
        assumed: true,
    }
}

/// The estimate for one strategy under one failure.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub survivable: bool,
    /// False when the failure has nothing to act on in this strategy (no region link
    /// in a one-region deployment).
    pub applicable: bool,
    pub rto_steps: Vec<Step>,
    pub rpo_steps: Vec<Step>,
    /// Finalized-data RPO, when the chain finalizes.
    pub rpo_finalized_ms: Option<u64>,
    /// From the failure until every node is back, synced and serving (the exposure
    /// window: a second failure inside it is an outage). Empty with
    /// `redundancy_returns` false when some node is lost for good.
    pub redundancy_steps: Vec<Step>,
    pub redundancy_returns: bool,
    /// The remedy an operator must apply (the nodes cannot heal by themselves), in
    /// words; `None` when the failure heals on its own.
    pub operator_action: Option<String>,
    pub note: String,
    /// Nothing at all survives (every node and copy is lost): there is nothing to measure.
    pub structurally_lost: bool,
}

impl Estimate {
    pub fn rto_ms(&self) -> Option<u64> {
        self.survivable
            .then(|| self.rto_steps.iter().map(|step| step.duration_ms).sum())
    }

    pub fn rpo_ms(&self) -> Option<u64> {
        self.survivable
            .then(|| self.rpo_steps.iter().map(|step| step.duration_ms).sum())
    }

    /// The estimated exposure window; `None` when redundancy never returns.
    pub fn redundancy_ms(&self) -> Option<u64> {
        (self.survivable && self.redundancy_returns).then(|| {
            self.redundancy_steps
                .iter()
                .map(|step| step.duration_ms)
                .sum()
        })
    }

    fn not_survivable(note: impl Into<String>) -> Estimate {
        Estimate {
            survivable: false,
            applicable: true,
            rto_steps: Vec::new(),
            rpo_steps: Vec::new(),
            rpo_finalized_ms: None,
            redundancy_steps: Vec::new(),
            redundancy_returns: false,
            operator_action: None,
            note: note.into(),
            structurally_lost: false,
        }
    }
}

/// Time to move clients off a dead target: health checks fail `unhealthy_threshold`
/// times in a row, then (DNS) the TTL runs out.
fn detection_steps(entry: &EntryPointFile) -> Vec<Step> {
    match entry.kind {
        EntryKind::Direct => Vec::new(),
        EntryKind::LoadBalancer => vec![step(
            format!(
                "load balancer marks the target unhealthy ({} × {} s checks)",
                entry.unhealthy_threshold,
                entry.health_check_interval_ms / 1_000
            ),
            entry.unhealthy_threshold * entry.health_check_interval_ms,
        )],
        EntryKind::DnsFailover | EntryKind::LatencyRouting => vec![
            step(
                format!(
                    "DNS health checks fail ({} × {} s)",
                    entry.unhealthy_threshold,
                    entry.health_check_interval_ms / 1_000
                ),
                entry.unhealthy_threshold * entry.health_check_interval_ms,
            ),
            assumed("clients follow after the DNS TTL", entry.switch_delay_ms),
        ],
    }
}

/// A node that stopped uncleanly comes back: start-up plus the recovery process.
fn restart_ms(chain: &ChainFile) -> u64 {
    chain.node_startup_ms + chain.crash_recovery_ms
}

/// How long a node takes to pull `blocks` blocks from its peers: one batch of
/// `max_blocks_per_sync` per synchronizer round, a round every `sync_interval` or as
/// long as processing the batch takes, whichever is longer (the rule in `sim::sync`),
/// while the chain keeps growing by one block per block time.
pub fn catch_up_ms(chain: &ChainFile, blocks: u64) -> u64 {
    let batch = chain.max_blocks_per_sync.max(1);
    let round_ms = chain
        .sync_interval_ms
        .max(batch * chain.block_processing_ms)
        .max(1);
    // Blocks pulled per block time, less the one the chain adds meanwhile.
    let pulled_per_block_time = batch * chain.block_time_ms.max(1) / round_ms;
    if pulled_per_block_time <= 1 {
        return u64::MAX / 4;
    }
    blocks.div_ceil(pulled_per_block_time - 1) * chain.block_time_ms.max(1)
}

/// EBS initialization of a volume from a snapshot: size / rate, to whole seconds.
pub fn volume_initialization_ms(restore: &RestoreFile) -> u64 {
    restore.volume_size_gb * 1_000_000_000 / (restore.initialization_mib_per_s.max(1) * 1_048_576)
        * 1_000
}

/// When the only harvester of the primary region loses its disk, the node whose
/// volume an operator copies the chain from: the first other running node of the
/// primary region (API nodes hold the chain too). `(harvester, source)`.
pub fn lone_peer_copy_source(file: &ScenarioFile, primary: &str) -> Option<(String, String)> {
    let primary_nodes: Vec<&NodeFile> = nodes_of(file)
        .filter(|(region, _, node)| region.id == primary && !node.standby)
        .map(|(_, _, node)| node)
        .collect();
    let peer = primary_nodes.iter().find(|node| harvests(node))?;
    let source = primary_nodes.iter().find(|node| node.id != peer.id)?;
    Some((peer.id.clone(), source.id.clone()))
}

/// The chain's height when a failure strikes, at the latest (history plus the warm-up
/// and the window the failure instant is drawn from).
fn height_at_failure(file: &ScenarioFile) -> u64 {
    let window_ms = file
        .backup
        .as_ref()
        .map(|backup| backup.interval_ms)
        .unwrap_or(3_600_000)
        .max(3_600_000);
    file.chain.initial_height
        + (super::measure::WARMUP_MS + window_ms) / file.chain.block_time_ms.max(1)
}

fn nodes_of(file: &ScenarioFile) -> impl Iterator<Item = (&RegionFile, &AzFile, &NodeFile)> {
    file.regions.iter().flat_map(|region| {
        region
            .azs
            .iter()
            .flat_map(move |az| az.nodes.iter().map(move |node| (region, az, node)))
    })
}

fn harvests(node: &NodeFile) -> bool {
    !node.standby && node.role.has_peer() && node.stake > 0
}

/// Whether some entry-point target clients may use survives the `lost` nodes (only the
/// first target for a direct entry point).
fn other_target_serves(
    file: &ScenarioFile,
    lost: &impl Fn(&RegionFile, &AzFile, &NodeFile) -> bool,
) -> bool {
    let entry = &file.clients.entry_point;
    let usable = if entry.kind == EntryKind::Direct {
        &entry.targets[..entry.targets.len().min(1)]
    } else {
        &entry.targets[..]
    };
    usable.iter().any(|target| {
        nodes_of(file).any(|(region, az, node)| {
            &node.id == target && !node.standby && !lost(region, az, node)
        })
    })
}

/// Whether a lost set takes out a target clients are using.
fn hits_a_target(
    file: &ScenarioFile,
    lost: impl Fn(&RegionFile, &AzFile, &NodeFile) -> bool,
) -> bool {
    let entry = &file.clients.entry_point;
    let used = if entry.kind == EntryKind::Direct {
        &entry.targets[..entry.targets.len().min(1)]
    } else {
        &entry.targets[..]
    };
    nodes_of(file).any(|(region, az, node)| {
        used.contains(&node.id) && !node.standby && lost(region, az, node)
    })
}

/// What losing one set of nodes (a node, an AZ) does to clients, as RTO steps, with
/// `down_steps` the time until the lost nodes run again.
fn loss_steps(
    file: &ScenarioFile,
    lost: impl Fn(&RegionFile, &AzFile, &NodeFile) -> bool,
    down_steps: &[Step],
) -> (Vec<Step>, &'static str) {
    let chain = &file.chain;
    let entry = &file.clients.entry_point;
    let harvester_left =
        nodes_of(file).any(|(region, az, node)| harvests(node) && !lost(region, az, node));
    if !harvester_left {
        let mut steps = down_steps.to_vec();
        steps.push(step(
            "harvesting task start delay",
            chain.harvest_start_delay_ms,
        ));
        return (steps, "no harvester is left: no blocks until it returns");
    }
    if !hits_a_target(file, &lost) {
        return (Vec::new(), "clients' targets keep serving");
    }
    if other_target_serves(file, &lost) {
        return (
            detection_steps(entry),
            "the entry point moves clients to the targets left",
        );
    }
    let mut steps = down_steps.to_vec();
    if entry.kind == EntryKind::LoadBalancer {
        steps.push(step(
            "every target unhealthy: the load balancer fails open, so requests reach the \
             target as soon as it serves",
            0,
        ));
    }
    (
        steps,
        "no other target clients can be sent to: the service waits for it",
    )
}

/// The sum of a list of steps.
fn total_ms(steps: &[Step]) -> u64 {
    steps.iter().map(|step| step.duration_ms).sum()
}

/// Time for nodes down for `down_steps` to be back and synced: the steps, restart and
/// the blocks made meanwhile pulled from peers.
fn back_in_sync(chain: &ChainFile, down_steps: Vec<Step>, label: &str) -> Vec<Step> {
    let down_ms = total_ms(&down_steps);
    let mut steps = down_steps;
    steps.push(step(
        format!(
            "{label} pulls the ~{} blocks made meanwhile",
            down_ms / chain.block_time_ms.max(1)
        ),
        catch_up_ms(chain, down_ms / chain.block_time_ms.max(1)),
    ));
    steps
}

/// The estimate for a strategy under a failure.
pub fn estimate(deployment: &Deployment, failure: FailureKind) -> Estimate {
    let file = &deployment.file;
    let chain = &file.chain;
    let plan = &file.plan;
    let entry = &file.clients.entry_point;
    let outage = plan.outage_duration_ms;
    let finalizes = chain.finalization.enabled;
    let zero_rpo = || vec![step("blocks are on the surviving nodes", 0)];
    let mut estimate = Estimate {
        survivable: true,
        applicable: true,
        rto_steps: Vec::new(),
        rpo_steps: zero_rpo(),
        rpo_finalized_ms: finalizes.then_some(0),
        redundancy_steps: Vec::new(),
        redundancy_returns: true,
        operator_action: None,
        note: String::new(),
        structurally_lost: false,
    };
    let primary = &deployment.primary_region;
    let primary_nodes: Vec<&NodeFile> = nodes_of(file)
        .filter(|(region, _, node)| &region.id == primary && !node.standby)
        .map(|(_, _, node)| node)
        .collect();
    let restarted = |label: &str, down_ms: u64| {
        vec![
            assumed(label.to_string(), down_ms),
            assumed("servers start and recover", restart_ms(chain)),
        ]
    };
    match failure {
        FailureKind::Node | FailureKind::DiskLoss => {
            let disk = failure == FailureKind::DiskLoss;
            let harvesters = nodes_of(file).filter(|(_, _, node)| harvests(node)).count();
            if harvesters <= 1 && disk {
                let Some((peer, source)) = lone_peer_copy_source(file, primary) else {
                    let mut lost = Estimate::not_survivable(
                        "the only harvesting node's data is gone and no other node holds the chain",
                    );
                    lost.structurally_lost = true;
                    return lost;
                };
                let mut steps = vec![
                    assumed(
                        "the node is replaced (new instance and volume)",
                        plan.node_replacement_ms,
                    ),
                    assumed(
                        format!(
                            "operator copies the chain from {source}'s volume: {} GB at {} MiB/s",
                            plan.restore.volume_size_gb, plan.restore.initialization_mib_per_s
                        ),
                        volume_initialization_ms(&plan.restore),
                    ),
                    assumed("servers start and recover", restart_ms(chain)),
                    step("harvesting task start delay", chain.harvest_start_delay_ms),
                ];
                estimate.rto_steps = steps.clone();
                steps.truncate(3);
                estimate.redundancy_steps = steps;
                estimate.rpo_steps = vec![step(
                    format!("{source} pulled every block {peer} made before the loss (at most the last one is missing)"),
                    0,
                )];
                estimate.operator_action = Some(format!(
                    "operator copies the chain from {source} onto the replaced {peer}: the only PEER lost its disk"
                ));
                estimate.note = format!(
                    "worst case: losing {peer}, the only harvesting node: no blocks until the operator \
                     has copied the chain from {source} onto its replacement"
                );
                return estimate;
            }
            let vault = file.backup.is_some();
            let initialization_ms = plan.restore.volume_size_gb * 1_000_000_000
                / (plan.restore.initialization_mib_per_s.max(1) * 1_048_576)
                * 1_000;
            let down_steps = if disk {
                let mut steps = restarted(
                    "the node is replaced (new instance and volume)",
                    plan.node_replacement_ms,
                );
                if vault {
                    steps.insert(
                        1,
                        assumed(
                            format!(
                                "its volume is initialized from the newest snapshot: {} GB at {} MiB/s",
                                plan.restore.volume_size_gb, plan.restore.initialization_mib_per_s
                            ),
                            initialization_ms,
                        ),
                    );
                }
                steps
            } else {
                restarted("outage", outage)
            };
            // The worst node to lose, by the RTO its loss costs.
            let worst = primary_nodes
                .iter()
                .map(|candidate| {
                    let (steps, why) =
                        loss_steps(file, |_, _, node| node.id == candidate.id, &down_steps);
                    (total_ms(&steps), steps, why, candidate.id.clone())
                })
                .max_by(|first, second| first.0.cmp(&second.0).then(second.3.cmp(&first.3)));
            if let Some((_, steps, why, node)) = worst {
                estimate.rto_steps = steps;
                estimate.note = format!("worst case: losing {node} ({why})");
            }
            // Redundancy: the node runs again and holds the whole chain.
            let behind = height_at_failure(file);
            estimate.redundancy_steps = if disk && vault {
                let mut steps = down_steps.clone();
                let since_snapshot = file.backup.as_ref().map_or(0, |backup| backup.interval_ms)
                    + total_ms(&down_steps);
                steps.push(step(
                    format!(
                        "it pulls the ~{} blocks made since the snapshot",
                        since_snapshot / chain.block_time_ms.max(1)
                    ),
                    catch_up_ms(chain, since_snapshot / chain.block_time_ms.max(1)),
                ));
                steps
            } else if disk {
                let mut steps = down_steps.clone();
                steps.push(step(
                    format!(
                        "it pulls the whole chain from its peers: ~{behind} blocks, {} per {} s round",
                        chain.max_blocks_per_sync,
                        chain.sync_interval_ms / 1_000
                    ),
                    catch_up_ms(chain, behind),
                ));
                steps
            } else {
                back_in_sync(chain, down_steps.clone(), "the node")
            };
            if disk {
                estimate.note.push_str(if vault {
                    "; the replaced node is restored from the newest snapshot and pulls the rest"
                } else {
                    "; the replaced node pulls the whole chain from its peers"
                });
            }
        }
        FailureKind::Az => {
            let zones: Vec<&AzFile> = file
                .regions
                .iter()
                .filter(|region| &region.id == primary)
                .flat_map(|region| region.azs.iter())
                .filter(|az| az.nodes.iter().any(|node| !node.standby))
                .collect();
            let down_steps = restarted("outage", outage);
            let worst = zones
                .iter()
                .map(|lost_az| {
                    let (steps, why) =
                        loss_steps(file, |_, az, _| az.id == lost_az.id, &down_steps);
                    (total_ms(&steps), steps, why, lost_az.id.clone())
                })
                .max_by(|first, second| first.0.cmp(&second.0).then(second.3.cmp(&first.3)));
            if let Some((_, steps, why, az)) = worst {
                estimate.rto_steps = steps;
                estimate.note = format!(
                    "worst case: losing {az} ({why}); the lost AZ catches up by itself on return"
                );
            }
            estimate.redundancy_steps = back_in_sync(chain, down_steps, "the AZ's nodes");
        }
        FailureKind::Region => match deployment.strategy {
            Strategy::SingleAz | Strategy::MultiAz => {
                let mut lost = Estimate::not_survivable(
                    "every node and every backup is in the lost region: the chain is gone",
                );
                lost.structurally_lost = true;
                return lost;
            }
            Strategy::ActiveActive => {
                estimate.rto_steps = detection_steps(entry);
                estimate.redundancy_returns = false;
                estimate.note =
                    "the second region carries on (finalization stalls without a quorum); \
                     the lost region does not return within the trial"
                        .into();
            }
            Strategy::InterRegionBackup => {
                let restore = &plan.restore;
                let backup = file
                    .backup
                    .clone()
                    .unwrap_or_else(|| BackupFile::with_source(String::new()));
                let initialization_ms = restore.volume_size_gb * 1_000_000_000
                    / (restore.initialization_mib_per_s * 1_048_576)
                    * 1_000;
                estimate.rto_steps = vec![
                    assumed(
                        "detection and decision to fail over",
                        restore.detection_and_decision_ms,
                    ),
                    assumed(
                        "provisioning nodes in the recovery region",
                        restore.provisioning_ms,
                    ),
                    assumed(
                        format!(
                            "volume initialization: {} GB at {} MiB/s",
                            restore.volume_size_gb, restore.initialization_mib_per_s
                        ),
                        initialization_ms,
                    ),
                    assumed(
                        "servers start and recover from the snapshot",
                        restart_ms(chain),
                    ),
                    assumed(
                        format!(
                            "DNS sees the new API nodes healthy ({} × {} s)",
                            entry.healthy_threshold,
                            entry.health_check_interval_ms / 1_000
                        ),
                        entry.healthy_threshold * entry.health_check_interval_ms,
                    ),
                    assumed("clients follow after the DNS TTL", entry.switch_delay_ms),
                ];
                estimate.rpo_steps = vec![
                    step(
                        "backup interval (worst case: just before the next snapshot)",
                        backup.interval_ms,
                    ),
                    assumed("cross-region copy lag", backup.copy_lag_ms),
                ];
                estimate.rpo_finalized_ms =
                    finalizes.then_some(backup.interval_ms + backup.copy_lag_ms);
                estimate.redundancy_returns = false;
                estimate.note =
                    "the chain restarts at the newest snapshot copied before the loss; \
                     the lost region does not return within the trial"
                        .into();
            }
        },
        FailureKind::RegionLink => {
            if super::strategy::drawn_regions(file) < 2 {
                estimate.applicable = false;
                estimate.rto_steps = Vec::new();
                estimate.note =
                    "no link between running regions in this strategy: nothing to cut".into();
                return estimate;
            }
            let blocks_during_cut = outage / chain.block_time_ms.max(1);
            let reconnect = step(
                "nodes reconnect across the link (connect task)",
                chain.reconnect_interval_ms,
            );
            if chain.max_rollback_blocks > 0 && blocks_during_cut > chain.max_rollback_blocks {
                let operator = &plan.operator;
                let action = format!(
                    "operator resyncs the losing side's nodes: fork ~{blocks_during_cut} blocks > \
                     maxRollbackBlocks {}",
                    chain.max_rollback_blocks
                );
                let until_remedy = vec![
                    assumed("link cut", outage),
                    assumed("operator notices the split", operator.detection_ms),
                    assumed(
                        "operator decides which side to keep and starts the resync",
                        operator.decision_ms,
                    ),
                    assumed(
                        "the losing side's nodes restart empty",
                        chain.node_startup_ms,
                    ),
                ];
                estimate.rto_steps = until_remedy.clone();
                estimate.rto_steps.push(step(
                    "writes to a resyncing API node confirm through its peers",
                    0,
                ));
                estimate.rpo_steps = vec![assumed(
                    "writes confirmed on the losing side during the cut are abandoned \
                     (worst case: clients wrote there for the whole cut)",
                    outage,
                )];
                estimate.redundancy_steps = until_remedy;
                estimate.redundancy_steps.push(step(
                    format!(
                        "the losing side pulls the whole chain again: ~{} blocks",
                        height_at_failure(file) + blocks_during_cut
                    ),
                    catch_up_ms(chain, height_at_failure(file) + blocks_during_cut),
                ));
                estimate.operator_action = Some(action);
                estimate.note = format!(
                    "both sides harvest for about {blocks_during_cut} blocks, past maxRollbackBlocks {}: \
                     the fork is irreconcilable, so an operator keeps the branch catapult would \
                     converge to (the newest finalized block, else the higher score) and resyncs \
                     the other side",
                    chain.max_rollback_blocks
                );
                return estimate;
            }
            estimate.rto_steps = Vec::new();
            estimate.redundancy_steps = vec![assumed("link cut", outage), reconnect];
            estimate.note = "both sides keep harvesting; on heal the weaker side rolls back within a reconnect \
                             round and its transactions confirm again"
                .into();
        }
        FailureKind::ApiTier => {
            estimate.rto_steps = vec![assumed("API services down", outage)];
            if entry.kind != EntryKind::Direct {
                estimate.rto_steps.push(step(
                    "every target unhealthy: the entry point fails open, so the first request after the \
                     services return succeeds",
                    0,
                ));
            }
            estimate.rpo_steps = vec![step("PEER nodes keep the chain growing", 0)];
            estimate.redundancy_steps = vec![assumed("API services down", outage)];
            estimate.note = "blocks keep coming; clients cannot reach them".into();
        }
    }
    estimate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::strategy::derive;
    use crate::scenario::presets;

    fn cell(strategy: Strategy, failure: FailureKind) -> Estimate {
        estimate(
            &derive(strategy, &presets::load_file("multi-az").unwrap()),
            failure,
        )
    }

    #[test]
    fn multi_az_survives_an_az_in_a_minute_of_detection() {
        let estimate = cell(Strategy::MultiAz, FailureKind::Az);
        assert_eq!(estimate.rto_ms(), Some(60_000));
        assert_eq!(estimate.rpo_ms(), Some(0));
    }

    #[test]
    fn single_region_strategies_do_not_survive_region_loss() {
        assert!(!cell(Strategy::SingleAz, FailureKind::Region).survivable);
        assert!(!cell(Strategy::MultiAz, FailureKind::Region).survivable);
    }

    #[test]
    fn backup_restore_takes_about_a_day_and_loses_up_to_the_interval() {
        let estimate = cell(Strategy::InterRegionBackup, FailureKind::Region);
        let rto_h = estimate.rto_ms().unwrap() as f64 / 3_600_000.0;
        assert!((20.0..=28.0).contains(&rto_h), "{rto_h} h");
        assert_eq!(estimate.rpo_ms(), Some(2 * 3_600_000 + 15 * 60_000));
    }

    #[test]
    fn an_hour_long_cut_with_a_forty_block_limit_needs_an_operator() {
        let estimate = cell(Strategy::ActiveActive, FailureKind::RegionLink);
        // Recoverable by an operator, not "not survivable" (issue 12 definition 3).
        assert!(estimate.survivable);
        let action = estimate.operator_action.as_deref().unwrap();
        assert!(action.contains("maxRollbackBlocks 40"), "{action}");
        // Cut, detection, decision and restart, each an assumed input.
        let rto = estimate.rto_ms().unwrap();
        assert_eq!(rto, 3_600_000 + 15 * 60_000 + 30 * 60_000 + 20_000);
        assert!(estimate.rto_steps.iter().take(4).all(|step| step.assumed));
        // The losing side's writes of the whole cut, at worst.
        assert_eq!(estimate.rpo_ms(), Some(3_600_000));
        // Redundancy returns once the losing side has pulled a year of chain again.
        let hours = estimate.redundancy_ms().unwrap() as f64 / 3_600_000.0;
        assert!((40.0..50.0).contains(&hours), "{hours} h");
        assert!(!cell(Strategy::MultiAz, FailureKind::RegionLink).applicable);
    }

    /// The layout decides the estimate: with one API node behind the load balancer,
    /// losing it leaves no other target, so RTO is the outage, not the detection time;
    /// with one PEER, losing it stops the chain. The note names the worst node.
    #[test]
    fn the_estimate_models_the_layout_and_names_the_worst_node() {
        let mut base = presets::load_file("multi-az").unwrap();
        for region in &mut base.regions {
            for az in &mut region.azs {
                az.nodes.retain(|node| node.id != "api2");
            }
        }
        let estimate = estimate(&derive(Strategy::MultiAz, &base), FailureKind::Node);
        assert_eq!(
            estimate.rto_ms(),
            Some(3_600_000 + 20_000 + 30_000),
            "{:?}",
            estimate.rto_steps
        );
        assert!(estimate.note.contains("api1"), "{}", estimate.note);
        // Two API nodes: the balancer moves clients in a minute.
        let two = cell(Strategy::MultiAz, FailureKind::Node);
        assert_eq!(two.rto_ms(), Some(60_000));
        assert!(two.note.contains("api"), "{}", two.note);
    }

    /// A PEER's disk loss: RTO near zero, but redundancy returns only once the replaced
    /// node has pulled the whole chain (a year of history: tens of hours); with a
    /// backup vault it starts from the newest snapshot instead.
    #[test]
    fn disk_loss_shows_the_history_resync_in_the_exposure_window() {
        let multi = cell(Strategy::MultiAz, FailureKind::DiskLoss);
        assert_eq!(multi.rto_ms(), Some(60_000));
        let hours = multi.redundancy_ms().unwrap() as f64 / 3_600_000.0;
        assert!((40.0..46.0).contains(&hours), "{hours} h");
        assert!(multi
            .redundancy_steps
            .iter()
            .any(|step| step.label.contains("whole chain")));
        let backup = cell(Strategy::InterRegionBackup, FailureKind::DiskLoss);
        let hours = backup.redundancy_ms().unwrap() as f64 / 3_600_000.0;
        assert!(hours < 3.0, "{hours} h");
        assert!(backup
            .redundancy_steps
            .iter()
            .any(|step| step.label.contains("snapshot") && step.assumed));
    }
}
