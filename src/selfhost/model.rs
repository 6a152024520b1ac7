//! The validated data of self-hosting: GPUs with their dated prices, open
//! models with the architecture the roofline needs, and deployments (model
//! x GPU x engine x precision x parallelism) with their measured rows.
//! Built by `load.rs`; read by the formulas in `roofline.rs`, `fleet.rs`
//! and `economics.rs`. No files, no terminal.

use crate::money::Money;

/// What a $/GPU-hour figure pays for. The same H200 costs 5x more on one
/// basis than another, so every price names its basis and every report too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    /// Owning the hardware: capital, power and operations spread per hour.
    OwnedTco,
    Reserved1y,
    Reserved3y,
    /// A reservation whose term the source does not state.
    ReservedUnspecifiedTerm,
    /// AWS-style short prepaid capacity blocks.
    ReservedCapacityBlock,
    OnDemand,
    Spot,
}

impl Basis {
    pub const ALL: [Basis; 7] = [
        Basis::OwnedTco,
        Basis::Reserved1y,
        Basis::Reserved3y,
        Basis::ReservedUnspecifiedTerm,
        Basis::ReservedCapacityBlock,
        Basis::OnDemand,
        Basis::Spot,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Basis::OwnedTco => "owned_tco",
            Basis::Reserved1y => "reserved_1y",
            Basis::Reserved3y => "reserved_3y",
            Basis::ReservedUnspecifiedTerm => "reserved_unspecified_term",
            Basis::ReservedCapacityBlock => "reserved_capacity_block",
            Basis::OnDemand => "on_demand",
            Basis::Spot => "spot",
        }
    }

    pub fn parse(text: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.key() == text)
    }
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Numeric precision of the weights (and, as a lower bound, the KV cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Fp4,
    Fp8,
    Bf16,
}

impl Precision {
    pub fn key(self) -> &'static str {
        match self {
            Precision::Fp4 => "fp4",
            Precision::Fp8 => "fp8",
            Precision::Bf16 => "bf16",
        }
    }

    pub fn parse(text: &str) -> Option<Precision> {
        [Precision::Fp4, Precision::Fp8, Precision::Bf16]
            .into_iter()
            .find(|p| p.key() == text)
    }

    /// Bytes per weight. FP4 block scales (about 0.03 byte per weight) are
    /// left out: the bound stays a bound.
    pub fn weight_bytes(self) -> f64 {
        match self {
            Precision::Fp4 => 0.5,
            Precision::Fp8 => 1.0,
            Precision::Bf16 => 2.0,
        }
    }

    /// Bytes per KV-cache element: engines keep the cache at FP8 at most
    /// for FP8 and FP4 weights, BF16 otherwise (the smaller choice, so the
    /// roofline never refuses a row an FP8 cache could reach).
    pub fn kv_bytes(self) -> f64 {
        match self {
            Precision::Fp4 | Precision::Fp8 => 1.0,
            Precision::Bf16 => 2.0,
        }
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub url: String,
    /// `YYYY-MM-DD`, or `YYYY-MM` when the source gives only a month.
    pub date: String,
    /// Set when the figure is second-hand or ambiguous: shown, never hidden.
    pub needs_recheck: Option<String>,
    /// How first-hand the source is (vendor doc, submission, aggregator...).
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GpuPrice {
    /// Exact: picodollars per GPU-hour.
    pub per_gpu_hour: Money,
    pub basis: Basis,
    pub provider: String,
    pub region: String,
    pub note: Option<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gpu {
    pub id: String,
    pub name: String,
    pub memory_gb: f64,
    pub bandwidth_tb_s: f64,
    pub bf16_dense_tflops: Option<f64>,
    pub fp8_dense_tflops: Option<f64>,
    pub fp4_dense_tflops: Option<f64>,
    pub power_w: Option<u32>,
    /// Where each spec field comes from: (fields, provenance).
    pub spec_sources: Vec<(Vec<String>, Provenance)>,
    pub prices: Vec<GpuPrice>,
    pub origin: String,
}

impl Gpu {
    pub fn prices_on(&self, basis: Basis) -> impl Iterator<Item = &GpuPrice> {
        self.prices.iter().filter(move |p| p.basis == basis)
    }
}

/// How a model stores its KV cache per token and layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KvLayout {
    /// Grouped-query attention: a key and a value of `kv_heads x head_dim`.
    Heads { kv_heads: u32, head_dim: u32 },
    /// DeepSeek's multi-head latent attention: one compressed latent.
    Latent { dim: u32 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenModel {
    pub id: String,
    pub name: String,
    pub total_params_b: f64,
    /// Parameters read per token (all of them for a dense model).
    pub active_params_b: f64,
    pub layers: u32,
    pub kv: KvLayout,
    pub provenance: Provenance,
}

/// One published measurement of a deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    /// Output tokens per second per GPU.
    pub output_tps_per_gpu: f64,
    pub concurrency: Option<u32>,
    /// A max-throughput run (every request queued): not an interactive capacity.
    pub offline: bool,
    pub itl_ms: Option<f64>,
    pub ttft_ms: Option<f64>,
    pub note: Option<String>,
    pub provenance: Provenance,
    /// Index of the row in its deployment, for errors and reports.
    pub index: usize,
}

impl Row {
    /// Output tokens per second one user sees (1000 / ITL), when stated.
    pub fn per_user_tps(&self) -> Option<f64> {
        self.itl_ms.filter(|v| *v > 0.0).map(|itl| 1000.0 / itl)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    /// `model@deployment`, e.g. `gpt-oss-120b@h200-fp8`.
    pub id: String,
    pub model: OpenModel,
    pub gpu: Gpu,
    /// GPUs per replica (the unit a fleet grows by).
    pub gpus: u32,
    pub engine: String,
    pub precision: Precision,
    pub parallelism: String,
    pub rows: Vec<Row>,
    /// Success rate relative to the same weights served by an API
    /// (quantisation), and its source; `None`: not measured.
    pub quality_delta: Option<(f64, String)>,
    pub origin: String,
}
