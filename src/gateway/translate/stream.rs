//! Streamed answers from one format to the other, event by event: each
//! upstream event becomes the client-format events it implies at once
//! (nothing is held back but the usage, which both formats put last).
//!
//! - Anthropic → chat chunks: `message_start` opens with the assistant
//!   role, text deltas become `delta.content`, `tool_use` blocks and their
//!   `input_json_delta`s become `delta.tool_calls`, `message_delta` the
//!   `finish_reason`; at `message_stop` the usage chunk (when the client
//!   asked with `stream_options.include_usage`) and `[DONE]`.
//! - chat chunks → Anthropic: the first chunk opens `message_start`,
//!   content opens a text block, each new tool call closes the open block
//!   and opens a `tool_use` block fed by `input_json_delta`s; at `[DONE]`
//!   (or the end of the stream) `message_delta` with the stop reason and
//!   the usage, then `message_stop`.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};

use super::response::{finish_reason, stop_reason, usage_to_anthropic, usage_to_openai};
use super::responses_stream::MessagesToResponses;

/// A converter of one stream.
#[derive(Debug)]
pub enum Convert {
    ToChat(MessagesToChat),
    ToMessages(ChatToMessages),
    ToResponses(Box<MessagesToResponses>),
}

impl Convert {
    /// The client events one upstream event's payload implies (`None`:
    /// the `[DONE]` marker).
    pub fn event(&mut self, data: Option<&Value>, out: &mut String) {
        match self {
            Convert::ToChat(c) => {
                if let Some(d) = data {
                    c.event(d, out);
                }
            }
            Convert::ToMessages(c) => match data {
                Some(d) => c.event(d, out),
                None => c.end(out),
            },
            Convert::ToResponses(c) => {
                if let Some(d) = data {
                    c.event(d, out);
                }
            }
        }
    }

    /// The stream ended: close what is open.
    pub fn end(&mut self, out: &mut String) {
        match self {
            Convert::ToChat(c) => c.end(out),
            Convert::ToMessages(c) => c.end(out),
            Convert::ToResponses(c) => c.end(out),
        }
    }
}

/// Merges an Anthropic usage object (`message_start`'s, then each
/// `message_delta`'s) into `into`, skipping nulls.
pub(crate) fn merge_usage(into: &mut serde_json::Map<String, Value>, u: Option<&Value>) {
    if let Some(Value::Object(u)) = u {
        for (k, v) in u {
            if !v.is_null() {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Anthropic message events to OpenAI chat chunks.
#[derive(Debug)]
pub struct MessagesToChat {
    include_usage: bool,
    created: i64,
    id: String,
    model: String,
    /// Anthropic block index → tool call index.
    tools: BTreeMap<u64, u64>,
    usage: serde_json::Map<String, Value>,
    finished: bool,
}

impl MessagesToChat {
    pub fn new(include_usage: bool, created: i64) -> MessagesToChat {
        MessagesToChat {
            include_usage,
            created,
            id: String::new(),
            model: String::new(),
            tools: BTreeMap::new(),
            usage: serde_json::Map::new(),
            finished: false,
        }
    }

    fn chunk(&self, delta: &Value, finish: Option<&str>, out: &mut String) {
        let c = json!({"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
        let _ = write!(out, "data: {c}\n\n");
    }

    fn add_usage(&mut self, u: Option<&Value>) {
        merge_usage(&mut self.usage, u);
    }

    pub fn event(&mut self, d: &Value, out: &mut String) {
        let s = |p: &str| d.pointer(p).and_then(Value::as_str);
        match s("/type") {
            Some("message_start") => {
                self.id = s("/message/id").unwrap_or_default().to_string();
                self.model = s("/message/model").unwrap_or_default().to_string();
                self.add_usage(d.pointer("/message/usage"));
                self.chunk(&json!({"role": "assistant", "content": ""}), None, out);
            }
            Some("content_block_start") if s("/content_block/type") == Some("tool_use") => {
                let k = self.tools.len() as u64;
                self.tools.insert(d["index"].as_u64().unwrap_or(0), k);
                let call = json!({"index": k, "id": d.pointer("/content_block/id"), "type": "function",
                    "function": {"name": d.pointer("/content_block/name"), "arguments": ""}});
                self.chunk(&json!({"tool_calls": [call]}), None, out);
            }
            Some("content_block_delta") => match s("/delta/type") {
                Some("text_delta") => {
                    self.chunk(&json!({"content": d.pointer("/delta/text")}), None, out);
                }
                Some("input_json_delta") => {
                    let k = self
                        .tools
                        .get(&d["index"].as_u64().unwrap_or(0))
                        .copied()
                        .unwrap_or(0);
                    let call = json!({"index": k, "function": {"arguments": d.pointer("/delta/partial_json")}});
                    self.chunk(&json!({"tool_calls": [call]}), None, out);
                }
                _ => {}
            },
            Some("message_delta") => {
                self.add_usage(d.get("usage"));
                let stop = s("/delta/stop_reason").unwrap_or("end_turn");
                self.chunk(&json!({}), Some(finish_reason(stop)), out);
            }
            Some("message_stop") => self.end(out),
            Some("error") => {
                let _ = write!(out, "data: {}\n\n", json!({"error": d.get("error")}));
            }
            _ => {}
        }
    }

    pub fn end(&mut self, out: &mut String) {
        if self.finished {
            return;
        }
        self.finished = true;
        if self.include_usage {
            let c = json!({"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": self.model,
                "choices": [], "usage": usage_to_openai(&Value::Object(self.usage.clone()))});
            let _ = write!(out, "data: {c}\n\n");
        }
        out.push_str("data: [DONE]\n\n");
    }
}

/// OpenAI chat chunks to Anthropic message events.
#[derive(Debug, Default)]
pub struct ChatToMessages {
    started: bool,
    /// The open block: (index, is a tool call with this OpenAI index).
    open: Option<(u64, Option<u64>)>,
    next_block: u64,
    finish: Option<String>,
    usage: Option<Value>,
    finished: bool,
}

fn event(out: &mut String, name: &str, data: &Value) {
    let _ = write!(out, "event: {name}\ndata: {data}\n\n");
}

impl ChatToMessages {
    fn start(&mut self, d: &Value, out: &mut String) {
        if self.started {
            return;
        }
        self.started = true;
        event(
            out,
            "message_start",
            &json!({"type": "message_start", "message": {
            "id": d.get("id"), "type": "message", "role": "assistant", "model": d.get("model"),
            "content": [], "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 0, "output_tokens": 0}}}),
        );
    }

    fn close_block(&mut self, out: &mut String) {
        if let Some((index, _)) = self.open.take() {
            event(
                out,
                "content_block_stop",
                &json!({"type": "content_block_stop", "index": index}),
            );
        }
    }

    fn open_block(&mut self, block: &Value, tool: Option<u64>, out: &mut String) -> u64 {
        self.close_block(out);
        let index = self.next_block;
        self.next_block += 1;
        self.open = Some((index, tool));
        event(
            out,
            "content_block_start",
            &json!({"type": "content_block_start", "index": index, "content_block": block}),
        );
        index
    }

    pub fn event(&mut self, d: &Value, out: &mut String) {
        if d.get("error").is_some() {
            event(
                out,
                "error",
                &json!({"type": "error", "error": {"type": "api_error", "message": d.pointer("/error/message")}}),
            );
            return;
        }
        self.start(d, out);
        if let Some(u) = d.get("usage").filter(|u| u.is_object()) {
            self.usage = Some(u.clone());
        }
        let Some(choice) = d.pointer("/choices/0") else {
            return;
        };
        let delta = choice.get("delta").unwrap_or(&Value::Null);
        if let Some(text) = delta
            .get("content")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            let index = match self.open {
                Some((i, None)) => i,
                _ => self.open_block(&json!({"type": "text", "text": ""}), None, out),
            };
            event(
                out,
                "content_block_delta",
                &json!({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}}),
            );
        }
        for call in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let k = call.get("index").and_then(Value::as_u64).unwrap_or(0);
            let index = match self.open {
                Some((i, Some(open_k))) if open_k == k => i,
                _ => self.open_block(
                    &json!({"type": "tool_use", "id": call.get("id"), "name": call.pointer("/function/name"), "input": {}}),
                    Some(k),
                    out,
                ),
            };
            if let Some(args) = call
                .pointer("/function/arguments")
                .and_then(Value::as_str)
                .filter(|a| !a.is_empty())
            {
                event(
                    out,
                    "content_block_delta",
                    &json!({"type": "content_block_delta", "index": index, "delta": {"type": "input_json_delta", "partial_json": args}}),
                );
            }
        }
        if let Some(f) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(f.to_string());
            self.close_block(out);
        }
    }

    pub fn end(&mut self, out: &mut String) {
        if self.finished || !self.started {
            return;
        }
        self.finished = true;
        self.close_block(out);
        let usage = usage_to_anthropic(self.usage.as_ref().unwrap_or(&Value::Null));
        let stop = stop_reason(self.finish.as_deref().unwrap_or("stop"));
        event(
            out,
            "message_delta",
            &json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": usage}),
        );
        event(out, "message_stop", &json!({"type": "message_stop"}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::sse::{data, Splitter};

    /// Runs `upstream` (SSE text) through `c`; returns the client's events' payloads.
    fn run(mut c: Convert, upstream: &str) -> Vec<Value> {
        let mut out = String::new();
        let mut s = Splitter::default();
        for ev in s.push(upstream.as_bytes()) {
            let Some(d) = data(&ev) else { continue };
            if d == b"[DONE]" {
                c.event(None, &mut out);
            } else {
                c.event(Some(&serde_json::from_slice(&d).unwrap()), &mut out);
            }
        }
        c.end(&mut out);
        Splitter::default()
            .push(out.as_bytes())
            .iter()
            .map(|e| {
                let d = data(e).unwrap();
                serde_json::from_slice(&d).unwrap_or(Value::String("[DONE]".into()))
            })
            .collect()
    }

    const ANTHROPIC: &str = concat!(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":4,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"x\\\":1}\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );

    #[test]
    fn anthropic_events_become_chat_chunks() {
        let out = run(Convert::ToChat(MessagesToChat::new(true, 5)), ANTHROPIC);
        let deltas: Vec<&Value> = out
            .iter()
            .filter_map(|c| c.pointer("/choices/0/delta"))
            .collect();
        assert_eq!(deltas[0]["role"], "assistant");
        assert_eq!(deltas[1]["content"], "Hi");
        assert_eq!(deltas[2]["tool_calls"][0]["function"]["name"], "f");
        assert_eq!(
            deltas[3]["tool_calls"][0]["function"]["arguments"],
            "{\"x\":1}"
        );
        assert_eq!(out[4]["choices"][0]["finish_reason"], "tool_calls");
        assert_eq!(
            out[5]["usage"],
            json!({"prompt_tokens": 14, "completion_tokens": 9, "total_tokens": 23, "prompt_tokens_details": {"cached_tokens": 4}})
        );
        assert_eq!(out[6], "[DONE]");
        assert_eq!(out.len(), 7);
        let no_usage = run(Convert::ToChat(MessagesToChat::new(false, 5)), ANTHROPIC);
        assert!(no_usage.iter().all(|c| c.get("usage").is_none()));
    }

    const CHAT: &str = concat!(
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t1\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}\n\n",
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}}]}\n\n",
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":6,\"prompt_tokens_details\":{\"cached_tokens\":10}}}\n\n",
        "data: [DONE]\n\n",
    );

    #[test]
    fn chat_chunks_become_anthropic_events() {
        let out = run(Convert::ToMessages(ChatToMessages::default()), CHAT);
        let types: Vec<&str> = out.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            [
                "message_start",
                "content_block_start",
                "content_block_delta",
                "content_block_delta",
                "content_block_stop",
                "content_block_start",
                "content_block_delta",
                "content_block_stop",
                "message_delta",
                "message_stop"
            ]
        );
        assert_eq!(out[3]["delta"]["text"], "lo");
        assert_eq!(out[5]["content_block"]["name"], "f");
        assert_eq!(out[6]["index"], 1);
        assert_eq!(out[8]["delta"]["stop_reason"], "tool_use");
        assert_eq!(out[8]["usage"]["input_tokens"], 20);
        assert_eq!(out[8]["usage"]["cache_read_input_tokens"], 10);
        assert_eq!(out[8]["usage"]["output_tokens"], 6);
    }

    #[test]
    fn a_chat_stream_cut_short_still_closes_the_message() {
        let cut = CHAT.split("data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"tool").next().unwrap();
        let out = run(Convert::ToMessages(ChatToMessages::default()), cut);
        assert_eq!(out.last().unwrap()["type"], "message_stop");
        assert_eq!(out[out.len() - 2]["delta"]["stop_reason"], "end_turn");
    }
}
