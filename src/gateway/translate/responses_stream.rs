//! An Anthropic message stream as OpenAI Responses events, event by event:
//! `message_start` opens `response.created` and `response.in_progress`; a
//! text block is a `message` item (`response.output_item.added`,
//! `response.content_part.added`, `response.output_text.delta`s, and at
//! its `content_block_stop` the `.done` events); a `tool_use` block is a
//! `function_call` item fed by `response.function_call_arguments.delta`s;
//! `message_stop` sends `response.completed` (`response.incomplete` at
//! `max_tokens`) with the whole response and its usage, as the API does.
//! Each upstream event is written out at once; the text of the items is
//! kept only to repeat it in the `.done` events and the final response.
//! A stream that ends before `message_stop` closes with
//! `response.failed`; an upstream `error` event becomes an `error` event.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::responses_answer::{
    call_item, call_item_id, message_item, message_item_id, response_object, text_part,
};
use super::stream::merge_usage;

/// The item an open Anthropic content block is streaming into.
#[derive(Debug)]
struct Open {
    block: u64,
    output_index: usize,
    item_id: String,
    /// `None`: a text block; else a `tool_use` block's (call id, name).
    call: Option<(Value, Value)>,
    /// The text or the arguments so far.
    text: String,
}

/// Anthropic message events to Responses events.
#[derive(Debug)]
pub struct MessagesToResponses {
    created_at: i64,
    sequence: u64,
    id: String,
    model: Value,
    open: Option<Open>,
    /// The finished output items.
    output: Vec<Value>,
    stop: Option<String>,
    usage: Map<String, Value>,
    started: bool,
    finished: bool,
}

impl MessagesToResponses {
    pub fn new(created_at: i64) -> MessagesToResponses {
        MessagesToResponses {
            created_at,
            sequence: 0,
            id: String::new(),
            model: Value::Null,
            open: None,
            output: Vec::new(),
            stop: None,
            usage: Map::new(),
            started: false,
            finished: false,
        }
    }

    /// Writes one event, numbered.
    fn emit(&mut self, kind: &str, mut data: Value, out: &mut String) {
        data["type"] = json!(kind);
        data["sequence_number"] = json!(self.sequence);
        self.sequence += 1;
        let _ = write!(out, "event: {kind}\ndata: {data}\n\n");
    }

    fn response(&self, stop: Option<&str>) -> Value {
        let usage = stop.map(|_| Value::Object(self.usage.clone()));
        response_object(
            &self.id,
            &self.model,
            self.created_at,
            stop,
            self.output.clone(),
            usage.as_ref(),
        )
    }

    pub fn event(&mut self, d: &Value, out: &mut String) {
        if self.finished {
            return;
        }
        let s = |p: &str| d.pointer(p).and_then(Value::as_str);
        match s("/type") {
            Some("message_start") => {
                self.started = true;
                self.id = s("/message/id").unwrap_or_default().to_string();
                self.model = d.pointer("/message/model").cloned().unwrap_or(Value::Null);
                merge_usage(&mut self.usage, d.pointer("/message/usage"));
                let r = self.response(None);
                self.emit("response.created", json!({"response": r}), out);
                self.emit("response.in_progress", json!({"response": r}), out);
            }
            Some("content_block_start") => self.open_block(d, out),
            Some("content_block_delta") => {
                let index = d["index"].as_u64().unwrap_or(0);
                let piece = s("/delta/text").or_else(|| s("/delta/partial_json"));
                if let Some(piece) = piece {
                    self.delta(index, piece, out);
                }
            }
            Some("content_block_stop") => self.close_block(out),
            Some("message_delta") => {
                merge_usage(&mut self.usage, d.get("usage"));
                if let Some(stop) = s("/delta/stop_reason") {
                    self.stop = Some(stop.to_string());
                }
            }
            Some("message_stop") => {
                self.close_block(out);
                self.finished = true;
                let stop = self.stop.clone().unwrap_or_else(|| "end_turn".into());
                let r = self.response(Some(&stop));
                let kind = if r["status"] == "incomplete" {
                    "response.incomplete"
                } else {
                    "response.completed"
                };
                self.emit(kind, json!({"response": r}), out);
            }
            Some("error") => {
                self.finished = true;
                let e = json!({"code": d.pointer("/error/type"), "message": d.pointer("/error/message"), "param": null});
                self.emit("error", e, out);
            }
            _ => {}
        }
    }

    fn open_block(&mut self, d: &Value, out: &mut String) {
        self.close_block(out);
        let block = d["index"].as_u64().unwrap_or(0);
        let b = d.get("content_block").unwrap_or(&Value::Null);
        let output_index = self.output.len();
        let (open, item) = match b.get("type").and_then(Value::as_str) {
            Some("text") => {
                let item_id = message_item_id(&self.id, block);
                let item = message_item(&item_id, "in_progress", Vec::new());
                (
                    Open {
                        block,
                        output_index,
                        item_id,
                        call: None,
                        text: String::new(),
                    },
                    item,
                )
            }
            Some("tool_use") => {
                let (call_id, name) = (b["id"].clone(), b["name"].clone());
                let item = call_item(&call_id, &name, "", "in_progress");
                let item_id = call_item_id(call_id.as_str().unwrap_or_default());
                (
                    Open {
                        block,
                        output_index,
                        item_id,
                        call: Some((call_id, name)),
                        text: String::new(),
                    },
                    item,
                )
            }
            _ => return,
        };
        self.emit(
            "response.output_item.added",
            json!({"output_index": output_index, "item": item}),
            out,
        );
        if open.call.is_none() {
            let at = json!({"item_id": open.item_id, "output_index": output_index, "content_index": 0, "part": text_part("", false)});
            self.emit("response.content_part.added", at, out);
        }
        let initial = b
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.open = Some(open);
        if !initial.is_empty() {
            self.delta(block, &initial, out);
        }
    }

    fn delta(&mut self, block: u64, piece: &str, out: &mut String) {
        let Some(open) = self.open.as_mut().filter(|o| o.block == block) else {
            return;
        };
        open.text.push_str(piece);
        let (item_id, output_index, call) =
            (open.item_id.clone(), open.output_index, open.call.is_some());
        if call {
            let e = json!({"item_id": item_id, "output_index": output_index, "delta": piece});
            self.emit("response.function_call_arguments.delta", e, out);
        } else {
            let e = json!({"item_id": item_id, "output_index": output_index, "content_index": 0, "delta": piece, "logprobs": []});
            self.emit("response.output_text.delta", e, out);
        }
    }

    fn close_block(&mut self, out: &mut String) {
        let Some(open) = self.open.take() else {
            return;
        };
        let (id, index) = (&open.item_id, open.output_index);
        let item = match &open.call {
            None => {
                let at = |extra: (&str, Value)| {
                    let mut e = json!({"item_id": id, "output_index": index, "content_index": 0});
                    e[extra.0] = extra.1;
                    e
                };
                let part = text_part(&open.text, false);
                self.emit(
                    "response.output_text.done",
                    at(("text", json!(open.text))),
                    out,
                );
                self.emit(
                    "response.content_part.done",
                    at(("part", part.clone())),
                    out,
                );
                message_item(id, "completed", vec![part])
            }
            Some((call_id, name)) => {
                let args = if open.text.is_empty() {
                    "{}"
                } else {
                    &open.text
                };
                let e = json!({"item_id": id, "output_index": index, "arguments": args});
                self.emit("response.function_call_arguments.done", e, out);
                call_item(call_id, name, args, "completed")
            }
        };
        self.emit(
            "response.output_item.done",
            json!({"output_index": index, "item": item}),
            out,
        );
        self.output.push(item);
    }

    /// The stream ended: one cut short of `message_stop` fails.
    pub fn end(&mut self, out: &mut String) {
        if self.finished || !self.started {
            return;
        }
        self.close_block(out);
        self.finished = true;
        let mut r = self.response(Some("end_turn"));
        r["status"] = json!("failed");
        r["error"] = json!({"code": "server_error", "message": "the upstream stream ended before its message did"});
        self.emit("response.failed", json!({"response": r}), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::sse::{data, Splitter};

    /// The Responses events `upstream` (Anthropic SSE text) becomes, each
    /// as (event name, payload), and whether each name matches its type.
    fn run(upstream: &str) -> Vec<Value> {
        let mut c = MessagesToResponses::new(5);
        let mut out = String::new();
        for ev in Splitter::default().push(upstream.as_bytes()) {
            if let Some(d) = data(&ev) {
                c.event(&serde_json::from_slice(&d).unwrap(), &mut out);
            }
        }
        c.end(&mut out);
        out.split_terminator("\n\n")
            .map(|e| {
                let (name, d) = e.split_once('\n').unwrap();
                let v: Value = serde_json::from_str(d.strip_prefix("data: ").unwrap()).unwrap();
                assert_eq!(name.strip_prefix("event: "), v["type"].as_str());
                v
            })
            .collect()
    }

    const ANTHROPIC: &str = concat!(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":4,\"cache_creation_input_tokens\":2,\"output_tokens\":1}}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"x\\\":\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );

    #[test]
    fn anthropic_events_become_responses_events() {
        let out = run(ANTHROPIC);
        let types: Vec<&str> = out.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            [
                "response.created",
                "response.in_progress",
                "response.output_item.added",
                "response.content_part.added",
                "response.output_text.delta",
                "response.output_text.delta",
                "response.output_text.done",
                "response.content_part.done",
                "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.done",
                "response.output_item.done",
                "response.completed",
            ]
        );
        let numbers: Vec<u64> = out
            .iter()
            .map(|e| e["sequence_number"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers, (0..15).collect::<Vec<u64>>());
        assert_eq!(out[0]["response"]["status"], "in_progress");
        assert_eq!(
            (out[4]["delta"].as_str(), out[4]["item_id"].as_str()),
            (Some("Hi"), Some("m1_0"))
        );
        assert_eq!(out[6]["text"], "Hi there");
        assert_eq!(
            (
                out[9]["output_index"].as_u64(),
                out[9]["item"]["call_id"].as_str()
            ),
            (Some(1), Some("t1"))
        );
        assert_eq!(out[12]["arguments"], "{\"x\":1}");
        let done = &out[14]["response"];
        assert_eq!(done["status"], "completed");
        assert_eq!(done["output"][0]["content"][0]["text"], "Hi there");
        assert_eq!(done["output"][1]["arguments"], "{\"x\":1}");
        assert_eq!(
            done["usage"],
            json!({"input_tokens": 16, "input_tokens_details": {"cached_tokens": 4}, "output_tokens": 9, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 25})
        );
    }

    #[test]
    fn a_stream_at_max_tokens_is_incomplete_and_one_cut_short_failed() {
        let at_max = ANTHROPIC.replace(
            "\"stop_reason\":\"tool_use\"",
            "\"stop_reason\":\"max_tokens\"",
        );
        let last = run(&at_max).pop().unwrap();
        assert_eq!(
            (
                last["type"].as_str(),
                last["response"]["incomplete_details"]["reason"].as_str()
            ),
            (Some("response.incomplete"), Some("max_output_tokens"))
        );
        let cut: String = ANTHROPIC.split_inclusive("\n\n").take(4).collect();
        let out = run(&cut);
        let types: Vec<&str> = out.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            &types[types.len() - 4..],
            [
                "response.output_text.done",
                "response.content_part.done",
                "response.output_item.done",
                "response.failed"
            ]
        );
        assert_eq!(
            out.last().unwrap()["response"]["output"][0]["content"][0]["text"],
            "Hi"
        );
        let error = run("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}\n\n");
        assert_eq!(
            (error[0]["type"].as_str(), error[0]["code"].as_str()),
            (Some("error"), Some("overloaded_error"))
        );
    }
}
