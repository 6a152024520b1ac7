//! Cross-provider routes: an OpenAI chat request answered by an Anthropic
//! model and an Anthropic messages request answered by an OpenAI model,
//! whole and streamed, tool calls included; and the refusal, in the
//! client's format, of a field the other API cannot express.

use serde_json::{json, Value};

use super::mock::TOOL_ARGS;
use super::{bounded, chat, client, kernel_price, log_lines, money, start, KEY};

/// The `data:` payloads of an SSE text (`[DONE]` as a string).
pub fn data_events(text: &str) -> Vec<Value> {
    text.split("\n\n")
        .filter_map(|e| e.lines().find_map(|l| l.strip_prefix("data: ")))
        .map(|d| serde_json::from_str(d).unwrap_or(Value::String(d.to_string())))
        .collect()
}

/// The text a chat-completions stream's events carry, in order.
pub fn chat_text(events: &[Value]) -> String {
    events
        .iter()
        .filter_map(|e| {
            e.pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
        })
        .collect()
}

fn weather_tool_openai() -> Value {
    json!([{"type": "function", "function": {"name": "weather", "description": "The weather in a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_request_is_answered_by_an_anthropic_model_whole_and_streamed() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let mut body = chat("hi");
        body["messages"] =
            json!([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]);
        body["stop"] = json!("END");
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-cost-model"], "claude-haiku-4-5");
        let cost_header = resp.headers()["x-cost-usd"].to_str().unwrap().to_string();
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["object"], "chat.completion");
        assert_eq!(answer["choices"][0]["message"]["content"], "Hello world");
        assert_eq!(answer["choices"][0]["finish_reason"], "stop");
        assert_eq!(answer["usage"]["prompt_tokens"], 12);
        let sent = &h.mock.calls()[0].body;
        assert_eq!(
            sent["system"],
            json!([{"type": "text", "text": "Be brief."}])
        );
        assert_eq!(
            (sent["max_tokens"].as_u64(), &sent["stop_sequences"]),
            (Some(100), &json!(["END"]))
        );
        assert!(sent.get("stop").is_none() && sent["messages"].as_array().unwrap().len() == 1);

        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
        body["tools"] = weather_tool_openai();
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        let evs = data_events(&resp.text().await.unwrap());
        assert_eq!(evs.last().unwrap(), "[DONE]");
        assert_eq!(chat_text(&evs), "Hello world");
        let args: String = evs
            .iter()
            .filter_map(|e| {
                e.pointer("/choices/0/delta/tool_calls/0/function/arguments")
                    .and_then(Value::as_str)
            })
            .collect();
        assert_eq!(args, TOOL_ARGS);
        assert!(evs
            .iter()
            .any(|e| e.pointer("/choices/0/finish_reason") == Some(&json!("tool_calls"))));
        let usage = evs
            .iter()
            .find_map(|e| e.get("usage").filter(|u| u.is_object()))
            .expect("the client asked for the usage chunk");
        assert_eq!(
            (
                usage["prompt_tokens"].as_u64(),
                usage["completion_tokens"].as_u64()
            ),
            (Some(12), Some(5))
        );

        let lines = log_lines(&h.log, 2).await;
        for line in &lines {
            assert_eq!(
                (
                    line["route"].as_str(),
                    line["model"].as_str(),
                    line["outcome"].as_str()
                ),
                (
                    Some("/v1/chat/completions"),
                    Some("claude-haiku-4-5"),
                    Some("ok")
                )
            );
            assert_eq!(line["usage_source"], "upstream");
            assert_eq!(money(&line["cost_usd"]), kernel_price(line));
        }
        assert_eq!(money(&json!(cost_header)), money(&lines[0]["cost_usd"]));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_messages_request_is_answered_by_an_openai_model_whole_and_streamed() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let tools = json!([{"name": "weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]);
        let mut body = json!({"model": "auto", "max_tokens": 64, "system": "Be brief.", "tools": tools, "tool_choice": {"type": "any"},
            "messages": [{"role": "user", "content": "weather in Paris?"}]});
        let resp = client().post(h.url("/v1/messages")).header("x-api-key", KEY).header("anthropic-version", "2023-06-01").json(&body).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-cost-model"], "gpt-4o-mini");
        let answer: Value = resp.json().await.unwrap();
        assert_eq!((answer["type"].as_str(), answer["stop_reason"].as_str()), (Some("message"), Some("tool_use")));
        assert_eq!(answer["content"][0]["name"], "weather");
        assert_eq!(answer["content"][0]["input"], serde_json::from_str::<Value>(TOOL_ARGS).unwrap());
        assert_eq!(answer["usage"]["input_tokens"], 12);
        let sent = &h.mock.calls()[0].body;
        assert_eq!(sent["messages"][0], json!({"role": "system", "content": "Be brief."}));
        assert_eq!((&sent["tool_choice"], sent["max_completion_tokens"].as_u64()), (&json!("required"), Some(64)));
        assert_eq!(sent["tools"][0]["function"]["name"], "weather");

        body["stream"] = json!(true);
        let resp = client().post(h.url("/v1/messages")).header("x-api-key", KEY).json(&body).send().await.unwrap();
        let text = resp.text().await.unwrap();
        let names: Vec<&str> = text.split("\n\n").filter_map(|e| e.strip_prefix("event: ")).map(|e| e.lines().next().unwrap()).collect();
        assert_eq!(names.first(), Some(&"message_start"));
        assert_eq!(names.last(), Some(&"message_stop"));
        let evs = data_events(&text);
        let said: String = evs.iter().filter_map(|e| e.pointer("/delta/text").and_then(Value::as_str)).collect();
        assert_eq!(said, "Hello world");
        let json_in: String = evs.iter().filter_map(|e| e.pointer("/delta/partial_json").and_then(Value::as_str)).collect();
        assert_eq!(json_in, TOOL_ARGS);
        let delta = evs.iter().find(|e| e["type"] == "message_delta").unwrap();
        assert_eq!((delta["delta"]["stop_reason"].as_str(), delta["usage"]["output_tokens"].as_u64()), (Some("tool_use"), Some(5)));
        assert_eq!(h.mock.calls()[1].body["stream_options"]["include_usage"], true);

        let lines = log_lines(&h.log, 2).await;
        for line in &lines {
            assert_eq!((line["route"].as_str(), line["model"].as_str()), (Some("/v1/messages"), Some("gpt-4o-mini")));
            assert_eq!(money(&line["cost_usd"]), kernel_price(line));
        }
        assert_eq!(lines[1]["usage"]["output"], 5);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feature_the_other_api_lacks_is_refused_by_name_in_the_clients_format() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let mut body = chat("hi");
        body["logprobs"] = json!(true);
        let resp = client().post(h.url("/v1/chat/completions")).bearer_auth(KEY).json(&body).send().await.unwrap();
        assert_eq!(resp.status(), 400);
        let e: Value = resp.json().await.unwrap();
        let message = e["error"]["message"].as_str().unwrap();
        assert!(message.contains("`logprobs` cannot be translated"), "{message}");
        assert!(message.contains("claude-haiku-4-5"), "{message}");
        let h2 = start("router", |_| {}).await;
        let msg = json!({"model": "auto", "max_tokens": 10, "top_k": 5, "messages": [{"role": "user", "content": "hi"}]});
        let resp = client().post(h2.url("/v1/messages")).header("x-api-key", KEY).json(&msg).send().await.unwrap();
        assert_eq!(resp.status(), 400);
        let e: Value = resp.json().await.unwrap();
        assert_eq!((e["type"].as_str(), e["error"]["type"].as_str()), (Some("error"), Some("invalid_request_error")));
        assert!(e["error"]["message"].as_str().unwrap().contains("`top_k`"));
        assert!(h.mock.calls().is_empty() && h2.mock.calls().is_empty(), "a refused request reaches no upstream");
        let line = &log_lines(&h.log, 1).await[0];
        assert_eq!(line["outcome"], "bad_request");
    })
    .await;
}
