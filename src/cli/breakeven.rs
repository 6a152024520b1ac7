//! `cost breakeven`: build vs buy for one self-hosted deployment.

use std::path::PathBuf;

use clap::Args;

use super::scenario::{LatencyArgs, SimArgs};
use super::values::{non_negative, DateParser};
use crate::selfhost::Basis;
use jiff::civil::Date;

#[derive(Debug, Args)]
pub struct BreakevenArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// The self-hosted deployment, MODEL@DEPLOYMENT (e.g. gpt-oss-120b@h200-fp8).
    #[arg(long, value_name = "MODEL@ID")]
    pub deploy: String,

    /// Price basis of the GPU-hour: owned_tco, reserved_1y, reserved_3y,
    /// reserved_unspecified_term, reserved_capacity_block, on_demand, spot.
    #[arg(long, value_name = "BASIS", default_value = "on_demand", value_parser = basis)]
    pub basis: Basis,

    /// Sweep: `volume=FROM..TO[:STEP]` (requests/day; STEP defaults to a
    /// tenth of the range) or `basis` (every basis the GPU has a price on).
    #[arg(long, value_name = "volume=FROM..TO[:STEP]|basis", value_parser = vary)]
    pub vary: Option<BreakevenVary>,

    /// Busiest hour over the mean hour (default: from the scenario's
    /// `[traffic]` profile, 1 without one).
    #[arg(long, value_name = "FACTOR", value_parser = non_negative)]
    pub peak_factor: Option<f64>,

    /// Spare replicas beyond what the peak needs (1 = N+1).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub spare: u32,

    /// Latency target: only rows stating at least this per-user output
    /// speed (tok/s, i.e. 1000 / ITL ms) are used.
    #[arg(long, value_name = "TOK_S", value_parser = non_negative)]
    pub min_user_tps: Option<f64>,

    /// Share of an offline (max-throughput) row usable at interactive
    /// latency. Default: 0.677, NIM's published chat point.
    #[arg(long, value_name = "SHARE", value_parser = non_negative)]
    pub offline_derate: Option<f64>,

    /// Extra hardware file(s) (GPUs and prices), loaded after the shipped ones.
    #[arg(long, value_name = "FILE")]
    pub hardware: Vec<PathBuf>,

    /// Extra deployments file(s), loaded after the shipped ones.
    #[arg(long, value_name = "FILE")]
    pub deployments: Vec<PathBuf>,

    /// Draw monthly cost against daily volume (API lines, the self-hosted
    /// step function) to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,

    #[command(flatten)]
    pub sim: SimArgs,

    /// Price the API plans as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

/// What `--vary` sweeps.
#[derive(Debug, Clone, PartialEq)]
pub enum BreakevenVary {
    Volume(Vec<f64>),
    Basis,
}

fn basis(text: &str) -> Result<Basis, String> {
    Basis::parse(text).ok_or_else(|| {
        format!(
            "unknown basis `{text}`; use one of {}",
            Basis::ALL.map(Basis::key).join(", ")
        )
    })
}

fn vary(text: &str) -> Result<BreakevenVary, String> {
    if text == "basis" {
        return Ok(BreakevenVary::Basis);
    }
    let usage = || "expected volume=FROM..TO[:STEP] or basis, e.g. volume=1000..200000".to_string();
    let range = text.strip_prefix("volume=").ok_or_else(usage)?;
    let (range, step) = match range.split_once(':') {
        Some((r, s)) => (r, Some(s)),
        None => (range, None),
    };
    let (from, to) = range.split_once("..").ok_or_else(usage)?;
    let number = |s: &str| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    let (from, to) = (
        number(from).ok_or_else(usage)?,
        number(to).ok_or_else(usage)?,
    );
    if to <= from {
        return Err("the range's end must be above its start".into());
    }
    let step = match step {
        Some(s) => number(s).filter(|v| *v > 0.0).ok_or_else(usage)?,
        None => (to - from) / 10.0,
    };
    let count = ((to - from) / step).floor() as usize + 1;
    if count > 1000 {
        return Err(format!("{count} values: at most 1000 (use a larger STEP)"));
    }
    Ok(BreakevenVary::Volume(
        (0..count).map(|i| from + step * i as f64).collect(),
    ))
}
