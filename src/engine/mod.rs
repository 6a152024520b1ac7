//! The pure engine: prices requests (`bill`), evaluates plans on scenarios
//! (`plan`), estimates latency (`latency`), compares plans (`compare`),
//! explains the change between two runs (`run`, `diff`) and applies cost
//! gates (`gate`). No clap, no I/O, no printing: everything here is tested
//! directly.

pub mod assumptions;
pub mod bill;
pub mod breakeven;
mod cascade;
pub mod classify;
pub mod compare;
pub mod diff;
pub mod expect;
pub mod frontier;
pub mod gate;
pub mod latency;
mod oracle;
mod paths;
pub mod plan;
mod routed;
pub mod run;
pub mod simulate;
pub mod sweep;

pub use plan::{evaluate, Context, EngineError, PlanOutcome};
