//! Editing a scenario from the app, kept pure: faults added from a context menu,
//! removed from the timeline, and an undo/redo history. Every edit is validated; an
//! edit that would make the scenario invalid is refused with its errors and changes
//! nothing.

use crate::scenario::file::{FaultAction, FaultFile, ScenarioFile};
use crate::scenario::{validate, ScenarioError};

/// Edits kept for undo.
pub const HISTORY_MAX: usize = 100;

/// What a context-menu action targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Node(String),
    Az(String),
    Region(String),
}

/// The faults a context menu offers for a target: (label, fault kind).
pub fn menu_for(target: &Target) -> Vec<(&'static str, &'static str)> {
    match target {
        Target::Node(_) => vec![
            ("Crash", "crash"),
            ("Stop", "stop"),
            ("Isolate", "isolate"),
            ("Lose its disk", "disk_loss"),
            ("API services down", "api_down"),
            ("Operator resync", "resync"),
        ],
        Target::Az(_) => vec![("AZ outage", "az_outage")],
        Target::Region(_) => vec![("Region outage", "region_outage")],
    }
}

/// The fault `kind` on `target` from `at_ms`, lasting `length_ms` (cut at the end of
/// the run).
pub fn fault_for(
    target: &Target,
    kind: &str,
    at_ms: u64,
    length_ms: u64,
    duration_ms: u64,
) -> Option<FaultFile> {
    let until_ms = Some((at_ms + length_ms).min(duration_ms.max(at_ms + 1_000)));
    let action = match (target, kind) {
        (Target::Node(node), "crash") => FaultAction::Crash { node: node.clone() },
        (Target::Node(node), "stop") => FaultAction::Stop { node: node.clone() },
        (Target::Node(node), "isolate") => FaultAction::Isolate { node: node.clone() },
        (Target::Node(node), "disk_loss") => FaultAction::DiskLoss { node: node.clone() },
        (Target::Node(node), "api_down") => FaultAction::ApiDown { node: node.clone() },
        (Target::Node(node), "resync") => FaultAction::Resync { node: node.clone() },
        (Target::Az(az), "az_outage") => FaultAction::AzOutage { az: az.clone() },
        (Target::Region(region), "region_outage") => FaultAction::RegionOutage {
            region: region.clone(),
        },
        _ => return None,
    };
    Some(FaultFile {
        at_ms,
        until_ms,
        action,
    })
}

/// One edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddFault(FaultFile),
    RemoveFault(usize),
}

/// Applies an edit, or explains why it cannot be made.
pub fn apply(file: &ScenarioFile, edit: &Edit) -> Result<ScenarioFile, Vec<ScenarioError>> {
    let mut next = file.clone();
    match edit {
        Edit::AddFault(fault) => next.faults.push(fault.clone()),
        Edit::RemoveFault(index) => {
            if *index >= next.faults.len() {
                return Err(vec![ScenarioError::new(
                    format!("faults[{index}]"),
                    "no such fault",
                )]);
            }
            next.faults.remove(*index);
        }
    }
    validate(&next)?;
    Ok(next)
}

/// Undo and redo over whole scenario files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    past: Vec<ScenarioFile>,
    future: Vec<ScenarioFile>,
}

impl History {
    /// Records `previous` before a change; a new change clears what could be redone.
    pub fn record(&mut self, previous: ScenarioFile) {
        self.past.push(previous);
        if self.past.len() > HISTORY_MAX {
            self.past.remove(0);
        }
        self.future.clear();
    }

    pub fn undo(&mut self, current: ScenarioFile) -> Option<ScenarioFile> {
        let previous = self.past.pop()?;
        self.future.push(current);
        Some(previous)
    }

    pub fn redo(&mut self, current: ScenarioFile) -> Option<ScenarioFile> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::presets;

    #[test]
    fn a_menu_action_adds_a_valid_fault_and_an_invalid_one_is_refused() {
        let file = presets::load_file("multi-az").unwrap();
        let target = Target::Node("peer2".into());
        assert!(menu_for(&target).iter().any(|(_, kind)| *kind == "crash"));
        let crash = fault_for(&target, "crash", 3_600_000, 1_800_000, file.duration_ms).unwrap();
        let edited = apply(&file, &Edit::AddFault(crash.clone())).unwrap();
        assert_eq!(edited.faults.len(), file.faults.len() + 1);
        // The same crash again overlaps the first: refused, nothing changes.
        let errors = apply(&edited, &Edit::AddFault(crash)).unwrap_err();
        assert!(errors[0].message.contains("overlaps"));
        // A PEER has no API services to take down.
        let api_down = fault_for(&target, "api_down", 0, 60_000, file.duration_ms).unwrap();
        assert!(apply(&file, &Edit::AddFault(api_down)).is_err());
        assert!(fault_for(&Target::Az("x".into()), "crash", 0, 1, 1).is_none());
    }

    #[test]
    fn faults_end_with_the_run() {
        let fault = fault_for(
            &Target::Region("r".into()),
            "region_outage",
            5_000_000,
            9_000_000,
            6_000_000,
        )
        .unwrap();
        assert_eq!(fault.until_ms, Some(6_000_000));
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let first = presets::load_file("multi-az").unwrap();
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
}
