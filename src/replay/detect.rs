//! Which shape a log has, from its first lines: JSON lines or CSV, and
//! whose usage objects. `--shape` and `--input-format` override it.

use std::fmt;

use serde_json::Value;

use super::envelope;
use super::generic::Mapping;
use super::litellm;
use super::openai;
use super::otel;
use super::row::Headers;
use super::{cohere, gemini};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogShape {
    /// OpenAI chat completions or Responses API bodies (and compatible APIs).
    OpenAi,
    /// Anthropic Messages API bodies.
    Anthropic,
    /// Claude Code session logs: Anthropic usage, deduplicated by message.
    ClaudeCode,
    /// LiteLLM spend logs.
    LiteLlm,
    /// Any log, through a column mapping.
    Generic,
    /// OpenTelemetry GenAI spans (OTLP JSON lines).
    Otel,
    /// Google Gemini responses (`usageMetadata`).
    Gemini,
    /// Cohere responses (`billed_units`).
    Cohere,
    /// `cost gateway`'s own request log.
    Gateway,
}

impl LogShape {
    pub fn key(self) -> &'static str {
        match self {
            LogShape::OpenAi => "openai",
            LogShape::Anthropic => "anthropic",
            LogShape::ClaudeCode => "claude-code",
            LogShape::LiteLlm => "litellm",
            LogShape::Generic => "generic",
            LogShape::Otel => "otel",
            LogShape::Gemini => "gemini",
            LogShape::Cohere => "cohere",
            LogShape::Gateway => "gateway",
        }
    }
}

impl fmt::Display for LogShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How many lines detection looks at before giving up.
const LOOK_AHEAD: usize = 200;

pub fn format_of(head: &[u8]) -> LogFormat {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => LogFormat::Jsonl,
        _ => LogFormat::Csv,
    }
}

/// The shape of JSON lines, from the first lines that say.
pub fn jsonl_shape(head: &[u8]) -> Option<LogShape> {
    for line in head.split(|b| *b == b'\n').take(LOOK_AHEAD) {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if super::gateway::claims(&map) {
            return Some(LogShape::Gateway);
        }
        if litellm::claims_json(&map) {
            return Some(LogShape::LiteLlm);
        }
        if otel::claims(&map) {
            return Some(LogShape::Otel);
        }
        let claude_code = map.contains_key("sessionId")
            || map.contains_key("parentUuid")
            || (map.contains_key("requestId") && map.contains_key("message"));
        if claude_code {
            return Some(LogShape::ClaudeCode);
        }
        if gemini::claims(&map) {
            return Some(LogShape::Gemini);
        }
        if cohere::claims(&map) {
            return Some(LogShape::Cohere);
        }
        if let Ok(body) = envelope::parse(line) {
            if let Some(inner) = body.usage_body() {
                let usage = inner.usage.0.as_ref()?;
                if openai::claims(usage) {
                    return Some(LogShape::OpenAi);
                }
                let model = inner
                    .model
                    .as_deref()
                    .or(body.model.as_deref())
                    .unwrap_or("");
                let anthropic = usage.cache_read_input_tokens.is_some()
                    || usage.cache_creation_input_tokens.is_some()
                    || model.starts_with("claude");
                return Some(if anthropic {
                    LogShape::Anthropic
                } else {
                    LogShape::OpenAi
                });
            }
        }
        let keys: Vec<String> = map.keys().cloned().collect();
        if Mapping::default().resolve(&keys).is_ok() {
            return Some(LogShape::Generic);
        }
    }
    None
}

pub fn csv_shape(headers: &Headers) -> LogShape {
    if litellm::claims(headers) {
        LogShape::LiteLlm
    } else {
        LogShape::Generic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_from_first_lines() {
        let chat = br#"{"model":"gpt-4o","usage":{"prompt_tokens":1,"completion_tokens":1}}"#;
        assert_eq!(jsonl_shape(chat), Some(LogShape::OpenAi));
        let anth = br#"{"model":"claude-haiku-4-5","usage":{"input_tokens":1,"cache_read_input_tokens":0,"output_tokens":1}}"#;
        assert_eq!(jsonl_shape(anth), Some(LogShape::Anthropic));
        let cc = b"{\"type\":\"summary\",\"summary\":\"x\"}\n{\"type\":\"user\",\"sessionId\":\"s\",\"message\":{\"role\":\"user\"}}";
        assert_eq!(jsonl_shape(cc), Some(LogShape::ClaudeCode));
        let lite = br#"{"model":"gpt-4o","spend":0.1,"startTime":"2026-11-01","prompt_tokens":1,"completion_tokens":1}"#;
        assert_eq!(jsonl_shape(lite), Some(LogShape::LiteLlm));
        let generic = br#"{"model":"gpt-4o","input_tokens":1,"output_tokens":1}"#;
        assert_eq!(jsonl_shape(generic), Some(LogShape::Generic));
        assert_eq!(jsonl_shape(b"{\"hello\":1}"), None);
        assert_eq!(
            jsonl_shape(br#"{"resourceSpans":[]}"#),
            Some(LogShape::Otel)
        );
        let gemini =
            br#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1}}"#;
        assert_eq!(jsonl_shape(gemini), Some(LogShape::Gemini));
        let cohere = br#"{"model":"embed-v4.0","meta":{"billed_units":{"input_tokens":4}}}"#;
        assert_eq!(jsonl_shape(cohere), Some(LogShape::Cohere));
        assert_eq!(format_of(b"\n  {\"a\":1}"), LogFormat::Jsonl);
        assert_eq!(format_of(b"model,input"), LogFormat::Csv);
    }
}
