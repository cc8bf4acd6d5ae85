//! The scenario-wide parameters the inspector edits as text: one spec per parameter
//! (name, path, label, unit, range, field), read and written through it.
//!
//! Invariants: a value's text reads back unchanged; text out of range is refused with
//! the parameter's JSON path and changes nothing.

use super::refuse;
use crate::scenario;
use crate::scenario::duration::{format_duration, parse_duration};
use crate::scenario::file::ScenarioFile;
use crate::scenario::parameters::ParameterKind;
use crate::scenario::ScenarioError;

/// One scenario-wide parameter as the inspector shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterView {
    /// The key for [`super::Edit::SetChainParameter`]: the JSON path without `chain.` or
    /// `network.` (`block_time`, `finalization.enabled`, `loss_percent`).
    pub name: &'static str,
    /// The JSON path errors name (`chain.block_time`).
    pub path: &'static str,
    pub label: &'static str,
    /// The value as text that [`super::Edit::SetChainParameter`] reads back unchanged.
    pub value_text: String,
    /// What to write: `duration (15s, 2m, 1h)`, `blocks`, `ms`, `%`, `true or false`.
    pub unit_hint: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ParameterValue {
    Whole(u64),
    Decimal(f64),
    Flag(bool),
}

/// A field of the file a parameter reads and writes.
pub(super) trait ParameterSlot {
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

pub(super) struct ParameterSpec {
    pub(super) name: &'static str,
    pub(super) path: &'static str,
    pub(super) label: &'static str,
    pub(super) unit_hint: &'static str,
    pub(super) kind: ParameterKind,
    pub(super) read: fn(&ScenarioFile) -> ParameterValue,
    pub(super) write: fn(&mut ScenarioFile, ParameterValue),
}

pub(super) const DURATION_HINT: &str = "duration (15s, 2m, 1h)";

macro_rules! parameter {
    ($name:literal, $parameter:expr, $label:literal, $unit:expr, |$file:ident| $field:expr) => {
        ParameterSpec {
            name: $name,
            path: $parameter.path,
            label: $label,
            unit_hint: $unit,
            kind: $parameter.kind,
            read: |$file: &ScenarioFile| ParameterSlot::read(&$field),
            write: |$file: &mut ScenarioFile, value| ParameterSlot::write(&mut $field, value),
        }
    };
}
pub(super) use parameter;

/// Every parameter the inspector edits, in the order it lists them. Paths and ranges
/// come from the table the decoder reads ([`scenario::parameters`]).
pub(super) fn parameter_specs() -> Vec<ParameterSpec> {
    vec![
        parameter!(
            "seed",
            scenario::parameters::SEED,
            "Random seed",
            "",
            |file| file.seed
        ),
        parameter!(
            "duration",
            scenario::parameters::DURATION,
            "Simulated duration",
            DURATION_HINT,
            |file| file.duration_ms
        ),
        parameter!(
            "block_time",
            scenario::parameters::BLOCK_TIME,
            "Block time",
            DURATION_HINT,
            |file| file.chain.block_time_ms
        ),
        parameter!(
            "max_rollback_blocks",
            scenario::parameters::MAX_ROLLBACK_BLOCKS,
            "Max rollback blocks (0 = bounded by finalization)",
            "blocks",
            |file| file.chain.max_rollback_blocks
        ),
        parameter!(
            "difficulty_window_blocks",
            scenario::parameters::DIFFICULTY_WINDOW_BLOCKS,
            "Difficulty window",
            "blocks",
            |file| file.chain.difficulty_window_blocks
        ),
        parameter!(
            "difficulty_change_limit_percent",
            scenario::parameters::DIFFICULTY_CHANGE_LIMIT_PERCENT,
            "Difficulty change limit per block",
            "%",
            |file| file.chain.difficulty_change_limit_percent
        ),
        parameter!(
            "smoothing_factor",
            scenario::parameters::SMOOTHING_FACTOR,
            "Block time smoothing factor",
            "",
            |file| file.chain.smoothing_factor
        ),
        parameter!(
            "sync_interval",
            scenario::parameters::SYNC_INTERVAL,
            "Sync interval",
            DURATION_HINT,
            |file| file.chain.sync_interval_ms
        ),
        parameter!(
            "reconnect_interval",
            scenario::parameters::RECONNECT_INTERVAL,
            "Reconnect interval",
            DURATION_HINT,
            |file| file.chain.reconnect_interval_ms
        ),
        parameter!(
            "max_blocks_per_sync",
            scenario::parameters::MAX_BLOCKS_PER_SYNC,
            "Max blocks per sync",
            "blocks",
            |file| file.chain.max_blocks_per_sync
        ),
        parameter!(
            "max_connections",
            scenario::parameters::MAX_CONNECTIONS,
            "Max connections",
            "connections",
            |file| file.chain.max_connections
        ),
        parameter!(
            "transaction_lifetime",
            scenario::parameters::TRANSACTION_LIFETIME,
            "Transaction lifetime",
            DURATION_HINT,
            |file| file.chain.transaction_lifetime_ms
        ),
        parameter!(
            "harvest_gating",
            scenario::parameters::HARVEST_GATING,
            "Harvest only near the network height",
            "true or false",
            |file| file.chain.harvest_gating
        ),
        parameter!(
            "node_startup",
            scenario::parameters::NODE_STARTUP,
            "Node start-up time",
            DURATION_HINT,
            |file| file.chain.node_startup_ms
        ),
        parameter!(
            "crash_recovery",
            scenario::parameters::CRASH_RECOVERY,
            "Extra recovery after a crash",
            DURATION_HINT,
            |file| file.chain.crash_recovery_ms
        ),
        parameter!(
            "harvest_start_delay",
            scenario::parameters::HARVEST_START_DELAY,
            "Harvest start delay",
            DURATION_HINT,
            |file| file.chain.harvest_start_delay_ms
        ),
        parameter!(
            "initial_height",
            scenario::parameters::INITIAL_HEIGHT,
            "Chain height at the start",
            "blocks",
            |file| file.chain.initial_height
        ),
        parameter!(
            "block_processing",
            scenario::parameters::BLOCK_PROCESSING,
            "Processing per synced block",
            DURATION_HINT,
            |file| file.chain.block_processing_ms
        ),
        parameter!(
            "finalization.enabled",
            scenario::parameters::FINALIZATION_ENABLED,
            "Finalization",
            "true or false",
            |file| file.chain.finalization.enabled
        ),
        parameter!(
            "finalization.threshold_percent",
            scenario::parameters::FINALIZATION_THRESHOLD_PERCENT,
            "Finalization threshold",
            "%",
            |file| file.chain.finalization.threshold_percent
        ),
        parameter!(
            "finalization.step_duration",
            scenario::parameters::FINALIZATION_STEP_DURATION,
            "Finalization step duration",
            DURATION_HINT,
            |file| file.chain.finalization.step_duration_ms
        ),
        parameter!(
            "finalization.voting_set_grouping_blocks",
            scenario::parameters::FINALIZATION_VOTING_SET_GROUPING_BLOCKS,
            "Voting set grouping (blocks per epoch)",
            "blocks",
            |file| file.chain.finalization.voting_set_grouping_blocks
        ),
        parameter!(
            "intra_az_latency_ms",
            scenario::parameters::INTRA_AZ_LATENCY,
            "Latency within an AZ",
            "ms",
            |file| file.network.intra_az_latency_ms
        ),
        parameter!(
            "inter_az_latency_ms",
            scenario::parameters::INTER_AZ_LATENCY,
            "Latency between AZs",
            "ms",
            |file| file.network.inter_az_latency_ms
        ),
        parameter!(
            "default_inter_region_latency_ms",
            scenario::parameters::DEFAULT_INTER_REGION_LATENCY,
            "Default latency between regions",
            "ms",
            |file| file.network.default_inter_region_latency_ms
        ),
        parameter!(
            "loss_percent",
            scenario::parameters::LOSS_PERCENT,
            "Message loss",
            "%",
            |file| file.network.loss_percent
        ),
        parameter!(
            "transactions_per_second",
            scenario::parameters::TRANSACTIONS_PER_SECOND,
            "Client transactions per second",
            "tx/s",
            |file| file.clients.transactions_per_second
        ),
    ]
}

pub(super) fn parameter_text(kind: ParameterKind, value: ParameterValue) -> String {
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
pub(super) fn parse_parameter(
    spec: &ParameterSpec,
    text: &str,
) -> Result<ParameterValue, ScenarioError> {
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

pub(super) fn set_parameter(
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
