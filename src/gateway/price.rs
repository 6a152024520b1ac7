//! Money for one live request, with the engine's billing kernel: the exact
//! price of an answer from its usage (read by the same parsers `cost replay`
//! uses), and the worst case a budget reserves before the call: the
//! counted prompt and `max_tokens` (else the model's maximum output) at the
//! routed model's prices, the long-context tier the prompt falls in
//! included, taking the dearest of the ways the prompt and output can be
//! billed (plain input or cache writes; output or reasoning).

use jiff::Timestamp;
use serde_json::Value;

use super::Api;
use crate::money::Money;
use crate::pricing::bill::{price_at, Request};
use crate::pricing::{Model, ServiceTier};
use crate::replay::api::parse_line;
use crate::replay::LogShape;
use crate::tokenizer::counting;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorstCaseError {
    #[error("model `{0}` states no maximum output: set max_tokens so that the worst case can be reserved")]
    NoMaxOutput(String),
    #[error("model `{0}` has no price for this request: {1}")]
    NoPrice(String, String),
}

/// The prompt as the routed model counts it (`o200k_base` count times the
/// model's documented ratio).
pub fn prompt_for(model: &Model, counted: u64) -> u64 {
    counting(model).tokens(counted)
}

/// The most `request`-shaped call on `model` can cost.
pub fn worst_case(
    model: &Model,
    counted_prompt: u64,
    max_tokens: Option<u64>,
    tier: ServiceTier,
    at: Timestamp,
) -> Result<Money, WorstCaseError> {
    let output = max_tokens
        .or(model.max_output)
        .ok_or_else(|| WorstCaseError::NoMaxOutput(model.id.clone()))?;
    let input = prompt_for(model, counted_prompt);
    let base = Request {
        input,
        tier,
        ..Request::default()
    };
    let shapes = [
        Request { output, ..base },
        Request {
            reasoning: output,
            ..base
        },
        Request {
            cache_write: input,
            output,
            ..base
        },
        Request {
            cache_write_1h: input,
            output,
            ..base
        },
    ];
    let mut worst = None;
    let mut first_error = None;
    for r in &shapes {
        match price_at(model, r, at) {
            Ok(b) => worst = Some(worst.map_or(b.total, |w: Money| w.max(b.total))),
            Err(e) => {
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    worst.ok_or_else(|| WorstCaseError::NoPrice(model.id.clone(), first_error.unwrap_or_default()))
}

/// Usage read from an answer: the billed request and the provider's name
/// for the model that served it.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub request: Request,
    pub served_model: Option<String>,
}

/// The usage in a whole (non-streamed) answer body, if it states one.
pub fn usage_of(api: Api, body: &[u8]) -> Option<Usage> {
    let shape = match api {
        Api::OpenAi => LogShape::OpenAi,
        Api::Anthropic => LogShape::Anthropic,
    };
    match parse_line(body, shape) {
        Ok(Some(record)) => Some(Usage {
            request: record.request,
            served_model: Some(record.model.into_owned()),
        }),
        _ => None,
    }
}

/// Anthropic streams split usage in two: `message_start` carries the
/// prompt side, each `message_delta` the cumulative output (and, in newer
/// API versions, the prompt side again). This merges them into one usage
/// object the Anthropic parser reads.
#[derive(Debug, Default)]
pub struct AnthropicStreamUsage {
    model: Option<String>,
    usage: serde_json::Map<String, Value>,
    delta_seen: bool,
}

impl AnthropicStreamUsage {
    pub fn event(&mut self, data: &Value) {
        let (usage, model) = match data.get("type").and_then(Value::as_str) {
            Some("message_start") => (
                data.pointer("/message/usage"),
                data.pointer("/message/model").and_then(Value::as_str),
            ),
            Some("message_delta") => {
                self.delta_seen = true;
                (data.get("usage"), None)
            }
            _ => return,
        };
        if let Some(m) = model {
            self.model = Some(m.to_string());
        }
        if let Some(Value::Object(u)) = usage {
            for (k, v) in u {
                if !v.is_null() {
                    self.usage.insert(k.clone(), v.clone());
                }
            }
        }
    }

    /// Whether the final output count (`message_delta`) has arrived.
    pub fn finished(&self) -> bool {
        self.delta_seen
    }

    pub fn usage(&self) -> Option<Usage> {
        if self.usage.is_empty() {
            return None;
        }
        let body = serde_json::json!({"model": self.model.clone().unwrap_or_default(), "usage": self.usage});
        usage_of(Api::Anthropic, body.to_string().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Catalog;

    fn at() -> Timestamp {
        "2026-12-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn worst_case_covers_every_answer_within_max_tokens() {
        let catalog = Catalog::builtin().unwrap();
        let m = catalog.lookup("claude-sonnet-4-5").unwrap();
        let worst = worst_case(m, 1000, Some(500), ServiceTier::Standard, at()).unwrap();
        for output in [0, 1, 250, 500] {
            for cache_write in [0, 500, 1000] {
                let r = Request {
                    input: 1000,
                    cache_write,
                    output,
                    ..Request::default()
                };
                assert!(price_at(m, &r, at()).unwrap().total <= worst);
            }
        }
        let no_max = worst_case(m, 1000, None, ServiceTier::Standard, at());
        assert!(no_max.is_ok() == m.max_output.is_some());
    }

    #[test]
    fn usage_from_bodies_and_anthropic_stream_events() {
        let openai = br#"{"model":"gpt-4o-mini-2024-07-18","usage":{"prompt_tokens":20,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":10}}}"#;
        let u = usage_of(Api::OpenAi, openai).unwrap();
        assert_eq!(
            (u.request.input, u.request.cache_read, u.request.output),
            (20, 10, 5)
        );
        let mut s = AnthropicStreamUsage::default();
        s.event(&serde_json::json!({"type":"message_start","message":{"model":"claude-haiku-4-5","usage":{"input_tokens":30,"cache_read_input_tokens":100,"output_tokens":1}}}));
        s.event(&serde_json::json!({"type":"content_block_delta"}));
        s.event(&serde_json::json!({"type":"message_delta","usage":{"output_tokens":42}}));
        let u = s.usage().unwrap();
        assert_eq!(
            (u.request.input, u.request.cache_read, u.request.output),
            (130, 100, 42)
        );
        assert_eq!(u.served_model.as_deref(), Some("claude-haiku-4-5"));
    }
}
