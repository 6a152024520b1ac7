//! Columns of `cost replay LOG --forecast SCENARIO --plan NAME`: a gateway
//! log's actual traffic per class beside the scenario's forecast for the
//! same plan, and the savings the log's baseline counterfactual shows.

use super::Column;
use crate::report::Kind;

pub const FORECAST_SHARE: Column = Column::new(
    "forecast_share",
    "forecast share",
    Kind::Percent,
    "the class's share of requests in the scenario (a fraction)",
);
pub const ACTUAL_SHARE: Column = Column::new(
    "actual_share",
    "actual share",
    Kind::Percent,
    "the class's share of the requests the gateway routed (a fraction)",
);
pub const FORECAST_PER_REQUEST: Column = Column::new(
    "forecast_cost_per_request_usd",
    "forecast $/req",
    Kind::Usd,
    "the plan's expected cost of one request of the class, USD",
);
pub const ACTUAL_PER_REQUEST: Column = Column::new(
    "actual_cost_per_request_usd",
    "actual $/req",
    Kind::Usd,
    "the class's logged cost divided by its requests (retries and fallbacks included), USD",
);
pub const FORECAST_PER_MONTH: Column = Column::new(
    "forecast_cost_per_month_usd",
    "forecast $/month",
    Kind::Usd,
    "the class's forecast cost of a month at the scenario's volume, USD",
);
pub const ACTUAL_PER_MONTH: Column = Column::new(
    "actual_cost_per_month_usd",
    "actual $/month",
    Kind::Usd,
    "a month at the scenario's volume with the actual share and cost per request, USD",
);
pub const ACTUAL_COST: Column = Column::new(
    "cost_usd",
    "cost",
    Kind::Usd,
    "the exact cost the gateway logged for the class's attempts, USD",
)
.detail();
pub const ATTEMPTS: Column = Column::new(
    "attempts",
    "attempts",
    Kind::Tokens,
    "upstream attempts, retries and fallbacks included",
)
.detail();
pub const BASELINE_COST: Column = Column::new(
    "baseline_cost_usd",
    "baseline",
    Kind::Usd,
    "the same usage priced on the baseline plan's model, as the gateway logged it, USD",
)
.detail();
pub const ACTUAL_SAVINGS: Column = Column::new(
    "savings_usd",
    "saved",
    Kind::Usd,
    "baseline cost minus actual cost, over the attempts the log gives both for, USD",
);
pub const ACTUAL_SAVINGS_SHARE: Column = Column::new(
    "savings_share",
    "saved share",
    Kind::Percent,
    "the savings as a fraction of the baseline cost",
)
.detail();
