//! `cargo +nightly fuzz run replay_line`: every replay line parser on
//! arbitrary bytes must return a record or a located error, never panic.
#![no_main]

use cost::replay::api::parse_line;
use cost::replay::LogShape;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for shape in [LogShape::OpenAi, LogShape::Anthropic, LogShape::ClaudeCode] {
        if let Ok(Some(r)) = parse_line(data, shape) {
            let q = r.request;
            assert!(q.cache_read + q.cache_write + q.cache_write_1h <= q.input);
        }
    }
    let _ = cost::replay::detect::jsonl_shape(data);
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = cost::replay::litellm::parse_row(&cost::replay::row::Row::Json(&map));
    }
});
