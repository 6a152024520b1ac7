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

#[test]
fn a_scenario_without_quality_has_no_frontier() {
    assert!(Cost::new()
        .args(["frontier", "default"])
        .status(2)
        .run()
        .stderr
        .contains("no success rates"));
}
