//! The native command line: `catapult-dr validate|presets|preset|simulate|plan|extract`.
//!
//! Exit codes: 0 success; 1 a run failed (a limit was hit); 2 bad input (a file that
//! does not read or validate, or bad arguments). Errors go to stderr as
//! `PATH: message` lines; results go to stdout.

pub mod plan;

use std::io::Read;

use crate::export;
use crate::report;
use crate::scenario::{self, duration::parse_duration, presets, ScenarioError};
use crate::sim::{self, SimulationOptions};

/// Exit code for bad input.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for a run that failed.
pub const EXIT_RUN_FAILED: i32 = 1;

const HELP: &str = "\
Catapult DR Planner: simulate mijin Catapult (v.2) / Symbol deployments, break them,
and measure RTO and RPO for each recovery strategy.

Usage:
  catapult-dr validate FILE
  catapult-dr presets
  catapult-dr preset NAME
  catapult-dr simulate FILE [--seed N] [--duration D] [--json]
  catapult-dr plan FILE [--trials N] [--seed N] [--json | --csv | --markdown]
  catapult-dr extract PICTURE
  catapult-dr --help | --version

FILE is a scenario JSON file, or - for standard input. extract prints the scenario
inside an SVG or PNG exported from the app.
Durations are written 90s, 15m, 2h or 1d.
Exit status: 0 ok, 1 the run failed, 2 bad input or arguments.
";

/// The outcome of one command: what to print and how to exit.
pub struct CommandResult {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CommandResult {
    fn ok(stdout: String) -> CommandResult {
        CommandResult {
            stdout,
            stderr: String::new(),
            exit_code: 0,
        }
    }

    fn bad_input(stderr: String) -> CommandResult {
        CommandResult {
            stdout: String::new(),
            stderr,
            exit_code: EXIT_BAD_INPUT,
        }
    }
}

/// Runs the command line with arguments (without the program name).
pub fn run(arguments: &[String]) -> CommandResult {
    let Some(command) = arguments.first() else {
        return CommandResult::bad_input(format!("no command given\n\n{HELP}"));
    };
    let rest = &arguments[1..];
    match command.as_str() {
        "--help" | "-h" | "help" => CommandResult::ok(HELP.to_string()),
        "--version" | "-V" => CommandResult::ok(format!("catapult-dr {}\n", crate::VERSION)),
        "validate" => validate(rest),
        "presets" => CommandResult::ok(
            presets::PRESETS
                .iter()
                .map(|preset| format!("{:<20} {}\n", preset.name, preset.summary))
                .collect(),
        ),
        "preset" => match rest {
            [name] => match presets::find(name) {
                Some(preset) => CommandResult::ok(preset.json.to_string()),
                None => CommandResult::bad_input(format!(
                    "no preset \"{name}\": run `catapult-dr presets` for the list\n"
                )),
            },
            _ => CommandResult::bad_input("usage: catapult-dr preset NAME\n".to_string()),
        },
        "simulate" => simulate(rest),
        "extract" => extract(rest),
        "plan" => plan::plan_command(rest),
        other => CommandResult::bad_input(format!("unknown command \"{other}\"\n\n{HELP}")),
    }
}

/// Reads a file (or `-` for stdin) as bytes, with the read error as a `$` error. Reads
/// at most one byte past `cap_bytes`, so an endless input cannot exhaust memory; `advice`
/// ends the message for an input over the cap.
pub fn read_bytes(path: &str, cap_bytes: usize, advice: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let source: Result<Box<dyn Read>, std::io::Error> = if path == "-" {
        Ok(Box::new(std::io::stdin()))
    } else {
        std::fs::File::open(path).map(|file| Box::new(file) as Box<dyn Read>)
    };
    let read = source.and_then(|reader| reader.take(cap_bytes as u64 + 1).read_to_end(&mut bytes));
    if let Err(error) = read {
        return Err(format!(
            "$: cannot read {path}: {error}: check the path and that it is a readable file"
        ));
    }
    if bytes.len() > cap_bytes {
        return Err(format!(
            "$: the input is over the {cap_bytes} byte limit: {advice}"
        ));
    }
    Ok(bytes)
}

/// Reads a scenario file (or `-` for stdin), with the read error as a `$` error. Reads
/// at most one byte past the size cap, so an endless input cannot exhaust memory.
pub fn read_input(path: &str) -> Result<String, String> {
    let bytes = read_bytes(
        path,
        scenario::limits::FILE_BYTES_MAX,
        "remove unused faults or nodes",
    )?;
    String::from_utf8(bytes)
        .map_err(|_| format!("$: {path} is not UTF-8 text: save the scenario as UTF-8 JSON"))
}

/// `extract FILE`: prints the scenario JSON embedded in an SVG or PNG exported by the
/// app, exactly as embedded (pipe it to `validate -` to check it).
fn extract(arguments: &[String]) -> CommandResult {
    let [path] = arguments else {
        return CommandResult::bad_input("usage: catapult-dr extract PICTURE\n".to_string());
    };
    let bytes = match read_bytes(
        path,
        scenario::limits::PICTURE_BYTES_MAX,
        "export a smaller picture",
    ) {
        Ok(bytes) => bytes,
        Err(message) => return CommandResult::bad_input(format!("{message}\n")),
    };
    let extracted = match export::file_kind(&bytes) {
        export::FileKind::Png => export::extract_scenario_from_png(&bytes),
        export::FileKind::Svg => match std::str::from_utf8(&bytes) {
            Ok(text) => export::extract_scenario_from_svg(text),
            Err(_) => Err(export::ExportError::NotSvg("it is not UTF-8 text".into())),
        },
        export::FileKind::OtherPicture(format) => {
            return CommandResult::bad_input(format!(
                "$: {path} is a {format} picture, which cannot carry a scenario: \
                 use an SVG or PNG exported from the app's Export menu\n"
            ))
        }
        export::FileKind::Text => {
            return CommandResult::bad_input(format!(
                "$: {path} is not an SVG or PNG picture: `extract` reads pictures exported from the app; \
                 a scenario JSON file can be used as it is\n"
            ))
        }
    };
    match extracted {
        Ok(mut json) => {
            if !json.ends_with('\n') {
                json.push('\n');
            }
            CommandResult::ok(json)
        }
        Err(error) => CommandResult::bad_input(format!("$: {path}: {error}\n")),
    }
}

fn error_lines(errors: &[ScenarioError]) -> String {
    errors.iter().map(|error| format!("{error}\n")).collect()
}

/// Loads and checks a scenario, or gives the stderr text for bad input.
pub fn load_scenario(path: &str) -> Result<scenario::Scenario, String> {
    let text = read_input(path).map_err(|message| format!("{message}\n"))?;
    scenario::load(&text).map_err(|errors| error_lines(&errors))
}

fn validate(arguments: &[String]) -> CommandResult {
    let [path] = arguments else {
        return CommandResult::bad_input("usage: catapult-dr validate FILE\n".to_string());
    };
    match load_scenario(path) {
        Ok(_) => CommandResult::ok("ok\n".to_string()),
        Err(stderr) => CommandResult::bad_input(stderr),
    }
}

/// Splits `FILE [--flag value]... [--switch]...` for the given flags and switches.
pub struct ParsedArguments {
    pub file: String,
    pub values: Vec<(String, String)>,
    pub switches: Vec<String>,
}

impl ParsedArguments {
    pub fn value(&self, flag: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| name == flag)
            .map(|(_, value)| value.as_str())
    }

    pub fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|switch| switch == name)
    }
}

pub fn parse_arguments(
    arguments: &[String],
    flags: &[&str],
    switches: &[&str],
    usage: &str,
) -> Result<ParsedArguments, String> {
    let mut file = None;
    let mut values = Vec::new();
    let mut found_switches = Vec::new();
    let mut index = 0;
    while index < arguments.len() {
        let argument = &arguments[index];
        if flags.contains(&argument.as_str()) {
            let Some(value) = arguments.get(index + 1) else {
                return Err(format!("{argument} needs a value\nusage: {usage}\n"));
            };
            values.push((argument.clone(), value.clone()));
            index += 2;
            continue;
        }
        if switches.contains(&argument.as_str()) {
            found_switches.push(argument.clone());
        } else if argument.starts_with("--") {
            return Err(format!("unknown option {argument}\nusage: {usage}\n"));
        } else if file.is_none() {
            file = Some(argument.clone());
        } else {
            return Err(format!(
                "unexpected argument \"{argument}\"\nusage: {usage}\n"
            ));
        }
        index += 1;
    }
    let Some(file) = file else {
        return Err(format!("no scenario file given\nusage: {usage}\n"));
    };
    Ok(ParsedArguments {
        file,
        values,
        switches: found_switches,
    })
}

/// Parses `--seed N`.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    text.parse::<u64>().map_err(|_| {
        format!(
            "--seed: \"{text}\" is not a whole number from 0 to {}\n",
            u64::MAX
        )
    })
}

fn simulate(arguments: &[String]) -> CommandResult {
    let usage = "catapult-dr simulate FILE [--seed N] [--duration D] [--json]";
    let parsed = match parse_arguments(arguments, &["--seed", "--duration"], &["--json"], usage) {
        Ok(parsed) => parsed,
        Err(message) => return CommandResult::bad_input(message),
    };
    let scenario = match load_scenario(&parsed.file) {
        Ok(scenario) => scenario,
        Err(stderr) => return CommandResult::bad_input(stderr),
    };
    let mut options = SimulationOptions::from_scenario(&scenario);
    options.keep_trace = false;
    if let Some(text) = parsed.value("--seed") {
        match parse_seed(text) {
            Ok(seed) => options.seed = seed,
            Err(message) => return CommandResult::bad_input(message),
        }
    }
    if let Some(text) = parsed.value("--duration") {
        match parse_duration(text) {
            Ok(ms) if (1_000..=scenario::limits::DURATION_MAX_MS).contains(&ms) => {
                options.duration_ms = ms
            }
            Ok(_) => {
                return CommandResult::bad_input(format!(
                    "--duration: use a duration from 1s to {}\n",
                    scenario::duration::format_duration(scenario::limits::DURATION_MAX_MS)
                ))
            }
            Err(message) => return CommandResult::bad_input(format!("--duration: {message}\n")),
        }
    }
    match sim::simulate_with(&scenario, options) {
        Ok(outcome) => {
            if parsed.switch("--json") {
                let mut text = serde_json::to_string_pretty(&report::simulation_json(&outcome))
                    .unwrap_or_default();
                text.push('\n');
                CommandResult::ok(text)
            } else {
                CommandResult::ok(report::simulation_text(&outcome))
            }
        }
        Err(error) => CommandResult {
            stdout: String::new(),
            stderr: format!("{error}\n"),
            exit_code: EXIT_RUN_FAILED,
        },
    }
}
