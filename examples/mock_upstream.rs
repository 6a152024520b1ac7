//! A mock OpenAI upstream for the gateway benchmarks: answers
//! `POST /v1/chat/completions` at once with a fixed body that states its
//! usage, whole or streamed (SSE, usage in the final chunk as OpenAI sends
//! it when `stream_options.include_usage` is set). It does no work per
//! request beyond reading the body, so what a load generator measures
//! through the gateway minus what it measures direct is the gateway's own
//! cost.
//!
//! `cargo run --release --example mock_upstream -- [--listen 127.0.0.1:0]
//! [--stream-events 16] [--stream-gap-ms 10] [--threads 1]`: prints
//! `listening on ADDR` on stdout once it accepts connections.

use std::convert::Infallible;
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
        axum::serve(listener, app).await.expect("serve");
    });
}
