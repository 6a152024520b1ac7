//! One logged request, normalised: which model, when, the token counts as
//! `pricing::bill::Request` defines them (`input` is the whole prompt,
//! `reasoning` is generated in addition to `output`), and what the log said
//! it cost. Every shape parser produces these; nothing here reads files.

use std::borrow::Cow;

use jiff::civil::Date;
use jiff::Timestamp;

use crate::money::Money;
use crate::pricing::bill::Request;
use crate::pricing::ServiceTier;

pub use super::timing::{Timed, Timing};

/// No model serves a request this large: a count above it is a corrupt log,
/// not traffic (the largest context windows are about 10M tokens).
pub const MAX_TOKENS: u64 = 50_000_000;

/// A logged request.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    pub model: Cow<'a, str>,
    /// When the request was made; `None` if the log does not say.
    pub time: Option<Timestamp>,
    pub request: Request,
    /// What the log says the request cost, in USD.
    pub logged_cost: Option<Money>,
    /// Claude Code session logs repeat a message once per content block:
    /// `(message id, request id)` identifies the API call.
    pub dedup: Option<(Cow<'a, str>, Cow<'a, str>)>,
    /// How long the request took, when the log says (`timing.rs`).
    pub timing: Timed,
}

/// What is wrong with one line, before the file and line number are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadField {
    /// The field at fault (a dotted JSON path or a CSV column), or `line`.
    pub field: String,
    pub message: String,
}

impl BadField {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> BadField {
        BadField {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A bad line, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: `{field}`: {message}")]
pub struct BadLine {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl BadField {
    pub fn at(self, file: &str, line: u64) -> BadLine {
        BadLine {
            file: file.to_string(),
            line,
            field: self.field,
            message: self.message,
        }
    }
}

/// Why a line that a parser refused is not text, if it is not: the byte
/// (1-based, in the line) where valid UTF-8 stops. Never the bytes.
pub fn not_utf8(line: &[u8]) -> Option<BadField> {
    std::str::from_utf8(line).err().map(|e| {
        BadField::new(
            "line",
            format!(
                "byte {} of the line is not valid UTF-8 (save the log as UTF-8)",
                e.valid_up_to() + 1
            ),
        )
    })
}

/// Rejects a count no request can have.
pub fn check_tokens(field: &str, n: u64) -> Result<u64, BadField> {
    if n > MAX_TOKENS {
        return Err(BadField::new(
            field,
            format!("{n} tokens is not a plausible count for one request (more than {MAX_TOKENS})"),
        ));
    }
    Ok(n)
}

/// Converts a logged USD amount to exact money (rounded to the picodollar).
pub fn logged_usd(field: &str, usd: f64) -> Result<Money, BadField> {
    if !(0.0..=1e9).contains(&usd) {
        return Err(BadField::new(
            field,
            format!("{usd} is not a plausible cost in USD"),
        ));
    }
    Ok(Money::from_picos((usd * 1e12).round() as i128))
}

/// A service tier as logs spell it (`default` and `auto` are OpenAI's names
/// for standard).
pub fn tier(field: &str, text: &str) -> Result<ServiceTier, BadField> {
    match text.to_ascii_lowercase().as_str() {
        "" | "default" | "standard" | "auto" | "on_demand" => Ok(ServiceTier::Standard),
        "batch" => Ok(ServiceTier::Batch),
        "flex" => Ok(ServiceTier::Flex),
        "priority" => Ok(ServiceTier::Priority),
        other => Err(BadField::new(
            field,
            format!("unknown service tier `{other}` (expected default, standard, batch, flex or priority)"),
        )),
    }
}

/// Parses a timestamp as logs write them: RFC 3339 (`2026-11-28T10:00:00Z`,
/// with any offset), a naive `2026-11-28 10:00:00[.fff]` or `2026-11-28`
/// (read as UTC), or Unix time in seconds (milliseconds when the number is
/// above 10^11, i.e. after 5138 in seconds).
pub fn parse_time(field: &str, text: &str) -> Result<Timestamp, BadField> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        if let Ok(ts) = dt.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(ts.timestamp());
        }
    }
    if let Ok(n) = text.parse::<f64>() {
        return unix_time(field, n);
    }
    Err(BadField::new(
        field,
        format!("`{text}` is not a timestamp (expected RFC 3339 such as 2026-11-28T10:00:00Z, or Unix seconds)"),
    ))
}

pub fn unix_time(field: &str, n: f64) -> Result<Timestamp, BadField> {
    let seconds = if n.abs() > 1e11 { n / 1000.0 } else { n };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(BadField::new(field, format!("{n} is not a Unix time")));
    }
    // Fractions are kept: latency is measured between such times.
    Timestamp::from_nanosecond((seconds * 1e9).round() as i128)
        .map_err(|_| BadField::new(field, format!("{n} is not a Unix time")))
}

/// The UTC calendar day of a timestamp.
pub fn utc_date(ts: Timestamp) -> Date {
    ts.to_zoned(jiff::tz::TimeZone::UTC).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_the_spellings_logs_use() {
        let day = |s: &str| utc_date(parse_time("t", s).unwrap()).to_string();
        assert_eq!(day("2026-11-28T23:30:00Z"), "2026-11-28");
        assert_eq!(day("2026-11-28T23:30:00-02:00"), "2026-11-29");
        assert_eq!(day("2026-11-28 10:00:00.123"), "2026-11-28");
        assert_eq!(day("2026-11-28"), "2026-11-28");
        assert_eq!(day("1764288000"), "2025-11-28");
        assert_eq!(day("1764288000000"), "2025-11-28");
        assert!(parse_time("t", "yesterday").is_err());
        assert!(parse_time("t", "-5").is_err());
    }

    #[test]
    fn a_line_that_is_not_utf8_is_located_by_byte() {
        assert_eq!(not_utf8(b"{\"model\":\"gpt\"}"), None);
        let bad = not_utf8(b"{\"a\":\"\xC3\x28\"}").unwrap();
        assert_eq!(
            bad.message,
            "byte 7 of the line is not valid UTF-8 (save the log as UTF-8)"
        );
    }

    #[test]
    fn absurd_counts_and_costs_are_rejected() {
        assert!(check_tokens("x", 1_000).is_ok());
        assert!(check_tokens("x", MAX_TOKENS + 1).is_err());
        assert!(logged_usd("c", -0.1).is_err());
        assert!(logged_usd("c", f64::NAN).is_err());
        assert_eq!(logged_usd("c", 0.033).unwrap().to_string(), "0.033");
    }

    #[test]
    fn tiers_as_providers_spell_them() {
        assert_eq!(tier("t", "default").unwrap(), ServiceTier::Standard);
        assert_eq!(tier("t", "flex").unwrap(), ServiceTier::Flex);
        assert!(tier("t", "scale").is_err());
    }
}
