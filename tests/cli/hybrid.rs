//! Hybrid plans: a self-hosted deployment as a route beside API models.

use super::{fixture, Cost};

const AT: &str = "2026-12-01";

fn plan<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan"] == name)
        .unwrap_or_else(|| panic!("plan {name}"))
}

#[test]
fn compare_prices_a_hybrid_plan_beside_an_api_only_one() {
    let scenario = fixture("hybrid.toml");
    Cost::new()
        .args(["compare", &scenario, "--at", AT])
        .stdout_contains("easy → gpt-oss-120b@h200-fp8:on_demand, hard → gpt-6-luna")
        .stdout_contains("self-hosted fleet of 2 x NVIDIA H200")
        .stdout_contains("$7.912/GPU-hour")
        .run();
    let json = Cost::new()
        .args(["compare", &scenario, "--at", AT])
        .run_json();
    let (api, hybrid) = (plan(&json, "api"), plan(&json, "hybrid"));
    // 2 H200s (1 serving + 1 spare) at $7.912 x 24 h = $379.776/day over the
    // 7,000 easy requests: $0.054253714286 each; the hard 30% stays on the API.
    // gpt-6-luna at $0.10 in / $0.50 out per 1M tokens: easy 1,000 / 500 is
    // $0.00035, hard 3,000 / 1,000 is $0.0008.
    let api_cost = api["cost_per_request_usd"].as_f64().unwrap();
    assert!(
        (api_cost - (0.7 * 0.000_35 + 0.3 * 0.000_8)).abs() < 1e-12,
        "{api_cost}"
    );
    let api_hard = 0.000_8;
    let want = 0.7 * 0.054_253_714_286 + 0.3 * api_hard;
    let got = hybrid["cost_per_request_usd"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-9, "hybrid {got}, want {want}");
    // Quality: 0.7 x 0.86 (the deployment's stated rate) + 0.3 x 0.8.
    assert!(
        (hybrid["quality"].as_f64().unwrap() - 0.842).abs() < 1e-9,
        "{hybrid}"
    );
}

fn bad(scenario: &str, needle: &str) {
    Cost::new()
        .args(["compare", "-", "--at", AT])
        .stdin(scenario)
        .status(2)
        .stderr_contains(needle)
        .run();
}

const HEAD: &str = "name = \"b\"\n[volume]\nrequests_per_day = 1000\n[[classes]]\nname = \"easy\"\nshare = 0.5\nprompt = 100\noutput = 100\n[[classes]]\nname = \"hard\"\nshare = 0.5\nprompt = 100\noutput = 100\n[[plans]]\nname = \"p\"\n";

#[test]
fn an_unknown_deployment_is_refused_with_its_line_key_and_the_known_ids() {
    bad(
        &format!("{HEAD}routes = {{ easy = {{ deploy = \"gpt-oss-120b@h200-fp9\", basis = \"on_demand\" }}, hard = \"gpt-6-luna\" }}\n"),
        ":16: `plans[0].routes.easy.deploy`: no deployment `gpt-oss-120b@h200-fp9`",
    );
}

#[test]
fn a_basis_without_a_price_row_is_refused_with_the_bases_that_have_one() {
    bad(
        &format!("{HEAD}routes = {{ easy = {{ deploy = \"gpt-oss-120b@h200-fp8\", basis = \"reserved_1y\" }}, hard = \"gpt-6-luna\" }}\n"),
        "`plans[0].routes.easy.basis`: h200 has no price on basis `reserved_1y` (it has: ",
    );
}

#[test]
fn a_deployment_cannot_be_a_cascade_stage() {
    bad(
        &format!("{HEAD}cascade = [{{ deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }}, \"gpt-6-luna\"]\nescalation = {{ easy = 0.1, hard = 0.5 }}\n"),
        "a self-hosted deployment cannot be a cascade stage",
    );
}

#[test]
fn the_gateway_refuses_a_plan_with_a_self_hosted_route_by_name() {
    Cost::new()
        .args(["gateway", "hybrid", "--plan", "hybrid-h200", "--ledger", ":memory:"])
        .status(2)
        .stderr_contains("plan `hybrid-h200` sends traffic to the self-hosted deployment `gpt-oss-120b@h200-fp8:on_demand`")
        .stderr_contains("hint: serve it by a plan of API models")
        .run();
}
