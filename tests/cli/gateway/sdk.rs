//! The official OpenAI and Anthropic Python SDKs against the gateway. The
//! python comes from `COST_PYTHON` or `.venv/bin/python` (`.ci/run` makes
//! one); without it the test says SKIPPED loudly, and fails when
//! `COST_CI_REQUIRE=1` says the packages must be there.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use super::{bounded, kernel_price, log_lines, money, start, KEY};

fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("COST_PYTHON").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import openai, anthropic"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdks_stream_and_not_through_the_gateway() {
    let Some(py) = python() else {
        let msg = "SKIPPED: the_official_python_sdks…: no python with the `openai` and `anthropic` packages (set COST_PYTHON or make .venv; .ci/run does)";
        assert!(
            std::env::var("COST_CI_REQUIRE").as_deref() != Ok("1"),
            "{msg}, and COST_CI_REQUIRE=1 requires them"
        );
        eprintln!("{msg}");
        return;
    };
    for plan in ["router", "claude"] {
        bounded(async {
            let h = start(plan, |_| {}).await;
            let base = format!("http://{}", h.gw.addr);
            let script = crate::fixture("gateway/sdk_check.py");
            let which = if plan == "router" {
                "openai"
            } else {
                "anthropic"
            };
            let py = py.clone();
            let out = tokio::task::spawn_blocking(move || {
                Command::new(py)
                    .args([script.as_str(), base.as_str(), KEY, which])
                    .output()
            })
            .await
            .unwrap()
            .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "the SDK script failed for plan {plan}: {stderr}"
            );
            let got: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(got["models"], serde_json::json!(["auto", plan, "smart"]));
            let lines = log_lines(&h.log, 7).await;
            let priced: Vec<&Value> = lines
                .iter()
                .filter(|l| l.get("cost_usd").is_some())
                .collect();
            for l in &priced {
                assert_eq!(money(&l["cost_usd"]), kernel_price(l));
            }
            if plan == "router" {
                assert_eq!(got["openai"]["text"], "Hello world");
                assert_eq!(got["openai_stream"]["text"], "Hello world");
                assert_eq!(got["openai_error"], "NotFoundError");
                assert_eq!(money(&got["openai"]["cost"]), money(&priced[0]["cost_usd"]));
                assert_eq!(got["responses"]["text"], "Hello world");
                assert_eq!(got["responses_stream"]["text"], "Hello world");
                assert_eq!(
                    money(&got["responses"]["cost"]),
                    money(&priced[2]["cost_usd"])
                );
                assert_eq!(priced[2]["route"], "/v1/responses");
                // The Anthropic SDK, translated to the OpenAI model.
                assert_eq!(got["translated_anthropic"]["text"], "Hello world");
                assert_eq!(got["translated_anthropic_stream"]["text"], "Hello world");
                assert_eq!(priced.len(), 6);
            } else {
                assert_eq!(got["anthropic"]["text"], "Hello world");
                assert_eq!(got["anthropic_stream"]["text"], "Hello world");
                assert_eq!(got["anthropic_error"], "AuthenticationError");
                // The OpenAI SDK, translated to the Anthropic model.
                assert_eq!(got["translated_openai"]["text"], "Hello world");
                assert_eq!(got["translated_openai_stream"]["text"], "Hello world");
                assert_eq!(
                    money(&got["translated_openai"]["cost"]),
                    money(&priced[0]["cost_usd"])
                );
                // The OpenAI SDK's Responses calls, translated to the Anthropic model.
                let (r, rs) = (
                    &got["translated_responses"],
                    &got["translated_responses_stream"],
                );
                assert_eq!(
                    (r["text"].as_str(), r["status"].as_str()),
                    (Some("Hello world"), Some("completed"))
                );
                assert_eq!(r["input_tokens"], priced[2]["usage"]["input"]);
                assert_eq!(money(&r["cost"]), money(&priced[2]["cost_usd"]));
                assert_eq!(
                    (rs["text"].as_str(), rs["final_text"].as_str()),
                    (Some("Hello world"), Some("Hello world"))
                );
                assert_eq!(rs["output_tokens"], priced[3]["usage"]["output"]);
                assert!(priced[2..4]
                    .iter()
                    .all(|l| l["route"] == "/v1/responses" && l["model"] == "claude-haiku-4-5"));
                assert_eq!(priced.len(), 6);
            }
        })
        .await;
    }
}
