//! Arguments of the gate and data-maintenance commands: `diff`,
//! `validate` and `pricing import`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use jiff::civil::Date;

use super::values::DateParser;
use super::LatencyArgs;
use crate::pricing::import::CatalogKind;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base: a saved `cost compare --format json` report, a scenario
    /// file, or a built-in scenario name.
    pub base: String,

    /// The head, of the same kinds. Omit it to compare BASE with itself under
    /// --base-pricing/--head-pricing or --base-at/--head-at.
    pub head: Option<String>,

    /// Extra price sheets for the base side only (repeatable).
    #[arg(long, value_name = "PATH")]
    pub base_pricing: Vec<PathBuf>,

    /// Extra price sheets for the head side only (repeatable).
    #[arg(long, value_name = "PATH")]
    pub head_pricing: Vec<PathBuf>,

    /// Price date of both sides when they are scenarios (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,

    /// Price date of the base side (overrides --at).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub base_at: Option<Date>,

    /// Price date of the head side (overrides --at).
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub head_at: Option<Date>,

    /// Exit 1 if a plan's cost rises by more than this many USD per month.
    #[arg(long, value_name = "USD_PER_MONTH")]
    pub fail_above_usd: Option<f64>,

    /// Exit 1 if a plan's cost rises by more than this percentage of its base cost.
    #[arg(long, value_name = "PERCENT")]
    pub fail_above_pct: Option<f64>,

    /// Gate only this plan. Default: every plan the scenario declares.
    #[arg(long, value_name = "NAME")]
    pub plan: Option<String>,

    #[command(flatten)]
    pub latency: LatencyArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Price sheets and scenarios (.toml files or folders). Default: the
    /// built-in sheets and scenarios and any --pricing sheets.
    pub paths: Vec<PathBuf>,

    /// Warn about prices whose `verified` date is older than this (e.g. 30d, 8w).
    #[arg(long, value_name = "AGE", default_value = "90d")]
    pub max_age: String,

    /// Report every price that differs from a public catalog: LiteLLM's
    /// model price JSON or genai-prices' data JSON (recognised by content).
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,

    /// Exit 2 on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,

    /// The day ages and catalog prices are judged on (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub at: Option<Date>,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Turn a public price catalog into `cost` price sheets (one per provider)
    /// in the folder given by --out-dir; without it, only report what would be imported.
    #[command(after_help = super::examples::IMPORT)]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The catalog's format.
    #[arg(long, value_enum)]
    pub from: CatalogKind,

    /// The catalog file (`-` for stdin).
    pub file: PathBuf,

    /// The `verified` date written on every imported model (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = DateParser)]
    pub verified: Option<Date>,

    /// List every entry that could not be imported, with its reason.
    #[arg(short, long)]
    pub verbose: bool,

    /// Write the sheets into this folder (created if needed), all or none;
    /// sheets an earlier import from the same catalog wrote there and this
    /// one has not are removed. Without it nothing is written. (`-o` is the
    /// report's file, as for every command.)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}
