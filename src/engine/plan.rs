//! Evaluates a plan on a scenario: for each class, the model that serves it,
//! the exact bill of one request, its quality and latency; then the blend
//! over the traffic mix (RouteLLM/RouterBench notation in
//! `shared/reference/routing-math.md`: cost = N * sum_k s_k c_{m(k),k}).

use jiff::civil::Date;
use serde::Serialize;

use super::bill::{price, Bill, PriceError, Request};
use super::latency::{estimate, LatencyAssumptions, LatencyEstimate};
use crate::money::Usd;
use crate::pricing::{Catalog, UnknownModel};
use crate::scenario::{Plan, Scenario};

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
}

/// One class of traffic as a plan serves it.
#[derive(Debug, Clone)]
pub struct ClassOutcome {
    pub class: String,
    pub share: f64,
    pub model: String,
    pub request: Request,
    pub bill: Bill,
    pub quality: Option<f64>,
    pub latency: Option<LatencyEstimate>,
}

#[derive(Debug, Clone)]
pub struct PlanOutcome {
    pub plan: String,
    /// "model" or "easy → a, hard → b", plus a service tier if the plan sets one.
    pub summary: String,
    pub per_request: Usd,
    pub per_day: Usd,
    pub per_month: Usd,
    /// Blended success rate; `None` if any class lacks eval data for its model.
    pub quality: Option<f64>,
    pub ttft_s: Option<f64>,
    pub e2e_s: Option<f64>,
    pub classes: Vec<ClassOutcome>,
    /// Share of traffic each model serves, in first-use order.
    pub model_shares: Vec<ModelShare>,
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

pub fn evaluate(
    scenario: &Scenario,
    plan: &Plan,
    ctx: &Context,
) -> Result<PlanOutcome, EngineError> {
    let mut classes = Vec::with_capacity(scenario.classes.len());
    for (k, class) in scenario.classes.iter().enumerate() {
        let model_id = plan.model_for(k);
        let model = ctx.catalog.lookup(model_id)?;
        let request = class.request_for(&model.id, plan.tier);
        let bill = price(model, &request, ctx.date).map_err(|source| EngineError::Price {
            class: class.name.clone(),
            model: model.id.clone(),
            source,
        })?;
        classes.push(ClassOutcome {
            class: class.name.clone(),
            share: class.share,
            model: model.id.clone(),
            request,
            bill,
            quality: scenario.quality.rate(&class.name, &model.id),
            latency: estimate(model, request.prompt(), request.generated(), &ctx.latency),
        });
    }
    let per_request: Usd = classes.iter().map(|c| c.bill.total.usd() * c.share).sum();
    let blend = |f: &dyn Fn(&ClassOutcome) -> Option<f64>| -> Option<f64> {
        classes.iter().try_fold(0.0, |acc, c| {
            if c.share == 0.0 {
                return Some(acc);
            }
            f(c).map(|v| acc + c.share * v)
        })
    };
    let mut model_shares: Vec<ModelShare> = Vec::new();
    for c in &classes {
        match model_shares.iter_mut().find(|m| m.model == c.model) {
            Some(m) => m.share += c.share,
            None => model_shares.push(ModelShare {
                model: c.model.clone(),
                share: c.share,
            }),
        }
    }
    Ok(PlanOutcome {
        plan: plan.name.clone(),
        summary: summary(plan, scenario),
        per_request,
        per_day: per_request * scenario.requests_per_day,
        per_month: per_request * scenario.requests_per_month(),
        quality: blend(&|c| c.quality),
        ttft_s: blend(&|c| c.latency.map(|l| l.ttft_s)),
        e2e_s: blend(&|c| c.latency.and_then(|l| l.e2e_s)),
        classes,
        model_shares,
    })
}

fn summary(plan: &Plan, scenario: &Scenario) -> String {
    let models = plan.models();
    let tier = plan
        .tier
        .map(|t| format!(" ({})", t.key()))
        .unwrap_or_default();
    if models.len() == 1 {
        return format!("{}{tier}", models[0]);
    }
    let routes = scenario
        .classes
        .iter()
        .enumerate()
        .map(|(k, c)| format!("{} → {}", c.name, plan.model_for(k)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{routes}{tier}")
}
