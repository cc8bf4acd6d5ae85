//! The replay worker's protocol: requests for the frame at a moment, the whole run's
//! summary or its charts (with the run's event markers), and the replies, as JSON strings, and the service that
//! answers them ([`ReplayService`]). The browser's replay worker
//! (`ui::workers`) only moves strings to and from the service; the page
//! falls back to the same service when no worker can start. Pure, so the worker's
//! answers are tested natively.
//!
//! Invariant: every message is bounded (a frame's log tail and block travels are capped
//! by [`Replayer`]).

use serde_json::{json, Value};

use crate::scenario::{decode, validate, Scenario, ScenarioError};
use crate::view::diagram::{EntryTargetView, VaultView};
use crate::view::markers::{run_markers, Marker, MarkerKind};
use crate::view::replay::{run_charts, BlockTravel, Frame, Replayer};
use crate::view::{LinkStatus, NetworkView, NodeStatus, NodeView, RegionLinkView};

/// What the worker posts once it can take a request (messages sent before are lost).
pub const READY: &str = "ready";

/// A frame as JSON: nodes as `[status, height, finalized height, detail]` in scenario
/// order (the page has the scenario for names and roles), links as `[from, to,
/// status]`, entry targets as `[node, healthy, carries traffic]`, peer links as
/// `[node, node]`, the vault as `[snapshots, copies, newest age or null, newest height
/// or null]`.
pub fn encode_frame(frame: &Frame) -> Value {
    let network = &frame.network;
    json!({
        "at_ms": frame.at_ms,
        "best_height": frame.network.best_height,
        "nodes": frame.network.nodes.iter().map(|node| json!([node.status.as_str(), node.height, node.finalized_height, node.detail])).collect::<Vec<_>>(),
        "az_partitioned": frame.network.az_partitioned,
        "az_out": network.az_out,
        "region_out": network.region_out,
        "entry": network.entry.iter().map(|target| json!([target.node, target.healthy, target.carries_traffic])).collect::<Vec<_>>(),
        "peer_links": network.peer_links.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
        "vault": network.vault.map(|vault| json!([vault.snapshots, vault.copies, vault.newest_age_ms, vault.newest_height])),
        "links": frame.network.region_links.iter().map(|link| json!([link.from, link.to, link.status.as_str()])).collect::<Vec<_>>(),
        "log": frame.log_tail,
        "travels": frame.travels.iter().map(|travel| json!([travel.from, travel.to, travel.height])).collect::<Vec<_>>(),
        "stopped": frame.stopped,
        "fork_svg": frame.fork_svg,
        "fork_notes": frame.fork_notes,
    })
}

/// A frame as it crosses the message boundary: the JSON of [`encode_frame`], read by
/// serde straight into these fields. (It was read through `serde_json::Value`, with
/// arbitrary-precision numbers kept as strings, then copied: about 4 % of the page's
/// main thread while a 200-node network played.)
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct FrameWire {
    at_ms: u64,
    best_height: u64,
    /// `[status, height, finalized height, detail]` per node.
    nodes: Vec<(String, u64, u64, String)>,
    az_partitioned: Vec<bool>,
    az_out: Vec<bool>,
    region_out: Vec<bool>,
    /// `[node, healthy, carries traffic]`.
    entry: Vec<(u64, bool, bool)>,
    peer_links: Vec<(u64, u64)>,
    /// `[snapshots, copies, newest age, newest height]`.
    vault: Option<(u64, u64, Option<u64>, Option<u64>)>,
    /// `[from, to, status]`.
    links: Vec<(u64, u64, String)>,
    log: Vec<String>,
    /// `[from, to, height]`.
    travels: Vec<(u64, u64, u64)>,
    stopped: Option<String>,
    fork_svg: String,
    fork_notes: Vec<String>,
}

/// Reads a frame back, taking names and roles from `scenario`. `None` when the frame
/// does not fit the scenario (a stale reply for an older scenario).
pub fn decode_frame(wire: Box<FrameWire>, scenario: &Scenario) -> Option<Frame> {
    let wire = *wire;
    if wire.nodes.len() != scenario.nodes.len() {
        return None;
    }
    let nodes = wire
        .nodes
        .into_iter()
        .zip(&scenario.nodes)
        .map(|((status, height, finalized_height, detail), node)| {
            Some(NodeView {
                id: node.id.clone(),
                role: node.role,
                voting: node.voting,
                status: NodeStatus::parse(&status)?,
                height,
                finalized_height,
                detail,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let regions = scenario.regions.len() as u64;
    let region_links = wire
        .links
        .iter()
        .map(|(from, to, status)| {
            (*from < regions && *to < regions).then_some(())?;
            Some(RegionLinkView {
                from: *from as usize,
                to: *to as usize,
                status: LinkStatus::parse(status)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let node_count = scenario.nodes.len() as u64;
    let node = |index: u64| (index < node_count).then_some(index);
    let travels = wire
        .travels
        .iter()
        .map(|&(from, to, height)| {
            Some(BlockTravel {
                from: node(from)? as u16,
                to: node(to)? as u16,
                height,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let entry = wire
        .entry
        .iter()
        .map(|&(target, healthy, carries_traffic)| {
            Some(EntryTargetView {
                node: node(target)? as usize,
                healthy,
                carries_traffic,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let peer_links = wire
        .peer_links
        .iter()
        .map(|&(a, b)| Some((node(a)? as u16, node(b)? as u16)))
        .collect::<Option<Vec<_>>>()?;
    let vault = match wire.vault {
        None => None,
        Some((snapshots, copies, newest_age_ms, newest_height)) => Some(VaultView {
            snapshots: u32::try_from(snapshots).ok()?,
            copies: u32::try_from(copies).ok()?,
            newest_age_ms,
            newest_height,
        }),
    };
    let flags = |list: Vec<bool>, length: usize| (list.len() == length).then_some(list);
    Some(Frame {
        at_ms: wire.at_ms,
        network: NetworkView {
            az_partitioned: flags(wire.az_partitioned, scenario.azs.len())?,
            az_out: flags(wire.az_out, scenario.azs.len())?,
            region_out: flags(wire.region_out, scenario.regions.len())?,
            entry,
            peer_links,
            vault,
            at_ms: wire.at_ms,
            best_height: wire.best_height,
            nodes,
            region_links,
        },
        log_tail: wire.log,
        travels,
        stopped: wire.stopped,
        fork_svg: wire.fork_svg,
        fork_notes: wire.fork_notes,
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
/// button), with the scenario when it changed since the last request, else about the
/// one it last sent.
pub fn summary_request(id: u64, scenario_json: Option<&Value>) -> String {
    whole_run_request(id, "summary", scenario_json)
}

/// What the page asks the worker for the whole run's charts and markers, with the
/// scenario when it changed since the last request, else about the one it last sent.
pub fn charts_request(id: u64, scenario_json: Option<&Value>) -> String {
    whole_run_request(id, "charts", scenario_json)
}

fn whole_run_request(id: u64, what: &str, scenario_json: Option<&Value>) -> String {
    let mut request = json!({ "id": id, what: true });
    if let Some(scenario) = scenario_json {
        request["scenario"] = scenario.clone();
    }
    request.to_string()
}

/// A reply from the replay worker.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayReply {
    Frame {
        id: u64,
        frame: Box<FrameWire>,
    },
    Summary {
        id: u64,
        text: String,
    },
    /// (name, SVG) per chart, in [`CHART_NAMES`](crate::view::replay::CHART_NAMES) order.
    Charts {
        id: u64,
        charts: Vec<(String, String)>,
        /// The run's event markers (see [`crate::view::markers`]), in time order.
        markers: Vec<Marker>,
    },
    Failed {
        id: u64,
        errors: Vec<String>,
    },
}

/// A marker on the wire: `{"at_ms", "kind", "label"}`.
pub fn encode_marker(marker: &Marker) -> Value {
    json!({ "at_ms": marker.at_ms, "kind": marker.kind.as_str(), "label": marker.label })
}

pub fn decode_marker(value: &Value) -> Option<Marker> {
    Some(Marker {
        at_ms: value["at_ms"].as_u64()?,
        kind: MarkerKind::parse(value["kind"].as_str()?)?,
        label: value["label"].as_str()?.to_string(),
    })
}

pub fn parse_reply(text: &str) -> Option<ReplayReply> {
    // Frames (many a second while playing) are read straight into their fields.
    #[derive(serde::Deserialize)]
    struct FrameReply {
        id: u64,
        frame: FrameWire,
    }
    if let Ok(FrameReply { id, frame }) = serde_json::from_str(text) {
        return Some(ReplayReply::Frame {
            id,
            frame: Box::new(frame),
        });
    }
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
            markers: value["markers"]
                .as_array()
                .map(|markers| markers.iter().filter_map(decode_marker).collect())
                .unwrap_or_default(),
        });
    }
    if let Some(text) = value["summary"].as_str() {
        return Some(ReplayReply::Summary {
            id,
            text: text.to_string(),
        });
    }
    // A frame that does not read as one.
    None
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
            let scenario = replayer.scenario();
            return match run_charts(scenario)
                .and_then(|charts| Ok((charts, run_markers(scenario)?)))
            {
                Ok((charts, markers)) => {
                    let markers: Vec<Value> = markers.iter().map(encode_marker).collect();
                    json!({ "id": id, "charts": charts, "markers": markers }).to_string()
                }
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
    use crate::view::replay::CHART_NAMES;

    fn scenario(name: &str) -> Scenario {
        validate(&presets::load_file(name).unwrap()).unwrap()
    }

    #[test]
    fn frames_survive_the_message_boundary() {
        for preset in &presets::PRESETS {
            let scenario = scenario(preset.name);
            let mut replayer = Replayer::new(&scenario);
            replayer.frame_at(30 * 60_000);
            let frame = replayer.frame_at(31 * 60_000);
            let text = encode_frame(&frame).to_string();
            let wire: Box<FrameWire> = serde_json::from_str(&text).unwrap();
            assert_eq!(
                decode_frame(wire, &scenario),
                Some(frame),
                "{}",
                preset.name
            );
        }
        // A frame for another scenario (different node count) is refused.
        let frame = Replayer::new(&scenario("multi-az")).frame_at(0);
        let wire: Box<FrameWire> = serde_json::from_value(encode_frame(&frame)).unwrap();
        assert_eq!(decode_frame(wire, &scenario("active-active")), None);
    }

    /// A frame reply is read straight into its fields; one that does not read as a
    /// frame (a field missing or of the wrong type) is no reply at all, as a frame that
    /// did not fit its scenario was before.
    #[test]
    fn frame_replies_are_read_into_their_fields() {
        let scenario = scenario("multi-az");
        let frame = Replayer::new(&scenario).frame_at(600_000);
        let reply = json!({ "id": 7, "frame": encode_frame(&frame) });
        let Some(ReplayReply::Frame { id: 7, frame: wire }) = parse_reply(&reply.to_string())
        else {
            panic!("{reply}")
        };
        assert_eq!(decode_frame(wire, &scenario), Some(frame));
        let mut broken = reply.clone();
        broken["frame"]["nodes"][0][1] = json!("tall");
        assert_eq!(parse_reply(&broken.to_string()), None);
        let mut missing = reply;
        missing["frame"].as_object_mut().unwrap().remove("fork_svg");
        assert_eq!(parse_reply(&missing.to_string()), None);
    }

    /// The runs worker's first request is for charts and carries the scenario; a
    /// summary after it is about the same scenario.
    #[test]
    fn a_whole_run_request_can_carry_the_scenario() {
        let file = presets::load_file("seed-fork").unwrap();
        let scenario = validate(&file).unwrap();
        let mut service = ReplayService::default();
        let reply = service.handle(&charts_request(1, Some(&encode(&file))));
        let Some(ReplayReply::Charts { id: 1, markers, .. }) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        assert_eq!(markers, run_markers(&scenario).unwrap());
        let reply = service.handle(&summary_request(2, None));
        let expected = crate::report::simulation_text(&crate::sim::simulate(&scenario).unwrap());
        assert_eq!(
            parse_reply(&reply),
            Some(ReplayReply::Summary {
                id: 2,
                text: expected
            })
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
        let frame = decode_frame(frame, &scenario).unwrap();
        assert_eq!(frame, Replayer::new(&scenario).frame_at(600_000));
        // Later requests without a scenario continue the same run.
        let reply = service.handle(&frame_request(2, None, 700_000));
        let Some(ReplayReply::Frame { id: 2, frame }) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        assert_eq!(
            decode_frame(frame, &scenario).unwrap().network,
            Replayer::new(&scenario).frame_at(700_000).network
        );
        // The whole run's summary is the command line's.
        let reply = service.handle(&summary_request(5, None));
        let expected = crate::report::simulation_text(&crate::sim::simulate(&scenario).unwrap());
        assert_eq!(
            parse_reply(&reply),
            Some(ReplayReply::Summary {
                id: 5,
                text: expected
            })
        );
        // The charts: four SVG pictures, named.
        let reply = service.handle(&charts_request(6, None));
        let Some(ReplayReply::Charts {
            id: 6,
            charts,
            markers,
        }) = parse_reply(&reply)
        else {
            panic!("{reply}")
        };
        let names: Vec<&str> = charts.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, CHART_NAMES.map(|(name, _)| name));
        assert!(charts.iter().all(|(_, svg)| svg.contains("<svg")));
        // With them, the run's event markers, as the page would find them itself.
        assert!(!markers.is_empty());
        assert_eq!(markers, run_markers(&scenario).unwrap());
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
