//! The scenario file: what users save, share, import and export (`"version": 1`).
//!
//! These types mirror the JSON one to one, with names and durations exactly as written
//! (durations held in milliseconds). They are what the editor changes. They are not
//! what the simulator runs: [`crate::validate`] turns them into a checked
//! [`crate::Scenario`]. [`encode`] writes them back as JSON; reading is in
//! [`crate::decode`], which collects every error with its JSON path.
//!
//! Defaults come from `shared/domain.md`; each default names its source in
//! `docs/scenario-format.md`.

use serde_json::{json, Map, Value};

use super::duration::format_duration;

/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// A whole scenario as written in a file.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioFile {
    pub version: u64,
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub duration_ms: u64,
    pub chain: ChainFile,
    pub network: NetworkFile,
    pub regions: Vec<RegionFile>,
    pub clients: ClientsFile,
    pub backup: Option<BackupFile>,
    pub faults: Vec<FaultFile>,
    /// Planner settings: targets, cost model, restore procedure.
    pub plan: PlanFile,
}

/// The kinds of failure the planner injects (names fixed: the command line uses them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureKind {
    Node,
    Az,
    Region,
    RegionLink,
    ApiTier,
    DiskLoss,
}

impl FailureKind {
    pub const ALL: [FailureKind; 6] = [
        FailureKind::Node,
        FailureKind::Az,
        FailureKind::Region,
        FailureKind::RegionLink,
        FailureKind::ApiTier,
        FailureKind::DiskLoss,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Node => "node",
            FailureKind::Az => "az",
            FailureKind::Region => "region",
            FailureKind::RegionLink => "region-link",
            FailureKind::ApiTier => "api-tier",
            FailureKind::DiskLoss => "disk-loss",
        }
    }

    pub fn parse(text: &str) -> Option<FailureKind> {
        FailureKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// A phrase for tables and the UI.
    pub fn describe(self) -> &'static str {
        match self {
            FailureKind::Node => "one node crashes",
            FailureKind::Az => "an availability zone loses power",
            FailureKind::Region => "the primary region is lost",
            FailureKind::RegionLink => "the link between regions is cut",
            FailureKind::ApiTier => "every API service (broker, MongoDB, REST) is down",
            FailureKind::DiskLoss => "one node loses its disk",
        }
    }
}

/// A recovery target for one failure kind; absent values are not checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetFile {
    pub failure: FailureKind,
    pub rto_ms: Option<u64>,
    pub rpo_ms: Option<u64>,
}

/// The planner's settings. Defaults are documented in `docs/rto-rpo.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanFile {
    pub targets: Vec<TargetFile>,
    /// Price of one node-hour (any currency; the default is in US dollars).
    pub node_hour_price: f64,
    /// Price of one GB-month of backup snapshot storage.
    pub backup_gb_month_price: f64,
    /// Monte Carlo trials per strategy and failure.
    pub trials: u64,
    /// How long a node, AZ, API-tier or link failure lasts.
    pub outage_duration_ms: u64,
    /// How long an operator takes to replace a node whose disk was lost.
    pub node_replacement_ms: u64,
    /// Multi-AZ behind a load balancer (true) or clients direct to one API node.
    pub load_balancer: bool,
    /// Region for standby (backup) and second-site (active/active) nodes.
    pub recovery_region: Option<String>,
    pub restore: RestoreFile,
    /// An operator's reaction to a failure the nodes cannot heal by themselves (a split
    /// past the rollback limit): the planner injects the remedy as faults.
    pub operator: OperatorFile,
    /// The currency of the prices (a label only; the default prices are US dollars).
    pub currency: String,
}

/// How long an operator takes to act on a split the nodes cannot heal by themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorFile {
    /// From the link's return until someone notices the nodes disagree (assumption:
    /// an alert on diverging heights or hashes between regions).
    pub detection_ms: u64,
    /// Deciding which side to keep and starting the remedy (assumption).
    pub decision_ms: u64,
}

impl Default for OperatorFile {
    fn default() -> Self {
        OperatorFile {
            detection_ms: 15 * 60_000,
            decision_ms: 30 * 60_000,
        }
    }
}

/// The steps of restoring from backup in the recovery region.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreFile {
    /// Noticing the region loss and deciding to fail over (assumption).
    pub detection_and_decision_ms: u64,
    /// Building the nodes in the recovery region (assumption; mijin has no cross-region builder).
    pub provisioning_ms: u64,
    /// Size of the restored block volume ([MJ] 500 GB).
    pub volume_size_gb: u64,
    /// EBS initialization rate of a volume from a snapshot ([AWS] 100–300 MiB/s).
    pub initialization_mib_per_s: u64,
}

impl Default for PlanFile {
    fn default() -> Self {
        PlanFile {
            targets: Vec::new(),
            node_hour_price: 0.25,
            backup_gb_month_price: 0.05,
            trials: 100,
            outage_duration_ms: 3_600_000,
            node_replacement_ms: 30 * 60_000,
            load_balancer: true,
            recovery_region: None,
            restore: RestoreFile::default(),
            operator: OperatorFile::default(),
            currency: "USD".into(),
        }
    }
}

impl Default for RestoreFile {
    fn default() -> Self {
        RestoreFile {
            detection_and_decision_ms: 4 * 3_600_000,
            provisioning_ms: 18 * 3_600_000,
            volume_size_gb: 500,
            initialization_mib_per_s: 100,
        }
    }
}

/// One year of blocks at the default 15 s block time (365 × 86,400 / 15): the default
/// chain height at time 0 (an assumption; see [`ChainFile::initial_height`]).
pub const INITIAL_HEIGHT_DEFAULT: u64 = 2_102_400;

/// Chain parameters (Catapult `config-network.properties` and friends).
#[derive(Clone, Debug, PartialEq)]
pub struct ChainFile {
    /// `blockGenerationTargetTime`: 15 s in Tech Bureau's mijin-test, 30 s on Symbol mainnet.
    pub block_time_ms: u64,
    /// `maxRollbackBlocks`: 40 in the engine template and mijin-test; 0 = bounded by finalization.
    pub max_rollback_blocks: u64,
    /// `maxDifficultyBlocks`: 60.
    pub difficulty_window_blocks: u64,
    /// The per-block difficulty change clamp: 5 %.
    pub difficulty_change_limit_percent: u64,
    /// `blockTimeSmoothingFactor / 1000`: 3.
    pub smoothing_factor: f64,
    /// The synchronizer task period: 3 s.
    pub sync_interval_ms: u64,
    /// The connect-peers task period: 1 min.
    pub reconnect_interval_ms: u64,
    /// `maxBlocksPerSyncAttempt`: 42 in the template.
    pub max_blocks_per_sync: u64,
    /// Outgoing connections to Peer-role nodes: 10.
    pub max_connections: u64,
    /// `maxTransactionLifetime`: 6 h in mijin-test.
    pub transaction_lifetime_ms: u64,
    /// The `networkheight` extension: harvest only while close to the network's height.
    /// On by default: the engine template and Tech Bureau's `mijin-test` configuration
    /// enable it ([CS], [TB] `config-extensions-server.properties`); symbol-bootstrap
    /// disables it ([SB]).
    pub harvest_gating: bool,
    /// From process start until the server answers (assumption; no published figure).
    pub node_startup_ms: u64,
    /// Extra start-up time after an unclean stop, for the recovery process (assumption).
    pub crash_recovery_ms: u64,
    /// The harvesting task's start delay: 30 s.
    pub harvest_start_delay_ms: u64,
    /// The chain's height at time 0: the history every running node already holds.
    /// Default: one year of 15 s blocks, 2,102,400 (an assumption: a production chain
    /// about a year old). 1 starts at the nemesis block.
    pub initial_height: u64,
    /// Time a node spends processing (validating and executing) one pulled block while
    /// it syncs. No published figure: 20 ms is an assumption, below the template's pull
    /// rate (42 blocks per 3 s round), so catch-up is bound by `max_blocks_per_sync`.
    pub block_processing_ms: u64,
    pub finalization: FinalizationFile,
}

/// Finalization (voting) settings.
#[derive(Clone, Debug, PartialEq)]
pub struct FinalizationFile {
    pub enabled: bool,
    /// `threshold / size`: 70 % in the template, 67 % in Symbol presets.
    pub threshold_percent: f64,
    /// `stepDuration`: 2 min in the template; a round takes up to two steps.
    pub step_duration_ms: u64,
    /// `votingSetGrouping`: blocks per epoch. Non-voters learn finality only for whole
    /// epochs ([TR]). 160 in mijin's tooling [MT] (uncertain: 160–180); 78 in the
    /// template, 1440 on Symbol mainnet.
    pub voting_set_grouping_blocks: u64,
}

/// Network latency and loss.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkFile {
    /// One-way latency between nodes in the same availability zone.
    pub intra_az_latency_ms: u64,
    /// One-way latency between availability zones of one region.
    pub inter_az_latency_ms: u64,
    /// One-way latency between regions missing from the built-in table and the overrides.
    pub default_inter_region_latency_ms: u64,
    /// Per-pair overrides of the built-in inter-region table.
    pub region_latencies: Vec<RegionLatencyFile>,
    /// Random loss applied to every message, in percent.
    pub loss_percent: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegionLatencyFile {
    pub between: [String; 2],
    pub latency_ms: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegionFile {
    pub id: String,
    pub azs: Vec<AzFile>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AzFile {
    pub id: String,
    pub nodes: Vec<NodeFile>,
}

/// A node's role set. DUAL is PEER + API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Peer,
    Api,
    Dual,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Peer, Role::Api, Role::Dual];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Peer => "PEER",
            Role::Api => "API",
            Role::Dual => "DUAL",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text.to_ascii_uppercase().as_str() {
            "PEER" => Some(Role::Peer),
            "API" => Some(Role::Api),
            "DUAL" => Some(Role::Dual),
            _ => None,
        }
    }

    /// Stores blocks, serves them to others and may harvest.
    pub fn has_peer(self) -> bool {
        matches!(self, Role::Peer | Role::Dual)
    }

    /// Runs broker, MongoDB and REST, so clients can reach the chain through it.
    pub fn has_api(self) -> bool {
        matches!(self, Role::Api | Role::Dual)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeFile {
    pub id: String,
    pub role: Role,
    pub voting: bool,
    /// Harvesting stake (importance weight). Only PEER and DUAL nodes harvest.
    pub stake: u64,
    /// Voting balance, the weight of this node's finalization votes.
    pub voting_balance: u64,
    /// Not provisioned at the start: a cold standby that a `restore` fault brings up.
    pub standby: bool,
    /// The node whose accounts (harvesting and voting keys) this one runs: a standby
    /// restored from the source's snapshot reuses its keys, so it adds neither stake
    /// nor voting weight to the network's totals.
    pub clone_of: Option<String>,
}

/// Client load and the service entry point.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientsFile {
    pub transactions_per_second: f64,
    pub entry_point: EntryPointFile,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// An Elastic Load Balancer in front of API nodes (health checks, fails open).
    LoadBalancer,
    /// Route 53 DNS failover: the first healthy target in order, after the TTL.
    DnsFailover,
    /// Clients talk to one API node directly.
    Direct,
    /// Route 53 latency-based routing with health checks, for clients in every region:
    /// each region's clients (a share of the load, `region_shares`) go to the first
    /// healthy target of their own region, and to another region's when theirs has
    /// none, after the TTL.
    LatencyRouting,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::LoadBalancer => "load_balancer",
            EntryKind::DnsFailover => "dns_failover",
            EntryKind::Direct => "direct",
            EntryKind::LatencyRouting => "latency_routing",
        }
    }

    pub fn parse(text: &str) -> Option<EntryKind> {
        match text {
            "load_balancer" => Some(EntryKind::LoadBalancer),
            "dns_failover" => Some(EntryKind::DnsFailover),
            "direct" => Some(EntryKind::Direct),
            "latency_routing" => Some(EntryKind::LatencyRouting),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntryPointFile {
    pub kind: EntryKind,
    /// API or DUAL nodes behind the entry point; empty means every API-capable node.
    pub targets: Vec<String>,
    pub health_check_interval_ms: u64,
    pub unhealthy_threshold: u64,
    pub healthy_threshold: u64,
    /// Delay before clients follow a change (the DNS TTL; 0 for a load balancer).
    pub switch_delay_ms: u64,
    /// `latency_routing` only: each region's share of the client load, by region id
    /// (relative weights); empty means an equal share for every region with targets.
    pub region_shares: Vec<(String, f64)>,
}

impl EntryPointFile {
    /// The defaults of each kind: ALB 30 s / 2 / 5; Route 53 30 s / 3 / 3 with a 60 s TTL.
    pub fn with_defaults(kind: EntryKind) -> EntryPointFile {
        match kind {
            EntryKind::LoadBalancer | EntryKind::Direct => EntryPointFile {
                kind,
                targets: Vec::new(),
                health_check_interval_ms: 30_000,
                unhealthy_threshold: 2,
                healthy_threshold: 5,
                switch_delay_ms: 0,
                region_shares: Vec::new(),
            },
            EntryKind::DnsFailover | EntryKind::LatencyRouting => EntryPointFile {
                kind,
                targets: Vec::new(),
                health_check_interval_ms: 30_000,
                unhealthy_threshold: 3,
                healthy_threshold: 3,
                switch_delay_ms: 60_000,
                region_shares: Vec::new(),
            },
        }
    }
}

/// AWS Backup of one node's volumes, optionally copied to another region.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupFile {
    pub source: String,
    pub interval_ms: u64,
    pub copy_to_region: Option<String>,
    pub copy_lag_ms: u64,
    pub retention_count: u64,
}

/// One fault on the timeline: it starts `at` and ends `until` (never, when absent).
#[derive(Clone, Debug, PartialEq)]
pub struct FaultFile {
    pub at_ms: u64,
    pub until_ms: Option<u64>,
    pub action: FaultAction,
}

/// What a fault does. Targets are ids of nodes, availability zones or regions.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    /// The process dies; volatile state (unconfirmed transactions, connections) is lost.
    Crash { node: String },
    /// A clean stop; restarts at `until`.
    Stop { node: String },
    /// The node dies and its durable data is gone; at `until` it starts empty.
    DiskLoss { node: String },
    /// Every node in the availability zone loses power.
    AzOutage { az: String },
    /// Every node in the region is unreachable and stopped.
    RegionOutage { region: String },
    /// Messages between groups are dropped (from the first group to the second only,
    /// when one-way). Members are node, AZ or region ids.
    Partition {
        groups: Vec<Vec<String>>,
        one_way: bool,
    },
    /// Extra latency and loss between two groups.
    Degrade {
        groups: Vec<Vec<String>>,
        extra_latency_ms: u64,
        loss_percent: f64,
    },
    /// One node cut off from every other node.
    Isolate { node: String },
    /// Broker, MongoDB or REST down while the node itself runs.
    ApiDown { node: String },
    /// Nodes replaced by the latest backup snapshot available to their region at `at`;
    /// they start at `until` (or at once).
    Restore { nodes: Vec<String> },
    /// An operator wipes the node's data and lets it sync again from its peers.
    Resync { node: String },
    /// An operator copies another node's block store (an API node's, say, when the
    /// only PEER lost its disk) onto the node; it starts with that chain at `until`
    /// (or at once).
    CopyChain { node: String, from: String },
}

impl FaultAction {
    pub const KINDS: [&'static str; 12] = [
        "crash",
        "stop",
        "disk_loss",
        "az_outage",
        "region_outage",
        "partition",
        "degrade",
        "isolate",
        "api_down",
        "restore",
        "resync",
        "copy_chain",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            FaultAction::Crash { .. } => "crash",
            FaultAction::Stop { .. } => "stop",
            FaultAction::DiskLoss { .. } => "disk_loss",
            FaultAction::AzOutage { .. } => "az_outage",
            FaultAction::RegionOutage { .. } => "region_outage",
            FaultAction::Partition { .. } => "partition",
            FaultAction::Degrade { .. } => "degrade",
            FaultAction::Isolate { .. } => "isolate",
            FaultAction::ApiDown { .. } => "api_down",
            FaultAction::Restore { .. } => "restore",
            FaultAction::Resync { .. } => "resync",
            FaultAction::CopyChain { .. } => "copy_chain",
        }
    }

    /// A short reading for logs and the timeline: `crash peer2`, `partition [a] | [b]`.
    pub fn describe(&self) -> String {
        let groups_text = |groups: &Vec<Vec<String>>, separator: &str| {
            groups
                .iter()
                .map(|group| format!("[{}]", group.join(", ")))
                .collect::<Vec<_>>()
                .join(separator)
        };
        match self {
            FaultAction::Crash { node }
            | FaultAction::Stop { node }
            | FaultAction::DiskLoss { node }
            | FaultAction::Isolate { node }
            | FaultAction::ApiDown { node }
            | FaultAction::Resync { node } => format!("{} {node}", self.kind()),
            FaultAction::CopyChain { node, from } => format!("copy_chain {from} -> {node}"),
            FaultAction::AzOutage { az } => format!("az_outage {az}"),
            FaultAction::RegionOutage { region } => format!("region_outage {region}"),
            FaultAction::Partition { groups, one_way } => {
                let separator = if *one_way { " -/-> " } else { " | " };
                format!("partition {}", groups_text(groups, separator))
            }
            FaultAction::Degrade {
                groups,
                extra_latency_ms,
                loss_percent,
            } => format!(
                "degrade {} (+{extra_latency_ms} ms, {loss_percent}% loss)",
                groups_text(groups, " ~ ")
            ),
            FaultAction::Restore { nodes } => format!("restore {}", nodes.join(", ")),
        }
    }
}

impl Default for ChainFile {
    fn default() -> Self {
        ChainFile {
            block_time_ms: 15_000,
            max_rollback_blocks: 40,
            difficulty_window_blocks: 60,
            difficulty_change_limit_percent: 5,
            smoothing_factor: 3.0,
            sync_interval_ms: 3_000,
            reconnect_interval_ms: 60_000,
            max_blocks_per_sync: 42,
            max_connections: 10,
            transaction_lifetime_ms: 6 * 3_600_000,
            harvest_gating: true,
            node_startup_ms: 20_000,
            crash_recovery_ms: 30_000,
            harvest_start_delay_ms: 30_000,
            initial_height: INITIAL_HEIGHT_DEFAULT,
            block_processing_ms: 20,
            finalization: FinalizationFile::default(),
        }
    }
}

impl Default for FinalizationFile {
    fn default() -> Self {
        FinalizationFile {
            enabled: false,
            threshold_percent: 70.0,
            step_duration_ms: 120_000,
            voting_set_grouping_blocks: 160,
        }
    }
}

impl Default for NetworkFile {
    fn default() -> Self {
        NetworkFile {
            intra_az_latency_ms: 1,
            inter_az_latency_ms: 2,
            default_inter_region_latency_ms: 100,
            region_latencies: Vec::new(),
            loss_percent: 0.0,
        }
    }
}

impl Default for ClientsFile {
    fn default() -> Self {
        ClientsFile {
            transactions_per_second: 0.2,
            entry_point: EntryPointFile::with_defaults(EntryKind::LoadBalancer),
        }
    }
}

impl BackupFile {
    pub fn with_source(source: String) -> BackupFile {
        BackupFile {
            source,
            interval_ms: 2 * 3_600_000,
            copy_to_region: None,
            copy_lag_ms: 15 * 60_000,
            retention_count: 12,
        }
    }
}

impl NodeFile {
    /// A node with the defaults of its role: PEER and DUAL harvest with stake 1.
    pub fn new(id: &str, role: Role) -> NodeFile {
        NodeFile {
            id: id.to_string(),
            role,
            voting: false,
            stake: if role.has_peer() { 1 } else { 0 },
            voting_balance: 0,
            standby: false,
            clone_of: None,
        }
    }
}

/// Writes a scenario as pretty JSON that [`crate::decode`] reads back unchanged.
pub fn encode(file: &ScenarioFile) -> Value {
    let mut root = Map::new();
    root.insert("version".into(), json!(file.version));
    root.insert("name".into(), json!(file.name));
    if !file.description.is_empty() {
        root.insert("description".into(), json!(file.description));
    }
    root.insert("seed".into(), json!(file.seed));
    root.insert("duration".into(), json!(format_duration(file.duration_ms)));
    root.insert("chain".into(), encode_chain(&file.chain));
    root.insert("network".into(), encode_network(&file.network));
    root.insert(
        "regions".into(),
        Value::Array(file.regions.iter().map(encode_region).collect()),
    );
    root.insert("clients".into(), encode_clients(&file.clients));
    if let Some(backup) = &file.backup {
        root.insert("backup".into(), encode_backup(backup));
    }
    root.insert(
        "faults".into(),
        Value::Array(file.faults.iter().map(encode_fault).collect()),
    );
    root.insert("plan".into(), encode_plan(&file.plan));
    Value::Object(root)
}

/// [`encode`] as indented text.
pub fn encode_pretty(file: &ScenarioFile) -> String {
    serde_json::to_string_pretty(&encode(file)).unwrap_or_default()
}

fn encode_chain(chain: &ChainFile) -> Value {
    json!({
        "block_time": format_duration(chain.block_time_ms),
        "max_rollback_blocks": chain.max_rollback_blocks,
        "difficulty_window_blocks": chain.difficulty_window_blocks,
        "difficulty_change_limit_percent": chain.difficulty_change_limit_percent,
        "smoothing_factor": chain.smoothing_factor,
        "sync_interval": format_duration(chain.sync_interval_ms),
        "reconnect_interval": format_duration(chain.reconnect_interval_ms),
        "max_blocks_per_sync": chain.max_blocks_per_sync,
        "max_connections": chain.max_connections,
        "transaction_lifetime": format_duration(chain.transaction_lifetime_ms),
        "harvest_gating": chain.harvest_gating,
        "node_startup": format_duration(chain.node_startup_ms),
        "crash_recovery": format_duration(chain.crash_recovery_ms),
        "harvest_start_delay": format_duration(chain.harvest_start_delay_ms),
        "initial_height": chain.initial_height,
        "block_processing": format_duration(chain.block_processing_ms),
        "finalization": {
            "enabled": chain.finalization.enabled,
            "threshold_percent": chain.finalization.threshold_percent,
            "step_duration": format_duration(chain.finalization.step_duration_ms),
            "voting_set_grouping_blocks": chain.finalization.voting_set_grouping_blocks,
        },
    })
}

fn encode_network(network: &NetworkFile) -> Value {
    json!({
        "intra_az_latency_ms": network.intra_az_latency_ms,
        "inter_az_latency_ms": network.inter_az_latency_ms,
        "default_inter_region_latency_ms": network.default_inter_region_latency_ms,
        "region_latencies": network.region_latencies.iter().map(|entry| json!({
            "between": entry.between,
            "latency_ms": entry.latency_ms,
        })).collect::<Vec<_>>(),
        "loss_percent": network.loss_percent,
    })
}

fn encode_region(region: &RegionFile) -> Value {
    json!({
        "id": region.id,
        "azs": region.azs.iter().map(|az| json!({
            "id": az.id,
            "nodes": az.nodes.iter().map(encode_node).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn encode_node(node: &NodeFile) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(node.id));
    object.insert("role".into(), json!(node.role.as_str()));
    object.insert("voting".into(), json!(node.voting));
    object.insert("stake".into(), json!(node.stake));
    object.insert("voting_balance".into(), json!(node.voting_balance));
    if let Some(source) = &node.clone_of {
        object.insert("clone_of".into(), json!(source));
    }
    if node.standby {
        object.insert("standby".into(), json!(true));
    }
    Value::Object(object)
}

fn encode_clients(clients: &ClientsFile) -> Value {
    let entry = &clients.entry_point;
    let mut entry_point = json!({
        "kind": entry.kind.as_str(),
        "targets": entry.targets,
        "health_check_interval": format_duration(entry.health_check_interval_ms),
        "unhealthy_threshold": entry.unhealthy_threshold,
        "healthy_threshold": entry.healthy_threshold,
        "switch_delay": format_duration(entry.switch_delay_ms),
    });
    if !entry.region_shares.is_empty() {
        entry_point["region_shares"] = Value::Object(
            entry
                .region_shares
                .iter()
                .map(|(region, share)| (region.clone(), json!(share)))
                .collect(),
        );
    }
    json!({
        "transactions_per_second": clients.transactions_per_second,
        "entry_point": entry_point,
    })
}

fn encode_backup(backup: &BackupFile) -> Value {
    let mut object = Map::new();
    object.insert("source".into(), json!(backup.source));
    object.insert(
        "interval".into(),
        json!(format_duration(backup.interval_ms)),
    );
    if let Some(region) = &backup.copy_to_region {
        object.insert("copy_to_region".into(), json!(region));
    }
    object.insert(
        "copy_lag".into(),
        json!(format_duration(backup.copy_lag_ms)),
    );
    object.insert("retention_count".into(), json!(backup.retention_count));
    Value::Object(object)
}

fn encode_fault(fault: &FaultFile) -> Value {
    let mut object = Map::new();
    object.insert("kind".into(), json!(fault.action.kind()));
    object.insert("at".into(), json!(format_duration(fault.at_ms)));
    if let Some(until_ms) = fault.until_ms {
        object.insert("until".into(), json!(format_duration(until_ms)));
    }
    match &fault.action {
        FaultAction::Crash { node }
        | FaultAction::Stop { node }
        | FaultAction::DiskLoss { node }
        | FaultAction::Isolate { node }
        | FaultAction::ApiDown { node }
        | FaultAction::Resync { node } => {
            object.insert("node".into(), json!(node));
        }
        FaultAction::CopyChain { node, from } => {
            object.insert("node".into(), json!(node));
            object.insert("from".into(), json!(from));
        }
        FaultAction::AzOutage { az } => {
            object.insert("az".into(), json!(az));
        }
        FaultAction::RegionOutage { region } => {
            object.insert("region".into(), json!(region));
        }
        FaultAction::Partition { groups, one_way } => {
            object.insert("groups".into(), json!(groups));
            if *one_way {
                object.insert("one_way".into(), json!(true));
            }
        }
        FaultAction::Degrade {
            groups,
            extra_latency_ms,
            loss_percent,
        } => {
            object.insert("groups".into(), json!(groups));
            object.insert("extra_latency_ms".into(), json!(extra_latency_ms));
            object.insert("loss_percent".into(), json!(loss_percent));
        }
        FaultAction::Restore { nodes } => {
            object.insert("nodes".into(), json!(nodes));
        }
    }
    Value::Object(object)
}

fn encode_plan(plan: &PlanFile) -> Value {
    let mut targets = Map::new();
    for target in &plan.targets {
        let mut entry = Map::new();
        if let Some(rto_ms) = target.rto_ms {
            entry.insert("rto".into(), json!(format_duration(rto_ms)));
        }
        if let Some(rpo_ms) = target.rpo_ms {
            entry.insert("rpo".into(), json!(format_duration(rpo_ms)));
        }
        targets.insert(target.failure.as_str().into(), Value::Object(entry));
    }
    let mut object = Map::new();
    object.insert("targets".into(), Value::Object(targets));
    object.insert("node_hour_price".into(), json!(plan.node_hour_price));
    object.insert(
        "backup_gb_month_price".into(),
        json!(plan.backup_gb_month_price),
    );
    object.insert("trials".into(), json!(plan.trials));
    object.insert(
        "outage_duration".into(),
        json!(format_duration(plan.outage_duration_ms)),
    );
    object.insert(
        "node_replacement".into(),
        json!(format_duration(plan.node_replacement_ms)),
    );
    object.insert("load_balancer".into(), json!(plan.load_balancer));
    if let Some(region) = &plan.recovery_region {
        object.insert("recovery_region".into(), json!(region));
    }
    object.insert(
        "restore".into(),
        json!({
            "detection_and_decision": format_duration(plan.restore.detection_and_decision_ms),
            "provisioning": format_duration(plan.restore.provisioning_ms),
            "volume_size_gb": plan.restore.volume_size_gb,
            "initialization_mib_per_s": plan.restore.initialization_mib_per_s,
        }),
    );
    object.insert(
        "operator".into(),
        json!({
            "detection": format_duration(plan.operator.detection_ms),
            "decision": format_duration(plan.operator.decision_ms),
        }),
    );
    object.insert("currency".into(), json!(plan.currency));
    Value::Object(object)
}

impl ScenarioFile {
    /// Every id the drawing uses (regions, their AZs, their nodes), in drawing order.
    /// Generated ids (a planner strategy's copies, a hint's extra node, an editor's new
    /// node) must avoid all of them.
    pub fn drawn_ids_in_order(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for region in &self.regions {
            ids.push(region.id.clone());
            for az in &region.azs {
                ids.push(az.id.clone());
                ids.extend(az.nodes.iter().map(|node| node.id.clone()));
            }
        }
        ids
    }
}

/// `wanted` itself when no id in `taken` has it, else `wanted-2`, `wanted-3`, ... (the
/// first free one).
pub fn unique_id(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = wanted.to_string();
    let mut suffix = 2;
    while taken(&candidate) {
        candidate = format!("{wanted}-{suffix}");
        suffix += 1;
    }
    candidate
}
