//! LiteLLM spend logs (`LiteLLM_SpendLogs`, exported as CSV or JSON lines).
//! LiteLLM normalises every provider's usage to OpenAI semantics:
//! `prompt_tokens` is the whole prompt, cached tokens included, and
//! `completion_tokens` includes reasoning. The cache and reasoning split is
//! only in `metadata.usage_object` (a JSON object, or JSON text in a CSV
//! cell); `spend` is LiteLLM's own cost figure. Rows that LiteLLM answered
//! from its own response cache (`cache_hit = True`) made no provider call
//! and are not requests.
//!
//! Timings: `startTime` to `completionStartTime` (the first chunk) is the
//! TTFT, `startTime` to `endTime` the E2E; `custom_llm_provider` is the host.
//! For a request it did not stream LiteLLM's logging writes the end time as
//! `completionStartTime` (`litellm_logging.py`: `completion_start_time =
//! end_time` when no chunk stamped it): that is no first-token time, so such
//! a request has an E2E and no TTFT.

use std::borrow::Cow;

use serde_json::Value;

use jiff::Timestamp;

use super::record::{logged_usd, parse_time, BadField, Record, Timed};
use super::row::{Headers, Row};
use super::timing::{self, stamp, Part, Stated, Timing};
use crate::pricing::bill::Request;

/// Columns that mark a CSV as a LiteLLM spend log.
pub fn claims(headers: &Headers) -> bool {
    headers.has("spend") && headers.has("startTime") && headers.has("prompt_tokens")
}

/// Whether a JSON object looks like a spend-log row.
pub fn claims_json(map: &serde_json::Map<String, Value>) -> bool {
    map.contains_key("spend") && map.contains_key("startTime")
}

pub fn parse_row(row: &Row) -> Result<Option<Record<'static>>, BadField> {
    if row
        .text("cache_hit")
        .is_some_and(|h| h.eq_ignore_ascii_case("true"))
    {
        return Ok(None);
    }
    let model = row
        .text("model")
        .filter(|m| !m.is_empty())
        .or_else(|| row.text("model_group"))
        .ok_or_else(|| BadField::new("model", "missing: which model served the request"))?;
    let input = row
        .tokens("prompt_tokens")?
        .ok_or_else(|| BadField::new("prompt_tokens", "missing: the prompt token count"))?;
    let generated = row.tokens("completion_tokens")?.unwrap_or(0);
    let (mut cache_read, mut cache_write, mut reasoning) = (0, 0, 0);
    if let Some(usage) = usage_object(row)? {
        let u = Row::Json(&usage);
        let prefix =
            |e: BadField| BadField::new(format!("metadata.usage_object.{}", e.field), e.message);
        for details in ["prompt_tokens_details", "completion_tokens_details"] {
            expect_object(&u, details).map_err(prefix)?;
        }
        cache_read = match u
            .tokens("prompt_tokens_details.cached_tokens")
            .map_err(prefix)?
        {
            Some(n) => n,
            None => u
                .tokens("cache_read_input_tokens")
                .map_err(prefix)?
                .unwrap_or(0),
        };
        cache_write = u
            .tokens("cache_creation_input_tokens")
            .map_err(prefix)?
            .unwrap_or(0);
        reasoning = u
            .tokens("completion_tokens_details.reasoning_tokens")
            .map_err(prefix)?
            .unwrap_or(0);
    }
    if cache_read + cache_write > input {
        return Err(BadField::new(
            "metadata.usage_object",
            format!(
                "cache reads and writes ({}) exceed the {input} prompt tokens they are part of",
                cache_read + cache_write
            ),
        ));
    }
    if reasoning > generated {
        return Err(BadField::new(
            "metadata.usage_object.completion_tokens_details.reasoning_tokens",
            format!("{reasoning} reasoning tokens exceed the {generated} completion tokens"),
        ));
    }
    let time = match row.text("startTime") {
        Some(t) => Some(parse_time("startTime", &t)?),
        None => None,
    };
    let logged_cost = match row.number("spend")? {
        Some(usd) => Some(logged_usd("spend", usd)?),
        None => None,
    };
    Ok(Some(Record {
        model: Cow::Owned(model.into_owned()),
        time,
        request: Request {
            input,
            cache_read,
            cache_write,
            output: generated - reasoning,
            reasoning,
            ..Request::default()
        },
        logged_cost,
        dedup: None,
        timing: Timed::of(timing(row, time)),
    }))
}

/// `metadata.usage_object`, where the cache and reasoning split is. No
/// `metadata`, or a `metadata` without `usage_object` (older LiteLLM
/// versions), is no split; anything else that is not a JSON object (text
/// that is not JSON, a list, a number) is a bad field, never a silent
/// "no cached tokens" (that over-prices the prompt).
fn usage_object(row: &Row) -> Result<Option<serde_json::Map<String, Value>>, BadField> {
    let Some(metadata) = row.value("metadata") else {
        return Ok(None);
    };
    let metadata = json_object("metadata", metadata)?;
    match metadata.get("usage_object") {
        None | Some(Value::Null) => Ok(None),
        Some(usage) => json_object("metadata.usage_object", usage.clone()).map(Some),
    }
}

/// A JSON object, or JSON text holding one (a CSV cell, a string field).
fn json_object(field: &str, value: Value) -> Result<serde_json::Map<String, Value>, BadField> {
    let value = match value {
        Value::String(text) if text.trim().is_empty() => Value::Object(serde_json::Map::new()),
        Value::String(text) => serde_json::from_str(&text).map_err(|e| {
            BadField::new(
                field,
                format!(
                    "not JSON ({}); LiteLLM writes it as a JSON object",
                    super::envelope::readable(&e)
                ),
            )
        })?,
        other => other,
    };
    match value {
        Value::Object(map) => Ok(map),
        other => Err(BadField::new(
            field,
            format!("a JSON {}, not an object", kind(&other)),
        )),
    }
}

/// A key inside the usage object that must be an object when present.
fn expect_object(usage: &Row, key: &str) -> Result<(), BadField> {
    match usage.value(key) {
        None | Some(Value::Object(_)) => Ok(()),
        Some(Value::String(text))
            if matches!(serde_json::from_str(&text), Ok(Value::Object(_))) =>
        {
            Ok(())
        }
        Some(other) => Err(BadField::new(
            key,
            format!("a JSON {}, not an object", kind(&other)),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn timing(row: &Row, start: Option<Timestamp>) -> Result<Option<Timing>, BadField> {
    let end = stamp(row, Some("endTime"), "endTime")?;
    let mut first_token = stamp(row, Some("completionStartTime"), "completionStartTime")?;
    if first_token.value.is_some() && first_token.value == end.value {
        first_token.value = None;
    }
    let stated = Stated {
        start: Part::new("startTime", start),
        first_token,
        end,
        ttft: Part::none("completionStartTime"),
        e2e: Part::none("endTime"),
    };
    let host = row
        .text("custom_llm_provider")
        .filter(|h| !h.is_empty())
        .map(std::borrow::Cow::into_owned);
    timing::timing(&stated, host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spend_log_row_with_its_usage_object() {
        let v = serde_json::json!({
            "request_id": "r1", "model": "gpt-4o", "spend": 0.033,
            "prompt_tokens": 12000, "completion_tokens": 800,
            "startTime": "2026-11-02T10:00:00.000+00:00",
            "metadata": {"usage_object": {"prompt_tokens_details": {"cached_tokens": 4000}}},
            "cache_hit": "False"
        });
        let r = parse_row(&Row::Json(v.as_object().unwrap()))
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.request.input, r.request.cache_read, r.request.output),
            (12000, 4000, 800)
        );
        assert_eq!(r.logged_cost.unwrap().to_string(), "0.033");
        assert_eq!(r.timing, Timed::Untimed);
    }

    #[test]
    fn start_first_chunk_and_end_times() {
        let v = serde_json::json!({
            "model": "gpt-4o", "spend": 0, "prompt_tokens": 1, "completion_tokens": 1,
            "startTime": "2026-11-02 10:00:00.000", "completionStartTime": "2026-11-02 10:00:00.400",
            "endTime": "2026-11-02 10:00:02.400", "custom_llm_provider": "openai"
        });
        let r = parse_row(&Row::Json(v.as_object().unwrap()))
            .unwrap()
            .unwrap();
        let Timed::Measured(t) = r.timing else {
            panic!("{:?}", r.timing)
        };
        assert_eq!(t.ttft, Some(jiff::SignedDuration::from_millis(400)));
        assert_eq!(t.e2e, Some(jiff::SignedDuration::from_millis(2400)));
        assert_eq!(t.host.as_deref(), Some("openai"));
        let mut unstreamed = v.as_object().unwrap().clone();
        unstreamed.insert(
            "completionStartTime".into(),
            "2026-11-02 10:00:02.400".into(),
        );
        let r = parse_row(&Row::Json(&unstreamed)).unwrap().unwrap();
        let Timed::Measured(t) = r.timing else {
            panic!("{:?}", r.timing)
        };
        assert_eq!(t.ttft, None, "LiteLLM's sentinel: first chunk = end");
        assert_eq!(t.e2e, Some(jiff::SignedDuration::from_millis(2400)));
        let mut bad = v.as_object().unwrap().clone();
        bad.insert("endTime".into(), "soon".into());
        let r = parse_row(&Row::Json(&bad)).unwrap().unwrap();
        assert!(
            matches!(&r.timing, Timed::Bad(b) if b.field == "endTime"),
            "{:?}",
            r.timing
        );
    }

    #[test]
    fn metadata_that_is_not_a_usage_object_is_a_bad_field() {
        let row = |metadata: Value| {
            let v = serde_json::json!({
                "model": "gpt-4o", "spend": 0, "prompt_tokens": 100, "completion_tokens": 1,
                "startTime": "2026-11-02", "metadata": metadata
            });
            parse_row(&Row::Json(v.as_object().unwrap())).map(|r| r.map(|r| r.request.cache_read))
        };
        let field = |metadata: Value| row(metadata).unwrap_err().field;
        assert_eq!(field("{not json".into()), "metadata");
        assert_eq!(field(serde_json::json!([1, 2])), "metadata");
        assert_eq!(
            field(serde_json::json!({"usage_object": "cached=40"})),
            "metadata.usage_object"
        );
        assert_eq!(
            field(serde_json::json!({"usage_object": 7})),
            "metadata.usage_object"
        );
        assert_eq!(
            field(serde_json::json!({"usage_object": {"prompt_tokens_details": [40]}})),
            "metadata.usage_object.prompt_tokens_details"
        );
        // Absent, empty or without a usage object: no split, no error.
        assert_eq!(row(Value::Null), Ok(Some(0)));
        assert_eq!(row("".into()), Ok(Some(0)));
        assert_eq!(row(serde_json::json!({"user_api_key": "k"})), Ok(Some(0)));
        // JSON text, as a CSV cell holds it, is read like an object.
        assert_eq!(
            row(r#"{"usage_object": {"prompt_tokens_details": {"cached_tokens": 40}}}"#.into()),
            Ok(Some(40))
        );
        assert_eq!(
            row(serde_json::json!({"usage_object": {"prompt_tokens_details": null}})),
            Ok(Some(0))
        );
    }

    #[test]
    fn cache_hits_are_not_requests() {
        let v = serde_json::json!({"model": "gpt-4o", "spend": 0, "prompt_tokens": 1, "completion_tokens": 1, "startTime": "2026-11-02", "cache_hit": "True"});
        assert_eq!(parse_row(&Row::Json(v.as_object().unwrap())).unwrap(), None);
    }
}
