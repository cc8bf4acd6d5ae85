//! Replaying a run for the canvas, one frame per moment shown, and the message protocol
//! the browser's replay worker speaks. Pure, so the worker's answers are tested
//! natively; the worker binary (`src/bin/replay-worker.rs`) only moves strings.
//!
//! Invariants: a frame at `at_ms` is exactly the state a fresh run from the seed has at
//! `at_ms` (the run is deterministic; moving forward continues the same simulation,
//! moving back starts again from the seed, and both give the same frame: tested);
//! every message is bounded (the log tail and the block travels are capped).

use serde_json::{json, Value};

use crate::scenario::{decode, validate, Scenario, ScenarioError};
use crate::sim::trace::TraceEvent;
use crate::sim::{Simulation, SimulationOptions};

use super::{LinkStatus, NetworkView, NodeStatus, RegionLinkView};

/// What the worker posts once it can take a request (messages sent before are lost).
pub const READY: &str = "ready";

/// Lines of the event log a frame carries (the latest ones).
pub const LOG_TAIL_LINES: usize = 12;
/// Block travels a frame carries at most (the latest ones).
pub const TRAVELS_MAX: usize = 48;
/// Travels are shown only for steps up to this long; a longer jump (a seek) just shows
/// the new state, as nothing could be followed by eye anyway.
pub const TRAVEL_WINDOW_MAX_MS: u64 = 30 * 60_000;

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
        let fork_notes = tree
            .nodes
            .iter()
            .filter(|node| {
                node.status != super::fork::ForkStatus::OnBestChain || node.last_rollback.is_some()
            })
            .map(|node| node.describe(tree.max_rollback_blocks))
            .collect();
        Frame {
            at_ms,
            network: super::snapshot(&self.simulation),
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
        [
            NodeStatus::Up,
            NodeStatus::Down,
            NodeStatus::Starting,
            NodeStatus::Isolated,
            NodeStatus::Syncing,
            NodeStatus::Forked,
            NodeStatus::Irreconcilable,
        ]
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

/// A frame as JSON: nodes as `[status, height, finalized height]` in scenario order
/// (the page has the scenario for names and roles), links as `[from, to, status]`.
pub fn encode_frame(frame: &Frame) -> Value {
    json!({
        "at_ms": frame.at_ms,
        "best_height": frame.network.best_height,
        "nodes": frame.network.nodes.iter().map(|node| json!([node.status.as_str(), node.height, node.finalized_height])).collect::<Vec<_>>(),
        "az_partitioned": frame.network.az_partitioned,
        "links": frame.network.region_links.iter().map(|link| json!([link.from, link.to, link.status.as_str()])).collect::<Vec<_>>(),
        "log": frame.log_tail,
        "travels": frame.travels.iter().map(|travel| json!([travel.from, travel.to, travel.height])).collect::<Vec<_>>(),
        "stopped": frame.stopped,
        "fork_svg": frame.fork_svg,
        "fork_notes": frame.fork_notes,
    })
}

/// Reads a frame back, taking names and roles from `scenario`. `None` when the frame
/// does not fit the scenario (a stale reply for an older scenario).
pub fn decode_frame(value: &Value, scenario: &Scenario) -> Option<Frame> {
    let nodes = value["nodes"].as_array()?;
    if nodes.len() != scenario.nodes.len() {
        return None;
    }
    let nodes = nodes
        .iter()
        .zip(&scenario.nodes)
        .map(|(state, node)| {
            Some(super::NodeView {
                id: node.id.clone(),
                role: node.role,
                voting: node.voting,
                status: NodeStatus::parse(state[0].as_str()?)?,
                height: state[1].as_u64()?,
                finalized_height: state[2].as_u64()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let regions = scenario.regions.len();
    let region_links = value["links"]
        .as_array()?
        .iter()
        .map(|link| {
            let from = link[0].as_u64()? as usize;
            let to = link[1].as_u64()? as usize;
            (from < regions && to < regions).then_some(())?;
            Some(RegionLinkView {
                from,
                to,
                status: LinkStatus::parse(link[2].as_str()?)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let node_count = scenario.nodes.len() as u64;
    let travels = value["travels"]
        .as_array()?
        .iter()
        .map(|travel| {
            let from = travel[0].as_u64().filter(|&from| from < node_count)? as u16;
            let to = travel[1].as_u64().filter(|&to| to < node_count)? as u16;
            Some(BlockTravel {
                from,
                to,
                height: travel[2].as_u64()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let at_ms = value["at_ms"].as_u64()?;
    Some(Frame {
        at_ms,
        network: NetworkView {
            az_partitioned: value["az_partitioned"]
                .as_array()?
                .iter()
                .map(Value::as_bool)
                .collect::<Option<Vec<_>>>()
                .filter(|list| list.len() == scenario.azs.len())?,
            at_ms,
            best_height: value["best_height"].as_u64()?,
            nodes,
            region_links,
        },
        log_tail: value["log"]
            .as_array()?
            .iter()
            .map(|line| line.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?,
        travels,
        stopped: value["stopped"].as_str().map(str::to_string),
        fork_svg: value["fork_svg"].as_str()?.to_string(),
        fork_notes: value["fork_notes"]
            .as_array()?
            .iter()
            .map(|note| note.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?,
    })
}

/// What the page asks the worker: the frame at `at_ms`, with the scenario when it
/// changed since the last request (`id` pairs the reply with its request).
pub fn frame_request(id: u64, scenario_json: Option<&Value>, at_ms: u64) -> String {
    match scenario_json {
        Some(scenario) => json!({ "id": id, "scenario": scenario, "at_ms": at_ms }),
        None => json!({ "id": id, "at_ms": at_ms }),
    }
    .to_string()
}

/// What the page asks the worker for the whole run's summary (the "Run simulation"
/// button), about the scenario it last sent.
pub fn summary_request(id: u64) -> String {
    json!({ "id": id, "summary": true }).to_string()
}

/// What the page asks the worker for the whole run's charts, about the scenario it
/// last sent.
pub fn charts_request(id: u64) -> String {
    json!({ "id": id, "charts": true }).to_string()
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

/// A reply from the replay worker.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayReply {
    Frame {
        id: u64,
        frame: Value,
    },
    Summary {
        id: u64,
        text: String,
    },
    /// (name, SVG) per chart, in [`CHART_NAMES`] order.
    Charts {
        id: u64,
        charts: Vec<(String, String)>,
    },
    Failed {
        id: u64,
        errors: Vec<String>,
    },
}

pub fn parse_reply(text: &str) -> Option<ReplayReply> {
    let value: Value = serde_json::from_str(text).ok()?;
    let id = value["id"].as_u64()?;
    if let Some(errors) = value["errors"].as_array() {
        return Some(ReplayReply::Failed {
            id,
            errors: errors
                .iter()
                .filter_map(|error| error.as_str().map(str::to_string))
                .collect(),
        });
    }
    if let Some(charts) = value["charts"].as_array() {
        return Some(ReplayReply::Charts {
            id,
            charts: charts
                .iter()
                .filter_map(|chart| {
                    Some((
                        chart[0].as_str()?.to_string(),
                        chart[1].as_str()?.to_string(),
                    ))
                })
                .collect(),
        });
    }
    if let Some(text) = value["summary"].as_str() {
        return Some(ReplayReply::Summary {
            id,
            text: text.to_string(),
        });
    }
    Some(ReplayReply::Frame {
        id,
        frame: value.get("frame")?.clone(),
    })
}

/// The worker's side: holds the current run between requests, so playing forward
/// costs only the new stretch of simulated time.
///
/// Each scenario the page sends is kept for the worker's lifetime (the running
/// simulation borrows it); the page sends one only when the user changes something,
/// and replaces the worker after 40 of them (`ui::replay_client`), which gives that
/// memory back.
#[derive(Default)]
pub struct ReplayService {
    replayer: Option<Replayer<'static>>,
}

impl ReplayService {
    /// Answers one request (see [`frame_request`]).
    pub fn handle(&mut self, request: &str) -> String {
        let failed =
            |id: u64, errors: Vec<String>| json!({ "id": id, "errors": errors }).to_string();
        let value: Value = match serde_json::from_str(request) {
            Ok(value) => value,
            Err(error) => return failed(0, vec![format!("$: the request is not JSON: {error}")]),
        };
        let id = value["id"].as_u64().unwrap_or(0);
        if let Some(scenario_json) = value.get("scenario") {
            let scenario = match decode::decode(scenario_json).and_then(|file| validate(&file)) {
                Ok(scenario) => scenario,
                Err(errors) => {
                    self.replayer = None;
                    return failed(id, errors.iter().map(ScenarioError::to_string).collect());
                }
            };
            let scenario: &'static Scenario = Box::leak(Box::new(scenario));
            self.replayer = Some(Replayer::new(scenario));
        }
        let Some(replayer) = self.replayer.as_mut() else {
            return failed(id, vec!["$: no scenario loaded yet: send one first".into()]);
        };
        if value["summary"].as_bool() == Some(true) {
            return match crate::sim::simulate(replayer.scenario()) {
                Ok(outcome) => {
                    json!({ "id": id, "summary": crate::report::simulation_text(&outcome) })
                        .to_string()
                }
                Err(error) => failed(id, vec![error.to_string()]),
            };
        }
        if value["charts"].as_bool() == Some(true) {
            return match run_charts(replayer.scenario()) {
                Ok(charts) => json!({ "id": id, "charts": charts }).to_string(),
                Err(error) => failed(id, vec![error]),
            };
        }
        let at_ms = value["at_ms"].as_u64().unwrap_or(0);
        let frame = replayer.frame_at(at_ms);
        json!({ "id": id, "frame": encode_frame(&frame) }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::encode;
    use crate::scenario::presets;

    fn scenario(name: &str) -> Scenario {
        validate(&presets::load_file(name).unwrap()).unwrap()
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

    #[test]
    fn frames_survive_the_message_boundary() {
        for preset in &presets::PRESETS {
            let scenario = scenario(preset.name);
            let mut replayer = Replayer::new(&scenario);
            replayer.frame_at(30 * 60_000);
            let frame = replayer.frame_at(31 * 60_000);
            let text = encode_frame(&frame).to_string();
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                decode_frame(&value, &scenario),
                Some(frame),
                "{}",
                preset.name
            );
        }
        // A frame for another scenario (different node count) is refused.
        let frame = Replayer::new(&scenario("multi-az")).frame_at(0);
        assert_eq!(
            decode_frame(&encode_frame(&frame), &scenario("active-active")),
            None
        );
    }

    #[test]
    fn the_service_keeps_its_run_and_reports_errors_with_paths() {
        let file = presets::load_file("multi-az").unwrap();
        let scenario = validate(&file).unwrap();
        let mut service = ReplayService::default();
        let reply = service.handle(&frame_request(1, Some(&encode(&file)), 600_000));
        let Some(ReplayReply::Frame { id: 1, frame }) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        let frame = decode_frame(&frame, &scenario).unwrap();
        assert_eq!(frame, Replayer::new(&scenario).frame_at(600_000));
        // Later requests without a scenario continue the same run.
        let reply = service.handle(&frame_request(2, None, 700_000));
        let Some(ReplayReply::Frame { id: 2, frame }) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        assert_eq!(
            decode_frame(&frame, &scenario).unwrap().network,
            Replayer::new(&scenario).frame_at(700_000).network
        );
        // The whole run's summary is the command line's.
        let reply = service.handle(&summary_request(5));
        let expected = crate::report::simulation_text(&crate::sim::simulate(&scenario).unwrap());
        assert_eq!(
            parse_reply(&reply),
            Some(ReplayReply::Summary {
                id: 5,
                text: expected
            })
        );
        // The charts: four SVG pictures, named.
        let reply = service.handle(&charts_request(6));
        let Some(ReplayReply::Charts { id: 6, charts }) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        let names: Vec<&str> = charts.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, CHART_NAMES.map(|(name, _)| name));
        assert!(charts.iter().all(|(_, svg)| svg.contains("<svg")));
        // A bad scenario: errors with paths, and no run left to continue.
        let mut bad = encode(&file);
        bad["chain"]["block_time"] = json!("-3s");
        let reply = service.handle(&frame_request(3, Some(&bad), 0));
        let Some(ReplayReply::Failed { id: 3, errors }) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        assert!(errors[0].starts_with("chain.block_time"), "{errors:?}");
        let reply = service.handle(&frame_request(4, None, 0));
        assert!(matches!(
            parse_reply(&reply),
            Some(ReplayReply::Failed { id: 4, .. })
        ));
        assert!(matches!(
            parse_reply(&service.handle("not json")),
            Some(ReplayReply::Failed { id: 0, .. })
        ));
    }
}
