//! Pictures that carry their scenario: the topology diagram as a standalone SVG, and the
//! scenario embedded in (and read back from) exported SVG and PNG files, so that
//! dropping a picture on the app restores the scenario it shows. Pure and natively
//! tested; the browser only rasterizes the SVG to PNG and offers the files.
//!
//! Formats (see `docs/embedding.md`, "Pictures that carry their scenario"):
//! - **SVG**: right after the opening `<svg>` tag,
//!   `<metadata><catapult-dr:scenario xmlns:catapult-dr="https://catapult-dr.invalid/scenario"
//!   version="1" encoding="base64url-deflate">PAYLOAD</catapult-dr:scenario></metadata>`,
//!   where PAYLOAD is the scenario JSON, raw-deflated and URL-safe base64-encoded without
//!   padding (the share links' encoding), so it needs no XML escaping at all.
//! - **PNG**: one `iTXt` chunk with keyword `catapult-dr-scenario`, compression flag 1
//!   (zlib), empty language tag and translated keyword, holding the scenario JSON as
//!   UTF-8; it sits just before `IEND`.
//!
//! Invariants: embedding replaces any scenario already embedded (a picture holds at
//! most one); reading never panics on any input, checks every PNG chunk's bounds and
//! CRC-32, caps the picture at [`PICTURE_BYTES_MAX`] and the inflated scenario at
//! [`FILE_BYTES_MAX`]; every user-controlled string in generated SVG goes through
//! [`crate::view::svg`]'s escaping, and the diagram uses presentation
//! attributes only (no `style`, no scripts, no external references).

use std::fmt;

use crate::edit::placement::{self, Area};
use crate::scenario::limits::{FILE_BYTES_MAX, PICTURE_BYTES_MAX};
use crate::scenario::EntryKind;
use crate::scenario::Scenario;
use crate::share::{base64url_decode, base64url_encode};
use crate::view::diagram::{self, LegendSwatch};
use crate::view::svg::{escape_xml_text, short_label};
use crate::view::{Layout, LinkStatus, NetworkView, NodeStatus, Rect};

/// The SVG namespace the root element must be in.
pub const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
/// The namespace of the embedded scenario element (a name only, never fetched).
pub const SCENARIO_NAMESPACE: &str = "https://catapult-dr.invalid/scenario";
/// The version of the embedding (not of the scenario format, which the JSON carries).
pub const EMBED_VERSION: &str = "1";
/// How the SVG payload is encoded.
pub const SVG_PAYLOAD_ENCODING: &str = "base64url-deflate";
/// The keyword of the PNG text chunk.
pub const PNG_KEYWORD: &str = "catapult-dr-scenario";
/// The eight bytes every PNG file starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// The prefix the embedded SVG element is written with.
const SCENARIO_PREFIX: &str = "catapult-dr";
/// Longest SVG payload read: base64 of a deflated 1 MiB file, with room to spare.
const SVG_PAYLOAD_CHARS_MAX: usize = 2 * FILE_BYTES_MAX;
/// Mentions of the scenario namespace examined when looking for the embedded element.
const NAMESPACE_MENTIONS_MAX: usize = 32;
/// Longest tag that may declare the scenario namespace (an embedded element's tag is
/// about 130 bytes; an editor's root tag with its declarations stays far below this).
const NAMESPACE_TAG_BYTES_MAX: usize = 64 * 1024;
/// The PNG format's own cap on a chunk's length.
const PNG_CHUNK_BYTES_MAX: u32 = 0x7FFF_FFFF;

/// Which kind of picture a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureKind {
    Svg,
    Png,
}

impl PictureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PictureKind::Svg => "SVG",
            PictureKind::Png => "PNG",
        }
    }
}

/// Why a picture could not take or give back a scenario. `Display` gives the message
/// shown to the user (what is wrong, then what to do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// Not an SVG document, with the reason.
    NotSvg(String),
    /// Does not start with the PNG signature.
    NotPng,
    /// A PNG whose chunks do not read, with the reason.
    DamagedPng(String),
    /// A well-formed picture without an embedded scenario.
    NoScenario(PictureKind),
    /// An embedded scenario that does not decode, with the reason.
    DamagedScenario(PictureKind, String),
    /// Over a size cap.
    TooLarge {
        what: &'static str,
        size_bytes: usize,
        limit_bytes: usize,
    },
}

impl fmt::Display for ExportError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NotSvg(reason) => write!(
                formatter,
                "this is not an SVG picture ({reason}): export the diagram again from the app's Export menu"
            ),
            ExportError::NotPng => write!(
                formatter,
                "this is not a PNG picture (it does not start with the PNG signature): export the diagram again from the app's Export menu"
            ),
            ExportError::DamagedPng(reason) => write!(
                formatter,
                "this PNG is damaged ({reason}): export it again from the app's Export menu, or import the scenario JSON"
            ),
            ExportError::NoScenario(kind) => write!(
                formatter,
                "this {} has no Catapult DR scenario inside; export it from the app's Export menu",
                kind.as_str()
            ),
            ExportError::DamagedScenario(kind, reason) => write!(
                formatter,
                "the scenario inside this {} is damaged ({reason}): export it again from the app's Export menu, or import the scenario JSON",
                kind.as_str()
            ),
            ExportError::TooLarge {
                what,
                size_bytes,
                limit_bytes,
            } => write!(
                formatter,
                "the {what} is {size_bytes} bytes, over the {limit_bytes} byte limit: export a smaller picture, or remove unused faults or nodes"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

fn check_scenario_size(scenario_json: &str) -> Result<(), ExportError> {
    if scenario_json.len() > FILE_BYTES_MAX {
        return Err(ExportError::TooLarge {
            what: "scenario",
            size_bytes: scenario_json.len(),
            limit_bytes: FILE_BYTES_MAX,
        });
    }
    Ok(())
}

fn check_picture_size(size_bytes: usize) -> Result<(), ExportError> {
    if size_bytes > PICTURE_BYTES_MAX {
        return Err(ExportError::TooLarge {
            what: "picture",
            size_bytes,
            limit_bytes: PICTURE_BYTES_MAX,
        });
    }
    Ok(())
}

/// Inflated scenario bytes to text, or the reason they are not a scenario.
fn inflated_text(
    inflated: Result<Vec<u8>, miniz_oxide::inflate::DecompressError>,
    kind: PictureKind,
) -> Result<String, ExportError> {
    let bytes = inflated.map_err(|error| match error.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ExportError::TooLarge {
            what: "scenario inside",
            size_bytes: FILE_BYTES_MAX + 1,
            limit_bytes: FILE_BYTES_MAX,
        },
        _ => ExportError::DamagedScenario(kind, "it does not decompress".into()),
    })?;
    String::from_utf8(bytes)
        .map_err(|_| ExportError::DamagedScenario(kind, "it is not UTF-8 text".into()))
}

// ---------------------------------------------------------------------------------------
// XML escaping
// ---------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------
// SVG: finding tags
// ---------------------------------------------------------------------------------------

/// A start tag in the text: `start` at its `<`, `end` just past its `>`.
#[derive(Clone, Copy, Debug)]
struct TagSpan {
    start: usize,
    end: usize,
    self_closing: bool,
}

/// The index just past the `>` that closes the tag opened at `start`, skipping `>`
/// inside quoted attribute values.
fn tag_end(text: &str, start: usize) -> Option<usize> {
    tag_end_within(text, start, usize::MAX)
}

/// As [`tag_end`], looking at no more than `length_max` bytes.
fn tag_end_within(text: &str, start: usize, length_max: usize) -> Option<usize> {
    let mut quote = None;
    let bytes = &text.as_bytes()[start..];
    for (offset, byte) in bytes[..bytes.len().min(length_max)].iter().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(*byte),
            (Some(open), _) if open == *byte => quote = None,
            (None, b'>') => return Some(start + offset + 1),
            _ => {}
        }
    }
    None
}

/// The tag's name and attributes (values as written, not unescaped). `None` when the
/// tag is malformed.
fn parse_tag(tag: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let name_end = inner
        .find(|character: char| character.is_ascii_whitespace())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() {
        return None;
    }
    let mut rest = inner[name_end..].trim_start();
    let mut attributes = Vec::new();
    while !rest.is_empty() {
        let equals = rest.find('=')?;
        let attribute = rest[..equals].trim_end();
        if attribute.is_empty() || attribute.contains(|c: char| c.is_ascii_whitespace()) {
            return None;
        }
        let after = rest[equals + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value_end = after[1..].find(quote)? + 1;
        attributes.push((attribute, &after[1..value_end]));
        rest = after[value_end + 1..].trim_start();
    }
    Some((name, attributes))
}

/// The root `<svg>` start tag, after any XML declaration, comments, processing
/// instructions and DOCTYPE.
fn root_svg_tag(svg: &str) -> Result<TagSpan, ExportError> {
    let not_svg = |reason: &str| ExportError::NotSvg(reason.to_string());
    let mut position = 0;
    loop {
        let Some(offset) = svg[position..].find('<') else {
            return Err(not_svg("no <svg> element"));
        };
        let start = position + offset;
        let rest = &svg[start..];
        if rest.starts_with("<!--") {
            let close = rest
                .find("-->")
                .ok_or_else(|| not_svg("a comment is never closed"))?;
            position = start + close + 3;
        } else if rest.starts_with("<?") {
            let close = rest
                .find("?>")
                .ok_or_else(|| not_svg("a processing instruction is never closed"))?;
            position = start + close + 2;
        } else if rest.starts_with("<!") {
            // DOCTYPE, possibly with an internal subset in brackets.
            let mut depth = 0usize;
            let mut close = None;
            for (index, byte) in rest.bytes().enumerate() {
                match byte {
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'>' if depth == 0 => {
                        close = Some(index);
                        break;
                    }
                    _ => {}
                }
            }
            let close = close.ok_or_else(|| not_svg("the DOCTYPE is never closed"))?;
            position = start + close + 1;
        } else {
            let is_svg = rest.starts_with("<svg")
                && rest[4..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/');
            if !is_svg {
                return Err(not_svg("its first element is not <svg>"));
            }
            let end =
                tag_end(svg, start).ok_or_else(|| not_svg("its <svg> tag is never closed"))?;
            return Ok(TagSpan {
                start,
                end,
                self_closing: svg[..end - 1].ends_with('/'),
            });
        }
    }
}

/// Where an embedded scenario element is: its start tag, its content and its end.
#[derive(Clone, Copy, Debug)]
struct EmbeddedSpan {
    tag: TagSpan,
    content_end: usize,
    /// Just past the end tag (or the start tag when it is self-closing).
    end: usize,
}

/// Finds the embedded scenario element: a `P:scenario` (or `scenario`) element whose
/// prefix is bound to [`SCENARIO_NAMESPACE`] on the element itself or on any tag (an
/// editor may move the declaration to the root).
fn find_embedded(svg: &str) -> Result<Option<EmbeddedSpan>, ExportError> {
    let damaged = |reason: &str| ExportError::DamagedScenario(PictureKind::Svg, reason.into());
    let mut prefixes: Vec<&str> = Vec::new();
    let mut search_from = 0;
    let mut examined = 0;
    while let Some(offset) = svg[search_from..].find(SCENARIO_NAMESPACE) {
        // Each look scans a tag; a hostile file full of the namespace gets a bounded look.
        examined += 1;
        if examined > NAMESPACE_MENTIONS_MAX {
            break;
        }
        let at = search_from + offset;
        search_from = at + SCENARIO_NAMESPACE.len();
        let window_start = at.saturating_sub(NAMESPACE_TAG_BYTES_MAX);
        let Some(start) = svg.as_bytes()[window_start..at]
            .iter()
            .rposition(|&byte| byte == b'<')
            .map(|offset| window_start + offset)
        else {
            continue;
        };
        let Some(end) = tag_end_within(svg, start, NAMESPACE_TAG_BYTES_MAX) else {
            continue;
        };
        if end <= at {
            continue;
        }
        let Some((_, attributes)) = parse_tag(&svg[start..end]) else {
            continue;
        };
        for (name, value) in attributes {
            if value != SCENARIO_NAMESPACE {
                continue;
            }
            if name == "xmlns" {
                prefixes.push("");
            } else if let Some(prefix) = name.strip_prefix("xmlns:") {
                prefixes.push(prefix);
            }
        }
    }
    for prefix in prefixes {
        let name = if prefix.is_empty() {
            "scenario".to_string()
        } else {
            format!("{prefix}:scenario")
        };
        let opening = format!("<{name}");
        let mut from = 0;
        while let Some(offset) = svg[from..].find(&opening) {
            let start = from + offset;
            from = start + opening.len();
            let follows = svg[from..].chars().next();
            if !follows.is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/') {
                continue;
            }
            let end = tag_end(svg, start).ok_or_else(|| damaged("its tag is never closed"))?;
            let self_closing = svg[..end - 1].ends_with('/');
            let tag = TagSpan {
                start,
                end,
                self_closing,
            };
            if self_closing {
                return Ok(Some(EmbeddedSpan {
                    tag,
                    content_end: end,
                    end,
                }));
            }
            let closing = format!("</{name}");
            let content_end = svg[end..]
                .find(&closing)
                .map(|offset| end + offset)
                .ok_or_else(|| damaged("its element is never closed"))?;
            let close_end =
                tag_end(svg, content_end).ok_or_else(|| damaged("its end tag is never closed"))?;
            return Ok(Some(EmbeddedSpan {
                tag,
                content_end,
                end: close_end,
            }));
        }
    }
    Ok(None)
}

/// The SVG text with the embedded scenario element removed, together with its
/// `<metadata>` wrapper when that held nothing else.
fn without_embedded(svg: &str) -> Result<String, ExportError> {
    let Some(span) = find_embedded(svg)? else {
        return Ok(svg.to_string());
    };
    let mut start = span.tag.start;
    let mut end = span.end;
    let before = svg[..start].trim_end();
    let after = svg[end..].trim_start();
    if let (Some(open), true) = (before.rfind("<metadata"), after.starts_with("</metadata>")) {
        let wrapper_is_alone = tag_end(svg, open)
            .is_some_and(|tag_close| tag_close == before.len())
            && parse_tag(&svg[open..before.len()]).is_some_and(|(name, _)| name == "metadata");
        if wrapper_is_alone {
            start = open;
            end = svg.len() - after.len() + "</metadata>".len();
        }
    }
    Ok(format!("{}{}", &svg[..start], &svg[end..]))
}

// ---------------------------------------------------------------------------------------
// SVG: embedding and extraction
// ---------------------------------------------------------------------------------------

/// The `<metadata>` element that carries `scenario_json`.
fn scenario_metadata(scenario_json: &str) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(scenario_json.as_bytes(), 9);
    format!(
        "<metadata><{SCENARIO_PREFIX}:scenario xmlns:{SCENARIO_PREFIX}=\"{SCENARIO_NAMESPACE}\" \
         version=\"{EMBED_VERSION}\" encoding=\"{SVG_PAYLOAD_ENCODING}\">{}</{SCENARIO_PREFIX}:scenario></metadata>",
        base64url_encode(&compressed)
    )
}

/// `svg` with `scenario_json` embedded right after the opening `<svg>` tag (replacing
/// any scenario embedded before), and with `xmlns="http://www.w3.org/2000/svg"` on the
/// root. Refuses text that is not an SVG document and scenarios over the file cap.
pub fn embed_scenario_in_svg(svg: &str, scenario_json: &str) -> Result<String, ExportError> {
    check_scenario_size(scenario_json)?;
    check_picture_size(svg.len())?;
    let svg = without_embedded(svg)?;
    let root = root_svg_tag(&svg)?;
    let tag = &svg[root.start..root.end];
    let (_, attributes) =
        parse_tag(tag).ok_or_else(|| ExportError::NotSvg("its <svg> tag is malformed".into()))?;
    let namespace = attributes
        .iter()
        .find(|(name, _)| *name == "xmlns")
        .map(|(_, value)| *value);
    let mut opening = match namespace {
        Some(SVG_NAMESPACE) => tag.to_string(),
        Some(_) => {
            return Err(ExportError::NotSvg(
                "its root is not in the SVG namespace".into(),
            ))
        }
        None => format!("<svg xmlns=\"{SVG_NAMESPACE}\"{}", &tag["<svg".len()..]),
    };
    let mut closing = "";
    if root.self_closing {
        let trimmed = opening
            .trim_end_matches('>')
            .trim_end_matches('/')
            .trim_end();
        opening = format!("{trimmed}>");
        closing = "</svg>";
    }
    Ok(format!(
        "{}{opening}{}{closing}{}",
        &svg[..root.start],
        scenario_metadata(scenario_json),
        &svg[root.end..]
    ))
}

/// The scenario JSON embedded in an exported SVG, exactly as it was embedded.
pub fn extract_scenario_from_svg(svg_text: &str) -> Result<String, ExportError> {
    let kind = PictureKind::Svg;
    check_picture_size(svg_text.len())?;
    root_svg_tag(svg_text)?;
    let span = find_embedded(svg_text)?.ok_or(ExportError::NoScenario(kind))?;
    let (_, attributes) = parse_tag(&svg_text[span.tag.start..span.tag.end])
        .ok_or_else(|| ExportError::DamagedScenario(kind, "its tag is malformed".into()))?;
    let attribute = |wanted: &str| {
        attributes
            .iter()
            .find(|(name, _)| *name == wanted)
            .map(|(_, value)| *value)
    };
    match attribute("version") {
        Some(EMBED_VERSION) => {}
        Some(other) => {
            return Err(ExportError::DamagedScenario(
                kind,
                format!(
                    "it was embedded by another version of the app (embedding version {other})"
                ),
            ))
        }
        None => {
            return Err(ExportError::DamagedScenario(
                kind,
                "it has no embedding version".into(),
            ))
        }
    }
    if attribute("encoding") != Some(SVG_PAYLOAD_ENCODING) {
        return Err(ExportError::DamagedScenario(
            kind,
            format!("its encoding is not {SVG_PAYLOAD_ENCODING}"),
        ));
    }
    let content = &svg_text[span.tag.end.min(span.content_end)..span.content_end];
    if content.len() > SVG_PAYLOAD_CHARS_MAX {
        return Err(ExportError::TooLarge {
            what: "scenario inside",
            size_bytes: content.len(),
            limit_bytes: SVG_PAYLOAD_CHARS_MAX,
        });
    }
    let payload: String = content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if payload.is_empty() {
        return Err(ExportError::DamagedScenario(kind, "it is empty".into()));
    }
    let compressed = base64url_decode(&payload)
        .ok_or_else(|| ExportError::DamagedScenario(kind, "it is not base64url".into()))?;
    inflated_text(
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, FILE_BYTES_MAX),
        kind,
    )
}

// ---------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------

const fn crc32_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut index = 0;
    while index < 256 {
        let mut value = index as u32;
        let mut bit = 0;
        while bit < 8 {
            value = if value & 1 != 0 {
                0xEDB8_8320 ^ (value >> 1)
            } else {
                value >> 1
            };
            bit += 1;
        }
        table[index] = value;
        index += 1;
    }
    table
}

const CRC32_TABLE: [u32; 256] = crc32_table();

/// Continues a CRC-32 over `bytes` from the running (pre-inverted) register `crc`.
fn crc32_update(mut crc: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        crc = CRC32_TABLE[((crc ^ byte as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc
}

/// CRC-32 (ISO-HDLC, the one PNG and zlib's `crc32` use): `crc32(b"123456789")` is
/// `0xCBF43926`.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32_update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
}

/// A PNG chunk's CRC: over its type and data.
fn chunk_crc(kind: &[u8; 4], data: &[u8]) -> u32 {
    crc32_update(crc32_update(0xFFFF_FFFF, kind), data) ^ 0xFFFF_FFFF
}

/// One chunk of a PNG file.
#[derive(Clone, Copy, Debug)]
struct PngChunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    /// The whole chunk (length, type, data, CRC) as it is in the file.
    bytes: &'a [u8],
}

impl PngChunk<'_> {
    /// A text chunk (`tEXt`, `zTXt`, `iTXt`) with our keyword.
    fn is_ours(&self) -> bool {
        matches!(&self.kind, b"tEXt" | b"zTXt" | b"iTXt")
            && self.data.len() > PNG_KEYWORD.len()
            && self.data.starts_with(PNG_KEYWORD.as_bytes())
            && self.data[PNG_KEYWORD.len()] == 0
    }
}

/// Walks the chunks of a PNG from `IHDR` to `IEND`, checking the signature, every
/// chunk's bounds and CRC, and that `IHDR` comes first. Bytes after `IEND` are ignored.
fn png_chunks(png: &[u8]) -> Result<Vec<PngChunk<'_>>, ExportError> {
    check_picture_size(png.len())?;
    if !png.starts_with(&PNG_SIGNATURE) {
        return Err(ExportError::NotPng);
    }
    let damaged = |reason: String| ExportError::DamagedPng(reason);
    let mut chunks = Vec::new();
    let mut offset = PNG_SIGNATURE.len();
    loop {
        let Some(header) = png.get(offset..offset + 8) else {
            return Err(damaged(format!(
                "it ends at byte {} before its IEND chunk; it was probably cut short",
                png.len()
            )));
        };
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        if length > PNG_CHUNK_BYTES_MAX {
            return Err(damaged(format!(
                "the chunk at byte {offset} claims {length} bytes"
            )));
        }
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(damaged(format!(
                "the chunk at byte {offset} has no valid type"
            )));
        }
        let name = String::from_utf8_lossy(&kind).into_owned();
        let data_start = offset + 8;
        let data_end = data_start + length as usize;
        let Some(crc_bytes) = png.get(data_end..data_end + 4) else {
            return Err(damaged(format!(
                "its {name} chunk at byte {offset} is cut short"
            )));
        };
        let data = &png[data_start..data_end];
        let stored = u32::from_be_bytes([crc_bytes[0], crc_bytes[1], crc_bytes[2], crc_bytes[3]]);
        if stored != chunk_crc(&kind, data) {
            return Err(damaged(format!(
                "its {name} chunk at byte {offset} fails its CRC check"
            )));
        }
        if chunks.is_empty() && (&kind != b"IHDR" || length != 13) {
            return Err(damaged("it does not start with an IHDR chunk".into()));
        }
        chunks.push(PngChunk {
            kind,
            data,
            bytes: &png[offset..data_end + 4],
        });
        offset = data_end + 4;
        if &kind == b"IEND" {
            return Ok(chunks);
        }
    }
}

/// A complete chunk: length, type, data, CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(data.len() + 12);
    bytes.extend_from_slice(&(data.len() as u32).to_be_bytes());
    bytes.extend_from_slice(kind);
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(&chunk_crc(kind, data).to_be_bytes());
    bytes
}

/// The `iTXt` chunk that carries `scenario_json`.
fn scenario_chunk(scenario_json: &str) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(PNG_KEYWORD.as_bytes());
    // Null separator, compression flag (1: compressed), method (0: zlib), empty
    // language tag and translated keyword, each ended by a null.
    data.extend_from_slice(&[0, 1, 0, 0, 0]);
    data.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(
        scenario_json.as_bytes(),
        9,
    ));
    png_chunk(b"iTXt", &data)
}

/// `png` with `scenario_json` in an `iTXt` chunk just before `IEND` (replacing any
/// scenario embedded before). Refuses a damaged PNG and scenarios over the file cap.
pub fn embed_scenario_in_png(png: &[u8], scenario_json: &str) -> Result<Vec<u8>, ExportError> {
    check_scenario_size(scenario_json)?;
    let chunks = png_chunks(png)?;
    let chunk = scenario_chunk(scenario_json);
    let mut output = Vec::with_capacity(png.len() + chunk.len());
    output.extend_from_slice(&PNG_SIGNATURE);
    for existing in chunks {
        if &existing.kind == b"IEND" {
            output.extend_from_slice(&chunk);
        }
        if !existing.is_ours() {
            output.extend_from_slice(existing.bytes);
        }
    }
    Ok(output)
}

/// The scenario JSON embedded in an exported PNG, exactly as it was embedded.
pub fn extract_scenario_from_png(bytes: &[u8]) -> Result<String, ExportError> {
    let kind = PictureKind::Png;
    let damaged = |reason: &str| ExportError::DamagedScenario(kind, reason.into());
    let chunks = png_chunks(bytes)?;
    let chunk = chunks
        .iter()
        .find(|chunk| chunk.is_ours())
        .ok_or(ExportError::NoScenario(kind))?;
    if &chunk.kind != b"iTXt" {
        return Err(damaged("it is not in an iTXt chunk"));
    }
    let rest = &chunk.data[PNG_KEYWORD.len() + 1..];
    let [compressed, method, rest @ ..] = rest else {
        return Err(damaged("its chunk is cut short"));
    };
    // Skip the language tag and the translated keyword.
    let mut rest = rest;
    for _ in 0..2 {
        let end = rest
            .iter()
            .position(|&byte| byte == 0)
            .ok_or_else(|| damaged("its chunk is cut short"))?;
        rest = &rest[end + 1..];
    }
    match (compressed, method) {
        (0, _) => {
            if rest.len() > FILE_BYTES_MAX {
                return Err(ExportError::TooLarge {
                    what: "scenario inside",
                    size_bytes: rest.len(),
                    limit_bytes: FILE_BYTES_MAX,
                });
            }
            String::from_utf8(rest.to_vec()).map_err(|_| damaged("it is not UTF-8 text"))
        }
        (1, 0) => inflated_text(
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(rest, FILE_BYTES_MAX),
            kind,
        ),
        _ => Err(damaged("it uses an unknown compression")),
    }
}

// ---------------------------------------------------------------------------------------
// Telling files apart
// ---------------------------------------------------------------------------------------

/// What an imported file is, from its content (never from its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Png,
    /// Markup, read as SVG (an SVG exported by the app, or else an error saying why not).
    Svg,
    /// A picture format that cannot carry a scenario, named.
    OtherPicture(&'static str),
    /// Anything else: read as scenario JSON text.
    Text,
}

/// Tells PNG (by signature), SVG (markup: text whose first non-blank character is `<`),
/// other common pictures and text apart.
pub fn file_kind(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(&PNG_SIGNATURE) {
        return FileKind::Png;
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return FileKind::OtherPicture("JPEG");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return FileKind::OtherPicture("GIF");
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return FileKind::OtherPicture("WebP");
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(text.len());
    // JSON never starts with `<`: markup goes to the SVG reader, whose errors explain
    // an HTML or other XML file better than a JSON parse error would.
    if text.get(start) == Some(&b'<') {
        return FileKind::Svg;
    }
    FileKind::Text
}

// ---------------------------------------------------------------------------------------
// The topology diagram
// ---------------------------------------------------------------------------------------

/// Height of the band above the diagram that holds the title.
const TITLE_BAND_HEIGHT: f64 = 32.0;
/// Height of the band under the title that holds the entry point and the vault (as
/// on the canvas).
const TOP_BAND_HEIGHT: f64 = 76.0;
/// Room between the regions and the legend.
const LEGEND_GAP: f64 = 8.0;
/// The narrowest diagram: the entry point and the vault side by side.
const WIDTH_MIN: f64 = 620.0;
/// Node ids longer than this are cut with an ellipsis (the full id is in the tooltip),
/// as in the app; region and AZ labels are cut to their box's width.
const NODE_LABEL_CHARS_MAX: usize = 16;
const FONT_FAMILY: &str = "system-ui, sans-serif";
const INK: &str = "#1b1f24";
const MUTED: &str = "#57606a";

/// A coordinate with at most one decimal.
fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// A region or AZ box: the rectangle, its label cut to fit (inset by `offset`), and
/// the full label as a tooltip.
fn labelled_box(
    rect: &Rect,
    label: &str,
    box_paint: &str,
    (offset_x, offset_y): (f64, f64),
    text_paint: &str,
    font_size: f64,
) -> String {
    format!(
        "<g><title>{}</title><rect {} {box_paint}/>{}</g>\n",
        escape_xml_text(label),
        rect_attributes(rect),
        text_element(
            rect.x + offset_x,
            rect.y + offset_y,
            text_paint,
            &short_label(label, chars_fitting(rect.width - 2.0 * offset_x, font_size)),
        )
    )
}

/// About how many characters of a proportional font at `font_size` fit in `width`
/// (an average glyph is taken as 0.62 em wide).
fn chars_fitting(width: f64, font_size: f64) -> usize {
    (width / (font_size * 0.62)).floor().max(4.0) as usize
}

/// Fill, stroke, stroke width and dash pattern of a node box (`static/style.css`).
fn node_box_paint(
    status: NodeStatus,
    dual: bool,
) -> (&'static str, &'static str, f64, &'static str) {
    let width = if dual { 4.0 } else { 2.0 };
    match status {
        NodeStatus::Up => ("#e3f4ee", "#009e73", width, ""),
        NodeStatus::Down => ("#fbe5d6", "#d55e00", width, "5 3"),
        NodeStatus::Standby => ("#f6f6f6", "#8c8c8c", width, "10 4"),
        NodeStatus::Restoring | NodeStatus::CopyingChain | NodeStatus::Resyncing => {
            ("#efe8f7", "#6a3d9a", width, "")
        }
        NodeStatus::Starting => ("#eeeeee", "#777777", width, "2 2"),
        NodeStatus::Isolated => ("#fcf8d0", "#8a7d00", width, "1 3"),
        NodeStatus::Syncing => ("#e2f1fb", "#0072b2", width, ""),
        NodeStatus::Forked => ("#fdf0d5", "#e69f00", 3.0, ""),
        NodeStatus::Irreconcilable => ("#f6e3ef", "#cc79a7", 4.0, ""),
    }
}

fn rect_attributes(rect: &Rect) -> String {
    format!(
        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        number(rect.x),
        number(rect.y),
        number(rect.width),
        number(rect.height)
    )
}

fn text_element(x: f64, y: f64, attributes: &str, text: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\" {attributes}>{}</text>",
        number(x),
        number(y),
        escape_xml_text(text)
    )
}

/// An inter-region link's colour by its status (its line and its badge), as
/// `static/style.css` draws them.
fn link_colour(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Healthy => "#009e73",
        LinkStatus::Degraded => "#e69f00",
        LinkStatus::Partitioned => "#d55e00",
    }
}

/// Paint of an entry-point line by its class (`diagram::entry_line_class`, or
/// "plain" before a run), as `static/style.css` draws it.
fn entry_line_paint(class: &str) -> &'static str {
    match class {
        "carrying" => "stroke=\"#009e73\" stroke-width=\"3.5\"",
        "standby" => "stroke=\"#009e73\" stroke-width=\"1.5\" stroke-dasharray=\"4 4\"",
        "failing-open" => "stroke=\"#d55e00\" stroke-width=\"3.5\" stroke-dasharray=\"8 3\"",
        "unhealthy" => "stroke=\"#d55e00\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"",
        _ => "stroke=\"#7b3fbf\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\" stroke-opacity=\"0.6\"",
    }
}

const OUT_STROKE: &str = "#d55e00";

/// The "out" hatch over a box: diagonal lines (no pattern, so no `url(…)`).
fn hatch(rect: &Rect) -> String {
    let mut text =
        String::from("<g stroke=\"#d55e00\" stroke-opacity=\"0.25\" stroke-width=\"3\">");
    for (x1, y1, x2, y2) in diagram::hatch_lines(rect, 10.0) {
        text.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            number(x1),
            number(y1),
            number(x2),
            number(y2)
        ));
    }
    text.push_str("</g>\n");
    text
}

/// The topology diagram as a standalone SVG document: the app's canvas (region, AZ and
/// node boxes with ids, roles, states and their details, heights and finalized heights;
/// the entry point with a line to each target coloured by its health and thick where
/// traffic goes; the backup vault with its snapshots; AZs and regions out, hatched;
/// AZs cut by a partition; the peer connections and the inter-region links when
/// `network` is given; and the legend) under a `title` band, on white. Uses
/// presentation attributes only: no `style`, no scripts, no references (`url(…)`).
/// Without `network`, every node is drawn up, as the app does before a run.
pub fn diagram_svg(
    scenario: &Scenario,
    layout: &Layout,
    network: Option<&NetworkView>,
    title: &str,
) -> String {
    // Wide enough for the title, the entry point and the vault too.
    let title_width = 32.0 + title.chars().count() as f64 * 16.0 * 0.62;
    let width = layout.width.max(title_width).max(WIDTH_MIN).ceil();
    let (legend_positions, legend_width, legend_height) = diagram::legend_layout(width - 32.0);
    let legend_top = layout.height + TOP_BAND_HEIGHT + LEGEND_GAP;
    let height = (legend_top + legend_height + 16.0 + TITLE_BAND_HEIGHT).ceil();
    let mut svg = String::with_capacity(8192 + scenario.nodes.len() * 1024);
    svg.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.push_str(&format!(
        "<svg xmlns=\"{SVG_NAMESPACE}\" version=\"1.1\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" role=\"img\">\n",
        w = number(width),
        h = number(height),
    ));
    svg.push_str(&format!("<title>{}</title>\n", escape_xml_text(title)));
    svg.push_str(&format!(
        "<desc>{}</desc>\n",
        escape_xml_text(&format!(
            "Topology of {}, exported from {} {}",
            scenario.name,
            crate::PRODUCT_NAME,
            crate::VERSION
        ))
    ));
    svg.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
        number(width),
        number(height)
    ));
    svg.push_str(&text_element(
        16.0,
        22.0,
        &format!("font-size=\"16\" font-weight=\"600\" fill=\"{INK}\""),
        title,
    ));
    svg.push('\n');
    svg.push_str(&format!(
        "<g transform=\"translate(0 {})\">\n",
        number(TITLE_BAND_HEIGHT)
    ));
    // The entry point and the vault sit in the band above the regions.
    let shift = |rect: &Rect| Rect {
        y: rect.y + TOP_BAND_HEIGHT,
        ..*rect
    };
    let regions: Vec<Rect> = layout.regions.iter().map(shift).collect();
    let azs: Vec<Rect> = layout.azs.iter().map(shift).collect();
    let nodes: Vec<Rect> = layout.nodes.iter().map(shift).collect();
    let flag = |list: Option<&Vec<bool>>, index: usize| {
        list.and_then(|list| list.get(index).copied())
            .unwrap_or(false)
    };

    for link in network
        .iter()
        .flat_map(|network| network.region_links.iter())
    {
        let (Some(from), Some(to)) = (regions.get(link.from), regions.get(link.to)) else {
            continue;
        };
        let ((x1, y1), (x2, y2)) = (from.center(), to.center());
        let pattern = match link.status {
            LinkStatus::Healthy => "stroke-opacity=\"0.35\"",
            LinkStatus::Degraded => "stroke-dasharray=\"10 5\"",
            LinkStatus::Partitioned => "stroke-dasharray=\"2 8\"",
        };
        let paint = format!("stroke=\"{}\" {pattern}", link_colour(link.status));
        svg.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"4\" {paint}/>\n",
            number(x1),
            number(y1),
            number(x2),
            number(y2)
        ));
    }

    for (index, (region, rect)) in scenario.regions.iter().zip(&regions).enumerate() {
        let out = flag(network.map(|network| &network.region_out), index);
        let label = if out {
            format!("Region {} · ✕ region out", region.id)
        } else {
            format!("Region {}", region.id)
        };
        let paint = if out {
            format!("fill=\"none\" stroke=\"{OUT_STROKE}\" stroke-width=\"3\"")
        } else {
            "fill=\"none\" stroke=\"#00a4a6\" stroke-width=\"2\" stroke-dasharray=\"8 4\"".into()
        };
        svg.push_str(&labelled_box(
            rect,
            &label,
            &paint,
            (10.0, 22.0),
            "font-size=\"13\" font-weight=\"600\" fill=\"#007a7c\"",
            13.0,
        ));
        if out {
            svg.push_str(&hatch(rect));
        }
    }

    for (index, (az, rect)) in scenario.azs.iter().zip(&azs).enumerate() {
        let out = flag(network.map(|network| &network.az_out), index);
        let region_is_out = flag(network.map(|network| &network.region_out), az.region);
        let cut = flag(network.map(|network| &network.az_partitioned), index);
        let mut label = format!("AZ {}", az.id);
        if out {
            label.push_str(" · ✕ out");
        }
        if cut {
            label.push_str(" · ✂ partitioned");
        }
        let paint = if out || region_is_out {
            format!("fill=\"#f2f8fd\" stroke=\"{OUT_STROKE}\" stroke-width=\"3\"")
        } else if cut {
            "fill=\"#f2f8fd\" stroke=\"#d55e00\" stroke-width=\"3\" stroke-dasharray=\"2 4\"".into()
        } else {
            "fill=\"#f2f8fd\" stroke=\"#147eba\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""
                .into()
        };
        let text_paint = if out || cut {
            "font-size=\"12\" font-weight=\"600\" fill=\"#a04000\""
        } else {
            "font-size=\"12\" fill=\"#147eba\""
        };
        svg.push_str(&labelled_box(
            rect,
            &label,
            &paint,
            (8.0, 18.0),
            text_paint,
            12.0,
        ));
        if out || region_is_out {
            svg.push_str(&hatch(rect));
        }
    }

    // Each pair of regions' link badge, its status and one-way latency, placed as the
    // canvas places it: never over another badge or a third region.
    let region_pairs = placement::region_pairs(regions.len());
    let region_areas: Vec<Area> = regions.iter().map(Area::from).collect();
    let badge_centers = placement::link_badge_centers(
        &region_areas,
        &region_pairs,
        diagram::LINK_BADGE_WIDTH,
        diagram::LINK_BADGE_HEIGHT,
        width,
    );
    for (&(from, to), &(x, y)) in region_pairs.iter().zip(&badge_centers) {
        let status = network
            .and_then(|network| {
                network
                    .region_links
                    .iter()
                    .find(|link| link.from == from && link.to == to)
            })
            .map_or(LinkStatus::Healthy, |link| link.status);
        let stroke = link_colour(status);
        svg.push_str(&format!(
            "<g class=\"link-badge\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            number(x - diagram::LINK_BADGE_WIDTH / 2.0),
            number(y - diagram::LINK_BADGE_HEIGHT / 2.0),
            number(diagram::LINK_BADGE_WIDTH),
            number(diagram::LINK_BADGE_HEIGHT),
        ));
        svg.push_str(&text_element(
            x,
            y + 4.0,
            &format!("font-size=\"11\" text-anchor=\"middle\" fill=\"{INK}\""),
            &format!(
                "{} · {} ms",
                status.as_str(),
                scenario.region_latency_ms(from, to)
            ),
        ));
        svg.push_str("</g>\n");
    }

    // Peer connections (node to node for a small network, AZ to AZ for a large one).
    if let Some(network) = network {
        let count = scenario.nodes.len();
        if count <= diagram::PEER_LINKS_NODES_MAX {
            for &(a, b) in &network.peer_links {
                let (a, b) = (usize::from(a), usize::from(b));
                if a < count && b < count {
                    svg.push_str(&format!(
                        "<path d=\"{}\" fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.2\" stroke-opacity=\"0.45\"/>\n",
                        diagram::peer_path(&nodes[a], &nodes[b])
                    ));
                }
            }
        } else {
            for (a, b, connections) in diagram::az_peer_links(scenario, &network.peer_links) {
                let (Some(first), Some(second)) =
                    (azs.get(usize::from(a)), azs.get(usize::from(b)))
                else {
                    continue;
                };
                let ((x1, y1), (x2, y2)) = (first.center(), second.center());
                svg.push_str(&format!(
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#0072b2\" stroke-width=\"2\" stroke-opacity=\"0.35\"/>",
                    number(x1),
                    number(y1),
                    number(x2),
                    number(y2)
                ));
                svg.push_str(&text_element(
                    (x1 + x2) / 2.0,
                    (y1 + y2) / 2.0 - 4.0,
                    "font-size=\"10\" fill=\"#0072b2\" text-anchor=\"middle\"",
                    &format!("{connections} connections"),
                ));
                svg.push('\n');
            }
        }
    }

    // The entry point: a line to each target, coloured by its health.
    let entry_rect = diagram::entry_rect();
    let entry_known =
        network.filter(|network| network.entry.len() == scenario.clients.targets.len());
    let entry_label = match scenario.clients.entry_kind {
        EntryKind::LoadBalancer => "Load balancer",
        EntryKind::DnsFailover => "DNS failover",
        EntryKind::Direct => "Clients (direct)",
        EntryKind::LatencyRouting => "Latency routing",
    };
    for (position, target) in scenario.clients.targets.iter().enumerate() {
        let Some(rect) = nodes.get(target.get()) else {
            continue;
        };
        let view = entry_known.map(|network| network.entry[position]);
        let class = view
            .as_ref()
            .map(diagram::entry_line_class)
            .unwrap_or("plain");
        let (x, y) = (rect.x + rect.width / 2.0, rect.y);
        svg.push_str(&format!(
            "<g class=\"entry-target {class}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            number(entry_rect.x + entry_rect.width / 2.0),
            number(entry_rect.y + entry_rect.height),
            number(x),
            number(y),
            entry_line_paint(class)
        ));
        if let Some(view) = view {
            let (mark, paint) = if view.healthy {
                ("✓", "#007a56")
            } else {
                ("✕", "#b34700")
            };
            svg.push_str(&text_element(
                x + 6.0,
                y - 4.0,
                &format!("font-size=\"13\" font-weight=\"600\" fill=\"{paint}\""),
                mark,
            ));
        }
        svg.push_str("</g>\n");
    }
    let entry_detail =
        diagram::entry_detail(scenario, entry_known.map(|network| &network.entry[..]));
    svg.push_str(&format!(
        "<g class=\"entry-point\"><rect {} rx=\"6\" fill=\"#f3ecfa\" stroke=\"#7b3fbf\" stroke-width=\"2\"/>{}{}</g>\n",
        rect_attributes(&entry_rect),
        text_element(
            entry_rect.x + 10.0,
            entry_rect.y + 17.0,
            &format!("font-size=\"13\" font-weight=\"600\" fill=\"{INK}\""),
            entry_label
        ),
        text_element(
            entry_rect.x + 10.0,
            entry_rect.y + 33.0,
            &format!("font-size=\"11\" fill=\"{MUTED}\""),
            &entry_detail
        )
    ));

    // The backup vault, with its snapshots at the moment.
    if let Some(backup) = scenario.backup.as_ref() {
        let vault_rect = diagram::vault_rect(width);
        if let Some(source) = nodes.get(backup.source.get()) {
            svg.push_str(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#2e7d32\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" stroke-opacity=\"0.7\"/>\n",
                number(vault_rect.x + vault_rect.width / 2.0),
                number(vault_rect.y + vault_rect.height),
                number(source.x + source.width / 2.0),
                number(source.y)
            ));
        }
        let (first, second) = match network.and_then(|network| network.vault) {
            Some(vault) => diagram::vault_summary(scenario, &vault),
            None => (
                format!(
                    "every {}",
                    crate::scenario::duration::format_duration(backup.interval_ms)
                ),
                backup
                    .copy_to_region
                    .and_then(|region| scenario.regions.get(region))
                    .map(|region| format!("copies to {}", region.id))
                    .unwrap_or_default(),
            ),
        };
        svg.push_str(&format!(
            "<g class=\"backup-vault\"><rect {} rx=\"6\" fill=\"#eaf6ec\" stroke=\"#2e7d32\" stroke-width=\"2\"/>{}{}{}</g>\n",
            rect_attributes(&vault_rect),
            text_element(
                vault_rect.x + 10.0,
                vault_rect.y + 17.0,
                &format!("font-size=\"13\" font-weight=\"600\" fill=\"{INK}\""),
                "Backup vault"
            ),
            text_element(
                vault_rect.x + 10.0,
                vault_rect.y + 33.0,
                &format!("font-size=\"11\" fill=\"{MUTED}\""),
                &first
            ),
            text_element(
                vault_rect.x + 10.0,
                vault_rect.y + 48.0,
                &format!("font-size=\"11\" fill=\"{MUTED}\""),
                &second
            )
        ));
    }

    for (index, (node, rect)) in scenario.nodes.iter().zip(&nodes).enumerate() {
        let view = network.and_then(|network| network.nodes.get(index));
        let status = view.map(|view| view.status).unwrap_or(NodeStatus::Up);
        let detail = view.map(|view| view.detail.as_str()).unwrap_or("");
        let heights = view
            .map(|view| crate::view::heights_label(view, scenario.chain.finalization_enabled))
            .unwrap_or_default();
        let role = node.role.as_str();
        let tooltip = format!(
            "{} ({}{}) {}{} {}",
            node.id,
            role,
            if node.voting { ", voting" } else { "" },
            status.label(),
            if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            },
            heights
        );
        let (fill, stroke, stroke_width, dash) =
            node_box_paint(status, node.role.has_api() && node.role.has_peer());
        let corner = if node.role.has_api() && !node.role.has_peer() {
            "14"
        } else {
            "3"
        };
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        svg.push_str("<g>");
        svg.push_str(&format!(
            "<title>{}</title>",
            escape_xml_text(tooltip.trim_end())
        ));
        svg.push_str(&format!(
            "<rect {} rx=\"{corner}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}/>",
            rect_attributes(rect),
            number(stroke_width)
        ));
        svg.push_str(&text_element(
            rect.x + 8.0,
            rect.y + 16.0,
            &format!("font-size=\"12\" font-weight=\"600\" fill=\"{INK}\""),
            &short_label(&node.id, NODE_LABEL_CHARS_MAX),
        ));
        svg.push_str(&text_element(
            rect.x + 8.0,
            rect.y + 32.0,
            &format!("font-size=\"11\" fill=\"{INK}\""),
            &diagram::node_status_line(role, node.voting, status, ""),
        ));
        if !detail.is_empty() {
            svg.push_str(&text_element(
                rect.x + 8.0,
                rect.y + 47.0,
                "font-size=\"10\" fill=\"#3d444d\"",
                &short_label(detail, NODE_DETAIL_CHARS_MAX),
            ));
        }
        if !heights.is_empty() {
            svg.push_str(&text_element(
                rect.x + 8.0,
                rect.y + 62.0,
                &format!("font-size=\"10\" fill=\"{MUTED}\""),
                &heights,
            ));
        }
        svg.push_str("</g>\n");
    }
    svg.push_str(&legend_svg(
        16.0,
        legend_top,
        &legend_positions,
        legend_width,
        legend_height,
    ));
    svg.push_str("</g>\n</svg>\n");
    svg
}

/// A node's detail line is cut to fit its box, as in the app.
const NODE_DETAIL_CHARS_MAX: usize = 24;

/// The legend, as the canvas draws it, at (`left`, `top`).
fn legend_svg(left: f64, top: f64, positions: &[(f64, f64)], width: f64, height: f64) -> String {
    let mut svg = format!(
        "<g class=\"legend\" transform=\"translate({} {})\"><rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>\n",
        number(left),
        number(top),
        number(width),
        number(height)
    );
    for ((swatch, words), &(x, y)) in diagram::legend().into_iter().zip(positions) {
        let middle = y + diagram::LEGEND_ROW_HEIGHT / 2.0;
        let swatch_rect = Rect {
            x,
            y: middle - 6.0,
            width: 22.0,
            height: 12.0,
        };
        let line = |paint: &str| {
            format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {paint}/>",
                number(x),
                number(middle),
                number(x + 22.0),
                number(middle)
            )
        };
        let picture = match swatch {
            LegendSwatch::Node(status) => {
                let (fill, stroke, _, dash) = node_box_paint(status, false);
                format!(
                    "<rect {} rx=\"2\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"{}/>",
                    rect_attributes(&swatch_rect),
                    if dash.is_empty() {
                        String::new()
                    } else {
                        format!(" stroke-dasharray=\"{dash}\"")
                    }
                )
            }
            LegendSwatch::EntryLine(class) => line(entry_line_paint(class)),
            LegendSwatch::Out => format!(
                "<rect {} fill=\"none\" stroke=\"{OUT_STROKE}\" stroke-width=\"2\"/>{}",
                rect_attributes(&swatch_rect),
                hatch(&swatch_rect).trim_end()
            ),
            LegendSwatch::Partitioned => format!(
                "<rect {} fill=\"#f2f8fd\" stroke=\"#d55e00\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>",
                rect_attributes(&swatch_rect)
            ),
            LegendSwatch::PeerLink => line("stroke=\"#0072b2\" stroke-width=\"1.2\" stroke-opacity=\"0.45\""),
            LegendSwatch::Block => format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#0072b2\"/>",
                number(x + 11.0),
                number(middle)
            ),
        };
        svg.push_str(&format!(
            "<g>{picture}{}</g>\n",
            text_element(
                x + 30.0,
                middle + 4.0,
                &format!("font-size=\"11\" fill=\"{INK}\""),
                words
            )
        ));
    }
    svg.push_str("</g>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_known_vectors() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
        // The IEND chunk's CRC every PNG ends with.
        assert_eq!(chunk_crc(b"IEND", &[]), 0xAE42_6082);
    }

    #[test]
    fn tags_are_parsed_with_quotes_and_prefixes() {
        let (name, attributes) = parse_tag("<svg a=\"1>2\" b='x' xmlns:p=\"urn:y\"/>").unwrap();
        assert_eq!(name, "svg");
        assert_eq!(
            attributes,
            vec![("a", "1>2"), ("b", "x"), ("xmlns:p", "urn:y")]
        );
        assert!(parse_tag("<svg a=1>").is_none());
        assert!(parse_tag("<svg a=\"1>").is_none());
        assert_eq!(tag_end("<svg a=\"1>2\">x", 0), Some(13));
    }

    #[test]
    fn the_root_is_found_after_a_prolog() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- <svg> in a comment -->\n<!DOCTYPE svg [<!ENTITY a \"b\">]>\n<svg width=\"1\">x</svg>";
        let root = root_svg_tag(svg).unwrap();
        assert_eq!(&svg[root.start..root.end], "<svg width=\"1\">");
        assert!(matches!(
            root_svg_tag("<html><svg/></html>"),
            Err(ExportError::NotSvg(_))
        ));
        assert!(matches!(
            root_svg_tag("<svgx/>"),
            Err(ExportError::NotSvg(_))
        ));
        assert!(matches!(root_svg_tag(""), Err(ExportError::NotSvg(_))));
    }
}
