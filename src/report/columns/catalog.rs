//! Columns of the catalog commands: `models`, `estimate` and `scenarios`.

use super::Column;
use crate::report::Kind;

pub const PART: Column = Column::new(
    "part",
    "part",
    Kind::Text,
    "a billed component: input (uncached), cache_read, cache_write, cache_write_1h, output, reasoning, per_request, or the total",
);
pub const USD_PER_MILLION: Column = Column::new(
    "usd_per_million",
    "$/1M tokens",
    Kind::UsdPerMillion,
    "the rate billed, USD per 1M tokens",
);

pub const ID: Column = Column::new("id", "id", Kind::Text, "the model id");
pub const CONTEXT_WINDOW: Column = Column::new(
    "context_window",
    "context",
    Kind::Tokens,
    "the context window, tokens",
);
pub const INPUT_PRICE: Column = Column::new(
    "input_usd_per_million",
    "input $/1M",
    Kind::UsdPerMillion,
    "the uncached input price, USD per 1M tokens",
);
pub const CACHE_READ_PRICE: Column = Column::new(
    "cache_read_usd_per_million",
    "cached $/1M",
    Kind::UsdPerMillion,
    "the cache-read price, USD per 1M tokens",
);
pub const OUTPUT_PRICE: Column = Column::new(
    "output_usd_per_million",
    "output $/1M",
    Kind::UsdPerMillion,
    "the output price, USD per 1M tokens",
);
pub const BLENDED_PRICE: Column = Column::new(
    "blended_usd_per_million",
    "blended $/1M",
    Kind::UsdPerMillion,
    "the input and output prices weighted by --mix, USD per 1M tokens",
);
pub const PUBLISHED_TTFT: Column = Column::new(
    "ttft_s",
    "TTFT",
    Kind::Seconds,
    "the published time to first token, seconds",
);
pub const OUTPUT_TPS: Column = Column::new(
    "output_tps",
    "tok/s",
    Kind::Number,
    "the published output speed, tokens per second",
);
pub const INDEX_PER_USD: Column = Column::new(
    "quality_per_usd",
    "index per blended $",
    Kind::Number,
    "the quality index per blended dollar per 1M tokens",
);
pub const VERIFIED: Column = Column::new(
    "verified",
    "verified",
    Kind::Text,
    "the date the prices were last checked against the source",
);
pub const SCENARIO_NAME: Column =
    Column::new("name", "name", Kind::Text, "the built-in scenario's name");
pub const REQUESTS_PER_DAY: Column = Column::new(
    "requests_per_day",
    "requests/day",
    Kind::Tokens,
    "requests a day",
);
pub const CLASS_NAMES: Column =
    Column::new("classes", "classes", Kind::Text, "the scenario's classes");
pub const PLAN_NAMES: Column = Column::new("plans", "plans", Kind::Text, "the scenario's plans");
pub const DESCRIPTION: Column = Column::new(
    "description",
    "description",
    Kind::Text,
    "what the scenario models",
);
pub const INDEX: Column = Column::new(
    "quality",
    "aa-intelligence-index",
    Kind::Number,
    "Artificial Analysis' Intelligence Index, where a dated source was found",
);
