//! Share links: the whole scenario, compressed, in the URL fragment (after `#`, so no
//! server ever sees it). Format: `s=1.` followed by URL-safe base64 (no padding) of the
//! raw-deflated scenario JSON, then optionally what the viewer was looking at
//! ([`ShareView`]): `&t=` the moment in milliseconds, `&v=` the playback speed, `&p=`
//! the open panel.
//!
//! Invariants: decoding never inflates more than the file size cap; a damaged link gives
//! errors at path `#` and never replaces the user's current scenario; links made before
//! the view parts existed read as before; a view part that cannot be read is dropped
//! with a note saying so, and the scenario still loads.

use crate::scenario::file::{encode, ScenarioFile};
use crate::scenario::limits::FILE_BYTES_MAX;
use crate::scenario::{decode, validate, Scenario, ScenarioError};
use crate::shell::SPEEDS;

/// The fragment's prefix, with the share-format version.
pub const FRAGMENT_PREFIX: &str = "s=1.";
/// Links longer than this are flagged: common chat tools and some browsers cut them.
pub const LINK_WARN_CHARS: usize = 2_000;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding (also used by `export` for embedded scenarios).
pub(crate) fn base64url_encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let value = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for position in 0..(chunk.len() + 1) {
            text.push(ALPHABET[(value >> (18 - 6 * position) & 63) as usize] as char);
        }
    }
    text
}

/// The inverse of [`base64url_encode`]; `None` for any character outside the alphabet.
pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for character in text.bytes() {
        let value = match character {
            b'A'..=b'Z' => character - b'A',
            b'a'..=b'z' => character - b'a' + 26,
            b'0'..=b'9' => character - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32;
        buffer = buffer << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits & 0xFF) as u8);
        }
    }
    Some(bytes)
}

/// The fragment (without `#`) that carries `file`.
pub fn encode_fragment(file: &ScenarioFile) -> String {
    let json = encode(file).to_string();
    let compressed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("{FRAGMENT_PREFIX}{}", base64url_encode(&compressed))
}

/// The panels a link may open (the page's areas: `planner` is the planner panel).
pub const PANELS: [&str; 5] = ["topology", "timeline", "inspector", "results", "planner"];

/// What the person sharing was looking at, carried after the scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareView {
    /// The moment shown, in simulated milliseconds.
    pub at_ms: Option<u64>,
    /// Playback speed, simulated seconds per real second (one of [`SPEEDS`]).
    pub speed: Option<u64>,
    /// The open panel, one of [`PANELS`].
    pub panel: Option<String>,
}

/// The fragment (without `#`) that carries `file` and `view`.
pub fn encode_link(file: &ScenarioFile, view: &ShareView) -> String {
    let mut fragment = encode_fragment(file);
    if let Some(at_ms) = view.at_ms {
        fragment.push_str(&format!("&t={at_ms}"));
    }
    if let Some(speed) = view.speed {
        fragment.push_str(&format!("&v={speed}"));
    }
    if let Some(panel) = &view.panel {
        fragment.push_str(&format!("&p={panel}"));
    }
    fragment
}

/// A share link read: the scenario, the view it carried, and a note for each view part
/// that could not be read (dropped; the scenario loads all the same).
#[derive(Clone, Debug, PartialEq)]
pub struct SharedLink {
    pub file: ScenarioFile,
    /// `file` checked (decoding a link validates it, so the shell need not again).
    pub scenario: Scenario,
    pub view: ShareView,
    pub notes: Vec<String>,
}

/// The panel a share link opens at (its `p=` part, one of [`PANELS`]), read without
/// decoding the scenario it carries: the page scrolls there once its panels are drawn.
pub fn linked_panel(fragment: &str) -> Option<&'static str> {
    let fragment = fragment.trim_start_matches('#');
    fragment
        .split('&')
        .skip(1)
        .filter_map(|part| part.strip_prefix("p="))
        .find_map(|value| PANELS.iter().copied().find(|&panel| panel == value))
}

/// Reads a share fragment with its view parts (with or without the leading `#`).
pub fn decode_link(fragment: &str) -> Result<SharedLink, Vec<ScenarioError>> {
    let fragment = fragment.trim_start_matches('#');
    let mut parts = fragment.split('&');
    let (file, scenario) = decode_checked(parts.next().unwrap_or_default())?;
    let mut view = ShareView::default();
    let mut notes = Vec::new();
    for part in parts {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "t" => match value.parse::<u64>() {
                Ok(at_ms) if at_ms <= file.duration_ms => view.at_ms = Some(at_ms),
                _ => notes.push(format!(
                    "#t: the moment \"{value}\" is not a time within the run; the link opens at the start"
                )),
            },
            "v" => match value.parse::<u64>() {
                Ok(speed) if SPEEDS.contains(&speed) => view.speed = Some(speed),
                _ => notes.push(format!(
                    "#v: the speed \"{value}\" is not one the player offers; the default is used"
                )),
            },
            "p" => {
                if PANELS.contains(&value) {
                    view.panel = Some(value.to_string());
                } else {
                    notes.push(format!(
                        "#p: there is no panel \"{value}\"; the page opens at the top"
                    ));
                }
            }
            // Parts a newer version of the app may add are left alone.
            _ => {}
        }
    }
    Ok(SharedLink {
        file,
        scenario,
        view,
        notes,
    })
}

/// Whether a fragment is a share link at all (other fragments are left alone).
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with("s=")
}

fn damaged(message: &str) -> Vec<ScenarioError> {
    vec![ScenarioError::new(
        "#",
        format!("{message}: ask for a new link, or import the scenario file instead"),
    )]
}

/// Reads a share fragment's scenario (with or without the leading `#`; the view parts
/// after `&` are left to [`decode_link`]).
pub fn decode_fragment(fragment: &str) -> Result<ScenarioFile, Vec<ScenarioError>> {
    decode_checked(fragment).map(|(file, _)| file)
}

/// [`decode_fragment`] with the checked scenario it validated.
fn decode_checked(fragment: &str) -> Result<(ScenarioFile, Scenario), Vec<ScenarioError>> {
    let fragment = fragment.trim_start_matches('#');
    let fragment = fragment.split('&').next().unwrap_or_default();
    let Some(payload) = fragment.strip_prefix(FRAGMENT_PREFIX) else {
        return Err(damaged(
            "this link was made by another version of the app, or cut short",
        ));
    };
    let compressed =
        base64url_decode(payload).ok_or_else(|| damaged("the link is damaged (not base64)"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, FILE_BYTES_MAX)
        .map_err(|_| damaged("the link is damaged or holds more than the 1 MiB file limit"))?;
    let text = String::from_utf8(json).map_err(|_| damaged("the link is damaged (not text)"))?;
    let file = decode::decode_text(&text)?;
    let scenario = validate(&file)?;
    Ok((file, scenario))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::presets;

    #[test]
    fn base64url_round_trips_every_length() {
        for length in 0..50u8 {
            let bytes: Vec<u8> = (0..length)
                .map(|index| index.wrapping_mul(37) ^ 0xA5)
                .collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
        assert!(base64url_decode("not*base64").is_none());
    }

    #[test]
    fn every_preset_survives_a_share_link_and_fits_in_chat() {
        for preset in &presets::PRESETS {
            let file = presets::load_file(preset.name).unwrap();
            let fragment = encode_fragment(&file);
            assert!(is_share_fragment(&fragment));
            assert_eq!(decode_fragment(&format!("#{fragment}")).unwrap(), file);
            assert!(
                fragment.len() < LINK_WARN_CHARS,
                "{}: {} chars",
                preset.name,
                fragment.len()
            );
        }
    }

    #[test]
    fn the_moment_speed_and_panel_travel_with_the_link_issue_13() {
        let file = presets::load_file("multi-az").unwrap();
        let view = ShareView {
            at_ms: Some(45 * 60_000),
            speed: Some(1_000),
            panel: Some("planner".into()),
        };
        let link = encode_link(&file, &view);
        let read = decode_link(&format!("#{link}")).unwrap();
        // The checked scenario comes with the file, so the shell does not validate twice.
        assert_eq!(read.scenario, validate(&file).unwrap());
        assert_eq!(
            (read.file, read.view, read.notes.len()),
            (file.clone(), view, 0)
        );
        // The page reads the panel alone, without decoding the scenario again; a panel
        // the app does not have, or none, opens at the top.
        assert_eq!(linked_panel(&format!("#{link}")), Some("planner"));
        assert_eq!(
            linked_panel(&format!("{}&p=kitchen", encode_fragment(&file))),
            None
        );
        assert_eq!(linked_panel(&encode_fragment(&file)), None);
        // Only what was set travels.
        let partial = ShareView {
            speed: Some(10),
            ..ShareView::default()
        };
        assert_eq!(
            decode_link(&encode_link(&file, &partial)).unwrap().view,
            partial
        );
        // A link made before the view parts existed reads as before.
        let old = encode_fragment(&file);
        let read = decode_link(&old).unwrap();
        assert_eq!((read.file, read.view), (file.clone(), ShareView::default()));
        assert_eq!(decode_fragment(&link).unwrap(), file);
        // Parts that cannot be read are dropped with a note naming them; the scenario
        // still loads; unknown parts are left alone.
        let bad = format!("{old}&t=soon&v=7&p=kitchen&x=1&t={}", file.duration_ms + 1);
        let read = decode_link(&bad).unwrap();
        assert_eq!((read.file, read.view), (file, ShareView::default()));
        assert_eq!(read.notes.len(), 4, "{:?}", read.notes);
        for (note, key) in read.notes.iter().zip(["#t", "#v", "#p", "#t"]) {
            assert!(note.starts_with(key), "{note}");
        }
    }

    #[test]
    fn damaged_links_are_refused_with_a_path() {
        for bad in ["#s=1.!!!", "#s=1.AAAA", "#s=9.abc", "#s=1."] {
            let errors = decode_fragment(bad).unwrap_err();
            assert_eq!(errors[0].path, "#", "{bad}");
        }
        // A bomb: a tiny link that inflates past the cap.
        let huge = vec![b' '; FILE_BYTES_MAX + 10];
        let bomb = format!(
            "s=1.{}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(&huge, 9))
        );
        assert!(decode_fragment(&bomb).unwrap_err()[0]
            .message
            .contains("1 MiB"));
        // A valid link to an invalid scenario reports the scenario's own paths.
        let invalid = format!(
            "s=1.{}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(
                b"{\"version\":1,\"regions\":[]}",
                9
            ))
        );
        assert_eq!(decode_fragment(&invalid).unwrap_err()[0].path, "regions");
        assert!(!is_share_fragment("#section-2"));
    }
}
