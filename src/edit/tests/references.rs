//! Renames rewrite every reference; deletions prune them or are refused.

use super::*;

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
        Edit::RenameNode {
            from: "peer2".into(),
            to: "peer1".into(),
        },
        "regions[0].azs[0].nodes[1].id",
        "'peer1' is already used by another node; choose another name",
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
    // Deleting every node of an AZ leaves the AZ, empty (issue 13: empty AZs are valid).
    let emptied = apply(
        &direct,
        &Edit::DeleteNodes {
            nodes: vec!["peer3".into(), "api2".into()],
        },
    )
    .unwrap();
    assert!(emptied.regions[0].azs[1].nodes.is_empty());
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

#[test]
fn a_refused_rename_reads_as_one_message_about_the_name_issue_13() {
    let file = preset("multi-az");
    let rename = Edit::RenameNode {
        from: "peer2".into(),
        to: "api1".into(),
    };
    let errors = apply(&file, &rename).unwrap_err();
    // Twice the same problem is said once.
    let doubled: Vec<_> = errors.iter().chain(errors.iter()).cloned().collect();
    assert_eq!(
        refusal_messages(&rename, &doubled),
        ["Name: 'api1' is already used by another node; choose another name"]
    );
    let empty = Edit::RenameAz {
        from: "ap-northeast-1c".into(),
        to: "  ".into(),
    };
    let messages = refusal_messages(&empty, &apply(&file, &empty).unwrap_err());
    assert_eq!(messages.len(), 1);
    assert!(messages[0].starts_with("Name: empty"), "{messages:?}");
    // Other edits keep their paths.
    let parameter = Edit::SetChainParameter {
        name: "block_time".into(),
        value: "soon".into(),
    };
    let messages = refusal_messages(&parameter, &apply(&file, &parameter).unwrap_err());
    assert!(
        !messages.is_empty() && !messages[0].starts_with("Name:"),
        "{messages:?}"
    );
}
