//! Cascade plans: the cheap stage first; an answer its verifier rejects
//! (an upstream error, a refusal, an empty or truncated answer, a JSON
//! Schema failure) is paid for and logged, and the next stage answers.
//! The response says which model answered and what the request cost in all.

use cost::gateway::verify::JudgeSpec;
use serde_json::{json, Value};

use super::{bounded, chat, client, kernel_price, log_lines, money, start, KEY};

async fn ask(h: &super::Harness, body: &Value) -> (reqwest::header::HeaderMap, Value) {
    let resp = client()
        .post(h.url("/v1/chat/completions"))
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let headers = resp.headers().clone();
    (headers, resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_cheap_answer_escalates_and_every_attempt_is_paid() {
    bounded(async {
        let h = start("cascade", |_| {}).await;
        // Accepted at the first stage.
        let (headers, answer) = ask(&h, &chat("hi")).await;
        assert_eq!(headers["x-cost-model"], "gpt-4o-mini");
        assert_eq!(headers["x-cost-usd"], headers["x-cost-total-usd"]);
        assert_eq!(answer["choices"][0]["message"]["content"], "Hello world");
        let cases = [
            (
                json!({"text": "I can't help with that.", "finish": "stop"}),
                "refusal",
            ),
            (json!({"text": "", "finish": "stop"}), "empty answer"),
            (
                json!({"text": "The answer is", "finish": "length"}),
                "truncated answer",
            ),
        ];
        let mut n = 1;
        for (cheap, why) in &cases {
            let mut body = chat("hi");
            body["mock_answer"] = json!({"gpt-4o-mini": cheap});
            let (headers, answer) = ask(&h, &body).await;
            assert_eq!(headers["x-cost-model"], "gpt-4o", "{why}");
            assert_eq!(answer["choices"][0]["message"]["content"], "Hello world");
            n += 2;
            let lines = log_lines(&h.log, n).await;
            let (cheap_line, strong_line) = (&lines[n - 2], &lines[n - 1]);
            assert_eq!(
                (cheap_line["outcome"].as_str(), cheap_line["error"].as_str()),
                (Some("escalated"), Some(*why))
            );
            assert_eq!(
                (cheap_line["model"].as_str(), strong_line["model"].as_str()),
                (Some("gpt-4o-mini"), Some("gpt-4o"))
            );
            assert_eq!(cheap_line["request_id"], strong_line["request_id"]);
            let (c1, c2) = (
                money(&cheap_line["cost_usd"]),
                money(&strong_line["cost_usd"]),
            );
            assert_eq!(
                (c1, c2),
                (kernel_price(cheap_line), kernel_price(strong_line))
            );
            assert_eq!(money(&json!(headers["x-cost-usd"].to_str().unwrap())), c2);
            assert_eq!(
                money(&json!(headers["x-cost-total-usd"].to_str().unwrap())),
                c1 + c2
            );
        }
        // An upstream error at the cheap stage escalates too.
        let mut body = chat("hi");
        body["mock"] = json!("fail_model:gpt-4o-mini");
        let (headers, _) = ask(&h, &body).await;
        assert_eq!(headers["x-cost-model"], "gpt-4o");
        let calls: Vec<String> = h
            .mock
            .calls()
            .iter()
            .rev()
            .take(3)
            .map(|c| c.model.clone())
            .collect();
        assert_eq!(
            calls,
            ["gpt-4o", "gpt-4o-mini", "gpt-4o-mini"],
            "the cheap model's retry, then the next stage"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_refuses_streams_by_field_and_its_dry_run_shows_every_stage() {
    bounded(async {
        let h = start("cascade", |_| {}).await;
        // Streams are refused on a cascade, by field.
        let mut body = chat("hi");
        body["stream"] = json!(true);
        let resp = client()
            .post(h.url("/v1/chat/completions"))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        let e: Value = resp.json().await.unwrap();
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("`stream`: plan `cascade` is a cascade"));
        // The dry run shows both stages.
        let d: Value = client()
            .post(h.url("/v1/route"))
            .bearer_auth(KEY)
            .json(&chat("hi"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let roles: Vec<(&str, &str)> = d["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["model"].as_str().unwrap(), c["role"].as_str().unwrap()))
            .collect();
        assert_eq!(
            roles,
            [
                ("gpt-4o-mini", "route"),
                ("gpt-4o", "cascade"),
                ("gpt-4o-mini", "fallback")
            ]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_schema_verifier_escalates_answers_that_fail_it() {
    bounded(async {
        let schema = json!({"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}});
        let h = start("cascade", |rt| {
            rt.config.cascade.as_mut().unwrap().checks.schema = Some(jsonschema::validator_for(&schema).unwrap());
        })
        .await;
        let mut body = chat("where?");
        body["mock_answer"] = json!({"gpt-4o-mini": {"text": "{\"town\": \"Paris\"}"}, "gpt-4o": {"text": "{\"city\": \"Paris\"}"}});
        let (headers, answer) = ask(&h, &body).await;
        assert_eq!(headers["x-cost-model"], "gpt-4o");
        assert_eq!(answer["choices"][0]["message"]["content"], "{\"city\": \"Paris\"}");
        let lines = log_lines(&h.log, 2).await;
        assert!(lines[0]["error"].as_str().unwrap().starts_with("json schema:"), "{}", lines[0]);
        body["mock_answer"]["gpt-4o-mini"] = json!({"text": "{\"city\": \"Lyon\"}"});
        let (headers, _) = ask(&h, &body).await;
        assert_eq!(headers["x-cost-model"], "gpt-4o-mini");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_judge_grades_the_cheap_answer_and_is_paid_for_as_its_own_attempt() {
    bounded(async {
        let h = start("cascade", |rt| {
            rt.config.cascade.as_mut().unwrap().checks.judge = Some(JudgeSpec {
                model: "gpt-4o-mini".into(),
                instructions: "JUDGE-MOCK".into(),
                pass: regex::Regex::new(r"^\s*(?i:pass)\b").unwrap(),
                max_tokens: 16,
            });
        })
        .await;
        // The judge passes "good": the cheap answer is returned, and the
        // total is the answer and the judge.
        let mut body = chat("2+2?");
        body["mock_answer"] = json!({"gpt-4o-mini": {"text": "good"}});
        let (headers, answer) = ask(&h, &body).await;
        assert_eq!(headers["x-cost-model"], "gpt-4o-mini");
        assert_eq!(answer["choices"][0]["message"]["content"], "good");
        let lines = log_lines(&h.log, 2).await;
        let outcomes: Vec<&str> = lines
            .iter()
            .map(|l| l["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(outcomes, ["judge_pass", "ok"]);
        assert_eq!(
            (lines[0]["attempt"].as_u64(), lines[1]["attempt"].as_u64()),
            (Some(2), Some(1))
        );
        let (judge, cheap) = (money(&lines[0]["cost_usd"]), money(&lines[1]["cost_usd"]));
        assert_eq!(judge, kernel_price(&lines[0]));
        assert_eq!(
            money(&json!(headers["x-cost-total-usd"].to_str().unwrap())),
            judge + cheap
        );
        // The judge fails "bad": escalated, and the strong stage answers.
        body["mock_answer"] = json!({"gpt-4o-mini": {"text": "bad"}});
        let (headers, _) = ask(&h, &body).await;
        assert_eq!(headers["x-cost-model"], "gpt-4o");
        let lines = log_lines(&h.log, 5).await;
        let last: Vec<(&str, &str)> = lines[2..]
            .iter()
            .map(|l| (l["outcome"].as_str().unwrap(), l["model"].as_str().unwrap()))
            .collect();
        assert_eq!(
            last,
            [
                ("judge_fail", "gpt-4o-mini"),
                ("escalated", "gpt-4o-mini"),
                ("ok", "gpt-4o")
            ]
        );
        assert!(
            lines[3]["error"]
                .as_str()
                .unwrap()
                .starts_with("judge: the judge said \"FAIL"),
            "{}",
            lines[3]
        );
        let paid: cost::money::Money = lines[2..].iter().map(|l| money(&l["cost_usd"])).sum();
        assert_eq!(
            money(&json!(headers["x-cost-total-usd"].to_str().unwrap())),
            paid
        );
    })
    .await;
}

/// A judge that cannot be built stops the gateway before it starts.
#[test]
fn a_bad_judge_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = crate::fixture("gateway/scenario.toml");
    let refused = |judge: &str, wants: &[&str]| {
        let path = dir.path().join("gateway.toml");
        std::fs::write(
            &path,
            format!("[gateway]\nrequire_keys = false\n\n[gateway.cascade]\n{judge}\n"),
        )
        .unwrap();
        let mut cost = crate::Cost::new()
            .args([
                "gateway",
                &scenario,
                "--plan",
                "cascade",
                "--config",
                path.to_str().unwrap(),
            ])
            .args(["--ledger", dir.path().join("l.sqlite").to_str().unwrap()])
            .status(2);
        for w in wants {
            cost = cost.stderr_contains(*w);
        }
        cost.run();
    };
    refused(
        "judge = { model = \"gpt-4o-mini\", pass_regex = \"(\" }",
        &["`gateway.cascade.judge.pass_regex`: not a regular expression"],
    );
    refused(
        "judge = { model = \"gpt-4o-mini\", max_tokens = 0 }",
        &["`gateway.cascade.judge.max_tokens`: 0 tokens leaves the judge no reply"],
    );
    refused(
        "judge = { model = \"no-such-model\" }",
        &["`gateway.cascade.judge.model`"],
    );
    refused(
        "escalate_on = [\"judge\"]",
        &["`gateway.cascade.escalate_on`: `judge` needs a `[gateway.cascade.judge]`"],
    );
}
