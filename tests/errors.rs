//! The catalogue of bad inputs in `docs/errors.md`, one test per row, through the real
//! `catapult-dr` binary.
//!
//! Each scenario row starts from the `multi-az` preset and changes one thing, so that the
//! error it expects is the only one. Every row checks the contract of bad input: exit
//! status 2, nothing on stdout, no panic, every stderr line of the form `PATH: message`,
//! and a line that starts with the expected path and contains the expected phrases (the
//! problem and, where the message has one, what to do).
//!
//! Rows for defects found while writing the catalogue (now fixed) are listed in
//! `docs/errors.md` under "Fixed defects".

#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use catapult_dr::scenario::limits;
use serde_json::{json, Value};

const PRESET: &str = include_str!("../static/scenarios/multi-az.json");
const CATALOGUE: &str = include_str!("../docs/errors.md");
const LIMITS_SOURCE: &str = include_str!("../scenario/src/limits.rs");

/// Longer than any bad input should take: a run past this counts as a hang.
const HANG_AFTER: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------
// Running the binary

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the binary with optional standard input, failing the test if it hangs.
fn run_with_input(arguments: &[&str], input: Option<Vec<u8>>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_catapult-dr"))
        .args(arguments)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let writer = child.stdin.take().map(|mut stdin| {
        let bytes = input.unwrap_or_default();
        // A binary that stops reading early closes the pipe: that is not an error here.
        std::thread::spawn(move || stdin.write_all(&bytes).is_ok())
    });
    let mut stdout = child.stdout.take().expect("stdout piped");
    let mut stderr = child.stderr.take().expect("stderr piped");
    let stdout_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let stderr_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the binary can be waited on") {
            break status;
        }
        if started.elapsed() > HANG_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            panic!("catapult-dr {arguments:?} hung for more than {HANG_AFTER:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    Output {
        status,
        stdout: stdout_reader.join().expect("stdout read"),
        stderr: stderr_reader.join().expect("stderr read"),
    }
}

fn run(arguments: &[&str]) -> Output {
    run_with_input(arguments, None)
}

fn temp_path(row: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "catapult-dr-errors-{}-{row}.json",
        std::process::id()
    ))
}

/// Writes `contents` to a temporary file, runs `arguments` with the file name in place
/// of `FILE`, and removes the file.
fn run_on_file(row: &str, contents: impl AsRef<[u8]>, arguments: &[&str]) -> Output {
    let path = temp_path(row);
    std::fs::write(&path, contents).expect("temp file written");
    let path_text = path.to_str().expect("temp path is UTF-8").to_string();
    let arguments: Vec<&str> = arguments
        .iter()
        .map(|argument| {
            if *argument == "FILE" {
                path_text.as_str()
            } else {
                argument
            }
        })
        .collect();
    let output = run(&arguments);
    let _ = std::fs::remove_file(&path);
    output
}

// ---------------------------------------------------------------------------------------
// Building inputs

fn preset() -> Value {
    serde_json::from_str(PRESET).expect("the multi-az preset is JSON")
}

/// The preset with one change, as JSON text.
fn with(change: impl FnOnce(&mut Value)) -> String {
    let mut value = preset();
    change(&mut value);
    serde_json::to_string_pretty(&value).expect("serializes")
}

/// The preset's text with one literal replaced, for numbers serde_json cannot hold.
fn preset_replacing(from: &str, to: &str) -> String {
    assert!(
        PRESET.contains(from),
        "the preset no longer contains {from:?}"
    );
    PRESET.replacen(from, to, 1)
}

/// `regions[0].azs[AZ].nodes[INDEX]` of the preset: AZ 0 holds peer1, peer2, api1;
/// AZ 1 holds peer3, api2.
fn node(value: &mut Value, az: usize, index: usize) -> &mut Value {
    &mut value["regions"][0]["azs"][az]["nodes"][index]
}

fn remove(value: &mut Value, field: &str) {
    value
        .as_object_mut()
        .expect("an object")
        .remove(field)
        .unwrap_or_else(|| panic!("no field {field} to remove"));
}

fn peer(id: String) -> Value {
    json!({ "id": id, "role": "PEER" })
}

// ---------------------------------------------------------------------------------------
// Checking the contract of bad input

/// Exit status 2, empty stdout, no panic, every stderr line `PATH: message`, and one line
/// that starts with `PATH: ` and contains every phrase.
fn check(row: &str, output: &Output, path: &str, phrases: &[&str]) {
    let stderr = text(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{row}: the binary panicked:\n{stderr}"
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "{row}: exit status; stderr:\n{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "{row}: stdout should be empty, got {:?}",
        text(&output.stdout)
    );
    for line in stderr.lines().filter(|line| !line.trim().is_empty()) {
        let has_path = line
            .split_once(": ")
            .is_some_and(|(prefix, _)| !prefix.is_empty() && !prefix.contains(char::is_whitespace));
        assert!(
            has_path,
            "{row}: a stderr line without a `PATH: ` prefix: {line:?}\n{stderr}"
        );
    }
    let prefix = format!("{path}: ");
    assert!(
        stderr
            .lines()
            .any(|line| line.starts_with(&prefix)
                && phrases.iter().all(|phrase| line.contains(phrase))),
        "{row}: expected a line starting {prefix:?} containing {phrases:?}; stderr:\n{stderr}"
    );
}

/// `validate` on the preset with one change.
fn bad_file(row: &str, change: impl FnOnce(&mut Value), path: &str, phrases: &[&str]) {
    bad_text(row, &with(change), path, phrases);
}

/// `validate` on a file with exactly this text.
fn bad_text(row: &str, contents: &str, path: &str, phrases: &[&str]) {
    let output = run_on_file(row, contents, &["validate", "FILE"]);
    check(row, &output, path, phrases);
    export_for_the_browser(row, contents, path, phrases);
}

/// With `CATAPULT_DR_BAD_INPUTS_DIR` set, each file row is also written there, so the
/// end-to-end test (`tests/e2e/reliability.mjs`) feeds the same input to the app and
/// checks that it shows the same path and message and keeps the current scenario.
fn export_for_the_browser(row: &str, contents: &str, path: &str, phrases: &[&str]) {
    let Ok(directory) = std::env::var("CATAPULT_DR_BAD_INPUTS_DIR") else {
        return;
    };
    let _ = std::fs::create_dir_all(&directory);
    let entry = json!({ "row": row, "path": path, "phrases": phrases, "contents": contents });
    std::fs::write(
        std::path::Path::new(&directory).join(format!("{row}.json")),
        entry.to_string(),
    )
    .expect("bad input exported");
}

/// A command on the unmodified preset with bad flags.
fn bad_flags(row: &str, arguments: &[&str], path: &str, phrases: &[&str]) {
    let output = run_on_file(row, PRESET, arguments);
    check(row, &output, path, phrases);
}

// ---------------------------------------------------------------------------------------
// The control: every row's error comes from its one change

#[test]
fn control_the_unmodified_preset_is_valid() {
    let output = run_on_file("control", with(|_| {}), &["validate", "FILE"]);
    assert_eq!(text(&output.stdout), "ok\n", "{}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
}

#[test]
fn catalogue_lists_every_cap_in_limits_rs_with_its_value() {
    let names: Vec<&str> = LIMITS_SOURCE
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub const "))
        .filter_map(|rest| rest.split(':').next())
        .collect();
    assert!(names.len() >= 14, "limits.rs parsed to {names:?}");
    for name in &names {
        assert!(
            CATALOGUE.contains(&format!("| `{name}` |")),
            "docs/errors.md does not list the cap {name}"
        );
    }
    for (name, value) in [
        ("FILE_BYTES_MAX", limits::FILE_BYTES_MAX.to_string()),
        ("PICTURE_BYTES_MAX", limits::PICTURE_BYTES_MAX.to_string()),
        ("NODES_MAX", limits::NODES_MAX.to_string()),
        ("REGIONS_MAX", limits::REGIONS_MAX.to_string()),
        ("AZS_PER_REGION_MAX", limits::AZS_PER_REGION_MAX.to_string()),
        ("FAULTS_MAX", limits::FAULTS_MAX.to_string()),
        ("GROUPS_MAX", limits::GROUPS_MAX.to_string()),
        ("DURATION_MAX_MS", limits::DURATION_MAX_MS.to_string()),
        (
            "TRANSACTIONS_PER_SECOND_MAX",
            limits::TRANSACTIONS_PER_SECOND_MAX.to_string(),
        ),
        ("EVENTS_MAX", limits::EVENTS_MAX.to_string()),
        ("TRACE_ENTRIES_MAX", limits::TRACE_ENTRIES_MAX.to_string()),
        ("TRANSACTIONS_MAX", limits::TRANSACTIONS_MAX.to_string()),
        ("ID_CHARS_MAX", limits::ID_CHARS_MAX.to_string()),
        (
            "DESCRIPTION_CHARS_MAX",
            limits::DESCRIPTION_CHARS_MAX.to_string(),
        ),
        ("TRIALS_MAX", limits::TRIALS_MAX.to_string()),
    ] {
        let row = CATALOGUE
            .lines()
            .find(|line| line.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("docs/errors.md has no row for {name}"));
        assert!(
            row.contains(&format!("| {value} ")),
            "docs/errors.md gives {name} a value other than {value}: {row}"
        );
    }
}

#[test]
fn catalogue_rows_and_tests_match() {
    const THIS_FILE: &str = include_str!("errors.rs");
    let named: Vec<&str> = CATALOGUE
        .split("[`")
        .skip(1)
        .filter_map(|rest| rest.split_once("`]").map(|(name, _)| name))
        .collect();
    assert!(
        named.len() > 90,
        "docs/errors.md names {} tests",
        named.len()
    );
    for name in &named {
        assert!(
            THIS_FILE.contains(&format!("fn {name}()")),
            "docs/errors.md names [`{name}`], which is not a test in tests/errors.rs"
        );
    }
    let tests: Vec<&str> = THIS_FILE
        .split("#[test]")
        .skip(1)
        .filter_map(|rest| rest.split_once("fn ").map(|(_, after)| after))
        .filter_map(|after| after.split_once('(').map(|(name, _)| name))
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .filter(|name| !name.starts_with("control_") && !name.starts_with("catalogue_"))
        .collect();
    for test in &tests {
        assert!(
            named.contains(test),
            "tests/errors.rs has {test}, which no row of docs/errors.md names"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Reading the file

#[test]
fn malformed_json() {
    bad_text(
        "malformed_json",
        "{ \"version\": 1, ",
        "$",
        &["not valid JSON (line 1, column 16)", "EOF while parsing"],
    );
}

#[test]
fn empty_file() {
    bad_text(
        "empty_file",
        "",
        "$",
        &["not valid JSON (line 1, column 0)", "EOF while parsing"],
    );
}

#[test]
fn top_level_not_an_object() {
    bad_text(
        "top_level_not_an_object",
        "[]",
        "$",
        &["expected an object {...}, found a list"],
    );
}

#[test]
fn nesting_too_deep() {
    bad_text(
        "nesting_too_deep",
        &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        "$",
        &["not valid JSON", "recursion limit exceeded"],
    );
}

#[test]
fn unreadable_missing_file() {
    let output = run(&["validate", "/definitely/not/here.json"]);
    check(
        "unreadable_missing_file",
        &output,
        "$",
        &["cannot read /definitely/not/here.json"],
    );
}

#[test]
fn unreadable_directory() {
    let directory = std::env::temp_dir();
    let output = run(&["validate", directory.to_str().unwrap()]);
    check(
        "unreadable_directory",
        &output,
        "$",
        &["cannot read", "directory"],
    );
}

#[test]
fn unreadable_not_utf8() {
    let output = run_on_file(
        "unreadable_not_utf8",
        [0xff, 0xfe, b'{', b'}'],
        &["validate", "FILE"],
    );
    check(
        "unreadable_not_utf8",
        &output,
        "$",
        &["is not UTF-8 text", "save the scenario as UTF-8 JSON"],
    );
}

#[test]
fn file_over_1_mib() {
    let mut contents = with(|_| {});
    contents.push_str(&" ".repeat(limits::FILE_BYTES_MAX));
    bad_text(
        "file_over_1_mib",
        &contents,
        "$",
        &[
            &format!("over the {} byte limit", limits::FILE_BYTES_MAX),
            "remove unused faults or nodes",
        ],
    );
}

#[test]
fn standard_input_over_1_mib() {
    let mut contents = with(|_| {});
    contents.push_str(&" ".repeat(limits::FILE_BYTES_MAX));
    let output = run_with_input(&["validate", "-"], Some(contents.into_bytes()));
    check(
        "standard_input_over_1_mib",
        &output,
        "$",
        &[&format!("over the {} byte limit", limits::FILE_BYTES_MAX)],
    );
}

// ---------------------------------------------------------------------------------------
// Structure (decoding)

#[test]
fn unknown_field_top_level() {
    bad_file(
        "unknown_field_top_level",
        |value| value["colour"] = json!("blue"),
        "colour",
        &["unknown field: remove it, or use one of", "regions"],
    );
}

#[test]
fn unknown_field_nested() {
    bad_file(
        "unknown_field_nested",
        |value| node(value, 0, 0)["votes"] = json!(true),
        "regions[0].azs[0].nodes[0].votes",
        &["unknown field: remove it, or use one of", "voting"],
    );
}

#[test]
fn missing_version() {
    bad_file(
        "missing_version",
        |value| remove(value, "version"),
        "version",
        &["missing: this field is required"],
    );
}

#[test]
fn missing_regions() {
    bad_file(
        "missing_regions",
        |value| remove(value, "regions"),
        "regions",
        &["missing: this field is required"],
    );
}

#[test]
fn missing_node_id() {
    bad_file(
        "missing_node_id",
        |value| remove(node(value, 0, 1), "id"),
        "regions[0].azs[0].nodes[1].id",
        &["missing: this field is required"],
    );
}

#[test]
fn missing_node_role() {
    bad_file(
        "missing_node_role",
        |value| remove(node(value, 0, 1), "role"),
        "regions[0].azs[0].nodes[1].role",
        &["missing: this field is required"],
    );
}

#[test]
fn missing_fault_kind() {
    bad_file(
        "missing_fault_kind",
        |value| remove(&mut value["faults"][0], "kind"),
        "faults[0].kind",
        &["missing: this field is required"],
    );
}

#[test]
fn missing_fault_at() {
    bad_file(
        "missing_fault_at",
        |value| remove(&mut value["faults"][0], "at"),
        "faults[0].at",
        &["missing: this field is required"],
    );
}

#[test]
fn wrong_version() {
    bad_file(
        "wrong_version",
        |value| value["version"] = json!(2),
        "version",
        &[
            "unsupported version 2: this build reads version 1",
            "export the scenario again",
        ],
    );
}

#[test]
fn version_as_a_string() {
    bad_file(
        "version_as_a_string",
        |value| value["version"] = json!("1"),
        "version",
        &["unsupported version \"1\"", "export the scenario again"],
    );
}

#[test]
fn wrong_type_whole_number() {
    bad_file(
        "wrong_type_whole_number",
        |value| value["seed"] = json!("one"),
        "seed",
        &["expected a whole number, found a string"],
    );
}

#[test]
fn wrong_type_list() {
    bad_file(
        "wrong_type_list",
        |value| value["regions"] = json!({}),
        "regions",
        &["expected a list [...], found an object"],
    );
}

#[test]
fn wrong_type_boolean() {
    bad_file(
        "wrong_type_boolean",
        |value| node(value, 0, 2)["voting"] = json!("yes"),
        "regions[0].azs[0].nodes[2].voting",
        &["expected true or false, found a string"],
    );
}

#[test]
fn wrong_type_duration() {
    bad_file(
        "wrong_type_duration",
        |value| value["duration"] = json!(true),
        "duration",
        &["expected a duration like \"90s\"", "found true/false"],
    );
}

#[test]
fn unknown_role() {
    bad_file(
        "unknown_role",
        |value| node(value, 0, 0)["role"] = json!("ROUTER"),
        "regions[0].azs[0].nodes[0].role",
        &[
            "unknown role \"ROUTER\"",
            "use \"PEER\", \"API\" or \"DUAL\"",
        ],
    );
}

#[test]
fn unknown_fault_kind() {
    bad_file(
        "unknown_fault_kind",
        |value| value["faults"][0]["kind"] = json!("explode"),
        "faults[0].kind",
        &["unknown fault \"explode\": use one of crash,"],
    );
}

#[test]
fn unknown_entry_point_kind() {
    bad_file(
        "unknown_entry_point_kind",
        |value| value["clients"]["entry_point"]["kind"] = json!("anycast"),
        "clients.entry_point.kind",
        &["unknown entry point \"anycast\"", "use \"load_balancer\""],
    );
}

#[test]
fn bad_duration_text() {
    bad_file(
        "bad_duration_text",
        |value| value["duration"] = json!("3 fortnights"),
        "duration",
        &["unknown unit", "write a duration like \"90s\""],
    );
}

#[test]
fn empty_id() {
    bad_file(
        "empty_id",
        |value| node(value, 0, 0)["id"] = json!("  "),
        "regions[0].azs[0].nodes[0].id",
        &["empty id: give it a name"],
    );
}

#[test]
fn control_characters() {
    bad_file(
        "control_characters",
        |value| value["description"] = json!("line one\nline two"),
        "description",
        &["contains control characters: use plain text"],
    );
}

#[test]
fn negative_whole_number() {
    bad_file(
        "negative_whole_number",
        |value| value["chain"] = json!({ "max_rollback_blocks": -1 }),
        "chain.max_rollback_blocks",
        &["-1 is negative: use a whole number from 0 to 10000"],
    );
}

#[test]
fn negative_stake() {
    bad_file(
        "negative_stake",
        |value| node(value, 0, 0)["stake"] = json!(-1),
        "regions[0].azs[0].nodes[0].stake",
        &["-1 is negative: use a whole number from 0 to 1000000000000"],
    );
}

#[test]
fn negative_number() {
    bad_file(
        "negative_number",
        |value| value["clients"]["transactions_per_second"] = json!(-0.5),
        "clients.transactions_per_second",
        &["-0.5 is out of range: use a number from 0 to 50"],
    );
}

#[test]
fn negative_duration_in_seconds() {
    bad_file(
        "negative_duration_in_seconds",
        |value| value["duration"] = json!(-5),
        "duration",
        &["-5 is negative: durations must be zero or more"],
    );
}

#[test]
fn negative_duration_text_says_negative() {
    bad_file(
        "negative_duration_text_says_negative",
        |value| value["duration"] = json!("-3h"),
        "duration",
        &["negative"],
    );
}

#[test]
fn zero_block_time() {
    bad_file(
        "zero_block_time",
        |value| value["chain"] = json!({ "block_time": "0s" }),
        "chain.block_time",
        &["0s is out of range: use a duration from 1s to 10m"],
    );
}

#[test]
fn zero_max_connections() {
    bad_file(
        "zero_max_connections",
        |value| value["chain"] = json!({ "max_connections": 0 }),
        "chain.max_connections",
        &["0 is out of range: use a whole number from 1 to 100"],
    );
}

#[test]
fn zero_duration() {
    bad_file(
        "zero_duration",
        |value| value["duration"] = json!(0),
        "duration",
        &["0s is out of range: use a duration from 1s to 30d"],
    );
}

#[test]
fn huge_number_1e400_names_the_field() {
    bad_text(
        "huge_number_1e400_names_the_field",
        &preset_replacing("\"seed\": 1,", "\"seed\": 1e400,"),
        "seed",
        &["use a whole number from 0 to"],
    );
}

#[test]
fn u64_overflow() {
    bad_text(
        "u64_overflow",
        &preset_replacing("\"seed\": 1,", "\"seed\": 18446744073709551616,"),
        "seed",
        &[
            "is too large",
            "use a whole number from 0 to 18446744073709551615",
        ],
    );
}

#[test]
fn absurd_duration_400_days_gives_the_range() {
    bad_file(
        "absurd_duration_400_days_gives_the_range",
        |value| value["duration"] = json!("400d"),
        "duration",
        &["use a duration from 1s to 30d"],
    );
}

#[test]
fn absurd_stake() {
    bad_file(
        "absurd_stake",
        |value| node(value, 0, 0)["stake"] = json!(10_000_000_000_000u64),
        "regions[0].azs[0].nodes[0].stake",
        &["10000000000000 is out of range: use a whole number from 0 to 1000000000000"],
    );
}

#[test]
fn absurd_stake_with_exponent() {
    bad_text(
        "absurd_stake_with_exponent",
        &preset_replacing("\"stake\": 1 }", "\"stake\": 1e13 }"),
        "regions[0].azs[0].nodes[0].stake",
        &["is not a whole number: use a whole number from 0 to 1000000000000"],
    );
}

#[test]
fn absurd_latency() {
    bad_file(
        "absurd_latency",
        |value| value["network"] = json!({ "intra_az_latency_ms": 99999 }),
        "network.intra_az_latency_ms",
        &["99999 is out of range: use a whole number from 0 to 10000"],
    );
}

#[test]
fn absurd_extra_latency() {
    bad_file(
        "absurd_extra_latency",
        |value| {
            value["faults"] = json!([{
                "kind": "degrade", "groups": [["peer1"], ["peer2"]],
                "extra_latency_ms": 99999, "at": "1h"
            }])
        },
        "faults[0].extra_latency_ms",
        &["99999 is out of range: use a whole number from 0 to 60000"],
    );
}

#[test]
fn partition_with_one_group() {
    bad_file(
        "partition_with_one_group",
        |value| {
            value["faults"] = json!([{ "kind": "partition", "groups": [["peer1"]], "at": "1h" }])
        },
        "faults[0].groups",
        &["expected at least two groups"],
    );
}

#[test]
fn fault_target_field_of_another_kind() {
    bad_file(
        "fault_target_field_of_another_kind",
        |value| value["faults"] = json!([{ "kind": "crash", "az": "ap-northeast-1a", "at": "1h" }]),
        "faults[0].node",
        &["missing: this field is required"],
    );
}

#[test]
fn region_latency_with_three_regions() {
    bad_file(
        "region_latency_with_three_regions",
        |value| {
            value["network"] =
                json!({ "region_latencies": [{ "between": ["a", "b", "c"], "latency_ms": 5 }] })
        },
        "network.region_latencies[0].between",
        &["3 ids, over the limit of 2: remove some"],
    );
}

// ---------------------------------------------------------------------------------------
// Cross-field rules (validation)

#[test]
fn duplicate_id_node_and_node() {
    bad_file(
        "duplicate_id_node_and_node",
        |value| node(value, 0, 1)["id"] = json!("peer1"),
        "regions[0].azs[0].nodes[1].id",
        &[
            "duplicate id \"peer1\" (also at regions[0].azs[0].nodes[0].id)",
            "must all differ",
        ],
    );
}

#[test]
fn duplicate_id_node_and_az() {
    bad_file(
        "duplicate_id_node_and_az",
        |value| node(value, 0, 1)["id"] = json!("ap-northeast-1c"),
        "regions[0].azs[1].id",
        &["duplicate id \"ap-northeast-1c\" (also at regions[0].azs[0].nodes[1].id)"],
    );
}

#[test]
fn duplicate_id_az_and_region() {
    bad_file(
        "duplicate_id_az_and_region",
        |value| value["regions"][0]["azs"][1]["id"] = json!("ap-northeast-1"),
        "regions[0].azs[1].id",
        &["duplicate id \"ap-northeast-1\" (also at regions[0].id)"],
    );
}

#[test]
fn duplicate_id_node_and_region() {
    bad_file(
        "duplicate_id_node_and_region",
        |value| node(value, 1, 0)["id"] = json!("ap-northeast-1"),
        "regions[0].azs[1].nodes[0].id",
        &["duplicate id \"ap-northeast-1\" (also at regions[0].id)"],
    );
}

#[test]
fn fault_target_missing_node() {
    bad_file(
        "fault_target_missing_node",
        |value| value["faults"] = json!([{ "kind": "crash", "node": "ghost", "at": "1h" }]),
        "faults[0].node",
        &["no node \"ghost\": use the id of a node"],
    );
}

#[test]
fn fault_target_missing_az() {
    bad_file(
        "fault_target_missing_az",
        |value| value["faults"][0]["az"] = json!("ghost"),
        "faults[0].az",
        &["no availability zone \"ghost\": use the id of an AZ"],
    );
}

#[test]
fn fault_target_missing_region() {
    bad_file(
        "fault_target_missing_region",
        |value| {
            value["faults"] = json!([{ "kind": "region_outage", "region": "ghost", "at": "1h" }])
        },
        "faults[0].region",
        &["no region \"ghost\": use the id of a region"],
    );
}

#[test]
fn fault_target_missing_group_member() {
    bad_file(
        "fault_target_missing_group_member",
        |value| {
            value["faults"] =
                json!([{ "kind": "partition", "groups": [["peer1"], ["ghost"]], "at": "1h" }])
        },
        "faults[0].groups[1][0]",
        &["no node, AZ or region \"ghost\": use an id from the topology"],
    );
}

#[test]
fn fault_target_az_given_to_crash() {
    bad_file(
        "fault_target_az_given_to_crash",
        |value| {
            value["faults"] = json!([{ "kind": "crash", "node": "ap-northeast-1a", "at": "1h" }])
        },
        "faults[0].node",
        &[
            "no node \"ap-northeast-1a\" (that is an AZ or region: this fault takes a node)",
            "use the id of a node",
        ],
    );
}

#[test]
fn fault_target_node_given_to_az_outage() {
    bad_file(
        "fault_target_node_given_to_az_outage",
        |value| value["faults"][0]["az"] = json!("peer1"),
        "faults[0].az",
        &["no availability zone \"peer1\": use the id of an AZ"],
    );
}

#[test]
fn fault_target_peer_given_to_api_down() {
    bad_file(
        "fault_target_peer_given_to_api_down",
        |value| value["faults"] = json!([{ "kind": "api_down", "node": "peer1", "at": "1h" }]),
        "faults[0].node",
        &[
            "\"peer1\" is a PEER node and runs no API services",
            "pick an API or DUAL node",
        ],
    );
}

#[test]
fn empty_topology() {
    bad_file(
        "empty_topology",
        |value| value["regions"] = json!([]),
        "regions",
        &["the topology is empty: add a region with an availability zone and a PEER node"],
    );
}

#[test]
fn region_with_no_az() {
    bad_file(
        "region_with_no_az",
        |value| {
            value["regions"]
                .as_array_mut()
                .unwrap()
                .push(json!({ "id": "ap-northeast-3", "azs": [] }))
        },
        "regions[1].azs",
        &["this region has no availability zone: add one or remove the region"],
    );
}

#[test]
fn no_peer_only_api_nodes() {
    bad_file(
        "no_peer_only_api_nodes",
        |value| {
            for az in [0, 1] {
                let nodes = value["regions"][0]["azs"][az]["nodes"]
                    .as_array_mut()
                    .unwrap();
                nodes.retain(|node| node["role"] == "API");
            }
        },
        "regions",
        &["no PEER or DUAL node with stake", "add a PEER node"],
    );
}

#[test]
fn no_peer_with_stake() {
    bad_file(
        "no_peer_with_stake",
        |value| {
            for (az, index) in [(0, 0), (0, 1), (1, 0)] {
                node(value, az, index)["stake"] = json!(0);
            }
        },
        "regions",
        &["no PEER or DUAL node with stake", "add a PEER node"],
    );
}

#[test]
fn api_node_with_stake() {
    bad_file(
        "api_node_with_stake",
        |value| node(value, 0, 2)["stake"] = json!(1),
        "regions[0].azs[0].nodes[2].stake",
        &["API nodes cannot harvest: set stake to 0 or make the node DUAL"],
    );
}

#[test]
fn copy_chain_from_itself() {
    bad_file(
        "copy_chain_from_itself",
        |value| {
            value["faults"] =
                json!([{ "kind": "copy_chain", "at": "1h", "node": "peer1", "from": "peer1" }])
        },
        "faults[0].from",
        &["a node cannot copy its own chain", "name another node"],
    );
}

#[test]
fn region_shares_without_latency_routing() {
    bad_file(
        "region_shares_without_latency_routing",
        |value| value["clients"]["entry_point"]["region_shares"] = json!({ "ap-northeast-1": 1 }),
        "clients.entry_point.region_shares",
        &[
            "region shares apply to latency routing only",
            "\"kind\": \"latency_routing\"",
        ],
    );
}

#[test]
fn region_share_of_an_unknown_region() {
    bad_file(
        "region_share_of_an_unknown_region",
        |value| {
            value["clients"]["entry_point"]["kind"] = json!("latency_routing");
            value["clients"]["entry_point"]["region_shares"] = json!({ "mars-1": 1 });
        },
        "clients.entry_point.region_shares.mars-1",
        &["no region \"mars-1\"", "use the id of a region"],
    );
}

#[test]
fn plan_operator_detection_not_a_duration() {
    bad_file(
        "plan_operator_detection_not_a_duration",
        |value| value["plan"]["operator"] = json!({ "detection": "soon" }),
        "plan.operator.detection",
        &["soon"],
    );
}

#[test]
fn clone_of_a_missing_node() {
    bad_file(
        "clone_of_a_missing_node",
        |value| node(value, 0, 1)["clone_of"] = json!("ghost"),
        "regions[0].azs[0].nodes[1].clone_of",
        &["no node \"ghost\": name the node whose keys this one runs"],
    );
}

#[test]
fn clone_of_itself() {
    bad_file(
        "clone_of_itself",
        |value| node(value, 0, 1)["clone_of"] = json!("peer2"),
        "regions[0].azs[0].nodes[1].clone_of",
        &["a node cannot be a clone of itself"],
    );
}

#[test]
fn clone_of_a_clone() {
    bad_file(
        "clone_of_a_clone",
        |value| {
            value["regions"][0]["azs"][1]["nodes"][0]["clone_of"] = json!("peer1");
            node(value, 0, 1)["clone_of"] = json!("peer3");
        },
        "regions[0].azs[0].nodes[1].clone_of",
        &["\"peer3\" is itself a clone: name the node it copies (peer1)"],
    );
}

#[test]
fn clone_with_another_stake() {
    bad_file(
        "clone_with_another_stake",
        |value| {
            node(value, 0, 1)["clone_of"] = json!("peer1");
            node(value, 0, 1)["stake"] = json!(5);
        },
        "regions[0].azs[0].nodes[1].clone_of",
        &["a clone runs \"peer1\"'s accounts: give it the same role (PEER), stake (1) and voting balance (0)"],
    );
}

#[test]
fn voting_node_without_balance() {
    bad_file(
        "voting_node_without_balance",
        |value| node(value, 0, 2)["voting_balance"] = json!(0),
        "regions[0].azs[0].nodes[2].voting_balance",
        &["a voting node needs a voting balance above 0"],
    );
}

#[test]
fn finalization_without_voter() {
    bad_file(
        "finalization_without_voter",
        |value| {
            node(value, 0, 2)["voting"] = json!(false);
            node(value, 1, 1)["voting"] = json!(false);
            value["chain"] = json!({ "finalization": { "enabled": true } });
        },
        "chain.finalization.enabled",
        &[
            "finalization needs at least one voting node",
            "mark a node \"voting\": true or turn finalization off",
        ],
    );
}

#[test]
fn max_rollback_blocks_0_without_finalization() {
    bad_file(
        "max_rollback_blocks_0_without_finalization",
        |value| value["chain"] = json!({ "max_rollback_blocks": 0 }),
        "chain.max_rollback_blocks",
        &[
            "0 means rollbacks are bounded by finalization, which is off",
            "set a limit such as 40 or enable finalization",
        ],
    );
}

#[test]
fn overlapping_crashes_of_one_node() {
    bad_file(
        "overlapping_crashes_of_one_node",
        |value| {
            value["faults"] = json!([
                { "kind": "crash", "node": "peer1", "at": "1h", "until": "2h" },
                { "kind": "crash", "node": "peer1", "at": "90m", "until": "3h" }
            ])
        },
        "faults[1]",
        &[
            "overlaps faults[0] (crash peer1) on the same target",
            "end one before the other starts",
        ],
    );
}

#[test]
fn until_before_at() {
    bad_file(
        "until_before_at",
        |value| value["faults"][0]["until"] = json!("1h"),
        "faults[0].until",
        &["does not end after it starts: \"until\" must be later than \"at\""],
    );
}

#[test]
fn until_equal_to_at() {
    bad_file(
        "until_equal_to_at",
        |value| value["faults"][0]["until"] = json!("2h"),
        "faults[0].until",
        &["\"until\" must be later than \"at\""],
    );
}

#[test]
fn fault_after_the_end() {
    bad_file(
        "fault_after_the_end",
        |value| {
            value["faults"][0]["at"] = json!("7h");
            value["faults"][0]["until"] = json!("8h");
        },
        "faults[0].at",
        &[
            "starts at 7h but the scenario ends at 6h",
            "move it earlier or lengthen \"duration\"",
        ],
    );
}

#[test]
fn restore_without_backup() {
    bad_file(
        "restore_without_backup",
        |value| value["faults"] = json!([{ "kind": "restore", "nodes": ["peer1"], "at": "1h" }]),
        "faults[0].kind",
        &[
            "restore needs a backup plan",
            "add \"backup\" with a source node",
        ],
    );
}

#[test]
fn restore_of_no_nodes() {
    bad_file(
        "restore_of_no_nodes",
        |value| {
            value["backup"] = json!({ "source": "peer1" });
            value["faults"] = json!([{ "kind": "restore", "nodes": [], "at": "1h" }]);
        },
        "faults[0].nodes",
        &["list at least one node to restore"],
    );
}

#[test]
fn backup_interval_below_an_hour() {
    bad_file(
        "backup_interval_below_an_hour",
        |value| value["backup"] = json!({ "source": "peer1", "interval": "30m" }),
        "backup.interval",
        &["30m is too short: AWS Backup starts backup jobs at least 1h apart; use 1h or more"],
    );
}

#[test]
fn backup_of_a_missing_node() {
    bad_file(
        "backup_of_a_missing_node",
        |value| value["backup"] = json!({ "source": "ghost" }),
        "backup.source",
        &["no node \"ghost\": name the node whose volumes are backed up"],
    );
}

#[test]
fn one_way_partition_with_three_groups() {
    bad_file(
        "one_way_partition_with_three_groups",
        |value| {
            value["faults"] = json!([{
                "kind": "partition", "groups": [["peer1"], ["peer2"], ["peer3"]],
                "one_way": true, "at": "1h"
            }])
        },
        "faults[0].one_way",
        &["a one-way partition takes exactly two groups"],
    );
}

#[test]
fn node_in_two_partition_groups() {
    bad_file(
        "node_in_two_partition_groups",
        |value| {
            value["faults"] = json!([{
                "kind": "partition", "groups": [["peer1", "peer2"], ["peer2", "peer3"]], "at": "1h"
            }])
        },
        "faults[0].groups[1]",
        &["node \"peer2\" is also in group 0: a node can be on one side only"],
    );
}

#[test]
fn node_in_two_partition_groups_through_its_az() {
    bad_file(
        "node_in_two_partition_groups_through_its_az",
        |value| {
            value["faults"] = json!([{
                "kind": "partition", "groups": [["ap-northeast-1a"], ["peer1"]], "at": "1h"
            }])
        },
        "faults[0].groups[1]",
        &["node \"peer1\" is also in group 0"],
    );
}

#[test]
fn empty_partition_group() {
    bad_file(
        "empty_partition_group",
        |value| {
            value["faults"] =
                json!([{ "kind": "partition", "groups": [["peer1"], []], "at": "1h" }])
        },
        "faults[0].groups[1]",
        &["empty group: list at least one node, AZ or region"],
    );
}

#[test]
fn entry_point_target_is_a_peer() {
    bad_file(
        "entry_point_target_is_a_peer",
        |value| value["clients"]["entry_point"]["targets"] = json!(["peer1"]),
        "clients.entry_point.targets[0]",
        &[
            "\"peer1\" is a PEER node",
            "clients reach the chain only through API or DUAL nodes",
        ],
    );
}

#[test]
fn entry_point_target_missing() {
    bad_file(
        "entry_point_target_missing",
        |value| value["clients"]["entry_point"]["targets"] = json!(["api1", "ghost"]),
        "clients.entry_point.targets[1]",
        &["no node \"ghost\": use the id of an API or DUAL node"],
    );
}

#[test]
fn direct_entry_point_with_two_targets() {
    bad_file(
        "direct_entry_point_with_two_targets",
        |value| value["clients"]["entry_point"]["kind"] = json!("direct"),
        "clients.entry_point.targets",
        &[
            "a direct entry point names exactly one API node",
            "use load_balancer or dns_failover for more",
        ],
    );
}

#[test]
fn client_load_without_api_node() {
    bad_file(
        "client_load_without_api_node",
        |value| {
            for az in [0, 1] {
                let nodes = value["regions"][0]["azs"][az]["nodes"]
                    .as_array_mut()
                    .unwrap();
                nodes.retain(|node| node["role"] == "PEER");
            }
            value["clients"]["entry_point"]["targets"] = json!([]);
        },
        "clients.entry_point.targets",
        &[
            "clients need an API or DUAL node to reach the chain",
            "set transactions_per_second to 0",
        ],
    );
}

#[test]
fn region_latency_for_a_missing_region() {
    bad_file(
        "region_latency_for_a_missing_region",
        |value| {
            value["network"] = json!({
                "region_latencies": [{ "between": ["ap-northeast-1", "ghost"], "latency_ms": 5 }]
            })
        },
        "network.region_latencies[0].between[1]",
        &["no region \"ghost\": use the id of a region in \"regions\""],
    );
}

#[test]
fn unknown_plan_target_failure() {
    bad_file(
        "unknown_plan_target_failure",
        |value| value["plan"] = json!({ "targets": { "zone": { "rto": "5m" } } }),
        "plan.targets.zone",
        &[
            "unknown failure \"zone\"",
            "use one of node, az, region, region-link, api-tier, disk-loss",
        ],
    );
}

#[test]
fn recovery_region_is_the_primary_region() {
    bad_file(
        "recovery_region_is_the_primary_region",
        |value| value["plan"] = json!({ "recovery_region": "ap-northeast-1" }),
        "plan.recovery_region",
        &[
            "\"ap-northeast-1\" is the primary region",
            "name another region",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Caps (scenario/src/limits.rs)

#[test]
fn cap_nodes_in_one_az() {
    bad_file(
        "cap_nodes_in_one_az",
        |value| {
            let nodes = value["regions"][0]["azs"][0]["nodes"]
                .as_array_mut()
                .unwrap();
            let extra = limits::NODES_MAX + 1 - nodes.len();
            nodes.extend((0..extra).map(|index| peer(format!("extra{index}"))));
        },
        "regions[0].azs[0].nodes",
        &[&format!(
            "{} nodes, over the limit of {}: remove some",
            limits::NODES_MAX + 1,
            limits::NODES_MAX
        )],
    );
}

#[test]
fn cap_nodes_in_the_scenario() {
    // 3 nodes in AZ a; AZ c holds its 2 and enough more for 301 in all, each AZ under 300.
    let last = limits::NODES_MAX - 3;
    bad_file(
        "cap_nodes_in_the_scenario",
        |value| {
            let nodes = value["regions"][0]["azs"][1]["nodes"]
                .as_array_mut()
                .unwrap();
            nodes.extend((2..=last).map(|index| peer(format!("extra{index}"))));
        },
        &format!("regions[0].azs[1].nodes[{last}]"),
        &[&format!(
            "more than {} nodes: remove some",
            limits::NODES_MAX
        )],
    );
}

#[test]
fn cap_regions() {
    bad_file(
        "cap_regions",
        |value| {
            let regions = value["regions"].as_array_mut().unwrap();
            regions.extend((0..limits::REGIONS_MAX).map(|index| {
                json!({ "id": format!("r{index}"), "azs": [
                    { "id": format!("r{index}a"), "nodes": [peer(format!("r{index}-peer"))] }
                ] })
            }));
        },
        "regions",
        &[&format!(
            "{} regions, over the limit of {}: remove some",
            limits::REGIONS_MAX + 1,
            limits::REGIONS_MAX
        )],
    );
}

#[test]
fn cap_azs_in_a_region() {
    bad_file(
        "cap_azs_in_a_region",
        |value| {
            let azs = value["regions"][0]["azs"].as_array_mut().unwrap();
            let extra = limits::AZS_PER_REGION_MAX + 1 - azs.len();
            azs.extend((0..extra).map(|index| {
                json!({ "id": format!("zone{index}"), "nodes": [peer(format!("zone{index}-peer"))] })
            }));
        },
        "regions[0].azs",
        &[&format!(
            "{} availability zones, over the limit of {}: remove some",
            limits::AZS_PER_REGION_MAX + 1,
            limits::AZS_PER_REGION_MAX
        )],
    );
}

#[test]
fn cap_faults() {
    bad_file(
        "cap_faults",
        |value| {
            value["faults"] = Value::Array(
                (0..=limits::FAULTS_MAX)
                    .map(|minute| json!({ "kind": "isolate", "node": "peer1", "at": format!("{minute}m") }))
                    .collect(),
            )
        },
        "faults",
        &[&format!(
            "{} faults, over the limit of {}: remove some",
            limits::FAULTS_MAX + 1,
            limits::FAULTS_MAX
        )],
    );
}

#[test]
fn cap_groups() {
    bad_file(
        "cap_groups",
        |value| {
            let groups: Vec<Value> = (0..=limits::GROUPS_MAX)
                .map(|index| json!([format!("g{index}")]))
                .collect();
            value["faults"] = json!([{ "kind": "partition", "groups": groups, "at": "1h" }]);
        },
        "faults[0].groups",
        &[&format!(
            "{} groups, over the limit of {}: remove some",
            limits::GROUPS_MAX + 1,
            limits::GROUPS_MAX
        )],
    );
}

#[test]
fn cap_duration_31_days() {
    bad_file(
        "cap_duration_31_days",
        |value| value["duration"] = json!("31d"),
        "duration",
        &["31d is out of range: use a duration from 1s to 30d"],
    );
}

#[test]
fn cap_transactions_per_second() {
    bad_file(
        "cap_transactions_per_second",
        |value| value["clients"]["transactions_per_second"] = json!(51),
        "clients.transactions_per_second",
        &["51 is out of range: use a number from 0 to 50"],
    );
}

#[test]
fn cap_id_length() {
    bad_file(
        "cap_id_length",
        |value| node(value, 0, 0)["id"] = json!("p".repeat(limits::ID_CHARS_MAX + 1)),
        "regions[0].azs[0].nodes[0].id",
        &[&format!(
            "longer than {} characters: shorten it",
            limits::ID_CHARS_MAX
        )],
    );
}

#[test]
fn cap_description_length() {
    bad_file(
        "cap_description_length",
        |value| value["description"] = json!("x".repeat(limits::DESCRIPTION_CHARS_MAX + 1)),
        "description",
        &[&format!(
            "longer than {} characters: shorten it",
            limits::DESCRIPTION_CHARS_MAX
        )],
    );
}

#[test]
fn cap_plan_trials_in_the_file() {
    bad_file(
        "cap_plan_trials_in_the_file",
        |value| value["plan"] = json!({ "trials": limits::TRIALS_MAX + 1 }),
        "plan.trials",
        &[&format!(
            "{} is out of range: use a whole number from 1 to {}",
            limits::TRIALS_MAX + 1,
            limits::TRIALS_MAX
        )],
    );
}

// ---------------------------------------------------------------------------------------
// Command-line flags

#[test]
fn flag_plan_trials_over_the_cap() {
    let trials = (limits::TRIALS_MAX + 1).to_string();
    bad_flags(
        "flag_plan_trials_over_the_cap",
        &["plan", "FILE", "--trials", &trials],
        "--trials",
        &[&format!(
            "use a whole number from 1 to {}",
            limits::TRIALS_MAX
        )],
    );
}

#[test]
fn flag_plan_trials_zero() {
    bad_flags(
        "flag_plan_trials_zero",
        &["plan", "FILE", "--trials", "0"],
        "--trials",
        &["use a whole number from 1 to"],
    );
}

#[test]
fn flag_simulate_duration_31_days() {
    bad_flags(
        "flag_simulate_duration_31_days",
        &["simulate", "FILE", "--duration", "31d"],
        "--duration",
        &["use a duration from 1s to 30d"],
    );
}

#[test]
fn flag_simulate_duration_not_a_duration() {
    bad_flags(
        "flag_simulate_duration_not_a_duration",
        &["simulate", "FILE", "--duration", "forever"],
        "--duration",
        &["unknown unit \"forever\"", "write a duration like \"90s\""],
    );
}

#[test]
fn flag_seed_negative() {
    for command in ["simulate", "plan"] {
        bad_flags(
            &format!("flag_seed_negative_{command}"),
            &[command, "FILE", "--seed", "-1"],
            "--seed",
            &["\"-1\" is not a whole number from 0 to 18446744073709551615"],
        );
    }
}

#[test]
fn flag_seed_overflow() {
    bad_flags(
        "flag_seed_overflow",
        &["simulate", "FILE", "--seed", "18446744073709551616"],
        "--seed",
        &["is not a whole number from 0 to 18446744073709551615"],
    );
}

// ---------------------------------------------------------------------------------------
// Fixed defects: files `validate` accepts that `plan` once refused with paths into a layout the
// planner derived, and standard input read without the size cap.

/// A file `validate` accepts but `plan` cannot arrange: `plan` says why at `regions`, in
/// terms of the user's own file, without running any cell.
fn plan_refuses_with(row: &str, contents: &str, phrase: &str) {
    let validated = run_on_file(row, contents, &["validate", "FILE"]);
    assert_eq!(validated.status.code(), Some(0), "{row}: validate");
    let planned = run_on_file(row, contents, &["plan", "FILE", "--trials", "1"]);
    check(row, &planned, "regions", &[phrase]);
}

/// `validate` says ok, so `plan` must not refuse the file as bad input: either both
/// refuse it (with paths into the user's file) or neither does.
fn validate_and_plan_agree(row: &str, contents: &str) {
    let validated = run_on_file(row, contents, &["validate", "FILE"]);
    let planned = run_on_file(row, contents, &["plan", "FILE", "--trials", "1"]);
    let stderr = text(&planned.stderr);
    assert!(!stderr.contains("panicked"), "{row}: panicked:\n{stderr}");
    assert!(
        validated.status.code() == Some(2) || planned.status.code() != Some(2),
        "{row}: validate exits {:?} but plan refuses the file:\n{stderr}",
        validated.status.code()
    );
}

#[test]
fn plan_every_node_standby() {
    let contents = with(|value| {
        for az in [0, 1] {
            for node in value["regions"][0]["azs"][az]["nodes"]
                .as_array_mut()
                .unwrap()
            {
                node["standby"] = json!(true);
            }
        }
    });
    plan_refuses_with(
        "plan_every_node_standby",
        &contents,
        "no running PEER or DUAL node has stake",
    );
}

#[test]
fn plan_every_api_node_standby() {
    let contents = with(|value| {
        node(value, 0, 2)["standby"] = json!(true);
        node(value, 1, 1)["standby"] = json!(true);
    });
    plan_refuses_with(
        "plan_every_api_node_standby",
        &contents,
        "every API or DUAL node is standby",
    );
}

#[test]
fn plan_node_id_like_a_mirrored_node() {
    let contents = with(|value| node(value, 1, 0)["id"] = json!("dr-peer1"));
    validate_and_plan_agree("plan_node_id_like_a_mirrored_node", &contents);
}

#[test]
fn plan_az_id_like_a_recovery_zone() {
    let contents = with(|value| value["regions"][0]["azs"][1]["id"] = json!("ap-northeast-3a"));
    validate_and_plan_agree("plan_az_id_like_a_recovery_zone", &contents);
}

#[test]
fn plan_recovery_region_is_an_az_id() {
    let contents = with(|value| value["plan"] = json!({ "recovery_region": "ap-northeast-1a" }));
    validate_and_plan_agree("plan_recovery_region_is_an_az_id", &contents);
}

#[test]
fn plan_more_than_half_the_node_cap() {
    let contents = with(|value| {
        let nodes = value["regions"][0]["azs"][1]["nodes"]
            .as_array_mut()
            .unwrap();
        let extra = limits::NODES_MAX / 2 + 1 - 5;
        nodes.extend((0..extra).map(|index| peer(format!("extra{index}"))));
        value["faults"] = json!([]);
    });
    plan_refuses_with(
        "plan_more_than_half_the_node_cap",
        &contents,
        "planning copies them to a second region",
    );
}

#[test]
fn standard_input_is_read_no_further_than_the_cap() {
    let size = 64 * limits::FILE_BYTES_MAX;
    let mut child = Command::new(env!("CARGO_BIN_EXE_catapult-dr"))
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut written = 0;
    while written < size {
        if stdin.write_all(&chunk).is_err() {
            break;
        }
        written += chunk.len();
    }
    drop(stdin);
    let output = child.wait_with_output().expect("the binary finishes");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        written < size,
        "the binary read all {written} bytes of standard input; it should stop after {}",
        limits::FILE_BYTES_MAX
    );
}
