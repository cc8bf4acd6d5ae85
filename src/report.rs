//! External formats of results: the `simulate --json` object (a contract other tools
//! rely on) and the readable summary. Internal types stay free of serialization; this
//! module is the one place that decides field names.

use serde_json::{json, Value};

use crate::scenario::duration::describe_duration;
use crate::sim::outcome::{format_hash, Outcome};

/// The `catapult-dr simulate --json` object.
pub fn simulation_json(outcome: &Outcome) -> Value {
    json!({
        "scenario": outcome.scenario_name,
        "seed": outcome.seed,
        "simulated_s": outcome.simulated_ms as f64 / 1_000.0,
        "events": outcome.events,
        "trace_events": outcome.trace_events,
        "trace_hash": format_hash(outcome.trace_hash),
        "converged": outcome.converged,
        "best_height": outcome.best_height,
        "max_fork_depth": outcome.fork.max_depth,
        "branches": outcome.fork.branches,
        "irreconcilable_nodes": outcome.fork.irreconcilable_nodes,
        "transactions": {
            "submitted": outcome.transactions.submitted,
            "rejected": outcome.transactions.rejected,
            "confirmed": outcome.transactions.confirmed,
            "pending": outcome.transactions.pending,
            "lost": outcome.transactions.lost,
            "lost_after_confirmation": outcome.transactions.lost_after_confirmation,
        },
        "snapshots_taken": outcome.snapshots_taken,
        "nodes": outcome.nodes.iter().map(|node| json!({
            "id": node.id,
            "up": node.up,
            "height": node.height,
            "finalized_height": node.finalized_height,
            "tip": format_hash(node.tip_hash),
            "fork_depth": node.fork_depth,
            "rollbacks": node.rollbacks.iter().map(|rollback| json!({
                "at_s": rollback.at_ms as f64 / 1_000.0,
                "depth": rollback.depth,
            })).collect::<Vec<_>>(),
            "irreconcilable": node.irreconcilable,
        })).collect::<Vec<_>>(),
    })
}

/// The readable summary `catapult-dr simulate` prints.
pub fn simulation_text(outcome: &Outcome) -> String {
    let mut text = String::new();
    let transactions = &outcome.transactions;
    text.push_str(&format!(
        "scenario {} · seed {} · {} simulated · {} events · trace {}\n",
        outcome.scenario_name,
        outcome.seed,
        describe_duration(outcome.simulated_ms),
        outcome.events,
        format_hash(outcome.trace_hash)
    ));
    text.push_str(&format!(
        "chain: best height {} · {} · deepest fork {} block(s) · {} branch(es)\n",
        outcome.best_height,
        if outcome.converged {
            "converged"
        } else {
            "NOT converged"
        },
        outcome.fork.max_depth,
        outcome.fork.branches
    ));
    if !outcome.fork.irreconcilable_nodes.is_empty() {
        text.push_str(&format!(
            "irreconcilable (fork past the rollback limit; needs an operator): {}\n",
            outcome.fork.irreconcilable_nodes.join(", ")
        ));
    }
    text.push_str(&format!(
        "transactions: {} submitted · {} confirmed · {} pending · {} lost ({} after confirmation) · {} rejected\n",
        transactions.submitted,
        transactions.confirmed,
        transactions.pending,
        transactions.lost,
        transactions.lost_after_confirmation,
        transactions.rejected
    ));
    text.push_str("\nnode            state  height  finalized  rollbacks (at: depth)\n");
    for node in &outcome.nodes {
        let rollbacks = if node.rollbacks.is_empty() {
            "-".to_string()
        } else {
            node.rollbacks
                .iter()
                .map(|rollback| {
                    format!("{}: {}", describe_duration(rollback.at_ms), rollback.depth)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let state = if !node.up {
            "down"
        } else if node.irreconcilable {
            "STUCK"
        } else if node.fork_depth > 1 {
            "fork"
        } else {
            "up"
        };
        text.push_str(&format!(
            "{:<15} {:<6} {:>6}  {:>9}  {}\n",
            node.id, state, node.height, node.finalized_height, rollbacks
        ));
    }
    text
}
