//! When does routing pay? For a routing plan: the savings against a random
//! router with the same model shares (RouteLLM's comparison), and the
//! break-even points against the scenario's baseline: the misroute rate,
//! the router cost per request and the share of the dearest class at which
//! the plan stops costing less than the baseline.

use super::outcome::{ClassOutcome, Context, EngineError, PlanOutcome, Role};
use super::routing::evaluate;
use crate::money::Usd;
use crate::scenario::{Accuracy, Classifier, Overhead, Plan, PlanKind, Scenario};

#[derive(Debug, Clone, PartialEq)]
pub struct RandomRouter {
    pub cost: Usd,
    pub quality: Option<f64>,
}

/// A router that sends each request to model i with probability equal to
/// the plan's share of traffic on i, whatever its class. Defined for plans
/// whose serving shares sum to 1 (not cascades).
pub fn random_router(
    scenario: &Scenario,
    plan: &Plan,
    outcome: &PlanOutcome,
    ctx: &Context,
) -> Result<Option<RandomRouter>, EngineError> {
    let total: f64 = outcome.model_shares.iter().map(|m| m.share).sum();
    if (total - 1.0).abs() > 1e-9 || outcome.model_shares.len() < 2 {
        return Ok(None);
    }
    let mut cost = Usd::ZERO;
    let mut quality = Some(0.0);
    for share in &outcome.model_shares {
        let single = evaluate(
            scenario,
            &Plan {
                tier: plan.tier,
                ..Plan::single(&share.model)
            },
            ctx,
        )?;
        cost += single.per_request * share.share;
        quality = quality
            .zip(single.quality)
            .map(|(q, a)| q + share.share * a);
    }
    Ok(Some(RandomRouter { cost, quality }))
}

/// Where routing stops paying against the baseline (`None`: it never does
/// within the range, or the plan kind has no such knob).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BreakEven {
    /// Share of each class sent to another class's model (spread evenly)
    /// at which the plan costs as much as the baseline.
    pub misroute_rate: Option<f64>,
    /// The router cost per request (USD) at which the plan costs as much as the baseline.
    pub router_cost: Option<Usd>,
    /// The share of the class with the dearest route at which the plan
    /// costs as much as the baseline (other classes scaled to fit).
    pub dear_share: Option<f64>,
    /// Which class `dear_share` varies.
    pub dear_class: Option<String>,
}

pub fn break_even(
    scenario: &Scenario,
    plan: &Plan,
    outcome: &PlanOutcome,
    baseline: &Plan,
    ctx: &Context,
) -> Result<BreakEven, EngineError> {
    let routes = match &plan.kind {
        PlanKind::Routes(r) => r.clone(),
        PlanKind::Classifier(c) => c.routes.clone(),
        _ => return Ok(BreakEven::default()),
    };
    if routes.iter().all(|r| r == &routes[0]) {
        return Ok(BreakEven::default());
    }
    let base_cost = evaluate(scenario, baseline, ctx)?.per_request;
    let router_now: Usd = outcome
        .classes
        .iter()
        .map(|c| {
            (c.fees
                + c.legs
                    .iter()
                    .filter(|l| l.role == Role::Router)
                    .map(|l| l.expected * l.calls)
                    .sum::<Usd>())
                * c.share
        })
        .sum();
    let router_cost =
        Some(router_now + (base_cost - outcome.per_request)).filter(|c| c.value() >= 0.0);
    let n = scenario.classes.len();
    let router = match &plan.kind {
        PlanKind::Classifier(c) => c.router.clone(),
        _ => Overhead::default(),
    };
    let with_misroutes = |m: f64| -> Result<f64, EngineError> {
        let uniform: Vec<Vec<f64>> = (0..n)
            .map(|k| {
                (0..n)
                    .map(|j| if j == k { 1.0 - m } else { m / (n - 1) as f64 })
                    .collect()
            })
            .collect();
        let p = Plan {
            kind: PlanKind::Classifier(Classifier {
                routes: routes.clone(),
                accuracy: Accuracy::Confusion(uniform),
                router: router.clone(),
            }),
            ..plan.clone()
        };
        Ok((evaluate(scenario, &p, ctx)?.per_request - base_cost).value())
    };
    let misroute_rate = root(with_misroutes, 0.0, 1.0)?;
    // The class whose intended model is dearest for it.
    let dear = outcome
        .classes
        .iter()
        .enumerate()
        .max_by(|a, b| {
            let cost = |c: &ClassOutcome| {
                c.legs
                    .iter()
                    .find(|l| Some(&l.model) == c.intended.as_ref())
                    .map_or(0.0, |l| l.expected.value())
            };
            cost(a.1).total_cmp(&cost(b.1))
        })
        .map(|(k, _)| k);
    let mut dear_share = None;
    if let (Some(k), true) = (dear, n >= 2) {
        let others: f64 = scenario
            .classes
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, c)| c.share)
            .sum();
        if others > 0.0 {
            let at_share = |h: f64| -> Result<f64, EngineError> {
                let mut s = scenario.clone();
                for (j, c) in s.classes.iter_mut().enumerate() {
                    c.share = if j == k {
                        h
                    } else {
                        c.share / others * (1.0 - h)
                    };
                }
                Ok((evaluate(&s, plan, ctx)?.per_request
                    - evaluate(&s, baseline, ctx)?.per_request)
                    .value())
            };
            dear_share = root(at_share, 0.0, 1.0)?;
        }
    }
    Ok(BreakEven {
        misroute_rate,
        router_cost,
        dear_share,
        dear_class: dear
            .filter(|_| dear_share.is_some())
            .map(|k| scenario.classes[k].name.clone()),
    })
}

/// The x in [lo, hi] where f crosses between saving (<= 0) and costing
/// more (> 0, beyond rounding), scanning a grid then bisecting; `None`
/// without a crossing.
fn root(
    f: impl Fn(f64) -> Result<f64, EngineError>,
    lo: f64,
    hi: f64,
) -> Result<Option<f64>, EngineError> {
    const STEPS: usize = 100;
    // Dollars per request: a billionth of a cent is rounding, not a crossing.
    let costs = |y: f64| y > 1e-11;
    let mut prev_x = lo;
    let mut prev = f(lo)?;
    for i in 1..=STEPS {
        let x = lo + (hi - lo) * i as f64 / STEPS as f64;
        let y = f(x)?;
        if costs(prev) != costs(y) {
            let (mut a, mut b, fa) = (prev_x, x, prev);
            for _ in 0..60 {
                let mid = 0.5 * (a + b);
                if costs(f(mid)?) == costs(fa) {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            return Ok(Some(0.5 * (a + b)));
        }
        prev_x = x;
        prev = y;
    }
    Ok(None)
}
