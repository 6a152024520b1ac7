//! Columns only the board report (`cost report`) shows.

use super::Column;
use crate::report::Kind;

pub const MONTH_P90: Column = Column::new(
    "month_p90_usd",
    "P90 month",
    Kind::Usd,
    "90th percentile of the simulated monthly bill, USD",
);
pub const PRICE_FROM: Column = Column::new(
    "price_from",
    "price since",
    Kind::Text,
    "the first day of the price period in force on the price date (empty: since the model's listing)",
);
pub const PRICE_SOURCE: Column = Column::new(
    "price_source",
    "source",
    Kind::Text,
    "where the price was read: the provider's page or the catalog it came from",
);

// Plan vs actual (`cost report --replay`): a segment is a class, or a
// model; a month of the forecast beside a month of the logs.
pub const FORECAST_MIX: Column = Column::new(
    "forecast_share",
    "forecast share",
    Kind::Percent,
    "the segment's share of the plan's calls a month (a fraction)",
);
pub const ACTUAL_MIX: Column = Column::new(
    "actual_share",
    "actual share",
    Kind::Percent,
    "the segment's share of the logged calls (a fraction)",
);
pub const FORECAST_TOKENS_PER_CALL: Column = Column::new(
    "forecast_tokens_per_call",
    "forecast tokens/call",
    Kind::Number,
    "billed tokens (prompt, cache, output, reasoning) of one forecast call; a class's request counts every call it makes",
);
pub const ACTUAL_TOKENS_PER_CALL: Column = Column::new(
    "actual_tokens_per_call",
    "actual tokens/call",
    Kind::Number,
    "billed tokens of one logged call, on average",
);
pub const FORECAST_PER_CALL: Column = Column::new(
    "forecast_cost_per_call_usd",
    "forecast $/call",
    Kind::Usd,
    "the plan's expected cost of one call of the segment, USD",
);
pub const ACTUAL_PER_CALL: Column = Column::new(
    "actual_cost_per_call_usd",
    "actual $/call",
    Kind::Usd,
    "the logged calls' cost divided by their number, USD",
);
pub const FORECAST_MONTH: Column = Column::new(
    "forecast_cost_per_month_usd",
    "forecast $/month",
    Kind::Usd,
    "the segment's forecast cost of a month at the scenario's volume, USD",
);
pub const ACTUAL_MONTH: Column = Column::new(
    "actual_cost_per_month_usd",
    "actual $/month",
    Kind::Usd,
    "the segment's logged cost scaled to a month by the logs' time span, USD",
);
pub const STEP: Column = Column::new(
    "step",
    "step",
    Kind::Text,
    "forecast, then each factor switched to its actual value in turn, then the actual",
);
pub const STEP_CHANGE: Column = Column::new(
    "change_usd",
    "change $/month",
    Kind::Usd,
    "what switching the factor changes the monthly cost by (the actual row: the whole variance), USD",
);
pub const STEP_LEVEL: Column = Column::new(
    "cost_per_month_usd",
    "$/month after",
    Kind::Usd,
    "the monthly cost once the factors up to this step are actual, USD",
);
