//! The plan worker's protocol: the planner across a message boundary (the browser's
//! Web Worker, `src/bin/plan-worker.rs`): a request is the scenario and the run
//! settings as JSON; replies are progress messages and one final message with the
//! table rows, the whole `catapult-dr plan --json` object (each cell's full JSON, the
//! one source of the panel's matrix and explanations), the targets in words, the
//! recommendation and the CSV and Markdown exports. Pure, so the protocol is tested
//! natively; the worker binary only moves strings.

use serde_json::{json, Value};

use crate::planner::{PlanOptions, PlanRunner};
use crate::report;
use crate::scenario::file::{encode, ScenarioFile};
use crate::scenario::{decode, ScenarioError};

/// What the worker posts once it can take a request (messages sent before are lost).
pub const READY: &str = "ready";

/// Progress is reported about this many times per plan.
const PROGRESS_MESSAGES: u64 = 100;

/// The request the page sends.
pub fn request(file: &ScenarioFile, trials: u64, seed: u64) -> String {
    json!({ "scenario": encode(file), "trials": trials, "seed": seed }).to_string()
}

/// One row of the planner table, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub strategy: String,
    pub failure: String,
    pub survivable: bool,
    pub rto: String,
    pub rpo: String,
    pub target: String,
}

/// Everything the page shows and offers for a finished plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanView {
    pub rows: Vec<PlanRow>,
    pub recommendation_note: String,
    pub trials: u64,
    pub csv: String,
    pub markdown: String,
    /// `report::plan_json` of the result: the same object `catapult-dr plan --json`
    /// prints (`results[]` one per cell in row order, `costs`, `recommendation`, and
    /// whatever top-level fields it carries, such as `currency`).
    pub plan: Value,
    /// The targets the plan ran against, in words: (failure, "AZ outage: RTO ≤ 5 min").
    pub targets: Vec<(String, String)>,
    /// The RTO/RPO bar charts against the targets, one per failure kind: (failure,
    /// SVG), drawn with plotters.
    pub charts: Vec<(String, String)>,
}

/// Width of the planner's bar charts, in pixels (the height follows from the content).
pub const PLAN_CHART_WIDTH_PX: u32 = 640;

/// A reply from the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Progress { done: u64, total: u64 },
    Done(PlanView),
    Failed(Vec<String>),
}

fn failed(errors: Vec<String>) -> String {
    json!({ "errors": errors }).to_string()
}

/// Runs a request to the end, calling `progress` with each progress message.
pub fn serve(request: &str, mut progress: impl FnMut(String)) -> String {
    let value: Value = match serde_json::from_str(request) {
        Ok(value) => value,
        Err(error) => return failed(vec![format!("$: the request is not JSON: {error}")]),
    };
    let file = match decode::decode(&value["scenario"]) {
        Ok(file) => file,
        Err(errors) => return failed(errors.iter().map(ScenarioError::to_string).collect()),
    };
    let mut options = PlanOptions::from_file(&file);
    if let Some(trials) = value["trials"].as_u64() {
        options.trials = trials.clamp(1, crate::scenario::limits::TRIALS_MAX);
    }
    if let Some(seed) = value["seed"].as_u64() {
        options.seed = seed;
    }
    let mut runner = match PlanRunner::new(&file, options) {
        Ok(runner) => runner,
        Err(errors) => return failed(errors.iter().map(ScenarioError::to_string).collect()),
    };
    let (_, total) = runner.progress();
    let every = (total / PROGRESS_MESSAGES).max(1);
    progress(json!({ "progress": [0, total] }).to_string());
    while runner.step() {
        let (done, total) = runner.progress();
        if done % every == 0 {
            progress(json!({ "progress": [done, total] }).to_string());
        }
    }
    let result = runner.finish();
    let rows: Vec<Value> = result
        .cells
        .iter()
        .map(|cell| {
            let (rto, rpo, target) = report::cell_texts(cell, " | ", "not survivable", "n/a");
            json!({
                "strategy": cell.strategy.as_str(),
                "failure": cell.failure.as_str(),
                "survivable": cell.survivable,
                "rto": rto,
                "rpo": rpo,
                "target": target,
            })
        })
        .collect();
    let charts: Vec<Value> = crate::view::charts::rto_rpo_charts_svg(
        &result,
        &file.plan.targets,
        crate::view::charts::ChartSize::new(PLAN_CHART_WIDTH_PX, 0),
    )
    .map(|charts| {
        charts
            .into_iter()
            .map(|(failure, svg)| json!([failure.as_str(), svg]))
            .collect()
    })
    .unwrap_or_default();
    json!({
        "charts": charts,
        "plan": report::plan_json(&result),
        "targets": crate::view::plan_explain::targets_in_words(&file.plan.targets),
        "rows": rows,
        "recommendation_note": result.recommendation_note,
        "trials": result.trials,
        "csv": report::plan_csv(&result),
        "markdown": report::plan_markdown(&result),
    })
    .to_string()
}

/// Reads a reply; `None` for anything that is not one.
pub fn parse_reply(text: &str) -> Option<Reply> {
    let value: Value = serde_json::from_str(text).ok()?;
    if let Some(progress) = value.get("progress") {
        return Some(Reply::Progress {
            done: progress[0].as_u64()?,
            total: progress[1].as_u64()?,
        });
    }
    if let Some(errors) = value.get("errors") {
        return Some(Reply::Failed(
            errors
                .as_array()?
                .iter()
                .filter_map(|error| error.as_str().map(String::from))
                .collect(),
        ));
    }
    let text_of = |row: &Value, field: &str| row[field].as_str().unwrap_or_default().to_string();
    let rows = value["rows"]
        .as_array()?
        .iter()
        .map(|row| PlanRow {
            strategy: text_of(row, "strategy"),
            failure: text_of(row, "failure"),
            survivable: row["survivable"].as_bool().unwrap_or(false),
            rto: text_of(row, "rto"),
            rpo: text_of(row, "rpo"),
            target: text_of(row, "target"),
        })
        .collect();
    Some(Reply::Done(PlanView {
        rows,
        recommendation_note: text_of(&value, "recommendation_note"),
        trials: value["trials"].as_u64().unwrap_or(0),
        csv: text_of(&value, "csv"),
        markdown: text_of(&value, "markdown"),
        plan: value["plan"].clone(),
        targets: value["targets"]
            .as_array()
            .map(|targets| {
                targets
                    .iter()
                    .filter_map(|target| {
                        Some((
                            target[0].as_str()?.to_string(),
                            target[1].as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        charts: value["charts"]
            .as_array()
            .map(|charts| {
                charts
                    .iter()
                    .filter_map(|chart| {
                        Some((
                            chart[0].as_str()?.to_string(),
                            chart[1].as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::{plan, Strategy};
    use crate::scenario::presets;

    #[test]
    fn a_request_served_gives_the_same_table_as_plan() {
        let file = presets::load_file("multi-az").unwrap();
        let mut messages = Vec::new();
        let reply = serve(&request(&file, 2, 9), |message| messages.push(message));
        assert!(messages.len() >= 2);
        assert!(matches!(
            parse_reply(&messages[0]),
            Some(Reply::Progress { done: 0, .. })
        ));
        let Some(Reply::Done(view)) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        assert_eq!(view.rows.len(), Strategy::ALL.len() * 6);
        let mut options = PlanOptions::from_file(&file);
        options.trials = 2;
        options.seed = 9;
        let direct = plan(&file, &options).unwrap();
        assert_eq!(view.markdown, report::plan_markdown(&direct));
        assert_eq!(view.csv, report::plan_csv(&direct));
        // Every cell's full JSON, the same as `catapult-dr plan --json`, in row order.
        assert_eq!(view.plan, report::plan_json(&direct));
        let cells = view.plan["results"].as_array().unwrap();
        assert_eq!(cells.len(), view.rows.len());
        assert_eq!(
            view.targets,
            crate::view::plan_explain::targets_in_words(&file.plan.targets)
        );
        for (cell, row) in cells.iter().zip(&view.rows) {
            assert_eq!(cell["strategy"], row.strategy.as_str());
            assert_eq!(cell["failure"], row.failure.as_str());
        }
        let region = view
            .rows
            .iter()
            .find(|row| row.strategy == "single-az" && row.failure == "region")
            .unwrap();
        assert!(!region.survivable && region.rto == "not survivable");
        // A bar chart per failure kind, naming every strategy.
        assert_eq!(view.charts.len(), 6);
        for (_, svg) in &view.charts {
            for strategy in Strategy::ALL {
                assert!(svg.contains(strategy.as_str()), "{}", strategy.as_str());
            }
        }
    }

    #[test]
    fn bad_requests_fail_with_paths() {
        assert!(matches!(
            parse_reply(&serve("nope", |_| {})),
            Some(Reply::Failed(_))
        ));
        let reply = serve(r#"{"scenario": {"version": 1, "regions": []}}"#, |_| {});
        let Some(Reply::Failed(errors)) = parse_reply(&reply) else {
            panic!("{reply}")
        };
        assert!(errors[0].starts_with("regions: "), "{errors:?}");
        assert_eq!(parse_reply("{}"), None);
    }
}
