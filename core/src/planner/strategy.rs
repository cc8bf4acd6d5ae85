//! Recovery strategies and how each one arranges the user's deployment.
//!
//! The user draws a roster of nodes (roles, stake, voting) and chain settings; each
//! strategy places that roster the way the strategy prescribes:
//! - `single-az`: every node in one availability zone of the primary region;
//! - `multi-az`: the nodes over two or more AZs of the primary region (as drawn when
//!   the drawing already spreads them), behind a load balancer or direct to one API node;
//! - `inter-region-backup`: multi-AZ, plus AWS Backup copies of one PEER's volumes to
//!   the recovery region, where a cold-standby copy of the roster waits to be restored;
//!   clients follow by DNS failover;
//! - `active-active`: multi-AZ, plus a running copy of the roster in the recovery region
//!   on the same chain (a consortium); clients in every region reach their own region's
//!   API nodes by latency routing, failing over to the other region.

use std::collections::BTreeSet;

use crate::scenario::file::*;

/// The four strategies (names fixed: the command line uses them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    SingleAz,
    MultiAz,
    InterRegionBackup,
    ActiveActive,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::SingleAz,
        Strategy::MultiAz,
        Strategy::InterRegionBackup,
        Strategy::ActiveActive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::SingleAz => "single-az",
            Strategy::MultiAz => "multi-az",
            Strategy::InterRegionBackup => "inter-region-backup",
            Strategy::ActiveActive => "active-active",
        }
    }

    pub fn parse(text: &str) -> Option<Strategy> {
        Strategy::ALL
            .into_iter()
            .find(|strategy| strategy.as_str() == text)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Strategy::SingleAz => "all nodes in one availability zone (baseline)",
            Strategy::MultiAz => "nodes spread over availability zones of one region",
            Strategy::InterRegionBackup => {
                "AWS Backup copies to a second region, restored on region loss"
            }
            Strategy::ActiveActive => "a consortium chain running in two regions",
        }
    }
}

/// The user's deployment arranged for one strategy, ready for failures to be added.
#[derive(Clone, Debug)]
pub struct Deployment {
    pub strategy: Strategy,
    pub file: ScenarioFile,
    pub primary_region: String,
    pub recovery_region: Option<String>,
    /// Nodes running in normal operation (standby nodes excluded).
    pub running_nodes: usize,
    /// Backup snapshot copies kept, for the cost model.
    pub backup_copies: u64,
}

/// A region near the primary one, for standby and second-site nodes.
pub fn default_recovery_region(base: &ScenarioFile) -> String {
    if let Some(region) = &base.plan.recovery_region {
        return region.clone();
    }
    let primary = base
        .regions
        .first()
        .map(|region| region.id.as_str())
        .unwrap_or("ap-northeast-1");
    if let Some(second) = base.regions.get(1) {
        return second.id.clone();
    }
    match primary {
        "ap-northeast-1" => "ap-northeast-3",
        "ap-northeast-3" => "ap-northeast-1",
        "us-east-1" => "us-west-2",
        "us-west-2" => "us-east-1",
        "eu-west-1" => "eu-central-1",
        "eu-central-1" => "eu-west-1",
        "ap-southeast-1" => "ap-northeast-1",
        _ => "us-east-1",
    }
    .to_string()
}

/// The running nodes of the drawing, in file order.
fn roster(base: &ScenarioFile) -> Vec<NodeFile> {
    base.regions
        .iter()
        .flat_map(|region| region.azs.iter())
        .flat_map(|az| az.nodes.iter())
        .filter(|node| !node.standby)
        .cloned()
        .collect()
}

/// Spreads nodes over `zones` AZs: PEER-capable nodes round robin, then API nodes round
/// robin, so every AZ gets a share of each role.
fn spread(nodes: &[NodeFile], region: &str, zone_ids: &[String]) -> RegionFile {
    let mut azs: Vec<AzFile> = zone_ids
        .iter()
        .map(|id| AzFile {
            id: id.clone(),
            nodes: Vec::new(),
        })
        .collect();
    let (peers, apis): (Vec<&NodeFile>, Vec<&NodeFile>) =
        nodes.iter().partition(|node| node.role.has_peer());
    for (position, node) in peers.iter().enumerate() {
        azs[position % zone_ids.len()].nodes.push((*node).clone());
    }
    // API nodes start from the last AZ so a small roster still puts one API beside
    // each harvester group.
    for (position, node) in apis.iter().enumerate() {
        let zone = (zone_ids.len() - 1 + position) % zone_ids.len();
        azs[zone].nodes.push((*node).clone());
    }
    azs.retain(|az| !az.nodes.is_empty());
    RegionFile {
        id: region.to_string(),
        azs,
    }
}

fn zone_ids(region: &str, count: usize) -> Vec<String> {
    ["a", "c", "d", "b", "e", "f"]
        .iter()
        .take(count)
        .map(|suffix| format!("{region}{suffix}"))
        .collect()
}

/// The multi-AZ primary region: the drawing itself when it already spreads every running
/// node over two or more AZs of the first region; otherwise a spread over two AZs.
fn primary_multi_az(base: &ScenarioFile, nodes: &[NodeFile], primary: &str) -> RegionFile {
    if let Some(first) = base.regions.first() {
        let drawn_nodes: usize = first
            .azs
            .iter()
            .map(|az| az.nodes.iter().filter(|node| !node.standby).count())
            .sum();
        let populated_azs = first
            .azs
            .iter()
            .filter(|az| az.nodes.iter().any(|node| !node.standby))
            .count();
        if populated_azs >= 2 && drawn_nodes == nodes.len() {
            let mut region = first.clone();
            for az in &mut region.azs {
                az.nodes.retain(|node| !node.standby);
            }
            region.azs.retain(|az| !az.nodes.is_empty());
            return region;
        }
    }
    let zones = match base.regions.first() {
        Some(first) if first.azs.len() >= 2 => first.azs.iter().map(|az| az.id.clone()).collect(),
        _ => zone_ids(primary, 2),
    };
    spread(nodes, primary, &zones)
}

/// `wanted`, or `wanted-2`, `wanted-3`… when a drawn id already has that name.
fn unique_id(wanted: String, taken: &mut BTreeSet<String>) -> String {
    let candidate = crate::scenario::file::unique_id(&wanted, |id| taken.contains(id));
    taken.insert(candidate.clone());
    candidate
}

/// Every id of the drawing (regions, AZs, nodes), so generated ids never collide.
fn drawn_ids(base: &ScenarioFile) -> BTreeSet<String> {
    base.drawn_ids_in_order().into_iter().collect()
}

fn mirrored(
    region: &RegionFile,
    to_region: &str,
    prefix: &str,
    standby: bool,
    taken: &mut BTreeSet<String>,
) -> RegionFile {
    let zones = zone_ids(to_region, region.azs.len().max(1));
    RegionFile {
        id: to_region.to_string(),
        azs: region
            .azs
            .iter()
            .zip(zones)
            .map(|(az, zone)| AzFile {
                id: unique_id(zone, taken),
                nodes: az
                    .nodes
                    .iter()
                    .map(|node| NodeFile {
                        id: unique_id(format!("{prefix}{}", node.id), taken),
                        standby,
                        // A standby restored from a snapshot runs its source's keys; a
                        // second site runs accounts of its own.
                        clone_of: if standby {
                            Some(node.clone_of.clone().unwrap_or_else(|| node.id.clone()))
                        } else {
                            node.clone_of.clone()
                        },
                        ..node.clone()
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn api_ids(regions: &[RegionFile]) -> Vec<String> {
    regions
        .iter()
        .flat_map(|region| region.azs.iter())
        .flat_map(|az| az.nodes.iter())
        .filter(|node| node.role.has_api())
        .map(|node| node.id.clone())
        .collect()
}

/// Regions of the drawing with running nodes.
pub(crate) fn drawn_regions(base: &ScenarioFile) -> usize {
    base.regions
        .iter()
        .filter(|region| {
            region
                .azs
                .iter()
                .any(|az| az.nodes.iter().any(|node| !node.standby))
        })
        .count()
}

/// Arranges the user's deployment for a strategy. Faults are cleared: the planner adds
/// the failure under study.
pub fn derive(strategy: Strategy, base: &ScenarioFile) -> Deployment {
    let nodes = roster(base);
    let primary = base
        .regions
        .first()
        .map(|region| region.id.clone())
        .unwrap_or_else(|| "ap-northeast-1".to_string());
    let recovery = default_recovery_region(base);
    let mut taken = drawn_ids(base);
    taken.insert(recovery.clone());
    let mut file = base.clone();
    file.faults.clear();
    file.backup = None;
    let mut entry = match base.clients.entry_point.kind {
        EntryKind::LoadBalancer => base.clients.entry_point.clone(),
        _ => EntryPointFile::with_defaults(EntryKind::LoadBalancer),
    };
    entry.targets = Vec::new();
    let load_balanced = |targets: &[String]| {
        if base.plan.load_balancer {
            EntryPointFile {
                targets: targets.to_vec(),
                ..entry.clone()
            }
        } else {
            EntryPointFile {
                targets: targets.iter().take(1).cloned().collect(),
                ..EntryPointFile::with_defaults(EntryKind::Direct)
            }
        }
    };
    let dns = |targets: Vec<String>| EntryPointFile {
        targets,
        ..EntryPointFile::with_defaults(EntryKind::DnsFailover)
    };
    // Clients in every region, each region's to its own healthy API nodes (the
    // drawing's shares when it already uses latency routing, else equal).
    let latency = |targets: Vec<String>| EntryPointFile {
        targets,
        region_shares: if base.clients.entry_point.kind == EntryKind::LatencyRouting {
            base.clients.entry_point.region_shares.clone()
        } else {
            Vec::new()
        },
        ..EntryPointFile::with_defaults(EntryKind::LatencyRouting)
    };
    let mut backup_copies = 0;
    let mut recovery_region = None;
    match strategy {
        Strategy::SingleAz => {
            let zone = base
                .regions
                .first()
                .and_then(|region| region.azs.first())
                .map(|az| az.id.clone())
                .unwrap_or_else(|| format!("{primary}a"));
            file.regions = vec![RegionFile {
                id: primary.clone(),
                azs: vec![AzFile {
                    id: zone,
                    nodes: nodes.clone(),
                }],
            }];
            file.clients.entry_point = load_balanced(&api_ids(&file.regions));
        }
        Strategy::MultiAz => {
            file.regions = vec![primary_multi_az(base, &nodes, &primary)];
            file.clients.entry_point = load_balanced(&api_ids(&file.regions));
        }
        Strategy::InterRegionBackup => {
            let main = primary_multi_az(base, &nodes, &primary);
            let standby = mirrored(&main, &recovery, "dr-", true, &mut taken);
            let source = base
                .backup
                .as_ref()
                .map(|backup| backup.source.clone())
                .filter(|source| nodes.iter().any(|node| &node.id == source))
                .or_else(|| {
                    nodes
                        .iter()
                        .find(|node| node.role.has_peer())
                        .map(|node| node.id.clone())
                })
                .unwrap_or_default();
            let mut backup = base
                .backup
                .clone()
                .unwrap_or_else(|| BackupFile::with_source(source.clone()));
            backup.source = source;
            backup.copy_to_region = Some(recovery.clone());
            backup_copies = backup.retention_count;
            file.backup = Some(backup);
            file.regions = vec![main, standby];
            file.clients.entry_point = dns(api_ids(&file.regions));
            recovery_region = Some(recovery.clone());
        }
        Strategy::ActiveActive if drawn_regions(base) >= 2 => {
            // Already drawn across regions: plan the drawing itself.
            file.regions = base
                .regions
                .iter()
                .map(|region| RegionFile {
                    id: region.id.clone(),
                    azs: region
                        .azs
                        .iter()
                        .map(|az| AzFile {
                            id: az.id.clone(),
                            nodes: az
                                .nodes
                                .iter()
                                .filter(|node| !node.standby)
                                .cloned()
                                .collect(),
                        })
                        .filter(|az| !az.nodes.is_empty())
                        .collect(),
                })
                .filter(|region| !region.azs.is_empty())
                .collect();
            file.clients.entry_point = latency(api_ids(&file.regions));
            recovery_region = file.regions.get(1).map(|region| region.id.clone());
        }
        Strategy::ActiveActive => {
            let main = primary_multi_az(base, &nodes, &primary);
            let second = mirrored(&main, &recovery, "site2-", false, &mut taken);
            file.regions = vec![main, second];
            file.clients.entry_point = latency(api_ids(&file.regions));
            recovery_region = Some(recovery.clone());
        }
    }
    let running_nodes = file
        .regions
        .iter()
        .flat_map(|region| region.azs.iter())
        .flat_map(|az| az.nodes.iter())
        .filter(|node| !node.standby)
        .count();
    Deployment {
        strategy,
        file,
        primary_region: primary,
        recovery_region,
        running_nodes,
        backup_copies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};

    #[test]
    fn every_strategy_of_every_preset_validates() {
        for preset in &presets::PRESETS {
            let base = presets::load_file(preset.name).unwrap();
            for strategy in Strategy::ALL {
                let deployment = derive(strategy, &base);
                validate(&deployment.file)
                    .unwrap_or_else(|errors| panic!("{} {strategy:?}: {errors:?}", preset.name));
            }
        }
    }

    #[test]
    fn multi_az_keeps_a_drawing_that_already_spreads_nodes() {
        let base = presets::load_file("multi-az").unwrap();
        let deployment = derive(Strategy::MultiAz, &base);
        assert_eq!(deployment.file.regions, base.regions);
        let single = derive(Strategy::SingleAz, &base);
        assert_eq!(single.file.regions[0].azs.len(), 1);
        assert_eq!(single.file.regions[0].azs[0].nodes.len(), 5);
    }

    #[test]
    fn backup_and_active_active_add_a_recovery_region() {
        let base = presets::load_file("multi-az").unwrap();
        let backup = derive(Strategy::InterRegionBackup, &base);
        assert_eq!(backup.file.regions[1].id, "ap-northeast-3");
        assert!(backup.file.regions[1]
            .azs
            .iter()
            .flat_map(|az| &az.nodes)
            .all(|node| node.standby));
        // Each standby copy runs its source's keys: no extra stake or voting weight.
        let copies: Vec<(String, Option<String>)> = backup.file.regions[1]
            .azs
            .iter()
            .flat_map(|az| &az.nodes)
            .map(|node| (node.id.clone(), node.clone_of.clone()))
            .collect();
        assert!(copies
            .iter()
            .all(|(id, source)| source.as_deref() == id.strip_prefix("dr-")));
        assert_eq!(backup.running_nodes, 5);
        assert_eq!(
            backup
                .file
                .backup
                .as_ref()
                .unwrap()
                .copy_to_region
                .as_deref(),
            Some("ap-northeast-3")
        );
        let active = derive(Strategy::ActiveActive, &base);
        assert_eq!(active.running_nodes, 10);
        // A second site runs accounts of its own.
        assert!(active
            .file
            .regions
            .iter()
            .flat_map(|region| &region.azs)
            .flat_map(|az| &az.nodes)
            .all(|node| node.clone_of.is_none()));
        assert_eq!(
            active.file.clients.entry_point.kind,
            EntryKind::LatencyRouting
        );
    }

    #[test]
    fn a_drawing_across_regions_is_planned_as_drawn_for_active_active() {
        let base = presets::load_file("active-active").unwrap();
        let active = derive(Strategy::ActiveActive, &base);
        assert_eq!(active.file.regions, base.regions);
        assert_eq!(active.running_nodes, 9);
        let single = derive(Strategy::SingleAz, &base);
        assert_eq!(single.running_nodes, 9);
        assert_eq!(single.file.regions.len(), 1);
    }
}
