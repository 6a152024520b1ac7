//! User tags: who, inside one gateway key's traffic, a call is billed to
//! (an end user, a team, a feature). The tag is read from the first of the
//! configured places present: a header (`header:x-cost-tag`), the
//! request's `user` field (`user`), or a metadata value (`metadata:NAME`:
//! OpenAI `metadata.NAME`, Anthropic `metadata.user_id`). The server puts
//! the tag of the request it serves in scope for the whole request
//! (`budget::scope_tag`), and the ledger's `reserve` reads it, so a call
//! counts against its tag's budget as well as its key's and the total.

use std::sync::Arc;
use std::time::Instant;

use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::Value;

use super::budget::scope_tag;
use super::close::refuse;
use super::config::{TagConfig, TagSource};
use super::errors::{Kind, Refusal};
use super::handle::handle_at;
use super::proxy::Shared;
use super::Endpoint;

/// The longest tag accepted, in bytes.
pub const MAX_TAG_BYTES: usize = 128;

/// The fields of a body a tag may come from; the rest is skipped unread.
#[derive(Deserialize)]
struct Fields {
    #[serde(default)]
    user: Option<Value>,
    #[serde(default)]
    metadata: Option<serde_json::Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadTag {
    #[error("the user tag from {0} is longer than {MAX_TAG_BYTES} bytes")]
    TooLong(String),
    #[error("the user tag from {0} contains control characters")]
    Control(String),
}

/// The request's tag by `config`'s sources, first present wins.
pub fn tag_of(
    config: &TagConfig,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<String>, BadTag> {
    let mut fields: Option<Option<Fields>> = None;
    for source in &config.from {
        let found = match source {
            TagSource::Header(name) => headers
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            TagSource::User | TagSource::Metadata(_) => {
                let f = fields.get_or_insert_with(|| serde_json::from_slice(body).ok());
                let v = match (source, f.as_ref()) {
                    (TagSource::User, Some(f)) => f.user.as_ref(),
                    (TagSource::Metadata(k), Some(f)) => f.metadata.as_ref().and_then(|m| m.get(k)),
                    _ => None,
                };
                v.and_then(Value::as_str).map(str::to_string)
            }
        };
        let Some(tag) = found.filter(|t| !t.is_empty()) else {
            continue;
        };
        if tag.len() > MAX_TAG_BYTES {
            return Err(BadTag::TooLong(source.to_string()));
        }
        if tag.chars().any(char::is_control) {
            return Err(BadTag::Control(source.to_string()));
        }
        return Ok(Some(tag));
    }
    Ok(None)
}

/// `handle::handle_at` with the request's tag in scope (when tags are
/// configured); a malformed tag is refused in the client's format.
pub async fn handle_tagged(
    shared: Arc<Shared>,
    endpoint: Endpoint,
    headers: HeaderMap,
    body: Bytes,
    route_only: bool,
) -> Response {
    let Some(config) = &shared.rt.config.tags else {
        return handle_at(shared, endpoint, headers, body, route_only).await;
    };
    match tag_of(config, &headers, &body) {
        Ok(tag) => {
            scope_tag(
                tag,
                handle_at(shared.clone(), endpoint, headers, body, route_only),
            )
            .await
        }
        Err(e) => refuse(
            &shared,
            endpoint.api(),
            endpoint.path(),
            None,
            Refusal::new(Kind::BadRequest, format!("{e}: send a short printable tag")),
            Instant::now(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TagConfig {
        TagConfig {
            from: vec![
                TagSource::Header("x-cost-tag".into()),
                TagSource::User,
                TagSource::Metadata("user_id".into()),
            ],
            ..TagConfig::default()
        }
    }

    #[test]
    fn the_first_source_present_wins() {
        let c = config();
        let mut h = HeaderMap::new();
        let body = br#"{"user":"u-1","metadata":{"user_id":"m-1"}}"#;
        assert_eq!(tag_of(&c, &h, body).unwrap().as_deref(), Some("u-1"));
        h.insert("x-cost-tag", "team-a".parse().unwrap());
        assert_eq!(tag_of(&c, &h, body).unwrap().as_deref(), Some("team-a"));
        let anthropic = br#"{"metadata":{"user_id":"m-1"}}"#;
        assert_eq!(
            tag_of(&c, &HeaderMap::new(), anthropic).unwrap().as_deref(),
            Some("m-1")
        );
        assert_eq!(tag_of(&c, &HeaderMap::new(), b"{}").unwrap(), None);
        assert_eq!(tag_of(&c, &HeaderMap::new(), b"not json").unwrap(), None);
    }

    #[test]
    fn a_long_or_unprintable_tag_is_refused() {
        let c = config();
        let long = format!(r#"{{"user":"{}"}}"#, "x".repeat(MAX_TAG_BYTES + 1));
        assert!(matches!(
            tag_of(&c, &HeaderMap::new(), long.as_bytes()),
            Err(BadTag::TooLong(_))
        ));
        assert!(matches!(
            tag_of(&c, &HeaderMap::new(), br#"{"user":"a\nb"}"#),
            Err(BadTag::Control(_))
        ));
    }
}
