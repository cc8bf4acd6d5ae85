//! The scenario model: the file users write ([`file`]), how it is read ([`decode`]),
//! and the checked [`Scenario`] that is the only input the simulator accepts
//! ([`validate`]).
//!
//! Invariants of a [`Scenario`]: every index is in range; ids are unique across regions,
//! AZs and nodes; every AZ has a node; at least one PEER or DUAL node has stake; every
//! fault refers to things that exist and ends after it starts; every size is within
//! [`limits`]. Code downstream may rely on these without checking again.
//!
//! A crate of its own (`catapult-dr-scenario`), re-exported by the core as
//! `catapult_dr_core::scenario`, so the release profile can build it apart from the
//! simulator (see `Cargo.toml`). It also holds [`sort`], the one stable sort of the
//! app's cold code, which it uses itself.

pub mod decode;
pub mod duration;
pub mod file;
pub mod limits;
pub mod parameters;
pub mod presets;
pub mod sort;
mod validate;

use std::fmt;

pub use file::{EntryKind, FaultAction, Role, ScenarioFile};
pub use validate::validate;

/// One problem in a scenario, with the JSON path where it is (`regions[0].azs[1].id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub path: String,
    pub message: String,
}

impl ScenarioError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.path, self.message)
    }
}

/// Reads and checks scenario text in one go: every error from decoding, or, once the
/// structure is right, every error from validation.
pub fn load(text: &str) -> Result<Scenario, Vec<ScenarioError>> {
    let file = decode::decode_text(text)?;
    validate(&file)
}

/// A node's position in [`Scenario::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeIndex(pub u16);

impl NodeIndex {
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// A checked scenario: indices instead of names, milliseconds everywhere.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    pub duration_ms: u64,
    pub chain: ChainParameters,
    pub regions: Vec<Region>,
    pub azs: Vec<AvailabilityZone>,
    pub nodes: Vec<Node>,
    /// One-way latency between every pair of nodes, `latency_ms[a * n + b]`.
    pub latency_ms: Vec<u32>,
    pub loss_percent: f64,
    pub clients: Clients,
    pub backup: Option<BackupPlan>,
    /// Sorted by start time (stable for equal starts).
    pub faults: Vec<Fault>,
    /// The file this was checked from, for export and editing.
    pub file: ScenarioFile,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChainParameters {
    pub block_time_ms: u64,
    pub max_rollback_blocks: u64,
    pub difficulty_window_blocks: u64,
    pub difficulty_change_limit_percent: u64,
    pub smoothing_factor: f64,
    pub sync_interval_ms: u64,
    pub reconnect_interval_ms: u64,
    pub max_blocks_per_sync: u64,
    pub max_connections: usize,
    pub transaction_lifetime_ms: u64,
    pub harvest_gating: bool,
    pub node_startup_ms: u64,
    pub crash_recovery_ms: u64,
    pub harvest_start_delay_ms: u64,
    /// The height every running node holds at time 0 (history before it is virtual).
    pub initial_height: u64,
    /// Processing time per pulled block while syncing.
    pub block_processing_ms: u64,
    pub finalization_enabled: bool,
    pub finalization_threshold_percent: f64,
    pub finalization_step_ms: u64,
    pub voting_set_grouping_blocks: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub id: String,
    pub azs: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AvailabilityZone {
    pub id: String,
    pub region: usize,
    pub nodes: Vec<NodeIndex>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub region: usize,
    pub az: usize,
    pub role: Role,
    pub voting: bool,
    pub stake: u64,
    pub voting_balance: u64,
    pub standby: bool,
    /// The node whose accounts (harvesting and voting keys) this one runs: itself, or
    /// the source of a clone (`clone_of`). Stake and voting weight count once per
    /// account, so a clone adds nothing to the totals.
    pub account: NodeIndex,
}

impl Node {
    /// Runs its own accounts (not a clone of another node).
    pub fn is_own_account(&self, index: NodeIndex) -> bool {
        self.account == index
    }

    /// Harvests: a PEER or DUAL node with stake.
    pub fn harvests(&self) -> bool {
        self.role.has_peer() && self.stake > 0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clients {
    pub transactions_per_second: f64,
    pub entry_kind: EntryKind,
    pub targets: Vec<NodeIndex>,
    pub health_check_interval_ms: u64,
    pub unhealthy_threshold: u64,
    pub healthy_threshold: u64,
    pub switch_delay_ms: u64,
    /// `latency_routing`: each region's share of the client load, by region index,
    /// summing to 1 (0 for a region without targets); empty for the other kinds.
    pub region_shares: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackupPlan {
    pub source: NodeIndex,
    pub interval_ms: u64,
    pub copy_to_region: Option<usize>,
    pub copy_lag_ms: u64,
    pub retention_count: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// Position in the file's `faults` list, for messages and the timeline.
    pub file_index: usize,
    pub at_ms: u64,
    pub until_ms: Option<u64>,
    pub effect: FaultEffect,
    pub label: String,
}

/// A fault resolved to node indices.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultEffect {
    Crash(NodeIndex),
    Stop(NodeIndex),
    DiskLoss(NodeIndex),
    AzOutage(usize),
    RegionOutage(usize),
    /// Groups of nodes; with `one_way`, only messages from group 0 to group 1 drop.
    Partition {
        groups: Vec<Vec<NodeIndex>>,
        one_way: bool,
    },
    Degrade {
        groups: Vec<Vec<NodeIndex>>,
        extra_latency_ms: u64,
        loss_percent: f64,
    },
    ApiDown(NodeIndex),
    Restore(Vec<NodeIndex>),
    Resync(NodeIndex),
    /// `(node, from)`: `from`'s chain is copied onto `node`.
    CopyChain(NodeIndex, NodeIndex),
}

impl Scenario {
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn latency_between(&self, from: NodeIndex, to: NodeIndex) -> u32 {
        self.latency_ms[from.get() * self.nodes.len() + to.get()]
    }

    /// The one-way latency between two regions, as the simulation uses it (a pair
    /// override, else the built-in AWS table, else the default); 0 for a region with
    /// no node.
    pub fn region_latency_ms(&self, from_region: usize, to_region: usize) -> u32 {
        let first_node = |region: usize| {
            self.nodes
                .iter()
                .position(|node| node.region == region)
                .map(|index| NodeIndex(index as u16))
        };
        match (first_node(from_region), first_node(to_region)) {
            (Some(from), Some(to)) => self.latency_between(from, to),
            _ => 0,
        }
    }

    pub fn node_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.nodes
            .iter()
            .position(|node| node.id == id)
            .map(|index| NodeIndex(index as u16))
    }

    /// The same scenario with other faults: used by the planner to inject one failure.
    pub fn with_file(&self, file: ScenarioFile) -> Result<Scenario, Vec<ScenarioError>> {
        validate(&file)
    }
}

#[cfg(test)]
mod region_latency_tests {
    use super::*;

    #[test]
    fn region_latency_is_the_one_the_simulation_uses() {
        // Tokyo ↔ Singapore comes from the built-in AWS table (no override in the file).
        let scenario = validate(&presets::load_file("active-active").unwrap()).unwrap();
        assert_eq!(scenario.region_latency_ms(0, 1), 35);
        assert_eq!(scenario.region_latency_ms(1, 0), 35);
        // An override in the file wins.
        let mut file = presets::load_file("active-active").unwrap();
        file.network.region_latencies = vec![file::RegionLatencyFile {
            between: ["ap-southeast-1".into(), "ap-northeast-1".into()],
            latency_ms: 80,
        }];
        assert_eq!(validate(&file).unwrap().region_latency_ms(0, 1), 80);
        assert_eq!(scenario.region_latency_ms(0, 9), 0);
    }
}

#[cfg(test)]
mod clone_tests {
    use super::*;

    #[test]
    fn standby_copies_run_their_sources_accounts_and_round_trip() {
        let file = presets::load_file("inter-region-backup").unwrap();
        let scenario = validate(&file).unwrap();
        let index = |id: &str| scenario.node_by_id(id).unwrap();
        for (copy, source) in [("dr-peer1", "peer1"), ("dr-api2", "api2")] {
            assert_eq!(scenario.nodes[index(copy).get()].account, index(source));
            assert!(!scenario.nodes[index(copy).get()].is_own_account(index(copy)));
        }
        assert!(scenario.nodes[index("peer1").get()].is_own_account(index("peer1")));
        // The encoder writes clone_of, so a saved file reads back the same.
        let text = file::encode_pretty(&file);
        assert!(text.contains("\"clone_of\": \"peer1\""));
        assert_eq!(decode::decode_text(&text).unwrap(), file);
    }
}
