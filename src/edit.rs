//! Editing a scenario from the app, kept pure: topology edits (add, move, rename,
//! duplicate and delete nodes, AZs and regions; node properties), scenario-wide
//! parameters and the planner's assumptions edited as text, faults added from a
//! context menu or a partition tool, moved and resized on the timeline, ended early
//! ("Restart"), removed, and an undo/redo history.
//!
//! Invariants:
//! - [`apply`] never changes its input: it returns a new file or the reasons it cannot.
//! - Every edit's result is checked as a saved file would be: written with
//!   [`encode`] and read back with [`decode::decode`] (ranges, id rules and size caps
//!   of the format), then [`validate`]d (references, overlaps). An edit whose result
//!   fails either is refused with those errors; the app keeps the scenario it had.
//! - Renames rewrite every reference to the id (fault targets, partition and
//!   degradation groups, restore lists, backup source and copy region, entry-point
//!   targets, region latency overrides, the planner's recovery region), so no reference
//!   is left dangling.
//! - Deletions prune references to what they remove: a fault whose only target goes is
//!   removed, a group or restore list loses the member and a fault whose group or list
//!   becomes empty is removed, latency overrides of a deleted region are dropped, and
//!   entry-point targets are pruned while at least one remains. Deleting the backup
//!   source, the backup copy region, every entry-point target, every node of an AZ,
//!   every AZ of a region, or the last node, AZ or region is refused with what to change
//!   first. The planner's `recovery_region` is kept: it may name a region that is not
//!   drawn (the planner adds it).
//! - Generated ids (`peer4`, `api3`, `dual2`, `ap-northeast-1c`, `us-east-1`) never
//!   collide with any region, AZ or node id, nor with the planner's recovery region.
//! - Deterministic: ordered collections only, no clock, no randomness.

use std::collections::BTreeSet;

use crate::scenario::decode;
use crate::scenario::duration::{describe_duration, format_duration, parse_duration};
use crate::scenario::file::{
    encode, AzFile, BackupFile, EntryKind, FaultAction, FaultFile, NodeFile, RegionFile, Role,
    ScenarioFile,
};
use crate::scenario::limits;
use crate::scenario::{validate, ScenarioError};

/// Edits kept for undo.
pub const HISTORY_MAX: usize = 100;

/// Extra one-way latency the "Degrade the link" menu action adds.
pub const LINK_DEGRADE_EXTRA_LATENCY_MS: u64 = 200;

/// Message loss the "Degrade the link" menu action adds.
pub const LINK_DEGRADE_LOSS_PERCENT: f64 = 5.0;

/// Region ids offered, in order, when a region is added: real AWS regions, so that the
/// built-in latency table applies; `region1`, `region2`, ... once they are all used.
const REGION_ID_CANDIDATES: [&str; 8] = [
    "ap-northeast-1",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-northeast-2",
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
];

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

/// The actions a context menu offers for a target: (label, action). Actions are fault
/// kinds for [`fault_for`], plus `restart` (ends the target's active faults, see
/// [`menu_edit`]). "API services down" appears only for API and DUAL nodes, "Restore
/// from backup" only when a backup is configured, and "Partition ... from the rest"
/// only when there is a rest.
pub fn menu_for(file: &ScenarioFile, target: &Target) -> Vec<(&'static str, &'static str)> {
    match target {
        Target::Node(id) => {
            let role = find_node(file, id).map(|place| node_at(file, place).role);
            let mut items = vec![
                ("Crash", "crash"),
                ("Restart", "restart"),
                ("Stop", "stop"),
                ("Isolate", "isolate"),
                ("Lose its disk", "disk_loss"),
            ];
            if role.is_some_and(Role::has_api) {
                items.push(("API services down", "api_down"));
            }
            if file.backup.is_some() {
                items.push(("Restore from backup", "restore"));
            }
            items.push(("Operator resync", "resync"));
            items
        }
        Target::Az(id) => {
            let mut items = vec![("AZ outage", "az_outage")];
            if !rest_of_az(file, id).is_empty() {
                items.push(("Partition the AZ from the rest", "partition"));
            }
            items
        }
        Target::Region(id) => {
            let mut items = vec![("Region outage", "region_outage")];
            if !rest_of_region(file, id).is_empty() {
                items.push(("Partition the region from the rest", "partition"));
            }
            items
        }
        Target::Link(_, _) => vec![
            ("Cut the link", "partition"),
            ("Degrade the link", "degrade"),
        ],
    }
}

/// The edit a menu action makes at `at_ms`: a fault lasting `length_ms` (cut at the end
/// of the run), or for `restart` the end of every fault on the target active then.
/// `None` when the action does not apply (nothing to restart, unknown action, no rest
/// to partition from).
pub fn menu_edit(
    file: &ScenarioFile,
    target: &Target,
    action: &str,
    at_ms: u64,
    length_ms: u64,
) -> Option<Edit> {
    if action == "restart" {
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
fn until_for(at_ms: u64, length_ms: u64, duration_ms: u64) -> u64 {
    at_ms
        .saturating_add(length_ms)
        .min(duration_ms.max(at_ms.saturating_add(1_000)))
}

/// The fault `kind` on `target` from `at_ms`, lasting `length_ms` (cut at the end of
/// the run). `None` for a kind the target does not take. The fault is not checked
/// here: [`apply`] does that.
pub fn fault_for(
    file: &ScenarioFile,
    target: &Target,
    kind: &str,
    at_ms: u64,
    length_ms: u64,
) -> Option<FaultFile> {
    let until_ms = Some(until_for(at_ms, length_ms, file.duration_ms));
    let action = match (target, kind) {
        (Target::Node(node), "crash") => FaultAction::Crash { node: node.clone() },
        (Target::Node(node), "stop") => FaultAction::Stop { node: node.clone() },
        (Target::Node(node), "isolate") => FaultAction::Isolate { node: node.clone() },
        (Target::Node(node), "disk_loss") => FaultAction::DiskLoss { node: node.clone() },
        (Target::Node(node), "api_down") => FaultAction::ApiDown { node: node.clone() },
        (Target::Node(node), "resync") => FaultAction::Resync { node: node.clone() },
        (Target::Node(node), "restore") => FaultAction::Restore {
            nodes: vec![node.clone()],
        },
        (Target::Az(az), "az_outage") => FaultAction::AzOutage { az: az.clone() },
        (Target::Az(az), "partition") => {
            let rest = rest_of_az(file, az);
            if rest.is_empty() {
                return None;
            }
            FaultAction::Partition {
                groups: vec![vec![az.clone()], rest],
                one_way: false,
            }
        }
        (Target::Region(region), "region_outage") => FaultAction::RegionOutage {
            region: region.clone(),
        },
        (Target::Region(region), "partition") => {
            let rest = rest_of_region(file, region);
            if rest.is_empty() {
                return None;
            }
            FaultAction::Partition {
                groups: vec![vec![region.clone()], rest],
                one_way: false,
            }
        }
        (Target::Link(first, second), "partition") if first != second => FaultAction::Partition {
            groups: vec![vec![first.clone()], vec![second.clone()]],
            one_way: false,
        },
        (Target::Link(first, second), "degrade") if first != second => FaultAction::Degrade {
            groups: vec![vec![first.clone()], vec![second.clone()]],
            extra_latency_ms: LINK_DEGRADE_EXTRA_LATENCY_MS,
            loss_percent: LINK_DEGRADE_LOSS_PERCENT,
        },
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
/// by [`apply`] like any fault (at least two non-empty groups, each node on one side).
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
fn rest_of_az(file: &ScenarioFile, az: &str) -> Vec<String> {
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
fn rest_of_region(file: &ScenarioFile, region: &str) -> Vec<String> {
    if find_region(file, region).is_none() {
        return Vec::new();
    }
    file.regions
        .iter()
        .filter(|other| other.id != region)
        .map(|other| other.id.clone())
        .collect()
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

/// One scenario-wide parameter as the inspector shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterView {
    /// The key for [`Edit::SetChainParameter`]: the JSON path without `chain.` or
    /// `network.` (`block_time`, `finalization.enabled`, `loss_percent`).
    pub name: &'static str,
    /// The JSON path errors name (`chain.block_time`).
    pub path: &'static str,
    pub label: &'static str,
    /// The value as text that [`Edit::SetChainParameter`] reads back unchanged.
    pub value_text: String,
    /// What to write: `duration (15s, 2m, 1h)`, `blocks`, `ms`, `%`, `true or false`.
    pub unit_hint: &'static str,
}

/// How a parameter's text is read; ranges are those of the file format.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ParameterKind {
    Duration { min_ms: u64, max_ms: u64 },
    Whole { min: u64, max: u64 },
    Decimal { min: f64, max: f64 },
    Flag,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ParameterValue {
    Whole(u64),
    Decimal(f64),
    Flag(bool),
}

/// A field of the file a parameter reads and writes.
trait ParameterSlot {
    fn read(&self) -> ParameterValue;
    fn write(&mut self, value: ParameterValue);
}

impl ParameterSlot for u64 {
    fn read(&self) -> ParameterValue {
        ParameterValue::Whole(*self)
    }
    fn write(&mut self, value: ParameterValue) {
        if let ParameterValue::Whole(number) = value {
            *self = number;
        }
    }
}

impl ParameterSlot for f64 {
    fn read(&self) -> ParameterValue {
        ParameterValue::Decimal(*self)
    }
    fn write(&mut self, value: ParameterValue) {
        if let ParameterValue::Decimal(number) = value {
            *self = number;
        }
    }
}

impl ParameterSlot for bool {
    fn read(&self) -> ParameterValue {
        ParameterValue::Flag(*self)
    }
    fn write(&mut self, value: ParameterValue) {
        if let ParameterValue::Flag(flag) = value {
            *self = flag;
        }
    }
}

struct ParameterSpec {
    name: &'static str,
    path: &'static str,
    label: &'static str,
    unit_hint: &'static str,
    kind: ParameterKind,
    read: fn(&ScenarioFile) -> ParameterValue,
    write: fn(&mut ScenarioFile, ParameterValue),
}

const DURATION_HINT: &str = "duration (15s, 2m, 1h)";

macro_rules! parameter {
    ($name:literal, $path:literal, $label:literal, $unit:expr, $kind:expr, |$file:ident| $field:expr) => {
        ParameterSpec {
            name: $name,
            path: $path,
            label: $label,
            unit_hint: $unit,
            kind: $kind,
            read: |$file: &ScenarioFile| ParameterSlot::read(&$field),
            write: |$file: &mut ScenarioFile, value| ParameterSlot::write(&mut $field, value),
        }
    };
}

/// Every parameter the inspector edits, in the order it lists them. Ranges mirror
/// `decode.rs`; the round trip in [`apply`] would catch any drift, and a test checks
/// that the bounds agree.
fn parameter_specs() -> Vec<ParameterSpec> {
    use ParameterKind::{Decimal, Duration, Flag, Whole};
    const DAY_MS: u64 = 86_400_000;
    vec![
        parameter!(
            "seed",
            "seed",
            "Random seed",
            "",
            Whole {
                min: 0,
                max: u64::MAX
            },
            |file| file.seed
        ),
        parameter!(
            "duration",
            "duration",
            "Simulated duration",
            DURATION_HINT,
            Duration {
                min_ms: 1_000,
                max_ms: limits::DURATION_MAX_MS
            },
            |file| file.duration_ms
        ),
        parameter!(
            "block_time",
            "chain.block_time",
            "Block time",
            DURATION_HINT,
            Duration {
                min_ms: 1_000,
                max_ms: 600_000
            },
            |file| file.chain.block_time_ms
        ),
        parameter!(
            "max_rollback_blocks",
            "chain.max_rollback_blocks",
            "Max rollback blocks (0 = bounded by finalization)",
            "blocks",
            Whole {
                min: 0,
                max: 10_000
            },
            |file| file.chain.max_rollback_blocks
        ),
        parameter!(
            "difficulty_window_blocks",
            "chain.difficulty_window_blocks",
            "Difficulty window",
            "blocks",
            Whole { min: 2, max: 1_000 },
            |file| file.chain.difficulty_window_blocks
        ),
        parameter!(
            "difficulty_change_limit_percent",
            "chain.difficulty_change_limit_percent",
            "Difficulty change limit per block",
            "%",
            Whole { min: 1, max: 100 },
            |file| file.chain.difficulty_change_limit_percent
        ),
        parameter!(
            "smoothing_factor",
            "chain.smoothing_factor",
            "Block time smoothing factor",
            "",
            Decimal {
                min: 0.0,
                max: 10.0
            },
            |file| file.chain.smoothing_factor
        ),
        parameter!(
            "sync_interval",
            "chain.sync_interval",
            "Sync interval",
            DURATION_HINT,
            Duration {
                min_ms: 100,
                max_ms: 600_000
            },
            |file| file.chain.sync_interval_ms
        ),
        parameter!(
            "reconnect_interval",
            "chain.reconnect_interval",
            "Reconnect interval",
            DURATION_HINT,
            Duration {
                min_ms: 1_000,
                max_ms: 3_600_000
            },
            |file| file.chain.reconnect_interval_ms
        ),
        parameter!(
            "max_blocks_per_sync",
            "chain.max_blocks_per_sync",
            "Max blocks per sync",
            "blocks",
            Whole {
                min: 1,
                max: 10_000
            },
            |file| file.chain.max_blocks_per_sync
        ),
        parameter!(
            "max_connections",
            "chain.max_connections",
            "Max connections",
            "connections",
            Whole { min: 1, max: 100 },
            |file| file.chain.max_connections
        ),
        parameter!(
            "transaction_lifetime",
            "chain.transaction_lifetime",
            "Transaction lifetime",
            DURATION_HINT,
            Duration {
                min_ms: 60_000,
                max_ms: 30 * DAY_MS
            },
            |file| file.chain.transaction_lifetime_ms
        ),
        parameter!(
            "harvest_gating",
            "chain.harvest_gating",
            "Harvest only near the network height",
            "true or false",
            Flag,
            |file| file.chain.harvest_gating
        ),
        parameter!(
            "node_startup",
            "chain.node_startup",
            "Node start-up time",
            DURATION_HINT,
            Duration {
                min_ms: 0,
                max_ms: DAY_MS
            },
            |file| file.chain.node_startup_ms
        ),
        parameter!(
            "crash_recovery",
            "chain.crash_recovery",
            "Extra recovery after a crash",
            DURATION_HINT,
            Duration {
                min_ms: 0,
                max_ms: DAY_MS
            },
            |file| file.chain.crash_recovery_ms
        ),
        parameter!(
            "harvest_start_delay",
            "chain.harvest_start_delay",
            "Harvest start delay",
            DURATION_HINT,
            Duration {
                min_ms: 0,
                max_ms: 3_600_000
            },
            |file| file.chain.harvest_start_delay_ms
        ),
        parameter!(
            "initial_height",
            "chain.initial_height",
            "Chain height at the start",
            "blocks",
            Whole {
                min: 1,
                max: crate::scenario::limits::INITIAL_HEIGHT_MAX
            },
            |file| file.chain.initial_height
        ),
        parameter!(
            "block_processing",
            "chain.block_processing",
            "Processing per synced block",
            DURATION_HINT,
            Duration {
                min_ms: 1,
                max_ms: 60_000
            },
            |file| file.chain.block_processing_ms
        ),
        parameter!(
            "finalization.enabled",
            "chain.finalization.enabled",
            "Finalization",
            "true or false",
            Flag,
            |file| file.chain.finalization.enabled
        ),
        parameter!(
            "finalization.threshold_percent",
            "chain.finalization.threshold_percent",
            "Finalization threshold",
            "%",
            Decimal {
                min: 50.0,
                max: 100.0
            },
            |file| file.chain.finalization.threshold_percent
        ),
        parameter!(
            "finalization.step_duration",
            "chain.finalization.step_duration",
            "Finalization step duration",
            DURATION_HINT,
            Duration {
                min_ms: 1_000,
                max_ms: 3_600_000
            },
            |file| file.chain.finalization.step_duration_ms
        ),
        parameter!(
            "finalization.voting_set_grouping_blocks",
            "chain.finalization.voting_set_grouping_blocks",
            "Voting set grouping (blocks per epoch)",
            "blocks",
            Whole {
                min: 1,
                max: 100_000
            },
            |file| file.chain.finalization.voting_set_grouping_blocks
        ),
        parameter!(
            "intra_az_latency_ms",
            "network.intra_az_latency_ms",
            "Latency within an AZ",
            "ms",
            Whole {
                min: 0,
                max: 10_000
            },
            |file| file.network.intra_az_latency_ms
        ),
        parameter!(
            "inter_az_latency_ms",
            "network.inter_az_latency_ms",
            "Latency between AZs",
            "ms",
            Whole {
                min: 0,
                max: 10_000
            },
            |file| file.network.inter_az_latency_ms
        ),
        parameter!(
            "default_inter_region_latency_ms",
            "network.default_inter_region_latency_ms",
            "Default latency between regions",
            "ms",
            Whole {
                min: 0,
                max: 10_000
            },
            |file| file.network.default_inter_region_latency_ms
        ),
        parameter!(
            "loss_percent",
            "network.loss_percent",
            "Message loss",
            "%",
            Decimal {
                min: 0.0,
                max: 100.0
            },
            |file| file.network.loss_percent
        ),
        parameter!(
            "transactions_per_second",
            "clients.transactions_per_second",
            "Client transactions per second",
            "tx/s",
            Decimal {
                min: 0.0,
                max: limits::TRANSACTIONS_PER_SECOND_MAX
            },
            |file| file.clients.transactions_per_second
        ),
    ]
}

fn parameter_text(kind: ParameterKind, value: ParameterValue) -> String {
    match (kind, value) {
        (ParameterKind::Duration { .. }, ParameterValue::Whole(ms)) => format_duration(ms),
        (_, ParameterValue::Whole(number)) => number.to_string(),
        (_, ParameterValue::Decimal(number)) => number.to_string(),
        (_, ParameterValue::Flag(flag)) => flag.to_string(),
    }
}

/// The scenario-wide parameters with their current values, for the inspector.
pub fn chain_parameters(file: &ScenarioFile) -> Vec<ParameterView> {
    parameter_specs()
        .into_iter()
        .map(|spec| ParameterView {
            name: spec.name,
            path: spec.path,
            label: spec.label,
            value_text: parameter_text(spec.kind, (spec.read)(file)),
            unit_hint: spec.unit_hint,
        })
        .collect()
}

/// Reads a parameter's text: a duration with the format's parser, a number (an
/// optional trailing unit such as `ms` or `%` is allowed), or a flag.
fn parse_parameter(spec: &ParameterSpec, text: &str) -> Result<ParameterValue, ScenarioError> {
    let refuse = |message: String| ScenarioError::new(spec.path, message);
    let trimmed = text.trim();
    let number_text = || {
        let without_unit = if spec.unit_hint.is_empty() {
            trimmed
        } else {
            trimmed.strip_suffix(spec.unit_hint).unwrap_or(trimmed)
        };
        without_unit.trim()
    };
    match spec.kind {
        ParameterKind::Duration { min_ms, max_ms } => {
            let ms = parse_duration(trimmed).map_err(refuse)?;
            if ms < min_ms || ms > max_ms {
                return Err(refuse(format!(
                    "{} is out of range: use a duration from {} to {}",
                    format_duration(ms),
                    format_duration(min_ms),
                    format_duration(max_ms)
                )));
            }
            Ok(ParameterValue::Whole(ms))
        }
        ParameterKind::Whole { min, max } => {
            let range = format!("use a whole number from {min} to {max}");
            let number: u64 = number_text()
                .parse()
                .map_err(|_| refuse(format!("\"{trimmed}\" is not a whole number: {range}")))?;
            if number < min || number > max {
                return Err(refuse(format!("{number} is out of range: {range}")));
            }
            Ok(ParameterValue::Whole(number))
        }
        ParameterKind::Decimal { min, max } => {
            let range = format!("use a number from {min} to {max}");
            let number: f64 = number_text()
                .parse()
                .map_err(|_| refuse(format!("\"{trimmed}\" is not a number: {range}")))?;
            if !number.is_finite() || number < min || number > max {
                return Err(refuse(format!("{trimmed} is out of range: {range}")));
            }
            Ok(ParameterValue::Decimal(number))
        }
        ParameterKind::Flag => match trimmed.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" => Ok(ParameterValue::Flag(true)),
            "false" | "off" | "no" => Ok(ParameterValue::Flag(false)),
            _ => Err(refuse(format!(
                "\"{trimmed}\" is not true or false: write true or false"
            ))),
        },
    }
}

fn set_parameter(
    next: &mut ScenarioFile,
    name: &str,
    text: &str,
) -> Result<(), Vec<ScenarioError>> {
    let specs = parameter_specs();
    let Some(spec) = specs.iter().find(|spec| spec.name == name) else {
        let names: Vec<&str> = specs.iter().map(|spec| spec.name).collect();
        return Err(refuse(
            "chain",
            format!(
                "unknown parameter \"{name}\": use one of {}",
                names.join(", ")
            ),
        ));
    };
    let value = parse_parameter(spec, text).map_err(|error| vec![error])?;
    (spec.write)(next, value);
    Ok(())
}

/// One planner assumption as the planner panel shows it, next to the matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumptionView {
    /// The key for [`Edit::SetPlanAssumption`] (`outage_duration`,
    /// `restore.provisioning`, `backup.copy_lag`).
    pub name: &'static str,
    /// The JSON path (`plan.outage_duration`), for the saved file; never shown.
    pub path: &'static str,
    /// What it is, in words ("Outage duration").
    pub label: &'static str,
    /// The value in human units ("1 h", "30 min", "500"), which reads back unchanged.
    pub value_text: String,
    /// The unit after a number ("GB", "MiB/s"), empty for durations and flags.
    pub unit: &'static str,
    /// Where the value comes from: "assumption", or the source as
    /// `docs/scenario-format.md` gives it ("[MJ]", "[AWS] 100 to 300 MiB/s, the low end").
    pub source: &'static str,
    /// False when the value cannot be edited here (no backup vault is drawn: the
    /// planner's default backup applies).
    pub editable: bool,
}

/// A planner assumption: its parameter (read, write, range) and its source.
struct AssumptionSpec {
    parameter: ParameterSpec,
    source: &'static str,
    /// Whether the field exists in this file (the backup's fields need a backup vault).
    present: fn(&ScenarioFile) -> bool,
}

fn always(_: &ScenarioFile) -> bool {
    true
}

fn has_backup(file: &ScenarioFile) -> bool {
    file.backup.is_some()
}

/// The backup the planner's `inter-region-backup` strategy uses: the drawn one, or
/// the defaults.
fn planned_backup(file: &ScenarioFile) -> BackupFile {
    file.backup
        .clone()
        .unwrap_or_else(|| BackupFile::with_source(String::new()))
}

macro_rules! assumption {
    ($name:literal, $path:literal, $label:literal, $unit:expr, $kind:expr, $source:literal, |$file:ident| $field:expr) => {
        AssumptionSpec {
            parameter: parameter!($name, $path, $label, $unit, $kind, |$file| $field),
            source: $source,
            present: always,
        }
    };
}

/// A backup field: read from the drawn backup or the planner's default, written only
/// when a backup vault is drawn.
macro_rules! backup_assumption {
    ($name:literal, $path:literal, $label:literal, $unit:expr, $kind:expr, $source:literal, $field:ident) => {
        AssumptionSpec {
            parameter: ParameterSpec {
                name: $name,
                path: $path,
                label: $label,
                unit_hint: $unit,
                kind: $kind,
                read: |file: &ScenarioFile| ParameterSlot::read(&planned_backup(file).$field),
                write: |file: &mut ScenarioFile, value| {
                    if let Some(backup) = file.backup.as_mut() {
                        ParameterSlot::write(&mut backup.$field, value);
                    }
                },
            },
            source: $source,
            present: has_backup,
        }
    };
}

/// Every planner assumption the panel shows, in order: one row each. Ranges mirror
/// `decode.rs` (the round trip in [`apply`] would catch any drift); sources are those
/// of `docs/scenario-format.md`.
fn assumption_specs() -> Vec<AssumptionSpec> {
    use ParameterKind::{Decimal, Duration, Flag, Whole};
    const DAY_MS: u64 = 86_400_000;
    vec![
        assumption!(
            "outage_duration",
            "plan.outage_duration",
            "Outage duration (node, AZ, link, API tier)",
            "",
            Duration {
                min_ms: 60_000,
                max_ms: 7 * DAY_MS
            },
            "assumption",
            |file| file.plan.outage_duration_ms
        ),
        assumption!(
            "node_replacement",
            "plan.node_replacement",
            "Replacing a node after disk loss",
            "",
            Duration {
                min_ms: 0,
                max_ms: 7 * DAY_MS
            },
            "assumption",
            |file| file.plan.node_replacement_ms
        ),
        assumption!(
            "restore.detection_and_decision",
            "plan.restore.detection_and_decision",
            "Detecting a region loss and deciding to fail over",
            "",
            Duration {
                min_ms: 0,
                max_ms: 14 * DAY_MS
            },
            "assumption",
            |file| file.plan.restore.detection_and_decision_ms
        ),
        assumption!(
            "restore.provisioning",
            "plan.restore.provisioning",
            "Provisioning nodes in the recovery region",
            "",
            Duration {
                min_ms: 0,
                max_ms: 14 * DAY_MS
            },
            "assumption (mijin publishes no cross-region builder)",
            |file| file.plan.restore.provisioning_ms
        ),
        assumption!(
            "operator.detection",
            "plan.operator.detection",
            "Operator notices a split the nodes cannot heal",
            "",
            Duration {
                min_ms: 0,
                max_ms: 7 * DAY_MS
            },
            "assumption (an alert on diverging heights or hashes between regions)",
            |file| file.plan.operator.detection_ms
        ),
        assumption!(
            "operator.decision",
            "plan.operator.decision",
            "Operator decides which side to keep and starts the resync",
            "",
            Duration {
                min_ms: 0,
                max_ms: 7 * DAY_MS
            },
            "assumption",
            |file| file.plan.operator.decision_ms
        ),
        assumption!(
            "restore.volume_size_gb",
            "plan.restore.volume_size_gb",
            "Restored volume size",
            "GB",
            Whole {
                min: 1,
                max: 64_000
            },
            "[MJ] 500 GB",
            |file| file.plan.restore.volume_size_gb
        ),
        assumption!(
            "restore.initialization_mib_per_s",
            "plan.restore.initialization_mib_per_s",
            "Volume initialization rate from a snapshot",
            "MiB/s",
            Whole {
                min: 1,
                max: 10_000
            },
            "[AWS] 100 to 300 MiB/s; the default takes the low end",
            |file| file.plan.restore.initialization_mib_per_s
        ),
        backup_assumption!(
            "backup.interval",
            "backup.interval",
            "Backup interval",
            "",
            Duration {
                min_ms: 60_000,
                max_ms: 30 * DAY_MS
            },
            "seed document (AWS Backup every 2 h)",
            interval_ms
        ),
        backup_assumption!(
            "backup.copy_lag",
            "backup.copy_lag",
            "Cross-region copy lag",
            "",
            Duration {
                min_ms: 0,
                max_ms: 7 * DAY_MS
            },
            "assumption",
            copy_lag_ms
        ),
        backup_assumption!(
            "backup.retention_count",
            "backup.retention_count",
            "Snapshots kept",
            "snapshots",
            Whole {
                min: 1,
                max: 10_000
            },
            "assumption (12 × 2 h = one day)",
            retention_count
        ),
        assumption!(
            "node_hour_price",
            "plan.node_hour_price",
            "Price of a node-hour",
            "",
            Decimal {
                min: 0.0,
                max: 1_000_000.0
            },
            "assumption",
            |file| file.plan.node_hour_price
        ),
        assumption!(
            "backup_gb_month_price",
            "plan.backup_gb_month_price",
            "Price of a GB-month of snapshots",
            "",
            Decimal {
                min: 0.0,
                max: 1_000_000.0
            },
            "assumption",
            |file| file.plan.backup_gb_month_price
        ),
        assumption!(
            "load_balancer",
            "plan.load_balancer",
            "Load balancer in front of single-AZ and multi-AZ",
            "true or false",
            Flag,
            "choice",
            |file| file.plan.load_balancer
        ),
    ]
}

/// The value of an assumption in human units: durations as "1 h", "30 min".
fn assumption_text(kind: ParameterKind, value: ParameterValue) -> String {
    match (kind, value) {
        (ParameterKind::Duration { .. }, ParameterValue::Whole(ms)) => {
            crate::view::plan_explain::spoken_duration(ms)
        }
        _ => parameter_text(kind, value),
    }
}

/// The planner's assumptions with their current values and sources, for the panel
/// next to the matrix.
pub fn plan_assumptions(file: &ScenarioFile) -> Vec<AssumptionView> {
    assumption_specs()
        .into_iter()
        .map(|spec| AssumptionView {
            name: spec.parameter.name,
            path: spec.parameter.path,
            label: spec.parameter.label,
            value_text: assumption_text(spec.parameter.kind, (spec.parameter.read)(file)),
            unit: if matches!(spec.parameter.kind, ParameterKind::Flag) {
                ""
            } else {
                spec.parameter.unit_hint
            },
            source: spec.source,
            editable: (spec.present)(file),
        })
        .collect()
}

/// A duration as people write it: anything [`parse_duration`] reads, or parts such as
/// "1 h 30 min", "30 min", "2 d 4 h", "45 sec" added up.
fn parse_human_duration(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let direct = parse_duration(trimmed);
    if direct.is_ok() {
        return direct;
    }
    let mut total_ms: u64 = 0;
    let mut rest = trimmed;
    let mut parts = 0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_end == 0 {
            return direct;
        }
        let number = &rest[..number_end];
        let after = rest[number_end..].trim_start();
        let unit_end = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let unit = match &after[..unit_end] {
            "ms" => "ms",
            "" | "s" | "sec" | "secs" | "second" | "seconds" => "s",
            "m" | "min" | "mins" | "minute" | "minutes" => "m",
            "h" | "hr" | "hrs" | "hour" | "hours" => "h",
            "d" | "day" | "days" => "d",
            _ => return direct,
        };
        let part_ms = parse_duration(&format!("{number}{unit}"))?;
        total_ms = total_ms.saturating_add(part_ms);
        parts += 1;
        rest = after[unit_end..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    if parts == 0 {
        return direct;
    }
    Ok(total_ms)
}

fn set_assumption(
    next: &mut ScenarioFile,
    name: &str,
    text: &str,
) -> Result<(), Vec<ScenarioError>> {
    let specs = assumption_specs();
    let Some(spec) = specs.iter().find(|spec| spec.parameter.name == name) else {
        let names: Vec<&str> = specs.iter().map(|spec| spec.parameter.name).collect();
        return Err(refuse(
            "plan",
            format!(
                "unknown assumption \"{name}\": use one of {}",
                names.join(", ")
            ),
        ));
    };
    if !(spec.present)(next) {
        return Err(refuse(
            spec.parameter.path,
            "there is no backup vault: add one in the inspector first (the planner uses its default backup until then)".to_string(),
        ));
    }
    let value = match spec.parameter.kind {
        ParameterKind::Duration { min_ms, max_ms } => {
            let ms = parse_human_duration(text)
                .map_err(|message| refuse(spec.parameter.path, message))?;
            if ms < min_ms || ms > max_ms {
                return Err(refuse(
                    spec.parameter.path,
                    format!(
                        "{} is out of range: use a duration from {} to {}",
                        crate::view::plan_explain::spoken_duration(ms),
                        crate::view::plan_explain::spoken_duration(min_ms),
                        crate::view::plan_explain::spoken_duration(max_ms)
                    ),
                ));
            }
            ParameterValue::Whole(ms)
        }
        _ => parse_parameter(&spec.parameter, text).map_err(|error| vec![error])?,
    };
    (spec.parameter.write)(next, value);
    Ok(())
}

/// One edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddFault(FaultFile),
    RemoveFault(usize),
    /// A new node at the end of the AZ, with the next free id of its role (`peer4`,
    /// `api3`, `dual2`) and the role's defaults: not voting, stake 1 for PEER and DUAL,
    /// 0 for API.
    AddNode {
        az: String,
        role: Role,
    },
    /// The nodes (in topology order) appended to `to_az`; nodes already there move to
    /// its end. Refused if it would leave another AZ without nodes.
    MoveNodes {
        nodes: Vec<String>,
        to_az: String,
    },
    RenameNode {
        from: String,
        to: String,
    },
    RenameAz {
        from: String,
        to: String,
    },
    RenameRegion {
        from: String,
        to: String,
    },
    /// A copy of each node (role, voting, stake, voting balance, standby; not its faults
    /// nor its entry-point membership) right after it, with a fresh id by role.
    DuplicateNodes {
        nodes: Vec<String>,
    },
    DeleteNodes {
        nodes: Vec<String>,
    },
    /// A new AZ at the end of the region (`<region>a`, `<region>b`, ...) holding one
    /// PEER node, since an AZ without nodes is invalid.
    AddAz {
        region: String,
    },
    /// A new region (the next unused AWS region id) with one AZ holding one PEER node.
    AddRegion,
    DeleteAz {
        az: String,
    },
    DeleteRegion {
        region: String,
    },
    /// Switching to API sets stake to 0 (API nodes cannot harvest); switching from API
    /// to PEER or DUAL with stake 0 sets the role's default stake 1.
    SetNodeRole {
        node: String,
        role: Role,
    },
    /// Turning voting on with a voting balance of 0 sets the balance to 1.
    SetNodeVoting {
        node: String,
        voting: bool,
    },
    SetNodeStake {
        node: String,
        stake: u64,
    },
    SetNodeVotingBalance {
        node: String,
        voting_balance: u64,
    },
    SetNodeStandby {
        node: String,
        standby: bool,
    },
    /// How clients reach the API nodes: a load balancer, DNS failover or directly (which
    /// keeps only the first target).
    SetEntryKind {
        kind: EntryKind,
    },
    /// The backup vault: its source node, interval, copy region, or none at all.
    SetBackup {
        backup: Option<BackupFile>,
    },
    /// The backup interval from its text (`2h`, `30m`).
    SetBackupInterval {
        value: String,
    },
    /// A scenario-wide parameter from its text (see [`chain_parameters`]).
    SetChainParameter {
        name: String,
        value: String,
    },
    /// A planner assumption from its text (see [`plan_assumptions`]): durations in
    /// human units ("1 h 30 min") or the file's ("90m").
    SetPlanAssumption {
        name: String,
        value: String,
    },
    /// The fault starts at `at_ms` and keeps its length, clamped into the run.
    MoveFault {
        index: usize,
        at_ms: u64,
    },
    /// New start and end, clamped into `[0, duration]`; refused if it would not end
    /// after it starts.
    ResizeFault {
        index: usize,
        at_ms: u64,
        until_ms: Option<u64>,
    },
    /// "Restart": every fault on the target active at `at_ms` ends then.
    EndFaultsAt {
        target: Target,
        at_ms: u64,
    },
}

/// Applies an edit, or explains why it cannot be made (and changes nothing).
pub fn apply(file: &ScenarioFile, edit: &Edit) -> Result<ScenarioFile, Vec<ScenarioError>> {
    let mut next = file.clone();
    match edit {
        Edit::AddFault(fault) => next.faults.push(fault.clone()),
        Edit::RemoveFault(index) => {
            fault_position(&next, *index)?;
            next.faults.remove(*index);
        }
        Edit::AddNode { az, role } => add_node(&mut next, az, *role)?,
        Edit::MoveNodes { nodes, to_az } => move_nodes(&mut next, nodes, to_az)?,
        Edit::RenameNode { from, to } => rename(&mut next, IdKind::Node, from, to)?,
        Edit::RenameAz { from, to } => rename(&mut next, IdKind::Az, from, to)?,
        Edit::RenameRegion { from, to } => rename(&mut next, IdKind::Region, from, to)?,
        Edit::DuplicateNodes { nodes } => duplicate_nodes(&mut next, nodes)?,
        Edit::DeleteNodes { nodes } => delete_nodes(&mut next, nodes)?,
        Edit::AddAz { region } => add_az(&mut next, region)?,
        Edit::AddRegion => add_region(&mut next)?,
        Edit::DeleteAz { az } => delete_az(&mut next, az)?,
        Edit::DeleteRegion { region } => delete_region(&mut next, region)?,
        Edit::SetNodeRole { node, role } => {
            let node = node_mut(&mut next, node)?;
            let was_api = !node.role.has_peer();
            node.role = *role;
            if !role.has_peer() {
                node.stake = 0;
            } else if was_api && node.stake == 0 {
                node.stake = NodeFile::new("", *role).stake;
            }
        }
        Edit::SetNodeVoting { node, voting } => {
            let node = node_mut(&mut next, node)?;
            node.voting = *voting;
            if *voting && node.voting_balance == 0 {
                node.voting_balance = 1;
            }
        }
        Edit::SetNodeStake { node, stake } => node_mut(&mut next, node)?.stake = *stake,
        Edit::SetNodeVotingBalance {
            node,
            voting_balance,
        } => node_mut(&mut next, node)?.voting_balance = *voting_balance,
        Edit::SetNodeStandby { node, standby } => node_mut(&mut next, node)?.standby = *standby,
        Edit::SetEntryKind { kind } => {
            // Clients sent directly reach one API node: the first target stays.
            if *kind == EntryKind::Direct {
                next.clients.entry_point.targets.truncate(1);
            }
            // Region shares belong to latency routing only.
            if *kind != EntryKind::LatencyRouting {
                next.clients.entry_point.region_shares.clear();
            }
            next.clients.entry_point.kind = *kind;
        }
        Edit::SetBackup { backup } => next.backup = backup.clone(),
        Edit::SetBackupInterval { value } => {
            let Some(backup) = next.backup.as_mut() else {
                return Err(refuse(
                    "backup",
                    "there is no backup vault: add one first".to_string(),
                ));
            };
            backup.interval_ms = parse_duration(value.trim()).map_err(|message| {
                refuse(
                    "backup.interval",
                    format!("{message}: write a duration like 2h or 30m"),
                )
            })?;
        }
        Edit::SetChainParameter { name, value } => set_parameter(&mut next, name, value)?,
        Edit::SetPlanAssumption { name, value } => set_assumption(&mut next, name, value)?,
        Edit::MoveFault { index, at_ms } => move_fault(&mut next, *index, *at_ms)?,
        Edit::ResizeFault {
            index,
            at_ms,
            until_ms,
        } => resize_fault(&mut next, *index, *at_ms, *until_ms)?,
        Edit::EndFaultsAt { target, at_ms } => end_faults_at(&mut next, target, *at_ms)?,
    }
    check(&next)?;
    Ok(next)
}

/// The file as a saved one would be checked: read back from its encoding (ranges, id
/// rules, size caps), then validated (references, overlaps).
fn check(file: &ScenarioFile) -> Result<(), Vec<ScenarioError>> {
    decode::decode(&encode(file))?;
    validate(file)?;
    Ok(())
}

fn refuse(path: impl Into<String>, message: impl Into<String>) -> Vec<ScenarioError> {
    vec![ScenarioError::new(path, message)]
}

// ---------------------------------------------------------------------------------
// Finding things in the topology.

/// What kind of thing an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdKind {
    Node,
    Az,
    Region,
}

impl IdKind {
    fn noun(self) -> &'static str {
        match self {
            IdKind::Node => "node",
            IdKind::Az => "availability zone",
            IdKind::Region => "region",
        }
    }
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

/// A node's position: (region, AZ, node).
type NodePlace = (usize, usize, usize);

fn find_node(file: &ScenarioFile, id: &str) -> Option<NodePlace> {
    for (region_position, region) in file.regions.iter().enumerate() {
        for (az_position, az) in region.azs.iter().enumerate() {
            if let Some(node_position) = az.nodes.iter().position(|node| node.id == id) {
                return Some((region_position, az_position, node_position));
            }
        }
    }
    None
}

fn find_az(file: &ScenarioFile, id: &str) -> Option<(usize, usize)> {
    for (region_position, region) in file.regions.iter().enumerate() {
        if let Some(az_position) = region.azs.iter().position(|az| az.id == id) {
            return Some((region_position, az_position));
        }
    }
    None
}

fn find_region(file: &ScenarioFile, id: &str) -> Option<usize> {
    file.regions.iter().position(|region| region.id == id)
}

fn node_at(file: &ScenarioFile, (region, az, node): NodePlace) -> &NodeFile {
    &file.regions[region].azs[az].nodes[node]
}

fn node_path((region, az, node): NodePlace) -> String {
    format!("regions[{region}].azs[{az}].nodes[{node}]")
}

fn az_path((region, az): (usize, usize)) -> String {
    format!("regions[{region}].azs[{az}]")
}

/// The path of the thing an id names, and its kind.
fn find_id(file: &ScenarioFile, id: &str) -> Option<(IdKind, String)> {
    if let Some(region) = find_region(file, id) {
        return Some((IdKind::Region, format!("regions[{region}]")));
    }
    if let Some(place) = find_az(file, id) {
        return Some((IdKind::Az, az_path(place)));
    }
    find_node(file, id).map(|place| (IdKind::Node, node_path(place)))
}

fn missing(kind: IdKind, id: &str) -> Vec<ScenarioError> {
    let hint = match kind {
        IdKind::Node => "pick a node of the topology",
        IdKind::Az => "pick an availability zone of the topology",
        IdKind::Region => "pick a region of the topology",
    };
    refuse("regions", format!("no {} \"{id}\": {hint}", kind.noun()))
}

fn locate_node(file: &ScenarioFile, id: &str) -> Result<NodePlace, Vec<ScenarioError>> {
    find_node(file, id).ok_or_else(|| missing(IdKind::Node, id))
}

fn locate_az(file: &ScenarioFile, id: &str) -> Result<(usize, usize), Vec<ScenarioError>> {
    find_az(file, id).ok_or_else(|| missing(IdKind::Az, id))
}

fn locate_region(file: &ScenarioFile, id: &str) -> Result<usize, Vec<ScenarioError>> {
    find_region(file, id).ok_or_else(|| missing(IdKind::Region, id))
}

fn node_mut<'a>(
    file: &'a mut ScenarioFile,
    id: &str,
) -> Result<&'a mut NodeFile, Vec<ScenarioError>> {
    let (region, az, node) = locate_node(file, id)?;
    Ok(&mut file.regions[region].azs[az].nodes[node])
}

/// Every region, AZ and node id, in topology order.
fn topology_ids_in_order(file: &ScenarioFile) -> Vec<String> {
    let mut ids = Vec::new();
    for region in &file.regions {
        ids.push(region.id.clone());
        for az in &region.azs {
            ids.push(az.id.clone());
            ids.extend(az.nodes.iter().map(|node| node.id.clone()));
        }
    }
    ids
}

fn topology_ids(file: &ScenarioFile) -> BTreeSet<String> {
    topology_ids_in_order(file).into_iter().collect()
}

fn node_count(file: &ScenarioFile) -> usize {
    file.regions
        .iter()
        .flat_map(|region| &region.azs)
        .map(|az| az.nodes.len())
        .sum()
}

/// Ids a new region, AZ or node must not take.
fn taken_ids(file: &ScenarioFile) -> BTreeSet<String> {
    let mut taken = topology_ids(file);
    taken.extend(file.plan.recovery_region.clone());
    taken
}

/// `prefix` followed by one more than the highest number already used after it
/// (`peer4` after `peer1`..`peer3`), or the lowest free number if that overflows.
fn fresh_id(taken: &BTreeSet<String>, prefix: &str) -> String {
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

fn role_prefix(role: Role) -> &'static str {
    match role {
        Role::Peer => "peer",
        Role::Api => "api",
        Role::Dual => "dual",
    }
}

/// `<region>a`, `<region>b`, ... like AWS zone names, else `az1`, `az2`, ...
fn fresh_az_id(taken: &BTreeSet<String>, region: &str) -> String {
    ('a'..='z')
        .map(|letter| format!("{region}{letter}"))
        .find(|id| id.chars().count() <= limits::ID_CHARS_MAX && !taken.contains(id))
        .unwrap_or_else(|| fresh_id(taken, "az"))
}

fn fresh_region_id(taken: &BTreeSet<String>) -> String {
    REGION_ID_CANDIDATES
        .iter()
        .find(|id| !taken.contains(**id))
        .map(|id| id.to_string())
        .unwrap_or_else(|| fresh_id(taken, "region"))
}

fn ensure_room_for_nodes(file: &ScenarioFile, extra: usize) -> Result<(), Vec<ScenarioError>> {
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
fn node_selection(
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

/// Refuses when every node of some AZ (other than `except_az`) is in `selection`.
fn refuse_emptied_azs(
    file: &ScenarioFile,
    selection: &BTreeSet<String>,
    except_az: Option<&str>,
    what_to_do: &str,
) -> Result<(), Vec<ScenarioError>> {
    let mut errors = Vec::new();
    for (region_position, region) in file.regions.iter().enumerate() {
        for (az_position, az) in region.azs.iter().enumerate() {
            if Some(az.id.as_str()) != except_az
                && az.nodes.iter().all(|node| selection.contains(&node.id))
            {
                errors.push(ScenarioError::new(
                    format!("{}.nodes", az_path((region_position, az_position))),
                    format!(
                        "that would leave availability zone \"{}\" without nodes: {what_to_do}",
                        az.id
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------
// References.

/// Calls `visit` on every id a scenario refers to: clones' sources, fault targets,
/// group members, restore lists, the backup source and copy region, entry-point
/// targets, region latency overrides and the planner's recovery region.
fn for_each_reference(file: &mut ScenarioFile, visit: &mut dyn FnMut(&mut String)) {
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
fn checked_new_id(text: &str, path: &str) -> Result<String, Vec<ScenarioError>> {
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

fn rename(
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
    if let Some((other_kind, other_path)) = find_id(next, &to) {
        return Err(refuse(
            path,
            format!(
                "\"{to}\" is already used by another {} ({other_path}): ids of regions, AZs and nodes must all differ; pick another name",
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
fn prune_references(
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

// ---------------------------------------------------------------------------------
// Topology edits.

fn add_node(next: &mut ScenarioFile, az: &str, role: Role) -> Result<(), Vec<ScenarioError>> {
    let (region, az) = locate_az(next, az)?;
    ensure_room_for_nodes(next, 1)?;
    let id = fresh_id(&taken_ids(next), role_prefix(role));
    next.regions[region].azs[az]
        .nodes
        .push(NodeFile::new(&id, role));
    Ok(())
}

fn move_nodes(
    next: &mut ScenarioFile,
    nodes: &[String],
    to_az: &str,
) -> Result<(), Vec<ScenarioError>> {
    let selection = node_selection(next, nodes)?;
    let (region, az) = locate_az(next, to_az)?;
    refuse_emptied_azs(
        next,
        &selection,
        Some(to_az),
        "keep a node there, or delete the zone",
    )?;
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

fn duplicate_nodes(next: &mut ScenarioFile, nodes: &[String]) -> Result<(), Vec<ScenarioError>> {
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

fn delete_nodes(next: &mut ScenarioFile, nodes: &[String]) -> Result<(), Vec<ScenarioError>> {
    let selection = node_selection(next, nodes)?;
    if selection.len() >= node_count(next) {
        return Err(refuse(
            "regions",
            "that would delete every node: a scenario needs at least one; add another node first",
        ));
    }
    refuse_emptied_azs(
        next,
        &selection,
        None,
        "keep one of its nodes, or delete the zone instead",
    )?;
    prune_references(next, &selection)?;
    for az in next.regions.iter_mut().flat_map(|region| &mut region.azs) {
        az.nodes.retain(|node| !selection.contains(&node.id));
    }
    Ok(())
}

fn add_az(next: &mut ScenarioFile, region: &str) -> Result<(), Vec<ScenarioError>> {
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
    ensure_room_for_nodes(next, 1)?;
    let mut taken = taken_ids(next);
    let az_id = fresh_az_id(&taken, region);
    taken.insert(az_id.clone());
    let node_id = fresh_id(&taken, role_prefix(Role::Peer));
    next.regions[position].azs.push(AzFile {
        id: az_id,
        nodes: vec![NodeFile::new(&node_id, Role::Peer)],
    });
    Ok(())
}

fn add_region(next: &mut ScenarioFile) -> Result<(), Vec<ScenarioError>> {
    if next.regions.len() >= limits::REGIONS_MAX {
        return Err(refuse(
            "regions",
            format!(
                "the scenario already has {} regions, the most it may have",
                limits::REGIONS_MAX
            ),
        ));
    }
    ensure_room_for_nodes(next, 1)?;
    let mut taken = taken_ids(next);
    let region_id = fresh_region_id(&taken);
    taken.insert(region_id.clone());
    let az_id = fresh_az_id(&taken, &region_id);
    taken.insert(az_id.clone());
    let node_id = fresh_id(&taken, role_prefix(Role::Peer));
    next.regions.push(RegionFile {
        id: region_id,
        azs: vec![AzFile {
            id: az_id,
            nodes: vec![NodeFile::new(&node_id, Role::Peer)],
        }],
    });
    Ok(())
}

fn delete_az(next: &mut ScenarioFile, az: &str) -> Result<(), Vec<ScenarioError>> {
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

fn delete_region(next: &mut ScenarioFile, region: &str) -> Result<(), Vec<ScenarioError>> {
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

// ---------------------------------------------------------------------------------
// Timeline edits.

fn fault_position(file: &ScenarioFile, index: usize) -> Result<usize, Vec<ScenarioError>> {
    if index >= file.faults.len() {
        return Err(refuse(
            format!("faults[{index}]"),
            format!(
                "no such fault: the timeline has {} fault(s)",
                file.faults.len()
            ),
        ));
    }
    Ok(index)
}

fn move_fault(next: &mut ScenarioFile, index: usize, at_ms: u64) -> Result<(), Vec<ScenarioError>> {
    let duration_ms = next.duration_ms;
    let position = fault_position(next, index)?;
    let fault = &mut next.faults[position];
    match fault.until_ms {
        Some(until_ms) => {
            let length_ms = until_ms.saturating_sub(fault.at_ms);
            let start_ms = at_ms.min(duration_ms.saturating_sub(length_ms));
            fault.at_ms = start_ms;
            fault.until_ms = Some(start_ms + length_ms);
        }
        None => fault.at_ms = at_ms.min(duration_ms),
    }
    Ok(())
}

fn resize_fault(
    next: &mut ScenarioFile,
    index: usize,
    at_ms: u64,
    until_ms: Option<u64>,
) -> Result<(), Vec<ScenarioError>> {
    let duration_ms = next.duration_ms;
    let position = fault_position(next, index)?;
    let start_ms = at_ms.min(duration_ms);
    let end_ms = until_ms.map(|until_ms| until_ms.min(duration_ms));
    if let Some(end_ms) = end_ms.filter(|&end_ms| end_ms <= start_ms) {
        return Err(refuse(
            format!("faults[{position}].until"),
            format!(
                "it would end at {} but start at {}: a fault must end after it starts; drag its end later",
                describe_duration(end_ms),
                describe_duration(start_ms)
            ),
        ));
    }
    let fault = &mut next.faults[position];
    fault.at_ms = start_ms;
    fault.until_ms = end_ms;
    Ok(())
}

fn end_faults_at(
    next: &mut ScenarioFile,
    target: &Target,
    at_ms: u64,
) -> Result<(), Vec<ScenarioError>> {
    let active = active_faults_on(next, target, at_ms);
    if active.is_empty() {
        return Err(refuse(
            "faults",
            format!(
                "nothing to restart: no fault on {} is active at {}",
                target_label(target),
                describe_duration(at_ms)
            ),
        ));
    }
    for index in active {
        next.faults[index].until_ms = Some(at_ms);
    }
    Ok(())
}

/// Undo and redo over whole scenario files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    past: Vec<ScenarioFile>,
    future: Vec<ScenarioFile>,
}

impl History {
    /// Records `previous` before a change; a new change clears what could be redone.
    pub fn record(&mut self, previous: ScenarioFile) {
        self.past.push(previous);
        if self.past.len() > HISTORY_MAX {
            self.past.remove(0);
        }
        self.future.clear();
    }

    pub fn undo(&mut self, current: ScenarioFile) -> Option<ScenarioFile> {
        let previous = self.past.pop()?;
        self.future.push(current);
        Some(previous)
    }

    pub fn redo(&mut self, current: ScenarioFile) -> Option<ScenarioFile> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::{encode_pretty, BackupFile, RegionLatencyFile};
    use crate::scenario::presets;

    const HOUR_MS: u64 = 3_600_000;

    fn preset(name: &str) -> ScenarioFile {
        presets::load_file(name).unwrap()
    }

    fn node(file: &ScenarioFile, id: &str) -> NodeFile {
        node_at(file, find_node(file, id).expect(id)).clone()
    }

    fn az_nodes(file: &ScenarioFile, az: &str) -> Vec<String> {
        let (region, position) = find_az(file, az).expect(az);
        file.regions[region].azs[position]
            .nodes
            .iter()
            .map(|node| node.id.clone())
            .collect()
    }

    fn fault(at_ms: u64, until_ms: Option<u64>, action: FaultAction) -> FaultFile {
        FaultFile {
            at_ms,
            until_ms,
            action,
        }
    }

    /// Whether the file (free text aside) still mentions `id` as a JSON string.
    fn mentions(file: &ScenarioFile, id: &str) -> bool {
        let mut bare = file.clone();
        bare.description.clear();
        bare.name = "bare".into();
        encode_pretty(&bare).contains(&format!("\"{id}\""))
    }

    fn messages(errors: &[ScenarioError]) -> String {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Refused, with a message containing `text` at `path`.
    fn assert_refused(file: &ScenarioFile, edit: Edit, path: &str, text: &str) {
        let errors = apply(file, &edit).expect_err(&format!("{edit:?} should be refused"));
        assert!(
            errors
                .iter()
                .any(|error| error.path == path && error.message.contains(text)),
            "{edit:?}: expected \"{text}\" at {path}, got:\n{}",
            messages(&errors)
        );
    }

    /// The inter-region backup preset with a reference of every kind: faults on nodes,
    /// AZs and regions, groups mixing them, a restore list, backup source and copy
    /// region, entry-point targets, a latency override and the recovery region.
    fn rich_file() -> ScenarioFile {
        let mut file = preset("inter-region-backup");
        file.faults.extend([
            fault(
                HOUR_MS,
                Some(2 * HOUR_MS),
                FaultAction::Crash {
                    node: "peer2".into(),
                },
            ),
            fault(
                HOUR_MS,
                Some(2 * HOUR_MS),
                FaultAction::ApiDown {
                    node: "api1".into(),
                },
            ),
            fault(
                3 * HOUR_MS,
                Some(4 * HOUR_MS),
                FaultAction::AzOutage {
                    az: "ap-northeast-1c".into(),
                },
            ),
            fault(
                HOUR_MS,
                Some(2 * HOUR_MS),
                FaultAction::Partition {
                    groups: vec![
                        vec!["ap-northeast-1a".into(), "peer3".into()],
                        vec!["ap-northeast-3".into()],
                    ],
                    one_way: false,
                },
            ),
            fault(
                2 * HOUR_MS,
                Some(3 * HOUR_MS),
                FaultAction::Degrade {
                    groups: vec![
                        vec!["api2".into()],
                        vec!["dr-peer1".into(), "dr-api2".into()],
                    ],
                    extra_latency_ms: 50,
                    loss_percent: 1.0,
                },
            ),
            fault(
                4 * HOUR_MS,
                Some(5 * HOUR_MS),
                FaultAction::Restore {
                    nodes: vec!["peer3".into(), "api2".into()],
                },
            ),
        ]);
        file.network.region_latencies.push(RegionLatencyFile {
            between: ["ap-northeast-1".into(), "ap-northeast-3".into()],
            latency_ms: 5,
        });
        file.plan.recovery_region = Some("ap-northeast-3".into());
        validate(&file).unwrap_or_else(|errors| panic!("{}", messages(&errors)));
        file
    }

    // --- Menus and faults -------------------------------------------------------

    #[test]
    fn a_menu_action_adds_a_valid_fault_and_an_invalid_one_is_refused() {
        let file = preset("multi-az");
        let target = Target::Node("peer2".into());
        assert!(menu_for(&file, &target)
            .iter()
            .any(|(_, kind)| *kind == "crash"));
        let crash = fault_for(&file, &target, "crash", 3_600_000, 1_800_000).unwrap();
        let edited = apply(&file, &Edit::AddFault(crash.clone())).unwrap();
        assert_eq!(edited.faults.len(), file.faults.len() + 1);
        // The same crash again overlaps the first: refused, nothing changes.
        let errors = apply(&edited, &Edit::AddFault(crash)).unwrap_err();
        assert!(errors[0].message.contains("overlaps"));
        // A PEER has no API services to take down.
        let api_down = fault_for(&file, &target, "api_down", 0, 60_000).unwrap();
        assert!(apply(&file, &Edit::AddFault(api_down)).is_err());
        assert!(fault_for(&file, &Target::Az("x".into()), "crash", 0, 1).is_none());
    }

    #[test]
    fn faults_end_with_the_run() {
        let mut file = preset("multi-az");
        file.duration_ms = 6_000_000;
        let target = Target::Region("ap-northeast-1".into());
        let fault = fault_for(&file, &target, "region_outage", 5_000_000, 9_000_000).unwrap();
        assert_eq!(fault.until_ms, Some(6_000_000));
        let late = partition_fault(
            vec![vec!["a".into()], vec!["b".into()]],
            7_000_000,
            5,
            6_000_000,
        );
        assert_eq!(late.until_ms, Some(7_000_005));
    }

    #[test]
    fn node_menus_depend_on_the_role_and_the_backup() {
        let file = preset("multi-az");
        let kinds = |file: &ScenarioFile, id: &str| -> Vec<&'static str> {
            menu_for(file, &Target::Node(id.into()))
                .into_iter()
                .map(|(_, kind)| kind)
                .collect()
        };
        assert_eq!(
            kinds(&file, "peer1"),
            ["crash", "restart", "stop", "isolate", "disk_loss", "resync"]
        );
        assert!(kinds(&file, "api1").contains(&"api_down"));
        assert!(!kinds(&file, "api1").contains(&"restore"));
        let backed_up = preset("inter-region-backup");
        assert!(kinds(&backed_up, "peer2").contains(&"restore"));
        assert!(!kinds(&backed_up, "peer2").contains(&"api_down"));
        // Every fault a node menu offers is accepted on a quiet timeline.
        let mut quiet = backed_up.clone();
        quiet.faults.clear();
        for id in ["peer2", "api1"] {
            let target = Target::Node(id.into());
            for (label, action) in menu_for(&quiet, &target) {
                let Some(edit) = menu_edit(&quiet, &target, action, HOUR_MS, HOUR_MS) else {
                    assert_eq!(action, "restart", "{label} on {id} offers nothing");
                    continue;
                };
                apply(&quiet, &edit)
                    .unwrap_or_else(|errors| panic!("{label} on {id}: {}", messages(&errors)));
            }
        }
    }

    #[test]
    fn az_and_region_menus_partition_from_the_rest_when_there_is_one() {
        let single = preset("single-az");
        let only_az = Target::Az("ap-northeast-1a".into());
        assert_eq!(menu_for(&single, &only_az), [("AZ outage", "az_outage")]);
        assert!(fault_for(&single, &only_az, "partition", 0, HOUR_MS).is_none());
        let only_region = Target::Region("ap-northeast-1".into());
        assert_eq!(
            menu_for(&single, &only_region),
            [("Region outage", "region_outage")]
        );

        let mut file = preset("active-active");
        file.faults.clear();
        let az = Target::Az("ap-northeast-1c".into());
        assert!(menu_for(&file, &az)
            .iter()
            .any(|(_, kind)| *kind == "partition"));
        let partition = fault_for(&file, &az, "partition", HOUR_MS, HOUR_MS).unwrap();
        assert_eq!(
            partition.action,
            FaultAction::Partition {
                groups: vec![
                    vec!["ap-northeast-1c".into()],
                    vec!["ap-northeast-1a".into(), "ap-southeast-1".into()]
                ],
                one_way: false
            }
        );
        let region = Target::Region("ap-southeast-1".into());
        let cut = fault_for(&file, &region, "partition", HOUR_MS, HOUR_MS).unwrap();
        assert_eq!(
            cut.action,
            FaultAction::Partition {
                groups: vec![vec!["ap-southeast-1".into()], vec!["ap-northeast-1".into()]],
                one_way: false
            }
        );
        for target in [az, region] {
            for (label, action) in menu_for(&file, &target) {
                let edit = menu_edit(&file, &target, action, HOUR_MS, HOUR_MS).unwrap();
                let edited = apply(&file, &edit)
                    .unwrap_or_else(|errors| panic!("{label}: {}", messages(&errors)));
                assert_eq!(faults_on(&edited, &target), [0], "{label}");
            }
        }
    }

    #[test]
    fn link_menus_cut_or_degrade_the_link() {
        let mut file = preset("active-active");
        file.faults.clear();
        let link = Target::Link("ap-northeast-1".into(), "ap-southeast-1".into());
        assert_eq!(target_label(&link), "link ap-northeast-1 ↔ ap-southeast-1");
        assert_eq!(
            menu_for(&file, &link),
            [
                ("Cut the link", "partition"),
                ("Degrade the link", "degrade")
            ]
        );
        let degrade = fault_for(&file, &link, "degrade", HOUR_MS, HOUR_MS).unwrap();
        assert_eq!(
            degrade.action,
            FaultAction::Degrade {
                groups: vec![vec!["ap-northeast-1".into()], vec!["ap-southeast-1".into()]],
                extra_latency_ms: 200,
                loss_percent: 5.0
            }
        );
        let edited = apply(&file, &Edit::AddFault(degrade)).unwrap();
        let cut = menu_edit(&edited, &link, "partition", HOUR_MS, HOUR_MS).unwrap();
        let edited = apply(&edited, &cut).unwrap();
        let reversed = Target::Link("ap-southeast-1".into(), "ap-northeast-1".into());
        assert_eq!(faults_on(&edited, &reversed), [0, 1]);
        assert!(fault_for(
            &file,
            &Target::Link("x".into(), "x".into()),
            "partition",
            0,
            1
        )
        .is_none());
        let nowhere = Target::Link("ap-northeast-1".into(), "mars-1".into());
        let errors = apply(
            &file,
            &menu_edit(&file, &nowhere, "partition", 0, HOUR_MS).unwrap(),
        )
        .unwrap_err();
        assert!(messages(&errors).contains("mars-1"));
    }

    #[test]
    fn the_partition_tool_splits_nodes_into_groups() {
        let file = preset("multi-az");
        let split = partition_fault(
            vec![
                vec!["peer1".into(), "api1".into()],
                vec!["peer2".into()],
                vec!["ap-northeast-1c".into()],
            ],
            HOUR_MS,
            HOUR_MS,
            file.duration_ms,
        );
        let edited = apply(&file, &Edit::AddFault(split)).unwrap();
        assert_eq!(edited.faults.len(), file.faults.len() + 1);
        let overlapping = partition_fault(
            vec![vec!["peer1".into()], vec!["ap-northeast-1a".into()]],
            0,
            HOUR_MS,
            file.duration_ms,
        );
        assert!(
            messages(&apply(&file, &Edit::AddFault(overlapping)).unwrap_err())
                .contains("one side only")
        );
        let alone = partition_fault(vec![vec!["peer1".into()]], 0, HOUR_MS, file.duration_ms);
        assert!(messages(&apply(&file, &Edit::AddFault(alone)).unwrap_err())
            .contains("at least two groups"));
    }

    #[test]
    fn restart_ends_the_faults_active_on_the_target() {
        let mut file = preset("multi-az");
        file.faults = vec![
            fault(
                HOUR_MS,
                Some(3 * HOUR_MS),
                FaultAction::Crash {
                    node: "peer1".into(),
                },
            ),
            fault(
                HOUR_MS,
                None,
                FaultAction::Isolate {
                    node: "peer1".into(),
                },
            ),
            fault(
                HOUR_MS,
                Some(3 * HOUR_MS),
                FaultAction::Crash {
                    node: "peer2".into(),
                },
            ),
            fault(
                4 * HOUR_MS,
                Some(5 * HOUR_MS),
                FaultAction::Stop {
                    node: "peer1".into(),
                },
            ),
        ];
        let target = Target::Node("peer1".into());
        let edit = menu_edit(&file, &target, "restart", 2 * HOUR_MS, HOUR_MS).unwrap();
        assert_eq!(
            edit,
            Edit::EndFaultsAt {
                target: target.clone(),
                at_ms: 2 * HOUR_MS
            }
        );
        let restarted = apply(&file, &edit).unwrap();
        let ends: Vec<Option<u64>> = restarted
            .faults
            .iter()
            .map(|fault| fault.until_ms)
            .collect();
        assert_eq!(
            ends,
            [
                Some(2 * HOUR_MS),
                Some(2 * HOUR_MS),
                Some(3 * HOUR_MS),
                Some(5 * HOUR_MS)
            ]
        );
        // Nothing active: at the very start of a fault, between faults, on another node.
        assert!(menu_edit(&file, &target, "restart", HOUR_MS, HOUR_MS).is_none());
        assert!(menu_edit(&restarted, &target, "restart", 3 * HOUR_MS, HOUR_MS).is_none());
        assert_refused(
            &restarted,
            Edit::EndFaultsAt {
                target: target.clone(),
                at_ms: 3 * HOUR_MS,
            },
            "faults",
            "nothing to restart: no fault on peer1 is active at 3h 00m 00s",
        );
        assert_refused(
            &file,
            Edit::EndFaultsAt {
                target: Target::Node("api1".into()),
                at_ms: 2 * HOUR_MS,
            },
            "faults",
            "nothing to restart",
        );
    }

    // --- Timeline ---------------------------------------------------------------

    #[test]
    fn moving_a_fault_keeps_its_length_within_the_run() {
        let mut file = preset("multi-az");
        file.faults = vec![
            fault(
                HOUR_MS,
                Some(2 * HOUR_MS),
                FaultAction::Crash {
                    node: "peer1".into(),
                },
            ),
            fault(
                HOUR_MS,
                None,
                FaultAction::Crash {
                    node: "peer2".into(),
                },
            ),
        ];
        let moved = apply(
            &file,
            &Edit::MoveFault {
                index: 0,
                at_ms: 3 * HOUR_MS,
            },
        )
        .unwrap();
        assert_eq!(
            (moved.faults[0].at_ms, moved.faults[0].until_ms),
            (3 * HOUR_MS, Some(4 * HOUR_MS))
        );
        let end = file.duration_ms;
        let late = apply(
            &file,
            &Edit::MoveFault {
                index: 0,
                at_ms: end + HOUR_MS,
            },
        )
        .unwrap();
        assert_eq!(
            (late.faults[0].at_ms, late.faults[0].until_ms),
            (end - HOUR_MS, Some(end))
        );
        let open = apply(
            &file,
            &Edit::MoveFault {
                index: 1,
                at_ms: u64::MAX,
            },
        )
        .unwrap();
        assert_eq!((open.faults[1].at_ms, open.faults[1].until_ms), (end, None));
        assert_refused(
            &file,
            Edit::MoveFault { index: 2, at_ms: 0 },
            "faults[2]",
            "no such fault",
        );
        // Moved onto another fault on the same node: refused by validation.
        file.faults.push(fault(
            4 * HOUR_MS,
            Some(5 * HOUR_MS),
            FaultAction::Stop {
                node: "peer1".into(),
            },
        ));
        assert_refused(
            &file,
            Edit::MoveFault {
                index: 0,
                at_ms: 4 * HOUR_MS,
            },
            "faults[2]",
            "overlaps",
        );
    }

    #[test]
    fn resizing_a_fault_clamps_and_refuses_no_length() {
        let mut file = preset("multi-az");
        file.faults = vec![fault(
            HOUR_MS,
            Some(2 * HOUR_MS),
            FaultAction::Crash {
                node: "peer1".into(),
            },
        )];
        let end = file.duration_ms;
        let longer = apply(
            &file,
            &Edit::ResizeFault {
                index: 0,
                at_ms: 0,
                until_ms: Some(end * 2),
            },
        )
        .unwrap();
        assert_eq!(
            (longer.faults[0].at_ms, longer.faults[0].until_ms),
            (0, Some(end))
        );
        let open = apply(
            &file,
            &Edit::ResizeFault {
                index: 0,
                at_ms: HOUR_MS,
                until_ms: None,
            },
        )
        .unwrap();
        assert_eq!(open.faults[0].until_ms, None);
        assert_refused(
            &file,
            Edit::ResizeFault {
                index: 0,
                at_ms: HOUR_MS,
                until_ms: Some(HOUR_MS),
            },
            "faults[0].until",
            "must end after it starts",
        );
        assert_refused(
            &file,
            Edit::ResizeFault {
                index: 0,
                at_ms: 2 * HOUR_MS,
                until_ms: Some(HOUR_MS),
            },
            "faults[0].until",
            "must end after it starts",
        );
        assert_refused(
            &file,
            Edit::ResizeFault {
                index: 0,
                at_ms: end + 5,
                until_ms: Some(end + 10),
            },
            "faults[0].until",
            "must end after it starts",
        );
        assert_refused(
            &file,
            Edit::ResizeFault {
                index: 1,
                at_ms: 0,
                until_ms: None,
            },
            "faults[1]",
            "no such fault",
        );
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let first = preset("multi-az");
        let second = apply(&first, &Edit::RemoveFault(0)).unwrap();
        let mut history = History::default();
        history.record(first.clone());
        assert!(history.can_undo() && !history.can_redo());
        let undone = history.undo(second.clone()).unwrap();
        assert_eq!(undone, first);
        let redone = history.redo(undone).unwrap();
        assert_eq!(redone, second);
        assert!(history.undo(redone).is_some());
        assert!(history.undo(first.clone()).is_none());
        assert!(apply(&first, &Edit::RemoveFault(9)).is_err());
    }

    #[test]
    fn too_many_faults_are_refused_like_a_file_would_be() {
        let mut file = preset("multi-az");
        file.faults = (0..limits::FAULTS_MAX as u64)
            .map(|index| {
                fault(
                    index * 10_000,
                    Some(index * 10_000 + 5_000),
                    FaultAction::Crash {
                        node: "peer1".into(),
                    },
                )
            })
            .collect();
        apply(&file, &Edit::RemoveFault(0)).unwrap();
        let one_more = fault(
            5 * HOUR_MS,
            Some(6 * HOUR_MS),
            FaultAction::Crash {
                node: "peer2".into(),
            },
        );
        assert_refused(
            &file,
            Edit::AddFault(one_more),
            "faults",
            "over the limit of 200",
        );
    }

    // --- Adding, moving, duplicating --------------------------------------------

    #[test]
    fn added_nodes_get_fresh_ids_and_their_role_defaults() {
        let file = preset("multi-az");
        let mut edited = file.clone();
        for role in [Role::Peer, Role::Api, Role::Dual, Role::Peer] {
            edited = apply(
                &edited,
                &Edit::AddNode {
                    az: "ap-northeast-1c".into(),
                    role,
                },
            )
            .unwrap();
        }
        assert_eq!(
            added_ids(&file, &edited),
            ["peer4", "api3", "dual1", "peer5"]
        );
        assert_eq!(
            az_nodes(&edited, "ap-northeast-1c"),
            ["peer3", "api2", "peer4", "api3", "dual1", "peer5"]
        );
        assert_eq!(node(&edited, "peer4"), NodeFile::new("peer4", Role::Peer));
        assert_eq!(
            (node(&edited, "api3").stake, node(&edited, "dual1").stake),
            (0, 1)
        );
        assert!(!node(&edited, "dual1").voting);
        assert_refused(
            &file,
            Edit::AddNode {
                az: "nowhere".into(),
                role: Role::Peer,
            },
            "regions",
            "no availability zone \"nowhere\"",
        );
        // Ids are never reused, even by another kind or the recovery region.
        let mut crowded = file.clone();
        crowded.faults.clear();
        crowded.regions[0].azs[0].id = "peer4".into();
        crowded.plan.recovery_region = Some("peer5".into());
        let grown = apply(
            &crowded,
            &Edit::AddNode {
                az: "ap-northeast-1c".into(),
                role: Role::Peer,
            },
        )
        .unwrap();
        assert_eq!(added_ids(&crowded, &grown), ["peer6"]);
    }

    #[test]
    fn fresh_ids_skip_everything_taken() {
        let taken: BTreeSet<String> = ["peer1", "peer2", "peer7", "dr-peer9", "peerx", "api1"]
            .map(String::from)
            .into();
        assert_eq!(fresh_id(&taken, "peer"), "peer8");
        assert_eq!(fresh_id(&taken, "dual"), "dual1");
        let huge: BTreeSet<String> = [format!("peer{}", u64::MAX), "peer1".into()].into();
        assert_eq!(fresh_id(&huge, "peer"), "peer2");
        let taken: BTreeSet<String> = ["ra".to_string(), "rb".into()].into();
        assert_eq!(fresh_az_id(&taken, "r"), "rc");
        let long = "x".repeat(limits::ID_CHARS_MAX);
        assert_eq!(fresh_az_id(&taken, &long), "az1");
    }

    #[test]
    fn nodes_cannot_be_added_past_the_limit() {
        let file = presets::large_network(limits::NODES_MAX, HOUR_MS);
        let az = file.regions[0].azs[0].id.clone();
        assert_refused(
            &file,
            Edit::AddNode {
                az: az.clone(),
                role: Role::Peer,
            },
            "regions",
            "over the limit of 300",
        );
        assert_refused(
            &file,
            Edit::DuplicateNodes {
                nodes: vec!["peer1".into()],
            },
            "regions",
            "over the limit of 300",
        );
        assert_refused(
            &file,
            Edit::AddAz {
                region: file.regions[0].id.clone(),
            },
            "regions",
            "over the limit of 300",
        );
        assert_refused(&file, Edit::AddRegion, "regions", "over the limit of 300");
    }

    #[test]
    fn nodes_move_to_the_end_of_another_az() {
        let file = preset("multi-az");
        let moved = apply(
            &file,
            &Edit::MoveNodes {
                nodes: vec!["api1".into(), "peer1".into()],
                to_az: "ap-northeast-1c".into(),
            },
        )
        .unwrap();
        assert_eq!(az_nodes(&moved, "ap-northeast-1a"), ["peer2"]);
        assert_eq!(
            az_nodes(&moved, "ap-northeast-1c"),
            ["peer3", "api2", "peer1", "api1"]
        );
        let within = apply(
            &file,
            &Edit::MoveNodes {
                nodes: vec!["peer3".into()],
                to_az: "ap-northeast-1c".into(),
            },
        )
        .unwrap();
        assert_eq!(az_nodes(&within, "ap-northeast-1c"), ["api2", "peer3"]);
        assert_refused(
            &file,
            Edit::MoveNodes {
                nodes: vec!["peer3".into(), "api2".into()],
                to_az: "ap-northeast-1a".into(),
            },
            "regions[0].azs[1].nodes",
            "without nodes",
        );
        assert_refused(
            &file,
            Edit::MoveNodes {
                nodes: vec![],
                to_az: "ap-northeast-1a".into(),
            },
            "regions",
            "select at least one node",
        );
        assert_refused(
            &file,
            Edit::MoveNodes {
                nodes: vec!["ghost".into()],
                to_az: "ap-northeast-1a".into(),
            },
            "regions",
            "no node \"ghost\"",
        );
        assert_refused(
            &file,
            Edit::MoveNodes {
                nodes: vec!["peer1".into()],
                to_az: "ghost".into(),
            },
            "regions",
            "no availability zone \"ghost\"",
        );
    }

    #[test]
    fn duplicates_follow_their_originals_with_fresh_ids() {
        let file = preset("inter-region-backup");
        let copied = apply(
            &file,
            &Edit::DuplicateNodes {
                nodes: vec!["dr-api1".into(), "peer1".into(), "peer2".into()],
            },
        )
        .unwrap();
        assert_eq!(
            az_nodes(&copied, "ap-northeast-1a"),
            ["peer1", "peer4", "peer2", "peer5", "api1"]
        );
        assert_eq!(
            az_nodes(&copied, "ap-northeast-3a"),
            ["dr-peer1", "dr-peer2", "dr-api1", "api3"]
        );
        let copy = node(&copied, "api3");
        assert_eq!(
            copy,
            NodeFile {
                id: "api3".into(),
                ..node(&file, "dr-api1")
            }
        );
        assert!(copy.standby && copy.voting);
        assert_eq!(copied.faults, file.faults);
        assert_eq!(copied.clients, file.clients);
        assert_refused(
            &file,
            Edit::DuplicateNodes {
                nodes: vec!["ghost".into()],
            },
            "regions",
            "no node \"ghost\"",
        );
        assert_refused(
            &file,
            Edit::DuplicateNodes { nodes: vec![] },
            "regions",
            "select at least one node",
        );
    }

    #[test]
    fn azs_and_regions_are_added_with_one_peer() {
        let file = preset("multi-az");
        let with_az = apply(
            &file,
            &Edit::AddAz {
                region: "ap-northeast-1".into(),
            },
        )
        .unwrap();
        assert_eq!(added_ids(&file, &with_az), ["ap-northeast-1b", "peer4"]);
        let with_region = apply(&with_az, &Edit::AddRegion).unwrap();
        assert_eq!(
            added_ids(&with_az, &with_region),
            ["ap-northeast-3", "ap-northeast-3a", "peer5"]
        );
        assert_refused(
            &file,
            Edit::AddAz {
                region: "ghost".into(),
            },
            "regions",
            "no region \"ghost\"",
        );

        let mut full = file.clone();
        while full.regions[0].azs.len() < limits::AZS_PER_REGION_MAX {
            full = apply(
                &full,
                &Edit::AddAz {
                    region: "ap-northeast-1".into(),
                },
            )
            .unwrap();
        }
        assert_refused(
            &full,
            Edit::AddAz {
                region: "ap-northeast-1".into(),
            },
            "regions[0].azs",
            "already has 8",
        );
        let mut many = file.clone();
        while many.regions.len() < limits::REGIONS_MAX {
            many = apply(&many, &Edit::AddRegion).unwrap();
        }
        let ids: Vec<&str> = many
            .regions
            .iter()
            .map(|region| region.id.as_str())
            .collect();
        assert_eq!(
            &ids[..3],
            ["ap-northeast-1", "ap-northeast-3", "ap-southeast-1"]
        );
        assert_eq!(ids[8], "region1");
        assert_refused(&many, Edit::AddRegion, "regions", "already has 16 regions");
    }

    #[test]
    fn a_blank_scenario_grows_into_a_topology() {
        let blank = presets::blank();
        let mut file = apply(&blank, &Edit::AddRegion).unwrap();
        file = apply(
            &file,
            &Edit::AddAz {
                region: "ap-northeast-1".into(),
            },
        )
        .unwrap();
        file = apply(
            &file,
            &Edit::AddNode {
                az: "ap-northeast-1a".into(),
                role: Role::Dual,
            },
        )
        .unwrap();
        assert_eq!(
            added_ids(&blank, &file),
            [
                "dual1",
                "ap-northeast-1b",
                "peer3",
                "ap-northeast-3",
                "ap-northeast-3a",
                "peer2"
            ]
        );
        validate(&file).unwrap();
    }

    // --- Renames ----------------------------------------------------------------

    #[test]
    fn renaming_a_node_rewrites_every_reference() {
        let file = rich_file();
        for id in ["peer1", "peer3", "api1", "api2", "dr-peer1", "dr-api2"] {
            let to = format!("renamed-{id}");
            let renamed = apply(
                &file,
                &Edit::RenameNode {
                    from: id.into(),
                    to: to.clone(),
                },
            )
            .unwrap_or_else(|errors| panic!("{id}: {}", messages(&errors)));
            assert!(
                mentions(&file, id) && !mentions(&renamed, id),
                "{id} still referenced"
            );
            assert!(mentions(&renamed, &to));
            assert_eq!(renamed.faults.len(), file.faults.len());
        }
        let renamed = apply(
            &file,
            &Edit::RenameNode {
                from: "peer1".into(),
                to: "  vault  ".into(),
            },
        )
        .unwrap();
        assert_eq!(renamed.backup.as_ref().unwrap().source, "vault");
        assert_eq!(
            apply(
                &file,
                &Edit::RenameNode {
                    from: "peer1".into(),
                    to: "peer1".into()
                }
            )
            .unwrap(),
            file
        );
    }

    #[test]
    fn renames_refuse_bad_or_taken_ids() {
        let file = preset("multi-az");
        assert_refused(
            &file,
            Edit::RenameNode { from: "peer2".into(), to: "peer1".into() },
            "regions[0].azs[0].nodes[1].id",
            "\"peer1\" is already used by another node (regions[0].azs[0].nodes[0]): ids of regions, AZs and nodes must all differ; pick another name",
        );
        assert_refused(
            &file,
            Edit::RenameNode {
                from: "peer2".into(),
                to: "ap-northeast-1c".into(),
            },
            "regions[0].azs[0].nodes[1].id",
            "already used by another availability zone",
        );
        assert_refused(
            &file,
            Edit::RenameAz {
                from: "ap-northeast-1c".into(),
                to: "ap-northeast-1".into(),
            },
            "regions[0].azs[1].id",
            "already used by another region",
        );
        assert_refused(
            &file,
            Edit::RenameRegion {
                from: "ap-northeast-1".into(),
                to: " ".into(),
            },
            "regions[0].id",
            "empty id",
        );
        assert_refused(
            &file,
            Edit::RenameNode {
                from: "peer2".into(),
                to: "peer\n2".into(),
            },
            "regions[0].azs[0].nodes[1].id",
            "control characters",
        );
        assert_refused(
            &file,
            Edit::RenameAz {
                from: "ap-northeast-1a".into(),
                to: "z".repeat(65),
            },
            "regions[0].azs[0].id",
            "longer than 64",
        );
        assert_refused(
            &file,
            Edit::RenameNode {
                from: "ghost".into(),
                to: "spirit".into(),
            },
            "regions",
            "no node \"ghost\"",
        );
        assert_refused(
            &file,
            Edit::RenameAz {
                from: "peer1".into(),
                to: "spirit".into(),
            },
            "regions",
            "no availability zone \"peer1\"",
        );
        assert_refused(
            &file,
            Edit::RenameRegion {
                from: "peer1".into(),
                to: "spirit".into(),
            },
            "regions",
            "no region \"peer1\"",
        );
        // The planner's recovery region is not drawn here but still taken by it.
        let mut planned = file.clone();
        planned.plan.recovery_region = Some("osaka".into());
        assert_refused(
            &planned,
            Edit::RenameNode {
                from: "peer2".into(),
                to: "osaka".into(),
            },
            "plan.recovery_region",
            "is the id of an availability zone or node",
        );
    }

    #[test]
    fn renaming_azs_and_regions_rewrites_every_reference() {
        let file = rich_file();
        let renamed = apply(
            &file,
            &Edit::RenameRegion {
                from: "ap-northeast-3".into(),
                to: "osaka".into(),
            },
        )
        .unwrap();
        assert!(!mentions(&renamed, "ap-northeast-3"));
        assert_eq!(
            renamed.backup.as_ref().unwrap().copy_to_region.as_deref(),
            Some("osaka")
        );
        assert_eq!(renamed.plan.recovery_region.as_deref(), Some("osaka"));
        assert_eq!(
            renamed.network.region_latencies[0].between,
            ["ap-northeast-1".to_string(), "osaka".into()]
        );
        let renamed = apply(
            &renamed,
            &Edit::RenameRegion {
                from: "ap-northeast-1".into(),
                to: "tokyo".into(),
            },
        )
        .unwrap();
        assert!(!mentions(&renamed, "ap-northeast-1"));
        assert_eq!(
            renamed.faults[0].action,
            FaultAction::RegionOutage {
                region: "tokyo".into()
            }
        );
        for az in ["ap-northeast-1a", "ap-northeast-1c"] {
            let renamed = apply(
                &file,
                &Edit::RenameAz {
                    from: az.into(),
                    to: "zone".into(),
                },
            )
            .unwrap();
            assert!(mentions(&file, az) && !mentions(&renamed, az), "{az}");
        }
    }

    #[test]
    fn renaming_every_id_of_every_preset_leaves_no_dangling_reference() {
        for preset in &presets::PRESETS {
            let original = presets::load_file(preset.name).unwrap();
            let mut file = original.clone();
            let ids = topology_ids_in_order(&original);
            for id in &ids {
                let to = format!("x-{id}");
                let edit = match find_id(&file, id).unwrap().0 {
                    IdKind::Node => Edit::RenameNode {
                        from: id.clone(),
                        to,
                    },
                    IdKind::Az => Edit::RenameAz {
                        from: id.clone(),
                        to,
                    },
                    IdKind::Region => Edit::RenameRegion {
                        from: id.clone(),
                        to,
                    },
                };
                file = apply(&file, &edit).unwrap_or_else(|errors| {
                    panic!("{}: {id}: {}", preset.name, messages(&errors))
                });
            }
            for id in &ids {
                assert!(
                    !mentions(&file, id),
                    "{}: \"{id}\" is still referenced",
                    preset.name
                );
                assert!(mentions(&file, &format!("x-{id}")));
            }
            assert_eq!(file.faults.len(), original.faults.len());
            assert_eq!(
                file.clients.entry_point.targets.len(),
                original.clients.entry_point.targets.len()
            );
        }
    }

    // --- Deletions --------------------------------------------------------------

    #[test]
    fn deleting_nodes_prunes_their_references() {
        let file = rich_file();
        let deleted = apply(
            &file,
            &Edit::DeleteNodes {
                nodes: vec!["peer3".into(), "peer2".into(), "dr-api2".into()],
            },
        )
        .unwrap();
        for id in ["peer2", "peer3", "dr-api2"] {
            assert!(!mentions(&deleted, id), "{id}");
        }
        let kinds: Vec<&str> = deleted
            .faults
            .iter()
            .map(|fault| fault.action.kind())
            .collect();
        // The crash of peer2 goes; the partition keeps its AZ; the degrade keeps dr-peer1.
        assert_eq!(
            kinds,
            [
                "region_outage",
                "restore",
                "api_down",
                "az_outage",
                "partition",
                "degrade",
                "restore"
            ]
        );
        assert_eq!(
            deleted.faults[1].action,
            FaultAction::Restore {
                nodes: vec![
                    "dr-peer1".into(),
                    "dr-peer2".into(),
                    "dr-peer3".into(),
                    "dr-api1".into()
                ]
            }
        );
        assert_eq!(
            deleted.faults[6].action,
            FaultAction::Restore {
                nodes: vec!["api2".into()]
            }
        );
        assert_eq!(
            deleted.clients.entry_point.targets,
            ["api1", "api2", "dr-api1"]
        );
        // A group left empty takes its fault with it.
        let deleted = apply(
            &file,
            &Edit::DeleteNodes {
                nodes: vec!["api2".into()],
            },
        )
        .unwrap();
        assert!(!deleted
            .faults
            .iter()
            .any(|fault| fault.action.kind() == "degrade"));
        assert!(!mentions(&deleted, "api2"));
    }

    #[test]
    fn deleting_nodes_refuses_what_needs_a_decision_first() {
        let file = rich_file();
        // A clone whose source is deleted keeps running, with keys of its own.
        let orphaned = apply(
            &file,
            &Edit::DeleteNodes {
                nodes: vec!["peer2".into()],
            },
        )
        .unwrap_or_else(|errors| panic!("{}", messages(&errors)));
        assert_eq!(node(&orphaned, "dr-peer2").clone_of, None);
        assert_eq!(
            node(&orphaned, "dr-peer1").clone_of.as_deref(),
            Some("peer1")
        );
        let renamed = apply(
            &file,
            &Edit::RenameNode {
                from: "peer2".into(),
                to: "tokyo-peer2".into(),
            },
        )
        .unwrap();
        assert_eq!(
            node(&renamed, "dr-peer2").clone_of.as_deref(),
            Some("tokyo-peer2")
        );
        assert_refused(
            &file,
            Edit::DeleteNodes {
                nodes: vec!["peer1".into()],
            },
            "backup.source",
            "\"peer1\" is the backup source",
        );
        let mut direct = preset("multi-az");
        direct.clients.entry_point.targets = vec!["api1".into()];
        assert_refused(
            &direct,
            Edit::DeleteNodes {
                nodes: vec!["api1".into()],
            },
            "clients.entry_point.targets",
            "every entry-point target (api1)",
        );
        assert_refused(
            &direct,
            Edit::DeleteNodes {
                nodes: vec!["peer3".into(), "api2".into()],
            },
            "regions[0].azs[1].nodes",
            "without nodes: keep one of its nodes, or delete the zone instead",
        );
        let all = topology_ids_in_order(&direct)
            .into_iter()
            .filter(|id| find_node(&direct, id).is_some())
            .collect();
        assert_refused(
            &direct,
            Edit::DeleteNodes { nodes: all },
            "regions",
            "delete every node",
        );
        assert_refused(
            &direct,
            Edit::DeleteNodes {
                nodes: vec!["ghost".into()],
            },
            "regions",
            "no node \"ghost\"",
        );
        assert_refused(
            &direct,
            Edit::DeleteNodes { nodes: vec![] },
            "regions",
            "select at least one node",
        );
        // The last harvester or voter goes only through validation's own refusal.
        let mut single = preset("single-az");
        single.regions[0].azs[0]
            .nodes
            .retain(|node| node.id != "peer2" && node.id != "peer3");
        single.faults.clear();
        assert_refused(
            &single,
            Edit::DeleteNodes {
                nodes: vec!["peer1".into()],
            },
            "regions",
            "nothing can harvest",
        );
    }

    #[test]
    fn deleting_azs_and_regions_prunes_their_references() {
        let file = rich_file();
        let deleted = apply(
            &file,
            &Edit::DeleteAz {
                az: "ap-northeast-1c".into(),
            },
        )
        .unwrap();
        for id in ["ap-northeast-1c", "peer3", "api2"] {
            assert!(!mentions(&deleted, id), "{id}");
        }
        assert!(!deleted
            .faults
            .iter()
            .any(|fault| fault.action.kind() == "az_outage"));
        let mut no_copy = file.clone();
        no_copy.backup.as_mut().unwrap().copy_to_region = None;
        no_copy
            .faults
            .retain(|fault| fault.action.kind() != "restore");
        no_copy.backup = Some(BackupFile::with_source("peer1".into()));
        let deleted = apply(
            &no_copy,
            &Edit::DeleteRegion {
                region: "ap-northeast-3".into(),
            },
        )
        .unwrap();
        assert!(deleted.network.region_latencies.is_empty());
        assert!(!deleted
            .faults
            .iter()
            .any(|fault| fault.action.kind() == "partition"));
        for id in ["ap-northeast-3a", "dr-peer1", "dr-api2"] {
            assert!(!mentions(&deleted, id), "{id}");
        }
        // The planner's recovery region may name a region that is not drawn: kept.
        assert_eq!(
            deleted.plan.recovery_region.as_deref(),
            Some("ap-northeast-3")
        );
    }

    #[test]
    fn deleting_azs_and_regions_refuses_what_needs_a_decision_first() {
        let file = rich_file();
        assert_refused(
            &file,
            Edit::DeleteRegion {
                region: "ap-northeast-3".into(),
            },
            "backup.copy_to_region",
            "copied to \"ap-northeast-3\"",
        );
        assert_refused(
            &file,
            Edit::DeleteRegion {
                region: "ap-northeast-1".into(),
            },
            "backup.source",
            "backup source",
        );
        assert_refused(
            &file,
            Edit::DeleteAz {
                az: "ap-northeast-1a".into(),
            },
            "backup.source",
            "backup source",
        );
        let single = preset("single-az");
        assert_refused(
            &single,
            Edit::DeleteAz {
                az: "ap-northeast-1a".into(),
            },
            "regions[0].azs[0]",
            "the only availability zone: a scenario needs at least one",
        );
        assert_refused(
            &single,
            Edit::DeleteRegion {
                region: "ap-northeast-1".into(),
            },
            "regions[0]",
            "the only region",
        );
        let grown = apply(&single, &Edit::AddRegion).unwrap();
        assert_refused(
            &grown,
            Edit::DeleteAz {
                az: "ap-northeast-3a".into(),
            },
            "regions[1].azs[0]",
            "delete the region instead",
        );
        assert_refused(
            &file,
            Edit::DeleteAz { az: "ghost".into() },
            "regions",
            "no availability zone \"ghost\"",
        );
        assert_refused(
            &file,
            Edit::DeleteRegion {
                region: "ghost".into(),
            },
            "regions",
            "no region \"ghost\"",
        );
    }

    #[test]
    fn deleting_anything_in_any_preset_leaves_no_dangling_reference() {
        for preset in &presets::PRESETS {
            let file = presets::load_file(preset.name).unwrap();
            let mut deleted_count = 0;
            for id in topology_ids_in_order(&file) {
                let (kind, _) = find_id(&file, &id).unwrap();
                let mut removed = vec![id.clone()];
                let edit = match kind {
                    IdKind::Node => Edit::DeleteNodes {
                        nodes: vec![id.clone()],
                    },
                    IdKind::Az => {
                        removed.extend(az_nodes(&file, &id));
                        Edit::DeleteAz { az: id.clone() }
                    }
                    IdKind::Region => {
                        let region = &file.regions[find_region(&file, &id).unwrap()];
                        removed.extend(topology_ids_in_order(&ScenarioFile {
                            regions: vec![region.clone()],
                            ..file.clone()
                        }));
                        Edit::DeleteRegion { region: id.clone() }
                    }
                };
                match apply(&file, &edit) {
                    Ok(next) => {
                        deleted_count += 1;
                        for gone in &removed {
                            assert!(
                                !mentions(&next, gone),
                                "{}: {edit:?} leaves \"{gone}\"",
                                preset.name
                            );
                        }
                    }
                    Err(errors) => assert!(errors.iter().all(|error| !error.message.is_empty())),
                }
            }
            assert!(
                deleted_count >= 3,
                "{}: only {deleted_count} deletions succeeded",
                preset.name
            );
        }
    }

    // --- Node properties --------------------------------------------------------

    #[test]
    fn node_roles_carry_sensible_stakes() {
        let file = preset("multi-az");
        let dual = apply(
            &file,
            &Edit::SetNodeRole {
                node: "api1".into(),
                role: Role::Dual,
            },
        )
        .unwrap();
        assert_eq!(
            (node(&dual, "api1").role, node(&dual, "api1").stake),
            (Role::Dual, 1)
        );
        let api = apply(
            &file,
            &Edit::SetNodeRole {
                node: "peer1".into(),
                role: Role::Api,
            },
        )
        .unwrap();
        assert_eq!(node(&api, "peer1").stake, 0);
        let mut staked = file.clone();
        staked.regions[0].azs[0].nodes[0].stake = 7;
        let dual = apply(
            &staked,
            &Edit::SetNodeRole {
                node: "peer1".into(),
                role: Role::Dual,
            },
        )
        .unwrap();
        assert_eq!(node(&dual, "peer1").stake, 7);
        assert_refused(
            &file,
            Edit::SetNodeRole {
                node: "api1".into(),
                role: Role::Peer,
            },
            "clients.entry_point.targets[0]",
            "is a PEER node",
        );
        let mut api_down = file.clone();
        api_down.faults = vec![fault(
            0,
            Some(HOUR_MS),
            FaultAction::ApiDown {
                node: "api1".into(),
            },
        )];
        api_down.clients.entry_point.targets = vec!["api2".into()];
        assert_refused(
            &api_down,
            Edit::SetNodeRole {
                node: "api1".into(),
                role: Role::Peer,
            },
            "faults[0].node",
            "runs no API services",
        );
        assert_refused(
            &file,
            Edit::SetNodeRole {
                node: "ghost".into(),
                role: Role::Peer,
            },
            "regions",
            "no node \"ghost\"",
        );
    }

    #[test]
    fn voting_stake_balance_and_standby_are_set_and_checked() {
        let file = preset("multi-az");
        let voting = apply(
            &file,
            &Edit::SetNodeVoting {
                node: "peer1".into(),
                voting: true,
            },
        )
        .unwrap();
        assert_eq!(
            (
                node(&voting, "peer1").voting,
                node(&voting, "peer1").voting_balance
            ),
            (true, 1)
        );
        let off = apply(
            &voting,
            &Edit::SetNodeVoting {
                node: "peer1".into(),
                voting: false,
            },
        )
        .unwrap();
        assert!(!node(&off, "peer1").voting);
        let balance = apply(
            &voting,
            &Edit::SetNodeVotingBalance {
                node: "peer1".into(),
                voting_balance: 5,
            },
        )
        .unwrap();
        assert_eq!(node(&balance, "peer1").voting_balance, 5);
        assert_refused(
            &voting,
            Edit::SetNodeVotingBalance {
                node: "peer1".into(),
                voting_balance: 0,
            },
            "regions[0].azs[0].nodes[0].voting_balance",
            "above 0",
        );
        let stake = apply(
            &file,
            &Edit::SetNodeStake {
                node: "peer2".into(),
                stake: 9,
            },
        )
        .unwrap();
        assert_eq!(node(&stake, "peer2").stake, 9);
        assert_refused(
            &file,
            Edit::SetNodeStake {
                node: "api1".into(),
                stake: 1,
            },
            "regions[0].azs[0].nodes[2].stake",
            "API nodes cannot harvest",
        );
        assert_refused(
            &file,
            Edit::SetNodeStake {
                node: "peer1".into(),
                stake: 2_000_000_000_000,
            },
            "regions[0].azs[0].nodes[0].stake",
            "out of range",
        );
        let standby = apply(
            &file,
            &Edit::SetNodeStandby {
                node: "peer3".into(),
                standby: true,
            },
        )
        .unwrap();
        assert!(node(&standby, "peer3").standby);
        // The last voter cannot stop voting while finalization is on.
        let finality = preset("active-active");
        let mut one_voter = finality.clone();
        for node in one_voter
            .regions
            .iter_mut()
            .flat_map(|region| &mut region.azs)
            .flat_map(|az| &mut az.nodes)
        {
            node.voting = node.id == "tokyo-peer1";
        }
        assert_refused(
            &one_voter,
            Edit::SetNodeVoting {
                node: "tokyo-peer1".into(),
                voting: false,
            },
            "chain.finalization.enabled",
            "needs at least one voting node",
        );
        assert_refused(
            &file,
            Edit::SetNodeVoting {
                node: "ghost".into(),
                voting: true,
            },
            "regions",
            "no node",
        );
    }

    // --- Parameters -------------------------------------------------------------

    #[test]
    fn parameters_list_what_the_inspector_needs_and_read_back_unchanged() {
        let file = preset("active-active");
        let views = chain_parameters(&file);
        for name in [
            "block_time",
            "max_rollback_blocks",
            "difficulty_window_blocks",
            "smoothing_factor",
            "sync_interval",
            "max_blocks_per_sync",
            "max_connections",
            "transaction_lifetime",
            "finalization.enabled",
            "finalization.threshold_percent",
            "finalization.step_duration",
            "finalization.voting_set_grouping_blocks",
            "intra_az_latency_ms",
            "inter_az_latency_ms",
            "default_inter_region_latency_ms",
            "loss_percent",
            "seed",
            "duration",
        ] {
            assert!(views.iter().any(|view| view.name == name), "{name} missing");
        }
        let names: BTreeSet<&str> = views.iter().map(|view| view.name).collect();
        assert_eq!(names.len(), views.len(), "duplicate names");
        let text = |name: &str| {
            views
                .iter()
                .find(|view| view.name == name)
                .unwrap()
                .value_text
                .clone()
        };
        assert_eq!(text("block_time"), "15s");
        assert_eq!(text("max_rollback_blocks"), "0");
        assert_eq!(text("finalization.enabled"), "true");
        assert_eq!(text("finalization.threshold_percent"), "67");
        assert_eq!(text("duration"), "6h");
        for view in &views {
            let same = apply(
                &file,
                &Edit::SetChainParameter {
                    name: view.name.into(),
                    value: view.value_text.clone(),
                },
            )
            .unwrap_or_else(|errors| panic!("{}: {}", view.name, messages(&errors)));
            assert_eq!(same, file, "{} does not read back", view.name);
            assert!(!view.label.is_empty());
        }
    }

    #[test]
    fn parameters_are_set_from_text() {
        let file = preset("multi-az");
        let set = |file: &ScenarioFile, name: &str, value: &str| {
            apply(
                file,
                &Edit::SetChainParameter {
                    name: name.into(),
                    value: value.into(),
                },
            )
            .unwrap_or_else(|errors| panic!("{name}={value}: {}", messages(&errors)))
        };
        assert_eq!(set(&file, "block_time", "30s").chain.block_time_ms, 30_000);
        assert_eq!(set(&file, "block_time", " 1m ").chain.block_time_ms, 60_000);
        assert_eq!(
            set(&file, "max_rollback_blocks", "360")
                .chain
                .max_rollback_blocks,
            360
        );
        assert_eq!(
            set(&file, "max_rollback_blocks", "360 blocks")
                .chain
                .max_rollback_blocks,
            360
        );
        assert_eq!(
            set(&file, "smoothing_factor", "2.5").chain.smoothing_factor,
            2.5
        );
        assert_eq!(
            set(&file, "intra_az_latency_ms", "3ms")
                .network
                .intra_az_latency_ms,
            3
        );
        assert_eq!(
            set(&file, "loss_percent", "1.5 %").network.loss_percent,
            1.5
        );
        assert_eq!(set(&file, "seed", "18446744073709551615").seed, u64::MAX);
        assert_eq!(set(&file, "duration", "2d").duration_ms, 2 * 86_400_000);
        assert!(set(&file, "harvest_gating", "on").chain.harvest_gating);
        let voters = set(&file, "finalization.enabled", "false");
        assert!(!voters.chain.finalization.enabled);
        assert_eq!(
            set(&file, "finalization.step_duration", "90s")
                .chain
                .finalization
                .step_duration_ms,
            90_000
        );
        assert_eq!(
            set(&file, "transactions_per_second", "2")
                .clients
                .transactions_per_second,
            2.0
        );
    }

    #[test]
    fn bad_parameter_text_is_refused_with_its_path() {
        let file = preset("multi-az");
        let refused = |name: &str, value: &str, path: &str, text: &str| {
            assert_refused(
                &file,
                Edit::SetChainParameter {
                    name: name.into(),
                    value: value.into(),
                },
                path,
                text,
            )
        };
        refused("block_time", "1..2s", "chain.block_time", "not a duration");
        refused("block_time", "fast", "chain.block_time", "unknown unit");
        refused("block_time", "5y", "chain.block_time", "unknown unit");
        refused("block_time", "-3s", "chain.block_time", "negative");
        refused(
            "block_time",
            "500ms",
            "chain.block_time",
            "out of range: use a duration from 1s to 10m",
        );
        refused(
            "max_rollback_blocks",
            "forty",
            "chain.max_rollback_blocks",
            "not a whole number",
        );
        refused(
            "max_rollback_blocks",
            "4.5",
            "chain.max_rollback_blocks",
            "not a whole number",
        );
        refused(
            "max_rollback_blocks",
            "10001",
            "chain.max_rollback_blocks",
            "out of range: use a whole number from 0 to 10000",
        );
        refused(
            "smoothing_factor",
            "NaN",
            "chain.smoothing_factor",
            "out of range",
        );
        refused(
            "loss_percent",
            "101",
            "network.loss_percent",
            "out of range: use a number from 0 to 100",
        );
        refused(
            "finalization.enabled",
            "maybe",
            "chain.finalization.enabled",
            "not true or false",
        );
        refused(
            "nonsense",
            "1",
            "chain",
            "unknown parameter \"nonsense\": use one of seed, duration, block_time",
        );
        // In range, but invalid with the rest of the scenario.
        refused(
            "max_rollback_blocks",
            "0",
            "chain.max_rollback_blocks",
            "bounded by finalization, which is off",
        );
        let mut no_voters = file.clone();
        for node in no_voters
            .regions
            .iter_mut()
            .flat_map(|region| &mut region.azs)
            .flat_map(|az| &mut az.nodes)
        {
            node.voting = false;
        }
        assert_refused(
            &no_voters,
            Edit::SetChainParameter {
                name: "finalization.enabled".into(),
                value: "true".into(),
            },
            "chain.finalization.enabled",
            "needs at least one voting node",
        );
        refused(
            "duration",
            "1h",
            "faults[0].at",
            "move it earlier or lengthen",
        );
    }

    #[test]
    fn assumptions_read_in_human_units_with_their_sources() {
        let file = preset("multi-az");
        let assumptions = plan_assumptions(&file);
        let find = |name: &str| {
            assumptions
                .iter()
                .find(|assumption| assumption.name == name)
                .unwrap()
                .clone()
        };
        let outage = find("outage_duration");
        assert_eq!(
            (outage.value_text.as_str(), outage.source),
            ("1 h", "assumption")
        );
        assert_eq!(find("node_replacement").value_text, "30 min");
        assert_eq!(find("restore.provisioning").value_text, "18 h");
        let volume = find("restore.volume_size_gb");
        assert_eq!((volume.value_text.as_str(), volume.unit), ("500", "GB"));
        assert!(volume.source.starts_with("[MJ]"));
        assert!(find("restore.initialization_mib_per_s")
            .source
            .starts_with("[AWS]"));
        // No backup drawn: the planner's default backup shows, read-only.
        let interval = find("backup.interval");
        assert_eq!(interval.value_text, "2 h");
        assert!(!interval.editable);
        assert!(outage.editable);
        // Every value reads back unchanged through its own edit.
        for assumption in &assumptions {
            if !assumption.editable {
                continue;
            }
            let edit = Edit::SetPlanAssumption {
                name: assumption.name.to_string(),
                value: assumption.value_text.clone(),
            };
            assert_eq!(apply(&file, &edit).unwrap(), file, "{}", assumption.name);
        }
    }

    #[test]
    fn assumptions_are_set_from_human_text_or_refused_with_their_path() {
        let file = preset("multi-az");
        let set = |file: &ScenarioFile, name: &str, value: &str| {
            apply(
                file,
                &Edit::SetPlanAssumption {
                    name: name.into(),
                    value: value.into(),
                },
            )
        };
        assert_eq!(
            set(&file, "outage_duration", "30 min")
                .unwrap()
                .plan
                .outage_duration_ms,
            1_800_000
        );
        assert_eq!(
            set(&file, "outage_duration", "1 h 30 min")
                .unwrap()
                .plan
                .outage_duration_ms,
            5_400_000
        );
        assert_eq!(
            set(&file, "outage_duration", "2h")
                .unwrap()
                .plan
                .outage_duration_ms,
            7_200_000
        );
        assert_eq!(
            set(&file, "restore.volume_size_gb", "250 GB")
                .unwrap()
                .plan
                .restore
                .volume_size_gb,
            250
        );
        let errors = set(&file, "outage_duration", "30 s").unwrap_err();
        assert_eq!(errors[0].path, "plan.outage_duration");
        assert!(
            errors[0].message.contains("from 1 min to 7 d"),
            "{}",
            errors[0].message
        );
        let errors = set(&file, "outage_duration", "soon").unwrap_err();
        assert_eq!(errors[0].path, "plan.outage_duration");
        let errors = set(&file, "backup.copy_lag", "30 min").unwrap_err();
        assert!(
            errors[0].message.contains("no backup vault"),
            "{}",
            errors[0].message
        );
        let backup = preset("inter-region-backup");
        assert_eq!(
            set(&backup, "backup.copy_lag", "30 min")
                .unwrap()
                .backup
                .unwrap()
                .copy_lag_ms,
            1_800_000
        );
        assert!(set(&file, "no_such_thing", "1").is_err());
    }

    #[test]
    fn parameter_ranges_agree_with_the_file_format() {
        // The backup preset, so the backup's assumptions have a field to write.
        let file = preset("inter-region-backup");
        let specs = parameter_specs()
            .into_iter()
            .chain(assumption_specs().into_iter().map(|spec| spec.parameter));
        for spec in specs {
            let (below, above, inside) = match spec.kind {
                ParameterKind::Duration { min_ms, max_ms } => (
                    min_ms.checked_sub(1).map(ParameterValue::Whole),
                    Some(ParameterValue::Whole(max_ms + 1)),
                    [ParameterValue::Whole(min_ms), ParameterValue::Whole(max_ms)],
                ),
                ParameterKind::Whole { min, max } => (
                    min.checked_sub(1).map(ParameterValue::Whole),
                    max.checked_add(1).map(ParameterValue::Whole),
                    [ParameterValue::Whole(min), ParameterValue::Whole(max)],
                ),
                ParameterKind::Decimal { min, max } => (
                    Some(ParameterValue::Decimal(min - 0.5)),
                    Some(ParameterValue::Decimal(max + 0.5)),
                    [ParameterValue::Decimal(min), ParameterValue::Decimal(max)],
                ),
                ParameterKind::Flag => continue,
            };
            for value in below.into_iter().chain(above) {
                let mut outside = file.clone();
                (spec.write)(&mut outside, value);
                assert_ne!(outside, file);
                let errors = decode::decode(&encode(&outside)).expect_err(spec.name);
                assert_eq!(errors[0].path, spec.path);
                let text = parameter_text(spec.kind, value);
                assert!(
                    parse_parameter(&spec, &text).is_err(),
                    "{} accepts {text}",
                    spec.name
                );
            }
            for value in inside {
                let mut edge = file.clone();
                (spec.write)(&mut edge, value);
                decode::decode(&encode(&edge))
                    .unwrap_or_else(|errors| panic!("{}: {}", spec.name, messages(&errors)));
                let text = parameter_text(spec.kind, value);
                assert_eq!(parse_parameter(&spec, &text), Ok(value), "{}", spec.name);
            }
        }
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let file = rich_file();
        let before = file.clone();
        for edit in [
            Edit::DeleteNodes {
                nodes: vec!["peer1".into()],
            },
            Edit::RenameNode {
                from: "peer1".into(),
                to: "peer2".into(),
            },
            Edit::SetChainParameter {
                name: "block_time".into(),
                value: "x".into(),
            },
            Edit::ResizeFault {
                index: 0,
                at_ms: 5,
                until_ms: Some(5),
            },
        ] {
            assert!(apply(&file, &edit).is_err());
            assert_eq!(file, before);
        }
    }

    #[test]
    fn the_entry_point_and_the_backup_vault_are_edited_and_checked() {
        let file = preset("multi-az");
        let direct = apply(
            &file,
            &Edit::SetEntryKind {
                kind: EntryKind::Direct,
            },
        )
        .unwrap();
        assert_eq!(direct.clients.entry_point.kind, EntryKind::Direct);
        assert_eq!(
            direct.clients.entry_point.targets,
            file.clients.entry_point.targets[..1]
        );
        assert!(file.backup.is_none());
        let vault = BackupFile::with_source("peer1".into());
        let with_vault = apply(
            &file,
            &Edit::SetBackup {
                backup: Some(vault.clone()),
            },
        )
        .unwrap();
        assert_eq!(with_vault.backup, Some(vault));
        // A vault fed by a node that does not exist is refused with its path.
        let errors = apply(
            &file,
            &Edit::SetBackup {
                backup: Some(BackupFile::with_source("ghost".into())),
            },
        )
        .unwrap_err();
        assert!(
            errors.iter().any(|error| error.path.starts_with("backup")),
            "{errors:?}"
        );
        // Restores need a vault: removing it under one is refused.
        let restoring = preset("inter-region-backup");
        if restoring
            .faults
            .iter()
            .any(|fault| matches!(fault.action, FaultAction::Restore { .. }))
        {
            assert!(apply(&restoring, &Edit::SetBackup { backup: None }).is_err());
        }
        let hourly = apply(&with_vault, &Edit::SetBackupInterval { value: "1h".into() }).unwrap();
        assert_eq!(hourly.backup.as_ref().unwrap().interval_ms, 3_600_000);
        let errors = apply(
            &with_vault,
            &Edit::SetBackupInterval {
                value: "often".into(),
            },
        )
        .unwrap_err();
        assert_eq!(errors[0].path, "backup.interval");
        // Under a minute is outside the format's range: refused by the same reader.
        assert!(apply(&with_vault, &Edit::SetBackupInterval { value: "5s".into() }).is_err());
        assert!(apply(&file, &Edit::SetBackupInterval { value: "1h".into() }).is_err());
        assert!(apply(&with_vault, &Edit::SetBackup { backup: None })
            .unwrap()
            .backup
            .is_none());
    }

    #[test]
    fn targets_are_found_and_placed() {
        let file = preset("multi-az");
        let peer3 = Target::Node("peer3".into());
        assert!(target_exists(&file, &peer3));
        assert!(!target_exists(&file, &Target::Node("ghost".into())));
        assert!(target_exists(
            &file,
            &Target::Link("ap-northeast-1".into(), "ap-northeast-1".into())
        ));
        assert_eq!(target_for_id(&file, "peer3"), Some(peer3.clone()));
        assert_eq!(
            target_for_id(&file, "ap-northeast-1c"),
            Some(Target::Az("ap-northeast-1c".into()))
        );
        assert_eq!(target_for_id(&file, "ghost"), None);
        assert_eq!(az_of(&file, &peer3).as_deref(), Some("ap-northeast-1c"));
        assert_eq!(
            az_of(&file, &Target::Region("ap-northeast-1".into())).as_deref(),
            Some("ap-northeast-1a")
        );
        assert_eq!(region_of(&file, &peer3).as_deref(), Some("ap-northeast-1"));
        assert_eq!(
            region_of(&file, &Target::Link("a".into(), "b".into())),
            None
        );
    }
}
