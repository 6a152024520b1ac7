//! Columns of the gate and data-maintenance commands: `diff`, the gates of
//! `diff` and `compare --check`, `validate` and `pricing import`.

use super::Column;
use crate::report::Kind;

pub const ACTUAL: Column = Column::new(
    "actual",
    "actual",
    Kind::Number,
    "the measured value, in the gate's unit",
);
pub const CAUSE: Column = Column::new(
    "cause",
    "cause",
    Kind::Text,
    "what changed: volume, mix, route, tokens, price, fee, cliff, class added or removed",
);
pub const CHANGE: Column = Column::new(
    "change",
    "change",
    Kind::Text,
    "the change in words, before → after",
);
pub const CHECK: Column = Column::new("check", "check", Kind::Text, "the check that found it");
pub const COST_PER_MONTH_BASE: Column = Column::new(
    "cost_per_month_usd_base",
    "base $/month",
    Kind::Usd,
    "the base run's monthly cost, USD",
);
pub const COST_PER_MONTH_HEAD: Column = Column::new(
    "cost_per_month_usd_head",
    "head $/month",
    Kind::Usd,
    "the head run's monthly cost, USD",
);
pub const COST_PER_REQUEST_BASE: Column = Column::new(
    "cost_per_request_usd_base",
    "base $/request",
    Kind::Usd,
    "the base run's cost per request, USD",
);
pub const COST_PER_REQUEST_HEAD: Column = Column::new(
    "cost_per_request_usd_head",
    "head $/request",
    Kind::Usd,
    "the head run's cost per request, USD",
);
pub const DELTA_SHARE: Column = Column::new(
    "delta_share",
    "Δ %",
    Kind::Percent,
    "the change as a fraction of the base cost",
);
pub const E2E_BASE: Column = Column::new(
    "e2e_s_base",
    "base E2E",
    Kind::Seconds,
    "the base run's end-to-end time estimate, seconds",
);
pub const E2E_HEAD: Column = Column::new(
    "e2e_s_head",
    "head E2E",
    Kind::Seconds,
    "the head run's end-to-end time estimate, seconds",
);
pub const TTFT_BASE: Column = Column::new(
    "ttft_s_base",
    "base TTFT",
    Kind::Seconds,
    "the base run's time-to-first-token estimate, seconds",
);
pub const TTFT_HEAD: Column = Column::new(
    "ttft_s_head",
    "head TTFT",
    Kind::Seconds,
    "the head run's time-to-first-token estimate, seconds",
);
pub const QUALITY_BASE: Column = Column::new(
    "quality_base",
    "base quality",
    Kind::Rate,
    "the base run's success rate",
);
pub const QUALITY_HEAD: Column = Column::new(
    "quality_head",
    "head quality",
    Kind::Rate,
    "the head run's success rate",
);
pub const GATE: Column = Column::new(
    "gate",
    "gate",
    Kind::Text,
    "the gate: budget, fail_above_usd or fail_above_pct",
);
pub const LIMIT: Column = Column::new(
    "limit",
    "limit",
    Kind::Number,
    "the gate's limit, in its unit",
);
pub const UNIT: Column = Column::new("unit", "unit", Kind::Text, "the unit of limit and actual");
pub const PASSED: Column = Column::new(
    "passed",
    "passed",
    Kind::Verdict,
    "whether the plan passed the gate",
);
pub const STATUS: Column = Column::new(
    "status",
    "status",
    Kind::Text,
    "added, removed, changed or unchanged",
);
pub const SEVERITY: Column = Column::new("severity", "severity", Kind::Text, "error or warning");
pub const LINE: Column = Column::new("line", "line", Kind::Tokens, "the 1-based line in the file");
pub const KEY: Column = Column::new(
    "key",
    "key",
    Kind::Text,
    "the key in the file, e.g. models[3].prices[0].input",
);
pub const MESSAGE: Column = Column::new(
    "message",
    "message",
    Kind::Text,
    "what is wrong and how to fix it",
);
pub const ENTRIES: Column = Column::new(
    "entries",
    "entries",
    Kind::Tokens,
    "catalog entries not imported for this reason",
);
pub const ENTRY: Column = Column::new("entry", "entry", Kind::Text, "a catalog entry");
pub const EXAMPLES: Column = Column::new(
    "examples",
    "examples",
    Kind::Text,
    "up to three entries left out for this reason",
);
pub const DETAIL: Column = Column::new("detail", "detail", Kind::Text, "more about why");
pub const PRICE_LEFT_OUT: Column = Column::new(
    "key",
    "price left out",
    Kind::Text,
    "a catalog price key cost does not bill",
);
pub const NOT_IMPORTED_BECAUSE: Column = Column::new(
    "reason",
    "not imported because",
    Kind::Text,
    "why entries were not imported",
);
pub const MODEL_COUNT: Column = Column::new("models", "models", Kind::Tokens, "a number of models");
