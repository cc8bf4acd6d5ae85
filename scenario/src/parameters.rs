//! Every scenario parameter the app edits as text, with its JSON path and range: one
//! table that both the decoder ([`super::decode`]) and the app's editors
//! (`edit::parameters`, `edit::assumptions`) read, so a range is written once.
//!
//! Invariants: a parameter's range is the one the decoder enforces (a value inside
//! it is read, one outside it is refused at the parameter's path; tested below for
//! every entry of [`PARAMETERS`]); durations are in milliseconds.

use super::limits;

const DAY_MS: u64 = 86_400_000;

/// How a parameter is written and the values it may take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParameterKind {
    /// A duration (`"90s"`, `"2h"`) from `min_ms` to `max_ms`.
    Duration { min_ms: u64, max_ms: u64 },
    /// A whole number from `min` to `max`.
    Whole { min: u64, max: u64 },
    /// A finite number from `min` to `max`.
    Decimal { min: f64, max: f64 },
    /// `true` or `false`.
    Flag,
}

/// One parameter: where it is in the file and what it may hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parameter {
    /// The JSON path (`chain.block_time`), which errors name.
    pub path: &'static str,
    pub kind: ParameterKind,
}

const fn duration(path: &'static str, min_ms: u64, max_ms: u64) -> Parameter {
    Parameter {
        path,
        kind: ParameterKind::Duration { min_ms, max_ms },
    }
}

const fn whole(path: &'static str, min: u64, max: u64) -> Parameter {
    Parameter {
        path,
        kind: ParameterKind::Whole { min, max },
    }
}

const fn decimal(path: &'static str, min: f64, max: f64) -> Parameter {
    Parameter {
        path,
        kind: ParameterKind::Decimal { min, max },
    }
}

const fn flag(path: &'static str) -> Parameter {
    Parameter {
        path,
        kind: ParameterKind::Flag,
    }
}

impl Parameter {
    /// The range of a duration parameter, in milliseconds.
    ///
    /// Panics if the parameter is not a duration: a mistake in this table, caught by
    /// its tests.
    pub const fn duration_range_ms(self) -> (u64, u64) {
        match self.kind {
            ParameterKind::Duration { min_ms, max_ms } => (min_ms, max_ms),
            _ => panic!("not a duration parameter"),
        }
    }

    /// The range of a whole-number parameter.
    ///
    /// Panics if the parameter is not a whole number (a mistake in this table).
    pub const fn whole_range(self) -> (u64, u64) {
        match self.kind {
            ParameterKind::Whole { min, max } => (min, max),
            _ => panic!("not a whole-number parameter"),
        }
    }

    /// The range of a decimal parameter.
    ///
    /// Panics if the parameter is not a decimal (a mistake in this table).
    pub const fn decimal_range(self) -> (f64, f64) {
        match self.kind {
            ParameterKind::Decimal { min, max } => (min, max),
            _ => panic!("not a decimal parameter"),
        }
    }
}

pub const SEED: Parameter = whole("seed", 0, u64::MAX);
pub const DURATION: Parameter = duration("duration", 1_000, limits::DURATION_MAX_MS);
pub const BLOCK_TIME: Parameter = duration("chain.block_time", 1_000, 600_000);
pub const MAX_ROLLBACK_BLOCKS: Parameter = whole("chain.max_rollback_blocks", 0, 10_000);
pub const DIFFICULTY_WINDOW_BLOCKS: Parameter = whole("chain.difficulty_window_blocks", 2, 1_000);
pub const DIFFICULTY_CHANGE_LIMIT_PERCENT: Parameter =
    whole("chain.difficulty_change_limit_percent", 1, 100);
pub const SMOOTHING_FACTOR: Parameter = decimal("chain.smoothing_factor", 0.0, 10.0);
pub const SYNC_INTERVAL: Parameter = duration("chain.sync_interval", 100, 600_000);
pub const RECONNECT_INTERVAL: Parameter = duration("chain.reconnect_interval", 1_000, 3_600_000);
pub const MAX_BLOCKS_PER_SYNC: Parameter = whole("chain.max_blocks_per_sync", 1, 10_000);
pub const MAX_CONNECTIONS: Parameter = whole("chain.max_connections", 1, 100);
pub const TRANSACTION_LIFETIME: Parameter =
    duration("chain.transaction_lifetime", 60_000, 30 * DAY_MS);
pub const HARVEST_GATING: Parameter = flag("chain.harvest_gating");
pub const NODE_STARTUP: Parameter = duration("chain.node_startup", 0, DAY_MS);
pub const CRASH_RECOVERY: Parameter = duration("chain.crash_recovery", 0, DAY_MS);
pub const HARVEST_START_DELAY: Parameter = duration("chain.harvest_start_delay", 0, 3_600_000);
pub const INITIAL_HEIGHT: Parameter = whole("chain.initial_height", 1, limits::INITIAL_HEIGHT_MAX);
pub const BLOCK_PROCESSING: Parameter = duration("chain.block_processing", 1, 60_000);
pub const FINALIZATION_ENABLED: Parameter = flag("chain.finalization.enabled");
pub const FINALIZATION_THRESHOLD_PERCENT: Parameter =
    decimal("chain.finalization.threshold_percent", 50.0, 100.0);
pub const FINALIZATION_STEP_DURATION: Parameter =
    duration("chain.finalization.step_duration", 1_000, 3_600_000);
pub const FINALIZATION_VOTING_SET_GROUPING_BLOCKS: Parameter =
    whole("chain.finalization.voting_set_grouping_blocks", 1, 100_000);
pub const INTRA_AZ_LATENCY: Parameter = whole("network.intra_az_latency_ms", 0, 10_000);
pub const INTER_AZ_LATENCY: Parameter = whole("network.inter_az_latency_ms", 0, 10_000);
pub const DEFAULT_INTER_REGION_LATENCY: Parameter =
    whole("network.default_inter_region_latency_ms", 0, 10_000);
pub const LOSS_PERCENT: Parameter = decimal("network.loss_percent", 0.0, 100.0);
pub const TRANSACTIONS_PER_SECOND: Parameter = decimal(
    "clients.transactions_per_second",
    0.0,
    limits::TRANSACTIONS_PER_SECOND_MAX,
);
pub const BACKUP_INTERVAL: Parameter = duration("backup.interval", 60_000, 30 * DAY_MS);
pub const BACKUP_COPY_LAG: Parameter = duration("backup.copy_lag", 0, 7 * DAY_MS);
pub const BACKUP_RETENTION_COUNT: Parameter = whole("backup.retention_count", 1, 10_000);
pub const PLAN_OUTAGE_DURATION: Parameter = duration("plan.outage_duration", 60_000, 7 * DAY_MS);
pub const PLAN_NODE_REPLACEMENT: Parameter = duration("plan.node_replacement", 0, 7 * DAY_MS);
pub const PLAN_LOAD_BALANCER: Parameter = flag("plan.load_balancer");
pub const PLAN_NODE_HOUR_PRICE: Parameter = decimal("plan.node_hour_price", 0.0, 1_000_000.0);
pub const PLAN_BACKUP_GB_MONTH_PRICE: Parameter =
    decimal("plan.backup_gb_month_price", 0.0, 1_000_000.0);
pub const PLAN_RESTORE_DETECTION_AND_DECISION: Parameter =
    duration("plan.restore.detection_and_decision", 0, 14 * DAY_MS);
pub const PLAN_RESTORE_PROVISIONING: Parameter =
    duration("plan.restore.provisioning", 0, 14 * DAY_MS);
pub const PLAN_RESTORE_VOLUME_SIZE: Parameter = whole("plan.restore.volume_size_gb", 1, 64_000);
pub const PLAN_RESTORE_INITIALIZATION_RATE: Parameter =
    whole("plan.restore.initialization_mib_per_s", 1, 10_000);
pub const PLAN_OPERATOR_DETECTION: Parameter = duration("plan.operator.detection", 0, 7 * DAY_MS);
pub const PLAN_OPERATOR_DECISION: Parameter = duration("plan.operator.decision", 0, 7 * DAY_MS);

/// Every parameter of the table, in file order.
pub const PARAMETERS: [Parameter; 41] = [
    SEED,
    DURATION,
    BLOCK_TIME,
    MAX_ROLLBACK_BLOCKS,
    DIFFICULTY_WINDOW_BLOCKS,
    DIFFICULTY_CHANGE_LIMIT_PERCENT,
    SMOOTHING_FACTOR,
    SYNC_INTERVAL,
    RECONNECT_INTERVAL,
    MAX_BLOCKS_PER_SYNC,
    MAX_CONNECTIONS,
    TRANSACTION_LIFETIME,
    HARVEST_GATING,
    NODE_STARTUP,
    CRASH_RECOVERY,
    HARVEST_START_DELAY,
    INITIAL_HEIGHT,
    BLOCK_PROCESSING,
    FINALIZATION_ENABLED,
    FINALIZATION_THRESHOLD_PERCENT,
    FINALIZATION_STEP_DURATION,
    FINALIZATION_VOTING_SET_GROUPING_BLOCKS,
    INTRA_AZ_LATENCY,
    INTER_AZ_LATENCY,
    DEFAULT_INTER_REGION_LATENCY,
    LOSS_PERCENT,
    TRANSACTIONS_PER_SECOND,
    BACKUP_INTERVAL,
    BACKUP_COPY_LAG,
    BACKUP_RETENTION_COUNT,
    PLAN_OUTAGE_DURATION,
    PLAN_NODE_REPLACEMENT,
    PLAN_LOAD_BALANCER,
    PLAN_NODE_HOUR_PRICE,
    PLAN_BACKUP_GB_MONTH_PRICE,
    PLAN_RESTORE_DETECTION_AND_DECISION,
    PLAN_RESTORE_PROVISIONING,
    PLAN_RESTORE_VOLUME_SIZE,
    PLAN_RESTORE_INITIALIZATION_RATE,
    PLAN_OPERATOR_DETECTION,
    PLAN_OPERATOR_DECISION,
];

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::decode::decode;
    use crate::duration::format_duration;
    use crate::file::encode;
    use crate::presets;

    /// The preset with a backup vault, encoded, with `value` written at `path`
    /// (creating the objects on the way).
    fn file_with(path: &str, value: Value) -> Value {
        let mut file = encode(&presets::load_file("inter-region-backup").unwrap());
        let mut object = &mut file;
        let mut keys = path.split('.').peekable();
        while let Some(key) = keys.next() {
            let map = object.as_object_mut().expect(path);
            if keys.peek().is_none() {
                map.insert(key.to_string(), value);
                break;
            }
            object = map.entry(key).or_insert_with(|| json!({}));
        }
        file
    }

    /// The value at `path` of an encoded file.
    fn value_at(file: &Value, path: &str) -> Value {
        path.split('.')
            .try_fold(file, |object, key| object.get(key))
            .cloned()
            .unwrap_or_else(|| panic!("{path} is not in the encoded file"))
    }

    /// (inside, outside) values of a parameter, as the file writes them.
    fn edges(kind: ParameterKind) -> (Vec<Value>, Vec<Value>) {
        match kind {
            ParameterKind::Duration { min_ms, max_ms } => (
                vec![
                    json!(format_duration(min_ms)),
                    json!(format_duration(max_ms)),
                ],
                min_ms
                    .checked_sub(1)
                    .into_iter()
                    .chain([max_ms + 1])
                    .map(|ms| json!(format_duration(ms)))
                    .collect(),
            ),
            ParameterKind::Whole { min, max } => (
                vec![json!(min), json!(max)],
                min.checked_sub(1)
                    .into_iter()
                    .chain(max.checked_add(1))
                    .map(|number| json!(number))
                    .collect(),
            ),
            ParameterKind::Decimal { min, max } => (
                vec![json!(min), json!(max)],
                vec![json!(min - 0.5), json!(max + 0.5)],
            ),
            ParameterKind::Flag => (vec![json!(true), json!(false)], vec![json!("maybe")]),
        }
    }

    #[test]
    fn the_decoder_reads_every_parameter_with_the_tables_range() {
        for parameter in PARAMETERS {
            let (inside, outside) = edges(parameter.kind);
            for value in inside {
                let decoded = decode(&file_with(parameter.path, value.clone()))
                    .unwrap_or_else(|errors| panic!("{}: {errors:?}", parameter.path));
                let read_back = value_at(&encode(&decoded), parameter.path);
                match (&value, &read_back) {
                    (Value::String(written), Value::String(read)) => assert_eq!(
                        crate::duration::parse_duration(written),
                        crate::duration::parse_duration(read),
                        "{}",
                        parameter.path
                    ),
                    (Value::Number(written), Value::Number(read)) => {
                        assert_eq!(written.as_f64(), read.as_f64(), "{}", parameter.path)
                    }
                    _ => assert_eq!(value, read_back, "{}", parameter.path),
                }
            }
            for value in outside {
                let errors = decode(&file_with(parameter.path, value.clone()))
                    .expect_err(&format!("{} accepts {value}", parameter.path));
                assert_eq!(errors[0].path, parameter.path, "{errors:?}");
            }
        }
    }

    #[test]
    fn paths_are_unique() {
        for (index, parameter) in PARAMETERS.iter().enumerate() {
            assert!(
                PARAMETERS[..index]
                    .iter()
                    .all(|other| other.path != parameter.path),
                "{} twice",
                parameter.path
            );
        }
    }
}
