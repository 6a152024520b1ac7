use super::Cost;

#[test]
fn frontier_marks_hull_points_and_dominated_plans() {
    let json = Cost::new()
        .args(["frontier", "routing-example", "--at", "2026-11-28"])
        .run_json();
    let points = json["points"].as_array().unwrap();
    let get = |name: &str| {
        points
            .iter()
            .find(|p| p["plan"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(get("all-weak")["on_frontier"], true);
    // The cascade (0.925 at $0.0009775) beats the TPR classifier (0.9226 at $0.0013).
    assert_eq!(get("classifier-tpr")["dominated_by"], "cascade");
    for p in points {
        if p["on_frontier"] == true {
            assert!(p["dominated_by"].is_null(), "{p}");
        }
    }
    // The perfect router beats mixing the two single models at its cost.
    assert!(
        get("perfect-router")["quality_vs_zero_router"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn frontier_plot_is_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("frontier.svg");
    Cost::new()
        .args(["frontier", "routing-example", "-q", "--plot"])
        .arg(&path)
        .run();
    let svg = std::fs::read_to_string(&path).unwrap();
    for text in [
        "USD per 1,000 requests",
        "quality (success rate)",
        "frontier (all plans)",
        "zero router",
        "baseline: all-strong",
    ] {
        assert!(svg.contains(text), "{text}");
    }
}

const NO_RATES: &str = "name = \"n\"\nbaseline = \"a\"\n[volume]\nrequests_per_day = 100\n[[classes]]\nname = \"c\"\nshare = 1.0\nprompt = 1000\noutput = 100\n[[plans]]\nname = \"a\"\nmodel = \"claude-sonnet-5-5\"\n[[plans]]\nname = \"b\"\nmodel = \"gpt-6-luna\"\n";

#[test]
fn a_scenario_without_rates_is_placed_on_a_labelled_global_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.toml");
    std::fs::write(&path, NO_RATES).unwrap();
    let json = Cost::new()
        .args(["frontier", path.to_str().unwrap()])
        .run_json();
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("quality axis: the global public index aa-intelligence-index v4.3.2 / 100"),
        "{notes}"
    );
    let points = json["points"].as_array().unwrap();
    // The same scores `compare` shows in its index column, over 100.
    let q = |plan: &str| {
        points.iter().find(|p| p["plan"] == plan).unwrap()["quality"]
            .as_f64()
            .unwrap()
    };
    let compared = Cost::new()
        .args(["compare", path.to_str().unwrap()])
        .run_json();
    for plan in ["a", "b"] {
        let rows = compared["plans"].as_array().unwrap();
        let index = rows.iter().find(|p| p["plan"] == plan).unwrap()["index"]
            .as_f64()
            .unwrap();
        assert!((q(plan) - index / 100.0).abs() < 1e-12, "{plan}: {index}");
    }
    assert!(q("a") > q("b"), "Sonnet 5.5 scores above GPT-6 Luna");
}

#[test]
fn a_scenario_whose_models_have_no_score_has_no_frontier() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.toml");
    let text = NO_RATES
        .replace("claude-sonnet-5-5", "o4-mini")
        .replace("gpt-6-luna", "gpt-4.1");
    std::fs::write(&path, text).unwrap();
    assert!(Cost::new()
        .args(["frontier", path.to_str().unwrap()])
        .status(2)
        .run()
        .stderr
        .contains("no success rates"));
}
