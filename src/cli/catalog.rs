//! Arguments of the catalog commands: `models` and `estimate`.

use clap::Args;
use jiff::civil::Date;

use super::values::{mix, non_negative, whole, DateParser, TimeParser};
use crate::pricing::listing::{Figure, Mix, SortKey};
use crate::pricing::ServiceTier;

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Only models whose id, alias or name contains this text.
    pub filter: Option<String>,

    /// Only this provider (e.g. openai, anthropic, google).
    #[arg(long)]
    pub provider: Option<String>,

    /// Only models whose blended price (see --mix) is at most this, USD per 1M tokens.
    #[arg(long, value_name = "USD", allow_negative_numbers = true, value_parser = non_negative)]
    pub max_price: Option<f64>,

    /// Only models with at least this context window, in tokens.
    #[arg(long, value_name = "TOKENS", allow_negative_numbers = true, value_parser = whole)]
    pub min_context: Option<u64>,

    /// Only models that carry latency or quality figures.
    #[arg(long, value_enum)]
    pub has: Vec<Figure>,

    /// Sort order.
    #[arg(long, value_enum, default_value_t = SortKey::Provider)]
    pub sort: SortKey,

    /// Input:output token mix for the blended price, e.g. 3:1.
    #[arg(long, default_value = "3:1", value_name = "IN:OUT", value_parser = mix)]
    pub mix: Mix,

    /// Prices in force on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Model id or alias.
    #[arg(long, short)]
    pub model: String,

    /// The whole prompt in tokens, cached and cache-written tokens included.
    #[arg(long, allow_negative_numbers = true, value_parser = whole)]
    pub input: u64,

    /// Prompt tokens read from the cache (part of --input).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole)]
    pub cache_read: u64,

    /// Prompt tokens written to the cache, 5-minute TTL (part of --input).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole)]
    pub cache_write: u64,

    /// Prompt tokens written to the long-retention cache (part of --input):
    /// Anthropic's 1-hour TTL, OpenAI's 12-hour extended retention.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole)]
    pub cache_write_1h: u64,

    /// Output tokens: the visible answer.
    #[arg(long, allow_negative_numbers = true, value_parser = whole)]
    pub output: u64,

    /// Reasoning (thinking) tokens, generated in addition to --output.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = whole)]
    pub reasoning: u64,

    /// Service tier.
    #[arg(long, value_enum, default_value_t = ServiceTier::Standard)]
    pub tier: ServiceTier,

    /// Fast mode (Anthropic): an error on a model whose sheet does not price it.
    #[arg(long)]
    pub fast: bool,

    /// A regional / data-residency endpoint (its uplift): an error on a
    /// model whose sheet does not price it.
    #[arg(long)]
    pub regional: bool,

    /// Prices in force on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    /// The request's time of day, HH:MM in UTC, for time-of-day prices
    /// (DeepSeek's off-peak windows). Default: the list (peak) price.
    #[arg(long, value_name = "HH:MM", value_parser = TimeParser)]
    pub time: Option<jiff::civil::Time>,
}
