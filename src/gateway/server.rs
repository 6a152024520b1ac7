//! The HTTP surface: axum routes for the OpenAI (chat completions,
//! responses) and Anthropic (messages) endpoints,
//! `/v1/models`, `/v1/route`, `/healthz` and `/metrics`, the body-size
//! limit (refused in the client's format), and a server that stops when
//! told to (or when dropped).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::auth::authenticate;
use super::errors::{Kind, Refusal};
use super::proxy::Shared;
use super::{Api, Endpoint, Runtime};

type AppState = Arc<Shared>;

/// A gateway serving on `addr` until `stop` (or until dropped).
pub struct Running {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(mut self) -> io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(t) => t.await.map_err(io::Error::other),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Binds `listen` and serves in the background.
pub async fn serve(rt: Runtime, listen: SocketAddr) -> io::Result<Running> {
    let limit = rt.config.max_body_bytes;
    // The embeddings API is called through `crate::embed`'s client, made
    // only when a learned rule needs it.
    let embed_client = match rt.classifier.embedding() {
        Some(_) => Some(crate::net::client().map_err(io::Error::other)?),
        None => None,
    };
    let mut shared = Shared::new(rt, super::client::Client::new()?, embed_client);
    if let Some(spec) = &shared.rt.config.shadow {
        shared.shadow_log = Some(super::log::LogSink::open(&spec.pairs_log)?);
    }
    let shared = Arc::new(shared);
    let app = Router::new()
        .route("/v1/chat/completions", post(openai))
        .route("/v1/responses", post(responses))
        .route("/v1/messages", post(anthropic))
        .route("/v1/route", post(route_only))
        .route("/v1/models", get(models))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(super::listen::serve(listener, app, rx));
    Ok(Running {
        addr,
        shared,
        shutdown: Some(tx),
        task: Some(task),
    })
}

fn body_or_refusal(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Refusal> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Refusal::new(Kind::TooLarge, "the request body is larger than this gateway accepts (max_body_bytes in [gateway])")
        } else {
            Refusal::new(Kind::BadRequest, format!("cannot read the request body: {e}"))
        }
    })
}

async fn generate(
    s: AppState,
    endpoint: Endpoint,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    route_only: bool,
) -> Response {
    match body_or_refusal(body) {
        // Boxed, so the layers of axum and tower above move a pointer, not
        // the whole request's state (memcpy was 12% of the instructions).
        Ok(b) => {
            Box::pin(super::tag::handle_tagged(
                s, endpoint, headers, b, route_only,
            ))
            .await
        }
        Err(r) => super::close::refuse(
            &s,
            endpoint.api(),
            endpoint.path(),
            None,
            r,
            std::time::Instant::now(),
        ),
    }
}

async fn openai(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    generate(s, Endpoint::Chat, headers, body, false).await
}

async fn responses(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    generate(s, Endpoint::Responses, headers, body, false).await
}

async fn anthropic(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    generate(s, Endpoint::Messages, headers, body, false).await
}

/// `POST /v1/route`: the decision without the call. The body is in the
/// Anthropic format when the request carries `anthropic-version`.
async fn route_only(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let endpoint = if headers.contains_key("anthropic-version") {
        Endpoint::Messages
    } else {
        Endpoint::Chat
    };
    generate(s, endpoint, headers, body, true).await
}

/// The plan's virtual model names, in a shape both SDKs' `models.list` read.
async fn models(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let api = if headers.contains_key("anthropic-version") {
        Api::Anthropic
    } else {
        Api::OpenAi
    };
    if let Err(r) = authenticate(&s, &headers) {
        return r.into_response(api);
    }
    let data: Vec<_> = s
        .rt
        .config
        .virtual_models()
        .into_iter()
        .map(|id| json!({"id": id, "object": "model", "type": "model", "display_name": id, "created": 0, "created_at": "1970-01-01T00:00:00Z", "owned_by": "cost-gateway"}))
        .collect();
    let first = data.first().and_then(|d| d.get("id")).cloned();
    let last = data.last().and_then(|d| d.get("id")).cloned();
    axum::Json(json!({"object": "list", "data": data, "has_more": false, "first_id": first, "last_id": last})).into_response()
}

async fn metrics(State(s): State<AppState>) -> Response {
    let mut text = s.metrics.render();
    if let Some(c) = s.rt.ledger.commits() {
        text.push_str(&super::metrics::render_commits(&c));
    }
    if let Some(log) = &s.rt.log {
        text.push_str(&super::metrics::render_log_failures(log.failed().0));
    }
    if let Some(pairs) = &s.shadow_log {
        text.push_str(&super::metrics::render_shadow_log_failures(
            pairs.failed().0,
        ));
    }
    ([("content-type", "text/plain; version=0.0.4")], text).into_response()
}
