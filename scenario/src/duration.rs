//! Durations as users write them (`"90s"`, `"15m"`, `"2h"`, `"1d"`, `"250ms"`, or a
//! plain number of seconds) and as the simulator uses them (whole milliseconds).
//!
//! Invariant: `format_duration(parse_duration(s)?)` parses back to the same value, so a
//! scenario written by the app reads back unchanged.

/// Milliseconds in each unit a duration string may use, longest suffix first so that
/// `ms` is not mistaken for `m`.
const UNITS: [(&str, u64); 5] = [
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
];

/// The largest duration that parses at all: 100 years, far beyond any field's own cap
/// (each field then states its range), and small enough that arithmetic on simulated
/// time can never overflow.
pub const DURATION_MAX_MS: u64 = 100 * 365 * 86_400_000;

/// Parses `"90s"`, `"15m"`, `"2h"`, `"1d"`, `"250ms"`, `"1.5h"` into milliseconds.
/// The error says what was expected, for the caller to put behind a JSON path.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let hint = "write a duration like \"90s\", \"15m\", \"2h\" or \"1d\"";
    if trimmed.is_empty() {
        return Err(format!("empty duration: {hint}"));
    }
    if trimmed.starts_with('-') {
        return Err(format!(
            "\"{trimmed}\" is negative: durations must be zero or more"
        ));
    }
    let split_at = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number_text, unit_text) = trimmed.split_at(split_at);
    let unit_text = unit_text.trim();
    let unit_ms = if unit_text.is_empty() {
        1_000
    } else {
        match UNITS.iter().find(|(name, _)| *name == unit_text) {
            Some((_, ms)) => *ms,
            None => {
                return Err(format!(
                    "unknown unit \"{unit_text}\" in \"{trimmed}\": {hint}"
                ))
            }
        }
    };
    let value: f64 = number_text
        .parse()
        .map_err(|_| format!("\"{trimmed}\" is not a duration: {hint}"))?;
    seconds_like_to_ms(value, unit_ms).map_err(|problem| format!("\"{trimmed}\" {problem}"))
}

/// Converts a plain JSON number of seconds into milliseconds.
pub fn seconds_to_ms(seconds: f64) -> Result<u64, String> {
    seconds_like_to_ms(seconds, 1_000).map_err(|problem| format!("{seconds} {problem}"))
}

fn seconds_like_to_ms(value: f64, unit_ms: u64) -> Result<u64, String> {
    if !value.is_finite() {
        return Err("is not a finite number".to_string());
    }
    if value < 0.0 {
        return Err("is negative: durations must be zero or more".to_string());
    }
    let total_ms = value * unit_ms as f64;
    if total_ms > DURATION_MAX_MS as f64 {
        return Err(
            "is far too long: use at most the field's maximum (see docs/scenario-format.md)"
                .to_string(),
        );
    }
    Ok(total_ms.round() as u64)
}

/// Writes milliseconds in the largest unit that divides them exactly (`7_200_000` →
/// `"2h"`), so saved scenarios stay readable.
pub fn format_duration(duration_ms: u64) -> String {
    if duration_ms == 0 {
        return "0s".to_string();
    }
    for (name, unit_ms) in UNITS.iter().rev() {
        if duration_ms % unit_ms == 0 {
            return format!("{}{}", duration_ms / unit_ms, name);
        }
    }
    format!("{duration_ms}ms")
}

/// A human reading of a duration for summaries: `"1h 02m 05s"`, `"45s"`, `"850ms"`.
pub fn describe_duration(duration_ms: u64) -> String {
    if duration_ms < 1_000 {
        return format!("{duration_ms}ms");
    }
    let total_s = duration_ms / 1_000;
    let days = total_s / 86_400;
    let hours = (total_s % 86_400) / 3_600;
    let minutes = (total_s % 3_600) / 60;
    let seconds = total_s % 60;
    if days > 0 {
        format!("{days}d {hours:02}h {minutes:02}m")
    } else if hours > 0 {
        format!("{hours}h {minutes:02}m {seconds:02}s")
    } else if minutes > 0 {
        format!("{minutes}m {seconds:02}s")
    } else {
        format!("{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit_the_contract_names() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("15m"), Ok(900_000));
        assert_eq!(parse_duration("2h"), Ok(7_200_000));
        assert_eq!(parse_duration("1d"), Ok(86_400_000));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000));
        assert_eq!(parse_duration("30"), Ok(30_000));
    }

    #[test]
    fn refuses_garbage_with_a_hint() {
        for bad in ["", "abc", "5x", "-3s", "1e400s", "40000d", "1..2s"] {
            let error = parse_duration(bad).expect_err(bad);
            assert!(!error.is_empty());
        }
        assert!(parse_duration("5y").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("-3h").unwrap_err().contains("negative"));
    }

    #[test]
    fn format_round_trips() {
        for ms in [
            0, 1, 999, 1_000, 90_000, 900_000, 7_200_000, 86_400_000, 5_400_000,
        ] {
            assert_eq!(parse_duration(&format_duration(ms)), Ok(ms));
        }
        assert_eq!(format_duration(7_200_000), "2h");
        assert_eq!(format_duration(5_400_000), "90m");
    }

    #[test]
    fn describes_for_people() {
        assert_eq!(describe_duration(850), "850ms");
        assert_eq!(describe_duration(45_000), "45s");
        assert_eq!(describe_duration(3_725_000), "1h 02m 05s");
        assert_eq!(describe_duration(90_000_000), "1d 01h 00m");
    }
}
