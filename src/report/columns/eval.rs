//! Columns of `cost eval`.

use super::Column;
use crate::report::Kind;

pub const ROLE: Column = Column::new(
    "role",
    "role",
    Kind::Text,
    "the model's part in the evaluation: weak, strong, baseline",
);
pub const QUERIES: Column = Column::new("queries", "queries", Kind::Number, "a number of queries");
pub const PASSED: Column = Column::new(
    "passed",
    "passed",
    Kind::Percent,
    "share of queries whose normalised score reaches the pass score",
);
pub const TOTAL_COST: Column = Column::new(
    "total_cost_usd",
    "total $",
    Kind::Usd,
    "cost of every query of the table, USD",
);
pub const QUALITY_PER_DOLLAR: Column = Column::new(
    "quality_per_usd",
    "quality/$",
    Kind::Number,
    "quality per USD of mean cost per query",
);
pub const ON_ZERO_ROUTER: Column = Column::new(
    "on_zero_router",
    "on hull",
    Kind::Flag,
    "the model is on the zero router's hull (not beaten by mixing others)",
);
pub const ROUTER: Column = Column::new("router", "router", Kind::Text, "a router, or the oracle");
pub const STRONG_SHARE: Column = Column::new(
    "strong_share",
    "strong calls",
    Kind::Percent,
    "share of queries the strong model serves (or is tried on)",
);
pub const PGR: Column = Column::new(
    "pgr",
    "PGR",
    Kind::Number,
    "performance gap recovered between the weak and the strong model",
);
pub const APGR: Column = Column::new(
    "apgr",
    "APGR",
    Kind::Number,
    "PGR averaged over the strong-call share",
);
pub const CPT50: Column = Column::new(
    "cpt50",
    "CPT(50%)",
    Kind::Percent,
    "strong-call share needed to recover 50% of the gap",
);
pub const CPT80: Column = Column::new(
    "cpt80",
    "CPT(80%)",
    Kind::Percent,
    "strong-call share needed to recover 80% of the gap",
);
pub const AIQ: Column = Column::new(
    "aiq",
    "AIQ",
    Kind::Rate,
    "mean quality of the router's own hull over the common cost range (RouterBench)",
);
pub const COST_TO_MATCH_BASELINE: Column = Column::new(
    "cost_to_match_baseline_usd",
    "$/query at base quality",
    Kind::Usd,
    "cheapest cost per query on the router's own curve that reaches the baseline's quality, USD",
);
pub const SAVING_VS_BASELINE: Column = Column::new(
    "savings_share",
    "saves vs baseline",
    Kind::Percent,
    "1 - cost to match the baseline on the router's own curve / the baseline's cost (a fraction)",
);
pub const MIXED_SAVINGS: Column = Column::new(
    "mixed_savings_share",
    "saves, mixed",
    Kind::Percent,
    "the same saving with the router also mixed with the single models (a fraction)",
);
pub const ORACLE_SENDS_TO: Column = Column::new(
    "model",
    "oracle sends to",
    Kind::Text,
    "a model the oracle sends queries to",
);
pub const CATEGORY: Column = Column::new("category", "category", Kind::Text, "a query category");
