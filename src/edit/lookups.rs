//! Finding things in the topology by id (nodes, AZs, regions, their positions and
//! JSON paths) and making fresh ids.
//!
//! Invariants: pure reads; generated ids never collide with any region, AZ or node id,
//! nor with the planner's recovery region.

use std::collections::BTreeSet;

use super::refuse;
use crate::scenario::file::{NodeFile, Role, ScenarioFile};
use crate::scenario::limits;
use crate::scenario::ScenarioError;

/// What kind of thing an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum IdKind {
    Node,
    Az,
    Region,
}

impl IdKind {
    pub(super) fn noun(self) -> &'static str {
        match self {
            IdKind::Node => "node",
            IdKind::Az => "availability zone",
            IdKind::Region => "region",
        }
    }
}

/// A node's position: (region, AZ, node).
pub(super) type NodePlace = (usize, usize, usize);

pub(super) fn find_node(file: &ScenarioFile, id: &str) -> Option<NodePlace> {
    for (region_position, region) in file.regions.iter().enumerate() {
        for (az_position, az) in region.azs.iter().enumerate() {
            if let Some(node_position) = az.nodes.iter().position(|node| node.id == id) {
                return Some((region_position, az_position, node_position));
            }
        }
    }
    None
}

pub(super) fn find_az(file: &ScenarioFile, id: &str) -> Option<(usize, usize)> {
    for (region_position, region) in file.regions.iter().enumerate() {
        if let Some(az_position) = region.azs.iter().position(|az| az.id == id) {
            return Some((region_position, az_position));
        }
    }
    None
}

pub(super) fn find_region(file: &ScenarioFile, id: &str) -> Option<usize> {
    file.regions.iter().position(|region| region.id == id)
}

pub(super) fn node_at(file: &ScenarioFile, (region, az, node): NodePlace) -> &NodeFile {
    &file.regions[region].azs[az].nodes[node]
}

pub(super) fn node_path((region, az, node): NodePlace) -> String {
    format!("regions[{region}].azs[{az}].nodes[{node}]")
}

pub(super) fn az_path((region, az): (usize, usize)) -> String {
    format!("regions[{region}].azs[{az}]")
}

/// The path of the thing an id names, and its kind.
pub(super) fn find_id(file: &ScenarioFile, id: &str) -> Option<(IdKind, String)> {
    if let Some(region) = find_region(file, id) {
        return Some((IdKind::Region, format!("regions[{region}]")));
    }
    if let Some(place) = find_az(file, id) {
        return Some((IdKind::Az, az_path(place)));
    }
    find_node(file, id).map(|place| (IdKind::Node, node_path(place)))
}

pub(super) fn missing(kind: IdKind, id: &str) -> Vec<ScenarioError> {
    let hint = match kind {
        IdKind::Node => "pick a node of the topology",
        IdKind::Az => "pick an availability zone of the topology",
        IdKind::Region => "pick a region of the topology",
    };
    refuse("regions", format!("no {} \"{id}\": {hint}", kind.noun()))
}

pub(super) fn locate_node(file: &ScenarioFile, id: &str) -> Result<NodePlace, Vec<ScenarioError>> {
    find_node(file, id).ok_or_else(|| missing(IdKind::Node, id))
}

pub(super) fn locate_az(
    file: &ScenarioFile,
    id: &str,
) -> Result<(usize, usize), Vec<ScenarioError>> {
    find_az(file, id).ok_or_else(|| missing(IdKind::Az, id))
}

pub(super) fn locate_region(file: &ScenarioFile, id: &str) -> Result<usize, Vec<ScenarioError>> {
    find_region(file, id).ok_or_else(|| missing(IdKind::Region, id))
}

pub(super) fn node_mut<'a>(
    file: &'a mut ScenarioFile,
    id: &str,
) -> Result<&'a mut NodeFile, Vec<ScenarioError>> {
    let (region, az, node) = locate_node(file, id)?;
    Ok(&mut file.regions[region].azs[az].nodes[node])
}

/// Every region, AZ and node id, in topology order.
pub(super) fn topology_ids_in_order(file: &ScenarioFile) -> Vec<String> {
    file.drawn_ids_in_order()
}

pub(super) fn topology_ids(file: &ScenarioFile) -> BTreeSet<String> {
    topology_ids_in_order(file).into_iter().collect()
}

pub(super) fn node_count(file: &ScenarioFile) -> usize {
    file.regions
        .iter()
        .flat_map(|region| &region.azs)
        .map(|az| az.nodes.len())
        .sum()
}

/// Ids a new region, AZ or node must not take.
pub(super) fn taken_ids(file: &ScenarioFile) -> BTreeSet<String> {
    let mut taken = topology_ids(file);
    taken.extend(file.plan.recovery_region.clone());
    taken
}

/// `prefix` followed by one more than the highest number already used after it
/// (`peer4` after `peer1`..`peer3`), or the lowest free number if that overflows.
pub(super) fn fresh_id(taken: &BTreeSet<String>, prefix: &str) -> String {
    let highest = taken
        .iter()
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    if let Some(next) = highest.checked_add(1) {
        let id = format!("{prefix}{next}");
        if !taken.contains(&id) {
            return id;
        }
    }
    (1..)
        .map(|number: u64| format!("{prefix}{number}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| prefix.to_string())
}

pub(super) fn role_prefix(role: Role) -> &'static str {
    match role {
        Role::Peer => "peer",
        Role::Api => "api",
        Role::Dual => "dual",
    }
}

/// `<region>a`, `<region>b`, ... like AWS zone names, else `az1`, `az2`, ...
pub(super) fn fresh_az_id(taken: &BTreeSet<String>, region: &str) -> String {
    ('a'..='z')
        .map(|letter| format!("{region}{letter}"))
        .find(|id| id.chars().count() <= limits::ID_CHARS_MAX && !taken.contains(id))
        .unwrap_or_else(|| fresh_id(taken, "az"))
}

pub(super) fn fresh_region_id(taken: &BTreeSet<String>) -> String {
    REGION_ID_CANDIDATES
        .iter()
        .find(|id| !taken.contains(**id))
        .map(|id| id.to_string())
        .unwrap_or_else(|| fresh_id(taken, "region"))
}

/// Region ids offered, in order, when a region is added: real AWS regions, so that the
/// built-in latency table applies; `region1`, `region2`, ... once they are all used.
pub(super) const REGION_ID_CANDIDATES: [&str; 8] = [
    "ap-northeast-1",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-northeast-2",
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
];
