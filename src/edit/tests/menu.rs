//! Context menus, their faults, the partition tool and finding targets.

use super::*;

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
