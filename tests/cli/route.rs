use super::Cost;

fn plan<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan"] == name)
        .unwrap_or_else(|| panic!("plan {name}"))
}

#[test]
fn classifier_misroutes_are_counted_and_priced() {
    let json = Cost::new()
        .args([
            "route",
            "routing-example",
            "--plan",
            "classifier-tpr",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let rows = json["classes"].as_array().unwrap();
    let easy = rows.iter().find(|r| r["class"] == "easy").unwrap();
    let hard = rows.iter().find(|r| r["class"] == "hard").unwrap();
    // FPR 0.1: a tenth of easy traffic is paid at gpt-4o: 8,000/day x 0.1 x ($0.00425 - $0.000255).
    assert!((easy["over_served"].as_f64().unwrap() - 0.1).abs() < 1e-12);
    assert!(
        (easy["wasted_per_day_usd"].as_f64().unwrap() - 800.0 * (0.00425 - 0.000_255)).abs() < 1e-9
    );
    // TPR 0.9: a tenth of hard traffic goes to gpt-4o-mini, losing 0.85 - 0.40 each.
    assert!((hard["under_served"].as_f64().unwrap() - 0.1).abs() < 1e-12);
    assert!((hard["quality_lost"].as_f64().unwrap() - 0.045).abs() < 1e-12);
}

#[test]
fn savings_name_both_baselines_and_a_random_router_costs_the_straight_line() {
    let json = Cost::new()
        .args([
            "route",
            "routing-example",
            "--plan",
            "perfect-router",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let p = plan(&json, "perfect-router");
    let month = 10_000.0 * 365.25 / 12.0;
    // Same strong share (20%) at random: 0.8 x $0.000255 + 0.2 x $0.00425 per request.
    let random = (0.8 * 0.000_255 + 0.2 * 0.00425) * month;
    assert!((p["random_router_per_month_usd"].as_f64().unwrap() - random).abs() < 1e-6);
    assert!(
        (p["savings_per_month_usd"].as_f64().unwrap() - (0.00425 - 0.001_054) * month).abs() < 1e-6
    );
    let notes = json["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n
        .as_str()
        .unwrap()
        .contains("against the baseline plan `all-strong`")));
}

#[test]
fn misroutes_alone_never_make_a_cheap_first_plan_dearer_than_all_strong() {
    // cost(m) = 0.2[(1-m)cS + m cW] + 0.8[(1-m)cW + m cS] reaches cS only at m = 4/3.
    let json = Cost::new()
        .args([
            "route",
            "routing-example",
            "--plan",
            "perfect-router",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let p = plan(&json, "perfect-router");
    assert!(p["breakeven_misroute_rate"].is_null(), "{p}");
    // The router could cost the whole saving per request before routing stops paying.
    assert!(
        (p["breakeven_router_cost_usd"].as_f64().unwrap() - (0.00425 - 0.001_054)).abs() < 1e-9
    );
    assert!(
        p["breakeven_share"].is_null(),
        "pays at every hard share below 100%"
    );
}

#[test]
fn break_even_points_make_the_plan_cost_what_the_baseline_costs() {
    let json = Cost::new()
        .args([
            "route",
            &super::fixture("scenarios/router-fee.toml"),
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let p = plan(&json, "judge-router");
    let (cw, cs, r) = (0.000_255, 0.00425, 0.002);
    // r + 0.2[(1-m)cS + m cW] + 0.8[(1-m)cW + m cS] = cS
    let m = (0.8 * (cs - cw) - r) / (0.6 * (cs - cw));
    assert!(
        (p["breakeven_misroute_rate"].as_f64().unwrap() - m).abs() < 1e-6,
        "{p}"
    );
    // r + h cS + (1-h) cW = cS
    let h = 1.0 - r / (cs - cw);
    assert!(
        (p["breakeven_share"].as_f64().unwrap() - h).abs() < 1e-6,
        "{p}"
    );
    assert_eq!(p["breakeven_class"], "hard");
    assert!(
        (p["breakeven_router_cost_usd"].as_f64().unwrap() - (cs - 0.2 * cs - 0.8 * cw)).abs()
            < 1e-9
    );
    let rows = json["classes"].as_array().unwrap();
    assert!(rows
        .iter()
        .all(|r| r["ttft_s"].is_null() || r["ttft_s"].as_f64().unwrap() > 0.4));
}

#[test]
fn cascade_reports_escalations() {
    let json = Cost::new()
        .args([
            "route",
            "routing-example",
            "--plan",
            "cascade",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let p = plan(&json, "cascade");
    assert!((p["escalated"].as_f64().unwrap() - 0.17).abs() < 1e-12);
}

#[test]
fn every_routing_plan_is_shown_by_default() {
    let out = Cost::new()
        .args(["route", "routing-example"])
        .env("COLUMNS", "0")
        .run()
        .stdout;
    for name in [
        "perfect-router",
        "classifier-tpr",
        "classifier-auc",
        "cascade",
        "oracle-0.9",
    ] {
        assert!(out.contains(name), "{name}");
    }
    assert!(
        !out.contains("│ all-weak"),
        "single-model plans are not routing plans"
    );
}

#[test]
fn an_unknown_plan_is_an_input_error() {
    let err = Cost::new()
        .args(["route", "routing-example", "--plan", "nope"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("no plan `nope`"), "{err}");
}

#[test]
fn a_scenario_without_routing_plans_says_so() {
    Cost::new()
        .args(["route", "batch-extraction"])
        .status(2)
        .stderr_contains("no routing plans")
        .run();
}

#[test]
fn the_random_router_is_priced_on_the_plans_service_tier() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch.toml");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/routing-example.toml"
    ))
    .unwrap()
    .replace(
        "name = \"perfect-router\"\n",
        "name = \"perfect-router\"\ntier = \"batch\"\n",
    );
    std::fs::write(&path, text).unwrap();
    let json = Cost::new()
        .args([
            "route",
            path.to_str().unwrap(),
            "--plan",
            "perfect-router",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let p = plan(&json, "perfect-router");
    // Same model shares, same tier, same tokens in both classes: no saving either way.
    assert!(
        p["savings_vs_random_per_month_usd"].as_f64().unwrap().abs() < 1e-9,
        "{p}"
    );
}
