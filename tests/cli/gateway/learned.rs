//! The gateway's learned rule: a router trained here (a keyword decides)
//! routes live requests through the real gateway to the mock upstream, its
//! score logged with the decision; a model file that is edited or of
//! another version, and a threshold outside 0..1 or missing for the plan,
//! stop the gateway before it starts (exit 2).

use std::path::Path;

use cost::gateway::config::ShadowSpec;
use cost::router::{train, Examples, Provenance, TrainOptions};
use serde_json::Value;

use super::{bounded, chat, client, log_lines, mock, runtime, KEY};
use crate::{fixture, Cost};

/// A router where "integral" means the strong model is needed.
fn keyword_router() -> String {
    let topics = ["river", "garden", "market", "castle", "engine", "forest"];
    let (texts, labels): (Vec<String>, Vec<bool>) = (0..90)
        .map(|i| {
            let (a, b) = (topics[i % 6], topics[(i / 6) % 6]);
            if i % 3 == 0 {
                (
                    format!("Explain the {a} and the integral of the {b}."),
                    true,
                )
            } else {
                (format!("Explain the {a} and the {b}."), false)
            }
        })
        .unzip();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let provenance = Provenance {
        text_column: "prompt".into(),
        weak: "gpt-4o-mini".into(),
        strong: "gpt-4o".into(),
        pass: 0.5,
    };
    train(
        Examples {
            texts: &refs,
            labels: &labels,
            embeddings: None,
        },
        &TrainOptions::default(),
        &provenance,
    )
    .unwrap()
    .router
    .to_json()
}

/// A gateway config whose one rule is the learned router `model` with `threshold`.
pub(super) fn config(dir: &Path, model: &str, threshold: &str) -> String {
    std::fs::write(dir.join("router.json"), model).unwrap();
    let path = dir.join("gateway.toml");
    std::fs::write(
        &path,
        format!(
            r#"[gateway]
default_class = "easy"

[[gateway.rules]]
class = "hard"
learned = "router.json"
threshold = {threshold}

[gateway.keys.team]
env = "GW_TEST_KEY"

[gateway.upstreams.openai]
key_env = "GW_TEST_OPENAI_UPSTREAM"
"#
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learned_rule_routes_live_requests_and_logs_its_score() {
    bounded(async {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(
            dir.path(),
            &keyword_router(),
            "{ router = 0.5, claude = 0.9 }",
        );
        let (mock_addr, mock) = mock::start().await;
        let log = dir.path().join("requests.jsonl");
        let rt = runtime(
            "router",
            mock_addr,
            &log,
            &dir.path().join("ledger.sqlite"),
            &["--config", &cfg],
        );
        let gw = cost::gateway::serve(rt, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let c = client();
        for prompt in [
            "Explain the harbor and the integral of the museum.",
            "Explain the harbor and the museum.",
        ] {
            let r = c
                .post(format!("http://{}/v1/chat/completions", gw.addr))
                .bearer_auth(KEY)
                .json(&chat(prompt))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let lines = log_lines(&log, 2).await;
        let by_model = |m: &str| -> &Value {
            lines
                .iter()
                .find(|l| l["model"] == m)
                .unwrap_or_else(|| panic!("no request went to {m}: {lines:?}"))
        };
        let hard = by_model("gpt-4o");
        assert_eq!(hard["class"], "hard");
        let rule = hard["rule"].as_str().unwrap();
        assert!(rule.starts_with("rule[0]: learned "), "{rule}");
        assert!(rule.contains(">= 0.5 (router.json)"), "{rule}");
        let router = cost::router::Router::from_json(&keyword_router()).unwrap();
        let text = "Explain the harbor and the integral of the museum.";
        assert_eq!(hard["router_score"].as_f64(), Some(router.score(text)));
        let easy = by_model("gpt-4o-mini");
        assert_eq!(easy["class"], "easy");
        let rule = easy["rule"].as_str().unwrap();
        assert!(
            rule.starts_with("default; rule[0] learned 0.") && rule.contains("< 0.5"),
            "{rule}"
        );
        // The score logged is the one `Router::score` gives the text, exactly.
        let direct = router.score("Explain the harbor and the museum.");
        assert_eq!(easy["router_score"].as_f64(), Some(direct));
        assert!(direct < 0.5, "{direct}");
        assert_eq!(mock.calls().len(), 2);
    })
    .await;
}

/// `cost gateway` on a config with this model file and threshold: exit 2.
fn refused(dir: &tempfile::TempDir, model: &str, threshold: &str) -> Cost {
    let cfg = config(dir.path(), model, threshold);
    Cost::new()
        .args([
            "gateway",
            &fixture("gateway/scenario.toml"),
            "--plan",
            "router",
            "--config",
            &cfg,
            "--ledger",
            dir.path().join("ledger.sqlite").to_str().unwrap(),
        ])
        .status(2)
}

#[test]
fn an_edited_or_foreign_model_file_stops_the_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let model = keyword_router();
    refused(
        &dir,
        &model.replacen("\"seed\": 17", "\"seed\": 18", 1),
        "0.5",
    )
    .stderr_contains("gateway.rules[0].learned")
    .stderr_contains("`sha256` does not match")
    .run();
    refused(
        &dir,
        &model.replacen("\"version\": 1", "\"version\": 2", 1),
        "0.5",
    )
    .stderr_contains("`version` is 2; this build of cost reads router model version 1")
    .run();
}

#[test]
fn a_threshold_outside_zero_to_one_or_missing_for_the_plan_stops_the_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let model = keyword_router();
    refused(&dir, &model, "1.5")
        .stderr_contains("gateway.rules[0].threshold")
        .stderr_contains("threshold 1.5 is outside 0..1")
        .run();
    refused(&dir, &model, "{ claude = 0.4 }")
        .stderr_contains("no threshold for plan `router`")
        .stderr_contains("thresholds are given for: claude")
        .run();
}

/// The loop the gateway closes: shadow pairs with their routing text
/// (`log_text = true`), judged (here: the cheap model fails exactly the
/// prompts that say "integral"), train a router with the real binary, and
/// that router, loaded as a learned rule, sends the hard prompts to the
/// strong model.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shadow_pairs_train_the_router_the_gateway_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    let judged = judged_pairs(&dir.path().join("pairs.jsonl")).await;
    let judged_path = dir.path().join("judged.jsonl");
    std::fs::write(&judged_path, judged).unwrap();
    let model_path = dir.path().join("trained.json");
    Cost::new()
        .args(["router", "train", judged_path.to_str().unwrap()])
        .args([
            "--query",
            "request_id",
            "--model",
            "model",
            "--score",
            "score",
        ])
        .args([
            "--text",
            "text",
            "--weak",
            "gpt-4o-mini",
            "--strong",
            "gpt-4o",
        ])
        .args(["-o", model_path.to_str().unwrap()])
        .stderr_any()
        .run();
    let trained = std::fs::read_to_string(&model_path).unwrap();
    let router = cost::router::Router::from_json(&trained).unwrap();
    assert!(router.score(&prompt(0)) > 0.5 && router.score(&prompt(1)) < 0.5);
    // The trained file, as a learned rule, routes a new pair of prompts.
    bounded(async {
        let cfg = config(dir.path(), &trained, "0.5");
        let (mock_addr, mock) = mock::start().await;
        let log = dir.path().join("requests.jsonl");
        let ledger = dir.path().join("ledger.sqlite");
        let rt = runtime("router", mock_addr, &log, &ledger, &["--config", &cfg]);
        let gw = cost::gateway::serve(rt, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        for text in [prompt(39), prompt(40)] {
            let r = client()
                .post(format!("http://{}/v1/chat/completions", gw.addr))
                .bearer_auth(KEY)
                .json(&chat(&text))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let lines = log_lines(&log, 2).await;
        let routed: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| (l["class"].as_str().unwrap(), l["model"].as_str().unwrap()))
            .collect();
        assert!(routed.contains(&("hard", "gpt-4o")), "{routed:?}");
        assert!(routed.contains(&("easy", "gpt-4o-mini")), "{routed:?}");
        assert_eq!(mock.calls().len(), 2);
    })
    .await;
}

/// Prompt `i`: every third one needs "integral" worked out.
fn prompt(i: usize) -> String {
    let topics = ["river", "garden", "market", "castle", "engine", "forest"];
    let (a, b) = (topics[i % 6], topics[(i / 6) % 6]);
    if i.is_multiple_of(3) {
        format!("Explain the {a} and the integral of the {b}.")
    } else {
        format!("Explain the {a} and the {b}.")
    }
}

/// 36 prompts through a gateway that shadows every request with its
/// text; the pairs judged: the cheap model fails the "integral" ones.
async fn judged_pairs(pairs: &Path) -> String {
    bounded(async {
        let path = pairs.to_path_buf();
        let h = super::start("router", move |rt| {
            rt.config.shadow = Some(ShadowSpec {
                share: 1.0,
                model: None,
                seed: 3,
                pairs_log: path,
                log_text: true,
            });
        })
        .await;
        for i in 0..36 {
            let r = client()
                .post(h.url("/v1/chat/completions"))
                .bearer_auth(KEY)
                .json(&chat(&prompt(i)))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let mut judged = String::new();
        for mut p in log_lines(pairs, 72).await {
            let text = p["text"]
                .as_str()
                .expect("log_text puts the text in every pair");
            let pass = p["role"] == "shadow" || !text.contains("integral");
            p["score"] = Value::from(u8::from(pass));
            judged.push_str(&p.to_string());
            judged.push('\n');
        }
        judged
    })
    .await
}
