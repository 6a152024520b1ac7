//! A line of provider JSON (OpenAI chat/responses, Anthropic messages,
//! Claude Code sessions, possibly inside a log or batch wrapper; Gemini and
//! Cohere bodies through their own modules) to a record.

use super::anthropic::{self, SYNTHETIC_MODEL};
use super::detect::LogShape;
use super::envelope::{self, TimeValue};
use super::openai;
use super::record::{logged_usd, parse_time, tier, unix_time, BadField, Record};
use crate::pricing::ServiceTier;

/// `Ok(None)`: a line that is not a billed request (no usage object, or a
/// message Claude Code generated locally).
pub fn parse_line(line: &[u8], shape: LogShape) -> Result<Option<Record<'_>>, BadField> {
    match shape {
        LogShape::Gemini => return super::gemini::parse_line(line),
        LogShape::Cohere => return super::cohere::parse_line(line),
        LogShape::Gateway => return super::gateway::parse_line(line),
        _ => {}
    }
    let body = envelope::parse(line)?;
    let Some(inner) = body.usage_body() else {
        return Ok(None);
    };
    let Some(usage) = inner.usage.0.as_ref() else {
        return Ok(None);
    };
    let model = inner
        .model
        .clone()
        .or_else(|| body.model.clone())
        .ok_or_else(|| BadField::new("model", "missing: which model served the request"))?;
    if model == SYNTHETIC_MODEL {
        return Ok(None);
    }
    let anthropic_fields = usage.cache_read_input_tokens.is_some()
        || usage.cache_creation_input_tokens.is_some()
        || usage.cache_creation.0.is_some();
    let mut request = if openai::claims(usage) || (shape == LogShape::OpenAi && !anthropic_fields) {
        openai::request(usage)?
    } else {
        anthropic::request(usage)?
    };
    request.tier = if body.custom_id.is_some() {
        ServiceTier::Batch
    } else {
        match usage
            .service_tier
            .as_deref()
            .or_else(|| body.service_tier())
        {
            Some(t) => tier("service_tier", t)?,
            None => ServiceTier::Standard,
        }
    };
    let time = match body.time() {
        None => None,
        Some((key, TimeValue::Text(t))) => Some(parse_time(key, t)?),
        Some((key, TimeValue::Number(n))) => Some(unix_time(key, *n)?),
    };
    let logged_cost = match usage.cost.or(body.cost) {
        Some(c) => Some(logged_usd("cost", c)?),
        None => None,
    };
    let dedup = match (shape, &inner.id, &body.request_id) {
        (LogShape::ClaudeCode, Some(id), Some(req)) => Some((id.clone(), req.clone())),
        _ => None,
    };
    Ok(Some(Record {
        model,
        time,
        request,
        logged_cost,
        dedup,
        timing: super::record::Timed::Untimed,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str, shape: LogShape) -> Result<Option<Record<'_>>, BadField> {
        parse_line(line.as_bytes(), shape)
    }

    #[test]
    fn a_chat_completion_body() {
        let r = parse(r#"{"id":"chatcmpl-1","object":"chat.completion","created":1764288000,"model":"gpt-4o-2024-08-06","usage":{"prompt_tokens":12000,"completion_tokens":800,"prompt_tokens_details":{"cached_tokens":4000}},"service_tier":"default"}"#, LogShape::OpenAi).unwrap().unwrap();
        assert_eq!(r.model, "gpt-4o-2024-08-06");
        assert_eq!(
            (r.request.input, r.request.cache_read, r.request.output),
            (12000, 4000, 800)
        );
        assert_eq!(r.time.unwrap().as_second(), 1_764_288_000);
    }

    #[test]
    fn openai_batch_output_is_batch_tier() {
        let r = parse(r#"{"id":"batch_req_1","custom_id":"r1","response":{"status_code":200,"body":{"model":"gpt-4o","usage":{"prompt_tokens":10,"completion_tokens":2}}}}"#, LogShape::OpenAi).unwrap().unwrap();
        assert_eq!(r.request.tier, ServiceTier::Batch);
    }

    #[test]
    fn claude_code_lines_carry_their_dedup_key_and_log_time() {
        let line = r#"{"type":"assistant","timestamp":"2026-11-02T10:00:00.000Z","requestId":"req_1","sessionId":"s","message":{"id":"msg_1","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":3,"cache_read_input_tokens":9511,"cache_creation_input_tokens":0,"output_tokens":12}}}"#;
        let r = parse(line, LogShape::ClaudeCode).unwrap().unwrap();
        assert_eq!(
            r.dedup.as_ref().map(|(a, b)| (a.as_ref(), b.as_ref())),
            Some(("msg_1", "req_1"))
        );
        assert_eq!(r.request.input, 9514);
        assert_eq!(r.time.unwrap().to_string(), "2026-11-02T10:00:00Z");
    }

    #[test]
    fn lines_without_usage_and_synthetic_messages_are_not_requests() {
        assert_eq!(
            parse(
                r#"{"type":"user","message":{"role":"user","content":"hi"}}"#,
                LogShape::ClaudeCode
            )
            .unwrap(),
            None
        );
        assert_eq!(parse(r#"{"message":{"model":"<synthetic>","usage":{"input_tokens":0,"output_tokens":0}}}"#, LogShape::ClaudeCode).unwrap(), None);
        assert_eq!(
            parse(r#"{"message":"plain text","x":1}"#, LogShape::OpenAi).unwrap(),
            None
        );
    }

    #[test]
    fn bad_lines_name_the_field() {
        let e = parse(
            r#"{"model":"gpt-4o","usage":{"prompt_tokens":"ten","completion_tokens":2}}"#,
            LogShape::OpenAi,
        )
        .unwrap_err();
        assert_eq!(e.field, "usage.prompt_tokens");
        let e = parse(
            r#"{"model":"gpt-4o","usage":{"prompt_tokens":-5,"completion_tokens":2}}"#,
            LogShape::OpenAi,
        )
        .unwrap_err();
        assert_eq!(e.field, "usage.prompt_tokens");
        let e = parse(
            r#"{"model":"gpt-4o","usage":{"prompt_tokens":5,"compl"#,
            LogShape::OpenAi,
        )
        .unwrap_err();
        assert!(e.message.contains("truncated"), "{e:?}");
        let e = parse(r#"{"model":"gpt-4o","created":"soon","usage":{"prompt_tokens":5,"completion_tokens":2}}"#, LogShape::OpenAi).unwrap_err();
        assert_eq!(e.field, "created");
        let e = parse(
            r#"{"model":"gpt-4o","usage":{"prompt_tokens":99999999999,"completion_tokens":2}}"#,
            LogShape::OpenAi,
        )
        .unwrap_err();
        assert_eq!(e.field, "usage.prompt_tokens");
        let e = parse(
            r#"{"usage":{"prompt_tokens":5,"completion_tokens":2}}"#,
            LogShape::OpenAi,
        )
        .unwrap_err();
        assert_eq!(e.field, "model");
    }
}
