//! Caps on everything a user controls, so that no scenario can hang the page or the
//! command line. Each cap is checked at the boundary (decode or validate) with a
//! message that names the field and the cap; `docs/errors.md` lists them all.

/// Largest scenario file read, in bytes.
pub const FILE_BYTES_MAX: usize = 1024 * 1024;
/// Largest exported picture (SVG or PNG) read back to find the scenario inside, in
/// bytes; the scenario inside is still capped at [`FILE_BYTES_MAX`].
pub const PICTURE_BYTES_MAX: usize = 16 * 1024 * 1024;
/// Nodes in one scenario.
pub const NODES_MAX: usize = 300;
/// Regions in one scenario.
pub const REGIONS_MAX: usize = 16;
/// Availability zones in one region.
pub const AZS_PER_REGION_MAX: usize = 8;
/// Faults on the timeline.
pub const FAULTS_MAX: usize = 200;
/// Groups in one partition or degradation.
pub const GROUPS_MAX: usize = 16;
/// Simulated time of one run: 30 days.
pub const DURATION_MAX_MS: u64 = 30 * 86_400_000;
/// Client load.
pub const TRANSACTIONS_PER_SECOND_MAX: f64 = 50.0;
/// Events one run may process before it stops with an error. Sized for the largest
/// run the other caps allow with the default chain settings: 300 nodes over three
/// regions for 30 days takes about 435 M events (about 310 MB at its peak: memory grows
/// with blocks and client writes, which `DURATION_MAX_MS` and `TRANSACTIONS_MAX` bound,
/// not with events), so the cap leaves twice that for faults and busier settings.
pub const EVENTS_MAX: u64 = 1_000_000_000;
/// Trace entries kept in memory (the trace hash still covers every event).
pub const TRACE_ENTRIES_MAX: usize = 2_000_000;
/// Client transactions one run may create.
pub const TRANSACTIONS_MAX: u64 = 5_000_000;
/// Length of any id or name.
pub const ID_CHARS_MAX: usize = 64;
/// Length of the free-text description.
pub const DESCRIPTION_CHARS_MAX: usize = 2_000;
/// Shortest backup interval: AWS Backup does not start backup jobs less than 60 minutes
/// apart (shared/domain.md, "Corrections and additions"; AWS Backup developer guide,
/// backup plan frequency).
pub const BACKUP_INTERVAL_MIN_MS: u64 = 3_600_000;
/// The chain's height at time 0 (`chain.initial_height`): about 47 years of 15 s
/// blocks. History before time 0 costs no memory, only sync rounds to catch up on.
pub const INITIAL_HEIGHT_MAX: u64 = 100_000_000;
/// Monte Carlo trials in one plan.
pub const TRIALS_MAX: u64 = 10_000;
