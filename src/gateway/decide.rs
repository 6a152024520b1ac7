//! Where a request goes: the classifier's class, the plan's model for it
//! (or the concrete model the client named), the fallbacks after it, and
//! the dry-run answer (`x-cost-dry-run: 1`, `POST /v1/route`) that shows
//! the decision with every candidate's worst-case and expected cost.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde_json::{json, Value};

use super::classify::Features;
use super::errors::{Kind, Refusal};
use super::log::usd;
use super::price::{prompt_for, worst_case};
use super::proxy::Shared;
use super::{Api, Endpoint};
use crate::money::Money;
use crate::pricing::bill::price_at;
use crate::pricing::{Model, ServiceTier};

/// One model a request may be answered by, and the models tried after it
/// when it fails (its fallbacks).
pub struct Stage<'a> {
    pub model: &'a Model,
    /// The name sent upstream (the client's own spelling of a concrete model).
    pub upstream_name: String,
    /// The endpoint called upstream (another format than the client's
    /// when the model is another provider's).
    pub upstream: Endpoint,
    /// The model, then its fallbacks.
    pub candidates: Vec<&'a Model>,
}

/// Where a request goes: its class and its stages (one, or a cascade's).
pub struct Decision<'a> {
    pub class: usize,
    pub rule: String,
    /// The learned router's score, when a learned rule was scored.
    pub score: Option<f64>,
    pub stages: Vec<Stage<'a>>,
}

impl<'a> Decision<'a> {
    /// The model tried first.
    pub fn model(&self) -> &'a Model {
        self.stages[0].model
    }

    pub fn is_cascade(&self) -> bool {
        self.stages.len() > 1
    }
}

pub fn decide<'a>(
    shared: &'a Shared,
    endpoint: Endpoint,
    f: &Features,
) -> Result<Decision<'a>, Refusal> {
    let cfg = &shared.rt.config;
    let catalog = &shared.rt.catalog;
    let decision = shared
        .rt
        .classifier
        .classify(f)
        .map_err(|e| Refusal::new(Kind::BadRequest, e.to_string()))?;
    let virtual_model = cfg.virtual_models().contains(&f.model);
    let firsts: Vec<(&Model, String)> = if virtual_model {
        if let Some(c) = &cfg.cascade {
            c.stages
                .iter()
                .map(|id| {
                    let m = catalog
                        .get(id)
                        .expect("config checked the cascade's models");
                    (m, m.id.clone())
                })
                .collect()
        } else {
            let m = catalog
                .get(&cfg.routes[decision.class])
                .expect("config checked the plan's models");
            vec![(m, m.id.clone())]
        }
    } else if f.model.is_empty() {
        return Err(Refusal::new(
            Kind::BadRequest,
            "missing `model`: ask for `auto`, the plan's name or a concrete model",
        ));
    } else {
        let m = catalog.lookup(&f.model).map_err(|e| {
            Refusal::new(Kind::NotFound, format!("{e}; this gateway routes the virtual models {} and passes through models in its price sheets", cfg.virtual_models().join(", ")))
        })?;
        vec![(m, f.model.clone())]
    };
    if firsts.len() > 1 && f.stream {
        return Err(Refusal::new(
            Kind::BadRequest,
            format!("`stream`: plan `{}` is a cascade, whose answers are checked whole before one is returned; send stream = false, or ask for a concrete model", cfg.plan),
        ));
    }
    let mut stages = Vec::new();
    for (model, upstream_name) in firsts {
        let upstream = upstream_for(endpoint, model).map_err(|why| {
            Refusal::new(
                Kind::BadRequest,
                format!(
                    "class `{}` goes to `{}` ({}): {why}",
                    cfg.classes[decision.class], model.id, model.provider
                ),
            )
        })?;
        let mut candidates = vec![model];
        for id in cfg.fallbacks.get(&model.id).into_iter().flatten() {
            if let Some(m) = catalog.get(id) {
                candidates.push(m);
            }
        }
        stages.push(Stage {
            model,
            upstream_name,
            upstream,
            candidates,
        });
    }
    Ok(Decision {
        class: decision.class,
        rule: decision.reason,
        score: decision.score,
        stages,
    })
}

/// The endpoint a request to `endpoint` reaches `model` through: its own,
/// or the other provider's chat endpoint by translation (a Responses
/// request reaches Anthropic's messages).
pub fn upstream_for(endpoint: Endpoint, model: &Model) -> Result<Endpoint, String> {
    let api = Api::of_provider(&model.provider)
        .ok_or_else(|| "the gateway forwards to OpenAI and Anthropic APIs only".to_string())?;
    if api == endpoint.api() {
        return Ok(endpoint);
    }
    Ok(Endpoint::of(api))
}

/// The expected cost of the class's mean request on `model` (the scenario's forecast).
fn expected(shared: &Shared, class: usize, model: &Model, ts: Timestamp) -> Option<Money> {
    let r = shared.rt.classes.get(class)?.request_for(&model.id, None);
    price_at(model, &r, ts).ok().map(|b| b.total)
}

/// The dry-run answer: the decision and every candidate's costs.
pub fn dry_run(shared: &Shared, d: &Decision, f: &Features, ts: Timestamp) -> Response {
    let tier = ServiceTier::Standard;
    let roles = d.stages.iter().enumerate().flat_map(|(s, stage)| {
        stage.candidates.iter().enumerate().map(move |(i, m)| {
            let role = match (s, i) {
                (0, 0) => "route",
                (_, 0) => "cascade",
                _ => "fallback",
            };
            (*m, role)
        })
    });
    let candidates: Vec<Value> = roles.map(|(m, role)| {
        json!({
            "model": m.id,
            "role": role,
            "prompt_tokens": prompt_for(m, f.prompt_tokens),
            "worst_case_usd": worst_case(m, f.prompt_tokens, f.max_tokens, tier, ts).ok().map(usd),
            "expected_usd": expected(shared, d.class, m, ts).map(usd),
        })
    }).collect();
    let cfg = &shared.rt.config;
    let body = json!({
        "dry_run": true,
        "class": cfg.classes[d.class],
        "rule": d.rule,
        "router_score": d.score,
        "requested_model": f.model,
        "model": d.model().id,
        "upstream": d.stages[0].upstream.path(),
        "plan": cfg.plan,
        "counted_prompt_tokens": f.prompt_tokens,
        "candidates": candidates,
        "baseline_model": cfg.baseline[d.class],
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}
