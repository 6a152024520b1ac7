//! The upstream attempts of one request. A request has one stage (the
//! routed model) or, on a cascade plan, several: a stage's answer that its
//! verifier rejects (the cheap checks, then a judge model if there is one,
//! whose call is an attempt of its own) is paid for and logged (`outcome:
//! "escalated"`), and the next stage is asked; the last stage's answer is
//! returned as it is.
//! Within a stage each candidate model in turn (the stage's model, then
//! its fallbacks) is tried up to `retries + 1` times with a doubling
//! backoff on what another try may fix (transport errors, timeouts, 429,
//! 5xx). A client error from upstream (other 4xx) is passed back as the
//! provider wrote it. A stream falls back only before its first byte; once
//! it flows, the relay owns it (cascades are never streamed).

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use super::answer::{answered, streamed, Whole};
use super::budget::Hold;
use super::client;
use super::close::{close_attempt, refuse, reserve, End};
use super::decide::{Decision, Stage};
use super::errors::{Kind, Refusal};
use super::judge;
use super::proxy::{Ctx, Shared};
use super::relay::Relay;
use super::upstream::{send, Failed};
use super::verify::{answer_text, verdict, Checks, Reject};
use crate::money::Money;
use crate::pricing::Model;

/// How a stage ended, short of an answer to return.
enum StageEnd {
    /// Every candidate failed: the last failure.
    Failed(Refusal),
    /// The verifier passed the answer on.
    Escalated,
}

/// The request's stages in turn; `bodies` holds each stage's request in
/// its upstream's format.
pub async fn forward(
    shared: Arc<Shared>,
    ctx: Arc<Ctx>,
    decision: &Decision<'_>,
    bodies: Vec<Value>,
    headers: &HeaderMap,
    max_tokens: Option<u64>,
    strip_usage: bool,
) -> Response {
    let checks = shared.rt.config.cascade.as_ref().map(|c| &c.checks);
    let mut run = Run {
        shared: &shared,
        headers,
        max_tokens,
        strip_usage,
        attempt: 0,
        spent: Money::ZERO,
    };
    let last_stage = decision.stages.len() - 1;
    let mut last = Refusal::new(Kind::Upstream, "no upstream attempt was made");
    for (s, (stage, body)) in decision.stages.iter().zip(bodies).enumerate() {
        let mut stage_ctx = (*ctx).clone();
        stage_ctx.upstream = stage.upstream;
        let stage_ctx = Arc::new(stage_ctx);
        let verify = checks.filter(|_| s < last_stage);
        match run.stage(&stage_ctx, stage, body, verify).await {
            Ok(resp) => return resp,
            Err(StageEnd::Escalated) => {}
            Err(StageEnd::Failed(r)) => {
                last = r;
                if !(s < last_stage && checks.is_some_and(|c| c.error)) {
                    break;
                }
            }
        }
    }
    last.message = format!("{} (after {} attempts)", last.message, run.attempt);
    last.into_response(ctx.api)
}

/// A request's attempts so far.
struct Run<'a> {
    shared: &'a Arc<Shared>,
    headers: &'a HeaderMap,
    max_tokens: Option<u64>,
    strip_usage: bool,
    attempt: u32,
    /// What the attempts so far cost.
    spent: Money,
}

impl Run<'_> {
    /// One stage: its candidates, each with its retries.
    async fn stage(
        &mut self,
        ctx: &Arc<Ctx>,
        stage: &Stage<'_>,
        mut json: Value,
        verify: Option<&Checks>,
    ) -> Result<Response, StageEnd> {
        let cfg = &self.shared.rt.config;
        let mut last = Refusal::new(Kind::Upstream, "no upstream attempt was made");
        for (i, model) in stage.candidates.iter().enumerate() {
            let name = if i == 0 {
                stage.upstream_name.clone()
            } else {
                model.id.clone()
            };
            json["model"] = Value::String(name);
            let body =
                bytes::Bytes::from(serde_json::to_vec(&json).expect("a JSON value serialises"));
            for retry in 0..=cfg.retries {
                if retry > 0 {
                    tokio::time::sleep(cfg.backoff * 2u32.saturating_pow(retry - 1)).await;
                }
                let hold = match reserve(self.shared, ctx, model, self.max_tokens).await {
                    Ok(h) => h,
                    Err(r) => {
                        let (api, route, key) = (ctx.api, ctx.route, ctx.key.as_deref());
                        return Ok(refuse(self.shared, api, route, key, r, ctx.started));
                    }
                };
                self.attempt += 1;
                match self.try_once(ctx, model, hold, body.clone(), verify).await {
                    Ok(resp) => return Ok(resp),
                    Err(TryEnd::Retry(r)) => last = r,
                    Err(TryEnd::Escalated(cost)) => {
                        self.spent += cost.unwrap_or(Money::ZERO);
                        return Err(StageEnd::Escalated);
                    }
                }
            }
        }
        Err(StageEnd::Failed(last))
    }

    /// A stage's answer checked: the cheap checks, then the judge (an
    /// attempt of its own, paid for) if the cascade has one.
    async fn verdict(&mut self, ctx: &Ctx, checks: &Checks, bytes: &[u8]) -> Option<Reject> {
        let body = serde_json::from_slice::<Value>(bytes).unwrap_or(Value::Null);
        if let Err(r) = verdict(checks, ctx.upstream, &body) {
            return Some(r);
        }
        let spec = checks.judge.as_ref()?;
        let answer = answer_text(ctx.upstream, &body);
        let question = ctx.question.as_deref().unwrap_or_default();
        // The stage's own attempt is numbered first; the judge's follows it.
        self.attempt += 1;
        let (judged, cost) =
            judge::ask(self.shared, ctx, self.attempt, spec, question, &answer).await;
        self.spent += cost.unwrap_or(Money::ZERO);
        judged.err()
    }

    /// One upstream try; the attempt is closed (its hold settled or
    /// released) whatever happens.
    async fn try_once(
        &mut self,
        ctx: &Arc<Ctx>,
        model: &Model,
        hold: Hold,
        body: bytes::Bytes,
        verify: Option<&Checks>,
    ) -> Result<Response, TryEnd> {
        let shared = self.shared;
        let timeout = shared.rt.config.timeout;
        let attempt = self.attempt;
        let (outcome, status, message) = match send(shared, ctx, body, self.headers).await {
            Ok(resp) if ctx.stream => {
                let relay = Relay::new(
                    shared.clone(),
                    ctx.clone(),
                    self.attempt,
                    model.id.clone(),
                    hold,
                    self.strip_usage,
                    client::chunks(resp),
                );
                return Ok(streamed(ctx, model, relay));
            }
            Ok(resp) => {
                let status = resp.status().as_u16();
                match tokio::time::timeout(timeout, client::whole(resp)).await {
                    Ok(Ok(bytes)) => {
                        let rejected = match verify {
                            Some(c) => self.verdict(ctx, c, &bytes).await,
                            None => None,
                        };
                        let whole = answered(
                            shared,
                            ctx,
                            attempt,
                            model,
                            hold,
                            status,
                            bytes,
                            rejected.as_ref(),
                            self.spent,
                        )
                        .await;
                        return match whole {
                            Whole::Answer(resp) => Ok(resp),
                            Whole::Escalate(cost) => Err(TryEnd::Escalated(cost)),
                        };
                    }
                    Ok(Err(e)) => (
                        "upstream_error",
                        Some(status),
                        format!("failed while answering: {e}"),
                    ),
                    Err(_) => (
                        "timeout",
                        Some(status),
                        format!("stalled for more than {timeout:?} while answering"),
                    ),
                }
            }
            Err(Failed::Retry(outcome, status, message)) => {
                (outcome, status, format!("failed: {message}"))
            }
            Err(Failed::Rejected(resp)) => {
                let status = Some(resp.status().as_u16());
                let end = End::failed("upstream_rejected", status, None);
                close_attempt(shared, ctx, attempt, model, Some(hold), end)
                    .written()
                    .await;
                return Ok(resp);
            }
        };
        let end = End::failed(outcome, status, Some(&message));
        close_attempt(shared, ctx, attempt, model, Some(hold), end)
            .written()
            .await;
        let kind = if outcome == "timeout" {
            Kind::Timeout
        } else {
            Kind::Upstream
        };
        Err(TryEnd::Retry(Refusal::new(
            kind,
            format!("`{}` {message}", model.id),
        )))
    }
}

/// How one try ended, short of a response.
enum TryEnd {
    /// Worth another try (or the next candidate).
    Retry(Refusal),
    /// Answered, paid, and passed on by the verifier.
    Escalated(Option<Money>),
}
