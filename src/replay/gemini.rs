//! Google Gemini's native responses (the Gemini API's `generateContent`
//! and Vertex AI's), whose usage is `usageMetadata` (ai.google.dev/api/
//! generate-content#UsageMetadata), mapped onto `pricing::bill::Request`:
//!
//! - `input` = `promptTokenCount` + `toolUsePromptTokenCount`. The prompt
//!   count already includes the cached content; tool-use prompt tokens
//!   (what a tool such as search or code execution fed back) are billed as
//!   input but counted apart.
//! - `cache_read` = `cachedContentTokenCount` (part of the prompt count).
//! - `output` = `candidatesTokenCount`; `reasoning` = `thoughtsTokenCount`,
//!   which Google counts apart from the candidates and bills as output
//!   (a sheet's `reasoning` price, else its output price).
//! - The tier: `serviceTier` (`standard`, `flex`, `priority`), else Vertex's
//!   `trafficType` (`ON_DEMAND`, `ON_DEMAND_FLEX`, `ON_DEMAND_PRIORITY`).
//!   `PROVISIONED_THROUGHPUT` traffic is paid for by the hour, not per
//!   token: such a line is not a billed request.
//!
//! The per-modality details (`promptTokensDetails`, `cacheTokensDetails`,
//! `candidatesTokensDetails`, `toolUsePromptTokensDetails`) are checked,
//! not summed: text, image, video and document tokens are billed at the
//! text price, but audio input and image or audio output have their own
//! prices, which price sheets do not state; a line with them is an error
//! naming the field, never priced as text. The model is `modelVersion`.

use std::borrow::Cow;

use serde::Deserialize;

use super::envelope::{Nested, TimeValue};
use super::record::{check_tokens, parse_time, tier, unix_time, BadField, Record};
use crate::pricing::bill::Request;
use crate::pricing::ServiceTier;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    #[serde(borrow, default)]
    model_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    model: Option<Cow<'a, str>>,
    #[serde(default)]
    usage_metadata: Nested<Usage<'a>>,
    #[serde(borrow, default)]
    create_time: Option<TimeValue<'a>>,
    /// Batch output lines wrap the response.
    #[serde(borrow, default)]
    response: Nested<Box<Body<'a>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Usage<'a> {
    prompt_token_count: Option<u64>,
    cached_content_token_count: Option<u64>,
    candidates_token_count: Option<u64>,
    thoughts_token_count: Option<u64>,
    tool_use_prompt_token_count: Option<u64>,
    #[serde(borrow, default, alias = "promptTokenDetails")]
    prompt_tokens_details: Option<Vec<Modality<'a>>>,
    #[serde(borrow, default)]
    cache_tokens_details: Option<Vec<Modality<'a>>>,
    #[serde(borrow, default)]
    candidates_tokens_details: Option<Vec<Modality<'a>>>,
    #[serde(borrow, default)]
    tool_use_prompt_tokens_details: Option<Vec<Modality<'a>>>,
    #[serde(borrow, default)]
    service_tier: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    traffic_type: Option<Cow<'a, str>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Modality<'a> {
    #[serde(borrow, default)]
    modality: Option<Cow<'a, str>>,
    token_count: Option<u64>,
}

/// Whether a JSON line is a Gemini response (or wraps one).
pub fn claims(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.contains_key("usageMetadata")
        || map
            .get("response")
            .and_then(serde_json::Value::as_object)
            .is_some_and(|r| r.contains_key("usageMetadata"))
}

/// `Ok(None)`: a line with no usage, or provisioned-throughput traffic.
pub fn parse_line(line: &[u8]) -> Result<Option<Record<'_>>, BadField> {
    let outer: Body = serde_json::from_slice(line).map_err(|e| locate::<Body>(line, &e))?;
    let Some(body) = usage_body(&outer) else {
        return Ok(None);
    };
    let Some(usage) = body.usage_metadata.0.as_ref() else {
        return Ok(None);
    };
    let tier = match (usage.service_tier.as_deref(), usage.traffic_type.as_deref()) {
        (Some(t), _) => tier("usageMetadata.serviceTier", t)?,
        (None, Some(t)) => match traffic(t)? {
            Some(t) => t,
            None => return Ok(None),
        },
        (None, None) => ServiceTier::Standard,
    };
    let model = body
        .model_version
        .clone()
        .or_else(|| body.model.clone())
        .or_else(|| outer.model_version.clone())
        .ok_or_else(|| BadField::new("modelVersion", "missing: which model served the request"))?;
    let mut request = request(usage)?;
    request.tier = tier;
    let time = match body.create_time.as_ref().or(outer.create_time.as_ref()) {
        None => None,
        Some(TimeValue::Text(t)) => Some(parse_time("createTime", t)?),
        Some(TimeValue::Number(n)) => Some(unix_time("createTime", *n)?),
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

/// The field a line fails on (the slow path runs only for bad lines).
pub(super) fn locate<'de, T: Deserialize<'de>>(
    line: &'de [u8],
    original: &serde_json::Error,
) -> BadField {
    let eof = "the line ends in the middle of a JSON value (truncated?)";
    let mut de = serde_json::Deserializer::from_slice(line);
    let Err(err) = serde_path_to_error::deserialize::<_, T>(&mut de) else {
        return BadField::new("line", super::envelope::readable(original));
    };
    let path = err.path().to_string();
    let path = path.trim_end_matches('?').trim_end_matches('.');
    let inner = err.into_inner();
    let field = if path.is_empty() || path == "." {
        "line"
    } else {
        path
    };
    let message = if inner.is_eof() {
        eof.to_string()
    } else {
        super::envelope::readable(&inner)
    };
    BadField::new(field, message)
}

fn usage_body<'b, 'a>(body: &'b Body<'a>) -> Option<&'b Body<'a>> {
    if body.usage_metadata.0.is_some() {
        return Some(body);
    }
    body.response.0.as_deref().and_then(usage_body)
}

/// Vertex's `trafficType`; `None` for traffic not billed per token.
fn traffic(text: &str) -> Result<Option<ServiceTier>, BadField> {
    Ok(Some(match text {
        "ON_DEMAND" | "TRAFFIC_TYPE_UNSPECIFIED" => ServiceTier::Standard,
        "ON_DEMAND_FLEX" => ServiceTier::Flex,
        "ON_DEMAND_PRIORITY" => ServiceTier::Priority,
        "PROVISIONED_THROUGHPUT" => return Ok(None),
        other => {
            return Err(BadField::new(
                "usageMetadata.trafficType",
                format!("unknown traffic type `{other}` (expected ON_DEMAND, ON_DEMAND_FLEX, ON_DEMAND_PRIORITY or PROVISIONED_THROUGHPUT)"),
            ))
        }
    }))
}

fn request(usage: &Usage) -> Result<Request, BadField> {
    let count = |field: &str, n: Option<u64>| check_tokens(field, n.unwrap_or(0));
    let prompt = check_tokens(
        "usageMetadata.promptTokenCount",
        usage.prompt_token_count.ok_or_else(|| {
            BadField::new(
                "usageMetadata.promptTokenCount",
                "missing: the prompt token count",
            )
        })?,
    )?;
    let tool_use = count(
        "usageMetadata.toolUsePromptTokenCount",
        usage.tool_use_prompt_token_count,
    )?;
    let cached = count(
        "usageMetadata.cachedContentTokenCount",
        usage.cached_content_token_count,
    )?;
    let candidates = count(
        "usageMetadata.candidatesTokenCount",
        usage.candidates_token_count,
    )?;
    let thoughts = count(
        "usageMetadata.thoughtsTokenCount",
        usage.thoughts_token_count,
    )?;
    if cached > prompt {
        return Err(BadField::new(
            "usageMetadata.cachedContentTokenCount",
            format!("{cached} cached tokens exceed the {prompt} prompt tokens they are part of"),
        ));
    }
    for (field, details, priced_apart) in [
        (
            "usageMetadata.promptTokensDetails",
            &usage.prompt_tokens_details,
            &["AUDIO"][..],
        ),
        (
            "usageMetadata.cacheTokensDetails",
            &usage.cache_tokens_details,
            &["AUDIO"][..],
        ),
        (
            "usageMetadata.toolUsePromptTokensDetails",
            &usage.tool_use_prompt_tokens_details,
            &["AUDIO"][..],
        ),
        (
            "usageMetadata.candidatesTokensDetails",
            &usage.candidates_tokens_details,
            &["AUDIO", "IMAGE"][..],
        ),
    ] {
        for d in details.iter().flatten() {
            let modality = d.modality.as_deref().unwrap_or_default();
            let n = d.token_count.unwrap_or(0);
            if n > 0 && priced_apart.contains(&modality) {
                return Err(BadField::new(
                    field,
                    format!(
                        "{n} {modality} tokens: Google bills {} {} at its own price, which price sheets do not state, so `cost` cannot price this request exactly",
                        modality.to_lowercase(),
                        if field.ends_with("candidatesTokensDetails") { "output" } else { "input" }
                    ),
                ));
            }
        }
    }
    Ok(Request {
        input: prompt + tool_use,
        cache_read: cached,
        output: candidates,
        reasoning: thoughts,
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
    fn prompt_tool_use_cache_candidates_and_thoughts() {
        let r = parse(r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1000,"cachedContentTokenCount":400,"toolUsePromptTokenCount":50,"candidatesTokenCount":200,"thoughtsTokenCount":300,"totalTokenCount":1550,"promptTokensDetails":[{"modality":"TEXT","tokenCount":900},{"modality":"IMAGE","tokenCount":100}]}}"#).unwrap().unwrap();
        assert_eq!(r.model, "gemini-2.5-flash");
        let q = r.request;
        assert_eq!(
            (q.input, q.cache_read, q.output, q.reasoning),
            (1050, 400, 200, 300)
        );
        assert_eq!(q.tier, ServiceTier::Standard);
    }

    #[test]
    fn tiers_from_service_tier_or_vertex_traffic_type() {
        let r = parse(r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"trafficType":"ON_DEMAND_FLEX"}}"#).unwrap().unwrap();
        assert_eq!(r.request.tier, ServiceTier::Flex);
        let r = parse(r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1,"serviceTier":"standard","trafficType":"ON_DEMAND"}}"#).unwrap().unwrap();
        assert_eq!(r.request.tier, ServiceTier::Standard);
        let none = parse(r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1,"trafficType":"PROVISIONED_THROUGHPUT"}}"#).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn batch_wrappers_and_create_time() {
        let r = parse(r#"{"key":"k1","response":{"modelVersion":"gemini-2.0-flash","createTime":"2026-11-02T10:00:00Z","usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":32}}}"#).unwrap().unwrap();
        assert_eq!(r.model, "gemini-2.0-flash");
        assert_eq!(r.time.unwrap().to_string(), "2026-11-02T10:00:00Z");
        assert_eq!((r.request.input, r.request.output), (11, 32));
    }

    #[test]
    fn audio_input_and_image_output_are_errors_not_text() {
        let e = parse(r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":100,"promptTokensDetails":[{"modality":"AUDIO","tokenCount":60}]}}"#).unwrap_err();
        assert_eq!(e.field, "usageMetadata.promptTokensDetails");
        assert!(e.message.contains("60 AUDIO tokens"), "{e:?}");
        let e = parse(r#"{"modelVersion":"gemini-2.5-flash-image","usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":1290,"candidatesTokensDetails":[{"modality":"IMAGE","tokenCount":1290}]}}"#).unwrap_err();
        assert_eq!(e.field, "usageMetadata.candidatesTokensDetails");
    }

    #[test]
    fn bad_counts_name_their_field() {
        let e = parse(r#"{"modelVersion":"g","usageMetadata":{"promptTokenCount":10,"cachedContentTokenCount":11}}"#).unwrap_err();
        assert_eq!(e.field, "usageMetadata.cachedContentTokenCount");
        let e = parse(r#"{"usageMetadata":{"promptTokenCount":10}}"#).unwrap_err();
        assert_eq!(e.field, "modelVersion");
        let e = parse(r#"{"modelVersion":"g","usageMetadata":{"candidatesTokenCount":10}}"#)
            .unwrap_err();
        assert_eq!(e.field, "usageMetadata.promptTokenCount");
        assert!(parse(r#"{"modelVersion":"g","usageMetadata":{"promptTokenCount":"#).is_err());
        let e = parse(r#"{"modelVersion":"g","usageMetadata":{"promptTokenCount":"ten"}}"#)
            .unwrap_err();
        assert_eq!(e.field, "usageMetadata.promptTokenCount");
        assert_eq!(parse(r#"{"modelVersion":"g"}"#).unwrap(), None);
    }
}
