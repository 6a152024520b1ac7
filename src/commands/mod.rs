//! One file per subcommand: resolve settings, call the engine, build a Report.

pub mod compare;
pub mod estimate;
pub mod models;
pub mod replay;
pub mod scenarios;
pub mod tokens;
