//! Shadow mode: a seeded, sampled share of requests is also sent, in the
//! background, to a shadow model (the class's baseline model, or one named
//! in `[gateway.shadow]`). The shadow answer is never returned to the
//! client; its cost is priced with the same kernel but written apart, to
//! the shadow pairs log, and never reserved from or settled to a budget.
//! Each shadowed request gives two lines there with the same `request_id`:
//! `role: "served"` (the answer the client got) and `role: "shadow"`.
//! Shadow calls are never streamed and never retried.

use std::sync::Arc;
use std::time::Instant;

use axum::http::HeaderMap;
use serde::Serialize;
use serde_json::{value::RawValue, Value};

use super::log::usd;
use super::price::usage_of;
use super::proxy::{Ctx, Shared};
use super::upstream::whole;
use super::Endpoint;
use crate::money::Money;
use crate::pricing::bill::price_at;
use crate::pricing::Model;

/// The value of the `log` field that marks a shadow pairs line.
pub const MARK: &str = "cost-gateway-shadow";

/// Whether request number `n` is shadowed: a splitmix64 hash of the seed
/// and `n` below `share` of the range (reproducible for a seed).
pub fn sampled(seed: u64, n: u64, share: f64) -> bool {
    let mut z = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // The top 53 bits as a uniform number in [0, 1).
    let u = (z >> 11) as f64 / (1u64 << 53) as f64;
    u < share
}

/// One line of the shadow pairs log.
#[derive(Debug, Serialize)]
pub struct PairLine<'a> {
    pub log: &'static str,
    pub ts: String,
    pub request_id: &'a str,
    /// `served` or `shadow`.
    pub role: &'static str,
    pub class: &'a str,
    pub model: &'a str,
    pub outcome: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<Box<RawValue>>,
    pub latency_s: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
    /// The routing text, with `log_text = true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
}

/// The shadow call, in the background: its line is written when it ends.
pub fn spawn(
    shared: Arc<Shared>,
    ctx: &Ctx,
    model: &Model,
    upstream: Endpoint,
    mut body: Value,
    headers: HeaderMap,
) {
    let mut ctx = ctx.clone();
    ctx.upstream = upstream;
    ctx.stream = false;
    if let Some(o) = body.as_object_mut() {
        o.insert("stream".into(), Value::Bool(false));
        o.remove("stream_options");
        o.insert("model".into(), Value::String(model.id.clone()));
    }
    let model_id = model.id.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let Some(model) = shared.rt.catalog.get(&model_id) else {
            return;
        };
        let bytes = bytes::Bytes::from(serde_json::to_vec(&body).expect("a JSON value serialises"));
        let answer = whole(&shared, &ctx, bytes, &headers)
            .await
            .map(|(_, b)| b)
            .map_err(|(_, why)| why);
        let latency = started.elapsed().as_secs_f64();
        match answer {
            Ok(b) => {
                let usage = usage_of(upstream.api(), &b);
                let cost = usage
                    .as_ref()
                    .and_then(|u| price_at(model, &u.request, ctx.ts).ok())
                    .map(|b| b.total);
                let outcome = if usage.is_some() { "ok" } else { "no_usage" };
                write(
                    &shared,
                    &ctx,
                    "shadow",
                    model,
                    outcome,
                    usage.as_ref().map(|u| &u.request),
                    cost,
                    latency,
                    None,
                );
            }
            Err(e) => write(
                &shared,
                &ctx,
                "shadow",
                model,
                "upstream_error",
                None,
                None,
                latency,
                Some(&e),
            ),
        }
    });
}

/// Writes one pairs line (when a pairs log is open).
#[allow(clippy::too_many_arguments)]
pub fn write(
    shared: &Shared,
    ctx: &Ctx,
    role: &'static str,
    model: &Model,
    outcome: &str,
    usage: Option<&crate::pricing::bill::Request>,
    cost: Option<Money>,
    latency_s: f64,
    error: Option<&str>,
) {
    let Some(log) = &shared.shadow_log else {
        return;
    };
    log.write_json(&PairLine {
        log: MARK,
        ts: ctx.ts.to_string(),
        request_id: &ctx.id,
        role,
        class: &shared.rt.config.classes[ctx.class],
        model: &model.id,
        outcome,
        input_tokens: usage.map(|u| u.input),
        output_tokens: usage.map(|u| u.output + u.reasoning),
        cost_usd: cost.map(usd),
        latency_s,
        error,
        text: ctx.shadow_text.as_deref(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_is_seeded_and_near_its_share() {
        let hits = (0..20_000).filter(|n| sampled(42, *n, 0.05)).count();
        assert!((800..1200).contains(&hits), "{hits}");
        let a: Vec<bool> = (0..100).map(|n| sampled(7, n, 0.3)).collect();
        let b: Vec<bool> = (0..100).map(|n| sampled(7, n, 0.3)).collect();
        let c: Vec<bool> = (0..100).map(|n| sampled(8, n, 0.3)).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!((0..100).all(|n| sampled(1, n, 1.0)));
        assert!((0..100).all(|n| !sampled(1, n, 0.0)));
    }
}
