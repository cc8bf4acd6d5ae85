//! A plan split into independent jobs, so several threads (the browser's Web Workers)
//! can run its trials at once while one place assembles the result. A job is one trial:
//! of a cell, or of a hint candidate's re-planned cell. Jobs carry everything a worker
//! needs to run them ([`run_job`]); [`PlanPool`] hands them out, takes their results in
//! any order and gives exactly what [`super::plan`] gives for the same file and
//! options.
//!
//! Invariants: a trial's result depends only on its seed (plan seed, strategy, failure,
//! trial number), so where and in which order jobs run changes nothing; a cell is
//! summarized from its trials in trial order; a failing cell's hint is the first of its
//! candidates, in [`super::hints::candidates`] order, whose re-planned cell passes.

use serde::{Deserialize, Serialize};

use crate::scenario::file::{FailureKind, ScenarioFile, TargetFile};
use crate::scenario::ScenarioError;

use super::estimate::Estimate;
use super::hints::{self, Candidate};
use super::measure::{self, TrialResult};
use super::strategy::{Deployment, Strategy};
use super::{summarize_cell, unsimulated_cell, Cell, PlanOptions, PlanResult, StrategyCost};

/// One trial to run somewhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Which cell (position in the plan's cell order) and, for a hint, which of its
    /// candidates.
    pub cell: usize,
    pub candidate: Option<usize>,
    pub trial: u64,
    /// The drawing to plan: the user's for a cell, the changed one for a hint.
    pub scenario: serde_json::Value,
    pub strategy: String,
    pub failure: String,
    pub seed: u64,
}

/// Runs one job (on a worker). The drawing is laid out for the strategy and the trial
/// seeded exactly as [`super::run_cell`] seeds it.
pub fn run_job(job: &Job) -> Result<TrialResult, Vec<ScenarioError>> {
    let file = crate::scenario::decode::decode(&job.scenario)?;
    let strategy = Strategy::parse(&job.strategy)
        .ok_or_else(|| vec![ScenarioError::new("strategy", "unknown strategy")])?;
    let failure = FailureKind::ALL
        .into_iter()
        .find(|failure| failure.as_str() == job.failure)
        .ok_or_else(|| vec![ScenarioError::new("failure", "unknown failure")])?;
    let deployment = super::strategy::derive(strategy, &file);
    let estimate = super::estimate::estimate(&deployment, failure);
    let seed = measure::trial_seed(job.seed, strategy, failure, job.trial);
    Ok(measure::run_trial(
        &deployment,
        &estimate,
        failure,
        seed,
        None,
        job.trial < measure::REDUNDANCY_TRIALS,
    ))
}

/// A cell (or a hint candidate's cell) waiting for its trials.
struct Pending {
    deployment: Deployment,
    failure: FailureKind,
    estimate: Estimate,
    results: Vec<Option<TrialResult>>,
}

impl Pending {
    fn complete(&self) -> bool {
        self.results.iter().all(Option::is_some)
    }

    fn summarize(&self, targets: &[TargetFile]) -> Cell {
        let results: Vec<TrialResult> = self.results.iter().flatten().cloned().collect();
        summarize_cell(
            &self.deployment,
            self.failure,
            self.estimate.clone(),
            &results,
            targets,
        )
    }
}

/// A failing cell's hint candidates, each re-planned by trials.
struct HintSearch {
    candidates: Vec<Candidate>,
    /// `None` for a candidate that cannot be planned (it never passes).
    pending: Vec<Option<Pending>>,
    /// Whether each candidate's cell meets the target, once known.
    passes: Vec<Option<bool>>,
}

/// Hands out a plan's jobs and assembles the result.
pub struct PlanPool {
    base: ScenarioFile,
    options: PlanOptions,
    targets: Vec<TargetFile>,
    costs: Vec<StrategyCost>,
    /// One per cell, in the plan's order: the summarized cell once known.
    cells: Vec<Option<Cell>>,
    pending: Vec<Option<Pending>>,
    hint_searches: Vec<Option<HintSearch>>,
    /// Jobs not handed out yet (the next is last).
    queue: Vec<Job>,
    hints_queued: bool,
    done_jobs: u64,
    total_jobs: u64,
}

impl PlanPool {
    pub fn new(file: &ScenarioFile, options: PlanOptions) -> Result<PlanPool, Vec<ScenarioError>> {
        let (deployments, costs) = super::prepare(file, &options)?;
        let targets = file.plan.targets.clone();
        let base_json = crate::scenario::file::encode(file);
        let mut cells = Vec::new();
        let mut pending = Vec::new();
        let mut queue = Vec::new();
        for deployment in deployments {
            for &failure in &options.failures {
                let estimate = super::estimate::estimate(&deployment, failure);
                if let Some(cell) = unsimulated_cell(&deployment, failure, &estimate, &targets) {
                    cells.push(Some(cell));
                    pending.push(None);
                    continue;
                }
                let position = cells.len();
                for trial in 0..options.trials {
                    queue.push(Job {
                        cell: position,
                        candidate: None,
                        trial,
                        scenario: base_json.clone(),
                        strategy: deployment.strategy.as_str().to_string(),
                        failure: failure.as_str().to_string(),
                        seed: options.seed,
                    });
                }
                cells.push(None);
                pending.push(Some(Pending {
                    deployment: deployment.clone(),
                    failure,
                    estimate,
                    results: vec![None; options.trials as usize],
                }));
            }
        }
        queue.reverse();
        let total_jobs = queue.len() as u64;
        let cell_count = cells.len();
        let mut pool = PlanPool {
            base: file.clone(),
            options,
            targets,
            costs,
            cells,
            pending,
            hint_searches: (0..cell_count).map(|_| None).collect(),
            queue,
            hints_queued: false,
            done_jobs: 0,
            total_jobs,
        };
        pool.queue_hints_when_ready();
        Ok(pool)
    }

    /// Jobs done and in all (the total grows once the hints are known).
    pub fn progress(&self) -> (u64, u64) {
        (self.done_jobs, self.total_jobs)
    }

    /// The next job to hand out, if any is ready. `None` with [`PlanPool::is_finished`]
    /// false means: wait for results (the hints depend on every cell).
    pub fn next_job(&mut self) -> Option<Job> {
        self.queue.pop()
    }

    /// Once every cell is known, the hint candidates' jobs are queued (once).
    fn queue_hints_when_ready(&mut self) {
        if !self.hints_queued && self.cells.iter().all(Option::is_some) {
            self.queue_hints();
        }
    }

    pub fn is_finished(&self) -> bool {
        self.hints_queued
            && self.queue.is_empty()
            && self.done_jobs == self.total_jobs
            && self.cells.iter().all(Option::is_some)
    }

    fn queue_hints(&mut self) {
        self.hints_queued = true;
        // Hint jobs go behind any still queued (none: every cell is known).
        for position in 0..self.cells.len() {
            let cell = self.cells[position].as_ref().expect("every cell is known");
            if cell.meets_target != Some(false) {
                continue;
            }
            let candidates = hints::candidates(&self.base, cell);
            if candidates.is_empty() {
                continue;
            }
            let (strategy, failure) = (cell.strategy, cell.failure);
            let mut pending = Vec::new();
            let mut passes = Vec::new();
            for (index, candidate) in candidates.iter().enumerate() {
                match hints::prepare_candidate(candidate, strategy, failure) {
                    None => {
                        pending.push(None);
                        passes.push(Some(false));
                    }
                    Some((deployment, estimate)) => {
                        if let Some(cell) =
                            unsimulated_cell(&deployment, failure, &estimate, &self.targets)
                        {
                            pending.push(None);
                            passes.push(Some(cell.meets_target == Some(true)));
                            continue;
                        }
                        let scenario = crate::scenario::file::encode(&candidate.file);
                        for trial in 0..self.options.trials {
                            self.queue.push(Job {
                                cell: position,
                                candidate: Some(index),
                                trial,
                                scenario: scenario.clone(),
                                strategy: strategy.as_str().to_string(),
                                failure: failure.as_str().to_string(),
                                seed: self.options.seed,
                            });
                            self.total_jobs += 1;
                        }
                        pending.push(Some(Pending {
                            deployment,
                            failure,
                            estimate,
                            results: vec![None; self.options.trials as usize],
                        }));
                        passes.push(None);
                    }
                }
            }
            self.hint_searches[position] = Some(HintSearch {
                candidates,
                pending,
                passes,
            });
            self.settle_hint(position);
        }
        self.queue.reverse();
    }

    /// Takes a job's result (in any order).
    pub fn accept(&mut self, job: &Job, result: TrialResult) {
        let trial = job.trial as usize;
        match job.candidate {
            None => {
                let Some(pending) = self.pending[job.cell].as_mut() else {
                    return;
                };
                if pending.results[trial].is_some() {
                    return;
                }
                pending.results[trial] = Some(result);
                self.done_jobs += 1;
                if pending.complete() {
                    self.cells[job.cell] = Some(pending.summarize(&self.targets));
                    self.pending[job.cell] = None;
                    self.queue_hints_when_ready();
                }
            }
            Some(candidate) => {
                let targets = self.targets.clone();
                let Some(search) = self.hint_searches[job.cell].as_mut() else {
                    return;
                };
                let Some(pending) = search.pending[candidate].as_mut() else {
                    return;
                };
                if pending.results[trial].is_some() {
                    return;
                }
                pending.results[trial] = Some(result);
                self.done_jobs += 1;
                if pending.complete() {
                    search.passes[candidate] =
                        Some(pending.summarize(&targets).meets_target == Some(true));
                    search.pending[candidate] = None;
                }
                self.settle_hint(job.cell);
            }
        }
    }

    /// The first candidate that passes, once every candidate before it is known.
    fn settle_hint(&mut self, position: usize) {
        let Some(search) = &self.hint_searches[position] else {
            return;
        };
        let mut chosen = None;
        for (index, passes) in search.passes.iter().enumerate() {
            match passes {
                Some(true) => {
                    chosen = Some(index);
                    break;
                }
                Some(false) => continue,
                None => return,
            }
        }
        let cell = self.cells[position]
            .as_mut()
            .expect("hinted cells are known");
        cell.hint = chosen.map(|index| hints::hint_text(&search.candidates[index], cell));
    }

    /// The result; call once [`PlanPool::is_finished`].
    pub fn finish(self) -> PlanResult {
        let cells: Vec<Cell> = self.cells.into_iter().flatten().collect();
        let (recommendation, recommendation_note) =
            super::recommend(&cells, &self.costs, &self.targets, &self.base.plan.currency);
        PlanResult {
            cells,
            costs: self.costs,
            recommendation,
            recommendation_note,
            trials: self.options.trials,
            seed: self.options.seed,
            currency: self.base.plan.currency.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::presets;

    /// Jobs run in a scrambled order on "two workers" give exactly what `plan` gives,
    /// hints included.
    #[test]
    fn jobs_in_any_order_give_exactly_what_plan_gives() {
        let mut file = presets::load_file("multi-az").unwrap();
        for region in &mut file.regions {
            for az in &mut region.azs {
                az.nodes
                    .retain(|node| !node.role.has_peer() || node.id == "peer1");
            }
        }
        file.plan.targets = vec![TargetFile {
            failure: FailureKind::Node,
            rto_ms: Some(300_000),
            rpo_ms: None,
        }];
        let options = PlanOptions {
            trials: 3,
            seed: 8,
            strategies: vec![Strategy::SingleAz, Strategy::MultiAz],
            failures: vec![FailureKind::Node, FailureKind::Region],
            horizon_override_ms: None,
        };
        let direct = super::super::plan(&file, &options).unwrap();
        assert!(direct.cells.iter().any(|cell| cell.hint.is_some()));
        let mut pool = PlanPool::new(&file, options).unwrap();
        let mut in_flight: Vec<Job> = Vec::new();
        let mut turn = 0u64;
        while !pool.is_finished() {
            // Hand out up to three jobs, then finish them last-first (out of order).
            while in_flight.len() < 3 {
                match pool.next_job() {
                    Some(job) => in_flight.push(job),
                    None => break,
                }
            }
            assert!(!in_flight.is_empty(), "no job and not finished");
            let job = if turn % 2 == 0 {
                in_flight.pop().unwrap()
            } else {
                in_flight.remove(0)
            };
            turn += 1;
            let wire = serde_json::to_string(&job).unwrap();
            let job: Job = serde_json::from_str(&wire).unwrap();
            let result = run_job(&job).unwrap();
            let wire = serde_json::to_string(&result).unwrap();
            pool.accept(&job, serde_json::from_str(&wire).unwrap());
        }
        let (done, total) = pool.progress();
        assert_eq!(done, total);
        assert_eq!(pool.finish(), direct);
    }
}
