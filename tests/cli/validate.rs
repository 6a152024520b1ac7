//! `cost validate`: errors exit 2 with file, line and key; warnings are
//! reported and only fail with `--strict`.

use super::{cost, fixture, json_of};

fn run(args: &[&str]) -> (i32, String) {
    let out = cost().args(args).output().expect("cost runs");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn the_shipped_sheets_and_scenarios_are_clean() {
    let json = json_of(&["validate", "--at", "2026-11-28"]);
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 0);
    assert!(json["models"].as_u64().unwrap() >= 80);
}

#[test]
fn broken_sheets_and_scenarios_are_errors_with_file_and_line() {
    let (code, out) = run(&[
        "validate",
        &fixture("sheets"),
        &fixture("scenarios/bad-shares.toml"),
        &fixture("scenarios/budget-no-unit.toml"),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 2);
    assert!(
        out.contains("overlapping-dates.toml,16,models[0].prices[1].from"),
        "{out}"
    );
    assert!(out.contains("negative-tier.toml,15,"), "{out}");
    assert!(out.contains("no-source.toml"), "{out}");
    assert!(out.contains("bad-shares.toml,14,classes[1].share"), "{out}");
    assert!(out.contains("budget-no-unit.toml,6,budget"), "{out}");
}

#[test]
fn stale_prices_are_warnings_and_fail_only_with_strict() {
    let (code, out) = run(&[
        "validate",
        "--max-age",
        "30d",
        "--at",
        "2027-06-01",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("warning,"), "{out}");
    assert!(out.contains(",stale,"), "{out}");
    let (code, _) = run(&[
        "validate",
        "--max-age",
        "30d",
        "--at",
        "2027-06-01",
        "--strict",
    ]);
    assert_eq!(code, 2);
    let (code, _) = run(&[
        "validate",
        "--max-age",
        "30d",
        "--at",
        "2026-12-01",
        "--strict",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn against_a_catalog_reports_every_differing_price() {
    let json = json_of(&[
        "validate",
        &fixture("sheets/override-gpt-4o.toml"),
        "--against",
        &fixture("catalogs/litellm-subset.json"),
    ]);
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
    let json = json_of(&[
        "validate",
        "--against",
        &fixture("catalogs/genai-prices-subset.json"),
        "--at",
        "2026-11-28",
    ]);
    // The explained differences in genai-prices-known-differences.txt.
    assert!(json["warnings"].as_u64().unwrap() > 0);
    assert_eq!(json["errors"], 0);
}

#[test]
fn a_bad_max_age_is_a_usage_error() {
    let (code, _) = run(&["validate", "--max-age", "soon"]);
    assert_eq!(code, 2);
}
