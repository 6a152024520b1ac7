//! The on-disk shape of a `[gateway]` table, exactly as written (in the
//! scenario or in a separate `--config` file). Unknown keys are errors;
//! `config.rs` validates these against the scenario and the catalog.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A whole TOML document: only its `[gateway]` table is read here (a
/// scenario's other tables belong to the scenario loader).
#[derive(Debug, Deserialize)]
pub struct Document {
    pub gateway: Option<GatewayFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayFile {
    /// The class a request no rule matches goes to.
    pub default_class: Option<String>,
    /// Whether every request must carry a gateway key (default true).
    pub require_keys: Option<bool>,
    /// Classification rules, first match wins.
    #[serde(default)]
    pub rules: Vec<RuleEntry>,
    /// Gateway (virtual) keys by name.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyEntry>,
    /// The budget of all traffic together.
    pub budget: Option<BudgetEntry>,
    /// Budgets per user tag, and where a request's tag comes from.
    pub tags: Option<TagsEntry>,
    /// Upstream provider settings by API (`openai`, `anthropic`).
    #[serde(default)]
    pub upstreams: BTreeMap<String, UpstreamEntry>,
    /// Model -> the models tried next when it fails.
    #[serde(default)]
    pub fallbacks: BTreeMap<String, Vec<String>>,
    /// Retries of one model before its fallback (default 1).
    pub retries: Option<u32>,
    /// First retry delay in milliseconds, doubled on each retry (default 100).
    pub backoff_ms: Option<u64>,
    /// Upstream timeout: to the response headers, and between two chunks
    /// of a stream (default 60 s).
    pub timeout_s: Option<f64>,
    /// Largest request body accepted, in bytes (default 4 MiB).
    pub max_body_bytes: Option<u64>,
    /// The verifier of a cascade plan's stages.
    pub cascade: Option<CascadeEntry>,
    /// Shadow mode: a sampled share of requests also sent to a shadow model.
    pub shadow: Option<ShadowEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShadowEntry {
    /// The share of requests shadowed, above 0 and at most 1.
    pub share: f64,
    /// `baseline` (the class's model in the scenario's baseline plan) or a model.
    pub model: String,
    /// The sampling seed (default 0).
    pub seed: Option<u64>,
    /// Where the shadow pairs go (JSON Lines).
    pub pairs_log: String,
    /// Also write the text a learned router scores (the system prompt and
    /// the last user message) into each pair, so the pairs can train one.
    /// Off by default: request bodies are not logged unless asked.
    #[serde(default)]
    pub log_text: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CascadeEntry {
    /// The checks that pass an answer on to the next stage: `error`,
    /// `refusal`, `empty`, `truncated`, `schema` (default: all but `schema`,
    /// which is on when `json_schema` is given).
    pub escalate_on: Option<Vec<String>>,
    /// A regular expression over the answer text that marks a refusal.
    pub refusal_regex: Option<String>,
    /// A JSON Schema the answer text must satisfy, as a TOML table.
    pub json_schema: Option<serde_json::Value>,
    /// A judge model asked whether a stage's answer is good enough.
    pub judge: Option<JudgeEntry>,
}

/// `[gateway.cascade.judge]`: the model that grades a stage's answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgeEntry {
    /// A model of the price sheets, on an API the gateway reaches.
    pub model: String,
    /// What the judge is told before the question and the answer.
    pub instructions: Option<String>,
    /// A regex the judge's reply must match for the answer to pass
    /// (default: it starts with PASS).
    pub pass_regex: Option<String>,
    /// The judge's `max_tokens` (default 16).
    pub max_tokens: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub class: String,
    /// The virtual model the client asked for.
    pub model: Option<String>,
    /// The prompt is longer than this many tokens (o200k_base count).
    pub prompt_tokens_above: Option<u64>,
    /// The prompt is at most this many tokens.
    pub prompt_tokens_at_most: Option<u64>,
    /// The request declares tools (true) or none (false).
    pub tools: Option<bool>,
    /// The request carries images (true) or none (false).
    pub images: Option<bool>,
    /// The request's `reasoning_effort` is one of these.
    pub reasoning_effort: Option<Vec<String>>,
    /// A regular expression over the system prompt or the last user message.
    pub regex: Option<String>,
    /// Which text `regex` reads: `system`, `last_user` or `either` (default).
    pub regex_on: Option<String>,
    /// Request metadata that must match exactly (OpenAI `metadata`, or
    /// `user`; Anthropic `metadata.user_id`).
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// A model file from `cost router train` (a relative path is read beside
    /// this config): the rule holds when the router's score of the request
    /// is at least `threshold`.
    pub learned: Option<String>,
    /// The learned rule's threshold, 0..1: one number, or one per plan
    /// (`threshold = { frugal = 0.7, balanced = 0.4 }`).
    pub threshold: Option<Threshold>,
}

/// One threshold, or one per plan name.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    One(f64),
    PerPlan(BTreeMap<String, f64>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// The environment variable holding the key's secret (never the secret).
    pub env: String,
    pub budget: Option<BudgetEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetEntry {
    pub per_day_usd: Option<f64>,
    pub per_month_usd: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpstreamEntry {
    /// Base URL (without `/v1`); `--upstream` overrides it.
    pub url: Option<String>,
    /// The environment variable holding the provider's API key.
    pub key_env: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsEntry {
    /// Where the tag is read, first present wins: `header:NAME`, `user`,
    /// `metadata:NAME` (default: `header:x-cost-tag`, `user`,
    /// `metadata:user_id`).
    pub from: Option<Vec<String>>,
    /// The budget of every tag not named in `budgets`.
    pub each: Option<BudgetEntry>,
    /// Budgets of named tags.
    #[serde(default)]
    pub budgets: BTreeMap<String, BudgetEntry>,
}
