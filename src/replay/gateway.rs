//! The request log `cost gateway --log` writes: one JSON object per upstream
//! attempt, marked `"log": "cost-gateway"`. The gateway already normalised
//! the provider's usage into the billing kernel's parts, so a line states
//! them directly:
//!
//! - `usage.input` is the whole prompt (cache reads and writes inside it),
//!   `usage.reasoning` is generated in addition to `usage.output`;
//! - `model` is the catalog id the gateway priced (the provider's own
//!   spelling is `served_model`), `tier` the served service tier, `ts` the
//!   request's time (RFC 3339, nanoseconds kept) and `cost_usd` the exact
//!   price the gateway charged.
//!
//! A line without `usage` is an attempt nothing was billed for (an
//! upstream error, a refused request): not a request to price.

use std::borrow::Cow;

use serde::Deserialize;

use super::record::{check_tokens, logged_usd, parse_time, tier, BadField, Record, Timed};
use crate::pricing::bill::Request;

/// The value of the `log` field that marks a gateway line.
pub const MARK: &str = "cost-gateway";

#[derive(Debug, Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    model: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ts: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tier: Option<Cow<'a, str>>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    cost_usd: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
struct Usage {
    #[serde(default)]
    input: u64,
    #[serde(default)]
    cache_read: u64,
    #[serde(default)]
    cache_write: u64,
    #[serde(default)]
    cache_write_1h: u64,
    #[serde(default)]
    output: u64,
    #[serde(default)]
    reasoning: u64,
}

/// Whether a JSON line is a gateway log line.
pub fn claims(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.get("log").and_then(serde_json::Value::as_str) == Some(MARK)
}

/// `Ok(None)`: an attempt without usage (nothing billed).
pub fn parse_line(line: &[u8]) -> Result<Option<Record<'_>>, BadField> {
    let body: Line =
        serde_json::from_slice(line).map_err(|e| BadField::new("line", e.to_string()))?;
    let Some(usage) = body.usage else {
        return Ok(None);
    };
    let model = body
        .model
        .ok_or_else(|| BadField::new("model", "missing: which model served the request"))?;
    let request = Request {
        input: check_tokens("usage.input", usage.input)?,
        cache_read: check_tokens("usage.cache_read", usage.cache_read)?,
        cache_write: check_tokens("usage.cache_write", usage.cache_write)?,
        cache_write_1h: check_tokens("usage.cache_write_1h", usage.cache_write_1h)?,
        output: check_tokens("usage.output", usage.output)?,
        reasoning: check_tokens("usage.reasoning", usage.reasoning)?,
        tier: tier("tier", body.tier.as_deref().unwrap_or("standard"))?,
        ..Request::default()
    };
    let time = body
        .ts
        .as_deref()
        .map(|t| parse_time("ts", t))
        .transpose()?;
    let logged_cost = body
        .cost_usd
        .map(|c| logged_usd("cost_usd", c))
        .transpose()?;
    Ok(Some(Record {
        model,
        time,
        request,
        logged_cost,
        dedup: None,
        timing: Timed::Untimed,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_priced_attempt_and_an_unbilled_one() {
        let line = br#"{"log":"cost-gateway","ts":"2026-12-01T10:00:00.5Z","model":"gpt-4o-mini","tier":"standard","usage":{"input":1200,"cache_read":200,"output":80,"reasoning":0},"cost_usd":0.000123}"#;
        let r = parse_line(line).unwrap().unwrap();
        assert_eq!(r.model, "gpt-4o-mini");
        assert_eq!(
            (r.request.input, r.request.cache_read, r.request.output),
            (1200, 200, 80)
        );
        assert_eq!(r.logged_cost.unwrap().to_string(), "0.000123");
        let failed = br#"{"log":"cost-gateway","model":"gpt-4o","outcome":"upstream_error"}"#;
        assert_eq!(parse_line(failed).unwrap(), None);
        let bad = br#"{"log":"cost-gateway","model":"gpt-4o","usage":{"input":1},"tier":"scale"}"#;
        assert_eq!(parse_line(bad).unwrap_err().field, "tier");
    }
}
