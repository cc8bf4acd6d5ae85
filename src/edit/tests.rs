//! The edits' tests: every edit through [`apply`], with the file checked as a saved
//! one would be.

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
        .any(|(_, kind)| *kind == MenuAction::Crash));
    let crash = fault_for(&file, &target, MenuAction::Crash, 3_600_000, 1_800_000).unwrap();
    let edited = apply(&file, &Edit::AddFault(crash.clone())).unwrap();
    assert_eq!(edited.faults.len(), file.faults.len() + 1);
    // The same crash again overlaps the first: refused, nothing changes.
    let errors = apply(&edited, &Edit::AddFault(crash)).unwrap_err();
    assert!(errors[0].message.contains("overlaps"));
    // A PEER has no API services to take down.
    let api_down = fault_for(&file, &target, MenuAction::ApiDown, 0, 60_000).unwrap();
    assert!(apply(&file, &Edit::AddFault(api_down)).is_err());
    assert!(fault_for(&file, &Target::Az("x".into()), MenuAction::Crash, 0, 1).is_none());
}

#[test]
fn faults_end_with_the_run() {
    let mut file = preset("multi-az");
    file.duration_ms = 6_000_000;
    let target = Target::Region("ap-northeast-1".into());
    let fault = fault_for(
        &file,
        &target,
        MenuAction::RegionOutage,
        5_000_000,
        9_000_000,
    )
    .unwrap();
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
            .map(|(_, kind)| kind.name())
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
                assert_eq!(
                    action,
                    MenuAction::Restart,
                    "{label} on {id} offers nothing"
                );
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
    assert_eq!(
        menu_for(&single, &only_az),
        [("AZ outage", MenuAction::AzOutage)]
    );
    assert!(fault_for(&single, &only_az, MenuAction::Partition, 0, HOUR_MS).is_none());
    let only_region = Target::Region("ap-northeast-1".into());
    assert_eq!(
        menu_for(&single, &only_region),
        [("Region outage", MenuAction::RegionOutage)]
    );

    let mut file = preset("active-active");
    file.faults.clear();
    let az = Target::Az("ap-northeast-1c".into());
    assert!(menu_for(&file, &az)
        .iter()
        .any(|(_, kind)| *kind == MenuAction::Partition));
    let partition = fault_for(&file, &az, MenuAction::Partition, HOUR_MS, HOUR_MS).unwrap();
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
    let cut = fault_for(&file, &region, MenuAction::Partition, HOUR_MS, HOUR_MS).unwrap();
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
            ("Cut the link", MenuAction::Partition),
            ("Degrade the link", MenuAction::Degrade)
        ]
    );
    let degrade = fault_for(&file, &link, MenuAction::Degrade, HOUR_MS, HOUR_MS).unwrap();
    assert_eq!(
        degrade.action,
        FaultAction::Degrade {
            groups: vec![vec!["ap-northeast-1".into()], vec!["ap-southeast-1".into()]],
            extra_latency_ms: 200,
            loss_percent: 5.0
        }
    );
    let edited = apply(&file, &Edit::AddFault(degrade)).unwrap();
    let cut = menu_edit(&edited, &link, MenuAction::Partition, HOUR_MS, HOUR_MS).unwrap();
    let edited = apply(&edited, &cut).unwrap();
    let reversed = Target::Link("ap-southeast-1".into(), "ap-northeast-1".into());
    assert_eq!(faults_on(&edited, &reversed), [0, 1]);
    assert!(fault_for(
        &file,
        &Target::Link("x".into(), "x".into()),
        MenuAction::Partition,
        0,
        1
    )
    .is_none());
    let nowhere = Target::Link("ap-northeast-1".into(), "mars-1".into());
    let errors = apply(
        &file,
        &menu_edit(&file, &nowhere, MenuAction::Partition, 0, HOUR_MS).unwrap(),
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
    let edit = menu_edit(&file, &target, MenuAction::Restart, 2 * HOUR_MS, HOUR_MS).unwrap();
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
    assert!(menu_edit(&file, &target, MenuAction::Restart, HOUR_MS, HOUR_MS).is_none());
    assert!(menu_edit(
        &restarted,
        &target,
        MenuAction::Restart,
        3 * HOUR_MS,
        HOUR_MS
    )
    .is_none());
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
            file = apply(&file, &edit)
                .unwrap_or_else(|errors| panic!("{}: {id}: {}", preset.name, messages(&errors)));
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
