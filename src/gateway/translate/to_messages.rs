//! Chat-completions requests as Anthropic messages requests. Each field is
//! carried over with its meaning (`system` and `developer` messages become
//! `system` blocks, `tool` messages `tool_result` blocks in the user turn,
//! images in base64 or by URL, `stop` becomes `stop_sequences`,
//! `tool_choice` and `parallel_tool_calls` become Anthropic's choice) or
//! refused by name: a whitelist, so a field added to the API later is
//! refused rather than lost.

use serde_json::{json, Map, Value};

use super::{to_messages_refused, Untranslatable};

/// An OpenAI chat-completions body as an Anthropic messages body.
/// `default_max` is the routed model's maximum output, used when the
/// client set no `max_tokens` (Anthropic requires one).
pub fn chat_to_messages(body: &Value, default_max: Option<u64>) -> Result<Value, Untranslatable> {
    let refuse = to_messages_refused;
    let obj = body
        .as_object()
        .ok_or_else(|| refuse("body", "not an object"))?;
    let mut out = Map::new();
    let mut system: Vec<Value> = Vec::new();
    let mut messages: Vec<Value> = Vec::new();
    for (key, v) in obj {
        match key.as_str() {
            "model" | "stream" | "temperature" | "top_p" => {
                if key == "temperature" && v.as_f64().is_some_and(|t| t > 1.0) {
                    return Err(refuse(
                        key,
                        "Anthropic's temperature runs from 0 to 1; send at most 1",
                    ));
                }
                out.insert(key.clone(), v.clone());
            }
            // Read by the gateway (usage is always reported by Anthropic), or
            // written after the loop (`tool_choice_to_anthropic`).
            "stream_options" | "metadata" | "tool_choice" | "parallel_tool_calls" => {}
            "max_tokens" | "max_completion_tokens" => {
                out.insert("max_tokens".into(), v.clone());
            }
            "n" if v.as_u64() == Some(1) => {}
            "stop" => {
                let stops = match v {
                    Value::String(s) => vec![Value::String(s.clone())],
                    Value::Array(a) => a.clone(),
                    Value::Null => Vec::new(),
                    _ => return Err(refuse(key, "expected a string or a list of strings")),
                };
                if !stops.is_empty() {
                    out.insert("stop_sequences".into(), Value::Array(stops));
                }
            }
            "user" => {
                out.insert("metadata".into(), json!({"user_id": v}));
            }
            "tools" => {
                let tools = v.as_array().ok_or_else(|| refuse(key, "expected a list"))?;
                let mut t = Vec::new();
                for (i, tool) in tools.iter().enumerate() {
                    t.push(
                        tool_to_anthropic(tool)
                            .map_err(|why| refuse(&format!("tools[{i}]"), &why))?,
                    );
                }
                out.insert("tools".into(), Value::Array(t));
            }
            "messages" => {
                let list = v.as_array().ok_or_else(|| refuse(key, "expected a list"))?;
                for (i, m) in list.iter().enumerate() {
                    chat_message(m, &mut system, &mut messages)
                        .map_err(|why| refuse(&format!("messages[{i}]"), &why))?;
                }
            }
            _ => return Err(refuse(key, "Anthropic messages have no counterpart")),
        }
    }
    if !out.contains_key("max_tokens") {
        let max = default_max.ok_or_else(|| {
            refuse(
                "max_tokens",
                "Anthropic requires max_tokens and the routed model states no maximum; set it",
            )
        })?;
        out.insert("max_tokens".into(), json!(max));
    }
    if let Some(choice) = tool_choice_to_anthropic(obj)? {
        out.insert("tool_choice".into(), choice);
    }
    if !system.is_empty() {
        out.insert("system".into(), Value::Array(system));
    }
    out.insert("messages".into(), Value::Array(messages));
    Ok(Value::Object(out))
}

fn tool_to_anthropic(tool: &Value) -> Result<Value, String> {
    if tool.get("type").and_then(Value::as_str) != Some("function") {
        return Err("only `function` tools translate".into());
    }
    let f = tool.get("function").ok_or("missing `function`")?;
    let name = f
        .get("name")
        .and_then(Value::as_str)
        .ok_or("missing `function.name`")?;
    let mut t = json!({
        "name": name,
        "input_schema": f.get("parameters").cloned().unwrap_or_else(|| json!({"type": "object", "properties": {}})),
    });
    if let Some(d) = f.get("description") {
        t["description"] = d.clone();
    }
    // Strict tool use: the Messages API validates names and inputs against
    // the schema, as OpenAI's strict function calling does.
    match f.get("strict") {
        None | Some(Value::Null) => {}
        Some(v @ Value::Bool(_)) => t["strict"] = v.clone(),
        Some(_) => return Err("`function.strict` must be true or false".into()),
    }
    Ok(t)
}

fn tool_choice_to_anthropic(obj: &Map<String, Value>) -> Result<Option<Value>, Untranslatable> {
    let parallel_off = obj.get("parallel_tool_calls") == Some(&Value::Bool(false));
    let mut choice = match obj.get("tool_choice") {
        None | Some(Value::Null) => {
            if !parallel_off {
                return Ok(None);
            }
            json!({"type": "auto"})
        }
        Some(Value::String(s)) => match s.as_str() {
            "auto" => json!({"type": "auto"}),
            "required" => json!({"type": "any"}),
            "none" => json!({"type": "none"}),
            other => {
                return Err(to_messages_refused(
                    "tool_choice",
                    &format!("unknown choice `{other}`"),
                ))
            }
        },
        Some(v) => match v.pointer("/function/name").and_then(Value::as_str) {
            Some(name) => json!({"type": "tool", "name": name}),
            None => {
                return Err(to_messages_refused(
                    "tool_choice",
                    "expected auto, required, none or a function by name",
                ))
            }
        },
    };
    if parallel_off && choice["type"] != "none" {
        choice["disable_parallel_tool_use"] = Value::Bool(true);
    }
    Ok(Some(choice))
}

/// One chat message into the system blocks or the message list (tool
/// results join the user turn before them, as Anthropic wants).
fn chat_message(m: &Value, system: &mut Vec<Value>, out: &mut Vec<Value>) -> Result<(), String> {
    let role = m
        .get("role")
        .and_then(Value::as_str)
        .ok_or("missing `role`")?;
    let content = m.get("content").unwrap_or(&Value::Null);
    match role {
        "system" | "developer" => {
            for block in blocks_to_anthropic(content)? {
                if block["type"] != "text" {
                    return Err("a system message may hold text only".into());
                }
                system.push(block);
            }
        }
        "user" => push_turn(out, "user", blocks_to_anthropic(content)?),
        "assistant" => {
            let mut blocks = blocks_to_anthropic(content)?;
            for call in m
                .get("tool_calls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let args = call
                    .pointer("/function/arguments")
                    .and_then(Value::as_str)
                    .unwrap_or("{}");
                let input: Value = serde_json::from_str(if args.is_empty() { "{}" } else { args })
                    .map_err(|_| "a tool call's `arguments` is not JSON".to_string())?;
                blocks.push(json!({
                    "type": "tool_use",
                    "id": call.get("id").cloned().unwrap_or(Value::Null),
                    "name": call.pointer("/function/name").cloned().unwrap_or(Value::Null),
                    "input": input,
                }));
            }
            push_turn(out, "assistant", blocks);
        }
        "tool" => {
            let id = m
                .get("tool_call_id")
                .cloned()
                .ok_or("missing `tool_call_id`")?;
            let result = json!({"type": "tool_result", "tool_use_id": id, "content": blocks_to_anthropic(content)?});
            push_turn(out, "user", vec![result]);
        }
        other => return Err(format!("role `{other}` has no counterpart")),
    }
    Ok(())
}

/// Appends blocks to the last turn when it has the same role (Anthropic
/// alternates roles), else starts a turn.
fn push_turn(out: &mut Vec<Value>, role: &str, blocks: Vec<Value>) {
    if let Some(last) = out.last_mut() {
        if last["role"] == role {
            if let Some(c) = last["content"].as_array_mut() {
                c.extend(blocks);
                return;
            }
        }
    }
    out.push(json!({"role": role, "content": blocks}));
}

/// Chat content (a string or parts) as Anthropic content blocks.
fn blocks_to_anthropic(content: &Value) -> Result<Vec<Value>, String> {
    match content {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::String(s) => Ok(vec![json!({"type": "text", "text": s})]),
        Value::Array(parts) => parts.iter().map(part_to_anthropic).collect(),
        _ => Err("`content` must be a string or a list of parts".into()),
    }
}

fn part_to_anthropic(p: &Value) -> Result<Value, String> {
    match p.get("type").and_then(Value::as_str) {
        Some("text") => {
            Ok(json!({"type": "text", "text": p.get("text").cloned().unwrap_or_default()}))
        }
        Some("image_url") => {
            let url = p
                .pointer("/image_url/url")
                .and_then(Value::as_str)
                .ok_or("an image part without `image_url.url`")?;
            // OpenAI's `detail` picks the resolution it reads (and bills) an
            // image at; Anthropic sizes images itself and has no such field,
            // so only the default passes.
            match p.pointer("/image_url/detail") {
                None | Some(Value::Null) => {}
                Some(Value::String(d)) if d == "auto" => {}
                Some(d) => {
                    return Err(format!(
                        "an image with `image_url.detail` {d} does not translate: Anthropic sizes images itself (send \"auto\" or leave it out)"
                    ))
                }
            }
            Ok(json!({"type": "image", "source": image_source(url)?}))
        }
        Some(other) => Err(format!("content parts of type `{other}` do not translate")),
        None => Err("a content part without `type`".into()),
    }
}

/// A `data:` URL as a base64 source; any other URL as a URL source.
fn image_source(url: &str) -> Result<Value, String> {
    if let Some(rest) = url.strip_prefix("data:") {
        let (media, data) = rest
            .split_once(";base64,")
            .ok_or("a data URL that is not base64")?;
        return Ok(json!({"type": "base64", "media_type": media, "data": data}));
    }
    Ok(json!({"type": "url", "url": url}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn chat_requests_become_messages() {
        let cases = [
            (
                r#"{"model":"m","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"hi"}],"max_tokens":50,"temperature":0.5,"stop":"END"}"#,
                r#"{"model":"m","max_tokens":50,"temperature":0.5,"stop_sequences":["END"],"system":[{"type":"text","text":"Be terse."}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"#,
            ),
            (
                r#"{"model":"m","max_tokens":5,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","additionalProperties":false},"strict":true}}],"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"auto"}}]}]}"#,
                r#"{"model":"m","max_tokens":5,"tools":[{"name":"f","input_schema":{"type":"object","additionalProperties":false},"strict":true}],"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}"#,
            ),
            (
                r#"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"what"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}],"stream":true,"stream_options":{"include_usage":true},"user":"u1"}"#,
                r#"{"model":"m","max_tokens":4096,"stream":true,"metadata":{"user_id":"u1"},"messages":[{"role":"user","content":[{"type":"text","text":"what"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}"#,
            ),
            (
                r#"{"model":"m","max_completion_tokens":9,"tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
                   "messages":[{"role":"user","content":"go"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},{"role":"tool","tool_call_id":"c1","content":"42"},{"role":"tool","tool_call_id":"c2","content":"43"}]}"#,
                r#"{"model":"m","max_tokens":9,"tools":[{"name":"f","description":"d","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"f","disable_parallel_tool_use":true},
                   "messages":[{"role":"user","content":[{"type":"text","text":"go"}]},{"role":"assistant","content":[{"type":"tool_use","id":"c1","name":"f","input":{"x":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":[{"type":"text","text":"42"}]},{"type":"tool_result","tool_use_id":"c2","content":[{"type":"text","text":"43"}]}]}]}"#,
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                chat_to_messages(&v(input), Some(4096)).unwrap(),
                v(want),
                "{input}"
            );
        }
    }

    #[test]
    fn untranslatable_chat_fields_are_named() {
        let cases = [
            (r#"{"model":"m","messages":[],"logprobs":true}"#, "logprobs"),
            (r#"{"model":"m","messages":[],"n":2}"#, "n"),
            (
                r#"{"model":"m","messages":[],"temperature":1.5}"#,
                "temperature",
            ),
            (
                r#"{"model":"m","messages":[],"response_format":{"type":"json_object"}}"#,
                "response_format",
            ),
            (
                r#"{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio"}]}]}"#,
                "messages[0]",
            ),
            (r#"{"model":"m","messages":[]}"#, "max_tokens"),
            (
                r#"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]}]}"#,
                "messages[0]",
            ),
            (
                r#"{"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"f","strict":"yes"}}]}"#,
                "tools[0]",
            ),
        ];
        for (input, field) in cases {
            let max = if field == "max_tokens" {
                None
            } else {
                Some(10)
            };
            let e = chat_to_messages(&v(input), max).unwrap_err();
            assert_eq!(e.field, field, "{input}");
            assert!(e.to_string().contains(&format!("`{field}`")));
        }
    }
}
