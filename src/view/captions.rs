//! The story each preset tells, pure: short captions keyed by simulated time, shown
//! under the canvas in presentation mode (and in the timeline strip) as the run plays
//! ("AZ ap-northeast-1a loses power at 2 h: watch the load balancer stop routing to
//! api1"). Every claim is what the preset's own run shows (its event markers, see
//! [`super::markers`]).
//!
//! Invariants (tested): every caption starts inside its preset's run, in time order;
//! every id a caption names exists in the preset (node, AZ or region) and appears in
//! its text; a story is told only while the scenario still has its preset's name and
//! faults (an edited fault schedule tells another story, so none is shown).

use crate::scenario::file::ScenarioFile;
use crate::scenario::presets;

const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 60 * MINUTE_MS;

/// One caption: shown from `from_ms` until the next one starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caption {
    pub from_ms: u64,
    pub text: &'static str,
    /// The nodes, AZs and regions the text names.
    pub ids: &'static [&'static str],
}

/// A preset's captions, in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Story {
    pub preset: &'static str,
    pub captions: &'static [Caption],
}

pub const STORIES: [Story; 5] = [
    Story {
        preset: "single-az",
        captions: &[
            Caption {
                from_ms: 0,
                text: "Every node sits in one AZ, ap-northeast-1a: peer1, peer2, peer3, api1 and api2.",
                ids: &["ap-northeast-1a", "peer1", "peer2", "peer3", "api1", "api2"],
            },
            Caption {
                from_ms: 2 * HOUR_MS,
                text: "At 2 h AZ ap-northeast-1a loses power, and with it every node.",
                ids: &["ap-northeast-1a"],
            },
            Caption {
                from_ms: 2 * HOUR_MS + MINUTE_MS,
                text: "The load balancer marks api1 and api2 unhealthy: no API is left to serve clients.",
                ids: &["api1", "api2"],
            },
            Caption {
                from_ms: 3 * HOUR_MS,
                text: "Power is back at 3 h: the nodes restart and sync.",
                ids: &[],
            },
            Caption {
                from_ms: 3 * HOUR_MS + 3 * MINUTE_MS,
                text: "The load balancer routes to api1 and api2 again: clients had no service for the whole hour.",
                ids: &["api1", "api2"],
            },
        ],
    },
    Story {
        preset: "multi-az",
        captions: &[
            Caption {
                from_ms: 0,
                text: "Two AZs: peer1, peer2 and api1 in ap-northeast-1a; peer3 and api2 in ap-northeast-1c.",
                ids: &["ap-northeast-1a", "ap-northeast-1c", "peer1", "peer2", "api1", "peer3", "api2"],
            },
            Caption {
                from_ms: 2 * HOUR_MS,
                text: "AZ ap-northeast-1a loses power at 2 h: watch the load balancer stop routing to api1.",
                ids: &["ap-northeast-1a", "api1"],
            },
            Caption {
                from_ms: 2 * HOUR_MS + MINUTE_MS,
                text: "api1 is marked unhealthy: every client now goes to api2, and peer3 keeps the chain growing.",
                ids: &["api1", "api2", "peer3"],
            },
            Caption {
                from_ms: 3 * HOUR_MS,
                text: "Power is back at 3 h: peer1, peer2 and api1 restart and catch up.",
                ids: &["peer1", "peer2", "api1"],
            },
            Caption {
                from_ms: 3 * HOUR_MS + 3 * MINUTE_MS,
                text: "api1 serves again: one AZ down cost capacity, not service.",
                ids: &["api1"],
            },
        ],
    },
    Story {
        preset: "inter-region-backup",
        captions: &[
            Caption {
                from_ms: 0,
                text: "Region ap-northeast-1 serves clients; region ap-northeast-3 is the backup's recovery site.",
                ids: &["ap-northeast-1", "ap-northeast-3"],
            },
            Caption {
                from_ms: 7 * HOUR_MS,
                text: "At 7 h region ap-northeast-1 is lost; dr-peer1, dr-peer2, dr-peer3, dr-api1 and dr-api2 start restoring from the backup.",
                ids: &["ap-northeast-1", "dr-peer1", "dr-peer2", "dr-peer3", "dr-api1", "dr-api2"],
            },
            Caption {
                from_ms: 7 * HOUR_MS + 2 * MINUTE_MS,
                text: "DNS failover marks api1 and api2 unhealthy: no API serves while the restore runs.",
                ids: &["api1", "api2"],
            },
            Caption {
                from_ms: 31 * HOUR_MS,
                text: "The restore ends at 31 h: the recovery nodes come up and sync.",
                ids: &[],
            },
            Caption {
                from_ms: 31 * HOUR_MS + 2 * MINUTE_MS,
                text: "DNS failover sends clients to dr-api1 and dr-api2: service is back, a day after the region was lost.",
                ids: &["dr-api1", "dr-api2"],
            },
        ],
    },
    Story {
        preset: "active-active",
        captions: &[
            Caption {
                from_ms: 0,
                text: "Two regions serve at once: latency routing sends each client to ap-northeast-1 or ap-southeast-1.",
                ids: &["ap-northeast-1", "ap-southeast-1"],
            },
            Caption {
                from_ms: 2 * HOUR_MS,
                text: "At 2 h the regions are cut apart: each side keeps harvesting its own chain.",
                ids: &[],
            },
            Caption {
                from_ms: 2 * HOUR_MS + 8 * MINUTE_MS,
                text: "Finalization stalls: neither side can finalize a new block while they are apart.",
                ids: &[],
            },
            Caption {
                from_ms: 3 * HOUR_MS,
                text: "The partition heals at 3 h: the chains are compared and one side must give way.",
                ids: &[],
            },
            Caption {
                from_ms: 3 * HOUR_MS + 1_000,
                text: "sg-peer1, sg-peer2, sg-api1 and sg-api2 roll back the blocks made during the split and take ap-northeast-1's chain.",
                ids: &["sg-peer1", "sg-peer2", "sg-api1", "sg-api2", "ap-northeast-1"],
            },
        ],
    },
    Story {
        preset: "seed-fork",
        captions: &[
            Caption {
                from_ms: 0,
                text: "One region, two AZs; at 30 m peer2 will be cut off from every other node.",
                ids: &["peer2"],
            },
            Caption {
                from_ms: 30 * MINUTE_MS,
                text: "peer2 is isolated: it keeps harvesting alone, on a fork of its own.",
                ids: &["peer2"],
            },
            Caption {
                from_ms: 38 * MINUTE_MS,
                text: "peer2 can reach the others again at 38 m: the longer chain wins.",
                ids: &["peer2"],
            },
            Caption {
                from_ms: 38 * MINUTE_MS + 42_000,
                text: "peer2 rolls back the blocks it harvested alone and takes the best chain.",
                ids: &["peer2"],
            },
        ],
    },
];

/// The story `file` tells: its preset's, while it still has the preset's name and
/// fault schedule.
pub fn story_for(file: &ScenarioFile) -> Option<&'static Story> {
    let story = STORIES.iter().find(|story| story.preset == file.name)?;
    let preset = presets::load_file(story.preset).ok()?;
    (preset.faults == file.faults && preset.duration_ms == file.duration_ms).then_some(story)
}

/// The caption to show at `at_ms`, if `file` tells a story.
pub fn caption_at(file: &ScenarioFile, at_ms: u64) -> Option<&'static Caption> {
    story_for(file)?
        .captions
        .iter()
        .rev()
        .find(|caption| caption.from_ms <= at_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::FaultAction;

    fn ids_in(file: &ScenarioFile) -> Vec<String> {
        let mut ids = Vec::new();
        for region in &file.regions {
            ids.push(region.id.clone());
            for az in &region.azs {
                ids.push(az.id.clone());
                ids.extend(az.nodes.iter().map(|node| node.id.clone()));
            }
        }
        ids
    }

    #[test]
    fn every_preset_tells_a_story_inside_its_run_about_what_exists() {
        for preset in presets::PRESETS {
            let story = STORIES
                .iter()
                .find(|story| story.preset == preset.name)
                .unwrap_or_else(|| panic!("{} has no story", preset.name));
            let file = presets::load_file(preset.name).unwrap();
            let ids = ids_in(&file);
            assert_eq!(story.captions[0].from_ms, 0, "{}", preset.name);
            for pair in story.captions.windows(2) {
                assert!(pair[0].from_ms < pair[1].from_ms, "{pair:?}");
            }
            for caption in story.captions {
                assert!(caption.from_ms < file.duration_ms, "{caption:?}");
                for id in caption.ids {
                    assert!(ids.iter().any(|known| known == id), "{id} in {caption:?}");
                    assert!(caption.text.contains(id), "{id} not in {caption:?}");
                }
            }
            assert_eq!(story_for(&file), Some(story));
        }
    }

    #[test]
    fn captions_name_the_entry_point_the_preset_has() {
        use crate::scenario::file::EntryKind;
        for story in &STORIES {
            let file = presets::load_file(story.preset).unwrap();
            for (phrase, kind) in [
                ("load balancer", EntryKind::LoadBalancer),
                ("dns failover", EntryKind::DnsFailover),
                ("latency routing", EntryKind::LatencyRouting),
            ] {
                for caption in story.captions {
                    if caption.text.to_lowercase().contains(phrase) {
                        assert_eq!(file.clients.entry_point.kind, kind, "{caption:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_caption_follows_the_moment() {
        let file = presets::load_file("multi-az").unwrap();
        assert!(caption_at(&file, 0).unwrap().text.starts_with("Two AZs"));
        let outage = caption_at(&file, 2 * HOUR_MS + 30_000).unwrap();
        assert!(outage.text.contains("stop routing to api1"), "{outage:?}");
        assert!(caption_at(&file, 5 * HOUR_MS)
            .unwrap()
            .text
            .contains("serves again"));
    }

    #[test]
    fn an_edited_fault_schedule_tells_no_story() {
        let mut file = presets::load_file("multi-az").unwrap();
        file.faults[0].action = FaultAction::AzOutage {
            az: "ap-northeast-1c".into(),
        };
        assert_eq!(caption_at(&file, 2 * HOUR_MS), None);
        let mut renamed = presets::load_file("multi-az").unwrap();
        renamed.name = "my deployment".into();
        assert_eq!(story_for(&renamed), None);
    }

    #[test]
    fn captions_name_moments_the_run_marks() {
        // The moments the captions announce are moments the run's markers show.
        for (preset, moment_ms) in [
            ("multi-az", 2 * HOUR_MS),
            ("multi-az", 3 * HOUR_MS),
            ("active-active", 2 * HOUR_MS),
            ("seed-fork", 30 * MINUTE_MS),
            ("inter-region-backup", 7 * HOUR_MS),
        ] {
            let scenario = crate::scenario::validate(&presets::load_file(preset).unwrap()).unwrap();
            let markers = super::super::markers::run_markers(&scenario).unwrap();
            assert!(
                markers.iter().any(|marker| marker.at_ms == moment_ms),
                "{preset} at {moment_ms}"
            );
            assert!(STORIES
                .iter()
                .find(|story| story.preset == preset)
                .unwrap()
                .captions
                .iter()
                .any(|caption| caption.from_ms == moment_ms));
        }
    }
}
