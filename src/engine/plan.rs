//! Evaluates a plan on a scenario. Each class of traffic becomes a set of
//! *legs*: the model calls one request of that class makes, each with its
//! expected number of calls per request (a classifier splits a class over
//! models; a cascade calls later stages only when it escalates; routers and
//! verifiers add calls of their own). Cost, quality and latency are then
//! blended over the traffic mix (`shared/reference/routing-math.md`:
//! cost = N * sum_k s_k c_k).

use jiff::civil::Date;
use serde::Serialize;

use super::bill::{price, Bill, PriceError, Request};
use super::latency::{estimate, LatencyAssumptions, LatencyEstimate};
use crate::money::Usd;
use crate::pricing::{Catalog, ServiceTier, UnknownModel};
use crate::scenario::{Overhead, Plan, PlanKind, Scenario};

/// What every evaluation needs besides the scenario.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    /// The day whose prices apply.
    pub date: Date,
    pub latency: LatencyAssumptions,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    UnknownModel(#[from] UnknownModel),
    #[error("class `{class}` on `{model}`: {source}")]
    Price {
        class: String,
        model: String,
        #[source]
        source: PriceError,
    },
    #[error("plan `{plan}`: no candidate model has a success rate for class `{class}`\n  hint: add rates under `[quality.{class}]`")]
    NoQuality { plan: String, class: String },
}

/// Why a leg is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Answers the request.
    Serve,
    /// The classifier's own model call.
    Router,
    /// A cascade verifier's model call.
    Verifier,
}

/// One model call a request of a class makes, on average `calls` times.
#[derive(Debug, Clone)]
pub struct Leg {
    pub model: String,
    pub role: Role,
    pub calls: f64,
    /// The representative request (token counts at their means).
    pub request: Request,
    /// The exact bill of the representative request.
    pub bill: Bill,
    /// The expected cost of one call: the bill when token counts are fixed,
    /// else the expectation over their distributions (cliffs included).
    pub expected: Usd,
    /// Per long-context threshold, the share of calls whose prompt exceeds it
    /// (empty when token counts are fixed: see `bill.long_context`).
    pub cliff_shares: Vec<(u64, f64)>,
    pub latency: Option<LatencyEstimate>,
}

/// One class of traffic as a plan serves it. Costs are per request of the class.
#[derive(Debug, Clone)]
pub struct ClassOutcome {
    pub class: String,
    pub share: f64,
    pub legs: Vec<Leg>,
    /// Fixed router or verifier fees per request.
    pub fees: Usd,
    pub cost: Usd,
    pub quality: Option<f64>,
    pub ttft_s: Option<f64>,
    pub e2e_s: Option<f64>,
    /// The model meant for this class (routers: the route; oracle: its pick).
    pub intended: Option<String>,
    pub misroutes: Misroutes,
    /// Share of this class's requests escalated past the first stage.
    pub escalated: Option<f64>,
}

/// Requests a classifier sends to another model than intended, per request.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Misroutes {
    /// Share of requests sent to a dearer model than intended (over-served).
    pub over: f64,
    /// Dollars paid above the intended model's cost, per request.
    pub wasted: Usd,
    /// Share of requests sent to a cheaper model than intended (under-served).
    pub under: f64,
    /// Success rate lost by under-serving, per request (`None`: no eval data).
    pub quality_lost: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct PlanOutcome {
    pub plan: String,
    /// What the plan does, in a few words.
    pub summary: String,
    pub per_request: Usd,
    pub per_day: Usd,
    pub per_month: Usd,
    /// Blended success rate; `None` if any class lacks eval data it needs.
    pub quality: Option<f64>,
    pub ttft_s: Option<f64>,
    pub e2e_s: Option<f64>,
    pub classes: Vec<ClassOutcome>,
    /// Calls per request to each serving model, in first-use order (a
    /// cascade's shares can add up to more than 1).
    pub model_shares: Vec<ModelShare>,
    pub misroutes: Misroutes,
    pub escalated: Option<f64>,
    /// Anything the evaluation had to assume or could not do.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelShare {
    pub model: String,
    pub share: f64,
}

impl PlanOutcome {
    /// Successful requests per dollar: quality / cost per request.
    pub fn quality_per_dollar(&self) -> Option<f64> {
        let q = self.quality?;
        (self.per_request.value() > 0.0).then(|| q / self.per_request.value())
    }
}

/// Prices one call of `model` for class `k` (the plan's tier applied).
pub(super) fn leg(
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
        ctx,
    )?;
    let tokens = class.tokens_for(&m.id);
    if !tokens.is_fixed() {
        let e = super::expect::expected(m, tokens, request.tier, ctx.date).map_err(|source| {
            EngineError::Price {
                class: class.name.clone(),
                model: m.id.clone(),
                source,
            }
        })?;
        leg.expected = e.cost;
        leg.cliff_shares = e.cliffs;
    }
    Ok(leg)
}

pub(super) fn leg_for(
    class: &str,
    model: &str,
    role: Role,
    calls: f64,
    request: Request,
    ctx: &Context,
) -> Result<Leg, EngineError> {
    let m = ctx.catalog.lookup(model)?;
    let bill = price(m, &request, ctx.date).map_err(|source| EngineError::Price {
        class: class.to_string(),
        model: m.id.clone(),
        source,
    })?;
    Ok(Leg {
        model: m.id.clone(),
        role,
        calls,
        request,
        expected: bill.total.usd(),
        cliff_shares: Vec::new(),
        bill,
        latency: estimate(m, request.prompt(), request.generated(), &ctx.latency),
    })
}

/// A router's or verifier's legs and fee, `calls` times per request.
pub(super) fn overhead_legs(
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
        legs.push(leg_for(&class.name, model, role, calls, request, ctx)?);
    }
    Ok((legs, overhead.fee.usd() * calls))
}

/// The expected cost per request of a class from its legs and fees.
pub(super) fn legs_cost(legs: &[Leg], fees: Usd) -> Usd {
    legs.iter().map(|l| l.expected * l.calls).sum::<Usd>() + fees
}

pub fn evaluate(
    scenario: &Scenario,
    plan: &Plan,
    ctx: &Context,
) -> Result<PlanOutcome, EngineError> {
    let mut notes = Vec::new();
    let classes = match &plan.kind {
        PlanKind::Single(m) => direct(scenario, plan, |_| m.clone(), ctx)?,
        PlanKind::Routes(ms) => direct(scenario, plan, |k| ms[k].clone(), ctx)?,
        PlanKind::Classifier(c) => super::routed::classifier(scenario, plan, c, ctx)?,
        PlanKind::Cascade(c) => {
            if matches!(c.verifier, crate::scenario::Verifier::AcceptRates { .. }) {
                notes.push("cascade quality assumes nested difficulty (a stronger model solves whatever a weaker one does); an escalated answer waits for the full cheap answer and a verification".into());
            }
            super::cascade::cascade(scenario, plan, c, ctx)?
        }
        PlanKind::Oracle(o) => super::oracle::oracle(scenario, plan, o, ctx, &mut notes)?,
    };
    Ok(aggregate(scenario, plan, classes, notes))
}

/// Every request of class k goes to one model.
fn direct(
    scenario: &Scenario,
    plan: &Plan,
    model: impl Fn(usize) -> String,
    ctx: &Context,
) -> Result<Vec<ClassOutcome>, EngineError> {
    (0..scenario.classes.len())
        .map(|k| {
            let served = leg(scenario, plan, k, &model(k), Role::Serve, 1.0, ctx)?;
            let class = &scenario.classes[k];
            Ok(ClassOutcome {
                class: class.name.clone(),
                share: class.share,
                cost: served.expected,
                fees: Usd::ZERO,
                quality: scenario.quality.rate(&class.name, &served.model),
                ttft_s: served.latency.map(|l| l.ttft_s),
                e2e_s: served.latency.and_then(|l| l.e2e_s),
                intended: Some(served.model.clone()),
                misroutes: Misroutes::default(),
                escalated: None,
                legs: vec![served],
            })
        })
        .collect()
}

fn aggregate(
    scenario: &Scenario,
    plan: &Plan,
    classes: Vec<ClassOutcome>,
    notes: Vec<String>,
) -> PlanOutcome {
    let per_request: Usd = classes.iter().map(|c| c.cost * c.share).sum();
    let blend = |f: &dyn Fn(&ClassOutcome) -> Option<f64>| -> Option<f64> {
        classes.iter().try_fold(0.0, |acc, c| {
            if c.share == 0.0 {
                Some(acc)
            } else {
                f(c).map(|v| acc + c.share * v)
            }
        })
    };
    let mut model_shares: Vec<ModelShare> = Vec::new();
    for c in &classes {
        for l in c.legs.iter().filter(|l| l.role == Role::Serve) {
            match model_shares.iter_mut().find(|m| m.model == l.model) {
                Some(m) => m.share += c.share * l.calls,
                None => model_shares.push(ModelShare {
                    model: l.model.clone(),
                    share: c.share * l.calls,
                }),
            }
        }
    }
    let misroutes = Misroutes {
        over: classes.iter().map(|c| c.share * c.misroutes.over).sum(),
        wasted: classes.iter().map(|c| c.misroutes.wasted * c.share).sum(),
        under: classes.iter().map(|c| c.share * c.misroutes.under).sum(),
        quality_lost: blend(&|c| c.misroutes.quality_lost),
    };
    let escalated = classes.iter().any(|c| c.escalated.is_some()).then(|| {
        classes
            .iter()
            .map(|c| c.share * c.escalated.unwrap_or(0.0))
            .sum()
    });
    PlanOutcome {
        plan: plan.name.clone(),
        summary: summary(plan, scenario, &classes),
        per_request,
        per_day: per_request * scenario.requests_per_day,
        per_month: per_request * scenario.requests_per_month(),
        quality: blend(&|c| c.quality),
        ttft_s: blend(&|c| c.ttft_s),
        e2e_s: blend(&|c| c.e2e_s),
        misroutes,
        escalated,
        classes,
        model_shares,
        notes,
    }
}

fn summary(plan: &Plan, scenario: &Scenario, classes: &[ClassOutcome]) -> String {
    let tier = plan
        .tier
        .map(|t| format!(" ({})", t.key()))
        .unwrap_or_default();
    let routes = || {
        scenario
            .classes
            .iter()
            .zip(classes)
            .map(|(c, o)| format!("{} → {}", c.name, o.intended.as_deref().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = match &plan.kind {
        PlanKind::Single(m) => m.clone(),
        PlanKind::Routes(_) => routes(),
        PlanKind::Classifier(c) => format!(
            "classifier ({}): {}",
            super::routed::describe(&c.accuracy, scenario),
            routes()
        ),
        PlanKind::Cascade(c) => format!("cascade {}", c.stages.join(" → ")),
        PlanKind::Oracle(o) => format!("oracle (bar {}): {}", o.bar, routes()),
    };
    format!("{text}{tier}")
}
