//! Hints: what would make a failing cell pass. Each candidate is a change to the
//! user's drawing that a DR review would suggest (a second PEER, a second API node,
//! finalization bounding rollbacks, hourly snapshots, a load balancer); the planner
//! applies it, lays the strategy out again and re-plans that one cell with the same
//! trials and seed. A hint is shown only when that re-planned cell meets its target.
//!
//! Invariants: a hint is never a guess (it names a change whose re-planned cell
//! passed); candidates are tried in a fixed order and the first that passes is kept;
//! the user's file is never changed (candidates work on copies).

use crate::scenario::file::*;
use crate::scenario::validate;

use super::strategy::{self, Strategy};
use super::{Cell, PlanOptions};

/// A change to try on a failing cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The change in words, as the hint shows it.
    pub description: String,
    /// The drawing with the change applied.
    pub file: ScenarioFile,
}

fn running_nodes(file: &ScenarioFile) -> impl Iterator<Item = &NodeFile> {
    file.regions
        .iter()
        .flat_map(|region| region.azs.iter())
        .flat_map(|az| az.nodes.iter())
        .filter(|node| !node.standby)
}

fn unique_id(wanted: &str, taken: &[String]) -> String {
    crate::scenario::file::unique_id(wanted, |id| taken.iter().any(|other| other == id))
}

/// Adds `node` to an AZ of the first region that holds no node of `role_like`'s kind
/// (a new AZ when every AZ has one). Returns the AZ's id.
fn add_in_another_az(
    file: &mut ScenarioFile,
    node: NodeFile,
    same_kind: impl Fn(&NodeFile) -> bool,
) -> Option<String> {
    let taken = file.drawn_ids_in_order();
    let region = file.regions.first_mut()?;
    if let Some(az) = region.azs.iter_mut().find(|az| {
        !az.nodes
            .iter()
            .any(|other| !other.standby && same_kind(other))
    }) {
        az.nodes.push(node);
        return Some(az.id.clone());
    }
    let id = unique_id(&format!("{}c", region.id), &taken);
    region.azs.push(AzFile {
        id: id.clone(),
        nodes: vec![node],
    });
    Some(id)
}

/// The changes worth trying for a failing cell, in the order they are tried.
pub fn candidates(base: &ScenarioFile, cell: &Cell) -> Vec<Candidate> {
    let mut found = Vec::new();
    let failure = cell.failure;
    let harvesters: Vec<&NodeFile> = running_nodes(base)
        .filter(|node| node.role.has_peer() && node.stake > 0)
        .collect();
    let api_nodes = running_nodes(base)
        .filter(|node| node.role.has_api())
        .count();
    if matches!(
        failure,
        FailureKind::Node | FailureKind::Az | FailureKind::DiskLoss
    ) && harvesters.len() <= 1
    {
        if let Some(first) = harvesters.first() {
            let mut file = base.clone();
            let id = unique_id(&format!("{}-second", first.id), &base.drawn_ids_in_order());
            let node = NodeFile {
                id: id.clone(),
                clone_of: None,
                ..(*first).clone()
            };
            if let Some(az) = add_in_another_az(&mut file, node, |other| other.role.has_peer()) {
                found.push(Candidate {
                    description: format!(
                        "add a second PEER node in another AZ ({id} in {az}): the chain keeps \
                         growing when one harvester is lost"
                    ),
                    file,
                });
            }
        }
    }
    if matches!(
        failure,
        FailureKind::Node | FailureKind::Az | FailureKind::DiskLoss
    ) && api_nodes <= 1
    {
        let mut file = base.clone();
        let id = unique_id("api-second", &base.drawn_ids_in_order());
        let node = NodeFile::new(&id, Role::Api);
        if let Some(az) = add_in_another_az(&mut file, node, |other| other.role.has_api()) {
            if !file.clients.entry_point.targets.is_empty() {
                file.clients.entry_point.targets.push(id.clone());
            }
            found.push(Candidate {
                description: format!(
                    "add a second API node in another AZ ({id} in {az}){}: clients move to it \
                     when one is lost",
                    match base.clients.entry_point.kind {
                        EntryKind::Direct => "",
                        EntryKind::LoadBalancer => " behind the load balancer",
                        EntryKind::DnsFailover | EntryKind::LatencyRouting =>
                            " behind the DNS entry",
                    }
                ),
                file,
            });
        }
    }
    if !base.plan.load_balancer
        && matches!(
            failure,
            FailureKind::Node | FailureKind::Az | FailureKind::DiskLoss
        )
    {
        let mut file = base.clone();
        file.plan.load_balancer = true;
        found.push(Candidate {
            description: "put the API nodes behind a load balancer (plan.load_balancer true)"
                .into(),
            file,
        });
    }
    let chain = &base.chain;
    if cell.operator_action.is_some()
        && !(chain.finalization.enabled && chain.max_rollback_blocks == 0)
    {
        let mut file = base.clone();
        file.chain.max_rollback_blocks = 0;
        file.chain.finalization.enabled = true;
        let voters = running_nodes(base).any(|node| node.voting && node.voting_balance > 0);
        if !voters {
            for node in file
                .regions
                .iter_mut()
                .flat_map(|region| region.azs.iter_mut())
                .flat_map(|az| az.nodes.iter_mut())
                .filter(|node| !node.standby && node.role.has_peer() && node.stake > 0)
            {
                node.voting = true;
                node.voting_balance = node.voting_balance.max(node.stake);
            }
        }
        found.push(Candidate {
            description: format!(
                "turn on finalization with maxRollbackBlocks 0{}: the side holding the \
                 finalized blocks wins and the other rolls back by itself",
                if voters {
                    ""
                } else {
                    " and make the PEER nodes voters"
                }
            ),
            file,
        });
    }
    let backup_interval = base
        .backup
        .as_ref()
        .map_or(2 * 3_600_000, |backup| backup.interval_ms);
    if cell.strategy == Strategy::InterRegionBackup
        && failure == FailureKind::Region
        && backup_interval > crate::scenario::limits::BACKUP_INTERVAL_MIN_MS
    {
        let mut file = base.clone();
        let source = harvesters
            .first()
            .map(|node| node.id.clone())
            .unwrap_or_default();
        let mut backup = file
            .backup
            .clone()
            .unwrap_or_else(|| BackupFile::with_source(source));
        backup.interval_ms = crate::scenario::limits::BACKUP_INTERVAL_MIN_MS;
        file.backup = Some(backup);
        found.push(Candidate {
            description: "snapshot every hour (backup.interval 1h, the shortest AWS Backup \
                          schedules)"
                .into(),
            file,
        });
    }
    found
        .into_iter()
        .filter(|candidate| validate(&candidate.file).is_ok())
        .collect()
}

/// The first candidate whose re-planned cell meets its target, in words.
pub fn confirmed_hint(base: &ScenarioFile, cell: &Cell, options: &PlanOptions) -> Option<String> {
    if cell.meets_target != Some(false) {
        return None;
    }
    candidates(base, cell).into_iter().find_map(|candidate| {
        confirm(&candidate, cell.strategy, cell.failure, options)
            .then(|| hint_text(&candidate, cell))
    })
}

/// A confirmed candidate as the hint shows it.
pub fn hint_text(candidate: &Candidate, cell: &Cell) -> String {
    format!(
        "{} (re-planned with this change: the {} / {} cell passes)",
        candidate.description,
        cell.strategy.as_str(),
        cell.failure.as_str()
    )
}

/// The changed drawing laid out for the cell's strategy, with the cell's estimate;
/// `None` when the change cannot be planned (it fails validation).
pub fn prepare_candidate(
    candidate: &Candidate,
    strategy: Strategy,
    failure: FailureKind,
) -> Option<(strategy::Deployment, super::Estimate)> {
    let scenario = validate(&candidate.file).ok()?;
    super::check_plannable(&scenario).ok()?;
    let deployment = strategy::derive(strategy, &candidate.file);
    validate(&deployment.file).ok()?;
    let estimate = super::estimate::estimate(&deployment, failure);
    Some((deployment, estimate))
}

/// Re-plans one cell on the changed drawing: does it meet its target?
pub fn confirm(
    candidate: &Candidate,
    strategy: Strategy,
    failure: FailureKind,
    options: &PlanOptions,
) -> bool {
    if prepare_candidate(candidate, strategy, failure).is_none() {
        return false;
    }
    let deployment = strategy::derive(strategy, &candidate.file);
    super::run_cell(&deployment, failure, options).meets_target == Some(true)
}
