//! The on-disk shape of `hardware/*.toml` and `deployments/*.toml`. Keys
//! the loader validates itself (a price's basis, a row's latency) are
//! optional here so that a missing one gets a located error that says how
//! to fix it, not serde's "missing field".

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardwareFile {
    pub id: String,
    pub name: String,
    pub memory_gb: f64,
    pub bandwidth_tb_s: f64,
    pub bf16_dense_tflops: Option<f64>,
    pub fp8_dense_tflops: Option<f64>,
    pub fp4_dense_tflops: Option<f64>,
    pub power_w: Option<u32>,
    #[serde(default)]
    pub spec_sources: Vec<SpecSource>,
    #[serde(default)]
    pub prices: Vec<PriceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecSource {
    pub fields: Vec<String>,
    pub url: String,
    pub date: String,
    pub kind: Option<String>,
    pub needs_recheck: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    pub usd_per_gpu_hour: f64,
    pub basis: Option<String>,
    pub provider: String,
    pub region: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub kind: Option<String>,
    pub note: Option<String>,
    pub needs_recheck: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentsFile {
    pub model: ModelEntry,
    #[serde(default)]
    pub deployments: Vec<DeploymentEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub id: String,
    pub name: String,
    pub total_params_b: f64,
    pub active_params_b: f64,
    pub layers: u32,
    pub kv_heads: Option<u32>,
    pub head_dim: Option<u32>,
    pub kv_latent_dim: Option<u32>,
    pub source: String,
    pub date: String,
    pub needs_recheck: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentEntry {
    pub id: String,
    pub gpu: String,
    pub gpus: u32,
    pub engine: String,
    pub precision: String,
    pub parallelism: String,
    pub source: String,
    pub kind: Option<String>,
    /// This deployment's success rate minus the reference model's (e.g. the
    /// cost of quantisation), with where it was measured; leave both out
    /// when no source states it.
    pub quality_delta: Option<f64>,
    pub quality_source: Option<String>,
    #[serde(default)]
    pub rows: Vec<RowEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowEntry {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub output_tps_per_gpu: f64,
    pub concurrency: Option<u32>,
    pub offline: Option<bool>,
    pub itl_ms: Option<f64>,
    pub ttft_ms: Option<f64>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub needs_recheck: Option<String>,
}
