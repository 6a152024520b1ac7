//! What loading `o200k_base` costs in memory and what counting costs in
//! time, with the tokenizer `cost` uses (`tiktoken`) or the one it used
//! before (`tiktoken-rs`, now the test oracle), for BENCHMARKS.md "Tokens".
//!
//!   cargo run --release --example tokenizer_memory -- tiktoken FILE
//!   cargo run --release --example tokenizer_memory -- tiktoken-rs FILE
//!
//! Prints JSON lines: the load's time, the resident set (KiB) before and
//! after loading,
//! after `cost::memory::return_free_pages`, the tokens of FILE counted line
//! by line, and the time that took.

use std::time::Instant;

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [which, path] = args.as_slice() else {
        eprintln!("usage: tokenizer_memory tiktoken|tiktoken-rs FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let count: Box<dyn Fn(&str) -> usize> = match which.as_str() {
        "tiktoken" => {
            let (before, started) = (rss_kib(), Instant::now());
            let bpe = tiktoken::get_encoding("o200k_base").expect("compiled in");
            report_load(which, before, started);
            Box::new(move |s| bpe.count(s))
        }
        "tiktoken-rs" => {
            let (before, started) = (rss_kib(), Instant::now());
            let bpe = tiktoken_rs::o200k_base_singleton();
            report_load(which, before, started);
            Box::new(move |s| bpe.encode_ordinary(s).len())
        }
        other => {
            eprintln!("error: unknown tokenizer `{other}` (tiktoken or tiktoken-rs)");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let tokens: usize = text.lines().map(&count).sum();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    println!(
        "{{\"tokenizer\":\"{which}\",\"tokens\":{tokens},\"count_ms\":{ms:.1},\"rss_kib_after_counting\":{}}}",
        rss_kib()
    );
}

fn report_load(which: &str, before: u64, started: Instant) {
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let loaded = rss_kib();
    cost::memory::return_free_pages();
    println!(
        "{{\"tokenizer\":\"{which}\",\"load_ms\":{load_ms:.1},\"rss_kib_before\":{before},\"rss_kib_loaded\":{loaded},\"rss_kib_after_return_free_pages\":{}}}",
        rss_kib()
    );
}
