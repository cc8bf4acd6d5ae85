//! Replaying a run for the canvas, one frame per moment shown, and the whole run's
//! charts. The replay worker's message protocol around it is in `src/worker/replay.rs`.
//!
//! Invariants: a frame at `at_ms` is exactly the state a fresh run from the seed has at
//! `at_ms` (the run is deterministic; moving forward continues the same simulation,
//! moving back starts again from the seed, and both give the same frame: tested);
//! every frame is bounded (the log tail and the block travels are capped).

use crate::scenario::Scenario;
use crate::sim::trace::TraceEvent;
use crate::sim::{Simulation, SimulationOptions};

use super::{LinkStatus, NetworkView, NodeStatus};

/// Lines of the event log a frame carries (the latest ones).
pub const LOG_TAIL_LINES: usize = 12;
/// Block travels a frame carries at most (the latest ones).
pub const TRAVELS_MAX: usize = 48;
/// Travels are shown only for steps up to this long; a longer jump (a seek) just shows
/// the new state, as nothing could be followed by eye anyway.
pub const TRAVEL_WINDOW_MAX_MS: u64 = 30 * 60_000;

/// A travelling block stays on screen this long (real milliseconds).
pub const TRAVEL_SHOWN_MS: f64 = 600.0;
/// Travelling blocks on screen at once, at most.
pub const TRAVELS_SHOWN_MAX: usize = 64;
/// Travels that may start in one frame, however soon after the last it comes.
pub const TRAVELS_STARTED_MIN: usize = 8;

/// Which of a new frame's `travels` set off as dots (their positions in the frame's
/// list), with the dots `on_their_way` and `since_ms` real milliseconds since the last
/// frame. Dots start at most at the rate that keeps [`TRAVELS_SHOWN_MAX`] on
/// screen for their whole [`TRAVEL_SHOWN_MS`], and only into free places, so a dot
/// always finishes its trip (issue 13: with 200 nodes at 1,000× each frame brought
/// about 60 travels, every dot was replaced by the next frame's about 80 ms into its
/// 600 ms trip, and the page re-created some 370 SVG elements per frame). When fewer
/// may start than arrived, they are picked evenly through the frame's list, so every
/// part of the network keeps showing traffic. A link carries one dot at a time (at
/// 1,000× a 5-node network makes a block every 15 ms, and dots piled up on every
/// arc). At least [`TRAVELS_STARTED_MIN`] may start per frame however fast frames
/// come, so a small network's few travels (a block's fan-out to its peers) all start.
pub fn travels_started(
    travels: &[BlockTravel],
    on_their_way: &[BlockTravel],
    since_ms: f64,
) -> Vec<usize> {
    // One dot per link at a time: a link that already carries one (or an earlier
    // travel of this frame) shows no second.
    let mut busy: Vec<(u16, u16)> = on_their_way
        .iter()
        .map(|travel| (travel.from, travel.to))
        .collect();
    crate::sort::sort(&mut busy);
    let mut candidates = Vec::with_capacity(travels.len());
    for (index, travel) in travels.iter().enumerate() {
        if let Err(place) = busy.binary_search(&(travel.from, travel.to)) {
            busy.insert(place, (travel.from, travel.to));
            candidates.push(index);
        }
    }
    let free = TRAVELS_SHOWN_MAX.saturating_sub(on_their_way.len());
    let rate_allowance = (since_ms.max(0.0) / TRAVEL_SHOWN_MS * TRAVELS_SHOWN_MAX as f64).ceil();
    let allowed = free.min(if rate_allowance.is_finite() {
        (rate_allowance as usize).max(TRAVELS_STARTED_MIN)
    } else {
        TRAVELS_SHOWN_MAX
    });
    let count = candidates.len().min(allowed);
    (0..count)
        .map(|picked| candidates[picked * candidates.len() / count])
        .collect()
}

/// A block passing from one node to another (a push accepted, or a sync).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockTravel {
    pub from: u16,
    pub to: u16,
    pub height: u64,
}

/// What the canvas shows at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub at_ms: u64,
    pub network: NetworkView,
    /// The latest log lines, oldest first.
    pub log_tail: Vec<String>,
    /// Blocks that travelled since the previous frame (empty after a seek).
    pub travels: Vec<BlockTravel>,
    /// Why the run stopped early, if it did (the frame then shows where it stopped).
    pub stopped: Option<String>,
    /// The recent block tree as a standalone SVG (see [`super::fork::fork_svg`]).
    pub fork_svg: String,
    /// What the fork view says about each node off the best chain or lately rolled
    /// back ("peer2 cannot roll back: fork depth 57 > maxRollbackBlocks 40").
    pub fork_notes: Vec<String>,
}

/// A run that can be shown at any moment.
pub struct Replayer<'a> {
    scenario: &'a Scenario,
    simulation: Simulation<'a>,
    stopped: Option<String>,
}

impl<'a> Replayer<'a> {
    pub fn new(scenario: &'a Scenario) -> Replayer<'a> {
        Replayer {
            scenario,
            simulation: Simulation::new(scenario, SimulationOptions::from_scenario(scenario)),
            stopped: None,
        }
    }

    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The frame at `at_ms` (clamped to the run). Forward from the last frame continues
    /// the run; backward replays from the seed.
    pub fn frame_at(&mut self, at_ms: u64) -> Frame {
        let at_ms = at_ms.min(self.scenario.duration_ms);
        let previous_ms = self.simulation.now_ms();
        if at_ms < previous_ms {
            *self = Replayer::new(self.scenario);
        }
        let trace_start = self.simulation.trace.entries().len();
        if self.stopped.is_none() {
            if let Err(error) = self.simulation.run_until(at_ms) {
                self.stopped = Some(error.to_string());
            }
        }
        let entries = self.simulation.trace.entries();
        let travels = if at_ms >= previous_ms && at_ms - previous_ms <= TRAVEL_WINDOW_MAX_MS {
            let mut travels: Vec<BlockTravel> = entries[trace_start..]
                .iter()
                .filter_map(|entry| match entry.event {
                    TraceEvent::BlockReceived { node, from, height } => Some(BlockTravel {
                        from,
                        to: node,
                        height,
                    }),
                    TraceEvent::ChainSynced {
                        node, from, height, ..
                    } => Some(BlockTravel {
                        from,
                        to: node,
                        height,
                    }),
                    _ => None,
                })
                .collect();
            let excess = travels.len().saturating_sub(TRAVELS_MAX);
            travels.drain(..excess);
            travels
        } else {
            Vec::new()
        };
        let mut log_tail: Vec<String> = entries
            .iter()
            .rev()
            .filter_map(|entry| super::describe_event(self.scenario, entry))
            .take(LOG_TAIL_LINES)
            .collect();
        log_tail.reverse();
        let tree = super::fork::fork_tree(&self.simulation, super::fork::FORK_WINDOW_BLOCKS);
        let ledgers = crate::sim::ledger::ledgers(&self.simulation);
        let network = super::snapshot(&self.simulation);
        let down: Vec<bool> = network
            .nodes
            .iter()
            .map(|node| node.status.is_held_down())
            .collect();
        let fork_notes = crate::sim::ledger::describe_split(&self.simulation, &ledgers)
            .into_iter()
            .chain(super::fork::aggregated_notes(&tree, &down))
            .collect();
        Frame {
            at_ms,
            network,
            log_tail,
            travels,
            stopped: self.stopped.clone(),
            fork_svg: super::fork::fork_svg(&tree),
            fork_notes,
        }
    }
}

impl NodeStatus {
    pub fn parse(text: &str) -> Option<NodeStatus> {
        NodeStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Healthy => "healthy",
            LinkStatus::Degraded => "degraded",
            LinkStatus::Partitioned => "partitioned",
        }
    }

    pub fn parse(text: &str) -> Option<LinkStatus> {
        [
            LinkStatus::Healthy,
            LinkStatus::Degraded,
            LinkStatus::Partitioned,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// The run's charts, in the order the page shows them: (name, caption, SVG).
pub const CHART_NAMES: [(&str, &str); 4] = [
    ("height", "Chain height per node"),
    ("fork-depth", "Fork depth"),
    ("api-availability", "API availability"),
    ("transactions", "Confirmed and lost transactions"),
];
/// Chart size on the page, in pixels.
pub const CHART_SIZE_PX: (u32, u32) = (640, 240);

/// Draws the run's charts (one more full run; see [`super::series::run_series`]).
pub fn run_charts(scenario: &Scenario) -> Result<Vec<(String, String)>, String> {
    use super::charts::{
        api_availability_chart_svg, fork_depth_chart_svg, height_chart_svg, transactions_chart_svg,
        ChartSize,
    };
    let series = super::series::run_series(scenario).map_err(|error| error.to_string())?;
    let size = ChartSize::new(CHART_SIZE_PX.0, CHART_SIZE_PX.1);
    let charts = [
        height_chart_svg(&series, size),
        fork_depth_chart_svg(&series, size),
        api_availability_chart_svg(&series, size),
        transactions_chart_svg(&series, size),
    ];
    CHART_NAMES
        .iter()
        .zip(charts)
        .map(|((name, _), chart)| {
            chart
                .map(|svg| (name.to_string(), svg))
                .map_err(|error| error.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};

    fn scenario(name: &str) -> Scenario {
        validate(&presets::load_file(name).unwrap()).unwrap()
    }

    fn travel(from: u16, to: u16) -> BlockTravel {
        BlockTravel {
            from,
            to,
            height: 1,
        }
    }

    /// Issue 13: a frame of a 200-node network at 1,000× brings its full 48 travels
    /// (on different links) about every 80 ms. Simulated over 10 s of such frames,
    /// every dot finishes its 600 ms trip (none is replaced early), no more than 64 are
    /// ever on screen, no link carries two, and dots keep starting; the network's
    /// different parts (positions through the list) are all picked. A small network's
    /// travels all start.
    #[test]
    fn travelling_dots_finish_their_trip_and_keep_flowing_issue_13() {
        let mut shown: Vec<(f64, BlockTravel)> = Vec::new();
        let mut started = 0;
        let mut picked_positions = std::collections::BTreeSet::new();
        let mut last_ms = f64::NEG_INFINITY;
        let mut now_ms = 0.0;
        let mut frame = 0u16;
        while now_ms < 10_000.0 {
            shown.retain(|&(started_ms, _)| now_ms - started_ms < TRAVEL_SHOWN_MS);
            // Each frame's travels: 48 links, shifting a little from frame to frame.
            let travels: Vec<BlockTravel> = (0..TRAVELS_MAX as u16)
                .map(|link| travel(link + frame % 7, 200 - link))
                .collect();
            let on_their_way: Vec<BlockTravel> = shown.iter().map(|&(_, travel)| travel).collect();
            let picks = travels_started(&travels, &on_their_way, now_ms - last_ms);
            last_ms = now_ms;
            assert!(picks.windows(2).all(|pair| pair[0] < pair[1]));
            assert!(picks.iter().all(|&index| index < TRAVELS_MAX));
            picked_positions.extend(picks.iter().copied());
            started += picks.len();
            shown.extend(picks.iter().map(|&index| (now_ms, travels[index])));
            assert!(shown.len() <= TRAVELS_SHOWN_MAX);
            let mut links: Vec<(u16, u16)> = shown.iter().map(|(_, t)| (t.from, t.to)).collect();
            crate::sort::sort(&mut links);
            let before = links.len();
            links.dedup();
            assert_eq!(before, links.len(), "a link carries two dots");
            now_ms += 80.0;
            frame += 1;
        }
        // At the steady rate 64 dots per 600 ms start: about 1,070 in 10 s.
        assert!(started > 900 && started <= 1_200, "{started} dots started");
        assert!(picked_positions.len() > TRAVELS_MAX / 2);
        // Replacing all 48 on every frame would start 6,000 in 10 s.
        assert!(started < 125 * TRAVELS_MAX / 4);
        // A small network: 3 travels on 3 links, none on screen: all three start;
        // a link already carrying a dot, or twice in one frame, starts one.
        let three = [travel(0, 1), travel(0, 2), travel(1, 2)];
        assert_eq!(travels_started(&three, &[], 100.0), vec![0, 1, 2]);
        assert_eq!(travels_started(&three, &[], f64::INFINITY), vec![0, 1, 2]);
        assert_eq!(travels_started(&three, &[travel(0, 2)], 16.0), vec![0, 2]);
        assert_eq!(
            travels_started(&[travel(3, 4), travel(3, 4)], &[], 16.0),
            vec![0]
        );
        assert_eq!(travels_started(&[], &[], 100.0), Vec::<usize>::new());
        let full: Vec<BlockTravel> = (0..TRAVELS_SHOWN_MAX as u16)
            .map(|to| travel(9, to + 10))
            .collect();
        assert_eq!(travels_started(&three, &full, 100.0), Vec::<usize>::new());
    }

    #[test]
    fn forward_backward_and_fresh_frames_agree() {
        let scenario = scenario("seed-fork");
        let moments = [
            0,
            20 * 60_000,
            35 * 60_000,
            36 * 60_000,
            10 * 60_000,
            90 * 60_000,
        ];
        let mut replayer = Replayer::new(&scenario);
        for at_ms in moments {
            let stepped = replayer.frame_at(at_ms);
            let fresh = Replayer::new(&scenario).frame_at(at_ms);
            assert_eq!(stepped.network, fresh.network, "at {at_ms}");
            assert_eq!(stepped.log_tail, fresh.log_tail, "at {at_ms}");
            assert_eq!(stepped.at_ms, at_ms);
        }
        // The frame matches a plain run to the same moment.
        let mut plain = Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        plain.run_until(35 * 60_000).unwrap();
        assert_eq!(
            Replayer::new(&scenario).frame_at(35 * 60_000).network,
            super::super::snapshot(&plain)
        );
    }

    #[test]
    fn small_steps_carry_block_travels_and_seeks_do_not() {
        let scenario = scenario("multi-az");
        let mut replayer = Replayer::new(&scenario);
        replayer.frame_at(10 * 60_000);
        let step = replayer.frame_at(12 * 60_000);
        assert!(!step.travels.is_empty(), "blocks travel in two minutes");
        assert!(step.travels.len() <= TRAVELS_MAX);
        for travel in &step.travels {
            assert_ne!(travel.from, travel.to);
        }
        let seek = replayer.frame_at(5 * 3_600_000);
        assert!(seek.travels.is_empty());
        assert!(seek.log_tail.len() <= LOG_TAIL_LINES);
    }
}
