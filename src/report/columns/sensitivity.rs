//! Columns of `cost sensitivity`: one row per assumption moved over its range.

use super::Column;
use crate::report::Kind;

pub const ASSUMPTION: Column = Column::new(
    "assumption",
    "assumption",
    Kind::Text,
    "the assumption moved: volume, share:CLASS, price:MODEL, output, reasoning, cache-hit or misroute",
);
pub const RANGE: Column = Column::new(
    "range",
    "range",
    Kind::Text,
    "how far the assumption moves, in words",
)
.footnoted();
pub const BASE_VALUE: Column = Column::new(
    "base_value",
    "now",
    Kind::Number,
    "the assumption's value in the scenario (requests/day, share, price multiplier, tokens per request, cache-read share of the prompt, misrouted share)",
);
pub const LOW_VALUE: Column = Column::new(
    "low_value",
    "low",
    Kind::Number,
    "the assumption at the low end of its range",
);
pub const HIGH_VALUE: Column = Column::new(
    "high_value",
    "high",
    Kind::Number,
    "the assumption at the high end of its range",
);
pub const LOW_COST: Column = Column::new(
    "low_cost_per_month_usd",
    "$/month at low",
    Kind::Usd,
    "the plan's expected monthly cost with the assumption at its low end, USD",
);
pub const HIGH_COST: Column = Column::new(
    "high_cost_per_month_usd",
    "$/month at high",
    Kind::Usd,
    "the plan's expected monthly cost with the assumption at its high end, USD",
);
pub const SWING: Column = Column::new(
    "swing_per_month_usd",
    "swing $/month",
    Kind::Usd,
    "how far the monthly cost moves across the range (high minus low, absolute), USD",
);
pub const SWING_SHARE: Column = Column::new(
    "swing_share",
    "swing %",
    Kind::Percent,
    "the swing as a fraction of the plan's monthly cost in the scenario",
);
