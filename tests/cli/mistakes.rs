//! Mistyped or useless input is an error (exit 2) that says what is wrong
//! and the nearest right answer: paths that do not exist, built-in names,
//! providers, TOML keys, sweep parameters, tiers a model does not price,
//! and inputs that would change nothing.

use super::{fixture, Cost};

#[test]
fn a_scenario_path_that_does_not_exist_is_no_such_file() {
    for path in ["./nofile.toml", "nofile.toml", "some/dir/scenario"] {
        let err = Cost::new().args(["compare", path]).status(2).run().stderr;
        assert!(err.contains(&format!("no such file `{path}`")), "{err}");
        assert!(!err.contains("no scenario named"), "{err}");
    }
}

#[test]
fn a_mistyped_builtin_scenario_gets_did_you_mean() {
    let err = Cost::new()
        .args(["compare", "suport-bot"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("no scenario named `suport-bot`"), "{err}");
    assert!(err.contains("did you mean `support-bot`?"), "{err}");
}

#[test]
fn a_mistyped_plan_name_gets_did_you_mean() {
    let err = Cost::new()
        .args(["route", "routing-example", "--plan", "cascde"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("no plan `cascde`"), "{err}");
    assert!(err.contains("did you mean `cascade`"), "{err}");
}

#[test]
fn an_unknown_provider_is_an_error_not_an_empty_table() {
    let err = Cost::new()
        .args(["models", "--provider", "gogle"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("--provider gogle"), "{err}");
    assert!(err.contains("did you mean `google`?"), "{err}");
    // A known provider in another case still lists its models.
    Cost::new()
        .args(["models", "--provider", "Google"])
        .stdout_contains("gemini")
        .run();
}

#[test]
fn an_unknown_scenario_key_names_the_nearest_key() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/misspelt-key.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("misspelt-key.toml:7"), "{err}");
    assert!(err.contains("unknown field `requets_per_day`"), "{err}");
    assert!(err.contains("did you mean `requests_per_day`"), "{err}");
}

#[test]
fn an_unknown_price_sheet_key_names_the_nearest_key() {
    let err = Cost::new()
        .args(["models", "--pricing", &fixture("sheets/misspelt-key.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("misspelt-key.toml:"), "{err}");
    assert!(err.contains("did you mean `context_window`?"), "{err}");
}

#[test]
fn a_mistyped_sweep_parameter_gets_did_you_mean() {
    let err = Cost::new()
        .args(["sweep", "routing-example", "--vary", "escalaton=0..1"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("unknown parameter `escalaton`"), "{err}");
    assert!(err.contains("did you mean `escalation`?"), "{err}");
}

#[test]
fn a_sweep_of_a_setting_no_plan_has_is_an_error() {
    let err = Cost::new()
        .args(["sweep", "support-bot", "--vary", "auc=0.5..1"])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("--vary auc: no plan of this scenario has an AUC"),
        "{err}"
    );
    // The same sweep where a plan has one runs.
    Cost::new()
        .args([
            "sweep",
            "routing-example",
            "--vary",
            "auc=0.5..1",
            "--format",
            "csv",
        ])
        .stdout_contains("auc,0.5,")
        .stderr_any()
        .run();
}

#[test]
fn a_plan_tier_the_model_does_not_price_fails_validate_and_compare_alike() {
    let path = fixture("scenarios/plan-tier-not-offered.toml");
    let compare = Cost::new().args(["compare", &path]).status(2).run().stderr;
    for piece in [
        "plan-tier-not-offered.toml:22: `plans[1].tier`",
        "model `claude-sonnet-5-5` has no flex price",
        "plan `flex`",
    ] {
        assert!(compare.contains(piece), "{piece} in {compare}");
    }
    let json = Cost::new()
        .args(["validate", &path])
        .status(2)
        .failure_report()
        .stderr_any()
        .run_json();
    let finding = &json["findings"][0];
    assert_eq!(finding["severity"], "error", "{json}");
    assert_eq!(finding["line"], 22, "{json}");
    assert_eq!(finding["key"], "plans[1].tier", "{json}");
}

#[test]
fn a_class_tier_a_served_model_does_not_price_is_an_error_at_the_class() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/class-tier-not-offered.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("`classes[0].tier`"), "{err}");
    assert!(
        err.contains("model `claude-haiku-4-5` has no flex price"),
        "{err}"
    );
    assert!(err.contains("plan `anthropic`"), "{err}");
}

#[test]
fn models_a_plan_already_covers_are_named_in_a_note() {
    let json = Cost::new()
        .args([
            "compare",
            "rag",
            "--models",
            "gpt-6-sol,claude-sonnet-5-5",
            "--no-bands",
        ])
        .run_json();
    let notes = json["notes"].to_string();
    assert!(notes.contains("shown once, as that plan"), "{notes}");
    assert!(notes.contains("gpt-6-sol is plan `"), "{notes}");
    // Without --models (the plans' own models), no such note.
    let json = Cost::new()
        .args(["compare", "routing-example", "--no-bands"])
        .run_json();
    assert!(!json["notes"].to_string().contains("shown once"), "{json}");
}

#[test]
fn a_tier_missing_on_the_price_date_names_the_plan_file_line_and_key() {
    let args = |at: &'static str| {
        [
            "compare".to_string(),
            fixture("scenarios/flex-until-june.toml"),
            "--pricing".into(),
            fixture("sheets/flex-until-june.toml"),
            "--at".into(),
            at.into(),
        ]
    };
    Cost::new()
        .args(args("2026-03-01"))
        .stdout_contains("flex")
        .run();
    let err = Cost::new().args(args("2026-12-01")).status(2).run().stderr;
    for piece in [
        "flex-until-june.toml:18: `plans[1].tier` (plan `flex`)",
        "has no flex price",
    ] {
        assert!(err.contains(piece), "{piece} in {err}");
    }
}
