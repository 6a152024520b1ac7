//! Columns shared by several commands.

use super::Column;
use crate::report::Kind;

pub const PLAN: Column = Column::new("plan", "plan", Kind::Text, "the plan's name");
pub const ROUTES: Column = Column::new(
    "routes",
    "routes",
    Kind::Text,
    "what the plan does: its model, or where each class goes",
)
.footnoted();
pub const CLASS: Column = Column::new("class", "class", Kind::Text, "a class of requests");
pub const SHARE: Column = Column::new(
    "share",
    "share",
    Kind::Percent,
    "the class's share of the traffic (a fraction)",
);
pub const MODEL: Column = Column::new("model", "model", Kind::Text, "a catalog model id");
pub const PROVIDER: Column = Column::new("provider", "provider", Kind::Text, "the provider's id");
pub const FILE: Column = Column::new("file", "file", Kind::Text, "an input file");
pub const REASON: Column = Column::new("reason", "reason", Kind::Text, "why, in a few words");
pub const TOKENS: Column = Column::new("tokens", "tokens", Kind::Tokens, "a token count");
pub const REQUESTS: Column =
    Column::new("requests", "requests", Kind::Tokens, "a number of requests");

pub const COST_PER_REQUEST: Column = Column::new(
    "cost_per_request_usd",
    "$/request",
    Kind::Usd,
    "expected cost of one request, USD",
);
pub const COST_PER_DAY: Column = Column::new(
    "cost_per_day_usd",
    "$/day",
    Kind::Usd,
    "expected cost of a day's traffic, USD",
)
.detail();
pub const COST_PER_MONTH: Column = Column::new(
    "cost_per_month_usd",
    "$/month",
    Kind::Usd,
    "expected cost of a month's traffic, USD",
);
pub const COST: Column = Column::new("cost_usd", "cost", Kind::Usd, "cost, USD");
pub const COST_PER_QUERY: Column = Column::new(
    "cost_per_query_usd",
    "$/query",
    Kind::Usd,
    "mean cost of one query, USD",
);
pub const LONG_CONTEXT_ABOVE: Column = Column::new(
    "long_context_above",
    "cliff above",
    Kind::Tokens,
    "the long-context threshold: prompts above it are billed at other prices",
);

pub const QUALITY: Column = Column::new(
    "quality",
    "quality",
    Kind::Rate,
    "success rate in 0..1 (from the scenario's evals or the outcome table)",
);
pub const QUALITY_PER_USD: Column = Column::new(
    "quality_per_usd",
    "ok/$",
    Kind::Number,
    "successful requests per dollar: quality / cost per request",
)
.detail();
pub const TTFT: Column = Column::new(
    "ttft_s",
    "TTFT",
    Kind::Seconds,
    "estimated time to first token, seconds",
);
pub const TTFT_ANSWER: Column = Column::new(
    "ttft_answer_s",
    "answer TTFT",
    Kind::Seconds,
    "estimated time to the first answer token, thinking included, seconds",
)
.detail();
pub const INDEX: Column = Column::new(
    "index",
    "index",
    Kind::Number,
    "a global public quality index (named in the notes) blended over the classes; not the scenario's own quality",
);
pub const INDEX_PER_USD: Column = Column::new(
    "index_per_usd",
    "index/$",
    Kind::Number,
    "the global index per dollar of cost per request",
)
.detail();
pub const E2E: Column = Column::new(
    "e2e_s",
    "E2E",
    Kind::Seconds,
    "estimated end-to-end time of a request, seconds",
);
pub const ESCALATED: Column = Column::new(
    "escalated",
    "escalated",
    Kind::Percent,
    "share of requests a cascade passed past its first stage",
);
pub const DOMINATED_BY: Column = Column::new(
    "dominated_by",
    "dominated by",
    Kind::Text,
    "a point at least as cheap and as good (better in one)",
);
pub const DELTA_PER_MONTH: Column = Column::new(
    "delta_per_month_usd",
    "Δ $/month",
    Kind::Usd,
    "change in monthly cost, head minus base, USD",
);

// Monte Carlo bands and latency percentiles (`simulate`, and the bands of
// `compare` and `route`).
pub const DAY_P5: Column = Column::new(
    "day_p5_usd",
    "day p5",
    Kind::Usd,
    "5th percentile of the simulated daily bill, USD",
);
pub const DAY_P50: Column = Column::new(
    "day_p50_usd",
    "day p50",
    Kind::Usd,
    "median simulated daily bill, USD",
)
.detail();
pub const DAY_P95: Column = Column::new(
    "day_p95_usd",
    "day p95",
    Kind::Usd,
    "95th percentile of the simulated daily bill, USD",
);
pub const DAY_P99: Column = Column::new(
    "day_p99_usd",
    "day p99",
    Kind::Usd,
    "99th percentile of the simulated daily bill, USD",
)
.detail();
pub const MONTH_P5: Column = Column::new(
    "month_p5_usd",
    "month p5",
    Kind::Usd,
    "5th percentile of the simulated monthly bill, USD",
)
.detail();
pub const MONTH_P50: Column = Column::new(
    "month_p50_usd",
    "month p50",
    Kind::Usd,
    "median simulated monthly bill, USD",
)
.detail();
pub const MONTH_P95: Column = Column::new(
    "month_p95_usd",
    "month p95",
    Kind::Usd,
    "95th percentile of the simulated monthly bill, USD",
);
pub const MONTH_P99: Column = Column::new(
    "month_p99_usd",
    "month p99",
    Kind::Usd,
    "99th percentile of the simulated monthly bill, USD",
)
.detail();
pub const P_OVER_BUDGET: Column = Column::new(
    "p_over_budget",
    "P(over budget)",
    Kind::Percent,
    "probability that the bill exceeds the scenario's budget",
);
pub const TTFT_P50: Column = Column::new(
    "ttft_p50_s",
    "TTFT p50",
    Kind::Seconds,
    "median simulated time to first token, seconds",
)
.detail();
pub const TTFT_P95: Column = Column::new(
    "ttft_p95_s",
    "TTFT p95",
    Kind::Seconds,
    "95th percentile of the simulated time to first token, seconds",
);
pub const TTFT_P99: Column = Column::new(
    "ttft_p99_s",
    "TTFT p99",
    Kind::Seconds,
    "99th percentile of the simulated time to first token, seconds",
)
.detail();
pub const E2E_P50: Column = Column::new(
    "e2e_p50_s",
    "E2E p50",
    Kind::Seconds,
    "median simulated end-to-end time, seconds",
)
.detail();
pub const E2E_P95: Column = Column::new(
    "e2e_p95_s",
    "E2E p95",
    Kind::Seconds,
    "95th percentile of the simulated end-to-end time, seconds",
);
pub const E2E_P99: Column = Column::new(
    "e2e_p99_s",
    "E2E p99",
    Kind::Seconds,
    "99th percentile of the simulated end-to-end time, seconds",
)
.detail();
pub const SLO_MET: Column = Column::new(
    "slo_met",
    "SLO",
    Kind::Verdict,
    "whether the p95 latencies meet the scenario's SLO",
);
pub const FIGURE: Column = Column::new(
    "figure",
    "figure",
    Kind::Text,
    "which figure: a latency field (ttft_s, ttft_answer_s, output_tps) or a quality metric",
);
pub const FIGURE_SETTING: Column = Column::new(
    "setting",
    "setting",
    Kind::Text,
    "the reasoning setting or variant the figure was measured at",
);
pub const FIGURE_VALUE: Column = Column::new(
    "figure_value",
    "value",
    Kind::Number,
    "the figure as its source states it (seconds, tokens/s, or the metric's scale)",
);
pub const MEASURED: Column =
    Column::new("measured", "measured", Kind::Text, "the date of the figure");
pub const SOURCE: Column = Column::new(
    "source",
    "source",
    Kind::Text,
    "where the figure was published (a URL), or the log it was measured on",
);
pub const OVER_LIMITS: Column = Column::new(
    "over_limits_share",
    "over limits",
    Kind::Percent,
    "share of requests whose prompt or output exceeds the model's context window or maximum output: the provider refuses them, so their cost is not a bill you can get",
);
