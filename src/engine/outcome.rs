//! What evaluating a plan on a scenario yields: per class, the model calls
//! (*legs*) one request makes with their expected counts, and the blended
//! cost, quality and latency of the whole plan. Plain data: the routing
//! architectures (`routing`) fill it, reports read it.

use jiff::civil::Date;
use serde::Serialize;

use super::latency::{LatencyAssumptions, LatencyEstimate};
use crate::money::Usd;
use crate::pricing::bill::{Bill, PriceError, Request};
use crate::pricing::windows::TrafficProfile;
use crate::pricing::{Catalog, UnknownModel};
use crate::scenario::{Plan, Scenario};

/// What every evaluation needs besides the scenario.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    /// The day whose prices apply.
    pub date: Date,
    pub latency: LatencyAssumptions,
    /// When the traffic arrives, for time-of-day prices.
    pub traffic: TrafficProfile,
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
    #[error("class `{class}`: the plan chose no model for it")]
    NoRoute { class: String },
    #[error("the baseline plan `{plan}` is not in the scenario")]
    NoBaseline { plan: String },
    #[error("scenario `{scenario}` has no success rates, so there is no quality axis\n  hint: add a `[quality]` table with each model's success rate per class")]
    NoQualityAxis { scenario: String },
    /// An error pricing a plan the scenario declares, at its file, line and key.
    #[error("{file}{}: `{key}` (plan `{plan}`): {source}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
    InPlan {
        file: String,
        line: Option<usize>,
        key: String,
        plan: String,
        #[source]
        source: Box<EngineError>,
    },
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
    /// The share of calls the provider would refuse: a prompt longer than
    /// the model's context window or an output longer than its maximum.
    /// Their cost is still counted, so the row is flagged rather than dropped.
    pub over_limit: f64,
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
    /// Time to the first answer token, thinking included.
    pub ttft_answer_s: Option<f64>,
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
    /// The plan evaluated (a scenario's, or a single model added for comparison).
    pub spec: Plan,
    /// What the plan does, in a few words.
    pub summary: String,
    pub per_request: Usd,
    pub per_day: Usd,
    pub per_month: Usd,
    /// Blended success rate; `None` if any class lacks eval data it needs.
    pub quality: Option<f64>,
    pub ttft_s: Option<f64>,
    /// Time to the first answer token, thinking included.
    pub ttft_answer_s: Option<f64>,
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
    /// Share of requests with a call beyond its model's context window or
    /// maximum output (the provider refuses those).
    pub fn over_limit_share(&self) -> f64 {
        self.classes
            .iter()
            .map(|c| {
                let worst = c
                    .legs
                    .iter()
                    .filter(|l| l.role == Role::Serve)
                    .map(|l| l.over_limit * l.calls)
                    .sum::<f64>();
                c.share * worst.min(1.0)
            })
            .sum()
    }

    /// Successful requests per dollar: quality / cost per request.
    pub fn quality_per_dollar(&self) -> Option<f64> {
        let q = self.quality?;
        (self.per_request.value() > 0.0).then(|| q / self.per_request.value())
    }
}

impl PlanOutcome {
    /// Blends per-class outcomes over the traffic mix:
    /// cost = N * sum_k s_k c_k (share-weighted per-request cost times volume).
    pub fn from_classes(
        scenario: &Scenario,
        plan: &Plan,
        summary: String,
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
            spec: plan.clone(),
            summary,
            per_request,
            per_day: per_request * scenario.requests_per_day,
            per_month: per_request * scenario.requests_per_month(),
            quality: blend(&|c| c.quality),
            ttft_s: blend(&|c| c.ttft_s),
            ttft_answer_s: blend(&|c| c.ttft_answer_s),
            e2e_s: blend(&|c| c.e2e_s),
            misroutes,
            escalated,
            classes,
            model_shares,
            notes,
        }
    }
}
