//! What the hardware allows: memory-bandwidth roofline of decoding and
//! whether weights plus KV cache fit in the replica's memory.
//!
//! Decoding is bandwidth bound. One decode step of a replica of `g` GPUs
//! reads at least the active weights once (shared by the batch) plus, for
//! every sequence in the batch, its KV cache so far:
//!
//!   t_step >= (W_active + B * ctx_mean * kv) / (g * BW)
//!   output tok/s per GPU <= B / t_step / g = B * BW / (W_active + B * ctx_mean * kv)
//!
//! with `B` the row's concurrency, or the most sequences the memory left
//! after the weights holds (`(g * mem - W_total) / (ctx_max * kv)`) when the
//! row states none. `kv` bytes per token = layers x (2 x kv_heads x head_dim,
//! or the latent width for MLA) x bytes per element. Every simplification
//! (no FP4 scales, FP8 cache, active parameters only for MoE, prefill and
//! activations ignored) makes the bound looser, never tighter: a row above
//! it cannot be a real measurement. LLM-Viewer and llm-analysis model the
//! same limit per layer; roofline-lint's refusal to print is the design
//! followed here.

use super::model::{Deployment, KvLayout, OpenModel, Precision, Row};

const GB: f64 = 1e9;
const TB: f64 = 1e12;

/// Bytes of all the weights at a precision.
pub fn weight_bytes(model: &OpenModel, precision: Precision) -> f64 {
    model.total_params_b * GB * precision.weight_bytes()
}

/// Bytes of the weights one decode step must read at least.
pub fn active_weight_bytes(model: &OpenModel, precision: Precision) -> f64 {
    model.active_params_b * GB * precision.weight_bytes()
}

/// KV-cache bytes one token of context holds, across all layers.
pub fn kv_bytes_per_token(model: &OpenModel, precision: Precision) -> f64 {
    let per_layer = match model.kv {
        KvLayout::Heads { kv_heads, head_dim } => 2.0 * f64::from(kv_heads) * f64::from(head_dim),
        KvLayout::Latent { dim } => f64::from(dim),
    };
    f64::from(model.layers) * per_layer * precision.kv_bytes()
}

/// Memory of one replica, in bytes.
pub fn replica_memory(d: &Deployment) -> f64 {
    f64::from(d.gpus) * d.gpu.memory_gb * GB
}

/// Memory left for the KV cache once the weights are loaded (negative: the
/// weights alone do not fit).
pub fn free_memory(d: &Deployment) -> f64 {
    replica_memory(d) - weight_bytes(&d.model, d.precision)
}

/// Context lengths of a row: (mean during decode, at the last token). A
/// row without a stated shape counts one token, which keeps the bound a bound.
fn contexts(row: &Row) -> (f64, f64) {
    let x = row.input_tokens.unwrap_or(1) as f64;
    let y = row.output_tokens.unwrap_or(0) as f64;
    (x + y / 2.0, (x + y).max(1.0))
}

/// How many sequences of the row's shape fit beside the weights.
pub fn max_concurrency(d: &Deployment, row: &Row) -> f64 {
    let (_, ctx_max) = contexts(row);
    (free_memory(d) / (ctx_max * kv_bytes_per_token(&d.model, d.precision))).floor()
}

/// The most output tokens per second per GPU the replica's memory
/// bandwidth allows for this row (see the module formula).
pub fn decode_bound(d: &Deployment, row: &Row) -> f64 {
    let b_max = max_concurrency(d, row).max(1.0);
    let b = row.concurrency.map_or(b_max, |c| f64::from(c).min(b_max));
    let (ctx_mean, _) = contexts(row);
    let bw = d.gpu.bandwidth_tb_s * TB;
    let bytes = active_weight_bytes(&d.model, d.precision)
        + b * ctx_mean * kv_bytes_per_token(&d.model, d.precision);
    b * bw / bytes
}

/// Bytes of KV cache `concurrency` sequences of `ctx` tokens hold.
pub fn kv_for(d: &Deployment, concurrency: f64, ctx: f64) -> f64 {
    concurrency * ctx * kv_bytes_per_token(&d.model, d.precision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfhost::testing::{deployment, row};

    #[test]
    fn kv_bytes_of_llama_70b_at_fp8() {
        // 80 layers x 2 (K and V) x 8 KV heads x 128 dims x 1 byte = 163,840 B/token.
        let d = deployment("llama-3.3-70b", 2, Precision::Fp8);
        assert_eq!(kv_bytes_per_token(&d.model, d.precision), 163_840.0);
        // At BF16 twice that: 327,680 B/token.
        assert_eq!(kv_bytes_per_token(&d.model, Precision::Bf16), 327_680.0);
    }

    #[test]
    fn batch_one_bound_of_llama_70b_on_two_h100s() {
        // NIM's 2 x H100 FP8 TP2 row at concurrency 1, 5000 in / 500 out.
        // Weights read per step: 70.6e9 params x 1 byte = 70.6e9 B.
        // KV read: 1 sequence x (5000 + 250) mean context x 163,840 B = 0.8602e9 B.
        // Step >= (70.6e9 + 0.8602e9) / (2 x 3.35e12 B/s) = 10.666 ms, so the
        // replica decodes <= 93.76 tok/s, 46.88 tok/s per GPU. NIM measured
        // 25.84 per GPU (55% of the bound).
        let d = deployment("llama-3.3-70b", 2, Precision::Fp8);
        let r = Row {
            concurrency: Some(1),
            ..row(5000, 500, 25.84)
        };
        let bound = decode_bound(&d, &r);
        let expected = 3.35e12 / (70.6e9 + 5250.0 * 163_840.0);
        assert!((bound - expected).abs() < 1e-9 * expected, "{bound}");
        assert!((bound - 46.88).abs() < 0.01, "{bound}");
    }

    #[test]
    fn memory_limits_the_batch_when_no_concurrency_is_stated() {
        // 2 x H200: 282e9 B; weights 70.6e9; free 211.4e9 B.
        // At 1000 in / 1000 out a sequence ends at 2000 tokens x 163,840 B =
        // 327.68e6 B, so floor(211.4e9 / 327.68e6) = 645 sequences fit.
        let mut d = deployment("llama-3.3-70b", 2, Precision::Fp8);
        d.gpu.memory_gb = 141.0;
        d.gpu.bandwidth_tb_s = 4.8;
        let r = row(1000, 1000, 2587.0);
        assert_eq!(max_concurrency(&d, &r), 645.0);
        // Bound: 645 x 4.8e12 / (70.6e9 + 645 x 1500 x 163,840 = 229.115e9) = 13,512.9 tok/s per GPU.
        let bound = decode_bound(&d, &r);
        assert!((bound - 13_512.9).abs() < 0.1, "{bound}");
    }

    #[test]
    fn weights_that_do_not_fit_leave_negative_memory() {
        // 70.6e9 B of FP8 weights on one 80 GB H100 leave 9.4e9 B; at BF16
        // (141.2e9 B) they leave -61.2e9 B.
        let d = deployment("llama-3.3-70b", 1, Precision::Fp8);
        assert!((free_memory(&d) - 9.4e9).abs() < 1.0);
        let d = deployment("llama-3.3-70b", 1, Precision::Bf16);
        assert!((free_memory(&d) + 61.2e9).abs() < 1.0);
    }
}
