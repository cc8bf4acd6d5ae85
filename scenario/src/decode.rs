//! JSON → [`ScenarioFile`], collecting every structural error with its JSON path.
//!
//! Unknown fields, missing required fields, wrong types and out-of-range numbers are
//! all reported, not just the first; a field that fails keeps its default so that
//! decoding can carry on and find the rest. Cross-references (does this fault's node
//! exist?) are checked later by [`super::validate`].

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::duration::{parse_duration, seconds_to_ms};
use super::file::*;
use super::limits;
use super::parameters::{self, Parameter};
use super::ScenarioError;

/// Parses text into a scenario file. Malformed JSON gives one error at `$` with the
/// line and column; everything else gives every problem found.
pub fn decode_text(text: &str) -> Result<ScenarioFile, Vec<ScenarioError>> {
    if text.len() > limits::FILE_BYTES_MAX {
        return Err(vec![ScenarioError::new(
            "$",
            format!(
                "the file is {} bytes, over the {} byte limit: remove unused faults or nodes",
                text.len(),
                limits::FILE_BYTES_MAX
            ),
        )]);
    }
    let value: Value = serde_json::from_str(text).map_err(|error| {
        vec![ScenarioError::new(
            "$",
            format!(
                "not valid JSON (line {}, column {}): {}",
                error.line(),
                error.column(),
                error
            ),
        )]
    })?;
    decode(&value)
}

/// Reads a parsed JSON value into a scenario file.
pub fn decode(value: &Value) -> Result<ScenarioFile, Vec<ScenarioError>> {
    let mut decoder = Decoder::default();
    let file = decoder.scenario(value);
    if decoder.errors.is_empty() {
        Ok(file)
    } else {
        Err(decoder.errors)
    }
}

#[derive(Default)]
struct Decoder {
    errors: Vec<ScenarioError>,
}

/// Reads the fields of one JSON object and remembers which were used, so that the
/// rest can be reported as unknown.
struct ObjectReader<'a> {
    path: String,
    map: Option<&'a Map<String, Value>>,
    used: BTreeSet<&'static str>,
}

impl<'a> ObjectReader<'a> {
    fn field(&mut self, name: &'static str) -> Option<&'a Value> {
        self.used.insert(name);
        self.map
            .and_then(|map| map.get(name))
            .filter(|value| !value.is_null())
    }

    fn path_of(&self, name: &str) -> String {
        join_path(&self.path, name)
    }

    fn finish(self, decoder: &mut Decoder) {
        if let Some(map) = self.map {
            for key in map.keys() {
                if !self.used.contains(key.as_str()) {
                    let known: Vec<&str> = self.used.iter().copied().collect();
                    decoder.error(
                        join_path(&self.path, key),
                        format!(
                            "unknown field: remove it, or use one of {}",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
    }
}

fn join_path(base: &str, name: &str) -> String {
    if base == "$" || base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn index_path(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

impl Decoder {
    fn error(&mut self, path: String, message: impl Into<String>) {
        self.errors.push(ScenarioError {
            path,
            message: message.into(),
        });
    }

    fn object<'a>(&mut self, path: &str, value: &'a Value) -> ObjectReader<'a> {
        let map = match value {
            Value::Object(map) => Some(map),
            other => {
                self.error(
                    path.to_string(),
                    format!("expected an object {{...}}, found {}", type_name(other)),
                );
                None
            }
        };
        ObjectReader {
            path: path.to_string(),
            map,
            used: BTreeSet::new(),
        }
    }

    fn required<'a>(
        &mut self,
        reader: &mut ObjectReader<'a>,
        name: &'static str,
    ) -> Option<&'a Value> {
        let value = reader.field(name);
        if value.is_none() && reader.map.is_some() {
            self.error(reader.path_of(name), "missing: this field is required");
        }
        value
    }

    fn string(&mut self, path: String, value: &Value, max_chars: usize) -> Option<String> {
        match value {
            Value::String(text) => {
                if text.chars().count() > max_chars {
                    self.error(
                        path,
                        format!("longer than {max_chars} characters: shorten it"),
                    );
                    None
                } else if text.chars().any(|c| c.is_control()) {
                    self.error(path, "contains control characters: use plain text");
                    None
                } else {
                    Some(text.clone())
                }
            }
            other => {
                self.error(
                    path,
                    format!("expected a string, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn id(&mut self, path: String, value: &Value) -> Option<String> {
        let text = self.string(path.clone(), value, limits::ID_CHARS_MAX)?;
        if text.trim().is_empty() {
            self.error(path, "empty id: give it a name such as \"peer1\"");
            return None;
        }
        Some(text)
    }

    fn boolean(&mut self, path: String, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.error(
                    path,
                    format!("expected true or false, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn whole_number(&mut self, path: String, value: &Value, min: u64, max: u64) -> Option<u64> {
        let number = match value {
            Value::Number(number) => number,
            other => {
                self.error(
                    path,
                    format!("expected a whole number, found {}", type_name(other)),
                );
                return None;
            }
        };
        let Some(whole) = number.as_u64() else {
            let reason = number_problem(number);
            self.error(
                path,
                format!("{number} {reason}: use a whole number from {min} to {max}"),
            );
            return None;
        };
        if whole < min || whole > max {
            self.error(
                path,
                format!("{whole} is out of range: use a whole number from {min} to {max}"),
            );
            return None;
        }
        Some(whole)
    }

    fn decimal(&mut self, path: String, value: &Value, min: f64, max: f64) -> Option<f64> {
        let number = match (value, value.as_f64()) {
            (Value::Number(_), Some(number)) => number,
            (Value::Number(number), None) => {
                let problem = number_problem(number);
                self.error(
                    path,
                    format!("{number} {problem}: use a number from {min} to {max}"),
                );
                return None;
            }
            _ => {
                self.error(
                    path,
                    format!("expected a number, found {}", type_name(value)),
                );
                return None;
            }
        };
        if !number.is_finite() || number < min || number > max {
            self.error(
                path,
                format!("{number} is out of range: use a number from {min} to {max}"),
            );
            return None;
        }
        Some(number)
    }

    /// A duration parameter of [`parameters`], read with the table's range.
    fn duration_parameter(&mut self, parameter: Parameter, value: &Value) -> Option<u64> {
        let (min_ms, max_ms) = parameter.duration_range_ms();
        self.duration(parameter.path.into(), value, min_ms, max_ms)
    }

    /// A whole-number parameter of [`parameters`], read with the table's range.
    fn whole_parameter(&mut self, parameter: Parameter, value: &Value) -> Option<u64> {
        let (min, max) = parameter.whole_range();
        self.whole_number(parameter.path.into(), value, min, max)
    }

    /// A decimal parameter of [`parameters`], read with the table's range.
    fn decimal_parameter(&mut self, parameter: Parameter, value: &Value) -> Option<f64> {
        let (min, max) = parameter.decimal_range();
        self.decimal(parameter.path.into(), value, min, max)
    }

    fn duration(&mut self, path: String, value: &Value, min_ms: u64, max_ms: u64) -> Option<u64> {
        let parsed = match value {
            Value::String(text) => parse_duration(text),
            Value::Number(number) => match number.as_f64() {
                Some(seconds) => seconds_to_ms(seconds),
                None => Err(format!("{number} {}: write a duration like \"2h\"", number_problem(number))),
            },
            other => Err(format!(
                "expected a duration like \"90s\", \"15m\", \"2h\" or a number of seconds, found {}",
                type_name(other)
            )),
        };
        match parsed {
            Ok(ms) if ms < min_ms || ms > max_ms => {
                self.error(
                    path,
                    format!(
                        "{} is out of range: use a duration from {} to {}",
                        super::duration::format_duration(ms),
                        super::duration::format_duration(min_ms),
                        super::duration::format_duration(max_ms)
                    ),
                );
                None
            }
            Ok(ms) => Some(ms),
            Err(message) => {
                self.error(path, message);
                None
            }
        }
    }

    fn array<'a>(
        &mut self,
        path: &str,
        value: &'a Value,
        max_items: usize,
        what: &str,
    ) -> &'a [Value] {
        match value {
            Value::Array(items) if items.len() > max_items => {
                self.error(
                    path.to_string(),
                    format!(
                        "{} {what}, over the limit of {max_items}: remove some",
                        items.len()
                    ),
                );
                &items[..max_items]
            }
            Value::Array(items) => items,
            other => {
                self.error(
                    path.to_string(),
                    format!("expected a list [...], found {}", type_name(other)),
                );
                &[]
            }
        }
    }

    fn id_list(&mut self, path: &str, value: &Value, max_items: usize) -> Vec<String> {
        let items = self.array(path, value, max_items, "ids");
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| self.id(index_path(path, index), item))
            .collect()
    }

    fn scenario(&mut self, value: &Value) -> ScenarioFile {
        let mut reader = self.object("$", value);
        let version = match self.required(&mut reader, "version") {
            Some(Value::Number(number)) if number.as_u64() == Some(FORMAT_VERSION) => {
                FORMAT_VERSION
            }
            Some(other) => {
                self.error(
                    "version".into(),
                    format!(
                        "unsupported version {other}: this build reads version {FORMAT_VERSION}; \
                         export the scenario again from a current app"
                    ),
                );
                FORMAT_VERSION
            }
            None => FORMAT_VERSION,
        };
        let name = match reader.field("name") {
            Some(value) => self
                .string("name".into(), value, limits::ID_CHARS_MAX)
                .unwrap_or_default(),
            None => "untitled".to_string(),
        };
        let description = match reader.field("description") {
            Some(value) => self
                .string("description".into(), value, limits::DESCRIPTION_CHARS_MAX)
                .unwrap_or_default(),
            None => String::new(),
        };
        let seed = reader
            .field("seed")
            .and_then(|value| self.whole_parameter(parameters::SEED, value))
            .unwrap_or(1);
        let duration_ms = reader
            .field("duration")
            .and_then(|value| self.duration_parameter(parameters::DURATION, value))
            .unwrap_or(6 * 3_600_000);
        let chain = match reader.field("chain") {
            Some(value) => self.chain(value),
            None => ChainFile::default(),
        };
        let network = match reader.field("network") {
            Some(value) => self.network(value),
            None => NetworkFile::default(),
        };
        let regions = match self.required(&mut reader, "regions") {
            Some(value) => {
                let items = self.array("regions", value, limits::REGIONS_MAX, "regions");
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.region(&index_path("regions", index), item))
                    .collect()
            }
            None => Vec::new(),
        };
        let clients = match reader.field("clients") {
            Some(value) => self.clients(value),
            None => ClientsFile::default(),
        };
        let backup = reader.field("backup").map(|value| self.backup(value));
        let faults = match reader.field("faults") {
            Some(value) => {
                let items = self.array("faults", value, limits::FAULTS_MAX, "faults");
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| self.fault(&index_path("faults", index), item))
                    .collect()
            }
            None => Vec::new(),
        };
        let plan = match reader.field("plan") {
            Some(value) => self.plan(value),
            None => PlanFile::default(),
        };
        reader.finish(self);
        ScenarioFile {
            plan,
            version,
            name,
            description,
            seed,
            duration_ms,
            chain,
            network,
            regions,
            clients,
            backup,
            faults,
        }
    }

    fn chain(&mut self, value: &Value) -> ChainFile {
        let mut chain = ChainFile::default();
        let mut reader = self.object("chain", value);
        macro_rules! duration_field {
            ($name:literal, $field:expr, $parameter:expr) => {
                if let Some(value) = reader.field($name) {
                    if let Some(ms) = self.duration_parameter($parameter, value) {
                        $field = ms;
                    }
                }
            };
        }
        macro_rules! whole_field {
            ($name:literal, $field:expr, $parameter:expr) => {
                if let Some(value) = reader.field($name) {
                    if let Some(number) = self.whole_parameter($parameter, value) {
                        $field = number;
                    }
                }
            };
        }
        duration_field!("block_time", chain.block_time_ms, parameters::BLOCK_TIME);
        whole_field!(
            "max_rollback_blocks",
            chain.max_rollback_blocks,
            parameters::MAX_ROLLBACK_BLOCKS
        );
        whole_field!(
            "difficulty_window_blocks",
            chain.difficulty_window_blocks,
            parameters::DIFFICULTY_WINDOW_BLOCKS
        );
        whole_field!(
            "difficulty_change_limit_percent",
            chain.difficulty_change_limit_percent,
            parameters::DIFFICULTY_CHANGE_LIMIT_PERCENT
        );
        if let Some(value) = reader.field("smoothing_factor") {
            if let Some(number) = self.decimal_parameter(parameters::SMOOTHING_FACTOR, value) {
                chain.smoothing_factor = number;
            }
        }
        duration_field!(
            "sync_interval",
            chain.sync_interval_ms,
            parameters::SYNC_INTERVAL
        );
        duration_field!(
            "reconnect_interval",
            chain.reconnect_interval_ms,
            parameters::RECONNECT_INTERVAL
        );
        whole_field!(
            "max_blocks_per_sync",
            chain.max_blocks_per_sync,
            parameters::MAX_BLOCKS_PER_SYNC
        );
        whole_field!(
            "max_connections",
            chain.max_connections,
            parameters::MAX_CONNECTIONS
        );
        duration_field!(
            "transaction_lifetime",
            chain.transaction_lifetime_ms,
            parameters::TRANSACTION_LIFETIME
        );
        if let Some(value) = reader.field("harvest_gating") {
            if let Some(flag) = self.boolean(parameters::HARVEST_GATING.path.into(), value) {
                chain.harvest_gating = flag;
            }
        }
        duration_field!(
            "node_startup",
            chain.node_startup_ms,
            parameters::NODE_STARTUP
        );
        duration_field!(
            "crash_recovery",
            chain.crash_recovery_ms,
            parameters::CRASH_RECOVERY
        );
        duration_field!(
            "harvest_start_delay",
            chain.harvest_start_delay_ms,
            parameters::HARVEST_START_DELAY
        );
        whole_field!(
            "initial_height",
            chain.initial_height,
            parameters::INITIAL_HEIGHT
        );
        duration_field!(
            "block_processing",
            chain.block_processing_ms,
            parameters::BLOCK_PROCESSING
        );
        if let Some(value) = reader.field("finalization") {
            let mut finalization_reader = self.object("chain.finalization", value);
            if let Some(value) = finalization_reader.field("enabled") {
                if let Some(flag) =
                    self.boolean(parameters::FINALIZATION_ENABLED.path.into(), value)
                {
                    chain.finalization.enabled = flag;
                }
            }
            if let Some(value) = finalization_reader.field("threshold_percent") {
                if let Some(number) =
                    self.decimal_parameter(parameters::FINALIZATION_THRESHOLD_PERCENT, value)
                {
                    chain.finalization.threshold_percent = number;
                }
            }
            if let Some(value) = finalization_reader.field("step_duration") {
                if let Some(ms) =
                    self.duration_parameter(parameters::FINALIZATION_STEP_DURATION, value)
                {
                    chain.finalization.step_duration_ms = ms;
                }
            }
            if let Some(value) = finalization_reader.field("voting_set_grouping_blocks") {
                if let Some(number) =
                    self.whole_parameter(parameters::FINALIZATION_VOTING_SET_GROUPING_BLOCKS, value)
                {
                    chain.finalization.voting_set_grouping_blocks = number;
                }
            }
            finalization_reader.finish(self);
        }
        reader.finish(self);
        chain
    }

    fn network(&mut self, value: &Value) -> NetworkFile {
        let mut network = NetworkFile::default();
        let mut reader = self.object("network", value);
        for (name, field, parameter) in [
            (
                "intra_az_latency_ms",
                &mut network.intra_az_latency_ms,
                parameters::INTRA_AZ_LATENCY,
            ),
            (
                "inter_az_latency_ms",
                &mut network.inter_az_latency_ms,
                parameters::INTER_AZ_LATENCY,
            ),
            (
                "default_inter_region_latency_ms",
                &mut network.default_inter_region_latency_ms,
                parameters::DEFAULT_INTER_REGION_LATENCY,
            ),
        ] {
            if let Some(value) = reader.field(name) {
                if let Some(number) = self.whole_parameter(parameter, value) {
                    *field = number;
                }
            }
        }
        if let Some(value) = reader.field("region_latencies") {
            let items = self.array("network.region_latencies", value, 256, "entries");
            for (index, item) in items.iter().enumerate() {
                let path = index_path("network.region_latencies", index);
                let mut entry_reader = self.object(&path, item);
                let between = self
                    .required(&mut entry_reader, "between")
                    .map(|value| self.id_list(&join_path(&path, "between"), value, 2))
                    .unwrap_or_default();
                let latency = self
                    .required(&mut entry_reader, "latency_ms")
                    .and_then(|value| {
                        self.whole_number(join_path(&path, "latency_ms"), value, 0, 10_000)
                    });
                entry_reader.finish(self);
                if between.len() != 2 && entry_reader_has_between(item) {
                    self.error(
                        join_path(&path, "between"),
                        "expected two region ids, like [\"ap-northeast-1\", \"us-east-1\"]",
                    );
                }
                if let (true, Some(latency_ms)) = (between.len() == 2, latency) {
                    network.region_latencies.push(RegionLatencyFile {
                        between: [between[0].clone(), between[1].clone()],
                        latency_ms,
                    });
                }
            }
        }
        if let Some(value) = reader.field("loss_percent") {
            if let Some(number) = self.decimal(reader.path_of("loss_percent"), value, 0.0, 100.0) {
                network.loss_percent = number;
            }
        }
        reader.finish(self);
        network
    }

    fn region(&mut self, path: &str, value: &Value) -> RegionFile {
        let mut reader = self.object(path, value);
        let id = self
            .required(&mut reader, "id")
            .and_then(|value| self.id(join_path(path, "id"), value))
            .unwrap_or_default();
        let azs = match self.required(&mut reader, "azs") {
            Some(value) => {
                let azs_path = join_path(path, "azs");
                let items = self.array(
                    &azs_path,
                    value,
                    limits::AZS_PER_REGION_MAX,
                    "availability zones",
                );
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.az(&index_path(&azs_path, index), item))
                    .collect()
            }
            None => Vec::new(),
        };
        reader.finish(self);
        RegionFile { id, azs }
    }

    fn az(&mut self, path: &str, value: &Value) -> AzFile {
        let mut reader = self.object(path, value);
        let id = self
            .required(&mut reader, "id")
            .and_then(|value| self.id(join_path(path, "id"), value))
            .unwrap_or_default();
        let nodes = match self.required(&mut reader, "nodes") {
            Some(value) => {
                let nodes_path = join_path(path, "nodes");
                let items = self.array(&nodes_path, value, limits::NODES_MAX, "nodes");
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| self.node(&index_path(&nodes_path, index), item))
                    .collect()
            }
            None => Vec::new(),
        };
        reader.finish(self);
        AzFile { id, nodes }
    }

    fn node(&mut self, path: &str, value: &Value) -> NodeFile {
        let mut reader = self.object(path, value);
        let id = self
            .required(&mut reader, "id")
            .and_then(|value| self.id(join_path(path, "id"), value))
            .unwrap_or_default();
        let role = match self.required(&mut reader, "role") {
            Some(Value::String(text)) => Role::parse(text).unwrap_or_else(|| {
                self.error(
                    join_path(path, "role"),
                    format!("unknown role \"{text}\": use \"PEER\", \"API\" or \"DUAL\""),
                );
                Role::Peer
            }),
            Some(other) => {
                self.error(
                    join_path(path, "role"),
                    format!(
                        "expected \"PEER\", \"API\" or \"DUAL\", found {}",
                        type_name(other)
                    ),
                );
                Role::Peer
            }
            None => Role::Peer,
        };
        let mut node = NodeFile::new(&id, role);
        if let Some(value) = reader.field("voting") {
            node.voting = self
                .boolean(join_path(path, "voting"), value)
                .unwrap_or(false);
        }
        if let Some(value) = reader.field("stake") {
            node.stake = self
                .whole_number(join_path(path, "stake"), value, 0, 1_000_000_000_000)
                .unwrap_or(node.stake);
        }
        node.voting_balance = if node.voting { 1 } else { 0 };
        if let Some(value) = reader.field("voting_balance") {
            node.voting_balance = self
                .whole_number(
                    join_path(path, "voting_balance"),
                    value,
                    0,
                    1_000_000_000_000,
                )
                .unwrap_or(node.voting_balance);
        }
        if let Some(value) = reader.field("standby") {
            node.standby = self
                .boolean(join_path(path, "standby"), value)
                .unwrap_or(false);
        }
        if let Some(value) = reader.field("clone_of") {
            node.clone_of = self.id(join_path(path, "clone_of"), value);
        }
        reader.finish(self);
        node
    }

    fn clients(&mut self, value: &Value) -> ClientsFile {
        let mut clients = ClientsFile::default();
        let mut reader = self.object("clients", value);
        if let Some(value) = reader.field("transactions_per_second") {
            if let Some(number) = self.decimal_parameter(parameters::TRANSACTIONS_PER_SECOND, value)
            {
                clients.transactions_per_second = number;
            }
        }
        if let Some(value) = reader.field("entry_point") {
            clients.entry_point = self.entry_point(value);
        }
        reader.finish(self);
        clients
    }

    fn entry_point(&mut self, value: &Value) -> EntryPointFile {
        let path = "clients.entry_point";
        let mut reader = self.object(path, value);
        let kind = match reader.field("kind") {
            Some(Value::String(text)) => EntryKind::parse(text).unwrap_or_else(|| {
                self.error(
                    join_path(path, "kind"),
                    format!("unknown entry point \"{text}\": use \"load_balancer\", \"dns_failover\", \"latency_routing\" or \"direct\""),
                );
                EntryKind::LoadBalancer
            }),
            Some(other) => {
                self.error(join_path(path, "kind"), format!("expected a string, found {}", type_name(other)));
                EntryKind::LoadBalancer
            }
            None => EntryKind::LoadBalancer,
        };
        let mut entry = EntryPointFile::with_defaults(kind);
        if let Some(value) = reader.field("targets") {
            entry.targets = self.id_list(&join_path(path, "targets"), value, limits::NODES_MAX);
        }
        if let Some(value) = reader.field("health_check_interval") {
            if let Some(ms) = self.duration(
                join_path(path, "health_check_interval"),
                value,
                1_000,
                3_600_000,
            ) {
                entry.health_check_interval_ms = ms;
            }
        }
        for (name, field) in [
            ("unhealthy_threshold", &mut entry.unhealthy_threshold),
            ("healthy_threshold", &mut entry.healthy_threshold),
        ] {
            if let Some(value) = reader.field(name) {
                if let Some(number) = self.whole_number(join_path(path, name), value, 1, 100) {
                    *field = number;
                }
            }
        }
        if let Some(value) = reader.field("switch_delay") {
            if let Some(ms) = self.duration(join_path(path, "switch_delay"), value, 0, 86_400_000) {
                entry.switch_delay_ms = ms;
            }
        }
        if let Some(value) = reader.field("region_shares") {
            let shares_path = join_path(path, "region_shares");
            match value {
                Value::Object(map) => {
                    for (region, share) in map {
                        if let Some(share) =
                            self.decimal(join_path(&shares_path, region), share, 0.0, 1_000_000.0)
                        {
                            entry.region_shares.push((region.clone(), share));
                        }
                    }
                }
                other => self.error(
                    shares_path,
                    format!(
                        "expected an object of region ids and shares, like {{\"ap-northeast-1\": 0.6, \"ap-northeast-3\": 0.4}}, found {}",
                        type_name(other)
                    ),
                ),
            }
        }
        reader.finish(self);
        entry
    }

    fn backup(&mut self, value: &Value) -> BackupFile {
        let mut reader = self.object("backup", value);
        let source = self
            .required(&mut reader, "source")
            .and_then(|value| self.id("backup.source".into(), value))
            .unwrap_or_default();
        let mut backup = BackupFile::with_source(source);
        if let Some(value) = reader.field("interval") {
            if let Some(ms) = self.duration_parameter(parameters::BACKUP_INTERVAL, value) {
                backup.interval_ms = ms;
            }
        }
        if let Some(value) = reader.field("copy_to_region") {
            backup.copy_to_region = self.id("backup.copy_to_region".into(), value);
        }
        if let Some(value) = reader.field("copy_lag") {
            if let Some(ms) = self.duration_parameter(parameters::BACKUP_COPY_LAG, value) {
                backup.copy_lag_ms = ms;
            }
        }
        if let Some(value) = reader.field("retention_count") {
            if let Some(number) = self.whole_parameter(parameters::BACKUP_RETENTION_COUNT, value) {
                backup.retention_count = number;
            }
        }
        reader.finish(self);
        backup
    }

    fn plan(&mut self, value: &Value) -> PlanFile {
        let mut plan = PlanFile::default();
        let mut reader = self.object("plan", value);
        if let Some(value) = reader.field("targets") {
            let mut targets_reader = self.object("plan.targets", value);
            if let Some(map) = targets_reader.map {
                for (name, entry) in map {
                    let path = format!("plan.targets.{name}");
                    let Some(failure) = FailureKind::parse(name) else {
                        self.error(
                            path,
                            format!(
                                "unknown failure \"{name}\": use one of {}",
                                FailureKind::ALL.map(FailureKind::as_str).join(", ")
                            ),
                        );
                        continue;
                    };
                    let mut entry_reader = self.object(&path, entry);
                    let rto_ms = entry_reader.field("rto").and_then(|value| {
                        self.duration(join_path(&path, "rto"), value, 0, limits::DURATION_MAX_MS)
                    });
                    let rpo_ms = entry_reader.field("rpo").and_then(|value| {
                        self.duration(join_path(&path, "rpo"), value, 0, limits::DURATION_MAX_MS)
                    });
                    entry_reader.finish(self);
                    plan.targets.push(TargetFile {
                        failure,
                        rto_ms,
                        rpo_ms,
                    });
                }
                // Every key was handled above (known or reported).
                targets_reader.map = None;
            }
            targets_reader.finish(self);
            crate::sort::sort_by_key(&mut plan.targets, |target| target.failure);
        }
        for (name, field, parameter) in [
            (
                "node_hour_price",
                &mut plan.node_hour_price,
                parameters::PLAN_NODE_HOUR_PRICE,
            ),
            (
                "backup_gb_month_price",
                &mut plan.backup_gb_month_price,
                parameters::PLAN_BACKUP_GB_MONTH_PRICE,
            ),
        ] {
            if let Some(value) = reader.field(name) {
                if let Some(number) = self.decimal_parameter(parameter, value) {
                    *field = number;
                }
            }
        }
        if let Some(value) = reader.field("trials") {
            if let Some(number) =
                self.whole_number("plan.trials".into(), value, 1, limits::TRIALS_MAX)
            {
                plan.trials = number;
            }
        }
        if let Some(value) = reader.field("outage_duration") {
            if let Some(ms) = self.duration_parameter(parameters::PLAN_OUTAGE_DURATION, value) {
                plan.outage_duration_ms = ms;
            }
        }
        if let Some(value) = reader.field("node_replacement") {
            if let Some(ms) = self.duration_parameter(parameters::PLAN_NODE_REPLACEMENT, value) {
                plan.node_replacement_ms = ms;
            }
        }
        if let Some(value) = reader.field("load_balancer") {
            if let Some(flag) = self.boolean(parameters::PLAN_LOAD_BALANCER.path.into(), value) {
                plan.load_balancer = flag;
            }
        }
        if let Some(value) = reader.field("recovery_region") {
            plan.recovery_region = self.id("plan.recovery_region".into(), value);
        }
        if let Some(value) = reader.field("restore") {
            let mut restore_reader = self.object("plan.restore", value);
            for (name, field, parameter) in [
                (
                    "detection_and_decision",
                    &mut plan.restore.detection_and_decision_ms,
                    parameters::PLAN_RESTORE_DETECTION_AND_DECISION,
                ),
                (
                    "provisioning",
                    &mut plan.restore.provisioning_ms,
                    parameters::PLAN_RESTORE_PROVISIONING,
                ),
            ] {
                if let Some(value) = restore_reader.field(name) {
                    if let Some(ms) = self.duration_parameter(parameter, value) {
                        *field = ms;
                    }
                }
            }
            if let Some(value) = restore_reader.field("volume_size_gb") {
                if let Some(number) =
                    self.whole_parameter(parameters::PLAN_RESTORE_VOLUME_SIZE, value)
                {
                    plan.restore.volume_size_gb = number;
                }
            }
            if let Some(value) = restore_reader.field("initialization_mib_per_s") {
                if let Some(number) =
                    self.whole_parameter(parameters::PLAN_RESTORE_INITIALIZATION_RATE, value)
                {
                    plan.restore.initialization_mib_per_s = number;
                }
            }
            restore_reader.finish(self);
        }
        if let Some(value) = reader.field("operator") {
            let mut operator_reader = self.object("plan.operator", value);
            for (name, field, parameter) in [
                (
                    "detection",
                    &mut plan.operator.detection_ms,
                    parameters::PLAN_OPERATOR_DETECTION,
                ),
                (
                    "decision",
                    &mut plan.operator.decision_ms,
                    parameters::PLAN_OPERATOR_DECISION,
                ),
            ] {
                if let Some(value) = operator_reader.field(name) {
                    if let Some(ms) = self.duration_parameter(parameter, value) {
                        *field = ms;
                    }
                }
            }
            operator_reader.finish(self);
        }
        if let Some(value) = reader.field("currency") {
            if let Some(text) = self.string("plan.currency".into(), value, 8) {
                plan.currency = text;
            }
        }
        reader.finish(self);
        plan
    }

    fn groups(&mut self, path: &str, value: &Value) -> Vec<Vec<String>> {
        let items = self.array(path, value, limits::GROUPS_MAX, "groups");
        let groups: Vec<Vec<String>> = items
            .iter()
            .enumerate()
            .map(|(index, item)| self.id_list(&index_path(path, index), item, limits::NODES_MAX))
            .collect();
        if groups.len() < 2 && value.is_array() {
            self.error(
                path.to_string(),
                "expected at least two groups, like [[\"peer1\", \"peer3\"], [\"peer2\"]]",
            );
        }
        groups
    }

    fn fault(&mut self, path: &str, value: &Value) -> Option<FaultFile> {
        let mut reader = self.object(path, value);
        reader.map?;
        let kind_text = match self.required(&mut reader, "kind") {
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.error(
                    join_path(path, "kind"),
                    format!("expected a string, found {}", type_name(other)),
                );
                None
            }
            None => None,
        };
        let at_ms = self.required(&mut reader, "at").and_then(|value| {
            self.duration(join_path(path, "at"), value, 0, limits::DURATION_MAX_MS)
        });
        let until_ms = reader.field("until").and_then(|value| {
            self.duration(join_path(path, "until"), value, 0, limits::DURATION_MAX_MS)
        });
        let single_id = |decoder: &mut Decoder, reader: &mut ObjectReader, name: &'static str| {
            decoder
                .required(reader, name)
                .and_then(|value| decoder.id(join_path(path, name), value))
        };
        let action = match kind_text.as_deref() {
            Some("crash") => {
                single_id(self, &mut reader, "node").map(|node| FaultAction::Crash { node })
            }
            Some("stop") => {
                single_id(self, &mut reader, "node").map(|node| FaultAction::Stop { node })
            }
            Some("disk_loss") => {
                single_id(self, &mut reader, "node").map(|node| FaultAction::DiskLoss { node })
            }
            Some("isolate") => {
                single_id(self, &mut reader, "node").map(|node| FaultAction::Isolate { node })
            }
            Some("api_down") => {
                single_id(self, &mut reader, "node").map(|node| FaultAction::ApiDown { node })
            }
            Some("resync") => {
                single_id(self, &mut reader, "node").map(|node| FaultAction::Resync { node })
            }
            Some("copy_chain") => {
                let node = single_id(self, &mut reader, "node");
                let from = single_id(self, &mut reader, "from");
                node.zip(from)
                    .map(|(node, from)| FaultAction::CopyChain { node, from })
            }
            Some("az_outage") => {
                single_id(self, &mut reader, "az").map(|az| FaultAction::AzOutage { az })
            }
            Some("region_outage") => single_id(self, &mut reader, "region")
                .map(|region| FaultAction::RegionOutage { region }),
            Some("restore") => self.required(&mut reader, "nodes").map(|value| {
                let nodes = self.id_list(&join_path(path, "nodes"), value, limits::NODES_MAX);
                FaultAction::Restore { nodes }
            }),
            Some("partition") => {
                let groups = self
                    .required(&mut reader, "groups")
                    .map(|value| self.groups(&join_path(path, "groups"), value));
                let one_way = reader
                    .field("one_way")
                    .and_then(|value| self.boolean(join_path(path, "one_way"), value))
                    .unwrap_or(false);
                groups.map(|groups| FaultAction::Partition { groups, one_way })
            }
            Some("degrade") => {
                let groups = self
                    .required(&mut reader, "groups")
                    .map(|value| self.groups(&join_path(path, "groups"), value));
                let extra_latency_ms = reader
                    .field("extra_latency_ms")
                    .and_then(|value| {
                        self.whole_number(join_path(path, "extra_latency_ms"), value, 0, 60_000)
                    })
                    .unwrap_or(0);
                let loss_percent = reader
                    .field("loss_percent")
                    .and_then(|value| {
                        self.decimal(join_path(path, "loss_percent"), value, 0.0, 100.0)
                    })
                    .unwrap_or(0.0);
                groups.map(|groups| FaultAction::Degrade {
                    groups,
                    extra_latency_ms,
                    loss_percent,
                })
            }
            Some(other) => {
                self.error(
                    join_path(path, "kind"),
                    format!(
                        "unknown fault \"{other}\": use one of {}",
                        FaultAction::KINDS.join(", ")
                    ),
                );
                None
            }
            None => None,
        };
        // Fields that belong to other fault kinds are unknown here; mark every field a
        // fault may carry as read only when this kind uses it.
        reader.finish(self);
        Some(FaultFile {
            at_ms: at_ms?,
            until_ms,
            action: action?,
        })
    }
}

fn entry_reader_has_between(item: &Value) -> bool {
    item.get("between").is_some_and(Value::is_array)
}

/// Why a JSON number is not usable as given.
fn number_problem(number: &serde_json::Number) -> &'static str {
    match number.to_string().parse::<f64>() {
        Ok(value) if !value.is_finite() || value.abs() >= 1.8e19 => "is too large",
        Ok(value) if value < 0.0 => "is negative",
        _ => "is not a whole number",
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
