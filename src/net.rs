//! The outbound HTTP client every caller of a remote API uses (the
//! gateway's upstreams, the embeddings API): rustls with the `ring`
//! provider, no OpenSSL.

use std::time::Duration;

pub fn client() -> Result<reqwest::Client, reqwest::Error> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .tcp_nodelay(true)
        .build()
}
