//! Cohere responses, whose billed usage is `billed_units`: under `meta` in
//! API v1 (chat, embed, rerank) and v1/v2 embed, under `usage` in v2 chat
//! (docs.cohere.com/reference/chat). Cohere bills what `billed_units` says,
//! which can differ from the `tokens` it also reports (those include the
//! prompt template), so only `billed_units` is read:
//!
//! - `input` = `billed_units.input_tokens`; no cache parts.
//! - `output` = `billed_units.output_tokens` (0 for embeddings).
//!
//! Rerank `search_units`, `classifications` and embed `image_tokens` are
//! billed per unit or image, which price sheets do not state: a line with
//! any of them is an error naming the field. The model is `model` (the
//! request's model, which gateways and SDKs log beside the response).

use std::borrow::Cow;

use serde::Deserialize;

use super::envelope::{Nested, TimeValue};
use super::gemini::locate;
use super::record::{check_tokens, parse_time, unix_time, BadField, Record};
use crate::pricing::bill::Request;

#[derive(Debug, Default, Deserialize)]
struct Body<'a> {
    #[serde(borrow, default)]
    model: Option<Cow<'a, str>>,
    #[serde(default)]
    meta: Nested<Meta>,
    #[serde(default)]
    usage: Nested<Meta>,
    #[serde(borrow, default)]
    created: Option<TimeValue<'a>>,
    #[serde(borrow, default)]
    timestamp: Option<TimeValue<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Meta {
    #[serde(default)]
    billed_units: Nested<Billed>,
}

#[derive(Debug, Default, Deserialize)]
struct Billed {
    input_tokens: Option<f64>,
    output_tokens: Option<f64>,
    search_units: Option<f64>,
    classifications: Option<f64>,
    image_tokens: Option<f64>,
}

/// Whether a JSON line is a Cohere response (`billed_units` under `meta` or `usage`).
pub fn claims(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    ["meta", "usage"].iter().any(|k| {
        map.get(*k)
            .and_then(serde_json::Value::as_object)
            .is_some_and(|m| m.contains_key("billed_units"))
    })
}

/// `Ok(None)`: a line without `billed_units`.
pub fn parse_line(line: &[u8]) -> Result<Option<Record<'_>>, BadField> {
    let body: Body = serde_json::from_slice(line).map_err(|e| locate::<Body>(line, &e))?;
    let (root, billed) = match (&body.meta.0, &body.usage.0) {
        (
            Some(Meta {
                billed_units: Nested(Some(b)),
            }),
            _,
        ) => ("meta.billed_units", b),
        (
            _,
            Some(Meta {
                billed_units: Nested(Some(b)),
            }),
        ) => ("usage.billed_units", b),
        _ => return Ok(None),
    };
    let model = body
        .model
        .clone()
        .ok_or_else(|| BadField::new("model", "missing: which model served the request (Cohere's responses do not say: log the request's model beside them)"))?;
    let request = request(root, billed)?;
    let time = match body.timestamp.as_ref().or(body.created.as_ref()) {
        None => None,
        Some(TimeValue::Text(t)) => Some(parse_time("timestamp", t)?),
        Some(TimeValue::Number(n)) => Some(unix_time("timestamp", *n)?),
    };
    Ok(Some(Record {
        model,
        time,
        request,
        logged_cost: None,
        dedup: None,
        timing: super::record::Timed::Untimed,
    }))
}

/// Cohere writes whole counts as numbers that may carry a `.0`.
fn whole(field: &str, n: Option<f64>) -> Result<u64, BadField> {
    let n = n.unwrap_or(0.0);
    if !(n >= 0.0 && n.fract() == 0.0) {
        return Err(BadField::new(
            field,
            format!("{n} is not a whole number of units"),
        ));
    }
    check_tokens(field, n as u64)
}

fn request(root: &str, billed: &Billed) -> Result<Request, BadField> {
    for (key, n) in [
        ("search_units", billed.search_units),
        ("classifications", billed.classifications),
        ("image_tokens", billed.image_tokens),
    ] {
        let field = format!("{root}.{key}");
        let n = whole(&field, n)?;
        if n > 0 {
            return Err(BadField::new(
                field,
                format!("{n} {}: Cohere bills them per unit, which price sheets do not state, so `cost` cannot price this request", key.replace('_', " ")),
            ));
        }
    }
    let input_field = format!("{root}.input_tokens");
    if billed.input_tokens.is_none() {
        return Err(BadField::new(
            input_field,
            "missing: the billed input tokens",
        ));
    }
    Ok(Request {
        input: whole(&input_field, billed.input_tokens)?,
        output: whole(&format!("{root}.output_tokens"), billed.output_tokens)?,
        ..Request::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Option<Record<'_>>, BadField> {
        parse_line(line.as_bytes())
    }

    #[test]
    fn v1_meta_and_v2_usage_billed_units() {
        let r = parse(r#"{"model":"command-r-plus-08-2024","meta":{"api_version":{"version":"1"},"billed_units":{"input_tokens":120,"output_tokens":45}}}"#).unwrap().unwrap();
        assert_eq!((r.request.input, r.request.output), (120, 45));
        let r = parse(r#"{"model":"command-a-03-2025","usage":{"billed_units":{"input_tokens":7.0,"output_tokens":3.0},"tokens":{"input_tokens":200,"output_tokens":3}}}"#).unwrap().unwrap();
        assert_eq!((r.request.input, r.request.output), (7, 3));
    }

    #[test]
    fn embeddings_bill_input_only() {
        let r = parse(
            r#"{"model":"embed-v4.0","meta":{"billed_units":{"image_tokens":0,"input_tokens":4}}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!((r.request.input, r.request.output), (4, 0));
    }

    #[test]
    fn units_billed_apart_and_missing_parts_name_their_field() {
        let e = parse(r#"{"model":"rerank-v3.5","meta":{"billed_units":{"search_units":1}}}"#)
            .unwrap_err();
        assert_eq!(e.field, "meta.billed_units.search_units");
        let e = parse(r#"{"meta":{"billed_units":{"input_tokens":4}}}"#).unwrap_err();
        assert_eq!(e.field, "model");
        let e = parse(r#"{"model":"m","meta":{"billed_units":{"input_tokens":1.5}}}"#).unwrap_err();
        assert_eq!(e.field, "meta.billed_units.input_tokens");
        assert_eq!(
            parse(r#"{"model":"m","meta":{"api_version":{}}}"#).unwrap(),
            None
        );
    }
}
