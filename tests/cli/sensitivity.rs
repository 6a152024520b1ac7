use serde_json::Value;

use super::Cost;

fn rows(json: &Value) -> &Vec<Value> {
    json["assumptions"]
        .as_array()
        .expect("an assumptions table")
}

fn row<'a>(json: &'a Value, name: &str) -> &'a Value {
    rows(json)
        .iter()
        .find(|r| r["assumption"] == name)
        .unwrap_or_else(|| panic!("no `{name}` row in {json}"))
}

fn number(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn volume_and_a_single_models_prices_move_its_bill_by_exactly_their_range() {
    let json = Cost::new()
        .args([
            "sensitivity",
            "routing-example",
            "--plan",
            "all-strong",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    assert_eq!(json["plan"], "all-strong");
    let base = number(&json["cost_per_month_usd"]);
    assert!(base > 0.0);
    let close = |a: f64, b: f64| assert!((a - b).abs() <= 1e-6 * b.max(1.0), "{a} != {b}");
    let volume = row(&json, "volume");
    close(number(&volume["low_cost_per_month_usd"]), base * 0.8);
    close(number(&volume["high_cost_per_month_usd"]), base * 1.2);
    close(number(&volume["swing_share"]), 0.4);
    let price = rows(&json)
        .iter()
        .find(|r| r["assumption"].as_str().unwrap().starts_with("price:"))
        .expect("a price row");
    close(number(&price["low_cost_per_month_usd"]), base * 0.8);
    close(number(&price["high_cost_per_month_usd"]), base * 1.2);
    // A single model never misroutes.
    assert!(rows(&json).iter().all(|r| r["assumption"] != "misroute"));
    let swings: Vec<f64> = rows(&json)
        .iter()
        .map(|r| number(&r["swing_per_month_usd"]))
        .collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
}

#[test]
fn without_a_plan_the_recommended_one_is_examined_and_the_rule_is_stated() {
    let out = Cost::new()
        .args([
            "sensitivity",
            "routing-example",
            "--at",
            "2026-11-28",
            "--format",
            "csv",
        ])
        .stderr_contains("is the recommended: the cheapest declared plan")
        .stderr_any()
        .run();
    let header = out.stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "assumption,base_value,low_value,high_value,low_cost_per_month_usd,high_cost_per_month_usd,swing_per_month_usd,swing_share,range"
    );
    assert!(out.stdout.contains("\nmisroute,") || out.stdout.contains("\nshare:easy,"));
}

#[test]
fn a_routing_plan_shows_what_misroutes_would_cost() {
    let json = Cost::new()
        .args([
            "sensitivity",
            "routing-example",
            "--plan",
            "perfect-router",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let base = number(&json["cost_per_month_usd"]);
    let m = row(&json, "misroute");
    assert!((number(&m["low_cost_per_month_usd"]) - base).abs() < 1e-6 * base);
    assert!(number(&m["high_cost_per_month_usd"]) > base);
}

#[test]
fn an_unknown_plan_is_an_error_naming_the_plans() {
    Cost::new()
        .args(["sensitivity", "routing-example", "--plan", "perfect-routr"])
        .status(2)
        .stderr_contains("error: no plan `perfect-routr` in scenario `routing-example`")
        .stderr_contains("did you mean `perfect-router`?")
        .run();
}
