//! Report builders: turn what the engine computed into the one `Report`
//! model, with columns from the vocabulary (`report::columns`). One file per
//! command, plus the pieces several commands show alike. Pure: no clap, no
//! I/O; the command hands the report to the printer.

pub mod estimate;
pub mod eval;
pub mod replay;
pub mod tokens;
