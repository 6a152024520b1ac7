//! Streams: passed through event by event, usage captured from the final
//! chunk, a client that leaves mid-stream still charged what it consumed,
//! and `cost replay` reproducing the gateway's totals from its log.

use futures_util::StreamExt;
use serde_json::json;

use super::translate::{chat_text, data_events};
use super::{bounded, chat, client, kernel_price, log_lines, money, start, KEY};
use crate::Cost;

async fn events(resp: reqwest::Response) -> Vec<String> {
    let text = resp.text().await.unwrap();
    text.split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_streams_carry_usage_only_when_the_client_asked() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let mut body = chat("hi");
        body["stream"] = json!(true);
        body["mock_usage"] = json!({"prompt": 70, "output": 9});
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        let evs = events(resp).await;
        assert_eq!(evs.last().unwrap(), "data: [DONE]");
        assert!(
            evs.iter().all(|e| !e.contains("\"prompt_tokens\"")),
            "the usage chunk the gateway asked for is removed"
        );
        assert_eq!(chat_text(&data_events(&evs.join("\n\n"))), "Hello world");
        assert_eq!(
            h.mock.calls()[0].body["stream_options"]["include_usage"],
            true
        );
        body["stream_options"] = json!({"include_usage": true});
        let evs = events(
            client()
                .post(h.url("/v1/chat/completions"))
                .bearer_auth(KEY)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert!(evs.iter().any(|e| e.contains("\"prompt_tokens\":70")));
        let lines = log_lines(&h.log, 2).await;
        for line in &lines {
            assert_eq!(
                (line["outcome"].as_str(), line["usage_source"].as_str()),
                (Some("ok"), Some("upstream"))
            );
            assert_eq!(line["usage"]["output"], 9);
            assert_eq!(money(&line["cost_usd"]), kernel_price(line));
            assert!(line["ttft_s"].as_f64().unwrap() <= line["latency_s"].as_f64().unwrap());
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_streams_are_priced_from_start_and_delta_usage() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let body = json!({"model": "auto", "max_tokens": 64, "stream": true, "messages": [{"role": "user", "content": "prove it"}], "mock_usage": {"prompt": 3000, "output": 77}});
        let resp = client().post(h.url("/v1/messages")).header("x-api-key", KEY).json(&body).send().await.unwrap();
        assert_eq!(resp.headers()["x-cost-model"], "claude-sonnet-4-5");
        let evs = events(resp).await;
        assert!(evs.first().unwrap().starts_with("event: message_start"));
        assert!(evs.last().unwrap().starts_with("event: message_stop"));
        let line = &log_lines(&h.log, 1).await[0];
        assert_eq!((line["usage"]["input"].as_u64(), line["usage"]["output"].as_u64()), (Some(3000), Some(77)));
        assert_eq!(money(&line["cost_usd"]), kernel_price(line));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_leaves_mid_stream_is_still_charged_what_it_consumed() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let body = json!({"model": "auto", "max_tokens": 500, "stream": true, "mock": "slow", "messages": [{"role": "user", "content": "hi"}], "mock_usage": {"prompt": 400}});
        let resp = client().post(h.url("/v1/messages")).header("x-api-key", KEY).json(&body).send().await.unwrap();
        let mut stream = resp.bytes_stream();
        let mut seen = 0;
        while seen < 6 {
            stream.next().await.unwrap().unwrap();
            seen += 1;
        }
        drop(stream);
        let line = &log_lines(&h.log, 1).await[0];
        assert_eq!(line["outcome"], "client_disconnected");
        assert_eq!(line["usage_source"], "estimated");
        assert_eq!(line["usage"]["input"], 400, "the prompt side comes from message_start");
        assert!(line["usage"]["output"].as_u64().unwrap() >= 3);
        assert!(money(&line["cost_usd"]) > cost::money::Money::ZERO);
        assert_eq!(money(&line["cost_usd"]), kernel_price(line));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_reproduces_the_gateways_totals_to_the_picodollar() {
    let (log, total) = bounded(async {
        let h = start("router", |_| {}).await;
        let c = client();
        for (i, text) in ["hi", "prove this", "hello there", "prove that"]
            .iter()
            .enumerate()
        {
            let mut body = chat(text);
            body["mock_usage"] = json!({"prompt": 1000 + 37 * i, "output": 200 + 11 * i});
            body["stream"] = json!(i % 2 == 1);
            let r = c
                .post(h.url("/v1/chat/completions"))
                .bearer_auth(KEY)
                .json(&body)
                .send()
                .await
                .unwrap();
            r.bytes().await.unwrap();
        }
        let mut failed = chat("hi");
        failed["mock"] = json!("fail");
        c.post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&failed)
            .send()
            .await
            .unwrap();
        let lines = log_lines(&h.log, 6).await;
        let total: cost::money::Money = lines
            .iter()
            .filter(|l| l.get("cost_usd").is_some())
            .map(|l| money(&l["cost_usd"]))
            .sum();
        let kept = tempfile::NamedTempFile::new().unwrap();
        std::fs::copy(&h.log, kept.path()).unwrap();
        (kept, total)
    })
    .await;
    let log_path = log.path().to_str().unwrap().to_string();
    let out = Cost::new()
        .args(["replay", &log_path, "--format", "json"])
        .stdout_contains("\"requests\": 4")
        .stdout_contains("\"shapes\": \"")
        .stderr_any()
        .run();
    let report = out.json();
    assert!(report["shapes"].as_str().unwrap().ends_with(": gateway"));
    assert_eq!(
        money(&report["cost_usd"]),
        total,
        "replay's total vs the gateway's"
    );
    assert_eq!(money(&report["logged_cost_usd"]), total);
    assert_eq!(report["logged_difference_usd"], json!(0));
}
