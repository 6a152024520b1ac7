//! The on-disk shape of a figures file (`pricing/figures/*.toml`, or the
//! latency sheet `cost replay --emit-latency` writes), exactly as written.
//! Unknown keys are rejected so a typo never silently drops a figure.

use serde::Deserialize;
use toml::value::Datetime;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresFile {
    #[serde(default)]
    pub latency: Vec<LatencyEntry>,
    #[serde(default)]
    pub quality: Vec<QualityEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyEntry {
    pub model: String,
    pub basis: Option<String>,
    pub host: Option<String>,
    pub reasoning: Option<String>,
    pub ttft_s: Option<f64>,
    pub ttft_answer_s: Option<f64>,
    pub ttft_prompt_tokens: Option<i64>,
    pub prefill_tps: Option<f64>,
    pub output_tps: Option<f64>,
    pub ttft_p90_s: Option<f64>,
    pub ttft_p99_s: Option<f64>,
    pub e2e_s: Option<f64>,
    pub e2e_p90_s: Option<f64>,
    pub e2e_p99_s: Option<f64>,
    pub samples: Option<i64>,
    pub first: Option<Datetime>,
    pub last: Option<Datetime>,
    pub measured: Option<Datetime>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// The source's text the figures were read from (`tests/data.rs` checks
    /// that each number appears in it).
    #[serde(rename = "quote")]
    pub _quote: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityEntry {
    pub model: String,
    pub metric: String,
    pub version: Option<String>,
    pub value: f64,
    pub scale: Option<String>,
    pub by: Option<String>,
    pub variant: Option<String>,
    pub measured: Option<Datetime>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// The source's text the figures were read from (`tests/data.rs` checks
    /// that each number appears in it).
    #[serde(rename = "quote")]
    pub _quote: Option<String>,
}
