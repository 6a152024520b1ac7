//! Arguments of `cost router train` and `cost router eval`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{EvalArgs, TableArgs};

const TRAIN_EXAMPLES: &str = "\
Examples:
  cost router train mmlu.csv --wide --models mixtral=mixtral_correct,gpt4=gpt4_correct \\
      --text prompt --weak mixtral --strong gpt4 -o router.json
  cost router train outcomes.jsonl --query id --text messages --weak small --strong large -o router.json
  cost router train outcomes.jsonl --query id --text messages --weak small --strong large \\
      --embed-url https://api.openai.com/v1/embeddings --embed-model text-embedding-3-small \\
      --embed-key-env OPENAI_API_KEY -o router.json";

const EVAL_EXAMPLES: &str = "\
Examples:
  cost router eval router.json mmlu.csv --wide --models mixtral=mixtral_correct,gpt4=gpt4_correct \\
      --cost-per-query mixtral=0.00008616 --cost-per-query gpt4=0.00887
  cost router eval router.json mmlu.csv --wide --models mixtral=mixtral_correct,gpt4=gpt4_correct \\
      --cost-per-query mixtral=0.00008616 --cost-per-query gpt4=0.00887 \\
      --threshold 0.3 --scenario mine.toml --plan learned --scenario-out mine-learned.toml";

#[derive(Debug, Subcommand)]
pub enum RouterCommand {
    /// Learn from an outcome table which queries need the strong model,
    /// with k-fold cross-validation; writes the model file (JSON) to -o or stdout.
    Train(Box<RouterTrainArgs>),
    /// Measure a trained router on an outcome table as a threshold router
    /// (out-of-fold scores on its own training table), and optionally write
    /// its operating point into a scenario's classifier plan.
    Eval(Box<RouterEvalArgs>),
}

#[derive(Debug, Args)]
#[command(after_help = TRAIN_EXAMPLES)]
pub struct RouterTrainArgs {
    /// The column (or JSON field) holding each query's text; in JSON Lines
    /// it may be a list of chat messages.
    #[arg(long, value_name = "COL")]
    pub text: String,

    /// The weak (cheap) model of the pair: a positive example is a query
    /// it fails and the strong model passes.
    #[arg(long, value_name = "MODEL")]
    pub weak: String,

    /// The strong model of the pair.
    #[arg(long, value_name = "MODEL")]
    pub strong: String,

    /// Folds of the cross-validation that gives every query a score from a
    /// model that never saw it.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: usize,

    /// Seed of the fold assignment (same data and seed: the same file).
    #[arg(long, default_value_t = 17, value_name = "N")]
    pub seed: u64,

    /// L2 penalty of the logistic regression.
    #[arg(long, default_value_t = 1.0, value_name = "ALPHA")]
    pub l2: f64,

    /// Hashed n-gram buckets per block: 2^BITS (word and character blocks).
    #[arg(long, default_value_t = 10, value_name = "BITS")]
    pub hash_bits: u32,

    // The table, and how it is laid out (as `cost eval` reads it).
    #[command(flatten)]
    pub input: TableArgs,

    /// The normalised score (0..1) at which an answer counts as correct.
    #[arg(long = "pass", default_value_t = 0.5, value_name = "SCORE")]
    pub pass_score: f64,

    /// An OpenAI-compatible embeddings endpoint (its full URL): each
    /// query's embedding becomes a feature too. The model file records the
    /// endpoint, so `eval` and the gateway ask it again.
    #[arg(long, value_name = "URL", requires = "embed_model")]
    pub embed_url: Option<String>,

    /// The embeddings model to ask for.
    #[arg(long, value_name = "MODEL", requires = "embed_url")]
    pub embed_model: Option<String>,

    /// The environment variable holding the embeddings API key (the file
    /// records the variable's name, never the key).
    #[arg(long, value_name = "VAR", requires = "embed_url")]
    pub embed_key_env: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = EVAL_EXAMPLES)]
pub struct RouterEvalArgs {
    /// The model file `cost router train` wrote (`cost eval TABLE --router
    /// FILE` is the same command).
    pub router: PathBuf,

    #[command(flatten)]
    pub eval: EvalArgs,
}
