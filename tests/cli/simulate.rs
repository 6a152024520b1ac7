//! Monte Carlo bands and latency percentiles (issue: cost bands and
//! latency percentiles).

use super::{fixture, Cost};

fn plan<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan"] == name)
        .unwrap_or_else(|| panic!("plan {name}"))
}

fn f(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn fixed_token_counts_reproduce_the_exact_cost_every_day() {
    let json = Cost::new()
        .args([
            "simulate",
            "routing-example",
            "--trials",
            "20",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    // Splits that are whole numbers of requests at 10,000 a day are exact.
    for name in [
        "all-weak",
        "all-strong",
        "perfect-router",
        "classifier-tpr",
        "cascade",
        "oracle-0.9",
    ] {
        let p = plan(&json, name);
        let expected = f(p, "expected_per_day_usd");
        for key in [
            "day_p5_usd",
            "day_p50_usd",
            "day_p99_usd",
            "mean_per_day_usd",
        ] {
            assert!(
                (f(p, key) - expected).abs() < 1e-9 * expected,
                "{name} {key}: {} vs {expected}",
                f(p, key)
            );
        }
        assert!(
            (f(p, "month_p50_usd") - expected * 365.25 / 12.0).abs() < 1e-8 * expected,
            "{name} month"
        );
    }
    // The AUC classifier's split (TPR 0.4636 of 2,000) rounds to whole requests.
    let auc = plan(&json, "classifier-auc");
    assert!(
        (f(auc, "day_p50_usd") - f(auc, "expected_per_day_usd")).abs() < 0.004,
        "within one request's cost"
    );
}

#[test]
fn the_simulated_mean_converges_to_the_exact_expectation() {
    // 400 days x ~20,000 requests with volume and mix variation: within 2%.
    let json = Cost::new()
        .args(["simulate", "chat-slo", "--trials", "400", "--seed", "7"])
        .run_json();
    for p in json["plans"].as_array().unwrap() {
        let (mean, exact) = (f(p, "mean_per_day_usd"), f(p, "expected_per_day_usd"));
        assert!(
            (mean - exact).abs() / exact < 0.02,
            "{}: {mean} vs {exact}",
            p["plan"]
        );
    }
    // Cliffs: the RAG scenario's prompts cross long-context tiers; the exact
    // expectation must sit inside the simulated daily band.
    let rag = Cost::new()
        .args(["simulate", "rag", "--trials", "200"])
        .run_json();
    for p in rag["plans"].as_array().unwrap() {
        let exact = f(p, "expected_per_day_usd");
        assert!(
            f(p, "day_p5_usd") < exact && exact < f(p, "day_p95_usd"),
            "{p}"
        );
    }
}

#[test]
fn percentiles_are_monotone() {
    let json = Cost::new()
        .args(["simulate", "chat-slo", "--trials", "100"])
        .run_json();
    for p in json["plans"].as_array().unwrap() {
        for prefix in ["day_", "month_"] {
            let q: Vec<f64> = ["p5", "p50", "p95", "p99"]
                .iter()
                .map(|x| f(p, &format!("{prefix}{x}_usd")))
                .collect();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{prefix}: {q:?}");
        }
        for prefix in ["ttft_", "e2e_"] {
            let q: Vec<f64> = ["p50", "p95", "p99"]
                .iter()
                .map(|x| f(p, &format!("{prefix}{x}_s")))
                .collect();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{prefix}: {q:?}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_bands_and_another_seed_does_not() {
    let run = |seed: &str| {
        Cost::new()
            .args([
                "simulate", "chat-slo", "--trials", "50", "--seed", seed, "--format", "csv",
            ])
            .stderr_contains(format!(
                "note: Monte Carlo: 50 simulated days, seed {seed};"
            ))
            .stderr_only_notes()
            .run()
            .stdout
    };
    assert_eq!(run("1"), run("1"));
    assert_ne!(run("1"), run("2"));
}

#[test]
fn the_slo_and_the_budget_are_judged() {
    let json = Cost::new()
        .args(["simulate", "chat-slo", "--trials", "200"])
        .run_json();
    // A cascade waits out the cheap answer: its TTFT tail breaks the 8 s objective.
    let cascade = plan(&json, "flash-first");
    assert!(f(cascade, "ttft_p95_s") > 8.0);
    assert_eq!(cascade["slo_met"], false);
    let direct = plan(&json, "flash-quick");
    assert!(f(direct, "ttft_p95_s") <= 8.0 && f(direct, "e2e_p95_s") <= 45.0);
    assert_eq!(direct["slo_met"], true);
    // The budget ($12,500/month) sits near the all-Sonnet median.
    let risk = f(plan(&json, "all-sonnet"), "p_over_budget");
    assert!(risk > 0.1 && risk < 0.9, "{risk}");
    assert_eq!(f(plan(&json, "flash-quick"), "p_over_budget"), 0.0);
}

#[test]
fn histogram_counts_every_simulated_period() {
    let out = Cost::new()
        .args([
            "simulate",
            "chat-slo",
            "--trials",
            "300",
            "--histogram",
            "day",
            "--bins",
            "20",
            "--plan",
            "all-sonnet",
            "--format",
            "csv",
        ])
        .stderr_contains("note: Monte Carlo: 300 simulated days, seed 42;")
        .stderr_only_notes()
        .run()
        .stdout;
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "plan,period,bin_low_usd,bin_high_usd,count,share"
    );
    let counts: u64 = lines
        .map(|l| l.split(',').nth(4).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counts, 300);
}

#[test]
fn plot_draws_the_distribution() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bill.svg");
    Cost::new()
        .args(["simulate", "chat-slo", "--trials", "100", "-q", "--plot"])
        .arg(&path)
        .run();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains("USD per month") && svg.contains("all-sonnet (baseline)"));
}

#[test]
fn compare_adds_bands_when_the_scenario_has_distributions() {
    let json = Cost::new().args(["compare", "rag"]).run_json();
    let p = plan(&json, "all-gpt-6-sol");
    assert!(p["day_p95_usd"].as_f64().is_some());
    // The expectation priced over the prompt distribution, not at the mean prompt.
    let notes = json["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("of prompts exceed 272,000 tokens")),
        "{notes:?}"
    );
    let fixed = Cost::new().args(["compare", "routing-example"]).run_json();
    assert!(
        fixed["plans"][0].get("day_p95_usd").is_none(),
        "no bands without distributions"
    );
    let forced = Cost::new()
        .args(["compare", "--bands", "--trials", "5"])
        .run_json();
    assert!(forced["plans"][0]["day_p95_usd"].as_f64().is_some());
    let route = Cost::new()
        .args(["route", "chat-slo", "--trials", "20"])
        .run_json();
    assert!(route["plans"][0]["ttft_p95_s"].as_f64().is_some());
}

#[test]
fn empirical_values_come_from_a_file_beside_the_scenario() {
    let json = Cost::new()
        .args([
            "simulate",
            &fixture("scenarios/dist-from-file.toml"),
            "--trials",
            "50",
        ])
        .run_json();
    assert!(f(plan(&json, "one"), "day_p50_usd") > 0.0);
}

#[test]
fn bad_distribution_parameters_name_file_line_and_key() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/dist-negative-sigma.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("dist-negative-sigma.toml:9: `classes[0].prompt.sigma`"),
        "{err}"
    );
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/dist-p95-below-median.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("dist-p95-below-median.toml:9: `classes[0].prompt.p95`: p95 = 1500 is not above the median"), "{err}");
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/dist-empty-file.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("dist-empty-file.toml:10: `classes[0].output.file`")
            && err.contains("holds no values"),
        "{err}"
    );
    assert!(Cost::new()
        .args(["simulate", "chat-slo", "--trials", "0"])
        .status(2)
        .run()
        .stderr
        .contains("--trials"));
}

#[test]
fn tiny_volumes_are_simulated_without_bias() {
    // 40 requests a month (1.31 a day): fractional days and 80/20 splits of
    // a single request must still average to the exact expectation.
    let json = Cost::new()
        .args([
            "simulate",
            &fixture("scenarios/low-volume.toml"),
            "--trials",
            "4000",
            "--seed",
            "3",
        ])
        .run_json();
    let p = plan(&json, "routed");
    let (mean, exact) = (f(p, "mean_per_day_usd"), f(p, "expected_per_day_usd"));
    assert!((mean - exact).abs() / exact < 0.08, "{mean} vs {exact}");
}

#[test]
fn degenerate_and_negative_normals_are_handled_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, prompt: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("name = \"n\"\n[volume]\nrequests_per_day = 10\n[[classes]]\nname = \"a\"\nshare = 1.0\nprompt = {prompt}\noutput = 1000\n[[plans]]\nname = \"p\"\nmodel = \"gemini-2.5-pro\"\n")).unwrap();
        path.display().to_string()
    };
    let negative = write("neg.toml", "{ dist = \"normal\", mean = -5, sd = 0 }");
    assert!(Cost::new()
        .args(["compare", &negative])
        .status(2)
        .run()
        .stderr
        .contains("mean = -5 must be zero or more"));
    // A prompt exactly on the 200k cliff, however it is written, costs the bill of 200,000 tokens.
    for (name, prompt) in [
        ("sd0.toml", "{ dist = \"normal\", mean = 200000, sd = 0 }"),
        (
            "flat.toml",
            "{ dist = \"uniform\", min = 200000, max = 200000 }",
        ),
    ] {
        let json = Cost::new()
            .args(["compare", &write(name, prompt), "--at", "2026-11-28"])
            .run_json();
        assert!(
            (f(plan(&json, "p"), "cost_per_request_usd") - 0.26).abs() < 1e-12,
            "{name}"
        );
    }
}

#[test]
fn a_month_across_a_price_change_is_priced_in_pieces() {
    // gemini-3.8-flash doubles on 2027-01-01; fixed tokens make every day's bill exact.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flash.toml");
    std::fs::write(&path, "name = \"n\"\n[volume]\nrequests_per_day = 100\ndays_per_month = 30\n[[classes]]\nname = \"a\"\nshare = 1.0\nprompt = 1000\noutput = 100\n[[plans]]\nname = \"p\"\nmodel = \"gemini-3.8-flash\"\n").unwrap();
    let path = path.display().to_string();
    let month = |at: &str| {
        let json = Cost::new()
            .args(["simulate", &path, "--at", at, "--trials", "200"])
            .run_json();
        json["plans"][0]["month_p50_usd"].as_f64().unwrap()
    };
    // A day: 100 x (1000 x 0.75 + 100 x 3.75) / 1M = $0.1125 before, $0.225 after.
    let before = month("2026-11-01");
    let straddle = month("2026-12-22");
    let after = month("2027-01-05");
    assert!((before - 30.0 * 0.1125).abs() < 1e-9, "{before}");
    assert!((after - 30.0 * 0.225).abs() < 1e-9, "{after}");
    // 10 days at the old price (22-31 December), 20 at the new one.
    assert!(
        (straddle - (10.0 * 0.1125 + 20.0 * 0.225)).abs() < 1e-9,
        "{straddle}"
    );
}

#[test]
fn simulate_flags_requests_beyond_the_models_limits() {
    // rag's lookups on gpt-4o's 128k window: 43.5% of prompts do not fit.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    std::fs::write(
        &path,
        "name = \"r\"\nbaseline = \"a\"\n[volume]\nrequests_per_day = 100\n[[classes]]\nname = \"c\"\nshare = 1.0\nprompt = { dist = \"lognormal\", median = 120000, p95 = 230000 }\noutput = 100\n[[plans]]\nname = \"a\"\nmodel = \"gpt-4o\"\n",
    )
    .unwrap();
    let json = Cost::new()
        .args(["simulate", path.to_str().unwrap(), "--trials", "20"])
        .run_json();
    assert!(
        json["notes"]
            .to_string()
            .contains("plan `a`: 43.5% of requests exceed a model's context window"),
        "{}",
        json["notes"]
    );
}
