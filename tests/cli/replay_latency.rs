//! `cost replay`'s latency measured on the user's own traffic: one test per
//! source kind (LiteLLM spend log, OpenTelemetry span export, generic CSV)
//! with percentiles worked by hand, the latency sheet, and every kind of
//! bad timing field located by file, line and field.
//!
//! Percentiles are nearest-rank: of n sorted values, the p-th is the one at
//! rank ⌈p/100 · n⌉.

use super::{fixture, Cost};

fn latency_rows(json: &serde_json::Value) -> &Vec<serde_json::Value> {
    json["latency"].as_array().expect("a latency table")
}

/// (p50, p90, p99) of `what` (`ttft`, `e2e` in seconds; `output_tps`).
fn percentiles(row: &serde_json::Value, what: &str) -> (f64, f64, f64) {
    let key = |p: &str| {
        let k = if what == "output_tps" {
            format!("output_tps_{p}")
        } else {
            format!("{what}_{p}_s")
        };
        row[&k].as_f64().unwrap_or_else(|| panic!("{k}: {row}"))
    };
    (key("p50"), key("p90"), key("p99"))
}

fn close(got: (f64, f64, f64), want: (f64, f64, f64)) -> bool {
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    near(got.0, want.0) && near(got.1, want.1) && near(got.2, want.2)
}

#[test]
fn a_litellm_spend_log_gives_ttft_e2e_and_rate_percentiles() {
    // latency-litellm.csv: ten timed requests on claude-haiku-4-5, one a day
    // from 2026-11-01, as (TTFT ms, end − first token s, completion tokens):
    // (300,2,100) (500,2,160) (400,1,60) (800,4,400) (200,1,40) (600,2,140)
    // (900,3,270) (1000,5,600) (700,2,220) (1200,8,240); one more request
    // with no completionStartTime/endTime, one not streamed (LiteLLM writes
    // its end, 3.0 s, as completionStartTime: an E2E and no TTFT), and one
    // LiteLLM cache hit.
    let json = Cost::new()
        .args(["replay", &fixture("replay/latency-litellm.csv")])
        .run_json();
    assert_eq!(json["requests"], 12);
    assert_eq!(json["timed_requests"], 11);
    assert_eq!(json["untimed_requests"], 1);
    assert_eq!(json["skipped_lines"], 1, "the cache hit");
    let rows = latency_rows(&json);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["model"], "claude-haiku-4-5");
    assert_eq!(
        (
            row["timed_requests"].as_u64(),
            row["untimed_requests"].as_u64()
        ),
        (Some(11), Some(1))
    );
    assert_eq!(row["ttft_requests"], 10);
    assert_eq!(row["e2e_requests"], 11);
    // TTFT sorted: 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0 1.2 s:
    // p50 = 5th = 0.6, p90 = 9th = 1.0, p99 = 10th = 1.2.
    assert!(close(percentiles(row, "ttft"), (0.6, 1.0, 1.2)), "{row}");
    // E2E = TTFT + stream: 2.3 2.5 1.4 4.8 1.2 2.6 3.9 6.0 2.7 9.2, and 3.0 for
    // the request not streamed; sorted 1.2 1.4 2.3 2.5 2.6 2.7 3.0 3.9 4.8 6.0
    // 9.2 (n = 11): p50 = ⌈5.5⌉ = 6th = 2.7, p90 = ⌈9.9⌉ = 10th = 6.0,
    // p99 = ⌈10.89⌉ = 11th = 9.2.
    assert!(close(percentiles(row, "e2e"), (2.7, 6.0, 9.2)), "{row}");
    // tokens / stream: 50 80 60 100 40 70 90 120 110 30; sorted 30..120 by 10:
    // p50 = 70, p90 = 110, p99 = 120.
    assert!(
        close(percentiles(row, "output_tps"), (70.0, 110.0, 120.0)),
        "{row}"
    );
}

#[test]
fn an_opentelemetry_span_export_gives_percentiles_per_group() {
    // otel-spans.jsonl, two export lines. chat-api: spans with (TTFT, E2E,
    // output tokens) (0.25, 1.25, 100) and (0.5, 2.5, 300), plus an agent
    // span (its usage sums calls below it) and an HTTP span, both skipped.
    // search-api: (0.75, 1.75, 50), (none, 4.0, 200) and, in the older names
    // (gen_ai.system, gen_ai.usage.prompt_tokens, OpenLIT's
    // gen_ai.server.time_to_first_token), (0.4, 2.4, 160).
    let json = Cost::new()
        .args([
            "replay",
            &fixture("replay/otel-spans.jsonl"),
            "--by",
            "model,service.name",
        ])
        .run_json();
    assert!(
        json["shapes"].as_str().unwrap().ends_with(": otel"),
        "{json}"
    );
    assert_eq!(json["requests"], 5);
    assert_eq!(json["skipped_lines"], 2);
    let rows = latency_rows(&json);
    let chat = &rows[0];
    assert_eq!(
        (chat["model"].as_str(), chat["service.name"].as_str()),
        (Some("gpt-4o"), Some("chat-api"))
    );
    // Two values: p50 = 1st, p90 = p99 = 2nd. Rates 100/1.0 = 100, 300/2.0 = 150.
    assert!(close(percentiles(chat, "ttft"), (0.25, 0.5, 0.5)), "{chat}");
    assert!(close(percentiles(chat, "e2e"), (1.25, 2.5, 2.5)), "{chat}");
    assert!(
        close(percentiles(chat, "output_tps"), (100.0, 150.0, 150.0)),
        "{chat}"
    );
    let search = &rows[1];
    assert_eq!(search["service.name"], "search-api");
    assert_eq!(
        (
            search["ttft_requests"].as_u64(),
            search["e2e_requests"].as_u64()
        ),
        (Some(2), Some(3))
    );
    // TTFT 0.4 0.75: p50 = 0.4, p90 = 0.75. E2E 1.75 2.4 4.0: p50 = ⌈1.5⌉ = 2nd
    // = 2.4, p90 = 3rd = 4.0. Rates 50/1.0 = 50, 160/2.0 = 80.
    assert!(
        close(percentiles(search, "ttft"), (0.4, 0.75, 0.75)),
        "{search}"
    );
    assert!(
        close(percentiles(search, "e2e"), (2.4, 4.0, 4.0)),
        "{search}"
    );
    assert!(
        close(percentiles(search, "output_tps"), (50.0, 80.0, 80.0)),
        "{search}"
    );
}

#[test]
fn a_generic_csv_maps_its_timing_columns() {
    // latency-generic.csv: (TTFT, E2E, answer tokens) (0.8, 3.8, 300),
    // (1.2, 2.2, 50), (0.5, 5.5, 1000), (none, 2.0, 10), and a row without
    // timings. TTFT 0.5 0.8 1.2: p50 = 2nd = 0.8, p90 = 3rd = 1.2. E2E 2.0 2.2
    // 3.8 5.5: p50 = 2nd = 2.2, p90 = 4th = 5.5. Rates 300/3 = 100, 50/1 = 50,
    // 1000/5 = 200: p50 = 100, p90 = 200.
    let map = "model=llm,time=when,input=prompt,output=answer,first_token=first,end=done";
    let csv = Cost::new()
        .args([
            "replay",
            &fixture("replay/latency-generic.csv"),
            "--map",
            map,
            "--latency",
            "--format",
            "csv",
        ])
        .stderr_only_notes()
        .run()
        .stdout;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("model,timed_requests,untimed_requests,bad_timing_requests,ttft_requests,ttft_p50_s,ttft_p90_s,ttft_p99_s,e2e_requests,e2e_p50_s,e2e_p90_s,e2e_p99_s,tps_requests,output_tps_p50,output_tps_p90,output_tps_p99"),
        "--latency puts the latency table first: {csv}"
    );
    assert_eq!(
        lines.next(),
        Some("claude-haiku-4-5,4,1,0,3,0.8,1.2,1.2,4,2.2,5.5,5.5,3,100,200,200")
    );
}

#[test]
fn durations_in_milliseconds_need_no_timestamps() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    // TTFT 250 and 750 ms, E2E 1250 and 2750 ms: rates 100/1 = 100, 100/2 = 50.
    std::fs::write(
        &path,
        "model,input_tokens,output_tokens,ttft,total\ngpt-4o,10,100,250,1250\ngpt-4o,10,100,750,2750\n",
    )
    .unwrap();
    let json = Cost::new()
        .args([
            "replay",
            path.to_str().unwrap(),
            "--map",
            "ttft=ttft,duration=total,durations_in_ms=true",
        ])
        .run_json();
    let row = &latency_rows(&json)[0];
    assert!(close(percentiles(row, "ttft"), (0.25, 0.75, 0.75)), "{row}");
    assert!(close(percentiles(row, "e2e"), (1.25, 2.75, 2.75)), "{row}");
    assert!(
        close(percentiles(row, "output_tps"), (50.0, 100.0, 100.0)),
        "{row}"
    );
}

#[test]
fn emit_latency_writes_a_sheet_of_measured_figures() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("measured.toml");
    let sheet_path = sheet.to_str().unwrap();
    Cost::new()
        .args([
            "replay",
            &fixture("replay/latency-litellm.csv"),
            "--emit-latency",
            sheet_path,
            "--format",
            "json",
        ])
        .stderr(format!("note: wrote {sheet_path}\n"))
        .run();
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.starts_with("# written by `cost replay --emit-latency`\n"),
        "{text}"
    );
    let toml: toml::Value = toml::from_str(&text).unwrap();
    let entry = &toml["latency"][0];
    assert_eq!(entry["model"].as_str(), Some("claude-haiku-4-5"));
    assert_eq!(entry["basis"].as_str(), Some("your-traffic"));
    assert_eq!(
        entry["host"].as_str(),
        Some("anthropic"),
        "custom_llm_provider"
    );
    // The same percentiles as the report (see the LiteLLM test above).
    assert_eq!(entry["ttft_s"].as_float(), Some(0.6));
    assert_eq!(entry["ttft_p90_s"].as_float(), Some(1.0));
    assert_eq!(entry["e2e_p99_s"].as_float(), Some(9.2));
    assert_eq!(entry["output_tps"].as_float(), Some(70.0));
    assert_eq!(entry["e2e_s"].as_float(), Some(2.7));
    assert_eq!(entry["samples"].as_integer(), Some(11));
    assert_eq!(entry["first"].to_string(), "2026-11-01");
    assert_eq!(entry["measured"].to_string(), "2026-11-10");
    assert_eq!(entry["source"].as_str(), Some("latency-litellm.csv"));
    assert_eq!(
        entry["note"].as_str(),
        Some("measured on your traffic, n = 11, 2026-11-01..2026-11-10")
    );
    // The loop closes: `--pricing` overlays the sheet and `compare` uses it
    // in preference to the published figures, saying so.
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        "name = \"s\"\nbaseline = \"a\"\n[volume]\nrequests_per_day = 100\n[[classes]]\nname = \"c\"\nshare = 1.0\nprompt = 1000\noutput = 100\n[[plans]]\nname = \"a\"\nmodel = \"claude-haiku-4-5\"\n",
    )
    .unwrap();
    let json = Cost::new()
        .args([
            "compare",
            scenario.to_str().unwrap(),
            "--pricing",
            sheet_path,
        ])
        .run_json();
    // b = 0.6 - 1,000/5,000 (assumed prefill) = 0.4; prompt 1,000: TTFT 0.6 s;
    // E2E = 0.6 + 100 / 70 tok/s.
    let row = &json["plans"][0];
    assert!(
        (row["ttft_s"].as_f64().unwrap() - 0.6).abs() < 1e-9,
        "{row}"
    );
    assert!((row["e2e_s"].as_f64().unwrap() - (0.6 + 100.0 / 70.0)).abs() < 1e-9);
    assert!(json["notes"].to_string().contains(
        "measured on your traffic, n = 11, 2026-11-01..2026-11-10 (latency-litellm.csv)"
    ));
    let none = dir.path().join("none.toml");
    Cost::new()
        .args([
            "replay",
            &fixture("replay/chat.jsonl"),
            "--emit-latency",
            none.to_str().unwrap(),
            "-q",
        ])
        .run();
    let empty: toml::Value = toml::from_str(&std::fs::read_to_string(&none).unwrap()).unwrap();
    assert_eq!(empty["latency"].as_array().map(Vec::len), Some(0));
    let err = Cost::new()
        .args([
            "replay",
            &fixture("replay/chat.jsonl"),
            "--emit-latency",
            none.to_str().unwrap(),
        ])
        .stderr_contains("warning: no request of a known model carries timings")
        .stderr_any()
        .run()
        .stderr;
    assert!(err.contains("wrote"), "{err}");
}

const LITELLM_HEAD: &str = "request_id,spend,prompt_tokens,completion_tokens,startTime,completionStartTime,endTime,model\nr1,0.01,1000,100,2026-11-02 10:00:00,2026-11-02 10:00:00.5,2026-11-02 10:00:02,claude-haiku-4-5\n";

fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn bad_timing_fields_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let litellm = |row: &str| format!("{LITELLM_HEAD}{row}\n");
    let span = |start: &str, end: &str, ttft: &str| {
        format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"startTimeUnixNano":"{start}","endTimeUnixNano":{end},"attributes":[{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"gen_ai.usage.input_tokens","value":{{"intValue":"10"}}}},{{"key":"gen_ai.usage.output_tokens","value":{{"intValue":"5"}}}}{ttft}]}}]}}]}}]}}"#
        )
    };
    let ok_span = span("1793613600000000000", "\"1793613601000000000\"", "");
    let ttft = |v: &str| format!(r#",{{"key":"gen_ai.response.time_to_first_chunk","value":{v}}}"#);
    let generic_head = "model,input_tokens,output_tokens,ttft_s,duration_s\ngpt-4o,10,5,0.5,1\n";
    let spans = "resourceSpans[0].scopeSpans[0].spans[0].";
    // (file name, content, line, field, what the message says)
    let cases: Vec<(&str, String, u64, String, &str)> = vec![
        ("end-before-start.csv", litellm("r2,0.01,1000,100,2026-11-02 11:00:00,,2026-11-02 10:59:58,claude-haiku-4-5"), 3, "endTime".into(), "ends 2 s before it starts"),
        ("first-after-end.csv", litellm("r2,0.01,1000,100,2026-11-02 11:00:00,2026-11-02 11:00:05,2026-11-02 11:00:03,claude-haiku-4-5"), 3, "completionStartTime".into(), "after the request ends"),
        ("first-before-start.csv", litellm("r2,0.01,1000,100,2026-11-02 11:00:00,2026-11-02 10:00:00,2026-11-02 11:00:03,claude-haiku-4-5"), 3, "completionStartTime".into(), "before the request starts"),
        ("unparseable-end.csv", litellm("r2,0.01,1000,100,2026-11-02 11:00:00,,soon,claude-haiku-4-5"), 3, "endTime".into(), "not a timestamp"),
        ("missing-start.csv", litellm("r2,0.01,1000,100,,,2026-11-02 11:00:03,claude-haiku-4-5"), 3, "startTime".into(), "missing"),
        ("span-end-before-start.jsonl", format!("{ok_span}\n{}\n", span("1793613600000000000", "\"1793613500000000000\"", "")), 2, format!("{spans}endTimeUnixNano"), "before it starts"),
        ("span-end-not-a-time.jsonl", format!("{ok_span}\n{}\n", span("1793613600000000000", "\"later\"", "")), 2, format!("{spans}endTimeUnixNano"), "not a time"),
        ("span-ttft-text.jsonl", format!("{ok_span}\n{}\n", span("1793613600000000000", "\"1793613601000000000\"", &ttft(r#"{"stringValue":"fast"}"#))), 2, format!("{spans}gen_ai.response.time_to_first_chunk"), "not a number"),
        ("span-ttft-after-end.jsonl", format!("{ok_span}\n{}\n", span("1793613600000000000", "\"1793613601000000000\"", &ttft(r#"{"doubleValue":3.5}"#))), 2, format!("{spans}gen_ai.response.time_to_first_chunk"), "after the request ends"),
        ("generic-duration-text.csv", format!("{generic_head}gpt-4o,10,5,0.5,n/a\n"), 3, "duration_s".into(), "not a number"),
        ("generic-ttft-negative.csv", format!("{generic_head}gpt-4o,10,5,-0.2,1\n"), 3, "ttft_s".into(), "before the request starts"),
        ("generic-ttft-over-e2e.csv", format!("{generic_head}gpt-4o,10,5,2,1\n"), 3, "ttft_s".into(), "after the request ends"),
    ];
    for (name, content, line, field, message) in cases {
        let path = write(&dir, name, &content);
        let err = Cost::new().args(["replay", &path]).status(2).run().stderr;
        assert!(
            err.contains(&format!("{path}:{line}: `{field}`: ")),
            "{name}: {err}"
        );
        assert!(err.contains(message), "{name}: {err}");
        assert!(err.contains("--skip-bad"), "{name}: {err}");
        // With --skip-bad the request is priced; only its timing is left out.
        let json = Cost::new()
            .args(["replay", &path, "--skip-bad", "--format", "json"])
            .stderr_contains(
                "warning: 1 requests with bad timing fields were priced without their timing",
            )
            .run()
            .json();
        assert_eq!(json["requests"], 2, "{name}: {json}");
        assert_eq!(json["priced_requests"], 2, "{name}");
        assert_eq!(json["bad_lines"], 0, "{name}");
        assert_eq!(json["bad_timing_requests"], 1, "{name}");
        assert_eq!(json["timed_requests"], 1, "{name}");
        let sample = &json["bad_timing_samples"][0];
        assert_eq!(sample["line"].as_u64(), Some(line), "{name}");
        assert_eq!(sample["field"].as_str(), Some(field.as_str()), "{name}");
        assert!(sample["file"].as_str().unwrap().ends_with(name), "{name}");
        assert_eq!(json["latency"][0]["bad_timing_requests"], 1, "{name}");
    }
}
