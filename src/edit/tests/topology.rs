//! Adding, moving and duplicating nodes, AZs and regions.

use super::*;

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
    // Empty containers add no node, so they still fit.
    apply(
        &file,
        &Edit::AddAz {
            region: file.regions[0].id.clone(),
        },
    )
    .unwrap();
    apply(&file, &Edit::AddRegion).unwrap();
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
    // Moving every node out of an AZ leaves it empty, ready to fill (issue 13: empty
    // AZs are valid, as "+ AZ" makes them).
    let emptied = apply(
        &file,
        &Edit::MoveNodes {
            nodes: vec!["peer3".into(), "api2".into()],
            to_az: "ap-northeast-1a".into(),
        },
    )
    .unwrap();
    assert!(az_nodes(&emptied, "ap-northeast-1c").is_empty());
    assert_eq!(emptied.regions[0].azs.len(), file.regions[0].azs.len());
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
fn azs_and_regions_are_added_empty_ready_to_fill_issue_13() {
    let file = preset("multi-az");
    let with_az = apply(
        &file,
        &Edit::AddAz {
            region: "ap-northeast-1".into(),
        },
    )
    .unwrap();
    assert_eq!(added_ids(&file, &with_az), ["ap-northeast-1b"]);
    assert!(az_nodes(&with_az, "ap-northeast-1b").is_empty());
    let with_region = apply(&with_az, &Edit::AddRegion).unwrap();
    assert_eq!(
        added_ids(&with_az, &with_region),
        ["ap-northeast-3", "ap-northeast-3a"]
    );
    assert!(az_nodes(&with_region, "ap-northeast-3a").is_empty());
    // Valid as drawn, and filled like any AZ.
    validate(&with_region).unwrap();
    let filled = apply(
        &with_region,
        &Edit::AddNode {
            az: "ap-northeast-3a".into(),
            role: Role::Peer,
        },
    )
    .unwrap();
    assert_eq!(az_nodes(&filled, "ap-northeast-3a"), ["peer4"]);
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
            "ap-northeast-3",
            "ap-northeast-3a"
        ]
    );
    validate(&file).unwrap();
}

#[test]
fn delete_targets_removes_the_selection_in_one_step_issue_13() {
    let file = preset("multi-az");
    // Two nodes from different AZs, and a link (which is not deleted).
    let deleted = apply(
        &file,
        &Edit::DeleteTargets {
            targets: vec![
                Target::Node("peer2".into()),
                Target::Node("api2".into()),
                Target::Link("a".into(), "b".into()),
            ],
        },
    )
    .unwrap();
    assert_eq!(az_nodes(&deleted, "ap-northeast-1a"), ["peer1", "api1"]);
    assert_eq!(az_nodes(&deleted, "ap-northeast-1c"), ["peer3"]);
    // An AZ and one of its own nodes: the AZ goes, the node with it.
    let deleted = apply(
        &file,
        &Edit::DeleteTargets {
            targets: vec![
                Target::Node("peer3".into()),
                Target::Az("ap-northeast-1c".into()),
            ],
        },
    )
    .unwrap();
    assert_eq!(deleted.regions[0].azs.len(), 1);
    // The usual refusals hold (the last region), and nothing changes.
    assert_refused(
        &file,
        Edit::DeleteTargets {
            targets: vec![Target::Region("ap-northeast-1".into())],
        },
        "regions[0]",
        "the only region",
    );
    assert_refused(
        &file,
        Edit::DeleteTargets {
            targets: vec![Target::Link("a".into(), "b".into())],
        },
        "selection",
        "nothing to delete",
    );
}
