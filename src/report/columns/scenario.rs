//! Columns of the scenario commands: `compare`, `route`, `frontier`,
//! `simulate` and `sweep`.

use super::Column;
use crate::report::Kind;

// compare
pub const BASELINE: Column = Column::new(
    "baseline",
    "base",
    Kind::Flag,
    "whether this plan is the scenario's baseline",
)
.detail();
pub const SAVINGS_PER_MONTH: Column = Column::new(
    "savings_per_month_usd",
    "saves $/month",
    Kind::Usd,
    "the baseline's monthly cost minus this plan's, USD (negative: costs more)",
)
.detail();
pub const SAVINGS_SHARE: Column = Column::new(
    "savings_share",
    "saves %",
    Kind::Percent,
    "savings against the baseline as a fraction of the baseline's cost",
);
pub const DECLARED: Column = Column::new(
    "declared",
    "declared",
    Kind::Flag,
    "declared in the scenario (not an added \"all traffic to M\" row)",
);
pub const TIER: Column = Column::new("tier", "tier", Kind::Text, "the service tier billed");
pub const PROMPT_TOKENS: Column = Column::new(
    "prompt_tokens",
    "prompt",
    Kind::Tokens,
    "the whole prompt of the representative request, tokens",
);
pub const PER_REQUEST_FEE: Column = Column::new(
    "per_request_fee_usd",
    "fee",
    Kind::Usd,
    "the fixed fee per request, USD",
);
pub const EXPECTED_COST_PER_REQUEST: Column = Column::new(
    "expected_cost_per_request_usd",
    "expected $/request",
    Kind::Usd,
    "the expected cost of a request over the class's token distributions, USD",
);
/// Per billed part, in `Part::TOKENS` order: the tokens billed (`input` is
/// the uncached part) and the rate billed. `cost diff` reads them back.
pub const PART_TOKENS: [Column; 6] = [
    Column::new(
        "input_tokens",
        "input",
        Kind::Tokens,
        "uncached input tokens billed per request",
    ),
    Column::new(
        "cache_read_tokens",
        "cache_read",
        Kind::Tokens,
        "cache-read tokens billed per request",
    ),
    Column::new(
        "cache_write_tokens",
        "cache_write",
        Kind::Tokens,
        "5-minute cache-write tokens billed per request",
    ),
    Column::new(
        "cache_write_1h_tokens",
        "cache_write_1h",
        Kind::Tokens,
        "1-hour cache-write tokens billed per request",
    ),
    Column::new(
        "output_tokens",
        "output",
        Kind::Tokens,
        "output tokens billed per request",
    ),
    Column::new(
        "reasoning_tokens",
        "reasoning",
        Kind::Tokens,
        "reasoning tokens billed per request",
    ),
];
pub const PART_RATES: [Column; 6] = [
    Column::new(
        "input_usd_per_million",
        "input",
        Kind::UsdPerMillion,
        "the uncached input rate billed, USD per 1M tokens",
    ),
    Column::new(
        "cache_read_usd_per_million",
        "cache_read",
        Kind::UsdPerMillion,
        "the cache-read rate billed, USD per 1M tokens",
    ),
    Column::new(
        "cache_write_usd_per_million",
        "cache_write",
        Kind::UsdPerMillion,
        "the 5-minute cache-write rate billed, USD per 1M tokens",
    ),
    Column::new(
        "cache_write_1h_usd_per_million",
        "cache_write_1h",
        Kind::UsdPerMillion,
        "the 1-hour cache-write rate billed, USD per 1M tokens",
    ),
    Column::new(
        "output_usd_per_million",
        "output",
        Kind::UsdPerMillion,
        "the output rate billed, USD per 1M tokens",
    ),
    Column::new(
        "reasoning_usd_per_million",
        "reasoning",
        Kind::UsdPerMillion,
        "the reasoning rate billed, USD per 1M tokens",
    ),
];

// route
pub const INTENDED: Column = Column::new(
    "intended",
    "meant for",
    Kind::Text,
    "the model the class is meant for (a router's route, the oracle's pick)",
);
pub const SERVED_BY: Column = Column::new(
    "served_by",
    "served by",
    Kind::Text,
    "the models a request of the class calls, with calls per request",
)
.footnoted();
pub const OVER_SERVED: Column = Column::new(
    "over_served",
    "over-served",
    Kind::Percent,
    "share of requests sent to a dearer model than intended",
);
pub const WASTED_PER_DAY: Column = Column::new(
    "wasted_per_day_usd",
    "wasted $/day",
    Kind::Usd,
    "money paid above the intended model's cost, per day, USD",
);
pub const UNDER_SERVED: Column = Column::new(
    "under_served",
    "under-served",
    Kind::Percent,
    "share of requests sent to a cheaper model than intended",
);
pub const QUALITY_LOST: Column = Column::new(
    "quality_lost",
    "quality lost",
    Kind::Rate,
    "success rate lost by under-serving",
);
pub const MODEL_SHARES: Column = Column::new(
    "model_shares",
    "traffic share",
    Kind::Text,
    "calls per request to each serving model",
)
.detail()
.footnoted();
pub const RANDOM_ROUTER_PER_MONTH: Column = Column::new(
    "random_router_per_month_usd",
    "random $/mo",
    Kind::Usd,
    "monthly cost of a random router with the plan's model shares, USD",
)
.detail();
pub const SAVINGS_VS_RANDOM_PER_MONTH: Column = Column::new(
    "savings_vs_random_per_month_usd",
    "vs random $/mo",
    Kind::Usd,
    "the random router's monthly cost minus this plan's, USD",
);
pub const RANDOM_ROUTER_QUALITY: Column = Column::new(
    "random_router_quality",
    "random quality",
    Kind::Rate,
    "success rate of the random router with the plan's model shares",
);
pub const WASTED_PER_MONTH: Column = Column::new(
    "wasted_per_month_usd",
    "misroute $/mo",
    Kind::Usd,
    "money paid above the intended models' cost, per month, USD",
);
pub const MISROUTE_QUALITY_LOST: Column = Column::new(
    "quality_lost",
    "misroute q. lost",
    Kind::Rate,
    "success rate lost by under-serving",
);
pub const BREAKEVEN_MISROUTE_RATE: Column = Column::new(
    "breakeven_misroute_rate",
    "b/e misroute",
    Kind::Percent,
    "the misroute rate at which the plan costs as much as the baseline",
);
pub const BREAKEVEN_ROUTER_COST: Column = Column::new(
    "breakeven_router_cost_usd",
    "b/e router $/req",
    Kind::Usd,
    "the router cost per request at which the plan costs as much as the baseline, USD",
);
pub const BREAKEVEN_SHARE: Column = Column::new(
    "breakeven_share",
    "b/e share",
    Kind::Percent,
    "the share of the dearest-routed class at which the plan costs as much as the baseline",
);
pub const BREAKEVEN_CLASS: Column = Column::new(
    "breakeven_class",
    "b/e class",
    Kind::Text,
    "the class whose share `breakeven_share` varies",
)
.detail();

// frontier
pub const SINGLE_MODEL: Column = Column::new(
    "single_model",
    "single model",
    Kind::Flag,
    "a single model rather than a routing plan",
);
pub const ON_FRONTIER: Column = Column::new(
    "on_frontier",
    "on frontier",
    Kind::Flag,
    "on the non-decreasing convex hull of every point",
);
pub const ZERO_ROUTER_QUALITY: Column = Column::new(
    "zero_router_quality",
    "zero-router quality at this cost",
    Kind::Rate,
    "the zero router's quality at this point's cost",
);
pub const QUALITY_VS_ZERO_ROUTER: Column = Column::new(
    "quality_vs_zero_router",
    "quality vs zero router",
    Kind::Number,
    "quality above the zero router at the same cost",
);
pub const ZERO_ROUTER_COST: Column = Column::new(
    "zero_router_cost_usd",
    "zero-router $/request for this quality",
    Kind::Usd,
    "the zero router's cost per request at this point's quality, USD",
);
pub const SAVINGS_VS_ZERO_ROUTER_SHARE: Column = Column::new(
    "savings_vs_zero_router_share",
    "saves vs zero router %",
    Kind::Percent,
    "saving against the zero router at the same quality, as a fraction",
);

// simulate
pub const EXPECTED_PER_DAY: Column = Column::new(
    "expected_per_day_usd",
    "expected $/day",
    Kind::Usd,
    "the exact expected daily bill, USD",
);
pub const MEAN_PER_DAY: Column = Column::new(
    "mean_per_day_usd",
    "mean $/day",
    Kind::Usd,
    "the mean simulated daily bill, USD",
)
.detail();
pub const PERIOD: Column = Column::new("period", "period", Kind::Text, "day or month");
pub const BIN_LOW: Column = Column::new(
    "bin_low_usd",
    "from",
    Kind::Usd,
    "the bin's lower edge, USD",
);
pub const BIN_HIGH: Column =
    Column::new("bin_high_usd", "to", Kind::Usd, "the bin's upper edge, USD");
pub const COUNT: Column = Column::new(
    "count",
    "count",
    Kind::Tokens,
    "simulated periods in the bin",
);
pub const PERIOD_SHARE: Column = Column::new(
    "share",
    "share",
    Kind::Percent,
    "share of simulated periods in the bin",
);

// sweep
pub const PARAM: Column = Column::new("param", "param", Kind::Text, "the parameter swept");
pub const VALUE: Column = Column::new("value", "value", Kind::Number, "the parameter's value");
