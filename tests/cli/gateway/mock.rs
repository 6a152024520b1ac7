//! Mock OpenAI and Anthropic upstreams on 127.0.0.1:0. What a call does is
//! chosen by fields of the request body, which the gateway forwards as
//! sent: `mock` (`ok`, `fail`, `fail_model:ID`, `stall`, `reject`, `slow`)
//! and `mock_usage` (`{"prompt": n, "output": m}`). A request that
//! `mock_answer` (`{MODEL: {"text": .., "finish": ..}}`) sets a chat
//! answer per model (cascade verifiers); a judge whose system message is
//! `JUDGE-MOCK` passes exactly the answers that say "good". A request that
//! declares tools is answered with a call of the first one (arguments
//! `{"city":"Paris"}`), so translated tool calls can be checked. A
//! translated request, whose translator refuses unknown fields, carries
//! `mock` and `mock_usage` in its user id instead: `metadata.user_id` =
//! `mock:{"mock": .., "mock_usage": ..}`. The Anthropic mock reports
//! `mock_usage.cached` and `mock_usage.cache_write` as cache reads and
//! writes. Every call is recorded.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

/// One call the mock received: the model, the headers it checks, the body.
#[derive(Debug, Clone)]
pub struct Call {
    pub model: String,
    pub auth: Option<String>,
    pub body: Value,
}

#[derive(Clone, Default)]
pub struct Mock {
    pub calls: Arc<Mutex<Vec<Call>>>,
}

impl Mock {
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

/// The three APIs' routes, recording into `mock`.
pub fn app(mock: &Mock) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(openai))
        .route("/v1/messages", post(anthropic))
        .route("/v1/responses", post(responses))
        .with_state(mock.clone())
}

/// Starts both APIs on one port; the server stops with the test's runtime.
pub async fn start() -> (SocketAddr, Mock) {
    let mock = Mock::default();
    let app = app(&mock);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, mock)
}

fn record(mock: &Mock, headers: &HeaderMap, body: &Value) -> (String, String, u64, u64) {
    let model = body["model"].as_str().unwrap_or_default().to_string();
    let auth = headers
        .get("authorization")
        .or_else(|| headers.get("x-api-key"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    mock.calls.lock().unwrap().push(Call {
        model: model.clone(),
        auth,
        body: body.clone(),
    });
    let fields = mock_fields(body);
    let mode = fields["mock"].as_str().unwrap_or("ok").to_string();
    let n = |k: &str, default: u64| usage_field(&fields, k).unwrap_or(default);
    (model, mode, n("prompt", 12), n("output", 5))
}

/// The body's own `mock` fields, or those its user id carries.
fn mock_fields(body: &Value) -> Value {
    let in_user = body
        .pointer("/metadata/user_id")
        .and_then(Value::as_str)
        .and_then(|u| u.strip_prefix("mock:"));
    match in_user {
        Some(fields) => serde_json::from_str(fields).unwrap(),
        None => body.clone(),
    }
}

fn usage_field(fields: &Value, k: &str) -> Option<u64> {
    fields
        .pointer(&format!("/mock_usage/{k}"))
        .and_then(Value::as_u64)
}

/// `Some(response)` when the mode fails this call.
async fn failure(mode: &str, model: &str, api: &str) -> Option<Response> {
    let fail = mode == "fail" || mode.strip_prefix("fail_model:") == Some(model);
    if fail {
        return Some((StatusCode::INTERNAL_SERVER_ERROR, "upstream exploded").into_response());
    }
    if mode == "stall" {
        tokio::time::sleep(Duration::from_hours(1)).await;
    }
    if mode == "reject" {
        let body = if api == "openai" {
            json!({"error": {"message": "mock rejects this", "type": "invalid_request_error"}})
        } else {
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": "mock rejects this"}})
        };
        return Some((StatusCode::BAD_REQUEST, axum::Json(body)).into_response());
    }
    None
}

fn sse(events: Vec<String>, slow: bool, forever: Option<String>) -> Response {
    let stream = futures_util::stream::unfold(
        (events.into_iter(), forever),
        move |(mut it, forever)| async move {
            if slow {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let next = it.next().or_else(|| forever.clone())?;
            Some((Ok::<_, Infallible>(Bytes::from(next)), (it, forever)))
        },
    );
    (
        [("content-type", "text/event-stream")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn openai(State(mock): State<Mock>, headers: HeaderMap, body: axum::Json<Value>) -> Response {
    let (model, mode, prompt, output) = record(&mock, &headers, &body);
    if let Some(r) = failure(&mode, &model, "openai").await {
        return r;
    }
    let usage = json!({"prompt_tokens": prompt, "completion_tokens": output, "total_tokens": prompt + output,
        "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0}});
    let tool = first_tool(&body, "/tools/0/function/name");
    if body["stream"] != json!(true) {
        let (mut message, mut finish) = match &tool {
            Some(name) => (
                json!({"role": "assistant", "content": null, "tool_calls": [{"id": "call_mock", "type": "function", "function": {"name": name, "arguments": TOOL_ARGS}}]}),
                "tool_calls".to_string(),
            ),
            None => (
                json!({"role": "assistant", "content": "Hello world"}),
                "stop".to_string(),
            ),
        };
        if let Some(a) = body.get("mock_answer").and_then(|a| a.get(&model)) {
            message["content"] = a["text"].clone();
            finish = a["finish"].as_str().unwrap_or("stop").to_string();
        }
        // A judge told "JUDGE-MOCK" passes exactly the answers that say "good".
        if body.pointer("/messages/0/content") == Some(&json!("JUDGE-MOCK")) {
            let asked = body.pointer("/messages/1/content").and_then(Value::as_str);
            let good = asked.is_some_and(|q| q.contains("Answer:\ngood"));
            message["content"] = json!(if good { "PASS" } else { "FAIL: not good" });
        }
        return axum::Json(json!({"id": "chatcmpl-mock", "object": "chat.completion", "created": 1_764_590_400, "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": usage})).into_response();
    }
    let with_usage = body.pointer("/stream_options/include_usage") == Some(&json!(true));
    let chunk = |delta: Value, finish: Value| {
        let mut c = json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
        if with_usage {
            c["usage"] = Value::Null;
        }
        format!("data: {c}\n\n")
    };
    let mut events = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    for piece in ["Hello", " wor", "ld"] {
        events.push(chunk(json!({"content": piece}), Value::Null));
    }
    if let Some(name) = &tool {
        events.push(chunk(json!({"tool_calls": [{"index": 0, "id": "call_mock", "type": "function", "function": {"name": name, "arguments": ""}}]}), Value::Null));
        events.push(chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": TOOL_ARGS}}]}),
            Value::Null,
        ));
    }
    let forever = (mode == "slow").then(|| chunk(json!({"content": " more"}), Value::Null));
    if forever.is_none() {
        let finish = if tool.is_some() { "tool_calls" } else { "stop" };
        events.push(chunk(json!({}), json!(finish)));
        if with_usage {
            let last = json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1, "model": model, "choices": [], "usage": usage});
            events.push(format!("data: {last}\n\n"));
        }
        events.push("data: [DONE]\n\n".into());
    }
    sse(events, mode == "slow", forever)
}

async fn anthropic(
    State(mock): State<Mock>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> Response {
    let (model, mode, prompt, output) = record(&mock, &headers, &body);
    if let Some(r) = failure(&mode, &model, "anthropic").await {
        return r;
    }
    let tool = first_tool(&body, "/tools/0/name");
    let fields = mock_fields(&body);
    let cached = usage_field(&fields, "cached").unwrap_or(0);
    let cache_write = usage_field(&fields, "cache_write").unwrap_or(0);
    if body["stream"] != json!(true) {
        let mut content = vec![json!({"type": "text", "text": "Hello world"})];
        if let Some(name) = &tool {
            content.push(json!({"type": "tool_use", "id": "toolu_mock", "name": name, "input": serde_json::from_str::<Value>(TOOL_ARGS).unwrap()}));
        }
        let stop = if tool.is_some() {
            "tool_use"
        } else {
            "end_turn"
        };
        return axum::Json(json!({"id": "msg_mock", "type": "message", "role": "assistant", "model": model,
            "content": content, "stop_reason": stop, "stop_sequence": null,
            "usage": {"input_tokens": prompt, "output_tokens": output, "cache_read_input_tokens": cached, "cache_creation_input_tokens": cache_write}})).into_response();
    }
    let ev = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
    let mut events = vec![
        ev(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_mock", "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": prompt, "output_tokens": 1, "cache_read_input_tokens": cached, "cache_creation_input_tokens": cache_write}}}),
        ),
        ev(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
    ];
    for piece in ["Hello", " wor", "ld"] {
        events.push(ev("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}})));
    }
    let forever = (mode == "slow").then(|| ev("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " more"}})));
    if forever.is_none() {
        events.push(ev(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ));
        if let Some(name) = &tool {
            events.push(ev("content_block_start", json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_mock", "name": name, "input": {}}})));
            events.push(ev("content_block_delta", json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": TOOL_ARGS}})));
            events.push(ev(
                "content_block_stop",
                json!({"type": "content_block_stop", "index": 1}),
            ));
        }
        let stop = if tool.is_some() {
            "tool_use"
        } else {
            "end_turn"
        };
        events.push(ev("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": output}})));
        events.push(ev("message_stop", json!({"type": "message_stop"})));
    }
    sse(events, mode == "slow", forever)
}

/// The arguments of the mock's tool calls.
pub const TOOL_ARGS: &str = r#"{"city":"Paris"}"#;

fn first_tool(body: &Value, pointer: &str) -> Option<String> {
    body.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The OpenAI Responses API: `output_text` deltas, then
/// `response.completed` with the usage (`mock_usage.cached` and
/// `mock_usage.reasoning` fill its details).
async fn responses(
    State(mock): State<Mock>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> Response {
    let (model, mode, prompt, output) = record(&mock, &headers, &body);
    if let Some(r) = failure(&mode, &model, "openai").await {
        return r;
    }
    let n = |k: &str| usage_field(&body, k).unwrap_or(0);
    let usage = json!({"input_tokens": prompt, "input_tokens_details": {"cached_tokens": n("cached")},
        "output_tokens": output, "output_tokens_details": {"reasoning_tokens": n("reasoning")}, "total_tokens": prompt + output});
    let message = json!({"type": "message", "id": "msg_mock", "status": "completed", "role": "assistant",
        "content": [{"type": "output_text", "text": "Hello world", "annotations": []}]});
    let response = |status: &str, output: Value, usage: Value| {
        json!({"id": "resp_mock", "object": "response", "created_at": 1_764_590_400,
        "status": status, "model": model, "output": output, "usage": usage})
    };
    if body["stream"] != json!(true) {
        return axum::Json(response("completed", json!([message]), usage)).into_response();
    }
    let ev = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
    let mut events = vec![ev(
        "response.created",
        json!({"type": "response.created", "sequence_number": 0, "response": response("in_progress", json!([]), Value::Null)}),
    )];
    for (i, piece) in ["Hello", " wor", "ld"].iter().enumerate() {
        events.push(ev("response.output_text.delta", json!({"type": "response.output_text.delta", "sequence_number": i + 1, "item_id": "msg_mock", "output_index": 0, "content_index": 0, "delta": piece})));
    }
    let forever = (mode == "slow").then(|| ev("response.output_text.delta", json!({"type": "response.output_text.delta", "sequence_number": 9, "item_id": "msg_mock", "output_index": 0, "content_index": 0, "delta": " more"})));
    if forever.is_none() {
        events.push(ev("response.completed", json!({"type": "response.completed", "sequence_number": 4, "response": response("completed", json!([message]), usage)})));
    }
    sse(events, mode == "slow", forever)
}
