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

/// How many of the lines that told nothing an error names.
const NAMED: usize = 3;

/// JSON lines when a line among the first few is a JSON object (the first
/// lines may be malformed: they are bad lines, not a CSV header); else CSV.
pub fn format_of(head: &[u8]) -> LogFormat {
    let text = head.strip_prefix(crate::source::BOM).unwrap_or(head);
    let mut lines = text
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(LOOK_AHEAD);
    let starts_object = |l: &[u8]| l.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    match lines.next() {
        Some(first) if starts_object(first) => LogFormat::Jsonl,
        Some(_) => {
            let object = |l: &[u8]| {
                starts_object(l) && matches!(serde_json::from_slice(l), Ok(Value::Object(_)))
            };
            if lines.any(object) {
                LogFormat::Jsonl
            } else {
                LogFormat::Csv
            }
        }
        None => LogFormat::Csv,
    }
}

/// A shape told from one line of the head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub shape: LogShape,
    /// The line (1-based, in the head) the shape was told from: the lines
    /// before it are bad lines of that shape.
    pub line: u64,
}

/// Why the first lines told no shape: the first few lines, each with why
/// it told nothing (never the line's content: logs hold prompts and keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undetected {
    pub looked_at: u64,
    pub lines: Vec<(u64, &'static str)>,
}

impl fmt::Display for Undetected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|(n, why)| format!("line {n} {why}"))
            .collect();
        write!(
            f,
            "no line of the first {} is a request of a known shape ({}{})",
            self.looked_at,
            lines.join("; "),
            if self.looked_at > self.lines.len() as u64 {
                "; ..."
            } else {
                ""
            }
        )
    }
}

/// The shape of JSON lines, from the first line that says; lines that are
/// not JSON objects, or objects of no known shape, are passed over.
pub fn jsonl_shape(head: &[u8]) -> Result<Detected, Undetected> {
    let mut looked_at = 0;
    let mut lines = Vec::new();
    for (i, line) in head.split(|b| *b == b'\n').enumerate() {
        let n = i as u64 + 1;
        let line = if n == 1 {
            line.strip_prefix(crate::source::BOM).unwrap_or(line)
        } else {
            line
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if looked_at == LOOK_AHEAD as u64 {
            break;
        }
        looked_at += 1;
        let why = match serde_json::from_slice::<Value>(line) {
            Ok(Value::Object(map)) => match line_shape(line, &map) {
                Some(shape) => return Ok(Detected { shape, line: n }),
                None => "is a JSON object with no usage of a known shape",
            },
            Ok(_) => "is JSON but not an object",
            Err(e) if e.is_eof() => "ends in the middle of a JSON value (truncated?)",
            Err(_) => "is not valid JSON",
        };
        if lines.len() < NAMED {
            lines.push((n, why));
        }
    }
    Err(Undetected { looked_at, lines })
}

fn line_shape(line: &[u8], map: &serde_json::Map<String, Value>) -> Option<LogShape> {
    if super::gateway::claims(map) {
        return Some(LogShape::Gateway);
    }
    if litellm::claims_json(map) {
        return Some(LogShape::LiteLlm);
    }
    if otel::claims(map) {
        return Some(LogShape::Otel);
    }
    let claude_code = map.contains_key("sessionId")
        || map.contains_key("parentUuid")
        || (map.contains_key("requestId") && map.contains_key("message"));
    if claude_code {
        return Some(LogShape::ClaudeCode);
    }
    if gemini::claims(map) {
        return Some(LogShape::Gemini);
    }
    if cohere::claims(map) {
        return Some(LogShape::Cohere);
    }
    if let Ok(body) = envelope::parse(line) {
        if let Some(inner) = body.usage_body() {
            if let Some(usage) = inner.usage.0.as_ref() {
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
    }
    let keys: Vec<String> = map.keys().cloned().collect();
    if Mapping::default().resolve(&keys).is_ok() {
        return Some(LogShape::Generic);
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

    fn shape(head: &[u8]) -> Option<LogShape> {
        jsonl_shape(head).ok().map(|d| d.shape)
    }

    #[test]
    fn shapes_from_first_lines() {
        let chat = br#"{"model":"gpt-4o","usage":{"prompt_tokens":1,"completion_tokens":1}}"#;
        assert_eq!(shape(chat), Some(LogShape::OpenAi));
        let anth = br#"{"model":"claude-haiku-4-5","usage":{"input_tokens":1,"cache_read_input_tokens":0,"output_tokens":1}}"#;
        assert_eq!(shape(anth), Some(LogShape::Anthropic));
        let cc = b"{\"type\":\"summary\",\"summary\":\"x\"}\n{\"type\":\"user\",\"sessionId\":\"s\",\"message\":{\"role\":\"user\"}}";
        assert_eq!(shape(cc), Some(LogShape::ClaudeCode));
        let lite = br#"{"model":"gpt-4o","spend":0.1,"startTime":"2026-11-01","prompt_tokens":1,"completion_tokens":1}"#;
        assert_eq!(shape(lite), Some(LogShape::LiteLlm));
        let generic = br#"{"model":"gpt-4o","input_tokens":1,"output_tokens":1}"#;
        assert_eq!(shape(generic), Some(LogShape::Generic));
        assert_eq!(shape(b"{\"hello\":1}"), None);
        assert_eq!(shape(br#"{"resourceSpans":[]}"#), Some(LogShape::Otel));
        let gemini =
            br#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":1}}"#;
        assert_eq!(shape(gemini), Some(LogShape::Gemini));
        let cohere = br#"{"model":"embed-v4.0","meta":{"billed_units":{"input_tokens":4}}}"#;
        assert_eq!(shape(cohere), Some(LogShape::Cohere));
        assert_eq!(format_of(b"\n  {\"a\":1}"), LogFormat::Jsonl);
        assert_eq!(format_of(b"model,input"), LogFormat::Csv);
    }

    #[test]
    fn malformed_first_lines_are_passed_over_and_named() {
        let head = b"garbage\n[1]\n{\"model\":\"gpt-4o\",\"usage\":null}\n\n{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
        assert_eq!(
            format_of(head),
            LogFormat::Jsonl,
            "not read as a CSV header"
        );
        assert_eq!(
            jsonl_shape(head),
            Ok(Detected {
                shape: LogShape::OpenAi,
                line: 5
            })
        );
        let bad = jsonl_shape(b"{\"a\":\n[1]\nnope\n{\"hello\":1}").unwrap_err();
        assert_eq!(bad.looked_at, 4);
        assert_eq!(
            bad.to_string(),
            "no line of the first 4 is a request of a known shape (line 1 ends in the middle of a JSON value (truncated?); line 2 is JSON but not an object; line 3 is not valid JSON; ...)"
        );
        let bom = b"\xEF\xBB\xBF{\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1}";
        assert_eq!(shape(bom), Some(LogShape::Generic));
    }
}
