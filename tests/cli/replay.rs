use std::io::Write;

use super::{fixture, Cost};

const SHAPES: [(&str, &str); 6] = [
    ("replay/chat.jsonl", "openai"),
    ("replay/responses.jsonl", "openai"),
    ("replay/anthropic.jsonl", "anthropic"),
    ("replay/claude-code.jsonl", "claude-code"),
    ("replay/litellm.csv", "litellm"),
    ("replay/generic.csv", "generic"),
];

fn replay_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["replay"];
    all.extend(args);
    Cost::new().args(&all).run_json()
}

#[test]
fn the_same_traffic_in_every_shape_prices_identically() {
    for (file, shape) in SHAPES {
        let path = fixture(file);
        let mut args = vec![path.as_str(), "--by", "model,day"];
        if file.ends_with("generic.csv") {
            args.extend(["--mapping", "tests/fixtures/replay/generic-mapping.toml"]);
        }
        let json = replay_json(&args);
        assert_eq!(json["cost_usd"].to_string(), "0.0142", "{file}: {json}");
        assert_eq!(json["requests"], 2, "{file}");
        assert!(
            json["shapes"].as_str().unwrap().ends_with(shape),
            "{file}: {}",
            json["shapes"]
        );
        let groups = json["groups"].as_array().unwrap();
        let days: Vec<&str> = groups.iter().map(|g| g["day"].as_str().unwrap()).collect();
        assert_eq!(days, ["2026-11-02", "2026-11-03"], "{file}");
        assert_eq!(groups[0]["cost_usd"].to_string(), "0.0112", "{file}");
        assert_eq!(groups[1]["reasoning_tokens"], 100, "{file}");
    }
}

#[test]
fn claude_code_repeats_of_one_api_call_count_once_with_the_final_usage() {
    let json = replay_json(&[&fixture("replay/claude-code.jsonl")]);
    assert_eq!(json["duplicate_records"], 2);
    assert_eq!(
        json["skipped_lines"], 3,
        "summary, user and <synthetic> lines"
    );
    assert_eq!(json["groups"][0]["output_tokens"], 1200);
}

#[test]
fn logged_costs_are_shown_beside_ours_with_the_difference() {
    let json = replay_json(&[&fixture("replay/litellm.csv")]);
    assert_eq!(json["logged_cost_usd"].to_string(), "0.0143");
    assert_eq!(json["logged_difference_usd"].to_string(), "0.0001");
    assert_eq!(
        json["skipped_lines"], 1,
        "LiteLLM's own cache hit made no provider call"
    );
}

#[test]
fn group_by_any_field() {
    let json = replay_json(&[&fixture("replay/chat.jsonl"), "--by", "user"]);
    let users: Vec<&str> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["alice", "bob"]);
    let csv = Cost::new()
        .args([
            "replay",
            &fixture("replay/litellm.csv"),
            "--by",
            "month,user",
            "--format",
            "csv",
        ])
        .stderr_contains("note: 1 lines are not billed requests and were skipped")
        .stderr_only_notes()
        .run()
        .stdout;
    assert!(csv.starts_with("month,user,requests,"), "{csv}");
    assert!(csv.contains("2026-11,alice,1,"), "{csv}");
}

#[test]
fn what_if_another_model_reprices_every_request() {
    let json = replay_json(&[&fixture("replay/anthropic.jsonl"), "--as", "gpt-4o"]);
    // gpt-4o: 6,000*2.5 + 2,000*1.25 + 1,000*10 = 0.0275; 1,500*2.5 + 300*10 = 0.00675.
    assert_eq!(json["what_if_cost_usd"].to_string(), "0.03425");
    assert_eq!(json["savings_usd"].to_string(), "-0.02005");
}

#[test]
fn a_plan_routes_each_request_by_its_class() {
    let json = replay_json(&[
        &fixture("replay/generic.csv"),
        "--mapping",
        "tests/fixtures/replay/generic-mapping.toml",
        "--scenario",
        "default",
        "--plan",
        "routed",
        "--class-field",
        "team",
        "--class-map",
        "search=hard,chat=easy",
        "--by",
        "class",
    ]);
    let split = json["traffic_split"].as_array().unwrap();
    assert_eq!(split.len(), 2);
    assert_eq!(split[0]["class"], "easy");
    assert_eq!(split[0]["requests"], 1);
    assert_eq!(split[0]["share"], 0.5);
    assert!(json["what_if"].as_str().unwrap().contains("routed"));
    let classes: Vec<&str> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, ["easy", "hard"]);
}

#[test]
fn unknown_models_are_counted_listed_and_fail_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    std::fs::write(&path, "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n{\"model\":\"gpt-4o-mnii\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n").unwrap();
    let path = path.to_str().unwrap();
    let json = Cost::new()
        .args(["replay", path, "--format", "json"])
        .stderr("warning: 1 requests on unknown models are not in the totals: `gpt-4o-mnii` (1)\n")
        .run()
        .json();
    assert_eq!(json["unknown_models"][0]["model"], "gpt-4o-mnii");
    assert_eq!(json["unknown_model_requests"], 1);
    let err = Cost::new()
        .args(["replay", path, "--strict"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("gpt-4o-mnii"), "{err}");
}

fn bad(content: &str, name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

const GOOD: &str = "{\"model\":\"gpt-4o\",\"created\":1793613600,\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n";

#[test]
fn bad_lines_name_file_line_and_field_and_exit_2() {
    let cases = [
        ("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"compl", "usage", "truncated"),
        ("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":\"ten\",\"completion_tokens\":1}}", "usage.prompt_tokens", "expected a whole number"),
        ("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":1}}", "usage.prompt_tokens", "-3"),
        ("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":900000000000,\"completion_tokens\":1}}", "usage.prompt_tokens", "not a plausible count"),
        ("{\"model\":\"gpt-4o\",\"created\":\"last tuesday\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}", "created", "not a timestamp"),
        ("{\"model\":7,\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}", "model", "invalid type"),
    ];
    for (line, field, message) in cases {
        let (_dir, path) = bad(&format!("{GOOD}{GOOD}{line}\n{GOOD}"), "log.jsonl");
        let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
        assert!(
            err.contains(&format!("{path}:3: `{field}`:")),
            "{line}: {err}"
        );
        assert!(err.contains(message), "{line}: {err}");
        assert!(err.contains("--skip-bad"), "{err}");
    }
}

#[test]
fn a_csv_with_missing_columns_names_what_is_missing() {
    let (_dir, path) = bad("model,prompt_tokens\ngpt-4o,10\n", "log.csv");
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains(&format!("{path}:1: `output`: no column for `output`")),
        "{err}"
    );
    let (_dir, path) = bad(
        "model,input_tokens,output_tokens\ngpt-4o,10\ngpt-4o,x,1\n",
        "log.csv",
    );
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains(&format!(
            "{path}:2: `line`: 2 fields, but the header has 3 columns"
        )),
        "{err}"
    );
}

#[test]
fn skip_bad_counts_and_summarises_bad_lines() {
    let content = format!("{GOOD}{{\"model\":\"gpt-4o\",\"usage\":{{\"prompt_tokens\":-1,\"completion_tokens\":1}}}}\nnot json\n{GOOD}");
    let (_dir, path) = bad(&content, "log.jsonl");
    let json = Cost::new()
        .args(["replay", &path, "--skip-bad", "--format", "json"])
        .stderr_contains("warning: 2 bad lines were skipped")
        .run()
        .json();
    assert_eq!(json["bad_lines"], 2);
    assert_eq!(json["requests"], 2);
    let samples = json["bad_line_samples"].as_array().unwrap();
    assert_eq!(
        (samples[0]["line"].as_f64(), samples[0]["field"].as_str()),
        (Some(2.0), Some("usage.prompt_tokens"))
    );
    assert_eq!(
        (samples[1]["line"].as_f64(), samples[1]["field"].as_str()),
        (Some(3.0), Some("line"))
    );
    assert!(samples[1]["problem"]
        .as_str()
        .unwrap()
        .starts_with("not valid JSON"));
    let table = Cost::new()
        .args(["replay", &path, "--skip-bad", "-q"])
        .run()
        .stdout;
    assert!(
        table.contains(
            "2 bad lines skipped (--skip-bad), by field: `line` 1, `usage.prompt_tokens` 1"
        ),
        "{table}"
    );
}

#[test]
fn gzip_and_stdin_are_read() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(
        std::fs::read(fixture("replay/chat.jsonl"))
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    let bytes = gz.finish().unwrap();
    let json = Cost::new()
        .args(["replay", "-", "--format", "json"])
        .stdin(bytes)
        .run()
        .json();
    assert_eq!(json["cost_usd"].to_string(), "0.0142");
    assert!(json["shapes"].as_str().unwrap().contains("(gzip)"));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let mut log = String::new();
    for i in 0..30_000u64 {
        log.push_str(&format!(
            "{{\"model\":\"{}\",\"created\":{},\"usage\":{{\"prompt_tokens\":{},\"completion_tokens\":{}}}}}\n",
            ["gpt-4o", "gpt-4o-mini", "o3"][(i % 3) as usize],
            1_793_491_200 + i * 60,
            100 + i % 977,
            10 + i % 31
        ));
    }
    let (_dir, path) = bad(&log, "big.jsonl");
    let one = Cost::new()
        .args([
            "replay",
            &path,
            "--by",
            "model,day",
            "-j",
            "1",
            "--format",
            "json",
        ])
        .run()
        .stdout;
    let four = Cost::new()
        .args([
            "replay",
            &path,
            "--by",
            "model,day",
            "-j",
            "4",
            "--format",
            "json",
        ])
        .run()
        .stdout;
    assert_eq!(one, four);
}

#[test]
fn an_unrecognisable_log_asks_for_a_shape() {
    let (_dir, path) = bad("{\"hello\":1}\n", "log.jsonl");
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains("cannot tell the shape") && err.contains("--shape"),
        "{err}"
    );
}

#[test]
fn each_logged_request_is_priced_at_its_own_time_of_day() {
    // DeepSeek V4 Pro, Tuesday 2026-12-01: 03:00 UTC is peak ($1.32/M), 12:00 off-peak (half).
    let log = "{\"model\":\"deepseek-v4-pro\",\"created\":1796094000,\"usage\":{\"prompt_tokens\":1000000,\"completion_tokens\":0}}\n\
               {\"model\":\"deepseek-v4-pro\",\"created\":1796126400,\"usage\":{\"prompt_tokens\":1000000,\"completion_tokens\":0}}\n";
    let (_dir, path) = bad(log, "deepseek.jsonl");
    let json = Cost::new()
        .args(["replay", &path, "--format", "json"])
        .run()
        .json();
    assert_eq!(json["cost_usd"].to_string(), "1.98");
}

#[test]
fn gemini_usage_metadata_is_read_and_priced() {
    // gemini-2.5-flash at $0.30 input, $0.03 cache read, $2.50 output per 1M:
    // 6,000 uncached + 2,000 cached prompt tokens, 700 candidates + 300
    // thoughts = $0.00436; then 1,500 prompt + 100 tool-use prompt tokens
    // and 200 candidates = $0.00098.
    let json = replay_json(&[&fixture("replay/gemini.jsonl"), "--by", "day"]);
    assert!(
        json["shapes"].as_str().unwrap().ends_with("gemini"),
        "{json}"
    );
    assert_eq!(json["cost_usd"].to_string(), "0.00534", "{json}");
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups[0]["cost_usd"].to_string(), "0.00436");
    assert_eq!(groups[0]["reasoning_tokens"], 300);
    assert_eq!(groups[1]["input_tokens"], 1600);
}

#[test]
fn gemini_audio_input_is_a_bad_line_not_text() {
    let line = r#"{"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":5,"promptTokensDetails":[{"modality":"AUDIO","tokenCount":60}]}}"#;
    Cost::new()
        .args(["replay", "-"])
        .stdin(format!("{line}\n"))
        .status(2)
        .stderr_contains("`usageMetadata.promptTokensDetails`: 60 AUDIO tokens")
        .run();
}

#[test]
fn last_years_models_are_priced_from_the_catalog_snapshot_and_say_so() {
    // claude-3-opus (genai-prices' Anthropic entry, $15/$75 per 1M), grok-4
    // (xAI's grok-4-0709, $3/$15) and Claude 3.5 Sonnet on Bedrock
    // (LiteLLM, $3/$15), 1,000 prompt and 100 output tokens each:
    // $0.0225 + $0.0045 + $0.0045. glm-4.7 is sold under that name by Z.ai
    // and by Zhipu at different prices: unknown, not $0.
    let json = Cost::new()
        .args(["replay", &fixture("replay/legacy.jsonl")])
        .stderr_contains("glm-4.7")
        .run_json();
    assert_eq!(json["cost_usd"].to_string(), "0.0315", "{json}");
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("catalog snapshot (LiteLLM 1.110.2, November 2026)"),
        "{notes}"
    );
    assert!(
        notes.contains("catalog snapshot (genai-prices 47df840, 2026-08-21)"),
        "{notes}"
    );
    assert!(notes.contains("x-ai/grok-4 as x-ai/grok-4-0709"), "{notes}");
    assert!(json.to_string().contains("glm-4.7"), "{json}");
}

#[test]
fn an_ambiguous_model_names_its_sellers() {
    Cost::new()
        .args([
            "estimate", "--model", "glm-4.7", "--input", "1000", "--output", "10",
        ])
        .status(2)
        .stderr_contains("model `glm-4.7` is ambiguous")
        .stderr_contains("zai/glm-4.7")
        .run();
}
