//! Arguments of the scenario commands: `compare`, `route`, `sweep`,
//! `simulate`, `frontier`, and the groups they share.

use jiff::civil::Date;

use clap::Args;

use super::values::{counts, non_negative, DateParser};
use crate::engine::simulate::Period;
use crate::engine::sweep::Vary;

/// Most simulated days `--trials` takes: a bound on time and memory.
pub const MAX_TRIALS: u64 = 10_000;
/// Most histogram bins `--bins` takes.
pub const MAX_BINS: u64 = 1000;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// A scenario file, `-` for stdin, or a built-in name (see `cost scenarios`).
    /// Default: the built-in `default` scenario.
    pub scenario: Option<String>,

    /// Also show "all traffic to M" for these models (comma-separated).
    /// Default: the scenario's `[compare] models`, else every model its plans use.
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    #[command(flatten)]
    pub bands: BandArgs,

    /// Price as of this date (YYYY-MM-DD). Default: the scenario's `date`, else today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    /// Enforce the scenario's `[budget]`: exit 1 when a plan it binds costs more.
    #[arg(long)]
    pub check: bool,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    #[command(flatten)]
    pub bands: BandArgs,

    /// Only this plan (repeatable). Default: every plan that routes.
    #[arg(long, value_name = "NAME")]
    pub plan: Vec<String>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// PARAM=FROM..TO[:STEP]. PARAM is one of share:CLASS, volume, fpr, tpr,
    /// threshold, auc, strong-share, escalation, accept-correct,
    /// accept-wrong, price:MODEL (a multiplier), prompt:CLASS, output:CLASS,
    /// reasoning:CLASS. STEP defaults to a tenth of the range.
    #[arg(long, value_name = "PARAM=FROM..TO[:STEP]")]
    pub vary: Vary,

    /// Also sweep "all traffic to M" for these models (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Draw monthly cost against the parameter to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// Only this plan (repeatable). Default: every plan the scenario declares.
    #[arg(long, value_name = "NAME")]
    pub plan: Vec<String>,

    #[command(flatten)]
    pub sim: SimArgs,

    /// Output a histogram of the daily or monthly bill instead of the summary.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub histogram: Option<Period>,

    /// Histogram bins, 1 to 1000.
    #[arg(long, default_value_t = 40, value_parser = counts(MAX_BINS))]
    pub bins: usize,

    /// Draw the distribution of the bill (monthly unless --histogram day) to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

/// The Monte Carlo bands `compare` and `route` add to their plan rows.
#[derive(Debug, Args)]
pub struct BandArgs {
    /// Add Monte Carlo cost bands and latency percentiles (on by default when
    /// the scenario declares token distributions or day-to-day variation).
    #[arg(long)]
    pub bands: bool,

    /// Never add bands.
    #[arg(long, conflicts_with = "bands")]
    pub no_bands: bool,

    #[command(flatten)]
    pub sim: SimArgs,
}

/// Monte Carlo settings shared by `simulate` and the bands of `compare`/`route`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Simulated days, 1 to 10000 (default 1000 for `simulate`, 200 for
    /// bands elsewhere).
    #[arg(long, value_name = "N", value_parser = counts(MAX_TRIALS))]
    pub trials: Option<usize>,

    /// Random seed: the same seed gives the same bands.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct FrontierArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// Single models to place on the chart (default: every model with a
    /// success rate for every class).
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Draw the frontier to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<std::path::PathBuf>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct LatencyArgs {
    /// Prefill rate (prompt tokens/s) assumed for models with no measured one.
    #[arg(long, value_name = "TOKENS_PER_S", default_value_t = 5000.0, allow_negative_numbers = true, value_parser = non_negative)]
    pub prefill_tps: f64,
}
