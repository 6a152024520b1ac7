//! One generation request from its bytes to a response in the client's
//! format: authenticate, parse, classify and route, stop at a dry run, or
//! hand the routed request to `attempts`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use jiff::Timestamp;
use serde_json::{json, Value};

use super::auth::authenticate;
use super::classify::{features, Features};
use super::close::refuse;
use super::decide::{decide, dry_run, upstream_for, Decision};
use super::errors::{Kind, Refusal};
use super::proxy::{Ctx, Shared};
use super::responses;
use super::translate::{from_responses, to_chat, to_messages};
use super::{Api, Endpoint};
use crate::pricing::Model;

/// A request to `api`'s chat endpoint (`/v1/chat/completions` or `/v1/messages`).
pub async fn handle(
    shared: Arc<Shared>,
    api: Api,
    headers: HeaderMap,
    body: Bytes,
    route_only: bool,
) -> Response {
    handle_at(shared, Endpoint::of(api), headers, body, route_only).await
}

/// The whole request, to a response in the client's format.
pub async fn handle_at(
    shared: Arc<Shared>,
    endpoint: Endpoint,
    headers: HeaderMap,
    body: Bytes,
    route_only: bool,
) -> Response {
    let started = Instant::now();
    let ts = Timestamp::now();
    let (api, route) = (endpoint.api(), endpoint.path());
    let key = match authenticate(&shared, &headers) {
        Ok(k) => k,
        Err(r) => return refuse(&shared, api, route, None, r, started),
    };
    let json: Value = match parse(&body) {
        Ok(v) => v,
        Err(r) => return refuse(&shared, api, route, key.as_deref(), r, started),
    };
    let header_class = headers.get("x-cost-class").and_then(|v| v.to_str().ok());
    let mut f = if endpoint == Endpoint::Responses {
        features(api, &responses::chat_view(&json), header_class)
    } else {
        features(api, &json, header_class)
    };
    embed(&shared, &mut f).await;
    let decision = match decide(&shared, endpoint, &f) {
        Ok(d) => d,
        Err(r) => return refuse(&shared, api, route, key.as_deref(), r, started),
    };
    let dry = route_only
        || headers
            .get("x-cost-dry-run")
            .is_some_and(|v| v.as_bytes() == b"1");
    if dry {
        return dry_run(&shared, &decision, &f, ts);
    }
    // A chat client that did not ask for the usage chunk gets none.
    let strip_usage = endpoint == Endpoint::Chat
        && f.stream
        && json
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            != Some(true);
    let mut bodies = Vec::new();
    for stage in &decision.stages {
        match translate_request(endpoint, stage.upstream, &json, stage.model) {
            Ok(mut b) => {
                prepare(stage.upstream, &mut b, f.stream);
                bodies.push(b);
            }
            Err(r) => return refuse(&shared, api, route, key.as_deref(), r, started),
        }
    }
    let n = shared.seq.fetch_add(1, Ordering::Relaxed);
    let shadow = shadow_call(&shared, &decision, endpoint, &json, n);
    let ctx = Arc::new(Ctx {
        id: format!("gw-{}-{n}", ts.as_millisecond()),
        api,
        endpoint,
        upstream: decision.stages[0].upstream,
        route,
        key,
        class: decision.class,
        rule: decision.rule.clone(),
        score: decision.score,
        requested: f.model.clone(),
        stream: f.stream,
        shadow: shadow.is_some(),
        shadow_text: shadow_text(&shared, shadow.is_some(), &f),
        question: judged(&shared).then(|| super::learned::routing_text(&f).into()),
        counted_prompt: f.prompt_tokens,
        started,
        ts,
    });
    if let Some((model, upstream, body)) = shadow {
        super::shadow::spawn(shared.clone(), &ctx, model, upstream, body, headers.clone());
    }
    super::attempts::forward(
        shared.clone(),
        ctx,
        &decision,
        bodies,
        &headers,
        f.max_tokens,
        strip_usage,
    )
    .await
}

/// The request in the upstream's format (unchanged when it is the client's).
fn translate_request(
    from: Endpoint,
    to: Endpoint,
    json: &Value,
    model: &Model,
) -> Result<Value, Refusal> {
    let translated = match (from, to) {
        (Endpoint::Chat, Endpoint::Messages) => {
            to_messages::chat_to_messages(json, model.max_output)
        }
        (Endpoint::Messages, Endpoint::Chat) => to_chat::messages_to_chat(json),
        (Endpoint::Responses, Endpoint::Messages) => {
            from_responses::responses_to_messages(json, model.max_output)
        }
        _ => return Ok(json.clone()),
    };
    translated.map_err(|e| {
        Refusal::new(
            Kind::BadRequest,
            format!(
                "{e} (the request goes to `{}` through {}; call that endpoint directly to use it)",
                model.id,
                to.path()
            ),
        )
    })
}

/// The shadow call for request number `n`, when it is sampled: the shadow
/// model (the class's baseline unless one is configured), its endpoint and
/// the request in that endpoint's format. None when the shadow model is
/// the routed one, or the request cannot reach it.
fn shadow_call<'a>(
    shared: &'a Shared,
    decision: &Decision<'a>,
    endpoint: Endpoint,
    json: &Value,
    n: u64,
) -> Option<(&'a Model, Endpoint, Value)> {
    let cfg = &shared.rt.config;
    let spec = cfg.shadow.as_ref()?;
    if !super::shadow::sampled(spec.seed, n, spec.share) {
        return None;
    }
    let id = spec
        .model
        .as_deref()
        .or(cfg.baseline[decision.class].as_deref())?;
    let model = shared.rt.catalog.get(id)?;
    if model.id == decision.model().id {
        return None;
    }
    let upstream = upstream_for(endpoint, model).ok()?;
    let body = translate_request(endpoint, upstream, json, model).ok()?;
    Some((model, upstream, body))
}

/// Asks the embeddings endpoint for the routing text's embedding when a
/// learned rule needs one (and no header already names the class). A
/// failure is kept for the rule, which then does not match and says why.
async fn embed(shared: &Shared, f: &mut Features) {
    let (Some(e), Some(client)) = (shared.rt.classifier.embedding(), &shared.embed_client) else {
        return;
    };
    if f.header_class.is_some() {
        return;
    }
    let text = super::learned::routing_text(f);
    let got = crate::embed::fetch(
        client,
        &e.spec,
        e.key.as_deref(),
        &[&text],
        shared.rt.config.timeout,
    )
    .await;
    f.embedding = Some(match got {
        Ok(mut v) => v
            .pop()
            .ok_or_else(|| "no embedding in the answer".to_string()),
        Err(e) => Err(format!("the embedding could not be had: {e}")),
    });
}

/// Whether the plan is a cascade whose answers a judge grades.
fn judged(shared: &Shared) -> bool {
    let cascade = shared.rt.config.cascade.as_ref();
    cascade.is_some_and(|c| c.checks.judge.is_some())
}

/// The text a shadowed request's pairs carry when the config asks for it:
/// what a learned router scores, so `cost router train` learns from it.
fn shadow_text(shared: &Shared, shadowed: bool, f: &Features) -> Option<Arc<str>> {
    let log_text = shared.rt.config.shadow.as_ref().is_some_and(|s| s.log_text);
    (shadowed && log_text).then(|| super::learned::routing_text(f).into())
}

/// The body as a JSON object, or the refusal that names what is wrong.
fn parse(body: &[u8]) -> Result<Value, Refusal> {
    match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Refusal::new(
            Kind::BadRequest,
            "the request body must be a JSON object",
        )),
        Err(e) => Err(Refusal::new(
            Kind::BadRequest,
            format!("the request body is not valid JSON: {e}"),
        )),
    }
}

/// Asks an upstream chat stream for its usage chunk (the relay removes
/// it again when the client did not ask for it).
fn prepare(upstream: Endpoint, json: &mut Value, stream: bool) {
    if upstream != Endpoint::Chat || !stream {
        return;
    }
    let opts = json
        .as_object_mut()
        .expect("checked object")
        .entry("stream_options")
        .or_insert_with(|| json!({}));
    if let Some(o) = opts.as_object_mut() {
        o.insert("include_usage".into(), Value::Bool(true));
    }
}
