//! One file per subcommand: resolve settings, call the engine, build a Report.

pub mod compare;
pub mod estimate;
pub mod eval;
pub mod frontier;
pub mod models;
pub mod route;
pub mod scenarios;
pub mod sweep;
