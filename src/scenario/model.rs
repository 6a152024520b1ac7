//! A validated traffic scenario: how many requests, of which classes, with
//! which token counts, and the plans that decide which model serves them.
//! Model ids here are canonical catalog ids (aliases already resolved).

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::token_dist::TokenModel;
use crate::money::{Money, Usd};
use crate::pricing::bill::Request;
use crate::pricing::figures::Effort;
use crate::pricing::windows::TrafficProfile;
use crate::pricing::ServiceTier;

/// Days in an average Gregorian month (365.25 / 12): how `cost` turns a daily
/// volume into a monthly one unless a scenario says otherwise.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// The largest daily volume a scenario may give (10^15 requests): a
/// thousand times the largest volume benchmarked, small enough that the
/// requests of 10,000 simulated days still fit in a `u64`.
pub const MAX_REQUESTS_PER_DAY: f64 = 1e15;

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub requests_per_day: f64,
    pub days_per_month: f64,
    pub classes: Vec<Class>,
    pub quality: Quality,
    pub quality_source: Option<String>,
    /// Classes whose success rates come from a public benchmark.
    pub proxies: Vec<super::proxy::Proxy>,
    pub plans: Vec<Plan>,
    /// Name of the plan savings are measured against.
    pub baseline: String,
    pub compare_models: Vec<String>,
    /// What the scenario may cost (`cost compare --check`, `cost diff`).
    pub budget: Option<Budget>,
    pub slo: Slo,
    pub variation: Variation,
    /// When the traffic arrives (UTC), for time-of-day prices.
    pub traffic: TrafficProfile,
    pub origin: String,
    /// The line each plan is declared on (by plan index), for errors that
    /// arise only when a plan is priced (a tier missing on the price date).
    pub plan_lines: Vec<Option<usize>>,
    /// Routes to self-hosted deployments (`{ deploy = "MODEL@ID", basis = "B" }`),
    /// in declaration order. Their model ids are not in the price sheets:
    /// `engine::hosted` sizes each fleet and prices it before any plan is evaluated.
    pub hosted: Vec<HostedRoute>,
    /// Success rates stated for deployments: class -> deployment id -> rate.
    pub hosted_quality: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Scenario {
    pub fn requests_per_month(&self) -> f64 {
        self.requests_per_day * self.days_per_month
    }

    /// Whether `model` is a self-hosted route's id rather than a catalog model.
    pub fn is_hosted(&self, model: &str) -> bool {
        self.hosted.iter().any(|h| h.id == model)
    }

    pub fn class_index(&self, name: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.name == name)
    }

    pub fn plan(&self, name: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.name == name)
    }

    /// Every model the scenario's plans send traffic to, in first-use order.
    pub fn plan_models(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for plan in &self.plans {
            for model in plan.models() {
                if !out.contains(&model) {
                    out.push(model);
                }
            }
        }
        out
    }

    /// The models `compare` adds "all traffic to M" rows for when none are
    /// named: the scenario's `[compare] models`, else every model its plans
    /// use (a self-hosted route's fleet is sized for its plan's load, so it
    /// is never one of them).
    pub fn default_compare_models(&self) -> Vec<String> {
        if self.compare_models.is_empty() {
            let mut models = self.plan_models();
            models.retain(|m| !self.is_hosted(m));
            models
        } else {
            self.compare_models.clone()
        }
    }
}

/// A plan's route to a self-hosted deployment, as written and where.
#[derive(Debug, Clone, PartialEq)]
pub struct HostedRoute {
    /// The model id the plan uses for it: `MODEL@ID:BASIS`, with ` (PLAN)`
    /// added when several plans route to the same deployment and basis
    /// (each plan sizes its own fleet for the load it sends).
    pub id: String,
    /// The deployment, `MODEL@ID` (checked against `deployments/*.toml` later).
    pub deploy: String,
    /// The price basis as written (checked against the GPU's prices later).
    pub basis: String,
    /// Replicas held back (N+1 by default).
    pub spare: Option<u32>,
    /// Per-user output speed the measured row must state (tok/s).
    pub min_user_tps: Option<f64>,
    /// Index of the plan in `Scenario::plans`.
    pub plan: usize,
    /// Where it is written: file, line, key.
    pub file: String,
    pub line: Option<usize>,
    pub at: crate::source::KeyPath,
    /// The fleet and its price, in a sentence, once sized (`engine::hosted`).
    pub note: Option<String>,
    /// What re-sizes the fleet at another load, once sized (`engine::hosted`).
    pub sizing: Option<FleetSizing>,
}

/// A self-hosted route's fleet as a function of its load: the measured
/// row's usable throughput, the replica shape, the GPU-hour price and the
/// redundancy, fixed when the route is first sized. Plain numbers, so every
/// copy of the scenario (a sweep's, a sensitivity's) carries them and the
/// engine can price the fleet at whatever load it evaluates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FleetSizing {
    pub gpus_per_replica: u32,
    /// Output tokens per second per GPU at the latency the row was measured at.
    pub usable_tps_per_gpu: f64,
    pub per_gpu_hour: Money,
    /// Replicas held back (N+1: 1).
    pub spare_replicas: u32,
    /// Busiest hour's rate over the mean rate.
    pub peak_factor: f64,
    /// The cost per request the catalog prices the route at: the fleet at
    /// the scenario's own load, amortised.
    pub planned_fee: Money,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: String,
    pub description: Option<String>,
    pub share: f64,
    /// The representative request: every count at its mean.
    pub request: Request,
    /// The token counts as distributions (fixed when the file gives numbers).
    pub tokens: TokenModel,
    /// Model id -> the class as that model runs it (its own output and
    /// reasoning lengths): mean request and distributions.
    pub per_model: BTreeMap<String, (Request, TokenModel)>,
    /// The reasoning effort the class runs at, if stated.
    pub reasoning_effort: Option<Effort>,
}

impl Class {
    /// The request this class sends to `model`.
    pub fn request_for(&self, model: &str, tier: Option<ServiceTier>) -> Request {
        let mut request = self.per_model.get(model).map_or(self.request, |(r, _)| *r);
        if let Some(tier) = tier {
            request.tier = tier;
        }
        request
    }

    /// The token distributions this class sends to `model`.
    pub fn tokens_for(&self, model: &str) -> &TokenModel {
        self.per_model.get(model).map_or(&self.tokens, |(_, t)| t)
    }
}

/// Success rates from the user's own evals: class -> model -> rate in 0..=1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality(pub BTreeMap<String, BTreeMap<String, f64>>);

impl Quality {
    pub fn rate(&self, class: &str, model: &str) -> Option<f64> {
        self.0.get(class)?.get(model).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(BTreeMap::is_empty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub description: Option<String>,
    pub kind: PlanKind,
    /// Overrides every class's service tier (e.g. the same models on batch).
    pub tier: Option<ServiceTier>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanKind {
    /// All traffic to one model.
    Single(String),
    /// A model per class, by class index: a perfect class router.
    Routes(Vec<String>),
    /// A model per predicted class, with an imperfect classifier.
    Classifier(Classifier),
    /// Models tried in order until a verifier accepts.
    Cascade(Cascade),
    /// Each class to the cheapest model that meets a quality bar.
    Oracle(Oracle),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Classifier {
    /// Model per predicted class, by class index.
    pub routes: Vec<String>,
    pub accuracy: Accuracy,
    pub router: Overhead,
}

/// How well a classifier predicts the class.
#[derive(Debug, Clone, PartialEq)]
pub enum Accuracy {
    /// P(predicted j | true k), rows by true class index.
    Confusion(Vec<Vec<f64>>),
    /// Two classes: `positive` is the class index the classifier detects.
    Rates { positive: usize, tpr: f64, fpr: f64 },
    /// Two classes, binormal ROC of this AUC at an operating point.
    Auc {
        positive: usize,
        auc: f64,
        at: OperatingPoint,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperatingPoint {
    Fpr(f64),
    /// Score threshold on the negative class's standard-normal scores.
    Threshold(f64),
    /// The share of all traffic sent to the positive class's model.
    StrongShare(f64),
}

/// A router's or verifier's own cost and time per request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overhead {
    /// A model call priced from the catalog: (model id, prompt tokens or
    /// `None` for the class's prompt, output tokens).
    pub call: Option<(String, Option<u64>, u64)>,
    pub fee: crate::money::Money,
    pub latency_s: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cascade {
    pub stages: Vec<String>,
    pub verifier: Verifier,
    pub overhead: Overhead,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verifier {
    /// Accepts a correct answer with `correct`, a wrong one with `wrong`.
    AcceptRates { correct: f64, wrong: f64 },
    /// A plain escalation rate per class index, after every stage.
    Escalation(Vec<f64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Oracle {
    pub bar: f64,
    /// Candidate models; empty means every model with a rate for the class.
    pub candidates: Vec<String>,
}

impl Plan {
    pub fn single(model: &str) -> Plan {
        Plan {
            name: format!("all → {model}"),
            description: None,
            kind: PlanKind::Single(model.to_string()),
            tier: None,
        }
    }

    /// Every model the plan can call, in first-use order (routers and
    /// verifiers included).
    pub fn models(&self) -> Vec<String> {
        let mut all: Vec<&String> = match &self.kind {
            PlanKind::Single(m) => vec![m],
            PlanKind::Routes(ms) => ms.iter().collect(),
            PlanKind::Classifier(c) => c
                .routes
                .iter()
                .chain(c.router.call.as_ref().map(|c| &c.0))
                .collect(),
            PlanKind::Cascade(c) => c
                .stages
                .iter()
                .chain(c.overhead.call.as_ref().map(|c| &c.0))
                .collect(),
            PlanKind::Oracle(o) => o.candidates.iter().collect(),
        };
        let mut out: Vec<String> = Vec::new();
        for m in all.drain(..) {
            if !out.contains(m) {
                out.push(m.clone());
            }
        }
        out
    }

    /// The model meant for class `k` when it is fixed by the plan: the route
    /// for routers (what a perfect classifier would do), the first stage of a
    /// cascade; `None` for an oracle, which picks by price and quality.
    pub fn model_for(&self, k: usize) -> Option<&str> {
        match &self.kind {
            PlanKind::Single(m) => Some(m),
            PlanKind::Routes(ms) => Some(&ms[k]),
            PlanKind::Classifier(c) => Some(&c.routes[k]),
            PlanKind::Cascade(c) => c.stages.first().map(String::as_str),
            PlanKind::Oracle(_) => None,
        }
    }
}

/// A spending limit with its unit, and the plans it binds.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub limit: BudgetLimit,
    /// The plan the budget applies to; `None`: every plan the scenario declares.
    pub plan: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BudgetLimit {
    PerDay(Usd),
    PerMonth(Usd),
}

/// Latency objectives: a plan whose simulated p95 exceeds one is flagged.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Slo {
    pub ttft_p95_s: Option<f64>,
    pub e2e_p95_s: Option<f64>,
}

/// Day-to-day variation the simulation draws (none by default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variation {
    /// Requests per day; `None`: the scenario's fixed volume every day.
    pub volume: Option<super::token_dist::TokenDist>,
    /// Each day every class share is scaled by U(1 - d, 1 + d), then renormalised.
    pub mix_drift: f64,
}
