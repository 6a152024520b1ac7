//! `cost gateway`: the live API router. It owns the sockets, the async
//! runtime's tasks, the request log and the spend ledger; everything it
//! decides comes from the synchronous, pure layers below it (classification
//! rules, the scenario's plan, the billing kernel, the same usage parsers
//! `cost replay` reads). Layout:
//!
//! - `file`, `config`: the `[gateway]` table, validated with located errors;
//! - `classify`: the rules (and the `Classifier` seam for a learned router);
//! - `price`: exact cost from usage, and the worst case a budget reserves;
//! - `budget`, `ledger`: the reservation rule and the SQLite ledger;
//!   `tag`: the user tag a request is billed to;
//! - `server`: the axum router, authentication, limits, errors;
//! - `proxy`: one request through classification, budget, upstream attempts
//!   with retries and fallbacks; `relay`: streamed answers passed through
//!   event by event; `sse`: the event splitter;
//! - `log`, `metrics`: the JSONL request log and Prometheus counters.

pub mod attempts;
pub mod budget;
pub mod classify;
pub mod config;
pub mod errors;
pub mod file;
pub mod ledger;
pub mod log;
pub mod metrics;
pub mod price;
pub mod proxy;
pub mod relay;
pub mod server;
pub mod sse;
pub mod tag;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::pricing::Catalog;
use crate::scenario::Class;

pub use server::{serve, Running};

/// The client-facing API formats the gateway speaks (and the provider APIs
/// it forwards to: a request goes to a model reached through its own API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Api {
    OpenAi,
    Anthropic,
}

impl Api {
    pub fn key(self) -> &'static str {
        match self {
            Api::OpenAi => "openai",
            Api::Anthropic => "anthropic",
        }
    }

    pub fn from_key(key: &str) -> Option<Api> {
        match key {
            "openai" => Some(Api::OpenAi),
            "anthropic" => Some(Api::Anthropic),
            _ => None,
        }
    }

    /// The API a catalog provider's models are reached through.
    pub fn of_provider(provider: &str) -> Option<Api> {
        Api::from_key(provider)
    }

    /// The upstream path of a generation request.
    pub fn path(self) -> &'static str {
        match self {
            Api::OpenAi => "/v1/chat/completions",
            Api::Anthropic => "/v1/messages",
        }
    }
}

/// An upstream provider: its base URL and the API key sent to it.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub base: String,
    pub key: Option<String>,
}

/// Everything a running gateway needs, resolved by `settings::gateway`.
pub struct Runtime {
    pub config: config::GatewayConfig,
    pub catalog: Catalog,
    /// The scenario's classes (their mean requests give expected costs).
    pub classes: Vec<Class>,
    pub classifier: Box<dyn classify::Classifier>,
    /// (key name, secret).
    pub keys: Vec<(String, String)>,
    pub upstreams: BTreeMap<Api, Upstream>,
    pub ledger: Arc<dyn budget::Ledger>,
    pub log: Option<log::LogSink>,
}
