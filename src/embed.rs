//! The embeddings API client a learned router's optional embedding feature
//! uses: `POST` to an OpenAI-compatible embeddings endpoint
//! (`{"model": .., "input": [..]}` answered by `{"data": [{"index": i,
//! "embedding": [..]}]}`), in batches, with the key from an environment
//! variable the user names. This module owns the network; `router` only
//! places the vectors it returns. `cost router train` and `eval` call it
//! through `fetch_blocking`; the gateway calls `fetch` on its own runtime.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::router::features::EmbeddingSpec;

/// Texts per request: well under the usual API limits on inputs per call.
pub const BATCH: usize = 96;

/// Why embeddings could not be had. Messages name the endpoint, never the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    #[error("environment variable {0} (the embeddings API key) is not set")]
    NoKey(String),
    #[error("embeddings API {url}: {why}")]
    Call { url: String, why: String },
}

/// The API key `spec` names, read from the environment (`None`: no key).
pub fn key(spec: &EmbeddingSpec) -> Result<Option<String>, EmbedError> {
    match &spec.key_env {
        None => Ok(None),
        Some(var) => std::env::var(var)
            .map(Some)
            .map_err(|_| EmbedError::NoKey(var.clone())),
    }
}

#[derive(Deserialize)]
struct Answer {
    data: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    index: usize,
    embedding: Vec<f32>,
}

/// One embedding per text, in order, each `spec.dim` long unless
/// `spec.dim` is 0 (training: the first answer sets it, all must agree).
pub async fn fetch(
    client: &reqwest::Client,
    spec: &EmbeddingSpec,
    key: Option<&str>,
    texts: &[&str],
    timeout: Duration,
) -> Result<Vec<Vec<f32>>, EmbedError> {
    let fail = |why: String| EmbedError::Call {
        url: spec.url.clone(),
        why,
    };
    let mut out: Vec<Vec<f32>> = Vec::with_capacity(texts.len());
    let mut dim = spec.dim;
    for batch in texts.chunks(BATCH) {
        let mut request = client
            .post(&spec.url)
            .timeout(timeout)
            .json(&json!({"model": spec.model, "input": batch}));
        if let Some(k) = key {
            request = request.bearer_auth(k);
        }
        let response = request.send().await.map_err(|e| fail(e.to_string()))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| fail(e.to_string()))?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body);
            let short: String = text.chars().take(200).collect();
            return Err(fail(format!("answered {status}: {short}")));
        }
        let answer: Answer = serde_json::from_slice(&body)
            .map_err(|e| fail(format!("not an embeddings answer: {e}")))?;
        let mut got: Vec<Option<Vec<f32>>> = vec![None; batch.len()];
        for item in answer.data {
            let slot = got.get_mut(item.index).ok_or_else(|| {
                fail(format!(
                    "index {} in an answer to {} inputs",
                    item.index,
                    batch.len()
                ))
            })?;
            if dim == 0 {
                dim = item.embedding.len();
            }
            if item.embedding.len() != dim {
                return Err(fail(format!(
                    "an embedding of length {}, where the others have {dim}",
                    item.embedding.len()
                )));
            }
            *slot = Some(item.embedding);
        }
        for (i, e) in got.into_iter().enumerate() {
            out.push(e.ok_or_else(|| fail(format!("no embedding for input {i} of a batch")))?);
        }
    }
    Ok(out)
}

/// `fetch` from synchronous code, on a runtime of its own.
pub fn fetch_blocking(
    spec: &EmbeddingSpec,
    texts: &[&str],
    timeout: Duration,
) -> Result<Vec<Vec<f32>>, EmbedError> {
    let key = key(spec)?;
    let fail = |why: String| EmbedError::Call {
        url: spec.url.clone(),
        why,
    };
    let client = crate::net::client().map_err(|e| fail(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(e.to_string()))?;
    runtime.block_on(fetch(&client, spec, key.as_deref(), texts, timeout))
}
