//! `POST /v1/responses`: classified like the chat endpoints (its `input`
//! and `instructions`), priced exactly from its usage (cached input and
//! reasoning included), whole and streamed, and refused in OpenAI's
//! format where it would need translating.

use serde_json::{json, Value};

use super::{bounded, client, kernel_price, log_lines, money, start, KEY};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responses_request_is_classified_priced_and_logged_whole_and_streamed() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let usage = json!({"prompt": 2000, "output": 300, "cached": 1500, "reasoning": 120});
        let body = json!({"model": "auto", "instructions": "Be rigorous.", "input": "Prove that 2 is prime.", "max_output_tokens": 400, "mock_usage": usage});
        let resp = client().post(h.url("/v1/responses")).bearer_auth(KEY).json(&body).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!((resp.headers()["x-cost-class"].to_str().unwrap(), resp.headers()["x-cost-model"].to_str().unwrap()), ("hard", "gpt-4o"));
        let cost_header = resp.headers()["x-cost-usd"].to_str().unwrap().to_string();
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["output"][0]["content"][0]["text"], "Hello world");
        assert_eq!(h.mock.calls()[0].body["input"], "Prove that 2 is prime.");

        let mut streamed = json!({"model": "auto", "stream": true, "input": [{"role": "user", "content": [{"type": "input_text", "text": "hi"}]}], "mock_usage": usage});
        let resp = client().post(h.url("/v1/responses")).bearer_auth(KEY).json(&streamed).send().await.unwrap();
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
        let resp = client().post(h.url("/v1/responses")).bearer_auth(KEY).json(&streamed).send().await.unwrap();
        let mut stream = resp.bytes_stream();
        for _ in 0..5 {
            futures_util::StreamExt::next(&mut stream).await.unwrap().unwrap();
        }
        drop(stream);
        let line = &log_lines(&h.log, 3).await[2];
        assert_eq!((line["outcome"].as_str(), line["usage_source"].as_str()), (Some("client_disconnected"), Some("estimated")));
        assert!(line["usage"]["output"].as_u64().unwrap() >= 3);
        assert_eq!(money(&line["cost_usd"]), kernel_price(line));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_responses_request_routed_to_an_anthropic_model_is_refused_in_openai_format() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let body = json!({"model": "auto", "input": "hi"});
        let resp = client()
            .post(h.url("/v1/responses"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        let e: Value = resp.json().await.unwrap();
        let message = e["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("does not translate the Responses API")
                && message.contains("/v1/messages"),
            "{message}"
        );
        assert!(h.mock.calls().is_empty());
        let dry = client()
            .post(h.url("/v1/responses"))
            .bearer_auth(KEY)
            .header("x-cost-dry-run", "1")
            .json(&json!({"model": "gpt-4o", "input": "hi"}))
            .send()
            .await
            .unwrap();
        let d: Value = dry.json().await.unwrap();
        assert_eq!(
            (d["model"].as_str(), d["upstream"].as_str()),
            (Some("gpt-4o"), Some("/v1/responses"))
        );
    })
    .await;
}
