//! The context menus: what each target offers and the fault or edit an action makes.
//!
//! Invariants: a menu lists only actions that apply to its target (an action that
//! cannot apply gives no edit); faults made here are checked by [`super::apply`] like
//! any other; faults never outlast the run.

use super::lookups::{find_az, find_node, find_region, node_at};
use super::targets::{active_faults_on, Target};
use super::Edit;
use crate::scenario::file::{FaultAction, FaultFile, Role, ScenarioFile};

/// Extra one-way latency the "Degrade the link" menu action adds.
pub const LINK_DEGRADE_EXTRA_LATENCY_MS: u64 = 200;

/// Message loss the "Degrade the link" menu action adds.
pub const LINK_DEGRADE_LOSS_PERCENT: f64 = 5.0;

/// What a context-menu item does: a fault kind for [`fault_for`], or
/// [`MenuAction::Restart`] (ends the target's active faults, see [`menu_edit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuAction {
    /// The node's process dies; what is not on disk is lost.
    Crash,
    /// Every fault on the target active at that moment ends.
    Restart,
    /// A clean stop.
    Stop,
    /// The node is cut off from every other node.
    Isolate,
    /// The node loses its disk.
    DiskLoss,
    /// Broker, MongoDB or REST down while the node itself runs.
    ApiDown,
    /// The node replaced by the latest backup snapshot available to its region.
    Restore,
    /// An operator wipes the node's data and lets it sync again from its peers.
    Resync,
    /// Every node in the availability zone loses power.
    AzOutage,
    /// Every node in the region is unreachable and stopped.
    RegionOutage,
    /// An AZ or region cut off from the rest, or an inter-region link cut.
    Partition,
    /// Extra latency and loss on an inter-region link.
    Degrade,
}

impl MenuAction {
    /// The action's stable name in `snake_case` (`disk_loss`): the page's menu item
    /// class is `menu-` followed by it.
    pub fn name(self) -> &'static str {
        match self {
            MenuAction::Crash => "crash",
            MenuAction::Restart => "restart",
            MenuAction::Stop => "stop",
            MenuAction::Isolate => "isolate",
            MenuAction::DiskLoss => "disk_loss",
            MenuAction::ApiDown => "api_down",
            MenuAction::Restore => "restore",
            MenuAction::Resync => "resync",
            MenuAction::AzOutage => "az_outage",
            MenuAction::RegionOutage => "region_outage",
            MenuAction::Partition => "partition",
            MenuAction::Degrade => "degrade",
        }
    }
}

/// The actions a context menu offers for a target: (label, action). Actions are fault
/// kinds for [`fault_for`], plus [`MenuAction::Restart`] (ends the target's active
/// faults, see [`menu_edit`]). "API services down" appears only for API and DUAL nodes, "Restore
/// from backup" only when a backup is configured, and "Partition ... from the rest"
/// only when there is a rest.
pub fn menu_for(file: &ScenarioFile, target: &Target) -> Vec<(&'static str, MenuAction)> {
    match target {
        Target::Node(id) => {
            let role = find_node(file, id).map(|place| node_at(file, place).role);
            let mut items = vec![
                ("Crash", MenuAction::Crash),
                ("Restart", MenuAction::Restart),
                ("Stop", MenuAction::Stop),
                ("Isolate", MenuAction::Isolate),
                ("Lose its disk", MenuAction::DiskLoss),
            ];
            if role.is_some_and(Role::has_api) {
                items.push(("API services down", MenuAction::ApiDown));
            }
            if file.backup.is_some() {
                items.push(("Restore from backup", MenuAction::Restore));
            }
            items.push(("Operator resync", MenuAction::Resync));
            items
        }
        Target::Az(id) => {
            let mut items = vec![("AZ outage", MenuAction::AzOutage)];
            if !rest_of_az(file, id).is_empty() {
                items.push(("Partition the AZ from the rest", MenuAction::Partition));
            }
            items
        }
        Target::Region(id) => {
            let mut items = vec![("Region outage", MenuAction::RegionOutage)];
            if !rest_of_region(file, id).is_empty() {
                items.push(("Partition the region from the rest", MenuAction::Partition));
            }
            items
        }
        Target::Link(_, _) => vec![
            ("Cut the link", MenuAction::Partition),
            ("Degrade the link", MenuAction::Degrade),
        ],
    }
}

/// The edit a menu action makes at `at_ms`: a fault lasting `length_ms` (cut at the end
/// of the run), or for [`MenuAction::Restart`] the end of every fault on the target
/// active then. `None` when the action does not apply (nothing to restart, an action
/// the target does not take, no rest to partition from).
pub fn menu_edit(
    file: &ScenarioFile,
    target: &Target,
    action: MenuAction,
    at_ms: u64,
    length_ms: u64,
) -> Option<Edit> {
    if action == MenuAction::Restart {
        if active_faults_on(file, target, at_ms).is_empty() {
            return None;
        }
        return Some(Edit::EndFaultsAt {
            target: target.clone(),
            at_ms,
        });
    }
    fault_for(file, target, action, at_ms, length_ms).map(Edit::AddFault)
}

/// When a fault started at `at_ms` for `length_ms` ends: cut at the end of the run, yet
/// always after its start.
pub(super) fn until_for(at_ms: u64, length_ms: u64, duration_ms: u64) -> u64 {
    at_ms
        .saturating_add(length_ms)
        .min(duration_ms.max(at_ms.saturating_add(1_000)))
}

/// The fault `kind` on `target` from `at_ms`, lasting `length_ms` (cut at the end of
/// the run). `None` for a kind the target does not take. The fault is not checked
/// here: [`super::apply`] does that.
pub fn fault_for(
    file: &ScenarioFile,
    target: &Target,
    kind: MenuAction,
    at_ms: u64,
    length_ms: u64,
) -> Option<FaultFile> {
    let until_ms = Some(until_for(at_ms, length_ms, file.duration_ms));
    let action = match (target, kind) {
        (Target::Node(node), MenuAction::Crash) => FaultAction::Crash { node: node.clone() },
        (Target::Node(node), MenuAction::Stop) => FaultAction::Stop { node: node.clone() },
        (Target::Node(node), MenuAction::Isolate) => FaultAction::Isolate { node: node.clone() },
        (Target::Node(node), MenuAction::DiskLoss) => FaultAction::DiskLoss { node: node.clone() },
        (Target::Node(node), MenuAction::ApiDown) => FaultAction::ApiDown { node: node.clone() },
        (Target::Node(node), MenuAction::Resync) => FaultAction::Resync { node: node.clone() },
        (Target::Node(node), MenuAction::Restore) => FaultAction::Restore {
            nodes: vec![node.clone()],
        },
        (Target::Az(az), MenuAction::AzOutage) => FaultAction::AzOutage { az: az.clone() },
        (Target::Az(az), MenuAction::Partition) => {
            let rest = rest_of_az(file, az);
            if rest.is_empty() {
                return None;
            }
            FaultAction::Partition {
                groups: vec![vec![az.clone()], rest],
                one_way: false,
            }
        }
        (Target::Region(region), MenuAction::RegionOutage) => FaultAction::RegionOutage {
            region: region.clone(),
        },
        (Target::Region(region), MenuAction::Partition) => {
            let rest = rest_of_region(file, region);
            if rest.is_empty() {
                return None;
            }
            FaultAction::Partition {
                groups: vec![vec![region.clone()], rest],
                one_way: false,
            }
        }
        (Target::Link(first, second), MenuAction::Partition) if first != second => {
            FaultAction::Partition {
                groups: vec![vec![first.clone()], vec![second.clone()]],
                one_way: false,
            }
        }
        (Target::Link(first, second), MenuAction::Degrade) if first != second => {
            FaultAction::Degrade {
                groups: vec![vec![first.clone()], vec![second.clone()]],
                extra_latency_ms: LINK_DEGRADE_EXTRA_LATENCY_MS,
                loss_percent: LINK_DEGRADE_LOSS_PERCENT,
            }
        }
        _ => return None,
    };
    Some(FaultFile {
        at_ms,
        until_ms,
        action,
    })
}

/// A partition splitting the network into `groups` (node, AZ or region ids) from
/// `at_ms` for `length_ms`, cut at the end of the run; for the partition tool. Checked
/// by [`super::apply`] like any fault (at least two non-empty groups, each node on one side).
pub fn partition_fault(
    groups: Vec<Vec<String>>,
    at_ms: u64,
    length_ms: u64,
    duration_ms: u64,
) -> FaultFile {
    FaultFile {
        at_ms,
        until_ms: Some(until_for(at_ms, length_ms, duration_ms)),
        action: FaultAction::Partition {
            groups,
            one_way: false,
        },
    }
}

/// Every other AZ of the AZ's region and every other region: "the rest" of an AZ.
pub(super) fn rest_of_az(file: &ScenarioFile, az: &str) -> Vec<String> {
    let Some((region_position, _)) = find_az(file, az) else {
        return Vec::new();
    };
    let mut rest: Vec<String> = file.regions[region_position]
        .azs
        .iter()
        .filter(|other| other.id != az)
        .map(|other| other.id.clone())
        .collect();
    rest.extend(rest_of_region(file, &file.regions[region_position].id));
    rest
}

/// Every other region.
pub(super) fn rest_of_region(file: &ScenarioFile, region: &str) -> Vec<String> {
    if find_region(file, region).is_none() {
        return Vec::new();
    }
    file.regions
        .iter()
        .filter(|other| other.id != region)
        .map(|other| other.id.clone())
        .collect()
}
