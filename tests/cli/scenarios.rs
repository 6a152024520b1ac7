use super::Cost;

#[test]
fn lists_every_builtin_scenario() {
    let json = Cost::new().args(["scenarios"]).run_json();
    let names: Vec<&str> = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for expected in [
        "default",
        "rag",
        "support-bot",
        "coding-agent",
        "batch-extraction",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
}
