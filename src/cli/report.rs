//! Arguments of `cost sensitivity` (tornado data) and `cost report` (the
//! board-ready HTML file).

use std::path::PathBuf;

use jiff::civil::Date;

use clap::Args;

use super::scenario::{LatencyArgs, SimArgs};
use super::values::DateParser;

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// The plan whose monthly bill is examined. Default: the recommended
    /// plan (within the scenario's budget and SLO, the cheapest whose
    /// quality is within 1 point of the baseline's).
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,

    /// Price as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A scenario file, `-`, or a built-in name. Default: `default`.
    pub scenario: Option<String>,

    /// The plan the report examines. Default: the recommended plan.
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,

    /// Usage logs (any log `cost replay` reads, the gateway's included;
    /// gzip or plain; `-` for stdin): adds plan vs actual, the logged
    /// traffic scaled to a month beside the plan's forecast.
    #[arg(long, value_name = "LOG", num_args = 1..)]
    pub replay: Vec<PathBuf>,

    #[command(flatten)]
    pub sim: SimArgs,

    /// Price as of this date (YYYY-MM-DD). Default: the scenario's `date`, else today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}
