//! `cost eval`: hand-built tables with known answers, the public routing
//! tables shipped as fixtures (tests/fixtures/routing/ATTRIBUTION.md), and
//! every bad-table case: file, line and column named, exit 2, no panic.

use super::{fixture, Cost};

fn small(extra: &[&str]) -> serde_json::Value {
    let path = fixture("routing/small.csv");
    let mut args = vec![
        "eval",
        &path,
        "--score",
        "correct",
        "--cost",
        "usd",
        "--router-score",
        "p_strong",
    ];
    args.extend(extra);
    Cost::new().args(&args).run_json()
}

fn router<'a>(json: &'a serde_json::Value, prefix: &str) -> &'a serde_json::Value {
    json["routers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["router"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no router {prefix}"))
}

fn close(v: &serde_json::Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - expected).abs() < 1e-9, "{got} != {expected}");
}

#[test]
fn a_small_table_gives_its_hand_computed_answers() {
    let json = small(&[]);
    assert_eq!(json["weak"], "weak");
    assert_eq!(json["strong"], "strong");
    assert_eq!(json["baseline"], "strong");
    let models = json["models"].as_array().unwrap();
    close(&models[0]["quality"], 0.5);
    close(&models[1]["quality"], 0.75);
    close(&models[1]["total_cost_usd"], 0.04);
    // Random: APGR 0.5 and CPT(x) = x exactly.
    let random = router(&json, "random");
    close(&random["apgr"], 0.5);
    close(&random["cpt50"], 0.5);
    close(&random["cpt80"], 0.8);
    // The router scores q3 (the only query strong wins) highest.
    let threshold = router(&json, "threshold");
    close(&threshold["cpt50"], 0.125);
    close(&threshold["apgr"], 0.875);
    // Oracle: q1, q2, q4 weak ($0.001), q3 strong ($0.01).
    let oracle = router(&json, "oracle");
    close(&oracle["cost_per_query_usd"], 0.00325);
    close(&oracle["quality"], 0.75);
    close(&oracle["savings_share"], 1.0 - 0.00325 / 0.01);
    // Cascade: every query pays weak, the two weak failures pay strong too.
    let cascade = router(&json, "cascade");
    close(&cascade["cost_per_query_usd"], 0.001 + 0.5 * 0.01);
    close(&cascade["strong_share"], 0.5);
    let mix = json["oracle_mix"].as_array().unwrap();
    assert_eq!(mix[0]["queries"], 3);
    assert_eq!(json["oracle_unsolved_queries"], 1);
}

#[test]
fn jsonl_with_true_false_reads_like_the_csv() {
    let path = fixture("routing/small.jsonl");
    let json = Cost::new()
        .args([
            "eval",
            &path,
            "--score",
            "correct",
            "--cost",
            "usd",
            "--router-score",
            "p_strong",
        ])
        .run_json();
    assert_eq!(json["routers"], small(&[])["routers"]);
}

#[test]
fn categories_break_down_quality_and_the_oracle() {
    let json = small(&["--category", "category"]);
    let rows = json["categories"].as_array().unwrap();
    let hard_oracle = rows
        .iter()
        .find(|r| r["category"] == "hard" && r["model"] == "oracle")
        .unwrap();
    close(&hard_oracle["quality"], 0.5);
    close(&hard_oracle["cost_per_query_usd"], 0.0055);
}

#[test]
fn an_imperfect_verifier_and_a_named_baseline_are_reported() {
    let json = small(&[
        "--accept-correct",
        "0.9",
        "--accept-wrong",
        "0.2",
        "--baseline",
        "weak",
    ]);
    assert_eq!(json["baseline"], "weak");
    let cascade = router(&json, "cascade");
    // Escalation: 10% of the two right weak answers, 80% of the two wrong.
    close(&cascade["strong_share"], 0.45);
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("probability 0.9 and a wrong one with 0.2"),
        "{notes}"
    );
    assert!(
        notes.contains("savings are against always `weak`"),
        "{notes}"
    );
}

#[test]
fn gsm8k_from_routellm_matches_the_published_accuracies() {
    let path = fixture("routing/routellm_gsm8k_outcomes.csv");
    let json = Cost::new()
        .args([
            "eval",
            &path,
            "--wide",
            "--query",
            "row",
            "--models",
            "mixtral=mixtral_8x7b_correct,gpt4=gpt4_1106_correct",
            "--where",
            "contaminated=0",
            "--cost-per-query",
            "mixtral=0.00008616",
            "--cost-per-query",
            "gpt4=0.00887",
        ])
        .run_json();
    // RouteLLM keeps 1,307 of 1,319 after decontamination.
    assert_eq!(json["queries"], 1307);
    assert_eq!(json["rows_filtered_out"], 12);
    let models = json["models"].as_array().unwrap();
    close(&models[0]["quality"], 833.0 / 1307.0);
    close(&models[1]["quality"], 1121.0 / 1307.0);
    close(&router(&json, "random")["apgr"], 0.5);
    let notes = json["notes"].to_string();
    assert!(notes.contains("the table has no costs"), "{notes}");
}

#[test]
fn token_columns_priced_with_a_sheet_match_the_tables_own_costs() {
    let path = fixture("routing/routerarena_sub10_outcomes.csv");
    let sheet = fixture("routing/routerarena-prices.toml");
    let common = [
        "eval",
        &path,
        "--query",
        "global_index",
        "--where",
        "global_index!=NarrativeQA_4102",
    ];
    let mut priced = common.to_vec();
    priced.extend([
        "--input-tokens",
        "input_tokens",
        "--output-tokens",
        "output_tokens",
    ]);
    priced.extend(["--pricing", &sheet]);
    let mut given = common.to_vec();
    given.extend(["--cost", "inference_cost_usd"]);
    let (a, b) = (
        Cost::new().args(&priced).run_json(),
        Cost::new().args(&given).run_json(),
    );
    assert_eq!(a["queries"], 808);
    for (x, y) in a["models"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["models"].as_array().unwrap())
    {
        close(&x["total_cost_usd"], y["total_cost_usd"].as_f64().unwrap());
    }
}

#[test]
fn mt_bench_scores_are_normalised_from_one_to_ten() {
    let path = fixture("routing/routellm_mtbench_scores.csv");
    let json = Cost::new()
        .args([
            "eval",
            &path,
            "--query",
            "question_id,turn",
            "--score-range",
            "1..10",
            "--where",
            "contaminated=0",
            "--where",
            "model!=commercial:unify",
            "--where",
            "model!=commercial:martian",
            "--cost-per-query",
            "gpt-4-1106-preview=0.00887",
            "--cost-per-query",
            "mistralai/Mixtral-8x7B-Instruct-v0.1=0.00008616",
        ])
        .run_json();
    assert_eq!(json["queries"], 144);
    let gpt4 = &json["models"].as_array().unwrap()[0];
    let raw = 1.0 + 9.0 * gpt4["quality"].as_f64().unwrap();
    assert!((9.1..9.4).contains(&raw), "{raw}");
}

#[test]
fn a_model_missing_for_a_query_names_the_file_and_line() {
    let path = fixture("routing/missing-outcome.csv");
    let err = Cost::new()
        .args(["eval", &path, "--score", "correct", "--cost", "usd"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("missing-outcome.csv:4:"), "{err}");
    assert!(
        err.contains("model `strong` has no outcome for query `q2`"),
        "{err}"
    );
    assert!(err.contains("--allow-missing"), "{err}");
}

#[test]
fn allow_missing_states_what_it_assumed() {
    let path = fixture("routing/missing-outcome.csv");
    let json = Cost::new()
        .args([
            "eval",
            &path,
            "--score",
            "correct",
            "--cost",
            "usd",
            "--allow-missing",
        ])
        .run_json();
    assert_eq!(json["queries"], 3);
    assert_eq!(json["queries_dropped"], 1);
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("--allow-missing: 1 query lacked an outcome"),
        "{notes}"
    );
    assert!(notes.contains("left them out"), "{notes}");
}

#[test]
fn a_duplicate_row_names_both_lines() {
    let path = fixture("routing/duplicate-row.csv");
    let err = Cost::new()
        .args(["eval", &path, "--score", "correct", "--cost", "usd"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("duplicate-row.csv:4:"), "{err}");
    assert!(
        err.contains("duplicate outcome for query `q1` on model `weak` (first on line 2)"),
        "{err}"
    );
}

#[test]
fn a_score_outside_the_declared_range_names_the_line_and_column() {
    let path = fixture("routing/score-out-of-range.csv");
    let err = Cost::new()
        .args(["eval", &path, "--score", "correct", "--cost", "usd"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("score-out-of-range.csv:6: `correct`"), "{err}");
    assert!(
        err.contains("score 2 is outside the declared score range 0..1"),
        "{err}"
    );
    assert!(err.contains("--score-range"), "{err}");
}

#[test]
fn an_unknown_column_suggests_the_header() {
    let path = fixture("routing/small.csv");
    let err = Cost::new()
        .args(["eval", &path, "--score", "corect", "--cost", "usd"])
        .status(2)
        .run()
        .stderr;
    assert!(
        err.contains("small.csv:1: `corect`: no column `corect`"),
        "{err}"
    );
    assert!(err.contains("did you mean `correct`?"), "{err}");
}

#[test]
fn an_unknown_model_to_price_suggests_catalog_ids() {
    let path = fixture("routing/tokens-unknown-model.csv");
    let err = Cost::new()
        .args([
            "eval",
            &path,
            "--score",
            "correct",
            "--input-tokens",
            "in",
            "--output-tokens",
            "out",
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("tokens-unknown-model.csv:3: `model`"), "{err}");
    assert!(err.contains("unknown model `gpt-4o-mnii`"), "{err}");
    assert!(err.contains("`gpt-4o-mini`"), "{err}");
    assert!(err.contains("--price-as"), "{err}");
}

#[test]
fn assumed_tokens_are_priced_and_flagged_as_assumed() {
    let path = fixture("routing/tokens.csv");
    let json = Cost::new()
        .args([
            "eval",
            &path,
            "--score",
            "correct",
            "--tokens",
            "500:300",
            "--at",
            "2026-11-28",
        ])
        .run_json();
    // docs/routing-math.md: gpt-4o-mini $0.000255, gpt-4o $0.00425 per request.
    let models = json["models"].as_array().unwrap();
    close(&models[0]["cost_per_query_usd"], 0.000_255);
    close(&models[1]["cost_per_query_usd"], 0.00425);
    assert!(json["notes"].to_string().contains("ASSUMED"));
}

#[test]
fn a_table_without_costs_says_how_to_give_them() {
    let path = fixture("routing/small.csv");
    let err = Cost::new()
        .args(["eval", &path, "--score", "correct"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("costs are not given"), "{err}");
    let err = Cost::new()
        .args([
            "eval",
            &path,
            "--score",
            "correct",
            "--cost-per-query",
            "weak=0.1",
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("no cost for strong"), "{err}");
}

#[test]
fn the_plot_has_the_hull_the_curves_and_the_models() {
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("eval.svg");
    Cost::new()
        .args([
            "eval",
            &fixture("routing/small.csv"),
            "--score",
            "correct",
            "--cost",
            "usd",
            "-q",
            "--plot",
        ])
        .arg(&svg_path)
        .run();
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    for text in [
        "USD per 1,000 queries",
        "zero router",
        "random weak / strong",
        "single models",
        "oracle",
    ] {
        assert!(svg.contains(text), "{text}");
    }
}

#[test]
fn empty_and_ragged_tables_from_stdin_are_input_errors() {
    for (input, expected) in [
        ("", "<stdin>: the file is empty"),
        (
            "query,model,score,usd\nq1,a,1\n",
            "<stdin>:2: unreadable CSV row",
        ),
        ("query,model,score,usd\n", "no outcomes"),
    ] {
        Cost::new()
            .args(["eval", "-", "--cost", "usd"])
            .stdin(input)
            .status(2)
            .stderr_contains(expected)
            .run();
    }
}

#[test]
fn a_jsonl_field_that_is_not_there_names_the_fields_that_are() {
    Cost::new()
        .args(["eval", "-", "--input-format", "jsonl", "--cost", "usd"])
        .stdin("{\"query\":\"q1\",\"model\":\"a\",\"scor\":1,\"usd\":0.1}\n")
        .status(2)
        .stderr_contains("<stdin>:1: `score`: no column `score`")
        .stderr_contains("did you mean `scor`? the first object has")
        .run();
}

fn gsm8k(extra: &[&str]) -> serde_json::Value {
    let path = fixture("routing/routellm_gsm8k_outcomes.csv");
    let mut args = vec![
        "eval",
        &path,
        "--wide",
        "--query",
        "row",
        "--models",
        "mixtral=mixtral_8x7b_correct,gpt4=gpt4_1106_correct",
        "--where",
        "contaminated=0",
        "--cost-per-query",
        "mixtral=0.00008616",
        "--cost-per-query",
        "gpt4=0.00887",
    ];
    args.extend(extra);
    Cost::new().args(&args).run_json()
}

#[test]
fn routellms_optimal_router_on_gsm8k_gives_the_papers_apgr_in_both_protocols() {
    // 1,307 questions: Mixtral right on 833, GPT-4 on 1,121; 382 only
    // GPT-4 gets right, 94 only Mixtral. Gap 288. The optimal router makes
    // at most c strong calls, only on the 382: PGR rises to P = 382 / 288
    // = 1.32639 at h = 382 / 1307 = 0.29227, then stays there.
    let json = gsm8k(&[]);
    assert_eq!(json["curve_protocol"], "continuous");
    let optimal = router(&json, "optimal");
    // Continuous: APGR = P (1 - h / 2) = 1.32639 × 0.853864 = 1.13256.
    let p = 382.0 / 288.0;
    let h = 382.0 / 1307.0;
    close(&optimal["apgr"], p * (1.0 - h / 2.0));
    // CPT(50%) = 0.5 h / P = 0.11018 (a straight rise).
    close(&optimal["cpt50"], 0.5 * h / p);
    // RouteLLM's 11 points: PGR(s) = min(1307 s, 382) / 288 at s = 0, .1,
    // .., 1: 0, 0.45382, 0.90764, then P from 0.3 on. Trapezoids:
    // 0.1 × (0.45382 / 2 + (0.45382 + 0.90764) / 2 + (0.90764 + P) / 2 + 7 P).
    let routellm = gsm8k(&["--protocol", "routellm"]);
    assert_eq!(routellm["curve_protocol"], "routellm");
    let pgr = |s: f64| f64::min(1307.0 * s, 382.0) / 288.0;
    let expected =
        0.1 * (0.5 * pgr(0.1) + 0.5 * (pgr(0.1) + pgr(0.2)) + 0.5 * (pgr(0.2) + p) + 7.0 * p);
    close(&router(&routellm, "optimal")["apgr"], expected);
    assert!((expected - 1.130_94).abs() < 1e-5, "{expected}");
    close(&router(&routellm, "random")["apgr"], 0.5);
    let notes = routellm["notes"].to_string();
    assert!(notes.contains("RouteLLM's 11-point protocol"), "{notes}");
}

#[test]
fn auc_one_starts_at_zero_strong_calls() {
    // A perfect classifier: the 382 positives first (PGR 0 -> P over h),
    // then the rest at random (P -> 1 over 1 - h): APGR = P h / 2 +
    // (1 - h)(P + 1) / 2 = 1.01706, CPT(50%) = 0.5 h / P = 0.11018.
    let json = gsm8k(&["--auc", "1"]);
    let (p, h) = (382.0 / 288.0, 382.0 / 1307.0);
    let perfect = router(&json, "synthetic AUC 1");
    close(&perfect["apgr"], p * h / 2.0 + (1.0 - h) * (p + 1.0) / 2.0);
    close(&perfect["cpt50"], 0.5 * h / p);
}

#[test]
fn savings_read_the_routers_own_curve_and_the_mix_is_a_separate_column() {
    // Against always `weak` (0.5 at $0.001): the cascade's one point (0.75
    // at $0.006) reaches that quality only at $0.006, a saving of
    // 1 - 0.006 / 0.001 = -500%; mixed with the single models, `weak`
    // itself does it: 0%.
    let json = small(&["--baseline", "weak"]);
    let cascade = router(&json, "cascade");
    close(&cascade["savings_share"], -5.0);
    close(&cascade["mixed_savings_share"], 0.0);
    close(&cascade["cost_to_match_baseline_usd"], 0.006);
    // AIQ over [$0.001, $0.01] of the threshold router's own hull, (0.001,
    // 0.5) -> (0.00325, 0.75) then flat: (0.00225 × 0.625 + 0.00675 ×
    // 0.75) / 0.009 = 0.71875. A single point (the oracle) has none.
    let json = small(&[]);
    close(&router(&json, "threshold")["aiq"], 0.71875);
    assert!(router(&json, "oracle")["aiq"].is_null());
}

#[test]
fn the_oracle_note_states_the_pass_mark_and_where_unsolved_queries_go() {
    let json = small(&["--pass", "0.6"]);
    let notes = json["notes"].to_string();
    assert!(
        notes.contains(
            "normalised score ≥ 0.6, the pass mark): they still go to their best-scoring model"
        ),
        "{notes}"
    );
}

#[test]
fn mt_bench_routed_per_question_groups_both_turns() {
    let path = fixture("routing/routellm_mtbench_scores.csv");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            &path,
            "--query",
            "question_id,turn",
            "--score-range",
            "1..10",
            "--where",
            "contaminated=0",
            "--where",
            "model!=commercial:unify",
            "--where",
            "model!=commercial:martian",
            "--cost-per-query",
            "gpt-4-1106-preview=0.00887",
            "--cost-per-query",
            "mistralai/Mixtral-8x7B-Instruct-v0.1=0.00008616",
        ];
        args.extend(extra);
        Cost::new().args(&args).run_json()
    };
    let (turns, questions) = (run(&[]), run(&["--group", "question_id"]));
    assert_eq!(turns["queries"], 144);
    assert_eq!(questions["queries"], 72);
    assert_eq!(questions["group"], "question_id");
    // Every question has two turns, so the mean of the per-question means
    // is the mean over turns; an item costs both turns.
    let (a, b) = (&turns["models"][0], &questions["models"][0]);
    close(&b["quality"], a["quality"].as_f64().unwrap());
    close(&b["cost_per_query_usd"], 2.0 * 0.00887);
    // Routing per question can only lose what per-turn routing gains by
    // splitting a question: the optimal router's APGR is lower.
    let per_turn = router(&turns, "optimal")["apgr"].as_f64().unwrap();
    let per_question = router(&questions, "optimal")["apgr"].as_f64().unwrap();
    assert!(per_question < per_turn, "{per_question} {per_turn}");
    assert!(questions["notes"]
        .to_string()
        .contains("grouped by `question_id` into 72 items"));
}

#[test]
fn the_same_model_as_weak_and_strong_is_refused() {
    let path = fixture("routing/small.csv");
    Cost::new()
        .args([
            "eval", &path, "--score", "correct", "--cost", "usd", "--weak", "strong",
        ])
        .status(2)
        .stderr_contains("error: --weak and --strong both name `strong`")
        .stderr_contains("hint: name two different models of the table: weak, strong")
        .run();
}

#[test]
fn a_strong_model_worse_than_the_weak_one_is_warned_of() {
    let path = fixture("routing/small.csv");
    Cost::new()
        .args([
            "eval", &path, "--score", "correct", "--cost", "usd", "--weak", "strong", "--strong",
            "weak", "--format", "json",
        ])
        .stderr_contains("warning: strong `weak` (0.5000) scores below weak `strong` (0.7500)")
        .stderr_contains("swap --weak and --strong")
        .run();
}
