//! Shadow mode: a sampled request is also sent to the baseline model in
//! the background; the client never sees that answer, its cost goes to the
//! shadow pairs log (not the request log, not the budget), and the pairs
//! are rows `cost eval` reads once each has a score.

use cost::gateway::budget::Bucket;
use cost::gateway::config::ShadowSpec;
use serde_json::{json, Value};

use super::{bounded, chat, client, kernel_price, log_lines, metrics_until, money, start, KEY};
use crate::Cost;

/// A pairs log the disk refuses (`/dev/full`) is counted on /metrics; the
/// client's answer is unaffected.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pairs_the_disk_refuses_are_counted_on_metrics() {
    bounded(async {
        let h = start("router", |rt| {
            rt.config.shadow = Some(ShadowSpec {
                share: 1.0,
                model: None,
                seed: 3,
                pairs_log: "/dev/full".into(),
                log_text: false,
            });
        })
        .await;
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&chat("hi"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.headers().contains_key("x-cost-usd"));
        // The served pair is written when the answer closes, the shadow's
        // when its background call ends: two lines refused.
        let want = "\ncost_gateway_shadow_log_failed_lines_total 2\n";
        metrics_until(&h.url(""), want).await;
        assert_eq!(
            log_lines(&h.log, 1).await.len(),
            1,
            "the request log is unaffected"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shadow_answers_are_never_returned_priced_apart_and_never_budgeted() {
    let pairs_dir = tempfile::tempdir().unwrap();
    let pairs = pairs_dir.path().join("pairs.jsonl");
    let scored = bounded(async {
        let path = pairs.clone();
        let h = start("router", move |rt| {
            rt.config.shadow = Some(ShadowSpec { share: 1.0, model: None, seed: 3, pairs_log: path, log_text: false });
        })
        .await;
        for (i, stream) in [false, true, false].into_iter().enumerate() {
            let mut body = chat("hi");
            body["stream"] = json!(stream);
            body["mock_usage"] = json!({"prompt": 300 + i, "output": 40});
            let resp = client().post(h.url("/v1/chat/completions")).bearer_auth(KEY).json(&body).send().await.unwrap();
            assert_eq!(resp.headers()["x-cost-model"], "gpt-4o-mini");
            let text = resp.text().await.unwrap();
            assert!(text.contains("Hello") && !text.contains("gpt-4o\""), "the client sees only its own answer");
        }
        let lines = log_lines(&h.log, 3).await;
        let pairs_lines = log_lines(&pairs, 6).await;
        assert!(lines.iter().all(|l| l["model"] == "gpt-4o-mini"), "shadow calls stay out of the request log");
        let shadow_calls: Vec<_> = h.mock.calls().into_iter().filter(|c| c.model == "gpt-4o").collect();
        assert_eq!(shadow_calls.len(), 3);
        assert!(shadow_calls.iter().all(|c| c.body["stream"] == false), "shadow calls are never streamed");
        let mut served_total = cost::money::Money::ZERO;
        for line in &lines {
            let id = line["request_id"].as_str().unwrap();
            let of = |role: &str| pairs_lines.iter().find(|p| p["request_id"] == id && p["role"] == role).unwrap().clone();
            let (served, shadow) = (of("served"), of("shadow"));
            assert_eq!(money(&served["cost_usd"]), money(&line["cost_usd"]));
            assert_eq!((shadow["model"].as_str(), shadow["outcome"].as_str()), (Some("gpt-4o"), Some("ok")));
            // The shadow's own usage, priced by the kernel on the baseline model.
            let as_log = json!({"model": "gpt-4o", "ts": shadow["ts"], "usage": {"input": shadow["input_tokens"], "cache_read": 0, "cache_write": 0, "cache_write_1h": 0, "output": shadow["output_tokens"], "reasoning": 0}});
            assert_eq!(money(&shadow["cost_usd"]), kernel_price(&as_log));
            served_total += money(&line["cost_usd"]);
        }
        let day = Bucket { scope: "total".into(), window: jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string() };
        assert_eq!(h.gw.shared.rt.ledger.spent(&day).unwrap(), served_total, "the budget holds the served answers only");
        // Scored (here: the served model 1, the shadow 0), the pairs are `cost eval` rows.
        let mut scored = String::new();
        for p in &pairs_lines {
            let mut p = p.clone();
            p["score"] = json!(u8::from(p["role"] == "served"));
            scored.push_str(&p.to_string());
            scored.push('\n');
        }
        scored
    })
    .await;
    let scored_path = pairs_dir.path().join("scored.jsonl");
    std::fs::write(&scored_path, scored).unwrap();
    let out = Cost::new()
        .args([
            "eval",
            scored_path.to_str().unwrap(),
            "--query",
            "request_id",
            "--model",
            "model",
            "--score",
            "score",
            "--cost",
            "cost_usd",
            "--format",
            "json",
        ])
        .stderr_any()
        .run();
    let report: Value = out.json();
    let text = report.to_string();
    assert!(
        text.contains("gpt-4o-mini") && text.contains("\"gpt-4o\""),
        "{text}"
    );
}
