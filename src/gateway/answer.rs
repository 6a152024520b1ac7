//! An answer on its way to the client: a whole one priced, settled,
//! logged and translated to the client's format, with the `x-cost-*`
//! headers; a stream's headers before its events.

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::budget::Hold;
use super::close::{close_attempt, End};
use super::price::usage_of;
use super::proxy::{
    header, Ctx, Shared, X_COST_CLASS, X_COST_MODEL, X_COST_REQUEST_ID, X_COST_TOTAL_USD,
    X_COST_USD,
};
use super::relay::Relay;
use super::translate::{response, responses_answer};
use super::verify::Reject;
use super::Endpoint;
use crate::money::Money;
use crate::pricing::Model;

/// What a whole answer came to.
pub enum Whole {
    /// The response to return.
    Answer(Response),
    /// A cascade stage's answer its verifier rejected: paid for, not returned.
    Escalate(Option<Money>),
}

/// A whole answer: priced, settled, logged (as `escalated` when a cascade
/// stage's verifier `rejected` it), translated, headers added. `spent` is
/// what the request's earlier attempts cost.
#[allow(clippy::too_many_arguments)]
pub async fn answered(
    shared: &Shared,
    ctx: &Ctx,
    attempt: u32,
    model: &Model,
    hold: Hold,
    status: u16,
    bytes: bytes::Bytes,
    rejected: Option<&Reject>,
    spent: Money,
) -> Whole {
    let usage = usage_of(ctx.upstream.api(), &bytes);
    let reason = rejected.map(ToString::to_string);
    let outcome = match (&rejected, &usage) {
        (Some(_), _) => "escalated",
        (None, Some(_)) => "ok",
        (None, None) => "no_usage",
    };
    let cost = close_attempt(
        shared,
        ctx,
        attempt,
        model,
        Some(hold),
        End {
            usage: usage.as_ref().map(|u| (u, "upstream")),
            outcome,
            status: Some(status),
            ttft_s: None,
            error: reason.as_deref(),
        },
    )
    .written()
    .await;
    if rejected.is_some() {
        return Whole::Escalate(cost);
    }
    let bytes = translate_answer(ctx, bytes);
    let mut resp = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        bytes,
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, header("application/json"));
    add_headers(h, shared, ctx, model);
    if let Some(c) = cost {
        h.insert(X_COST_USD, header(&c.to_string()));
        h.insert(X_COST_TOTAL_USD, header(&(spent + c).to_string()));
    }
    Whole::Answer(resp)
}

/// A whole answer in the client's format (unchanged when it is the upstream's).
fn translate_answer(ctx: &Ctx, bytes: bytes::Bytes) -> bytes::Bytes {
    if ctx.endpoint == ctx.upstream {
        return bytes;
    }
    let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
        return bytes;
    };
    let out = match (ctx.endpoint, ctx.upstream) {
        (Endpoint::Responses, Endpoint::Messages) => {
            responses_answer::message_to_response(&v, ctx.ts.as_second())
        }
        (_, Endpoint::Messages) => response::message_to_chat(&v, ctx.ts.as_second()),
        _ => response::chat_to_message(&v),
    };
    bytes::Bytes::from(serde_json::to_vec(&out).expect("a JSON value serialises"))
}

pub fn add_headers(h: &mut HeaderMap, shared: &Shared, ctx: &Ctx, model: &Model) {
    h.insert(X_COST_CLASS, header(&shared.rt.config.classes[ctx.class]));
    h.insert(X_COST_MODEL, header(&model.id));
    h.insert(X_COST_REQUEST_ID, header(&ctx.id));
}

/// A stream: headers now, the events as they come.
pub fn streamed(ctx: &Ctx, model: &Model, relay: Relay) -> Response {
    let shared = relay.shared();
    let mut resp = Response::new(Body::from_stream(relay.into_stream()));
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, header("text/event-stream"));
    h.insert(CACHE_CONTROL, header("no-cache"));
    add_headers(h, &shared, ctx, model);
    resp
}
