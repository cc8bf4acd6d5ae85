//! The fault timeline's arithmetic, pure: which row (target) a fault sits on, and what
//! a drag or an arrow key does to a fault's start and end. The browser's Gantt
//! timeline (`ui::fault_timeline`) only turns pointer movement into milliseconds.
//!
//! Invariants: a drag moves by whole steps (a minute for runs of an hour or more, else
//! a second), so a click or a drag back to where it began changes nothing and a fault
//! that starts between steps keeps its offset; spans stay inside the run and never
//! shorter than one step; a fault with no end keeps lasting to the end of the run.

use crate::edit::Edit;
use crate::scenario::file::{FaultAction, FaultFile};

/// The row a fault sits on.
pub fn row_label(action: &FaultAction) -> String {
    let groups = |groups: &[Vec<String>]| {
        groups
            .iter()
            .map(|group| group.join(", "))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    match action {
        FaultAction::Crash { node }
        | FaultAction::Stop { node }
        | FaultAction::DiskLoss { node }
        | FaultAction::Isolate { node }
        | FaultAction::ApiDown { node }
        | FaultAction::Resync { node } => node.clone(),
        FaultAction::CopyChain { node, from } => format!("{from} → {node}"),
        FaultAction::AzOutage { az } => format!("AZ {az}"),
        FaultAction::RegionOutage { region } => format!("region {region}"),
        FaultAction::Partition { groups: list, .. } | FaultAction::Degrade { groups: list, .. } => {
            groups(list)
        }
        FaultAction::Restore { nodes } => nodes.join(", "),
    }
}

/// What part of a fault bar is dragged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grip {
    Body,
    Start,
    End,
}

/// A step for snapping and the arrow keys: a minute, or a second for short runs.
pub fn step_ms(duration_ms: u64) -> u64 {
    if duration_ms >= 3_600_000 {
        60_000
    } else {
        1_000
    }
}

/// A drag of `delta_ms`, in whole steps (so a click, or a drag back to where it began,
/// changes nothing, and a fault that starts between steps keeps its offset).
pub fn snapped_delta(delta_ms: i64, step: u64) -> i64 {
    let step = step as i64;
    (delta_ms + step / 2).div_euclid(step) * step
}

fn clamp_ms(at_ms: i64, low_ms: u64, high_ms: u64) -> u64 {
    at_ms.clamp(low_ms as i64, high_ms.max(low_ms) as i64) as u64
}

/// The start and end a fault would have after a drag of `delta_ms` on `grip`.
pub fn dragged_span(fault: &FaultFile, grip: Grip, delta_ms: i64, duration_ms: u64) -> (u64, u64) {
    let step = step_ms(duration_ms);
    let delta = snapped_delta(delta_ms, step);
    let until = fault.until_ms.unwrap_or(duration_ms);
    let length = until.saturating_sub(fault.at_ms);
    match grip {
        // A fault with no end lasts to the end of the run wherever it starts.
        Grip::Body if fault.until_ms.is_none() => {
            let at = clamp_ms(
                fault.at_ms as i64 + delta,
                0,
                duration_ms.saturating_sub(step),
            );
            (at, duration_ms)
        }
        Grip::Body => {
            let at = clamp_ms(
                fault.at_ms as i64 + delta,
                0,
                duration_ms.saturating_sub(length),
            );
            (at, at + length)
        }
        Grip::Start => {
            let at = clamp_ms(fault.at_ms as i64 + delta, 0, until.saturating_sub(step));
            (at, until)
        }
        Grip::End => {
            let end = clamp_ms(until as i64 + delta, fault.at_ms + step, duration_ms);
            (fault.at_ms, end)
        }
    }
}

/// The edit a finished drag makes, or nothing when the fault would not change.
pub fn edit_for(
    fault: &FaultFile,
    index: usize,
    grip: Grip,
    span: (u64, u64),
    duration_ms: u64,
) -> Option<Edit> {
    let until = fault.until_ms.unwrap_or(duration_ms);
    if span == (fault.at_ms, until) {
        return None;
    }
    Some(match grip {
        Grip::Body => Edit::MoveFault {
            index,
            at_ms: span.0,
        },
        Grip::Start | Grip::End => Edit::ResizeFault {
            index,
            at_ms: span.0,
            until_ms: Some(span.1),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: u64 = 3_600_000;

    fn fault(at_ms: u64, until_ms: Option<u64>) -> FaultFile {
        FaultFile {
            at_ms,
            until_ms,
            action: FaultAction::Crash {
                node: "peer1".into(),
            },
        }
    }

    #[test]
    fn a_click_changes_nothing_even_between_steps() {
        let odd = fault(HOUR_MS + 157_000, Some(HOUR_MS + 1_957_000));
        for grip in [Grip::Body, Grip::Start, Grip::End] {
            let span = dragged_span(&odd, grip, 0, 6 * HOUR_MS);
            assert_eq!(span, (odd.at_ms, odd.until_ms.unwrap()), "{grip:?}");
            assert_eq!(edit_for(&odd, 0, grip, span, 6 * HOUR_MS), None);
        }
        // A small wobble is still a click.
        assert_eq!(
            dragged_span(&odd, Grip::Body, 20_000, 6 * HOUR_MS).0,
            odd.at_ms
        );
    }

    #[test]
    fn drags_move_by_whole_steps_and_stay_in_the_run() {
        let crash = fault(HOUR_MS, Some(2 * HOUR_MS));
        assert_eq!(
            dragged_span(&crash, Grip::Body, 10 * 60_000 + 20_000, 6 * HOUR_MS),
            (HOUR_MS + 600_000, 2 * HOUR_MS + 600_000)
        );
        // Never past the end, never before the start of the run.
        assert_eq!(
            dragged_span(&crash, Grip::Body, 10 * HOUR_MS as i64, 6 * HOUR_MS),
            (5 * HOUR_MS, 6 * HOUR_MS)
        );
        assert_eq!(
            dragged_span(&crash, Grip::Body, -10 * HOUR_MS as i64, 6 * HOUR_MS),
            (0, HOUR_MS)
        );
        // Ends never cross: at least one step long.
        assert_eq!(
            dragged_span(&crash, Grip::End, -5 * HOUR_MS as i64, 6 * HOUR_MS),
            (HOUR_MS, HOUR_MS + 60_000)
        );
        assert_eq!(
            dragged_span(&crash, Grip::Start, 5 * HOUR_MS as i64, 6 * HOUR_MS),
            (2 * HOUR_MS - 60_000, 2 * HOUR_MS)
        );
        assert_eq!(
            edit_for(&crash, 3, Grip::End, (HOUR_MS, 3 * HOUR_MS), 6 * HOUR_MS),
            Some(Edit::ResizeFault {
                index: 3,
                at_ms: HOUR_MS,
                until_ms: Some(3 * HOUR_MS)
            })
        );
        // Short runs step by the second.
        assert_eq!(step_ms(30 * 60_000), 1_000);
    }

    #[test]
    fn a_fault_without_an_end_moves_both_ways() {
        let outage = fault(3 * HOUR_MS, None);
        let later = dragged_span(&outage, Grip::Body, HOUR_MS as i64, 6 * HOUR_MS);
        assert_eq!(later, (4 * HOUR_MS, 6 * HOUR_MS));
        assert_eq!(
            edit_for(&outage, 0, Grip::Body, later, 6 * HOUR_MS),
            Some(Edit::MoveFault {
                index: 0,
                at_ms: 4 * HOUR_MS
            })
        );
        let earlier = dragged_span(&outage, Grip::Body, -(HOUR_MS as i64), 6 * HOUR_MS);
        assert_eq!(earlier, (2 * HOUR_MS, 6 * HOUR_MS));
    }

    #[test]
    fn rows_are_named_by_target() {
        assert_eq!(row_label(&fault(0, None).action), "peer1");
        let cut = FaultAction::Partition {
            groups: vec![vec!["a".into(), "b".into()], vec!["c".into()]],
            one_way: false,
        };
        assert_eq!(row_label(&cut), "a, b | c");
        assert_eq!(
            row_label(&FaultAction::AzOutage { az: "az1".into() }),
            "AZ az1"
        );
    }
}
