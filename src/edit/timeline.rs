//! Timeline edits: moving and resizing faults, and ending a target's active faults
//! ("Restart").
//!
//! Invariants: faults stay inside `[0, duration]` and end after they start.

use super::refuse;
use super::targets::{active_faults_on, target_label, Target};
use crate::scenario::duration::describe_duration;
use crate::scenario::file::ScenarioFile;
use crate::scenario::ScenarioError;

pub(super) fn fault_position(
    file: &ScenarioFile,
    index: usize,
) -> Result<usize, Vec<ScenarioError>> {
    if index >= file.faults.len() {
        return Err(refuse(
            format!("faults[{index}]"),
            format!(
                "no such fault: the timeline has {} fault(s)",
                file.faults.len()
            ),
        ));
    }
    Ok(index)
}

pub(super) fn move_fault(
    next: &mut ScenarioFile,
    index: usize,
    at_ms: u64,
) -> Result<(), Vec<ScenarioError>> {
    let duration_ms = next.duration_ms;
    let position = fault_position(next, index)?;
    let fault = &mut next.faults[position];
    match fault.until_ms {
        Some(until_ms) => {
            let length_ms = until_ms.saturating_sub(fault.at_ms);
            let start_ms = at_ms.min(duration_ms.saturating_sub(length_ms));
            fault.at_ms = start_ms;
            fault.until_ms = Some(start_ms + length_ms);
        }
        None => fault.at_ms = at_ms.min(duration_ms),
    }
    Ok(())
}

pub(super) fn resize_fault(
    next: &mut ScenarioFile,
    index: usize,
    at_ms: u64,
    until_ms: Option<u64>,
) -> Result<(), Vec<ScenarioError>> {
    let duration_ms = next.duration_ms;
    let position = fault_position(next, index)?;
    let start_ms = at_ms.min(duration_ms);
    let end_ms = until_ms.map(|until_ms| until_ms.min(duration_ms));
    if let Some(end_ms) = end_ms.filter(|&end_ms| end_ms <= start_ms) {
        return Err(refuse(
            format!("faults[{position}].until"),
            format!(
                "it would end at {} but start at {}: a fault must end after it starts; drag its end later",
                describe_duration(end_ms),
                describe_duration(start_ms)
            ),
        ));
    }
    let fault = &mut next.faults[position];
    fault.at_ms = start_ms;
    fault.until_ms = end_ms;
    Ok(())
}

pub(super) fn end_faults_at(
    next: &mut ScenarioFile,
    target: &Target,
    at_ms: u64,
) -> Result<(), Vec<ScenarioError>> {
    let active = active_faults_on(next, target, at_ms);
    if active.is_empty() {
        return Err(refuse(
            "faults",
            format!(
                "nothing to restart: no fault on {} is active at {}",
                target_label(target),
                describe_duration(at_ms)
            ),
        ));
    }
    for index in active {
        next.faults[index].until_ms = Some(at_ms);
    }
    Ok(())
}
