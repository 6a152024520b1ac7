//! Arguments of `cost gateway`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// The scenario whose classes and plan the gateway routes by (a file,
    /// `-` or a built-in name). Its `[gateway]` table configures the gateway
    /// unless --config is given.
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,

    /// The plan to route by (per-class routes or a single model).
    #[arg(long, value_name = "NAME")]
    pub plan: String,

    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Upstream base URL per API: openai=URL or anthropic=URL (without
    /// `/v1`). Repeatable. Overrides `[gateway.upstreams.*] url`.
    #[arg(long, value_name = "API=URL")]
    pub upstream: Vec<String>,

    /// Append one JSON line per upstream attempt to FILE (`cost replay` reads it).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// A TOML file with the `[gateway]` table, instead of the scenario's.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The SQLite spend ledger (created if absent); budgets survive restarts.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "cost-gateway-ledger.sqlite"
    )]
    pub ledger: PathBuf,

    /// Threads serving requests (default: one per CPU core). With 1, the
    /// gateway runs on one thread and never hands a request between
    /// threads: the least CPU per request, for a machine it shares.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}
