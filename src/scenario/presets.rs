//! Built-in scenarios. Each is a file under `static/scenarios/`, compiled in, so the
//! examples in the docs, the command line's `preset NAME` and the app's preset menu
//! are the same bytes.

use super::{decode, ScenarioError, ScenarioFile};

/// A built-in scenario: its name, a one-line summary and its JSON text.
pub struct Preset {
    pub name: &'static str,
    pub summary: &'static str,
    pub json: &'static str,
}

/// Every preset, in the order menus show them.
pub const PRESETS: [Preset; 5] = [
    Preset {
        name: "single-az",
        summary: "3 PEER + 2 API in one AZ; the AZ loses power for an hour",
        json: include_str!("../../static/scenarios/single-az.json"),
    },
    Preset {
        name: "multi-az",
        summary: "mijin's recommended 3 PEER + 2 API over two AZs behind a load balancer",
        json: include_str!("../../static/scenarios/multi-az.json"),
    },
    Preset {
        name: "inter-region-backup",
        summary: "AWS Backup copies to a second region; region loss and restore",
        json: include_str!("../../static/scenarios/inter-region-backup.json"),
    },
    Preset {
        name: "active-active",
        summary: "a consortium chain across two regions with finalization; the link is cut",
        json: include_str!("../../static/scenarios/active-active.json"),
    },
    Preset {
        name: "seed-fork",
        summary: "the seed document's PEER2 fork: cut off, harvests alone, rolls back",
        json: include_str!("../../static/scenarios/seed-fork.json"),
    },
];

/// Finds a preset by name.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.name == name)
}

/// A preset's scenario file.
pub fn load_file(name: &str) -> Result<ScenarioFile, Vec<ScenarioError>> {
    match find(name) {
        Some(preset) => decode::decode_text(preset.json),
        None => Err(vec![ScenarioError::new(
            "$",
            format!(
                "no preset \"{name}\": use one of {}",
                PRESETS
                    .iter()
                    .map(|preset| preset.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_validates_and_round_trips() {
        for preset in &PRESETS {
            let file = load_file(preset.name)
                .unwrap_or_else(|errors| panic!("{}: {errors:?}", preset.name));
            assert_eq!(file.name, preset.name);
            super::super::validate(&file)
                .unwrap_or_else(|errors| panic!("{}: {errors:?}", preset.name));
            let written = super::super::file::encode_pretty(&file);
            let reread = decode::decode_text(&written).expect("re-read");
            assert_eq!(
                reread, file,
                "{} changes when written and read back",
                preset.name
            );
        }
    }
}
