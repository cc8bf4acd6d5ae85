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

/// The reply that ends a plan with `errors`.
pub fn failed_reply(errors: Vec<String>) -> String {
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
        Err(error) => return failed_reply(vec![format!("$: the request is not JSON: {error}")]),
    };
    let file = match decode::decode(&value["scenario"]) {
        Ok(file) => file,
        Err(errors) => return failed_reply(errors.iter().map(ScenarioError::to_string).collect()),
    };
    let options = options_for(&file, value["trials"].as_u64(), value["seed"].as_u64());
    let mut pool = match PlanPool::new(&file, options) {
        Ok(pool) => pool,
        Err(errors) => return failed_reply(errors.iter().map(ScenarioError::to_string).collect()),
    };
    let (_, total) = pool.progress();
    let every = (total / PROGRESS_MESSAGES).max(1);
    progress(progress_reply(0, total));
    // The jobs one after another, here: the same jobs a pool of workers shares.
    while let Some(job) = pool.next_job() {
        match crate::planner::pool::run_job(&job) {
            Ok(result) => pool.accept(&job, result),
            Err(errors) => {
                return failed_reply(errors.iter().map(ScenarioError::to_string).collect())
            }
        }
        let (done, total) = pool.progress();
        if done % every == 0 {
            progress(progress_reply(done, total));
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
        Err(error) => return failed_reply(vec![format!("$: the request is not JSON: {error}")]),
    };
    let jobs: Vec<crate::planner::pool::Job> = match serde_json::from_value(value["jobs"].clone()) {
        Ok(jobs) => jobs,
        Err(error) => return failed_reply(vec![format!("jobs: not a list of jobs: {error}")]),
    };
    let mut done = Vec::new();
    for job in jobs {
        match crate::planner::pool::run_job(&job) {
            Ok(result) => done.push(json!([job, result])),
            Err(errors) => {
                return failed_reply(errors.iter().map(ScenarioError::to_string).collect())
            }
        }
    }
    json!({ "done": done }).to_string()
}

/// What the page says when its plan worker raises an error event: before the worker
/// said [`READY`] its module did not load or start (most often it did not download);
/// after, the plan stopped part-way. `detail` is the browser's own message, if any.
pub fn worker_error_text(started: bool, detail: Option<&str>) -> String {
    let what = if started {
        "The planner stopped with an error before it finished. Press Plan again; if it happens again, please report it with the browser's words below. Your scenario is unchanged."
    } else {
        "The planner could not start: its module may not have downloaded. Check the connection and press Plan again; your scenario is unchanged."
    };
    match detail.filter(|detail| !detail.is_empty()) {
        Some(detail) => format!("{what} The browser said: {detail}"),
        None => what.to_string(),
    }
}

/// Trials sent to a trial worker at a time: small enough to spread the work and report
/// progress often, large enough that messages cost little.
pub const JOBS_PER_BATCH: usize = 4;
/// Trial workers at most, whatever the core count says.
pub const TRIAL_WORKERS_MAX: usize = 8;

/// How many trial workers a plan uses on a machine with `cores` logical cores: one per
/// core, at least two, at most [`TRIAL_WORKERS_MAX`].
pub fn trial_workers_for(cores: usize) -> usize {
    cores.clamp(2, TRIAL_WORKERS_MAX)
}

/// What a [`Coordinator`] step asks its worker to send.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    /// Replies for the page, in order (progress, then the final reply or the errors).
    pub to_page: Vec<String>,
    /// Batches for trial workers: (worker index, [`jobs_request`]).
    pub to_workers: Vec<(usize, String)>,
    /// The plan has ended (its final reply or its errors are in `to_page`): the trial
    /// workers can stop.
    pub finished: bool,
}

/// A whole plan spread over trial workers, as the plan worker runs it: it hands out
/// batches of jobs ([`jobs_request`]) to workers that are ready or idle, takes their
/// replies ([`serve_jobs`]), reports progress about [`PROGRESS_MESSAGES`] times and ends
/// with exactly the reply [`serve`] gives for the same request (the pool,
/// `planner::pool`, makes the order of replies irrelevant). Pure: the browser glue
/// (`ui::workers`) only moves its messages.
///
/// Invariants: a worker is sent a batch only when it is ready or has just replied, so
/// it never holds more than one; once `finished`, every step sends nothing.
pub struct Coordinator {
    pool: Option<PlanPool>,
    file: ScenarioFile,
    idle: Vec<bool>,
    every: u64,
    reported: u64,
}

impl Coordinator {
    /// A coordinator for `request` over `workers` trial workers, with its first
    /// progress reply; `None` when the request does not plan (serve it whole with
    /// [`serve`], which replies with its errors).
    pub fn start(request: &str, workers: usize) -> Option<(Coordinator, String)> {
        let value: Value = serde_json::from_str(request).ok()?;
        let file = decode::decode(&value["scenario"]).ok()?;
        let options = options_for(&file, value["trials"].as_u64(), value["seed"].as_u64());
        let pool = PlanPool::new(&file, options).ok()?;
        let (_, total) = pool.progress();
        let coordinator = Coordinator {
            pool: Some(pool),
            file,
            idle: vec![true; workers.max(1)],
            every: (total / PROGRESS_MESSAGES).max(1),
            reported: 0,
        };
        Some((coordinator, progress_reply(0, total)))
    }

    /// How many trial workers this coordinator hands work to.
    pub fn workers(&self) -> usize {
        self.idle.len()
    }

    /// Worker `index` has posted [`READY`]: its first batch.
    pub fn worker_ready(&mut self, index: usize) -> Outbox {
        let mut outbox = Outbox::default();
        self.dispatch(index, &mut outbox);
        outbox
    }

    /// Worker `index` has replied with `text` (a [`serve_jobs`] reply): progress, the
    /// next batches, or the end. A reply that is not one is ignored.
    pub fn worker_replied(&mut self, index: usize, text: &str) -> Outbox {
        let mut outbox = Outbox::default();
        let (Some(pool), Some(reply)) = (self.pool.as_mut(), parse_jobs_reply(text)) else {
            return outbox;
        };
        let done = match reply {
            Ok(done) => done,
            Err(errors) => {
                self.pool = None;
                outbox.to_page.push(failed_reply(errors));
                outbox.finished = true;
                return outbox;
            }
        };
        for (job, result) in done {
            pool.accept(&job, result);
        }
        if pool.is_finished() {
            let pool = self.pool.take().expect("checked above");
            outbox.to_page.push(done_reply(&pool.finish(), &self.file));
            outbox.finished = true;
            return outbox;
        }
        let (done, total) = pool.progress();
        if done / self.every > self.reported / self.every {
            self.reported = done;
            outbox.to_page.push(progress_reply(done, total));
        }
        // This worker, and any that waited for the hints' trials, get work.
        self.idle[index] = true;
        self.dispatch(index, &mut outbox);
        for other in 0..self.idle.len() {
            if other != index && self.idle[other] {
                self.dispatch(other, &mut outbox);
            }
        }
        outbox
    }

    /// A trial worker stopped with an error: the plan ends with `message` (unless it had
    /// ended already, when nothing is sent).
    pub fn abandon(&mut self, message: String) -> Outbox {
        if self.pool.take().is_none() {
            return Outbox::default();
        }
        Outbox {
            to_page: vec![failed_reply(vec![message])],
            to_workers: Vec::new(),
            finished: true,
        }
    }

    fn dispatch(&mut self, index: usize, outbox: &mut Outbox) {
        let Some(pool) = self.pool.as_mut() else {
            return;
        };
        if index >= self.idle.len() {
            return;
        }
        let batch: Vec<_> = std::iter::from_fn(|| pool.next_job())
            .take(JOBS_PER_BATCH)
            .collect();
        if batch.is_empty() {
            self.idle[index] = true;
            return;
        }
        self.idle[index] = false;
        outbox.to_workers.push((index, jobs_request(&batch)));
    }
}

fn progress_reply(done: u64, total: u64) -> String {
    json!({ "progress": [done, total] }).to_string()
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

    /// The plan worker's coordinator over three trial workers, answering out of order,
    /// ends with exactly the reply one worker serving the whole plan gives; each worker
    /// holds at most one batch; progress only grows; the request that does not plan is
    /// left to `serve` (which replies with its errors).
    #[test]
    fn the_coordinator_over_trial_workers_gives_the_same_reply_as_one() {
        let file = presets::load_file("multi-az").unwrap();
        let whole = serve(&request(&file, 2, 9), |_| {});
        let (mut coordinator, first) = Coordinator::start(&request(&file, 2, 9), 3).unwrap();
        assert_eq!(coordinator.workers(), 3);
        assert!(matches!(
            parse_reply(&first),
            Some(Reply::Progress { done: 0, .. })
        ));
        let mut holding: Vec<Option<String>> = vec![None; 3];
        let mut to_page = Vec::new();
        let route =
            |outbox: Outbox, holding: &mut Vec<Option<String>>, to_page: &mut Vec<String>| {
                for (index, batch) in outbox.to_workers {
                    assert!(
                        holding[index].is_none(),
                        "worker {index} was sent a second batch"
                    );
                    holding[index] = Some(batch);
                }
                to_page.extend(outbox.to_page);
                outbox.finished
            };
        let mut finished = false;
        for index in [2, 0, 1] {
            finished |= route(coordinator.worker_ready(index), &mut holding, &mut to_page);
        }
        // The workers answer in a rotating, uneven order until the plan ends.
        let mut turn = 0;
        while !finished {
            let index = [1, 1, 0, 2, 0][turn % 5];
            turn += 1;
            let Some(batch) = holding[index].take() else {
                continue;
            };
            finished = route(
                coordinator.worker_replied(index, &serve_jobs(&batch)),
                &mut holding,
                &mut to_page,
            );
        }
        assert_eq!(to_page.last(), Some(&whole));
        let progress: Vec<u64> = to_page
            .iter()
            .filter_map(|text| match parse_reply(text) {
                Some(Reply::Progress { done, .. }) => Some(done),
                _ => None,
            })
            .collect();
        assert!(progress.len() > 2, "{progress:?}");
        assert!(
            progress.windows(2).all(|pair| pair[0] < pair[1]),
            "{progress:?}"
        );
        // Once ended, nothing more is sent.
        assert_eq!(coordinator.worker_ready(0), Outbox::default());
        assert!(Coordinator::start("nope", 2).is_none());
        assert!(Coordinator::start(r#"{"scenario": {"version": 1, "regions": []}}"#, 2).is_none());
    }

    /// A trial worker's errors end the plan with them, once.
    #[test]
    fn a_trial_workers_errors_end_the_plan() {
        let file = presets::load_file("multi-az").unwrap();
        let (mut coordinator, _) = Coordinator::start(&request(&file, 1, 3), 2).unwrap();
        assert_eq!(coordinator.worker_ready(0).to_workers.len(), 1);
        let outbox = coordinator.worker_replied(0, r#"{"errors": ["nodes[0]: broken"]}"#);
        assert!(outbox.finished);
        assert!(outbox.to_workers.is_empty());
        assert_eq!(
            outbox
                .to_page
                .iter()
                .map(|text| parse_reply(text))
                .collect::<Vec<_>>(),
            vec![Some(Reply::Failed(vec!["nodes[0]: broken".into()]))]
        );
        assert_eq!(
            coordinator.worker_replied(1, "{\"done\": []}"),
            Outbox::default()
        );
        assert_eq!(coordinator.abandon("late".into()), Outbox::default());
        let (mut coordinator, _) = Coordinator::start(&request(&file, 1, 3), 2).unwrap();
        let outbox = coordinator.abandon("a trial worker stopped".into());
        assert!(outbox.finished);
        assert_eq!(
            parse_reply(&outbox.to_page[0]),
            Some(Reply::Failed(vec!["a trial worker stopped".into()]))
        );
        assert_eq!(coordinator.worker_ready(1), Outbox::default());
        assert_eq!(trial_workers_for(1), 2);
        assert_eq!(trial_workers_for(4), 4);
        assert_eq!(trial_workers_for(64), TRIAL_WORKERS_MAX);
    }

    #[test]
    fn a_plan_worker_error_says_whether_it_had_started() {
        let before = worker_error_text(false, Some("Failed to fetch"));
        assert!(
            before.starts_with("The planner could not start"),
            "{before}"
        );
        assert!(
            before.ends_with("The browser said: Failed to fetch"),
            "{before}"
        );
        let after = worker_error_text(true, None);
        assert!(
            after.starts_with("The planner stopped with an error"),
            "{after}"
        );
        assert!(!after.contains("browser said"), "{after}");
        assert_eq!(worker_error_text(true, Some("")), after);
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
