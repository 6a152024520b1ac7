//! Hand-worked: a self-hosted fleet's monthly cost is a step function of
//! volume wherever a plan is priced at another load (sensitivity, sweep),
//! and a fixed cost in the simulation, whose days above the fleet's
//! capacity ceiling are counted.
//!
//! The fleet: Llama-3.3-70B on 2 x H100 per replica at $2.00/GPU-hour, one
//! interactive row at 400 tok/s per GPU (so 800 tok/s a replica), N+1, no
//! traffic profile (peak factor 1). Plan `all-self` sends every request to
//! it: 70% easy (500 out) and 30% hard (1,000 out), a mean of 650 generated
//! tokens. One serving replica carries 800 x 86,400 / 650 = 106,338.46
//! requests a day; two carry 212,676.92.
//!
//! | requests/day | serving + spare | GPUs | $/day (GPUs x $2 x 24) |
//! |--------------|-----------------|------|------------------------|
//! | up to 106,338 | 1 + 1          | 4    | 192                    |
//! | 106,339 to 212,676 | 2 + 1     | 6    | 288                    |
//! | 212,677 to 319,015 | 3 + 1     | 8    | 384                    |

use super::step::at_load;
use super::*;
use crate::engine::aggregate::AGGREGATE_ABOVE;
use crate::engine::routing::evaluate;
use crate::engine::sensitivity::{sensitivity, Ranges};
use crate::engine::simulate::{percentile, simulate, SimOptions};
use crate::engine::sweep::{sweep, Param};
use crate::engine::testing::{catalog, context};
use crate::scenario::load_scenario;

const SCENARIO: &str = "name = \"t\"\nbaseline = \"all-self\"\n[volume]\nrequests_per_day = 100000\n[variation]\nrequests_per_day = { dist = \"normal\", mean = 100000, sd = 10000 }\n[[classes]]\nname = \"easy\"\nshare = 0.7\nprompt = 1000\noutput = 500\n[[classes]]\nname = \"hard\"\nshare = 0.3\nprompt = 3000\noutput = 1000\n[[plans]]\nname = \"all-self\"\nmodel = { deploy = \"llama-3.3-70b@test\", basis = \"on_demand\" }\n[[plans]]\nname = \"hybrid\"\nroutes = { easy = { deploy = \"llama-3.3-70b@test\", basis = \"on_demand\" }, hard = \"gpt-6-luna\" }\n";

fn data() -> SelfHostData {
    let d = super::tests::test_deployment();
    SelfHostData {
        gpus: vec![d.gpu.clone()],
        deployments: vec![d],
    }
}

fn hosted() -> (Scenario, Catalog) {
    let mut c = catalog();
    let mut s = load_scenario(&Source::embedded("t.toml", SCENARIO), &c).unwrap();
    host(&mut s, &mut c, &data()).unwrap();
    (s, c)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-4, "{a} != {b}");
}

#[test]
fn at_the_scenarios_volume_the_fleet_is_priced_as_planned() {
    // 100,000/day x 650 / 86,400 = 752.3 tok/s: 1 serving + 1 spare = 4 GPUs, $192/day.
    let (s, c) = hosted();
    let plan = s.plan("all-self").unwrap();
    assert!(
        at_load(&s, plan, &c).unwrap().is_none(),
        "nothing to re-price"
    );
    let o = evaluate(&s, plan, &context(&c)).unwrap();
    close(o.per_day.value(), 192.0);
    close(o.per_month.value(), 192.0 * s.days_per_month);
}

#[test]
fn the_volume_sensitivity_of_a_fleet_is_flat_between_replica_steps() {
    let (s, c) = hosted();
    let ctx = context(&c);
    let plan = s.plan("all-self").unwrap();
    let month = |per_day: f64| per_day * s.days_per_month;
    // ±5%: 95,000 and 105,000/day both fit one serving replica (at most
    // 106,338): $192/day at both ends, no swing. Priced per request it
    // would have moved ±5%.
    let narrow = Ranges {
        volume: 0.05,
        ..Ranges::default()
    };
    let t = sensitivity(&s, plan, &narrow, &ctx).unwrap();
    let v = t.swings.iter().find(|w| w.assumption == "volume").unwrap();
    close(v.at_low.value(), month(192.0));
    close(v.at_high.value(), month(192.0));
    // ±20%: 80,000/day still needs 4 GPUs ($192/day); 120,000/day is
    // 120,000 x 650 / 86,400 = 902.8 tok/s, 2 serving + 1 spare = 6 GPUs,
    // $288/day: +50% for +20% volume, and nothing for -20%.
    let t = sensitivity(&s, plan, &Ranges::default(), &ctx).unwrap();
    let v = t.swings.iter().find(|w| w.assumption == "volume").unwrap();
    close(v.at_low.value(), month(192.0));
    close(v.at_high.value(), month(288.0));
}

#[test]
fn a_volume_sweep_steps_where_one_more_replica_is_needed() {
    // See the table above: 106,338 is the last volume one serving replica
    // carries (799.997 tok/s), 106,339 the first that needs two (800.003);
    // 212,676 the last for two (1,599.99), 212,677 the first for three.
    let (s, c) = hosted();
    let values = [50_000.0, 106_338.0, 106_339.0, 212_676.0, 212_677.0];
    let expected = [192.0, 192.0, 288.0, 288.0, 384.0];
    let points = sweep(&s, &Param::Volume, &values, &context(&c), &[]).unwrap();
    for ((v, outcomes), want) in points.iter().zip(expected) {
        let o = outcomes.iter().find(|o| o.plan == "all-self").unwrap();
        close(o.per_month.value(), want * s.days_per_month);
        assert!(
            (o.per_day.value() - want).abs() < 1e-6,
            "{v}: {}",
            o.per_day.value()
        );
    }
}

#[test]
fn a_moved_class_share_re_sizes_the_routed_fleet() {
    // The hybrid plan sends only `easy` (500 out) to the fleet: 70,000/day
    // is 405.1 tok/s, one serving replica ($192/day). At an easy share of
    // 0.9 it carries 90,000/day (520.8 tok/s): still one, $192/day, so the
    // fleet part of the plan does not grow with the share.
    let (s, c) = hosted();
    let ctx = context(&c);
    let plan = s.plan("hybrid").unwrap();
    let (moved, _) =
        crate::engine::sweep::apply(&s, &Param::Share("easy".into()), 0.9, &c).unwrap();
    let fleet_per_day = |s: &Scenario| {
        let o = evaluate(s, plan, &ctx).unwrap();
        let easy = o.classes.iter().find(|c| c.class == "easy").unwrap();
        easy.cost.value() * easy.share * s.requests_per_day
    };
    close(fleet_per_day(&s), 192.0);
    close(fleet_per_day(&moved), 192.0);
}

fn options() -> SimOptions {
    SimOptions {
        trials: 2_000,
        seed: 11,
        latency_samples: 0,
        aggregate_above: AGGREGATE_ABOVE,
    }
}

#[test]
fn the_simulation_holds_the_planned_fleet_and_counts_days_over_its_ceiling() {
    // The fleet planned for 100,000/day (4 GPUs, $192/day) is paid every
    // day: the daily bill is $192 at 80,000 requests as at 120,000, and a
    // month is 192 x days. Days drawn above its ceiling of 106,338.46
    // requests are counted: volume ~ Normal(100,000, 10,000), so
    // P(V > 106,338.46) = P(Z > 0.6338) = 0.263.
    let (s, c) = hosted();
    let ctx = context(&c);
    let o = evaluate(&s, s.plan("all-self").unwrap(), &ctx).unwrap();
    let sim = simulate(&s, &o, &ctx, &options(), &|_| {}).unwrap();
    assert!(
        sim.daily.iter().all(|d| (d - 192.0).abs() < 1e-9),
        "{:?}",
        &sim.daily[..3]
    );
    close(percentile(&sim.monthly, 0.05), 192.0 * s.days_per_month);
    close(percentile(&sim.monthly, 0.95), 192.0 * s.days_per_month);
    let f = &sim.fleets[0];
    assert_eq!((f.replicas, f.gpus, f.days), (2, 4, 2_000));
    assert!((f.capacity_requests_per_day - 106_338.46).abs() < 0.01);
    let over = f.days_over as f64 / 2_000.0;
    assert!((0.23..0.30).contains(&over), "{over}");
    assert!(f.most_requests_per_day > f.capacity_requests_per_day);
}

#[test]
fn a_hybrid_simulation_adds_the_fixed_fleet_to_the_api_part() {
    // The fleet (70,000 easy/day planned: $192/day) is fixed; the hard
    // class on the API varies with the day's volume. The mean simulated day
    // is the plan's expected day (the fleet plus 30% of 100,000 requests on
    // the API), and every day costs more than the fleet alone.
    let (s, c) = hosted();
    let ctx = context(&c);
    let o = evaluate(&s, s.plan("hybrid").unwrap(), &ctx).unwrap();
    let sim = simulate(&s, &o, &ctx, &options(), &|_| {}).unwrap();
    assert!(sim.daily[0] > 192.0);
    let mean = sim.mean_daily();
    assert!(
        (mean - o.per_day.value()).abs() < 0.01 * o.per_day.value(),
        "{mean} vs {}",
        o.per_day.value()
    );
    // Easy's ceiling is 800 x 86,400 / 500 = 138,240 requests/day: 70% of
    // a day over 197,486 requests, which Normal(100,000, 10,000) never draws.
    assert_eq!(sim.fleets[0].days_over, 0);
}
