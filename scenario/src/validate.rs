//! [`ScenarioFile`] → [`Scenario`]: resolves names to indices and checks everything that
//! spans fields (unique ids, references, overlaps), collecting every error with its path.

use std::collections::{BTreeMap, BTreeSet};

use super::file::*;
use super::limits;
use super::*;

/// Approximate one-way latencies between AWS regions, in milliseconds: half of typical
/// published round-trip times between regions. Users override any pair in
/// `network.region_latencies`; pairs not listed use `default_inter_region_latency_ms`.
pub const REGION_LATENCY_TABLE_MS: [(&str, &str, u64); 12] = [
    ("ap-northeast-1", "ap-northeast-3", 4),
    ("ap-northeast-1", "ap-northeast-2", 17),
    ("ap-northeast-1", "ap-southeast-1", 35),
    ("ap-northeast-1", "us-west-2", 50),
    ("ap-northeast-1", "us-east-1", 75),
    ("ap-northeast-1", "eu-west-1", 105),
    ("ap-northeast-3", "ap-southeast-1", 37),
    ("ap-northeast-2", "ap-southeast-1", 37),
    ("us-east-1", "us-west-2", 33),
    ("us-east-1", "eu-west-1", 35),
    ("eu-west-1", "eu-central-1", 13),
    ("ap-southeast-1", "us-east-1", 110),
];

struct Names {
    regions: BTreeMap<String, usize>,
    azs: BTreeMap<String, usize>,
    nodes: BTreeMap<String, NodeIndex>,
}

/// Checks a scenario file. On success the result is safe to simulate.
pub fn validate(file: &ScenarioFile) -> Result<Scenario, Vec<ScenarioError>> {
    let mut errors = Vec::new();
    let mut regions = Vec::new();
    let mut azs = Vec::new();
    let mut nodes = Vec::new();
    // Each node's path and `clone_of`, resolved once every id is known.
    let mut node_paths: Vec<(String, Option<String>)> = Vec::new();
    let mut names = Names {
        regions: BTreeMap::new(),
        azs: BTreeMap::new(),
        nodes: BTreeMap::new(),
    };
    let mut all_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut claim_id = |errors: &mut Vec<ScenarioError>, id: &str, path: String| {
        if let Some(first) = all_ids.get(id) {
            errors.push(ScenarioError::new(
                path,
                format!("duplicate id \"{id}\" (also at {first}): ids of regions, AZs and nodes must all differ"),
            ));
            false
        } else {
            all_ids.insert(id.to_string(), path);
            true
        }
    };

    if file.regions.is_empty() {
        errors.push(ScenarioError::new(
            "regions",
            "the topology is empty: add a region with an availability zone and a PEER node",
        ));
    }
    for (region_position, region) in file.regions.iter().enumerate() {
        let region_path = format!("regions[{region_position}]");
        let region_index = regions.len();
        if claim_id(&mut errors, &region.id, format!("{region_path}.id")) {
            names.regions.insert(region.id.clone(), region_index);
        }
        if region.azs.is_empty() {
            errors.push(ScenarioError::new(
                format!("{region_path}.azs"),
                "this region has no availability zone: add one or remove the region",
            ));
        }
        let mut region_azs = Vec::new();
        for (az_position, az) in region.azs.iter().enumerate() {
            let az_path = format!("{region_path}.azs[{az_position}]");
            let az_index = azs.len();
            if claim_id(&mut errors, &az.id, format!("{az_path}.id")) {
                names.azs.insert(az.id.clone(), az_index);
            }
            // An AZ with no nodes yet is allowed: the app draws it ready to fill, and
            // the simulator has nothing in it to run (a scenario without any node is
            // refused below: nothing can harvest).
            let mut az_nodes = Vec::new();
            for (node_position, node) in az.nodes.iter().enumerate() {
                let node_path = format!("{az_path}.nodes[{node_position}]");
                if nodes.len() >= limits::NODES_MAX {
                    errors.push(ScenarioError::new(
                        node_path,
                        format!("more than {} nodes: remove some", limits::NODES_MAX),
                    ));
                    break;
                }
                let node_index = NodeIndex(nodes.len() as u16);
                if claim_id(&mut errors, &node.id, format!("{node_path}.id")) {
                    names.nodes.insert(node.id.clone(), node_index);
                }
                if node.stake > 0 && !node.role.has_peer() {
                    errors.push(ScenarioError::new(
                        format!("{node_path}.stake"),
                        "API nodes cannot harvest: set stake to 0 or make the node DUAL",
                    ));
                }
                if node.voting && node.voting_balance == 0 {
                    errors.push(ScenarioError::new(
                        format!("{node_path}.voting_balance"),
                        "a voting node needs a voting balance above 0",
                    ));
                }
                az_nodes.push(node_index);
                nodes.push(Node {
                    id: node.id.clone(),
                    region: region_index,
                    az: az_index,
                    role: node.role,
                    voting: node.voting,
                    stake: node.stake,
                    voting_balance: if node.voting { node.voting_balance } else { 0 },
                    standby: node.standby,
                    account: node_index,
                });
                node_paths.push((node_path, node.clone_of.clone()));
            }
            region_azs.push(az_index);
            azs.push(AvailabilityZone {
                id: az.id.clone(),
                region: region_index,
                nodes: az_nodes,
            });
        }
        regions.push(Region {
            id: region.id.clone(),
            azs: region_azs,
        });
    }
    resolve_clones(&mut nodes, &node_paths, &names, &mut errors);
    if !file.regions.is_empty() && !nodes.iter().any(|node| node.harvests()) {
        errors.push(ScenarioError::new(
            "regions",
            "no PEER or DUAL node with stake: nothing can harvest blocks; add a PEER node",
        ));
    }

    let chain = &file.chain;
    if chain.finalization.enabled && !nodes.iter().any(|node| node.voting) {
        errors.push(ScenarioError::new(
            "chain.finalization.enabled",
            "finalization needs at least one voting node: mark a node \"voting\": true or turn finalization off",
        ));
    }
    if chain.max_rollback_blocks == 0 && !chain.finalization.enabled {
        errors.push(ScenarioError::new(
            "chain.max_rollback_blocks",
            "0 means rollbacks are bounded by finalization, which is off: set a limit such as 40 or enable finalization",
        ));
    }

    if let Some(recovery) = &file.plan.recovery_region {
        if names.azs.contains_key(recovery) || names.nodes.contains_key(recovery) {
            errors.push(ScenarioError::new(
                "plan.recovery_region",
                format!("\"{recovery}\" is the id of an availability zone or node: name a region, like \"ap-northeast-3\""),
            ));
        }
    }
    if let (Some(recovery), Some(primary)) = (&file.plan.recovery_region, file.regions.first()) {
        if *recovery == primary.id {
            errors.push(ScenarioError::new(
                "plan.recovery_region",
                format!("\"{recovery}\" is the primary region: name another region for standby and second-site nodes"),
            ));
        }
    }
    let latency_ms = build_latency_matrix(file, &nodes, &regions, &names, &mut errors);
    let clients = validate_clients(&file.clients, &nodes, &names, &mut errors);
    let backup = file
        .backup
        .as_ref()
        .and_then(|backup| validate_backup(backup, &names, &mut errors));
    let faults = validate_faults(file, &nodes, &names, &mut errors);

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Scenario {
        name: file.name.clone(),
        seed: file.seed,
        duration_ms: file.duration_ms,
        chain: ChainParameters {
            block_time_ms: chain.block_time_ms,
            max_rollback_blocks: chain.max_rollback_blocks,
            difficulty_window_blocks: chain.difficulty_window_blocks,
            difficulty_change_limit_percent: chain.difficulty_change_limit_percent,
            smoothing_factor: chain.smoothing_factor,
            sync_interval_ms: chain.sync_interval_ms,
            reconnect_interval_ms: chain.reconnect_interval_ms,
            max_blocks_per_sync: chain.max_blocks_per_sync,
            max_connections: chain.max_connections as usize,
            transaction_lifetime_ms: chain.transaction_lifetime_ms,
            harvest_gating: chain.harvest_gating,
            node_startup_ms: chain.node_startup_ms,
            crash_recovery_ms: chain.crash_recovery_ms,
            harvest_start_delay_ms: chain.harvest_start_delay_ms,
            initial_height: chain.initial_height,
            block_processing_ms: chain.block_processing_ms,
            finalization_enabled: chain.finalization.enabled,
            finalization_threshold_percent: chain.finalization.threshold_percent,
            finalization_step_ms: chain.finalization.step_duration_ms,
            voting_set_grouping_blocks: chain.finalization.voting_set_grouping_blocks,
        },
        regions,
        azs,
        nodes,
        latency_ms,
        loss_percent: file.network.loss_percent,
        clients,
        backup,
        faults,
        file: file.clone(),
    })
}

fn build_latency_matrix(
    file: &ScenarioFile,
    nodes: &[Node],
    regions: &[Region],
    names: &Names,
    errors: &mut Vec<ScenarioError>,
) -> Vec<u32> {
    let network = &file.network;
    let mut region_pairs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for (first, second, latency) in REGION_LATENCY_TABLE_MS {
        if let (Some(&a), Some(&b)) = (names.regions.get(first), names.regions.get(second)) {
            region_pairs.insert((a.min(b), a.max(b)), latency);
        }
    }
    for (position, entry) in network.region_latencies.iter().enumerate() {
        let mut resolved = Vec::new();
        for (side, id) in entry.between.iter().enumerate() {
            match names.regions.get(id) {
                Some(&index) => resolved.push(index),
                None => errors.push(ScenarioError::new(
                    format!("network.region_latencies[{position}].between[{side}]"),
                    format!("no region \"{id}\": use the id of a region in \"regions\""),
                )),
            }
        }
        if let [a, b] = resolved[..] {
            region_pairs.insert((a.min(b), a.max(b)), entry.latency_ms);
        }
    }
    let count = nodes.len();
    let mut matrix = vec![0u32; count * count];
    let _ = regions;
    for (a, first) in nodes.iter().enumerate() {
        for (b, second) in nodes.iter().enumerate() {
            let latency = if a == b {
                0
            } else if first.az == second.az {
                network.intra_az_latency_ms
            } else if first.region == second.region {
                network.inter_az_latency_ms
            } else {
                let key = (
                    first.region.min(second.region),
                    first.region.max(second.region),
                );
                *region_pairs
                    .get(&key)
                    .unwrap_or(&network.default_inter_region_latency_ms)
            };
            // A message always takes at least a millisecond, so cause precedes effect.
            matrix[a * count + b] = latency.max(if a == b { 0 } else { 1 }) as u32;
        }
    }
    matrix
}

fn validate_clients(
    clients: &ClientsFile,
    nodes: &[Node],
    names: &Names,
    errors: &mut Vec<ScenarioError>,
) -> Clients {
    let entry = &clients.entry_point;
    let mut targets = Vec::new();
    for (position, id) in entry.targets.iter().enumerate() {
        let path = format!("clients.entry_point.targets[{position}]");
        match names.nodes.get(id) {
            Some(&index) if nodes[index.get()].role.has_api() => targets.push(index),
            Some(_) => errors.push(ScenarioError::new(
                path,
                format!("\"{id}\" is a PEER node: clients reach the chain only through API or DUAL nodes"),
            )),
            None => errors.push(ScenarioError::new(path, format!("no node \"{id}\": use the id of an API or DUAL node"))),
        }
    }
    if entry.targets.is_empty() {
        targets = (0..nodes.len())
            .filter(|&index| nodes[index].role.has_api())
            .map(|index| NodeIndex(index as u16))
            .collect();
    }
    if entry.kind == EntryKind::Direct && entry.targets.len() > 1 {
        errors.push(ScenarioError::new(
            "clients.entry_point.targets",
            "a direct entry point names exactly one API node: use load_balancer or dns_failover for more",
        ));
    }
    if targets.is_empty() && clients.transactions_per_second > 0.0 && !nodes.is_empty() {
        errors.push(ScenarioError::new(
            "clients.entry_point.targets",
            "clients need an API or DUAL node to reach the chain: add one, or set transactions_per_second to 0",
        ));
    }
    if entry.kind == EntryKind::Direct {
        targets.truncate(1);
    }
    let region_shares = validate_region_shares(entry, &targets, nodes, names, errors);
    Clients {
        transactions_per_second: clients.transactions_per_second,
        entry_kind: entry.kind,
        targets,
        health_check_interval_ms: entry.health_check_interval_ms,
        unhealthy_threshold: entry.unhealthy_threshold,
        healthy_threshold: entry.healthy_threshold,
        switch_delay_ms: entry.switch_delay_ms,
        region_shares,
    }
}

/// Each region's share of the client load under latency routing: as given (relative
/// weights), or equal over the regions with targets.
fn validate_region_shares(
    entry: &EntryPointFile,
    targets: &[NodeIndex],
    nodes: &[Node],
    names: &Names,
    errors: &mut Vec<ScenarioError>,
) -> Vec<f64> {
    let path = "clients.entry_point.region_shares";
    if entry.kind != EntryKind::LatencyRouting {
        if !entry.region_shares.is_empty() {
            errors.push(ScenarioError::new(
                path,
                "region shares apply to latency routing only: remove them, or set \"kind\": \"latency_routing\"",
            ));
        }
        return Vec::new();
    }
    let region_count = names.regions.len();
    let mut with_targets = vec![false; region_count];
    for target in targets {
        with_targets[nodes[target.get()].region] = true;
    }
    let mut shares = vec![0.0; region_count];
    if entry.region_shares.is_empty() {
        for (region, has_targets) in with_targets.iter().enumerate() {
            if *has_targets {
                shares[region] = 1.0;
            }
        }
    }
    for (region_id, share) in &entry.region_shares {
        let share_path = format!("{path}.{region_id}");
        match names.regions.get(region_id) {
            None => errors.push(ScenarioError::new(
                share_path,
                format!("no region \"{region_id}\": use the id of a region with API or DUAL targets"),
            )),
            Some(&region) if !with_targets[region] && *share > 0.0 => errors.push(ScenarioError::new(
                share_path,
                format!("region \"{region_id}\" has no API or DUAL target for its clients: add one, or set its share to 0"),
            )),
            Some(&region) => shares[region] = *share,
        }
    }
    let total: f64 = shares.iter().sum();
    if total <= 0.0 {
        if !targets.is_empty() && !entry.region_shares.is_empty() {
            errors.push(ScenarioError::new(
                path,
                "every region's share is 0: give at least one region with targets a share above 0",
            ));
        }
        return shares;
    }
    shares.iter().map(|share| share / total).collect()
}

/// Points each clone at the node whose accounts it runs (`clone_of`). A clone keeps its
/// source's role, stake and voting balance: it runs the same keys, so it adds nothing to
/// the network's totals (see [`Node::account`]).
fn resolve_clones(
    nodes: &mut [Node],
    node_paths: &[(String, Option<String>)],
    names: &Names,
    errors: &mut Vec<ScenarioError>,
) {
    for (position, (node_path, clone_of)) in node_paths.iter().enumerate() {
        let Some(source_id) = clone_of else { continue };
        let path = format!("{node_path}.clone_of");
        let Some(&source) = names.nodes.get(source_id) else {
            errors.push(ScenarioError::new(
                path,
                format!("no node \"{source_id}\": name the node whose keys this one runs"),
            ));
            continue;
        };
        if source.get() == position {
            errors.push(ScenarioError::new(
                path,
                "a node cannot be a clone of itself: name its source node, or remove \"clone_of\"",
            ));
            continue;
        }
        if node_paths[source.get()].1.is_some() {
            errors.push(ScenarioError::new(
                path,
                format!(
                    "\"{source_id}\" is itself a clone: name the node it copies ({})",
                    node_paths[source.get()].1.as_deref().unwrap_or_default()
                ),
            ));
            continue;
        }
        let (original, clone) = (&nodes[source.get()], &nodes[position]);
        if original.role != clone.role
            || original.stake != clone.stake
            || original.voting_balance != clone.voting_balance
        {
            errors.push(ScenarioError::new(
                path,
                format!(
                    "a clone runs \"{source_id}\"'s accounts: give it the same role ({}), stake ({}) and voting balance ({})",
                    original.role.as_str(),
                    original.stake,
                    original.voting_balance
                ),
            ));
            continue;
        }
        nodes[position].account = source;
    }
}

fn validate_backup(
    backup: &BackupFile,
    names: &Names,
    errors: &mut Vec<ScenarioError>,
) -> Option<BackupPlan> {
    let source = names.nodes.get(&backup.source).copied();
    if source.is_none() {
        errors.push(ScenarioError::new(
            "backup.source",
            format!(
                "no node \"{}\": name the node whose volumes are backed up",
                backup.source
            ),
        ));
    }
    if backup.interval_ms < limits::BACKUP_INTERVAL_MIN_MS {
        errors.push(ScenarioError::new(
            "backup.interval",
            format!(
                "{} is too short: AWS Backup starts backup jobs at least 1h apart; use 1h or more",
                super::duration::format_duration(backup.interval_ms)
            ),
        ));
    }
    let copy_to_region = match &backup.copy_to_region {
        Some(id) => match names.regions.get(id) {
            Some(&index) => Some(index),
            None => {
                errors.push(ScenarioError::new(
                    "backup.copy_to_region",
                    format!("no region \"{id}\": use the id of a region in \"regions\""),
                ));
                None
            }
        },
        None => None,
    };
    Some(BackupPlan {
        source: source?,
        interval_ms: backup.interval_ms,
        copy_to_region,
        copy_lag_ms: backup.copy_lag_ms,
        retention_count: backup.retention_count,
    })
}

fn resolve_node(
    names: &Names,
    id: &str,
    path: String,
    errors: &mut Vec<ScenarioError>,
) -> Option<NodeIndex> {
    let found = names.nodes.get(id).copied();
    if found.is_none() {
        let hint = if names.azs.contains_key(id) || names.regions.contains_key(id) {
            " (that is an AZ or region: this fault takes a node)"
        } else {
            ""
        };
        errors.push(ScenarioError::new(
            path,
            format!("no node \"{id}\"{hint}: use the id of a node"),
        ));
    }
    found
}

/// Resolves group members (node, AZ or region ids) to node sets.
fn resolve_groups(
    groups: &[Vec<String>],
    nodes: &[Node],
    names: &Names,
    path: &str,
    errors: &mut Vec<ScenarioError>,
) -> Vec<Vec<NodeIndex>> {
    let mut seen: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut resolved = Vec::new();
    for (group_position, group) in groups.iter().enumerate() {
        let mut members = BTreeSet::new();
        for (member_position, id) in group.iter().enumerate() {
            let member_path = format!("{path}.groups[{group_position}][{member_position}]");
            if let Some(&node) = names.nodes.get(id) {
                members.insert(node);
            } else if let Some(&az) = names.azs.get(id) {
                members.extend(
                    (0..nodes.len())
                        .filter(|&n| nodes[n].az == az)
                        .map(|n| NodeIndex(n as u16)),
                );
            } else if let Some(&region) = names.regions.get(id) {
                members.extend(
                    (0..nodes.len())
                        .filter(|&n| nodes[n].region == region)
                        .map(|n| NodeIndex(n as u16)),
                );
            } else {
                errors.push(ScenarioError::new(
                    member_path,
                    format!("no node, AZ or region \"{id}\": use an id from the topology"),
                ));
            }
        }
        for member in &members {
            if let Some(other) = seen.insert(*member, group_position) {
                errors.push(ScenarioError::new(
                    format!("{path}.groups[{group_position}]"),
                    format!(
                        "node \"{}\" is also in group {other}: a node can be on one side only",
                        nodes[member.get()].id
                    ),
                ));
            }
        }
        if members.is_empty() && !group.is_empty() {
            continue;
        }
        if group.is_empty() {
            errors.push(ScenarioError::new(
                format!("{path}.groups[{group_position}]"),
                "empty group: list at least one node, AZ or region",
            ));
        }
        resolved.push(members.into_iter().collect());
    }
    resolved
}

/// Which exclusive resource a fault holds, for overlap checks: two faults that both stop
/// the same node's process over the same time contradict each other.
fn exclusive_key(effect: &FaultEffect) -> Option<(u8, usize)> {
    match effect {
        FaultEffect::Crash(node) | FaultEffect::Stop(node) | FaultEffect::DiskLoss(node) => {
            Some((0, node.get()))
        }
        FaultEffect::Resync(node) => Some((0, node.get())),
        FaultEffect::ApiDown(node) => Some((1, node.get())),
        FaultEffect::AzOutage(az) => Some((2, *az)),
        FaultEffect::RegionOutage(region) => Some((3, *region)),
        _ => None,
    }
}

fn validate_faults(
    file: &ScenarioFile,
    nodes: &[Node],
    names: &Names,
    errors: &mut Vec<ScenarioError>,
) -> Vec<Fault> {
    let mut faults = Vec::new();
    for (position, fault) in file.faults.iter().enumerate() {
        let path = format!("faults[{position}]");
        if fault.at_ms > file.duration_ms {
            errors.push(ScenarioError::new(
                format!("{path}.at"),
                format!(
                    "starts at {} but the scenario ends at {}: move it earlier or lengthen \"duration\"",
                    super::duration::format_duration(fault.at_ms),
                    super::duration::format_duration(file.duration_ms)
                ),
            ));
        }
        if let Some(until_ms) = fault.until_ms {
            if until_ms <= fault.at_ms {
                errors.push(ScenarioError::new(
                    format!("{path}.until"),
                    "does not end after it starts: \"until\" must be later than \"at\"",
                ));
            }
        }
        let node_field = format!("{path}.node");
        let effect = match &fault.action {
            FaultAction::Crash { node } => {
                resolve_node(names, node, node_field, errors).map(FaultEffect::Crash)
            }
            FaultAction::Stop { node } => {
                resolve_node(names, node, node_field, errors).map(FaultEffect::Stop)
            }
            FaultAction::DiskLoss { node } => {
                resolve_node(names, node, node_field, errors).map(FaultEffect::DiskLoss)
            }
            FaultAction::Resync { node } => {
                resolve_node(names, node, node_field, errors).map(FaultEffect::Resync)
            }
            FaultAction::CopyChain { node, from } => {
                let target = resolve_node(names, node, node_field.clone(), errors);
                let source = resolve_node(names, from, format!("{path}.from"), errors);
                match target.zip(source) {
                    Some((target, source)) if target == source => {
                        errors.push(ScenarioError::new(
                            format!("{path}.from"),
                            "a node cannot copy its own chain: name another node to copy from",
                        ));
                        None
                    }
                    pair => pair.map(|(target, source)| FaultEffect::CopyChain(target, source)),
                }
            }
            FaultAction::ApiDown { node } => {
                match resolve_node(names, node, node_field.clone(), errors) {
                    Some(index) if !nodes[index.get()].role.has_api() => {
                        errors.push(ScenarioError::new(
                        node_field,
                        format!("\"{node}\" is a PEER node and runs no API services: pick an API or DUAL node"),
                    ));
                        None
                    }
                    other => other.map(FaultEffect::ApiDown),
                }
            }
            FaultAction::Isolate { node } => {
                resolve_node(names, node, node_field, errors).map(|index| {
                    let others = (0..nodes.len())
                        .map(|n| NodeIndex(n as u16))
                        .filter(|&other| other != index)
                        .collect();
                    FaultEffect::Partition {
                        groups: vec![vec![index], others],
                        one_way: false,
                    }
                })
            }
            FaultAction::AzOutage { az } => match names.azs.get(az) {
                Some(&index) => Some(FaultEffect::AzOutage(index)),
                None => {
                    errors.push(ScenarioError::new(
                        format!("{path}.az"),
                        format!("no availability zone \"{az}\": use the id of an AZ"),
                    ));
                    None
                }
            },
            FaultAction::RegionOutage { region } => match names.regions.get(region) {
                Some(&index) => Some(FaultEffect::RegionOutage(index)),
                None => {
                    errors.push(ScenarioError::new(
                        format!("{path}.region"),
                        format!("no region \"{region}\": use the id of a region"),
                    ));
                    None
                }
            },
            FaultAction::Partition { groups, one_way } => {
                if *one_way && groups.len() != 2 {
                    errors.push(ScenarioError::new(
                        format!("{path}.one_way"),
                        "a one-way partition takes exactly two groups: from the first to the second",
                    ));
                }
                let groups = resolve_groups(groups, nodes, names, &path, errors);
                Some(FaultEffect::Partition {
                    groups,
                    one_way: *one_way,
                })
            }
            FaultAction::Degrade {
                groups,
                extra_latency_ms,
                loss_percent,
            } => {
                let groups = resolve_groups(groups, nodes, names, &path, errors);
                Some(FaultEffect::Degrade {
                    groups,
                    extra_latency_ms: *extra_latency_ms,
                    loss_percent: *loss_percent,
                })
            }
            FaultAction::Restore { nodes: targets } => {
                if file.backup.is_none() {
                    errors.push(ScenarioError::new(
                        format!("{path}.kind"),
                        "restore needs a backup plan: add \"backup\" with a source node and an interval",
                    ));
                }
                if targets.is_empty() {
                    errors.push(ScenarioError::new(
                        format!("{path}.nodes"),
                        "list at least one node to restore",
                    ));
                }
                let resolved: Vec<NodeIndex> = targets
                    .iter()
                    .enumerate()
                    .filter_map(|(index, id)| {
                        resolve_node(names, id, format!("{path}.nodes[{index}]"), errors)
                    })
                    .collect();
                Some(FaultEffect::Restore(resolved))
            }
        };
        if let Some(effect) = effect {
            faults.push(Fault {
                file_index: position,
                at_ms: fault.at_ms,
                until_ms: fault.until_ms,
                label: fault.action.describe(),
                effect,
            });
        }
    }
    // Contradictory overlaps: the same node crashed twice at once, and the like.
    for (first_position, first) in faults.iter().enumerate() {
        let Some(first_key) = exclusive_key(&first.effect) else {
            continue;
        };
        for second in faults.iter().skip(first_position + 1) {
            if exclusive_key(&second.effect) != Some(first_key) {
                continue;
            }
            let first_end = first.until_ms.unwrap_or(u64::MAX);
            let second_end = second.until_ms.unwrap_or(u64::MAX);
            if first.at_ms < second_end && second.at_ms < first_end {
                errors.push(ScenarioError::new(
                    format!("faults[{}]", second.file_index),
                    format!(
                        "overlaps faults[{}] ({}) on the same target: end one before the other starts",
                        first.file_index, first.label
                    ),
                ));
            }
        }
    }
    crate::sort::sort_by_key(&mut faults, |fault| fault.at_ms);
    faults
}
