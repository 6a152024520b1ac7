//! The OpenAI Responses API (`POST /v1/responses`) as the gateway reads
//! it: a chat-shaped view of the request for classification (`input` as a
//! string or items, `instructions` as the system prompt,
//! `max_output_tokens`), and the usage of a stream's terminal event
//! (`response.completed`, or `response.incomplete`/`response.failed`,
//! which carry the whole response object and its usage). Pure.

use serde_json::{json, Map, Value};

use super::price::{usage_of, Usage};
use super::Api;

/// A chat-completions-shaped view of a Responses request: what the
/// classifier and the worst-case reservation read.
pub fn chat_view(body: &Value) -> Value {
    let mut messages = Vec::new();
    if let Some(instructions) = body.get("instructions").filter(|v| v.is_string()) {
        messages.push(json!({"role": "system", "content": instructions}));
    }
    match body.get("input") {
        Some(Value::String(s)) => messages.push(json!({"role": "user", "content": s})),
        Some(Value::Array(items)) => {
            for item in items {
                if let Some(m) = item_message(item) {
                    messages.push(m);
                }
            }
        }
        _ => {}
    }
    let mut view = Map::new();
    view.insert("messages".into(), Value::Array(messages));
    for key in ["model", "tools", "stream", "metadata", "user", "reasoning"] {
        if let Some(v) = body.get(key) {
            view.insert(key.into(), v.clone());
        }
    }
    if let Some(v) = body.get("max_output_tokens") {
        view.insert("max_tokens".into(), v.clone());
    }
    Value::Object(view)
}

/// One input item as a chat message (`message` items and bare
/// `{role, content}`; tool outputs count as the prompt text they are).
fn item_message(item: &Value) -> Option<Value> {
    let kind = item.get("type").and_then(Value::as_str);
    if let Some(role) = item.get("role").and_then(Value::as_str) {
        if kind.is_none() || kind == Some("message") {
            let content = match item.get("content") {
                Some(Value::Array(parts)) => Value::Array(parts.iter().map(part).collect()),
                Some(other) => other.clone(),
                None => Value::Null,
            };
            return Some(json!({"role": role, "content": content}));
        }
    }
    match kind {
        Some("function_call_output") => Some(
            json!({"role": "tool", "content": item.get("output").cloned().unwrap_or_default()}),
        ),
        Some("function_call") => Some(
            json!({"role": "assistant", "content": item.get("arguments").cloned().unwrap_or_default()}),
        ),
        _ => None,
    }
}

/// A Responses content part in the chat vocabulary the classifier reads.
fn part(p: &Value) -> Value {
    match p.get("type").and_then(Value::as_str) {
        Some("input_text" | "output_text" | "text") => {
            json!({"type": "text", "text": p.get("text").cloned().unwrap_or_default()})
        }
        Some("input_image") => json!({"type": "input_image"}),
        _ => p.clone(),
    }
}

/// The usage a stream event reports: the terminal events carry the whole
/// response object.
pub fn stream_usage(event: &Value) -> Option<Usage> {
    match event.get("type").and_then(Value::as_str) {
        Some("response.completed" | "response.incomplete" | "response.failed") => {
            let response = event.get("response")?;
            usage_of(Api::OpenAi, response.to_string().as_bytes())
        }
        _ => None,
    }
}

/// The answer text in one stream event.
pub fn delta_text(event: &Value) -> Option<&str> {
    match event.get("type").and_then(Value::as_str) {
        Some("response.output_text.delta" | "response.reasoning_summary_text.delta") => {
            event.get("delta").and_then(Value::as_str)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::classify::features;

    #[test]
    fn string_and_item_inputs_are_classified_like_chat() {
        let cases = [
            (
                json!({"model": "auto", "input": "prove it", "instructions": "Be terse.", "max_output_tokens": 64}),
                ("prove it", "Be terse.", Some(64), false),
            ),
            (
                json!({"model": "auto", "stream": true, "input": [
                    {"role": "user", "content": [{"type": "input_text", "text": "look"}, {"type": "input_image", "image_url": "https://x/y.png"}]},
                    {"type": "function_call_output", "call_id": "c", "output": "42"},
                    {"type": "message", "role": "user", "content": "and then?"}]}),
                ("and then?", "", None, true),
            ),
        ];
        for (body, (last_user, system, max, images)) in cases {
            let f = features(Api::OpenAi, &chat_view(&body), None);
            assert_eq!(f.last_user, last_user);
            assert_eq!(f.system, system);
            assert_eq!(f.max_tokens, max);
            assert_eq!(f.images, images);
            assert!(f.prompt_tokens > 0);
        }
    }

    #[test]
    fn the_completed_event_carries_the_usage() {
        let ev = json!({"type": "response.completed", "response": {"id": "r", "model": "gpt-4o-2024-08-06", "usage": {
            "input_tokens": 100, "input_tokens_details": {"cached_tokens": 40}, "output_tokens": 30, "output_tokens_details": {"reasoning_tokens": 10}}}});
        let u = stream_usage(&ev).unwrap();
        assert_eq!(
            (
                u.request.input,
                u.request.cache_read,
                u.request.output + u.request.reasoning
            ),
            (100, 40, 30)
        );
        assert!(
            stream_usage(&json!({"type": "response.output_text.delta", "delta": "x"})).is_none()
        );
        assert_eq!(
            delta_text(&json!({"type": "response.output_text.delta", "delta": "x"})),
            Some("x")
        );
    }
}
