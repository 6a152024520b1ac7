//! Invariants of the engine over random traffic (proptest).

use cost::engine::frontier::{dominator, hull, Point};
use cost::engine::latency::LatencyAssumptions;
use cost::engine::{evaluate, Context};
use cost::pricing::bill::Request;
use cost::pricing::{Catalog, ServiceTier};
use cost::scenario::token_dist::TokenModel;
use cost::scenario::{
    Accuracy, Class, Classifier, Overhead, Plan, PlanKind, Quality, Scenario, DAYS_PER_MONTH,
};
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
        traffic: cost::pricing::windows::TrafficProfile::Uniform,
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
            tokens: fixed_tokens(&request),
            request,
            per_model: BTreeMap::new(),
            reasoning_effort: None,
        }).collect()
    }
}

fn fixed_tokens(r: &Request) -> TokenModel {
    TokenModel::fixed(
        r.input,
        r.cache_read,
        r.cache_write,
        r.cache_write_1h,
        r.output,
        r.reasoning,
    )
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
        proxies: Vec::new(),
        plans: vec![],
        baseline: String::new(),
        compare_models: vec![],
        budget: None,
        slo: cost::scenario::Slo::default(),
        variation: cost::scenario::model::Variation::default(),
        traffic: cost::pricing::windows::TrafficProfile::Uniform,
        origin: "proptest".into(),
        plan_lines: Vec::new(),
        hosted: Vec::new(),
        hosted_quality: std::collections::BTreeMap::new(),
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
        let low: f64 = (0..s.classes.len()).map(|k| singles.iter().map(|o| o.classes[k].cost.value()).fold(f64::INFINITY, f64::min) * s.classes[k].share).sum();
        let high: f64 = (0..s.classes.len()).map(|k| singles.iter().map(|o| o.classes[k].cost.value()).fold(0.0, f64::max) * s.classes[k].share).sum();
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
        let a = cost::pricing::bill::price(model, &r, date).unwrap().total;
        let b = cost::pricing::bill::price(model, &Request { output: r.output + extra, ..r }, date).unwrap().total;
        prop_assert!(b > a);
    }
}

fn two_classes(h: f64, quality: [[f64; 2]; 2]) -> Scenario {
    // Same tokens in both classes; W = gpt-4o-mini, S = gpt-4o.
    let request = Request {
        input: 500,
        output: 300,
        ..Request::default()
    };
    let classes = vec![
        Class {
            name: "easy".into(),
            description: None,
            share: 1.0 - h,
            request,
            tokens: fixed_tokens(&request),
            per_model: BTreeMap::new(),
            reasoning_effort: None,
        },
        Class {
            name: "hard".into(),
            description: None,
            share: h,
            request,
            tokens: fixed_tokens(&request),
            per_model: BTreeMap::new(),
            reasoning_effort: None,
        },
    ];
    let mut s = scenario(classes, 10_000.0);
    let mut q = BTreeMap::new();
    for (k, class) in ["easy", "hard"].iter().enumerate() {
        q.insert(
            class.to_string(),
            BTreeMap::from([
                ("gpt-4o-mini".to_string(), quality[k][0]),
                ("gpt-4o".to_string(), quality[k][1]),
            ]),
        );
    }
    s.quality = Quality(q);
    s
}

fn classifier(rows: Vec<Vec<f64>>) -> Plan {
    Plan {
        name: "classifier".into(),
        description: None,
        kind: PlanKind::Classifier(Classifier {
            routes: vec!["gpt-4o-mini".into(), "gpt-4o".into()],
            accuracy: Accuracy::Confusion(rows),
            router: Overhead::default(),
        }),
        tier: None,
    }
}

prop_compose! {
    /// Success rates where the strong model gains at least as much on the
    /// hard class as on the easy one (so "hard to strong" is the right route).
    fn rates()(we in 0.0f64..1.0, ge in 0.0f64..1.0, wh in 0.0f64..1.0, extra in 0.0f64..1.0) -> [[f64; 2]; 2] {
        let se = we + ge * (1.0 - we);
        let gain_e = se - we;
        let sh = (wh + gain_e + extra * (1.0 - wh - gain_e).max(0.0)).min(1.0);
        let wh = wh.min(sh - gain_e).max(0.0);
        [[we, se], [wh, sh]]
    }
}

proptest! {
    #[test]
    fn a_perfect_classifier_is_never_beaten_by_an_imperfect_one(h in 0.01f64..0.99, q in rates(), tpr in 0.0f64..=1.0, fpr in 0.0f64..=1.0) {
        let s = two_classes(h, q);
        let weak = evaluate(&s, &single("gpt-4o-mini"), &ctx()).unwrap();
        let strong = evaluate(&s, &single("gpt-4o"), &ctx()).unwrap();
        let perfect = evaluate(&s, &classifier(vec![vec![1.0, 0.0], vec![0.0, 1.0]]), &ctx()).unwrap();
        let noisy = evaluate(&s, &classifier(vec![vec![1.0 - fpr, fpr], vec![1.0 - tpr, tpr]]), &ctx()).unwrap();
        let pts: Vec<Point> = [&weak, &perfect, &strong].iter().map(|o| Point { cost: o.per_request.value(), quality: o.quality.unwrap() }).collect();
        let h = hull(&pts);
        let best = cost::engine::frontier::quality_at(&pts, &h, noisy.per_request.value()).unwrap();
        prop_assert!(noisy.quality.unwrap() <= best + 1e-9, "imperfect {} above the perfect router's hull {}", noisy.quality.unwrap(), best);
    }

    #[test]
    fn a_random_router_lies_on_the_line_between_its_two_models(h in 0.0f64..=1.0, q in rates(), sigma in 0.0f64..=1.0) {
        let s = two_classes(h, q);
        let weak = evaluate(&s, &single("gpt-4o-mini"), &ctx()).unwrap();
        let strong = evaluate(&s, &single("gpt-4o"), &ctx()).unwrap();
        // Predictions that ignore the true class: a random router.
        let random = evaluate(&s, &classifier(vec![vec![1.0 - sigma, sigma]; 2]), &ctx()).unwrap();
        let cost = weak.per_request.value() + sigma * (strong.per_request.value() - weak.per_request.value());
        let quality = weak.quality.unwrap() + sigma * (strong.quality.unwrap() - weak.quality.unwrap());
        prop_assert!((random.per_request.value() - cost).abs() < 1e-12);
        prop_assert!((random.quality.unwrap() - quality).abs() < 1e-12);
    }

    #[test]
    fn the_frontier_never_contains_a_dominated_point(raw in prop::collection::vec((0.0f64..10.0, 0.0f64..1.0), 1..40)) {
        let pts: Vec<Point> = raw.iter().map(|(c, q)| Point { cost: *c, quality: *q }).collect();
        let h = hull(&pts);
        prop_assert!(!h.is_empty());
        for &i in &h {
            prop_assert!(dominator(&pts, i).is_none(), "hull point {:?} is dominated", pts[i]);
        }
        for w in h.windows(2) {
            prop_assert!(pts[w[0]].cost <= pts[w[1]].cost && pts[w[0]].quality < pts[w[1]].quality);
        }
    }
}
