//! The on-disk shape of a scenario (`scenarios/*.toml`), exactly as written.
//! Unknown keys are errors. `load.rs` validates these against the catalog.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: String,
    pub description: Option<String>,
    /// The day whose prices apply (default: today).
    pub date: Option<Datetime>,
    pub baseline: Option<String>,
    pub volume: VolumeEntry,
    #[serde(default)]
    pub classes: Vec<ClassEntry>,
    /// class name -> model id -> success rate in 0..=1.
    #[serde(default)]
    pub quality: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(default)]
    pub quality_source: Option<String>,
    /// class name -> a public benchmark (a metric in `pricing/figures/`)
    /// whose scores stand in for success rates the user has not measured.
    #[serde(default)]
    pub quality_proxy: BTreeMap<String, String>,
    #[serde(default)]
    pub plans: Vec<PlanEntry>,
    pub compare: Option<CompareEntry>,
    /// `[budget]`: read as a raw value so that a bare number (a budget with
    /// no unit) gets a clear error rather than serde's type message.
    pub budget: Option<toml::Value>,
    /// Latency objectives a plan is flagged against.
    pub slo: Option<SloEntry>,
    /// Day-to-day variation for the Monte Carlo simulation.
    pub variation: Option<VariationEntry>,
    /// When in the week (UTC) the traffic arrives, for time-of-day prices.
    pub traffic: Option<TrafficEntry>,
    /// `[gateway]`: read and validated by `cost gateway` (`gateway::config`).
    pub gateway: Option<toml::Value>,
}

/// `[traffic]`: either the share of requests in the models' off-peak
/// windows, or weights per UTC hour (24) with an optional weekend share.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficEntry {
    pub off_peak_share: Option<f64>,
    pub hours_utc: Option<Vec<f64>>,
    pub weekend_share: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeEntry {
    pub requests_per_day: Option<f64>,
    pub requests_per_month: Option<f64>,
    pub days_per_month: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassEntry {
    pub name: String,
    pub description: Option<String>,
    pub share: f64,
    /// Token counts: a whole number, or a distribution table such as
    /// `{ dist = "lognormal", median = 2000, p95 = 12000 }` (see
    /// `token_dist.rs`); cache counts may also be `{ share = 0.8 }` of the prompt.
    pub prompt: toml::Value,
    pub cache_read: Option<toml::Value>,
    pub cache_write: Option<toml::Value>,
    pub cache_write_1h: Option<toml::Value>,
    pub output: toml::Value,
    pub reasoning: Option<toml::Value>,
    /// The reasoning effort the class runs at (`none` .. `max`): picks the
    /// latency figures measured at that setting.
    pub reasoning_effort: Option<String>,
    pub tier: Option<String>,
    /// Per-model token counts where a model spends differently on this class
    /// (reasoning models especially): model id -> overrides.
    #[serde(default)]
    pub models: BTreeMap<String, TokenOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenOverride {
    pub output: Option<toml::Value>,
    pub reasoning: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub name: String,
    pub description: Option<String>,
    /// Every request to this one model (a name, or a self-hosted
    /// deployment `{ deploy = "MODEL@ID", basis = "on_demand" }`).
    pub model: Option<toml::Value>,
    /// Class name -> model id (or a self-hosted deployment table): a
    /// perfect per-class router.
    pub routes: Option<BTreeMap<String, toml::Value>>,
    /// Serve every class on this service tier instead of the class's own.
    pub tier: Option<String>,

    // A classifier router: `routes` maps each *predicted* class to a model,
    // and one of these says how often the classifier predicts right.
    /// True class -> predicted class -> probability (rows sum to 1).
    pub confusion: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// The class a two-class classifier detects (its "positive").
    pub positive: Option<String>,
    pub tpr: Option<f64>,
    pub fpr: Option<f64>,
    /// Binormal ROC with this AUC; the operating point is `fpr`,
    /// `threshold` or `strong_share`.
    pub auc: Option<f64>,
    pub threshold: Option<f64>,
    pub strong_share: Option<f64>,
    /// What the router itself costs per request.
    pub router: Option<OverheadEntry>,

    /// A cascade: models tried in order; a verifier accepts or escalates.
    /// (Read as values so a deployment table gets a clear refusal.)
    pub cascade: Option<Vec<toml::Value>>,
    /// P(verifier accepts | the answer is correct) and (| it is wrong).
    pub accept_correct: Option<f64>,
    pub accept_wrong: Option<f64>,
    /// Or a plain escalation rate per class, applied after every stage.
    pub escalation: Option<BTreeMap<String, f64>>,
    /// What one verification costs.
    pub verifier: Option<OverheadEntry>,

    /// Each class to the cheapest model meeting a quality bar.
    pub oracle: Option<OracleEntry>,
}

/// The cost and latency of a router or verifier: a model call priced from
/// the catalog (`model` with `prompt`/`output` tokens, prompt defaulting to
/// the class's) and/or a fixed fee.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverheadEntry {
    pub model: Option<String>,
    pub prompt: Option<i64>,
    pub output: Option<i64>,
    pub fee_usd: Option<f64>,
    pub latency_s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OracleEntry {
    /// The success rate a class's model must reach.
    pub bar: f64,
    /// Candidate models (default: every model with a rate for the class).
    pub models: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareEntry {
    /// Models shown as "all traffic to this model" rows by `cost compare`.
    #[serde(default)]
    pub models: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloEntry {
    pub ttft_p95_s: Option<f64>,
    pub e2e_p95_s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariationEntry {
    /// Requests per day as a distribution (a number or a `dist` table).
    pub requests_per_day: Option<toml::Value>,
    /// Each day every class share is scaled by U(1 - d, 1 + d), then renormalised.
    pub mix_drift: Option<f64>,
}
