//! Whole answers, routing, errors in each client's format, fallbacks,
//! timeouts, dry runs and the side endpoints.

use serde_json::{json, Value};

use super::{
    bounded, chat, client, kernel_price, log_lines, metrics_until, money, start, KEY, UPSTREAM_KEY,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_openai_answer_is_routed_priced_exactly_and_logged() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let mut body = chat("Prove that the square root of two is irrational.");
        body["mock_usage"] = json!({"prompt": 1200, "output": 345});
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let headers = resp.headers().clone();
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["choices"][0]["message"]["content"], "Hello world");
        assert_eq!(headers["x-cost-class"], "hard");
        assert_eq!(headers["x-cost-model"], "gpt-4o");
        let calls = h.mock.calls();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].model, "gpt-4o");
        assert_eq!(
            calls[0].auth.as_deref(),
            Some(format!("Bearer {UPSTREAM_KEY}").as_str())
        );
        let line = &log_lines(&h.log, 1).await[0];
        assert_eq!(line["outcome"], "ok");
        assert_eq!(line["class"], "hard");
        assert_eq!(line["rule"], "rule[0]");
        assert_eq!(line["usage"]["input"], 1200);
        let cost = money(&line["cost_usd"]);
        assert_eq!(cost, kernel_price(line));
        assert_eq!(headers["x-cost-usd"].to_str().unwrap(), cost.to_string());
        // The baseline plan sends this class to gpt-4o as well: the same cost.
        assert_eq!(line["baseline_model"], "gpt-4o");
        assert_eq!(money(&line["baseline_cost_usd"]), cost);
        let text = std::fs::read_to_string(&h.log).unwrap();
        assert!(
            !text.contains(KEY) && !text.contains(UPSTREAM_KEY) && !text.contains("irrational")
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anthropic_answer_and_its_counterfactual_on_the_baseline() {
    bounded(async {
        let h = start("claude", |_| {}).await;
        let body = json!({"model": "auto", "max_tokens": 64, "system": "Be brief.", "messages": [{"role": "user", "content": "hi"}], "mock_usage": {"prompt": 900, "output": 40}});
        let resp = client().post(h.url("/v1/messages")).header("x-api-key", KEY).header("anthropic-version", "2023-06-01").json(&body).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-cost-model"], "claude-haiku-4-5");
        let answer: Value = resp.json().await.unwrap();
        assert_eq!(answer["content"][0]["text"], "Hello world");
        let line = &log_lines(&h.log, 1).await[0];
        assert_eq!(money(&line["cost_usd"]), kernel_price(line));
        assert_eq!(line["baseline_model"], "gpt-4o");
        let mut on_baseline = line.clone();
        on_baseline["model"] = json!("gpt-4o");
        assert_eq!(money(&line["baseline_cost_usd"]), kernel_price(&on_baseline));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_errors_in_the_clients_format() {
    bounded(async {
        let h = start("router", |rt| rt.config.max_body_bytes = 2048).await;
        let c = client();
        let openai = |r: reqwest::RequestBuilder| async move {
            let r = r.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        };
        let url = h.url("/v1/chat/completions");
        let (s, e) = openai(c.post(&url).bearer_auth(KEY).body("{not json")).await;
        assert_eq!(s, 400);
        assert!(e["error"]["message"].as_str().unwrap().contains("not valid JSON"));
        let (s, e) = openai(c.post(&url).json(&chat("hi"))).await;
        assert_eq!((s, e["error"]["code"].as_str()), (401, Some("invalid_api_key")));
        let (s, _) = openai(c.post(&url).bearer_auth("sk-wrong").json(&chat("hi"))).await;
        assert_eq!(s, 401);
        let mut unknown = chat("hi");
        unknown["model"] = json!("gpt-nonexistent-9");
        let (s, e) = openai(c.post(&url).bearer_auth(KEY).json(&unknown)).await;
        assert_eq!(s, 404);
        assert!(e["error"]["message"].as_str().unwrap().contains("auto"));
        let (s, e) = openai(c.post(&url).bearer_auth(KEY).json(&chat(&"x".repeat(4000)))).await;
        assert_eq!((s, e["error"]["type"].as_str()), (413, Some("invalid_request_error")));
        let (s, e) = openai(c.post(&url).bearer_auth(KEY).header("x-cost-class", "medium").json(&chat("hi"))).await;
        assert_eq!(s, 400);
        assert!(e["error"]["message"].as_str().unwrap().contains("unknown class `medium`"));
        // A plan that sends the class to an OpenAI model, asked through the
        // Anthropic API with a field chat completions cannot express.
        let msg = json!({"model": "auto", "max_tokens": 10, "top_k": 3, "messages": [{"role": "user", "content": "hi"}]});
        let r = c.post(h.url("/v1/messages")).header("x-api-key", KEY).json(&msg).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["type"], "error");
        assert!(e["error"]["message"].as_str().unwrap().contains("`top_k` cannot be translated"));
        let r = c.post(h.url("/v1/messages")).json(&msg).send().await.unwrap();
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["type"], "authentication_error");
        assert!(h.mock.calls().is_empty(), "no refused request reaches upstream");
        let lines = log_lines(&h.log, 8).await;
        assert!(lines.iter().all(|l| l.get("usage").is_none() && l["outcome"] != "ok"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_errors_retry_then_fall_back_and_every_attempt_is_logged() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let mut body = chat("prove it");
        body["mock"] = json!("fail_model:gpt-4o");
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["x-cost-model"], "gpt-4o-mini");
        let models: Vec<String> = h.mock.calls().iter().map(|c| c.model.clone()).collect();
        assert_eq!(models, ["gpt-4o", "gpt-4o", "gpt-4o-mini"]);
        let lines = log_lines(&h.log, 3).await;
        let outcomes: Vec<&str> = lines
            .iter()
            .map(|l| l["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(outcomes, ["upstream_error", "upstream_error", "ok"]);
        assert_eq!(lines[2]["attempt"], 3);
        assert!(lines
            .iter()
            .all(|l| l["request_id"] == lines[0]["request_id"]));

        let mut all_fail = chat("hi");
        all_fail["mock"] = json!("fail");
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&all_fail)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 502);
        let e: Value = resp.json().await.unwrap();
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("after 2 attempts"));

        let mut reject = chat("hi");
        reject["mock"] = json!("reject");
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&reject)
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            400,
            "a provider's client error is passed on, not retried"
        );
        assert_eq!(h.mock.calls().len(), 6);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_upstream_times_out() {
    bounded(async {
        let h = start("router", |rt| {
            rt.config.timeout = std::time::Duration::from_millis(300);
            rt.config.retries = 0;
        })
        .await;
        let mut body = chat("hi");
        body["mock"] = json!("stall");
        let started = std::time::Instant::now();
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 504);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let line = &log_lines(&h.log, 1).await[0];
        assert_eq!(line["outcome"], "timeout");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_runs_return_the_decision_and_costs_without_calling_upstream() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let c = client();
        let r = c
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .header("x-cost-dry-run", "1")
            .json(&chat("prove it"))
            .send()
            .await
            .unwrap();
        let d: Value = r.json().await.unwrap();
        assert_eq!(
            (d["class"].as_str(), d["model"].as_str()),
            (Some("hard"), Some("gpt-4o"))
        );
        let candidates = d["candidates"].as_array().unwrap();
        assert_eq!(candidates.len(), 2);
        assert_eq!(candidates[1]["role"], "fallback");
        assert!(
            super::money(&candidates[0]["worst_case_usd"])
                > super::money(&candidates[1]["worst_case_usd"])
        );
        assert!(candidates[0]["expected_usd"].is_number());
        let r = c
            .post(h.url("/v1/route"))
            .bearer_auth(KEY)
            .json(&chat("hello"))
            .send()
            .await
            .unwrap();
        let d: Value = r.json().await.unwrap();
        assert_eq!(
            (d["class"].as_str(), d["rule"].as_str()),
            (Some("easy"), Some("default"))
        );
        assert!(h.mock.calls().is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_health_and_metrics() {
    bounded(async {
        let h = start("router", |_| {}).await;
        let c = client();
        let m: Value = c.get(h.url("/v1/models")).bearer_auth(KEY).send().await.unwrap().json().await.unwrap();
        let ids: Vec<&str> = m["data"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["auto", "router", "smart"]);
        assert_eq!(c.get(h.url("/v1/models")).send().await.unwrap().status(), 401);
        assert_eq!(c.get(h.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok\n");
        let mut smart = chat("hi");
        smart["model"] = json!("smart");
        let r = c.post(h.url("/v1/chat/completions")).bearer_auth(KEY).json(&smart).send().await.unwrap();
        assert_eq!(r.headers()["x-cost-class"], "hard");
        let text = c.get(h.url("/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("cost_gateway_requests_total{route=\"/v1/chat/completions\",class=\"hard\",model=\"gpt-4o\",outcome=\"ok\"} 1"), "{text}");
        assert!(text.contains("cost_gateway_latency_seconds_bucket{"));
        assert!(text.contains("cost_gateway_cost_usd_total{"));
        // One request: the lease written before its call, and its
        // settlement by the next flush (within a tenth of a second).
        let text = metrics_until(&h.url(""), "\ncost_gateway_ledger_writes_total 2\n").await;
        assert!(text.contains("\ncost_gateway_ledger_transactions_total 2\n"), "{text}");
    })
    .await;
}

#[test]
fn a_config_naming_an_unknown_class_is_a_located_error() {
    let scenario = crate::fixture("gateway/scenario.toml");
    let config = crate::fixture("gateway/bad-class.toml");
    crate::Cost::new()
        .args([
            "gateway", &scenario, "--plan", "router", "--config", &config,
        ])
        .status(2)
        .stderr_contains("bad-class.toml:6: `gateway.rules[0].class`: unknown class `medium`")
        .stderr_contains("hint: classes in this scenario: easy, hard")
        .run();
}

#[test]
fn an_upstream_url_that_is_not_one_is_a_located_error() {
    let scenario = crate::fixture("gateway/scenario.toml");
    let config = crate::fixture("gateway/bad-upstream.toml");
    crate::Cost::new()
        .args([
            "gateway", &scenario, "--plan", "router", "--config", &config,
        ])
        .status(2)
        .stderr_contains("bad-upstream.toml:6: `gateway.upstreams.openai.url`: `api.openai.com` is not an http:// or https:// URL")
        .run();
    // On the command line, a URL without a host, of another scheme or with
    // credentials in it is refused at start, not at the first request.
    for (flag, why) in [
        ("openai=http://", "is not a valid URL: empty host"),
        (
            "openai=ftp://example.com",
            "is not an http:// or https:// URL",
        ),
        (
            "openai=https://u:p@example.com",
            "carries credentials (user:password@)",
        ),
    ] {
        // Credentials are not echoed back.
        let url = match flag.trim_start_matches("openai=") {
            "https://u:p@example.com" => "https://***@example.com/",
            given => given,
        };
        let mut cost =
            crate::Cost::new().args(["gateway", &scenario, "--plan", "router", "--upstream", flag]);
        for var in [
            "GW_TEST_KEY",
            "GW_TEST_KEY_CAPPED",
            "GW_TEST_OPENAI_UPSTREAM",
        ] {
            cost = cost.env(var, super::env(var).unwrap());
        }
        cost.status(2)
            .stderr_contains(format!("the openai upstream's URL `{url}` {why}"))
            .stderr_contains("hint: give it as --upstream openai=https://host[:port]")
            .run();
    }
}

#[test]
fn threads_out_of_range_are_a_usage_error() {
    let scenario = crate::fixture("gateway/scenario.toml");
    crate::Cost::new()
        .args(["gateway", &scenario, "--plan", "router", "--threads", "0"])
        .status(2)
        .stderr_contains("invalid value '0' for '--threads <N>'")
        .stderr_contains("1..=1024")
        .run();
}
