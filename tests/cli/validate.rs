//! `cost validate`: errors exit 2 with file, line and key; warnings are
//! reported and only fail with `--strict`.

use super::{fixture, Cost};

#[test]
fn the_shipped_sheets_and_scenarios_are_clean() {
    let json = Cost::new()
        .args(["validate", "--at", "2026-11-28"])
        .run_json();
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 0);
    assert!(json["models"].as_u64().unwrap() >= 80);
}

#[test]
fn broken_sheets_and_scenarios_are_errors_with_file_and_line() {
    // The findings are the report (stdout); the verdict is an error on stderr.
    Cost::new()
        .args([
            "validate",
            &fixture("sheets"),
            &fixture("scenarios/bad-shares.toml"),
            &fixture("scenarios/budget-no-unit.toml"),
            "--format",
            "csv",
        ])
        .status(2)
        .failure_report()
        .stdout_contains("overlapping-dates.toml,16,models[0].prices[1].from")
        .stdout_contains("negative-tier.toml,15,")
        .stdout_contains("no-source.toml")
        .stdout_contains("bad-shares.toml,14,classes[1].share")
        .stdout_contains("budget-no-unit.toml,6,budget")
        .stderr_contains("note: errors fail validation (exit 2)")
        .stderr_contains("error: validation failed: ")
        .run();
}

#[test]
fn stale_prices_are_warnings_and_fail_only_with_strict() {
    Cost::new()
        .args([
            "validate",
            "--max-age",
            "30d",
            "--at",
            "2027-06-01",
            "--format",
            "csv",
        ])
        .stdout_contains("warning,")
        .stdout_contains(",stale,")
        .stderr_contains("note: ")
        .stderr_contains(": 0 errors, ")
        .stderr_contains("prices verified more than 30 days ago are stale (--max-age)")
        .stderr_only_notes()
        .run();
    Cost::new()
        .args([
            "validate",
            "--max-age",
            "30d",
            "--at",
            "2027-06-01",
            "--strict",
        ])
        .status(2)
        .failure_report()
        // The table format keeps its notes inside the report: only the verdict.
        .stderr_contains("error: validation failed: 0 errors, ")
        .stderr_contains(" warnings (--strict)\n")
        .run();
    Cost::new()
        .args([
            "validate",
            "--max-age",
            "30d",
            "--at",
            "2026-12-01",
            "--strict",
        ])
        .run();
}

#[test]
fn against_a_catalog_reports_every_differing_price() {
    let json = Cost::new()
        .args([
            "validate",
            &fixture("sheets/override-gpt-4o.toml"),
            "--against",
            &fixture("catalogs/litellm-subset.json"),
        ])
        .run_json();
    let findings = json["findings"].as_array().unwrap();
    let messages: Vec<&str> = findings
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"`gpt-4o` standard input: ours $2, LiteLLM $2.5 per 1M tokens"),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"`gpt-4o` standard output: ours $8, LiteLLM $10 per 1M tokens"),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("batch")),
        "a tier LiteLLM has and the sheet lacks"
    );
    assert!(findings.iter().all(|f| f["severity"] == "warning"));
}

#[test]
fn against_genai_prices_too() {
    let json = Cost::new()
        .args([
            "validate",
            "--against",
            &fixture("catalogs/genai-prices-subset.json"),
            "--at",
            "2026-11-28",
        ])
        .run_json();
    // The explained differences in genai-prices-known-differences.txt.
    assert!(json["warnings"].as_u64().unwrap() > 0);
    assert_eq!(json["errors"], 0);
}

#[test]
fn a_bad_max_age_is_a_usage_error() {
    Cost::new()
        .args(["validate", "--max-age", "soon"])
        .status(2)
        .stderr("error: --max-age soon: expected a number of days such as 30d or 8w\n")
        .run();
}

#[test]
fn the_shipped_sheets_agree_with_litellm_but_for_explained_differences() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/catalogs/litellm-model-prices-1.110.2.json"
    );
    let out = Cost::new()
        .args([
            "validate",
            "--strict",
            "--at",
            "2026-12-01",
            "--against",
            fixture,
        ])
        .args(["--format", "csv"])
        .stderr_contains("0 errors, 0 warnings")
        .stderr_contains("explained by the sheets' `catalog_note`")
        .run();
    assert!(
        out.stdout
            .lines()
            .skip(1)
            .all(|l| l.starts_with("explained,")),
        "{}",
        out.stdout
    );
}
