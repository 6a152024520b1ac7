//! OpenTelemetry GenAI spans, as OTLP JSON lines: one
//! `{"resourceSpans": [...]}` export request per line, as the Collector's
//! file exporter writes them (a pretty-printed export is one document over
//! many lines: `jq -c . export.json` makes it a line). Every span that
//! carries GenAI usage is one request; a line holds many.
//!
//! Attributes read (GenAI semantic conventions, development status; names
//! as in the current registry, checked against open-telemetry/
//! semantic-conventions `model/gen-ai/registry.yaml`, with the older names
//! that instrumentations pinned to v1.36 or before still emit):
//! - model: `gen_ai.response.model`, else `gen_ai.request.model`;
//! - host: `gen_ai.provider.name`, else the older `gen_ai.system`;
//! - tokens: `gen_ai.usage.input_tokens` (cache included, as the
//!   conventions say), `gen_ai.usage.cache_read.input_tokens`,
//!   `gen_ai.usage.cache_creation.input_tokens` (or `cache_write`),
//!   `gen_ai.usage.output_tokens` with `gen_ai.usage.reasoning.output_tokens`
//!   inside it (Sentry's conventions: output "including reasoning tokens";
//!   a reasoning count above the output is a bad field); the older `gen_ai.usage.prompt_tokens` and
//!   `completion_tokens`;
//! - time: the span's `startTimeUnixNano` and `endTimeUnixNano` (start and
//!   end); time to first chunk, in seconds from the start, from
//!   `gen_ai.response.time_to_first_chunk` (the conventions' attribute), or
//!   the names other instrumentations use: `gen_ai.server.time_to_first_token`
//!   (the metric's name, set on spans by OpenLIT) and
//!   `gen_ai.response.time_to_first_token` (Sentry);
//! - optional: `openai.response.service_tier` (else `openai.request.service_tier`),
//!   `gen_ai.usage.cost` (USD, as Langfuse and OpenLIT write it).
//!
//! Spans of agents and tools (`gen_ai.operation.name` `invoke_agent`,
//! `create_agent`, `execute_tool`) are skipped: an agent span sums the
//! model calls below it, which are counted themselves.

use std::borrow::Cow;
use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::Value;

use super::record::{check_tokens, logged_usd, tier, BadField, Record, Timed};
use super::tally::Fields;
use super::timing::{self, Part, Stated, Timing};
use crate::pricing::bill::Request;
use crate::pricing::ServiceTier;

/// Whether a JSON object is an OTLP trace export.
pub fn claims(map: &serde_json::Map<String, Value>) -> bool {
    map.contains_key("resourceSpans")
}

const TTFT: [&str; 3] = [
    "gen_ai.response.time_to_first_chunk",
    "gen_ai.server.time_to_first_token",
    "gen_ai.response.time_to_first_token",
];

const NOT_MODEL_CALLS: [&str; 3] = ["invoke_agent", "create_agent", "execute_tool"];

/// One span's attributes by key, and its resource's.
pub struct SpanFields<'v> {
    span: HashMap<&'v str, &'v Value>,
    resource: &'v HashMap<&'v str, &'v Value>,
}

impl Fields for SpanFields<'_> {
    /// A span attribute, else a resource attribute (`service.name`).
    fn field(&self, path: &str) -> Option<String> {
        let v = self.span.get(path).or_else(|| self.resource.get(path))?;
        match scalar(v)? {
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    }
}

/// What a span of a line is: a record, `None` for a span that is not a
/// model call, or what is wrong with it.
pub type SpanRecord = Result<Option<Record<'static>>, BadField>;

/// Calls `each` with every span of the line (a record, `None` for a span
/// that is not a model call, or what is wrong with it) and its fields; stops
/// when `each` returns `false`. The error is a line that is not an export.
pub fn for_each_span(
    line: &[u8],
    each: &mut dyn FnMut(SpanRecord, &dyn Fields) -> bool,
) -> Result<(), BadField> {
    let value: Value = serde_json::from_slice(line).map_err(|e| {
        BadField::new(
            "line",
            format!("not valid JSON: {}", super::envelope::readable(&e)),
        )
    })?;
    let resources = value
        .get("resourceSpans")
        .and_then(Value::as_array)
        .ok_or_else(|| BadField::new("resourceSpans", "missing: not an OTLP trace export"))?;
    for (r, rs) in resources.iter().enumerate() {
        let resource = attributes(rs.get("resource").and_then(|r| r.get("attributes")));
        for (s, ss) in array(rs, "scopeSpans").iter().enumerate() {
            for (i, span) in array(ss, "spans").iter().enumerate() {
                let at = format!("resourceSpans[{r}].scopeSpans[{s}].spans[{i}]");
                let fields = SpanFields {
                    span: attributes(span.get("attributes")),
                    resource: &resource,
                };
                let located = |e: BadField| BadField::new(format!("{at}.{}", e.field), e.message);
                let parsed = parse_span(span, &fields.span).map_err(located).map(|r| {
                    r.map(|mut r| {
                        if let Timed::Bad(bad) = r.timing {
                            r.timing = Timed::Bad(located(bad));
                        }
                        r
                    })
                });
                if !each(parsed, &fields) {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

fn array<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `[{"key": k, "value": {"stringValue": ...}}, ...]` by key.
fn attributes(list: Option<&Value>) -> HashMap<&str, &Value> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|kv| Some((kv.get("key")?.as_str()?, kv.get("value")?)))
        .collect()
}

/// An OTLP `AnyValue` as plain JSON (64-bit integers arrive as strings).
fn scalar(v: &Value) -> Option<Value> {
    let obj = v.as_object()?;
    if let Some(s) = obj.get("stringValue") {
        return Some(s.clone());
    }
    if let Some(n) = obj.get("intValue") {
        return match n {
            Value::String(s) => s.parse::<i64>().ok().map(Value::from),
            other => Some(other.clone()),
        };
    }
    obj.get("doubleValue")
        .or_else(|| obj.get("boolValue"))
        .cloned()
}

struct Attrs<'a, 'v>(&'a HashMap<&'v str, &'v Value>);

impl Attrs<'_, '_> {
    fn text(&self, key: &str) -> Option<String> {
        match scalar(self.0.get(key)?)? {
            Value::String(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Result<Option<f64>, BadField> {
        let Some(v) = self.0.get(key) else {
            return Ok(None);
        };
        match scalar(v) {
            Some(Value::Number(n)) => Ok(n.as_f64()),
            _ => Err(BadField::new(
                key,
                "not a number (expected an intValue or doubleValue)",
            )),
        }
    }

    fn tokens(&self, key: &str) -> Result<Option<u64>, BadField> {
        let Some(n) = self.number(key)? else {
            return Ok(None);
        };
        if n < 0.0 || n.fract() != 0.0 || n > u64::MAX as f64 {
            return Err(BadField::new(key, format!("{n} is not a number of tokens")));
        }
        check_tokens(key, n as u64).map(Some)
    }

    fn first_tokens(&self, keys: &[&str]) -> Result<Option<u64>, BadField> {
        for key in keys {
            if let Some(n) = self.tokens(key)? {
                return Ok(Some(n));
            }
        }
        Ok(None)
    }
}

fn parse_span(
    span: &Value,
    attrs: &HashMap<&str, &Value>,
) -> Result<Option<Record<'static>>, BadField> {
    let a = Attrs(attrs);
    if a.text("gen_ai.operation.name")
        .is_some_and(|op| NOT_MODEL_CALLS.contains(&op.as_str()))
    {
        return Ok(None);
    }
    let input = a.first_tokens(&["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"])?;
    let output = a.first_tokens(&[
        "gen_ai.usage.output_tokens",
        "gen_ai.usage.completion_tokens",
    ])?;
    if input.is_none() && output.is_none() {
        return Ok(None);
    }
    let model = a
        .text("gen_ai.response.model")
        .or_else(|| a.text("gen_ai.request.model"))
        .ok_or_else(|| {
            BadField::new(
                "gen_ai.request.model",
                "missing: which model served the request",
            )
        })?;
    let input = input.unwrap_or(0);
    let cache_read = a
        .tokens("gen_ai.usage.cache_read.input_tokens")?
        .unwrap_or(0);
    let cache_write = a
        .first_tokens(&[
            "gen_ai.usage.cache_creation.input_tokens",
            "gen_ai.usage.cache_write.input_tokens",
        ])?
        .unwrap_or(0);
    if cache_read + cache_write > input {
        return Err(BadField::new(
            "gen_ai.usage.input_tokens",
            format!(
                "cache reads and writes ({}) exceed the {input} input tokens they are part of",
                cache_read + cache_write
            ),
        ));
    }
    let output = output.unwrap_or(0);
    let reasoning = a
        .tokens("gen_ai.usage.reasoning.output_tokens")?
        .unwrap_or(0);
    if reasoning > output {
        return Err(BadField::new(
            "gen_ai.usage.reasoning.output_tokens",
            format!(
                "{reasoning} reasoning tokens exceed the {output} output tokens they are part of"
            ),
        ));
    }
    let service = match a
        .text("openai.response.service_tier")
        .or_else(|| a.text("openai.request.service_tier"))
    {
        Some(t) => tier("openai.response.service_tier", &t)?,
        None => ServiceTier::Standard,
    };
    let logged_cost = match a.number("gen_ai.usage.cost")? {
        Some(usd) => Some(logged_usd("gen_ai.usage.cost", usd)?),
        None => None,
    };
    let start = unix_nanos(span, "startTimeUnixNano")?;
    let host = a
        .text("gen_ai.provider.name")
        .or_else(|| a.text("gen_ai.system"));
    Ok(Some(Record {
        model: Cow::Owned(model),
        time: start,
        request: Request {
            input,
            cache_read,
            cache_write,
            output: output - reasoning,
            reasoning,
            tier: service,
            ..Request::default()
        },
        logged_cost,
        dedup: None,
        timing: Timed::of(span_timing(span, &a, start, host)),
    }))
}

fn span_timing(
    span: &Value,
    a: &Attrs,
    start: Option<Timestamp>,
    host: Option<String>,
) -> Result<Option<Timing>, BadField> {
    let end = unix_nanos(span, "endTimeUnixNano")?;
    let mut ttft = Part::none(TTFT[0]);
    for key in TTFT {
        if let Some(secs) = a.number(key)? {
            ttft = Part::new(key, Some(timing::duration(key, secs, 1.0)?));
            break;
        }
    }
    let stated = Stated {
        start: Part::new("startTimeUnixNano", start),
        first_token: Part::none(TTFT[0]),
        end: Part::new("endTimeUnixNano", end),
        ttft,
        e2e: Part::none("endTimeUnixNano"),
    };
    timing::timing(&stated, host)
}

/// A span time: nanoseconds since the Unix epoch, as a string or a number;
/// 0 (unset) and absence are `None`.
fn unix_nanos(span: &Value, key: &str) -> Result<Option<Timestamp>, BadField> {
    let n = match span.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        Some(_) => None,
    };
    let n = n.ok_or_else(|| {
        BadField::new(
            key,
            "not a time (expected nanoseconds since 1970 as digits)",
        )
    })?;
    if n == 0 {
        return Ok(None);
    }
    Timestamp::from_nanosecond(i128::from(n))
        .map(Some)
        .map_err(|_| BadField::new(key, format!("{n} is not a plausible time")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(line: &str) -> Vec<Result<Option<Record<'static>>, BadField>> {
        let mut out = Vec::new();
        for_each_span(line.as_bytes(), &mut |r, _| {
            out.push(r);
            true
        })
        .unwrap();
        out
    }

    fn export(attrs: &str, start: &str, end: &str) -> String {
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"chat"}}}}]}},"scopeSpans":[{{"spans":[{{"name":"chat","startTimeUnixNano":{start},"endTimeUnixNano":{end},"attributes":[{attrs}]}},{{"name":"http","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[]}}]}}]}}]}}"#
        )
    }

    const USAGE: &str = r#"{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.response.model","value":{"stringValue":"gpt-4o-2024-08-06"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1200"}},{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":200}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"300"}},{"key":"gen_ai.usage.reasoning.output_tokens","value":{"intValue":"100"}}"#;

    #[test]
    fn a_chat_span_with_usage_and_time_to_first_chunk() {
        let attrs = format!(
            r#"{USAGE},{{"key":"gen_ai.response.time_to_first_chunk","value":{{"doubleValue":0.25}}}}"#
        );
        let got = spans(&export(
            &attrs,
            r#""1793613600000000000""#,
            r#""1793613602500000000""#,
        ));
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], Ok(None), "a span without usage is not a request");
        let r = got[0].clone().unwrap().unwrap();
        assert_eq!(r.model, "gpt-4o-2024-08-06");
        assert_eq!(
            (
                r.request.input,
                r.request.cache_read,
                r.request.output,
                r.request.reasoning
            ),
            (1200, 200, 200, 100)
        );
        let Timed::Measured(t) = r.timing else {
            panic!("{:?}", r.timing)
        };
        assert_eq!(t.ttft, Some(jiff::SignedDuration::from_millis(250)));
        assert_eq!(t.e2e, Some(jiff::SignedDuration::from_millis(2500)));
        assert_eq!(t.host.as_deref(), Some("openai"));
    }

    #[test]
    fn fields_are_span_then_resource_attributes() {
        let line = export(USAGE, "1793613600000000000", "1793613601000000000");
        let mut seen = Vec::new();
        for_each_span(line.as_bytes(), &mut |_, f| {
            seen.push((f.field("gen_ai.provider.name"), f.field("service.name")));
            false
        })
        .unwrap();
        assert_eq!(seen, [(Some("openai".into()), Some("chat".into()))]);
    }

    #[test]
    fn bad_span_times_and_attributes_are_located() {
        let early = spans(&export(USAGE, "1793613600000000000", "1793613500000000000"));
        let r = early[0].clone().unwrap().unwrap();
        assert!(
            matches!(&r.timing, Timed::Bad(b) if b.field == "resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano"),
            "{:?}",
            r.timing
        );
        let late = format!(
            r#"{USAGE},{{"key":"gen_ai.response.time_to_first_chunk","value":{{"doubleValue":9}}}}"#
        );
        let r = spans(&export(&late, "1793613600000000000", "1793613601000000000"))[0]
            .clone()
            .unwrap()
            .unwrap();
        assert!(
            matches!(&r.timing, Timed::Bad(b) if b.field.ends_with("spans[0].gen_ai.response.time_to_first_chunk")),
            "{:?}",
            r.timing
        );
        let text = USAGE.replace(r#"{"intValue":"300"}"#, r#"{"stringValue":"many"}"#);
        let e = spans(&export(&text, "1", "2"))[0].clone().unwrap_err();
        assert_eq!(
            e.field,
            "resourceSpans[0].scopeSpans[0].spans[0].gen_ai.usage.output_tokens"
        );
        let agent = format!(
            r#"{USAGE},{{"key":"gen_ai.operation.name","value":{{"stringValue":"invoke_agent"}}}}"#
        );
        assert_eq!(spans(&export(&agent, "1", "2"))[0], Ok(None));
    }
}
