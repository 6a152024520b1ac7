//! The command line, as clap derive types only: one file per group of
//! subcommands, doc comments as the `--help` text. Nothing here computes
//! anything; `settings` turns these into what a command will do. Where a
//! flag takes a value of a domain type (a format, a service tier, a date),
//! clap parses it into that type directly (`values`), so no command
//! converts a mirror enum by hand.

mod breakeven;
mod catalog;
mod eval;
pub mod examples;
mod export;
mod gates;
mod gateway;
mod replay;
mod report;
mod router;
mod scenario;
mod start;
mod values;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use breakeven::{BreakevenArgs, BreakevenVary};
pub use catalog::{EstimateArgs, ModelsArgs};
pub use eval::{EvalArgs, LearnedArgs, TableArgs};
pub use export::{ExportCommand, ExportPricesArgs, ExportSqlArgs};
pub use gates::{DiffArgs, ImportArgs, PricingCommand, ValidateArgs};
pub use gateway::GatewayArgs;
pub use replay::{ReplayArgs, TokensArgs};
pub use report::{ReportArgs, SensitivityArgs};
pub use router::{RouterCommand, RouterEvalArgs, RouterTrainArgs};
pub use scenario::{
    BandArgs, CompareArgs, FrontierArgs, LatencyArgs, RouteArgs, SimArgs, SimulateArgs, SweepArgs,
};
pub use start::{InitArgs, ManArgs, ScenariosArgs, ScenariosCommand};

use crate::output::ColorChoice;
use crate::report::Format;

/// LLM inference economics: what a request, a traffic mix or a routing plan
/// costs, from price sheets and scenarios you own.
#[derive(Debug, Parser)]
#[command(name = "cost", version = crate::embedded::VERSION, after_help = examples::TOP, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the options every command takes, apart from its own.
const GLOBAL: &str = "Global options";

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Extra price sheet(s): a .toml file or a folder of them. Repeatable;
    /// models override built-in ones with the same id.
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        value_name = "PATH",
        env = "COST_PRICING",
        value_delimiter = ':'
    )]
    pub pricing: Vec<PathBuf>,

    /// Output format.
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = Format::Table, env = "COST_FORMAT")]
    pub format: Format,

    /// Write the report to FILE (atomically: never a partial file) instead of stdout.
    #[arg(short = 'o', long = "out", global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// No notes, warnings or progress on stderr; errors still print.
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,

    /// Colour in tables: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Every column in the terminal table, not only the compact default
    /// set (CSV, JSON and Markdown always carry every column).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub wide: bool,

    /// The table CSV writes (default: the command's first table below);
    /// the table and Markdown views then show only it; JSON carries every
    /// table regardless. Tables: compare: plans, classes, figures, gates
    /// (--check); route: classes, plans; simulate: plans,
    /// classes, or histogram; sweep: rows; frontier: points; models:
    /// models; estimate: lines; scenarios: scenarios; diff: plans, causes,
    /// gates; validate: findings; pricing import: sheets,
    /// skipped_reasons, dropped_prices, skipped_entries; replay: groups,
    /// traffic_split, latency, unknown_models, bad_line_samples,
    /// bad_timing_samples; tokens: models; eval: models, routers,
    /// oracle_mix, categories, curves; breakeven: plans, volume or bases.
    // Its own id: `cost eval` has a positional `TABLE` (a file).
    #[arg(
        long = "table",
        id = "report_table",
        global = true,
        help_heading = GLOBAL,
        value_name = "NAME"
    )]
    pub table: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cost, savings, quality and latency of every plan in a scenario, plus
    /// "all traffic to model X" rows.
    #[command(after_help = examples::COMPARE)]
    Compare(CompareArgs),
    /// The model catalog with prices, context, latency and quality.
    #[command(after_help = examples::MODELS)]
    Models(ModelsArgs),
    /// Price one request, a line per billed component.
    #[command(after_help = examples::ESTIMATE)]
    Estimate(EstimateArgs),
    /// Per-class breakdown of routing plans: where each class goes, what it
    /// costs, misroutes, escalations, savings and break-even points.
    #[command(after_help = examples::ROUTE)]
    Route(RouteArgs),
    /// Recompute every plan while one parameter moves (tidy CSV for plots).
    #[command(after_help = examples::SWEEP)]
    Sweep(SweepArgs),
    /// The cost-quality frontier of all plans and single models.
    #[command(after_help = examples::FRONTIER)]
    Frontier(FrontierArgs),
    /// Monte Carlo cost bands, budget risk and latency percentiles per plan.
    #[command(after_help = examples::SIMULATE)]
    Simulate(SimulateArgs),
    /// Build vs buy: the GPU fleet a self-hosted deployment needs for a
    /// scenario, its cost on a price basis, and the utilisation and daily
    /// volume at which it beats each API plan.
    #[command(after_help = examples::BREAKEVEN)]
    Breakeven(Box<BreakevenArgs>),
    /// Evaluate models and routers on a table of per-query outcomes: per-model
    /// cost and quality, the oracle, the zero router, random, threshold,
    /// synthetic-AUC and cascade routers, PGR/APGR/CPT, AIQ and savings.
    Eval(Box<EvalArgs>),
    /// List the built-in scenarios, or print one (`show NAME`).
    #[command(after_help = examples::SCENARIOS)]
    Scenarios(ScenariosArgs),
    /// Write a starter scenario file to edit: commented, or a copy of a
    /// built-in scenario (`--from NAME`).
    #[command(after_help = examples::INIT)]
    Init(InitArgs),
    /// A learned router: train it on an outcome table with the queries'
    /// text, then measure it and forecast it in a scenario.
    #[command(after_help = examples::ROUTER)]
    Router {
        #[command(subcommand)]
        command: RouterCommand,
    },
    /// What changed between two runs, why, and whether it passes the gates.
    /// Exit 1 when a gate trips.
    #[command(after_help = examples::DIFF)]
    Diff(DiffArgs),
    /// Lint price sheets and scenarios: errors, stale prices, suspicious
    /// prices, differences from a public catalog.
    #[command(after_help = examples::VALIDATE)]
    Validate(ValidateArgs),
    /// Price-sheet tooling.
    #[command(after_help = examples::PRICING)]
    Pricing {
        #[command(subcommand)]
        command: PricingCommand,
    },
    /// Price real usage logs: per model, day or any field; what-if on another
    /// model or a routing plan.
    #[command(after_help = examples::REPLAY)]
    Replay(ReplayArgs),
    /// Count the tokens of text with real tokenizers and price them per model.
    #[command(after_help = examples::TOKENS)]
    Tokens(TokensArgs),
    /// Serve an OpenAI- and Anthropic-compatible API that classifies, routes,
    /// prices, budgets and logs every request by a scenario's plan.
    #[command(after_help = examples::GATEWAY)]
    Gateway(GatewayArgs),
    /// Which assumptions move a plan's monthly bill most (tornado data):
    /// volume, class shares, prices, token lengths, cache hits, misroutes.
    #[command(after_help = examples::SENSITIVITY)]
    Sensitivity(SensitivityArgs),
    /// One self-contained HTML report for a board: the answer, the plans,
    /// charts, risk, sensitivity, break-even points and provenance.
    #[command(after_help = examples::REPORT)]
    Report(ReportArgs),
    /// The price book for other engines: as a table (CSV, Parquet) or as
    /// SQL that prices a usage table in DuckDB, Spark and other warehouses.
    #[command(after_help = examples::EXPORT)]
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Print a shell completion script.
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages: cost(1) to stdout, or every page to a folder.
    #[command(after_help = examples::MAN)]
    Man(ManArgs),
}
