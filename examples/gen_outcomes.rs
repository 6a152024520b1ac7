//! Writes a synthetic long-format outcome table to stdout, for benchmarks:
//! `cargo run --release --example gen_outcomes -- ROWS [MODELS] [SEED] [csv|jsonl]`.
//! Columns: query, model, score (0/1), cost (USD), p_strong (a noisy router
//! score), category. Deterministic for a seed; no real model was run.

use std::io::{BufWriter, Write};

/// SplitMix64: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: u64| -> u64 {
        args.get(i)
            .and_then(|a| a.replace('_', "").parse().ok())
            .unwrap_or(default)
    };
    let (rows, models, seed) = (arg(0, 1_000_000), arg(1, 10).max(1), arg(2, 42));
    let queries = rows / models;
    let mut rng = Rng(seed);
    let jsonl = args.get(3).is_some_and(|f| f == "jsonl");
    let mut out = BufWriter::new(std::io::stdout().lock());
    if !jsonl {
        writeln!(out, "query,model,score,cost,p_strong,category")?;
    }
    for q in 0..queries {
        let difficulty = rng.next();
        let router = (difficulty + 0.3 * (rng.next() - 0.5)).clamp(0.0, 1.0);
        let category = ["easy", "medium", "hard"][(difficulty * 3.0) as usize % 3];
        for m in 0..models {
            // Model m is better and dearer as m grows.
            let skill = (m + 1) as f64 / models as f64;
            let correct = u8::from(rng.next() < (1.2 * skill - difficulty + 0.5).clamp(0.02, 0.98));
            let cost = 0.0001 * 2f64.powi(m as i32) * (0.5 + rng.next());
            if jsonl {
                writeln!(
                    out,
                    r#"{{"query":"q{q}","model":"m{m}","score":{correct},"cost":{cost:.9},"p_strong":{router:.6},"category":"{category}"}}"#
                )?;
            } else {
                writeln!(out, "q{q},m{m},{correct},{cost:.9},{router:.6},{category}")?;
            }
        }
    }
    out.flush()
}
