//! The plan worker's protocol: the planner across a message boundary (the browser's
//! Web Worker, `ui::workers`): a request is the scenario and the run
//! settings as JSON; replies are progress messages and one final message with the
//! table rows, the whole `catapult-dr plan --json` object (each cell's full JSON, the
//! one source of the panel's matrix and explanations), the targets in words, the
//! recommendation and the CSV and Markdown exports. Pure, so the protocol is tested
//! natively; the worker binary only moves strings.

use serde_json::{json, Value};

use crate::planner::pool::PlanPool;
use crate::planner::PlanOptions;
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

/// The plan options of a browser request: the file's, with the page's trials (within
/// the limit) and seed.
pub fn options_for(file: &ScenarioFile, trials: Option<u64>, seed: Option<u64>) -> PlanOptions {
    let mut options = PlanOptions::from_file(file);
    if let Some(trials) = trials {
        options.trials = trials.clamp(1, crate::scenario::limits::TRIALS_MAX);
    }
    if let Some(seed) = seed {
        options.seed = seed;
    }
    options
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
    let options = options_for(&file, value["trials"].as_u64(), value["seed"].as_u64());
    let mut pool = match PlanPool::new(&file, options) {
        Ok(pool) => pool,
        Err(errors) => return failed(errors.iter().map(ScenarioError::to_string).collect()),
    };
    let (_, total) = pool.progress();
    let every = (total / PROGRESS_MESSAGES).max(1);
    progress(json!({ "progress": [0, total] }).to_string());
    // The jobs one after another, here: the same jobs a pool of workers shares.
    while let Some(job) = pool.next_job() {
        match crate::planner::pool::run_job(&job) {
            Ok(result) => pool.accept(&job, result),
            Err(errors) => return failed(errors.iter().map(ScenarioError::to_string).collect()),
        }
        let (done, total) = pool.progress();
        if done % every == 0 {
            progress(json!({ "progress": [done, total] }).to_string());
        }
    }
    done_reply(&pool.finish(), &file)
}

/// The final reply for a finished plan: the table rows, the `plan --json` object, the
/// charts and the exports.
pub fn done_reply(result: &crate::planner::PlanResult, file: &ScenarioFile) -> String {
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
        result,
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
        "plan": report::plan_json(result),
        "targets": crate::view::plan_explain::targets_in_words(&file.plan.targets),
        "rows": rows,
        "recommendation_note": result.recommendation_note,
        "trials": result.trials,
        "csv": report::plan_csv(result),
        "markdown": report::plan_markdown(result),
    })
    .to_string()
}

/// A batch of jobs for one worker of the pool (see `crate::planner::pool`).
pub fn jobs_request(jobs: &[crate::planner::pool::Job]) -> String {
    json!({ "jobs": jobs }).to_string()
}

/// Runs a batch of jobs (a pool worker's side): the reply carries each job with its
/// trial's result, or the errors.
pub fn serve_jobs(request: &str) -> String {
    let value: Value = match serde_json::from_str(request) {
        Ok(value) => value,
        Err(error) => return failed(vec![format!("$: the request is not JSON: {error}")]),
    };
    let jobs: Vec<crate::planner::pool::Job> = match serde_json::from_value(value["jobs"].clone()) {
        Ok(jobs) => jobs,
        Err(error) => return failed(vec![format!("jobs: not a list of jobs: {error}")]),
    };
    let mut done = Vec::new();
    for job in jobs {
        match crate::planner::pool::run_job(&job) {
            Ok(result) => done.push(json!([job, result])),
            Err(errors) => return failed(errors.iter().map(ScenarioError::to_string).collect()),
        }
    }
    json!({ "done": done }).to_string()
}

/// The jobs a pool worker ran, each with its trial's result.
pub type JobsDone = Vec<(crate::planner::pool::Job, crate::planner::TrialResult)>;

/// Reads a pool worker's reply: the jobs with their results, or the errors.
pub fn parse_jobs_reply(text: &str) -> Option<Result<JobsDone, Vec<String>>> {
    let value: Value = serde_json::from_str(text).ok()?;
    if let Some(errors) = value.get("errors") {
        return Some(Err(errors
            .as_array()?
            .iter()
            .filter_map(|error| error.as_str().map(String::from))
            .collect()));
    }
    let done = value.get("done")?.as_array()?;
    Some(Ok(done
        .iter()
        .filter_map(|pair| {
            Some((
                serde_json::from_value(pair[0].clone()).ok()?,
                serde_json::from_value(pair[1].clone()).ok()?,
            ))
        })
        .collect()))
}

/// Whether a request is a batch of pool jobs (else a whole plan).
pub fn is_jobs_request(request: &str) -> bool {
    request.starts_with("{\"jobs\"")
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

    /// The pool protocol: jobs sent in batches to "workers" and their replies accepted
    /// give the same final reply as one worker serving the whole plan.
    #[test]
    fn a_pool_of_workers_gives_the_same_reply_as_one() {
        let file = presets::load_file("multi-az").unwrap();
        let whole = serve(&request(&file, 2, 9), |_| {});
        let mut pool =
            crate::planner::pool::PlanPool::new(&file, options_for(&file, Some(2), Some(9)))
                .unwrap();
        let mut batches = 0;
        while !pool.is_finished() {
            let batch: Vec<_> = std::iter::from_fn(|| pool.next_job()).take(5).collect();
            assert!(!batch.is_empty());
            assert!(is_jobs_request(&jobs_request(&batch)));
            let reply = serve_jobs(&jobs_request(&batch));
            for (job, result) in parse_jobs_reply(&reply).unwrap().unwrap() {
                pool.accept(&job, result);
            }
            batches += 1;
        }
        assert!(batches > 1);
        assert_eq!(done_reply(&pool.finish(), &file), whole);
        assert!(!is_jobs_request(&request(&file, 2, 9)));
        assert!(matches!(
            parse_jobs_reply(&serve_jobs("{\"jobs\": 3}")),
            Some(Err(_))
        ));
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
