//! A mock OpenAI upstream for the gateway benchmarks: answers
//! `POST /v1/chat/completions` at once with a fixed body that states its
//! usage, whole or streamed (SSE, usage in the final chunk as OpenAI sends
//! it when `stream_options.include_usage` is set). It does no work per
//! request beyond reading the body, so what a load generator measures
//! through the gateway minus what it measures direct is the gateway's own
//! cost.
//!
//! `cargo run --release --example mock_upstream -- [--listen 127.0.0.1:0]
//! [--stream-events 16] [--stream-gap-ms 10] [--threads 1]
//! [--tls-cert PEM --tls-key PEM]`: prints `listening on ADDR` on stdout
//! once it accepts connections. With `--tls-cert` it serves over TLS and
//! offers HTTP/2 by ALPN (as the providers do), one connection carrying up
//! to 1,024 concurrent streams.

use std::convert::Infallible;
use std::path::Path;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

const WHOLE: &str = r#"{"id":"chatcmpl-mock","object":"chat.completion","created":1764547200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the mock upstream."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20}}"#;
const ROLE: &str = r#"data: {"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1764547200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#;
const TOKEN: &str = r#"data: {"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1764547200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":" word"},"finish_reason":null}]}"#;
const STOP: &str = r#"data: {"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1764547200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#;

#[derive(clap::Parser)]
struct Opts {
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Token events in a streamed answer.
    #[arg(long = "stream-events", default_value_t = 16)]
    events: usize,
    /// Milliseconds between streamed token events.
    #[arg(long = "stream-gap-ms", default_value_t = 10)]
    gap_ms: u64,
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Serve over TLS with this certificate chain (PEM), offering HTTP/2.
    #[arg(long = "tls-cert", requires = "key")]
    cert: Option<std::path::PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long = "tls-key", requires = "cert")]
    key: Option<std::path::PathBuf>,
}

/// Serves `app` over TLS with ALPN `h2` and `http/1.1`.
async fn serve_tls(listener: tokio::net::TcpListener, app: Router, cert: &Path, key: &Path) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .expect("--tls-cert")
        .collect::<Result<Vec<_>, _>>()
        .expect("--tls-cert");
    let key = PrivateKeyDer::from_pem_file(key).expect("--tls-key");
    let mut config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("a certificate and its key");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let mut builder =
        hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    builder.http2().max_concurrent_streams(1024);
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let (acceptor, app, builder) = (acceptor.clone(), app.clone(), builder.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(app);
            let _ = builder
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        });
    }
}

fn chat(events: usize, gap: Duration, body: &Bytes) -> Response {
    let stream = memchr::memmem::find(body, b"\"stream\":true").is_some();
    if !stream {
        return ([(CONTENT_TYPE, "application/json")], WHOLE).into_response();
    }
    let usage = format!(
        r#"data: {{"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1764547200,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{{"prompt_tokens":12,"completion_tokens":{events},"total_tokens":{}}}}}"#,
        12 + events
    );
    // The first event goes out at once (time to first token is the
    // gateway's and the network's), then one token every `gap`.
    let s = futures_util::stream::unfold(0usize, move |i| {
        let usage = usage.clone();
        async move {
            let chunk = match i {
                0 => format!("{ROLE}\n\n"),
                n if n <= events => {
                    tokio::time::sleep(gap).await;
                    format!("{TOKEN}\n\n")
                }
                n if n == events + 1 => format!("{STOP}\n\n{usage}\n\n"),
                n if n == events + 2 => "data: [DONE]\n\n".to_string(),
                _ => return None,
            };
            Some((Ok::<_, Infallible>(Bytes::from(chunk)), i + 1))
        }
    });
    ([(CONTENT_TYPE, "text/event-stream")], Body::from_stream(s)).into_response()
}

fn main() {
    let o = <Opts as clap::Parser>::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.threads)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let (events, gap) = (o.events, Duration::from_millis(o.gap_ms));
        let app = Router::new().route(
            "/v1/chat/completions",
            post(move |body: Bytes| async move { chat(events, gap, &body) }),
        );
        let listener = tokio::net::TcpListener::bind(&o.listen)
            .await
            .expect("bind --listen");
        println!(
            "listening on {}",
            listener.local_addr().expect("an address")
        );
        match (&o.cert, &o.key) {
            (Some(cert), Some(key)) => serve_tls(listener, app, cert, key).await,
            _ => axum::serve(listener, app).await.expect("serve"),
        }
    });
}
