//! View data for the browser: where every region, AZ and node sits on the canvas, and
//! what state each node and link is in at a moment of a run. Pure and natively tested;
//! the UI only draws these structs.
//!
//! Invariants: every node of the scenario has exactly one box, inside its AZ's box,
//! inside its region's box; boxes never overlap; states are computed only from the
//! simulation, never guessed.

pub mod captions;
pub mod charts;
pub mod diagram;
pub mod fork;
pub mod markers;
pub mod plan_explain;
pub mod series;
pub mod svg;

use crate::scenario::{NodeIndex, Role, Scenario};
use crate::sim::outcome::common_height;
use crate::sim::Simulation;

pub mod replay;
pub mod timeline;

/// A rectangle in canvas units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.width <= self.x + self.width
            && other.y + other.height <= self.y + self.height
    }

    pub fn center(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub regions: Vec<Rect>,
    pub azs: Vec<Rect>,
    pub nodes: Vec<Rect>,
}

const MARGIN: f64 = 16.0;
const REGION_HEADER: f64 = 34.0;
const AZ_HEADER: f64 = 26.0;
const GAP: f64 = 12.0;
const NODE_WIDTH: f64 = 140.0;
const NODE_HEIGHT: f64 = 70.0;
const NODES_PER_ROW: usize = 3;
/// Room under each AZ's nodes for the peer arcs (`diagram::peer_path`), which dip at
/// most three quarters of [`diagram::PEER_ARC_DEPTH_MAX`] below a node box.
const PEER_ARC_BAND: f64 = 24.0;

/// Regions wrap to a new row past this width (canvas units), so a canvas of many
/// regions stays readable on a 1280-pixel screen instead of shrinking sideways.
const ROW_WIDTH_MAX: f64 = 1_100.0;

/// A tidy automatic layout: regions side by side (wrapping to a new row past
/// [`ROW_WIDTH_MAX`]), their AZs side by side inside them, nodes in rows of three
/// inside each AZ.
pub fn layout(scenario: &Scenario) -> Layout {
    let mut regions = Vec::with_capacity(scenario.regions.len());
    let mut azs = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        scenario.azs.len()
    ];
    let mut nodes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        scenario.nodes.len()
    ];
    let az_size = |count: usize| {
        let columns = count.clamp(1, NODES_PER_ROW) as f64;
        let rows = count.div_ceil(NODES_PER_ROW).max(1) as f64;
        (
            columns * NODE_WIDTH + (columns + 1.0) * GAP,
            AZ_HEADER + rows * NODE_HEIGHT + (rows + 1.0) * GAP + PEER_ARC_BAND,
        )
    };
    let tallest_az = scenario
        .azs
        .iter()
        .map(|az| az_size(az.nodes.len()).1)
        .fold(0.0, f64::max);
    let region_height = REGION_HEADER + tallest_az + GAP;
    let mut x = MARGIN;
    let mut row_y = MARGIN;
    for region in &scenario.regions {
        let region_width = GAP
            + region
                .azs
                .iter()
                .map(|&az| az_size(scenario.azs[az].nodes.len()).0 + GAP)
                .sum::<f64>();
        if x > MARGIN && x + region_width > ROW_WIDTH_MAX {
            x = MARGIN;
            row_y += region_height + MARGIN * 2.0;
        }
        let mut inner_x = x + GAP;
        for &az_index in &region.azs {
            let az = &scenario.azs[az_index];
            let (width, height) = az_size(az.nodes.len());
            let az_rect = Rect {
                x: inner_x,
                y: row_y + REGION_HEADER,
                width,
                height,
            };
            for (position, node) in az.nodes.iter().enumerate() {
                let column = (position % NODES_PER_ROW) as f64;
                let row = (position / NODES_PER_ROW) as f64;
                nodes[node.get()] = Rect {
                    x: az_rect.x + GAP + column * (NODE_WIDTH + GAP),
                    y: az_rect.y + AZ_HEADER + GAP + row * (NODE_HEIGHT + GAP),
                    width: NODE_WIDTH,
                    height: NODE_HEIGHT,
                };
            }
            azs[az_index] = az_rect;
            inner_x += width + GAP;
        }
        let region_rect = Rect {
            x,
            y: row_y,
            width: inner_x - x,
            height: region_height,
        };
        x += region_rect.width + MARGIN * 2.0;
        regions.push(region_rect);
    }
    let height = regions
        .iter()
        .map(|rect| rect.y + rect.height)
        .fold(0.0, f64::max)
        + MARGIN;
    let width = regions
        .iter()
        .map(|rect| rect.x + rect.width)
        .fold(0.0, f64::max)
        + MARGIN;
    Layout {
        width,
        height,
        regions,
        azs,
        nodes,
    }
}

/// What a node is doing, for the canvas (shown by text and shape, never colour alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeStatus {
    Up,
    /// Held down by a fault (crash, stop, disk loss, AZ or region outage).
    Down,
    /// A cold standby: not provisioned until a restore brings it up (down by design).
    Standby,
    /// Held down while an operator restores its volume from a backup snapshot.
    Restoring,
    /// Held down while an operator copies another node's chain onto it.
    CopyingChain,
    /// Held down while an operator wipes its data to sync again.
    Resyncing,
    Starting,
    Isolated,
    /// Up and more than one block behind the best chain: catching up.
    Syncing,
    Forked,
    Irreconcilable,
}

impl NodeStatus {
    /// Every status, for parsing.
    pub const ALL: [NodeStatus; 11] = [
        NodeStatus::Up,
        NodeStatus::Down,
        NodeStatus::Standby,
        NodeStatus::Restoring,
        NodeStatus::CopyingChain,
        NodeStatus::Resyncing,
        NodeStatus::Starting,
        NodeStatus::Isolated,
        NodeStatus::Syncing,
        NodeStatus::Forked,
        NodeStatus::Irreconcilable,
    ];

    /// A stable token (CSS classes `status-…`, the worker's frames).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Up => "up",
            NodeStatus::Down => "down",
            NodeStatus::Standby => "standby",
            NodeStatus::Restoring => "restoring",
            NodeStatus::CopyingChain => "copying",
            NodeStatus::Resyncing => "resyncing",
            NodeStatus::Starting => "starting",
            NodeStatus::Isolated => "isolated",
            NodeStatus::Syncing => "syncing",
            NodeStatus::Forked => "forked",
            NodeStatus::Irreconcilable => "irreconcilable",
        }
    }

    /// The process is not running and waits for something (a fault to end, an
    /// operator, a restore).
    pub fn is_held_down(self) -> bool {
        matches!(
            self,
            NodeStatus::Down
                | NodeStatus::Standby
                | NodeStatus::Restoring
                | NodeStatus::CopyingChain
                | NodeStatus::Resyncing
        )
    }

    /// The words a person reads on the node.
    pub fn label(self) -> &'static str {
        match self {
            NodeStatus::Standby => "cold standby",
            NodeStatus::CopyingChain => "copying chain",
            NodeStatus::Syncing => "catching up",
            other => other.as_str(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub id: String,
    pub role: Role,
    pub voting: bool,
    pub status: NodeStatus,
    pub height: u64,
    pub finalized_height: u64,
    /// What more there is to say about the status: why it is down ("AZ outage"), how
    /// far behind it is ("12 blocks behind"), the snapshot it restores from ("snapshot
    /// 1 h 20 min old"); empty when nothing.
    pub detail: String,
}

/// The link between two regions: cut, slowed, or fine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    Healthy,
    Degraded,
    Partitioned,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegionLinkView {
    pub from: usize,
    pub to: usize,
    pub status: LinkStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkView {
    pub at_ms: u64,
    pub best_height: u64,
    pub nodes: Vec<NodeView>,
    pub region_links: Vec<RegionLinkView>,
    /// Per AZ: a partition cuts some of its nodes off from nodes outside it (nodes cut
    /// off from every other node, isolated, do not count: they are marked themselves).
    pub az_partitioned: Vec<bool>,
    /// Per AZ: an AZ outage fault on it is active.
    pub az_out: Vec<bool>,
    /// Per region: a region outage fault on it is active.
    pub region_out: Vec<bool>,
    /// The entry point's targets, in `clients.targets` order.
    pub entry: Vec<diagram::EntryTargetView>,
    /// The nodes' current peer connections, unordered pairs, sorted.
    pub peer_links: Vec<(u16, u16)>,
    /// The backup vault, when the scenario has a backup plan.
    pub vault: Option<diagram::VaultView>,
}

/// A node's heights as the canvas and the diagram print them: "h 2102460", plus
/// "· fin 2102400" only when the chain finalizes (a finalized height of 1 on a chain
/// that never finalizes says nothing).
pub fn heights_label(view: &NodeView, finalization_enabled: bool) -> String {
    if finalization_enabled {
        format!("h {} · fin {}", view.height, view.finalized_height)
    } else {
        format!("h {}", view.height)
    }
}

/// The state of every node and every inter-region link right now.
pub fn snapshot(simulation: &Simulation<'_>) -> NetworkView {
    let scenario = simulation.scenario;
    let best = simulation.best_node();
    let best_chain = &simulation.nodes[best.get()].disk.chain;
    let count = scenario.nodes.len();
    let index = |position: usize| NodeIndex(position as u16);
    let nodes = (0..count)
        .map(|position| {
            let state = &simulation.nodes[position];
            let node = &scenario.nodes[position];
            let behind = best_chain.height().saturating_sub(state.height());
            let mut detail = String::new();
            let status = match state.process {
                crate::sim::node::Process::Down => {
                    let (status, why) = diagram::held_down_status(simulation, position);
                    detail = why;
                    status
                }
                crate::sim::node::Process::Starting => NodeStatus::Starting,
                crate::sim::node::Process::Up => {
                    let reachable = (0..count).any(|other| {
                        other != position && simulation.can_send(index(position), index(other))
                    });
                    let common = common_height(&state.disk.chain, best_chain);
                    if state.irreconcilable {
                        NodeStatus::Irreconcilable
                    } else if !reachable && count > 1 {
                        NodeStatus::Isolated
                    } else if common + 1 < state.height() {
                        NodeStatus::Forked
                    } else if state.height() + 1 < best_chain.height() {
                        detail = format!("{behind} blocks behind");
                        NodeStatus::Syncing
                    } else {
                        NodeStatus::Up
                    }
                }
            };
            NodeView {
                id: node.id.clone(),
                role: node.role,
                voting: node.voting,
                status,
                height: state.height(),
                finalized_height: state.disk.finalized_height,
                detail,
            }
        })
        .collect();
    let mut region_links = Vec::new();
    for from in 0..scenario.regions.len() {
        for to in from + 1..scenario.regions.len() {
            let pairs = || {
                (0..count)
                    .filter(move |&a| scenario.nodes[a].region == from)
                    .flat_map(move |a| {
                        (0..count)
                            .filter(move |&b| scenario.nodes[b].region == to)
                            .map(move |b| (index(a), index(b)))
                    })
            };
            let status = if pairs()
                .any(|(a, b)| simulation.is_partitioned(a, b) || simulation.is_partitioned(b, a))
            {
                LinkStatus::Partitioned
            } else if pairs()
                .any(|(a, b)| simulation.is_degraded(a, b) || simulation.is_degraded(b, a))
            {
                LinkStatus::Degraded
            } else {
                LinkStatus::Healthy
            };
            region_links.push(RegionLinkView { from, to, status });
        }
    }
    // An AZ is marked when a partition cuts one of its nodes off from a node outside
    // it, not counting nodes cut off from every other node: an isolated node is the
    // node's state (drawn on the node), not its AZ's.
    let pair_cut = |a: usize, b: usize| {
        simulation.is_partitioned(index(a), index(b))
            || simulation.is_partitioned(index(b), index(a))
    };
    let isolated: Vec<bool> = (0..count)
        .map(|a| count > 1 && (0..count).filter(|&b| b != a).all(|b| pair_cut(a, b)))
        .collect();
    let az_partitioned = (0..scenario.azs.len())
        .map(|az| {
            (0..count)
                .filter(|&a| scenario.nodes[a].az == az && !isolated[a])
                .any(|a| {
                    (0..count)
                        .filter(|&b| scenario.nodes[b].az != az && !isolated[b])
                        .any(|b| pair_cut(a, b))
                })
        })
        .collect();
    let (az_out, region_out) = diagram::outages(simulation);
    NetworkView {
        az_partitioned,
        az_out,
        region_out,
        entry: diagram::entry_targets(simulation),
        peer_links: diagram::peer_links(simulation),
        vault: diagram::vault(simulation),
        at_ms: simulation.now_ms(),
        best_height: best_chain.height(),
        nodes,
        region_links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate};
    use crate::sim::SimulationOptions;

    #[test]
    fn every_node_sits_inside_its_az_inside_its_region_without_overlap() {
        for preset in &presets::PRESETS {
            let scenario = validate(&presets::load_file(preset.name).unwrap()).unwrap();
            let layout = layout(&scenario);
            for (position, node) in scenario.nodes.iter().enumerate() {
                assert!(
                    layout.azs[node.az].contains(&layout.nodes[position]),
                    "{}",
                    node.id
                );
                assert!(layout.regions[node.region].contains(&layout.azs[node.az]));
            }
            for (a, first) in layout.nodes.iter().enumerate() {
                for second in &layout.nodes[a + 1..] {
                    let apart = first.x + first.width <= second.x
                        || second.x + second.width <= first.x
                        || first.y + first.height <= second.y
                        || second.y + second.height <= first.y;
                    assert!(apart, "{}: nodes overlap", preset.name);
                }
            }
            assert!(layout
                .regions
                .iter()
                .all(|region| region.x + region.width <= layout.width + 1e-9));
        }
    }

    #[test]
    fn an_az_cut_off_by_a_partition_is_marked() {
        use crate::scenario::file::{FaultAction, FaultFile};
        let mut file = presets::load_file("multi-az").unwrap();
        file.faults = vec![FaultFile {
            at_ms: 10 * 60_000,
            until_ms: Some(20 * 60_000),
            action: FaultAction::Partition {
                groups: vec![
                    vec!["ap-northeast-1a".into()],
                    vec!["ap-northeast-1c".into()],
                ],
                one_way: false,
            },
        }];
        let scenario = validate(&file).unwrap();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(5 * 60_000).unwrap();
        assert_eq!(snapshot(&simulation).az_partitioned, vec![false, false]);
        simulation.run_until(15 * 60_000).unwrap();
        assert_eq!(snapshot(&simulation).az_partitioned, vec![true, true]);
        simulation.run_until(25 * 60_000).unwrap();
        assert_eq!(snapshot(&simulation).az_partitioned, vec![false, false]);
    }

    /// "fin 1" on a chain that never finalizes said nothing (issue 13): the label
    /// shows the finalized height only when the chain finalizes.
    #[test]
    fn heights_show_the_finalized_height_only_when_the_chain_finalizes() {
        let view = NodeView {
            id: "peer1".into(),
            role: crate::scenario::Role::Peer,
            voting: false,
            status: NodeStatus::Up,
            height: 2_102_460,
            finalized_height: 1,
            detail: String::new(),
        };
        assert_eq!(heights_label(&view, false), "h 2102460");
        assert_eq!(heights_label(&view, true), "h 2102460 · fin 1");
    }

    /// A partition that splits nodes (the partition tool's selection against the rest)
    /// marks the AZs it cuts through.
    #[test]
    fn a_partition_through_nodes_marks_the_azs_it_cuts() {
        use crate::scenario::file::{FaultAction, FaultFile};
        let mut file = presets::load_file("multi-az").unwrap();
        file.faults = vec![FaultFile {
            at_ms: 10 * 60_000,
            until_ms: Some(20 * 60_000),
            action: FaultAction::Partition {
                groups: vec![
                    vec!["peer1".into(), "peer2".into()],
                    vec!["peer3".into(), "api1".into(), "api2".into()],
                ],
                one_way: false,
            },
        }];
        let scenario = validate(&file).unwrap();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(15 * 60_000).unwrap();
        assert!(snapshot(&simulation)
            .az_partitioned
            .iter()
            .any(|&marked| marked));
    }

    /// The seed-fork story isolates peer2: peer2 is isolated, neither AZ is cut off
    /// (issue 13: both AZs used to be marked).
    #[test]
    fn one_isolated_node_does_not_mark_its_az() {
        let file = presets::load_file("seed-fork").unwrap();
        let scenario = validate(&file).unwrap();
        let isolate = &file.faults[0];
        assert!(matches!(
            isolate.action,
            crate::scenario::file::FaultAction::Isolate { .. }
        ));
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(isolate.at_ms + 60_000).unwrap();
        let view = snapshot(&simulation);
        assert!(
            view.az_partitioned.iter().all(|&marked| !marked),
            "{:?}",
            view.az_partitioned
        );
        let peer2 = scenario.node_by_id("peer2").unwrap().get();
        assert_eq!(view.nodes[peer2].status, NodeStatus::Isolated);
    }

    #[test]
    fn many_regions_wrap_into_rows_without_overlapping() {
        let mut file = presets::load_file("active-active").unwrap();
        let copy = file.regions[1].clone();
        for suffix in ["x", "y"] {
            let mut region = copy.clone();
            region.id = format!("{}-{suffix}", region.id);
            for az in &mut region.azs {
                az.id = format!("{}-{suffix}", az.id);
                for node in &mut az.nodes {
                    node.id = format!("{}-{suffix}", node.id);
                }
            }
            file.regions.push(region);
        }
        let scenario = validate(&file).unwrap();
        let layout = layout(&scenario);
        let widest = layout
            .regions
            .iter()
            .map(|rect| rect.width)
            .fold(0.0, f64::max);
        assert!(layout.width <= ROW_WIDTH_MAX.max(widest + 2.0 * MARGIN) + 1e-9);
        assert!(
            layout.regions.iter().any(|rect| rect.y > MARGIN),
            "a second row"
        );
        for (a, first) in layout.regions.iter().enumerate() {
            for second in &layout.regions[a + 1..] {
                let apart = first.x + first.width <= second.x
                    || second.x + second.width <= first.x
                    || first.y + first.height <= second.y
                    || second.y + second.height <= first.y;
                assert!(apart, "regions overlap");
            }
        }
    }

    #[test]
    fn the_snapshot_shows_an_isolated_peer_then_its_return() {
        let scenario = validate(&presets::load_file("seed-fork").unwrap()).unwrap();
        let peer2 = scenario.node_by_id("peer2").unwrap().get();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(35 * 60_000).unwrap();
        let during = snapshot(&simulation);
        assert_eq!(during.nodes[peer2].status, NodeStatus::Isolated);
        assert!(during
            .nodes
            .iter()
            .enumerate()
            .all(|(i, n)| i == peer2 || n.status != NodeStatus::Isolated));
        simulation.run_until(60 * 60_000).unwrap();
        let after = snapshot(&simulation);
        assert!(
            matches!(
                after.nodes[peer2].status,
                NodeStatus::Up | NodeStatus::Syncing
            ),
            "{:?}",
            after.nodes[peer2]
        );
    }

    #[test]
    fn region_links_show_a_cut() {
        let scenario = validate(&presets::load_file("active-active").unwrap()).unwrap();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(150 * 60_000).unwrap();
        assert_eq!(
            snapshot(&simulation).region_links[0].status,
            LinkStatus::Partitioned
        );
        simulation.run_until(200 * 60_000).unwrap();
        assert_eq!(
            snapshot(&simulation).region_links[0].status,
            LinkStatus::Healthy
        );
    }
}

/// A readable line for the notable events of a run (faults, nodes going down and up,
/// rollbacks, refused forks, finalization, entry-point changes, backups); `None` for
/// the routine ones (blocks, transactions).
pub fn describe_event(
    scenario: &Scenario,
    entry: &crate::sim::trace::TraceEntry,
) -> Option<String> {
    use crate::sim::trace::TraceEvent;
    let name = |node: u16| {
        scenario
            .nodes
            .get(node as usize)
            .map(|node| node.id.as_str())
            .unwrap_or("?")
    };
    let fault_label = |index: u16| {
        scenario
            .faults
            .iter()
            .find(|fault| fault.file_index == index as usize)
            .map(|fault| fault.label.clone())
            .unwrap_or_default()
    };
    let text = match &entry.event {
        TraceEvent::FaultStarted { fault } => format!("fault starts: {}", fault_label(*fault)),
        TraceEvent::FaultEnded { fault } => format!("fault ends: {}", fault_label(*fault)),
        TraceEvent::NodeDown { node, cause } => format!("{} goes down ({})", name(*node), cause.as_str()),
        TraceEvent::NodeUp { node } => format!("{} is up again", name(*node)),
        TraceEvent::Rollback { node, depth, to_height } => {
            format!("{} rolls back {depth} block(s) to height {to_height}", name(*node))
        }
        TraceEvent::ForkRefused { node, from, depth } => format!(
            "{} cannot take {}'s better chain: its fork is {depth} blocks deep, past the rollback limit",
            name(*node),
            name(*from)
        ),
        TraceEvent::Finalized { height, .. } => format!("height {height} finalized"),
        TraceEvent::EntryTargetChanged { node, healthy } => format!(
            "entry point marks {} {}",
            name(*node),
            if *healthy { "healthy" } else { "unhealthy" }
        ),
        TraceEvent::SnapshotTaken { height } => format!("backup snapshot at height {height}"),
        TraceEvent::Restored { node, height } => format!("{} restored from backup at height {height}", name(*node)),
        _ => return None,
    };
    Some(format!(
        "{}  {text}",
        crate::scenario::duration::describe_duration(entry.at_ms)
    ))
}

/// One polyline per node: chain height over time, scaled into `width` × `height`.
#[derive(Clone, Debug, PartialEq)]
pub struct HeightChart {
    pub max_height: u64,
    pub lines: Vec<String>,
}

pub fn height_chart(
    samples: &[crate::sim::outcome::Sample],
    node_count: usize,
    duration_ms: u64,
    width: f64,
    height: f64,
) -> HeightChart {
    let max_height = samples
        .iter()
        .flat_map(|sample| sample.heights.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let x = |at_ms: u64| at_ms as f64 / duration_ms.max(1) as f64 * width;
    let y = |value: u64| height - value as f64 / max_height as f64 * height;
    let lines = (0..node_count)
        .map(|node| {
            samples
                .iter()
                .filter_map(|sample| sample.heights.get(node).map(|&value| (sample.at_ms, value)))
                .map(|(at_ms, value)| format!("{:.1},{:.1}", x(at_ms), y(value)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    HeightChart { max_height, lines }
}

#[cfg(test)]
mod log_and_chart_tests {
    use super::*;
    use crate::scenario::{presets, validate};
    use crate::sim::{self, SimulationOptions};

    #[test]
    fn the_log_tells_the_seed_fork_story() {
        let scenario = validate(&presets::load_file("seed-fork").unwrap()).unwrap();
        let outcome = sim::simulate(&scenario).unwrap();
        let lines: Vec<String> = outcome
            .trace
            .iter()
            .filter_map(|entry| describe_event(&scenario, entry))
            .collect();
        assert!(lines
            .iter()
            .any(|line| line.contains("fault starts: isolate peer2")));
        assert!(lines.iter().any(|line| line.contains("peer2 rolls back")));
        assert!(lines.iter().all(|line| !line.contains("block_produced")));
    }

    #[test]
    fn the_chart_scales_every_node_into_the_box() {
        let scenario = validate(&presets::load_file("multi-az").unwrap()).unwrap();
        let mut options = SimulationOptions::from_scenario(&scenario);
        options.keep_trace = false;
        let outcome = sim::simulate_with(&scenario, options).unwrap();
        let chart = height_chart(
            &outcome.samples,
            scenario.nodes.len(),
            scenario.duration_ms,
            600.0,
            200.0,
        );
        assert_eq!(chart.lines.len(), 5);
        assert_eq!(
            chart.max_height,
            outcome.samples.iter().map(|s| s.best_height).max().unwrap()
        );
        for line in &chart.lines {
            for point in line.split(' ') {
                let (x, y) = point.split_once(',').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    (0.0..=600.0).contains(&x) && (0.0..=200.0).contains(&y),
                    "{point}"
                );
            }
        }
    }
}
