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

use crate::scenario::limits::{FILE_BYTES_MAX, PICTURE_BYTES_MAX};
use crate::scenario::Scenario;
use crate::share::{base64url_decode, base64url_encode};
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

/// The topology diagram as a standalone SVG document: the app's canvas (region, AZ and
/// node boxes with ids, roles, states, heights and finalized heights, and the
/// inter-region links when `network` is given) under a `title` band, on white. Uses
/// presentation attributes only: no `style`, no scripts, no external references.
/// Without `network`, every node is drawn up, as the app does before a run.
pub fn diagram_svg(
    scenario: &Scenario,
    layout: &Layout,
    network: Option<&NetworkView>,
    title: &str,
) -> String {
    // Wide enough for the title too.
    let title_width = 32.0 + title.chars().count() as f64 * 16.0 * 0.62;
    let width = layout.width.max(title_width).ceil();
    let height = (layout.height + TITLE_BAND_HEIGHT).ceil();
    let mut svg = String::with_capacity(4096 + scenario.nodes.len() * 1024);
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

    for link in network
        .iter()
        .flat_map(|network| network.region_links.iter())
    {
        let (Some(from), Some(to)) = (layout.regions.get(link.from), layout.regions.get(link.to))
        else {
            continue;
        };
        let ((x1, y1), (x2, y2)) = (from.center(), to.center());
        let paint = match link.status {
            LinkStatus::Healthy => "stroke=\"#009e73\" stroke-opacity=\"0.35\"",
            LinkStatus::Degraded => "stroke=\"#e69f00\" stroke-dasharray=\"10 5\"",
            LinkStatus::Partitioned => "stroke=\"#d55e00\" stroke-dasharray=\"2 8\"",
        };
        svg.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"4\" {paint}/>\n",
            number(x1),
            number(y1),
            number(x2),
            number(y2)
        ));
    }

    for (region, rect) in scenario.regions.iter().zip(&layout.regions) {
        svg.push_str(&labelled_box(
            rect,
            &format!("Region {}", region.id),
            "fill=\"none\" stroke=\"#00a4a6\" stroke-width=\"2\" stroke-dasharray=\"8 4\"",
            (10.0, 22.0),
            "font-size=\"15\" font-weight=\"600\" fill=\"#007a7c\"",
            15.0,
        ));
    }

    for (az, rect) in scenario.azs.iter().zip(&layout.azs) {
        svg.push_str(&labelled_box(
            rect,
            &format!("AZ {}", az.id),
            "fill=\"#f2f8fd\" stroke=\"#147eba\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"",
            (8.0, 18.0),
            "font-size=\"12\" fill=\"#147eba\"",
            12.0,
        ));
    }

    for (index, (node, rect)) in scenario.nodes.iter().zip(&layout.nodes).enumerate() {
        let view = network.and_then(|network| network.nodes.get(index));
        let status = view.map(|view| view.status).unwrap_or(NodeStatus::Up);
        let heights = view
            .map(|view| crate::view::heights_label(view, scenario.chain.finalization_enabled))
            .unwrap_or_default();
        let role = node.role.as_str();
        let tooltip = format!(
            "{} ({}{}) {} {}",
            node.id,
            role,
            if node.voting { ", voting" } else { "" },
            status.as_str(),
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
            rect.y + 17.0,
            &format!("font-size=\"12\" font-weight=\"600\" fill=\"{INK}\""),
            &short_label(&node.id, NODE_LABEL_CHARS_MAX),
        ));
        svg.push_str(&text_element(
            rect.x + 8.0,
            rect.y + 34.0,
            &format!("font-size=\"11\" fill=\"{INK}\""),
            &format!(
                "{role}{} · {}",
                if node.voting { " ✓" } else { "" },
                status.as_str()
            ),
        ));
        if !heights.is_empty() {
            svg.push_str(&text_element(
                rect.x + 8.0,
                rect.y + 50.0,
                &format!("font-size=\"10\" fill=\"{MUTED}\""),
                &heights,
            ));
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</g>\n</svg>\n");
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
