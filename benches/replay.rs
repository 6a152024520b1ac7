//! Replay throughput on an in-memory OpenAI-style log (the generator's
//! format, see examples/gen_log.rs), one thread and all threads, and token
//! counting. Whole-process timings are in BENCHMARKS.md.

use std::io::Cursor;

use cost::pricing::Catalog;
use cost::replay::aggregate::Dim;
use cost::replay::api::parse_line;
use cost::replay::drive::{replay, Reading};
use cost::replay::generic::Mapping;
use cost::replay::read::Input;
use cost::replay::tally::TallyOptions;
use cost::replay::what_if::WhatIf;
use cost::replay::LogShape;
use cost::tokenizer::Encoding;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jiff::civil::Date;

fn log(lines: u64) -> Vec<u8> {
    let models = [
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4.1-mini",
        "gpt-5-mini",
        "o4-mini",
    ];
    let mut out = String::new();
    for i in 0..lines {
        let prompt = 200 + (i * 7919) % 20_000;
        let reasoning = if i % 5 >= 3 { (i * 31) % 3_000 } else { 0 };
        out.push_str(&format!(
            r#"{{"created":{},"model":"{}","user":"u{}","feature":"chat","usage":{{"prompt_tokens":{prompt},"completion_tokens":{},"prompt_tokens_details":{{"cached_tokens":{}}},"completion_tokens_details":{{"reasoning_tokens":{reasoning}}}}}}}"#,
            1_793_491_200 + i * 2,
            models[(i % 5) as usize],
            i % 1000,
            reasoning + 20 + i % 1500,
            (prompt / 2) / 128 * 128,
        ));
        out.push('\n');
    }
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_sources(&Catalog::builtin_sources()).unwrap();
    let bytes = log(100_000);
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse_lines", |b| {
        b.iter(|| {
            bytes
                .split(|c| *c == b'\n')
                .filter_map(|l| parse_line(l, LogShape::OpenAi).ok().flatten())
                .count()
        });
    });
    let opts = TallyOptions {
        catalog: &catalog,
        dims: vec![Dim::Model, Dim::Day],
        undated: Date::constant(2026, 11, 28),
        what_if: WhatIf::Nothing,
        skip_bad: false,
        latency_by_model: false,
        charges: false,
    };
    let max = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    for threads in [1, max] {
        let reading = Reading {
            format: None,
            shape: None,
            mapping: Mapping::default(),
            threads,
        };
        group.bench_with_input(
            BenchmarkId::new("by_model_day", threads),
            &threads,
            |b, _| {
                b.iter(|| {
                    let input = Input {
                        name: "bench".into(),
                        reader: Box::new(Cursor::new(bytes.clone())),
                        size: Some(bytes.len() as u64),
                        gzip: false,
                    };
                    replay(vec![input], &reading, &opts, &|_| {})
                        .unwrap()
                        .0
                        .groups
                        .0
                        .len()
                });
            },
        );
    }
    group.finish();

    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut tokens = c.benchmark_group("tokens");
    tokens.throughput(Throughput::Bytes(text.len() as u64));
    for enc in [Encoding::O200k, Encoding::Cl100k] {
        enc.count("warm up");
        tokens.bench_function(enc.name(), |b| b.iter(|| enc.count(&text)));
    }
    tokens.finish();

    // Adversarial text: 1 MB of letters without a space (issue 13).
    let mut state = 1_u64;
    let letters: String = (0..1_000_000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            char::from(b'a' + (state >> 59) as u8 % 26)
        })
        .collect();
    let mut adversarial = c.benchmark_group("tokens");
    adversarial.throughput(Throughput::Bytes(letters.len() as u64));
    adversarial.sample_size(10);
    adversarial.bench_function("o200k_base letters", |b| {
        b.iter(|| Encoding::O200k.count(&letters));
    });
    adversarial.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
