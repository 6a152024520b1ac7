//! Whole answers from one format to the other: text, tool calls, the
//! finish/stop reason, and usage with its cache parts. The gateway prices
//! the upstream's own usage; the translated usage is what the client's
//! SDK reads. OpenAI's `prompt_tokens` include cached tokens, Anthropic's
//! `input_tokens` exclude cache reads and writes: the sums are kept.

use serde_json::{json, Value};

/// OpenAI `finish_reason` as Anthropic `stop_reason`.
pub fn stop_reason(finish: &str) -> &'static str {
    match finish {
        "length" => "max_tokens",
        "tool_calls" | "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    }
}

/// Anthropic `stop_reason` as OpenAI `finish_reason`.
pub fn finish_reason(stop: &str) -> &'static str {
    match stop {
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    }
}

/// OpenAI usage as Anthropic usage.
pub fn usage_to_anthropic(u: &Value) -> Value {
    let n = |p: &str| u.pointer(p).and_then(Value::as_u64).unwrap_or(0);
    let cached = n("/prompt_tokens_details/cached_tokens");
    json!({
        "input_tokens": n("/prompt_tokens").saturating_sub(cached),
        "cache_read_input_tokens": cached,
        "cache_creation_input_tokens": 0,
        "output_tokens": n("/completion_tokens"),
    })
}

/// Anthropic usage as OpenAI usage.
pub fn usage_to_openai(u: &Value) -> Value {
    let n = |k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0);
    let cached = n("cache_read_input_tokens");
    let prompt = n("input_tokens") + cached + n("cache_creation_input_tokens");
    let output = n("output_tokens");
    json!({
        "prompt_tokens": prompt,
        "completion_tokens": output,
        "total_tokens": prompt + output,
        "prompt_tokens_details": {"cached_tokens": cached},
    })
}

/// A chat completion as an Anthropic message.
pub fn chat_to_message(body: &Value) -> Value {
    let choice = body.pointer("/choices/0").unwrap_or(&Value::Null);
    let msg = choice.get("message").unwrap_or(&Value::Null);
    let mut content = Vec::new();
    if let Some(text) = msg
        .get("content")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    {
        content.push(json!({"type": "text", "text": text}));
    }
    for call in msg
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let args = call
            .pointer("/function/arguments")
            .and_then(Value::as_str)
            .unwrap_or("{}");
        content.push(json!({
            "type": "tool_use",
            "id": call.get("id").cloned().unwrap_or(Value::Null),
            "name": call.pointer("/function/name").cloned().unwrap_or(Value::Null),
            "input": serde_json::from_str::<Value>(args).unwrap_or_else(|_| json!({})),
        }));
    }
    let finish = choice
        .get("finish_reason")
        .and_then(Value::as_str)
        .unwrap_or("stop");
    json!({
        "id": body.get("id").cloned().unwrap_or(Value::Null),
        "type": "message",
        "role": "assistant",
        "model": body.get("model").cloned().unwrap_or(Value::Null),
        "content": content,
        "stop_reason": stop_reason(finish),
        "stop_sequence": null,
        "usage": usage_to_anthropic(body.get("usage").unwrap_or(&Value::Null)),
    })
}

/// An Anthropic message as a chat completion; `created` is the Unix time.
pub fn message_to_chat(body: &Value, created: i64) -> Value {
    let mut text = String::new();
    let mut calls = Vec::new();
    for b in body
        .get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => {
                text.push_str(b.get("text").and_then(Value::as_str).unwrap_or_default());
            }
            Some("tool_use") => calls.push(json!({
                "id": b.get("id").cloned().unwrap_or(Value::Null),
                "type": "function",
                "function": {"name": b.get("name").cloned().unwrap_or(Value::Null),
                    "arguments": b.get("input").map_or_else(|| "{}".to_string(), Value::to_string)},
            })),
            _ => {}
        }
    }
    let mut message = json!({"role": "assistant", "content": if text.is_empty() && !calls.is_empty() { Value::Null } else { Value::String(text) }});
    if !calls.is_empty() {
        message["tool_calls"] = Value::Array(calls);
    }
    let stop = body
        .get("stop_reason")
        .and_then(Value::as_str)
        .unwrap_or("end_turn");
    json!({
        "id": body.get("id").cloned().unwrap_or(Value::Null),
        "object": "chat.completion",
        "created": created,
        "model": body.get("model").cloned().unwrap_or(Value::Null),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason(stop)}],
        "usage": usage_to_openai(body.get("usage").unwrap_or(&Value::Null)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn reasons_map_both_ways() {
        for (finish, stop) in [
            ("stop", "end_turn"),
            ("length", "max_tokens"),
            ("tool_calls", "tool_use"),
            ("content_filter", "refusal"),
        ] {
            assert_eq!(stop_reason(finish), stop);
            assert_eq!(finish_reason(stop), finish);
        }
        assert_eq!(finish_reason("stop_sequence"), "stop");
    }

    #[test]
    fn chat_answers_become_messages_with_cache_reads_split_out() {
        let chat = v(
            r#"{"id":"c","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"hi","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{\"a\":2}"}}]},"finish_reason":"tool_calls"}],
                        "usage":{"prompt_tokens":100,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":60}}}"#,
        );
        let want = v(
            r#"{"id":"c","type":"message","role":"assistant","model":"gpt-4o","content":[{"type":"text","text":"hi"},{"type":"tool_use","id":"t","name":"f","input":{"a":2}}],
                        "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":40,"cache_read_input_tokens":60,"cache_creation_input_tokens":0,"output_tokens":7}}"#,
        );
        assert_eq!(chat_to_message(&chat), want);
    }

    #[test]
    fn messages_become_chat_answers_with_cache_parts_summed() {
        let msg = v(
            r#"{"id":"m","model":"claude-haiku-4-5","content":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"tool_use","id":"t","name":"f","input":{"x":1}}],"stop_reason":"max_tokens",
                       "usage":{"input_tokens":10,"cache_read_input_tokens":20,"cache_creation_input_tokens":5,"output_tokens":3}}"#,
        );
        let want = v(
            r#"{"id":"m","object":"chat.completion","created":7,"model":"claude-haiku-4-5","choices":[{"index":0,"message":{"role":"assistant","content":"ab","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},"finish_reason":"length"}],
                        "usage":{"prompt_tokens":35,"completion_tokens":3,"total_tokens":38,"prompt_tokens_details":{"cached_tokens":20}}}"#,
        );
        assert_eq!(message_to_chat(&msg, 7), want);
    }
}
