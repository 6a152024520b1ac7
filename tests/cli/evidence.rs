//! Quality and latency beside every cost: on every built-in scenario,
//! `compare`, `route`, `frontier` and `simulate` succeed, every plan row
//! carries quality (or a labelled index), TTFT, answer TTFT and E2E, or a
//! note names the model that lacks the figure; and every figure shown has a
//! source and a date in the JSON.

use serde_json::Value;

use crate::Cost;

const BUILT_IN: [&str; 7] = [
    "default",
    "support-bot",
    "rag",
    "coding-agent",
    "chat-slo",
    "batch-extraction",
    "routing-example",
];

fn notes(json: &Value) -> Vec<String> {
    json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

/// Whether a note saying `what` names one of the models in `routes`.
fn explained(notes: &[String], routes: &str, what: &str) -> bool {
    let models: Vec<&str> = routes
        .split([' ', ','])
        .filter(|w| w.contains('-') && !w.starts_with('('))
        .collect();
    notes
        .iter()
        .any(|n| n.contains(what) && models.iter().any(|m| n.contains(m)))
}

#[test]
fn every_built_in_row_has_quality_and_latency_or_says_why() {
    for name in BUILT_IN {
        let json = Cost::new()
            .args(["compare", name, "--no-bands"])
            .stderr_any()
            .run_json();
        let all = notes(&json);
        for row in json["plans"].as_array().unwrap() {
            let routes = row["routes"].as_str().unwrap();
            assert!(row["cost_per_month_usd"].is_number(), "{name} {routes}");
            let quality = row["quality"].is_number() || row["index"].is_number();
            assert!(
                quality
                    || explained(&all, routes, "show no quality")
                    || explained(&all, routes, "show no index"),
                "{name}: `{routes}` has no quality and no note says why: {all:?}"
            );
            assert!(
                row["quality_per_usd"].is_number() == row["quality"].is_number(),
                "{name} {routes}: ok/$ beside quality"
            );
            for key in ["ttft_s", "ttft_answer_s", "e2e_s"] {
                assert!(
                    row[key].is_number() || explained(&all, routes, "no published figure"),
                    "{name}: `{routes}` has no {key} and no note says why"
                );
            }
        }
        for f in json["figures"].as_array().unwrap() {
            assert!(
                f["source"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("https://")),
                "{name}: {f}"
            );
            assert!(
                f["measured"]
                    .as_str()
                    .is_some_and(|d| d.len() == 10 && d.starts_with("20")),
                "{name}: {f}"
            );
        }
        assert!(
            !json["figures"].as_array().unwrap().is_empty(),
            "{name} shows figures"
        );
        if name == "batch-extraction" {
            // Service tiers, not routing: `route` says so.
            Cost::new()
                .args(["route", name])
                .status(2)
                .stderr_contains("has no routing plans")
                .run();
        } else {
            let json = Cost::new()
                .args(["route", name, "--no-bands"])
                .stderr_any()
                .run_json();
            assert!(
                json["classes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|c| c["ttft_answer_s"].is_number()
                        || explained(
                            &all,
                            c["served_by"].as_str().unwrap_or(""),
                            "no published figure"
                        )),
                "{name}"
            );
        }
        for args in [
            vec!["frontier", name],
            vec!["simulate", name, "--trials", "20"],
        ] {
            let json = Cost::new().args(args.clone()).stderr_any().run_json();
            assert!(json["command"].is_string(), "{args:?}");
        }
    }
}

#[test]
fn the_default_scenario_shows_quality_and_latency_on_todays_lineup() {
    let json = Cost::new().args(["compare", "--no-bands"]).run_json();
    let plans = json["plans"].as_array().unwrap();
    for row in plans {
        let routes = row["routes"].as_str().unwrap();
        for key in ["ttft_s", "ttft_answer_s", "e2e_s"] {
            assert!(row[key].is_number(), "{routes}: {key}");
        }
        if !["gpt-4o", "gemini-3.1-pro-preview", "llama-3.1-8b-instant"].contains(&routes) {
            assert!(row["quality"].is_number(), "{routes}: quality");
        }
    }
    let all = notes(&json).join("\n");
    assert!(
        all.contains("quality proxy: class `hard`: terminal-bench-4.0"),
        "{all}"
    );
    assert!(
        all.contains(
            "no terminal-bench-4.0 score for gemini-3.1-pro-preview, gpt-4o, llama-3.1-8b-instant"
        ),
        "{all}"
    );
}

#[test]
fn the_hard_class_waits_for_its_thinking() {
    // At high effort, the frontier model's first answer token comes after its
    // hidden thinking (tens of seconds); the easy class at low effort on a
    // cheap model answers in seconds.
    let json = Cost::new().args(["route"]).stderr_any().run_json();
    let class = |plan: &str, class: &str| {
        json["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["plan"] == plan && c["class"] == class)
            .unwrap()["ttft_answer_s"]
            .as_f64()
            .unwrap()
    };
    assert!(
        class("routed", "hard") > 20.0,
        "{}",
        class("routed", "hard")
    );
    assert!(class("routed", "easy") < 5.0, "{}", class("routed", "easy"));
}

const MINE: &str = "[[latency]]\nmodel = \"gpt-6-luna\"\nbasis = \"your-traffic\"\nreasoning = \"unstated\"\nttft_s = 3.2\noutput_tps = 40.0\nttft_prompt_tokens = 1000\nsamples = 1234\nfirst = 2026-11-01\nlast = 2026-11-30\nmeasured = 2026-11-30\nsource = \"requests.jsonl\"\n";

#[test]
fn a_latency_sheet_from_your_traffic_wins_over_published_figures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, MINE).unwrap();
    let json = Cost::new()
        .args([
            "compare",
            "routing-example",
            "--models",
            "gpt-6-luna",
            "--pricing",
            path.to_str().unwrap(),
        ])
        .run_json();
    let row = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["routes"] == "gpt-6-luna")
        .unwrap()
        .clone();
    // b = 3.2 - 1,000/5,000 = 3.0; the class's prompt decides the rest.
    assert!(row["ttft_s"].as_f64().unwrap() > 3.0, "{row}");
    let all = notes(&json).join("\n");
    assert!(
        all.contains("measured on your traffic, n = 1234, 2026-11-01..2026-11-30 (requests.jsonl)"),
        "{all}"
    );
}

#[test]
fn a_figure_for_an_unknown_model_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, MINE.replace("gpt-6-luna", "gpt-6-lunar")).unwrap();
    Cost::new()
        .args(["compare", "--pricing", path.to_str().unwrap()])
        .status(2)
        .stderr_contains("mine.toml:2")
        .stderr_contains("unknown model `gpt-6-lunar`")
        .stderr_contains("did you mean `gpt-6-luna`")
        .run();
}

#[test]
fn a_bad_proxy_or_effort_is_an_error_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    let base = "name = \"p\"\nbaseline = \"a\"\n[volume]\nrequests_per_day = 100\n[[classes]]\nname = \"c\"\nshare = 1.0\nprompt = 100\noutput = 10\n";
    let plan = "[[plans]]\nname = \"a\"\nmodel = \"gpt-6-sol\"\n";
    std::fs::write(
        &path,
        format!("{base}[quality_proxy]\nc = \"termnal-bench-4.0\"\n{plan}"),
    )
    .unwrap();
    Cost::new()
        .args(["compare", path.to_str().unwrap()])
        .status(2)
        .stderr_contains("p.toml:11: `quality_proxy.c`: no model has a `termnal-bench-4.0` score")
        .stderr_contains("did you mean `terminal-bench-4.0`")
        .run();
    std::fs::write(&path, format!("{base}reasoning_effort = \"turbo\"\n{plan}")).unwrap();
    Cost::new()
        .args(["compare", path.to_str().unwrap()])
        .status(2)
        .stderr_contains("`classes[0].reasoning_effort`: `turbo` is not a reasoning effort")
        .run();
}
