//! Runs the real `cost` binary and checks stdout, stderr and exit codes
//! together (see `harness`). One integration-test binary; a module per
//! subcommand.

mod harness;

mod arguments;
mod breakeven;
mod browser;
mod compare;
mod definition;
mod diff;
mod errors;
mod estimate;
mod eval;
mod evidence;
mod focus;
mod frontier;
mod gateway;
mod help;
mod hybrid;
mod import;
mod limits;
mod mistakes;
mod models;
mod readme_fields;
mod replay;
mod replay_hardening;
mod replay_latency;
mod report;
mod route;
mod router;
mod scenarios;
mod sensitivity;
mod simulate;
mod start;
mod sweep;
mod tables;
mod tokens;
mod validate;
mod volume;
mod warehouse;

pub use harness::Cost;

/// A fixture path relative to the crate root.
pub fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}
