//! Criterion benchmark of the Monte Carlo engine: one two-class, two-model
//! plan at 10,000 requests a day (`benches/data/two-class.toml`), every
//! request drawn or classes drawn as sums, and the same plan at 10^12 a day.

use cost::engine::aggregate::AGGREGATE_ABOVE;
use cost::engine::latency::LatencyAssumptions;
use cost::engine::simulate::{simulate, SimOptions};
use cost::engine::{evaluate, Context};
use cost::pricing::Catalog;
use cost::scenario::load_scenario;
use cost::source::Source;
use criterion::{criterion_group, criterion_main, Criterion};
use jiff::civil::Date;

fn benches(c: &mut Criterion) {
    let catalog = Catalog::from_sources(&Catalog::builtin_sources()).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/two-class.toml");
    let scenario = load_scenario(&Source::read(&path).unwrap(), &catalog).unwrap();
    let ctx = Context {
        catalog: &catalog,
        date: Date::constant(2026, 11, 28),
        latency: LatencyAssumptions::default(),
        traffic: cost::pricing::windows::TrafficProfile::Uniform,
    };
    let outcome = evaluate(&scenario, &scenario.plans[0], &ctx).unwrap();
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    let opts = |trials, aggregate_above| SimOptions {
        trials,
        seed: 42,
        latency_samples: 200_000,
        aggregate_above,
    };
    for trials in [100, 1000] {
        let exact = opts(trials, u64::MAX);
        group.bench_function(
            format!("10k requests/day x {trials} days, every request"),
            |b| {
                b.iter(|| simulate(&scenario, &outcome, &ctx, &exact, &|_| {}).unwrap());
            },
        );
    }
    // Classes above `AGGREGATE_ABOVE` requests a day: their cost drawn as sums.
    let summed = opts(1000, AGGREGATE_ABOVE);
    group.bench_function("10k requests/day x 1000 days, summed", |b| {
        b.iter(|| simulate(&scenario, &outcome, &ctx, &summed, &|_| {}).unwrap());
    });
    let mut huge = scenario.clone();
    huge.requests_per_day = 1e12;
    group.bench_function("1e12 requests/day x 1000 days, summed", |b| {
        b.iter(|| simulate(&huge, &outcome, &ctx, &summed, &|_| {}).unwrap());
    });
    group.finish();
}

criterion_group!(simulation, benches);
criterion_main!(simulation);
