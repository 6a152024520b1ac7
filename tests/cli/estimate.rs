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
            "estimate", "-m", "gpt-4o", "--input", "100000", "--output", "10000",
        ])
        .run_json();
    let batch = Cost::new()
        .args([
            "estimate", "-m", "gpt-4o", "--input", "100000", "--output", "10000", "--tier", "batch",
        ])
        .run_json();
    assert_eq!(std["total_usd"], serde_json::json!(0.35));
    assert_eq!(batch["total_usd"], serde_json::json!(0.175));
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
            "100000",
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
            "100000",
            "--output",
            "0",
            "--at",
            "2025-06-10",
        ])
        .run_json();
    assert_eq!(before["total_usd"], serde_json::json!(1));
    assert_eq!(on["total_usd"], serde_json::json!(0.2));
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

#[test]
fn a_deepseek_request_is_priced_in_the_window_of_its_time() {
    let run = |time: &str| {
        Cost::new()
            .args([
                "estimate",
                "-m",
                "deepseek-v4-pro",
                "--input",
                "1000000",
                "--output",
                "0",
            ])
            .args(["--at", "2026-12-01", "--time", time])
            .run_json()
    };
    assert_eq!(run("03:00")["total_usd"], serde_json::json!(1.32));
    assert_eq!(run("10:00")["total_usd"], serde_json::json!(0.66));
    Cost::new()
        .args([
            "estimate",
            "-m",
            "deepseek-v4-pro",
            "--input",
            "1000000",
            "--output",
            "0",
        ])
        .args(["--at", "2026-12-01"])
        .stdout_contains("without --time the list (peak) price applies")
        .run();
}

#[test]
fn an_option_the_sheet_does_not_price_is_an_error_naming_it() {
    Cost::new()
        .args([
            "estimate", "-m", "gpt-4o", "--input", "1000", "--output", "10", "--fast",
        ])
        .args(["--at", "2026-11-28"])
        .status(2)
        .stderr_contains("`gpt-4o` does not support fast mode")
        .run();
    Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "1000",
            "--cache-write-1h",
            "500",
        ])
        .args(["--output", "10", "--at", "2026-11-28"])
        .status(2)
        .stderr_contains("long-retention cache writes")
        .run();
}

#[test]
fn a_retired_model_or_a_prompt_beyond_the_window_has_no_price() {
    Cost::new()
        .args([
            "estimate",
            "-m",
            "o4-mini",
            "--input",
            "1000",
            "--output",
            "10",
            "--at",
            "2026-10-23",
        ])
        .status(2)
        .stderr_contains("retired on 2026-10-23")
        .run();
    Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "128001",
            "--output",
            "10",
            "--at",
            "2026-11-28",
        ])
        .status(2)
        .stderr_contains("longer than `gpt-4o`'s context window (128000 tokens)")
        .run();
    Cost::new()
        .args([
            "estimate",
            "-m",
            "claude-opus-4-5",
            "--input",
            "1000",
            "--output",
            "10",
            "--at",
            "2026-11-30",
        ])
        .stderr_contains("warning: `claude-opus-4-5` is deprecated since 2026-11-23")
        .run();
}

#[test]
fn json_money_carries_exact_decimals() {
    let out = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "10880",
            "--output",
            "0",
            "--at",
            "2026-11-28",
        ])
        .args(["--format", "json"])
        .run();
    let text = out.stdout;
    assert!(text.contains("\"total_usd\": 0.0272"), "{text}");
    assert!(!text.contains("0.027200000000000002"), "{text}");
}
