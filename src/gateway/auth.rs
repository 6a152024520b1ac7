//! Who is calling: the gateway (virtual) key a client presents, checked in
//! constant time against the configured secrets. Provider keys never pass
//! through here; they stay server-side in `Runtime::upstreams`.

use axum::http::HeaderMap;

use super::errors::{Kind, Refusal};
use super::proxy::Shared;

/// The secret a client sent: `Authorization: Bearer` (OpenAI SDKs) or
/// `x-api-key` (Anthropic SDKs).
fn presented(headers: &HeaderMap) -> Option<&str> {
    if let Some(k) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(k);
    }
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The gateway key's name; `Ok(None)` when keys are not required and none was given.
pub fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Option<String>, Refusal> {
    let given = presented(headers);
    if let Some(given) = given {
        if let Some((name, _)) = shared
            .rt
            .keys
            .iter()
            .find(|(_, secret)| same(secret, given))
        {
            return Ok(Some(name.clone()));
        }
    }
    if !shared.rt.config.require_keys && (given.is_none() || shared.rt.keys.is_empty()) {
        return Ok(None);
    }
    Err(Refusal::new(
        Kind::Unauthorized,
        if given.is_some() {
            "this gateway key is not valid: use a key configured in [gateway.keys]"
        } else {
            "missing gateway key: send it as `Authorization: Bearer KEY` or `x-api-key: KEY`"
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sdk_spellings_of_the_key_are_read() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Bearer sk-1".parse().unwrap());
        assert_eq!(presented(&h), Some("sk-1"));
        h.insert("x-api-key", "sk-2".parse().unwrap());
        assert_eq!(presented(&h), Some("sk-2"));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
