//! How long one logged request took, as the log states it: time to first
//! token (TTFT) and end to end (E2E), both measured from the request's
//! start. Logs state these as timestamps (LiteLLM's `startTime`,
//! `completionStartTime`, `endTime`; a span's start and end) or as
//! durations (a `ttft` or `duration` column, OpenTelemetry's
//! `gen_ai.response.time_to_first_chunk`); `timing` turns either into one
//! checked `Timing`, and says which field is at fault when they disagree.
//!
//! A bad timing does not make the request's usage wrong: the request is
//! still priced, and only left out of the latency figures (see `Timed`).

use jiff::{SignedDuration, Timestamp};

use super::record::BadField;
use super::row::Row;

/// The measured timings of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// From the request's start to its first output token (or chunk).
    pub ttft: Option<SignedDuration>,
    /// From the request's start to its last token.
    pub e2e: Option<SignedDuration>,
    /// Where the request was served, when the log says (a provider name).
    pub host: Option<String>,
}

/// What a log line says about its request's timings.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Timed {
    /// The line carries no timings.
    #[default]
    Untimed,
    Measured(Timing),
    /// The timings are unusable (the request itself is still priced).
    Bad(BadField),
}

impl Timed {
    pub fn of(result: Result<Option<Timing>, BadField>) -> Timed {
        match result {
            Ok(Some(t)) => Timed::Measured(t),
            Ok(None) => Timed::Untimed,
            Err(bad) => Timed::Bad(bad),
        }
    }
}

/// One timing field of a line: its name (for errors) and value, if present.
#[derive(Debug, Clone, Copy)]
pub struct Part<'f, T> {
    pub field: &'f str,
    pub value: Option<T>,
}

impl<'f, T> Part<'f, T> {
    pub fn new(field: &'f str, value: Option<T>) -> Part<'f, T> {
        Part { field, value }
    }

    pub fn none(field: &'f str) -> Part<'f, T> {
        Part { field, value: None }
    }
}

/// What a line states: timestamps of the start, first token and end, and
/// durations of the TTFT and of the whole request. A stated duration wins
/// over the timestamps it would be computed from.
#[derive(Debug, Clone, Copy)]
pub struct Stated<'f> {
    pub start: Part<'f, Timestamp>,
    pub first_token: Part<'f, Timestamp>,
    pub end: Part<'f, Timestamp>,
    pub ttft: Part<'f, SignedDuration>,
    pub e2e: Part<'f, SignedDuration>,
}

/// The checked timing a line states; `Ok(None)` when it states none.
/// Errors: an end before the start, a first token outside [start, end], a
/// negative duration, or an end or first token without the start it is
/// measured from (a missing field).
pub fn timing(s: &Stated<'_>, host: Option<String>) -> Result<Option<Timing>, BadField> {
    let since_start = |part: &Part<'_, Timestamp>| -> Result<Option<SignedDuration>, BadField> {
        let Some(at) = part.value else {
            return Ok(None);
        };
        let start = s.start.value.ok_or_else(|| {
            BadField::new(
                s.start.field,
                format!(
                    "missing: `{}` is stated but not the start it is measured from",
                    part.field
                ),
            )
        })?;
        Ok(Some(at.duration_since(start)))
    };
    let e2e = match s.e2e.value {
        Some(d) => Some(d),
        None => since_start(&s.end)?,
    };
    if let Some(d) = e2e {
        if d.is_negative() {
            let field = if s.e2e.value.is_some() {
                s.e2e.field
            } else {
                s.end.field
            };
            return Err(BadField::new(
                field,
                format!(
                    "the request ends {} s before it starts",
                    seconds(d.checked_neg().unwrap_or(SignedDuration::MAX))
                ),
            ));
        }
    }
    let (ttft, ttft_field) = match s.ttft.value {
        Some(d) => (Some(d), s.ttft.field),
        None => (since_start(&s.first_token)?, s.first_token.field),
    };
    if let Some(d) = ttft {
        if d.is_negative() {
            return Err(BadField::new(
                ttft_field,
                format!(
                    "the first token comes {} s before the request starts",
                    seconds(d.checked_neg().unwrap_or(SignedDuration::MAX))
                ),
            ));
        }
        if let Some(end) = e2e.filter(|end| d > *end) {
            return Err(BadField::new(
                ttft_field,
                format!(
                    "the first token comes {} s after the request ends ({} s after its start)",
                    seconds(d - end),
                    seconds(end)
                ),
            ));
        }
    }
    if ttft.is_none() && e2e.is_none() {
        return Ok(None);
    }
    Ok(Some(Timing { ttft, e2e, host }))
}

/// A duration stated as a number of seconds (or milliseconds, `scale` 1e-3).
pub fn duration(field: &str, n: f64, scale: f64) -> Result<SignedDuration, BadField> {
    let secs = n * scale;
    if !secs.is_finite() {
        return Err(BadField::new(field, format!("{n} is not a duration")));
    }
    SignedDuration::try_from_secs_f64(secs)
        .map_err(|_| BadField::new(field, format!("{n} is not a plausible duration")))
}

/// A timestamp column (`key` names the field when no column is mapped).
pub fn stamp<'m>(
    row: &Row,
    column: Option<&'m str>,
    key: &'static str,
) -> Result<Part<'m, Timestamp>, BadField> {
    let Some(column) = column else {
        return Ok(Part::none(key));
    };
    let value = match row.text(column) {
        Some(t) => Some(super::record::parse_time(column, &t)?),
        None => None,
    };
    Ok(Part::new(column, value))
}

/// A duration column, in seconds times `scale`.
pub fn span<'m>(
    row: &Row,
    column: Option<&'m str>,
    key: &'static str,
    scale: f64,
) -> Result<Part<'m, SignedDuration>, BadField> {
    let Some(column) = column else {
        return Ok(Part::none(key));
    };
    let value = match row.number(column)? {
        Some(n) => Some(duration(column, n, scale)?),
        None => None,
    };
    Ok(Part::new(column, value))
}

/// Seconds as a short decimal, for messages.
fn seconds(d: SignedDuration) -> String {
    let s = format!("{:.3}", d.as_secs_f64());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn stated<'a>(
        start: Option<&str>,
        first: Option<&str>,
        end: Option<&str>,
        ttft: Option<f64>,
    ) -> Stated<'a> {
        Stated {
            start: Part::new("start", start.map(at)),
            first_token: Part::new("first", first.map(at)),
            end: Part::new("end", end.map(at)),
            ttft: Part::new("ttft", ttft.map(|t| duration("ttft", t, 1.0).unwrap())),
            e2e: Part::none("duration"),
        }
    }

    const T0: &str = "2026-11-02T10:00:00Z";

    #[test]
    fn timestamps_become_durations_from_the_start() {
        let t = timing(
            &stated(
                Some(T0),
                Some("2026-11-02T10:00:00.250Z"),
                Some("2026-11-02T10:00:03Z"),
                None,
            ),
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(t.ttft, Some(SignedDuration::from_millis(250)));
        assert_eq!(t.e2e, Some(SignedDuration::from_secs(3)));
        let none = timing(&stated(Some(T0), None, None, None), None).unwrap();
        assert_eq!(none, None, "a start alone is no timing");
    }

    #[test]
    fn an_end_before_the_start_names_the_end() {
        let e = timing(
            &stated(Some(T0), None, Some("2026-11-02T09:59:58Z"), None),
            None,
        )
        .unwrap_err();
        assert_eq!(e.field, "end");
        assert!(e.message.contains("ends 2 s before it starts"), "{e:?}");
    }

    #[test]
    fn a_first_token_outside_the_request_names_the_first_token() {
        let after = timing(
            &stated(
                Some(T0),
                Some("2026-11-02T10:00:04Z"),
                Some("2026-11-02T10:00:03Z"),
                None,
            ),
            None,
        )
        .unwrap_err();
        assert_eq!(after.field, "first");
        assert!(
            after.message.contains("1 s after the request ends"),
            "{after:?}"
        );
        let before = timing(
            &stated(Some(T0), Some("2026-11-02T09:00:00Z"), None, None),
            None,
        )
        .unwrap_err();
        assert_eq!(before.field, "first");
        let stated_ttft = timing(
            &stated(Some(T0), None, Some("2026-11-02T10:00:01Z"), Some(1.5)),
            None,
        )
        .unwrap_err();
        assert_eq!(stated_ttft.field, "ttft");
    }

    #[test]
    fn an_end_without_its_start_is_a_missing_start() {
        let e = timing(&stated(None, None, Some(T0), None), None).unwrap_err();
        assert_eq!(e.field, "start");
        assert!(e.message.starts_with("missing"), "{e:?}");
    }

    #[test]
    fn stated_durations_need_no_timestamps() {
        let s = Stated {
            ttft: Part::new("ttft", Some(duration("ttft", 250.0, 1e-3).unwrap())),
            e2e: Part::new("duration", Some(duration("duration", 2.0, 1.0).unwrap())),
            ..stated(None, None, None, None)
        };
        let t = timing(&s, Some("openai".into())).unwrap().unwrap();
        assert_eq!(t.ttft, Some(SignedDuration::from_millis(250)));
        assert_eq!(t.host.as_deref(), Some("openai"));
        assert!(duration("d", f64::NAN, 1.0).is_err());
        let negative = Stated {
            e2e: Part::new("duration", Some(duration("duration", -1.0, 1.0).unwrap())),
            ..s
        };
        assert_eq!(timing(&negative, None).unwrap_err().field, "duration");
    }
}
