//! Columns of `cost breakeven`: a self-hosted fleet against API plans.

use super::Column;
use crate::report::Kind;

pub const API_PER_REQUEST: Column = Column::new(
    "api_cost_per_request_usd",
    "API $/request",
    Kind::Usd,
    "the API plan's expected cost of one request of the scenario (exact sheet prices)",
);
pub const API_PER_MONTH: Column = Column::new(
    "api_cost_per_month_usd",
    "API $/month",
    Kind::Usd,
    "the API plan's cost of a month of the scenario's traffic",
);
pub const SELF_PER_MONTH: Column = Column::new(
    "self_cost_per_month_usd",
    "self $/month",
    Kind::Usd,
    "the self-hosted fleet's cost for a month: every paid GPU-hour, busy or idle",
);
pub const SELF_MINUS_API: Column = Column::new(
    "self_minus_api_per_month_usd",
    "self - API $/month",
    Kind::Usd,
    "self-hosted monthly cost minus the API's: negative when self-hosting saves",
);
pub const BREAKEVEN_UTILISATION: Column = Column::new(
    "breakeven_utilisation_share",
    "break-even util.",
    Kind::Percent,
    "the utilisation at which a GPU-hour's requests cost what the API charges for them; above 1: never",
);
pub const BREAKEVEN_VOLUME: Column = Column::new(
    "breakeven_requests_per_day",
    "break-even req/day",
    Kind::Number,
    "the least daily volume at which the fleet it needs costs less than the API (empty: no volume)",
);
pub const BREAKEVEN_GPUS: Column = Column::new(
    "breakeven_gpus",
    "GPUs there",
    Kind::Number,
    "GPUs (spares included) of the fleet at the break-even volume",
);
pub const VOLUME_SHARE_OF_BREAKEVEN: Column = Column::new(
    "volume_share_of_breakeven",
    "volume / break-even",
    Kind::Percent,
    "the scenario's daily volume as a share of the break-even volume",
);
pub const P_SELF_CHEAPER: Column = Column::new(
    "p_self_cheaper",
    "P(self cheaper)",
    Kind::Percent,
    "Monte Carlo probability that the fleet costs less per day than the API (price, throughput, volume drawn)",
);
pub const REQUESTS_PER_DAY: Column = Column::new(
    "requests_per_day",
    "requests/day",
    Kind::Number,
    "daily volume",
);
pub const GPUS: Column = Column::new(
    "gpus",
    "GPUs",
    Kind::Number,
    "GPUs the fleet needs at that volume, spares included",
);
pub const SELF_CHEAPER: Column = Column::new(
    "self_cheaper",
    "self cheaper",
    Kind::Flag,
    "whether the self-hosted fleet costs less than the API plan",
);
pub const BASIS: Column = Column::new(
    "basis",
    "basis",
    Kind::Text,
    "what the GPU-hour price pays for: owned_tco, reserved_*, on_demand, spot",
);
pub const USD_PER_GPU_HOUR: Column = Column::new(
    "price_usd_per_gpu_hour",
    "$/GPU-h",
    Kind::Usd,
    "the GPU-hour price used on that basis (the newest shipped row, then the cheapest)",
);
pub const PRICE_PROVIDER: Column = Column::new(
    "price_provider",
    "provider",
    Kind::Text,
    "who states the price",
);
pub const PRICE_DATE: Column = Column::new(
    "price_date",
    "date",
    Kind::Text,
    "when the source stated the price",
);
