//! The command line, as clap derive types only: one file per group of
//! subcommands, doc comments as the `--help` text. Nothing here computes
//! anything; `settings` turns these into what a command will do. Where a
//! flag takes a value of a domain type (a format, a service tier, a date),
//! clap parses it into that type directly (`values`), so no command
//! converts a mirror enum by hand.

mod catalog;
mod eval;
mod gates;
mod gateway;
mod replay;
mod scenario;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use catalog::{EstimateArgs, ModelsArgs};
pub use eval::EvalArgs;
pub use gates::{DiffArgs, ImportArgs, PricingCommand, ValidateArgs};
pub use gateway::GatewayArgs;
pub use replay::{ReplayArgs, TokensArgs};
pub use scenario::{
    BandArgs, CompareArgs, FrontierArgs, LatencyArgs, RouteArgs, SimArgs, SimulateArgs, SweepArgs,
};

use crate::output::ColorChoice;
use crate::report::Format;

const EXAMPLES: &str = "\
Examples:
  cost compare                          the built-in default scenario
  cost compare rag --models gpt-6-sol,claude-sonnet-5
  cost compare my.toml --format csv -o plans.csv
  cost models --provider anthropic --sort blended
  cost estimate --model gpt-4o --input 12000 --cache-read 4000 --output 800
  cost scenarios
  cost compare --format json -o base.json    (on the base branch, then:)
  cost diff base.json head.json --fail-above-pct 10 --format markdown
  cost pricing import --from litellm model_prices.json -o imported/
  cost validate pricing/ my.toml --max-age 30d
  cost replay usage.jsonl.gz --by model,day
  cost replay spend-logs.csv --as gpt-6-luna
  cost tokens prompt.txt --models gpt-4o,claude-sonnet-4-5";

/// LLM inference economics: what a request, a traffic mix or a routing plan
/// costs, from price sheets and scenarios you own.
#[derive(Debug, Parser)]
#[command(name = "cost", version, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Extra price sheet(s): a .toml file or a folder of them. Repeatable;
    /// models override built-in ones with the same id.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "COST_PRICING",
        value_delimiter = ':'
    )]
    pub pricing: Vec<PathBuf>,

    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table, env = "COST_FORMAT")]
    pub format: Format,

    /// Write the report to FILE (atomically: never a partial file) instead of stdout.
    #[arg(short = 'o', long = "out", global = true, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// No notes, warnings or progress on stderr; errors still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Colour in tables: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cost, savings, quality and latency of every plan in a scenario, plus
    /// "all traffic to model X" rows.
    Compare(CompareArgs),
    /// The model catalog with prices, context, latency and quality.
    Models(ModelsArgs),
    /// Price one request, a line per billed component.
    Estimate(EstimateArgs),
    /// Per-class breakdown of routing plans: where each class goes, what it
    /// costs, misroutes, escalations, savings and break-even points.
    Route(RouteArgs),
    /// Recompute every plan while one parameter moves (tidy CSV for plots).
    Sweep(SweepArgs),
    /// The cost-quality frontier of all plans and single models.
    Frontier(FrontierArgs),
    /// Monte Carlo cost bands, budget risk and latency percentiles per plan.
    Simulate(SimulateArgs),
    /// Evaluate models and routers on a table of per-query outcomes: per-model
    /// cost and quality, the oracle, the zero router, random, threshold,
    /// synthetic-AUC and cascade routers, PGR/APGR/CPT, AIQ and savings.
    Eval(Box<EvalArgs>),
    /// List the built-in scenarios.
    Scenarios,
    /// What changed between two runs, why, and whether it passes the gates.
    /// Exit 1 when a gate trips.
    Diff(DiffArgs),
    /// Lint price sheets and scenarios: errors, stale prices, suspicious
    /// prices, differences from a public catalog.
    Validate(ValidateArgs),
    /// Price-sheet tooling.
    Pricing {
        #[command(subcommand)]
        command: PricingCommand,
    },
    /// Price real usage logs: per model, day or any field; what-if on another
    /// model or a routing plan.
    Replay(ReplayArgs),
    /// Count the tokens of text with real tokenizers and price them per model.
    Tokens(TokensArgs),
    /// Serve an OpenAI- and Anthropic-compatible API that classifies, routes,
    /// prices, budgets and logs every request by a scenario's plan.
    Gateway(GatewayArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}
