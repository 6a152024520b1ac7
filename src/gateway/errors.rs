//! Errors as the client's own API writes them, so that an SDK raises its
//! usual exception: OpenAI's `{"error": {...}}` and Anthropic's
//! `{"type": "error", "error": {...}}`, with the matching HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Api;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthorized,
    NotFound,
    TooLarge,
    OverBudget,
    Upstream,
    Timeout,
}

impl Kind {
    fn status(self) -> StatusCode {
        match self {
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::OverBudget => StatusCode::TOO_MANY_REQUESTS,
            Kind::Upstream => StatusCode::BAD_GATEWAY,
            Kind::Timeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The outcome label in the log and metrics.
    pub fn outcome(self) -> &'static str {
        match self {
            Kind::BadRequest => "bad_request",
            Kind::Unauthorized => "unauthorized",
            Kind::NotFound => "not_found",
            Kind::TooLarge => "too_large",
            Kind::OverBudget => "over_budget",
            Kind::Upstream => "upstream_error",
            Kind::Timeout => "timeout",
        }
    }
}

/// A refusal: what went wrong, in words a user can act on.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub kind: Kind,
    pub message: String,
}

impl Refusal {
    pub fn new(kind: Kind, message: impl Into<String>) -> Refusal {
        Refusal {
            kind,
            message: message.into(),
        }
    }

    pub fn into_response(self, api: Api) -> Response {
        let body = match api {
            Api::OpenAi => {
                let (kind, code) = match self.kind {
                    Kind::BadRequest | Kind::TooLarge => ("invalid_request_error", None),
                    Kind::Unauthorized => ("invalid_request_error", Some("invalid_api_key")),
                    Kind::NotFound => ("invalid_request_error", Some("model_not_found")),
                    Kind::OverBudget => ("insufficient_quota", Some("budget_exceeded")),
                    Kind::Upstream | Kind::Timeout => ("api_error", None),
                };
                json!({"error": {"message": self.message, "type": kind, "param": null, "code": code}})
            }
            Api::Anthropic => {
                let kind = match self.kind {
                    Kind::BadRequest => "invalid_request_error",
                    Kind::TooLarge => "request_too_large",
                    Kind::Unauthorized => "authentication_error",
                    Kind::NotFound => "not_found_error",
                    Kind::OverBudget => "rate_limit_error",
                    Kind::Upstream => "api_error",
                    Kind::Timeout => "overloaded_error",
                };
                json!({"type": "error", "error": {"type": kind, "message": self.message}})
            }
        };
        (self.kind.status(), axum::Json(body)).into_response()
    }
}
