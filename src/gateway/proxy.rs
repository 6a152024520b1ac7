//! One generation request: authenticate, parse, classify, route, reserve
//! the worst case, then try the routed model (bounded retries with
//! backoff on transport errors, timeouts, 429 and 5xx) and its fallbacks,
//! logging every attempt; settle the exact cost from the answer's usage or
//! release the reservation. `x-cost-dry-run: 1` stops before upstream and
//! returns the decision with every candidate's costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use jiff::Timestamp;
use serde_json::{json, Value};

use super::budget::Hold;
use super::classify::{features, Features};
use super::errors::{Kind, Refusal};
use super::log::{usd, LogLine, UsageOut};
use super::metrics::Metrics;
use super::price::{prompt_for, worst_case, Usage};
use super::{relay, Api, Runtime};
use crate::money::Money;
use crate::pricing::bill::{price_at, Request};
use crate::pricing::{Model, ServiceTier};

/// The running gateway's state, shared by every request.
pub struct Shared {
    pub rt: Runtime,
    pub metrics: Metrics,
    pub client: reqwest::Client,
    seq: AtomicU64,
}

impl Shared {
    pub fn new(rt: Runtime, client: reqwest::Client) -> Shared {
        Shared {
            rt,
            metrics: Metrics::default(),
            client,
            seq: AtomicU64::new(0),
        }
    }
}

/// What is known about a request once it is routed.
pub struct Ctx {
    pub id: String,
    pub api: Api,
    pub route: &'static str,
    pub key: Option<String>,
    pub class: usize,
    pub rule: String,
    pub requested: String,
    pub stream: bool,
    pub counted_prompt: u64,
    pub started: Instant,
    pub ts: Timestamp,
}

/// The secret a client sent: `Authorization: Bearer` (OpenAI SDKs) or
/// `x-api-key` (Anthropic SDKs).
fn presented(headers: &HeaderMap) -> Option<&str> {
    if let Some(k) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(k);
    }
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The gateway key's name; `Ok(None)` when keys are not required and none was given.
pub fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Option<String>, Refusal> {
    let given = presented(headers);
    if let Some(given) = given {
        if let Some((name, _)) = shared
            .rt
            .keys
            .iter()
            .find(|(_, secret)| same(secret, given))
        {
            return Ok(Some(name.clone()));
        }
    }
    if !shared.rt.config.require_keys && (given.is_none() || shared.rt.keys.is_empty()) {
        return Ok(None);
    }
    Err(Refusal::new(
        Kind::Unauthorized,
        if given.is_some() {
            "this gateway key is not valid: use a key configured in [gateway.keys]"
        } else {
            "missing gateway key: send it as `Authorization: Bearer KEY` or `x-api-key: KEY`"
        },
    ))
}

/// Where a request goes: its class, model and the models after it.
pub struct Decision<'a> {
    pub class: usize,
    pub rule: String,
    pub model: &'a Model,
    /// The name sent upstream (the client's own spelling of a concrete model).
    pub upstream_name: String,
    pub candidates: Vec<&'a Model>,
}

pub fn decide<'a>(shared: &'a Shared, api: Api, f: &Features) -> Result<Decision<'a>, Refusal> {
    let cfg = &shared.rt.config;
    let catalog = &shared.rt.catalog;
    let decision = shared
        .rt
        .classifier
        .classify(f)
        .map_err(|e| Refusal::new(Kind::BadRequest, e.to_string()))?;
    let virtual_model = cfg.virtual_models().contains(&f.model);
    let (model, upstream_name) = if virtual_model {
        let id = &cfg.routes[decision.class];
        let m = catalog.get(id).expect("config checked the plan's models");
        (m, m.id.clone())
    } else if f.model.is_empty() {
        return Err(Refusal::new(
            Kind::BadRequest,
            "missing `model`: ask for `auto`, the plan's name or a concrete model",
        ));
    } else {
        let m = catalog.lookup(&f.model).map_err(|e| {
            Refusal::new(Kind::NotFound, format!("{e}; this gateway routes the virtual models {} and passes through models in its price sheets", cfg.virtual_models().join(", ")))
        })?;
        (m, f.model.clone())
    };
    if Api::of_provider(&model.provider) != Some(api) {
        return Err(Refusal::new(Kind::BadRequest, format!(
            "class `{}` goes to `{}` ({}), which is not reached through the {} API: the gateway does not translate between API formats yet; call the {} endpoint for it",
            cfg.classes[decision.class], model.id, model.provider, api.key(),
            Api::of_provider(&model.provider).map_or("provider's", |a| a.path()))));
    }
    let mut candidates = vec![model];
    for id in cfg.fallbacks.get(&model.id).into_iter().flatten() {
        if let Some(m) = catalog.get(id) {
            candidates.push(m);
        }
    }
    Ok(Decision {
        class: decision.class,
        rule: decision.reason,
        model,
        upstream_name,
        candidates,
    })
}

/// The expected cost of the class's mean request on `model` (the scenario's forecast).
fn expected(shared: &Shared, class: usize, model: &Model, ts: Timestamp) -> Option<Money> {
    let r = shared.rt.classes.get(class)?.request_for(&model.id, None);
    price_at(model, &r, ts).ok().map(|b| b.total)
}

/// The dry-run answer: the decision and every candidate's costs.
pub fn dry_run(shared: &Shared, d: &Decision, f: &Features, ts: Timestamp) -> Response {
    let tier = ServiceTier::Standard;
    let candidates: Vec<Value> = d.candidates.iter().enumerate().map(|(i, m)| {
        json!({
            "model": m.id,
            "role": if i == 0 { "route" } else { "fallback" },
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
        "requested_model": f.model,
        "model": d.model.id,
        "plan": cfg.plan,
        "counted_prompt_tokens": f.prompt_tokens,
        "candidates": candidates,
        "baseline_model": cfg.baseline[d.class],
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// The whole request, to a response in the client's format.
pub async fn handle(
    shared: Arc<Shared>,
    api: Api,
    headers: HeaderMap,
    body: Bytes,
    route_only: bool,
) -> Response {
    let started = Instant::now();
    let ts = Timestamp::now();
    let key = match authenticate(&shared, &headers) {
        Ok(k) => k,
        Err(r) => return refuse(&shared, api, api.path(), None, r, started),
    };
    let mut json: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            return refuse(
                &shared,
                api,
                api.path(),
                key.as_deref(),
                Refusal::new(Kind::BadRequest, "the request body must be a JSON object"),
                started,
            )
        }
        Err(e) => {
            return refuse(
                &shared,
                api,
                api.path(),
                key.as_deref(),
                Refusal::new(
                    Kind::BadRequest,
                    format!("the request body is not valid JSON: {e}"),
                ),
                started,
            )
        }
    };
    let header_class = headers.get("x-cost-class").and_then(|v| v.to_str().ok());
    let f = features(api, &json, header_class);
    let decision = match decide(&shared, api, &f) {
        Ok(d) => d,
        Err(r) => return refuse(&shared, api, api.path(), key.as_deref(), r, started),
    };
    let dry = route_only
        || headers
            .get("x-cost-dry-run")
            .is_some_and(|v| v.as_bytes() == b"1");
    if dry {
        return dry_run(&shared, &decision, &f, ts);
    }
    let n = shared.seq.fetch_add(1, Ordering::Relaxed);
    let ctx = Arc::new(Ctx {
        id: format!("gw-{}-{n}", ts.as_millisecond()),
        api,
        route: api.path(),
        key,
        class: decision.class,
        rule: decision.rule.clone(),
        requested: f.model.clone(),
        stream: f.stream,
        counted_prompt: f.prompt_tokens,
        started,
        ts,
    });
    let strip_usage = prepare(api, &mut json, f.stream);
    super::attempts::forward(
        shared.clone(),
        ctx,
        &decision,
        json,
        &headers,
        f.max_tokens,
        strip_usage,
    )
    .await
}

/// Asks an OpenAI stream for its usage chunk; `true` when the client did
/// not ask for it, so the relay removes it again.
fn prepare(api: Api, json: &mut Value, stream: bool) -> bool {
    if api != Api::OpenAi || !stream {
        return false;
    }
    let asked = json
        .pointer("/stream_options/include_usage")
        .and_then(Value::as_bool)
        == Some(true);
    if !asked {
        let opts = json
            .as_object_mut()
            .expect("checked object")
            .entry("stream_options")
            .or_insert_with(|| json!({}));
        if let Some(o) = opts.as_object_mut() {
            o.insert("include_usage".into(), Value::Bool(true));
        }
    }
    !asked
}

/// A request refused before any upstream call: logged, counted, answered.
pub fn refuse(
    shared: &Shared,
    api: Api,
    route: &'static str,
    key: Option<&str>,
    r: Refusal,
    started: Instant,
) -> Response {
    let latency = started.elapsed().as_secs_f64();
    if let Some(log) = &shared.rt.log {
        log.write(&LogLine {
            log: crate::replay::gateway::MARK,
            ts: Timestamp::now().to_string(),
            request_id: "",
            attempt: 0,
            route,
            outcome: r.kind.outcome(),
            status: None,
            key,
            class: None,
            rule: None,
            requested_model: None,
            model: None,
            served_model: None,
            stream: false,
            usage: None,
            usage_source: None,
            tier: None,
            cost_usd: None,
            reserved_usd: None,
            baseline_model: None,
            baseline_cost_usd: None,
            latency_s: latency,
            ttft_s: None,
            error: Some(&r.message),
        });
    }
    shared.metrics.observe(
        (route, String::new(), String::new(), r.kind.outcome().into()),
        0,
        0,
        Money::ZERO,
        latency,
    );
    r.into_response(api)
}

/// One attempt's end: price the usage (if any), settle or release the
/// hold, write the log line and the metrics. Returns the exact cost.
#[allow(clippy::too_many_arguments)]
pub fn close_attempt(
    shared: &Shared,
    ctx: &Ctx,
    attempt: u32,
    model: &Model,
    hold: Option<Hold>,
    usage: Option<(&Usage, &'static str)>,
    outcome: &str,
    status: Option<u16>,
    ttft_s: Option<f64>,
    error: Option<&str>,
) -> Option<Money> {
    let cfg = &shared.rt.config;
    let reserved = hold.as_ref().map(|h| h.amount);
    let priced = usage.map(|(u, _)| price_at(model, &u.request, ctx.ts).map(|b| b.total));
    let cost = match &priced {
        Some(Ok(c)) => Some(*c),
        _ => None,
    };
    let price_error = match &priced {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    if let Some(h) = hold {
        match (cost, &price_error) {
            // A price the kernel refuses is charged at the reservation, never $0.
            (Some(c), _) => shared.rt.ledger.settle(h, c).ok(),
            (None, Some(_)) => {
                let amount = h.amount;
                shared.rt.ledger.settle(h, amount).ok()
            }
            (None, None) => {
                shared.rt.ledger.release(h);
                Some(())
            }
        };
    }
    let baseline = cfg.baseline[ctx.class].as_deref();
    let baseline_cost = match (usage, baseline.and_then(|b| shared.rt.catalog.get(b))) {
        (Some((u, _)), Some(b)) => price_at(b, &counterfactual(&u.request, b, model), ctx.ts)
            .ok()
            .map(|b| b.total),
        _ => None,
    };
    let latency = ctx.started.elapsed().as_secs_f64();
    let error = error.map(str::to_string).or(price_error);
    if let Some(log) = &shared.rt.log {
        log.write(&LogLine {
            log: crate::replay::gateway::MARK,
            ts: ctx.ts.to_string(),
            request_id: &ctx.id,
            attempt,
            route: ctx.route,
            outcome,
            status,
            key: ctx.key.as_deref(),
            class: Some(&cfg.classes[ctx.class]),
            rule: Some(&ctx.rule),
            requested_model: Some(&ctx.requested),
            model: Some(&model.id),
            served_model: usage.and_then(|(u, _)| u.served_model.as_deref()),
            stream: ctx.stream,
            usage: usage.map(|(u, _)| UsageOut::from(&u.request)),
            usage_source: usage.map(|(_, s)| s),
            tier: usage.map(|(u, _)| u.request.tier.key()),
            cost_usd: cost.map(usd),
            reserved_usd: reserved.map(usd),
            baseline_model: baseline,
            baseline_cost_usd: baseline_cost.map(usd),
            latency_s: latency,
            ttft_s,
            error: error.as_deref(),
        });
    }
    let (input, output) = usage.map_or((0, 0), |(u, _)| (u.request.input, u.request.generated()));
    shared.metrics.observe(
        (
            ctx.route,
            cfg.classes[ctx.class].clone(),
            model.id.clone(),
            outcome.to_string(),
        ),
        input,
        output,
        cost.unwrap_or(Money::ZERO),
        latency,
    );
    cost
}

/// The same usage on the baseline model: the prompt as its tokenizer would
/// count it (the documented ratio), the same answer length.
fn counterfactual(r: &Request, baseline: &Model, served: &Model) -> Request {
    if baseline.id == served.id {
        return *r;
    }
    let mut out = *r;
    out.tier = ServiceTier::Standard;
    out.cache_write_1h = 0;
    if baseline.provider != served.provider {
        // Another provider's cache is not this one's: the prompt is plain input.
        out.cache_read = 0;
        out.cache_write = 0;
    }
    out
}

/// The reservation for a candidate, or the 429 that refuses it.
pub fn reserve(
    shared: &Shared,
    ctx: &Ctx,
    model: &Model,
    max_tokens: Option<u64>,
) -> Result<Hold, Refusal> {
    let worst = worst_case(
        model,
        ctx.counted_prompt,
        max_tokens,
        ServiceTier::Standard,
        ctx.ts,
    )
    .map_err(|e| Refusal::new(Kind::BadRequest, e.to_string()))?;
    shared
        .rt
        .ledger
        .reserve(ctx.key.as_deref(), worst, ctx.ts)
        .map_err(|e| Refusal::new(Kind::OverBudget, e.to_string()))
}

pub fn header(v: &str) -> HeaderValue {
    HeaderValue::from_str(v).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

pub use relay::Relay;
