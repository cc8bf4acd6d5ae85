//! The real `catapult-dr` binary, used as a person or another tool would.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_catapult-dr"))
}

fn run(arguments: &[&str]) -> Output {
    binary().args(arguments).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("catapult-dr-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("temp file written");
    path
}

#[test]
fn help_and_version() {
    let help = run(&["--help"]);
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("catapult-dr simulate FILE"));
    let version = run(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        text(&version.stdout).trim(),
        format!("catapult-dr {}", env!("CARGO_PKG_VERSION"))
    );
    let nothing = run(&[]);
    assert_eq!(nothing.status.code(), Some(2));
    let unknown = run(&["frobnicate"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("unknown command"));
}

#[test]
fn presets_list_and_every_preset_validates() {
    let listing = text(&run(&["presets"]).stdout);
    for name in [
        "single-az",
        "multi-az",
        "inter-region-backup",
        "active-active",
        "seed-fork",
    ] {
        assert!(listing.contains(name), "{name} missing from {listing}");
        let preset = run(&["preset", name]);
        assert!(preset.status.success());
        let path = temp_file(&format!("{name}.json"), &text(&preset.stdout));
        let validated = run(&["validate", path.to_str().unwrap()]);
        assert_eq!(
            text(&validated.stdout),
            "ok\n",
            "{name}: {}",
            text(&validated.stderr)
        );
        assert!(validated.status.success());
    }
    let missing = run(&["preset", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("catapult-dr presets"));
}

#[test]
fn validate_reports_every_error_with_its_path_and_exits_2() {
    let path = temp_file(
        "bad.json",
        r#"{
            "version": 1,
            "duration": "3 fortnights",
            "regions": [{ "id": "r1", "azs": [
                { "id": "r1a", "nodes": [
                    { "id": "p1", "role": "PEER" },
                    { "id": "p1", "role": "ROUTER" }
                ] },
                { "id": "r1b", "nodes": [] }
            ] }],
            "faults": [{ "kind": "crash", "node": "ghost", "at": "10m" }],
            "colour": "blue"
        }"#,
    );
    let output = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.iter().any(|line| line.starts_with("duration: ")),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("regions[0].azs[0].nodes[1].role: ")),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("colour: unknown field")),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    // Structure right, references wrong: the second stage reports them all.
    let path = temp_file(
        "bad-references.json",
        r#"{
            "version": 1,
            "regions": [{ "id": "r1", "azs": [
                { "id": "r1a", "nodes": [ { "id": "p1", "role": "PEER" }, { "id": "p1", "role": "API" } ] },
                { "id": "r1b", "nodes": [] }
            ] }],
            "faults": [{ "kind": "crash", "node": "ghost", "at": "10m" }]
        }"#,
    );
    let stderr = text(&run(&["validate", path.to_str().unwrap()]).stderr);
    assert!(
        stderr.contains("regions[0].azs[0].nodes[1].id: duplicate id \"p1\""),
        "{stderr}"
    );
    // An AZ with no nodes yet is allowed (drawn, ignored by the simulator).
    assert!(!stderr.contains("regions[0].azs[1]"), "{stderr}");
    assert!(
        stderr.contains("faults[0].node: no node \"ghost\""),
        "{stderr}"
    );

    let malformed = temp_file("malformed.json", "{ \"version\": 1, ");
    let output = run(&["validate", malformed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("$: not valid JSON (line 1"));

    let output = run(&["validate", "/definitely/not/here.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("$: cannot read"));
}

#[test]
fn simulate_json_has_the_contract_fields_and_is_deterministic() {
    let preset = text(&run(&["preset", "seed-fork"]).stdout);
    let path = temp_file("seed-fork.json", &preset);
    let path = path.to_str().unwrap();
    let output = run(&[
        "simulate",
        path,
        "--json",
        "--seed",
        "3",
        "--duration",
        "90m",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(value["seed"], 3);
    assert_eq!(value["simulated_s"], 5400.0);
    assert!(value["events"].as_u64().unwrap() > 1_000);
    assert_eq!(value["trace_hash"].as_str().unwrap().len(), 16);
    assert!(value["converged"].is_boolean());
    assert!(value["max_fork_depth"].as_u64().unwrap() >= 1);
    for field in ["submitted", "confirmed", "lost"] {
        assert!(
            value["transactions"][field].is_u64(),
            "transactions.{field}"
        );
    }
    let nodes = value["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    for node in nodes {
        for field in [
            "id",
            "height",
            "finalized_height",
            "tip",
            "rollbacks",
            "irreconcilable",
        ] {
            assert!(!node[field].is_null(), "nodes[].{field}");
        }
    }
    let peer2 = nodes.iter().find(|node| node["id"] == "peer2").unwrap();
    let rollback = &peer2["rollbacks"][0];
    assert!(
        rollback["at_s"].as_f64().unwrap() > 1_800.0 && rollback["depth"].as_u64().unwrap() > 0
    );

    let again = run(&[
        "simulate",
        path,
        "--json",
        "--seed",
        "3",
        "--duration",
        "90m",
    ]);
    assert_eq!(again.stdout, output.stdout);
    let other = run(&[
        "simulate",
        path,
        "--json",
        "--seed",
        "4",
        "--duration",
        "90m",
    ]);
    let other: serde_json::Value = serde_json::from_slice(&other.stdout).unwrap();
    assert_ne!(other["trace_hash"], value["trace_hash"]);

    let readable = text(&run(&["simulate", path]).stdout);
    assert!(
        readable.contains("peer2") && readable.contains("converged"),
        "{readable}"
    );
}

#[test]
fn simulate_reads_standard_input_and_refuses_bad_flags() {
    let preset = run(&["preset", "multi-az"]).stdout;
    let mut child = binary()
        .args(["simulate", "-", "--duration", "1h", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&preset).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let path = temp_file("multi.json", &text(&preset));
    let path = path.to_str().unwrap();
    for (arguments, expected) in [
        (
            vec!["simulate", path, "--duration", "forever"],
            "--duration",
        ),
        (vec!["simulate", path, "--duration", "400d"], "--duration"),
        (vec!["simulate", path, "--seed", "-1"], "--seed"),
        (vec!["simulate", path, "--speed", "2"], "unknown option"),
        (vec!["simulate"], "no scenario file"),
    ] {
        let output = run(&arguments);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        assert!(
            text(&output.stderr).contains(expected),
            "{arguments:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn plan_json_has_the_contract_fields() {
    let preset = text(&run(&["preset", "multi-az"]).stdout);
    let path = temp_file("plan-multi-az.json", &preset);
    let path = path.to_str().unwrap();
    let output = run(&["plan", path, "--trials", "2", "--seed", "5", "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let results = value["results"].as_array().unwrap();
    assert_eq!(results.len(), 4 * 6);
    for cell in results {
        for field in [
            "strategy",
            "failure",
            "survivable",
            "rto_s",
            "rpo_s",
            "meets_target",
        ] {
            assert!(cell.get(field).is_some(), "results[].{field}");
        }
        for measure in ["rto_s", "rpo_s"] {
            for field in ["estimate", "p50", "p95", "max"] {
                assert!(cell[measure].get(field).is_some(), "{measure}.{field}");
            }
        }
        if cell["survivable"] == false {
            assert!(cell["rto_s"]["estimate"].is_null() && cell["rto_s"]["p95"].is_null());
        }
    }
    let region = results
        .iter()
        .find(|cell| cell["strategy"] == "single-az" && cell["failure"] == "region")
        .unwrap();
    assert_eq!(region["survivable"], false);
    let backup = results
        .iter()
        .find(|cell| cell["strategy"] == "inter-region-backup" && cell["failure"] == "region")
        .unwrap();
    assert!(backup["rto_s"]["p50"].as_f64().unwrap() > 20.0 * 3600.0);
    assert!(
        value["recommendation"].is_null(),
        "no targets in the preset"
    );

    let again = run(&["plan", path, "--trials", "2", "--seed", "5", "--json"]);
    assert_eq!(again.stdout, output.stdout, "plans are deterministic");
    let table = text(&run(&["plan", path, "--trials", "2"]).stdout);
    assert!(
        table.contains("NOT SURVIVABLE") && table.contains("Recommendation:"),
        "{table}"
    );
    let csv = text(&run(&["plan", path, "--trials", "2", "--csv"]).stdout);
    assert_eq!(csv.lines().count(), 25);
    let markdown = text(&run(&["plan", path, "--trials", "2", "--markdown"]).stdout);
    assert!(markdown.starts_with("| strategy |"));
    let bad = run(&["plan", path, "--trials", "0"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// A 1 × 1 grey PNG, built by hand.
fn tiny_png() -> Vec<u8> {
    use catapult_dr::export::{crc32, PNG_SIGNATURE};
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut bytes = (data.len() as u32).to_be_bytes().to_vec();
        let mut covered = kind.to_vec();
        covered.extend_from_slice(data);
        bytes.extend_from_slice(&covered);
        bytes.extend_from_slice(&crc32(&covered).to_be_bytes());
        bytes
    };
    let mut png = PNG_SIGNATURE.to_vec();
    png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    png.extend(chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&[0, 128], 6),
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn extract_prints_the_scenario_inside_an_exported_picture() {
    use catapult_dr::export;
    use catapult_dr::scenario::{presets, validate};
    let file = presets::load_file("multi-az").unwrap();
    let json = catapult_dr::scenario::file::encode(&file).to_string();
    let scenario = validate(&file).unwrap();
    let layout = catapult_dr::view::layout(&scenario);
    let diagram = export::diagram_svg(&scenario, &layout, None, "multi-az");
    let svg = export::embed_scenario_in_svg(&diagram, &json).unwrap();
    let svg_path = temp_file("topology.svg", &svg);
    let extracted = run(&["extract", svg_path.to_str().unwrap()]);
    assert!(extracted.status.success(), "{}", text(&extracted.stderr));
    assert_eq!(text(&extracted.stdout), format!("{json}\n"));

    // Piped into validate, the extracted scenario checks out.
    let mut validator = binary()
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    validator
        .stdin
        .take()
        .unwrap()
        .write_all(&extracted.stdout)
        .unwrap();
    let validated = validator.wait_with_output().unwrap();
    assert_eq!(text(&validated.stdout), "ok\n");

    let png_path = std::env::temp_dir().join(format!(
        "catapult-dr-cli-{}-topology.png",
        std::process::id()
    ));
    std::fs::write(
        &png_path,
        export::embed_scenario_in_png(&tiny_png(), &json).unwrap(),
    )
    .unwrap();
    let extracted = run(&["extract", png_path.to_str().unwrap()]);
    assert!(extracted.status.success(), "{}", text(&extracted.stderr));
    assert_eq!(text(&extracted.stdout), format!("{json}\n"));

    std::fs::write(&png_path, tiny_png()).unwrap();
    let without = run(&["extract", png_path.to_str().unwrap()]);
    assert_eq!(without.status.code(), Some(2));
    assert!(text(&without.stdout).is_empty());
    assert!(
        text(&without.stderr).contains(
            "this PNG has no Catapult DR scenario inside; export it from the app's Export menu"
        ),
        "{}",
        text(&without.stderr)
    );

    let json_path = temp_file("plain.json", &json);
    let not_a_picture = run(&["extract", json_path.to_str().unwrap()]);
    assert_eq!(not_a_picture.status.code(), Some(2));
    assert!(text(&not_a_picture.stderr).contains("is not an SVG or PNG picture"));
    assert_eq!(run(&["extract"]).status.code(), Some(2));
    for path in [svg_path, png_path, json_path] {
        let _ = std::fs::remove_file(path);
    }
}
