//! The pure engine: prices requests (`bill`), evaluates plans on scenarios
//! (`plan`), estimates latency (`latency`) and compares plans (`compare`).
//! No clap, no I/O, no printing: everything here is tested directly.

pub mod assumptions;
pub mod bill;
pub mod breakeven;
mod cascade;
pub mod classify;
pub mod compare;
pub mod frontier;
pub mod latency;
mod oracle;
pub mod plan;
mod routed;
pub mod sweep;

pub use plan::{evaluate, Context, EngineError, PlanOutcome};
