use super::{fixture, Cost};

const AT: &str = "2026-12-01";

#[test]
fn breakeven_sizes_a_fleet_and_prices_it_against_every_plan() {
    let json = Cost::new()
        .args([
            "breakeven",
            "default",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--at",
            AT,
        ])
        .run_json();
    assert_eq!(json["basis"], "on_demand");
    assert_eq!(json["gpu"], "h200");
    // One H200 per replica, N+1: at 10,000 requests a day two GPUs.
    assert_eq!(json["gpus"], 2);
    let plans = json["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2, "{plans:?}");
    for p in plans {
        let self_month: f64 = p["self_cost_per_month_usd"].as_f64().unwrap();
        let api_month: f64 = p["api_cost_per_month_usd"].as_f64().unwrap();
        let diff: f64 = p["self_minus_api_per_month_usd"].as_f64().unwrap();
        assert!((self_month - api_month - diff).abs() < 1e-6);
        // Below its break-even volume, the share of it is under 1 and the
        // Monte Carlo rarely favours self-hosting.
        if let Some(share) = p["volume_share_of_breakeven"].as_f64() {
            assert!(share > 0.0);
            if share < 0.5 {
                assert!(p["p_self_cheaper"].as_f64().unwrap() < 0.5, "{p}");
            }
        }
    }
}

#[test]
fn breakeven_volume_sweep_flips_where_the_plans_table_says() {
    let json = Cost::new()
        .args([
            "breakeven",
            "default",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--at",
            AT,
        ])
        .run_json();
    let plan = &json["plans"][0];
    let v = plan["breakeven_requests_per_day"]
        .as_f64()
        .expect("a break-even volume");
    let name = plan["plan"].as_str().unwrap();
    let range = format!("volume={}..{}:{}", v * 0.5, v * 1.5, v * 0.25);
    let sweep = Cost::new()
        .args([
            "breakeven",
            "default",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--at",
            AT,
            "--vary",
            &range,
        ])
        .run_json();
    let rows: Vec<_> = sweep["volume"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["plan"] == name)
        .collect();
    assert_eq!(rows.len(), 5);
    // Half the break-even volume: the API is cheaper; 1.5x: self-hosting.
    assert_eq!(rows[0]["self_cheaper"], false);
    assert_eq!(rows[4]["self_cheaper"], true);
}

#[test]
fn breakeven_basis_sweep_names_every_basis_the_gpu_has() {
    let out = Cost::new()
        .args([
            "breakeven",
            "default",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--at",
            AT,
            "--vary",
            "basis",
            "--format",
            "csv",
        ])
        .stderr_any()
        .run()
        .stdout;
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("basis,price_usd_per_gpu_hour,"),
        "{header}"
    );
    for basis in ["owned_tco", "reserved_3y", "on_demand", "spot"] {
        assert!(out.contains(&format!("\n{basis},")), "{basis}: {out}");
    }
}

#[test]
fn breakeven_draws_the_step_chart() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("be.svg");
    Cost::new()
        .args([
            "breakeven",
            "default",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--at",
            AT,
            "--format",
            "json",
            "--plot",
        ])
        .arg(&svg)
        .stderr_any()
        .run();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("self-hosted gpt-oss-120b@h200-fp8"));
}

#[test]
fn a_row_above_the_roofline_is_refused_with_file_line_and_key() {
    let f = fixture("selfhost/above-roofline.toml");
    Cost::new()
        .args([
            "breakeven",
            "--deploy",
            "toy-70b@h100-fp8",
            "--deployments",
            &f,
        ])
        .status(2)
        .stderr_contains("above-roofline.toml")
        .stderr_contains("above-roofline.toml:28:")
        .stderr_contains("deployments[0].rows[0].output_tps_per_gpu")
        .stderr_contains("roofline of 47 tok/s per GPU")
        .run();
}

#[test]
fn a_model_that_does_not_fit_is_refused() {
    let f = fixture("selfhost/too-big.toml");
    Cost::new()
        .args([
            "breakeven",
            "--deploy",
            "toy-70b@h100-bf16",
            "--deployments",
            &f,
        ])
        .status(2)
        .stderr_contains("too-big.toml")
        .stderr_contains("deployments[0].gpus")
        .stderr_contains("141.2 GB")
        .run();
}

#[test]
fn a_price_without_a_basis_is_refused() {
    let f = fixture("selfhost/no-basis.toml");
    Cost::new()
        .args([
            "breakeven",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--hardware",
            &f,
        ])
        .status(2)
        .stderr_contains("no-basis.toml")
        .stderr_contains("no-basis.toml:12:")
        .stderr_contains("prices[0]")
        .stderr_contains("no `basis`")
        .run();
}

#[test]
fn a_latency_target_no_row_meets_is_an_error() {
    Cost::new()
        .args([
            "breakeven",
            "--deploy",
            "llama-3.3-70b@h100-fp8-nim",
            "--min-user-tps",
            "100",
            "--at",
            AT,
        ])
        .status(2)
        .stderr_contains("per-user speed of at least 100 tok/s")
        .stderr_contains("fastest stated: 53.8 tok/s")
        .run();
}

#[test]
fn a_basis_the_gpu_has_no_price_on_lists_the_ones_it_has() {
    Cost::new()
        .args([
            "breakeven",
            "--deploy",
            "gpt-oss-120b@h200-fp8",
            "--basis",
            "reserved_1y",
            "--at",
            AT,
        ])
        .status(2)
        .stderr_contains("h200 has no price on basis `reserved_1y`")
        .stderr_contains("on_demand")
        .run();
}
