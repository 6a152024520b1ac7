//! `cost router train` and `cost router eval`: a keyword table whose answer
//! is known, the round trip train → eval → scenario plan → `route`, a small
//! real run on RouteLLM's GSM8K prompts, and every bad input (exit 2).

use super::{fixture, Cost};

const KEYWORD: [&str; 6] = [
    "--wide",
    "--query",
    "id",
    "--models",
    "weak,strong",
    "--text",
];

fn keyword_table() -> String {
    fixture("routing/router-keyword.csv")
}

/// Trains on the keyword table into `dir`; returns the model file's path.
fn train_keyword(dir: &tempfile::TempDir) -> String {
    let out = dir.path().join("router.json").to_str().unwrap().to_string();
    Cost::new()
        .args(["router", "train", &keyword_table()])
        .args(KEYWORD)
        .args(["prompt", "--weak", "weak", "--strong", "strong", "-o", &out])
        .stderr_only_notes()
        .stderr_contains("ROC AUC")
        .stdout_empty()
        .run();
    out
}

fn eval_keyword(model: &str, extra: &[&str]) -> Cost {
    Cost::new()
        .args(["router", "eval", model, &keyword_table()])
        .args(&KEYWORD[..5])
        .args([
            "--cost-per-query",
            "weak=0.0001",
            "--cost-per-query",
            "strong=0.01",
        ])
        .args(extra)
}

#[test]
fn a_keyword_that_decides_is_learned_and_measured_out_of_fold() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_keyword(&dir);
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(file["format"], "cost-router");
    assert_eq!(file["training"]["positives"], 27);
    assert!(file["validation"]["roc_auc"].as_f64().unwrap() > 0.95);
    let json = eval_keyword(&model, &[]).run_json();
    assert_eq!(json["router_scores"], "out_of_fold");
    assert!(json["roc_auc"].as_f64().unwrap() > 0.95);
    assert!(json["tpr"].as_f64().unwrap() > 0.9 && json["fpr"].as_f64().unwrap() < 0.1);
    let router = json["routers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["router"]
                .as_str()
                .unwrap()
                .starts_with("threshold router")
        })
        .unwrap();
    // A perfect router reaches PGR 1 at the 27 of 80 positives: APGR 1 - 27/160 = 0.83.
    assert!(router["apgr"].as_f64().unwrap() > 0.75);
}

#[test]
fn the_same_table_trains_the_same_file() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (train_keyword(&a), train_keyword(&b));
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn a_measured_router_is_forecast_by_route() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_keyword(&dir);
    let scenario = fixture("scenarios/router-learned.toml");
    let written = dir
        .path()
        .join("learned.toml")
        .to_str()
        .unwrap()
        .to_string();
    let json = eval_keyword(
        &model,
        &[
            "--threshold",
            "0.5",
            "--scenario",
            &scenario,
            "--scenario-out",
            &written,
        ],
    )
    .stderr_contains("plan `learned` has tpr")
    .run_json();
    let (tpr, fpr) = (json["tpr"].as_f64().unwrap(), json["fpr"].as_f64().unwrap());
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("measured by `cost router eval`") && !text.contains("auc ="));
    let route = Cost::new()
        .args(["route", &written, "--plan", "learned", "--at", "2026-12-01"])
        .run_json();
    let class = |name: &str| {
        route["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["class"] == name)
            .unwrap()
            .clone()
    };
    assert!((class("hard")["under_served"].as_f64().unwrap() - (1.0 - tpr)).abs() < 1e-6);
    assert!((class("easy")["over_served"].as_f64().unwrap() - fpr).abs() < 1e-6);
}

#[test]
fn another_table_is_scored_by_the_trained_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_keyword(&dir);
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "id,prompt,weak,strong\na,Explain the integral of the moon.,false,true\nb,Explain the moon.,true,true\nc,The integral of the sea.,false,true\nd,The sea.,true,true\n",
    )
    .unwrap();
    let json = Cost::new()
        .args(["router", "eval", &model, other.to_str().unwrap()])
        .args(&KEYWORD[..5])
        .args([
            "--cost-per-query",
            "weak=0.0001",
            "--cost-per-query",
            "strong=0.01",
        ])
        .run_json();
    assert_eq!(json["router_scores"], "held_out");
    assert_eq!(json["roc_auc"].as_f64(), Some(1.0));
}

#[test]
fn routellm_gsm8k_prompts_train_a_router_better_than_chance() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gsm8k.json").to_str().unwrap().to_string();
    let table = fixture("routellm/gsm8k.csv");
    let pair = ["--wide", "--query", "row", "--models", "mixtral,gpt4"];
    Cost::new()
        .args(["router", "train", &table])
        .args(pair)
        .args([
            "--text", "prompt", "--weak", "mixtral", "--strong", "gpt4", "-o", &out,
        ])
        .stderr_only_notes()
        .run();
    let json = Cost::new()
        .args(["router", "eval", &out, &table])
        .args(pair)
        .args([
            "--cost-per-query",
            "mixtral=0.00008616",
            "--cost-per-query",
            "gpt4=0.00887",
        ])
        .run_json();
    assert_eq!(json["queries"], 1307);
    assert_eq!(json["router_scores"], "out_of_fold");
    assert!(json["roc_auc"].as_f64().unwrap() > 0.55);
}

#[test]
fn a_table_without_the_text_column_is_refused() {
    Cost::new()
        .args(["router", "train", &keyword_table()])
        .args(KEYWORD)
        .args(["promt", "--weak", "weak", "--strong", "strong"])
        .status(2)
        .stderr_contains("router-keyword.csv:1: `promt`: no text column `promt`")
        .stderr_contains("did you mean `prompt`")
        .run();
}

#[test]
fn no_positive_examples_is_refused() {
    // strong never passes where weak fails when the pair is swapped.
    Cost::new()
        .args(["router", "train", &keyword_table()])
        .args(KEYWORD)
        .args(["prompt", "--weak", "strong", "--strong", "weak"])
        .status(2)
        .stderr_contains("no positive examples")
        .run();
}

#[test]
fn edited_and_foreign_model_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_keyword(&dir);
    let text = std::fs::read_to_string(&model).unwrap();
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, text.replacen("\"seed\": 17", "\"seed\": 18", 1)).unwrap();
    eval_keyword(edited.to_str().unwrap(), &[])
        .status(2)
        .stderr_contains("`sha256` does not match")
        .run();
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, text.replacen("\"version\": 1", "\"version\": 2", 1)).unwrap();
    eval_keyword(newer.to_str().unwrap(), &[])
        .status(2)
        .stderr_contains("`version` is 2; this build of cost reads router model version 1")
        .run();
}

#[test]
fn a_threshold_outside_zero_to_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_keyword(&dir);
    eval_keyword(&model, &["--threshold", "1.5"])
        .status(2)
        .stderr_contains("--threshold 1.5: must be between 0 and 1")
        .run();
}

#[test]
fn a_scenario_without_the_plan_names_the_classifier_plans() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_keyword(&dir);
    let out = dir.path().join("s.toml");
    eval_keyword(
        &model,
        &[
            "--scenario",
            &fixture("scenarios/router-learned.toml"),
            "--plan",
            "lerned",
            "--scenario-out",
            out.to_str().unwrap(),
        ],
    )
    .status(2)
    .stderr_contains("no plan named `lerned`; the classifier plans there are: learned")
    .run();
    assert!(!out.exists());
}
