//! Moving, resizing and ending faults, the history, and the fault limit.

use super::*;

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
