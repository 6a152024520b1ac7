//! Arguments of `cost replay` and `cost tokens`.

use std::path::PathBuf;

use clap::Args;
use jiff::civil::Date;

use super::values::{counts, whole, DateParser};
use crate::replay::aggregate::Dim;
use crate::replay::class_rules::ClassMapEntry;
use crate::replay::generic::MapPair;
use crate::replay::read::Compression;
use crate::replay::{LogFormat, LogShape};

/// Most worker threads `--threads` takes.
pub const MAX_THREADS: u64 = 1024;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("plan_source").args(["scenario", "forecast"])))]
pub struct ReplayArgs {
    /// Usage logs: JSON lines or CSV, optionally gzip-compressed; `-` for stdin.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    /// The log's shape. Default: detected from the first lines.
    #[arg(long, value_enum)]
    pub shape: Option<LogShape>,

    /// JSON lines or CSV. Default: detected from the first byte.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<LogFormat>,

    /// Compression. Default: gzip when the file starts with gzip's magic bytes.
    #[arg(long, value_enum, default_value_t = Compression::Auto)]
    pub compression: Compression,

    /// Group by: model, day, week, month, tier, file, class, or any field
    /// (a CSV column or a dotted JSON path such as metadata.user_id).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "model",
        value_name = "DIM,..."
    )]
    pub by: Vec<Dim>,

    /// Column mapping for the generic shape: KEY=COLUMN, keys model, time,
    /// input, cache_read, cache_write, cache_write_1h, output, reasoning,
    /// tier, cost, and for timings start, end, first_token (timestamps),
    /// ttft, duration (seconds); plus input_includes_cache=false,
    /// output_includes_reasoning=true, durations_in_ms=true.
    #[arg(long = "map", value_delimiter = ',', value_name = "KEY=COLUMN,...")]
    pub map: Vec<MapPair>,

    /// The same mapping as a TOML file (keys as for --map); --map wins.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// Also price every request on this model (same tokens, same tier).
    #[arg(long = "as", value_name = "MODEL", conflicts_with = "plan")]
    pub as_model: Option<String>,

    /// Also price the traffic under this plan of --scenario (with
    /// --forecast: the plan whose forecast the log is compared with).
    #[arg(long, requires = "plan_source", value_name = "NAME")]
    pub plan: Option<String>,

    /// Compare a `cost gateway` log with this scenario's forecast for --plan,
    /// per class: shares, cost per request, a month's cost, actual savings.
    #[arg(long, requires = "plan", conflicts_with_all = ["as_model", "by", "latency", "emit_latency"], value_name = "SCENARIO")]
    pub forecast: Option<String>,

    /// The scenario holding --plan and its classes (a file, `-` or a built-in name).
    #[arg(long, requires = "plan", value_name = "SCENARIO")]
    pub scenario: Option<String>,

    /// Assign requests to classes by this field's value (a class name, or see --class-map).
    #[arg(long, value_name = "FIELD", conflicts_with = "class_bounds")]
    pub class_field: Option<String>,

    /// Field values to classes: VALUE=CLASS,...
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "VALUE=CLASS,...",
        requires = "class_field"
    )]
    pub class_map: Vec<ClassMapEntry>,

    /// Assign requests to classes by prompt size: ascending upper bounds, one
    /// fewer than the scenario's classes (e.g. 4000,32000).
    #[arg(long, value_delimiter = ',', value_name = "TOKENS,...")]
    pub class_bounds: Vec<u64>,

    /// Price requests whose log has no time at this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    /// Fail (exit 2) if any request names a model the catalog does not know.
    #[arg(long)]
    pub strict: bool,

    /// Count, summarise and skip bad lines instead of stopping at the first
    /// (a request whose timing fields alone are bad is still priced).
    #[arg(long)]
    pub skip_bad: bool,

    /// Lead with the latency table (TTFT, E2E and output tokens/s
    /// percentiles per group); CSV output shows only the first table.
    #[arg(long)]
    pub latency: bool,

    /// Write a latency sheet (TOML, atomically) of each model's TTFT, E2E
    /// and output rate measured on these logs.
    #[arg(long, value_name = "FILE.toml")]
    pub emit_latency: Option<PathBuf>,

    /// Worker threads, 1 to 1024. Default: every core.
    #[arg(short = 'j', long, env = "COST_THREADS", value_name = "N", value_parser = counts(MAX_THREADS))]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct TokensArgs {
    /// Text files; `-` or nothing for stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Read JSON lines and count this field of each: a string (a prompt) or an
    /// array of chat messages (`{"role", "content"}`). A dotted path is allowed.
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,

    /// Price the prompts on these models (comma-separated). Default: gpt-4o,
    /// gpt-4.1-mini, claude-sonnet-4-6, gemini-3.5-flash.
    #[arg(long, value_delimiter = ',', value_name = "M,M,...")]
    pub models: Vec<String>,

    /// Also price this many output tokens per prompt.
    #[arg(long, default_value_t = 0, value_name = "TOKENS", allow_negative_numbers = true, value_parser = whole)]
    pub output: u64,

    /// Prices in force on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,
}
