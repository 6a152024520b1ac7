//! Criterion benchmarks of `cost eval`'s two halves: loading a 1,000,000-row
//! long-format CSV outcome table, and evaluating the loaded table (100,000
//! queries × 10 models: oracle, hull, random, optimal, threshold, four
//! synthetic-AUC routers and a cascade). The table is synthetic, made here
//! the same way as `examples/gen_outcomes.rs`.

use std::fmt::Write as _;
use std::hint::black_box;

use cost::eval::cascade_replay::AcceptRule;
use cost::eval::evaluate::{evaluate, EvalOptions};
use cost::eval::load::plain;
use cost::eval::{load, CostColumns, Layout, ScoreRange, TableFormat, TableSpec};
use criterion::{criterion_group, criterion_main, Criterion};

fn table_csv(rows: u64, models: u64) -> Vec<u8> {
    let mut state: u64 = 42;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut out = String::from("query,model,score,cost,p_strong\n");
    for q in 0..rows / models {
        let difficulty = next();
        let router = (difficulty + 0.3 * (next() - 0.5)).clamp(0.0, 1.0);
        for m in 0..models {
            let skill = (m + 1) as f64 / models as f64;
            let correct = u8::from(next() < (1.2 * skill - difficulty + 0.5).clamp(0.02, 0.98));
            let cost = 0.0001 * 2f64.powi(m as i32) * (0.5 + next());
            let _ = writeln!(out, "q{q},m{m},{correct},{cost:.9},{router:.6}");
        }
    }
    out.into_bytes()
}

fn benches(c: &mut Criterion) {
    let bytes = table_csv(1_000_000, 10);
    let spec = TableSpec {
        format: TableFormat::Csv,
        layout: Layout::Long {
            model: "model".into(),
            score: "score".into(),
        },
        query: vec!["query".into()],
        cost: CostColumns::Usd("cost".into()),
        range: ScoreRange::UNIT,
        filters: Vec::new(),
        router: Some("p_strong".into()),
        category: None,
        group: None,
        allow_missing: false,
    };
    let mut group = c.benchmark_group("eval");
    group.sample_size(10);
    group.bench_function("load 1M-row long CSV", |b| {
        b.iter(|| load(black_box(&bytes), "bench.csv", &spec, None, plain).unwrap());
    });
    let loaded = load(&bytes, "bench.csv", &spec, None, plain).unwrap();
    let options = EvalOptions {
        weak: None,
        strong: None,
        baseline: None,
        aucs: vec![0.6, 0.7, 0.8, 0.9],
        cascades: Vec::new(),
        verifier: AcceptRule::PERFECT,
        pass: 0.5,
        protocol: cost::eval::protocol::CurveProtocol::default(),
    };
    group.bench_function("evaluate 100k queries x 10 models", |b| {
        b.iter(|| evaluate(black_box(&loaded.table), &options));
    });
    group.finish();
}

criterion_group!(eval, benches);
criterion_main!(eval);
