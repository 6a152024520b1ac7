//! Every bad input named in the foundation issue: one clear error naming the
//! file, the line and the key, exit code 2, nothing on stdout, no panic.

use super::{fixture, Cost};

#[test]
fn unknown_model_suggests_the_closest_ids() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/unknown-model.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("unknown-model.toml:20"), "{err}");
    assert!(err.contains("`plans[0].model`"), "{err}");
    assert!(err.contains("unknown model `gpt-4o-mnii`"), "{err}");
    assert!(err.contains("did you mean `gpt-4o-mini`"), "{err}");
}

#[test]
fn unknown_model_on_the_command_line_suggests_too() {
    let err = Cost::new()
        .args([
            "estimate",
            "-m",
            "claude-opus-55",
            "--input",
            "1",
            "--output",
            "1",
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("unknown model `claude-opus-55`"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn shares_that_do_not_sum_to_one() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/bad-shares.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("bad-shares.toml:14"), "{err}");
    assert!(err.contains("`classes[1].share`"), "{err}");
    assert!(err.contains("sum to 0.9,"), "{err}");
}

#[test]
fn negative_token_count() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/negative-tokens.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("negative-tokens.toml:"), "{err}");
    assert!(err.contains("`classes[0].prompt`"), "{err}");
    assert!(err.contains("not a token count"), "{err}");
}

#[test]
fn non_integer_token_count() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/fractional-tokens.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("fractional-tokens.toml:10: `classes[0].output`"),
        "{err}"
    );
    assert!(err.contains("expected a whole number"), "{err}");
}

#[test]
fn cache_reads_above_the_prompt() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/cache-above-prompt.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("cache-above-prompt.toml:10"), "{err}");
    assert!(err.contains("exceed the prompt"), "{err}");
}

#[test]
fn cache_reads_above_the_prompt_on_the_command_line() {
    let err = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "10",
            "--cache-read",
            "20",
            "--output",
            "1",
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("exceed the whole prompt"), "{err}");
}

#[test]
fn long_context_tier_below_zero() {
    let err = Cost::new()
        .args(["models", "--pricing", &fixture("sheets/negative-tier.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("negative-tier.toml:15"), "{err}");
    assert!(
        err.contains("`models[0].prices[0].long_context[0].above`"),
        "{err}"
    );
}

#[test]
fn overlapping_price_periods() {
    let err = Cost::new()
        .args([
            "models",
            "--pricing",
            &fixture("sheets/overlapping-dates.toml"),
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("overlapping-dates.toml:"), "{err}");
    assert!(err.contains("overlaps"), "{err}");
}

#[test]
fn malformed_toml_names_file_and_line() {
    let err = Cost::new()
        .args(["compare", &fixture("scenarios/malformed.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("malformed.toml:2"), "{err}");
}

#[test]
fn a_model_without_a_source_is_rejected() {
    let err = Cost::new()
        .args(["models", "--pricing", &fixture("sheets/no-source.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("`models[0].source`"), "{err}");
    assert!(err.contains("no source URL"), "{err}");
}

#[test]
fn unknown_scenario_name_lists_the_builtin_ones() {
    let err = Cost::new()
        .args(["compare", "no-such-scenario"])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("no scenario named `no-such-scenario`"),
        "{err}"
    );
    assert!(err.contains("default"), "{err}");
}

#[test]
fn missing_pricing_path_is_an_input_error() {
    let err = Cost::new()
        .args(["models", "--pricing", "/no/such/sheet.toml"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("/no/such/sheet.toml"), "{err}");
}

#[test]
fn bad_date_is_an_input_error() {
    let err = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "1",
            "--output",
            "1",
            "--at",
            "2026-13-01",
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("--at 2026-13-01"), "{err}");
}

#[test]
fn user_sheet_overrides_a_builtin_model_by_id() {
    let out = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "1000000",
            "--output",
            "0",
            "--format",
            "csv",
            "--pricing",
            &fixture("sheets/override-gpt-4o.toml"),
        ])
        .stderr_contains("note: prices as of ")
        .stderr_contains(
            "override-gpt-4o.toml (verified 2026-11-01, https://example.com/our-contract)",
        )
        .stderr_only_notes()
        .run()
        .stdout;
    assert!(
        out.lines()
            .any(|l| l.starts_with("total,") && l.ends_with(",2")),
        "{out}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let err = Cost::new()
        .args(["compare", "--format", "yaml"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("yaml"), "{err}");
}

#[test]
fn a_route_to_an_unknown_class() {
    let err = Cost::new()
        .args(["route", &fixture("scenarios/plan-unknown-class.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains(
            "plan-unknown-class.toml:32: `plans[1].routes.medium`: unknown class `medium`"
        ),
        "{err}"
    );
}

#[test]
fn a_route_to_an_unknown_model() {
    let err = Cost::new()
        .args(["route", &fixture("scenarios/plan-unknown-model.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains(
            "plan-unknown-model.toml:32: `plans[1].routes.hard`: unknown model `gpt-4.5o`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn a_confusion_row_that_does_not_sum_to_one() {
    let err = Cost::new()
        .args(["route", &fixture("scenarios/plan-confusion-row.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains(
            "plan-confusion-row.toml:36: `plans[1].confusion.hard`: row `hard` sums to 0.9, not 1"
        ),
        "{err}"
    );
}

#[test]
fn an_auc_below_one_half() {
    let err = Cost::new()
        .args(["route", &fixture("scenarios/plan-bad-auc.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("plan-bad-auc.toml:34: `plans[1].auc`: AUC 0.45 is outside 0.5..1"),
        "{err}"
    );
}

#[test]
fn a_cascade_with_one_stage() {
    let err = Cost::new()
        .args(["route", &fixture("scenarios/plan-one-stage.toml")])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains(
            "plan-one-stage.toml:32: `plans[1].cascade`: a cascade needs at least two models"
        ),
        "{err}"
    );
}

#[test]
fn a_service_tier_cliff_block_missing_a_price_is_rejected() {
    let err = Cost::new()
        .args([
            "models",
            "--pricing",
            &fixture("sheets/incomplete-tier-cliff.toml"),
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("incomplete-tier-cliff.toml:"), "{err}");
    assert!(
        err.contains("`models[0].prices[0].priority.long_context[0].output`"),
        "{err}"
    );
}

#[test]
fn completions_into_a_closed_pipe_exit_quietly() {
    Cost::new()
        .args(["completions", "bash"])
        .close_stdout()
        .run();
}
