//! `catapult-dr plan FILE [--trials N] [--seed N] [--json]`.

use crate::planner::{plan, PlanOptions};
use crate::report;
use crate::scenario::limits::TRIALS_MAX;

use super::{load_scenario, parse_arguments, parse_seed, CommandResult, EXIT_BAD_INPUT};

pub fn plan_command(arguments: &[String]) -> CommandResult {
    let usage = "catapult-dr plan FILE [--trials N] [--seed N] [--json | --csv | --markdown]";
    let bad = |stderr: String| CommandResult {
        stdout: String::new(),
        stderr,
        exit_code: EXIT_BAD_INPUT,
    };
    let parsed = match parse_arguments(
        arguments,
        &["--trials", "--seed"],
        &["--json", "--csv", "--markdown"],
        usage,
    ) {
        Ok(parsed) => parsed,
        Err(message) => return bad(message),
    };
    let scenario = match load_scenario(&parsed.file) {
        Ok(scenario) => scenario,
        Err(stderr) => return bad(stderr),
    };
    let mut options = PlanOptions::from_file(&scenario.file);
    if let Some(text) = parsed.value("--trials") {
        match text.parse::<u64>() {
            Ok(trials) if (1..=TRIALS_MAX).contains(&trials) => options.trials = trials,
            _ => {
                return bad(format!(
                    "--trials: use a whole number from 1 to {TRIALS_MAX}\n"
                ))
            }
        }
    }
    if let Some(text) = parsed.value("--seed") {
        match parse_seed(text) {
            Ok(seed) => options.seed = seed,
            Err(message) => return bad(message),
        }
    }
    match plan(&scenario.file, &options) {
        Ok(result) => {
            let stdout = if parsed.switch("--json") {
                let mut text =
                    serde_json::to_string_pretty(&report::plan_json(&result)).unwrap_or_default();
                text.push('\n');
                text
            } else if parsed.switch("--csv") {
                report::plan_csv(&result)
            } else if parsed.switch("--markdown") {
                report::plan_markdown(&result)
            } else {
                report::plan_text(&result)
            };
            CommandResult {
                stdout,
                stderr: String::new(),
                exit_code: 0,
            }
        }
        Err(errors) => bad(errors.iter().map(|error| format!("{error}\n")).collect()),
    }
}
