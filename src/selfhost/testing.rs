//! Fixtures of the unit tests: a model, a GPU and a deployment with round
//! numbers, so the arithmetic in the tests' comments is easy to follow.

use super::model::{Deployment, Gpu, GpuPrice, KvLayout, OpenModel, Precision, Provenance, Row};
use crate::money::Money;

fn provenance() -> Provenance {
    Provenance {
        url: "https://example.com".into(),
        date: "2026-01-01".into(),
        needs_recheck: None,
        kind: None,
    }
}

/// Llama-3.3-70B's architecture (80 layers, 8 KV heads of 128) on H100s
/// (80 GB, 3.35 TB/s), one on-demand price of $2.00 per GPU-hour.
pub fn deployment(_model: &str, gpus: u32, precision: Precision) -> Deployment {
    Deployment {
        id: "llama-3.3-70b@test".into(),
        model: OpenModel {
            id: "llama-3.3-70b".into(),
            name: "Llama-3.3-70B".into(),
            total_params_b: 70.6,
            active_params_b: 70.6,
            layers: 80,
            kv: KvLayout::Heads {
                kv_heads: 8,
                head_dim: 128,
            },
            provenance: provenance(),
        },
        gpu: Gpu {
            id: "h100".into(),
            name: "H100".into(),
            memory_gb: 80.0,
            bandwidth_tb_s: 3.35,
            bf16_dense_tflops: None,
            fp8_dense_tflops: None,
            fp4_dense_tflops: None,
            power_w: None,
            spec_sources: vec![],
            prices: vec![GpuPrice {
                per_gpu_hour: Money::from_usd(2.0).unwrap(),
                basis: super::model::Basis::OnDemand,
                provider: "test".into(),
                region: "test".into(),
                note: None,
                provenance: provenance(),
            }],
            origin: "test".into(),
        },
        gpus,
        engine: "test".into(),
        precision,
        parallelism: format!("TP{gpus}"),
        rows: vec![],
        quality_delta: None,
        origin: "test".into(),
    }
}

/// An offline row of the given shape and per-GPU throughput.
pub fn row(input: u64, output: u64, tps: f64) -> Row {
    Row {
        input_tokens: Some(input),
        output_tokens: Some(output),
        output_tps_per_gpu: tps,
        concurrency: None,
        offline: true,
        itl_ms: None,
        ttft_ms: None,
        note: None,
        provenance: provenance(),
        index: 0,
    }
}
