//! The planner's assumptions edited from the planner panel: one row per `plan` (and
//! backup) field, with its source, shown in human units.
//!
//! Invariants: a value's text reads back unchanged; a backup field is editable only
//! when a backup vault is drawn; text out of range is refused with its JSON path.

use super::parameters::{
    parameter, parameter_text, parse_parameter, ParameterSlot, ParameterSpec, ParameterValue,
};
use super::refuse;
use crate::scenario;
use crate::scenario::duration::parse_duration;
use crate::scenario::file::{BackupFile, ScenarioFile};
use crate::scenario::parameters::ParameterKind;
use crate::scenario::ScenarioError;

/// One planner assumption as the planner panel shows it, next to the matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumptionView {
    /// The key for [`super::Edit::SetPlanAssumption`] (`outage_duration`,
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
    /// `docs/scenario-format.md` gives it (`"[MJ]"`, `"[AWS] 100 to 300 MiB/s, the low end"`).
    pub source: &'static str,
    /// False when the value cannot be edited here (no backup vault is drawn: the
    /// planner's default backup applies).
    pub editable: bool,
}

/// A planner assumption: its parameter (read, write, range) and its source.
pub(super) struct AssumptionSpec {
    pub(super) parameter: ParameterSpec,
    pub(super) source: &'static str,
    /// Whether the field exists in this file (the backup's fields need a backup vault).
    pub(super) present: fn(&ScenarioFile) -> bool,
}

pub(super) fn always(_: &ScenarioFile) -> bool {
    true
}

pub(super) fn has_backup(file: &ScenarioFile) -> bool {
    file.backup.is_some()
}

/// The backup the planner's `inter-region-backup` strategy uses: the drawn one, or
/// the defaults.
pub(super) fn planned_backup(file: &ScenarioFile) -> BackupFile {
    file.backup
        .clone()
        .unwrap_or_else(|| BackupFile::with_source(String::new()))
}

macro_rules! assumption {
    ($name:literal, $parameter:expr, $label:literal, $unit:expr, $source:literal, |$file:ident| $field:expr) => {
        AssumptionSpec {
            parameter: parameter!($name, $parameter, $label, $unit, |$file| $field),
            source: $source,
            present: always,
        }
    };
}

/// A backup field: read from the drawn backup or the planner's default, written only
/// when a backup vault is drawn.
macro_rules! backup_assumption {
    ($name:literal, $parameter:expr, $label:literal, $unit:expr, $source:literal, $field:ident) => {
        AssumptionSpec {
            parameter: ParameterSpec {
                name: $name,
                path: $parameter.path,
                label: $label,
                unit_hint: $unit,
                kind: $parameter.kind,
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

/// Every planner assumption the panel shows, in order: one row each. Paths and ranges
/// come from the table the decoder reads ([`scenario::parameters`]); sources are those of
/// `docs/scenario-format.md`.
pub(super) fn assumption_specs() -> Vec<AssumptionSpec> {
    vec![
        assumption!(
            "outage_duration",
            scenario::parameters::PLAN_OUTAGE_DURATION,
            "Outage duration (node, AZ, link, API tier)",
            "",
            "assumption",
            |file| file.plan.outage_duration_ms
        ),
        assumption!(
            "node_replacement",
            scenario::parameters::PLAN_NODE_REPLACEMENT,
            "Replacing a node after disk loss",
            "",
            "assumption",
            |file| file.plan.node_replacement_ms
        ),
        assumption!(
            "restore.detection_and_decision",
            scenario::parameters::PLAN_RESTORE_DETECTION_AND_DECISION,
            "Detecting a region loss and deciding to fail over",
            "",
            "assumption",
            |file| file.plan.restore.detection_and_decision_ms
        ),
        assumption!(
            "restore.provisioning",
            scenario::parameters::PLAN_RESTORE_PROVISIONING,
            "Provisioning nodes in the recovery region",
            "",
            "assumption (mijin publishes no cross-region builder)",
            |file| file.plan.restore.provisioning_ms
        ),
        assumption!(
            "operator.detection",
            scenario::parameters::PLAN_OPERATOR_DETECTION,
            "Operator notices a split the nodes cannot heal",
            "",
            "assumption (an alert on diverging heights or hashes between regions)",
            |file| file.plan.operator.detection_ms
        ),
        assumption!(
            "operator.decision",
            scenario::parameters::PLAN_OPERATOR_DECISION,
            "Operator decides which side to keep and starts the resync",
            "",
            "assumption",
            |file| file.plan.operator.decision_ms
        ),
        assumption!(
            "restore.volume_size_gb",
            scenario::parameters::PLAN_RESTORE_VOLUME_SIZE,
            "Restored volume size",
            "GB",
            "[MJ] 500 GB",
            |file| file.plan.restore.volume_size_gb
        ),
        assumption!(
            "restore.initialization_mib_per_s",
            scenario::parameters::PLAN_RESTORE_INITIALIZATION_RATE,
            "Volume initialization rate from a snapshot",
            "MiB/s",
            "[AWS] 100 to 300 MiB/s; the default takes the low end",
            |file| file.plan.restore.initialization_mib_per_s
        ),
        backup_assumption!(
            "backup.interval",
            scenario::parameters::BACKUP_INTERVAL,
            "Backup interval",
            "",
            "seed document (AWS Backup every 2 h)",
            interval_ms
        ),
        backup_assumption!(
            "backup.copy_lag",
            scenario::parameters::BACKUP_COPY_LAG,
            "Cross-region copy lag",
            "",
            "assumption",
            copy_lag_ms
        ),
        backup_assumption!(
            "backup.retention_count",
            scenario::parameters::BACKUP_RETENTION_COUNT,
            "Snapshots kept",
            "snapshots",
            "assumption (12 × 2 h = one day)",
            retention_count
        ),
        assumption!(
            "node_hour_price",
            scenario::parameters::PLAN_NODE_HOUR_PRICE,
            "Price of a node-hour",
            "",
            "assumption",
            |file| file.plan.node_hour_price
        ),
        assumption!(
            "backup_gb_month_price",
            scenario::parameters::PLAN_BACKUP_GB_MONTH_PRICE,
            "Price of a GB-month of snapshots",
            "",
            "assumption",
            |file| file.plan.backup_gb_month_price
        ),
        assumption!(
            "load_balancer",
            scenario::parameters::PLAN_LOAD_BALANCER,
            "Load balancer in front of single-AZ and multi-AZ",
            "true or false",
            "choice",
            |file| file.plan.load_balancer
        ),
    ]
}

/// The value of an assumption in human units: durations as "1 h", "30 min".
pub(super) fn assumption_text(kind: ParameterKind, value: ParameterValue) -> String {
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
pub(super) fn parse_human_duration(text: &str) -> Result<u64, String> {
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

pub(super) fn set_assumption(
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
