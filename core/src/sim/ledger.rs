//! Ledgers: a split reported as a split. When nodes end on branches that will not
//! merge by themselves, each branch is a ledger of its own, with the nodes on it, its
//! tip, when it diverged, and the client writes confirmed only on it (those are lost
//! when an operator keeps the other branch).
//!
//! Rules: nodes are taken in order of chain score, highest first; a node joins the
//! first ledger whose leading chain holds its tip (it is only behind) or differs from it
//! by a tip race in flight (at most [`TIP_RACE_BLOCKS`] blocks on each side); otherwise
//! it leads a new ledger. Running and down nodes count alike (a down node's disk is on
//! a branch); standby nodes that were never provisioned, and nodes still catching up on
//! history, hold only a prefix of every branch and join the best one. One ledger means
//! the network agrees.
//!
//! Invariants: every provisioned node is in exactly one ledger; the first ledger leads
//! with the best chain; a write counts as confirmed only on a ledger when a block of
//! that ledger's leading chain carries it and no other ledger's leading chain does.

use crate::scenario::duration::describe_duration;

use super::engine::Simulation;
use super::node::DOWN_NOT_PROVISIONED;

/// Branches that differ by at most this many blocks on each side are one ledger: a
/// tip race still in flight, not a split.
pub const TIP_RACE_BLOCKS: u64 = 2;
/// Write ids listed per ledger.
pub const WRITE_IDS_LISTED: usize = 10;

/// One branch the network's nodes stand on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    /// Node indices on this branch, the leading node first.
    pub nodes: Vec<usize>,
    pub tip_height: u64,
    /// When this branch's first block after its divergence from the closest other
    /// ledger was made; `None` when it is the only ledger.
    pub since_ms: Option<u64>,
    /// The height of the last block it shares with the best ledger (its own tip height
    /// for the best ledger).
    pub common_height_with_best: u64,
    /// Client writes confirmed on this branch and on no other.
    pub confirmed_only_here: u64,
    /// The first of them, by id (at most [`WRITE_IDS_LISTED`]).
    pub confirmed_only_here_ids: Vec<u32>,
}

/// The ledgers at the simulation's current moment (see the module rules).
pub fn ledgers(simulation: &Simulation<'_>) -> Vec<Ledger> {
    let arena = &simulation.blocks;
    let score = |index: usize| arena.get(simulation.nodes[index].tip()).cumulative_score;
    let mut order: Vec<usize> = (0..simulation.nodes.len())
        .filter(|&index| simulation.nodes[index].down_reasons & DOWN_NOT_PROVISIONED == 0)
        .collect();
    crate::sort::sort_by(&mut order, |&first, &second| {
        score(second).cmp(&score(first)).then(first.cmp(&second))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for index in order {
        let chain = &simulation.nodes[index].disk.chain;
        let joined = groups.iter_mut().find(|group| {
            let leader = &simulation.nodes[group[0]].disk.chain;
            let common = chain.common_height(leader);
            common == chain.height()
                || (chain.height() - common <= TIP_RACE_BLOCKS
                    && leader.height() - common <= TIP_RACE_BLOCKS)
        });
        match joined {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    let leader_chain = |group: &Vec<usize>| &simulation.nodes[group[0]].disk.chain;
    // Which ledgers' leading chains carry each client write.
    let mut carried_by: Vec<Vec<usize>> = vec![Vec::new(); simulation.transactions.len()];
    if groups.len() > 1 {
        for (transaction, record) in simulation.transactions.iter().enumerate() {
            for (position, group) in groups.iter().enumerate() {
                if record
                    .blocks
                    .iter()
                    .any(|block| leader_chain(group).contains(arena, block))
                {
                    carried_by[transaction].push(position);
                }
            }
        }
    }
    groups
        .iter()
        .enumerate()
        .map(|(position, group)| {
            let chain = leader_chain(group);
            let closest_common = groups
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != position)
                .map(|(_, other)| chain.common_height(leader_chain(other)))
                .max();
            let since_ms = closest_common.and_then(|common| {
                chain
                    .block_at(common + 1)
                    .map(|block| arena.get(block).timestamp_ms)
            });
            let only_here: Vec<u32> = carried_by
                .iter()
                .enumerate()
                .filter(|(_, ledgers)| ledgers.as_slice() == [position])
                .map(|(transaction, _)| transaction as u32)
                .collect();
            Ledger {
                nodes: group.clone(),
                tip_height: chain.height(),
                since_ms,
                common_height_with_best: chain.common_height(leader_chain(&groups[0])),
                confirmed_only_here: only_here.len() as u64,
                confirmed_only_here_ids: only_here.into_iter().take(WRITE_IDS_LISTED).collect(),
            }
        })
        .collect()
}

/// A ledger's nodes in few words: their shared id prefix with `*` ("sg-*") when
/// there is one, else up to three ids and a count.
pub fn ledger_name(simulation: &Simulation<'_>, ledger: &Ledger) -> String {
    let ids: Vec<&str> = ledger
        .nodes
        .iter()
        .map(|&index| simulation.scenario.nodes[index].id.as_str())
        .collect();
    if ids.len() == 1 {
        return ids[0].to_string();
    }
    let prefix_chars = ids
        .iter()
        .skip(1)
        .fold(ids[0].chars().count(), |length, id| {
            ids[0]
                .chars()
                .zip(id.chars())
                .take(length)
                .take_while(|(first, second)| first == second)
                .count()
        });
    let prefix: String = ids[0].chars().take(prefix_chars).collect();
    // A prefix that ends a word ("sg-", "tokyo_") names the group.
    if let Some(cut) = prefix.rfind(['-', '_', '.']) {
        if cut >= 1 {
            return format!("{}*", &prefix[..=cut]);
        }
    }
    let shown = ids.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > 3 {
        format!("{shown} +{}", ids.len() - 3)
    } else {
        shown
    }
}

/// The split in a sentence a workshop can read aloud, or `None` when the network
/// agrees: "peer1, api1, api2 and peer2, peer3 disagree since 1h 00m: peer1 cannot roll
/// back 57 blocks below its finalized height 2102560; 312 writes confirmed only on the
/// peer1, api1, api2 branch".
pub fn describe_split(simulation: &Simulation<'_>, ledgers: &[Ledger]) -> Option<String> {
    if ledgers.len() < 2 {
        return None;
    }
    let names: Vec<String> = ledgers
        .iter()
        .map(|ledger| ledger_name(simulation, ledger))
        .collect();
    let since = ledgers
        .iter()
        .filter_map(|ledger| ledger.since_ms)
        .min()
        .map(|at_ms| format!(" since {}", describe_duration(at_ms)))
        .unwrap_or_default();
    let mut text = format!("{} disagree{since}", names.join(" and "));
    let max_rollback = simulation.scenario.chain.max_rollback_blocks;
    let reasons: Vec<String> = ledgers
        .iter()
        .skip(1)
        .flat_map(|ledger| ledger.nodes.iter())
        .filter(|&&index| simulation.nodes[index].irreconcilable)
        .map(|&index| {
            let state = &simulation.nodes[index];
            let best = &simulation.nodes[ledgers[0].nodes[0]].disk.chain;
            let depth = state.height() - state.disk.chain.common_height(best);
            let id = &simulation.scenario.nodes[index].id;
            if max_rollback > 0 {
                format!(
                    "{id} cannot roll back {depth} blocks past maxRollbackBlocks {max_rollback}"
                )
            } else {
                format!(
                    "{id} cannot roll back {depth} blocks below its finalized height {}",
                    state.disk.finalized_height
                )
            }
        })
        .take(3)
        .collect();
    if !reasons.is_empty() {
        text.push_str(&format!(": {}", reasons.join("; ")));
    }
    let lost: Vec<String> = ledgers
        .iter()
        .zip(&names)
        .filter(|(ledger, _)| ledger.confirmed_only_here > 0)
        .map(|(ledger, name)| {
            format!(
                "{} write{} confirmed only on the {name} branch",
                ledger.confirmed_only_here,
                if ledger.confirmed_only_here == 1 {
                    ""
                } else {
                    "s"
                }
            )
        })
        .collect();
    if !lost.is_empty() {
        text.push_str(&format!("; {}", lost.join(", ")));
    }
    Some(text)
}
