//! Closing the loop on a real gateway log (`tests/fixtures/gateway/requests.jsonl`,
//! written by `cost gateway` in front of the benchmark's mock upstream):
//! `cost replay --by class,model` reproduces the gateway's own totals to
//! the picodollar, and `--forecast` sets them beside the scenario's forecast
//! with the savings the log's baseline counterfactual shows.

use std::collections::BTreeMap;

use cost::money::Money;
use serde_json::Value;

use super::money;
use crate::{fixture, Cost};

fn log_lines() -> Vec<Value> {
    std::fs::read_to_string(fixture("gateway/requests.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Per (class, model): the sum of the log's `cost_usd` and `baseline_cost_usd`.
fn logged() -> BTreeMap<(String, String), (Money, Money)> {
    let mut out: BTreeMap<(String, String), (Money, Money)> = BTreeMap::new();
    for l in log_lines() {
        let key = (
            l["class"].as_str().unwrap().to_string(),
            l["model"].as_str().unwrap().to_string(),
        );
        let e = out.entry(key).or_default();
        e.0 += money(&l["cost_usd"]);
        e.1 += money(&l["baseline_cost_usd"]);
    }
    out
}

#[test]
fn replay_by_class_and_model_reproduces_the_gateways_totals_to_the_picodollar() {
    let report = Cost::new()
        .args([
            "replay",
            &fixture("gateway/requests.jsonl"),
            "--by",
            "class,model",
        ])
        .run_json();
    let groups = report["groups"].as_array().unwrap();
    let expected = logged();
    assert_eq!(groups.len(), expected.len());
    assert!(expected.len() >= 2, "the fixture routes to two classes");
    for g in groups {
        let key = (
            g["class"].as_str().unwrap().to_string(),
            g["model"].as_str().unwrap().to_string(),
        );
        assert_eq!(money(&g["cost_usd"]), expected[&key].0, "{key:?}");
        assert_eq!(money(&g["logged_difference_usd"]), Money::ZERO, "{key:?}");
    }
}

#[test]
fn forecast_beside_actual_per_class_with_the_actual_savings() {
    let report = Cost::new()
        .args(["replay", &fixture("gateway/requests.jsonl")])
        .args([
            "--forecast",
            &fixture("gateway/scenario.toml"),
            "--plan",
            "router",
        ])
        .args(["--at", "2026-12-01"])
        .run_json();
    let rows = report["classes"].as_array().unwrap();
    let by_class: BTreeMap<&str, &Value> = rows
        .iter()
        .map(|r| (r["class"].as_str().unwrap(), r))
        .collect();
    let mut per_class: BTreeMap<String, (Money, Money)> = BTreeMap::new();
    for ((class, _), (cost, baseline)) in logged() {
        let e = per_class.entry(class).or_default();
        e.0 += cost;
        e.1 += baseline;
    }
    let lines = log_lines();
    for (class, (cost, baseline)) in &per_class {
        let row = by_class[class.as_str()];
        assert_eq!(money(&row["cost_usd"]), *cost, "{class}");
        assert_eq!(money(&row["savings_usd"]), *baseline - *cost, "{class}");
        let n = lines
            .iter()
            .filter(|l| l["class"] == class.as_str())
            .count();
        assert_eq!(row["requests"], n);
        let share = n as f64 / lines.len() as f64;
        assert!((row["actual_share"].as_f64().unwrap() - share).abs() < 1e-12);
    }
    // The scenario's own mix and the plan's expected costs stand beside them.
    assert_eq!(by_class["easy"]["forecast_share"], 0.8);
    assert_eq!(by_class["hard"]["forecast_share"], 0.2);
    assert!(
        by_class["hard"]["forecast_cost_per_request_usd"]
            .as_f64()
            .unwrap()
            > by_class["easy"]["forecast_cost_per_request_usd"]
                .as_f64()
                .unwrap()
    );
    let total = by_class["total"];
    let all: Money = per_class.values().map(|v| v.0).sum();
    assert_eq!(money(&total["cost_usd"]), all);
    assert_eq!(money(&report["cost_usd"]), all);
    assert_eq!(report["plan"], "router");
}

#[test]
fn forecast_refuses_a_log_the_gateway_did_not_write() {
    Cost::new()
        .args(["replay", &fixture("replay/chat.jsonl")])
        .args([
            "--forecast",
            &fixture("gateway/scenario.toml"),
            "--plan",
            "router",
        ])
        .status(2)
        .stderr_contains("not a `cost gateway` line")
        .run();
    Cost::new()
        .args(["replay", &fixture("gateway/requests.jsonl")])
        .args([
            "--forecast",
            &fixture("gateway/scenario.toml"),
            "--plan",
            "nope",
        ])
        .status(2)
        .stderr_contains("no plan `nope`")
        .run();
}
