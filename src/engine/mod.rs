//! The pure engine: prices requests (`bill`), evaluates plans on scenarios
//! (`plan`), estimates latency (`latency`) and compares plans (`compare`).
//! No clap, no I/O, no printing: everything here is tested directly.

pub mod bill;
pub mod compare;
pub mod latency;
pub mod plan;

pub use plan::{evaluate, Context, EngineError, PlanOutcome};
