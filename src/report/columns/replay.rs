//! Columns of the usage-log commands: `replay` and `tokens`.

use super::Column;
use crate::report::Kind;

pub const NOT_PRICED_REQUESTS: Column = Column::rare(
    "not_priced_requests",
    "not priced",
    Kind::Tokens,
    "requests on unknown models or with no price on their date or tier: counted in requests, not in the token and cost columns",
);
pub const NOT_PRICED_TOKENS: Column = Column::rare(
    "not_priced_tokens",
    "not priced tokens",
    Kind::Tokens,
    "prompt plus generated tokens of the requests not priced",
);
pub const SUMMARY: Column = Column::new(
    "summary",
    "summary",
    Kind::Text,
    "a count of the whole replay, named as the JSON report's top-level key",
);
pub const SUMMARY_COUNT: Column = Column::new("count", "count", Kind::Tokens, "the count");
pub const INPUT_TOKENS: Column = Column::new(
    "input_tokens",
    "input",
    Kind::Tokens,
    "prompt tokens, cache reads and writes included",
);
pub const CACHE_READ_TOKENS: Column = Column::new(
    "cache_read_tokens",
    "cache read",
    Kind::Tokens,
    "prompt tokens read from the cache",
)
.detail();
pub const CACHE_WRITE_TOKENS: Column = Column::new(
    "cache_write_tokens",
    "cache write",
    Kind::Tokens,
    "prompt tokens written to the cache (both TTLs)",
)
.detail();
pub const OUTPUT_TOKENS: Column = Column::new(
    "output_tokens",
    "output",
    Kind::Tokens,
    "generated tokens, reasoning excluded",
);
pub const REASONING_TOKENS: Column = Column::new(
    "reasoning_tokens",
    "reasoning",
    Kind::Tokens,
    "reasoning tokens, billed as output",
)
.detail();
pub const LOGGED_COST: Column = Column::new(
    "logged_cost_usd",
    "logged",
    Kind::Usd,
    "the cost the log states, over the requests that state one and were priced, USD",
);
pub const LOGGED_DIFFERENCE: Column = Column::new(
    "logged_difference_usd",
    "logged − cost",
    Kind::Usd,
    "logged cost minus computed cost, request for request, USD",
);
pub const WHAT_IF_COST: Column = Column::new(
    "what_if_cost_usd",
    "what-if",
    Kind::Usd,
    "the same requests priced on the what-if model or plan, USD",
);
pub const SAVINGS: Column = Column::new(
    "savings_usd",
    "saves",
    Kind::Usd,
    "computed cost minus what-if cost, over the requests priced both ways, USD",
);
pub const ROUTED_TO: Column = Column::new(
    "model",
    "routed to",
    Kind::Text,
    "the catalog model the plan sends the class to",
);
pub const UNKNOWN_MODEL: Column = Column::new(
    "model",
    "unknown model",
    Kind::Text,
    "a model name the log uses and the catalog does not know",
);
pub const LINE: Column = Column::new("line", "line", Kind::Number, "a line number in the file");
pub const FIELD: Column = Column::new(
    "field",
    "field",
    Kind::Text,
    "the field at fault (a dotted JSON path or a CSV column), or `line`",
);
pub const PROBLEM: Column = Column::new(
    "problem",
    "problem",
    Kind::Text,
    "what is wrong with the line",
);

pub const ESTIMATE: Column = Column::new(
    "estimate",
    "est.",
    Kind::Flag,
    "the count is an estimate: the model's tokenizer is not public",
);
pub const INPUT_COST: Column = Column::new(
    "input_cost_usd",
    "input cost",
    Kind::Usd,
    "cost of the prompts' tokens, USD",
);
pub const OUTPUT_COST: Column = Column::new(
    "output_cost_usd",
    "output cost",
    Kind::Usd,
    "cost of the assumed output tokens, USD",
);
pub const TOKENIZER: Column = Column::new(
    "tokenizer",
    "tokenizer",
    Kind::Text,
    "the encoding the count comes from",
);

pub const TIMED_REQUESTS: Column = Column::new(
    "timed_requests",
    "timed",
    Kind::Number,
    "requests whose log states a usable timing (TTFT, E2E or both)",
);
pub const UNTIMED_REQUESTS: Column = Column::new(
    "untimed_requests",
    "no timing",
    Kind::Number,
    "requests whose log states no timing",
)
.detail();
pub const BAD_TIMING_REQUESTS: Column = Column::new(
    "bad_timing_requests",
    "bad timing",
    Kind::Number,
    "requests priced although their timing fields are bad (--skip-bad), left out of the latency figures",
)
.detail();
pub const TTFT_REQUESTS: Column = Column::new(
    "ttft_requests",
    "n TTFT",
    Kind::Number,
    "requests with a first-token time: what the TTFT percentiles are over",
)
.detail();
pub const MEASURED_TTFT_P50: Column = Column::new(
    "ttft_p50_s",
    "TTFT p50 (s)",
    Kind::Number,
    "median time to first token measured in the log (nearest rank), seconds",
);
pub const MEASURED_TTFT_P90: Column = Column::new(
    "ttft_p90_s",
    "TTFT p90 (s)",
    Kind::Number,
    "90th percentile of the measured time to first token (nearest rank), seconds",
)
.detail();
pub const MEASURED_TTFT_P99: Column = Column::new(
    "ttft_p99_s",
    "TTFT p99 (s)",
    Kind::Number,
    "99th percentile of the measured time to first token (nearest rank), seconds",
);
pub const E2E_REQUESTS: Column = Column::new(
    "e2e_requests",
    "n E2E",
    Kind::Number,
    "requests with a start and an end: what the E2E percentiles are over",
)
.detail();
pub const MEASURED_E2E_P50: Column = Column::new(
    "e2e_p50_s",
    "E2E p50 (s)",
    Kind::Number,
    "median end-to-end time measured in the log (nearest rank), seconds",
);
pub const MEASURED_E2E_P90: Column = Column::new(
    "e2e_p90_s",
    "E2E p90 (s)",
    Kind::Number,
    "90th percentile of the measured end-to-end time (nearest rank), seconds",
)
.detail();
pub const MEASURED_E2E_P99: Column = Column::new(
    "e2e_p99_s",
    "E2E p99 (s)",
    Kind::Number,
    "99th percentile of the measured end-to-end time (nearest rank), seconds",
);
pub const TPS_REQUESTS: Column = Column::new(
    "tps_requests",
    "n tok/s",
    Kind::Number,
    "requests with a first token before their end: what the output-rate percentiles are over",
)
.detail();
pub const OUTPUT_TPS_P50: Column = Column::new(
    "output_tps_p50",
    "tok/s p50",
    Kind::Number,
    "median output rate: (output + reasoning tokens) / (end − first token), tokens per second",
);
pub const OUTPUT_TPS_P90: Column = Column::new(
    "output_tps_p90",
    "tok/s p90",
    Kind::Number,
    "90th percentile of the output rate (nearest rank), tokens per second",
)
.detail();
pub const OUTPUT_TPS_P99: Column = Column::new(
    "output_tps_p99",
    "tok/s p99",
    Kind::Number,
    "99th percentile of the output rate (nearest rank), tokens per second",
);
