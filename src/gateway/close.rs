//! The ends of a request's money: the reservation made before an attempt,
//! and the attempt's close (price the usage with the billing kernel,
//! settle or release the hold, write the log line and the metrics, with
//! the baseline plan's counterfactual cost for the same usage). A request
//! refused before any attempt is logged and counted here too.

use std::time::Instant;

use axum::response::Response;
use jiff::Timestamp;

use super::budget::{After, Commit, Hold, Refused};
use super::errors::{Kind, Refusal};
use super::log::{usd, LogLine, UsageOut};
use super::price::{worst_case, Usage};
use super::proxy::{Ctx, Shared};
use super::Api;
use crate::money::Money;
use crate::pricing::bill::{price_at, Request};
use crate::pricing::{Model, ServiceTier};

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub struct End<'a> {
    /// The usage to price and where it came from (`upstream`, `estimated`).
    pub usage: Option<(&'a Usage, &'static str)>,
    pub outcome: &'a str,
    pub status: Option<u16>,
    pub ttft_s: Option<f64>,
    pub error: Option<&'a str>,
}

impl<'a> End<'a> {
    /// An attempt that produced nothing to bill.
    pub fn failed(outcome: &'a str, status: Option<u16>, error: Option<&'a str>) -> End<'a> {
        End {
            usage: None,
            outcome,
            status,
            ttft_s: None,
            error,
        }
    }
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
            router_score: None,
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

/// An attempt closed: its exact cost, and the ledger write that records
/// it (the log line is written once that is done).
#[must_use = "await `written` before telling anyone the cost"]
pub struct Closed {
    pub cost: Option<Money>,
    commit: Commit,
}

impl Closed {
    /// The cost, once the ledger holds it and the log line is written.
    pub async fn written(self) -> Option<Money> {
        // A failed write keeps the hold, counted at its worst case on the
        // next start; the answer is not withheld for it.
        let _ = self.commit.wait().await;
        self.cost
    }
}

/// One attempt's end: price the usage (if any), settle or release the
/// hold with the log line to write once that is committed, count the
/// metrics.
pub fn close_attempt(
    shared: &Shared,
    ctx: &Ctx,
    attempt: u32,
    model: &Model,
    hold: Option<Hold>,
    end: End<'_>,
) -> Closed {
    let cfg = &shared.rt.config;
    let usage = end.usage;
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
    let baseline = cfg.baseline[ctx.class].as_deref();
    let baseline_cost = match (usage, baseline.and_then(|b| shared.rt.catalog.get(b))) {
        (Some((u, _)), Some(b)) => price_at(b, &counterfactual(&u.request, b, model), ctx.ts)
            .ok()
            .map(|b| b.total),
        _ => None,
    };
    let latency = ctx.started.elapsed().as_secs_f64();
    let error = end.error.map(str::to_string).or(price_error.clone());
    let line = shared.rt.log.as_ref().and_then(|log| {
        let text = super::log::encode(&LogLine {
            log: crate::replay::gateway::MARK,
            ts: ctx.ts.to_string(),
            request_id: &ctx.id,
            attempt,
            route: ctx.route,
            outcome: end.outcome,
            status: end.status,
            key: ctx.key.as_deref(),
            class: Some(&cfg.classes[ctx.class]),
            rule: Some(&ctx.rule),
            router_score: ctx.score,
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
            ttft_s: end.ttft_s,
            error: error.as_deref(),
        })?;
        Some((log.clone(), text))
    });
    let then: After = line.map(|(log, text)| -> Box<dyn FnOnce() + Send> {
        Box::new(move || log.write_encoded(text))
    });
    let commit = match (hold, cost, &price_error) {
        // A price the kernel refuses is charged at the reservation, never $0.
        (Some(h), Some(c), _) => shared.rt.ledger.settle(h, c, then),
        (Some(h), None, Some(_)) => {
            let amount = h.amount;
            shared.rt.ledger.settle(h, amount, then)
        }
        (Some(h), None, None) => shared.rt.ledger.release(h, then),
        (None, ..) => {
            if let Some(then) = then {
                then();
            }
            Commit::done(Ok(()))
        }
    };
    if ctx.shadow && end.outcome == "ok" {
        let request = usage.map(|(u, _)| &u.request);
        super::shadow::write(
            shared, ctx, "served", model, "ok", request, cost, latency, None,
        );
    }
    let (input, output) = usage.map_or((0, 0), |(u, _)| (u.request.input, u.request.generated()));
    shared.metrics.observe(
        (
            ctx.route,
            cfg.classes[ctx.class].clone(),
            model.id.clone(),
            end.outcome.to_string(),
        ),
        input,
        output,
        cost.unwrap_or(Money::ZERO),
        latency,
    );
    Closed { cost, commit }
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

/// The reservation for a candidate, once the ledger holds it, or the 429
/// that refuses it.
pub async fn reserve(
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
    let refused = |e: Refused| Refusal::new(Kind::OverBudget, e.to_string());
    let (hold, commit) = shared
        .rt
        .ledger
        .reserve(ctx.key.as_deref(), worst, ctx.ts)
        .map_err(refused)?;
    commit.wait().await.map_err(refused)?;
    Ok(hold)
}
