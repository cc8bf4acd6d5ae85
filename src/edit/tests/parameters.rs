//! Scenario parameters and planner assumptions as text, and their ranges.

use super::*;

#[test]
fn parameters_list_what_the_inspector_needs_and_read_back_unchanged() {
    let file = preset("active-active");
    let views = chain_parameters(&file);
    for name in [
        "block_time",
        "max_rollback_blocks",
        "difficulty_window_blocks",
        "smoothing_factor",
        "sync_interval",
        "max_blocks_per_sync",
        "max_connections",
        "transaction_lifetime",
        "finalization.enabled",
        "finalization.threshold_percent",
        "finalization.step_duration",
        "finalization.voting_set_grouping_blocks",
        "intra_az_latency_ms",
        "inter_az_latency_ms",
        "default_inter_region_latency_ms",
        "loss_percent",
        "seed",
        "duration",
    ] {
        assert!(views.iter().any(|view| view.name == name), "{name} missing");
    }
    let names: BTreeSet<&str> = views.iter().map(|view| view.name).collect();
    assert_eq!(names.len(), views.len(), "duplicate names");
    let text = |name: &str| {
        views
            .iter()
            .find(|view| view.name == name)
            .unwrap()
            .value_text
            .clone()
    };
    assert_eq!(text("block_time"), "15s");
    assert_eq!(text("max_rollback_blocks"), "0");
    assert_eq!(text("finalization.enabled"), "true");
    assert_eq!(text("finalization.threshold_percent"), "67");
    assert_eq!(text("duration"), "6h");
    for view in &views {
        let same = apply(
            &file,
            &Edit::SetChainParameter {
                name: view.name.into(),
                value: view.value_text.clone(),
            },
        )
        .unwrap_or_else(|errors| panic!("{}: {}", view.name, messages(&errors)));
        assert_eq!(same, file, "{} does not read back", view.name);
        assert!(!view.label.is_empty());
    }
}

#[test]
fn parameters_are_set_from_text() {
    let file = preset("multi-az");
    let set = |file: &ScenarioFile, name: &str, value: &str| {
        apply(
            file,
            &Edit::SetChainParameter {
                name: name.into(),
                value: value.into(),
            },
        )
        .unwrap_or_else(|errors| panic!("{name}={value}: {}", messages(&errors)))
    };
    assert_eq!(set(&file, "block_time", "30s").chain.block_time_ms, 30_000);
    assert_eq!(set(&file, "block_time", " 1m ").chain.block_time_ms, 60_000);
    assert_eq!(
        set(&file, "max_rollback_blocks", "360")
            .chain
            .max_rollback_blocks,
        360
    );
    assert_eq!(
        set(&file, "max_rollback_blocks", "360 blocks")
            .chain
            .max_rollback_blocks,
        360
    );
    assert_eq!(
        set(&file, "smoothing_factor", "2.5").chain.smoothing_factor,
        2.5
    );
    assert_eq!(
        set(&file, "intra_az_latency_ms", "3ms")
            .network
            .intra_az_latency_ms,
        3
    );
    assert_eq!(
        set(&file, "loss_percent", "1.5 %").network.loss_percent,
        1.5
    );
    assert_eq!(set(&file, "seed", "18446744073709551615").seed, u64::MAX);
    assert_eq!(set(&file, "duration", "2d").duration_ms, 2 * 86_400_000);
    assert!(set(&file, "harvest_gating", "on").chain.harvest_gating);
    let voters = set(&file, "finalization.enabled", "false");
    assert!(!voters.chain.finalization.enabled);
    assert_eq!(
        set(&file, "finalization.step_duration", "90s")
            .chain
            .finalization
            .step_duration_ms,
        90_000
    );
    assert_eq!(
        set(&file, "transactions_per_second", "2")
            .clients
            .transactions_per_second,
        2.0
    );
}

#[test]
fn bad_parameter_text_is_refused_with_its_path() {
    let file = preset("multi-az");
    let refused = |name: &str, value: &str, path: &str, text: &str| {
        assert_refused(
            &file,
            Edit::SetChainParameter {
                name: name.into(),
                value: value.into(),
            },
            path,
            text,
        )
    };
    refused("block_time", "1..2s", "chain.block_time", "not a duration");
    refused("block_time", "fast", "chain.block_time", "unknown unit");
    refused("block_time", "5y", "chain.block_time", "unknown unit");
    refused("block_time", "-3s", "chain.block_time", "negative");
    refused(
        "block_time",
        "500ms",
        "chain.block_time",
        "out of range: use a duration from 1s to 10m",
    );
    refused(
        "max_rollback_blocks",
        "forty",
        "chain.max_rollback_blocks",
        "not a whole number",
    );
    refused(
        "max_rollback_blocks",
        "4.5",
        "chain.max_rollback_blocks",
        "not a whole number",
    );
    refused(
        "max_rollback_blocks",
        "10001",
        "chain.max_rollback_blocks",
        "out of range: use a whole number from 0 to 10000",
    );
    refused(
        "smoothing_factor",
        "NaN",
        "chain.smoothing_factor",
        "out of range",
    );
    refused(
        "loss_percent",
        "101",
        "network.loss_percent",
        "out of range: use a number from 0 to 100",
    );
    refused(
        "finalization.enabled",
        "maybe",
        "chain.finalization.enabled",
        "not true or false",
    );
    refused(
        "nonsense",
        "1",
        "chain",
        "unknown parameter \"nonsense\": use one of seed, duration, block_time",
    );
    // In range, but invalid with the rest of the scenario.
    refused(
        "max_rollback_blocks",
        "0",
        "chain.max_rollback_blocks",
        "bounded by finalization, which is off",
    );
    let mut no_voters = file.clone();
    for node in no_voters
        .regions
        .iter_mut()
        .flat_map(|region| &mut region.azs)
        .flat_map(|az| &mut az.nodes)
    {
        node.voting = false;
    }
    assert_refused(
        &no_voters,
        Edit::SetChainParameter {
            name: "finalization.enabled".into(),
            value: "true".into(),
        },
        "chain.finalization.enabled",
        "needs at least one voting node",
    );
    refused(
        "duration",
        "1h",
        "faults[0].at",
        "move it earlier or lengthen",
    );
}

#[test]
fn assumptions_read_in_human_units_with_their_sources() {
    let file = preset("multi-az");
    let assumptions = plan_assumptions(&file);
    let find = |name: &str| {
        assumptions
            .iter()
            .find(|assumption| assumption.name == name)
            .unwrap()
            .clone()
    };
    let outage = find("outage_duration");
    assert_eq!(
        (outage.value_text.as_str(), outage.source),
        ("1 h", "assumption")
    );
    assert_eq!(find("node_replacement").value_text, "30 min");
    assert_eq!(find("restore.provisioning").value_text, "18 h");
    let volume = find("restore.volume_size_gb");
    assert_eq!((volume.value_text.as_str(), volume.unit), ("500", "GB"));
    assert!(volume.source.starts_with("[MJ]"));
    assert!(find("restore.initialization_mib_per_s")
        .source
        .starts_with("[AWS]"));
    // No backup drawn: the planner's default backup shows, read-only.
    let interval = find("backup.interval");
    assert_eq!(interval.value_text, "2 h");
    assert!(!interval.editable);
    assert!(outage.editable);
    // Every value reads back unchanged through its own edit.
    for assumption in &assumptions {
        if !assumption.editable {
            continue;
        }
        let edit = Edit::SetPlanAssumption {
            name: assumption.name.to_string(),
            value: assumption.value_text.clone(),
        };
        assert_eq!(apply(&file, &edit).unwrap(), file, "{}", assumption.name);
    }
}

#[test]
fn assumptions_are_set_from_human_text_or_refused_with_their_path() {
    let file = preset("multi-az");
    let set = |file: &ScenarioFile, name: &str, value: &str| {
        apply(
            file,
            &Edit::SetPlanAssumption {
                name: name.into(),
                value: value.into(),
            },
        )
    };
    assert_eq!(
        set(&file, "outage_duration", "30 min")
            .unwrap()
            .plan
            .outage_duration_ms,
        1_800_000
    );
    assert_eq!(
        set(&file, "outage_duration", "1 h 30 min")
            .unwrap()
            .plan
            .outage_duration_ms,
        5_400_000
    );
    assert_eq!(
        set(&file, "outage_duration", "2h")
            .unwrap()
            .plan
            .outage_duration_ms,
        7_200_000
    );
    assert_eq!(
        set(&file, "restore.volume_size_gb", "250 GB")
            .unwrap()
            .plan
            .restore
            .volume_size_gb,
        250
    );
    let errors = set(&file, "outage_duration", "30 s").unwrap_err();
    assert_eq!(errors[0].path, "plan.outage_duration");
    assert!(
        errors[0].message.contains("from 1 min to 7 d"),
        "{}",
        errors[0].message
    );
    let errors = set(&file, "outage_duration", "soon").unwrap_err();
    assert_eq!(errors[0].path, "plan.outage_duration");
    let errors = set(&file, "backup.copy_lag", "30 min").unwrap_err();
    assert!(
        errors[0].message.contains("no backup vault"),
        "{}",
        errors[0].message
    );
    let backup = preset("inter-region-backup");
    assert_eq!(
        set(&backup, "backup.copy_lag", "30 min")
            .unwrap()
            .backup
            .unwrap()
            .copy_lag_ms,
        1_800_000
    );
    assert!(set(&file, "no_such_thing", "1").is_err());
}

#[test]
fn parameter_ranges_agree_with_the_file_format() {
    // The backup preset, so the backup's assumptions have a field to write.
    let file = preset("inter-region-backup");
    let specs = parameter_specs()
        .into_iter()
        .chain(assumption_specs().into_iter().map(|spec| spec.parameter));
    for spec in specs {
        let (below, above, inside) = match spec.kind {
            ParameterKind::Duration { min_ms, max_ms } => (
                min_ms.checked_sub(1).map(ParameterValue::Whole),
                Some(ParameterValue::Whole(max_ms + 1)),
                [ParameterValue::Whole(min_ms), ParameterValue::Whole(max_ms)],
            ),
            ParameterKind::Whole { min, max } => (
                min.checked_sub(1).map(ParameterValue::Whole),
                max.checked_add(1).map(ParameterValue::Whole),
                [ParameterValue::Whole(min), ParameterValue::Whole(max)],
            ),
            ParameterKind::Decimal { min, max } => (
                Some(ParameterValue::Decimal(min - 0.5)),
                Some(ParameterValue::Decimal(max + 0.5)),
                [ParameterValue::Decimal(min), ParameterValue::Decimal(max)],
            ),
            ParameterKind::Flag => continue,
        };
        for value in below.into_iter().chain(above) {
            let mut outside = file.clone();
            (spec.write)(&mut outside, value);
            assert_ne!(outside, file);
            let errors = decode::decode(&encode(&outside)).expect_err(spec.name);
            assert_eq!(errors[0].path, spec.path);
            let text = parameter_text(spec.kind, value);
            assert!(
                parse_parameter(&spec, &text).is_err(),
                "{} accepts {text}",
                spec.name
            );
        }
        for value in inside {
            let mut edge = file.clone();
            (spec.write)(&mut edge, value);
            decode::decode(&encode(&edge))
                .unwrap_or_else(|errors| panic!("{}: {}", spec.name, messages(&errors)));
            let text = parameter_text(spec.kind, value);
            assert_eq!(parse_parameter(&spec, &text), Ok(value), "{}", spec.name);
        }
    }
}
