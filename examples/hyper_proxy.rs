//! A second floor under the gateway benchmark (BENCHMARKS.md "Gateway", "The
//! floor"): the thinnest proxy tokio and hyper make, with neither axum nor
//! reqwest. Each client connection is served by hyper's low-level HTTP/1.1
//! server and gets one keep-alive connection of its own to the upstream
//! (hyper's low-level client: no pool, no URL parsing); each request is
//! forwarded as it came, and the answer's body is relayed as it arrives.
//! Set beside `bare_proxy` (the gateway's own stack doing nothing), it
//! shows what axum's routing and reqwest's pool cost on this machine.
//! With `--reqwest` it forwards through reqwest instead (pooled), still
//! without axum: the two halves apart; with `--pooled`, through
//! hyper-util's pooled client, the one reqwest wraps and the gateway uses.
//!
//! `cargo run --release --example hyper_proxy -- --upstream ADDR
//! [--listen 127.0.0.1:0] [--reqwest | --pooled]` (a single-threaded runtime): prints
//! `listening on ADDR` on stdout once it accepts connections.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

#[derive(clap::Parser)]
struct Opts {
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// The upstream's address, `HOST:PORT`.
    #[arg(long)]
    upstream: String,
    /// Forward through reqwest (pooled) instead of a connection of its own.
    #[arg(long, conflicts_with = "pooled")]
    reqwest: bool,
    /// Forward through hyper-util's pooled client (the one reqwest wraps)
    /// instead of a connection of its own.
    #[arg(long)]
    pooled: bool,
}

type Error = Box<dyn std::error::Error + Send + Sync>;
type Answer = Response<BoxBody<Bytes, Error>>;

/// A request forwarded through reqwest, its body read first (as
/// `bare_proxy` does) and the answer relayed as it arrives.
async fn through_reqwest(
    client: reqwest::Client,
    url: reqwest::Url,
    req: Request<Incoming>,
) -> Result<Answer, Error> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await?.to_bytes();
    let mut out = client.post(url).body(body);
    for name in ["authorization", "content-type"] {
        if let Some(v) = parts.headers.get(name) {
            out = out.header(name, v);
        }
    }
    let r = out.send().await?;
    let mut answer = Response::builder().status(r.status().as_u16());
    if let Some(kind) = r.headers().get("content-type") {
        answer = answer.header("content-type", kind);
    }
    let frames = r.bytes_stream().map_ok(Frame::data).map_err(Error::from);
    Ok(answer.body(BoxBody::new(StreamBody::new(frames)))?)
}

type Pool = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<Bytes>,
>;

/// A request forwarded through hyper-util's pooled client, its body read
/// first as `through_reqwest` does.
async fn through_pool(
    pool: Pool,
    uri: hyper::Uri,
    req: Request<Incoming>,
) -> Result<Answer, Error> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await?.to_bytes();
    let mut out = Request::post(uri);
    for name in ["authorization", "content-type"] {
        if let Some(v) = parts.headers.get(name) {
            out = out.header(name, v);
        }
    }
    let r = pool
        .request(out.body(http_body_util::Full::new(body))?)
        .await?;
    let (head, body) = r.into_parts();
    let mut answer = Response::builder().status(head.status);
    if let Some(kind) = head.headers.get("content-type") {
        answer = answer.header("content-type", kind);
    }
    Ok(answer.body(body.map_err(Error::from).boxed())?)
}

type Sender = hyper::client::conn::http1::SendRequest<Incoming>;

/// One client connection: its own upstream connection, then requests
/// forwarded one after the other (HTTP/1.1 has one in flight at a time).
async fn serve(client: TcpStream, upstream: String) {
    let Ok(up) = TcpStream::connect(&upstream).await else {
        return;
    };
    let _ = up.set_nodelay(true);
    let Ok((sender, conn)) = hyper::client::conn::http1::handshake(TokioIo::new(up)).await else {
        return;
    };
    tokio::spawn(conn);
    let sender: Arc<Mutex<Sender>> = Arc::new(Mutex::new(sender));
    let service = service_fn(move |req: Request<Incoming>| {
        let sender = sender.clone();
        async move {
            let mut s = sender.lock().await;
            s.ready().await?;
            let answer: Response<Incoming> = s.send_request(req).await?;
            Ok::<_, hyper::Error>(answer)
        }
    });
    let _ = client.set_nodelay(true);
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(client), service)
        .await;
}

/// Serves each accepted connection with a service `make` gives it, for ever.
async fn accept<S, F>(listener: TcpListener, make: F) -> !
where
    F: Fn() -> S,
    S: hyper::service::Service<Request<Incoming>, Response = Answer, Error = Error>
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    loop {
        let Ok((conn, _)) = listener.accept().await else {
            continue;
        };
        let _ = conn.set_nodelay(true);
        tokio::spawn(
            hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(conn), make()),
        );
    }
}

fn main() {
    let o = <Opts as clap::Parser>::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let listener = TcpListener::bind(&o.listen).await.expect("bind --listen");
        println!(
            "listening on {}",
            listener.local_addr().expect("an address")
        );
        if o.pooled {
            let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
            http.set_nodelay(true);
            let pool: Pool =
                hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                    .build(http);
            let uri: hyper::Uri = format!("http://{}/v1/chat/completions", o.upstream)
                .parse()
                .expect("--upstream is HOST:PORT");
            accept(listener, move || {
                let (pool, uri) = (pool.clone(), uri.clone());
                service_fn(move |req| through_pool(pool.clone(), uri.clone(), req))
            })
            .await;
        }
        if o.reqwest {
            let client = cost::net::client().expect("an HTTP client");
            let url: reqwest::Url = format!("http://{}/v1/chat/completions", o.upstream)
                .parse()
                .expect("--upstream is HOST:PORT");
            accept(listener, move || {
                let (client, url) = (client.clone(), url.clone());
                service_fn(move |req| through_reqwest(client.clone(), url.clone(), req))
            })
            .await;
        }
        loop {
            let Ok((client, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(serve(client, o.upstream.clone()));
        }
    });
}
