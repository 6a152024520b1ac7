//! `cost diff` and `cost compare --check`: every gate passes or trips with
//! the right exit code and reason, causes name what changed, and bad saved
//! reports are refused with exit 2.

use super::{fixture, Cost};

/// The default scenario as shipped with fixed token counts (the built-in
/// one now has distributions), so every change below is hand-checkable.
fn base() -> String {
    fixture("scenarios/default-base.toml")
}

fn head() -> String {
    fixture("scenarios/default-head.toml")
}

fn causes(json: &serde_json::Value, plan: &str) -> Vec<(String, String, f64)> {
    json["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["plan"] == plan)
        .map(|c| {
            (
                c["cause"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
                c["delta_per_month_usd"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_gate_passes_when_the_change_is_within_limits() {
    let out = Cost::new()
        .args([
            "diff",
            &base(),
            &head(),
            "--fail-above-usd",
            "500",
            "--fail-above-pct",
            "10",
        ])
        .stdout_contains("gates passed")
        .run();
    assert!(!out.stderr.contains("gate failed"), "{}", out.stderr);
}

#[test]
fn a_gate_trips_on_usd_with_the_reason_on_stderr_and_in_the_output() {
    Cost::new()
        .args(["diff", &base(), &head(), "--fail-above-usd", "100"])
        .status(1)
        .stderr_contains("gate failed: plan `routed` changes by +$487.00/month")
        .stderr_contains("--fail-above-usd")
        .stdout_contains("gates FAILED")
        .stdout_contains("over the limit of +$100.00/month")
        .run();
}

#[test]
fn a_gate_trips_on_percent() {
    let out = Cost::new()
        .args(["diff", &base(), &head(), "--fail-above-pct", "8"])
        .status(1)
        .stdout_contains("fail_above_pct")
        .stderr(
            "gate failed: plan `routed` changes by +8.6%, over the limit of +8.0% (--fail-above-pct)\n",
        )
        .run();
    // routed: $5,667.46 -> $6,154.46 a month is +8.6%; all-frontier +5.9% passes.
    assert!(
        out.stderr.contains("plan `routed` changes by +8.6%"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("all-frontier"), "{}", out.stderr);
}

#[test]
fn gate_only_the_named_plan() {
    Cost::new()
        .args([
            "diff",
            &base(),
            &head(),
            "--fail-above-pct",
            "6",
            "--plan",
            "all-frontier",
        ])
        .run();
}

#[test]
fn saved_reports_diff_and_attribute_tokens_and_routes() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let head_json = dir.path().join("head.json");
    let base_toml = fixture("scenarios/default-base.toml");
    for (scenario, path) in [(base_toml.as_str(), &base), (head().as_str(), &head_json)] {
        Cost::new()
            .args([
                "compare",
                scenario,
                "--format",
                "json",
                "--at",
                "2026-11-28",
                "-o",
            ])
            .arg(path)
            .stdout_empty()
            .run();
    }
    let json = Cost::new()
        .args(["diff", base.to_str().unwrap(), head_json.to_str().unwrap()])
        .run_json();
    assert_eq!(json["command"], "diff");
    let routed = causes(&json, "routed");
    assert_eq!(
        routed[0],
        (
            "route".into(),
            "route gpt-6-luna → claude-haiku-5-5".into(),
            0.0
        ),
        "{routed:?}"
    );
    let (kind, change, usd) = &routed[1];
    assert_eq!(
        (kind.as_str(), change.as_str()),
        ("tokens", "output 800 → 1,200 tokens per request")
    );
    // 400 tokens x $20/1M x 20% of 304,375 requests a month = $487.
    assert!((usd - 487.0).abs() < 1e-6, "{usd}");
    let plan = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan"] == "routed")
        .unwrap();
    let total: f64 = routed.iter().map(|c| c.2).sum();
    assert!((plan["delta_per_month_usd"].as_f64().unwrap() - total).abs() < 1e-6);
    assert!(json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p["plan"].as_str().unwrap().starts_with("all → ")));
}

#[test]
fn a_price_change_is_attributed_to_the_price() {
    let json = Cost::new()
        .args([
            "diff",
            &base(),
            "--head-pricing",
            &fixture("sheets/opus-price-rise.toml"),
            "--at",
            "2026-11-28",
        ])
        .run_json();
    let routed = causes(&json, "routed");
    // Output and reasoning tokens are both billed at the output price.
    // hard: 20% of 304,375 requests = 60,875 a month, each +$4/1M.
    assert_eq!(
        routed
            .iter()
            .map(|c| (c.0.as_str(), c.1.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                "price",
                "claude-opus-5-5 output price $20.00 → $24.00 per 1M tokens"
            ),
            (
                "price",
                "claude-opus-5-5 reasoning price $20.00 → $24.00 per 1M tokens"
            ),
        ]
    );
    assert!(
        (routed[0].2 - 800.0 * 4e-6 * 60_875.0).abs() < 1e-6,
        "{routed:?}"
    );
    assert!(
        (routed[1].2 - 3_000.0 * 4e-6 * 60_875.0).abs() < 1e-6,
        "{routed:?}"
    );
}

#[test]
fn a_date_change_shows_the_dated_price_cut() {
    let scenario = "name = \"o3\"\nbaseline = \"o3\"\n[volume]\nrequests_per_day = 1000\n[[classes]]\nname = \"all\"\nshare = 1.0\nprompt = 1000\noutput = 1000\n[[plans]]\nname = \"o3\"\nmodel = \"o3\"\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o3.toml");
    std::fs::write(&path, scenario).unwrap();
    let json = Cost::new()
        .args([
            "diff",
            path.to_str().unwrap(),
            "--base-at",
            "2025-06-09",
            "--head-at",
            "2025-06-10",
        ])
        .run_json();
    let kinds: Vec<String> = causes(&json, "o3").into_iter().map(|c| c.1).collect();
    assert!(
        kinds.contains(&"o3 input price $10.00 → $2.00 per 1M tokens".to_string()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"o3 output price $40.00 → $8.00 per 1M tokens".to_string()),
        "{kinds:?}"
    );
}

#[test]
fn the_head_scenarios_budget_gates_a_diff() {
    Cost::new()
        .args(["diff", &base(), &fixture("scenarios/budgeted.toml")])
        .stdout_contains("within the budget of $6,000.00/month")
        .run();
}

#[test]
fn compare_check_enforces_the_budget_on_its_own() {
    Cost::new()
        .args(["compare", &fixture("scenarios/budgeted.toml"), "--check"])
        .stdout_contains("within the budget")
        .run();
    let dir = tempfile::tempdir().unwrap();
    let tight = dir.path().join("tight.toml");
    let text = std::fs::read_to_string(fixture("scenarios/budgeted.toml"))
        .unwrap()
        .replace("usd_per_month = 6000", "usd_per_month = 5000");
    std::fs::write(&tight, text).unwrap();
    Cost::new()
        .args(["compare", tight.to_str().unwrap(), "--check"])
        .status(1)
        .stderr_contains("gate failed: plan `routed` costs $5,667.46/month, over the budget of $5,000.00/month by $667.46")
        .run();
    let json = Cost::new()
        .args(["compare", &fixture("scenarios/budgeted.toml")])
        .run_json();
    assert_eq!(json["budget_usd_per_month"], 6000.0);
    assert_eq!(json["budget_plan"], "routed");
}

#[test]
fn compare_check_without_a_budget_is_an_input_error() {
    let err = Cost::new()
        .args(["compare", "--check"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("has no budget"), "{err}");
}

#[test]
fn a_budget_with_no_unit_is_an_input_error() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/budget-no-unit.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("budget-no-unit.toml:6: `budget`"), "{err}");
    assert!(err.contains("needs a unit"), "{err}");
    assert!(err.contains("usd_per_month = 5000"), "{err}");
}

#[test]
fn a_report_from_another_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let json = Cost::new()
        .args(["compare", "--format", "json"])
        .run()
        .stdout
        .replacen("\"schema_version\": 3", "\"schema_version\": 99", 1);
    std::fs::write(&old, json).unwrap();
    let err = Cost::new()
        .args(["diff", old.to_str().unwrap(), old.to_str().unwrap()])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("schema_version 99"), "{err}");
    assert!(err.contains("reads versions 1 to 3"), "{err}");
}

#[test]
fn a_report_saved_before_the_key_renames_is_still_read() {
    // Schema 1 named fractions `*_pct`; `cost diff` reads none of them.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.json");
    let json = Cost::new()
        .args(["compare", &base(), "--format", "json", "--at", "2026-11-28"])
        .run()
        .stdout
        .replacen("\"schema_version\": 3", "\"schema_version\": 1", 1)
        .replace("\"savings_share\"", "\"savings_pct\"");
    std::fs::write(&old, json).unwrap();
    let out = Cost::new()
        .args([
            "diff",
            old.to_str().unwrap(),
            &base(),
            "--head-at",
            "2026-11-28",
        ])
        .stdout_contains("0 of")
        .run();
    assert!(out.stdout.contains("unchanged"), "{}", out.stdout);
}

#[test]
fn a_report_of_another_command_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models.json");
    std::fs::write(
        &models,
        Cost::new()
            .args(["models", "--format", "json"])
            .run()
            .stdout,
    )
    .unwrap();
    let err = Cost::new()
        .args(["diff", models.to_str().unwrap(), models.to_str().unwrap()])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("a `cost models` report"), "{err}");
}

#[test]
fn one_scenario_with_nothing_to_vary_is_a_usage_error() {
    let err = Cost::new().args(["diff", "default"]).status(2).run().stderr;
    assert!(err.contains("needs two runs"), "{err}");
}

#[test]
fn markdown_is_a_pull_request_comment() {
    let out = Cost::new()
        .args([
            "diff",
            &base(),
            &head(),
            "--fail-above-usd",
            "100",
            "--format",
            "markdown",
        ])
        .status(1)
        .stderr_contains("gate failed: plan `routed`")
        .stdout_contains("| plan | status |")
        .stdout_contains("- gate failed: plan `routed`")
        .run()
        .stdout;
    assert!(
        out.starts_with("### cost diff: 2 of 2 plans changed cost"),
        "{out}"
    );
}

/// The GitHub Actions example in the README, run with the same `cost` commands.
#[test]
fn the_readme_ci_example_runs() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```yaml\nname: LLM cost")
        .expect("the CI example in the README");
    let end = start + readme[start..].find("\n```\n").unwrap();
    let commands: Vec<&str> = readme[start..end]
        .lines()
        .map(|l| l.trim().trim_start_matches("run: "))
        .filter_map(|l| l.strip_prefix("cost "))
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().to_str().unwrap().to_string();
    // The base branch's scenario, then the pull request's.
    let scenarios = [base(), head()];
    for (i, command) in commands.iter().enumerate() {
        let args: Vec<String> = command
            .split_whitespace()
            .map(|a| a.trim_matches('"').replace("$RUNNER_TEMP", &tmp))
            .map(|a| {
                if a == "scenarios/feature.toml" {
                    scenarios[i.min(1)].clone()
                } else {
                    a
                }
            })
            .collect();
        Cost::new().args(&args).stdout_empty().run();
    }
    // routed is +$487/month (+8.6%): within the example's $500 and 10% limits.
    let comment = std::fs::read_to_string(format!("{tmp}/cost-comment.md")).unwrap();
    assert!(
        comment.starts_with("### cost diff: 2 of 2 plans changed cost"),
        "{comment}"
    );
    assert!(comment.contains("gates passed"), "{comment}");
    assert!(comment.contains("| routed | changed |"), "{comment}");
    // The same diff with a tighter limit trips: exit 1, and the comment says why.
    let tight: Vec<String> = commands[2]
        .split_whitespace()
        .map(|a| a.trim_matches('"').replace("$RUNNER_TEMP", &tmp))
        .map(|a| if a == "10" { "5".to_string() } else { a })
        .collect();
    Cost::new()
        .args(&tight)
        .status(1)
        .stderr_contains("gate failed: ")
        .stdout_empty()
        .run();
    let comment = std::fs::read_to_string(format!("{tmp}/cost-comment.md")).unwrap();
    assert!(comment.contains("gates FAILED"), "{comment}");
}

/// A saved `compare` report of the base scenario, edited by `edit`.
fn edited_report(edit: impl Fn(&mut serde_json::Value)) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.json");
    let mut json = Cost::new()
        .args(["compare", &base(), "--at", "2026-11-28"])
        .run_json();
    edit(&mut json);
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    (dir, path.to_str().unwrap().to_string())
}

#[test]
fn a_saved_report_whose_plan_cost_contradicts_its_classes_is_refused() {
    // The issue's case: the plan's cost negated, so the diff read -200%
    // and the gates passed.
    let (_dir, path) = edited_report(|json| {
        let plan = &mut json["plans"][1];
        for key in [
            "cost_per_request_usd",
            "cost_per_day_usd",
            "cost_per_month_usd",
        ] {
            plan[key] = serde_json::json!(-plan[key].as_f64().unwrap());
        }
    });
    let err = Cost::new()
        .args([
            "diff",
            &path,
            &base(),
            "--head-at",
            "2026-11-28",
            "--fail-above-usd",
            "1",
        ])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains(&format!(
            "{path}: `plans[1].cost_per_request_usd`: the report contradicts itself"
        )),
        "{err}"
    );
    assert!(err.contains("add up to"), "{err}");
    // A monthly cost that is not the per-request cost times the volume.
    let (_dir, path) = edited_report(|json| {
        let month = json["plans"][0]["cost_per_month_usd"].as_f64().unwrap();
        json["plans"][0]["cost_per_month_usd"] = serde_json::json!(month / 2.0);
    });
    let err = Cost::new()
        .args(["diff", &path, &base(), "--head-at", "2026-11-28"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("`plans[0].cost_per_month_usd`"), "{err}");
    // A class row whose tokens at its rates do not bill its cost.
    let (_dir, path) = edited_report(|json| {
        json["classes"][2]["output_tokens"] = serde_json::json!(999_999);
    });
    let err = Cost::new()
        .args(["diff", &path, &base(), "--head-at", "2026-11-28"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("`classes[2].cost_per_request_usd`"), "{err}");
    // The report as saved is consistent: diffed against itself, unchanged.
    let (_dir, path) = edited_report(|_| {});
    Cost::new()
        .args(["diff", &path, &path])
        .stdout_contains("unchanged")
        .run();
}
