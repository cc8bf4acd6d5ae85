//! Editing a scenario from the app, kept pure: topology edits (add, move, rename,
//! duplicate and delete nodes, AZs and regions; node properties), scenario-wide
//! parameters and the planner's assumptions edited as text, faults added from a
//! context menu or a partition tool, moved and resized on the timeline, ended early
//! ("Restart"), removed, and an undo/redo history.
//!
//! Invariants:
//! - [`apply`] never changes its input: it returns a new file or the reasons it cannot.
//! - Every edit's result is checked as a saved file would be: written with
//!   [`encode`] and read back with [`decode::decode`] (ranges, id rules and size caps
//!   of the format), then [`validate`]d (references, overlaps). An edit whose result
//!   fails either is refused with those errors; the app keeps the scenario it had.
//! - Renames rewrite every reference to the id (fault targets, partition and
//!   degradation groups, restore lists, backup source and copy region, entry-point
//!   targets, region latency overrides, the planner's recovery region), so no reference
//!   is left dangling.
//! - Deletions prune references to what they remove: a fault whose only target goes is
//!   removed, a group or restore list loses the member and a fault whose group or list
//!   becomes empty is removed, latency overrides of a deleted region are dropped, and
//!   entry-point targets are pruned while at least one remains. Deleting the backup
//!   source, the backup copy region, every entry-point target,
//!   every AZ of a region, or the last node, AZ or region is refused with what to change
//!   first. The planner's `recovery_region` is kept: it may name a region that is not
//!   drawn (the planner adds it).
//! - Generated ids (`peer4`, `api3`, `dual2`, `ap-northeast-1c`, `us-east-1`) never
//!   collide with any region, AZ or node id, nor with the planner's recovery region.
//! - Deterministic: ordered collections only, no clock, no randomness.
//!
//! The modules, by concern: [`targets`] (what a menu or selection targets and the
//! faults on it), [`menu`] (context-menu actions and the faults they make),
//! [`placement`] (the menu beside its target, zoom at the pointer, Fit, the marquee,
//! the menu's times),
//! [`parameters`] and [`assumptions`] (scenario parameters and planner assumptions as
//! text), `lookups` (finding ids, fresh ids), `topology` (adding, moving and deleting
//! nodes, AZs and regions), `references` (renames and pruning), `timeline` (moving
//! and resizing faults) and [`history`] (undo and redo). This module holds [`Edit`]
//! and [`apply`], which every edit goes through.

pub mod assumptions;
pub mod history;
mod lookups;
pub mod menu;
pub mod parameters;
pub mod placement;
mod references;
pub mod targets;
mod timeline;
mod topology;

use crate::scenario::decode;
use crate::scenario::duration::parse_duration;
use crate::scenario::file::{
    encode, BackupFile, EntryKind, FaultFile, NodeFile, Role, ScenarioFile,
};
use crate::scenario::{validate, ScenarioError};

pub use assumptions::{plan_assumptions, AssumptionView};
pub use history::{History, HISTORY_MAX};
pub use menu::{
    fault_for, menu_edit, menu_for, partition_fault, MenuAction, LINK_DEGRADE_EXTRA_LATENCY_MS,
    LINK_DEGRADE_LOSS_PERCENT,
};
pub use parameters::{chain_parameters, ParameterView};
pub use targets::{
    active_faults_on, added_ids, az_of, fault_is_on, faults_on, region_of, target_exists,
    target_for_id, target_label, Target,
};

use assumptions::set_assumption;
use lookups::{node_mut, IdKind};
use parameters::set_parameter;
use references::rename;
use timeline::{end_faults_at, fault_position, move_fault, resize_fault};
use topology::{
    add_az, add_node, add_region, delete_az, delete_nodes, delete_region, duplicate_nodes,
    move_nodes,
};

/// One edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddFault(FaultFile),
    RemoveFault(usize),
    /// A new node at the end of the AZ, with the next free id of its role (`peer4`,
    /// `api3`, `dual2`) and the role's defaults: not voting, stake 1 for PEER and DUAL,
    /// 0 for API.
    AddNode {
        az: String,
        role: Role,
    },
    /// The nodes (in topology order) appended to `to_az`; nodes already there move to
    /// its end. An AZ left without nodes stays, empty (valid; ready to fill).
    MoveNodes {
        nodes: Vec<String>,
        to_az: String,
    },
    RenameNode {
        from: String,
        to: String,
    },
    RenameAz {
        from: String,
        to: String,
    },
    RenameRegion {
        from: String,
        to: String,
    },
    /// A copy of each node (role, voting, stake, voting balance, standby; not its faults
    /// nor its entry-point membership) right after it, with a fresh id by role.
    DuplicateNodes {
        nodes: Vec<String>,
    },
    DeleteNodes {
        nodes: Vec<String>,
    },
    /// A new, empty AZ at the end of the region (`<region>a`, `<region>b`, ...), ready
    /// to fill (an AZ without nodes is valid; the simulator has nothing in it to run).
    AddAz {
        region: String,
    },
    /// A new region (the next unused AWS region id) with one empty AZ, ready to fill.
    AddRegion,
    DeleteAz {
        az: String,
    },
    DeleteRegion {
        region: String,
    },
    /// Delete or Backspace on the canvas: every selected region, then every selected AZ
    /// still there, then every selected node still there, as one step (links are not
    /// deleted: they exist while both regions do). The same refusals as each deletion.
    DeleteTargets {
        targets: Vec<Target>,
    },
    /// Switching to API sets stake to 0 (API nodes cannot harvest); switching from API
    /// to PEER or DUAL with stake 0 sets the role's default stake 1.
    SetNodeRole {
        node: String,
        role: Role,
    },
    /// Turning voting on with a voting balance of 0 sets the balance to 1.
    SetNodeVoting {
        node: String,
        voting: bool,
    },
    SetNodeStake {
        node: String,
        stake: u64,
    },
    SetNodeVotingBalance {
        node: String,
        voting_balance: u64,
    },
    SetNodeStandby {
        node: String,
        standby: bool,
    },
    /// How clients reach the API nodes: a load balancer, DNS failover or directly (which
    /// keeps only the first target).
    SetEntryKind {
        kind: EntryKind,
    },
    /// The backup vault: its source node, interval, copy region, or none at all.
    SetBackup {
        backup: Option<BackupFile>,
    },
    /// The backup interval from its text (`2h`, `30m`).
    SetBackupInterval {
        value: String,
    },
    /// A scenario-wide parameter from its text (see [`chain_parameters`]).
    SetChainParameter {
        name: String,
        value: String,
    },
    /// A planner assumption from its text (see [`plan_assumptions`]): durations in
    /// human units ("1 h 30 min") or the file's ("90m").
    SetPlanAssumption {
        name: String,
        value: String,
    },
    /// The fault starts at `at_ms` and keeps its length, clamped into the run.
    MoveFault {
        index: usize,
        at_ms: u64,
    },
    /// New start and end, clamped into `[0, duration]`; refused if it would not end
    /// after it starts.
    ResizeFault {
        index: usize,
        at_ms: u64,
        until_ms: Option<u64>,
    },
    /// "Restart": every fault on the target active at `at_ms` ends then.
    EndFaultsAt {
        target: Target,
        at_ms: u64,
    },
}

/// Applies an edit, or explains why it cannot be made (and changes nothing).
pub fn apply(file: &ScenarioFile, edit: &Edit) -> Result<ScenarioFile, Vec<ScenarioError>> {
    let mut next = file.clone();
    match edit {
        Edit::AddFault(fault) => next.faults.push(fault.clone()),
        Edit::RemoveFault(index) => {
            fault_position(&next, *index)?;
            next.faults.remove(*index);
        }
        Edit::AddNode { az, role } => add_node(&mut next, az, *role)?,
        Edit::MoveNodes { nodes, to_az } => move_nodes(&mut next, nodes, to_az)?,
        Edit::RenameNode { from, to } => rename(&mut next, IdKind::Node, from, to)?,
        Edit::RenameAz { from, to } => rename(&mut next, IdKind::Az, from, to)?,
        Edit::RenameRegion { from, to } => rename(&mut next, IdKind::Region, from, to)?,
        Edit::DuplicateNodes { nodes } => duplicate_nodes(&mut next, nodes)?,
        Edit::DeleteNodes { nodes } => delete_nodes(&mut next, nodes)?,
        Edit::AddAz { region } => add_az(&mut next, region)?,
        Edit::AddRegion => add_region(&mut next)?,
        Edit::DeleteAz { az } => delete_az(&mut next, az)?,
        Edit::DeleteRegion { region } => delete_region(&mut next, region)?,
        Edit::DeleteTargets { targets } => delete_targets(&mut next, targets)?,
        Edit::SetNodeRole { node, role } => {
            let node = node_mut(&mut next, node)?;
            let was_api = !node.role.has_peer();
            node.role = *role;
            if !role.has_peer() {
                node.stake = 0;
            } else if was_api && node.stake == 0 {
                node.stake = NodeFile::new("", *role).stake;
            }
        }
        Edit::SetNodeVoting { node, voting } => {
            let node = node_mut(&mut next, node)?;
            node.voting = *voting;
            if *voting && node.voting_balance == 0 {
                node.voting_balance = 1;
            }
        }
        Edit::SetNodeStake { node, stake } => node_mut(&mut next, node)?.stake = *stake,
        Edit::SetNodeVotingBalance {
            node,
            voting_balance,
        } => node_mut(&mut next, node)?.voting_balance = *voting_balance,
        Edit::SetNodeStandby { node, standby } => node_mut(&mut next, node)?.standby = *standby,
        Edit::SetEntryKind { kind } => {
            // Clients sent directly reach one API node: the first target stays.
            if *kind == EntryKind::Direct {
                next.clients.entry_point.targets.truncate(1);
            }
            // Region shares belong to latency routing only.
            if *kind != EntryKind::LatencyRouting {
                next.clients.entry_point.region_shares.clear();
            }
            next.clients.entry_point.kind = *kind;
        }
        Edit::SetBackup { backup } => next.backup = backup.clone(),
        Edit::SetBackupInterval { value } => {
            let Some(backup) = next.backup.as_mut() else {
                return Err(refuse(
                    "backup",
                    "there is no backup vault: add one first".to_string(),
                ));
            };
            backup.interval_ms = parse_duration(value.trim()).map_err(|message| {
                refuse(
                    "backup.interval",
                    format!("{message}: write a duration like 2h or 30m"),
                )
            })?;
        }
        Edit::SetChainParameter { name, value } => set_parameter(&mut next, name, value)?,
        Edit::SetPlanAssumption { name, value } => set_assumption(&mut next, name, value)?,
        Edit::MoveFault { index, at_ms } => move_fault(&mut next, *index, *at_ms)?,
        Edit::ResizeFault {
            index,
            at_ms,
            until_ms,
        } => resize_fault(&mut next, *index, *at_ms, *until_ms)?,
        Edit::EndFaultsAt { target, at_ms } => end_faults_at(&mut next, target, *at_ms)?,
    }
    check(&next)?;
    Ok(next)
}

/// The file as a saved one would be checked: read back from its encoding (ranges, id
/// rules, size caps), then validated (references, overlaps).
fn check(file: &ScenarioFile) -> Result<(), Vec<ScenarioError>> {
    decode::decode(&encode(file))?;
    validate(file)?;
    Ok(())
}

/// See [`Edit::DeleteTargets`].
fn delete_targets(next: &mut ScenarioFile, targets: &[Target]) -> Result<(), Vec<ScenarioError>> {
    let mut deleted_any = false;
    for target in targets {
        if let Target::Region(region) = target {
            delete_region(next, region)?;
            deleted_any = true;
        }
    }
    for target in targets {
        if let Target::Az(az) = target {
            if target_exists(next, target) {
                delete_az(next, az)?;
                deleted_any = true;
            }
        }
    }
    let nodes: Vec<String> = targets
        .iter()
        .filter(|target| target_exists(next, target))
        .filter_map(|target| match target {
            Target::Node(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    if !nodes.is_empty() {
        delete_nodes(next, &nodes)?;
        deleted_any = true;
    }
    if !deleted_any {
        return Err(refuse(
            "selection",
            "nothing to delete: select nodes, AZs or regions (links go with their regions)",
        ));
    }
    Ok(())
}

/// The refusal of `edit` as the inspector shows it: each message once, and for a
/// rename, under the field's own name ("Name: 'api1' is already used by another
/// node; choose another name") instead of a JSON path.
pub fn refusal_messages(edit: &Edit, errors: &[ScenarioError]) -> Vec<String> {
    let renaming = matches!(
        edit,
        Edit::RenameNode { .. } | Edit::RenameAz { .. } | Edit::RenameRegion { .. }
    );
    let mut messages: Vec<String> = Vec::new();
    for error in errors {
        let message = if renaming && error.path.ends_with(".id") {
            format!("Name: {}", error.message)
        } else {
            error.to_string()
        };
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    messages
}

fn refuse(path: impl Into<String>, message: impl Into<String>) -> Vec<ScenarioError> {
    vec![ScenarioError::new(path, message)]
}

#[cfg(test)]
mod tests;
