//! What the topology canvas and the exported diagram draw besides the boxes, read from
//! the simulation at one moment: the entry point's view of its targets (health per the
//! health checks, which targets carry traffic), AZs and regions out, the peer
//! connections, the backup vault's snapshots and copies, the words for a node's state,
//! the peer arcs' geometry (travelling blocks follow the same arcs) and the legend.
//!
//! Invariants: everything here is computed from the running simulation or from the
//! scenario, never guessed; a target's health is the entry point's own conclusion
//! (`Simulation::entry_target_health`), not whether the node is up; an AZ or region is
//! out exactly while an outage fault on it is active; peer links are the nodes' current
//! connections, each unordered pair once, sorted; the canvas and the export share these
//! rules, so they never disagree.

use crate::scenario::{EntryKind, FaultEffect, NodeIndex, Scenario};
use crate::sim::node::{
    Process, DOWN_AZ, DOWN_CRASH, DOWN_DISK, DOWN_NOT_PROVISIONED, DOWN_OPERATOR, DOWN_REGION,
    DOWN_STOP,
};
use crate::sim::Simulation;

use super::{NodeStatus, Rect};

/// Above this many nodes the canvas draws peer connections between AZs (one line per
/// pair of AZs, with the count) instead of between nodes, so it stays readable.
pub const PEER_LINKS_NODES_MAX: usize = 30;

/// The entry point's view of one target at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryTargetView {
    /// Scenario index of the target node.
    pub node: usize,
    /// The health checks' conclusion now (not whether the node is up: a node turns
    /// unhealthy only after `unhealthy_threshold` failed checks).
    pub healthy: bool,
    /// Client requests are routed to it now (the DNS answer, the latency-routing
    /// choice, the load balancer's healthy targets, or all of them when it fails open).
    pub carries_traffic: bool,
}

/// The backup vault at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VaultView {
    /// Snapshots held in the source region's vault (retention applied).
    pub snapshots: u32,
    /// Of those, the copies landed in the copy region (0 without a copy region).
    pub copies: u32,
    /// Age of the newest snapshot now, if any.
    pub newest_age_ms: Option<u64>,
    /// Chain height the newest snapshot holds.
    pub newest_height: Option<u64>,
}

/// The entry point's targets now, in `clients.targets` order.
pub fn entry_targets(simulation: &Simulation<'_>) -> Vec<EntryTargetView> {
    let targets = &simulation.scenario.clients.targets;
    let health = simulation.entry_target_health();
    let routed = simulation.routable_targets();
    targets
        .iter()
        .enumerate()
        .map(|(position, &node)| EntryTargetView {
            node: node.get(),
            healthy: health.get(position).copied().unwrap_or(false),
            carries_traffic: routed.contains(&node),
        })
        .collect()
}

/// The entry point's box text: "1/2 healthy", and what happens when none is ("0/2
/// healthy · fails open to all": a load balancer sends to every target; Route 53
/// answers as if all were healthy).
pub fn entry_summary(kind: EntryKind, targets: &[EntryTargetView]) -> String {
    let healthy = targets.iter().filter(|target| target.healthy).count();
    let total = targets.len();
    if kind == EntryKind::Direct {
        return format!("{healthy}/{total} healthy · no failover");
    }
    if healthy == 0 && total > 0 {
        let what = match kind {
            EntryKind::LoadBalancer => "fails open to all",
            _ => "answers as if all were",
        };
        return format!("0/{total} healthy · {what}");
    }
    format!("{healthy}/{total} healthy")
}

/// The entry point box's second line: its health summary and client load when the
/// frame knows each target's health (`entry`), else its target count and load.
pub fn entry_detail(scenario: &Scenario, entry: Option<&[EntryTargetView]>) -> String {
    let load = scenario.file.clients.transactions_per_second;
    match entry {
        Some(entry) => format!(
            "{} · {load} tx/s",
            entry_summary(scenario.clients.entry_kind, entry)
        ),
        None => {
            let count = scenario.clients.targets.len();
            let plural = if count == 1 { "" } else { "s" };
            format!("{count} target{plural} · {load} tx/s")
        }
    }
}

/// The CSS class (and export paint key) of an entry line: `carrying` (healthy and
/// routed), `standby` (healthy, not routed: DNS failover's second target),
/// `failing-open` (unhealthy but routed: no target is healthy), `unhealthy`.
pub fn entry_line_class(target: &EntryTargetView) -> &'static str {
    match (target.healthy, target.carries_traffic) {
        (true, true) => "carrying",
        (true, false) => "standby",
        (false, true) => "failing-open",
        (false, false) => "unhealthy",
    }
}

/// Per AZ, then per region: an outage fault on it is active now.
pub fn outages(simulation: &Simulation<'_>) -> (Vec<bool>, Vec<bool>) {
    let scenario = simulation.scenario;
    let mut azs = vec![false; scenario.azs.len()];
    let mut regions = vec![false; scenario.regions.len()];
    for (position, fault) in scenario.faults.iter().enumerate() {
        if !simulation.fault_is_active(position) {
            continue;
        }
        match fault.effect {
            FaultEffect::AzOutage(az) if az < azs.len() => azs[az] = true,
            FaultEffect::RegionOutage(region) if region < regions.len() => regions[region] = true,
            _ => {}
        }
    }
    (azs, regions)
}

/// The nodes' current connections as unordered pairs (lower index first), sorted,
/// each once.
pub fn peer_links(simulation: &Simulation<'_>) -> Vec<(u16, u16)> {
    let mut pairs: Vec<(u16, u16)> = simulation
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(index, state)| {
            state.memory.connections.iter().map(move |peer| {
                let (a, b) = (index as u16, peer.0);
                (a.min(b), a.max(b))
            })
        })
        .filter(|(a, b)| a != b)
        .collect();
    crate::sort::sort(&mut pairs);
    pairs.dedup();
    pairs
}

/// Peer links counted per pair of different AZs (lower AZ index first), sorted.
pub fn az_peer_links(scenario: &Scenario, links: &[(u16, u16)]) -> Vec<(u16, u16, u32)> {
    let mut counts: Vec<(u16, u16, u32)> = Vec::new();
    for &(a, b) in links {
        let (Some(first), Some(second)) = (
            scenario.nodes.get(usize::from(a)),
            scenario.nodes.get(usize::from(b)),
        ) else {
            continue;
        };
        if first.az == second.az {
            continue;
        }
        let key = (
            first.az.min(second.az) as u16,
            first.az.max(second.az) as u16,
        );
        match counts.iter_mut().find(|(x, y, _)| (*x, *y) == key) {
            Some(entry) => entry.2 += 1,
            None => counts.push((key.0, key.1, 1)),
        }
    }
    crate::sort::sort(&mut counts);
    counts
}

/// The vault now, if the scenario has a backup plan.
pub fn vault(simulation: &Simulation<'_>) -> Option<VaultView> {
    let backup = simulation.scenario.backup.as_ref()?;
    let now = simulation.now_ms() as i64;
    let snapshots = &simulation.snapshots;
    let copies = if backup.copy_to_region.is_some() {
        snapshots
            .iter()
            .filter(|snapshot| snapshot.taken_ms + backup.copy_lag_ms as i64 <= now)
            .count() as u32
    } else {
        0
    };
    let newest = snapshots.last();
    Some(VaultView {
        snapshots: snapshots.len() as u32,
        copies,
        newest_age_ms: newest.map(|snapshot| (now - snapshot.taken_ms).max(0) as u64),
        newest_height: newest.map(|snapshot| snapshot.height),
    })
}

/// The vault's box text, two lines: "12 snapshots · newest 1 h 20 min old" and "every
/// 2h · 11 copied to ap-northeast-3" (the copy part only with a copy region).
pub fn vault_summary(scenario: &Scenario, vault: &VaultView) -> (String, String) {
    let mut first = format!(
        "{} snapshot{}",
        vault.snapshots,
        if vault.snapshots == 1 { "" } else { "s" }
    );
    if let Some(age) = vault.newest_age_ms {
        first.push_str(&format!(" · newest {} old", short_duration(age)));
    }
    let Some(backup) = scenario.backup.as_ref() else {
        return (first, String::new());
    };
    let mut second = format!(
        "every {}",
        crate::scenario::duration::format_duration(backup.interval_ms)
    );
    if let Some(region) = backup
        .copy_to_region
        .and_then(|region| scenario.regions.get(region))
    {
        second.push_str(&format!(" · {} copied to {}", vault.copies, region.id));
    }
    (first, second)
}

/// A duration in at most two units: "40 s", "12 min", "1 h 20 min", "2 d 3 h".
pub fn short_duration(duration_ms: u64) -> String {
    let seconds = duration_ms / 1_000;
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 && minutes > 0 {
        format!("{hours} h {minutes} min")
    } else if hours > 0 {
        format!("{hours} h")
    } else if minutes > 0 {
        format!("{minutes} min")
    } else {
        format!("{seconds} s")
    }
}

/// What a node not running is doing, read from why it is held down and the operator
/// fault holding it: (status, detail).
pub fn held_down_status(simulation: &Simulation<'_>, node: usize) -> (NodeStatus, String) {
    let state = &simulation.nodes[node];
    let reasons = state.down_reasons();
    if reasons & DOWN_NOT_PROVISIONED != 0 {
        return (NodeStatus::Standby, "not started yet".into());
    }
    if reasons & DOWN_OPERATOR != 0 {
        let scenario = simulation.scenario;
        let operator = scenario
            .faults
            .iter()
            .enumerate()
            .filter(|&(position, _)| simulation.fault_is_active(position))
            .find_map(|(_, fault)| match &fault.effect {
                FaultEffect::Restore(targets) if targets.contains(&NodeIndex(node as u16)) => {
                    Some((NodeStatus::Restoring, restore_detail(simulation, node)))
                }
                FaultEffect::CopyChain(target, from) if target.get() == node => Some((
                    NodeStatus::CopyingChain,
                    format!(
                        "from {}",
                        scenario
                            .nodes
                            .get(from.get())
                            .map(|source| source.id.as_str())
                            .unwrap_or("?")
                    ),
                )),
                FaultEffect::Resync(target) if target.get() == node => {
                    Some((NodeStatus::Resyncing, "data wiped".into()))
                }
                _ => None,
            });
        if let Some(found) = operator {
            return found;
        }
    }
    let cause = if reasons & DOWN_REGION != 0 {
        "region outage"
    } else if reasons & DOWN_AZ != 0 {
        "AZ outage"
    } else if reasons & DOWN_DISK != 0 {
        "disk lost"
    } else if reasons & DOWN_CRASH != 0 {
        "crashed"
    } else if reasons & DOWN_STOP != 0 {
        "stopped"
    } else {
        "operator"
    };
    (NodeStatus::Down, cause.into())
}

/// The snapshot a restoring node's volume came from: its chain now is the snapshot's
/// (a node held down keeps its disk as restored).
fn restore_detail(simulation: &Simulation<'_>, node: usize) -> String {
    let height = simulation.nodes[node].height();
    if simulation.nodes[node].disk.chain.is_historical() && height <= 1 {
        return "no snapshot: from the first block".into();
    }
    let now = simulation.now_ms() as i64;
    match simulation
        .snapshots
        .iter()
        .rev()
        .find(|snapshot| snapshot.height == height)
    {
        Some(snapshot) => format!(
            "snapshot {} old",
            short_duration((now - snapshot.taken_ms).max(0) as u64)
        ),
        None => format!("snapshot at h {height}"),
    }
}

/// Whether the node's process is running (up or starting).
pub fn is_running(simulation: &Simulation<'_>, node: usize) -> bool {
    simulation.nodes[node].process != Process::Down
}

/// The words under a node's name: "PEER ✓ · down · AZ outage".
pub fn node_status_line(role: &str, voting: bool, status: NodeStatus, detail: &str) -> String {
    let mut line = format!(
        "{role}{} · {}",
        if voting { " ✓" } else { "" },
        status.label()
    );
    if !detail.is_empty() {
        line.push_str(" · ");
        line.push_str(detail);
    }
    line
}

/// The entry point's box (load balancer, DNS, latency routing or direct clients), top
/// left of the drawing: one size for the canvas, its Fit and the exported diagram.
pub fn entry_rect() -> Rect {
    Rect {
        x: 16.0,
        y: 10.0,
        width: 300.0,
        height: 42.0,
    }
}

/// The backup vault's box, top right of a drawing `width` wide (three lines of text).
pub fn vault_rect(width: f64) -> Rect {
    Rect {
        x: width - 16.0 - 270.0,
        y: 8.0,
        width: 270.0,
        height: 56.0,
    }
}

/// A point where peer arcs leave and reach a node box: the middle of its bottom edge.
pub fn peer_port(rect: &Rect) -> (f64, f64) {
    (rect.x + rect.width / 2.0, rect.y + rect.height)
}

/// The arc between two node boxes as an SVG path (from `from` to `to`): it leaves one
/// box's bottom edge and reaches the other's, bowing down below the row (deeper for
/// farther nodes, so arcs nest instead of overlapping), never across a box's text.
/// Travelling blocks follow the same path.
pub fn peer_path(from: &Rect, to: &Rect) -> String {
    let [(x1, y1), (_, low), _, (x2, y2)] = peer_arc(from, to);
    format!("M{x1:.1} {y1:.1} C{x1:.1} {low:.1} {x2:.1} {low:.1} {x2:.1} {y2:.1}")
}

/// The peer arc between two nodes as a cubic Bézier curve: start, two control points
/// (under the lower port, `PEER_ARC_DEPTH_MAX` at most), end. [`peer_path`] draws it;
/// the travelling blocks move along it ([`point_on_arc`]).
pub fn peer_arc(from: &Rect, to: &Rect) -> [(f64, f64); 4] {
    let (x1, y1) = peer_port(from);
    let (x2, y2) = peer_port(to);
    let depth = (16.0 + 0.1 * (x2 - x1).abs()).min(PEER_ARC_DEPTH_MAX);
    let low = y1.max(y2) + depth;
    [(x1, y1), (x1, low), (x2, low), (x2, y2)]
}

/// The point a fraction `t` (0 to 1, clamped) of the way along a cubic Bézier curve
/// (by its parameter, not its length).
pub fn point_on_arc(arc: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let t = t.clamp(0.0, 1.0);
    let u = 1.0 - t;
    let weights = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    arc.iter()
        .zip(weights)
        .fold((0.0, 0.0), |(x, y), (&(px, py), weight)| {
            (x + weight * px, y + weight * py)
        })
}

/// The deepest control point of a peer arc below the lower port (the arc itself dips
/// three quarters of it); the layout leaves room for it under each AZ's nodes.
pub const PEER_ARC_DEPTH_MAX: f64 = 60.0;

/// Diagonal stripes (45°) across `rect`, `step` apart, each clipped to the rectangle:
/// the exported diagram's "out" hatch, drawn as plain lines (no pattern, no `url(…)`).
pub fn hatch_lines(rect: &Rect, step: f64) -> Vec<(f64, f64, f64, f64)> {
    let mut lines = Vec::new();
    if step <= 0.0 || rect.width <= 0.0 || rect.height <= 0.0 {
        return lines;
    }
    // Lines x + y = c, from the top-left corner to the bottom-right one.
    let (left, top) = (rect.x, rect.y);
    let (right, bottom) = (rect.x + rect.width, rect.y + rect.height);
    let mut c = left + top + step;
    while c < right + bottom {
        // Where the line enters (on the top or right edge) and leaves (left or bottom).
        let (x1, y1) = if c - top <= right {
            (c - top, top)
        } else {
            (right, c - right)
        };
        let (x2, y2) = if c - left <= bottom {
            (left, c - left)
        } else {
            (c - bottom, bottom)
        };
        lines.push((x1, y1, x2, y2));
        c += step;
    }
    lines
}

/// One line of the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendSwatch {
    /// A node box in this state.
    Node(NodeStatus),
    /// An entry-point line of this class (see [`entry_line_class`]).
    EntryLine(&'static str),
    /// An AZ or region box that is out.
    Out,
    /// An AZ cut by a partition.
    Partitioned,
    /// A peer connection.
    PeerLink,
    /// A block travelling between peers.
    Block,
}

/// The legend: what each look means, in reading order.
pub fn legend() -> Vec<(LegendSwatch, &'static str)> {
    vec![
        (LegendSwatch::Node(NodeStatus::Up), "up"),
        (LegendSwatch::Node(NodeStatus::Syncing), "catching up"),
        (LegendSwatch::Node(NodeStatus::Starting), "starting"),
        (LegendSwatch::Node(NodeStatus::Down), "down"),
        (LegendSwatch::Node(NodeStatus::Standby), "cold standby"),
        (
            LegendSwatch::Node(NodeStatus::Restoring),
            "restoring / copying",
        ),
        (LegendSwatch::Node(NodeStatus::Isolated), "isolated"),
        (LegendSwatch::Node(NodeStatus::Forked), "forked"),
        (
            LegendSwatch::Node(NodeStatus::Irreconcilable),
            "fork past the limit",
        ),
        (
            LegendSwatch::EntryLine("carrying"),
            "target healthy, carries traffic",
        ),
        (
            LegendSwatch::EntryLine("standby"),
            "target healthy, standby",
        ),
        (LegendSwatch::EntryLine("unhealthy"), "target unhealthy"),
        (LegendSwatch::Out, "AZ / region out"),
        (LegendSwatch::Partitioned, "cut by a partition"),
        (LegendSwatch::PeerLink, "peer connection"),
        (LegendSwatch::Block, "block travelling"),
    ]
}

/// Legend geometry: columns of entries, each entry a swatch and its words.
pub const LEGEND_COLUMNS: usize = 4;
pub const LEGEND_ROW_HEIGHT: f64 = 18.0;
pub const LEGEND_COLUMN_WIDTH: f64 = 205.0;
pub const LEGEND_PADDING: f64 = 8.0;

/// Where each legend entry goes, inside a legend box at (0, 0) at most `width` wide:
/// (x, y of the entry's top-left corner), in [`legend`] order; and the box's size.
pub fn legend_layout(width: f64) -> (Vec<(f64, f64)>, f64, f64) {
    let entries = legend().len();
    let columns = ((width - 2.0 * LEGEND_PADDING) / LEGEND_COLUMN_WIDTH)
        .floor()
        .clamp(1.0, LEGEND_COLUMNS as f64) as usize;
    let rows = entries.div_ceil(columns);
    let positions = (0..entries)
        .map(|index| {
            let (column, row) = (index / rows, index % rows);
            (
                LEGEND_PADDING + column as f64 * LEGEND_COLUMN_WIDTH,
                LEGEND_PADDING + row as f64 * LEGEND_ROW_HEIGHT,
            )
        })
        .collect();
    (
        positions,
        2.0 * LEGEND_PADDING + columns as f64 * LEGEND_COLUMN_WIDTH,
        2.0 * LEGEND_PADDING + rows as f64 * LEGEND_ROW_HEIGHT,
    )
}

/// An inter-region link's badge (its status and one-way latency), on the canvas and in
/// the exported diagram; `edit::placement::link_badge_centers` places it.
pub const LINK_BADGE_WIDTH: f64 = 132.0;
pub const LINK_BADGE_HEIGHT: f64 = 24.0;

/// The width to height ratio of the canvas's frame on a projector at 1280×720, the
/// tightest screen a workshop uses: about 1,250 × 410 px (the stage's rules in
/// `static/style.css`; 1,890 × 770 px at 1920×1080). The canvas's legend goes where the
/// drawing loses least in it.
pub const CANVAS_FRAME_ASPECT: f64 = 3.0;

/// The canvas's legend: its box's top-left corner and size, and where each entry goes
/// inside it ([`legend_layout`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CanvasLegend {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub positions: Vec<(f64, f64)>,
    /// Beside the drawing (true) or under it.
    pub beside: bool,
}

/// The width to height ratio of the canvas's frame in an embed at 900×520: about
/// 550 × 400 px (`static/style.css`, "embed").
pub const EMBED_CANVAS_FRAME_ASPECT: f64 = 1.4;

/// Where the canvas puts its legend for a drawing `content_width` × `content_height`
/// (everything but the legend, from the top of the canvas) whose boxes start `top_band`
/// down, and the canvas's size with it. Under the drawing, as wide as it, or beside it
/// in two columns from the top of the regions: whichever leaves the drawing larger in a
/// frame `frame_aspect` times as wide as it is tall (in the app's frame,
/// [`CANVAS_FRAME_ASPECT`], beside wins for two regions one above the other, which a
/// legend under them would shrink by a quarter at 1280×720; in an embed's narrower
/// frame, under wins).
pub fn canvas_legend(
    content_width: f64,
    content_height: f64,
    top_band: f64,
    gap: f64,
    frame_aspect: f64,
) -> (CanvasLegend, f64, f64) {
    const MARGIN: f64 = 16.0;
    let scale = |width: f64, height: f64| (frame_aspect / width).min(1.0 / height);
    let (positions, width, height) = legend_layout(content_width - 2.0 * MARGIN);
    let below_size = (content_width, content_height + gap + height + MARGIN);
    let below = CanvasLegend {
        left: MARGIN,
        top: content_height + gap,
        width,
        height,
        positions,
        beside: false,
    };
    let (positions, width, height) = legend_layout(2.0 * (LEGEND_PADDING + LEGEND_COLUMN_WIDTH));
    let beside_size = (
        content_width + gap + width + MARGIN,
        content_height.max(top_band + height + MARGIN),
    );
    let beside = CanvasLegend {
        left: content_width + gap,
        top: top_band,
        width,
        height,
        positions,
        beside: true,
    };
    if scale(beside_size.0, beside_size.1) > scale(below_size.0, below_size.1) {
        (beside, beside_size.0, beside_size.1)
    } else {
        (below, below_size.0, below_size.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::{FaultAction, FaultFile};
    use crate::scenario::{presets, validate};
    use crate::sim::SimulationOptions;
    use crate::view::snapshot;

    #[test]
    fn a_travelling_block_follows_the_drawn_peer_arc_from_port_to_port() {
        let from = Rect {
            x: 10.0,
            y: 20.0,
            width: 120.0,
            height: 70.0,
        };
        let to = Rect {
            x: 410.0,
            y: 20.0,
            width: 120.0,
            height: 70.0,
        };
        // The drawn path is the same curve (its numbers, to a tenth).
        assert_eq!(
            peer_path(&from, &to),
            "M70.0 90.0 C70.0 146.0 470.0 146.0 470.0 90.0"
        );
        let arc = peer_arc(&from, &to);
        assert_eq!(point_on_arc(&arc, 0.0), peer_port(&from));
        assert_eq!(point_on_arc(&arc, 1.0), peer_port(&to));
        assert_eq!(point_on_arc(&arc, -1.0), peer_port(&from), "clamped");
        // Half way it is midway across and dips three quarters of the control depth
        // (16 + 0.1 × 400 = 56 under the ports).
        let (x, y) = point_on_arc(&arc, 0.5);
        assert!(
            (x - 270.0).abs() < 1e-9 && (y - (90.0 + 0.75 * 56.0)).abs() < 1e-9,
            "{x} {y}"
        );
        // Far nodes: the depth stops at PEER_ARC_DEPTH_MAX, under the lower port.
        let low = Rect {
            x: 2_000.0,
            y: 60.0,
            width: 120.0,
            height: 70.0,
        };
        let arc = peer_arc(&from, &low);
        assert_eq!(arc[1].1, 130.0 + PEER_ARC_DEPTH_MAX);
    }

    #[test]
    fn the_canvas_legend_goes_beside_a_wide_drawing_and_under_a_narrow_tall_one() {
        // Two regions one above the other (the active-active preset's 852 × 444 plus
        // the entry point's band): under them, the legend would shrink the drawing to
        // 0.61 of the frame's height at 1280×720; beside them, to 0.79.
        let (legend, width, height) = canvas_legend(852.0, 520.0, 76.0, 8.0, CANVAS_FRAME_ASPECT);
        assert!(legend.beside, "{legend:?}");
        assert_eq!(legend.left, 860.0);
        assert_eq!(legend.top, 76.0);
        assert_eq!(width, 860.0 + legend.width + 16.0);
        assert_eq!(height, 520.0);
        // Every entry is inside the box.
        for &(x, y) in &legend.positions {
            assert!(
                x + LEGEND_COLUMN_WIDTH <= legend.width + 1e-9
                    && y + LEGEND_ROW_HEIGHT <= legend.height
            );
        }
        // A drawing already wider than the frame keeps its legend under it.
        let (legend, width, height) = canvas_legend(2_400.0, 300.0, 76.0, 8.0, CANVAS_FRAME_ASPECT);
        assert!(!legend.beside, "{legend:?}");
        assert_eq!((legend.left, legend.top), (16.0, 308.0));
        assert_eq!(width, 2_400.0);
        assert_eq!(height, 308.0 + legend.height + 16.0);
        // An embed's frame is nearer square: the same two regions keep it under them.
        let (legend, _, _) = canvas_legend(852.0, 520.0, 76.0, 8.0, EMBED_CANVAS_FRAME_ASPECT);
        assert!(!legend.beside, "{legend:?}");
    }

    fn scenario(name: &str) -> Scenario {
        validate(&presets::load_file(name).unwrap()).unwrap()
    }

    fn index(scenario: &Scenario, id: &str) -> usize {
        scenario.node_by_id(id).unwrap().get()
    }

    /// Issue 13: during multi-az's AZ outage the load balancer still said "2 targets".
    /// Half an hour in, api1 (in the AZ that is out) is unhealthy and carries nothing;
    /// api2 carries the traffic; the box says "1/2 healthy"; the AZ is out.
    #[test]
    fn during_the_az_outage_the_load_balancer_sees_api1_unhealthy_and_the_az_out() {
        let scenario = scenario("multi-az");
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(90 * 60_000).unwrap();
        let before = snapshot(&simulation);
        assert_eq!(
            entry_summary(EntryKind::LoadBalancer, &before.entry),
            "2/2 healthy"
        );
        assert_eq!(before.az_out, vec![false, false]);
        simulation.run_until(150 * 60_000).unwrap();
        let during = snapshot(&simulation);
        let (api1, api2) = (index(&scenario, "api1"), index(&scenario, "api2"));
        assert_eq!(
            during.entry,
            vec![
                EntryTargetView {
                    node: api1,
                    healthy: false,
                    carries_traffic: false
                },
                EntryTargetView {
                    node: api2,
                    healthy: true,
                    carries_traffic: true
                },
            ]
        );
        assert_eq!(
            entry_summary(EntryKind::LoadBalancer, &during.entry),
            "1/2 healthy"
        );
        assert_eq!(entry_line_class(&during.entry[0]), "unhealthy");
        assert_eq!(entry_line_class(&during.entry[1]), "carrying");
        assert_eq!(during.az_out, vec![true, false]);
        assert_eq!(during.region_out, vec![false]);
        let peer1 = &during.nodes[index(&scenario, "peer1")];
        assert_eq!(
            (peer1.status, peer1.detail.as_str()),
            (NodeStatus::Down, "AZ outage")
        );
        simulation.run_until(4 * 3_600_000).unwrap();
        let after = snapshot(&simulation);
        assert_eq!(after.az_out, vec![false, false]);
        assert_eq!(
            entry_summary(EntryKind::LoadBalancer, &after.entry),
            "2/2 healthy"
        );
    }

    #[test]
    fn with_no_healthy_target_the_entry_point_says_what_it_does() {
        let down = |node| EntryTargetView {
            node,
            healthy: false,
            carries_traffic: true,
        };
        let targets = [down(0), down(1)];
        assert_eq!(
            entry_summary(EntryKind::LoadBalancer, &targets),
            "0/2 healthy · fails open to all"
        );
        assert_eq!(
            entry_summary(EntryKind::DnsFailover, &targets),
            "0/2 healthy · answers as if all were"
        );
        assert_eq!(entry_line_class(&targets[0]), "failing-open");
    }

    /// Cold standbys are not crashed nodes: before the region outage they say "cold
    /// standby"; during the restore they say "restoring" with the snapshot's age while
    /// the region that is out says "region outage"; the vault holds its snapshots.
    #[test]
    fn standby_restoring_and_region_out_are_told_apart() {
        let scenario = scenario("inter-region-backup");
        let (peer1, dr_peer1) = (index(&scenario, "peer1"), index(&scenario, "dr-peer1"));
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(6 * 3_600_000).unwrap();
        let before = snapshot(&simulation);
        assert_eq!(before.nodes[dr_peer1].status, NodeStatus::Standby);
        assert_eq!(before.nodes[peer1].status, NodeStatus::Up);
        let vault = before.vault.expect("a backup plan");
        assert_eq!(vault.snapshots, 12, "retention 12, filled before the start");
        assert!(vault.copies >= 11, "{vault:?}");
        assert!(vault.newest_age_ms.unwrap() < 2 * 3_600_000);
        let (first, second) = vault_summary(&scenario, &vault);
        assert!(first.starts_with("12 snapshots · newest "), "{first}");
        assert!(
            second.starts_with("every 2h · ") && second.ends_with(" copied to ap-northeast-3"),
            "{second}"
        );
        simulation.run_until(8 * 3_600_000).unwrap();
        let during = snapshot(&simulation);
        assert_eq!(during.region_out, vec![true, false]);
        assert_eq!(
            during.az_out,
            vec![false; 4],
            "a region outage, not an AZ one"
        );
        assert_eq!(
            (
                during.nodes[peer1].status,
                during.nodes[peer1].detail.as_str()
            ),
            (NodeStatus::Down, "region outage")
        );
        let restoring = &during.nodes[dr_peer1];
        assert_eq!(restoring.status, NodeStatus::Restoring, "{restoring:?}");
        assert!(
            restoring.detail.starts_with("snapshot ") && restoring.detail.ends_with(" old"),
            "{restoring:?}"
        );
        // DNS failover: api1 and api2 are out; no target is healthy.
        assert_eq!(
            entry_summary(EntryKind::DnsFailover, &during.entry),
            "0/4 healthy · answers as if all were"
        );
    }

    /// A crash says "crashed"; back up and behind, a node is "catching up" with the
    /// blocks it lacks.
    #[test]
    fn crashed_and_catching_up_are_told_apart() {
        let mut file = presets::load_file("multi-az").unwrap();
        file.faults.push(FaultFile {
            at_ms: 30 * 60_000,
            until_ms: Some(40 * 60_000),
            action: FaultAction::Crash {
                node: "peer3".into(),
            },
        });
        let scenario = validate(&file).unwrap();
        let peer3 = index(&scenario, "peer3");
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(35 * 60_000).unwrap();
        let crashed = snapshot(&simulation);
        assert_eq!(
            (
                crashed.nodes[peer3].status,
                crashed.nodes[peer3].detail.as_str()
            ),
            (NodeStatus::Down, "crashed")
        );
        // After the AZ outage, zone a's nodes come back behind and catch up.
        let peer1 = index(&scenario, "peer1");
        let mut seen = None;
        for minute in 180..200 {
            simulation.run_until(minute * 60_000).unwrap();
            let view = snapshot(&simulation);
            if view.nodes[peer1].status == NodeStatus::Syncing {
                seen = Some(view.nodes[peer1].clone());
                break;
            }
        }
        let catching_up = seen.expect("peer1 catches up after the AZ outage");
        assert!(
            catching_up.detail.ends_with(" blocks behind"),
            "{catching_up:?}"
        );
        assert_eq!(NodeStatus::Syncing.label(), "catching up");
    }

    #[test]
    fn peer_links_are_the_current_connections_each_pair_once() {
        let scenario = scenario("multi-az");
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(60 * 60_000).unwrap();
        let links = snapshot(&simulation).peer_links;
        assert!(!links.is_empty());
        assert!(links.windows(2).all(|pair| pair[0] < pair[1]), "{links:?}");
        for &(a, b) in &links {
            assert!(a < b);
            let (a, b) = (usize::from(a), usize::from(b));
            assert!(
                simulation.nodes[a]
                    .memory
                    .connections
                    .iter()
                    .any(|peer| peer.get() == b)
                    || simulation.nodes[b]
                        .memory
                        .connections
                        .iter()
                        .any(|peer| peer.get() == a)
            );
            // Connections lead to Peer-role nodes only.
            assert!(scenario.nodes[a].role.has_peer() || scenario.nodes[b].role.has_peer());
        }
        // During the outage no link reaches zone a's nodes (they are down).
        simulation.run_until(150 * 60_000).unwrap();
        let peer1 = index(&scenario, "peer1") as u16;
        assert!(snapshot(&simulation)
            .peer_links
            .iter()
            .all(|&(a, b)| a != peer1 && b != peer1));
        // Between AZs: counted per pair of AZs.
        let zones = az_peer_links(&scenario, &links);
        assert!(zones.iter().all(|&(a, b, count)| a < b && count > 0));
    }

    #[test]
    fn peer_arcs_leave_and_reach_the_bottom_edges_and_stay_in_the_band() {
        let layout = crate::view::layout(&scenario("multi-az"));
        let (first, third) = (layout.nodes[0], layout.nodes[2]);
        let path = peer_path(&first, &third);
        let (x1, y1) = peer_port(&first);
        let (x2, _) = peer_port(&third);
        assert!(path.starts_with(&format!("M{x1:.1} {y1:.1} ")), "{path}");
        assert!(path.ends_with(&format!("{x2:.1} {y1:.1}")), "{path}");
        // The arc dips at most 3/4 of its control depth: inside the AZ's box.
        let dip = 0.75 * PEER_ARC_DEPTH_MAX;
        assert!(y1 + dip <= layout.regions[0].y + layout.regions[0].height + 1e-9);
    }

    #[test]
    fn hatch_lines_stay_inside_their_box() {
        let rect = Rect {
            x: 10.0,
            y: 20.0,
            width: 100.0,
            height: 40.0,
        };
        let lines = hatch_lines(&rect, 10.0);
        assert_eq!(lines.len(), 13);
        for (x1, y1, x2, y2) in lines {
            for (x, y) in [(x1, y1), (x2, y2)] {
                assert!((10.0..=110.0).contains(&x) && (20.0..=60.0).contains(&y));
            }
            assert!(((x1 + y1) - (x2 + y2)).abs() < 1e-9, "45°");
        }
    }

    #[test]
    fn the_legend_names_every_state_and_fits_its_box() {
        let entries = legend();
        for status in [
            NodeStatus::Up,
            NodeStatus::Down,
            NodeStatus::Standby,
            NodeStatus::Restoring,
            NodeStatus::Syncing,
        ] {
            assert!(entries
                .iter()
                .any(|(swatch, _)| *swatch == LegendSwatch::Node(status)));
        }
        for width in [300.0, 700.0, 1_200.0] {
            let (positions, box_width, box_height) = legend_layout(width);
            assert_eq!(positions.len(), entries.len());
            assert!(box_width <= width.max(LEGEND_COLUMN_WIDTH + 2.0 * LEGEND_PADDING));
            for (x, y) in positions {
                assert!(x + LEGEND_COLUMN_WIDTH <= box_width + 1e-9);
                assert!(y + LEGEND_ROW_HEIGHT <= box_height + 1e-9);
            }
        }
        assert_eq!(short_duration(80 * 60_000), "1 h 20 min");
        assert_eq!(short_duration(45_000), "45 s");
    }
}
