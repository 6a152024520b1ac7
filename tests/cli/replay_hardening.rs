//! `cost replay` on logs that are wrong in ways that used to give a silently
//! wrong or untraceable total (issue 13): LiteLLM metadata that is not a
//! usage object, groups mixing priced and unpriced requests, bad lines that
//! left no trace in CSV, malformed first lines, byte-order marks and bytes
//! that are not UTF-8.

use super::{fixture, Cost};

fn file(bytes: &[u8], name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

const GOOD: &str = "{\"model\":\"gpt-4o\",\"created\":1793613600,\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n";

/// The README's LiteLLM row: 8,000 prompt tokens of which 2,000 cached.
const LITELLM_HEADER: &str =
    "request_id,spend,prompt_tokens,completion_tokens,startTime,model,metadata\n";

fn litellm_row(metadata: &str) -> String {
    format!("r1,0.0112,8000,1000,2026-11-02 10:00:00,claude-haiku-4-5,{metadata}\n")
}

#[test]
fn litellm_metadata_that_is_not_a_usage_object_is_a_bad_field_not_a_dropped_split() {
    let good = litellm_row(
        r#""{""usage_object"": {""prompt_tokens_details"": {""cached_tokens"": 2000}}}""#,
    );
    let cases = [
        ("{usage_object: cached 2000}", "metadata", "not JSON"),
        (r#""[2000]""#, "metadata", "a JSON array, not an object"),
        (
            r#""{""usage_object"": ""cached=2000""}""#,
            "metadata.usage_object",
            "not JSON",
        ),
        (
            r#""{""usage_object"": {""prompt_tokens_details"": 2000}}""#,
            "metadata.usage_object.prompt_tokens_details",
            "a JSON number, not an object",
        ),
    ];
    for (metadata, field, why) in cases {
        let log = format!("{LITELLM_HEADER}{good}{}", litellm_row(metadata));
        let (_dir, path) = file(log.as_bytes(), "spend.csv");
        let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
        assert!(
            err.contains(&format!("{path}:3: `{field}`: ")),
            "{metadata}: {err}"
        );
        assert!(err.contains(why), "{metadata}: {err}");
        let json = Cost::new()
            .args(["replay", &path, "--skip-bad", "-q", "--format", "json"])
            .run()
            .json();
        assert_eq!(json["bad_lines"], 1, "{metadata}");
        assert_eq!(
            json["requests"], 1,
            "{metadata}: only the good row is priced"
        );
        assert_eq!(json["bad_line_samples"][0]["field"], field);
        assert_eq!(json["bad_line_samples"][0]["line"], 3);
    }
    // The good row keeps its split: 2,000 of the 8,000 prompt tokens cached.
    let (_dir, path) = file(format!("{LITELLM_HEADER}{good}").as_bytes(), "spend.csv");
    let json = Cost::new().args(["replay", &path]).run_json();
    assert_eq!(json["groups"][0]["cache_read_tokens"], 2000);
}

#[test]
fn a_group_mixing_priced_and_unpriced_requests_shows_them_apart() {
    // One day: a priced gpt-4o request and one on a model no sheet knows.
    let log = format!(
        "{GOOD}{}",
        GOOD.replace("gpt-4o", "house-model-7")
            .replace("\"prompt_tokens\":10", "\"prompt_tokens\":5000")
    );
    let (_dir, path) = file(log.as_bytes(), "log.jsonl");
    let json = Cost::new()
        .args(["replay", &path, "--by", "day"])
        .stderr_contains("1 requests on unknown models are not in the totals")
        .run_json();
    let day = &json["groups"][0];
    assert_eq!(day["requests"], 2);
    assert_eq!(day["not_priced_requests"], 1);
    assert_eq!(day["not_priced_tokens"], 5001);
    assert_eq!(day["input_tokens"], 10, "tokens of the priced request only");
    assert_eq!(
        day["cost_usd"].to_string(),
        "0.000035",
        "10 in + 1 out on gpt-4o"
    );
    // An unlimited width, so the header is not wrapped.
    let table = Cost::new()
        .args(["replay", &path, "--by", "day", "-q"])
        .env("COLUMNS", "0")
        .run()
        .stdout;
    assert!(table.contains("not priced"), "{table}");
    // A clean log has no such column in the table (CSV and JSON keep it).
    let (_dir, clean) = file(GOOD.as_bytes(), "clean.jsonl");
    let table = Cost::new()
        .args(["replay", &clean, "-q"])
        .env("COLUMNS", "0")
        .run()
        .stdout;
    assert!(!table.contains("not priced"), "{table}");
}

#[test]
fn skipped_lines_and_unpriced_requests_reach_csv_even_with_quiet() {
    let log = format!(
        "{GOOD}not json\n{}",
        GOOD.replace("gpt-4o", "house-model-7")
    );
    let (_dir, path) = file(log.as_bytes(), "log.jsonl");
    let csv = Cost::new()
        .args(["replay", &path, "--skip-bad", "-q", "--format", "csv"])
        .run()
        .stdout;
    let (groups, summary) = csv.split_once("\n\n").expect("a summary after the groups");
    assert!(
        groups.starts_with("model,requests,not_priced_requests,"),
        "{csv}"
    );
    assert!(groups.contains("\nhouse-model-7,1,1,"), "{csv}");
    assert!(summary.starts_with("summary,count\n"), "{csv}");
    for row in [
        "requests,2",
        "priced_requests,1",
        "unknown_model_requests,1",
        "unpriced_requests,0",
        "bad_lines,1",
    ] {
        assert!(summary.contains(&format!("{row}\n")), "{row}: {csv}");
    }
    let json = Cost::new()
        .args(["replay", &path, "--skip-bad", "-q", "--format", "json"])
        .run()
        .json();
    assert_eq!(
        (&json["bad_lines"], &json["unknown_model_requests"]),
        (&serde_json::json!(1), &serde_json::json!(1))
    );
    assert!(json.get("summary").is_none(), "the CSV trailer is CSV only");
    // Nothing left out: the CSV is the primary table alone, as before.
    let (_dir, clean) = file(GOOD.as_bytes(), "clean.jsonl");
    let csv = Cost::new()
        .args(["replay", &clean, "--format", "csv", "-q"])
        .run()
        .stdout;
    assert!(!csv.contains("summary"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

#[test]
fn malformed_first_lines_do_not_hide_the_shape() {
    let log = format!("garbage from a crashed writer\n[1,2]\n{{\"model\":\"gpt-4o\"\n{GOOD}{GOOD}");
    let (_dir, path) = file(log.as_bytes(), "log.jsonl");
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains(&format!("{path}:1: `line`: not valid JSON")),
        "{err}"
    );
    let json = Cost::new()
        .args(["replay", &path, "--skip-bad", "--format", "json"])
        .stderr_contains("warning: 3 bad lines were skipped")
        .run()
        .json();
    assert_eq!(json["requests"], 2);
    assert_eq!(json["bad_lines"], 3);
    assert!(
        json["shapes"].as_str().unwrap().ends_with("openai"),
        "{json}"
    );
    let lines: Vec<u64> = json["bad_line_samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3]);
    // No good line at all: the error names the lines and why, not their text.
    let (_dir, path) = file(b"secret-token-abc\n[1]\n{\"hello\":1}\n", "log.jsonl");
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains("line 1 is not valid JSON; line 2 is JSON but not an object; line 3 is a JSON object with no usage of a known shape"),
        "{err}"
    );
    assert!(!err.contains("secret-token"), "{err}");
    assert!(err.contains("--shape"), "{err}");
}

#[test]
fn a_byte_order_mark_is_accepted_in_every_log_shape() {
    let bom = b"\xEF\xBB\xBF";
    for name in [
        "replay/chat.jsonl",
        "replay/litellm.csv",
        "replay/anthropic.jsonl",
    ] {
        let mut bytes = bom.to_vec();
        bytes.extend(std::fs::read(fixture(name)).unwrap());
        let (_dir, path) = file(&bytes, "log");
        let with = Cost::new().args(["replay", &path]).run_json();
        let without = Cost::new().args(["replay", &fixture(name)]).run_json();
        assert_eq!(with["cost_usd"], without["cost_usd"], "{name}");
        assert_eq!(with["bad_lines"], 0, "{name}");
    }
}

#[test]
fn bytes_that_are_not_utf8_are_located_by_line_and_byte() {
    let mut log = GOOD.as_bytes().to_vec();
    log.extend(
        b"{\"model\":\"gpt\xC3\x28\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n",
    );
    let (_dir, path) = file(&log, "log.jsonl");
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains(&format!(
            "{path}:2: `line`: byte 14 of the line is not valid UTF-8"
        )),
        "{err}"
    );
    let csv = b"model,input_tokens,output_tokens\ngpt-4o,1,1\ngpt\xC3\x28,1,1\n";
    let (_dir, path) = file(csv, "log.csv");
    let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
    assert!(
        err.contains(&format!(
            "{path}:3: `line`: field 1, byte 4 of the field, is not valid UTF-8"
        )),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_accepted_in_scenarios_sheets_and_eval_tables() {
    let bom = |path: &str| {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(std::fs::read(path).unwrap());
        bytes
    };
    let (_s, scenario) = file(&bom("scenarios/default.toml"), "default.toml");
    Cost::new()
        .args(["compare", &scenario, "--at", "2026-12-01", "-q"])
        .stdout_contains("routed")
        .run();
    let sheet = std::fs::read_dir("pricing")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "toml"))
        .unwrap();
    let (_p, sheet) = file(&bom(sheet.to_str().unwrap()), "sheet.toml");
    Cost::new()
        .args(["validate", &sheet, "-q"])
        .stderr_any()
        .run();
    let table =
        "query,model,score,input_tokens,output_tokens\nq1,gpt-4o,1,10,1\nq1,gpt-4o-mini,0,10,1\n";
    for (name, text) in [
        ("t.csv", table.to_string()),
        (
            "t.jsonl",
            "{\"query\":\"q1\",\"model\":\"gpt-4o\",\"score\":1,\"input_tokens\":10,\"output_tokens\":1}\n{\"query\":\"q1\",\"model\":\"gpt-4o-mini\",\"score\":0,\"input_tokens\":10,\"output_tokens\":1}\n".to_string(),
        ),
    ] {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(text.as_bytes());
        let (_e, path) = file(&bytes, name);
        Cost::new()
            .args(["eval", &path, "--at", "2026-12-01", "-q"])
            .args(["--input-tokens", "input_tokens", "--output-tokens", "output_tokens"])
            .stdout_contains("gpt-4o-mini")
            .run();
    }
}

#[test]
fn a_scenario_that_is_not_utf8_is_located_by_line_and_byte() {
    let mut bytes = std::fs::read("scenarios/default.toml").unwrap();
    let second_line = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    bytes.insert(second_line + 2, 0xFF);
    let (_dir, path) = file(&bytes, "s.toml");
    let err = Cost::new().args(["compare", &path]).status(2).run().stderr;
    assert!(
        err.contains(&format!(
            "line 2, byte 3 of the line (byte offset {} in the file)",
            second_line + 2
        )),
        "{err}"
    );
}
