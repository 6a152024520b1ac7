//! The command line, as clap derive types only. Doc comments are the
//! `--help` text. Nothing here computes anything.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  cost compare                          the built-in default scenario
  cost compare rag --models gpt-6-sol,claude-sonnet-5
  cost compare my.toml --format csv -o plans.csv
  cost models --provider anthropic --sort blended
  cost estimate --model gpt-4o --input 12000 --cache-read 4000 --output 800
  cost scenarios";

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
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Table, env = "COST_FORMAT")]
    pub format: FormatArg,

    /// Write the report to FILE (atomically: never a partial file) instead of stdout.
    #[arg(short = 'o', long = "out", global = true, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// No notes, warnings or progress on stderr; errors still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Colour in tables: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
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
    /// Evaluate models and routers on a table of per-query outcomes: per-model
    /// cost and quality, the oracle, the zero router, random, threshold,
    /// synthetic-AUC and cascade routers, PGR/APGR/CPT, AIQ and savings.
    Eval(Box<EvalArgs>),
    /// List the built-in scenarios.
    Scenarios,
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// A scenario file, `-` for stdin, or a built-in name (see `cost scenarios`).
    /// Default: the built-in `default` scenario.
    pub scenario: Option<String>,

    /// Also show "all traffic to M" for these models (comma-separated).
    /// Default: the scenario's `[compare] models`, else every model its plans use.
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Price as of this date (YYYY-MM-DD). Default: the scenario's `date`, else today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// Only this plan (repeatable). Default: every plan that routes.
    #[arg(long, value_name = "NAME")]
    pub plan: Vec<String>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// PARAM=FROM..TO[:STEP]. PARAM is one of share:CLASS, volume, fpr, tpr,
    /// threshold, auc, strong-share, escalation, accept-correct,
    /// accept-wrong, price:MODEL (a multiplier), prompt:CLASS, output:CLASS,
    /// reasoning:CLASS. STEP defaults to a tenth of the range.
    #[arg(long, value_name = "PARAM=FROM..TO[:STEP]")]
    pub vary: String,

    /// Also sweep "all traffic to M" for these models (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Draw monthly cost against the parameter to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct FrontierArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// Single models to place on the chart (default: every model with a
    /// success rate for every class).
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Draw the frontier to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

/// Examples of `cost eval` (shown under its --help).
const EVAL_EXAMPLES: &str = "\
Examples:
  cost eval outcomes.csv --query id --model model --score correct --cost usd
  cost eval runs.jsonl --score score --input-tokens in --output-tokens out --router-score p_strong
  cost eval routellm_gsm8k_outcomes.csv --wide --query row \\
      --models mixtral=mixtral_8x7b_correct,gpt4=gpt4_1106_correct --where contaminated=0 \\
      --cost-per-query mixtral=0.00008616 --cost-per-query gpt4=0.00887 --plot gsm8k.svg";

#[derive(Debug, Args)]
#[command(after_help = EVAL_EXAMPLES)]
pub struct EvalArgs {
    /// The outcome table: a .csv or .jsonl file, or `-` for stdin.
    pub table: std::path::PathBuf,

    /// How the table is written. Default: from the extension (.jsonl/.ndjson
    /// is JSON Lines, anything else CSV).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<TableFormatArg>,

    /// Wide format: one row per query and a score column per model (see --models).
    #[arg(long)]
    pub wide: bool,

    /// The query id column(s), comma-separated (joined into one id).
    /// Long format default: `query`. Wide format default: the line number.
    #[arg(long, value_delimiter = ',', value_name = "COL,...")]
    pub query: Vec<String>,

    /// Long format: the model column.
    #[arg(long, default_value = "model", value_name = "COL")]
    pub model: String,

    /// Long format: the score column (a number, or true/false for a correct flag).
    #[arg(long, default_value = "score", value_name = "COL")]
    pub score: String,

    /// Wide format: the score column of each model, `COL` or `NAME=COL`, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "[NAME=]COL,...")]
    pub models: Vec<String>,

    /// The range scores are on; they are normalised to 0..1 for quality
    /// (MT-Bench's judge scores are 1..10).
    #[arg(long, default_value = "0..1", value_name = "LO..HI")]
    pub score_range: String,

    /// Keep only rows where COL equals (`=`) or differs from (`!=`) VALUE. Repeatable.
    #[arg(long = "where", value_name = "COL=VALUE")]
    pub filters: Vec<String>,

    /// Long format: the cost column, USD per query.
    #[arg(long, value_name = "COL")]
    pub cost: Option<String>,

    /// Long format: the input-token column; with --output-tokens, each row is
    /// priced with the catalog (the model must be a catalog id, or mapped with --price-as).
    #[arg(long, value_name = "COL", requires = "output_tokens")]
    pub input_tokens: Option<String>,

    /// Long format: the output-token column (see --input-tokens).
    #[arg(long, value_name = "COL", requires = "input_tokens")]
    pub output_tokens: Option<String>,

    /// Assume every query has IN input and OUT output tokens and price them
    /// with the catalog (for tables without costs or token counts).
    #[arg(long, value_name = "IN:OUT")]
    pub tokens: Option<String>,

    /// Price table model NAME as catalog model ID (a stand-in). Repeatable.
    #[arg(long, value_name = "NAME=ID")]
    pub price_as: Vec<String>,

    /// A fixed cost per query for a model, in USD. Repeatable; give one for every model.
    #[arg(long, value_name = "NAME=USD")]
    pub cost_per_query: Vec<String>,

    /// Leave out queries that some model has no outcome for (the notes say how many), instead of failing.
    #[arg(long)]
    pub allow_missing: bool,

    /// A router's score per query (e.g. a predicted probability that the
    /// strong model wins): sweeping its threshold traces a threshold router.
    #[arg(long, value_name = "COL")]
    pub router_score: Option<String>,

    /// A category (or difficulty) column: per-category quality, cost and oracle.
    #[arg(long, value_name = "COL")]
    pub category: Option<String>,

    /// The weak model of the pair PGR, APGR and CPT are measured on. Default: the cheapest.
    #[arg(long, value_name = "MODEL")]
    pub weak: Option<String>,

    /// The strong model of the pair. Default: the best (the cheaper of equals).
    #[arg(long, value_name = "MODEL")]
    pub strong: Option<String>,

    /// The model savings are measured against. Default: the best single model.
    #[arg(long, value_name = "MODEL")]
    pub baseline: Option<String>,

    /// AUCs of synthetic binormal routers between the pair ("how good must my classifier be?").
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0.6,0.7,0.8,0.9",
        value_name = "AUC,..."
    )]
    pub auc: Vec<f64>,

    /// A cascade: models in the order tried, comma-separated. Repeatable.
    /// Default: weak then strong.
    #[arg(long, value_name = "M,M,...")]
    pub cascade: Vec<String>,

    /// Probability that the cascade's verifier accepts a correct answer.
    #[arg(long, default_value_t = 1.0, value_name = "P")]
    pub accept_correct: f64,

    /// Probability that the cascade's verifier accepts a wrong answer.
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub accept_wrong: f64,

    /// What one verifier check costs, USD (paid at every stage but the last).
    #[arg(long, default_value_t = 0.0, value_name = "USD")]
    pub verifier_cost: f64,

    /// The normalised score (0..1) at which an answer counts as correct, for
    /// the cascade's verifier and the count of unsolved queries.
    #[arg(long = "pass", default_value_t = 0.5, value_name = "SCORE")]
    pub pass_score: f64,

    /// Add a `curves` table: each router curve's points (strong-call share,
    /// cost, quality, PGR), at most 201 per router, for plotting elsewhere.
    #[arg(long)]
    pub curves: bool,

    /// Draw the cost-quality curves, the zero-router hull and the models to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price tokens as of this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormatArg {
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct LatencyArgs {
    /// Prefill rate (prompt tokens/s) assumed for models with no measured one.
    #[arg(long, value_name = "TOKENS_PER_S", default_value_t = 5000.0)]
    pub prefill_tps: f64,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Only models whose id, alias or name contains this text.
    pub filter: Option<String>,

    /// Only this provider (e.g. openai, anthropic, google).
    #[arg(long)]
    pub provider: Option<String>,

    /// Only models whose blended price (see --mix) is at most this, USD per 1M tokens.
    #[arg(long, value_name = "USD")]
    pub max_price: Option<f64>,

    /// Only models with at least this context window, in tokens.
    #[arg(long, value_name = "TOKENS")]
    pub min_context: Option<u64>,

    /// Only models that carry latency or quality figures.
    #[arg(long, value_enum)]
    pub has: Vec<HasArg>,

    /// Sort order.
    #[arg(long, value_enum, default_value_t = SortArg::Provider)]
    pub sort: SortArg,

    /// Input:output token mix for the blended price, e.g. 3:1.
    #[arg(long, default_value = "3:1", value_name = "IN:OUT")]
    pub mix: String,

    /// Prices in force on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HasArg {
    Latency,
    Quality,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Provider,
    Id,
    Input,
    Output,
    Blended,
    Context,
    Speed,
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Model id or alias.
    #[arg(long, short)]
    pub model: String,

    /// The whole prompt in tokens, cached and cache-written tokens included.
    #[arg(long)]
    pub input: u64,

    /// Prompt tokens read from the cache (part of --input).
    #[arg(long, default_value_t = 0)]
    pub cache_read: u64,

    /// Prompt tokens written to the cache, 5-minute TTL (part of --input).
    #[arg(long, default_value_t = 0)]
    pub cache_write: u64,

    /// Prompt tokens written to the cache, 1-hour TTL (part of --input).
    #[arg(long, default_value_t = 0)]
    pub cache_write_1h: u64,

    /// Output tokens: the visible answer.
    #[arg(long)]
    pub output: u64,

    /// Reasoning (thinking) tokens, generated in addition to --output.
    #[arg(long, default_value_t = 0)]
    pub reasoning: u64,

    /// Service tier.
    #[arg(long, value_enum, default_value_t = TierArg::Standard)]
    pub tier: TierArg,

    /// Prices in force on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    Standard,
    Batch,
    Flex,
    Priority,
}
