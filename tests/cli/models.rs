use super::Cost;

#[test]
fn catalog_lists_at_least_forty_models_with_sources() {
    let json = Cost::new().args(["models"]).run_json();
    let models = json["models"].as_array().unwrap();
    assert!(models.len() >= 40, "{} models", models.len());
    for m in models {
        assert!(m["input_usd_per_million"].as_f64().is_some(), "{m}");
        assert!(m["verified"].as_str().is_some(), "{m}");
    }
}

#[test]
fn filters_by_provider_price_and_context() {
    let json = Cost::new()
        .args([
            "models",
            "--provider",
            "anthropic",
            "--max-price",
            "5",
            "--min-context",
            "200000",
        ])
        .run_json();
    let models = json["models"].as_array().unwrap();
    assert!(!models.is_empty());
    for m in models {
        assert_eq!(m["provider"], "anthropic");
        assert!(m["blended_usd_per_million"].as_f64().unwrap() <= 5.0);
        assert!(m["context_window"].as_u64().unwrap() >= 200_000);
    }
}

#[test]
fn sort_by_blended_price_is_ascending() {
    let json = Cost::new().args(["models", "--sort", "blended"]).run_json();
    let prices: Vec<f64> = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["blended_usd_per_million"].as_f64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn has_latency_keeps_only_models_with_figures() {
    let json = Cost::new().args(["models", "--has", "latency"]).run_json();
    let models = json["models"].as_array().unwrap();
    assert!(!models.is_empty());
    assert!(models
        .iter()
        .all(|m| !m["ttft_s"].is_null() || !m["output_tps"].is_null()));
}

#[test]
fn text_filter_matches_ids_and_aliases() {
    let out = Cost::new()
        .args(["models", "haiku", "--format", "csv"])
        .stderr_contains("note: prices in USD per 1M tokens in force on ")
        .stderr_contains(" models shown")
        .stderr_only_notes()
        .run()
        .stdout;
    assert!(out.lines().skip(1).all(|l| l.contains("haiku")), "{out}");
}

#[test]
fn a_price_change_is_honoured_on_its_exact_day() {
    // o3: 10/40 until 2025-06-09, 2/8 from 2025-06-10 (genai-prices' dated prices).
    let price = |at: &str| {
        let json = Cost::new().args(["models", "o3", "--at", at]).run_json();
        let o3 = json["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "o3")
            .cloned()
            .unwrap();
        (
            o3["input_usd_per_million"].as_f64(),
            o3["output_usd_per_million"].as_f64(),
        )
    };
    assert_eq!(price("2025-06-09"), (Some(10.0), Some(40.0)));
    assert_eq!(price("2025-06-10"), (Some(2.0), Some(8.0)));
}
