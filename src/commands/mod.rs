//! One file per subcommand: resolve settings, call the engine, build a Report.

pub mod compare;
pub mod diff;
pub mod estimate;
pub mod eval;
pub mod frontier;
pub mod gates;
pub mod models;
pub mod pricing;
pub mod replay;
pub mod route;
pub mod scenarios;
pub mod simulate;
pub mod sweep;
pub mod tokens;
pub mod validate;
