//! Invariants of the engine over random traffic (proptest).

use cost::engine::bill::Request;
use cost::engine::latency::LatencyAssumptions;
use cost::engine::{evaluate, Context};
use cost::pricing::{Catalog, ServiceTier};
use cost::scenario::{Class, Plan, PlanKind, Quality, Scenario, DAYS_PER_MONTH};
use jiff::civil::Date;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const MODELS: [&str; 6] = [
    "gpt-6-luna",
    "gpt-6-sol",
    "claude-haiku-5-5",
    "claude-opus-5-5",
    "gemini-2.5-pro",
    "gemini-3.5-flash-lite",
];

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::from_sources(&Catalog::builtin_sources()).unwrap())
}

fn ctx() -> Context<'static> {
    Context {
        catalog: catalog(),
        date: Date::constant(2026, 11, 28),
        latency: LatencyAssumptions::default(),
    }
}

prop_compose! {
    fn request()(input in 0u64..400_000, cached_pct in 0u64..=100, output in 0u64..20_000, reasoning in 0u64..20_000) -> Request {
        let cache_read = input * cached_pct / 100;
        Request { input, cache_read, output, reasoning, tier: ServiceTier::Standard, ..Request::default() }
    }
}

prop_compose! {
    fn classes()(requests in prop::collection::vec(request(), 1..5), weights in prop::collection::vec(1u32..100, 5)) -> Vec<Class> {
        let total: u32 = weights[..requests.len()].iter().sum();
        requests.into_iter().enumerate().map(|(k, request)| Class {
            name: format!("c{k}"),
            description: None,
            share: f64::from(weights[k]) / f64::from(total),
            request,
            per_model: BTreeMap::new(),
        }).collect()
    }
}

fn scenario(classes: Vec<Class>, per_day: f64) -> Scenario {
    Scenario {
        name: "prop".into(),
        description: None,
        date: None,
        requests_per_day: per_day,
        days_per_month: DAYS_PER_MONTH,
        classes,
        quality: Quality::default(),
        quality_source: None,
        plans: vec![],
        baseline: String::new(),
        compare_models: vec![],
        budget: None,
        origin: "proptest".into(),
    }
}

fn single(model: &str) -> Plan {
    Plan::single(model)
}

proptest! {
    #[test]
    fn cost_is_linear_in_volume(classes in classes(), per_day in 1.0f64..1e7, k in 1.0f64..1000.0, m in 0usize..6) {
        let base = evaluate(&scenario(classes.clone(), per_day), &single(MODELS[m]), &ctx()).unwrap();
        let scaled = evaluate(&scenario(classes, per_day * k), &single(MODELS[m]), &ctx()).unwrap();
        let (a, b) = (base.per_day.value() * k, scaled.per_day.value());
        prop_assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{a} vs {b}");
        prop_assert!((scaled.per_month.value() - b * DAYS_PER_MONTH).abs() <= 1e-9 * b.max(1.0));
    }

    #[test]
    fn routed_cost_lies_between_its_parts_class_by_class(classes in classes(), picks in prop::collection::vec(0usize..6, 5)) {
        let s = scenario(classes, 1000.0);
        let routes: Vec<String> = (0..s.classes.len()).map(|k| MODELS[picks[k]].to_string()).collect();
        let used: Vec<String> = routes.clone();
        let routed = Plan { name: "routed".into(), description: None, kind: PlanKind::Routes(routes), tier: None };
        let cost = evaluate(&s, &routed, &ctx()).unwrap().per_request.value();
        let singles: Vec<_> = used.iter().map(|m| evaluate(&s, &single(m), &ctx()).unwrap()).collect();
        let low: f64 = (0..s.classes.len()).map(|k| singles.iter().map(|o| o.classes[k].bill.total.usd().value()).fold(f64::INFINITY, f64::min) * s.classes[k].share).sum();
        let high: f64 = (0..s.classes.len()).map(|k| singles.iter().map(|o| o.classes[k].bill.total.usd().value()).fold(0.0, f64::max) * s.classes[k].share).sum();
        prop_assert!(low <= cost + 1e-12 && cost <= high + 1e-12, "{low} <= {cost} <= {high}");
    }

    #[test]
    fn two_model_routing_lies_between_the_two_models_when_one_is_cheaper_everywhere(classes in classes(), picks in prop::collection::vec(any::<bool>(), 5)) {
        // gpt-6-luna costs exactly 1/20 of gpt-6-sol for every part and cliff.
        let s = scenario(classes, 1000.0);
        let routes: Vec<String> = (0..s.classes.len()).map(|k| if picks[k] { "gpt-6-sol" } else { "gpt-6-luna" }.to_string()).collect();
        let routed = Plan { name: "routed".into(), description: None, kind: PlanKind::Routes(routes), tier: None };
        let cost = evaluate(&s, &routed, &ctx()).unwrap().per_request.value();
        let cheap = evaluate(&s, &single("gpt-6-luna"), &ctx()).unwrap().per_request.value();
        let dear = evaluate(&s, &single("gpt-6-sol"), &ctx()).unwrap().per_request.value();
        prop_assert!(cheap <= cost + 1e-12 && cost <= dear + 1e-12, "{cheap} <= {cost} <= {dear}");
    }

    #[test]
    fn a_request_costs_at_least_as_much_with_more_output(r in request(), extra in 1u64..10_000, m in 0usize..6) {
        let model = catalog().get(MODELS[m]).unwrap();
        let date = Date::constant(2026, 11, 28);
        let a = cost::engine::bill::price(model, &r, date).unwrap().total;
        let b = cost::engine::bill::price(model, &Request { output: r.output + extra, ..r }, date).unwrap().total;
        prop_assert!(b > a);
    }
}
