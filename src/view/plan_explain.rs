//! The planner's verdicts in words: the state of each strategy × failure cell (pass,
//! fail, needs an operator, not applicable, not survivable), the targets as a workshop
//! reads them ("AZ outage: RTO ≤ 5 min, RPO ≤ 1 min") and the explanation of one cell
//! in sentences that can be read aloud. Pure and natively tested; the planner panel
//! only draws what these functions return.
//!
//! Invariants:
//! - Every number comes from one cell object of `report::plan_json` (the same object
//!   `catapult-dr plan --json` prints), never from anywhere else.
//! - A null (or missing) measured value reads "n/a", never 0.
//! - A field the plan does not carry (an older `plan_json`) adds no sentence at all;
//!   a field that is present but null says what null means for it.

use serde_json::Value;

use crate::scenario::file::{FailureKind, TargetFile};

/// What a cell's colour and first word say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellState {
    /// Meets its target.
    Pass,
    /// Misses its target.
    Fail,
    /// Recovers only when an operator acts (`operator_action` is set).
    NeedsOperator,
    /// The failure has nothing to act on in this strategy.
    NotApplicable,
    /// The strategy does not survive this failure.
    NotSurvivable,
    /// Survivable, with no target set for this failure.
    NoTarget,
}

impl CellState {
    /// Reads the state of one `plan_json` result. An operator's action outranks the
    /// target's verdict (the verdict is still said in words next to it).
    pub fn of(cell: &Value) -> CellState {
        if cell["applicable"] == Value::Bool(false) {
            CellState::NotApplicable
        } else if text_field(cell, "operator_action").is_some() {
            CellState::NeedsOperator
        } else if cell["survivable"] != Value::Bool(true) {
            CellState::NotSurvivable
        } else {
            match cell["meets_target"].as_bool() {
                Some(true) => CellState::Pass,
                Some(false) => CellState::Fail,
                None => CellState::NoTarget,
            }
        }
    }

    /// The state in words, as the cell shows it.
    pub fn words(self) -> &'static str {
        match self {
            CellState::Pass => "pass",
            CellState::Fail => "FAIL",
            CellState::NeedsOperator => "needs an operator",
            CellState::NotApplicable => "not applicable",
            CellState::NotSurvivable => "not survivable",
            CellState::NoTarget => "no target",
        }
    }

    /// The CSS class that colours the cell.
    pub fn class(self) -> &'static str {
        match self {
            CellState::Pass => "cell-pass",
            CellState::Fail => "cell-fail",
            CellState::NeedsOperator => "cell-operator",
            CellState::NotApplicable => "cell-not-applicable",
            CellState::NotSurvivable => "cell-not-survivable",
            CellState::NoTarget => "cell-no-target",
        }
    }
}

/// A failure kind as a column heading: "AZ outage".
pub fn failure_title(failure: &str) -> &'static str {
    match FailureKind::parse(failure) {
        Some(FailureKind::Node) => "Node crash",
        Some(FailureKind::Az) => "AZ outage",
        Some(FailureKind::Region) => "Region loss",
        Some(FailureKind::RegionLink) => "Region link cut",
        Some(FailureKind::ApiTier) => "API tier down",
        Some(FailureKind::DiskLoss) => "Disk loss",
        None => "Unknown failure",
    }
}

/// A failure kind inside a sentence: "an AZ outage".
pub fn failure_phrase(failure: &str) -> &'static str {
    match FailureKind::parse(failure) {
        Some(FailureKind::Node) => "a node crash",
        Some(FailureKind::Az) => "an AZ outage",
        Some(FailureKind::Region) => "a region loss",
        Some(FailureKind::RegionLink) => "a cut of the link between regions",
        Some(FailureKind::ApiTier) => "an API tier outage",
        Some(FailureKind::DiskLoss) => "a disk loss",
        None => "an unknown failure",
    }
}

/// A strategy as a row heading: "Multi-AZ".
pub fn strategy_title(strategy: &str) -> &'static str {
    match strategy {
        "single-az" => "Single AZ",
        "multi-az" => "Multi-AZ",
        "inter-region-backup" => "Inter-region backup",
        "active-active" => "Active/active",
        _ => "Unknown strategy",
    }
}

/// A duration as it is read aloud: "1 h", "30 min", "23 h 22 min 48 s", "250 ms".
pub fn spoken_duration(duration_ms: u64) -> String {
    if duration_ms == 0 {
        return "0 s".to_string();
    }
    if duration_ms < 1_000 {
        return format!("{duration_ms} ms");
    }
    let total_s = duration_ms / 1_000;
    let parts = [
        (total_s / 86_400, "d"),
        (total_s % 86_400 / 3_600, "h"),
        (total_s % 3_600 / 60, "min"),
        (total_s % 60, "s"),
    ];
    let mut words: Vec<String> = parts
        .iter()
        .filter(|(value, _)| *value > 0)
        .map(|(value, unit)| format!("{value} {unit}"))
        .collect();
    let rest_ms = duration_ms % 1_000;
    if rest_ms > 0 && total_s < 60 {
        words.push(format!("{rest_ms} ms"));
    }
    words.join(" ")
}

/// Seconds as `plan_json` writes them, back to whole milliseconds.
fn seconds_to_ms(seconds: f64) -> u64 {
    (seconds * 1_000.0).round().max(0.0) as u64
}

/// A duration field in seconds, read aloud; "n/a" when null or missing.
fn spoken_seconds(value: &Value) -> String {
    value
        .as_f64()
        .map(|seconds| spoken_duration(seconds_to_ms(seconds)))
        .unwrap_or_else(|| "n/a".to_string())
}

fn count_text(value: &Value) -> String {
    value
        .as_u64()
        .map(|count| count.to_string())
        .unwrap_or_else(|| "n/a".to_string())
}

fn text_field<'a>(cell: &'a Value, field: &str) -> Option<&'a str> {
    cell.get(field)
        .and_then(Value::as_str)
        .filter(|text| !text.trim().is_empty())
}

/// "p50 1 min, p95 1 min 30 s, max 2 min" of a `{p50, p95, max}` object in seconds.
fn spread(distribution: &Value) -> String {
    format!(
        "p50 {}, p95 {}, max {}",
        spoken_seconds(&distribution["p50"]),
        spoken_seconds(&distribution["p95"]),
        spoken_seconds(&distribution["max"])
    )
}

/// The targets of one failure kind in words ("RTO ≤ 5 min, RPO ≤ 1 min"), or `None`
/// when it has none.
pub fn target_words(target: &TargetFile) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(ms) = target.rto_ms {
        parts.push(format!("RTO ≤ {}", spoken_duration(ms)));
    }
    if let Some(ms) = target.rpo_ms {
        parts.push(format!("RPO ≤ {}", spoken_duration(ms)));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Every target in words, one line per failure kind that has one, in the planner's
/// failure order: ("az", "AZ outage: RTO ≤ 5 min, RPO ≤ 1 min").
pub fn targets_in_words(targets: &[TargetFile]) -> Vec<(String, String)> {
    FailureKind::ALL
        .iter()
        .filter_map(|failure| {
            let target = targets.iter().find(|target| target.failure == *failure)?;
            let words = target_words(target)?;
            Some((
                failure.as_str().to_string(),
                format!("{}: {words}", failure_title(failure.as_str())),
            ))
        })
        .collect()
}

/// One line of an explanation; `assumed` marks an estimate step whose duration is an
/// input rather than a rule or a sourced default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub assumed: bool,
}

impl Line {
    fn plain(text: String) -> Line {
        Line {
            text,
            assumed: false,
        }
    }
}

/// A titled group of lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<Line>,
}

/// One cell explained: a title, the verdict sentence and the sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub title: String,
    pub verdict: String,
    pub sections: Vec<Section>,
}

impl Explanation {
    /// Everything as plain text, one line each (for tests and copying).
    pub fn text(&self) -> String {
        let mut text = format!("{}\n{}\n", self.title, self.verdict);
        for section in &self.sections {
            text.push_str(&section.heading);
            text.push('\n');
            for line in &section.lines {
                text.push_str(&line.text);
                text.push('\n');
            }
        }
        text
    }
}

fn steps(cell: &Value, metric: &str) -> Vec<Line> {
    let Some(steps) = cell["estimate_steps"][metric].as_array() else {
        return Vec::new();
    };
    steps
        .iter()
        .map(|step| {
            let assumed = step["assumed"].as_bool().unwrap_or(false);
            let name = step["step"].as_str().unwrap_or("a step");
            let duration = spoken_seconds(&step["seconds"]);
            Line {
                text: if assumed {
                    format!("{name}: {duration} (assumed)")
                } else {
                    format!("{name}: {duration}")
                },
                assumed,
            }
        })
        .collect()
}

fn estimate_total(cell: &Value, metric: &str) -> String {
    spoken_seconds(&cell[format!("{metric}_s")]["estimate"])
}

/// The sentences that explain one cell of `report::plan_json(..)["results"]`;
/// `target` is the cell's failure kind's target in words, if any.
pub fn explain_cell(cell: &Value, target: Option<&str>) -> Explanation {
    let strategy = cell["strategy"].as_str().unwrap_or_default();
    let failure = cell["failure"].as_str().unwrap_or_default();
    let state = CellState::of(cell);
    let title = format!(
        "{} under {}",
        strategy_title(strategy),
        failure_phrase(failure)
    );
    let target_phrase = target
        .map(|words| format!(" ({words})"))
        .unwrap_or_default();
    let verdict_on_target = match cell["meets_target"].as_bool() {
        Some(true) => format!("It meets its target{target_phrase}."),
        Some(false) => format!("It misses its target{target_phrase}."),
        None => "No target is set for this failure.".to_string(),
    };
    let verdict = match state {
        CellState::NotApplicable => format!(
            "Not applicable: this failure has nothing to act on in this strategy. {verdict_on_target}"
        ),
        CellState::NotSurvivable => {
            format!("Not survivable: the service does not come back by itself. {verdict_on_target}")
        }
        CellState::NeedsOperator => {
            format!("The service needs an operator to come back. {verdict_on_target}")
        }
        CellState::Pass | CellState::Fail | CellState::NoTarget => verdict_on_target,
    };
    let mut sections = Vec::new();
    if let Some(explanation) = text_field(cell, "explanation") {
        sections.push(Section {
            heading: "Why".to_string(),
            lines: vec![Line::plain(explanation.to_string())],
        });
    }
    if let Some(action) = text_field(cell, "operator_action") {
        sections.push(Section {
            heading: "What an operator must do".to_string(),
            lines: vec![Line::plain(action.to_string())],
        });
    }
    let survivable = cell["survivable"] == Value::Bool(true);
    for (metric, name) in [("rto", "RTO"), ("rpo", "RPO")] {
        let lines = steps(cell, metric);
        if lines.is_empty() {
            continue;
        }
        let heading = if survivable {
            format!(
                "How the {name} estimate of {} adds up",
                estimate_total(cell, metric)
            )
        } else {
            format!("The {name} estimate's steps")
        };
        sections.push(Section { heading, lines });
    }
    let trials = cell["trials"].as_u64().unwrap_or(0);
    let recovered = cell["recovered_trials"].as_u64().unwrap_or(0);
    let mut measured = Vec::new();
    if trials == 0 {
        measured.push(Line::plain(
            "Not simulated: the estimate alone decides this cell.".to_string(),
        ));
    } else {
        measured.push(Line::plain(format!(
            "The service came back in {recovered} of {trials} trials."
        )));
        measured.push(Line::plain(format!("RTO: {}.", spread(&cell["rto_s"]))));
        measured.push(Line::plain(format!("RPO: {}.", spread(&cell["rpo_s"]))));
        measured.push(Line::plain(format!(
            "Finalized RPO: {}.",
            spread(&cell["rpo_finalized_s"])
        )));
        let lost = &cell["lost_confirmed_transactions"];
        measured.push(Line::plain(format!(
            "Confirmed writes lost per trial: p50 {}, p95 {}, max {}.",
            count_text(&lost["p50"]),
            count_text(&lost["p95"]),
            count_text(&lost["max"])
        )));
        if let Some(window) = cell.get("redundancy_restored_s") {
            measured.push(Line::plain(if window.is_null() {
                "Exposure window: redundancy does not return within the trial.".to_string()
            } else {
                let estimate = window
                    .get("estimate")
                    .map(|estimate| format!("estimate {}; measured ", spoken_seconds(estimate)))
                    .unwrap_or_default();
                format!(
                    "Exposure window until redundancy is restored: {estimate}{}.",
                    spread(window)
                )
            }));
        }
        if let Some(window) = cell.get("stale_read_s").filter(|value| !value.is_null()) {
            measured.push(Line::plain(if window["max"].as_f64() == Some(0.0) {
                "Stale reads: none (no client was sent to a node behind the network).".to_string()
            } else {
                format!(
                    "Stale reads (clients served an old chain): {}.",
                    spread(window)
                )
            }));
        }
        if let Some(regions) = cell.get("rto_by_region").and_then(Value::as_array) {
            for region in regions {
                measured.push(Line::plain(format!(
                    "RTO for clients in {}: {}.",
                    region["region"].as_str().unwrap_or("an unnamed region"),
                    spread(region)
                )));
            }
        }
    }
    sections.push(Section {
        heading: if trials == 0 {
            "Measured".to_string()
        } else {
            format!("Measured over {trials} trials")
        },
        lines: measured,
    });
    let disagreement = text_field(cell, "disagreement");
    let mut checks = Vec::new();
    match disagreement {
        Some(text) => checks.push(Line::plain(format!("Estimate vs measured: {text}."))),
        None if trials > 0 && survivable => checks.push(Line::plain(
            "Estimate vs measured: they agree within the tolerance.".to_string(),
        )),
        None => {}
    }
    if let Some(notes) = cell["notes"].as_array() {
        checks.extend(
            notes
                .iter()
                .filter_map(Value::as_str)
                .filter(|note| Some(*note) != disagreement)
                .map(|note| Line::plain(format!("Note: {note}."))),
        );
    }
    if let Some(hint) = text_field(cell, "hint") {
        checks.push(Line::plain(format!("Hint: {hint}")));
    }
    if !checks.is_empty() {
        sections.push(Section {
            heading: "Notes".to_string(),
            lines: checks,
        });
    }
    Explanation {
        title,
        verdict,
        sections,
    }
}

/// A duration for a matrix cell, as the charts write it: "0s" for a true zero, "<1s"
/// below a second, else "1m 30s", "23h 22m".
fn compact_seconds(value: &Value) -> String {
    match value.as_f64().map(seconds_to_ms) {
        None => "n/a".to_string(),
        Some(0) => "0s".to_string(),
        Some(1..=999) => "<1s".to_string(),
        Some(ms) => super::charts::short_duration(ms),
    }
}

/// A matrix cell's short RTO and RPO texts ("est. 1m · p95 1m 30s"), with the table's
/// words where there are no numbers ("n/a", "not survivable", "-").
pub fn short_texts(cell: &Value) -> (String, String) {
    if cell["applicable"] == Value::Bool(false) {
        return ("n/a".to_string(), "n/a".to_string());
    }
    if cell["survivable"] != Value::Bool(true) {
        return ("not survivable".to_string(), "-".to_string());
    }
    let text = |metric: &str| {
        let values = &cell[format!("{metric}_s")];
        format!(
            "est. {} · p95 {}",
            compact_seconds(&values["estimate"]),
            compact_seconds(&values["p95"])
        )
    };
    (text("rto"), text("rpo"))
}

/// The accessible label of a matrix cell: strategy, failure, state, RTO and RPO.
pub fn cell_label(cell: &Value, rto_text: &str, rpo_text: &str) -> String {
    let strategy = strategy_title(cell["strategy"].as_str().unwrap_or_default());
    let failure = failure_title(cell["failure"].as_str().unwrap_or_default());
    format!(
        "{strategy}, {failure}: {}. RTO {rto_text}. RPO {rpo_text}. Press Enter for the explanation.",
        CellState::of(cell).words()
    )
}

/// The monthly cost of a strategy with its currency ("1,212.50 USD"), or `None` when
/// the plan has no cost for it.
pub fn monthly_cost_text(plan: &Value, strategy: &str) -> Option<String> {
    let cost = plan["costs"]
        .as_array()?
        .iter()
        .find(|cost| cost["strategy"].as_str() == Some(strategy))?["monthly_cost"]
        .as_f64()?;
    Some(format!("{} {}", grouped(cost), currency(plan)))
}

/// The plan's currency: its top-level `currency`, else "USD".
pub fn currency(plan: &Value) -> &str {
    plan.get("currency")
        .and_then(Value::as_str)
        .filter(|text| !text.trim().is_empty())
        .unwrap_or("USD")
}

/// 1212.5 → "1,212.50".
fn grouped(amount: f64) -> String {
    let cents = (amount * 100.0).round() as i64;
    let (whole, fraction) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut text = String::new();
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{text}.{fraction:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::{plan, PlanOptions, Strategy};
    use crate::report::plan_json;
    use crate::scenario::presets;
    use serde_json::json;

    fn cell<'a>(plan: &'a Value, strategy: &str, failure: &str) -> &'a Value {
        plan["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|cell| cell["strategy"] == strategy && cell["failure"] == failure)
            .unwrap()
    }

    fn small_plan() -> Value {
        let mut file = presets::load_file("multi-az").unwrap();
        file.plan.targets = vec![TargetFile {
            failure: FailureKind::Az,
            rto_ms: Some(5 * 60_000),
            rpo_ms: Some(60_000),
        }];
        let options = PlanOptions {
            trials: 2,
            seed: 5,
            strategies: Strategy::ALL.to_vec(),
            failures: vec![
                FailureKind::Az,
                FailureKind::Region,
                FailureKind::RegionLink,
            ],
            horizon_override_ms: None,
        };
        plan_json(&plan(&file, &options).unwrap())
    }

    #[test]
    fn durations_read_aloud() {
        assert_eq!(spoken_duration(0), "0 s");
        assert_eq!(spoken_duration(250), "250 ms");
        assert_eq!(spoken_duration(3_600_000), "1 h");
        assert_eq!(spoken_duration(30 * 60_000), "30 min");
        assert_eq!(spoken_duration(84_168_000), "23 h 22 min 48 s");
        assert_eq!(spoken_duration(2 * 86_400_000 + 3_600_000), "2 d 1 h");
    }

    #[test]
    fn targets_read_as_words_never_paths() {
        let targets = [TargetFile {
            failure: FailureKind::Az,
            rto_ms: Some(5 * 60_000),
            rpo_ms: Some(60_000),
        }];
        assert_eq!(
            targets_in_words(&targets),
            vec![(
                "az".to_string(),
                "AZ outage: RTO ≤ 5 min, RPO ≤ 1 min".to_string()
            )]
        );
        let rpo_only = TargetFile {
            failure: FailureKind::Region,
            rto_ms: None,
            rpo_ms: Some(0),
        };
        assert_eq!(target_words(&rpo_only).unwrap(), "RPO ≤ 0 s");
    }

    #[test]
    fn a_simulated_cell_is_explained_with_its_assumed_steps_and_measured_spread() {
        let plan = small_plan();
        let backup = cell(&plan, "inter-region-backup", "region");
        let explanation = explain_cell(backup, None);
        let text = explanation.text();
        assert_eq!(explanation.title, "Inter-region backup under a region loss");
        assert!(
            text.contains("No target is set for this failure."),
            "{text}"
        );
        // Assumed steps are marked, rule-based ones are not.
        let rto_steps = explanation
            .sections
            .iter()
            .find(|section| section.heading.starts_with("How the RTO estimate of "))
            .unwrap();
        assert!(
            rto_steps.heading.contains("23 h 22 min 48 s"),
            "{}",
            rto_steps.heading
        );
        assert!(rto_steps
            .lines
            .iter()
            .any(|line| line.assumed && line.text.ends_with("(assumed)")));
        // Every restore step is an input; the RPO's backup interval is a rule.
        let rpo_steps = explanation
            .sections
            .iter()
            .find(|section| section.heading.starts_with("How the RPO estimate of "))
            .unwrap();
        assert!(rpo_steps
            .lines
            .iter()
            .any(|line| !line.assumed && !line.text.contains("assumed")));
        assert!(
            text.contains("The service came back in 2 of 2 trials."),
            "{text}"
        );
        // The numbers are the cell's: RTO p95 read from the same JSON.
        let p95 = spoken_seconds(&backup["rto_s"]["p95"]);
        assert!(
            text.contains(&format!(
                "RTO: p50 {}, p95 {p95}, max ",
                spoken_seconds(&backup["rto_s"]["p50"])
            )),
            "{text}"
        );
        // Finalization is off in this preset: finalized RPO is n/a, never 0.
        assert!(
            text.contains("Finalized RPO: p50 n/a, p95 n/a, max n/a."),
            "{text}"
        );
        assert!(
            text.contains("Confirmed writes lost per trial: p50 "),
            "{text}"
        );
    }

    #[test]
    fn not_survivable_and_not_applicable_cells_say_so_and_show_no_numbers() {
        let plan = small_plan();
        let lost = explain_cell(cell(&plan, "single-az", "region"), None).text();
        assert!(lost.contains("Not survivable"), "{lost}");
        assert!(lost.contains("Not simulated"), "{lost}");
        assert!(!lost.contains("p95 0 s"), "{lost}");
        let cut = cell(&plan, "multi-az", "region-link");
        assert_eq!(CellState::of(cut), CellState::NotApplicable);
        assert!(explain_cell(cut, None)
            .verdict
            .starts_with("Not applicable"));
        let az = cell(&plan, "multi-az", "az");
        assert_eq!(CellState::of(az), CellState::Pass);
        let verdict = explain_cell(az, Some("RTO ≤ 5 min, RPO ≤ 1 min")).verdict;
        assert_eq!(verdict, "It meets its target (RTO ≤ 5 min, RPO ≤ 1 min).");
    }

    #[test]
    fn new_fields_are_read_when_present_and_silent_when_absent() {
        let plan = small_plan();
        let mut base = cell(&plan, "multi-az", "az").clone();
        for key in [
            "operator_action",
            "redundancy_restored_s",
            "stale_read_s",
            "rto_by_region",
            "hint",
        ] {
            base.as_object_mut().expect("a cell object").remove(key);
        }
        let plain = explain_cell(&base, None).text();
        for word in [
            "Exposure window",
            "Stale reads",
            "RTO for clients in",
            "operator",
            "Hint",
        ] {
            assert!(!plain.contains(word), "{word}: {plain}");
        }
        let mut rich = base.clone();
        rich["operator_action"] = json!("resync the minority side from the majority");
        rich["redundancy_restored_s"] =
            json!({"estimate": 3650.0, "p50": 3600.0, "p95": 3700.0, "max": null});
        rich["stale_read_s"] = json!({"p50": 15.0, "p95": 30.0, "max": 45.0});
        rich["rto_by_region"] =
            json!([{"region": "ap-northeast-1", "p50": 60.0, "p95": 90.0, "max": 95.0}]);
        rich["hint"] = json!("add a PEER to the second AZ.");
        assert_eq!(CellState::of(&rich), CellState::NeedsOperator);
        let text = explain_cell(&rich, None).text();
        assert!(
            text.contains("resync the minority side from the majority"),
            "{text}"
        );
        assert!(text.contains("Exposure window until redundancy is restored: estimate 1 h 50 s; measured p50 1 h, p95 1 h 1 min 40 s, max n/a."), "{text}");
        assert!(
            text.contains(
                "Stale reads (clients served an old chain): p50 15 s, p95 30 s, max 45 s."
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "RTO for clients in ap-northeast-1: p50 1 min, p95 1 min 30 s, max 1 min 35 s."
            ),
            "{text}"
        );
        assert!(
            text.contains("Hint: add a PEER to the second AZ."),
            "{text}"
        );
        rich["redundancy_restored_s"] = Value::Null;
        assert!(explain_cell(&rich, None)
            .text()
            .contains("redundancy does not return within the trial"));
    }

    #[test]
    fn costs_carry_the_plan_currency() {
        let mut plan = small_plan();
        assert_eq!(currency(&plan), "USD");
        let cost = monthly_cost_text(&plan, "active-active").unwrap();
        assert!(cost.ends_with(" USD") && cost.contains(','), "{cost}");
        plan["currency"] = json!("JPY");
        assert!(monthly_cost_text(&plan, "single-az")
            .unwrap()
            .ends_with(" JPY"));
        assert_eq!(grouped(1212.5), "1,212.50");
        assert_eq!(grouped(912.5), "912.50");
    }

    #[test]
    fn short_texts_use_the_cell_numbers_and_the_table_words() {
        let plan = small_plan();
        assert_eq!(
            short_texts(cell(&plan, "single-az", "region")),
            ("not survivable".to_string(), "-".to_string())
        );
        assert_eq!(
            short_texts(cell(&plan, "multi-az", "region-link")),
            ("n/a".to_string(), "n/a".to_string())
        );
        let az = cell(&plan, "multi-az", "az");
        let (rto, rpo) = short_texts(az);
        let p95_ms = seconds_to_ms(az["rto_s"]["p95"].as_f64().unwrap());
        assert_eq!(
            rto,
            format!("est. 1m · p95 {}", compact_seconds(&az["rto_s"]["p95"]))
        );
        assert!(p95_ms > 0);
        assert!(rpo.starts_with("est. 0s · p95 "), "{rpo}");
    }

    #[test]
    fn a_cell_label_names_everything_for_a_screen_reader() {
        let plan = small_plan();
        let label = cell_label(cell(&plan, "single-az", "region"), "not survivable", "-");
        assert_eq!(
            label,
            "Single AZ, Region loss: not survivable. RTO not survivable. RPO -. Press Enter for the explanation."
        );
    }
}
