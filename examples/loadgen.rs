//! A closed-loop HTTP/1.1 load generator for the gateway benchmarks, built
//! on hyper's low-level client (one keep-alive connection per worker, no
//! pool, no TLS): each of `--connections` workers sends a request, reads the
//! whole answer, records the time, and sends the next, for `--seconds`
//! after `--warmup` seconds that are not recorded. For a stream it also
//! records the time to the first body bytes (the first SSE event).
//!
//! `cargo run --release --example loadgen -- --url http://127.0.0.1:8080/v1/chat/completions
//! --connections 32 --seconds 10 --header 'authorization: Bearer KEY' --body '{...}'`
//! prints one JSON object: requests, errors, req/s and latency percentiles
//! in microseconds (`ttft_*` for streams).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

#[derive(clap::Parser)]
struct Opts {
    #[arg(long)]
    url: String,
    #[arg(long, default_value_t = 1)]
    connections: usize,
    /// Seconds recorded, after the warm-up.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seconds sent but not recorded.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// A request header, `name: value` (repeatable).
    #[arg(long = "header", value_parser = header)]
    headers: Vec<(String, String)>,
    /// The request body, or `@FILE` to read it from a file.
    #[arg(long, default_value = "", value_parser = body)]
    body: String,
    #[arg(long, default_value = "")]
    label: String,
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

fn header(v: &str) -> Result<(String, String), String> {
    let (k, val) = v
        .split_once(':')
        .ok_or_else(|| format!("`{v}` is not `name: value`"))?;
    Ok((k.trim().to_string(), val.trim().to_string()))
}

fn body(v: &str) -> Result<String, String> {
    match v.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}")),
        None => Ok(v.to_string()),
    }
}

/// Latencies (µs) of one worker: whole answers and first bytes.
#[derive(Default)]
struct Samples {
    total: Vec<u32>,
    ttft: Vec<u32>,
    errors: u64,
}

async fn worker(
    uri: hyper::Uri,
    headers: Vec<(String, String)>,
    body: Bytes,
    start: Instant,
    record_from: Duration,
    stop_at: Duration,
) -> Samples {
    let mut s = Samples::default();
    let authority = uri.authority().expect("a host:port URL").clone();
    // The request line carries the origin form (path and query), as a client
    // talking to an origin server must (RFC 9112, section 3.2.1); some
    // servers (uvicorn, so LiteLLM's proxy) answer 404 to the absolute form.
    let target = uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    'connect: while start.elapsed() < stop_at {
        let Ok(tcp) = tokio::net::TcpStream::connect(authority.as_str()).await else {
            s.errors += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let Ok((mut send, conn)) =
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(tcp)).await
        else {
            s.errors += 1;
            continue;
        };
        tokio::spawn(conn);
        while start.elapsed() < stop_at {
            let mut req = Request::post(target.as_str())
                .header("host", authority.as_str())
                .header("content-type", "application/json");
            for (k, v) in &headers {
                req = req.header(k, v);
            }
            let req = req.body(Full::new(body.clone())).expect("a request");
            let t0 = Instant::now();
            let Ok(resp) = send.send_request(req).await else {
                s.errors += 1;
                continue 'connect;
            };
            let ok = resp.status().is_success();
            let mut b = resp.into_body();
            let mut first = None;
            let mut failed = false;
            while let Some(frame) = b.frame().await {
                let Ok(f) = frame else {
                    failed = true;
                    break;
                };
                if first.is_none() && f.data_ref().is_some_and(|d| !d.is_empty()) {
                    first = Some(t0.elapsed());
                }
            }
            let took = t0.elapsed();
            if failed || !ok {
                s.errors += 1;
                if failed {
                    continue 'connect;
                }
                continue;
            }
            if t0.duration_since(start) >= record_from {
                s.total
                    .push(took.as_micros().min(u128::from(u32::MAX)) as u32);
                if let Some(f) = first {
                    s.ttft.push(f.as_micros().min(u128::from(u32::MAX)) as u32);
                }
            }
        }
        break;
    }
    s
}

fn pct(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn main() {
    let o = <Opts as clap::Parser>::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.threads)
        .enable_all()
        .build()
        .expect("a runtime");
    let uri: hyper::Uri = o.url.parse().expect("--url");
    let body = Bytes::from(o.body.clone());
    let record_from = Duration::from_secs_f64(o.warmup);
    let stop_at = Duration::from_secs_f64(o.warmup + o.seconds);
    let all = runtime.block_on(async {
        let start = Instant::now();
        let tasks: Vec<_> = (0..o.connections)
            .map(|_| {
                tokio::spawn(worker(
                    uri.clone(),
                    o.headers.clone(),
                    body.clone(),
                    start,
                    record_from,
                    stop_at,
                ))
            })
            .collect();
        let mut all = Samples::default();
        for t in tasks {
            let s = t.await.expect("a worker");
            all.total.extend(s.total);
            all.ttft.extend(s.ttft);
            all.errors += s.errors;
        }
        all
    });
    let mut total = all.total;
    let mut ttft = all.ttft;
    total.sort_unstable();
    ttft.sort_unstable();
    let out = serde_json::json!({
        "label": o.label,
        "connections": o.connections,
        "seconds": o.seconds,
        "requests": total.len(),
        "errors": all.errors,
        "requests_per_s": (total.len() as f64 / o.seconds).round(),
        "p50_us": pct(&total, 0.50),
        "p90_us": pct(&total, 0.90),
        "p99_us": pct(&total, 0.99),
        "p999_us": pct(&total, 0.999),
        "max_us": total.last().copied().unwrap_or(0),
        "ttft_p50_us": pct(&ttft, 0.50),
        "ttft_p99_us": pct(&ttft, 0.99),
    });
    println!("{out}");
}
