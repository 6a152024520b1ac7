//! The state a running gateway shares across requests, and what is known
//! about one request once it is routed. The request path itself lives in
//! `handle` (parse, classify, route), `attempts` (upstream tries, retries,
//! fallbacks), `relay` (streams) and `close` (reserve, price, settle, log).

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;

use axum::http::{HeaderName, HeaderValue};
use jiff::Timestamp;

use super::client::Client;
use super::log::LogSink;
use super::metrics::Metrics;
use super::{Api, Endpoint, Runtime};

/// The running gateway's state, shared by every request.
pub struct Shared {
    pub rt: Runtime,
    pub metrics: Metrics,
    /// The upstream calls' client.
    pub client: Client,
    /// The embeddings API's client, when a learned rule asks for embeddings.
    pub embed_client: Option<reqwest::Client>,
    /// Where shadow pairs go (`[gateway.shadow] pairs_log`).
    pub shadow_log: Option<LogSink>,
    pub(super) seq: AtomicU64,
}

impl Shared {
    pub fn new(rt: Runtime, client: Client, embed_client: Option<reqwest::Client>) -> Shared {
        Shared {
            rt,
            metrics: Metrics::default(),
            client,
            embed_client,
            shadow_log: None,
            seq: AtomicU64::new(0),
        }
    }
}

/// What is known about a request once it is routed.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub id: String,
    /// The client's API (its error format).
    pub api: Api,
    /// The endpoint the client called, and the one called upstream.
    pub endpoint: Endpoint,
    pub upstream: Endpoint,
    pub route: &'static str,
    pub key: Option<String>,
    pub class: usize,
    pub rule: String,
    /// The learned router's score, logged beside the rule.
    pub score: Option<f64>,
    pub requested: String,
    pub stream: bool,
    /// A shadow call runs beside this request.
    pub shadow: bool,
    /// The routing text its pairs carry (`log_text = true`), else `None`.
    pub shadow_text: Option<Arc<str>>,
    /// What a cascade's judge is shown of the request (the system prompt
    /// and the last user message), when the cascade has a judge.
    pub question: Option<Arc<str>>,
    pub counted_prompt: u64,
    pub started: Instant,
    pub ts: Timestamp,
}

/// The `x-cost-*` headers an answer carries, and the provider headers sent
/// upstream, as names made at compile time: a name from a string is
/// checked and looked up among the standard ones on every insert.
pub const X_COST_USD: HeaderName = HeaderName::from_static("x-cost-usd");
pub const X_COST_TOTAL_USD: HeaderName = HeaderName::from_static("x-cost-total-usd");
pub const X_COST_CLASS: HeaderName = HeaderName::from_static("x-cost-class");
pub const X_COST_MODEL: HeaderName = HeaderName::from_static("x-cost-model");
pub const X_COST_REQUEST_ID: HeaderName = HeaderName::from_static("x-cost-request-id");
pub const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");
pub const ANTHROPIC_VERSION: HeaderName = HeaderName::from_static("anthropic-version");
pub const ANTHROPIC_BETA: HeaderName = HeaderName::from_static("anthropic-beta");

/// A header value, or `-` where the text cannot be one.
pub fn header(v: &str) -> HeaderValue {
    HeaderValue::from_str(v).unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// The request path's entry, where callers (the budget tests) find it.
pub use super::handle::handle;
