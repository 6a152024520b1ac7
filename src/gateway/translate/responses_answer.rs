//! A whole Anthropic message as an OpenAI Responses `response` object, and
//! the pieces a translated stream builds the same object from: each text
//! block becomes a `message` output item with one `output_text` part (a
//! `refusal` part when the stop reason is `refusal`), each `tool_use`
//! block a `function_call` item; `max_tokens` makes the response
//! `incomplete` (reason `max_output_tokens`). The usage keeps Anthropic's
//! sum: Responses `input_tokens` include cached tokens, Anthropic's
//! `input_tokens` exclude cache reads and writes. The gateway prices the
//! upstream's own usage; this is what the client's SDK reads.

use serde_json::{json, Value};

use super::response::usage_to_openai;

/// Anthropic usage as Responses usage: the chat translation's sums, under
/// the Responses API's names.
pub fn usage_to_responses(u: &Value) -> Value {
    let chat = usage_to_openai(u);
    json!({
        "input_tokens": chat["prompt_tokens"],
        "input_tokens_details": chat["prompt_tokens_details"],
        "output_tokens": chat["completion_tokens"],
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": chat["total_tokens"],
    })
}

/// The id of the `message` item for the text block at `index`.
pub fn message_item_id(message_id: &str, index: u64) -> String {
    format!("{message_id}_{index}")
}

/// The id of the `function_call` item for a `tool_use` block.
pub fn call_item_id(tool_use_id: &str) -> String {
    format!("fc_{tool_use_id}")
}

/// The content part of a text block's `message` item.
pub fn text_part(text: &str, refused: bool) -> Value {
    if refused {
        json!({"type": "refusal", "refusal": text})
    } else {
        json!({"type": "output_text", "text": text, "annotations": []})
    }
}

/// A `message` output item (`status` `in_progress` while it streams).
pub fn message_item(id: &str, status: &str, content: Vec<Value>) -> Value {
    json!({"type": "message", "id": id, "status": status, "role": "assistant", "content": Value::Array(content)})
}

/// A `function_call` output item.
pub fn call_item(call_id: &Value, name: &Value, arguments: &str, status: &str) -> Value {
    let id = call_item_id(call_id.as_str().unwrap_or_default());
    json!({"type": "function_call", "id": id, "call_id": call_id, "name": name, "arguments": arguments, "status": status})
}

/// The `response` object around `output`; `stop` is the Anthropic stop
/// reason (`None`: still in progress).
pub fn response_object(
    id: &str,
    model: &Value,
    created_at: i64,
    stop: Option<&str>,
    output: Vec<Value>,
    usage: Option<&Value>,
) -> Value {
    let (status, incomplete) = match stop {
        None => ("in_progress", Value::Null),
        Some("max_tokens") => ("incomplete", json!({"reason": "max_output_tokens"})),
        Some(_) => ("completed", Value::Null),
    };
    json!({
        "id": format!("resp_{id}"),
        "object": "response",
        "created_at": created_at,
        "status": status,
        "error": null,
        "incomplete_details": incomplete,
        "model": model,
        "output": Value::Array(output),
        "usage": usage.map(usage_to_responses),
    })
}

/// An Anthropic message as a Responses object; `created_at` is the Unix time.
pub fn message_to_response(body: &Value, created_at: i64) -> Value {
    let id = body.get("id").and_then(Value::as_str).unwrap_or_default();
    let stop = body
        .get("stop_reason")
        .and_then(Value::as_str)
        .unwrap_or("end_turn");
    let mut output = Vec::new();
    let blocks = body.get("content").and_then(Value::as_array);
    for (index, b) in blocks.into_iter().flatten().enumerate() {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => {
                let text = b.get("text").and_then(Value::as_str).unwrap_or_default();
                let part = text_part(text, stop == "refusal");
                let item_id = message_item_id(id, index as u64);
                output.push(message_item(&item_id, "completed", vec![part]));
            }
            Some("tool_use") => {
                let args = b
                    .get("input")
                    .map_or_else(|| "{}".to_string(), Value::to_string);
                let (call_id, name) = (&b["id"], &b["name"]);
                output.push(call_item(call_id, name, &args, "completed"));
            }
            _ => {}
        }
    }
    let model = body.get("model").unwrap_or(&Value::Null);
    let usage = body.get("usage").unwrap_or(&Value::Null);
    response_object(id, model, created_at, Some(stop), output, Some(usage))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::verify::{answer_text, verdict, Checks, RefusalCheck};
    use crate::gateway::Endpoint;

    #[test]
    fn messages_become_responses_with_cache_parts_summed() {
        let msg = json!({"id": "msg_1", "model": "claude-haiku-4-5", "stop_reason": "tool_use",
            "content": [{"type": "text", "text": "Let me look."}, {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"x": 1}}],
            "usage": {"input_tokens": 10, "cache_read_input_tokens": 20, "cache_creation_input_tokens": 5, "output_tokens": 3}});
        let want = json!({"id": "resp_msg_1", "object": "response", "created_at": 7, "status": "completed", "error": null, "incomplete_details": null,
            "model": "claude-haiku-4-5",
            "output": [
                {"type": "message", "id": "msg_1_0", "status": "completed", "role": "assistant", "content": [{"type": "output_text", "text": "Let me look.", "annotations": []}]},
                {"type": "function_call", "id": "fc_toolu_1", "call_id": "toolu_1", "name": "f", "arguments": "{\"x\":1}", "status": "completed"}],
            "usage": {"input_tokens": 35, "input_tokens_details": {"cached_tokens": 20}, "output_tokens": 3, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 38}});
        assert_eq!(message_to_response(&msg, 7), want);
        let cut = json!({"id": "m", "stop_reason": "max_tokens", "content": [{"type": "text", "text": "hal"}], "usage": {}});
        let r = message_to_response(&cut, 7);
        assert_eq!(
            (r["status"].as_str(), &r["incomplete_details"]),
            (Some("incomplete"), &json!({"reason": "max_output_tokens"}))
        );
    }

    /// A cascade's verifier reads a translated answer as it reads the
    /// Anthropic original: same text, same verdict.
    #[test]
    fn the_verifier_reads_a_translated_answer_like_the_original() {
        let checks = Checks {
            error: true,
            refusal: Some(RefusalCheck { regex: None }),
            empty: true,
            truncated: true,
            schema: None,
            judge: None,
        };
        let answers = [
            json!({"stop_reason": "end_turn", "content": [{"type": "text", "text": "Paris"}, {"type": "text", "text": "."}]}),
            json!({"stop_reason": "max_tokens", "content": [{"type": "text", "text": "The answer is"}]}),
            json!({"stop_reason": "refusal", "content": [{"type": "text", "text": "No."}]}),
            json!({"stop_reason": "end_turn", "content": []}),
            json!({"stop_reason": "tool_use", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}]}),
        ];
        let mut verdicts = Vec::new();
        for m in &answers {
            let r = message_to_response(m, 0);
            let original = verdict(&checks, Endpoint::Messages, m);
            assert_eq!(verdict(&checks, Endpoint::Responses, &r), original, "{m}");
            if original.is_ok() {
                assert_eq!(
                    answer_text(Endpoint::Responses, &r),
                    answer_text(Endpoint::Messages, m)
                );
            }
            verdicts.push(original.err().map(|e| e.key()));
        }
        assert_eq!(
            verdicts,
            [
                None,
                Some("truncated"),
                Some("refusal"),
                Some("empty"),
                None
            ]
        );
    }
}
