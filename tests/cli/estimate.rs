use super::Cost;

#[test]
fn gpt_4o_example_from_the_pricing_semantics() {
    let json = Cost::new()
        .args([
            "estimate",
            "--model",
            "gpt-4o",
            "--input",
            "12000",
            "--cache-read",
            "4000",
            "--output",
            "800",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    assert_eq!(json["total_usd"], serde_json::json!(0.033));
    let lines = json["lines"].as_array().unwrap();
    let input = lines.iter().find(|l| l["part"] == "input").unwrap();
    assert_eq!(input["tokens"], 8000);
    assert_eq!(input["usd_per_million"], 2.5);
}

#[test]
fn claude_haiku_4_5_example_via_its_dated_alias() {
    let json = Cost::new()
        .args([
            "estimate",
            "-m",
            "claude-haiku-4-5-20251001",
            "--input",
            "8000",
            "--cache-read",
            "2000",
            "--output",
            "1000",
        ])
        .run_json();
    assert_eq!(json["model"], "claude-haiku-4-5");
    assert_eq!(json["total_usd"], serde_json::json!(0.0112));
}

#[test]
fn gemini_2_5_pro_cliff_is_judged_on_the_prompt() {
    let at = Cost::new()
        .args([
            "estimate",
            "-m",
            "gemini-2.5-pro",
            "--input",
            "200000",
            "--output",
            "1000",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    assert_eq!(at["total_usd"], serde_json::json!(0.26));
    assert!(at["long_context_above"].is_null());
    let over = Cost::new()
        .args([
            "estimate",
            "-m",
            "gemini-2.5-pro",
            "--input",
            "200001",
            "--output",
            "1000",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    assert_eq!(over["total_usd"], serde_json::json!(0.515_002_5));
    assert_eq!(over["long_context_above"], 200_000);
}

#[test]
fn batch_halves_the_token_price() {
    let std = Cost::new()
        .args([
            "estimate", "-m", "gpt-4o", "--input", "1000000", "--output", "1000000",
        ])
        .run_json();
    let batch = Cost::new()
        .args([
            "estimate", "-m", "gpt-4o", "--input", "1000000", "--output", "1000000", "--tier",
            "batch",
        ])
        .run_json();
    assert_eq!(std["total_usd"], serde_json::json!(12.5));
    assert_eq!(batch["total_usd"], serde_json::json!(6.25));
}

#[test]
fn a_price_change_is_honoured_on_its_exact_day() {
    // o3: 10/40 until 2025-06-09, 2/8 from 2025-06-10 (genai-prices' dated prices).
    let before = Cost::new()
        .args([
            "estimate",
            "-m",
            "o3",
            "--input",
            "1000000",
            "--output",
            "0",
            "--at",
            "2025-06-09",
        ])
        .run_json();
    let on = Cost::new()
        .args([
            "estimate",
            "-m",
            "o3",
            "--input",
            "1000000",
            "--output",
            "0",
            "--at",
            "2025-06-10",
        ])
        .run_json();
    assert_eq!(before["total_usd"], serde_json::json!(10));
    assert_eq!(on["total_usd"], serde_json::json!(2));
}

#[test]
fn table_lists_a_line_per_component_and_the_total() {
    let out = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "12000",
            "--cache-read",
            "4000",
            "--output",
            "800",
            "--reasoning",
            "100",
        ])
        .run()
        .stdout;
    for part in ["input", "cache_read", "output", "reasoning", "total"] {
        assert!(out.contains(part), "{part} in {out}");
    }
}
