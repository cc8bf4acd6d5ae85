//! Every id a scenario refers to: renames rewrite them, deletions prune them.
//!
//! Invariants: ids are unique across regions, AZs and nodes, so a reference equal to a
//! renamed id means that one; a deletion that would leave the backup or the entry
//! point without what it needs is refused instead of pruned.

use std::collections::BTreeSet;

use super::lookups::{az_path, find_id, locate_az, locate_node, locate_region, node_path, IdKind};
use super::refuse;
use crate::scenario::file::{FaultAction, ScenarioFile};
use crate::scenario::limits;
use crate::scenario::ScenarioError;

/// Calls `visit` on every id a scenario refers to: clones' sources, fault targets,
/// group members, restore lists, the backup source and copy region, entry-point
/// targets, region latency overrides and the planner's recovery region.
pub(super) fn for_each_reference(file: &mut ScenarioFile, visit: &mut dyn FnMut(&mut String)) {
    for node in file
        .regions
        .iter_mut()
        .flat_map(|region| region.azs.iter_mut())
        .flat_map(|az| az.nodes.iter_mut())
    {
        if let Some(source) = &mut node.clone_of {
            visit(source);
        }
    }
    for fault in &mut file.faults {
        match &mut fault.action {
            FaultAction::Crash { node }
            | FaultAction::Stop { node }
            | FaultAction::DiskLoss { node }
            | FaultAction::Isolate { node }
            | FaultAction::ApiDown { node }
            | FaultAction::Resync { node } => visit(node),
            FaultAction::CopyChain { node, from } => {
                visit(node);
                visit(from);
            }
            FaultAction::AzOutage { az } => visit(az),
            FaultAction::RegionOutage { region } => visit(region),
            FaultAction::Partition { groups, .. } | FaultAction::Degrade { groups, .. } => {
                groups.iter_mut().flatten().for_each(&mut *visit)
            }
            FaultAction::Restore { nodes } => nodes.iter_mut().for_each(&mut *visit),
        }
    }
    if let Some(backup) = &mut file.backup {
        visit(&mut backup.source);
        if let Some(region) = &mut backup.copy_to_region {
            visit(region);
        }
    }
    file.clients
        .entry_point
        .targets
        .iter_mut()
        .for_each(&mut *visit);
    for entry in &mut file.network.region_latencies {
        entry.between.iter_mut().for_each(&mut *visit);
    }
    if let Some(region) = &mut file.plan.recovery_region {
        visit(region);
    }
}

/// A new id as the format accepts it (surrounding spaces trimmed).
pub(super) fn checked_new_id(text: &str, path: &str) -> Result<String, Vec<ScenarioError>> {
    let id = text.trim();
    if id.is_empty() {
        return Err(refuse(path, "empty id: give it a name such as \"peer1\""));
    }
    if id.chars().count() > limits::ID_CHARS_MAX {
        return Err(refuse(
            path,
            format!(
                "longer than {} characters: shorten it",
                limits::ID_CHARS_MAX
            ),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(refuse(path, "contains control characters: use plain text"));
    }
    Ok(id.to_string())
}

pub(super) fn rename(
    next: &mut ScenarioFile,
    kind: IdKind,
    from: &str,
    to: &str,
) -> Result<(), Vec<ScenarioError>> {
    let path = match kind {
        IdKind::Node => node_path(locate_node(next, from)?),
        IdKind::Az => az_path(locate_az(next, from)?),
        IdKind::Region => format!("regions[{}]", locate_region(next, from)?),
    } + ".id";
    let to = checked_new_id(to, &path)?;
    if to == from {
        return Ok(());
    }
    // The message is read next to the name field, so it speaks of names, not paths
    // (ids of regions, AZs and nodes must all differ).
    if let Some((other_kind, _)) = find_id(next, &to) {
        return Err(refuse(
            path,
            format!(
                "'{to}' is already used by another {}; choose another name",
                other_kind.noun()
            ),
        ));
    }
    match kind {
        IdKind::Node => {
            let (region, az, node) = locate_node(next, from)?;
            next.regions[region].azs[az].nodes[node].id = to.clone();
        }
        IdKind::Az => {
            let (region, az) = locate_az(next, from)?;
            next.regions[region].azs[az].id = to.clone();
        }
        IdKind::Region => {
            let region = locate_region(next, from)?;
            next.regions[region].id = to.clone();
        }
    }
    // Ids are unique across kinds, so every reference equal to `from` means this one.
    for_each_reference(next, &mut |id| {
        if id == from {
            *id = to.clone();
        }
    });
    Ok(())
}

/// Drops references to `removed` ids (nodes, AZs, regions about to be deleted), or
/// refuses when a reference cannot go without a decision from the user.
pub(super) fn prune_references(
    next: &mut ScenarioFile,
    removed: &BTreeSet<String>,
) -> Result<(), Vec<ScenarioError>> {
    let mut errors = Vec::new();
    if let Some(backup) = &next.backup {
        if removed.contains(&backup.source) {
            errors.push(ScenarioError::new(
                "backup.source",
                format!(
                    "\"{}\" is the backup source: pick another backup source first, or remove the backup",
                    backup.source
                ),
            ));
        }
        if let Some(region) = backup
            .copy_to_region
            .as_ref()
            .filter(|region| removed.contains(*region))
        {
            errors.push(ScenarioError::new(
                "backup.copy_to_region",
                format!(
                    "backup snapshots are copied to \"{region}\": pick another copy region first, or stop copying"
                ),
            ));
        }
    }
    let targets = &mut next.clients.entry_point.targets;
    if targets.iter().any(|id| removed.contains(id)) {
        if targets.iter().all(|id| removed.contains(id)) {
            errors.push(ScenarioError::new(
                "clients.entry_point.targets",
                format!(
                    "that would delete every entry-point target ({}): add another API or DUAL node to the targets first",
                    targets.join(", ")
                ),
            ));
        } else {
            targets.retain(|id| !removed.contains(id));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A clone whose source goes runs keys of its own from now on.
    for node in next
        .regions
        .iter_mut()
        .flat_map(|region| region.azs.iter_mut())
        .flat_map(|az| az.nodes.iter_mut())
    {
        if node
            .clone_of
            .as_ref()
            .is_some_and(|source| removed.contains(source))
        {
            node.clone_of = None;
        }
    }
    next.network
        .region_latencies
        .retain(|entry| !entry.between.iter().any(|id| removed.contains(id)));
    next.faults.retain_mut(|fault| match &mut fault.action {
        FaultAction::Crash { node }
        | FaultAction::Stop { node }
        | FaultAction::DiskLoss { node }
        | FaultAction::Isolate { node }
        | FaultAction::ApiDown { node }
        | FaultAction::Resync { node } => !removed.contains(node),
        FaultAction::CopyChain { node, from } => !removed.contains(node) && !removed.contains(from),
        FaultAction::AzOutage { az } => !removed.contains(az),
        FaultAction::RegionOutage { region } => !removed.contains(region),
        FaultAction::Restore { nodes } => {
            nodes.retain(|id| !removed.contains(id));
            !nodes.is_empty()
        }
        FaultAction::Partition { groups, .. } | FaultAction::Degrade { groups, .. } => {
            for group in groups.iter_mut() {
                group.retain(|id| !removed.contains(id));
            }
            groups.iter().all(|group| !group.is_empty())
        }
    });
    Ok(())
}
