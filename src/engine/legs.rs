//! Prices one model call of a class under a plan (a *leg*): the exact bill
//! of its representative request, its expected cost over the class's token
//! distributions (cliffs included) and its latency estimate. Every routing
//! architecture builds its legs here, so all of them price calls alike.

use super::expect::expected;
use super::latency::estimate;
use super::outcome::{Context, EngineError, Leg, Role};
use crate::money::Usd;
use crate::pricing::bill::{price, Request};
use crate::pricing::figures::Effort;
use crate::pricing::{limits, Model, ServiceTier};
use crate::scenario::token_dist::{TokenDist, TokenModel};
use crate::scenario::{Overhead, Plan, Scenario};

/// Prices one call of `model` for class `k` (the plan's tier applied).
pub fn leg(
    scenario: &Scenario,
    plan: &Plan,
    k: usize,
    model: &str,
    role: Role,
    calls: f64,
    ctx: &Context,
) -> Result<Leg, EngineError> {
    let class = &scenario.classes[k];
    let m = ctx.catalog.lookup(model)?;
    let request = class.request_for(&m.id, plan.tier);
    let mut leg = leg_for(
        class.name.as_str(),
        m.id.as_str(),
        role,
        calls,
        request,
        class.reasoning_effort,
        ctx,
    )?;
    let tokens = class.tokens_for(&m.id);
    if !tokens.is_fixed() {
        let e = expected(m, tokens, request.tier, ctx.date, &ctx.traffic).map_err(|source| {
            EngineError::Price {
                class: class.name.clone(),
                model: m.id.clone(),
                source,
            }
        })?;
        leg.expected = e.cost;
        leg.cliff_shares = e.cliffs;
        leg.over_limit = over_limit(m, tokens);
    }
    Ok(leg)
}

/// The share of calls beyond the model's context window or maximum output
/// (prompt and output drawn independently).
fn over_limit(m: &Model, tokens: &TokenModel) -> f64 {
    let beyond = |limit: Option<u64>, d: &TokenDist| {
        limit.map_or(0.0, |l| (1.0 - d.cdf(l as f64)).clamp(0.0, 1.0))
    };
    let prompt = beyond(m.context_window, &tokens.prompt);
    let output = beyond(m.max_output, &tokens.output);
    1.0 - (1.0 - prompt) * (1.0 - output)
}

pub fn leg_for(
    class: &str,
    model: &str,
    role: Role,
    calls: f64,
    request: Request,
    effort: Option<Effort>,
    ctx: &Context,
) -> Result<Leg, EngineError> {
    let m = ctx.catalog.lookup(model)?;
    let bill = price(m, &request, ctx.date).map_err(|source| EngineError::Price {
        class: class.to_string(),
        model: m.id.clone(),
        source,
    })?;
    // The bill is at list prices; time-of-day windows enter as the traffic's mean factor.
    let factor = m
        .period_at(Some(ctx.date))
        .map_or(1.0, |p| ctx.traffic.factor(p));
    Ok(Leg {
        model: m.id.clone(),
        role,
        calls,
        request,
        expected: bill.total.usd() * factor,
        cliff_shares: Vec::new(),
        over_limit: f64::from(u8::from(limits::check(m, &request).is_err())),
        bill,
        latency: estimate(
            m,
            request.prompt(),
            request.reasoning,
            request.output,
            effort,
            &ctx.latency,
        ),
    })
}

/// A router's or verifier's legs and fee, `calls` times per request.
pub fn overhead_legs(
    overhead: &Overhead,
    scenario: &Scenario,
    plan: &Plan,
    k: usize,
    role: Role,
    calls: f64,
    ctx: &Context,
) -> Result<(Vec<Leg>, Usd), EngineError> {
    let mut legs = Vec::new();
    if let Some((model, prompt, output)) = &overhead.call {
        let class = &scenario.classes[k];
        let request = Request {
            input: prompt.unwrap_or(class.request.input),
            output: *output,
            tier: plan.tier.unwrap_or(ServiceTier::Standard),
            ..Request::default()
        };
        // Routers and verifiers answer briefly, without thinking.
        legs.push(leg_for(
            &class.name,
            model,
            role,
            calls,
            request,
            None,
            ctx,
        )?);
    }
    Ok((legs, overhead.fee.usd() * calls))
}

/// The expected cost per request of a class from its legs and fees.
pub fn legs_cost(legs: &[Leg], fees: Usd) -> Usd {
    legs.iter().map(|l| l.expected * l.calls).sum::<Usd>() + fees
}
