//! The upstream attempts of one request: each candidate model in turn (the
//! routed one, then its fallbacks), each tried up to `retries + 1` times
//! with a doubling backoff on what another try may fix (transport errors,
//! timeouts, 429, 5xx). A client error from upstream (other 4xx) is passed
//! back as the provider wrote it. A stream falls back only before its first
//! byte; once it flows, the relay owns it.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::errors::{Kind, Refusal};
use super::price::usage_of;
use super::proxy::{close_attempt, header, refuse, reserve, Ctx, Decision, Shared};
use super::relay::Relay;
use super::Api;
use crate::pricing::Model;

/// What one try came to, short of an answer.
enum Failed {
    /// Worth another try: (outcome, status, message).
    Retry(&'static str, Option<u16>, String),
    /// The provider refused the request itself: pass its answer on.
    Rejected(Response),
}

// One loop over candidates and tries reads better whole than split.
#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
pub async fn forward(
    shared: Arc<Shared>,
    ctx: Arc<Ctx>,
    decision: &Decision<'_>,
    mut json: Value,
    headers: &HeaderMap,
    max_tokens: Option<u64>,
    strip_usage: bool,
) -> Response {
    let cfg = &shared.rt.config;
    let mut attempt = 0u32;
    let mut last = Refusal::new(Kind::Upstream, "no upstream attempt was made");
    for (i, model) in decision.candidates.iter().enumerate() {
        let name = if i == 0 {
            decision.upstream_name.clone()
        } else {
            model.id.clone()
        };
        json["model"] = Value::String(name);
        let body = bytes::Bytes::from(serde_json::to_vec(&json).expect("a JSON value serialises"));
        for retry in 0..=cfg.retries {
            if retry > 0 {
                tokio::time::sleep(cfg.backoff * 2u32.saturating_pow(retry - 1)).await;
            }
            let hold = match reserve(&shared, &ctx, model, max_tokens) {
                Ok(h) => h,
                Err(r) => {
                    return refuse(
                        &shared,
                        ctx.api,
                        ctx.route,
                        ctx.key.as_deref(),
                        r,
                        ctx.started,
                    )
                }
            };
            attempt += 1;
            match send(&shared, &ctx, body.clone(), headers).await {
                Ok(resp) if ctx.stream => {
                    let relay = Relay::new(
                        shared.clone(),
                        ctx.clone(),
                        attempt,
                        model.id.clone(),
                        hold,
                        strip_usage,
                        resp.bytes_stream(),
                    );
                    return streamed(&ctx, model, relay);
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    match tokio::time::timeout(cfg.timeout, resp.bytes()).await {
                        Ok(Ok(bytes)) => {
                            return answered(&shared, &ctx, attempt, model, hold, status, bytes)
                        }
                        Ok(Err(e)) => {
                            close_attempt(
                                &shared,
                                &ctx,
                                attempt,
                                model,
                                Some(hold),
                                None,
                                "upstream_error",
                                Some(status),
                                None,
                                Some(&e.to_string()),
                            );
                            last = Refusal::new(
                                Kind::Upstream,
                                format!("`{}` failed while answering: {e}", model.id),
                            );
                        }
                        Err(_) => {
                            close_attempt(
                                &shared,
                                &ctx,
                                attempt,
                                model,
                                Some(hold),
                                None,
                                "timeout",
                                Some(status),
                                None,
                                Some("the answer stalled"),
                            );
                            last = Refusal::new(
                                Kind::Timeout,
                                format!(
                                    "`{}` stalled for more than {:?} while answering",
                                    model.id, cfg.timeout
                                ),
                            );
                        }
                    }
                }
                Err(Failed::Retry(outcome, status, message)) => {
                    close_attempt(
                        &shared,
                        &ctx,
                        attempt,
                        model,
                        Some(hold),
                        None,
                        outcome,
                        status,
                        None,
                        Some(&message),
                    );
                    let kind = if outcome == "timeout" {
                        Kind::Timeout
                    } else {
                        Kind::Upstream
                    };
                    last = Refusal::new(kind, format!("`{}` failed: {message}", model.id));
                }
                Err(Failed::Rejected(resp)) => {
                    let status = resp.status().as_u16();
                    close_attempt(
                        &shared,
                        &ctx,
                        attempt,
                        model,
                        Some(hold),
                        None,
                        "upstream_rejected",
                        Some(status),
                        None,
                        None,
                    );
                    return resp;
                }
            }
        }
    }
    last.message = format!("{} (after {attempt} attempts)", last.message);
    last.into_response(ctx.api)
}

/// Sends one try; a successful status returns the response before its body.
async fn send(
    shared: &Shared,
    ctx: &Ctx,
    body: bytes::Bytes,
    headers: &HeaderMap,
) -> Result<reqwest::Response, Failed> {
    let upstream = shared.rt.upstreams.get(&ctx.api).ok_or_else(|| {
        Failed::Retry(
            "no_upstream",
            None,
            format!(
                "no upstream is configured for the {} API (--upstream {}=URL)",
                ctx.api.key(),
                ctx.api.key()
            ),
        )
    })?;
    let url = format!("{}{}", upstream.base, ctx.api.path());
    let mut req = shared
        .client
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    match ctx.api {
        Api::OpenAi => {
            if let Some(k) = &upstream.key {
                req = req.bearer_auth(k);
            }
        }
        Api::Anthropic => {
            if let Some(k) = &upstream.key {
                req = req.header("x-api-key", k);
            }
            let version = headers
                .get("anthropic-version")
                .cloned()
                .unwrap_or_else(|| header("2023-06-01"));
            req = req.header("anthropic-version", version);
            if let Some(beta) = headers.get("anthropic-beta") {
                req = req.header("anthropic-beta", beta.clone());
            }
        }
    }
    let cfg = &shared.rt.config;
    let resp = match tokio::time::timeout(cfg.timeout, req.send()).await {
        Err(_) => {
            return Err(Failed::Retry(
                "timeout",
                None,
                format!("no answer within {:?}", cfg.timeout),
            ))
        }
        Ok(Err(e)) => return Err(Failed::Retry("upstream_unreachable", None, without_url(e))),
        Ok(Ok(r)) => r,
    };
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let code = status.as_u16();
    if code == 429 || status.is_server_error() {
        return Err(Failed::Retry(
            "upstream_error",
            Some(code),
            format!("the provider answered {status}"),
        ));
    }
    let content_type = resp.headers().get("content-type").cloned();
    let bytes = tokio::time::timeout(cfg.timeout, resp.bytes())
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let mut out = (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY),
        bytes,
    )
        .into_response();
    if let Some(ct) = content_type {
        out.headers_mut().insert("content-type", ct);
    }
    Err(Failed::Rejected(out))
}

/// A transport error without the URL (which may carry credentials).
fn without_url(e: reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "cannot connect"
    } else if e.is_timeout() {
        "timed out"
    } else {
        "transport error"
    };
    format!("{kind}: {}", e.without_url())
}

/// A whole answer: priced, settled, logged, headers added.
fn answered(
    shared: &Shared,
    ctx: &Ctx,
    attempt: u32,
    model: &Model,
    hold: super::budget::Hold,
    status: u16,
    bytes: bytes::Bytes,
) -> Response {
    let usage = usage_of(ctx.api, &bytes);
    let outcome = if usage.is_some() { "ok" } else { "no_usage" };
    let cost = close_attempt(
        shared,
        ctx,
        attempt,
        model,
        Some(hold),
        usage.as_ref().map(|u| (u, "upstream")),
        outcome,
        Some(status),
        None,
        None,
    );
    let mut resp = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        bytes,
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert("content-type", header("application/json"));
    add_headers(h, shared, ctx, model);
    if let Some(c) = cost {
        h.insert("x-cost-usd", header(&c.to_string()));
    }
    resp
}

fn add_headers(h: &mut HeaderMap, shared: &Shared, ctx: &Ctx, model: &Model) {
    h.insert("x-cost-class", header(&shared.rt.config.classes[ctx.class]));
    h.insert("x-cost-model", header(&model.id));
    h.insert("x-cost-request-id", header(&ctx.id));
}

/// A stream: headers now, the events as they come.
fn streamed(ctx: &Ctx, model: &Model, relay: Relay) -> Response {
    let shared = relay.shared();
    let mut resp = Response::new(Body::from_stream(relay.into_stream()));
    let h = resp.headers_mut();
    h.insert("content-type", header("text/event-stream"));
    h.insert("cache-control", header("no-cache"));
    add_headers(h, &shared, ctx, model);
    resp
}
