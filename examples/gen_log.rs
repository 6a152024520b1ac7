//! A reproducible OpenAI-style usage log for benchmarks:
//! `cargo run --release --example gen_log -- 1000000 > log.jsonl`.
//! Chat-completion usage objects (cached and reasoning tokens inside their
//! totals), five models, one request every ~2.6 s through November 2026,
//! 1,000 users and 4 features; the same seed gives the same bytes.

use std::io::{BufWriter, Write};

const MODELS: [&str; 5] = [
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1-mini",
    "gpt-5-mini",
    "o4-mini",
];
const FEATURES: [&str; 4] = ["chat", "search", "summarise", "extract"];
/// 2026-11-01T00:00:00Z.
const START: u64 = 1_793_491_200;

/// xorshift64*: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let lines: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let mut rng = Rng(seed.max(1));
    let out = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, out.lock());
    let step = (30 * 86_400 / lines.max(1)).max(1);
    for i in 0..lines {
        let model = MODELS[rng.below(MODELS.len() as u64) as usize];
        let prompt = 200 + rng.below(20_000);
        let cached = if rng.below(2) == 0 {
            rng.below(prompt) / 128 * 128
        } else {
            0
        };
        let reasoning = if model.starts_with('o') || model.starts_with("gpt-5") {
            rng.below(3_000)
        } else {
            0
        };
        let completion = reasoning + 20 + rng.below(1_500);
        writeln!(
            out,
            r#"{{"created":{},"model":"{model}","user":"u{}","feature":"{}","usage":{{"prompt_tokens":{prompt},"completion_tokens":{completion},"prompt_tokens_details":{{"cached_tokens":{cached}}},"completion_tokens_details":{{"reasoning_tokens":{reasoning}}}}}}}"#,
            START + i * step + rng.below(step),
            rng.below(1_000),
            FEATURES[rng.below(4) as usize],
        )?;
    }
    out.flush()
}
