//! Columns of the usage-log commands: `replay` and `tokens`.

use super::Column;
use crate::report::Kind;

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
);
pub const CACHE_WRITE_TOKENS: Column = Column::new(
    "cache_write_tokens",
    "cache write",
    Kind::Tokens,
    "prompt tokens written to the cache (both TTLs)",
);
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
);
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
