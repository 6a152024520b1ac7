//! The floor under the gateway benchmark: a reverse proxy on the gateway's
//! own HTTP stack (axum in, reqwest out, the same runtime) that does
//! nothing else. It forwards `POST /v1/chat/completions` to the upstream
//! and relays the answer chunk by chunk: no key check, no parsing, no
//! classification, no ledger, no log. What it adds over going direct is
//! what any proxy on this stack and this machine adds; what `cost gateway`
//! adds beyond it is the gateway's own work.
//!
//! `cargo run --release --example bare_proxy -- --upstream http://ADDR
//! [--listen 127.0.0.1:0] [--threads N]` (default: one per core, like
//! the gateway; 1: a single-threaded runtime): prints `listening on ADDR` on
//! stdout once it accepts connections.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

#[derive(clap::Parser)]
struct Opts {
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// The upstream's base URL, `http://ADDR`.
    #[arg(long)]
    upstream: String,
    /// Runtime threads: 0 one per core, 1 a single-threaded runtime.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

#[derive(Clone)]
struct Upstream {
    client: reqwest::Client,
    url: reqwest::Url,
}

async fn forward(State(up): State<Upstream>, headers: HeaderMap, body: Bytes) -> Response {
    let mut req = up.client.post(up.url.clone()).body(body);
    if let Some(auth) = headers.get("authorization") {
        req = req.header("authorization", auth);
    }
    match req.header(CONTENT_TYPE, "application/json").send().await {
        Ok(r) => {
            let status = StatusCode::from_u16(r.status().as_u16()).unwrap_or(StatusCode::OK);
            let kind = r.headers().get(CONTENT_TYPE).cloned();
            let mut out = Response::new(Body::from_stream(r.bytes_stream()));
            *out.status_mut() = status;
            if let Some(k) = kind {
                out.headers_mut().insert(CONTENT_TYPE, k);
            }
            out
        }
        Err(e) => (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    }
}

fn main() {
    let o = <Opts as clap::Parser>::parse();
    let runtime = match o.threads {
        0 => tokio::runtime::Builder::new_multi_thread(),
        1 => tokio::runtime::Builder::new_current_thread(),
        n => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
    }
    .enable_all()
    .build()
    .expect("a runtime");
    runtime.block_on(async move {
        let up = Upstream {
            client: cost::net::client().expect("an HTTP client"),
            url: format!("{}/v1/chat/completions", o.upstream)
                .parse()
                .expect("--upstream is a URL"),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(forward))
            .with_state(up);
        let listener = tokio::net::TcpListener::bind(&o.listen)
            .await
            .expect("bind --listen");
        println!(
            "listening on {}",
            listener.local_addr().expect("an address")
        );
        axum::serve(listener, app).await.expect("serve");
    });
}
