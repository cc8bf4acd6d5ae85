//! The edits' tests, one file per concern, and the fixtures they share: every edit
//! goes through [`apply`], with the file checked as a saved one would be.

use std::collections::BTreeSet;

use super::assumptions::assumption_specs;
use super::lookups::{
    find_az, find_id, find_node, find_region, fresh_az_id, fresh_id, node_at, topology_ids_in_order,
};
use super::parameters::{parameter_specs, parameter_text, parse_parameter, ParameterValue};
use super::*;
use crate::scenario::file::{encode_pretty, BackupFile, FaultAction, RegionLatencyFile};
use crate::scenario::limits;
use crate::scenario::parameters::ParameterKind;
use crate::scenario::presets;

mod menu;
mod parameters;
mod properties;
mod references;
mod timeline;
mod topology;

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
