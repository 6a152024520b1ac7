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
