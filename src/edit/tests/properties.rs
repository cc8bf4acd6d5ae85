//! Node properties, the entry point and the backup vault, and refused edits.

use super::*;

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
