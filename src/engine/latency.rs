//! Time to first token and end-to-end time from published figures
//! (`docs/latency.md`):
//!
//!   TTFT(x)   = b + x / R        x = prompt tokens, R = prefill rate
//!   E2E(x, y) = TTFT(x) + y / v  y = generated tokens (reasoning included)
//!
//! b is recovered from a TTFT measured at a known prompt size. Figures are
//! estimates: trackers disagree by 2-5x, so reports mark them as such.

use serde::Serialize;

use crate::pricing::Model;

/// What the latency model assumes where a sheet is silent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencyAssumptions {
    /// Prefill rate (tokens/s) for models with no measured one.
    pub prefill_tps: f64,
    /// Prompt size (tokens) a TTFT was measured at when the sheet does not say.
    pub ttft_prompt_tokens: u64,
}

impl Default for LatencyAssumptions {
    /// Prefill rates are rarely published; 5,000 tokens/s is an assumption
    /// (overridable with `--prefill-tps`), stated in every report that uses it.
    /// Artificial Analysis' default workload prompt is about 1,000 tokens.
    fn default() -> Self {
        LatencyAssumptions {
            prefill_tps: 5_000.0,
            ttft_prompt_tokens: 1_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencyEstimate {
    pub ttft_s: f64,
    /// `None` when the model has no published output speed.
    pub e2e_s: Option<f64>,
    /// Whether the assumed prefill rate was used.
    pub assumed_prefill: bool,
}

/// A model's latency line: TTFT = fixed + prompt / prefill, E2E = TTFT +
/// generated / output speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub fixed_s: f64,
    pub prefill_tps: f64,
    pub output_tps: Option<f64>,
    pub assumed_prefill: bool,
}

impl Fit {
    pub fn ttft(&self, prompt: f64) -> f64 {
        self.fixed_s + prompt / self.prefill_tps
    }

    pub fn e2e(&self, prompt: f64, generated: f64) -> Option<f64> {
        self.output_tps.map(|v| self.ttft(prompt) + generated / v)
    }
}

/// The latency line of a model, or `None` when it has no TTFT figure.
pub fn fit(model: &Model, assume: &LatencyAssumptions) -> Option<Fit> {
    let figure = model.latency.as_ref()?;
    let measured = figure.ttft_s?;
    let rate = figure.prefill_tps.unwrap_or(assume.prefill_tps);
    let at = figure
        .ttft_prompt_tokens
        .unwrap_or(assume.ttft_prompt_tokens) as f64;
    Some(Fit {
        fixed_s: (measured - at / rate).max(0.0),
        prefill_tps: rate,
        output_tps: figure.output_tps,
        assumed_prefill: figure.prefill_tps.is_none(),
    })
}

/// Estimates latency for one request, or `None` when the model has no TTFT figure.
pub fn estimate(
    model: &Model,
    prompt: u64,
    generated: u64,
    assume: &LatencyAssumptions,
) -> Option<LatencyEstimate> {
    let f = fit(model, assume)?;
    Some(LatencyEstimate {
        ttft_s: f.ttft(prompt as f64),
        e2e_s: f.e2e(prompt as f64, generated as f64),
        assumed_prefill: f.assumed_prefill,
    })
}
