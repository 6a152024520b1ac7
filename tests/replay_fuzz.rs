//! The replay line parsers on arbitrary bytes (proptest, on stable: it
//! replaced the cargo-fuzz target; `parsers_fuzz.rs` covers every other
//! parser and whole files): never a panic, and every record they accept
//! satisfies the request invariants the pricer relies on.

use cost::replay::api::parse_line;
use cost::replay::record::MAX_TOKENS;
use cost::replay::LogShape;
use proptest::prelude::*;

fn check(line: &[u8]) {
    for shape in [LogShape::OpenAi, LogShape::Anthropic, LogShape::ClaudeCode] {
        if let Ok(Some(r)) = parse_line(line, shape) {
            let q = r.request;
            assert!(
                q.cache_read + q.cache_write + q.cache_write_1h <= q.input,
                "{q:?}"
            );
            assert!(q.input <= 3 * MAX_TOKENS && q.output <= MAX_TOKENS, "{q:?}");
        }
    }
    let _ = cost::replay::detect::jsonl_shape(line);
    let _ = cost::replay::otel::for_each_span(line, &mut |span, _| {
        if let Ok(Some(r)) = span {
            let q = r.request;
            assert!(q.cache_read + q.cache_write <= q.input, "{q:?}");
            check_timing(&r.timing);
        }
        true
    });
}

/// A timing the parsers accept is never negative and has its first token
/// within the request.
fn check_timing(timed: &cost::replay::record::Timed) {
    if let cost::replay::record::Timed::Measured(t) = timed {
        assert!(t.ttft.is_some() || t.e2e.is_some(), "{t:?}");
        assert!(t.ttft.is_none_or(|d| !d.is_negative()), "{t:?}");
        assert!(t.e2e.is_none_or(|d| !d.is_negative()), "{t:?}");
        if let (Some(f), Some(e)) = (t.ttft, t.e2e) {
            assert!(f <= e, "{t:?}");
        }
    }
}

/// Lines that look like usage logs, with holes punched in them.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop::sample::select(vec![
        "{",
        "}",
        "\"model\":",
        "\"gpt-4o\"",
        "\"usage\":",
        "\"prompt_tokens\":",
        "\"completion_tokens\":",
        "\"input_tokens\":",
        "\"cache_read_input_tokens\":",
        "\"cache_creation\":",
        "\"prompt_tokens_details\":",
        "{\"cached_tokens\":",
        "\"output_tokens_details\":",
        "{\"reasoning_tokens\":",
        "\"created\":",
        "\"timestamp\":",
        "\"2026-11-28T10:00:00Z\"",
        "\"response\":",
        "\"message\":",
        "\"custom_id\":",
        "\"service_tier\":",
        "\"flex\"",
        "-1",
        "0",
        "12",
        "1e400",
        "18446744073709551616",
        "null",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\u0000",
        "true",
        r#""resourceSpans":[{"scopeSpans":[{"spans":[{"#,
        r#""startTimeUnixNano":"#,
        r#""endTimeUnixNano":"#,
        r#""1793613600000000000""#,
        r#""attributes":["#,
        r#"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}}"#,
        r#"{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}}"#,
        r#"{"key":"gen_ai.response.time_to_first_chunk","value":{"doubleValue":"#,
        r#"{"key":"#,
        r#""value":"#,
    ]);
    prop::collection::vec(fragment, 0..40).prop_map(|parts| parts.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes);
    }

    #[test]
    fn mangled_usage_lines_never_panic(bytes in jsonish()) {
        check(&bytes);
    }
}

#[test]
fn csv_and_generic_rows_never_panic_on_odd_cells() {
    use cost::replay::generic::Mapping;
    use cost::replay::row::{Headers, Row};
    let headers = Headers::new(
        [
            "model",
            "input_tokens",
            "output_tokens",
            "cache_read_tokens",
            "timestamp",
            "ttft_s",
            "duration_s",
            "endTime",
            "completionStartTime",
        ]
        .map(String::from)
        .to_vec(),
    );
    let mapping = Mapping::default().resolve(&headers.names).unwrap();
    for cell in [
        "",
        "-1",
        "1e30",
        "NaN",
        "inf",
        "12.5",
        "x",
        "99999999999999999999",
        "2026-13-45",
    ] {
        let record = csv::StringRecord::from(vec![
            "gpt-4o", cell, cell, cell, cell, cell, cell, cell, cell,
        ]);
        if let Ok(Some(r)) = mapping.parse_row(&Row::Csv {
            headers: &headers,
            record: &record,
        }) {
            check_timing(&r.timing);
        }
        let _ = cost::replay::litellm::parse_row(&Row::Csv {
            headers: &headers,
            record: &record,
        });
    }
}
