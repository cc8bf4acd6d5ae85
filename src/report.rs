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
        "ledgers": outcome.ledgers.iter().map(|ledger| json!({
            "nodes": ledger.nodes,
            "tip_height": ledger.tip_height,
            "since_s": ledger.since_ms.map(|ms| ms as f64 / 1_000.0),
            "confirmed_only_here": {
                "count": ledger.confirmed_only_here,
                "first_ids": ledger.confirmed_only_here_ids,
            },
        })).collect::<Vec<_>>(),
        "split": outcome.split,
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
    if let Some(split) = &outcome.split {
        text.push_str(&format!("SPLIT: {split}\n"));
    }
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
            "{:<15} {:<6} {:>8}  {:>9}  {}\n",
            node.id, state, node.height, node.finalized_height, rollbacks
        ));
    }
    text
}

fn seconds(ms: u64) -> f64 {
    ms as f64 / 1_000.0
}

fn distribution_json(
    estimate_ms: Option<u64>,
    measured: Option<crate::planner::Distribution>,
) -> Value {
    json!({
        "estimate": estimate_ms.map(seconds),
        "p50": measured.map(|distribution| seconds(distribution.p50)),
        "p95": measured.map(|distribution| seconds(distribution.p95)),
        "max": measured.map(|distribution| seconds(distribution.max)),
    })
}

/// The `catapult-dr plan --json` object.
pub fn plan_json(result: &crate::planner::PlanResult) -> Value {
    json!({
        "seed": result.seed,
        "trials": result.trials,
        "results": result.cells.iter().map(|cell| {
            let survivable = cell.survivable;
            json!({
                "strategy": cell.strategy.as_str(),
                "failure": cell.failure.as_str(),
                "survivable": survivable,
                "applicable": cell.estimate.applicable,
                "rto_s": distribution_json(if survivable { cell.estimate.rto_ms() } else { None }, cell.rto),
                "rpo_s": distribution_json(if survivable { cell.estimate.rpo_ms() } else { None }, cell.rpo),
                "rpo_finalized_s": distribution_json(
                    if survivable { cell.estimate.rpo_finalized_ms } else { None },
                    cell.rpo_finalized,
                ),
                "lost_confirmed_transactions": cell.lost_confirmed.map(|distribution| json!({
                    "p50": distribution.p50, "p95": distribution.p95, "max": distribution.max,
                })),
                "trials": cell.trials,
                "recovered_trials": cell.recovered_trials,
                "redundancy_restored_s": (survivable && cell.estimate.redundancy_returns).then(|| {
                    distribution_json(cell.estimate.redundancy_ms(), cell.redundancy)
                }),
                "redundancy_trials": cell.redundancy_trials,
                "rto_by_region": cell.rto_by_region.iter().map(|(region, distribution)| json!({
                    "region": region,
                    "p50": seconds(distribution.p50),
                    "p95": seconds(distribution.p95),
                    "max": seconds(distribution.max),
                })).collect::<Vec<_>>(),
                "stale_read_s": cell.stale_read.map(|distribution| json!({
                    "p50": seconds(distribution.p50),
                    "p95": seconds(distribution.p95),
                    "max": seconds(distribution.max),
                })),
                "operator_action": cell.operator_action,
                "hint": cell.hint,
                "meets_target": cell.meets_target,
                "disagreement": cell.disagreement,
                "estimate_steps": {
                    "rto": cell.estimate.rto_steps.iter().map(|step| json!({
                        "step": step.label, "seconds": seconds(step.duration_ms),
                        "assumed": step.assumed,
                    })).collect::<Vec<_>>(),
                    "rpo": cell.estimate.rpo_steps.iter().map(|step| json!({
                        "step": step.label, "seconds": seconds(step.duration_ms),
                        "assumed": step.assumed,
                    })).collect::<Vec<_>>(),
                },
                "explanation": cell.estimate.note,
                "notes": cell.notes,
            })
        }).collect::<Vec<_>>(),
        "costs": result.costs.iter().map(|cost| json!({
            "strategy": cost.strategy.as_str(),
            "running_nodes": cost.running_nodes,
            "monthly_cost": (cost.monthly_cost * 100.0).round() / 100.0,
        })).collect::<Vec<_>>(),
        "currency": result.currency,
        "recommendation": result.recommendation.map(|strategy| strategy.as_str()),
        "recommendation_note": result.recommendation_note,
    })
}

fn short(ms: Option<u64>) -> String {
    match ms {
        None => "-".to_string(),
        Some(ms) => describe_duration(ms),
    }
}

/// The RTO and RPO texts of one cell (`estimate{separator}p50 / p95`, or the words for
/// cells that are not survivable or have nothing to act on) and its target verdict;
/// shared by the text table, the Markdown table and the app.
pub fn cell_texts(
    cell: &crate::planner::Cell,
    separator: &str,
    not_survivable: &str,
    not_applicable: &str,
) -> (String, String, &'static str) {
    let texts = |estimate: Option<u64>, measured: Option<crate::planner::Distribution>| {
        format!(
            "{}{separator}{} / {}",
            short(estimate),
            short(measured.map(|d| d.p50)),
            short(measured.map(|d| d.p95))
        )
    };
    let (rto, rpo) = if !cell.survivable {
        (not_survivable.to_string(), "-".to_string())
    } else if !cell.estimate.applicable {
        (not_applicable.to_string(), "n/a".to_string())
    } else {
        (
            texts(cell.estimate.rto_ms(), cell.rto),
            texts(cell.estimate.rpo_ms(), cell.rpo),
        )
    };
    let target = match cell.meets_target {
        None => "-",
        Some(true) => "pass",
        Some(false) => "FAIL",
    };
    (rto, rpo, target)
}

/// The exposure window of a cell: `estimate{separator}p50 / p95`, "never" when some
/// node is lost for good, "-" when the cell has no figures.
pub fn exposure_text(cell: &crate::planner::Cell, separator: &str) -> String {
    if !cell.survivable || !cell.estimate.applicable {
        return "-".to_string();
    }
    if !cell.estimate.redundancy_returns {
        return "never (a node is lost for good)".to_string();
    }
    format!(
        "{}{separator}{} / {}",
        short(cell.estimate.redundancy_ms()),
        short(cell.redundancy.map(|d| d.p50)),
        short(cell.redundancy.map(|d| d.p95))
    )
}

/// The readable table `catapult-dr plan` prints.
pub fn plan_text(result: &crate::planner::PlanResult) -> String {
    let mut text = format!(
        "RTO and RPO by strategy and failure ({} trials per cell, seed {}); estimate | measured p50 / p95\n\n",
        result.trials, result.seed
    );
    text.push_str(&format!(
        "{:<20} {:<12} {:<34} {:<34} {:<34} {}\n",
        "strategy", "failure", "RTO", "RPO", "exposure window", "target"
    ));
    for cell in &result.cells {
        let (rto, rpo, target) = cell_texts(cell, " | ", "NOT SURVIVABLE", "n/a (nothing to cut)");
        text.push_str(&format!(
            "{:<20} {:<12} {:<34} {:<34} {:<34} {}\n",
            cell.strategy.as_str(),
            cell.failure.as_str(),
            rto,
            rpo,
            exposure_text(cell, " | "),
            target
        ));
    }
    text.push_str("\nNotes:\n");
    for cell in &result.cells {
        let mut lines = Vec::new();
        if !cell.estimate.note.is_empty() {
            lines.push(cell.estimate.note.clone());
        }
        if let Some(action) = &cell.operator_action {
            lines.push(action.clone());
        }
        if !cell.rto_by_region.is_empty() {
            lines.push(format!(
                "RTO by clients' region (p50 / p95): {}",
                cell.rto_by_region
                    .iter()
                    .map(|(region, distribution)| format!(
                        "{region} {} / {}",
                        describe_duration(distribution.p50),
                        describe_duration(distribution.p95)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(stale) = cell.stale_read.filter(|stale| stale.max > 0) {
            lines.push(format!(
                "stale reads: clients were served by an API node behind the network for up to {} (p95 {})",
                describe_duration(stale.max),
                describe_duration(stale.p95)
            ));
        }
        lines.extend(cell.notes.iter().cloned());
        if let Some(hint) = &cell.hint {
            lines.push(format!("hint: {hint}"));
        }
        if !lines.is_empty() {
            text.push_str(&format!(
                "  {} / {}: {}\n",
                cell.strategy.as_str(),
                cell.failure.as_str(),
                lines.join("; ")
            ));
        }
    }
    text.push_str(&format!(
        "\nMonthly cost (node-hours × price + snapshot storage), {}:\n",
        result.currency
    ));
    for cost in &result.costs {
        text.push_str(&format!(
            "  {:<20} {:>3} running nodes  {:>10.2}\n",
            cost.strategy.as_str(),
            cost.running_nodes,
            cost.monthly_cost
        ));
    }
    text.push_str(&format!(
        "\nRecommendation: {}\n",
        result.recommendation_note
    ));
    text
}

fn seconds_cell(ms: Option<u64>) -> String {
    ms.map(|ms| format!("{}", ms as f64 / 1_000.0))
        .unwrap_or_default()
}

/// The planner's table as CSV (seconds; empty where not survivable), one row per cell.
pub fn plan_csv(result: &crate::planner::PlanResult) -> String {
    let mut text = String::from(
        "strategy,failure,survivable,rto_estimate_s,rto_p50_s,rto_p95_s,rto_max_s,rpo_estimate_s,rpo_p50_s,rpo_p95_s,rpo_max_s,lost_confirmed_p95,redundancy_restored_estimate_s,redundancy_restored_p50_s,redundancy_restored_p95_s,redundancy_restored_max_s,stale_read_p95_s,operator_action,hint,meets_target,disagreement\n",
    );
    for cell in &result.cells {
        let survivable = cell.survivable;
        let estimate = |value: Option<u64>| {
            if survivable {
                seconds_cell(value)
            } else {
                String::new()
            }
        };
        let quoted = |value: Option<&str>| {
            value
                .map(|text| format!("\"{}\"", text.replace('"', "\"\"")))
                .unwrap_or_default()
        };
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            cell.strategy.as_str(),
            cell.failure.as_str(),
            survivable,
            estimate(cell.estimate.rto_ms()),
            seconds_cell(cell.rto.map(|d| d.p50)),
            seconds_cell(cell.rto.map(|d| d.p95)),
            seconds_cell(cell.rto.map(|d| d.max)),
            estimate(cell.estimate.rpo_ms()),
            seconds_cell(cell.rpo.map(|d| d.p50)),
            seconds_cell(cell.rpo.map(|d| d.p95)),
            seconds_cell(cell.rpo.map(|d| d.max)),
            cell.lost_confirmed
                .map(|d| d.p95.to_string())
                .unwrap_or_default(),
            estimate(cell.estimate.redundancy_ms()),
            seconds_cell(cell.redundancy.map(|d| d.p50)),
            seconds_cell(cell.redundancy.map(|d| d.p95)),
            seconds_cell(cell.redundancy.map(|d| d.max)),
            seconds_cell(cell.stale_read.map(|d| d.p95)),
            quoted(cell.operator_action.as_deref()),
            quoted(cell.hint.as_deref()),
            cell.meets_target
                .map(|pass| pass.to_string())
                .unwrap_or_default(),
            quoted(cell.disagreement.as_deref()),
        ));
    }
    text
}

/// The planner's table as Markdown, for design documents.
pub fn plan_markdown(result: &crate::planner::PlanResult) -> String {
    let mut text = String::from(
        "| strategy | failure | RTO (estimate / p50 / p95) | RPO (estimate / p50 / p95) | lost writes (p95) | exposure window (estimate / p50 / p95) | operator action | target | estimate vs measured | hint |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for cell in &result.cells {
        let (rto, rpo, target) = cell_texts(cell, " / ", "not survivable", "n/a");
        let disagreement = cell
            .disagreement
            .as_deref()
            .map(|text| text.replace('|', "\\|"))
            .unwrap_or_else(|| "agree".to_string());
        let escaped = |value: Option<&str>| {
            value
                .map(|text| text.replace('|', "\\|"))
                .unwrap_or_else(|| "-".to_string())
        };
        text.push_str(&format!(
            "| {} | {} | {rto} | {rpo} | {} | {} | {} | {target} | {disagreement} | {} |\n",
            cell.strategy.as_str(),
            cell.failure.as_str(),
            cell.lost_confirmed
                .map(|d| d.p95.to_string())
                .unwrap_or_else(|| "-".to_string()),
            exposure_text(cell, " / "),
            escaped(cell.operator_action.as_deref()),
            escaped(cell.hint.as_deref()),
        ));
    }
    text.push_str(&format!(
        "\n{} trials per cell, seed {}. Recommendation: {}\n",
        result.trials, result.seed, result.recommendation_note
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::{plan, PlanOptions, Strategy};
    use crate::scenario::file::FailureKind;
    use crate::scenario::presets;

    fn small_plan() -> crate::planner::PlanResult {
        let file = presets::load_file("multi-az").unwrap();
        let options = PlanOptions {
            trials: 2,
            seed: 3,
            strategies: vec![Strategy::SingleAz, Strategy::MultiAz],
            failures: vec![FailureKind::Az, FailureKind::Region],
            horizon_override_ms: None,
        };
        plan(&file, &options).unwrap()
    }

    #[test]
    fn csv_has_a_row_per_cell_and_empty_numbers_where_not_survivable() {
        let csv = plan_csv(&small_plan());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 4);
        assert!(lines
            .iter()
            .skip(1)
            .all(|line| line.split(',').count() == 21));
        let region = lines
            .iter()
            .find(|line| line.starts_with("single-az,region,"))
            .unwrap();
        assert_eq!(*region, format!("single-az,region,false{}", ",".repeat(18)));
        // The exposure window of an AZ outage in multi-az: estimate and measurement.
        let az_fields: Vec<&str> = lines
            .iter()
            .find(|line| line.starts_with("multi-az,az,"))
            .unwrap()
            .split(',')
            .collect();
        assert!(
            az_fields[12].parse::<f64>().unwrap() > 3_600.0,
            "{az_fields:?}"
        );
        assert!(
            az_fields[14].parse::<f64>().unwrap() > 3_600.0,
            "{az_fields:?}"
        );
        let az = lines
            .iter()
            .find(|line| line.starts_with("multi-az,az,true,60,"))
            .unwrap();
        assert!(az.split(',').nth(5).unwrap().parse::<f64>().is_ok());
    }

    #[test]
    fn markdown_is_a_table_with_the_recommendation() {
        let markdown = plan_markdown(&small_plan());
        assert!(markdown.starts_with("| strategy | failure |"));
        assert_eq!(
            markdown
                .lines()
                .filter(|line| line.starts_with("| "))
                .count(),
            1 + 4
        );
        assert!(markdown.contains("| single-az | region | not survivable | - | - |"));
        assert!(markdown.contains("Recommendation:"));
    }
}
