//! Report builders: turn what the engine computed into the one `Report`
//! model, with columns from the vocabulary (`report::columns`). One file per
//! command, plus the pieces several commands show alike. Pure: no clap, no
//! I/O; the command hands the report to the printer.

pub mod bands;
pub mod board;
pub mod breakeven;
pub mod compare;
pub mod diff;
pub mod estimate;
pub mod eval;
pub mod figures;
pub mod forecast;
pub mod frontier;
pub mod gates;
pub mod import;
pub mod models;
pub mod replay;
pub mod replay_latency;
pub mod route;
pub mod router;
pub mod scenarios;
pub mod sensitivity;
pub mod shape;
pub mod simulate;
pub mod sweep;
pub mod tokens;
pub mod validate;
