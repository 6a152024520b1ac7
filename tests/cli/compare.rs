use super::Cost;

#[test]
fn default_scenario_runs_with_no_arguments_and_marks_its_baseline() {
    let out = Cost::new().args(["compare"]).run().stdout;
    assert!(out.contains("cost compare: default"));
    assert!(out.contains("all-frontier"));
    assert!(out.contains("routed"));
    let json = Cost::new().args(["compare"]).run_json();
    assert_eq!(json["schema_version"], 3);
    assert_eq!(json["baseline"], "all-frontier");
    let plans = json["plans"].as_array().unwrap();
    let baseline: Vec<_> = plans.iter().filter(|p| p["baseline"] == true).collect();
    assert_eq!(baseline.len(), 1);
    assert_eq!(baseline[0]["savings_per_month_usd"], 0.0);
}

#[test]
fn worked_example_matches_the_routing_math_table_to_the_cent() {
    // docs/routing-math.md (worked example): 10k requests, 500 in / 300 out.
    let json = Cost::new()
        .args(["compare", "routing-example", "--at", "2026-11-28"])
        .run_json();
    let plans = json["plans"].as_array().unwrap();
    let day = |name: &str| {
        let p = plans
            .iter()
            .find(|p| p["plan"] == name)
            .unwrap_or_else(|| panic!("plan {name}"));
        (
            p["cost_per_day_usd"].as_f64().unwrap(),
            p["quality"].as_f64(),
        )
    };
    let (weak, q_weak) = day("all-weak");
    let (strong, q_strong) = day("all-strong");
    let (routed, q_routed) = day("perfect-router");
    assert!((weak - 2.55).abs() < 0.005, "all weak: {weak}");
    assert!((strong - 42.50).abs() < 0.005, "all strong: {strong}");
    assert!((routed - 10.54).abs() < 0.005, "perfect router: {routed}");
    assert!((q_weak.unwrap() - 0.840).abs() < 1e-9);
    assert!((q_strong.unwrap() - 0.946).abs() < 1e-9);
    assert!((q_routed.unwrap() - 0.930).abs() < 1e-9);
    let (tpr, q_tpr) = day("classifier-tpr");
    assert!((tpr - 12.94).abs() < 0.005, "TPR/FPR classifier: {tpr}");
    assert!((q_tpr.unwrap() - 0.9226).abs() < 1e-9);
    let (auc, q_auc) = day("classifier-auc");
    assert!((auc - 9.45).abs() < 0.005, "AUC classifier: {auc}");
    assert!((q_auc.unwrap() - 0.883).abs() < 5e-4);
    let (cascade, _) = day("cascade");
    assert!((cascade - 9.775).abs() < 0.0005, "cascade: {cascade}");
}

#[test]
fn savings_are_the_baseline_cost_minus_the_plan_cost() {
    let json = Cost::new().args(["compare"]).run_json();
    let plans = json["plans"].as_array().unwrap();
    let base = plans.iter().find(|p| p["baseline"] == true).unwrap()["cost_per_month_usd"]
        .as_f64()
        .unwrap();
    for p in plans {
        let cost = p["cost_per_month_usd"].as_f64().unwrap();
        let saved = p["savings_per_month_usd"].as_f64().unwrap();
        assert!((base - cost - saved).abs() < 1e-6, "{p}");
        let per_day = p["cost_per_day_usd"].as_f64().unwrap();
        assert!((per_day * 365.25 / 12.0 - cost).abs() < 1e-6);
    }
}

#[test]
fn rows_are_sorted_cheapest_first() {
    let json = Cost::new().args(["compare"]).run_json();
    let costs: Vec<f64> = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["cost_per_request_usd"].as_f64().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
}

#[test]
fn models_flag_adds_single_model_rows() {
    let json = Cost::new()
        .args(["compare", "--models", "gpt-4o,gpt-4o-mini"])
        .run_json();
    let names: Vec<&str> = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"all → gpt-4o"));
    assert!(names.contains(&"all → gpt-4o-mini"));
}

#[test]
fn builtin_scenarios_can_be_named() {
    for name in [
        "rag",
        "support-bot",
        "coding-agent",
        "batch-extraction",
        "routing-example",
    ] {
        let out = Cost::new().args(["compare", name]).run().stdout;
        assert!(out.contains(&format!("cost compare: {name}")), "{name}");
    }
}

#[test]
fn rag_notes_the_long_context_cliff() {
    let out = Cost::new().args(["compare", "rag"]).run().stdout;
    assert!(out.contains("long-context prices"), "{out}");
}

#[test]
fn csv_has_one_header_and_full_precision_numbers() {
    let out = Cost::new()
        .args([
            "compare",
            "routing-example",
            "--format",
            "csv",
            "--at",
            "2026-11-28",
        ])
        .stderr_contains("note: savings are against the baseline plan `all-strong`")
        .stderr_only_notes()
        .run()
        .stdout;
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("plan,routes,baseline,cost_per_request_usd"));
    assert!(!out.contains('$'));
    // all-weak costs $0.000255 per request exactly.
    assert!(
        out.lines()
            .any(|l| l.starts_with("all-weak,") && l.contains(",0.000255,")),
        "{out}"
    );
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.json");
    Cost::new()
        .args(["compare", "--format", "json", "-o"])
        .arg(&path)
        .stdout_empty()
        .run();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
}

#[test]
fn a_failed_run_leaves_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.csv");
    Cost::new()
        .args(["compare", "no-such-scenario", "-o"])
        .arg(&path)
        .status(2)
        .stderr_contains("error: no scenario named `no-such-scenario`")
        .run();
    assert!(!path.exists());
}

#[test]
fn markdown_renders_a_table() {
    let out = Cost::new()
        .args(["compare", "--format", "markdown"])
        .run()
        .stdout;
    assert!(out.contains("| plan | routes |"));
    assert!(out.contains("|:--|"));
}

#[test]
fn quiet_csv_prints_notes_nowhere() {
    let quiet = Cost::new()
        .args(["compare", "--format", "csv", "-q"])
        .stderr("")
        .run();
    let loud = Cost::new()
        .args(["compare", "--format", "csv"])
        .stderr_contains("note: savings are against")
        .stderr_only_notes()
        .run();
    // The notes are all that `-q` leaves out.
    assert_eq!(quiet.stdout, loud.stdout);
}

#[test]
fn a_closed_pipe_exits_quietly() {
    Cost::new()
        .args(["models", "--format", "csv"])
        .close_stdout()
        // Nothing, or (if the table got into the pipe before it closed) the
        // CSV notes: never a broken-pipe error.
        .stderr_only_notes()
        .run();
}

#[test]
fn a_traffic_profile_prices_time_of_day_windows_as_a_blend() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, traffic: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("name = \"n\"\n[volume]\nrequests_per_day = 100\n[[classes]]\nname = \"a\"\nshare = 1.0\nprompt = 10000\noutput = 1000\n[[plans]]\nname = \"p\"\nmodel = \"deepseek-v4-pro\"\n{traffic}")).unwrap();
        path.display().to_string()
    };
    let per_request = |path: String| {
        let json = Cost::new()
            .args(["compare", &path, "--at", "2026-12-01"])
            .run_json();
        json["plans"][0]["cost_per_request_usd"].as_f64().unwrap()
    };
    // List price: 10,000 x 1.32 + 1,000 x 3.96 per 1M = $0.01716.
    let peak = per_request(write("peak.toml", "[traffic]\noff_peak_share = 0.0\n"));
    let off = per_request(write("off.toml", "[traffic]\noff_peak_share = 1.0\n"));
    let even = per_request(write("even.toml", ""));
    assert!((peak - 0.01716).abs() < 1e-12, "{peak}");
    assert!((off - 0.00858).abs() < 1e-12, "{off}");
    // Spread over the week: 35 of 168 hours at peak.
    assert!(
        (even - 0.01716 * (35.0 + 133.0 * 0.5) / 168.0).abs() < 1e-9,
        "{even}"
    );
}

/// A month that crosses a price change is priced in pieces: Gemini 3.8
/// Flash doubles on 2027-01-01 ($0.75 -> $1.50 per 1M input tokens).
#[test]
fn a_month_that_crosses_a_price_change_is_priced_in_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.toml");
    std::fs::write(
        &path,
        "name = \"g\"\nbaseline = \"a\"\n[volume]\nrequests_per_day = 1000\n[[classes]]\nname = \"c\"\nshare = 1.0\nprompt = 1000000\noutput = 0\n[[plans]]\nname = \"a\"\nmodel = \"gemini-3.8-flash\"\n",
    )
    .unwrap();
    let month = |at: &str| {
        let json = Cost::new()
            .args(["compare", path.to_str().unwrap(), "--at", at])
            .run_json();
        (
            json["plans"][0]["cost_per_month_usd"].to_string(),
            json["notes"].to_string(),
        )
    };
    // From 2026-12-22: 10 days x 1,000 x $0.75 + 20.4375 days x 1,000 x $1.50.
    let (cost, notes) = month("2026-12-22");
    assert_eq!(cost, "38156.25");
    assert!(notes.contains("10 days from 2026-12-22 at $0.7500/request; 20.4375 days from 2027-01-01 at $1.50/request"), "{notes}");
    // Before the change and after it, one price all month.
    assert_eq!(month("2026-11-01").0, "22828.125");
    assert_eq!(month("2027-01-01").0, "45656.25");
}

/// Requests beyond a model's context window are flagged on their row: on
/// gpt-4o's 128k window, 43.5% of rag's lookups (70% of traffic) and 99.2%
/// of its deep questions (30%) do not fit: 0.7 x 0.435 + 0.3 x 0.992 = 0.602.
#[test]
fn rows_flag_the_share_of_requests_beyond_the_models_limits() {
    let json = Cost::new()
        .args(["compare", "rag", "--models", "gpt-4o", "--no-bands"])
        .run_json();
    for p in json["plans"].as_array().unwrap() {
        let share = p["over_limits_share"].as_f64();
        if p["plan"] == "all → gpt-4o" {
            assert!((share.unwrap() - 0.602).abs() < 0.002, "{p}");
        } else {
            assert_eq!(share, None, "{p}");
        }
    }
}
