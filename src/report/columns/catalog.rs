//! Columns of the catalog commands: `models` and `estimate`.

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
