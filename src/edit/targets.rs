//! What a context-menu action or a selection targets ([`Target`]: a node, AZ, region or
//! inter-region link), how it is named, whether it is still drawn, where it sits, and
//! which faults are on it.
//!
//! Invariants: pure reads of a file; nothing here changes it.

use super::lookups::{
    find_az, find_id, find_node, find_region, topology_ids, topology_ids_in_order, IdKind,
};
use crate::scenario::file::{FaultAction, ScenarioFile};

/// What a context-menu action targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Node(String),
    Az(String),
    Region(String),
    /// The link between two regions (region ids).
    Link(String, String),
}

/// How menus and messages name a target: `peer2`, `AZ ap-northeast-1a`,
/// `region ap-northeast-1`, `link ap-northeast-1 ↔ ap-southeast-1`.
pub fn target_label(target: &Target) -> String {
    match target {
        Target::Node(id) => id.clone(),
        Target::Az(id) => format!("AZ {id}"),
        Target::Region(id) => format!("region {id}"),
        Target::Link(first, second) => format!("link {first} ↔ {second}"),
    }
}

/// Whether a fault is "on" a target: a node's own faults (and a restore of that node
/// alone), an AZ's or region's outage and any partition or degradation whose first
/// group is that AZ or region alone, a link's partition or degradation between exactly
/// its two regions.
pub fn fault_is_on(action: &FaultAction, target: &Target) -> bool {
    let single = |group: &Vec<String>, id: &String| group.len() == 1 && group[0] == *id;
    match (action, target) {
        (
            FaultAction::Crash { node }
            | FaultAction::Stop { node }
            | FaultAction::DiskLoss { node }
            | FaultAction::Isolate { node }
            | FaultAction::ApiDown { node }
            | FaultAction::Resync { node }
            | FaultAction::CopyChain { node, .. },
            Target::Node(id),
        ) => node == id,
        (FaultAction::Restore { nodes }, Target::Node(id)) => single(nodes, id),
        (FaultAction::AzOutage { az }, Target::Az(id)) => az == id,
        (FaultAction::RegionOutage { region }, Target::Region(id)) => region == id,
        (
            FaultAction::Partition { groups, .. } | FaultAction::Degrade { groups, .. },
            Target::Az(id) | Target::Region(id),
        ) => groups.first().is_some_and(|group| single(group, id)),
        (
            FaultAction::Partition { groups, .. } | FaultAction::Degrade { groups, .. },
            Target::Link(first, second),
        ) => {
            groups.len() == 2
                && ((single(&groups[0], first) && single(&groups[1], second))
                    || (single(&groups[0], second) && single(&groups[1], first)))
        }
        _ => false,
    }
}

/// Positions in `faults` of the faults on `target` (see [`fault_is_on`]).
pub fn faults_on(file: &ScenarioFile, target: &Target) -> Vec<usize> {
    (0..file.faults.len())
        .filter(|&index| fault_is_on(&file.faults[index].action, target))
        .collect()
}

/// Positions of the faults on `target` active at `at_ms`: started before it and not
/// yet ended.
pub fn active_faults_on(file: &ScenarioFile, target: &Target, at_ms: u64) -> Vec<usize> {
    faults_on(file, target)
        .into_iter()
        .filter(|&index| {
            let fault = &file.faults[index];
            fault.at_ms < at_ms && fault.until_ms.is_none_or(|until_ms| at_ms < until_ms)
        })
        .collect()
}

/// Ids of regions, AZs and nodes in `after` that are not in `before`, in topology
/// order: what an add or duplicate created, for the app to select.
pub fn added_ids(before: &ScenarioFile, after: &ScenarioFile) -> Vec<String> {
    let old = topology_ids(before);
    topology_ids_in_order(after)
        .into_iter()
        .filter(|id| !old.contains(id))
        .collect()
}

/// Whether a target is still in the file (a selection may outlive an edit or undo).
pub fn target_exists(file: &ScenarioFile, target: &Target) -> bool {
    match target {
        Target::Node(id) => find_node(file, id).is_some(),
        Target::Az(id) => find_az(file, id).is_some(),
        Target::Region(id) => find_region(file, id).is_some(),
        Target::Link(first, second) => {
            find_region(file, first).is_some() && find_region(file, second).is_some()
        }
    }
}

/// The target an id names (node, AZ or region).
pub fn target_for_id(file: &ScenarioFile, id: &str) -> Option<Target> {
    find_id(file, id).map(|(kind, _)| match kind {
        IdKind::Node => Target::Node(id.to_string()),
        IdKind::Az => Target::Az(id.to_string()),
        IdKind::Region => Target::Region(id.to_string()),
    })
}

/// The AZ a target is in (a region's first AZ); none for a link.
pub fn az_of(file: &ScenarioFile, target: &Target) -> Option<String> {
    let (region, az) = match target {
        Target::Node(id) => find_node(file, id).map(|(region, az, _)| (region, az))?,
        Target::Az(id) => find_az(file, id)?,
        Target::Region(id) => (find_region(file, id)?, 0),
        Target::Link(_, _) => return None,
    };
    file.regions[region].azs.get(az).map(|az| az.id.clone())
}

/// The region a target is in; none for a link.
pub fn region_of(file: &ScenarioFile, target: &Target) -> Option<String> {
    let region = match target {
        Target::Node(id) => find_node(file, id)?.0,
        Target::Az(id) => find_az(file, id)?.0,
        Target::Region(id) => find_region(file, id)?,
        Target::Link(_, _) => return None,
    };
    Some(file.regions[region].id.clone())
}
