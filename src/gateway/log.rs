//! The JSONL request log: one line per upstream attempt (and per request
//! refused before one), appended with one `write` under a lock (an
//! attempt's line once the ledger has committed its cost, `close`). The
//! lines of the attempts one ledger transaction settled are gathered
//! (`batched`) and appended with one `write` together. Appending to the
//! page cache costs a few microseconds, less than waking a writer thread
//! for every line would, and a line is in the file (safe from a crash of
//! the process) as soon as `write` returns. A line the file refuses is counted, with the
//! reason (`failed`), for /metrics and the warning on stderr.
//! Request and response bodies and keys' secrets are never written; the
//! line's shape is what `replay::gateway` reads.

use std::cell::RefCell;
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
            self.write_encoded(text);
        }
    }

    /// A line `encode` made, written later (once the ledger holds its
    /// cost); inside `batched`, gathered and written at its end.
    pub fn write_encoded(&self, text: Vec<u8>) {
        let mut text = Some(text);
        BATCH.with(|b| {
            if let Some(lines) = b.borrow_mut().as_mut() {
                lines.push((self.clone(), text.take().expect("not taken yet")));
            }
        });
        if let Some(text) = text {
            self.append(&text, 1);
        }
    }

    /// Appends `lines` lines in one `write`, or counts them as refused.
    fn append(&self, text: &[u8], lines: u64) {
        // A poisoned lock only means another line's write panicked.
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = file.write_all(text) {
            drop(file);
            self.failed.lines.fetch_add(lines, Ordering::Relaxed);
            *self
                .failed
                .last_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e.to_string());
        }
    }
}

/// Lines gathered for a batch: each with the file it goes to.
type Lines = Vec<(LogSink, Vec<u8>)>;

thread_local! {
    /// The lines gathered by the `batched` call running on this thread.
    static BATCH: RefCell<Option<Lines>> = const { RefCell::new(None) };
}

/// Runs `f`, and appends the lines it wrote with `write_encoded` once it
/// returns (or unwinds): one `write` for each run of lines to the same
/// file, in the order they were written.
pub fn batched<R>(f: impl FnOnce() -> R) -> R {
    /// Restores the enclosing batch (if any) and writes this one.
    struct Flush(Option<Lines>);
    impl Drop for Flush {
        fn drop(&mut self) {
            let outer = self.0.take();
            let lines = BATCH.with(|b| std::mem::replace(&mut *b.borrow_mut(), outer));
            write_runs(lines.unwrap_or_default());
        }
    }
    let _flush = Flush(BATCH.with(|b| b.borrow_mut().replace(Vec::new())));
    f()
}

/// Each run of consecutive lines to the same file, in one `write`.
fn write_runs(lines: Lines) {
    let mut lines = lines.into_iter().peekable();
    while let Some((sink, mut text)) = lines.next() {
        let mut n = 1;
        while let Some((_, more)) = lines.next_if(|(s, _)| Arc::ptr_eq(&s.file, &sink.file)) {
            text.extend_from_slice(&more);
            n += 1;
        }
        sink.append(&text, n);
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
        sink.write_encoded(b"{}\n".to_vec());
        sink.write_encoded(b"{}\n".to_vec());
        let (n, reason) = sink.failed();
        assert_eq!(n, 2);
        assert!(reason.unwrap().contains("No space left"));
        // A batch that cannot be written counts each of its lines.
        batched(|| {
            for _ in 0..3 {
                sink.write_encoded(b"{}\n".to_vec());
            }
        });
        assert_eq!(sink.failed().0, 5);
    }

    /// A batch's lines reach each file in order, none before the batch
    /// ends, and a line outside a batch is written at once.
    #[test]
    fn a_batch_is_written_when_it_ends_in_order_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
        let (sa, sb) = (LogSink::open(&a).unwrap(), LogSink::open(&b).unwrap());
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        batched(|| {
            sa.write_encoded(b"1\n".to_vec());
            sa.write_encoded(b"2\n".to_vec());
            sb.write_encoded(b"x\n".to_vec());
            sa.write_encoded(b"3\n".to_vec());
            assert_eq!((read(&a), read(&b)), (String::new(), String::new()));
        });
        assert_eq!((read(&a), read(&b)), ("1\n2\n3\n".into(), "x\n".into()));
        sa.write_encoded(b"4\n".to_vec());
        assert_eq!(read(&a), "1\n2\n3\n4\n");
    }
}
