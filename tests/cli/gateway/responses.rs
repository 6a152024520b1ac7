//! `POST /v1/responses`: classified like the chat endpoints (its `input`
//! and `instructions`), priced exactly from its usage (cached input and
//! reasoning included), whole and streamed; routed to an Anthropic model,
//! translated both ways and priced from Anthropic's usage (cache writes
//! included), or refused in OpenAI's format where a field cannot be
//! translated.

use serde_json::{json, Value};

use super::mock::TOOL_ARGS;
use super::translate::data_events;
use super::{bounded, client, kernel_price, log_lines, money, start, Harness, KEY};

/// `POST /v1/responses` with the team key.
async fn post(h: &Harness, body: &Value) -> reqwest::Response {
    let req = client().post(h.url("/v1/responses")).bearer_auth(KEY);
    req.json(body).send().await.unwrap()
}

/// Reads `n` chunks of a stream, then hangs up.
async fn leave_after(resp: reqwest::Response, n: usize) {
    let mut stream = resp.bytes_stream();
    for _ in 0..n {
        futures_util::StreamExt::next(&mut stream)
            .await
            .unwrap()
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responses_request_is_classified_priced_and_logged_whole_and_streamed() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let usage = json!({"prompt": 2000, "output": 300, "cached": 1500, "reasoning": 120});
        let body = json!({"model": "auto", "instructions": "Be rigorous.", "input": "Prove that 2 is prime.", "max_output_tokens": 400, "mock_usage": usage});
        let resp = post(&h, &body).await;
        assert_eq!(resp.status(), 200);
        assert_eq!((resp.headers()["x-cost-class"].to_str().unwrap(), resp.headers()["x-cost-model"].to_str().unwrap()), ("hard", "gpt-4o"));
        let cost_header = resp.headers()["x-cost-usd"].to_str().unwrap().to_string();
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["output"][0]["content"][0]["text"], "Hello world");
        assert_eq!(h.mock.calls()[0].body["input"], "Prove that 2 is prime.");

        let mut streamed = json!({"model": "auto", "stream": true, "input": [{"role": "user", "content": [{"type": "input_text", "text": "hi"}]}], "mock_usage": usage});
        let resp = post(&h, &streamed).await;
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        assert_eq!(resp.headers()["x-cost-model"], "gpt-4o-mini");
        let text = resp.text().await.unwrap();
        assert!(text.contains("event: response.output_text.delta") && text.contains("event: response.completed"));
        assert!(h.mock.calls()[1].body.get("stream_options").is_none(), "the Responses API reports usage unasked");

        let lines = log_lines(&h.log, 2).await;
        for line in &lines {
            assert_eq!((line["route"].as_str(), line["outcome"].as_str(), line["usage_source"].as_str()), (Some("/v1/responses"), Some("ok"), Some("upstream")));
            assert_eq!((line["usage"]["input"].as_u64(), line["usage"]["cache_read"].as_u64()), (Some(2000), Some(1500)));
            assert_eq!(line["usage"]["output"].as_u64().unwrap() + line["usage"]["reasoning"].as_u64().unwrap(), 300);
            assert!(line["usage"]["reasoning"].as_u64().unwrap() > 0);
            assert_eq!(money(&line["cost_usd"]), kernel_price(line));
        }
        assert_eq!((lines[0]["class"].as_str(), lines[1]["class"].as_str()), (Some("hard"), Some("easy")));
        assert_eq!(money(&json!(cost_header)), money(&lines[0]["cost_usd"]));
        assert_eq!(lines[0]["baseline_model"], "gpt-4o");

        // A client that leaves mid-stream is charged what it consumed.
        streamed["mock"] = json!("slow");
        let resp = post(&h, &streamed).await;
        leave_after(resp, 5).await;
        let line = &log_lines(&h.log, 3).await[2];
        assert_eq!((line["outcome"].as_str(), line["usage_source"].as_str()), (Some("client_disconnected"), Some("estimated")));
        assert!(line["usage"]["output"].as_u64().unwrap() >= 3);
        assert_eq!(money(&line["cost_usd"]), kernel_price(line));
    })
    .await;
}

/// The user id that carries mock settings through the translator.
fn mock_user(fields: &Value) -> Value {
    json!(format!("mock:{fields}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responses_request_is_answered_by_an_anthropic_model_whole_and_streamed() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let usage = json!({"mock_usage": {"prompt": 300, "output": 40, "cached": 1200, "cache_write": 500}});
        let tools = json!([{"type": "function", "name": "weather", "description": "The weather in a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]);
        let mut body = json!({"model": "auto", "instructions": "Be brief.", "max_output_tokens": 64, "store": false, "tools": tools, "user": mock_user(&usage),
            "input": [{"role": "user", "content": [{"type": "input_text", "text": "weather in Paris?"}]},
                {"type": "function_call", "call_id": "toolu_0", "name": "weather", "arguments": TOOL_ARGS},
                {"type": "function_call_output", "call_id": "toolu_0", "output": "rain"},
                {"type": "message", "role": "user", "content": "and tomorrow?"}]});
        let resp = post(&h, &body).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-cost-model"], "claude-haiku-4-5");
        let cost_header = resp.headers()["x-cost-usd"].to_str().unwrap().to_string();
        let answer: Value = resp.json().await.unwrap();
        assert_eq!((answer["object"].as_str(), answer["status"].as_str()), (Some("response"), Some("completed")));
        assert_eq!(answer["output"][0]["content"][0], json!({"type": "output_text", "text": "Hello world", "annotations": []}));
        assert_eq!((answer["output"][1]["type"].as_str(), answer["output"][1]["name"].as_str()), (Some("function_call"), Some("weather")));
        assert_eq!(answer["output"][1]["arguments"], TOOL_ARGS);
        assert_eq!(answer["usage"]["input_tokens"], 300 + 1200 + 500);
        assert_eq!(answer["usage"]["input_tokens_details"]["cached_tokens"], 1200);
        assert_eq!(answer["usage"]["total_tokens"], 300 + 1200 + 500 + 40);
        let sent = &h.mock.calls()[0].body;
        assert_eq!(sent["system"], json!([{"type": "text", "text": "Be brief."}]));
        assert_eq!((sent["max_tokens"].as_u64(), sent["tools"][0]["name"].as_str()), (Some(64), Some("weather")));
        let turns: Vec<&str> = sent["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
        assert_eq!(turns, ["user", "assistant", "user"]);
        assert_eq!(sent["messages"][1]["content"][0]["type"], "tool_use");
        assert_eq!(sent["messages"][2]["content"][0], json!({"type": "tool_result", "tool_use_id": "toolu_0", "content": [{"type": "text", "text": "rain"}]}));

        body["stream"] = json!(true);
        let resp = post(&h, &body).await;
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        let text = resp.text().await.unwrap();
        let names: Vec<&str> = text.split("\n\n").filter_map(|e| e.strip_prefix("event: ")).map(|e| e.lines().next().unwrap()).collect();
        assert_eq!(names[..4], ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
        assert_eq!(names.last(), Some(&"response.completed"));
        let evs = data_events(&text);
        let of = |kind: &str| -> String {
            evs.iter().filter(|e| e["type"] == kind).filter_map(|e| e["delta"].as_str()).collect()
        };
        assert_eq!(of("response.output_text.delta"), "Hello world");
        assert_eq!(of("response.function_call_arguments.delta"), TOOL_ARGS);
        let done = &evs.last().unwrap()["response"];
        assert_eq!(done["output"][1]["arguments"], TOOL_ARGS);
        assert_eq!((done["usage"]["input_tokens"].as_u64(), done["usage"]["output_tokens"].as_u64()), (Some(2000), Some(40)));

        let lines = log_lines(&h.log, 2).await;
        for line in &lines {
            assert_eq!((line["route"].as_str(), line["model"].as_str(), line["outcome"].as_str()), (Some("/v1/responses"), Some("claude-haiku-4-5"), Some("ok")));
            assert_eq!(line["usage_source"], "upstream");
            assert_eq!((line["usage"]["cache_read"].as_u64(), line["usage"]["cache_write"].as_u64(), line["usage"]["output"].as_u64()), (Some(1200), Some(500), Some(40)));
            assert_eq!(money(&line["cost_usd"]), kernel_price(line));
        }
        assert_eq!(money(&json!(cost_header)), money(&lines[0]["cost_usd"]));

        // A client that leaves mid-stream is charged what it consumed.
        let streamed = json!({"model": "auto", "stream": true, "input": "hi", "user": mock_user(&json!({"mock": "slow", "mock_usage": {"prompt": 400}}))});
        let resp = post(&h, &streamed).await;
        leave_after(resp, 8).await;
        let line = &log_lines(&h.log, 3).await[2];
        assert_eq!((line["outcome"].as_str(), line["model"].as_str()), (Some("client_disconnected"), Some("claude-haiku-4-5")));
        assert_eq!(line["usage"]["input"], 400);
        assert!(line["usage"]["output"].as_u64().unwrap() >= 3);
        assert_eq!(money(&line["cost_usd"]), kernel_price(line));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untranslatable_responses_field_is_refused_by_name_in_openai_format() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let cases = [
            (
                json!({"previous_response_id": "resp_1"}),
                "previous_response_id",
            ),
            (json!({"tools": [{"type": "web_search"}]}), "tools[0]"),
            (
                json!({"text": {"format": {"type": "json_schema", "name": "x", "schema": {}}}}),
                "text.format",
            ),
        ];
        for (extra, field) in &cases {
            let mut body = json!({"model": "auto", "input": "hi"});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            let resp = post(&h, &body).await;
            assert_eq!(resp.status(), 400);
            let e: Value = resp.json().await.unwrap();
            assert_eq!(e["error"]["type"], "invalid_request_error");
            let message = e["error"]["message"].as_str().unwrap();
            assert!(
                message.contains(&format!(
                    "`{field}` cannot be translated from the OpenAI Responses format"
                )),
                "{message}"
            );
            assert!(
                message.contains("claude-haiku-4-5") && message.contains("/v1/messages"),
                "{message}"
            );
        }
        assert!(
            h.mock.calls().is_empty(),
            "a refused request reaches no upstream"
        );
        let lines = log_lines(&h.log, cases.len()).await;
        assert!(lines.iter().all(|l| l["outcome"] == "bad_request"));
        let dry = client()
            .post(h.url("/v1/responses"))
            .bearer_auth(KEY)
            .header("x-cost-dry-run", "1")
            .json(&json!({"model": "auto", "input": "hi"}))
            .send()
            .await
            .unwrap();
        let d: Value = dry.json().await.unwrap();
        assert_eq!(
            (d["model"].as_str(), d["upstream"].as_str()),
            (Some("claude-haiku-4-5"), Some("/v1/messages"))
        );
    })
    .await;
}
