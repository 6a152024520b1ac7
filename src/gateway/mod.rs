//! `cost gateway`: the live API router. It owns the sockets, the async
//! runtime's tasks, the request log and the spend ledger; everything it
//! decides comes from the synchronous, pure layers below it (classification
//! rules, the scenario's plan, the billing kernel, the same usage parsers
//! `cost replay` reads). Layout:
//!
//! - `file`, `config`: the `[gateway]` table, validated with located errors
//!   (`stages`: its cascade and shadow tables);
//! - `classify`: the rules (and the `Classifier` seam for a learned router);
//!   `learned`: a rule scored by a `cost router train` model file;
//! - `price`: exact cost from usage, and the worst case a budget reserves;
//! - `budget`, `ledger`: the reservation rule and the SQLite ledger;
//! - `server`: the axum router, limits; `errors`: refusals in the
//!   client's format; `auth`: gateway keys;
//! - `proxy`: the shared state and a routed request's context; `handle`:
//!   one request through parsing and classification; `decide`: its route
//!   and the dry run; `attempts`: upstream tries with retries and
//!   fallbacks and cascade stages; `upstream`: one provider call;
//!   `answer`: a whole answer checked, translated, headed; `close`: reserve, price, settle and log each attempt;
//!   `relay`: streamed answers passed through event by event; `sse`: the
//!   event splitter; `responses`: the Responses API's request view and
//!   stream usage; `translate`: chat completions <-> messages, Responses
//!   -> messages; `verify`:
//!   a cascade stage's checks of an answer; `judge`: a judge model's verdict on one; `shadow`: sampled shadow calls
//!   and their pairs log;
//!   `tag`: the user tag a request is billed to;
//! - `log`, `metrics`: the JSONL request log and Prometheus counters.

pub mod answer;
pub mod attempts;
pub mod auth;
pub mod budget;
pub mod classify;
pub mod client;
pub mod close;
pub mod config;
pub mod decide;
pub mod errors;
pub mod file;
pub mod handle;
pub mod judge;
pub mod learned;
pub mod lease;
pub mod ledger;
pub mod listen;
pub mod log;
pub mod metrics;
pub mod price;
pub mod proxy;
pub mod relay;
pub mod responses;
pub mod server;
pub mod shadow;
pub mod sse;
pub mod stages;
pub mod tag;
pub mod translate;
pub mod upstream;
pub mod verify;

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
        Endpoint::of(self).path()
    }
}

/// A generation endpoint, which is also a request and answer format: what
/// a client called, and what the gateway calls upstream (the same, unless
/// `translate` converts between chat completions and messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// OpenAI `POST /v1/chat/completions`.
    Chat,
    /// OpenAI `POST /v1/responses`.
    Responses,
    /// Anthropic `POST /v1/messages`.
    Messages,
}

impl Endpoint {
    /// The chat endpoint of an API.
    pub fn of(api: Api) -> Endpoint {
        match api {
            Api::OpenAi => Endpoint::Chat,
            Api::Anthropic => Endpoint::Messages,
        }
    }

    /// The API whose conventions (errors, keys, providers) it follows.
    pub fn api(self) -> Api {
        match self {
            Endpoint::Chat | Endpoint::Responses => Api::OpenAi,
            Endpoint::Messages => Api::Anthropic,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Chat => "/v1/chat/completions",
            Endpoint::Responses => "/v1/responses",
            Endpoint::Messages => "/v1/messages",
        }
    }
}

/// An upstream provider: the URLs of its endpoints (parsed once, at start)
/// and the API key sent to it.
#[derive(Debug, Clone)]
pub struct Upstream {
    /// Chat completions, responses and messages, in that order.
    urls: [axum::http::Uri; 3],
    pub key: Option<String>,
}

/// Why a URL cannot be an upstream's (`check_url`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadUrl {
    NotHttp,
    NoHost,
    Credentials,
}

impl std::fmt::Display for BadUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BadUrl::NotHttp => "is not an http:// or https:// URL",
            BadUrl::NoHost => "is not a valid URL: empty host",
            BadUrl::Credentials => {
                "carries credentials (user:password@); give the provider's key with key_env instead"
            }
        })
    }
}

/// Checks an upstream's URL as given: http or https, a host, and no
/// credentials in it (they would reach logs and errors; keys come from
/// the environment).
pub fn check_url(given: &str) -> Result<(), BadUrl> {
    let url = url::Url::parse(given).map_err(|e| match e {
        url::ParseError::EmptyHost => BadUrl::NoHost,
        _ => BadUrl::NotHttp,
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BadUrl::NotHttp);
    }
    if !url.has_host() {
        return Err(BadUrl::NoHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BadUrl::Credentials);
    }
    Ok(())
}

/// `given` as an error may show it: credentials in it replaced by `***`.
pub fn shown_url(given: &str) -> String {
    match url::Url::parse(given) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("***");
            let _ = u.set_password(None);
            u.to_string()
        }
        _ => given.to_string(),
    }
}

impl Upstream {
    /// The provider at `given` (`https://host[:port]`, with or without a
    /// trailing `/` or `/v1`), checked by `check_url`.
    pub fn new(given: &str, key: Option<String>) -> Result<Upstream, BadUrl> {
        check_url(given)?;
        let base = given.trim_end_matches('/').trim_end_matches("/v1");
        let uri = |e: Endpoint| {
            format!("{base}{}", e.path())
                .parse::<axum::http::Uri>()
                .map_err(|_| BadUrl::NotHttp)
        };
        Ok(Upstream {
            urls: [
                uri(Endpoint::Chat)?,
                uri(Endpoint::Responses)?,
                uri(Endpoint::Messages)?,
            ],
            key,
        })
    }

    /// Where `endpoint`'s requests go.
    pub fn url(&self, endpoint: Endpoint) -> &axum::http::Uri {
        match endpoint {
            Endpoint::Chat => &self.urls[0],
            Endpoint::Responses => &self.urls[1],
            Endpoint::Messages => &self.urls[2],
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upstream_url_is_http_with_a_host_and_no_credentials() {
        assert_eq!(check_url("https://api.openai.com"), Ok(()));
        assert_eq!(check_url("http://127.0.0.1:9000/v1/"), Ok(()));
        assert_eq!(check_url("api.openai.com"), Err(BadUrl::NotHttp));
        assert_eq!(check_url("ftp://example.com"), Err(BadUrl::NotHttp));
        assert_eq!(check_url("http://"), Err(BadUrl::NoHost));
        assert_eq!(
            check_url("https://user:pw@api.openai.com"),
            Err(BadUrl::Credentials)
        );
        assert_eq!(
            shown_url("https://user:pw@api.openai.com"),
            "https://***@api.openai.com/"
        );
        assert_eq!(shown_url("api.openai.com"), "api.openai.com");
        let up = Upstream::new("http://127.0.0.1:9000/v1/", None).unwrap();
        assert_eq!(
            up.url(Endpoint::Messages).to_string(),
            "http://127.0.0.1:9000/v1/messages"
        );
    }
}
