//! `cost gateway` end to end: the server in-process on 127.0.0.1:0 in front
//! of mock OpenAI and Anthropic upstreams (`mock`), driven over real HTTP.
//! Every test is bounded in time and its servers stop with its runtime.

mod api;
mod budget;
mod cascade;
mod crash;
mod embeddings;
mod forecast;
mod learned;
mod mock;
mod process;
mod responses;
mod sdk;
mod shadow;
mod stream;
mod tls;
mod translate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use cost::cli::{Cli, Command};
use cost::gateway::{serve, Running, Runtime};
use cost::money::Money;
use cost::pricing::bill::{price_at, Request};
use cost::pricing::Catalog;
use cost::settings::GatewaySettings;
use serde_json::Value;

pub const KEY: &str = "sk-gw-test-team";
pub const CAPPED_KEY: &str = "sk-gw-test-capped";
pub const UPSTREAM_KEY: &str = "sk-upstream-secret";

pub fn env(var: &str) -> Option<String> {
    match var {
        "GW_TEST_KEY" => Some(KEY.into()),
        "GW_TEST_KEY_CAPPED" => Some(CAPPED_KEY.into()),
        "GW_TEST_OPENAI_UPSTREAM" => Some(UPSTREAM_KEY.into()),
        "EMBED_TEST_KEY" => Some("sk-embed-secret".into()),
        _ => None,
    }
}

/// The environment variables the fixture scenario's config names, with
/// their values, for a gateway run as a child process.
pub fn config_vars() -> Vec<(&'static str, String)> {
    [
        "GW_TEST_KEY",
        "GW_TEST_KEY_CAPPED",
        "GW_TEST_OPENAI_UPSTREAM",
    ]
    .into_iter()
    .map(|v| (v, env(v).unwrap()))
    .collect()
}

pub struct Harness {
    pub gw: Running,
    pub mock: mock::Mock,
    pub log: PathBuf,
    pub _dir: tempfile::TempDir,
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.gw.addr)
    }
}

/// The gateway on `plan` of the fixture scenario, `tweak`ed before it starts.
pub async fn start(plan: &str, tweak: impl FnOnce(&mut Runtime)) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let (mock_addr, mock) = mock::start().await;
    let log = dir.path().join("requests.jsonl");
    let ledger = dir.path().join("ledger.sqlite");
    let rt = runtime(plan, mock_addr, &log, &ledger, &[]);
    let mut rt = rt;
    tweak(&mut rt);
    let gw = serve(rt, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    Harness {
        gw,
        mock,
        log,
        _dir: dir,
    }
}

pub fn runtime(plan: &str, mock: SocketAddr, log: &Path, ledger: &Path, extra: &[&str]) -> Runtime {
    let upstream_o = format!("openai=http://{mock}");
    let upstream_a = format!("anthropic=http://{mock}");
    let scenario = crate::fixture("gateway/scenario.toml");
    let mut args = vec![
        "cost",
        "gateway",
        &scenario,
        "--plan",
        plan,
        "--upstream",
        &upstream_o,
        "--upstream",
        &upstream_a,
    ];
    let log = log.to_str().unwrap();
    let ledger = ledger.to_str().unwrap();
    args.extend(["--log", log, "--ledger", ledger]);
    args.extend(extra);
    let cli = Cli::try_parse_from(args).unwrap();
    let Command::Gateway(g) = &cli.command else {
        unreachable!()
    };
    GatewaySettings::resolve_with(g, &cli.global, &env)
        .unwrap()
        .runtime
}

/// Runs `f` with a deadline: a hung test fails instead of hanging CI.
pub async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_mins(1), f)
        .await
        .expect("the test took longer than 60 s")
}

/// The log's lines once at least `n` are written (the writer is a thread).
pub async fn log_lines(path: &Path, n: usize) -> Vec<Value> {
    for _ in 0..500 {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if lines.len() >= n {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "the log never reached {n} lines: {}",
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

/// Money from a log's decimal (a JSON number) or a header's (a string).
pub fn money(v: &Value) -> Money {
    let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
    if text.contains(['e', 'E']) {
        return Money::from_picos((text.parse::<f64>().unwrap() * 1e12).round() as i128);
    }
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let picos = format!("{frac:0<12}");
    Money::from_picos(
        whole.parse::<i128>().unwrap() * 1_000_000_000_000 + picos.parse::<i128>().unwrap(),
    )
}

/// What the billing kernel charges for a log line's usage.
pub fn kernel_price(line: &Value) -> Money {
    let catalog = Catalog::builtin().unwrap().with_snapshot();
    let model = catalog.lookup(line["model"].as_str().unwrap()).unwrap();
    let u = &line["usage"];
    let n = |k: &str| u[k].as_u64().unwrap();
    let r = Request {
        input: n("input"),
        cache_read: n("cache_read"),
        cache_write: n("cache_write"),
        cache_write_1h: n("cache_write_1h"),
        output: n("output"),
        reasoning: n("reasoning"),
        ..Request::default()
    };
    price_at(model, &r, line["ts"].as_str().unwrap().parse().unwrap())
        .unwrap()
        .total
}

/// The gateway's `/metrics` text at `base` (`http://host:port`) once it
/// contains `want`: counters move when a background flush or call ends.
/// Panics with the last text after five seconds.
pub async fn metrics_until(base: &str, want: &str) -> String {
    let http = client();
    let mut text = String::new();
    for _ in 0..250 {
        text = http
            .get(format!("{base}/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if text.contains(want) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("/metrics never showed {want:?}: {text}");
}

pub fn client() -> reqwest::Client {
    cost::net::client().unwrap()
}

pub fn chat(content: &str) -> Value {
    serde_json::json!({"model": "auto", "messages": [{"role": "user", "content": content}], "max_tokens": 100})
}
