//! Arguments of the starting points: `scenarios` (list, `show NAME`),
//! `init` (a starter scenario file) and `man` (manual pages).

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct ScenariosArgs {
    #[command(subcommand)]
    pub command: Option<ScenariosCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ScenariosCommand {
    /// Print a built-in scenario's TOML, exactly as shipped.
    #[command(after_help = super::examples::SCENARIOS_SHOW)]
    Show {
        /// A built-in scenario (see `cost scenarios`).
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The scenario file to write, e.g. my-feature.toml.
    pub file: PathBuf,

    /// Start from this built-in scenario (see `cost scenarios`) instead of
    /// the commented starter.
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,

    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write cost.1 and a page per subcommand (cost-compare.1, ...) into
    /// this folder. Default: cost.1 to stdout.
    #[arg(long = "out-dir", short = 'd', value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}
