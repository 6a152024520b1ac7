//! One HTTP call to a provider: the upstream URL, the provider's key and
//! headers, the timeout to the response headers, and what a failed status
//! means (worth another try, or the provider's refusal to pass on, in the
//! client's format when the request was translated).

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::client::{self, Answer};
use super::errors::{Kind, Refusal};
use super::proxy::{header, Ctx, Shared, ANTHROPIC_BETA, ANTHROPIC_VERSION, X_API_KEY};
use super::{Api, Endpoint};

/// What one try came to, short of an answer.
pub enum Failed {
    /// Worth another try: (outcome, status, message).
    Retry(&'static str, Option<u16>, String),
    /// The provider refused the request itself: pass its answer on.
    Rejected(Response),
}

/// A call the gateway makes on its own account (a shadow call, a judge),
/// never retried: the status and whole body, or the status (if any) and
/// why there is none.
pub async fn whole(
    shared: &Shared,
    ctx: &Ctx,
    body: bytes::Bytes,
    headers: &HeaderMap,
) -> Result<(u16, bytes::Bytes), (Option<u16>, String)> {
    let resp = match send(shared, ctx, body, headers).await {
        Ok(r) => r,
        Err(Failed::Retry(_, status, message)) => return Err((status, message)),
        Err(Failed::Rejected(r)) => {
            let status = r.status().as_u16();
            return Err((Some(status), format!("the provider refused it ({status})")));
        }
    };
    let status = resp.status().as_u16();
    let timeout = shared.rt.config.timeout;
    match tokio::time::timeout(timeout, client::whole(resp)).await {
        Ok(Ok(b)) => Ok((status, b)),
        Ok(Err(e)) => Err((Some(status), format!("failed while answering: {e}"))),
        Err(_) => Err((
            Some(status),
            format!("stalled for more than {timeout:?} while answering"),
        )),
    }
}

/// Sends one try; a successful status returns the response before its body.
pub async fn send(
    shared: &Shared,
    ctx: &Ctx,
    body: bytes::Bytes,
    headers: &HeaderMap,
) -> Result<Answer, Failed> {
    let api = ctx.upstream.api();
    let upstream = shared.rt.upstreams.get(&api).ok_or_else(|| {
        Failed::Retry(
            "no_upstream",
            None,
            format!(
                "no upstream is configured for the {} API (--upstream {}=URL)",
                api.key(),
                api.key()
            ),
        )
    })?;
    let headers = provider_headers(api, upstream.key.as_deref(), ctx, headers);
    let cfg = &shared.rt.config;
    let call = shared
        .client
        .post(upstream.url(ctx.upstream), headers, body);
    let resp = match tokio::time::timeout(cfg.timeout, call).await {
        Err(_) => {
            return Err(Failed::Retry(
                "timeout",
                None,
                format!("no answer within {:?}", cfg.timeout),
            ))
        }
        Ok(Err(e)) => return Err(Failed::Retry("upstream_unreachable", None, e.to_string())),
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
    let content_type = resp.headers().get(CONTENT_TYPE).cloned();
    let bytes = tokio::time::timeout(cfg.timeout, client::whole(resp))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    if ctx.endpoint.api() != api {
        // The provider's error, reworded in the client's format.
        let message = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| {
                v.pointer("/error/message")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| format!("the provider answered {status}"));
        let kind = match code {
            401 | 403 => Kind::Unauthorized,
            404 => Kind::NotFound,
            413 => Kind::TooLarge,
            _ => Kind::BadRequest,
        };
        let r = Refusal::new(
            kind,
            format!(
                "the {} API refused the translated request: {message}",
                api.key()
            ),
        );
        return Err(Failed::Rejected(r.into_response(ctx.api)));
    }
    let mut out = (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY),
        bytes,
    )
        .into_response();
    if let Some(ct) = content_type {
        out.headers_mut().insert(CONTENT_TYPE, ct);
    }
    Err(Failed::Rejected(out))
}

/// The headers sent upstream: the body's type, the provider's key and
/// its API headers (Anthropic's version and betas).
fn provider_headers(api: Api, key: Option<&str>, ctx: &Ctx, headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(4);
    out.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    match api {
        Api::OpenAi => {
            if let Some(k) = key {
                out.insert(AUTHORIZATION, secret(&format!("Bearer {k}")));
            }
        }
        Api::Anthropic => {
            if let Some(k) = key {
                out.insert(X_API_KEY, secret(k));
            }
            // A translated request speaks the version the translation targets.
            let version = headers
                .get(ANTHROPIC_VERSION)
                .filter(|_| ctx.endpoint == Endpoint::Messages)
                .cloned()
                .unwrap_or_else(|| header("2023-06-01"));
            out.insert(ANTHROPIC_VERSION, version);
            if let Some(beta) = headers.get(ANTHROPIC_BETA) {
                out.insert(ANTHROPIC_BETA, beta.clone());
            }
        }
    }
    out
}

/// A key as a header value, marked sensitive (kept out of debug output).
/// A key that cannot be a header value is sent as `-`, which the provider
/// refuses as it would a wrong key.
fn secret(v: &str) -> HeaderValue {
    let mut h = header(v);
    h.set_sensitive(true);
    h
}
