//! Volume without bound on the work (issue 13): above 2,000 requests of a
//! class a day the simulation draws the class's bill as a sum, so a day at
//! 10^12 requests costs what a day at 10^4 does; a volume too large to
//! count is refused at load.

use std::time::{Duration, Instant};

use crate::{fixture, Cost};

/// The `plans` rows of a JSON report: (plan, expected, simulated mean).
fn means(json: &str) -> Vec<(String, f64, f64)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let number = |x: &serde_json::Value| match x {
        serde_json::Value::String(s) => s.parse::<f64>().unwrap(),
        other => other.as_f64().unwrap(),
    };
    v["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["plan"].as_str().unwrap().to_string(),
                number(&r["expected_per_day_usd"]),
                number(&r["mean_per_day_usd"]),
            )
        })
        .collect()
}

#[test]
fn a_trillion_requests_a_day_for_1000_days_is_quick_and_unbiased() {
    let start = Instant::now();
    let out = Cost::new()
        .args(["simulate", &fixture("scenarios/trillion.toml")])
        .args(["--trials", "1000", "--at", "2026-12-01", "--format", "json"])
        .stderr_only_notes()
        .run();
    // A debug build on a shared machine; the release build takes ~0.2 s (BENCHMARKS.md).
    let took = start.elapsed();
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let rows = means(&out.stdout);
    assert_eq!(rows.len(), 2);
    for (plan, expected, mean) in rows {
        assert!(
            expected > 1e9 && (mean / expected - 1.0).abs() < 1e-4,
            "{plan}: {mean} vs {expected}"
        );
    }
}

#[test]
fn bands_of_compare_and_route_take_the_same_path() {
    for command in ["compare", "route"] {
        let start = Instant::now();
        Cost::new()
            .args([command, &fixture("scenarios/trillion.toml"), "--bands"])
            .args(["--trials", "1000", "--at", "2026-12-01", "--format", "json"])
            .stdout_contains("\"day_p95_usd\"")
            .stderr_any()
            .run();
        assert!(start.elapsed() < Duration::from_secs(30), "{command}");
    }
}

#[test]
fn a_volume_too_large_to_count_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("scenarios/trillion.toml")).unwrap();
    let path = dir.path().join("huge.toml");
    std::fs::write(&path, text.replace("1e12", "1e18")).unwrap();
    Cost::new()
        .arg("compare")
        .arg(&path)
        .status(2)
        .stderr_contains("volume.requests_per_day")
        .stderr_contains("above the most `cost` simulates (1e15)")
        .run();
    Cost::new()
        .args(["sweep", &fixture("scenarios/trillion.toml")])
        .args(["--vary", "volume=1e15..1e16"])
        .status(2)
        .stderr_contains("0 to 1e15 requests per day")
        .run();
}
