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

    fn not_survivable(note: impl Into<String>) -> Estimate {
        Estimate {
            survivable: false,
            applicable: true,
            rto_steps: Vec::new(),
            rpo_steps: Vec::new(),
            rpo_finalized_ms: None,
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
        EntryKind::DnsFailover => vec![
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

fn nodes_of(file: &ScenarioFile) -> impl Iterator<Item = (&RegionFile, &AzFile, &NodeFile)> {
    file.regions.iter().flat_map(|region| {
        region
            .azs
            .iter()
            .flat_map(move |az| az.nodes.iter().map(move |node| (region, az, node)))
    })
}

/// Whether the service keeps a harvester and a client entry when `lost` nodes are gone.
fn survivors_serve(
    file: &ScenarioFile,
    lost: impl Fn(&RegionFile, &AzFile, &NodeFile) -> bool,
) -> bool {
    let entry = &file.clients.entry_point;
    let harvester = nodes_of(file).any(|(region, az, node)| {
        !node.standby && node.role.has_peer() && node.stake > 0 && !lost(region, az, node)
    });
    let serving_targets: Vec<bool> = entry
        .targets
        .iter()
        .map(|target| {
            nodes_of(file).any(|(region, az, node)| {
                &node.id == target && !node.standby && !lost(region, az, node)
            })
        })
        .collect();
    harvester && serving_targets.iter().any(|&serving| serving)
}

/// Whether a lost set takes out a target clients are using.
fn hits_a_target(
    file: &ScenarioFile,
    lost: impl Fn(&RegionFile, &AzFile, &NodeFile) -> bool,
) -> bool {
    let targets = &file.clients.entry_point.targets;
    nodes_of(file).any(|(region, az, node)| {
        targets.contains(&node.id) && !node.standby && lost(region, az, node)
    })
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
        note: String::new(),
        structurally_lost: false,
    };
    // A whole-service stop that comes back by itself after `outage`.
    let full_outage = |note: &str| {
        let mut steps = vec![
            assumed("outage", outage),
            assumed("servers start and recover", restart_ms(chain)),
            step("harvesting task start delay", chain.harvest_start_delay_ms),
        ];
        if entry.kind != EntryKind::Direct {
            steps.push(step(
                "first health check after start",
                entry.health_check_interval_ms / 2,
            ));
        }
        Estimate {
            survivable: true,
            applicable: true,
            rto_steps: steps,
            rpo_steps: vec![step("volumes survive; nothing confirmed is lost", 0)],
            rpo_finalized_ms: finalizes.then_some(0),
            note: note.to_string(),
            structurally_lost: false,
        }
    };
    match failure {
        FailureKind::Node | FailureKind::DiskLoss => {
            let harvesters = nodes_of(file)
                .filter(|(_, _, node)| !node.standby && node.role.has_peer() && node.stake > 0)
                .count();
            if harvesters <= 1 && failure == FailureKind::DiskLoss {
                let mut lost = Estimate::not_survivable(
                    "the only harvesting node's data is gone and no copy exists",
                );
                lost.structurally_lost = true;
                return lost;
            }
            if harvesters <= 1 {
                return full_outage("the only harvesting node is down: no blocks until it returns");
            }
            if entry.kind == EntryKind::Direct {
                estimate.rto_steps = vec![
                    assumed(
                        "outage of the one API node clients use (worst case)",
                        outage,
                    ),
                    assumed("servers start and recover", restart_ms(chain)),
                ];
                if failure == FailureKind::DiskLoss {
                    estimate.rto_steps[0] = assumed(
                        "the API node is replaced (worst case)",
                        plan.node_replacement_ms,
                    );
                }
                estimate.note =
                    "clients talk to one API node directly: losing it stops the service".into();
            } else {
                estimate.rto_steps = detection_steps(entry);
                estimate.note =
                    "worst case: the failed node is an API node clients use; a PEER costs nothing"
                        .into();
            }
        }
        FailureKind::Az => {
            let primary = &deployment.primary_region;
            let worst_ok = file
                .regions
                .iter()
                .filter(|region| &region.id == primary)
                .flat_map(|region| region.azs.iter())
                .all(|lost_az| survivors_serve(file, |_, az, _| az.id == lost_az.id));
            if !worst_ok {
                return full_outage(
                    "an AZ holds every harvester or every API node: its loss stops the service",
                );
            }
            let hits = file
                .regions
                .iter()
                .filter(|region| &region.id == primary)
                .flat_map(|region| region.azs.iter())
                .any(|lost_az| hits_a_target(file, |_, az, _| az.id == lost_az.id));
            if hits {
                estimate.rto_steps = detection_steps(entry);
            }
            estimate.note =
                "the other AZs carry on; the lost AZ catches up by itself on return".into();
            if entry.kind == EntryKind::Direct && hits {
                return full_outage("clients talk to one API node directly, and its AZ is lost");
            }
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
                estimate.note =
                    "the second region carries on (finalization stalls without a quorum)".into();
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
                    step(
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
                estimate.note =
                    "the chain restarts at the newest snapshot copied before the loss".into();
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
            if chain.max_rollback_blocks > 0 && blocks_during_cut > chain.max_rollback_blocks {
                return Estimate::not_survivable(format!(
                    "both sides harvest for about {blocks_during_cut} blocks, past maxRollbackBlocks {}: \
                     the fork is irreconcilable until an operator resyncs one side",
                    chain.max_rollback_blocks
                ));
            }
            estimate.rto_steps = Vec::new();
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
            estimate.note = "blocks keep coming; clients cannot reach them".into();
        }
    }
    if failure == FailureKind::DiskLoss && estimate.survivable {
        estimate
            .note
            .push_str("; the replaced node syncs the chain from its peers");
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
    fn an_hour_long_cut_with_a_forty_block_limit_is_irreconcilable() {
        let estimate = cell(Strategy::ActiveActive, FailureKind::RegionLink);
        assert!(!estimate.survivable);
        assert!(estimate.note.contains("maxRollbackBlocks"));
        assert!(!cell(Strategy::MultiAz, FailureKind::RegionLink).applicable);
    }
}
