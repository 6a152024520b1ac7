//! Criterion benchmarks of the engine: pricing one request, and a whole
//! `compare` of the default scenario (loading excluded).

use cost::engine::compare::compare;
use cost::engine::latency::LatencyAssumptions;
use cost::engine::Context;
use cost::pricing::bill::{price, Request};
use cost::pricing::{Catalog, ServiceTier};
use cost::scenario::{builtin, load_scenario};
use criterion::{criterion_group, criterion_main, Criterion};
use jiff::civil::Date;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let catalog = Catalog::from_sources(&Catalog::builtin_sources()).unwrap();
    let date = Date::constant(2026, 11, 28);
    c.bench_function("load built-in catalog", |b| {
        let sources = Catalog::builtin_sources();
        b.iter(|| Catalog::from_sources(black_box(&sources)).unwrap());
    });
    let model = catalog.get("gemini-2.5-pro").unwrap();
    let request = Request {
        input: 210_000,
        cache_read: 150_000,
        output: 1_000,
        reasoning: 500,
        tier: ServiceTier::Batch,
        ..Request::default()
    };
    c.bench_function("price one request (cliff + batch)", |b| {
        b.iter(|| price(black_box(model), black_box(&request), date).unwrap());
    });
    let scenario = load_scenario(&builtin("default").unwrap(), &catalog).unwrap();
    let ctx = Context {
        catalog: &catalog,
        date,
        latency: LatencyAssumptions::default(),
        traffic: cost::pricing::windows::TrafficProfile::Uniform,
    };
    c.bench_function("compare default scenario", |b| {
        b.iter(|| compare(black_box(&scenario), &scenario.compare_models, &ctx).unwrap());
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
