//! Arguments of `cost eval`.

use clap::Args;
use jiff::civil::Date;

use super::values::{non_negative, DateParser};
use crate::eval::protocol::CurveProtocol;
use crate::eval::spec::{ModelColumn, Named, PerQueryCost, TokenCounts};
use crate::eval::{Filter, ScoreRange, TableFormat};

/// Examples of `cost eval` (shown under its --help).
const EVAL_EXAMPLES: &str = "\
Examples:
  cost eval outcomes.csv --query id --model model --score correct --cost usd
  cost eval runs.jsonl --score score --input-tokens in --output-tokens out --router-score p_strong
  cost eval routellm_gsm8k_outcomes.csv --wide --query row \\
      --models mixtral=mixtral_8x7b_correct,gpt4=gpt4_1106_correct --where contaminated=0 \\
      --cost-per-query mixtral=0.00008616 --cost-per-query gpt4=0.00887 --plot gsm8k.svg
  cost eval mmlu.csv --wide --query subject,row --models mixtral,gpt4 \\
      --cost-per-query mixtral=0.00008616 --cost-per-query gpt4=0.00887 --router router.json
  cost eval routellm_mtbench_scores.csv --query question_id,turn --group question_id \\
      --score-range 1..10 --where contaminated=0 --protocol routellm \\
      --cost-per-query gpt-4-1106-preview=0.00887 \\
      --cost-per-query mistralai/Mixtral-8x7B-Instruct-v0.1=0.00008616";

/// How `cost eval` traces two-model curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Protocol {
    Continuous,
    #[value(name = "routellm")]
    RouteLlm,
}

impl From<Protocol> for CurveProtocol {
    fn from(p: Protocol) -> CurveProtocol {
        match p {
            Protocol::Continuous => CurveProtocol::Continuous,
            Protocol::RouteLlm => CurveProtocol::RouteLlm,
        }
    }
}

/// The outcome table and how it is laid out: what `cost eval`, `cost
/// router train` and `cost router eval` read alike.
#[derive(Debug, Args)]
pub struct TableArgs {
    /// The outcome table: a .csv or .jsonl file, or `-` for stdin.
    pub table: std::path::PathBuf,

    /// How the table is written. Default: from the extension (.jsonl/.ndjson
    /// is JSON Lines, anything else CSV).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<TableFormat>,

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
    pub models: Vec<ModelColumn>,

    /// The range scores are on; they are normalised to 0..1 for quality
    /// (MT-Bench's judge scores are 1..10).
    #[arg(
        long,
        default_value = "0..1",
        value_name = "LO..HI",
        allow_hyphen_values = true
    )]
    pub score_range: ScoreRange,

    /// Keep only rows where COL equals (`=`) or differs from (`!=`) VALUE. Repeatable.
    #[arg(long = "where", value_name = "COL=VALUE")]
    pub filters: Vec<Filter>,

    /// Leave out queries that some model has no outcome for (the notes say how many), instead of failing.
    #[arg(long)]
    pub allow_missing: bool,
}

/// A learned router measured on the table (`cost eval --router`, `cost
/// router eval`): the text it reads, its operating point, and the scenario
/// that operating point is written into.
#[derive(Debug, Args)]
pub struct LearnedArgs {
    /// The text column the router scores. Default: the one it was trained on.
    #[arg(long, value_name = "COL")]
    pub text: Option<String>,

    /// The operating point: a query goes to the strong model when its
    /// score is at least this (0..1). Default: 0.5.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub threshold: Option<f64>,

    /// A scenario file whose classifier plan (see --plan) gets the
    /// operating point's TPR and FPR, for `cost route` and `cost simulate`;
    /// the result goes to --scenario-out (inputs are never overwritten).
    #[arg(long, value_name = "FILE.toml", requires = "scenario_out")]
    pub scenario: Option<std::path::PathBuf>,

    /// Where the scenario with the measured rates is written.
    #[arg(long, value_name = "FILE.toml", requires = "scenario")]
    pub scenario_out: Option<std::path::PathBuf>,

    /// The classifier plan of --scenario that gets the measured rates.
    #[arg(
        long,
        default_value = "learned",
        value_name = "NAME",
        requires = "scenario"
    )]
    pub plan: String,
}

#[derive(Debug, Args)]
#[command(after_help = EVAL_EXAMPLES)]
pub struct EvalArgs {
    #[command(flatten)]
    pub input: TableArgs,

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
    pub tokens: Option<TokenCounts>,

    /// Price table model NAME as catalog model ID (a stand-in). Repeatable.
    #[arg(long, value_name = "NAME=ID")]
    pub price_as: Vec<Named>,

    /// A fixed cost per query for a model, in USD. Repeatable; give one for every model.
    #[arg(long, value_name = "NAME=USD")]
    pub cost_per_query: Vec<PerQueryCost>,

    /// A router's score per query (e.g. a predicted probability that the
    /// strong model wins): sweeping its threshold traces a threshold router.
    #[arg(long, value_name = "COL")]
    pub router_score: Option<String>,

    /// A routing-group column: the rows of a group (the turns of a
    /// multi-turn question) are routed as one item, scored by their mean
    /// and costed by their sum, as RouteLLM routes MT-Bench per question.
    #[arg(long, value_name = "COL")]
    pub group: Option<String>,

    /// How two-model curves are traced: `continuous` (every distinct
    /// threshold) or `routellm` (RouteLLM's 11 points: score deciles, and
    /// shares 0%, 10%, .., 100%), to set figures beside the paper's.
    #[arg(
        long,
        value_enum,
        default_value = "continuous",
        value_name = "PROTOCOL"
    )]
    pub protocol: Protocol,

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
    #[arg(long, default_value_t = 1.0, value_name = "P", allow_negative_numbers = true, value_parser = non_negative)]
    pub accept_correct: f64,

    /// Probability that the cascade's verifier accepts a wrong answer.
    #[arg(long, default_value_t = 0.0, value_name = "P", allow_negative_numbers = true, value_parser = non_negative)]
    pub accept_wrong: f64,

    /// What one verifier check costs, USD (paid at every stage but the last).
    #[arg(long, default_value_t = 0.0, value_name = "USD", allow_negative_numbers = true, value_parser = non_negative)]
    pub verifier_cost: f64,

    /// The normalised score (0..1) at which an answer counts as correct:
    /// the share passed, the cascade's verifier, and the oracle's count of
    /// queries no model passes (it routes by score, not by this mark).
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
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    /// A model file from `cost router train`: its scores on the table are
    /// swept as a threshold router, as `cost router eval` does (out-of-fold
    /// on its own training table), with its ROC AUC and operating point.
    #[arg(long = "router", value_name = "router.json")]
    pub router_file: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub learned: LearnedArgs,
}
