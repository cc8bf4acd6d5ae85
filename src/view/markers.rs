//! The run's event markers, pure: the moments worth jumping to on the timeline strip
//! (a fault starts or ends, the entry point marks a target unhealthy or healthy again, a
//! node rolls back, finalization stalls or resumes), read off a run's typed trace. The
//! page draws them over the fault timeline and the `.` and `,` keys jump between them
//! (`shell::ShellAction::NextEvent`).
//!
//! Invariants: markers are sorted by time and lie inside the run; there are at most
//! [`MARKERS_MAX`]; rollbacks closer than [`ROLLBACK_MERGE_MS`] to the previous rollback
//! marker join it (a fork healing rolls back several nodes within seconds), so the strip
//! stays readable; deterministic (same trace, same markers).

use crate::scenario::Scenario;
use crate::sim::trace::{TraceEntry, TraceEvent};
use crate::sim::{Simulation, SimulationOptions};

/// Markers kept at most (the earliest ones).
pub const MARKERS_MAX: usize = 200;
/// Rollbacks within this long of the previous rollback marker join it.
pub const ROLLBACK_MERGE_MS: u64 = 5 * 60_000;
/// Finalization counts as stalled when no new height is finalized for this many
/// finalization steps (a round takes up to two steps, so three rounds).
pub const STALL_STEPS: u64 = 6;

/// What a marker marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    FaultStart,
    FaultEnd,
    /// The entry point stopped routing to a target.
    Unhealthy,
    /// The entry point routes to a target again.
    Healthy,
    Rollback,
    FinalizationStall,
    FinalizationResume,
}

impl MarkerKind {
    /// A short stable name (CSS class suffix, wire format).
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::FaultStart => "fault-start",
            MarkerKind::FaultEnd => "fault-end",
            MarkerKind::Unhealthy => "unhealthy",
            MarkerKind::Healthy => "healthy",
            MarkerKind::Rollback => "rollback",
            MarkerKind::FinalizationStall => "finalization-stall",
            MarkerKind::FinalizationResume => "finalization-resume",
        }
    }

    pub fn parse(text: &str) -> Option<MarkerKind> {
        [
            MarkerKind::FaultStart,
            MarkerKind::FaultEnd,
            MarkerKind::Unhealthy,
            MarkerKind::Healthy,
            MarkerKind::Rollback,
            MarkerKind::FinalizationStall,
            MarkerKind::FinalizationResume,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }

    /// The one-character symbol drawn on the strip.
    pub fn symbol(self) -> &'static str {
        match self {
            MarkerKind::FaultStart => "▼",
            MarkerKind::FaultEnd => "▲",
            MarkerKind::Unhealthy => "✕",
            MarkerKind::Healthy => "✓",
            MarkerKind::Rollback => "↩",
            MarkerKind::FinalizationStall => "⏸",
            MarkerKind::FinalizationResume => "▶",
        }
    }
}

/// One moment worth jumping to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub at_ms: u64,
    pub kind: MarkerKind,
    /// What happened, in words ("entry point stops routing to api1").
    pub label: String,
}

/// The markers of a run, from its trace (entries in time order).
pub fn markers_from_trace(scenario: &Scenario, entries: &[TraceEntry]) -> Vec<Marker> {
    let name = |node: u16| {
        scenario
            .nodes
            .get(node as usize)
            .map(|node| node.id.clone())
            .unwrap_or_else(|| "?".into())
    };
    let fault_label = |index: u16| {
        scenario
            .faults
            .iter()
            .find(|fault| fault.file_index == index as usize)
            .map(|fault| fault.label.clone())
            .unwrap_or_else(|| format!("fault {}", index + 1))
    };
    let stall_after_ms = scenario.chain.finalization_step_ms.max(1) * STALL_STEPS;
    let finalizing = scenario.chain.finalization_enabled;
    let mut markers: Vec<Marker> = Vec::new();
    let mut last_finalized_ms = 0u64;
    let mut stalled = false;
    let check_stall =
        |markers: &mut Vec<Marker>, stalled: &mut bool, now_ms: u64, last_finalized_ms: u64| {
            if finalizing && !*stalled && now_ms > last_finalized_ms + stall_after_ms {
                *stalled = true;
                markers.push(Marker {
                    at_ms: last_finalized_ms + stall_after_ms,
                    kind: MarkerKind::FinalizationStall,
                    label: format!(
                        "finalization stalls: nothing finalized for {}",
                        crate::scenario::duration::describe_duration(stall_after_ms)
                    ),
                });
            }
        };
    for entry in entries {
        check_stall(&mut markers, &mut stalled, entry.at_ms, last_finalized_ms);
        let marker = match &entry.event {
            TraceEvent::FaultStarted { fault } => Some((
                MarkerKind::FaultStart,
                format!("fault starts: {}", fault_label(*fault)),
            )),
            TraceEvent::FaultEnded { fault } => Some((
                MarkerKind::FaultEnd,
                format!("fault ends: {}", fault_label(*fault)),
            )),
            TraceEvent::EntryTargetChanged { node, healthy } => Some(if *healthy {
                (
                    MarkerKind::Healthy,
                    format!("entry point routes to {} again", name(*node)),
                )
            } else {
                (
                    MarkerKind::Unhealthy,
                    format!("entry point stops routing to {}", name(*node)),
                )
            }),
            TraceEvent::Rollback { node, depth, .. } => {
                let node = name(*node);
                let recent = markers.iter_mut().rev().find(|marker| {
                    marker.kind == MarkerKind::Rollback
                        && entry.at_ms <= marker.at_ms + ROLLBACK_MERGE_MS
                });
                if let Some(recent) = recent {
                    if !recent.label.split([' ', ',']).any(|word| word == node) {
                        recent.label.push_str(&format!(", {node}"));
                    }
                    None
                } else {
                    Some((
                        MarkerKind::Rollback,
                        format!("rollback of {depth} block(s): {node}"),
                    ))
                }
            }
            TraceEvent::Finalized { .. } => {
                last_finalized_ms = entry.at_ms;
                if stalled {
                    stalled = false;
                    Some((
                        MarkerKind::FinalizationResume,
                        "finalization resumes".to_string(),
                    ))
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some((kind, label)) = marker {
            markers.push(Marker {
                at_ms: entry.at_ms,
                kind,
                label,
            });
        }
    }
    check_stall(
        &mut markers,
        &mut stalled,
        scenario.duration_ms,
        last_finalized_ms,
    );
    markers.retain(|marker| marker.at_ms <= scenario.duration_ms);
    crate::sort::sort_by_key(&mut markers, |marker| marker.at_ms);
    markers.truncate(MARKERS_MAX);
    markers
}

/// Runs the scenario to its end with its own seed and reads the markers off the trace.
pub fn run_markers(scenario: &Scenario) -> Result<Vec<Marker>, String> {
    let mut options = SimulationOptions::from_scenario(scenario);
    options.keep_trace = true;
    options.record_samples = false;
    let mut simulation = Simulation::new(scenario, options);
    simulation
        .run_until(scenario.duration_ms)
        .map_err(|error| error.to_string())?;
    Ok(markers_from_trace(scenario, simulation.trace.entries()))
}

/// The first marker moment after `at_ms`, if any.
pub fn next_marker_ms(markers_ms: &[u64], at_ms: u64) -> Option<u64> {
    markers_ms.iter().copied().find(|&marker| marker > at_ms)
}

/// The last marker moment before `at_ms`, if any.
pub fn previous_marker_ms(markers_ms: &[u64], at_ms: u64) -> Option<u64> {
    markers_ms
        .iter()
        .copied()
        .rev()
        .find(|&marker| marker < at_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};

    fn scenario(name: &str) -> Scenario {
        validate(&presets::load_file(name).unwrap()).unwrap()
    }

    const HOUR_MS: u64 = 3_600_000;

    #[test]
    fn multi_az_marks_the_outage_and_the_load_balancer() {
        let scenario = scenario("multi-az");
        let markers = run_markers(&scenario).unwrap();
        let at = |kind: MarkerKind| {
            markers
                .iter()
                .filter(|marker| marker.kind == kind)
                .collect::<Vec<_>>()
        };
        let starts = at(MarkerKind::FaultStart);
        assert_eq!(starts.len(), 1, "{markers:?}");
        assert_eq!(starts[0].at_ms, 2 * HOUR_MS);
        assert!(
            starts[0].label.contains("ap-northeast-1a"),
            "{}",
            starts[0].label
        );
        assert_eq!(at(MarkerKind::FaultEnd)[0].at_ms, 3 * HOUR_MS);
        // api1 is in the lost AZ: the load balancer stops routing to it during the
        // outage, and routes to it again after.
        let unhealthy = at(MarkerKind::Unhealthy);
        assert!(
            unhealthy.iter().any(|marker| marker.label.contains("api1")
                && (2 * HOUR_MS..3 * HOUR_MS).contains(&marker.at_ms)),
            "{markers:?}"
        );
        assert!(at(MarkerKind::Healthy)
            .iter()
            .any(|marker| marker.label.contains("api1") && marker.at_ms >= 3 * HOUR_MS));
        assert!(markers
            .windows(2)
            .all(|pair| pair[0].at_ms <= pair[1].at_ms));
        assert!(markers
            .iter()
            .all(|marker| marker.at_ms <= scenario.duration_ms));
    }

    #[test]
    fn a_fork_marks_its_rollbacks_once_per_burst() {
        let scenario = scenario("seed-fork");
        let markers = run_markers(&scenario).unwrap();
        let rollbacks: Vec<&Marker> = markers
            .iter()
            .filter(|marker| marker.kind == MarkerKind::Rollback)
            .collect();
        assert!(!rollbacks.is_empty(), "{markers:?}");
        for pair in rollbacks.windows(2) {
            assert!(pair[1].at_ms > pair[0].at_ms + ROLLBACK_MERGE_MS);
        }
    }

    #[test]
    fn finalization_stalls_are_found_in_the_gaps() {
        let scenario = scenario("active-active");
        assert!(scenario.chain.finalization_enabled);
        let step_ms = scenario.chain.finalization_step_ms;
        let finalized = |at_ms: u64| TraceEntry {
            at_ms,
            event: TraceEvent::Finalized {
                height: at_ms / 1_000,
                hash: 0,
                nodes: 3,
            },
        };
        let entries = [
            finalized(step_ms),
            finalized(2 * step_ms),
            finalized(20 * step_ms),
        ];
        let markers = markers_from_trace(&scenario, &entries);
        let kinds: Vec<(u64, MarkerKind)> = markers
            .iter()
            .map(|marker| (marker.at_ms, marker.kind))
            .collect();
        let stall_ms = 2 * step_ms + STALL_STEPS * step_ms;
        assert_eq!(kinds[0], (stall_ms, MarkerKind::FinalizationStall));
        assert_eq!(kinds[1], (20 * step_ms, MarkerKind::FinalizationResume));
        // Nothing finalized to the end of the run: one more stall.
        assert_eq!(kinds[2].1, MarkerKind::FinalizationStall);
        assert_eq!(kinds.len(), 3);
    }

    #[test]
    fn a_partition_stalls_finalization_until_it_heals() {
        let scenario = scenario("active-active");
        let markers = run_markers(&scenario).unwrap();
        let stall = markers
            .iter()
            .find(|marker| marker.kind == MarkerKind::FinalizationStall)
            .expect("a stall");
        assert!(
            (2 * HOUR_MS..3 * HOUR_MS).contains(&stall.at_ms),
            "{stall:?}"
        );
        assert!(markers
            .iter()
            .any(|marker| marker.kind == MarkerKind::FinalizationResume
                && marker.at_ms >= 3 * HOUR_MS));
    }

    #[test]
    fn next_and_previous_skip_the_moment_itself() {
        let moments = [10, 20, 30];
        assert_eq!(next_marker_ms(&moments, 0), Some(10));
        assert_eq!(next_marker_ms(&moments, 10), Some(20));
        assert_eq!(next_marker_ms(&moments, 30), None);
        assert_eq!(previous_marker_ms(&moments, 30), Some(20));
        assert_eq!(previous_marker_ms(&moments, 25), Some(20));
        assert_eq!(previous_marker_ms(&moments, 10), None);
    }

    #[test]
    fn kinds_round_trip_their_names() {
        for kind in [
            MarkerKind::FaultStart,
            MarkerKind::FaultEnd,
            MarkerKind::Unhealthy,
            MarkerKind::Healthy,
            MarkerKind::Rollback,
            MarkerKind::FinalizationStall,
            MarkerKind::FinalizationResume,
        ] {
            assert_eq!(MarkerKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MarkerKind::parse("other"), None);
    }
}
