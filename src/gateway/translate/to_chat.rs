//! Anthropic messages requests as chat-completions requests: `system`
//! becomes a first system message, `tool_result` blocks `tool` messages,
//! `tool_use` blocks `tool_calls`, images data or plain URLs,
//! `stop_sequences` `stop`. Fields with no counterpart (`thinking`,
//! `top_k`, server tools, ...) are refused by name: a whitelist.

use serde_json::{json, Map, Value};

use super::{to_chat_refused, Untranslatable};

/// An Anthropic messages body as an OpenAI chat-completions body.
pub fn messages_to_chat(body: &Value) -> Result<Value, Untranslatable> {
    let refuse = to_chat_refused;
    let obj = body
        .as_object()
        .ok_or_else(|| refuse("body", "not an object"))?;
    let mut out = Map::new();
    let mut messages = Vec::new();
    if let Some(system) = obj.get("system") {
        let text = text_of_blocks(system).map_err(|why| refuse("system", &why))?;
        messages.push(json!({"role": "system", "content": text}));
    }
    for (key, v) in obj {
        match key.as_str() {
            "model" | "temperature" | "top_p" | "system" => {
                if key != "system" {
                    out.insert(key.clone(), v.clone());
                }
            }
            "stream" => {
                out.insert(key.clone(), v.clone());
                if v == &Value::Bool(true) {
                    out.insert("stream_options".into(), json!({"include_usage": true}));
                }
            }
            "max_tokens" => {
                out.insert("max_completion_tokens".into(), v.clone());
            }
            "stop_sequences" => {
                let stops = v.as_array().ok_or_else(|| refuse(key, "expected a list"))?;
                if stops.len() > 4 {
                    return Err(refuse(key, "OpenAI accepts at most 4 stop sequences"));
                }
                out.insert("stop".into(), v.clone());
            }
            "metadata" => {
                if let Some(user) = v.get("user_id").filter(|u| u.is_string()) {
                    out.insert("user".into(), user.clone());
                }
            }
            "tools" => {
                let tools = v.as_array().ok_or_else(|| refuse(key, "expected a list"))?;
                let mut t = Vec::new();
                for (i, tool) in tools.iter().enumerate() {
                    t.push(
                        tool_to_openai(tool).map_err(|why| refuse(&format!("tools[{i}]"), &why))?,
                    );
                }
                out.insert("tools".into(), Value::Array(t));
            }
            "tool_choice" => {
                let (choice, parallel_off) =
                    tool_choice_to_openai(v).map_err(|why| refuse(key, &why))?;
                out.insert("tool_choice".into(), choice);
                if parallel_off {
                    out.insert("parallel_tool_calls".into(), Value::Bool(false));
                }
            }
            "messages" => {
                let list = v.as_array().ok_or_else(|| refuse(key, "expected a list"))?;
                for (i, m) in list.iter().enumerate() {
                    anthropic_message(m, &mut messages)
                        .map_err(|why| refuse(&format!("messages[{i}]"), &why))?;
                }
            }
            _ => return Err(refuse(key, "OpenAI chat completions have no counterpart")),
        }
    }
    out.insert("messages".into(), Value::Array(messages));
    Ok(Value::Object(out))
}

fn tool_to_openai(tool: &Value) -> Result<Value, String> {
    if let Some(t) = tool.get("type").and_then(Value::as_str) {
        if t != "custom" {
            return Err(format!("Anthropic server tools (`{t}`) do not translate"));
        }
    }
    let name = tool
        .get("name")
        .and_then(Value::as_str)
        .ok_or("missing `name`")?;
    let mut f = json!({
        "name": name,
        "parameters": tool.get("input_schema").cloned().unwrap_or_else(|| json!({"type": "object"})),
    });
    if let Some(d) = tool.get("description") {
        f["description"] = d.clone();
    }
    if let Some(strict) = tool.get("strict").filter(|v| !v.is_null()) {
        f["strict"] = strict.clone();
    }
    Ok(json!({"type": "function", "function": f}))
}

fn tool_choice_to_openai(v: &Value) -> Result<(Value, bool), String> {
    let parallel_off = v.get("disable_parallel_tool_use") == Some(&Value::Bool(true));
    let choice = match v.get("type").and_then(Value::as_str) {
        Some("auto") => json!("auto"),
        Some("any") => json!("required"),
        Some("none") => json!("none"),
        Some("tool") => {
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .ok_or("a `tool` choice without `name`")?;
            json!({"type": "function", "function": {"name": name}})
        }
        _ => return Err("expected a choice of type auto, any, none or tool".into()),
    };
    Ok((choice, parallel_off))
}

/// One Anthropic turn as chat messages: tool results become `tool`
/// messages (before the turn's other content), tool uses `tool_calls`.
fn anthropic_message(m: &Value, out: &mut Vec<Value>) -> Result<(), String> {
    let role = m
        .get("role")
        .and_then(Value::as_str)
        .ok_or("missing `role`")?;
    if role != "user" && role != "assistant" {
        return Err(format!("role `{role}` has no counterpart"));
    }
    let blocks = match m.get("content") {
        Some(Value::String(s)) => {
            out.push(json!({"role": role, "content": s}));
            return Ok(());
        }
        Some(Value::Array(b)) => b,
        _ => return Err("`content` must be a string or a list of blocks".into()),
    };
    let mut parts = Vec::new();
    let mut calls = Vec::new();
    for b in blocks {
        match b.get("type").and_then(Value::as_str) {
            Some("text") => parts
                .push(json!({"type": "text", "text": b.get("text").cloned().unwrap_or_default()})),
            Some("image") if role == "user" => {
                parts.push(json!({"type": "image_url", "image_url": {"url": image_url(b)?}}));
            }
            Some("tool_use") if role == "assistant" => calls.push(json!({
                "id": b.get("id").cloned().unwrap_or(Value::Null),
                "type": "function",
                "function": {"name": b.get("name").cloned().unwrap_or(Value::Null),
                    "arguments": b.get("input").map_or_else(|| "{}".to_string(), Value::to_string)},
            })),
            Some("tool_result") if role == "user" => {
                if b.get("is_error") == Some(&Value::Bool(true)) {
                    return Err("`is_error` tool results have no counterpart".into());
                }
                let content = b.get("content").map_or(Ok(String::new()), text_of_blocks)?;
                out.push(json!({"role": "tool", "tool_call_id": b.get("tool_use_id").cloned().unwrap_or(Value::Null), "content": content}));
            }
            Some(other) => {
                return Err(format!(
                    "content blocks of type `{other}` do not translate here"
                ))
            }
            None => return Err("a content block without `type`".into()),
        }
    }
    let all_text = parts.iter().all(|p| p["type"] == "text");
    let content = if parts.is_empty() {
        Value::Null
    } else if all_text && role == "assistant" {
        Value::String(
            parts
                .iter()
                .filter_map(|p| p["text"].as_str())
                .collect::<Vec<_>>()
                .join(""),
        )
    } else {
        Value::Array(parts)
    };
    if role == "assistant" {
        let mut msg = json!({"role": "assistant", "content": content});
        if !calls.is_empty() {
            msg["tool_calls"] = Value::Array(calls);
        }
        out.push(msg);
    } else if !content.is_null() {
        out.push(json!({"role": "user", "content": content}));
    }
    Ok(())
}

fn image_url(block: &Value) -> Result<String, String> {
    let src = block.get("source").ok_or("an image without `source`")?;
    match src.get("type").and_then(Value::as_str) {
        Some("base64") => Ok(format!(
            "data:{};base64,{}",
            src.get("media_type")
                .and_then(Value::as_str)
                .unwrap_or("image/png"),
            src.get("data").and_then(Value::as_str).unwrap_or_default()
        )),
        Some("url") => Ok(src
            .get("url")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()),
        _ => Err("only base64 and URL image sources translate".into()),
    }
}

/// A string, or the text of text blocks (anything else is refused).
fn text_of_blocks(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Array(blocks) => {
            let mut out = Vec::new();
            for b in blocks {
                if b.get("type").and_then(Value::as_str) != Some("text") {
                    return Err("only text blocks translate here".into());
                }
                out.push(b.get("text").and_then(Value::as_str).unwrap_or_default());
            }
            Ok(out.join("\n"))
        }
        _ => Err("expected a string or text blocks".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn messages_requests_become_chat() {
        let cases = [
            (
                r#"{"model":"m","system":"Be terse.","messages":[{"role":"user","content":"hi"}],"max_tokens":50,"stop_sequences":["END"],"stream":true}"#,
                r#"{"model":"m","max_completion_tokens":50,"stop":["END"],"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"hi"}]}"#,
            ),
            (
                r#"{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object"},"strict":true}],"tool_choice":{"type":"any","disable_parallel_tool_use":true},"metadata":{"user_id":"u"},
                   "messages":[{"role":"user","content":[{"type":"text","text":"go"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]},
                               {"role":"assistant","content":[{"type":"text","text":"calling"},{"type":"tool_use","id":"t1","name":"f","input":{"x":1}}]},
                               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"42"}]}]}"#,
                r#"{"model":"m","max_completion_tokens":5,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"},"strict":true}}],"tool_choice":"required","parallel_tool_calls":false,"user":"u",
                   "messages":[{"role":"user","content":[{"type":"text","text":"go"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
                               {"role":"assistant","content":"calling","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},
                               {"role":"tool","tool_call_id":"t1","content":"42"}]}"#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(messages_to_chat(&v(input)).unwrap(), v(want), "{input}");
        }
    }

    #[test]
    fn untranslatable_messages_fields_are_named() {
        let cases = [
            (
                r#"{"model":"m","max_tokens":5,"messages":[],"thinking":{"type":"enabled"}}"#,
                "thinking",
            ),
            (
                r#"{"model":"m","max_tokens":5,"messages":[],"top_k":5}"#,
                "top_k",
            ),
            (
                r#"{"model":"m","max_tokens":5,"messages":[],"tools":[{"type":"web_search_20250305","name":"w"}]}"#,
                "tools[0]",
            ),
            (
                r#"{"model":"m","max_tokens":5,"messages":[],"stop_sequences":["a","b","c","d","e"]}"#,
                "stop_sequences",
            ),
            (
                r#"{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"x"}]}]}"#,
                "messages[0]",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                messages_to_chat(&v(input)).unwrap_err().field,
                field,
                "{input}"
            );
        }
    }
}
