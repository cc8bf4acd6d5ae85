//! The user's working session, kept pure so it is tested natively: importing a file
//! (never touching the current scenario when the file is bad), the versioned autosave
//! format, and the diagnostic text offered after a crash.
//!
//! Invariants: a failed import or restore returns errors and leaves the caller's
//! scenario as it was; saved data carries a storage version, and anything unreadable
//! (corrupt, older, from another program) is reported, never trusted.

use serde_json::{json, Value};

use crate::export;
use crate::scenario::file::{encode, ScenarioFile};
use crate::scenario::limits::PICTURE_BYTES_MAX;
use crate::scenario::{decode, validate, ScenarioError};

/// The version of the autosave envelope (not the scenario format's version).
pub const STORAGE_VERSION: u64 = 1;
/// The localStorage key the app saves under.
pub const STORAGE_KEY: &str = "catapult-dr.session";

/// Reads a file the user imported. On success, the scenario to switch to; on failure,
/// every problem with its path (the caller keeps its current scenario).
pub fn import(text: &str) -> Result<ScenarioFile, Vec<ScenarioError>> {
    let file = decode::decode_text(text)?;
    validate(&file)?;
    Ok(file)
}

/// Reads a file the user imported or dropped, by its content: an SVG or PNG exported by
/// the app (the scenario inside it), or else scenario JSON text. The scenario then goes
/// through the same decode and validation as [`import`], so its errors carry JSON
/// paths; problems with the file itself are reported at `$`, naming `file_name`.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<ScenarioFile, Vec<ScenarioError>> {
    let file_problem = |message: String| vec![ScenarioError::new("$", message)];
    let picture_problem =
        |error: export::ExportError| file_problem(format!("{file_name}: {error}"));
    match export::file_kind(bytes) {
        export::FileKind::Png => {
            import(&export::extract_scenario_from_png(bytes).map_err(picture_problem)?)
        }
        export::FileKind::Svg => {
            if bytes.len() > PICTURE_BYTES_MAX {
                return Err(picture_problem(export::ExportError::TooLarge {
                    what: "picture",
                    size_bytes: bytes.len(),
                    limit_bytes: PICTURE_BYTES_MAX,
                }));
            }
            let text = std::str::from_utf8(bytes).map_err(|_| {
                file_problem(format!(
                    "{file_name} is not UTF-8 text: export the picture again from the app's Export menu"
                ))
            })?;
            import(&export::extract_scenario_from_svg(text).map_err(picture_problem)?)
        }
        export::FileKind::OtherPicture(format) => Err(file_problem(format!(
            "{file_name} is a {format} picture, which cannot carry a scenario: \
             import the SVG or PNG exported from the app's Export menu, or the scenario JSON"
        ))),
        export::FileKind::Text => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                file_problem(format!(
                    "{file_name} is not UTF-8 text: save the scenario as UTF-8 JSON"
                ))
            })?;
            import(text)
        }
    }
}

/// What autosave writes.
pub fn save(file: &ScenarioFile) -> String {
    json!({ "storage_version": STORAGE_VERSION, "scenario": encode(file) }).to_string()
}

/// Why saved data could not be restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreProblem {
    /// Not JSON, or not our envelope.
    Corrupt(String),
    /// Saved by another version of the app.
    OtherVersion(u64),
    /// The envelope is fine but the scenario inside does not validate.
    Invalid(Vec<ScenarioError>),
}

impl RestoreProblem {
    /// The notice the app shows.
    pub fn notice(&self) -> String {
        match self {
            RestoreProblem::Corrupt(reason) => {
                format!("Your saved scenario could not be read ({reason}); starting fresh. Nothing was deleted.")
            }
            RestoreProblem::OtherVersion(version) => format!(
                "Your saved scenario was saved by another version of the app (storage version {version}); \
                 starting fresh. Export it from that version to keep it."
            ),
            RestoreProblem::Invalid(errors) => format!(
                "Your saved scenario no longer validates ({}); starting fresh.",
                errors.first().map(ToString::to_string).unwrap_or_default()
            ),
        }
    }
}

/// Reads what autosave wrote.
pub fn restore(text: &str) -> Result<ScenarioFile, RestoreProblem> {
    let value: Value = serde_json::from_str(text)
        .map_err(|error| RestoreProblem::Corrupt(format!("not JSON: {error}")))?;
    let version = value
        .get("storage_version")
        .and_then(Value::as_u64)
        .ok_or_else(|| RestoreProblem::Corrupt("no storage version".into()))?;
    if version != STORAGE_VERSION {
        return Err(RestoreProblem::OtherVersion(version));
    }
    let scenario = value
        .get("scenario")
        .ok_or_else(|| RestoreProblem::Corrupt("no scenario".into()))?;
    let file = decode::decode(scenario).map_err(RestoreProblem::Invalid)?;
    validate(&file).map_err(RestoreProblem::Invalid)?;
    Ok(file)
}

/// The text behind "Copy diagnostic": what happened, the seed, and the scenario.
pub fn diagnostic(message: &str, file: Option<&ScenarioFile>) -> String {
    let mut text = format!(
        "Catapult DR Planner {} stopped with an internal error.\nerror: {message}\n",
        crate::VERSION
    );
    match file {
        Some(file) => {
            text.push_str(&format!("seed: {}\nscenario:\n", file.seed));
            text.push_str(&crate::scenario::file::encode_pretty(file));
            text.push('\n');
        }
        None => text.push_str("no scenario was loaded\n"),
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::presets;

    #[test]
    fn a_bad_import_reports_every_problem() {
        let errors = import("{\"version\": 2, \"regions\": []}").unwrap_err();
        assert!(errors.iter().any(|error| error.path == "version"));
        assert!(import("not json").unwrap_err()[0]
            .message
            .contains("not valid JSON"));
        let good = presets::find("multi-az").unwrap().json;
        assert_eq!(import(good).unwrap().name, "multi-az");
    }

    #[test]
    fn save_and_restore_round_trip() {
        let file = presets::load_file("active-active").unwrap();
        assert_eq!(restore(&save(&file)).unwrap(), file);
    }

    #[test]
    fn garbage_older_and_invalid_saves_are_reported_not_trusted() {
        assert!(matches!(restore("}{"), Err(RestoreProblem::Corrupt(_))));
        assert!(matches!(restore("{}"), Err(RestoreProblem::Corrupt(_))));
        assert!(matches!(
            restore("{\"storage_version\": 0, \"scenario\": {}}"),
            Err(RestoreProblem::OtherVersion(0))
        ));
        let invalid = "{\"storage_version\": 1, \"scenario\": {\"version\": 1, \"regions\": []}}";
        let problem = restore(invalid).unwrap_err();
        assert!(matches!(problem, RestoreProblem::Invalid(_)));
        assert!(problem.notice().contains("starting fresh"));
    }

    #[test]
    fn the_diagnostic_carries_the_seed_and_scenario() {
        let file = presets::load_file("seed-fork").unwrap();
        let text = diagnostic("boom", Some(&file));
        assert!(
            text.contains("error: boom")
                && text.contains("seed: 1")
                && text.contains("\"seed-fork\"")
        );
    }
}
