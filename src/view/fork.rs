//! The fork view: the recent block tree at the simulation's current moment, every
//! node's place in it, and a pure layout (height → column, branch → row) so the UI and
//! an SVG export only draw rectangles and lines.
//!
//! Which blocks are shown: the story, not a window (issue 13: the branch point scrolled
//! off and a branch vanished a minute after its rollback). The newest
//! [`TIP_BLOCKS_SHOWN`] best-chain blocks; every branch a node holds now (up to
//! [`HELD_BRANCHES_SHOWN`], newest first) and the [`ROLLED_BACK_BRANCHES_SHOWN`] deepest
//! rolled-back branches, for the rest of the run, each with its branch point and, when
//! longer than [`BRANCH_BLOCKS_WHOLE`], by its first and last two blocks; the
//! `maxRollbackBlocks` cliff; and the best chain at those heights. Heights in between
//! are left out and drawn as a gap with its count, so at most [`FORK_BLOCKS_MAX`] blocks
//! are shown and a 200-node run stays cheap.
//!
//! Rules (all read from the simulation, never guessed):
//! - a block is **finalized** when a node whose chain holds it has finalized at or
//!   above its height;
//! - a block is **rolled back** when no node holds it any longer. Every block enters the
//!   arena on its harvester's own chain, so such a block was held and then undone: by a
//!   rollback (trace `Rollback`) or by an operator wipe (disk loss, restore, resync). A
//!   down node still holds its chain on disk.
//! - a node's **fork depth** is its own blocks above the last block it shares with the
//!   best chain; it can take the best chain only while that shared block is at or above
//!   its rollback floor (`maxRollbackBlocks` below its height, and never below its
//!   finalized height), exactly as the engine decides (`Simulation::rollback_floor`).
//!
//! Invariants: blocks are ordered by (height, id); a block's `parent` is shown only
//! when it is in the tree; every node appears once in `nodes`, in scenario order; the
//! layout gives each block one row and no two blocks share a cell.

use crate::sim::chain::BlockId;
use crate::sim::node::RollbackRecord;
use crate::sim::outcome::common_height;
use crate::sim::Simulation;

use super::Rect;

/// The most blocks a fork tree holds (the tip, the cliff, and seven heights and six
/// blocks per shown branch, with the best chain's block at each height).
pub const FORK_BLOCKS_MAX: usize = (TIP_BLOCKS_SHOWN as usize
    + 1
    + (HELD_BRANCHES_SHOWN + ROLLED_BACK_BRANCHES_SHOWN) * (BRANCH_BLOCKS_WHOLE as usize + 1))
    * 2;

/// One block of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct ForkBlock {
    pub id: BlockId,
    /// The nearest ancestor in the tree: the parent, or an older block when the blocks
    /// between are left out (see `parent_gap_blocks`).
    pub parent: Option<BlockId>,
    /// Blocks left out between this block and `parent` (0: `parent` is its parent).
    pub parent_gap_blocks: u64,
    pub height: u64,
    pub timestamp_ms: u64,
    /// The harvesting node's id; `None` for the nemesis block.
    pub harvester: Option<String>,
    /// The first 8 hexadecimal digits of the block hash.
    pub hash_text: String,
    /// Nodes (scenario indices, ascending) whose tip this block is.
    pub nodes_at_tip: Vec<usize>,
    /// Nodes (scenario indices, ascending) whose chain holds this block.
    pub on_chain_of: Vec<usize>,
    pub on_best_chain: bool,
    pub finalized: bool,
    pub rolled_back: bool,
}

/// Where a node stands against the best chain and its rollback limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForkStatus {
    /// Its chain is a prefix of the best chain (it may be behind).
    OnBestChain,
    /// It holds blocks of its own, few enough to roll back when it syncs.
    WithinLimit,
    /// Its fork starts below its rollback floor: it cannot take the best chain.
    BeyondLimit,
}

/// One node's place in the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeFork {
    pub node: usize,
    pub name: String,
    pub up: bool,
    pub height: u64,
    pub finalized_height: u64,
    /// Height of the last block it shares with the best chain.
    pub common_height: u64,
    /// Its own blocks above `common_height`.
    pub fork_depth_blocks: u64,
    /// Best-chain blocks above `common_height` it lacks.
    pub behind_blocks: u64,
    /// The lowest height it may roll back to now.
    pub rollback_floor_height: u64,
    /// The engine marked it: it wants a better chain it may not take.
    pub irreconcilable: bool,
    pub last_rollback: Option<RollbackRecord>,
    pub status: ForkStatus,
}

impl NodeFork {
    /// A sentence for the UI, e.g. "peer2 rolled back 3 blocks at 38m" or "peer2 cannot
    /// roll back: fork depth 57 > maxRollbackBlocks 40".
    pub fn describe(&self, max_rollback_blocks: u64) -> String {
        let name = &self.name;
        let depth = self.fork_depth_blocks;
        match self.status {
            ForkStatus::BeyondLimit => {
                if max_rollback_blocks > 0 && depth > max_rollback_blocks {
                    format!(
                        "{name} cannot roll back: fork depth {depth} > maxRollbackBlocks {max_rollback_blocks}"
                    )
                } else {
                    format!(
                        "{name} cannot roll back: its fork of {depth} block(s) starts below its finalized height {}",
                        self.finalized_height
                    )
                }
            }
            ForkStatus::WithinLimit => {
                let limit = if max_rollback_blocks > 0 {
                    format!("maxRollbackBlocks {max_rollback_blocks}")
                } else {
                    format!("finalized height {}", self.finalized_height)
                };
                format!("{name} is on a fork {depth} block(s) deep, within {limit}: it rolls back when it syncs")
            }
            ForkStatus::OnBestChain => match self.last_rollback {
                Some(rollback) => format!(
                    "{name} rolled back {} block(s) at {}",
                    rollback.depth,
                    crate::scenario::duration::describe_duration(rollback.at_ms)
                ),
                None if self.behind_blocks > 0 => {
                    format!(
                        "{name} is on the best chain, {} block(s) behind",
                        self.behind_blocks
                    )
                }
                None => format!("{name} is on the best chain"),
            },
        }
    }
}

/// Node names listed in an aggregated note before "…".
pub const NOTE_NAMES_LISTED: usize = 3;
/// A node this many blocks or more behind the best chain is noted as behind (one
/// block in flight is not).
pub const BEHIND_NOTED_BLOCKS: u64 = 2;

/// The fork view's notes, aggregated: nodes whose notes differ only by their name share
/// one note ("198 nodes (api1, api2, api3, …) rolled back 1 block(s) at 16m 47s"), so a
/// large network reads in a few lines. Nodes that are down, and nodes behind the best
/// chain, are noted too, so an empty list really means every node is on the best chain.
/// `down[i]`: node `i` is not running.
pub fn aggregated_notes(tree: &ForkTree, down: &[bool]) -> Vec<String> {
    const NAME: &str = "\u{0}";
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for (index, node) in tree.nodes.iter().enumerate() {
        let template = if down.get(index).copied().unwrap_or(false) {
            format!("{NAME} is down")
        } else if node.status != ForkStatus::OnBestChain
            || node.last_rollback.is_some()
            || node.behind_blocks >= BEHIND_NOTED_BLOCKS
        {
            NodeFork {
                name: NAME.to_string(),
                ..node.clone()
            }
            .describe(tree.max_rollback_blocks)
        } else {
            continue;
        };
        match groups.iter_mut().find(|(known, _)| *known == template) {
            Some((_, names)) => names.push(&node.name),
            None => groups.push((template, vec![&node.name])),
        }
    }
    groups
        .into_iter()
        .map(|(template, names)| {
            let who = if names.len() == 1 {
                names[0].to_string()
            } else {
                let listed = names[..names.len().min(NOTE_NAMES_LISTED)].join(", ");
                let more = if names.len() > NOTE_NAMES_LISTED {
                    ", …"
                } else {
                    ""
                };
                format!("{} nodes ({listed}{more})", names.len())
            };
            let note = template.replacen(NAME, &who, 1);
            if names.len() > 1 {
                note.replacen(" is ", " are ", 1)
            } else {
                note
            }
        })
        .collect()
}

/// The recent block tree.
#[derive(Clone, Debug, PartialEq)]
pub struct ForkTree {
    pub at_ms: u64,
    pub best_node: usize,
    pub best_height: u64,
    /// The lowest height shown.
    pub lowest_height: u64,
    /// The scenario's `maxRollbackBlocks` (0: the limit is the finalized height).
    pub max_rollback_blocks: u64,
    /// The heights shown, ascending (heights between are left out).
    pub heights: Vec<u64>,
    /// Ordered by (height, id).
    pub blocks: Vec<ForkBlock>,
    /// Every node, in scenario order.
    pub nodes: Vec<NodeFork>,
    /// Harvested blocks between the lowest shown height and the tip left out.
    pub omitted_blocks: usize,
    /// Rolled-back branches left out (only the deepest are kept).
    pub rolled_back_branches_omitted: usize,
}

impl ForkTree {
    /// The position in `blocks` of a block, if shown.
    pub fn position(&self, id: BlockId) -> Option<usize> {
        self.blocks.iter().position(|block| block.id == id)
    }

    /// Nodes whose chain leaves the best chain (the branches worth a sentence).
    pub fn forked_nodes(&self) -> impl Iterator<Item = &NodeFork> {
        self.nodes
            .iter()
            .filter(|node| node.status != ForkStatus::OnBestChain)
    }
}

/// The block tree at the simulation's current moment (see the module rules).
pub fn fork_tree(simulation: &Simulation<'_>, window_blocks: u64) -> ForkTree {
    let scenario = simulation.scenario;
    let arena = &simulation.blocks;
    let best = simulation.best_node().get();
    let best_chain = &simulation.nodes[best].disk.chain;
    let best_height = best_chain.height();

    let nodes: Vec<NodeFork> = simulation
        .nodes
        .iter()
        .enumerate()
        .map(|(index, state)| {
            let common = common_height(&state.disk.chain, best_chain);
            let depth = state.height() - common;
            let floor = simulation.rollback_floor(simulation.node_at(index));
            let status = if depth == 0 {
                ForkStatus::OnBestChain
            } else if common < floor {
                ForkStatus::BeyondLimit
            } else {
                ForkStatus::WithinLimit
            };
            NodeFork {
                node: index,
                name: scenario.nodes[index].id.clone(),
                up: state.is_up(),
                height: state.height(),
                finalized_height: state.disk.finalized_height,
                common_height: common,
                fork_depth_blocks: depth,
                behind_blocks: best_height - common,
                rollback_floor_height: floor,
                irreconcilable: state.irreconcilable,
                last_rollback: state.rollbacks.last().copied(),
                status,
            }
        })
        .collect();

    let selection = select_blocks(simulation, window_blocks);
    let shown_ids = {
        let mut ids: Vec<BlockId> = selection.blocks.iter().map(|&(_, id)| id).collect();
        crate::sort::sort(&mut ids);
        ids
    };
    let is_shown = |id: BlockId| shown_ids.binary_search(&id).is_ok();
    let holders = |id: BlockId| -> Vec<usize> {
        let height = arena.get(id).height;
        simulation
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, state)| state.disk.chain.block_at(height) == Some(id))
            .map(|(index, _)| index)
            .collect()
    };
    let lowest_height = selection
        .blocks
        .first()
        .map(|&(height, _)| height)
        .unwrap_or(best_height);
    let blocks = selection
        .blocks
        .iter()
        .map(|&(height, id)| {
            let block = arena.get(id);
            let on_chain_of = holders(id);
            let nodes_at_tip = on_chain_of
                .iter()
                .copied()
                .filter(|&index| simulation.nodes[index].tip() == id)
                .collect();
            let finalized = on_chain_of
                .iter()
                .any(|&index| simulation.nodes[index].disk.finalized_height >= height);
            // The nearest shown ancestor (the direct parent unless blocks between were
            // left out).
            let mut parent = block.parent;
            while let Some(candidate) = parent {
                if is_shown(candidate) || arena.get(candidate).height < lowest_height {
                    break;
                }
                parent = arena.get(candidate).parent;
            }
            let parent = parent.filter(|&candidate| is_shown(candidate));
            ForkBlock {
                id,
                parent,
                parent_gap_blocks: parent
                    .map(|candidate| height - arena.get(candidate).height - 1)
                    .unwrap_or(0),
                height,
                timestamp_ms: block.timestamp_ms,
                harvester: block
                    .harvester
                    .and_then(|node| scenario.nodes.get(node as usize))
                    .map(|node| node.id.clone()),
                hash_text: format!("{:016x}", block.hash)[..8].to_string(),
                on_best_chain: best_chain.block_at(height) == Some(id),
                rolled_back: on_chain_of.is_empty() && id != BlockId::NEMESIS,
                finalized,
                nodes_at_tip,
                on_chain_of,
            }
        })
        .collect();

    ForkTree {
        at_ms: simulation.now_ms(),
        best_node: best,
        best_height,
        lowest_height,
        max_rollback_blocks: scenario.chain.max_rollback_blocks,
        heights: selection.heights,
        blocks,
        nodes,
        omitted_blocks: selection.omitted_blocks,
        rolled_back_branches_omitted: selection.rolled_back_branches_omitted,
    }
}

/// The newest best-chain blocks always shown.
pub const TIP_BLOCKS_SHOWN: u64 = 5;
/// Rolled-back branches kept in view for the rest of the run: the deepest, then the
/// newest.
pub const ROLLED_BACK_BRANCHES_SHOWN: usize = 4;
/// Branches still held by some node shown at most (the newest).
pub const HELD_BRANCHES_SHOWN: usize = 12;
/// A branch longer than this shows its first two and last two blocks, with a gap.
pub const BRANCH_BLOCKS_WHOLE: u64 = 6;
/// Heights between two shown heights closer than this are shown too (a gap of one or
/// two blocks says less than the blocks themselves).
const GAP_FILLED_BLOCKS: u64 = 2;

/// Which blocks the fork view shows (see [`select_blocks`]).
struct Selection {
    /// (height, id), ordered.
    blocks: Vec<(u64, BlockId)>,
    /// The heights shown, ascending.
    heights: Vec<u64>,
    omitted_blocks: usize,
    rolled_back_branches_omitted: usize,
}

/// The story of the run in a few columns: the newest best-chain blocks; every branch a
/// node holds now and the deepest rolled-back ones (each from its branch point, long
/// branches by their two ends); the `maxRollbackBlocks` cliff; the best chain at
/// those heights. Heights in between are left out (the picture shows a gap with the
/// count), so the branch point never scrolls away and a branch stays in view after it
/// is rolled back.
fn select_blocks(simulation: &Simulation<'_>, window_blocks: u64) -> Selection {
    let arena = &simulation.blocks;
    let best_chain = &simulation.nodes[simulation.best_node().get()].disk.chain;
    let best_height = best_chain.height();
    let on_best = |id: BlockId| best_chain.block_at(arena.get(id).height) == Some(id);
    // Every harvested block off the best chain, with the first block of its branch
    // (parents are created before children, so ids ascend along a branch).
    let count = arena.len();
    let mut root: Vec<Option<BlockId>> = vec![None; count];
    let mut branches: Vec<(BlockId, Vec<BlockId>)> = Vec::new();
    for index in 0..count as u32 {
        let id = BlockId(index);
        let block = arena.get(id);
        if block.harvester.is_none() || on_best(id) {
            continue;
        }
        let first = block
            .parent
            .and_then(|parent| root.get(parent.get()).copied().flatten())
            .unwrap_or(id);
        root[id.get()] = Some(first);
        match branches.binary_search_by(|(other, _)| other.cmp(&first)) {
            Ok(found) => branches[found].1.push(id),
            Err(place) => branches.insert(place, (first, vec![id])),
        }
    }
    let mut held: Vec<bool> = vec![false; branches.len()];
    for state in &simulation.nodes {
        if let Some(first) = root.get(state.tip().get()).copied().flatten() {
            if let Ok(found) = branches.binary_search_by(|(other, _)| other.cmp(&first)) {
                held[found] = true;
            }
        }
    }
    let span = |blocks: &[BlockId]| {
        let heights = blocks.iter().map(|&id| arena.get(id).height);
        (
            heights.clone().min().unwrap_or(0),
            heights.max().unwrap_or(0),
        )
    };
    let mut current: Vec<usize> = (0..branches.len()).filter(|&b| held[b]).collect();
    crate::sort::sort_by_key(&mut current, |&b| std::cmp::Reverse(span(&branches[b].1).1));
    current.truncate(HELD_BRANCHES_SHOWN);
    let mut abandoned: Vec<usize> = (0..branches.len()).filter(|&b| !held[b]).collect();
    crate::sort::sort_by_key(&mut abandoned, |&b| {
        (
            std::cmp::Reverse(branches[b].1.len()),
            std::cmp::Reverse(span(&branches[b].1).1),
        )
    });
    let rolled_back_branches_omitted = abandoned.len().saturating_sub(ROLLED_BACK_BRANCHES_SHOWN);
    abandoned.truncate(ROLLED_BACK_BRANCHES_SHOWN);

    let mut heights: Vec<u64> = Vec::new();
    let tip_floor = best_height
        .saturating_sub(TIP_BLOCKS_SHOWN.min(window_blocks.max(1)) - 1)
        .max(1);
    heights.extend(tip_floor..=best_height);
    let max_rollback = simulation.scenario.chain.max_rollback_blocks;
    if max_rollback > 0 {
        heights.push(best_height.saturating_sub(max_rollback).max(1));
    }
    let mut kept: Vec<BlockId> = Vec::new();
    for &branch in current.iter().chain(&abandoned) {
        let blocks = &branches[branch].1;
        let (low, high) = span(blocks);
        heights.push(low.saturating_sub(1).max(1));
        let wanted = |height: u64| {
            high - low < BRANCH_BLOCKS_WHOLE || height <= low + 1 || height + 1 >= high
        };
        heights.extend((low..=high).filter(|&height| wanted(height)));
        kept.extend(
            blocks
                .iter()
                .copied()
                .filter(|&id| wanted(arena.get(id).height)),
        );
    }
    crate::sort::sort(&mut heights);
    heights.dedup();
    // Fill short gaps.
    let mut filled: Vec<u64> = Vec::with_capacity(heights.len());
    for height in heights {
        if let Some(&last) = filled.last() {
            if height > last + 1 && height - last - 1 <= GAP_FILLED_BLOCKS {
                filled.extend(last + 1..height);
            }
        }
        filled.push(height);
    }
    let heights = filled;
    let lowest = heights.first().copied().unwrap_or(best_height);
    let mut blocks: Vec<(u64, BlockId)> = heights
        .iter()
        .filter_map(|&height| best_chain.block_at(height).map(|id| (height, id)))
        .chain(kept.iter().map(|&id| (arena.get(id).height, id)))
        .filter(|&(height, _)| heights.binary_search(&height).is_ok())
        .collect();
    crate::sort::sort(&mut blocks);
    blocks.dedup();
    let in_range = (0..count as u32)
        .map(BlockId)
        .filter(|&id| {
            let block = arena.get(id);
            block.harvester.is_some() && block.height >= lowest && block.height <= best_height
        })
        .count();
    Selection {
        omitted_blocks: in_range.saturating_sub(blocks.len()),
        blocks,
        heights,
        rolled_back_branches_omitted,
    }
}

/// A block placed on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedBlock {
    /// Position in [`ForkTree::blocks`].
    pub block: usize,
    pub column: usize,
    pub row: usize,
    pub rect: Rect,
}

/// A line from a block's left edge to its parent's right edge.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockLink {
    pub child: usize,
    pub parent: usize,
    /// Blocks left out between them (drawn dashed when some are).
    pub gap_blocks: u64,
    pub from: (f64, f64),
    pub to: (f64, f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForkLayout {
    pub width: f64,
    pub height: f64,
    pub columns: usize,
    pub rows: usize,
    /// In the order of [`ForkTree::blocks`].
    pub blocks: Vec<PlacedBlock>,
    pub links: Vec<BlockLink>,
    /// The gap columns, left to right.
    pub gaps: Vec<ForkGap>,
}

/// Sizes of the fork layout, in canvas units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForkLayoutSizes {
    pub block_width: f64,
    pub block_height: f64,
    /// Between columns.
    pub gap: f64,
    /// Between rows (room for a row's tip labels, see [`tip_labels`]).
    pub row_gap: f64,
    pub margin: f64,
}

impl Default for ForkLayoutSizes {
    fn default() -> Self {
        ForkLayoutSizes {
            block_width: 72.0,
            block_height: 40.0,
            gap: 16.0,
            row_gap: 16.0,
            margin: 12.0,
        }
    }
}

/// Height → column (lowest shown height is column 0), branch → row: the best chain is
/// row 0, then each other node's branch in scenario order, then abandoned branches
/// (newest first). A branch's row runs down its ancestry until it meets a block that
/// already has one, so every block gets exactly one row and cells never collide.
pub fn fork_layout(tree: &ForkTree, sizes: ForkLayoutSizes) -> ForkLayout {
    let count = tree.blocks.len();
    let mut by_id: Vec<(BlockId, usize)> = tree
        .blocks
        .iter()
        .enumerate()
        .map(|(index, block)| (block.id, index))
        .collect();
    crate::sort::sort(&mut by_id);
    let position = |id: BlockId| {
        by_id
            .binary_search_by(|(other, _)| other.cmp(&id))
            .ok()
            .map(|found| by_id[found].1)
    };
    let mut rows: Vec<Option<usize>> = vec![None; count];
    let mut next_row = 0;
    let mut assign = |start: usize, rows: &mut Vec<Option<usize>>| {
        let mut cursor = Some(start);
        let mut assigned = false;
        while let Some(index) = cursor {
            if rows[index].is_some() {
                break;
            }
            rows[index] = Some(next_row);
            assigned = true;
            cursor = tree.blocks[index].parent.and_then(position);
        }
        if assigned {
            next_row += 1;
        }
    };
    // Tips: the best node's, then the others in scenario order.
    let mut tip_owners: Vec<usize> = vec![tree.best_node];
    tip_owners.extend((0..tree.nodes.len()).filter(|&node| node != tree.best_node));
    for node in tip_owners {
        if let Some(index) = tree
            .blocks
            .iter()
            .position(|block| block.nodes_at_tip.contains(&node))
        {
            assign(index, &mut rows);
        }
    }
    // Remaining (abandoned or unheld-tip) branches, newest first.
    let mut remaining: Vec<usize> = (0..count).filter(|&index| rows[index].is_none()).collect();
    crate::sort::sort_by(&mut remaining, |&first, &second| {
        let (a, b) = (&tree.blocks[first], &tree.blocks[second]);
        b.height.cmp(&a.height).then(a.id.cmp(&b.id))
    });
    for index in remaining {
        assign(index, &mut rows);
    }

    // Columns: one per shown height, and a gap column where heights are left out.
    let mut column_of: Vec<(u64, usize)> = Vec::with_capacity(tree.heights.len());
    let mut gaps: Vec<(usize, u64)> = Vec::new();
    let mut column = 0;
    for (index, &height) in tree.heights.iter().enumerate() {
        if index > 0 {
            let previous = tree.heights[index - 1];
            if height > previous + 1 {
                gaps.push((column, height - previous - 1));
                column += 1;
            }
        }
        column_of.push((height, column));
        column += 1;
    }
    let column_at = |height: u64| {
        column_of
            .binary_search_by(|(other, _)| other.cmp(&height))
            .map(|found| column_of[found].1)
            .unwrap_or(0)
    };
    let columns = column;
    let row_count = next_row;
    let step_x = sizes.block_width + sizes.gap;
    let step_y = sizes.block_height + sizes.row_gap;
    let blocks: Vec<PlacedBlock> = tree
        .blocks
        .iter()
        .enumerate()
        .map(|(index, block)| {
            let column = column_at(block.height);
            let row = rows[index].unwrap_or(0);
            PlacedBlock {
                block: index,
                column,
                row,
                rect: Rect {
                    x: sizes.margin + column as f64 * step_x,
                    y: sizes.margin + row as f64 * step_y,
                    width: sizes.block_width,
                    height: sizes.block_height,
                },
            }
        })
        .collect();
    let links = tree
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(index, block)| {
            let parent = block.parent.and_then(position)?;
            let (child_rect, parent_rect) = (blocks[index].rect, blocks[parent].rect);
            Some(BlockLink {
                child: index,
                parent,
                gap_blocks: block.parent_gap_blocks,
                from: (child_rect.x, child_rect.y + child_rect.height / 2.0),
                to: (
                    parent_rect.x + parent_rect.width,
                    parent_rect.y + parent_rect.height / 2.0,
                ),
            })
        })
        .collect();
    ForkLayout {
        width: sizes.margin * 2.0 + columns as f64 * step_x
            - if columns > 0 { sizes.gap } else { 0.0 },
        height: sizes.margin * 2.0 + row_count as f64 * step_y
            - if row_count > 0 { sizes.row_gap } else { 0.0 },
        columns,
        rows: row_count,
        gaps: gaps
            .into_iter()
            .map(|(column, skipped_blocks)| ForkGap {
                x: sizes.margin + column as f64 * step_x,
                skipped_blocks,
            })
            .collect(),
        blocks,
        links,
    }
}

/// Where heights are left out: a column at `x` standing for `skipped_blocks` heights.
#[derive(Clone, Debug, PartialEq)]
pub struct ForkGap {
    pub x: f64,
    pub skipped_blocks: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{presets, validate, Scenario};
    use crate::sim::SimulationOptions;

    /// Issue 13: with half the nodes down the fork view said "Every node is on the best
    /// chain", and 200 nodes made 200 bullets. Down and behind nodes are noted, and
    /// nodes in the same state share one note.
    #[test]
    fn notes_name_down_and_behind_nodes_and_aggregate_alike_ones() {
        use crate::scenario::file::{FaultAction, FaultFile};
        let mut file = presets::load_file("multi-az").unwrap();
        file.faults = vec![FaultFile {
            at_ms: 10 * 60_000,
            until_ms: Some(30 * 60_000),
            action: FaultAction::AzOutage {
                az: "ap-northeast-1a".into(),
            },
        }];
        let scenario = validate(&file).unwrap();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(20 * 60_000).unwrap();
        let tree = fork_tree(&simulation, FORK_WINDOW_BLOCKS);
        let down: Vec<bool> = simulation.nodes.iter().map(|node| !node.is_up()).collect();
        let notes = aggregated_notes(&tree, &down);
        let down_count = down.iter().filter(|&&down| down).count();
        assert!(down_count >= 2);
        assert!(
            notes
                .iter()
                .any(|note| note.starts_with(&format!("{down_count} nodes ("))
                    && note.ends_with("are down")),
            "{notes:?}"
        );
        // Many nodes alike: one note, the first names listed.
        let mut many = tree.clone();
        let template = many.nodes[0].clone();
        many.nodes = (0..200)
            .map(|index| NodeFork {
                name: format!("node{index}"),
                last_rollback: Some(crate::sim::node::RollbackRecord {
                    at_ms: 1_007_000,
                    depth: 1,
                }),
                status: ForkStatus::OnBestChain,
                ..template.clone()
            })
            .collect();
        let notes = aggregated_notes(&many, &[]);
        assert_eq!(
            notes,
            vec![
                "200 nodes (node0, node1, node2, …) rolled back 1 block(s) at 16m 47s".to_string()
            ]
        );
    }

    fn scenario(name: &str) -> Scenario {
        validate(&presets::load_file(name).unwrap()).unwrap()
    }

    fn check_layout(tree: &ForkTree) {
        let layout = fork_layout(tree, ForkLayoutSizes::default());
        assert_eq!(layout.blocks.len(), tree.blocks.len());
        let mut cells: Vec<(usize, usize)> = layout
            .blocks
            .iter()
            .map(|placed| (placed.column, placed.row))
            .collect();
        crate::sort::sort(&mut cells);
        let before = cells.len();
        cells.dedup();
        assert_eq!(before, cells.len(), "two blocks share a cell");
        for placed in &layout.blocks {
            assert!(placed.rect.x + placed.rect.width <= layout.width + 1e-9);
            assert!(placed.rect.y + placed.rect.height <= layout.height + 1e-9);
        }
        for link in &layout.links {
            assert_eq!(
                tree.blocks[link.parent].height + 1 + link.gap_blocks,
                tree.blocks[link.child].height
            );
            assert!(link.to.0 < link.from.0, "a link runs right to left");
        }
        // The best chain is row 0.
        for (placed, block) in layout.blocks.iter().zip(&tree.blocks) {
            if block.on_best_chain {
                assert_eq!(placed.row, 0, "{block:?}");
            }
        }
    }

    #[test]
    fn long_heights_fit_their_boxes() {
        assert_eq!(block_height_label(57), "57");
        assert_eq!(block_height_label(9_999), "9999");
        assert_eq!(block_height_label(2_102_563), "…2563");
        assert_eq!(block_height_label(2_100_007), "…0007");
    }

    #[test]
    fn the_seed_fork_shows_peer2_branch_then_its_rollback() {
        let scenario = scenario("seed-fork");
        let peer2 = scenario.node_by_id("peer2").unwrap().get();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(37 * 60_000).unwrap();
        let during = fork_tree(&simulation, 10);
        let node = &during.nodes[peer2];
        assert!(node.fork_depth_blocks >= 2, "{node:?}");
        assert_eq!(node.status, ForkStatus::WithinLimit);
        assert!(during.lowest_height <= node.common_height);
        // peer2's private blocks are in the tree, off the best chain, held only by it.
        let private: Vec<&ForkBlock> = during
            .blocks
            .iter()
            .filter(|block| block.on_chain_of == vec![peer2] && !block.on_best_chain)
            .collect();
        // A long branch shows its first two and last two blocks, a short one all.
        assert_eq!(
            private.len() as u64,
            node.fork_depth_blocks
                .min(if node.fork_depth_blocks > BRANCH_BLOCKS_WHOLE {
                    4
                } else {
                    BRANCH_BLOCKS_WHOLE
                })
        );
        // The branch point (the last shared block) is in the tree, on the best chain.
        assert!(during
            .blocks
            .iter()
            .any(|block| block.height == node.common_height && block.on_best_chain));
        assert!(private
            .iter()
            .all(|block| block.harvester.as_deref() == Some("peer2")));
        assert!(during
            .blocks
            .iter()
            .any(|block| block.nodes_at_tip.contains(&peer2)));
        assert!(node.describe(40).contains("within maxRollbackBlocks 40"));
        check_layout(&during);

        simulation.run_until(45 * 60_000).unwrap();
        let after = fork_tree(&simulation, 80);
        let node = &after.nodes[peer2];
        assert_eq!(node.status, ForkStatus::OnBestChain, "{node:?}");
        let rollback = node.last_rollback.expect("peer2 rolled back");
        assert!(node
            .describe(40)
            .starts_with(&format!("peer2 rolled back {} block(s)", rollback.depth)));
        // Its old private blocks are still in the arena, now rolled back.
        let abandoned = after
            .blocks
            .iter()
            .filter(|block| block.rolled_back)
            .count() as u64;
        let shown_depth = if rollback.depth > BRANCH_BLOCKS_WHOLE {
            4
        } else {
            rollback.depth
        };
        assert!(
            abandoned >= shown_depth,
            "{abandoned} < {shown_depth} (depth {})",
            rollback.depth
        );
        assert!(after
            .blocks
            .iter()
            .filter(|block| block.rolled_back)
            .all(|block| block.on_chain_of.is_empty() && !block.on_best_chain));
        check_layout(&after);
        assert!(fork_layout(&after, ForkLayoutSizes::default()).rows >= 2);
    }

    /// Issue 13: the branch vanished a minute after its rollback and its branch point
    /// scrolled off. At the end of the seed-fork run (over an hour after the rollback)
    /// peer2's rolled-back branch is still drawn, greyed, from its branch point, and the
    /// whole story fits in a few columns.
    #[test]
    fn a_rolled_back_branch_stays_in_view_with_its_branch_point() {
        let scenario = scenario("seed-fork");
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(scenario.duration_ms).unwrap();
        let tree = fork_tree(&simulation, FORK_WINDOW_BLOCKS);
        let abandoned: Vec<&ForkBlock> = tree
            .blocks
            .iter()
            .filter(|block| block.rolled_back && block.harvester.as_deref() == Some("peer2"))
            .collect();
        assert!(!abandoned.is_empty(), "peer2's old branch is kept");
        let first = abandoned.iter().map(|block| block.height).min().unwrap();
        assert!(
            tree.blocks
                .iter()
                .any(|block| block.on_best_chain && block.height + 1 == first),
            "its branch point is shown"
        );
        let layout = fork_layout(&tree, ForkLayoutSizes::default());
        assert!(layout.columns <= 30, "{} columns", layout.columns);
        assert!(!layout.gaps.is_empty(), "the dull stretch is a gap");
        assert!(tree
            .blocks
            .iter()
            .any(|block| block.height == tree.best_height));
        check_layout(&tree);
        let svg = fork_svg(&tree);
        assert!(svg.contains("↩ "), "greyed and marked rolled back");
        assert!(svg.contains("class=\"fork-gap\""));
    }

    #[test]
    fn a_fork_past_the_rollback_limit_says_so() {
        let mut file = presets::load_file("seed-fork").unwrap();
        // Isolate peer2 for long enough to outgrow the limit (40 blocks at 15 s = 10 min).
        file.faults[0].until_ms = Some(90 * 60_000);
        file.duration_ms = 100 * 60_000;
        let scenario = validate(&file).unwrap();
        let peer2 = scenario.node_by_id("peer2").unwrap().get();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(100 * 60_000).unwrap();
        let tree = fork_tree(&simulation, 20);
        let node = &tree.nodes[peer2];
        assert_eq!(node.status, ForkStatus::BeyondLimit, "{node:?}");
        assert!(node.fork_depth_blocks > 40);
        assert_eq!(
            node.describe(tree.max_rollback_blocks),
            format!(
                "peer2 cannot roll back: fork depth {} > maxRollbackBlocks 40",
                node.fork_depth_blocks
            )
        );
        assert!(tree.blocks.len() <= FORK_BLOCKS_MAX);
        assert!(
            tree.omitted_blocks > 0,
            "two 40+ block branches exceed the cap"
        );
        assert_eq!(tree.forked_nodes().count(), 1);
        check_layout(&tree);
    }

    #[test]
    fn blocks_are_ordered_and_finality_and_parents_are_consistent() {
        let scenario = scenario("active-active");
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(4 * 3_600_000).unwrap();
        let tree = fork_tree(&simulation, 30);
        assert!(!tree.blocks.is_empty() && tree.blocks.len() <= FORK_BLOCKS_MAX);
        assert!(tree
            .blocks
            .windows(2)
            .all(|pair| (pair[0].height, pair[0].id) < (pair[1].height, pair[1].id)));
        assert!(tree
            .blocks
            .iter()
            .all(|block| block.height >= tree.lowest_height));
        assert!(tree.blocks.iter().any(|block| block.finalized));
        for block in &tree.blocks {
            if block.finalized {
                assert!(!block.rolled_back);
            }
            if let Some(parent) = block.parent {
                let parent = &tree.blocks[tree.position(parent).unwrap()];
                assert_eq!(parent.height + 1 + block.parent_gap_blocks, block.height);
            }
            assert!(block
                .nodes_at_tip
                .iter()
                .all(|node| block.on_chain_of.contains(node)));
            assert_eq!(block.hash_text.len(), 8);
        }
        let best_tip = tree
            .blocks
            .iter()
            .find(|block| block.nodes_at_tip.contains(&tree.best_node))
            .unwrap();
        assert_eq!(best_tip.height, tree.best_height);
        check_layout(&tree);
    }
}

/// How many blocks back the fork view shows by default.
/// (Enough to show the default `maxRollbackBlocks` cliff of 40 behind the tip.)
pub const FORK_WINDOW_BLOCKS: u64 = 48;

/// The fork view as a standalone SVG (presentation attributes only, every name
/// escaped): blocks by height left to right, the best chain on the top row, each tip
/// labelled with the nodes on it, rolled-back blocks dashed and marked "↩", finalized
/// blocks marked "✓", and the `maxRollbackBlocks` cliff of the best chain as a
/// vertical line: a node whose fork starts left of it can never roll back.
/// A block's height as its box shows it: whole up to four digits; longer heights (a
/// chain with years of history has seven) by their last four digits after "…", so the
/// label fits the box. The full height is in the box's tooltip.
pub fn block_height_label(height: u64) -> String {
    if height < 10_000 {
        height.to_string()
    } else {
        format!("…{:04}", height % 10_000)
    }
}

/// The font size of a tip label, in pixels.
pub const TIP_LABEL_FONT_PX: f64 = 11.0;
/// How far below its block's box a tip label's first line sits (baseline), and how far
/// the second line sits below the first.
pub const TIP_LABEL_FIRST_LINE_PX: f64 = 13.0;
pub const TIP_LABEL_LINE_STEP_PX: f64 = 12.0;
/// The room between rows of the fork picture: two lines of tip labels.
pub const TIP_LABEL_BAND_PX: f64 = 30.0;
/// The least room kept between two labels on the same line.
const TIP_LABEL_SPACING_PX: f64 = 6.0;

/// About how wide a tip label is (a generous 0.6 em per glyph).
pub fn tip_label_width(text: &str) -> f64 {
    text.chars().count() as f64 * TIP_LABEL_FONT_PX * 0.6
}

/// A tip's label ("▲" and the nodes on that tip), placed under its block.
#[derive(Clone, Debug, PartialEq)]
pub struct TipLabel {
    /// Position in [`ForkTree::blocks`].
    pub block: usize,
    /// The left end and the baseline, in layout units.
    pub x: f64,
    pub y: f64,
    /// What is drawn: cut to the room there is, with "…".
    pub text: String,
    /// Every node on that tip (the label's tooltip).
    pub names: String,
}

/// Places the tip labels so that none runs into another or into a block (issue 13:
/// at 1920×1080 a node one block behind had its label printed over its neighbour's).
/// Labels go under their block, on one of two lines in the band below the row (see
/// [`TIP_LABEL_BAND_PX`]): the first line when the label before it on that line has
/// ended, else the second. Each label is cut to end before the label two tips further
/// along its row (which may share its line) and before `right_edge`; the full list of
/// names stays in the tooltip.
pub fn tip_labels(tree: &ForkTree, layout: &ForkLayout, right_edge: f64) -> Vec<TipLabel> {
    use super::svg::{plain_text, short_label};
    let mut tips: Vec<(usize, f64, usize)> = layout
        .blocks
        .iter()
        .filter(|placed| !tree.blocks[placed.block].nodes_at_tip.is_empty())
        .map(|placed| (placed.row, placed.rect.x, placed.block))
        .collect();
    crate::sort::sort_by(&mut tips, |first, second| {
        first.0.cmp(&second.0).then(first.1.total_cmp(&second.1))
    });
    let mut labels = Vec::with_capacity(tips.len());
    let mut line_ends = [f64::NEG_INFINITY; 2];
    for (position, &(row, x, block)) in tips.iter().enumerate() {
        if position == 0 || tips[position - 1].0 != row {
            line_ends = [f64::NEG_INFINITY; 2];
        }
        let names = tree.blocks[block]
            .nodes_at_tip
            .iter()
            .filter_map(|&node| tree.nodes.get(node).map(|fork| plain_text(&fork.name)))
            .collect::<Vec<_>>()
            .join(", ");
        let line = usize::from(x < line_ends[0] + TIP_LABEL_SPACING_PX);
        let limit = tips
            .get(position + 2)
            .filter(|next| next.0 == row)
            .map_or(right_edge, |next| next.1 - TIP_LABEL_SPACING_PX)
            .min(right_edge);
        let room_chars = ((limit - x) / (TIP_LABEL_FONT_PX * 0.6)).floor().max(1.0) as usize;
        let text = if room_chars >= 4 {
            format!("▲ {}", short_label(&names, room_chars.min(22) - 2))
        } else {
            "▲".to_string()
        };
        line_ends[line] = x + tip_label_width(&text);
        let rect = layout.blocks[block].rect;
        labels.push(TipLabel {
            block,
            x,
            y: rect.y
                + rect.height
                + TIP_LABEL_FIRST_LINE_PX
                + line as f64 * TIP_LABEL_LINE_STEP_PX,
            text,
            names,
        });
    }
    labels
}

/// About how wide one line of the cliff's words is at 12 px (a generous 0.58 em per
/// glyph, plus the arrow).
fn cliff_words_width(words: &str) -> f64 {
    words.chars().count() as f64 * 12.0 * 0.58 + 20.0
}

/// The widest of the cliff's two lines.
fn cliff_lines_width(lines: &[String; 2]) -> f64 {
    cliff_words_width(&lines[0]).max(cliff_words_width(&lines[1]))
}

/// The sizes of the fork picture ([`fork_svg`]): the row gap holds two lines of tip
/// labels.
pub const FORK_PICTURE_SIZES: ForkLayoutSizes = ForkLayoutSizes {
    block_width: 50.0,
    block_height: 36.0,
    gap: 12.0,
    row_gap: TIP_LABEL_BAND_PX,
    margin: 10.0,
};

/// The best chain cannot be rolled back at or below this height.
fn cliff_height(tree: &ForkTree) -> u64 {
    tree.best_height
        .saturating_sub(tree.max_rollback_blocks)
        .max(1)
}

/// The cliff's words, as the picture writes them: two short lines, so that they fit
/// right of the cliff's line in a narrow view (the 900×520 embed shows the picture's
/// right end, about 300 px of it).
fn cliff_words(tree: &ForkTree) -> [String; 2] {
    [
        format!(
            "maxRollbackBlocks {}: nothing at or below",
            tree.max_rollback_blocks
        ),
        format!("height {} can be rolled back", cliff_height(tree)),
    ]
}

/// How wide the fork picture is for `layout`: room on the right for the labels of the
/// newest tips, and for the cliff's words.
pub fn fork_picture_width(tree: &ForkTree, layout: &ForkLayout) -> f64 {
    (layout.width + 110.0)
        .max(360.0)
        .max(cliff_lines_width(&cliff_words(tree)) + 16.0)
}

pub fn fork_svg(tree: &ForkTree) -> String {
    use super::svg::{escape_xml_attribute, plain_text, short_label};
    use std::fmt::Write;
    let sizes = FORK_PICTURE_SIZES;
    let layout = fork_layout(tree, sizes);
    let label_band = TIP_LABEL_BAND_PX;
    // Two lines of the cliff's words.
    let legend_band = 38.0;
    let width = fork_picture_width(tree, &layout);
    let height = layout.height + label_band + legend_band;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Fork view: recent block tree" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="system-ui, sans-serif">"##
    );
    let _ = write!(
        svg,
        r##"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="#ffffff"/>"##
    );
    let shift = legend_band;
    let cliff = cliff_height(tree);
    if tree.max_rollback_blocks > 0 {
        let column_x = |height: u64| {
            layout
                .blocks
                .iter()
                .find(|placed| tree.blocks[placed.block].height == height)
                .map(|placed| placed.rect.x)
        };
        let lines = cliff_words(tree);
        let words_width = cliff_lines_width(&lines);
        let [first_line, second_line] = &lines;
        let words = |text_x: f64, anchor: &str, first: &str, second: &str| {
            format!(
                r##"<text x="{text_x:.1}" y="15" font-size="12" fill="#8f3f73" text-anchor="{anchor}">{}</text><text x="{text_x:.1}" y="30" font-size="12" fill="#8f3f73" text-anchor="{anchor}">{}</text>"##,
                escape_xml_attribute(first),
                escape_xml_attribute(second)
            )
        };
        match column_x(cliff) {
            Some(x) => {
                let x = x + sizes.block_width + sizes.gap / 2.0;
                // The words go right of the line when they fit (the end of the picture a
                // narrow view scrolls to), else left of it, and never past the picture's
                // edges (the picture is wide enough for them).
                let text = if x + 4.0 + words_width <= width {
                    words(x + 4.0, "start", &format!("◀ {first_line}"), second_line)
                } else if x - 4.0 - words_width >= 0.0 {
                    words(x - 4.0, "end", &format!("{first_line} ▶"), second_line)
                } else {
                    words(8.0, "start", &format!("▼ {first_line}"), second_line)
                };
                let _ = write!(
                    svg,
                    r##"<line x1="{x:.1}" y1="{shift:.1}" x2="{x:.1}" y2="{:.1}" stroke="#cc79a7" stroke-width="3" stroke-dasharray="6 4"/>{text}"##,
                    height - 4.0,
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "{}",
                    words(
                        8.0,
                        "start",
                        &format!("◀ cliff off to the left · {first_line}"),
                        second_line
                    )
                );
            }
        }
    }
    // Gaps: heights left out, with their count.
    for gap in &layout.gaps {
        let middle = gap.x + sizes.block_width / 2.0;
        let _ = write!(
            svg,
            r##"<g class="fork-gap"><title>{} block(s) left out</title><text x="{middle:.1}" y="{:.1}" font-size="16" fill="#57606a" text-anchor="middle">⋯</text><text x="{middle:.1}" y="{:.1}" font-size="10" fill="#57606a" text-anchor="middle">{}</text></g>"##,
            gap.skipped_blocks,
            shift + sizes.margin + 16.0,
            shift + sizes.margin + 30.0,
            gap.skipped_blocks
        );
    }
    for link in &layout.links {
        let dash = if link.gap_blocks > 0 {
            r##" stroke-dasharray="3 3""##
        } else {
            ""
        };
        let _ = write!(
            svg,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#57606a" stroke-width="1.5"{dash}/>"##,
            link.from.0,
            link.from.1 + shift,
            link.to.0,
            link.to.1 + shift
        );
    }
    for placed in &layout.blocks {
        let block = &tree.blocks[placed.block];
        let rect = placed.rect;
        let (fill, stroke, dash) = if block.rolled_back {
            ("#eeeeee", "#777777", r##" stroke-dasharray="4 3""##)
        } else if block.on_best_chain {
            ("#e2f1fb", "#0072b2", "")
        } else {
            ("#fdf0d5", "#e69f00", "")
        };
        let stroke_width = if block.finalized { 3.5 } else { 1.5 };
        let mark = if block.rolled_back {
            "↩ "
        } else if block.finalized {
            "✓ "
        } else {
            ""
        };
        let state = if block.rolled_back {
            "rolled back"
        } else if block.finalized {
            "finalized"
        } else if block.on_best_chain {
            "best chain"
        } else {
            "fork"
        };
        let harvester = block.harvester.as_deref().unwrap_or("nemesis");
        let _ = write!(
            svg,
            r##"<g class="fork-block"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"{dash}/><text x="{:.1}" y="{:.1}" font-size="12" font-weight="600" fill="#1b1f24">{mark}{}</text><text x="{:.1}" y="{:.1}" font-size="10" fill="#57606a">{}</text></g>"##,
            escape_xml_attribute(&format!(
                "height {} · {} · by {} · {state}",
                block.height, block.hash_text, harvester
            )),
            rect.x,
            rect.y + shift,
            rect.width,
            rect.height,
            rect.x + 6.0,
            rect.y + shift + 16.0,
            block_height_label(block.height),
            rect.x + 6.0,
            rect.y + shift + 31.0,
            escape_xml_attribute(&plain_text(&short_label(harvester, 7)))
        );
    }
    // 4 px short of the picture's right edge, as the test checks.
    for label in tip_labels(tree, &layout, width - 4.0) {
        let _ = write!(
            svg,
            r##"<g class="fork-tip"><title>{}</title><text x="{:.1}" y="{:.1}" font-size="{TIP_LABEL_FONT_PX}" fill="#1b1f24" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text></g>"##,
            escape_xml_attribute(&format!("at the tip: {}", label.names)),
            label.x,
            label.y + shift,
            escape_xml_attribute(&label.text)
        );
    }
    if tree.rolled_back_branches_omitted > 0 {
        let _ = write!(
            svg,
            r##"<text x="8" y="{:.1}" font-size="11" fill="#57606a">{} shallower rolled-back branch(es) not shown</text>"##,
            height - 6.0,
            tree.rolled_back_branches_omitted
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod svg_tests {
    use super::*;
    use crate::scenario::{presets, validate};
    use crate::sim::SimulationOptions;

    /// A label's box: its left end to its estimated right end, ascent to descent.
    fn label_box(label: &TipLabel) -> Rect {
        Rect {
            x: label.x,
            y: label.y - TIP_LABEL_FONT_PX * 0.8,
            width: tip_label_width(&label.text),
            height: TIP_LABEL_FONT_PX,
        }
    }

    fn overlap(first: &Rect, second: &Rect) -> bool {
        first.x < second.x + second.width
            && second.x < first.x + first.width
            && first.y < second.y + second.height
            && second.y < first.y + first.height
    }

    /// Issue 13: in active-active two minutes into the region cut, tokyo-api1 is one
    /// block behind tokyo-peer1 and its label ran over its neighbour's. Every moment of
    /// the cut and of the seed fork is checked: no label over another or over a block.
    #[test]
    fn tip_labels_never_run_into_each_other_or_a_block_issue_13() {
        let mut crowded_moments = 0;
        for (name, moments_s) in [
            (
                "active-active",
                (7_215..10_800).step_by(15).collect::<Vec<u64>>(),
            ),
            ("seed-fork", (30 * 60..50 * 60).step_by(15).collect()),
        ] {
            let scenario = validate(&presets::load_file(name).unwrap()).unwrap();
            let mut simulation =
                Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
            for at_s in moments_s {
                simulation.run_until(at_s * 1_000).unwrap();
                let tree = fork_tree(&simulation, FORK_WINDOW_BLOCKS);
                let layout = fork_layout(&tree, FORK_PICTURE_SIZES);
                let right_edge = fork_picture_width(&tree, &layout) - 4.0;
                let labels = tip_labels(&tree, &layout, right_edge);
                let tips = tree
                    .blocks
                    .iter()
                    .filter(|block| !block.nodes_at_tip.is_empty())
                    .count();
                assert_eq!(
                    labels.len(),
                    tips,
                    "{name} at {at_s} s: every tip is labelled"
                );
                let adjacent = layout.blocks.iter().any(|first| {
                    layout.blocks.iter().any(|second| {
                        first.row == second.row
                            && second.column == first.column + 1
                            && !tree.blocks[first.block].nodes_at_tip.is_empty()
                            && !tree.blocks[second.block].nodes_at_tip.is_empty()
                    })
                });
                crowded_moments += usize::from(adjacent);
                for (index, label) in labels.iter().enumerate() {
                    assert!(label.text.starts_with('▲'));
                    for other in &labels[index + 1..] {
                        assert!(
                            !overlap(&label_box(label), &label_box(other)),
                            "{name} at {at_s} s: {label:?} runs into {other:?}"
                        );
                    }
                    for placed in &layout.blocks {
                        assert!(
                            !overlap(&label_box(label), &placed.rect),
                            "{name} at {at_s} s: {label:?} runs into block {placed:?}"
                        );
                    }
                    assert!(label.x + tip_label_width(&label.text) <= right_edge);
                }
            }
        }
        assert!(
            crowded_moments > 0,
            "some moment has two tips side by side on one row (else the test proves nothing)"
        );
    }

    /// The embed at 900×520 shows the picture's right end (about 300 px of it, the
    /// box scrolls from the right): the cliff's words must sit right of the cliff's
    /// line and inside the picture, not left of it where that view cuts them.
    #[test]
    fn the_cliff_words_sit_right_of_the_cliff_line_issue_13() {
        let scenario = validate(&presets::load_file("seed-fork").unwrap()).unwrap();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        let number_after = |svg: &str, key: &str| -> f64 {
            let start = svg.find(key).expect("attribute") + key.len();
            let end = start + svg[start..].find('"').expect("closing quote");
            svg[start..end].parse().expect("a number")
        };
        for minute in [20, 37, 55, 90] {
            simulation.run_until(minute * 60_000).unwrap();
            let tree = fork_tree(&simulation, FORK_WINDOW_BLOCKS);
            let svg = fork_svg(&tree);
            let width = number_after(&svg, r#"width=""#);
            // The element that holds a mark starts at the last `<` before it.
            let element_of = |mark: &str| {
                let at = svg.find(mark).expect(mark);
                &svg[svg[..at].rfind('<').expect("an element")..]
            };
            let line_x = number_after(element_of(r##"stroke="#cc79a7""##), r#"x1=""#);
            let words_x = number_after(element_of("◀ maxRollbackBlocks"), r#"x=""#);
            assert!(
                svg.contains(r#"text-anchor="start">◀ maxRollbackBlocks 40"#),
                "minute {minute}: the words start right of the line"
            );
            assert!(words_x > line_x, "minute {minute}: {words_x} > {line_x}");
            assert!(
                words_x + cliff_lines_width(&cliff_words(&tree)) <= width,
                "minute {minute}: the words end inside the picture"
            );
        }
    }

    #[test]
    fn the_fork_picture_marks_the_fork_the_rollback_and_the_cliff() {
        let scenario = validate(&presets::load_file("seed-fork").unwrap()).unwrap();
        let mut simulation =
            Simulation::new(&scenario, SimulationOptions::from_scenario(&scenario));
        simulation.run_until(37 * 60_000).unwrap();
        let during = fork_svg(&fork_tree(&simulation, FORK_WINDOW_BLOCKS));
        assert!(during.contains("▲ peer2"), "peer2's own tip is labelled");
        assert!(during.contains("#e69f00"), "a fork branch is drawn");
        assert!(during.contains("maxRollbackBlocks 40"));
        simulation.run_until(45 * 60_000).unwrap();
        let after = fork_svg(&fork_tree(&simulation, FORK_WINDOW_BLOCKS));
        assert!(
            after.contains("↩ "),
            "peer2's undone blocks are marked rolled back"
        );
        for svg in [&during, &after] {
            assert!(!svg.contains("style="));
            assert!(!svg.contains("<script"));
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
    }
}
