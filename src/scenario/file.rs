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
    #[serde(default)]
    pub plans: Vec<PlanEntry>,
    pub compare: Option<CompareEntry>,
    /// `[budget]`: read as a raw value so that a bare number (a budget with
    /// no unit) gets a clear error rather than serde's type message.
    pub budget: Option<toml::Value>,
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
    pub prompt: i64,
    #[serde(default)]
    pub cache_read: i64,
    #[serde(default)]
    pub cache_write: i64,
    #[serde(default)]
    pub cache_write_1h: i64,
    pub output: i64,
    #[serde(default)]
    pub reasoning: i64,
    pub tier: Option<String>,
    /// Per-model token counts where a model spends differently on this class
    /// (reasoning models especially): model id -> overrides.
    #[serde(default)]
    pub models: BTreeMap<String, TokenOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenOverride {
    pub output: Option<i64>,
    pub reasoning: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub name: String,
    pub description: Option<String>,
    /// Every request to this one model.
    pub model: Option<String>,
    /// Class name -> model id: a perfect per-class router.
    pub routes: Option<BTreeMap<String, String>>,
    /// Serve every class on this service tier instead of the class's own.
    pub tier: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareEntry {
    /// Models shown as "all traffic to this model" rows by `cost compare`.
    #[serde(default)]
    pub models: Vec<String>,
}
