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

    /// Add Monte Carlo cost bands and latency percentiles (on by default when
    /// the scenario declares token distributions or day-to-day variation).
    #[arg(long)]
    pub bands: bool,

    /// Never add bands.
    #[arg(long, conflicts_with = "bands")]
    pub no_bands: bool,

    #[command(flatten)]
    pub sim: SimArgs,

    /// Price as of this date (YYYY-MM-DD). Default: the scenario's `date`, else today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    /// Enforce the scenario's `[budget]`: exit 1 when a plan it binds costs more.
    #[arg(long)]
    pub check: bool,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// Add Monte Carlo cost bands and latency percentiles (on by default when
    /// the scenario declares token distributions or day-to-day variation).
    #[arg(long)]
    pub bands: bool,

    /// Never add bands.
    #[arg(long, conflicts_with = "bands")]
    pub no_bands: bool,

    #[command(flatten)]
    pub sim: SimArgs,

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
pub struct DiffArgs {
    /// The base: a saved `cost compare --format json` report, a scenario
    /// file, or a built-in scenario name.
    pub base: String,

    /// The head, of the same kinds. Omit it to compare BASE with itself under
    /// --base-pricing/--head-pricing or --base-at/--head-at.
    pub head: Option<String>,

    /// Extra price sheets for the base side only (repeatable).
    #[arg(long, value_name = "PATH")]
    pub base_pricing: Vec<PathBuf>,

    /// Extra price sheets for the head side only (repeatable).
    #[arg(long, value_name = "PATH")]
    pub head_pricing: Vec<PathBuf>,

    /// Price date of both sides when they are scenarios (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    /// Price date of the base side (overrides --at).
    #[arg(long, value_name = "DATE")]
    pub base_at: Option<String>,

    /// Price date of the head side (overrides --at).
    #[arg(long, value_name = "DATE")]
    pub head_at: Option<String>,

    /// Exit 1 if a plan's cost rises by more than this many USD per month.
    #[arg(long, value_name = "USD_PER_MONTH")]
    pub fail_above_usd: Option<f64>,

    /// Exit 1 if a plan's cost rises by more than this percentage of its base cost.
    #[arg(long, value_name = "PERCENT")]
    pub fail_above_pct: Option<f64>,

    /// Gate only this plan. Default: every plan the scenario declares.
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,

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
pub struct SimulateArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// Only this plan (repeatable). Default: every plan the scenario declares.
    #[arg(long, value_name = "NAME")]
    pub plan: Vec<String>,

    #[command(flatten)]
    pub sim: SimArgs,

    /// Output a histogram of the daily or monthly bill instead of the summary.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub histogram: Option<PeriodArg>,

    /// Histogram bins.
    #[arg(long, default_value_t = 40)]
    pub bins: usize,

    /// Draw the distribution of the bill (monthly unless --histogram day) to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

/// Monte Carlo settings shared by `simulate` and the bands of `compare`/`route`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Simulated days (default 1000 for `simulate`, 200 for bands elsewhere).
    #[arg(long, value_name = "N")]
    pub trials: Option<usize>,

    /// Random seed: the same seed gives the same bands.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Month,
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
pub struct ValidateArgs {
    /// Price sheets and scenarios (.toml files or folders). Default: the
    /// built-in sheets and scenarios and any --pricing sheets.
    pub paths: Vec<PathBuf>,

    /// Warn about prices whose `verified` date is older than this (e.g. 30d, 8w).
    #[arg(long, value_name = "AGE", default_value = "90d")]
    pub max_age: String,

    /// Report every price that differs from a public catalog: LiteLLM's
    /// model price JSON or genai-prices' data JSON (recognised by content).
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,

    /// Exit 2 on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,

    /// The day ages and catalog prices are judged on (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Turn a public price catalog into `cost` price sheets (one per provider)
    /// in the folder given by -o; without -o, only report what would be imported.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The catalog's format.
    #[arg(long, value_enum)]
    pub from: CatalogArg,

    /// The catalog file (`-` for stdin).
    pub file: PathBuf,

    /// The `verified` date written on every imported model (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub verified: Option<String>,

    /// List every entry that could not be imported, with its reason.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogArg {
    /// LiteLLM's `model_prices_and_context_window.json` (USD per token).
    Litellm,
    /// genai-prices' v2 `data.json` (USD per 1M tokens).
    GenaiPrices,
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

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Usage logs: JSON lines or CSV, optionally gzip-compressed; `-` for stdin.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    /// The log's shape. Default: detected from the first lines.
    #[arg(long, value_enum)]
    pub shape: Option<ShapeArg>,

    /// JSON lines or CSV. Default: detected from the first byte.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,

    /// Compression. Default: gzip when the file starts with gzip's magic bytes.
    #[arg(long, value_enum, default_value_t = CompressionArg::Auto)]
    pub compression: CompressionArg,

    /// Group by: model, day, week, month, tier, file, class, or any field
    /// (a CSV column or a dotted JSON path such as metadata.user_id).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "model",
        value_name = "DIM,..."
    )]
    pub by: Vec<String>,

    /// Column mapping for the generic shape: KEY=COLUMN, keys model, time,
    /// input, cache_read, cache_write, cache_write_1h, output, reasoning,
    /// tier, cost; plus input_includes_cache=false, output_includes_reasoning=true.
    #[arg(long = "map", value_delimiter = ',', value_name = "KEY=COLUMN,...")]
    pub map: Vec<String>,

    /// The same mapping as a TOML file (keys as for --map); --map wins.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// Also price every request on this model (same tokens, same tier).
    #[arg(long = "as", value_name = "MODEL", conflicts_with = "plan")]
    pub as_model: Option<String>,

    /// Also price the traffic under this plan of --scenario.
    #[arg(long, requires = "scenario", value_name = "NAME")]
    pub plan: Option<String>,

    /// The scenario holding --plan and its classes (a file, `-` or a built-in name).
    #[arg(long, requires = "plan", value_name = "SCENARIO")]
    pub scenario: Option<String>,

    /// Assign requests to classes by this field's value (a class name, or see --class-map).
    #[arg(long, value_name = "FIELD", conflicts_with = "class_bounds")]
    pub class_field: Option<String>,

    /// Field values to classes: VALUE=CLASS,...
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "VALUE=CLASS,...",
        requires = "class_field"
    )]
    pub class_map: Vec<String>,

    /// Assign requests to classes by prompt size: ascending upper bounds, one
    /// fewer than the scenario's classes (e.g. 4000,32000).
    #[arg(long, value_delimiter = ',', value_name = "TOKENS,...")]
    pub class_bounds: Vec<u64>,

    /// Price requests whose log has no time at this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    /// Fail (exit 2) if any request names a model the catalog does not know.
    #[arg(long)]
    pub strict: bool,

    /// Count, summarise and skip bad lines instead of stopping at the first.
    #[arg(long)]
    pub skip_bad: bool,

    /// Worker threads. Default: every core.
    #[arg(short = 'j', long, env = "COST_THREADS", value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShapeArg {
    Openai,
    Anthropic,
    ClaudeCode,
    Litellm,
    Generic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompressionArg {
    Auto,
    Gzip,
    None,
}

#[derive(Debug, Args)]
pub struct TokensArgs {
    /// Text files; `-` or nothing for stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Read JSON lines and count this field of each: a string (a prompt) or an
    /// array of chat messages (`{"role", "content"}`). A dotted path is allowed.
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,

    /// Price the prompts on these models (comma-separated). Default: gpt-4o,
    /// gpt-4.1-mini, claude-sonnet-4-5, gemini-2.5-flash.
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Also price this many output tokens per prompt.
    #[arg(long, default_value_t = 0, value_name = "TOKENS")]
    pub output: u64,

    /// Prices in force on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}
