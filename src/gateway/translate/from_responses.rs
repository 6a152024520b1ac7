//! OpenAI Responses requests as Anthropic messages requests, by way of the
//! chat translation: the Responses body is first written as the chat body
//! that means the same (`instructions` a system message, `input` items
//! chat messages, flat `function` tools nested, `max_output_tokens`
//! `max_tokens`), then `to_messages::chat_to_messages` does the rest, so
//! the two paths share one set of rules (the `max_tokens` default, the
//! temperature range, images, tool choice). What only the Responses API
//! has is refused here by name: state OpenAI keeps (`previous_response_id`,
//! `conversation`, `store: true`, `background`, item references), built-in
//! tools, `include`, structured `text.format`, `reasoning`. A refusal from
//! the chat step is named back in the client's terms (`input[3]`,
//! `max_output_tokens`). A whitelist, like the chat path.

use serde_json::{json, Map, Value};

use super::to_messages::chat_to_messages;
use super::{Untranslatable, MESSAGES, RESPONSES};

/// A Responses body as an Anthropic messages body. `default_max` is the
/// routed model's maximum output, used when `max_output_tokens` is unset.
pub fn responses_to_messages(
    body: &Value,
    default_max: Option<u64>,
) -> Result<Value, Untranslatable> {
    let (chat, origin) = responses_to_chat(body)?;
    chat_to_messages(&chat, default_max).map_err(|e| renamed(e, &origin))
}

fn refuse(field: &str, why: &str) -> Untranslatable {
    Untranslatable {
        field: field.to_string(),
        from: RESPONSES,
        to: MESSAGES,
        why: why.to_string(),
    }
}

/// The chat body, and for each of its messages the Responses field it
/// came from (`instructions`, `input`, `input[i]`).
fn responses_to_chat(body: &Value) -> Result<(Value, Vec<String>), Untranslatable> {
    let obj = body
        .as_object()
        .ok_or_else(|| refuse("body", "not an object"))?;
    let mut out = Map::new();
    let mut messages = Vec::new();
    let mut origin = Vec::new();
    match obj.get("instructions") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            messages.push(json!({"role": "system", "content": s}));
            origin.push("instructions".to_string());
        }
        Some(_) => return Err(refuse("instructions", "expected a string")),
    }
    let absent = |v: &Value| v.is_null() || v == &Value::Bool(false);
    for (key, v) in obj {
        match key.as_str() {
            "model"
            | "stream"
            | "temperature"
            | "top_p"
            | "metadata"
            | "parallel_tool_calls"
            | "user" => {
                out.insert(key.clone(), v.clone());
            }
            // Read above; only padding against a side channel, which no
            // translated event carries.
            "instructions" | "stream_options" => {}
            "max_output_tokens" => {
                out.insert("max_tokens".into(), v.clone());
            }
            "input" => input(v, &mut messages, &mut origin)?,
            "tools" => {
                let tools = v.as_array().ok_or_else(|| refuse(key, "expected a list"))?;
                let mut t = Vec::new();
                for (i, tool) in tools.iter().enumerate() {
                    t.push(tool_to_chat(tool).map_err(|why| refuse(&format!("tools[{i}]"), &why))?);
                }
                out.insert("tools".into(), Value::Array(t));
            }
            "tool_choice" => {
                out.insert(key.clone(), tool_choice_to_chat(v)?);
            }
            "store" | "background" | "previous_response_id" | "conversation" if absent(v) => {}
            "store" => return Err(refuse(
                key,
                "the gateway keeps no responses to retrieve or continue later; send store: false",
            )),
            "background" => {
                return Err(refuse(
                    key,
                    "Anthropic messages are answered in the request; send background: false",
                ))
            }
            "previous_response_id" | "conversation" => {
                return Err(refuse(
                    key,
                    "Anthropic keeps no conversation state; send the whole conversation in `input`",
                ))
            }
            "include" if v.is_null() || v.as_array().is_some_and(Vec::is_empty) => {}
            "truncation" if v.is_null() || v == "disabled" => {}
            "text" => text_config(v)?,
            "reasoning" => reasoning(v)?,
            _ => return Err(refuse(key, "Anthropic messages have no counterpart")),
        }
    }
    out.insert("messages".into(), Value::Array(messages));
    Ok((Value::Object(out), origin))
}

/// `input`: a string (one user message) or a list of items.
fn input(
    v: &Value,
    messages: &mut Vec<Value>,
    origin: &mut Vec<String>,
) -> Result<(), Untranslatable> {
    match v {
        Value::String(s) => {
            messages.push(json!({"role": "user", "content": s}));
            origin.push("input".into());
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let field = format!("input[{i}]");
                messages.push(item_to_chat(item).map_err(|why| refuse(&field, &why))?);
                origin.push(field);
            }
        }
        _ => return Err(refuse("input", "expected a string or a list of items")),
    }
    Ok(())
}

/// One input item as the chat message that means the same.
fn item_to_chat(item: &Value) -> Result<Value, String> {
    let s = |k: &str| item.get(k).and_then(Value::as_str);
    let kind = s("type").or_else(|| item.get("role").map(|_| "message"));
    match kind {
        Some("message") => {
            let role = s("role").ok_or("a message without `role`")?;
            if !matches!(role, "user" | "assistant" | "system" | "developer") {
                return Err(format!("role `{role}` has no counterpart"));
            }
            Ok(json!({"role": role, "content": content_to_chat(item.get("content"))?}))
        }
        Some("function_call") => {
            let id = s("call_id").ok_or("a function call without `call_id`")?;
            let name = s("name").ok_or("a function call without `name`")?;
            let args = s("arguments").unwrap_or("{}");
            Ok(json!({"role": "assistant", "content": null, "tool_calls": [
                {"id": id, "type": "function", "function": {"name": name, "arguments": args}}]}))
        }
        Some("function_call_output") => {
            let id = s("call_id").ok_or("a function call output without `call_id`")?;
            Ok(
                json!({"role": "tool", "tool_call_id": id, "content": content_to_chat(item.get("output"))?}),
            )
        }
        Some("item_reference") => {
            Err("an item reference needs the items OpenAI stored; send the item itself".into())
        }
        Some(other) => Err(format!("items of type `{other}` do not translate")),
        None => Err("an item without `type`".into()),
    }
}

/// Item content (a string or parts) in chat's vocabulary.
fn content_to_chat(content: Option<&Value>) -> Result<Value, String> {
    match content {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(Value::Array(parts)) => parts.iter().map(part_to_chat).collect(),
        Some(_) => Err("`content` must be a string or a list of parts".into()),
    }
}

fn part_to_chat(p: &Value) -> Result<Value, String> {
    match p.get("type").and_then(Value::as_str) {
        Some("input_text" | "output_text") => {
            Ok(json!({"type": "text", "text": p.get("text").cloned().unwrap_or_default()}))
        }
        Some("input_image") => match p.get("image_url").and_then(Value::as_str) {
            Some(url) => {
                let mut image = json!({"url": url});
                if let Some(d) = p.get("detail").filter(|d| !d.is_null()) {
                    image["detail"] = d.clone();
                }
                Ok(json!({"type": "image_url", "image_url": image}))
            }
            None => {
                Err("an image without `image_url` (a `file_id` needs OpenAI's file store)".into())
            }
        },
        Some(other) => Err(format!("content parts of type `{other}` do not translate")),
        None => Err("a content part without `type`".into()),
    }
}

/// A flat Responses `function` tool as a chat tool; built-in tools refused.
fn tool_to_chat(tool: &Value) -> Result<Value, String> {
    match tool.get("type").and_then(Value::as_str) {
        Some("function") => {}
        Some(other) => return Err(format!("the built-in tool `{other}` has no Anthropic counterpart here; only `function` tools translate")),
        None => return Err("a tool without `type`".into()),
    }
    let name = tool
        .get("name")
        .and_then(Value::as_str)
        .ok_or("missing `name`")?;
    let mut f = json!({"name": name});
    for key in ["description", "parameters", "strict"] {
        if let Some(v) = tool.get(key).filter(|v| !v.is_null()) {
            f[key] = v.clone();
        }
    }
    Ok(json!({"type": "function", "function": f}))
}

fn tool_choice_to_chat(v: &Value) -> Result<Value, Untranslatable> {
    match v {
        Value::String(_) | Value::Null => Ok(v.clone()),
        _ => match (v.get("type").and_then(Value::as_str), v.get("name")) {
            (Some("function"), Some(name)) => {
                Ok(json!({"type": "function", "function": {"name": name}}))
            }
            _ => Err(refuse(
                "tool_choice",
                "expected auto, required, none or a function by name",
            )),
        },
    }
}

/// `text`: only plain-text output translates (the chat path refuses
/// `response_format` too).
fn text_config(v: &Value) -> Result<(), Untranslatable> {
    let Some(obj) = object_or_null(v, "text")? else {
        return Ok(());
    };
    for (key, value) in obj {
        let plain = match key.as_str() {
            "format" => {
                value.is_null() || value.get("type").and_then(Value::as_str) == Some("text")
            }
            _ => value.is_null(),
        };
        if !plain {
            return Err(refuse(
                &format!("text.{key}"),
                "only plain-text output translates; structured output and verbosity have no Anthropic counterpart here",
            ));
        }
    }
    Ok(())
}

/// `reasoning`: refused when it asks for anything (the chat path refuses
/// `reasoning_effort` too: effort is not mapped to a thinking budget).
fn reasoning(v: &Value) -> Result<(), Untranslatable> {
    let Some(obj) = object_or_null(v, "reasoning")? else {
        return Ok(());
    };
    match obj.iter().find(|(_, value)| !value.is_null()) {
        Some((key, _)) => Err(refuse(
            &format!("reasoning.{key}"),
            "reasoning settings are not mapped to Anthropic's extended thinking",
        )),
        None => Ok(()),
    }
}

/// An object field's value; `None` when it is null.
fn object_or_null<'v>(
    v: &'v Value,
    field: &str,
) -> Result<Option<&'v Map<String, Value>>, Untranslatable> {
    match v {
        Value::Null => Ok(None),
        Value::Object(o) => Ok(Some(o)),
        _ => Err(refuse(field, "expected an object")),
    }
}

/// A refusal of the chat step, named in the Responses request's terms.
fn renamed(mut e: Untranslatable, origin: &[String]) -> Untranslatable {
    e.from = RESPONSES;
    if e.field == "max_tokens" {
        e.field = "max_output_tokens".into();
        e.why = "Anthropic requires a maximum output and the routed model states none; set max_output_tokens".into();
    } else if let Some(i) = e
        .field
        .strip_prefix("messages[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|n| n.parse::<usize>().ok())
    {
        if let Some(field) = origin.get(i) {
            e.field.clone_from(field);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_requests_become_the_messages_their_chat_form_would() {
        let body = json!({"model": "m", "instructions": "Be terse.", "max_output_tokens": 50, "temperature": 0.5, "user": "u1", "store": false, "stream": true,
            "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object"}, "strict": true}],
            "tool_choice": {"type": "function", "name": "f"}, "parallel_tool_calls": false,
            "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "look"}, {"type": "input_image", "image_url": "data:image/png;base64,AAAA", "detail": "auto"}]},
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "calling", "annotations": []}]},
                {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{\"x\":1}"},
                {"type": "function_call_output", "call_id": "c1", "output": "42"},
                {"type": "message", "role": "user", "content": "and?"}]});
        let want = json!({"model": "m", "max_tokens": 50, "temperature": 0.5, "stream": true, "metadata": {"user_id": "u1"},
            "tools": [{"name": "f", "description": "d", "input_schema": {"type": "object"}, "strict": true}],
            "tool_choice": {"type": "tool", "name": "f", "disable_parallel_tool_use": true},
            "system": [{"type": "text", "text": "Be terse."}],
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}}]},
                {"role": "assistant", "content": [{"type": "text", "text": "calling"}, {"type": "tool_use", "id": "c1", "name": "f", "input": {"x": 1}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1", "content": [{"type": "text", "text": "42"}]}, {"type": "text", "text": "and?"}]}]});
        assert_eq!(responses_to_messages(&body, Some(4096)).unwrap(), want);
        // A string input, and no max_output_tokens: the model's maximum, as on the chat path.
        let short = json!({"model": "m", "input": "hi", "reasoning": {}, "text": {"format": {"type": "text"}}, "include": []});
        let chat_form = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]});
        assert_eq!(
            responses_to_messages(&short, Some(64)).unwrap(),
            chat_to_messages(&chat_form, Some(64)).unwrap()
        );
    }

    #[test]
    fn what_only_the_responses_api_has_is_refused_by_name() {
        let cases = [
            (
                json!({"previous_response_id": "resp_1"}),
                "previous_response_id",
            ),
            (json!({"conversation": "conv_1"}), "conversation"),
            (json!({"store": true}), "store"),
            (json!({"background": true}), "background"),
            (
                json!({"include": ["reasoning.encrypted_content"]}),
                "include",
            ),
            (
                json!({"tools": [{"type": "function", "name": "f"}, {"type": "web_search"}]}),
                "tools[1]",
            ),
            (
                json!({"tools": [{"type": "file_search", "vector_store_ids": []}]}),
                "tools[0]",
            ),
            (
                json!({"text": {"format": {"type": "json_schema", "name": "x", "schema": {}}}}),
                "text.format",
            ),
            (json!({"text": {"verbosity": "low"}}), "text.verbosity"),
            (json!({"reasoning": {"effort": "high"}}), "reasoning.effort"),
            (json!({"truncation": "auto"}), "truncation"),
            (json!({"service_tier": "flex"}), "service_tier"),
            (
                json!({"tool_choice": {"type": "web_search_preview"}}),
                "tool_choice",
            ),
            (
                json!({"input": [{"type": "message", "role": "user", "content": "a"}, {"type": "reasoning", "summary": []}]}),
                "input[1]",
            ),
            (
                json!({"input": [{"type": "item_reference", "id": "msg_1"}]}),
                "input[0]",
            ),
            (
                json!({"input": [{"role": "user", "content": [{"type": "input_image", "file_id": "file_1"}]}]}),
                "input[0]",
            ),
            (
                json!({"input": [{"role": "user", "content": [{"type": "input_file", "file_id": "file_1"}]}]}),
                "input[0]",
            ),
            // Refused by the shared chat step, named in Responses terms.
            (json!({"temperature": 1.5}), "temperature"),
            (json!({"input": "a"}), "max_output_tokens"),
            (
                json!({"input": [{"role": "user", "content": [{"type": "input_image", "image_url": "https://x/y.png", "detail": "high"}]}]}),
                "input[0]",
            ),
            (
                json!({"input": [{"role": "user", "content": "a"}, {"type": "function_call", "call_id": "c", "name": "f", "arguments": "not json"}]}),
                "input[1]",
            ),
        ];
        for (extra, field) in cases {
            let mut body = json!({"model": "m", "input": "hi"});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            let max = (field != "max_output_tokens").then_some(10);
            let e = responses_to_messages(&body, max).unwrap_err();
            assert_eq!(e.field, field, "{body}");
            assert_eq!(e.from, RESPONSES);
            assert!(
                e.to_string().contains(&format!(
                    "`{field}` cannot be translated from the OpenAI Responses format"
                )),
                "{e}"
            );
        }
    }
}
