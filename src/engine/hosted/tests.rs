//! Hand-worked fleet costs of self-hosted routes, and the refusals.

use super::*;
use crate::engine::testing::catalog;
use crate::scenario::load_scenario;
use crate::selfhost::testing::{deployment, row};
use crate::selfhost::{shipped, Precision};

const HEAD: &str = "name = \"t\"\n[volume]\nrequests_per_day = 10000\n[[classes]]\nname = \"easy\"\nshare = 0.7\nprompt = 1000\noutput = 500\n[[classes]]\nname = \"hard\"\nshare = 0.3\nprompt = 3000\noutput = 1000\n";

fn scenario(plans: &str) -> Scenario {
    load_scenario(
        &Source::embedded("t.toml", &format!("{HEAD}{plans}")),
        &catalog(),
    )
    .expect("the test scenario loads")
}

/// Llama-3.3-70B on 2 x H100 per replica at $2.00/GPU-hour, one interactive
/// row: 1,000 in / 500 out at 400 tok/s per GPU (no derate).
pub(super) fn test_deployment() -> Deployment {
    let mut d = deployment("llama-3.3-70b", 2, Precision::Fp8);
    let mut r = row(1000, 500, 400.0);
    r.offline = false;
    r.itl_ms = Some(40.0);
    r.concurrency = Some(10);
    d.rows = vec![r];
    d
}

fn load(requests_per_day: f64) -> RouteLoad {
    RouteLoad {
        requests_per_day,
        input_tokens: 1000.0,
        output_tokens: 500.0,
    }
}

#[test]
fn a_fleet_is_amortised_over_the_requests_it_serves() {
    // 7,000 requests/day x 500 tokens / 86,400 s = 40.5 tok/s at the peak
    // (factor 1); one replica serves 2 x 400 = 800 tok/s, so 1 serving + 1
    // spare = 2 replicas = 4 GPUs. 4 x $2.00 x 24 h = $192/day, and
    // $192 / 7,000 = $0.027428571428571..., to the picodollar $0.027428571429.
    let d = test_deployment();
    let (p, _) = price_route(
        &d,
        Basis::OnDemand,
        load(7_000.0),
        1.0,
        30.0,
        &Policy::default(),
    )
    .unwrap();
    assert_eq!((p.replicas, p.gpus), (2, 4));
    assert_eq!(p.per_day, Money::from_picos(192_000_000_000_000));
    assert_eq!(p.per_request, Money::from_picos(27_428_571_429));
}

#[test]
fn the_cost_per_request_falls_with_volume_as_a_step_function() {
    // 70,000/day: 405.1 tok/s still fits one serving replica: $192/day over
    // ten times the requests, $0.0027428571429 each (a tenth).
    // 140,000/day: 810.2 tok/s needs 2 serving + 1 spare = 6 GPUs, $288/day,
    // $288 / 140,000 = $0.00205714285714: the step up in fleet is a smaller
    // fall in cost per request than the volume alone would give ($0.00137).
    let d = test_deployment();
    let at = |v: f64| {
        price_route(&d, Basis::OnDemand, load(v), 1.0, 30.0, &Policy::default())
            .unwrap()
            .0
    };
    assert_eq!(at(70_000.0).per_request, Money::from_picos(2_742_857_143));
    let big = at(140_000.0);
    assert_eq!(big.gpus, 6);
    assert_eq!(big.per_day, Money::from_picos(288_000_000_000_000));
    assert_eq!(big.per_request, Money::from_picos(2_057_142_857));
}

#[test]
fn the_peak_factor_and_spares_size_the_fleet() {
    // 7,000/day at 500 tokens is 40.5 tok/s mean; a peak 25x the mean is
    // 1,012.7 tok/s: 2 serving replicas (800 each) + 2 spare = 4 = 8 GPUs.
    let d = test_deployment();
    let policy = Policy {
        spare_replicas: 2,
        ..Policy::default()
    };
    let (p, _) = price_route(&d, Basis::OnDemand, load(7_000.0), 25.0, 30.0, &policy).unwrap();
    assert_eq!((p.replicas, p.gpus), (4, 8));
}

#[test]
fn a_route_carries_its_classes_share_of_the_volume() {
    let s = scenario("[[plans]]\nname = \"hybrid\"\nroutes = { easy = { deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }, hard = \"gpt-5-mini\" }\n");
    let id = &s.hosted[0].id;
    assert_eq!(id, "gpt-oss-120b@h200-fp8:on_demand");
    let l = route_load(&s, &s.plans[0], id);
    assert!((l.requests_per_day - 7_000.0).abs() < 1e-9);
    assert!((l.input_tokens - 1000.0).abs() < 1e-9 && (l.output_tokens - 500.0).abs() < 1e-9);
}

#[test]
fn a_classifier_route_carries_what_is_predicted_for_it() {
    // P(predicted easy) = 0.7 x 0.9 (easy kept) + 0.3 x 0.2 (hard misrouted) = 0.69:
    // 6,900 requests/day, mean output (0.63 x 500 + 0.06 x 1000) / 0.69 = 543.5.
    let s = scenario("[[plans]]\nname = \"c\"\nroutes = { easy = { deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }, hard = \"gpt-5-mini\" }\nconfusion.easy = { easy = 0.9, hard = 0.1 }\nconfusion.hard = { easy = 0.2, hard = 0.8 }\n");
    let l = route_load(&s, &s.plans[0], &s.hosted[0].id);
    assert!(
        (l.requests_per_day - 6_900.0).abs() < 1e-6,
        "{}",
        l.requests_per_day
    );
    assert!((l.output_tokens - 375.0 / 0.69).abs() < 1e-9);
}

#[test]
fn hosting_adds_a_priced_model_and_leaves_quality_unknown() {
    let mut s = scenario("[[plans]]\nname = \"hybrid\"\nroutes = { easy = { deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }, hard = \"gpt-5-mini\" }\n[quality.hard]\ngpt-5-mini = 0.9\n");
    let mut c = catalog();
    host(&mut s, &mut c, &shipped().unwrap()).unwrap();
    let id = s.hosted[0].id.clone();
    let m = c.lookup(&id).expect("the route is a priced model");
    assert!(
        m.name.contains("H200") && m.name.contains("on_demand"),
        "{}",
        m.name
    );
    assert_eq!(s.quality.rate("easy", &id), None);
    assert!(s.hosted[0].note.as_deref().unwrap().contains("/GPU-hour"));
}

#[test]
fn a_stated_rate_for_the_deployment_is_its_quality() {
    let mut s = scenario("[[plans]]\nname = \"hybrid\"\nroutes = { easy = { deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }, hard = \"gpt-5-mini\" }\n[quality.easy]\n\"gpt-oss-120b@h200-fp8\" = 0.88\n");
    host(&mut s, &mut catalog(), &shipped().unwrap()).unwrap();
    assert_eq!(
        s.quality.rate("easy", "gpt-oss-120b@h200-fp8:on_demand"),
        Some(0.88)
    );
}

#[test]
fn two_plans_on_one_deployment_size_their_own_fleets() {
    let s = scenario("[[plans]]\nname = \"hybrid\"\nroutes = { easy = { deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }, hard = \"gpt-5-mini\" }\n[[plans]]\nname = \"all-self\"\nmodel = { deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }\n");
    let ids: Vec<&str> = s.hosted.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "gpt-oss-120b@h200-fp8:on_demand (hybrid)",
            "gpt-oss-120b@h200-fp8:on_demand (all-self)"
        ]
    );
    assert!((route_load(&s, &s.plans[1], ids[1]).requests_per_day - 10_000.0).abs() < 1e-9);
    assert!(s.default_compare_models().iter().all(|m| !s.is_hosted(m)));
}

fn refused(route: &str, key: &str, message: &str) {
    let mut s = scenario(&format!(
        "[[plans]]\nname = \"p\"\nroutes = {{ easy = {route}, hard = \"gpt-5-mini\" }}\n"
    ));
    let e = host(&mut s, &mut catalog(), &shipped().unwrap()).unwrap_err();
    assert_eq!(e.key, key);
    assert!(e.message.contains(message), "{e}");
    assert_eq!(e.line, Some(16), "{e}");
}

#[test]
fn an_unknown_deployment_names_the_known_ones() {
    refused(
        "{ deploy = \"gpt-oss-120b@h200-fp9\", basis = \"on_demand\" }",
        "plans[0].routes.easy.deploy",
        "no deployment `gpt-oss-120b@h200-fp9`",
    );
}

#[test]
fn an_unknown_basis_lists_the_bases() {
    refused(
        "{ deploy = \"gpt-oss-120b@h200-fp8\", basis = \"yearly\" }",
        "plans[0].routes.easy.basis",
        "unknown price basis `yearly`",
    );
}

#[test]
fn a_basis_without_a_price_row_says_which_bases_have_one() {
    refused(
        "{ deploy = \"gpt-oss-120b@h200-fp8\", basis = \"reserved_1y\" }",
        "plans[0].routes.easy.basis",
        "no price on basis `reserved_1y` (it has: ",
    );
}
