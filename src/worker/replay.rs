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
        "peer_links": encode_pairs(&network.peer_links),
        "vault": network.vault.map(|vault| json!([vault.snapshots, vault.copies, vault.newest_age_ms, vault.newest_height])),
        "links": frame.network.region_links.iter().map(|link| json!([link.from, link.to, link.status.as_str()])).collect::<Vec<_>>(),
        "log": frame.log_tail,
        "travels": frame.travels.iter().map(|travel| json!([travel.from, travel.to, travel.height])).collect::<Vec<_>>(),
        "stopped": frame.stopped,
        "fork_svg": frame.fork_svg,
        "fork_notes": frame.fork_notes,
    })
}

/// Node pairs as one string of numbers, two to a pair ("3 17 3 20"): a 200-node
/// frame holds about 2,000 peer connections, and as JSON arrays each pair cost the
/// page's parser three values to allocate and free on every frame (issue 13).
fn encode_pairs(pairs: &[(u16, u16)]) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(pairs.len() * 8);
    for (index, (a, b)) in pairs.iter().enumerate() {
        if index > 0 {
            text.push(' ');
        }
        let _ = write!(text, "{a} {b}");
    }
    text
}

/// Reads [`encode_pairs`] back; `None` for an odd count or a node index at or above
/// `node_count`.
fn decode_pairs(text: &str, node_count: u64) -> Option<Vec<(u16, u16)>> {
    let mut numbers = text.split_ascii_whitespace().map(|number| {
        number
            .parse::<u16>()
            .ok()
            .filter(|&node| u64::from(node) < node_count)
    });
    let mut pairs = Vec::new();
    while let Some(a) = numbers.next() {
        pairs.push((a?, numbers.next()??));
    }
    Some(pairs)
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
            Some(NodeView {
                id: node.id.clone(),
                role: node.role,
                voting: node.voting,
                status: NodeStatus::parse(state[0].as_str()?)?,
                height: state[1].as_u64()?,
                finalized_height: state[2].as_u64()?,
                detail: state[3].as_str()?.to_string(),
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
    let flags = |key: &str, length: usize| {
        value[key]
            .as_array()?
            .iter()
            .map(Value::as_bool)
            .collect::<Option<Vec<_>>>()
            .filter(|list| list.len() == length)
    };
    let entry = value["entry"]
        .as_array()?
        .iter()
        .map(|target| {
            Some(EntryTargetView {
                node: target[0].as_u64().filter(|&node| node < node_count)? as usize,
                healthy: target[1].as_bool()?,
                carries_traffic: target[2].as_bool()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let peer_links = decode_pairs(value["peer_links"].as_str()?, node_count)?;
    let vault = match &value["vault"] {
        Value::Null => None,
        vault => Some(VaultView {
            snapshots: u32::try_from(vault[0].as_u64()?).ok()?,
            copies: u32::try_from(vault[1].as_u64()?).ok()?,
            newest_age_ms: vault[2].as_u64(),
            newest_height: vault[3].as_u64(),
        }),
    };
    Some(Frame {
        at_ms,
        network: NetworkView {
            az_partitioned: value["az_partitioned"]
                .as_array()?
                .iter()
                .map(Value::as_bool)
                .collect::<Option<Vec<_>>>()
                .filter(|list| list.len() == scenario.azs.len())?,
            az_out: flags("az_out", scenario.azs.len())?,
            region_out: flags("region_out", scenario.regions.len())?,
            entry,
            peer_links,
            vault,
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
        frame: Value,
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
    let mut value: Value = serde_json::from_str(text).ok()?;
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
    Some(ReplayReply::Frame {
        id,
        // Taken, not copied: a frame of a large network is thousands of values.
        frame: value.get_mut("frame")?.take(),
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
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                decode_frame(&value, &scenario),
                Some(frame),
                "{}",
                preset.name
            );
        }
        // Peer connections travel as one string of pairs; a broken one is refused.
        assert_eq!(encode_pairs(&[(3, 17), (3, 20)]), "3 17 3 20");
        assert_eq!(decode_pairs("3 17 3 20", 21), Some(vec![(3, 17), (3, 20)]));
        assert_eq!(decode_pairs("", 21), Some(vec![]));
        assert_eq!(decode_pairs("3 17 3", 21), None);
        assert_eq!(decode_pairs("3 17 3 20", 20), None);
        assert_eq!(decode_pairs("3 x", 21), None);
        // A frame for another scenario (different node count) is refused.
        let frame = Replayer::new(&scenario("multi-az")).frame_at(0);
        assert_eq!(
            decode_frame(&encode_frame(&frame), &scenario("active-active")),
            None
        );
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
