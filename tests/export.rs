//! Pictures that carry their scenario: the diagram SVG, embedding in and extraction from
//! SVG and PNG, and importing such pictures (`src/export.rs`, `session::import_bytes`).

#![cfg(not(target_arch = "wasm32"))]

use catapult_dr::export::{
    self, crc32, diagram_svg, embed_scenario_in_png, embed_scenario_in_svg,
    extract_scenario_from_png, extract_scenario_from_svg, ExportError, PictureKind, PNG_KEYWORD,
    PNG_SIGNATURE,
};
use catapult_dr::scenario::file::encode;
use catapult_dr::scenario::limits::{FILE_BYTES_MAX, ID_CHARS_MAX};
use catapult_dr::scenario::{presets, validate, Scenario};
use catapult_dr::session;
use catapult_dr::sim::{Simulation, SimulationOptions};
use catapult_dr::view;
use catapult_dr::view::svg::{escape_xml_attribute, escape_xml_text};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut bytes = (data.len() as u32).to_be_bytes().to_vec();
    bytes.extend_from_slice(kind);
    bytes.extend_from_slice(data);
    let mut covered = kind.to_vec();
    covered.extend_from_slice(data);
    bytes.extend_from_slice(&crc32(&covered).to_be_bytes());
    bytes
}

const PICTURE_WIDTH: u32 = 3;
const PICTURE_HEIGHT: u32 = 2;

/// The raw scanlines of the test picture: filter byte 0, then RGB pixels.
fn scanlines() -> Vec<u8> {
    let mut raw = Vec::new();
    for row in 0..PICTURE_HEIGHT {
        raw.push(0);
        for column in 0..PICTURE_WIDTH {
            raw.extend_from_slice(&[(row * 100) as u8, (column * 80) as u8, 200]);
        }
    }
    raw
}

/// A tiny valid PNG: 3 × 2 pixels, 8-bit RGB.
fn tiny_png() -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&PICTURE_WIDTH.to_be_bytes());
    header.extend_from_slice(&PICTURE_HEIGHT.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = PNG_SIGNATURE.to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"tEXt", b"Software\0a test"));
    png.extend(chunk(
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&scanlines(), 6),
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// Reads a PNG independently of the module: signature, chunk bounds and CRCs, IHDR
/// first, IEND last, and the image data decompresses to the expected scanlines.
fn assert_png_decodes(png: &[u8]) -> Vec<[u8; 4]> {
    assert!(png.starts_with(&PNG_SIGNATURE));
    let mut offset = 8;
    let mut kinds = Vec::new();
    let mut image_data = Vec::new();
    while offset < png.len() {
        let length = u32::from_be_bytes(png[offset..offset + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[offset + 4..offset + 8].try_into().unwrap();
        let data = &png[offset + 8..offset + 8 + length];
        let stored = u32::from_be_bytes(
            png[offset + 8 + length..offset + 12 + length]
                .try_into()
                .unwrap(),
        );
        assert_eq!(stored, crc32(&png[offset + 4..offset + 8 + length]));
        if &kind == b"IDAT" {
            image_data.extend_from_slice(data);
        }
        kinds.push(kind);
        offset += 12 + length;
    }
    assert_eq!(offset, png.len());
    assert_eq!(kinds.first(), Some(b"IHDR"));
    assert_eq!(kinds.last(), Some(b"IEND"));
    assert_eq!(
        miniz_oxide::inflate::decompress_to_vec_zlib(&image_data).unwrap(),
        scanlines()
    );
    kinds
}

/// A small well-formedness check: balanced tags, one root, quoted attributes, no
/// duplicate attributes, and every `&` a known entity or character reference.
fn assert_well_formed(xml: &str) {
    fn check_entities(text: &str) {
        let mut rest = text;
        while let Some(at) = rest.find('&') {
            let after = &rest[at + 1..];
            let end = after.find(';').expect("an entity is closed");
            let entity = &after[..end];
            let known = matches!(entity, "lt" | "gt" | "amp" | "quot" | "apos")
                || entity
                    .strip_prefix('#')
                    .is_some_and(|digits| digits.chars().all(|c| c.is_ascii_digit()));
            assert!(known, "unknown entity &{entity};");
            rest = &after[end..];
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        let text = &rest[..at];
        assert!(!text.contains('>'), "a raw > in text: {text}");
        check_entities(text);
        rest = &rest[at..];
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>").unwrap() + 2..];
            continue;
        }
        if rest.starts_with("<!--") {
            rest = &rest[rest.find("-->").unwrap() + 3..];
            continue;
        }
        let end = rest.find('>').expect("a tag is closed");
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched end tag"
            );
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(' ').unwrap_or(tag.len());
        let name = &tag[..name_end];
        assert!(!name.is_empty() && !name.contains(['<', '&', '"', '\'']));
        let mut attributes = &tag[name_end..];
        let mut names = Vec::new();
        loop {
            attributes = attributes.trim_start();
            if attributes.is_empty() {
                break;
            }
            let equals = attributes.find('=').expect("attribute has a value");
            let attribute = &attributes[..equals];
            assert!(
                !names.contains(&attribute),
                "duplicate attribute {attribute}"
            );
            names.push(attribute);
            let quote = attributes[equals + 1..].chars().next().unwrap();
            assert!(
                quote == '"' || quote == '\'',
                "unquoted attribute {attribute}"
            );
            let value_start = equals + 2;
            let value_end = value_start + attributes[value_start..].find(quote).unwrap();
            let value = &attributes[value_start..value_end];
            assert!(!value.contains('<'));
            check_entities(value);
            attributes = &attributes[value_end + 1..];
        }
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name.to_string());
        }
    }
    assert!(rest.trim().is_empty(), "text after the root");
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1);
}

/// The base64url text inside an embedded SVG scenario element.
fn payload_of(svg: &str) -> String {
    let marker = "encoding=\"base64url-deflate\">";
    let start = svg.find(marker).unwrap() + marker.len();
    let end = svg.find("</catapult-dr:scenario>").unwrap();
    svg[start..end].to_string()
}

/// URL-safe base64 without padding, written independently of the crate's.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut text = String::new();
    for group in bytes.chunks(3) {
        let value = group
            .iter()
            .enumerate()
            .fold(0u32, |value, (index, &byte)| {
                value | (byte as u32) << (16 - 8 * index)
            });
        for position in 0..=group.len() {
            text.push(ALPHABET[(value >> (18 - 6 * position) & 63) as usize] as char);
        }
    }
    text
}

fn scenario_json(name: &str) -> (catapult_dr::scenario::ScenarioFile, String) {
    let file = presets::load_file(name).unwrap();
    let json = encode(&file).to_string();
    (file, json)
}

fn snapshot_at(scenario: &Scenario, at_ms: u64) -> view::NetworkView {
    let mut simulation = Simulation::new(scenario, SimulationOptions::from_scenario(scenario));
    simulation.run_until(at_ms).unwrap();
    view::snapshot(&simulation)
}

/// A scenario whose every name is hostile, with the longest ids allowed.
fn hostile_json() -> String {
    let long_id: String = "<script>&\"'".chars().cycle().take(ID_CHARS_MAX).collect();
    let az_id = "]]><!-- & ' \" <az> -->";
    let peer_id = "<img src=x onerror=alert(1)>";
    let api_id = "api</text><script>alert(2)</script>";
    serde_json::json!({
        "version": 1,
        "name": "<script>alert(\"n\")</script>&'",
        "description": "<style>*{}</style>",
        "regions": [
            { "id": long_id, "azs": [
                { "id": az_id, "nodes": [
                    { "id": peer_id, "role": "PEER" },
                    { "id": "\"><svg onload=alert(3)>", "role": "DUAL", "voting": true, "voting_balance": 3000000 },
                    { "id": api_id, "role": "API" }
                ]}
            ]}
        ],
        "faults": [ { "kind": "crash", "node": peer_id, "at": "10m", "until": "20m" } ]
    })
    .to_string()
}

// ---------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------

#[test]
fn every_preset_round_trips_through_an_svg_diagram_and_a_png() {
    for preset in &presets::PRESETS {
        let (file, json) = scenario_json(preset.name);
        let scenario = validate(&file).unwrap();
        let layout = view::layout(&scenario);
        let network = snapshot_at(&scenario, 60_000);
        let diagram = diagram_svg(&scenario, &layout, Some(&network), preset.name);
        assert_well_formed(&diagram);
        let svg = embed_scenario_in_svg(&diagram, &json).unwrap();
        assert_well_formed(&svg);
        assert_eq!(
            extract_scenario_from_svg(&svg).unwrap(),
            json,
            "{}",
            preset.name
        );
        assert_eq!(
            session::import_bytes("topology.svg", svg.as_bytes()).unwrap(),
            file
        );

        let png = embed_scenario_in_png(&tiny_png(), &json).unwrap();
        let kinds = assert_png_decodes(&png);
        assert_eq!(kinds.iter().filter(|kind| *kind == b"iTXt").count(), 1);
        assert_eq!(kinds[kinds.len() - 2], *b"iTXt");
        assert_eq!(
            extract_scenario_from_png(&png).unwrap(),
            json,
            "{}",
            preset.name
        );
        assert_eq!(session::import_bytes("topology.png", &png).unwrap(), file);
    }
}

#[test]
fn embedding_again_replaces_the_scenario() {
    let (_, first) = scenario_json("multi-az");
    let (_, second) = scenario_json("seed-fork");
    let scenario = validate(&presets::load_file("multi-az").unwrap()).unwrap();
    let diagram = diagram_svg(&scenario, &view::layout(&scenario), None, "multi-az");
    let twice =
        embed_scenario_in_svg(&embed_scenario_in_svg(&diagram, &first).unwrap(), &second).unwrap();
    assert_eq!(twice.matches("<catapult-dr:scenario").count(), 1);
    assert_eq!(twice.matches("<metadata").count(), 1);
    assert_eq!(extract_scenario_from_svg(&twice).unwrap(), second);
    assert_well_formed(&twice);

    let png = embed_scenario_in_png(
        &embed_scenario_in_png(&tiny_png(), &first).unwrap(),
        &second,
    )
    .unwrap();
    assert_png_decodes(&png);
    let keyword = format!("{PNG_KEYWORD}\0");
    assert_eq!(
        png.windows(keyword.len())
            .filter(|window| *window == keyword.as_bytes())
            .count(),
        1
    );
    assert_eq!(extract_scenario_from_png(&png).unwrap(), second);
}

#[test]
fn svg_from_elsewhere_gets_the_namespace_and_keeps_its_content() {
    let json = "{\"version\":1}";
    let bare =
        embed_scenario_in_svg("<svg width=\"10\" height=\"10\"><rect/></svg>", json).unwrap();
    assert!(bare.starts_with(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><metadata>"
    ));
    assert!(bare.ends_with("</metadata><rect/></svg>"));
    assert_eq!(extract_scenario_from_svg(&bare).unwrap(), json);

    let empty = embed_scenario_in_svg("<svg/>", json).unwrap();
    assert_well_formed(&empty);
    assert!(empty.ends_with("</metadata></svg>"));
    assert_eq!(extract_scenario_from_svg(&empty).unwrap(), json);

    let prolog = "<?xml version=\"1.0\"?>\n<!-- made elsewhere -->\n<svg xmlns='http://www.w3.org/2000/svg' data-x='a>b'>\n<g/></svg>\n";
    let embedded = embed_scenario_in_svg(prolog, json).unwrap();
    assert!(embedded.starts_with("<?xml version=\"1.0\"?>\n<!-- made elsewhere -->\n<svg xmlns='http://www.w3.org/2000/svg' data-x='a>b'><metadata>"));
    assert_eq!(extract_scenario_from_svg(&embedded).unwrap(), json);

    // Another metadata element (an editor's RDF) survives replacement.
    let with_rdf = embed_scenario_in_svg(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><metadata><rdf/></metadata></svg>",
        json,
    )
    .unwrap();
    let again = embed_scenario_in_svg(&with_rdf, json).unwrap();
    assert!(again.contains("<metadata><rdf/></metadata>"));
    assert_eq!(again.matches("catapult-dr:scenario").count(), 2); // start and end tag

    assert!(matches!(
        embed_scenario_in_svg("<svg xmlns=\"urn:other\"/>", json),
        Err(ExportError::NotSvg(_))
    ));
    assert!(matches!(
        embed_scenario_in_svg("<html></html>", json),
        Err(ExportError::NotSvg(_))
    ));
    let too_large = " ".repeat(FILE_BYTES_MAX + 1);
    assert!(matches!(
        embed_scenario_in_svg("<svg/>", &too_large),
        Err(ExportError::TooLarge { .. })
    ));
}

#[test]
fn an_editor_that_moves_the_namespace_or_rewraps_the_payload_is_tolerated() {
    let json = "{\"version\":1,\"name\":\"moved\"}";
    let embedded = embed_scenario_in_svg("<svg/>", json).unwrap();
    let payload = payload_of(&embedded);
    let wrapped: String = payload
        .as_bytes()
        .chunks(10)
        .map(|line| format!("\n    {}", std::str::from_utf8(line).unwrap()))
        .collect();
    let edited = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:ns0=\"https://catapult-dr.invalid/scenario\">\
         <metadata><ns0:scenario version=\"1\" encoding=\"base64url-deflate\">{wrapped}\n</ns0:scenario></metadata></svg>"
    );
    assert_eq!(extract_scenario_from_svg(&edited).unwrap(), json);
}

// ---------------------------------------------------------------------------------------
// Escaping and the diagram's safety
// ---------------------------------------------------------------------------------------

#[test]
fn the_escaping_helpers_neutralize_markup() {
    let hostile = "<script>&\"'";
    assert_eq!(escape_xml_text(hostile), "&lt;script&gt;&amp;\"'");
    assert_eq!(
        escape_xml_attribute(hostile),
        "&lt;script&gt;&amp;&quot;&apos;"
    );
    assert_well_formed(&format!(
        "<a b=\"{}\" c='{}'>{}</a>",
        escape_xml_attribute(hostile),
        escape_xml_attribute(hostile),
        escape_xml_text(hostile)
    ));
}

#[test]
fn hostile_names_are_text_in_the_diagram() {
    let json = hostile_json();
    let file = session::import(&json).expect("the hostile scenario is valid");
    let scenario = validate(&file).unwrap();
    let layout = view::layout(&scenario);
    let network = snapshot_at(&scenario, 15 * 60_000);
    for network in [None, Some(&network)] {
        let diagram = diagram_svg(
            &scenario,
            &layout,
            network,
            &format!("{} at 15m", scenario.name),
        );
        assert_well_formed(&diagram);
        let lower = diagram.to_lowercase();
        // Words like onload may appear as escaped text; markup never does.
        for forbidden in [
            "<script",
            "<img",
            "<style",
            "style=",
            "href",
            "url(",
            "<foreignobject",
            "<image",
            "<use",
        ] {
            assert!(!lower.contains(forbidden), "{forbidden} in the diagram");
        }
        assert!(diagram.contains("&lt;script&gt;alert(\"n\")&lt;/script&gt;&amp;'"));
        assert!(diagram.contains("&lt;img src=x onerror=alert(1)&gt;"));
        // Every tag is one the renderer writes.
        for tag in diagram.split('<').skip(1) {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '?')
                .collect();
            assert!(
                ["?xml", "svg", "title", "desc", "rect", "text", "g", "line", "path", "circle"]
                    .contains(&name.as_str()),
                "unexpected tag <{name}"
            );
        }
        let svg = embed_scenario_in_svg(&diagram, &json).unwrap();
        assert_eq!(
            session::import_bytes("hostile.svg", svg.as_bytes()).unwrap(),
            file
        );
    }
}

#[test]
fn the_diagram_is_a_standalone_picture_in_the_apps_look() {
    let scenario = validate(&presets::load_file("active-active").unwrap()).unwrap();
    let layout = view::layout(&scenario);
    let network = snapshot_at(&scenario, 150 * 60_000);
    let diagram = diagram_svg(
        &scenario,
        &layout,
        Some(&network),
        "active-active at 2h 30m",
    );
    assert!(diagram.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
    ));
    assert!(diagram.contains(&format!("viewBox=\"0 0 {} ", layout.width.ceil())));
    assert!(diagram.contains("font-family=\"system-ui, sans-serif\""));
    assert!(diagram.contains("fill=\"#ffffff\""));
    assert!(diagram.contains("<title>active-active at 2h 30m</title>"));
    // Regions dashed teal; the AZs, all cut by the partition, dotted orange (dashed
    // blue otherwise); the partitioned link drawn.
    assert!(diagram.contains("stroke=\"#00a4a6\" stroke-width=\"2\" stroke-dasharray=\"8 4\""));
    assert!(diagram.contains("stroke=\"#d55e00\" stroke-width=\"3\" stroke-dasharray=\"2 4\""));
    let before = diagram_svg(
        &scenario,
        &layout,
        Some(&snapshot_at(&scenario, 60 * 60_000)),
        "before",
    );
    assert!(before.contains("stroke=\"#147eba\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""));
    assert!(diagram.contains("stroke=\"#d55e00\" stroke-dasharray=\"2 8\""));
    for region in &scenario.regions {
        assert!(diagram.contains(&format!(">Region {}</text>", region.id)));
    }
    for (node, view) in scenario.nodes.iter().zip(&network.nodes) {
        assert!(diagram.contains(&format!(
            "h {} · fin {}",
            view.height, view.finalized_height
        )));
        assert!(diagram.contains(&format!(">{}</text>", node.id)));
    }
    assert!(!diagram.contains("style="));
    assert!(!diagram.contains("<script"));
    assert_well_formed(&diagram);
}

/// Issue 13: the exported diagram dropped the entry point, the vault and the marks.
/// multi-az during its AZ outage: the load balancer says "1/2 healthy", api1's line is
/// drawn unhealthy and api2's carrying, the AZ is marked out and hatched, and the
/// legend is there.
#[test]
fn the_diagram_shows_the_entry_points_health_the_az_out_and_the_legend() {
    let scenario = validate(&presets::load_file("multi-az").unwrap()).unwrap();
    let layout = view::layout(&scenario);
    let network = snapshot_at(&scenario, 150 * 60_000);
    let diagram = diagram_svg(&scenario, &layout, Some(&network), "multi-az at 2h 30m");
    assert!(diagram.contains(">Load balancer</text>"));
    assert!(
        diagram.contains(">1/2 healthy · 0.2 tx/s</text>"),
        "{diagram}"
    );
    let line_of = |class: &str| {
        diagram
            .lines()
            .filter(|line| line.starts_with(&format!("<g class=\"entry-target {class}\">")))
            .count()
    };
    assert_eq!(line_of("unhealthy"), 1, "api1's line");
    assert_eq!(line_of("carrying"), 1, "api2's line");
    assert!(diagram.contains("stroke=\"#d55e00\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\""));
    assert!(diagram.contains(">AZ ap-northeast-1a · ✕ out</text>"));
    assert!(!diagram.contains(">AZ ap-northeast-1c · ✕ out</text>"));
    assert!(
        diagram.contains("stroke-opacity=\"0.25\" stroke-width=\"3\""),
        "hatched"
    );
    assert!(diagram.contains(">AZ outage</text>"), "peer1's detail");
    for words in [
        "cold standby",
        "target unhealthy",
        "AZ / region out",
        "peer connection",
    ] {
        assert!(
            diagram.contains(&format!(">{words}</text>")),
            "legend: {words}"
        );
    }
    assert!(diagram.contains("<path d=\"M"), "peer connections");
    // Before a run: the entry point with its targets, drawn plain.
    let plain = diagram_svg(&scenario, &layout, None, "multi-az");
    assert!(plain.contains(">2 targets · 0.2 tx/s</text>"));
    assert_eq!(plain.matches("<g class=\"entry-target plain\">").count(), 2);
    assert_well_formed(&diagram);
    assert_well_formed(&plain);
}

/// The vault with its snapshots and copies, the region out, and a partition's mark.
#[test]
fn the_diagram_shows_the_vault_the_region_out_and_a_partition() {
    let scenario = validate(&presets::load_file("inter-region-backup").unwrap()).unwrap();
    let network = snapshot_at(&scenario, 8 * 3_600_000);
    let diagram = diagram_svg(
        &scenario,
        &view::layout(&scenario),
        Some(&network),
        "inter-region-backup at 8h",
    );
    assert!(diagram.contains(">Backup vault</text>"));
    assert!(diagram.contains(">12 snapshots · newest "), "{diagram}");
    assert!(diagram.contains(" copied to ap-northeast-3</text>"));
    assert!(diagram.contains(">Region ap-northeast-1 · ✕ region out</text>"));
    assert!(diagram.contains("restoring</text>"));
    assert!(diagram.contains(">0/4 healthy · answers as if all were · 0.2 tx/s</text>"));
    assert_well_formed(&diagram);

    let scenario = validate(&presets::load_file("active-active").unwrap()).unwrap();
    let network = snapshot_at(&scenario, 150 * 60_000);
    let diagram = diagram_svg(&scenario, &view::layout(&scenario), Some(&network), "cut");
    assert!(network.az_partitioned.iter().any(|&cut| cut));
    assert!(diagram.contains(" · ✂ partitioned</text>"));
    assert_well_formed(&diagram);
}

// ---------------------------------------------------------------------------------------
// Damaged input
// ---------------------------------------------------------------------------------------

#[test]
fn every_truncated_or_flipped_png_is_an_error_not_a_panic() {
    let (_, json) = scenario_json("multi-az");
    let png = embed_scenario_in_png(&tiny_png(), &json).unwrap();
    for length in 0..png.len() {
        assert!(
            extract_scenario_from_png(&png[..length]).is_err(),
            "cut at {length}"
        );
        assert!(embed_scenario_in_png(&png[..length], &json).is_err());
    }
    for position in 0..png.len() {
        let mut flipped = png.clone();
        flipped[position] ^= 0x10;
        assert!(
            extract_scenario_from_png(&flipped).is_err(),
            "flip at {position}"
        );
    }
    assert_eq!(
        extract_scenario_from_png(b"GIF89a"),
        Err(ExportError::NotPng)
    );
    let message = extract_scenario_from_png(&png[..png.len() - 5])
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("before its IEND chunk") && message.contains("cut short"),
        "{message}"
    );
}

#[test]
fn a_png_without_a_scenario_says_so() {
    let error = extract_scenario_from_png(&tiny_png()).unwrap_err();
    assert_eq!(error, ExportError::NoScenario(PictureKind::Png));
    assert_eq!(
        error.to_string(),
        "this PNG has no Catapult DR scenario inside; export it from the app's Export menu"
    );
}

#[test]
fn damaged_svgs_are_errors_not_panics() {
    let (_, json) = scenario_json("seed-fork");
    let svg = embed_scenario_in_svg(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>",
        &json,
    )
    .unwrap();
    for (length, _) in svg.char_indices() {
        // A cut after the metadata may still read; it must then read right.
        if let Ok(extracted) = extract_scenario_from_svg(&svg[..length]) {
            assert_eq!(extracted, json, "cut at {length}");
        }
    }
    assert_eq!(
        extract_scenario_from_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .unwrap_err()
            .to_string(),
        "this SVG has no Catapult DR scenario inside; export it from the app's Export menu"
    );
    let corrupt = svg.replacen(
        "encoding=\"base64url-deflate\">",
        "encoding=\"base64url-deflate\">*",
        1,
    );
    assert!(matches!(
        extract_scenario_from_svg(&corrupt),
        Err(ExportError::DamagedScenario(PictureKind::Svg, _))
    ));
    let newer = svg.replacen("version=\"1\"", "version=\"9\"", 1);
    assert!(extract_scenario_from_svg(&newer)
        .unwrap_err()
        .to_string()
        .contains("another version of the app"));
    // Exactly at the file cap is fine; a payload that inflates past it (a bomb) is not.
    let at_cap = " ".repeat(FILE_BYTES_MAX);
    let full = embed_scenario_in_svg("<svg/>", &at_cap).unwrap();
    assert_eq!(
        extract_scenario_from_svg(&full).unwrap().len(),
        FILE_BYTES_MAX
    );
    let bomb = base64url(&miniz_oxide::deflate::compress_to_vec(
        " ".repeat(FILE_BYTES_MAX + 1).as_bytes(),
        9,
    ));
    assert!(bomb.len() < 2_000);
    let bombed = full.replacen(&payload_of(&full), &bomb, 1);
    assert!(matches!(
        extract_scenario_from_svg(&bombed),
        Err(ExportError::TooLarge { .. })
    ));
}

#[test]
fn an_oversized_embedded_scenario_is_refused() {
    // Build the over-cap picture by hand: the embed functions refuse it.
    let huge = vec![b' '; FILE_BYTES_MAX + 1];
    let mut data = format!("{PNG_KEYWORD}\0\u{1}\0\0\0").into_bytes();
    data.extend(miniz_oxide::deflate::compress_to_vec_zlib(&huge, 9));
    let mut png = tiny_png();
    let iend = png.len() - 12;
    png.splice(iend..iend, chunk(b"iTXt", &data));
    assert!(matches!(
        extract_scenario_from_png(&png),
        Err(ExportError::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261126),
        .. ProptestConfig::default()
    })]

    /// Random edits to an exported PNG (and random bytes after its signature) never panic.
    #[test]
    fn mangled_pngs_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        tail in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let png = embed_scenario_in_png(&tiny_png(), "{\"version\":1}").unwrap();
        let mut mangled = png.clone();
        for (position, byte) in edits {
            let position = position % mangled.len();
            mangled[position] = byte;
        }
        let _ = extract_scenario_from_png(&mangled);
        let _ = embed_scenario_in_png(&mangled, "{}");
        let _ = session::import_bytes("x.png", &mangled);
        let mut random = PNG_SIGNATURE.to_vec();
        random.extend(tail);
        prop_assert!(extract_scenario_from_png(&random).is_err());
    }

    /// Random text around an `<svg` never panics either.
    #[test]
    fn mangled_svgs_never_panic(prefix in "[<>\"'a-z =/!?-]{0,24}", suffix in "[<>\"'a-z =/:]{0,48}") {
        let text = format!("{prefix}<svg{suffix}");
        let _ = extract_scenario_from_svg(&text);
        let _ = embed_scenario_in_svg(&text, "{}");
        let _ = session::import_bytes("x.svg", text.as_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// Importing files
// ---------------------------------------------------------------------------------------

#[test]
fn import_bytes_reads_json_svg_and_png_by_content() {
    let (file, json) = scenario_json("inter-region-backup");
    assert_eq!(
        session::import_bytes("a.json", json.as_bytes()).unwrap(),
        file
    );
    // The name does not matter; the content does.
    let svg = embed_scenario_in_svg("<svg/>", &json).unwrap();
    assert_eq!(
        session::import_bytes("a.json", svg.as_bytes()).unwrap(),
        file
    );
    let png = embed_scenario_in_png(&tiny_png(), &json).unwrap();
    assert_eq!(session::import_bytes("a.txt", &png).unwrap(), file);
    assert_eq!(export::file_kind(json.as_bytes()), export::FileKind::Text);
    // A description that mentions <svg is still JSON.
    assert_eq!(
        export::file_kind(b"{\"description\": \"<svg>\"}"),
        export::FileKind::Text
    );
}

#[test]
fn import_bytes_explains_pictures_without_a_scenario() {
    let errors = session::import_bytes("plain.png", &tiny_png()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "$");
    assert_eq!(
        errors[0].message,
        "plain.png: this PNG has no Catapult DR scenario inside; export it from the app's Export menu"
    );
    let errors = session::import_bytes("plain.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .unwrap_err();
    assert!(errors[0]
        .message
        .contains("this SVG has no Catapult DR scenario inside"));
    let errors = session::import_bytes("photo.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap_err();
    assert!(
        errors[0].message.contains("photo.jpg is a JPEG picture"),
        "{}",
        errors[0].message
    );
    let errors = session::import_bytes("page.html", b"<!doctype html><html></html>").unwrap_err();
    assert!(
        errors[0]
            .message
            .starts_with("page.html: this is not an SVG picture (its first element is not <svg>)"),
        "{}",
        errors[0].message
    );
    // A file full of the namespace in unclosed tags gets a bounded look, then an answer.
    let mentions = format!("<x a=\"{}", export::SCENARIO_NAMESPACE).repeat(50_000);
    let crowded = format!("<svg>{mentions}");
    assert!(session::import_bytes("crowded.svg", crowded.as_bytes()).is_err());
    let mut huge = b"<svg>".to_vec();
    huge.resize(catapult_dr::scenario::limits::PICTURE_BYTES_MAX + 1, b' ');
    let errors = session::import_bytes("huge.svg", &huge).unwrap_err();
    assert!(
        errors[0].message.contains("over the 16777216 byte limit"),
        "{}",
        errors[0].message
    );
    let errors = session::import_bytes("binary.json", &[0xC3, 0x28]).unwrap_err();
    assert!(errors[0].message.contains("not UTF-8"));
}

#[test]
fn a_picture_of_an_invalid_scenario_reports_json_paths() {
    let svg = embed_scenario_in_svg("<svg/>", "{\"version\": 2, \"regions\": []}").unwrap();
    let errors = session::import_bytes("bad.svg", svg.as_bytes()).unwrap_err();
    assert!(
        errors.iter().any(|error| error.path == "version"),
        "{errors:?}"
    );
    let png = embed_scenario_in_png(&tiny_png(), "{\"version\": 1, \"regions\": []}").unwrap();
    let errors = session::import_bytes("bad.png", &png).unwrap_err();
    assert_eq!(errors[0].path, "regions", "{errors:?}");
    let png = embed_scenario_in_png(&tiny_png(), "{ not json").unwrap();
    assert!(session::import_bytes("bad.png", &png).unwrap_err()[0]
        .message
        .contains("not valid JSON"));
}

/// Issue 13: with three regions the exported diagram drew its inter-region links as bare
/// lines, one of them straight through the middle region, with no status or latency.
/// Each pair now has its badge, placed as the canvas places it: over neither another
/// badge nor a third region, and inside the picture.
#[test]
fn three_regions_export_a_badge_per_link_over_no_other_badge_or_region() {
    let scenario = validate(&presets::large_network(30, 3_600_000)).unwrap();
    assert_eq!(scenario.regions.len(), 3);
    let layout = view::layout(&scenario);
    let network = snapshot_at(&scenario, 10 * 60_000);
    let diagram = diagram_svg(&scenario, &layout, Some(&network), "three regions");
    assert_well_formed(&diagram);
    let number_after = |line: &str, attribute: &str| -> f64 {
        let start = line.find(&format!(" {attribute}=\"")).unwrap() + attribute.len() + 3;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    let rect_of = |line: &str| {
        let rect_start = line.find("<rect ").unwrap();
        let rect = &line[rect_start..];
        (
            number_after(rect, "x"),
            number_after(rect, "y"),
            number_after(rect, "width"),
            number_after(rect, "height"),
        )
    };
    let badges: Vec<(f64, f64, f64, f64)> = diagram
        .lines()
        .filter(|line| line.starts_with("<g class=\"link-badge\">"))
        .map(rect_of)
        .collect();
    assert_eq!(badges.len(), 3, "one badge per pair of regions");
    for name in ["ap-northeast-1", "ap-northeast-3", "ap-southeast-1"] {
        assert!(diagram.contains(&format!("<title>Region {name}</title>")));
    }
    let regions: Vec<(f64, f64, f64, f64)> = diagram
        .lines()
        .filter(|line| line.starts_with("<g><title>Region "))
        .map(rect_of)
        .collect();
    assert_eq!(regions.len(), 3);
    let overlap = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    };
    let picture_width = number_after(diagram.lines().nth(1).unwrap(), "width");
    let pairs = [(0, 1), (0, 2), (1, 2)];
    for (index, &badge) in badges.iter().enumerate() {
        assert!(
            badge.0 >= 0.0 && badge.0 + badge.2 <= picture_width,
            "{badge:?}"
        );
        for (other_index, &other) in badges.iter().enumerate() {
            assert!(
                index == other_index || !overlap(badge, other),
                "{badge:?} {other:?}"
            );
        }
        let (from, to) = pairs[index];
        for (region_index, &region) in regions.iter().enumerate() {
            if region_index != from && region_index != to {
                assert!(
                    !overlap(badge, region),
                    "badge {index} over region {region_index}"
                );
            }
        }
    }
    assert_eq!(
        diagram.matches(" ms</text></g>").count(),
        3,
        "each badge says its latency"
    );
}
