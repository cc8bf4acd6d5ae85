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

/// An empty canvas for "start from scratch": one region (Tokyo) with one availability
/// zone holding the least that validates and does something: `peer1` (PEER, stake 1)
/// to harvest blocks and `api1` (API) for the default client load to reach. No faults,
/// no backup, every parameter at its default.
pub fn blank() -> ScenarioFile {
    use super::file::*;
    ScenarioFile {
        version: FORMAT_VERSION,
        name: "untitled".to_string(),
        description: String::new(),
        seed: 1,
        duration_ms: 6 * 3_600_000,
        chain: ChainFile::default(),
        network: NetworkFile::default(),
        regions: vec![RegionFile {
            id: "ap-northeast-1".to_string(),
            azs: vec![AzFile {
                id: "ap-northeast-1a".to_string(),
                nodes: vec![
                    NodeFile::new("peer1", Role::Peer),
                    NodeFile::new("api1", Role::Api),
                ],
            }],
        }],
        clients: ClientsFile::default(),
        backup: None,
        faults: Vec::new(),
        plan: PlanFile::default(),
    }
}

/// A generated network for benchmarks and scale tests: `node_count` nodes spread over
/// three regions (Tokyo, Osaka, Singapore) of three AZs each; one node in five is API,
/// the rest PEER with equal stake; a load balancer over the API nodes.
pub fn large_network(node_count: usize, duration_ms: u64) -> ScenarioFile {
    use super::file::*;
    let regions_ids = ["ap-northeast-1", "ap-northeast-3", "ap-southeast-1"];
    let mut regions: Vec<RegionFile> = regions_ids
        .iter()
        .map(|region| RegionFile {
            id: region.to_string(),
            azs: ["a", "c", "d"]
                .iter()
                .map(|zone| AzFile {
                    id: format!("{region}{zone}"),
                    nodes: Vec::new(),
                })
                .collect(),
        })
        .collect();
    for index in 0..node_count {
        let role = if index % 5 == 4 {
            Role::Api
        } else {
            Role::Peer
        };
        let id = format!(
            "{}{}",
            if role == Role::Api { "api" } else { "peer" },
            index + 1
        );
        let slot = index % 9;
        regions[slot / 3].azs[slot % 3]
            .nodes
            .push(NodeFile::new(&id, role));
    }
    ScenarioFile {
        version: FORMAT_VERSION,
        name: format!("large-{node_count}"),
        description: format!("{node_count} nodes over three regions (generated)"),
        seed: 1,
        duration_ms,
        chain: ChainFile::default(),
        network: NetworkFile::default(),
        regions,
        clients: ClientsFile::default(),
        backup: None,
        faults: Vec::new(),
        plan: PlanFile::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blank_scenario_validates_and_round_trips() {
        let file = blank();
        let scenario = super::super::validate(&file).expect("blank validates");
        assert_eq!(scenario.regions.len(), 1);
        assert_eq!(scenario.azs.len(), 1);
        assert!(scenario.nodes.iter().any(|node| node.harvests()));
        assert!(scenario.faults.is_empty() && scenario.backup.is_none());
        let written = super::super::file::encode_pretty(&file);
        assert_eq!(decode::decode_text(&written).expect("re-read"), file);
    }

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
