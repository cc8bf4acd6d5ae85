//! The planner: RTO and RPO for every recovery strategy and failure kind, as a
//! closed-form estimate ([`estimate`]) and as measured by Monte Carlo ([`measure`]),
//! with pass/fail against the user's targets and the cheapest strategy that meets them.
//!
//! Invariants: pure and deterministic (every trial is seeded from the plan seed, the
//! cell and the trial number); a cell the strategy cannot survive says so and carries no
//! number; estimate and measurement are both reported, and disagreement beyond the
//! tolerance is stated.

pub mod estimate;
pub mod hints;
pub mod measure;
pub mod pool;
pub mod strategy;

use crate::scenario::file::{FailureKind, ScenarioFile, TargetFile};
use crate::scenario::{validate, ScenarioError};

pub use estimate::Estimate;
pub use measure::{Distribution, TrialResult};
pub use strategy::{Deployment, Strategy};

/// Hours in the cost model's month.
pub const HOURS_PER_MONTH: f64 = 730.0;
/// Estimate and measured p95 may differ by this much before it is called out...
pub const TOLERANCE_MIN_MS: u64 = 60_000;
/// ...or by this share of the estimate, whichever is larger.
pub const TOLERANCE_PERCENT: u64 = 25;

/// How to run a plan.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    pub trials: u64,
    pub seed: u64,
    pub strategies: Vec<Strategy>,
    pub failures: Vec<FailureKind>,
    /// Run every trial to this horizon instead of the per-failure one (benchmarks).
    pub horizon_override_ms: Option<u64>,
}

impl PlanOptions {
    pub fn from_file(file: &ScenarioFile) -> PlanOptions {
        PlanOptions {
            trials: file.plan.trials,
            seed: file.seed,
            strategies: Strategy::ALL.to_vec(),
            failures: FailureKind::ALL.to_vec(),
            horizon_override_ms: None,
        }
    }
}

/// One strategy × failure cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub strategy: Strategy,
    pub failure: FailureKind,
    pub estimate: Estimate,
    pub trials: u64,
    pub recovered_trials: u64,
    pub survivable: bool,
    pub rto: Option<Distribution>,
    pub rpo: Option<Distribution>,
    pub rpo_finalized: Option<Distribution>,
    pub lost_confirmed: Option<Distribution>,
    /// The exposure window: from the failure until every node is back, synced and
    /// serving, over the trials that watched for it (the first
    /// [`measure::REDUNDANCY_TRIALS`]) and saw it happen; `None` when none did.
    pub redundancy: Option<Distribution>,
    /// Trials that watched for full redundancy.
    pub redundancy_trials: u64,
    /// With clients in every region: each region's measured RTO (the cell's `rto` is
    /// the worst region's, trial by trial).
    pub rto_by_region: Vec<(String, Distribution)>,
    /// How long clients were served by an API node behind the network (stale reads).
    pub stale_read: Option<Distribution>,
    /// The operator's remedy, as the trials applied it (or, when no trial ran, as the
    /// estimate expects it), in words.
    pub operator_action: Option<String>,
    /// What would make a failing cell pass, confirmed by re-planning the cell with
    /// the change applied (see `hints`); `None` when there is none.
    pub hint: Option<String>,
    pub meets_target: Option<bool>,
    /// Where estimate and measurement disagree, or trials failed.
    pub notes: Vec<String>,
    /// Where the estimate and the measurement disagree beyond the tolerance, in words
    /// (also among `notes`); `None` when they agree.
    pub disagreement: Option<String>,
}

/// Monthly cost of a strategy in the simple cost model (see `docs/rto-rpo.md`).
#[derive(Clone, Debug, PartialEq)]
pub struct StrategyCost {
    pub strategy: Strategy,
    pub running_nodes: usize,
    pub monthly_cost: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanResult {
    pub cells: Vec<Cell>,
    pub costs: Vec<StrategyCost>,
    pub recommendation: Option<Strategy>,
    pub recommendation_note: String,
    pub trials: u64,
    pub seed: u64,
    /// The currency of the costs (`plan.currency`).
    pub currency: String,
}

/// The cost model: running node-hours at the plan's price, plus snapshot storage.
pub fn cost_of(deployment: &Deployment) -> f64 {
    let plan = &deployment.file.plan;
    deployment.running_nodes as f64 * HOURS_PER_MONTH * plan.node_hour_price
        + deployment.backup_copies as f64
            * plan.restore.volume_size_gb as f64
            * plan.backup_gb_month_price
}

fn describe_ms(ms: u64) -> String {
    crate::scenario::duration::describe_duration(ms)
}

/// Measures one cell from its trial results.
pub fn summarize_cell(
    deployment: &Deployment,
    failure: FailureKind,
    estimate: Estimate,
    results: &[TrialResult],
    targets: &[TargetFile],
) -> Cell {
    let mut notes = Vec::new();
    let errors: Vec<&str> = results
        .iter()
        .filter_map(|result| result.error.as_deref())
        .collect();
    if let Some(first) = errors.first() {
        notes.push(format!("{} trial(s) failed to run: {first}", errors.len()));
    }
    let recovered: Vec<&TrialResult> = results
        .iter()
        .filter(|result| result.error.is_none() && result.rto_ms.is_some())
        .collect();
    let trials = results.len() as u64;
    let survivable = estimate.survivable && trials > 0 && recovered.len() as u64 == trials;
    let notes_before_comparison = notes.len();
    if estimate.survivable && trials > 0 && !survivable {
        notes.push(format!(
            "the estimate expects recovery, but the service was back in only {} of {trials} trials",
            recovered.len()
        ));
    }
    if !estimate.survivable && trials > 0 {
        notes.push(format!(
            "the service was back in {} of {trials} trials; the estimate expects no reliable recovery",
            recovered.len()
        ));
    }
    let rto = Distribution::of(
        &recovered
            .iter()
            .filter_map(|result| result.rto_ms)
            .collect::<Vec<_>>(),
    );
    let rpo = Distribution::of(
        &recovered
            .iter()
            .map(|result| result.rpo_ms)
            .collect::<Vec<_>>(),
    );
    // Trials where nothing had been finalized before the failure have no finalized RPO
    // (n/a, never 0).
    let finalized: Vec<u64> = recovered
        .iter()
        .filter_map(|result| result.rpo_finalized_ms)
        .collect();
    let rpo_finalized = deployment
        .file
        .chain
        .finalization
        .enabled
        .then(|| Distribution::of(&finalized))
        .flatten();
    let lost_confirmed = Distribution::of(
        &recovered
            .iter()
            .map(|result| result.lost_confirmed)
            .collect::<Vec<_>>(),
    );
    let watched: Vec<&TrialResult> = results
        .iter()
        .take(measure::REDUNDANCY_TRIALS as usize)
        .filter(|result| result.error.is_none())
        .collect();
    let redundancy_values: Vec<u64> = watched
        .iter()
        .filter_map(|result| result.redundancy_restored_ms)
        .collect();
    let redundancy = estimate
        .redundancy_returns
        .then(|| Distribution::of(&redundancy_values))
        .flatten();
    let stale_read = Distribution::of(
        &recovered
            .iter()
            .map(|result| result.stale_read_ms)
            .collect::<Vec<_>>(),
    );
    let region_ids: Vec<String> = deployment
        .file
        .regions
        .iter()
        .map(|region| region.id.clone())
        .collect();
    let mut client_regions: Vec<u16> = recovered
        .iter()
        .flat_map(|result| result.rto_by_region_ms.iter().map(|(region, _)| *region))
        .collect();
    crate::sort::sort(&mut client_regions);
    client_regions.dedup();
    let rto_by_region: Vec<(String, Distribution)> = client_regions
        .into_iter()
        .filter_map(|region| {
            let values: Vec<u64> = recovered
                .iter()
                .flat_map(|result| &result.rto_by_region_ms)
                .filter(|(candidate, _)| *candidate == region)
                .filter_map(|(_, rto)| *rto)
                .collect();
            Some((
                region_ids.get(region as usize)?.clone(),
                Distribution::of(&values)?,
            ))
        })
        .collect();
    let operated: Vec<&str> = results
        .iter()
        .filter_map(|result| result.operator_action.as_deref())
        .collect();
    let operator_action = match operated.first() {
        None if trials == 0 => estimate.operator_action.clone(),
        None => None,
        Some(first) if operated.len() as u64 == trials => Some(first.to_string()),
        Some(first) => Some(format!("in {} of {trials} trials: {first}", operated.len())),
    };
    let compare = |name: &str,
                   estimate_ms: Option<u64>,
                   measured: Option<Distribution>,
                   notes: &mut Vec<String>| {
        if let (Some(estimate_ms), Some(measured)) = (estimate_ms, measured) {
            let tolerance = TOLERANCE_MIN_MS.max(estimate_ms * TOLERANCE_PERCENT / 100);
            if measured.p95.abs_diff(estimate_ms) > tolerance {
                notes.push(format!(
                    "measured {name} p95 {} differs from the estimate {} by more than {}",
                    describe_ms(measured.p95),
                    describe_ms(estimate_ms),
                    describe_ms(tolerance)
                ));
            }
        }
    };
    if survivable {
        compare("RTO", estimate.rto_ms(), rto, &mut notes);
        compare("RPO", estimate.rpo_ms(), rpo, &mut notes);
        compare(
            "exposure window",
            estimate.redundancy_ms(),
            redundancy,
            &mut notes,
        );
        let never = watched.len() - redundancy_values.len();
        if estimate.redundancy_returns && never > 0 {
            notes.push(format!(
                "full redundancy did not return within the trial in {never} of {} trials that watched for it",
                watched.len()
            ));
        }
    }
    let disagreement = (notes.len() > notes_before_comparison)
        .then(|| notes[notes_before_comparison..].join("; "));
    if survivable {
        // Inputs are never passed off as measurements: name the assumed steps whose
        // durations the trials inject as fault durations.
        let mut assumed: Vec<&estimate::Step> = Vec::new();
        for step in estimate
            .rto_steps
            .iter()
            .chain(&estimate.rpo_steps)
            .chain(&estimate.redundancy_steps)
        {
            if step.assumed && step.duration_ms > 0 && !assumed.contains(&step) {
                assumed.push(step);
            }
        }
        if !assumed.is_empty() {
            notes.push(format!(
                "assumed, not simulated: {}; the trials inject these durations, so the measured figures include them",
                assumed
                    .iter()
                    .map(|step| format!("{} {}", step.label, describe_ms(step.duration_ms)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let meets_target = targets
        .iter()
        .find(|target| target.failure == failure)
        .map(|target| {
            if !estimate.applicable {
                return true;
            }
            // Both the estimate and the measurement must meet a target: the kinder of
            // the two is never picked.
            survivable
                && estimate.survivable
                && target.rto_ms.is_none_or(|limit| {
                    rto.is_some_and(|rto| rto.p95 <= limit)
                        && estimate.rto_ms().is_some_and(|estimate| estimate <= limit)
                })
                && target.rpo_ms.is_none_or(|limit| {
                    rpo.is_some_and(|rpo| rpo.p95 <= limit)
                        && estimate.rpo_ms().is_some_and(|estimate| estimate <= limit)
                })
        });
    Cell {
        strategy: deployment.strategy,
        failure,
        estimate,
        trials,
        recovered_trials: recovered.len() as u64,
        survivable,
        rto: if survivable { rto } else { None },
        rpo: if survivable { rpo } else { None },
        rpo_finalized: if survivable { rpo_finalized } else { None },
        lost_confirmed: if survivable { lost_confirmed } else { None },
        redundancy: if survivable { redundancy } else { None },
        redundancy_trials: watched.len() as u64,
        rto_by_region: if survivable {
            rto_by_region
        } else {
            Vec::new()
        },
        stale_read: if survivable { stale_read } else { None },
        operator_action,
        hint: None,
        meets_target,
        notes,
        disagreement,
    }
}

/// Runs one cell: its estimate, then its trials (none when the estimate already says
/// the strategy cannot survive, or the failure has nothing to act on).
/// A cell that needs no trials: nothing survives it, or it has nothing to act on.
pub fn unsimulated_cell(
    deployment: &Deployment,
    failure: FailureKind,
    estimate: &Estimate,
    targets: &[TargetFile],
) -> Option<Cell> {
    if !estimate.structurally_lost && estimate.applicable {
        return None;
    }
    let mut cell = summarize_cell(deployment, failure, estimate.clone(), &[], targets);
    cell.survivable = estimate.survivable;
    let zero = Distribution {
        p50: 0,
        p95: 0,
        max: 0,
    };
    if !estimate.applicable {
        cell.rto = Some(zero);
        cell.rpo = Some(zero);
        cell.notes
            .push("not simulated: the failure has nothing to act on in this strategy".into());
    } else {
        cell.notes
            .push("not simulated: nothing survives this failure in this strategy".into());
    }
    Some(cell)
}

pub fn run_cell(deployment: &Deployment, failure: FailureKind, options: &PlanOptions) -> Cell {
    let estimate = estimate::estimate(deployment, failure);
    let targets = deployment.file.plan.targets.clone();
    if let Some(cell) = unsimulated_cell(deployment, failure, &estimate, &targets) {
        return cell;
    }
    let results = measure::run_trials(
        deployment,
        &estimate,
        failure,
        options.seed,
        0..options.trials,
        options.horizon_override_ms,
    );
    summarize_cell(deployment, failure, estimate, &results, &targets)
}

/// Picks the cheapest strategy whose every cell meets its target.
pub fn recommend(
    cells: &[Cell],
    costs: &[StrategyCost],
    targets: &[TargetFile],
    currency: &str,
) -> (Option<Strategy>, String) {
    if targets.is_empty() {
        return (
            None,
            "set RTO/RPO targets (plan.targets) to get a recommendation".into(),
        );
    }
    let mut by_cost: Vec<&StrategyCost> = costs.iter().collect();
    crate::sort::sort_by(&mut by_cost, |first, second| {
        first.monthly_cost.total_cmp(&second.monthly_cost)
    });
    for cost in by_cost {
        let strategy_cells: Vec<&Cell> = cells
            .iter()
            .filter(|cell| cell.strategy == cost.strategy)
            .collect();
        let targeted: Vec<&&Cell> = strategy_cells
            .iter()
            .filter(|cell| cell.meets_target.is_some())
            .collect();
        if !targeted.is_empty() && targeted.iter().all(|cell| cell.meets_target == Some(true)) {
            return (
                Some(cost.strategy),
                format!(
                    "{} is the cheapest strategy that meets every target ({:.0} {currency} a month)",
                    cost.strategy.as_str(),
                    cost.monthly_cost
                ),
            );
        }
    }
    (
        None,
        "no strategy meets every target: relax a target or change the deployment".into(),
    )
}

/// What planning needs beyond a valid scenario: a running roster to arrange (standby
/// nodes are a strategy's copies, not the deployment), and room to copy it to a second
/// region within the node cap.
pub fn check_plannable(scenario: &crate::scenario::Scenario) -> Result<(), Vec<ScenarioError>> {
    let running: Vec<_> = scenario.nodes.iter().filter(|node| !node.standby).collect();
    let mut errors = Vec::new();
    if !running.iter().any(|node| node.harvests()) {
        errors.push(ScenarioError::new(
            "regions",
            "planning arranges the running nodes, and no running PEER or DUAL node has stake \
             (they are all standby): mark at least one such node \"standby\": false",
        ));
    }
    if scenario.clients.transactions_per_second > 0.0
        && !running.iter().any(|node| node.role.has_api())
    {
        errors.push(ScenarioError::new(
            "regions",
            "planning measures client writes, and every API or DUAL node is standby: \
             mark one \"standby\": false, or set clients.transactions_per_second to 0",
        ));
    }
    let cap = crate::scenario::limits::NODES_MAX / 2;
    if running.len() > cap {
        errors.push(ScenarioError::new(
            "regions",
            format!(
                "{} running nodes: planning copies them to a second region (backup standby, \
                 active/active), so it takes at most {cap}; plan a smaller roster",
                running.len()
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Plans a scenario: every strategy × failure cell, costs and a recommendation.
/// Checks the file and lays out each strategy's deployment with its cost: what both
/// [`plan`] and [`PlanRunner`] start from. A layout that fails validation names the
/// strategy in its errors.
pub fn prepare(
    file: &ScenarioFile,
    options: &PlanOptions,
) -> Result<(Vec<Deployment>, Vec<StrategyCost>), Vec<ScenarioError>> {
    let scenario = validate(file)?;
    check_plannable(&scenario)?;
    let mut deployments = Vec::new();
    let mut costs = Vec::new();
    for &strategy in &options.strategies {
        let deployment = strategy::derive(strategy, file);
        if let Err(errors) = validate(&deployment.file) {
            return Err(errors
                .into_iter()
                .map(|error| {
                    ScenarioError::new(
                        error.path,
                        format!("{} (in the {} layout)", error.message, strategy.as_str()),
                    )
                })
                .collect());
        }
        costs.push(StrategyCost {
            strategy,
            running_nodes: deployment.running_nodes,
            monthly_cost: cost_of(&deployment),
        });
        deployments.push(deployment);
    }
    Ok((deployments, costs))
}

pub fn plan(file: &ScenarioFile, options: &PlanOptions) -> Result<PlanResult, Vec<ScenarioError>> {
    let (deployments, costs) = prepare(file, options)?;
    let mut cells = Vec::new();
    for deployment in &deployments {
        for &failure in &options.failures {
            cells.push(run_cell(deployment, failure, options));
        }
    }
    for cell in &mut cells {
        cell.hint = hints::confirmed_hint(file, cell, options);
    }
    let (recommendation, recommendation_note) =
        recommend(&cells, &costs, &file.plan.targets, &file.plan.currency);
    Ok(PlanResult {
        cells,
        costs,
        recommendation,
        recommendation_note,
        trials: options.trials,
        seed: options.seed,
        currency: file.plan.currency.clone(),
    })
}

#[cfg(test)]
mod runner_tests {
    use super::*;
    use crate::scenario::presets;

    /// Finalized RPO is n/a when no trial had a finalized block before its failure,
    /// never 0 (issue 12 definition 2).
    #[test]
    fn finalized_rpo_is_not_applicable_without_a_finalized_block_before_the_failure() {
        let file = presets::load_file("active-active").unwrap();
        assert!(file.chain.finalization.enabled);
        let deployment = strategy::derive(Strategy::ActiveActive, &file);
        let estimate = estimate::estimate(&deployment, FailureKind::Node);
        let trial = |rpo_finalized_ms| TrialResult {
            failure_at_ms: 3_600_000,
            horizon_ms: 7_200_000,
            rto_ms: Some(0),
            rpo_ms: 0,
            rpo_finalized_ms,
            lost_confirmed: 0,
            redundancy_restored_ms: Some(60_000),
            stale_read_ms: 0,
            operator_action: None,
            rto_by_region_ms: Vec::new(),
            error: None,
        };
        let none = summarize_cell(
            &deployment,
            FailureKind::Node,
            estimate.clone(),
            &[trial(None), trial(None)],
            &[],
        );
        assert_eq!(none.rpo_finalized, None);
        let some = summarize_cell(
            &deployment,
            FailureKind::Node,
            estimate,
            &[trial(None), trial(Some(0))],
            &[],
        );
        assert_eq!(
            some.rpo_finalized.map(|distribution| distribution.max),
            Some(0)
        );
    }

    /// Jobs run one after another in plan order give exactly what `plan` gives (the
    /// pool's own test scrambles the order).
    #[test]
    fn the_pool_run_in_order_gives_exactly_what_plan_gives() {
        let mut file = presets::load_file("multi-az").unwrap();
        file.plan.targets = vec![TargetFile {
            failure: FailureKind::Az,
            rto_ms: Some(300_000),
            rpo_ms: Some(60_000),
        }];
        let options = PlanOptions {
            trials: 3,
            seed: 4,
            strategies: vec![Strategy::SingleAz, Strategy::MultiAz],
            failures: vec![FailureKind::Az, FailureKind::Region],
            horizon_override_ms: None,
        };
        let mut pool = pool::PlanPool::new(&file, options.clone()).unwrap();
        // Two simulated cells of 3 trials; the region cells are not simulated.
        assert_eq!(pool.progress(), (0, 6));
        while let Some(job) = pool.next_job() {
            let result = pool::run_job(&job).unwrap();
            pool.accept(&job, result);
        }
        assert!(pool.is_finished());
        assert_eq!(pool.progress(), (6, 6));
        assert_eq!(pool.finish(), plan(&file, &options).unwrap());
    }
}
