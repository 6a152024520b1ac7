//! The JSONL request log: one line per upstream attempt (and per request
//! refused before one), appended with one `write` under a lock (an
//! attempt's line once the ledger has committed its cost, `close`). Appending to the page cache costs a few
//! microseconds, less than waking a writer thread for every line would,
//! and a line is in the file (safe from a crash of the process) as soon
//! as `write` returns. A line the file refuses is counted, with the
//! reason (`failed`), for /metrics and the warning on stderr.
//! Request and response bodies and keys' secrets are never written; the
//! line's shape is what `replay::gateway` reads.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::money::Money;
use crate::pricing::bill::Request;

/// Where log lines go, and how many could not be written there.
#[derive(Clone)]
pub struct LogSink {
    file: Arc<Mutex<File>>,
    failed: Arc<Failed>,
}

/// Lines the file refused (a full disk, a lost mount), and the newest
/// refusal's reason: counted on /metrics and said on stderr, because
/// `cost replay` cannot total what the log lacks.
#[derive(Default)]
struct Failed {
    lines: AtomicU64,
    last_error: Mutex<Option<String>>,
}

impl LogSink {
    /// Appends to `path` (created if absent).
    pub fn open(path: &Path) -> std::io::Result<LogSink> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(LogSink {
            file: Arc::new(Mutex::new(file)),
            failed: Arc::default(),
        })
    }

    /// Lines not written so far, with the newest reason.
    pub fn failed(&self) -> (u64, Option<String>) {
        let reason = self
            .failed
            .last_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        (self.failed.lines.load(Ordering::Relaxed), reason)
    }

    pub fn write(&self, line: &LogLine<'_>) {
        self.write_json(line);
    }

    /// Any serialisable line (the shadow pairs log's too).
    pub fn write_json<T: Serialize>(&self, line: &T) {
        if let Some(text) = encode(line) {
            self.write_encoded(&text);
        }
    }

    /// A line `encode` made, written later (once the ledger holds its cost).
    pub fn write_encoded(&self, text: &[u8]) {
        // A poisoned lock only means another line's write panicked.
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = file.write_all(text) {
            drop(file);
            self.failed.lines.fetch_add(1, Ordering::Relaxed);
            *self
                .failed
                .last_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e.to_string());
        }
    }
}

/// One log line's bytes, newline included.
pub fn encode<T: Serialize>(line: &T) -> Option<Vec<u8>> {
    let mut text = serde_json::to_vec(line).ok()?;
    text.push(b'\n');
    Some(text)
}

/// Token counts as the billing kernel defines them.
#[derive(Debug, Serialize)]
pub struct UsageOut {
    pub input: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub cache_write_1h: u64,
    pub output: u64,
    pub reasoning: u64,
}

impl From<&Request> for UsageOut {
    fn from(r: &Request) -> UsageOut {
        UsageOut {
            input: r.input,
            cache_read: r.cache_read,
            cache_write: r.cache_write,
            cache_write_1h: r.cache_write_1h,
            output: r.output,
            reasoning: r.reasoning,
        }
    }
}

/// Exact money as a JSON number with every decimal kept.
pub fn usd(m: Money) -> Box<RawValue> {
    RawValue::from_string(m.to_string()).expect("a decimal is a JSON number")
}

/// One log line.
#[derive(Debug, Serialize)]
pub struct LogLine<'a> {
    pub log: &'static str,
    pub ts: String,
    pub request_id: &'a str,
    pub attempt: u32,
    pub route: &'static str,
    pub outcome: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'a str>,
    /// A learned rule's score of the request (0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub served_model: Option<&'a str>,
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<UsageOut>,
    /// `upstream`: the provider's usage; `estimated`: counted by the gateway
    /// (a client that left before the provider reported usage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_usd: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_cost_usd: Option<Box<RawValue>>,
    pub latency_s: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttft_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A line the file refuses is counted, with the reason, not dropped
    /// unsaid (`/dev/full` refuses every write: no space left).
    #[test]
    fn a_line_the_file_refuses_is_counted() {
        let sink = LogSink::open(Path::new("/dev/full")).unwrap();
        assert_eq!(sink.failed(), (0, None));
        sink.write_encoded(b"{}\n");
        sink.write_encoded(b"{}\n");
        let (n, reason) = sink.failed();
        assert_eq!(n, 2);
        assert!(reason.unwrap().contains("No space left"));
    }
}
