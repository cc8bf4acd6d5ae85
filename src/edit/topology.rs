//! Topology edits: adding, moving, duplicating and deleting nodes, AZs and regions.
//!
//! Invariants: the node limit and per-region AZ limit are checked before growing;
//! an edit that would leave the scenario without nodes, or a region without AZs, is
//! refused; an AZ may be left empty (as "+ AZ" makes it: valid, nothing to simulate,
//! ready to fill); a deletion prunes references through [`super::references`].

use std::collections::BTreeSet;

use super::lookups::{
    az_path, find_node, fresh_az_id, fresh_id, fresh_region_id, locate_az, locate_region, missing,
    node_count, role_prefix, taken_ids, IdKind,
};
use super::references::prune_references;
use super::refuse;
use crate::scenario::file::{AzFile, NodeFile, RegionFile, Role, ScenarioFile};
use crate::scenario::limits;
use crate::scenario::ScenarioError;

pub(super) fn ensure_room_for_nodes(
    file: &ScenarioFile,
    extra: usize,
) -> Result<(), Vec<ScenarioError>> {
    let total = node_count(file) + extra;
    if total > limits::NODES_MAX {
        return Err(refuse(
            "regions",
            format!(
                "that would make {total} nodes, over the limit of {}: delete some nodes first",
                limits::NODES_MAX
            ),
        ));
    }
    Ok(())
}

/// The listed node ids, each checked to exist; at least one.
pub(super) fn node_selection(
    file: &ScenarioFile,
    ids: &[String],
) -> Result<BTreeSet<String>, Vec<ScenarioError>> {
    if ids.is_empty() {
        return Err(refuse(
            "regions",
            "no node selected: select at least one node",
        ));
    }
    let errors: Vec<ScenarioError> = ids
        .iter()
        .filter(|id| find_node(file, id).is_none())
        .flat_map(|id| missing(IdKind::Node, id))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ids.iter().cloned().collect())
}

pub(super) fn add_node(
    next: &mut ScenarioFile,
    az: &str,
    role: Role,
) -> Result<(), Vec<ScenarioError>> {
    let (region, az) = locate_az(next, az)?;
    ensure_room_for_nodes(next, 1)?;
    let id = fresh_id(&taken_ids(next), role_prefix(role));
    next.regions[region].azs[az]
        .nodes
        .push(NodeFile::new(&id, role));
    Ok(())
}

pub(super) fn move_nodes(
    next: &mut ScenarioFile,
    nodes: &[String],
    to_az: &str,
) -> Result<(), Vec<ScenarioError>> {
    let selection = node_selection(next, nodes)?;
    let (region, az) = locate_az(next, to_az)?;
    let mut moved = Vec::new();
    for other in next.regions.iter_mut().flat_map(|region| &mut region.azs) {
        other.nodes.retain(|node| {
            let selected = selection.contains(&node.id);
            if selected {
                moved.push(node.clone());
            }
            !selected
        });
    }
    next.regions[region].azs[az].nodes.extend(moved);
    Ok(())
}

pub(super) fn duplicate_nodes(
    next: &mut ScenarioFile,
    nodes: &[String],
) -> Result<(), Vec<ScenarioError>> {
    let selection = node_selection(next, nodes)?;
    ensure_room_for_nodes(next, selection.len())?;
    let mut taken = taken_ids(next);
    for az in next.regions.iter_mut().flat_map(|region| &mut region.azs) {
        let mut nodes = Vec::with_capacity(az.nodes.len());
        for node in az.nodes.drain(..) {
            let copy = selection.contains(&node.id).then(|| {
                let id = fresh_id(&taken, role_prefix(node.role));
                taken.insert(id.clone());
                NodeFile { id, ..node.clone() }
            });
            nodes.push(node);
            nodes.extend(copy);
        }
        az.nodes = nodes;
    }
    Ok(())
}

pub(super) fn delete_nodes(
    next: &mut ScenarioFile,
    nodes: &[String],
) -> Result<(), Vec<ScenarioError>> {
    let selection = node_selection(next, nodes)?;
    if selection.len() >= node_count(next) {
        return Err(refuse(
            "regions",
            "that would delete every node: a scenario needs at least one; add another node first",
        ));
    }
    prune_references(next, &selection)?;
    for az in next.regions.iter_mut().flat_map(|region| &mut region.azs) {
        az.nodes.retain(|node| !selection.contains(&node.id));
    }
    Ok(())
}

pub(super) fn add_az(next: &mut ScenarioFile, region: &str) -> Result<(), Vec<ScenarioError>> {
    let position = locate_region(next, region)?;
    if next.regions[position].azs.len() >= limits::AZS_PER_REGION_MAX {
        return Err(refuse(
            format!("regions[{position}].azs"),
            format!(
                "region \"{region}\" already has {} availability zones, the most one region may have",
                limits::AZS_PER_REGION_MAX
            ),
        ));
    }
    let az_id = fresh_az_id(&taken_ids(next), region);
    next.regions[position].azs.push(AzFile {
        id: az_id,
        nodes: Vec::new(),
    });
    Ok(())
}

pub(super) fn add_region(next: &mut ScenarioFile) -> Result<(), Vec<ScenarioError>> {
    if next.regions.len() >= limits::REGIONS_MAX {
        return Err(refuse(
            "regions",
            format!(
                "the scenario already has {} regions, the most it may have",
                limits::REGIONS_MAX
            ),
        ));
    }
    let mut taken = taken_ids(next);
    let region_id = fresh_region_id(&taken);
    taken.insert(region_id.clone());
    let az_id = fresh_az_id(&taken, &region_id);
    next.regions.push(RegionFile {
        id: region_id,
        azs: vec![AzFile {
            id: az_id,
            nodes: Vec::new(),
        }],
    });
    Ok(())
}

pub(super) fn delete_az(next: &mut ScenarioFile, az: &str) -> Result<(), Vec<ScenarioError>> {
    let (region, position) = locate_az(next, az)?;
    if next.regions[region].azs.len() == 1 {
        let region_id = &next.regions[region].id;
        let message = if next.regions.len() == 1 {
            format!("\"{az}\" is the only availability zone: a scenario needs at least one; rename it instead")
        } else {
            format!("\"{az}\" is the only availability zone of region \"{region_id}\": delete the region instead, or add another zone first")
        };
        return Err(refuse(az_path((region, position)), message));
    }
    let mut removed: BTreeSet<String> = next.regions[region].azs[position]
        .nodes
        .iter()
        .map(|node| node.id.clone())
        .collect();
    removed.insert(az.to_string());
    prune_references(next, &removed)?;
    next.regions[region].azs.remove(position);
    Ok(())
}

pub(super) fn delete_region(
    next: &mut ScenarioFile,
    region: &str,
) -> Result<(), Vec<ScenarioError>> {
    let position = locate_region(next, region)?;
    if next.regions.len() == 1 {
        return Err(refuse(
            format!("regions[{position}]"),
            format!(
                "\"{region}\" is the only region: a scenario needs at least one; rename it instead"
            ),
        ));
    }
    let mut removed = BTreeSet::from([region.to_string()]);
    for az in &next.regions[position].azs {
        removed.insert(az.id.clone());
        removed.extend(az.nodes.iter().map(|node| node.id.clone()));
    }
    prune_references(next, &removed)?;
    next.regions.remove(position);
    Ok(())
}
